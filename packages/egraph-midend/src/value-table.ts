// Dense per-entity tables that grow on write: the mid-end's side tables
// keyed by Value or Inst ids (e-class of a value, its cost, where it was
// elaborated). Reads past the end return the fill value, so a table never
// needs sizing up front while the e-graph keeps creating values.

export class U32Table {
  private data: Uint32Array;
  constructor(
    capacity: number,
    private readonly fill: number,
  ) {
    this.data = new Uint32Array(Math.max(16, capacity)).fill(fill);
  }
  get(i: number): number {
    return i < this.data.length ? this.data[i] : this.fill;
  }
  set(i: number, v: number): void {
    if (i >= this.data.length) this.grow(i);
    this.data[i] = v;
  }
  private grow(i: number): void {
    let n = this.data.length * 2;
    while (n <= i) n *= 2;
    const d = new Uint32Array(n).fill(this.fill);
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
