// Executing compiled CLIF functions for `test run` on AArch64: the compiled
// functions go into one ELF object (@clift/module), a generated driver
// (aarch64-driver.ts) makes every run command's call, GNU ld links them
// into one static executable, and QEMU (or an AArch64 host) runs it. The
// values the driver writes back are compared on the host, bitwise over the
// meaningful bits of each return type.
//
// This module owns the orchestration and the reporting; it does not compile
// (the caller passes `CompiledCode`, or a `compileFunction` callback) and it
// does not decide skip-versus-fail for a missing toolchain (it throws a
// `ToolchainError` of kind `missing`; `runClifText` applies the CI rule).
//
// Invariants: one executable per call of `executeRunCommands`; every run
// command gets exactly one outcome; a trap is attributed to the first
// command without a complete result record, and the commands after it are
// `not-run`.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompiledCode } from '@clift/codegen';
import { dataValuesEqual, formatDataValues, formatUserFuncName, type DataValue, type Function, type Signature } from '@clift/ir';
import { Module, ModuleError } from '@clift/module';
import { parseTestFile, type RunCommand, type TestFile } from '@clift/reader';
import { decodeRecords, DriverError, generateDriver, type DriverCall } from './aarch64-driver.js';
import { assemble, execute, linkStatic, missingToolchainIsFailure, toolchainStatus, ToolchainError } from './aarch64-toolchain.js';
import { targetConfigs, type TargetConfig } from './targets.js';

/** A compiled function ready to be placed in the executable. */
export interface RunnableFunction {
  /** The symbol it is defined as, and the name run commands call it by (`add` for `%add`). */
  name: string;
  signature: Signature;
  code: CompiledCode;
}

export type RunOutcomeStatus = 'pass' | 'fail' | 'trap' | 'not-run';

export interface RunCommandOutcome {
  command: RunCommand;
  status: RunOutcomeStatus;
  /** The returned values, when the call completed. */
  actual: DataValue[] | undefined;
  /** Empty for a pass; otherwise what went wrong (or, for `print`, the values). */
  message: string;
}

export interface ExecutionReport {
  outcomes: RunCommandOutcome[];
  /** The signal that ended the process, if one did. */
  signal: string | null;
  exitStatus: number | null;
  /** QEMU's or the program's stderr. */
  stderr: string;
  /** The generated driver, for debugging a failure. */
  driverSource: string;
}

export interface ExecuteOptions {
  /** Time limit for running the executable; default 20 s. */
  timeoutMs?: number;
  /** Keep the build folder (object files, driver, executable) and report its path in failures. */
  keepFiles?: boolean;
}

export type RunHarnessErrorKind = 'undefined-function' | 'bad-command' | 'object' | 'driver' | 'timeout' | 'crash';

/** A failure of the whole executable (it could not be built, or did not run to a verdict). */
export class RunHarnessError extends Error {
  override readonly name = 'RunHarnessError';
  constructor(
    readonly kind: RunHarnessErrorKind,
    detail: string,
  ) {
    super(detail);
  }
}

/** The symbol a CLIF function is defined as: `add` for `%add`, `u0:1` for a user name. */
export function functionSymbol(func: Function): string {
  return func.name.kind === 'testcase' ? func.name.name : formatUserFuncName(func.name);
}

/** `run: %f(1, 2) == 3 (line 7)` for messages. */
function describeCommand(c: RunCommand): string {
  return `${c.text} (line ${c.line})`;
}

function buildObject(functions: readonly RunnableFunction[]): Uint8Array {
  const m = new Module();
  const ids = functions.map((f) => m.declareFunction(f.name, 'export', f.signature));
  const defined = new Set(functions.map((f) => f.name));
  for (const f of functions) {
    for (const r of f.code.relocations) {
      if (r.target.kind === 'symbol' && !defined.has(r.target.name)) {
        throw new RunHarnessError('undefined-function', `function ${f.name} refers to '${r.target.name}' (relocation at offset ${r.offset}), which is not a function of this file`);
      }
    }
  }
  try {
    functions.forEach((f, i) => m.defineFunction(ids[i], f.code));
    return m.finish();
  } catch (e) {
    if (e instanceof ModuleError) throw new RunHarnessError('object', `cannot write the object: ${e.message}`);
    throw e;
  }
}

function verdict(c: RunCommand, actual: DataValue[]): { status: 'pass' | 'fail'; message: string } {
  const got = formatDataValues(actual);
  if (c.kind === 'print') return { status: 'pass', message: `${c.funcName}(${c.args.map((a) => formatDataValues([a])).join(', ')}) = ${got}` };
  if (c.comparison === undefined) {
    // A bare `run`: the function's only (integer) result must be non-zero.
    const ok = actual.length === 1 && actual[0].bits !== 0n;
    return ok ? { status: 'pass', message: '' } : { status: 'fail', message: `${describeCommand(c)}: expected a non-zero result, got ${got}` };
  }
  const equal = actual.length === c.expected.length && actual.every((v, i) => dataValuesEqual(v, c.expected[i]));
  const ok = c.comparison === '==' ? equal : !equal;
  if (ok) return { status: 'pass', message: '' };
  const want = formatDataValues(c.expected);
  return {
    status: 'fail',
    message:
      c.comparison === '=='
        ? `${describeCommand(c)}: expected ${want}, got ${got}`
        : `${describeCommand(c)}: expected a result other than ${want}, got it`,
  };
}

/**
 * Builds one executable that runs `commands` in order against `functions`,
 * runs it, and reports each command. Throws `ToolchainError` when a tool is
 * missing or fails, and `RunHarnessError` when the executable cannot be
 * built or does not run to a verdict (timeout, exit without results).
 */
export function executeRunCommands(functions: readonly RunnableFunction[], commands: readonly RunCommand[], options: ExecuteOptions = {}): ExecutionReport {
  const byName = new Map(functions.map((f) => [f.name, f]));
  const calls: DriverCall[] = commands.map((c) => {
    const f = byName.get(c.funcName);
    if (!f) throw new RunHarnessError('undefined-function', `${describeCommand(c)}: no function %${c.funcName} in this file`);
    if (c.kind === 'run' && c.comparison !== undefined && c.expected.length !== f.signature.returns.length) {
      throw new RunHarnessError('bad-command', `${describeCommand(c)}: ${c.expected.length} expected values for ${f.signature.returns.length} returns`);
    }
    return { symbol: f.name, signature: f.signature, args: c.args };
  });

  let driver: ReturnType<typeof generateDriver>;
  try {
    driver = generateDriver(calls);
  } catch (e) {
    if (e instanceof DriverError) throw new RunHarnessError('driver', e.message);
    throw e;
  }
  const object = buildObject(functions);

  const dir = mkdtempSync(join(tmpdir(), 'clift-run-'));
  const keep = options.keepFiles ?? false;
  try {
    const driverSource = join(dir, 'driver.s');
    const driverObject = join(dir, 'driver.o');
    const functionsObject = join(dir, 'functions.o');
    const exe = join(dir, 'run');
    writeFileSync(driverSource, driver.source);
    writeFileSync(functionsObject, object);
    assemble(driverSource, driverObject);
    linkStatic([driverObject, functionsObject], exe);
    const r = execute(exe, options.timeoutMs ?? 20_000);
    const where = keep ? ` (files kept in ${dir})` : '';
    if (r.timedOut) throw new RunHarnessError('timeout', `the executable did not finish within ${options.timeoutMs ?? 20_000} ms${where}`);

    let decoded: ReturnType<typeof decodeRecords>;
    try {
      decoded = decodeRecords(r.stdout, calls, driver.recordSizes);
    } catch (e) {
      if (e instanceof DriverError) throw new RunHarnessError('crash', `${e.message}${where}`);
      throw e;
    }
    const completed = decoded.results.length;
    if (r.signal === null && (r.status !== 0 || completed !== calls.length || decoded.trailing !== 0)) {
      throw new RunHarnessError(
        'crash',
        `the executable exited with status ${r.status} after ${completed} of ${calls.length} calls (${decoded.trailing} stray bytes)${where}${r.stderr ? `:\n${r.stderr}` : ''}`,
      );
    }
    const outcomes = commands.map((command, i): RunCommandOutcome => {
      if (i < completed) {
        const actual = decoded.results[i];
        return { command, actual, ...verdict(command, actual) };
      }
      if (i === completed) {
        return { command, actual: undefined, status: 'trap', message: `${describeCommand(command)}: the call trapped (${r.signal ?? `exit ${r.status}`})` };
      }
      return { command, actual: undefined, status: 'not-run', message: `${describeCommand(command)}: not run, an earlier call trapped` };
    });
    return { outcomes, signal: r.signal, exitStatus: r.status, stderr: r.stderr, driverSource: driver.source };
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** One line per command that did not pass (print commands pass and are not listed). */
export function formatRunFailures(report: ExecutionReport): string[] {
  return report.outcomes.filter((o) => o.status !== 'pass').map((o) => o.message);
}

// ---------------------------------------------------------------------------
// The `clif run`-style entry point

/** Compiles one function; a `SubtestFailure`-style error message is reported as that function's failure. */
export type CompileFunction = (func: Function, target: TargetConfig | undefined) => CompiledCode;

export interface ClifRunRecord {
  /** The target configuration label, or `-` when the file names none. */
  target: string;
  status: 'pass' | 'fail' | 'skip';
  /** Failure lines, the skip reason, or the output of `print` commands. */
  message: string;
  report?: ExecutionReport;
}

export interface ClifRunOptions extends ExecuteOptions {
  /** Targets other than aarch64 are skipped; default true. */
  onlyAarch64?: boolean;
}

function runCommandsOf(file: TestFile): RunCommand[] {
  return file.functions.flatMap((p) => p.runCommands);
}

/**
 * Runs every `; run:` / `; print:` command of a CLIF test file, compiled with
 * `compileFunction`, once per aarch64 target configuration (once, labelled
 * `-`, when the file names no target). Parse errors propagate as the
 * reader's `ParseError`. A missing toolchain is a `skip` record naming the
 * Debian package, or a `fail` under CI.
 */
export function runClifText(path: string, text: string, compileFunction: CompileFunction, options: ClifRunOptions = {}): ClifRunRecord[] {
  const file = parseTestFile(text, path);
  const configs: (TargetConfig | undefined)[] = file.targets.length === 0 ? [undefined] : targetConfigs(file.targets);
  const commands = runCommandsOf(file);
  return configs.map((target): ClifRunRecord => {
    const label = target?.label ?? '-';
    if (target && target.name !== 'aarch64' && (options.onlyAarch64 ?? true)) {
      return { target: label, status: 'skip', message: `target ${target.name} cannot be executed (only aarch64)` };
    }
    const status = toolchainStatus();
    if (status.missing.length > 0) {
      return { target: label, status: missingToolchainIsFailure() ? 'fail' : 'skip', message: status.message };
    }
    const failures: string[] = [];
    const functions: RunnableFunction[] = [];
    for (const p of file.functions) {
      const name = functionSymbol(p.func);
      try {
        functions.push({ name, signature: p.func.signature, code: compileFunction(p.func, target) });
      } catch (e) {
        failures.push(`function %${name} (line ${p.line}): compilation failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (failures.length > 0) return { target: label, status: 'fail', message: failures.join('\n') };
    if (commands.length === 0) return { target: label, status: 'pass', message: '' };
    try {
      const report = executeRunCommands(functions, commands, options);
      const bad = formatRunFailures(report);
      const printed = report.outcomes.filter((o) => o.command.kind === 'print' && o.status === 'pass').map((o) => o.message);
      return { target: label, status: bad.length === 0 ? 'pass' : 'fail', message: [...bad, ...printed].join('\n'), report };
    } catch (e) {
      if (e instanceof RunHarnessError || e instanceof ToolchainError) return { target: label, status: 'fail', message: e.message };
      throw e;
    }
  });
}

/** `runClifText` over a file on disk (for the `clif run` command). */
export function runClifFile(path: string, compileFunction: CompileFunction, options: ClifRunOptions = {}): ClifRunRecord[] {
  return runClifText(path, readFileSync(path, 'utf8'), compileFunction, options);
}
