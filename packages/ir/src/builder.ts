// Building instructions: a cursor that says where new instructions go, and
// an instruction builder that creates them with their result values.
//
// `InstBuilder.build` is the one general entry point: it infers the
// controlling type from the typevar operand when none is given, makes the
// results the opcode table (or, for calls, the callee's signature)
// prescribes, and inserts at the cursor. The named helpers below cover the
// common opcodes; every opcode is reachable through `build`.
//
// Invariant: the builder never checks types beyond what it needs to make
// results; run the verifier on what you build.

import { NONE, type Block, type FuncRef, type Inst, type SigRef, type Value } from './entities.js';
import { BlockArg, type BlockCall } from './entity-data.js';
import type { Function } from './function.js';
import { i64ToWords, type MemFlags, type FloatCC, type IntCC, type TrapCode } from './immediates.js';
import {
  Opcode,
  isPolymorphic,
  numFixedResults,
  opcodeFormat,
  opcodeName,
  resultType,
  resultsFromSignature,
  typevarOperand,
} from './opcodes.js';
import { InstructionFormat } from './formats.js';
import { F32, F64, INVALID, typeName, type Type } from './types.js';

/** Where the next instruction goes. */
export type CursorPosition =
  | { kind: 'nowhere' }
  | { kind: 'bottom'; block: Block }
  | { kind: 'before'; inst: Inst };

export class FuncCursor {
  position: CursorPosition = { kind: 'nowhere' };

  constructor(readonly func: Function) {}

  /** New instructions are appended to `block`. */
  gotoBottom(block: Block): this {
    this.position = { kind: 'bottom', block };
    return this;
  }
  /** New instructions go immediately before `inst`. */
  gotoBefore(inst: Inst): this {
    this.position = { kind: 'before', inst };
    return this;
  }
  /** The block new instructions go into, if any. */
  currentBlock(): Block | undefined {
    const p = this.position;
    if (p.kind === 'bottom') return p.block;
    if (p.kind === 'before') {
      const b = this.func.layout.instBlock(p.inst);
      return b === NONE ? undefined : b;
    }
    return undefined;
  }
  /** Makes a block and appends it to the layout. */
  makeBlock(): Block {
    const b = this.func.dfg.makeBlock();
    this.func.layout.appendBlock(b);
    return b;
  }
  insertBuilt(inst: Inst): void {
    const p = this.position;
    if (p.kind === 'bottom') this.func.layout.appendInst(inst, p.block);
    else if (p.kind === 'before') this.func.layout.insertInst(inst, p.inst);
    else throw new Error(`cursor has no position for ${opcodeName(this.func.dfg.opcode(inst) as Opcode)}`);
  }
  ins(): InstBuilder {
    return new InstBuilder(this);
  }
}

export class InstBuilder {
  constructor(private readonly cursor: FuncCursor) {}

  private get func(): Function {
    return this.cursor.func;
  }

  /**
   * Creates `op` with value operands `args` (fixed then variable) and
   * immediate words as formats.ts defines them, makes its results, inserts
   * it at the cursor and returns it. `ctrlType` may be INVALID to infer it
   * from the typevar operand.
   */
  build(op: Opcode, ctrlType: Type, args: ArrayLike<number>, imm0 = 0, imm1 = 0, imm2 = 0): Inst {
    const dfg = this.func.dfg;
    let ctrl = ctrlType;
    if (ctrl === INVALID && isPolymorphic(op)) {
      const tv = typevarOperand(op);
      if (tv < 0 || tv >= args.length) throw new Error(`${opcodeName(op)} needs an explicit controlling type`);
      ctrl = dfg.valueTypeOf(args[tv] as Value);
    }
    const inst = dfg.makeInst(op, isPolymorphic(op) ? ctrl : INVALID, args, imm0, imm1, imm2);
    if (resultsFromSignature(op)) {
      const fmt = opcodeFormat(op);
      const sigRef = fmt === InstructionFormat.Call ? dfg.extFuncs[imm0]?.signature : (imm0 as SigRef);
      const sig = sigRef === undefined ? undefined : dfg.signatures[sigRef];
      if (!sig) throw new Error(`${opcodeName(op)} refers to an unknown signature`);
      for (const r of sig.returns) dfg.appendResult(inst, r.type);
    } else {
      const n = numFixedResults(op);
      for (let i = 0; i < n; i++) {
        const t = resultType(op, i, ctrl);
        if (t === INVALID) throw new Error(`${opcodeName(op)} has no result ${i} for controlling type ${typeName(ctrl)}`);
        dfg.appendResult(inst, t);
      }
    }
    this.cursor.insertBuilt(inst);
    return inst;
  }

  private value(op: Opcode, ctrl: Type, args: ArrayLike<number>, imm0 = 0, imm1 = 0, imm2 = 0): Value {
    return this.func.dfg.firstResult(this.build(op, ctrl, args, imm0, imm1, imm2));
  }

  // --- Constants
  iconst(t: Type, x: bigint | number): Value {
    const [lo, hi] = i64ToWords(BigInt(x));
    return this.value(Opcode.Iconst, t, [], lo, hi);
  }
  f32const(x: number): Value {
    const buf = new DataView(new ArrayBuffer(4));
    buf.setFloat32(0, x, true);
    return this.value(Opcode.F32const, F32, [], buf.getInt32(0, true));
  }
  f64const(x: number): Value {
    const buf = new DataView(new ArrayBuffer(8));
    buf.setFloat64(0, x, true);
    return this.value(Opcode.F64const, F64, [], buf.getInt32(0, true), buf.getInt32(4, true));
  }

  // --- Arithmetic and logic (ctrl from the first operand)
  unary(op: Opcode, x: Value): Value {
    return this.value(op, INVALID, [x]);
  }
  binary(op: Opcode, x: Value, y: Value): Value {
    return this.value(op, INVALID, [x, y]);
  }
  iadd(x: Value, y: Value): Value { return this.binary(Opcode.Iadd, x, y); }
  isub(x: Value, y: Value): Value { return this.binary(Opcode.Isub, x, y); }
  imul(x: Value, y: Value): Value { return this.binary(Opcode.Imul, x, y); }
  band(x: Value, y: Value): Value { return this.binary(Opcode.Band, x, y); }
  bor(x: Value, y: Value): Value { return this.binary(Opcode.Bor, x, y); }
  bxor(x: Value, y: Value): Value { return this.binary(Opcode.Bxor, x, y); }
  ishl(x: Value, y: Value): Value { return this.binary(Opcode.Ishl, x, y); }
  fadd(x: Value, y: Value): Value { return this.binary(Opcode.Fadd, x, y); }
  fmul(x: Value, y: Value): Value { return this.binary(Opcode.Fmul, x, y); }
  icmp(cc: IntCC, x: Value, y: Value): Value {
    return this.value(Opcode.Icmp, INVALID, [x, y], 0, 0, cc);
  }
  fcmp(cc: FloatCC, x: Value, y: Value): Value {
    return this.value(Opcode.Fcmp, INVALID, [x, y], 0, 0, cc);
  }
  select(c: Value, x: Value, y: Value): Value {
    return this.value(Opcode.Select, INVALID, [c, x, y]);
  }
  /** Extensions and reductions name their result type. */
  convert(op: Opcode, to: Type, x: Value): Value {
    return this.value(op, to, [x]);
  }

  // --- Memory
  load(t: Type, flags: MemFlags, p: Value, offset = 0): Value {
    return this.value(Opcode.Load, t, [p], flags, offset);
  }
  store(flags: MemFlags, x: Value, p: Value, offset = 0): Inst {
    return this.build(Opcode.Store, INVALID, [x, p], flags, offset);
  }
  stackAddr(t: Type, slot: number, offset = 0): Value {
    return this.value(Opcode.StackAddr, t, [], slot, offset);
  }

  // --- Control flow
  private blockCall(block: Block, args: readonly Value[]): BlockCall {
    return this.func.dfg.makeBlockCall(block, args.map((v) => BlockArg.value(v)));
  }
  jump(block: Block, args: readonly Value[] = []): Inst {
    return this.build(Opcode.Jump, INVALID, [], this.blockCall(block, args));
  }
  brif(c: Value, thenBlock: Block, thenArgs: readonly Value[], elseBlock: Block, elseArgs: readonly Value[]): Inst {
    return this.build(Opcode.Brif, INVALID, [c], this.blockCall(thenBlock, thenArgs), this.blockCall(elseBlock, elseArgs));
  }
  brTable(index: Value, defaultBlock: Block, entries: readonly Block[]): Inst {
    const dfg = this.func.dfg;
    const jt = dfg.makeJumpTable({ default: this.blockCall(defaultBlock, []), entries: entries.map((b) => this.blockCall(b, [])) });
    return this.build(Opcode.BrTable, INVALID, [index], jt);
  }
  return_(values: readonly Value[] = []): Inst {
    return this.build(Opcode.Return, INVALID, values);
  }
  call(fn: FuncRef, args: readonly Value[]): Inst {
    return this.build(Opcode.Call, INVALID, args, fn);
  }
  callIndirect(sig: SigRef, callee: Value, args: readonly Value[]): Inst {
    return this.build(Opcode.CallIndirect, INVALID, [callee, ...args], sig);
  }
  trap(code: TrapCode): Inst {
    return this.build(Opcode.Trap, INVALID, [], code);
  }
  trapz(c: Value, code: TrapCode): Inst {
    return this.build(Opcode.Trapz, INVALID, [c], code);
  }
}

