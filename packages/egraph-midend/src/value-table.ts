// Dense per-entity tables that grow on write: the mid-end's side tables
// keyed by Value or Inst ids (e-class of a value, its cost, where it was
// elaborated). Reads past the end return the fill value, so a table never
// needs sizing up front while the e-graph keeps creating values.
//
// Tables are reusable: `reset()` restores the fill value over the range
// written since the last reset (tracked as a high-water mark), so a table
// serving many small functions in turn costs what each function touches,
// not a fresh allocation each time. The optimizer keeps its tables across
// calls (optimize.ts) and clears only those whose stale entries could be
// read.

export class U32Table {
  private data: Uint32Array;
  /** One past the highest index written since the last reset. */
  private hi = 0;
  constructor(
    capacity: number,
    readonly fill: number,
  ) {
    this.data = new Uint32Array(Math.max(16, capacity));
    if (fill !== 0) this.data.fill(fill);
  }
  get(i: number): number {
    return i < this.data.length ? this.data[i] : this.fill;
  }
  set(i: number, v: number): void {
    if (i >= this.data.length) this.grow(i);
    if (i >= this.hi) this.hi = i + 1;
    this.data[i] = v;
  }
  /** Post-invariant: every index reads as the fill value. */
  reset(): void {
    const hi = this.hi;
    // A small function touches a few entries, which a loop clears faster than a call to `fill`.
    if (hi > 64) this.data.fill(this.fill, 0, hi);
    else for (let i = 0; i < hi; i++) this.data[i] = this.fill;
    this.hi = 0;
  }
  private grow(i: number): void {
    let n = this.data.length * 2;
    while (n <= i) n *= 2;
    const d = new Uint32Array(n);
    if (this.fill !== 0) d.fill(this.fill, this.data.length);
    d.set(this.data);
    this.data = d;
  }
}

export class F64Table {
  private data: Float64Array;
  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(16, capacity));
  }
  get(i: number): number {
    return i < this.data.length ? this.data[i] : 0;
  }
  set(i: number, v: number): void {
    if (i >= this.data.length) {
      let n = this.data.length * 2;
      while (n <= i) n *= 2;
      const d = new Float64Array(n);
      d.set(this.data);
      this.data = d;
    }
    this.data[i] = v;
  }
}
