// Alias analysis over memory categories: redundant-load elimination,
// store-to-load forwarding and removal of idempotent stores (then, unless
// told otherwise, dead store elimination from dead-stores.ts).
//
// Memory is split into disjoint categories by memflags: the `heap`,
// `table` and `vmctx` regions, each declared `regionN`, and everything else.
// A forward dataflow over the CFG gives, at each instruction, the last
// instruction that may have written each category (a store of that
// category, or any call, fence, atomic or other instruction that may write
// memory), with a per-block marker where predecessors disagree. Two memory
// accesses of the same category, kind, type, address value and offset that
// see the same last writer read the same bytes, so a later load whose
// earlier twin (or a store to the same place) dominates it is replaced by
// that value, and a store of the value those bytes are known to hold goes.
//
// Invariants: nothing is removed unless its replacement dominates it; a
// load is only forwarded from a store that wrote exactly its bytes (same
// opcode width and type); trapping behaviour is preserved because the
// earlier access to the same address would have trapped first.

import {
  InstructionFormat,
  MemFlagBit,
  MemFlags,
  NONE,
  Opcode,
  canLoad,
  canStore,
  hasSideEffects,
  isCall,
  opcodeFormat,
  otherSideEffects,
  type Block,
  type Function,
  type Inst,
  type Value,
} from '@clift/ir';
import { eliminateDeadStores } from './dead-stores.js';
import { computeFlow, type Flow } from './flow.js';

export interface AliasAnalysisStats {
  loadsRemoved: number;
  storesRemoved: number;
}

const LOAD_STORE_PAIRS = new Map<number, number>([
  [Opcode.Load, Opcode.Store],
  [Opcode.Uload8, Opcode.Istore8],
  [Opcode.Sload8, Opcode.Istore8],
  [Opcode.Uload16, Opcode.Istore16],
  [Opcode.Sload16, Opcode.Istore16],
  [Opcode.Uload32, Opcode.Istore32],
  [Opcode.Sload32, Opcode.Istore32],
]);

/** The memory category of an access: 0 other, 1 heap, 2 table, 3 vmctx, 4+N regionN. */
export function memoryCategory(flags: MemFlags): number {
  const idx = MemFlags.regionIndex(flags);
  if (idx !== undefined) return 4 + idx;
  return MemFlags.aliasRegion(flags);
}

const CATEGORIES = 4 + 256;

function isPlainLoad(func: Function, inst: Inst): boolean {
  const op = func.dfg.opcode(inst) as Opcode;
  return opcodeFormat(op) === InstructionFormat.Load && op !== Opcode.AtomicLoad && canLoad(op) && func.dfg.numResults(inst) === 1;
}
function isPlainStore(func: Function, inst: Inst): boolean {
  const op = func.dfg.opcode(inst) as Opcode;
  return opcodeFormat(op) === InstructionFormat.Store && op !== Opcode.AtomicStore && canStore(op);
}

/** Whether `inst` may write memory of any category (other than a plain store's own). */
function clobbersAll(func: Function, inst: Inst): boolean {
  const op = func.dfg.opcode(inst) as Opcode;
  if (isPlainStore(func, inst) || isPlainLoad(func, inst)) return false;
  if (op === Opcode.Fence) return true;
  return canStore(op) || isCall(op) || otherSideEffects(op) || (canLoad(op) && hasSideEffects(op));
}

/** Memory state: the last writer per category, sparse over the few categories a function uses. */
type State = Map<number, number>;

function stateGet(s: State, c: number, fallback: number): number {
  return s.get(c) ?? s.get(-1) ?? fallback;
}

export interface AliasAnalysisOptions {
  /**
   * Also remove dead stores afterwards (default true, as upstream's
   * `alias-analysis` pass does). The optimizer turns this off and runs the
   * elimination after elaboration, when addresses are GVN-canonical.
   */
  readonly deadStores?: boolean;
  /** The function's current control-flow facts, when the caller has them. */
  readonly flow?: Flow;
}

export function runAliasAnalysis(func: Function, opts: AliasAnalysisOptions = {}): AliasAnalysisStats {
  const stats: AliasAnalysisStats = { loadsRemoved: 0, storesRemoved: 0 };
  const flow = opts.flow ?? computeFlow(func);
  if (flow !== undefined) {
    const r = removeRedundantAccesses(func, flow);
    stats.loadsRemoved = r.loads;
    stats.storesRemoved = r.stores;
  }
  if ((opts.deadStores ?? true) && flow !== undefined) {
    const r = removeDeadAndIdempotentStores(func, flow);
    stats.storesRemoved += r.stores;
    stats.loadsRemoved += r.loads;
  }
  return stats;
}

/**
 * Dead store elimination, then again idempotent-store removal while either
 * finds something: removing a dead store can expose the memory version
 * before it to a later store, which then writes what memory already holds
 * (a save / clear / restore sequence collapses entirely). `flow` must
 * describe the current CFG; neither pass changes it.
 */
export function removeDeadAndIdempotentStores(func: Function, flow: Flow): { stores: number; loads: number } {
  let stores = 0;
  let loads = 0;
  for (;;) {
    const dead = eliminateDeadStores(func, flow);
    stores += dead;
    if (dead === 0) break;
    const r = removeRedundantAccesses(func, flow);
    stores += r.stores;
    loads += r.loads;
    if (r.stores === 0) break;
  }
  return { stores, loads };
}

/** Removes redundant loads and idempotent stores; returns how many of each. */
function removeRedundantAccesses(func: Function, flow: Flow): { loads: number; stores: number } {
  const { dfg, layout } = func;
  let loadsRemoved = 0;
  let storesRemoved = 0;
  const rpo = flow.rpo;
  const entryMarker = (b: Block, c: number): number => -(2 + b * CATEGORIES + c);

  // Categories the function touches, plus -1 for "all others" after a clobber.
  const used = new Set<number>();
  let loads = 0;
  let stores = 0;
  for (const b of rpo) {
    for (let inst = layout.firstInst(b); inst !== (NONE as Inst); inst = layout.nextInst(inst)) {
      const load = isPlainLoad(func, inst);
      const store = !load && isPlainStore(func, inst);
      if (load) loads++;
      if (store) stores++;
      if (load || store) used.add(memoryCategory(dfg.imm0(inst) as MemFlags));
    }
  }
  // Only loads and stores after a load or store can be removed.
  if (loads === 0 && stores < 2) return { loads: 0, stores: 0 };
  const cats = [...used];

  // An access in category 0 (no region) may touch memory of any region,
  // so a store there clobbers every category, and a store to a region also
  // clobbers category 0 (upstream's alias/issue-13508.clif).
  const transfer = (s: State, inst: Inst): void => {
    if (isPlainStore(func, inst)) {
      const c = memoryCategory(dfg.imm0(inst) as MemFlags);
      if (c === 0) for (const k of cats) s.set(k, inst);
      else {
        s.set(c, inst);
        if (used.has(0)) s.set(0, inst);
      }
    } else if (clobbersAll(func, inst)) for (const c of cats) s.set(c, inst);
  };

  // Dataflow to a fixpoint: block-entry states.
  const exitState = new Map<Block, State>();
  const entryState = new Map<Block, State>();
  // A single block has no incoming edges: its entry state is its markers,
  // and there is nothing to iterate.
  for (let changed = true; changed; ) {
    changed = false;
    if (rpo.length === 1) {
      entryState.set(rpo[0], new Map(cats.map((c) => [c, entryMarker(rpo[0], c)])));
      break;
    }
    for (const b of rpo) {
      const preds = flow.predBlocks(b).filter((p) => exitState.has(p));
      const inState: State = new Map();
      for (const c of cats) {
        let v: number | undefined;
        let agree = true;
        for (const p of preds) {
          const pv = stateGet(exitState.get(p)!, c, entryMarker(p, c));
          if (v === undefined) v = pv;
          else if (v !== pv) agree = false;
        }
        inState.set(c, preds.length > 0 && agree && v !== undefined ? v : entryMarker(b, c));
      }
      entryState.set(b, inState);
      const out = new Map(inState);
      for (const inst of layout.blockInsts(b)) transfer(out, inst);
      const old = exitState.get(b);
      if (!old || cats.some((c) => old.get(c) !== out.get(c))) {
        exitState.set(b, out);
        changed = true;
      }
    }
  }

  // Known memory contents: key -> [value, defining instruction].
  const known = new Map<string, [Value, Inst]>();
  for (const b of rpo) {
    const s = new Map(entryState.get(b));
    for (const inst of [...layout.blockInsts(b)]) {
      const op = dfg.opcode(inst);
      if (isPlainLoad(func, inst)) {
        const flags = dfg.imm0(inst) as MemFlags;
        const c = memoryCategory(flags);
        const addr = dfg.resolveAliases(dfg.arg(inst, 0));
        const res = dfg.result(inst, 0);
        const ty = dfg.valueType_(res);
        const ver = stateGet(s, c, entryMarker(b, c));
        const endian = flags & (MemFlagBit.Big | MemFlagBit.Little);
        const keyLoad = `${ver}:${c}:${addr}:${dfg.imm1(inst)}:${op}:${ty}:${endian}`;
        const storeOp = LOAD_STORE_PAIRS.get(op);
        const keyStore = op === Opcode.Load ? `${ver}:${c}:${addr}:${dfg.imm1(inst)}:s${storeOp}:${ty}:${endian}` : undefined;
        const hit = known.get(keyLoad) ?? (keyStore !== undefined ? known.get(keyStore) : undefined);
        if (hit && layout.isInstInserted(hit[1]) && flow.instDominates(hit[1], inst)) {
          layout.removeInst(inst);
          dfg.changeToAlias(res, hit[0]);
          loadsRemoved++;
          continue;
        }
        known.set(keyLoad, [res, inst]);
      } else if (isPlainStore(func, inst)) {
        const flags = dfg.imm0(inst) as MemFlags;
        const c = memoryCategory(flags);
        const val = dfg.resolveAliases(dfg.arg(inst, 0));
        const addr = dfg.resolveAliases(dfg.arg(inst, 1));
        const ty = dfg.valueType_(val);
        const endian = flags & (MemFlagBit.Big | MemFlagBit.Little);
        // An idempotent store writes what its bytes already hold: the value
        // a dominating load of exactly those bytes read, or a dominating
        // store wrote, with no write of the category in between. It changes
        // nothing, and the earlier access to the same address would have
        // trapped first, so it goes and the memory version stays.
        const ver = stateGet(s, c, entryMarker(b, c));
        const rest = `${c}:${addr}:${dfg.imm1(inst)}`;
        const same =
          (op === Opcode.Store ? known.get(`${ver}:${rest}:${Opcode.Load}:${ty}:${endian}`) : undefined) ??
          known.get(`${ver}:${rest}:s${op}:${ty}:${endian}`);
        if (same && same[0] === val && layout.isInstInserted(same[1]) && flow.instDominates(same[1], inst)) {
          layout.removeInst(inst);
          storesRemoved++;
          continue;
        }
        transfer(s, inst);
        known.set(`${inst}:${rest}:s${op}:${ty}:${endian}`, [val, inst]);
        continue;
      }
      transfer(s, inst);
    }
  }
  return { loads: loadsRemoved, stores: storesRemoved };
}
