// Small zeroed typed arrays for the IR's hot tables, carved from slabs.
//
// V8 gives every typed array over 64 bytes its own off-heap backing store,
// which costs far more to allocate and to collect than the array is worth
// for the small tables of a typical function. Arrays between 64 bytes and
// SLAB_MAX_BYTES are instead views into a shared 64 KiB slab, carved in
// order and never reused (fresh slabs are zeroed, so views are too). A
// slab lives while any view into it does, so a long-lived small table may
// pin up to 64 KiB; in exchange such an array costs about as much to
// allocate as a plain object.
//
// Analyses that are recomputed (the verifier's CFG and dominator tree)
// keep their arrays and reuse them while they are long enough
// (`reuseU32`).
//
// A caller that can index with an offset may skip even the view:
// `carveWords` reserves a range of the current slab and returns its start,
// and `slabWords` is the slab itself (Function keeps its first DFG and
// Layout tables that way: no typed-array object per function).
//
// Invariant: every new array or range handed out is zero-filled and shares
// no words with any other live one (`reuseU32` gives a caller back its own
// array, contents as they are).

const ON_HEAP_BYTES = 64;
const SLAB_WORDS = 16 * 1024;
const SLAB_MAX_BYTES = 4096;
let slab = new Uint32Array(0);
let slabUsed = 0;

/**
 * Reserves `words` words (rounded up to even, keeping 8-byte alignment) of
 * the current slab, starting a new one when it is full; returns the start.
 */
export function carveWords(words: number): number {
  const n = (words + 1) & ~1;
  if (slabUsed + n > slab.length) {
    slab = new Uint32Array(SLAB_WORDS);
    slabUsed = 0;
  }
  const start = slabUsed;
  slabUsed = start + n;
  return start;
}

/** The slab the last `carveWords` call carved from (a later call may start another). */
export function slabWords(): Uint32Array {
  return slab;
}

/** A zeroed Uint32Array of length `n` (from a slab when small). */
export function newU32(n: number): Uint32Array {
  const bytes = n * 4;
  if (bytes <= ON_HEAP_BYTES || bytes > SLAB_MAX_BYTES) return new Uint32Array(n);
  const start = carveWords(n);
  return new Uint32Array(slab.buffer, start * 4, n);
}

/**
 * `arr` when it holds at least `n` words, else a zeroed array of at least
 * `n` (doubling `arr`'s length, for tables recomputed into again and again);
 * the caller clears what it relies on.
 */
export function reuseU32(arr: Uint32Array, n: number): Uint32Array {
  return arr.length >= n ? arr : newU32(Math.max(n, arr.length * 2));
}

/** `out[0, n) = src[offset, offset + n)`; long runs by the native copy (then a view costs less than a loop). */
export function copyWords(out: Uint32Array, src: Uint32Array, offset: number, n: number): void {
  if (n > 64) {
    out.set(src.subarray(offset, offset + n));
    return;
  }
  for (let i = 0; i < n; i++) out[i] = src[offset + i];
}
