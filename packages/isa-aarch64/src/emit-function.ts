// Emission of an allocated function: frame layout, prologue and epilogue,
// the body with the allocator's moves inserted, and the listing.
//
// Reads allocations through VCode's per-operand field record (`opInfo`,
// filled when VCode visited each instruction's operands), so field k of an
// instruction gets the allocation of the operand recorded for it.
// Physical-register fields (sp, zr, fp, x16, x17) are not operands and keep
// their hardware number.
//
// Cost: one pass over the instructions with one reused `MInst`; text is
// produced only for a listing (`disassemble`), and the MachBuffer comes
// from the compile context's memory when there is one.

import {
  MachBuffer,
  OP_DEF,
  OP_FIELD_MASK,
  computeFrameLayout,
  type EmitResult,
  type Flags,
  type FrameLayout,
  type VCode,
} from '@clift/codegen';
import {
  NUM_PREGS,
  RegClass,
  allocIndex,
  allocIsReg,
  allocIsStack,
  pregClass,
  pregHw,
  type Allocation,
  type Output,
  type PReg,
} from '@clift/regalloc';
import { AARCH64_ABI, DYNAMIC_VECTOR_BYTES, allAllocatable } from './abi.js';
import { AMode, FpuOp1, HintOp, MemOp, PairAMode, condName } from './inst/args.js';
import { BUFFER_HOOKS, LABEL_USE_KINDS, emitInst, emitSpAdjust, type EmitState } from './inst/emit.js';
import { Op, ReturnCallKind, newMInst, type ExtNameInfo, type MInst, type ReturnCallInfo } from './inst/mod.js';
import { HW_NAMES, printInst, spAdjustText } from './inst/print.js';
import { HW_FP, HW_LR, HW_SPILLTMP, HW_TMP2 } from './inst/regs.js';
import type { FunctionAbi } from './lower.js';

interface ListingLine {
  offset: number;
  text: string;
}

/** The flags emission reads, looked up once per ISA rather than per function. */
export interface EmitConfig {
  readonly useBti: boolean;
  readonly signReturnAddress: boolean;
  readonly signReturnAddressAll: boolean;
  readonly bKey: boolean;
  readonly hasPauth: boolean;
  readonly preserveFramePointers: boolean;
  /** Code alignment in bytes. */
  readonly alignment: number;
  /** `enable_pinned_reg`: x21 is reserved, so never allocated, saved or restored. */
  readonly pinnedReg: boolean;
}

export function emitConfig(flags: Flags, isaFlags: Flags): EmitConfig {
  return {
    useBti: isaFlags.bool('use_bti'),
    signReturnAddress: isaFlags.bool('sign_return_address'),
    signReturnAddressAll: isaFlags.bool('sign_return_address_all'),
    bKey: isaFlags.bool('sign_return_address_with_bkey'),
    hasPauth: isaFlags.bool('has_pauth'),
    preserveFramePointers: flags.bool('preserve_frame_pointers'),
    alignment: Math.max(4, 1 << flags.number('log2_min_function_alignment')),
    pinnedReg: flags.bool('enable_pinned_reg'),
  };
}

// Scratch for `clobberedCalleeSaves`, shared by all calls (emission is synchronous):
// a mark per preg and the list of marked pregs, so clearing costs what was marked.
const written = new Uint8Array(NUM_PREGS);
const writtenList = new Int32Array(NUM_PREGS);

/** Callee-saved registers the body writes (defs and move destinations), in preg order. */
function clobberedCalleeSaves(vcode: VCode, ra: Output, callConv: FunctionAbi['callConv'], all: boolean, pinned: boolean): PReg[] {
  let n = 0;
  const mark = (p: number): void => {
    if (written[p] === 0) {
      written[p] = 1;
      writtenList[n++] = p;
    }
  };
  if (all) for (const p of allAllocatable(pinned)) mark(p);
  else {
    const info = vcode.opInfo;
    const allocs = ra.allocs;
    const nOps = vcode.numOperands();
    for (let k = 0; k < nOps; k++) {
      if ((info[k] & OP_DEF) === 0) continue;
      const a = allocs[k] as Allocation;
      if (allocIsReg(a)) mark(allocIndex(a));
    }
    for (const e of ra.edits) if (allocIsReg(e.to)) mark(allocIndex(e.to));
  }
  const saves: PReg[] = [];
  for (let k = 0; k < n; k++) {
    const p = writtenList[k] as PReg;
    written[p] = 0;
    if (AARCH64_ABI.isCalleeSaved(callConv, p)) saves.push(p);
  }
  return saves.sort((a, b) => a - b);
}

export function frameLayoutFor(vcode: VCode, ra: Output, config: EmitConfig): FrameLayout {
  const abi = vcode.abi as FunctionAbi;
  // A try_call's handler is entered with every register clobbered: save them all for our caller.
  const saves = clobberedCalleeSaves(vcode, ra, abi.callConv, abi.hasTryCall, config.pinnedReg);
  return computeFrameLayout({
    dynamicVectorBytes: DYNAMIC_VECTOR_BYTES,
    func: vcode.func,
    isLeaf: abi.isLeaf,
    incomingArgsSize: abi.sig.stackArgSize,
    outgoingArgsSize: abi.outgoingArgsSize,
    numSpillSlots: ra.numSpillslots,
    clobberedCalleeSaves: saves,
    preserveFramePointers: config.preserveFramePointers,
  });
}

/**
 * Prologue and epilogue as instruction lists (hardware registers), without
 * the SP adjustment for the fixed frame, which `emitSpAdjust` does.
 */
interface FrameInsts {
  readonly prologue: readonly MInst[];
  readonly epilogue: readonly MInst[];
  readonly retInsts: readonly MInst[];
}

/**
 * Frame sequences per ISA configuration, keyed by what they depend on (frame
 * set up or not, the tail convention, the saved registers). Emission only
 * reads instructions, so one sequence serves every function with that key.
 */
const frameInstsCache = new WeakMap<EmitConfig, Map<string, FrameInsts>>();

function cachedFrameInsts(frame: FrameLayout, config: EmitConfig, callConv: string): FrameInsts {
  let byKey = frameInstsCache.get(config);
  if (byKey === undefined) {
    byKey = new Map();
    frameInstsCache.set(config, byKey);
  }
  const key = `${frame.setupFrame ? 'f' : '-'}${callConv === 'tail' ? 't' : '-'}${frame.clobberedCalleeSaves.join(',')}`;
  let insts = byKey.get(key);
  if (insts === undefined) {
    // Bounded: a long-lived ISA sees few distinct frames, but never an unbounded number.
    if (byKey.size >= 256) byKey.clear();
    insts = frameInsts(frame, config, callConv);
    byKey.set(key, insts);
  }
  return insts;
}

function frameInsts(frame: FrameLayout, config: EmitConfig, callConv: string): FrameInsts {
  const mk = (op: Op, f: Partial<MInst>): MInst => Object.assign(newMInst(op), f);
  const prologue: MInst[] = [];
  const epilogue: MInst[] = [];
  const signRa = config.signReturnAddress && (frame.setupFrame || config.signReturnAddressAll);
  const bkey = config.bKey;
  const zeroModifier = callConv === 'tail';
  if (config.useBti) prologue.push(mk(Op.Hint, { i0: HintOp.BTIC }));
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
  if (signRa && (!config.hasPauth || zeroModifier)) retInsts.push(mk(Op.Hint, { i0: zeroModifier ? (bkey ? HintOp.AUTIBZ : HintOp.AUTIAZ) : bkey ? HintOp.AUTIBSP : HintOp.AUTIASP }));
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
  const mk = (op: Op, f: Partial<MInst>): MInst => Object.assign(newMInst(op), f);
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
function retWord(frame: FrameLayout, config: EmitConfig, callConv: string): { word: number; text: string } {
  const signRa = config.signReturnAddress && (frame.setupFrame || config.signReturnAddressAll);
  if (signRa && config.hasPauth && callConv !== 'tail') {
    return config.bKey ? { word: 0xd65f0fff, text: 'retab' } : { word: 0xd65f0bff, text: 'retaa' };
  }
  return { word: 0xd65f03c0, text: 'ret' };
}

/** Turns physical-register fields (`-1 - preg`) into hardware numbers. */
function physFields(m: MInst): void {
  if (m.r0 < 0) m.r0 = (-1 - m.r0) & 63;
  if (m.r1 < 0) m.r1 = (-1 - m.r1) & 63;
  if (m.r2 < 0) m.r2 = (-1 - m.r2) & 63;
  if (m.r3 < 0) m.r3 = (-1 - m.r3) & 63;
}

/** Sets `m` to the move an allocator edit stands for. */
function editInst(from: Allocation, to: Allocation, m: MInst): void {
  m.r0 = 0;
  m.r1 = 0;
  m.r2 = 0;
  m.r3 = 0;
  m.i0 = 0;
  m.i1 = 0;
  m.i2 = 0;
  m.i3 = 0;
  m.aux = undefined;
  if (allocIsReg(from) && allocIsReg(to)) {
    const f = allocIndex(from) as PReg;
    const t = allocIndex(to) as PReg;
    m.r0 = pregHw(t);
    m.r1 = pregHw(f);
    if (pregClass(f) === RegClass.Int) {
      m.op = Op.Mov;
      m.i1 = 1;
    } else {
      m.op = Op.FpuRR;
      m.i0 = FpuOp1.Mov;
      m.i1 = 2;
    }
  } else if (allocIsReg(from) && allocIsStack(to)) {
    const f = allocIndex(from) as PReg;
    m.op = Op.Store;
    m.r0 = pregHw(f);
    m.i0 = pregClass(f) === RegClass.Int ? MemOp.Store64 : MemOp.FpuStore128;
    m.i1 = AMode.SpillSlot;
    m.i2 = allocIndex(to);
  } else if (allocIsStack(from) && allocIsReg(to)) {
    const t = allocIndex(to) as PReg;
    m.op = Op.Load;
    m.r0 = pregHw(t);
    m.i0 = pregClass(t) === RegClass.Int ? MemOp.ULoad64 : MemOp.FpuLoad128;
    m.i1 = AMode.SpillSlot;
    m.i2 = allocIndex(from);
  } else {
    throw new Error('stack-to-stack move from the register allocator');
  }
}

/** Block labels print as `labelN`. */
const LISTING_NAMES = { ...HW_NAMES, label: (l: number) => `label${l}` };

/**
 * Emits `vcode` with allocations `ra`. `buffer` (optional, reset here) is a
 * MachBuffer with this target's label kinds kept by the caller between
 * functions.
 */
export function emitFunction(vcode: VCode, ra: Output, config: EmitConfig, disassemble: boolean, buffer?: MachBuffer): EmitResult {
  const abi = vcode.abi as FunctionAbi;
  const frame = frameLayoutFor(vcode, ra, config);
  const { prologue, epilogue, retInsts } = cachedFrameInsts(frame, config, abi.callConv);
  const frameBytes = frame.fixedFrameSize + frame.outgoingArgsSize;
  const ret = retWord(frame, config, abi.callConv);
  const buf = buffer ?? new MachBuffer(LABEL_USE_KINDS, BUFFER_HOOKS);
  buf.reset();
  const nb = vcode.numBlocks();
  buf.reserveLabels(nb);
  const lines: ListingLine[] = [];
  const list = (offset: number, text: string): void => {
    if (text === '') return;
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
      return [Object.assign(newMInst(Op.LoadExtName), { r0: HW_SPILLTMP, aux: ext }), Object.assign(newMInst(Op.BranchReg), { r1: HW_SPILLTMP })];
    }
    if (m.i0 === ReturnCallKind.Reg) return [Object.assign(newMInst(Op.BranchReg), { r1: m.i1 })];
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
    if (disassemble) list(buf.curOffset(), printInst(m, state));
    emitInst(buf, m, state);
  }
  if (frameBytes > 0) {
    if (disassemble) list(buf.curOffset(), spAdjustText(-frameBytes).join('\n'));
    emitSpAdjust(buf, -frameBytes);
  }

  const m = newMInst();
  const edit = newMInst();
  const edits = ra.edits;
  const nEdits = edits.length;
  const allocs = ra.allocs;
  const allocOff = ra.instAllocOffsets;
  const opInfo = vcode.opInfo;
  const opStart = vcode.opStart;
  let e = 0;
  const emitEdit = (k: number): void => {
    const ed = edits[k];
    editInst(ed.from, ed.to, edit);
    if (disassemble) list(buf.curOffset(), printInst(edit, state));
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
      while (e < nEdits && edits[e].point === 2 * i) emitEdit(e++);
      vcode.read(i, m);
      // Register fields get their allocations (operand k fills the field recorded for it).
      const o0 = opStart[i];
      const o1 = opStart[i + 1];
      const a0 = allocOff[i];
      for (let k = o0; k < o1; k++) {
        const slot = opInfo[k] & OP_FIELD_MASK;
        if (slot > 3) continue;
        const a = allocs[a0 + k - o0] as Allocation;
        if (!allocIsReg(a)) throw new Error(`operand in r${slot} was not given a register`);
        const hw = pregHw(allocIndex(a) as PReg);
        if (slot === 0) m.r0 = hw;
        else if (slot === 1) m.r1 = hw;
        else if (slot === 2) m.r2 = hw;
        else m.r3 = hw;
      }
      physFields(m);
      const isNopMove = m.op === Op.Mov && m.r0 === m.r1 && m.i1 === 1;
      if (!isNopMove) {
        if (disassemble) {
          const off = buf.curOffset();
          if (m.op === Op.Ret) {
            list(off, [...epilogueText(), ret.text].join('\n'));
          } else if (m.op === Op.CondBr) {
            const [first, second] = printInst(m, state, LISTING_NAMES).split('\n');
            list(off, first);
            list(off + 4, second);
          } else list(off, printInst(m, state, LISTING_NAMES));
        }
        emitInst(buf, m, state);
      }
      while (e < nEdits && edits[e].point === 2 * i + 1) emitEdit(e++);
    }
  }
  const res = buf.finish();
  let disassembly: string | undefined;
  if (disassemble) disassembly = renderListing(lines, res.bytes.length, buf, vcode);
  return {
    code: {
      bytes: res.bytes,
      alignment: config.alignment,
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
