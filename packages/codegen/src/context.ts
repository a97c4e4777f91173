// The compilation pipeline (see the diagram in index.ts): verify, optimize
// (at opt_level speed or speed_and_size), lower,
// allocate registers, emit. `Context.compile` runs each stage, times it, and
// turns every failure into a `CodegenError` naming the stage.

import { optimize, OptimizerError } from '@clift/egraph-midend';
import { formatUserFuncName, verifyFunction, formatVerifierErrors, type Function } from '@clift/ir';
import { RegallocFailure, run as runRegalloc, type Output } from '@clift/regalloc';
import type { CompiledCode } from './compiled.js';
import { CodegenError } from './errors.js';
import { lookup, type TargetIsa } from './isa.js';
import type { Flags } from './settings.js';
import type { VCode } from './vcode.js';

/** Milliseconds spent in each pass. */
export interface PassTimings {
  verify: number;
  /** The e-graph mid-end (zero at opt_level=none). */
  optimize: number;
  lower: number;
  regalloc: number;
  emit: number;
  total: number;
}

/** What `compile` returns: the code, plus listings and statistics. */
export interface CompileResult extends CompiledCode {
  /** Allocated VCode as text (when `vcode` was requested). */
  vcode?: string;
  timings: PassTimings;
  stats: {
    /** Machine instructions in VCode (before register-allocation moves). */
    vcodeInsts: number;
    spills: number;
    reloads: number;
    moves: number;
    spillSlots: number;
    branchesRemoved: number;
    branchesInverted: number;
    veneers: number;
    frameSize: number;
  };
}

export interface CompileOptions {
  /** The target, or an ISA name to look up (with `isaFlags`). */
  readonly isa: TargetIsa | string;
  /** Shared flags; default: the ISA's (or the defaults for a name). */
  readonly flags?: Flags;
  readonly isaFlags?: readonly { name: string; value: string | undefined }[];
  /** Add a disassembly listing to the result. */
  readonly disassemble?: boolean;
  /** Add the allocated VCode listing to the result. */
  readonly vcode?: boolean;
}

// `performance` exists in Node and browsers, but this package declares no runtime globals.
const perf = (globalThis as { performance?: { now(): number } }).performance;
const now = (): number => (perf ? perf.now() : Date.now());

export class Context {
  /** The last function's VCode (kept for inspection and error reports). */
  vcode: VCode | undefined;
  regalloc: Output | undefined;

  compile(func: Function, isa: TargetIsa, opts: { disassemble?: boolean; vcode?: boolean } = {}): CompileResult {
    const flags = isa.flags;
    const t0 = now();
    if (flags.bool('enable_verifier')) {
      const errors = verifyFunction(func, { target: isa.name });
      if (errors.length > 0) throw new CodegenError('verifier', `verifier errors in ${formatUserFuncName(func.name)}`, formatVerifierErrors(func, errors));
    }
    const t1a = now();
    const level = flags.enumValue('opt_level');
    if (level === 'speed' || level === 'speed_and_size') {
      try {
        optimize(func, { level, aliasAnalysis: flags.bool('enable_alias_analysis') });
      } catch (e) {
        if (e instanceof OptimizerError) throw new CodegenError('optimizer', `mid-end failed on ${formatUserFuncName(func.name)}: ${e.message}`);
        throw e;
      }
    }
    const t1 = now();
    const vcode = isa.lower(func);
    this.vcode = vcode;
    const t2 = now();
    let ra: Output;
    try {
      ra = runRegalloc(vcode, isa.machineEnv(vcode), {
        algorithm: flags.enumValue('regalloc_algorithm') === 'single_pass' ? 'fastalloc' : 'backtracking',
        validateWithChecker: flags.bool('regalloc_checker'),
      });
    } catch (e) {
      if (e instanceof RegallocFailure)
        throw new CodegenError('regalloc', `register allocation failed in ${formatUserFuncName(func.name)}: ${e.message}`, isa.printVCode(vcode));
      throw e;
    }
    this.regalloc = ra;
    const t3 = now();
    const out = isa.emit(vcode, ra, { disassemble: opts.disassemble });
    const t4 = now();
    return {
      ...out.code,
      vcode: opts.vcode ? isa.printVCode(vcode, ra) : undefined,
      timings: { verify: t1a - t0, optimize: t1 - t1a, lower: t2 - t1, regalloc: t3 - t2, emit: t4 - t3, total: t4 - t0 },
      stats: {
        vcodeInsts: vcode.numInsts(),
        spills: ra.stats.spills,
        reloads: ra.stats.reloads,
        moves: ra.stats.moves,
        spillSlots: ra.numSpillslots,
        branchesRemoved: out.bufferStats.branchesRemoved,
        branchesInverted: out.bufferStats.branchesInverted,
        veneers: out.bufferStats.veneers,
        frameSize: out.frameSize,
      },
    };
  }
}

/** Compiles one function for a target (see CompileOptions). */
export function compile(func: Function, opts: CompileOptions): CompileResult {
  let isa: TargetIsa;
  if (typeof opts.isa === 'string') {
    const b = lookup(opts.isa);
    if (opts.isaFlags) b.setAll(opts.isaFlags);
    isa = b.finish(opts.flags);
  } else {
    isa = opts.flags ? opts.isa.withFlags(opts.flags) : opts.isa;
  }
  return new Context().compile(func, isa, { disassemble: opts.disassemble, vcode: opts.vcode });
}
