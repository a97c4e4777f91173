// Executes the lowerings the opcode-coverage test brought in (carry and
// borrow arithmetic, bitselect of i128 and floats, bitwise f128, popcnt of
// wide lanes) under qemu-aarch64-static. Functions pass values as integer
// words (vectors and i128 through iconcat/bitcast/isplit); the expected
// results are the interpreter's for the same functions (checked with
// `clif test` under `test interpret`). Results narrower than 64 bits are
// compared in their own width: the bits above are undefined in the register.
import { parseSharedFlags, type CompiledCode } from '@clift/codegen';
import { formatUserFuncName, typeBits, type Function } from '@clift/ir';
import { parseFunctions } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { qemuAvailable, runFunctions, type Invocation } from './qemu.js';

const SOURCE = `
function %uadd_cin_i8(i8, i8, i8) -> i8, i8 {
block0(v0: i8, v1: i8, v2: i8):
    v3, v4 = uadd_overflow_cin v0, v1, v2
    return v3, v4
}

function %sadd_cin_i32(i32, i32, i8) -> i32, i8 {
block0(v0: i32, v1: i32, v2: i8):
    v3, v4 = sadd_overflow_cin v0, v1, v2
    return v3, v4
}

function %usub_bin_i16(i16, i16, i8) -> i16, i8 {
block0(v0: i16, v1: i16, v2: i8):
    v3, v4 = usub_overflow_bin v0, v1, v2
    return v3, v4
}

function %ssub_bin_i64(i64, i64, i8) -> i64, i8 {
block0(v0: i64, v1: i64, v2: i8):
    v3, v4 = ssub_overflow_bin v0, v1, v2
    return v3, v4
}

function %uadd_cin_i128(i64, i64, i64, i64, i8) -> i64, i64, i8 {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i8):
    v5 = iconcat v0, v1
    v6 = iconcat v2, v3
    v7, v8 = uadd_overflow_cin v5, v6, v4
    v9, v10 = isplit v7
    return v9, v10, v8
}

function %ssub_bin_i128(i64, i64, i64, i64, i8) -> i64, i64, i8 {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i8):
    v5 = iconcat v0, v1
    v6 = iconcat v2, v3
    v7, v8 = ssub_overflow_bin v5, v6, v4
    v9, v10 = isplit v7
    return v9, v10, v8
}

function %bitselect_i128(i64, i64, i64, i64, i64, i64) -> i64, i64 {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64):
    v6 = iconcat v0, v1
    v7 = iconcat v2, v3
    v8 = iconcat v4, v5
    v9 = bitselect v6, v7, v8
    v10, v11 = isplit v9
    return v10, v11
}

function %bitselect_f64(i64, i64, i64) -> i64 {
block0(v0: i64, v1: i64, v2: i64):
    v3 = bitcast.f64 v0
    v4 = bitcast.f64 v1
    v5 = bitcast.f64 v2
    v6 = bitselect v3, v4, v5
    v7 = bitcast.i64 v6
    return v7
}

function %bitselect_f32(i32, i32, i32) -> i32 {
block0(v0: i32, v1: i32, v2: i32):
    v3 = bitcast.f32 v0
    v4 = bitcast.f32 v1
    v5 = bitcast.f32 v2
    v6 = bitselect v3, v4, v5
    v7 = bitcast.i32 v6
    return v7
}

function %bxor_not_f128(i64, i64, i64, i64) -> i64, i64 {
block0(v0: i64, v1: i64, v2: i64, v3: i64):
    v4 = iconcat v0, v1
    v5 = bitcast.f128 v4
    v6 = iconcat v2, v3
    v7 = bitcast.f128 v6
    v8 = bxor_not v5, v7
    v9 = band_not v8, v5
    v10 = bitcast.i128 v9
    v11, v12 = isplit v10
    return v11, v12
}

function %popcnt_i16x8(i64, i64) -> i64, i64 {
block0(v0: i64, v1: i64):
    v2 = iconcat v0, v1
    v3 = bitcast.i16x8 little v2
    v4 = popcnt v3
    v5 = bitcast.i128 little v4
    v6, v7 = isplit v5
    return v6, v7
}

function %popcnt_i64x2(i64, i64) -> i64, i64 {
block0(v0: i64, v1: i64):
    v2 = iconcat v0, v1
    v3 = bitcast.i64x2 little v2
    v4 = popcnt v3
    v5 = bitcast.i128 little v4
    v6, v7 = isplit v5
    return v6, v7
}

function %popcnt_i32x2(i64) -> i64 {
block0(v0: i64):
    v1 = bitcast.i32x2 little v0
    v2 = popcnt v1
    v3 = bitcast.i64 little v2
    return v3
}
`;

/** [function, arguments, expected results]. */
const CASES: [string, bigint[], bigint[]][] = [
  ['uadd_cin_i8', [0xc8n, 0x37n, 0x1n], [0x0n, 0x1n]],
  ['uadd_cin_i8', [0xc8n, 0x37n, 0x0n], [0xffn, 0x0n]],
  ['uadd_cin_i8', [0xffn, 0xffn, 0x1n], [0xffn, 0x1n]],
  ['uadd_cin_i8', [0x1n, 0x2n, 0x7n], [0x4n, 0x0n]],
  ['sadd_cin_i32', [0x7fffffffn, 0x0n, 0x1n], [0x80000000n, 0x1n]],
  ['sadd_cin_i32', [0x7ffffffen, 0x0n, 0x1n], [0x7fffffffn, 0x0n]],
  ['sadd_cin_i32', [0x80000000n, 0xffffffffn, 0x0n], [0x7fffffffn, 0x1n]],
  ['sadd_cin_i32', [0x5n, 0x6n, 0x1n], [0xcn, 0x0n]],
  ['usub_bin_i16', [0x5n, 0x5n, 0x1n], [0xffffn, 0x1n]],
  ['usub_bin_i16', [0x5n, 0x5n, 0x0n], [0x0n, 0x0n]],
  ['usub_bin_i16', [0x0n, 0xffffn, 0x0n], [0x1n, 0x1n]],
  ['usub_bin_i16', [0x8000n, 0x1n, 0x1n], [0x7ffen, 0x0n]],
  ['ssub_bin_i64', [0x8000000000000000n, 0x0n, 0x1n], [0x7fffffffffffffffn, 0x1n]],
  ['ssub_bin_i64', [0x8000000000000000n, 0x1n, 0x0n], [0x7fffffffffffffffn, 0x1n]],
  ['ssub_bin_i64', [0x5n, 0x7n, 0x1n], [0xfffffffffffffffdn, 0x0n]],
  ['ssub_bin_i64', [0x7fffffffffffffffn, 0xffffffffffffffffn, 0x0n], [0x8000000000000000n, 0x1n]],
  ['uadd_cin_i128', [0xffffffffffffffffn, 0xffffffffffffffffn, 0x0n, 0x0n, 0x1n], [0x0n, 0x0n, 0x1n]],
  ['uadd_cin_i128', [0xffffffffffffffffn, 0x0n, 0x1n, 0x0n, 0x1n], [0x1n, 0x1n, 0x0n]],
  ['uadd_cin_i128', [0x0n, 0x3000000000n, 0x0n, 0x14000000n, 0x0n], [0x0n, 0x3014000000n, 0x0n]],
  ['uadd_cin_i128', [0x0n, 0x8000000000000000n, 0x0n, 0x8000000000000000n, 0x0n], [0x0n, 0x0n, 0x1n]],
  ['ssub_bin_i128', [0x0n, 0x8000000000000000n, 0x0n, 0x0n, 0x1n], [0xffffffffffffffffn, 0x7fffffffffffffffn, 0x1n]],
  ['ssub_bin_i128', [0x0n, 0x0n, 0x0n, 0x0n, 0x1n], [0xffffffffffffffffn, 0xffffffffffffffffn, 0x0n]],
  ['ssub_bin_i128', [0x0n, 0x140n, 0x0n, 0xc0n, 0x1n], [0xffffffffffffffffn, 0x7fn, 0x0n]],
  ['ssub_bin_i128', [0xffffffffffffffffn, 0x7fffffffffffffffn, 0xffffffffffffffffn, 0xffffffffffffffffn, 0x0n], [0x0n, 0x8000000000000000n, 0x1n]],
  ['bitselect_i128', [0x123456789abcdefn, 0xff00ff00f0f0f0f0n, 0x2222222222222222n, 0x1111111111111111n, 0x4444444444444444n, 0x3333333333333333n], [0x4466002244660022n, 0x1133113313131313n]],
  ['bitselect_f64', [0x8000000000000000n, 0x3ff0000000000000n, 0xc000000000000000n], [0x4000000000000000n]],
  ['bitselect_f32', [0xffffn, 0x12345678n, 0x9abcdef0n], [0x9abc5678n]],
  ['bxor_not_f128', [0xfedcba9876543210n, 0x123456789abcdefn, 0xf0f0f0f0f0f0f0fn, 0xf0f0f0f0f0f0f0f0n], [0x20406080a0c0e0n, 0xe0c0a0806040200n]],
  ['popcnt_i16x8', [0x7fff00f0000f0003n, 0xffff8000000100ffn], [0xf000400040002n, 0x10000100010008n]],
  ['popcnt_i64x2', [0x7fff00f0000f0003n, 0xffff8000000100ffn], [0x19n, 0x1an]],
  ['popcnt_i32x2', [0xffffffff00010003n], [0x2000000003n]],
];

describe('coverage lowerings execute like the interpreter', () => {
  it('computes the interpreter results under qemu', (ctx) => {
    const flags = parseSharedFlags([{ name: 'regalloc_checker', value: 'true' }]);
    const funcs = new Map<string, CompiledCode>();
    const sigs = new Map<string, Function>();
    for (const f of parseFunctions(SOURCE)) {
      const name = formatUserFuncName(f.name).slice(1);
      funcs.set(name, compile(f, { flags }));
      sigs.set(name, f);
    }
    if (!qemuAvailable()) {
      if (process.env.CI === 'true') throw new Error('qemu-aarch64-static is required under CI');
      ctx.skip();
      return;
    }
    const calls: Invocation[] = CASES.map(([func, args, want]) => ({ func, args, numResults: want.length }));
    const results = runFunctions(funcs, calls);
    const failures: string[] = [];
    CASES.forEach(([func, args, want], i) => {
      const rets = sigs.get(func)!.signature.returns;
      const got = results[i].map((g, k) => g & ((1n << BigInt(typeBits(rets[k].type))) - 1n));
      if (got.some((g, k) => g !== want[k])) failures.push(`${func}(${args.map((a) => a.toString(16)).join(', ')}): got ${got.map((g) => g.toString(16)).join(', ')}`);
    });
    expect(failures).toEqual([]);
  });
});
