// Decoding of number literals: integers (decimal, hex, `_` separators,
// signs) with range checks, and IEEE floats of any width (decimal correctly
// rounded to nearest-even, exact hex `0x1.8p3`, `Inf`, `NaN`, `NaN:0x…`,
// `sNaN:0x…`).
//
// Decoders return a value or an error string (never throw), so the parser
// can wrap the message with the token's position. Run commands make these
// hot (thousands of literals per corpus), so each decoder first tries an
// exact fast path in doubles — integers that are safe integers, decimal
// floats that `Number()` rounds correctly — and uses BigInt arithmetic only
// for wide values, hex floats and the rare double-rounding cases.

/** Exponent/fraction widths per float width. */
export function floatLayout(bits: number): readonly [number, number] {
  switch (bits) {
    case 16: return [5, 10];
    case 32: return [8, 23];
    case 64: return [11, 52];
    default: return [15, 112];
  }
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * The exact value of the integer literal `s[start, end)` when it is a valid
 * literal whose magnitude is a safe integer; NaN otherwise (too wide, or
 * malformed: the caller then takes the exact path, which explains errors).
 */
export function smallIntegerAt(s: string, start: number, end: number): number {
  let i = start;
  let neg = false;
  const c0 = s.charCodeAt(i);
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i++;
  }
  let v = 0;
  let any = false;
  if (s.charCodeAt(i) === 48 && (s.charCodeAt(i + 1) | 32) === 120) {
    for (i += 2; i < end; i++) {
      const d = s.charCodeAt(i);
      if (d === 95) continue;
      let x: number;
      if (d >= 48 && d <= 57) x = d - 48;
      else {
        const l = d | 32;
        if (l < 97 || l > 102) return NaN;
        x = l - 87;
      }
      // Once past MAX_SAFE the product may round, but never back below it.
      v = v * 16 + x;
      if (v > MAX_SAFE) return NaN;
      any = true;
    }
  } else {
    for (; i < end; i++) {
      const d = s.charCodeAt(i);
      if (d === 95) continue;
      if (d < 48 || d > 57) return NaN;
      v = v * 10 + (d - 48);
      if (v > MAX_SAFE) return NaN;
      any = true;
    }
  }
  if (!any) return NaN;
  return neg ? -v : v;
}

/**
 * 2^k as a double for k in [-1074, 1023], by table: V8 evaluates `2 ** k`
 * with a variable k through a slow generic power routine.
 */
const POW2_BIAS = 1074;
const POW2_F64 = new Float64Array(POW2_BIAS + 1024);
for (let k = -POW2_BIAS, p = 2 ** -POW2_BIAS; k <= 1023; k++, p *= 2) POW2_F64[k + POW2_BIAS] = p;
/** 2^k (k an integer in [-1074, 1023]). */
export function pow2f(k: number): number {
  return POW2_F64[k + POW2_BIAS];
}

/** 2^bits as a BigInt, cached (bits up to 128). */
const POW2: bigint[] = [];
function pow2(bits: number): bigint {
  return (POW2[bits] ??= 1n << BigInt(bits));
}
const NEG_POW2: bigint[] = [];
function negPow2(bits: number): bigint {
  return (NEG_POW2[bits] ??= -pow2(bits));
}

const U64_VIEW = new DataView(new ArrayBuffer(8));

/**
 * The value of an unsigned hex literal `0x…` of at most 64 bits (16 digits,
 * `_` allowed) at `s[start, end)`, built from two 32-bit halves with one
 * BigInt allocation; undefined for anything else.
 */
function hex64At(s: string, start: number, end: number): bigint | undefined {
  if (s.charCodeAt(start) !== 48 || (s.charCodeAt(start + 1) | 32) !== 120) return undefined;
  let hi = 0;
  let lo = 0;
  let digits = 0;
  for (let i = start + 2; i < end; i++) {
    const d = s.charCodeAt(i);
    if (d === 95) continue;
    let x: number;
    if (d >= 48 && d <= 57) x = d - 48;
    else {
      const l = d | 32;
      if (l < 97 || l > 102) return undefined;
      x = l - 87;
    }
    if (++digits > 16) return undefined;
    hi = hi * 16 + (lo >>> 28);
    lo = ((lo << 4) | x) >>> 0;
  }
  if (digits === 0) return undefined;
  U64_VIEW.setUint32(0, hi);
  U64_VIEW.setUint32(4, lo);
  return U64_VIEW.getBigUint64(0);
}

/**
 * The `bits`-wide zero-extended pattern of `s[start, end)`, when it is a
 * safe integer that fits (as signed or unsigned), or an unsigned hex
 * literal of up to 64 bits for a slot of at least 64; undefined otherwise.
 */
export function smallIntegerOfWidthAt(s: string, start: number, end: number, bits: number): bigint | undefined {
  const n = smallIntegerAt(s, start, end);
  if (n !== n) return bits >= 64 ? hex64At(s, start, end) : undefined;
  if (bits < 53 && (n < -pow2f(bits - 1) || n > pow2f(bits) - 1)) return undefined;
  if (n >= 0) return BigInt(n);
  if (bits <= 52) return BigInt(n + pow2f(bits));
  return pow2(bits) + BigInt(n);
}

/**
 * Parses an integer literal: `[+-]` then `0x` hex digits or decimal digits,
 * either with `_` separators. Returns the exact value.
 */
export function parseInteger(text: string): bigint | string {
  const small = smallIntegerAt(text, 0, text.length);
  if (small === small) return BigInt(small);
  let i = 0;
  let neg = false;
  const c0 = text.charCodeAt(0);
  if (c0 === 45 || c0 === 43) {
    neg = c0 === 45;
    i = 1;
  }
  let hex = false;
  if (text.charCodeAt(i) === 48 && (text.charCodeAt(i + 1) === 120 || text.charCodeAt(i + 1) === 88)) {
    hex = true;
    i += 2;
  }
  // Validate, then let BigInt() read the digits (it takes `0x…` and plain
  // decimal, but neither signs on hex nor `_`).
  let any = false;
  let underscores = false;
  for (let k = i; k < text.length; k++) {
    const d = text.charCodeAt(k);
    if (d === 95) {
      underscores = true;
      continue;
    }
    if (!((d >= 48 && d <= 57) || (hex && ((d >= 97 && d <= 102) || (d >= 65 && d <= 70))))) {
      return `invalid digit '${text[k]}' in ${hex ? 'hexadecimal' : 'decimal'} integer '${text}'`;
    }
    any = true;
  }
  if (!any) return `no digits in integer '${text}'`;
  let digits = text.slice(i);
  if (underscores) digits = digits.replaceAll('_', '');
  const v = BigInt(hex ? `0x${digits}` : digits);
  return neg ? -v : v;
}

/**
 * Parses an integer for a `bits`-wide slot, accepting anything that fits as
 * signed or as unsigned (`-1` and `255` both fit i8), as upstream does.
 * Returns the value zero-extended to `bits`.
 */
export function parseIntegerOfWidth(text: string, bits: number): bigint | string {
  const fast = smallIntegerOfWidthAt(text, 0, text.length, bits);
  if (fast !== undefined) return fast;
  const v = parseInteger(text);
  if (typeof v === 'string') return v;
  if (v < negPow2(bits - 1) || v >= pow2(bits)) return `integer ${text} does not fit in ${bits} bits`;
  return v < 0n ? v + pow2(bits) : v;
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

// Scratch views for reading a double's or a float's bits.
const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/**
 * Whether `text[start, end)` is a plain decimal float: digits, an optional
 * `.` and digits (at least one digit in all), an optional exponent.
 */
function isPlainDecimal(text: string, start: number, end: number): boolean {
  let i = start;
  let digits = 0;
  while (i < end && isDigitCode(text.charCodeAt(i))) {
    i++;
    digits++;
  }
  if (i < end && text.charCodeAt(i) === 46) {
    i++;
    while (i < end && isDigitCode(text.charCodeAt(i))) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (i < end && (text.charCodeAt(i) | 32) === 101) {
    i++;
    if (i < end && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++;
    let e = 0;
    while (i < end && isDigitCode(text.charCodeAt(i))) {
      i++;
      e++;
    }
    if (e === 0) return false;
  }
  return i === end;
}
function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

const MIN_NORMAL_F64 = 2 ** -1022;

/**
 * Bits of a hex float literal's magnitude (`text[start…]`, from `0x`) for
 * f64 or f32 when its value is exactly representable and the arithmetic in
 * doubles is exact (mantissa within 53 bits, result a normal double);
 * undefined otherwise, including malformed or inexact literals, which the
 * exact path explains.
 */
function fastHexBits(text: string, start: number, t: number, neg: boolean): bigint | undefined {
  if (t !== 52 && t !== 23) return undefined;
  const end = text.length;
  let i = start + 2;
  let mant = 0;
  let fracDigits = 0;
  let seenDot = false;
  let any = false;
  for (; i < end; i++) {
    const d = text.charCodeAt(i);
    if (d === 46) {
      if (seenDot) return undefined;
      seenDot = true;
      continue;
    }
    if (d === 95) continue;
    let x: number;
    if (d >= 48 && d <= 57) x = d - 48;
    else {
      const l = d | 32;
      if (l < 97 || l > 102) break;
      x = l - 87;
    }
    mant = mant * 16 + x;
    if (mant > MAX_SAFE) return undefined;
    if (seenDot) fracDigits++;
    any = true;
  }
  if (!any) return undefined;
  let exp = 0;
  if (i < end) {
    if ((text.charCodeAt(i) | 32) !== 112) return undefined;
    i++;
    let neg = false;
    const c = text.charCodeAt(i);
    if (c === 43 || c === 45) {
      neg = c === 45;
      i++;
    }
    if (i >= end || end - i > 5) return undefined;
    for (; i < end; i++) {
      const d = text.charCodeAt(i);
      if (d < 48 || d > 57) return undefined;
      exp = exp * 10 + (d - 48);
    }
    if (neg) exp = -exp;
  }
  exp -= 4 * fracDigits;
  if (exp < -1022 || exp > 1023) return undefined;
  const x = mant * pow2f(exp);
  if (x !== 0 && !(x >= MIN_NORMAL_F64 && x < Infinity)) return undefined;
  // Negating the double sets exactly the sign bit (values here are not NaN).
  if (t === 52) {
    F64[0] = neg ? -x : x;
    return U64[0];
  }
  const f = Math.fround(x);
  if (f !== x) return undefined;
  F32[0] = neg ? -f : f;
  return BigInt(U32[0]);
}

/**
 * Bits of a plain decimal literal's magnitude (`text[start…]`) rounded to
 * f64 or f32, or undefined when the fast path cannot be sure. `Number()`
 * rounds decimals correctly to f64. Rounding that f64 again to f32 gives
 * the correctly rounded f32 unless the f64 lies exactly halfway between two
 * f32 values (every such midpoint is an f64, so a decimal that is not one
 * rounds to the same side of it): that case goes to the exact path.
 */
function fastDecimalBits(text: string, start: number, t: number, neg: boolean): bigint | undefined {
  if (t !== 52 && t !== 23) return undefined;
  if (!isPlainDecimal(text, start, text.length)) return undefined;
  const x = Number(start === 0 ? text : text.slice(start));
  if (t === 52) {
    F64[0] = neg ? -x : x;
    return U64[0];
  }
  const f = Math.fround(x);
  if (f !== x) {
    const other = 2 * x - f;
    if (Math.fround(other) === other) return undefined;
  }
  F32[0] = neg ? -f : f;
  return BigInt(U32[0]);
}

/**
 * Rounds the positive rational num/den to the nearest float with `w`
 * exponent and `t` fraction bits (ties to even). Returns the unsigned bits
 * and whether the result is exact.
 */
function roundRational(num: bigint, den: bigint, w: number, t: number): [bigint, boolean] {
  if (num === 0n) return [0n, true];
  const p = t + 1;
  const bias = (1 << (w - 1)) - 1;
  const emin = 1 - bias;
  // e = floor(log2(num/den))
  let e = bitLength(num) - bitLength(den);
  const ge = e >= 0 ? num >= den << BigInt(e) : num << BigInt(-e) >= den;
  if (!ge) e--;
  let E = Math.max(e, emin);
  const shift = p - 1 - E;
  let N = num;
  let D = den;
  if (shift >= 0) N <<= BigInt(shift);
  else D <<= BigInt(-shift);
  let q = N / D;
  const r = N - q * D;
  const exact = r === 0n;
  const twice = r * 2n;
  if (twice > D || (twice === D && (q & 1n) === 1n)) q++;
  if (q === 1n << BigInt(p)) {
    q >>= 1n;
    E++;
  }
  if (E > bias) return [((1n << BigInt(w)) - 1n) << BigInt(t), false];
  const hidden = 1n << BigInt(t);
  if (q >= hidden) return [(BigInt(E + bias) << BigInt(t)) | (q - hidden), exact];
  return [q, exact];
}

/**
 * Parses a float literal into the bits of a float with `w` exponent and `t`
 * fraction bits. Decimal literals are rounded to nearest-even; hex literals
 * must be exact.
 */
export function parseFloatBits(text: string, w: number, t: number): bigint | string {
  const width = 1 + w + t;
  let i = 0;
  let sign = 0n;
  const c0 = text.charCodeAt(0);
  if (c0 === 45 || c0 === 43) {
    if (c0 === 45) sign = pow2(width - 1);
    i = 1;
  }
  const c1 = text.charCodeAt(i);
  const neg = c0 === 45;
  const fast = c1 === 48 && (text.charCodeAt(i + 1) | 32) === 120 ? fastHexBits(text, i, t, neg) : fastDecimalBits(text, i, t, neg);
  if (fast !== undefined) return fast;
  const body = text.slice(i);
  const expAll = ((1n << BigInt(w)) - 1n) << BigInt(t);
  const quiet = 1n << BigInt(t - 1);
  if (body === 'Inf') return sign | expAll;
  if (body === 'NaN') return sign | expAll | quiet;
  if (body.startsWith('NaN:') || body.startsWith('sNaN:')) {
    const signalling = body.charCodeAt(0) === 115;
    const payloadText = body.slice(body.indexOf(':') + 1);
    if (!payloadText.startsWith('0x')) return `expected a hexadecimal NaN payload like 0x1 in '${text}'`;
    const payload = parseInteger(payloadText);
    if (typeof payload === 'string') return payload;
    if (payload >= quiet) return `NaN payload ${payloadText} does not fit in ${t - 1} bits`;
    if (signalling && payload === 0n) return `a signalling NaN needs a non-zero payload in '${text}'`;
    return sign | expAll | (signalling ? 0n : quiet) | payload;
  }
  if (body.startsWith('0x') || body.startsWith('0X')) {
    let mant = 0n;
    let fracDigits = 0;
    let seenDot = false;
    let any = false;
    let k = 2;
    for (; k < body.length; k++) {
      const d = body.charCodeAt(k);
      if (d === 46) {
        if (seenDot) return `two '.' in float '${text}'`;
        seenDot = true;
        continue;
      }
      if (d === 95) continue;
      let digit: number;
      if (d >= 48 && d <= 57) digit = d - 48;
      else if (d >= 97 && d <= 102) digit = d - 87;
      else if (d >= 65 && d <= 70) digit = d - 55;
      else break;
      mant = mant * 16n + BigInt(digit);
      if (seenDot) fracDigits++;
      any = true;
    }
    if (!any) return `no digits in float '${text}'`;
    let exp = 0;
    if (k < body.length) {
      const d = body.charCodeAt(k);
      if (d !== 112 && d !== 80) return `invalid character '${body[k]}' in float '${text}'`;
      const expText = body.slice(k + 1);
      if (!/^[+-]?\d+$/.test(expText)) return `invalid exponent '${expText}' in float '${text}'`;
      exp = Number(expText);
    }
    exp -= 4 * fracDigits;
    if (mant === 0n) return sign;
    const [num, den] = exp >= 0 ? [mant << BigInt(exp), 1n] : [mant, 1n << BigInt(-exp)];
    const [bits, exact] = roundRational(num, den, w, t);
    if (!exact) return `float '${text}' is not exactly representable in ${width} bits`;
    return sign | bits;
  }
  // Decimal: digits [. digits] [e [+-] digits]
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(body);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return `invalid float '${text}': expected decimal (1.5), hex (0x1.8p0), Inf or NaN`;
  const intPart = m[1];
  const fracPart = m[2] ?? '';
  const exp10 = Number(m[3] ?? '0') - fracPart.length;
  const digits = BigInt((intPart + fracPart).replace(/^0+(?=\d)/, '') || '0');
  if (digits === 0n) return sign;
  if (width === 64) {
    const x = Number(body);
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, x);
    return sign | view.getBigUint64(0);
  }
  const [num, den] = exp10 >= 0 ? [digits * 10n ** BigInt(exp10), 1n] : [digits, 10n ** BigInt(-exp10)];
  return sign | roundRational(num, den, w, t)[0];
}
