// Parse + verify throughput over upstream's filetests, in CLIF instructions
// per second, measured after warm-up. Run: `pnpm --filter @clift/filetests
// bench` (or `pnpm exec tsx bench/parse-verify.bench.ts` at the repo root).
//
// Reference: the same run times a regex tokenizer that only splits the
// same text into words (no structure, no IR). Its rate is a floor any JS
// parser pays; the ratio to it is steadier across noisy machines than the
// absolute figure.

import { readFileSync } from 'node:fs';
import { verifyFunction, type Function } from '@clift/ir';
import { parseTestFile, type TestFile } from '@clift/reader';
import { collectTestFiles, upstreamFiletestsDir } from '../src/index.js';

const up = upstreamFiletestsDir();
if (!up.exists) {
  console.log(`upstream filetests not found at ${up.path}; set CLIFT_UPSTREAM_FILETESTS`);
  process.exit(0);
}

const texts: { path: string; text: string }[] = [];
let rejected = 0;
let insts = 0;
let functions = 0;
let bytes = 0;
for (const path of collectTestFiles([up.path])) {
  const text = readFileSync(path, 'utf8');
  let file: TestFile;
  try {
    file = parseTestFile(text, path);
  } catch {
    rejected++;
    continue;
  }
  texts.push({ path, text });
  bytes += text.length;
  for (const f of file.functions) {
    functions++;
    insts += countInsts(f.func);
  }
}

function countInsts(func: Function): number {
  let n = 0;
  for (const b of func.layout.blocks()) for (const _ of func.layout.blockInsts(b)) n++;
  return n;
}

let sink = 0;
const parsed: Function[] = texts.flatMap((t) => parseTestFile(t.text, t.path).functions.map((f) => f.func));
function parseAll(): void {
  for (const t of texts) sink += parseTestFile(t.text, t.path).functions.length;
}
function verifyAll(): void {
  for (const f of parsed) sink += verifyFunction(f).length;
}
function parseVerifyAll(): void {
  for (const t of texts) {
    const file = parseTestFile(t.text, t.path);
    for (const f of file.functions) sink += verifyFunction(f.func).length;
  }
}
const WORD = /[A-Za-z_%][\w.%]*|-?\d[\w.]*|\S/g;
function tokenizeAll(): void {
  for (const t of texts) sink += t.text.match(WORD)?.length ?? 0;
}

/** Seconds per pass over the corpus: repeat for at least `minSeconds`. */
function timeOnce(f: () => void, minSeconds: number): number {
  let passes = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minSeconds * 1000 || passes < 3) {
    f();
    passes++;
    elapsed = performance.now() - start;
  }
  return elapsed / 1000 / passes;
}

// Warm-up: every workload until the JIT settles, then interleaved rounds,
// keeping each workload's best round (noise only ever adds time).
const work = { parse: parseAll, verify: verifyAll, both: parseVerifyAll, tokenize: tokenizeAll };
for (const f of Object.values(work)) timeOnce(f, 1);
const best = { parse: Infinity, verify: Infinity, both: Infinity, tokenize: Infinity };
for (let round = 0; round < 3; round++) {
  for (const [k, f] of Object.entries(work) as [keyof typeof work, () => void][]) best[k] = Math.min(best[k], timeOnce(f, 0.7));
}
const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');
const line = (label: string, t: number): string => `${label.padEnd(16)}${fmt(insts / t).padStart(12)} insts/s  (${(t * 1000).toFixed(1)} ms per pass)`;

console.log(`corpus: ${texts.length} files parsed (${rejected} rejected by the reader), ${functions} functions, ${fmt(insts)} instructions, ${fmt(bytes)} chars`);
console.log(line('parse', best.parse));
console.log(line('verify', best.verify));
console.log(line('parse + verify', best.both));
console.log(`reference: a regex tokenizer over the same text takes ${(best.tokenize * 1000).toFixed(1)} ms per pass; parse + verify costs ${(best.both / best.tokenize).toFixed(1)}x that`);
if (sink === -1) console.log('');
