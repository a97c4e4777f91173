// Growable typed-array storage shared by the IR's hot tables.
//
// `U32Vec` is a Uint32Array that doubles when full. `ListPool` stores many
// short lists (instruction arguments, results, block-call arguments) in one
// U32Vec; a list is named by (start, length) kept by its owner. Appending to
// a list that does not end the pool copies it to the end first, leaving the
// old run as garbage: lists are short and rarely grow after creation, so the
// pool stays compact in practice and no per-list object is allocated.

type Storage = Uint32Array | Uint16Array | Int32Array;

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
    super((n) => new Uint32Array(n), EMPTY_U32, capacity, fill);
  }
}
export class U16Vec extends TypedVec<Uint16Array> {
  constructor(capacity = 16) {
    super((n) => new Uint16Array(n), EMPTY_U16, capacity);
  }
}
export class I32Vec extends TypedVec<Int32Array> {
  constructor(capacity = 16) {
    super((n) => new Int32Array(n), EMPTY_I32, capacity);
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
      const next = new Uint32Array(Math.max(this.data.length * 2, this.initialCount * this.stride, need));
      next.set(this.data);
      this.data = next;
    }
    return this.count++;
  }
}

/** Many short lists of u32 in one vector; owners keep (start, length). */
export class ListPool {
  readonly vec = new U32Vec(64);

  /** Allocates a list holding `items`; returns its start. */
  alloc(items: ArrayLike<number>): number {
    const start = this.vec.length;
    for (let i = 0; i < items.length; i++) this.vec.push(items[i]);
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
