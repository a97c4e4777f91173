// AArch64 lowering: the `Context` the generated ISLE matchers (from
// isle/*.isle into generated/lower.ts) call back into, and the
// `LowerBackend` the codegen driver calls. Rules choose instructions;
// this module reads CLIF operands, folds constants into immediate forms,
// allocates temporaries and appends machine instructions.
//
// Invariants: every constructor returns a fresh vreg (or its input, when
// nothing needs doing) and never reads the flags a previous constructor of
// the same CLIF instruction set, except those that consume a `Cond`.
//
// One `AArch64Lowering` serves every function of its ISA (flags are read
// once); `begin` starts a function and makes its `FunctionAbi`, which the
// VCode keeps. Per-instruction paths avoid BigInt and allocation: constants
// are read as the DFG's 32-bit words, type tests are integer comparisons.

import {
  CodegenError,
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
  ClifTermFields,
  abiParam,
  AtomicRmwOp,
  type FuncRef,
  F128,
  F16,
  F32,
  F64,
  FloatCC,
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
  intType,
  laneBits,
  laneCount,
  laneType,
  vectorOf,
  isInt,
  isVector,
  isScalar,
  typeBits,
  wordsToI64,
  type Block,
  type Constant,
  type DynamicStackSlot,
  type GlobalValue,
  type Immediate,
  type ExternalName,
  type Function,
  type Inst,
  type SigRef,
  type Signature,
  type StackSlot,
  type Type,
  type Value,
} from '@clift/ir';
import { RegClass, pregHw, type PReg, type VReg } from '@clift/regalloc';
import { AARCH64_ABI, DYNAMIC_VECTOR_BYTES, TLV_CALL_CLOBBERS, allAllocatable } from './abi.js';
import { ALUOp, AMode, BitOp, CondKind, CSelOp, Cond, FpuOp1, HintOp, LseOp, MemOp, condFromIntCC, condInvert, ALUOp3, ShiftOp, type FpuOp2 } from './inst/args.js';
import { Imm12, ImmLogic } from './inst/imms.js';
import { Op, ReturnCallKind, type CallInfo, type ExtNameInfo, type FixedReg, type JumpTableInfo, type ReturnCallInfo, type TlsCallInfo } from './inst/mod.js';
import { FP, PINNED, SP, XZR, xpreg, type Reg } from './inst/regs.js';
import { VecALUOp, VecLanesOp, VecMiscOp, VecNarrowOp, VecShiftOp, VecSize, vecSize } from './inst/neon.js';
import { constructor_lower, constructor_lower_branch, constructor_lower_icmp, type Context } from './generated/lower.js';
import { RULES_BY_OPCODE } from './generated/rule-index.js';
import type { Imm64, Uimm8 } from './isle-types.js';

/** Per-function ABI facts gathered while lowering, used by emission. */
export interface FunctionAbi {
  readonly sig: SigData;
  readonly callConv: Signature['callConv'];
  /** Offsets of explicit stack slots inside their area. */
  readonly slotOffsets: Int32Array;
  /** Offsets of dynamic stack slots in the same area (after the sized ones). */
  readonly dynamicSlotOffsets: Int32Array;
  isLeaf: boolean;
  /** Largest outgoing argument + return area of any call. */
  outgoingArgsSize: number;
  /** vreg holding the return-area address (callee side), if any. */
  retAreaPtr: VReg | undefined;
  /**
   * Whether the body has a try_call: an unwinder resuming at a handler
   * restores no registers, so the frame saves every callee-saved register.
   */
  hasTryCall: boolean;
}

/**
 * Registers carrying the exception payload into a handler (upstream's
 * aarch64 exception ABI): `exn0` in x0, `exn1` in x1.
 */
const EXCEPTION_PAYLOAD_REGS: readonly PReg[] = [xpreg(0), xpreg(1)];

/** libgcc's i128 division routines, which do not trap: the caller checks the divisor first. */
const I128_DIV_LIBCALLS: ReadonlyMap<number, string> = new Map([
  [Opcode.Udiv, '__udivti3'],
  [Opcode.Sdiv, '__divti3'],
  [Opcode.Urem, '__umodti3'],
  [Opcode.Srem, '__modti3'],
]);

/** The FEAT_LSE instruction for each `AtomicRmwOp` (nand has none: it keeps the exclusive loop). */
const LSE_FOR_RMW: readonly (LseOp | undefined)[] = (() => {
  const t: (LseOp | undefined)[] = [];
  t[AtomicRmwOp.Add] = LseOp.Add;
  t[AtomicRmwOp.Sub] = LseOp.Add;
  t[AtomicRmwOp.And] = LseOp.Clr;
  t[AtomicRmwOp.Or] = LseOp.Set;
  t[AtomicRmwOp.Xor] = LseOp.Eor;
  t[AtomicRmwOp.Xchg] = LseOp.Swp;
  t[AtomicRmwOp.Umin] = LseOp.Umin;
  t[AtomicRmwOp.Umax] = LseOp.Umax;
  t[AtomicRmwOp.Smin] = LseOp.Smin;
  t[AtomicRmwOp.Smax] = LseOp.Smax;
  return t;
})();

const NO_TARGETS = new Int32Array(0);
const INT_CLASS: readonly RegClass[] = [RegClass.Int];
const INT_PAIR_CLASS: readonly RegClass[] = [RegClass.Int, RegClass.Int];
const FLOAT_CLASS: readonly RegClass[] = [RegClass.Float];

const SIZE32 = 0;
const SIZE64 = 1;
function sizeOf(ty: Type): number {
  return typeBits(ty) > 32 ? SIZE64 : SIZE32;
}

/** The condition `cc'` with `a cc b` ⇔ `b cc' a`. */
function swapIntCC(cc: IntCC): IntCC {
  switch (cc) {
    case IntCC.SignedLessThan: return IntCC.SignedGreaterThan;
    case IntCC.SignedGreaterThan: return IntCC.SignedLessThan;
    case IntCC.SignedLessThanOrEqual: return IntCC.SignedGreaterThanOrEqual;
    case IntCC.SignedGreaterThanOrEqual: return IntCC.SignedLessThanOrEqual;
    case IntCC.UnsignedLessThan: return IntCC.UnsignedGreaterThan;
    case IntCC.UnsignedGreaterThan: return IntCC.UnsignedLessThan;
    case IntCC.UnsignedLessThanOrEqual: return IntCC.UnsignedGreaterThanOrEqual;
    case IntCC.UnsignedGreaterThanOrEqual: return IntCC.UnsignedLessThanOrEqual;
    default: return cc;
  }
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

export class AArch64Lowering extends ClifTermFields implements Context, LowerBackend {
  readonly isaName = 'aarch64';
  readonly $I8 = I8;
  readonly $I16 = I16;
  readonly $I32 = I32;
  readonly $I64 = I64;
  readonly $I128 = I128;
  readonly $F16 = F16;
  readonly $F32 = F32;
  readonly $F64 = F64;
  readonly $F128 = F128;
  private ctx!: Lower;
  private targets: Int32Array = NO_TARGETS;
  /** Output buffer: per produced value, two register slots. */
  private readonly out = new Int32Array(8);
  /** The function being lowered and its ABI facts (set by `begin`). */
  private func!: Function;
  abi!: FunctionAbi;
  /** FEAT_LSE: single-instruction atomic read-modify-write and compare-and-swap. */
  private readonly hasLse: boolean;
  /** `enable_pinned_reg`: x21 holds the pinned register, outside allocation. */
  private readonly pinnedReg: boolean;
  /** `tls_model`, `libcall_call_conv` and `use_colocated_libcalls`, looked up once. */
  private readonly tlsModel: string;
  private readonly libcallCallConv: Signature['callConv'];
  private readonly colocatedLibcalls: boolean;

  /**
   * One lowering serves every function of an ISA (see AArch64Isa.lower):
   * the flags are read here once, and `begin` starts each function.
   */
  constructor(
    private readonly flags: Flags,
    isaFlags: Flags,
  ) {
    super();
    this.hasLse = isaFlags.bool('has_lse');
    this.pinnedReg = flags.bool('enable_pinned_reg');
    this.tlsModel = flags.enumValue('tls_model');
    const conv = flags.enumValue('libcall_call_conv');
    this.libcallCallConv = (conv === 'isa_default' ? 'system_v' : conv) as Signature['callConv'];
    this.colocatedLibcalls = flags.bool('use_colocated_libcalls');
  }

  /**
   * Starts lowering `func`: its signature's locations, its stack slots, and
   * a fresh `abi` record (the VCode keeps it, so it is never reused).
   */
  begin(func: Function): void {
    this.func = func;
    this.dfg = func.dfg;
    this.targets = NO_TARGETS;
    const slots = layoutStackSlots(func, DYNAMIC_VECTOR_BYTES);
    this.abi = {
      sig: computeSigData(AARCH64_ABI, func.signature, this.flags),
      callConv: func.signature.callConv,
      slotOffsets: slots.offsets,
      dynamicSlotOffsets: slots.dynamicOffsets,
      isLeaf: true,
      outgoingArgsSize: 0,
      retAreaPtr: undefined,
      hasTryCall: false,
    };
  }

  // -------------------------------------------------------------------------
  // LowerBackend

  lowerInst(ctx: Lower, inst: Inst): boolean {
    this.ctx = ctx;
    const n = constructor_lower(this, inst);
    if (n === undefined) {
      this.checkVectorSupported(ctx, inst);
      return false;
    }
    for (let i = 0; i < n; i++) ctx.setResult(i, this.out[2 * i], this.out[2 * i + 1]);
    return true;
  }
  /**
   * Names the reason in the typed error for vector types no rule can take
   * (vectors wider than 128 bits); other misses get the
   * driver's "unsupported: <opcode> <type>" error.
   */
  private checkVectorSupported(ctx: Lower, inst: Inst): void {
    const ty = ctx.instType(inst);
    if ((isVector(ty) || isDynamicVector(ty)) && typeBits(ty) > 128) throw ctx.unsupported('vectors wider than 128 bits');
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
    // Scalar types are the small numbers I8..F128 (see @clift/ir's types.ts).
    if (ty >= I8 && ty <= I64) return INT_CLASS;
    if (ty === I128) return INT_PAIR_CLASS;
    if (ty >= F16 && ty <= F128) return FLOAT_CLASS;
    // Fixed vectors of up to 128 bits live in one v register.
    if ((isVector(ty) || isDynamicVector(ty)) && typeBits(ty) <= 128) return FLOAT_CLASS;
    return undefined;
  }
  rulesFor(opcode: Opcode): readonly string[] {
    return RULES_BY_OPCODE[opcode] ?? [];
  }

  genArgs(ctx: Lower): void {
    this.ctx = ctx;
    const regs = ctx.entryParamRegs();
    const defs: FixedReg[] = [];
    let loads: [VReg, Type, number][] | undefined;
    let k = 0;
    const params = this.abi.sig.params;
    for (let i = 0; i < params.length; i++) {
      const slots = params[i].slots;
      for (let j = 0; j < slots.length; j++) {
        const s = slots[j];
        const v = regs[k++];
        if (s.kind === 'reg') defs.push({ vreg: v, preg: s.preg });
        else (loads ??= []).push([v, s.ty, s.offset]);
      }
    }
    const rap = this.abi.sig.retAreaPtr;
    if (rap) {
      const v = this.retAreaPtrReg();
      const s = rap.slots[0];
      if (s.kind === 'reg') defs.push({ vreg: v, preg: s.preg });
      else (loads ??= []).push([v, I64, s.offset]);
    }
    ctx.emit(Op.Args, 0, 0, 0, 0, 0, 0, 0, 0, { defs });
    if (loads) for (const [v, ty, off] of loads) ctx.emit(Op.Load, v, 0, 0, 0, this.loadMemOp(ty), AMode.FPOffset, 16 + off, 0);
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
  /**
   * Whether `v` is defined by an iconst; if so, `kLo`/`kHi` hold its value
   * as unsigned 32-bit words, truncated to its type's width (at most 64
   * bits). Constants are folded on every lowered instruction that could
   * take an immediate, so this reads the DFG's words and makes no BigInt.
   */
  private constWords(v: Value): boolean {
    const inst = this.ctx.defInst(v);
    if (inst === (NONE as Inst) || this.dfg.opcode(inst) !== Opcode.Iconst) return false;
    const bits = typeBits(this.dfg.valueTypeOf(v));
    let lo = this.dfg.imm0(inst) >>> 0;
    let hi = this.dfg.imm1(inst) >>> 0;
    if (bits <= 32) {
      hi = 0;
      if (bits < 32) lo = (lo & ((1 << bits) - 1)) >>> 0;
    }
    this.kLo = lo;
    this.kHi = hi;
    return true;
  }
  /** The last constant `constWords` found (see there). */
  private kLo = 0;
  private kHi = 0;
  private loadMemOp(ty: Type): number {
    if (isFloat(ty) || isVector(ty) || isDynamicVector(ty)) {
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
    if (isFloat(ty) || isVector(ty) || isDynamicVector(ty)) {
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

  // Scalar types are the numbers I8 < I16 < I32 < I64 < I128 < F16 < F32 <
  // F64 < F128 (@clift/ir's types.ts): the tests are comparisons.
  fits_in_64(t: Type): Type | undefined {
    return t >= I8 && t <= I64 ? t : undefined;
  }
  fits_in_32(t: Type): Type | undefined {
    return t >= I8 && t <= I32 ? t : undefined;
  }
  fits_in_16(t: Type): Type | undefined {
    return t === I8 || t === I16 ? t : undefined;
  }
  ty_32_or_64(t: Type): Type | undefined {
    return t === I32 || t === I64 ? t : undefined;
  }
  ty_float_arith(t: Type): Type | undefined {
    return t === F32 || t === F64 ? t : undefined;
  }
  ty_float_bits(t: Type): Type | undefined {
    return t >= F16 && t <= F64 ? t : undefined;
  }
  ty_float(t: Type): Type | undefined {
    return t >= F16 && t <= F128 ? t : undefined;
  }
  ty_select(t: Type): Type | undefined {
    return (t >= I8 && t <= I64) || (t >= F16 && t <= F128) || this.ty_vec(t) !== undefined ? t : undefined;
  }
  ty_bits(t: Type): number {
    return typeBits(t);
  }
  inst_result_type(inst: Inst): Type {
    return this.dfg.numResults(inst) > 0 ? this.dfg.valueTypeOf(this.dfg.result(inst, 0)) : INVALID;
  }
  u64_from_imm64(imm: Imm64): bigint {
    return BigInt.asUintN(64, imm);
  }

  // The generated CLIF terms' field accessors (`clif_opcode`,
  // `clif_value_0`, …) are ClifTermFields' (@clift/ir), shared with the
  // mid-end: each reads one field where formats.ts puts it, building nothing.
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
    return this.constWords(v) && this.kHi === 0 ? Imm12.maybeFrom(this.kLo) : undefined;
  }
  imm12_from_negated_value(v: Value): Imm12 | undefined {
    if (!this.constWords(v)) return undefined;
    const bits = typeBits(this.dfg.valueTypeOf(v));
    const lo = this.kLo;
    const hi = this.kHi;
    // Only a genuinely negative constant: its negation is small (none is, beyond 64 bits).
    if ((lo | hi) === 0 || bits > 64) return undefined;
    let nlo = -lo >>> 0;
    let nhi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    if (bits <= 32) {
      nhi = 0;
      if (bits < 32) nlo = (nlo & ((1 << bits) - 1)) >>> 0;
    }
    return nhi === 0 ? Imm12.maybeFrom(nlo) : undefined;
  }
  imm_logic_from_value(v: Value, ty: Type): ImmLogic | undefined {
    if (!this.constWords(v)) return undefined;
    const tb = typeBits(ty);
    const bits = tb > 32 ? 64 : 32;
    const lo = tb < 32 ? (this.kLo & ((1 << tb) - 1)) >>> 0 : this.kLo;
    const hi = tb <= 32 ? 0 : this.kHi;
    const logic = ImmLogic.fromWords(lo, hi, bits);
    if (logic !== undefined || tb >= 32) return logic;
    // A narrow constant may encode sign-extended instead (its upper bits are don't-care).
    const sext = (lo << (32 - tb)) >> (32 - tb);
    return ImmLogic.fromWords(sext, 0, 32);
  }
  shift_imm_from_value(v: Value, ty: Type): number | undefined {
    if (!this.constWords(v)) return undefined;
    const amt = this.kLo & (typeBits(ty) - 1);
    return amt === 0 ? undefined : amt;
  }
  safe_divisor(v: Value): boolean {
    if (!this.constWords(v)) return false;
    const bits = typeBits(this.dfg.valueTypeOf(v));
    const lo = this.kLo;
    const hi = this.kHi;
    if ((lo | hi) === 0) return false;
    // Not -1 at the type's width (a constant beyond 64 bits is never that here).
    if (bits > 64) return true;
    if (bits === 64) return !(lo === 0xffffffff && hi === 0xffffffff);
    return lo !== (bits === 32 ? 0xffffffff : (1 << bits) - 1);
  }
  nonzero_const(v: Value): boolean {
    return this.constWords(v) && (this.kLo | this.kHi) !== 0;
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
    const v = BigInt.asUintN(64, k);
    return this.immWords(ty, Number(v & 0xffffffffn), Number(v >> 32n));
  }
  /** An iconst's value (the DFG keeps it as two words: no BigInt on this common path). */
  iconst_reg(ty: Type, inst: Inst): Reg {
    return this.immWords(ty, this.dfg.imm0(inst), this.dfg.imm1(inst));
  }
  /** `imm` of the 64-bit value `hi:lo`, truncated to `ty`. */
  private immWords(ty: Type, lo: number, hi: number): Reg {
    const rd = this.tmp();
    const tb = typeBits(ty);
    const bits = tb > 32 ? 64 : 32;
    lo = tb < 32 ? (lo & ((1 << tb) - 1)) >>> 0 : lo >>> 0;
    hi = tb <= 32 ? 0 : hi >>> 0;
    const size = bits === 64 ? SIZE64 : SIZE32;
    // One instruction when possible: movz, movn, or orr with a bitmask
    // immediate; the last only when neither the value nor its complement
    // has a single nonzero 16-bit chunk.
    const chunks = (w: number): number => ((w & 0xffff) !== 0 ? 1 : 0) + (w >>> 16 !== 0 ? 1 : 0);
    const words = chunks(lo) + (bits === 64 ? chunks(hi) : 0);
    const onesWords = chunks(~lo >>> 0) + (bits === 64 ? chunks(~hi >>> 0) : 0);
    if (words > 1 && onesWords > 1) {
      const logic = ImmLogic.fromWords(lo, hi, bits);
      if (logic !== undefined) {
        this.emit(Op.AluRRImmLogic, rd, XZR, 0, 0, ALUOp.Orr, size, logic, 0);
        return rd;
      }
    }
    this.emit(Op.LoadConst, rd, 0, 0, 0, lo | 0, hi | 0, size, 0);
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
    if (isVector(ty)) {
      const fd = this.tmp(RegClass.Float);
      const bits = typeBits(ty);
      this.emit(Op.FpuCSel, fd, a, b, 0, c, bits === 128 ? 2 : bits === 64 ? SIZE64 : SIZE32, 0, 0);
      return fd;
    }
    if (isFloat(ty)) {
      // fcsel on d registers also selects f16 values (they live in the low bits);
      // f128 takes a branch diamond of q-register moves (size 2).
      const fd = this.tmp(RegClass.Float);
      this.emit(Op.FpuCSel, fd, a, b, 0, c, ty === F32 ? SIZE32 : ty === F128 ? 2 : SIZE64, 0, 0);
      return fd;
    }
    const rd = this.tmp();
    this.emit(Op.CSel, rd, a, b, 0, c, sizeOf(ty), CSelOp.CSel, 0);
    return rd;
  }
  cneg(c: Cond, ty: Type, r: Reg): Reg {
    const rd = this.tmp();
    this.emit(Op.CSel, rd, r, r, 0, condInvert(c), sizeOf(ty), CSelOp.CSNeg, 0);
    return rd;
  }

  // Floating point

  /** FP size field: 0 for s registers, 1 for d. */
  private fsize(ty: Type): number {
    return ty === F64 ? SIZE64 : SIZE32;
  }
  fpu_rrr(op: FpuOp2, ty: Type, a: Reg, b: Reg): Reg {
    const rd = this.tmp(RegClass.Float);
    this.emit(Op.FpuRRR, rd, a, b, 0, op, this.fsize(ty), 0, 0);
    return rd;
  }
  fpu_rr(op: FpuOp1, ty: Type, a: Reg): Reg {
    const rd = this.tmp(RegClass.Float);
    // fcvt encodes both types in its opcode; the size field then names the destination.
    this.emit(Op.FpuRR, rd, a, 0, 0, op, this.fsize(ty), 0, 0);
    return rd;
  }
  fpu_madd(ty: Type, a: Reg, b: Reg, c: Reg): Reg {
    const rd = this.tmp(RegClass.Float);
    this.emit(Op.FpuRRRR, rd, a, b, c, 0, this.fsize(ty), 0, 0);
    return rd;
  }
  /** Moves the bits of a float register to a general register (32 or 64 bits). */
  private fpToGpr(ty: Type, r: Reg): Reg {
    const rd = this.tmp();
    this.emit(Op.MovFromFpu, rd, r, 0, 0, 0, typeBits(ty) > 32 ? SIZE64 : SIZE32, 0, 0);
    return rd;
  }
  private gprToFp(ty: Type, r: Reg): Reg {
    const rd = this.tmp(RegClass.Float);
    this.emit(Op.MovToFpu, rd, r, 0, 0, 0, typeBits(ty) > 32 ? SIZE64 : SIZE32, 0, 0);
    return rd;
  }
  fp_const(ty: Type, bits: bigint): Reg {
    if (ty === F128) throw this.ctx.unsupported('f128 constants');
    const ity = typeBits(ty) > 32 ? I64 : I32;
    return this.gprToFp(ty, bits === 0n ? XZR : this.imm(ity, bits));
  }
  fp_const_inst(ty: Type, inst: Inst): Reg {
    const lo = BigInt(this.dfg.imm0(inst) >>> 0);
    const bits = ty === F64 ? (BigInt(this.dfg.imm1(inst) >>> 0) << 32n) | lo : ty === F16 ? lo & 0xffffn : lo;
    return this.fp_const(ty, bits);
  }
  fcopysign_seq(ty: Type, x: Reg, y: Reg): Reg {
    const ity = ty === F64 ? I64 : I32;
    const bits = typeBits(ty);
    const sign = 1n << BigInt(bits - 1);
    const a = this.fpToGpr(ty, x);
    const b = this.fpToGpr(ty, y);
    const mag = this.alu_rr_imm_logic(ALUOp.And, ity, a, ImmLogic.maybeFrom(sign - 1n, bits === 64 ? 64 : 32)!);
    const sgn = this.alu_rr_imm_logic(ALUOp.And, ity, b, ImmLogic.maybeFrom(sign, bits === 64 ? 64 : 32)!);
    return this.gprToFp(ty, this.alu_rrr(ALUOp.Orr, ity, mag, sgn));
  }
  float_bitop(op: ALUOp, ty: Type, x: Reg, y: Reg): Reg {
    const ity = ty === F64 ? I64 : I32;
    return this.gprToFp(ty, this.alu_rrr(op, ity, this.fpToGpr(ty, x), this.fpToGpr(ty, y)));
  }
  lower_fcmp(cc: FloatCC, x: Value, y: Value): Cond {
    const ty = this.dfg.valueTypeOf(x);
    if (ty !== F32 && ty !== F64) throw this.ctx.unsupported(`fcmp on ${typeBits(ty)}-bit floats`);
    this.emit(Op.FpuCmp, 0, this.ctx.putValueInReg(x), this.ctx.putValueInReg(y), 0, 0, this.fsize(ty), 0, 0);
    // After fcmp, unordered sets C and V; "less than" is N, "greater" neither N nor Z nor V.
    switch (cc) {
      case FloatCC.Ordered: return Cond.Vc;
      case FloatCC.Unordered: return Cond.Vs;
      case FloatCC.Equal: return Cond.Eq;
      case FloatCC.NotEqual: return Cond.Ne;
      case FloatCC.LessThan: return Cond.Mi;
      case FloatCC.LessThanOrEqual: return Cond.Ls;
      case FloatCC.GreaterThan: return Cond.Gt;
      case FloatCC.GreaterThanOrEqual: return Cond.Ge;
      case FloatCC.UnorderedOrLessThan: return Cond.Lt;
      case FloatCC.UnorderedOrLessThanOrEqual: return Cond.Le;
      case FloatCC.UnorderedOrGreaterThan: return Cond.Hi;
      case FloatCC.UnorderedOrGreaterThanOrEqual: return Cond.Pl;
      case FloatCC.OrderedNotEqual: return this.condOr(Cond.Mi, Cond.Gt);
      case FloatCC.UnorderedOrEqual: return this.condOr(Cond.Eq, Cond.Vs);
    }
  }
  /** Materializes `c1 || c2` (cset; csinc) and tests it: returns Ne. */
  private condOr(c1: Cond, c2: Cond): Cond {
    const t = this.cset(c1);
    const r = this.tmp();
    this.emit(Op.CSel, r, t, XZR, 0, condInvert(c2), SIZE32, CSelOp.CSInc, 0);
    this.emit(Op.AluRRImm12, XZR, r, 0, 0, ALUOp.Subs, SIZE32, Imm12.zero, 0);
    return Cond.Ne;
  }
  cond_of_value(c: Value): Cond {
    const inst = this.ctx.defInst(c);
    if (inst !== (NONE as Inst)) {
      const op = this.dfg.opcode(inst);
      if (op === Opcode.Icmp)
        return constructor_lower_icmp(this, this.dfg.imm2(inst) as IntCC, this.dfg.arg(inst, 0), this.dfg.arg(inst, 1));
      if (op === Opcode.Fcmp) return this.lower_fcmp(this.dfg.imm2(inst) as FloatCC, this.dfg.arg(inst, 0), this.dfg.arg(inst, 1));
    }
    const ty = this.dfg.valueTypeOf(c);
    if (ty === I128) {
      const [lo, hi] = this.ctx.putValueInRegs(c);
      return this.test_nonzero(I64, this.alu_rrr(ALUOp.Orr, I64, lo, hi));
    }
    return this.test_nonzero(ty, this.ctx.putValueInReg(c));
  }
  /**
   * Float to integer. Trapping forms: NaN traps bad_toint, values whose
   * truncation leaves the result type's range trap int_ovf. Saturating forms
   * use fcvtzs/fcvtzu (which saturate at 32/64 bits and turn NaN into 0) and
   * clamp i8/i16 results.
   */
  fcvt_to_int(signed: boolean, sat: boolean, outTy: Type, x: Value): Reg {
    const inTy = this.dfg.valueTypeOf(x);
    if (inTy !== F32 && inTy !== F64) throw this.ctx.unsupported(`conversion from ${typeBits(inTy)}-bit floats`);
    const xr = this.ctx.putValueInReg(x);
    const n = typeBits(outTy);
    const fs = this.fsize(inTy);
    if (!sat) {
      this.emit(Op.FpuCmp, 0, xr, xr, 0, 0, fs, 0, 0);
      this.emit(Op.TrapIf, 0, 0, 0, 0, TrapCode.BAD_CONVERSION_TO_INTEGER, 0, CondKind.Cond, Cond.Vs);
      const mant = inTy === F64 ? 53 : 24;
      const enc = (v: number): bigint => {
        const b = new DataView(new ArrayBuffer(8));
        if (inTy === F64) {
          b.setFloat64(0, v, true);
          return b.getBigUint64(0, true);
        }
        b.setFloat32(0, v, true);
        return BigInt(b.getUint32(0, true));
      };
      // Valid: low < x < high, where low is the float just outside the range below.
      let lowCond: Cond;
      let low: number;
      if (signed) {
        const min = -(2 ** (n - 1));
        if (n < mant) {
          low = min - 1;
          lowCond = Cond.Ls; // x <= min - 1
        } else {
          low = min;
          lowCond = Cond.Mi; // x < min
        }
      } else {
        low = -1;
        lowCond = Cond.Ls;
      }
      const high = signed ? 2 ** (n - 1) : 2 ** n;
      this.emit(Op.FpuCmp, 0, xr, this.fp_const(inTy, enc(low)), 0, 0, fs, 0, 0);
      this.emit(Op.TrapIf, 0, 0, 0, 0, TrapCode.INTEGER_OVERFLOW, 0, CondKind.Cond, lowCond);
      this.emit(Op.FpuCmp, 0, xr, this.fp_const(inTy, enc(high)), 0, 0, fs, 0, 0);
      this.emit(Op.TrapIf, 0, 0, 0, 0, TrapCode.INTEGER_OVERFLOW, 0, CondKind.Cond, Cond.Ge);
    }
    const rd = this.tmp();
    this.emit(Op.FpuToInt, rd, xr, 0, 0, signed ? 1 : 0, n > 32 ? SIZE64 : SIZE32, fs, 0);
    if (!sat || n >= 32) return rd;
    // Clamp the 32-bit result to the narrow range.
    if (signed) {
      const max = BigInt(2 ** (n - 1) - 1);
      const hi = this.imm(I32, max);
      this.emit(Op.AluRRR, XZR, rd, hi, 0, ALUOp.Subs, SIZE32, 0, 0);
      const t = this.csel(Cond.Lt, I32, rd, hi);
      const lo = this.imm(I32, BigInt.asUintN(32, -max - 1n));
      this.emit(Op.AluRRR, XZR, t, lo, 0, ALUOp.Subs, SIZE32, 0, 0);
      return this.csel(Cond.Gt, I32, t, lo);
    }
    const hi = this.imm(I32, BigInt(2 ** n - 1));
    this.emit(Op.AluRRR, XZR, rd, hi, 0, ALUOp.Subs, SIZE32, 0, 0);
    return this.csel(Cond.Lo, I32, rd, hi);
  }
  fcvt_from_int(signed: boolean, ty: Type, x: Value): Reg {
    const inTy = this.dfg.valueTypeOf(x);
    const bits = typeBits(inTy);
    if (bits > 64) throw this.ctx.unsupported('conversion from i128');
    const xr = this.extend(this.ctx.putValueInReg(x), signed, bits, 32);
    const rd = this.tmp(RegClass.Float);
    this.emit(Op.IntToFpu, rd, xr, 0, 0, signed ? 1 : 0, bits > 32 ? SIZE64 : SIZE32, this.fsize(ty), 0);
    return rd;
  }
  bitcast_reg(ty: Type, x: Value): Reg {
    const inTy = this.dfg.valueTypeOf(x);
    const fromF = isFloat(inTy) || isVector(inTy);
    const toF = isFloat(ty) || isVector(ty);
    // Between v-register types of any width (f128, vectors) the bits stay put.
    if ((typeBits(inTy) > 64 || typeBits(ty) > 64) && !(fromF && toF)) throw this.ctx.unsupported('128-bit bitcast');
    const r = this.ctx.putValueInReg(x);
    if (fromF === toF) return r;
    return toF ? this.gprToFp(ty, r) : this.fpToGpr(inTy, r);
  }

  // -------------------------------------------------------------------------
  // Vectors (Advanced SIMD)
  //
  // Values of 64- and 128-bit vector types live in one v register; the
  // upper half of a register holding a 64-bit vector is undefined.

  ty_vec(t: Type): Type | undefined {
    // A dynamic vector is one 128-bit register without SVE (DYNAMIC_VECTOR_BYTES),
    // so its minimum size is its size.
    if (!isVector(t) && !isDynamicVector(t)) return undefined;
    const bits = typeBits(t);
    return (bits === 64 || bits === 128) && laneBits(t) <= 64 ? t : undefined;
  }
  ty_vec128(t: Type): Type | undefined {
    return this.ty_vec(t) !== undefined && typeBits(t) === 128 ? t : undefined;
  }
  ty_vec_mem(t: Type): Type | undefined {
    if (!isVector(t) && !isDynamicVector(t)) return undefined;
    const bits = typeBits(t);
    return bits >= 16 && bits <= 128 ? t : undefined;
  }
  vec_extract_vector(x: Reg, idx: Uimm8): Reg {
    // With 128-bit dynamic vectors there is one fixed vector in each: index 0.
    if (idx !== 0) throw this.ctx.unsupported(`part ${idx} of a 128-bit dynamic vector`);
    return x;
  }
  ty_vec64(t: Type): Type | undefined {
    return isVector(t) && typeBits(t) === 64 ? t : undefined;
  }
  ty_vec_int(t: Type): Type | undefined {
    return this.ty_vec(t) !== undefined && isInt(laneType(t)) ? t : undefined;
  }
  ty_vec_int_narrow(t: Type): Type | undefined {
    return this.ty_vec_int(t) !== undefined && laneBits(t) <= 32 ? t : undefined;
  }
  ty_vec_i64(t: Type): Type | undefined {
    return this.ty_vec_int(t) !== undefined && laneBits(t) === 64 ? t : undefined;
  }
  ty_vec_i8(t: Type): Type | undefined {
    return this.ty_vec_int(t) !== undefined && laneBits(t) === 8 ? t : undefined;
  }
  ty_vec_float(t: Type): Type | undefined {
    const l = laneType(t);
    return this.ty_vec(t) !== undefined && (l === F32 || l === F64) ? t : undefined;
  }

  private vsize(ty: Type): VecSize {
    return vecSize(laneBits(ty), typeBits(ty));
  }
  private vtmp(): VReg {
    return this.tmp(RegClass.Float);
  }
  private vecOp(op: VecALUOp, size: number, a: Reg, b: Reg): Reg {
    const rd = this.vtmp();
    this.emit(Op.VecRRR, rd, a, b, 0, op, size, 0, 0);
    return rd;
  }
  private vecMisc(op: VecMiscOp, size: number, a: Reg): Reg {
    const rd = this.vtmp();
    this.emit(Op.VecMisc, rd, a, 0, 0, op, size, 0, 0);
    return rd;
  }
  private vecShiftImm(op: VecShiftOp, size: number, a: Reg, amount: number): Reg {
    const rd = this.vtmp();
    this.emit(Op.VecShiftImm, rd, a, 0, 0, op, size, amount, 0);
    return rd;
  }
  vec_rrr(op: VecALUOp, ty: Type, a: Reg, b: Reg): Reg {
    return this.vecOp(op, this.vsize(ty), a, b);
  }
  vec_rrr_mod(op: VecALUOp, ty: Type, acc: Reg, a: Reg, b: Reg): Reg {
    const rd = this.vtmp();
    this.emit(Op.VecRRRMod, rd, a, b, acc, op, this.vsize(ty), 0, 0);
    return rd;
  }
  vec_misc(op: VecMiscOp, ty: Type, a: Reg): Reg {
    // fcvtl reads the low half: the 64-bit-source (Q=0) form.
    const size = op === VecMiscOp.Fcvtl ? this.vsize(ty) & 3 : this.vsize(ty);
    return this.vecMisc(op, size, a);
  }
  float_as_vec(ty: Type): Type {
    return vectorOf(I8, ty === F128 ? 16 : 8);
  }
  vec_popcnt_wide(ty: Type, x: Reg): Reg {
    const q = this.vsize(ty) & 4;
    let r = this.vecMisc(VecMiscOp.Cnt, q, x);
    for (let l = 0; l < (this.vsize(ty) & 3); l++) r = this.vecMisc(VecMiscOp.Uaddlp, q | l, r);
    return r;
  }
  vec_shift_imm(op: VecShiftOp, ty: Type, x: Reg, amount: number): Reg {
    return this.vecShiftImm(op, this.vsize(ty), x, amount);
  }
  vec_shift(opcode: Opcode, ty: Type, x: Value, y: Value): Reg {
    const lb = laneBits(ty);
    const size = this.vsize(ty);
    const xr = this.ctx.putValueInReg(x);
    if (this.constWords(y)) {
      const amt = this.kLo & (lb - 1);
      if (amt === 0) return xr;
      const op = opcode === Opcode.Ishl ? VecShiftOp.Shl : opcode === Opcode.Sshr ? VecShiftOp.Sshr : VecShiftOp.Ushr;
      return this.vecShiftImm(op, size, xr, amt);
    }
    // sshl/ushl shift by the signed low byte of each lane: right shifts negate the amount.
    let amt = this.alu_rr_imm_logic(ALUOp.And, I32, this.amountReg(y), ImmLogic.fromWords(lb - 1, 0, 32)!);
    if (opcode !== Opcode.Ishl) amt = this.alu_rrr(ALUOp.Sub, I32, XZR, amt);
    const dup = this.vtmp();
    this.emit(Op.VecDup, dup, amt, 0, 0, 0, size, 0, 0);
    return this.vecOp(opcode === Opcode.Sshr ? VecALUOp.Sshl : VecALUOp.Ushl, size, xr, dup);
  }
  vec_rotate(opcode: Opcode, ty: Type, x: Value, y: Value): Reg {
    const lb = laneBits(ty);
    const size = this.vsize(ty);
    const xr = this.ctx.putValueInReg(x);
    const left = opcode === Opcode.Rotl;
    if (this.constWords(y)) {
      const k = this.kLo & (lb - 1);
      if (k === 0) return xr;
      const l = left ? k : lb - k;
      const hi = this.vecShiftImm(VecShiftOp.Shl, size, xr, l);
      const lo = this.vecShiftImm(VecShiftOp.Ushr, size, xr, lb - l);
      return this.vecOp(VecALUOp.Orr, size, hi, lo);
    }
    // ushl by a lane-width-or-more amount (either sign) gives zero, so the
    // two halves are ushl by a and by a - lb, with a = k (rotl) or lb - k (rotr).
    const k = this.alu_rr_imm_logic(ALUOp.And, I32, this.amountReg(y), ImmLogic.fromWords(lb - 1, 0, 32)!);
    const width = this.immWords(I32, lb, 0);
    const a = left ? k : this.alu_rrr(ALUOp.Sub, I32, width, k);
    const b = this.alu_rrr(ALUOp.Sub, I32, a, width);
    const dup = (r: Reg): Reg => {
      const d = this.vtmp();
      this.emit(Op.VecDup, d, r, 0, 0, 0, size, 0, 0);
      return d;
    };
    return this.vecOp(VecALUOp.Orr, size, this.vecOp(VecALUOp.Ushl, size, xr, dup(a)), this.vecOp(VecALUOp.Ushl, size, xr, dup(b)));
  }
  vec_widen(signed: boolean, ty: Type, x: Reg, high: boolean): Reg {
    // sshll/ushll #0 of the source's low (Q=0) or high (Q=1) half.
    const srcLog2 = (this.vsize(ty) & 3) - 1;
    const op = signed ? VecShiftOp.Sshll : VecShiftOp.Ushll;
    if (high && typeBits(ty) === 64) {
      // The high half of a 64-bit vector: widen it whole, then take the upper doubleword.
      const wide = this.vecShiftImm(op, srcLog2, x, 0);
      const rd = this.vtmp();
      this.emit(Op.VecDupElement, rd, wide, 0, 0, 0, VecSize.V2D, 1, 0);
      return rd;
    }
    return this.vecShiftImm(op, srcLog2 | (high ? 4 : 0), x, 0);
  }
  vec_load_extend(signed: boolean, ty: Type, flags: MemFlags, p: Value, off: number): Reg {
    const src = vectorOf(intType(laneBits(ty) >>> 1), laneCount(ty));
    return this.vec_widen(signed, ty, this.load_op(Opcode.Load, src, flags, p, off), false);
  }
  vec_narrow_low(op: VecNarrowOp, ty: Type, x: Reg): Reg {
    const rd = this.vtmp();
    this.emit(Op.VecNarrow, rd, x, 0, 0, op, this.vsize(ty) & 3, 0, 0);
    return rd;
  }
  vec_narrow(op: VecNarrowOp, ty: Type, x: Reg, y: Reg): Reg {
    const log2 = this.vsize(ty) & 3;
    if (typeBits(ty) === 64) {
      // Both 64-bit inputs side by side in one register, narrowed at once.
      const both = this.vtmp();
      this.emit(Op.VecMovElement, both, x, y, 0, 0, 3, 1, 0);
      return this.vec_narrow_low(op, ty, both);
    }
    const lo = this.vec_narrow_low(op, ty, x);
    const rd = this.vtmp();
    this.emit(Op.VecNarrow, rd, y, 0, lo, op, log2, 1, 0);
    return rd;
  }
  vec_splat(ty: Type, x: Value): Reg {
    const size = this.vsize(ty);
    const rd = this.vtmp();
    const r = this.ctx.putValueInReg(x);
    if (isFloat(laneType(ty))) this.emit(Op.VecDupElement, rd, r, 0, 0, 0, size, 0, 0);
    else this.emit(Op.VecDup, rd, r, 0, 0, 0, size, 0, 0);
    return rd;
  }
  vec_from_scalar(ty: Type, x: Value): Reg {
    const lb = laneBits(ty);
    const r = this.ctx.putValueInReg(x);
    const rd = this.vtmp();
    // Writing an s or d register zeroes the rest of the vector register.
    if (isFloat(laneType(ty))) {
      if (lb !== 32 && lb !== 64) throw this.ctx.unsupported();
      this.emit(Op.FpuRR, rd, r, 0, 0, FpuOp1.Mov, lb === 64 ? SIZE64 : SIZE32, 0, 0);
      return rd;
    }
    const src = lb < 32 ? this.extend(r, false, lb, 32) : r;
    this.emit(Op.MovToFpu, rd, src, 0, 0, 0, lb === 64 ? SIZE64 : SIZE32, 0, 0);
    return rd;
  }
  vec_extract_lane(ty: Type, v: Reg, idx: Uimm8): Reg {
    const log2 = this.vsize(ty) & 3;
    if (isFloat(laneType(ty))) {
      const rd = this.vtmp();
      this.emit(Op.VecDupElement, rd, v, 0, 0, 0, log2, idx, 1);
      return rd;
    }
    const rd = this.tmp();
    this.emit(Op.MovFromVec, rd, v, 0, 0, 0, log2, idx, log2 === 3 ? 1 : 0);
    return rd;
  }
  vec_insert_lane(ty: Type, v: Reg, x: Value, idx: Uimm8): Reg {
    const log2 = this.vsize(ty) & 3;
    const rd = this.vtmp();
    const r = this.ctx.putValueInReg(x);
    if (isFloat(laneType(ty))) this.emit(Op.VecMovElement, rd, v, r, 0, 0, log2, idx, 0);
    else this.emit(Op.MovToVec, rd, v, r, 0, 0, log2, idx, 0);
    return rd;
  }
  vec_const(ty: Type, c: Constant): Reg {
    const bytes = this.dfg.constants[c];
    if (bytes === undefined) throw this.ctx.unsupported(`missing constant const${c}`);
    return this.vecConstBytes(bytes, typeBits(ty));
  }
  /** A vector constant of `bits` (64 or 128) from its little-endian bytes. */
  private vecConstBytes(bytes: Uint8Array, bits: number): Reg {
    const n = bits >>> 3;
    const b = (i: number): number => (i < bytes.length ? bytes[i] : 0);
    let same = true;
    for (let i = 1; i < n; i++) if (b(i) !== b(0)) same = false;
    if (same) {
      const rd = this.vtmp();
      this.emit(Op.VecMoviBytes, rd, 0, 0, 0, 0, n === 16 ? VecSize.V16B : VecSize.V8B, b(0), 0);
      return rd;
    }
    const word = (at: number): number => (b(at) | (b(at + 1) << 8) | (b(at + 2) << 16) | (b(at + 3) << 24)) >>> 0;
    const lo0 = word(0);
    const lo1 = word(4);
    const low = (lo0 | lo1) === 0 ? XZR : this.immWords(I64, lo0, lo1);
    // fmov d, x zeroes the upper half.
    const d = this.vtmp();
    this.emit(Op.MovToFpu, d, low, 0, 0, 0, SIZE64, 0, 0);
    if (n === 8) return d;
    const hi0 = word(8);
    const hi1 = word(12);
    if ((hi0 | hi1) === 0) return d;
    const rd = this.vtmp();
    this.emit(Op.MovToVecHi, rd, d, this.immWords(I64, hi0, hi1), 0, 0, 0, 0, 0);
    return rd;
  }
  vec_tbl(_ty: Type, x: Reg, y: Reg): Reg {
    const rd = this.vtmp();
    this.emit(Op.VecTbl, rd, x, y, 0, 0, VecSize.V16B, 0, 0);
    return rd;
  }
  vec_shuffle(x: Reg, y: Reg, mask: Immediate): Reg {
    const m = this.dfg.immediates[mask];
    if (m.length !== 16) throw this.ctx.unsupported(`shuffle mask of ${m.length} bytes`);
    let fromX = false;
    let fromY = false;
    for (const i of m) {
      if (i < 16) fromX = true;
      else if (i < 32) fromY = true;
    }
    // tbl zeroes out-of-range lanes; tbx keeps them: x's bytes first, then
    // y's by indices shifted down 16 (x's indices wrap out of range).
    const shifted = m.map((i) => (i - 16) & 0xff);
    if (!fromY) return this.vec_tbl(I8, x, this.vecConstBytes(m, 128));
    if (!fromX) return this.vec_tbl(I8, y, this.vecConstBytes(shifted, 128));
    const first = this.vec_tbl(I8, x, this.vecConstBytes(m, 128));
    const rd = this.vtmp();
    this.emit(Op.VecTbl, rd, y, this.vecConstBytes(shifted, 128), first, 1, VecSize.V16B, 0, 0);
    return rd;
  }
  /** Whether `v` is an all-zero vector constant or a splat of a zero integer. */
  private isZeroVector(v: Value): boolean {
    const inst = this.ctx.defInst(v);
    if (inst === (NONE as Inst)) return false;
    const op = this.dfg.opcode(inst);
    if (op === Opcode.Vconst) {
      const bytes = this.dfg.constants[this.dfg.imm0(inst)];
      return bytes !== undefined && bytes.every((b) => b === 0);
    }
    if (op === Opcode.Splat) {
      const s = this.dfg.arg(inst, 0);
      return this.constWords(s) && (this.kLo | this.kHi) === 0;
    }
    return false;
  }
  vec_icmp(cc: IntCC, ty: Type, x: Value, y: Value): Reg {
    const size = this.vsize(ty);
    const signedOrEq = cc !== IntCC.UnsignedLessThan && cc !== IntCC.UnsignedLessThanOrEqual && cc !== IntCC.UnsignedGreaterThan && cc !== IntCC.UnsignedGreaterThanOrEqual;
    // Compares against zero (cmeq/cmge/cmgt/cmle/cmlt #0).
    if (signedOrEq && (this.isZeroVector(y) || this.isZeroVector(x))) {
      const zeroRight = this.isZeroVector(y);
      const a = this.ctx.putValueInReg(zeroRight ? x : y);
      // With zero on the left, `0 cc b` is `b cc' 0` for the swapped condition.
      const c = zeroRight ? cc : swapIntCC(cc);
      switch (c) {
        case IntCC.Equal: return this.vecMisc(VecMiscOp.Cmeq0, size, a);
        case IntCC.NotEqual: return this.vecMisc(VecMiscOp.Not, size, this.vecMisc(VecMiscOp.Cmeq0, size, a));
        case IntCC.SignedGreaterThan: return this.vecMisc(VecMiscOp.Cmgt0, size, a);
        case IntCC.SignedGreaterThanOrEqual: return this.vecMisc(VecMiscOp.Cmge0, size, a);
        case IntCC.SignedLessThan: return this.vecMisc(VecMiscOp.Cmlt0, size, a);
        default: return this.vecMisc(VecMiscOp.Cmle0, size, a);
      }
    }
    const a = this.ctx.putValueInReg(x);
    const b = this.ctx.putValueInReg(y);
    switch (cc) {
      case IntCC.Equal: return this.vecOp(VecALUOp.Cmeq, size, a, b);
      case IntCC.NotEqual: return this.vecMisc(VecMiscOp.Not, size, this.vecOp(VecALUOp.Cmeq, size, a, b));
      case IntCC.SignedGreaterThan: return this.vecOp(VecALUOp.Cmgt, size, a, b);
      case IntCC.SignedGreaterThanOrEqual: return this.vecOp(VecALUOp.Cmge, size, a, b);
      case IntCC.SignedLessThan: return this.vecOp(VecALUOp.Cmgt, size, b, a);
      case IntCC.SignedLessThanOrEqual: return this.vecOp(VecALUOp.Cmge, size, b, a);
      case IntCC.UnsignedGreaterThan: return this.vecOp(VecALUOp.Cmhi, size, a, b);
      case IntCC.UnsignedGreaterThanOrEqual: return this.vecOp(VecALUOp.Cmhs, size, a, b);
      case IntCC.UnsignedLessThan: return this.vecOp(VecALUOp.Cmhi, size, b, a);
      case IntCC.UnsignedLessThanOrEqual: return this.vecOp(VecALUOp.Cmhs, size, b, a);
    }
  }
  vec_fcmp(cc: FloatCC, ty: Type, a: Reg, b: Reg): Reg {
    const size = this.vsize(ty);
    const op = (o: VecALUOp, p: Reg, q: Reg): Reg => this.vecOp(o, size, p, q);
    const not = (r: Reg): Reg => this.vecMisc(VecMiscOp.Not, size, r);
    // fcmeq/fcmge/fcmgt are false on unordered lanes; the unordered
    // conditions are complements of ordered ones.
    switch (cc) {
      case FloatCC.Equal: return op(VecALUOp.Fcmeq, a, b);
      case FloatCC.NotEqual: return not(op(VecALUOp.Fcmeq, a, b));
      case FloatCC.GreaterThan: return op(VecALUOp.Fcmgt, a, b);
      case FloatCC.GreaterThanOrEqual: return op(VecALUOp.Fcmge, a, b);
      case FloatCC.LessThan: return op(VecALUOp.Fcmgt, b, a);
      case FloatCC.LessThanOrEqual: return op(VecALUOp.Fcmge, b, a);
      case FloatCC.Ordered: return op(VecALUOp.Orr, op(VecALUOp.Fcmge, a, b), op(VecALUOp.Fcmgt, b, a));
      case FloatCC.Unordered: return not(op(VecALUOp.Orr, op(VecALUOp.Fcmge, a, b), op(VecALUOp.Fcmgt, b, a)));
      case FloatCC.OrderedNotEqual: return op(VecALUOp.Orr, op(VecALUOp.Fcmgt, a, b), op(VecALUOp.Fcmgt, b, a));
      case FloatCC.UnorderedOrEqual: return not(op(VecALUOp.Orr, op(VecALUOp.Fcmgt, a, b), op(VecALUOp.Fcmgt, b, a)));
      case FloatCC.UnorderedOrGreaterThan: return not(op(VecALUOp.Fcmge, b, a));
      case FloatCC.UnorderedOrGreaterThanOrEqual: return not(op(VecALUOp.Fcmgt, b, a));
      case FloatCC.UnorderedOrLessThan: return not(op(VecALUOp.Fcmge, a, b));
      case FloatCC.UnorderedOrLessThanOrEqual: return not(op(VecALUOp.Fcmgt, a, b));
    }
  }
  /** Tests whether any bit of the vector is set; returns the condition meaning "some bit is". */
  private vecAnyBits(ty: Type, r: Reg): Cond {
    if (typeBits(ty) === 64) return this.test_nonzero(I64, this.fpToGpr(F64, r));
    const m = this.vtmp();
    this.emit(Op.VecLanes, m, r, 0, 0, VecLanesOp.Umaxv, VecSize.V4S, 0, 0);
    return this.test_nonzero(I32, this.fpToGpr(F32, m));
  }
  vec_any_true(ty: Type, r: Reg): Reg {
    return this.cset(this.vecAnyBits(ty, r));
  }
  vec_all_true(ty: Type, r: Reg): Reg {
    // No lane is zero: the lanes equal to zero have no bits set.
    const zeros = this.vecMisc(VecMiscOp.Cmeq0, this.vsize(ty), r);
    return this.cset(condInvert(this.vecAnyBits(ty, zeros)));
  }
  vec_high_bits(ty: Type, r: Reg): Reg {
    const lb = laneBits(ty);
    const n = laneCount(ty);
    const size = this.vsize(ty);
    if (lb === 64) {
      const lo = this.alu_rr_imm_shift(ALUOp.Lsr, I64, this.fpToGpr(F64, r), 63);
      const hiWord = this.tmp();
      this.emit(Op.MovFromVecHi, hiWord, r, 0, 0, 0, 0, 0, 0);
      const hi = this.alu_rr_imm_shift(ALUOp.Lsr, I64, hiWord, 63);
      return this.alu_rrr_shift(ALUOp.Orr, I64, lo, hi, ShiftOp.LSL, 1);
    }
    // Each lane's sign bit moved to bit (lane index mod 8), then summed across lanes.
    const bits = this.vecShiftImm(VecShiftOp.Ushr, size, r, lb - 1);
    const shifts = new Uint8Array(n * (lb >>> 3));
    for (let i = 0; i < n; i++) shifts[(i * lb) >>> 3] = i & 7;
    const placed = this.vecOp(VecALUOp.Ushl, size, bits, this.vecConstBytes(shifts, typeBits(ty)));
    const log2 = size & 3;
    const sumLane = (v: Reg, s: number): Reg => {
      const m = this.vtmp();
      if ((s & 3) === 2 && (s & 4) === 0) this.emit(Op.VecRRR, m, v, v, 0, VecALUOp.Addp, s, 0, 0);
      else this.emit(Op.VecLanes, m, v, 0, 0, VecLanesOp.Addv, s, 0, 0);
      const g = this.tmp();
      this.emit(Op.MovFromVec, g, m, 0, 0, 0, s & 3, 0, 0);
      return g;
    };
    if (lb === 8 && n === 16) {
      const lo = sumLane(placed, VecSize.V8B);
      const upper = this.vtmp();
      this.emit(Op.VecDupElement, upper, placed, 0, 0, 0, VecSize.V2D, 1, 0);
      const hi = sumLane(upper, VecSize.V8B);
      return this.alu_rrr_shift(ALUOp.Orr, I32, lo, hi, ShiftOp.LSL, 8);
    }
    return sumLane(placed, log2 | (size & 4));
  }
  vec_imul_i64(_ty: Type, a: Reg, b: Reg): Reg {
    const lane = (v: Reg, hi: boolean): Reg => {
      if (!hi) return this.fpToGpr(F64, v);
      const g = this.tmp();
      this.emit(Op.MovFromVecHi, g, v, 0, 0, 0, 0, 0, 0);
      return g;
    };
    const lo = this.alu_rrrr(ALUOp3.MAdd, I64, lane(a, false), lane(b, false), XZR);
    const hi = this.alu_rrrr(ALUOp3.MAdd, I64, lane(a, true), lane(b, true), XZR);
    const d = this.gprToFp(F64, lo);
    const rd = this.vtmp();
    this.emit(Op.MovToVecHi, rd, d, hi, 0, 0, 0, 0, 0);
    return rd;
  }
  vec_sign_mask(ty: Type): Reg {
    const size = this.vsize(ty);
    const ones = this.vtmp();
    this.emit(Op.VecMoviBytes, ones, 0, 0, 0, 0, size & 4, 0xff, 0);
    return this.vecShiftImm(VecShiftOp.Shl, size, ones, laneBits(ty) - 1);
  }
  vec_fcvt_from_int(signed: boolean, ty: Type, x: Value): Reg {
    if (laneBits(this.dfg.valueTypeOf(x)) !== laneBits(ty)) throw this.ctx.unsupported('lanes of different widths');
    return this.vecMisc(signed ? VecMiscOp.Scvtf : VecMiscOp.Ucvtf, this.vsize(ty), this.ctx.putValueInReg(x));
  }
  vec_fcvt_to_int_sat(signed: boolean, ty: Type, x: Value): Reg {
    if (laneBits(this.dfg.valueTypeOf(x)) !== laneBits(ty)) throw this.ctx.unsupported('lanes of different widths');
    // fcvtzs/fcvtzu saturate and turn NaN into zero, as the _sat conversions ask.
    return this.vecMisc(signed ? VecMiscOp.Fcvtzs : VecMiscOp.Fcvtzu, this.vsize(ty), this.ctx.putValueInReg(x));
  }

  // 128-bit integers: (lo, hi) register pairs

  private pair(lo: Reg, hi: Reg): number {
    this.out[0] = lo;
    this.out[1] = hi;
    return 1;
  }
  private regs(v: Value): [Reg, Reg] {
    return this.ctx.putValueInRegs(v);
  }
  /** The low register of a shift amount (an i128 amount uses its low word). */
  private amountReg(v: Value): Reg {
    return this.dfg.valueTypeOf(v) === I128 ? this.regs(v)[0] : this.ctx.putValueInReg(v);
  }
  private alu64(op: ALUOp, a: Reg, b: Reg): Reg {
    return this.alu_rrr(op, I64, a, b);
  }
  /** Flag-setting op whose result is needed: `op rd, a, b`. */
  private aluFlags(op: ALUOp, a: Reg, b: Reg): Reg {
    const rd = this.tmp();
    this.emit(Op.AluRRR, rd, a, b, 0, op, SIZE64, 0, 0);
    return rd;
  }
  /**
   * An i128 add/sub with a flag result: `loOp` on the low halves, `hiOp`
   * (carrying) on the high halves, then `cset cond`; outputs the pair and the flag.
   */
  private i128WithFlag(a: Value, b: Value, loOp: ALUOp, hiOp: ALUOp, cond: Cond): number {
    const [alo, ahi] = this.regs(a);
    const [blo, bhi] = this.regs(b);
    this.out[0] = this.aluFlags(loOp, alo, blo);
    this.out[1] = this.aluFlags(hiOp, ahi, bhi);
    this.out[2] = this.cset(cond);
    this.out[3] = -1;
    return 2;
  }
  private imm6(op: ALUOp, a: Reg, k: number): Reg {
    return this.alu_rr_imm_shift(op, I64, a, k);
  }
  /** `tst amt, #64`: Ne when the amount (mod 128) is at least 64. */
  private testBit64(amt: Reg): void {
    this.emit(Op.AluRRImmLogic, XZR, amt, 0, 0, ALUOp.Ands, SIZE64, ImmLogic.maybeFrom(64n, 64)!, 0);
  }
  private zero64(): Reg {
    return this.imm(I64, 0n);
  }
  private shl128(lo: Reg, hi: Reg, amt: Reg): [Reg, Reg] {
    const loShl = this.alu64(ALUOp.Lsl, lo, amt);
    const hiShl = this.alu64(ALUOp.Lsl, hi, amt);
    const inv = this.alu64(ALUOp.OrrNot, XZR, amt);
    // (lo >> 1) >> (63 - amt): the bits moving into hi, zero when amt % 64 == 0.
    const carry = this.alu64(ALUOp.Lsr, this.imm6(ALUOp.Lsr, lo, 1), inv);
    const hiPart = this.alu64(ALUOp.Orr, hiShl, carry);
    const z = this.zero64();
    this.testBit64(amt);
    const outLo = this.csel(Cond.Ne, I64, z, loShl);
    const outHi = this.csel(Cond.Ne, I64, loShl, hiPart);
    return [outLo, outHi];
  }
  private shr128(lo: Reg, hi: Reg, amt: Reg, arith: boolean): [Reg, Reg] {
    const loShr = this.alu64(ALUOp.Lsr, lo, amt);
    const hiShr = this.alu64(arith ? ALUOp.Asr : ALUOp.Lsr, hi, amt);
    const inv = this.alu64(ALUOp.OrrNot, XZR, amt);
    const carry = this.alu64(ALUOp.Lsl, this.imm6(ALUOp.Lsl, hi, 1), inv);
    const loPart = this.alu64(ALUOp.Orr, loShr, carry);
    const fill = arith ? this.imm6(ALUOp.Asr, hi, 63) : this.zero64();
    this.testBit64(amt);
    const outLo = this.csel(Cond.Ne, I64, hiShr, loPart);
    const outHi = this.csel(Cond.Ne, I64, fill, hiShr);
    return [outLo, outHi];
  }
  i128_cmp(cc: IntCC, x: Value, y: Value): Cond {
    const [alo, ahi] = this.regs(x);
    const [blo, bhi] = this.regs(y);
    if (cc === IntCC.Equal || cc === IntCC.NotEqual) {
      const t = this.alu64(ALUOp.Orr, this.alu64(ALUOp.Eor, alo, blo), this.alu64(ALUOp.Eor, ahi, bhi));
      this.emit(Op.AluRRImm12, XZR, t, 0, 0, ALUOp.Subs, SIZE64, Imm12.zero, 0);
      return cc === IntCC.Equal ? Cond.Eq : Cond.Ne;
    }
    // subs/sbcs leave C, N and V right for a 128-bit subtraction (Z only covers the high word),
    // so > and <= compare the swapped operands with < and >=.
    const swap = cc === IntCC.SignedGreaterThan || cc === IntCC.SignedLessThanOrEqual || cc === IntCC.UnsignedGreaterThan || cc === IntCC.UnsignedLessThanOrEqual;
    const [plo, phi, qlo, qhi] = swap ? [blo, bhi, alo, ahi] : [alo, ahi, blo, bhi];
    this.emit(Op.AluRRR, XZR, plo, qlo, 0, ALUOp.Subs, SIZE64, 0, 0);
    this.emit(Op.AluRRR, XZR, phi, qhi, 0, ALUOp.Sbcs, SIZE64, 0, 0);
    switch (cc) {
      case IntCC.SignedLessThan: case IntCC.SignedGreaterThan: return Cond.Lt;
      case IntCC.SignedGreaterThanOrEqual: case IntCC.SignedLessThanOrEqual: return Cond.Ge;
      case IntCC.UnsignedLessThan: case IntCC.UnsignedGreaterThan: return Cond.Lo;
      default: return Cond.Hs;
    }
  }
  lower_i128(inst: Inst): number {
    const dfg = this.dfg;
    const op = dfg.opcode(inst);
    const a0 = dfg.numArgs(inst) > 0 ? dfg.arg(inst, 0) : (NONE as Value);
    const a1 = dfg.numArgs(inst) > 1 ? dfg.arg(inst, 1) : (NONE as Value);
    const resTy = dfg.numResults(inst) > 0 ? dfg.valueTypeOf(dfg.result(inst, 0)) : INVALID;
    const bitop = (o: ALUOp): number => {
      const [alo, ahi] = this.regs(a0);
      const [blo, bhi] = this.regs(a1);
      return this.pair(this.alu64(o, alo, blo), this.alu64(o, ahi, bhi));
    };
    switch (op) {
      case Opcode.Iconst: {
        const k = BigInt.asIntN(64, wordsToI64(dfg.imm0(inst), dfg.imm1(inst)));
        return this.pair(this.imm(I64, BigInt.asUintN(64, k)), this.imm(I64, k < 0n ? BigInt.asUintN(64, -1n) : 0n));
      }
      case Opcode.Iadd:
      case Opcode.Isub: {
        const [alo, ahi] = this.regs(a0);
        const [blo, bhi] = this.regs(a1);
        const add = op === Opcode.Iadd;
        const lo = this.aluFlags(add ? ALUOp.Adds : ALUOp.Subs, alo, blo);
        return this.pair(lo, this.alu64(add ? ALUOp.Adc : ALUOp.Sbc, ahi, bhi));
      }
      case Opcode.Ineg: {
        const [lo, hi] = this.regs(a0);
        const l = this.aluFlags(ALUOp.Subs, XZR, lo);
        return this.pair(l, this.alu64(ALUOp.Sbc, XZR, hi));
      }
      case Opcode.Udiv:
      case Opcode.Sdiv:
      case Opcode.Urem:
      case Opcode.Srem: {
        const [alo, ahi] = this.regs(a0);
        const [blo, bhi] = this.regs(a1);
        this.emit(Op.TrapIf, 0, this.alu64(ALUOp.Orr, blo, bhi), 0, 0, TrapCode.INTEGER_DIVISION_BY_ZERO, 0, CondKind.Zero, SIZE64);
        if (op === Opcode.Sdiv) {
          // Trap on INT128_MIN / -1: y == -1 when its words' conjunction is all ones, then
          // x == INT128_MIN when (x.hi ^ 1<<63) | x.lo is zero.
          const both = this.alu64(ALUOp.And, blo, bhi);
          const flip = this.alu_rr_imm_logic(ALUOp.Eor, I64, ahi, ImmLogic.maybeFrom(1n << 63n, 64)!);
          const rest = this.alu64(ALUOp.Orr, flip, alo);
          this.emit(Op.AluRRImm12, XZR, both, 0, 0, ALUOp.Adds, SIZE64, Imm12.maybeFrom(1)!, 0);
          this.emit(Op.CCmpImm, 0, rest, 0, 0, Cond.Eq, SIZE64, 0, 0);
          this.emit(Op.TrapIf, 0, 0, 0, 0, TrapCode.INTEGER_OVERFLOW, 0, CondKind.Cond, Cond.Eq);
        }
        const [lo, hi] = this.libcall(I128_DIV_LIBCALLS.get(op)!, [I128, I128], [[alo, ahi], [blo, bhi]], I128);
        return this.pair(lo, hi);
      }
      case Opcode.FcvtFromUint:
      case Opcode.FcvtFromSint: {
        if (resTy !== F32 && resTy !== F64) throw this.ctx.unsupported();
        const signed = op === Opcode.FcvtFromSint;
        const name = `__float${signed ? '' : 'un'}ti${resTy === F32 ? 'sf' : 'df'}`;
        this.out[0] = this.libcall(name, [I128], [this.regs(a0)], resTy)[0];
        this.out[1] = -1;
        return 1;
      }
      case Opcode.Imul: {
        const [alo, ahi] = this.regs(a0);
        const [blo, bhi] = this.regs(a1);
        const h = this.alu64(ALUOp.UMulH, alo, blo);
        const h2 = this.alu_rrrr(0, I64, alo, bhi, h);
        const hi = this.alu_rrrr(0, I64, ahi, blo, h2);
        return this.pair(this.alu_rrrr(0, I64, alo, blo, XZR), hi);
      }
      case Opcode.Bitselect: {
        // (x & c) | (y & ~c), word by word.
        const [clo, chi] = this.regs(a0);
        const [xlo, xhi] = this.regs(a1);
        const [ylo, yhi] = this.regs(dfg.arg(inst, 2));
        const lo = this.alu64(ALUOp.Orr, this.alu64(ALUOp.And, xlo, clo), this.alu64(ALUOp.AndNot, ylo, clo));
        return this.pair(lo, this.alu64(ALUOp.Orr, this.alu64(ALUOp.And, xhi, chi), this.alu64(ALUOp.AndNot, yhi, chi)));
      }
      case Opcode.UaddOverflowCin:
      case Opcode.SaddOverflowCin:
      case Opcode.UsubOverflowBin:
      case Opcode.SsubOverflowBin: {
        const add = op === Opcode.UaddOverflowCin || op === Opcode.SaddOverflowCin;
        this.carryIn(dfg.arg(inst, 2), add);
        const op2 = add ? ALUOp.Adcs : ALUOp.Sbcs;
        return this.i128WithFlag(a0, a1, op2, op2, op === Opcode.UaddOverflowCin ? Cond.Hs : op === Opcode.UsubOverflowBin ? Cond.Lo : Cond.Vs);
      }
      case Opcode.Band: return bitop(ALUOp.And);
      case Opcode.Bor: return bitop(ALUOp.Orr);
      case Opcode.Bxor: return bitop(ALUOp.Eor);
      case Opcode.BandNot: return bitop(ALUOp.AndNot);
      case Opcode.BorNot: return bitop(ALUOp.OrrNot);
      case Opcode.BxorNot: return bitop(ALUOp.EorNot);
      case Opcode.Bnot: {
        const [lo, hi] = this.regs(a0);
        return this.pair(this.alu64(ALUOp.OrrNot, XZR, lo), this.alu64(ALUOp.OrrNot, XZR, hi));
      }
      case Opcode.Ishl:
      case Opcode.Ushr:
      case Opcode.Sshr: {
        if (resTy !== I128) break;
        const [lo, hi] = this.regs(a0);
        const amt = this.amountReg(a1);
        const r = op === Opcode.Ishl ? this.shl128(lo, hi, amt) : this.shr128(lo, hi, amt, op === Opcode.Sshr);
        return this.pair(r[0], r[1]);
      }
      case Opcode.Rotl:
      case Opcode.Rotr: {
        if (resTy !== I128) break;
        const [lo, hi] = this.regs(a0);
        const amt = this.amountReg(a1);
        const neg = this.alu64(ALUOp.Sub, XZR, amt);
        const [l1, h1] = op === Opcode.Rotl ? this.shl128(lo, hi, amt) : this.shr128(lo, hi, amt, false);
        const [l2, h2] = op === Opcode.Rotl ? this.shr128(lo, hi, neg, false) : this.shl128(lo, hi, neg);
        return this.pair(this.alu64(ALUOp.Orr, l1, l2), this.alu64(ALUOp.Orr, h1, h2));
      }
      case Opcode.Smin:
      case Opcode.Smax:
      case Opcode.Umin:
      case Opcode.Umax: {
        const cc = op === Opcode.Smin ? IntCC.SignedLessThan : op === Opcode.Smax ? IntCC.SignedGreaterThan : op === Opcode.Umin ? IntCC.UnsignedLessThan : IntCC.UnsignedGreaterThan;
        const c = this.i128_cmp(cc, a0, a1);
        const [alo, ahi] = this.regs(a0);
        const [blo, bhi] = this.regs(a1);
        return this.pair(this.csel(c, I64, alo, blo), this.csel(c, I64, ahi, bhi));
      }
      case Opcode.Icmp:
        return this.output_reg(this.cset(this.i128_cmp(dfg.imm2(inst) as IntCC, a0, a1)));
      case Opcode.Select:
      case Opcode.SelectSpectreGuard: {
        if (resTy !== I128) break;
        const [alo, ahi] = this.regs(a1);
        const [blo, bhi] = this.regs(dfg.arg(inst, 2));
        const c = this.cond_of_value(a0);
        return this.pair(this.csel(c, I64, alo, blo), this.csel(c, I64, ahi, bhi));
      }
      case Opcode.Uextend:
      case Opcode.Sextend: {
        const from = typeBits(dfg.valueTypeOf(a0));
        const lo = this.extend(this.ctx.putValueInReg(a0), op === Opcode.Sextend, from, 64);
        return this.pair(lo, op === Opcode.Sextend ? this.imm6(ALUOp.Asr, lo, 63) : this.zero64());
      }
      case Opcode.Ireduce:
        return this.output_reg(this.regs(a0)[0]);
      case Opcode.Iconcat:
        return this.pair(this.ctx.putValueInReg(a0), this.ctx.putValueInReg(a1));
      case Opcode.Isplit: {
        const [lo, hi] = this.regs(a0);
        this.out[0] = lo;
        this.out[1] = -1;
        this.out[2] = hi;
        this.out[3] = -1;
        return 2;
      }
      case Opcode.Bitcast: {
        const inTy = dfg.valueTypeOf(a0);
        if (resTy === I128 && inTy === I128) {
          const [lo, hi] = this.regs(a0);
          return this.pair(lo, hi);
        }
        // f128 and 128-bit vectors live in one q register.
        if ((resTy === F128 || isVector(resTy)) && inTy === I128) {
          const [lo, hi] = this.regs(a0);
          const q = this.gprToFp(I64, lo);
          const rd = this.tmp(RegClass.Float);
          this.emit(Op.MovToVecHi, rd, q, hi, 0, 0, 0, 0, 0);
          return this.output_reg(rd);
        }
        if (resTy === I128 && (inTy === F128 || isVector(inTy))) {
          const q = this.ctx.putValueInReg(a0);
          const hi = this.tmp();
          this.emit(Op.MovFromVecHi, hi, q, 0, 0, 0, 0, 0, 0);
          return this.pair(this.fpToGpr(F64, q), hi);
        }
        break;
      }
      case Opcode.Bmask: {
        const m = this.csetm(this.cond_of_value(a0));
        return resTy === I128 ? this.pair(m, m) : this.output_reg(m);
      }
      case Opcode.Iabs: {
        const [lo, hi] = this.regs(a0);
        const sign = this.imm6(ALUOp.Asr, hi, 63);
        const xl = this.alu64(ALUOp.Eor, lo, sign);
        const xh = this.alu64(ALUOp.Eor, hi, sign);
        const l = this.aluFlags(ALUOp.Subs, xl, sign);
        return this.pair(l, this.alu64(ALUOp.Sbc, xh, sign));
      }
      case Opcode.Bitrev: {
        const [lo, hi] = this.regs(a0);
        return this.pair(this.bit_rr(BitOp.RBit, I64, hi), this.bit_rr(BitOp.RBit, I64, lo));
      }
      case Opcode.Bswap: {
        const [lo, hi] = this.regs(a0);
        return this.pair(this.bit_rr(BitOp.Rev64, I64, hi), this.bit_rr(BitOp.Rev64, I64, lo));
      }
      case Opcode.Popcnt: {
        const [lo, hi] = this.regs(a0);
        return this.pair(this.alu64(ALUOp.Add, this.popcntReg(I64, lo), this.popcntReg(I64, hi)), this.zero64());
      }
      case Opcode.Clz:
      case Opcode.Ctz: {
        let [lo, hi] = this.regs(a0);
        if (op === Opcode.Ctz) [lo, hi] = [this.bit_rr(BitOp.RBit, I64, hi), this.bit_rr(BitOp.RBit, I64, lo)];
        // clz(hi) + (clz(hi) == 64 ? clz(lo) : 0)
        const ch = this.bit_rr(BitOp.Clz, I64, hi);
        const cl = this.bit_rr(BitOp.Clz, I64, lo);
        const r = this.alu_rrrr(0, I64, cl, this.imm6(ALUOp.Lsr, ch, 6), ch);
        return this.pair(r, this.zero64());
      }
      case Opcode.Cls: {
        // cls(x) = clz(x ^ (x >> 1)) - 1 over 128 bits.
        const [lo, hi] = this.regs(a0);
        const [slo, shi] = this.shr128(lo, hi, this.imm(I64, 1n), true);
        const xl = this.alu64(ALUOp.Eor, lo, slo);
        const xh = this.alu64(ALUOp.Eor, hi, shi);
        const ch = this.bit_rr(BitOp.Clz, I64, xh);
        const cl = this.bit_rr(BitOp.Clz, I64, xl);
        const r = this.alu_rrrr(0, I64, cl, this.imm6(ALUOp.Lsr, ch, 6), ch);
        return this.pair(this.alu_rr_imm12(ALUOp.Sub, I64, r, Imm12.maybeFrom(1)!), this.zero64());
      }
      case Opcode.Load: {
        const flags = dfg.imm0(inst) as MemFlags;
        const trap = this.trapOf(flags);
        const [rn, , am, o] = this.amode128(a0, dfg.imm1(inst));
        const lo = this.tmp();
        const hi = this.tmp();
        this.emit(Op.Load, lo, rn, 0, 0, MemOp.ULoad64, am, o, trap);
        this.emit(Op.Load, hi, rn, 0, 0, MemOp.ULoad64, am, o + 8, trap);
        // Big-endian: the first doubleword is the high half, each byte-reversed.
        if (MemFlags.has(flags, MemFlagBit.Big)) return this.pair(this.rev64(hi), this.rev64(lo));
        return this.pair(lo, hi);
      }
      case Opcode.Store: {
        const flags = dfg.imm0(inst) as MemFlags;
        const trap = this.trapOf(flags);
        let [lo, hi]: [Reg, Reg] = this.regs(a0);
        if (MemFlags.has(flags, MemFlagBit.Big)) [lo, hi] = [this.rev64(hi), this.rev64(lo)];
        const [rn, , am, o] = this.amode128(a1, dfg.imm1(inst));
        this.emit(Op.Store, lo, rn, 0, 0, MemOp.Store64, am, o, trap);
        this.emit(Op.Store, hi, rn, 0, 0, MemOp.Store64, am, o + 8, trap);
        return 0;
      }
      case Opcode.UaddOverflow:
      case Opcode.SaddOverflow:
      case Opcode.UsubOverflow:
      case Opcode.SsubOverflow: {
        const add = op === Opcode.UaddOverflow || op === Opcode.SaddOverflow;
        return this.i128WithFlag(a0, a1, add ? ALUOp.Adds : ALUOp.Subs, add ? ALUOp.Adcs : ALUOp.Sbcs, op === Opcode.UaddOverflow ? Cond.Hs : op === Opcode.UsubOverflow ? Cond.Lo : Cond.Vs);
      }
      default:
        break;
    }
    throw this.ctx.unsupported('this i128 operation');
  }
  /** Base and offset for an i128 access: [rn, 0, amode, offset] with room for offset + 8. */
  private amode128(p: Value, off: number): [Reg, Reg, number, number] {
    const [rn, rm, am, o] = this.amode(p, off);
    if (am === AMode.RegReg) return [this.alu64(ALUOp.Add, rn, rm), 0, AMode.RegOffset, 0];
    return [rn, rm, am, o];
  }

  // Overflow arithmetic (8 to 64 bits)

  lower_overflow(inst: Inst): number {
    const dfg = this.dfg;
    const op = dfg.opcode(inst);
    const x = dfg.arg(inst, 0);
    const y = dfg.arg(inst, 1);
    const ty = dfg.valueTypeOf(x);
    const bits = typeBits(ty);
    if (bits > 64 || !isInt(ty)) throw this.ctx.unsupported();
    const signed =
      op === Opcode.SaddOverflow || op === Opcode.SsubOverflow || op === Opcode.SmulOverflow || op === Opcode.SaddOverflowCin || op === Opcode.SsubOverflowBin;
    const xr0 = this.ctx.putValueInReg(x);
    const yr0 = this.ctx.putValueInReg(y);
    const xr = this.extend(xr0, signed, bits, 32);
    const yr = this.extend(yr0, signed, bits, 32);
    const size = bits > 32 ? SIZE64 : SIZE32;
    const rd = this.tmp();
    let c: Cond;
    const narrowCheck = (r: Reg, wide: boolean): Cond => {
      // Overflow iff the result differs from itself re-extended from `bits`.
      const ext = signed ? [4, 5, 6][Math.log2(bits) - 3] : [0, 1, 2][Math.log2(bits) - 3];
      this.emit(Op.AluRRRExtend, XZR, r, r, 0, ALUOp.Subs, wide ? SIZE64 : SIZE32, ext, 0);
      return Cond.Ne;
    };
    switch (op) {
      case Opcode.UaddOverflowCin:
      case Opcode.SaddOverflowCin:
      case Opcode.UsubOverflowBin:
      case Opcode.SsubOverflowBin: {
        const add = op === Opcode.UaddOverflowCin || op === Opcode.SaddOverflowCin;
        this.carryIn(dfg.arg(inst, 2), add);
        if (bits >= 32) {
          this.emit(Op.AluRRR, rd, xr, yr, 0, add ? ALUOp.Adcs : ALUOp.Sbcs, size, 0, 0);
          c = signed ? Cond.Vs : add ? Cond.Hs : Cond.Lo;
        } else {
          // The extended operands cannot overflow 32 bits; the result does
          // not fit `bits` exactly when the operation overflowed.
          this.emit(Op.AluRRR, rd, xr, yr, 0, add ? ALUOp.Adc : ALUOp.Sbc, SIZE32, 0, 0);
          c = narrowCheck(rd, false);
        }
        break;
      }
      case Opcode.UaddOverflow:
      case Opcode.SaddOverflow:
        if (bits >= 32) {
          this.emit(Op.AluRRR, rd, xr, yr, 0, ALUOp.Adds, size, 0, 0);
          c = signed ? Cond.Vs : Cond.Hs;
        } else {
          this.emit(Op.AluRRR, rd, xr, yr, 0, ALUOp.Add, SIZE32, 0, 0);
          c = narrowCheck(rd, false);
        }
        break;
      case Opcode.UsubOverflow:
      case Opcode.SsubOverflow:
        if (bits >= 32) {
          this.emit(Op.AluRRR, rd, xr, yr, 0, ALUOp.Subs, size, 0, 0);
          c = signed ? Cond.Vs : Cond.Lo;
        } else if (signed) {
          this.emit(Op.AluRRR, rd, xr, yr, 0, ALUOp.Sub, SIZE32, 0, 0);
          c = narrowCheck(rd, false);
        } else {
          this.emit(Op.AluRRR, rd, xr, yr, 0, ALUOp.Subs, SIZE32, 0, 0);
          c = Cond.Lo;
        }
        break;
      default: {
        // Multiplication.
        if (bits === 64) {
          this.emit(Op.AluRRRR, rd, xr, yr, XZR, 0, SIZE64, 0, 0);
          const h = this.alu_rrr(signed ? ALUOp.SMulH : ALUOp.UMulH, I64, xr, yr);
          if (signed) this.emit(Op.AluRRRShift, XZR, h, rd, 0, ALUOp.Subs, SIZE64, 2, 63);
          else this.emit(Op.AluRRImm12, XZR, h, 0, 0, ALUOp.Subs, SIZE64, Imm12.zero, 0);
          c = Cond.Ne;
        } else if (bits === 32) {
          // smull/umull into 64 bits, then compare with its own 32-bit extension.
          this.emit(Op.AluRRRR, rd, xr, yr, XZR, signed ? 2 : 3, SIZE64, 0, 0);
          c = narrowCheck(rd, true);
        } else {
          this.emit(Op.AluRRRR, rd, xr, yr, XZR, 0, SIZE32, 0, 0);
          c = narrowCheck(rd, false);
        }
      }
    }
    const f = this.cset(c);
    this.out[0] = rd;
    this.out[1] = -1;
    this.out[2] = f;
    this.out[3] = -1;
    return 2;
  }

  /**
   * Sets C from an i8 carry (add) or borrow (sub) input, any nonzero value
   * counting as one: adc adds C, sbc subtracts NOT C.
   */
  private carryIn(v: Value, add: boolean): void {
    const b = this.extend(this.ctx.putValueInReg(v), false, 8, 32);
    // add: b - 1 borrows only when b is 0, so C = (b != 0);
    // sub: 0 - b borrows unless b is 0, so C = (b == 0).
    if (add) this.emit(Op.AluRRImm12, XZR, b, 0, 0, ALUOp.Subs, SIZE32, Imm12.maybeFrom(1)!, 0);
    else this.emit(Op.AluRRR, XZR, XZR, b, 0, ALUOp.Subs, SIZE32, 0, 0);
  }

  // Atomics

  lower_atomic(inst: Inst): number {
    const dfg = this.dfg;
    const op = dfg.opcode(inst);
    if (op === Opcode.Fence) {
      this.emit(Op.Fence, 0, 0, 0, 0, 0, 0, 0, 0);
      return 0;
    }
    const flags = dfg.imm0(inst) as MemFlags;
    const trap = this.trapOf(flags);
    const ty = op === Opcode.AtomicStore ? dfg.valueTypeOf(dfg.arg(inst, 0)) : dfg.valueTypeOf(dfg.result(inst, 0));
    if (!isInt(ty) || typeBits(ty) > 64) throw this.ctx.unsupported();
    const log2 = Math.log2(typeBits(ty) / 8);
    // Big-endian memory: values are byte-reversed on their way in and out
    // (single bytes need nothing).
    const big = MemFlags.has(flags, MemFlagBit.Big) && log2 > 0;
    const rd = this.tmp();
    switch (op) {
      case Opcode.AtomicLoad:
        this.emit(Op.LoadAcquire, rd, this.ctx.putValueInReg(dfg.arg(inst, 0)), 0, 0, 0, log2, 0, trap);
        return this.output_reg(big ? this.revBytes(log2, rd) : rd);
      case Opcode.AtomicStore: {
        const x = this.ctx.putValueInReg(dfg.arg(inst, 0));
        this.emit(Op.StoreRelease, big ? this.revBytes(log2, x) : x, this.ctx.putValueInReg(dfg.arg(inst, 1)), 0, 0, 0, log2, 0, trap);
        return 0;
      }
      case Opcode.AtomicRmw: {
        const rmw = dfg.imm1(inst) as AtomicRmwOp;
        // Big-endian memory keeps LSE for the operations byte order does not
        // affect (bitwise ones and exchange): reverse the operand and the result.
        const bytewise = rmw === AtomicRmwOp.And || rmw === AtomicRmwOp.Or || rmw === AtomicRmwOp.Xor || rmw === AtomicRmwOp.Xchg;
        const lse = this.hasLse && (!big || bytewise) ? LSE_FOR_RMW[rmw] : undefined;
        if (lse !== undefined) {
          let x: Reg = this.ctx.putValueInReg(dfg.arg(inst, 1));
          const size = log2 === 3 ? SIZE64 : SIZE32;
          // LSE has add and bit-clear: sub adds the negation, and clears the complement.
          if (rmw === AtomicRmwOp.Sub || rmw === AtomicRmwOp.And) {
            const t = this.tmp();
            const neg = rmw === AtomicRmwOp.Sub;
            this.emit(Op.AluRRR, t, XZR, x, 0, neg ? ALUOp.Sub : ALUOp.OrrNot, size, 0, 0);
            x = t;
          }
          if (big) x = this.revBytes(log2, x);
          this.emit(Op.AtomicRmwLse, rd, this.ctx.putValueInReg(dfg.arg(inst, 0)), x, 0, lse, log2, 0, trap);
          return this.output_reg(big ? this.revBytes(log2, rd) : rd);
        }
        this.emit(Op.AtomicRmwLoop, rd, this.ctx.putValueInReg(dfg.arg(inst, 0)), this.ctx.putValueInReg(dfg.arg(inst, 1)), 0, dfg.imm1(inst), log2, big ? 1 : 0, trap);
        return this.output_reg(rd);
      }
      default: {
        const p = this.ctx.putValueInReg(dfg.arg(inst, 0));
        const e = this.ctx.putValueInReg(dfg.arg(inst, 1));
        const n = this.ctx.putValueInReg(dfg.arg(inst, 2));
        if (this.hasLse) {
          // casal compares and stores memory's bytes: give it both values reversed.
          this.emit(Op.AtomicCasLse, rd, p, big ? this.revBytes(log2, e) : e, big ? this.revBytes(log2, n) : n, 0, log2, 0, trap);
          return this.output_reg(big ? this.revBytes(log2, rd) : rd);
        }
        this.emit(Op.AtomicCasLoop, rd, p, e, n, 0, log2, big ? 1 : 0, trap);
        return this.output_reg(rd);
      }
    }
  }

  popcnt_seq(ty: Type, x: Value): Reg {
    const bits = typeBits(ty);
    return this.popcntReg(bits > 32 ? I64 : I32, this.extend(this.ctx.putValueInReg(x), false, bits, 32));
  }
  /** SWAR population count of a 32- or 64-bit register (narrow values zero-extended). */
  private popcntReg(ty: Type, x: Reg): Reg {
    const w = typeBits(ty) as 32 | 64;
    const rep = (byte: bigint): bigint => {
      let v = 0n;
      for (let i = 0; i < w; i += 8) v |= byte << BigInt(i);
      return v;
    };
    const and = (r: Reg, byte: bigint): Reg => this.alu_rr_imm_logic(ALUOp.And, ty, r, ImmLogic.maybeFrom(rep(byte), w)!);
    const x1 = this.alu_rrr(ALUOp.Sub, ty, x, and(this.alu_rr_imm_shift(ALUOp.Lsr, ty, x, 1), 0x55n));
    const x2 = this.alu_rrr(ALUOp.Add, ty, and(x1, 0x33n), and(this.alu_rr_imm_shift(ALUOp.Lsr, ty, x1, 2), 0x33n));
    const x3 = and(this.alu_rrr(ALUOp.Add, ty, x2, this.alu_rr_imm_shift(ALUOp.Lsr, ty, x2, 4)), 0x0fn);
    const sum = this.alu_rrrr(0, ty, x3, this.imm(ty, rep(1n)), XZR);
    return this.alu_rr_imm_shift(ALUOp.Lsr, ty, sum, w - 8);
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

  /** The trap code a memory access records (0: it cannot trap). */
  private trapOf(flags: MemFlags): number {
    return MemFlags.trapCode(flags) ?? 0;
  }
  /** The 64-bit byte reversal of `r`. */
  private rev64(r: Reg): Reg {
    return this.bit_rr(BitOp.Rev64, I64, r);
  }
  /** Reverses the low 2^log2 bytes of `r` (1 to 8 bytes; upper bits of narrow values are don't-care). */
  private revBytes(log2: number, r: Reg): Reg {
    switch (log2) {
      case 0: return r;
      case 1: return this.bit_rr(BitOp.Rev16, I32, r);
      case 2: return this.bit_rr(BitOp.Rev32, I32, r);
      default: return this.rev64(r);
    }
  }
  /**
   * A big-endian float load: the bytes go through general registers,
   * reversed, then into the float register (f128: two reversed, swapped
   * doublewords).
   */
  private loadBigFloat(ty: Type, p: Value, off: number, trap: number): Reg {
    if (ty === F128) {
      const [rn, , am, o] = this.amode128(p, off);
      const w0 = this.tmp();
      const w1 = this.tmp();
      this.emit(Op.Load, w0, rn, 0, 0, MemOp.ULoad64, am, o, trap);
      this.emit(Op.Load, w1, rn, 0, 0, MemOp.ULoad64, am, o + 8, trap);
      const q = this.gprToFp(I64, this.rev64(w1));
      const rd = this.tmp(RegClass.Float);
      this.emit(Op.MovToVecHi, rd, q, this.rev64(w0), 0, 0, 0, 0, 0);
      return rd;
    }
    const bits = typeBits(ty);
    const [rn, rm, am, o] = this.amode(p, off);
    const raw = this.tmp();
    this.emit(Op.Load, raw, rn, rm, 0, this.loadMemOp(bits === 16 ? I16 : bits === 32 ? I32 : I64), am, o, trap);
    return this.gprToFp(ty, this.revBytes(Math.log2(bits / 8), raw));
  }
  /** A big-endian float store (see `loadBigFloat`). */
  private storeBigFloat(ty: Type, x: Value, p: Value, off: number, trap: number): number {
    const xr = this.ctx.putValueInReg(x);
    if (ty === F128) {
      const lo = this.fpToGpr(F64, xr);
      const hi = this.tmp();
      this.emit(Op.MovFromVecHi, hi, xr, 0, 0, 0, 0, 0, 0);
      const [rn, , am, o] = this.amode128(p, off);
      this.emit(Op.Store, this.rev64(hi), rn, 0, 0, MemOp.Store64, am, o, trap);
      this.emit(Op.Store, this.rev64(lo), rn, 0, 0, MemOp.Store64, am, o + 8, trap);
      return 0;
    }
    const bits = typeBits(ty);
    const rt = this.revBytes(Math.log2(bits / 8), this.fpToGpr(ty, xr));
    const [rn, rm, am, o] = this.amode(p, off);
    this.emit(Op.Store, rt, rn, rm, 0, this.storeMemOp(bits === 16 ? I16 : bits === 32 ? I32 : I64), am, o, trap);
    return 0;
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
        for (let i = 0; i < 2; i++) {
          const base = i === 0 ? a : b;
          if (this.constWords(i === 0 ? b : a)) {
            // The signed 64-bit constant plus the offset, exact wherever it matters (near int32).
            const total = (this.kHi | 0) * 0x100000000 + this.kLo + off;
            if (total >= -0x80000000 && total < 0x80000000) return [this.ctx.putValueInReg(base), 0, AMode.RegOffset, total];
          }
        }
        if (off === 0) return [this.ctx.putValueInReg(a), this.ctx.putValueInReg(b), AMode.RegReg, 0];
      }
    }
    return [this.ctx.putValueInReg(p), 0, AMode.RegOffset, off];
  }
  /** Vector loads and stores move 16 to 128 bits. */
  private checkVectorAccess(ty: Type): void {
    if (this.ty_vec_mem(ty) === undefined) throw this.ctx.unsupported();
  }
  /**
   * A big-endian vector access keeps the lanes in memory order with each
   * lane's bytes reversed: rev16/rev32/rev64 on bytes (nothing for i8 lanes).
   */
  private revLanes(ty: Type, r: Reg): Reg {
    const lb = laneBits(ty);
    if (lb === 8) return r;
    const op = lb === 16 ? VecMiscOp.Rev16 : lb === 32 ? VecMiscOp.Rev32 : VecMiscOp.Rev64;
    return this.vecMisc(op, typeBits(ty) === 128 ? VecSize.V16B : VecSize.V8B, r);
  }
  load_op(opcode: Opcode, ty: Type, flags: MemFlags, p: Value, off: number): Reg {
    const big = MemFlags.has(flags, MemFlagBit.Big);
    const trap = this.trapOf(flags);
    let memop: number;
    switch (opcode) {
      case Opcode.Uload8: memop = MemOp.ULoad8; break;
      case Opcode.Sload8: memop = MemOp.SLoad8; break;
      case Opcode.Uload16: memop = MemOp.ULoad16; break;
      case Opcode.Sload16: memop = MemOp.SLoad16; break;
      case Opcode.Uload32: memop = MemOp.ULoad32; break;
      case Opcode.Sload32: memop = MemOp.SLoad32; break;
      default:
        if (isVector(ty) || isDynamicVector(ty)) {
          this.checkVectorAccess(ty);
          const [rn, rm, am, o] = this.amode(p, off);
          const rd = this.vtmp();
          this.emit(Op.Load, rd, rn, rm, 0, this.loadMemOp(ty), am, o, trap);
          return big ? this.revLanes(ty, rd) : rd;
        }
        if (!isScalar(ty) || (typeBits(ty) > 64 && ty !== F128)) throw this.ctx.unsupported();
        if (big && isFloat(ty)) return this.loadBigFloat(ty, p, off, trap);
        memop = this.loadMemOp(ty);
    }
    const [rn, rm, am, o] = this.amode(p, off);
    // Big-endian: load the bytes unextended, reverse them, then sign-extend if asked.
    const signedBig = big && (memop === MemOp.SLoad16 || memop === MemOp.SLoad32);
    const access = signedBig ? memop - 1 : memop;
    const rd = this.tmp(memop >= MemOp.FpuLoad16 ? RegClass.Float : RegClass.Int);
    this.emit(Op.Load, rd, rn, rm, 0, access, am, o, trap);
    if (!big || access === MemOp.ULoad8 || access === MemOp.SLoad8) return rd;
    const bytes = access === MemOp.ULoad16 ? 2 : access === MemOp.ULoad32 ? 4 : 8;
    const rev = bytes === 2 ? this.bit_rr(BitOp.Rev16, I32, rd) : bytes === 4 ? this.bit_rr(BitOp.Rev32, I32, rd) : this.bit_rr(BitOp.Rev64, I64, rd);
    return signedBig ? this.extend(rev, true, bytes * 8, typeBits(ty) > 32 ? 64 : 32) : rev;
  }
  store_op(opcode: Opcode, flags: MemFlags, x: Value, p: Value, off: number): number {
    const ty = this.dfg.valueTypeOf(x);
    const big = MemFlags.has(flags, MemFlagBit.Big);
    const trap = this.trapOf(flags);
    let memop: number;
    switch (opcode) {
      case Opcode.Istore8: memop = MemOp.Store8; break;
      case Opcode.Istore16: memop = MemOp.Store16; break;
      case Opcode.Istore32: memop = MemOp.Store32; break;
      default:
        if (isVector(ty) || isDynamicVector(ty)) {
          this.checkVectorAccess(ty);
          const v = this.ctx.putValueInReg(x);
          const rt = big ? this.revLanes(ty, v) : v;
          const [rn, rm, am, o] = this.amode(p, off);
          this.emit(Op.Store, rt, rn, rm, 0, this.storeMemOp(ty), am, o, trap);
          return 0;
        }
        if (!isScalar(ty) || (typeBits(ty) > 64 && ty !== F128)) throw this.ctx.unsupported();
        if (big && isFloat(ty)) return this.storeBigFloat(ty, x, p, off, trap);
        memop = this.storeMemOp(ty);
    }
    let rt: Reg = this.ctx.putValueInReg(x);
    if (big) {
      if (memop === MemOp.Store16) rt = this.bit_rr(BitOp.Rev16, I32, rt);
      else if (memop === MemOp.Store32) rt = this.bit_rr(BitOp.Rev32, I32, rt);
      else if (memop === MemOp.Store64) rt = this.bit_rr(BitOp.Rev64, I64, rt);
    }
    const [rn, rm, am, o] = this.amode(p, off);
    this.emit(Op.Store, rt, rn, rm, 0, memop, am, o, trap);
    return 0;
  }
  stack_addr_reg(ss: StackSlot, off: number): Reg {
    const rd = this.tmp();
    this.emit(Op.LoadAddr, rd, 0, 0, 0, AMode.SlotOffset, this.abi.slotOffsets[ss] + off, 0, 0);
    return rd;
  }
  dynamic_stack_addr_reg(dss: DynamicStackSlot): Reg {
    const rd = this.tmp();
    this.emit(Op.LoadAddr, rd, 0, 0, 0, AMode.SlotOffset, this.abi.dynamicSlotOffsets[dss], 0, 0);
    return rd;
  }

  // The pinned register, thread-local variables, handler addresses

  private checkPinned(): void {
    if (!this.pinnedReg) throw this.ctx.unsupported('the pinned register needs enable_pinned_reg');
  }
  read_pinned_reg(): Reg {
    this.checkPinned();
    const rd = this.tmp();
    this.emit(Op.Mov, rd, PINNED, 0, 0, 0, SIZE64, 0, 0);
    return rd;
  }
  write_pinned_reg(r: Reg): number {
    this.checkPinned();
    this.emit(Op.Mov, PINNED, r, 0, 0, 0, SIZE64, 0, 0);
    return 0;
  }
  /**
   * The address of a thread-local symbol under the `tls_model` setting:
   * `elf_gd` calls the variable's TLS descriptor (its resolver returns the
   * offset from the thread pointer), `macho` calls the variable's thunk.
   */
  tls_value_reg(gv: GlobalValue): Reg {
    const g = this.func.globalValues[gv];
    if (g?.kind !== 'symbol' || !g.tls) throw this.ctx.unsupported('tls_value of a global value that is not a thread-local symbol');
    const { target, text } = externalTarget(this.func, g.name);
    const model = this.tlsModel;
    const rd = this.tmp();
    // Both sequences call (a resolver or a thunk), which needs the link register saved.
    this.abi.isLeaf = false;
    if (model === 'elf_gd') {
      const info: ExtNameInfo = { target, offset: 0n, text };
      this.emit(Op.ElfTlsGetAddr, rd, this.tmp(), 0, 0, 0, 0, 0, 0, info);
    } else if (model === 'macho') {
      const info: TlsCallInfo = { target, offset: 0n, text, clobbers: TLV_CALL_CLOBBERS };
      this.emit(Op.MachOTlsGetAddr, rd, 0, 0, 0, 0, 0, 0, 0, info);
    } else {
      throw this.ctx.unsupported(`tls_value with tls_model=${model} (aarch64 has elf_gd and macho)`);
    }
    return g.offset === 0n ? rd : this.alu_rrr(ALUOp.Add, I64, rd, this.imm(I64, g.offset));
  }
  /**
   * The address of the exception handler that `try_call` ending `block`
   * reaches through its exception-table entry `index`: the machine block of
   * that edge (an edge block when the edge is critical).
   */
  handler_address(block: Block, index: bigint): Reg {
    const order = this.ctx.order;
    const mb = order.loweredIndex[block];
    if (mb < 0) throw this.ctx.unsupported(`handler address of unreachable block${block}`);
    const succs = order.blockSuccs(mb);
    // Successor 0 is the normal return; the handlers follow in table order.
    if (index < 0n || index >= BigInt(succs.length - 1)) throw this.ctx.unsupported(`exception handler ${index} of block${block}, which has ${succs.length - 1}`);
    const rd = this.tmp();
    this.emit(Op.LabelAddress, rd, 0, 0, 0, succs[1 + Number(index)], 0, 0, 0);
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
    const argRegs = sd.params.map((a, i) => {
      const v = args[i];
      return a.slots.length === 2 ? this.ctx.putValueInRegs(v) : [this.ctx.putValueInReg(v)];
    });
    const resultRegs = this.emitCall(sig, sd, argRegs, callee, dest, colocated);
    dfg.instResults(inst).forEach((_, i) => this.ctx.setResult(i, resultRegs[i][0], resultRegs[i][1]));
    return 0;
  }

  /**
   * Emits a call of `sig` with its arguments in `argRegs` (one list per
   * parameter: a register pair for i128) and returns each result's
   * registers (the second -1 unless the result is a pair). `dest` undefined
   * calls through `callee`.
   */
  private emitCall(
    sig: Signature,
    sd: SigData,
    argRegs: readonly (readonly Reg[])[],
    callee: Reg,
    dest: { target: RelocTarget; text: string } | undefined,
    colocated: boolean,
    clobberAll = false,
  ): [number, number][] {
    const isIndirect = dest === undefined;
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
    sd.params.forEach((a, i) => place(a, argRegs[i]));
    if (sd.retAreaPtr) {
      const p = this.tmp();
      this.emit(Op.LoadAddr, p, 0, 0, 0, AMode.SPOffset, sd.stackArgSize, 0, 0);
      place(sd.retAreaPtr, [p]);
    }
    const defs: FixedReg[] = [];
    const resultRegs: [number, number][] = [];
    const stackLoads: [Reg, Type, number][] = [];
    sd.rets.forEach((a) => {
      const regs: number[] = [];
      for (const s of a.slots) {
        const r = this.tmp(isFloat(s.ty) || isVector(s.ty) ? RegClass.Float : RegClass.Int);
        regs.push(r);
        if (s.kind === 'reg') defs.push({ vreg: r, preg: s.preg });
        else stackLoads.push([r, s.ty, sd.stackArgSize + s.offset]);
      }
      resultRegs.push([regs[0], regs[1] ?? -1]);
    });
    const defPregs = new Set<number>(defs.map((d) => d.preg));
    const clobbers = (clobberAll ? allAllocatable(this.pinnedReg) : AARCH64_ABI.callClobbers(sig.callConv)).filter((p: PReg) => !defPregs.has(p));
    const name = dest ? dest.text : 'indirect';
    if (!isIndirect && !colocated) {
      // Far call: load the address (absolute relocation), then blr.
      const t = this.tmp();
      this.emit(Op.LoadExtName, t, 0, 0, 0, 0, 0, 0, 0, { target: dest.target, offset: 0n, text: dest.text });
      callee = t;
    }
    const calleePop = sig.callConv === 'tail' ? sd.stackArgSize : 0;
    const info: CallInfo = { dest: dest?.target, uses, defs, clobbers, callee: name, calleePop };
    if (!isIndirect && colocated) this.emit(Op.Call, 0, 0, 0, 0, 0, 0, 0, 0, info);
    else this.emit(Op.CallInd, 0, callee, 0, 0, 0, 0, 0, 0, info);
    for (const [r, ty, off] of stackLoads) this.emit(Op.Load, r, 0, 0, 0, this.loadMemOp(ty), AMode.SPOffset, off, 0);
    return resultRegs;
  }

  /**
   * Calls the C runtime function `name` (libgcc's `__udivti3`, …) with the
   * libcall calling convention; `args` are the parameters' registers.
   */
  private libcall(name: string, params: readonly Type[], args: readonly (readonly Reg[])[], ret: Type): [number, number] {
    const sig: Signature = { params: params.map((t) => abiParam(t)), returns: [abiParam(ret)], callConv: this.libcallCallConv };
    const sd = computeSigData(AARCH64_ABI, sig, this.flags);
    const dest = { target: { kind: 'libcall', name } as RelocTarget, text: `%${name}` };
    return this.emitCall(sig, sd, args, 0, dest, this.colocatedLibcalls)[0];
  }

  /**
   * `return_call` / `return_call_indirect`: arguments go where a call would
   * put them (stack arguments at the bottom of this frame); the
   * `ReturnCall` instruction then restores the caller's registers, moves the
   * stack arguments over this function's incoming ones and branches.
   */
  lower_return_call(inst: Inst): number {
    const dfg = this.dfg;
    const isIndirect = dfg.opcode(inst) === Opcode.ReturnCallIndirect;
    let sig: Signature;
    let args: Value[];
    let calleeVal: Value | undefined;
    let dest: { target: RelocTarget; text: string } | undefined;
    let kind: ReturnCallKind = ReturnCallKind.Reg;
    if (isIndirect) {
      sig = dfg.signatures[dfg.imm0(inst) as SigRef]!;
      const all = dfg.instArgs(inst);
      calleeVal = all[0];
      args = all.slice(1);
    } else {
      const ext = dfg.extFuncs[dfg.imm0(inst) as FuncRef]!;
      sig = dfg.signatures[ext.signature]!;
      args = dfg.instArgs(inst);
      dest = externalTarget(this.func, ext.name);
      kind = ext.colocated ? ReturnCallKind.Near : ReturnCallKind.Far;
    }
    if (sig.callConv !== 'tail') throw this.ctx.unsupported(`tail call to a function with the ${sig.callConv} calling convention (only tail)`);
    const sd = computeSigData(AARCH64_ABI, sig, this.flags);
    // The copy loop addresses both areas with scaled 12-bit offsets and uses x16/x17.
    if (sd.stackArgSize > 4095 * 8) throw new CodegenError('impl-limit', `return_call with ${sd.stackArgSize} bytes of stack arguments (at most ${4095 * 8} on aarch64)`);
    this.abi.outgoingArgsSize = Math.max(this.abi.outgoingArgsSize, sd.stackArgSize);
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
      place(a, a.slots.length === 2 ? this.ctx.putValueInRegs(v) : [this.ctx.putValueInReg(v)]);
    });
    // Same return values as ours: the callee writes them through our return area.
    if (sd.retAreaPtr) place(sd.retAreaPtr, [this.retAreaPtrReg()]);
    let calleeHw = 0;
    if (calleeVal !== undefined) {
      // A caller-saved register no argument uses, so restoring callee-saved registers cannot clobber it.
      const taken = new Set<number>(uses.map((u) => u.preg));
      const preg = [9, 10, 11, 12, 13, 14, 15].map((hw) => xpreg(hw)).find((p) => !taken.has(p))!;
      calleeHw = pregHw(preg);
      uses.push({ vreg: this.ctx.putValueInReg(calleeVal), preg });
    }
    const info: ReturnCallInfo = { uses, dest: dest?.target, callee: dest ? dest.text : 'indirect', stackArgBytes: sd.stackArgSize };
    this.emit(Op.ReturnCall, 0, 0, 0, 0, kind, calleeHw, 0, 0, info, InstFlags.Ret);
    return 0;
  }

  lower_return(inst: Inst): number {
    const dfg = this.dfg;
    const rets = this.abi.sig.rets;
    const uses: FixedReg[] = [];
    for (let i = 0; i < rets.length; i++) {
      const slots = rets[i].slots;
      const v = dfg.arg(inst, i);
      let r0: VReg;
      let r1 = 0 as VReg;
      if (slots.length === 2) [r0, r1] = this.ctx.putValueInRegs(v);
      else r0 = this.ctx.putValueInReg(v);
      for (let k = 0; k < slots.length; k++) {
        const s = slots[k];
        const r = k === 0 ? r0 : r1;
        if (s.kind === 'reg') uses.push({ vreg: r, preg: s.preg });
        else this.emit(Op.Store, r, this.retAreaPtrReg(), 0, 0, this.storeMemOp(s.ty), AMode.RegOffset, s.offset, 0);
      }
    }
    this.emit(Op.Ret, 0, 0, 0, 0, 0, 0, 0, 0, { uses, popBytes: this.abi.callConv === 'tail' ? this.abi.sig.stackArgSize : 0 }, InstFlags.Ret);
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
  /**
   * `try_call` / `try_call_indirect`: the call (clobbering every register),
   * its return values handed to the normal-return block as `retN`, the
   * exception payloads `exnN` defined from x0/x1 for the handlers, and a
   * jump to the normal-return block. The handler blocks are the branch's
   * other machine successors (`targets[1..]`), so they stay real CFG edges.
   */
  lower_try_call(inst: Inst): 0 {
    const dfg = this.dfg;
    const table = dfg.exceptionTables[dfg.imm1(inst)];
    const sig = dfg.signatures[table.sig];
    if (sig === undefined) throw this.ctx.unsupported(`undeclared signature sig${table.sig}`);
    const all = dfg.instArgs(inst);
    let callee: Reg = 0;
    let args = all;
    let dest: { target: RelocTarget; text: string } | undefined;
    let colocated = false;
    if (dfg.opcode(inst) === Opcode.TryCallIndirect) {
      callee = this.ctx.putValueInReg(all[0]);
      args = all.slice(1);
    } else {
      const ext = dfg.extFuncs[dfg.imm0(inst) as FuncRef]!;
      dest = externalTarget(this.func, ext.name);
      colocated = ext.colocated;
    }
    const sd = computeSigData(AARCH64_ABI, sig, this.flags);
    if (args.length !== sd.params.length) throw this.ctx.unsupported(`${args.length} arguments for a signature of ${sd.params.length}`);
    const argRegs = sd.params.map((a, i) => (a.slots.length === 2 ? this.ctx.putValueInRegs(args[i]) : [this.ctx.putValueInReg(args[i])]));
    this.abi.hasTryCall = true;
    const resultRegs = this.emitCall(sig, sd, argRegs, callee, dest, colocated, true);
    resultRegs.forEach(([r0, r1], i) => this.ctx.setTryCallRet(i, r0, r1));
    if (this.ctx.isTryCallExnUsed(EXCEPTION_PAYLOAD_REGS.length))
      throw this.ctx.unsupported(`exn${EXCEPTION_PAYLOAD_REGS.length} (aarch64 has ${EXCEPTION_PAYLOAD_REGS.length} exception payload registers)`);
    const payloadDefs: FixedReg[] = [];
    EXCEPTION_PAYLOAD_REGS.forEach((preg, i) => {
      if (!this.ctx.isTryCallExnUsed(i)) return;
      const r = this.tmp();
      payloadDefs.push({ vreg: r, preg });
      this.ctx.setTryCallExn(i, r);
    });
    // Defines the payload registers without code; on the normal path they hold nothing meaningful.
    if (payloadDefs.length > 0) this.emit(Op.Args, 0, 0, 0, 0, 0, 0, 0, 0, { defs: payloadDefs });
    return this.jump_to_target();
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

