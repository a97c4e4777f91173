// The README's example is real: it is examples/three-address.mjs verbatim,
// and it runs here against the built package (the pack test runs it again
// from an installed tarball).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../src/index.js';
import { DataFunction, fuzzMachine, generateFunction } from '../src/fuzzing/index.js';
import { ensureBuilt } from './build.js';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const example = join(pkg, 'examples', 'three-address.mjs');

describe('README example', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it('is the README code block, verbatim', () => {
    const readme = readFileSync(join(pkg, 'README.md'), 'utf8');
    expect(readme).toContain('```js\n' + readFileSync(example, 'utf8') + '```');
  });

  it('allocates the loop with a call, spills, and passes the checker', () => {
    const out = execFileSync(process.execPath, [example], { cwd: pkg, encoding: 'utf8' });
    expect(out).toContain('checker: ok');
    const m = /spills (\d+), reloads (\d+), moves (\d+)/.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m?.[1])).toBeGreaterThan(0);
    // Values live across the call sit in callee-saved registers p4i-p7i or on the stack.
    expect(out).toMatch(/call p0i, p0i/);
  });
});

describe('debug logging', () => {
  it('prints candidates, registers, assignments and moves when asked', () => {
    const lines: string[] = [];
    const f = new DataFunction(generateFunction(3, { regs: [3, 3] }));
    run(f, fuzzMachine({ regs: [3, 3] }), { log: (l) => lines.push(l) });
    const text = lines.join('\n');
    for (const want of ['regalloc (backtracking)', 'candidate vregs', 'allocatable int', 'assign', 'stats:']) expect(text).toContain(want);
  });
  it('is enabled by CLIFT_LOG=regalloc when the package is loaded', async () => {
    const prev = process.env.CLIFT_LOG;
    const lines: string[] = [];
    const orig = console.log;
    console.log = (s: string) => void lines.push(s);
    try {
      // The variable is read once, at load: a fresh instance of the package sees it.
      process.env.CLIFT_LOG = 'regalloc';
      vi.resetModules();
      const fresh = await import('../src/index.js');
      fresh.run(new DataFunction(generateFunction(4)), fuzzMachine(), { algorithm: 'fastalloc' });
      // `log: false` overrides it per call.
      const before = lines.length;
      fresh.run(new DataFunction(generateFunction(4)), fuzzMachine(), { algorithm: 'fastalloc', log: false });
      expect(lines.length).toBe(before);
    } finally {
      console.log = orig;
      if (prev === undefined) delete process.env.CLIFT_LOG;
      else process.env.CLIFT_LOG = prev;
    }
    expect(lines.some((l) => l.startsWith('regalloc (fastalloc)'))).toBe(true);
  });
});
