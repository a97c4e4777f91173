// Small zeroed typed arrays for the IR's hot tables, carved from slabs.
//
// V8 gives every typed array over 64 bytes its own off-heap backing store,
// which costs far more to allocate and to collect than the array is worth
// for the small tables of a typical function. Arrays between 64 bytes and
// SLAB_MAX_BYTES are instead views into a shared 64 KiB ArrayBuffer, carved
// in order and never reused (fresh slabs are zeroed, so views are too). A
// slab lives while any view into it does, so a long-lived small table may
// pin up to 64 KiB; in exchange such an array costs about as much to
// allocate as a plain object.
//
// Invariant: every array returned is zero-filled and shares no words with
// any other live array.

const ON_HEAP_BYTES = 64;
const SLAB_BYTES = 64 * 1024;
const SLAB_MAX_BYTES = 4096;
let slab: ArrayBuffer | undefined;
let slabUsed = SLAB_BYTES;

/** Reserves `bytes` (a multiple of 8) of the current slab, which it returns; the range ends at `slabUsed`. */
function carve(bytes: number): ArrayBuffer {
  if (slab === undefined || slabUsed + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabUsed = 0;
  }
  slabUsed += bytes;
  return slab;
}

/** A zeroed Uint32Array of length `n` (from a slab when small). */
export function newU32(n: number): Uint32Array {
  const bytes = n * 4;
  if (bytes <= ON_HEAP_BYTES || bytes > SLAB_MAX_BYTES) return new Uint32Array(n);
  const buf = carve((bytes + 7) & ~7);
  return new Uint32Array(buf, slabUsed - ((bytes + 7) & ~7), n);
}
