// Whole-function cleanups around the e-graph pass: removal of blocks the
// entry cannot reach, removal of block parameters that always receive one
// value, folding of branches on constant conditions, and dead code
// elimination.
//
// Invariant: each leaves a verifier-clean function verifier-clean; none
// removes an instruction whose effect (store, call, trap, …) is observable.

import {
  BlockArg,
  InstructionFormat,
  MemFlags,
  NONE,
  Opcode,
  canLoad,
  hasSideEffects,
  opcodeFormat,
  type Block,
  type BlockCall,
  type DataFlowGraph,
  type Function,
  type Inst,
  type Value,
} from '@clift/ir';
import { computeFlow, type Flow } from './flow.js';
import { blockCallsOf, hasExceptionContexts } from './uses.js';
import { U32Table } from './value-table.js';

/**
 * Removes blocks unreachable from the entry; returns how many instructions
 * went with them. `flow`, when given, must describe the current CFG.
 */
export function removeUnreachableBlocks(func: Function, flow: Flow | undefined = computeFlow(func)): { blocks: number; insts: number } {
  let blocks = 0;
  let insts = 0;
  if (flow === undefined) return { blocks, insts };
  for (const b of func.layout.blockArray()) {
    if (flow.isReachable(b)) continue;
    for (const inst of [...func.layout.blockInsts(b)]) {
      func.layout.removeInst(inst);
      insts++;
    }
    func.layout.removeBlock(b);
    blocks++;
  }
  return { blocks, insts };
}

/** `brif` on a constant condition becomes a `jump` to the taken side. Returns how many were folded. */
export function foldConstantBranches(func: Function): number {
  const { dfg, layout } = func;
  let folded = 0;
  for (const b of layout.blocks()) {
    const term = layout.lastInst(b);
    if (term === (0xffffffff as Inst) || dfg.opcode(term) !== Opcode.Brif) continue;
    const def = dfg.valueInst(dfg.resolveAliases(dfg.arg(term, 0)));
    if (def === (0xffffffff as Inst) || dfg.opcode(def) !== Opcode.Iconst) continue;
    const taken = (dfg.imm0(def) !== 0 || dfg.imm1(def) !== 0 ? dfg.imm0(term) : dfg.imm1(term)) as BlockCall;
    dfg.setOpcode(term, Opcode.Jump);
    dfg.setInstArgs(term, []);
    dfg.setImm(term, 0, taken);
    dfg.setImm(term, 1, 0);
    folded++;
  }
  return folded;
}

/** Whether removing `inst` when its results are unused changes nothing observable. */
export function isRemovableWhenUnused(func: Function, inst: Inst): boolean {
  const dfg = func.dfg;
  const op = dfg.opcode(inst) as Opcode;
  if (dfg.numResults(inst) === 0) return false;
  if (hasSideEffects(op)) return false;
  if (!canLoad(op)) return true;
  const fmt = opcodeFormat(op);
  if (fmt !== InstructionFormat.Load && fmt !== InstructionFormat.LoadNoOffset) return false;
  if (op === Opcode.AtomicLoad) return false;
  return MemFlags.trapCode(dfg.imm0(inst) as MemFlags) === undefined;
}

/**
 * Removes instructions whose results are all unused and that have no
 * effect. Returns the count. `uses`, when given, is a scratch table reading
 * 0 everywhere (the optimizer lends one it resets between calls).
 */
export function eliminateDeadCode(func: Function, uses: U32Table = new U32Table(func.dfg.numValues(), 0)): number {
  const { dfg, layout } = func;
  const calls: BlockCall[] = [];
  const work: Inst[] = [];
  for (let b = layout.firstBlock(); b !== (NONE as Block); b = layout.nextBlock(b)) {
    for (let inst = layout.firstInst(b); inst !== (NONE as Inst); inst = layout.nextInst(inst)) {
      work.push(inst);
      countUses(dfg, inst, uses, 1, calls, undefined);
    }
  }
  let removed = 0;
  // Walk backwards so uses die before their definitions; a worklist catches
  // definitions that precede their (now dead) users in layout order.
  while (work.length > 0) {
    const inst = work.pop()!;
    if (!layout.isInstInserted(inst) || !isDead(func, inst, uses)) continue;
    layout.removeInst(inst);
    removed++;
    countUses(dfg, inst, uses, -1, calls, work);
  }
  return removed;
}

function isDead(func: Function, inst: Inst, uses: U32Table): boolean {
  if (!isRemovableWhenUnused(func, inst)) return false;
  const dfg = func.dfg;
  const n = dfg.numResults(inst);
  for (let i = 0; i < n; i++) if (uses.get(dfg.result(inst, i)) !== 0) return false;
  return true;
}

/**
 * Adds `delta` to the use count of every value `inst` uses (as
 * DataFlowGraph.forEachUse visits them); with `dead`, pushes the definition
 * of each value whose count drops to zero.
 */
function countUses(dfg: DataFlowGraph, inst: Inst, uses: U32Table, delta: number, calls: BlockCall[], dead: Inst[] | undefined): void {
  const n = dfg.numArgs(inst);
  for (let i = 0; i < n; i++) countUse(dfg, dfg.arg(inst, i), uses, delta, dead);
  const nc = blockCallsOf(dfg, inst, calls);
  for (let c = 0; c < nc; c++) {
    const bc = calls[c];
    const na = dfg.blockCallNumArgs(bc);
    for (let i = 0; i < na; i++) {
      const a = dfg.blockCallArg(bc, i);
      if (BlockArg.kind(a) === 0) countUse(dfg, a as number as Value, uses, delta, dead);
    }
  }
  if (hasExceptionContexts(dfg, inst)) {
    for (const item of dfg.exceptionTables[dfg.imm1(inst)].items) if (item.kind === 'context') countUse(dfg, item.value, uses, delta, dead);
  }
}

function countUse(dfg: DataFlowGraph, v0: Value, uses: U32Table, delta: number, dead: Inst[] | undefined): void {
  const v = dfg.resolveAliases(v0);
  const n = uses.get(v) + delta;
  uses.set(v, n);
  if (dead !== undefined && n === 0) {
    const def = dfg.valueInst(v);
    if (def !== (NONE as Inst)) dead.push(def);
  }
}

/**
 * Removes block parameters that receive the same value `x` (or the
 * parameter itself) on every incoming edge, replacing the parameter by `x`.
 * `x` dominates the block: the first arrival at the block comes through an
 * edge that cannot pass the parameter itself, and SSA makes the value it
 * passes dominate that edge. Only blocks entered by `jump` and `brif` are
 * considered (their block calls can be rebuilt); repeats to a fixpoint, as
 * one removal can make another parameter's incoming values agree. Returns
 * how many parameters went.
 */
export function removeConstantBlockParams(func: Function): number {
  const { dfg, layout } = func;
  const entry = layout.entryBlock();
  let removed = 0;
  // Only non-entry blocks can lose parameters.
  if (entry === undefined) return 0;
  let params = false;
  for (let b = layout.nextBlock(entry); b !== (NONE as Block) && !params; b = layout.nextBlock(b)) params = dfg.numBlockParams(b) > 0;
  if (!params) return 0;
  for (let changed = true; changed; ) {
    changed = false;
    // Incoming edges per block: the branch and which of its destinations.
    const incoming = new Map<Block, { inst: Inst; which: 0 | 1 }[]>();
    const blocked = new Set<Block>();
    for (let b = layout.firstBlock(); b !== (NONE as Block); b = layout.nextBlock(b)) {
      const term = layout.lastInst(b);
      if (term === (NONE as Inst)) continue;
      const op = dfg.opcode(term) as Opcode;
      const dests = dfg.branchDestinations(term);
      for (let which = 0; which < dests.length; which++) {
        const t = dfg.blockCallBlock(dests[which]);
        if ((op !== Opcode.Jump && op !== Opcode.Brif) || which > 1) {
          blocked.add(t);
          continue;
        }
        const list = incoming.get(t);
        const edge = { inst: term, which: which as 0 | 1 };
        if (list) list.push(edge);
        else incoming.set(t, [edge]);
      }
    }
    for (const [b, edges] of incoming) {
      if (b === entry || blocked.has(b)) continue;
      for (let i = dfg.numBlockParams(b) - 1; i >= 0; i--) {
        const p = dfg.blockParam(b, i);
        let x: Value | undefined;
        let agree = true;
        for (const e of edges) {
          const bc = (e.which === 0 ? dfg.imm0(e.inst) : dfg.imm1(e.inst)) as BlockCall;
          const v0 = BlockArg.asValue(dfg.blockCallArg(bc, i));
          if (v0 === undefined) {
            agree = false;
            break;
          }
          const v = dfg.resolveAliases(v0);
          if (v === p) continue;
          if (x === undefined) x = v;
          else if (x !== v) {
            agree = false;
            break;
          }
        }
        if (!agree || x === undefined) continue;
        for (const e of edges) {
          const bc = (e.which === 0 ? dfg.imm0(e.inst) : dfg.imm1(e.inst)) as BlockCall;
          const args = dfg.blockCallArgs(bc);
          args.splice(i, 1);
          dfg.setImm(e.inst, e.which, dfg.makeBlockCall(b, args));
        }
        dfg.removeBlockParam(b, i);
        dfg.changeToAlias(p, x);
        removed++;
        changed = true;
      }
    }
  }
  if (removed > 0) {
    for (let b = layout.firstBlock(); b !== (NONE as Block); b = layout.nextBlock(b)) {
      for (let inst = layout.firstInst(b); inst !== (NONE as Inst); inst = layout.nextInst(inst)) dfg.resolveAliasesInArguments(inst);
    }
  }
  return removed;
}
