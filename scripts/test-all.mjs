#!/usr/bin/env node
// Runs every check of the workspace and prints one closing tally.
// Build, typecheck and lint run through turbo (each counts as one check per
// package); every vitest test of every package runs in one root run whose
// JSON report gives the test counts. Exit status is 0 only when all passed.
import { spawnSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1' };
let passed = 0;
let failed = 0;

function run(cmd, args) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  return spawnSync(cmd, args, { stdio: 'inherit', env }).status ?? 1;
}

for (const task of ['build', 'typecheck', 'lint']) {
  const status = run('pnpm', ['exec', 'turbo', 'run', task, '--output-logs=errors-only', '--continue']);
  if (status === 0) passed += 1;
  else {
    failed += 1;
    console.log(`FAIL: turbo ${task}`);
  }
}

const out = join(mkdtempSync(join(tmpdir(), 'clift-test-')), 'vitest.json');
const status = run('pnpm', ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
try {
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A suite that fails to load has no test results of its own: count it.
  for (const file of report.testResults) {
    if (file.status === 'failed' && file.assertionResults.length === 0) failed += 1;
  }
} catch {
  failed += 1;
  console.log('FAIL: vitest produced no report');
}
if (status !== 0 && failed === 0) failed += 1;

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
