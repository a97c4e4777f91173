// Move resolution for the backtracking allocator. Owns the translation of
// bundle assignments into the output: each vreg's location at each point, the
// allocation of every operand, and the edits: moves between split pieces
// inside a block, moves on CFG edges (live-through values and block
// parameters), and the fixup copies of fixed, stack and reuse constraints.
// Moves at one (point, phase) form a parallel move, sequenced by
// parallel-moves.ts; a final pass drops moves whose destination already holds
// the moved value (redundant-move elimination).
//
// Phases at one point, in order: before(i): edge-in moves (block start), split
// moves, edge-out moves (end of a single-successor block), fixup copies;
// after(i): def fixup copies.
//
// Post-invariant: running the client's program with these allocations and
// edits computes what the virtual-register program computes (the checker
// verifies exactly this).

import { ALLOC_NONE, type Edit, type ProgPoint } from '../index.js';
import { ParallelMoves } from '../parallel-moves.js';
import { CONSTRAINT_FIXED, CONSTRAINT_REUSE, CONSTRAINT_STACK } from '../validate.js';
import { allocSlot } from './process.js';
import { FX_DEF_FIXED, FX_DEF_STACK, FX_REUSE, FX_USE_FIXED, FX_USE_STACK, SPILLED, type IonState } from './state.js';

const REG = 1 << 29;
const STACK = 2 << 29;

const PH_EDGE_IN = 0;
const PH_SPLIT = 1;
const PH_EDGE_OUT = 2;
const PH_FIXUP = 3;

/** Edits as parallel arrays (point, from, to), in output order. */
interface PackedEdits {
  point: number[];
  from: number[];
  to: number[];
}

export interface ResolvedOutput {
  allocs: Uint32Array;
  edits: Edit[];
  /** Per-vreg pieces, for debug locations. */
  pieceOff: Int32Array;
  pieceFrom: Int32Array;
  pieceTo: Int32Array;
  pieceAlloc: Int32Array;
}

export function resolve(s: IonState): ResolvedOutput {
  const f = s.f;
  const nv = f.numVregs;
  const nr = s.lrFrom.length;

  // ---- Pieces per vreg, sorted by start ----
  const bundleAlloc = (b: number): number => {
    const a = s.bAlloc[b];
    if (a === SPILLED) return STACK | s.ssSlot[s.bSpillset[b]];
    return REG | a;
  };
  const pieceOff = new Int32Array(nv + 1);
  for (let r = 0; r < nr; r++) pieceOff[s.lrVreg[r] + 1]++;
  for (let v = 0; v < nv; v++) pieceOff[v + 1] += pieceOff[v];
  const fill = Int32Array.from(pieceOff.subarray(0, nv));
  const pieceFrom = new Int32Array(nr);
  const pieceTo = new Int32Array(nr);
  const pieceAlloc = new Int32Array(nr);
  for (let r = 0; r < nr; r++) {
    const x = fill[s.lrVreg[r]]++;
    pieceFrom[x] = s.lrFrom[r];
    pieceTo[x] = s.lrTo[r];
    pieceAlloc[x] = bundleAlloc(s.lrBundle[r]);
  }
  for (let v = 0; v < nv; v++) {
    const a = pieceOff[v];
    const e = pieceOff[v + 1];
    for (let x = a + 1; x < e; x++) {
      if (pieceFrom[x] >= pieceFrom[x - 1]) continue;
      const pf = pieceFrom[x], pt = pieceTo[x], pa = pieceAlloc[x];
      let y = x - 1;
      while (y >= a && pieceFrom[y] > pf) {
        pieceFrom[y + 1] = pieceFrom[y];
        pieceTo[y + 1] = pieceTo[y];
        pieceAlloc[y + 1] = pieceAlloc[y];
        y--;
      }
      pieceFrom[y + 1] = pf;
      pieceTo[y + 1] = pt;
      pieceAlloc[y + 1] = pa;
    }
  }
  const locAt = (v: number, pt: number): number => {
    let lo = pieceOff[v];
    let hi = pieceOff[v + 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pieceTo[mid] <= pt) lo = mid + 1;
      else hi = mid;
    }
    if (lo < pieceOff[v + 1] && pieceFrom[lo] <= pt) return pieceAlloc[lo];
    return ALLOC_NONE;
  };
  const slotOf = (v: number): number => STACK | s.ssSlot[s.vregSpillset[v]];

  // ---- Collect moves ----
  const mvKey: number[] = [];
  const mvFrom: number[] = [];
  const mvTo: number[] = [];
  const mvCls: number[] = [];
  const addMove = (point: number, phase: number, from: number, to: number, cls: number): void => {
    if (from === to || from === ALLOC_NONE || to === ALLOC_NONE) return;
    mvKey.push(point * 4 + phase);
    mvFrom.push(from);
    mvTo.push(to);
    mvCls.push(cls);
  };
  const isBlockStart = (pt: number): boolean => (pt & 1) === 0 && f.blockFirst[f.instBlock[pt >> 1]] === pt >> 1;
  for (let v = 0; v < nv; v++) {
    for (let x = pieceOff[v]; x + 1 < pieceOff[v + 1]; x++) {
      const at = pieceFrom[x + 1];
      if (pieceTo[x] !== at || pieceAlloc[x] === pieceAlloc[x + 1] || isBlockStart(at)) continue;
      addMove(at, PH_SPLIT, pieceAlloc[x], pieceAlloc[x + 1], f.vregCls[v]);
    }
  }
  // Live-in (block, vreg) pairs grouped by block.
  const nb = f.numBlocks;
  const liOff = new Int32Array(nb + 1);
  for (const b of s.liBlock) liOff[b + 1]++;
  for (let b = 0; b < nb; b++) liOff[b + 1] += liOff[b];
  const liFill = Int32Array.from(liOff.subarray(0, nb));
  const liV = new Int32Array(s.liBlock.length);
  for (let k = 0; k < s.liBlock.length; k++) liV[liFill[s.liBlock[k]]++] = s.liVreg[k];
  for (let b = 0; b < nb; b++) {
    const bStart = 2 * f.blockFirst[b];
    for (let pk = f.predOff[b]; pk < f.predOff[b + 1]; pk++) {
      const p = f.preds[pk];
      const pEnd = 2 * f.blockEnd[p] - 1;
      const single = f.succOff[p + 1] - f.succOff[p] === 1;
      const point = single ? 2 * (f.blockEnd[p] - 1) : bStart;
      const phase = single ? PH_EDGE_OUT : PH_EDGE_IN;
      for (let k = liOff[b]; k < liOff[b + 1]; k++) {
        const v = liV[k];
        addMove(point, phase, locAt(v, pEnd), locAt(v, bStart), f.vregCls[v]);
      }
      // Which successor index of p is b?
      for (let j = f.succOff[p]; j < f.succOff[p + 1]; j++) {
        if (f.succs[j] !== b) continue;
        for (let k = f.argOff[j], q = f.paramOff[b]; k < f.argOff[j + 1]; k++, q++) {
          const a = f.args[k];
          const prm = f.params[q];
          if (s.noRange[prm] === 1 || pieceOff[prm + 1] === pieceOff[prm]) continue;
          addMove(point, phase, locAt(a, pEnd), locAt(prm, bStart), f.vregCls[prm]);
        }
      }
    }
  }
  for (let x = 0; x < s.fxKind.length; x++) {
    const i = s.fxInst[x];
    const v = s.fxVreg[x];
    const cls = f.vregCls[v];
    switch (s.fxKind[x]) {
      case FX_USE_FIXED:
        addMove(2 * i, PH_FIXUP, locAt(v, 2 * i), REG | s.fxPreg[x], cls);
        break;
      case FX_USE_STACK:
        addMove(2 * i, PH_FIXUP, locAt(v, 2 * i), slotOf(v), cls);
        break;
      case FX_REUSE:
        addMove(2 * i, PH_FIXUP, locAt(s.fxPreg[x], 2 * i), locAt(v, 2 * i + 1), cls);
        break;
      case FX_DEF_FIXED:
        if (s.noRange[v] === 0) addMove(2 * i + 1, 0, REG | s.fxPreg[x], locAt(v, s.defStart[v]), cls);
        break;
      case FX_DEF_STACK:
        addMove(2 * i + 1, 0, slotOf(v), locAt(v, s.defStart[v]), cls);
        break;
    }
  }

  // ---- Sequence each parallel group ----
  // One packed key per move, (point, phase) above the move's index, so a
  // native numeric sort orders groups and keeps insertion order inside each.
  const nm = mvKey.length;
  let shift = 1;
  while (shift <= nm) shift *= 2;
  const keys = new Float64Array(nm);
  for (let m = 0; m < nm; m++) keys[m] = mvKey[m] * shift + m;
  keys.sort();
  const pm = new ParallelMoves(s.env, (cls) => allocSlot(s, cls));
  // Sequenced moves stay packed until redundant-move elimination has dropped
  // what it can; only the survivors become `Edit` objects.
  const edits: PackedEdits = { point: [], from: [], to: [] };
  let point = 0;
  const emit = (from: number, to: number): void => {
    edits.point.push(point);
    edits.from.push(from);
    edits.to.push(to);
  };
  let k = 0;
  while (k < nm) {
    const key = mvKey[keys[k] % shift];
    point = Math.floor(key / 4);
    while (k < nm) {
      const m = keys[k] % shift;
      if (mvKey[m] !== key) break;
      pm.add(mvFrom[m], mvTo[m], mvCls[m]);
      k++;
    }
    pm.resolve(emit);
  }

  // ---- Operand allocations ----
  const allocs = new Uint32Array(f.opVreg.length);
  for (let i = 0; i < f.numInsts; i++) {
    const o0 = f.opOff[i];
    for (let k2 = o0; k2 < f.opOff[i + 1]; k2++) {
      const v = f.opVreg[k2];
      const c = f.opCons[k2];
      const tag = c & 0xc0;
      const pt = 2 * i + f.opPos[k2];
      let a: number;
      if (tag === CONSTRAINT_FIXED) a = REG | (f.vregCls[v] * 64 + (c & 63));
      else if (c === CONSTRAINT_STACK) a = slotOf(v);
      else if (tag === CONSTRAINT_REUSE) a = locAt(v, 2 * i + 1);
      else a = locAt(v, pt);
      allocs[k2] = a;
    }
    // Reused inputs report the def's register.
    for (let k2 = o0; k2 < f.opOff[i + 1]; k2++) {
      const c = f.opCons[k2];
      if ((c & 0xc0) === CONSTRAINT_REUSE) allocs[o0 + (c & 63)] = allocs[k2];
    }
  }
  return { allocs, edits: eliminateRedundantMoves(s, allocs, edits), pieceOff, pieceFrom, pieceTo, pieceAlloc };
}

/**
 * Drops a move whose destination already holds the moved value, tracking
 * per block which value each location holds (values are named by their
 * source location at the move, so only copies of copies are recognised).
 * State is reset at block starts, since predecessors may disagree.
 */
function eliminateRedundantMoves(s: IonState, allocs: Uint32Array, edits: PackedEdits): Edit[] {
  const f = s.f;
  const out: Edit[] = [];
  const ne = edits.point.length;
  if (ne === 0) return out;
  const ePoint = edits.point;
  const eFrom = edits.from;
  const eTo = edits.to;
  // content: location -> symbolic value id. Value ids: fresh number per write.
  const content = new Map<number, number>();
  let nextId = 1;
  let e = 0;
  const applyEdit = (x: number): void => {
    const from = eFrom[x];
    const to = eTo[x];
    let vs = content.get(from);
    if (vs === undefined) {
      vs = nextId++;
      content.set(from, vs);
    }
    if (content.get(to) === vs) return;
    content.set(to, vs);
    out.push({ point: ePoint[x] as ProgPoint, from: from as Edit['from'], to: to as Edit['to'] });
  };
  for (let b = 0; b < f.numBlocks; b++) {
    content.clear();
    for (let i = f.blockFirst[b]; i < f.blockEnd[b]; i++) {
      while (e < ne && ePoint[e] === 2 * i) applyEdit(e++);
      // The instruction writes its defs and clobbers: their old contents are gone.
      for (let k = f.opOff[i]; k < f.opOff[i + 1]; k++) if (f.opKind[k] === 1) content.set(allocs[k], nextId++);
      for (let k = f.clobOff[i]; k < f.clobOff[i + 1]; k++) content.set(REG | f.clobs[k], nextId++);
      while (e < ne && ePoint[e] === 2 * i + 1) applyEdit(e++);
    }
  }
  return out;
}
