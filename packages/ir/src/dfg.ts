// DataFlowGraph: the contents of a function — values, instructions, blocks
// (as containers of parameters), branch destinations, constants and the
// tables instructions refer to. It knows nothing of order: that is Layout's.
//
// Storage is columnar: per-instruction and per-value fields live in typed
// arrays indexed by the entity id; operand and result lists live in one
// ListPool. No object is allocated per instruction or value.
//
// Invariants:
// - A value is exactly one of: an instruction result (inst, index), a block
//   parameter (block, index), an alias of another value, a union of two
//   values (mid-end only), or a placeholder (an id the text reader skipped,
//   never referenced by a well-formed function).
// - An instruction's argument list holds its fixed value operands (as the
//   format in formats.ts counts them) followed by its variable arguments.
// - Alias chains are acyclic; `resolveAliases` follows them to a non-alias.

import {
  NONE,
  type Block,
  type Constant,
  type DynamicType,
  type ExceptionTable,
  type FuncRef,
  type Immediate,
  type Inst,
  type JumpTable,
  type SigRef,
  type Value,
} from './entities.js';
import { InstructionFormat } from './formats.js';
import { opcodeFormat, type Opcode } from './opcodes.js';
import { I32Vec, ListPool, U16Vec, U32Vec } from './pool.js';
import type { Signature } from './signature.js';
import { INVALID, type Type } from './types.js';
import {
  BlockArg,
  type BlockCall,
  type DynamicTypeData,
  type ExceptionTableData,
  type ExtFuncData,
  type JumpTableData,
  type UserStackMapEntry,
} from './entity-data.js';

export const ValueKind = { Placeholder: 0, Result: 1, Param: 2, Alias: 3, Union: 4 } as const;
export type ValueKind = (typeof ValueKind)[keyof typeof ValueKind];

/** Where a value comes from. */
export type ValueDef =
  | { kind: 'result'; inst: Inst; num: number }
  | { kind: 'param'; block: Block; num: number }
  | { kind: 'alias'; original: Value }
  | { kind: 'union'; x: Value; y: Value }
  | { kind: 'placeholder' };

export class DataFlowGraph {
  // --- Values: type, kind, and two words whose meaning depends on kind.
  private readonly valueType = new U16Vec(16);
  private readonly valueKind = new U16Vec(16);
  /** Result: inst; Param: block; Alias: original; Union: x. */
  private readonly valueA = new U32Vec(16);
  /** Result/Param: position; Union: y. */
  private readonly valueB = new U32Vec(16);

  // --- Instructions
  private readonly instOpcode = new U16Vec(16);
  private readonly instCtrlType = new U16Vec(16);
  private readonly instArgStart = new U32Vec(16);
  private readonly instArgLen = new U32Vec(16);
  private readonly instResStart = new U32Vec(16);
  private readonly instResLen = new U32Vec(16);
  private readonly instImm0 = new I32Vec(16);
  private readonly instImm1 = new I32Vec(16);
  private readonly instImm2 = new I32Vec(16);
  private readonly instSrcLoc = new U32Vec(8, NONE);

  // --- Blocks (parameters only; order is Layout's)
  private readonly blockParamStart = new U32Vec(16);
  private readonly blockParamLen = new U32Vec(16);

  // --- Block calls: a destination block and its argument list.
  private readonly bcBlock = new U32Vec(16);
  private readonly bcArgStart = new U32Vec(16);
  private readonly bcArgLen = new U32Vec(16);

  private readonly lists = new ListPool();

  /** Signatures referenced by calls (`sigN`). */
  readonly signatures: (Signature | undefined)[] = [];
  /** External functions (`fnN`). */
  readonly extFuncs: (ExtFuncData | undefined)[] = [];
  /** Constant pool (`constN`): bytes in little-endian lane order. */
  readonly constants: (Uint8Array | undefined)[] = [];
  /** Immediate pool: shuffle masks and other large immediates. */
  readonly immediates: Uint8Array[] = [];
  readonly jumpTables: JumpTableData[] = [];
  readonly exceptionTables: ExceptionTableData[] = [];
  readonly dynamicTypes: (DynamicTypeData | undefined)[] = [];
  /** Debug tags attached to calls and sequence points (`<1, 2>`). */
  readonly debugTags = new Map<Inst, number[]>();
  /** User stack maps attached to calls (`stack_map=[…]`). */
  readonly userStackMaps = new Map<Inst, UserStackMapEntry[]>();

  // ===================================================================
  // Values

  numValues(): number {
    return this.valueType.length;
  }
  private newValue(type: Type, kind: ValueKind, a: number, b: number): Value {
    const v = this.valueType.push(type);
    this.valueKind.push(kind);
    this.valueA.push(a);
    this.valueB.push(b);
    return v as Value;
  }
  /** Makes ids up to `v` exist (as placeholders); the reader keeps source numbers. */
  ensureValue(v: Value): void {
    while (this.numValues() <= v) this.newValue(INVALID, ValueKind.Placeholder, NONE, 0);
  }
  valueIsValid(v: Value): boolean {
    return v >= 0 && v < this.numValues() && this.valueKind.data[v] !== ValueKind.Placeholder;
  }
  valueKindOf(v: Value): ValueKind {
    return this.valueKind.data[v] as ValueKind;
  }
  valueType_(v: Value): Type {
    return this.valueType.data[v] as Type;
  }
  /** The type of `v` (aliases report their original's type). */
  valueTypeOf(v: Value): Type {
    return this.valueType.data[this.resolveAliases(v)] as Type;
  }
  setValueType(v: Value, t: Type): void {
    this.valueType.data[v] = t;
  }
  valueDef(v: Value): ValueDef {
    const a = this.valueA.data[v];
    const b = this.valueB.data[v];
    switch (this.valueKind.data[v] as ValueKind) {
      case ValueKind.Result: return { kind: 'result', inst: a as Inst, num: b };
      case ValueKind.Param: return { kind: 'param', block: a as Block, num: b };
      case ValueKind.Alias: return { kind: 'alias', original: a as Value };
      case ValueKind.Union: return { kind: 'union', x: a as Value, y: b as Value };
      default: return { kind: 'placeholder' };
    }
  }
  /** The instruction defining `v`, or NONE if it is not a result. */
  valueInst(v: Value): Inst {
    return this.valueKind.data[v] === ValueKind.Result ? (this.valueA.data[v] as Inst) : (NONE as Inst);
  }
  /** The block whose parameter `v` is, or NONE. */
  valueBlock(v: Value): Block {
    return this.valueKind.data[v] === ValueKind.Param ? (this.valueA.data[v] as Block) : (NONE as Block);
  }
  /** Result index or parameter index of `v`. */
  valueNum(v: Value): number {
    return this.valueB.data[v];
  }

  /** Follows alias links to a value that is not an alias. */
  resolveAliases(v: Value): Value {
    let cur = v;
    for (let guard = this.numValues(); this.valueKind.data[cur] === ValueKind.Alias; guard--) {
      if (guard < 0) throw new Error(`alias cycle at v${v}`);
      cur = this.valueA.data[cur] as Value;
    }
    return cur;
  }
  /** Makes (or turns the placeholder) `dest` into an alias of `original`. */
  makeValueAliasAt(dest: Value, original: Value): void {
    this.ensureValue(dest);
    this.valueKind.data[dest] = ValueKind.Alias;
    this.valueA.data[dest] = original;
    this.valueB.data[dest] = 0;
    this.valueType.data[dest] = this.valueType.data[this.resolveAliases(original)]!;
  }
  /** A fresh alias of `original`. */
  makeValueAlias(original: Value): Value {
    return this.newValue(this.valueTypeOf(original), ValueKind.Alias, original, 0);
  }
  /** Turns existing value `v` into an alias of `original` (replaces all uses). */
  changeToAlias(v: Value, original: Value): void {
    if (this.resolveAliases(original) === v) throw new Error(`aliasing v${v} to itself`);
    this.valueKind.data[v] = ValueKind.Alias;
    this.valueA.data[v] = original;
    this.valueB.data[v] = 0;
  }
  /** A union value joining two equivalent values (for the mid-end). */
  makeUnion(x: Value, y: Value): Value {
    return this.newValue(this.valueTypeOf(x), ValueKind.Union, x, y);
  }
  /** Values that alias others, for the printer and verifier. */
  *aliases(): Iterable<Value> {
    for (let v = 0; v < this.numValues(); v++) if (this.valueKind.data[v] === ValueKind.Alias) yield v as Value;
  }

  // ===================================================================
  // Instructions

  numInsts(): number {
    return this.instOpcode.length;
  }
  /**
   * Creates an instruction with no results. `args` are its fixed operands
   * followed by variable arguments; imm words as formats.ts defines them.
   */
  makeInst(opcode: number, ctrlType: Type, args: ArrayLike<number>, imm0 = 0, imm1 = 0, imm2 = 0): Inst {
    const inst = this.instOpcode.push(opcode) as Inst;
    this.instCtrlType.push(ctrlType);
    this.instArgStart.push(this.lists.alloc(args));
    this.instArgLen.push(args.length);
    this.instResStart.push(0);
    this.instResLen.push(0);
    this.instImm0.push(imm0);
    this.instImm1.push(imm1);
    this.instImm2.push(imm2);
    this.instSrcLoc.push(NONE);
    return inst;
  }
  opcode(inst: Inst): number {
    return this.instOpcode.data[inst];
  }
  format(inst: Inst): InstructionFormat {
    return opcodeFormat(this.instOpcode.data[inst] as Opcode);
  }
  /** Replaces the opcode (same format expected); results are kept. */
  setOpcode(inst: Inst, opcode: number): void {
    this.instOpcode.data[inst] = opcode;
  }
  ctrlType(inst: Inst): Type {
    return this.instCtrlType.data[inst] as Type;
  }
  setCtrlType(inst: Inst, t: Type): void {
    this.instCtrlType.data[inst] = t;
  }
  imm0(inst: Inst): number {
    return this.instImm0.data[inst];
  }
  imm1(inst: Inst): number {
    return this.instImm1.data[inst];
  }
  imm2(inst: Inst): number {
    return this.instImm2.data[inst];
  }
  setImm(inst: Inst, which: 0 | 1 | 2, v: number): void {
    (which === 0 ? this.instImm0 : which === 1 ? this.instImm1 : this.instImm2).data[inst] = v;
  }
  srcLoc(inst: Inst): number {
    return this.instSrcLoc.data[inst];
  }
  setSrcLoc(inst: Inst, loc: number): void {
    this.instSrcLoc.data[inst] = loc;
  }

  numArgs(inst: Inst): number {
    return this.instArgLen.data[inst];
  }
  arg(inst: Inst, i: number): Value {
    return this.lists.get(this.instArgStart.data[inst], i) as Value;
  }
  setArg(inst: Inst, i: number, v: Value): void {
    this.lists.set(this.instArgStart.data[inst], i, v);
  }
  /** All value arguments (fixed then variable); allocates: cold paths only. */
  instArgs(inst: Inst): Value[] {
    return this.lists.slice(this.instArgStart.data[inst], this.instArgLen.data[inst]) as Value[];
  }
  /** The variable arguments after the format's fixed operands. */
  instVarArgs(inst: Inst, numFixed: number): Value[] {
    return this.instArgs(inst).slice(numFixed);
  }
  /** Replaces the whole argument list. */
  setInstArgs(inst: Inst, args: ArrayLike<number>): void {
    this.instArgStart.data[inst] = this.lists.alloc(args);
    this.instArgLen.data[inst] = args.length;
  }

  numResults(inst: Inst): number {
    return this.instResLen.data[inst];
  }
  result(inst: Inst, i: number): Value {
    return this.lists.get(this.instResStart.data[inst], i) as Value;
  }
  firstResult(inst: Inst): Value {
    if (this.instResLen.data[inst] === 0) throw new Error(`inst${inst} has no results`);
    return this.result(inst, 0);
  }
  instResults(inst: Inst): Value[] {
    return this.lists.slice(this.instResStart.data[inst], this.instResLen.data[inst]) as Value[];
  }
  /** Appends a new result of type `t`; returns the value. */
  appendResult(inst: Inst, t: Type): Value {
    const v = this.newValue(t, ValueKind.Result, inst, this.instResLen.data[inst]);
    this.attachResult(inst, v);
    return v;
  }
  /**
   * Makes value id `v` (created as needed, must be a placeholder) the next
   * result of `inst`: the reader uses this to keep source numbering.
   */
  attachResultAt(inst: Inst, v: Value, t: Type): void {
    this.ensureValue(v);
    if (this.valueKind.data[v] !== ValueKind.Placeholder) throw new Error(`v${v} is already defined`);
    this.valueType.data[v] = t;
    this.valueKind.data[v] = ValueKind.Result;
    this.valueA.data[v] = inst;
    this.valueB.data[v] = this.instResLen.data[inst]!;
    this.attachResult(inst, v);
  }
  private attachResult(inst: Inst, v: Value): void {
    const len = this.instResLen.data[inst];
    this.instResStart.data[inst] = this.lists.append(this.instResStart.data[inst], len, v);
    this.instResLen.data[inst] = len + 1;
  }
  /** Detaches all results (their values become placeholders). */
  clearResults(inst: Inst): void {
    for (const v of this.instResults(inst)) this.valueKind.data[v] = ValueKind.Placeholder;
    this.instResLen.data[inst] = 0;
  }

  // ===================================================================
  // Blocks

  numBlocks(): number {
    return this.blockParamStart.length;
  }
  makeBlock(): Block {
    this.blockParamStart.push(0);
    return this.blockParamLen.push(0) as Block;
  }
  /** Makes ids up to `b` exist; the reader keeps source numbering. */
  ensureBlock(b: Block): void {
    while (this.numBlocks() <= b) this.makeBlock();
  }
  blockIsValid(b: Block): boolean {
    return b >= 0 && b < this.numBlocks();
  }
  numBlockParams(b: Block): number {
    return this.blockParamLen.data[b];
  }
  blockParam(b: Block, i: number): Value {
    return this.lists.get(this.blockParamStart.data[b], i) as Value;
  }
  blockParams(b: Block): Value[] {
    return this.lists.slice(this.blockParamStart.data[b], this.blockParamLen.data[b]) as Value[];
  }
  appendBlockParam(b: Block, t: Type): Value {
    const v = this.newValue(t, ValueKind.Param, b, this.blockParamLen.data[b]);
    this.attachParam(b, v);
    return v;
  }
  /** Makes placeholder `v` the next parameter of `b` (source numbering). */
  attachBlockParamAt(b: Block, v: Value, t: Type): void {
    this.ensureValue(v);
    if (this.valueKind.data[v] !== ValueKind.Placeholder) throw new Error(`v${v} is already defined`);
    this.valueType.data[v] = t;
    this.valueKind.data[v] = ValueKind.Param;
    this.valueA.data[v] = b;
    this.valueB.data[v] = this.blockParamLen.data[b]!;
    this.attachParam(b, v);
  }
  private attachParam(b: Block, v: Value): void {
    const len = this.blockParamLen.data[b];
    this.blockParamStart.data[b] = this.lists.append(this.blockParamStart.data[b], len, v);
    this.blockParamLen.data[b] = len + 1;
  }
  /** Removes parameter `i` of `b`, renumbering the rest (the value becomes a placeholder). */
  removeBlockParam(b: Block, i: number): void {
    const params = this.blockParams(b);
    const [gone] = params.splice(i, 1);
    this.valueKind.data[gone] = ValueKind.Placeholder;
    params.forEach((v, j) => (this.valueB.data[v] = j));
    this.blockParamStart.data[b] = this.lists.alloc(params);
    this.blockParamLen.data[b] = params.length;
  }

  // ===================================================================
  // Block calls and branch destinations

  makeBlockCall(block: Block, args: ArrayLike<number>): BlockCall {
    this.bcBlock.push(block);
    this.bcArgStart.push(this.lists.alloc(args));
    return this.bcArgLen.push(args.length) as BlockCall;
  }
  blockCallBlock(bc: BlockCall): Block {
    return this.bcBlock.data[bc] as Block;
  }
  setBlockCallBlock(bc: BlockCall, b: Block): void {
    this.bcBlock.data[bc] = b;
  }
  blockCallNumArgs(bc: BlockCall): number {
    return this.bcArgLen.data[bc];
  }
  blockCallArg(bc: BlockCall, i: number): BlockArg {
    return this.lists.get(this.bcArgStart.data[bc], i) as BlockArg;
  }
  setBlockCallArg(bc: BlockCall, i: number, a: BlockArg): void {
    this.lists.set(this.bcArgStart.data[bc], i, a);
  }
  blockCallArgs(bc: BlockCall): BlockArg[] {
    return this.lists.slice(this.bcArgStart.data[bc], this.bcArgLen.data[bc]) as BlockArg[];
  }
  appendBlockCallArg(bc: BlockCall, a: BlockArg): void {
    const len = this.bcArgLen.data[bc];
    this.bcArgStart.data[bc] = this.lists.append(this.bcArgStart.data[bc], len, a);
    this.bcArgLen.data[bc] = len + 1;
  }

  /**
   * The block calls an instruction branches through, in printed order: jump
   * [dest]; brif [then, else]; br_table [default, entries…]; try_call
   * [normal return, handlers…]. Empty for non-branches.
   */
  branchDestinations(inst: Inst): BlockCall[] {
    switch (this.format(inst)) {
      case InstructionFormat.Jump:
        return [this.instImm0.data[inst] as BlockCall];
      case InstructionFormat.Brif:
        return [this.instImm0.data[inst] as BlockCall, this.instImm1.data[inst] as BlockCall];
      case InstructionFormat.BranchTable: {
        const jt = this.jumpTables[this.instImm0.data[inst]];
        return [jt.default, ...jt.entries];
      }
      case InstructionFormat.TryCall:
      case InstructionFormat.TryCallIndirect: {
        const et = this.exceptionTables[this.instImm1.data[inst]];
        const out = [et.normalReturn];
        for (const item of et.items) if (item.kind !== 'context') out.push(item.block);
        return out;
      }
      default:
        return [];
    }
  }

  // ===================================================================
  // Tables

  makeJumpTable(data: JumpTableData): JumpTable {
    return (this.jumpTables.push(data) - 1) as JumpTable;
  }
  makeExceptionTable(data: ExceptionTableData): ExceptionTable {
    return (this.exceptionTables.push(data) - 1) as ExceptionTable;
  }
  importSignature(sig: Signature): SigRef {
    return (this.signatures.push(sig) - 1) as SigRef;
  }
  importFunction(data: ExtFuncData): FuncRef {
    return (this.extFuncs.push(data) - 1) as FuncRef;
  }
  makeConstant(bytes: Uint8Array): Constant {
    return (this.constants.push(bytes) - 1) as Constant;
  }
  makeImmediate(bytes: Uint8Array): Immediate {
    return (this.immediates.push(bytes) - 1) as Immediate;
  }
  makeDynamicType(data: DynamicTypeData): DynamicType {
    return (this.dynamicTypes.push(data) - 1) as DynamicType;
  }

  /** Value arguments a block call passes (ignoring retN/exnN). */
  blockCallValues(bc: BlockCall): Value[] {
    const out: Value[] = [];
    for (const a of this.blockCallArgs(bc)) {
      const v = BlockArg.asValue(a);
      if (v !== undefined) out.push(v);
    }
    return out;
  }

  /**
   * Calls `f` for every value an instruction uses: its arguments and the
   * values passed to its branch destinations (and exception contexts).
   */
  forEachUse(inst: Inst, f: (v: Value) => void): void {
    const start = this.instArgStart.data[inst];
    const len = this.instArgLen.data[inst];
    for (let i = 0; i < len; i++) f(this.lists.get(start, i) as Value);
    const fmt = this.format(inst);
    if (fmt === InstructionFormat.Jump || fmt === InstructionFormat.Brif || fmt === InstructionFormat.BranchTable || fmt === InstructionFormat.TryCall || fmt === InstructionFormat.TryCallIndirect) {
      for (const bc of this.branchDestinations(inst)) {
        const n = this.bcArgLen.data[bc];
        for (let i = 0; i < n; i++) {
          const a = this.blockCallArg(bc, i);
          if (BlockArg.kind(a) === 0) f(a as number as Value);
        }
      }
      if (fmt === InstructionFormat.TryCall || fmt === InstructionFormat.TryCallIndirect) {
        for (const item of this.exceptionTables[this.instImm1.data[inst]].items) if (item.kind === 'context') f(item.value);
      }
    }
  }

  /** Rewrites every use in `inst` through `f` (arguments and branch args). */
  mapUses(inst: Inst, f: (v: Value) => Value): void {
    const start = this.instArgStart.data[inst];
    const len = this.instArgLen.data[inst];
    for (let i = 0; i < len; i++) this.lists.set(start, i, f(this.lists.get(start, i) as Value));
    for (const bc of this.branchDestinations(inst)) {
      const n = this.bcArgLen.data[bc];
      for (let i = 0; i < n; i++) {
        const a = this.blockCallArg(bc, i);
        if (BlockArg.kind(a) === 0) this.setBlockCallArg(bc, i, BlockArg.value(f(a as number as Value)));
      }
    }
    const fmt = this.format(inst);
    if (fmt === InstructionFormat.TryCall || fmt === InstructionFormat.TryCallIndirect) {
      for (const item of this.exceptionTables[this.instImm1.data[inst]].items) if (item.kind === 'context') item.value = f(item.value);
    }
  }

  /** Replaces every alias among `inst`'s uses by its resolved value. */
  resolveAliasesInArguments(inst: Inst): void {
    this.mapUses(inst, (v) => this.resolveAliases(v));
  }
}
