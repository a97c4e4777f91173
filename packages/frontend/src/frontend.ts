// FunctionBuilder: the front end's way to write a CLIF function — blocks,
// instructions of every opcode, variables in SSA form built on the fly
// (ssa.ts), stack slots, calls and memory helpers — ending in `finalize`.
//
// Owns: the builder's position (the current block; instructions are always
// appended to its end), each block's fill status, the source location
// attached to new instructions. SSA state is ssa.ts's. The Function itself
// is the caller's; the builder only adds to it.
//
// Block life cycle (as upstream's cranelift-frontend):
//   created → (params appended while pristine) → switched to → instructions
//   → a terminator fills it; independently, `sealBlock` once all its
//   predecessors (branches to it) exist. `finalize` requires every used
//   block filled and sealed.
//
// Invariants:
// - Instructions are only appended at the end of the current block, never
//   after its terminator; a filled block is never switched to again.
// - Every branch built through the builder is recorded as a predecessor of
//   each distinct block it can jump to, and no branch targets a sealed block.
// - User block parameters precede all parameters SSA construction adds.

import type {
  AbiParam,
  Block,
  BlockCall,
  CallConv,
  ExtFuncData,
  ExternalName,
  FuncRef,
  Function,
  Inst,
  JumpTable,
  MemFlags,
  SigRef,
  Signature,
  StackSlot,
  Type,
  Value,
} from '@clift/ir';
import {
  BlockArg,
  INVALID,
  InstructionFormat,
  NONE,
  Opcode,
  ctrlTypeAllowed,
  isBranch,
  isPolymorphic,
  isTerminator,
  isValidType,
  numFixedResults,
  opcodeFormat,
  opcodeName,
  resultType,
  resultsFromSignature,
  typeName,
  typeSetName,
  ctrlTypeSet,
  typevarOperand,
} from '@clift/ir';
import { FrontendError } from './errors.js';
import { GeneratedInstBuilder } from './generated/inst-builder.js';
import { IntVec } from './int-vec.js';
import * as memory from './memory.js';
import { SsaBuilder } from './ssa.js';
import type { Variable } from './variable.js';

const EMPTY = 0;
const PARTIAL = 1;
const FILLED = 2;

/** What the memory helpers need to know about the target. */
export interface FrontendConfig {
  /** The pointer type (i64 on AArch64). */
  readonly pointerType: Type;
  /** Calling convention of libcalls; `system_v` when absent. */
  readonly callConv?: CallConv;
}

/** Size and alignment of an explicit stack slot. */
export interface StackSlotSpec {
  readonly size: number;
  /** log2 of the alignment in bytes. */
  readonly alignShift?: number;
}

/** A branch destination with arguments, for jump tables. */
export interface BlockTarget {
  readonly block: Block;
  readonly args?: readonly Value[];
}

/**
 * The instruction builder `FunctionBuilder.ins()` returns: one typed method
 * per CLIF opcode (generated from the opcode table), each appending to the
 * current block and returning the result value(s), or the instruction when
 * there are none (or they come from a call's signature).
 */
export class FuncInstBuilder extends GeneratedInstBuilder {
  constructor(private readonly fb: FunctionBuilder) {
    super();
  }
  protected buildInst(
    op: Opcode,
    ctrlType: Type,
    n: number,
    a0: Value,
    a1: Value,
    a2: Value,
    varargs: readonly Value[] | undefined,
    imm0: number,
    imm1: number,
    imm2: number,
  ): Inst {
    return this.fb.buildInst(op, ctrlType, n, a0, a1, a2, varargs, imm0, imm1, imm2);
  }
  protected blockCall(block: Block, args: readonly Value[]): BlockCall {
    return this.fb.makeBlockCall(block, args);
  }
  protected firstResult(inst: Inst): Value {
    return this.fb.func.dfg.result(inst, 0);
  }
  protected twoResults(inst: Inst): [Value, Value] {
    const dfg = this.fb.func.dfg;
    return [dfg.result(inst, 0), dfg.result(inst, 1)];
  }
}

export class FunctionBuilder {
  readonly func: Function;
  private readonly ssa: SsaBuilder;
  private readonly status = new IntVec(16);
  private current = NONE as Block;
  private srcLoc = NONE;
  private finalized = false;
  private readonly builder: FuncInstBuilder;
  private readonly usedJumpTables = new Set<number>();
  private readonly libcalls = new Map<string, FuncRef>();
  // Reused argument lists for instructions without variable arguments.
  private readonly argScratch: Uint32Array[] = [new Uint32Array(0), new Uint32Array(1), new Uint32Array(2), new Uint32Array(3)];

  constructor(func: Function) {
    this.func = func;
    this.ssa = new SsaBuilder(func);
    this.builder = new FuncInstBuilder(this);
    // Blocks the function already has (e.g. from a reader) are known but untouched.
    this.syncBlocks();
  }

  // ===================================================================
  // Blocks

  createBlock(): Block {
    this.live();
    const b = this.func.dfg.makeBlock();
    this.syncBlocks();
    return b;
  }

  /**
   * Makes `block` the current block: new instructions are appended to it.
   * The previous current block must be filled (end in a terminator) or
   * still pristine.
   */
  switchToBlock(block: Block): void {
    this.live();
    this.checkBlock(block);
    const cur = this.current;
    if (cur !== NONE && cur !== block && this.status.data[cur] === PARTIAL) {
      throw new FrontendError('BlockNotFilled', `cannot switch to block${block}: block${cur} has instructions but no terminator yet`);
    }
    if (this.status.data[block] === FILLED) {
      throw new FrontendError('BlockAlreadyFilled', `block${block} already ends in a terminator; a block is filled only once`);
    }
    if (!this.func.layout.isBlockInserted(block)) this.func.layout.appendBlock(block);
    this.current = block;
  }

  /** The block instructions go to, if any. */
  currentBlock(): Block | undefined {
    return this.current === NONE ? undefined : this.current;
  }

  /** Declares that every branch to `block` has been built. */
  sealBlock(block: Block): void {
    this.live();
    this.checkBlock(block);
    this.ssa.sealBlock(block);
  }

  /** Seals every block created so far (convenient when all branches are built). */
  sealAllBlocks(): void {
    this.live();
    const n = this.func.dfg.numBlocks();
    for (let b = 0; b < n; b++) this.ssa.sealBlock(b as Block);
  }

  isSealed(block: Block): boolean {
    this.checkBlock(block);
    return this.ssa.isSealed(block);
  }
  /** Ends in a terminator. */
  isFilled(block: Block): boolean {
    this.checkBlock(block);
    return this.status.data[block] === FILLED;
  }
  /** No instructions and no SSA parameters yet: user parameters may still be appended. */
  isPristine(block: Block): boolean {
    this.checkBlock(block);
    return this.status.data[block] === EMPTY && this.ssa.numPhis(block) === 0 && this.func.layout.firstInst(block) === NONE;
  }

  /** Appends a parameter to a pristine block. */
  appendBlockParam(block: Block, type: Type): Value {
    this.live();
    this.checkBlock(block);
    if (!this.isPristine(block)) {
      throw new FrontendError(
        'BlockNotPristine',
        `cannot add a ${typeName(type)} parameter to block${block}: it already has instructions or variable parameters`,
      );
    }
    if (!isValidType(type)) throw new FrontendError('InvalidType', `block parameter type ${type} is not a CLIF type`);
    return this.func.dfg.appendBlockParam(block, type);
  }

  /** Appends one parameter per function parameter (for the entry block). */
  appendBlockParamsForFunctionParams(block: Block): Value[] {
    return this.func.signature.params.map((p) => this.appendBlockParam(block, p.type));
  }

  /** Appends one parameter per function return (for a shared return block). */
  appendBlockParamsForFunctionReturns(block: Block): Value[] {
    return this.func.signature.returns.map((p) => this.appendBlockParam(block, p.type));
  }

  blockParams(block: Block): Value[] {
    this.checkBlock(block);
    return this.func.dfg.blockParams(block);
  }

  /** Marks a block cold (laid out out of line by the backend). */
  setColdBlock(block: Block): void {
    this.checkBlock(block);
    this.func.layout.setCold(block);
  }

  /** Places a not-yet-inserted block right after `after` in the layout. */
  insertBlockAfter(block: Block, after: Block): void {
    this.checkBlock(block);
    this.checkBlock(after);
    this.func.layout.insertBlockAfter(block, after);
  }

  /** The branch instructions that jump to `block`, as built so far. */
  predecessors(block: Block): Inst[] {
    this.checkBlock(block);
    return this.ssa.predecessors(block);
  }

  // ===================================================================
  // Variables

  /** Declares a variable of `type`; it has no value until `defVar`. */
  declareVar(type: Type): Variable {
    this.live();
    if (!isValidType(type)) throw new FrontendError('InvalidType', `variable type ${type} is not a CLIF type`);
    return this.ssa.declareVar(type);
  }

  varType(v: Variable): Type {
    this.checkVar(v);
    return this.ssa.varType(v);
  }

  /** Assigns `value` to `v` from here on in the current block. */
  defVar(v: Variable, value: Value): void {
    this.live();
    this.checkVar(v);
    const b = this.requireBlock('defVar');
    this.checkValue(value, `defVar(var${v})`);
    const want = this.ssa.varType(v);
    const got = this.func.dfg.valueTypeOf(value);
    if (got !== want) {
      throw new FrontendError(
        'VariableTypeMismatch',
        `var${v} is declared ${typeName(want)} but is assigned v${value} of type ${typeName(got)} in block${b}`,
      );
    }
    this.ssa.defVar(v, b, value);
  }

  /** The value `v` holds at this point of the current block. */
  useVar(v: Variable): Value {
    this.live();
    this.checkVar(v);
    const b = this.requireBlock('useVar');
    return this.ssa.useVar(v, b);
  }

  // ===================================================================
  // Instructions

  /** The instruction builder for the current block. */
  ins(): FuncInstBuilder {
    return this.builder;
  }

  instResults(inst: Inst): Value[] {
    return this.func.dfg.instResults(inst);
  }

  /** Attaches `loc` to every instruction built from now on (until changed). */
  setSrcLoc(loc: number): void {
    if (!Number.isInteger(loc) || loc < 0 || loc >= NONE) throw new RangeError(`source location ${loc} is not a u32 below 0xffffffff`);
    this.srcLoc = loc;
  }
  clearSrcLoc(): void {
    this.srcLoc = NONE;
  }

  /** A jump table for `br_table`: used by exactly one `br_table`. */
  createJumpTable(defaultTarget: Block | BlockTarget, entries: readonly (Block | BlockTarget)[]): JumpTable {
    this.live();
    const call = (t: Block | BlockTarget): BlockCall =>
      typeof t === 'number' ? this.makeBlockCall(t, []) : this.makeBlockCall(t.block, t.args ?? []);
    return this.func.dfg.makeJumpTable({ default: call(defaultTarget), entries: entries.map(call) });
  }

  /** An explicit stack slot. */
  createSizedStackSlot(spec: StackSlotSpec): StackSlot {
    this.live();
    if (!Number.isInteger(spec.size) || spec.size < 0 || spec.size > 0xffffffff) {
      throw new FrontendError('InvalidMemoryOperation', `stack slot size ${spec.size} is not a u32`);
    }
    const shift = spec.alignShift;
    if (shift !== undefined && (!Number.isInteger(shift) || shift < 0 || shift > 31)) {
      throw new FrontendError('InvalidMemoryOperation', `stack slot align shift ${shift} is not in 0..31`);
    }
    return (this.func.stackSlots.push({ kind: 'explicit_slot', size: spec.size, alignShift: shift, key: undefined }) - 1) as StackSlot;
  }

  importSignature(sig: Signature): SigRef {
    this.live();
    return this.func.dfg.importSignature(sig);
  }

  /** Imports an external function (and its signature) for `call` / `func_addr`. */
  importFunction(name: ExternalName, sig: Signature, opts: { colocated?: boolean; patchable?: boolean } = {}): FuncRef {
    this.live();
    const data: ExtFuncData = {
      name,
      signature: this.func.dfg.importSignature(sig),
      colocated: opts.colocated ?? false,
      patchable: opts.patchable ?? false,
    };
    return this.func.dfg.importFunction(data);
  }

  /** The FuncRef of a libcall (`%Memcpy`, …), imported once per function. */
  libcall(name: string, params: readonly Type[], returns: readonly Type[], callConv: CallConv): FuncRef {
    const cached = this.libcalls.get(name);
    if (cached !== undefined) return cached;
    const abi = (t: Type): AbiParam => ({ type: t, extension: 'none', purpose: { kind: 'normal' } });
    const ref = this.importFunction({ kind: 'libcall', name }, { params: params.map(abi), returns: returns.map(abi), callConv });
    this.libcalls.set(name, ref);
    return ref;
  }

  // ===================================================================
  // Memory (see memory.ts)

  /** `memcpy(dest, src, size)` through the `%Memcpy` libcall. */
  callMemcpy(config: FrontendConfig, dest: Value, src: Value, size: Value): void {
    memory.callMemcpy(this, config, dest, src, size);
  }
  /** `memmove(dest, src, size)` through the `%Memmove` libcall. */
  callMemmove(config: FrontendConfig, dest: Value, src: Value, size: Value): void {
    memory.callMemmove(this, config, dest, src, size);
  }
  /** `memset(buffer, ch, size)` through the `%Memset` libcall. */
  callMemset(config: FrontendConfig, buffer: Value, ch: Value, size: Value): void {
    memory.callMemset(this, config, buffer, ch, size);
  }
  /** `memcmp(left, right, size)` through the `%Memcmp` libcall; an i32. */
  callMemcmp(config: FrontendConfig, left: Value, right: Value, size: Value): Value {
    return memory.callMemcmp(this, config, left, right, size);
  }
  /** Copies a constant number of bytes: inline loads and stores when small, else a libcall. */
  emitSmallMemoryCopy(
    config: FrontendConfig,
    dest: Value,
    src: Value,
    size: number,
    destAlign: number,
    srcAlign: number,
    nonOverlapping: boolean,
    flags: MemFlags,
  ): void {
    memory.emitSmallMemoryCopy(this, config, dest, src, size, destAlign, srcAlign, nonOverlapping, flags);
  }
  /** Fills a constant number of bytes with `ch`: inline stores when small, else a libcall. */
  emitSmallMemset(config: FrontendConfig, buffer: Value, ch: number, size: number, bufferAlign: number, flags: MemFlags): void {
    memory.emitSmallMemset(this, config, buffer, ch, size, bufferAlign, flags);
  }

  // ===================================================================
  // Finishing

  /**
   * Checks that every used block is sealed and filled, replaces the uses of
   * removed parameters by the values they stood for, and returns the
   * function. The builder cannot be used afterwards.
   */
  finalize(): Function {
    this.live();
    const { dfg, layout } = this.func;
    const n = dfg.numBlocks();
    for (let b = 0 as Block; b < n; b++) {
      const used = layout.isBlockInserted(b) || this.ssa.numPredecessors(b) > 0;
      if (!used) continue;
      if (!this.ssa.isSealed(b)) throw new FrontendError('UnsealedBlock', `block${b} was never sealed (call sealBlock once all branches to it exist)`);
    }
    for (let b = 0 as Block; b < n; b++) {
      const used = layout.isBlockInserted(b) || this.ssa.numPredecessors(b) > 0;
      if (used && this.status.data[b] !== FILLED) {
        throw new FrontendError(
          'UnfilledBlock',
          layout.isBlockInserted(b)
            ? `block${b} does not end in a terminator`
            : `block${b} is branched to but was never filled`,
        );
      }
    }
    for (const b of layout.blockArray()) {
      for (let i = layout.firstInst(b); i !== NONE; i = layout.nextInst(i)) dfg.resolveAliasesInArguments(i);
    }
    this.finalized = true;
    return this.func;
  }

  // ===================================================================
  // Internals used by FuncInstBuilder and helpers

  /** @internal Builds one instruction at the end of the current block. */
  buildInst(
    op: Opcode,
    ctrlType: Type,
    n: number,
    a0: Value,
    a1: Value,
    a2: Value,
    varargs: readonly Value[] | undefined,
    imm0: number,
    imm1: number,
    imm2: number,
  ): Inst {
    this.live();
    const { dfg, layout } = this.func;
    const b = this.requireBlock(opcodeName(op));
    if (this.status.data[b] === FILLED) {
      const last = layout.lastInst(b);
      throw new FrontendError(
        'InstAfterTerminator',
        `cannot append \`${opcodeName(op)}\` to block${b}: it already ends in \`${opcodeName(dfg.opcode(last) as Opcode)}\``,
      );
    }
    let args: ArrayLike<number>;
    if (varargs === undefined) {
      const s = this.argScratch[n];
      if (n > 0) s[0] = a0;
      if (n > 1) s[1] = a1;
      if (n > 2) s[2] = a2;
      args = s;
    } else {
      const all: number[] = [];
      if (n > 0) all.push(a0);
      if (n > 1) all.push(a1);
      if (n > 2) all.push(a2);
      for (const v of varargs) all.push(v);
      args = all;
    }
    for (let i = 0; i < args.length; i++) this.checkValue(args[i] as Value, `operand ${i} of \`${opcodeName(op)}\``);

    let ctrl = ctrlType;
    const poly = isPolymorphic(op);
    if (poly) {
      if (ctrl === INVALID) ctrl = dfg.valueTypeOf(args[typevarOperand(op)] as Value);
      if (!ctrlTypeAllowed(op, ctrl)) {
        throw new FrontendError(
          'InvalidInstruction',
          `\`${opcodeName(op)}\` does not accept controlling type ${typeName(ctrl)} (allowed: ${typeSetName(ctrlTypeSet(op))})`,
        );
      }
    }
    const fmt = opcodeFormat(op);
    let sig: Signature | undefined;
    if (resultsFromSignature(op) || fmt === InstructionFormat.Call || fmt === InstructionFormat.CallIndirect) {
      const sigRef = fmt === InstructionFormat.Call ? dfg.extFuncs[imm0]?.signature : imm0;
      sig = sigRef === undefined ? undefined : dfg.signatures[sigRef];
      if (sig === undefined) {
        throw new FrontendError('InvalidInstruction', `\`${opcodeName(op)}\` refers to ${fmt === InstructionFormat.Call ? `fn${imm0}` : `sig${imm0}`}, which was never imported`);
      }
    }
    if (fmt === InstructionFormat.BranchTable) {
      if (dfg.jumpTables[imm0] === undefined) throw new FrontendError('InvalidInstruction', `br_table refers to jt${imm0}, which does not exist`);
      if (this.usedJumpTables.has(imm0)) throw new FrontendError('InvalidInstruction', `jt${imm0} is already used by another br_table`);
    }

    const inst = dfg.makeInst(op, poly ? ctrl : INVALID, args, imm0, imm1, imm2);
    const branch = isBranch(op);
    let dests: Block[] = [];
    if (branch) {
      dests = this.uniqueDestinations(inst);
      for (const d of dests) {
        if (this.ssa.isSealed(d)) {
          throw new FrontendError('BranchToSealedBlock', `\`${opcodeName(op)}\` in block${b} jumps to block${d}, which is already sealed`);
        }
      }
    }
    if (sig !== undefined && resultsFromSignature(op)) {
      for (const r of sig.returns) dfg.appendResult(inst, r.type);
    } else {
      const nr = numFixedResults(op);
      for (let i = 0; i < nr; i++) {
        const t = resultType(op, i, ctrl);
        if (t === INVALID) throw new FrontendError('InvalidInstruction', `\`${opcodeName(op)}\` has no result ${i} for controlling type ${typeName(ctrl)}`);
        dfg.appendResult(inst, t);
      }
    }
    if (fmt === InstructionFormat.BranchTable) this.usedJumpTables.add(imm0);
    layout.appendInst(inst, b);
    if (this.srcLoc !== NONE) dfg.setSrcLoc(inst, this.srcLoc);
    this.status.data[b] = isTerminator(op) ? FILLED : PARTIAL;
    for (const d of dests) this.ssa.declarePredecessor(d, inst);
    return inst;
  }

  /** @internal A branch destination with value arguments. */
  makeBlockCall(block: Block, args: readonly Value[]): BlockCall {
    this.checkBlock(block);
    for (let i = 0; i < args.length; i++) this.checkValue(args[i], `argument ${i} to block${block}`);
    return this.func.dfg.makeBlockCall(block, args.map((v) => BlockArg.value(v)));
  }

  private uniqueDestinations(inst: Inst): Block[] {
    const dfg = this.func.dfg;
    const out: Block[] = [];
    const bcs = dfg.branchDestinations(inst);
    if (bcs.length <= 8) {
      for (const bc of bcs) {
        const d = dfg.blockCallBlock(bc);
        if (!out.includes(d)) out.push(d);
      }
      return out;
    }
    const seen = new Set<number>();
    for (const bc of bcs) {
      const d = dfg.blockCallBlock(bc);
      if (!seen.has(d)) {
        seen.add(d);
        out.push(d);
      }
    }
    return out;
  }

  private syncBlocks(): void {
    const n = this.func.dfg.numBlocks();
    this.status.ensure(n);
    this.ssa.ensureBlocks(n);
  }

  private live(): void {
    if (this.finalized) throw new FrontendError('Finalized', 'this FunctionBuilder was finalized; start a new one');
  }

  private requireBlock(what: string): Block {
    if (this.current === NONE) throw new FrontendError('NoCurrentBlock', `${what} needs a current block: call switchToBlock first`);
    return this.current;
  }

  private checkBlock(b: Block): void {
    if (!Number.isInteger(b) || b < 0 || b >= this.func.dfg.numBlocks()) {
      throw new FrontendError('InvalidBlock', `block${b} does not exist in this function`);
    }
    // Blocks made directly through the DataFlowGraph join the builder's tables here.
    if (b >= this.status.length) this.syncBlocks();
  }

  private checkVar(v: Variable): void {
    if (!Number.isInteger(v) || v < 0 || v >= this.ssa.numVars()) {
      throw new FrontendError('UndeclaredVariable', `var${v} was never declared (declareVar returns variables)`);
    }
  }

  private checkValue(v: Value, where: string): void {
    if (!this.func.dfg.valueIsValid(v)) throw new FrontendError('InvalidValue', `${where}: v${v} is not a value of this function`);
  }
}
