// Liveness and live ranges for the backtracking allocator. Owns: the per-vreg
// use lists, the liveness walk, the live ranges, the fixup copies for fixed,
// stack and reuse constraints, the preg reservations (clobbers and fixed
// operands), and each vreg's initial bundle and spillset (with its weight,
// computed while its ranges are made). It does not merge bundles (merge.ts)
// or choose locations.
//
// Liveness is computed per vreg by walking backwards from each use through
// predecessors until the defining block (SSA liveness by paths), so the cost
// is the size of the result, not blocks x vregs. Ranges are then produced in
// one pass per vreg over its live blocks in layout order; a value used only
// in its definition's block (most) gets its one range from the first pass.
//
// The per-operand and per-use loops avoid branches on data (a use's
// constraint, def or use, which requirement is tightest) where they can: a
// branch predictor cannot learn those, and mispredicted branches were a
// large part of these loops' time.
//
// Post-invariants: each vreg's ranges are sorted, disjoint, and cover exactly
// the points where its value must be somewhere; a use of a vreg not reached by
// its definition, or a value live into the entry block, has thrown a
// RegallocFailure naming the vreg and instruction.

import { BUF, growI32 } from '../context.js';
import { RegallocFailure, REG_CLASS_NAMES, type VReg } from '../index.js';
import { CONSTRAINT_ANY, CONSTRAINT_FIXED, CONSTRAINT_LIMIT, CONSTRAINT_REG, CONSTRAINT_REUSE, CONSTRAINT_STACK, FLAG_BRANCH, FLAG_MOVE, FLAG_REUSE, PREG_KIND_ALLOCATABLE } from '../validate.js';
import { FX_DEF_FIXED, FX_DEF_STACK, FX_REUSE, FX_USE_FIXED, FX_USE_STACK, MINIMAL_WEIGHT, UNASSIGNED, USE_DEF, USE_HINT_SHIFT, USE_REQ, USE_W_SHIFT, type IonState } from './state.js';

/** 4^depth for the loop depths `computeLoopDepth` gives (at most 5). */
const DEPTH_SCALE = [1, 4, 16, 64, 256, 1024];

/** Up to this many reservations are sorted by insertion (see below). */
const SMALL_RESERVATIONS = 16;

/** Use weight by kind, scaled by 4^loopDepth. */
const W_REG = 4;
const W_FIXED = 3;
const W_ANY = 2;
const W_ARG = 1;

/**
 * Per constraint code: for any, reg and limit constraints (no fixup, no
 * hint), the use's unscaled weight times 256 plus its requirement; -1 for
 * the others (fixed, reuse, stack). Built on first use (the constraint
 * codes come from index.ts, which imports this module indirectly).
 */
let plainUse: Int32Array | null = null;
function plainUseTable(): Int32Array {
  if (plainUse !== null) return plainUse;
  const t = new Int32Array(256).fill(-1);
  t[CONSTRAINT_ANY] = W_ANY << 8;
  t[CONSTRAINT_REG] = (W_REG << 8) | 64;
  // (Validation rejects the limits whose shift wraps to a negative bound.)
  for (let n = 0; n < 64; n++) t[CONSTRAINT_LIMIT | n] = (W_REG << 8) | (Math.min(64, 1 << n) & USE_REQ);
  plainUse = t;
  return t;
}

export function computeLoopDepth(s: IonState): void {
  const f = s.f;
  const nb = f.numBlocks;
  const diff = s.ctx.filledI32(BUF.lrDepthDiff, nb + 1, 0);
  // A back edge p -> h (h laid out at or before p) marks blocks h..p as one loop level.
  for (let p = 0; p < nb; p++)
    for (let k = f.succOff[p]; k < f.succOff[p + 1]; k++) {
      const h = f.succs[k];
      if (h <= p) {
        diff[h]++;
        diff[p + 1]--;
      }
    }
  const depth = s.ctx.u8(BUF.blockDepth, nb);
  let d = 0;
  for (let b = 0; b < nb; b++) {
    d += diff[b];
    depth[b] = Math.min(d, 5);
  }
  s.blockDepth = depth;
}

export function buildLiveRanges(s: IonState): void {
  const f = s.f;
  const env = s.env;
  const ctx = s.ctx;
  const nv = f.numVregs;
  const n = f.numInsts;
  computeLoopDepth(s);
  const blockScale = ctx.i32(BUF.lrBlockScale, f.numBlocks);
  for (let b = 0; b < f.numBlocks; b++) blockScale[b] = DEPTH_SCALE[s.blockDepth[b]];

  // ---- Pass 1: count uses per vreg (operands + branch args) ----
  const useOff = ctx.filledI32(BUF.useOff, nv + 1, 0);
  const opVreg = f.opVreg;
  for (let k = 0; k < f.numOps; k++) useOff[opVreg[k] + 1]++;
  for (let k = 0; k < f.numArgs; k++) useOff[f.args[k] + 1]++;
  for (let v = 0; v < nv; v++) useOff[v + 1] += useOff[v];
  const total = useOff[nv];
  const uses = ctx.i32(BUF.uses, 2 * total);
  // Vregs whose entries are out of order (maybe repeated), to sort below.
  const unsorted = ctx.i32(BUF.lrUnsorted, f.numOps);
  let nUnsorted = 0;
  const fill = ctx.i32(BUF.lrFill, nv);
  for (let v = 0; v < nv; v++) fill[v] = useOff[v];
  // One spare entry past the vregs, for pass 2's branch-free writes.
  const defStart = ctx.filledI32(BUF.defStart, nv + 1, 0);
  const noRange = ctx.filledU8(BUF.noRange, nv, 0);
  for (let v = 0; v < nv; v++) {
    const d = f.vregDef[v];
    if (d < 0 && d !== 0x7fffffff) defStart[v] = 2 * f.blockFirst[-1 - d];
  }

  // Reservations, merged below: (slot, from, to, owner).
  let nres = 0;
  let resSlot = ctx.i32(BUF.lrResSlot, 64);
  let resFrom = ctx.i32(BUF.lrResFrom, 64);
  let resTo = ctx.i32(BUF.lrResTo, 64);
  let resOwner = ctx.i32(BUF.lrResOwner, 64);
  const slotOf = s.occ.slotOf;
  const pregKind = env.pregKind;
  // Per preg: base + i when instruction i has a late fixed def in it (marks of earlier runs are below base).
  const lateFixedDef = ctx.stampMarks(BUF.lrLateFixedDef, 192);
  const stampBase = ctx.takeStamps(n);

  // ---- Pass 2: record uses, defs, fixups and reservations ----
  const opOff = f.opOff;
  const opCons = f.opCons;
  const opKind = f.opKind;
  const opPos = f.opPos;
  const vregCls = f.vregCls;
  const instFlags = f.instFlags;
  const instBlock = f.instBlock;
  const plainUses = plainUseTable();
  for (let i = 0; i < n; i++) {
    const o0 = opOff[i];
    const o1 = opOff[i + 1];
    const blk = instBlock[i];
    // Use weights are integers (at most 4 * 4^5), so the scale is applied here.
    const sc = blockScale[blk];
    // Whether some def reuses an input here (see below): validation noted it.
    const flags = instFlags[i];
    const hasReuse = (flags & FLAG_REUSE) !== 0;
    // Moves, for merge.ts.
    if ((flags & FLAG_MOVE) !== 0) s.addMoveInst(i);
    for (let k = o0; k < o1; k++) {
      const v = opVreg[k];
      const c = opCons[k];
      const kind = opKind[k];
      const isDef = kind === 1;
      const u = 2 * fill[v]++;
      let pt = 2 * i + opPos[k];
      // Where a def's range starts.
      let dpt = pt;
      let info: number;
      // Any, reg and limit constraints (most operands) by table, without a
      // branch on which; the others below.
      const plain = plainUses[c];
      if (plain >= 0) info = (((plain >>> 8) * sc) << USE_W_SHIFT) | (plain & 0xff);
      else {
        const tag = c & 0xc0;
        const late = opPos[k] === 1;
        let req = 0;
        let w = W_ANY;
        let hint = -1;
        if (tag === CONSTRAINT_FIXED) {
          const p = vregCls[v] * 64 + (c & 63);
          if (pregKind[p] === PREG_KIND_ALLOCATABLE) hint = p;
          w = W_FIXED;
          let rFrom: number;
          let rTo: number;
          if (isDef) {
            s.addFixup(FX_DEF_FIXED, i, v, p);
            rFrom = late ? 2 * i + 1 : 2 * i;
            rTo = 2 * i + 2;
            if (late) lateFixedDef[p] = stampBase + i;
          } else {
            s.addFixup(FX_USE_FIXED, i, v, p);
            // The copy runs before the instruction, so a late use holds p at both points.
            rFrom = 2 * i;
            rTo = late ? 2 * i + 2 : 2 * i + 1;
            pt = 2 * i;
          }
          if (pregKind[p] === PREG_KIND_ALLOCATABLE) {
            if (nres === resSlot.length) {
              resSlot = growI32(resSlot, nres + 1);
              resFrom = growI32(resFrom, nres + 1);
              resTo = growI32(resTo, nres + 1);
              resOwner = growI32(resOwner, nres + 1);
            }
            resSlot[nres] = slotOf[p];
            resFrom[nres] = rFrom;
            resTo[nres] = rTo;
            resOwner[nres++] = -2 - v;
          }
        } else if (c === CONSTRAINT_STACK) {
          // A late stack use reads the spillset's slot at the late point, so the value stays
          // live (and the slot its own) until then, though the copy runs before the instruction.
          s.addFixup(isDef ? FX_DEF_STACK : FX_USE_STACK, i, v, -1);
        } else if (tag === CONSTRAINT_REUSE) {
          const inputV = opVreg[o0 + (c & 63)];
          req = 64;
          w = W_REG;
          pt = 2 * i + 1;
          dpt = 2 * i;
          s.addFixup(FX_REUSE, i, v, inputV);
          s.addReuse(v, inputV, i);
        }
        info = ((w * sc) << USE_W_SHIFT) | ((hint + 1) << USE_HINT_SHIFT) | req;
      }
      // A reused input is copied into the def's register; its own place is free.
      if (hasReuse && !isDef && (info & USE_REQ) !== 0) {
        for (let k2 = o0; k2 < o1; k2++) if (opCons[k2] === (CONSTRAINT_REUSE | (k - o0))) info &= ~USE_REQ;
      }
      // A def's entry sits at the late point even when early: every def is written by the
      // end of the instruction, so even a dead early def holds its place through it.
      // Branch-free: a use writes its def start to the spare entry at nv.
      defStart[v + ((nv - v) & (kind - 1))] = dpt;
      pt += (2 * i + 1 - pt) & -kind;
      uses[u] = pt;
      uses[u + 1] = info | (kind * USE_DEF);
      // Entries come in instruction order, so only a vreg named twice by one
      // instruction can have them out of order.
      if (u > 2 * useOff[v] && uses[u - 2] > pt) unsorted[nUnsorted++] = v;
    }
    if ((flags & FLAG_BRANCH) !== 0) {
      // Branch arguments are read at the branch's late point. Recording them here,
      // in instruction order, leaves each vreg's entries nearly sorted.
      const argInfo = (W_ARG * sc) << USE_W_SHIFT;
      for (let k = f.argOff[f.succOff[blk]]; k < f.argOff[f.succOff[blk + 1]]; k++) {
        const u = 2 * fill[f.args[k]]++;
        uses[u] = 2 * i + 1;
        uses[u + 1] = argInfo;
      }
    }
    for (let k = f.clobOff[i]; k < f.clobOff[i + 1]; k++) {
      const p = f.clobs[k];
      if (lateFixedDef[p] === stampBase + i || pregKind[p] !== PREG_KIND_ALLOCATABLE) continue;
      if (nres === resSlot.length) {
        resSlot = growI32(resSlot, nres + 1);
        resFrom = growI32(resFrom, nres + 1);
        resTo = growI32(resTo, nres + 1);
        resOwner = growI32(resOwner, nres + 1);
      }
      resSlot[nres] = slotOf[p];
      resFrom[nres] = 2 * i + 1;
      resTo[nres] = 2 * i + 2;
      resOwner[nres++] = -1;
    }
  }
  // Sort the uses of each vreg that has them out of order by point (operand
  // order within an instruction is arbitrary); a stable sort, so entries at
  // one point keep operand order, then branch arguments.
  for (let j = 0; j < nUnsorted; j++) {
    const v = unsorted[j];
    const a = 2 * useOff[v];
    const e = 2 * useOff[v + 1];
    for (let x = a + 2; x < e; x += 2) {
      const pt = uses[x];
      if (pt >= uses[x - 2]) continue;
      const info = uses[x + 1];
      let y = x - 2;
      while (y >= a && uses[y] > pt) {
        uses[y + 2] = uses[y];
        uses[y + 3] = uses[y + 1];
        y -= 2;
      }
      uses[y + 2] = pt;
      uses[y + 3] = info;
    }
  }
  s.useOff = useOff;
  s.uses = uses;
  s.defStart = defStart;

  // Dead fixed defs need no range: the reservation already keeps the preg free.
  for (let x = 0; x < s.nFx; x++) {
    if (s.fxKind[x] !== FX_DEF_FIXED) continue;
    const v = s.fxVreg[x];
    if (useOff[v + 1] - useOff[v] === 1) noRange[v] = 1;
  }
  s.noRange = noRange;

  buildRanges(s);
  s.stats.liveRanges = s.nLr;

  if (nres > 0) installReservations(s, nres, resSlot, resFrom, resTo, resOwner);
  ctx.keepI32(BUF.lrResSlot, resSlot);
  ctx.keepI32(BUF.lrResFrom, resFrom);
  ctx.keepI32(BUF.lrResTo, resTo);
  ctx.keepI32(BUF.lrResOwner, resOwner);
}

/**
 * The reservations (nres > 0), overlapping ones of one owner merged, and
 * installed per slot.
 * They arrive in instruction order, so a stable counting sort by slot leaves
 * each slot's run sorted except within one instruction (fixed by a short
 * insertion step).
 */
function installReservations(s: IonState, nres: number, resSlot: Int32Array, resFrom: Int32Array, resTo: Int32Array, resOwner: Int32Array): void {
  const ctx = s.ctx;
  // A small function's few reservations are sorted by insertion instead: the
  // same stable order by (slot, from), without the per-slot tables.
  const numSlots = s.occ.numSlots;
  const order = ctx.i32(BUF.lrResOrder, nres);
  if (nres <= SMALL_RESERVATIONS) {
    for (let k = 0; k < nres; k++) {
      const p = resSlot[k];
      const from = resFrom[k];
      let y = k;
      while (y > 0 && (resSlot[order[y - 1]] > p || (resSlot[order[y - 1]] === p && resFrom[order[y - 1]] > from))) {
        order[y] = order[y - 1];
        y--;
      }
      order[y] = k;
    }
  } else {
    const bucket = ctx.filledI32(BUF.lrBucket, numSlots + 1, 0);
    for (let k = 0; k < nres; k++) bucket[resSlot[k] + 1]++;
    for (let p = 0; p < numSlots; p++) bucket[p + 1] += bucket[p];
    const at = ctx.i32(BUF.lrResAt, numSlots + 1);
    for (let p = 0; p <= numSlots; p++) at[p] = bucket[p];
    for (let k = 0; k < nres; k++) {
      const p = resSlot[k];
      const from = resFrom[k];
      const lo = bucket[p];
      let y = at[p]++;
      while (y > lo && resFrom[order[y - 1]] > from) {
        order[y] = order[y - 1];
        y--;
      }
      order[y] = k;
    }
  }
  const mSlot = ctx.i32(BUF.lrMSlot, nres);
  const mFrom = ctx.i32(BUF.lrMFrom, nres);
  const mTo = ctx.i32(BUF.lrMTo, nres);
  const mOwner = ctx.i32(BUF.lrMOwner, nres);
  let m = 0;
  let x = 0;
  while (x < nres) {
    const p = resSlot[order[x]];
    const from = resFrom[order[x]];
    let to = resTo[order[x]];
    let owner = resOwner[order[x]];
    x++;
    while (x < nres && resSlot[order[x]] === p && resFrom[order[x]] < to) {
      // Two owners for one preg at one point: an overlap validation should have caught
      // (only a hard clobber can still meet an owned reservation); keep it hard.
      if (resOwner[order[x]] !== owner) owner = -1;
      if (resTo[order[x]] > to) to = resTo[order[x]];
      x++;
    }
    // Touching entries are fine; only overlaps were merged.
    mSlot[m] = p;
    mFrom[m] = from;
    mTo[m] = to;
    mOwner[m++] = owner;
  }
  s.occ.setReservations(m, mSlot, mFrom, mTo, mOwner);
}

/**
 * Pass 3: the liveness walk and the ranges, one vreg at a time. Ranges are
 * created vreg by vreg, each vreg's sorted by start, so a vreg's ranges are
 * contiguous in the table (merge.ts relies on it); they are also linked into
 * the vreg's list (`vregFirst`, `lrNext`), which splits extend.
 * Each vreg with ranges also gets its initial bundle here, numbered in vreg
 * order, with its arena slice equal to its ranges' ids and its weight and
 * hints computed (as `IonState.recompute` would), and a spillset of the same
 * id, with its extent.
 */
function buildRanges(s: IonState): void {
  const f = s.f;
  const ctx = s.ctx;
  const nv = f.numVregs;
  const nb = f.numBlocks;
  const useOff = s.useOff;
  const uses = s.uses;
  const defStart = s.defStart;
  const noRange = s.noRange;
  const instBlock = f.instBlock;
  const blockFirst = f.blockFirst;
  const blockEnd = f.blockEnd;
  const predOff = f.predOff;
  const preds = f.preds;
  const liveIn = ctx.filledI32(BUF.lrLiveIn, nb, -1);
  const liveOut = ctx.filledI32(BUF.lrLiveOut, nb, -1);
  const blocks = ctx.i32(BUF.lrBlocks, nb + 1);
  // All zero between uses (sortPrefix clears what it sets).
  const blockBits = ctx.filledI32(BUF.lrBlockBits, (nb >>> 5) + 1, 0);
  const stack = ctx.i32(BUF.lrStack, nb);
  const vregFirst = ctx.filledI32(BUF.vregFirst, nv, -1);
  s.vregFirst = vregFirst;
  const vregRanges = ctx.i32(BUF.mergeRangesOf, nv);
  s.vregRanges = vregRanges;
  const vregSpillset = ctx.filledI32(BUF.vregSpillset, nv, -1);
  s.vregSpillset = vregSpillset;
  // Bundles are created here (see below), and their weights need the call-crossing prefix.
  s.computeCrossPrefix();
  s.reserveBundles(nv);
  let nB = 0;
  for (let v = 0; v < nv; v++) {
    const d = f.vregDef[v];
    if (d === 0x7fffffff || noRange[v] === 1) continue;
    const isParam = d < 0;
    const D = isParam ? -1 - d : instBlock[d];
    const dpt = defStart[v];
    const cls = f.vregCls[v];
    const prefix = s.crossPrefix[cls];
    const numPreferred = s.env.numPreferred[cls];
    let nLive = 0;
    let sp = 0;
    const u0 = useOff[v];
    const u1 = useOff[v + 1];
    // One pass over v's uses finds the blocks it is used in outside its
    // definition's, and gathers the use summary (see `IonState.lrW`) of all
    // its uses, which is its one range's when there are none (a local value,
    // the common case), so that case needs no second pass.
    // Branch-free (which requirement and hint come first is data, not a
    // pattern the branch predictor could learn): `rq` is the tightest
    // requirement minus one, mod 256 (255: none yet); `hint` is -1 until set.
    let w = 0;
    let rq = 255;
    let hint = -1;
    for (let u = u0; u < u1; u++) {
      const info = uses[2 * u + 1];
      w += info >>> USE_W_SHIFT;
      const dq = (((info & USE_REQ) - 1) & 0xff) - rq;
      rq += dq & (dq >> 31);
      hint += (hint >> 31) & (((info >>> USE_HINT_SHIFT) & 0xff) - 1 - hint);
      if ((info & USE_DEF) !== 0) continue;
      const pt = uses[2 * u];
      const B = instBlock[pt >> 1];
      if (B === D && (pt > dpt || (isParam && pt >= dpt))) continue;
      if (B === D) {
        const vr = (v * 4 + f.vregCls[v]) as VReg;
        throw new RegallocFailure({
          kind: 'SsaViolation',
          vreg: vr,
          inst: pt >> 1,
          message: `SSA violation: v${v} (${REG_CLASS_NAMES[f.vregCls[v]]}) used at inst ${pt >> 1} before its definition at inst ${isParam ? blockFirst[D] : d}`,
        });
      }
      if (liveIn[B] !== v) {
        liveIn[B] = v;
        blocks[nLive++] = B;
        stack[sp++] = B;
      }
    }
    const req = (rq + 1) & 0xff;
    // v's bundle, summarised as `IonState.recompute` would: total length,
    // weight, tightest requirement, first hint, whether a range lies across a
    // call (checked per block stretch, which finds the same calls: stretches
    // meet at even points, which no instruction straddles).
    let bLen: number;
    let bW: number;
    let bReq: number;
    let bHint: number;
    let crosses = false;
    let lastEnd: number;
    if (nLive === 0) {
      // Local: one range from the definition to the last use (every use lies after it in D).
      const lastUse = u1 > u0 ? uses[2 * (u1 - 1)] : -1;
      lastEnd = lastUse >= dpt ? lastUse + 1 : dpt + 1;
      vregFirst[v] = s.newRange(dpt, lastEnd, v, u0, w, req, hint);
      bLen = lastEnd - dpt;
      bW = w;
      bReq = req;
      bHint = hint;
      if (prefix !== null) {
        const lo = (dpt + 1) >> 1;
        const hi = lastEnd >> 1;
        crosses = hi > lo && prefix[hi] - prefix[lo] > 0;
      }
    } else {
      while (sp > 0) {
        const B = stack[--sp];
        if (B === D || B === f.entry) {
          const vr = (v * 4 + f.vregCls[v]) as VReg;
          const inst = blockFirst[B];
          if (B === f.entry)
            throw new RegallocFailure({
              kind: 'EntryLiveIn',
              vreg: vr,
              inst,
              message: `v${v} (${REG_CLASS_NAMES[f.vregCls[v]]}) is live into the entry block: some path reaches a use without passing its definition`,
            });
          throw new RegallocFailure({
            kind: 'SsaViolation',
            vreg: vr,
            inst,
            message: `SSA violation: v${v} (${REG_CLASS_NAMES[f.vregCls[v]]}) is used where its definition does not dominate (live around a loop into block${B})`,
          });
        }
        for (let k = predOff[B]; k < predOff[B + 1]; k++) {
          const P = preds[k];
          liveOut[P] = v;
          if (P !== D && liveIn[P] !== v) {
            liveIn[P] = v;
            blocks[nLive++] = P;
            stack[sp++] = P;
          }
        }
      }
      for (let x = 0; x < nLive; x++) s.addLiveIn(blocks[x], v);
      blocks[nLive++] = D;
      sortPrefix(blocks, nLive, blockBits);
      let u = u0;
      bLen = 0;
      bW = w;
      bReq = req;
      bHint = hint;
      // The range being built (it continues while live blocks are adjacent),
      // kept here and written once complete: [rFrom, rTo), its first use and
      // its use summary (`rq` as in the first pass).
      let rFrom = -1;
      let rTo = -1;
      let rUse = 0;
      let rw = 0;
      let rrq = 255;
      let rhint = -1;
      for (let x = 0; x <= nLive; x++) {
        // Past the last block, or not continuing the range: the range is complete.
        const B = x < nLive ? blocks[x] : -1;
        const start = B < 0 ? -1 : B === D ? dpt : 2 * blockFirst[B];
        if (rTo >= 0 && start !== rTo) {
          // Ranges of one vreg are created consecutively: r follows the previous one.
          const r = s.newRange(rFrom, rTo, v, rUse, rw, (rrq + 1) & 0xff, rhint);
          if (vregFirst[v] < 0) vregFirst[v] = r;
          else s.lrNext[r - 1] = r;
          if (prefix !== null && !crosses) {
            const lo = (rFrom + 1) >> 1;
            const hi = rTo >> 1;
            crosses = hi > lo && prefix[hi] - prefix[lo] > 0;
          }
        }
        if (B < 0) break;
        const bEnd = 2 * blockEnd[B];
        if (start !== rTo) {
          rFrom = start;
          // Uses of v lie in its live blocks, so u is now v's first use at or after `start`.
          rUse = u;
          rw = 0;
          rrq = 255;
          rhint = -1;
        }
        // The block's uses: the range ends after the last of them here (unless
        // v is live out), so the range holds exactly the uses gathered.
        let lastUse = -1;
        while (u < u1 && uses[2 * u] < bEnd) {
          // A def's own entry counts too: a dead reuse def still occupies its late point.
          lastUse = uses[2 * u];
          const info = uses[2 * u + 1];
          rw += info >>> USE_W_SHIFT;
          const dq = (((info & USE_REQ) - 1) & 0xff) - rrq;
          rrq += dq & (dq >> 31);
          rhint += (rhint >> 31) & (((info >>> USE_HINT_SHIFT) & 0xff) - 1 - rhint);
          u++;
        }
        const end = liveOut[B] === v ? bEnd : lastUse >= start ? lastUse + 1 : start + 1;
        bLen += end - start;
        rTo = end;
      }
      lastEnd = rTo;
    }
    // v's own bundle (merge.ts merges some): its arena slice is its ranges.
    const r0 = vregFirst[v];
    const nr = s.nLr - r0;
    vregRanges[v] = nr;
    const off = s.arenaAlloc(nr);
    const arena = s.arena;
    const lrBundle = s.lrBundle;
    const b = nB++;
    for (let k = 0; k < nr; k++) {
      arena[off + k] = r0 + k;
      lrBundle[r0 + k] = b;
    }
    // One instruction from the first range's start to the last range's end.
    const minimal = s.lrFrom[r0] >> 1 === (lastEnd - 1) >> 1 ? 1 : 0;
    s.bOff[b] = off;
    s.bLen[b] = nr;
    s.bAlloc[b] = UNASSIGNED;
    // Its spillset has the bundle's id (merge.ts extends a merged one's extent).
    s.bSpillset[b] = b;
    s.ssCls[b] = cls;
    s.ssFrom[b] = s.lrFrom[r0];
    s.ssTo[b] = lastEnd + 1;
    vregSpillset[v] = b;
    s.bCls[b] = cls;
    s.bFirst[b] = crosses ? numPreferred : 0;
    s.bMinimal[b] = minimal;
    s.bReq[b] = bReq;
    s.bHint[b] = bHint;
    s.bPrio[b] = bLen;
    s.bWeight[b] = minimal === 1 && bReq !== 0 ? MINIMAL_WEIGHT : (bW * 1000) / (bLen + 2);
  }
  s.nB = nB;
  s.nSs = nB;
  fillI32(s.ssSlot, -1, nB);
  fillU8(s.ssNeedsSlot, 0, nB);
  fillI32(s.ssSplits, 0, nB);
  fillI32(s.ssHint, -1, nB);
}

/** `a.fill(value, 0, n)`; a loop for short spans, where the builtin's call costs more. */
function fillI32(a: Int32Array, value: number, n: number): void {
  if (n <= 32) for (let k = 0; k < n; k++) a[k] = value;
  else a.fill(value, 0, n);
}
function fillU8(a: Uint8Array, value: number, n: number): void {
  if (n <= 32) for (let k = 0; k < n; k++) a[k] = value;
  else a.fill(value, 0, n);
}

/**
 * Sorts the distinct block indices a[0..n) ascending: an insertion sort when
 * short, else by setting and then collecting their bits in `bits` (zero on
 * entry and on return), which costs one word per 32 blocks of the span, not
 * a comparison sort (long-lived values are live in hundreds of blocks).
 */
function sortPrefix(a: Int32Array, n: number, bits: Int32Array): void {
  if (n > 24) {
    let lo = a[0];
    let hi = a[0];
    for (let x = 0; x < n; x++) {
      const b = a[x];
      bits[b >>> 5] |= 1 << (b & 31);
      if (b < lo) lo = b;
      else if (b > hi) hi = b;
    }
    let k = 0;
    for (let w = lo >>> 5; w <= hi >>> 5; w++) {
      let m = bits[w];
      bits[w] = 0;
      while (m !== 0) {
        const t = m & -m;
        a[k++] = (w << 5) + 31 - Math.clz32(t);
        m ^= t;
      }
    }
    return;
  }
  for (let x = 1; x < n; x++) {
    const t = a[x];
    let y = x - 1;
    while (y >= 0 && a[y] > t) {
      a[y + 1] = a[y];
      y--;
    }
    a[y + 1] = t;
  }
}
