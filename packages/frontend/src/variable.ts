// Variables of the front end's source language, and the per-block
// definition map SSA construction keeps for them.
//
// A Variable is a dense id handed out by `FunctionBuilder.declareVar`; its
// type lives in a typed array. `VarBlockMap` maps (variable, block) to the
// value the variable holds at the end of (or so far in) that block. It is an
// open-addressing hash table over one Int32Array, so memory grows with the
// number of definitions actually made — never with variables × blocks — and
// lookups are O(1) however many variables or blocks a function has.
//
// Invariants: a slot is empty when its variable word is -1; the table is at
// most half full; entries are never removed (a definition is only
// overwritten), so linear probing needs no tombstones.

import type { Block, Value } from '@clift/ir';
import { NONE } from '@clift/ir';

/** A front-end variable: a dense id from `FunctionBuilder.declareVar`. */
export type Variable = number & { readonly __brand: 'Variable' };

const EMPTY = -1;

export class VarBlockMap {
  /** Triples [variable, block, value]; capacity is a power of two. */
  private slots: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 64) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.slots = new Int32Array(cap * 3).fill(EMPTY);
    this.mask = cap - 1;
  }

  /** murmur3's finalizer over both words: every key bit reaches the low (index) bits. */
  private static hash(v: number, b: number): number {
    let h = (Math.imul(v, 0x9e3779b1) + b) | 0;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }

  /** The value `v` holds in `b`, or NONE. */
  get(v: Variable, b: Block): Value {
    const s = this.slots;
    let i = VarBlockMap.hash(v, b) & this.mask;
    for (;;) {
      const k = i * 3;
      const sv = s[k];
      if (sv === EMPTY) return NONE as Value;
      if (sv === v && s[k + 1] === b) return (s[k + 2] >>> 0) as Value;
      i = (i + 1) & this.mask;
    }
  }

  // Post-invariant: get(v, b) === value.
  set(v: Variable, b: Block, value: Value): void {
    const s = this.slots;
    let i = VarBlockMap.hash(v, b) & this.mask;
    for (;;) {
      const k = i * 3;
      const sv = s[k];
      if (sv === EMPTY) {
        s[k] = v;
        s[k + 1] = b;
        s[k + 2] = value;
        if (++this.count * 2 > this.mask + 1) this.grow();
        return;
      }
      if (sv === v && s[k + 1] === b) {
        s[k + 2] = value;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  get size(): number {
    return this.count;
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    this.slots = new Int32Array(cap * 3).fill(EMPTY);
    this.mask = cap - 1;
    this.count = 0;
    for (let k = 0; k < old.length; k += 3) {
      if (old[k] !== EMPTY) this.set(old[k] as Variable, old[k + 1] as Block, (old[k + 2] >>> 0) as Value);
    }
  }
}
