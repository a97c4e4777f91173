// Operand kinds of AArch64 instructions: condition codes, ALU operation
// selectors, shift and extend operators, operand sizes, load/store opcodes
// and addressing modes. All are small integers so an instruction fits the
// typed-array columns of VCode (see mod.ts for the column layout).

import { IntCC } from '@clift/ir';

/** Condition codes, numbered as the architecture encodes them. */
export const Cond = {
  Eq: 0, Ne: 1, Hs: 2, Lo: 3, Mi: 4, Pl: 5, Vs: 6, Vc: 7,
  Hi: 8, Ls: 9, Ge: 10, Lt: 11, Gt: 12, Le: 13, Al: 14, Nv: 15,
} as const;
export type Cond = (typeof Cond)[keyof typeof Cond];
const COND_NAMES = ['eq', 'ne', 'hs', 'lo', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];
export function condName(c: number): string {
  return COND_NAMES[c & 15];
}
/** The condition that holds exactly when `c` does not. */
export function condInvert(c: Cond): Cond {
  return (c ^ 1) as Cond;
}
/** The flag condition after `cmp a, b` that means `a cc b`. */
export function condFromIntCC(cc: IntCC): Cond {
  switch (cc) {
    case IntCC.Equal: return Cond.Eq;
    case IntCC.NotEqual: return Cond.Ne;
    case IntCC.SignedLessThan: return Cond.Lt;
    case IntCC.SignedGreaterThanOrEqual: return Cond.Ge;
    case IntCC.SignedGreaterThan: return Cond.Gt;
    case IntCC.SignedLessThanOrEqual: return Cond.Le;
    case IntCC.UnsignedLessThan: return Cond.Lo;
    case IntCC.UnsignedGreaterThanOrEqual: return Cond.Hs;
    case IntCC.UnsignedGreaterThan: return Cond.Hi;
    case IntCC.UnsignedLessThanOrEqual: return Cond.Ls;
  }
}

/** 32- or 64-bit operation (the `sf` bit). */
export const OperandSize = { Size32: 0, Size64: 1 } as const;
export type OperandSize = (typeof OperandSize)[keyof typeof OperandSize];

/** Two-operand ALU operations (register, immediate and shifted-register forms). */
export const ALUOp = {
  Add: 0, Sub: 1, Orr: 2, OrrNot: 3, And: 4, AndNot: 5, Eor: 6, EorNot: 7,
  Adds: 8, Subs: 9, Ands: 10, Lsl: 11, Lsr: 12, Asr: 13, RotR: 14,
  SDiv: 15, UDiv: 16, SMulH: 17, UMulH: 18, Adc: 19, Adcs: 20, Sbc: 21, Sbcs: 22, AndsNot: 23,
} as const;
export type ALUOp = (typeof ALUOp)[keyof typeof ALUOp];
export const ALU_OP_NAMES = [
  'add', 'sub', 'orr', 'orn', 'and', 'bic', 'eor', 'eon', 'adds', 'subs', 'ands', 'lsl', 'lsr', 'asr', 'ror',
  'sdiv', 'udiv', 'smulh', 'umulh', 'adc', 'adcs', 'sbc', 'sbcs', 'bics',
];

/** Three-source operations: rd = ra +/- rn * rm. */
export const ALUOp3 = { MAdd: 0, MSub: 1, SMAddL: 2, UMAddL: 3 } as const;
export type ALUOp3 = (typeof ALUOp3)[keyof typeof ALUOp3];

/** One-source bit operations. */
export const BitOp = { RBit: 0, Rev16: 1, Rev32: 2, Rev64: 3, Clz: 4, Cls: 5 } as const;
export type BitOp = (typeof BitOp)[keyof typeof BitOp];

/** Shift operator of a shifted-register operand. */
export const ShiftOp = { LSL: 0, LSR: 1, ASR: 2, ROR: 3 } as const;
export type ShiftOp = (typeof ShiftOp)[keyof typeof ShiftOp];
export const SHIFT_OP_NAMES = ['lsl', 'lsr', 'asr', 'ror'];

/** Extend operator of an extended-register operand (the `option` field). */
export const ExtendOp = { UXTB: 0, UXTH: 1, UXTW: 2, UXTX: 3, SXTB: 4, SXTH: 5, SXTW: 6, SXTX: 7 } as const;
export type ExtendOp = (typeof ExtendOp)[keyof typeof ExtendOp];
export const EXTEND_OP_NAMES = ['uxtb', 'uxth', 'uxtw', 'uxtx', 'sxtb', 'sxth', 'sxtw', 'sxtx'];

/**
 * FEAT_LSE atomic memory operations, numbered as the encoding's o3:opc
 * field (each one's acquire-release form is what the backend emits).
 */
export const LseOp = { Add: 0, Clr: 1, Eor: 2, Set: 3, Smax: 4, Smin: 5, Umax: 6, Umin: 7, Swp: 8 } as const;
export type LseOp = (typeof LseOp)[keyof typeof LseOp];
export const LSE_OP_NAMES = ['ldaddal', 'ldclral', 'ldeoral', 'ldsetal', 'ldsmaxal', 'ldsminal', 'ldumaxal', 'lduminal', 'swpal'];

/** Conditional-select family. */
export const CSelOp = { CSel: 0, CSInc: 1, CSInv: 2, CSNeg: 3 } as const;
export type CSelOp = (typeof CSelOp)[keyof typeof CSelOp];

/**
 * Load and store opcodes. Each names the access size, the register file and
 * (for loads) the extension of the loaded value.
 */
export const MemOp = {
  // Loads into general registers.
  ULoad8: 0, SLoad8: 1, ULoad16: 2, SLoad16: 3, ULoad32: 4, SLoad32: 5, ULoad64: 6,
  // Stores from general registers.
  Store8: 7, Store16: 8, Store32: 9, Store64: 10,
  // FP/SIMD loads and stores.
  FpuLoad16: 11, FpuLoad32: 12, FpuLoad64: 13, FpuLoad128: 14,
  FpuStore16: 15, FpuStore32: 16, FpuStore64: 17, FpuStore128: 18,
} as const;
export type MemOp = (typeof MemOp)[keyof typeof MemOp];

interface MemOpInfo {
  /** Access size in bytes. */
  readonly bytes: number;
  readonly isLoad: boolean;
  readonly isFpu: boolean;
  /** `size` field (bits 31:30), `opc` field (bits 23:22). */
  readonly size: number;
  readonly opc: number;
  /** For GPR loads: destination is an x register (64-bit result). */
  readonly rt64: boolean;
  readonly mnemonic: string;
  readonly unscaled: string;
}
const mi = (bytes: number, isLoad: boolean, isFpu: boolean, size: number, opc: number, rt64: boolean, mnemonic: string, unscaled: string): MemOpInfo =>
  ({ bytes, isLoad, isFpu, size, opc, rt64, mnemonic, unscaled });
export const MEM_OPS: readonly MemOpInfo[] = [
  mi(1, true, false, 0, 1, false, 'ldrb', 'ldurb'),
  mi(1, true, false, 0, 2, true, 'ldrsb', 'ldursb'),
  mi(2, true, false, 1, 1, false, 'ldrh', 'ldurh'),
  mi(2, true, false, 1, 2, true, 'ldrsh', 'ldursh'),
  mi(4, true, false, 2, 1, false, 'ldr', 'ldur'),
  mi(4, true, false, 2, 2, true, 'ldrsw', 'ldursw'),
  mi(8, true, false, 3, 1, true, 'ldr', 'ldur'),
  mi(1, false, false, 0, 0, false, 'strb', 'sturb'),
  mi(2, false, false, 1, 0, false, 'strh', 'sturh'),
  mi(4, false, false, 2, 0, false, 'str', 'stur'),
  mi(8, false, false, 3, 0, true, 'str', 'stur'),
  mi(2, true, true, 1, 1, false, 'ldr', 'ldur'),
  mi(4, true, true, 2, 1, false, 'ldr', 'ldur'),
  mi(8, true, true, 3, 1, false, 'ldr', 'ldur'),
  mi(16, true, true, 0, 3, false, 'ldr', 'ldur'),
  mi(2, false, true, 1, 0, false, 'str', 'stur'),
  mi(4, false, true, 2, 0, false, 'str', 'stur'),
  mi(8, false, true, 3, 0, false, 'str', 'stur'),
  mi(16, false, true, 0, 2, false, 'str', 'stur'),
];

/**
 * Addressing modes of a load or store. The base is `rn` (or sp/fp for the
 * frame-relative kinds) and the offset an immediate word or the index `rm`.
 * `RegOffset` takes any 32-bit offset: emission picks the scaled-uimm12 or
 * unscaled-simm9 form, or materializes the offset in x16 when neither fits.
 */
export const AMode = {
  /** [rn, #off] for any offset. */
  RegOffset: 0,
  /** [rn, rm] */
  RegReg: 1,
  /** [rn, rm, lsl #log2(size)] */
  RegScaled: 2,
  /** [rn, wm, sxtw|uxtw] — offset word holds the ExtendOp, bit 8 set when scaled. */
  RegExtended: 3,
  /** [sp, #off] with off relative to SP after the prologue. */
  SPOffset: 4,
  /** A stack slot: off from the base of the stack-slot area. */
  SlotOffset: 5,
  /** [fp, #off]: incoming arguments live at fp + 16 + arg offset. */
  FPOffset: 6,
  /** [rn, #simm9]! */
  PreIndexed: 7,
  /** [rn], #simm9 */
  PostIndexed: 8,
  /** A PC-relative literal at a label (offset word: label). */
  Label: 9,
  /** A spill slot (offset word: slot index); emission only. */
  SpillSlot: 10,
} as const;
export type AMode = (typeof AMode)[keyof typeof AMode];

/** Pair addressing: [rn, #off], [rn, #off]!, [rn], #off. */
export const PairAMode = { Offset: 0, PreIndexed: 1, PostIndexed: 2 } as const;
export type PairAMode = (typeof PairAMode)[keyof typeof PairAMode];

/** Kind of a conditional branch or conditional trap. */
export const CondKind = {
  /** Flags condition (b.cond); the cond word holds a Cond. */
  Cond: 0,
  /** Register is zero (cbz); the cond word holds the OperandSize. */
  Zero: 1,
  /** Register is nonzero (cbnz). */
  NotZero: 2,
} as const;
export type CondKind = (typeof CondKind)[keyof typeof CondKind];

/** Hint-space and system instructions the backend emits. */
export const HintOp = {
  Nop: 0, PACIASP: 1, PACIBSP: 2, AUTIASP: 3, AUTIBSP: 4, BTIC: 5, BTIJ: 6, BTIJC: 7, CSDB: 8,
  PACIAZ: 9, PACIBZ: 10, AUTIAZ: 11, AUTIBZ: 12, XPACLRI: 13,
} as const;
export type HintOp = (typeof HintOp)[keyof typeof HintOp];
export const HINT_WORDS = [
  0xd503201f, 0xd503233f, 0xd503237f, 0xd50323bf, 0xd50323ff, 0xd503245f, 0xd503249f, 0xd50324df, 0xd503229f,
  0xd503231f, 0xd503235f, 0xd503239f, 0xd50323df, 0xd50320ff,
];
export const HINT_NAMES = [
  'nop', 'paciasp', 'pacibsp', 'autiasp', 'autibsp', 'bti c', 'bti j', 'bti jc', 'csdb',
  'paciaz', 'pacibz', 'autiaz', 'autibz', 'xpaclri',
];

/** Floating-point two-operand operations. */
export const FpuOp2 = { Add: 0, Sub: 1, Mul: 2, Div: 3, Max: 4, Min: 5 } as const;
export type FpuOp2 = (typeof FpuOp2)[keyof typeof FpuOp2];
export const FPU_OP2_NAMES = ['fadd', 'fsub', 'fmul', 'fdiv', 'fmax', 'fmin'];
/** Floating-point one-operand operations. */
export const FpuOp1 = { Abs: 0, Neg: 1, Sqrt: 2, Cvt32To64: 3, Cvt64To32: 4, RintP: 5, RintM: 6, RintZ: 7, RintN: 8, Mov: 9 } as const;
export type FpuOp1 = (typeof FpuOp1)[keyof typeof FpuOp1];
export const FPU_OP1_NAMES = ['fabs', 'fneg', 'fsqrt', 'fcvt', 'fcvt', 'frintp', 'frintm', 'frintz', 'frintn', 'fmov'];
