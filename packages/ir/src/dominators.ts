// DominatorTree: immediate dominators of the blocks reachable from the
// entry, computed with the iterative algorithm of Cooper, Harvey and
// Kennedy ("A Simple, Fast Dominance Algorithm") over reverse postorder. It
// is correct for irreducible graphs too: the fixpoint iteration does not
// assume reducibility.
//
// Invariants (after `compute`):
// - `cfgPostorder()` lists reachable blocks in DFS postorder, successors
//   visited in branch order (the order upstream's filetests print).
// - idom(entry) and idom(unreachable) are undefined.
// - Dominance queries are O(1): each block gets a preorder interval in the
//   dominator tree, and `a` dominates `b` iff b's interval nests in a's.

import { NONE, type Block, type Inst } from './entities.js';
import type { ControlFlowGraph } from './cfg.js';
import type { Function } from './function.js';

const UNDEF = 0xffffffff;

export class DominatorTree {
  private postorder: Block[] = [];
  /** Reverse-postorder number per block (1-based; 0 = unreachable). */
  private rpo = new Uint32Array(0);
  private idoms = new Uint32Array(0);
  private children: Block[][] = [];
  private pre = new Uint32Array(0);
  private post = new Uint32Array(0);

  static compute(func: Function, cfg: ControlFlowGraph): DominatorTree {
    const t = new DominatorTree();
    t.recompute(func, cfg);
    return t;
  }

  recompute(func: Function, cfg: ControlFlowGraph): void {
    const n = func.dfg.numBlocks();
    this.rpo = new Uint32Array(n);
    this.idoms = new Uint32Array(n).fill(UNDEF);
    this.postorder = [];
    const entry = func.layout.entryBlock();
    if (entry === undefined) {
      this.children = [];
      this.pre = new Uint32Array(n);
      this.post = new Uint32Array(n);
      return;
    }
    this.computePostorder(entry, cfg, n);
    const po = this.postorder;
    for (let i = 0; i < po.length; i++) this.rpo[po[i]] = po.length - i;

    // Cooper–Harvey–Kennedy fixpoint over reverse postorder.
    this.idoms[entry] = entry;
    let changed = true;
    while (changed) {
      changed = false;
      for (let i = po.length - 2; i >= 0; i--) {
        const b = po[i];
        let newIdom = UNDEF;
        for (const p of cfg.preds(b)) {
          const pb = p.block;
          if (this.rpo[pb] === 0 || this.idoms[pb] === UNDEF) continue;
          newIdom = newIdom === UNDEF ? pb : this.intersect(pb, newIdom);
        }
        if (newIdom !== UNDEF && this.idoms[b] !== newIdom) {
          this.idoms[b] = newIdom;
          changed = true;
        }
      }
    }
    this.idoms[entry] = UNDEF;

    // Children lists in reverse postorder, then preorder intervals.
    this.children = [];
    for (let b = 0; b < n; b++) this.children.push([]);
    for (let i = po.length - 1; i >= 0; i--) {
      const b = po[i];
      const d = this.idoms[b];
      if (d !== UNDEF) this.children[d].push(b);
    }
    this.pre = new Uint32Array(n);
    this.post = new Uint32Array(n);
    let counter = 0;
    const stack: [Block, number][] = [[entry, 0]];
    this.pre[entry] = ++counter;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const kids = this.children[top[0]];
      if (top[1] < kids.length) {
        const c = kids[top[1]++];
        this.pre[c] = ++counter;
        stack.push([c, 0]);
      } else {
        this.post[top[0]] = counter;
        stack.pop();
      }
    }
  }

  private computePostorder(entry: Block, cfg: ControlFlowGraph, n: number): void {
    const seen = new Uint8Array(n);
    const stack: [Block, number][] = [[entry, 0]];
    seen[entry] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const succs = cfg.succs(top[0]);
      if (top[1] < succs.length) {
        const s = succs[top[1]++];
        if (!seen[s]) {
          seen[s] = 1;
          stack.push([s, 0]);
        }
      } else {
        this.postorder.push(top[0]);
        stack.pop();
      }
    }
  }

  private intersect(a: number, b: number): number {
    while (a !== b) {
      while (this.rpo[a] > this.rpo[b]) a = this.idoms[a]!;
      while (this.rpo[b] > this.rpo[a]) b = this.idoms[b]!;
    }
    return a;
  }

  /** Reachable blocks in DFS postorder. */
  cfgPostorder(): readonly Block[] {
    return this.postorder;
  }
  isReachable(b: Block): boolean {
    return b < this.rpo.length && this.rpo[b] !== 0;
  }
  /** The immediate dominator of `b`; undefined for the entry and unreachable blocks. */
  idom(b: Block): Block | undefined {
    const d = this.idoms[b];
    return d === undefined || d === UNDEF ? undefined : (d as Block);
  }
  /** Blocks immediately dominated by `b`, in reverse postorder. */
  childrenOf(b: Block): readonly Block[] {
    return this.children[b] ?? [];
  }
  /** Reverse-postorder index (0-based) of a reachable block. */
  rpoNumber(b: Block): number {
    return this.rpo[b] - 1;
  }
  /** True when block `a` dominates block `b` (reflexive). Unreachable blocks dominate nothing. */
  blockDominates(a: Block, b: Block): boolean {
    if (!this.isReachable(a) || !this.isReachable(b)) return false;
    return this.pre[a] <= this.pre[b] && this.pre[b] <= this.post[a];
  }
  /**
   * True when instruction `a` dominates instruction `b` (both in the
   * layout): same block and not after, or a's block strictly dominates.
   */
  instDominates(func: Function, a: Inst, b: Inst): boolean {
    const layout = func.layout;
    const ba = layout.instBlock(a);
    const bb = layout.instBlock(b);
    if (ba === NONE || bb === NONE) return false;
    if (ba === bb) return a === b || layout.instBefore(a, b);
    return this.blockDominates(ba, bb);
  }
}
