// Advanced SIMD (Neon) instructions: their operation selectors, the vector
// arrangement field, encoders and assembler text. mod.ts owns the record
// layout of each `Vec*` opcode; emit.ts and print.ts hand those opcodes here.
//
// Invariants: a `VecSize` packs `log2(lane bytes)` in bits 0-1 and the Q bit
// (128-bit register) in bit 2, so it is directly the `size`/`Q` pair the
// encodings take; every operation table row names the architecture's
// U/size/opcode fields, and the printer writes LLVM's preferred alias.

/** Arrangement of a vector operand: `log2(lane bytes) | Q << 2`. */
export const VecSize = {
  V8B: 0, V4H: 1, V2S: 2, V1D: 3, V16B: 4, V8H: 5, V4S: 6, V2D: 7,
} as const;
export type VecSize = (typeof VecSize)[keyof typeof VecSize];
const ARRANGEMENT = ['8b', '4h', '2s', '1d', '16b', '8h', '4s', '2d'];
const LANE_LETTER = ['b', 'h', 's', 'd'];

/** The arrangement of `lanes` lanes of `laneBits` bits each (64- or 128-bit vectors). */
export function vecSize(laneBits: number, totalBits: number): VecSize {
  const log2 = laneBits === 8 ? 0 : laneBits === 16 ? 1 : laneBits === 32 ? 2 : 3;
  return (log2 | (totalBits === 128 ? 4 : 0)) as VecSize;
}
export function vecArrangement(size: number): string {
  return ARRANGEMENT[size & 7];
}
const q = (size: number): number => ((size >> 2) & 1) << 30;
const lane = (size: number): number => size & 3;
/** The `sz` bit of a float arrangement: 1 for 64-bit lanes. */
const sz = (size: number): number => (lane(size) === 3 ? 1 : 0);

// ---------------------------------------------------------------------------
// Three registers of the same arrangement

/** Row kinds: lane-sized, a fixed `size` field (logical ops), or float (`a` bit above `sz`). */
const LANE = -1;
interface ThreeSame {
  readonly name: string;
  readonly u: number;
  readonly opcode: number;
  /** LANE, a fixed size field 0..3, or 4 + a for float rows. */
  readonly size: number;
}
const ts = (name: string, u: number, opcode: number, size = LANE): ThreeSame => ({ name, u, opcode, size });

/** Three-same operations: `rd = rn op rm` lane by lane. */
export const VecALUOp = {
  Add: 0, Sub: 1, Mul: 2, Cmeq: 3, Cmgt: 4, Cmge: 5, Cmhi: 6, Cmhs: 7,
  Smax: 8, Smin: 9, Umax: 10, Umin: 11, Sqadd: 12, Uqadd: 13, Sqsub: 14, Uqsub: 15,
  Urhadd: 16, Sshl: 17, Ushl: 18, Addp: 19, Sqrdmulh: 20,
  And: 21, Bic: 22, Orr: 23, Orn: 24, Eor: 25,
  Fadd: 26, Fsub: 27, Fmul: 28, Fdiv: 29, Fmax: 30, Fmin: 31, Fcmeq: 32, Fcmge: 33, Fcmgt: 34,
  Bsl: 35, Fmla: 36, Fmls: 37,
} as const;
export type VecALUOp = (typeof VecALUOp)[keyof typeof VecALUOp];
const THREE_SAME: readonly ThreeSame[] = [
  ts('add', 0, 0x10), ts('sub', 1, 0x10), ts('mul', 0, 0x13), ts('cmeq', 1, 0x11), ts('cmgt', 0, 0x06), ts('cmge', 0, 0x07),
  ts('cmhi', 1, 0x06), ts('cmhs', 1, 0x07), ts('smax', 0, 0x0c), ts('smin', 0, 0x0d), ts('umax', 1, 0x0c), ts('umin', 1, 0x0d),
  ts('sqadd', 0, 0x01), ts('uqadd', 1, 0x01), ts('sqsub', 0, 0x05), ts('uqsub', 1, 0x05), ts('urhadd', 1, 0x02),
  ts('sshl', 0, 0x08), ts('ushl', 1, 0x08), ts('addp', 0, 0x17), ts('sqrdmulh', 1, 0x16),
  ts('and', 0, 0x03, 0), ts('bic', 0, 0x03, 1), ts('orr', 0, 0x03, 2), ts('orn', 0, 0x03, 3), ts('eor', 1, 0x03, 0),
  ts('fadd', 0, 0x1a, 4), ts('fsub', 0, 0x1a, 5), ts('fmul', 1, 0x1b, 4), ts('fdiv', 1, 0x1f, 4), ts('fmax', 0, 0x1e, 4),
  ts('fmin', 0, 0x1e, 5), ts('fcmeq', 0, 0x1c, 4), ts('fcmge', 1, 0x1c, 4), ts('fcmgt', 1, 0x1c, 5),
  ts('bsl', 1, 0x03, 1), ts('fmla', 0, 0x19, 4), ts('fmls', 0, 0x19, 5),
];
/** Operations whose destination is also an input (`VecRRRMod`). */
export function vecAluIsMod(op: number): boolean {
  return op >= VecALUOp.Bsl;
}
function sizeField(row: { size: number }, size: number): number {
  if (row.size === LANE) return lane(size);
  if (row.size >= 4) return ((row.size - 4) << 1) | sz(size);
  return row.size;
}
/** Byte-wise operations print their operands as `.16b`/`.8b` whatever the lane type. */
function printedSize(row: { size: number }, size: number): number {
  return row.size >= 0 && row.size < 4 ? size & 4 : size;
}

export function encVecRRR(op: number, size: number, rd: number, rn: number, rm: number): number {
  const r = THREE_SAME[op];
  return (0x0e200400 | q(size) | (r.u << 29) | (sizeField(r, size) << 22) | (rm << 16) | (r.opcode << 11) | (rn << 5) | rd) >>> 0;
}
export function printVecRRR(op: number, size: number, rd: string, rn: string, rm: string): string {
  const r = THREE_SAME[op];
  const a = vecArrangement(printedSize(r, size));
  if (op === VecALUOp.Orr && rn === rm) return `mov ${rd}.${a}, ${rn}.${a}`;
  return `${r.name} ${rd}.${a}, ${rn}.${a}, ${rm}.${a}`;
}

// ---------------------------------------------------------------------------
// Two-register miscellaneous

/** One-source lane operations (`rd = op rn`); the compares against zero print `#0`. */
export const VecMiscOp = {
  Neg: 0, Abs: 1, Not: 2, Cmeq0: 3, Cmge0: 4, Cmgt0: 5, Cmle0: 6, Cmlt0: 7,
  Fabs: 8, Fneg: 9, Fsqrt: 10, Frintn: 11, Frintm: 12, Frintp: 13, Frintz: 14,
  Scvtf: 15, Ucvtf: 16, Fcvtzs: 17, Fcvtzu: 18, Fcvtl: 19, Rev64: 20, Cnt: 21, Rev32: 22, Rev16: 23,
  /** Pairwise add of adjacent lanes into lanes twice as wide; `size` is the source arrangement. */
  Uaddlp: 24,
} as const;
export type VecMiscOp = (typeof VecMiscOp)[keyof typeof VecMiscOp];
const MISC: readonly ThreeSame[] = [
  ts('neg', 1, 0x0b), ts('abs', 0, 0x0b), ts('mvn', 1, 0x05, 0), ts('cmeq', 0, 0x09), ts('cmge', 1, 0x08), ts('cmgt', 0, 0x08),
  ts('cmle', 1, 0x09), ts('cmlt', 0, 0x0a),
  ts('fabs', 0, 0x0f, 5), ts('fneg', 1, 0x0f, 5), ts('fsqrt', 1, 0x1f, 5), ts('frintn', 0, 0x18, 4), ts('frintm', 0, 0x19, 4),
  ts('frintp', 0, 0x18, 5), ts('frintz', 0, 0x19, 5),
  ts('scvtf', 0, 0x1d, 4), ts('ucvtf', 1, 0x1d, 4), ts('fcvtzs', 0, 0x1b, 5), ts('fcvtzu', 1, 0x1b, 5),
  ts('fcvtl', 0, 0x17, 4), ts('rev64', 0, 0x00), ts('cnt', 0, 0x05, 0), ts('rev32', 1, 0x00), ts('rev16', 0, 0x01),
  ts('uaddlp', 1, 0x02),
];

/** `size` is the destination arrangement (for fcvtl: 2d, the Q bit choosing the source half). */
export function encVecMisc(op: number, size: number, rd: number, rn: number): number {
  const r = MISC[op];
  return (0x0e200800 | q(size) | (r.u << 29) | (sizeField(r, size) << 22) | (r.opcode << 12) | (rn << 5) | rd) >>> 0;
}
export function printVecMisc(op: number, size: number, rd: string, rn: string): string {
  const r = MISC[op];
  if (op === VecMiscOp.Fcvtl) {
    return `fcvtl${size & 4 ? '2' : ''} ${rd}.2d, ${rn}.${size & 4 ? '4s' : '2s'}`;
  }
  if (op === VecMiscOp.Uaddlp) return `uaddlp ${rd}.${vecArrangement(size + 1)}, ${rn}.${vecArrangement(size)}`;
  const a = vecArrangement(printedSize(r, size));
  const zero = op >= VecMiscOp.Cmeq0 && op <= VecMiscOp.Cmlt0 ? ', #0' : '';
  return `${r.name} ${rd}.${a}, ${rn}.${a}${zero}`;
}

// ---------------------------------------------------------------------------
// Narrowing (the `2` forms write the upper half and keep the lower)

export const VecNarrowOp = { Xtn: 0, Sqxtn: 1, Sqxtun: 2, Uqxtn: 3, Fcvtn: 4 } as const;
export type VecNarrowOp = (typeof VecNarrowOp)[keyof typeof VecNarrowOp];
const NARROW: readonly ThreeSame[] = [ts('xtn', 0, 0x12), ts('sqxtn', 0, 0x14), ts('sqxtun', 1, 0x12), ts('uqxtn', 1, 0x14), ts('fcvtn', 0, 0x16)];

/** `size` is the narrow lane (log2 bytes, 0..2); `high` writes the upper half (`xtn2`). */
export function encVecNarrow(op: number, size: number, high: boolean, rd: number, rn: number): number {
  const r = NARROW[op];
  // fcvtn's sz bit names the wide source (1: from 64-bit lanes).
  const field = op === VecNarrowOp.Fcvtn ? (lane(size) === 2 ? 1 : 0) : lane(size);
  return (0x0e200800 | ((high ? 1 : 0) << 30) | (r.u << 29) | (field << 22) | (r.opcode << 12) | (rn << 5) | rd) >>> 0;
}
export function printVecNarrow(op: number, size: number, high: boolean, rd: string, rn: string): string {
  const l = lane(size);
  return `${NARROW[op].name}${high ? '2' : ''} ${rd}.${vecArrangement(l | (high ? 4 : 0))}, ${rn}.${vecArrangement((l + 1) | 4)}`;
}

// ---------------------------------------------------------------------------
// Across lanes

export const VecLanesOp = { Umaxv: 0, Uminv: 1, Addv: 2 } as const;
export type VecLanesOp = (typeof VecLanesOp)[keyof typeof VecLanesOp];
const LANES: readonly ThreeSame[] = [ts('umaxv', 1, 0x0a), ts('uminv', 1, 0x1a), ts('addv', 0, 0x1b)];

export function encVecLanes(op: number, size: number, rd: number, rn: number): number {
  const r = LANES[op];
  return (0x0e300800 | q(size) | (r.u << 29) | (lane(size) << 22) | (r.opcode << 12) | (rn << 5) | rd) >>> 0;
}
export function printVecLanes(op: number, size: number, rd: number | string, rn: string): string {
  return `${LANES[op].name} ${LANE_LETTER[lane(size)]}${rd}, ${rn}.${vecArrangement(size)}`;
}

// ---------------------------------------------------------------------------
// Shifts by an immediate, and the widening shifts (sxtl/uxtl are sshll/ushll `#0`)

export const VecShiftOp = { Shl: 0, Sshr: 1, Ushr: 2, Sshll: 3, Ushll: 4 } as const;
export type VecShiftOp = (typeof VecShiftOp)[keyof typeof VecShiftOp];

/** For the widening shifts `size` is the source lane (log2 bytes) and Q its half. */
export function encVecShiftImm(op: number, size: number, rd: number, rn: number, amount: number): number {
  const esize = 8 << lane(size);
  let immhb: number;
  let u = 0;
  let opcode = 0;
  switch (op) {
    case VecShiftOp.Shl: immhb = esize + amount; opcode = 0x0a; break;
    case VecShiftOp.Sshr: immhb = 2 * esize - amount; break;
    case VecShiftOp.Ushr: immhb = 2 * esize - amount; u = 1; break;
    case VecShiftOp.Sshll: immhb = esize + amount; opcode = 0x14; break;
    default: immhb = esize + amount; opcode = 0x14; u = 1; break;
  }
  return (0x0f000400 | q(size) | (u << 29) | (immhb << 16) | (opcode << 11) | (rn << 5) | rd) >>> 0;
}
export function printVecShiftImm(op: number, size: number, rd: string, rn: string, amount: number): string {
  if (op >= VecShiftOp.Sshll) {
    const two = size & 4 ? '2' : '';
    const dst = vecArrangement((lane(size) + 1) | 4);
    const src = vecArrangement(size);
    const s = op === VecShiftOp.Sshll ? 's' : 'u';
    // LLVM's disassembler prints sxtl/uxtl in their shift form.
    return `${s}shll${two} ${rd}.${dst}, ${rn}.${src}, #${amount}`;
  }
  const a = vecArrangement(size);
  return `${['shl', 'sshr', 'ushr'][op]} ${rd}.${a}, ${rn}.${a}, #${amount}`;
}

// ---------------------------------------------------------------------------
// Lane moves (the "copy" class) and the byte-splat immediate

/** The imm5 field naming lane `index` of lanes of `log2` bytes. */
function imm5(log2: number, index: number): number {
  return ((index << (log2 + 1)) | (1 << log2)) & 31;
}
/** dup vd.T, rn (a general register). */
export function encVecDup(size: number, rd: number, rn: number): number {
  return (0x0e000c00 | q(size) | (imm5(lane(size), 0) << 16) | (rn << 5) | rd) >>> 0;
}
/** dup vd.T, vn.Ts[index]; scalar: `mov <s>d, vn.Ts[index]` (upper bits zeroed). */
export function encVecDupElement(size: number, scalar: boolean, rd: number, rn: number, index: number): number {
  const base = scalar ? 0x5e000400 : 0x0e000400 | q(size);
  return (base | (imm5(lane(size), index) << 16) | (rn << 5) | rd) >>> 0;
}
/** umov/smov rd, vn.Ts[index]; `x` chooses the 64-bit destination. */
export function encMovFromVec(signed: boolean, log2: number, index: number, x: boolean, rd: number, rn: number): number {
  const imm4 = signed ? 0x5 : 0x7;
  return (0x0e000400 | ((x ? 1 : 0) << 30) | (imm5(log2, index) << 16) | (imm4 << 11) | (rn << 5) | rd) >>> 0;
}
/** ins vd.Ts[index], rn (a general register). */
export function encMovToVec(log2: number, index: number, rd: number, rn: number): number {
  return (0x4e001c00 | (imm5(log2, index) << 16) | (rn << 5) | rd) >>> 0;
}
/** ins vd.Ts[dst], vn.Ts[src]. */
export function encVecMovElement(log2: number, dst: number, src: number, rd: number, rn: number): number {
  return (0x6e000400 | (imm5(log2, dst) << 16) | ((src << log2) << 11) | (rn << 5) | rd) >>> 0;
}
/** movi vd.16b/8b, #imm8 (every byte the same). */
export function encVecMoviBytes(size: number, rd: number, imm8: number): number {
  return (0x0f00e400 | q(size) | (((imm8 >> 5) & 7) << 16) | ((imm8 & 31) << 5) | rd) >>> 0;
}
/** tbl (tbx) vd.16b, { vn.16b }, vm.16b: one-register table lookup. */
export function encVecTbl(tbx: boolean, size: number, rd: number, rn: number, rm: number): number {
  return (0x0e000000 | q(size) | (rm << 16) | ((tbx ? 1 : 0) << 12) | (rn << 5) | rd) >>> 0;
}

export function laneText(v: string, log2: number, index: number): string {
  return `${v}.${LANE_LETTER[log2]}[${index}]`;
}
export function printMovFromVec(signed: boolean, log2: number, index: number, x: boolean, rd: string, vn: string): string {
  // umov of a 32- or 64-bit lane prints as `mov`.
  const name = signed ? 'smov' : log2 >= 2 ? 'mov' : 'umov';
  return `${name} ${rd}, ${laneText(vn, log2, index)}`;
}
export function printVecTbl(tbx: boolean, size: number, rd: string, rn: string, rm: string): string {
  const a = vecArrangement(size);
  return `${tbx ? 'tbx' : 'tbl'} ${rd}.${a}, { ${rn}.16b }, ${rm}.${a}`;
}
export function printVecMoviBytes(size: number, rd: string, imm8: number): string {
  return `movi ${rd}.${vecArrangement(size & 4)}, #${imm8}`;
}
export function laneLetter(log2: number): string {
  return LANE_LETTER[log2];
}
