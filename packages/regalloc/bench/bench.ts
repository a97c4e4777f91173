// Allocation throughput and quality of both allocators on generated
// functions from 100 to 100,000 instructions. Run with `pnpm bench` (tsx).
// Figures are per run on this machine; compare ratios within one run.
// Inputs use the generator's 'typical' profile (mostly register operands of
// recent values, some calls, reuses, fixed and stack operands; 12 int and 8
// float registers, half caller-saved); one 'stress' row exercises every
// constraint kind at high pressure.
//
// Throughput: instructions per second of `run` alone (input generation is
// excluded). Quality: spills (reg->stack), reloads (stack->reg) and moves
// (reg->reg) inserted per 1,000 instructions. Every result is also checked.

import { checkOutput, run, type Algorithm } from '../src/index.js';
import { DataFunction, fuzzMachine, generateFunction } from '../src/fuzzing/index.js';

const sizes = (process.argv[2] ?? '100,1000,10000,100000').split(',').map(Number);
const regs: [number, number] = [12, 8];
const env = fuzzMachine({ regs, scratch: true });

interface Row {
  profile: string;
  algo: Algorithm;
  insts: number;
  ips: number;
  spills: number;
  reloads: number;
  moves: number;
}
const rows: Row[] = [];
const cases: [number, 'typical' | 'stress'][] = sizes.map((n) => [n, 'typical']);
cases.push([10000, 'stress']);
for (const [size, profile] of cases) {
  const blocks = Math.max(1, Math.round(size / 10));
  const data = generateFunction(size, { blocks, instsPerBlock: 16, regs, loopiness: 0.2, pressure: 0.5, profile });
  const f = new DataFunction(data);
  const n = f.numInsts();
  for (const algo of ['backtracking', 'fastalloc'] as const) {
    // Warm up the JIT (a compiler runs the allocator many times), then repeat
    // until at least ~0.5 s of work has been timed.
    let out = run(f, env, { algorithm: algo });
    const errs = checkOutput(f, env, out);
    if (errs.length > 0) throw new Error(`${algo} on ${size}: ${errs[0].message}`);
    for (let w = 0, tw = performance.now(); w < 3 || performance.now() - tw < 1000; w++) run(f, env, { algorithm: algo });
    let reps = 0;
    const t0 = performance.now();
    let t = t0;
    while (reps < 3 || t - t0 < 500) {
      out = run(f, env, { algorithm: algo });
      reps++;
      t = performance.now();
    }
    const secs = (t - t0) / 1000 / reps;
    const k = n / 1000;
    rows.push({ profile, algo, insts: n, ips: n / secs, spills: out.stats.spills / k, reloads: out.stats.reloads / k, moves: out.stats.moves / k });
  }
}
const fmt = (x: number, d = 1): string => x.toFixed(d).padStart(8);
console.log('profile  allocator      insts     inst/s   spills/1k reloads/1k  moves/1k');
for (const r of rows)
  console.log(`${r.profile.padEnd(8)} ${r.algo.padEnd(12)} ${String(r.insts).padStart(7)} ${String(Math.round(r.ips)).padStart(10)} ${fmt(r.spills)}  ${fmt(r.reloads)}  ${fmt(r.moves)}`);
