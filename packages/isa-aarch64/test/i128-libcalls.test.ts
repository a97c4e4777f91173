// i128 division and i128-to-float conversion go through libgcc
// (`__udivti3`, `__floattidf`, …). The checks a libcall cannot make (zero
// divisor, INT128_MIN / -1) are inline traps. The real routines run in the
// filetests harness, which links libgcc; here the relocations and trap sites
// are checked, and under QEMU CLIF stand-ins named after the routines check
// that arguments and results travel in the AAPCS64 registers.
import { parseSharedFlags, type CompiledCode } from '@clift/codegen';
import { formatUserFuncName, TrapCode } from '@clift/ir';
import { parseFunctions } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { qemuAvailable, runFunctions } from './qemu.js';

const flags = parseSharedFlags([{ name: 'regalloc_checker', value: 'true' }]);

const CASES = [
  ['udiv', '__udivti3'],
  ['sdiv', '__divti3'],
  ['urem', '__umodti3'],
  ['srem', '__modti3'],
] as const;

const SOURCE = `
${CASES.map(([op]) => `function %${op}(i64, i64, i64, i64, i64) -> i64, i64, i64 {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64):
    v5 = iconcat v0, v1
    v6 = iconcat v2, v3
    v7 = ${op} v5, v6
    v8, v9 = isplit v7
    v10 = iconst.i64 1
    v11 = iadd v4, v10
    return v8, v9, v11
}`).join('\n\n')}

function %to_f64(i64, i64) -> f64, f32 {
block0(v0: i64, v1: i64):
    v2 = iconcat v0, v1
    v3 = fcvt_from_sint.f64 v2
    v4 = fcvt_from_uint.f32 v2
    return v3, v4
}
`;

// Stand-ins: (a, b) -> (a.lo ^ b.hi + k, a.hi - b.lo), with a distinct k per routine.
const STANDINS = CASES.map(([, name], k) => `function %${name}(i128, i128) -> i128 {
block0(v0: i128, v1: i128):
    v2, v3 = isplit v0
    v4, v5 = isplit v1
    v6 = bxor v2, v5
    v7 = iconst.i64 ${k}
    v8 = iadd v6, v7
    v9 = isub v3, v4
    v10 = iconcat v8, v9
    return v10
}`).join('\n\n');

const compiled = new Map<string, CompiledCode>();
for (const f of parseFunctions(SOURCE + STANDINS)) {
  compiled.set(formatUserFuncName(f.name).slice(1), compile(f, { flags, isa: [], disassemble: true }));
}

describe('i128 libcalls', () => {
  it('calls the libgcc routine, after a divisor check (and an overflow check for sdiv)', () => {
    for (const [op, name] of CASES) {
      const c = compiled.get(op)!;
      expect(c.relocations.map((r) => r.target)).toEqual([{ kind: 'libcall', name }]);
      const codes = c.traps.map((t) => t.code).sort();
      expect(codes).toEqual(op === 'sdiv' ? [TrapCode.INTEGER_OVERFLOW, TrapCode.INTEGER_DIVISION_BY_ZERO] : [TrapCode.INTEGER_DIVISION_BY_ZERO]);
    }
    expect(compiled.get('to_f64')!.relocations.map((r) => r.target.name)).toEqual(['__floattidf', '__floatuntisf']);
  });

  it.skipIf(!qemuAvailable())('passes both operands and returns the result in register pairs, keeping live values', () => {
    const funcs = new Map<string, CompiledCode>();
    for (const [op, name] of CASES) {
      funcs.set(op, compiled.get(op)!);
      funcs.set(name, compiled.get(name)!);
    }
    const a = [0x1111n, 0x2222n];
    const b = [0x30n, 0x4000n];
    const res = runFunctions(funcs, CASES.map(([op]) => ({ func: op, args: [...a, ...b, 41n], numResults: 3 })));
    CASES.forEach((_, k) => {
      expect(res[k]).toEqual([(a[0] ^ b[1]) + BigInt(k), a[1] - b[0], 42n]);
    });
  });
});
