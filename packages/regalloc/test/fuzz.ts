// Unbounded fuzzing: `pnpm fuzz [startSeed]`. Runs seeded cases through both
// allocators and the checker until a failure, which it prints (seed, options,
// textual dump) before exiting with status 1. Every seed runs the random-CFG
// profiles; every fourth seed also runs the realistic (structured CFG)
// profile. One RegallocContext serves every case, so a reset that leaks state
// between runs fails here.
import { RegallocContext } from '../src/index.js';
import { runCase } from './fuzz-case.js';

const ctx = new RegallocContext();
let realistic = 0;

const start = Number(process.argv[2] ?? Date.now() % 1_000_000_000);
const t0 = Date.now();
for (let seed = start; ; seed++) {
  let failure = runCase(seed, undefined, ctx);
  if (failure === null && seed % 4 === 0) {
    failure = runCase(seed, undefined, ctx, true);
    realistic++;
  }
  if (failure !== null) {
    console.error(failure);
    process.exit(1);
  }
  const n = seed - start + 1;
  if (n % 1000 === 0) console.log(`${n} cases from seed ${start} ok (+${realistic} realistic; ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
