import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IntervalMap } from './intervals.js';

describe('IntervalMap', () => {
  it('matches a naive model under random inserts, removals and queries', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 8 }), fc.boolean()), { maxLength: 400 }), (opsList) => {
        const m = new IntervalMap();
        const model: [number, number, number][] = [];
        let owner = 0;
        for (const [from, len, remove] of opsList) {
          const to = from + len;
          if (remove && model.length > 0) {
            const [f0] = model.splice(from % model.length, 1)[0];
            expect(m.remove(f0)).toBe(true);
            continue;
          }
          if (model.some(([a, b]) => a < to && from < b)) continue;
          m.insert(from, to, owner);
          model.push([from, to, owner++]);
        }
        model.sort((a, b) => a[0] - b[0]);
        expect(m.entries()).toEqual(model);
        for (let q = 0; q < 50; q++) {
          const a = q * 40;
          const b = a + 13;
          const buf = new Int32Array(4096);
          const n = m.gather(a, b, buf, 0);
          const want = model.filter(([x, y]) => x < b && a < y).map(([x, , o]) => [x, o]);
          const got: number[][] = [];
          for (let k = 0; k < n; k += 2) got.push([buf[k], buf[k + 1]]);
          expect(got).toEqual(want);
        }
      }),
      { numRuns: 60 },
    );
  });
});
