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
import { U32Table } from './value-table.js';

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

/** What an instruction is to the search, whatever the candidate store (decided once per instruction). */
const enum Kind {
  /** A plain store: its fields are in `StoreFacts`. */
  Store,
  /** A plain load: its category and whether it may trap are in `StoreFacts`. */
  Load,
  Harmless,
  Barrier,
}

/**
 * Per-instruction facts for one call, indexed by the instruction's position
 * in layout order (`pos`). Kept across calls: every instruction in the
 * layout gets its entries written before any is read.
 */
class StoreFacts {
  readonly pos = new U32Table(64, 0);
  kind: Uint8Array = new Uint8Array(64);
  /** Category of a store or load. */
  cat: Int32Array = new Int32Array(64);
  /** Store: address value (aliases resolved). */
  addr: Int32Array = new Int32Array(64);
  /** Store: offset. */
  off: Int32Array = new Int32Array(64);
  /** Store: width in bytes (0 for a dynamic vector). */
  width: Int32Array = new Int32Array(64);
  /** Store or load: trap code, -1 for none. */
  trap: Int32Array = new Int32Array(64);

  ensure(n: number): void {
    if (n <= this.kind.length) return;
    let size = this.kind.length;
    while (size < n) size *= 2;
    this.kind = new Uint8Array(size);
    this.cat = new Int32Array(size);
    this.addr = new Int32Array(size);
    this.off = new Int32Array(size);
    this.width = new Int32Array(size);
    this.trap = new Int32Array(size);
  }
}

const facts = new StoreFacts();

/** Removes dead stores; returns how many. */
export function eliminateDeadStores(func: Function, flow?: Flow): number {
  const { dfg, layout } = func;
  const stores: Inst[] = [];
  let n = 0;
  for (let b = layout.firstBlock(); b !== (NONE as Block); b = layout.nextBlock(b)) {
    for (let inst = layout.firstInst(b); inst !== (NONE as Inst); inst = layout.nextInst(inst)) {
      n++;
      if (isPlainStoreOp(dfg.opcode(inst) as Opcode)) stores.push(inst);
    }
  }
  if (stores.length < 2) return 0;
  const cfg = flow ?? computeFlow(func);
  if (cfg === undefined) return 0;

  const f = facts;
  f.ensure(n);
  let p = 0;
  for (let b = layout.firstBlock(); b !== (NONE as Block); b = layout.nextBlock(b)) {
    for (let inst = layout.firstInst(b); inst !== (NONE as Inst); inst = layout.nextInst(inst), p++) {
      f.pos.set(inst, p);
      const op = dfg.opcode(inst) as Opcode;
      if (isPlainStoreOp(op)) {
        const flags = dfg.imm0(inst) as MemFlags;
        f.kind[p] = Kind.Store;
        f.cat[p] = memoryCategory(flags);
        f.addr[p] = dfg.resolveAliases(dfg.arg(inst, 1));
        f.off[p] = dfg.imm1(inst);
        f.width[p] = storeWidth(func, inst);
        f.trap[p] = MemFlags.trapCode(flags) ?? -1;
      } else if (isPlainLoadOp(op)) {
        const flags = dfg.imm0(inst) as MemFlags;
        f.kind[p] = Kind.Load;
        f.cat[p] = memoryCategory(flags);
        f.trap[p] = MemFlags.trapCode(flags) ?? -1;
      } else if (isBranch(op)) {
        f.kind[p] = isCall(op) || canTrap(op) || otherSideEffects(op) || canLoad(op) || canStore(op) ? Kind.Barrier : Kind.Harmless;
      } else {
        f.kind[p] = hasSideEffects(op) || canLoad(op) || canStore(op) ? Kind.Barrier : Kind.Harmless;
      }
    }
  }

  let removed = 0;
  for (const s of stores) {
    const sp = f.pos.get(s);
    const sWidth = f.width[sp];
    if (sWidth === 0) continue;
    const search = new StoreSearch(layout, s, sp);
    const home = layout.instBlock(s);
    const first = search.scan(home, s);
    let dead: boolean;
    if (first !== Step.Harmless) dead = first === Step.Kills;
    else dead = allPathsKill(cfg, home, search);
    if (dead) {
      layout.removeInst(s);
      removed++;
    }
  }
  return removed;
}

/** The search for a killer of one candidate store `s`, over the facts of its function. */
class StoreSearch {
  private budget = SEARCH_BUDGET;
  private readonly cat: number;
  private readonly addr: number;
  private readonly off: number;
  private readonly width: number;
  private readonly trap: number;

  constructor(
    private readonly layout: Function['layout'],
    private readonly s: Inst,
    sp: number,
  ) {
    this.cat = facts.cat[sp];
    this.addr = facts.addr[sp];
    this.off = facts.off[sp];
    this.width = facts.width[sp];
    this.trap = facts.trap[sp];
  }

  /** How `inst`, after the store on some path, affects it. */
  private classify(inst: Inst): Step {
    if (inst === this.s) return Step.Barrier;
    const f = facts;
    const p = f.pos.get(inst);
    switch (f.kind[p] as Kind) {
      case Kind.Store: {
        const trap = f.trap[p];
        if (f.cat[p] === this.cat && f.addr[p] === this.addr && f.off[p] === this.off) {
          const w = f.width[p];
          if (trap === this.trap && (trap < 0 ? w >= this.width : w === this.width)) return Step.Kills;
        }
        return trap < 0 && this.trap < 0 ? Step.Harmless : Step.Barrier;
      }
      case Kind.Load: {
        const lCat = f.cat[p];
        // Category 0 (no region) may overlap any region, so it is disjoint from nothing.
        const disjoint = lCat !== this.cat && lCat !== 0 && this.cat !== 0;
        return f.trap[p] < 0 && disjoint ? Step.Harmless : Step.Barrier;
      }
      case Kind.Harmless:
        return Step.Harmless;
      default:
        return Step.Barrier;
    }
  }

  /** Scans `from` (exclusive, or the block start) to the block end: Kills, Barrier or Harmless (fell off the end). */
  scan(block: Block, from: Inst | undefined): Step {
    const layout = this.layout;
    let inst = from === undefined ? layout.firstInst(block) : layout.nextInst(from);
    while (inst !== (NONE as Inst)) {
      if (--this.budget < 0) return Step.Barrier;
      const step = this.classify(inst);
      if (step !== Step.Harmless) return step;
      inst = layout.nextInst(inst);
    }
    return Step.Harmless;
  }
}

/**
 * From the end of `home`, does every path reach a block whose scan kills,
 * with no barrier on the way and no region it cannot leave toward a kill?
 */
function allPathsKill(cfg: Flow, home: Block, search: StoreSearch): boolean {
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
      const step = search.scan(t, undefined);
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
