// Thousands of random valid functions through both allocators and the checker.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOutput, RegallocContext, RegallocFailure, RegClass, run, use, vreg } from '../src/index.js';
import { arbFunction, DataFunction, fuzzMachine, generateFunction } from '../src/fuzzing/index.js';
import { optionsFor, runCase } from './fuzz-case.js';

const CASES = 2500;
const REALISTIC_CASES = 600;

describe('fuzz', () => {
  // One context for every case: a reset that leaks state between runs fails here.
  it(`${CASES} seeded cases pass the checker with both allocators`, () => {
    const ctx = new RegallocContext();
    const failures: string[] = [];
    for (let seed = 1; seed <= CASES && failures.length < 3; seed++) {
      const f = runCase(seed, undefined, ctx);
      if (f !== null) failures.push(f);
    }
    expect(failures.join('\n\n')).toBe('');
  }, 120_000);

  it(`${REALISTIC_CASES} realistic-profile cases (structured CFGs) pass the checker with both allocators`, () => {
    const ctx = new RegallocContext();
    const failures: string[] = [];
    for (let seed = 1; seed <= REALISTIC_CASES && failures.length < 3; seed++) {
      const f = runCase(seed, undefined, ctx, true);
      if (f !== null) failures.push(f);
    }
    expect(failures.join('\n\n')).toBe('');
  }, 120_000);

  it('a reused context gives the same output as a fresh one', () => {
    const ctx = new RegallocContext();
    for (let seed = 1; seed <= 200; seed++) {
      const opts = optionsFor(seed, seed % 2 === 0);
      const f = new DataFunction(generateFunction(seed, opts.gen));
      const env = fuzzMachine({ regs: opts.gen.regs, scratch: opts.scratch });
      // A new context each time: `run` without one reuses an internal context.
      const fresh = run(f, env, {}, new RegallocContext());
      const reused = run(f, env, {}, ctx);
      expect(reused.edits).toEqual(fresh.edits);
      expect(Array.from(reused.allocs)).toEqual(Array.from(fresh.allocs));
      expect(reused.numSpillslots).toBe(fresh.numSpillslots);
    }
  });

  it('runs without a context match fresh-context runs, also nested and after a failure', () => {
    const same = (a: ReturnType<typeof run>, b: ReturnType<typeof run>): void => {
      expect(a.edits).toEqual(b.edits);
      expect(Array.from(a.allocs)).toEqual(Array.from(b.allocs));
    };
    const env = fuzzMachine({ regs: [4, 3] });
    const fs = [11, 12, 13].map((seed) => new DataFunction(generateFunction(seed, { regs: [4, 3], blocks: 10, instsPerBlock: 8 })));
    const want = fs.map((f) => run(f, env, {}, new RegallocContext()));
    // A log callback that runs the allocator again while the internal context is in use.
    let inner: ReturnType<typeof run> | undefined;
    const outer = run(fs[0], env, { log: () => void (inner ??= run(fs[1], env)) });
    same(outer, want[0]);
    same(inner as ReturnType<typeof run>, want[1]);
    // An invalid function (a use of an undefined vreg) fails; the next runs are unaffected.
    const bad = new DataFunction({ blocks: [{ params: [], insts: [{ ops: [use(vreg(1, RegClass.Int))], kind: 'ret' }], succs: [], branchArgs: [] }], numVregs: 2 });
    expect(() => run(bad, env)).toThrow(RegallocFailure);
    fs.forEach((f, k) => same(run(f, env), want[k]));
  });

  it('fast-check property: every generated function allocates and checks', () => {
    const env = fuzzMachine({ regs: [4, 3], scratch: false });
    fc.assert(
      fc.property(arbFunction(fc, { regs: [4, 3], blocks: 12, instsPerBlock: 10 }), ({ data }) => {
        const f = new DataFunction(data);
        for (const algorithm of ['backtracking', 'fastalloc'] as const) expect(checkOutput(f, env, run(f, env, { algorithm }))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  // Found by `pnpm fuzz`: a late reg def placed before an early reg def of the same
  // instruction took the only register free at both points (fastalloc).
  it('regression seeds pass with both allocators', () => {
    for (const seed of [138676]) expect(runCase(seed)).toBeNull();
  });

  it('generation is deterministic per seed', () => {
    expect(JSON.stringify(new DataFunction(arbitraryOf(7)).data)).toBe(JSON.stringify(new DataFunction(arbitraryOf(7)).data));
  });
});

function arbitraryOf(seed: number): DataFunction['data'] {
  return fc.sample(arbFunction(fc), { seed, numRuns: 1 })[0].data;
}
