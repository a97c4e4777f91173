// Move resolution for the backtracking allocator. Owns the translation of
// bundle assignments into the output: each vreg's location at each point, the
// allocation of every operand, and the edits: moves between split pieces
// inside a block, moves on CFG edges (live-through values and block
// parameters), and the fixup copies of fixed, stack and reuse constraints.
// Moves at one (point, phase) form a parallel move, sequenced by
// parallel-moves.ts; the last pass, which allocates the operands, also drops
// moves whose destination already holds the moved value (redundant-move
// elimination).
//
// Phases at one point, in order: before(i): edge-in moves (block start), split
// moves, edge-out moves (end of a single-successor block), fixup copies;
// after(i): def fixup copies.
//
// Working tables are typed arrays from the run's context; only the returned
// `allocs` and the surviving `Edit` objects are allocated per run.
//
// Post-invariant: running the client's program with these allocations and
// edits computes what the virtual-register program computes (the checker
// verifies exactly this).

import { BUF, growI32 } from '../context.js';
import { ALLOC_NONE, type Edit, type ProgPoint } from '../index.js';
import { ParallelMoves, type MoveSink } from '../parallel-moves.js';
import { CONSTRAINT_FIXED, CONSTRAINT_REUSE, CONSTRAINT_STACK, FLAG_REUSE, outputArrays } from '../validate.js';
import { FX_DEF_FIXED, FX_DEF_STACK, FX_REUSE, FX_USE_FIXED, FX_USE_STACK, SPILLED, type IonState } from './state.js';

const REG = 1 << 29;
const STACK = 2 << 29;

const PH_EDGE_IN = 0;
const PH_SPLIT = 1;
const PH_EDGE_OUT = 2;
const PH_FIXUP = 3;

export interface ResolvedOutput {
  allocs: Uint32Array;
  /** The output's `instAllocOffsets`. */
  offsets: Uint32Array;
  edits: Edit[];
  /** Per-vreg pieces, for debug locations (context memory: read before the next run). */
  pieceOff: Int32Array;
  pieceFrom: Int32Array;
  pieceTo: Int32Array;
  pieceAlloc: Int32Array;
}

/**
 * Each vreg's pieces (live ranges with their final location), sorted by
 * start: read off each vreg's range list (`IonState.lrNext`), which splits
 * keep in order, so nothing is sorted here.
 */
class Pieces {
  off!: Int32Array;
  from!: Int32Array;
  to!: Int32Array;
  alloc!: Int32Array;
  /** Per vreg: the piece `locFwd` last found (see there). */
  cursor!: Int32Array;
  /** Per vreg: 1 if its pieces are not all in one location. */
  mixed!: Uint8Array;
  private nv = 0;

  build(s: IonState): void {
    const ctx = s.ctx;
    const nv = s.f.numVregs;
    const nr = s.nLr;
    const off = ctx.i32(BUF.mvPieceOff, nv + 1);
    const from = ctx.i32(BUF.mvPieceFrom, nr);
    const to = ctx.i32(BUF.mvPieceTo, nr);
    const alloc = ctx.i32(BUF.mvPieceAlloc, nr);
    const lrFrom = s.lrFrom;
    const lrTo = s.lrTo;
    const lrNext = s.lrNext;
    const lrBundle = s.lrBundle;
    const bAlloc = s.bAlloc;
    const first = s.vregFirst;
    const mixed = ctx.u8(BUF.mvMixed, nv);
    // Each vreg's ranges in order, by walking its list (see `IonState.lrNext`).
    let x = 0;
    for (let v = 0; v < nv; v++) {
      off[v] = x;
      let m = 0;
      for (let r = first[v]; r >= 0; r = lrNext[r]) {
        from[x] = lrFrom[r];
        to[x] = lrTo[r];
        const b = lrBundle[r];
        const a = bAlloc[b];
        const loc = a === SPILLED ? STACK | s.ssSlot[s.bSpillset[b]] : REG | a;
        if (x > off[v] && loc !== alloc[x - 1]) m = 1;
        alloc[x++] = loc;
      }
      mixed[v] = m;
    }
    off[nv] = x;
    this.mixed = mixed;
    this.off = off;
    this.from = from;
    this.to = to;
    this.alloc = alloc;
    this.nv = nv;
    this.cursor = ctx.i32(BUF.mvCursor, nv);
  }

  /** Puts every vreg's cursor on its first piece. */
  resetCursors(): void {
    const off = this.off;
    const cursor = this.cursor;
    for (let v = 0; v < this.nv; v++) cursor[v] = off[v];
  }

  /**
   * Where v is at pt, for queries that visit points in increasing order per
   * vreg: a cursor per vreg replaces a search per query.
   */
  locFwd(v: number, pt: number): number {
    const cursor = this.cursor;
    const to = this.to;
    let x = cursor[v];
    const end = this.off[v + 1];
    while (x < end && to[x] <= pt) x++;
    if (x < end && this.from[x] <= pt) {
      cursor[v] = x;
      return this.alloc[x];
    }
    // Not covered ahead of the cursor (an earlier point of the same instruction).
    return this.at(v, pt);
  }

  /** Where v is at point pt, or ALLOC_NONE. */
  at(v: number, pt: number): number {
    let lo = this.off[v];
    let hi = this.off[v + 1];
    if (hi - lo === 1) return this.from[lo] <= pt && pt < this.to[lo] ? this.alloc[lo] : ALLOC_NONE;
    const end = hi;
    const to = this.to;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (to[mid] <= pt) lo = mid + 1;
      else hi = mid;
    }
    if (lo < end && this.from[lo] <= pt) return this.alloc[lo];
    return ALLOC_NONE;
  }
}

/** Collected moves: (key = point * 4 + phase, from, to, class). */
class MoveList {
  n = 0;
  key: Int32Array = new Int32Array(64);
  from: Int32Array = new Int32Array(64);
  to: Int32Array = new Int32Array(64);
  cls: Int32Array = new Int32Array(64);
  begin(): void {
    this.n = 0;
  }
  add(point: number, phase: number, from: number, to: number, cls: number): void {
    if (from === to || from === ALLOC_NONE || to === ALLOC_NONE) return;
    const m = this.n;
    if (m === this.key.length) {
      this.key = growI32(this.key, m + 1);
      this.from = growI32(this.from, m + 1);
      this.to = growI32(this.to, m + 1);
      this.cls = growI32(this.cls, m + 1);
    }
    this.key[m] = point * 4 + phase;
    this.from[m] = from;
    this.to[m] = to;
    this.cls[m] = cls;
    this.n = m + 1;
  }
}

/** Sequenced edits as parallel arrays (point, from, to), in output order. */
class EditList implements MoveSink {
  n = 0;
  point: Int32Array = new Int32Array(64);
  from: Int32Array = new Int32Array(64);
  to: Int32Array = new Int32Array(64);
  /** Point of the edits being emitted. */
  cur = 0;
  begin(): void {
    this.n = 0;
  }
  push(from: number, to: number): void {
    const e = this.n;
    if (e === this.point.length) {
      this.point = growI32(this.point, e + 1);
      this.from = growI32(this.from, e + 1);
      this.to = growI32(this.to, e + 1);
    }
    this.point[e] = this.cur;
    this.from[e] = from;
    this.to[e] = to;
    this.n = e + 1;
  }
}

/**
 * One per context (beside its IonState): the working objects of move
 * resolution, reset by each `resolve`.
 */
export class Resolver {
  private readonly pieces = new Pieces();
  private readonly mv = new MoveList();
  private readonly edits = new EditList();
  private readonly pm = new ParallelMoves();

  resolve(s: IonState): ResolvedOutput {
    return resolveWith(s, this.pieces, this.mv, this.edits, this.pm);
  }
}

function spillSlotOf(s: IonState, v: number): number {
  return STACK | s.ssSlot[s.vregSpillset[v]];
}

function resolveWith(s: IonState, pieces: Pieces, mv: MoveList, edits: EditList, pm: ParallelMoves): ResolvedOutput {
  const f = s.f;
  const nv = f.numVregs;
  pieces.build(s);
  mv.begin();
  edits.begin();
  pm.begin(s.env, s);
  const pOff = pieces.off;
  const pFrom = pieces.from;
  const pTo = pieces.to;
  const pAlloc = pieces.alloc;

  // Hoisted: the loops below call methods, after which fields are read again.
  const mixed = pieces.mixed;
  const vregCls = f.vregCls;
  const blockFirst = f.blockFirst;
  const blockEnd = f.blockEnd;
  const instBlock = f.instBlock;
  const succOff = f.succOff;
  const succs = f.succs;
  const argOff = f.argOff;
  const args = f.args;
  const paramOff = f.paramOff;
  const params = f.params;
  const noRange = s.noRange;

  // ---- Split moves: consecutive pieces of one vreg inside a block ----
  for (let v = 0; v < nv; v++) {
    if (mixed[v] === 0) continue;
    for (let x = pOff[v]; x + 1 < pOff[v + 1]; x++) {
      const at = pFrom[x + 1];
      if (pTo[x] !== at || pAlloc[x] === pAlloc[x + 1]) continue;
      if ((at & 1) === 0 && blockFirst[instBlock[at >> 1]] === at >> 1) continue;
      mv.add(at, PH_SPLIT, pAlloc[x], pAlloc[x + 1], vregCls[v]);
    }
  }

  // ---- Edge moves: live-in values and block parameters ----
  // Live-in (block, vreg) pairs grouped by block (a stable counting sort),
  // only of vregs whose pieces are not all in one place: any other is in the
  // same place on both sides of every edge (live into a block, it is live out
  // of each predecessor).
  const nb = f.numBlocks;
  const ctx = s.ctx;
  const liBlock = s.liBlock;
  const liVreg = s.liVreg;
  const liOff = ctx.filledI32(BUF.mvLiOff, nb + 1, 0);
  let nLi = 0;
  for (let k = 0; k < s.nLi; k++)
    if (mixed[liVreg[k]] === 1) {
      liOff[liBlock[k] + 1]++;
      nLi++;
    }
  for (let b = 0; b < nb; b++) liOff[b + 1] += liOff[b];
  const liFill = ctx.i32(BUF.mvLiFill, nb);
  for (let b = 0; b < nb; b++) liFill[b] = liOff[b];
  const liV = ctx.i32(BUF.mvLiV, nLi);
  for (let k = 0; k < s.nLi; k++) if (mixed[liVreg[k]] === 1) liV[liFill[liBlock[k]]++] = liVreg[k];
  // Per live-in: the piece holding it at its block's start. Blocks are visited
  // in order, so a cursor per vreg finds it moving forward only.
  const cursor = pieces.cursor;
  pieces.resetCursors();
  const liIn = ctx.i32(BUF.mvLiIn, nLi);
  for (let b = 0; b < nb; b++) {
    const bStart = 2 * blockFirst[b];
    for (let k = liOff[b]; k < liOff[b + 1]; k++) {
      const v = liV[k];
      let x = cursor[v];
      const end = pOff[v + 1];
      while (x < end && pTo[x] <= bStart) x++;
      cursor[v] = x;
      liIn[k] = x < end && pFrom[x] <= bStart ? x : -1;
    }
  }
  // Edges are visited by predecessor in layout order, so the points queried
  // at predecessor ends increase and the same per-vreg cursors (reset) find
  // each value's outgoing piece moving forward only. Each edge is its own
  // parallel group (there are no critical edges: a multi-successor block's
  // successors have it as their only predecessor), and inside a group the
  // moves keep their order (live-ins of the successor, then its parameters).
  pieces.resetCursors();
  for (let p = 0; p < nb; p++) {
    const pEnd = 2 * blockEnd[p] - 1;
    const single = succOff[p + 1] - succOff[p] === 1;
    const phase = single ? PH_EDGE_OUT : PH_EDGE_IN;
    for (let j = succOff[p]; j < succOff[p + 1]; j++) {
      const b = succs[j];
      const bStart = 2 * blockFirst[b];
      const point = single ? 2 * (blockEnd[p] - 1) : bStart;
      for (let k = liOff[b]; k < liOff[b + 1]; k++) {
        const v = liV[k];
        const end = pOff[v + 1];
        const xIn = liIn[k];
        let x = cursor[v];
        while (x < end && pTo[x] <= pEnd) x++;
        cursor[v] = x;
        const out = x < end && pFrom[x] <= pEnd ? pAlloc[x] : ALLOC_NONE;
        const into = xIn >= 0 ? pAlloc[xIn] : ALLOC_NONE;
        if (out !== into) mv.add(point, phase, out, into, vregCls[v]);
      }
      for (let k = argOff[j], q = paramOff[b]; k < argOff[j + 1]; k++, q++) {
        const a = args[k];
        const prm = params[q];
        if (noRange[prm] === 1 || pOff[prm + 1] === pOff[prm]) continue;
        mv.add(point, phase, pieces.at(a, pEnd), pieces.at(prm, bStart), vregCls[prm]);
      }
    }
  }

  // ---- Fixup copies ----
  // Fixups and operands are visited in instruction order, so each vreg's
  // queries move forward through its pieces (`locFwd`).
  pieces.resetCursors();
  const fxInst = s.fxInst;
  const fxVreg = s.fxVreg;
  const fxKind = s.fxKind;
  const fxPreg = s.fxPreg;
  const defStart = s.defStart;
  for (let x = 0; x < s.nFx; x++) {
    const i = fxInst[x];
    const v = fxVreg[x];
    const cls = vregCls[v];
    switch (fxKind[x]) {
      case FX_USE_FIXED:
        mv.add(2 * i, PH_FIXUP, pieces.locFwd(v, 2 * i), REG | fxPreg[x], cls);
        break;
      case FX_USE_STACK:
        mv.add(2 * i, PH_FIXUP, pieces.locFwd(v, 2 * i), spillSlotOf(s, v), cls);
        break;
      case FX_REUSE:
        mv.add(2 * i, PH_FIXUP, pieces.locFwd(fxPreg[x], 2 * i), pieces.locFwd(v, 2 * i + 1), cls);
        break;
      case FX_DEF_FIXED:
        if (noRange[v] === 0) mv.add(2 * i + 1, 0, REG | fxPreg[x], pieces.locFwd(v, defStart[v]), cls);
        break;
      case FX_DEF_STACK:
        mv.add(2 * i + 1, 0, spillSlotOf(s, v), pieces.locFwd(v, defStart[v]), cls);
        break;
    }
  }

  // ---- Sequence each parallel group ----
  // A stable sort of the moves by (point, phase) keeps insertion order inside
  // each group.
  const nm = mv.n;
  const mKey = mv.key;
  const mFrom = mv.from;
  const mTo = mv.to;
  const mCls = mv.cls;
  const order = sortByKey(s, mKey, nm);
  // Sequenced moves stay packed until redundant-move elimination has dropped
  // what it can; only the survivors become `Edit` objects.
  let k = 0;
  while (k < nm) {
    const m0 = order[k];
    const key = mKey[m0];
    edits.cur = key >> 2;
    if (k + 1 === nm || mKey[order[k + 1]] !== key) {
      // A group of one move needs no sequencing.
      pm.emitSingle(mFrom[m0], mTo[m0], mCls[m0], edits);
      k++;
      continue;
    }
    while (k < nm) {
      const m = order[k];
      if (mKey[m] !== key) break;
      pm.add(mFrom[m], mTo[m], mCls[m]);
      k++;
    }
    pm.resolve(edits);
  }

  // ---- Operand allocations and redundant-move elimination ----
  const { allocs, offsets } = outputArrays(f);
  const out = allocateOperands(s, pieces, allocs, edits);
  return { allocs, offsets, edits: out, pieceOff: pOff, pieceFrom: pFrom, pieceTo: pTo, pieceAlloc: pAlloc };
}

/**
 * Indices 0..n-1 sorted stably by `key` (non-negative): an LSD radix sort,
 * with as many passes as 11-bit digits of the largest key would take.
 */
function sortByKey(s: IonState, key: Int32Array, n: number): Int32Array {
  const ctx = s.ctx;
  let a = ctx.i32(BUF.mvSortA, n);
  let b = ctx.i32(BUF.mvSortB, n);
  for (let m = 0; m < n; m++) a[m] = m;
  if (n <= 64) {
    // Few moves (small functions): a stable insertion sort beats the radix passes.
    for (let m = 1; m < n; m++) {
      const x = a[m];
      const kx = key[x];
      let y = m - 1;
      while (y >= 0 && key[a[y]] > kx) {
        a[y + 1] = a[y];
        y--;
      }
      a[y + 1] = x;
    }
    return a;
  }
  let max = 0;
  for (let m = 0; m < n; m++) if (key[m] > max) max = key[m];
  // As many passes as 11-bit digits would take, with the key's bits spread
  // evenly over them: fewer buckets to clear and sum than 2048 per pass.
  const bits = 32 - Math.clz32(max);
  const passes = Math.max(1, Math.ceil(bits / 11));
  const digit = Math.max(1, Math.ceil(bits / passes));
  const buckets = 1 << digit;
  const mask = buckets - 1;
  const count = ctx.i32(BUF.mvSortCount, 2048);
  for (let pass = 0, shift = 0; pass < passes; pass++, shift += digit) {
    count.fill(0, 0, buckets);
    for (let m = 0; m < n; m++) count[(key[a[m]] >>> shift) & mask]++;
    let sum = 0;
    for (let d = 0; d < buckets; d++) {
      const c = count[d];
      count[d] = sum;
      sum += c;
    }
    for (let m = 0; m < n; m++) {
      const x = a[m];
      b[count[(key[x] >>> shift) & mask]++] = x;
    }
    const t = a;
    a = b;
    b = t;
  }
  return a;
}

/** Index of a location in the tables of `allocateOperands`: registers 0..191, stack slots 192 + slot. */
function locIndex(loc: number): number {
  return loc >>> 29 === 2 ? 192 + (loc & 0x1fffffff) : loc & 0x1fffffff;
}

/**
 * Fills `allocs`, every operand's location, and returns the sequenced edits
 * as `Edit`s, minus those whose destination already holds the moved value.
 * One pass over the blocks and their instructions does both, since both go
 * in instruction order: operands are looked up with the per-vreg cursors
 * (`locFwd`).
 *
 * Redundant moves: per block, which value each location holds is tracked
 * (values are named by their source location at the move, so only copies of
 * copies are recognised); state is reset at block starts, since predecessors
 * may disagree. Instructions only give locations fresh values, so a move
 * is redundant only if it is when values are tracked through the moves
 * alone; blocks without such a move (most) keep all their moves without
 * tracking what their instructions write.
 */
function allocateOperands(s: IonState, pieces: Pieces, allocs: Uint32Array, edits: EditList): Edit[] {
  const f = s.f;
  const ne = edits.n;
  // Per edit: 1 if redundant.
  const drop = s.ctx.filledU8(BUF.mvDrop, ne, 0);
  const ePoint = edits.point;
  const eFrom = edits.from;
  const eTo = edits.to;
  const pOff = pieces.off;
  const pFrom = pieces.from;
  const pTo = pieces.to;
  const pAlloc = pieces.alloc;
  const opOff = f.opOff;
  const opVreg = f.opVreg;
  const opCons = f.opCons;
  const opPos = f.opPos;
  const opKind = f.opKind;
  const instFlags = f.instFlags;
  const vregCls = f.vregCls;
  const clobOff = f.clobOff;
  const clobs = f.clobs;
  const blockFirst = f.blockFirst;
  const blockEnd = f.blockEnd;
  // Location -> symbolic value id (a fresh number per write), valid where the
  // location's stamp is the current block's. Registers index 0..191, stack
  // slots 192 + slot. Stamps are base + block (see `takeStamps`), so the
  // tables need no clearing.
  const nLoc = 192 + s.numSlots;
  const content = s.ctx.i32(BUF.mvContent, nLoc);
  const stamp = s.ctx.stampMarks(BUF.mvStamp, nLoc);
  // The same for the first pass (see below), which tracks moves only.
  const moved = s.ctx.i32(BUF.mvMoved, nLoc);
  const touched = s.ctx.stampMarks(BUF.mvTouched, nLoc);
  const base = s.ctx.takeStamps(f.numBlocks);
  let nextId = 1;
  let e = 0;
  pieces.resetCursors();
  for (let blk = 0; blk < f.numBlocks; blk++) {
    const b = base + blk;
    const bEnd = blockEnd[blk];
    // The block's edits are [e, e1). A first pass tracks values through the
    // moves alone: an instruction's write only gives a location a fresh
    // value, so a move this finds no redundant move for is kept by the full
    // tracking too.
    let e1 = e;
    // One past the last edit the first pass finds redundant (e: none).
    let eTrack = e;
    for (; e1 < ne && ePoint[e1] < 2 * bEnd; e1++) {
      const fx = locIndex(eFrom[e1]);
      const tx = locIndex(eTo[e1]);
      if (touched[fx] !== b) {
        touched[fx] = b;
        moved[fx] = nextId++;
      }
      const vs = moved[fx];
      if (touched[tx] === b && moved[tx] === vs) eTrack = e1 + 1;
      touched[tx] = b;
      moved[tx] = vs;
    }
    // Tracking runs from the block's first edit to the last that may be
    // redundant: before the first, every location holds a value no move has
    // copied yet, which is what an unstamped location stands for too; the
    // edits after the last are kept (below).
    const iFirst = e < eTrack ? ePoint[e] >> 1 : bEnd;
    for (let i = blockFirst[blk]; i < bEnd; i++) {
      const o0 = opOff[i];
      const o1 = opOff[i + 1];
      for (let k = o0; k < o1; k++) {
        const v = opVreg[k];
        const c = opCons[k];
        const tag = c & 0xc0;
        let a: number;
        if (tag === CONSTRAINT_FIXED) a = REG | (vregCls[v] * 64 + (c & 63));
        else if (c === CONSTRAINT_STACK) a = spillSlotOf(s, v);
        else {
          const pt = tag === CONSTRAINT_REUSE ? 2 * i + 1 : 2 * i + opPos[k];
          // A vreg in one piece (most) is there wherever it is live.
          const x = pOff[v];
          if (pOff[v + 1] - x === 1 && pFrom[x] <= pt && pt < pTo[x]) a = pAlloc[x];
          else a = pieces.locFwd(v, pt);
        }
        allocs[k] = a;
      }
      // Reused inputs report the def's register.
      if ((instFlags[i] & FLAG_REUSE) !== 0)
        for (let k = o0; k < o1; k++) {
          const c = opCons[k];
          if ((c & 0xc0) === CONSTRAINT_REUSE) allocs[o0 + (c & 63)] = allocs[k];
        }
      if (i < iFirst || e === eTrack) continue;
      for (let pass = 0; pass < 2; pass++) {
        const pt = 2 * i + pass;
        while (e < eTrack && ePoint[e] === pt) {
          const from = eFrom[e];
          const to = eTo[e];
          const fx = locIndex(from);
          if (stamp[fx] !== b) {
            stamp[fx] = b;
            content[fx] = nextId++;
          }
          const vs = content[fx];
          const tx = locIndex(to);
          if (stamp[tx] === b && content[tx] === vs) drop[e] = 1;
          else {
            stamp[tx] = b;
            content[tx] = vs;
          }
          e++;
        }
        if (pass === 1) break;
        // The instruction writes its defs and clobbers: their old contents are gone.
        for (let k = o0; k < o1; k++) {
          if (opKind[k] !== 1 || allocs[k] === ALLOC_NONE) continue;
          const ix = locIndex(allocs[k]);
          stamp[ix] = b;
          content[ix] = nextId++;
        }
        for (let k = clobOff[i]; k < clobOff[i + 1]; k++) {
          const ix = clobs[k];
          stamp[ix] = b;
          content[ix] = nextId++;
        }
      }
    }
    e = e1;
  }
  // The surviving edits, as the output's objects.
  const out: Edit[] = [];
  for (let k = 0; k < ne; k++) if (drop[k] === 0) out.push({ point: ePoint[k] as ProgPoint, from: eFrom[k] as Edit['from'], to: eTo[k] as Edit['to'] });
  return out;
}
