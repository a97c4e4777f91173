// The backtracking allocator's working state, shared by its phases:
//
//   liveranges.ts  uses, liveness, live ranges, fixups, preg reservations,
//                  one bundle and spillset per vreg
//   merge.ts       bundles merged across block params, reuses and moves
//   process.ts     the priority-queue main loop: probe, evict, split, spill,
//                  second chance, spill-slot assignment
//   moves.ts       locations, operand allocations, edits
//
// Everything is struct-of-arrays in typed arrays with numeric ids: live
// ranges, bundles and spillsets are indices. The state's own tables (ranges,
// bundles, spillsets, fixups) are its fields, kept across runs (one state per
// `RegallocContext`) and grown on demand; the phases' scratch tables are the
// context's buffers. A bundle's
// ranges are a slice [bOff, bOff + bLen) of one arena of range ids; merging
// and splitting write new slices at the arena's end.
//
// Program points: point = 2 * inst + (0 early | 1 late). A live range is the
// half-open point interval [from, to). Bundles are split only at even points
// (instruction boundaries), where a move can be inserted.
//
// Invariants: every live range belongs to exactly one bundle; a bundle's
// ranges are sorted and pairwise disjoint; all vregs of a bundle share a class
// and a spillset; a spillset's [from, to) covers every range of every vreg
// that ever belonged to it, so its stack slot is exclusively its own there.

import { BUF, growF64, growI32, growU8, roomF64, roomI32, roomU8, type RegallocContext } from '../context.js';
import type { Stats } from '../index.js';
import type { FlatEnv, FlatFunction } from '../validate.js';
import { Occupancy } from './occupancy.js';

/** Bundle allocation states besides a real allocation. */
export const UNASSIGNED = -1;
export const SPILLED = -2;

/** Fixup kinds: copies around one instruction for constraints bundles don't model. */
export const FX_USE_FIXED = 0; // before(i): vreg's location -> fixed preg
export const FX_DEF_FIXED = 1; // after(i): fixed preg -> vreg's location
export const FX_USE_STACK = 2; // before(i): vreg's location -> its spill slot
export const FX_DEF_STACK = 3; // after(i): spill slot -> vreg's location
export const FX_REUSE = 4; // before(i): input's location -> def's register

export const MINIMAL_WEIGHT = 1e12;
/** `lrReq` of a range whose use summary must be rebuilt (real requirements are at most 64). */
export const SUMMARY_STALE = 255;

export type LogFn = ((line: string) => void) | null;

/**
 * A use's packed facts (`IonState.uses`): bits 0-6 its register requirement
 * (0: none; n: a register with hw < n, 64: any), bit 7 set for a def, bits
 * 8-15 its hint (a preferred preg) plus one (0: none), bits 16-30 its weight
 * (an integer, at most 4 * 4^5).
 */
export const USE_REQ = 0x7f;
export const USE_DEF = 0x80;
export const USE_HINT_SHIFT = 8;
export const USE_W_SHIFT = 16;
export function useReq(info: number): number {
  return info & USE_REQ;
}
export function useHint(info: number): number {
  return ((info >>> USE_HINT_SHIFT) & 0xff) - 1;
}
export function useW(info: number): number {
  return info >>> USE_W_SHIFT;
}

/**
 * One per context, reset by `begin` for each run: its fields are the run's
 * state, its buffers the context's.
 */
export class IonState {
  f!: FlatFunction;
  env!: FlatEnv;
  log: LogFn = null;
  stats!: Stats;
  readonly ctx: RegallocContext;

  // Uses and defs per vreg, sorted by point (CSR by vreg).
  useOff!: Int32Array;
  /**
   * Use u is two entries: `uses[2u]` its point, `uses[2u + 1]` its facts
   * packed (one cache line per use where five columns cost five): USE_REQ,
   * USE_DEF, the hint and the weight (see `useReq`, `useHint`, `useW`).
   */
  uses!: Int32Array;
  /** Per vreg: first point of its live range (its def, or block start for params). */
  defStart!: Int32Array;
  /** Per vreg: 1 if it has no live range at all (a dead fixed def). */
  noRange!: Uint8Array;

  // Live ranges.
  nLr = 0;
  lrFrom: Int32Array = new Int32Array(0);
  lrTo: Int32Array = new Int32Array(0);
  lrVreg: Int32Array = new Int32Array(0);
  lrBundle: Int32Array = new Int32Array(0);
  /** Per range: index of its vreg's first use at or after its start (uses inside it start there). */
  lrUse: Int32Array = new Int32Array(0);
  /**
   * Per range: a summary of the uses inside it, so that `recompute` reads
   * three numbers per range instead of walking its uses: the sum of their
   * weights (integers, so sums are exact in any order), the tightest register
   * requirement (as `useReq`; SUMMARY_STALE when the summary must be rebuilt
   * from the uses, as after a split) and the first hint, or -1.
   */
  lrW: Float64Array = new Float64Array(0);
  lrReq: Uint8Array = new Uint8Array(0);
  lrHint: Int32Array = new Int32Array(0);
  /**
   * Per range: the next range of its vreg by position, or -1. Each vreg's
   * ranges form one list from `vregFirst` (a split links its new tail after
   * the range it cut), so a vreg's pieces are read in order without sorting.
   */
  lrNext: Int32Array = new Int32Array(0);
  /** Per vreg: its first range, or -1 when it has none. */
  vregFirst!: Int32Array;
  /** Per vreg with ranges: how many the liveness pass gave it (ids vregFirst[v] onwards). */
  vregRanges!: Int32Array;
  /** (block, vreg) pairs: vreg is live into block and not a parameter of it. */
  nLi = 0;
  liBlock: Int32Array = new Int32Array(0);
  liVreg: Int32Array = new Int32Array(0);

  // Fixups.
  nFx = 0;
  fxKind: Int32Array = new Int32Array(64);
  fxInst: Int32Array = new Int32Array(64);
  fxVreg: Int32Array = new Int32Array(64);
  /** The fixed preg, or for FX_REUSE the reused input's vreg, or -1. */
  fxPreg: Int32Array = new Int32Array(64);
  /** Instructions the client marked as moves, in order. */
  nMoveInsts = 0;
  moveInsts: Int32Array = new Int32Array(16);
  /** Reuse defs: (def vreg, input vreg, inst). */
  nReuse = 0;
  reuseDef: Int32Array = new Int32Array(64);
  reuseIn: Int32Array = new Int32Array(64);
  reuseInst: Int32Array = new Int32Array(64);

  /** Loop depth per block, for use weights. */
  blockDepth!: Uint8Array;

  // Bundles.
  nB = 0;
  bOff: Int32Array = new Int32Array(0);
  bLen: Int32Array = new Int32Array(0);
  arena: Int32Array = new Int32Array(0);
  arenaTop = 0;
  bAlloc: Int32Array = new Int32Array(0);
  bSpillset: Int32Array = new Int32Array(0);
  bWeight: Float64Array = new Float64Array(0);
  bPrio: Int32Array = new Int32Array(0);
  bReq: Uint8Array = new Uint8Array(0);
  bHint: Int32Array = new Int32Array(0);
  bMinimal: Uint8Array = new Uint8Array(0);
  bCls: Uint8Array = new Uint8Array(0);
  /** Index in the class's allocation order of the first register worth probing (see crossPrefix). */
  bFirst: Uint8Array = new Uint8Array(0);

  /**
   * Per class, prefix counts over instructions that clobber every preferred
   * register of the class (calls), or null when none does: a bundle live
   * across such an instruction cannot take a preferred register, so its
   * probes start at the non-preferred ones.
   */
  readonly crossPrefix: (Int32Array | null)[] = [null, null, null];

  // Spillsets.
  nSs = 0;
  ssCls: Int32Array = new Int32Array(0);
  ssFrom: Int32Array = new Int32Array(0);
  ssTo: Int32Array = new Int32Array(0);
  ssSlot: Int32Array = new Int32Array(0);
  ssNeedsSlot: Uint8Array = new Uint8Array(0);
  /** Splits so far per spillset (see process.ts). */
  ssSplits: Int32Array = new Int32Array(0);
  /** Per spillset: the register its bundle was last assigned, or -1 (a hint for its other pieces). */
  ssHint: Int32Array = new Int32Array(0);
  vregSpillset!: Int32Array;
  numSlots = 0;

  /** Which live range holds each allocatable preg where, and the reservations. */
  readonly occ: Occupancy;
  /** Lower bounds of the lengths of the tables sized by `begin` (see there). */
  private capEst = 0;
  private capVregs = 0;

  constructor(ctx: RegallocContext) {
    this.ctx = ctx;
    this.occ = new Occupancy(ctx);
  }

  /** Starts a run on f: resets the counters and makes room in the tables (their contents are unspecified). */
  begin(f: FlatFunction, env: FlatEnv, log: LogFn, stats: Stats): void {
    this.f = f;
    this.env = env;
    this.log = log;
    this.stats = stats;
    this.nLr = this.nLi = this.nFx = this.nReuse = this.nMoveInsts = this.nB = this.arenaTop = this.nSs = this.numSlots = 0;
    const n = f.numInsts;
    const est = n + f.numVregs + 16;
    // Tables only grow (here, or during a run), so `capEst` and `capVregs`
    // are lower bounds of their groups' lengths: most runs check two numbers.
    if (est > this.capEst) {
      this.lrFrom = roomI32(this.lrFrom, est);
      this.lrTo = roomI32(this.lrTo, est);
      this.lrVreg = roomI32(this.lrVreg, est);
      this.lrBundle = roomI32(this.lrBundle, est);
      this.lrUse = roomI32(this.lrUse, est);
      this.lrW = roomF64(this.lrW, est);
      this.lrReq = roomU8(this.lrReq, est);
      this.lrHint = roomI32(this.lrHint, est);
      this.lrNext = roomI32(this.lrNext, est);
      this.liBlock = roomI32(this.liBlock, est);
      this.liVreg = roomI32(this.liVreg, est);
      this.bOff = roomI32(this.bOff, est);
      this.bLen = roomI32(this.bLen, est);
      this.arena = roomI32(this.arena, 2 * est);
      this.bAlloc = roomI32(this.bAlloc, est);
      this.bSpillset = roomI32(this.bSpillset, est);
      this.bWeight = roomF64(this.bWeight, est);
      this.bPrio = roomI32(this.bPrio, est);
      this.bReq = roomU8(this.bReq, est);
      this.bHint = roomI32(this.bHint, est);
      this.bMinimal = roomU8(this.bMinimal, est);
      this.bCls = roomU8(this.bCls, est);
      this.bFirst = roomU8(this.bFirst, est);
      this.capEst = est;
    }
    const nss = f.numVregs + 1;
    if (nss > this.capVregs) {
      this.ssCls = roomI32(this.ssCls, nss);
      this.ssFrom = roomI32(this.ssFrom, nss);
      this.ssTo = roomI32(this.ssTo, nss);
      this.ssSlot = roomI32(this.ssSlot, nss);
      this.ssNeedsSlot = roomU8(this.ssNeedsSlot, nss);
      this.ssSplits = roomI32(this.ssSplits, nss);
      this.ssHint = roomI32(this.ssHint, nss);
      this.capVregs = nss;
    }
    // Only the env's allocatable pregs get an occupancy slot.
    this.occ.begin(2 * n, env.slotOf, env.numSlots, this.lrFrom);
  }

  /** Ends a run: hands the occupancy's grown buffers back to the context. */
  release(): void {
    this.occ.release();
  }

  // ---- Growth ----

  /** Appends a live range whose first use at or after `from` is `use`; returns its id. */
  addLr(from: number, to: number, v: number, use: number): number {
    const r = this.nLr;
    if (r === this.lrFrom.length) this.growRanges(r + 1);
    this.lrFrom[r] = from;
    this.lrTo[r] = to;
    this.lrVreg[r] = v;
    this.lrBundle[r] = -1;
    this.lrUse[r] = use;
    this.lrReq[r] = SUMMARY_STALE;
    this.lrNext[r] = -1;
    this.nLr = r + 1;
    return r;
  }

  /**
   * Appends a live range of vreg v with its first use and its use summary
   * known (see `lrW`), last of its vreg's list so far (the caller links it
   * after the previous one); returns its id.
   */
  newRange(from: number, to: number, v: number, use: number, w: number, req: number, hint: number): number {
    const r = this.nLr;
    if (r === this.lrFrom.length) this.growRanges(r + 1);
    this.lrFrom[r] = from;
    this.lrTo[r] = to;
    this.lrVreg[r] = v;
    this.lrUse[r] = use;
    this.lrW[r] = w;
    this.lrReq[r] = req;
    this.lrHint[r] = hint;
    this.lrNext[r] = -1;
    this.nLr = r + 1;
    return r;
  }

  private growRanges(n: number): void {
    this.lrFrom = growI32(this.lrFrom, n);
    this.lrTo = growI32(this.lrTo, n);
    this.lrVreg = growI32(this.lrVreg, n);
    this.lrBundle = growI32(this.lrBundle, n);
    this.lrUse = growI32(this.lrUse, n);
    this.lrW = growF64(this.lrW, n);
    this.lrReq = growU8(this.lrReq, n);
    this.lrHint = growI32(this.lrHint, n);
    this.lrNext = growI32(this.lrNext, n);
    this.occ.ensureRanges(this.lrFrom.length, this.lrFrom);
  }

  addLiveIn(block: number, v: number): void {
    const k = this.nLi;
    if (k === this.liBlock.length) {
      this.liBlock = growI32(this.liBlock, k + 1);
      this.liVreg = growI32(this.liVreg, k + 1);
    }
    this.liBlock[k] = block;
    this.liVreg[k] = v;
    this.nLi = k + 1;
  }

  addFixup(kind: number, inst: number, v: number, p: number): void {
    const k = this.nFx;
    if (k === this.fxKind.length) {
      this.fxKind = growI32(this.fxKind, k + 1);
      this.fxInst = growI32(this.fxInst, k + 1);
      this.fxVreg = growI32(this.fxVreg, k + 1);
      this.fxPreg = growI32(this.fxPreg, k + 1);
    }
    this.fxKind[k] = kind;
    this.fxInst[k] = inst;
    this.fxVreg[k] = v;
    this.fxPreg[k] = p;
    this.nFx = k + 1;
  }

  addMoveInst(i: number): void {
    const k = this.nMoveInsts;
    if (k === this.moveInsts.length) this.moveInsts = growI32(this.moveInsts, k + 1);
    this.moveInsts[k] = i;
    this.nMoveInsts = k + 1;
  }

  addReuse(def: number, input: number, inst: number): void {
    const k = this.nReuse;
    if (k === this.reuseDef.length) {
      this.reuseDef = growI32(this.reuseDef, k + 1);
      this.reuseIn = growI32(this.reuseIn, k + 1);
      this.reuseInst = growI32(this.reuseInst, k + 1);
    }
    this.reuseDef[k] = def;
    this.reuseIn[k] = input;
    this.reuseInst[k] = inst;
    this.nReuse = k + 1;
  }

  /** Reserves `n` arena entries; returns the offset of the first. */
  arenaAlloc(n: number): number {
    const off = this.arenaTop;
    if (off + n > this.arena.length) this.arena = growI32(this.arena, off + n);
    this.arenaTop = off + n;
    return off;
  }

  /** Room for bundle ids below n in the bundle tables (their contents are kept). */
  reserveBundles(n: number): void {
    if (n > this.bOff.length) this.growBundles(n);
  }

  private growBundles(m: number): void {
    this.bOff = growI32(this.bOff, m);
    this.bLen = growI32(this.bLen, m);
    this.bAlloc = growI32(this.bAlloc, m);
    this.bSpillset = growI32(this.bSpillset, m);
    this.bWeight = growF64(this.bWeight, m);
    this.bPrio = growI32(this.bPrio, m);
    this.bReq = growU8(this.bReq, m);
    this.bHint = growI32(this.bHint, m);
    this.bMinimal = growU8(this.bMinimal, m);
    this.bCls = growU8(this.bCls, m);
    this.bFirst = growU8(this.bFirst, m);
  }

  /** A new empty bundle (its slice is set by the caller). */
  newBundle(cls: number, spillset: number): number {
    const b = this.nB;
    if (b === this.bOff.length) this.growBundles(b + 1);
    this.bOff[b] = this.arenaTop;
    this.bLen[b] = 0;
    this.bAlloc[b] = UNASSIGNED;
    this.bSpillset[b] = spillset;
    this.bWeight[b] = 0;
    this.bPrio[b] = 0;
    this.bReq[b] = 0;
    this.bHint[b] = -1;
    this.bMinimal[b] = 0;
    this.bCls[b] = cls;
    this.bFirst[b] = 0;
    this.nB = b + 1;
    return b;
  }

  /** Fills `crossPrefix`; before the first `recompute`. */
  computeCrossPrefix(): void {
    const f = this.f;
    const env = this.env;
    const mark = this.ctx.stampMarks(BUF.crossMark, 192);
    for (let c = 0; c < 3; c++) {
      this.crossPrefix[c] = null;
      const np = env.numPreferred[c];
      // Without clobbers (most small functions) nothing clobbers the preferred registers.
      if (np === 0 || np === env.order[c].length || f.numClobs === 0) continue;
      let prefix: Int32Array | null = null;
      const base = this.ctx.takeStamps(f.numInsts);
      for (let i = 0; i < f.numInsts; i++) {
        const k0 = f.clobOff[i];
        const k1 = f.clobOff[i + 1];
        if (k1 - k0 < np) continue;
        const stamp = base + i;
        for (let k = k0; k < k1; k++) mark[f.clobs[k]] = stamp;
        let all = true;
        for (let q = 0; q < np && all; q++) if (mark[env.order[c][q]] !== stamp) all = false;
        if (!all) continue;
        if (prefix === null) prefix = this.ctx.filledI32(BUF.crossPrefix0 + c, f.numInsts + 1, 0);
        prefix[i + 1] = 1;
      }
      if (prefix === null) continue;
      for (let i = 0; i < f.numInsts; i++) prefix[i + 1] += prefix[i];
      this.crossPrefix[c] = prefix;
    }
  }

  bundleStart(b: number): number {
    return this.lrFrom[this.arena[this.bOff[b]]];
  }
  bundleEnd(b: number): number {
    return this.lrTo[this.arena[this.bOff[b] + this.bLen[b] - 1]];
  }

  /**
   * Splits range r at x (from < x < to): r keeps [from, x), the returned new
   * range holds [x, to).
   */
  splitLr(r: number, x: number): number {
    const v = this.lrVreg[r];
    const nr = this.addLr(x, this.lrTo[r], v, this.firstUseAtOrAfter(v, this.lrUse[r], x));
    const next = this.lrNext[r];
    this.lrNext[nr] = next;
    this.lrNext[r] = nr;
    this.lrTo[r] = x;
    this.lrReq[r] = SUMMARY_STALE;
    return nr;
  }

  /** First use index of vreg v at or after point pt, searching from use index `lo`. */
  firstUseAtOrAfter(v: number, lo: number, pt: number): number {
    const end = this.useOff[v + 1];
    const uses = this.uses;
    // Galloping from `lo`: a split point is usually a few uses past a range's first.
    let hi = lo;
    let step = 1;
    while (hi < end && uses[2 * hi] < pt) {
      lo = hi + 1;
      hi += step;
      step *= 2;
    }
    if (hi > end) hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (uses[2 * mid] < pt) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Rebuilds range r's use summary (`lrW`, `lrReq`, `lrHint`) from its uses; returns its requirement. */
  summarize(r: number): number {
    const to = this.lrTo[r];
    const ue = this.useOff[this.lrVreg[r] + 1];
    const uses = this.uses;
    // Branch-free, as in the liveness pass: `rq` is the tightest requirement
    // minus one, mod 256 (255: none); `hint` is -1 until set.
    let w = 0;
    let rq = 255;
    let hint = -1;
    for (let u = this.lrUse[r]; u < ue && uses[2 * u] < to; u++) {
      const info = uses[2 * u + 1];
      w += useW(info);
      const dq = ((useReq(info) - 1) & 0xff) - rq;
      rq += dq & (dq >> 31);
      hint += (hint >> 31) & (useHint(info) - hint);
    }
    const req = (rq + 1) & 0xff;
    this.lrW[r] = w;
    this.lrReq[r] = req;
    this.lrHint[r] = hint;
    return req;
  }

  /**
   * Recomputes weight, priority, requirement, hint and minimality of bundle b
   * from its ranges' use summaries.
   */
  recompute(b: number): void {
    const arena = this.arena;
    const lrFrom = this.lrFrom;
    const lrTo = this.lrTo;
    const lrW = this.lrW;
    const lrReq = this.lrReq;
    const lrHint = this.lrHint;
    let w = 0;
    let len = 0;
    // Branch-free, as in the liveness pass: `rq` is the tightest requirement
    // minus one, mod 256 (255: none); `hint` is -1 until set.
    let rq = 255;
    let hint = -1;
    const prefix = this.crossPrefix[this.bCls[b]];
    let crosses = false;
    const off = this.bOff[b];
    const end = off + this.bLen[b];
    for (let k = off; k < end; k++) {
      const r = arena[k];
      const from = lrFrom[r];
      const to = lrTo[r];
      len += to - from;
      if (prefix !== null && !crosses) {
        // Instructions i with from <= 2i and 2i + 2 <= to: live before and after i.
        const lo = (from + 1) >> 1;
        const hi = to >> 1;
        crosses = hi > lo && prefix[hi] - prefix[lo] > 0;
      }
      let q = lrReq[r];
      if (q === SUMMARY_STALE) q = this.summarize(r);
      w += lrW[r];
      const dq = ((q - 1) & 0xff) - rq;
      rq += dq & (dq >> 31);
      hint += (hint >> 31) & (lrHint[r] - hint);
    }
    const req = (rq + 1) & 0xff;
    // Ranges are sorted: the first starts first and the last ends last.
    const minimal = end > off && lrFrom[arena[off]] >> 1 === (lrTo[arena[end - 1]] - 1) >> 1 ? 1 : 0;
    this.bFirst[b] = crosses ? this.env.numPreferred[this.bCls[b]] : 0;
    this.bMinimal[b] = minimal;
    this.bReq[b] = req;
    if (hint >= 0 || this.bHint[b] < 0) this.bHint[b] = hint;
    this.bPrio[b] = len;
    this.bWeight[b] = minimal === 1 && req !== 0 ? MINIMAL_WEIGHT : (w * 1000) / (len + 2);
  }
}
