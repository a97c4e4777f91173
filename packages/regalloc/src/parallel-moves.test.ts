import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzMachine } from './fuzzing/index.js';
import { ParallelMoves } from './parallel-moves.js';
import { readEnv } from './validate.js';

const REG = 1 << 29;
const STACK = 2 << 29;

describe('parallel moves', () => {
  for (const scratch of [true, false]) {
    it(`sequences permutations and fan-outs correctly (scratch: ${scratch})`, () => {
      const env = readEnv(fuzzMachine({ regs: [4, 4], scratch }));
      // Locations: int registers 0..3 and stack slots 0..3; emergency slots from 100.
      const locs = [0, 1, 2, 3].map((p) => REG | p).concat([0, 1, 2, 3].map((s) => STACK | s));
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 })), { maxLength: 10 }), (pairs) => {
          const pm = new ParallelMoves();
          pm.begin(env, { numSlots: 100, f: { slotSize: [1, 1, 1] } });
          const want = new Map<number, number>();
          const used = new Set<number>();
          for (const [s, d] of pairs) {
            if (used.has(d)) continue;
            used.add(d);
            pm.add(locs[s], locs[d], 0);
            want.set(locs[d], locs[s]);
          }
          const state = new Map<number, number>(locs.map((l) => [l, l]));
          pm.resolve({
            push: (from, to) => {
              expect((from >>> 29 === 2 || from === REG + 56) && (to >>> 29 === 2 || to === REG + 56)).toBe(false);
              state.set(to, state.get(from) ?? -1);
            },
          });
          for (const l of locs) expect(state.get(l)).toBe(want.get(l) ?? l);
        }),
        { numRuns: 300 },
      );
    });
  }
});
