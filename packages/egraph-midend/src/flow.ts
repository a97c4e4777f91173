// The control-flow facts the mid-end's passes share: reverse postorder,
// predecessors and successors, dominance, dominator-tree children and loop
// depth. `optimize` computes them once and hands them to every pass that
// keeps the CFG as it is (alias analysis, block-parameter removal, the
// e-graph build, elaboration, dead stores); a function of one block, the
// common case, gets a trivial answer without building a CFG, dominator tree
// or loop analysis at all. A CFG without cycles (most of the rest) gets
// light arrays computed here, whose answers equal @clift/ir's analyses
// (the same successor, predecessor and postorder orders; immediate
// dominators are unique); a CFG with a cycle uses those analyses, loops
// included.
//
// Invariant: a Flow describes the CFG of the moment it was computed; a pass
// that changes branches (unreachable-block removal, constant-branch
// folding) must be followed by a new one before the next pass that asks.

import {
  ControlFlowGraph,
  InstructionFormat,
  DominatorTree,
  LoopAnalysis,
  NONE,
  Opcode,
  isBranch,
  opcodeFormat,
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

/** A CFG with a cycle, over @clift/ir's analyses; loops are computed on first use. */
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

/** The flow facts of a function whose layout is the one block `entry`, which does not branch. */
export function oneBlockFlow(func: Function, entry: Block): Flow {
  return new OneBlockFlow(func, entry);
}

/**
 * A CFG without cycles, in arrays indexed by block. Mirrors @clift/ir's
 * ControlFlowGraph (successors in branch order without repeats;
 * predecessor blocks without repeats, in layout order) and
 * DominatorTree (DFS postorder visiting successors in order; children in
 * reverse postorder; preorder intervals for dominance).
 */
class AcyclicFlow implements Flow {
  readonly rpo: readonly Block[];
  constructor(
    private readonly func: Function,
    private readonly succLists: readonly Block[][],
    private readonly predLists: readonly Block[][],
    rpo: readonly Block[],
    private readonly children: readonly Block[][],
    /** Preorder number in the dominator tree (0: unreachable) and the last one below each block. */
    private readonly pre: Uint32Array,
    private readonly post: Uint32Array,
  ) {
    this.rpo = rpo;
  }
  predBlocks(b: Block): readonly Block[] {
    return this.predLists[b];
  }
  succs(b: Block): readonly Block[] {
    return this.succLists[b];
  }
  isReachable(b: Block): boolean {
    return b < this.pre.length && this.pre[b] !== 0;
  }
  blockDominates(a: Block, b: Block): boolean {
    if (!this.isReachable(a) || !this.isReachable(b)) return false;
    return this.pre[a] <= this.pre[b] && this.pre[b] <= this.post[a];
  }
  instDominates(a: Inst, b: Inst): boolean {
    const layout = this.func.layout;
    const ba = layout.instBlock(a);
    const bb = layout.instBlock(b);
    if (ba === (NONE as Block) || bb === (NONE as Block)) return false;
    if (ba === bb) return a === b || layout.instBefore(a, b);
    return this.blockDominates(ba, bb);
  }
  childrenOf(b: Block): readonly Block[] {
    return this.children[b];
  }
  loopDepth(): number {
    return 0;
  }
}

/** The flow facts of a function of several blocks: AcyclicFlow, or GraphFlow when the CFG has a cycle. */
function multiBlockFlow(func: Function, entry: Block): Flow {
  const { dfg, layout } = func;
  const n = dfg.numBlocks();
  const succLists: Block[][] = [];
  const predLists: Block[][] = [];
  for (let b = 0; b < n; b++) {
    succLists.push([]);
    predLists.push([]);
  }
  for (let b = layout.firstBlock(); b !== (NONE as Block); b = layout.nextBlock(b)) {
    // Only the final instruction branches in valid CLIF; every one is
    // scanned, as the CFG in @clift/ir does.
    for (let inst = layout.firstInst(b); inst !== (NONE as Inst); inst = layout.nextInst(inst)) {
      const fmt = opcodeFormat(dfg.opcode(inst) as Opcode);
      if (fmt !== InstructionFormat.Jump && fmt !== InstructionFormat.Brif && fmt !== InstructionFormat.BranchTable && fmt !== InstructionFormat.TryCall && fmt !== InstructionFormat.TryCallIndirect) continue;
      for (const bc of dfg.branchDestinations(inst)) {
        const dest = dfg.blockCallBlock(bc);
        if (dest < 0 || dest >= n) continue;
        const succs = succLists[b];
        if (!succs.includes(dest)) succs.push(dest);
        if (!predLists[dest].includes(b)) predLists[dest].push(b);
      }
    }
  }

  // DFS postorder from the entry; an edge to a block on the DFS stack is a cycle.
  const state = new Uint8Array(n); // 0 unseen, 1 on the stack, 2 done
  const postorder: Block[] = [];
  const stackBlock: Block[] = [entry];
  const stackNext: number[] = [0];
  state[entry] = 1;
  while (stackBlock.length > 0) {
    const top = stackBlock.length - 1;
    const b = stackBlock[top];
    const succs = succLists[b];
    if (stackNext[top] < succs.length) {
      const t = succs[stackNext[top]++];
      if (state[t] === 1) return new GraphFlow(func);
      if (state[t] === 0) {
        state[t] = 1;
        stackBlock.push(t);
        stackNext.push(0);
      }
    } else {
      state[b] = 2;
      postorder.push(b);
      stackBlock.pop();
      stackNext.pop();
    }
  }
  const rpo = postorder.reverse();

  // Without cycles every predecessor of a block comes before it in reverse
  // postorder, so one pass finds each immediate dominator (the nearest
  // common dominator of its reachable predecessors).
  const order = new Uint32Array(n);
  for (let i = 0; i < rpo.length; i++) order[rpo[i]] = i + 1;
  const idom = new Uint32Array(n).fill(NONE);
  for (let i = 1; i < rpo.length; i++) {
    const b = rpo[i];
    let d = NONE as number;
    for (const p of predLists[b]) {
      if (order[p] === 0) continue;
      if (d === NONE) {
        d = p;
        continue;
      }
      let x: number = p;
      while (x !== d) {
        while (order[x] > order[d]) x = idom[x];
        while (order[d] > order[x]) d = idom[d];
      }
    }
    idom[b] = d;
  }
  const children: Block[][] = [];
  for (let b = 0; b < n; b++) children.push([]);
  for (let i = 1; i < rpo.length; i++) children[idom[rpo[i]]].push(rpo[i]);
  const pre = new Uint32Array(n);
  const post = new Uint32Array(n);
  let counter = 0;
  const walkBlock: Block[] = [entry];
  const walkNext: number[] = [0];
  pre[entry] = ++counter;
  while (walkBlock.length > 0) {
    const top = walkBlock.length - 1;
    const kids = children[walkBlock[top]];
    if (walkNext[top] < kids.length) {
      const c = kids[walkNext[top]++];
      pre[c] = ++counter;
      walkBlock.push(c);
      walkNext.push(0);
    } else {
      post[walkBlock[top]] = counter;
      walkBlock.pop();
      walkNext.pop();
    }
  }
  return new AcyclicFlow(func, succLists, predLists, rpo, children, pre, post);
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
  return multiBlockFlow(func, entry);
}
