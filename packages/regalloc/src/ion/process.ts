// The backtracking main loop. Owns the choice of a location for every bundle:
// bundles leave a priority queue largest first; each probes its candidate
// registers (hint first, then preferred, then non-preferred) against the
// per-preg occupancy maps; a free register is taken; otherwise the cheapest
// set of strictly lighter conflicting bundles is evicted and requeued;
// otherwise a bundle that needs no register is set aside for the spill pass,
// and one that needs a register is split at the latest first conflict (or
// around its first register use) and both halves are requeued. Set-aside
// bundles get a second chance at a free register once the queue is empty, and
// the rest share their spillset's stack slot.
//
// Termination: a bundle only evicts strictly lighter bundles, and every split
// yields strictly smaller bundles, so the loop ends; a minimal bundle (one
// instruction) that needs a register has a weight above every non-minimal
// bundle and fails with TooManyLiveRegs only when the instruction's register
// operands do not fit.
//
// Post-invariants: every non-empty bundle has bAlloc = a preg or SPILLED; the
// occupancy maps hold exactly the ranges of register-assigned bundles plus
// reservations; spillsets with a spilled bundle or a stack fixup have a slot.

import { RegallocFailure, REG_CLASS_NAMES, type VReg } from '../index.js';
import type { IntervalMap } from './intervals.js';
import { FX_DEF_STACK, FX_USE_STACK, SPILLED, UNASSIGNED, type IonState } from './state.js';

const FREE = 0;
/** Conflict-point splits per spillset before it is cut into minimal pieces. */
const SPLITS_BEFORE_MINIMAL = 3;
const EVICTABLE = 1;
const BLOCKED = 2;

class BundleQueue {
  private heap: number[] = [];
  constructor(private readonly prio: number[]) {}
  get size(): number {
    return this.heap.length;
  }
  push(b: number): void {
    const h = this.heap;
    const p = this.prio;
    let i = h.length;
    h.push(b);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (p[h[parent]] > p[b] || (p[h[parent]] === p[b] && h[parent] < b)) break;
      h[i] = h[parent];
      i = parent;
    }
    h[i] = b;
  }
  pop(): number {
    const h = this.heap;
    const p = this.prio;
    const top = h[0];
    const last = h.pop() as number;
    if (h.length > 0) {
      let i = 0;
      const n = h.length;
      while (true) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && (p[h[c + 1]] > p[h[c]] || (p[h[c + 1]] === p[h[c]] && h[c + 1] < h[c]))) c++;
        if (p[last] > p[h[c]] || (p[last] === p[h[c]] && last < h[c])) break;
        h[i] = h[c];
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

export class Allocator {
  private readonly s: IonState;
  private readonly queue: BundleQueue;
  // Scratch, borrowed from the context and handed back (possibly grown) at the end.
  private buf: Int32Array;
  private seen: Int32Array;
  private stamp = 0;
  private conflicts: Int32Array;
  private nConflicts = 0;
  private bestConflicts: Int32Array;
  private nBest = 0;
  private probeMaxW = 0;
  private probeFirst = 0;
  private readonly spilled: number[] = [];

  /**
   * Per class, prefix counts over instructions that clobber every preferred
   * register of the class (calls), or null when none does: a bundle live
   * across such an instruction cannot take a preferred register, so its
   * probes start at the non-preferred ones.
   */
  private readonly crossPrefix: (Int32Array | null)[] = [null, null, null];

  constructor(s: IonState) {
    this.s = s;
    this.queue = new BundleQueue(s.bPrio);
    const sc = s.ctx.scratch;
    this.buf = sc.buf;
    this.conflicts = sc.conflicts;
    this.bestConflicts = sc.bestConflicts;
    // Stamps restart at 0 each run, so old marks must not survive.
    this.seen = sc.seen;
    this.seen.fill(0);
    const f = s.f;
    const env = s.env;
    const mark = new Int32Array(192).fill(-1);
    for (let c = 0; c < 3; c++) {
      const np = env.numPreferred[c];
      if (np === 0 || np === env.order[c].length) continue;
      let prefix: Int32Array | null = null;
      for (let i = 0; i < f.numInsts; i++) {
        const k0 = f.clobOff[i];
        const k1 = f.clobOff[i + 1];
        if (k1 - k0 < np) continue;
        for (let k = k0; k < k1; k++) mark[f.clobs[k]] = i;
        let all = true;
        for (let q = 0; q < np && all; q++) if (mark[env.order[c][q]] !== i) all = false;
        if (!all) continue;
        if (prefix === null) prefix = new Int32Array(f.numInsts + 1);
        prefix[i + 1] = 1;
      }
      if (prefix === null) continue;
      for (let i = 0; i < f.numInsts; i++) prefix[i + 1] += prefix[i];
      this.crossPrefix[c] = prefix;
    }
  }

  /** Index in `order` of the first register worth probing for b (see crossPrefix). */
  private firstCandidate(b: number, cls: number): number {
    const prefix = this.crossPrefix[cls];
    if (prefix === null) return 0;
    const s = this.s;
    const ranges = s.bRanges[b];
    for (let ri = 0; ri < ranges.length; ri++) {
      const r = ranges[ri];
      // Instructions i with from <= 2i and 2i + 2 <= to: live before and after i.
      const lo = (s.lrFrom[r] + 1) >> 1;
      const hi = s.lrTo[r] >> 1;
      if (hi > lo && prefix[hi] - prefix[lo] > 0) return s.env.numPreferred[cls];
    }
    return 0;
  }

  run(): void {
    const s = this.s;
    for (let b = 0; b < s.bRanges.length; b++) {
      if (s.bRanges[b].length === 0) continue;
      s.recompute(b);
      this.queue.push(b);
    }
    let steps = 0;
    const maxSteps = 64 * s.bRanges.length + 100000;
    while (this.queue.size > 0) {
      if (++steps > maxSteps * 4) {
        throw new RegallocFailure({ kind: 'TooManyLiveRegs', vreg: 0 as VReg, inst: 0, message: 'register allocation did not converge' });
      }
      this.processBundle(this.queue.pop());
    }
    this.secondChance();
    this.assignSlots();
    s.ctx.scratch = { buf: this.buf, seen: this.seen, conflicts: this.conflicts, bestConflicts: this.bestConflicts };
  }

  private logBundle(b: number): string {
    const s = this.s;
    const vs = new Set<number>();
    for (const r of s.bRanges[b]) vs.add(s.lrVreg[r]);
    return `bundle${b} {${[...vs].map((v) => `v${v}`).join(',')}} [${s.bundleStart(b)},${s.bundleEnd(b)})`;
  }

  /** Probes bundle b on preg p; fills `conflicts`, `probeMaxW`, `probeFirst`. */
  private probe(b: number, p: number, limitW: number): number {
    const s = this.s;
    const map = s.pregMap[p];
    if (map === undefined) return BLOCKED;
    this.nConflicts = 0;
    this.probeMaxW = 0;
    this.probeFirst = 0x7fffffff;
    const stamp = ++this.stamp;
    const seen = this.seen;
    const ranges = s.bRanges[b];
    const res = s.pregRes[p] as IntervalMap;
    const lrFrom = s.lrFrom;
    const lrTo = s.lrTo;
    const lrVreg = s.lrVreg;
    const bWeight = s.bWeight;
    const checkRes = !res.empty;
    if (checkRes) res.rewind();
    map.rewind();
    for (let ri = 0; ri < ranges.length; ri++) {
      const r = ranges[ri];
      const from = lrFrom[r];
      const to = lrTo[r];
      const own = -2 - lrVreg[r];
      if (checkRes) {
        const hit = res.scanFirst(from, to, own);
        if (hit >= 0) {
          const at = hit > from ? hit : from;
          if (at < this.probeFirst) this.probeFirst = at;
          return BLOCKED;
        }
      }
      let n = map.scan(from, to, own, this.buf);
      while (n === this.buf.length) {
        this.buf = new Int32Array(this.buf.length * 2);
        map.rewind();
        n = map.scan(from, to, own, this.buf);
      }
      const buf = this.buf;
      for (let k = 0; k < n; k += 2) {
        const owner = buf[k + 1];
        const at = buf[k] > from ? buf[k] : from;
        if (at < this.probeFirst) this.probeFirst = at;
        if (owner < 0) return BLOCKED;
        if (seen[owner] !== stamp) {
          seen[owner] = stamp;
          if (this.nConflicts === this.conflicts.length) this.conflicts = growInt32(this.conflicts);
          this.conflicts[this.nConflicts++] = owner;
          const w = bWeight[owner];
          if (w > this.probeMaxW) this.probeMaxW = w;
          if (this.probeMaxW >= limitW) return BLOCKED;
        }
      }
    }
    return this.nConflicts === 0 ? FREE : EVICTABLE;
  }

  private assign(b: number, p: number): void {
    const s = this.s;
    const map = s.pregMap[p] as NonNullable<(typeof s.pregMap)[number]>;
    for (const r of s.bRanges[b]) map.insert(s.lrFrom[r], s.lrTo[r], b);
    s.bAlloc[b] = p;
    if (s.log !== null) s.log(`  assign ${this.logBundle(b)} -> p${p & 63}${'ifv'[p >> 6]}`);
  }

  private unassign(b: number): void {
    const s = this.s;
    const p = s.bAlloc[b];
    const map = s.pregMap[p] as NonNullable<(typeof s.pregMap)[number]>;
    for (const r of s.bRanges[b]) map.remove(s.lrFrom[r]);
    s.bAlloc[b] = UNASSIGNED;
  }

  private candidateOk(p: number, req: number, cls: number): boolean {
    return p >= 0 && p >> 6 === cls && this.s.pregMap[p] !== undefined && (req === 0 || (p & 63) < req);
  }

  private bestP = -1;
  private bestW = 0;
  private splitPoint = -1;

  /** Probes b on p: takes p if free, else remembers it as an eviction candidate. */
  private tryReg(b: number, p: number): boolean {
    const res = this.probe(b, p, this.bestW);
    if (res === FREE) {
      this.assign(b, p);
      return true;
    }
    if (this.probeFirst !== 0x7fffffff && this.probeFirst > this.splitPoint) this.splitPoint = this.probeFirst;
    if (res === EVICTABLE && this.probeMaxW < this.bestW) {
      this.bestP = p;
      this.bestW = this.probeMaxW;
      const t = this.bestConflicts;
      this.bestConflicts = this.conflicts;
      this.conflicts = t;
      this.nBest = this.nConflicts;
    }
    return false;
  }

  private processBundle(b: number): void {
    const s = this.s;
    if (s.bAlloc[b] !== UNASSIGNED || s.bRanges[b].length === 0) return;
    const cls = s.bCls[b];
    const req = s.bReq[b];
    const weight = s.bWeight[b];
    const order = s.env.order[cls];
    const hint = s.bHint[b];
    if (this.seen.length < s.bRanges.length) this.seen = growInt32(this.seen, s.bRanges.length);
    this.bestP = -1;
    this.bestW = weight;
    this.splitPoint = -1;
    if (this.candidateOk(hint, req, cls) && this.tryReg(b, hint)) return;
    for (let k = this.firstCandidate(b, cls); k < order.length; k++) {
      const p = order[k];
      if (p === hint || (req !== 0 && (p & 63) >= req)) continue;
      if (this.tryReg(b, p)) return;
    }
    const bestP = this.bestP;
    const splitPoint = this.splitPoint;
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
    if (req === 0) {
      s.bAlloc[b] = SPILLED;
      this.spilled.push(b);
      return;
    }
    if (s.bMinimal[b] === 1) {
      const r = s.bRanges[b][0];
      const v = s.lrVreg[r];
      const inst = s.lrFrom[r] >> 1;
      throw new RegallocFailure({
        kind: 'TooManyLiveRegs',
        vreg: (v * 4 + cls) as VReg,
        inst,
        message: `v${v} (${REG_CLASS_NAMES[cls]}) needs a register at inst ${inst} but every candidate is taken by other operands or clobbers there`,
      });
    }
    this.split(b, splitPoint);
  }

  /** Splits b at an even point chosen from the conflict point; requeues both halves. */
  private split(b: number, conflictAt: number): void {
    const s = this.s;
    // A spillset that keeps failing is cut around each register use at once, so a
    // long-lived value costs O(size), not O(size) per retry.
    const ss = s.bSpillset[b];
    s.ssSplits[ss]++;
    if (s.ssSplits[ss] > SPLITS_BEFORE_MINIMAL) {
      this.splitIntoMinimal(b);
      return;
    }
    const start = s.bundleStart(b);
    const end = s.bundleEnd(b);
    // First use that needs a register.
    let u = -1;
    for (const r of s.bRanges[b]) {
      const v = s.lrVreg[r];
      const to = s.lrTo[r];
      const e = s.useOff[v + 1];
      for (let x = s.firstUseAtOrAfter(v, s.lrFrom[r]); x < e && s.usePt[x] < to; x++)
        if (s.useReq[x] !== 0) {
          u = s.usePt[x];
          break;
        }
      if (u >= 0) break;
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
      s.bAlloc[b] = SPILLED;
      this.spilled.push(b);
      return;
    }
    x = this.hoistOutOfLoop(b, start, x);
    const b2 = this.splitAt(b, x);
    if (s.log !== null) s.log(`  split ${this.logBundle(b)} | ${this.logBundle(b2)} at point ${x}`);
    this.queue.push(b);
    this.queue.push(b2);
  }

  /**
   * If the split point lies in a loop deeper than the bundle's start, move it
   * back to the loop's first block so the move runs once, not per iteration.
   */
  private hoistOutOfLoop(b: number, start: number, x: number): number {
    const s = this.s;
    const f = s.f;
    const depth = s.blockDepth;
    const d0 = depth[f.instBlock[start >> 1]];
    let blk = f.instBlock[x >> 1];
    if (depth[blk] <= d0) return x;
    while (blk > 0 && depth[blk - 1] > d0 && 2 * f.blockFirst[blk - 1] > start) blk--;
    const y = 2 * f.blockFirst[blk];
    void b;
    return y > start && y <= x ? y : x;
  }

  /**
   * Cuts b before and after every instruction with a register use. Pieces
   * with such a use are minimal and requeued; the pieces between them need no
   * register and go straight to the spill pass (with its second chance).
   */
  private splitIntoMinimal(b: number): void {
    const s = this.s;
    const cuts: number[] = [];
    for (const r of s.bRanges[b]) {
      const v = s.lrVreg[r];
      const to = s.lrTo[r];
      const e = s.useOff[v + 1];
      for (let x = s.firstUseAtOrAfter(v, s.lrFrom[r]); x < e && s.usePt[x] < to; x++) {
        if (s.useReq[x] === 0) continue;
        const i = s.usePt[x] >> 1;
        if (cuts.length === 0 || cuts[cuts.length - 1] < 2 * i) cuts.push(2 * i, 2 * i + 2);
        else if (cuts[cuts.length - 1] === 2 * i) cuts.push(2 * i + 2);
      }
    }
    cuts.sort((a, c) => a - c);
    // One linear pass: partition the sorted ranges at the sorted cuts.
    const groups: number[][] = [];
    let group: number[] = [];
    let c = 0;
    for (const r0 of s.bRanges[b]) {
      let r = r0;
      while (c < cuts.length && cuts[c] <= s.lrFrom[r]) {
        if (group.length > 0) groups.push(group);
        group = [];
        c++;
      }
      while (c < cuts.length && cuts[c] < s.lrTo[r]) {
        const x = cuts[c++];
        const nr = s.lrFrom.length;
        s.lrFrom.push(x);
        s.lrTo.push(s.lrTo[r]);
        s.lrVreg.push(s.lrVreg[r]);
        s.lrBundle.push(-1);
        s.lrTo[r] = x;
        group.push(r);
        groups.push(group);
        group = [];
        r = nr;
      }
      group.push(r);
    }
    if (group.length > 0) groups.push(group);
    if (groups.length <= 1) {
      // Every register use already sits at an edge; split in the middle instead.
      const mid = (s.bundleStart(b) + s.bundleEnd(b)) >> 2 << 1;
      const b2 = this.splitAt(b, mid > s.bundleStart(b) ? mid : s.bundleStart(b) + 2);
      this.queue.push(b);
      this.queue.push(b2);
      return;
    }
    const pieces: number[] = [];
    for (let g = 0; g < groups.length; g++) {
      const pc = g === 0 ? b : s.newBundle(s.bCls[b], s.bSpillset[b]);
      s.bRanges[pc] = groups[g];
      for (const r of groups[g]) s.lrBundle[r] = pc;
      s.bHint[pc] = s.bHint[b];
      s.recompute(pc);
      pieces.push(pc);
    }
    s.stats.splits += groups.length - 1;
    if (s.log !== null) s.log(`  split ${this.logBundle(b)} into ${pieces.length} pieces around its register uses`);
    for (const pc of pieces) {
      if (s.bReq[pc] !== 0) this.queue.push(pc);
      else {
        s.bAlloc[pc] = SPILLED;
        this.spilled.push(pc);
      }
    }
  }

  /** Post-invariant: b keeps [start, x), the returned bundle holds [x, end). */
  splitAt(b: number, x: number): number {
    const s = this.s;
    const ranges = s.bRanges[b];
    let k = 0;
    while (k < ranges.length && s.lrTo[ranges[k]] <= x) k++;
    const first = ranges.slice(0, k);
    const second = ranges.slice(k);
    if (k < ranges.length && s.lrFrom[ranges[k]] < x) {
      const r = ranges[k];
      const nr = s.lrFrom.length;
      s.lrFrom.push(x);
      s.lrTo.push(s.lrTo[r]);
      s.lrVreg.push(s.lrVreg[r]);
      s.lrBundle.push(-1);
      s.lrTo[r] = x;
      first.push(r);
      second[0] = nr;
    }
    const b2 = s.newBundle(s.bCls[b], s.bSpillset[b]);
    s.bRanges[b] = first;
    s.bRanges[b2] = second;
    for (const r of second) s.lrBundle[r] = b2;
    s.bHint[b2] = s.bHint[b];
    s.recompute(b);
    s.recompute(b2);
    s.stats.splits++;
    return b2;
  }

  private secondChance(): void {
    const s = this.s;
    if (this.seen.length < s.bRanges.length) this.seen = growInt32(this.seen, s.bRanges.length);
    for (const b of this.spilled) {
      const cls = s.bCls[b];
      let done = false;
      const hint = s.bHint[b];
      if (this.candidateOk(hint, 0, cls) && this.probe(b, hint, 0) === FREE) {
        this.assign(b, hint);
        done = true;
      }
      const order = s.env.order[cls];
      for (let k = this.firstCandidate(b, cls); !done && k < order.length; k++) {
        if (this.probe(b, order[k], 0) === FREE) {
          this.assign(b, order[k]);
          done = true;
        }
      }
      if (!done) {
        s.bAlloc[b] = SPILLED;
        s.ssNeedsSlot[s.bSpillset[b]] = 1;
        s.stats.spilledBundles++;
        if (s.log !== null) s.log(`  spill ${this.logBundle(b)} to the stack`);
      }
    }
  }

  private assignSlots(): void {
    const s = this.s;
    for (let x = 0; x < s.fxKind.length; x++) {
      const k = s.fxKind[x];
      if (k === FX_USE_STACK || k === FX_DEF_STACK) s.ssNeedsSlot[s.vregSpillset[s.fxVreg[x]]] = 1;
    }
    const sets: number[] = [];
    for (let ss = 0; ss < s.ssCls.length; ss++) if (s.ssNeedsSlot[ss] === 1) sets.push(ss);
    sets.sort((a, b) => s.ssFrom[a] - s.ssFrom[b]);
    const free: number[][] = [[], [], []];
    const activeEnd: number[][] = [[], [], []];
    const activeSlot: number[][] = [[], [], []];
    for (const ss of sets) {
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

function growInt32(a: Int32Array, min = 0): Int32Array<ArrayBuffer> {
  const n = new Int32Array(Math.max(2 * a.length, min + 64, 64));
  n.set(a);
  return n;
}

/** Reserves a fresh slot of class `cls`, aligned to its size. */
export function allocSlot(s: { numSlots: number; f: { slotSize: readonly number[] } }, cls: number): number {
  const size = s.f.slotSize[cls];
  const slot = Math.ceil(s.numSlots / size) * size;
  s.numSlots = slot + size;
  return slot;
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
