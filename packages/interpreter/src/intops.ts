// Integer lane operations on the interpreter's value representation.
//
// A lane of w bits (8, 16, 32, 64 or 128) is held zero-extended: w ≤ 32 as a
// non-negative number below 2^w, wider lanes as a non-negative BigInt below
// 2^w. Every function here takes the width and returns a value in the same
// form, wrapping modulo 2^w unless its name says otherwise. Signed views are
// produced on demand (`toSigned*`), never stored.

import type { Val } from './float.js';

const MASKS = [0, 0xff, 0xffff, 0, 0xffffffff];

export function maskNum(w: number): number {
  return w === 8 ? 0xff : w === 16 ? 0xffff : 0xffffffff;
}

/** Wraps an integer (any JS number that is an exact integer) to w ≤ 32 bits. */
export function wrapNum(w: number, x: number): number {
  if (w === 32) return x >>> 0;
  return x & (w === 8 ? 0xff : 0xffff);
}
export function wrapBig(w: number, x: bigint): bigint {
  return BigInt.asUintN(w, x);
}
/** Wraps any integer BigInt to a lane of width w in the lane representation. */
export function fromBigInt(w: number, x: bigint): Val {
  return w <= 32 ? Number(BigInt.asUintN(w, x)) : BigInt.asUintN(w, x);
}
/** Zero-extended value as a BigInt. */
export function toUBig(v: Val): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}
/** Signed value as a BigInt. */
export function toSBig(w: number, v: Val): bigint {
  return typeof v === 'bigint' ? BigInt.asIntN(w, v) : BigInt(sextNum(w, v));
}
export function sextNum(w: number, x: number): number {
  return w === 32 ? x | 0 : (x << (32 - w)) >> (32 - w);
}
export function isZero(v: Val): boolean {
  return v === 0 || v === 0n;
}
export function ones(w: number): Val {
  return w <= 32 ? MASKS[w >> 3] : (1n << BigInt(w)) - 1n;
}
export function zero(w: number): Val {
  return w <= 32 ? 0 : 0n;
}
export function bool(w: number, b: boolean): Val {
  return b ? ones(w) : zero(w);
}

export function iadd(w: number, a: Val, b: Val): Val {
  if (w <= 32) return wrapNum(w, (a as number) + (b as number));
  return BigInt.asUintN(w, (a as bigint) + (b as bigint));
}
export function isub(w: number, a: Val, b: Val): Val {
  if (w <= 32) return wrapNum(w, (a as number) - (b as number));
  return BigInt.asUintN(w, (a as bigint) - (b as bigint));
}
export function ineg(w: number, a: Val): Val {
  if (w <= 32) return wrapNum(w, -(a as number));
  return BigInt.asUintN(w, -(a as bigint));
}
export function imul(w: number, a: Val, b: Val): Val {
  if (w <= 32) return w === 32 ? Math.imul(a as number, b as number) >>> 0 : wrapNum(w, (a as number) * (b as number));
  return BigInt.asUintN(w, (a as bigint) * (b as bigint));
}
export function iabs(w: number, a: Val): Val {
  if (w <= 32) {
    const s = sextNum(w, a as number);
    return wrapNum(w, s < 0 ? -s : s);
  }
  const s = BigInt.asIntN(w, a as bigint);
  return BigInt.asUintN(w, s < 0n ? -s : s);
}
export function mulhi(w: number, signed: boolean, a: Val, b: Val): Val {
  const x = signed ? toSBig(w, a) : toUBig(a);
  const y = signed ? toSBig(w, b) : toUBig(b);
  return fromBigInt(w, (x * y) >> BigInt(w));
}

export function band(a: Val, b: Val): Val {
  if (typeof a === 'number') return (a & (b as number)) >>> 0;
  return a & (b as bigint);
}
export function bor(a: Val, b: Val): Val {
  if (typeof a === 'number') return (a | (b as number)) >>> 0;
  return a | (b as bigint);
}
export function bxor(a: Val, b: Val): Val {
  if (typeof a === 'number') return (a ^ (b as number)) >>> 0;
  return a ^ (b as bigint);
}
/** Bitwise not within `w` bits (any type of that width). */
export function bnot(w: number, a: Val): Val {
  if (typeof a === 'number') return wrapNum(w, ~a);
  return BigInt.asUintN(w, ~a);
}

/** A shift amount reduced modulo the lane width, as CLIF specifies. */
export function shiftAmount(w: number, amt: Val): number {
  return typeof amt === 'number' ? amt & (w - 1) : Number(amt & BigInt(w - 1));
}
export function ishl(w: number, a: Val, s: number): Val {
  if (w <= 32) return s === 0 ? a : wrapNum(w, w === 32 ? (a as number) << s : (a as number) * 2 ** s);
  return BigInt.asUintN(w, (a as bigint) << BigInt(s));
}
export function ushr(w: number, a: Val, s: number): Val {
  if (w <= 32) return (a as number) >>> s;
  return (a as bigint) >> BigInt(s);
}
export function sshr(w: number, a: Val, s: number): Val {
  if (w <= 32) return wrapNum(w, sextNum(w, a as number) >> s);
  return BigInt.asUintN(w, BigInt.asIntN(w, a as bigint) >> BigInt(s));
}
export function rotl(w: number, a: Val, s: number): Val {
  if (s === 0) return a;
  return bor(ishl(w, a, s), ushr(w, a, w - s));
}
export function rotr(w: number, a: Val, s: number): Val {
  if (s === 0) return a;
  return bor(ushr(w, a, s), ishl(w, a, w - s));
}

export function clz(w: number, a: Val): number {
  if (w <= 32) return Math.clz32(a as number) - (32 - w);
  const x = a as bigint;
  if (x === 0n) return w;
  return w - x.toString(2).length;
}
export function ctz(w: number, a: Val): number {
  if (w <= 32) {
    const x = a as number;
    if (x === 0) return w;
    return 31 - Math.clz32(x & -x);
  }
  let x = a as bigint;
  if (x === 0n) return w;
  let n = 0;
  while ((x & 0xffffffffn) === 0n) {
    x >>= 32n;
    n += 32;
  }
  const lo = Number(x & 0xffffffffn);
  return n + 31 - Math.clz32(lo & -lo);
}
/** Leading bits equal to the sign bit, not counting the sign bit itself. */
export function cls(w: number, a: Val): number {
  const neg = typeof a === 'number' ? (a >>> (w - 1)) & 1 : Number((a >> BigInt(w - 1)) & 1n);
  return clz(w, neg ? bnot(w, a) : a) - 1;
}
export function popcnt(a: Val): number {
  if (typeof a === 'number') {
    let x = a >>> 0;
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    x = (x + (x >>> 4)) & 0x0f0f0f0f;
    return Math.imul(x, 0x01010101) >>> 24;
  }
  let n = 0;
  let x = a;
  while (x !== 0n) {
    n += popcnt(Number(x & 0xffffffffn));
    x >>= 32n;
  }
  return n;
}
export function bitrev(w: number, a: Val): Val {
  if (w <= 32) {
    let x = a as number;
    let r = 0;
    for (let i = 0; i < w; i++) {
      r = (r * 2) + (x & 1);
      x >>>= 1;
    }
    return r;
  }
  let x = a as bigint;
  let r = 0n;
  for (let i = 0; i < w; i++) {
    r = (r << 1n) | (x & 1n);
    x >>= 1n;
  }
  return r;
}
export function bswap(w: number, a: Val): Val {
  if (w <= 32) {
    let x = a as number;
    let r = 0;
    for (let i = 0; i < w; i += 8) {
      r = r * 256 + (x & 0xff);
      x >>>= 8;
    }
    return r;
  }
  let x = a as bigint;
  let r = 0n;
  for (let i = 0; i < w; i += 8) {
    r = (r << 8n) | (x & 0xffn);
    x >>= 8n;
  }
  return r;
}

/** Unsigned comparison: -1, 0, 1. */
export function ucmp(a: Val, b: Val): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
/** Signed comparison: -1, 0, 1. */
export function scmp(w: number, a: Val, b: Val): number {
  if (typeof a === 'number') {
    const x = sextNum(w, a);
    const y = sextNum(w, b as number);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = BigInt.asIntN(w, a);
  const y = BigInt.asIntN(w, b as bigint);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** IntCC (numbering of @clift/ir: eq ne slt sge sgt sle ult uge ugt ule). */
export function icmp(cc: number, w: number, a: Val, b: Val): boolean {
  switch (cc) {
    case 0: return a === b;
    case 1: return a !== b;
    case 2: return scmp(w, a, b) < 0;
    case 3: return scmp(w, a, b) >= 0;
    case 4: return scmp(w, a, b) > 0;
    case 5: return scmp(w, a, b) <= 0;
    case 6: return a < b;
    case 7: return a >= b;
    case 8: return a > b;
    default: return a <= b;
  }
}

/** Clamps an exact integer to the signed or unsigned range of w bits. */
export function saturate(w: number, signed: boolean, x: bigint): Val {
  const W = BigInt(w);
  const lo = signed ? -(1n << (W - 1n)) : 0n;
  const hi = signed ? (1n << (W - 1n)) - 1n : (1n << W) - 1n;
  return fromBigInt(w, x < lo ? lo : x > hi ? hi : x);
}
export function inRange(w: number, signed: boolean, x: bigint): boolean {
  const W = BigInt(w);
  return signed ? x >= -(1n << (W - 1n)) && x < 1n << (W - 1n) : x >= 0n && x < 1n << W;
}

/** Division by zero and signed overflow are the caller's (checked first). */
export function udiv(a: Val, b: Val): Val {
  if (typeof a === 'number') return Math.floor(a / (b as number));
  return a / (b as bigint);
}
export function urem(a: Val, b: Val): Val {
  if (typeof a === 'number') return a % (b as number);
  return a % (b as bigint);
}
export function sdiv(w: number, a: Val, b: Val): Val {
  if (typeof a === 'number') return wrapNum(w, Math.trunc(sextNum(w, a) / sextNum(w, b as number)));
  return BigInt.asUintN(w, BigInt.asIntN(w, a) / BigInt.asIntN(w, b as bigint));
}
export function srem(w: number, a: Val, b: Val): Val {
  if (typeof a === 'number') return wrapNum(w, sextNum(w, a) % sextNum(w, b as number));
  return BigInt.asUintN(w, BigInt.asIntN(w, a) % BigInt.asIntN(w, b as bigint));
}
/** Is `a` the most negative value of w bits and `b` minus one? */
export function isSignedDivOverflow(w: number, a: Val, b: Val): boolean {
  if (typeof a === 'number') return a === 2 ** (w - 1) && b === maskNum(w);
  return a === 1n << BigInt(w - 1) && b === (1n << BigInt(w)) - 1n;
}
