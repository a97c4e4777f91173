// Float lane operations on the interpreter's value representation: f16 and
// f32 as unsigned bit patterns in numbers, f64 and f128 as unsigned BigInt
// bit patterns.
//
// Owns CLIF's float semantics: IEEE-754 results, round-to-nearest-even, and
// the NaN rule the interpreter applies (the AArch64 one, with default-NaN
// mode off): a signalling NaN operand wins, quieted; else the first quiet
// NaN operand; a NaN the operation creates is the default NaN (positive,
// quiet, zero payload).
//
// Fast paths are used only where they are exact: f64 + - * / sqrt natively;
// f32 and f16 + - * / sqrt computed in f64 and rounded once, which is exact
// because f64 carries more than 2p+2 bits for those precisions. FMA, f128,
// and anything else go through softfloat.ts.

import type { Type } from '@clift/ir';
import { F16, F32, F64 } from '@clift/ir';
import type { FloatFormat, RoundMode } from './softfloat.js';
import {
  FMT128,
  FMT16,
  FMT32,
  FMT64,
  addBits,
  compareBits,
  convertBits,
  defaultNaN,
  divBits,
  fmaBits,
  fromBigInt,
  isNaNBits,
  isSignalingBits,
  mulBits,
  roundIntegralBits,
  roundToFormat,
  sqrtBits,
  truncToBigInt,
} from './softfloat.js';

export type Val = number | bigint;

const scratch = new ArrayBuffer(8);
const f64v = new Float64Array(scratch);
const u64v = new BigUint64Array(scratch);
const f32v = new Float32Array(scratch, 0, 1);
const u32v = new Uint32Array(scratch, 0, 2);

export function f64FromBits(b: bigint): number {
  u64v[0] = b;
  return f64v[0];
}
export function f64ToBits(x: number): bigint {
  f64v[0] = x;
  return u64v[0];
}
export function f32FromBits(b: number): number {
  u32v[0] = b;
  return f32v[0];
}
export function f32ToBits(x: number): number {
  f32v[0] = x;
  return u32v[0];
}

/** f16 bits to the exactly equal double (NaNs not expected). */
function f16ToNumber(b: number): number {
  const e = (b >>> 10) & 0x1f;
  const m = b & 0x3ff;
  const mag = e === 0 ? m * 2 ** -24 : e === 31 ? Infinity : (m + 1024) * 2 ** (e - 25);
  return b & 0x8000 ? -mag : mag;
}
/** Rounds a finite or infinite double to f16 bits (one rounding). */
function numberToF16(x: number): number {
  return Number(numberToFormat(FMT16, x));
}
/** Rounds a non-NaN double to `f` once. */
function numberToFormat(f: FloatFormat, x: number): bigint {
  const b = f64ToBits(x);
  return convertBits(FMT64, f, b);
}

export function formatOf(t: Type): FloatFormat {
  switch (t) {
    case F16: return FMT16;
    case F32: return FMT32;
    case F64: return FMT64;
    default: return FMT128;
  }
}

function toBig(v: Val): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}
/** Back to the representation of `t` (numbers for f16/f32). */
function fromBig(t: Type, b: bigint): Val {
  return t === F16 || t === F32 ? Number(b) : b;
}

export function isNaNVal(t: Type, v: Val): boolean {
  switch (t) {
    case F16: return ((v as number) & 0x7c00) === 0x7c00 && ((v as number) & 0x3ff) !== 0;
    case F32: return ((v as number) & 0x7f800000) === 0x7f800000 && ((v as number) & 0x7fffff) !== 0;
    default: return isNaNBits(formatOf(t), v as bigint);
  }
}

/** The NaN an operation with these operands yields (at least one is NaN or none). */
function propagateNaN(t: Type, ops: readonly Val[]): Val {
  const f = formatOf(t);
  for (const o of ops) {
    const b = toBig(o);
    if (isSignalingBits(f, b)) return fromBig(t, b | f.quietBit);
  }
  for (const o of ops) {
    const b = toBig(o);
    if (isNaNBits(f, b)) return o;
  }
  return fromBig(t, defaultNaN(f));
}

export const FBin = { Add: 0, Sub: 1, Mul: 2, Div: 3 } as const;
export type FBin = (typeof FBin)[keyof typeof FBin];

function nativeBin(op: FBin, x: number, y: number): number {
  switch (op) {
    case FBin.Add: return x + y;
    case FBin.Sub: return x - y;
    case FBin.Mul: return x * y;
    default: return x / y;
  }
}

export function fbinary(op: FBin, t: Type, a: Val, b: Val): Val {
  if (isNaNVal(t, a) || isNaNVal(t, b)) return propagateNaN(t, [a, b]);
  switch (t) {
    case F32: {
      const r = Math.fround(nativeBin(op, f32FromBits(a as number), f32FromBits(b as number)));
      return r !== r ? 0x7fc00000 : f32ToBits(r);
    }
    case F64: {
      const r = nativeBin(op, f64FromBits(a as bigint), f64FromBits(b as bigint));
      return r !== r ? defaultNaN(FMT64) : f64ToBits(r);
    }
    case F16: {
      const r = nativeBin(op, f16ToNumber(a as number), f16ToNumber(b as number));
      return r !== r ? 0x7e00 : numberToF16(r);
    }
    default: {
      const f = FMT128;
      const x = a as bigint;
      const y = b as bigint;
      switch (op) {
        case FBin.Add: return addBits(f, x, y);
        case FBin.Sub: return addBits(f, x, y ^ f.signBit);
        case FBin.Mul: return mulBits(f, x, y);
        default: return divBits(f, x, y);
      }
    }
  }
}

export function fsqrt(t: Type, a: Val): Val {
  if (isNaNVal(t, a)) return propagateNaN(t, [a]);
  switch (t) {
    case F32: {
      const r = Math.fround(Math.sqrt(f32FromBits(a as number)));
      return r !== r ? 0x7fc00000 : f32ToBits(r);
    }
    case F64: {
      const r = Math.sqrt(f64FromBits(a as bigint));
      return r !== r ? defaultNaN(FMT64) : f64ToBits(r);
    }
    case F16: {
      const r = Math.sqrt(f16ToNumber(a as number));
      return r !== r ? 0x7e00 : numberToF16(r);
    }
    default:
      return sqrtBits(FMT128, a as bigint);
  }
}

export function ffma(t: Type, a: Val, b: Val, c: Val): Val {
  if (isNaNVal(t, a) || isNaNVal(t, b) || isNaNVal(t, c)) return propagateNaN(t, [a, b, c]);
  return fromBig(t, fmaBits(formatOf(t), toBig(a), toBig(b), toBig(c)));
}

const SIGN_MASK_NUM: Record<number, number> = { [F16]: 0x8000, [F32]: 0x80000000 };

export function fneg(t: Type, a: Val): Val {
  if (typeof a === 'number') return (a ^ SIGN_MASK_NUM[t]) >>> 0;
  return a ^ formatOf(t).signBit;
}
export function fabs(t: Type, a: Val): Val {
  if (typeof a === 'number') return (a & ~SIGN_MASK_NUM[t]) >>> 0;
  return a & ~formatOf(t).signBit;
}
export function fcopysign(t: Type, a: Val, b: Val): Val {
  if (typeof a === 'number') {
    const m = SIGN_MASK_NUM[t];
    return ((a & ~m) | ((b as number) & m)) >>> 0;
  }
  const m = formatOf(t).signBit;
  return (a & ~m) | ((b as bigint) & m);
}
export function isNegVal(t: Type, a: Val): boolean {
  if (typeof a === 'number') return (a & SIGN_MASK_NUM[t]) !== 0;
  return (a & formatOf(t).signBit) !== 0n;
}
function isZeroVal(t: Type, a: Val): boolean {
  if (typeof a === 'number') return (a & ~SIGN_MASK_NUM[t]) === 0;
  return (a & ~formatOf(t).signBit) === 0n;
}

/**
 * Compares two non-NaN values of type t: -1, 0, 1 (-0 == +0).
 */
function fcompare(t: Type, a: Val, b: Val): number {
  switch (t) {
    case F32: {
      const x = f32FromBits(a as number);
      const y = f32FromBits(b as number);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case F64: {
      const x = f64FromBits(a as bigint);
      const y = f64FromBits(b as bigint);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    default:
      return compareBits(formatOf(t), toBig(a), toBig(b));
  }
}

/**
 * Evaluates a FloatCC (numbering of @clift/ir's FloatCC: ord, uno, eq, ne,
 * one, ueq, lt, le, gt, ge, ult, ule, ugt, uge).
 */
export function fcmp(cc: number, t: Type, a: Val, b: Val): boolean {
  const uno = isNaNVal(t, a) || isNaNVal(t, b);
  const c = uno ? 2 : fcompare(t, a, b);
  switch (cc) {
    case 0: return !uno;
    case 1: return uno;
    case 2: return c === 0;
    case 3: return uno || c !== 0;
    case 4: return !uno && c !== 0;
    case 5: return uno || c === 0;
    case 6: return c === -1;
    case 7: return c === -1 || c === 0;
    case 8: return c === 1;
    case 9: return c === 1 || c === 0;
    case 10: return uno || c === -1;
    case 11: return uno || c === -1 || c === 0;
    case 12: return uno || c === 1;
    default: return uno || c === 1 || c === 0;
  }
}

/**
 * fmin/fmax: a NaN operand gives a NaN (by the propagation rule); -0 is
 * less than +0.
 */
export function fminmax(isMax: boolean, t: Type, a: Val, b: Val): Val {
  if (isNaNVal(t, a) || isNaNVal(t, b)) return propagateNaN(t, [a, b]);
  if (isZeroVal(t, a) && isZeroVal(t, b)) {
    const aNeg = isNegVal(t, a);
    if (isMax) return aNeg ? b : a;
    return aNeg ? a : b;
  }
  const c = fcompare(t, a, b);
  if (isMax) return c >= 0 ? a : b;
  return c <= 0 ? a : b;
}

/** Rounds to integral: RoundMode from softfloat (nearest is ties-to-even). */
export function fround(mode: RoundMode, t: Type, a: Val): Val {
  if (isNaNVal(t, a)) return propagateNaN(t, [a]);
  if (t === F64) {
    const x = f64FromBits(a as bigint);
    return f64ToBits(roundNumber(mode, x));
  }
  if (t === F32) return f32ToBits(roundNumber(mode, f32FromBits(a as number)));
  return fromBig(t, roundIntegralBits(formatOf(t), toBig(a), mode));
}

function roundNumber(mode: RoundMode, x: number): number {
  switch (mode) {
    case 1: return Math.floor(x);
    case 2: return Math.ceil(x);
    case 3: return Math.trunc(x);
    default: {
      if (!Number.isFinite(x) || Math.abs(x) >= 2 ** 52) return x;
      let r = Math.round(x); // ties toward +inf; fix ties to even
      if (r - x === 0.5 && r % 2 !== 0) r -= 1;
      return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
    }
  }
}

/** Float → float conversion (fpromote, fdemote, vector forms). */
export function fconvert(from: Type, to: Type, a: Val): Val {
  if (from === F32 && to === F64 && !isNaNVal(F32, a)) return f64ToBits(f32FromBits(a as number));
  if (from === F64 && to === F32 && !isNaNVal(F64, a)) return f32ToBits(Math.fround(f64FromBits(a as bigint)));
  return fromBig(to, convertBits(formatOf(from), formatOf(to), toBig(a)));
}

/**
 * The integer a float truncates to, or undefined for NaN; infinities give
 * ±2^bits-sized sentinels so range checks fail. Exact for every format.
 */
export function ftruncToBigInt(t: Type, a: Val): bigint | undefined {
  if (isNaNVal(t, a)) return undefined;
  const f = formatOf(t);
  const b = toBig(a);
  if ((b & f.expMask) === f.expMask) return (b & f.signBit) !== 0n ? -(1n << 200n) : 1n << 200n;
  return truncToBigInt(f, b);
}

/** The float nearest to integer `v`. */
export function ffromBigInt(t: Type, v: bigint): Val {
  if (t === F64) {
    // Number(bigint) rounds to nearest, ties to even: one exact rounding.
    return f64ToBits(Number(v));
  }
  return fromBig(t, fromBigInt(formatOf(t), v));
}

/** Rounds a double (exactly representable integers or otherwise) to type t. */
export function ffromNumber(t: Type, x: number): Val {
  if (t === F64) return f64ToBits(x);
  if (t === F32) return f32ToBits(Math.fround(x));
  return fromBig(t, numberToFormat(formatOf(t), x));
}

export { roundToFormat };
