// The checker must reject wrong outputs, not only accept right ones.
import { describe, expect, it } from 'vitest';
import { DataFunction, fuzzMachine, generateFunction } from './fuzzing/index.js';
import { allocReg, allocStack, checkOutput, run, type Edit, type Output } from './index.js';
import { defL, I, op, r, ret, straight, useE } from '../test/helpers.js';

const env = fuzzMachine({ regs: [4, 4] });

describe('checker', () => {
  const f = new DataFunction(straight(2, [op(defL(I(0))), op(defL(I(1))), op(useE(I(0)), useE(I(1))), ret()]));
  const good = run(f, env);
  const withAllocs = (mut: (a: Uint32Array) => void): Output => {
    const allocs = Uint32Array.from(good.allocs);
    mut(allocs);
    return { ...good, allocs };
  };

  it('accepts a correct output', () => {
    expect(checkOutput(f, env, good)).toEqual([]);
  });
  it('rejects a use reading the wrong register', () => {
    const bad = withAllocs((a) => {
      const t = a[2];
      a[2] = a[3];
      a[3] = t;
    });
    expect(checkOutput(f, env, bad).length).toBeGreaterThan(0);
  });
  it('rejects a def that overwrites a live value', () => {
    const bad = withAllocs((a) => (a[1] = a[0]));
    expect(checkOutput(f, env, bad).some((e) => e.message.includes('reads'))).toBe(true);
  });
  it('rejects an edit that clobbers a live value', () => {
    const edits: Edit[] = [...good.edits, { point: 4 as Edit['point'], from: allocReg(r(3)), to: good.allocs[2] as Edit['to'] }];
    const bad: Output = { ...good, edits: edits.sort((x, y) => x.point - y.point) };
    expect(checkOutput(f, env, bad).length).toBeGreaterThan(0);
  });
  it('rejects constraint violations, bad slots and stack-to-stack edits', () => {
    expect(checkOutput(f, env, withAllocs((a) => (a[0] = allocStack(0)))).length).toBeGreaterThan(0);
    const edits: Edit[] = [{ point: 4 as Edit['point'], from: allocStack(0), to: allocStack(1) }];
    const errs = checkOutput(f, env, { ...good, edits, numSpillslots: 2 });
    expect(errs.some((e) => e.message.includes('stack to stack'))).toBe(true);
  });
  it('finds the first broken edit in larger functions', () => {
    // Dropping any single edit of a spilling function must be noticed, or be harmless
    // (a redundant edit); at least one drop in a spilling function is noticed.
    let noticed = 0;
    for (let seed = 0; seed < 20; seed++) {
      const g = new DataFunction(generateFunction(seed, { regs: [3, 3] }));
      const e3 = fuzzMachine({ regs: [3, 3] });
      const out = run(g, e3);
      if (out.edits.length === 0) continue;
      const edits = out.edits.slice(1);
      if (checkOutput(g, e3, { ...out, edits }).length > 0) noticed++;
    }
    expect(noticed).toBeGreaterThan(5);
  });
});
