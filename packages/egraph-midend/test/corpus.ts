// Shared by the runtests test and the bench: optimizes every function of
// upstream's runtests files and checks each `; run:` command gives the same
// answer in the interpreter before and after.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataValueListsEqual, formatDataValues, formatUserFuncName, formatVerifierErrors, verifyFunction, type DataValue } from '@clift/ir';
import { Interpreter } from '@clift/interpreter';
import { parseTestFile, type TestFile } from '@clift/reader';
import { countInsts, optimize } from '../src/index.js';

export const UPSTREAM = process.env.CLIFT_UPSTREAM_FILETESTS ?? join(import.meta.dirname, '../../../../shared/upstream-filetests');

/**
 * Whether a suite over an upstream folder should be skipped: only when the
 * folder is missing outside CI (the repository's rule: under CI a missing
 * folder is a failure, so the suite runs and fails loudly).
 */
export function skipUpstream(dir: string): boolean {
  const missing = !existsSync(dir);
  if (missing && process.env.CI !== 'true') console.warn(`skipping: ${dir} not found (set CLIFT_UPSTREAM_FILETESTS)`);
  return missing && process.env.CI !== 'true';
}

export function listClif(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listClif(p));
    else if (e.name.endsWith('.clif')) out.push(p);
  }
  return out.sort();
}

type Outcome = { kind: 'values'; values: readonly DataValue[] } | { kind: 'trap' } | { kind: 'error'; message: string };

function runAll(file: TestFile): Outcome[] {
  const interp = new Interpreter(file.functions.map((f) => f.func));
  const out: Outcome[] = [];
  for (const pf of file.functions) {
    for (const cmd of pf.runCommands) {
      try {
        const r = interp.call(cmd.funcName, cmd.args);
        out.push(r.kind === 'trap' ? { kind: 'trap' } : { kind: 'values', values: r.values });
      } catch (e) {
        out.push({ kind: 'error', message: (e as Error).message });
      }
    }
  }
  return out;
}

export interface FileResult {
  file: string;
  commands: number;
  /** Commands that pass (match their expectation) unoptimized. */
  baselinePassing: number;
  /** Of those, commands whose optimized result differs: one message each. */
  mismatches: string[];
  instsBefore: number;
  instsAfter: number;
  millis: number;
}

export function checkRuntestFile(path: string, level: 'speed' | 'speed_and_size'): FileResult | undefined {
  const text = readFileSync(path, 'utf8');
  if (!/^test interpret/m.test(text)) return undefined;
  let before: TestFile, after: TestFile;
  try {
    before = parseTestFile(text, path);
    after = parseTestFile(text, path);
  } catch {
    return undefined; // a file the reader rejects is the reader's conformance problem, not the mid-end's
  }
  const res: FileResult = { file: path, commands: 0, baselinePassing: 0, mismatches: [], instsBefore: 0, instsAfter: 0, millis: 0 };
  const t0 = performance.now();
  for (const pf of after.functions) {
    res.instsBefore += countInsts(pf.func);
    try {
      optimize(pf.func, { level });
    } catch (e) {
      res.mismatches.push(`${formatUserFuncName(pf.func.name)}: optimizer threw ${(e as Error).stack ?? String(e)}`);
      continue;
    }
    res.instsAfter += countInsts(pf.func);
    const errs = verifyFunction(pf.func);
    if (errs.length > 0) res.mismatches.push(`verifier: ${formatVerifierErrors(pf.func, errs)}`);
  }
  res.millis = performance.now() - t0;
  const cmds = before.functions.flatMap((f) => f.runCommands);
  const a = runAll(before);
  const b = runAll(after);
  res.commands = cmds.length;
  cmds.forEach((cmd, i) => {
    const x = a[i];
    if (cmd.kind === 'run') {
      if (x.kind !== 'values') return;
      const eq = dataValueListsEqual(x.values, cmd.expected);
      if (!(cmd.comparison === '!=' ? !eq : eq)) return;
    } else if (x.kind !== 'values') return;
    res.baselinePassing++;
    const y = b[i];
    if (y.kind !== 'values' || !dataValueListsEqual(x.values, y.values)) {
      res.mismatches.push(
        `line ${cmd.line}: ${cmd.text.trim()}: before ${formatDataValues(x.values)}, after ${y.kind === 'values' ? formatDataValues(y.values) : y.kind === 'trap' ? 'trap' : y.message}`,
      );
    }
  });
  return res;
}
