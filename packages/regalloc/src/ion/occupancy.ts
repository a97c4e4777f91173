// Per-register occupancy for the backtracking allocator: which live range
// holds each allocatable physical register at each program point, and which
// points are reserved (clobbers, fixed operands). This module owns only the
// storage and its queries; conflict policy lives in process.ts.
//
// Program points are grouped in words of 32. For each allocatable register
// ("slot") and word w:
//   - `occ[w * S + slot]`: one bit per point, set where an assigned live range
//     holds the register (S = number of slots, so the words of every
//     register at one point share a cache line, which is what a probe of all
//     candidates reads);
//   - a cell `cell[4 * (w * S + slot)]` of three entries: the bits of the
//     points where such a range starts; the range holding point 32w (valid
//     only where `occ` is set there: written on insertion for each 32-aligned
//     point strictly inside a range, never cleared); and the first of the
//     ranges starting in the word plus one (0: none, so a reset is one
//     zero fill), chained (in no particular order) through `nextInWord`;
//   - `resBits`, like `occ`, and a sorted list per slot for reservations.
// So "is [from, to) free on this register?" reads one or two words, and the
// range holding an occupied point is found in O(1): the last start at or
// before it in the same word (a walk of that word's short chain), else the
// word's boundary entry. Memory is O(registers x points / 32 + ranges),
// whatever the shape of the ranges; regalloc2 uses a B-tree per register
// instead (doc/ION.md), which costs two searches per probe.
//
// Invariants: the ranges inserted for one slot are pairwise disjoint and
// non-empty, and a range is not modified while it is inserted (its `from`
// and `to` are read back through `lrFrom` on removal and during queries).
// Reservations of one slot are sorted and pairwise disjoint.

import { BUF, growI32, type RegallocContext } from '../context.js';

/** Bits lo..hi (inclusive, 0 <= lo <= hi <= 31) of a word. */
function maskBits(lo: number, hi: number): number {
  return (-1 >>> (31 - hi)) & (-1 << lo);
}

const CELL_STARTS = 0;
const CELL_BOUNDARY = 1;
const CELL_FIRST = 2;

/** One per context (inside its IonState), reset by `begin` for each run. */
export class Occupancy {
  /** Words per slot in each bitset. */
  words = 0;
  /** Number of slots, the stride between a slot's consecutive words. */
  numSlots = 0;
  /** Slot of each preg, or -1 when it is not allocatable in this run. */
  slotOf!: Int32Array;
  occ!: Int32Array;
  private cell!: Int32Array;
  resBits!: Int32Array;
  /** Per (word, slot), as `occ`: index of the first reservation overlapping the word, or -1. */
  private resFirst!: Int32Array;
  /** Per live range: the next range starting in the same word on the same slot, or -1. */
  private nextInWord!: Int32Array;
  /** The live ranges' starts (the caller's table, refreshed when it grows). */
  lrFrom!: Int32Array;
  // Reservations, CSR by slot, sorted by start.
  resOff!: Int32Array;
  resFrom!: Int32Array;
  resTo!: Int32Array;
  /** -1: hard (a clobber); -2 - v: a fixed operand of vreg v, which v's own ranges may overlap. */
  resOwner!: Int32Array;
  private readonly ctx: RegallocContext;

  constructor(ctx: RegallocContext) {
    this.ctx = ctx;
  }

  /** Starts a run: empty occupancy over numPoints points for numSlots slots. */
  begin(numPoints: number, slotOf: Int32Array, numSlots: number, lrFrom: Int32Array): void {
    const ctx = this.ctx;
    this.slotOf = slotOf;
    this.numSlots = numSlots;
    this.lrFrom = lrFrom;
    this.words = (numPoints >>> 5) + 2;
    const n = numSlots * this.words;
    this.occ = ctx.filledI32(BUF.occOcc, n, 0);
    this.resBits = ctx.filledI32(BUF.occRes, n, 0);
    this.resFirst = ctx.filledI32(BUF.occResFirst, n, -1);
    // Starts must be clear and chains empty (0); boundary entries are written before being read.
    this.cell = ctx.filledI32(BUF.occCell, 4 * n, 0);
    this.nextInWord = ctx.i32(BUF.occNext, lrFrom.length);
    this.resOff = ctx.filledI32(BUF.occResOff, numSlots + 1, 0);
    this.resFrom = ctx.i32(BUF.occResFrom, 0);
    this.resTo = ctx.i32(BUF.occResTo, 0);
    this.resOwner = ctx.i32(BUF.occResOwner, 0);
  }

  /** Hands grown buffers back to the context. */
  release(): void {
    const ctx = this.ctx;
    ctx.keepI32(BUF.occNext, this.nextInWord);
    ctx.keepI32(BUF.occResFrom, this.resFrom);
    ctx.keepI32(BUF.occResTo, this.resTo);
    ctx.keepI32(BUF.occResOwner, this.resOwner);
  }

  // ---- Bitset primitives: word w of slot is at index w * S + slot ----

  private static setBits(a: Int32Array, S: number, slot: number, from: number, to: number): void {
    let w = from >>> 5;
    const we = (to - 1) >>> 5;
    if (w === we) {
      a[w * S + slot] |= maskBits(from & 31, (to - 1) & 31);
      return;
    }
    a[w * S + slot] |= -1 << (from & 31);
    for (w++; w < we; w++) a[w * S + slot] = -1;
    a[we * S + slot] |= -1 >>> (31 - ((to - 1) & 31));
  }

  private static clearBits(a: Int32Array, S: number, slot: number, from: number, to: number): void {
    let w = from >>> 5;
    const we = (to - 1) >>> 5;
    if (w === we) {
      a[w * S + slot] &= ~maskBits(from & 31, (to - 1) & 31);
      return;
    }
    a[w * S + slot] &= ~(-1 << (from & 31));
    for (w++; w < we; w++) a[w * S + slot] = 0;
    a[we * S + slot] &= ~(-1 >>> (31 - ((to - 1) & 31)));
  }

  private static anyBits(a: Int32Array, S: number, slot: number, from: number, to: number): boolean {
    let w = from >>> 5;
    const we = (to - 1) >>> 5;
    if (w === we) return (a[w * S + slot] & maskBits(from & 31, (to - 1) & 31)) !== 0;
    if ((a[w * S + slot] & (-1 << (from & 31))) !== 0) return true;
    for (w++; w < we; w++) if (a[w * S + slot] !== 0) return true;
    return (a[we * S + slot] & (-1 >>> (31 - ((to - 1) & 31)))) !== 0;
  }

  // ---- Assigned ranges ----

  /** Room for live range ids below n (the caller's table grew). */
  ensureRanges(n: number, lrFrom: Int32Array): void {
    this.lrFrom = lrFrom;
    if (this.nextInWord.length < n) this.nextInWord = growI32(this.nextInWord, n);
  }

  /** True if some assigned range overlaps [from, to) on slot. */
  occupied(slot: number, from: number, to: number): boolean {
    return Occupancy.anyBits(this.occ, this.numSlots, slot, from, to);
  }

  /** True if point `pt` is held on slot. */
  heldAt(slot: number, pt: number): boolean {
    return (this.occ[(pt >>> 5) * this.numSlots + slot] & (1 << (pt & 31))) !== 0;
  }

  /** The range holding point `pt` on slot; `heldAt(slot, pt)` must be true. */
  ownerAt(slot: number, pt: number): number {
    const c = 4 * ((pt >>> 5) * this.numSlots + slot);
    const m = this.cell[c + CELL_STARTS] & (-1 >>> (31 - (pt & 31)));
    if (m !== 0) return this.inWord(c, (pt & ~31) + 31 - Math.clz32(m));
    return this.cell[c + CELL_BOUNDARY];
  }

  /** Start of the first assigned range starting in [from, to) on slot, or -1. */
  nextStart(slot: number, from: number, to: number): number {
    const S = this.numSlots;
    const cell = this.cell;
    let w = from >>> 5;
    const we = (to - 1) >>> 5;
    let m = cell[4 * (w * S + slot) + CELL_STARTS] & (-1 << (from & 31));
    while (m === 0) {
      if (++w > we) return -1;
      m = cell[4 * (w * S + slot) + CELL_STARTS];
    }
    const pt = (w << 5) + (31 - Math.clz32(m & -m));
    return pt < to ? pt : -1;
  }

  /** The range starting at `pt` on slot (one must). */
  startingAt(slot: number, pt: number): number {
    return this.inWord(4 * ((pt >>> 5) * this.numSlots + slot), pt);
  }

  /** The range of cell c's chain that starts at pt. */
  private inWord(c: number, pt: number): number {
    const lrFrom = this.lrFrom;
    const next = this.nextInWord;
    let r = this.cell[c + CELL_FIRST] - 1;
    while (r >= 0 && lrFrom[r] !== pt) r = next[r];
    return r;
  }

  insert(slot: number, from: number, to: number, range: number): void {
    const S = this.numSlots;
    const cell = this.cell;
    Occupancy.setBits(this.occ, S, slot, from, to);
    const c = 4 * ((from >>> 5) * S + slot);
    cell[c + CELL_STARTS] |= 1 << (from & 31);
    // The word's chain is searched by start (`inWord`), so its order does not
    // matter: the range goes first, without reading the others' starts.
    this.nextInWord[range] = cell[c + CELL_FIRST] - 1;
    cell[c + CELL_FIRST] = range + 1;
    for (let b = (from | 31) + 1; b < to; b += 32) cell[4 * ((b >>> 5) * S + slot) + CELL_BOUNDARY] = range;
  }

  remove(slot: number, from: number, to: number, range: number): void {
    const S = this.numSlots;
    const cell = this.cell;
    Occupancy.clearBits(this.occ, S, slot, from, to);
    const c = 4 * ((from >>> 5) * S + slot);
    cell[c + CELL_STARTS] &= ~(1 << (from & 31));
    const next = this.nextInWord;
    let r = cell[c + CELL_FIRST] - 1;
    if (r === range) cell[c + CELL_FIRST] = next[range] + 1;
    else {
      while (next[r] !== range) r = next[r];
      next[r] = next[range];
    }
  }

  // ---- Reservations ----

  /**
   * Installs the reservations, given sorted by (slot, from) and pairwise
   * disjoint per slot. Called once per run, before any query.
   */
  setReservations(n: number, slot: Int32Array, from: Int32Array, to: Int32Array, owner: Int32Array): void {
    if (this.resFrom.length < n) {
      this.resFrom = new Int32Array(n + (n >>> 2));
      this.resTo = new Int32Array(n + (n >>> 2));
      this.resOwner = new Int32Array(n + (n >>> 2));
    }
    const off = this.resOff;
    const S = this.numSlots;
    for (let k = 0; k < n; k++) {
      off[slot[k] + 1]++;
      this.resFrom[k] = from[k];
      this.resTo[k] = to[k];
      this.resOwner[k] = owner[k];
      Occupancy.setBits(this.resBits, S, slot[k], from[k], to[k]);
      for (let w = from[k] >>> 5; w <= (to[k] - 1) >>> 5; w++) if (this.resFirst[w * S + slot[k]] < 0) this.resFirst[w * S + slot[k]] = k;
    }
    if (n > 0) for (let s = 0; s < this.numSlots; s++) off[s + 1] += off[s];
  }

  /** True if some reservation overlaps [from, to) on slot. */
  reserved(slot: number, from: number, to: number): boolean {
    return Occupancy.anyBits(this.resBits, this.numSlots, slot, from, to);
  }

  /**
   * Start of the first reservation overlapping [from, to) on slot whose owner
   * is not `own`, or -1.
   */
  firstReservation(slot: number, from: number, to: number, own: number): number {
    // The first reserved point at or after `from` lies in the first reservation
    // overlapping [from, to); the word index leads to it without a search.
    const S = this.numSlots;
    const res = this.resBits;
    let w = from >>> 5;
    const we = (to - 1) >>> 5;
    let m = res[w * S + slot] & (-1 << (from & 31));
    while (m === 0) {
      if (++w > we) return -1;
      m = res[w * S + slot];
    }
    const pt = (w << 5) + (31 - Math.clz32(m & -m));
    if (pt >= to) return -1;
    let k = this.resFirst[w * S + slot];
    const rt = this.resTo;
    while (rt[k] <= pt) k++;
    const end = this.resOff[slot + 1];
    for (; k < end && this.resFrom[k] < to; k++) if (this.resOwner[k] !== own) return this.resFrom[k];
    return -1;
  }

  /** Reservations of slot, as [from, to, owner] triples (tests and debugging). */
  reservationsOf(slot: number): [number, number, number][] {
    const out: [number, number, number][] = [];
    for (let k = this.resOff[slot]; k < this.resOff[slot + 1]; k++) out.push([this.resFrom[k], this.resTo[k], this.resOwner[k]]);
    return out;
  }
}
