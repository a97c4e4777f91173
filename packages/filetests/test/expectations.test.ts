import { describe, expect, it } from 'vitest';
import {
  ExpectationsSyntaxError,
  compareWithExpectations,
  formatExpectations,
  formatRatchetReport,
  oneLineReason,
  parseExpectations,
  toExpectations,
  upstreamFiletestsDir,
  type Expectation,
} from '../src/index.js';

const e = (path: string, status: Expectation['status'], reason = ''): Expectation => ({ path, test: 'cat', target: '-', status, reason });

describe('expectations list', () => {
  it('round-trips through its text format, sorted, with relative paths', () => {
    const list = toExpectations(
      [
        { path: '/up/b.clif', test: 'run', target: 'aarch64', status: 'skip', message: 'test run is not implemented yet' },
        { path: '/up/a.clif', test: 'cat', target: '-', status: 'fail', message: 'first line\tx\nsecond line' },
        { path: '/up/a.clif', test: 'verifier', target: '-', status: 'pass', message: '' },
      ],
      '/up',
    );
    expect(list.map((x) => [x.path, x.test, x.reason])).toEqual([
      ['a.clif', 'cat', 'first line x'],
      ['a.clif', 'verifier', ''],
      ['b.clif', 'run', 'test run is not implemented yet'],
    ]);
    const text = formatExpectations(list);
    expect(text).toContain('# Totals: 1 pass, 1 fail, 1 skip.');
    expect(parseExpectations(text)).toEqual(list);
  });

  it('rejects malformed lines with their line number', () => {
    expect(() => parseExpectations('# c\na.clif\tcat\n')).toThrow(ExpectationsSyntaxError);
    expect(() => parseExpectations('a.clif\tcat\t-\tmaybe\n')).toThrow(/line 1: status must be pass, fail or skip/);
  });

  it('flags regressions, stale entries, unlisted and vanished records — and nothing else', () => {
    const listed = [e('reg.clif', 'pass'), e('stale.clif', 'fail', 'x'), e('same.clif', 'skip', 'old reason'), e('gone.clif', 'pass')];
    const actual = [e('reg.clif', 'fail', 'broke'), e('stale.clif', 'pass'), e('same.clif', 'skip', 'new reason'), e('new.clif', 'pass')];
    const r = compareWithExpectations(actual, listed);
    expect(r.regressions).toEqual(['reg.clif [test cat, target -]: was pass, now fail: broke']);
    expect(r.stale).toEqual(['stale.clif [test cat, target -]: listed fail (x), now passes']);
    expect(r.unlisted).toEqual(['new.clif [test cat, target -]: pass']);
    expect(r.vanished).toEqual(['gone.clif [test cat, target -]: listed pass, did not run']);
    expect(formatRatchetReport(r)).toContain('Regressions');
    expect(formatRatchetReport(compareWithExpectations(listed, listed))).toBe('');
  });

  it('bounds reasons to one line', () => {
    expect(oneLineReason('\n  a\nb')).toBe('a');
    expect(oneLineReason('x'.repeat(300))).toHaveLength(200);
  });

  it('finds the upstream folder from the environment or beside the repository', () => {
    expect(upstreamFiletestsDir({ CLIFT_UPSTREAM_FILETESTS: '/nowhere/at/all' })).toEqual({ path: '/nowhere/at/all', fromEnv: true, exists: false });
    const d = upstreamFiletestsDir({});
    expect(d.fromEnv).toBe(false);
    expect(d.path.endsWith('/shared/upstream-filetests')).toBe(true);
  });
});
