// Compile-time benchmark: a synthetic instruction selector of at least
// 15,000 lines, compiled end to end (parse, type-check, overlap check,
// trie, codegen) and check-only. Run: `pnpm bench` (tsx bench/compile.bench.ts).
//
// Reports the median of several runs, in ms and in source lines per second,
// and writes the input and output to bench/.tmp for inspection.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSources } from '../src/index.js';
import { synthesize } from './synth.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const RUNS = Number(process.env.ISLE_BENCH_RUNS ?? 5);

const text = synthesize({ ops: 400, nest: 6 });
const lines = text.split('\n').length - 1;
if (lines < 15_000) throw new Error(`synthetic program too small: ${lines} lines`);
const input = [{ name: 'synthetic.isle', text }];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(checkOnly: boolean): { ms: number; code: string | undefined; rules: number } {
  const samples: number[] = [];
  let code: string | undefined;
  let rules = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = compileSources(input, { checkOnly });
    samples.push(performance.now() - t0);
    if (!r.ok) throw new Error(r.format());
    code = r.code;
    rules = r.program?.rules.length ?? 0;
  }
  return { ms: median(samples), code, rules };
}

const check = time(true);
const build = time(false);
const tmp = join(HERE, '.tmp');
mkdirSync(tmp, { recursive: true });
writeFileSync(join(tmp, 'synthetic.isle'), text);
writeFileSync(join(tmp, 'synthetic.ts'), build.code ?? '');
const outLines = (build.code ?? '').split('\n').length;
const rate = (ms: number) => Math.round((lines / ms) * 1000).toLocaleString('en-US');
console.log(`input: ${lines.toLocaleString('en-US')} lines, ${build.rules} rules; output: ${outLines.toLocaleString('en-US')} lines`);
console.log(`check (parse + sema + overlap):  ${check.ms.toFixed(0)} ms median of ${RUNS}  (${rate(check.ms)} lines/s)`);
console.log(`build (check + trie + codegen):  ${build.ms.toFixed(0)} ms median of ${RUNS}  (${rate(build.ms)} lines/s)`);
