// The compilation pipeline (see the diagram in index.ts): verify, optimize
// (at opt_level speed or speed_and_size), lower,
// allocate registers, emit. `Context.compile` runs each stage, times it, and
// turns every failure into a `CodegenError` naming the stage.
//
// A Context is the unit of reuse: it keeps the lowering tables, the VCode
// columns and the MachBuffer between functions, so that a compiler that
// compiles many functions with one Context allocates per function little
// more than its results. Hence `vcode` describes the last function only
// until the next `compile`. A Context compiles one function at a time;
// `compile()` below uses one shared Context, which is safe because
// compilation is synchronous.
//
// The register allocator is not handed a reused `RegallocContext`: measured
// on the upstream runtests corpus (1,218 compilations, alternating rounds in
// one process), allocation with a reused one took 1.15-1.2x the time of a
// fresh one per function, and no less on a 20,000-instruction function.
// Pass one here once reuse pays off.

import { optimize, OptimizerError } from '@clift/egraph-midend';
import { formatUserFuncName, verifyFunction, formatVerifierErrors, I32, type Function, type VerifierOptions } from '@clift/ir';
import { RegallocFailure, run as runRegalloc, type Output } from '@clift/regalloc';
import type { CompiledCode } from './compiled.js';
import { CodegenError } from './errors.js';
import { lookup, TargetMemory, type TargetIsa } from './isa.js';
import { legalizeFunction } from './legalize.js';
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

// The verifier needs only the target's pointer width (given, not inferred from the ISA name).
const VERIFY_PTR32: VerifierOptions = { pointerBits: 32 };
const VERIFY_PTR64: VerifierOptions = { pointerBits: 64 };

// `performance` exists in Node and browsers, but this package declares no runtime globals.
const perf = (globalThis as { performance?: { now(): number } }).performance;
const now = (): number => (perf ? perf.now() : Date.now());

export interface ContextOptions {
  /**
   * The clock `timings` are read from, in milliseconds (default: the
   * host's monotonic wall clock). A benchmark on a busy machine may pass a
   * CPU-time clock.
   */
  readonly clock?: () => number;
}

export class Context {
  /** The last function's VCode (kept for inspection and error reports; valid until the next compile). */
  vcode: VCode | undefined;
  regalloc: Output | undefined;
  private readonly memory = new TargetMemory();
  private readonly clock: () => number;

  constructor(opts: ContextOptions = {}) {
    this.clock = opts.clock ?? now;
  }

  compile(func: Function, isa: TargetIsa, opts: { disassemble?: boolean; vcode?: boolean } = {}): CompileResult {
    const flags = isa.flags;
    const now = this.clock;
    const t0 = now();
    if (flags.bool('enable_verifier')) {
      const errors = verifyFunction(func, isa.pointerType === I32 ? VERIFY_PTR32 : VERIFY_PTR64);
      if (errors.length > 0) throw new CodegenError('verifier', `verifier errors in ${formatUserFuncName(func.name)}`, formatVerifierErrors(func, errors));
    }
    // Before the mid-end, as upstream legalizes: expansions get optimized.
    legalizeFunction(func, { pointerType: isa.pointerType, dynamicVectorBytes: isa.dynamicVectorBytes });
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
    this.vcode = undefined;
    this.regalloc = undefined;
    const vcode = isa.lower(func, this.memory);
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
    const out = isa.emit(vcode, ra, { disassemble: opts.disassemble }, this.memory);
    const t4 = now();
    const code = out.code;
    const stats = out.bufferStats;
    return {
      bytes: code.bytes,
      alignment: code.alignment,
      relocations: code.relocations,
      traps: code.traps,
      disassembly: code.disassembly,
      vcode: opts.vcode === true ? isa.printVCode(vcode, ra) : undefined,
      timings: { verify: t1a - t0, optimize: t1 - t1a, lower: t2 - t1, regalloc: t3 - t2, emit: t4 - t3, total: t4 - t0 },
      stats: {
        vcodeInsts: vcode.numInsts(),
        spills: ra.stats.spills,
        reloads: ra.stats.reloads,
        moves: ra.stats.moves,
        spillSlots: ra.numSpillslots,
        branchesRemoved: stats.branchesRemoved,
        branchesInverted: stats.branchesInverted,
        veneers: stats.veneers,
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
  sharedContext ??= new Context();
  return sharedContext.compile(func, isa, { disassemble: opts.disassemble, vcode: opts.vcode });
}

let sharedContext: Context | undefined;
