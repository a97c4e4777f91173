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
  type Function,
  type Inst,
  type Value,
} from '@clift/ir';
import { computeFlow, type Flow } from './flow.js';
import { U32Table, type TablePool } from './value-table.js';

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

/** Removes instructions whose results are all unused and that have no effect. Returns the count. */
export function eliminateDeadCode(func: Function, pool?: TablePool): number {
  const { dfg, layout } = func;
  const uses = pool !== undefined ? pool.u32(0) : new U32Table(dfg.numValues(), 0);
  const all: Inst[] = [];
  for (const b of layout.blocks()) {
    for (const inst of layout.blockInsts(b)) {
      all.push(inst);
      dfg.forEachUse(inst, (v) => uses.set(dfg.resolveAliases(v), uses.get(dfg.resolveAliases(v)) + 1));
    }
  }
  let removed = 0;
  const isDead = (inst: Inst): boolean => {
    if (!isRemovableWhenUnused(func, inst)) return false;
    const n = dfg.numResults(inst);
    for (let i = 0; i < n; i++) if (uses.get(dfg.result(inst, i)) !== 0) return false;
    return true;
  };
  // Walk backwards so uses die before their definitions; a worklist catches
  // definitions that precede their (now dead) users in layout order.
  const work: Inst[] = all;
  while (work.length > 0) {
    const inst = work.pop()!;
    if (!layout.isInstInserted(inst) || !isDead(inst)) continue;
    layout.removeInst(inst);
    removed++;
    dfg.forEachUse(inst, (v0) => {
      const v: Value = dfg.resolveAliases(v0);
      uses.set(v, uses.get(v) - 1);
      const def = dfg.valueInst(v);
      if (uses.get(v) === 0 && def !== (0xffffffff as Inst)) work.push(def);
    });
  }
  return removed;
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
  if (entry === undefined || layout.nextBlock(entry) === (NONE as Block)) return 0;
  for (let changed = true; changed; ) {
    changed = false;
    // Incoming edges per block: the branch and which of its destinations.
    const incoming = new Map<Block, { inst: Inst; which: 0 | 1 }[]>();
    const blocked = new Set<Block>();
    for (const b of layout.blocks()) {
      const term = layout.lastInst(b);
      if (term === (0xffffffff as Inst)) continue;
      const op = dfg.opcode(term) as Opcode;
      const dests = dfg.branchDestinations(term);
      dests.forEach((bc, which) => {
        const t = dfg.blockCallBlock(bc);
        if ((op !== Opcode.Jump && op !== Opcode.Brif) || which > 1) {
          blocked.add(t);
          return;
        }
        const list = incoming.get(t);
        const edge = { inst: term, which: which as 0 | 1 };
        if (list) list.push(edge);
        else incoming.set(t, [edge]);
      });
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
  if (removed > 0) for (const b of layout.blocks()) for (const inst of layout.blockInsts(b)) dfg.resolveAliasesInArguments(inst);
  return removed;
}
