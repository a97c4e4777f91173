// Lowering driver: CLIF to VCode over virtual registers. The target supplies
// the instruction selection (its ISLE rules, through `LowerBackend`); this
// module owns the walk, the value-to-vreg map and the "is this value used"
// analysis that lets rules fold one instruction into another.
//
// The walk goes backward over machine blocks and, within each block,
// backward over instructions, as Cranelift's `Lower` does. Because a
// definition dominates its uses and blocks come in reverse postorder, every
// use of a value is lowered before its definition; a pure instruction whose
// results no lowered instruction asked for (`putValueInReg`) was folded into
// its users (an immediate, a shifted operand, a compare feeding a branch)
// and is skipped.
//
// Invariants: a value's vreg is allocated on first request and never
// changes; when its defining instruction is lowered, the vreg becomes an
// alias of the register the rule produced (resolved in VCodeBuilder.build).

import {
  NONE,
  canLoad,
  hasSideEffects,
  isBranch,
  MemFlags,
  opcodeName,
  printInst,
  typeName,
  type DataFlowGraph,
  type Function,
  type Inst,
  type Opcode,
  type Type,
  type Value,
  InstructionFormat,
  BlockArg,
  BlockArgKind,
  I64,
  type BlockCall,
} from '@clift/ir';
import type { RegClass, VReg } from '@clift/regalloc';
import { BlockLoweringOrder } from './blockorder.js';
import { CodegenError } from './errors.js';
import { VCodeBuilder, type VCode, type VCodeSpec } from './vcode.js';

/** What a target provides to lower a function. */
export interface LowerBackend {
  readonly isaName: string;
  /** Lowers a non-branch instruction; false when no rule matches. */
  lowerInst(ctx: Lower, inst: Inst): boolean;
  /** Lowers a block terminator that branches; `targets` are machine blocks. */
  lowerBranch(ctx: Lower, inst: Inst, targets: Int32Array): boolean;
  /** Emits the entry block's argument definitions. */
  genArgs(ctx: Lower): void;
  /** Emits an unconditional jump to machine block `target`. */
  genJump(ctx: Lower, target: number): void;
  /** Register classes holding a value of `ty`, or undefined when unsupported. */
  regClasses(ty: Type): readonly RegClass[] | undefined;
  /** Names of the rules that could lower `opcode`, for error messages. */
  rulesFor(opcode: Opcode): readonly string[];
}

/**
 * Per-function tables of the lowering driver, kept by a compile context so
 * that successive functions reuse them (see context.ts): the block order,
 * the VCode builder and the value-to-register maps.
 */
export class LowerMemory {
  readonly order = new BlockLoweringOrder();
  readonly builder = new VCodeBuilder();
  valueReg = new Int32Array(64);
  valueReg2 = new Int32Array(64);
  valueUsed = new Uint8Array(64);

  /** Sizes and clears the value maps for `nv` values. */
  resetValues(nv: number): void {
    if (this.valueReg.length < nv) {
      const cap = Math.max(nv, this.valueReg.length * 2);
      this.valueReg = new Int32Array(cap);
      this.valueReg2 = new Int32Array(cap);
      this.valueUsed = new Uint8Array(cap);
    }
    this.valueReg.fill(-1, 0, nv);
    this.valueReg2.fill(-1, 0, nv);
    this.valueUsed.fill(0, 0, nv);
  }
}

export class Lower {
  readonly dfg: DataFlowGraph;
  readonly order: BlockLoweringOrder;
  readonly builder: VCodeBuilder;
  private readonly valueReg: Int32Array;
  private readonly valueReg2: Int32Array;
  private readonly valueUsed: Uint8Array;
  /**
   * Per try_call: the registers of its return values (`retN`, two for i128)
   * and exception payloads (`exnN`) as block arguments see them. Allocated on
   * first request (a successor's arguments are lowered before the call) and
   * aliased to the registers the call defines when it is lowered.
   */
  private tryCallRegs: Map<Inst, { rets: number[][]; exns: number[] }> | undefined;
  /** The CLIF instruction being lowered (NONE between instructions). */
  curInst: Inst = NONE as Inst;
  /** The machine block being lowered. */
  curBlock = 0;

  /**
   * `memory` (optional) supplies reusable tables; the VCode built from it is
   * valid until the memory lowers another function.
   */
  constructor(
    readonly func: Function,
    readonly backend: LowerBackend,
    memory: LowerMemory = new LowerMemory(),
  ) {
    this.dfg = func.dfg;
    this.order = memory.order;
    this.order.compute(func);
    this.builder = memory.builder;
    this.builder.reset(func, this.order);
    memory.resetValues(this.dfg.numValues());
    this.valueReg = memory.valueReg;
    this.valueReg2 = memory.valueReg2;
    this.valueUsed = memory.valueUsed;
  }

  // -------------------------------------------------------------------------
  // Values

  valueType(v: Value): Type {
    return this.dfg.valueTypeOf(v);
  }
  private ensureRegs(v0: Value): Value {
    const v = this.dfg.resolveAliases(v0);
    if (this.valueReg[v] >= 0) return v;
    const ty = this.dfg.valueType_(v);
    const classes = this.backend.regClasses(ty);
    if (classes === undefined) throw this.unsupported(`values of type ${typeName(ty)}`);
    this.valueReg[v] = this.builder.allocVreg(classes[0]);
    if (classes.length > 1) this.valueReg2[v] = this.builder.allocVreg(classes[1]);
    return v;
  }
  /** The (first) register of `v`; marks `v` as used so its definition is lowered. */
  putValueInReg(v0: Value): VReg {
    const v = this.ensureRegs(v0);
    this.valueUsed[v] = 1;
    return this.valueReg[v] as VReg;
  }
  /** Both registers of a two-register value (i128). */
  putValueInRegs(v0: Value): [VReg, VReg] {
    const v = this.ensureRegs(v0);
    this.valueUsed[v] = 1;
    return [this.valueReg[v] as VReg, this.valueReg2[v] as VReg];
  }
  isValueUsed(v: Value): boolean {
    return this.valueUsed[this.dfg.resolveAliases(v)] === 1;
  }
  /** The instruction defining `v`, or NONE for block parameters. */
  defInst(v: Value): Inst {
    return this.dfg.valueInst(this.dfg.resolveAliases(v));
  }
  allocTmp(cls: RegClass): VReg {
    return this.builder.allocVreg(cls);
  }
  /** Records that result `i` of the current instruction lives in `regs`. */
  setResult(i: number, r0: number, r1 = -1): void {
    const v = this.dfg.result(this.curInst, i);
    if (this.valueReg[v] >= 0) {
      this.builder.setAlias(this.valueReg[v] as VReg, r0);
      if (r1 >= 0 && this.valueReg2[v] >= 0) this.builder.setAlias(this.valueReg2[v] as VReg, r1);
    } else {
      this.valueReg[v] = r0;
      this.valueReg2[v] = r1;
    }
  }

  emit(op: number, r0: number, r1: number, r2: number, r3: number, i0: number, i1: number, i2: number, i3: number, aux?: unknown, flags = 0): void {
    this.builder.push(op, r0, r1, r2, r3, i0, i1, i2, i3, aux, flags);
  }

  /** A typed "unsupported" error naming the current CLIF instruction. */
  unsupported(what?: string): CodegenError {
    const inst = this.curInst;
    if (inst === (NONE as Inst)) return new CodegenError('unsupported', `unsupported: ${what ?? 'construct'} on ${this.backend.isaName}`);
    const op = this.dfg.opcode(inst) as Opcode;
    const ty = this.instType(inst);
    const rules = this.backend.rulesFor(op);
    const text = printInst(this.func, inst);
    const tried = rules.length > 0 ? `rules tried: ${rules.join(', ')}` : 'no rule lowers this opcode';
    return new CodegenError(
      'unsupported',
      `unsupported: ${opcodeName(op)} ${typeName(ty)} on ${this.backend.isaName}${what ? ` (${what})` : ''}: \`${text}\`; ${tried}`,
    );
  }

  /** The type an instruction is named by in errors: its controlling type or first result. */
  instType(inst: Inst): Type {
    const ct = this.dfg.ctrlType(inst);
    if (ct !== 0) return ct;
    if (this.dfg.numResults(inst) > 0) return this.dfg.valueTypeOf(this.dfg.result(inst, 0));
    if (this.dfg.numArgs(inst) > 0) return this.dfg.valueTypeOf(this.dfg.arg(inst, 0));
    return ct;
  }

  // -------------------------------------------------------------------------
  // The walk

  private needsLowering(inst: Inst): boolean {
    const op = this.dfg.opcode(inst) as Opcode;
    if (hasSideEffects(op)) return true;
    if (canLoad(op)) {
      const fmt = this.dfg.format(inst);
      if ((fmt === InstructionFormat.Load || fmt === InstructionFormat.LoadNoOffset) && MemFlags.trapCode(this.dfg.imm0(inst) as MemFlags) !== undefined)
        return true;
      if (fmt !== InstructionFormat.Load && fmt !== InstructionFormat.LoadNoOffset) return true;
    }
    const n = this.dfg.numResults(inst);
    for (let i = 0; i < n; i++) if (this.valueUsed[this.dfg.result(inst, i)] === 1) return true;
    return false;
  }

  private tryCallEntry(inst: Inst): { rets: number[][]; exns: number[] } {
    this.tryCallRegs ??= new Map();
    let e = this.tryCallRegs.get(inst);
    if (e === undefined) {
      e = { rets: [], exns: [] };
      this.tryCallRegs.set(inst, e);
    }
    return e;
  }
  /** The signature a try_call's `retN` values come from. */
  private tryCallRetType(inst: Inst, i: number): Type {
    const table = this.dfg.exceptionTables[this.dfg.imm1(inst)];
    const ret = this.dfg.signatures[table.sig]?.returns[i];
    if (ret === undefined) throw this.unsupported(`ret${i} of a call with fewer return values`);
    return ret.type;
  }
  /** Registers of `retN` (kind TryCallRet) or `exnN` of try_call `inst`, allocated on first request. */
  private tryCallArgRegs(inst: Inst, a: BlockArg): number[] {
    const e = this.tryCallEntry(inst);
    const i = BlockArg.index(a);
    if (BlockArg.kind(a) === BlockArgKind.TryCallRet) {
      if (e.rets[i] === undefined) {
        const classes = this.backend.regClasses(this.tryCallRetType(inst, i));
        if (classes === undefined) throw this.unsupported(`ret${i} of type ${typeName(this.tryCallRetType(inst, i))}`);
        e.rets[i] = classes.map((c) => this.builder.allocVreg(c));
      }
      return e.rets[i];
    }
    if (e.exns[i] === undefined) {
      // Exception payloads are pointer-sized integers.
      const classes = this.backend.regClasses(I64);
      if (classes === undefined) throw this.unsupported('exception payload registers');
      e.exns[i] = this.builder.allocVreg(classes[0]);
    }
    return [e.exns[i]];
  }
  /** Whether a successor of the current try_call passes its exception payload `i`. */
  isTryCallExnUsed(i: number): boolean {
    return this.tryCallRegs?.get(this.curInst)?.exns[i] !== undefined;
  }
  /** Records that return value `i` of the current try_call lives in `r0` (and `r1`). */
  setTryCallRet(i: number, r0: number, r1 = -1): void {
    const regs = this.tryCallRegs?.get(this.curInst)?.rets[i];
    if (regs === undefined) return;
    this.builder.setAlias(regs[0] as VReg, r0);
    if (regs.length > 1 && r1 >= 0) this.builder.setAlias(regs[1] as VReg, r1);
  }
  /** Records that exception payload `i` of the current try_call lives in `r`. */
  setTryCallExn(i: number, r: number): void {
    const reg = this.tryCallRegs?.get(this.curInst)?.exns[i];
    if (reg !== undefined) this.builder.setAlias(reg as VReg, r);
  }

  /** Appends the registers of a block call's arguments to the builder's current branch-argument list. */
  private addBranchArgs(term: Inst, bc: BlockCall): void {
    const dfg = this.dfg;
    const n = dfg.blockCallNumArgs(bc);
    for (let i = 0; i < n; i++) {
      const a = dfg.blockCallArg(bc, i);
      const v = BlockArg.asValue(a);
      if (v === undefined) {
        for (const r of this.tryCallArgRegs(term, a)) this.builder.addBranchArg(r);
        continue;
      }
      const r = this.putValueInReg(v);
      this.builder.addBranchArg(r);
      const r2 = this.valueReg2[dfg.resolveAliases(v)];
      if (r2 >= 0) this.builder.addBranchArg(r2);
    }
  }

  private paramRegs(block: number): VReg[] {
    const out: VReg[] = [];
    for (const p of this.dfg.blockParams(block as never)) {
      const v = this.ensureRegs(p);
      out.push(this.valueReg[v] as VReg);
      if (this.valueReg2[v] >= 0) out.push(this.valueReg2[v] as VReg);
    }
    return out;
  }

  /** Records block `b`'s parameter registers (CLIF block `irb`) with the builder. */
  private addBlockParams(b: number, irb: number): void {
    const dfg = this.dfg;
    const n = dfg.numBlockParams(irb as never);
    this.builder.startBlockParams(b);
    for (let i = 0; i < n; i++) {
      const v = this.ensureRegs(dfg.blockParam(irb as never, i));
      this.builder.addBlockParam(this.valueReg[v]);
      const r2 = this.valueReg2[v];
      if (r2 >= 0) this.builder.addBlockParam(r2);
    }
  }

  private lowerOne(inst: Inst): void {
    this.curInst = inst;
    try {
      if (!this.backend.lowerInst(this, inst)) throw this.unsupported();
    } catch (e) {
      throw this.wrap(e);
    }
    this.builder.finishIrInst(inst);
    this.curInst = NONE as Inst;
  }

  private wrap(e: unknown): unknown {
    if (e instanceof CodegenError) return e;
    if (e instanceof Error && /no rule matched|not supported|unsupported/i.test(e.message)) return this.unsupported(e.message);
    return e;
  }

  /** Lowers the whole function. */
  run(spec: VCodeSpec, abi: unknown): VCode {
    const { order, dfg, builder } = this;
    const layout = this.func.layout;
    for (let b = order.numBlocks - 1; b >= 0; b--) {
      this.curBlock = b;
      builder.startBlock();
      if (order.isEdge(b)) {
        const from = order.edgeFrom[b];
        const term = layout.lastInst(from as never);
        const bc = dfg.branchDestinations(term)[order.edgeSucc[b]];
        builder.startBranchArgs(b, 0);
        this.addBranchArgs(term, bc);
        this.backend.genJump(this, order.succs[order.succStart[b]]);
        builder.finishIrInst(-1);
      } else {
        const irb = order.irBlock[b];
        const term = layout.lastInst(irb as never);
        const op = dfg.opcode(term) as Opcode;
        if (isBranch(op)) {
          const succs = order.blockSuccs(b);
          const dests = dfg.branchDestinations(term);
          for (let k = 0; k < dests.length; k++) {
            builder.startBranchArgs(b, k);
            if (!order.isEdge(succs[k])) this.addBranchArgs(term, dests[k]);
          }
          this.curInst = term;
          try {
            if (!this.backend.lowerBranch(this, term, succs)) throw this.unsupported();
          } catch (e) {
            throw this.wrap(e);
          }
          builder.finishIrInst(term);
          this.curInst = NONE as Inst;
        } else {
          this.lowerOne(term);
        }
        for (let inst = layout.prevInst(term); inst !== (NONE as Inst); inst = layout.prevInst(inst)) {
          if (this.needsLowering(inst)) this.lowerOne(inst);
        }
        if (b === 0) {
          this.backend.genArgs(this);
          builder.finishIrInst(-1);
        } else {
          this.addBlockParams(b, irb);
        }
      }
      builder.finishBlock(b);
    }
    return builder.build(spec, abi);
  }

  /** Registers of the entry block's parameters, in order (two for i128). */
  entryParamRegs(): VReg[] {
    return this.paramRegs(this.order.irBlock[0]);
  }
}
