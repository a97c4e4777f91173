// The mid-end quality ratchet (see midend-quality.ts): every function that
// expectations/midend-quality.txt lists as equal-or-better than upstream
// must stay so, and no optimized function may compute anything different
// from its original in the interpreter. CLIFT_TEST_BLESS=1 rewrites the list.
// Missing upstream folder: skipped with a message, a failure under CI.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDirective } from '../src/filecheck.js';
import { upstreamFiletestsDir } from '../src/index.js';
import {
  canonicalizeValues,
  checkModuloValues,
  checkedSize,
  formatQuality,
  formatTally,
  improvements,
  lineOpcode,
  measureUpstream,
  parseQuality,
  regressions,
  tally,
  type Verdict,
} from './midend-quality.js';

const LIST = join(import.meta.dirname, '..', 'expectations', 'midend-quality.txt');
const upstream = upstreamFiletestsDir();
const underCi = process.env['CI'] === 'true';

const directives = (...lines: string[]) => lines.map((l) => parseDirective(l)!);

describe('matching modulo value numbers', () => {
  it('binds upstream value names one-to-one, at first use', () => {
    const out = 'block0(v0: i32, v1: i32):\n    v7 = isub v1, v0\n    return v7\n';
    expect(checkModuloValues(directives('check: v4 = isub v1, v0', 'check: return v4'), out).ok).toBe(true);
    // Swapped names are a renaming too.
    expect(checkModuloValues(directives('check: v4 = isub v0, v1', 'check: return v4'), out).ok).toBe(true);
    // Two upstream names never bind one value.
    const same = '    v7 = isub v1, v1\n    return v7\n';
    expect(checkModuloValues(directives('check: v4 = isub v0, v2'), same).ok).toBe(false);
    expect(checkModuloValues(directives('check: v4 = isub v0, v0'), same).ok).toBe(true);
    // A bound name keeps its value, and a new name cannot take it.
    expect(checkModuloValues(directives('check: v4 = isub v1, v0', 'nextln: return v5'), out).ok).toBe(false);
    expect(checkModuloValues(directives('check: v4 = isub v1, v0', 'check: return v1'), out).ok).toBe(false);
  });

  it('keeps FileCheck order and not: semantics', () => {
    const out = '    v3 = iadd v0, v1\n    v4 = load.i32 v3\n    return v4\n';
    expect(checkModuloValues(directives('check: load', 'check: iadd'), out).ok).toBe(false);
    expect(checkModuloValues(directives('check: iadd', 'nextln: load'), out).ok).toBe(true);
    expect(checkModuloValues(directives('check: iadd', 'not: store', 'check: return'), out).ok).toBe(true);
    const r = checkModuloValues(directives('check: iadd', 'not: load', 'check: return'), out);
    expect([r.ok, r.failed?.kind]).toEqual([false, 'not']);
    // An unbound name in not: matches any value; v12 is not v1.
    expect(checkModuloValues(directives('not: v9 = load.i32 v3'), out).ok).toBe(false);
    expect(checkModuloValues(directives('check: v1 = iadd v0, v12'), out).ok).toBe(true);
  });

  it('renames precise output by first appearance', () => {
    expect(canonicalizeValues(['block0(v3: i8):', 'v9 = bnot v3', 'return v9'])).toEqual(canonicalizeValues(['block0(v0: i8):', 'v1 = bnot v0', 'return v1']));
    expect(canonicalizeValues(['v9 = iadd v3, v4'])).not.toEqual(canonicalizeValues(['v1 = iadd v0, v0']));
  });

  it('counts instructions, not declarations, headers or aliases', () => {
    expect(['function %f(i32) -> i32 fast {', 'ss0 = explicit_slot 8', 'block0(v0: i32):', 'v2 -> v0', 'v1 = iconst.i32 3  ; v1 = 3', 'store v1, v0', 'return v1', '}'].map(lineOpcode)).toEqual([
      undefined, undefined, undefined, undefined, 'iconst', 'store', 'return', undefined,
    ]);
    expect(checkedSize(directives('check: block0(v0: i32):', 'check: v3 = imul v0, v0', 'sameln: v0', 'nextln: return v3'))).toEqual({ insts: 2, cost: 6 });
  });
});

describe('mid-end quality against upstream egraph/ and alias/', () => {
  if (!upstream.exists) {
    if (underCi) {
      it('needs the upstream filetests folder under CI', () => {
        expect.fail(`upstream filetests folder ${upstream.path} is missing; set CLIFT_UPSTREAM_FILETESTS`);
      });
    } else {
      console.log(`upstream filetests not found at ${upstream.path}: skipping the mid-end quality suite (set CLIFT_UPSTREAM_FILETESTS to run it)`);
      it.skip(`upstream filetests folder ${upstream.path} is missing`, () => {});
    }
    return;
  }

  it('keeps every listed equal-or-better function, and every optimized function agrees with its original', { timeout: 300_000 }, () => {
    const run = measureUpstream(upstream.path);
    console.log(formatTally('egraph', tally(run.records, 'egraph/')));
    console.log(formatTally('alias', tally(run.records, 'alias/')));
    expect(run.problems).toEqual([]);
    const counts = new Map<Verdict, number>();
    for (const r of run.records) counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
    expect(counts.get('match') ?? 0).toBeGreaterThan(0);
    if (process.env['CLIFT_TEST_BLESS'] === '1') {
      writeFileSync(LIST, formatQuality(run.records));
      return;
    }
    expect(existsSync(LIST), `${LIST} is missing; rerun with CLIFT_TEST_BLESS=1`).toBe(true);
    const listed = parseQuality(readFileSync(LIST, 'utf8'));
    const better = improvements(listed, run.records);
    if (better.length > 0) console.log(`improved or new (rerun with CLIFT_TEST_BLESS=1 to record):\n  ${better.join('\n  ')}`);
    expect(regressions(listed, run.records), 'equal-or-better functions that regressed (CLIFT_TEST_BLESS=1 rewrites the list)').toEqual([]);
  });
});
