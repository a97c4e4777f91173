// The acyclic e-graph ("aegraph") built over one function's pure
// instructions, and the rewrite engine that grows it.
//
// Owns: the e-class of every value (`classOf`), union nodes joining
// equivalent classes, hash-consing (GVN) of nodes, the rewrite loop that
// runs the ISLE `simplify_OP` rules on each inserted node, node costs, and
// the rules' view of the graph (the generated matcher's `Context`): each
// class's node list, field accessors, and one constructor per instruction
// format.
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
  ClifTermFields,
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
  IntCC,
  NONE,
  Opcode,
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
  numFixedResults,
  opcodeName,
  operandConstraintKind,
  resultType,
  typeName,
  typevarOperand,
  type AtomicRmwOp,
  type Block,
  type BlockCall,
  type Constant,
  type DynamicStackSlot,
  type FuncRef,
  type GlobalValue,
  type Immediate,
  type Inst,
  type JumpTable,
  type MemFlags,
  type StackSlot,
  type TrapCode,
  type Type,
  type Value,
} from '@clift/ir';
import { addCost, opCost } from './cost.js';
import { foldBinary, foldFloatBinary, foldFloatUnary, foldIcmp, foldIntToFloat, foldUnary, mask } from './fold.js';
import type { Context } from './generated/opts.js';
import type { Ieee16, Ieee32, Ieee64, Imm64, Offset32, Uimm8 } from './isle-types.js';
import { simplifierFor } from './rules.js';
import { F64Table, U32Table } from './value-table.js';

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

export class EGraph extends ClifTermFields implements Context {
  // The graph's tables outlive a function (`begin` starts over). Only
  // `canon`, which is read for any value, is cleared between functions;
  // the others are keyed by class and every class gets all of them written
  // when it is made (a leaf in `addLeaf`, a node in `rewrite`, a union in
  // `union`), so what a previous function left is never read.

  /** Value -> its e-class value (NONE while unknown). */
  private readonly canon = new U32Table(64, NONE);
  /** Insertion serial of a class: a class older than a rewrite's node pre-exists it. */
  private readonly birth = new U32Table(64, 0);
  /** A union class's two sides (NONE for a class that is a single leaf). */
  private readonly unionLeft = new U32Table(64, NONE);
  private readonly unionRight = new U32Table(64, NONE);
  private readonly classSize = new U32Table(64, 1);
  /** Cheapest cost of a class and the leaf achieving it. */
  readonly cost = new F64Table(64);
  readonly bestLeaf = new U32Table(64, NONE);
  private serial = 0;
  private depth = 0;
  private readonly table: NodeTable;
  readonly counters: EGraphCounters = { nodesInserted: 0, gvnHits: 0, rewrites: 0, unions: 0, subsumes: 0 };
  log: ((line: string) => void) | undefined;

  readonly $I8 = I8;
  readonly $I16 = I16;
  readonly $I32 = I32;
  readonly $I64 = I64;
  readonly $I128 = I128;
  readonly $F32 = F32;
  readonly $F64 = F64;
  readonly $false = false;
  readonly $true = true;

  constructor(dfg: DataFlowGraph, log: ((line: string) => void) | undefined) {
    super();
    this.table = new NodeTable();
    this.begin(dfg, log);
  }

  /**
   * Starts over on another function, keeping this graph's tables: the
   * optimizer reuses one graph for consecutive functions, as building one
   * costs more than a small function's whole graph.
   */
  begin(dfg: DataFlowGraph, log: ((line: string) => void) | undefined): void {
    this.dfg = dfg;
    this.log = log;
    this.serial = 0;
    this.depth = 0;
    const c = this.counters;
    c.nodesInserted = c.gvnHits = c.rewrites = c.unions = c.subsumes = 0;
    this.canon.reset();
    this.table.begin(dfg.numInsts());
    if (this.nodeLists.length > 1) this.nodeLists.length = 1;
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
    this.unionLeft.set(v, NONE);
    this.classSize.set(v, 1);
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
    this.nodeSlot.set(u, NONE);
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
      // One spelling per constant: the immediate zero-extended from the
      // type's width (the words are the low and high halves of the i64).
      const bits = laneBits(dfg.valueType_(dfg.result(inst, 0)));
      if (bits < 64) {
        dfg.setImm(inst, 1, 0);
        if (bits < 32) dfg.setImm(inst, 0, dfg.imm0(inst) & ((1 << bits) - 1));
      }
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
    this.unionLeft.set(result, NONE);
    this.classSize.set(result, 1);
    let c = opCost(dfg.opcode(inst));
    const n = dfg.numArgs(inst);
    for (let i = 0; i < n; i++) c = addCost(c, this.cost.get(dfg.arg(inst, i)));
    this.cost.set(result, c);
    this.bestLeaf.set(result, result);
    const rules = simplifierFor(dfg.opcode(inst));
    if (rules === undefined || this.depth >= REWRITE_DEPTH) return result;
    this.depth++;
    let alternatives: readonly Value[];
    try {
      alternatives = rules(this, result);
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

  /** The node instruction defining leaf `leaf`, or NONE for other leaves. */
  private leafNode(leaf: Value): Inst {
    const inst = this.dfg.valueInst(leaf);
    return inst !== (NONE as Inst) && this.table.isNode(inst) ? inst : (NONE as Inst);
  }

  isConstClass(cls: Value): boolean {
    for (const inst of this.clif_node(cls)) if (this.isConstNode(inst)) return true;
    return false;
  }

  private isConstNode(inst: Inst): boolean {
    const op = this.dfg.opcode(inst);
    if (op === Opcode.Iconst || op === Opcode.F32const || op === Opcode.F64const || op === Opcode.Vconst) return true;
    // An i128 constant is an extended or concatenated i64 constant.
    return (op === Opcode.Uextend || op === Opcode.Sextend || op === Opcode.Iconcat) && this.iconstNode(inst, op) !== undefined;
  }

  // =========================================================================
  // ISLE context: e-class nodes and their fields
  //
  // The generated CLIF terms match an e-class by iterating its nodes
  // (`clif_node`) and reading each node's fields through one accessor per
  // field, straight from the DFG, so matching builds no object.
  //
  // Most classes are a single node. Their list is one shared one-element
  // array whose element `clif_node` overwrites: a caller iterating it has
  // read its only element before anything nested (a rule looking at an
  // operand, a constructor rewriting a new node) can call `clif_node` again,
  // and its length never changes, so the iteration ends as it should. This
  // holds because the callers (the generated matchers and the constant
  // queries below) only ever run one `for … of` over a list right after
  // getting it; test/isle-context.test.ts checks the generated code for
  // that. The list of a union class is built once and kept: a class never
  // changes (merging makes a new union value), and rules look at the same
  // classes again and again as operands of new nodes.

  /** Union class -> index into `nodeLists` (NONE: not built yet; 0: no nodes). */
  private readonly nodeSlot = new U32Table(64, NONE);
  private readonly nodeLists: (readonly Inst[])[] = [EMPTY];
  private readonly single: Inst[] = [0 as Inst];

  /** The node instructions of e-class `v`, left to right (see above for how long the list is valid). */
  clif_node(v: Value): readonly Inst[] {
    if (this.unionLeft.get(v) === NONE) {
      const inst = this.leafNode(v);
      if (inst === (NONE as Inst)) return EMPTY;
      this.single[0] = inst;
      return this.single;
    }
    const i = this.nodeSlot.get(v);
    return i !== NONE ? this.nodeLists[i] : this.buildNodeList(v);
  }

  private buildNodeList(v: Value): readonly Inst[] {
    const list: Inst[] = [];
    for (const leaf of this.unionLeaves(v)) {
      const inst = this.leafNode(leaf);
      if (inst !== (NONE as Inst)) list.push(inst);
    }
    if (list.length === 0) {
      this.nodeSlot.set(v, 0);
      return EMPTY;
    }
    this.nodeSlot.set(v, this.nodeLists.length);
    this.nodeLists.push(list);
    return list;
  }

  clif_result_type(inst: Inst): Type {
    return this.dfg.numResults(inst) > 0 ? this.dfg.valueType_(this.dfg.result(inst, 0)) : INVALID;
  }

  // The field accessors (`clif_opcode`, `clif_value_0`, …) are
  // ClifTermFields', shared with the backend: formats.ts owns the layout.

  // =========================================================================
  // ISLE context: building nodes and skeleton instructions
  //
  // One constructor per instruction format, operands in the format's field
  // order and immediates in the DFG's encoding (formats.ts). A pure node is
  // hash-consed and rewritten (`makeNode`); a skeleton instruction is made
  // outside the layout, where nothing uses it until a caller places it.

  make_inst_unary(ty: Type, op: Opcode, x: Value): Value {
    return this.makeNode(op, ty, this.args(x));
  }
  make_inst_unary_imm(ty: Type, op: Opcode, imm: Imm64): Value {
    const [lo, hi] = i64ToWords(imm);
    return this.makeNode(op, ty, EMPTY, lo, hi);
  }
  make_inst_unary_ieee16(ty: Type, op: Opcode, bits: Ieee16): Value {
    return this.makeNode(op, ty, EMPTY, bits & 0xffff);
  }
  make_inst_unary_ieee32(ty: Type, op: Opcode, bits: Ieee32): Value {
    return this.makeNode(op, ty, EMPTY, bits | 0);
  }
  make_inst_unary_ieee64(ty: Type, op: Opcode, bits: Ieee64): Value {
    const [lo, hi] = i64ToWords(bits);
    return this.makeNode(op, ty, EMPTY, lo, hi);
  }
  make_inst_unary_const(ty: Type, op: Opcode, c: Constant): Value {
    return this.makeNode(op, ty, EMPTY, c);
  }
  make_inst_unary_global_value(ty: Type, op: Opcode, gv: GlobalValue): Value {
    return this.makeNode(op, ty, EMPTY, gv);
  }
  make_inst_binary(ty: Type, op: Opcode, x: Value, y: Value): Value {
    return this.makeNode(op, ty, this.args(x, y));
  }
  make_inst_binary_imm8(ty: Type, op: Opcode, x: Value, imm: Uimm8): Value {
    return this.makeNode(op, ty, this.args(x), imm & 0xff);
  }
  make_inst_ternary(ty: Type, op: Opcode, x: Value, y: Value, z: Value): Value {
    return this.makeNode(op, ty, this.args(x, y, z));
  }
  make_inst_ternary_imm8(ty: Type, op: Opcode, x: Value, y: Value, imm: Uimm8): Value {
    return this.makeNode(op, ty, this.args(x, y), imm & 0xff);
  }
  make_inst_null_ary(ty: Type, op: Opcode): Value {
    return this.makeNode(op, ty, EMPTY);
  }
  make_inst_shuffle(ty: Type, op: Opcode, x: Value, y: Value, mask: Immediate): Value {
    return this.makeNode(op, ty, this.args(x, y), mask);
  }
  make_inst_int_compare(ty: Type, op: Opcode, x: Value, y: Value, cc: IntCC): Value {
    return this.makeNode(op, ty, this.args(x, y), 0, 0, cc);
  }
  make_inst_float_compare(ty: Type, op: Opcode, x: Value, y: Value, cc: FloatCC): Value {
    return this.makeNode(op, ty, this.args(x, y), 0, 0, cc);
  }
  make_inst_func_addr(ty: Type, op: Opcode, f: FuncRef): Value {
    return this.makeNode(op, ty, EMPTY, f);
  }
  make_inst_load(ty: Type, op: Opcode, p: Value, flags: MemFlags, offset: Offset32): Value {
    return this.makeNode(op, ty, this.args(p), flags, offset);
  }
  make_inst_load_no_offset(ty: Type, op: Opcode, x: Value, flags: MemFlags): Value {
    return this.makeNode(op, ty, this.args(x), flags);
  }
  make_inst_stack_load(ty: Type, op: Opcode, slot: StackSlot, offset: Offset32): Value {
    return this.makeNode(op, ty, EMPTY, slot, offset);
  }
  make_inst_dynamic_stack_load(ty: Type, op: Opcode, slot: DynamicStackSlot): Value {
    return this.makeNode(op, ty, EMPTY, slot);
  }
  make_inst_exception_handler_address(ty: Type, op: Opcode, block: Block, index: Imm64): Value {
    return this.makeNode(op, ty, EMPTY, block, Number(BigInt.asIntN(32, index)));
  }

  make_skeleton_inst_unary(op: Opcode, x: Value): Inst {
    return this.makeSkeleton(op, this.args(x));
  }
  make_skeleton_inst_binary(op: Opcode, x: Value, y: Value): Inst {
    return this.makeSkeleton(op, this.args(x, y));
  }
  make_skeleton_inst_ternary(op: Opcode, x: Value, y: Value, z: Value): Inst {
    return this.makeSkeleton(op, this.args(x, y, z));
  }
  make_skeleton_inst_null_ary(op: Opcode): Inst {
    return this.makeSkeleton(op, EMPTY);
  }
  make_skeleton_inst_int_add_trap(op: Opcode, x: Value, y: Value, code: TrapCode): Inst {
    return this.makeSkeleton(op, this.args(x, y), code);
  }
  make_skeleton_inst_jump(op: Opcode, dest: BlockCall): Inst {
    return this.makeSkeleton(op, EMPTY, dest);
  }
  make_skeleton_inst_brif(op: Opcode, c: Value, then: BlockCall, els: BlockCall): Inst {
    return this.makeSkeleton(op, this.args(c), then, els);
  }
  make_skeleton_inst_branch_table(op: Opcode, x: Value, table: JumpTable): Inst {
    return this.makeSkeleton(op, this.args(x), table);
  }
  make_skeleton_inst_load_no_offset(op: Opcode, p: Value, flags: MemFlags): Inst {
    return this.makeSkeleton(op, this.args(p), flags);
  }
  make_skeleton_inst_store(op: Opcode, x: Value, p: Value, flags: MemFlags, offset: Offset32): Inst {
    return this.makeSkeleton(op, this.args(x, p), flags, offset);
  }
  make_skeleton_inst_store_no_offset(op: Opcode, x: Value, p: Value, flags: MemFlags): Inst {
    return this.makeSkeleton(op, this.args(x, p), flags);
  }
  make_skeleton_inst_dynamic_stack_store(op: Opcode, x: Value, slot: DynamicStackSlot): Inst {
    return this.makeSkeleton(op, this.args(x), slot);
  }
  make_skeleton_inst_atomic_rmw(op: Opcode, p: Value, x: Value, flags: MemFlags, rmw: AtomicRmwOp): Inst {
    return this.makeSkeleton(op, this.args(p, x), flags, rmw);
  }
  make_skeleton_inst_atomic_cas(op: Opcode, p: Value, e: Value, x: Value, flags: MemFlags): Inst {
    return this.makeSkeleton(op, this.args(p, e, x), flags);
  }
  make_skeleton_inst_trap(op: Opcode, code: TrapCode): Inst {
    return this.makeSkeleton(op, EMPTY, code);
  }
  make_skeleton_inst_cond_trap(op: Opcode, c: Value, code: TrapCode): Inst {
    return this.makeSkeleton(op, this.args(c), code);
  }

  // Operand lists for the DFG, which copies them: one reused array per arity.
  private readonly args1: Value[] = [0 as Value];
  private readonly args2: Value[] = [0 as Value, 0 as Value];
  private readonly args3: Value[] = [0 as Value, 0 as Value, 0 as Value];
  private args(a: Value, b?: Value, c?: Value): readonly Value[] {
    if (c !== undefined && b !== undefined) {
      this.args3[0] = a;
      this.args3[1] = b;
      this.args3[2] = c;
      return this.args3;
    }
    if (b !== undefined) {
      this.args2[0] = a;
      this.args2[1] = b;
      return this.args2;
    }
    this.args1[0] = a;
    return this.args1;
  }

  /**
   * A skeleton instruction `op args imms` with its results, outside the
   * layout. Its controlling type comes from its type-variable operand.
   */
  private makeSkeleton(op: Opcode, args: readonly Value[], imm0 = 0, imm1 = 0, imm2 = 0): Inst {
    const dfg = this.dfg;
    let ctrl: Type = INVALID;
    if (isPolymorphic(op)) {
      const tv = typevarOperand(op);
      if (tv < 0 || tv >= args.length || operandConstraintKind(op, tv) !== ConstraintKind.Same) {
        throw new OptimizerError(`rewrite rule built ${opcodeName(op)}, whose controlling type its operands do not give`);
      }
      ctrl = dfg.valueTypeOf(args[tv]);
    }
    const inst = dfg.makeInst(op, ctrl, args, imm0, imm1, imm2);
    const n = numFixedResults(op);
    for (let i = 0; i < n; i++) dfg.appendResult(inst, resultType(op, i, ctrl));
    return inst;
  }

  // --- Constants

  iconst_u(v: Value): readonly [Type, bigint] | undefined {
    for (const inst of this.clif_node(v)) {
      const found = this.iconstNode(inst, this.dfg.opcode(inst));
      if (found) return found;
    }
    return undefined;
  }

  /** The integer constant node `inst` (of opcode `op`) stands for, if it is one. */
  private iconstNode(inst: Inst, op: number): readonly [Type, bigint] | undefined {
    const dfg = this.dfg;
    if (op !== Opcode.Iconst && op !== Opcode.Uextend && op !== Opcode.Sextend && op !== Opcode.Iconcat) return undefined;
    const ty = dfg.valueType_(dfg.result(inst, 0));
    if (!isInt(ty) || !isScalar(ty)) return undefined;
    if (op === Opcode.Iconst) {
      // Nodes hold constants zero-extended from their width (insertInst).
      const lo = dfg.imm0(inst) >>> 0;
      const hi = dfg.imm1(inst) >>> 0;
      return [ty, hi === 0 ? BigInt(lo) : (BigInt(hi) << 32n) | BigInt(lo)];
    }
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
    if (isVector(ty)) return this.make_inst_unary(ty, Opcode.Splat, this.make_iconst(laneType(ty), k));
    if (!isInt(ty)) throw new OptimizerError(`rewrite rule built an integer constant of type ${typeName(ty)}`);
    const bits = laneBits(ty);
    const x = BigInt.asUintN(bits, k);
    if (bits <= 64) return this.make_inst_unary_imm(ty, Opcode.Iconst, x);
    if (x < 1n << 63n) return this.make_inst_unary(ty, Opcode.Uextend, this.make_iconst(I64, x));
    if (x >= mask(128) - (1n << 63n) + 1n) return this.make_inst_unary(ty, Opcode.Sextend, this.make_iconst(I64, x));
    return this.make_inst_binary(ty, Opcode.Iconcat, this.make_iconst(I64, x), this.make_iconst(I64, x >> 64n));
  }

  u64_from_imm64(imm: Imm64): bigint {
    return BigInt.asUintN(64, imm);
  }
  ieee64(bits: bigint): Ieee64 {
    return BigInt.asUintN(64, bits);
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
  fold_f32_unary(op: Opcode, a: Ieee32): Ieee32 | undefined {
    const r = foldFloatUnary(F32, op, BigInt(a));
    return r === undefined ? undefined : Number(r);
  }
  fold_f64_unary(op: Opcode, a: Ieee64): Ieee64 | undefined {
    return foldFloatUnary(F64, op, a);
  }
  fold_f32_binary(op: Opcode, a: Ieee32, b: Ieee32): Ieee32 | undefined {
    const r = foldFloatBinary(F32, op, BigInt(a), BigInt(b));
    return r === undefined ? undefined : Number(r);
  }
  fold_f64_binary(op: Opcode, a: Ieee64, b: Ieee64): Ieee64 | undefined {
    return foldFloatBinary(F64, op, a, b);
  }
  fold_int_to_f32(op: Opcode, from: Type, a: bigint): Ieee32 | undefined {
    const r = foldIntToFloat(op, F32, from, a);
    return r === undefined ? undefined : Number(r);
  }
  fold_int_to_f64(op: Opcode, from: Type, a: bigint): Ieee64 | undefined {
    return foldIntToFloat(op, F64, from, a);
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
  intcc_of_code(code: number): IntCC {
    if (code > IntCC.UnsignedLessThanOrEqual) throw new OptimizerError(`condition code ${code} is not an IntCC`);
    return code as IntCC;
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

// ===========================================================================
// Hash-consing table

/**
 * Open-addressing hash set of node instructions, keyed by their contents
 * (opcode, controlling type, immediates, operands) read from the DFG.
 */
class NodeTable {
  /** Slots 0..mask are the table; the buffer is kept across functions. */
  private slots = new Uint32Array(256);
  private mask = 0;
  private count = 0;
  /** Node instructions, marked with the `epoch` of the function they belong to. */
  private readonly members = new U32Table(64, 0);
  private epoch = 0;

  /** Empties the table for a function; `expected`: about how many nodes it will hold. */
  begin(expected: number): void {
    let size = 16;
    while (size < expected * 2) size *= 2;
    if (size > this.slots.length) this.slots = new Uint32Array(size);
    const slots = this.slots;
    for (let i = 0; i < size; i++) slots[i] = NONE;
    this.mask = size - 1;
    this.count = 0;
    if (this.epoch === 0x7fffffff) {
      this.members.reset();
      this.epoch = 0;
    }
    this.epoch++;
  }

  isNode(inst: Inst): boolean {
    return this.members.get(inst) === this.epoch;
  }

  /** The empty slot where the last unsuccessful `find` stopped. */
  private free = 0;

  /** The node equal to `inst`, or NONE. */
  find(dfg: DataFlowGraph, inst: Inst): number {
    const m = this.mask;
    const slots = this.slots;
    for (let i = hashInst(dfg, inst) & m; ; i = (i + 1) & m) {
      const s = slots[i];
      if (s === NONE) {
        this.free = i;
        return NONE;
      }
      if (sameNode(dfg, s as Inst, inst)) return s;
    }
  }

  /** Adds `inst`, for which `find` has just returned NONE. */
  insert(dfg: DataFlowGraph, inst: Inst): void {
    if ((this.count + 1) * 2 > this.mask + 1) {
      this.grow(dfg);
      this.place(dfg, inst);
    } else this.slots[this.free] = inst;
    this.count++;
    this.members.set(inst, this.epoch);
  }

  private place(dfg: DataFlowGraph, inst: Inst): void {
    const m = this.mask;
    let i = hashInst(dfg, inst) & m;
    while (this.slots[i] !== NONE) i = (i + 1) & m;
    this.slots[i] = inst;
  }

  private grow(dfg: DataFlowGraph): void {
    const old = this.slots.slice(0, this.mask + 1);
    const size = old.length * 2;
    if (size > this.slots.length) this.slots = new Uint32Array(size);
    this.slots.fill(NONE, 0, size);
    this.mask = size - 1;
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
