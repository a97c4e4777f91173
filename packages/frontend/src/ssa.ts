// SSA construction on the fly, after Braun, Buchwald, Hack, Leißa, Mallon and
// Zwinkau, "Simple and Efficient Construction of Static Single Assignment
// Form" (CC 2013), with block parameters in place of phi instructions.
//
// Owns: what the front end has told us about the CFG so far (each block's
// predecessor branches, whether it is sealed), the value each variable holds
// at the end of each block, the block parameters this module created
// ("phis"), and which phis use which others.
//
// How a read works. `useVar(x, b)` returns x's definition in b if there is
// one. Otherwise, in a block that is not sealed (more predecessors may come),
// it adds an *incomplete* parameter that `sealBlock` completes later; in a
// sealed block with one predecessor it reads x there; with several it adds a
// parameter, reads x in every predecessor and passes those values as branch
// arguments. A parameter whose arguments are all one value w (or itself) is
// trivial: it is removed, its value becomes an alias of w, and the phis that
// used it are checked again, since they may have become trivial in turn —
// so block parameters remain only where values really merge.
//
// The walk uses an explicit stack (no recursion), so long chains of blocks
// cannot overflow the JavaScript stack. Definitions live in a hash table
// keyed by (variable, block), predecessor lists and phi-user lists in
// typed-array linked lists: memory grows with what is defined and used,
// never with variables × blocks.
//
// Reaching the entry block without a definition means some path from the
// entry reads the variable before writing it: that is a `UseBeforeDef`
// error, never an undefined value. A sealed block with no predecessors
// (other than the entry) is unreachable; a read there yields a zero constant
// placed at the top of the block, as does a phi that only feeds itself.
//
// Invariants:
// - For every branch instruction recorded as a predecessor of block b, each
//   of its destinations naming b passes exactly: the user's arguments, then
//   one argument per *complete* phi of b in parameter order. Incomplete phis
//   (b not yet sealed, or being sealed) come after all complete ones.
// - Stored definitions may be phis that were later removed; every read goes
//   through `resolveAliases`.

import type { Block, BlockCall, Function, Inst, JumpTable, Type, Value } from '@clift/ir';
import {
  BlockArg,
  F128,
  F16,
  F32,
  F64,
  I128,
  I64,
  INVALID,
  InstructionFormat,
  NONE,
  Opcode,
  isInt,
  isVector,
  typeBits,
  typeBytes,
  typeName,
} from '@clift/ir';
import { FrontendError } from './errors.js';
import { IntVec } from './int-vec.js';
import { VarBlockMap, type Variable } from './variable.js';

const USE_VAR = 0;
const SET_DEF = 1;
const FINISH_PHI = 2;
const FINISH_MERGE = 3;
/**
 * Stands in `defs` for a variable whose lookup in a sealed multi-predecessor
 * block is under way. Reaching it again means the lookup went round a cycle:
 * only then is a real parameter needed before the predecessors are known.
 * Not a value id (ids stay below NONE - 1).
 */
const IN_PROGRESS = 0xfffffffe as Value;
/** `trivialValue`'s answer for a phi whose only arguments are itself (no value id is negative). */
const ALL_SELF = -2 as Value;

export class SsaBuilder {
  private readonly varTypes = new IntVec(16);
  private readonly defs = new VarBlockMap();

  // Per block.
  private readonly sealed = new IntVec(16);
  private readonly predHead = new IntVec(16, -1);
  private readonly predTail = new IntVec(16, -1);
  private readonly predCount = new IntVec(16);
  /** Parameters this module added to the block and has not removed. */
  private readonly phiCount = new IntVec(16);
  /** Incomplete phis of unsealed blocks: [variable, param, variable, param, …]. */
  private readonly incomplete: (number[] | undefined)[] = [];

  // Predecessor edges: the branch instruction and the next edge of the same block.
  private readonly edgeInst = new IntVec(64);
  private readonly edgeNext = new IntVec(64);

  // Per value: variable + 1 when the value is a live phi, else 0; head of its user list.
  private readonly phiVar = new IntVec(64);
  private readonly userHead = new IntVec(64, -1);
  private readonly userPhi = new IntVec(64);
  private readonly userNext = new IntVec(64);

  // The explicit call stack and result stack of a lookup.
  private readonly calls = new IntVec(64);
  private readonly results = new IntVec(64);
  private readonly worklist = new IntVec(16);

  constructor(private readonly func: Function) {}

  // ===================================================================
  // Variables

  declareVar(type: Type): Variable {
    return this.varTypes.push(type) as Variable;
  }
  numVars(): number {
    return this.varTypes.length;
  }
  varType(v: Variable): Type {
    return this.varTypes.data[v] as Type;
  }

  // Post-invariant: useVar(v, b) returns `value` until the next defVar(v, b).
  defVar(v: Variable, b: Block, value: Value): void {
    this.defs.set(v, b, value);
  }

  /** The value `v` holds at the current end of `b`. */
  useVar(v: Variable, b: Block): Value {
    const d = this.defs.get(v, b);
    if (d !== NONE) return this.func.dfg.resolveAliases(d);
    this.calls.push(USE_VAR);
    this.calls.push(b);
    return this.run(v, b);
  }

  // ===================================================================
  // Blocks and predecessors

  /** Makes per-block tables cover blocks below `n`. */
  ensureBlocks(n: number): void {
    this.sealed.ensure(n);
    this.predHead.ensure(n);
    this.predTail.ensure(n);
    this.predCount.ensure(n);
    this.phiCount.ensure(n);
  }
  isSealed(b: Block): boolean {
    return this.sealed.data[b] !== 0;
  }
  numPredecessors(b: Block): number {
    return this.predCount.data[b];
  }
  /** Parameters SSA construction currently has on `b`. */
  numPhis(b: Block): number {
    return this.phiCount.data[b];
  }
  /** The branch instructions into `b`, in the order they were built. */
  predecessors(b: Block): Inst[] {
    const out: Inst[] = [];
    for (let e = this.predHead.data[b]; e !== -1; e = this.edgeNext.data[e]) out.push(this.edgeInst.data[e] as Inst);
    return out;
  }

  /** Records that `inst` (a branch of some block) may jump to `b`; the caller checked b is unsealed. */
  declarePredecessor(b: Block, inst: Inst): void {
    const e = this.edgeInst.push(inst);
    this.edgeNext.push(-1);
    const tail = this.predTail.data[b];
    if (tail === -1) this.predHead.data[b] = e;
    else this.edgeNext.data[tail] = e;
    this.predTail.data[b] = e;
    this.predCount.data[b]++;
  }

  /**
   * Declares that every predecessor of `b` is known, and completes the
   * parameters reads in `b` created meanwhile. Sealing twice does nothing.
   */
  sealBlock(b: Block): void {
    if (this.sealed.data[b] !== 0) return;
    this.sealed.data[b] = 1;
    const pending = this.incomplete[b];
    if (pending === undefined) return;
    this.incomplete[b] = undefined;
    for (let i = 0; i < pending.length; i += 2) {
      const v = pending[i] as Variable;
      const phi = pending[i + 1] as Value;
      this.pushFinish(phi, b);
      this.run(v, b);
    }
  }

  // ===================================================================
  // The lookup

  private run(v: Variable, origin: Block): Value {
    const calls = this.calls;
    try {
      while (calls.length > 0) {
        const arg = calls.pop();
        const kind = calls.pop();
        if (kind === USE_VAR) this.useVarStep(v, arg as Block, origin);
        else if (kind === SET_DEF) this.defs.set(v, arg as Block, this.results.top() as Value);
        else if (kind === FINISH_MERGE) this.finishMerge(v, arg as Block);
        else this.finishPhi(v, arg as Value);
      }
    } catch (e) {
      calls.length = 0;
      this.results.length = 0;
      throw e;
    }
    return this.results.pop() as Value;
  }

  private useVarStep(v: Variable, b: Block, origin: Block): void {
    const d = this.defs.get(v, b);
    if (d === IN_PROGRESS) {
      // A cycle back to a block whose merge is being computed: it needs a parameter after all.
      const phi = this.newPhi(v, b);
      this.defs.set(v, b, phi);
      this.results.push(phi);
      return;
    }
    if (d !== NONE) {
      this.results.push(this.func.dfg.resolveAliases(d));
      return;
    }
    const entry = this.func.layout.entryBlock();
    if (b === entry) {
      throw new FrontendError(
        'UseBeforeDef',
        `var${v} (${typeName(this.varType(v))}) is used in block${origin} but some path from the entry block${b} reaches it without defining it`,
      );
    }
    if (this.sealed.data[b] === 0) {
      const phi = this.newPhi(v, b);
      (this.incomplete[b] ??= []).push(v, phi);
      this.defs.set(v, b, phi);
      this.results.push(phi);
      return;
    }
    const n = this.predCount.data[b];
    if (n === 0) {
      const zero = this.zeroAtTop(b, this.varType(v));
      this.defs.set(v, b, zero);
      this.results.push(zero);
    } else if (n === 1) {
      // Single predecessor: no merge, read through and remember it here.
      this.calls.push(SET_DEF);
      this.calls.push(b);
      this.calls.push(USE_VAR);
      this.calls.push(this.predBlock(this.predHead.data[b]));
    } else {
      // Look in the predecessors first: most merges turn out trivial, and
      // then no parameter (and no value id) is made at all.
      this.defs.set(v, b, IN_PROGRESS);
      this.calls.push(FINISH_MERGE);
      this.calls.push(b);
      this.pushPredReads(b);
    }
  }

  /** Schedules reads in every predecessor of `b`, then the completion of `phi`. */
  private pushFinish(phi: Value, b: Block): void {
    this.calls.push(FINISH_PHI);
    this.calls.push(phi);
    this.pushPredReads(b);
  }

  private pushPredReads(b: Block): void {
    for (let e = this.predHead.data[b]; e !== -1; e = this.edgeNext.data[e]) {
      this.calls.push(USE_VAR);
      this.calls.push(this.predBlock(e));
    }
  }

  private predBlock(edge: number): Block {
    return this.func.layout.instBlock(this.edgeInst.data[edge] as Inst);
  }

  /**
   * The values read in b's predecessors are on the result stack, the first
   * predecessor's on top. Either the phi is trivial and goes, or its
   * arguments are appended to every predecessor branch.
   */
  private finishPhi(v: Variable, phi: Value): void {
    const dfg = this.func.dfg;
    const b = dfg.valueBlock(phi);
    const n = this.predCount.data[b];
    const res = this.results;
    const top = res.length - 1;
    let unique = NONE as Value;
    let trivial = true;
    for (let i = 0; i < n; i++) {
      const w = dfg.resolveAliases(res.data[top - i] as Value);
      res.data[top - i] = w;
      if (w === phi || w === unique) continue;
      if (unique === NONE) unique = w;
      else trivial = false;
    }
    if (trivial) {
      res.length -= n;
      if (unique === NONE) unique = this.zeroAtTop(b, this.varType(v));
      this.removePhi(phi, unique, false);
      res.push(unique);
      return;
    }
    let i = 0;
    for (let e = this.predHead.data[b]; e !== -1; e = this.edgeNext.data[e], i++) {
      const w = res.data[top - i] as Value;
      appendBranchArg(this.func, this.edgeInst.data[e] as Inst, b, w);
      if (w !== phi) this.addUser(w, phi);
    }
    res.length -= n;
    res.push(phi);
  }

  /**
   * The predecessors' values for a sealed merge block are on the result
   * stack. If a cycle made a parameter meanwhile, finish it as a phi;
   * otherwise make one only when the values differ.
   */
  private finishMerge(v: Variable, b: Block): void {
    const made = this.defs.get(v, b);
    if (made !== IN_PROGRESS) {
      this.finishPhi(v, made);
      return;
    }
    const dfg = this.func.dfg;
    const n = this.predCount.data[b];
    const res = this.results;
    const top = res.length - 1;
    const first = dfg.resolveAliases(res.data[top] as Value);
    let same = true;
    for (let i = 0; i < n; i++) {
      const w = dfg.resolveAliases(res.data[top - i] as Value);
      res.data[top - i] = w;
      if (w !== first) same = false;
    }
    if (same) {
      res.length -= n;
      this.defs.set(v, b, first);
      res.push(first);
      return;
    }
    const phi = this.newPhi(v, b);
    this.defs.set(v, b, phi);
    // No argument can be the new phi itself, so it is not trivial: finishPhi appends the arguments.
    this.finishPhi(v, phi);
  }

  private newPhi(v: Variable, b: Block): Value {
    const phi = this.func.dfg.appendBlockParam(b, this.varType(v));
    this.phiCount.data[b]++;
    this.phiVar.ensure(phi + 1);
    this.phiVar.data[phi] = v + 1;
    this.userHead.ensure(phi + 1);
    this.userHead.data[phi] = -1;
    return phi;
  }

  private addUser(used: Value, user: Value): void {
    if (used >= this.phiVar.length || this.phiVar.data[used] === 0) return;
    const head = this.userHead.data[used];
    if (head !== -1 && this.userPhi.data[head] === user) return;
    const e = this.userPhi.push(user);
    this.userNext.push(head);
    this.userHead.data[used] = e;
  }

  /**
   * Replaces `phi` by `by` everywhere (as an alias), drops its parameter and
   * (when they were appended) its branch arguments, then re-examines every
   * phi that used it, which may now be trivial too.
   */
  private removePhi(phi: Value, by: Value, argsAppended: boolean): void {
    const dfg = this.func.dfg;
    const work = this.worklist;
    const base = work.length;
    this.dropPhi(phi, by, argsAppended);
    work.push(phi);
    while (work.length > base) {
      const gone = work.pop() as Value;
      for (let e = this.userHead.data[gone]; e !== -1; e = this.userNext.data[e]) {
        const user = this.userPhi.data[e] as Value;
        if (this.phiVar.data[user] === 0) continue;
        const w = this.trivialValue(user);
        if (w === NONE) continue;
        const rep = w === ALL_SELF ? this.zeroAtTop(dfg.valueBlock(user), this.varType((this.phiVar.data[user] - 1) as Variable)) : w;
        this.dropPhi(user, rep, true);
        work.push(user);
      }
    }
  }

  /**
   * For a complete phi: the single value its arguments agree on (ignoring
   * itself), ALL_SELF when they are all itself, or NONE
   * when it really merges values.
   */
  private trivialValue(phi: Value): Value {
    const dfg = this.func.dfg;
    const b = dfg.valueBlock(phi);
    const idx = dfg.valueNum(phi);
    let unique = NONE as Value;
    for (let e = this.predHead.data[b]; e !== -1; e = this.edgeNext.data[e]) {
      const w = dfg.resolveAliases(branchArg(this.func, this.edgeInst.data[e] as Inst, b, idx));
      if (w === phi || w === unique) continue;
      if (unique !== NONE) return NONE as Value;
      unique = w;
    }
    // A phi fed only by itself sits in unreachable code; the caller zeroes it.
    return unique === NONE ? ALL_SELF : unique;
  }

  private dropPhi(phi: Value, by: Value, argsAppended: boolean): void {
    const dfg = this.func.dfg;
    const b = dfg.valueBlock(phi);
    const idx = dfg.valueNum(phi);
    if (argsAppended) {
      for (let e = this.predHead.data[b]; e !== -1; e = this.edgeNext.data[e]) {
        removeBranchArg(this.func, this.edgeInst.data[e] as Inst, b, idx);
      }
    }
    dfg.removeBlockParam(b, idx);
    dfg.changeToAlias(phi, by);
    this.phiVar.data[phi] = 0;
    this.phiCount.data[b]--;
  }

  /** A zero of type `t` at the top of (unreachable) block `b`. */
  private zeroAtTop(b: Block, t: Type): Value {
    const { dfg, layout } = this.func;
    const anchor = layout.firstInst(b);
    const place = (inst: Inst): void => {
      if (anchor === NONE) layout.appendInst(inst, b);
      else layout.insertInst(inst, anchor);
    };
    const make = (op: Opcode, ctrl: Type, args: number[], imm0: number, result: Type): Value => {
      const inst = dfg.makeInst(op, ctrl, args, imm0, 0, 0);
      const v = dfg.appendResult(inst, result);
      place(inst);
      return v;
    };
    if (isInt(t) && !isVector(t)) {
      if (t !== I128) return make(Opcode.Iconst, t, [], 0, t);
      const lo = make(Opcode.Iconst, I64, [], 0, I64);
      return make(Opcode.Uextend, I128, [lo], 0, I128);
    }
    switch (t) {
      case F16: return make(Opcode.F16const, INVALID, [], 0, F16);
      case F32: return make(Opcode.F32const, INVALID, [], 0, F32);
      case F64: return make(Opcode.F64const, INVALID, [], 0, F64);
      case F128: return make(Opcode.F128const, INVALID, [], dfg.makeConstant(new Uint8Array(16)), F128);
    }
    if (isVector(t)) return make(Opcode.Vconst, t, [], dfg.makeConstant(new Uint8Array(typeBytes(t))), t);
    throw new FrontendError('InvalidInstruction', `cannot make a zero of type ${typeName(t)} (${typeBits(t)} bits) for unreachable block${b}`);
  }
}

// ---------------------------------------------------------------------------
// Branch arguments: a branch may name the same block in several destinations
// (brif to one block twice, br_table entries); each gets the argument.

/** The distinct block calls of `inst` that go to `b`. */
function callsTo(func: Function, inst: Inst, b: Block): BlockCall[] {
  const dfg = func.dfg;
  const out: BlockCall[] = [];
  for (const bc of dfg.branchDestinations(inst)) {
    if (dfg.blockCallBlock(bc) === b && !out.includes(bc)) out.push(bc);
  }
  return out;
}

export function appendBranchArg(func: Function, inst: Inst, b: Block, v: Value): void {
  for (const bc of callsTo(func, inst, b)) func.dfg.appendBlockCallArg(bc, BlockArg.value(v));
}

function branchArg(func: Function, inst: Inst, b: Block, idx: number): Value {
  const dfg = func.dfg;
  for (const bc of dfg.branchDestinations(inst)) {
    if (dfg.blockCallBlock(bc) === b) return BlockArg.asValue(dfg.blockCallArg(bc, idx)) ?? (NONE as Value);
  }
  return NONE as Value;
}

/** Drops argument `idx` from every destination of `inst` that goes to `b`. */
function removeBranchArg(func: Function, inst: Inst, b: Block, idx: number): void {
  const dfg = func.dfg;
  for (const bc of callsTo(func, inst, b)) {
    const args = dfg.blockCallArgs(bc);
    args.splice(idx, 1);
    replaceBlockCall(func, inst, bc, dfg.makeBlockCall(b, args));
  }
}

/** Points `inst` at `to` wherever it referred to block call `from`. */
function replaceBlockCall(func: Function, inst: Inst, from: BlockCall, to: BlockCall): void {
  const dfg = func.dfg;
  switch (dfg.format(inst)) {
    case InstructionFormat.Jump:
      dfg.setImm(inst, 0, to);
      return;
    case InstructionFormat.Brif:
      if (dfg.imm0(inst) === from) dfg.setImm(inst, 0, to);
      if (dfg.imm1(inst) === from) dfg.setImm(inst, 1, to);
      return;
    case InstructionFormat.BranchTable: {
      const jt = dfg.jumpTables[dfg.imm0(inst) as JumpTable];
      if (jt.default === from) jt.default = to;
      for (let i = 0; i < jt.entries.length; i++) if (jt.entries[i] === from) jt.entries[i] = to;
      return;
    }
    case InstructionFormat.TryCall:
    case InstructionFormat.TryCallIndirect: {
      const et = dfg.exceptionTables[dfg.imm1(inst)];
      if (et.normalReturn === from) et.normalReturn = to;
      for (const item of et.items) if (item.kind !== 'context' && item.block === from) item.block = to;
      return;
    }
    default:
      return;
  }
}
