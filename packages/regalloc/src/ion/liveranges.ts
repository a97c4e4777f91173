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

import { NUM_PREGS, RegallocFailure, REG_CLASS_NAMES, type VReg } from '../index.js';
import { CONSTRAINT_ANY, CONSTRAINT_FIXED, CONSTRAINT_LIMIT, CONSTRAINT_REG, CONSTRAINT_REUSE, CONSTRAINT_STACK, PREG_KIND_ALLOCATABLE } from '../validate.js';
import { FX_DEF_FIXED, FX_DEF_STACK, FX_REUSE, FX_USE_FIXED, FX_USE_STACK, type IonState } from './state.js';

/** Use weight by kind, scaled by 4^loopDepth. */
const W_REG = 4;
const W_FIXED = 3;
const W_ANY = 2;
const W_ARG = 1;

export function computeLoopDepth(s: IonState): void {
  const f = s.f;
  const nb = f.numBlocks;
  const diff = new Int32Array(nb + 1);
  // A back edge p -> h (h laid out at or before p) marks blocks h..p as one loop level.
  for (let p = 0; p < nb; p++)
    for (let k = f.succOff[p]; k < f.succOff[p + 1]; k++) {
      const h = f.succs[k];
      if (h <= p) {
        diff[h]++;
        diff[p + 1]--;
      }
    }
  const depth = new Uint8Array(nb);
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
  const nv = f.numVregs;
  const n = f.numInsts;
  computeLoopDepth(s);
  const blockScale = new Float64Array(f.numBlocks);
  for (let b = 0; b < f.numBlocks; b++) blockScale[b] = 4 ** s.blockDepth[b];

  // ---- Pass 1: count uses per vreg (operands + branch args) ----
  const count = new Int32Array(nv + 1);
  for (let k = 0; k < f.opVreg.length; k++) count[f.opVreg[k]]++;
  for (let k = 0; k < f.args.length; k++) count[f.args[k]]++;
  const useOff = new Int32Array(nv + 1);
  for (let v = 0; v < nv; v++) useOff[v + 1] = useOff[v] + count[v];
  const total = useOff[nv];
  const usePt = new Int32Array(total);
  const useReq = new Uint8Array(total);
  const useHint = new Int16Array(total).fill(-1);
  const useW = new Float64Array(total);
  const useIsDef = new Uint8Array(total);
  const fill = Int32Array.from(useOff.subarray(0, nv));
  const defStart = new Int32Array(nv);
  const noRange = new Uint8Array(nv);
  for (let v = 0; v < nv; v++) {
    const d = f.vregDef[v];
    if (d < 0 && d !== 0x7fffffff) defStart[v] = 2 * f.blockFirst[-1 - d];
  }

  // Reservations per preg, merged below.
  const resPreg: number[] = [];
  const resFrom: number[] = [];
  const resTo: number[] = [];
  const resOwner: number[] = [];
  const reserve = (p: number, from: number, to: number, owner: number): void => {
    if (env.pregKind[p] !== PREG_KIND_ALLOCATABLE) return;
    resPreg.push(p);
    resFrom.push(from);
    resTo.push(to);
    resOwner.push(owner);
  };
  const lateFixedDef = new Int32Array(192).fill(-1);

  // ---- Pass 2: record uses, defs, fixups and reservations ----
  for (let i = 0; i < n; i++) {
    const o0 = f.opOff[i];
    const o1 = f.opOff[i + 1];
    const sc = blockScale[f.instBlock[i]];
    for (let k = o0; k < o1; k++) {
      const v = f.opVreg[k];
      const c = f.opCons[k];
      const tag = c & 0xc0;
      const isDef = f.opKind[k] === 1;
      const late = f.opPos[k] === 1;
      const u = fill[v]++;
      useIsDef[u] = isDef ? 1 : 0;
      let pt = 2 * i + (late ? 1 : 0);
      let req = 0;
      let w = W_ANY;
      if (tag === CONSTRAINT_FIXED) {
        const p = f.vregCls[v] * 64 + (c & 63);
        if (env.pregKind[p] === PREG_KIND_ALLOCATABLE) useHint[u] = p;
        w = W_FIXED;
        if (isDef) {
          s.fxKind.push(FX_DEF_FIXED);
          reserve(p, late ? 2 * i + 1 : 2 * i, 2 * i + 2, -2 - v);
          if (late) lateFixedDef[p] = i;
        } else {
          s.fxKind.push(FX_USE_FIXED);
          // The copy runs before the instruction, so a late use holds p at both points.
          reserve(p, 2 * i, late ? 2 * i + 2 : 2 * i + 1, -2 - v);
          pt = 2 * i;
        }
        s.fxInst.push(i);
        s.fxOp.push(k);
        s.fxVreg.push(v);
        s.fxPreg.push(p);
      } else if (c === CONSTRAINT_STACK) {
        s.fxKind.push(isDef ? FX_DEF_STACK : FX_USE_STACK);
        s.fxInst.push(i);
        s.fxOp.push(k);
        s.fxVreg.push(v);
        s.fxPreg.push(-1);
        // A late stack use reads the spillset's slot at the late point, so the value stays
        // live (and the slot its own) until then, though the copy runs before the instruction.
      } else if (tag === CONSTRAINT_REUSE) {
        const inputV = f.opVreg[o0 + (c & 63)];
        req = 64;
        w = W_REG;
        pt = 2 * i + 1;
        s.fxKind.push(FX_REUSE);
        s.fxInst.push(i);
        s.fxOp.push(k);
        s.fxVreg.push(v);
        s.fxPreg.push(inputV);
        s.reuseDef.push(v);
        s.reuseIn.push(inputV);
        s.reuseInst.push(i);
      } else if (c === CONSTRAINT_REG) {
        req = 64;
        w = W_REG;
      } else if (tag === CONSTRAINT_LIMIT) {
        req = Math.min(64, 1 << (c & 63));
        w = W_REG;
      } else if (c !== CONSTRAINT_ANY) {
        // Unknown codes were rejected by validation.
      }
      // A reused input is copied into the def's register; its own place is free.
      if (!isDef && req !== 0) {
        for (let k2 = o0; k2 < o1; k2++) if (f.opCons[k2] === (CONSTRAINT_REUSE | (k - o0))) req = 0;
      }
      // A def's entry sits at the late point even when early: every def is written by the
      // end of the instruction, so even a dead early def holds its place through it.
      usePt[u] = isDef ? 2 * i + 1 : pt;
      useReq[u] = req;
      useW[u] = w * sc;
      if (isDef) defStart[v] = tag === CONSTRAINT_REUSE ? 2 * i : pt;
    }
    for (let k = f.clobOff[i]; k < f.clobOff[i + 1]; k++) {
      const p = f.clobs[k];
      if (lateFixedDef[p] !== i) reserve(p, 2 * i + 1, 2 * i + 2, -1);
    }
  }
  for (let b = 0; b < f.numBlocks; b++) {
    const last = f.blockEnd[b] - 1;
    const sc = blockScale[b];
    for (let k = f.argOff[f.succOff[b]]; k < f.argOff[f.succOff[b + 1]]; k++) {
      const v = f.args[k];
      const u = fill[v]++;
      usePt[u] = 2 * last + 1;
      useW[u] = W_ARG * sc;
    }
  }
  // Sort each vreg's uses by point (operand order within an instruction is arbitrary).
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
  for (let x = 0; x < s.fxKind.length; x++) {
    if (s.fxKind[x] !== FX_DEF_FIXED) continue;
    const v = s.fxVreg[x];
    if (useOff[v + 1] - useOff[v] === 1) noRange[v] = 1;
  }
  s.noRange = noRange;

  // ---- Pass 3: liveness walk and ranges, one vreg at a time ----
  const nb = f.numBlocks;
  const liveIn = new Int32Array(nb).fill(-1);
  const liveOut = new Int32Array(nb).fill(-1);
  const blocks = new Int32Array(nb + 1);
  const stack = new Int32Array(nb);
  const fromL = s.lrFrom;
  const toL = s.lrTo;
  const vregL = s.lrVreg;
  for (let v = 0; v < nv; v++) {
    const d = f.vregDef[v];
    if (d === 0x7fffffff || noRange[v] === 1) continue;
    const isParam = d < 0;
    const D = isParam ? -1 - d : f.instBlock[d];
    const dpt = defStart[v];
    let nLive = 0;
    let sp = 0;
    const u1 = useOff[v + 1];
    for (let u = useOff[v]; u < u1; u++) {
      if (useIsDef[u] === 1) continue;
      const pt = usePt[u];
      const B = f.instBlock[pt >> 1];
      if (B === D && (pt > dpt || (isParam && pt >= dpt))) continue;
      if (B === D) {
        const vr = (v * 4 + f.vregCls[v]) as VReg;
        throw new RegallocFailure({
          kind: 'SsaViolation',
          vreg: vr,
          inst: pt >> 1,
          message: `SSA violation: v${v} (${REG_CLASS_NAMES[f.vregCls[v]]}) used at inst ${pt >> 1} before its definition at inst ${isParam ? f.blockFirst[D] : d}`,
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
        const inst = f.blockFirst[B];
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
      for (let k = f.predOff[B]; k < f.predOff[B + 1]; k++) {
        const P = f.preds[k];
        liveOut[P] = v;
        if (P !== D && liveIn[P] !== v) {
          liveIn[P] = v;
          blocks[nLive++] = P;
          stack[sp++] = P;
        }
      }
    }
    for (let x = 0; x < nLive; x++) {
      s.liBlock.push(blocks[x]);
      s.liVreg.push(v);
    }
    blocks[nLive++] = D;
    const bl = blocks.subarray(0, nLive);
    if (nLive > 1) bl.sort();
    let u = useOff[v];
    let prevTo = -1;
    for (let x = 0; x < nLive; x++) {
      const B = bl[x];
      const bStart = 2 * f.blockFirst[B];
      const bEnd = 2 * f.blockEnd[B];
      const start = B === D ? dpt : bStart;
      let lastUse = -1;
      while (u < u1 && usePt[u] < bEnd) {
        // A def's own entry counts too: a dead reuse def still occupies its late point.
        lastUse = usePt[u];
        u++;
      }
      const end = liveOut[B] === v ? bEnd : lastUse >= start ? lastUse + 1 : start + 1;
      if (prevTo === start) {
        toL[toL.length - 1] = end;
      } else {
        fromL.push(start);
        toL.push(end);
        vregL.push(v);
        s.lrBundle.push(-1);
      }
      prevTo = end;
    }
  }
  s.stats.liveRanges = fromL.length;

  // ---- Reservations: merge same-owner overlaps, insert into preg maps ----
  // Reservations arrive in instruction order, so a stable counting sort by preg
  // leaves each preg's run sorted except within one instruction (fixed by a
  // short insertion step).
  const nres = resPreg.length;
  const bucket = new Int32Array(NUM_PREGS + 1);
  for (let k = 0; k < nres; k++) bucket[resPreg[k] + 1]++;
  for (let p = 0; p < NUM_PREGS; p++) bucket[p + 1] += bucket[p];
  const order = new Int32Array(nres);
  const at = bucket.slice();
  for (let k = 0; k < nres; k++) {
    const p = resPreg[k];
    const from = resFrom[k];
    const lo = bucket[p];
    let y = at[p]++;
    while (y > lo && resFrom[order[y - 1]] > from) {
      order[y] = order[y - 1];
      y--;
    }
    order[y] = k;
  }
  let x = 0;
  while (x < order.length) {
    const p = resPreg[order[x]];
    const from = resFrom[order[x]];
    let to = resTo[order[x]];
    let owner = resOwner[order[x]];
    x++;
    while (x < order.length && resPreg[order[x]] === p && resFrom[order[x]] < to) {
      const o2 = resOwner[order[x]];
      if (o2 !== owner) {
        // Two owners for one preg at one point: an overlap validation should have caught
        // (only a hard clobber can still meet an owned reservation); keep it hard.
        owner = -1;
      }
      if (resTo[order[x]] > to) to = resTo[order[x]];
      x++;
    }
    const map = s.pregRes[p];
    if (map === undefined) continue;
    // Touching entries are fine; only overlaps were merged.
    map.insert(from, to, owner);
  }
}
