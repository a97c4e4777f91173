// Allocation throughput and quality of both allocators on generated
// functions from 100 to 100,000 instructions. Run with `pnpm bench [sizes]
// [profiles]` (tsx), e.g. `pnpm bench 100,1000,10000,100000 realistic,typical,stress`.
// Figures are per run on this machine; compare ratios within one run.
//
// Inputs: the generator's 'realistic' profile (a structured CFG laid out as
// compilers lay it out, with nested loops and if/else joins; mostly recent
// operand values), its 'typical' profile (typical instructions on a random
// CFG laid out in creation order, pessimistic for long functions because old
// values are live in many scattered ranges) and its 'stress' profile (every
// constraint kind at high pressure on that random CFG), all on 12 int
// and 8 float registers, half caller-saved; the seed is the size, so runs are
// reproducible.
//
// Throughput: CPU time (process.cpuUsage, user + system) of `run` alone,
// input generation excluded, after a JIT warm-up, so that other load on a
// shared machine inflates the figures less than wall time would. Reported as
// instructions per second and nanoseconds per instruction; near-linear
// scaling shows as a flat ns/inst column across sizes (the last lines give
// the largest size's ns/inst relative to the smallest's). Quality: spills
// (reg->stack), reloads (stack->reg) and moves (reg->reg) inserted per 1,000
// instructions. Every result is also checked.

import { checkOutput, run, type Algorithm } from '../src/index.js';
import { DataFunction, fuzzMachine, generateFunction } from '../src/fuzzing/index.js';

type Profile = 'realistic' | 'typical' | 'stress';
const sizes = (process.argv[2] ?? '100,1000,10000,100000').split(',').map(Number);
const profiles = (process.argv[3] ?? 'realistic,typical,stress').split(',') as Profile[];
const regs: [number, number] = [12, 8];
const env = fuzzMachine({ regs, scratch: true });

/** CPU milliseconds used by this process so far. */
function cpuMs(): number {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
}

interface Row {
  profile: Profile;
  algo: Algorithm;
  insts: number;
  nsPerInst: number;
  spills: number;
  reloads: number;
  moves: number;
}
const rows: Row[] = [];
for (const profile of profiles)
  for (const size of sizes) {
    const blocks = Math.max(1, Math.round(size / 10));
    const data = generateFunction(size, { blocks, instsPerBlock: 16, regs, loopiness: 0.2, pressure: 0.5, profile });
    const f = new DataFunction(data);
    const n = f.numInsts();
    for (const algo of ['backtracking', 'fastalloc'] as const) {
      // Warm up the JIT (a compiler runs the allocator many times), then repeat
      // until at least ~0.5 s of CPU time has been measured.
      let out = run(f, env, { algorithm: algo });
      const errs = checkOutput(f, env, out);
      if (errs.length > 0) throw new Error(`${algo} on ${profile} ${size}: ${errs[0].message}`);
      for (let w = 0, tw = cpuMs(); w < 3 || cpuMs() - tw < 700; w++) run(f, env, { algorithm: algo });
      let reps = 0;
      const t0 = cpuMs();
      let t = t0;
      while (reps < 3 || t - t0 < 500) {
        out = run(f, env, { algorithm: algo });
        reps++;
        t = cpuMs();
      }
      const k = n / 1000;
      rows.push({ profile, algo, insts: n, nsPerInst: ((t - t0) * 1e6) / reps / n, spills: out.stats.spills / k, reloads: out.stats.reloads / k, moves: out.stats.moves / k });
    }
  }
const fmt = (x: number, d = 1): string => x.toFixed(d).padStart(8);
console.log('profile   allocator      insts     inst/s  ns/inst   spills/1k reloads/1k  moves/1k');
for (const r of rows)
  console.log(
    `${r.profile.padEnd(9)} ${r.algo.padEnd(12)} ${String(r.insts).padStart(7)} ${String(Math.round(1e9 / r.nsPerInst)).padStart(10)} ${r.nsPerInst.toFixed(0).padStart(8)} ${fmt(r.spills)}  ${fmt(r.reloads)}  ${fmt(r.moves)}`,
  );
for (const profile of profiles)
  for (const algo of ['backtracking', 'fastalloc'] as const) {
    const rs = rows.filter((r) => r.profile === profile && r.algo === algo);
    if (rs.length < 2) continue;
    const first = rs[0];
    const last = rs[rs.length - 1];
    console.log(`scaling ${profile} ${algo}: ns/inst at ${last.insts} insts is ${(last.nsPerInst / first.nsPerInst).toFixed(2)}x that at ${first.insts}`);
  }
