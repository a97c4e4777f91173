// @clift/regalloc/fuzzing: random functions that are valid by construction,
// for fuzzing allocators and checkers (this package's tests, a client's own
// fuzzers). Owns: a data-backed `RegallocFunction` (`DataFunction`), a
// wrapper adding the optional bulk accessors to any function
// (`withBulkAccessors`), a seeded generator (`generateFunction`), a matching
// machine (`fuzzMachine`) and a fast-check arbitrary over both. It never
// allocates.
//
// Invariants of generated input: blocks are reachable from the entry, there
// are no critical edges (they are split with jump blocks), every use is
// dominated by its definition, branch arguments match parameters, and each
// instruction's register operands fit the machine (so a correct allocator
// never fails with TooManyLiveRegs). The same seed and options always give the
// same function.

// Type-only: the arbitrary below takes the caller's fast-check, so this package has no
// runtime dependency on it.
import type { Arbitrary } from 'fast-check';

/** The part of the fast-check module `arbFunction` needs. */
export interface FastCheckLike {
  integer(c: { min: number; max: number }): Arbitrary<number>;
}
import {
  operand,
  OperandKind,
  OperandPos,
  preg,
  RegClass,
  vreg,
  vregClass,
  type Block,
  type FlatLists,
  type Inst,
  type MachineEnv,
  type Operand,
  type OperandConstraint,
  type PReg,
  type RegallocFunction,
  type VReg,
} from '../index.js';
import { generateStructured } from './structured.js';

// ---------------------------------------------------------------------------
// A RegallocFunction backed by plain data
// ---------------------------------------------------------------------------

export interface InstData {
  readonly ops: readonly Operand[];
  readonly clobbers?: readonly PReg[];
  /** 'op' (default), 'ret' or 'branch' (must be last in its block). */
  readonly kind?: 'op' | 'ret' | 'branch';
  readonly isMove?: boolean;
}

export interface BlockData {
  readonly params: readonly VReg[];
  readonly insts: readonly InstData[];
  readonly succs: readonly number[];
  /** Per successor: the branch arguments. */
  readonly branchArgs: readonly (readonly VReg[])[];
}

export interface FunctionData {
  readonly blocks: readonly BlockData[];
  readonly numVregs: number;
  readonly entry?: number;
  readonly spillslotSizes?: readonly [number, number, number];
}

/**
 * Implements `RegallocFunction` over `FunctionData`; predecessors are derived.
 * The per-instruction answers are gathered into flat tables up front, so the
 * allocator's calls read one monomorphic array each (instructions' objects
 * come in several shapes, and reading their fields directly would make every
 * call a megamorphic property access, which a benchmark would count against
 * the allocator).
 */
export class DataFunction implements RegallocFunction {
  readonly data: FunctionData;
  private readonly insts: InstData[] = [];
  private readonly ranges: (readonly [Inst, Inst])[] = [];
  private readonly preds: Block[][];
  private readonly empty: readonly PReg[] = [];
  private readonly instOps: (readonly Operand[])[] = [];
  private readonly instClobs: (readonly PReg[])[] = [];
  /** Per inst: bit 0 return, bit 1 branch, bit 2 move. */
  private readonly flags: Uint8Array;

  constructor(data: FunctionData) {
    this.data = data;
    this.preds = data.blocks.map(() => []);
    data.blocks.forEach((b, bi) => {
      const first = this.insts.length as Inst;
      this.insts.push(...b.insts);
      this.ranges.push([first, this.insts.length as Inst]);
      for (const s of b.succs) this.preds[s]?.push(bi as Block);
    });
    this.flags = new Uint8Array(this.insts.length);
    this.insts.forEach((inst, i) => {
      this.instOps.push(inst.ops);
      this.instClobs.push(inst.clobbers ?? this.empty);
      this.flags[i] = (inst.kind === 'ret' ? 1 : 0) | (inst.kind === 'branch' ? 2 : 0) | (inst.isMove === true ? 4 : 0);
    });
  }
  numInsts(): number {
    return this.insts.length;
  }
  numBlocks(): number {
    return this.data.blocks.length;
  }
  entryBlock(): Block {
    return (this.data.entry ?? 0) as Block;
  }
  blockInsts(block: Block): readonly [Inst, Inst] {
    return this.ranges[block];
  }
  blockSuccs(block: Block): readonly Block[] {
    return this.data.blocks[block].succs as Block[];
  }
  blockPreds(block: Block): readonly Block[] {
    return this.preds[block];
  }
  blockParams(block: Block): readonly VReg[] {
    return this.data.blocks[block].params;
  }
  isRet(inst: Inst): boolean {
    return (this.flags[inst] & 1) !== 0;
  }
  isBranch(inst: Inst): boolean {
    return (this.flags[inst] & 2) !== 0;
  }
  branchBlockParams(block: Block, _inst: Inst, succIdx: number): readonly VReg[] {
    return this.data.blocks[block].branchArgs[succIdx] ?? [];
  }
  instOperands(inst: Inst): readonly Operand[] {
    return this.instOps[inst];
  }
  instClobbers(inst: Inst): readonly PReg[] {
    return this.instClobs[inst];
  }
  isMove(inst: Inst): boolean {
    return (this.flags[inst] & 4) !== 0;
  }
  numVregs(): number {
    return this.data.numVregs;
  }
  spillslotSize(cls: RegClass): number {
    return this.data.spillslotSizes?.[cls] ?? 1;
  }
}

/** How `withBulkAccessors` lays out its lists. */
export interface BulkOptions {
  /** Typed arrays (Float64Array operands, Int32Array otherwise; the default) or plain arrays. */
  readonly typed?: boolean;
  /** Entries of padding before every list's items and after every array, as a client's growable columns have. */
  readonly pad?: number;
}

/**
 * `f` with the optional bulk accessors (`allInstOperands`, ...) added, their
 * answers gathered from `f`'s per-item methods once, here. The allocator then
 * reads everything through the bulk path, so running a function bare and
 * wrapped tests that both paths agree (same output, same errors). A block
 * layout that no `allBlockInsts` array can express (a gap or an overlap
 * between blocks) is left to the per-item `blockInsts`.
 */
export function withBulkAccessors(f: RegallocFunction, opts: BulkOptions = {}): RegallocFunction {
  const typed = opts.typed ?? true;
  const pad = opts.pad ?? 0;
  const nI = f.numInsts();
  const nB = f.numBlocks();
  const ints = (xs: number[]): ArrayLike<number> => (typed ? Int32Array.from(xs) : xs);
  function lists<T>(n: number, get: (e: number) => ArrayLike<T>, floats = false): FlatLists<T> {
    const items: number[] = new Array<number>(pad).fill(0);
    const starts: number[] = [];
    for (let e = 0; e < n; e++) {
      starts.push(items.length);
      const l = get(e);
      for (let k = 0; k < l.length; k++) items.push(l[k] as number);
    }
    starts.push(items.length);
    for (let k = 0; k < pad; k++) {
      items.push(0);
      starts.push(items.length);
    }
    const it = typed ? (floats ? Float64Array.from(items) : Int32Array.from(items)) : items;
    return { items: it as unknown as ArrayLike<T>, starts: ints(starts) };
  }
  const ranges: (readonly [number, number])[] = [];
  for (let b = 0; b < nB; b++) ranges.push(f.blockInsts(b as Block));
  const dense = ranges.every((r, b) => b === 0 || r[0] === ranges[b - 1][1]);
  const layout = dense && nB > 0 ? ints([ranges[0][0], ...ranges.map((r) => r[1]), ...new Array<number>(pad).fill(nI)]) : undefined;
  const flags: number[] = [];
  for (let i = 0; i < nI; i++) {
    const inst = i as Inst;
    flags.push((f.isRet(inst) ? 1 : 0) | (f.isBranch(inst) ? 2 : 0) | (f.isMove?.(inst) === true ? 4 : 0));
  }
  for (let k = 0; k < pad; k++) flags.push(0);
  const flagBits: ArrayLike<number> = typed ? Uint8Array.from(flags) : flags;
  const succLists = lists<Block>(nB, (b) => f.blockSuccs(b as Block));
  const edges: [Block, number][] = [];
  for (let b = 0; b < nB; b++) for (let j = 0; j < f.blockSuccs(b as Block).length; j++) edges.push([b as Block, j]);
  const out: RegallocFunction = {
    numInsts: () => f.numInsts(),
    numBlocks: () => f.numBlocks(),
    entryBlock: () => f.entryBlock(),
    blockInsts: (b) => f.blockInsts(b),
    blockSuccs: (b) => f.blockSuccs(b),
    blockPreds: (b) => f.blockPreds(b),
    blockParams: (b) => f.blockParams(b),
    isRet: (i) => f.isRet(i),
    isBranch: (i) => f.isBranch(i),
    branchBlockParams: (b, i, j) => f.branchBlockParams(b, i, j),
    instOperands: (i) => f.instOperands(i),
    instClobbers: (i) => f.instClobbers(i),
    numVregs: () => f.numVregs(),
    spillslotSize: (c) => f.spillslotSize(c),
    allBlockSuccs: () => succLists,
    allBlockPreds: lazy(() => lists<Block>(nB, (b) => f.blockPreds(b as Block))),
    allBlockParams: lazy(() => lists<VReg>(nB, (b) => f.blockParams(b as Block))),
    allBranchBlockParams: lazy(() =>
      lists<VReg>(edges.length, (e) => {
        const [b, j] = edges[e];
        return f.branchBlockParams(b, (ranges[b][1] - 1) as Inst, j);
      }),
    ),
    allInstFlags: () => flagBits,
    allInstOperands: lazy(() => lists<Operand>(nI, (i) => f.instOperands(i as Inst), true)),
    allInstClobbers: lazy(() => lists<PReg>(nI, (i) => f.instClobbers(i as Inst))),
  };
  if (layout !== undefined) out.allBlockInsts = () => layout;
  if (f.isMove !== undefined) out.isMove = (i) => f.isMove?.(i) === true;
  if (f.debugValueLabels !== undefined) out.debugValueLabels = () => f.debugValueLabels?.() ?? [];
  return out;
}

/** `make`'s result, computed on the first call: the per-item answers are read only as far as a valid input lets the allocator read. */
function lazy<T>(make: () => T): () => T {
  let v: T | undefined;
  return () => (v ??= make());
}

// ---------------------------------------------------------------------------
// Seeded generator
// ---------------------------------------------------------------------------

/** A small, fast, seedable PRNG (mulberry32). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
}

export interface FuzzMachineOptions {
  /** Allocatable registers per class (preferred + non-preferred), >= 3. */
  readonly regs?: readonly [number, number];
  readonly scratch?: boolean;
}

/**
 * The machine the generator targets: int and float classes, the first half of
 * each class preferred (caller-saved), hw 48 the scratch register when
 * present, int hw 56..59 fixed stack slots.
 */
export function fuzzMachine(opts: FuzzMachineOptions = {}): MachineEnv {
  const [ni, nf] = opts.regs ?? [8, 6];
  const mk = (cls: RegClass, n: number, pref: boolean): PReg[] => {
    const half = Math.max(1, n >> 1);
    const out: PReg[] = [];
    for (let hw = pref ? 0 : half; hw < (pref ? half : n); hw++) out.push(preg(cls, hw));
    return out;
  };
  const scratch = opts.scratch ?? true;
  return {
    preferredRegsByClass: [mk(RegClass.Int, ni, true), mk(RegClass.Float, nf, true), []],
    nonPreferredRegsByClass: [mk(RegClass.Int, ni, false), mk(RegClass.Float, nf, false), []],
    scratchByClass: [scratch ? preg(RegClass.Int, 48) : null, scratch ? preg(RegClass.Float, 48) : null, null],
    fixedStackSlots: [56, 57, 58, 59].map((hw) => preg(RegClass.Int, hw)),
  };
}

export interface GenOptions {
  readonly blocks?: number;
  readonly instsPerBlock?: number;
  readonly regs?: readonly [number, number];
  /** Probability that a block is given an extra (often backward) edge. */
  readonly loopiness?: number;
  /** Bias towards using old values, which keeps many values live. */
  readonly pressure?: number;
  /**
   * 'stress' (default) exercises every constraint kind often; 'typical' looks
   * like compiler output: mostly register operands of recent values, a few
   * calls, fixed and stack operands, on a random CFG laid out in creation
   * order (pessimistic: an old value is live in many scattered ranges);
   * 'realistic' uses typical-like instructions on a structured CFG laid out
   * as compilers do (see structured.ts).
   */
  readonly profile?: 'stress' | 'typical' | 'realistic';
}

interface Mix {
  readonly copy: number;
  readonly call: number;
  /** Cumulative use thresholds: any, stack, fixed, limit (rest reg). */
  readonly use: readonly [number, number, number, number];
  /** Cumulative def thresholds: any, stack, reuse, fixed (rest reg). */
  readonly def: readonly [number, number, number, number];
  readonly recent: number;
}
const STRESS: Mix = { copy: 0.1, call: 0.25, use: [0.25, 0.4, 0.55, 0.65], def: [0.2, 0.3, 0.5, 0.65], recent: 0 };
const TYPICAL: Mix = { copy: 0.08, call: 0.11, use: [0.15, 0.17, 0.2, 0.22], def: [0.08, 0.1, 0.25, 0.28], recent: 0.85 };
/** The realistic profile's instructions; operand values are chosen by structured.ts. */
const REALISTIC: Mix = { copy: 0.06, call: 0.08, use: [0.15, 0.16, 0.19, 0.21], def: [0.08, 0.09, 0.25, 0.27], recent: 0 };

interface Avail {
  readonly list: VReg[];
}

/** Generates a valid function for `fuzzMachine({ regs })` from a seed. */
export function generateFunction(seed: number, opts: GenOptions = {}): FunctionData {
  const rng = new Rng(seed);
  const [ni, nf] = opts.regs ?? [8, 6];
  const nRegs = [ni, nf];
  if (opts.profile === 'realistic') {
    const regsOf = (cls: RegClass): number => nRegs[cls];
    return generateStructured(rng, opts, (avail, newV, pickVal) => genInst(rng, REALISTIC, avail, newV, pickVal, regsOf));
  }
  const nBlocks0 = opts.blocks ?? rng.int(1, 10);
  const ipb = opts.instsPerBlock ?? 6;
  const loopiness = opts.loopiness ?? 0.3;
  const pressure = opts.pressure ?? 0.5;

  // ---- CFG ----
  const succs: number[][] = [];
  for (let b = 0; b < nBlocks0; b++) succs.push([]);
  for (let b = 1; b < nBlocks0; b++) succs[rng.int(0, b - 1)].push(b);
  for (let b = 0; b < nBlocks0; b++) {
    if (nBlocks0 > 1 && rng.bool(loopiness)) {
      const t = rng.int(1, nBlocks0 - 1);
      if (!succs[b].includes(t)) succs[b].push(t);
    }
  }
  // Split critical edges.
  const predCount = (): number[] => {
    const pc = new Array<number>(succs.length).fill(0);
    for (const ss of succs) for (const s of ss) pc[s]++;
    return pc;
  };
  const pc = predCount();
  const nOrig = succs.length;
  for (let b = 0; b < nOrig; b++) {
    if (succs[b].length < 2) continue;
    for (let j = 0; j < succs[b].length; j++) {
      const s = succs[b][j];
      if (pc[s] > 1) {
        const e = succs.length;
        succs.push([s]);
        succs[b][j] = e;
      }
    }
  }
  const nb = succs.length;
  const preds: number[][] = succs.map(() => []);
  succs.forEach((ss, b) => ss.forEach((s) => preds[s].push(b)));

  // Reverse postorder and dominators (Cooper, Harvey, Kennedy).
  const rpo: number[] = [];
  const seen = new Uint8Array(nb);
  const stack: [number, number][] = [[0, 0]];
  seen[0] = 1;
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top[1] < succs[top[0]].length) {
      const s = succs[top[0]][top[1]++];
      if (seen[s] === 0) {
        seen[s] = 1;
        stack.push([s, 0]);
      }
    } else {
      rpo.push(top[0]);
      stack.pop();
    }
  }
  rpo.reverse();
  const rpoIdx = new Int32Array(nb).fill(-1);
  rpo.forEach((b, i) => (rpoIdx[b] = i));
  const idom = new Int32Array(nb).fill(-1);
  idom[0] = 0;
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of rpo) {
      if (b === 0) continue;
      let nd = -1;
      for (const p of preds[b]) {
        if (idom[p] < 0) continue;
        if (nd < 0) nd = p;
        else {
          let x = p;
          let y = nd;
          while (x !== y) {
            while (rpoIdx[x] > rpoIdx[y]) x = idom[x];
            while (rpoIdx[y] > rpoIdx[x]) y = idom[y];
          }
          nd = x;
        }
      }
      if (nd !== idom[b]) {
        idom[b] = nd;
        changed = true;
      }
    }
  }

  // ---- Values and instructions ----
  let nextV = 0;
  const newV = (cls: RegClass): VReg => vreg(nextV++, cls);
  const params: VReg[][] = [];
  for (let b = 0; b < nb; b++) {
    const ps: VReg[] = [];
    if (b !== 0) {
      const np = rng.int(0, 3);
      for (let k = 0; k < np; k++) ps.push(newV(rng.bool(0.7) ? RegClass.Int : RegClass.Float));
    }
    params.push(ps);
  }
  const availEnd: Avail[] = new Array<Avail>(nb);
  const insts: InstData[][] = new Array<InstData[]>(nb);
  const branchArgs: VReg[][][] = new Array<VReg[][]>(nb);
  const regsOf = (cls: RegClass): number => nRegs[cls];
  const mix = opts.profile === 'typical' ? TYPICAL : STRESS;
  const pickVal = (avail: Avail, cls?: RegClass): VReg | undefined => {
    if (rng.bool(mix.recent)) {
      // Mostly values defined a few instructions ago, as in straight-line code.
      const l = avail.list;
      for (let tries = 0; tries < 4 && l.length > 0; tries++) {
        const v = l[l.length - 1 - Math.min(l.length - 1, Math.floor(rng.next() * 12))];
        if (cls === undefined || vregClass(v) === cls) return v;
      }
    }
    const cands = cls === undefined ? avail.list : avail.list.filter((v) => vregClass(v) === cls);
    if (cands.length === 0) return undefined;
    // Bias towards old values to stretch live ranges.
    if (rng.bool(pressure)) return cands[Math.floor(rng.next() * rng.next() * cands.length)];
    return rng.pick(cands);
  };

  for (const b of rpo) {
    const avail: Avail = { list: b === 0 ? [] : [...availEnd[idom[b]].list, ...params[b]] };
    const list: InstData[] = [];
    // Each block defines one value per class up front, so branch arguments always exist.
    {
      const ops: Operand[] = [];
      for (const cls of [RegClass.Int, RegClass.Float]) {
        const v = newV(cls);
        const c: OperandConstraint = b === 0 && rng.bool(0.5) ? { kind: 'fixed', preg: preg(cls, rng.int(0, regsOf(cls) - 1)) } : { kind: rng.pick(['any', 'reg'] as const) };
        ops.push(operand(v, c, OperandKind.Def, OperandPos.Late));
        avail.list.push(v);
      }
      list.push({ ops });
    }
    const n = rng.int(0, ipb);
    for (let k = 0; k < n; k++) list.push(genInst(rng, mix, avail, newV, pickVal, regsOf));
    // Terminator.
    const ss = succs[b];
    const args: VReg[][] = [];
    for (const s of ss)
      args.push(
        params[s].map((p) => {
          const v = pickVal(avail, vregClass(p));
          if (v === undefined) throw new Error('generator: no value of the needed class');
          return v;
        }),
      );
    branchArgs[b] = args;
    if (ss.length === 0) {
      const ops: Operand[] = [];
      const nr = rng.int(0, 2);
      const used = new Set<number>();
      for (let k = 0; k < nr; k++) {
        const v = pickVal(avail);
        if (v === undefined) break;
        const cls = vregClass(v);
        const hw = rng.int(0, regsOf(cls) - 1);
        const key = cls * 64 + hw;
        if (rng.bool(0.6) && !used.has(key)) {
          used.add(key);
          ops.push(operand(v, { kind: 'fixed', preg: preg(cls, hw) }, OperandKind.Use, OperandPos.Early));
        } else ops.push(operand(v, { kind: rng.pick(['any', 'reg', 'stack'] as const) }, OperandKind.Use, OperandPos.Early));
      }
      list.push({ ops, kind: 'ret' });
    } else if (ss.length === 1) {
      list.push({ ops: [], kind: 'branch' });
    } else {
      const v = pickVal(avail, RegClass.Int);
      list.push({ ops: v === undefined ? [] : [operand(v, { kind: 'reg' }, OperandKind.Use, OperandPos.Early)], kind: 'branch' });
    }
    insts[b] = list;
    availEnd[b] = avail;
  }
  // Unreachable blocks cannot occur (every block has a tree parent), but keep the shape total.
  const blocks: BlockData[] = [];
  for (let b = 0; b < nb; b++) blocks.push({ params: params[b], insts: insts[b], succs: succs[b], branchArgs: branchArgs[b] });
  return { blocks, numVregs: nextV, spillslotSizes: [1, rng.bool(0.3) ? 2 : 1, 2] };
}

function genInst(
  rng: Rng,
  mix: Mix,
  avail: Avail,
  newV: (cls: RegClass) => VReg,
  pickVal: (a: Avail, cls?: RegClass) => VReg | undefined,
  regsOf: (cls: RegClass) => number,
): InstData {
  const kind = rng.next();
  // A copy.
  if (kind < mix.copy) {
    const src = pickVal(avail);
    if (src !== undefined) {
      const dst = newV(vregClass(src));
      avail.list.push(dst);
      const c = (): OperandConstraint => ({ kind: rng.pick(['any', 'reg'] as const) });
      return { ops: [operand(src, c(), OperandKind.Use, OperandPos.Early), operand(dst, c(), OperandKind.Def, OperandPos.Late)], isMove: true };
    }
  }
  // A call: fixed arguments and results in caller-saved registers, which it clobbers.
  if (kind < mix.call) {
    const ops: Operand[] = [];
    const clobbers: PReg[] = [];
    const results: VReg[] = [];
    for (const cls of [RegClass.Int, RegClass.Float]) {
      const half = Math.max(1, regsOf(cls) >> 1);
      for (let hw = 0; hw < half; hw++) clobbers.push(preg(cls, hw));
      const nArgs = rng.int(0, Math.min(2, half));
      for (let a = 0; a < nArgs; a++) {
        const v = pickVal(avail, cls);
        if (v === undefined) break;
        ops.push(operand(v, { kind: 'fixed', preg: preg(cls, a) }, OperandKind.Use, OperandPos.Early));
      }
      const nRets = rng.int(0, Math.min(2, half));
      for (let r = 0; r < nRets; r++) {
        const v = newV(cls);
        ops.push(operand(v, { kind: 'fixed', preg: preg(cls, r) }, OperandKind.Def, OperandPos.Late));
        results.push(v);
      }
    }
    // Stack arguments through fixed stack slots and plain stack operands.
    if (rng.bool(0.3)) {
      const v = pickVal(avail, RegClass.Int);
      if (v !== undefined) ops.push(operand(v, { kind: 'fixed', preg: preg(RegClass.Int, 56 + rng.int(0, 3)) }, OperandKind.Use, OperandPos.Early));
    }
    if (rng.bool(0.3)) {
      const v = pickVal(avail);
      if (v !== undefined) ops.push(operand(v, { kind: rng.pick(['any', 'stack'] as const) }, OperandKind.Use, OperandPos.Early));
    }
    avail.list.push(...results);
    return { ops, clobbers };
  }
  // A general instruction: every constraint kind, within register limits.
  const ops: Operand[] = [];
  const budget = [regsOf(RegClass.Int) - 1, regsOf(RegClass.Float) - 1];
  const fixedUsed = new Set<number>();
  let limitUsed = false;
  // With a limit(4) operand, at most two other register operands, so a low register stays free.
  const allowLimit = rng.bool(0.2);
  if (allowLimit) for (const c of [0, 1]) budget[c] = Math.min(budget[c], 3);
  const nUses = rng.int(0, 3);
  const useIdx: number[] = [];
  for (let u = 0; u < nUses; u++) {
    const v = pickVal(avail);
    if (v === undefined) break;
    const cls = vregClass(v);
    const r = rng.next();
    let c: OperandConstraint;
    let pos: OperandPos = rng.bool(0.15) ? OperandPos.Late : OperandPos.Early;
    if (r < mix.use[0]) c = { kind: 'any' };
    else if (r < mix.use[1]) c = { kind: 'stack' };
    else if (r < mix.use[2] && budget[cls] > 0) {
      const hw = rng.int(0, regsOf(cls) - 1);
      if (fixedUsed.has(cls * 64 + hw)) c = { kind: 'any' };
      else {
        fixedUsed.add(cls * 64 + hw);
        budget[cls]--;
        c = { kind: 'fixed', preg: preg(cls, hw) };
      }
    } else if (r < mix.use[3] && allowLimit && budget[cls] > 0 && !limitUsed && regsOf(cls) >= 4) {
      limitUsed = true;
      budget[cls]--;
      c = { kind: 'limit', max: 4 };
    } else if (budget[cls] > 0) {
      budget[cls]--;
      c = { kind: 'reg' };
    } else c = { kind: 'any' };
    if (c.kind === 'limit' || c.kind === 'fixed') pos = OperandPos.Early;
    useIdx.push(ops.length);
    ops.push(operand(v, c, OperandKind.Use, pos));
  }
  // Limit operands must be able to find a low register: keep fixed operands above them.
  if (limitUsed)
    for (let k = 0; k < ops.length; k++) {
      const o = ops[k];
      const hi = Math.floor(o / 0x1_0000_0000);
      const code = (hi >>> 2) & 0xff;
      if ((code & 0xc0) === 0x80 && (code & 63) < 4) ops[k] = operand((o >>> 0) as VReg, { kind: 'any' }, OperandKind.Use, OperandPos.Early);
    }
  const nDefs = rng.int(0, 2);
  let reused = false;
  for (let d = 0; d < nDefs; d++) {
    const cls = rng.bool(0.7) ? RegClass.Int : RegClass.Float;
    const v = newV(cls);
    const r = rng.next();
    let c: OperandConstraint;
    let pos: OperandPos = OperandPos.Late;
    if (r < mix.def[0]) c = { kind: 'any' };
    else if (r < mix.def[1]) c = { kind: 'stack' };
    else if (r < mix.def[2] && !reused && budget[cls] > 0) {
      // Reuse an early reg/any use of the same class, if there is one.
      const k = useIdx.find((x) => {
        const o = ops[x];
        const code = (Math.floor(o / 0x1_0000_0000) >>> 2) & 0xff;
        return vregClass((o >>> 0) as VReg) === cls && (code === 0 || code === 1) && (Math.floor(o / 0x1_0000_0000) & 1) === 0;
      });
      if (k !== undefined) {
        reused = true;
        budget[cls]--;
        c = { kind: 'reuse', input: k };
      } else c = { kind: 'any' };
    } else if (r < mix.def[3] && budget[cls] > 0 && !limitUsed) {
      const hw = rng.int(0, regsOf(cls) - 1);
      if (fixedUsed.has(cls * 64 + hw)) c = { kind: 'any' };
      else {
        fixedUsed.add(cls * 64 + hw);
        budget[cls]--;
        c = { kind: 'fixed', preg: preg(cls, hw) };
      }
    } else if (budget[cls] > 0) {
      budget[cls]--;
      c = { kind: 'reg' };
      if (rng.bool(0.2)) pos = OperandPos.Early;
    } else c = { kind: 'any' };
    if (c.kind === 'any' && rng.bool(0.2)) pos = OperandPos.Early;
    ops.push(operand(v, c, OperandKind.Def, pos));
    avail.list.push(v);
  }
  return { ops };
}

/**
 * fast-check arbitrary of (seed, function) pairs, built with the caller's
 * fast-check module (`import fc from 'fast-check'; arbFunction(fc)`). The seed
 * also picks the size (small seeds give small functions), so shrinking the
 * seed towards 0 shrinks the function.
 */
export function arbFunction(fc: FastCheckLike, opts: GenOptions = {}): Arbitrary<{ seed: number; data: FunctionData }> {
  const maxBlocks = opts.blocks ?? 10;
  const maxIpb = opts.instsPerBlock ?? 8;
  return fc.integer({ min: 0, max: 0x7fffffff }).map((seed) => {
    const blocks = 1 + (seed % maxBlocks);
    const instsPerBlock = Math.floor(seed / maxBlocks) % (maxIpb + 1);
    return { seed, data: generateFunction(seed, { ...opts, blocks, instsPerBlock }) };
  });
}
