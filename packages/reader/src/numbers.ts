// Decoding of number literals: integers (decimal, hex, `_` separators,
// signs) with range checks, and IEEE floats of any width (decimal correctly
// rounded to nearest-even, exact hex `0x1.8p3`, `Inf`, `NaN`, `NaN:0x…`,
// `sNaN:0x…`).
//
// Decoders return a value or an error string (never throw), so the parser
// can wrap the message with the token's position. Cold relative to the
// lexer: literals are short, and BigInt is only used where 53 bits could
// overflow or rounding must be exact.

/** Exponent/fraction widths per float width. */
export function floatLayout(bits: number): readonly [number, number] {
  switch (bits) {
    case 16: return [5, 10];
    case 32: return [8, 23];
    case 64: return [11, 52];
    default: return [15, 112];
  }
}

/**
 * Parses an integer literal: `[+-]` then `0x` hex digits or decimal digits,
 * either with `_` separators. Returns the exact value.
 */
export function parseInteger(text: string): bigint | string {
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
  // Fast path: short decimals fit a double exactly.
  if (!hex && text.length - i <= 15) {
    let v = 0;
    let any = false;
    for (let k = i; k < text.length; k++) {
      const d = text.charCodeAt(k);
      if (d === 95) continue;
      if (d < 48 || d > 57) return `invalid digit '${text[k]}' in decimal integer '${text}'`;
      v = v * 10 + (d - 48);
      any = true;
    }
    if (!any) return `no digits in integer '${text}'`;
    return BigInt(neg ? -v : v);
  }
  let v = 0n;
  let any = false;
  for (let k = i; k < text.length; k++) {
    const d = text.charCodeAt(k);
    if (d === 95) continue;
    let digit: number;
    if (d >= 48 && d <= 57) digit = d - 48;
    else if (hex && d >= 97 && d <= 102) digit = d - 87;
    else if (hex && d >= 65 && d <= 70) digit = d - 55;
    else return `invalid digit '${text[k]}' in ${hex ? 'hexadecimal' : 'decimal'} integer '${text}'`;
    v = v * (hex ? 16n : 10n) + BigInt(digit);
    any = true;
  }
  if (!any) return `no digits in integer '${text}'`;
  return neg ? -v : v;
}

/**
 * Parses an integer for a `bits`-wide slot, accepting anything that fits as
 * signed or as unsigned (`-1` and `255` both fit i8), as upstream does.
 * Returns the value zero-extended to `bits`.
 */
export function parseIntegerOfWidth(text: string, bits: number): bigint | string {
  const v = parseInteger(text);
  if (typeof v === 'string') return v;
  const lo = -(1n << BigInt(bits - 1));
  const hi = (1n << BigInt(bits)) - 1n;
  if (v < lo || v > hi) return `integer ${text} does not fit in ${bits} bits`;
  return BigInt.asUintN(bits, v);
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
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
    if (c0 === 45) sign = 1n << BigInt(width - 1);
    i = 1;
  }
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
