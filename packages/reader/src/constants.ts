// Vector and constant-pool literals: `[1 2 3 4]` lane lists and `0x…` hex
// byte strings, decoded to little-endian bytes (lane 0 first), as
// `vconst`, `constN = …`, shuffle masks and run-command vectors spell them.

import type { Type } from '@clift/ir';
import { isFloat, laneBits, laneType, laneCount, typeBytes, typeName } from '@clift/ir';
import { floatLayout, parseFloatBits, parseIntegerOfWidth } from './numbers.js';

/** Hex text (`0x` + digits, `_` allowed, most significant byte first) to little-endian bytes. */
export function hexToBytes(text: string): Uint8Array | string {
  if (!text.startsWith('0x') && !text.startsWith('0X')) return `expected a hexadecimal constant like 0x0102, found '${text}'`;
  let ndigits = 0;
  for (let i = 2; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 95) continue;
    if (hexDigit(c) < 0) return `invalid hexadecimal digit '${text[i]}' in '${text}'`;
    ndigits++;
  }
  // Read digits from the least significant end, two per byte.
  const out = new Uint8Array((ndigits + 1) >> 1);
  let k = 0;
  for (let i = text.length - 1; i >= 2; i--) {
    const d = hexDigit(text.charCodeAt(i));
    if (d < 0) continue;
    out[k >> 1] |= (k & 1) === 0 ? d : d << 4;
    k++;
  }
  return out;
}

/** The value of a hex digit's char code, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** Zero-extends `bytes` to `size`, or explains why it does not fit. */
export function expandBytes(bytes: Uint8Array, size: number): Uint8Array | string {
  if (bytes.length > size) {
    // Leading zero bytes beyond the size are harmless (upstream strips them too).
    for (let i = size; i < bytes.length; i++) if (bytes[i] !== 0) return `constant has ${bytes.length} bytes, expected at most ${size}`;
    return bytes.slice(0, size);
  }
  if (bytes.length === size) return bytes;
  const out = new Uint8Array(size);
  out.set(bytes);
  return out;
}

/** Decodes one lane literal of a vector type into its bits, or an error. */
export function laneLiteral(lane: Type, text: string, isFloatToken: boolean): bigint | string {
  const w = laneBits(lane);
  if (isFloat(lane)) {
    if (!isFloatToken) return `expected a ${typeName(lane)} float lane, found '${text}'`;
    const [e, t] = floatLayout(w);
    return parseFloatBits(text, e, t);
  }
  if (isFloatToken) return `expected a ${typeName(lane)} integer lane, found '${text}'`;
  return parseIntegerOfWidth(text, w);
}

/** Packs lane bit patterns of vector type `t` into little-endian bytes. */
export function lanesToBytes(t: Type, lanes: readonly bigint[]): Uint8Array {
  const lb = laneBits(laneType(t)) / 8;
  const out = new Uint8Array(typeBytes(t));
  for (let i = 0; i < laneCount(t); i++) {
    let v = lanes[i] ?? 0n;
    for (let b = 0; b < lb; b++) {
      out[i * lb + b] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  return out;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
