// The generator's 'realistic' profile: functions shaped like compiler output.
// Owns only the control-flow structure and the choice of operand values; the
// instructions themselves come from the shared instruction generator
// (`genInst` in index.ts, passed in to keep this module free of cycles).
//
// Shape: a structured program (sequences of straight-line code, if/then,
// if/then/else and loops nested a few levels deep) whose blocks are laid out
// in the order a compiler emits them: a construct's blocks are contiguous,
// each loop is header, body, latch, back-edge block, then its exit, so the
// layout is a reverse postorder and a value's live blocks are mostly
// contiguous. Operands mostly name values defined a few instructions earlier
// (a geometric distance), sometimes values from a few dozen back, rarely a
// value from anywhere above (function arguments, loop invariants). Loops
// carry values in header parameters; if/else joins merge values in
// parameters.
//
// Invariants (as for every profile): every use is dominated by its
// definition (values defined inside an arm are dropped at its join), there
// are no critical edges (an if without else gets an empty jump block, a loop's
// back edge leaves through its own block), jumps into a merge block carry no
// operands, and every instruction's register operands fit the machine.

import { operand, OperandKind, OperandPos, preg, RegClass, vreg, vregClass, type Operand, type VReg } from '../index.js';
import type { BlockData, FunctionData, GenOptions, InstData, Rng } from './index.js';

/** Values that dominate the current point, oldest first. */
export interface ValueStack {
  readonly list: VReg[];
}

export type InstGen = (avail: ValueStack, newV: (cls: RegClass) => VReg, pickVal: (a: ValueStack, cls?: RegClass) => VReg | undefined) => InstData;

interface OpenBlock {
  readonly id: number;
  readonly params: VReg[];
  readonly insts: InstData[];
}

/** Maximum loop nesting; real functions rarely nest deeper. */
const MAX_LOOP_DEPTH = 3;
/** Maximum nesting of any construct. */
const MAX_DEPTH = 5;

export function generateStructured(rng: Rng, opts: GenOptions, genInst: InstGen): FunctionData {
  const [ni, nf] = opts.regs ?? [8, 6];
  const blockBudget = Math.max(1, opts.blocks ?? rng.int(1, 10));
  const ipb = opts.instsPerBlock ?? 6;
  const loopiness = opts.loopiness ?? 0.3;
  const pressure = opts.pressure ?? 0.5;

  const blocks: { params: VReg[]; insts: InstData[]; succs: number[]; branchArgs: VReg[][] }[] = [];
  let nextV = 0;
  const newV = (cls: RegClass): VReg => vreg(nextV++, cls);
  const avail: ValueStack = { list: [] };
  let numArgs = 0;

  /**
   * A value of class `cls` (or any class): at a geometric distance from the
   * newest value (mean 3 + 6 * pressure), sometimes within the last 48,
   * rarely a function argument (live throughout, like a base pointer); then
   * the nearest older value of the class.
   */
  const pickVal = (a: ValueStack, cls?: RegClass): VReg | undefined => {
    const l = a.list;
    if (l.length === 0) return undefined;
    const r = rng.next();
    let d: number;
    if (r < 0.03) d = l.length - 1 - Math.floor(rng.next() * numArgs);
    else if (r < 0.15) d = Math.floor(rng.next() * Math.min(48, l.length));
    else d = Math.floor(-Math.log(1 - rng.next()) * (3 + 6 * pressure));
    let i = l.length - 1 - Math.min(d, l.length - 1);
    if (cls === undefined) return l[i];
    for (; i >= 0; i--) if (vregClass(l[i]) === cls) return l[i];
    for (i = l.length - 1; i >= 0; i--) if (vregClass(l[i]) === cls) return l[i];
    return undefined;
  };
  const mustPick = (cls: RegClass): VReg => {
    const v = pickVal(avail, cls);
    if (v === undefined) throw new Error('generator: no value of the needed class');
    return v;
  };

  const open = (params: VReg[]): OpenBlock => {
    const id = blocks.length;
    blocks.push({ params, insts: [], succs: [], branchArgs: [] });
    avail.list.push(...params);
    return { id, params, insts: blocks[id].insts };
  };
  const close = (b: OpenBlock, succs: number[], args: VReg[][], cond: boolean): void => {
    const ops: Operand[] = cond ? [operand(mustPick(RegClass.Int), { kind: 'reg' }, OperandKind.Use, OperandPos.Early)] : [];
    b.insts.push({ ops, kind: 'branch' });
    blocks[b.id].succs = succs;
    blocks[b.id].branchArgs = args;
  };
  const straight = (b: OpenBlock): void => {
    const n = rng.int(0, ipb);
    for (let k = 0; k < n; k++) b.insts.push(genInst(avail, newV, pickVal));
  };
  const freshParams = (): VReg[] => {
    const n = rng.int(0, 2);
    const ps: VReg[] = [];
    for (let k = 0; k < n; k++) ps.push(newV(rng.bool(0.75) ? RegClass.Int : RegClass.Float));
    return ps;
  };
  const argsFor = (params: readonly VReg[]): VReg[] => params.map((p) => mustPick(vregClass(p)));

  /**
   * Emits a region starting in the open block `b`; returns the open block at
   * its end. Successor ids are patched when the target block is opened, which
   * is always after the branch in layout.
   */
  const region = (b: OpenBlock, depth: number, loops: number): OpenBlock => {
    let cur = b;
    straight(cur);
    const statements = depth === 0 ? Infinity : rng.int(1, 3);
    for (let st = 0; st < statements && blocks.length < blockBudget; st++) {
      const r = rng.next();
      if (depth < MAX_DEPTH && loops < MAX_LOOP_DEPTH && r < loopiness) {
        // Loop: preheader -> header(params) body... latch -> {backedge -> header, exit}.
        const hp = freshParams();
        const pre = cur;
        const initArgs = argsFor(hp);
        const header = open(hp);
        close(pre, [header.id], [initArgs], false);
        const latch = region(header, depth + 1, loops + 1);
        const backedge = open([]);
        close(latch, [backedge.id, -1], [[], []], true);
        close(backedge, [header.id], [argsFor(hp)], false);
        // The exit follows the back-edge block (which defines nothing); the header
        // and the body's top level dominate it, so their values stay available.
        const exit = open([]);
        blocks[latch.id].succs[1] = exit.id;
        cur = exit;
      } else if (depth < MAX_DEPTH && r < loopiness + 0.35) {
        // if / if-else, with a join that may merge values in parameters.
        const cond = cur;
        const mark = avail.list.length;
        const jp = freshParams();
        const thenB = open([]);
        blocks[cond.id].succs = [thenB.id, -1];
        const thenEnd = region(thenB, depth + 1, loops);
        const thenArgs = argsFor(jp);
        avail.list.length = mark;
        const elseB = open([]);
        blocks[cond.id].succs[1] = elseB.id;
        close(cond, blocks[cond.id].succs, [[], []], true);
        const elseEnd = rng.bool(0.5) ? region(elseB, depth + 1, loops) : elseB;
        const elseArgs = argsFor(jp);
        avail.list.length = mark;
        const join = open(jp);
        close(thenEnd, [join.id], [thenArgs], false);
        close(elseEnd, [join.id], [elseArgs], false);
        cur = join;
      }
      straight(cur);
    }
    return cur;
  };

  // Entry: the function's arguments arrive in fixed registers.
  const entry = open([]);
  const argOps: Operand[] = [];
  for (const [cls, n] of [
    [RegClass.Int, Math.min(3, ni)],
    [RegClass.Float, Math.min(1, nf)],
  ] as const)
    for (let k = 0; k < n; k++) {
      const v = newV(cls);
      argOps.push(operand(v, { kind: 'fixed', preg: preg(cls, k) }, OperandKind.Def, OperandPos.Late));
      avail.list.push(v);
    }
  numArgs = avail.list.length;
  entry.insts.push({ ops: argOps });
  const last = region(entry, 0, 0);
  const ret: Operand[] = [];
  if (rng.bool(0.8)) ret.push(operand(mustPick(RegClass.Int), { kind: 'fixed', preg: preg(RegClass.Int, 0) }, OperandKind.Use, OperandPos.Early));
  last.insts.push({ ops: ret, kind: 'ret' });

  const out: BlockData[] = blocks.map((b) => ({ params: b.params, insts: b.insts, succs: b.succs, branchArgs: b.branchArgs }));
  return { blocks: out, numVregs: nextV, spillslotSizes: [1, 1, 2] };
}
