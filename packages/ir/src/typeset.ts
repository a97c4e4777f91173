// Type sets: which types a type variable may take, packed into one number so
// the reader and verifier test membership with a few bit operations and no
// allocation.
//
// Owns: the TypeSet encoding, membership, naming, enumeration, and the named
// sets the opcode table (opcodes.ts) uses for its type variables. It does not
// know about opcodes.
//
// A set is a product, as in Cranelift: (allowed lane types) × (allowed fixed
// lane counts ∪ allowed dynamic lane counts). Layout, low bits first:
//   lanes:9 | counts:9 | dynamic:8
// - lanes: bit (L - 1) for each lane code L of types.ts (1..5 = i8..i128,
//   6..9 = f16..f128), so the bit index follows the Type encoding directly;
// - counts: bit (9 + log2 n) for a fixed count of n lanes, n = 1 (scalar)
//   .. 256;
// - dynamic: bit (17 + log2 n) for a dynamic vector (`i32x4xN`) whose base
//   count is n lanes, n = 2 .. 256.
// Invariants: only the low 26 bits are ever set, so a TypeSet is a
// non-negative int32 (opcodes.ts relies on that to store a set as its
// bitwise complement); the empty set is 0; membership also needs the type to
// be valid, which types.ts guarantees for every Type it builds.

import type { Type } from './types.js';
import {
  I8,
  typeName,
  vectorOf,
} from './types.js';
import * as types from './types.js';

// Imported bindings are live, so V8 reads them afresh at every use; the
// values used on hot paths are copied into module constants, which it
// folds into the compiled code.
const { INVALID, isDynamicVector, laneType, log2LaneCount } = types;

export type TypeSet = number & { readonly __brand: 'TypeSet' };

const COUNT_SHIFT = 9;
const DYN_SHIFT = 17; // bit of dynamic log2 count k is DYN_SHIFT + k (k ≥ 1)
const LANES_MASK = 0x1ff;
const COUNTS_MASK = 0x1ff << COUNT_SHIFT;
const DYN_MASK = 0xff << (DYN_SHIFT + 1);

/** The empty set: no type at all. */
export const EMPTY_TYPE_SET = 0 as TypeSet;

/** An inclusive range, in bits for lane widths or in lanes for counts. */
export type Range = readonly [min: number, max: number];

export interface TypeSetSpec {
  /** Integer lane widths in bits (8..128). */
  readonly ints?: Range;
  /** Float lane widths in bits (16..128). */
  readonly floats?: Range;
  /** Fixed lane counts (1 = scalar .. 256); `'none'` for dynamic-only sets. */
  readonly lanes?: Range | 'none';
  /** Dynamic vector base lane counts (2..256). */
  readonly dynamicLanes?: Range;
}

function log2(n: number): number {
  return 31 - Math.clz32(n);
}

/**
 * Builds a set from ranges. Lane widths and counts are powers of two; a range
 * covers every power of two between its bounds. Without `lanes`, only
 * scalars are allowed, as in Cranelift, where a set naming no vector counts
 * still holds scalars.
 */
export function makeTypeSet(spec: TypeSetSpec): TypeSet {
  let s = 0;
  if (spec.ints) {
    // i8 is lane code 1, i16 is 2, …: code = log2(bits) - 2.
    for (let b = log2(spec.ints[0]); b <= log2(spec.ints[1]); b++) s |= 1 << (b - 3);
  }
  if (spec.floats) {
    // f16 is lane code 6 (bit 5), f32 is 7, …: bit = log2(bits) + 1.
    for (let b = log2(spec.floats[0]); b <= log2(spec.floats[1]); b++) s |= 1 << (b + 1);
  }
  const lanes = spec.lanes ?? [1, 1];
  if (lanes !== 'none') {
    for (let k = log2(lanes[0]); k <= log2(lanes[1]); k++) s |= 1 << (COUNT_SHIFT + k);
  }
  if (spec.dynamicLanes) {
    for (let k = Math.max(1, log2(spec.dynamicLanes[0])); k <= log2(spec.dynamicLanes[1]); k++) {
      s |= 1 << (DYN_SHIFT + k);
    }
  }
  return s as TypeSet;
}

/** The set holding exactly `t` (empty for INVALID). */
export function typeSetOf(t: Type): TypeSet {
  if (t === INVALID) return EMPTY_TYPE_SET;
  const l2 = log2LaneCount(t);
  const count = isDynamicVector(t) ? DYN_SHIFT + l2 : COUNT_SHIFT + l2;
  return ((1 << (laneType(t) - 1)) | (1 << count)) as TypeSet;
}

/** Is `t` a member of `set`? INVALID is a member of no set. */
export function typeSetContains(set: TypeSet, t: Type): boolean {
  const lane = laneType(t);
  if (lane === INVALID) return false;
  const l2 = log2LaneCount(t);
  const count = isDynamicVector(t) ? DYN_SHIFT + l2 : COUNT_SHIFT + l2;
  return (set & (1 << (lane - 1))) !== 0 && (set & (1 << count)) !== 0;
}

export function typeSetIsEmpty(set: TypeSet): boolean {
  return (set & LANES_MASK) === 0 || (set & (COUNTS_MASK | DYN_MASK)) === 0;
}

/**
 * Every type of the set, ordered by lane type then count (fixed counts
 * before dynamic ones). Allocates: for tests, fuzzers and messages.
 */
export function typeSetTypes(set: TypeSet): Type[] {
  const out: Type[] = [];
  for (let lane = 1; lane <= 9; lane++) {
    if ((set & (1 << (lane - 1))) === 0) continue;
    for (let k = 0; k <= 8; k++) {
      if ((set & (1 << (COUNT_SHIFT + k))) === 0) continue;
      const t = k === 0 ? (lane as Type) : vectorOf(lane as Type, 1 << k);
      if (t !== INVALID) out.push(t);
    }
    for (let k = 1; k <= 8; k++) {
      if ((set & (1 << (DYN_SHIFT + k))) === 0) continue;
      const t = vectorOf(lane as Type, 1 << k, true);
      if (t !== INVALID) out.push(t);
    }
  }
  return out;
}

/** The only member of a one-type set, else INVALID. */
export function typeSetSingleton(set: TypeSet): Type {
  const all = typeSetTypes(set);
  return all.length === 1 ? all[0] : INVALID;
}

const LANE_LABELS = ['i8', 'i16', 'i32', 'i64', 'i128', 'f16', 'f32', 'f64', 'f128'];

function countLabel(bits: number, first: number, last: number): string {
  const ks: number[] = [];
  for (let k = first; k <= last; k++) if ((bits & (1 << k)) !== 0) ks.push(k);
  // Contiguous runs of powers of two read better as a range.
  const contiguous = ks.length > 2 && ks[ks.length - 1] - ks[0] === ks.length - 1;
  if (contiguous) return `${1 << ks[0]}..${1 << ks[ks.length - 1]}`;
  return ks.map((k) => String(1 << k)).join('|');
}

/**
 * A readable description for error messages, e.g. `i32|i64`,
 * `i16x4|i16x8|i32x4|i32x8`, or `i8|i16|i32|i64|i128 (scalar, x2..256,
 * dynamic x2..256)` when listing every member would be too long.
 */
export function typeSetName(set: TypeSet): string {
  if (typeSetIsEmpty(set)) return '{}';
  const all = typeSetTypes(set);
  if (all.length <= 8) return all.map(typeName).join('|');
  const lanes: string[] = [];
  for (let lane = 1; lane <= 9; lane++) if ((set & (1 << (lane - 1))) !== 0) lanes.push(LANE_LABELS[lane - 1]);
  const parts: string[] = [];
  if ((set & (1 << COUNT_SHIFT)) !== 0) parts.push('scalar');
  const vec = (set & COUNTS_MASK & ~(1 << COUNT_SHIFT)) >>> COUNT_SHIFT;
  if (vec !== 0) parts.push(`x${countLabel(vec, 1, 8)}`);
  const dyn = (set & DYN_MASK) >>> DYN_SHIFT;
  if (dyn !== 0) parts.push(`dynamic x${countLabel(dyn, 1, 8)}`);
  return `${lanes.join('|')} (${parts.join(', ')})`;
}

/**
 * The type sets of Cranelift's instruction definitions, under descriptive
 * names. "Fixed" sets hold scalars and fixed-size vectors; sets that also
 * admit dynamic vectors say so.
 */
export const TypeSets = {
  /** Any scalar integer (Cranelift's iB, ScalarTruthy, IntTo for scalars). */
  IntScalar: makeTypeSet({ ints: [8, 128] }),
  /** Scalar or fixed-vector integers. */
  Int: makeTypeSet({ ints: [8, 128], lanes: [1, 256] }),
  /** Scalar, fixed-vector or dynamic-vector integers. */
  IntOrDynamic: makeTypeSet({ ints: [8, 128], lanes: [1, 256], dynamicLanes: [2, 256] }),
  /** Fixed vectors of integers only (IxN). */
  IntVector: makeTypeSet({ ints: [8, 128], lanes: [2, 256] }),
  /** Scalar integers up to 64 bits (NarrowInt: iconst, iconcat halves). */
  NarrowInt: makeTypeSet({ ints: [8, 64] }),
  /** Scalar integers of 16 bits and more (bswap, isplit). */
  WideInt: makeTypeSet({ ints: [16, 128] }),
  /** Address-sized integers, i32 or i64 (iAddr). */
  Addr: makeTypeSet({ ints: [32, 64] }),
  /** Integers wider than 8 bits and at most 64 (uload8/sload8/istore8). */
  Ext8: makeTypeSet({ ints: [16, 64] }),
  /** Integers wider than 16 bits and at most 64 (uload16/sload16/istore16). */
  Ext16: makeTypeSet({ ints: [32, 64] }),
  /** Only i64 (istore32's stored value). */
  Ext32: makeTypeSet({ ints: [64, 64] }),
  /** Integers usable by atomics, i8..i128. */
  AtomicMem: makeTypeSet({ ints: [8, 128] }),
  /** i16/i32 lanes in 4 or 8 lanes (sqmul_round_sat). */
  I16or32x4or8: makeTypeSet({ ints: [16, 32], lanes: [4, 8] }),
  /** Integer vectors with 16..64-bit lanes, 2..8 lanes, fixed or dynamic (narrowing). */
  NarrowableVector: makeTypeSet({ ints: [16, 64], lanes: [2, 8], dynamicLanes: [2, 8] }),
  /** Integer vectors with 8..32-bit lanes, 2..16 lanes, fixed or dynamic (widening). */
  WidenableVector: makeTypeSet({ ints: [8, 32], lanes: [2, 16], dynamicLanes: [2, 16] }),
  /** Scalar floats. */
  FloatScalar: makeTypeSet({ floats: [16, 128] }),
  /** Scalar or fixed-vector floats. */
  Float: makeTypeSet({ floats: [16, 128], lanes: [1, 256] }),
  /** Scalar, fixed-vector or dynamic-vector floats. */
  FloatOrDynamic: makeTypeSet({ floats: [16, 128], lanes: [1, 256], dynamicLanes: [2, 256] }),
  /** Any integer or float, scalar or fixed vector (Any, bits). */
  Any: makeTypeSet({ ints: [8, 128], floats: [16, 128], lanes: [1, 256] }),
  /** Anything with a memory representation: Any plus dynamic vectors (Mem). */
  Mem: makeTypeSet({ ints: [8, 128], floats: [16, 128], lanes: [1, 256], dynamicLanes: [2, 256] }),
  /** Fixed vectors of integers or floats (TxN). */
  Vector: makeTypeSet({ ints: [8, 128], floats: [16, 128], lanes: [2, 256] }),
  /** Fixed or dynamic vectors of integers or floats. */
  VectorOrDynamic: makeTypeSet({ ints: [8, 128], floats: [16, 128], lanes: [2, 256], dynamicLanes: [2, 256] }),
  /** Dynamic vectors only. */
  DynamicVector: makeTypeSet({ ints: [8, 128], floats: [16, 128], lanes: 'none', dynamicLanes: [2, 256] }),
  /** Only i8 (the type of truth values and carry flags). */
  I8: typeSetOf(I8),
} as const;
