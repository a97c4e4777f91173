// VCode: a function's machine instructions over virtual registers, laid out
// in machine blocks (see blockorder.ts), as the register allocator sees it.
//
// Storage is columnar. Every instruction is an opcode, four register fields
// and four integer fields whose meaning the target fixes (its instruction
// table), plus an optional cold `aux` payload (call information, jump
// tables). Register fields hold a regalloc `VReg` (>= 0) or a physical
// register as `-1 - preg`. Operands for the allocator are derived once, at
// `build`, by the target's `visitOperands`, and packed into a Float64Array of
// regalloc `Operand`s.
//
// Lowering runs backward (uses before definitions, see lower.ts), so the
// builder collects each CLIF instruction's machine instructions in order,
// appends them reversed, and `build` reverses everything once.
//
// Invariants after `build`:
//   - blocks cover instructions densely in order; each block's last
//     instruction is its only branch or return (flag bits Ret/Branch);
//   - register fields hold no aliased vreg (aliases are resolved);
//   - `instOperands(i)` lists the operands in the target's visiting order, so
//     allocation k of instruction i belongs to the k-th visited operand.

import type { Function } from '@clift/ir';
import {
  OperandPos,
  def,
  operand,
  OperandKind,
  use,
  vreg as makeVReg,
  vregClass,
  vregIndex,
  type Block as RaBlock,
  type Inst as RaInst,
  type Operand,
  type PReg,
  type RegallocFunction,
  type RegClass,
  type VReg,
} from '@clift/regalloc';
import type { BlockLoweringOrder } from './blockorder.js';

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
  clobbers(regs: readonly PReg[]): void;
}

/** The target's instruction facts VCode needs. */
export interface VCodeSpec {
  visitOperands(m: InstRecord, v: OperandVisitor): void;
}

export const InstFlags = { Ret: 1, Branch: 2, Move: 4 } as const;

const EMPTY_PREGS: readonly PReg[] = [];

class GrowI32 {
  data: Int32Array;
  length = 0;
  constructor(cap = 64) {
    this.data = new Int32Array(cap);
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

export class VCode implements RegallocFunction {
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
    readonly aux: Map<number, unknown>,
    readonly blockStart: Int32Array,
    private readonly blockRanges: (readonly [RaInst, RaInst])[],
    private readonly paramStart: Int32Array,
    private readonly params: Int32Array,
    /** Branch arguments per (block, successor) slot: slot s = succStart[b] + k. */
    private readonly argStart: Int32Array,
    private readonly args: Int32Array,
    readonly opStart: Int32Array,
    readonly operands: Float64Array,
    private readonly clobberMap: Map<number, readonly PReg[]>,
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
    return this.blockRanges[b];
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
    return this.clobberMap.get(i) ?? EMPTY_PREGS;
  }
  numVregs(): number {
    return this.nVregs;
  }
  spillslotSize(cls: RegClass): number {
    // 8-byte units: integers take one, float/vector registers two (a full q register).
    return cls === 0 ? 1 : 2;
  }

  /** Fills `m` with instruction `i`'s fields. */
  read(i: number, m: InstRecord): void {
    m.op = this.opc[i];
    const r = i * 4;
    m.r0 = this.regs[r];
    m.r1 = this.regs[r + 1];
    m.r2 = this.regs[r + 2];
    m.r3 = this.regs[r + 3];
    m.i0 = this.imms[r];
    m.i1 = this.imms[r + 1];
    m.i2 = this.imms[r + 2];
    m.i3 = this.imms[r + 3];
    m.aux = this.aux.get(i);
  }
}

/**
 * Collects machine instructions while lowering runs backward over the
 * function. See the module header for the order conventions.
 */
export class VCodeBuilder {
  // Current CLIF instruction's machine instructions, in forward order.
  private gOp: number[] = [];
  private gF: number[] = [];
  private gAux: unknown[] = [];
  // Main columns, in reverse order.
  private readonly op = new GrowI32();
  private readonly fields = new GrowI32(512);
  private readonly flagCol = new GrowI32();
  private readonly src = new GrowI32();
  private readonly auxRev = new Map<number, unknown>();
  /** Per machine block: [start, end) in the reversed columns. */
  private readonly revStart: Int32Array;
  private readonly revEnd: Int32Array;
  private readonly blockParamLists: (readonly VReg[])[];
  private readonly branchArgLists: (readonly VReg[])[];
  private vregAlias = new GrowI32();
  private nextVreg = 0;
  private blockOpenAt = 0;

  constructor(
    private readonly func: Function,
    private readonly order: BlockLoweringOrder,
  ) {
    this.revStart = new Int32Array(order.numBlocks);
    this.revEnd = new Int32Array(order.numBlocks);
    this.blockParamLists = Array.from({ length: order.numBlocks }, () => []);
    this.branchArgLists = Array.from({ length: order.succs.length }, () => []);
  }

  allocVreg(cls: RegClass): VReg {
    const idx = this.nextVreg++;
    this.vregAlias.push(-1);
    return makeVReg(idx, cls);
  }
  numVregs(): number {
    return this.nextVreg;
  }
  /** Makes every reference to `from` mean `to` (resolved at build). */
  setAlias(from: VReg, to: number): void {
    if (to === from) return;
    this.vregAlias.data[vregIndex(from)] = to;
  }
  /**
   * Follows alias links from `r` to the vreg it stands for. Indices past
   * the vregs allocated so far are unaliased (the backing store beyond
   * `length` is zero-filled, which would read as an alias of v0), and a
   * cycle is a bug reported as such rather than a spin.
   */
  resolve(r: number): number {
    let cur = r;
    for (let steps = 0; cur >= 0; steps++) {
      const idx = vregIndex(cur as VReg);
      if (idx >= this.vregAlias.length) return cur;
      const a = this.vregAlias.data[idx];
      if (a === -1) return cur;
      if (steps > this.vregAlias.length) throw new Error(`vreg alias cycle through v${idx}`);
      cur = a;
    }
    return cur;
  }

  /** Appends an instruction to the current CLIF instruction's group. */
  push(op: number, r0: number, r1: number, r2: number, r3: number, i0: number, i1: number, i2: number, i3: number, aux: unknown, flags: number): void {
    this.gOp.push(op);
    this.gF.push(r0, r1, r2, r3, i0, i1, i2, i3, flags);
    this.gAux.push(aux);
  }

  /** Moves the current group into the function, attributed to CLIF instruction `srcInst`. */
  finishIrInst(srcInst: number): void {
    for (let k = this.gOp.length - 1; k >= 0; k--) {
      const at = this.op.length;
      this.op.push(this.gOp[k]);
      const f = k * 9;
      for (let j = 0; j < 8; j++) this.fields.push(this.gF[f + j]);
      this.flagCol.push(this.gF[f + 8]);
      this.src.push(srcInst);
      if (this.gAux[k] !== undefined) this.auxRev.set(at, this.gAux[k]);
    }
    this.gOp.length = 0;
    this.gF.length = 0;
    this.gAux.length = 0;
  }

  /** Starts machine block `b` (blocks are visited in reverse order). */
  startBlock(): void {
    this.blockOpenAt = this.op.length;
  }
  finishBlock(b: number): void {
    this.revStart[b] = this.blockOpenAt;
    this.revEnd[b] = this.op.length;
  }
  setBlockParams(b: number, params: readonly VReg[]): void {
    this.blockParamLists[b] = params;
  }
  /** Arguments that block `b`'s terminator passes to its k-th successor. */
  setBranchArgs(b: number, k: number, args: readonly VReg[]): void {
    this.branchArgLists[this.order.succStart[b] + k] = args;
  }

  build(spec: VCodeSpec, abi: unknown): VCode {
    const n = this.op.length;
    const opc = new Uint16Array(n);
    const regs = new Int32Array(n * 4);
    const imms = new Int32Array(n * 4);
    const flags = new Uint8Array(n);
    const srcInst = new Int32Array(n);
    const aux = new Map<number, unknown>();
    const F = this.fields.data;
    for (let i = 0; i < n; i++) {
      const j = n - 1 - i;
      opc[i] = this.op.data[j];
      for (let k = 0; k < 4; k++) {
        const r = F[j * 8 + k];
        regs[i * 4 + k] = r >= 0 ? this.resolve(r) : r;
        imms[i * 4 + k] = F[j * 8 + 4 + k];
      }
      flags[i] = this.flagCol.data[j];
      srcInst[i] = this.src.data[j];
      const a = this.auxRev.get(j);
      if (a !== undefined) aux.set(i, a);
    }
    const nb = this.order.numBlocks;
    const blockStart = new Int32Array(nb + 1);
    const blockRanges: (readonly [RaInst, RaInst])[] = [];
    for (let b = 0; b < nb; b++) {
      blockStart[b] = n - this.revEnd[b];
      blockRanges.push([(n - this.revEnd[b]) as RaInst, (n - this.revStart[b]) as RaInst]);
    }
    blockStart[nb] = n;
    const paramStart = new Int32Array(nb + 1);
    const params = new GrowI32();
    for (let b = 0; b < nb; b++) {
      for (const p of this.blockParamLists[b]) params.push(this.resolve(p));
      paramStart[b + 1] = params.length;
    }
    const ns = this.branchArgLists.length;
    const argStart = new Int32Array(ns + 1);
    const args = new GrowI32();
    for (let s = 0; s < ns; s++) {
      for (const a of this.branchArgLists[s]) args.push(this.resolve(a));
      argStart[s + 1] = args.length;
    }
    // Operands, in the target's visiting order.
    const opStart = new Int32Array(n + 1);
    let ops = new Float64Array(Math.max(16, n * 3));
    let nops = 0;
    const clobberMap = new Map<number, readonly PReg[]>();
    const pushOp = (o: Operand): void => {
      if (nops === ops.length) {
        const d = new Float64Array(ops.length * 2);
        d.set(ops);
        ops = d;
      }
      ops[nops++] = o;
    };
    const m: InstRecord = { op: 0, r0: 0, r1: 0, r2: 0, r3: 0, i0: 0, i1: 0, i2: 0, i3: 0, aux: undefined };
    let cur = 0;
    const field = (slot: number): number => regs[cur * 4 + slot];
    const visitor: OperandVisitor = {
      use: (slot) => {
        const r = field(slot);
        if (r >= 0) pushOp(use(r as VReg));
      },
      def: (slot) => {
        const r = field(slot);
        if (r >= 0) pushOp(def(r as VReg));
      },
      earlyDef: (slot) => {
        const r = field(slot);
        if (r >= 0) pushOp(operand(r as VReg, { kind: 'reg' }, OperandKind.Def, OperandPos.Early));
      },
      reuseDef: (slot, input) => {
        const r = field(slot);
        if (r >= 0) pushOp(operand(r as VReg, { kind: 'reuse', input }, OperandKind.Def, OperandPos.Late));
      },
      fixedUse: (v, p) => pushOp(use(this.resolve(v) as VReg, { kind: 'fixed', preg: p })),
      fixedDef: (v, p) => pushOp(def(v, { kind: 'fixed', preg: p })),
      clobbers: (list) => {
        if (list.length > 0) clobberMap.set(cur, list);
      },
    };
    for (let i = 0; i < n; i++) {
      cur = i;
      opStart[i] = nops;
      const r = i * 4;
      m.op = opc[i];
      m.r0 = regs[r];
      m.r1 = regs[r + 1];
      m.r2 = regs[r + 2];
      m.r3 = regs[r + 3];
      m.i0 = imms[r];
      m.i1 = imms[r + 1];
      m.i2 = imms[r + 2];
      m.i3 = imms[r + 3];
      m.aux = aux.get(i);
      spec.visitOperands(m, visitor);
    }
    opStart[n] = nops;
    return new VCode(
      this.func, this.order, n, opc, regs, imms, flags, srcInst, aux, blockStart, blockRanges,
      paramStart, params.toArray(), argStart, args.toArray(), opStart, ops.slice(0, nops), clobberMap, this.nextVreg, abi,
    );
  }
}

export { vregClass, vregIndex };
