// Test support: finding the AArch64 binutils and QEMU, assembling snippets
// into `CompiledCode` inputs, and linking and running objects.
//
// A missing tool skips the suites that need it with a message naming the
// Debian package; under CI (`CI=true`) a missing tool is a failure instead,
// so CI cannot pass by skipping.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import type { CompiledCode, Relocation, RelocKind } from '@clift/codegen';
import { AARCH64_RELOCATIONS } from '../src/index.js';

const TOOLS: readonly (readonly [string, string])[] = [
  ['aarch64-linux-gnu-as', 'binutils-aarch64-linux-gnu'],
  ['aarch64-linux-gnu-ld', 'binutils-aarch64-linux-gnu'],
  ['aarch64-linux-gnu-objcopy', 'binutils-aarch64-linux-gnu'],
  ['aarch64-linux-gnu-readelf', 'binutils-aarch64-linux-gnu'],
  ['qemu-aarch64-static', 'qemu-user-static'],
];

function onPath(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** Why the toolchain cannot be used, or undefined when it can. */
export const missingToolchain: string | undefined = (() => {
  const missing = TOOLS.filter(([cmd]) => !onPath(cmd));
  if (missing.length === 0) return undefined;
  const pkgs = [...new Set(missing.map(([, p]) => p))];
  return `missing ${missing.map(([c]) => c).join(', ')}: install the Debian package(s) ${pkgs.join(' ')} (scripts/setup.sh does)`;
})();

/**
 * `describe` for suites that need the toolchain: skipped with the reason when
 * it is missing, except under CI, where a failing test says what is missing.
 */
export function describeWithToolchain(name: string, body: () => void): void {
  if (missingToolchain === undefined) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      test('toolchain is installed', () => {
        throw new Error(missingToolchain);
      });
    });
  } else {
    console.warn(`skipping '${name}': ${missingToolchain}`);
    describe.skip(`${name} (skipped: ${missingToolchain})`, body);
  }
}

export function run(cmd: string, args: readonly string[], input?: Uint8Array): SpawnSyncReturns<Buffer> {
  const r = spawnSync(cmd, args, { input, timeout: 20_000 });
  if (r.error) throw r.error;
  return r;
}

function runOk(cmd: string, args: readonly string[]): string {
  const r = run(cmd, args);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stderr.toString()}`);
  return r.stdout.toString();
}

export function withTempDir<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'clift-module-'));
  try {
    return f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const BY_ELF_NAME = new Map(Object.entries(AARCH64_RELOCATIONS).map(([k, v]) => [v.elfName, k as RelocKind]));

/**
 * Assembles one function's body with GNU as and returns it as a backend
 * would: the `.text` bytes and, from the assembler's own relocations, the
 * relocations as `CompiledCode` records (symbol targets only).
 */
export function assembleFunction(asm: string, alignment = 4): CompiledCode {
  return withTempDir((dir) => {
    const src = join(dir, 'f.s');
    const obj = join(dir, 'f.o');
    const bin = join(dir, 'f.bin');
    writeFileSync(src, `.text\n${asm}\n`);
    runOk('aarch64-linux-gnu-as', ['-o', obj, src]);
    runOk('aarch64-linux-gnu-objcopy', ['-O', 'binary', '--only-section=.text', obj, bin]);
    const bytes = new Uint8Array(readFileSync(bin));
    const relocations: Relocation[] = [];
    for (const r of readRelocations(runOk('aarch64-linux-gnu-readelf', ['-r', '-W', obj]))) {
      const kind = BY_ELF_NAME.get(r.type);
      if (!kind) throw new Error(`test assembler produced ${r.type}, which CompiledCode cannot express`);
      relocations.push({ offset: Number(r.offset), kind, target: { kind: 'symbol', name: r.symbol }, addend: r.addend });
    }
    return { bytes, alignment, relocations, traps: [] };
  });
}

export interface ReadelfReloc {
  section: string;
  offset: bigint;
  type: string;
  symbol: string;
  addend: bigint;
}

/** Parses `readelf -r -W` output. */
export function readRelocations(text: string): ReadelfReloc[] {
  const out: ReadelfReloc[] = [];
  let section = '';
  for (const line of text.split('\n')) {
    const head = /^Relocation section '([^']+)'/.exec(line);
    if (head) {
      section = head[1];
      continue;
    }
    const m = /^([0-9a-f]+)\s+[0-9a-f]+\s+(R_AARCH64_\w+)\s+[0-9a-f]+\s+(\S+) ([+-]) ([0-9a-f]+)\s*$/.exec(line);
    if (m) {
      const addend = BigInt(`0x${m[5]}`);
      out.push({ section, offset: BigInt(`0x${m[1]}`), type: m[2], symbol: m[3], addend: m[4] === '-' ? -addend : addend });
    }
  }
  return out;
}

export interface ReadelfSymbol {
  value: bigint;
  size: number;
  type: string;
  bind: string;
  vis: string;
  ndx: string;
  name: string;
}

/** Parses the `.symtab` listing of `readelf -s -W` (or `-a -W`). */
export function readSymbols(text: string): ReadelfSymbol[] {
  const out: ReadelfSymbol[] = [];
  let inSymtab = false;
  for (const line of text.split('\n')) {
    if (line.startsWith("Symbol table '")) {
      inSymtab = line.includes("'.symtab'");
      continue;
    }
    const m = inSymtab ? /^\s*\d+:\s+([0-9a-f]+)\s+(\d+)\s+(\w+)\s+(\w+)\s+(\w+)\s+(\w+)\s*(\S*)\s*$/.exec(line) : null;
    if (m) out.push({ value: BigInt(`0x${m[1]}`), size: Number(m[2]), type: m[3], bind: m[4], vis: m[5], ndx: m[6], name: m[7] });
  }
  return out;
}

/** `readelf -a -W` on an object; fails on any warning (stderr) or non-zero exit. */
export function readelfAll(obj: Uint8Array): string {
  return withTempDir((dir) => {
    const path = join(dir, 'm.o');
    writeFileSync(path, obj);
    const r = run('aarch64-linux-gnu-readelf', ['-a', '-W', path]);
    const stderr = r.stderr.toString();
    if (r.status !== 0 || stderr !== '') throw new Error(`readelf complained (exit ${r.status}):\n${stderr}`);
    return r.stdout.toString();
  });
}

export interface RunResult {
  status: number | null;
  signal: string | null;
  stdout: string;
  linkerOutput: string;
}

/** Links objects statically (entry `_start`) and runs the executable under QEMU. */
export function linkAndRun(objects: readonly Uint8Array[]): RunResult {
  return withTempDir((dir) => {
    const paths = objects.map((o, i) => {
      const p = join(dir, `m${i}.o`);
      writeFileSync(p, o);
      return p;
    });
    const exe = join(dir, 'a.out');
    const ld = run('aarch64-linux-gnu-ld', ['-static', '-o', exe, ...paths]);
    const linkerOutput = ld.stderr.toString() + ld.stdout.toString();
    if (ld.status !== 0) throw new Error(`ld failed:\n${linkerOutput}`);
    const r = run('qemu-aarch64-static', [exe]);
    return { status: r.status, signal: r.signal, stdout: r.stdout.toString(), linkerOutput };
  });
}
