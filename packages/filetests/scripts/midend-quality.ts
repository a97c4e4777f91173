// Prints the mid-end quality summary against upstream's egraph/ and alias/
// filetests (see test/midend-quality.ts for the verdicts): the counts, each
// worse function with its reason, and any semantic problem. `--bless`
// rewrites expectations/midend-quality.txt; `--all` lists every function.
//
//   pnpm exec tsx scripts/midend-quality.ts [--bless] [--all]

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { upstreamFiletestsDir } from '../src/index.js';
import { formatQuality, formatTally, measureUpstream, tally } from '../test/midend-quality.js';

const upstream = upstreamFiletestsDir();
if (!upstream.exists) {
  console.error(`upstream filetests not found at ${upstream.path} (set CLIFT_UPSTREAM_FILETESTS)`);
  process.exit(2);
}
const all = process.argv.includes('--all');
const run = measureUpstream(upstream.path);
for (const r of run.records) {
  if (all || r.verdict === 'worse') console.log(`${r.verdict}\t${r.file} ${r.func}\t${r.semantics}\t${r.reason}`);
}
for (const p of run.problems) console.log(`PROBLEM ${p}`);
console.log(formatTally('egraph', tally(run.records, 'egraph/')));
console.log(formatTally('alias', tally(run.records, 'alias/')));
if (process.argv.includes('--bless')) {
  const path = join(import.meta.dirname, '..', 'expectations', 'midend-quality.txt');
  writeFileSync(path, formatQuality(run.records));
  console.log(`wrote ${path}`);
}
process.exit(run.problems.length > 0 ? 1 : 0);
