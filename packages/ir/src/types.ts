// CLIF value types, each packed into one small integer so a value's type
// fits a Uint16Array slot.
//
// Layout (one line, low bits first): `lane:4 | log2lanes:4 | dynamic:1`.
// - lane: 0 = INVALID, 1..5 = i8 i16 i32 i64 i128, 6..9 = f16 f32 f64 f128.
// - log2lanes: 0 for scalars; a fixed vector has 2^log2lanes lanes (2..256).
// - dynamic: the vector is `<lane>x<N>xN`, a multiple of the base count
//   scaled at run time (Cranelift's dynamic vector types).
// Invariants: INVALID is 0; a scalar has log2lanes 0 and dynamic 0; the
// total width of a fixed vector never exceeds 2048 bits.

export type Type = number & { readonly __brand: 'Type' };

const LANE_MASK = 0xf;
const LOG2_SHIFT = 4;
const LOG2_MASK = 0xf0;
const DYNAMIC_BIT = 0x100;

export const INVALID = 0 as Type;
export const I8 = 1 as Type;
export const I16 = 2 as Type;
export const I32 = 3 as Type;
export const I64 = 4 as Type;
export const I128 = 5 as Type;
export const F16 = 6 as Type;
export const F32 = 7 as Type;
export const F64 = 8 as Type;
export const F128 = 9 as Type;

const LANE_NAMES = ['INVALID', 'i8', 'i16', 'i32', 'i64', 'i128', 'f16', 'f32', 'f64', 'f128'];
const LANE_BITS = [0, 8, 16, 32, 64, 128, 16, 32, 64, 128];

/** The lane type: the type itself for scalars. */
export function laneType(t: Type): Type {
  return (t & LANE_MASK) as Type;
}
export function log2LaneCount(t: Type): number {
  return (t & LOG2_MASK) >>> LOG2_SHIFT;
}
/** Lanes of a fixed vector (1 for scalars); the minimum lanes of a dynamic one. */
export function laneCount(t: Type): number {
  return 1 << log2LaneCount(t);
}
export function laneBits(t: Type): number {
  return LANE_BITS[t & LANE_MASK] ?? 0;
}
/** Width in bits; for a dynamic vector, the width of its minimum size. */
export function typeBits(t: Type): number {
  return laneBits(t) * laneCount(t);
}
export function typeBytes(t: Type): number {
  return typeBits(t) >>> 3;
}
export function isInt(t: Type): boolean {
  const l = t & LANE_MASK;
  return l >= 1 && l <= 5;
}
export function isFloat(t: Type): boolean {
  const l = t & LANE_MASK;
  return l >= 6 && l <= 9;
}
/** A fixed-size vector (dynamic vectors answer `isDynamicVector`). */
export function isVector(t: Type): boolean {
  return (t & LOG2_MASK) !== 0 && (t & DYNAMIC_BIT) === 0;
}
export function isDynamicVector(t: Type): boolean {
  return (t & DYNAMIC_BIT) !== 0;
}
/** A scalar (lane) type, not INVALID. */
export function isScalar(t: Type): boolean {
  return t !== INVALID && (t & ~LANE_MASK) === 0;
}
export function isValidType(t: Type): boolean {
  const l = t & LANE_MASK;
  if (l === 0 || l > 9 || t > 0x1ff) return false;
  if ((t & DYNAMIC_BIT) !== 0 && (t & LOG2_MASK) === 0) return false;
  return typeBits(t) <= 2048;
}

/**
 * Builds a vector type of `lanes` lanes of `lane` (a power of two ≥ 2), or
 * INVALID when it cannot exist.
 */
export function vectorOf(lane: Type, lanes: number, dynamic = false): Type {
  if (!isScalar(lane) || lanes < 2 || (lanes & (lanes - 1)) !== 0) return INVALID;
  const log2 = 31 - Math.clz32(lanes);
  if (log2 > 8 || laneBits(lane) * lanes > 2048) return INVALID;
  return (lane | (log2 << LOG2_SHIFT) | (dynamic ? DYNAMIC_BIT : 0)) as Type;
}

/** Replaces the lane type, keeping the lane count (INVALID if too wide). */
export function withLane(t: Type, lane: Type): Type {
  const r = ((t & ~LANE_MASK) | (lane & LANE_MASK)) as Type;
  return isValidType(r) ? r : INVALID;
}

function intOfBits(bits: number): Type {
  switch (bits) {
    case 8: return I8;
    case 16: return I16;
    case 32: return I32;
    case 64: return I64;
    case 128: return I128;
    default: return INVALID;
  }
}
function floatOfBits(bits: number): Type {
  switch (bits) {
    case 16: return F16;
    case 32: return F32;
    case 64: return F64;
    case 128: return F128;
    default: return INVALID;
  }
}
export function intType(bits: number): Type {
  return intOfBits(bits);
}
export function floatType(bits: number): Type {
  return floatOfBits(bits);
}

/** The integer type of the same lane width and count (for bitwise views). */
export function asInt(t: Type): Type {
  return withLane(t, intOfBits(laneBits(t)));
}
/**
 * The type of a truth value for `t`: i8 for scalars, and for vectors the
 * integer vector of the same lane width (icmp/fcmp results).
 */
export function asTruthy(t: Type): Type {
  if (isScalar(t)) return I8;
  return asInt(t);
}
/** Lanes half as wide (same count), or INVALID. */
export function halfWidth(t: Type): Type {
  const lane = isFloat(t) ? floatOfBits(laneBits(t) / 2) : intOfBits(laneBits(t) / 2);
  return lane === INVALID ? INVALID : withLane(t, lane);
}
/** Lanes twice as wide (same count), or INVALID. */
export function doubleWidth(t: Type): Type {
  const lane = isFloat(t) ? floatOfBits(laneBits(t) * 2) : intOfBits(laneBits(t) * 2);
  return lane === INVALID ? INVALID : withLane(t, lane);
}
/** Half as many lanes of the same type, or INVALID (scalars have none). */
export function halfVector(t: Type): Type {
  const l2 = log2LaneCount(t);
  if (l2 === 0) return INVALID;
  if (l2 === 1) return isDynamicVector(t) ? INVALID : laneType(t);
  return ((t & ~LOG2_MASK) | ((l2 - 1) << LOG2_SHIFT)) as Type;
}
/** Twice as many lanes, or INVALID. */
export function doubleVector(t: Type): Type {
  const l2 = log2LaneCount(t);
  const r = ((t & ~LOG2_MASK) | ((l2 + 1) << LOG2_SHIFT)) as Type;
  return l2 >= 8 || !isValidType(r) ? INVALID : r;
}
/** Lanes half as wide and twice as many (same total width). */
export function splitLanes(t: Type): Type {
  const h = halfWidth(t);
  return h === INVALID ? INVALID : doubleVector(h);
}
/** Lanes twice as wide and half as many (same total width). */
export function mergeLanes(t: Type): Type {
  const d = doubleWidth(t);
  if (d === INVALID || log2LaneCount(t) === 0) return INVALID;
  return ((d & ~LOG2_MASK) | ((log2LaneCount(t) - 1) << LOG2_SHIFT)) as Type;
}
/** The fixed vector that a dynamic vector type scales. */
export function dynamicToVector(t: Type): Type {
  return isDynamicVector(t) ? ((t & ~DYNAMIC_BIT) as Type) : INVALID;
}
export function vectorToDynamic(t: Type): Type {
  return isVector(t) && !isDynamicVector(t) ? ((t | DYNAMIC_BIT) as Type) : INVALID;
}

/** CLIF spelling: `i32`, `f64x2`, `i32x4xN`; `INVALID` for the invalid type. */
export function typeName(t: Type): string {
  const lane = LANE_NAMES[t & LANE_MASK] ?? 'INVALID';
  if (t === INVALID || !isValidType(t)) return 'INVALID';
  const l2 = log2LaneCount(t);
  if (l2 === 0) return lane;
  return `${lane}x${1 << l2}${isDynamicVector(t) ? 'xN' : ''}`;
}

const TYPE_RE = /^(i8|i16|i32|i64|i128|f16|f32|f64|f128)(?:x(\d+)(xN)?)?$/;
/** Parses a type name; undefined when the name is no CLIF type. */
export function parseType(name: string): Type | undefined {
  const m = TYPE_RE.exec(name);
  if (!m) return undefined;
  const lane = LANE_NAMES.indexOf(m[1]) as Type;
  if (m[2] === undefined) return lane;
  const t = vectorOf(lane, Number(m[2]), m[3] !== undefined);
  return t === INVALID ? undefined : t;
}
