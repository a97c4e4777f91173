// Runs one test file's text: parse it, then run each `test` command over
// every function, once per file or once per target configuration, and
// report one record per (file, test command, target configuration).
//
// This module is pure: text in, records and an optional rewritten text
// out. Reading files, blessing them on disk and parallelism belong to
// runner.ts.
//
// Invariants: every test command of a parsed file yields at least one
// record; a file that does not parse yields a failing record per `test`
// line found by a plain scan of its header (or one record named `-`).

import { formatUserFuncName, formatVerifierError, type Function } from '@clift/ir';
import { ParseError, parseTestFile, type ParsedFunction, type TestCommand, type TestFile } from '@clift/reader';
import { FileUpdate } from './precise-output.js';
import { lookupSubtest } from './registry.js';
import { SubtestFailure, SubtestSkip, noOptions, type Subtest, type SubtestContext } from './subtest.js';
import { targetConfigs, type TargetConfig } from './targets.js';
import { verifyForTarget } from './verify.js';

export type TestStatus = 'pass' | 'fail' | 'skip';

/** The outcome of one test command on one target configuration of one file. */
export interface TestRecord {
  readonly path: string;
  /** The command as written after `test`, e.g. `verifier` or `compile precise-output`. */
  readonly test: string;
  /** The target configuration label, or `-` for a target-independent run. */
  readonly target: string;
  readonly status: TestStatus;
  /** Empty for a pass; the reason for a skip; the failure text (possibly many lines) for a fail. */
  readonly message: string;
}

export interface FileOutcome {
  readonly path: string;
  readonly records: TestRecord[];
  /** The file's new text when blessing rewrote an expectation. */
  readonly updatedText?: string;
  readonly durationMs: number;
}

export interface RunFileOptions {
  /** Rewrite precise-output expectations in place instead of failing. */
  readonly bless?: boolean;
}

const NO_TARGET = '-';

function commandText(c: TestCommand): string {
  return [c.name, ...c.options].join(' ');
}

/** `test` lines found without parsing, for files the reader rejects. */
function scanTestCommands(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*test\s+([^;]*)/.exec(line);
    if (m) out.push(m[1].trim().replace(/\s+/g, ' '));
    else if (/^\s*function\b/.test(line)) break;
  }
  return out;
}

function describeError(e: unknown): string {
  if (e instanceof ParseError) return `parse error at ${e.filename}:${e.line}:${e.column}: ${e.detail}`;
  if (e instanceof Error) return `internal error: ${e.stack ?? e.message}`;
  return `internal error: ${String(e)}`;
}

/**
 * Decodes every function's run commands (the reader defers them to first
 * read), so that a malformed `; run:` line fails the whole file as a parse
 * error at its file:line:column, whichever tests the file runs and even when
 * `test run` would skip for want of a toolchain. Returns how many there are.
 */
function decodeRunCommands(file: TestFile): number {
  let n = 0;
  for (const f of file.functions) n += f.runCommands.length;
  return n;
}

function runOnFunctions(
  subtest: Subtest,
  path: string,
  file: TestFile,
  target: TargetConfig | undefined,
  bless: boolean,
  update: FileUpdate,
  options: readonly string[],
): { failures: string[]; skip?: string } {
  const failures: string[] = [];
  let skip: string | undefined;
  file.functions.forEach((parsed: ParsedFunction) => {
    const func: Function = parsed.func;
    const label = `function ${formatUserFuncName(func.name)} (line ${parsed.line})`;
    try {
      if (subtest.needsVerifier) {
        const errors = verifyForTarget(func, target);
        if (errors.length > 0) {
          failures.push(`${label}: the verifier rejected it:\n${errors.map((e) => `  ${formatVerifierError(e)}`).join('\n')}`);
          return;
        }
      }
      const ctx: SubtestContext = { path, file, parsed, target, bless, update, options };
      subtest.run(func, ctx);
    } catch (e) {
      if (e instanceof SubtestSkip) skip ??= e.message;
      else failures.push(`${label}: ${e instanceof SubtestFailure ? e.message : describeError(e)}`);
    }
  });
  return skip !== undefined && failures.length === 0 ? { failures, skip } : { failures };
}

export function runTestText(path: string, text: string, options: RunFileOptions = {}): FileOutcome {
  const start = performance.now();
  const bless = options.bless ?? false;
  const records: TestRecord[] = [];
  const done = (updatedText?: string): FileOutcome => ({
    path,
    records,
    durationMs: performance.now() - start,
    ...(updatedText !== undefined ? { updatedText } : {}),
  });

  let file: TestFile;
  try {
    file = parseTestFile(text, path);
    decodeRunCommands(file);
  } catch (e) {
    const tests = scanTestCommands(text);
    const message = describeError(e);
    for (const t of tests.length > 0 ? tests : ['-']) records.push({ path, test: t, target: NO_TARGET, status: 'fail', message });
    return done();
  }
  if (file.commands.length === 0) {
    records.push({ path, test: '-', target: NO_TARGET, status: 'fail', message: 'no test commands found' });
    return done();
  }

  const configs = targetConfigs(file.targets);
  const unique = configs.length === 1 ? configs[0] : undefined;
  const update = new FileUpdate();
  let firstRun = true;
  for (const cmd of file.commands) {
    const test = commandText(cmd);
    const found = lookupSubtest(cmd.name);
    if (found.kind === 'unknown') {
      records.push({ path, test, target: NO_TARGET, status: 'fail', message: `line ${cmd.line}: ${found.reason}` });
      continue;
    }
    if (found.kind === 'not-implemented') {
      const targets = found.needsIsa && configs.length > 0 ? configs.map((c) => c.label) : [NO_TARGET];
      for (const target of targets) records.push({ path, test, target, status: 'skip', message: found.reason });
      continue;
    }
    const subtest = found.subtest;
    const bad = noOptions(cmd.name, cmd.options, subtest.allowedOptions);
    if (bad !== undefined) {
      records.push({ path, test, target: NO_TARGET, status: 'fail', message: `line ${cmd.line}: ${bad}` });
      continue;
    }
    if (subtest.needsIsa && configs.length === 0) {
      records.push({ path, test, target: NO_TARGET, status: 'fail', message: `line ${cmd.line}: test ${cmd.name} needs a target line` });
      continue;
    }
    const runs: { label: string; target: TargetConfig | undefined }[] = subtest.needsIsa
      ? configs.map((c) => ({ label: c.label, target: c }))
      : [{ label: NO_TARGET, target: unique }];
    for (const run of runs) {
      // Each run gets freshly parsed functions: subtests may transform them
      // (the optimizer does, in place), and one must not see another's work.
      const fresh = firstRun ? file : parseTestFile(text, path);
      firstRun = false;
      const { failures, skip } = runOnFunctions(subtest, path, fresh, run.target, bless, update, cmd.options);
      records.push({
        path,
        test,
        target: run.label,
        status: skip !== undefined ? 'skip' : failures.length === 0 ? 'pass' : 'fail',
        message: skip ?? failures.join('\n\n'),
      });
    }
  }
  return done(update.isEmpty ? undefined : update.apply(text));
}
