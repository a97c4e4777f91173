// Pretty-printing of AArch64 instructions in the assembler syntax LLVM's
// disassembler prints (preferred aliases: `mov`, `cmp`, `tst`, `lsl`, `cset`,
// …), so that every emitted instruction can be checked against `llvm-mc
// -disassemble` (see emit.test.ts). Pseudo-instructions print as the
// sequences they expand to, one instruction per line.
//
// Register fields are printed through a `RegNamer`, so the same printer
// shows hardware registers after allocation and vregs before it.

import { TrapCode, trapCodeName } from '@clift/ir';
import {
  ALU_OP_NAMES,
  ALUOp,
  AMode,
  CondKind,
  EXTEND_OP_NAMES,
  FPU_OP1_NAMES,
  FPU_OP2_NAMES,
  HINT_NAMES,
  LSE_OP_NAMES,
  MEM_OPS,
  PairAMode,
  SHIFT_OP_NAMES,
  type Cond,
  condInvert,
  condName,
} from './args.js';
import { atomicLoop, finalizeAmode, movImmWords, tlsSequence, vecSelectSequence, type EmitState } from './emit.js';
import { Imm12, ImmLogic, moveWideMaybeFrom } from './imms.js';
import { Op, type CallInfo, type ExtNameInfo, type JumpTableInfo, type MInst } from './mod.js';
import { fprName, gprName, HW_SPILLTMP, HW_TMP2 } from './regs.js';
import {
  laneLetter,
  laneText,
  printMovFromVec,
  printVecLanes,
  printVecMisc,
  printVecMoviBytes,
  printVecNarrow,
  printVecRRR,
  printVecShiftImm,
  printVecTbl,
  vecArrangement,
} from './neon.js';

/** How register fields and labels are shown. */
export interface RegNamer {
  gpr(r: number, is64: boolean, sp: boolean): string;
  fpr(r: number, bytes: number): string;
  label(l: number): string;
}

export const HW_NAMES: RegNamer = {
  gpr: (r, is64, sp) => gprName(r, is64, sp),
  fpr: (r, bytes) => fprName(r, bytes),
  label: (l) => `label${l}`,
};

function hex(v: bigint): string {
  return `0x${v.toString(16)}`;
}
function signedDec(v: bigint, bits: number): string {
  return BigInt.asIntN(bits, v).toString();
}

/** Text of a movz/movn/movk word (used for expansions). */
/** Text of `emitSpAdjust(amount)`, one line per instruction. */
export function spAdjustText(amount: number): string[] {
  if (amount === 0) return [];
  const op = amount > 0 ? 'add' : 'sub';
  let a = Math.abs(amount);
  if (Imm12.maybeFrom(a) !== undefined) return [a >= 0x1000 ? `${op} sp, sp, #${a >>> 12}, lsl #12` : `${op} sp, sp, #${a}`];
  if (a < 0x1000000) {
    const out = [`${op} sp, sp, #${a >>> 12}, lsl #12`];
    a &= 0xfff;
    if (a !== 0) out.push(`${op} sp, sp, #${a}`);
    return out;
  }
  return [...movImmWords(HW_SPILLTMP, BigInt(a), true).map((w) => printMovWord(w, HW_NAMES)), `${op} sp, sp, x16`];
}

function printMovWord(w: number, n: RegNamer, regText?: string): string {
  const is64 = w >>> 31 === 1;
  const opc = (w >>> 29) & 3;
  const hw = (w >>> 21) & 3;
  const imm16 = (w >>> 5) & 0xffff;
  const rd = regText ?? n.gpr(w & 31, is64, false);
  return printMovWide(opc === 0 ? 'n' : opc === 2 ? 'z' : 'k', is64, rd, imm16, hw);
}

function printMovWide(kind: 'z' | 'n' | 'k', is64: boolean, rd: string, imm16: number, hw: number): string {
  const bits = is64 ? 64 : 32;
  const shift = hw * 16;
  if (kind === 'k') return `movk ${rd}, #${imm16}${hw ? `, lsl #${shift}` : ''}`;
  if (imm16 === 0 && hw !== 0) return `mov${kind} ${rd}, #0, lsl #${shift}`;
  if (kind === 'n' && !is64 && imm16 === 0xffff) return `movn ${rd}, #${imm16}${hw ? `, lsl #${shift}` : ''}`;
  const v = BigInt(imm16) << BigInt(shift);
  const value = kind === 'z' ? v : ~v;
  return `mov ${rd}, #${signedDec(value, bits)}`;
}

function printAluRRR(m: MInst, n: RegNamer, shiftText = ''): string {
  const is64 = m.i1 === 1;
  const rd = n.gpr(m.r0, is64, false);
  const rn = n.gpr(m.r1, is64, false);
  const rm = n.gpr(m.r2, is64, false);
  switch (m.i0) {
    case ALUOp.Subs:
      if (m.r0 === 31) return `cmp ${rn}, ${rm}${shiftText}`;
      if (m.r1 === 31) return `negs ${rd}, ${rm}${shiftText}`;
      break;
    case ALUOp.Adds:
      if (m.r0 === 31) return `cmn ${rn}, ${rm}${shiftText}`;
      break;
    case ALUOp.Ands:
      if (m.r0 === 31) return `tst ${rn}, ${rm}${shiftText}`;
      break;
    case ALUOp.Orr:
      if (m.r1 === 31 && shiftText === '') return `mov ${rd}, ${rm}`;
      break;
    case ALUOp.OrrNot:
      if (m.r1 === 31) return `mvn ${rd}, ${rm}${shiftText}`;
      break;
    case ALUOp.Sub:
      if (m.r1 === 31) return `neg ${rd}, ${rm}${shiftText}`;
      break;
    case ALUOp.Sbc:
      if (m.r1 === 31) return `ngc ${rd}, ${rm}`;
      break;
    case ALUOp.Sbcs:
      if (m.r1 === 31) return `ngcs ${rd}, ${rm}`;
      break;
    case ALUOp.SMulH:
    case ALUOp.UMulH:
      return `${ALU_OP_NAMES[m.i0]} ${n.gpr(m.r0, true, false)}, ${n.gpr(m.r1, true, false)}, ${n.gpr(m.r2, true, false)}`;
    default:
      break;
  }
  return `${ALU_OP_NAMES[m.i0]} ${rd}, ${rn}, ${rm}${shiftText}`;
}

function printAmode(m: MInst, st: EmitState, n: RegNamer): { pre: string[]; text: string } {
  const a = finalizeAmode(m, st);
  const pre = a.pre.map((w) => printMovWord(w, n));
  const rn = a.form === 'lit' ? '' : n.gpr(a.rn, true, true);
  switch (a.form) {
    case 'uimm':
      return { pre, text: a.off === 0 ? `[${rn}]` : `[${rn}, #${a.off}]` };
    case 'simm':
      return { pre, text: a.off === 0 ? `[${rn}]` : `[${rn}, #${a.off}]` };
    case 'pre':
      return { pre, text: `[${rn}, #${a.off}]!` };
    case 'post':
      return { pre, text: `[${rn}], #${a.off}` };
    case 'lit':
      return { pre, text: n.label(m.i2) };
    case 'reg': {
      const info = MEM_OPS[m.i0];
      const shift = Math.log2(info.bytes);
      if (a.option === 3) {
        const rm = a.rm === HW_SPILLTMP && a.pre.length > 0 ? gprName(HW_SPILLTMP, true) : n.gpr(a.rm, true, false);
        return { pre, text: a.scaled ? `[${rn}, ${rm}, lsl #${shift}]` : `[${rn}, ${rm}]` };
      }
      const rm = n.gpr(a.rm, false, false);
      const ext = EXTEND_OP_NAMES[a.option];
      return { pre, text: a.scaled ? `[${rn}, ${rm}, ${ext} #${shift}]` : `[${rn}, ${rm}, ${ext}]` };
    }
  }
}

function memRegName(m: MInst, n: RegNamer): string {
  const info = MEM_OPS[m.i0];
  if (info.isFpu) return n.fpr(m.r0, info.bytes);
  return n.gpr(m.r0, info.rt64, false);
}

function condBranchText(kind: number, condOrSize: number, rn: number, target: string, n: RegNamer): string {
  if (kind === CondKind.Cond) return `b.${condName(condOrSize)} ${target}`;
  return `${kind === CondKind.NotZero ? 'cbnz' : 'cbz'} ${n.gpr(rn, condOrSize === 1, false)}, ${target}`;
}

/** A vector register as `vN` (the q name with its letter replaced). */
function vec(n: RegNamer, r: number): string {
  return `v${n.fpr(r, 16).slice(1)}`;
}

function fpBytes(size: number): number {
  return size === 1 ? 8 : 4;
}

/** The instruction as assembler text; several lines for pseudo-instructions. */
export function printInst(m: MInst, st: EmitState, n: RegNamer = HW_NAMES): string {
  const is64 = m.i1 === 1;
  switch (m.op) {
    case Op.AluRRR:
      return printAluRRR(m, n);
    case Op.AluRRRShift:
      return printAluRRR(m, n, m.i3 === 0 && m.i2 === 0 ? '' : `, ${SHIFT_OP_NAMES[m.i2]} #${m.i3}`);
    case Op.AluRRRExtend: {
      const rmIs64 = (m.i2 & 3) === 3;
      const flags = m.i0 === ALUOp.Adds || m.i0 === ALUOp.Subs;
      const rd = n.gpr(m.r0, is64, !flags);
      const rn = n.gpr(m.r1, is64, true);
      const rm = n.gpr(m.r2, rmIs64, false);
      const usesSp = (!flags && m.r0 === 31) || m.r1 === 31;
      const ext = usesSp && m.i2 === (is64 ? 3 : 2) ? '' : `, ${EXTEND_OP_NAMES[m.i2]}`;
      if (flags && m.r0 === 31) return `${m.i0 === ALUOp.Subs ? 'cmp' : 'cmn'} ${rn}, ${rm}${ext}`;
      return `${ALU_OP_NAMES[m.i0]} ${rd}, ${rn}, ${rm}${ext}`;
    }
    case Op.AluRRRR: {
      const rd = n.gpr(m.r0, is64 || m.i0 >= 2, false);
      const rn = n.gpr(m.r1, is64 && m.i0 < 2, false);
      const rm = n.gpr(m.r2, is64 && m.i0 < 2, false);
      const ra = n.gpr(m.r3, is64 || m.i0 >= 2, false);
      if (m.r3 === 31) return `${['mul', 'mneg', 'smull', 'umull'][m.i0]} ${rd}, ${rn}, ${rm}`;
      return `${['madd', 'msub', 'smaddl', 'umaddl'][m.i0]} ${rd}, ${rn}, ${rm}, ${ra}`;
    }
    case Op.AluRRImm12: {
      const flags = m.i0 === ALUOp.Adds || m.i0 === ALUOp.Subs;
      const rd = n.gpr(m.r0, is64, !flags);
      const rn = n.gpr(m.r1, is64, true);
      const imm = m.i2 as Imm12;
      const immText = `#${Imm12.bits(imm)}${Imm12.shift12(imm) ? ', lsl #12' : ''}`;
      if (m.i0 === ALUOp.Add && Imm12.value(imm) === 0 && (m.r0 === 31 || m.r1 === 31)) return `mov ${rd}, ${rn}`;
      if (flags && m.r0 === 31) return `${m.i0 === ALUOp.Subs ? 'cmp' : 'cmn'} ${rn}, ${immText}`;
      return `${ALU_OP_NAMES[m.i0]} ${rd}, ${rn}, ${immText}`;
    }
    case Op.AluRRImmLogic: {
      const bits = is64 ? 64 : 32;
      const value = ImmLogic.value(m.i2 as ImmLogic, bits);
      const rd = n.gpr(m.r0, is64, m.i0 !== ALUOp.Ands);
      const rn = n.gpr(m.r1, is64, false);
      if (m.i0 === ALUOp.Ands && m.r0 === 31) return `tst ${rn}, #${hex(value)}`;
      if (m.i0 === ALUOp.Orr && m.r1 === 31) {
        const movable = moveWideMaybeFrom(value, bits) !== undefined || moveWideMaybeFrom(~value, bits) !== undefined;
        if (!movable) return `mov ${rd}, #${signedDec(value, bits)}`;
      }
      return `${ALU_OP_NAMES[m.i0]} ${rd}, ${rn}, #${hex(value)}`;
    }
    case Op.AluRRImmShift:
      return `${ALU_OP_NAMES[m.i0]} ${n.gpr(m.r0, is64, false)}, ${n.gpr(m.r1, is64, false)}, #${m.i2 & (is64 ? 63 : 31)}`;
    case Op.BitRR: {
      const name = ['rbit', 'rev16', is64 ? 'rev32' : 'rev', 'rev', 'clz', 'cls'][m.i0];
      return `${name} ${n.gpr(m.r0, is64, false)}, ${n.gpr(m.r1, is64, false)}`;
    }
    case Op.MovWide:
      return printMovWide(m.i0 === 1 ? 'n' : 'z', is64, n.gpr(m.r0, is64, false), m.i2, m.i3);
    case Op.MovK:
      return printMovWide('k', is64, n.gpr(m.r0, is64, false), m.i2, m.i3);
    case Op.Mov:
      return `mov ${n.gpr(m.r0, is64, false)}, ${n.gpr(m.r1, is64, false)}`;
    case Op.MovSp:
      return `mov ${n.gpr(m.r0, true, true)}, ${n.gpr(m.r1, true, true)}`;
    case Op.Extend: {
      const signed = m.i0 === 1;
      const from = m.i1;
      if (!signed && from === 32) return `mov ${n.gpr(m.r0, false, false)}, ${n.gpr(m.r1, false, false)}`;
      const name = `${signed ? 's' : 'u'}xt${from === 8 ? 'b' : from === 16 ? 'h' : 'w'}`;
      return `${name} ${n.gpr(m.r0, signed && m.i2 === 64, false)}, ${n.gpr(m.r1, false, false)}`;
    }
    case Op.CSel: {
      const rd = n.gpr(m.r0, is64, false);
      const rn = n.gpr(m.r1, is64, false);
      const rm = n.gpr(m.r2, is64, false);
      const c = m.i0 as Cond;
      if (m.r1 === m.r2 && c < 14 && m.i2 !== 0) {
        if (m.r1 === 31 && m.i2 !== 3) return `${m.i2 === 1 ? 'cset' : 'csetm'} ${rd}, ${condName(condInvert(c))}`;
        return `${['', 'cinc', 'cinv', 'cneg'][m.i2]} ${rd}, ${rn}, ${condName(condInvert(c))}`;
      }
      return `${['csel', 'csinc', 'csinv', 'csneg'][m.i2]} ${rd}, ${rn}, ${rm}, ${condName(c)}`;
    }
    case Op.CSet:
      return `${m.i2 === 1 ? 'csetm' : 'cset'} ${n.gpr(m.r0, is64, false)}, ${condName(m.i0)}`;
    case Op.CCmpImm:
      return `ccmp ${n.gpr(m.r1, is64, false)}, #${m.i2}, #${m.i3}, ${condName(m.i0)}`;
    case Op.Load:
    case Op.Store: {
      const info = MEM_OPS[m.i0];
      const { pre, text } = printAmode(m, st, n);
      const a = finalizeAmode(m, st);
      const mnem = a.form === 'simm' ? info.unscaled : info.mnemonic;
      return [...pre, `${mnem} ${memRegName(m, n)}, ${text}`].join('\n');
    }
    case Op.LoadPair:
    case Op.StorePair: {
      const fp = m.i0 === 1;
      const r = (x: number): string => (fp ? n.fpr(x, 8) : n.gpr(x, true, false));
      const base = n.gpr(m.r2, true, true);
      const addr = m.i1 === PairAMode.PreIndexed ? `[${base}, #${m.i2}]!` : m.i1 === PairAMode.PostIndexed ? `[${base}], #${m.i2}` : m.i2 === 0 ? `[${base}]` : `[${base}, #${m.i2}]`;
      return `${m.op === Op.LoadPair ? 'ldp' : 'stp'} ${r(m.r0)}, ${r(m.r1)}, ${addr}`;
    }
    case Op.Jump:
      return `b ${n.label(m.i0)}`;
    case Op.CondBr:
      return `${condBranchText(m.i2, m.i3, m.r1, n.label(m.i0), n)}\nb ${n.label(m.i1)}`;
    case Op.TrapIf:
      return condBranchText(m.i2, m.i3, m.r1, `#trap=${trapCodeName(m.i0 as TrapCode)}`, n);
    case Op.Udf:
      return `udf #${0xc11f}`;
    case Op.Ret:
      return [...st.epilogueText(), 'ret'].join('\n');
    case Op.Args:
      return '';
    case Op.Call:
      return [`bl ${(m.aux as CallInfo).callee}`, ...spAdjustText(-(m.aux as CallInfo).calleePop)].join('\n');
    case Op.CallInd:
      return [`blr ${n.gpr(m.r1, true, false)}`, ...spAdjustText(-(m.aux as CallInfo).calleePop)].join('\n');
    case Op.ReturnCall:
      return st.returnCallText(m).join('\n');
    case Op.BranchReg:
      return `br ${n.gpr(m.r1, true, false)}`;
    case Op.JTSequence: {
      const info = m.aux as JumpTableInfo;
      const lines = [
        `b.hs ${n.label(m.i0)}`,
        `adr x16, #16`,
        `ldrsw x17, [x16, ${n.gpr(m.r1, false, false)}, uxtw #2]`,
        `add x16, x16, x17`,
        `br x16`,
        `jt_entries ${Array.from(info.targets, (t) => n.label(t)).join(', ')}`,
      ];
      void HW_TMP2;
      return lines.join('\n');
    }
    case Op.LoadAddr: {
      let off = m.i1;
      const base = m.i0 === AMode.FPOffset ? 'x29' : 'sp';
      if (m.i0 === AMode.SlotOffset) off += st.slotBase;
      const rd = n.gpr(m.r0, true, true);
      const imm = Imm12.maybeFrom(Math.abs(off));
      if (imm !== undefined) {
        if (off === 0) return `mov ${rd}, ${base}`;
        const t = `#${Imm12.bits(imm)}${Imm12.shift12(imm) ? ', lsl #12' : ''}`;
        return `${off < 0 ? 'sub' : 'add'} ${rd}, ${base}, ${t}`;
      }
      return [...movImmWords(HW_SPILLTMP, BigInt(off), true).map((w) => printMovWord(w, n)), `add ${rd}, ${base}, x16`].join('\n');
    }
    case Op.LoadExtName: {
      const info = m.aux as ExtNameInfo;
      return `ldr ${n.gpr(m.r0, true, false)}, #8\nb #12\ndata ${info.text} + ${info.offset}`;
    }
    case Op.Hint:
      return HINT_NAMES[m.i0];
    case Op.Brk:
      return 'brk #0';
    case Op.Adr:
      return `adr ${n.gpr(m.r0, true, false)}, #${m.i0}`;
    case Op.LabelAddress:
      return `adr ${n.gpr(m.r0, true, false)}, ${n.label(m.i0)}`;
    case Op.ElfTlsGetAddr:
    case Op.MachOTlsGetAddr:
      return tlsSequence(m, n.gpr(m.r1, true, false)).map((w) => w.text).join('\n');
    case Op.FpuRRR:
      return `${FPU_OP2_NAMES[m.i0]} ${n.fpr(m.r0, fpBytes(m.i1))}, ${n.fpr(m.r1, fpBytes(m.i1))}, ${n.fpr(m.r2, fpBytes(m.i1))}`;
    case Op.LoadConst: {
      const v = (BigInt(m.i1 >>> 0) << 32n) | BigInt(m.i0 >>> 0);
      const rd = n.gpr(m.r0, m.i2 === 1, false);
      return movImmWords(0, v, m.i2 === 1).map((w) => printMovWord(w, n, rd)).join('\n');
    }
    case Op.FpuRR: {
      if (m.i0 === 9 && m.i1 === 2) return `mov ${n.fpr(m.r0, 16).replace('q', 'v')}.16b, ${n.fpr(m.r1, 16).replace('q', 'v')}.16b`;
      if (m.i0 === 3) return `fcvt ${n.fpr(m.r0, 8)}, ${n.fpr(m.r1, 4)}`;
      if (m.i0 === 4) return `fcvt ${n.fpr(m.r0, 4)}, ${n.fpr(m.r1, 8)}`;
      return `${FPU_OP1_NAMES[m.i0]} ${n.fpr(m.r0, fpBytes(m.i1))}, ${n.fpr(m.r1, fpBytes(m.i1))}`;
    }
    case Op.FpuCmp:
      return `fcmp ${n.fpr(m.r1, fpBytes(m.i1))}, ${n.fpr(m.r2, fpBytes(m.i1))}`;
    case Op.MovToFpu:
      return `fmov ${n.fpr(m.r0, fpBytes(m.i1))}, ${n.gpr(m.r1, is64, false)}`;
    case Op.MovFromFpu:
      return `fmov ${n.gpr(m.r0, is64, false)}, ${n.fpr(m.r1, fpBytes(m.i1))}`;
    case Op.FpuCSel:
      if (m.i1 === 2) return vecSelectSequence(m, (r) => n.fpr(r, 16).replace('q', 'v')).map((w) => w.text).join('\n');
      return `fcsel ${n.fpr(m.r0, fpBytes(m.i1))}, ${n.fpr(m.r1, fpBytes(m.i1))}, ${n.fpr(m.r2, fpBytes(m.i1))}, ${condName(m.i0)}`;
    case Op.IntToFpu:
      return `${m.i0 === 1 ? 'scvtf' : 'ucvtf'} ${n.fpr(m.r0, fpBytes(m.i2))}, ${n.gpr(m.r1, is64, false)}`;
    case Op.FpuToInt:
      return `${m.i0 === 1 ? 'fcvtzs' : 'fcvtzu'} ${n.gpr(m.r0, is64, false)}, ${n.fpr(m.r1, fpBytes(m.i2))}`;
    case Op.FpuRRRR: {
      const b = fpBytes(m.i1);
      return `${['fmadd', 'fmsub', 'fnmadd', 'fnmsub'][m.i0]} ${n.fpr(m.r0, b)}, ${n.fpr(m.r1, b)}, ${n.fpr(m.r2, b)}, ${n.fpr(m.r3, b)}`;
    }
    case Op.AtomicRmwLoop:
    case Op.AtomicCasLoop:
      return atomicLoop(m).text.join('\n');
    case Op.AtomicRmwLse:
      return `${LSE_OP_NAMES[m.i0]}${['b', 'h', '', ''][m.i1]} ${n.gpr(m.r2, m.i1 === 3, false)}, ${n.gpr(m.r0, m.i1 === 3, false)}, [${n.gpr(m.r1, true, true)}]`;
    case Op.AtomicCasLse:
      return `casal${['b', 'h', '', ''][m.i1]} ${n.gpr(m.r0, m.i1 === 3, false)}, ${n.gpr(m.r3, m.i1 === 3, false)}, [${n.gpr(m.r1, true, true)}]`;
    case Op.LoadAcquire:
      return `${['ldarb', 'ldarh', 'ldar', 'ldar'][m.i1]} ${n.gpr(m.r0, m.i1 === 3, false)}, [${n.gpr(m.r1, true, true)}]`;
    case Op.StoreRelease:
      return `${['stlrb', 'stlrh', 'stlr', 'stlr'][m.i1]} ${n.gpr(m.r0, m.i1 === 3, false)}, [${n.gpr(m.r1, true, true)}]`;
    case Op.Fence:
      return 'dmb ish';
    case Op.MovToVecHi:
      return `mov ${n.fpr(m.r0, 16).replace('q', 'v')}.d[1], ${n.gpr(m.r2, true, false)}`;
    case Op.MovFromVecHi:
      return `mov ${n.gpr(m.r0, true, false)}, ${n.fpr(m.r1, 16).replace('q', 'v')}.d[1]`;
    case Op.VecRRR:
    case Op.VecRRRMod:
      return printVecRRR(m.i0, m.i1, vec(n, m.r0), vec(n, m.r1), vec(n, m.r2));
    case Op.VecMisc:
      return printVecMisc(m.i0, m.i1, vec(n, m.r0), vec(n, m.r1));
    case Op.VecLanes:
      return printVecLanes(m.i0, m.i1, vec(n, m.r0).slice(1), vec(n, m.r1));
    case Op.VecShiftImm:
      return printVecShiftImm(m.i0, m.i1, vec(n, m.r0), vec(n, m.r1), m.i2);
    case Op.VecNarrow:
      return printVecNarrow(m.i0, m.i1, m.i2 === 1, vec(n, m.r0), vec(n, m.r1));
    case Op.VecDup:
      return `dup ${vec(n, m.r0)}.${vecArrangement(m.i1)}, ${n.gpr(m.r1, (m.i1 & 3) === 3, false)}`;
    case Op.VecDupElement:
      if (m.i3 === 1) return `mov ${laneLetter(m.i1 & 3)}${vec(n, m.r0).slice(1)}, ${laneText(vec(n, m.r1), m.i1 & 3, m.i2)}`;
      return `dup ${vec(n, m.r0)}.${vecArrangement(m.i1)}, ${laneText(vec(n, m.r1), m.i1 & 3, m.i2)}`;
    case Op.MovFromVec:
      return printMovFromVec(m.i0 === 1, m.i1, m.i2, m.i3 === 1, n.gpr(m.r0, m.i3 === 1, false), vec(n, m.r1));
    case Op.MovToVec:
      return `mov ${laneText(vec(n, m.r0), m.i1, m.i2)}, ${n.gpr(m.r2, m.i1 === 3, false)}`;
    case Op.VecMovElement:
      return `mov ${laneText(vec(n, m.r0), m.i1, m.i2)}, ${laneText(vec(n, m.r2), m.i1, m.i3)}`;
    case Op.VecTbl:
      return printVecTbl(m.i0 === 1, m.i1, vec(n, m.r0), vec(n, m.r1), vec(n, m.r2));
    case Op.VecMoviBytes:
      return printVecMoviBytes(m.i1, vec(n, m.r0), m.i2);
    default:
      return `<op ${String(Reflect.get(m, 'op'))}>`;
  }
}
