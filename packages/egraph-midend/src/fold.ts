// Constant folding arithmetic for the rewrite rules: integer operations on
// unsigned BigInt bit patterns of any width up to 128 (lane width for
// vectors), and IEEE-754 float operations on raw bits that are exact in
// JavaScript's binary64 arithmetic.
//
// Invariants: every integer in and out is in [0, 2^bits); a fold that would
// trap at run time (division by zero, signed overflow of division) or that
// the mid-end cannot evaluate exactly returns undefined.

import { F32, F64, IntCC, Opcode, isInt, laneBits, laneType, type Type } from '@clift/ir';

export function mask(bits: number): bigint {
  return (1n << BigInt(bits)) - 1n;
}
function toSigned(x: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, x);
}
function wrap(x: bigint, bits: number): bigint {
  return BigInt.asUintN(bits, x);
}

export function foldBinary(ty: Type, op: number, a: bigint, b: bigint): bigint | undefined {
  if (!isInt(ty)) return undefined;
  const bits = laneBits(ty);
  const sa = (): bigint => toSigned(a, bits);
  const sb = (): bigint => toSigned(b, bits);
  const amt = (): bigint => b % BigInt(bits);
  switch (op) {
    case Opcode.Iadd: return wrap(a + b, bits);
    case Opcode.Isub: return wrap(a - b, bits);
    case Opcode.Imul: return wrap(a * b, bits);
    case Opcode.Umulhi: return wrap((a * b) >> BigInt(bits), bits);
    case Opcode.Smulhi: return wrap((sa() * sb()) >> BigInt(bits), bits);
    case Opcode.Udiv: return b === 0n ? undefined : a / b;
    case Opcode.Urem: return b === 0n ? undefined : a % b;
    case Opcode.Sdiv:
      if (b === 0n || (sb() === -1n && sa() === -(1n << BigInt(bits - 1)))) return undefined;
      return wrap(sa() / sb(), bits);
    case Opcode.Srem:
      if (b === 0n || (sb() === -1n && sa() === -(1n << BigInt(bits - 1)))) return undefined;
      return wrap(sa() % sb(), bits);
    case Opcode.Band: return a & b;
    case Opcode.Bor: return a | b;
    case Opcode.Bxor: return a ^ b;
    case Opcode.BandNot: return a & wrap(~b, bits);
    case Opcode.BorNot: return wrap(a | wrap(~b, bits), bits);
    case Opcode.BxorNot: return wrap(a ^ wrap(~b, bits), bits);
    case Opcode.Ishl: return wrap(a << amt(), bits);
    case Opcode.Ushr: return a >> amt();
    case Opcode.Sshr: return wrap(sa() >> amt(), bits);
    case Opcode.Rotl: {
      const s = amt();
      return s === 0n ? a : wrap((a << s) | (a >> (BigInt(bits) - s)), bits);
    }
    case Opcode.Rotr: {
      const s = amt();
      return s === 0n ? a : wrap((a >> s) | (a << (BigInt(bits) - s)), bits);
    }
    case Opcode.Smin: return sa() < sb() ? a : b;
    case Opcode.Smax: return sa() > sb() ? a : b;
    case Opcode.Umin: return a < b ? a : b;
    case Opcode.Umax: return a > b ? a : b;
    default: return undefined;
  }
}

function popcount(x: bigint): bigint {
  let n = 0n;
  for (let v = x; v !== 0n; v >>= 1n) n += v & 1n;
  return n;
}

/** Unary operations, extensions and reductions: `to` is the result type, `from` the operand's. */
export function foldUnary(op: number, to: Type, from: Type, a: bigint): bigint | undefined {
  if (!isInt(to) || !isInt(from) || laneType(to) !== to || laneType(from) !== from) return undefined;
  const bits = laneBits(to);
  const fromBits = laneBits(from);
  switch (op) {
    case Opcode.Ineg: return wrap(-a, bits);
    case Opcode.Bnot: return wrap(~a, bits);
    case Opcode.Iabs: return wrap(toSigned(a, bits) < 0n ? -toSigned(a, bits) : a, bits);
    case Opcode.Popcnt: return popcount(a);
    case Opcode.Clz: {
      let n = 0;
      for (let i = bits - 1; i >= 0 && ((a >> BigInt(i)) & 1n) === 0n; i--) n++;
      return BigInt(n);
    }
    case Opcode.Ctz: {
      let n = 0;
      for (let i = 0; i < bits && ((a >> BigInt(i)) & 1n) === 0n; i++) n++;
      return BigInt(n);
    }
    case Opcode.Cls: {
      const top = (a >> BigInt(bits - 1)) & 1n;
      let n = 0;
      for (let i = bits - 2; i >= 0 && ((a >> BigInt(i)) & 1n) === top; i--) n++;
      return BigInt(n);
    }
    case Opcode.Bitrev: {
      let r = 0n;
      for (let i = 0; i < bits; i++) if ((a >> BigInt(i)) & 1n) r |= 1n << BigInt(bits - 1 - i);
      return r;
    }
    case Opcode.Bswap: {
      let r = 0n;
      for (let i = 0; i < bits / 8; i++) r |= ((a >> BigInt(8 * i)) & 0xffn) << BigInt(bits - 8 - 8 * i);
      return r;
    }
    case Opcode.Uextend: return fromBits < bits ? a : undefined;
    case Opcode.Sextend: return fromBits < bits ? wrap(toSigned(a, fromBits), bits) : undefined;
    case Opcode.Ireduce: return fromBits > bits ? wrap(a, bits) : undefined;
    default: return undefined;
  }
}

/** 1 when `a cc b` holds for constants of type `ty`, else 0. */
export function foldIcmp(ty: Type, cc: IntCC, a: bigint, b: bigint): bigint {
  const bits = laneBits(ty);
  const sa = toSigned(a, bits);
  const sb = toSigned(b, bits);
  let r: boolean;
  switch (cc) {
    case IntCC.Equal: r = a === b; break;
    case IntCC.NotEqual: r = a !== b; break;
    case IntCC.SignedLessThan: r = sa < sb; break;
    case IntCC.SignedGreaterThanOrEqual: r = sa >= sb; break;
    case IntCC.SignedGreaterThan: r = sa > sb; break;
    case IntCC.SignedLessThanOrEqual: r = sa <= sb; break;
    case IntCC.UnsignedLessThan: r = a < b; break;
    case IntCC.UnsignedGreaterThanOrEqual: r = a >= b; break;
    case IntCC.UnsignedGreaterThan: r = a > b; break;
    default: r = a <= b; break;
  }
  return r ? 1n : 0n;
}

const scratch = new DataView(new ArrayBuffer(8));
function toFloat(ty: Type, bits: bigint): number {
  if (ty === F32) {
    scratch.setUint32(0, Number(bits), true);
    return scratch.getFloat32(0, true);
  }
  scratch.setBigUint64(0, bits, true);
  return scratch.getFloat64(0, true);
}
function fromFloat(ty: Type, x: number): bigint {
  if (ty === F32) {
    scratch.setFloat32(0, x, true);
    return BigInt(scratch.getUint32(0, true));
  }
  scratch.setFloat64(0, x, true);
  return scratch.getBigUint64(0, true);
}

/**
 * f32/f64 add, sub, mul, div: binary64 computes each exactly rounded, and
 * rounding that to binary32 is exact for these operations (binary64 has
 * more than twice binary32's precision plus two bits). A NaN result is not
 * folded: its payload is the target's choice.
 */
export function foldFloatBinary(ty: Type, op: number, a: bigint, b: bigint): bigint | undefined {
  if (ty !== F32 && ty !== F64) return undefined;
  const x = toFloat(ty, a);
  const y = toFloat(ty, b);
  let r: number;
  switch (op) {
    case Opcode.Fadd: r = x + y; break;
    case Opcode.Fsub: r = x - y; break;
    case Opcode.Fmul: r = x * y; break;
    case Opcode.Fdiv: r = x / y; break;
    // Sign-bit copy is bit-exact on any input, NaNs included.
    case Opcode.Fcopysign: {
      const sign = ty === F32 ? 1n << 31n : 1n << 63n;
      return (a & ~sign) | (b & sign);
    }
    // JavaScript's min/max order -0 below +0 as IEEE-754 minimum/maximum do;
    // a NaN operand makes a NaN, left to the target.
    case Opcode.Fmin: r = Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y); break;
    case Opcode.Fmax: r = Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y); break;
    default: return undefined;
  }
  if (ty === F32) r = Math.fround(r);
  return Number.isNaN(r) ? undefined : fromFloat(ty, r);
}

/**
 * Sign-bit operations are exact on any input; sqrt and the roundings to an
 * integral value only when not NaN. Rounding an f32 to an integral value
 * gives an f32 (integers of its magnitude are representable), and
 * JavaScript keeps the sign of a zero result as IEEE-754 does.
 */
export function foldFloatUnary(ty: Type, op: number, a: bigint): bigint | undefined {
  if (ty !== F32 && ty !== F64) return undefined;
  const sign = ty === F32 ? 1n << 31n : 1n << 63n;
  let r: number;
  const x = toFloat(ty, a);
  switch (op) {
    case Opcode.Fneg: return a ^ sign;
    case Opcode.Fabs: return a & ~sign;
    case Opcode.Sqrt: r = Math.sqrt(x); break;
    case Opcode.Ceil: r = Math.ceil(x); break;
    case Opcode.Floor: r = Math.floor(x); break;
    case Opcode.Trunc: r = Math.trunc(x); break;
    case Opcode.Nearest: r = roundHalfEven(x); break;
    default: return undefined;
  }
  if (ty === F32) r = Math.fround(r);
  return Number.isNaN(r) ? undefined : fromFloat(ty, r);
}

/** Round to the nearest integral value, ties to even (Math.round breaks ties upward). */
function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  if (Math.abs(x - t) !== 0.5) return Math.round(x) === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : Math.round(x);
  // A tie: the even neighbour, keeping the sign of a zero.
  const even = t % 2 === 0 ? t : t + Math.sign(x);
  return even === 0 ? (x < 0 ? -0 : 0) : even;
}

/**
 * fcvt_from_sint / fcvt_from_uint of an integer constant to f32 or f64.
 * Number(BigInt) rounds to nearest, ties to even, so f64 is always exact;
 * f32 goes through f64, which is a single rounding only while the integer
 * fits f64's 53 bits (larger ones are not folded).
 */
export function foldIntToFloat(op: number, to: Type, from: Type, a: bigint): bigint | undefined {
  if ((to !== F32 && to !== F64) || !isInt(from) || laneType(from) !== from) return undefined;
  let n: bigint;
  if (op === Opcode.FcvtFromSint) n = toSigned(a, laneBits(from));
  else if (op === Opcode.FcvtFromUint) n = a;
  else return undefined;
  if (to === F32 && (n > 1n << 53n || n < -(1n << 53n))) return undefined;
  const r = Number(n);
  return fromFloat(to, to === F32 ? Math.fround(r) : r);
}
