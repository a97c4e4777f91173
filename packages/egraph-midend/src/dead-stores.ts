// Dead store elimination: a plain store is removed when, on every path from
// it, a later store overwrites all of its bytes before anything could
// observe them.
//
// It runs after elaboration, so addresses are compared as GVN-canonical
// values. A store S (category c from its memflags, address value a, offset
// o, width w) is dead when every path from S reaches a killer K — a plain
// store, other than S, of category c to the same value a and offset o and
// at least w bytes wide — and every instruction on the way is harmless:
//
// - pure instructions and branches (`jump`, `brif`, `br_table`);
// - plain `notrap` loads of a category other than c, when neither is
//   category 0 (distinct regions are disjoint, so such a load cannot read
//   S's bytes; a load of c at any address might, and an access with no
//   region may touch any region);
// - plain `notrap` stores of any category, but only when S itself cannot
//   trap (if S traps, removing it would let those writes happen before the
//   trap at K).
//
// Anything else is a barrier that may observe memory: returns, calls, traps
// (`trapz`, trapping loads or stores, divisions, …), fences, atomics, stack
// loads and stores and other side effects. Reaching S again before a killer
// (a loop) fails, and so does a path that never leaves the searched region
// (an infinite loop that does not post-dominate into a killer).
//
// Trap behaviour is kept: K has S's trap code (both `notrap`, or both
// trapping with the same code, as upstream requires), and a trapping K has
// S's width too, so K traps exactly when S would have, with nothing written
// in between (a wider K could trap on bytes S did not touch, after S's
// write became visible).
//
// Invariants: only plain stores are removed, each only while its killer
// stays in the layout (stores are visited in layout order and removal is
// immediate, so a removed store never serves as another's killer); the
// search is bounded per store and gives up (keeps the store) beyond it.

import {
  InstructionFormat,
  MemFlags,
  Opcode,
  canLoad,
  canStore,
  canTrap,
  hasSideEffects,
  isBranch,
  isCall,
  isDynamicVector,
  NONE,
  opcodeFormat,
  otherSideEffects,
  typeBytes,
  type Block,
  type Function,
  type Inst,
} from '@clift/ir';
import { memoryCategory } from './alias-analysis.js';
import { computeFlow, type Flow } from './flow.js';

/** Instructions examined per store before giving up. */
const SEARCH_BUDGET = 20000;

function storeWidth(func: Function, inst: Inst): number {
  const dfg = func.dfg;
  switch (dfg.opcode(inst) as Opcode) {
    case Opcode.Istore8:
      return 1;
    case Opcode.Istore16:
      return 2;
    case Opcode.Istore32:
      return 4;
    default: {
      const ty = dfg.valueType_(dfg.arg(inst, 0));
      return isDynamicVector(ty) ? 0 : typeBytes(ty);
    }
  }
}

function isPlainStoreOp(op: Opcode): boolean {
  return opcodeFormat(op) === InstructionFormat.Store && op !== Opcode.AtomicStore && canStore(op);
}
function isPlainLoadOp(op: Opcode): boolean {
  return opcodeFormat(op) === InstructionFormat.Load && op !== Opcode.AtomicLoad && canLoad(op);
}

/** How an instruction after a candidate store affects it. */
const enum Step {
  Harmless,
  Barrier,
  Kills,
}

/** Removes dead stores; returns how many. */
export function eliminateDeadStores(func: Function, flow?: Flow): number {
  const { dfg, layout } = func;
  const stores: Inst[] = [];
  for (const b of layout.blocks()) {
    for (const inst of layout.blockInsts(b)) if (isPlainStoreOp(dfg.opcode(inst) as Opcode)) stores.push(inst);
  }
  if (stores.length < 2) return 0;
  const cfg = flow ?? computeFlow(func);
  if (cfg === undefined) return 0;

  const classify = (s: Inst, sCat: number, sAddr: number, sOff: number, sWidth: number, sTrap: number | undefined, inst: Inst): Step => {
    if (inst === s) return Step.Barrier;
    const op = dfg.opcode(inst) as Opcode;
    if (isPlainStoreOp(op)) {
      const flags = dfg.imm0(inst) as MemFlags;
      const trap = MemFlags.trapCode(flags);
      if (
        memoryCategory(flags) === sCat &&
        dfg.resolveAliases(dfg.arg(inst, 1)) === sAddr &&
        dfg.imm1(inst) === sOff
      ) {
        const w = storeWidth(func, inst);
        if (trap === sTrap && (trap === undefined ? w >= sWidth : w === sWidth)) return Step.Kills;
      }
      return trap === undefined && sTrap === undefined ? Step.Harmless : Step.Barrier;
    }
    if (isPlainLoadOp(op)) {
      const flags = dfg.imm0(inst) as MemFlags;
      const lCat = memoryCategory(flags);
      // Category 0 (no region) may overlap any region, so it is disjoint from nothing.
      const disjoint = lCat !== sCat && lCat !== 0 && sCat !== 0;
      return MemFlags.trapCode(flags) === undefined && disjoint ? Step.Harmless : Step.Barrier;
    }
    if (isBranch(op)) return isCall(op) || canTrap(op) || otherSideEffects(op) || canLoad(op) || canStore(op) ? Step.Barrier : Step.Harmless;
    return hasSideEffects(op) || canLoad(op) || canStore(op) ? Step.Barrier : Step.Harmless;
  };

  let removed = 0;
  for (const s of stores) {
    const sWidth = storeWidth(func, s);
    if (sWidth === 0) continue;
    const flags = dfg.imm0(s) as MemFlags;
    const sCat = memoryCategory(flags);
    const sAddr = dfg.resolveAliases(dfg.arg(s, 1));
    const sOff = dfg.imm1(s);
    const sTrap = MemFlags.trapCode(flags);
    let budget = SEARCH_BUDGET;

    /** Scans `from` (exclusive, or the block start) to the block end: Kills, Barrier or Harmless (fell off the end). */
    const scan = (block: Block, from: Inst | undefined): Step => {
      let inst = from === undefined ? layout.firstInst(block) : layout.nextInst(from);
      while (inst !== (NONE as Inst)) {
        if (--budget < 0) return Step.Barrier;
        const step = classify(s, sCat, sAddr, sOff, sWidth, sTrap, inst);
        if (step !== Step.Harmless) return step;
        inst = layout.nextInst(inst);
      }
      return Step.Harmless;
    };

    const home = layout.instBlock(s);
    const first = scan(home, s);
    let dead: boolean;
    if (first !== Step.Harmless) dead = first === Step.Kills;
    else dead = allPathsKill(cfg, home, (b) => scan(b, undefined));
    if (dead) {
      layout.removeInst(s);
      removed++;
    }
  }
  return removed;
}

/**
 * From the end of `home`, does every path reach a block whose scan kills,
 * with no barrier on the way and no region it cannot leave toward a kill?
 */
function allPathsKill(cfg: Flow, home: Block, scan: (b: Block) => Step): boolean {
  // Blocks whose scan fell through, in discovery order, after the tail of
  // `home` past the store. `home` gets no state of its own: re-entering it
  // scans its prefix and then meets the store itself, a barrier.
  const through: Block[] = [home];
  const state = new Map<Block, Step>();
  for (let i = 0; i < through.length; i++) {
    const succs = cfg.succs(through[i]);
    if (succs.length === 0) return false; // a terminator leaving the function without a killer
    for (const t of succs) {
      if (state.has(t)) continue;
      const step = scan(t);
      if (step === Step.Barrier) return false;
      state.set(t, step);
      if (step === Step.Harmless) through.push(t);
    }
  }
  // Every fall-through block must be able to reach a killing block.
  const good = new Set<Block>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of through) {
      if (good.has(b)) continue;
      if (cfg.succs(b).some((t) => state.get(t) === Step.Kills || good.has(t))) {
        good.add(b);
        changed = true;
      }
    }
  }
  return good.size === through.length;
}
