// Encoding table: every instruction form the backend emits, as
// [instruction, expected bytes (hex, as LLVM's assembler encodes the
// assembly), expected assembly (as LLVM's disassembler prints it)].
//
// Three checks per row: the encoder produces the bytes; the printer produces
// the assembly; and `llvm-mc -disassemble` of the encoder's bytes prints the
// printer's text (skipped with a message when llvm-mc is missing, a failure
// under CI). Branch targets are compared as "a label": the table writes PC
// offsets (labels are bound at offset 0), the printer label names.

import { execFileSync, spawnSync } from 'node:child_process';
import { MachBuffer } from '@clift/codegen';
import { describe, expect, it } from 'vitest';
import { ALUOp, AMode, BitOp, Cond, HintOp, LseOp, MemOp, PairAMode } from './args.js';
import { BUFFER_HOOKS, LABEL_USE_KINDS, emitInst, type EmitState } from './emit.js';
import { Imm12, ImmLogic } from './imms.js';
import { Op, newMInst, type CallInfo, type ExtNameInfo, type MInst } from './mod.js';
import { HW_NAMES, printInst } from './print.js';

const imm12 = (v: number): number => Imm12.maybeFrom(v)!;
const logic = (v: bigint, bits: 32 | 64): number => ImmLogic.maybeFrom(v, bits)!;

type Row = [Partial<MInst> & { op: Op }, string, string];

/** A thread-local variable for the TLS sequences (relocations name it). */
const TLS_VAR: ExtNameInfo = { target: { kind: 'symbol', name: 'tls_var' }, offset: 0n, text: 'tls_var' };

function callInfo(calleePop: number): CallInfo {
  return { dest: undefined, uses: [], defs: [], clobbers: [], callee: 'indirect', calleePop };
}

const TABLE: Row[] = [
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.Add, i1: 1 }, '2000028b', "add x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 3, r1: 4, r2: 5, i0: ALUOp.Add, i1: 0 }, '8300050b', "add w3, w4, w5"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.Sub, i1: 1 }, '200002cb', "sub x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 31, r2: 2, i0: ALUOp.Sub, i1: 1 }, 'e00302cb', "neg x0, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.Orr, i1: 1 }, '200002aa', "orr x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 31, r2: 2, i0: ALUOp.Orr, i1: 0 }, 'e003022a', "mov w0, w2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.OrrNot, i1: 1 }, '200022aa', "orn x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 31, r2: 2, i0: ALUOp.OrrNot, i1: 1 }, 'e00322aa', "mvn x0, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.And, i1: 0 }, '2000020a', "and w0, w1, w2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.AndNot, i1: 1 }, '2000228a', "bic x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.Eor, i1: 1 }, '200002ca', "eor x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.EorNot, i1: 0 }, '2000224a', "eon w0, w1, w2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.Adds, i1: 1 }, '200002ab', "adds x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 31, r1: 1, r2: 2, i0: ALUOp.Adds, i1: 1 }, '3f0002ab', "cmn x1, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.Subs, i1: 1 }, '200002eb', "subs x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 31, r1: 1, r2: 2, i0: ALUOp.Subs, i1: 0 }, '3f00026b', "cmp w1, w2"],
  [{ op: Op.AluRRR, r0: 31, r1: 1, r2: 2, i0: ALUOp.Ands, i1: 1 }, '3f0002ea', "tst x1, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.Lsl, i1: 1 }, '2020c29a', "lsl x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.Lsr, i1: 0 }, '2024c21a', "lsr w0, w1, w2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.Asr, i1: 1 }, '2028c29a', "asr x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.RotR, i1: 0 }, '202cc21a', "ror w0, w1, w2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.SDiv, i1: 1 }, '200cc29a', "sdiv x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.UDiv, i1: 0 }, '2008c21a', "udiv w0, w1, w2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.SMulH, i1: 1 }, '207c429b', "smulh x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.UMulH, i1: 1 }, '207cc29b', "umulh x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.Adc, i1: 1 }, '2000029a', "adc x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.Adcs, i1: 0 }, '2000023a', "adcs w0, w1, w2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.Sbc, i1: 1 }, '200002da', "sbc x0, x1, x2"],
  [{ op: Op.AluRRR, r0: 0, r1: 1, r2: 2, i0: ALUOp.Sbcs, i1: 1 }, '200002fa', "sbcs x0, x1, x2"],
  [{ op: Op.AluRRRR, r0: 0, r1: 1, r2: 2, r3: 3, i0: 0, i1: 1 }, '200c029b', "madd x0, x1, x2, x3"],
  [{ op: Op.AluRRRR, r0: 0, r1: 1, r2: 2, r3: 31, i0: 0, i1: 0 }, '207c021b', "mul w0, w1, w2"],
  [{ op: Op.AluRRRR, r0: 0, r1: 1, r2: 2, r3: 3, i0: 1, i1: 1 }, '208c029b', "msub x0, x1, x2, x3"],
  [{ op: Op.AluRRRR, r0: 0, r1: 1, r2: 2, r3: 31, i0: 2, i1: 1 }, '207c229b', "smull x0, w1, w2"],
  [{ op: Op.AluRRRR, r0: 0, r1: 1, r2: 2, r3: 31, i0: 3, i1: 1 }, '207ca29b', "umull x0, w1, w2"],
  [{ op: Op.AluRRImm12, r0: 0, r1: 1, i0: ALUOp.Add, i1: 1, i2: imm12(4095) }, '20fc3f91', "add x0, x1, #4095"],
  [{ op: Op.AluRRImm12, r0: 0, r1: 1, i0: ALUOp.Add, i1: 0, i2: imm12(4096) }, '20044011', "add w0, w1, #1, lsl #12"],
  [{ op: Op.AluRRImm12, r0: 31, r1: 31, i0: ALUOp.Sub, i1: 1, i2: imm12(16) }, 'ff4300d1', "sub sp, sp, #16"],
  [{ op: Op.AluRRImm12, r0: 0, r1: 31, i0: ALUOp.Add, i1: 1, i2: imm12(0) }, 'e0030091', "mov x0, sp"],
  [{ op: Op.AluRRImm12, r0: 31, r1: 3, i0: ALUOp.Subs, i1: 1, i2: imm12(7) }, '7f1c00f1', "cmp x3, #7"],
  [{ op: Op.AluRRImm12, r0: 31, r1: 3, i0: ALUOp.Adds, i1: 0, i2: imm12(1) }, '7f040031', "cmn w3, #1"],
  [{ op: Op.AluRRImm12, r0: 2, r1: 3, i0: ALUOp.Subs, i1: 1, i2: imm12(7) }, '621c00f1', "subs x2, x3, #7"],
  [{ op: Op.AluRRImmLogic, r0: 0, r1: 1, i0: ALUOp.And, i1: 1, i2: logic(0xffn, 64) }, '201c4092', "and x0, x1, #0xff"],
  [{ op: Op.AluRRImmLogic, r0: 0, r1: 1, i0: ALUOp.Orr, i1: 0, i2: logic(0xf0f0f0f0n, 32) }, '20cc0432', "orr w0, w1, #0xf0f0f0f0"],
  [{ op: Op.AluRRImmLogic, r0: 0, r1: 1, i0: ALUOp.Eor, i1: 1, i2: logic(0x5555555555555555n, 64) }, '20f000d2', "eor x0, x1, #0x5555555555555555"],
  [{ op: Op.AluRRImmLogic, r0: 31, r1: 1, i0: ALUOp.Ands, i1: 0, i2: logic(0xffn, 32) }, '3f1c0072', "tst w1, #0xff"],
  [{ op: Op.AluRRImmLogic, r0: 0, r1: 31, i0: ALUOp.Orr, i1: 1, i2: logic(0x5555555555555555n, 64) }, 'e0f300b2', "mov x0, #6148914691236517205"],
  [{ op: Op.AluRRImmLogic, r0: 0, r1: 31, i0: ALUOp.Orr, i1: 0, i2: logic(0xffn, 32) }, 'e01f0032', "orr w0, wzr, #0xff"],
  [{ op: Op.AluRRImmShift, r0: 0, r1: 1, i0: ALUOp.Lsl, i1: 1, i2: 3 }, '20f07dd3', "lsl x0, x1, #3"],
  [{ op: Op.AluRRImmShift, r0: 0, r1: 1, i0: ALUOp.Lsl, i1: 0, i2: 31 }, '20000153', "lsl w0, w1, #31"],
  [{ op: Op.AluRRImmShift, r0: 0, r1: 1, i0: ALUOp.Lsr, i1: 1, i2: 63 }, '20fc7fd3', "lsr x0, x1, #63"],
  [{ op: Op.AluRRImmShift, r0: 0, r1: 1, i0: ALUOp.Asr, i1: 0, i2: 5 }, '207c0513', "asr w0, w1, #5"],
  [{ op: Op.AluRRImmShift, r0: 0, r1: 1, i0: ALUOp.RotR, i1: 1, i2: 13 }, '2034c193', "ror x0, x1, #13"],
  [{ op: Op.AluRRImmShift, r0: 0, r1: 1, i0: ALUOp.RotR, i1: 0, i2: 1 }, '20048113', "ror w0, w1, #1"],
  [{ op: Op.AluRRRShift, r0: 0, r1: 1, r2: 2, i0: ALUOp.Add, i1: 1, i2: 0, i3: 3 }, '200c028b', "add x0, x1, x2, lsl #3"],
  [{ op: Op.AluRRRShift, r0: 0, r1: 1, r2: 2, i0: ALUOp.Sub, i1: 0, i2: 1, i3: 4 }, '2010424b', "sub w0, w1, w2, lsr #4"],
  [{ op: Op.AluRRRShift, r0: 0, r1: 1, r2: 2, i0: ALUOp.Orr, i1: 1, i2: 2, i3: 63 }, '20fc82aa', "orr x0, x1, x2, asr #63"],
  [{ op: Op.AluRRRShift, r0: 0, r1: 1, r2: 2, i0: ALUOp.And, i1: 1, i2: 3, i3: 7 }, '201cc28a', "and x0, x1, x2, ror #7"],
  [{ op: Op.AluRRRExtend, r0: 0, r1: 1, r2: 2, i0: ALUOp.Add, i1: 1, i2: 2 }, '2040228b', "add x0, x1, w2, uxtw"],
  [{ op: Op.AluRRRExtend, r0: 31, r1: 31, r2: 16, i0: ALUOp.Sub, i1: 1, i2: 3 }, 'ff6330cb', "sub sp, sp, x16"],
  [{ op: Op.AluRRRExtend, r0: 31, r1: 1, r2: 2, i0: ALUOp.Subs, i1: 0, i2: 0 }, '3f00226b', "cmp w1, w2, uxtb"],
  [{ op: Op.AluRRRExtend, r0: 0, r1: 1, r2: 2, i0: ALUOp.Add, i1: 1, i2: 6 }, '20c0228b', "add x0, x1, w2, sxtw"],
  [{ op: Op.BitRR, r0: 0, r1: 1, i0: BitOp.RBit, i1: 1 }, '2000c0da', "rbit x0, x1"],
  [{ op: Op.BitRR, r0: 0, r1: 1, i0: BitOp.RBit, i1: 0 }, '2000c05a', "rbit w0, w1"],
  [{ op: Op.BitRR, r0: 0, r1: 1, i0: BitOp.Rev16, i1: 0 }, '2004c05a', "rev16 w0, w1"],
  [{ op: Op.BitRR, r0: 0, r1: 1, i0: BitOp.Rev32, i1: 0 }, '2008c05a', "rev w0, w1"],
  [{ op: Op.BitRR, r0: 0, r1: 1, i0: BitOp.Rev32, i1: 1 }, '2008c0da', "rev32 x0, x1"],
  [{ op: Op.BitRR, r0: 0, r1: 1, i0: BitOp.Rev64, i1: 1 }, '200cc0da', "rev x0, x1"],
  [{ op: Op.BitRR, r0: 0, r1: 1, i0: BitOp.Clz, i1: 1 }, '2010c0da', "clz x0, x1"],
  [{ op: Op.BitRR, r0: 0, r1: 1, i0: BitOp.Cls, i1: 0 }, '2014c05a', "cls w0, w1"],
  [{ op: Op.MovWide, r0: 0, i0: 0, i1: 1, i2: 1, i3: 1 }, '2000a0d2', "mov x0, #65536"],
  [{ op: Op.MovWide, r0: 0, i0: 0, i1: 1, i2: 0, i3: 2 }, '0000c0d2', "movz x0, #0, lsl #32"],
  [{ op: Op.MovWide, r0: 0, i0: 1, i1: 1, i2: 1, i3: 0 }, '20008092', "mov x0, #-2"],
  [{ op: Op.MovWide, r0: 0, i0: 1, i1: 0, i2: 65535, i3: 0 }, 'e0ff9f12', "movn w0, #65535"],
  [{ op: Op.MovWide, r0: 5, i0: 0, i1: 0, i2: 4660, i3: 0 }, '85468252', "mov w5, #4660"],
  [{ op: Op.MovK, r0: 0, r1: 0, i1: 1, i2: 4660, i3: 1 }, '8046a2f2', "movk x0, #4660, lsl #16"],
  [{ op: Op.MovK, r0: 0, r1: 0, i1: 0, i2: 5, i3: 0 }, 'a0008072', "movk w0, #5"],
  [{ op: Op.Mov, r0: 0, r1: 1, i1: 1 }, 'e00301aa', "mov x0, x1"],
  [{ op: Op.Mov, r0: 7, r1: 8, i1: 0 }, 'e703082a', "mov w7, w8"],
  [{ op: Op.MovSp, r0: 0, r1: 31 }, 'e0030091', "mov x0, sp"],
  [{ op: Op.MovSp, r0: 29, r1: 31 }, 'fd030091', "mov x29, sp"],
  [{ op: Op.MovSp, r0: 31, r1: 29 }, 'bf030091', "mov sp, x29"],
  [{ op: Op.Extend, r0: 0, r1: 1, i0: 0, i1: 8, i2: 32 }, '201c0053', "uxtb w0, w1"],
  [{ op: Op.Extend, r0: 0, r1: 1, i0: 0, i1: 16, i2: 64 }, '203c0053', "uxth w0, w1"],
  [{ op: Op.Extend, r0: 0, r1: 1, i0: 0, i1: 32, i2: 64 }, 'e003012a', "mov w0, w1"],
  [{ op: Op.Extend, r0: 0, r1: 1, i0: 1, i1: 8, i2: 32 }, '201c0013', "sxtb w0, w1"],
  [{ op: Op.Extend, r0: 0, r1: 1, i0: 1, i1: 8, i2: 64 }, '201c4093', "sxtb x0, w1"],
  [{ op: Op.Extend, r0: 0, r1: 1, i0: 1, i1: 16, i2: 64 }, '203c4093', "sxth x0, w1"],
  [{ op: Op.Extend, r0: 0, r1: 1, i0: 1, i1: 32, i2: 64 }, '207c4093', "sxtw x0, w1"],
  [{ op: Op.CSel, r0: 0, r1: 1, r2: 2, i0: Cond.Hs, i1: 1, i2: 0 }, '2020829a', "csel x0, x1, x2, hs"],
  [{ op: Op.CSel, r0: 0, r1: 31, r2: 2, i0: Cond.Hs, i1: 1, i2: 0 }, 'e023829a', "csel x0, xzr, x2, hs"],
  [{ op: Op.CSel, r0: 0, r1: 1, r2: 2, i0: Cond.Lt, i1: 0, i2: 1 }, '20b4821a', "csinc w0, w1, w2, lt"],
  [{ op: Op.CSel, r0: 0, r1: 1, r2: 2, i0: Cond.Eq, i1: 1, i2: 2 }, '200082da', "csinv x0, x1, x2, eq"],
  [{ op: Op.CSel, r0: 0, r1: 1, r2: 1, i0: Cond.Ge, i1: 1, i2: 3 }, '20a481da', "cneg x0, x1, lt"],
  [{ op: Op.CSet, r0: 0, i0: Cond.Eq, i1: 0 }, 'e0179f1a', "cset w0, eq"],
  [{ op: Op.CSet, r0: 0, i0: Cond.Hi, i1: 1, i2: 1 }, 'e0939fda', "csetm x0, hi"],
  [{ op: Op.CCmpImm, r1: 1, i0: Cond.Eq, i1: 1, i2: 1, i3: 0 }, '200841fa', "ccmp x1, #1, #0, eq"],
  [{ op: Op.CCmpImm, r1: 1, i0: Cond.Ne, i1: 0, i2: 31, i3: 15 }, '2f185f7a', "ccmp w1, #31, #15, ne"],
  [{ op: Op.Load, r0: 0, r1: 1, i0: MemOp.ULoad64, i1: AMode.RegOffset, i2: 8 }, '200440f9', "ldr x0, [x1, #8]"],
  [{ op: Op.Load, r0: 0, r1: 1, i0: MemOp.ULoad64, i1: AMode.RegOffset, i2: 0 }, '200040f9', "ldr x0, [x1]"],
  [{ op: Op.Load, r0: 0, r1: 1, i0: MemOp.ULoad32, i1: AMode.RegOffset, i2: -3 }, '20d05fb8', "ldur w0, [x1, #-3]"],
  [{ op: Op.Load, r0: 0, r1: 1, i0: MemOp.ULoad8, i1: AMode.RegOffset, i2: 4095 }, '20fc7f39', "ldrb w0, [x1, #4095]"],
  [{ op: Op.Load, r0: 0, r1: 1, i0: MemOp.SLoad8, i1: AMode.RegOffset, i2: 1 }, '20048039', "ldrsb x0, [x1, #1]"],
  [{ op: Op.Load, r0: 0, r1: 1, i0: MemOp.ULoad16, i1: AMode.RegOffset, i2: 2 }, '20044079', "ldrh w0, [x1, #2]"],
  [{ op: Op.Load, r0: 0, r1: 1, i0: MemOp.SLoad16, i1: AMode.RegOffset, i2: -2 }, '20e09f78', "ldursh x0, [x1, #-2]"],
  [{ op: Op.Load, r0: 0, r1: 1, i0: MemOp.SLoad32, i1: AMode.RegOffset, i2: 16 }, '201080b9', "ldrsw x0, [x1, #16]"],
  [{ op: Op.Load, r0: 0, r1: 1, i0: MemOp.ULoad64, i1: AMode.RegOffset, i2: 100000 }, '10d490d23000a0f2206870f8', "mov x16, #34464\nmovk x16, #1, lsl #16\nldr x0, [x1, x16]"],
  [{ op: Op.Load, r0: 0, r1: 1, r2: 2, i0: MemOp.ULoad8, i1: AMode.RegReg }, '20686238', "ldrb w0, [x1, x2]"],
  [{ op: Op.Load, r0: 0, r1: 1, r2: 2, i0: MemOp.SLoad32, i1: AMode.RegScaled }, '2078a2b8', "ldrsw x0, [x1, x2, lsl #2]"],
  [{ op: Op.Load, r0: 0, r1: 1, r2: 2, i0: MemOp.ULoad64, i1: AMode.RegExtended, i2: 6 }, '20c862f8', "ldr x0, [x1, w2, sxtw]"],
  [{ op: Op.Load, r0: 0, r1: 1, r2: 2, i0: MemOp.ULoad32, i1: AMode.RegExtended, i2: 0x102 }, '205862b8', "ldr w0, [x1, w2, uxtw #2]"],
  [{ op: Op.Load, r0: 0, i0: MemOp.ULoad64, i1: AMode.SPOffset, i2: 24 }, 'e00f40f9', "ldr x0, [sp, #24]"],
  [{ op: Op.Load, r0: 0, i0: MemOp.ULoad64, i1: AMode.FPOffset, i2: 16 }, 'a00b40f9', "ldr x0, [x29, #16]"],
  [{ op: Op.Load, r0: 0, i0: MemOp.ULoad64, i1: AMode.SlotOffset, i2: 8 }, 'e01740f9', "ldr x0, [sp, #40]"],
  [{ op: Op.Load, r0: 0, i0: MemOp.ULoad64, i1: AMode.SpillSlot, i2: 2 }, 'e02b40f9', "ldr x0, [sp, #80]"],
  [{ op: Op.Load, r0: 19, r1: 31, i0: MemOp.ULoad64, i1: AMode.PostIndexed, i2: 16 }, 'f30741f8', "ldr x19, [sp], #16"],
  [{ op: Op.Load, r0: 3, i0: MemOp.FpuLoad32, i1: AMode.RegOffset, r1: 1, i2: 4 }, '230440bd', "ldr s3, [x1, #4]"],
  [{ op: Op.Load, r0: 3, i0: MemOp.FpuLoad64, i1: AMode.RegOffset, r1: 1, i2: 8 }, '230440fd', "ldr d3, [x1, #8]"],
  [{ op: Op.Load, r0: 3, i0: MemOp.FpuLoad128, i1: AMode.SpillSlot, i2: 1 }, 'e383c43c', "ldur q3, [sp, #72]"],
  [{ op: Op.Load, r0: 3, i0: MemOp.FpuLoad16, i1: AMode.RegOffset, r1: 1, i2: 2 }, '2304407d', "ldr h3, [x1, #2]"],
  [{ op: Op.Store, r0: 0, r1: 1, i0: MemOp.Store64, i1: AMode.RegOffset, i2: 8 }, '200400f9', "str x0, [x1, #8]"],
  [{ op: Op.Store, r0: 0, r1: 1, i0: MemOp.Store32, i1: AMode.RegOffset, i2: -4 }, '20c01fb8', "stur w0, [x1, #-4]"],
  [{ op: Op.Store, r0: 0, r1: 1, i0: MemOp.Store16, i1: AMode.RegOffset, i2: 6 }, '200c0079', "strh w0, [x1, #6]"],
  [{ op: Op.Store, r0: 0, r1: 1, i0: MemOp.Store8, i1: AMode.RegOffset, i2: 7 }, '201c0039', "strb w0, [x1, #7]"],
  [{ op: Op.Store, r0: 0, r1: 1, r2: 2, i0: MemOp.Store64, i1: AMode.RegReg }, '206822f8', "str x0, [x1, x2]"],
  [{ op: Op.Store, r0: 19, r1: 31, i0: MemOp.Store64, i1: AMode.PreIndexed, i2: -16 }, 'f30f1ff8', "str x19, [sp, #-16]!"],
  [{ op: Op.Store, r0: 0, i0: MemOp.Store64, i1: AMode.SPOffset, i2: 0 }, 'e00300f9', "str x0, [sp]"],
  [{ op: Op.Store, r0: 8, r1: 1, i0: MemOp.FpuStore64, i1: AMode.RegOffset, i2: 8 }, '280400fd', "str d8, [x1, #8]"],
  [{ op: Op.Store, r0: 8, i0: MemOp.FpuStore128, i1: AMode.SpillSlot, i2: 0 }, 'e813803d', "str q8, [sp, #64]"],
  [{ op: Op.Store, r0: 8, r1: 1, i0: MemOp.FpuStore32, i1: AMode.RegOffset, i2: 4 }, '280400bd', "str s8, [x1, #4]"],
  [{ op: Op.StorePair, r0: 29, r1: 30, r2: 31, i0: 0, i1: PairAMode.PreIndexed, i2: -16 }, 'fd7bbfa9', "stp x29, x30, [sp, #-16]!"],
  [{ op: Op.StorePair, r0: 19, r1: 20, r2: 31, i0: 0, i1: PairAMode.Offset, i2: 16 }, 'f35301a9', "stp x19, x20, [sp, #16]"],
  [{ op: Op.StorePair, r0: 8, r1: 9, r2: 31, i0: 1, i1: PairAMode.PreIndexed, i2: -16 }, 'e827bf6d', "stp d8, d9, [sp, #-16]!"],
  [{ op: Op.LoadPair, r0: 29, r1: 30, r2: 31, i0: 0, i1: PairAMode.PostIndexed, i2: 16 }, 'fd7bc1a8', "ldp x29, x30, [sp], #16"],
  [{ op: Op.LoadPair, r0: 8, r1: 9, r2: 31, i0: 1, i1: PairAMode.PostIndexed, i2: 16 }, 'e827c16c', "ldp d8, d9, [sp], #16"],
  [{ op: Op.Udf, i0: 254 }, '1fc10000', "udf #49439"],
  [{ op: Op.CallInd, r1: 3, aux: callInfo(0) }, '60003fd6', "blr x3"],
  // A `tail` callee popped its 160 (4112) bytes of stack arguments: the caller lowers SP again.
  [{ op: Op.CallInd, r1: 3, aux: callInfo(160) }, '60003fd6ff8302d1', "blr x3\nsub sp, sp, #160"],
  [{ op: Op.CallInd, r1: 3, aux: callInfo(4112) }, '60003fd6ff0740d1ff4300d1', "blr x3\nsub sp, sp, #1, lsl #12\nsub sp, sp, #16"],
  [{ op: Op.BranchReg, r1: 16 }, '00021fd6', "br x16"],
  [{ op: Op.Hint, i0: HintOp.Nop }, '1f2003d5', "nop"],
  [{ op: Op.Hint, i0: HintOp.PACIASP }, '3f2303d5', "paciasp"],
  [{ op: Op.Hint, i0: HintOp.PACIBSP }, '7f2303d5', "pacibsp"],
  [{ op: Op.Hint, i0: HintOp.AUTIASP }, 'bf2303d5', "autiasp"],
  [{ op: Op.Hint, i0: HintOp.AUTIBSP }, 'ff2303d5', "autibsp"],
  [{ op: Op.Hint, i0: HintOp.BTIC }, '5f2403d5', "bti c"],
  [{ op: Op.Hint, i0: HintOp.BTIJ }, '9f2403d5', "bti j"],
  [{ op: Op.Hint, i0: HintOp.BTIJC }, 'df2403d5', "bti jc"],
  [{ op: Op.Hint, i0: HintOp.CSDB }, '9f2203d5', "csdb"],
  [{ op: Op.Hint, i0: HintOp.PACIAZ }, '1f2303d5', "paciaz"],
  [{ op: Op.Hint, i0: HintOp.PACIBZ }, '5f2303d5', "pacibz"],
  [{ op: Op.Hint, i0: HintOp.AUTIAZ }, '9f2303d5', "autiaz"],
  [{ op: Op.Hint, i0: HintOp.AUTIBZ }, 'df2303d5', "autibz"],
  [{ op: Op.Brk }, '000020d4', "brk #0"],
  [{ op: Op.Adr, r0: 16, i0: 16 }, '90000010', "adr x16, #16"],
  [{ op: Op.LoadAddr, r0: 0, i0: AMode.SPOffset, i1: 32 }, 'e0830091', "add x0, sp, #32"],
  [{ op: Op.LoadAddr, r0: 0, i0: AMode.SPOffset, i1: 0 }, 'e0030091', "mov x0, sp"],
  [{ op: Op.LoadAddr, r0: 0, i0: AMode.SlotOffset, i1: 8 }, 'e0a30091', "add x0, sp, #40"],
  [{ op: Op.LoadAddr, r0: 0, i0: AMode.FPOffset, i1: 16 }, 'a0430091', "add x0, x29, #16"],
  [{ op: Op.LoadAddr, r0: 0, i0: AMode.SPOffset, i1: 70000 }, '102e82d23000a0f2e063308b', "mov x16, #4464\nmovk x16, #1, lsl #16\nadd x0, sp, x16"],
  [{ op: Op.LoadConst, r0: 0, i0: 0x12345678, i1: 0, i2: 1 }, '00cf8ad28046a2f2', "mov x0, #22136\nmovk x0, #4660, lsl #16"],
  [{ op: Op.LoadConst, r0: 0, i0: -2, i1: -1, i2: 1 }, '20008092', "mov x0, #-2"],
  [{ op: Op.LoadConst, r0: 0, i0: 0, i1: 0, i2: 0 }, '00008052', "mov w0, #0"],
  [{ op: Op.LoadConst, r0: 0, i0: 0x0000ffff, i1: 0x12340000, i2: 1 }, 'e0ff9fd28046e2f2', "mov x0, #65535\nmovk x0, #4660, lsl #48"],
  [{ op: Op.FpuRRR, r0: 0, r1: 1, r2: 2, i0: 0, i1: 1 }, '2028621e', "fadd d0, d1, d2"],
  [{ op: Op.FpuRRR, r0: 0, r1: 1, r2: 2, i0: 1, i1: 0 }, '2038221e', "fsub s0, s1, s2"],
  [{ op: Op.FpuRRR, r0: 0, r1: 1, r2: 2, i0: 2, i1: 1 }, '2008621e', "fmul d0, d1, d2"],
  [{ op: Op.FpuRRR, r0: 0, r1: 1, r2: 2, i0: 3, i1: 0 }, '2018221e', "fdiv s0, s1, s2"],
  [{ op: Op.FpuRRR, r0: 0, r1: 1, r2: 2, i0: 4, i1: 1 }, '2048621e', "fmax d0, d1, d2"],
  [{ op: Op.FpuRRR, r0: 0, r1: 1, r2: 2, i0: 5, i1: 0 }, '2058221e', "fmin s0, s1, s2"],
  [{ op: Op.FpuRR, r0: 0, r1: 1, i0: 0, i1: 1 }, '20c0601e', "fabs d0, d1"],
  [{ op: Op.FpuRR, r0: 0, r1: 1, i0: 1, i1: 0 }, '2040211e', "fneg s0, s1"],
  [{ op: Op.FpuRR, r0: 0, r1: 1, i0: 2, i1: 1 }, '20c0611e', "fsqrt d0, d1"],
  [{ op: Op.FpuRR, r0: 0, r1: 1, i0: 3, i1: 1 }, '20c0221e', "fcvt d0, s1"],
  [{ op: Op.FpuRR, r0: 0, r1: 1, i0: 4, i1: 0 }, '2040621e', "fcvt s0, d1"],
  [{ op: Op.FpuRR, r0: 0, r1: 1, i0: 5, i1: 1 }, '20c0641e', "frintp d0, d1"],
  [{ op: Op.FpuRR, r0: 0, r1: 1, i0: 6, i1: 0 }, '2040251e', "frintm s0, s1"],
  [{ op: Op.FpuRR, r0: 0, r1: 1, i0: 7, i1: 1 }, '20c0651e', "frintz d0, d1"],
  [{ op: Op.FpuRR, r0: 0, r1: 1, i0: 8, i1: 0 }, '2040241e', "frintn s0, s1"],
  [{ op: Op.FpuRR, r0: 0, r1: 1, i0: 9, i1: 1 }, '2040601e', "fmov d0, d1"],
  [{ op: Op.FpuRR, r0: 0, r1: 1, i0: 9, i1: 2 }, '201ca14e', "mov v0.16b, v1.16b"],
  [{ op: Op.FpuCmp, r1: 1, r2: 2, i1: 1 }, '2020621e', "fcmp d1, d2"],
  [{ op: Op.MovToFpu, r0: 0, r1: 1, i1: 1 }, '2000679e', "fmov d0, x1"],
  [{ op: Op.MovToFpu, r0: 0, r1: 1, i1: 0 }, '2000271e', "fmov s0, w1"],
  [{ op: Op.MovFromFpu, r0: 0, r1: 1, i1: 1 }, '2000669e', "fmov x0, d1"],
  [{ op: Op.MovFromFpu, r0: 0, r1: 1, i1: 0 }, '2000261e', "fmov w0, s1"],
  [{ op: Op.FpuCSel, r0: 0, r1: 1, r2: 2, i0: Cond.Ne, i1: 1 }, '201c621e', "fcsel d0, d1, d2, ne"],
  [{ op: Op.IntToFpu, r0: 0, r1: 1, i0: 1, i1: 1, i2: 1 }, '2000629e', "scvtf d0, x1"],
  [{ op: Op.IntToFpu, r0: 0, r1: 1, i0: 0, i1: 0, i2: 0 }, '2000231e', "ucvtf s0, w1"],
  [{ op: Op.FpuToInt, r0: 0, r1: 1, i0: 1, i1: 1, i2: 1 }, '2000789e', "fcvtzs x0, d1"],
  [{ op: Op.FpuToInt, r0: 0, r1: 1, i0: 0, i1: 0, i2: 0 }, '2000391e', "fcvtzu w0, s1"],
  [{ op: Op.FpuRRRR, r0: 0, r1: 1, r2: 2, r3: 3, i0: 0, i1: 1 }, '200c421f', "fmadd d0, d1, d2, d3"],
  [{ op: Op.FpuRRRR, r0: 0, r1: 1, r2: 2, r3: 3, i0: 3, i1: 0 }, '208c221f', "fnmsub s0, s1, s2, s3"],
  [{ op: Op.LoadAcquire, r0: 0, r1: 1, i1: 0 }, '20fcdf08', "ldarb w0, [x1]"],
  [{ op: Op.LoadAcquire, r0: 0, r1: 1, i1: 3 }, '20fcdfc8', "ldar x0, [x1]"],
  [{ op: Op.StoreRelease, r0: 0, r1: 1, i1: 1 }, '20fc9f48', "stlrh w0, [x1]"],
  [{ op: Op.StoreRelease, r0: 0, r1: 1, i1: 2 }, '20fc9f88', "stlr w0, [x1]"],
  [{ op: Op.Fence }, 'bf3b03d5', "dmb ish"],
  [{ op: Op.MovToVecHi, r0: 0, r1: 0, r2: 2 }, '401c184e', "mov v0.d[1], x2"],
  [{ op: Op.MovFromVecHi, r0: 0, r1: 1 }, '203c184e', "mov x0, v1.d[1]"],
  [{ op: Op.AtomicRmwLoop, r0: 0, r1: 1, r2: 2, i0: 0, i1: 3 }, '20fc5fc81000028b30fc11c8b1ffff35', "ldaxr x0, [x1]\nadd x16, x0, x2\nstlxr w17, x16, [x1]\ncbnz w17, #-12"],
  [{ op: Op.AtomicRmwLoop, r0: 0, r1: 1, r2: 2, i0: 9, i1: 0 }, '20fc5f08101c00131f82226b10b0821a30fc110871ffff35', "ldaxrb w0, [x1]\nsxtb w16, w0\ncmp w16, w2, sxtb\ncsel w16, w0, w2, lt\nstlxrb w17, w16, [x1]\ncbnz w17, #-20"],
  [{ op: Op.AtomicRmwLoop, r0: 0, r1: 1, r2: 2, i0: 3, i1: 1 }, '20fc5f481000020af003302a30fc114891ffff35', "ldaxrh w0, [x1]\nand w16, w0, w2\nmvn w16, w16\nstlxrh w17, w16, [x1]\ncbnz w17, #-16"],
  [{ op: Op.AtomicRmwLoop, r0: 0, r1: 1, r2: 2, i0: 6, i1: 2 }, '20fc5f8822fc1188d1ffff35', "ldaxr w0, [x1]\nstlxr w17, w2, [x1]\ncbnz w17, #-8"],
  [{ op: Op.AtomicRmwLoop, r0: 0, r1: 1, r2: 2, i0: 8, i1: 3 }, '20fc5fc81f0002eb1080829a30fc11c891ffff35', "ldaxr x0, [x1]\ncmp x0, x2\ncsel x16, x0, x2, hi\nstlxr w17, x16, [x1]\ncbnz w17, #-16"],
  [{ op: Op.AtomicCasLoop, r0: 0, r1: 1, r2: 2, r3: 3, i1: 0 }, '20fc5f081f00226b6100005423fc110891ffff35', "ldaxrb w0, [x1]\ncmp w0, w2, uxtb\nb.ne #12\nstlxrb w17, w3, [x1]\ncbnz w17, #-16"],
  [{ op: Op.AtomicRmwLse, r0: 0, r1: 1, r2: 2, i0: LseOp.Add, i1: 3 }, '2000e2f8', "ldaddal x2, x0, [x1]"],
  [{ op: Op.AtomicRmwLse, r0: 0, r1: 1, r2: 2, i0: LseOp.Add, i1: 0 }, '2000e238', "ldaddalb w2, w0, [x1]"],
  [{ op: Op.AtomicRmwLse, r0: 0, r1: 1, r2: 2, i0: LseOp.Clr, i1: 1 }, '2010e278', "ldclralh w2, w0, [x1]"],
  [{ op: Op.AtomicRmwLse, r0: 0, r1: 1, r2: 2, i0: LseOp.Eor, i1: 2 }, '2020e2b8', "ldeoral w2, w0, [x1]"],
  [{ op: Op.AtomicRmwLse, r0: 0, r1: 1, r2: 2, i0: LseOp.Set, i1: 3 }, '2030e2f8', "ldsetal x2, x0, [x1]"],
  [{ op: Op.AtomicRmwLse, r0: 0, r1: 1, r2: 2, i0: LseOp.Smax, i1: 3 }, '2040e2f8', "ldsmaxal x2, x0, [x1]"],
  [{ op: Op.AtomicRmwLse, r0: 0, r1: 1, r2: 2, i0: LseOp.Smin, i1: 0 }, '2050e238', "ldsminalb w2, w0, [x1]"],
  [{ op: Op.AtomicRmwLse, r0: 0, r1: 1, r2: 2, i0: LseOp.Umax, i1: 2 }, '2060e2b8', "ldumaxal w2, w0, [x1]"],
  [{ op: Op.AtomicRmwLse, r0: 0, r1: 1, r2: 2, i0: LseOp.Umin, i1: 1 }, '2070e278', "lduminalh w2, w0, [x1]"],
  [{ op: Op.AtomicRmwLse, r0: 0, r1: 1, r2: 2, i0: LseOp.Swp, i1: 3 }, '2080e2f8', "swpal x2, x0, [x1]"],
  [{ op: Op.AtomicRmwLse, r0: 0, r1: 1, r2: 2, i0: LseOp.Swp, i1: 0 }, '2080e238', "swpalb w2, w0, [x1]"],
  [{ op: Op.AtomicCasLse, r0: 2, r1: 1, r2: 2, r3: 3, i1: 3 }, '23fce2c8', "casal x2, x3, [x1]"],
  [{ op: Op.AtomicCasLse, r0: 2, r1: 1, r2: 2, r3: 3, i1: 0 }, '23fce208', "casalb w2, w3, [x1]"],
  [{ op: Op.AtomicCasLse, r0: 2, r1: 1, r2: 2, r3: 3, i1: 1 }, '23fce248', "casalh w2, w3, [x1]"],
  [{ op: Op.AtomicCasLse, r0: 2, r1: 1, r2: 2, r3: 3, i1: 2 }, '23fce288', "casal w2, w3, [x1]"],
  [{ op: Op.LabelAddress, r0: 4, i0: 0 }, '04000010', "adr x4, #0"],
  [{ op: Op.FpuCSel, r0: 0, r1: 1, r2: 2, i0: Cond.Ne, i1: 2 }, '61000054401ca24e02000014201ca14e', "b.ne #12\nmov v0.16b, v2.16b\nb #8\nmov v0.16b, v1.16b"],
  [{ op: Op.ElfTlsGetAddr, r1: 3, aux: TLS_VAR }, '00000090030040f90000009160003fd643d03bd50000038b', "adrp x0, #0\nldr x3, [x0]\nadd x0, x0, #0\nblr x3\nmrs x3, TPIDR_EL0\nadd x0, x0, x3"],
  [{ op: Op.MachOTlsGetAddr, aux: TLS_VAR }, '00000090000040f9010040f920003fd6', "adrp x0, #0\nldr x0, [x0]\nldr x1, [x0]\nblr x1"],
  // Big-endian atomic loops: the loaded and the stored value are byte-reversed.
  [{ op: Op.AtomicRmwLoop, r0: 0, r1: 1, r2: 2, i0: 0, i1: 3, i2: 1 }, '20fc5fc8000cc0da1000028b100ec0da30fc11c871ffff35', "ldaxr x0, [x1]\nrev x0, x0\nadd x16, x0, x2\nrev x16, x16\nstlxr w17, x16, [x1]\ncbnz w17, #-20"],
  [{ op: Op.AtomicRmwLoop, r0: 0, r1: 1, r2: 2, i0: 6, i1: 1, i2: 1 }, '20fc5f480004c05a5004c05a30fc114891ffff35', "ldaxrh w0, [x1]\nrev16 w0, w0\nrev16 w16, w2\nstlxrh w17, w16, [x1]\ncbnz w17, #-16"],
  [{ op: Op.AtomicRmwLoop, r0: 0, r1: 1, r2: 2, i0: 9, i1: 1, i2: 1 }, '20fc5f480004c05a103c00131fa2226b10b0821a1006c05a30fc114831ffff35', "ldaxrh w0, [x1]\nrev16 w0, w0\nsxth w16, w0\ncmp w16, w2, sxth\ncsel w16, w0, w2, lt\nrev16 w16, w16\nstlxrh w17, w16, [x1]\ncbnz w17, #-28"],
  [{ op: Op.AtomicCasLoop, r0: 0, r1: 1, r2: 2, r3: 3, i1: 2, i2: 1 }, '20fc5f880008c05a1f00026b810000547008c05a30fc118851ffff35', "ldaxr w0, [x1]\nrev w0, w0\ncmp w0, w2\nb.ne #16\nrev w16, w3\nstlxr w17, w16, [x1]\ncbnz w17, #-24"],
  [{ op: Op.Jump, i0: 0 }, '00000014', "b #0"],
  [{ op: Op.CondBr, i0: 0, i1: 0, i2: 0, i3: Cond.Eq }, '00000054ffffff17', "b.eq #0\nb #-4"],
  [{ op: Op.CondBr, r1: 3, i0: 0, i1: 0, i2: 1, i3: 1 }, '030000b4ffffff17', "cbz x3, #0\nb #-4"],
  [{ op: Op.CondBr, r1: 3, i0: 0, i1: 0, i2: 2, i3: 0 }, '03000035ffffff17', "cbnz w3, #0\nb #-4"],
  [{ op: Op.TrapIf, i0: 254, i2: 0, i3: Cond.Vs }, '260000541fc10000', "b.vs #4\nudf #49439"],
  [{ op: Op.TrapIf, r1: 2, i0: 254, i2: 1, i3: 1 }, '220000b41fc10000', "cbz x2, #4\nudf #49439"],
  // Advanced SIMD (neon.ts): i0 is the operation, i1 the VecSize (log2 lane bytes | Q << 2).
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 20, i1: 4 }, '2008204e', "rev64 v0.16b, v1.16b"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 22, i1: 4 }, '2008206e', "rev32 v0.16b, v1.16b"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 23, i1: 4 }, '2018204e', "rev16 v0.16b, v1.16b"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 23, i1: 0 }, '2018200e', "rev16 v0.8b, v1.8b"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 0, i1: 4 }, '2084224e', "add v0.16b, v1.16b, v2.16b"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 0, i1: 1 }, '2084620e', "add v0.4h, v1.4h, v2.4h"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 0, i1: 7 }, '2084e24e', "add v0.2d, v1.2d, v2.2d"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 1, i1: 5 }, '2084626e', "sub v0.8h, v1.8h, v2.8h"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 1, i1: 2 }, '2084a22e', "sub v0.2s, v1.2s, v2.2s"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 2, i1: 6 }, '209ca24e', "mul v0.4s, v1.4s, v2.4s"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 2, i1: 4 }, '209c224e', "mul v0.16b, v1.16b, v2.16b"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 3, i1: 7 }, '208ce26e', "cmeq v0.2d, v1.2d, v2.2d"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 4, i1: 5 }, '2034624e', "cmgt v0.8h, v1.8h, v2.8h"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 5, i1: 6 }, '203ca24e', "cmge v0.4s, v1.4s, v2.4s"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 6, i1: 4 }, '2034226e', "cmhi v0.16b, v1.16b, v2.16b"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 7, i1: 7 }, '203ce26e', "cmhs v0.2d, v1.2d, v2.2d"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 8, i1: 6 }, '2064a24e', "smax v0.4s, v1.4s, v2.4s"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 9, i1: 5 }, '206c624e', "smin v0.8h, v1.8h, v2.8h"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 10, i1: 4 }, '2064226e', "umax v0.16b, v1.16b, v2.16b"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 11, i1: 6 }, '206ca26e', "umin v0.4s, v1.4s, v2.4s"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 12, i1: 4 }, '200c224e', "sqadd v0.16b, v1.16b, v2.16b"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 13, i1: 5 }, '200c626e', "uqadd v0.8h, v1.8h, v2.8h"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 14, i1: 5 }, '202c624e', "sqsub v0.8h, v1.8h, v2.8h"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 15, i1: 4 }, '202c226e', "uqsub v0.16b, v1.16b, v2.16b"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 16, i1: 5 }, '2014626e', "urhadd v0.8h, v1.8h, v2.8h"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 16, i1: 0 }, '2014222e', "urhadd v0.8b, v1.8b, v2.8b"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 17, i1: 6 }, '2044a24e', "sshl v0.4s, v1.4s, v2.4s"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 18, i1: 7 }, '2044e26e', "ushl v0.2d, v1.2d, v2.2d"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 19, i1: 6 }, '20bca24e', "addp v0.4s, v1.4s, v2.4s"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 19, i1: 7 }, '20bce24e', "addp v0.2d, v1.2d, v2.2d"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 20, i1: 5 }, '20b4626e', "sqrdmulh v0.8h, v1.8h, v2.8h"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 21, i1: 6 }, '201c224e', "and v0.16b, v1.16b, v2.16b"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 21, i1: 2 }, '201c220e', "and v0.8b, v1.8b, v2.8b"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 22, i1: 4 }, '201c624e', "bic v0.16b, v1.16b, v2.16b"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 23, i1: 5 }, '201ca24e', "orr v0.16b, v1.16b, v2.16b"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 24, i1: 4 }, '201ce24e', "orn v0.16b, v1.16b, v2.16b"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 25, i1: 7 }, '201c226e', "eor v0.16b, v1.16b, v2.16b"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 26, i1: 6 }, '20d4224e', "fadd v0.4s, v1.4s, v2.4s"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 26, i1: 7 }, '20d4624e', "fadd v0.2d, v1.2d, v2.2d"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 27, i1: 2 }, '20d4a20e', "fsub v0.2s, v1.2s, v2.2s"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 28, i1: 7 }, '20dc626e', "fmul v0.2d, v1.2d, v2.2d"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 29, i1: 6 }, '20fc226e', "fdiv v0.4s, v1.4s, v2.4s"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 30, i1: 7 }, '20f4624e', "fmax v0.2d, v1.2d, v2.2d"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 31, i1: 6 }, '20f4a24e', "fmin v0.4s, v1.4s, v2.4s"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 32, i1: 6 }, '20e4224e', "fcmeq v0.4s, v1.4s, v2.4s"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 33, i1: 7 }, '20e4626e', "fcmge v0.2d, v1.2d, v2.2d"],
  [{ op: Op.VecRRR, r0: 0, r1: 1, r2: 2, i0: 34, i1: 6 }, '20e4a26e', "fcmgt v0.4s, v1.4s, v2.4s"],
  [{ op: Op.VecRRR, r0: 0, r1: 3, r2: 3, i0: 23, i1: 4 }, '601ca34e', "mov v0.16b, v3.16b"],
  [{ op: Op.VecRRRMod, r0: 0, r1: 1, r2: 2, r3: 0, i0: 35, i1: 4 }, '201c626e', "bsl v0.16b, v1.16b, v2.16b"],
  [{ op: Op.VecRRRMod, r0: 0, r1: 1, r2: 2, r3: 0, i0: 36, i1: 6 }, '20cc224e', "fmla v0.4s, v1.4s, v2.4s"],
  [{ op: Op.VecRRRMod, r0: 0, r1: 1, r2: 2, r3: 0, i0: 37, i1: 7 }, '20cce24e', "fmls v0.2d, v1.2d, v2.2d"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 0, i1: 6 }, '20b8a06e', "neg v0.4s, v1.4s"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 0, i1: 7 }, '20b8e06e', "neg v0.2d, v1.2d"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 1, i1: 4 }, '20b8204e', "abs v0.16b, v1.16b"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 1, i1: 1 }, '20b8600e', "abs v0.4h, v1.4h"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 2, i1: 4 }, '2058206e', "mvn v0.16b, v1.16b"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 3, i1: 6 }, '2098a04e', "cmeq v0.4s, v1.4s, #0"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 4, i1: 5 }, '2088606e', "cmge v0.8h, v1.8h, #0"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 5, i1: 7 }, '2088e04e', "cmgt v0.2d, v1.2d, #0"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 6, i1: 4 }, '2098206e', "cmle v0.16b, v1.16b, #0"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 7, i1: 6 }, '20a8a04e', "cmlt v0.4s, v1.4s, #0"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 8, i1: 6 }, '20f8a04e', "fabs v0.4s, v1.4s"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 8, i1: 7 }, '20f8e04e', "fabs v0.2d, v1.2d"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 9, i1: 7 }, '20f8e06e', "fneg v0.2d, v1.2d"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 10, i1: 6 }, '20f8a16e', "fsqrt v0.4s, v1.4s"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 11, i1: 7 }, '2088614e', "frintn v0.2d, v1.2d"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 12, i1: 6 }, '2098214e', "frintm v0.4s, v1.4s"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 13, i1: 7 }, '2088e14e', "frintp v0.2d, v1.2d"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 14, i1: 6 }, '2098a14e', "frintz v0.4s, v1.4s"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 15, i1: 6 }, '20d8214e', "scvtf v0.4s, v1.4s"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 15, i1: 7 }, '20d8614e', "scvtf v0.2d, v1.2d"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 16, i1: 7 }, '20d8616e', "ucvtf v0.2d, v1.2d"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 17, i1: 6 }, '20b8a14e', "fcvtzs v0.4s, v1.4s"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 18, i1: 7 }, '20b8e16e', "fcvtzu v0.2d, v1.2d"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 19, i1: 3 }, '2078610e', "fcvtl v0.2d, v1.2s"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 19, i1: 7 }, '2078614e', "fcvtl2 v0.2d, v1.4s"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 20, i1: 6 }, '2008a04e', "rev64 v0.4s, v1.4s"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 21, i1: 4 }, '2058204e', "cnt v0.16b, v1.16b"],
  [{ op: Op.VecMisc, r0: 0, r1: 1, i0: 24, i1: 4 }, '2028206e', 'uaddlp v0.8h, v1.16b'],
  [{ op: Op.VecMisc, r0: 2, r1: 3, i0: 24, i1: 5 }, '6228606e', 'uaddlp v2.4s, v3.8h'],
  [{ op: Op.VecMisc, r0: 4, r1: 5, i0: 24, i1: 6 }, 'a428a06e', 'uaddlp v4.2d, v5.4s'],
  [{ op: Op.VecMisc, r0: 6, r1: 7, i0: 24, i1: 0 }, 'e628202e', 'uaddlp v6.4h, v7.8b'],
  [{ op: Op.VecMisc, r0: 8, r1: 9, i0: 24, i1: 2 }, '2829a02e', 'uaddlp v8.1d, v9.2s'],
  [{ op: Op.VecLanes, r0: 0, r1: 1, i0: 0, i1: 6 }, '20a8b06e', "umaxv s0, v1.4s"],
  [{ op: Op.VecLanes, r0: 0, r1: 1, i0: 1, i1: 4 }, '20a8316e', "uminv b0, v1.16b"],
  [{ op: Op.VecLanes, r0: 0, r1: 1, i0: 1, i1: 5 }, '20a8716e', "uminv h0, v1.8h"],
  [{ op: Op.VecLanes, r0: 0, r1: 1, i0: 2, i1: 5 }, '20b8714e', "addv h0, v1.8h"],
  [{ op: Op.VecLanes, r0: 0, r1: 1, i0: 2, i1: 0 }, '20b8310e', "addv b0, v1.8b"],
  [{ op: Op.VecLanes, r0: 0, r1: 1, i0: 0, i1: 0 }, '20a8302e', "umaxv b0, v1.8b"],
  [{ op: Op.VecShiftImm, r0: 0, r1: 1, i0: 0, i1: 6, i2: 3 }, '2054234f', "shl v0.4s, v1.4s, #3"],
  [{ op: Op.VecShiftImm, r0: 0, r1: 1, i0: 0, i1: 4, i2: 7 }, '20540f4f', "shl v0.16b, v1.16b, #7"],
  [{ op: Op.VecShiftImm, r0: 0, r1: 1, i0: 1, i1: 5, i2: 15 }, '2004114f', "sshr v0.8h, v1.8h, #15"],
  [{ op: Op.VecShiftImm, r0: 0, r1: 1, i0: 2, i1: 7, i2: 63 }, '2004416f', "ushr v0.2d, v1.2d, #63"],
  [{ op: Op.VecShiftImm, r0: 0, r1: 1, i0: 2, i1: 4, i2: 1 }, '20040f6f', "ushr v0.16b, v1.16b, #1"],
  [{ op: Op.VecShiftImm, r0: 0, r1: 1, i0: 1, i1: 6, i2: 31 }, '2004214f', "sshr v0.4s, v1.4s, #31"],
  [{ op: Op.VecShiftImm, r0: 0, r1: 1, i0: 3, i1: 0, i2: 0 }, '20a4080f', "sshll v0.8h, v1.8b, #0"],
  [{ op: Op.VecShiftImm, r0: 0, r1: 1, i0: 3, i1: 4, i2: 0 }, '20a4084f', "sshll2 v0.8h, v1.16b, #0"],
  [{ op: Op.VecShiftImm, r0: 0, r1: 1, i0: 4, i1: 1, i2: 0 }, '20a4102f', "ushll v0.4s, v1.4h, #0"],
  [{ op: Op.VecShiftImm, r0: 0, r1: 1, i0: 4, i1: 6, i2: 0 }, '20a4206f', "ushll2 v0.2d, v1.4s, #0"],
  [{ op: Op.VecShiftImm, r0: 0, r1: 1, i0: 3, i1: 2, i2: 0 }, '20a4200f', "sshll v0.2d, v1.2s, #0"],
  [{ op: Op.VecShiftImm, r0: 0, r1: 1, i0: 4, i1: 5, i2: 0 }, '20a4106f', "ushll2 v0.4s, v1.8h, #0"],
  [{ op: Op.VecNarrow, r0: 0, r1: 1, r3: 0, i0: 0, i1: 0, i2: 0 }, '2028210e', "xtn v0.8b, v1.8h"],
  [{ op: Op.VecNarrow, r0: 0, r1: 1, r3: 0, i0: 1, i1: 0, i2: 1 }, '2048214e', "sqxtn2 v0.16b, v1.8h"],
  [{ op: Op.VecNarrow, r0: 0, r1: 1, r3: 0, i0: 2, i1: 1, i2: 0 }, '2028612e', "sqxtun v0.4h, v1.4s"],
  [{ op: Op.VecNarrow, r0: 0, r1: 1, r3: 0, i0: 3, i1: 2, i2: 1 }, '2048a16e', "uqxtn2 v0.4s, v1.2d"],
  [{ op: Op.VecNarrow, r0: 0, r1: 1, r3: 0, i0: 4, i1: 2, i2: 0 }, '2068610e', "fcvtn v0.2s, v1.2d"],
  [{ op: Op.VecNarrow, r0: 0, r1: 1, r3: 0, i0: 1, i1: 2, i2: 0 }, '2048a10e', "sqxtn v0.2s, v1.2d"],
  [{ op: Op.VecNarrow, r0: 0, r1: 1, r3: 0, i0: 3, i1: 0, i2: 0 }, '2048212e', "uqxtn v0.8b, v1.8h"],
  [{ op: Op.VecNarrow, r0: 0, r1: 1, r3: 0, i0: 2, i1: 1, i2: 1 }, '2028616e', "sqxtun2 v0.8h, v1.4s"],
  [{ op: Op.VecDup, r0: 0, r1: 1, i1: 4 }, '200c014e', "dup v0.16b, w1"],
  [{ op: Op.VecDup, r0: 0, r1: 1, i1: 5 }, '200c024e', "dup v0.8h, w1"],
  [{ op: Op.VecDup, r0: 0, r1: 1, i1: 6 }, '200c044e', "dup v0.4s, w1"],
  [{ op: Op.VecDup, r0: 0, r1: 1, i1: 7 }, '200c084e', "dup v0.2d, x1"],
  [{ op: Op.VecDup, r0: 0, r1: 1, i1: 2 }, '200c040e', "dup v0.2s, w1"],
  [{ op: Op.VecDupElement, r0: 0, r1: 1, i1: 6, i2: 0, i3: 0 }, '2004044e', "dup v0.4s, v1.s[0]"],
  [{ op: Op.VecDupElement, r0: 0, r1: 1, i1: 7, i2: 1, i3: 0 }, '2004184e', "dup v0.2d, v1.d[1]"],
  [{ op: Op.VecDupElement, r0: 0, r1: 1, i1: 4, i2: 15, i3: 0 }, '20041f4e', "dup v0.16b, v1.b[15]"],
  [{ op: Op.VecDupElement, r0: 0, r1: 1, i1: 6, i2: 2, i3: 1 }, '2004145e', "mov s0, v1.s[2]"],
  [{ op: Op.VecDupElement, r0: 0, r1: 1, i1: 7, i2: 1, i3: 1 }, '2004185e', "mov d0, v1.d[1]"],
  [{ op: Op.VecDupElement, r0: 0, r1: 1, i1: 5, i2: 3, i3: 0 }, '20040e4e', "dup v0.8h, v1.h[3]"],
  [{ op: Op.MovFromVec, r0: 0, r1: 1, i0: 0, i1: 0, i2: 15, i3: 0 }, '203c1f0e', "umov w0, v1.b[15]"],
  [{ op: Op.MovFromVec, r0: 0, r1: 1, i0: 0, i1: 1, i2: 7, i3: 0 }, '203c1e0e', "umov w0, v1.h[7]"],
  [{ op: Op.MovFromVec, r0: 0, r1: 1, i0: 0, i1: 2, i2: 3, i3: 0 }, '203c1c0e', "mov w0, v1.s[3]"],
  [{ op: Op.MovFromVec, r0: 0, r1: 1, i0: 0, i1: 3, i2: 1, i3: 1 }, '203c184e', "mov x0, v1.d[1]"],
  [{ op: Op.MovFromVec, r0: 0, r1: 1, i0: 1, i1: 0, i2: 3, i3: 0 }, '202c070e', "smov w0, v1.b[3]"],
  [{ op: Op.MovFromVec, r0: 0, r1: 1, i0: 1, i1: 1, i2: 2, i3: 1 }, '202c0a4e', "smov x0, v1.h[2]"],
  [{ op: Op.MovFromVec, r0: 0, r1: 1, i0: 1, i1: 2, i2: 1, i3: 1 }, '202c0c4e', "smov x0, v1.s[1]"],
  [{ op: Op.MovFromVec, r0: 0, r1: 1, i0: 1, i1: 0, i2: 0, i3: 1 }, '202c014e', "smov x0, v1.b[0]"],
  [{ op: Op.MovToVec, r0: 0, r1: 0, r2: 2, i1: 0, i2: 9 }, '401c134e', "mov v0.b[9], w2"],
  [{ op: Op.MovToVec, r0: 0, r1: 0, r2: 2, i1: 1, i2: 7 }, '401c1e4e', "mov v0.h[7], w2"],
  [{ op: Op.MovToVec, r0: 0, r1: 0, r2: 2, i1: 2, i2: 3 }, '401c1c4e', "mov v0.s[3], w2"],
  [{ op: Op.MovToVec, r0: 0, r1: 0, r2: 2, i1: 3, i2: 0 }, '401c084e', "mov v0.d[0], x2"],
  [{ op: Op.VecMovElement, r0: 0, r1: 0, r2: 2, i1: 0, i2: 3, i3: 9 }, '404c076e', "mov v0.b[3], v2.b[9]"],
  [{ op: Op.VecMovElement, r0: 0, r1: 0, r2: 2, i1: 1, i2: 7, i3: 0 }, '40041e6e', "mov v0.h[7], v2.h[0]"],
  [{ op: Op.VecMovElement, r0: 0, r1: 0, r2: 2, i1: 2, i2: 3, i3: 0 }, '40041c6e', "mov v0.s[3], v2.s[0]"],
  [{ op: Op.VecMovElement, r0: 0, r1: 0, r2: 2, i1: 3, i2: 1, i3: 0 }, '4004186e', "mov v0.d[1], v2.d[0]"],
  [{ op: Op.VecTbl, r0: 0, r1: 1, r2: 2, i0: 0, i1: 4 }, '2000024e', "tbl v0.16b, { v1.16b }, v2.16b"],
  [{ op: Op.VecTbl, r0: 0, r1: 1, r2: 2, r3: 0, i0: 1, i1: 4 }, '2010024e', "tbx v0.16b, { v1.16b }, v2.16b"],
  [{ op: Op.VecMoviBytes, r0: 0, i1: 4, i2: 0 }, '00e4004f', "movi v0.16b, #0"],
  [{ op: Op.VecMoviBytes, r0: 3, i1: 4, i2: 255 }, 'e3e7074f', "movi v3.16b, #255"],
  [{ op: Op.VecMoviBytes, r0: 3, i1: 0, i2: 90 }, '43e7020f', "movi v3.8b, #90"],
];

const STATE: EmitState = {
  slotBase: 32,
  spillBase: 64,
  emitEpilogue: () => undefined,
  epilogueText: () => [],
  emitReturnCall: () => {
    throw new Error('return_call needs a frame');
  },
  returnCallText: () => [],
};

function encodeWithRelocs(fields: Row[0]): ReturnType<MachBuffer['finish']> {
  const m = { ...newMInst(fields.op), ...fields };
  const buf = new MachBuffer(LABEL_USE_KINDS, BUFFER_HOOKS);
  buf.reserveLabels(1);
  buf.bindLabel(0);
  emitInst(buf, m, STATE);
  return buf.finish();
}
function encode(fields: Row[0]): Uint8Array {
  return encodeWithRelocs(fields).bytes;
}
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
function print(fields: Row[0]): string {
  return printInst({ ...newMInst(fields.op), ...fields }, STATE, HW_NAMES);
}
/**
 * Branch and `adr` targets become `<label>`; whitespace and case (llvm-mc
 * prints system registers in capitals) are normalized; `//` comments (the
 * relocation a word carries) are dropped.
 */
function normalize(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/\/\/.*$/, '').trim().replace(/\s+/g, ' ').toLowerCase())
    .map((l) => (/^(b|b\.\w+|cbn?z|bl|adr)\s/.test(l) ? l.replace(/(label\d+|#-?\d+|#trap=\w+)$/, '<label>') : l))
    .join('\n');
}
/** Rows of conditional traps list the out-of-line `udf` the buffer adds; the instruction prints only the branch. */
function printedPart(row: Row): string {
  return row[0].op === Op.TrapIf ? row[2].split('\n')[0] : row[2];
}

describe('AArch64 encodings', () => {
  it('covers every opcode the backend emits (except ABI pseudo-instructions and relocated calls)', () => {
    const covered = new Set(TABLE.map((r) => r[0].op));
    // ReturnCall is a frame-dependent sequence of covered instructions (see test/tail-call.test.ts).
    const exempt = new Set<number>([Op.Ret, Op.Args, Op.Call, Op.JTSequence, Op.LoadExtName, Op.ReturnCall]);
    const missing = Object.entries(Op).filter(([, v]) => !covered.has(v) && !exempt.has(v)).map(([k]) => k);
    expect(missing).toEqual([]);
  });

  it.each(TABLE.map((r) => [r[2].replace(/\n/g, '; '), r] as const))('encodes %s', (_name, row) => {
    expect(hex(encode(row[0]))).toBe(row[1]);
  });

  it.each(TABLE.map((r) => [r[2].replace(/\n/g, '; '), r] as const))('prints %s', (_name, row) => {
    expect(normalize(print(row[0]))).toBe(normalize(printedPart(row)));
  });

  it('agrees with llvm-mc -disassemble on every row', (ctx) => {
    const have = spawnSync('llvm-mc', ['--version']).status === 0;
    if (!have) {
      if (process.env.CI === 'true') throw new Error('llvm-mc is required under CI (install LLVM)');
      console.warn('llvm-mc not found: skipping the disassembler cross-check');
      ctx.skip();
      return;
    }
    // One llvm-mc run for the whole table: each row's words, then a marker word (brk #0x7777).
    const MARK = 'brk #0x7777';
    const input = TABLE.map((r) => {
      const b = encode(r[0]);
      const words: string[] = [];
      for (let i = 0; i < b.length; i += 4) words.push(Array.from(b.subarray(i, i + 4), (x) => `0x${x.toString(16).padStart(2, '0')}`).join(' '));
      return [...words, '0xe0 0xee 0x2e 0xd4'].join('\n');
    }).join('\n');
    const out = execFileSync('llvm-mc', ['-triple=aarch64', '-mattr=+pauth,+bti,+fullfp16,+lse,+neon', '-disassemble'], { input: input + '\n' }).toString();
    const lines = out.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('.text'));
    const groups: string[][] = [[]];
    for (const l of lines) {
      if (l.replace(/\s+/g, ' ') === MARK) groups.push([]);
      else groups[groups.length - 1].push(l);
    }
    groups.pop();
    expect(groups.length).toBe(TABLE.length);
    const mismatches: string[] = [];
    TABLE.forEach((row, i) => {
      const want = normalize(printedPart(row) === row[2] ? print(row[0]) : row[2]);
      const got = normalize(groups[i].join('\n'));
      if (row[0].op === Op.TrapIf ? normalize(print(row[0])) !== got.split('\n')[0] : got !== want) mismatches.push(`${row[2]}: llvm-mc says ${got}`);
    });
    expect(mismatches).toEqual([]);
  });
});

describe('relocated sequences', () => {
  it('puts each TLS relocation on the instruction it patches', () => {
    const elf = encodeWithRelocs({ op: Op.ElfTlsGetAddr, r1: 3, aux: TLS_VAR });
    expect(elf.relocations.map((r) => [r.offset, r.kind, r.target])).toEqual([
      [0, 'Aarch64TlsDescAdrPage21', TLS_VAR.target],
      [4, 'Aarch64TlsDescLd64Lo12', TLS_VAR.target],
      [8, 'Aarch64TlsDescAddLo12', TLS_VAR.target],
      [12, 'Aarch64TlsDescCall', TLS_VAR.target],
    ]);
    const macho = encodeWithRelocs({ op: Op.MachOTlsGetAddr, aux: TLS_VAR });
    expect(macho.relocations.map((r) => [r.offset, r.kind])).toEqual([
      [0, 'MachOAarch64TlsAdrPage21'],
      [4, 'MachOAarch64TlsAdrPageOff12'],
    ]);
  });
  it('resolves a label address to its block', () => {
    const m = { ...newMInst(Op.LabelAddress), r0: 2, i0: 1 };
    const buf = new MachBuffer(LABEL_USE_KINDS, BUFFER_HOOKS);
    buf.reserveLabels(2);
    buf.bindLabel(0);
    emitInst(buf, m, STATE);
    for (let i = 0; i < 5; i++) buf.put4(0xd503201f);
    buf.bindLabel(1);
    buf.put4(0xd65f03c0);
    // adr x2, #24: immlo = 0, immhi = 6.
    expect(hex(buf.finish().bytes.subarray(0, 4))).toBe('c2000010');
  });
});

describe('immediates', () => {
  it('finds logical immediates and decodes them back', () => {
    for (const [v, bits] of [[0xffn, 64], [0x5555555555555555n, 64], [0xf0f0f0f0n, 32], [0x7ffffffen, 32], [1n << 63n, 64], [0xfffffffffffffffen, 64]] as const) {
      const e = ImmLogic.maybeFrom(v, bits);
      expect(e).toBeDefined();
      expect(ImmLogic.value(e!, bits)).toBe(BigInt.asUintN(bits, v));
    }
    for (const [v, bits] of [[0n, 64], [-1n, 64], [0x1234n, 64], [0xffffffffn, 32], [5n, 32]] as const) expect(ImmLogic.maybeFrom(v, bits)).toBeUndefined();
  });
  it('encodes exactly the values a BigInt model of the definition accepts', () => {
    // The definition, directly: the smallest element the value repeats at
    // must be a rotated run of ones (not all zeros or all ones).
    const model = (value: bigint, bits: 32 | 64): { n: number; immr: number; imms: number } | undefined => {
      const v = BigInt.asUintN(bits, value);
      const full = bits === 32 ? v | (v << 32n) : v;
      for (let size = 2; size <= 64; size *= 2) {
        const mask = (1n << BigInt(size)) - 1n;
        const e = full & mask;
        let rep = 0n;
        for (let k = 0; k < 64; k += size) rep |= e << BigInt(k);
        if (rep !== full) continue;
        for (let r = 0; r < size; r++) {
          // Rotating e left by r gives a run of ones from bit 0?
          const rotl = ((e << BigInt(r)) | (e >> BigInt(size - r))) & mask;
          const ones = rotl.toString(2).replace(/0/g, '').length;
          if (ones === 0 || ones === size || rotl !== (1n << BigInt(ones)) - 1n) continue;
          const n = size === 64 ? 1 : 0;
          if (bits === 32 && n === 1) return undefined;
          return { n, immr: r, imms: ((~(size - 1) << 1) & 0x3f) | (ones - 1) };
        }
        return undefined;
      }
      return undefined;
    };
    let state = 0x12345678;
    const rand32 = (): number => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    const samples: bigint[] = [0n, 1n, (1n << 64n) - 1n, 0xffn, 0xff00n, 0x8000000000000001n, 0xffffffffn, 0xffffffff00000000n];
    for (let i = 0; i < 3000; i++) {
      const lo = BigInt(rand32());
      const hi = BigInt(rand32());
      samples.push((hi << 32n) | lo);
      // Runs of ones at random places and element sizes, which random words rarely hit.
      const size = 2 ** (1 + (rand32() % 6));
      const ones = 1 + (rand32() % (size - 1));
      const r = rand32() % size;
      let e = (1n << BigInt(ones)) - 1n;
      e = ((e << BigInt(r)) | (e >> BigInt(size - r))) & ((1n << BigInt(size)) - 1n);
      let v = 0n;
      for (let k = 0; k < 64; k += size) v |= e << BigInt(k);
      samples.push(v, v ^ (1n << BigInt(rand32() % 64)));
    }
    const bad: string[] = [];
    for (const v of samples) {
      for (const bits of [32, 64] as const) {
        const m = model(v, bits);
        const got = ImmLogic.maybeFrom(v, bits);
        const want = m === undefined ? undefined : (m.n << 12) | (m.immr << 6) | m.imms;
        if (got !== want) bad.push(`${v.toString(16)}/${bits}: ${got} vs ${want}`);
        else if (got !== undefined && ImmLogic.value(got, bits) !== BigInt.asUintN(bits, v)) bad.push(`${v.toString(16)}/${bits}: decodes to ${ImmLogic.value(got, bits).toString(16)}`);
      }
    }
    expect(bad.slice(0, 10)).toEqual([]);
  });
  it('accepts 12-bit immediates with an optional shift', () => {
    expect(Imm12.value(Imm12.maybeFrom(4095)!)).toBe(4095);
    expect(Imm12.value(Imm12.maybeFrom(0x7ff000)!)).toBe(0x7ff000);
    expect(Imm12.maybeFrom(4097)).toBeUndefined();
    expect(Imm12.maybeFrom(-1)).toBeUndefined();
  });
});

// Keep the enum imports used by the table even if a future edit drops a row kind.
void [ALUOp, AMode, BitOp, Cond, HintOp, LseOp, MemOp, PairAMode];
