// Big-endian loads and stores of i128 and floats (f16, f32, f64, f128),
// run under QEMU: each function stores a value big-endian, reads the bytes
// back little-endian (which must be the byte-reversed value, halves swapped
// for 128 bits) and reloads the value big-endian (which must round-trip).
// Integer scalars and atomics are covered by upstream's big-endian runtests
// (run.test.ts) and atomics.test.ts.
import { parseSharedFlags, type CompiledCode } from '@clift/codegen';
import { formatUserFuncName } from '@clift/ir';
import { parseFunctions } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { qemuAvailable, runFunctions } from './qemu.js';

const SOURCE = `
function %i128_big(i64, i64) -> i64, i64, i64, i64 {
    ss0 = explicit_slot 24
block0(v0: i64, v1: i64):
    v2 = iconcat v0, v1
    v3 = stack_addr.i64 ss0
    store big v2, v3+8
    v4 = load.i64 little v3+8
    v5 = load.i64 little v3+16
    v6 = load.i128 big v3+8
    v7, v8 = isplit v6
    return v4, v5, v7, v8
}

function %f128_big(i64, i64) -> i64, i64, i64, i64 {
    ss0 = explicit_slot 16
block0(v0: i64, v1: i64):
    v2 = iconcat v0, v1
    v3 = bitcast.f128 v2
    v4 = stack_addr.i64 ss0
    store big v3, v4
    v5 = load.i64 little v4
    v6 = load.i64 little v4+8
    v7 = load.f128 big v4
    v8 = bitcast.i128 v7
    v9, v10 = isplit v8
    return v5, v6, v9, v10
}

function %f64_big(i64) -> i64, i64 {
    ss0 = explicit_slot 8
block0(v0: i64):
    v1 = bitcast.f64 v0
    v2 = stack_addr.i64 ss0
    store big v1, v2
    v3 = load.i64 little v2
    v4 = load.f64 big v2
    v5 = bitcast.i64 v4
    return v3, v5
}

function %f32_big(i32) -> i32, i32 {
    ss0 = explicit_slot 8
block0(v0: i32):
    v1 = bitcast.f32 v0
    v2 = stack_addr.i64 ss0
    store big v1, v2+4
    v3 = load.i32 little v2+4
    v4 = load.f32 big v2+4
    v5 = bitcast.i32 v4
    return v3, v5
}

function %f16_big(i16) -> i16, i16 {
    ss0 = explicit_slot 8
block0(v0: i16):
    v1 = bitcast.f16 v0
    v2 = stack_addr.i64 ss0
    store big v1, v2+2
    v3 = load.i16 little v2+2
    v4 = load.f16 big v2+2
    v5 = bitcast.i16 v4
    return v3, v5
}
`;

function bswap(v: bigint, bits: number): bigint {
  let out = 0n;
  for (let i = 0; i < bits; i += 8) out = (out << 8n) | ((v >> BigInt(i)) & 0xffn);
  return out;
}

const flags = parseSharedFlags([{ name: 'regalloc_checker', value: 'true' }]);

describe('big-endian i128 and float memory accesses', () => {
  const funcs = new Map<string, CompiledCode>();
  for (const f of parseFunctions(SOURCE)) funcs.set(formatUserFuncName(f.name).slice(1), compile(f, { flags, disassemble: true }));

  it('reverse the bytes in general registers', () => {
    expect(funcs.get('i128_big')!.disassembly).toMatch(/rev x\d+, x\d+/);
    expect(funcs.get('f64_big')!.disassembly).toMatch(/fmov x(\d+), d\d+\n\s+rev x\d+, x\1/);
    expect(funcs.get('f16_big')!.disassembly).toMatch(/rev16 w/);
  });

  it.skipIf(!qemuAvailable())('store the byte-reversed value and load it back', () => {
    const lo = 0x0123456789abcdefn;
    const hi = 0xfedcba9876543210n;
    const r = runFunctions(funcs, [
      { func: 'i128_big', args: [lo, hi], numResults: 4 },
      { func: 'f128_big', args: [lo, hi], numResults: 4 },
      { func: 'f64_big', args: [lo], numResults: 2 },
      { func: 'f32_big', args: [0x3fc00001n], numResults: 2 },
      { func: 'f16_big', args: [0x3c01n], numResults: 2 },
    ]);
    // 128 bits big-endian: the high half's bytes come first.
    expect(r[0]).toEqual([bswap(hi, 64), bswap(lo, 64), lo, hi]);
    expect(r[1]).toEqual([bswap(hi, 64), bswap(lo, 64), lo, hi]);
    expect(r[2]).toEqual([bswap(lo, 64), lo]);
    expect(r[3].map((v) => BigInt.asUintN(32, v))).toEqual([bswap(0x3fc00001n, 32), 0x3fc00001n]);
    expect(r[4].map((v) => BigInt.asUintN(16, v))).toEqual([0x013cn, 0x3c01n]);
  });
});
