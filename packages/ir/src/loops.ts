// LoopAnalysis: natural loops found from back edges (an edge to a block
// that dominates its source), with their nesting.
//
// Invariants (after `compute`):
// - Each loop has one header; a block belongs to the innermost loop
//   containing it (`innermostLoop`), and loops nest as a tree (`parent`).
// - Loops are numbered so that a parent comes before its children.
// - Irreducible cycles (no dominating header) form no loop: they have no
//   natural loop, as in Cranelift's analysis.

import type { Block } from './entities.js';
import type { ControlFlowGraph } from './cfg.js';
import type { DominatorTree } from './dominators.js';
import type { Function } from './function.js';

export type Loop = number & { readonly __brand: 'Loop' };

interface LoopData {
  header: Block;
  parent: Loop | undefined;
  depth: number;
}

export class LoopAnalysis {
  private loops: LoopData[] = [];
  private blockLoop = new Int32Array(0);

  static compute(func: Function, cfg: ControlFlowGraph, domtree: DominatorTree): LoopAnalysis {
    const la = new LoopAnalysis();
    la.recompute(func, cfg, domtree);
    return la;
  }

  recompute(func: Function, cfg: ControlFlowGraph, domtree: DominatorTree): void {
    const n = func.dfg.numBlocks();
    this.loops = [];
    this.blockLoop = new Int32Array(n).fill(-1);
    // Headers in reverse postorder, so outer loops are found first.
    const po = domtree.cfgPostorder();
    for (let i = po.length - 1; i >= 0; i--) {
      const h = po[i];
      if (cfg.preds(h).some((p) => domtree.blockDominates(h, p.block))) {
        this.loops.push({ header: h, parent: undefined, depth: 0 });
      }
    }
    // Walk loops from innermost (latest found) to outermost; each claims
    // the blocks reaching its back edges that no inner loop claimed.
    for (let l = this.loops.length - 1; l >= 0; l--) {
      const h = this.loops[l].header;
      const stack: Block[] = [];
      for (const p of cfg.preds(h)) if (domtree.blockDominates(h, p.block)) stack.push(p.block);
      while (stack.length > 0) {
        let b = stack.pop()!;
        // Skip to the outermost already-found loop containing b.
        let inner = this.blockLoop[b];
        if (inner >= 0) {
          while (this.loops[inner].parent !== undefined) inner = this.loops[inner].parent!;
          if (inner === l) continue;
          this.loops[inner].parent = l as Loop;
          b = this.loops[inner].header;
          for (const p of cfg.preds(b)) if (domtree.isReachable(p.block) && !domtree.blockDominates(b, p.block)) stack.push(p.block);
          continue;
        }
        if (b === h) {
          this.blockLoop[b] = l;
          continue;
        }
        this.blockLoop[b] = l;
        for (const p of cfg.preds(b)) if (domtree.isReachable(p.block)) stack.push(p.block);
      }
      if (this.blockLoop[h] === -1) this.blockLoop[h] = l;
    }
    for (let l = 0; l < this.loops.length; l++) {
      const d = this.loops[l];
      d.depth = d.parent === undefined ? 1 : this.loops[d.parent].depth + 1;
    }
  }

  loopsList(): Loop[] {
    return this.loops.map((_, i) => i as Loop);
  }
  numLoops(): number {
    return this.loops.length;
  }
  header(l: Loop): Block {
    return this.loops[l].header;
  }
  parent(l: Loop): Loop | undefined {
    return this.loops[l].parent;
  }
  /** Nesting depth of a loop: 1 for an outermost loop. */
  loopDepth(l: Loop): number {
    return this.loops[l].depth;
  }
  /** The innermost loop containing `b`, if any. */
  innermostLoop(b: Block): Loop | undefined {
    const l = this.blockLoop[b];
    return l === undefined || l < 0 ? undefined : (l as Loop);
  }
  /** How many loops contain `b` (0 outside loops). */
  blockLoopDepth(b: Block): number {
    const l = this.innermostLoop(b);
    return l === undefined ? 0 : this.loops[l].depth;
  }
  isLoopHeader(b: Block): boolean {
    const l = this.innermostLoop(b);
    return l !== undefined && this.loops[l].header === b;
  }
  /** True when loop `inner` is `outer` or nested in it. */
  isChildLoop(inner: Loop, outer: Loop): boolean {
    for (let l: Loop | undefined = inner; l !== undefined; l = this.loops[l].parent) if (l === outer) return true;
    return false;
  }
}
