// Block lowering order: which machine blocks exist and in what order. Every
// reachable CLIF block becomes one machine block, in reverse postorder with
// cold blocks moved to the end; every critical edge (from a block with
// several successors to a block with several predecessors, counted per
// edge, so duplicate destinations are separate edges) gets its own edge
// block, placed right after its source.
//
// Invariants: machine block 0 is the CLIF entry block; a machine block's
// index is its position in the order; no machine edge is critical; each
// edge block has exactly one predecessor and one successor.
//
// Memory: all tables are typed arrays that `compute` refills, growing them
// only when a function needs more room, so one order serves many functions
// (see context.ts). Arrays may be longer than the function needs: read them
// below `numBlocks` (per machine block), `succStart[numBlocks]` (per edge)
// and the CLIF block count (`loweredIndex`).

import type { Block, Function, Inst } from '@clift/ir';
import { NONE } from '@clift/ir';
import { grow } from './grow.js';

/** `a` if it holds `n` entries, else a larger array (contents not kept). */
function need(a: Int32Array<ArrayBuffer>, n: number): Int32Array<ArrayBuffer> {
  return a.length >= n ? a : new Int32Array(Math.max(n, a.length * 2));
}

export class BlockLoweringOrder {
  /** Per machine block: the CLIF block, or NONE for an edge block. */
  irBlock = new Int32Array(16);
  /** Per edge block: its CLIF source, destination and successor index; -1 for CLIF blocks. */
  edgeFrom = new Int32Array(16);
  edgeTo = new Int32Array(16);
  edgeSucc = new Int32Array(16);
  /** Per CLIF block: its machine block, or -1 when unreachable. */
  loweredIndex = new Int32Array(16);
  /** Successors of each machine block (machine indices), with offsets. */
  succStart = new Int32Array(17);
  succs = new Int32Array(16);
  predStart = new Int32Array(17);
  preds = new Int32Array(16);
  numBlocks = 0;

  // Scratch, per CLIF block: successor lists (flattened), predecessor counts, DFS state.
  private irSuccAt = new Int32Array(16);
  private irSuccCount = new Int32Array(16);
  private irSuccs = new Int32Array(16);
  private predCount = new Int32Array(16);
  private visitState = new Int32Array(16);
  private stackBlock = new Int32Array(16);
  private stackNext = new Int32Array(16);
  private rpo = new Int32Array(16);
  /** Per CLIF successor slot: its edge block, or -1. */
  private edgeOfSlot = new Int32Array(16);

  constructor(func?: Function) {
    if (func !== undefined) this.compute(func);
  }

  /** Recomputes the order for `func`. */
  compute(func: Function): void {
    const dfg = func.dfg;
    const layout = func.layout;
    const nIr = dfg.numBlocks();
    const entry = layout.entryBlock();

    // CLIF successors of every block in the layout: block b's are
    // irSuccs[irSuccAt[b] .. irSuccAt[b] + irSuccCount[b]).
    this.irSuccAt = need(this.irSuccAt, nIr);
    this.irSuccCount = need(this.irSuccCount, nIr);
    const irSuccAt = this.irSuccAt;
    const irSuccCount = this.irSuccCount;
    irSuccCount.fill(0, 0, nIr);
    let nSlots = 0;
    for (let b = layout.firstBlock(); b !== (NONE as Block); b = layout.nextBlock(b)) {
      const term = layout.lastInst(b);
      irSuccAt[b] = nSlots;
      if (term === (NONE as Inst)) continue;
      const dests = dfg.branchDestinations(term);
      this.irSuccs = grow(this.irSuccs, nSlots + dests.length);
      for (const bc of dests) this.irSuccs[nSlots++] = dfg.blockCallBlock(bc);
      irSuccCount[b] = dests.length;
    }
    const irSuccs = this.irSuccs;

    // Reverse postorder from the entry (iterative DFS). Successors are
    // visited last-first so that reverse postorder lays out the first
    // successor (brif's `then` block) first.
    this.visitState = need(this.visitState, nIr);
    this.stackBlock = need(this.stackBlock, nIr);
    this.stackNext = need(this.stackNext, nIr);
    this.rpo = need(this.rpo, nIr);
    const visited = this.visitState;
    visited.fill(0, 0, nIr);
    const stackBlock = this.stackBlock;
    const stackNext = this.stackNext;
    const post = this.rpo;
    let nPost = 0;
    if (entry !== undefined) {
      stackBlock[0] = entry;
      stackNext[0] = 0;
      let sp = 1;
      visited[entry] = 1;
      while (sp > 0) {
        const top = stackBlock[sp - 1];
        const first = irSuccAt[top];
        const count = irSuccCount[top];
        const k = stackNext[sp - 1];
        if (k < count) {
          stackNext[sp - 1] = k + 1;
          const s = irSuccs[first + count - 1 - k];
          if (visited[s] === 0) {
            visited[s] = 1;
            stackBlock[sp] = s;
            stackNext[sp] = 0;
            sp++;
          }
        } else {
          post[nPost++] = top;
          sp--;
        }
      }
    }
    // Predecessor counts over reachable blocks (edges from unreachable blocks do not count).
    this.predCount = need(this.predCount, nIr);
    const predCount = this.predCount;
    predCount.fill(0, 0, nIr);
    for (let i = 0; i < nPost; i++) {
      const b = post[i];
      for (let k = irSuccAt[b]; k < irSuccAt[b] + irSuccCount[b]; k++) predCount[irSuccs[k]]++;
    }

    // Machine blocks: hot blocks in RPO (the entry always first), then cold
    // ones; edge blocks right after their source. Count first, then fill.
    let n = 0;
    for (let i = 0; i < nPost; i++) {
      const b = post[i];
      n++;
      if (irSuccCount[b] > 1) for (let k = irSuccAt[b]; k < irSuccAt[b] + irSuccCount[b]; k++) if (predCount[irSuccs[k]] > 1) n++;
    }
    this.irBlock = need(this.irBlock, n);
    this.edgeFrom = need(this.edgeFrom, n);
    this.edgeTo = need(this.edgeTo, n);
    this.edgeSucc = need(this.edgeSucc, n);
    this.loweredIndex = need(this.loweredIndex, nIr);
    this.edgeOfSlot = need(this.edgeOfSlot, nSlots);
    const { irBlock, edgeFrom, edgeTo, edgeSucc, loweredIndex, edgeOfSlot } = this;
    loweredIndex.fill(-1, 0, nIr);
    edgeOfSlot.fill(-1, 0, nSlots);
    let m = 0;
    const place = (b: number): void => {
      loweredIndex[b] = m;
      irBlock[m] = b;
      edgeFrom[m] = -1;
      edgeTo[m] = -1;
      edgeSucc[m] = -1;
      m++;
      const first = irSuccAt[b];
      const count = irSuccCount[b];
      if (count > 1)
        for (let k = 0; k < count; k++) {
          const s = irSuccs[first + k];
          if (predCount[s] > 1) {
            irBlock[m] = NONE;
            edgeFrom[m] = b;
            edgeTo[m] = s;
            edgeSucc[m] = k;
            edgeOfSlot[first + k] = m;
            m++;
          }
        }
    };
    // `post` holds the postorder: walk it backward for reverse postorder.
    for (let i = nPost - 1; i >= 0; i--) {
      const b = post[i];
      if (i === nPost - 1 || !layout.isCold(b as Block)) place(b);
    }
    for (let i = nPost - 2; i >= 0; i--) {
      const b = post[i];
      if (layout.isCold(b as Block)) place(b);
    }
    this.numBlocks = n;

    // Machine successors: a CLIF block's k-th successor is the edge block for (b, k) if any.
    this.succStart = need(this.succStart, n + 1);
    this.predStart = need(this.predStart, n + 1);
    const succStart = this.succStart;
    const predStart = this.predStart;
    let ns = 0;
    for (let i = 0; i < n; i++) {
      succStart[i] = ns;
      ns += edgeFrom[i] >= 0 ? 1 : irSuccCount[irBlock[i]];
    }
    succStart[n] = ns;
    this.succs = need(this.succs, ns);
    this.preds = need(this.preds, ns);
    const succs = this.succs;
    const preds = this.preds;
    predStart.fill(0, 0, n + 1);
    for (let i = 0; i < n; i++) {
      let at = succStart[i];
      if (edgeFrom[i] >= 0) succs[at] = loweredIndex[edgeTo[i]];
      else {
        const b = irBlock[i];
        for (let k = irSuccAt[b]; k < irSuccAt[b] + irSuccCount[b]; k++) {
          const e = edgeOfSlot[k];
          succs[at++] = e >= 0 ? e : loweredIndex[irSuccs[k]];
        }
      }
    }
    // Predecessors, in order of their source block (counting sort by target).
    for (let k = 0; k < ns; k++) predStart[succs[k] + 1]++;
    for (let i = 0; i < n; i++) predStart[i + 1] += predStart[i];
    const fillAt = this.stackNext.length >= n ? this.stackNext : (this.stackNext = new Int32Array(n));
    for (let i = 0; i < n; i++) fillAt[i] = predStart[i];
    for (let i = 0; i < n; i++) for (let k = succStart[i]; k < succStart[i + 1]; k++) preds[fillAt[succs[k]]++] = i;
  }

  blockSuccs(b: number): Int32Array {
    return this.succs.subarray(this.succStart[b], this.succStart[b + 1]);
  }
  blockPreds(b: number): Int32Array {
    return this.preds.subarray(this.predStart[b], this.predStart[b + 1]);
  }
  isEdge(b: number): boolean {
    return this.edgeFrom[b] >= 0;
  }
}
