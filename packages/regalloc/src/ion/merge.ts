// Bundle formation. Owns: one bundle per vreg with a live range, then merging
// bundles whose values can share one location (reuse defs with their dying
// input, copies, block parameters with their branch arguments), and the
// spillsets (one per merged bundle) with their extents. Merging is what makes
// the copies the client would otherwise emit vanish.
//
// Post-invariants: all ranges of a bundle are disjoint and sorted and of one
// class; `vregSpillset[v]` names the spillset of every vreg with ranges; a
// spillset's [from, to) covers all its ranges (plus one point for late reads).

import { FLAG_MOVE } from '../validate.js';
import type { IonState } from './state.js';

function overlaps(s: IonState, a: number[], b: number[]): boolean {
  let i = 0;
  let j = 0;
  const from = s.lrFrom;
  const to = s.lrTo;
  while (i < a.length && j < b.length) {
    const ra = a[i];
    const rb = b[j];
    if (to[ra] <= from[rb]) i++;
    else if (to[rb] <= from[ra]) j++;
    else return true;
  }
  return false;
}

function mergeInto(s: IonState, dst: number, src: number): void {
  const a = s.bRanges[dst];
  const b = s.bRanges[src];
  const out: number[] = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = s.lrFrom[a[i]] < s.lrFrom[b[j]] ? a[i++] : b[j++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  for (const r of b) s.lrBundle[r] = dst;
  s.bRanges[dst] = out;
  s.bRanges[src] = [];
  s.stats.merges++;
}

/** Bundles of size 0 after merging are dead; they are skipped by the allocator. */
export function formBundles(s: IonState): void {
  const f = s.f;
  const nv = f.numVregs;
  const vregBundle = new Int32Array(nv).fill(-1);
  for (let r = 0; r < s.lrFrom.length; r++) {
    const v = s.lrVreg[r];
    let b = vregBundle[v];
    if (b < 0) {
      b = s.newBundle(f.vregCls[v], -1);
      vregBundle[v] = b;
    }
    s.bRanges[b].push(r);
    s.lrBundle[r] = b;
  }
  // Ranges are created vreg by vreg, so a vreg's ranges are contiguous in the table;
  // after merges its bundle is found through its first range.
  const firstRangeOf = new Int32Array(nv).fill(-1);
  for (let r = s.lrFrom.length - 1; r >= 0; r--) firstRangeOf[s.lrVreg[r]] = r;
  const bundleOf = (v: number): number => (firstRangeOf[v] < 0 ? -1 : s.lrBundle[firstRangeOf[v]]);

  const tryMerge = (v1: number, v2: number): boolean => {
    const b1 = bundleOf(v1);
    const b2 = bundleOf(v2);
    if (b1 < 0 || b2 < 0 || b1 === b2) return false;
    if (s.bCls[b1] !== s.bCls[b2]) return false;
    if (overlaps(s, s.bRanges[b1], s.bRanges[b2])) return false;
    // Merge the smaller into the larger.
    if (s.bRanges[b1].length >= s.bRanges[b2].length) mergeInto(s, b1, b2);
    else mergeInto(s, b2, b1);
    return true;
  };

  // 1. Reuse defs with an input that dies at the instruction: the def then starts at
  //    the late point and shares the input's register.
  for (let x = 0; x < s.reuseDef.length; x++) {
    const v = s.reuseDef[x];
    const u = s.reuseIn[x];
    const i = s.reuseInst[x];
    const rv = firstRangeOf[v];
    if (rv < 0 || s.lrFrom[rv] !== 2 * i) continue;
    // Does u end exactly at the early point of i (dies here)?
    let dies = false;
    for (let r = firstRangeOf[u]; r >= 0 && r < s.lrVreg.length && s.lrVreg[r] === u; r++)
      if (s.lrFrom[r] <= 2 * i && s.lrTo[r] === 2 * i + 1) dies = true;
    if (!dies) continue;
    s.lrFrom[rv] = 2 * i + 1;
    if (!tryMerge(u, v)) s.lrFrom[rv] = 2 * i;
    else s.defStart[v] = 2 * i + 1;
  }
  // 2. Copies.
  for (let i = 0; i < f.numInsts; i++) {
    if ((f.instFlags[i] & FLAG_MOVE) === 0) continue;
    let src = -1;
    let dst = -1;
    for (let k = f.opOff[i]; k < f.opOff[i + 1]; k++) {
      if (f.opKind[k] === 0) src = f.opVreg[k];
      else dst = f.opVreg[k];
    }
    if (src >= 0 && dst >= 0 && f.opOff[i + 1] - f.opOff[i] === 2) tryMerge(src, dst);
  }
  // 3. Block parameters with their arguments.
  for (let b = 0; b < f.numBlocks; b++)
    for (let j = f.succOff[b]; j < f.succOff[b + 1]; j++) {
      const succ = f.succs[j];
      for (let k = f.argOff[j], p = f.paramOff[succ]; k < f.argOff[j + 1]; k++, p++) tryMerge(f.args[k], f.params[p]);
    }

  // Spillsets.
  s.vregSpillset = new Int32Array(nv).fill(-1);
  for (let b = 0; b < s.bRanges.length; b++) {
    const ranges = s.bRanges[b];
    if (ranges.length === 0) continue;
    const ss = s.ssCls.length;
    s.ssCls.push(s.bCls[b]);
    s.ssFrom.push(s.lrFrom[ranges[0]]);
    let to = 0;
    for (const r of ranges) {
      if (s.lrTo[r] > to) to = s.lrTo[r];
      s.vregSpillset[s.lrVreg[r]] = ss;
    }
    s.ssTo.push(to + 1);
    s.ssSlot.push(-1);
    s.ssNeedsSlot.push(0);
    s.ssSplits.push(0);
    s.bSpillset[b] = ss;
  }
  s.stats.bundles = s.ssCls.length;
}
