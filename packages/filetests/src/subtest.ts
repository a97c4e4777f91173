// The subtest contract: what a `test <name>` command does for one function,
// and the helpers every subtest shares (FileCheck over the function's
// comments, precise-output comparison).
//
// A subtest signals failure by throwing `SubtestFailure` with a message for
// people; any other exception escaping `run` is a bug in Clift and the
// runner reports it as such (still as a failure, with its stack).

import type { Function } from '@clift/ir';
import type { Comment, ParsedFunction, TestFile } from '@clift/reader';
import { CheckerBuilder, FileCheckSyntaxError } from './filecheck.js';
import { comparePreciseOutput, expectedPreciseOutput, type FileUpdate } from './precise-output.js';
import type { TargetConfig } from './targets.js';

export class SubtestFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubtestFailure';
  }
}

/**
 * Thrown by a subtest that cannot run here for a reason outside Clift (a
 * missing tool outside CI, a target Clift does not generate code for): the
 * record becomes a skip carrying the message.
 */
export class SubtestSkip extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubtestSkip';
  }
}

export interface SubtestContext {
  readonly path: string;
  readonly file: TestFile;
  readonly parsed: ParsedFunction;
  /** The configuration this run targets; for target-independent subtests, the file's only target if it has exactly one. */
  readonly target: TargetConfig | undefined;
  /** Rewrite precise-output expectations instead of failing on them. */
  readonly bless: boolean;
  readonly update: FileUpdate;
  /** Options written after the test name (`test optimize precise-output`). */
  readonly options: readonly string[];
}

export interface Subtest {
  readonly name: string;
  /** Run the verifier first and fail on its errors (false for tests of the verifier or the printer). */
  readonly needsVerifier: boolean;
  /** Runs once per target configuration rather than once per file. */
  readonly needsIsa: boolean;
  /** Options the command accepts after its name; none when absent. */
  readonly allowedOptions?: readonly string[];
  run(func: Function, ctx: SubtestContext): void;
}

/** A short name for the function in messages: `%foo (line 12)`. */
export function functionLabel(parsed: ParsedFunction, name: string): string {
  return `function ${name} (line ${parsed.line})`;
}

/** Builds a checker from the file's preamble comments and the function's comments. */
function buildChecker(ctx: SubtestContext): CheckerBuilder {
  const b = new CheckerBuilder();
  const add = (c: Comment): void => {
    try {
      b.directive(c.text, c.line);
    } catch (e) {
      if (e instanceof FileCheckSyntaxError) throw new SubtestFailure(`bad filecheck directive: ${e.message}`);
      throw e;
    }
  };
  for (const c of ctx.file.preambleComments) add(c);
  for (const c of ctx.parsed.comments) add(c);
  return b;
}

/** Runs FileCheck over `text`; throws a `SubtestFailure` showing the directive, its line and the text. */
export function runFilecheck(text: string, ctx: SubtestContext): void {
  const checker = buildChecker(ctx).finish();
  const result = checker.check(text);
  if (result.ok) return;
  const f = result.failure!;
  const numbered = text
    .replace(/\n$/, '')
    .split('\n')
    .map((l, i) => `${String(i + 1).padStart(4)} | ${l}`)
    .join('\n');
  throw new SubtestFailure(
    `filecheck failed: ${f.message}\n` +
      `directives:\n${checker.toString().replace(/^/gm, '  ')}\n` +
      `output:\n${numbered}`,
  );
}

/**
 * Compares `actual` with the function's trailing `;` expectation; with
 * `bless`, records a rewrite instead of failing.
 */
export function checkPreciseOutput(actual: readonly string[], ctx: SubtestContext): void {
  const expected = expectedPreciseOutput(ctx.parsed.comments, ctx.parsed.endLine);
  const msg = comparePreciseOutput(actual, expected, ctx.parsed.line);
  if (msg === undefined) return;
  if (ctx.bless) {
    ctx.update.replaceAfter(ctx.parsed.endLine, actual);
    return;
  }
  throw new SubtestFailure(msg);
}

/** Rejects options a subtest does not take, as upstream does. */
export function noOptions(name: string, options: readonly string[], allowed: readonly string[] = []): string | undefined {
  const bad = options.filter((o) => !allowed.includes(o));
  if (bad.length === 0) return undefined;
  return allowed.length === 0 ? `No options allowed on test ${name} ${options.join(' ')}` : `unknown option '${bad[0]}' on test ${name} (accepted: ${allowed.join(', ')})`;
}
