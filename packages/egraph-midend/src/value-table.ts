// Dense per-entity tables that grow on write: the mid-end's side tables
// keyed by Value or Inst ids (e-class of a value, its cost, where it was
// elaborated). Reads past the end return the fill value, so a table never
// needs sizing up front while the e-graph keeps creating values.
//
// Tables are reusable: `reset()` restores the fill value over the range
// written since the last reset (tracked as a high-water mark), so a table
// serving many small functions in turn costs what each function touches,
// not a fresh allocation each time. `TablePool` lends tables to one
// optimize call at a time.

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
    if (this.hi > 0) this.data.fill(this.fill, 0, this.hi);
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
  private hi = 0;
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
    if (i >= this.hi) this.hi = i + 1;
    this.data[i] = v;
  }
  /** Post-invariant: every index reads as 0. */
  reset(): void {
    if (this.hi > 0) this.data.fill(0, 0, this.hi);
    this.hi = 0;
  }
}

/**
 * Tables for one optimize call, handed out in a fixed order and all reset
 * together. The driver keeps one pool for consecutive calls and makes a
 * fresh one for a call nested inside another (a logger that optimizes).
 */
export class TablePool {
  private readonly u32s: U32Table[] = [];
  private readonly f64s: F64Table[] = [];
  private nextU32 = 0;
  private nextF64 = 0;
  inUse = false;

  /** A table reading `fill` everywhere. */
  u32(fill: number): U32Table {
    let t = this.u32s[this.nextU32];
    // Slots are lent in the same order every call, so a slot's fill value is
    // fixed after its first use; a different one gets a new table.
    if (t === undefined || t.fill !== fill) {
      t = new U32Table(64, fill);
      this.u32s[this.nextU32] = t;
    }
    this.nextU32++;
    return t;
  }
  f64(): F64Table {
    let t = this.f64s[this.nextF64];
    if (t === undefined) {
      t = new F64Table(64);
      this.f64s[this.nextF64] = t;
    }
    this.nextF64++;
    return t;
  }
  private slots: Uint32Array | undefined;

  /**
   * An open-addressing slot array of `size` entries (a power of two), all
   * NONE: a view of one buffer kept across calls, so a small function fills
   * only the few slots it needs.
   */
  takeSlots(size: number): Uint32Array {
    if (this.slots === undefined || this.slots.length < size) this.slots = new Uint32Array(Math.max(size, 256));
    const s = this.slots.length === size ? this.slots : this.slots.subarray(0, size);
    return s.fill(0xffffffff);
  }
  /** Records a grown slot array as the buffer to lend next time. */
  keepSlots(s: Uint32Array): void {
    if (this.slots === undefined || s.length > this.slots.length) this.slots = s;
  }

  /** Takes the pool for a call. Post-invariant: every table reads as its fill value. */
  acquire(): void {
    for (let i = 0; i < this.nextU32; i++) this.u32s[i].reset();
    for (let i = 0; i < this.nextF64; i++) this.f64s[i].reset();
    this.nextU32 = 0;
    this.nextF64 = 0;
    this.inUse = true;
  }
  release(): void {
    this.inUse = false;
  }
}
