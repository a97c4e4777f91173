// The project's own .clif filetests (repository folder `filetests/`, plus
// the examples) must all pass: no failures and no skips.

import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectTestFiles, runTestFile } from '../src/index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const files = collectTestFiles([resolve(repoRoot, 'filetests'), resolve(repoRoot, 'examples')]);

describe('project filetests', () => {
  it('finds the folder', () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });
  for (const path of files) {
    it(relative(repoRoot, path), () => {
      const outcome = runTestFile(path);
      const bad = outcome.records.filter((r) => r.status !== 'pass');
      expect(bad.map((r) => `${r.status} [test ${r.test}, target ${r.target}]\n${r.message}`).join('\n\n')).toBe('');
      expect(outcome.records.length).toBeGreaterThan(0);
    });
  }
});
