// Allocation throughput and quality of both allocators on generated
// functions from 100 to 100,000 instructions, and the per-call cost on tiny
// functions. Run with `pnpm bench [sizes] [profiles] [reuse|fresh]` (tsx), e.g.
// `pnpm bench 100,1000,10000,100000 tiny,realistic,typical,stress`.
// Figures are per run on this machine; compare ratios within one run.
//
// The 'tiny' profile (sizes do not apply) is a compiler's common case: a
// few hundred functions of 5 to 40 instructions in one to a few blocks, with
// the typical profile's constraint mix (calls with clobbers included), each
// allocated once per round, every call through `run` without a context (the
// internal shared one is used, as the Clift compiler does). Reported as
// microseconds per call, on a machine of AArch64's size (28 int and 32
// float registers): at this size the fixed cost of a call (reading the
// machine and the function, resetting working memory) dominates. Each
// allocator runs twice: on the functions as `DataFunction`s, read through
// the per-item methods, and as `withBulkAccessors` wrappers, read through
// the bulk accessors as Clift's VCode is ("(bulk)" rows).
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
// shared machine inflates the figures less than wall time would; the best of
// five rounds is reported. By default every run of an allocator reuses one
// `RegallocContext`, as a compiler allocating function after function does
// (`fresh` measures runs that each allocate their own working memory).
// Reported as instructions per second and nanoseconds per instruction;
// near-linear scaling shows as a flat ns/inst column across sizes (the last
// lines give the largest size's ns/inst relative to the smallest's).
// Quality: spills (reg->stack), reloads (stack->reg) and moves (reg->reg)
// inserted per 1,000 instructions. Every backtracking result is also checked,
// and every fast-allocator result up to 20,000 instructions: the checker's
// per-block state holds every stack slot the fast allocator writes (one per
// vreg), which at 100,000 instructions exhausts the heap; the fuzz tests
// check the fast allocator on smaller functions.

import { checkOutput, RegallocContext, run, type Algorithm, type RegallocFunction } from '../src/index.js';
import { DataFunction, fuzzMachine, generateFunction, withBulkAccessors } from '../src/fuzzing/index.js';

type Profile = 'tiny' | 'realistic' | 'typical' | 'stress';
const sizes = (process.argv[2] ?? '100,1000,10000,100000').split(',').map(Number);
const profiles = (process.argv[3] ?? 'tiny,realistic,typical,stress').split(',') as Profile[];
const reuse = (process.argv[4] ?? 'reuse') !== 'fresh';
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
}
const rows: Row[] = [];
const fmt = (x: number, d = 1): string => x.toFixed(d).padStart(8);

/** An AArch64-sized machine for the tiny profile: 28 int and 32 float registers. */
const tinyRegs: [number, number] = [28, 32];
const tinyEnv = fuzzMachine({ regs: tinyRegs, scratch: true });

/**
 * CPU milliseconds per call of `body`: warm up the JIT (a compiler runs the
 * allocator many times), then the best of five rounds of at least ~0.2 s of
 * CPU time each.
 */
function bestMsPerRep(body: () => void): number {
  for (let w = 0, tw = cpuMs(); w < 3 || cpuMs() - tw < 500; w++) body();
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    let reps = 0;
    const t0 = cpuMs();
    let t = t0;
    while (reps < 2 || t - t0 < 200) {
      body();
      reps++;
      t = cpuMs();
    }
    best = Math.min(best, (t - t0) / reps);
  }
  return best;
}

/** Tiny functions: µs per call of `run` without a context, best of five rounds. */
function benchTiny(): void {
  const fs: RegallocFunction[] = [];
  let total = 0;
  for (let seed = 1; fs.length < 400; seed++) {
    const blocks = 1 + (seed % 3);
    const data = generateFunction(seed, { blocks, instsPerBlock: 12, regs: tinyRegs, loopiness: 0.2, pressure: 0.5, profile: 'typical' });
    const f = new DataFunction(data);
    const n = f.numInsts();
    if (n < 5 || n > 40) continue;
    fs.push(f);
    total += n;
  }
  console.log(`tiny: ${fs.length} functions, ${(total / fs.length).toFixed(1)} insts on average (5 to 40), run() without a context`);
  console.log('allocator      us/call  ns/inst   spills/1k reloads/1k  moves/1k');
  const bulk = fs.map((f) => withBulkAccessors(f));
  for (const [algo, label, fns] of [
    ['backtracking', 'backtracking', fs],
    ['backtracking', 'backtr (bulk)', bulk],
    ['fastalloc', 'fastalloc', fs],
    ['fastalloc', 'fastall (bulk)', bulk],
  ] as const) {
    const st = { spills: 0, reloads: 0, moves: 0 };
    for (const f of fns) {
      const out = run(f, tinyEnv, { algorithm: algo });
      const errs = checkOutput(f, tinyEnv, out);
      if (errs.length > 0) throw new Error(`${algo} on tiny: ${errs[0].message}`);
      st.spills += out.stats.spills;
      st.reloads += out.stats.reloads;
      st.moves += out.stats.moves;
    }
    const best = bestMsPerRep(() => {
      for (const f of fns) run(f, tinyEnv, { algorithm: algo });
    });
    const k = total / 1000;
    console.log(
      `${label.padEnd(14)}${((best * 1000) / fs.length).toFixed(2).padStart(8)} ${((best * 1e6) / total).toFixed(0).padStart(8)} ${fmt(st.spills / k)}  ${fmt(st.reloads / k)}  ${fmt(st.moves / k)}`,
    );
  }
}

if (profiles.includes('tiny')) benchTiny();
console.log(`working memory: ${reuse ? 'one RegallocContext reused per allocator' : 'fresh per run'}`);
console.log('profile   allocator      insts     inst/s  ns/inst   spills/1k reloads/1k  moves/1k');
for (const profile of profiles)
  for (const size of sizes) {
    if (profile === 'tiny') continue;
    const blocks = Math.max(1, Math.round(size / 10));
    const data = generateFunction(size, { blocks, instsPerBlock: 16, regs, loopiness: 0.2, pressure: 0.5, profile });
    const f = new DataFunction(data);
    const n = f.numInsts();
    for (const algo of ['backtracking', 'fastalloc'] as const) {
      const ctx = reuse ? new RegallocContext() : undefined;
      const once = () => run(f, env, { algorithm: algo }, ctx);
      const out = once();
      const errs = algo === 'fastalloc' && n > 20_000 ? [] : checkOutput(f, env, out);
      if (errs.length > 0) throw new Error(`${algo} on ${profile} ${size}: ${errs[0].message}`);
      const best = (bestMsPerRep(once) * 1e6) / n;
      const k = n / 1000;
      rows.push({ profile, algo, insts: n, nsPerInst: best });
      const st = out.stats;
      console.log(
        `${profile.padEnd(9)} ${algo.padEnd(12)} ${String(n).padStart(7)} ${String(Math.round(1e9 / best)).padStart(10)} ${best.toFixed(0).padStart(8)} ${fmt(st.spills / k)}  ${fmt(st.reloads / k)}  ${fmt(st.moves / k)}`,
      );
    }
  }
for (const profile of profiles)
  for (const algo of ['backtracking', 'fastalloc'] as const) {
    if (profile === 'tiny') continue;
    const rs = rows.filter((r) => r.profile === profile && r.algo === algo);
    if (rs.length < 2) continue;
    const first = rs[0];
    const last = rs[rs.length - 1];
    console.log(`scaling ${profile} ${algo}: ns/inst at ${last.insts} insts is ${(last.nsPerInst / first.nsPerInst).toFixed(2)}x that at ${first.insts}`);
  }
