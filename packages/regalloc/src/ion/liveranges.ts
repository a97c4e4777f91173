// Liveness and live ranges for the backtracking allocator. Owns: the per-vreg
// use lists, the liveness walk, the live ranges, the fixup copies for fixed,
// stack and reuse constraints, and the preg reservations (clobbers and fixed
// operands). It does not form bundles (merge.ts) or choose locations.
//
// Liveness is computed per vreg by walking backwards from each use through
// predecessors until the defining block (SSA liveness by paths), so the cost
// is the size of the result, not blocks x vregs. Ranges are then produced in
// one pass per vreg over its live blocks in layout order.
//
// Post-invariants: each vreg's ranges are sorted, disjoint, and cover exactly
// the points where its value must be somewhere; a use of a vreg not reached by
// its definition, or a value live into the entry block, has thrown a
// RegallocFailure naming the vreg and instruction.

import { BUF, growI32 } from '../context.js';
import { RegallocFailure, REG_CLASS_NAMES, type VReg } from '../index.js';
import { CONSTRAINT_FIXED, CONSTRAINT_LIMIT, CONSTRAINT_REG, CONSTRAINT_REUSE, CONSTRAINT_STACK, PREG_KIND_ALLOCATABLE } from '../validate.js';
import { FX_DEF_FIXED, FX_DEF_STACK, FX_REUSE, FX_USE_FIXED, FX_USE_STACK, type IonState } from './state.js';

/** 4^depth for the loop depths `computeLoopDepth` gives (at most 5). */
const DEPTH_SCALE = [1, 4, 16, 64, 256, 1024];

/** Up to this many reservations are sorted by insertion (see below). */
const SMALL_RESERVATIONS = 16;

/** Use weight by kind, scaled by 4^loopDepth. */
const W_REG = 4;
const W_FIXED = 3;
const W_ANY = 2;
const W_ARG = 1;

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
  const blockScale = ctx.f64(BUF.lrBlockScale, f.numBlocks);
  for (let b = 0; b < f.numBlocks; b++) blockScale[b] = DEPTH_SCALE[s.blockDepth[b]];

  // ---- Pass 1: count uses per vreg (operands + branch args) ----
  const useOff = ctx.filledI32(BUF.useOff, nv + 1, 0);
  const opVreg = f.opVreg;
  for (let k = 0; k < f.numOps; k++) useOff[opVreg[k] + 1]++;
  for (let k = 0; k < f.numArgs; k++) useOff[f.args[k] + 1]++;
  for (let v = 0; v < nv; v++) useOff[v + 1] += useOff[v];
  const total = useOff[nv];
  const usePt = ctx.i32(BUF.usePt, total);
  const useReq = ctx.u8(BUF.useReq, total);
  const useHint = ctx.i32(BUF.useHint, total);
  const useW = ctx.f64(BUF.useW, total);
  const useIsDef = ctx.u8(BUF.useIsDef, total);
  const fill = ctx.i32(BUF.lrFill, nv);
  for (let v = 0; v < nv; v++) fill[v] = useOff[v];
  const defStart = ctx.filledI32(BUF.defStart, nv, 0);
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
  for (let i = 0; i < n; i++) {
    const o0 = opOff[i];
    const o1 = opOff[i + 1];
    const sc = blockScale[f.instBlock[i]];
    // Whether some def reuses an input here (see below).
    let hasReuse = false;
    for (let k = o0; k < o1; k++) if ((opCons[k] & 0xc0) === CONSTRAINT_REUSE) hasReuse = true;
    for (let k = o0; k < o1; k++) {
      const v = opVreg[k];
      const c = opCons[k];
      const tag = c & 0xc0;
      const isDef = opKind[k] === 1;
      const late = opPos[k] === 1;
      const u = fill[v]++;
      let pt = 2 * i + (late ? 1 : 0);
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
        s.addFixup(FX_REUSE, i, v, inputV);
        s.addReuse(v, inputV, i);
      } else if (c === CONSTRAINT_REG) {
        req = 64;
        w = W_REG;
      } else if (tag === CONSTRAINT_LIMIT) {
        req = Math.min(64, 1 << (c & 63));
        w = W_REG;
      }
      // A reused input is copied into the def's register; its own place is free.
      if (hasReuse && !isDef && req !== 0) {
        for (let k2 = o0; k2 < o1; k2++) if (opCons[k2] === (CONSTRAINT_REUSE | (k - o0))) req = 0;
      }
      // A def's entry sits at the late point even when early: every def is written by the
      // end of the instruction, so even a dead early def holds its place through it.
      usePt[u] = isDef ? 2 * i + 1 : pt;
      useReq[u] = req;
      useHint[u] = hint;
      useW[u] = w * sc;
      useIsDef[u] = isDef ? 1 : 0;
      if (isDef) defStart[v] = tag === CONSTRAINT_REUSE ? 2 * i : pt;
    }
    if (i === f.blockEnd[f.instBlock[i]] - 1) {
      // Branch arguments are read at the branch's late point. Recording them here,
      // in instruction order, leaves each vreg's entries nearly sorted.
      const b = f.instBlock[i];
      for (let k = f.argOff[f.succOff[b]]; k < f.argOff[f.succOff[b + 1]]; k++) {
        const v = f.args[k];
        const u = fill[v]++;
        usePt[u] = 2 * i + 1;
        useReq[u] = 0;
        useHint[u] = -1;
        useW[u] = W_ARG * sc;
        useIsDef[u] = 0;
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
  // Sort each vreg's uses by point (operand order within an instruction is
  // arbitrary); a stable sort, so entries at one point keep operand order, then
  // branch arguments.
  for (let v = 0; v < nv; v++) {
    const a = useOff[v];
    const e = useOff[v + 1];
    for (let x = a + 1; x < e; x++) {
      if (usePt[x] >= usePt[x - 1]) continue;
      const pt = usePt[x], rq = useReq[x], h = useHint[x], w = useW[x], d = useIsDef[x];
      let y = x - 1;
      while (y >= a && usePt[y] > pt) {
        usePt[y + 1] = usePt[y];
        useReq[y + 1] = useReq[y];
        useHint[y + 1] = useHint[y];
        useW[y + 1] = useW[y];
        useIsDef[y + 1] = useIsDef[y];
        y--;
      }
      usePt[y + 1] = pt;
      useReq[y + 1] = rq;
      useHint[y + 1] = h;
      useW[y + 1] = w;
      useIsDef[y + 1] = d;
    }
  }
  s.useOff = useOff;
  s.usePt = usePt;
  s.useReq = useReq;
  s.useHint = useHint;
  s.useW = useW;
  s.useIsDef = useIsDef;
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
 * the vreg's list (`vregFirst`, `lrNext`, `lrPrev`), which splits extend.
 */
function buildRanges(s: IonState): void {
  const f = s.f;
  const ctx = s.ctx;
  const nv = f.numVregs;
  const nb = f.numBlocks;
  const useOff = s.useOff;
  const usePt = s.usePt;
  const useIsDef = s.useIsDef;
  const useW = s.useW;
  const useReq = s.useReq;
  const useHint = s.useHint;
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
  for (let v = 0; v < nv; v++) {
    const d = f.vregDef[v];
    if (d === 0x7fffffff || noRange[v] === 1) continue;
    const isParam = d < 0;
    const D = isParam ? -1 - d : instBlock[d];
    const dpt = defStart[v];
    let nLive = 0;
    let sp = 0;
    const u1 = useOff[v + 1];
    for (let u = useOff[v]; u < u1; u++) {
      if (useIsDef[u] === 1) continue;
      const pt = usePt[u];
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
    let u = useOff[v];
    let prevTo = -1;
    for (let x = 0; x < nLive; x++) {
      const B = blocks[x];
      const bStart = 2 * blockFirst[B];
      const bEnd = 2 * blockEnd[B];
      const start = B === D ? dpt : bStart;
      let lastUse = -1;
      // Uses of v lie in its live blocks, so u is now v's first use at or after `start`.
      const firstUse = u;
      // The range's use summary (see `IonState.lrW`), gathered on the way: the
      // range ends after its last use here, so it holds exactly these uses.
      let w = 0;
      let req = 0;
      let hint = -1;
      while (u < u1 && usePt[u] < bEnd) {
        // A def's own entry counts too: a dead reuse def still occupies its late point.
        lastUse = usePt[u];
        w += useW[u];
        const q = useReq[u];
        if (q !== 0 && (req === 0 || q < req)) req = q;
        if (hint < 0) hint = useHint[u];
        u++;
      }
      const end = liveOut[B] === v ? bEnd : lastUse >= start ? lastUse + 1 : start + 1;
      if (prevTo === start) {
        // Continues the previous block's range: its uses come first.
        const r = s.nLr - 1;
        s.lrTo[r] = end;
        s.lrW[r] += w;
        const q = s.lrReq[r];
        if (req !== 0 && (q === 0 || req < q)) s.lrReq[r] = req;
        if (s.lrHint[r] < 0) s.lrHint[r] = hint;
      } else {
        const r = s.addLr(start, end, v, firstUse);
        // Ranges of one vreg are created consecutively: link r after the previous one.
        if (prevTo < 0) vregFirst[v] = r;
        else {
          s.lrPrev[r] = r - 1;
          s.lrNext[r - 1] = r;
        }
        s.lrW[r] = w;
        s.lrReq[r] = req;
        s.lrHint[r] = hint;
      }
      prevTo = end;
    }
  }
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
