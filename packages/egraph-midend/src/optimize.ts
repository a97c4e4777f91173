// The mid-end driver: `optimize(func)` runs, in order, unreachable-code
// removal, alias analysis (redundant loads, store-to-load forwarding),
// removal of block parameters that always receive one value, the e-graph
// build over the dominator tree (pure instructions leave the layout
// and become hash-consed, rewritten nodes; the skeleton of
// effectful instructions stays, with dominated duplicates of idempotent ones
// merged), cost-based scoped elaboration, constant-branch folding, dead
// store elimination (dead-stores.ts) and DCE.
//
// Invariants: the function is verifier-clean before and after (the caller's
// contract for the input; the passes preserve it); results of instructions
// that remain keep their value numbers.

import {
  InstructionFormat,
  MemFlagBit,
  MemFlags,
  NONE,
  Opcode,
  canLoad,
  hasSideEffects,
  laneBits,
  opcodeFormat,
  otherSideEffects,
  sideEffectsIdempotent,
  type Function,
  type Inst,
} from '@clift/ir';
import { removeDeadAndIdempotentStores, runAliasAnalysis } from './alias-analysis.js';
import { eliminateDeadCode, foldConstantBranches, removeConstantBlockParams, removeUnreachableBlocks } from './cleanup.js';
import { EGraph, hashInst, sameNode } from './egraph.js';
import { Elaborator } from './elaborate.js';
import { computeFlow, type Flow } from './flow.js';
import { TablePool } from './value-table.js';

const sharedPool = new TablePool();

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

/** Pure instructions become e-graph nodes: one result, no effect, no trap. */
export function isPureForEgraph(func: Function, inst: Inst): boolean {
  const dfg = func.dfg;
  const op = dfg.opcode(inst) as Opcode;
  if (dfg.numResults(inst) !== 1) return false;
  if (otherSideEffects(op)) return false;
  const fmt = opcodeFormat(op);
  if (fmt === InstructionFormat.NullAry) return false;
  if (canLoad(op)) {
    if (fmt !== InstructionFormat.Load || op === Opcode.AtomicLoad) return false;
    const flags = dfg.imm0(inst) as MemFlags;
    return MemFlags.has(flags, MemFlagBit.Readonly) && MemFlags.trapCode(flags) === undefined;
  }
  return !hasSideEffects(op);
}

/** Effectful instructions that a dominating identical one makes redundant. */
function isMergeable(func: Function, inst: Inst): boolean {
  const dfg = func.dfg;
  const op = dfg.opcode(inst) as Opcode;
  if (dfg.numResults(inst) > 1) return false;
  if (sideEffectsIdempotent(op)) return true;
  // A readonly load that may trap: the dominating one trapped first if at all.
  if (opcodeFormat(op) === InstructionFormat.Load && op !== Opcode.AtomicLoad && canLoad(op)) {
    return MemFlags.has(dfg.imm0(inst) as MemFlags, MemFlagBit.Readonly);
  }
  return false;
}

export function optimize(func: Function, opts: OptimizeOptions = {}): OptStats {
  const logOn = opts.log ?? envWantsLog();
  const logger = opts.logger ?? ((line: string) => (globalThis as HostGlobals).console?.error(line));
  const log = logOn ? logger : undefined;
  const stats: OptStats = {
    instsBefore: countInsts(func),
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
  let flow = computeFlow(func);
  if (flow === undefined) {
    stats.instsAfter = stats.instsBefore;
    return stats;
  }
  stats.unreachableBlocks = removeUnreachableBlocks(func, flow).blocks;
  if (stats.unreachableBlocks > 0) flow = computeFlow(func)!;

  // Neither pass changes an edge: the flow facts stay valid through both.
  if (opts.aliasAnalysis ?? true) {
    const aa = runAliasAnalysis(func, { deadStores: false, flow });
    stats.loadsRemoved = aa.loadsRemoved;
    stats.storesRemoved = aa.storesRemoved;
  }
  stats.blockParamsRemoved = removeConstantBlockParams(func);

  // One pool serves consecutive calls; a call nested in another (through a
  // logger) gets its own.
  const pool = sharedPool.inUse ? new TablePool() : sharedPool;
  pool.acquire();
  try {
    const eg = new EGraph(func.dfg, log, pool);
    buildEGraph(func, eg, flow, stats);
    const elab = new Elaborator(func, eg, flow, pool);
    elab.run(flow.rpo[0]);
    Object.assign(stats, {
      nodesInserted: eg.counters.nodesInserted,
      gvnHits: eg.counters.gvnHits,
      rewrites: eg.counters.rewrites,
      unions: eg.counters.unions,
      subsumes: eg.counters.subsumes,
      placed: elab.counters.placed,
      hoisted: elab.counters.hoisted,
      remat: elab.counters.remat,
    });

    stats.branchesFolded = foldConstantBranches(func);
    if (stats.branchesFolded > 0) {
      stats.unreachableBlocks += removeUnreachableBlocks(func).blocks;
      flow = computeFlow(func)!;
    }
    // After elaboration: addresses are GVN-canonical and the CFG is final.
    if (opts.aliasAnalysis ?? true) {
      const r = removeDeadAndIdempotentStores(func, flow);
      stats.storesRemoved += r.stores;
      stats.loadsRemoved += r.loads;
    }
    stats.deadInsts = eliminateDeadCode(func, pool);
  } finally {
    pool.release();
  }
  stats.instsAfter = countInsts(func);
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
function buildEGraph(func: Function, eg: EGraph, flow: Flow, stats: OptStats): void {
  const { dfg, layout } = func;
  let scoped: Map<number, Inst[]> | undefined;
  for (const block of flow.rpo) {
    const np = dfg.numBlockParams(block);
    for (let i = 0; i < np; i++) eg.addLeaf(dfg.blockParam(block, i), 0);
    for (let inst = layout.firstInst(block), next: Inst; inst !== (NONE as Inst); inst = next) {
      next = layout.nextInst(inst);
      if (isPureForEgraph(func, inst) || (dfg.numResults(inst) === 1 && isSafeDivision(eg, func, inst))) {
        layout.removeInst(inst);
        const r = dfg.result(inst, 0);
        eg.setClass(r, eg.insertInst(inst));
        continue;
      }
      dfg.mapUses(inst, (v) => eg.classOf(v));
      if (isMergeable(func, inst)) {
        const h = hashInst(dfg, inst);
        scoped ??= new Map<number, Inst[]>();
        const list = scoped.get(h);
        const prior = list?.find((p) => layout.isInstInserted(p) && sameNode(dfg, p, inst) && flow.blockDominates(layout.instBlock(p), block));
        if (prior !== undefined) {
          for (let i = 0; i < dfg.numResults(inst); i++) eg.setClass(dfg.result(inst, i), eg.classOf(dfg.result(prior, i)));
          layout.removeInst(inst);
          stats.skeletonMerged++;
          continue;
        }
        if (list) list.push(inst);
        else scoped.set(h, [inst]);
      }
      const nr = dfg.numResults(inst);
      for (let i = 0; i < nr; i++) eg.addLeaf(dfg.result(inst, i), 0);
    }
  }
}
