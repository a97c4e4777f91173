// `select` of f128 values (q registers): a branch over two full-register
// moves, with the condition from a value, a fused icmp or a fused fcmp,
// run under QEMU with the f128 bits passed as i64 halves.
import { parseSharedFlags, type CompiledCode } from '@clift/codegen';
import { formatUserFuncName } from '@clift/ir';
import { parseFunctions } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { qemuAvailable, runFunctions } from './qemu.js';

const SOURCE = `
function %sel(i8, i64, i64, i64, i64) -> i64, i64 {
block0(v0: i8, v1: i64, v2: i64, v3: i64, v4: i64):
    v5 = iconcat v1, v2
    v6 = bitcast.f128 v5
    v7 = iconcat v3, v4
    v8 = bitcast.f128 v7
    v9 = select v0, v6, v8
    v10 = bitcast.i128 v9
    v11, v12 = isplit v10
    return v11, v12
}

function %sel_icmp(i64, i64, i64, i64, i64, i64) -> i64, i64 {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64):
    v6 = iconcat v2, v3
    v7 = bitcast.f128 v6
    v8 = iconcat v4, v5
    v9 = bitcast.f128 v8
    v10 = icmp slt v0, v1
    v11 = select v10, v7, v9
    v12 = bitcast.i128 v11
    v13, v14 = isplit v12
    return v13, v14
}

function %sel_fcmp(f64, f64, i64, i64, i64, i64) -> i64, i64 {
block0(v0: f64, v1: f64, v2: i64, v3: i64, v4: i64, v5: i64):
    v6 = iconcat v2, v3
    v7 = bitcast.f128 v6
    v8 = iconcat v4, v5
    v9 = bitcast.f128 v8
    v10 = fcmp lt v0, v1
    v11 = select_spectre_guard v10, v7, v9
    v12 = bitcast.i128 v11
    v13, v14 = isplit v12
    return v13, v14
}

function %sel_fcmp_i64(i64, i64, i64, i64, i64, i64) -> i64, i64 {
    fn0 = colocated %sel_fcmp(f64, f64, i64, i64, i64, i64) -> i64, i64
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64):
    v6 = bitcast.f64 v0
    v7 = bitcast.f64 v1
    v8, v9 = call fn0(v6, v7, v2, v3, v4, v5)
    return v8, v9
}
`;

const flags = parseSharedFlags([{ name: 'regalloc_checker', value: 'true' }]);
const funcs = new Map<string, CompiledCode>();
for (const f of parseFunctions(SOURCE)) funcs.set(formatUserFuncName(f.name).slice(1), compile(f, { flags, disassemble: true }));

describe('select of f128', () => {
  it('branches over q-register moves', () => {
    expect(funcs.get('sel')!.disassembly).toMatch(/b\.ne #12\n\s+mov v\d+\.16b, v\d+\.16b\n\s+b #8\n\s+mov v\d+\.16b, v\d+\.16b/);
    expect(funcs.get('sel_icmp')!.disassembly).toMatch(/cmp x0, x1\n\s+b\.lt #12/);
  });

  it.skipIf(!qemuAvailable())('picks the whole 128-bit value', () => {
    const a = [0x0123456789abcdefn, 0x1111222233334444n];
    const b = [0xfedcba9876543210n, 0x5555666677778888n];
    const one = 0x3ff0000000000000n; // 1.0
    const two = 0x4000000000000000n; // 2.0
    const nan = 0x7ff8000000000000n;
    const r = runFunctions(funcs, [
      { func: 'sel', args: [1n, ...a, ...b], numResults: 2 },
      { func: 'sel', args: [0x100n, ...a, ...b], numResults: 2 }, // only the i8's bits count
      { func: 'sel_icmp', args: [BigInt.asUintN(64, -5n), 3n, ...a, ...b], numResults: 2 },
      { func: 'sel_icmp', args: [3n, BigInt.asUintN(64, -5n), ...a, ...b], numResults: 2 },
      { func: 'sel_fcmp_i64', args: [one, two, ...a, ...b], numResults: 2 },
      { func: 'sel_fcmp_i64', args: [two, one, ...a, ...b], numResults: 2 },
      { func: 'sel_fcmp_i64', args: [nan, one, ...a, ...b], numResults: 2 },
    ]);
    expect(r).toEqual([a, b, a, b, a, b, b]);
  });
});
