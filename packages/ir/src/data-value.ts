// Data values: a typed bit pattern, the currency of `; run:` commands, the
// interpreter and test harnesses.
//
// Invariants: `bits` is the raw pattern, zero-extended (never negative) and
// masked to the type's width; floats are their IEEE bits; vectors hold lane 0
// in the low bits. Equality is bitwise, as upstream's run tests compare
// (a NaN equals only the same NaN payload; 0.0 and -0.0 differ).

import { formatIeee } from './immediates.js';
import type { Type } from './types.js';
import { isFloat, isVector, laneBits, laneCount, laneType, typeBits, typeName } from './types.js';

export interface DataValue {
  type: Type;
  bits: bigint;
}

/** Exponent and fraction widths of the float lane types, by lane bits. */
function floatLayout(bits: number): [number, number] {
  switch (bits) {
    case 16: return [5, 10];
    case 32: return [8, 23];
    case 64: return [11, 52];
    default: return [15, 112];
  }
}

/** Builds a data value, masking `bits` to the width of `type`. */
export function dataValue(type: Type, bits: bigint): DataValue {
  return { type, bits: BigInt.asUintN(typeBits(type), bits) };
}

/** The value of lane `i` (a scalar's only lane is 0), zero-extended. */
export function dataValueLane(v: DataValue, i: number): bigint {
  const w = laneBits(v.type);
  return BigInt.asUintN(w, v.bits >> BigInt(i * w));
}

function formatLane(lane: Type, bits: bigint): string {
  const w = laneBits(lane);
  if (isFloat(lane)) {
    const [e, t] = floatLayout(w);
    return formatIeee(bits, e, t);
  }
  return BigInt.asIntN(w, bits).toString();
}

/**
 * CLIF run-command text: integers in signed decimal, floats in CLIF's
 * hex/NaN/Inf spelling, vectors as `[1 2 3 4]` lane 0 first.
 */
export function formatDataValue(v: DataValue): string {
  const lane = laneType(v.type);
  if (!isVector(v.type)) return formatLane(lane, v.bits);
  const n = laneCount(v.type);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(formatLane(lane, dataValueLane(v, i)));
  return `[${parts.join(' ')}]`;
}

/** A list as run commands write it: one value bare, otherwise `[a, b]`. */
export function formatDataValues(vs: readonly DataValue[]): string {
  if (vs.length === 1) return formatDataValue(vs[0]);
  return `[${vs.map(formatDataValue).join(', ')}]`;
}

/** Bitwise equality of type and pattern (upstream's run-test comparison). */
export function dataValuesEqual(a: DataValue, b: DataValue): boolean {
  return a.type === b.type && BigInt.asUintN(typeBits(a.type), a.bits) === BigInt.asUintN(typeBits(b.type), b.bits);
}

/** Element-wise equality of two lists of values. */
export function dataValueListsEqual(a: readonly DataValue[], b: readonly DataValue[]): boolean {
  return a.length === b.length && a.every((x, i) => dataValuesEqual(x, b[i]));
}

/** `i32 42`-style text for diagnostics. */
export function describeDataValue(v: DataValue): string {
  return `${typeName(v.type)} ${formatDataValue(v)}`;
}
