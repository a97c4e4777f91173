// ControlFlowGraph: predecessors and successors of each block, derived from
// the branch instructions at the ends of blocks.
//
// Invariants (after `compute`): successor lists are in branch order with
// duplicates removed (a br_table naming a block twice makes one edge);
// predecessor lists hold one entry per (block, branch instruction) pair.
// Only blocks in the layout have edges. The CFG is a snapshot: recompute
// after changing branches.

import { NONE, type Block, type Inst } from './entities.js';
import type { Function } from './function.js';

export interface BlockPredecessor {
  block: Block;
  inst: Inst;
}

export class ControlFlowGraph {
  private readonly predLists: BlockPredecessor[][] = [];
  private readonly succLists: Block[][] = [];
  private valid = false;

  static compute(func: Function): ControlFlowGraph {
    const cfg = new ControlFlowGraph();
    cfg.recompute(func);
    return cfg;
  }

  recompute(func: Function): void {
    const n = func.dfg.numBlocks();
    this.predLists.length = 0;
    this.succLists.length = 0;
    for (let b = 0; b < n; b++) {
      this.predLists.push([]);
      this.succLists.push([]);
    }
    const { dfg, layout } = func;
    for (const b of layout.blocks()) {
      // Only the block's final instruction branches in valid CLIF, but scan
      // every instruction so malformed input still gets a faithful graph.
      for (const inst of layout.blockInsts(b)) {
        for (const bc of dfg.branchDestinations(inst)) {
          const dest = dfg.blockCallBlock(bc);
          if (dest < 0 || dest >= n) continue;
          const succs = this.succLists[b];
          if (!succs.includes(dest)) succs.push(dest);
          const preds = this.predLists[dest];
          if (!preds.some((p) => p.block === b && p.inst === inst)) preds.push({ block: b, inst });
        }
      }
    }
    this.valid = true;
  }

  isValid(): boolean {
    return this.valid;
  }
  numBlocks(): number {
    return this.succLists.length;
  }
  preds(b: Block): readonly BlockPredecessor[] {
    return this.predLists[b] ?? [];
  }
  succs(b: Block): readonly Block[] {
    return this.succLists[b] ?? [];
  }
  /** Predecessor blocks (deduplicated). */
  predBlocks(b: Block): Block[] {
    const out: Block[] = [];
    for (const p of this.preds(b)) if (!out.includes(p.block)) out.push(p.block);
    return out;
  }
}

export { NONE };
