// `clif compile` and `clif run`, in-process. The object written by
// `clif compile -o` is checked with readelf and linked with a small
// assembly driver whose exit status is a compiled function's result, then
// executed under QEMU. Without the AArch64 tools those checks are skipped
// with the reason (outside CI; under CI a missing tool fails).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingToolchainIsFailure, toolchainStatus } from '@clift/filetests';
import { main, parseArgs, UsageError, type CliIo } from '../src/index.js';

async function run(argv: string[]): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, env: {} };
  const status = await main(argv, io);
  return { status, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'clif-compile-'));
const program = join(dir, 'program.clif');
writeFileSync(
  program,
  `test run
target aarch64

function %add3(i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = iadd v0, v1
    v4 = iadd v3, v2
    return v4
}
; run: %add3(1, 2, 3) == 6

function %twice_plus(i64) -> i64 {
    fn0 = %add3(i64, i64, i64) -> i64
block0(v0: i64):
    v1 = iconst.i64 2
    v2 = call fn0(v0, v0, v1)
    return v2
}
; run: %twice_plus(20) == 42
; print: %twice_plus(5)
`,
);
const wrong = join(dir, 'wrong.clif');
writeFileSync(wrong, 'test run\ntarget aarch64\nfunction %id(i32) -> i32 {\nblock0(v0: i32):\n    return v0\n}\n; run: %id(7) == 7\n; run: %id(7) == 8\n');
const unsupported = join(dir, 'unsupported.clif');
writeFileSync(unsupported, 'test compile\ntarget aarch64\nfunction %v(i64) -> i8x32 {\nblock0(v0: i64):\n    v1 = load.i8x32 v0\n    return v1\n}\n');

const tools = toolchainStatus();
const haveTools = tools.missing.length === 0;
function requireTools(): void {
  if (!haveTools && missingToolchainIsFailure()) throw new Error(tools.message);
}

describe('clif compile: arguments', () => {
  it('parses settings, level, listings and output in order', () => {
    const c = parseArgs(['compile', '-t', 'aarch64', '--set', 'regalloc_checker', '--opt=speed', '--set=is_pic=false', '--vcode', '-D', '-T', '-o', 'x.o', 'f.clif']);
    expect(c).toEqual({
      kind: 'compile',
      file: 'f.clif',
      target: 'aarch64',
      settings: [
        { name: 'regalloc_checker', value: undefined },
        { name: 'opt_level', value: 'speed' },
        { name: 'is_pic', value: 'false' },
      ],
      vcode: true,
      disasm: true,
      timings: true,
      output: 'x.o',
    });
  });

  it('names bad words: target, missing file, a bare =', () => {
    expect(() => parseArgs(['compile', '-t', 'riscv64', 'f.clif'])).toThrow("unsupported target 'riscv64'");
    expect(() => parseArgs(['compile'])).toThrow(UsageError);
    expect(() => parseArgs(['compile', '--set', '=1', 'f.clif'])).toThrow("needs NAME or NAME=VALUE, got '=1'");
    expect(() => parseArgs(['run', '--frob', 'f.clif'])).toThrow("unknown option '--frob'");
  });

  it('rejects unknown setting names and values with exit 2, naming them', async () => {
    const a = await run(['compile', '--set', 'no_such_flag=1', program]);
    expect(a.status).toBe(2);
    expect(a.err).toContain("unknown shared setting 'no_such_flag'");
    const b = await run(['compile', '--opt', 'fastest', program]);
    expect(b.status).toBe(2);
    expect(b.err).toContain("'fastest'");
    expect(b.err).toContain('none, speed, speed_and_size');
    const c = await run(['run', '--set', 'enable_verifier=maybe', program]);
    expect(c.status).toBe(2);
    expect(c.err).toContain("bad value for boolean setting 'enable_verifier': 'maybe'");
    const d = await run(['compile', '--colour', program]);
    expect(d.status).toBe(2);
    expect(d.err).toContain("unknown option '--colour'");
  });
});

describe('clif compile', () => {
  it('prints a line per function, listings and timings', async () => {
    const r = await run(['compile', '--vcode', '--disasm', '--timings', '--opt', 'speed', program]);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/^function %add3: 12 bytes, \d+ instructions, 0 relocations$/m);
    expect(r.out).toMatch(/^function %twice_plus: \d+ bytes, \d+ instructions, 1 relocations$/m);
    expect(r.out).toContain('  VCode:\n');
    expect(r.out).toContain('  Disassembled:\n');
    expect(r.out).toMatch(/add x0, x\d+, x\d+/);
    expect(r.out).toMatch(/timings: verify [\d.]+ ms, optimize [\d.]+ ms, lower [\d.]+ ms, regalloc [\d.]+ ms, emit [\d.]+ ms, total [\d.]+ ms/);
    expect(r.out).toMatch(/^total: 2 functions, \d+ bytes; verify/m);
  });

  it('reports a function the backend refuses, with its line and kind, and writes no object', async () => {
    const out = join(dir, 'never.o');
    const r = await run(['compile', '-o', out, unsupported]);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/unsupported\.clif:3: function %v: compilation failed: unsupported: /);
    expect(r.err).toContain('not written');
    expect(() => readFileSync(out)).toThrow();
  });

  it('-o writes an ELF object with every function as a global symbol', async () => {
    requireTools();
    const out = join(dir, 'program.o');
    const r = await run(['compile', '-o', out, program]);
    expect(r.status).toBe(0);
    expect(r.out).toContain(`wrote ${out}: 2 functions`);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 4)]).toEqual([0x7f, 0x45, 0x4c, 0x46]);
    if (!haveTools) return;
    const syms = spawnSync('aarch64-linux-gnu-readelf', ['-sW', out], { encoding: 'utf8' });
    expect(syms.status).toBe(0);
    expect(syms.stdout).toMatch(/FUNC\s+GLOBAL\s+DEFAULT\s+\d+ add3$/m);
    expect(syms.stdout).toMatch(/FUNC\s+GLOBAL\s+DEFAULT\s+\d+ twice_plus$/m);
  });

  it.runIf(haveTools)('the object links with a driver and computes the right result under QEMU', () => {
    const out = join(dir, 'linked.o');
    return run(['compile', '--opt', 'speed_and_size', '-o', out, program]).then((r) => {
      expect(r.status).toBe(0);
      // _start: exit(twice_plus(20)), so the process exit status is 42.
      const driver = join(dir, 'driver.s');
      writeFileSync(driver, '.text\n.global _start\n_start:\n  mov x0, #20\n  bl twice_plus\n  mov x8, #93\n  svc #0\n');
      const as = spawnSync('aarch64-linux-gnu-as', ['-o', join(dir, 'driver.o'), driver], { encoding: 'utf8' });
      expect(as.stderr).toBe('');
      const exe = join(dir, 'linked');
      const ld = spawnSync('aarch64-linux-gnu-ld', ['-static', '-o', exe, join(dir, 'driver.o'), out], { encoding: 'utf8' });
      expect(ld.stderr).toBe('');
      expect(ld.status).toBe(0);
      const native = process.arch === 'arm64' && process.platform === 'linux';
      const ran = native ? spawnSync(exe, []) : spawnSync('qemu-aarch64-static', [exe]);
      expect(ran.signal).toBe(null);
      expect(ran.status).toBe(42);
    });
  });
});

describe('clif run', () => {
  it('prints one line per run and print command; exit 0 when all pass', async () => {
    requireTools();
    const r = await run(['run', program]);
    if (!haveTools) {
      expect(r.status).toBe(1);
      expect(r.out).toContain('skip');
      return;
    }
    expect(r.err).toBe('');
    expect(r.out).toContain(`${program}:10: [aarch64] ok %add3(1, 2, 3) == 6\n`);
    expect(r.out).toContain(`${program}:19: [aarch64] ok %twice_plus(20) == 42\n`);
    expect(r.out).toContain(`${program}:20: [aarch64] twice_plus(5) = 12\n`);
    expect(r.status).toBe(0);
  });

  it('exits 1 on a wrong result, naming the line, expected and actual values', async () => {
    requireTools();
    if (!haveTools) return;
    const r = await run(['run', '--opt', 'speed', wrong]);
    expect(r.status).toBe(1);
    expect(r.out).toContain(`${wrong}:7: [aarch64] ok %id(7) == 7`);
    expect(r.out).toContain(`${wrong}:8: [aarch64] FAIL run: %id(7) == 8 (line 8): expected 8, got 7`);
  });

  it('exits 1 when a function does not compile', async () => {
    requireTools();
    if (!haveTools) return;
    const file = join(dir, 'run-unsupported.clif');
    writeFileSync(file, readFileSync(unsupported, 'utf8').replace('test compile', 'test run'));
    const r = await run(['run', file]);
    expect(r.status).toBe(1);
    expect(r.out).toContain('compilation failed: unsupported: ');
  });
});
