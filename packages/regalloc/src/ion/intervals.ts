// Per-preg occupancy map: which bundle or reservation holds a physical
// register over which program-point ranges. This module owns only the ordered
// storage; conflict policy lives in process.ts.
//
// Invariants: entries are half-open [from, to), pairwise disjoint, and kept
// sorted by `from` (hence also by `to`). Storage is a list of chunks of at most
// CHUNK entries each, so insertion and removal move O(CHUNK) elements and
// lookups are two binary searches; this is the B-tree of regalloc2's ION.md
// flattened to two levels.

const CHUNK = 64;

export class IntervalMap {
  private from: Int32Array[] = [];
  private to: Int32Array[] = [];
  private owner: Int32Array[] = [];
  private len: number[] = [];

  /** True when the map holds no entry. */
  get empty(): boolean {
    return this.len.length === 0;
  }

  clear(): void {
    this.from = [];
    this.to = [];
    this.owner = [];
    this.len = [];
  }

  /** Index of the first chunk whose last entry ends after `x`, or chunk count. */
  private chunkAfter(x: number): number {
    let lo = 0;
    let hi = this.len.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.to[mid][this.len[mid] - 1] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  private static entryAfter(to: Int32Array, n: number, x: number): number {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (to[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Post-invariant: entries stay sorted and disjoint (caller guarantees no overlap). */
  insert(from: number, to: number, owner: number): void {
    let c = this.chunkAfter(from);
    if (this.len.length === 0) {
      this.from.push(new Int32Array(CHUNK));
      this.to.push(new Int32Array(CHUNK));
      this.owner.push(new Int32Array(CHUNK));
      this.len.push(0);
      c = 0;
    } else if (c === this.len.length) c--;
    let n = this.len[c];
    let idx = IntervalMap.entryAfter(this.to[c], n, from);
    if (n === CHUNK) {
      // Split the chunk in half, then insert into the proper half.
      const half = CHUNK >>> 1;
      const nf = new Int32Array(CHUNK);
      const nt = new Int32Array(CHUNK);
      const no = new Int32Array(CHUNK);
      nf.set(this.from[c].subarray(half));
      nt.set(this.to[c].subarray(half));
      no.set(this.owner[c].subarray(half));
      this.from.splice(c + 1, 0, nf);
      this.to.splice(c + 1, 0, nt);
      this.owner.splice(c + 1, 0, no);
      this.len.splice(c + 1, 0, CHUNK - half);
      this.len[c] = half;
      if (idx > half || (idx === half && from >= nf[0])) {
        c++;
        idx -= half;
      }
      n = this.len[c];
    }
    const f = this.from[c];
    const t = this.to[c];
    const o = this.owner[c];
    if (idx < n) {
      f.copyWithin(idx + 1, idx, n);
      t.copyWithin(idx + 1, idx, n);
      o.copyWithin(idx + 1, idx, n);
    }
    f[idx] = from;
    t[idx] = to;
    o[idx] = owner;
    this.len[c] = n + 1;
  }

  /** Removes the entry that starts at `from`; returns false if none does. */
  remove(from: number): boolean {
    const c = this.chunkAfter(from);
    if (c === this.len.length) return false;
    const n = this.len[c];
    const idx = IntervalMap.entryAfter(this.to[c], n, from);
    if (idx >= n || this.from[c][idx] !== from) return false;
    if (n === 1) {
      this.from.splice(c, 1);
      this.to.splice(c, 1);
      this.owner.splice(c, 1);
      this.len.splice(c, 1);
      return true;
    }
    this.from[c].copyWithin(idx, idx + 1, n);
    this.to[c].copyWithin(idx, idx + 1, n);
    this.owner[c].copyWithin(idx, idx + 1, n);
    this.len[c] = n - 1;
    return true;
  }

  /**
   * Calls `visit(from, to, owner)` for each entry overlapping [from, to), in
   * order, until it returns false.
   */
  overlapping(from: number, to: number, visit: (f: number, t: number, owner: number) => boolean): void {
    let c = this.chunkAfter(from);
    if (c === this.len.length) return;
    let i = IntervalMap.entryAfter(this.to[c], this.len[c], from);
    while (c < this.len.length) {
      const f = this.from[c];
      const n = this.len[c];
      for (; i < n; i++) {
        if (f[i] >= to) return;
        if (!visit(f[i], this.to[c][i], this.owner[c][i])) return;
      }
      c++;
      i = 0;
    }
  }

  /**
   * Writes (from, owner) pairs of the entries overlapping [from, to) into
   * `buf` starting at `n` (two slots each), up to `buf.length`; returns the new
   * length. No closure, for the hot probe loop.
   */
  gather(from: number, to: number, buf: Int32Array, n: number): number {
    let c = this.chunkAfter(from);
    if (c === this.len.length) return n;
    let i = IntervalMap.entryAfter(this.to[c], this.len[c], from);
    while (c < this.len.length) {
      const f = this.from[c];
      const o = this.owner[c];
      const len = this.len[c];
      for (; i < len; i++) {
        if (f[i] >= to || n + 2 > buf.length) return n;
        buf[n++] = f[i];
        buf[n++] = o[i];
      }
      c++;
      i = 0;
    }
    return n;
  }

  /** Owner of the entry covering point `pt`, or undefined. */
  ownerAt(pt: number): number | undefined {
    const c = this.chunkAfter(pt);
    if (c === this.len.length) return undefined;
    const idx = IntervalMap.entryAfter(this.to[c], this.len[c], pt);
    if (idx < this.len[c] && this.from[c][idx] <= pt) return this.owner[c][idx];
    return undefined;
  }

  /** All entries, for tests and debugging. */
  entries(): [number, number, number][] {
    const out: [number, number, number][] = [];
    for (let c = 0; c < this.len.length; c++) for (let i = 0; i < this.len[c]; i++) out.push([this.from[c][i], this.to[c][i], this.owner[c][i]]);
    return out;
  }
}
