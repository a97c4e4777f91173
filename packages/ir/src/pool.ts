// Growable typed-array storage shared by the IR's hot tables.
//
// `U32Vec` is a Uint32Array that doubles when full. `ListPool` stores many
// short lists (instruction arguments, results, block-call arguments) in one
// U32Vec; a list is named by (start, length) kept by its owner. Appending to
// a list that does not end the pool copies it to the end first, leaving the
// old run as garbage: lists are short and rarely grow after creation, so the
// pool stays compact in practice and no per-list object is allocated.
//
// Small storage comes from slabs: V8 gives every typed array over 64 bytes
// its own off-heap backing store, which costs far more to allocate and to
// collect than the array is worth for the small tables of a typical
// function. Arrays between 64 bytes and SLAB_MAX_BYTES are instead views
// into a shared 64 KiB ArrayBuffer, carved in order and never reused (fresh
// slabs are zeroed, so views are too). A slab lives while any view into it
// does, so a long-lived small table may pin up to 64 KiB; in exchange such
// an array costs about as much to allocate as a plain object.

type Storage = Uint32Array | Uint16Array | Int32Array;

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
function slabBytes(n: number, unit: number): number {
  const bytes = n * unit;
  return bytes <= ON_HEAP_BYTES || bytes > SLAB_MAX_BYTES ? 0 : (bytes + 7) & ~7;
}

/** A zeroed Uint32Array of length `n` (from a slab when small). */
export function newU32(n: number): Uint32Array {
  const bytes = slabBytes(n, 4);
  if (bytes === 0) return new Uint32Array(n);
  const buf = carve(bytes);
  return new Uint32Array(buf, slabUsed - bytes, n);
}
function newU16(n: number): Uint16Array {
  const bytes = slabBytes(n, 2);
  if (bytes === 0) return new Uint16Array(n);
  const buf = carve(bytes);
  return new Uint16Array(buf, slabUsed - bytes, n);
}
function newI32(n: number): Int32Array {
  const bytes = slabBytes(n, 4);
  if (bytes === 0) return new Int32Array(n);
  const buf = carve(bytes);
  return new Int32Array(buf, slabUsed - bytes, n);
}

// Shared zero-length storage for vectors not yet written (never mutated:
// the first push replaces it).
const EMPTY_U32 = new Uint32Array(0);
const EMPTY_U16 = new Uint16Array(0);
const EMPTY_I32 = new Int32Array(0);

/**
 * A typed array that doubles when full. `length` counts the slots in use;
 * slots past it up to the capacity hold the fill value (0 unless given).
 */
class TypedVec<A extends Storage> {
  data: A;
  length = 0;

  /**
   * Storage is allocated on first use: most functions are small, and a
   * function owns a few dozen of these vectors, so eager allocation would
   * dominate the cost of parsing or building one.
   */
  constructor(
    private readonly make: (n: number) => A,
    empty: A,
    private readonly initialCapacity: number,
    private readonly fillValue?: number,
  ) {
    this.data = empty;
  }

  push(v: number): number {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length] = v;
    return this.length++;
  }
  /** Ensures index `n - 1` exists, filling new slots with the fill value. */
  resize(n: number): void {
    if (n > this.data.length) this.grow(n);
    this.length = Math.max(this.length, n);
  }
  get(i: number): number {
    return this.data[i];
  }
  set(i: number, v: number): void {
    this.data[i] = v;
  }
  /** Grows the storage only; `length` is unchanged. */
  private grow(min: number): void {
    let cap = Math.max(this.data.length * 2, this.initialCapacity, 4);
    while (cap < min) cap *= 2;
    const next = this.make(cap);
    if (this.fillValue !== undefined) next.fill(this.fillValue, this.data.length);
    next.set(this.data);
    this.data = next;
  }
}

export class U32Vec extends TypedVec<Uint32Array> {
  constructor(capacity = 16, fill?: number) {
    super(newU32, EMPTY_U32, capacity, fill);
  }
}
export class U16Vec extends TypedVec<Uint16Array> {
  constructor(capacity = 16) {
    super(newU16, EMPTY_U16, capacity);
  }
}
export class I32Vec extends TypedVec<Int32Array> {
  constructor(capacity = 16) {
    super(newI32, EMPTY_I32, capacity);
  }
}

/**
 * Fixed-size records of `stride` u32 words in one growable Uint32Array:
 * record i occupies words [i * stride, (i + 1) * stride). New records are
 * zeroed. Storage is allocated on first push.
 */
export class StridedVec {
  data: Uint32Array = EMPTY_U32;
  count = 0;

  constructor(
    readonly stride: number,
    private readonly initialCount: number,
  ) {}

  /** Appends a zeroed record; returns its index. */
  push(): number {
    const need = (this.count + 1) * this.stride;
    if (need > this.data.length) {
      const next = newU32(Math.max(this.data.length * 2, this.initialCount * this.stride, need));
      next.set(this.data);
      this.data = next;
    }
    return this.count++;
  }
}

/** Many short lists of u32 in one vector; owners keep (start, length). */
export class ListPool {
  readonly vec = new U32Vec(32);

  /** Allocates a list holding `items`; returns its start. */
  alloc(items: ArrayLike<number>): number {
    const vec = this.vec;
    const start = vec.length;
    const n = items.length;
    // One capacity check for the whole list, then plain stores.
    vec.resize(start + n);
    const data = vec.data;
    for (let i = 0; i < n; i++) data[start + i] = items[i];
    return start;
  }
  /**
   * Appends `v` to the list (start, len); returns the list's new start (it
   * moves when the list does not end the pool).
   */
  append(start: number, len: number, v: number): number {
    if (start + len !== this.vec.length || len === 0) {
      const s = this.vec.length;
      for (let i = 0; i < len; i++) this.vec.push(this.vec.data[start + i]);
      this.vec.push(v);
      return s;
    }
    this.vec.push(v);
    return start;
  }
  get(start: number, i: number): number {
    return this.vec.data[start + i];
  }
  set(start: number, i: number, v: number): void {
    this.vec.data[start + i] = v;
  }
  slice(start: number, len: number): number[] {
    const out = new Array<number>(len);
    for (let i = 0; i < len; i++) out[i] = this.vec.data[start + i]!;
    return out;
  }
}
