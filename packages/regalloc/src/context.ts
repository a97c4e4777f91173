// Reusable working memory for `run`, in the manner of regalloc2's
// `run_with_ctx`: a compiler that allocates many functions passes one context
// to every call, so the allocator's typed arrays (uses, live ranges, bundles,
// occupancy bitsets, move tables) are allocated once, grown on demand and
// reused, not rebuilt and garbage-collected per function.
//
// Invariants: a context holds no result of a previous run that a later run
// can observe: every buffer taken from it is either initialised by its
// consumer before being read, or taken zeroed (`zeroed*`). The fuzz tests
// reuse one context across thousands of functions and compare its results
// with a fresh context's to check this. A context serves one `run` at a time,
// and nothing in an `Output` aliases its memory.

/** Opaque, reusable allocator memory; pass the same one to successive `run` calls. */
export class RegallocContext {
  private readonly i32s = new Map<string, Int32Array>();
  private readonly f64s = new Map<string, Float64Array>();
  private readonly u8s = new Map<string, Uint8Array>();

  /** @internal An Int32Array of length >= n with unspecified contents. */
  i32(name: string, n: number): Int32Array {
    const a = this.i32s.get(name);
    if (a !== undefined && a.length >= n) return a;
    const b = new Int32Array(capacity(n));
    this.i32s.set(name, b);
    return b;
  }

  /** @internal An Int32Array of length >= n whose first n entries are `value`. */
  filledI32(name: string, n: number, value: number): Int32Array {
    const a = this.i32(name, n);
    a.fill(value, 0, n);
    return a;
  }

  /** @internal A Float64Array of length >= n with unspecified contents. */
  f64(name: string, n: number): Float64Array {
    const a = this.f64s.get(name);
    if (a !== undefined && a.length >= n) return a;
    const b = new Float64Array(capacity(n));
    this.f64s.set(name, b);
    return b;
  }

  /** @internal A Uint8Array of length >= n with unspecified contents. */
  u8(name: string, n: number): Uint8Array {
    const a = this.u8s.get(name);
    if (a !== undefined && a.length >= n) return a;
    const b = new Uint8Array(capacity(n));
    this.u8s.set(name, b);
    return b;
  }

  /** @internal A Uint8Array of length >= n whose first n entries are `value`. */
  filledU8(name: string, n: number, value: number): Uint8Array {
    const a = this.u8(name, n);
    a.fill(value, 0, n);
    return a;
  }

  /** @internal Keeps a buffer that its user grew, for the next run. */
  keepI32(name: string, a: Int32Array): void {
    this.i32s.set(name, a);
  }
  /** @internal */
  keepF64(name: string, a: Float64Array): void {
    this.f64s.set(name, a);
  }
  /** @internal */
  keepU8(name: string, a: Uint8Array): void {
    this.u8s.set(name, a);
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
