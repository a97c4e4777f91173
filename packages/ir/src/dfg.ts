// DataFlowGraph: the contents of a function — values, instructions, blocks
// (as containers of parameters), branch destinations, constants and the
// tables instructions refer to. It knows nothing of order: that is Layout's.
//
// Storage is columnar: per-instruction and per-value fields live in typed
// arrays indexed by the entity id; operand and result lists live in one
// list pool. No object is allocated per instruction or value, and a fresh
// DataFlowGraph allocates nothing but itself: arrays and tables are made
// on first use.
//
// Invariants:
// - A value is exactly one of: an instruction result (inst, index), a block
//   parameter (block, index), an alias of another value, a union of two
//   values (mid-end only), or a placeholder (an id the text reader skipped,
//   never referenced by a well-formed function).
// - An instruction's argument list holds its fixed value operands (as the
//   format in formats.ts counts them) followed by its variable arguments.
// - Alias chains are acyclic; `resolveAliases` follows them to a non-alias.

import type { Block, Constant, DynamicType, ExceptionTable, FuncRef, Immediate, Inst, JumpTable, SigRef, Value } from './entities.js';
import * as entities from './entities.js';
import * as formats from './formats.js';
import type { Opcode } from './opcodes.js';
import * as opcodes from './opcodes.js';
import * as pool from './pool.js';
import type { Signature } from './signature.js';
import type { Type } from './types.js';
import * as types from './types.js';
import type { BlockCall, DynamicTypeData, ExceptionTableData, ExtFuncData, JumpTableData, UserStackMapEntry } from './entity-data.js';
import * as entityData from './entity-data.js';

// Imported bindings are live, so V8 reads them afresh at every use; the
// values used on hot paths are copied into module constants, which it
// folds into the compiled code.
const { NONE } = entities;
const { BlockArg } = entityData;
type BlockArg = entityData.BlockArg;
const { InstructionFormat } = formats;
type InstructionFormat = formats.InstructionFormat;
const { opcodeFormat } = opcodes;
const { carveWords, copyWords, newU32, slabWords } = pool;
const { INVALID } = types;

export const ValueKind = { Placeholder: 0, Result: 1, Param: 2, Alias: 3, Union: 4 } as const;
export type ValueKind = (typeof ValueKind)[keyof typeof ValueKind];

/** Where a value comes from. */
export type ValueDef =
  | { kind: 'result'; inst: Inst; num: number }
  | { kind: 'param'; block: Block; num: number }
  | { kind: 'alias'; original: Value }
  | { kind: 'union'; x: Value; y: Value }
  | { kind: 'placeholder' };

const EMPTY = new Uint32Array(0);

/** `old` grown to at least `need` words (doubling, at least `initial`), contents kept, new words zero. */
function grow(old: Uint32Array, need: number, initial: number): Uint32Array {
  let cap = Math.max(old.length * 2, initial);
  while (cap < need) cap *= 2;
  const next = newU32(cap);
  if (old.length !== 0) next.set(old);
  return next;
}

/**
 * A table's region `[offset, offset + cap)` of `old` copied into an array
 * of its own of at least `need` words (double the region, or more), new
 * words zero.
 */
function moveOut(old: Uint32Array, offset: number, cap: number, need: number): Uint32Array {
  let next = cap * 2;
  while (next < need) next *= 2;
  const out = newU32(next);
  copyWords(out, old, offset, cap);
  return out;
}

// The shared first region's parts, in words: 10 values, 7 instructions,
// 4 blocks, 20 list words. Most upstream test functions fit (the median
// has 4 values, 3 instructions, 1 block, 8 list words; the 95th
// percentile 7, 6, 1, 16); the region is zeroed memory, so a region sized
// for the rare large function would cost every small one.
const INITIAL_VALUE_WORDS = 10 * 4;
const INITIAL_INST_WORDS = 7 * 10;
const INITIAL_BLOCK_WORDS = 4 * 2;
const INITIAL_LIST_WORDS = 20;
const SHARED_VO = 0;
const SHARED_IO = SHARED_VO + INITIAL_VALUE_WORDS;
const SHARED_BO = SHARED_IO + INITIAL_INST_WORDS;
const SHARED_LO = SHARED_BO + INITIAL_BLOCK_WORDS;
const SHARED_WORDS = SHARED_LO + INITIAL_LIST_WORDS;
/** Words of zeroed storage a DataFlowGraph can be given for its first tables (see the constructor). */
export const DFG_STORAGE_WORDS = SHARED_WORDS;

/** A DataFlowGraph's tables that most functions never use, each made on first use. */
class DfgTables {
  signatures: (Signature | undefined)[] | undefined = undefined;
  extFuncs: (ExtFuncData | undefined)[] | undefined = undefined;
  constants: (Uint8Array | undefined)[] | undefined = undefined;
  immediates: Uint8Array[] | undefined = undefined;
  jumpTables: JumpTableData[] | undefined = undefined;
  exceptionTables: ExceptionTableData[] | undefined = undefined;
  dynamicTypes: (DynamicTypeData | undefined)[] | undefined = undefined;
  debugTags: Map<Inst, number[]> | undefined = undefined;
  userStackMaps: Map<Inst, UserStackMapEntry[]> | undefined = undefined;
}

export class DataFlowGraph {
  // Records packed in strided typed arrays held directly (no wrapper
  // object), one table per entity kind, so a function owns a handful of
  // arrays however many entities it has. Each table is (array, offset,
  // capacity in words): the value, instruction, block and list tables
  // start out as regions of one range of a pool slab (given by the
  // Function, else carved on the first push to any of them), because a
  // typed array costs about as much to make as a small function's records
  // cost to fill; a table that outgrows its region moves to an array of its
  // own (offset 0), doubling from then on. Readers index
  // `table[offset + record * stride + field]`. `n*` counts the records in
  // use.
  /** Per value (4 words): `type, kind, a, b` — a: inst (result), block
   * (param), original (alias), x (union); b: result/param position, or y (union). */
  private vd: Uint32Array = EMPTY;
  private vo = 0;
  private vcap = 0;
  private nv = 0;
  /** Per instruction (10 words): `opcode, ctrlType, argStart, argLen,
   * resStart, resLen, imm0, imm1, imm2, srcLoc` (imm words stored as u32, read as i32). */
  private id: Uint32Array = EMPTY;
  private io = 0;
  private icap = 0;
  private ni = 0;
  /** Per block (2 words): `paramStart, paramLen` (order is Layout's). */
  private bd: Uint32Array = EMPTY;
  private bo = 0;
  private bcap = 0;
  private nb = 0;
  /** Per block call (3 words): `block, argStart, argLen` (own array: few functions branch). */
  private cd: Uint32Array = EMPTY;
  private nc = 0;
  /**
   * The list pool: many short lists of u32 (arguments, results, block
   * parameters, block-call arguments) in one table; a list is named by
   * (start, length) kept by its owner, `start` relative to `lo`.
   * Appending to a list that does not end the pool copies it to the end
   * first, leaving the old run as garbage: lists are short and rarely grow
   * after creation.
   */
  private ld: Uint32Array = EMPTY;
  private lo = 0;
  private lcap = 0;
  private nl = 0;

  /**
   * `storage[storageOffset, storageOffset + DFG_STORAGE_WORDS)`, when
   * given, must be zeroed and used by nothing else: it becomes the shared
   * first region (Function hands its DFG and Layout regions of one range
   * of a pool slab; the rest of the array belongs to others). Without it,
   * the region is carved on the first push.
   */
  constructor(storage?: Uint32Array, storageOffset = 0) {
    if (storage !== undefined) this.useShared(storage, storageOffset);
  }

  // The entity tables below are made on first access: most functions use
  // none of them, and empty arrays made for every function would cost more
  // than a small function's instruction table. They hang off one object,
  // made with the first of them, so a DataFlowGraph carries one field for
  // them all.
  private t: DfgTables | undefined = undefined;
  private tables(): DfgTables {
    return (this.t ??= new DfgTables());
  }
  /** Signatures referenced by calls (`sigN`). */
  get signatures(): (Signature | undefined)[] {
    return (this.tables().signatures ??= []);
  }
  /** External functions (`fnN`). */
  get extFuncs(): (ExtFuncData | undefined)[] {
    return (this.tables().extFuncs ??= []);
  }
  /** Constant pool (`constN`): bytes in little-endian lane order. */
  get constants(): (Uint8Array | undefined)[] {
    return (this.tables().constants ??= []);
  }
  /** Immediate pool: shuffle masks and other large immediates. */
  get immediates(): Uint8Array[] {
    return (this.tables().immediates ??= []);
  }
  get jumpTables(): JumpTableData[] {
    return (this.tables().jumpTables ??= []);
  }
  get exceptionTables(): ExceptionTableData[] {
    return (this.tables().exceptionTables ??= []);
  }
  get dynamicTypes(): (DynamicTypeData | undefined)[] {
    return (this.tables().dynamicTypes ??= []);
  }
  /** Declared signatures / external functions / dynamic types, counting holes; never creates a table. */
  numSignatures(): number {
    return this.t?.signatures?.length ?? 0;
  }
  numExtFuncs(): number {
    return this.t?.extFuncs?.length ?? 0;
  }
  numDynamicTypes(): number {
    return this.t?.dynamicTypes?.length ?? 0;
  }
  /** Debug tags attached to calls and sequence points (`<1, 2>`). */
  get debugTags(): Map<Inst, number[]> {
    return (this.tables().debugTags ??= new Map());
  }
  /** User stack maps attached to calls (`stack_map=[…]`). */
  get userStackMaps(): Map<Inst, UserStackMapEntry[]> {
    return (this.tables().userStackMaps ??= new Map());
  }
  /** The debug tags of `inst`, if any (never creates the table). */
  instDebugTags(inst: Inst): number[] | undefined {
    return this.t?.debugTags?.get(inst);
  }
  /** The user stack map of `inst`, if any (never creates the table). */
  instUserStackMap(inst: Inst): UserStackMapEntry[] | undefined {
    return this.t?.userStackMaps?.get(inst);
  }

  // ===================================================================
  // Storage

  /**
   * Carves the shared first region (see the field comments) if no table
   * has storage yet. Returns false when it already existed.
   */
  private allocShared(): boolean {
    if (this.vd !== EMPTY || this.id !== EMPTY || this.bd !== EMPTY || this.ld !== EMPTY) return false;
    const base = carveWords(SHARED_WORDS);
    this.useShared(slabWords(), base);
    return true;
  }
  /** Places the first tables in `buf` from `base` on. */
  private useShared(buf: Uint32Array, base: number): void {
    this.vd = this.id = this.bd = this.ld = buf;
    this.vo = base + SHARED_VO;
    this.io = base + SHARED_IO;
    this.bo = base + SHARED_BO;
    this.lo = base + SHARED_LO;
    this.vcap = INITIAL_VALUE_WORDS;
    this.icap = INITIAL_INST_WORDS;
    this.bcap = INITIAL_BLOCK_WORDS;
    this.lcap = INITIAL_LIST_WORDS;
  }
  /** Appends a zeroed value record; returns its index. */
  private pushValue(): number {
    const need = (this.nv + 1) * 4;
    if (need > this.vcap && !(this.allocShared() && need <= this.vcap)) {
      this.vd = moveOut(this.vd, this.vo, this.vcap, need);
      this.vcap = this.vd.length;
      this.vo = 0;
    }
    return this.nv++;
  }
  private pushInst(): number {
    const need = (this.ni + 1) * 10;
    if (need > this.icap && !(this.allocShared() && need <= this.icap)) {
      this.id = moveOut(this.id, this.io, this.icap, need);
      this.icap = this.id.length;
      this.io = 0;
    }
    return this.ni++;
  }
  private pushBlock(): number {
    const need = (this.nb + 1) * 2;
    if (need > this.bcap && !(this.allocShared() && need <= this.bcap)) {
      this.bd = moveOut(this.bd, this.bo, this.bcap, need);
      this.bcap = this.bd.length;
      this.bo = 0;
    }
    return this.nb++;
  }
  private pushBlockCall(): number {
    const need = (this.nc + 1) * 3;
    if (need > this.cd.length) this.cd = grow(this.cd, need, 8 * 3);
    return this.nc++;
  }
  /** Makes the list pool hold at least `need` words. */
  private reserveList(need: number): void {
    if (need > this.lcap && !(this.allocShared() && need <= this.lcap)) {
      this.ld = moveOut(this.ld, this.lo, this.lcap, need);
      this.lcap = this.ld.length;
      this.lo = 0;
    }
  }
  /** Allocates a list holding `items[0, n)`; returns its start. */
  private listAlloc(items: ArrayLike<number>, n: number): number {
    const start = this.nl;
    if (start + n > this.lcap) this.reserveList(start + n);
    const data = this.ld;
    const o = this.lo + start;
    for (let i = 0; i < n; i++) data[o + i] = items[i];
    this.nl = start + n;
    return start;
  }
  /**
   * Appends `v` to the list (start, len); returns the list's new start (it
   * moves when the list does not end the pool).
   */
  private listAppend(start: number, len: number, v: number): number {
    const end = this.nl;
    if (start + len === end && len !== 0) {
      if (end + 1 > this.lcap) this.reserveList(end + 1);
      this.ld[this.lo + end] = v;
      this.nl = end + 1;
      return start;
    }
    if (end + len + 1 > this.lcap) this.reserveList(end + len + 1);
    const data = this.ld;
    const lo = this.lo;
    for (let i = 0; i < len; i++) data[lo + end + i] = data[lo + start + i];
    data[lo + end + len] = v;
    this.nl = end + len + 1;
    return end;
  }
  private listSet(start: number, i: number, v: number): void {
    this.ld[this.lo + start + i] = v;
  }
  private listSlice(start: number, len: number): number[] {
    const out = new Array<number>(len);
    for (let i = 0; i < len; i++) out[i] = this.ld[this.lo + start + i];
    return out;
  }

  // ===================================================================
  // Values

  numValues(): number {
    return this.nv;
  }
  private newValue(type: Type, kind: ValueKind, a: number, b: number): Value {
    const v = this.pushValue();
    const d = this.vd;
    const o = this.vo + v * 4;
    d[o] = type;
    d[o + 1] = kind;
    d[o + 2] = a;
    d[o + 3] = b;
    return v as Value;
  }
  /** Makes ids up to `v` exist (as placeholders); the reader keeps source numbers. */
  ensureValue(v: Value): void {
    const n = this.nv;
    if (v < n) return;
    // All at once: sparse source numbering (`v9200`) can skip thousands.
    const need = (v + 1) * 4;
    if (need > this.vcap && !(this.allocShared() && need <= this.vcap)) {
      this.vd = moveOut(this.vd, this.vo, this.vcap, need);
      this.vcap = this.vd.length;
      this.vo = 0;
    }
    const d = this.vd;
    for (let o = this.vo + n * 4, end = this.vo + need; o < end; o += 4) {
      d[o] = INVALID;
      d[o + 1] = ValueKind.Placeholder;
      d[o + 2] = NONE;
      d[o + 3] = 0;
    }
    this.nv = v + 1;
  }
  valueIsValid(v: Value): boolean {
    return v >= 0 && v < this.numValues() && this.vd[this.vo + v * 4 + 1] !== ValueKind.Placeholder;
  }
  valueKindOf(v: Value): ValueKind {
    return this.vd[this.vo + v * 4 + 1] as ValueKind;
  }
  valueType_(v: Value): Type {
    return this.vd[this.vo + v * 4] as Type;
  }
  /** The type of `v` (aliases report their original's type). */
  valueTypeOf(v: Value): Type {
    return this.vd[this.vo + (this.resolveAliases(v)) * 4] as Type;
  }
  setValueType(v: Value, t: Type): void {
    this.vd[this.vo + v * 4] = t;
  }
  valueDef(v: Value): ValueDef {
    const a = this.vd[this.vo + v * 4 + 2];
    const b = this.vd[this.vo + v * 4 + 3];
    switch (this.vd[this.vo + v * 4 + 1] as ValueKind) {
      case ValueKind.Result: return { kind: 'result', inst: a as Inst, num: b };
      case ValueKind.Param: return { kind: 'param', block: a as Block, num: b };
      case ValueKind.Alias: return { kind: 'alias', original: a as Value };
      case ValueKind.Union: return { kind: 'union', x: a as Value, y: b as Value };
      default: return { kind: 'placeholder' };
    }
  }
  /** The instruction defining `v`, or NONE if it is not a result. */
  valueInst(v: Value): Inst {
    return this.vd[this.vo + v * 4 + 1] === ValueKind.Result ? (this.vd[this.vo + v * 4 + 2] as Inst) : (NONE as Inst);
  }
  /** The block whose parameter `v` is, or NONE. */
  valueBlock(v: Value): Block {
    return this.vd[this.vo + v * 4 + 1] === ValueKind.Param ? (this.vd[this.vo + v * 4 + 2] as Block) : (NONE as Block);
  }
  /** Result index or parameter index of `v`. */
  valueNum(v: Value): number {
    return this.vd[this.vo + v * 4 + 3];
  }
  /** Is `v` (any number) result `num` of `inst`? One look at its record (the verifier asks for every result). */
  isResultOf(v: Value, inst: Inst, num: number): boolean {
    if (!(v >= 0 && v < this.nv)) return false;
    const o = this.vo + v * 4;
    const d = this.vd;
    return d[o + 1] === ValueKind.Result && d[o + 2] === inst && d[o + 3] === num;
  }

  /** Follows alias links to a value that is not an alias. */
  resolveAliases(v: Value): Value {
    let cur = v;
    for (let guard = this.numValues(); this.vd[this.vo + cur * 4 + 1] === ValueKind.Alias; guard--) {
      if (guard < 0) throw new Error(`alias cycle at v${v}`);
      cur = this.vd[this.vo + cur * 4 + 2] as Value;
    }
    return cur;
  }
  /** Makes (or turns the placeholder) `dest` into an alias of `original`. */
  makeValueAliasAt(dest: Value, original: Value): void {
    this.ensureValue(dest);
    this.vd[this.vo + dest * 4 + 1] = ValueKind.Alias;
    this.vd[this.vo + dest * 4 + 2] = original;
    this.vd[this.vo + dest * 4 + 3] = 0;
    this.vd[this.vo + dest * 4] = this.vd[this.vo + (this.resolveAliases(original)) * 4]!;
  }
  /** A fresh alias of `original`. */
  makeValueAlias(original: Value): Value {
    return this.newValue(this.valueTypeOf(original), ValueKind.Alias, original, 0);
  }
  /** Turns existing value `v` into an alias of `original` (replaces all uses). */
  changeToAlias(v: Value, original: Value): void {
    if (this.resolveAliases(original) === v) throw new Error(`aliasing v${v} to itself`);
    this.vd[this.vo + v * 4 + 1] = ValueKind.Alias;
    this.vd[this.vo + v * 4 + 2] = original;
    this.vd[this.vo + v * 4 + 3] = 0;
  }
  /** A union value joining two equivalent values (for the mid-end). */
  makeUnion(x: Value, y: Value): Value {
    return this.newValue(this.valueTypeOf(x), ValueKind.Union, x, y);
  }
  /** Values that alias others, for the printer and verifier. */
  *aliases(): Iterable<Value> {
    for (let v = 0; v < this.numValues(); v++) if (this.vd[this.vo + v * 4 + 1] === ValueKind.Alias) yield v as Value;
  }

  // ===================================================================
  // Instructions

  numInsts(): number {
    return this.ni;
  }
  /**
   * Creates an instruction with no results. `args` are its fixed operands
   * followed by variable arguments (only its first `numArgs`, when given:
   * a caller may pass a reused buffer); imm words as formats.ts defines them.
   */
  makeInst(opcode: number, ctrlType: Type, args: ArrayLike<number>, imm0 = 0, imm1 = 0, imm2 = 0, numArgs = args.length): Inst {
    const argStart = this.listAlloc(args, numArgs);
    const inst = this.pushInst() as Inst;
    const d = this.id;
    const o = this.io + inst * 10;
    d[o] = opcode;
    d[o + 1] = ctrlType;
    d[o + 2] = argStart;
    d[o + 3] = numArgs;
    d[o + 6] = imm0;
    d[o + 7] = imm1;
    d[o + 8] = imm2;
    d[o + 9] = NONE;
    return inst;
  }
  opcode(inst: Inst): number {
    return this.id[this.io + inst * 10];
  }
  format(inst: Inst): InstructionFormat {
    return opcodeFormat(this.id[this.io + inst * 10] as Opcode);
  }
  /** Replaces the opcode (same format expected); results are kept. */
  setOpcode(inst: Inst, opcode: number): void {
    this.id[this.io + inst * 10] = opcode;
  }
  ctrlType(inst: Inst): Type {
    return this.id[this.io + inst * 10 + 1] as Type;
  }
  setCtrlType(inst: Inst, t: Type): void {
    this.id[this.io + inst * 10 + 1] = t;
  }
  imm0(inst: Inst): number {
    return this.id[this.io + inst * 10 + 6] | 0;
  }
  imm1(inst: Inst): number {
    return this.id[this.io + inst * 10 + 7] | 0;
  }
  imm2(inst: Inst): number {
    return this.id[this.io + inst * 10 + 8] | 0;
  }
  setImm(inst: Inst, which: 0 | 1 | 2, v: number): void {
    this.id[this.io + inst * 10 + 6 + which] = v;
  }
  srcLoc(inst: Inst): number {
    return this.id[this.io + inst * 10 + 9];
  }
  setSrcLoc(inst: Inst, loc: number): void {
    this.id[this.io + inst * 10 + 9] = loc;
  }

  numArgs(inst: Inst): number {
    return this.id[this.io + inst * 10 + 3];
  }
  arg(inst: Inst, i: number): Value {
    return this.ld[this.lo + this.id[this.io + inst * 10 + 2] + i] as Value;
  }
  setArg(inst: Inst, i: number, v: Value): void {
    this.listSet(this.id[this.io + inst * 10 + 2], i, v);
  }
  /** All value arguments (fixed then variable); allocates: cold paths only. */
  instArgs(inst: Inst): Value[] {
    return this.listSlice(this.id[this.io + inst * 10 + 2], this.id[this.io + inst * 10 + 3]) as Value[];
  }
  /** The variable arguments after the format's fixed operands. */
  instVarArgs(inst: Inst, numFixed: number): Value[] {
    return this.instArgs(inst).slice(numFixed);
  }
  /** Replaces the whole argument list. */
  setInstArgs(inst: Inst, args: ArrayLike<number>): void {
    this.id[this.io + inst * 10 + 2] = this.listAlloc(args, args.length);
    this.id[this.io + inst * 10 + 3] = args.length;
  }

  numResults(inst: Inst): number {
    return this.id[this.io + inst * 10 + 5];
  }
  result(inst: Inst, i: number): Value {
    return this.ld[this.lo + this.id[this.io + inst * 10 + 4] + i] as Value;
  }
  firstResult(inst: Inst): Value {
    if (this.id[this.io + inst * 10 + 5] === 0) throw new Error(`inst${inst} has no results`);
    return this.result(inst, 0);
  }
  instResults(inst: Inst): Value[] {
    return this.listSlice(this.id[this.io + inst * 10 + 4], this.id[this.io + inst * 10 + 5]) as Value[];
  }
  /** Appends a new result of type `t`; returns the value. */
  appendResult(inst: Inst, t: Type): Value {
    const v = this.newValue(t, ValueKind.Result, inst, this.id[this.io + inst * 10 + 5]);
    this.attachResult(inst, v);
    return v;
  }
  /**
   * Makes value id `v` (created as needed, must be a placeholder) the next
   * result of `inst`: the reader uses this to keep source numbering.
   */
  attachResultAt(inst: Inst, v: Value, t: Type): void {
    this.ensureValue(v);
    if (this.vd[this.vo + v * 4 + 1] !== ValueKind.Placeholder) throw new Error(`v${v} is already defined`);
    this.vd[this.vo + v * 4] = t;
    this.vd[this.vo + v * 4 + 1] = ValueKind.Result;
    this.vd[this.vo + v * 4 + 2] = inst;
    this.vd[this.vo + v * 4 + 3] = this.id[this.io + inst * 10 + 5]!;
    this.attachResult(inst, v);
  }
  private attachResult(inst: Inst, v: Value): void {
    const len = this.id[this.io + inst * 10 + 5];
    this.id[this.io + inst * 10 + 4] = this.listAppend(this.id[this.io + inst * 10 + 4], len, v);
    this.id[this.io + inst * 10 + 5] = len + 1;
  }
  /** Detaches all results (their values become placeholders). */
  clearResults(inst: Inst): void {
    for (const v of this.instResults(inst)) this.vd[this.vo + v * 4 + 1] = ValueKind.Placeholder;
    this.id[this.io + inst * 10 + 5] = 0;
  }

  // ===================================================================
  // Blocks

  numBlocks(): number {
    return this.nb;
  }
  makeBlock(): Block {
    return this.pushBlock() as Block;
  }
  /** Makes ids up to `b` exist; the reader keeps source numbering. */
  ensureBlock(b: Block): void {
    while (this.numBlocks() <= b) this.makeBlock();
  }
  blockIsValid(b: Block): boolean {
    return b >= 0 && b < this.numBlocks();
  }
  numBlockParams(b: Block): number {
    return this.bd[this.bo + b * 2 + 1];
  }
  blockParam(b: Block, i: number): Value {
    return this.ld[this.lo + this.bd[this.bo + b * 2] + i] as Value;
  }
  blockParams(b: Block): Value[] {
    return this.listSlice(this.bd[this.bo + b * 2], this.bd[this.bo + b * 2 + 1]) as Value[];
  }
  appendBlockParam(b: Block, t: Type): Value {
    const v = this.newValue(t, ValueKind.Param, b, this.bd[this.bo + b * 2 + 1]);
    this.attachParam(b, v);
    return v;
  }
  /** Makes placeholder `v` the next parameter of `b` (source numbering). */
  attachBlockParamAt(b: Block, v: Value, t: Type): void {
    this.ensureValue(v);
    if (this.vd[this.vo + v * 4 + 1] !== ValueKind.Placeholder) throw new Error(`v${v} is already defined`);
    this.vd[this.vo + v * 4] = t;
    this.vd[this.vo + v * 4 + 1] = ValueKind.Param;
    this.vd[this.vo + v * 4 + 2] = b;
    this.vd[this.vo + v * 4 + 3] = this.bd[this.bo + b * 2 + 1]!;
    this.attachParam(b, v);
  }
  private attachParam(b: Block, v: Value): void {
    const len = this.bd[this.bo + b * 2 + 1];
    this.bd[this.bo + b * 2] = this.listAppend(this.bd[this.bo + b * 2], len, v);
    this.bd[this.bo + b * 2 + 1] = len + 1;
  }
  /** Removes parameter `i` of `b`, renumbering the rest (the value becomes a placeholder). */
  removeBlockParam(b: Block, i: number): void {
    const params = this.blockParams(b);
    const [gone] = params.splice(i, 1);
    this.vd[this.vo + gone * 4 + 1] = ValueKind.Placeholder;
    params.forEach((v, j) => (this.vd[this.vo + v * 4 + 3] = j));
    this.bd[this.bo + b * 2] = this.listAlloc(params, params.length);
    this.bd[this.bo + b * 2 + 1] = params.length;
  }

  // ===================================================================
  // Block calls and branch destinations

  /** A call of `block` passing `args` (only the first `numArgs`, when given). */
  makeBlockCall(block: Block, args: ArrayLike<number>, numArgs = args.length): BlockCall {
    const argStart = this.listAlloc(args, numArgs);
    const bc = this.pushBlockCall();
    const d = this.cd;
    d[bc * 3] = block;
    d[bc * 3 + 1] = argStart;
    d[bc * 3 + 2] = numArgs;
    return bc as BlockCall;
  }
  blockCallBlock(bc: BlockCall): Block {
    return this.cd[bc * 3] as Block;
  }
  setBlockCallBlock(bc: BlockCall, b: Block): void {
    this.cd[bc * 3] = b;
  }
  blockCallNumArgs(bc: BlockCall): number {
    return this.cd[bc * 3 + 2];
  }
  blockCallArg(bc: BlockCall, i: number): BlockArg {
    return this.ld[this.lo + this.cd[bc * 3 + 1] + i] as BlockArg;
  }
  setBlockCallArg(bc: BlockCall, i: number, a: BlockArg): void {
    this.listSet(this.cd[bc * 3 + 1], i, a);
  }
  blockCallArgs(bc: BlockCall): BlockArg[] {
    return this.listSlice(this.cd[bc * 3 + 1], this.cd[bc * 3 + 2]) as BlockArg[];
  }
  appendBlockCallArg(bc: BlockCall, a: BlockArg): void {
    const len = this.cd[bc * 3 + 2];
    this.cd[bc * 3 + 1] = this.listAppend(this.cd[bc * 3 + 1], len, a);
    this.cd[bc * 3 + 2] = len + 1;
  }

  /**
   * The block calls an instruction branches through, in printed order: jump
   * [dest]; brif [then, else]; br_table [default, entries…]; try_call
   * [normal return, handlers…]. Empty for non-branches.
   */
  branchDestinations(inst: Inst): BlockCall[] {
    switch (this.format(inst)) {
      case InstructionFormat.Jump:
        return [this.id[this.io + inst * 10 + 6] as BlockCall];
      case InstructionFormat.Brif:
        return [this.id[this.io + inst * 10 + 6] as BlockCall, this.id[this.io + inst * 10 + 7] as BlockCall];
      case InstructionFormat.BranchTable: {
        const jt = this.jumpTables[this.id[this.io + inst * 10 + 6]];
        return [jt.default, ...jt.entries];
      }
      case InstructionFormat.TryCall:
      case InstructionFormat.TryCallIndirect: {
        const et = this.exceptionTables[this.id[this.io + inst * 10 + 7]];
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
    const start = this.id[this.io + inst * 10 + 2];
    const len = this.id[this.io + inst * 10 + 3];
    for (let i = 0; i < len; i++) f(this.ld[this.lo + start + i] as Value);
    const fmt = this.format(inst);
    if (fmt === InstructionFormat.Jump || fmt === InstructionFormat.Brif || fmt === InstructionFormat.BranchTable || fmt === InstructionFormat.TryCall || fmt === InstructionFormat.TryCallIndirect) {
      for (const bc of this.branchDestinations(inst)) {
        const n = this.cd[bc * 3 + 2];
        for (let i = 0; i < n; i++) {
          const a = this.blockCallArg(bc, i);
          if (BlockArg.kind(a) === 0) f(a as number as Value);
        }
      }
      if (fmt === InstructionFormat.TryCall || fmt === InstructionFormat.TryCallIndirect) {
        for (const item of this.exceptionTables[this.id[this.io + inst * 10 + 7]].items) if (item.kind === 'context') f(item.value);
      }
    }
  }

  /** Rewrites every use in `inst` through `f` (arguments and branch args). */
  mapUses(inst: Inst, f: (v: Value) => Value): void {
    const start = this.id[this.io + inst * 10 + 2];
    const len = this.id[this.io + inst * 10 + 3];
    for (let i = 0; i < len; i++) this.listSet(start, i, f(this.ld[this.lo + start + i] as Value));
    for (const bc of this.branchDestinations(inst)) {
      const n = this.cd[bc * 3 + 2];
      for (let i = 0; i < n; i++) {
        const a = this.blockCallArg(bc, i);
        if (BlockArg.kind(a) === 0) this.setBlockCallArg(bc, i, BlockArg.value(f(a as number as Value)));
      }
    }
    const fmt = this.format(inst);
    if (fmt === InstructionFormat.TryCall || fmt === InstructionFormat.TryCallIndirect) {
      for (const item of this.exceptionTables[this.id[this.io + inst * 10 + 7]].items) if (item.kind === 'context') item.value = f(item.value);
    }
  }

  /** Replaces every alias among `inst`'s uses by its resolved value. */
  resolveAliasesInArguments(inst: Inst): void {
    this.mapUses(inst, (v) => this.resolveAliases(v));
  }
}
