import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RegallocContext } from '../context.js';
import { Occupancy } from './occupancy.js';

const POINTS = 700;
const SLOTS = 3;

/** An Occupancy over SLOTS slots and POINTS points, with a live-range table the test fills. */
function fresh(ctx: RegallocContext, lrFrom: Int32Array): Occupancy {
  const slotOf = new Int32Array(192).fill(-1);
  for (let s = 0; s < SLOTS; s++) slotOf[s] = s;
  const occ = new Occupancy(ctx);
  occ.begin(POINTS, slotOf, SLOTS, lrFrom);
  return occ;
}

describe('Occupancy', () => {
  it('matches a naive model under random inserts, removals and queries', () => {
    // One context for every case: state must not leak from one occupancy to the next.
    const ctx = new RegallocContext();
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: SLOTS - 1 }), fc.integer({ min: 0, max: POINTS - 2 }), fc.integer({ min: 1, max: 90 }), fc.boolean()), { maxLength: 300 }),
        (opsList) => {
          const lrFrom = new Int32Array(opsList.length + 1);
          const occ = fresh(ctx, lrFrom);
          occ.setReservations(0, new Int32Array(0), new Int32Array(0), new Int32Array(0), new Int32Array(0));
          // Model: per slot, live ranges [from, to, id].
          const model: [number, number, number][][] = [[], [], []];
          let id = 0;
          for (const [slot, from, len, remove] of opsList) {
            const to = Math.min(POINTS, from + len);
            const ranges = model[slot];
            if (remove && ranges.length > 0) {
              const [f0, t0, r0] = ranges.splice(from % ranges.length, 1)[0];
              occ.remove(slot, f0, t0, r0);
              continue;
            }
            if (ranges.some(([a, b]) => a < to && from < b)) continue;
            lrFrom[id] = from;
            occ.insert(slot, from, to, id);
            ranges.push([from, to, id++]);
          }
          for (let slot = 0; slot < SLOTS; slot++) {
            const ranges = model[slot];
            for (let q = 0; q < 40; q++) {
              const a = (q * 37) % (POINTS - 1);
              const b = Math.min(POINTS, a + 1 + ((q * 13) % 70));
              const hits = ranges.filter(([x, y]) => x < b && a < y).sort((u, v) => u[0] - v[0]);
              expect(occ.occupied(slot, a, b)).toBe(hits.length > 0);
              const held = ranges.find(([x, y]) => x <= a && a < y);
              expect(occ.heldAt(slot, a)).toBe(held !== undefined);
              if (held !== undefined) expect(occ.ownerAt(slot, a)).toBe(held[2]);
              const starting = ranges.filter(([x]) => a <= x && x < b).sort((u, v) => u[0] - v[0]);
              expect(occ.nextStart(slot, a, b)).toBe(starting.length > 0 ? starting[0][0] : -1);
              if (starting.length > 0) expect(occ.startingAt(slot, starting[0][0])).toBe(starting[0][2]);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('answers reservation queries, skipping the owner', () => {
    const ctx = new RegallocContext();
    const occ = fresh(ctx, new Int32Array(4));
    // Slot 1: a clobber at [9, 10), a fixed operand of v7 at [20, 22), one of v8 at [22, 23).
    occ.setReservations(3, Int32Array.of(1, 1, 1), Int32Array.of(9, 20, 22), Int32Array.of(10, 22, 23), Int32Array.of(-1, -2 - 7, -2 - 8));
    expect(occ.reservationsOf(1)).toEqual([
      [9, 10, -1],
      [20, 22, -9],
      [22, 23, -10],
    ]);
    expect(occ.reserved(0, 0, POINTS)).toBe(false);
    expect(occ.reserved(1, 0, 9)).toBe(false);
    expect(occ.reserved(1, 0, 10)).toBe(true);
    expect(occ.firstReservation(1, 0, 30, -2 - 7)).toBe(9);
    expect(occ.firstReservation(1, 15, 30, -2 - 7)).toBe(22);
    expect(occ.firstReservation(1, 15, 22, -2 - 7)).toBe(-1);
    expect(occ.firstReservation(1, 21, 22, -2 - 8)).toBe(20);
    expect(occ.firstReservation(1, 23, 40, -1)).toBe(-1);
  });
});
