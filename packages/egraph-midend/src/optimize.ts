// The mid-end driver: `optimize(func)` runs, in order, unreachable-code
// removal, alias analysis (redundant loads, store-to-load forwarding),
// removal of block parameters that always receive one value, the e-graph
// build over the dominator tree (pure instructions leave the layout
// and become hash-consed, rewritten nodes; the skeleton of
// effectful instructions stays, with dominated duplicates of idempotent ones
// merged), cost-based scoped elaboration, constant-branch folding, dead
// store elimination (dead-stores.ts) and DCE.
//
// Most functions it sees are a few instructions long, so fixed costs
// matter as much as per-instruction ones: one walk up front decides which
// passes can matter (no memory access, no alias analysis; one block without
// branches, no CFG), and the e-graph and elaborator live in a workspace
// reused from call to call.
//
// Invariants: the function is verifier-clean before and after (the caller's
// contract for the input; the passes preserve it); results of instructions
// that remain keep their value numbers; a skipped pass is one that would
// have changed nothing.

import {
  ALL_OPCODES,
  BlockArg,
  InstructionFormat,
  MemFlagBit,
  MemFlags,
  NONE,
  Opcode,
  canLoad,
  canStore,
  hasSideEffects,
  isBranch,
  laneBits,
  opcodeFormat,
  otherSideEffects,
  sideEffectsIdempotent,
  type BlockCall,
  type DataFlowGraph,
  type Function,
  type Inst,
  type Value,
} from '@clift/ir';
import { removeDeadAndIdempotentStores, runAliasAnalysis } from './alias-analysis.js';
import { eliminateDeadCode, foldConstantBranches, isRemovableWhenUnused, removeConstantBlockParams, removeUnreachableBlocks } from './cleanup.js';
import { EGraph, hashInst, sameNode } from './egraph.js';
import { Elaborator } from './elaborate.js';
import { computeFlow, oneBlockFlow, type Flow } from './flow.js';
import { blockCallsOf, hasExceptionContexts } from './uses.js';
import { U32Table } from './value-table.js';

export interface OptimizeOptions {
  readonly level?: 'speed' | 'speed_and_size';
  /** Run alias analysis (default true). */
  readonly aliasAnalysis?: boolean;
  /** Print rule firings and statistics (default: `CLIFT_LOG` contains `egraph`). */
  readonly log?: boolean;
  /** Where log lines go (default: console.error). */
  readonly logger?: (line: string) => void;
}

export interface OptStats {
  instsBefore: number;
  instsAfter: number;
  unreachableBlocks: number;
  blockParamsRemoved: number;
  nodesInserted: number;
  gvnHits: number;
  skeletonMerged: number;
  rewrites: number;
  unions: number;
  subsumes: number;
  placed: number;
  hoisted: number;
  remat: number;
  loadsRemoved: number;
  storesRemoved: number;
  branchesFolded: number;
  deadInsts: number;
}

interface HostGlobals {
  process?: { env?: Record<string, string | undefined> };
  console?: { error(line: string): void };
}

let envLog: boolean | undefined;

/** Read once per process: the environment lookup costs more than optimizing a small function. */
function envWantsLog(): boolean {
  if (envLog !== undefined) return envLog;
  const g = globalThis as HostGlobals;
  const v = g.process?.env?.CLIFT_LOG;
  envLog = v !== undefined && v.split(',').some((s) => s.trim() === 'egraph' || s.trim() === 'all');
  return envLog;
}

export function countInsts(func: Function): number {
  const layout = func.layout;
  let n = 0;
  for (let b = layout.firstBlock(); b !== NONE; b = layout.nextBlock(b)) {
    for (let i = layout.firstInst(b); i !== NONE; i = layout.nextInst(i)) n++;
  }
  return n;
}

/** Division by a constant that cannot trap: it can float like a pure operation. */
function isSafeDivision(eg: EGraph, func: Function, inst: Inst): boolean {
  const dfg = func.dfg;
  const op = dfg.opcode(inst);
  if (op !== Opcode.Udiv && op !== Opcode.Urem && op !== Opcode.Sdiv && op !== Opcode.Srem) return false;
  const k = eg.iconst_u(eg.classOf(dfg.arg(inst, 1)));
  if (!k || k[1] === 0n) return false;
  // INT_MIN / -1 traps on overflow.
  if (op === Opcode.Sdiv || op === Opcode.Srem) return BigInt.asIntN(laneBits(k[0]), k[1]) !== -1n;
  return true;
}

// How the e-graph build treats an opcode, decided once per opcode from its
// properties (the build asks for every instruction).
/** Skeleton: stays in the layout. */
const K_SKELETON = 0;
/** A pure node when it has one result. */
const K_PURE = 1;
/** A load: a pure node when it has one result and is readonly and cannot trap. */
const K_LOAD = 2;
/** A division: a pure node when its divisor is a constant that makes it safe. */
const K_DIVISION = 3;
/** Flag: an idempotent effect, merged into a dominating duplicate. */
const M_IDEMPOTENT = 4;
/** Flag: a load merged into a dominating duplicate when readonly. */
const M_LOAD = 8;
/** Flag: may read memory (the scan that decides whether alias analysis can matter). */
const F_LOADS = 16;
/** Flag: may write memory. */
const F_STORES = 32;
/** Flag: a branch. */
const F_BRANCH = 64;
/** Flag: removable when its results are unused, unless it is a load that may trap (see cleanup.ts). */
const F_REMOVABLE = 128;

const OPCODE_KIND = new Uint8Array(ALL_OPCODES.reduce((m, op) => Math.max(m, op), 0) + 1);
for (const op of ALL_OPCODES) {
  const fmt = opcodeFormat(op);
  let k = K_SKELETON;
  if (op === Opcode.Udiv || op === Opcode.Urem || op === Opcode.Sdiv || op === Opcode.Srem) k = K_DIVISION;
  else if (otherSideEffects(op) || fmt === InstructionFormat.NullAry) k = K_SKELETON;
  else if (canLoad(op)) k = fmt === InstructionFormat.Load && op !== Opcode.AtomicLoad ? K_LOAD : K_SKELETON;
  else if (!hasSideEffects(op)) k = K_PURE;
  if (sideEffectsIdempotent(op)) k |= M_IDEMPOTENT;
  else if (fmt === InstructionFormat.Load && op !== Opcode.AtomicLoad && canLoad(op)) k |= M_LOAD;
  if (canLoad(op)) k |= F_LOADS;
  if (canStore(op)) k |= F_STORES;
  if (isBranch(op)) k |= F_BRANCH;
  if (!hasSideEffects(op) && (!canLoad(op) || ((fmt === InstructionFormat.Load || fmt === InstructionFormat.LoadNoOffset) && op !== Opcode.AtomicLoad))) k |= F_REMOVABLE;
  OPCODE_KIND[op] = k;
}

/** Pure instructions become e-graph nodes: one result, no effect, no trap. */
export function isPureForEgraph(func: Function, inst: Inst): boolean {
  const dfg = func.dfg;
  if (dfg.numResults(inst) !== 1) return false;
  const k = OPCODE_KIND[dfg.opcode(inst)] & 3;
  if (k === K_PURE) return true;
  if (k !== K_LOAD) return false;
  const flags = dfg.imm0(inst) as MemFlags;
  return MemFlags.has(flags, MemFlagBit.Readonly) && MemFlags.trapCode(flags) === undefined;
}

/** Effectful instructions that a dominating identical one makes redundant. */
function isMergeable(func: Function, inst: Inst): boolean {
  const dfg = func.dfg;
  if (dfg.numResults(inst) > 1) return false;
  const k = OPCODE_KIND[dfg.opcode(inst)];
  if ((k & M_IDEMPOTENT) !== 0) return true;
  // A readonly load that may trap: the dominating one trapped first if at all.
  return (k & M_LOAD) !== 0 && MemFlags.has(dfg.imm0(inst) as MemFlags, MemFlagBit.Readonly);
}

/**
 * What one optimize call works in: the e-graph, the elaborator and their
 * tables, kept for the next call. A small function's whole optimization
 * costs about as much as making these afresh, so the driver keeps one
 * workspace for consecutive calls (and makes a fresh one for a call nested
 * in another, through a logger).
 */
class Workspace {
  eg: EGraph | undefined;
  elab: Elaborator | undefined;
  /** Use counts for dead code elimination (all 0 between calls). */
  readonly uses = new U32Table(64, 0);
  /** Scoped duplicates of mergeable skeleton instructions, by hash. */
  readonly scoped = new Map<number, Inst[]>();
  readonly calls: BlockCall[] = [];
  inUse = false;
}

const sharedWorkspace = new Workspace();

/** What the build learned about the skeleton, for the passes after elaboration. */
interface BuildFacts {
  /** Instructions left in the layout. */
  skeleton: number;
  /** Skeleton instructions that dead code elimination could remove if unused. */
  removable: number;
  /** `brif` instructions (the only branches constant folding changes). */
  brifs: number;
}

export function optimize(func: Function, opts: OptimizeOptions = {}): OptStats {
  const logOn = opts.log ?? envWantsLog();
  const log = logOn ? (opts.logger ?? ((line: string) => (globalThis as HostGlobals).console?.error(line))) : undefined;
  const stats: OptStats = {
    instsBefore: 0,
    instsAfter: 0,
    unreachableBlocks: 0,
    blockParamsRemoved: 0,
    nodesInserted: 0,
    gvnHits: 0,
    skeletonMerged: 0,
    rewrites: 0,
    unions: 0,
    subsumes: 0,
    placed: 0,
    hoisted: 0,
    remat: 0,
    loadsRemoved: 0,
    storesRemoved: 0,
    branchesFolded: 0,
    deadInsts: 0,
  };
  // One walk counts the instructions and the memory accesses (alias
  // analysis and dead store elimination cannot remove anything from a
  // function without a load or at least two stores) and finds whether the
  // function is one block without branches (the common case, which needs
  // no CFG).
  const { dfg, layout } = func;
  let insts = 0;
  let loads = 0;
  let stores = 0;
  let blocks = 0;
  let kinds = 0;
  for (let b = layout.firstBlock(); b !== NONE; b = layout.nextBlock(b)) {
    blocks++;
    for (let i = layout.firstInst(b); i !== NONE; i = layout.nextInst(i)) {
      insts++;
      const k = OPCODE_KIND[dfg.opcode(i)];
      kinds |= k;
      if ((k & F_LOADS) !== 0) loads++;
      if ((k & F_STORES) !== 0) stores++;
    }
  }
  stats.instsBefore = insts;
  if (blocks === 0) {
    stats.instsAfter = insts;
    return stats;
  }
  let flow = blocks === 1 && (kinds & F_BRANCH) === 0 ? oneBlockFlow(func, layout.firstBlock()) : computeFlow(func)!;
  // A single block has nothing unreachable.
  if (blocks > 1) {
    stats.unreachableBlocks = removeUnreachableBlocks(func, flow).blocks;
    if (stats.unreachableBlocks > 0) flow = computeFlow(func)!;
  }

  // Neither pass changes an edge: the flow facts stay valid through both.
  const aliasAnalysis = (opts.aliasAnalysis ?? true) && (loads > 0 || stores >= 2);
  if (aliasAnalysis) {
    const aa = runAliasAnalysis(func, { deadStores: false, flow });
    stats.loadsRemoved = aa.loadsRemoved;
    stats.storesRemoved = aa.storesRemoved;
  }
  stats.blockParamsRemoved = removeConstantBlockParams(func);

  const ws = sharedWorkspace.inUse ? new Workspace() : sharedWorkspace;
  ws.inUse = true;
  try {
    let eg = ws.eg;
    if (eg === undefined) eg = ws.eg = new EGraph(dfg, log);
    else eg.begin(dfg, log);
    const facts = buildEGraph(func, eg, flow, stats, ws);
    let elab = ws.elab;
    if (elab === undefined) elab = ws.elab = new Elaborator(func, eg, flow);
    else elab.begin(func, eg, flow);
    elab.run(flow.rpo[0]);
    const ec = eg.counters;
    stats.nodesInserted = ec.nodesInserted;
    stats.gvnHits = ec.gvnHits;
    stats.rewrites = ec.rewrites;
    stats.unions = ec.unions;
    stats.subsumes = ec.subsumes;
    stats.placed = elab.counters.placed;
    stats.hoisted = elab.counters.hoisted;
    stats.remat = elab.counters.remat;
    insts = facts.skeleton + stats.placed;

    if (facts.brifs > 0) stats.branchesFolded = foldConstantBranches(func);
    if (stats.branchesFolded > 0) {
      const r = removeUnreachableBlocks(func);
      stats.unreachableBlocks += r.blocks;
      insts -= r.insts;
      flow = computeFlow(func)!;
    }
    // After elaboration: addresses are GVN-canonical and the CFG is final.
    let removedAfter = 0;
    if (aliasAnalysis && stores >= 2) {
      const r = removeDeadAndIdempotentStores(func, flow);
      stats.storesRemoved += r.stores;
      stats.loadsRemoved += r.loads;
      removedAfter = r.stores + r.loads;
      insts -= removedAfter;
    }
    // Elaboration places only what a use demands, so something can be dead
    // only through a removable skeleton instruction, a folded branch (its
    // condition) or a removed store or load (their operands).
    if (facts.removable > 0 || stats.branchesFolded > 0 || removedAfter > 0) {
      try {
        stats.deadInsts = eliminateDeadCode(func, ws.uses);
      } finally {
        ws.uses.reset();
      }
      insts -= stats.deadInsts;
    }
  } finally {
    ws.inUse = false;
  }
  stats.instsAfter = insts;
  if (log) {
    log(
      `egraph stats: ${stats.instsBefore} -> ${stats.instsAfter} insts; nodes ${stats.nodesInserted}, gvn hits ${stats.gvnHits}, ` +
        `skeleton merged ${stats.skeletonMerged}, rewrites ${stats.rewrites}, unions ${stats.unions}, subsumed ${stats.subsumes}, ` +
        `placed ${stats.placed}, hoisted ${stats.hoisted}, remat ${stats.remat}, loads removed ${stats.loadsRemoved}, ` +
        `stores removed ${stats.storesRemoved}, branches folded ${stats.branchesFolded}, dead ${stats.deadInsts}, ` +
        `unreachable blocks ${stats.unreachableBlocks}, block params removed ${stats.blockParamsRemoved}`,
    );
  }
  return stats;
}

/**
 * Visits blocks in reverse postorder (every definition before its uses):
 * pure instructions leave the layout for the e-graph, skeleton instructions
 * get e-class operands, and dominated duplicates of idempotent effectful
 * instructions are removed.
 */
function buildEGraph(func: Function, eg: EGraph, flow: Flow, stats: OptStats, ws: Workspace): BuildFacts {
  const { dfg, layout } = func;
  const facts: BuildFacts = { skeleton: 0, removable: 0, brifs: 0 };
  const scoped = ws.scoped;
  // Clearing a Map allocates a new table: only when there is something to clear.
  if (scoped.size > 0) scoped.clear();
  const rpo = flow.rpo;
  for (let bi = 0; bi < rpo.length; bi++) {
    const block = rpo[bi];
    const np = dfg.numBlockParams(block);
    for (let i = 0; i < np; i++) eg.addLeaf(dfg.blockParam(block, i), 0);
    for (let inst = layout.firstInst(block), next: Inst; inst !== (NONE as Inst); inst = next) {
      next = layout.nextInst(inst);
      const op = dfg.opcode(inst);
      const nr = dfg.numResults(inst);
      const kind = OPCODE_KIND[op];
      if (nr === 1 && (kind & 3) !== K_SKELETON && ((kind & 3) === K_DIVISION ? isSafeDivision(eg, func, inst) : isPureForEgraph(func, inst))) {
        layout.removeInst(inst);
        const r = dfg.result(inst, 0);
        eg.setClass(r, eg.insertInst(inst));
        continue;
      }
      useClasses(eg, dfg, inst, ws.calls);
      if ((kind & (M_IDEMPOTENT | M_LOAD)) !== 0 && isMergeable(func, inst)) {
        const h = hashInst(dfg, inst);
        const list = scoped.get(h);
        const prior = list?.find((p) => layout.isInstInserted(p) && sameNode(dfg, p, inst) && flow.blockDominates(layout.instBlock(p), block));
        if (prior !== undefined) {
          for (let i = 0; i < nr; i++) eg.setClass(dfg.result(inst, i), eg.classOf(dfg.result(prior, i)));
          layout.removeInst(inst);
          stats.skeletonMerged++;
          continue;
        }
        if (list) list.push(inst);
        else scoped.set(h, [inst]);
      }
      facts.skeleton++;
      if (op === Opcode.Brif) facts.brifs++;
      if (nr > 0 && (kind & F_REMOVABLE) !== 0 && isRemovableWhenUnused(func, inst)) facts.removable++;
      for (let i = 0; i < nr; i++) eg.addLeaf(dfg.result(inst, i), 0);
    }
  }
  return facts;
}

/** Replaces every use in skeleton instruction `inst` by its e-class. */
function useClasses(eg: EGraph, dfg: DataFlowGraph, inst: Inst, calls: BlockCall[]): void {
  if (hasExceptionContexts(dfg, inst)) {
    dfg.mapUses(inst, (v) => eg.classOf(v));
    return;
  }
  const n = dfg.numArgs(inst);
  for (let i = 0; i < n; i++) dfg.setArg(inst, i, eg.classOf(dfg.arg(inst, i)));
  const nc = blockCallsOf(dfg, inst, calls);
  for (let c = 0; c < nc; c++) {
    const bc = calls[c];
    const na = dfg.blockCallNumArgs(bc);
    for (let i = 0; i < na; i++) {
      const a = dfg.blockCallArg(bc, i);
      if (BlockArg.kind(a) === 0) dfg.setBlockCallArg(bc, i, BlockArg.value(eg.classOf(a as number as Value)));
    }
  }
}
