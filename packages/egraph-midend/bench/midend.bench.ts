// Mid-end throughput and effect over upstream's runtests corpus (and the
// egraph/ and alias/ folders): CPU time per input instruction of
// `optimize` alone (parsing, verifying and interpreting are outside the
// timed region), after warm-up rounds, and the instruction-count reduction,
// at both optimizing levels. Run with `pnpm bench` (tsx). CPU time comes
// from process.cpuUsage, which a noisy machine disturbs less than wall
// time; compare ratios measured in one run. `--rounds N` sets the timed
// rounds (default 10).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Function } from '@clift/ir';
import { parseTestFile } from '@clift/reader';
import { countInsts, optimize } from '../src/index.js';
import { UPSTREAM, listClif } from '../test/corpus.js';

const args = process.argv.slice(2);
const roundsArg = args.indexOf('--rounds');
const ROUNDS = roundsArg >= 0 ? Number(args[roundsArg + 1]) : 10;
// Enough rounds for the JIT to finish optimizing the rule matchers even when
// its background compiler shares a loaded machine.
const WARMUP = 20;
/** The corpus texts: every file that parses. */
function corpus(): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const sub of ['runtests', 'egraph', 'alias']) {
    for (const path of listClif(join(UPSTREAM, sub))) {
      const text = readFileSync(path, 'utf8');
      try {
        parseTestFile(text, path);
        out.push({ path, text });
      } catch {
        // A file the reader rejects is the reader's concern, not the mid-end's.
      }
    }
  }
  return out;
}

function freshFunctions(texts: readonly { path: string; text: string }[]): Function[] {
  return texts.flatMap(({ path, text }) => parseTestFile(text, path).functions.map((f) => f.func));
}

const texts = corpus();
for (const level of ['speed', 'speed_and_size'] as const) {
  const perRound: number[] = [];
  let before = 0;
  let after = 0;
  // Parsed up front, so that the timed loops see no parser garbage.
  const copies = Array.from({ length: WARMUP + ROUNDS }, () => freshFunctions(texts));
  for (let r = 0; r < WARMUP + ROUNDS; r++) {
    const funcs = copies[r];
    copies[r] = [];
    const n0 = funcs.reduce((s, f) => s + countInsts(f), 0);
    const t0 = process.cpuUsage();
    for (const f of funcs) optimize(f, { level });
    const t = process.cpuUsage(t0);
    if (r < WARMUP) continue;
    perRound.push((t.user + t.system) / n0);
    before = n0;
    after = funcs.reduce((s, f) => s + countInsts(f), 0);
  }
  // The reduction per folder: runtests/ is ordinary code, egraph/ and
  // alias/ are written to be optimized.
  const byFolder = new Map<string, [number, number]>();
  for (const { path, text } of texts) {
    const folder = path.slice(UPSTREAM.length + 1).split(/[\\/]/)[0];
    const funcs = freshFunctions([{ path, text }]);
    const n0 = funcs.reduce((s, f) => s + countInsts(f), 0);
    for (const f of funcs) optimize(f, { level });
    const n1 = funcs.reduce((s, f) => s + countInsts(f), 0);
    const acc = byFolder.get(folder) ?? [0, 0];
    byFolder.set(folder, [acc[0] + n0, acc[1] + n1]);
  }
  const folders = [...byFolder]
    .map(([k, [b, a]]) => `${k}/ ${b} -> ${a} (${b > 0 ? ((100 * (b - a)) / b).toFixed(1) : '0.0'}% fewer)`)
    .join(', ');
  perRound.sort((a, b) => a - b);
  const median = perRound[perRound.length >> 1];
  const reduction = before > 0 ? (100 * (before - after)) / before : 0;
  console.log(
    `${level}: ${texts.length} files, ${before} -> ${after} instructions (${reduction.toFixed(1)}% fewer); ` +
      `mid-end CPU time per input instruction: median ${median.toFixed(2)} µs, best ${perRound[0].toFixed(2)} µs over ${ROUNDS} rounds after ${WARMUP} warm-up`,
  );
  console.log(`  by folder: ${folders}`);
}
