// Unbounded differential fuzzing of the AArch64 backend against the
// interpreter (see test/differential-fuzz.ts). Runs batches until stopped
// (or until --cases N cases have been compared), printing a line per batch
// and, for each finding, a self-contained `test run` file that reproduces
// it. Exit status 1 when anything was found.
//
//   pnpm exec tsx scripts/fuzz-differential.ts [--seed N] [--cases N] [--batch N]
//                                              [--insts N] [--blocks N] [--stop-on-first]
// --insts: about how many instructions per block (default 8); --blocks: most blocks (default 5).
//
// (run from packages/filetests, or `pnpm --filter @clift/filetests fuzz`).

import { missingToolchainIsFailure, toolchainStatus } from '../src/index.js';
import { Rng, runBatch } from '../test/differential-fuzz.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function positive(name: string, fallback: number): number {
  const text = option(name);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) {
    process.stderr.write(`fuzz-differential: ${name} needs a positive whole number, got '${text}'\n`);
    process.exit(2);
  }
  return n;
}

const known = new Set(['--seed', '--cases', '--batch', '--insts', '--blocks', '--stop-on-first']);
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === '--') continue; // `pnpm fuzz -- …` passes it through
  if (!known.has(a)) {
    process.stderr.write(`fuzz-differential: unknown argument '${a}'\n`);
    process.exit(2);
  }
  if (a !== '--stop-on-first') i++;
}

const tools = toolchainStatus();
if (tools.missing.length > 0) {
  process.stderr.write(`fuzz-differential: ${tools.message}\n`);
  process.exit(missingToolchainIsFailure() ? 1 : 2);
}

const seed = positive('--seed', Date.now() % 0x7fff_ffff);
const limit = option('--cases') === undefined ? Infinity : positive('--cases', 1);
const batch = positive('--batch', 12);
const instsPerBlock = positive('--insts', 8);
const maxBlocks = positive('--blocks', 5);
const stopOnFirst = process.argv.includes('--stop-on-first');
const rng = new Rng(seed);
process.stdout.write(`seed ${seed}\n`);

let passed = 0;
let unsupported = 0;
let findings = 0;
const reasons = new Map<string, number>();
const start = Date.now();
for (let n = 0; passed < limit; n++) {
  const stats = runBatch(rng, Math.min(batch, limit - passed), { namePrefix: `b${n}_`, instsPerBlock, maxBlocks });
  passed += stats.passed;
  unsupported += stats.unsupported;
  for (const [k, v] of stats.unsupportedReasons) reasons.set(k, (reasons.get(k) ?? 0) + v);
  for (const f of stats.findings) {
    findings++;
    process.stdout.write(`\n=== finding ${findings} (${f.kind}) ===\n${f.message}\n\n${f.clif}\n`);
  }
  const secs = (Date.now() - start) / 1000;
  process.stdout.write(`batch ${n}: ${passed} cases agree at every opt level, ${unsupported} unsupported (regenerated), ${findings} findings, ${secs.toFixed(0)} s\n`);
  if (stats.passed === 0 && stats.findings.length === 0) {
    process.stderr.write('fuzz-differential: a whole batch was unsupported; the generator asks for too much\n');
    break;
  }
  if (stopOnFirst && findings > 0) break;
}
const top = [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 10);
if (top.length > 0) process.stdout.write(`unsupported, most often: ${top.map(([k, v]) => `${k} ×${v}`).join(', ')}\n`);
process.exit(findings > 0 ? 1 : 0);
