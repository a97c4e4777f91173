// Unbounded fuzzing: `pnpm fuzz [startSeed]`. Runs seeded cases through both
// allocators and the checker until a failure, which it prints (seed, options,
// textual dump) before exiting with status 1.
import { runCase } from './fuzz-case.js';

const start = Number(process.argv[2] ?? Date.now() % 1_000_000_000);
const t0 = Date.now();
for (let seed = start; ; seed++) {
  const failure = runCase(seed);
  if (failure !== null) {
    console.error(failure);
    process.exit(1);
  }
  const n = seed - start + 1;
  if (n % 1000 === 0) console.log(`${n} cases from seed ${start} ok (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
