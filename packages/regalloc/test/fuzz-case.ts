// One fuzz case: generate a function from a seed, allocate it with both
// allocators, check both outputs. A failure is described so that it can be
// reproduced: the seed, the options, and a textual dump of the function.
import { checkOutput, formatFunction, run, type Algorithm, type RegallocContext } from '../src/index.js';
import { DataFunction, fuzzMachine, generateFunction, Rng, type GenOptions } from '../src/fuzzing/index.js';

export interface CaseOptions {
  readonly gen: GenOptions;
  readonly scratch: boolean;
}

/**
 * Options derived from the seed, so a seed alone reproduces a case. With
 * `realistic`, the same draws pick sizes for the structured-CFG profile.
 */
export function optionsFor(seed: number, realistic = false): CaseOptions {
  const r = new Rng(seed ^ 0x5bd1e995);
  const regs: [number, number] = [r.int(3, 10), r.int(3, 8)];
  const gen = { regs, blocks: r.int(1, 24), instsPerBlock: r.int(0, 14), pressure: r.next(), loopiness: r.next() * 0.6 };
  const profile = r.bool(0.25) ? 'typical' : 'stress';
  return { gen: { ...gen, profile: realistic ? 'realistic' : profile }, scratch: r.bool() };
}

/**
 * Runs one case; `ctx`, when given, is reused across calls (the fuzzers pass
 * one context to every case, so state leaking between runs would show up as
 * checker failures).
 */
export function runCase(seed: number, algorithms: readonly Algorithm[] = ['backtracking', 'fastalloc'], ctx?: RegallocContext, realistic = false): string | null {
  const opts = optionsFor(seed, realistic);
  const data = generateFunction(seed, opts.gen);
  const f = new DataFunction(data);
  const env = fuzzMachine({ regs: opts.gen.regs, scratch: opts.scratch });
  for (const algorithm of algorithms) {
    let problem: string | null = null;
    try {
      const out = run(f, env, { algorithm }, ctx);
      const errs = checkOutput(f, env, out);
      if (errs.length > 0) problem = errs.map((e) => e.message).join('\n');
    } catch (e) {
      problem = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
    if (problem !== null)
      return [
        `fuzz case failed: seed ${seed}, allocator ${algorithm}`,
        `reproduce: runCase(${seed}${realistic ? ", undefined, undefined, true" : ''}) from test/fuzz-case.ts; options ${JSON.stringify(opts)}`,
        problem,
        formatFunction(f),
      ].join('\n');
  }
  return null;
}
