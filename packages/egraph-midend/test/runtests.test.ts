// Every runtests command that passes unoptimized gives the same result after
// the mid-end at speed and at speed_and_size (interpreter as the oracle).

import { describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { UPSTREAM, skipUpstream, checkRuntestFile, listClif } from './corpus.js';

const dir = join(UPSTREAM, 'runtests');
const files = listClif(dir);

describe.skipIf(skipUpstream(dir))('runtests keep their results after optimization', () => {
  for (const level of ['speed', 'speed_and_size'] as const) {
    test(`${level}: all ${files.length} files`, () => {
      const failures: string[] = [];
      let checked = 0;
      for (const f of files) {
        const r = checkRuntestFile(f, level);
        if (!r) continue;
        checked += r.baselinePassing;
        for (const m of r.mismatches) failures.push(`${f.slice(dir.length + 1)}: ${m}`);
      }
      expect(checked).toBeGreaterThan(1000);
      expect(failures).toEqual([]);
    });
  }
});
