// A minimal executor for compiled AArch64 functions, for this package's own
// tests: it links a file's functions with a generated `_start` that performs
// `; run:` invocations, writes a static ELF executable, runs it under
// `qemu-aarch64-static` (or natively on an AArch64 host) and reads back the
// raw return registers. It supports what scalar integer run tests need:
// up to eight integer arguments in registers, up to eight integer results,
// direct and absolute relocations between the file's own functions.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir, arch } from 'node:os';
import { join } from 'node:path';
import type { CompiledCode } from '@clift/codegen';
import { inst } from '../src/index.js';

const BASE = 0x400000;

export function qemuAvailable(): boolean {
  if (arch() === 'arm64') return true;
  return spawnSync('qemu-aarch64-static', ['--version']).status === 0;
}

export interface Invocation {
  func: string;
  args: bigint[];
  numResults: number;
}

function put32(out: number[], w: number): void {
  out.push(w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff);
}

/** Runs the invocations; returns the raw 64-bit result registers of each. */
export function runFunctions(funcs: Map<string, CompiledCode>, calls: readonly Invocation[]): bigint[][] {
  // Layout: header (0x80 bytes) | _start | functions (16-aligned) | result buffer.
  const stubSize = calls.reduce((n, c) => n + 4 * (c.args.length * 4 + 1 + 4 + c.numResults), 0) + 4 * 16;
  const codeStart = 0x80;
  const funcOff = new Map<string, number>();
  let off = codeStart + stubSize;
  for (const [name, code] of funcs) {
    off = Math.ceil(off / 16) * 16;
    funcOff.set(name, off);
    off += code.bytes.length;
  }
  const resultsOff = Math.ceil(off / 16) * 16;
  const resultsSize = calls.reduce((n, c) => n + 8 * c.numResults, 0);
  const total = resultsOff + resultsSize;
  const img = new Uint8Array(total);
  // _start
  const stub: number[] = [];
  let resAt = resultsOff;
  const mov = (rd: number, v: bigint): void => {
    for (const w of inst.movImmWords(rd, v, true)) put32(stub, w);
  };
  for (const c of calls) {
    c.args.forEach((a, i) => mov(i, a));
    const here = codeStart + stub.length;
    const target = funcOff.get(c.func);
    if (target === undefined) throw new Error(`no function %${c.func}`);
    put32(stub, (0x94000000 | (((target - here) >> 2) & 0x3ffffff)) >>> 0);
    mov(9, BigInt(BASE + resAt));
    for (let k = 0; k < c.numResults; k++) put32(stub, (0xf9000000 | (k << 10) | (9 << 5) | k) >>> 0); // str xk, [x9, #8k]
    resAt += 8 * c.numResults;
  }
  mov(0, 1n);
  mov(1, BigInt(BASE + resultsOff));
  mov(2, BigInt(resultsSize));
  mov(8, 64n);
  put32(stub, 0xd4000001); // svc #0
  mov(0, 0n);
  mov(8, 93n);
  put32(stub, 0xd4000001);
  if (stub.length > stubSize) throw new Error('stub overflow');
  img.set(stub, codeStart);
  for (const [name, code] of funcs) {
    const base = funcOff.get(name)!;
    img.set(code.bytes, base);
    for (const r of code.relocations) {
      const target = funcOff.get(r.target.name);
      if (target === undefined) throw new Error(`unresolved symbol ${r.target.name}`);
      const at = base + r.offset;
      if (r.kind === 'Arm64Call') {
        const w = img[at] | (img[at + 1] << 8) | (img[at + 2] << 16) | (img[at + 3] << 24);
        const d = ((target + Number(r.addend) - at) >> 2) & 0x3ffffff;
        const nw = ((w & ~0x3ffffff) | d) >>> 0;
        img.set([nw & 0xff, (nw >>> 8) & 0xff, (nw >>> 16) & 0xff, nw >>> 24], at);
      } else if (r.kind === 'Abs8') {
        const v = BigInt(BASE + target) + r.addend;
        for (let k = 0; k < 8; k++) img[at + k] = Number((v >> BigInt(8 * k)) & 0xffn);
      } else throw new Error(`relocation ${r.kind} not supported by the test executor`);
    }
  }
  // ELF header and one RWX PT_LOAD covering the file.
  const dv = new DataView(img.buffer);
  img.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  dv.setUint16(16, 2, true); // ET_EXEC
  dv.setUint16(18, 183, true); // EM_AARCH64
  dv.setUint32(20, 1, true);
  dv.setBigUint64(24, BigInt(BASE + codeStart), true);
  dv.setBigUint64(32, 64n, true); // phoff
  dv.setUint16(52, 64, true);
  dv.setUint16(54, 56, true);
  dv.setUint16(56, 1, true);
  dv.setUint32(64, 1, true); // PT_LOAD
  dv.setUint32(68, 7, true); // RWX
  dv.setBigUint64(72, 0n, true);
  dv.setBigUint64(80, BigInt(BASE), true);
  dv.setBigUint64(88, BigInt(BASE), true);
  dv.setBigUint64(96, BigInt(total), true);
  dv.setBigUint64(104, BigInt(total), true);
  dv.setBigUint64(112, 0x1000n, true);
  const dir = mkdtempSync(join(tmpdir(), 'clift-a64-'));
  const exe = join(dir, 'prog');
  try {
    writeFileSync(exe, img);
    chmodSync(exe, 0o755);
    const out = arch() === 'arm64' ? execFileSync(exe) : execFileSync('qemu-aarch64-static', [exe]);
    const res: bigint[][] = [];
    let p = 0;
    for (const c of calls) {
      const vals: bigint[] = [];
      for (let k = 0; k < c.numResults; k++, p += 8) vals.push(out.readBigUInt64LE(p));
      res.push(vals);
    }
    return res;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
