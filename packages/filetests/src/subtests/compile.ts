// `test compile`: run each function through the whole AArch64 pipeline with
// the register-allocation checker on, and check the listing: with
// `precise-output`, an exact comparison with the `;` lines after the
// function (rewritten by `--bless`), otherwise FileCheck against the
// function's comments; with `expect-fail`, compilation must be refused.
//
// This module also owns the compile entry points that tools share (the
// `clif compile` command, the differential fuzzer, the benchmark): compiling
// with textual settings, the listing in upstream's layout, and an ELF object
// of several functions.
//
// Invariants:
// - Every compilation made here for a test runs with `regalloc_checker`
//   on, whatever the file sets: the conformance goal is that every
//   isa/aarch64 function compiles checker-clean.
// - The first line of a failure says which of "does not compile" and
//   "compiles checker-clean but the text differs" happened; the ratchet keeps
//   only that line as the reason, and upstream's expected text is upstream's
//   own instruction choice, a reference rather than a target.

import { CodegenError, SettingError, parseSharedFlags, type CodegenErrorKind, type CompileResult, type CompiledCode } from '@clift/codegen';
import type { Function, Signature } from '@clift/ir';
import { compile, lookup } from '@clift/isa-aarch64';
import { Module, ModuleError, aarch64Relocation } from '@clift/module';
import { comparePreciseOutput, expectedPreciseOutput, lineDiff } from '../precise-output.js';
import { runFilecheck, SubtestFailure, SubtestSkip, type Subtest, type SubtestContext } from '../subtest.js';
import { SUPPORTED_TARGETS } from '../targets.js';

/** A setting as written on a `set` or `target` line (`value` undefined for a bare name). */
export interface SettingPair {
  readonly name: string;
  readonly value: string | undefined;
}

export interface Aarch64CompileRequest {
  /** Shared settings in order (`set` lines, `--set`); later ones win. */
  readonly settings?: readonly SettingPair[];
  /** AArch64 flags (the words after `target aarch64`). */
  readonly isaFlags?: readonly SettingPair[];
  readonly vcode?: boolean;
  readonly disassemble?: boolean;
}

export type CompileFailureKind = CodegenErrorKind | 'setting';

/** A compilation the backend refused, or settings it does not know. */
export class CompileFailure extends Error {
  override readonly name = 'CompileFailure';
  constructor(
    readonly kind: CompileFailureKind,
    message: string,
    /** Verifier error list, VCode listing on a register-allocation failure, … */
    readonly details?: string,
  ) {
    super(message);
  }

  /** `unsupported: iadd.i128 on aarch64`: the kind first, said once. */
  get summary(): string {
    return this.message.startsWith(`${this.kind}:`) ? this.message : `${this.kind}: ${this.message}`;
  }
}

/**
 * Compiles `func` for AArch64. Settings errors (unknown names, bad values)
 * and every `CodegenError` become a `CompileFailure`; anything else is a bug
 * in Clift and propagates.
 */
export function compileAarch64(func: Function, req: Aarch64CompileRequest = {}): CompileResult {
  let flags;
  try {
    flags = parseSharedFlags(req.settings ?? []);
  } catch (e) {
    if (e instanceof SettingError) throw new CompileFailure('setting', e.message);
    throw e;
  }
  try {
    return compile(func, { isa: req.isaFlags ?? [], flags, vcode: req.vcode ?? false, disassemble: req.disassemble ?? false });
  } catch (e) {
    if (e instanceof CodegenError) throw new CompileFailure(e.kind, e.message, e.details);
    if (e instanceof SettingError) throw new CompileFailure('setting', e.message);
    throw e;
  }
}

/**
 * Checks settings without compiling: throws a `CompileFailure` of kind
 * `setting` naming the first unknown setting or bad value.
 */
export function checkAarch64Settings(req: Pick<Aarch64CompileRequest, 'settings' | 'isaFlags'>): void {
  try {
    parseSharedFlags(req.settings ?? []);
    lookup('aarch64').setAll(req.isaFlags ?? []);
  } catch (e) {
    if (e instanceof SettingError) throw new CompileFailure('setting', e.message);
    throw e;
  }
}

/** Removes trailing blank lines and splits into lines. */
function linesOf(text: string | undefined): string[] {
  if (text === undefined) return [];
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}

/**
 * The listing `test compile` checks, laid out as upstream's: `VCode:`, the
 * allocated VCode, an empty line, `Disassembled:`, the disassembly.
 */
export function compileListing(result: CompileResult): string[] {
  return ['VCode:', ...linesOf(result.vcode), '', 'Disassembled:', ...linesOf(result.disassembly)];
}

/** A compiled function to place in an object file. */
export interface ObjectFunction {
  /** Its global symbol. */
  readonly name: string;
  readonly signature: Signature;
  readonly code: CompiledCode;
  /** The CLIF function, to find the signatures of the functions it calls. */
  readonly func?: Function;
}

/**
 * An ELF64 relocatable object for AArch64 with every function as a global
 * symbol. Symbols the code refers to but the list does not define become
 * undefined symbols (functions when the CLIF declares them as such, else
 * data, thread-local when a TLS relocation names them), for the linker to resolve. Throws `ModuleError` when the object
 * cannot be written.
 */
export function aarch64Object(functions: readonly ObjectFunction[]): Uint8Array {
  const m = new Module();
  const ids = functions.map((f) => m.declareFunction(f.name, 'export', f.signature));
  const defined = new Set(functions.map((f) => f.name));
  for (const f of functions) {
    for (const r of f.code.relocations) {
      if (r.target.kind !== 'symbol' || defined.has(r.target.name)) continue;
      const name = r.target.name;
      const ext = f.func?.dfg.extFuncs.find((x) => x !== undefined && x.name.kind === 'testcase' && x.name.name === name);
      const sig = ext !== undefined ? f.func?.dfg.signatures[ext.signature] : undefined;
      if (sig !== undefined) m.declareFunction(name, 'import', sig);
      // A thread-local variable (tls_value's relocations) must be an STT_TLS symbol.
      else m.declareData(name, 'import', false, aarch64Relocation(r.kind)?.tls === true);
      defined.add(name);
    }
  }
  functions.forEach((f, i) => m.defineFunction(ids[i], f.code));
  return m.finish();
}

export { ModuleError };

/** Lines removed plus lines added by the smallest line diff between the listings. */
function differingLines(expected: readonly string[], actual: readonly string[]): number {
  return lineDiff(expected, actual)
    .split('\n')
    .slice(2)
    .filter((l) => l.startsWith('- ') || l.startsWith('+ ')).length;
}

export const compileSubtest: Subtest = {
  name: 'compile',
  // The backend verifies (with the target) itself, so that a function the
  // verifier rejects counts as a refused compilation for `expect-fail`.
  needsVerifier: false,
  needsIsa: true,
  allowedOptions: ['precise-output', 'expect-fail'],
  run(func: Function, ctx: SubtestContext): void {
    const target = ctx.target;
    if (!target) throw new SubtestFailure('test compile needs a target line');
    if (!SUPPORTED_TARGETS.includes(target.name)) throw new SubtestSkip(`Clift generates no code for target ${target.name} (only ${SUPPORTED_TARGETS.join(', ')})`);
    const expectFail = ctx.options.includes('expect-fail');
    let result: CompileResult;
    try {
      result = compileAarch64(func, {
        settings: [...target.spec.settings.map((s) => ({ name: s.name, value: s.value })), { name: 'regalloc_checker', value: 'true' }],
        isaFlags: target.spec.flags.map((f) => ({ name: f.name, value: f.value })),
        vcode: true,
        disassemble: true,
      });
    } catch (e) {
      if (!(e instanceof CompileFailure)) throw e;
      if (expectFail) return;
      throw new SubtestFailure(`compilation failed: ${e.summary}${e.details !== undefined ? `\n${e.details}` : ''}`);
    }
    if (expectFail) throw new SubtestFailure(`compiled (${result.bytes.length} bytes) but the test expects compilation to fail`);
    const listing = compileListing(result);
    if (ctx.options.includes('precise-output')) {
      const expected = expectedPreciseOutput(ctx.parsed.comments, ctx.parsed.endLine);
      const diff = comparePreciseOutput(listing, expected, ctx.parsed.line);
      if (diff === undefined) return;
      if (ctx.bless) {
        ctx.update.replaceAfter(ctx.parsed.endLine, listing);
        return;
      }
      const what = expected.length === 0 ? 'no expectation is recorded after the function' : `output differs from the expectation (${differingLines(expected, listing)} lines)`;
      throw new SubtestFailure(`compiled checker-clean; ${what}\n${diff}`);
    }
    try {
      runFilecheck(listing.join('\n') + '\n', ctx);
    } catch (e) {
      if (e instanceof SubtestFailure) throw new SubtestFailure(`compiled checker-clean; ${e.message}`);
      throw e;
    }
  },
};
