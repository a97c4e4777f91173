// The control-flow facts the mid-end's passes share: reverse postorder,
// predecessors and successors, dominance, dominator-tree children and loop
// depth. `optimize` computes them once and hands them to every pass that
// keeps the CFG as it is (alias analysis, block-parameter removal, the
// e-graph build, elaboration, dead stores); a function of one block, the
// common case, gets a trivial answer without building a CFG, dominator tree
// or loop analysis at all.
//
// Invariant: a Flow describes the CFG of the moment it was computed; a pass
// that changes branches (unreachable-block removal, constant-branch
// folding) must be followed by a new one before the next pass that asks.

import {
  ControlFlowGraph,
  DominatorTree,
  LoopAnalysis,
  NONE,
  Opcode,
  isBranch,
  type Block,
  type Function,
  type Inst,
} from '@clift/ir';

export interface Flow {
  /** Reachable blocks, every block before the blocks it dominates. */
  readonly rpo: readonly Block[];
  /** Distinct predecessor blocks of `b`. */
  predBlocks(b: Block): readonly Block[];
  /** Distinct successors of `b`, in branch order. */
  succs(b: Block): readonly Block[];
  isReachable(b: Block): boolean;
  /** Reflexive block dominance. */
  blockDominates(a: Block, b: Block): boolean;
  /** Whether instruction `a` (in the layout) dominates instruction `b`. */
  instDominates(a: Inst, b: Inst): boolean;
  /** Blocks immediately dominated by `b`, in reverse postorder. */
  childrenOf(b: Block): readonly Block[];
  /** Loop nesting depth of `b` (0 outside loops). */
  loopDepth(b: Block): number;
}

const NO_BLOCKS: readonly Block[] = [];

/** A function whose layout has exactly one block: no edges, no loops. */
class OneBlockFlow implements Flow {
  readonly rpo: readonly Block[];
  constructor(
    private readonly func: Function,
    private readonly entry: Block,
  ) {
    this.rpo = [entry];
  }
  predBlocks(): readonly Block[] {
    return NO_BLOCKS;
  }
  succs(): readonly Block[] {
    return NO_BLOCKS;
  }
  isReachable(b: Block): boolean {
    return b === this.entry;
  }
  blockDominates(a: Block, b: Block): boolean {
    return a === this.entry && b === this.entry;
  }
  instDominates(a: Inst, b: Inst): boolean {
    return a === b || this.func.layout.instBefore(a, b);
  }
  childrenOf(): readonly Block[] {
    return NO_BLOCKS;
  }
  loopDepth(): number {
    return 0;
  }
}

/** The general case, over @clift/ir's analyses; loops are computed on first use. */
class GraphFlow implements Flow {
  readonly rpo: readonly Block[];
  private readonly cfg: ControlFlowGraph;
  private readonly domtree: DominatorTree;
  private loops: LoopAnalysis | undefined;
  private readonly preds: (Block[] | undefined)[] = [];

  constructor(private readonly func: Function) {
    this.cfg = ControlFlowGraph.compute(func);
    this.domtree = DominatorTree.compute(func, this.cfg);
    this.rpo = [...this.domtree.cfgPostorder()].reverse();
  }
  predBlocks(b: Block): readonly Block[] {
    return (this.preds[b] ??= this.cfg.predBlocks(b));
  }
  succs(b: Block): readonly Block[] {
    return this.cfg.succs(b);
  }
  isReachable(b: Block): boolean {
    return this.domtree.isReachable(b);
  }
  blockDominates(a: Block, b: Block): boolean {
    return this.domtree.blockDominates(a, b);
  }
  instDominates(a: Inst, b: Inst): boolean {
    return this.domtree.instDominates(this.func, a, b);
  }
  childrenOf(b: Block): readonly Block[] {
    return this.domtree.childrenOf(b);
  }
  loopDepth(b: Block): number {
    this.loops ??= LoopAnalysis.compute(this.func, this.cfg, this.domtree);
    return this.loops.blockLoopDepth(b);
  }
}

/** The flow facts of `func` as its layout stands (undefined for a function without blocks). */
export function computeFlow(func: Function): Flow | undefined {
  const layout = func.layout;
  const entry = layout.entryBlock();
  if (entry === undefined) return undefined;
  if (layout.nextBlock(entry) === (NONE as Block)) {
    // One block that does not branch (to itself): no CFG to compute.
    let branches = false;
    for (let i = layout.firstInst(entry); i !== (NONE as Inst); i = layout.nextInst(i)) if (isBranch(func.dfg.opcode(i) as Opcode)) branches = true;
    if (!branches) return new OneBlockFlow(func, entry);
  }
  return new GraphFlow(func);
}
