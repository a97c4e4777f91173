// AArch64 immediate operand forms and the checks that decide whether a
// constant fits one: 12-bit arithmetic immediates (optionally shifted by 12),
// logical "bitmask" immediates, move-wide 16-bit chunks, signed 9-bit and
// scaled unsigned 12-bit memory offsets, signed 7-bit scaled pair offsets.
//
// Each `maybeFrom` returns `undefined` when the value does not fit, so the
// lowering rules can fall back to a register operand. Values are packed into
// one small integer so they fit an Int32Array immediate slot.

/** `imm12` with an optional `lsl #12`: packed as `bits | shift12 << 12`. */
export type Imm12 = number & { readonly __brand: 'Imm12' };
export const Imm12 = {
  /** Fits a non-negative value below 2^24 with the low or high 12 bits set. */
  maybeFrom(x: bigint | number): Imm12 | undefined {
    const v = typeof x === 'bigint' ? (x < 0n || x > 0xffffffn ? -1 : Number(x)) : x;
    if (!Number.isInteger(v) || v < 0) return undefined;
    if (v < 0x1000) return v as Imm12;
    if (v < 0x1000000 && (v & 0xfff) === 0) return ((v >>> 12) | 0x1000) as Imm12;
    return undefined;
  },
  bits(i: Imm12): number {
    return i & 0xfff;
  },
  shift12(i: Imm12): boolean {
    return (i & 0x1000) !== 0;
  },
  value(i: Imm12): number {
    return (i & 0x1000) !== 0 ? (i & 0xfff) << 12 : i & 0xfff;
  },
  zero: 0 as Imm12,
} as const;

/**
 * A logical immediate: `n:1 immr:6 imms:6` packed as `n << 12 | immr << 6 | imms`.
 * The encodable values are the bit patterns made of a repeated element of
 * 2, 4, 8, 16, 32 or 64 bits holding one rotated run of ones; all-zeros and
 * all-ones are not encodable.
 */
export type ImmLogic = number & { readonly __brand: 'ImmLogic' };

const M64 = (1n << 64n) - 1n;

/** Set bits of a 32-bit word. */
function pop32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}
/** Trailing zeros of a nonzero 32-bit word. */
function ctz32(x: number): number {
  return 31 - Math.clz32(x & -x);
}

export const ImmLogic = {
  /**
   * Encodes `value` (its low `bits` bits, 32 or 64) as a logical immediate of
   * that operand size, or undefined when it has no encoding.
   */
  maybeFrom(value: bigint, bits: 32 | 64): ImmLogic | undefined {
    const v = BigInt.asUintN(64, value);
    return ImmLogic.fromWords(Number(v & 0xffffffffn), Number(v >> 32n), bits);
  },
  /**
   * `maybeFrom` of the 64-bit value `hi:lo` (32-bit words), without BigInt:
   * find the smallest element size the value repeats at, then check that
   * the element is one rotated run of ones (a run, or its complement a run).
   */
  fromWords(lo: number, hi: number, bits: 32 | 64): ImmLogic | undefined {
    lo >>>= 0;
    hi = bits === 32 ? lo : hi >>> 0;
    if ((lo === 0 && hi === 0) || (lo === 0xffffffff && hi === 0xffffffff)) return undefined;
    let size: number;
    let ones: number;
    let rot: number;
    if (lo !== hi) {
      size = 64;
      ones = pop32(lo) + pop32(hi);
      const tz = lo !== 0 ? ctz32(lo) : 32 + ctz32(hi);
      const lz = hi !== 0 ? Math.clz32(hi) : 32 + Math.clz32(lo);
      if (ones === 64 - lz - tz) rot = tz;
      else {
        // Ones at both ends: the zeros between them must be one run.
        const nlo = ~lo >>> 0;
        const nhi = ~hi >>> 0;
        const ntz = nlo !== 0 ? ctz32(nlo) : 32 + ctz32(nhi);
        const nlz = nhi !== 0 ? Math.clz32(nhi) : 32 + Math.clz32(nlo);
        if (64 - ones !== 64 - nlz - ntz) return undefined;
        rot = 64 - nlz;
      }
    } else {
      size = 32;
      while (size > 2) {
        const half = size >>> 1;
        const m = (1 << half) - 1;
        if ((lo & m) !== ((lo >>> half) & m)) break;
        size = half;
      }
      const mask = size === 32 ? 0xffffffff : (1 << size) - 1;
      const e = (lo & mask) >>> 0;
      ones = pop32(e);
      const tz = ctz32(e);
      const lz = Math.clz32(e) - (32 - size);
      if (ones === size - lz - tz) rot = tz;
      else {
        const ne = (~e & mask) >>> 0;
        const nlz = Math.clz32(ne) - (32 - size);
        if (size - ones !== size - nlz - ctz32(ne)) return undefined;
        rot = size - nlz;
      }
    }
    const immr = (size - rot) & (size - 1);
    const nimms = ((~(size - 1) << 1) & 0x7f) | (ones - 1);
    const n = ((nimms >> 6) & 1) ^ 1;
    if (bits === 32 && n === 1) return undefined;
    return ((n << 12) | (immr << 6) | (nimms & 0x3f)) as ImmLogic;
  },
  n(i: ImmLogic): number {
    return (i >>> 12) & 1;
  },
  immr(i: ImmLogic): number {
    return (i >>> 6) & 0x3f;
  },
  imms(i: ImmLogic): number {
    return i & 0x3f;
  },
  /** The 32- or 64-bit value an encoding stands for. */
  value(i: ImmLogic, bits: 32 | 64): bigint {
    const n = (i >>> 12) & 1;
    const immr = (i >>> 6) & 0x3f;
    const imms = i & 0x3f;
    // Element size: the highest set bit of n:NOT(imms).
    const combined = (n << 6) | (~imms & 0x3f);
    let len = 6;
    while (len >= 0 && ((combined >> len) & 1) === 0) len--;
    const size = 1 << len;
    const s = imms & (size - 1);
    const r = immr & (size - 1);
    const emask = size === 64 ? M64 : (1n << BigInt(size)) - 1n;
    const welem = (1n << BigInt(s + 1)) - 1n;
    const rotated = r === 0 ? welem : ((welem >> BigInt(r)) | (welem << BigInt(size - r))) & emask;
    let out = 0n;
    for (let k = 0; k < 64; k += size) out |= rotated << BigInt(k);
    return BigInt.asUintN(bits, out);
  },
} as const;

/** A 16-bit chunk at a shift of 0, 16, 32 or 48 (movz/movn/movk). */
export interface MoveWide {
  readonly imm16: number;
  /** Shift in units of 16 bits (0..3). */
  readonly hw: number;
}

/** `value` (low `bits` bits) as one movz chunk, if it has at most one nonzero chunk. */
export function moveWideMaybeFrom(value: bigint, bits: 32 | 64): MoveWide | undefined {
  const v = BigInt.asUintN(bits, value);
  for (let hw = 0; hw < bits / 16; hw++) {
    const shift = BigInt(hw * 16);
    if ((v & ~(0xffffn << shift)) === 0n) return { imm16: Number((v >> shift) & 0xffffn), hw };
  }
  return undefined;
}

/** Signed 9-bit unscaled offset (ldur/stur, pre/post-index). */
export function simm9Fits(off: number): boolean {
  return Number.isInteger(off) && off >= -256 && off <= 255;
}
/** Unsigned 12-bit offset scaled by the access size. */
export function uimm12ScaledFits(off: number, size: number): boolean {
  return Number.isInteger(off) && off >= 0 && off % size === 0 && off / size <= 0xfff;
}
/** Signed 7-bit offset scaled by the access size (ldp/stp). */
export function simm7ScaledFits(off: number, size: number): boolean {
  return Number.isInteger(off) && off % size === 0 && off / size >= -64 && off / size <= 63;
}
