// Pre-decoding: turns one ir.Function into the compact form the execution
// loop reads, once per function, so the loop never walks the DFG or Layout.
//
// Form:
// - `code`: one fixed-size record of STRIDE int32 slots per instruction, in
//   layout order (blocks in layout order); a "pc" is a record's offset.
//   Slots: OP, TY (controlling type), A0..A2 (first three value operands,
//   aliases resolved), R0..R1 (first two results), I0..I2 (the format's
//   immediate words, with entity references rewritten as below), LIST (pool
//   index of the full operand list `[n, v…]`), XT (type of operand 0, or for
//   calls the pool index of the result list).
// - `pool`: variable-length data: operand lists, result lists and block
//   calls. A block call is `[targetPc, n, arg×n, param×n]`; an argument is a
//   value id (≥ 0) or `-(i + 1)` for a try_call's `retN`, or EXN_ARG for
//   `exnN` (exception payloads, never produced here).
// - Branch immediates are rewritten to pool indices of their block calls:
//   jump I0; brif I0/I1; br_table I0 → `[default, n, entry×n]` of block-call
//   indices; try_call I1 → the normal-return block call.
// Invariant: value ids index the frame's register array directly.

import type { Block, Function, Inst, Type, Value } from '@clift/ir';
import {
  BlockArg,
  InstructionFormat as F,
  NONE,
  Opcode,
  formatInfo,
  formatUserFuncName,
  opcodeFormat,
  opcodeName,
  INVALID,
  isDynamicVector,
} from '@clift/ir';
import { InterpreterError } from './errors.js';
import type { Val } from './values.js';
import { valOfBits } from './values.js';

export const STRIDE = 12;
export const OP = 0;
export const TY = 1;
export const A0 = 2;
export const A1 = 3;
export const A2 = 4;
export const R0 = 5;
export const R1 = 6;
export const I0 = 7;
export const I1 = 8;
export const I2 = 9;
export const LIST = 10;
export const XT = 11;

export const EXN_ARG = -0x4000_0000;

export class DecodedFunction {
  constructor(
    readonly func: Function,
    readonly name: string,
    readonly code: Int32Array,
    readonly pool: Int32Array,
    readonly entryPc: number,
    readonly entryParams: readonly number[],
    readonly numValues: number,
    /** Byte offset of each stack slot from the frame's base (its sp). */
    readonly slotOffsets: readonly number[],
    readonly frameSize: number,
    /** Index of the vmctx parameter, or -1. */
    readonly vmctxParam: number,
    /** Source instruction of each record, for error messages. */
    readonly insts: readonly Inst[],
    /** Decoded constants (vconst, f128const): I0 indexes this. */
    readonly consts: readonly Val[],
    /** Shuffle masks: I0 of `shuffle` indexes this. */
    readonly masks: readonly Uint8Array[],
  ) {}
}

export function functionName(f: Function): string {
  return formatUserFuncName(f.name);
}

export function decodeFunction(func: Function): DecodedFunction {
  const name = functionName(func);
  const { dfg, layout } = func;
  const entry = layout.entryBlock();
  if (entry === undefined) throw new InterpreterError('invalid_function', `${name} has no blocks`, name);

  // Pass 1: pcs of blocks.
  const blockPc = new Map<Block, number>();
  const insts: Inst[] = [];
  for (let b = layout.firstBlock(); b !== NONE; b = layout.nextBlock(b)) {
    blockPc.set(b, insts.length * STRIDE);
    for (let i = layout.firstInst(b); i !== NONE; i = layout.nextInst(i)) insts.push(i);
  }

  const code = new Int32Array(Math.max(1, insts.length) * STRIDE);
  const pool: number[] = [];
  const res = (v: Value): number => dfg.resolveAliases(v);
  const consts: Val[] = [];
  const masks: Uint8Array[] = [];

  const blockCall = (bc: number): number => {
    const block = dfg.blockCallBlock(bc as never);
    const pc = blockPc.get(block);
    if (pc === undefined) throw new InterpreterError('invalid_function', `${name}: branch to block${block}, which is not in the layout`, name);
    const at = pool.length;
    const n = dfg.blockCallNumArgs(bc as never);
    if (n !== dfg.numBlockParams(block)) {
      throw new InterpreterError('invalid_function', `${name}: block${block} takes ${dfg.numBlockParams(block)} arguments, branch passes ${n}`, name);
    }
    pool.push(pc, n);
    for (let i = 0; i < n; i++) {
      const a = dfg.blockCallArg(bc as never, i);
      const kind = BlockArg.kind(a);
      if (kind === 0) pool.push(res(a as number as Value));
      else if (kind === 1) pool.push(-(BlockArg.index(a) + 1));
      else pool.push(EXN_ARG);
    }
    for (let i = 0; i < n; i++) pool.push(dfg.blockParam(block, i));
    return at;
  };

  for (let k = 0; k < insts.length; k++) {
    const inst = insts[k];
    const pc = k * STRIDE;
    const op = dfg.opcode(inst) as Opcode;
    const fmt = opcodeFormat(op);
    for (let i = 0; i < dfg.numResults(inst); i++) {
      if (isDynamicVector(dfg.valueTypeOf(dfg.result(inst, i))) || isDynamicVector(dfg.ctrlType(inst))) {
        throw new InterpreterError('unsupported', `${name}: inst${inst} (${opcodeName(op)}) uses a dynamic vector type, which the interpreter does not model`, name);
      }
    }
    code[pc + OP] = op;
    code[pc + TY] = dfg.ctrlType(inst);
    const nargs = dfg.numArgs(inst);
    if (nargs > 0) code[pc + A0] = res(dfg.arg(inst, 0));
    if (nargs > 1) code[pc + A1] = res(dfg.arg(inst, 1));
    if (nargs > 2) code[pc + A2] = res(dfg.arg(inst, 2));
    const nres = dfg.numResults(inst);
    if (nres > 0) code[pc + R0] = dfg.result(inst, 0);
    if (nres > 1) code[pc + R1] = dfg.result(inst, 1);
    code[pc + I0] = dfg.imm0(inst);
    code[pc + I1] = dfg.imm1(inst);
    code[pc + I2] = dfg.imm2(inst);
    if (formatInfo(fmt).varargs) {
      code[pc + LIST] = pool.length;
      pool.push(nargs);
      for (let i = 0; i < nargs; i++) pool.push(res(dfg.arg(inst, i)));
    }
    code[pc + XT] = nargs > 0 ? dfg.valueTypeOf(dfg.arg(inst, 0)) : INVALID;
    switch (fmt) {
      case F.UnaryConst: {
        const bytes = dfg.constants[dfg.imm0(inst)];
        if (bytes === undefined) throw new InterpreterError('invalid_function', `${name}: ${opcodeName(op)} refers to a missing constant`, name);
        let bits = 0n;
        for (let i = bytes.length - 1; i >= 0; i--) bits = (bits << 8n) | BigInt(bytes[i]);
        code[pc + I0] = consts.length;
        consts.push(valOfBits(dfg.ctrlType(inst) === INVALID ? resultTypeAt(func, inst, 0) : dfg.ctrlType(inst), bits));
        break;
      }
      case F.Shuffle: {
        const mask = dfg.immediates[dfg.imm0(inst)];
        if (mask === undefined) throw new InterpreterError('invalid_function', `${name}: shuffle refers to a missing mask`, name);
        code[pc + I0] = masks.length;
        masks.push(mask);
        break;
      }
      case F.Jump:
        code[pc + I0] = blockCall(dfg.imm0(inst));
        break;
      case F.Brif:
        code[pc + I0] = blockCall(dfg.imm0(inst));
        code[pc + I1] = blockCall(dfg.imm1(inst));
        break;
      case F.BranchTable: {
        const jt = dfg.jumpTables[dfg.imm0(inst)];
        if (jt === undefined) throw new InterpreterError('invalid_function', `${name}: br_table refers to a missing jump table`, name);
        const d = blockCall(jt.default);
        const entries = jt.entries.map(blockCall);
        code[pc + I0] = pool.length;
        pool.push(d, entries.length, ...entries);
        break;
      }
      case F.Call:
      case F.CallIndirect:
      case F.TryCall:
      case F.TryCallIndirect: {
        const results = pool.length;
        pool.push(nres);
        for (let i = 0; i < nres; i++) pool.push(dfg.result(inst, i));
        code[pc + XT] = results;
        if (fmt === F.TryCall || fmt === F.TryCallIndirect) {
          const et = dfg.exceptionTables[dfg.imm1(inst)];
          if (et === undefined) throw new InterpreterError('invalid_function', `${name}: ${opcodeName(op)} refers to a missing exception table`, name);
          code[pc + I1] = blockCall(et.normalReturn);
        }
        break;
      }
      default:
        break;
    }
  }

  // Frame layout: slots in declaration order, each aligned.
  const slotOffsets: number[] = [];
  let size = 0;
  func.stackSlots.forEach((s, i) => {
    if (!s) return;
    const align = s.alignShift !== undefined ? 2 ** s.alignShift : 16;
    size = Math.ceil(size / align) * align;
    slotOffsets[i] = size;
    size += s.size;
  });

  const entryParams = dfg.blockParams(entry).map(Number);
  const vmctxParam = func.signature.params.findIndex((p) => p.purpose.kind === 'vmctx');
  return new DecodedFunction(
    func,
    name,
    code,
    Int32Array.from(pool),
    blockPc.get(entry) ?? 0,
    entryParams,
    dfg.numValues(),
    slotOffsets,
    size,
    vmctxParam,
    insts,
    consts,
    masks,
  );
}

/** The type of result `i` of the instruction at `pc` (for vector ops). */
export function resultTypeAt(func: Function, inst: Inst, i: number): Type {
  return func.dfg.valueTypeOf(func.dfg.result(inst, i));
}
