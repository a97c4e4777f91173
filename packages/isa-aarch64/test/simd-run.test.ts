// Executes vector lowerings that upstream's aarch64 runtests leave out
// (vhigh_bits, two-source shuffles, register-amount rotates and shifts,
// big-endian vector stores and extending loads, 64-bit narrowing) under
// qemu-aarch64-static. Each function takes and returns its vectors as i64
// words (iconcat/bitcast/isplit), the form the test executor can pass; the
// expected words are the interpreter's results for the same functions.
import { parseSharedFlags, type CompiledCode } from '@clift/codegen';
import { formatUserFuncName } from '@clift/ir';
import { parseFunctions } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { qemuAvailable, runFunctions, type Invocation } from './qemu.js';

const SOURCE = `
function %vhigh_bits_i8x16(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = iconcat v0, v1
    v3 = bitcast.i8x16 little v2
    v4 = vhigh_bits.i32 v3
    v5 = uextend.i64 v4
    return v5
}

function %shuffle_two(i64, i64, i64, i64) -> i64, i64 {
block0(v0: i64, v1: i64, v2: i64, v3: i64):
    v4 = iconcat v0, v1
    v5 = bitcast.i8x16 little v4
    v6 = iconcat v2, v3
    v7 = bitcast.i8x16 little v6
    v8 = shuffle v5, v7, [31 0 17 2 3 20 5 6 7 8 9 10 11 12 13 16]
    v9 = bitcast.i128 little v8
    v10, v11 = isplit v9
    return v10, v11
}

function %rotl_i16x8(i64, i64, i32) -> i64, i64 {
block0(v0: i64, v1: i64, v2: i32):
    v3 = iconcat v0, v1
    v4 = bitcast.i16x8 little v3
    v5 = rotl v4, v2
    v6 = bitcast.i128 little v5
    v7, v8 = isplit v6
    return v7, v8
}

function %sshr_i8x16(i64, i64, i64) -> i64, i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = iconcat v0, v1
    v4 = bitcast.i8x16 little v3
    v5 = sshr v4, v2
    v6 = bitcast.i128 little v5
    v7, v8 = isplit v6
    return v7, v8
}

function %store_big(i64, i64) -> i64, i64 {
    ss0 = explicit_slot 16
block0(v0: i64, v1: i64):
    v2 = iconcat v0, v1
    v3 = bitcast.i64x2 little v2
    v4 = stack_addr.i64 ss0
    store big v3, v4
    v5 = load.i32x4 little v4
    v6 = bitcast.i128 little v5
    v7, v8 = isplit v6
    return v7, v8
}

function %snarrow_i32x2(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = bitcast.i32x2 little v0
    v3 = bitcast.i32x2 little v1
    v4 = snarrow v2, v3
    v5 = bitcast.i64 little v4
    return v5
}

function %extending_loads(i64, i64) -> i64, i64, i64, i64, i64, i64, i64, i64 {
    ss0 = explicit_slot 16
block0(v0: i64, v1: i64):
    v2 = iconcat v0, v1
    v3 = bitcast.i64x2 little v2
    v4 = stack_addr.i64 ss0
    store v3, v4
    v5 = uload8x8 v4+1
    v6 = sload16x4 v4+2
    v7 = uload32x2 big v4+4
    v8 = sload8x8 big v4
    v9 = bitcast.i128 little v5
    v10, v11 = isplit v9
    v12 = bitcast.i128 little v6
    v13, v14 = isplit v12
    v15 = bitcast.i128 little v7
    v16, v17 = isplit v15
    v18 = bitcast.i128 little v8
    v19, v20 = isplit v18
    return v10, v11, v13, v14, v16, v17, v19, v20
}
`;

/** [function, arguments, expected result words]. */
const CASES: [string, bigint[], bigint[]][] = [
  // lanes [-1 0 -1 0 0 0 0 -128 1 -1 0 0 0 0 0 -1]
  ['vhigh_bits_i8x16', [0x8000000000ff00ffn, 0xff0000000000ff01n], [33413n]],
  // x = bytes 0..15, y = bytes 16..31
  ['shuffle_two', [0x0706050403020100n, 0x0f0e0d0c0b0a0908n, 0x1716151413121110n, 0x1f1e1d1c1b1a1918n], [0x060514030211001fn, 0x100d0c0b0a090807n]],
  // [0x8001 2 3 4 5 6 7 0x4000] rotl 17 (= 1)
  ['rotl_i16x8', [0x0004000300028001n, 0x4000000700060005n, 17n], [0x0008000600040003n, 0x8000000e000c000an]],
  ['rotl_i16x8', [0x0004000300028001n, 0x4000000700060005n, 0n], [0x0004000300028001n, 0x4000000700060005n]],
  // [-128 64 -1 1 2 …] sshr 10 (= 2)
  ['sshr_i8x16', [0x0504030201ff4080n, 0xf30c0b0a09080706n, 10n], [0x0101000000ff10e0n, 0xfc03020202020101n]],
  ['store_big', [0x8182838485868788n, 0x1112131415161718n], [0x8887868584838281n, 0x1817161514131211n]],
  ['store_big', [0x0102030405060708n, 0x1112131415161718n], [0x0807060504030201n, 0x1817161514131211n]],
  // [70000 -70000], [5 -6] -> [32767 -32768 5 -6]
  ['snarrow_i32x2', [0xfffeee9000011170n, 0xfffffffa00000005n], [0xfffa000580007fffn]],
  [
    'extending_loads',
    [0x8182838485868788n, 0x1112131415161718n],
    [0x0084008500860087n, 0x0018008100820083n, 0xffff8384ffff8586n, 0x00001718ffff8182n, 0x84838281n, 0x18171615n, 0xff85ff86ff87ff88n, 0xff81ff82ff83ff84n],
  ],
];

describe('vector lowerings execute like the interpreter', () => {
  it('computes the interpreter results under qemu', (ctx) => {
    const flags = parseSharedFlags([{ name: 'regalloc_checker', value: 'true' }]);
    const funcs = new Map<string, CompiledCode>();
    for (const f of parseFunctions(SOURCE)) funcs.set(formatUserFuncName(f.name).slice(1), compile(f, { flags }));
    if (!qemuAvailable()) {
      if (process.env.CI === 'true') throw new Error('qemu-aarch64-static is required under CI');
      ctx.skip();
      return;
    }
    const calls: Invocation[] = CASES.map(([func, args, want]) => ({ func, args, numResults: want.length }));
    const results = runFunctions(funcs, calls);
    const failures: string[] = [];
    CASES.forEach(([func, args, want], i) => {
      const got = results[i];
      if (got.some((g, k) => g !== want[k])) failures.push(`${func}(${args.map((a) => a.toString(16)).join(', ')}): got ${got.map((g) => g.toString(16)).join(', ')}`);
    });
    expect(failures).toEqual([]);
  });
});
