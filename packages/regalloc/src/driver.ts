// The pipeline behind `run`: read and validate the input, pick an allocator,
// build the `Output`, optionally check it, and log. Owns option handling and
// statistics; the algorithms are in ion/* and fastalloc.ts.
//
//   RegallocFunction --readFunction--> FlatFunction (validated)
//        | backtracking: liveranges -> merge -> process -> moves
//        | fastalloc:    one forward pass per block
//        v
//   Output (allocs, edits, spill slots, stats, debug locations) --checker?-->

import { checkOutput } from './checker.js';
import { RegallocContext, type IonObjects } from './context.js';
import { runFastAlloc } from './fastalloc.js';
import {
  allocIsReg,
  allocIsStack,
  allocToString,
  REG_CLASS_NAMES,
  RegallocFailure,
  type DebugLocation,
  type Edit,
  type MachineEnv,
  type Output,
  type ProgPoint,
  type RegallocFunction,
  type RegallocOptions,
  type Stats,
} from './index.js';
import { buildLiveRanges } from './ion/liveranges.js';
import { formBundles } from './ion/merge.js';
import { Resolver } from './ion/moves.js';
import { Allocator } from './ion/process.js';
import { IonState, type LogFn } from './ion/state.js';
import { checkDominance, FlatFunction, PREG_KIND_FIXED_STACK, readEnv, readFunction, type FlatEnv } from './validate.js';

export function emptyStats(): Stats {
  return { liveRanges: 0, bundles: 0, merges: 0, evictions: 0, splits: 0, spilledBundles: 0, spills: 0, reloads: 0, moves: 0, stackMoves: 0, edits: 0 };
}

function envLogEnabled(): boolean {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = proc?.env?.CLIFT_LOG;
  return v !== undefined && v.split(',').some((x) => x.trim() === 'regalloc');
}

/**
 * `CLIFT_LOG` as it was when this module was loaded: reading the host's
 * environment costs about a third of a microsecond, a visible share of a
 * small function's allocation, so it is read once (documented in the
 * README; the `log` option is the per-call switch).
 */
const ENV_LOG = envLogEnabled();

function logSink(opts: RegallocOptions): LogFn {
  if (typeof opts.log === 'function') return opts.log;
  if (opts.log === true || (opts.log === undefined && ENV_LOG)) {
    // Runtime-neutral: use the host's console when there is one.
    const con = (globalThis as { console?: { log(s: string): void } }).console;
    return con === undefined ? null : (line) => con.log(line);
  }
  return null;
}

function stackLike(env: FlatEnv, a: number): boolean {
  return allocIsStack(a as Edit['from']) || (allocIsReg(a as Edit['from']) && env.pregKind[a & 0x1fffffff] === PREG_KIND_FIXED_STACK);
}

function countEdits(env: FlatEnv, edits: readonly Edit[], stats: Stats): void {
  for (let k = 0; k < edits.length; k++) {
    const e = edits[k];
    const fs = stackLike(env, e.from);
    const ts = stackLike(env, e.to);
    if (fs && ts) stats.stackMoves++;
    else if (ts) stats.spills++;
    else if (fs) stats.reloads++;
    else stats.moves++;
  }
  stats.edits = edits.length;
}

function newIonObjects(ctx: RegallocContext): IonObjects {
  const state = new IonState(ctx);
  return { state, allocator: new Allocator(state), resolver: new Resolver() };
}

function runIon(f: FlatFunction, env: FlatEnv, log: LogFn, stats: Stats, ctx: RegallocContext): Output {
  const ion = (ctx.ion ??= newIonObjects(ctx));
  const s = ion.state;
  s.begin(f, env, log, stats);
  buildLiveRanges(s);
  formBundles(s);
  if (log !== null) {
    const cands: string[] = [];
    for (let b = 0; b < s.nB; b++) {
      if (s.bLen[b] === 0) continue;
      const vs = new Set<number>();
      for (let k = s.bOff[b]; k < s.bOff[b] + s.bLen[b]; k++) vs.add(s.lrVreg[s.arena[k]]);
      cands.push(`{${[...vs].map((v) => `v${v}`).join(',')}}`);
    }
    log(`  candidate vregs (${cands.length} bundles): ${cands.join(' ')}`);
  }
  ion.allocator.run();
  const r = ion.resolver.resolve(s);
  s.release();
  const debugLocations: DebugLocation[] = [];
  for (const d of f.debugLabels) {
    if (d.vreg >= f.numVregs) continue;
    for (let x = r.pieceOff[d.vreg]; x < r.pieceOff[d.vreg + 1]; x++) {
      const from = Math.max(r.pieceFrom[x], 2 * d.from);
      const to = Math.min(r.pieceTo[x], 2 * d.to);
      if (from < to) debugLocations.push({ label: d.label, from: from as ProgPoint, to: to as ProgPoint, alloc: r.pieceAlloc[x] as DebugLocation['alloc'] });
    }
  }
  if (debugLocations.length > 1) debugLocations.sort((a, b) => a.label - b.label || a.from - b.from);
  return { allocs: r.allocs, instAllocOffsets: r.offsets, edits: r.edits, numSpillslots: s.numSlots, stats, debugLocations };
}

/**
 * Working memory for calls without a context: reused by the next such call
 * (allocating dozens of typed arrays costs a small function about a third of
 * its time), unless a call is already using it (a client callback that runs
 * the allocator again gets fresh memory), and dropped after a function larger
 * than SHARED_MAX_INSTS so that a one-off huge function does not pin its
 * buffers.
 */
let shared: RegallocContext | null = null;
let sharedBusy = false;
const SHARED_MAX_INSTS = 20_000;

export function runAllocation(func: RegallocFunction, machine: MachineEnv, opts: RegallocOptions, ctx: RegallocContext | undefined): Output {
  if (ctx !== undefined || sharedBusy) return allocate(func, machine, opts, ctx ?? new RegallocContext());
  sharedBusy = true;
  try {
    shared ??= new RegallocContext();
    const out = allocate(func, machine, opts, shared);
    if (out.instAllocOffsets.length > SHARED_MAX_INSTS + 1) shared = null;
    return out;
  } catch (e) {
    // The failed function's size is not known here: drop the memory rather
    // than risk keeping a huge function's buffers.
    shared = null;
    throw e;
  } finally {
    sharedBusy = false;
  }
}

function allocate(func: RegallocFunction, machine: MachineEnv, opts: RegallocOptions, ctx: RegallocContext): Output {
  const env = readEnv(machine);
  const f = readFunction(func, env, (ctx.flat ??= new FlatFunction()));
  const log = logSink(opts);
  const stats = emptyStats();
  const algo = opts.algorithm ?? 'backtracking';
  if (log !== null) {
    log(`regalloc (${algo}): ${f.numInsts} insts, ${f.numBlocks} blocks, ${f.numVregs} vregs`);
    for (let c = 0; c < 3; c++)
      if (env.order[c].length > 0) log(`  allocatable ${REG_CLASS_NAMES[c]}: ${Array.from(env.order[c], (p) => `p${p & 63}${'ifv'[c]}`).join(' ')}`);
  }
  if (algo === 'fastalloc') checkDominance(f, ctx);
  const out = algo === 'fastalloc' ? runFastAlloc(f, env, log, stats, ctx) : runIon(f, env, log, stats, ctx);
  countEdits(env, out.edits, stats);
  if (log !== null) {
    for (const e of out.edits) {
      const i = e.point >>> 1;
      log(`  edit ${(e.point & 1) === 0 ? 'before' : 'after'} inst ${i}: ${allocToString(e.to)} <- ${allocToString(e.from)}`);
    }
    log(
      `  stats: ${stats.spills} spills, ${stats.reloads} reloads, ${stats.moves} moves, ${stats.stackMoves} stack moves, ${stats.splits} splits, ${stats.evictions} evictions, ${out.numSpillslots} spill slots`,
    );
  }
  if (opts.validateWithChecker === true) {
    const errs = checkOutput(func, machine, out);
    if (errs.length > 0) throw new RegallocFailure({ kind: 'CheckerFailed', inst: errs[0].inst, message: errs.map((e) => e.message).join('\n') });
  }
  return out;
}
