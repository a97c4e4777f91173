// Binary encoding of AArch64 instructions into a MachBuffer.
//
// Input: an `MInst` whose register fields hold hardware numbers (after
// register allocation) and an `EmitState` giving the frame offsets that
// frame-relative addressing modes resolve against. Pseudo-instructions
// expand here into their fixed sequences (amode finalization through x16,
// jump tables, deferred traps, external-name loads), and `print.ts` prints
// the same expansions via `finalizeAmode`, so listing and bytes agree.
//
// Invariant: x16 and x17 are never allocated, so expansions may clobber them.

import type { MachBuffer, LabelUseKind, BufferHooks, RelocKind } from '@clift/codegen';
import type { TrapCode } from '@clift/ir';
import { ALUOp, AMode, BitOp, Cond, CondKind, HINT_WORDS, MEM_OPS, PairAMode, condInvert, condName } from './args.js';
import { Imm12, simm9Fits, uimm12ScaledFits } from './imms.js';
import { Op, type CallInfo, type ExtNameInfo, type JumpTableInfo, type MInst } from './mod.js';
import { HW_FP, HW_SPILLTMP, HW_TMP2 } from './regs.js';
import {
  encMovFromVec,
  encMovToVec,
  encVecDup,
  encVecDupElement,
  encVecLanes,
  encVecMisc,
  encVecMoviBytes,
  encVecMovElement,
  encVecNarrow,
  encVecRRR,
  encVecShiftImm,
  encVecTbl,
} from './neon.js';

/** Frame facts that frame-relative operands need at emission. */
export interface EmitState {
  /** SP offset of the stack-slot area (just above the outgoing-argument area). */
  slotBase: number;
  /** SP offset of spill slot 0. */
  spillBase: number;
  /** Emits the epilogue before a `ret` (set by the ABI). */
  emitEpilogue(buf: MachBuffer): void;
  /** Text of the epilogue, for listings. */
  epilogueText(): string[];
  /** Emits a `ReturnCall` (frame teardown, argument move, branch), which needs the frame layout. */
  emitReturnCall(buf: MachBuffer, m: MInst): void;
  /** Text of a `ReturnCall`, one line per emitted instruction. */
  returnCallText(m: MInst): string[];
}

// ---------------------------------------------------------------------------
// Label use kinds

export const LabelUse = { Branch26: 0, Branch19: 1, Branch14: 2, Adr21: 3, PCRel32: 4 } as const;

function read32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}
function write32(b: Uint8Array, at: number, w: number): void {
  b[at] = w & 0xff;
  b[at + 1] = (w >>> 8) & 0xff;
  b[at + 2] = (w >>> 16) & 0xff;
  b[at + 3] = (w >>> 24) & 0xff;
}
function patchField(b: Uint8Array, at: number, value: number, shift: number, bits: number): void {
  const mask = ((1 << bits) - 1) >>> 0;
  const w = read32(b, at);
  write32(b, at, ((w & ~(mask << shift)) | ((value & mask) << shift)) >>> 0);
}
const branchVeneer = {
  size: 4,
  emit(bytes: Uint8Array, at: number) {
    write32(bytes, at, 0x14000000);
    return { kind: LabelUse.Branch26, fixupAt: 0 };
  },
};
export const LABEL_USE_KINDS: readonly LabelUseKind[] = [
  {
    name: 'branch26',
    maxPosRange: (1 << 27) - 4,
    maxNegRange: 1 << 27,
    patch: (b, use, label) => patchField(b, use, (label - use) >> 2, 0, 26),
  },
  {
    name: 'branch19',
    maxPosRange: (1 << 20) - 4,
    maxNegRange: 1 << 20,
    patch: (b, use, label) => patchField(b, use, (label - use) >> 2, 5, 19),
    veneer: branchVeneer,
  },
  {
    name: 'branch14',
    maxPosRange: (1 << 15) - 4,
    maxNegRange: 1 << 15,
    patch: (b, use, label) => patchField(b, use, (label - use) >> 2, 5, 14),
    veneer: branchVeneer,
  },
  {
    name: 'adr21',
    maxPosRange: (1 << 20) - 1,
    maxNegRange: 1 << 20,
    patch: (b, use, label) => {
      const d = label - use;
      patchField(b, use, d & 3, 29, 2);
      patchField(b, use, d >> 2, 5, 19);
    },
  },
  {
    name: 'pcrel32',
    maxPosRange: 0x7fffffff,
    maxNegRange: 0x80000000,
    patch: (b, use, label) => write32(b, use, (read32(b, use) + (label - use)) >>> 0),
  },
];

/** The trap instruction: `udf #0xc11f`, as upstream emits for every trap. */
export const TRAP_WORD = 0x0000c11f;
export const BUFFER_HOOKS: BufferHooks = {
  emitJump(buf, label) {
    const at = buf.curOffset();
    buf.useLabelAtOffset(at, label, LabelUse.Branch26);
    buf.put4(0x14000000);
  },
  emitTrap(buf) {
    buf.put4(TRAP_WORD);
  },
  trapSize: 4,
};

// ---------------------------------------------------------------------------
// Encoders of single words (exported for tests and the ABI)

const sf = (size: number): number => (size & 1) << 31;

export function encAluRRR(op: number, size: number, rd: number, rn: number, rm: number): number {
  const s = sf(size);
  const r = (rm << 16) | (rn << 5) | rd;
  switch (op) {
    case ALUOp.Add: return (s | 0x0b000000 | r) >>> 0;
    case ALUOp.Adds: return (s | 0x2b000000 | r) >>> 0;
    case ALUOp.Sub: return (s | 0x4b000000 | r) >>> 0;
    case ALUOp.Subs: return (s | 0x6b000000 | r) >>> 0;
    case ALUOp.And: return (s | 0x0a000000 | r) >>> 0;
    case ALUOp.AndNot: return (s | 0x0a200000 | r) >>> 0;
    case ALUOp.Orr: return (s | 0x2a000000 | r) >>> 0;
    case ALUOp.OrrNot: return (s | 0x2a200000 | r) >>> 0;
    case ALUOp.Eor: return (s | 0x4a000000 | r) >>> 0;
    case ALUOp.EorNot: return (s | 0x4a200000 | r) >>> 0;
    case ALUOp.Ands: return (s | 0x6a000000 | r) >>> 0;
    case ALUOp.AndsNot: return (s | 0x6a200000 | r) >>> 0;
    case ALUOp.UDiv: return (s | 0x1ac00800 | r) >>> 0;
    case ALUOp.SDiv: return (s | 0x1ac00c00 | r) >>> 0;
    case ALUOp.Lsl: return (s | 0x1ac02000 | r) >>> 0;
    case ALUOp.Lsr: return (s | 0x1ac02400 | r) >>> 0;
    case ALUOp.Asr: return (s | 0x1ac02800 | r) >>> 0;
    case ALUOp.RotR: return (s | 0x1ac02c00 | r) >>> 0;
    case ALUOp.SMulH: return (0x9b407c00 | r) >>> 0;
    case ALUOp.UMulH: return (0x9bc07c00 | r) >>> 0;
    case ALUOp.Adc: return (s | 0x1a000000 | r) >>> 0;
    case ALUOp.Adcs: return (s | 0x3a000000 | r) >>> 0;
    case ALUOp.Sbc: return (s | 0x5a000000 | r) >>> 0;
    case ALUOp.Sbcs: return (s | 0x7a000000 | r) >>> 0;
    default: throw new Error(`AluRRR: bad op ${op}`);
  }
}

export function encAluRRRShift(op: number, size: number, rd: number, rn: number, rm: number, shift: number, amt: number): number {
  const base = encAluRRR(op, size, rd, rn, rm);
  return (base | (shift << 22) | (amt << 10)) >>> 0;
}

export function encAluRRRExtend(op: number, size: number, rd: number, rn: number, rm: number, ext: number): number {
  const s = sf(size);
  const r = (rm << 16) | (ext << 13) | (rn << 5) | rd;
  switch (op) {
    case ALUOp.Add: return (s | 0x0b200000 | r) >>> 0;
    case ALUOp.Adds: return (s | 0x2b200000 | r) >>> 0;
    case ALUOp.Sub: return (s | 0x4b200000 | r) >>> 0;
    case ALUOp.Subs: return (s | 0x6b200000 | r) >>> 0;
    default: throw new Error(`AluRRRExtend: bad op ${op}`);
  }
}

export function encAluRRRR(op: number, size: number, rd: number, rn: number, rm: number, ra: number): number {
  const r = (rm << 16) | (ra << 10) | (rn << 5) | rd;
  switch (op) {
    case 0: return (sf(size) | 0x1b000000 | r) >>> 0;
    case 1: return (sf(size) | 0x1b008000 | r) >>> 0;
    case 2: return (0x9b200000 | r) >>> 0;
    case 3: return (0x9ba00000 | r) >>> 0;
    default: throw new Error(`AluRRRR: bad op ${op}`);
  }
}

export function encAluRRImm12(op: number, size: number, rd: number, rn: number, imm: Imm12): number {
  const r = ((Imm12.shift12(imm) ? 1 : 0) << 22) | (Imm12.bits(imm) << 10) | (rn << 5) | rd;
  const s = sf(size);
  switch (op) {
    case ALUOp.Add: return (s | 0x11000000 | r) >>> 0;
    case ALUOp.Adds: return (s | 0x31000000 | r) >>> 0;
    case ALUOp.Sub: return (s | 0x51000000 | r) >>> 0;
    case ALUOp.Subs: return (s | 0x71000000 | r) >>> 0;
    default: throw new Error(`AluRRImm12: bad op ${op}`);
  }
}

export function encAluRRImmLogic(op: number, size: number, rd: number, rn: number, packed: number): number {
  const r = (((packed >>> 12) & 1) << 22) | (((packed >>> 6) & 0x3f) << 16) | ((packed & 0x3f) << 10) | (rn << 5) | rd;
  const s = sf(size);
  switch (op) {
    case ALUOp.And: return (s | 0x12000000 | r) >>> 0;
    case ALUOp.Orr: return (s | 0x32000000 | r) >>> 0;
    case ALUOp.Eor: return (s | 0x52000000 | r) >>> 0;
    case ALUOp.Ands: return (s | 0x72000000 | r) >>> 0;
    default: throw new Error(`AluRRImmLogic: bad op ${op}`);
  }
}

function encBitfield(signed: boolean, size: number, rd: number, rn: number, immr: number, imms: number): number {
  const base = signed ? 0x13000000 : 0x53000000;
  return (sf(size) | ((size & 1) << 22) | base | (immr << 16) | (imms << 10) | (rn << 5) | rd) >>> 0;
}

export function encAluRRImmShift(op: number, size: number, rd: number, rn: number, amt: number): number {
  const bits = size ? 64 : 32;
  const a = amt & (bits - 1);
  switch (op) {
    case ALUOp.Lsl: return encBitfield(false, size, rd, rn, (bits - a) & (bits - 1), bits - 1 - a);
    case ALUOp.Lsr: return encBitfield(false, size, rd, rn, a, bits - 1);
    case ALUOp.Asr: return encBitfield(true, size, rd, rn, a, bits - 1);
    case ALUOp.RotR: return (sf(size) | ((size & 1) << 22) | 0x13800000 | (rn << 16) | (a << 10) | (rn << 5) | rd) >>> 0;
    default: throw new Error(`AluRRImmShift: bad op ${op}`);
  }
}

export function encBitRR(op: number, size: number, rd: number, rn: number): number {
  // Rev32 on a 32-bit operand is `rev w`, which shares opcode 2 with `rev32 x`.
  const opc = [0, 1, 2, 3, 4, 5][op];
  return (sf(size) | 0x5ac00000 | (opc << 10) | (rn << 5) | rd) >>> 0;
}

export function encMovWide(kind: 'z' | 'n' | 'k', size: number, rd: number, imm16: number, hw: number): number {
  const base = kind === 'n' ? 0x12800000 : kind === 'z' ? 0x52800000 : 0x72800000;
  return (sf(size) | base | (hw << 21) | ((imm16 & 0xffff) << 5) | rd) >>> 0;
}

export function encExtend(signed: boolean, from: number, to: number, rd: number, rn: number): number {
  if (!signed && from === 32) return encAluRRR(ALUOp.Orr, 0, rd, 31, rn); // mov wd, wn
  const size = to === 64 && signed ? 1 : 0;
  return encBitfield(signed, size, rd, rn, 0, from - 1);
}

export function encCSel(op: number, size: number, rd: number, rn: number, rm: number, cond: number): number {
  const base = [0x1a800000, 0x1a800400, 0x5a800000, 0x5a800400][op];
  return (sf(size) | base | (rm << 16) | (cond << 12) | (rn << 5) | rd) >>> 0;
}

export function encBranchCond(cond: Cond): number {
  return (0x54000000 | cond) >>> 0;
}
export function encCbz(nonzero: boolean, size: number, rt: number): number {
  return (sf(size) | (nonzero ? 0x35000000 : 0x34000000) | rt) >>> 0;
}

/** Load/store with a scaled unsigned 12-bit offset. */
function encLdStUImm(info: (typeof MEM_OPS)[number], rt: number, rn: number, off: number): number {
  const v = info.isFpu ? 1 : 0;
  const scaled = off / info.bytes;
  return ((info.size << 30) | 0x39000000 | (v << 26) | (info.opc << 22) | (scaled << 10) | (rn << 5) | rt) >>> 0;
}
/** Load/store with a signed 9-bit offset: mode 0 unscaled, 1 post-index, 3 pre-index. */
function encLdStSImm9(info: (typeof MEM_OPS)[number], rt: number, rn: number, off: number, mode: number): number {
  const v = info.isFpu ? 1 : 0;
  return ((info.size << 30) | 0x38000000 | (v << 26) | (info.opc << 22) | ((off & 0x1ff) << 12) | (mode << 10) | (rn << 5) | rt) >>> 0;
}
/** Load/store with a register offset; `option` 3 = lsl/uxtx, 2 uxtw, 6 sxtw; `s` scales by size. */
function encLdStReg(info: (typeof MEM_OPS)[number], rt: number, rn: number, rm: number, option: number, s: boolean): number {
  const v = info.isFpu ? 1 : 0;
  return ((info.size << 30) | 0x38200800 | (v << 26) | (info.opc << 22) | (rm << 16) | (option << 13) | ((s ? 1 : 0) << 12) | (rn << 5) | rt) >>> 0;
}
function encLdrLiteral(info: (typeof MEM_OPS)[number], rt: number): number {
  if (info.isFpu) {
    const opc = info.bytes === 4 ? 0 : info.bytes === 8 ? 1 : 2;
    return ((opc << 30) | 0x1c000000 | rt) >>> 0;
  }
  if (info.opc === 2 && info.bytes === 4) return (0x98000000 | rt) >>> 0; // ldrsw literal
  return ((info.rt64 ? 0x58000000 : 0x18000000) | rt) >>> 0;
}

export function encPair(load: boolean, fp: boolean, mode: number, rt: number, rt2: number, rn: number, off: number): number {
  const imm7 = (off / 8) & 0x7f;
  const base = fp ? 0x2c000000 | (1 << 30) : 0x28000000 | (2 << 30);
  const modeBits = mode === PairAMode.Offset ? 0x01000000 : mode === PairAMode.PreIndexed ? 0x01800000 : 0x00800000;
  return (base | modeBits | ((load ? 1 : 0) << 22) | (imm7 << 15) | (rt2 << 10) | (rn << 5) | rt) >>> 0;
}

/** The words `movImmInto` produced (at most four). */
const MOV_WORDS = new Uint32Array(4);

/**
 * Writes to MOV_WORDS the movz/movn/movk words that put the value with
 * 32-bit halves `hi:lo` (only `lo` for a 32-bit register) in `rd`, shortest
 * first, and returns their count: start from zero (movz) or, when more
 * 16-bit chunks are all-ones than zero, from all-ones (movn), and patch the
 * chunks that differ.
 */
function movImmInto(rd: number, lo: number, hi: number, is64: boolean): number {
  const nChunks = is64 ? 4 : 2;
  let zeros = 0;
  let ones = 0;
  for (let i = 0; i < nChunks; i++) {
    const c = (i < 2 ? lo >>> (16 * i) : hi >>> (16 * (i - 2))) & 0xffff;
    if (c === 0) zeros++;
    else if (c === 0xffff) ones++;
  }
  const size = is64 ? 1 : 0;
  const inverted = ones > zeros;
  const skip = inverted ? 0xffff : 0;
  let n = 0;
  for (let i = 0; i < nChunks; i++) {
    const c = (i < 2 ? lo >>> (16 * i) : hi >>> (16 * (i - 2))) & 0xffff;
    if (c === skip) continue;
    if (n === 0) MOV_WORDS[n++] = inverted ? encMovWide('n', size, rd, ~c & 0xffff, i) : encMovWide('z', size, rd, c, i);
    else MOV_WORDS[n++] = encMovWide('k', size, rd, c, i);
  }
  if (n === 0) MOV_WORDS[n++] = encMovWide(inverted ? 'n' : 'z', size, rd, 0, 0);
  return n;
}

/** Emits the words of `movImmInto`. */
function putMovImm(buf: MachBuffer, rd: number, lo: number, hi: number, is64: boolean): void {
  const n = movImmInto(rd, lo, hi, is64);
  for (let k = 0; k < n; k++) buf.put4(MOV_WORDS[k]);
}

/** movz/movn/movk words that put `value` in register `rd`, shortest first. */
export function movImmWords(rd: number, value: bigint, is64: boolean): number[] {
  const v = BigInt.asUintN(64, value);
  const n = movImmInto(rd, Number(v & 0xffffffffn), Number(v >> 32n), is64);
  return Array.from(MOV_WORDS.subarray(0, n));
}

// ---------------------------------------------------------------------------
// Addressing-mode finalization (shared with the printer)

/** A memory operand in one of the encodable forms. */
export interface FinalAMode {
  /** 'uimm' scaled offset, 'simm' unscaled, 'reg' register offset, 'pre'/'post' index, 'lit' literal. */
  form: 'uimm' | 'simm' | 'reg' | 'pre' | 'post' | 'lit';
  rn: number;
  rm: number;
  off: number;
  /** For 'reg': extend option (3 lsl, 2 uxtw, 6 sxtw) and whether the index is scaled. */
  option: number;
  scaled: boolean;
  /** Words to emit first (offset materialization into x16). */
  pre: readonly number[];
  preValue: number;
}

const NO_WORDS: readonly number[] = Object.freeze([]);

/** A FinalAMode to fill (emission keeps one and reuses it). */
export function newFinalAMode(): FinalAMode {
  return { form: 'uimm', rn: 0, rm: 0, off: 0, option: 3, scaled: false, pre: NO_WORDS, preValue: 0 };
}

/** The encodable form of `m`'s memory operand, written into `out` (a fresh one by default). */
export function finalizeAmode(m: MInst, st: EmitState, out: FinalAMode = newFinalAMode()): FinalAMode {
  const info = MEM_OPS[m.i0];
  let rn = m.r1;
  let off = m.i2;
  out.form = 'uimm';
  out.rn = rn;
  out.rm = 0;
  out.off = off;
  out.option = 3;
  out.scaled = false;
  out.pre = NO_WORDS;
  out.preValue = 0;
  switch (m.i1) {
    case AMode.RegReg:
      out.form = 'reg';
      out.rm = m.r2;
      return out;
    case AMode.RegScaled:
      out.form = 'reg';
      out.rm = m.r2;
      out.scaled = true;
      return out;
    case AMode.RegExtended:
      out.form = 'reg';
      out.rm = m.r2;
      out.option = m.i2 & 0xff;
      out.scaled = (m.i2 & 0x100) !== 0;
      return out;
    case AMode.PreIndexed:
      out.form = 'pre';
      return out;
    case AMode.PostIndexed:
      out.form = 'post';
      return out;
    case AMode.Label:
      out.form = 'lit';
      return out;
    case AMode.SPOffset:
      rn = 31;
      break;
    case AMode.SlotOffset:
      rn = 31;
      off += st.slotBase;
      break;
    case AMode.SpillSlot:
      rn = 31;
      off = st.spillBase + off * 8;
      break;
    case AMode.FPOffset:
      rn = HW_FP;
      break;
    default:
      break;
  }
  out.rn = rn;
  out.off = off;
  if (uimm12ScaledFits(off, info.bytes)) return out;
  if (simm9Fits(off)) {
    out.form = 'simm';
    return out;
  }
  out.form = 'reg';
  out.rm = HW_SPILLTMP;
  out.pre = movImmWords(HW_SPILLTMP, BigInt(off), true);
  out.preValue = off;
  return out;
}

// ---------------------------------------------------------------------------
// Atomic sequences (shared with the printer)

const RMW_ADD = 0, RMW_SUB = 1, RMW_AND = 2, RMW_NAND = 3, RMW_OR = 4, RMW_XOR = 5, RMW_XCHG = 6;
const RMW_UMIN = 7, RMW_SMIN = 9; // umax is 8, smax 10

export function encLoadAcquire(exclusive: boolean, log2: number, rt: number, rn: number): number {
  return ((log2 << 30) | (exclusive ? 0x085ffc00 : 0x08dffc00) | (rn << 5) | rt) >>> 0;
}
export function encStoreRelease(log2: number, rt: number, rn: number): number {
  return ((log2 << 30) | 0x089ffc00 | (rn << 5) | rt) >>> 0;
}
function encStlxr(log2: number, rs: number, rt: number, rn: number): number {
  return ((log2 << 30) | 0x0800fc00 | (rs << 16) | (rn << 5) | rt) >>> 0;
}
export const DMB_ISH = 0xd5033bbf;
/** `ld<op>al` / `swpal` (FEAT_LSE): rt gets the old value, memory gets old op rs. */
export function encLse(op: number, log2: number, rs: number, rt: number, rn: number): number {
  return ((log2 << 30) | 0x38e00000 | (rs << 16) | (op << 12) | (rn << 5) | rt) >>> 0;
}
/** `casal` (FEAT_LSE): rs is the expected value on entry and the old value on exit. */
export function encCasal(log2: number, rs: number, rt: number, rn: number): number {
  return ((log2 << 30) | 0x08e0fc00 | (rs << 16) | (rn << 5) | rt) >>> 0;
}

/**
 * The words of an atomic loop pseudo-instruction, with the assembly of each.
 * Subword compares use extended-register operands, since the old value is
 * loaded zero-extended and the operand's upper bits are undefined.
 */
export function atomicLoop(m: MInst): { words: number[]; text: string[] } {
  const log2 = m.i1;
  const size = log2 === 3 ? 1 : 0;
  const old = m.r0;
  const rn = m.r1;
  const words: number[] = [];
  const text: string[] = [];
  const r = (hw: number): string => (hw === 31 ? (size ? 'xzr' : 'wzr') : `${size ? 'x' : 'w'}${hw}`);
  const ldName = ['ldaxrb', 'ldaxrh', 'ldaxr', 'ldaxr'][log2];
  const stName = ['stlxrb', 'stlxrh', 'stlxr', 'stlxr'][log2];
  const extOp = (signed: boolean): number => (signed ? 4 : 0) + Math.min(log2, 2);
  const extName = (signed: boolean): string => ['uxtb', 'uxth', 'uxtw', 'sxtb', 'sxth', 'sxtw'][(signed ? 3 : 0) + log2];
  // Big-endian memory: the loaded value is byte-reversed into the native
  // order the operation and compare see, and the stored value back.
  const big = m.i2 === 1 && log2 > 0;
  const revOp = [BitOp.Rev16, BitOp.Rev16, BitOp.Rev32, BitOp.Rev64][log2];
  const revName = log2 === 1 ? 'rev16' : 'rev';
  const rev = (rd: number, rs: number): void => {
    words.push(encBitRR(revOp, size, rd, rs));
    text.push(`${revName} ${r(rd)}, ${r(rs)}`);
  };
  words.push(encLoadAcquire(true, log2, old, rn));
  text.push(`${ldName} ${r(old)}, [x${rn}]`);
  if (big) rev(old, old);
  /** Emits `cmp a, b` (with b extended for subwords); returns nothing. */
  const cmp = (a: number, b: number, signed: boolean): void => {
    if (log2 >= 2) {
      words.push(encAluRRR(ALUOp.Subs, size, 31, a, b));
      text.push(`cmp ${r(a)}, ${r(b)}`);
    } else {
      words.push(encAluRRRExtend(ALUOp.Subs, 0, 31, a, b, extOp(signed)));
      text.push(`cmp ${r(a)}, ${r(b)}, ${extName(signed)}`);
    }
  };
  if (m.op === Op.AtomicCasLoop) {
    cmp(old, m.r2, false);
    // Past the store and the loop branch (and the reversal of the new value).
    const skip = big ? 16 : 12;
    words.push(encBranchCond(Cond.Ne) | ((skip >> 2) << 5));
    text.push(`b.ne #${skip}`);
    let src = m.r3;
    if (big) {
      rev(HW_SPILLTMP, src);
      src = HW_SPILLTMP;
    }
    words.push(encStlxr(log2, HW_TMP2, src, rn));
    text.push(`${stName} w${HW_TMP2}, ${r(src)}, [x${rn}]`);
  } else {
    const op = m.i0;
    const rm = m.r2;
    let src = HW_SPILLTMP;
    const alu = (o: number, name: string, a: number, b: number): void => {
      words.push(encAluRRR(o, size, HW_SPILLTMP, a, b));
      text.push(`${name} ${r(HW_SPILLTMP)}, ${r(a)}, ${r(b)}`);
    };
    switch (op) {
      case RMW_ADD: alu(ALUOp.Add, 'add', old, rm); break;
      case RMW_SUB: alu(ALUOp.Sub, 'sub', old, rm); break;
      case RMW_AND: alu(ALUOp.And, 'and', old, rm); break;
      case RMW_NAND:
        alu(ALUOp.And, 'and', old, rm);
        words.push(encAluRRR(ALUOp.OrrNot, size, HW_SPILLTMP, 31, HW_SPILLTMP));
        text.push(`mvn ${r(HW_SPILLTMP)}, ${r(HW_SPILLTMP)}`);
        break;
      case RMW_OR: alu(ALUOp.Orr, 'orr', old, rm); break;
      case RMW_XOR: alu(ALUOp.Eor, 'eor', old, rm); break;
      case RMW_XCHG: src = rm; break;
      default: {
        const signed = op >= RMW_SMIN;
        const isMin = op === RMW_UMIN || op === RMW_SMIN;
        let a = old;
        if (signed && log2 < 2) {
          // Sign-extend the old value into x16 so both compare operands are extended.
          words.push(encExtend(true, 8 << log2, 32, HW_SPILLTMP, old));
          text.push(`${log2 === 0 ? 'sxtb' : 'sxth'} w${HW_SPILLTMP}, w${old}`);
          a = HW_SPILLTMP;
        }
        cmp(a, rm, signed);
        const c = signed ? (isMin ? Cond.Lt : Cond.Gt) : isMin ? Cond.Lo : Cond.Hi;
        words.push(encCSel(0, size, HW_SPILLTMP, old, rm, c));
        text.push(`csel ${r(HW_SPILLTMP)}, ${r(old)}, ${r(rm)}, ${condName(c)}`);
      }
    }
    if (big) {
      rev(HW_SPILLTMP, src);
      src = HW_SPILLTMP;
    }
    words.push(encStlxr(log2, HW_TMP2, src, rn));
    text.push(`${stName} w${HW_TMP2}, ${r(src)}, [x${rn}]`);
  }
  const back = -4 * words.length;
  words.push((0x35000000 | (((back >> 2) & 0x7ffff) << 5) | HW_TMP2) >>> 0);
  text.push(`cbnz w${HW_TMP2}, #${back}`);
  return { words, text };
}

// ---------------------------------------------------------------------------
// Thread-local storage sequences (shared with the printer)

/** One word of a fixed sequence: its encoding, assembly, and relocation (at the word) if any. */
export interface SeqWord {
  readonly word: number;
  readonly text: string;
  readonly reloc: RelocKind | undefined;
}

const MRS_TPIDR_EL0 = 0xd53bd040;
const encLdrX = (rt: number, rn: number): number => (0xf9400000 | (rn << 5) | rt) >>> 0;
const encBlr = (rn: number): number => (0xd63f0000 | (rn << 5)) >>> 0;

/**
 * The words of `ElfTlsGetAddr` (general dynamic through a TLS descriptor)
 * or `MachOTlsGetAddr` (the variable's thunk); `tmp` is the ELF sequence's
 * temporary. Relocated fields are zero; the text names each relocation.
 */
export function tlsSequence(m: MInst, tmpName = `x${m.r1}`): SeqWord[] {
  const info = m.aux as ExtNameInfo;
  const on = (kind: RelocKind): string => ` // ${kind} ${info.text}`;
  if (m.op === Op.ElfTlsGetAddr) {
    const t = m.r1;
    return [
      { word: 0x90000000, text: `adrp x0, #0${on('Aarch64TlsDescAdrPage21')}`, reloc: 'Aarch64TlsDescAdrPage21' },
      { word: encLdrX(t, 0), text: `ldr ${tmpName}, [x0]${on('Aarch64TlsDescLd64Lo12')}`, reloc: 'Aarch64TlsDescLd64Lo12' },
      { word: 0x91000000, text: `add x0, x0, #0${on('Aarch64TlsDescAddLo12')}`, reloc: 'Aarch64TlsDescAddLo12' },
      { word: encBlr(t), text: `blr ${tmpName}${on('Aarch64TlsDescCall')}`, reloc: 'Aarch64TlsDescCall' },
      { word: (MRS_TPIDR_EL0 | t) >>> 0, text: `mrs ${tmpName}, tpidr_el0`, reloc: undefined },
      { word: encAluRRR(ALUOp.Add, 1, 0, 0, t), text: `add x0, x0, ${tmpName}`, reloc: undefined },
    ];
  }
  return [
    { word: 0x90000000, text: `adrp x0, #0${on('MachOAarch64TlsAdrPage21')}`, reloc: 'MachOAarch64TlsAdrPage21' },
    { word: encLdrX(0, 0), text: `ldr x0, [x0]${on('MachOAarch64TlsAdrPageOff12')}`, reloc: 'MachOAarch64TlsAdrPageOff12' },
    { word: encLdrX(1, 0), text: 'ldr x1, [x0]', reloc: undefined },
    { word: encBlr(1), text: 'blr x1', reloc: undefined },
  ];
}

/**
 * `FpuCSel` of q registers: `rd = cond ? rn : rm` as a branch diamond of
 * two full-register moves (no single instruction selects 128 bits).
 */
export function vecSelectSequence(m: MInst, name: (r: number) => string = (r) => `v${r}`): SeqWord[] {
  const mov = (rd: number, rs: number): SeqWord => ({
    word: (0x4ea01c00 | (rs << 16) | (rs << 5) | rd) >>> 0,
    text: `mov ${name(rd)}.16b, ${name(rs)}.16b`,
    reloc: undefined,
  });
  return [
    { word: (encBranchCond(m.i0 as Cond) | (3 << 5)) >>> 0, text: `b.${condName(m.i0)} #12`, reloc: undefined },
    mov(m.r0, m.r2),
    { word: 0x14000002, text: 'b #8', reloc: undefined },
    mov(m.r0, m.r1),
  ];
}

function emitSequence(buf: MachBuffer, seq: readonly SeqWord[], info: ExtNameInfo | undefined): void {
  for (const w of seq) {
    if (w.reloc !== undefined) buf.addReloc(w.reloc, info!.target, info!.offset);
    buf.put4(w.word);
  }
}

// ---------------------------------------------------------------------------
// Instruction emission

function emitBranchTo(buf: MachBuffer, word: number, label: number, kind: number): void {
  buf.useLabelAtOffset(buf.curOffset(), label, kind);
  buf.put4(word);
}

/** Emits `add/sub sp, sp, #amount` (or through x16 for large amounts). */
export function emitSpAdjust(buf: MachBuffer, amount: number): void {
  if (amount === 0) return;
  const op = amount > 0 ? ALUOp.Add : ALUOp.Sub;
  let a = Math.abs(amount);
  const imm = Imm12.maybeFrom(a);
  if (imm !== undefined) {
    buf.put4(encAluRRImm12(op, 1, 31, 31, imm));
    return;
  }
  if (a < 0x1000000) {
    buf.put4(encAluRRImm12(op, 1, 31, 31, Imm12.maybeFrom(a & 0xfff000)!));
    a &= 0xfff;
    if (a !== 0) buf.put4(encAluRRImm12(op, 1, 31, 31, Imm12.maybeFrom(a)!));
    return;
  }
  for (const w of movImmWords(HW_SPILLTMP, BigInt(a), true)) buf.put4(w);
  buf.put4(encAluRRRExtend(op, 1, 31, 31, HW_SPILLTMP, 3));
}

const AMODE_SCRATCH = newFinalAMode();

function emitMem(buf: MachBuffer, m: MInst, st: EmitState): void {
  const info = MEM_OPS[m.i0];
  const rt = m.r0;
  const a = finalizeAmode(m, st, AMODE_SCRATCH);
  for (const w of a.pre) buf.put4(w);
  // The trap record goes on the access itself (after any offset materialization).
  if (m.i3 !== 0) buf.addTrap(m.i3 as TrapCode);
  switch (a.form) {
    case 'uimm':
      buf.put4(encLdStUImm(info, rt, a.rn, a.off));
      return;
    case 'simm':
      buf.put4(encLdStSImm9(info, rt, a.rn, a.off, 0));
      return;
    case 'pre':
      buf.put4(encLdStSImm9(info, rt, a.rn, a.off, 3));
      return;
    case 'post':
      buf.put4(encLdStSImm9(info, rt, a.rn, a.off, 1));
      return;
    case 'reg':
      buf.put4(encLdStReg(info, rt, a.rn, a.rm, a.option, a.scaled));
      return;
    case 'lit':
      emitBranchTo(buf, encLdrLiteral(info, rt), m.i2, LabelUse.Branch19);
      return;
  }
}

function condBranchWord(kind: number, condOrSize: number, rn: number): { word: number; inverted: number } {
  if (kind === CondKind.Cond) return { word: encBranchCond(condOrSize as Cond), inverted: encBranchCond(condInvert(condOrSize as Cond)) };
  const nz = kind === CondKind.NotZero;
  return { word: encCbz(nz, condOrSize, rn), inverted: encCbz(!nz, condOrSize, rn) };
}

/** Emits one instruction (fields already hold hardware registers). */
export function emitInst(buf: MachBuffer, m: MInst, st: EmitState): void {
  switch (m.op) {
    case Op.AluRRR:
      buf.put4(encAluRRR(m.i0, m.i1, m.r0, m.r1, m.r2));
      return;
    case Op.AluRRRR:
      buf.put4(encAluRRRR(m.i0, m.i1, m.r0, m.r1, m.r2, m.r3));
      return;
    case Op.AluRRImm12:
      buf.put4(encAluRRImm12(m.i0, m.i1, m.r0, m.r1, m.i2 as Imm12));
      return;
    case Op.AluRRImmLogic:
      buf.put4(encAluRRImmLogic(m.i0, m.i1, m.r0, m.r1, m.i2));
      return;
    case Op.AluRRImmShift:
      buf.put4(encAluRRImmShift(m.i0, m.i1, m.r0, m.r1, m.i2));
      return;
    case Op.AluRRRShift:
      buf.put4(encAluRRRShift(m.i0, m.i1, m.r0, m.r1, m.r2, m.i2, m.i3));
      return;
    case Op.AluRRRExtend:
      buf.put4(encAluRRRExtend(m.i0, m.i1, m.r0, m.r1, m.r2, m.i2));
      return;
    case Op.BitRR:
      buf.put4(encBitRR(m.i0, m.i1, m.r0, m.r1));
      return;
    case Op.MovWide:
      buf.put4(encMovWide(m.i0 === 1 ? 'n' : 'z', m.i1, m.r0, m.i2, m.i3));
      return;
    case Op.MovK:
      buf.put4(encMovWide('k', m.i1, m.r0, m.i2, m.i3));
      return;
    case Op.Mov:
      buf.put4(encAluRRR(ALUOp.Orr, m.i1, m.r0, 31, m.r1));
      return;
    case Op.MovSp:
      buf.put4(encAluRRImm12(ALUOp.Add, 1, m.r0, m.r1, Imm12.zero));
      return;
    case Op.Extend:
      buf.put4(encExtend(m.i0 === 1, m.i1, m.i2, m.r0, m.r1));
      return;
    case Op.CSel:
      buf.put4(encCSel(m.i2, m.i1, m.r0, m.r1, m.r2, m.i0));
      return;
    case Op.CSet:
      // cset rd, c == csinc rd, zr, zr, !c; csetm == csinv.
      buf.put4(encCSel(m.i2 === 1 ? 2 : 1, m.i1, m.r0, 31, 31, condInvert(m.i0 as Cond)));
      return;
    case Op.CCmpImm:
      buf.put4((sf(m.i1) | 0x7a400800 | ((m.i2 & 31) << 16) | (m.i0 << 12) | (m.r1 << 5) | (m.i3 & 15)) >>> 0);
      return;
    case Op.Load:
    case Op.Store:
      emitMem(buf, m, st);
      return;
    case Op.LoadPair:
    case Op.StorePair:
      buf.put4(encPair(m.op === Op.LoadPair, m.i0 === 1, m.i1, m.r0, m.r1, m.r2, m.i2));
      return;
    case Op.Jump: {
      const start = buf.curOffset();
      emitBranchTo(buf, 0x14000000, m.i0, LabelUse.Branch26);
      buf.addUncondBranch(start, start + 4);
      return;
    }
    case Op.CondBr: {
      const { word, inverted } = condBranchWord(m.i2, m.i3, m.r1);
      const start = buf.curOffset();
      emitBranchTo(buf, word, m.i0, LabelUse.Branch19);
      buf.addCondBranch(start, start + 4, inverted);
      const s2 = buf.curOffset();
      emitBranchTo(buf, 0x14000000, m.i1, LabelUse.Branch26);
      buf.addUncondBranch(s2, s2 + 4);
      return;
    }
    case Op.TrapIf: {
      const label = buf.deferTrap(m.i0 as TrapCode);
      const { word } = condBranchWord(m.i2, m.i3, m.r1);
      emitBranchTo(buf, word, label, LabelUse.Branch19);
      return;
    }
    case Op.Udf:
      buf.addTrap(m.i0 as TrapCode);
      buf.put4(TRAP_WORD);
      return;
    case Op.Ret:
      st.emitEpilogue(buf);
      return;
    case Op.Args:
      return;
    case Op.Call: {
      const info = m.aux as CallInfo;
      buf.addReloc('Arm64Call', info.dest!, 0n);
      buf.put4(0x94000000);
      emitSpAdjust(buf, -info.calleePop);
      return;
    }
    case Op.CallInd:
      buf.put4((0xd63f0000 | (m.r1 << 5)) >>> 0);
      emitSpAdjust(buf, -(m.aux as CallInfo).calleePop);
      return;
    case Op.ReturnCall:
      st.emitReturnCall(buf, m);
      return;
    case Op.BranchReg:
      buf.put4((0xd61f0000 | (m.r1 << 5)) >>> 0);
      return;
    case Op.JTSequence: {
      // b.hs default; adr x16, table; ldrsw x17, [x16, widx, uxtw #2]; add x16, x16, x17; br x16; table
      const info = m.aux as JumpTableInfo;
      emitBranchTo(buf, encBranchCond(Cond.Hs), m.i0, LabelUse.Branch19);
      buf.put4((0x10000000 | (4 << 5) | HW_SPILLTMP) >>> 0); // adr x16, #16
      buf.put4(encLdStReg(MEM_OPS[5], HW_TMP2, HW_SPILLTMP, m.r1, 2, true));
      buf.put4(encAluRRR(ALUOp.Add, 1, HW_SPILLTMP, HW_SPILLTMP, HW_TMP2));
      buf.put4((0xd61f0000 | (HW_SPILLTMP << 5)) >>> 0);
      const tableStart = buf.curOffset();
      for (let k = 0; k < info.targets.length; k++) {
        const at = buf.curOffset();
        // Each entry holds (target − table start): the word starts at its own offset into the table.
        buf.useLabelAtOffset(at, info.targets[k], LabelUse.PCRel32);
        buf.put4(at - tableStart);
      }
      return;
    }
    case Op.LoadAddr: {
      let rn = 31;
      let off = m.i1;
      if (m.i0 === AMode.SlotOffset) off += st.slotBase;
      else if (m.i0 === AMode.FPOffset) rn = HW_FP;
      const imm = Imm12.maybeFrom(Math.abs(off));
      if (imm !== undefined) {
        buf.put4(encAluRRImm12(off < 0 ? ALUOp.Sub : ALUOp.Add, 1, m.r0, rn, imm));
        return;
      }
      for (const w of movImmWords(HW_SPILLTMP, BigInt(off), true)) buf.put4(w);
      buf.put4(encAluRRRExtend(ALUOp.Add, 1, m.r0, rn, HW_SPILLTMP, 3));
      return;
    }
    case Op.LoadExtName: {
      // ldr rd, #8; b #12; .8byte name+offset (absolute relocation)
      const info = m.aux as ExtNameInfo;
      buf.put4((0x58000000 | (2 << 5) | m.r0) >>> 0);
      buf.put4(0x14000003);
      buf.addReloc('Abs8', info.target, info.offset);
      buf.put4(0);
      buf.put4(0);
      return;
    }
    case Op.Hint:
      buf.put4(HINT_WORDS[m.i0]);
      return;
    case Op.Brk:
      buf.put4(0xd4200000);
      return;
    case Op.Adr: {
      const d = m.i0;
      buf.put4((0x10000000 | ((d & 3) << 29) | (((d >> 2) & 0x7ffff) << 5) | m.r0) >>> 0);
      return;
    }
    case Op.LabelAddress:
      emitBranchTo(buf, (0x10000000 | m.r0) >>> 0, m.i0, LabelUse.Adr21);
      return;
    case Op.ElfTlsGetAddr:
    case Op.MachOTlsGetAddr:
      emitSequence(buf, tlsSequence(m), m.aux as ExtNameInfo);
      return;
    case Op.FpuRRR: {
      const base = [0x1e202800, 0x1e203800, 0x1e200800, 0x1e201800, 0x1e204800, 0x1e205800][m.i0];
      buf.put4((base | ((m.i1 & 1) << 22) | (m.r2 << 16) | (m.r1 << 5) | m.r0) >>> 0);
      return;
    }
    case Op.LoadConst:
      putMovImm(buf, m.r0, m.i0 >>> 0, m.i1 >>> 0, m.i2 === 1);
      return;
    case Op.FpuRR: {
      if (m.i0 === 9 && m.i1 === 2) {
        buf.put4((0x4ea01c00 | (m.r1 << 16) | (m.r1 << 5) | m.r0) >>> 0);
        return;
      }
      const ty = (m.i1 & 1) << 22;
      const opc = [0x1e20c000, 0x1e214000, 0x1e21c000, 0x1e22c000, 0x1e624000, 0x1e24c000, 0x1e254000, 0x1e25c000, 0x1e244000, 0x1e204000][m.i0];
      // fcvt encodes its source type in `ty`; the others encode their operand size.
      const t = m.i0 === 3 ? 0 : m.i0 === 4 ? 0 : ty;
      buf.put4((opc | t | (m.r1 << 5) | m.r0) >>> 0);
      return;
    }
    case Op.FpuCmp:
      buf.put4((0x1e202000 | ((m.i1 & 1) << 22) | (m.r2 << 16) | (m.r1 << 5)) >>> 0);
      return;
    case Op.MovToFpu:
      buf.put4(((m.i1 & 1) === 1 ? 0x9e670000 : 0x1e270000) | (m.r1 << 5) | m.r0);
      return;
    case Op.MovFromFpu:
      buf.put4(((m.i1 & 1) === 1 ? 0x9e660000 : 0x1e260000) | (m.r1 << 5) | m.r0);
      return;
    case Op.FpuCSel:
      if (m.i1 === 2) emitSequence(buf, vecSelectSequence(m), undefined);
      else buf.put4((0x1e200c00 | ((m.i1 & 1) << 22) | (m.r2 << 16) | (m.i0 << 12) | (m.r1 << 5) | m.r0) >>> 0);
      return;
    case Op.IntToFpu: {
      const base = m.i0 === 1 ? 0x1e220000 : 0x1e230000;
      buf.put4((sf(m.i1) | base | ((m.i2 & 1) << 22) | (m.r1 << 5) | m.r0) >>> 0);
      return;
    }
    case Op.FpuToInt: {
      const base = m.i0 === 1 ? 0x1e380000 : 0x1e390000;
      buf.put4((sf(m.i1) | base | ((m.i2 & 1) << 22) | (m.r1 << 5) | m.r0) >>> 0);
      return;
    }
    case Op.FpuRRRR: {
      const o1 = m.i0 >= 2 ? 1 : 0;
      const o0 = m.i0 & 1;
      buf.put4((0x1f000000 | ((m.i1 & 1) << 22) | (o1 << 21) | (m.r2 << 16) | (o0 << 15) | (m.r3 << 10) | (m.r1 << 5) | m.r0) >>> 0);
      return;
    }
    case Op.AtomicRmwLoop:
    case Op.AtomicCasLoop: {
      const { words } = atomicLoop(m);
      if (m.i3 !== 0) buf.addTrap(m.i3 as TrapCode);
      for (const w of words) buf.put4(w);
      return;
    }
    case Op.AtomicRmwLse:
      if (m.i3 !== 0) buf.addTrap(m.i3 as TrapCode);
      buf.put4(encLse(m.i0, m.i1, m.r2, m.r0, m.r1));
      return;
    case Op.AtomicCasLse:
      if (m.r0 !== m.r2) throw new Error(`casal: destination x${m.r0} is not the compare register x${m.r2}`);
      if (m.i3 !== 0) buf.addTrap(m.i3 as TrapCode);
      buf.put4(encCasal(m.i1, m.r2, m.r3, m.r1));
      return;
    case Op.LoadAcquire:
      if (m.i3 !== 0) buf.addTrap(m.i3 as TrapCode);
      buf.put4(encLoadAcquire(false, m.i1, m.r0, m.r1));
      return;
    case Op.StoreRelease:
      if (m.i3 !== 0) buf.addTrap(m.i3 as TrapCode);
      buf.put4(encStoreRelease(m.i1, m.r0, m.r1));
      return;
    case Op.Fence:
      buf.put4(DMB_ISH);
      return;
    case Op.MovToVecHi:
      buf.put4((0x4e181c00 | (m.r2 << 5) | m.r0) >>> 0);
      return;
    case Op.MovFromVecHi:
      buf.put4((0x4e183c00 | (m.r1 << 5) | m.r0) >>> 0);
      return;
    case Op.VecRRR:
    case Op.VecRRRMod:
      buf.put4(encVecRRR(m.i0, m.i1, m.r0, m.r1, m.r2));
      return;
    case Op.VecMisc:
      buf.put4(encVecMisc(m.i0, m.i1, m.r0, m.r1));
      return;
    case Op.VecLanes:
      buf.put4(encVecLanes(m.i0, m.i1, m.r0, m.r1));
      return;
    case Op.VecShiftImm:
      buf.put4(encVecShiftImm(m.i0, m.i1, m.r0, m.r1, m.i2));
      return;
    case Op.VecNarrow:
      buf.put4(encVecNarrow(m.i0, m.i1, m.i2 === 1, m.r0, m.r1));
      return;
    case Op.VecDup:
      buf.put4(encVecDup(m.i1, m.r0, m.r1));
      return;
    case Op.VecDupElement:
      buf.put4(encVecDupElement(m.i1, m.i3 === 1, m.r0, m.r1, m.i2));
      return;
    case Op.MovFromVec:
      buf.put4(encMovFromVec(m.i0 === 1, m.i1, m.i2, m.i3 === 1, m.r0, m.r1));
      return;
    case Op.MovToVec:
      buf.put4(encMovToVec(m.i1, m.i2, m.r0, m.r2));
      return;
    case Op.VecMovElement:
      buf.put4(encVecMovElement(m.i1, m.i2, m.i3, m.r0, m.r2));
      return;
    case Op.VecTbl:
      buf.put4(encVecTbl(m.i0 === 1, m.i1, m.r0, m.r1, m.r2));
      return;
    case Op.VecMoviBytes:
      buf.put4(encVecMoviBytes(m.i1, m.r0, m.i2));
      return;
    default:
      throw new Error(`cannot emit instruction op ${String(Reflect.get(m, 'op'))}`);
  }
}

export const BIT_OP_COUNT = Object.keys(BitOp).length;
