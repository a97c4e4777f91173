// The interpreter's value representation and its conversions to and from
// @clift/ir's DataValue.
//
// Representation (chosen for speed of the common scalar cases):
// - a scalar of at most 32 bits (i8, i16, i32, f16, f32) is a non-negative
//   number holding its bit pattern;
// - every other value (i64, i128, f64, f128, every vector) is a non-negative
//   BigInt holding its bit pattern; vectors keep lane 0 in the low bits, as
//   DataValue does.
// Floats are always bit patterns, so NaN payloads survive untouched.

import type { DataValue, Type } from '@clift/ir';
import { isVector, laneBits, laneCount, laneType, typeBits } from '@clift/ir';
import type { Val } from './float.js';

export type { Val };

/** Is `t` held as a number (scalar of ≤ 32 bits)? */
export function isNumType(t: Type): boolean {
  return !isVector(t) && typeBits(t) <= 32;
}

export function fromDataValue(v: DataValue): Val {
  const bits = BigInt.asUintN(typeBits(v.type), v.bits);
  return isNumType(v.type) ? Number(bits) : bits;
}

export function toDataValue(t: Type, v: Val): DataValue {
  return { type: t, bits: typeof v === 'bigint' ? v : BigInt(v) };
}

/** Bit pattern of any value as a BigInt. */
export function valBits(v: Val): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}
/** A value of type `t` from a bit pattern (masked). */
export function valOfBits(t: Type, bits: bigint): Val {
  const b = BigInt.asUintN(typeBits(t), bits);
  return isNumType(t) ? Number(b) : b;
}

/** Splits a vector (BigInt) into lanes in the lane representation. */
export function lanesOf(t: Type, v: Val): Val[] {
  const w = laneBits(t);
  const n = laneCount(t);
  const out = new Array<Val>(n);
  let x = v as bigint;
  if (w <= 32) {
    const m = BigInt((2 ** w) - 1);
    const W = BigInt(w);
    for (let i = 0; i < n; i++) {
      out[i] = Number(x & m);
      x >>= W;
    }
  } else {
    const W = BigInt(w);
    const m = (1n << W) - 1n;
    for (let i = 0; i < n; i++) {
      out[i] = x & m;
      x >>= W;
    }
  }
  return out;
}

/** Joins lanes (lane 0 first) into a vector BigInt. */
export function joinLanes(t: Type, lanes: readonly Val[]): bigint {
  const W = BigInt(laneBits(t));
  let x = 0n;
  for (let i = lanes.length - 1; i >= 0; i--) x = (x << W) | BigInt(lanes[i]);
  return x;
}

/** Applies a lane function to a scalar or to every lane of a vector. */
export function mapLanes(t: Type, a: Val, f: (lane: Type, x: Val) => Val): Val {
  if (!isVector(t)) return f(t, a);
  const lane = laneType(t);
  const xs = lanesOf(t, a);
  for (let i = 0; i < xs.length; i++) xs[i] = f(lane, xs[i]);
  return joinLanes(t, xs);
}
export function mapLanes2(t: Type, a: Val, b: Val, f: (lane: Type, x: Val, y: Val) => Val): Val {
  if (!isVector(t)) return f(t, a, b);
  const lane = laneType(t);
  const xs = lanesOf(t, a);
  const ys = lanesOf(t, b);
  for (let i = 0; i < xs.length; i++) xs[i] = f(lane, xs[i], ys[i]);
  return joinLanes(t, xs);
}
export function mapLanes3(t: Type, a: Val, b: Val, c: Val, f: (lane: Type, x: Val, y: Val, z: Val) => Val): Val {
  if (!isVector(t)) return f(t, a, b, c);
  const lane = laneType(t);
  const xs = lanesOf(t, a);
  const ys = lanesOf(t, b);
  const zs = lanesOf(t, c);
  for (let i = 0; i < xs.length; i++) xs[i] = f(lane, xs[i], ys[i], zs[i]);
  return joinLanes(t, xs);
}

/** Bytes of a value in memory order (little- or big-endian lanes). */
export function valToBytes(t: Type, v: Val, bigEndian: boolean, out: Uint8Array, at: number): void {
  const size = typeBits(t) >>> 3;
  if (typeof v === 'number') {
    for (let i = 0; i < size; i++) out[at + (bigEndian ? size - 1 - i : i)] = (v >>> (8 * i)) & 0xff;
    return;
  }
  if (!bigEndian) {
    let x = v;
    for (let i = 0; i < size; i++) {
      out[at + i] = Number(x & 0xffn);
      x >>= 8n;
    }
    return;
  }
  // Big-endian: each lane big-endian, lanes in order.
  const lb = laneBits(t) >>> 3;
  let x = v;
  for (let l = 0; l < size / lb; l++) {
    for (let i = 0; i < lb; i++) {
      out[at + l * lb + (lb - 1 - i)] = Number(x & 0xffn);
      x >>= 8n;
    }
  }
}

export function valFromBytes(t: Type, bigEndian: boolean, src: Uint8Array, at: number): Val {
  const size = typeBits(t) >>> 3;
  if (isNumType(t)) {
    let x = 0;
    for (let i = size - 1; i >= 0; i--) x = x * 256 + src[at + (bigEndian ? size - 1 - i : i)];
    return x;
  }
  if (!bigEndian) {
    let x = 0n;
    for (let i = size - 1; i >= 0; i--) x = (x << 8n) | BigInt(src[at + i]);
    return x;
  }
  const lb = laneBits(t) >>> 3;
  let x = 0n;
  for (let l = size / lb - 1; l >= 0; l--) {
    for (let i = 0; i < lb; i++) x = (x << 8n) | BigInt(src[at + l * lb + i]);
  }
  return x;
}
