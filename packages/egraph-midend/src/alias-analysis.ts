// Alias analysis over memory categories: redundant-load elimination and
// store-to-load forwarding (then, unless told otherwise, dead store
// elimination from dead-stores.ts).
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
// that value.
//
// Invariants: nothing is removed unless its replacement dominates it; a
// load is only forwarded from a store that wrote exactly its bytes (same
// opcode width and type); trapping behaviour is preserved because the
// earlier access to the same address would have trapped first.

import {
  ControlFlowGraph,
  DominatorTree,
  InstructionFormat,
  MemFlagBit,
  MemFlags,
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
}

export function runAliasAnalysis(func: Function, opts: AliasAnalysisOptions = {}): AliasAnalysisStats {
  const { dfg, layout } = func;
  const stats: AliasAnalysisStats = { loadsRemoved: 0, storesRemoved: 0 };
  const cfg = ControlFlowGraph.compute(func);
  const domtree = DominatorTree.compute(func, cfg);
  const rpo: Block[] = [...domtree.cfgPostorder()].reverse();
  const entryMarker = (b: Block, c: number): number => -(2 + b * CATEGORIES + c);

  // Categories the function touches, plus -1 for "all others" after a clobber.
  const used = new Set<number>();
  for (const b of rpo) {
    for (const inst of layout.blockInsts(b)) {
      if (isPlainLoad(func, inst) || isPlainStore(func, inst)) used.add(memoryCategory(dfg.imm0(inst) as MemFlags));
    }
  }
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
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of rpo) {
      const preds = cfg.predBlocks(b).filter((p) => exitState.has(p));
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
        if (hit && layout.isInstInserted(hit[1]) && domtree.instDominates(func, hit[1], inst)) {
          layout.removeInst(inst);
          dfg.changeToAlias(res, hit[0]);
          stats.loadsRemoved++;
          continue;
        }
        known.set(keyLoad, [res, inst]);
      } else if (isPlainStore(func, inst)) {
        transfer(s, inst);
        const flags = dfg.imm0(inst) as MemFlags;
        const c = memoryCategory(flags);
        const val = dfg.resolveAliases(dfg.arg(inst, 0));
        const addr = dfg.resolveAliases(dfg.arg(inst, 1));
        const endian = flags & (MemFlagBit.Big | MemFlagBit.Little);
        known.set(`${inst}:${c}:${addr}:${dfg.imm1(inst)}:s${op}:${dfg.valueType_(val)}:${endian}`, [val, inst]);
        continue;
      }
      transfer(s, inst);
    }
  }
  if (opts.deadStores ?? true) stats.storesRemoved = eliminateDeadStores(func);
  return stats;
}
