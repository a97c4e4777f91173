// VCode: a function's machine instructions over virtual registers, laid out
// in machine blocks (see blockorder.ts), as the register allocator sees it.
//
// Storage is columnar. Every instruction is an opcode, four register fields
// and four integer fields whose meaning the target fixes (its instruction
// table), plus an optional cold `aux` payload (call information, jump
// tables) kept in a side list. Register fields hold a regalloc `VReg` (>= 0)
// or a physical register as `-1 - preg`. Operands for the allocator are
// derived once, at `build`, by the target's `visitOperands`, and packed into
// a Float64Array of regalloc `Operand`s; beside each operand, `opInfo` keeps
// which register field it came from, so emission reads allocations back
// without visiting operands again.
//
// Lowering runs backward (uses before definitions, see lower.ts). The builder
// appends each CLIF instruction's machine instructions in forward order and
// then reverses that group in place, so the columns hold the whole function
// reversed; `build` reverses everything once more.
//
// Memory: a builder keeps its columns across functions (`reset`), and the
// VCode it builds is a view of them. A VCode is therefore valid until its
// builder is reset for the next function; a compile context that reuses
// one builder (see context.ts) documents the same for its `vcode`.
//
// Invariants after `build`:
//   - blocks cover instructions densely in order; each block's last
//     instruction is its only branch or return (flag bits Ret/Branch);
//   - register fields hold no aliased vreg (aliases are resolved);
//   - `instOperands(i)` lists the operands in the target's visiting order, so
//     allocation k of instruction i belongs to the k-th visited operand, and
//     `opInfo` of that operand names the field it fills (or none);
//   - every allocator question is answered from one flat column plus start
//     offsets (operands, clobbers, block parameters, branch arguments per
//     edge slot, successors, predecessors), so the allocator's optional bulk
//     accessors (`allInstOperands`, ...) hand it those columns whole and the
//     per-item methods are views of the same data.

import type { Function } from '@clift/ir';
import {
  InstFlag,
  OperandPos,
  def,
  operand,
  OperandKind,
  use,
  vreg as makeVReg,
  vregClass,
  vregIndex,
  type Block as RaBlock,
  type FlatLists,
  type Inst as RaInst,
  type Operand,
  type PReg,
  type RegallocFunction,
  type RegClass,
  type VReg,
} from '@clift/regalloc';
import { BlockLoweringOrder } from './blockorder.js';
import { grow } from './grow.js';

/** One instruction's fields, as the target interprets them. */
export interface InstRecord {
  op: number;
  r0: number;
  r1: number;
  r2: number;
  r3: number;
  i0: number;
  i1: number;
  i2: number;
  i3: number;
  aux: unknown;
}

/** What the allocator sees of one instruction; visiting order is significant. */
export interface OperandVisitor {
  /** Register field `slot` (0..3) is read early, in a register. */
  use(slot: number): void;
  /** Field `slot` is written late (after all reads). */
  def(slot: number): void;
  /** Field `slot` is written early: it must not share a register with any use. */
  earlyDef(slot: number): void;
  /** Field `slot` is written and gets the register of operand number `input`. */
  reuseDef(slot: number, input: number): void;
  fixedUse(v: VReg, p: PReg): void;
  fixedDef(v: VReg, p: PReg): void;
  /** Registers the instruction destroys; several calls add up. */
  clobbers(regs: readonly PReg[]): void;
}

/** The target's instruction facts VCode needs. */
export interface VCodeSpec {
  visitOperands(m: InstRecord, v: OperandVisitor): void;
}

/** Instruction flag bits; the allocator's `InstFlag` values, so `allInstFlags` hands it the column as is. */
export const InstFlags = InstFlag;

/**
 * Per operand (`VCode.opInfo`): bits 0-2 the register field it fills (0..3),
 * or `OP_NO_FIELD` for a fixed-register operand, which has no field; bit 3
 * set for a definition.
 */
export const OP_FIELD_MASK = 7;
export const OP_NO_FIELD = 7;
export const OP_DEF = 8;

const EMPTY_PREGS: readonly PReg[] = [];

// Packed operands are `constraint-and-kind * 2^32 + vreg` (regalloc's layout),
// so the common shapes are a constant plus the vreg.
const USE_REG = use(0 as VReg) as number;
const DEF_REG = def(0 as VReg) as number;
const EARLY_DEF_REG = operand(0 as VReg, { kind: 'reg' }, OperandKind.Def, OperandPos.Early) as number;

export class VCode implements RegallocFunction {
  /** @internal Filled by `VCodeBuilder.build`. */
  constructor(
    readonly func: Function,
    readonly order: BlockLoweringOrder,
    private readonly n: number,
    readonly opc: Uint16Array,
    readonly regs: Int32Array,
    readonly imms: Int32Array,
    readonly flags: Uint8Array,
    /** CLIF instruction each machine instruction came from (-1 for none). */
    readonly srcInst: Int32Array,
    /** Per instruction: index into `auxList`, or -1. */
    readonly auxIdx: Int32Array,
    readonly auxList: readonly unknown[],
    /** Per machine block b: its first instruction; `blockStart[numBlocks]` is the instruction count. */
    readonly blockStart: Int32Array,
    private readonly paramStart: Int32Array,
    private readonly params: Int32Array,
    /** Branch arguments per (block, successor) slot: slot s = succStart[b] + k. */
    private readonly argStart: Int32Array,
    private readonly args: Int32Array,
    readonly opStart: Int32Array,
    readonly operands: Float64Array,
    /** Per operand: its field and kind (OP_FIELD_MASK, OP_DEF). */
    readonly opInfo: Uint8Array,
    /** Clobbered registers per instruction: inst i's are `clobs[clobStart[i]]` up to `clobs[clobStart[i + 1]]`. */
    private readonly clobStart: Int32Array,
    private readonly clobs: Int32Array,
    private readonly nVregs: number,
    /** Target-specific per-function data (ABI state). */
    readonly abi: unknown,
  ) {}

  numInsts(): number {
    return this.n;
  }
  numBlocks(): number {
    return this.order.numBlocks;
  }
  entryBlock(): RaBlock {
    return 0 as RaBlock;
  }
  blockInsts(b: RaBlock): readonly [RaInst, RaInst] {
    return [this.blockStart[b] as RaInst, this.blockStart[b + 1] as RaInst];
  }
  blockSuccs(b: RaBlock): ArrayLike<RaBlock> {
    return this.order.blockSuccs(b) as unknown as ArrayLike<RaBlock>;
  }
  blockPreds(b: RaBlock): ArrayLike<RaBlock> {
    return this.order.blockPreds(b) as unknown as ArrayLike<RaBlock>;
  }
  blockParams(b: RaBlock): ArrayLike<VReg> {
    return this.params.subarray(this.paramStart[b], this.paramStart[b + 1]) as unknown as ArrayLike<VReg>;
  }
  isRet(i: RaInst): boolean {
    return (this.flags[i] & InstFlags.Ret) !== 0;
  }
  isBranch(i: RaInst): boolean {
    return (this.flags[i] & InstFlags.Branch) !== 0;
  }
  isMove(i: RaInst): boolean {
    return (this.flags[i] & InstFlags.Move) !== 0;
  }
  branchBlockParams(b: RaBlock, _inst: RaInst, k: number): ArrayLike<VReg> {
    const s = this.order.succStart[b] + k;
    return this.args.subarray(this.argStart[s], this.argStart[s + 1]) as unknown as ArrayLike<VReg>;
  }
  instOperands(i: RaInst): ArrayLike<Operand> {
    return this.operands.subarray(this.opStart[i], this.opStart[i + 1]) as unknown as ArrayLike<Operand>;
  }
  instClobbers(i: RaInst): ArrayLike<PReg> {
    const c0 = this.clobStart[i];
    const c1 = this.clobStart[i + 1];
    return c0 === c1 ? EMPTY_PREGS : (this.clobs.subarray(c0, c1) as unknown as ArrayLike<PReg>);
  }
  // The allocator's bulk accessors: the columns themselves (one call per
  // function instead of a view per instruction or block). They may be longer
  // than this function (builder memory); the allocator reads only the prefix.
  allBlockInsts(): ArrayLike<number> {
    return this.blockStart;
  }
  allBlockSuccs(): FlatLists<RaBlock> {
    return { items: this.order.succs as unknown as ArrayLike<RaBlock>, starts: this.order.succStart };
  }
  allBlockPreds(): FlatLists<RaBlock> {
    return { items: this.order.preds as unknown as ArrayLike<RaBlock>, starts: this.order.predStart };
  }
  allBlockParams(): FlatLists<VReg> {
    return { items: this.params as unknown as ArrayLike<VReg>, starts: this.paramStart };
  }
  /** Edge slots are `order.succStart[b] + k`, the allocator's edge numbering. */
  allBranchBlockParams(): FlatLists<VReg> {
    return { items: this.args as unknown as ArrayLike<VReg>, starts: this.argStart };
  }
  /** `InstFlags` has the allocator's `InstFlag` bit values. */
  allInstFlags(): ArrayLike<number> {
    return this.flags;
  }
  allInstOperands(): FlatLists<Operand> {
    return { items: this.operands as unknown as ArrayLike<Operand>, starts: this.opStart };
  }
  allInstClobbers(): FlatLists<PReg> {
    return { items: this.clobs as unknown as ArrayLike<PReg>, starts: this.clobStart };
  }
  numVregs(): number {
    return this.nVregs;
  }
  spillslotSize(cls: RegClass): number {
    // 8-byte units: integers take one, float/vector registers two (a full q register).
    return cls === 0 ? 1 : 2;
  }
  /** Total operands over all instructions. */
  numOperands(): number {
    return this.opStart[this.n];
  }

  /** The cold payload of instruction `i`, if any. */
  aux(i: number): unknown {
    const a = this.auxIdx[i];
    return a < 0 ? undefined : this.auxList[a];
  }

  /** Fills `m` with instruction `i`'s fields. */
  read(i: number, m: InstRecord): void {
    m.op = this.opc[i];
    const r = i * 4;
    const regs = this.regs;
    const imms = this.imms;
    m.r0 = regs[r];
    m.r1 = regs[r + 1];
    m.r2 = regs[r + 2];
    m.r3 = regs[r + 3];
    m.i0 = imms[r];
    m.i1 = imms[r + 1];
    m.i2 = imms[r + 2];
    m.i3 = imms[r + 3];
    const a = this.auxIdx[i];
    m.aux = a < 0 ? undefined : this.auxList[a];
  }
}

/**
 * Packs operands while `build` visits each instruction: one instance per
 * builder, so the target's `visitOperands` always calls the same shape.
 */
class OperandCollector implements OperandVisitor {
  ops = new Float64Array(256);
  info = new Uint8Array(256);
  n = 0;
  /** Register fields of the instruction being visited. */
  regs: Int32Array = new Int32Array(0);
  base = 0;
  /** Clobbered registers of all instructions so far, flat; `build` records where each instruction's list starts. */
  clobs = new Int32Array(64);
  nClobs = 0;
  constructor(private readonly resolveReg: (r: number) => number) {}

  private push(o: number, info: number): void {
    if (this.n === this.ops.length) {
      this.ops = grow(this.ops, this.n + 1);
      this.info = grow(this.info, this.n + 1);
    }
    this.ops[this.n] = o;
    this.info[this.n++] = info;
  }
  use(slot: number): void {
    const r = this.regs[this.base + slot];
    if (r >= 0) this.push(USE_REG + r, slot);
  }
  def(slot: number): void {
    const r = this.regs[this.base + slot];
    if (r >= 0) this.push(DEF_REG + r, slot | OP_DEF);
  }
  earlyDef(slot: number): void {
    const r = this.regs[this.base + slot];
    if (r >= 0) this.push(EARLY_DEF_REG + r, slot | OP_DEF);
  }
  reuseDef(slot: number, input: number): void {
    const r = this.regs[this.base + slot];
    if (r >= 0) this.push(operand(r as VReg, { kind: 'reuse', input }, OperandKind.Def, OperandPos.Late), slot | OP_DEF);
  }
  fixedUse(v: VReg, p: PReg): void {
    this.push(use(this.resolveReg(v) as VReg, { kind: 'fixed', preg: p }), OP_NO_FIELD);
  }
  fixedDef(v: VReg, p: PReg): void {
    this.push(def(v, { kind: 'fixed', preg: p }), OP_NO_FIELD | OP_DEF);
  }
  clobbers(list: readonly PReg[]): void {
    const n = list.length;
    if (this.nClobs + n > this.clobs.length) this.clobs = grow(this.clobs, this.nClobs + n);
    for (let k = 0; k < n; k++) this.clobs[this.nClobs++] = list[k];
  }
}

/**
 * Collects machine instructions while lowering runs backward over the
 * function. See the module header for the order conventions; `reset`
 * starts a new function in the same memory.
 */
export class VCodeBuilder {
  private func!: Function;
  private order!: BlockLoweringOrder;
  // Instruction columns: reversed while lowering, forward after `build`.
  private opc = new Uint16Array(64);
  private regs = new Int32Array(256);
  private imms = new Int32Array(256);
  private flagCol = new Uint8Array(64);
  private src = new Int32Array(64);
  private auxIdx = new Int32Array(64);
  private auxList: unknown[] = [];
  private n = 0;
  /** Start of the current CLIF instruction's group. */
  private groupStart = 0;
  /** Per machine block: [start, end) in the reversed columns. */
  private revStart = new Int32Array(16);
  private revEnd = new Int32Array(16);
  private blockOpenAt = 0;
  // Block parameters and branch arguments, as [start, start + len) ranges of a pool.
  private pool = new Int32Array(64);
  private poolLen = 0;
  private paramAt = new Int32Array(16);
  private paramLen = new Int32Array(16);
  private argAt = new Int32Array(16);
  private argLen = new Int32Array(16);
  /** Branch-argument slot being filled by `addBranchArg`. */
  private argSlot = -1;
  /** Block whose parameters `addBlockParam` appends to. */
  private paramBlock = -1;
  // Virtual registers: alias target per index (-1: none).
  private vregAlias = new Int32Array(64);
  private nextVreg = 0;
  // Build outputs.
  private blockStart = new Int32Array(17);
  private paramStart = new Int32Array(17);
  private params = new Int32Array(16);
  private argStart = new Int32Array(17);
  private args = new Int32Array(16);
  private opStart = new Int32Array(65);
  private clobStart = new Int32Array(65);
  private readonly collector = new OperandCollector((r) => this.resolve(r));

  constructor(func?: Function, order?: BlockLoweringOrder) {
    if (func !== undefined) this.reset(func, order ?? new BlockLoweringOrder(func));
  }

  /** Starts a new function (forgetting the previous one and any VCode built from it). */
  reset(func: Function, order: BlockLoweringOrder): void {
    this.func = func;
    this.order = order;
    this.n = 0;
    this.groupStart = 0;
    this.auxList = [];
    this.poolLen = 0;
    this.argSlot = -1;
    this.paramBlock = -1;
    this.nextVreg = 0;
    this.blockOpenAt = 0;
    const nb = order.numBlocks;
    const ns = order.succStart[nb];
    if (this.revStart.length < nb) {
      this.revStart = new Int32Array(nb * 2);
      this.revEnd = new Int32Array(nb * 2);
      this.paramAt = new Int32Array(nb * 2);
      this.paramLen = new Int32Array(nb * 2);
    }
    // revStart/revEnd are set for every block as it is lowered.
    this.paramLen.fill(0, 0, nb);
    if (this.argAt.length < ns) {
      this.argAt = new Int32Array(ns * 2);
      this.argLen = new Int32Array(ns * 2);
    }
    this.argLen.fill(0, 0, ns);
  }

  allocVreg(cls: RegClass): VReg {
    const idx = this.nextVreg++;
    if (idx === this.vregAlias.length) this.vregAlias = grow(this.vregAlias, idx + 1);
    this.vregAlias[idx] = -1;
    return makeVReg(idx, cls);
  }
  numVregs(): number {
    return this.nextVreg;
  }
  /** Makes every reference to `from` mean `to` (resolved at build). */
  setAlias(from: VReg, to: number): void {
    if (to === from) return;
    this.vregAlias[vregIndex(from)] = to;
  }
  /**
   * Follows alias links from `r` to the vreg it stands for. Indices past
   * the vregs allocated so far are unaliased, and a cycle is a bug reported
   * as such rather than a spin.
   */
  resolve(r: number): number {
    let cur = r;
    const alias = this.vregAlias;
    const nv = this.nextVreg;
    for (let steps = 0; cur >= 0; steps++) {
      const idx = vregIndex(cur as VReg);
      if (idx >= nv) return cur;
      const a = alias[idx];
      if (a === -1) return cur;
      if (steps > nv) throw new Error(`vreg alias cycle through v${idx}`);
      cur = a;
    }
    return cur;
  }

  /** Appends an instruction to the current CLIF instruction's group. */
  push(op: number, r0: number, r1: number, r2: number, r3: number, i0: number, i1: number, i2: number, i3: number, aux: unknown, flags: number): void {
    const i = this.n;
    if (i === this.opc.length) this.growInsts(i + 1);
    this.opc[i] = op;
    const f = i * 4;
    const regs = this.regs;
    regs[f] = r0;
    regs[f + 1] = r1;
    regs[f + 2] = r2;
    regs[f + 3] = r3;
    const imms = this.imms;
    imms[f] = i0;
    imms[f + 1] = i1;
    imms[f + 2] = i2;
    imms[f + 3] = i3;
    this.flagCol[i] = flags;
    if (aux === undefined) this.auxIdx[i] = -1;
    else {
      this.auxIdx[i] = this.auxList.length;
      this.auxList.push(aux);
    }
    this.n = i + 1;
  }

  private growInsts(need: number): void {
    this.opc = grow(this.opc, need);
    this.regs = grow(this.regs, this.opc.length * 4);
    this.imms = grow(this.imms, this.opc.length * 4);
    this.flagCol = grow(this.flagCol, this.opc.length);
    this.src = grow(this.src, this.opc.length);
    this.auxIdx = grow(this.auxIdx, this.opc.length);
  }

  /** Ends the current group, attributed to CLIF instruction `srcInst` (reversing it in place). */
  finishIrInst(srcInst: number): void {
    const start = this.groupStart;
    const end = this.n;
    const src = this.src;
    for (let i = start; i < end; i++) src[i] = srcInst;
    if (end - start > 1) this.reverseRange(start, end);
    this.groupStart = end;
  }

  /** Reverses instructions [start, end) of every column. */
  private reverseRange(start: number, end: number): void {
    const { opc, regs, imms, flagCol, src, auxIdx } = this;
    for (let a = start, b = end - 1; a < b; a++, b--) {
      let t: number = opc[a];
      opc[a] = opc[b];
      opc[b] = t;
      t = flagCol[a];
      flagCol[a] = flagCol[b];
      flagCol[b] = t;
      t = src[a];
      src[a] = src[b];
      src[b] = t;
      t = auxIdx[a];
      auxIdx[a] = auxIdx[b];
      auxIdx[b] = t;
      const fa = a * 4;
      const fb = b * 4;
      for (let k = 0; k < 4; k++) {
        t = regs[fa + k];
        regs[fa + k] = regs[fb + k];
        regs[fb + k] = t;
        t = imms[fa + k];
        imms[fa + k] = imms[fb + k];
        imms[fb + k] = t;
      }
    }
  }

  /** Starts machine block `b` (blocks are visited in reverse order). */
  startBlock(): void {
    this.blockOpenAt = this.n;
    this.groupStart = this.n;
  }
  finishBlock(b: number): void {
    this.revStart[b] = this.blockOpenAt;
    this.revEnd[b] = this.n;
  }

  private poolPush(v: number): void {
    if (this.poolLen === this.pool.length) this.pool = grow(this.pool, this.poolLen + 1);
    this.pool[this.poolLen++] = v;
  }
  setBlockParams(b: number, params: readonly VReg[]): void {
    this.startBlockParams(b);
    for (const p of params) this.addBlockParam(p);
  }
  /** Starts the parameter list of block `b`; `addBlockParam` appends to it. */
  startBlockParams(b: number): void {
    this.paramAt[b] = this.poolLen;
    this.paramLen[b] = 0;
    this.paramBlock = b;
  }
  addBlockParam(r: number): void {
    this.poolPush(r);
    this.paramLen[this.paramBlock]++;
  }
  /** Arguments that block `b`'s terminator passes to its k-th successor. */
  setBranchArgs(b: number, k: number, args: readonly VReg[]): void {
    this.startBranchArgs(b, k);
    for (const a of args) this.addBranchArg(a);
  }
  /** Starts the argument list block `b` passes to its k-th successor; `addBranchArg` appends. */
  startBranchArgs(b: number, k: number): void {
    const s = this.order.succStart[b] + k;
    this.argSlot = s;
    this.argAt[s] = this.poolLen;
    this.argLen[s] = 0;
  }
  addBranchArg(r: number): void {
    this.poolPush(r);
    this.argLen[this.argSlot]++;
  }

  build(spec: VCodeSpec, abi: unknown): VCode {
    const n = this.n;
    // Reverse once more: forward order.
    if (n > 1) this.reverseRange(0, n);
    const { opc, regs, imms } = this;
    // Resolve aliases in register fields (most fields name an unaliased vreg).
    const nf = n * 4;
    const alias = this.vregAlias;
    const nv = this.nextVreg;
    for (let k = 0; k < nf; k++) {
      const r = regs[k];
      if (r < 0) continue;
      const idx = vregIndex(r as VReg);
      if (idx < nv && alias[idx] !== -1) regs[k] = this.resolve(r);
    }
    const nb = this.order.numBlocks;
    if (this.blockStart.length < nb + 1) {
      this.blockStart = new Int32Array(2 * nb + 1);
      this.paramStart = new Int32Array(2 * nb + 1);
    }
    const blockStart = this.blockStart;
    for (let b = 0; b < nb; b++) blockStart[b] = n - this.revEnd[b];
    blockStart[nb] = n;
    // Block parameters and branch arguments, in block / slot order.
    const paramStart = this.paramStart;
    let np = 0;
    for (let b = 0; b < nb; b++) np += this.paramLen[b];
    this.params = grow(this.params, np);
    const params = this.params;
    let at = 0;
    for (let b = 0; b < nb; b++) {
      paramStart[b] = at;
      const from = this.paramAt[b];
      for (let k = 0; k < this.paramLen[b]; k++) params[at++] = this.resolve(this.pool[from + k]);
    }
    paramStart[nb] = at;
    const ns = this.order.succStart[nb];
    this.argStart = grow(this.argStart, ns + 1);
    let na = 0;
    for (let s = 0; s < ns; s++) na += this.argLen[s];
    this.args = grow(this.args, na);
    const argStart = this.argStart;
    const args = this.args;
    at = 0;
    for (let s = 0; s < ns; s++) {
      argStart[s] = at;
      const from = this.argAt[s];
      for (let k = 0; k < this.argLen[s]; k++) args[at++] = this.resolve(this.pool[from + k]);
    }
    argStart[ns] = at;
    // Operands, in the target's visiting order.
    this.opStart = grow(this.opStart, n + 1);
    this.clobStart = grow(this.clobStart, n + 1);
    const opStart = this.opStart;
    const clobStart = this.clobStart;
    const c = this.collector;
    c.n = 0;
    c.regs = regs;
    c.nClobs = 0;
    const m: InstRecord = { op: 0, r0: 0, r1: 0, r2: 0, r3: 0, i0: 0, i1: 0, i2: 0, i3: 0, aux: undefined };
    const auxIdx = this.auxIdx;
    const auxList = this.auxList;
    for (let i = 0; i < n; i++) {
      opStart[i] = c.n;
      const r = i * 4;
      c.base = r;
      clobStart[i] = c.nClobs;
      m.op = opc[i];
      m.r0 = regs[r];
      m.r1 = regs[r + 1];
      m.r2 = regs[r + 2];
      m.r3 = regs[r + 3];
      m.i0 = imms[r];
      m.i1 = imms[r + 1];
      m.i2 = imms[r + 2];
      m.i3 = imms[r + 3];
      const a = auxIdx[i];
      m.aux = a < 0 ? undefined : auxList[a];
      spec.visitOperands(m, c);
    }
    opStart[n] = c.n;
    clobStart[n] = c.nClobs;
    return new VCode(
      this.func, this.order, n, opc, regs, imms, this.flagCol, this.src, auxIdx, auxList, blockStart,
      paramStart, params, argStart, args, opStart, c.ops, c.info, clobStart, c.clobs, this.nextVreg, abi,
    );
  }
}

export { vregClass, vregIndex };
