// Reusable working memory for `run`, in the manner of regalloc2's
// `run_with_ctx`: a compiler that allocates many functions passes one context
// to every call, so the per-register occupancy maps (with their chunk
// storage) and the main loop's scratch buffers are allocated once and reset,
// not rebuilt and garbage-collected per function.
//
// Invariants: a context holds no result of a previous run that a later run
// can observe; every structure taken from it is reset before use (the fuzz
// tests reuse one context across thousands of functions to check this). A
// context serves one `run` at a time.

import { IntervalMap } from './ion/intervals.js';

/** Opaque, reusable allocator memory; pass the same one to successive `run` calls. */
export class RegallocContext {
  /** @internal Occupancy maps per preg, created on first use. */
  readonly pregMap: (IntervalMap | undefined)[] = [];
  /** @internal Reservation maps per preg, created on first use. */
  readonly pregRes: (IntervalMap | undefined)[] = [];
  /** @internal Scratch of the main loop (see ion/process.ts), grown on demand. */
  scratch: { buf: Int32Array; seen: Int32Array; conflicts: Int32Array; bestConflicts: Int32Array } = {
    buf: new Int32Array(1024),
    seen: new Int32Array(0),
    conflicts: new Int32Array(64),
    bestConflicts: new Int32Array(64),
  };

  /** @internal Empty occupancy and reservation maps for preg `p`. */
  mapsFor(p: number): void {
    const m = this.pregMap[p];
    if (m === undefined) this.pregMap[p] = new IntervalMap();
    else m.clear();
    const r = this.pregRes[p];
    if (r === undefined) this.pregRes[p] = new IntervalMap();
    else r.clear();
  }
}
