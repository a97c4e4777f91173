// AArch64 machine instructions: one compact record shape for every kind.
//
// An instruction is an opcode (`Op`) plus four register fields `r0..r3` and
// four integer fields `i0..i3`, whose meaning each opcode fixes (the table
// below), plus an optional cold `aux` payload for calls, ABI pseudo-
// instructions and jump tables. VCode stores these fields in typed-array
// columns; emission and printing read them through one reused `MInst`
// object, so no object is allocated per instruction in the backend's loops.
//
// Register fields hold VCode `Reg`s (see regs.ts) before register allocation
// and hardware numbers (0..31) after. `visitOperands` lists, in a fixed
// order, which fields the allocator sees and how (use/def, constraints); the
// emitter replays the same order to read back allocations.
//
// Field layout per opcode:
//   AluRRR        rd=r0 rn=r1 rm=r2            i0 ALUOp  i1 size
//   AluRRRR       rd=r0 rn=r1 rm=r2 ra=r3      i0 ALUOp3 i1 size
//   AluRRImm12    rd=r0 rn=r1                  i0 ALUOp  i1 size i2 Imm12 (rn/rd 31 = sp, except flag-setting rd = zr)
//   AluRRImmLogic rd=r0 rn=r1                  i0 ALUOp  i1 size i2 ImmLogic
//   AluRRImmShift rd=r0 rn=r1                  i0 ALUOp (Lsl/Lsr/Asr/RotR) i1 size i2 amount
//   AluRRRShift   rd=r0 rn=r1 rm=r2            i0 ALUOp  i1 size i2 ShiftOp i3 amount
//   AluRRRExtend  rd=r0 rn=r1 rm=r2            i0 ALUOp  i1 size i2 ExtendOp
//   BitRR         rd=r0 rn=r1                  i0 BitOp  i1 size
//   MovWide       rd=r0                        i0 0 movz / 1 movn i1 size i2 imm16 i3 hw
//   MovK          rd=r0 rn=r1 (rd reuses rn)   i1 size i2 imm16 i3 hw
//   Mov           rd=r0 rm=r1                  i1 size
//   MovSp         rd=r0 rn=r1 (either may be sp: add rd, rn, #0)
//   Extend        rd=r0 rn=r1                  i0 signed i1 from bits i2 to bits
//   CSel          rd=r0 rn=r1 rm=r2            i0 Cond i1 size i2 CSelOp
//   CSet          rd=r0                        i0 Cond i1 size i2 1 = csetm
//   CCmpImm       rn=r1                        i0 Cond i1 size i2 imm5 i3 nzcv
//   Load          rt=r0 rn=r1 rm=r2            i0 MemOp  i1 AMode i2 offset i3 trap code (0: cannot trap)
//   Store         rt=r0 rn=r1 rm=r2            same as Load
//   LoadPair      rt=r0 rt2=r1 rn=r2           i0 1 = fp d-regs i1 PairAMode i2 offset
//   StorePair     same as LoadPair
//   Jump                                       i0 target label
//   CondBr        rn=r1                        i0 taken label i1 not-taken label i2 CondKind i3 Cond or size
//   TrapIf        rn=r1                        i0 trap code i2 CondKind i3 Cond or size
//   Udf                                        i0 trap code
//   Ret                                        aux RetInfo (fixed uses)
//   Args                                       aux ArgsInfo (fixed defs)
//   Call                                       aux CallInfo (fixed uses/defs, clobbers, symbol)
//   CallInd       rn=r1                        aux CallInfo
//   JTSequence    ridx=r1                      i0 default label, aux JumpTableInfo (labels)
//   LoadAddr      rd=r0                        i0 AMode (SPOffset/SlotOffset/FPOffset) i1 offset
//   LoadExtName   rd=r0                        aux ExtNameInfo
//   Hint                                       i0 HintOp
//   Brk
//   Adr           rd=r0                        i0 byte offset from the instruction
//   BranchReg     rn=r1                        (br)
//   FpuRRR        rd=r0 rn=r1 rm=r2            i0 FpuOp2 i1 size (0 s, 1 d)
//   FpuRR         rd=r0 rn=r1                  i0 FpuOp1 i1 size
//   FpuCmp        rn=r1 rm=r2                  i1 size
//   MovToFpu      rd=r0 rn=r1                  i1 size (fmov s/d from w/x)
//   MovFromFpu    rd=r0 rn=r1                  i1 size
//   FpuCSel       rd=r0 rn=r1 rm=r2            i0 Cond i1 size (2: q registers, a branch diamond of two moves)
//   IntToFpu      rd=r0 rn=r1                  i0 signed i1 int size i2 fp size
//   FpuToInt      rd=r0 rn=r1                  i0 signed i1 int size i2 fp size
//   FpuRRRR       rd=r0 rn=r1 rm=r2 ra=r3      i0 0 fmadd / 1 fmsub / 2 fnmadd / 3 fnmsub i1 size
//   LoadConst     rd=r0                        i0 low word i1 high word i2 size (movz/movn/movk sequence)
//   AtomicRmwLoop rd=r0 (early def) rn=r1 rm=r2   i0 AtomicRmwOp i1 log2 bytes i2 1 = big-endian memory i3 trap code:
//                 ldaxr/op/stlxr/cbnz loop computing x16 = old op rm, status in w17; rd gets the old value
//                 (zero-extended); big-endian loops byte-reverse the loaded and the stored value
//   AtomicCasLoop rd=r0 (early def) rn=r1 exp=r2 new=r3  i1 log2 bytes i2 1 = big-endian i3 trap code
//   AtomicRmwLse  rd=r0 rn=r1 rs=r2            i0 LseOp i1 log2 bytes i3 trap code (ld<op>al / swpal, FEAT_LSE);
//                 rd gets the old value (zero-extended)
//   AtomicCasLse  rd=r0 (reuses rs) rn=r1 rs=r2 rt=r3  i1 log2 bytes i3 trap code (casal: compares rs with memory,
//                 stores rt if equal; rd = rs's register gets the old value)
//   LoadAcquire   rt=r0 rn=r1                  i1 log2 bytes i3 trap code (ldar, zero-extending)
//   StoreRelease  rt=r0 rn=r1                  i1 log2 bytes i3 trap code (stlr)
//   Fence                                      (dmb ish)
//   MovToVecHi    rd=r0 (reuses rn) rn=r1 rm=r2  (mov vd.d[1], xm: sets the high 64 bits of a q register)
//   MovFromVecHi  rd=r0 rn=r1                  (mov xd, vn.d[1])
//   ReturnCall                                 i0 ReturnCallKind i1 callee hw reg (Reg), aux ReturnCallInfo: tears the frame down,
//                 moves the callee's stack arguments over the incoming ones and branches (see emit-function.ts)
//   LabelAddress  rd=r0                        i0 label (adr to a block, e.g. an exception handler)
//   ElfTlsGetAddr rd=r0 (fixed def x0) tmp=r1 (early def)  aux ExtNameInfo: the TLS descriptor call
//                 (adrp/ldr/add/blr with R_AARCH64_TLSDESC_* relocations), then tmp = tpidr_el0, x0 += tmp;
//                 the resolver preserves every register but x0 and lr
//   MachOTlsGetAddr rd=r0 (fixed def x0)       aux TlsCallInfo: adrp/ldr of the variable's descriptor into x0,
//                 then a call of its thunk through x1 (clobbers the caller-saved registers)
//   (FpuRR with FpuOp1.Mov and size 2 is a full q-register move, `mov vd.16b, vn.16b`.)
// Advanced SIMD (see neon.ts; `size` is a VecSize: log2 lane bytes | Q << 2):
//   VecRRR        rd=r0 rn=r1 rm=r2            i0 VecALUOp i1 size
//   VecRRRMod     rd=r0 (reuses ri=r3) rn=r1 rm=r2  i0 VecALUOp (bsl, fmla, fmls) i1 size
//   VecMisc       rd=r0 rn=r1                  i0 VecMiscOp i1 size
//   VecLanes      rd=r0 rn=r1                  i0 VecLanesOp i1 size (result in the low lane, rest zeroed)
//   VecShiftImm   rd=r0 rn=r1                  i0 VecShiftOp i1 size i2 amount
//   VecNarrow     rd=r0 rn=r1 (i2 1: rd reuses r3, whose low half it keeps)  i0 VecNarrowOp i1 narrow lane log2
//   VecDup        rd=r0 rn=r1 (general)        i1 size
//   VecDupElement rd=r0 rn=r1                  i1 size i2 lane i3 1 = scalar (`mov sd, vn.s[i]`)
//   MovFromVec    rd=r0 (general) rn=r1        i0 signed (smov) i1 lane log2 i2 lane i3 1 = x destination
//   MovToVec      rd=r0 (reuses rn) rn=r1 rm=r2 (general)  i1 lane log2 i2 lane
//   VecMovElement rd=r0 (reuses rn) rn=r1 rm=r2  i1 lane log2 i2 destination lane i3 source lane
//   VecTbl        rd=r0 rn=r1 (table) rm=r2 (indices)  i0 1 = tbx (rd reuses r3: out-of-range lanes keep it) i1 size
//   VecMoviBytes  rd=r0                        i1 size i2 byte (movi: every byte the same)

import type { PReg, RegClass, VReg } from '@clift/regalloc';
import { xpreg } from './regs.js';

import type { OperandVisitor, RelocTarget } from '@clift/codegen';

export type { OperandVisitor };

export const Op = {
  AluRRR: 1, AluRRRR: 2, AluRRImm12: 3, AluRRImmLogic: 4, AluRRImmShift: 5, AluRRRShift: 6, AluRRRExtend: 7,
  BitRR: 8, MovWide: 9, MovK: 10, Mov: 11, MovSp: 12, Extend: 13, CSel: 14, CSet: 15, CCmpImm: 16,
  Load: 17, Store: 18, LoadPair: 19, StorePair: 20,
  Jump: 21, CondBr: 22, TrapIf: 23, Udf: 24, Ret: 25, Args: 26, Call: 27, CallInd: 28, JTSequence: 29,
  LoadAddr: 30, LoadExtName: 31, Hint: 32, Brk: 33, Adr: 34, BranchReg: 35,
  FpuRRR: 36, FpuRR: 37, FpuCmp: 38, MovToFpu: 39, MovFromFpu: 40, FpuCSel: 41, IntToFpu: 42, FpuToInt: 43, FpuRRRR: 44,
  LoadConst: 45, AtomicRmwLoop: 46, AtomicCasLoop: 47, LoadAcquire: 48, StoreRelease: 49, Fence: 50,
  MovToVecHi: 51, MovFromVecHi: 52, ReturnCall: 53, AtomicRmwLse: 54, AtomicCasLse: 55,
  LabelAddress: 56, ElfTlsGetAddr: 57, MachOTlsGetAddr: 58,
  VecRRR: 59, VecRRRMod: 60, VecMisc: 61, VecLanes: 62, VecShiftImm: 63, VecNarrow: 64, VecDup: 65,
  VecDupElement: 66, MovFromVec: 67, MovToVec: 68, VecMovElement: 69, VecTbl: 70, VecMoviBytes: 71,
} as const;
export type Op = (typeof Op)[keyof typeof Op];
export const OP_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const [k, v] of Object.entries(Op)) names[v] = k;
  return names;
})();

/** One instruction, as a reusable record (see the layout table above). */
export interface MInst {
  op: Op;
  r0: number;
  r1: number;
  r2: number;
  r3: number;
  i0: number;
  i1: number;
  i2: number;
  i3: number;
  aux: unknown;
}

export function newMInst(op: Op = Op.Hint): MInst {
  return { op, r0: 0, r1: 0, r2: 0, r3: 0, i0: 0, i1: 0, i2: 0, i3: 0, aux: undefined };
}

/** A vreg pinned to a physical register at an ABI boundary. */
export interface FixedReg {
  readonly vreg: VReg;
  readonly preg: PReg;
}
export interface ArgsInfo {
  readonly defs: readonly FixedReg[];
}
export interface RetInfo {
  readonly uses: readonly FixedReg[];
  /** Bytes of incoming stack arguments the callee pops (tail calling convention). */
  readonly popBytes: number;
}
export interface CallInfo {
  /** Direct call target; undefined for `CallInd`. */
  readonly dest: RelocTarget | undefined;
  readonly uses: readonly FixedReg[];
  readonly defs: readonly FixedReg[];
  readonly clobbers: readonly PReg[];
  /** CLIF text of the call, for listings. */
  readonly callee: string;
  /** Bytes of stack arguments a `tail` callee pops; the caller lowers SP again after the call. */
  readonly calleePop: number;
}
/** How a `ReturnCall` reaches its callee. */
export const ReturnCallKind = {
  /** `b name` (colocated callee, Arm64Call relocation). */
  Near: 0,
  /** Address loaded into x16 from an inline literal, then `br x16`. */
  Far: 1,
  /** `br rn`; rn is pinned to a caller-saved register the epilogue does not restore. */
  Reg: 2,
} as const;
export type ReturnCallKind = (typeof ReturnCallKind)[keyof typeof ReturnCallKind];
export interface ReturnCallInfo {
  /** Argument registers (fixed uses), plus the callee register for `Reg`. */
  readonly uses: readonly FixedReg[];
  /** Callee symbol for `Near` and `Far`. */
  readonly dest: RelocTarget | undefined;
  /** CLIF text of the callee, for listings. */
  readonly callee: string;
  /** Bytes of stack arguments the callee receives (already stored at the bottom of the frame). */
  readonly stackArgBytes: number;
}
export interface JumpTableInfo {
  /** Labels of the table entries, in index order. */
  readonly targets: Int32Array;
}
export interface ExtNameInfo {
  readonly target: RelocTarget;
  readonly offset: bigint;
  readonly text: string;
}
/** A Mach-O thread-local variable access: the variable and what its thunk call clobbers. */
export interface TlsCallInfo extends ExtNameInfo {
  readonly clobbers: readonly PReg[];
}

const X0 = xpreg(0);

function usesRm(amode: number): boolean {
  return amode === 1 || amode === 2 || amode === 3;
}
function usesRn(amode: number): boolean {
  return amode <= 3 || amode === 7 || amode === 8;
}

/**
 * Lists the allocatable operands of `m` in their fixed order. Fields holding
 * physical registers (negative Regs) are not operands and are skipped by the
 * caller's visitor (it checks the field's value).
 */
export function visitOperands(m: MInst, v: OperandVisitor): void {
  switch (m.op) {
    case Op.AluRRR:
    case Op.AluRRRShift:
    case Op.AluRRRExtend:
    case Op.CSel:
    case Op.FpuRRR:
    case Op.FpuCSel:
    case Op.VecRRR:
      v.use(1);
      v.use(2);
      v.def(0);
      return;
    case Op.AluRRRR:
    case Op.FpuRRRR:
      v.use(1);
      v.use(2);
      v.use(3);
      v.def(0);
      return;
    case Op.AluRRImm12:
    case Op.AluRRImmLogic:
    case Op.AluRRImmShift:
    case Op.BitRR:
    case Op.Mov:
    case Op.MovSp:
    case Op.Extend:
    case Op.FpuRR:
    case Op.MovToFpu:
    case Op.MovFromFpu:
    case Op.IntToFpu:
    case Op.FpuToInt:
    case Op.VecMisc:
    case Op.VecLanes:
    case Op.VecShiftImm:
    case Op.VecDup:
    case Op.VecDupElement:
    case Op.MovFromVec:
      v.use(1);
      v.def(0);
      return;
    case Op.VecRRRMod:
      v.use(3);
      v.use(1);
      v.use(2);
      v.reuseDef(0, 0);
      return;
    case Op.VecNarrow:
      if (m.i2 === 1) {
        v.use(3);
        v.use(1);
        v.reuseDef(0, 0);
      } else {
        v.use(1);
        v.def(0);
      }
      return;
    case Op.MovToVec:
    case Op.VecMovElement:
      v.use(1);
      v.use(2);
      v.reuseDef(0, 0);
      return;
    case Op.VecTbl:
      if (m.i0 === 1) {
        v.use(3);
        v.use(1);
        v.use(2);
        v.reuseDef(0, 0);
      } else {
        v.use(1);
        v.use(2);
        v.def(0);
      }
      return;
    case Op.VecMoviBytes:
      v.def(0);
      return;
    case Op.MovWide:
    case Op.LoadConst:
    case Op.CSet:
    case Op.LoadAddr:
    case Op.LoadExtName:
    case Op.Adr:
    case Op.LabelAddress:
      v.def(0);
      return;
    case Op.ElfTlsGetAddr:
      v.fixedDef(m.r0 as VReg, X0);
      v.earlyDef(1);
      return;
    case Op.MachOTlsGetAddr:
      v.fixedDef(m.r0 as VReg, X0);
      v.clobbers((m.aux as TlsCallInfo).clobbers);
      return;
    case Op.MovK:
      v.use(1);
      v.reuseDef(0, 0);
      return;
    case Op.AtomicRmwLoop:
      v.use(1);
      v.use(2);
      v.earlyDef(0);
      return;
    case Op.AtomicCasLoop:
      v.use(1);
      v.use(2);
      v.use(3);
      v.earlyDef(0);
      return;
    case Op.AtomicRmwLse:
      v.use(1);
      v.use(2);
      v.def(0);
      return;
    case Op.AtomicCasLse:
      // casal overwrites rs with the old value, so rd is rs's register.
      v.use(2);
      v.use(1);
      v.use(3);
      v.reuseDef(0, 0);
      return;
    case Op.LoadAcquire:
    case Op.MovFromVecHi:
      v.use(1);
      v.def(0);
      return;
    case Op.MovToVecHi:
      v.use(1);
      v.use(2);
      v.reuseDef(0, 0);
      return;
    case Op.StoreRelease:
      v.use(0);
      v.use(1);
      return;
    case Op.CCmpImm:
    case Op.BranchReg:
      v.use(1);
      return;
    case Op.FpuCmp:
      v.use(1);
      v.use(2);
      return;
    case Op.Load:
      if (usesRn(m.i1)) v.use(1);
      if (usesRm(m.i1)) v.use(2);
      v.def(0);
      return;
    case Op.Store:
      v.use(0);
      if (usesRn(m.i1)) v.use(1);
      if (usesRm(m.i1)) v.use(2);
      return;
    case Op.CondBr:
    case Op.TrapIf:
      if (m.i2 !== 0) v.use(1);
      return;
    case Op.JTSequence:
      v.use(1);
      return;
    case Op.Args: {
      const info = m.aux as ArgsInfo;
      for (const d of info.defs) v.fixedDef(d.vreg, d.preg);
      return;
    }
    case Op.Ret: {
      const info = m.aux as RetInfo;
      for (const u of info.uses) v.fixedUse(u.vreg, u.preg);
      return;
    }
    case Op.ReturnCall: {
      const info = m.aux as ReturnCallInfo;
      for (const u of info.uses) v.fixedUse(u.vreg, u.preg);
      return;
    }
    case Op.Call:
    case Op.CallInd: {
      const info = m.aux as CallInfo;
      if (m.op === Op.CallInd) v.use(1);
      for (const u of info.uses) v.fixedUse(u.vreg, u.preg);
      for (const d of info.defs) v.fixedDef(d.vreg, d.preg);
      v.clobbers(info.clobbers);
      return;
    }
    default:
      return;
  }
}

/** Register class of field `slot` of `m` (int unless an FP field). */
export function fieldClass(m: MInst, slot: number): RegClass {
  switch (m.op) {
    case Op.FpuRRR:
    case Op.FpuRR:
    case Op.FpuCmp:
    case Op.FpuCSel:
    case Op.FpuRRRR:
    case Op.VecRRR:
    case Op.VecRRRMod:
    case Op.VecMisc:
    case Op.VecLanes:
    case Op.VecShiftImm:
    case Op.VecNarrow:
    case Op.VecDupElement:
    case Op.VecMovElement:
    case Op.VecTbl:
    case Op.VecMoviBytes:
      return 1;
    case Op.VecDup:
      return slot === 0 ? 1 : 0;
    case Op.MovFromVec:
      return slot === 0 ? 0 : 1;
    case Op.MovToVec:
      return slot === 2 ? 0 : 1;
    case Op.MovToFpu:
    case Op.IntToFpu:
      return slot === 0 ? 1 : 0;
    case Op.MovToVecHi:
      return slot === 2 ? 0 : 1;
    case Op.MovFromVecHi:
      return slot === 1 ? 1 : 0;
    case Op.MovFromFpu:
    case Op.FpuToInt:
      return slot === 0 ? 0 : 1;
    case Op.Load:
    case Op.Store:
      return slot === 0 && m.i0 >= 11 ? 1 : 0;
    case Op.LoadPair:
    case Op.StorePair:
      return slot < 2 && m.i0 === 1 ? 1 : 0;
    default:
      return 0;
  }
}

export const InstFlag = { Ret: 1, Branch: 2, Move: 4 } as const;
