// Reusable working memory for `run`, in the manner of regalloc2's
// `run_with_ctx`: a compiler that allocates many functions passes one context
// to every call, so the allocator's typed arrays (uses, live ranges, bundles,
// occupancy bitsets, move tables) are allocated once, grown on demand and
// reused, not rebuilt and garbage-collected per function. Besides the typed
// arrays (named by `BUF` ids, so that taking one is an array load), it keeps
// the objects of a run (the read function, the backtracking allocator's
// state, main loop and move resolver), which each run resets, so that a
// small function pays no allocation or set-up beyond what its size needs.
//
// Invariants: a context holds no result of a previous run that a later run
// can observe: every buffer taken from it is either initialised by its
// consumer before being read, or taken filled (`filled*`); the reused
// objects reset every counter at the start of a run. The fuzz tests
// reuse one context across thousands of functions and compare its results
// with a fresh context's to check this. A context serves one `run` at a time,
// and nothing in an `Output` aliases its memory.

import type { Resolver } from './ion/moves.js';
import type { Allocator } from './ion/process.js';
import type { IonState } from './ion/state.js';
import type { FlatFunction } from './validate.js';

/** The backtracking allocator's reusable objects (see driver.ts). */
export interface IonObjects {
  readonly state: IonState;
  readonly allocator: Allocator;
  readonly resolver: Resolver;
}

/**
 * Ids of the context's buffers (an index into per-type tables, so taking a
 * buffer is an array load, not a lookup by name). One id per buffer; the
 * three `crossPrefix` ids are consecutive.
 */
export const BUF = {
  arena: 0,
  bAlloc: 1,
  bCls: 2,
  bFirst: 3,
  bHint: 4,
  bLen: 5,
  bMinimal: 6,
  bOff: 7,
  bPrio: 8,
  bReq: 9,
  bSpillset: 10,
  bWeight: 11,
  bestConflicts: 12,
  conflicts: 13,
  crossMark: 14,
  cuts: 15,
  defStart: 16,
  fxInst: 17,
  fxKind: 18,
  fxPreg: 19,
  fxVreg: 20,
  liBlock: 21,
  liVreg: 22,
  lrBlockScale: 23,
  lrBlocks: 24,
  lrBucket: 25,
  lrFill: 26,
  lrLateFixedDef: 27,
  lrLiveIn: 28,
  lrLiveOut: 29,
  lrMFrom: 30,
  lrMOwner: 31,
  lrMSlot: 32,
  lrMTo: 33,
  lrResAt: 34,
  lrResFrom: 35,
  lrResOrder: 36,
  lrResOwner: 37,
  lrResSlot: 38,
  lrResTo: 39,
  lrStack: 40,
  lrBundle: 41,
  lrFrom: 42,
  lrTo: 43,
  lrUse: 44,
  lrVreg: 45,
  mergeCap: 46,
  mergeFirstRange: 47,
  mergeRangesOf: 48,
  mvCls: 49,
  mvContent: 50,
  mvCursor: 51,
  mvEFrom: 52,
  mvEPoint: 53,
  mvETo: 54,
  mvFill: 55,
  mvFrom: 56,
  mvKey: 57,
  mvLiFill: 58,
  mvLiIn: 59,
  mvLiOff: 60,
  mvLiV: 61,
  mvPieceAlloc: 62,
  mvPieceFrom: 63,
  mvPieceKeys: 64,
  mvPieceOff: 65,
  mvPieceTmpAlloc: 66,
  mvPieceTmpTo: 67,
  mvPieceTo: 68,
  mvSortA: 69,
  mvSortB: 70,
  mvSortCount: 71,
  mvStamp: 72,
  mvTo: 73,
  noRange: 74,
  occCell: 75,
  occNext: 76,
  occOcc: 77,
  occRes: 78,
  occResFirst: 79,
  occResFrom: 80,
  occResOff: 81,
  occResOwner: 82,
  occResTo: 83,
  queue: 84,
  queueCount: 85,
  queueKeys: 86,
  queueSorted: 87,
  reuseDef: 88,
  reuseIn: 89,
  reuseInst: 90,
  seen: 91,
  slotOf: 92,
  slotsKeys: 93,
  spilled: 94,
  ssCls: 95,
  ssFrom: 96,
  ssNeedsSlot: 97,
  ssSlot: 98,
  ssSplits: 99,
  ssTo: 100,
  useHint: 101,
  useIsDef: 102,
  useOff: 103,
  usePt: 104,
  useReq: 105,
  useW: 106,
  vregSpillset: 107,
  crossPrefix0: 108,
  crossPrefix1: 109,
  crossPrefix2: 110,
  lrDepthDiff: 111,
  blockDepth: 112,
  domCount: 113,
  domAt: 114,
  domSites: 115,
  domMark: 116,
  domStack: 117,
} as const;

/** Opaque, reusable allocator memory; pass the same one to successive `run` calls. */
export class RegallocContext {
  private readonly i32s: (Int32Array | undefined)[] = [];
  private readonly f64s: (Float64Array | undefined)[] = [];
  private readonly u8s: (Uint8Array | undefined)[] = [];
  /** @internal The function as read by the last run (refilled by the next). */
  flat: FlatFunction | null = null;
  /** @internal The backtracking allocator's objects, reset by each run. */
  ion: IonObjects | null = null;

  /** @internal An Int32Array of length >= n with unspecified contents. */
  i32(id: number, n: number): Int32Array {
    const a = this.i32s[id];
    if (a !== undefined && a.length >= n) return a;
    const b = new Int32Array(capacity(n));
    this.i32s[id] = b;
    return b;
  }

  /** @internal An Int32Array of length >= n whose first n entries are `value`. */
  filledI32(id: number, n: number, value: number): Int32Array {
    const a = this.i32(id, n);
    a.fill(value, 0, n);
    return a;
  }

  /** @internal A Float64Array of length >= n with unspecified contents. */
  f64(id: number, n: number): Float64Array {
    const a = this.f64s[id];
    if (a !== undefined && a.length >= n) return a;
    const b = new Float64Array(capacity(n));
    this.f64s[id] = b;
    return b;
  }

  /** @internal A Uint8Array of length >= n with unspecified contents. */
  u8(id: number, n: number): Uint8Array {
    const a = this.u8s[id];
    if (a !== undefined && a.length >= n) return a;
    const b = new Uint8Array(capacity(n));
    this.u8s[id] = b;
    return b;
  }

  /** @internal A Uint8Array of length >= n whose first n entries are `value`. */
  filledU8(id: number, n: number, value: number): Uint8Array {
    const a = this.u8(id, n);
    a.fill(value, 0, n);
    return a;
  }

  /** @internal Keeps a buffer that its user grew, for the next run. */
  keepI32(id: number, a: Int32Array): void {
    this.i32s[id] = a;
  }
  /** @internal */
  keepF64(id: number, a: Float64Array): void {
    this.f64s[id] = a;
  }
  /** @internal */
  keepU8(id: number, a: Uint8Array): void {
    this.u8s[id] = a;
  }
}

/** Room for n entries plus slack, so that slowly growing inputs do not reallocate every run. */
function capacity(n: number): number {
  return Math.max(16, n + (n >>> 3));
}

/** A copy of `a` with room for at least `n` entries (doubling). */
export function growI32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(Math.max(n, 2 * a.length, 16));
  b.set(a);
  return b;
}
export function growF64(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(Math.max(n, 2 * a.length, 16));
  b.set(a);
  return b;
}
export function growU8(a: Uint8Array, n: number): Uint8Array {
  const b = new Uint8Array(Math.max(n, 2 * a.length, 16));
  b.set(a);
  return b;
}
