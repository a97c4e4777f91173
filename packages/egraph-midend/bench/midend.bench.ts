// Mid-end throughput and effect over upstream's runtests corpus: time per
// input instruction and instruction-count reduction, at both optimizing
// levels. Run with `pnpm bench` (tsx); numbers vary by machine, so compare
// ratios measured in one run.

import { join } from 'node:path';
import { UPSTREAM, checkRuntestFile, listClif } from '../test/corpus.js';

for (const level of ['speed', 'speed_and_size'] as const) {
  let before = 0;
  let after = 0;
  let millis = 0;
  let files = 0;
  for (const f of listClif(join(UPSTREAM, 'runtests'))) {
    const r = checkRuntestFile(f, level);
    if (!r) continue;
    files++;
    before += r.instsBefore;
    after += r.instsAfter;
    millis += r.millis;
  }
  const perInst = before > 0 ? (millis * 1e6) / before : 0;
  const reduction = before > 0 ? (100 * (before - after)) / before : 0;
  console.log(
    `${level}: ${files} files, ${before} -> ${after} instructions (${reduction.toFixed(1)}% fewer), ` +
      `${millis.toFixed(1)} ms in the mid-end, ${perInst.toFixed(0)} ns per instruction`,
  );
}
