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
  /** Per chunk: `to` of its last entry, so chunk searches read one flat array. */
  private end: number[] = [];
  // Scan cursor (see `rewind`/`seek`): chunk and entry of the last seek.
  private cc = 0;
  private ci = 0;
  /** Chunk storage released by `clear`, reused before allocating. */
  private pool: Int32Array[] = [];

  /** True when the map holds no entry. */
  get empty(): boolean {
    return this.len.length === 0;
  }

  /** Empties the map, keeping its chunk storage for reuse. */
  clear(): void {
    for (const a of this.from) this.pool.push(a);
    for (const a of this.to) this.pool.push(a);
    for (const a of this.owner) this.pool.push(a);
    this.from.length = 0;
    this.to.length = 0;
    this.owner.length = 0;
    this.len.length = 0;
    this.end.length = 0;
    this.cc = this.ci = 0;
  }

  private newChunk(): Int32Array {
    return this.pool.pop() ?? new Int32Array(CHUNK);
  }

  /** Index of the first chunk whose last entry ends after `x`, or chunk count. */
  private chunkAfter(x: number): number {
    let lo = 0;
    let hi = this.len.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.end[mid] > x) hi = mid;
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
      this.from.push(this.newChunk());
      this.to.push(this.newChunk());
      this.owner.push(this.newChunk());
      this.len.push(0);
      this.end.push(0);
      c = 0;
    } else if (c === this.len.length) c--;
    let n = this.len[c];
    let idx = IntervalMap.entryAfter(this.to[c], n, from);
    if (n === CHUNK) {
      // Split the chunk in half, then insert into the proper half.
      const half = CHUNK >>> 1;
      const nf = this.newChunk();
      const nt = this.newChunk();
      const no = this.newChunk();
      nf.set(this.from[c].subarray(half));
      nt.set(this.to[c].subarray(half));
      no.set(this.owner[c].subarray(half));
      this.from.splice(c + 1, 0, nf);
      this.to.splice(c + 1, 0, nt);
      this.owner.splice(c + 1, 0, no);
      this.len.splice(c + 1, 0, CHUNK - half);
      this.end.splice(c + 1, 0, this.end[c]);
      this.len[c] = half;
      this.end[c] = this.to[c][half - 1];
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
    if (idx === n) this.end[c] = to;
  }

  /** Removes the entry that starts at `from`; returns false if none does. */
  remove(from: number): boolean {
    const c = this.chunkAfter(from);
    if (c === this.len.length) return false;
    const n = this.len[c];
    const idx = IntervalMap.entryAfter(this.to[c], n, from);
    if (idx >= n || this.from[c][idx] !== from) return false;
    if (n === 1) {
      this.pool.push(this.from[c], this.to[c], this.owner[c]);
      this.from.splice(c, 1);
      this.to.splice(c, 1);
      this.owner.splice(c, 1);
      this.len.splice(c, 1);
      this.end.splice(c, 1);
      return true;
    }
    this.from[c].copyWithin(idx, idx + 1, n);
    this.to[c].copyWithin(idx, idx + 1, n);
    this.owner[c].copyWithin(idx, idx + 1, n);
    this.len[c] = n - 1;
    this.end[c] = this.to[c][n - 2];
    return true;
  }

  /** Starts an ascending scan: later `seek`s only move forward from here. */
  rewind(): void {
    this.cc = 0;
    this.ci = 0;
  }

  /**
   * Moves the cursor forward to the first entry ending after `x`. Seeks of
   * one scan must not decrease; the cursor is not moved by reading entries,
   * so an entry overlapping two consecutive queries is seen by both.
   */
  private seek(x: number): void {
    const nc = this.len.length;
    let c = this.cc;
    let i = this.ci;
    if (c < nc && this.end[c] <= x) {
      // Gallop over whole chunks, then binary search the bracket.
      let step = 1;
      let lo = c + 1;
      let hi = lo;
      while (hi < nc && this.end[hi] <= x) {
        lo = hi + 1;
        hi += step;
        step <<= 1;
      }
      if (hi > nc) hi = nc;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.end[mid] > x) hi = mid;
        else lo = mid + 1;
      }
      c = lo;
      i = 0;
    }
    if (c < nc) {
      const t = this.to[c];
      let hi = this.len[c];
      while (i < hi) {
        const mid = (i + hi) >>> 1;
        if (t[mid] > x) hi = mid;
        else i = mid + 1;
      }
    }
    this.cc = c;
    this.ci = i;
  }

  /**
   * Scan query: seeks to `from`, then writes (start, owner) pairs of the
   * entries overlapping [from, to) whose owner is not `skip` into `buf` from
   * index 0, up to its length; returns the number of slots written.
   */
  scan(from: number, to: number, skip: number, buf: Int32Array): number {
    this.seek(from);
    let c = this.cc;
    let i = this.ci;
    let n = 0;
    const nc = this.len.length;
    while (c < nc) {
      const f = this.from[c];
      const o = this.owner[c];
      const len = this.len[c];
      for (; i < len; i++) {
        if (f[i] >= to) return n;
        if (o[i] === skip) continue;
        if (n + 2 > buf.length) return n;
        buf[n++] = f[i];
        buf[n++] = o[i];
      }
      c++;
      i = 0;
    }
    return n;
  }

  /**
   * Scan query: seeks to `from`; returns the start of the first entry
   * overlapping [from, to) whose owner is not `skip`, or -1.
   */
  scanFirst(from: number, to: number, skip: number): number {
    this.seek(from);
    let c = this.cc;
    let i = this.ci;
    const nc = this.len.length;
    while (c < nc) {
      const f = this.from[c];
      const o = this.owner[c];
      const len = this.len[c];
      for (; i < len; i++) {
        if (f[i] >= to) return -1;
        if (o[i] !== skip) return f[i];
      }
      c++;
      i = 0;
    }
    return -1;
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
