// Parse + verify throughput over upstream's filetests, in CLIF instructions
// per second, measured after warm-up. Run: `pnpm --filter @clift/filetests
// bench` (or `pnpm exec tsx bench/parse-verify.bench.ts` at the repo root).
//
// Two corpora: every upstream file the reader accepts, and the AArch64
// runtests subset (files under runtests/ with a `target aarch64` line),
// which is what upstream's own figure (≈10 ms for 335 files, 12,001
// instructions, in Rust) measures.
//
// Each pass is timed both by the wall clock and by this process's CPU time
// (process.cpuUsage, user + system). The machine is shared, so wall time is
// noisy; CPU time excludes time spent descheduled and is the steadier figure.
// Rates are computed from the best CPU time of any round (noise only ever
// adds time).
//
// Reference: the same run times a regex tokenizer that only splits the
// same text into words (no structure, no IR). Its rate is a floor any JS
// parser pays; the ratio to it is steadier across noisy machines than the
// absolute figure.
//
// What is counted: the reader keeps comments as source offsets and decodes
// a function's `; run:` / `; print:` commands when `runCommands` is first
// read (upstream's reader keeps them as text and its runtest parses them
// later). `parse + verify` therefore does not decode them; the extra
// `+ run commands` line reads every function's `runCommands` too, which
// is what a `test run` consumer pays.

import { readFileSync } from 'node:fs';
import { sep } from 'node:path';
import { verifyFunction, type Function } from '@clift/ir';
import { parseTestFile, type TestFile } from '@clift/reader';
import { collectTestFiles, upstreamFiletestsDir } from '../src/index.js';

const up = upstreamFiletestsDir();
if (!up.exists) {
  console.log(`upstream filetests not found at ${up.path}; set CLIFT_UPSTREAM_FILETESTS`);
  process.exit(0);
}

interface Corpus {
  label: string;
  texts: { path: string; text: string }[];
  parsed: Function[];
  insts: number;
  functions: number;
  bytes: number;
}
const newCorpus = (label: string): Corpus => ({ label, texts: [], parsed: [], insts: 0, functions: 0, bytes: 0 });
const all = newCorpus('all upstream');
const a64 = newCorpus('aarch64 runtests');
let rejected = 0;

function countInsts(func: Function): number {
  let n = 0;
  for (const b of func.layout.blocks()) for (const _ of func.layout.blockInsts(b)) n++;
  return n;
}
function add(c: Corpus, path: string, text: string, file: TestFile): void {
  c.texts.push({ path, text });
  c.bytes += text.length;
  for (const f of file.functions) {
    c.functions++;
    c.insts += countInsts(f.func);
    c.parsed.push(f.func);
  }
}

for (const path of collectTestFiles([up.path])) {
  const text = readFileSync(path, 'utf8');
  let file: TestFile;
  try {
    file = parseTestFile(text, path);
  } catch {
    rejected++;
    continue;
  }
  add(all, path, text, file);
  const rel = path.slice(up.path.length);
  if (rel.includes(`${sep}runtests${sep}`) && file.targets.some((t) => t.name === 'aarch64' || t.name.startsWith('aarch64-'))) {
    add(a64, path, text, parseTestFile(text, path));
  }
}

let sink = 0;
const WORD = /[A-Za-z_%][\w.%]*|-?\d[\w.]*|\S/g;
function workloads(c: Corpus): Record<string, () => void> {
  return {
    parse: () => {
      for (const t of c.texts) sink += parseTestFile(t.text, t.path).functions.length;
    },
    verify: () => {
      for (const f of c.parsed) sink += verifyFunction(f).length;
    },
    'parse + verify': () => {
      for (const t of c.texts) {
        const file = parseTestFile(t.text, t.path);
        for (const f of file.functions) sink += verifyFunction(f.func).length;
      }
    },
    'parse + verify + run commands': () => {
      for (const t of c.texts) {
        const file = parseTestFile(t.text, t.path);
        for (const f of file.functions) {
          sink += verifyFunction(f.func).length;
          try {
            sink += f.runCommands.length;
          } catch {
            sink++;
          }
        }
      }
    },
    tokenize: () => {
      for (const t of c.texts) sink += t.text.match(WORD)?.length ?? 0;
    },
  };
}

interface Timing {
  wall: number;
  cpu: number;
}
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
/** Milliseconds per pass (wall and CPU): repeat for at least `minSeconds` and 3 passes. */
function timeOnce(f: () => void, minSeconds: number): Timing {
  let passes = 0;
  const start = performance.now();
  const cpu0 = cpuMs();
  let elapsed = 0;
  while (elapsed < minSeconds * 1000 || passes < 3) {
    f();
    passes++;
    elapsed = performance.now() - start;
  }
  return { wall: elapsed / passes, cpu: (cpuMs() - cpu0) / passes };
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
function run(c: Corpus, minSeconds: number): void {
  const work = workloads(c);
  // Warm-up: every workload until the JIT settles, then interleaved rounds,
  // keeping each workload's best round by CPU time (and best wall separately).
  for (const f of Object.values(work)) timeOnce(f, minSeconds);
  const best: Record<string, Timing> = {};
  for (const k of Object.keys(work)) best[k] = { wall: Infinity, cpu: Infinity };
  for (let round = 0; round < 3; round++) {
    for (const [k, f] of Object.entries(work)) {
      const t = timeOnce(f, minSeconds);
      best[k] = { wall: Math.min(best[k].wall, t.wall), cpu: Math.min(best[k].cpu, t.cpu) };
    }
  }
  console.log(`\n${c.label}: ${c.texts.length} files, ${fmt(c.functions)} functions, ${fmt(c.insts)} instructions, ${fmt(c.bytes)} chars`);
  for (const k of ['parse', 'verify', 'parse + verify', 'parse + verify + run commands']) {
    const t = best[k];
    const label = k === 'parse + verify + run commands' ? '  + run commands' : k;
    console.log(
      `  ${label.padEnd(17)}${fmt((c.insts / t.cpu) * 1000).padStart(12)} insts/s by CPU  (${t.cpu.toFixed(1)} CPU-ms, ${t.wall.toFixed(1)} wall-ms per pass; ${fmt((c.insts / t.wall) * 1000)} insts/s by wall)`,
    );
  }
  const tok = best.tokenize;
  console.log(
    `  reference: a regex tokenizer over the same text takes ${tok.cpu.toFixed(1)} CPU-ms per pass; parse + verify costs ${(best['parse + verify'].cpu / tok.cpu).toFixed(1)}x that`,
  );
}

console.log(`upstream filetests: ${all.texts.length} files parsed, ${rejected} rejected by the reader`);
console.log(
  "note: `; run:`/`; print:` commands are decoded when first read (upstream's runtest parses them after the reader); 'parse + verify' does not read them, '+ run commands' reads them all",
);
run(all, 0.7);
run(a64, 0.5);
if (sink === -1) console.log('');
