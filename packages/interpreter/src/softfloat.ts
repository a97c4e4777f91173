// Software IEEE-754 binary floating point over BigInt bit patterns, for any
// binary interchange format (f16, f32, f64, f128).
//
// Owns: exact arithmetic on finite values (a finite float is `sig * 2^exp`
// with an integer significand), and the single correctly rounded step
// (round-to-nearest, ties-to-even) that turns an exact result back into a bit
// pattern. Every operation computes its exact result first (or an exact
// truncation plus a sticky bit) and rounds once, so results are correctly
// rounded for every format, including fused multiply-add.
//
// NaN policy is not decided here: callers check for NaN operands first (see
// float.ts); these functions only see zeros, finite values and infinities.
//
// Invariants: bit patterns are unsigned BigInts below 2^bits; `Finite.sig`
// is > 0 for nonzero values.

export interface FloatFormat {
  readonly bits: number;
  /** Exponent field width. */
  readonly ebits: number;
  /** Fraction (trailing significand) width. */
  readonly mbits: number;
  readonly bias: number;
  readonly signBit: bigint;
  readonly expMask: bigint;
  readonly fracMask: bigint;
  readonly quietBit: bigint;
}

function makeFormat(bits: number, ebits: number): FloatFormat {
  const mbits = bits - ebits - 1;
  return {
    bits,
    ebits,
    mbits,
    bias: (1 << (ebits - 1)) - 1,
    signBit: 1n << BigInt(bits - 1),
    expMask: ((1n << BigInt(ebits)) - 1n) << BigInt(mbits),
    fracMask: (1n << BigInt(mbits)) - 1n,
    quietBit: 1n << BigInt(mbits - 1),
  };
}

export const FMT16 = makeFormat(16, 5);
export const FMT32 = makeFormat(32, 8);
export const FMT64 = makeFormat(64, 11);
export const FMT128 = makeFormat(128, 15);

export function formatOfBits(bits: number): FloatFormat {
  switch (bits) {
    case 16: return FMT16;
    case 32: return FMT32;
    case 64: return FMT64;
    default: return FMT128;
  }
}

// ---------------------------------------------------------------------------
// Classification

export function isNaNBits(f: FloatFormat, x: bigint): boolean {
  return (x & f.expMask) === f.expMask && (x & f.fracMask) !== 0n;
}
export function isInfBits(f: FloatFormat, x: bigint): boolean {
  return (x & f.expMask) === f.expMask && (x & f.fracMask) === 0n;
}
export function isZeroBits(f: FloatFormat, x: bigint): boolean {
  return (x & ~f.signBit) === 0n;
}
export function isNegBits(f: FloatFormat, x: bigint): boolean {
  return (x & f.signBit) !== 0n;
}
export function isSignalingBits(f: FloatFormat, x: bigint): boolean {
  return isNaNBits(f, x) && (x & f.quietBit) === 0n;
}
export function infBits(f: FloatFormat, neg: boolean): bigint {
  return f.expMask | (neg ? f.signBit : 0n);
}
export function zeroBits(f: FloatFormat, neg: boolean): bigint {
  return neg ? f.signBit : 0n;
}
/** The default (canonical) NaN: positive, quiet, zero payload. */
export function defaultNaN(f: FloatFormat): bigint {
  return f.expMask | f.quietBit;
}

/** A finite nonzero value: (-1)^neg * sig * 2^exp. */
export interface Finite {
  neg: boolean;
  sig: bigint;
  exp: number;
}

/** Decodes a finite nonzero pattern (callers exclude zero, inf and NaN). */
export function unpack(f: FloatFormat, x: bigint): Finite {
  const neg = (x & f.signBit) !== 0n;
  const e = Number((x & f.expMask) >> BigInt(f.mbits));
  const frac = x & f.fracMask;
  if (e === 0) return { neg, sig: frac, exp: 1 - f.bias - f.mbits };
  return { neg, sig: frac | (1n << BigInt(f.mbits)), exp: e - f.bias - f.mbits };
}

export function bitLength(x: bigint): number {
  // toString(16) keeps this linear; the top digit gives the remaining bits.
  if (x === 0n) return 0;
  const s = x.toString(16);
  return (s.length - 1) * 4 + (32 - Math.clz32(parseInt(s[0], 16)));
}

/**
 * Rounds (-1)^neg * sig * 2^exp (sig ≥ 0, exact) to the nearest value of
 * format `f`, ties to even; overflows to infinity. A zero sig gives a zero
 * of the given sign.
 */
export function roundToFormat(f: FloatFormat, neg: boolean, sig: bigint, exp: number): bigint {
  if (sig === 0n) return zeroBits(f, neg);
  const n = bitLength(sig);
  const msbExp = exp + n - 1;
  const emin = 1 - f.bias;
  // The exponent of the last significand bit the result can hold.
  let q = Math.max(msbExp, emin) - f.mbits;
  const shift = q - exp;
  let r: bigint;
  if (shift <= 0) {
    r = sig << BigInt(-shift);
  } else {
    const s = BigInt(shift);
    r = sig >> s;
    const rem = sig - (r << s);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (r & 1n) === 1n)) r += 1n;
  }
  const implicit = 1n << BigInt(f.mbits);
  if (r >= implicit << 1n) {
    // Rounding carried into a new bit: the dropped bit is 0 (r was even).
    r >>= 1n;
    q += 1;
  }
  const sign = neg ? f.signBit : 0n;
  if (r < implicit) return sign | r; // subnormal (q === emin - mbits) or zero
  const biased = q + f.mbits + f.bias;
  if (biased >= (1 << f.ebits) - 1) return infBits(f, neg);
  return sign | (BigInt(biased) << BigInt(f.mbits)) | (r - implicit);
}

// ---------------------------------------------------------------------------
// Arithmetic on non-NaN operands

/** x + y for non-NaN x, y. */
export function addBits(f: FloatFormat, x: bigint, y: bigint): bigint {
  const xInf = isInfBits(f, x);
  const yInf = isInfBits(f, y);
  if (xInf || yInf) {
    if (xInf && yInf && isNegBits(f, x) !== isNegBits(f, y)) return defaultNaN(f);
    return xInf ? x : y;
  }
  const xZero = isZeroBits(f, x);
  const yZero = isZeroBits(f, y);
  if (xZero && yZero) return isNegBits(f, x) && isNegBits(f, y) ? f.signBit : 0n;
  if (xZero) return y;
  if (yZero) return x;
  const a = unpack(f, x);
  const b = unpack(f, y);
  return addFinite(f, a, b);
}

function addFinite(f: FloatFormat, a: Finite, b: Finite): bigint {
  const e = Math.min(a.exp, b.exp);
  const sa = a.sig << BigInt(a.exp - e);
  const sb = b.sig << BigInt(b.exp - e);
  const va = a.neg ? -sa : sa;
  const vb = b.neg ? -sb : sb;
  const sum = va + vb;
  // An exact zero sum is +0 under round-to-nearest.
  if (sum === 0n) return 0n;
  return roundToFormat(f, sum < 0n, sum < 0n ? -sum : sum, e);
}

export function mulBits(f: FloatFormat, x: bigint, y: bigint): bigint {
  const neg = isNegBits(f, x) !== isNegBits(f, y);
  const xInf = isInfBits(f, x);
  const yInf = isInfBits(f, y);
  const xZero = isZeroBits(f, x);
  const yZero = isZeroBits(f, y);
  if (xInf || yInf) return (xInf && yZero) || (yInf && xZero) ? defaultNaN(f) : infBits(f, neg);
  if (xZero || yZero) return zeroBits(f, neg);
  const a = unpack(f, x);
  const b = unpack(f, y);
  return roundToFormat(f, neg, a.sig * b.sig, a.exp + b.exp);
}

export function divBits(f: FloatFormat, x: bigint, y: bigint): bigint {
  const neg = isNegBits(f, x) !== isNegBits(f, y);
  const xInf = isInfBits(f, x);
  const yInf = isInfBits(f, y);
  const xZero = isZeroBits(f, x);
  const yZero = isZeroBits(f, y);
  if (xInf) return yInf ? defaultNaN(f) : infBits(f, neg);
  if (yInf) return zeroBits(f, neg);
  if (yZero) return xZero ? defaultNaN(f) : infBits(f, neg);
  if (xZero) return zeroBits(f, neg);
  const a = unpack(f, x);
  const b = unpack(f, y);
  // Enough quotient bits for the precision plus guard bits, then a sticky bit.
  const k = Math.max(0, f.mbits + 4 + bitLength(b.sig) - bitLength(a.sig));
  const num = a.sig << BigInt(k);
  let q = num / b.sig;
  let exp = a.exp - b.exp - k;
  if (q * b.sig !== num) {
    q = (q << 1n) | 1n;
    exp -= 1;
  }
  return roundToFormat(f, neg, q, exp);
}

/** Integer square root (floor) of a non-negative BigInt. */
export function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function sqrtBits(f: FloatFormat, x: bigint): bigint {
  if (isZeroBits(f, x)) return x;
  if (isNegBits(f, x)) return defaultNaN(f);
  if (isInfBits(f, x)) return x;
  const a = unpack(f, x);
  // Scale so the exponent is even and the root has precision + guard bits.
  let k = Math.max(0, 2 * (f.mbits + 4) - bitLength(a.sig));
  if ((a.exp - k) % 2 !== 0) k += 1;
  const n = a.sig << BigInt(k);
  let r = isqrt(n);
  let exp = (a.exp - k) / 2;
  if (r * r !== n) {
    r = (r << 1n) | 1n;
    exp -= 1;
  }
  return roundToFormat(f, false, r, exp);
}

/** x * y + z with a single rounding, for non-NaN operands. */
export function fmaBits(f: FloatFormat, x: bigint, y: bigint, z: bigint): bigint {
  const pNeg = isNegBits(f, x) !== isNegBits(f, y);
  const xInf = isInfBits(f, x);
  const yInf = isInfBits(f, y);
  const xZero = isZeroBits(f, x);
  const yZero = isZeroBits(f, y);
  if ((xInf && yZero) || (yInf && xZero)) return defaultNaN(f);
  if (xInf || yInf) {
    if (isInfBits(f, z) && isNegBits(f, z) !== pNeg) return defaultNaN(f);
    return infBits(f, pNeg);
  }
  if (isInfBits(f, z)) return z;
  const zZero = isZeroBits(f, z);
  if (xZero || yZero) {
    // An exact zero product: the sum follows zero-sign rules.
    if (zZero) return pNeg && isNegBits(f, z) ? f.signBit : 0n;
    return z;
  }
  const a = unpack(f, x);
  const b = unpack(f, y);
  const p: Finite = { neg: pNeg, sig: a.sig * b.sig, exp: a.exp + b.exp };
  if (zZero) return roundToFormat(f, pNeg, p.sig, p.exp);
  return addFinite(f, p, unpack(f, z));
}

// ---------------------------------------------------------------------------
// Conversions

/**
 * Converts between formats; NaNs keep their sign and the high payload bits
 * and become quiet (as hardware conversions do).
 */
export function convertBits(from: FloatFormat, to: FloatFormat, x: bigint): bigint {
  const neg = isNegBits(from, x);
  if (isNaNBits(from, x)) {
    const payload = x & from.fracMask;
    const moved = to.mbits >= from.mbits ? payload << BigInt(to.mbits - from.mbits) : payload >> BigInt(from.mbits - to.mbits);
    return (neg ? to.signBit : 0n) | to.expMask | to.quietBit | (moved & to.fracMask);
  }
  if (isInfBits(from, x)) return infBits(to, neg);
  if (isZeroBits(from, x)) return zeroBits(to, neg);
  const a = unpack(from, x);
  return roundToFormat(to, neg, a.sig, a.exp);
}

/** The float nearest to the integer `v` (any size). */
export function fromBigInt(f: FloatFormat, v: bigint): bigint {
  if (v === 0n) return 0n;
  return v < 0n ? roundToFormat(f, true, -v, 0) : roundToFormat(f, false, v, 0);
}

/**
 * Truncates a finite value toward zero to an integer. Callers handle NaN
 * and infinity.
 */
export function truncToBigInt(f: FloatFormat, x: bigint): bigint {
  if (isZeroBits(f, x)) return 0n;
  const a = unpack(f, x);
  const mag = a.exp >= 0 ? a.sig << BigInt(a.exp) : a.sig >> BigInt(-a.exp);
  return a.neg ? -mag : mag;
}

export const RoundMode = { Nearest: 0, Floor: 1, Ceil: 2, Trunc: 3 } as const;
export type RoundMode = (typeof RoundMode)[keyof typeof RoundMode];

/** Rounds to an integral value in the same format; NaN inputs are the caller's. */
export function roundIntegralBits(f: FloatFormat, x: bigint, mode: RoundMode): bigint {
  if (isInfBits(f, x) || isZeroBits(f, x)) return x;
  const a = unpack(f, x);
  if (a.exp >= 0) return x; // already integral
  const s = BigInt(-a.exp);
  let i = a.sig >> s;
  const rem = a.sig - (i << s);
  if (rem !== 0n) {
    const half = 1n << (s - 1n);
    switch (mode) {
      case RoundMode.Nearest:
        if (rem > half || (rem === half && (i & 1n) === 1n)) i += 1n;
        break;
      case RoundMode.Floor:
        if (a.neg) i += 1n;
        break;
      case RoundMode.Ceil:
        if (!a.neg) i += 1n;
        break;
      case RoundMode.Trunc:
        break;
    }
  }
  // A zero result keeps the operand's sign (ceil(-0.5) is -0).
  return i === 0n ? zeroBits(f, a.neg) : roundToFormat(f, a.neg, i, 0);
}

/**
 * Compares two non-NaN values: -1, 0 or 1 (zeros of either sign are equal).
 */
export function compareBits(f: FloatFormat, x: bigint, y: bigint): number {
  const kx = orderKey(f, x);
  const ky = orderKey(f, y);
  return kx < ky ? -1 : kx > ky ? 1 : 0;
}

function orderKey(f: FloatFormat, x: bigint): bigint {
  const mag = x & ~f.signBit;
  return (x & f.signBit) !== 0n ? -mag : mag;
}
