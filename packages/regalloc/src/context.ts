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
// can observe: every buffer taken from it (or kept by a reused object, such
// as the allocator state's tables) is either initialised by its consumer
// before being read, or taken filled (`filled*`), or is a mark array read
// only against stamps newer than every earlier pass's (`stampMarks`,
// `takeStamps`); the reused objects reset every counter at the start of a
// run. The fuzz tests
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
 * buffer is an array load, not a lookup by name). One id per buffer (ids of
 * buffers no longer used are not reused, so the numbering has gaps); the
 * three `crossPrefix` ids are consecutive.
 */
export const BUF = {
  bestConflicts: 0,
  conflicts: 1,
  crossMark: 2,
  cuts: 3,
  defStart: 4,
  lrBlockScale: 5,
  lrBlocks: 6,
  lrBucket: 7,
  lrFill: 8,
  lrLateFixedDef: 9,
  lrLiveIn: 10,
  lrLiveOut: 11,
  lrMFrom: 12,
  lrMOwner: 13,
  lrMSlot: 14,
  lrMTo: 15,
  lrResAt: 16,
  lrResFrom: 17,
  lrResOrder: 18,
  lrResOwner: 19,
  lrResSlot: 20,
  lrResTo: 21,
  lrStack: 22,
  mergeCap: 23,
  mergeRangesOf: 25,
  mvCls: 26,
  mvContent: 27,
  mvCursor: 28,
  mvEFrom: 29,
  mvEPoint: 30,
  mvETo: 31,
  mvFrom: 33,
  mvKey: 34,
  mvLiFill: 35,
  mvLiIn: 36,
  mvLiOff: 37,
  mvLiV: 38,
  mvPieceAlloc: 39,
  mvPieceFrom: 40,
  mvPieceOff: 42,
  mvPieceTo: 45,
  mvSortA: 46,
  mvSortB: 47,
  mvSortCount: 48,
  mvStamp: 49,
  mvTo: 50,
  noRange: 51,
  occCell: 52,
  occNext: 53,
  occOcc: 54,
  occRes: 55,
  occResFirst: 56,
  occResFrom: 57,
  occResOff: 58,
  occResOwner: 59,
  occResTo: 60,
  queue: 61,
  queueCount: 62,
  queueKeys: 63,
  seen: 65,
  slotsKeys: 66,
  spilled: 67,
  useOff: 70,
  vregSpillset: 74,
  crossPrefix0: 75,
  crossPrefix1: 76,
  crossPrefix2: 77,
  lrDepthDiff: 78,
  blockDepth: 79,
  domCount: 80,
  domAt: 81,
  domSites: 82,
  domMark: 83,
  domStack: 84,
  faRegVreg: 85,
  faDirty: 86,
  faClaimV: 87,
  faClaimE: 88,
  faClaimL: 89,
  faExcl: 90,
  faClob: 91,
  vregFirst: 92,
  lrBlockBits: 93,
  uses: 94,
  mergeGrown: 95,
  mvTouched: 96,
  lrUnsorted: 97,
  mvMixed: 98,
  mergeGrownList: 99,
  mvMoved: 100,
  mvDrop: 101,
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
    // `fill` is a builtin call of ~20 ns; a loop is cheaper for the small arrays of small functions.
    if (n <= SMALL_FILL) for (let k = 0; k < n; k++) a[k] = value;
    else a.fill(value, 0, n);
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
    if (n <= SMALL_FILL) for (let k = 0; k < n; k++) a[k] = value;
    else a.fill(value, 0, n);
    return a;
  }

  private stampBase = 0;
  /**
   * @internal A mark array of at least `size` entries that is never cleared
   * (see `takeStamps`); entries start at -1.
   */
  stampMarks(id: number, size: number): Int32Array {
    let marks = this.i32s[id];
    if (marks === undefined || marks.length < size) {
      marks = new Int32Array(capacity(size)).fill(-1);
      this.i32s[id] = marks;
    }
    return marks;
  }
  /**
   * @internal Stamps for per-instruction marks in `stampMarks` arrays: a
   * pass over n instructions marks instruction i with base + i, and every
   * mark left by an earlier pass is below base. When the stamps would
   * overflow, every mark array is reset to -1 and they restart at 0, so a
   * pass reads only marks it wrote itself after taking its stamps.
   */
  takeStamps(n: number): number {
    if (this.stampBase + n + 1 > 0x3fffffff) {
      this.stampBase = 0;
      for (const i of STAMPED) this.i32s[i]?.fill(-1);
    }
    const base = this.stampBase;
    this.stampBase = base + n + 1;
    return base;
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

/** Arrays up to this length are filled by a loop. */
const SMALL_FILL = 32;

/** The `stampMarks` arrays (one stamp counter serves them all). */
const STAMPED: readonly number[] = [BUF.lrLateFixedDef, BUF.crossMark, BUF.mvStamp, BUF.mvTouched];

/** Room for n entries plus slack, so that slowly growing inputs do not reallocate every run. */
function capacity(n: number): number {
  return Math.max(16, n + (n >>> 3));
}

/** `a` if it has room for n entries, else a new array with room and slack (contents not kept). */
export function roomI32(a: Int32Array, n: number): Int32Array {
  return a.length >= n ? a : new Int32Array(capacity(n));
}
export function roomF64(a: Float64Array, n: number): Float64Array {
  return a.length >= n ? a : new Float64Array(capacity(n));
}
export function roomU8(a: Uint8Array, n: number): Uint8Array {
  return a.length >= n ? a : new Uint8Array(capacity(n));
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
