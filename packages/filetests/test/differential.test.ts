// Differential fuzzing, bounded for CI: random scalar-integer CLIF must
// give the same results in the interpreter and compiled for AArch64 (at
// opt_level none, speed and speed_and_size, run under QEMU). The unbounded
// run is scripts/fuzz-differential.ts. Without QEMU and binutils the
// comparison is skipped with the reason, except under CI where that fails.

import { describe, expect, it } from 'vitest';
import { printFunction, verifyFunction, type Function } from '@clift/ir';
import { Interpreter } from '@clift/interpreter';
import { parseTestFile } from '@clift/reader';
import { compileAarch64, missingToolchainIsFailure, toolchainStatus } from '../src/index.js';
import { generateCase, Rng, runBatch, type BatchStats } from './differential-fuzz.js';

const tools = toolchainStatus();
const canRun = tools.missing.length === 0;
/** Cases compared per CI run (each at three opt levels); about 15 s on a 2-core machine. */
const CI_CASES = 240;
const BATCH = 24;

function describeFindings(s: BatchStats): string {
  return s.findings.map((f) => `${f.kind} (${f.optLevel}): ${f.message}\n${f.clif}`).join('\n\n');
}

describe('the random CLIF generator', () => {
  it('is deterministic per seed and produces functions that verify, interpret without traps and reach every block', () => {
    const a = generateCase(new Rng(42), 'f');
    const b = generateCase(new Rng(42), 'f');
    expect(a).toEqual(b);
    const rng = new Rng(3);
    for (let i = 0; i < 40; i++) {
      const c = generateCase(rng, `g${i}`, { instsPerBlock: 10, maxBlocks: 6 });
      const file = parseTestFile(`test run\ntarget aarch64\n${c.text}${c.prints.join('\n')}\n`, `g${i}.clif`);
      const parsed = file.functions[0];
      expect(verifyFunction(parsed.func, { target: 'aarch64' }), c.text).toEqual([]);
      const interp = new Interpreter([parsed.func]);
      for (const cmd of parsed.runCommands) {
        const r = interp.call(cmd.funcName, cmd.args);
        expect(r.kind, `${c.text}\n${cmd.text}`).toBe('return');
      }
      // Every block but the entry is the target of some branch.
      const blocks = [...c.text.matchAll(/^block(\d+)\(/gm)].map((m) => Number(m[1]));
      for (const n of blocks.slice(1)) expect(c.text).toMatch(new RegExp(`(jump|brif [^\\n]*) block${n}\\(`));
    }
  });
});

describe('differential: interpreter vs AArch64 under QEMU', () => {
  it.skipIf(!canRun && !missingToolchainIsFailure())(`${CI_CASES} random functions agree at opt_level none, speed and speed_and_size${canRun ? '' : ` (skipped: ${tools.message})`}`, () => {
    if (!canRun) throw new Error(tools.message);
    const rng = new Rng(0xc0ffee);
    let passed = 0;
    const findings: string[] = [];
    for (let n = 0; passed < CI_CASES && n < 2 * (CI_CASES / BATCH); n++) {
      const s = runBatch(rng, BATCH, { namePrefix: `b${n}_` });
      passed += s.passed;
      if (s.findings.length > 0) findings.push(describeFindings(s));
    }
    expect(findings.join('\n\n')).toBe('');
    // Unsupported cases are replaced, never counted as passes.
    expect(passed).toBeGreaterThanOrEqual(CI_CASES);
  }, 120_000);

  it.skipIf(!canRun && !missingToolchainIsFailure())('catches a miscompilation (a compiler that adds 1 to the first result)', () => {
    if (!canRun) throw new Error(tools.message);
    const wrong = (func: Function, level: string) => {
      // Recompile a copy whose return adds 1 to the accumulator.
      const text = `test run\ntarget aarch64\n${printWithOffByOne(func)}`;
      const f = parseTestFile(text, 'wrong.clif').functions[0].func;
      return compileAarch64(f, { settings: [{ name: 'opt_level', value: level }] });
    };
    const s = runBatch(new Rng(9), 3, { compile: wrong, namePrefix: 'w' });
    expect(s.passed).toBe(0);
    expect(s.findings.length).toBe(3);
    const f = s.findings[0];
    expect(f.kind).toBe('mismatch');
    expect(f.optLevel).toBe('none');
    expect(f.message).toMatch(/^opt_level=none: %w\d+\(.*\): interpreter .*, compiled .*/);
    // The reproducer is a complete `test run` file with the interpreter's results.
    expect(f.clif).toMatch(/^test run\nset opt_level=none\ntarget aarch64\n\nfunction %w\d+/);
    expect(f.clif).toMatch(/; run: %w\d+\(.*\) == /);
  }, 60_000);
});

/** The function's text with `return vA, …` replaced by `vX = iadd_one(vA); return vX, …`. */
function printWithOffByOne(func: Function): string {
  return printFunction(func).replace(/^(\s*)return (v\d+)(.*)$/m, (_m, ind: string, first: string, rest: string) => `${ind}v9000 = iconst.i64 1\n${ind}v9001 = iadd ${first}, v9000\n${ind}return v9001${rest}`);
}
