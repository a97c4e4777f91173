// Immediate operands and their canonical CLIF spelling: integer condition
// codes, float condition codes, trap codes, memory flags, atomic RMW
// operations, Imm64/Offset32 and IEEE float bit patterns.
//
// Invariants: every immediate is stored as plain numbers (Imm64 and Ieee64 as
// two 32-bit words, read back through BigInt only on cold paths such as
// printing), so instructions keep them in typed-array columns. Printing is
// canonical: parse(print(x)) === x for every representable value.

// ---------------------------------------------------------------------------
// Integer condition codes

export const IntCC = {
  Equal: 0,
  NotEqual: 1,
  SignedLessThan: 2,
  SignedGreaterThanOrEqual: 3,
  SignedGreaterThan: 4,
  SignedLessThanOrEqual: 5,
  UnsignedLessThan: 6,
  UnsignedGreaterThanOrEqual: 7,
  UnsignedGreaterThan: 8,
  UnsignedLessThanOrEqual: 9,
} as const;
export type IntCC = (typeof IntCC)[keyof typeof IntCC];
const INTCC_NAMES = ['eq', 'ne', 'slt', 'sge', 'sgt', 'sle', 'ult', 'uge', 'ugt', 'ule'];
export function intCCName(cc: IntCC): string {
  return INTCC_NAMES[cc];
}
export function parseIntCC(s: string): IntCC | undefined {
  const i = INTCC_NAMES.indexOf(s);
  return i < 0 ? undefined : (i as IntCC);
}
/** The condition that holds exactly when `cc` does not. */
export function intCCInverse(cc: IntCC): IntCC {
  return (cc ^ 1) as IntCC;
}
/** The condition with operands swapped: `a cc b` == `b swapped(cc) a`. */
export function intCCSwapArgs(cc: IntCC): IntCC {
  const SWAP = [0, 1, 4, 5, 2, 3, 8, 9, 6, 7];
  return SWAP[cc] as IntCC;
}

// ---------------------------------------------------------------------------
// Float condition codes

export const FloatCC = {
  Ordered: 0,
  Unordered: 1,
  Equal: 2,
  NotEqual: 3,
  OrderedNotEqual: 4,
  UnorderedOrEqual: 5,
  LessThan: 6,
  LessThanOrEqual: 7,
  GreaterThan: 8,
  GreaterThanOrEqual: 9,
  UnorderedOrLessThan: 10,
  UnorderedOrLessThanOrEqual: 11,
  UnorderedOrGreaterThan: 12,
  UnorderedOrGreaterThanOrEqual: 13,
} as const;
export type FloatCC = (typeof FloatCC)[keyof typeof FloatCC];
const FLOATCC_NAMES = ['ord', 'uno', 'eq', 'ne', 'one', 'ueq', 'lt', 'le', 'gt', 'ge', 'ult', 'ule', 'ugt', 'uge'];
export function floatCCName(cc: FloatCC): string {
  return FLOATCC_NAMES[cc];
}
export function parseFloatCC(s: string): FloatCC | undefined {
  const i = FLOATCC_NAMES.indexOf(s);
  return i < 0 ? undefined : (i as FloatCC);
}

// ---------------------------------------------------------------------------
// Trap codes: user codes 1..250, and five reserved codes above them.

export type TrapCode = number & { readonly __brand: 'TrapCode' };
export const TrapCode = {
  STACK_OVERFLOW: 251 as TrapCode,
  HEAP_OUT_OF_BOUNDS: 252 as TrapCode,
  INTEGER_OVERFLOW: 253 as TrapCode,
  INTEGER_DIVISION_BY_ZERO: 254 as TrapCode,
  BAD_CONVERSION_TO_INTEGER: 255 as TrapCode,
  user(n: number): TrapCode {
    return n as TrapCode;
  },
} as const;
export const MAX_USER_TRAP_CODE = 250;
const RESERVED_TRAPS: Record<number, string> = {
  251: 'stk_ovf',
  252: 'heap_oob',
  253: 'int_ovf',
  254: 'int_divz',
  255: 'bad_toint',
};
export function trapCodeName(c: TrapCode): string {
  return RESERVED_TRAPS[c] ?? `user${c}`;
}
/** RESERVED_TRAPS inverted, built once: the reader looks names up for every trapping instruction. */
const RESERVED_TRAP_CODES: ReadonlyMap<string, TrapCode> = new Map(
  Object.entries(RESERVED_TRAPS).map(([k, v]) => [v, Number(k) as TrapCode]),
);
export function parseTrapCode(s: string): TrapCode | undefined {
  const reserved = RESERVED_TRAP_CODES.get(s);
  if (reserved !== undefined) return reserved;
  const m = /^user(\d+)$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= 1 && n <= MAX_USER_TRAP_CODE ? (n as TrapCode) : undefined;
}

// ---------------------------------------------------------------------------
// Memory flags, packed in one int32.
// Layout: `aligned:1 readonly:1 little:1 big:1 checked:1 can_move:1
//          region:2 trap:8 regionIndex:8 hasRegionIndex:1` (low bit first).
// trap: 0 = notrap, otherwise a TrapCode; the default is heap_oob, which
// prints as nothing.

export type MemFlags = number & { readonly __brand: 'MemFlags' };
export const MemFlagBit = {
  Aligned: 1 << 0,
  Readonly: 1 << 1,
  Little: 1 << 2,
  Big: 1 << 3,
  Checked: 1 << 4,
  CanMove: 1 << 5,
} as const;
const REGION_SHIFT = 6;
const TRAP_SHIFT = 8;
const REGION_INDEX_SHIFT = 16;
const HAS_REGION_INDEX = 1 << 24;
export const AliasRegion = { None: 0, Heap: 1, Table: 2, Vmctx: 3 } as const;
export type AliasRegion = (typeof AliasRegion)[keyof typeof AliasRegion];
const REGION_NAMES = ['', 'heap', 'table', 'vmctx'];

export const MemFlags = {
  /** Default flags: may trap (heap_oob), native endianness, no region. */
  new(): MemFlags {
    return (TrapCode.HEAP_OUT_OF_BOUNDS << TRAP_SHIFT) as MemFlags;
  },
  /** `notrap aligned`: what Cranelift calls trusted. */
  trusted(): MemFlags {
    return MemFlagBit.Aligned as MemFlags;
  },
  has(f: MemFlags, bit: number): boolean {
    return (f & bit) !== 0;
  },
  with(f: MemFlags, bit: number): MemFlags {
    return (f | bit) as MemFlags;
  },
  trapCode(f: MemFlags): TrapCode | undefined {
    const t = (f >>> TRAP_SHIFT) & 0xff;
    return t === 0 ? undefined : (t as TrapCode);
  },
  withTrapCode(f: MemFlags, code: TrapCode | undefined): MemFlags {
    return ((f & ~(0xff << TRAP_SHIFT)) | ((code ?? 0) << TRAP_SHIFT)) as MemFlags;
  },
  aliasRegion(f: MemFlags): AliasRegion {
    return ((f >>> REGION_SHIFT) & 3) as AliasRegion;
  },
  withAliasRegion(f: MemFlags, r: AliasRegion): MemFlags {
    return ((f & ~(3 << REGION_SHIFT)) | (r << REGION_SHIFT)) as MemFlags;
  },
  /** The declared alias region (`regionN`) the access belongs to, if any. */
  regionIndex(f: MemFlags): number | undefined {
    return (f & HAS_REGION_INDEX) !== 0 ? (f >>> REGION_INDEX_SHIFT) & 0xff : undefined;
  },
  withRegionIndex(f: MemFlags, idx: number | undefined): MemFlags {
    const cleared = f & ~(0xff << REGION_INDEX_SHIFT) & ~HAS_REGION_INDEX;
    return (idx === undefined ? cleared : cleared | HAS_REGION_INDEX | ((idx & 0xff) << REGION_INDEX_SHIFT)) as MemFlags;
  },
  /**
   * Canonical text: the flags each preceded by a space, in a fixed order
   * (`" notrap aligned readonly"`); empty for the defaults.
   */
  toString(f: MemFlags): string {
    let s = '';
    const trap = MemFlags.trapCode(f);
    if (trap === undefined) s += ' notrap';
    else if (trap !== TrapCode.HEAP_OUT_OF_BOUNDS) s += ` ${trapCodeName(trap)}`;
    if (f & MemFlagBit.Aligned) s += ' aligned';
    if (f & MemFlagBit.Readonly) s += ' readonly';
    if (f & MemFlagBit.CanMove) s += ' can_move';
    if (f & MemFlagBit.Big) s += ' big';
    if (f & MemFlagBit.Little) s += ' little';
    if (f & MemFlagBit.Checked) s += ' checked';
    const r = MemFlags.aliasRegion(f);
    if (r !== AliasRegion.None) s += ` ${REGION_NAMES[r]}`;
    const idx = MemFlags.regionIndex(f);
    if (idx !== undefined) s += ` region${idx}`;
    return s;
  },
  /**
   * Applies one flag word to `f`; returns undefined when `word` is not a
   * memory flag.
   */
  applyWord(f: MemFlags, word: string): MemFlags | undefined {
    switch (word) {
      case 'notrap': return MemFlags.withTrapCode(f, undefined);
      case 'aligned': return (f | MemFlagBit.Aligned) as MemFlags;
      case 'readonly': return (f | MemFlagBit.Readonly) as MemFlags;
      case 'can_move': return (f | MemFlagBit.CanMove) as MemFlags;
      case 'little': return (f | MemFlagBit.Little) as MemFlags;
      case 'big': return (f | MemFlagBit.Big) as MemFlags;
      case 'checked': return (f | MemFlagBit.Checked) as MemFlags;
      case 'heap': return MemFlags.withAliasRegion(f, AliasRegion.Heap);
      case 'table': return MemFlags.withAliasRegion(f, AliasRegion.Table);
      case 'vmctx': return MemFlags.withAliasRegion(f, AliasRegion.Vmctx);
      default: {
        const m = /^region(\d+)$/.exec(word);
        if (m) {
          const n = Number(m[1]);
          return n <= 255 ? MemFlags.withRegionIndex(f, n) : undefined;
        }
        const code = parseTrapCode(word);
        return code === undefined ? undefined : MemFlags.withTrapCode(f, code);
      }
    }
  },
} as const;

// ---------------------------------------------------------------------------
// Atomic read-modify-write operations

export const AtomicRmwOp = {
  Add: 0, Sub: 1, And: 2, Nand: 3, Or: 4, Xor: 5, Xchg: 6, Umin: 7, Umax: 8, Smin: 9, Smax: 10,
} as const;
export type AtomicRmwOp = (typeof AtomicRmwOp)[keyof typeof AtomicRmwOp];
const RMW_NAMES = ['add', 'sub', 'and', 'nand', 'or', 'xor', 'xchg', 'umin', 'umax', 'smin', 'smax'];
export function atomicRmwOpName(op: AtomicRmwOp): string {
  return RMW_NAMES[op];
}
export function parseAtomicRmwOp(s: string): AtomicRmwOp | undefined {
  const i = RMW_NAMES.indexOf(s);
  return i < 0 ? undefined : (i as AtomicRmwOp);
}

// ---------------------------------------------------------------------------
// 64-bit integers as two words

/** Joins two 32-bit words into a signed 64-bit BigInt. */
export function wordsToI64(lo: number, hi: number): bigint {
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}
/** Splits a 64-bit integer (any sign) into [lo, hi] int32 words. */
export function i64ToWords(x: bigint): [number, number] {
  const u = BigInt.asUintN(64, x);
  return [Number(u & 0xffffffffn) | 0, Number(u >> 32n) | 0];
}

/** Hex in 16-bit groups: `0x0001_0000`, `0xffff_ffff_ffff_fffe`. */
export function writeHex(x: bigint): string {
  const u = BigInt.asUintN(64, x);
  let pos = u === 0n ? 0 : ((u.toString(2).length - 1) & 0xf0);
  let s = '0x' + ((u >> BigInt(pos)) & 0xffffn).toString(16).padStart(4, '0');
  while (pos > 0) {
    pos -= 16;
    s += '_' + ((u >> BigInt(pos)) & 0xffffn).toString(16).padStart(4, '0');
  }
  return s;
}

/**
 * Imm64 text as Cranelift writes it: negative values and values below
 * 10000 in decimal, larger positive values in grouped hex.
 */
export function formatImm64(x: bigint): string {
  if (x < 10000n) return x.toString();
  return writeHex(x);
}

/** Sign-extends the low `bits` bits of `x` (for narrow integer immediates). */
export function signExtend(x: bigint, bits: number): bigint {
  return BigInt.asIntN(bits, x);
}

/** Offset32 text: empty for 0, else a sign and the magnitude. */
export function formatOffset32(x: number): string {
  if (x === 0) return '';
  const sign = x < 0 ? '-' : '+';
  const mag = Math.abs(x);
  return sign + (mag < 10000 ? mag.toString() : writeHex(BigInt(mag)));
}

// ---------------------------------------------------------------------------
// IEEE floats as bit patterns

/**
 * Canonical CLIF text of a float with `w` exponent and `t` mantissa bits:
 * `0.0`, `-0x1.800000p1`, `0x0.800000p-126`, `+Inf`, `+NaN`, `-NaN:0x1`,
 * `+sNaN:0x1`.
 */
export function formatIeee(bits: bigint, w: number, t: number): string {
  const tMask = (1n << BigInt(t)) - 1n;
  const maxE = (1n << BigInt(w)) - 1n;
  const tBits = bits & tMask;
  const eBits = (bits >> BigInt(t)) & maxE;
  const sign = ((bits >> BigInt(w + t)) & 1n) === 1n;
  const bias = (1 << (w - 1)) - 1;
  const digits = Math.ceil(t / 4);
  const pad = BigInt(digits * 4 - t);
  if (eBits === maxE) {
    const s = sign ? '-' : '+';
    if (tBits === 0n) return `${s}Inf`;
    const quietBit = 1n << BigInt(t - 1);
    const payload = tBits & (quietBit - 1n);
    if ((tBits & quietBit) !== 0n) return payload === 0n ? `${s}NaN` : `${s}NaN:0x${payload.toString(16)}`;
    return `${s}sNaN:0x${payload.toString(16)}`;
  }
  const s = sign ? '-' : '';
  const frac = (tBits << pad).toString(16).padStart(digits, '0');
  if (eBits === 0n) {
    if (tBits === 0n) return `${s}0.0`;
    return `${s}0x0.${frac}p${1 - bias}`;
  }
  return `${s}0x1.${frac}p${Number(eBits) - bias}`;
}

export function formatIeee16(bits: number): string {
  return formatIeee(BigInt(bits & 0xffff), 5, 10);
}
export function formatIeee32(bits: number): string {
  return formatIeee(BigInt(bits >>> 0), 8, 23);
}
export function formatIeee64(lo: number, hi: number): string {
  return formatIeee(BigInt.asUintN(64, wordsToI64(lo, hi)), 11, 52);
}
export function formatIeee128(bits: bigint): string {
  return formatIeee(BigInt.asUintN(128, bits), 15, 112);
}
