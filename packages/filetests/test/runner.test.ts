import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MissingPathError, collectTestFiles, formatTally, runTestFiles, tally } from '../src/index.js';

const PASSING = 'test cat\nfunction %a() {\nblock0:\n    return\n}\n; check: return\n';
const FAILING = 'test cat\nfunction %b() {\nblock0:\n    return\n}\n; check: trap\n';

describe('runner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clift-runner-'));
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'sub', 'z.clif'), PASSING);
  writeFileSync(join(dir, 'b.clif'), FAILING);
  writeFileSync(join(dir, 'a.clif'), PASSING);
  writeFileSync(join(dir, 'notes.txt'), 'not a test');

  it('collects .clif files recursively in sorted order, and rejects missing paths', () => {
    expect(collectTestFiles([dir]).map((p) => p.slice(dir.length + 1))).toEqual(['a.clif', 'b.clif', join('sub', 'z.clif')]);
    expect(() => collectTestFiles([join(dir, 'nope')])).toThrow(MissingPathError);
  });

  it('returns outcomes in input order and tallies records', async () => {
    const files = collectTestFiles([dir]);
    const seen: number[] = [];
    const outcomes = await runTestFiles(files, { jobs: 2, onOutcome: (_o, done) => seen.push(done) });
    expect(outcomes.map((o) => o.path)).toEqual(files);
    expect(seen).toEqual([1, 2, 3]);
    const t = tally(outcomes.flatMap((o) => o.records));
    expect(t).toEqual({ passed: 2, failed: 1, skipped: 0 });
    expect(formatTally(t)).toBe('2 passed, 1 failed');
    expect(formatTally({ passed: 1, failed: 0, skipped: 3 })).toBe('1 passed, 0 failed, 3 skipped');
    expect(readFileSync(join(dir, 'b.clif'), 'utf8')).toBe(FAILING);
  });
});
