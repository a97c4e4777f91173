// Emission of an allocated function: frame layout, prologue and epilogue,
// the body with the allocator's moves inserted, and the listing.
//
// Reads allocations by replaying `visitOperands` in the order VCode recorded
// operands (see codegen's vcode.ts), so field k of an instruction gets the
// allocation of the k-th visited operand. Physical-register fields (sp, zr,
// fp, x16, x17) are not operands and keep their hardware number.

import {
  MachBuffer,
  computeFrameLayout,
  type EmitResult,
  type Flags,
  type FrameLayout,
  type OperandVisitor,
  type VCode,
} from '@clift/codegen';
import {
  OperandKind,
  RegClass,
  allocIndex,
  allocIsReg,
  allocIsStack,
  instAllocs,
  operandKind,
  pregClass,
  pregHw,
  type Allocation,
  type Output,
  type PReg,
} from '@clift/regalloc';
import { AARCH64_ABI, machineEnv } from './abi.js';
import { AMode, FpuOp1, HintOp, MemOp, PairAMode, condName } from './inst/args.js';
import { BUFFER_HOOKS, LABEL_USE_KINDS, emitInst, emitSpAdjust, type EmitState } from './inst/emit.js';
import { Op, ReturnCallKind, newMInst, visitOperands, type ExtNameInfo, type MInst, type ReturnCallInfo } from './inst/mod.js';
import { HW_NAMES, printInst, spAdjustText, type RegNamer } from './inst/print.js';
import { HW_FP, HW_LR, HW_SPILLTMP, HW_TMP2 } from './inst/regs.js';
import type { FunctionAbi } from './lower.js';

interface ListingLine {
  offset: number;
  text: string;
}

/** Registers written by the body (defs and move destinations). */
function allAllocatable(): Set<PReg> {
  const env = machineEnv();
  return new Set([...env.preferredRegsByClass, ...env.nonPreferredRegsByClass].flat());
}

function writtenRegs(vcode: VCode, ra: Output): Set<PReg> {
  const out = new Set<PReg>();
  const n = vcode.numInsts();
  for (let i = 0; i < n; i++) {
    const ops = vcode.instOperands(i as never);
    const allocs = instAllocs(ra, i);
    for (let k = 0; k < ops.length; k++) {
      if (operandKind(ops[k]) === OperandKind.Def && allocIsReg(allocs[k] as Allocation)) out.add(allocIndex(allocs[k] as Allocation) as PReg);
    }
  }
  for (const e of ra.edits) if (allocIsReg(e.to)) out.add(allocIndex(e.to) as PReg);
  return out;
}

export function frameLayoutFor(vcode: VCode, ra: Output, flags: Flags): FrameLayout {
  const abi = vcode.abi as FunctionAbi;
  // A try_call's handler is entered with every register clobbered: save them all for our caller.
  const candidates = abi.hasTryCall ? allAllocatable() : writtenRegs(vcode, ra);
  const saves = [...candidates].filter((p) => AARCH64_ABI.isCalleeSaved(abi.callConv, p)).sort((a, b) => a - b);
  return computeFrameLayout({
    func: vcode.func,
    isLeaf: abi.isLeaf,
    incomingArgsSize: abi.sig.stackArgSize,
    outgoingArgsSize: abi.outgoingArgsSize,
    numSpillSlots: ra.numSpillslots,
    clobberedCalleeSaves: saves,
    preserveFramePointers: flags.bool('preserve_frame_pointers'),
  });
}

/**
 * Prologue and epilogue as instruction lists (hardware registers), without
 * the SP adjustment for the fixed frame, which `emitSpAdjust` does.
 */
function frameInsts(frame: FrameLayout, isaFlags: Flags, callConv: string): { prologue: MInst[]; epilogue: MInst[]; retInsts: MInst[] } {
  const mk = (op: Op, f: Partial<MInst>): MInst => ({ ...newMInst(op), ...f });
  const prologue: MInst[] = [];
  const epilogue: MInst[] = [];
  const signRa = isaFlags.bool('sign_return_address') && (frame.setupFrame || isaFlags.bool('sign_return_address_all'));
  const bkey = isaFlags.bool('sign_return_address_with_bkey');
  const zeroModifier = callConv === 'tail';
  if (isaFlags.bool('use_bti')) prologue.push(mk(Op.Hint, { i0: HintOp.BTIC }));
  if (signRa) prologue.push(mk(Op.Hint, { i0: zeroModifier ? (bkey ? HintOp.PACIBZ : HintOp.PACIAZ) : bkey ? HintOp.PACIBSP : HintOp.PACIASP }));
  const ints = frame.clobberedCalleeSaves.filter((p) => pregClass(p) === RegClass.Int).map(pregHw);
  const fps = frame.clobberedCalleeSaves.filter((p) => pregClass(p) === RegClass.Float).map(pregHw);
  if (frame.setupFrame) {
    prologue.push(mk(Op.StorePair, { r0: HW_FP, r1: HW_LR, r2: 31, i0: 0, i1: PairAMode.PreIndexed, i2: -16 }));
    prologue.push(mk(Op.MovSp, { r0: HW_FP, r1: 31 }));
  }
  const pushList = (regs: number[], fp: boolean): void => {
    for (let k = 0; k + 1 < regs.length; k += 2)
      prologue.push(mk(Op.StorePair, { r0: regs[k], r1: regs[k + 1], r2: 31, i0: fp ? 1 : 0, i1: PairAMode.PreIndexed, i2: -16 }));
    if (regs.length % 2 === 1)
      prologue.push(mk(Op.Store, { r0: regs[regs.length - 1], r1: 31, i0: fp ? MemOp.FpuStore64 : MemOp.Store64, i1: AMode.PreIndexed, i2: -16 }));
  };
  const popList = (regs: number[], fp: boolean): void => {
    if (regs.length % 2 === 1)
      epilogue.push(mk(Op.Load, { r0: regs[regs.length - 1], r1: 31, i0: fp ? MemOp.FpuLoad64 : MemOp.ULoad64, i1: AMode.PostIndexed, i2: 16 }));
    for (let k = (regs.length & ~1) - 2; k >= 0; k -= 2)
      epilogue.push(mk(Op.LoadPair, { r0: regs[k], r1: regs[k + 1], r2: 31, i0: fp ? 1 : 0, i1: PairAMode.PostIndexed, i2: 16 }));
  };
  pushList(ints, false);
  pushList(fps, true);
  popList(fps, true);
  popList(ints, false);
  if (frame.setupFrame) epilogue.push(mk(Op.LoadPair, { r0: HW_FP, r1: HW_LR, r2: 31, i0: 0, i1: PairAMode.PostIndexed, i2: 16 }));
  const retInsts: MInst[] = [];
  // `retaa`/`retab` need SP as the modifier; the tail convention signs with zero and authenticates with a hint.
  if (signRa && (!isaFlags.bool('has_pauth') || zeroModifier)) retInsts.push(mk(Op.Hint, { i0: zeroModifier ? (bkey ? HintOp.AUTIBZ : HintOp.AUTIAZ) : bkey ? HintOp.AUTIBSP : HintOp.AUTIASP }));
  return { prologue, epilogue, retInsts };
}

/**
 * The frame teardown of a `return_call` whose callee takes stack arguments,
 * or undefined when the plain epilogue does (no stack arguments: SP ends at
 * the incoming argument area's top, which the callee then owns).
 *
 * The callee's arguments sit at the bottom of this frame and must end just
 * below the top of this function's incoming argument area, which may be
 * smaller than the new one, so the destination can overlap the saved
 * registers. Hence: restore the saved registers first, addressing them from
 * x17 without moving SP (everything stays below SP-protected memory), then
 * copy the arguments from the highest word down (the destination is never
 * below the source, so a downward copy never reads a word it overwrote),
 * then set SP to the destination. x16/x17 are free: the allocator never
 * hands them out.
 */
function tailCallTeardown(info: ReturnCallInfo, frameBytes: number, epilogue: readonly MInst[], retInsts: readonly MInst[], popIn: number): MInst[] | undefined {
  const n = info.stackArgBytes;
  if (n === 0) return undefined;
  const mk = (op: Op, f: Partial<MInst>): MInst => ({ ...newMInst(op), ...f });
  const out: MInst[] = [mk(Op.LoadAddr, { r0: HW_TMP2, i0: AMode.SPOffset, i1: frameBytes })];
  epilogue.forEach((e, k) => {
    if (e.op === Op.LoadPair) out.push({ ...e, r2: HW_TMP2, i1: PairAMode.Offset, i2: 16 * k });
    else out.push({ ...e, r1: HW_TMP2, i1: AMode.RegOffset, i2: 16 * k });
  });
  out.push(...retInsts);
  // Entry SP + incoming stack arguments − the callee's stack arguments.
  const dest = frameBytes + 16 * epilogue.length + popIn - n;
  out.push(mk(Op.LoadAddr, { r0: HW_TMP2, i0: AMode.SPOffset, i1: dest }));
  for (let k = n - 8; k >= 0; k -= 8) {
    out.push(mk(Op.Load, { r0: HW_SPILLTMP, r1: 31, i0: MemOp.ULoad64, i1: AMode.SPOffset, i2: k }));
    out.push(mk(Op.Store, { r0: HW_SPILLTMP, r1: HW_TMP2, i0: MemOp.Store64, i1: AMode.RegOffset, i2: k }));
  }
  out.push(mk(Op.MovSp, { r0: 31, r1: HW_TMP2 }));
  return out;
}

/** `ret`, or `retaa`/`retab` when pointer authentication is available. */
function retWord(frame: FrameLayout, isaFlags: Flags, callConv: string): { word: number; text: string } {
  const signRa = isaFlags.bool('sign_return_address') && (frame.setupFrame || isaFlags.bool('sign_return_address_all'));
  if (signRa && isaFlags.bool('has_pauth') && callConv !== 'tail') {
    return isaFlags.bool('sign_return_address_with_bkey') ? { word: 0xd65f0fff, text: 'retab' } : { word: 0xd65f0bff, text: 'retaa' };
  }
  return { word: 0xd65f03c0, text: 'ret' };
}

/** Resolves an instruction's register fields to hardware numbers using its allocations. */
class AllocReader implements OperandVisitor {
  m!: MInst;
  allocs!: Uint32Array;
  k = 0;
  private take(slot: number): void {
    const field = slot === 0 ? 'r0' : slot === 1 ? 'r1' : slot === 2 ? 'r2' : 'r3';
    if (this.m[field] < 0) return;
    const a = this.allocs[this.k++] as Allocation;
    if (!allocIsReg(a)) throw new Error(`operand in ${field} was not given a register`);
    this.m[field] = pregHw(allocIndex(a) as PReg);
  }
  use(slot: number): void {
    this.take(slot);
  }
  def(slot: number): void {
    this.take(slot);
  }
  earlyDef(slot: number): void {
    this.take(slot);
  }
  reuseDef(slot: number): void {
    this.take(slot);
  }
  fixedUse(): void {
    this.k++;
  }
  fixedDef(): void {
    this.k++;
  }
  clobbers(): void {}
}

function physFields(m: MInst): void {
  if (m.r0 < 0) m.r0 = (-1 - m.r0) & 63;
  if (m.r1 < 0) m.r1 = (-1 - m.r1) & 63;
  if (m.r2 < 0) m.r2 = (-1 - m.r2) & 63;
  if (m.r3 < 0) m.r3 = (-1 - m.r3) & 63;
}

/** The move an allocator edit stands for. */
function editInst(from: Allocation, to: Allocation, m: MInst): void {
  Object.assign(m, newMInst(Op.Mov));
  if (allocIsReg(from) && allocIsReg(to)) {
    const f = allocIndex(from) as PReg;
    const t = allocIndex(to) as PReg;
    if (pregClass(f) === RegClass.Int) Object.assign(m, { op: Op.Mov, r0: pregHw(t), r1: pregHw(f), i1: 1 });
    else Object.assign(m, { op: Op.FpuRR, r0: pregHw(t), r1: pregHw(f), i0: FpuOp1.Mov, i1: 2 });
  } else if (allocIsReg(from) && allocIsStack(to)) {
    const f = allocIndex(from) as PReg;
    const int = pregClass(f) === RegClass.Int;
    Object.assign(m, { op: Op.Store, r0: pregHw(f), i0: int ? MemOp.Store64 : MemOp.FpuStore128, i1: AMode.SpillSlot, i2: allocIndex(to) });
  } else if (allocIsStack(from) && allocIsReg(to)) {
    const t = allocIndex(to) as PReg;
    const int = pregClass(t) === RegClass.Int;
    Object.assign(m, { op: Op.Load, r0: pregHw(t), i0: int ? MemOp.ULoad64 : MemOp.FpuLoad128, i1: AMode.SpillSlot, i2: allocIndex(from) });
  } else {
    throw new Error('stack-to-stack move from the register allocator');
  }
}

export function emitFunction(vcode: VCode, ra: Output, flags: Flags, isaFlags: Flags, disassemble: boolean): EmitResult {
  const abi = vcode.abi as FunctionAbi;
  const frame = frameLayoutFor(vcode, ra, flags);
  const { prologue, epilogue, retInsts } = frameInsts(frame, isaFlags, abi.callConv);
  const frameBytes = frame.fixedFrameSize + frame.outgoingArgsSize;
  const ret = retWord(frame, isaFlags, abi.callConv);
  const buf = new MachBuffer(LABEL_USE_KINDS, BUFFER_HOOKS);
  const nb = vcode.numBlocks();
  buf.reserveLabels(nb);
  const lines: ListingLine[] = [];
  const list = (offset: number, text: string): void => {
    if (!disassemble || text === '') return;
    for (const t of text.split('\n')) lines.push({ offset, text: t });
  };
  // The tail convention's callee pops its incoming stack arguments.
  const popIn = abi.callConv === 'tail' ? abi.sig.stackArgSize : 0;
  const epilogueText = (): string[] => {
    const st = state;
    const out: string[] = [...spAdjustText(frameBytes)];
    for (const m of epilogue) out.push(printInst(m, st));
    for (const m of retInsts) out.push(printInst(m, st));
    out.push(...spAdjustText(popIn));
    return out;
  };
  const tailInsts = (m: MInst): MInst[] | undefined => tailCallTeardown(m.aux as ReturnCallInfo, frameBytes, epilogue, retInsts, popIn);
  const tailBranch = (m: MInst): MInst[] => {
    const info = m.aux as ReturnCallInfo;
    if (m.i0 === ReturnCallKind.Far) {
      const ext: ExtNameInfo = { target: info.dest!, offset: 0n, text: info.callee };
      return [{ ...newMInst(Op.LoadExtName), r0: HW_SPILLTMP, aux: ext }, { ...newMInst(Op.BranchReg), r1: HW_SPILLTMP }];
    }
    if (m.i0 === ReturnCallKind.Reg) return [{ ...newMInst(Op.BranchReg), r1: m.i1 }];
    return [];
  };
  const state: EmitState = {
    slotBase: frame.slotBase,
    spillBase: frame.spillBase,
    emitEpilogue(b) {
      emitSpAdjust(b, frameBytes);
      for (const m of epilogue) emitInst(b, m, state);
      for (const m of retInsts) emitInst(b, m, state);
      emitSpAdjust(b, popIn);
      b.put4(ret.word);
    },
    epilogueText,
    emitReturnCall(b, m) {
      const seq = tailInsts(m);
      if (seq === undefined) {
        emitSpAdjust(b, frameBytes);
        for (const x of epilogue) emitInst(b, x, state);
        for (const x of retInsts) emitInst(b, x, state);
        emitSpAdjust(b, popIn);
      } else for (const x of seq) emitInst(b, x, state);
      if (m.i0 === ReturnCallKind.Near) {
        b.addReloc('Arm64Call', (m.aux as ReturnCallInfo).dest!, 0n);
        b.put4(0x14000000);
      } else for (const x of tailBranch(m)) emitInst(b, x, state);
    },
    returnCallText(m) {
      const seq = tailInsts(m);
      const out = seq === undefined ? epilogueText() : seq.map((x) => printInst(x, state));
      if (m.i0 === ReturnCallKind.Near) out.push(`b ${(m.aux as ReturnCallInfo).callee}`);
      else for (const x of tailBranch(m)) out.push(printInst(x, state));
      return out;
    },
  };
  // Prologue.
  for (const m of prologue) {
    list(buf.curOffset(), printInst(m, state));
    emitInst(buf, m, state);
  }
  if (frameBytes > 0) {
    list(buf.curOffset(), spAdjustText(-frameBytes).join('\n'));
    emitSpAdjust(buf, -frameBytes);
  }

  const m = newMInst();
  const edit = newMInst();
  const reader = new AllocReader();
  const edits = ra.edits;
  let e = 0;
  const emitEdit = (k: number): void => {
    const ed = edits[k];
    editInst(ed.from, ed.to, edit);
    list(buf.curOffset(), printInst(edit, state));
    emitInst(buf, edit, state);
  };
  for (let b = 0; b < nb; b++) {
    const start = vcode.blockStart[b];
    const end = vcode.blockStart[b + 1];
    // Worst case: 40 bytes per instruction plus its moves, and a jump table.
    if (buf.islandNeeded((end - start) * 48 + 1024)) buf.emitIsland();
    buf.bindLabel(b);
    if (disassemble) lines.push({ offset: buf.curOffset(), text: `block${b}:` });
    for (let i = start; i < end; i++) {
      while (e < edits.length && edits[e].point === 2 * i) emitEdit(e++);
      vcode.read(i, m);
      reader.m = m;
      reader.allocs = instAllocs(ra, i);
      reader.k = 0;
      visitOperands(m, reader);
      physFields(m);
      const isNopMove = m.op === Op.Mov && m.r0 === m.r1 && m.i1 === 1;
      if (!isNopMove) {
        const off = buf.curOffset();
        if (m.op === Op.Ret) {
          list(off, [...epilogueText(), ret.text].join('\n'));
        } else if (m.op === Op.CondBr) {
          const names: RegNamer = { ...HW_NAMES, label: (l) => `label${l}` };
          const [first, second] = printInst(m, state, names).split('\n');
          list(off, first);
          list(off + 4, second);
        } else list(off, printInst(m, state, { ...HW_NAMES, label: (l) => `label${l}` }));
        emitInst(buf, m, state);
      }
      while (e < edits.length && edits[e].point === 2 * i + 1) emitEdit(e++);
    }
  }
  const res = buf.finish();
  let disassembly: string | undefined;
  if (disassemble) disassembly = renderListing(lines, res.bytes.length, buf, vcode);
  return {
    code: {
      bytes: res.bytes,
      alignment: Math.max(4, 1 << flags.number('log2_min_function_alignment')),
      relocations: res.relocations,
      traps: res.traps,
      disassembly,
    },
    bufferStats: { ...buf.stats },
    frameSize: frame.setupFrame ? frameBytes + 16 + 8 * frame.clobberedCalleeSaves.length : frameBytes,
  };
}

/**
 * The listing, reconciled with branch simplification: lines whose bytes were
 * removed are dropped and inverted branches are shown inverted, by decoding
 * the branch words that remain at each listed offset.
 */
function renderListing(lines: ListingLine[], size: number, buf: MachBuffer, vcode: VCode): string {
  const bytes = buf.view();
  const word = (off: number): number => (bytes[off] | (bytes[off + 1] << 8) | (bytes[off + 2] << 16) | (bytes[off + 3] << 24)) >>> 0;
  const labelAt = new Map<number, number>();
  for (let b = vcode.numBlocks() - 1; b >= 0; b--) labelAt.set(buf.labelOffset(b), b);
  const out: string[] = [];
  for (let k = 0; k < lines.length; k++) {
    const l = lines[k];
    // Only branches to block labels are subject to branch simplification; a
    // pseudo-instruction's internal branch (`b #12` over a literal) and a
    // tail call's `b %callee` always stay.
    const isBranch = /^(b|b\.\w+|cbn?z)\s.*\blabel\d+$/.test(l.text);
    if (isBranch) {
      // A removed branch: the next listed line starts at the same offset, or the code ends here.
      const next = lines.slice(k + 1).find((x) => !x.text.endsWith(':'));
      if (l.offset >= size || (next !== undefined && next.offset <= l.offset)) continue;
      const w = word(l.offset);
      const target = (off: number): string => `label${labelAt.get(off) ?? '?'}`;
      if (w >>> 24 === 0x54) {
        const d = ((w >>> 5) & 0x7ffff) << 13 >> 11;
        out.push(`  b.${condName(w & 15)} ${target(l.offset + d)}`);
        continue;
      }
      if ((w & 0x7e000000) === 0x34000000) {
        const d = ((w >>> 5) & 0x7ffff) << 13 >> 11;
        const reg = l.text.split(/\s+/)[1];
        out.push(`  ${(w >>> 24) & 1 ? 'cbnz' : 'cbz'} ${reg} ${target(l.offset + d)}`);
        continue;
      }
    }
    if (l.text.endsWith(':')) {
      out.push(`${l.text} ; offset 0x${l.offset.toString(16)}`);
      continue;
    }
    out.push(`  ${l.text}`);
  }
  return out.join('\n') + '\n';
}
