// AArch64 lowering: the `Context` the generated ISLE matchers (from
// isle/*.isle into generated/lower.ts) call back into, and the
// `LowerBackend` the codegen driver calls. Rules choose instructions;
// this module reads CLIF operands, folds constants into immediate forms,
// allocates temporaries and appends machine instructions.
//
// Invariants: every constructor returns a fresh vreg (or its input, when
// nothing needs doing) and never reads the flags a previous constructor of
// the same CLIF instruction set, except those that consume a `Cond`.

import {
  computeSigData,
  InstFlags,
  layoutStackSlots,
  type AbiArg,
  type Flags,
  type Lower,
  type LowerBackend,
  type RelocTarget,
  type SigData,
} from '@clift/codegen';
import {
  type FuncRef,
  I128,
  I16,
  I32,
  I64,
  I8,
  INVALID,
  IntCC,
  MemFlagBit,
  MemFlags,
  NONE,
  Opcode,
  TrapCode,
  isDynamicVector,
  isFloat,
  isInt,
  isVector,
  isScalar,
  typeBits,
  wordsToI64,
  type ExternalName,
  type Function,
  type Inst,
  type SigRef,
  type Signature,
  type StackSlot,
  type Type,
  type Value,
} from '@clift/ir';
import { RegClass, type PReg, type VReg } from '@clift/regalloc';
import { AARCH64_ABI } from './abi.js';
import { ALUOp, AMode, BitOp, CondKind, CSelOp, Cond, HintOp, MemOp, condFromIntCC, condInvert, type ALUOp3, type ShiftOp } from './inst/args.js';
import { Imm12, ImmLogic } from './inst/imms.js';
import { Op, type CallInfo, type FixedReg, type JumpTableInfo } from './inst/mod.js';
import { FP, SP, XZR, type Reg } from './inst/regs.js';
import { constructor_lower, constructor_lower_branch, type Context } from './generated/lower.js';
import { RULES_BY_OPCODE } from './generated/rule-index.js';

/** Per-function ABI facts gathered while lowering, used by emission. */
export interface FunctionAbi {
  readonly sig: SigData;
  readonly callConv: Signature['callConv'];
  /** Offsets of explicit stack slots inside their area. */
  readonly slotOffsets: Int32Array;
  isLeaf: boolean;
  /** Largest outgoing argument + return area of any call. */
  outgoingArgsSize: number;
  /** vreg holding the return-area address (callee side), if any. */
  retAreaPtr: VReg | undefined;
}

const SIZE32 = 0;
const SIZE64 = 1;
function sizeOf(ty: Type): number {
  return typeBits(ty) > 32 ? SIZE64 : SIZE32;
}

function externalTarget(func: Function, name: ExternalName): { target: RelocTarget; text: string } {
  switch (name.kind) {
    case 'user': {
      const n = func.userNamedFuncs[name.ref];
      const s = n === undefined ? `userextname${name.ref}` : `u${n.namespace}:${n.index}`;
      return { target: { kind: 'symbol', name: s }, text: s };
    }
    case 'testcase':
      return { target: { kind: 'symbol', name: name.name }, text: `%${name.name}` };
    case 'libcall':
      return { target: { kind: 'libcall', name: name.name }, text: `%${name.name}` };
    case 'known_symbol':
      return { target: { kind: 'symbol', name: name.name }, text: name.name };
  }
}

export class AArch64Lowering implements Context, LowerBackend {
  readonly isaName = 'aarch64';
  readonly $I8 = I8;
  readonly $I16 = I16;
  readonly $I32 = I32;
  readonly $I64 = I64;
  readonly $I128 = I128;
  private ctx!: Lower;
  private targets: Int32Array = new Int32Array(0);
  /** Output buffer: per produced value, two register slots. */
  private readonly out = new Int32Array(8);
  readonly abi: FunctionAbi;

  constructor(
    private readonly func: Function,
    private readonly flags: Flags,
  ) {
    const sig = computeSigData(AARCH64_ABI, func.signature, flags);
    this.abi = {
      sig,
      callConv: func.signature.callConv,
      slotOffsets: layoutStackSlots(func).offsets,
      isLeaf: true,
      outgoingArgsSize: 0,
      retAreaPtr: undefined,
    };
  }

  // -------------------------------------------------------------------------
  // LowerBackend

  lowerInst(ctx: Lower, inst: Inst): boolean {
    this.ctx = ctx;
    if (isVector(ctx.instType(inst)) || isDynamicVector(ctx.instType(inst))) throw ctx.unsupported('SIMD is not implemented yet');
    const n = constructor_lower(this, inst);
    if (n === undefined) return false;
    for (let i = 0; i < n; i++) ctx.setResult(i, this.out[2 * i], this.out[2 * i + 1]);
    return true;
  }
  lowerBranch(ctx: Lower, inst: Inst, targets: Int32Array): boolean {
    this.ctx = ctx;
    this.targets = targets;
    return constructor_lower_branch(this, inst) !== undefined;
  }
  genJump(ctx: Lower, target: number): void {
    ctx.emit(Op.Jump, 0, 0, 0, 0, target, 0, 0, 0, undefined, InstFlags.Branch);
  }
  regClasses(ty: Type): readonly RegClass[] | undefined {
    if (!isScalar(ty)) return undefined;
    if (isInt(ty)) return typeBits(ty) === 128 ? [RegClass.Int, RegClass.Int] : [RegClass.Int];
    if (isFloat(ty)) return [RegClass.Float];
    return undefined;
  }
  rulesFor(opcode: Opcode): readonly string[] {
    return RULES_BY_OPCODE[opcode] ?? [];
  }

  genArgs(ctx: Lower): void {
    this.ctx = ctx;
    const regs = ctx.entryParamRegs();
    const defs: FixedReg[] = [];
    const loads: [VReg, Type, number][] = [];
    let k = 0;
    for (const a of this.abi.sig.params) {
      for (const s of a.slots) {
        const v = regs[k++];
        if (s.kind === 'reg') defs.push({ vreg: v, preg: s.preg });
        else loads.push([v, s.ty, s.offset]);
      }
    }
    const rap = this.abi.sig.retAreaPtr;
    if (rap) {
      const v = this.retAreaPtrReg();
      const s = rap.slots[0];
      if (s.kind === 'reg') defs.push({ vreg: v, preg: s.preg });
      else loads.push([v, I64, s.offset]);
    }
    ctx.emit(Op.Args, 0, 0, 0, 0, 0, 0, 0, 0, { defs });
    for (const [v, ty, off] of loads) ctx.emit(Op.Load, v, 0, 0, 0, this.loadMemOp(ty), AMode.FPOffset, 16 + off, 0);
  }

  /** The vreg holding the return-area address (defined by the entry block's arguments). */
  private retAreaPtrReg(): VReg {
    this.abi.retAreaPtr ??= this.ctx.allocTmp(RegClass.Int);
    return this.abi.retAreaPtr;
  }

  // -------------------------------------------------------------------------
  // Helpers

  private tmp(cls: RegClass = RegClass.Int): VReg {
    return this.ctx.allocTmp(cls);
  }
  private emit(op: number, r0: number, r1: number, r2: number, r3: number, i0: number, i1: number, i2: number, i3: number, aux?: unknown, flags = 0): void {
    this.ctx.emit(op, r0, r1, r2, r3, i0, i1, i2, i3, aux, flags);
  }
  private get dfg() {
    return this.func.dfg;
  }
  /** The iconst value of `v` (as an unsigned value of its type's width), if it is one. */
  private constOf(v: Value): bigint | undefined {
    const inst = this.ctx.defInst(v);
    if (inst === (NONE as Inst) || this.dfg.opcode(inst) !== Opcode.Iconst) return undefined;
    const ty = this.dfg.valueTypeOf(v);
    const k = wordsToI64(this.dfg.imm0(inst), this.dfg.imm1(inst));
    return BigInt.asUintN(Math.min(64, typeBits(ty)), k);
  }
  private loadMemOp(ty: Type): number {
    if (isFloat(ty)) {
      switch (typeBits(ty)) {
        case 16: return MemOp.FpuLoad16;
        case 32: return MemOp.FpuLoad32;
        case 64: return MemOp.FpuLoad64;
        default: return MemOp.FpuLoad128;
      }
    }
    switch (typeBits(ty)) {
      case 8: return MemOp.ULoad8;
      case 16: return MemOp.ULoad16;
      case 32: return MemOp.ULoad32;
      default: return MemOp.ULoad64;
    }
  }
  private storeMemOp(ty: Type): number {
    if (isFloat(ty)) {
      switch (typeBits(ty)) {
        case 16: return MemOp.FpuStore16;
        case 32: return MemOp.FpuStore32;
        case 64: return MemOp.FpuStore64;
        default: return MemOp.FpuStore128;
      }
    }
    switch (typeBits(ty)) {
      case 8: return MemOp.Store8;
      case 16: return MemOp.Store16;
      case 32: return MemOp.Store32;
      default: return MemOp.Store64;
    }
  }

  // -------------------------------------------------------------------------
  // Context: types and instructions

  fits_in_64(t: Type): Type | undefined {
    return isInt(t) && isScalar(t) && typeBits(t) <= 64 ? t : undefined;
  }
  fits_in_32(t: Type): Type | undefined {
    return isInt(t) && isScalar(t) && typeBits(t) <= 32 ? t : undefined;
  }
  fits_in_16(t: Type): Type | undefined {
    return isInt(t) && isScalar(t) && typeBits(t) <= 16 ? t : undefined;
  }
  ty_32_or_64(t: Type): Type | undefined {
    return t === I32 || t === I64 ? t : undefined;
  }
  ty_bits(t: Type): number {
    return typeBits(t);
  }
  inst_opcode(inst: Inst): Opcode {
    return this.dfg.opcode(inst) as Opcode;
  }
  inst_result_type(inst: Inst): Type {
    return this.dfg.numResults(inst) > 0 ? this.dfg.valueTypeOf(this.dfg.result(inst, 0)) : INVALID;
  }
  inst_args1(inst: Inst): Value {
    return this.dfg.arg(inst, 0);
  }
  inst_args2(inst: Inst): readonly [Value, Value] {
    return [this.dfg.arg(inst, 0), this.dfg.arg(inst, 1)];
  }
  inst_args3(inst: Inst): readonly [Value, Value, Value] {
    return [this.dfg.arg(inst, 0), this.dfg.arg(inst, 1), this.dfg.arg(inst, 2)];
  }
  inst_imm64(inst: Inst): bigint {
    return BigInt.asUintN(64, wordsToI64(this.dfg.imm0(inst), this.dfg.imm1(inst)));
  }
  inst_intcc(inst: Inst): IntCC {
    return this.dfg.imm2(inst) as IntCC;
  }
  inst_trap_code(inst: Inst): TrapCode {
    return this.dfg.imm0(inst) as TrapCode;
  }
  inst_mem(inst: Inst): readonly [MemFlags, number] {
    return [this.dfg.imm0(inst) as MemFlags, this.dfg.imm1(inst)];
  }
  inst_stack_slot(inst: Inst): readonly [StackSlot, number] {
    return [this.dfg.imm0(inst) as StackSlot, this.dfg.imm1(inst)];
  }
  def_inst(v: Value): Inst | undefined {
    const i = this.ctx.defInst(v);
    return i === (NONE as Inst) ? undefined : i;
  }
  value_type(v: Value): Type {
    return this.dfg.valueTypeOf(v);
  }
  value_type_of(v: Value): Type {
    return this.dfg.valueTypeOf(v);
  }
  put_in_reg(v: Value): Reg {
    return this.ctx.putValueInReg(v);
  }
  output_reg(r: Reg): number {
    this.out[0] = r;
    this.out[1] = -1;
    return 1;
  }
  output_none(): number {
    return 0;
  }

  // -------------------------------------------------------------------------
  // Context: immediates

  imm12_from_value(v: Value): Imm12 | undefined {
    const k = this.constOf(v);
    return k === undefined ? undefined : Imm12.maybeFrom(k);
  }
  imm12_from_negated_value(v: Value): Imm12 | undefined {
    const k = this.constOf(v);
    if (k === undefined) return undefined;
    const bits = typeBits(this.dfg.valueTypeOf(v));
    const neg = BigInt.asUintN(bits, -k);
    // Only a genuinely negative constant: its negation is small.
    return k === 0n ? undefined : Imm12.maybeFrom(neg);
  }
  imm_logic_from_value(v: Value, ty: Type): ImmLogic | undefined {
    const k = this.constOf(v);
    if (k === undefined) return undefined;
    const bits = typeBits(ty) > 32 ? 64 : 32;
    const tb = typeBits(ty);
    const zext = BigInt.asUintN(tb, k);
    return ImmLogic.maybeFrom(zext, bits) ?? ImmLogic.maybeFrom(BigInt.asIntN(tb, k), bits);
  }
  shift_imm_from_value(v: Value, ty: Type): number | undefined {
    const k = this.constOf(v);
    if (k === undefined) return undefined;
    const amt = Number(k & BigInt(typeBits(ty) - 1));
    return amt === 0 ? undefined : amt;
  }
  safe_divisor(v: Value): boolean {
    const k = this.constOf(v);
    if (k === undefined) return false;
    const bits = typeBits(this.dfg.valueTypeOf(v));
    return k !== 0n && k !== (1n << BigInt(bits)) - 1n;
  }
  nonzero_const(v: Value): boolean {
    const k = this.constOf(v);
    return k !== undefined && k !== 0n;
  }
  u8_sub(a: number, b: number): number {
    return a - b;
  }
  imm12_of(n: number): Imm12 {
    const i = Imm12.maybeFrom(n);
    if (i === undefined) throw new Error(`internal: ${n} is no imm12`);
    return i;
  }
  bit_above(ty: Type): ImmLogic {
    return ImmLogic.maybeFrom(1n << BigInt(typeBits(ty)), 32)!;
  }

  // -------------------------------------------------------------------------
  // Context: instructions

  alu_rrr(op: ALUOp, ty: Type, a: Reg, b: Reg): Reg {
    const rd = this.tmp();
    const size = op === ALUOp.SMulH || op === ALUOp.UMulH ? SIZE64 : sizeOf(ty);
    this.emit(Op.AluRRR, rd, a, b, 0, op, size, 0, 0);
    return rd;
  }
  alu_rr_imm12(op: ALUOp, ty: Type, a: Reg, k: Imm12): Reg {
    const rd = this.tmp();
    this.emit(Op.AluRRImm12, rd, a, 0, 0, op, sizeOf(ty), k, 0);
    return rd;
  }
  alu_rr_imm_logic(op: ALUOp, ty: Type, a: Reg, k: ImmLogic): Reg {
    const rd = this.tmp();
    this.emit(Op.AluRRImmLogic, rd, a, 0, 0, op, sizeOf(ty), k, 0);
    return rd;
  }
  alu_rr_imm_shift(op: ALUOp, ty: Type, a: Reg, amt: number): Reg {
    const rd = this.tmp();
    if (amt === 0) this.emit(Op.Mov, rd, a, 0, 0, 0, sizeOf(ty), 0, 0, undefined, InstFlags.Move);
    else this.emit(Op.AluRRImmShift, rd, a, 0, 0, op, sizeOf(ty), amt, 0);
    return rd;
  }
  alu_rrr_shift(op: ALUOp, ty: Type, a: Reg, b: Reg, shift: ShiftOp, amt: number): Reg {
    const rd = this.tmp();
    this.emit(Op.AluRRRShift, rd, a, b, 0, op, sizeOf(ty), shift, amt);
    return rd;
  }
  alu_rrrr(op: ALUOp3, ty: Type, a: Reg, b: Reg, c: Reg): Reg {
    const rd = this.tmp();
    this.emit(Op.AluRRRR, rd, a, b, c, op, sizeOf(ty), 0, 0);
    return rd;
  }
  bit_rr(op: BitOp, ty: Type, a: Reg): Reg {
    const rd = this.tmp();
    this.emit(Op.BitRR, rd, a, 0, 0, op, sizeOf(ty), 0, 0);
    return rd;
  }
  imm(ty: Type, k: bigint): Reg {
    const rd = this.tmp();
    const bits = typeBits(ty) > 32 ? 64 : 32;
    const v = BigInt.asUintN(Math.min(typeBits(ty), 64), k);
    const size = bits === 64 ? SIZE64 : SIZE32;
    const words = (x: bigint): number => {
      let n = 0;
      for (let i = 0; i < bits; i += 16) if (((x >> BigInt(i)) & 0xffffn) !== 0n) n++;
      return n;
    };
    const ones = BigInt.asUintN(bits, ~v);
    // One instruction when possible: movz, movn, or orr with a bitmask immediate.
    if (words(v) > 1 && words(ones) > 1) {
      const logic = ImmLogic.maybeFrom(v, bits);
      if (logic !== undefined) {
        this.emit(Op.AluRRImmLogic, rd, XZR, 0, 0, ALUOp.Orr, size, logic, 0);
        return rd;
      }
    }
    this.emit(Op.LoadConst, rd, 0, 0, 0, Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0, size, 0);
    return rd;
  }
  extend(r: Reg, signed: boolean, from: number, to: number): Reg {
    if (from >= to || from >= 64) return r;
    const rd = this.tmp();
    this.emit(Op.Extend, rd, r, 0, 0, signed ? 1 : 0, from, to, 0);
    return rd;
  }
  zero_reg(): Reg {
    return XZR;
  }
  extend_for_cc(cc: IntCC, ty: Type, v: Value): Reg {
    const signed = cc === IntCC.SignedLessThan || cc === IntCC.SignedGreaterThan || cc === IntCC.SignedLessThanOrEqual || cc === IntCC.SignedGreaterThanOrEqual;
    return this.extend(this.ctx.putValueInReg(v), signed, typeBits(ty), 32);
  }

  // Flags

  cmp_rr(cc: IntCC, ty: Type, a: Reg, b: Reg): Cond {
    this.emit(Op.AluRRR, XZR, a, b, 0, ALUOp.Subs, sizeOf(ty), 0, 0);
    return condFromIntCC(cc);
  }
  cmp_imm(cc: IntCC, ty: Type, a: Reg, k: Imm12): Cond {
    this.emit(Op.AluRRImm12, XZR, a, 0, 0, ALUOp.Subs, sizeOf(ty), k, 0);
    return condFromIntCC(cc);
  }
  cmn_imm(cc: IntCC, ty: Type, a: Reg, k: Imm12): Cond {
    this.emit(Op.AluRRImm12, XZR, a, 0, 0, ALUOp.Adds, sizeOf(ty), k, 0);
    return condFromIntCC(cc);
  }
  test_nonzero(ty: Type, r: Reg): Cond {
    const bits = typeBits(ty);
    if (bits === 128) throw this.ctx.unsupported('i128 truth value');
    if (bits < 32) this.emit(Op.AluRRImmLogic, XZR, r, 0, 0, ALUOp.Ands, SIZE32, ImmLogic.maybeFrom((1n << BigInt(bits)) - 1n, 32)!, 0);
    else this.emit(Op.AluRRImm12, XZR, r, 0, 0, ALUOp.Subs, sizeOf(ty), Imm12.zero, 0);
    return Cond.Ne;
  }
  cond_invert(c: Cond): Cond {
    return condInvert(c);
  }
  cset(c: Cond): Reg {
    const rd = this.tmp();
    this.emit(Op.CSet, rd, 0, 0, 0, c, SIZE32, 0, 0);
    return rd;
  }
  csetm(c: Cond): Reg {
    const rd = this.tmp();
    this.emit(Op.CSet, rd, 0, 0, 0, c, SIZE64, 1, 0);
    return rd;
  }
  csel(c: Cond, ty: Type, a: Reg, b: Reg): Reg {
    const rd = this.tmp();
    this.emit(Op.CSel, rd, a, b, 0, c, sizeOf(ty), CSelOp.CSel, 0);
    return rd;
  }
  cneg(c: Cond, ty: Type, r: Reg): Reg {
    const rd = this.tmp();
    this.emit(Op.CSel, rd, r, r, 0, condInvert(c), sizeOf(ty), CSelOp.CSNeg, 0);
    return rd;
  }

  // Traps

  trap_if(c: Cond, code: TrapCode): number {
    this.emit(Op.TrapIf, 0, 0, 0, 0, code, 0, CondKind.Cond, c);
    return 0;
  }
  private trapOnValue(ty: Type, r: Reg, code: TrapCode, zero: boolean): number {
    const bits = typeBits(ty);
    if (bits === 128) throw this.ctx.unsupported('i128 condition');
    if (bits < 32) {
      this.test_nonzero(ty, r);
      this.emit(Op.TrapIf, 0, 0, 0, 0, code, 0, CondKind.Cond, zero ? Cond.Eq : Cond.Ne);
    } else this.emit(Op.TrapIf, 0, r, 0, 0, code, 0, zero ? CondKind.Zero : CondKind.NotZero, sizeOf(ty));
    return 0;
  }
  trap_if_zero(ty: Type, r: Reg, code: TrapCode): number {
    return this.trapOnValue(ty, r, code, true);
  }
  trap_if_nonzero(ty: Type, r: Reg, code: TrapCode): number {
    return this.trapOnValue(ty, r, code, false);
  }
  udf(code: TrapCode): number {
    this.emit(Op.Udf, 0, 0, 0, 0, code, 0, 0, 0, undefined, InstFlags.Ret);
    return 0;
  }
  nonzero_divisor(ty: Type, r: Reg): Reg {
    this.emit(Op.TrapIf, 0, r, 0, 0, TrapCode.INTEGER_DIVISION_BY_ZERO, 0, CondKind.Zero, sizeOf(ty));
    return r;
  }
  trap_if_div_overflow(ty: Type, x: Reg, y: Reg): 0 {
    const bits = typeBits(ty);
    const size = sizeOf(ty);
    let t = x;
    if (bits < 32) {
      // Move the narrow value's sign bit to bit 31 so its least value becomes INT32_MIN.
      t = this.tmp();
      this.emit(Op.AluRRImmShift, t, x, 0, 0, ALUOp.Lsl, SIZE32, 32 - bits, 0);
    }
    // y == -1 ? (t - 1 overflows iff t is the least value) : clear V.
    this.emit(Op.AluRRImm12, XZR, y, 0, 0, ALUOp.Adds, size, Imm12.maybeFrom(1)!, 0);
    this.emit(Op.CCmpImm, 0, t, 0, 0, Cond.Eq, size, 1, 0);
    this.emit(Op.TrapIf, 0, 0, 0, 0, TrapCode.INTEGER_OVERFLOW, 0, CondKind.Cond, Cond.Vs);
    return 0;
  }
  shift_amount(ty: Type, v: Value): Reg {
    const r = this.ctx.putValueInReg(v);
    const bits = typeBits(ty);
    if (bits >= 32) return r;
    return this.alu_rr_imm_logic(ALUOp.And, I32, r, ImmLogic.maybeFrom(BigInt(bits - 1), 32)!);
  }
  private maskedAmounts(ty: Type, y: Reg): [Reg, Reg] {
    const mask = ImmLogic.maybeFrom(BigInt(typeBits(ty) - 1), 32)!;
    const a = this.alu_rr_imm_logic(ALUOp.And, I32, y, mask);
    const neg = this.alu_rrr(ALUOp.Sub, I32, XZR, y);
    const b = this.alu_rr_imm_logic(ALUOp.And, I32, neg, mask);
    return [a, b];
  }
  small_rotr(ty: Type, x: Reg, y: Reg): Reg {
    const [a, b] = this.maskedAmounts(ty, y);
    const lo = this.alu_rrr(ALUOp.Lsr, I32, x, a);
    const hi = this.alu_rrr(ALUOp.Lsl, I32, x, b);
    return this.alu_rrr(ALUOp.Orr, I32, lo, hi);
  }
  small_rotl(ty: Type, x: Reg, y: Reg): Reg {
    const [a, b] = this.maskedAmounts(ty, y);
    const hi = this.alu_rrr(ALUOp.Lsl, I32, x, a);
    const lo = this.alu_rrr(ALUOp.Lsr, I32, x, b);
    return this.alu_rrr(ALUOp.Orr, I32, lo, hi);
  }
  small_rotr_imm(ty: Type, x: Reg, k: number): Reg {
    const lo = this.alu_rr_imm_shift(ALUOp.Lsr, I32, x, k);
    const hi = this.alu_rr_imm_shift(ALUOp.Lsl, I32, x, typeBits(ty) - k);
    return this.alu_rrr(ALUOp.Orr, I32, lo, hi);
  }

  // Memory

  private checkFlags(flags: MemFlags): number {
    if (MemFlags.has(flags, MemFlagBit.Big)) throw this.ctx.unsupported('big-endian memory access');
    return MemFlags.trapCode(flags) ?? 0;
  }
  /** Address operands for `p + off`: [rn, rm, amode, offset]. */
  private amode(p: Value, off: number): [Reg, Reg, number, number] {
    const inst = this.ctx.defInst(p);
    if (inst !== (NONE as Inst)) {
      const op = this.dfg.opcode(inst);
      if (op === Opcode.StackAddr) {
        const ss = this.dfg.imm0(inst);
        const total = this.abi.slotOffsets[ss] + this.dfg.imm1(inst) + off;
        return [0, 0, AMode.SlotOffset, total];
      }
      if (op === Opcode.Iadd && typeBits(this.dfg.valueTypeOf(p)) === 64) {
        const a = this.dfg.arg(inst, 0);
        const b = this.dfg.arg(inst, 1);
        for (const [base, other] of [[a, b], [b, a]] as const) {
          const k = this.constOf(other);
          if (k !== undefined) {
            const total = BigInt.asIntN(64, k) + BigInt(off);
            if (total >= -(1n << 31n) && total < 1n << 31n) return [this.ctx.putValueInReg(base), 0, AMode.RegOffset, Number(total)];
          }
        }
        if (off === 0) return [this.ctx.putValueInReg(a), this.ctx.putValueInReg(b), AMode.RegReg, 0];
      }
    }
    return [this.ctx.putValueInReg(p), 0, AMode.RegOffset, off];
  }
  load_op(opcode: Opcode, ty: Type, flags: MemFlags, p: Value, off: number): Reg {
    const trap = this.checkFlags(flags);
    let memop: number;
    switch (opcode) {
      case Opcode.Uload8: memop = MemOp.ULoad8; break;
      case Opcode.Sload8: memop = MemOp.SLoad8; break;
      case Opcode.Uload16: memop = MemOp.ULoad16; break;
      case Opcode.Sload16: memop = MemOp.SLoad16; break;
      case Opcode.Uload32: memop = MemOp.ULoad32; break;
      case Opcode.Sload32: memop = MemOp.SLoad32; break;
      default:
        if (!isScalar(ty) || typeBits(ty) > 64) throw this.ctx.unsupported();
        memop = this.loadMemOp(ty);
    }
    const [rn, rm, am, o] = this.amode(p, off);
    const rd = this.tmp(memop >= MemOp.FpuLoad16 ? RegClass.Float : RegClass.Int);
    this.emit(Op.Load, rd, rn, rm, 0, memop, am, o, trap);
    return rd;
  }
  store_op(opcode: Opcode, flags: MemFlags, x: Value, p: Value, off: number): number {
    const trap = this.checkFlags(flags);
    const ty = this.dfg.valueTypeOf(x);
    let memop: number;
    switch (opcode) {
      case Opcode.Istore8: memop = MemOp.Store8; break;
      case Opcode.Istore16: memop = MemOp.Store16; break;
      case Opcode.Istore32: memop = MemOp.Store32; break;
      default:
        if (!isScalar(ty) || typeBits(ty) > 64) throw this.ctx.unsupported();
        memop = this.storeMemOp(ty);
    }
    const rt = this.ctx.putValueInReg(x);
    const [rn, rm, am, o] = this.amode(p, off);
    this.emit(Op.Store, rt, rn, rm, 0, memop, am, o, trap);
    return 0;
  }
  stack_addr_reg(ss: StackSlot, off: number): Reg {
    const rd = this.tmp();
    this.emit(Op.LoadAddr, rd, 0, 0, 0, AMode.SlotOffset, this.abi.slotOffsets[ss] + off, 0, 0);
    return rd;
  }

  // Calls and returns

  lower_call(inst: Inst): number {
    const dfg = this.dfg;
    const isIndirect = dfg.opcode(inst) === Opcode.CallIndirect;
    let sig: Signature;
    let args: Value[];
    let callee: Reg = 0;
    let dest: { target: RelocTarget; text: string } | undefined;
    let colocated = false;
    if (isIndirect) {
      sig = dfg.signatures[dfg.imm0(inst) as SigRef]!;
      const all = dfg.instArgs(inst);
      callee = this.ctx.putValueInReg(all[0]);
      args = all.slice(1);
    } else {
      const ext = dfg.extFuncs[dfg.imm0(inst) as FuncRef]!;
      sig = dfg.signatures[ext.signature]!;
      args = dfg.instArgs(inst);
      dest = externalTarget(this.func, ext.name);
      colocated = ext.colocated;
    }
    const sd = computeSigData(AARCH64_ABI, sig, this.flags);
    if (sig.callConv === 'tail' && sd.stackArgSize > 0) throw this.ctx.unsupported('stack arguments under the tail calling convention');
    this.abi.isLeaf = false;
    this.abi.outgoingArgsSize = Math.max(this.abi.outgoingArgsSize, sd.stackArgSize + sd.stackRetSize);
    const uses: FixedReg[] = [];
    const place = (a: AbiArg, regs: readonly Reg[]): void => {
      a.slots.forEach((s, k) => {
        const r = regs[k];
        if (s.kind === 'reg') uses.push({ vreg: r as VReg, preg: s.preg });
        else this.emit(Op.Store, r, 0, 0, 0, this.storeMemOp(s.ty), AMode.SPOffset, s.offset, 0);
      });
    };
    sd.params.forEach((a, i) => {
      const v = args[i];
      const regs = a.slots.length === 2 ? this.ctx.putValueInRegs(v) : [this.ctx.putValueInReg(v)];
      place(a, regs);
    });
    if (sd.retAreaPtr) {
      const p = this.tmp();
      this.emit(Op.LoadAddr, p, 0, 0, 0, AMode.SPOffset, sd.stackArgSize, 0, 0);
      place(sd.retAreaPtr, [p]);
    }
    const defs: FixedReg[] = [];
    const results = dfg.instResults(inst);
    const resultRegs: [number, number][] = [];
    const stackLoads: [Reg, Type, number][] = [];
    sd.rets.forEach((a) => {
      const regs: number[] = [];
      for (const s of a.slots) {
        const r = this.tmp(isFloat(s.ty) ? RegClass.Float : RegClass.Int);
        regs.push(r);
        if (s.kind === 'reg') defs.push({ vreg: r, preg: s.preg });
        else stackLoads.push([r, s.ty, sd.stackArgSize + s.offset]);
      }
      resultRegs.push([regs[0], regs[1] ?? -1]);
    });
    const defPregs = new Set<number>(defs.map((d) => d.preg));
    const clobbers = AARCH64_ABI.callClobbers(sig.callConv).filter((p: PReg) => !defPregs.has(p));
    const name = dest ? dest.text : 'indirect';
    if (!isIndirect && !colocated) {
      // Far call: load the address (absolute relocation), then blr.
      const t = this.tmp();
      this.emit(Op.LoadExtName, t, 0, 0, 0, 0, 0, 0, 0, { target: dest!.target, offset: 0n, text: dest!.text });
      callee = t;
    }
    const info: CallInfo = { dest: dest?.target, uses, defs, clobbers, callee: name };
    if (!isIndirect && colocated) this.emit(Op.Call, 0, 0, 0, 0, 0, 0, 0, 0, info);
    else this.emit(Op.CallInd, 0, callee, 0, 0, 0, 0, 0, 0, info);
    for (const [r, ty, off] of stackLoads) this.emit(Op.Load, r, 0, 0, 0, this.loadMemOp(ty), AMode.SPOffset, off, 0);
    results.forEach((_, i) => this.ctx.setResult(i, resultRegs[i][0], resultRegs[i][1]));
    return 0;
  }

  lower_return(inst: Inst): number {
    const vals = this.dfg.instArgs(inst);
    const uses: FixedReg[] = [];
    this.abi.sig.rets.forEach((a, i) => {
      const v = vals[i];
      const regs = a.slots.length === 2 ? this.ctx.putValueInRegs(v) : [this.ctx.putValueInReg(v)];
      a.slots.forEach((s, k) => {
        if (s.kind === 'reg') uses.push({ vreg: regs[k], preg: s.preg });
        else {
          this.emit(Op.Store, regs[k], this.retAreaPtrReg(), 0, 0, this.storeMemOp(s.ty), AMode.RegOffset, s.offset, 0);
        }
      });
    });
    this.emit(Op.Ret, 0, 0, 0, 0, 0, 0, 0, 0, { uses, popBytes: 0 }, InstFlags.Ret);
    return 0;
  }

  lower_misc(inst: Inst): number {
    const dfg = this.dfg;
    switch (dfg.opcode(inst)) {
      case Opcode.FuncAddr: {
        const ext = dfg.extFuncs[dfg.imm0(inst) as FuncRef]!;
        const { target, text } = externalTarget(this.func, ext.name);
        const rd = this.tmp();
        this.emit(Op.LoadExtName, rd, 0, 0, 0, 0, 0, 0, 0, { target, offset: 0n, text });
        return this.output_reg(rd);
      }
      case Opcode.SymbolValue: {
        const gv = this.func.globalValues[dfg.imm0(inst)];
        if (gv?.kind !== 'symbol' || gv.tls) throw this.ctx.unsupported('symbol_value of a non-symbol global value');
        const { target, text } = externalTarget(this.func, gv.name);
        const rd = this.tmp();
        this.emit(Op.LoadExtName, rd, 0, 0, 0, 0, 0, 0, 0, { target, offset: gv.offset, text });
        return this.output_reg(rd);
      }
      case Opcode.GetFramePointer: {
        const rd = this.tmp();
        this.emit(Op.Mov, rd, FP, 0, 0, 0, SIZE64, 0, 0);
        return this.output_reg(rd);
      }
      case Opcode.GetStackPointer: {
        const rd = this.tmp();
        this.emit(Op.MovSp, rd, SP, 0, 0, 0, SIZE64, 0, 0);
        return this.output_reg(rd);
      }
      case Opcode.GetReturnAddress: {
        const rd = this.tmp();
        this.emit(Op.Load, rd, FP, 0, 0, MemOp.ULoad64, AMode.RegOffset, 8, 0);
        return this.output_reg(rd);
      }
      case Opcode.Debugtrap:
        this.emit(Op.Brk, 0, 0, 0, 0, 0, 0, 0, 0);
        return 0;
      case Opcode.Nop:
        return 0;
      default:
        throw this.ctx.unsupported();
    }
  }

  // Branches

  cond_br(c: Cond): 0 {
    this.emit(Op.CondBr, 0, 0, 0, 0, this.targets[0], this.targets[1], CondKind.Cond, c, undefined, InstFlags.Branch);
    return 0;
  }
  cond_br_nonzero(ty: Type, r: Reg): 0 {
    const bits = typeBits(ty);
    if (bits === 128) throw this.ctx.unsupported('i128 branch condition');
    if (bits < 32) return this.cond_br(this.test_nonzero(ty, r));
    this.emit(Op.CondBr, 0, r, 0, 0, this.targets[0], this.targets[1], CondKind.NotZero, sizeOf(ty), undefined, InstFlags.Branch);
    return 0;
  }
  jump_to_target(): 0 {
    this.emit(Op.Jump, 0, 0, 0, 0, this.targets[0], 0, 0, 0, undefined, InstFlags.Branch);
    return 0;
  }
  br_table_seq(ty: Type, idx: Reg): 0 {
    const n = this.targets.length - 1;
    const def = this.targets[0];
    const size = typeBits(ty) > 32 ? SIZE64 : SIZE32;
    if (n === 0) return this.jump_to_target();
    const k = Imm12.maybeFrom(n);
    if (k !== undefined) this.emit(Op.AluRRImm12, XZR, idx, 0, 0, ALUOp.Subs, size, k, 0);
    else this.emit(Op.AluRRR, XZR, idx, this.imm(size === SIZE64 ? I64 : I32, BigInt(n)), 0, ALUOp.Subs, size, 0, 0);
    // Out of range: branch to the default; clamp the index to 0 under speculation.
    const t = this.tmp();
    this.emit(Op.CSel, t, XZR, idx, 0, Cond.Hs, size, CSelOp.CSel, 0);
    this.emit(Op.Hint, 0, 0, 0, 0, HintOp.CSDB, 0, 0, 0);
    const info: JumpTableInfo = { targets: this.targets.slice(1) };
    this.emit(Op.JTSequence, 0, t, 0, 0, def, 0, 0, 0, info, InstFlags.Branch);
    return 0;
  }
}

