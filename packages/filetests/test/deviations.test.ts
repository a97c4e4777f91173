import { describe, expect, it } from 'vitest';
import { ExpectationsSyntaxError, parseDeviations, toExpectations } from '../src/expectations.js';
import type { TestRecord } from '../src/run-file.js';

describe('deviations', () => {
  it('explains known failures in place of the failure message', () => {
    const notes = parseDeviations('# comment\nruntests/a.clif\tinterpret\t-\tupstream is wrong here\n');
    const records: TestRecord[] = [
      { path: '/u/runtests/a.clif', test: 'interpret', target: '-', status: 'fail', message: 'line 3: mismatch' },
      { path: '/u/runtests/b.clif', test: 'interpret', target: '-', status: 'fail', message: 'line 9: other\nmore' },
      { path: '/u/runtests/c.clif', test: 'interpret', target: '-', status: 'pass', message: '' },
    ];
    const list = toExpectations(records, '/u', notes);
    expect(list.map((e) => e.reason)).toEqual(['upstream is wrong here', 'line 9: other', '']);
  });

  it('rejects a line without an explanation', () => {
    expect(() => parseDeviations('a.clif\tinterpret\t-\n')).toThrow(ExpectationsSyntaxError);
  });
});
