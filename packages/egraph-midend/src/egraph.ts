// The acyclic e-graph ("aegraph") built over one function's pure
// instructions, and the rewrite engine that grows it.
//
// Owns: the e-class of every value (`classOf`), union nodes joining
// equivalent classes, hash-consing (GVN) of nodes, the rewrite loop that
// runs the ISLE `simplify` rules on each inserted node, and node costs.
//
// Invariants:
// - A node is an instruction with one result that is not in the layout; its
//   operands are e-class values as they were when it was inserted (classes
//   are immutable: merging makes a new union value), so the graph is acyclic.
// - The hash-cons key is (opcode, controlling type, immediates, operand
//   classes), with commutative operands in a canonical order (a constant
//   class last, otherwise ascending class id): never raw value numbers nor
//   definition order, so equal expressions meet whatever their spelling.
// - Leaves of an e-class are node results, block parameters or results of
//   skeleton instructions (which cost 0: they exist anyway).
// - Rewriting is bounded: at most REWRITE_DEPTH nested rewrites, at most
//   MAX_MATCHES results per rewrite, at most MAX_CLASS_NODES leaves per class.

import {
  ConstraintKind,
  DataFlowGraph,
  F32,
  F64,
  FloatCC,
  I128,
  I16,
  I32,
  I64,
  I8,
  INVALID,
  InstructionFormat,
  IntCC,
  NONE,
  Opcode,
  ValueKind,
  i64ToWords,
  intCCInverse,
  intCCSwapArgs,
  isCommutative,
  isDynamicVector,
  isFloat,
  isInt,
  isPolymorphic,
  isScalar,
  isVector,
  laneBits,
  laneType,
  opcodeFormat,
  opcodeName,
  operandConstraintKind,
  resultType,
  typeName,
  typevarOperand,
  wordsToI64,
  type Inst,
  type Type,
  type Value,
} from '@clift/ir';
import { addCost, opCost } from './cost.js';
import { foldBinary, foldFloatBinary, foldFloatUnary, foldIcmp, foldUnary, mask } from './fold.js';
import { constructor_simplify, type Context } from './generated/opts.js';
import { U32Table, F64Table } from './value-table.js';

export const REWRITE_DEPTH = 5;
export const MAX_MATCHES = 5;
export const MAX_CLASS_NODES = 8;

/** Counters the optimizer reports. */
export interface EGraphCounters {
  nodesInserted: number;
  gvnHits: number;
  rewrites: number;
  unions: number;
  subsumes: number;
}

export class OptimizerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OptimizerError';
  }
}

const EMPTY: readonly never[] = [];

export class EGraph implements Context {
  readonly dfg: DataFlowGraph;
  /** Value -> its e-class value (NONE while unknown). */
  private readonly canon: U32Table;
  /** Insertion serial of a class: a class older than a rewrite's node pre-exists it. */
  private readonly birth: U32Table;
  private readonly unionLeft: U32Table;
  private readonly unionRight: U32Table;
  private readonly classSize: U32Table;
  /** Cheapest cost of a class and the leaf achieving it. */
  readonly cost: F64Table;
  readonly bestLeaf: U32Table;
  private serial = 0;
  private depth = 0;
  private readonly table = new NodeTable();
  readonly counters: EGraphCounters = { nodesInserted: 0, gvnHits: 0, rewrites: 0, unions: 0, subsumes: 0 };
  readonly log: ((line: string) => void) | undefined;

  readonly $I8 = I8;
  readonly $I16 = I16;
  readonly $I32 = I32;
  readonly $I64 = I64;
  readonly $I128 = I128;
  readonly $false = false;
  readonly $true = true;

  constructor(dfg: DataFlowGraph, log: ((line: string) => void) | undefined) {
    this.dfg = dfg;
    this.log = log;
    const n = dfg.numValues() * 2;
    this.canon = new U32Table(n, NONE);
    this.birth = new U32Table(n, 0);
    this.unionLeft = new U32Table(n, NONE);
    this.unionRight = new U32Table(n, NONE);
    this.classSize = new U32Table(n, 1);
    this.cost = new F64Table(n);
    this.bestLeaf = new U32Table(n, NONE);
  }

  // =========================================================================
  // Classes

  /** The e-class of `v` (following aliases); a value never seen is its own leaf. */
  classOf(v: Value): Value {
    const r = this.dfg.resolveAliases(v);
    const c = this.canon.get(r);
    if (c !== NONE) return c as Value;
    this.addLeaf(r, 0);
    return r;
  }

  /** Registers `v` as a leaf class of the given cost (block params, skeleton results). */
  addLeaf(v: Value, cost: number): void {
    this.canon.set(v, v);
    this.birth.set(v, this.serial++);
    this.cost.set(v, cost);
    this.bestLeaf.set(v, v);
  }

  /** Makes `v` (a skeleton result made redundant) a member of class `cls`. */
  setClass(v: Value, cls: Value): void {
    this.canon.set(this.dfg.resolveAliases(v), cls);
  }

  /** Whether `inst` is a node of the graph (as opposed to a skeleton instruction). */
  isNodeInst(inst: Inst): boolean {
    return this.table.isNode(inst);
  }

  isUnion(v: Value): boolean {
    return this.unionLeft.get(v) !== NONE;
  }

  /** Calls `f` on every leaf of the class (union trees are small: bounded by MAX_CLASS_NODES). */
  forEachLeaf(cls: Value, f: (leaf: Value) => void): void {
    const l = this.unionLeft.get(cls);
    if (l === NONE) {
      f(cls);
      return;
    }
    this.forEachLeaf(l as Value, f);
    this.forEachLeaf(this.unionRight.get(cls) as Value, f);
  }

  private union(a: Value, b: Value): Value {
    const u = this.dfg.makeUnion(a, b);
    this.unionLeft.set(u, a);
    this.unionRight.set(u, b);
    this.canon.set(u, u);
    this.birth.set(u, this.serial++);
    this.classSize.set(u, this.classSize.get(a) + this.classSize.get(b));
    const ca = this.cost.get(a);
    const cb = this.cost.get(b);
    // Ties keep the left (older) alternative, which keeps original values.
    this.cost.set(u, cb < ca ? cb : ca);
    this.bestLeaf.set(u, cb < ca ? this.bestLeaf.get(b) : this.bestLeaf.get(a));
    this.counters.unions++;
    return u;
  }

  // =========================================================================
  // Insertion

  /**
   * Inserts original pure instruction `inst` (already out of the layout) as
   * a node: canonicalizes its operands, hash-conses it, rewrites it. Returns
   * the e-class of its result.
   */
  insertInst(inst: Inst): Value {
    const dfg = this.dfg;
    const n = dfg.numArgs(inst);
    for (let i = 0; i < n; i++) dfg.setArg(inst, i, this.classOf(dfg.arg(inst, i)));
    const op = dfg.opcode(inst);
    if (n >= 2 && isCommutative(op as Opcode)) {
      const a = dfg.arg(inst, 0);
      const b = dfg.arg(inst, 1);
      if (this.shouldSwap(a, b)) {
        dfg.setArg(inst, 0, b);
        dfg.setArg(inst, 1, a);
      }
    }
    if (op === Opcode.Iconst) {
      // One spelling per constant: the immediate zero-extended from the type's width.
      const bits = laneBits(dfg.valueType_(dfg.result(inst, 0)));
      const k = BigInt.asUintN(bits, wordsToI64(dfg.imm0(inst), dfg.imm1(inst)));
      const [lo, hi] = i64ToWords(k);
      dfg.setImm(inst, 0, lo);
      dfg.setImm(inst, 1, hi);
    }
    const existing = this.table.find(dfg, inst);
    const result = dfg.result(inst, 0);
    if (existing !== NONE) {
      const cls = this.canon.get(dfg.result(existing as Inst, 0)) as Value;
      this.canon.set(result, cls);
      this.counters.gvnHits++;
      return cls;
    }
    this.table.insert(dfg, inst);
    return this.rewrite(inst, result);
  }

  /** Operand order for commutative nodes: a constant class last, else ascending class id. */
  private shouldSwap(a: Value, b: Value): boolean {
    const ka = this.isConstClass(a);
    const kb = this.isConstClass(b);
    if (ka !== kb) return ka;
    return b < a;
  }

  private rewrite(inst: Inst, result: Value): Value {
    const dfg = this.dfg;
    this.counters.nodesInserted++;
    this.canon.set(result, result);
    const mark = this.serial;
    this.birth.set(result, this.serial++);
    let c = opCost(dfg.opcode(inst));
    const n = dfg.numArgs(inst);
    for (let i = 0; i < n; i++) c = addCost(c, this.cost.get(dfg.arg(inst, i)));
    this.cost.set(result, c);
    this.bestLeaf.set(result, result);
    if (this.depth >= REWRITE_DEPTH) return result;
    this.depth++;
    let alternatives: Value[];
    try {
      alternatives = constructor_simplify(this, result);
    } finally {
      this.depth--;
    }
    let cls: Value = result;
    let matches = 0;
    for (const alt of alternatives) {
      if (matches >= MAX_MATCHES) break;
      const ac = this.classOf(alt);
      if (ac === cls || ac === result) continue;
      matches++;
      this.counters.rewrites++;
      if (this.log) this.log(`rewrite: v${result} = ${opcodeName(dfg.opcode(inst) as Opcode)} => v${ac}`);
      // A rewrite to a constant or to a class that existed before this node
      // was inserted (`x + 0 => x`) is never worse: it replaces the node.
      if (this.isConstClass(ac) || this.birth.get(ac) < mark) {
        cls = ac;
        this.counters.subsumes++;
        break;
      }
      if (this.classSize.get(cls) + this.classSize.get(ac) <= MAX_CLASS_NODES) cls = this.union(cls, ac);
    }
    this.canon.set(result, cls);
    return cls;
  }

  /** Creates (or finds) the node `op ctrl args imms` and returns its class. */
  private makeNode(op: Opcode, ty: Type, args: readonly Value[], imm0 = 0, imm1 = 0, imm2 = 0): Value {
    const dfg = this.dfg;
    let ctrl: Type = INVALID;
    if (isPolymorphic(op)) {
      const tv = typevarOperand(op);
      ctrl = tv >= 0 && tv < args.length && operandConstraintKind(op, tv) === ConstraintKind.Same
        ? dfg.valueTypeOf(args[tv])
        : ty;
    }
    const rt = resultType(op, 0, ctrl);
    if (rt !== ty) {
      throw new OptimizerError(`rewrite rule built ${opcodeName(op)} of type ${typeName(rt)} where ${typeName(ty)} was expected`);
    }
    const inst = dfg.makeInst(op, ctrl, args, imm0, imm1, imm2);
    dfg.appendResult(inst, rt);
    return this.insertInst(inst);
  }

  // =========================================================================
  // Queries on classes

  /** The opcode of a pure-node leaf, or 0 for other leaves. */
  private leafOpcode(leaf: Value): number {
    const dfg = this.dfg;
    if (dfg.valueKindOf(leaf) !== ValueKind.Result) return 0;
    const inst = dfg.valueInst(leaf);
    return this.table.isNode(inst) ? dfg.opcode(inst) : 0;
  }

  isConstClass(cls: Value): boolean {
    let found = false;
    this.forEachLeaf(cls, (leaf) => {
      const op = this.leafOpcode(leaf);
      if (op === Opcode.Iconst || op === Opcode.F32const || op === Opcode.F64const || op === Opcode.Vconst) found = true;
    });
    return found || this.iconst_u(cls) !== undefined;
  }

  private collect<T>(cls: Value, f: (leaf: Value, inst: Inst, op: number) => T | undefined): readonly T[] {
    let out: T[] | undefined;
    this.forEachLeaf(cls, (leaf) => {
      const op = this.leafOpcode(leaf);
      if (op === 0) return;
      const r = f(leaf, this.dfg.valueInst(leaf), op);
      if (r !== undefined) (out ??= []).push(r);
    });
    return out ?? EMPTY;
  }

  // =========================================================================
  // ISLE context: node views

  unary_node(v: Value): Iterable<readonly [Type, Opcode, Value]> {
    const dfg = this.dfg;
    return this.collect(v, (leaf, inst, op) =>
      dfg.numArgs(inst) === 1 && isShape(op, 1) ? ([dfg.valueType_(leaf), op as Opcode, dfg.arg(inst, 0)] as const) : undefined,
    );
  }
  binary_node(v: Value): Iterable<readonly [Type, Opcode, Value, Value]> {
    const dfg = this.dfg;
    return this.collect(v, (leaf, inst, op) =>
      dfg.numArgs(inst) === 2 && isShape(op, 2)
        ? ([dfg.valueType_(leaf), op as Opcode, dfg.arg(inst, 0), dfg.arg(inst, 1)] as const)
        : undefined,
    );
  }
  ternary_node(v: Value): Iterable<readonly [Type, Opcode, Value, Value, Value]> {
    const dfg = this.dfg;
    return this.collect(v, (leaf, inst, op) =>
      dfg.numArgs(inst) === 3 && isShape(op, 3)
        ? ([dfg.valueType_(leaf), op as Opcode, dfg.arg(inst, 0), dfg.arg(inst, 1), dfg.arg(inst, 2)] as const)
        : undefined,
    );
  }
  icmp_node(v: Value): Iterable<readonly [Type, IntCC, Value, Value]> {
    const dfg = this.dfg;
    return this.collect(v, (leaf, inst, op) =>
      op === Opcode.Icmp ? ([dfg.valueType_(leaf), dfg.imm2(inst) as IntCC, dfg.arg(inst, 0), dfg.arg(inst, 1)] as const) : undefined,
    );
  }
  fcmp_node(v: Value): Iterable<readonly [Type, FloatCC, Value, Value]> {
    const dfg = this.dfg;
    return this.collect(v, (leaf, inst, op) =>
      op === Opcode.Fcmp ? ([dfg.valueType_(leaf), dfg.imm2(inst) as FloatCC, dfg.arg(inst, 0), dfg.arg(inst, 1)] as const) : undefined,
    );
  }

  make_unary(ty: Type, op: Opcode, x: Value): Value {
    return this.makeNode(op, ty, [x]);
  }
  make_binary(ty: Type, op: Opcode, x: Value, y: Value): Value {
    return this.makeNode(op, ty, [x, y]);
  }
  make_ternary(ty: Type, op: Opcode, x: Value, y: Value, z: Value): Value {
    return this.makeNode(op, ty, [x, y, z]);
  }
  make_icmp(ty: Type, cc: IntCC, x: Value, y: Value): Value {
    return this.makeNode(Opcode.Icmp, ty, [x, y], 0, 0, cc);
  }

  // --- Constants

  iconst_u(v: Value): readonly [Type, bigint] | undefined {
    const dfg = this.dfg;
    let found: readonly [Type, bigint] | undefined;
    this.forEachLeaf(v, (leaf) => {
      if (found) return;
      const op = this.leafOpcode(leaf);
      if (op === 0) return;
      const ty = dfg.valueType_(leaf);
      if (!isInt(ty) || !isScalar(ty)) return;
      const inst = dfg.valueInst(leaf);
      const bits = laneBits(ty);
      if (op === Opcode.Iconst) {
        found = [ty, BigInt.asUintN(bits, wordsToI64(dfg.imm0(inst), dfg.imm1(inst)))];
      } else if (ty === I128 && (op === Opcode.Uextend || op === Opcode.Sextend)) {
        const inner = this.iconst_u(dfg.arg(inst, 0));
        if (inner) {
          const k = op === Opcode.Uextend ? inner[1] : BigInt.asUintN(128, BigInt.asIntN(laneBits(inner[0]), inner[1]));
          found = [ty, k];
        }
      } else if (ty === I128 && op === Opcode.Iconcat) {
        const lo = this.iconst_u(dfg.arg(inst, 0));
        const hi = this.iconst_u(dfg.arg(inst, 1));
        if (lo && hi) found = [ty, lo[1] | (hi[1] << 64n)];
      }
    });
    return found;
  }

  /**
   * The constant `k` (taken modulo the lane width) of type `ty`: `iconst`
   * up to 64 bits; i128 as an extended i64 or an `iconcat`; vectors as a
   * `splat` of the lane constant.
   */
  make_iconst(ty: Type, k: bigint): Value {
    if (isVector(ty)) return this.makeNode(Opcode.Splat, ty, [this.make_iconst(laneType(ty), k)]);
    if (!isInt(ty)) throw new OptimizerError(`rewrite rule built an integer constant of type ${typeName(ty)}`);
    const bits = laneBits(ty);
    const x = BigInt.asUintN(bits, k);
    if (bits <= 64) {
      const [lo, hi] = i64ToWords(x);
      return this.makeNode(Opcode.Iconst, ty, [], lo, hi);
    }
    if (x < 1n << 63n) return this.makeNode(Opcode.Uextend, ty, [this.make_iconst(I64, x)]);
    if (x >= mask(128) - (1n << 63n) + 1n) return this.makeNode(Opcode.Sextend, ty, [this.make_iconst(I64, x)]);
    return this.makeNode(Opcode.Iconcat, ty, [this.make_iconst(I64, x), this.make_iconst(I64, x >> 64n)]);
  }

  fconst_bits(v: Value): readonly [Type, bigint] | undefined {
    const dfg = this.dfg;
    let found: readonly [Type, bigint] | undefined;
    this.forEachLeaf(v, (leaf) => {
      if (found) return;
      const op = this.leafOpcode(leaf);
      const inst = dfg.valueInst(leaf);
      if (op === Opcode.F32const) found = [F32, BigInt(dfg.imm0(inst) >>> 0)];
      else if (op === Opcode.F64const) found = [F64, BigInt.asUintN(64, wordsToI64(dfg.imm0(inst), dfg.imm1(inst)))];
    });
    return found;
  }
  make_fconst(ty: Type, bits: bigint): Value {
    if (ty === F32) return this.makeNode(Opcode.F32const, ty, [], Number(BigInt.asIntN(32, bits)));
    if (ty === F64) {
      const [lo, hi] = i64ToWords(bits);
      return this.makeNode(Opcode.F64const, ty, [], lo, hi);
    }
    throw new OptimizerError(`rewrite rule built a float constant of type ${typeName(ty)}`);
  }

  // --- Types

  ty_int(t: Type): Type | undefined {
    return isInt(t) && isScalar(t) ? t : undefined;
  }
  ty_int_lanes(t: Type): Type | undefined {
    return isInt(t) && !isDynamicVector(t) ? t : undefined;
  }
  ty_int_le64(t: Type): Type | undefined {
    return isInt(t) && isScalar(t) && laneBits(t) <= 64 ? t : undefined;
  }
  ty_float(t: Type): Type | undefined {
    return isFloat(t) && isScalar(t) ? t : undefined;
  }
  value_type(v: Value): Type {
    return this.dfg.valueTypeOf(v);
  }
  value_type_of(v: Value): Type {
    return this.dfg.valueTypeOf(v);
  }
  ty_bits(t: Type): number {
    return laneBits(t);
  }
  ty_mask(t: Type): bigint {
    return mask(laneBits(t));
  }
  ty_smin(t: Type): bigint {
    return 1n << BigInt(laneBits(t) - 1);
  }
  ty_smax(t: Type): bigint {
    return (1n << BigInt(laneBits(t) - 1)) - 1n;
  }

  // --- Arithmetic helpers

  fold_unary(op: Opcode, to: Type, from: Type, a: bigint): bigint | undefined {
    return foldUnary(op, to, from, a);
  }
  fold_binary(ty: Type, op: Opcode, a: bigint, b: bigint): bigint | undefined {
    return foldBinary(ty, op, a, b);
  }
  fold_binary_total(ty: Type, op: Opcode, a: bigint, b: bigint): bigint {
    const r = foldBinary(laneType(ty), op, BigInt.asUintN(laneBits(ty), a), BigInt.asUintN(laneBits(ty), b));
    if (r === undefined) throw new OptimizerError(`${opcodeName(op)} cannot be folded on ${typeName(ty)}`);
    return r;
  }
  fold_icmp(ty: Type, cc: IntCC, a: bigint, b: bigint): bigint {
    return foldIcmp(ty, cc, a, b);
  }
  fold_fbinary(ty: Type, op: Opcode, a: bigint, b: bigint): bigint | undefined {
    return foldFloatBinary(ty, op, a, b);
  }
  fold_funary(ty: Type, op: Opcode, a: bigint): bigint | undefined {
    return foldFloatUnary(ty, op, a);
  }
  exact_log2(k: bigint): number | undefined {
    if (k < 2n || (k & (k - 1n)) !== 0n) return undefined;
    return k.toString(2).length - 1;
  }
  u32_to_u128(x: number): bigint {
    return BigInt(x);
  }
  u128_and(a: bigint, b: bigint): bigint {
    return a & b;
  }
  u128_eq(a: bigint, b: bigint): boolean {
    return a === b;
  }
  shift_sum(ty: Type, a: bigint, b: bigint): bigint | undefined {
    const bits = BigInt(laneBits(ty));
    const s = (a % bits) + (b % bits);
    return s < bits ? s : undefined;
  }
  shr_mask(ty: Type, k: bigint): bigint {
    const bits = laneBits(ty);
    return mask(bits) >> (k % BigInt(bits));
  }
  shl_mask(ty: Type, k: bigint): bigint {
    const bits = laneBits(ty);
    return (mask(bits) << (k % BigInt(bits))) & mask(bits);
  }
  intcc_swap_args(cc: IntCC): IntCC {
    return intCCSwapArgs(cc);
  }
  intcc_inverse(cc: IntCC): IntCC {
    return intCCInverse(cc);
  }
  intcc_unsigned(cc: IntCC): IntCC | undefined {
    return cc >= IntCC.UnsignedLessThan ? cc : undefined;
  }
  intcc_signed(cc: IntCC): IntCC | undefined {
    return cc >= IntCC.SignedLessThan && cc <= IntCC.SignedLessThanOrEqual ? cc : undefined;
  }
}

/** Whether `op`'s node has the Unary/Binary/Ternary shape with `n` operands (not a compare). */
function isShape(op: number, n: number): boolean {
  const f = opcodeFormat(op as Opcode);
  return n === 1 ? f === InstructionFormat.Unary : n === 2 ? f === InstructionFormat.Binary : f === InstructionFormat.Ternary;
}

// ===========================================================================
// Hash-consing table

/**
 * Open-addressing hash set of node instructions, keyed by their contents
 * (opcode, controlling type, immediates, operands) read from the DFG.
 */
class NodeTable {
  private slots = new Uint32Array(256).fill(NONE);
  private count = 0;
  private readonly members = new U32Table(64, 0);

  isNode(inst: Inst): boolean {
    return this.members.get(inst) === 1;
  }

  find(dfg: DataFlowGraph, inst: Inst): number {
    const m = this.slots.length - 1;
    for (let i = hashInst(dfg, inst) & m; ; i = (i + 1) & m) {
      const s = this.slots[i];
      if (s === NONE) return NONE;
      if (sameNode(dfg, s as Inst, inst)) return s;
    }
  }

  insert(dfg: DataFlowGraph, inst: Inst): void {
    if ((this.count + 1) * 2 > this.slots.length) this.grow(dfg);
    this.place(dfg, inst);
    this.count++;
    this.members.set(inst, 1);
  }

  private place(dfg: DataFlowGraph, inst: Inst): void {
    const m = this.slots.length - 1;
    let i = hashInst(dfg, inst) & m;
    while (this.slots[i] !== NONE) i = (i + 1) & m;
    this.slots[i] = inst;
  }

  private grow(dfg: DataFlowGraph): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2).fill(NONE);
    for (const s of old) if (s !== NONE) this.place(dfg, s as Inst);
  }
}

function mix(h: number, x: number): number {
  return Math.imul(h ^ x, 0x9e3779b1) ^ (h >>> 15);
}

export function hashInst(dfg: DataFlowGraph, inst: Inst): number {
  let h = mix(0x12345, dfg.opcode(inst));
  h = mix(h, dfg.ctrlType(inst));
  h = mix(h, dfg.imm0(inst));
  h = mix(h, dfg.imm1(inst));
  h = mix(h, dfg.imm2(inst));
  const n = dfg.numArgs(inst);
  for (let i = 0; i < n; i++) h = mix(h, dfg.arg(inst, i));
  return (h ^ (h >>> 16)) >>> 0;
}

export function sameNode(dfg: DataFlowGraph, a: Inst, b: Inst): boolean {
  if (dfg.opcode(a) !== dfg.opcode(b) || dfg.ctrlType(a) !== dfg.ctrlType(b)) return false;
  if (dfg.imm0(a) !== dfg.imm0(b) || dfg.imm1(a) !== dfg.imm1(b) || dfg.imm2(a) !== dfg.imm2(b)) return false;
  const n = dfg.numArgs(a);
  if (n !== dfg.numArgs(b)) return false;
  for (let i = 0; i < n; i++) if (dfg.arg(a, i) !== dfg.arg(b, i)) return false;
  // Non-polymorphic opcodes keep the result type outside ctrlType.
  return dfg.numResults(a) === dfg.numResults(b) && (dfg.numResults(a) === 0 || dfg.valueType_(dfg.result(a, 0)) === dfg.valueType_(dfg.result(b, 0)));
}
