// The backtracking allocator's working state, shared by its phases:
//
//   liveranges.ts  uses, liveness, live ranges, fixups, preg reservations
//   merge.ts       bundles (merged across block params, reuses, moves), spillsets
//   process.ts     the priority-queue main loop: probe, evict, split, spill,
//                  second chance, spill-slot assignment
//   moves.ts       locations, operand allocations, edits
//
// Program points: point = 2 * inst + (0 early | 1 late). A live range is the
// half-open point interval [from, to). Bundles are split only at even points
// (instruction boundaries), where a move can be inserted.
//
// Invariants: every live range belongs to exactly one bundle; a bundle's
// ranges are sorted and pairwise disjoint; all vregs of a bundle share a class
// and a spillset; a spillset's [from, to) covers every range of every vreg
// that ever belonged to it, so its stack slot is exclusively its own there.

import type { RegallocContext } from '../context.js';
import type { Stats } from '../index.js';
import type { FlatEnv, FlatFunction } from '../validate.js';
import type { IntervalMap } from './intervals.js';

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

export type LogFn = ((line: string) => void) | null;

export class IonState {
  readonly f: FlatFunction;
  readonly env: FlatEnv;
  readonly log: LogFn;
  readonly stats: Stats;
  /** Where the occupancy maps and the main loop's scratch live between runs. */
  readonly ctx: RegallocContext;

  // Uses and defs per vreg, sorted by point (CSR by vreg).
  useOff!: Int32Array;
  usePt!: Int32Array;
  /** 0: no register needed; n: a register with hw < n (64: any register). */
  useReq!: Uint8Array;
  /** Preferred preg or -1. */
  useHint!: Int16Array;
  useW!: Float64Array;
  useIsDef!: Uint8Array;
  /** Per vreg: first point of its live range (its def, or block start for params). */
  defStart!: Int32Array;
  /** Per vreg: 1 if it has no live range at all (a dead fixed def). */
  noRange!: Uint8Array;

  // Live ranges.
  lrFrom: number[] = [];
  lrTo: number[] = [];
  lrVreg: number[] = [];
  lrBundle: number[] = [];
  /** (block, vreg) pairs: vreg is live into block and not a parameter of it. */
  liBlock: number[] = [];
  liVreg: number[] = [];

  // Fixups.
  fxKind: number[] = [];
  fxInst: number[] = [];
  fxOp: number[] = [];
  fxVreg: number[] = [];
  fxPreg: number[] = [];
  /** Reuse defs: (def vreg, input vreg, inst). */
  reuseDef: number[] = [];
  reuseIn: number[] = [];
  reuseInst: number[] = [];

  /** Loop depth per block, for use weights. */
  blockDepth!: Uint8Array;

  // Bundles.
  bRanges: number[][] = [];
  bAlloc: number[] = [];
  bSpillset: number[] = [];
  bWeight: number[] = [];
  bPrio: number[] = [];
  bReq: number[] = [];
  bHint: number[] = [];
  bMinimal: number[] = [];
  bCls: number[] = [];

  // Spillsets.
  ssCls: number[] = [];
  ssFrom: number[] = [];
  ssTo: number[] = [];
  ssSlot: number[] = [];
  ssNeedsSlot: number[] = [];
  /** Splits so far per spillset (see process.ts). */
  ssSplits: number[] = [];
  vregSpillset!: Int32Array;
  numSlots = 0;

  /** One occupancy map of bundles per allocatable preg (others stay undefined). */
  readonly pregMap: (IntervalMap | undefined)[];
  /**
   * Reservations per allocatable preg: owner -1 (clobber) or -2 - v (a fixed
   * operand of vreg v, which v's own ranges may overlap). Kept apart from
   * `pregMap` so that each map's entries stay disjoint.
   */
  readonly pregRes: (IntervalMap | undefined)[];

  constructor(f: FlatFunction, env: FlatEnv, log: LogFn, stats: Stats, ctx: RegallocContext) {
    this.f = f;
    this.env = env;
    this.log = log;
    this.stats = stats;
    this.ctx = ctx;
    // Only this run's allocatable pregs get maps; others stay undefined, as
    // the probe loop expects.
    this.pregMap = [];
    this.pregRes = [];
    for (let c = 0; c < 3; c++)
      for (const p of env.order[c]) {
        ctx.mapsFor(p);
        this.pregMap[p] = ctx.pregMap[p];
        this.pregRes[p] = ctx.pregRes[p];
      }
  }

  newBundle(cls: number, spillset: number): number {
    const b = this.bRanges.length;
    this.bRanges.push([]);
    this.bAlloc.push(UNASSIGNED);
    this.bSpillset.push(spillset);
    this.bWeight.push(0);
    this.bPrio.push(0);
    this.bReq.push(0);
    this.bHint.push(-1);
    this.bMinimal.push(0);
    this.bCls.push(cls);
    return b;
  }

  bundleStart(b: number): number {
    return this.lrFrom[this.bRanges[b][0]];
  }
  bundleEnd(b: number): number {
    const r = this.bRanges[b];
    return this.lrTo[r[r.length - 1]];
  }

  /** First use index of vreg v at or after point pt. */
  firstUseAtOrAfter(v: number, pt: number): number {
    let lo = this.useOff[v];
    let hi = this.useOff[v + 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.usePt[mid] < pt) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Recomputes weight, priority, requirement, hint and minimality of bundle b
   * from its ranges and the uses inside them.
   */
  recompute(b: number): void {
    const ranges = this.bRanges[b];
    let w = 0;
    let len = 0;
    let req = 0;
    let hint = -1;
    let minInst = 0x7fffffff;
    let maxInst = -1;
    for (const r of ranges) {
      const v = this.lrVreg[r];
      const from = this.lrFrom[r];
      const to = this.lrTo[r];
      len += to - from;
      if (from >> 1 < minInst) minInst = from >> 1;
      if ((to - 1) >> 1 > maxInst) maxInst = (to - 1) >> 1;
      const end = this.useOff[v + 1];
      for (let u = this.firstUseAtOrAfter(v, from); u < end && this.usePt[u] < to; u++) {
        w += this.useW[u];
        const q = this.useReq[u];
        if (q !== 0 && (req === 0 || q < req)) req = q;
        if (hint < 0 && this.useHint[u] >= 0) hint = this.useHint[u];
      }
    }
    const minimal = minInst === maxInst ? 1 : 0;
    this.bMinimal[b] = minimal;
    this.bReq[b] = req;
    if (hint >= 0 || this.bHint[b] < 0) this.bHint[b] = hint;
    this.bPrio[b] = len;
    this.bWeight[b] = minimal === 1 && req !== 0 ? MINIMAL_WEIGHT : (w * 1000) / (len + 2);
  }
}
