// A growable Int32Array: the frontend's compact storage for per-block,
// per-value and per-edge tables, so no object is allocated per entry.

export class IntVec {
  data: Int32Array;
  length = 0;

  constructor(capacity = 16, private readonly fill = 0) {
    this.data = new Int32Array(Math.max(4, capacity));
    if (fill !== 0) this.data.fill(fill);
  }

  push(v: number): number {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length] = v;
    return this.length++;
  }
  pop(): number {
    return this.data[--this.length];
  }
  top(): number {
    return this.data[this.length - 1];
  }
  /** Makes indices below `n` exist; new slots hold the fill value. */
  ensure(n: number): void {
    if (n > this.data.length) this.reserve(n);
    if (n > this.length) this.length = n;
  }
  private reserve(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const next = new Int32Array(cap);
    if (this.fill !== 0) next.fill(this.fill, this.data.length);
    next.set(this.data);
    this.data = next;
  }
}
