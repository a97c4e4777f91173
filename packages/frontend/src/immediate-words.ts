// Conversions from the immediates a front end writes (JS numbers, bigints)
// to the int32 words an instruction stores (see @clift/ir's formats.ts).
// Used by the generated instruction builders; scratch buffers are reused so
// no conversion allocates.

import type { Value } from '@clift/ir';
import { NONE } from '@clift/ir';

/** Filler for unused fixed operand slots. */
export const NO_VALUE = NONE as Value;
/** The shared empty argument list (never mutated). */
export const NO_VALUES: readonly Value[] = Object.freeze([]);

const TWO_POW_32 = 0x1_0000_0000;


/** Low word of an Imm64 given as a number (integral) or bigint. */
export function imm64Lo(x: bigint | number): number {
  if (typeof x === 'number') {
    checkInteger(x);
    // ToInt32 is exactly "modulo 2^32, signed" for safe integers: no BigInt on the hot path.
    return x | 0;
  }
  return Number(BigInt.asIntN(32, x));
}
/** High word of an Imm64 (sign-extended view). */
export function imm64Hi(x: bigint | number): number {
  if (typeof x === 'number') {
    checkInteger(x);
    return Math.floor(x / TWO_POW_32) | 0;
  }
  return Number(BigInt.asIntN(32, x >> 32n));
}
function checkInteger(x: number): void {
  if (!Number.isSafeInteger(x)) throw new RangeError(`immediate ${x} is not a safe integer; pass a bigint`);
}

const f32 = new Float32Array(1);
const f32Words = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const f64Words = new Int32Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** IEEE single bits of `x` (rounded to single precision). */
export function f32Bits(x: number): number {
  f32[0] = x;
  return f32Words[0];
}
export function f64Lo(x: number): number {
  f64[0] = x;
  return f64Words[littleEndian ? 0 : 1];
}
export function f64Hi(x: number): number {
  f64[0] = x;
  return f64Words[littleEndian ? 1 : 0];
}

