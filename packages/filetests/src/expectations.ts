// The conformance ratchet: a checked-in list of what upstream's filetests
// do in Clift today — for every file, test command and target
// configuration, pass, fail or skip, with a one-line reason for the last
// two — and the comparison that makes CI fail when the list and reality
// disagree in either direction.
//
// Format (expectations/upstream.txt): `#` comments, then one record per
// line, tab-separated: path (relative to the upstream folder, `/`
// separators), test, target, status, reason. Sorted by path, then test,
// then target, so diffs of the list read as changes of behaviour.
//
// Invariants: a record listed `pass` must pass (else: regression); a record
// that passes must be listed `pass` (else: stale list); records missing
// from the list or from the run are errors too, so the list always covers
// exactly the upstream folder. A fail/skip whose reason changed is not an
// error: reasons are for people.

import { existsSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestRecord, TestStatus } from './run-file.js';

export interface Expectation {
  readonly path: string;
  readonly test: string;
  readonly target: string;
  readonly status: TestStatus;
  readonly reason: string;
}

const HEADER = `# Conformance expectations for upstream Cranelift's filetests (see packages/filetests/README.md).
# Regenerate with: pnpm clif test --update-expectations
# Columns (tab-separated): path, test, target, status, reason.
`;

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the checked-in list lives. */
export function defaultExpectationsPath(): string {
  return resolve(PACKAGE_DIR, 'expectations', 'upstream.txt');
}

export interface UpstreamLocation {
  readonly path: string;
  /** True when `CLIFT_UPSTREAM_FILETESTS` named it. */
  readonly fromEnv: boolean;
  readonly exists: boolean;
}

/** `CLIFT_UPSTREAM_FILETESTS`, or `../shared/upstream-filetests` beside the repository root. */
export function upstreamFiletestsDir(env: Readonly<Record<string, string | undefined>> = process.env): UpstreamLocation {
  const fromEnv = env['CLIFT_UPSTREAM_FILETESTS'] !== undefined && env['CLIFT_UPSTREAM_FILETESTS'] !== '';
  const path = fromEnv ? resolve(env['CLIFT_UPSTREAM_FILETESTS']!) : resolve(PACKAGE_DIR, '..', '..', '..', 'shared', 'upstream-filetests');
  return { path, fromEnv, exists: existsSync(path) };
}

/** The first line of a message, bounded, tabs flattened: a reason for the list. */
export function oneLineReason(message: string): string {
  const first = message.split('\n').find((l) => l.trim() !== '') ?? '';
  const flat = first.replace(/\t/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

function keyOf(e: { path: string; test: string; target: string }): string {
  return `${e.path}\t${e.test}\t${e.target}`;
}

function compareKeys(a: Expectation, b: Expectation): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.test < b.test ? -1 : a.test > b.test ? 1 : a.target < b.target ? -1 : a.target > b.target ? 1 : 0;
}

/** Where the explanations of known deviations live. */
export function defaultDeviationsPath(): string {
  return resolve(PACKAGE_DIR, 'expectations', 'deviations.txt');
}

/**
 * Parses the deviations file: `#` comments, then `path<TAB>test<TAB>target<TAB>why`
 * per line — a person's explanation of why a record does not pass, used as
 * its reason instead of the first line of the failure message.
 */
export function parseDeviations(text: string): Map<string, string> {
  const out = new Map<string, string>();
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const [path, test, target, ...why] = line.split('\t');
    if (!path || !test || !target || why.length === 0) throw new ExpectationsSyntaxError(i + 1, 'expected path, test, target and an explanation, tab-separated');
    out.set(`${path}\t${test}\t${target}`, why.join(' ').trim());
  });
  return out;
}

/** Records as expectations, paths relative to `root`; `deviations` explain known failures. */
export function toExpectations(records: readonly TestRecord[], root: string, deviations: ReadonlyMap<string, string> = new Map()): Expectation[] {
  return records
    .map((r) => {
      const e = { path: relative(root, r.path).split(sep).join('/'), test: r.test, target: r.target, status: r.status };
      const why = deviations.get(keyOf(e));
      return { ...e, reason: r.status === 'pass' ? '' : (why ?? oneLineReason(r.message)) };
    })
    .sort(compareKeys);
}

export function formatExpectations(list: readonly Expectation[]): string {
  const t = { pass: 0, fail: 0, skip: 0 };
  for (const e of list) t[e.status]++;
  const lines = list.map((e) => [e.path, e.test, e.target, e.status, e.reason].join('\t').trimEnd());
  return `${HEADER}# Totals: ${t.pass} pass, ${t.fail} fail, ${t.skip} skip.\n${lines.join('\n')}\n`;
}

export class ExpectationsSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly detail: string,
  ) {
    super(`expectations line ${line}: ${detail}`);
    this.name = 'ExpectationsSyntaxError';
  }
}

export function parseExpectations(text: string): Expectation[] {
  const out: Expectation[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return;
    const cols = line.split('\t');
    if (cols.length < 4) throw new ExpectationsSyntaxError(i + 1, `expected at least 4 tab-separated columns, got ${cols.length}`);
    const [path, test, target, status, ...rest] = cols as [string, string, string, string, ...string[]];
    if (status !== 'pass' && status !== 'fail' && status !== 'skip') {
      throw new ExpectationsSyntaxError(i + 1, `status must be pass, fail or skip, got '${status}'`);
    }
    out.push({ path, test, target, status, reason: rest.join('\t') });
  });
  return out;
}

export interface RatchetReport {
  /** Listed as passing, does not pass now. */
  readonly regressions: string[];
  /** Passes now, listed as failing or skipped. */
  readonly stale: string[];
  /** Ran, but the list has no line for it. */
  readonly unlisted: string[];
  /** Listed, but did not run. */
  readonly vanished: string[];
}

export function compareWithExpectations(actual: readonly Expectation[], expected: readonly Expectation[]): RatchetReport {
  const want = new Map(expected.map((e) => [keyOf(e), e]));
  const seen = new Set<string>();
  const report: RatchetReport = { regressions: [], stale: [], unlisted: [], vanished: [] };
  const show = (e: Expectation): string => `${e.path} [test ${e.test}, target ${e.target}]`;
  for (const a of actual) {
    const k = keyOf(a);
    seen.add(k);
    const w = want.get(k);
    if (!w) report.unlisted.push(`${show(a)}: ${a.status}${a.reason ? ` (${a.reason})` : ''}`);
    else if (w.status === 'pass' && a.status !== 'pass') report.regressions.push(`${show(a)}: was pass, now ${a.status}: ${a.reason}`);
    else if (w.status !== 'pass' && a.status === 'pass') report.stale.push(`${show(a)}: listed ${w.status} (${w.reason}), now passes`);
  }
  for (const e of expected) if (!seen.has(keyOf(e))) report.vanished.push(`${show(e)}: listed ${e.status}, did not run`);
  return report;
}

/** Empty when the ratchet holds; otherwise a message listing every disagreement. */
export function formatRatchetReport(r: RatchetReport): string {
  const parts: string[] = [];
  const section = (title: string, items: string[]): void => {
    if (items.length > 0) parts.push(`${title} (${items.length}):\n${items.map((s) => `  ${s}`).join('\n')}`);
  };
  section('Regressions: listed as passing, now failing', r.regressions);
  section('Stale expectations: now passing, listed as not passing', r.stale);
  section('Not in the expectations list', r.unlisted);
  section('In the expectations list but not run', r.vanished);
  if (parts.length === 0) return '';
  return `${parts.join('\n')}\nUpdate the list with \`pnpm clif test --update-expectations\` once the change is intended.`;
}
