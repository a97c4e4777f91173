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
import { foldBinary, foldFloatBinary, foldFloatUnary, foldIcmp, foldIntToFloat, foldUnary, mask } from './fold.js';
import type { Context } from './generated/opts.js';
import { simplifierFor, simplifyAny } from './rules.js';
import type { F64Table, TablePool, U32Table } from './value-table.js';

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

type UnaryView = readonly [Type, Opcode, Value];
type BinaryView = readonly [Type, Opcode, Value, Value];
type TernaryView = readonly [Type, Opcode, Value, Value, Value];
type IcmpView = readonly [Type, IntCC, Value, Value];

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
  private readonly table: NodeTable;
  readonly counters: EGraphCounters = { nodesInserted: 0, gvnHits: 0, rewrites: 0, unions: 0, subsumes: 0 };
  readonly log: ((line: string) => void) | undefined;

  readonly $I8 = I8;
  readonly $I16 = I16;
  readonly $I32 = I32;
  readonly $I64 = I64;
  readonly $I128 = I128;
  readonly $false = false;
  readonly $true = true;

  /** Tables come from `pool`, which the caller has acquired (they read as their fill values). */
  constructor(dfg: DataFlowGraph, log: ((line: string) => void) | undefined, pool: TablePool) {
    this.dfg = dfg;
    this.log = log;
    this.canon = pool.u32(NONE);
    this.birth = pool.u32(0);
    this.unionLeft = pool.u32(NONE);
    this.unionRight = pool.u32(NONE);
    this.classSize = pool.u32(1);
    this.cost = pool.f64();
    this.bestLeaf = pool.u32(NONE);
    this.table = new NodeTable(pool, dfg.numInsts());
    this.viewSlot = [pool.u32(NONE), pool.u32(NONE), pool.u32(NONE), pool.u32(NONE)];
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

  /**
   * The leaves of a union class, left to right, into a reused buffer (valid
   * until the next call). Callers handle a plain leaf class themselves: it
   * is the common case and needs no buffer.
   */
  private unionLeaves(cls: Value): Value[] {
    const out = this.leafBuf;
    out.length = 0;
    const stack = this.leafStack;
    stack.length = 0;
    stack.push(cls);
    while (stack.length > 0) {
      const c = stack.pop()!;
      const l = this.unionLeft.get(c);
      if (l === NONE) out.push(c);
      else stack.push(this.unionRight.get(c) as Value, l as Value);
    }
    return out;
  }
  private readonly leafBuf: Value[] = [];
  private readonly leafStack: Value[] = [];

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
      // Rules for any opcode (constant folding) first: a constant ends the search.
      alternatives = simplifyAny(this, result);
      const own = simplifierFor(dfg.opcode(inst));
      if (own !== undefined) {
        const more = own(this, result);
        if (alternatives.length === 0) alternatives = more;
        else for (const v of more) alternatives.push(v);
      }
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
    if (this.unionLeft.get(cls) === NONE) return this.isConstLeaf(cls);
    for (const leaf of this.unionLeaves(cls)) if (this.isConstLeaf(leaf)) return true;
    return false;
  }

  private isConstLeaf(leaf: Value): boolean {
    const op = this.leafOpcode(leaf);
    if (op === 0) return false;
    if (op === Opcode.Iconst || op === Opcode.F32const || op === Opcode.F64const || op === Opcode.Vconst) return true;
    // An i128 constant is an extended or concatenated i64 constant.
    return (op === Opcode.Uextend || op === Opcode.Sextend || op === Opcode.Iconcat) && this.iconstLeaf(leaf, op) !== undefined;
  }

  /**
   * The views `f` gives of the class's node leaves. A plain leaf class (the
   * common case) is looked at without a traversal or a closure per leaf.
   */
  private collect<T>(cls: Value, f: (leaf: Value, inst: Inst, op: number) => T | undefined): readonly T[] {
    if (this.unionLeft.get(cls) === NONE) {
      const op = this.leafOpcode(cls);
      if (op === 0) return EMPTY;
      const r = f(cls, this.dfg.valueInst(cls), op);
      return r === undefined ? EMPTY : [r];
    }
    let out: T[] | undefined;
    for (const leaf of [...this.unionLeaves(cls)]) {
      const op = this.leafOpcode(leaf);
      if (op === 0) continue;
      const r = f(leaf, this.dfg.valueInst(leaf), op);
      if (r !== undefined) (out ??= []).push(r);
    }
    return out ?? EMPTY;
  }

  // =========================================================================
  // ISLE context: node views

  // Views of union classes are memoized (a class never changes once made:
  // merging makes a new union value). Per view kind: class -> index into a
  // dense list of views (NONE: not yet asked). A plain leaf's view is cheaper
  // to rebuild than to look up.
  private readonly viewSlot: U32Table[];
  private readonly views: (readonly (readonly unknown[])[])[][] = [[], [], [], []];

  private cachedView<T>(kind: number, v: Value): readonly T[] | undefined {
    const i = this.viewSlot[kind].get(v);
    return i === NONE ? undefined : (this.views[kind][i] as readonly T[]);
  }
  private cacheView<T>(kind: number, v: Value, r: readonly T[]): readonly T[] {
    const list = this.views[kind];
    this.viewSlot[kind].set(v, list.length);
    list.push(r as readonly (readonly unknown[])[]);
    return r;
  }

  unary_node(v: Value): Iterable<UnaryView> {
    if (this.unionLeft.get(v) === NONE) {
      const op = this.leafOpcode(v);
      if (op === 0 || !isShape(op, 1)) return EMPTY;
      const inst = this.dfg.valueInst(v);
      return [[this.dfg.valueType_(v), op as Opcode, this.dfg.arg(inst, 0)]];
    }
    const cached = this.cachedView<UnaryView>(0, v);
    if (cached !== undefined) return cached;
    const dfg = this.dfg;
    const r = this.collect(v, (leaf, inst, op) =>
      dfg.numArgs(inst) === 1 && isShape(op, 1) ? ([dfg.valueType_(leaf), op as Opcode, dfg.arg(inst, 0)] as const) : undefined,
    );
    return this.cacheView(0, v, r);
  }
  binary_node(v: Value): Iterable<BinaryView> {
    if (this.unionLeft.get(v) === NONE) {
      const op = this.leafOpcode(v);
      if (op === 0 || !isShape(op, 2)) return EMPTY;
      const inst = this.dfg.valueInst(v);
      return [[this.dfg.valueType_(v), op as Opcode, this.dfg.arg(inst, 0), this.dfg.arg(inst, 1)]];
    }
    const cached = this.cachedView<BinaryView>(1, v);
    if (cached !== undefined) return cached;
    const dfg = this.dfg;
    const r = this.collect(v, (leaf, inst, op) =>
      dfg.numArgs(inst) === 2 && isShape(op, 2)
        ? ([dfg.valueType_(leaf), op as Opcode, dfg.arg(inst, 0), dfg.arg(inst, 1)] as const)
        : undefined,
    );
    return this.cacheView(1, v, r);
  }
  ternary_node(v: Value): Iterable<TernaryView> {
    if (this.unionLeft.get(v) === NONE) {
      const op = this.leafOpcode(v);
      if (op === 0 || !isShape(op, 3)) return EMPTY;
      const inst = this.dfg.valueInst(v);
      return [[this.dfg.valueType_(v), op as Opcode, this.dfg.arg(inst, 0), this.dfg.arg(inst, 1), this.dfg.arg(inst, 2)]];
    }
    const cached = this.cachedView<TernaryView>(2, v);
    if (cached !== undefined) return cached;
    const dfg = this.dfg;
    const r = this.collect(v, (leaf, inst, op) =>
      dfg.numArgs(inst) === 3 && isShape(op, 3)
        ? ([dfg.valueType_(leaf), op as Opcode, dfg.arg(inst, 0), dfg.arg(inst, 1), dfg.arg(inst, 2)] as const)
        : undefined,
    );
    return this.cacheView(2, v, r);
  }
  icmp_node(v: Value): Iterable<IcmpView> {
    if (this.unionLeft.get(v) === NONE) {
      if (this.leafOpcode(v) !== Opcode.Icmp) return EMPTY;
      const inst = this.dfg.valueInst(v);
      return [[this.dfg.valueType_(v), this.dfg.imm2(inst) as IntCC, this.dfg.arg(inst, 0), this.dfg.arg(inst, 1)]];
    }
    const cached = this.cachedView<IcmpView>(3, v);
    if (cached !== undefined) return cached;
    const dfg = this.dfg;
    const r = this.collect(v, (leaf, inst, op) =>
      op === Opcode.Icmp ? ([dfg.valueType_(leaf), dfg.imm2(inst) as IntCC, dfg.arg(inst, 0), dfg.arg(inst, 1)] as const) : undefined,
    );
    return this.cacheView(3, v, r);
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
    if (this.unionLeft.get(v) === NONE) {
      const op = this.leafOpcode(v);
      return op === 0 ? undefined : this.iconstLeaf(v, op);
    }
    for (const leaf of [...this.unionLeaves(v)]) {
      const op = this.leafOpcode(leaf);
      if (op === 0) continue;
      const found = this.iconstLeaf(leaf, op);
      if (found) return found;
    }
    return undefined;
  }

  /** The integer constant node leaf `leaf` (of opcode `op`) stands for, if it is one. */
  private iconstLeaf(leaf: Value, op: number): readonly [Type, bigint] | undefined {
    const dfg = this.dfg;
    if (op !== Opcode.Iconst && op !== Opcode.Uextend && op !== Opcode.Sextend && op !== Opcode.Iconcat) return undefined;
    const ty = dfg.valueType_(leaf);
    if (!isInt(ty) || !isScalar(ty)) return undefined;
    const inst = dfg.valueInst(leaf);
    if (op === Opcode.Iconst) return [ty, BigInt.asUintN(laneBits(ty), wordsToI64(dfg.imm0(inst), dfg.imm1(inst)))];
    if (ty !== I128) return undefined;
    if (op === Opcode.Iconcat) {
      const lo = this.iconst_u(dfg.arg(inst, 0));
      const hi = lo && this.iconst_u(dfg.arg(inst, 1));
      return lo && hi ? [ty, lo[1] | (hi[1] << 64n)] : undefined;
    }
    const inner = this.iconst_u(dfg.arg(inst, 0));
    if (!inner) return undefined;
    return [ty, op === Opcode.Uextend ? inner[1] : BigInt.asUintN(128, BigInt.asIntN(laneBits(inner[0]), inner[1]))];
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
    const leaves = this.unionLeft.get(v) === NONE ? [v] : [...this.unionLeaves(v)];
    for (const leaf of leaves) {
      const op = this.leafOpcode(leaf);
      if (op !== Opcode.F32const && op !== Opcode.F64const) continue;
      const inst = dfg.valueInst(leaf);
      if (op === Opcode.F32const) return [F32, BigInt(dfg.imm0(inst) >>> 0)];
      return [F64, BigInt.asUintN(64, wordsToI64(dfg.imm0(inst), dfg.imm1(inst)))];
    }
    return undefined;
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
  fold_int_to_float(op: Opcode, to: Type, from: Type, a: bigint): bigint | undefined {
    return foldIntToFloat(op, to, from, a);
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
  u32_eq(a: number, b: number): boolean {
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
  intcc_signed_or_equality(cc: IntCC): IntCC | undefined {
    return cc <= IntCC.SignedLessThanOrEqual ? cc : undefined;
  }
  intcc_combine(op: Opcode, cc1: IntCC, cc2: IntCC): number | undefined {
    return combineConditions(op, cc1, cc2);
  }
  icmp_or_const(code: number, x: Value, y: Value): Value {
    if (code === NEVER) return this.make_iconst(I8, 0n);
    if (code === ALWAYS) return this.make_iconst(I8, 1n);
    return this.make_icmp(I8, code as IntCC, x, y);
  }
  ty_narrowed(ty: Type, k: bigint): Type | undefined {
    const bits = BigInt(laneBits(ty)) - k;
    return bits === 8n ? I8 : bits === 16n ? I16 : bits === 32n ? I32 : bits === 64n ? I64 : undefined;
  }
  ty_narrower(a: Type, b: Type): boolean {
    return laneBits(a) < laneBits(b);
  }
  three_way_select(ty: Type, cc1: IntCC, cc2: IntCC, a: bigint, b: bigint, c: bigint, innerFalse: boolean): number | undefined {
    const s1 = CC_SIGNEDNESS[cc1];
    const s2 = CC_SIGNEDNESS[cc2];
    const s = s1 === 0 ? s2 : s1;
    if (s === 0 || (s2 !== 0 && s2 !== s)) return undefined;
    if (!isInt(ty) || !isScalar(ty)) return undefined;
    const m = mask(laneBits(ty));
    const want = [m, 0n, 1n]; // for <, ==, >
    const outcomes = [LT, EQ, GT];
    for (let i = 0; i < 3; i++) {
      const o = outcomes[i];
      const inner = (CC_OUTCOMES[cc2] & o) !== 0 ? b : c;
      const outer = (CC_OUTCOMES[cc1] & o) !== 0;
      const v = innerFalse ? (outer ? a : inner) : outer ? inner : a;
      if (v !== want[i]) return undefined;
    }
    return s;
  }
  three_way(ty: Type, s: number, x: Value, y: Value): Value {
    const gt = this.make_icmp(I8, s === 1 ? IntCC.SignedGreaterThan : IntCC.UnsignedGreaterThan, x, y);
    const lt = this.make_icmp(I8, s === 1 ? IntCC.SignedLessThan : IntCC.UnsignedLessThan, x, y);
    const d = this.make_binary(I8, Opcode.Isub, gt, lt);
    return ty === I8 ? d : this.make_unary(ty, Opcode.Sextend, d);
  }
  three_way_test(gt: IntCC, lt: IntCC, cc: IntCC, k: bigint): number | undefined {
    const signed = gt === IntCC.SignedGreaterThan && lt === IntCC.SignedLessThan;
    if (!signed && !(gt === IntCC.UnsignedGreaterThan && lt === IntCC.UnsignedLessThan)) return undefined;
    const values = [0xffn, 0n, 1n]; // (gt - lt) as i8 for <, ==, >
    const outcomes = [LT, EQ, GT];
    let m = 0;
    for (let i = 0; i < 3; i++) if (foldIcmp(I8, cc, values[i], k) === 1n) m |= outcomes[i];
    if (m === 0) return NEVER;
    if (m === (LT | EQ | GT)) return ALWAYS;
    return (signed ? SIGNED_CC : UNSIGNED_CC)[m];
  }
}

// ===========================================================================
// Combining comparisons

/** Outcomes a condition accepts: x < y, x == y, x > y (in its signedness). */
const LT = 1;
const EQ = 2;
const GT = 4;
const NEVER = 10;
const ALWAYS = 11;
/** Per IntCC (by value): its outcome set and signedness (0 either, 1 signed, 2 unsigned). */
const CC_OUTCOMES = [EQ, LT | GT, LT, EQ | GT, GT, LT | EQ, LT, EQ | GT, GT, LT | EQ];
const CC_SIGNEDNESS = [0, 0, 1, 1, 1, 1, 2, 2, 2, 2];
/** The condition accepting an outcome set, per signedness (index: outcome set). */
const SIGNED_CC: readonly (IntCC | undefined)[] = [undefined, IntCC.SignedLessThan, IntCC.Equal, IntCC.SignedLessThanOrEqual, IntCC.SignedGreaterThan, IntCC.NotEqual, IntCC.SignedGreaterThanOrEqual];
const UNSIGNED_CC: readonly (IntCC | undefined)[] = [undefined, IntCC.UnsignedLessThan, IntCC.Equal, IntCC.UnsignedLessThanOrEqual, IntCC.UnsignedGreaterThan, IntCC.NotEqual, IntCC.UnsignedGreaterThanOrEqual];

/**
 * `cc1 op cc2` on the same operands as one condition (an IntCC), NEVER or
 * ALWAYS; undefined when one is signed and the other unsigned (their
 * outcome sets are over different orders).
 */
export function combineConditions(op: number, cc1: IntCC, cc2: IntCC): number | undefined {
  const s1 = CC_SIGNEDNESS[cc1];
  const s2 = CC_SIGNEDNESS[cc2];
  if (s1 !== 0 && s2 !== 0 && s1 !== s2) return undefined;
  const a = CC_OUTCOMES[cc1];
  const b = CC_OUTCOMES[cc2];
  const m = op === Opcode.Band ? a & b : op === Opcode.Bor ? a | b : op === Opcode.Bxor ? a ^ b : -1;
  if (m < 0) return undefined;
  if (m === 0) return NEVER;
  if (m === (LT | EQ | GT)) return ALWAYS;
  return (s1 === 2 || s2 === 2 ? UNSIGNED_CC : SIGNED_CC)[m];
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
  private slots: Uint32Array;
  private count = 0;
  private readonly members: U32Table;
  private readonly pool: TablePool;

  /** `expected`: about how many nodes the table will hold. */
  constructor(pool: TablePool, expected: number) {
    this.members = pool.u32(0);
    this.pool = pool;
    let size = 16;
    while (size < expected * 2) size *= 2;
    this.slots = pool.takeSlots(size);
  }

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
    this.pool.keepSlots(this.slots);
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
