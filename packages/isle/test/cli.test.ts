// The `isle` command line: exit codes, messages, and written output.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { runCli } from '../src/cli.js';
import { TMP } from './harness.js';

const DIR = join(TMP, 'cli');
const GOOD = join(DIR, 'good.isle');
const BAD = join(DIR, 'bad.isle');

function run(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runCli(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

beforeAll(() => {
  mkdirSync(DIR, { recursive: true });
  writeFileSync(GOOD, '(type Big (primitive Big))\n(decl id (Big) Big)\n(rule (id x) x)\n');
  writeFileSync(BAD, '(decl id (u32) u32)\n(rule (id x) y)\n(rule (nope) 1)\n');
});

describe('isle check', () => {
  test('succeeds on a valid program and summarises it', () => {
    const r = run('check', GOOD);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/1 file\(s\) ok: \d+ types, \d+ terms, 1 rules/);
    expect(r.err).toBe('');
  });

  test('reports every error with its location and exits 1', () => {
    const r = run('check', BAD);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error: unknown variable `y`');
    expect(r.err).toContain(`--> ${BAD}:2:14`);
    expect(r.err).toContain('error: unknown term `nope` in rule');
    expect(r.err).toContain('2 errors reported');
  });

  test('a missing file is a usage error', () => {
    const r = run('check', join(DIR, 'missing.isle'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot read .*missing\.isle.*no such file/);
  });
});

describe('isle build', () => {
  test('writes the generated module, honouring --prim and --types', () => {
    const out = join(DIR, 'out', 'good.ts');
    const r = run('build', '-o', out, '--prim', 'Big=bigint', GOOD);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`wrote ${out}`);
    const code = readFileSync(out, 'utf8');
    expect(code).toContain('export function constructor_id(_ctx: Context, arg0: bigint): bigint {');
    expect(code).toContain('// Command: isle build -o');

    const out2 = join(DIR, 'out', 'typed.ts');
    expect(run('build', '--out', out2, '--types', './types.js', GOOD).code).toBe(0);
    expect(readFileSync(out2, 'utf8')).toContain("import type { Big } from './types.js';");
  });

  test('does not write output when there are errors', () => {
    const out = join(DIR, 'out', 'bad.ts');
    expect(run('build', '-o', out, BAD).code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  test('needs -o', () => {
    const r = run('build', GOOD);
    expect(r.code).toBe(2);
    expect(r.err).toContain('`build` needs an output file: `-o OUT.ts`');
  });
});

describe('usage', () => {
  test('no arguments prints usage and exits 2; --help exits 0', () => {
    expect(run().code).toBe(2);
    const help = run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('isle build [options] -o OUT.ts FILE.isle...');
  });

  test.each([
    [['frob'], 'unknown command `frob`'],
    [['check'], 'no input files'],
    [['check', '--bogus', GOOD], 'unknown option `--bogus`'],
    [['check', '--prim', 'nope', GOOD], '`--prim` expects NAME=TSTYPE, found `nope`'],
    [['check', '--overlap', 'maybe', GOOD], '`--overlap` expects error, warning or off'],
    [['build', GOOD, '-o'], 'option `-o` expects a value'],
  ])('%j is rejected: %s', (argv, message) => {
    const r = run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  test('--overlap warning turns overlap errors into warnings', () => {
    const file = join(DIR, 'overlap.isle');
    writeFileSync(file, '(decl f (u32) u32)\n(rule (f 1) 1)\n(rule (f _) 2)\n');
    expect(run('check', file).code).toBe(1);
    const r = run('check', '--overlap', 'warning', file);
    expect(r.code).toBe(0);
    expect(r.err).toContain('warning: rule overlaps with the rule at');
  });
});
