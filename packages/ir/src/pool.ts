// Growable typed-array storage shared by the IR's hot tables.
//
// `U32Vec` is a Uint32Array that doubles when full. `ListPool` stores many
// short lists (instruction arguments, results, block-call arguments) in one
// U32Vec; a list is named by (start, length) kept by its owner. Appending to
// a list that does not end the pool copies it to the end first, leaving the
// old run as garbage: lists are short and rarely grow after creation, so the
// pool stays compact in practice and no per-list object is allocated.

export class U32Vec {
  data: Uint32Array;
  length = 0;

  constructor(capacity = 16, fill?: number) {
    this.data = new Uint32Array(Math.max(4, capacity));
    if (fill !== undefined) this.data.fill(fill);
    this.fillValue = fill;
  }
  private readonly fillValue: number | undefined;

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
  private grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new Uint32Array(cap);
    if (this.fillValue !== undefined) next.fill(this.fillValue, this.data.length);
    next.set(this.data);
    this.data = next;
  }
}

export class U16Vec {
  data: Uint16Array;
  length = 0;
  constructor(capacity = 16) {
    this.data = new Uint16Array(Math.max(4, capacity));
  }
  push(v: number): number {
    if (this.length === this.data.length) this.resize(this.length + 1);
    this.data[this.length] = v;
    return this.length++;
  }
  resize(n: number): void {
    if (n > this.data.length) {
      let cap = this.data.length * 2;
      while (cap < n) cap *= 2;
      const next = new Uint16Array(cap);
      next.set(this.data);
      this.data = next;
    }
    this.length = Math.max(this.length, n);
  }
}

export class I32Vec {
  data: Int32Array;
  length = 0;
  constructor(capacity = 16) {
    this.data = new Int32Array(Math.max(4, capacity));
  }
  push(v: number): number {
    if (this.length === this.data.length) this.resize(this.length + 1);
    this.data[this.length] = v;
    return this.length++;
  }
  resize(n: number): void {
    if (n > this.data.length) {
      let cap = this.data.length * 2;
      while (cap < n) cap *= 2;
      const next = new Int32Array(cap);
      next.set(this.data);
      this.data = next;
    }
    this.length = Math.max(this.length, n);
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
