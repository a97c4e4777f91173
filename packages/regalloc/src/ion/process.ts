// The backtracking main loop. Owns the choice of a location for every bundle:
// bundles leave a priority queue largest first; each probes its candidate
// registers (two hints first: the register its spillset last got, then its
// own fixed-register hint; then preferred, then non-preferred) against the
// per-preg occupancy (occupancy.ts); a free register is taken; otherwise a
// bundle that needs no register is set aside for the spill pass at once
// (evicting for it trades a register its uses do not need for requeued
// bundles that may need one; measured, that cost time and gave slightly
// worse counts);
// otherwise the cheapest set of strictly lighter conflicting bundles is
// evicted and requeued; otherwise the bundle is split. The first split of a
// spillset (unless the bundle has MINIMAL_AT_RANGES ranges or more) is at the
// latest first conflict (or around its first register use), both halves
// requeued; later ones cut the bundle into minimal pieces around its
// register uses plus one spill bundle holding everything between them, as
// regalloc2's Ion does.
// Set-aside bundles (spill bundles included) get a second chance at a
// register free over all of their ranges once the queue is empty, and the
// rest share their spillset's stack slot.
//
// The spillset hint is what keeps the pieces of a split value together: a
// piece placed after another of its spillset tries that register first, so
// the moves between them (at split points and on block edges) vanish where
// it is free. Giving the stretches between register uses one bundle instead
// of one each (which the previous version did) removed most register moves
// on the benchmark's functions: pieces each in their own register need a
// move at nearly every use and edge.
//
// Probing runs in two passes over the same candidate order. The first only
// asks "is this register free for the whole bundle?", which the occupancy
// bitsets answer in a word or two per range, and takes the first free one.
// Only when none is free does the second pass enumerate conflicting bundles
// and their weights per candidate, to choose what to evict and where to
// split. Both passes see the same state, so the choice is the one a single
// pass probing every candidate in order would make.
//
// Termination: a bundle only evicts strictly lighter bundles, and every split
// yields strictly smaller bundles, so the loop ends; a minimal bundle (one
// instruction) that needs a register has a weight above every non-minimal
// bundle and fails with TooManyLiveRegs only when the instruction's register
// operands do not fit.
//
// Post-invariants: every non-empty bundle has bAlloc = a preg or SPILLED; the
// occupancy holds exactly the ranges of register-assigned bundles plus
// reservations; spillsets with a spilled bundle or a stack fixup have a slot.

import { BUF, growF64, growI32, growU8 } from '../context.js';
import { RegallocFailure, REG_CLASS_NAMES, type VReg } from '../index.js';
import { allocSlot } from '../parallel-moves.js';
import type { Occupancy } from './occupancy.js';
import { FX_DEF_STACK, FX_USE_STACK, SPILLED, UNASSIGNED, USE_REQ, type IonState } from './state.js';

const FREE = 0;
/** Up to this many initial bundles are sorted by insertion (see `BundleQueue.begin`). */
const SMALL_QUEUE = 24;
/**
 * Conflict-point splits per spillset before it is cut into minimal pieces
 * (regalloc2 allows two). With the spillset hint and one spill bundle per
 * cut, one split gave fewer spills, reloads and moves on the benchmark's
 * functions than two or three, and less work.
 */
const SPLITS_BEFORE_MINIMAL = 1;
/**
 * A bundle of this many ranges or more (a value live in many scattered
 * blocks) is cut into minimal pieces at its first split: peeling it at one
 * conflict after another re-probes the whole remainder each time, and on the
 * benchmark's functions gave more spills and moves than the cut.
 */
const MINIMAL_AT_RANGES = 8;
const EVICTABLE = 1;
const BLOCKED = 2;

/**
 * The allocation queue: bundles by (priority, then lower id first). Each
 * entry is one packed key, priority * 2^32 + (2^32 - 1 - id), so comparisons
 * read only the queue; a bundle's priority does not change while it is
 * queued. The initial bundles are sorted once into a static run popped from
 * its end; bundles queued later (split pieces, evicted bundles) go into a
 * 4-ary max-heap, which so stays small. `pop` takes the larger of the two
 * tops, which is the order a single heap would give.
 */
class BundleQueue {
  private heap: Float64Array = new Float64Array(64);
  private heapSize = 0;
  private sorted!: Float64Array;
  private sortedSize = 0;
  constructor(private readonly s: IonState) {}
  /**
   * Starts a run's queue with its initial bundles, the non-empty ones below
   * `nB`, sorted into keys ascending so that the next to pop is at the end:
   * a counting sort by priority (priorities are lengths, at most twice the
   * instruction count), each priority's bundles placed from the end of its
   * run backwards, so lower ids sit later.
   */
  begin(nB: number): void {
    const s = this.s;
    this.heapSize = 0;
    const bLen = s.bLen;
    const prio = s.bPrio;
    let n = 0;
    let max = 0;
    for (let b = 0; b < nB; b++) {
      if (bLen[b] === 0) continue;
      n++;
      if (prio[b] > max) max = prio[b];
    }
    this.sortedSize = n;
    const keys = (this.sorted = s.ctx.f64(BUF.queueKeys, n));
    if (n <= SMALL_QUEUE) {
      // A small function's few bundles: an insertion sort of the keys (distinct, so the same order).
      let k = 0;
      for (let b = 0; b < nB; b++) {
        if (bLen[b] === 0) continue;
        const key = this.key(b);
        let y = k++;
        while (y > 0 && keys[y - 1] > key) {
          keys[y] = keys[y - 1];
          y--;
        }
        keys[y] = key;
      }
      return;
    }
    const end = s.ctx.filledI32(BUF.queueCount, max + 1, 0);
    for (let b = 0; b < nB; b++) if (bLen[b] !== 0) end[prio[b]]++;
    for (let p = 1; p <= max; p++) end[p] += end[p - 1];
    for (let b = 0; b < nB; b++) if (bLen[b] !== 0) keys[--end[prio[b]]] = this.key(b);
  }
  get size(): number {
    return this.heapSize + this.sortedSize;
  }
  private key(b: number): number {
    return this.s.bPrio[b] * 4294967296 + (4294967295 - b);
  }
  push(b: number): void {
    if (this.heapSize === this.heap.length) this.heap = growF64(this.heap, this.heapSize + 1);
    const h = this.heap;
    const key = this.key(b);
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pk = h[parent];
      if (pk >= key) break;
      h[i] = pk;
      i = parent;
    }
    h[i] = key;
  }
  pop(): number {
    let top: number;
    if (this.heapSize === 0 || (this.sortedSize > 0 && this.sorted[this.sortedSize - 1] > this.heap[0])) top = this.sorted[--this.sortedSize];
    else top = this.popHeap();
    // The low 32 bits of the key (`>>> 0` takes a number modulo 2^32).
    return 4294967295 - (top >>> 0);
  }
  private popHeap(): number {
    const h = this.heap;
    const top = h[0];
    const n = --this.heapSize;
    if (n > 0) {
      const last = h[n];
      let i = 0;
      for (;;) {
        // Four children per node: half the depth of a binary heap.
        const c0 = 4 * i + 1;
        if (c0 >= n) break;
        let c = c0;
        let ck = h[c0];
        const ce = c0 + 4 < n ? c0 + 4 : n;
        for (let j = c0 + 1; j < ce; j++) {
          const jk = h[j];
          if (jk > ck) {
            ck = jk;
            c = j;
          }
        }
        if (ck <= last) break;
        h[i] = ck;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

export class Allocator {
  private readonly s: IonState;
  private readonly occ: Occupancy;
  private readonly queue: BundleQueue;
  /**
   * Per bundle: the probe stamp that last counted it as a conflict. Stamps
   * increase across runs, so entries left by earlier runs (or by bundles past
   * this run's count) are always older than the current probe's.
   */
  private seen: Int32Array = new Int32Array(64);
  private stamp = 0;
  private conflicts: Int32Array = new Int32Array(64);
  private nConflicts = 0;
  private bestConflicts: Int32Array = new Int32Array(64);
  private nBest = 0;
  private probeMaxW = 0;
  private probeFirst = 0;
  private spilled: Int32Array = new Int32Array(64);
  private nSpilled = 0;
  /** Spillsets that need a stack slot, in the order they were found to. */
  private slotted: Int32Array = new Int32Array(64);
  private nSlotted = 0;
  private bestP = -1;
  private bestW = 0;
  private splitPoint = -1;
  /** The hinted candidates of the bundle being placed (see `setHints`). */
  private h1 = -1;
  private h2 = -1;
  // Scratch of `gather`: the ranges of the bundle being placed.
  private gFrom = new Int32Array(16);
  private gTo = new Int32Array(16);
  private gOwn = new Int32Array(16);
  private gN = 0;
  /** The gathered range that blocked the last candidate `freeOn` rejected. */
  private gBlocked = 0;
  // Scratch of splitIntoMinimal: cut points, which of them open a register
  // use's window, each piece's window, the ranges outside every window.
  private cuts: Int32Array = new Int32Array(64);
  private winStart: Uint8Array = new Uint8Array(64);
  private groupWin: Int32Array = new Int32Array(64);
  private gap: Int32Array = new Int32Array(64);

  /** One per context (beside its IonState); each `run` starts afresh. */
  constructor(s: IonState) {
    this.s = s;
    this.occ = s.occ;
    this.queue = new BundleQueue(s);
  }

  run(): void {
    const s = this.s;
    // Weights and priorities were computed when the bundles were formed.
    this.queue.begin(s.nB);
    this.nSpilled = 0;
    this.nSlotted = 0;
    if (this.seen.length < s.nB) this.seen = growI32(this.seen, s.nB);
    if (this.stamp > 0x3fffffff) {
      this.stamp = 0;
      this.seen.fill(0);
    }
    let steps = 0;
    const maxSteps = 64 * s.nB + 100000;
    while (this.queue.size > 0) {
      if (++steps > maxSteps * 4) {
        throw new RegallocFailure({ kind: 'TooManyLiveRegs', vreg: 0 as VReg, inst: 0, message: 'register allocation did not converge' });
      }
      this.processBundle(this.queue.pop());
    }
    this.secondChance();
    this.assignSlots();
  }

  private logBundle(b: number): string {
    const s = this.s;
    const vs = new Set<number>();
    for (let k = s.bOff[b]; k < s.bOff[b] + s.bLen[b]; k++) vs.add(s.lrVreg[s.arena[k]]);
    return `bundle${b} {${[...vs].map((v) => `v${v}`).join(',')}} [${s.bundleStart(b)},${s.bundleEnd(b)})`;
  }

  /** Pass 1 in general: the first candidate free for all of b's ranges, or -1. */
  private firstFree(b: number, first: number, req: number, order: Int32Array): number {
    const slotOf = this.occ.slotOf;
    const h1 = this.h1;
    const h2 = this.h2;
    this.gather(b);
    if (h1 >= 0 && this.freeOn(slotOf[h1])) return h1;
    if (h2 >= 0 && this.freeOn(slotOf[h2])) return h2;
    for (let k = first; k < order.length; k++) {
      const p = order[k];
      if (p === h1 || p === h2 || (req !== 0 && (p & 63) >= req)) continue;
      if (this.freeOn(slotOf[p])) return p;
    }
    return -1;
  }

  /**
   * Pass 1 for a bundle of one range, the common case: the range's words and
   * masks are computed once and each candidate costs a load or two; the
   * first free candidate is assigned at once. Returns it, or -1.
   */
  private placeOneRange(b: number, first: number, req: number, order: Int32Array): number {
    const s = this.s;
    const r = s.arena[s.bOff[b]];
    const from = s.lrFrom[r];
    const to = s.lrTo[r];
    const w0 = from >>> 5;
    const w1 = (to - 1) >>> 5;
    if (w1 - w0 > 1) {
      const free = this.firstFree(b, first, req, order);
      if (free >= 0) this.assign(b, free);
      return free;
    }
    const occ = this.occ;
    const slotOf = occ.slotOf;
    const bits = occ.occ;
    const res = occ.resBits;
    const S = occ.numSlots;
    const own = -2 - s.lrVreg[r];
    // Masks of the first and last words (the second is empty when w0 === w1).
    const m0 = w0 === w1 ? (-1 >>> (31 - ((to - 1) & 31))) & (-1 << (from & 31)) : -1 << (from & 31);
    const m1 = w0 === w1 ? 0 : -1 >>> (31 - ((to - 1) & 31));
    const i0 = w0 * S;
    const i1 = w1 * S;
    const h1 = this.h1;
    const h2 = this.h2;
    for (let k = first - 2; k < order.length; k++) {
      let p: number;
      if (k < first) {
        // The hints go first.
        p = k < first - 1 ? h1 : h2;
        if (p < 0) continue;
      } else {
        p = order[k];
        if (p === h1 || p === h2 || (req !== 0 && (p & 63) >= req)) continue;
      }
      const slot = slotOf[p];
      if ((bits[i0 + slot] & m0) !== 0 || (bits[i1 + slot] & m1) !== 0) continue;
      if (((res[i0 + slot] & m0) !== 0 || (res[i1 + slot] & m1) !== 0) && occ.firstReservation(slot, from, to, own) >= 0) continue;
      // `assign`, with the range at hand.
      occ.insert(slot, from, to, r);
      s.bAlloc[b] = p;
      s.ssHint[s.bSpillset[b]] = p;
      if (s.log !== null) s.log(`  assign ${this.logBundle(b)} -> p${p & 63}${'ifv'[p >> 6]}`);
      return p;
    }
    return -1;
  }

  /** Copies b's ranges into the scratch (from, to, own reservation owner), for repeated free checks. */
  private gather(b: number): void {
    const s = this.s;
    const n = s.bLen[b];
    if (this.gFrom.length < n) {
      this.gFrom = new Int32Array(2 * n);
      this.gTo = new Int32Array(2 * n);
      this.gOwn = new Int32Array(2 * n);
    }
    const off = s.bOff[b];
    for (let k = 0; k < n; k++) {
      const r = s.arena[off + k];
      this.gFrom[k] = s.lrFrom[r];
      this.gTo[k] = s.lrTo[r];
      this.gOwn[k] = -2 - s.lrVreg[r];
    }
    this.gN = n;
    this.gBlocked = 0;
  }

  /**
   * True if every gathered range is free on slot: no assigned range and no
   * reservation but the range's own vreg's.
   */
  private freeOn(slot: number): boolean {
    const occ = this.occ;
    const bits = occ.occ;
    const res = occ.resBits;
    const S = occ.numSlots;
    const gFrom = this.gFrom;
    const gTo = this.gTo;
    const n = this.gN;
    // Ranges are checked from the one that blocked the previous candidate,
    // which most often blocks this one too (the answer does not depend on
    // the order).
    let k = this.gBlocked;
    for (let left = n; left > 0; left--) {
      const from = gFrom[k];
      const last = gTo[k] - 1;
      const w = from >>> 5;
      if (w === last >>> 5) {
        // The common case, a range within one word, inline.
        const m = (-1 >>> (31 - (last & 31))) & (-1 << (from & 31));
        const ix = w * S + slot;
        if ((bits[ix] & m) !== 0 || ((res[ix] & m) !== 0 && occ.firstReservation(slot, from, last + 1, this.gOwn[k]) >= 0)) {
          this.gBlocked = k;
          return false;
        }
      } else if (occ.occupied(slot, from, last + 1) || (occ.reserved(slot, from, last + 1) && occ.firstReservation(slot, from, last + 1, this.gOwn[k]) >= 0)) {
        this.gBlocked = k;
        return false;
      }
      if (++k === n) k = 0;
    }
    return true;
  }

  /**
   * Probes bundle b on slot: fills `conflicts` (distinct bundles in order of
   * first overlap), `probeMaxW` and `probeFirst` (the first conflicting
   * point seen); stops early (BLOCKED) at a foreign reservation or a
   * conflict at least as heavy as `limitW`.
   */
  private probe(b: number, slot: number, limitW: number): number {
    const s = this.s;
    const occ = this.occ;
    this.nConflicts = 0;
    this.probeMaxW = 0;
    this.probeFirst = 0x7fffffff;
    const stamp = ++this.stamp;
    const seen = this.seen;
    const arena = s.arena;
    const lrFrom = s.lrFrom;
    const lrTo = s.lrTo;
    const lrBundle = s.lrBundle;
    const bWeight = s.bWeight;
    const end = s.bOff[b] + s.bLen[b];
    for (let k = s.bOff[b]; k < end; k++) {
      const r = arena[k];
      const from = lrFrom[r];
      const to = lrTo[r];
      if (occ.reserved(slot, from, to)) {
        const hit = occ.firstReservation(slot, from, to, -2 - s.lrVreg[r]);
        if (hit >= 0) {
          const at = hit > from ? hit : from;
          if (at < this.probeFirst) this.probeFirst = at;
          return BLOCKED;
        }
      }
      if (!occ.occupied(slot, from, to)) continue;
      // Walk the assigned ranges overlapping [from, to): the one holding `from`, then each start.
      let x = from;
      let other = occ.heldAt(slot, from) ? occ.ownerAt(slot, from) : -1;
      let at = from;
      for (;;) {
        if (other < 0) {
          const st = occ.nextStart(slot, x, to);
          if (st < 0) break;
          other = occ.startingAt(slot, st);
          at = st;
        }
        if (at < this.probeFirst) this.probeFirst = at;
        const ob = lrBundle[other];
        if (seen[ob] !== stamp) {
          seen[ob] = stamp;
          if (this.nConflicts === this.conflicts.length) this.conflicts = growI32(this.conflicts, this.nConflicts + 1);
          this.conflicts[this.nConflicts++] = ob;
          const w = bWeight[ob];
          if (w > this.probeMaxW) this.probeMaxW = w;
          if (this.probeMaxW >= limitW) return BLOCKED;
        }
        x = lrTo[other];
        if (x >= to) break;
        other = -1;
      }
    }
    return this.nConflicts === 0 ? FREE : EVICTABLE;
  }

  private assign(b: number, p: number): void {
    const s = this.s;
    const slot = this.occ.slotOf[p];
    const end = s.bOff[b] + s.bLen[b];
    for (let k = s.bOff[b]; k < end; k++) {
      const r = s.arena[k];
      this.occ.insert(slot, s.lrFrom[r], s.lrTo[r], r);
    }
    s.bAlloc[b] = p;
    s.ssHint[s.bSpillset[b]] = p;
    if (s.log !== null) s.log(`  assign ${this.logBundle(b)} -> p${p & 63}${'ifv'[p >> 6]}`);
  }

  private unassign(b: number): void {
    const s = this.s;
    const slot = this.occ.slotOf[s.bAlloc[b]];
    const end = s.bOff[b] + s.bLen[b];
    for (let k = s.bOff[b]; k < end; k++) {
      const r = s.arena[k];
      this.occ.remove(slot, s.lrFrom[r], s.lrTo[r], r);
    }
    s.bAlloc[b] = UNASSIGNED;
  }

  /**
   * The two hinted registers tried first, in order (-1 for none): the
   * register b's spillset last got (so that the pieces of a split value
   * gather in one register and the moves between them, inside blocks and on
   * edges, vanish), then b's own hint (the first fixed register among its
   * uses).
   */
  private setHints(b: number, req: number, cls: number): void {
    const s = this.s;
    const slotOf = this.occ.slotOf;
    let h1 = s.ssHint[s.bSpillset[b]];
    let h2 = s.bHint[b];
    // A hint is a candidate: an allocatable register of b's class within its limit.
    if (h1 >= 0 && (h1 >> 6 !== cls || slotOf[h1] < 0 || (req !== 0 && (h1 & 63) >= req))) h1 = -1;
    if (h2 >= 0 && (h2 === h1 || h2 >> 6 !== cls || slotOf[h2] < 0 || (req !== 0 && (h2 & 63) >= req))) h2 = -1;
    if (h1 < 0) {
      h1 = h2;
      h2 = -1;
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  /** Slow-pass probe of b on p: remembers p as an eviction candidate and the split point. */
  private tryReg(b: number, p: number): void {
    const res = this.probe(b, this.occ.slotOf[p], this.bestW);
    if (this.probeFirst !== 0x7fffffff && this.probeFirst > this.splitPoint) this.splitPoint = this.probeFirst;
    if (res === EVICTABLE && this.probeMaxW < this.bestW) {
      this.bestP = p;
      this.bestW = this.probeMaxW;
      const t = this.bestConflicts;
      this.bestConflicts = this.conflicts;
      this.conflicts = t;
      this.nBest = this.nConflicts;
    }
  }

  /**
   * Pass 2 for a bundle of one range: `tryReg` on every candidate, with the
   * common outcomes decided inline: a foreign reservation, or a first
   * conflicting bundle at least as heavy as the best so far, blocks the
   * candidate after one lookup. Other candidates take the full probe.
   */
  private evictionCandidatesOneRange(b: number, first: number, req: number, order: Int32Array): void {
    const s = this.s;
    const occ = this.occ;
    const slotOf = occ.slotOf;
    const r = s.arena[s.bOff[b]];
    const from = s.lrFrom[r];
    const to = s.lrTo[r];
    const own = -2 - s.lrVreg[r];
    const lrBundle = s.lrBundle;
    const bWeight = s.bWeight;
    const h1 = this.h1;
    const h2 = this.h2;
    for (let k = first - 2; k < order.length; k++) {
      let p: number;
      if (k < first) {
        // The hints go first.
        p = k < first - 1 ? h1 : h2;
        if (p < 0) continue;
      } else {
        p = order[k];
        if (p === h1 || p === h2 || (req !== 0 && (p & 63) >= req)) continue;
      }
      const slot = slotOf[p];
      // As in `probe`: reservations first, then the first assigned range.
      if (occ.reserved(slot, from, to)) {
        const hit = occ.firstReservation(slot, from, to, own);
        if (hit >= 0) {
          const at = hit > from ? hit : from;
          if (at > this.splitPoint) this.splitPoint = at;
          continue;
        }
      }
      let other: number;
      let at: number;
      if (occ.heldAt(slot, from)) {
        other = occ.ownerAt(slot, from);
        at = from;
      } else {
        at = occ.nextStart(slot, from, to);
        if (at < 0) {
          // Free (pass 1 found no free register, so this cannot happen); probe in full.
          this.tryReg(b, p);
          continue;
        }
        other = occ.startingAt(slot, at);
      }
      if (at > this.splitPoint) this.splitPoint = at;
      if (bWeight[lrBundle[other]] >= this.bestW) continue;
      this.tryReg(b, p);
    }
  }

  private processBundle(b: number): void {
    const s = this.s;
    if (s.bAlloc[b] !== UNASSIGNED || s.bLen[b] === 0) return;
    const cls = s.bCls[b];
    const req = s.bReq[b];
    const order = s.env.order[cls];
    this.setHints(b, req, cls);
    const first = s.bFirst[b];
    // Pass 1: the first free candidate wins.
    if (s.bLen[b] === 1) {
      if (this.placeOneRange(b, first, req, order) >= 0) return;
    } else {
      const free = this.firstFree(b, first, req, order);
      if (free >= 0) {
        this.assign(b, free);
        return;
      }
    }
    if (req === 0) {
      this.setAside(b);
      return;
    }
    // Pass 2: nothing is free; find the cheapest eviction and the split point.
    if (this.seen.length < s.nB) this.seen = growI32(this.seen, s.nB);
    this.bestP = -1;
    this.bestW = s.bWeight[b];
    this.splitPoint = -1;
    if (s.bLen[b] === 1) this.evictionCandidatesOneRange(b, first, req, order);
    else {
      const h1 = this.h1;
      const h2 = this.h2;
      if (h1 >= 0) this.tryReg(b, h1);
      if (h2 >= 0) this.tryReg(b, h2);
      for (let k = first; k < order.length; k++) {
        const p = order[k];
        if (p === h1 || p === h2 || (req !== 0 && (p & 63) >= req)) continue;
        this.tryReg(b, p);
      }
    }
    const bestP = this.bestP;
    if (bestP >= 0) {
      for (let k = 0; k < this.nBest; k++) {
        const c = this.bestConflicts[k];
        if (s.log !== null) s.log(`  evict ${this.logBundle(c)} from p${s.bAlloc[c] & 63}${'ifv'[s.bAlloc[c] >> 6]} for ${this.logBundle(b)}`);
        this.unassign(c);
        s.stats.evictions++;
        this.queue.push(c);
      }
      this.assign(b, bestP);
      return;
    }
    if (s.bMinimal[b] === 1) {
      const r = s.arena[s.bOff[b]];
      const v = s.lrVreg[r];
      const inst = s.lrFrom[r] >> 1;
      throw new RegallocFailure({
        kind: 'TooManyLiveRegs',
        vreg: (v * 4 + cls) as VReg,
        inst,
        message: `v${v} (${REG_CLASS_NAMES[cls]}) needs a register at inst ${inst} but every candidate is taken by other operands or clobbers there`,
      });
    }
    this.split(b, this.splitPoint);
  }

  /** Marks b spilled for now; the second chance may still find it a register. */
  private setAside(b: number): void {
    this.s.bAlloc[b] = SPILLED;
    if (this.nSpilled === this.spilled.length) this.spilled = growI32(this.spilled, this.nSpilled + 1);
    this.spilled[this.nSpilled++] = b;
  }

  /** Splits b at an even point chosen from the conflict point; requeues both halves. */
  private split(b: number, conflictAt: number): void {
    const s = this.s;
    // A spillset that keeps failing is cut around each register use at once, so a
    // long-lived value costs O(size), not O(size) per retry.
    const ss = s.bSpillset[b];
    s.ssSplits[ss]++;
    if (s.ssSplits[ss] > SPLITS_BEFORE_MINIMAL || s.bLen[b] >= MINIMAL_AT_RANGES) {
      this.splitIntoMinimal(b);
      return;
    }
    const start = s.bundleStart(b);
    const end = s.bundleEnd(b);
    // First use that needs a register.
    let u = -1;
    const kEnd = s.bOff[b] + s.bLen[b];
    for (let k = s.bOff[b]; k < kEnd && u < 0; k++) {
      const r = s.arena[k];
      if (s.lrReq[r] === 0) continue;
      const v = s.lrVreg[r];
      const to = s.lrTo[r];
      const e = s.useOff[v + 1];
      for (let x = s.lrUse[r]; x < e && s.uses[2 * x] < to; x++)
        if ((s.uses[2 * x + 1] & USE_REQ) !== 0) {
          u = s.uses[2 * x];
          break;
        }
    }
    const ui = u >> 1;
    let x: number;
    if (conflictAt > u) {
      x = conflictAt & ~1;
      if (x <= u) x = 2 * ui + 2;
    } else {
      x = 2 * ui;
      if (x <= start) x = 2 * ui + 2;
    }
    if (x >= end) x = 2 * ui;
    if (x <= start || x >= end) {
      // Cannot happen for a non-minimal bundle; spill rather than loop.
      this.setAside(b);
      return;
    }
    x = this.hoistOutOfLoop(start, x);
    const b2 = this.splitAt(b, x);
    if (s.log !== null) s.log(`  split ${this.logBundle(b)} | ${this.logBundle(b2)} at point ${x}`);
    this.queue.push(b);
    this.queue.push(b2);
  }

  /**
   * If the split point lies in a loop deeper than the bundle's start, move it
   * back to the loop's first block so the move runs once, not per iteration.
   */
  private hoistOutOfLoop(start: number, x: number): number {
    const s = this.s;
    const f = s.f;
    const depth = s.blockDepth;
    const d0 = depth[f.instBlock[start >> 1]];
    let blk = f.instBlock[x >> 1];
    if (depth[blk] <= d0) return x;
    while (blk > 0 && depth[blk - 1] > d0 && 2 * f.blockFirst[blk - 1] > start) blk--;
    const y = 2 * f.blockFirst[blk];
    return y > start && y <= x ? y : x;
  }

  /**
   * Cuts b before and after every instruction with a register use. The
   * pieces around those instructions are minimal and requeued; everything
   * between them needs no register and becomes one bundle (the spill bundle
   * of this cut, as regalloc2's Ion keeps one per spillset), set aside for
   * the spill pass: its second chance gives it one register for all of its
   * ranges, or the stack. Giving each stretch between two uses its own
   * register instead costs a move at nearly every use and block edge.
   */
  private splitIntoMinimal(b: number): void {
    const s = this.s;
    let cuts = this.cuts;
    let winStart = this.winStart;
    let nc = 0;
    const off0 = s.bOff[b];
    const len0 = s.bLen[b];
    for (let k = off0; k < off0 + len0; k++) {
      const r = s.arena[k];
      // A range whose summary says none of its uses needs a register (most
      // ranges of a long-lived value) has no cut: its uses are not read.
      if (s.lrReq[r] === 0) continue;
      const v = s.lrVreg[r];
      const to = s.lrTo[r];
      const e = s.useOff[v + 1];
      for (let x = s.lrUse[r]; x < e && s.uses[2 * x] < to; x++) {
        if ((s.uses[2 * x + 1] & USE_REQ) === 0) continue;
        const i = s.uses[2 * x] >> 1;
        if (nc + 2 > cuts.length) {
          cuts = this.cuts = growI32(cuts, nc + 2);
          winStart = this.winStart = growU8(winStart, cuts.length);
        }
        // winStart[c]: cut c opens the window [2i, 2i + 2) of a register use.
        if (nc === 0 || cuts[nc - 1] < 2 * i) {
          winStart[nc] = 1;
          cuts[nc++] = 2 * i;
          winStart[nc] = 0;
          cuts[nc++] = 2 * i + 2;
        } else if (cuts[nc - 1] === 2 * i && winStart[nc - 1] === 0) {
          winStart[nc - 1] = 1;
          winStart[nc] = 0;
          cuts[nc++] = 2 * i + 2;
        }
      }
    }
    // Ranges are sorted and disjoint, so the cuts are already ascending. One
    // linear pass partitions the sorted ranges at the sorted cuts: ranges in
    // a window form that window's piece (a slice at the arena's end, `gEnd`
    // recording where each ends), the others go to `gap` in order.
    const out = s.arenaAlloc(len0 + nc);
    let w = out;
    let nGroups = 0;
    const gEnd = this.groupEnds(nc + 1);
    let gap = this.gap;
    if (gap.length < len0 + nc) gap = this.gap = new Int32Array(2 * (len0 + nc));
    let nGap = 0;
    let c = 0;
    const arena = s.arena;
    for (let k = 0; k < len0; k++) {
      let r = arena[off0 + k];
      while (c < nc && cuts[c] <= s.lrFrom[r]) c++;
      for (;;) {
        // r starts in the interval [cuts[c - 1], cuts[c]); it ends there unless cut c lies inside it.
        const inWin = c > 0 && winStart[c - 1] === 1;
        let nr = -1;
        if (c < nc && cuts[c] < s.lrTo[r]) nr = s.splitLr(r, cuts[c]);
        if (!inWin) gap[nGap++] = r;
        else {
          // A window's ranges are consecutive in the bundle: a new piece starts when the window changes.
          if (nGroups === 0 || this.groupWin[nGroups - 1] !== c - 1) {
            if (nGroups > 0) gEnd[nGroups - 1] = w;
            this.groupWin[nGroups++] = c - 1;
          }
          arena[w++] = r;
        }
        if (nr < 0) break;
        r = nr;
        c++;
      }
    }
    if (nGroups > 0) gEnd[nGroups - 1] = w;
    const pieces = nGroups + (nGap > 0 ? 1 : 0);
    if (pieces <= 1) {
      // Every register use already sits at an edge; split in the middle instead.
      s.arenaTop = out;
      const mid = ((s.bundleStart(b) + s.bundleEnd(b)) >> 2) << 1;
      const b2 = this.splitAt(b, mid > s.bundleStart(b) ? mid : s.bundleStart(b) + 2);
      this.queue.push(b);
      this.queue.push(b2);
      return;
    }
    // The gaps follow the pieces in the arena; the unused tail of the reservation is returned.
    for (let k = 0; k < nGap; k++) arena[w + k] = gap[k];
    s.arenaTop = w + nGap;
    s.stats.splits += pieces - 1;
    if (s.log !== null) s.log(`  split ${this.logBundle(b)} into ${nGroups} minimal pieces and ${nGap} ranges without register uses`);
    const cls = s.bCls[b];
    const ss = s.bSpillset[b];
    const hint = s.bHint[b];
    let gStart = out;
    for (let g = 0; g < nGroups; g++) {
      // b itself stays as the spill bundle when there is one.
      const pc = g === 0 && nGap === 0 ? b : s.newBundle(cls, ss);
      s.bOff[pc] = gStart;
      s.bLen[pc] = gEnd[g] - gStart;
      for (let k = gStart; k < gEnd[g]; k++) s.lrBundle[s.arena[k]] = pc;
      s.bHint[pc] = hint;
      s.recompute(pc);
      this.queue.push(pc);
      gStart = gEnd[g];
    }
    if (nGap > 0) {
      s.bOff[b] = w;
      s.bLen[b] = nGap;
      for (let k = w; k < w + nGap; k++) s.lrBundle[s.arena[k]] = b;
      s.recompute(b);
      this.setAside(b);
    }
  }

  private gEnds = new Int32Array(64);
  private groupEnds(n: number): Int32Array {
    if (this.gEnds.length < n) {
      this.gEnds = new Int32Array(Math.max(n, 2 * this.gEnds.length));
      this.groupWin = new Int32Array(this.gEnds.length);
    }
    return this.gEnds;
  }

  /** Post-invariant: b keeps [start, x), the returned bundle holds [x, end). */
  splitAt(b: number, x: number): number {
    const s = this.s;
    const off = s.bOff[b];
    const len = s.bLen[b];
    // k: the first range ending after x (ends increase along a bundle).
    let k = 0;
    let hi = len;
    while (k < hi) {
      const mid = (k + hi) >>> 1;
      if (s.lrTo[s.arena[off + mid]] <= x) k = mid + 1;
      else hi = mid;
    }
    const b2 = s.newBundle(s.bCls[b], s.bSpillset[b]);
    if (k < len && s.lrFrom[s.arena[off + k]] < x) {
      // Range k straddles x: b keeps [0, k] (range k cut at x), b2 gets the new
      // range then (k, len). One of the halves moves to a new slice: the shorter.
      const r = s.arena[off + k];
      const nr = s.splitLr(r, x);
      if (k + 1 <= len - k) {
        const off1 = s.arenaAlloc(k + 1);
        const arena = s.arena;
        arena.copyWithin(off1, off, off + k);
        arena[off1 + k] = r;
        arena[off + k] = nr;
        s.bOff[b] = off1;
        s.bOff[b2] = off + k;
      } else {
        const off2 = s.arenaAlloc(len - k);
        const arena = s.arena;
        arena[off2] = nr;
        arena.copyWithin(off2 + 1, off + k + 1, off + len);
        s.bOff[b2] = off2;
      }
      s.bLen[b] = k + 1;
    } else {
      // The halves are adjacent runs of b's slice: no copy.
      s.bOff[b2] = off + k;
      s.bLen[b] = k;
    }
    s.bLen[b2] = len - k;
    const arena = s.arena;
    for (let j = s.bOff[b2]; j < s.bOff[b2] + len - k; j++) s.lrBundle[arena[j]] = b2;
    s.bHint[b2] = s.bHint[b];
    s.recompute(b);
    s.recompute(b2);
    s.stats.splits++;
    return b2;
  }

  private secondChance(): void {
    const s = this.s;
    for (let x = 0; x < this.nSpilled; x++) {
      const b = this.spilled[x];
      const cls = s.bCls[b];
      this.setHints(b, 0, cls);
      const free = this.firstFree(b, s.bFirst[b], 0, s.env.order[cls]);
      if (free >= 0) this.assign(b, free);
      else {
        s.bAlloc[b] = SPILLED;
        this.needsSlot(s.bSpillset[b]);
        s.stats.spilledBundles++;
        if (s.log !== null) s.log(`  spill ${this.logBundle(b)} to the stack`);
      }
    }
  }

  /** Notes that spillset ss needs a stack slot (once). */
  private needsSlot(ss: number): void {
    const s = this.s;
    if (s.ssNeedsSlot[ss] === 1) return;
    s.ssNeedsSlot[ss] = 1;
    if (this.nSlotted === this.slotted.length) this.slotted = growI32(this.slotted, this.nSlotted + 1);
    this.slotted[this.nSlotted++] = ss;
  }

  private assignSlots(): void {
    const s = this.s;
    for (let x = 0; x < s.nFx; x++) {
      const k = s.fxKind[x];
      if (k === FX_USE_STACK || k === FX_DEF_STACK) this.needsSlot(s.vregSpillset[s.fxVreg[x]]);
    }
    // Spillsets needing a slot, by start (ties by id): a sort of packed keys.
    const n = this.nSlotted;
    if (n === 0) return;
    let keys = s.ctx.f64(BUF.slotsKeys, n);
    const idScale = s.nSs + 1;
    for (let k = 0; k < n; k++) {
      const ss = this.slotted[k];
      keys[k] = s.ssFrom[ss] * idScale + ss;
    }
    if (n <= 24) {
      // A few: insertion (keys are distinct, so the order is the sort's).
      for (let k = 1; k < n; k++) {
        const x = keys[k];
        let y = k - 1;
        while (y >= 0 && keys[y] > x) {
          keys[y + 1] = keys[y];
          y--;
        }
        keys[y + 1] = x;
      }
    } else {
      keys = keys.subarray(0, n);
      keys.sort();
    }
    const free: number[][] = [[], [], []];
    const activeEnd: number[][] = [[], [], []];
    const activeSlot: number[][] = [[], [], []];
    for (let k = 0; k < n; k++) {
      // The low part of the key (a floor, not `%`, which compiles to a slow fmod).
      const key = keys[k];
      const ss = key - Math.floor(key / idScale) * idScale;
      const cls = s.ssCls[ss];
      const ae = activeEnd[cls];
      const as = activeSlot[cls];
      // Expire (small heap keyed by end).
      while (ae.length > 0 && ae[0] <= s.ssFrom[ss]) {
        free[cls].push(as[0]);
        heapPop(ae, as);
      }
      let slot = free[cls].pop();
      if (slot === undefined) slot = allocSlot(s, cls);
      s.ssSlot[ss] = slot;
      heapPush(ae, as, s.ssTo[ss], slot);
    }
  }
}

function heapPush(keys: number[], vals: number[], k: number, v: number): void {
  let i = keys.length;
  keys.push(k);
  vals.push(v);
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (keys[p] <= k) break;
    keys[i] = keys[p];
    vals[i] = vals[p];
    i = p;
  }
  keys[i] = k;
  vals[i] = v;
}

function heapPop(keys: number[], vals: number[]): void {
  const k = keys.pop() as number;
  const v = vals.pop() as number;
  const n = keys.length;
  if (n === 0) return;
  let i = 0;
  while (true) {
    let c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && keys[c + 1] < keys[c]) c++;
    if (k <= keys[c]) break;
    keys[i] = keys[c];
    vals[i] = vals[c];
    i = c;
  }
  keys[i] = k;
  vals[i] = v;
}
