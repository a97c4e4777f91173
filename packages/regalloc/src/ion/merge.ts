// Bundle formation. Owns: merging the bundles the liveness pass created (one
// per vreg with a live range, weights computed) whose values can share one
// location (reuse defs with their dying input, copies, block parameters with
// their branch arguments), and the spillsets (one per merged bundle) with
// their extents; a bundle that absorbed another gets its weight and priority
// recomputed (`IonState.recompute`). Merging is what makes the copies the
// client would otherwise emit vanish.
//
// Post-invariants: all ranges of a bundle are disjoint and sorted and of one
// class; `vregSpillset[v]` names the spillset of every vreg with ranges; a
// spillset's [from, to) covers all its ranges (plus one point for late reads).

import { BUF } from '../context.js';
import type { IonState } from './state.js';

/**
 * True if some range of bundle a overlaps some range of bundle b (both
 * sorted). Galloping over runs that end before the other side's current
 * range keeps a short bundle against a long one cheap.
 */
function overlaps(s: IonState, a: number, b: number): boolean {
  const arena = s.arena;
  const from = s.lrFrom;
  const to = s.lrTo;
  let i = s.bOff[a];
  let j = s.bOff[b];
  const ie = i + s.bLen[a];
  const je = j + s.bLen[b];
  while (i < ie && j < je) {
    const ra = arena[i];
    const rb = arena[j];
    if (to[ra] <= from[rb]) i = gallop(arena, to, i + 1, ie, from[rb]);
    else if (to[rb] <= from[ra]) j = gallop(arena, to, j + 1, je, from[ra]);
    else return true;
  }
  return false;
}

/** First k in [lo, hi) with to[arena[k]] > x (ends increase along a bundle), or hi. */
function gallop(arena: Int32Array, to: Int32Array, lo: number, hi: number, x: number): number {
  let step = 1;
  let k = lo;
  while (k < hi && to[arena[k]] <= x) {
    lo = k + 1;
    k += step;
    step *= 2;
  }
  if (k > hi) k = hi;
  while (lo < k) {
    const mid = (lo + k) >>> 1;
    if (to[arena[mid]] <= x) lo = mid + 1;
    else k = mid;
  }
  return lo;
}

/**
 * How many bundles `formBundles`'s grown list holds (module state: a run is
 * synchronous and `formBundles` calls no client code, so runs cannot
 * interleave here).
 */
let nGrown = 0;

/**
 * Moves src's ranges into dst (sorted merge); src is left empty. `cap[b]` is
 * the room of b's arena slice: a merge that fits is done in place, from the
 * back; one that does not moves dst to a new slice with twice the room (or
 * extends the slice when it ends the arena), so a bundle that absorbs many
 * small ones (a web of block parameters) is copied O(log n) times, not once
 * per merge.
 */
function mergeInto(s: IonState, dst: number, src: number, cap: Int32Array, grown: Uint8Array, grownList: Int32Array): void {
  const na = s.bLen[dst];
  const nb = s.bLen[src];
  const n = na + nb;
  const lrFrom = s.lrFrom;
  const lrBundle = s.lrBundle;
  const b = s.bOff[src];
  for (let k = b; k < b + nb; k++) lrBundle[s.arena[k]] = dst;
  if (n > cap[dst]) {
    const room = Math.max(8, 2 * n);
    if (s.bOff[dst] + cap[dst] === s.arenaTop) s.arenaAlloc(room - cap[dst]);
    else {
      const off = s.arenaAlloc(room);
      s.arena.copyWithin(off, s.bOff[dst], s.bOff[dst] + na);
      s.bOff[dst] = off;
    }
    cap[dst] = room;
  }
  // In place from the back: each src range (last first) goes after the run of
  // dst's ranges that start before it; the runs after it move up with copyWithin.
  const arena = s.arena;
  const lo = s.bOff[dst];
  let a = lo + na;
  let k = lo + n;
  for (let j = b + nb - 1; j >= b; j--) {
    const r = arena[j];
    const a2 = gallopBack(arena, lrFrom, lo, a, lrFrom[r]);
    arena.copyWithin(k - (a - a2), a2, a);
    k -= a - a2;
    a = a2;
    arena[--k] = r;
  }
  s.bLen[dst] = n;
  s.bLen[src] = 0;
  if (grown[dst] === 0) {
    grown[dst] = 1;
    grownList[nGrown++] = dst;
  }
  s.stats.merges++;
}

/** First k in [lo, hi) with from[arena[k]] > x (starts increase along a bundle), searching back from hi; hi if none. */
function gallopBack(arena: Int32Array, from: Int32Array, lo: number, hi: number, x: number): number {
  // Invariant: every index >= hi has a start > x; find the boundary below hi.
  let step = 1;
  let k = hi - 1;
  let top = hi;
  while (k >= lo && from[arena[k]] > x) {
    top = k;
    k -= step;
    step *= 2;
  }
  let bot = k < lo ? lo : k + 1;
  while (bot < top) {
    const mid = (bot + top) >>> 1;
    if (from[arena[mid]] > x) top = mid;
    else bot = mid + 1;
  }
  return top;
}

/** The bundle of v's ranges (before any split), or -1 when v has none. */
function bundleOf(s: IonState, firstRangeOf: Int32Array, v: number): number {
  return firstRangeOf[v] < 0 ? -1 : s.lrBundle[firstRangeOf[v]];
}

/** Merges the bundles of v1 and v2 when they differ, share a class and do not overlap. */
function tryMerge(s: IonState, firstRangeOf: Int32Array, cap: Int32Array, grown: Uint8Array, grownList: Int32Array, v1: number, v2: number): boolean {
  const b1 = bundleOf(s, firstRangeOf, v1);
  const b2 = bundleOf(s, firstRangeOf, v2);
  if (b1 < 0 || b2 < 0 || b1 === b2) return false;
  if (s.bCls[b1] !== s.bCls[b2]) return false;
  if (overlaps(s, b1, b2)) return false;
  // Merge the smaller into the larger.
  if (s.bLen[b1] >= s.bLen[b2]) mergeInto(s, b1, b2, cap, grown, grownList);
  else mergeInto(s, b2, b1, cap, grown, grownList);
  return true;
}

/**
 * Merges the liveness pass's bundles (one per vreg, bundle ids in vreg order,
 * weights computed) and forms the spillsets. Bundles of size 0 after merging
 * are dead; they are skipped by the allocator.
 */
export function formBundles(s: IonState): void {
  const f = s.f;
  const ctx = s.ctx;
  const nB = s.nB;
  // Each vreg's ranges are one run of the table from vregFirst (-1: none),
  // and its bundle's initial slice is that run.
  const firstRangeOf = s.vregFirst;
  const rangesOf = s.vregRanges;
  // Room of each bundle's arena slice (see mergeInto); initially exactly its ranges.
  const cap = ctx.i32(BUF.mergeCap, nB);
  for (let b = 0; b < nB; b++) cap[b] = s.bLen[b];
  // Bundles that absorbed another (flag, and list): their extent and weight must be recomputed.
  const grown = ctx.filledU8(BUF.mergeGrown, nB, 0);
  const grownList = ctx.i32(BUF.mergeGrownList, nB);
  nGrown = 0;

  // 1. Reuse defs with an input that dies at the instruction: the def then starts at
  //    the late point and shares the input's register.
  for (let x = 0; x < s.nReuse; x++) {
    const v = s.reuseDef[x];
    const u = s.reuseIn[x];
    const i = s.reuseInst[x];
    const rv = firstRangeOf[v];
    if (rv < 0 || s.lrFrom[rv] !== 2 * i) continue;
    // Does u end exactly at the early point of i (dies here)? Only u's range
    // holding point 2i can (its ranges are sorted and disjoint).
    if (firstRangeOf[u] < 0) continue;
    let lo = firstRangeOf[u];
    let hi = lo + rangesOf[u];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s.lrTo[mid] <= 2 * i) lo = mid + 1;
      else hi = mid;
    }
    if (lo === firstRangeOf[u] + rangesOf[u] || s.lrFrom[lo] > 2 * i || s.lrTo[lo] !== 2 * i + 1) continue;
    s.lrFrom[rv] = 2 * i + 1;
    if (!tryMerge(s, firstRangeOf, cap, grown, grownList, u, v)) s.lrFrom[rv] = 2 * i;
    else s.defStart[v] = 2 * i + 1;
  }
  // 2. Copies.
  for (let x = 0; x < s.nMoveInsts; x++) {
    const i = s.moveInsts[x];
    let src = -1;
    let dst = -1;
    for (let k = f.opOff[i]; k < f.opOff[i + 1]; k++) {
      if (f.opKind[k] === 0) src = f.opVreg[k];
      else dst = f.opVreg[k];
    }
    if (src >= 0 && dst >= 0 && f.opOff[i + 1] - f.opOff[i] === 2) tryMerge(s, firstRangeOf, cap, grown, grownList, src, dst);
  }
  // 3. Block parameters with their arguments.
  for (let b = 0; b < f.numBlocks; b++)
    for (let j = f.succOff[b]; j < f.succOff[b + 1]; j++) {
      const succ = f.succs[j];
      for (let k = f.argOff[j], p = f.paramOff[succ]; k < f.argOff[j + 1]; k++, p++) tryMerge(s, firstRangeOf, cap, grown, grownList, f.args[k], f.params[p]);
    }

  // Spillsets: each bundle has the one of its id, made with it; one that
  // absorbed others covers their ranges too, and its weight is recomputed.
  const vregSpillset = s.vregSpillset;
  const arena = s.arena;
  const lrFrom = s.lrFrom;
  const lrTo = s.lrTo;
  const lrVreg = s.lrVreg;
  for (let x = 0; x < nGrown; x++) {
    const b = grownList[x];
    const len = s.bLen[b];
    // Absorbed later by another bundle.
    if (len === 0) continue;
    const off = s.bOff[b];
    let to = 0;
    for (let k = off; k < off + len; k++) {
      const r = arena[k];
      if (lrTo[r] > to) to = lrTo[r];
      vregSpillset[lrVreg[r]] = b;
    }
    s.ssFrom[b] = lrFrom[arena[off]];
    s.ssTo[b] = to + 1;
    s.recompute(b);
  }
  // Each merge empties one bundle.
  s.stats.bundles = nB - s.stats.merges;
}
