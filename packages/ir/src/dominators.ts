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
//
// Storage: per-block numbers in typed arrays and the children as one flat
// array, so a computation allocates a handful of arrays whatever the
// function's size, and recomputing reuses them while they are long enough
// (the verifier recomputes one tree for every function). The
// `cfgPostorder` and `childrenOf` lists are made on first request.

import type { Block, Inst } from './entities.js';
import * as entities from './entities.js';
import type { ControlFlowGraph } from './cfg.js';
import type { Function } from './function.js';
import * as pool from './pool.js';

// Imported bindings are live, so V8 reads them afresh at every use; the
// values used on hot paths are copied into module constants, which it
// folds into the compiled code.
const { NONE } = entities;
const { reuseU32 } = pool;

const UNDEF = 0xffffffff;
const EMPTY = new Uint32Array(0);
const NO_CHILDREN: readonly Block[] = Object.freeze([]);

// DFS scratch shared by every computation (one never runs inside another):
// the stack's blocks and, per entry, the next successor/child to visit;
// and which blocks the postorder walk has seen.
let stackBlocks = new Uint32Array(64);
let stackNext = new Uint32Array(64);
let seenScratch = new Uint32Array(64);
function growStack(need: number): void {
  const n = Math.max(need, stackBlocks.length * 2);
  const b = new Uint32Array(n);
  b.set(stackBlocks);
  const x = new Uint32Array(n);
  x.set(stackNext);
  stackBlocks = b;
  stackNext = x;
}

export class DominatorTree {
  /** Blocks covered (the function's block count); the arrays may be longer. */
  private n = 0;
  /** The reachable blocks in postorder: `po[0, poLen)`. */
  private po: Uint32Array = EMPTY;
  private poLen = 0;
  /** `cfgPostorder`'s list, made on first request. */
  private postorder: Block[] | undefined = undefined;
  /** Reverse-postorder number per block (1-based; 0 = unreachable). */
  private rpo: Uint32Array = EMPTY;
  private idoms: Uint32Array = EMPTY;
  /** Block b's children are childData[childStart[b] .. childStart[b + 1]), in reverse postorder. */
  private childStart: Uint32Array = EMPTY;
  private childData: Uint32Array = EMPTY;
  /** Lists handed out by `childrenOf`, made on first request. */
  private childLists: (Block[] | undefined)[] | undefined = undefined;
  private pre: Uint32Array = EMPTY;
  private post: Uint32Array = EMPTY;

  static compute(func: Function, cfg: ControlFlowGraph): DominatorTree {
    const t = new DominatorTree();
    t.recompute(func, cfg);
    return t;
  }

  recompute(func: Function, cfg: ControlFlowGraph): void {
    const n = func.dfg.numBlocks();
    this.n = n;
    const rpo = (this.rpo = reuseU32(this.rpo, n));
    rpo.fill(0, 0, n);
    const idoms = (this.idoms = reuseU32(this.idoms, n));
    idoms.fill(UNDEF, 0, n);
    this.postorder = undefined;
    this.childLists = undefined;
    this.poLen = 0;
    this.pre = reuseU32(this.pre, n);
    this.pre.fill(0, 0, n);
    this.post = reuseU32(this.post, n);
    this.post.fill(0, 0, n);
    this.childStart = reuseU32(this.childStart, n + 1);
    this.childStart.fill(0, 0, n + 1);
    const entry = func.layout.entryBlock();
    if (entry === undefined) return;
    this.computePostorder(entry, cfg, n);
    const po = this.po;
    const poLen = this.poLen;
    for (let i = 0; i < poLen; i++) rpo[po[i]] = poLen - i;

    // Cooper–Harvey–Kennedy fixpoint over reverse postorder.
    idoms[entry] = entry;
    let changed = true;
    while (changed) {
      changed = false;
      for (let i = poLen - 2; i >= 0; i--) {
        const b = po[i] as Block;
        let newIdom = UNDEF;
        const np = cfg.numPreds(b);
        for (let k = 0; k < np; k++) {
          const pb = cfg.predBlock(b, k);
          if (rpo[pb] === 0 || idoms[pb] === UNDEF) continue;
          newIdom = newIdom === UNDEF ? pb : this.intersect(pb, newIdom);
        }
        if (newIdom !== UNDEF && idoms[b] !== newIdom) {
          idoms[b] = newIdom;
          changed = true;
        }
      }
    }
    idoms[entry] = UNDEF;

    // Children in reverse postorder (a counting sort by parent), then
    // preorder intervals.
    const childStart = this.childStart;
    for (let i = poLen - 1; i >= 0; i--) {
      const d = idoms[po[i]];
      if (d !== UNDEF) childStart[d + 1]++;
    }
    for (let b = 0; b < n; b++) childStart[b + 1] += childStart[b];
    const childData = (this.childData = reuseU32(this.childData, childStart[n]));
    for (let i = poLen - 1; i >= 0; i--) {
      const b = po[i];
      const d = idoms[b];
      if (d !== UNDEF) childData[childStart[d]++] = b;
    }
    // childStart[d] now ends d's run: shift back to starts.
    for (let b = n; b > 0; b--) childStart[b] = childStart[b - 1];
    childStart[0] = 0;

    const pre = this.pre;
    const post = this.post;
    let counter = 0;
    stackBlocks[0] = entry;
    stackNext[0] = childStart[entry];
    let sp = 1;
    pre[entry] = ++counter;
    while (sp > 0) {
      const top = stackBlocks[sp - 1];
      const k = stackNext[sp - 1];
      if (k < childStart[top + 1]) {
        stackNext[sp - 1] = k + 1;
        const c = childData[k];
        pre[c] = ++counter;
        if (sp >= stackBlocks.length) growStack(sp + 1);
        stackBlocks[sp] = c;
        stackNext[sp] = childStart[c];
        sp++;
      } else {
        post[top] = counter;
        sp--;
      }
    }
  }

  /** Fills `po[0, poLen)` with the blocks reachable from `entry`, in postorder. */
  private computePostorder(entry: Block, cfg: ControlFlowGraph, n: number): void {
    if (seenScratch.length < n) seenScratch = new Uint32Array(Math.max(n, seenScratch.length * 2));
    const seen = seenScratch;
    seen.fill(0, 0, n);
    const po = (this.po = reuseU32(this.po, n));
    let poLen = 0;
    let sp = 1;
    stackBlocks[0] = entry;
    stackNext[0] = 0;
    seen[entry] = 1;
    while (sp > 0) {
      const top = stackBlocks[sp - 1] as Block;
      const k = stackNext[sp - 1];
      if (k < cfg.numSuccs(top)) {
        stackNext[sp - 1] = k + 1;
        const s = cfg.succ(top, k);
        if (!seen[s]) {
          seen[s] = 1;
          if (sp >= stackBlocks.length) growStack(sp + 1);
          stackBlocks[sp] = s;
          stackNext[sp] = 0;
          sp++;
        }
      } else {
        po[poLen++] = top;
        sp--;
      }
    }
    this.poLen = poLen;
  }

  private intersect(a: number, b: number): number {
    while (a !== b) {
      while (this.rpo[a] > this.rpo[b]) a = this.idoms[a];
      while (this.rpo[b] > this.rpo[a]) b = this.idoms[b];
    }
    return a;
  }

  /** Reachable blocks in DFS postorder. */
  cfgPostorder(): readonly Block[] {
    if (this.postorder === undefined) {
      const out = new Array<Block>(this.poLen);
      for (let i = 0; i < this.poLen; i++) out[i] = this.po[i] as Block;
      this.postorder = out;
    }
    return this.postorder;
  }
  isReachable(b: Block): boolean {
    return b < this.n && this.rpo[b] !== 0;
  }
  /** The immediate dominator of `b`; undefined for the entry and unreachable blocks. */
  idom(b: Block): Block | undefined {
    if (!(b < this.n)) return undefined;
    const d = this.idoms[b];
    return d === UNDEF ? undefined : (d as Block);
  }
  /** Blocks immediately dominated by `b`, in reverse postorder. */
  childrenOf(b: Block): readonly Block[] {
    if (!(b < this.n)) return NO_CHILDREN;
    const lists = (this.childLists ??= []);
    let list = lists[b];
    if (list === undefined) {
      list = [];
      for (let k = this.childStart[b]; k < this.childStart[b + 1]; k++) list.push(this.childData[k] as Block);
      while (lists.length < b) lists.push(undefined);
      lists[b] = list;
    }
    return list;
  }
  /** Reverse-postorder index (0-based) of a reachable block. */
  rpoNumber(b: Block): number {
    return b < this.n ? this.rpo[b] - 1 : NaN;
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
