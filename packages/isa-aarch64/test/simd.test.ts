// Vector values across calls: ten i32x4 arguments (two of them on the
// stack, 16 bytes each), an i32x4 result in v0, and a vector live across
// the call (the callee may clobber every v register's upper half, so it is
// spilled), compiled with the register-allocation checker and executed
// under qemu-aarch64-static.
import { parseSharedFlags, type CompiledCode } from '@clift/codegen';
import { formatUserFuncName } from '@clift/ir';
import { parseFunctions } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { qemuAvailable, runFunctions } from './qemu.js';

const SOURCE = `
function %inner(i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4) -> i32x4 system_v {
block0(v0: i32x4, v1: i32x4, v2: i32x4, v3: i32x4, v4: i32x4, v5: i32x4, v6: i32x4, v7: i32x4, v8: i32x4, v9: i32x4):
    v10 = isub v8, v9
    v11 = imul v10, v0
    v12 = iadd v11, v7
    return v12
}

function %outer(i64) -> i64 system_v {
    fn0 = colocated %inner(i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4, i32x4) -> i32x4 system_v
block0(v0: i64):
    v1 = ireduce.i32 v0
    v2 = splat.i32x4 v1
    v3 = vconst.i32x4 [1 2 3 4]
    v4 = imul v3, v2
    v5 = iadd v2, v3
    v6 = iconst.i32 7
    v7 = iadd v1, v6
    v8 = splat.i32x4 v7
    v9 = iconst.i32 8
    v10 = iadd v1, v9
    v11 = splat.i32x4 v10
    v12 = iconst.i32 9
    v13 = iadd v1, v12
    v14 = splat.i32x4 v13
    v15 = call fn0(v5, v2, v2, v2, v2, v2, v2, v8, v11, v14)
    v16 = iadd v15, v4
    v20 = extractlane v16, 0
    v21 = extractlane v16, 1
    v22 = extractlane v16, 2
    v23 = extractlane v16, 3
    v24 = uextend.i64 v20
    v25 = uextend.i64 v21
    v26 = uextend.i64 v22
    v27 = uextend.i64 v23
    v28 = iconst.i64 16
    v29 = ishl v25, v28
    v30 = iconst.i64 32
    v31 = ishl v26, v30
    v32 = iconst.i64 48
    v33 = ishl v27, v32
    v34 = bor v24, v29
    v35 = bor v31, v33
    v36 = bor v34, v35
    return v36
}
`;

describe('vectors across calls', () => {
  for (const algorithm of ['backtracking', 'single_pass']) {
    it(`passes ten i32x4 arguments and keeps a vector across the call (${algorithm})`, (ctx) => {
      const flags = parseSharedFlags([
        { name: 'regalloc_checker', value: 'true' },
        { name: 'regalloc_algorithm', value: algorithm },
      ]);
      const funcs = new Map<string, CompiledCode>();
      for (const f of parseFunctions(SOURCE)) funcs.set(formatUserFuncName(f.name).slice(1), compile(f, { flags, disassemble: true }));
      // The two last arguments go to the stack as q registers.
      expect(funcs.get('outer')!.disassembly).toMatch(/str q\d+, \[sp\]/);
      expect(funcs.get('outer')!.disassembly).toMatch(/str q\d+, \[sp, #16\]/);
      if (!qemuAvailable()) {
        if (process.env.CI === 'true') throw new Error('qemu-aarch64-static is required under CI');
        ctx.skip();
        return;
      }
      // inner: (a+8 - (a+9)) * (a+1+i) + (a+7) = 6 - i; plus (i+1)*a.
      for (const a of [5n, 1000n]) {
        const lanes = [0n, 1n, 2n, 3n].map((i) => BigInt.asUintN(16, 6n - i + (i + 1n) * a));
        const want = lanes.reduce((acc, l, i) => acc | (l << BigInt(16 * i)), 0n);
        const [[got]] = runFunctions(funcs, [{ func: 'outer', args: [a], numResults: 1 }]);
        expect(got & 0xffffn).toBe(lanes[0]);
        expect(got).toBe(want);
      }
    });
  }
});
