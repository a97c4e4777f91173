// ControlFlowGraph: predecessors and successors of each block, derived from
// the branch instructions at the ends of blocks.
//
// Invariants (after `compute`): successor lists are in branch order with
// duplicates removed (a br_table naming a block twice makes one edge);
// predecessor lists hold one entry per (block, branch instruction) pair, in
// layout order. Only blocks in the layout have edges. The CFG is a
// snapshot: recompute after changing branches.
//
// Storage: edges live in flat typed arrays, each block's successors (and
// predecessors) contiguous, so computing a CFG allocates a few arrays
// whatever the function's size, and recomputing reuses them while they
// are long enough (the verifier recomputes one CFG for every function).
// The `preds`/`succs` lists are made from them on first request per block;
// `numPreds`/`predBlock`/`numSuccs`/`succ` read the arrays directly (the
// dominator tree and the verifier use those, allocating nothing per block).

import type { Block, Inst } from './entities.js';
import * as entities from './entities.js';
import * as formats from './formats.js';
import type { Function } from './function.js';
import * as pool from './pool.js';

// Imported bindings are live, so V8 reads them afresh at every use; the
// values used on hot paths are copied into module constants, which it
// folds into the compiled code.
const { NONE } = entities;
const { InstructionFormat } = formats;
const { reuseU32 } = pool;

export interface BlockPredecessor {
  block: Block;
  inst: Inst;
}

const EMPTY = new Uint32Array(0);
const NO_PREDS: readonly BlockPredecessor[] = Object.freeze([]);
const NO_SUCCS: readonly Block[] = Object.freeze([]);

// Edge scratch for `recompute` (shared: a recompute never runs inside
// another): per edge, in discovery order, its source block, destination
// and branch instruction.
let edgeFrom = new Uint32Array(64);
let edgeTo = new Uint32Array(64);
let edgeInst = new Uint32Array(64);

function growScratch(need: number): void {
  const n = Math.max(need, edgeFrom.length * 2);
  const f = new Uint32Array(n);
  f.set(edgeFrom);
  const t = new Uint32Array(n);
  t.set(edgeTo);
  const i = new Uint32Array(n);
  i.set(edgeInst);
  edgeFrom = f;
  edgeTo = t;
  edgeInst = i;
}

export class ControlFlowGraph {
  private n = 0;
  /** Per block: where its successors start in succData, and how many (0 for blocks not in the layout). */
  private succIndex: Uint32Array = EMPTY;
  private succData: Uint32Array = EMPTY;
  /** Block b's predecessor entries are (predBlockData[k], predInstData[k]) for k in [predStart[b], predStart[b + 1]). */
  private predStart: Uint32Array = EMPTY;
  private predBlockData: Uint32Array = EMPTY;
  private predInstData: Uint32Array = EMPTY;
  /** Lists handed out by `preds` / `succs`, made on first request. */
  private predLists: (BlockPredecessor[] | undefined)[] | undefined = undefined;
  private succLists: (Block[] | undefined)[] | undefined = undefined;
  private valid = false;

  static compute(func: Function): ControlFlowGraph {
    const cfg = new ControlFlowGraph();
    cfg.recompute(func);
    return cfg;
  }

  recompute(func: Function): void {
    const n = func.dfg.numBlocks();
    const { dfg, layout } = func;
    // Edges in layout order, grouped by source block; a repeat of the same
    // (instruction, destination) is one edge.
    let m = 0;
    for (let b = layout.firstBlock(); b !== NONE; b = layout.nextBlock(b)) {
      const first = m;
      // Only the block's final instruction branches in valid CLIF, but scan
      // every instruction so malformed input still gets a faithful graph.
      for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
        const fmt = dfg.format(inst);
        if (
          fmt !== InstructionFormat.Jump &&
          fmt !== InstructionFormat.Brif &&
          fmt !== InstructionFormat.BranchTable &&
          fmt !== InstructionFormat.TryCall &&
          fmt !== InstructionFormat.TryCallIndirect
        ) {
          continue;
        }
        for (const bc of dfg.branchDestinations(inst)) {
          const dest = dfg.blockCallBlock(bc);
          if (dest < 0 || dest >= n) continue;
          let dup = false;
          for (let k = first; k < m; k++) {
            if (edgeTo[k] === dest && edgeInst[k] === inst) {
              dup = true;
              break;
            }
          }
          if (dup) continue;
          if (m >= edgeFrom.length) growScratch(m + 1);
          edgeFrom[m] = b;
          edgeTo[m] = dest;
          edgeInst[m] = inst;
          m++;
        }
      }
    }
    // Successors: each block's distinct destinations, in edge order.
    const succIndex = (this.succIndex = reuseU32(this.succIndex, 2 * n));
    succIndex.fill(0, 0, 2 * n);
    const succData = (this.succData = reuseU32(this.succData, m));
    let s = 0;
    let blockFirst = 0;
    for (let k = 0; k < m; k++) {
      const b = edgeFrom[k];
      if (k === 0 || edgeFrom[k - 1] !== b) {
        blockFirst = k;
        succIndex[2 * b] = s;
      }
      let seen = false;
      for (let j = blockFirst; j < k; j++) {
        if (edgeTo[j] === edgeTo[k]) {
          seen = true;
          break;
        }
      }
      if (!seen) {
        succData[s++] = edgeTo[k];
        succIndex[2 * b + 1]++;
      }
    }
    // Predecessors: a counting sort of the edges by destination keeps
    // layout order within each destination.
    const predStart = (this.predStart = reuseU32(this.predStart, n + 1));
    predStart.fill(0, 0, n + 1);
    for (let k = 0; k < m; k++) predStart[edgeTo[k] + 1]++;
    for (let b = 0; b < n; b++) predStart[b + 1] += predStart[b];
    const predBlockData = (this.predBlockData = reuseU32(this.predBlockData, m));
    const predInstData = (this.predInstData = reuseU32(this.predInstData, m));
    for (let k = 0; k < m; k++) {
      // predStart[d] serves as d's fill cursor, then is restored below.
      const at = predStart[edgeTo[k]]++;
      predBlockData[at] = edgeFrom[k];
      predInstData[at] = edgeInst[k];
    }
    for (let b = n; b > 0; b--) predStart[b] = predStart[b - 1];
    predStart[0] = 0;
    this.n = n;
    this.predLists = undefined;
    this.succLists = undefined;
    this.valid = true;
  }

  isValid(): boolean {
    return this.valid;
  }
  numBlocks(): number {
    return this.n;
  }
  /** Number of predecessor entries of `b` (0 for blocks the CFG does not cover). */
  numPreds(b: Block): number {
    return b < this.n ? this.predStart[b + 1] - this.predStart[b] : 0;
  }
  /** The block of predecessor entry `i` of `b`. */
  predBlock(b: Block, i: number): Block {
    return this.predBlockData[this.predStart[b] + i] as Block;
  }
  /** The branch instruction of predecessor entry `i` of `b`. */
  predInst(b: Block, i: number): Inst {
    return this.predInstData[this.predStart[b] + i] as Inst;
  }
  /** Number of successors of `b`. */
  numSuccs(b: Block): number {
    return b < this.n ? this.succIndex[2 * b + 1] : 0;
  }
  /** Successor `i` of `b`. */
  succ(b: Block, i: number): Block {
    return this.succData[this.succIndex[2 * b] + i] as Block;
  }
  preds(b: Block): readonly BlockPredecessor[] {
    if (b >= this.n) return NO_PREDS;
    const lists = (this.predLists ??= []);
    let list = lists[b];
    if (list === undefined) {
      list = [];
      const n = this.numPreds(b);
      for (let i = 0; i < n; i++) list.push({ block: this.predBlock(b, i), inst: this.predInst(b, i) });
      while (lists.length < b) lists.push(undefined);
      lists[b] = list;
    }
    return list;
  }
  succs(b: Block): readonly Block[] {
    if (b >= this.n) return NO_SUCCS;
    const lists = (this.succLists ??= []);
    let list = lists[b];
    if (list === undefined) {
      list = [];
      const n = this.numSuccs(b);
      for (let i = 0; i < n; i++) list.push(this.succ(b, i));
      while (lists.length < b) lists.push(undefined);
      lists[b] = list;
    }
    return list;
  }
  /** Predecessor blocks (deduplicated). */
  predBlocks(b: Block): Block[] {
    const out: Block[] = [];
    const n = this.numPreds(b);
    for (let i = 0; i < n; i++) {
      const p = this.predBlock(b, i);
      if (!out.includes(p)) out.push(p);
    }
    return out;
  }
}

export { NONE };
