// The AArch64 `test run` harness against hand-assembled functions: every
// CLIF function below has a GNU as body standing in for the compiler, so
// the driver's argument and return conventions, the object writing, the
// linking and the QEMU execution are tested before the backend exists.
// The same CLIF text will later run through the real compiler.

import { describe, expect, test } from 'vitest';
import type { CompiledCode } from '@clift/codegen';
import { I128, I16, I32, I64, I8, F32, F64, abiParam, newSignature, vectorOf, type Function, type Type } from '@clift/ir';
import { parseRunCommand } from '@clift/reader';
import { callLocations } from '../src/aarch64-driver.js';
import { executeRunCommands, functionSymbol, runClifText, type ClifRunRecord } from '../src/aarch64-run.js';
import { missingToolchainIsFailure, toolchainStatus } from '../src/aarch64-toolchain.js';
import { assembleFunction } from './aarch64-asm.js';

// ---------------------------------------------------------------------------
// Locations (no tools needed)

function sigOf(params: Type[], returns: Type[], conv: 'system_v' | 'apple_aarch64' = 'system_v') {
  const s = newSignature(conv);
  s.params.push(...params.map((t) => abiParam(t)));
  s.returns.push(...returns.map((t) => abiParam(t)));
  return s;
}

describe('AAPCS64 call locations', () => {
  test('integers and floats take x and v registers by class', () => {
    const l = callLocations(sigOf([I32, F64, I8, F32], [F64, I64]));
    expect(l.args).toEqual([{ kind: 'x', reg: 0 }, { kind: 'v', reg: 0 }, { kind: 'x', reg: 1 }, { kind: 'v', reg: 1 }]);
    expect(l.rets).toEqual([{ kind: 'v', reg: 0 }, { kind: 'x', reg: 0 }]);
    expect(l.argStackBytes).toBe(0);
    expect(l.retAreaPtr).toBeUndefined();
  });

  test('an i128 takes an even/odd pair, except under apple_aarch64', () => {
    expect(callLocations(sigOf([I64, I128], [])).args[1]).toEqual({ kind: 'xpair', lo: 2, hi: 3 });
    expect(callLocations(sigOf([I64, I128], [], 'apple_aarch64')).args[1]).toEqual({ kind: 'xpair', lo: 1, hi: 2 });
  });

  test('stack arguments: 8-byte minimum slots, i128 aligned to 16, area rounded to 16', () => {
    const l = callLocations(sigOf([I64, I64, I64, I64, I64, I64, I64, I128, I8, I64], []));
    expect(l.args.slice(6)).toEqual([
      { kind: 'x', reg: 6 },
      { kind: 'stack', offset: 0, size: 16 },
      // An i128 that did not fit leaves x7 free for the next integer, as upstream does.
      { kind: 'x', reg: 7 },
      { kind: 'stack', offset: 16, size: 8 },
    ]);
    expect(l.argStackBytes).toBe(32);
    const apple = callLocations(sigOf([I64, I64, I64, I64, I64, I64, I64, I64, I8, I16, I32], [], 'apple_aarch64'));
    expect(apple.args.slice(8)).toEqual([{ kind: 'stack', offset: 0, size: 1 }, { kind: 'stack', offset: 2, size: 2 }, { kind: 'stack', offset: 4, size: 4 }]);
  });

  test('returns beyond the registers go to a return area passed as an extra argument', () => {
    const l = callLocations(sigOf([I64], Array<Type>(10).fill(I64)));
    expect(l.rets[8]).toEqual({ kind: 'stack', offset: 0, size: 8 });
    expect(l.retAreaPtr).toEqual({ kind: 'x', reg: 1 });
    expect(l.retAreaBytes).toBe(16);
    const full = callLocations(sigOf(Array<Type>(8).fill(I64), Array<Type>(9).fill(I64)));
    expect(full.retAreaPtr).toEqual({ kind: 'stack', offset: 0, size: 8 });
    expect(full.argStackBytes).toBe(16);
  });

  test('unsupported conventions and types are typed errors', () => {
    expect(callLocations({ ...sigOf([I64], []), callConv: 'tail' }).args).toEqual([{ kind: 'x', reg: 0 }]);
    // `tail` places results as system_v does, the return area included.
    const manyRets = sigOf([], Array.from({ length: 9 }, () => I64));
    expect(callLocations({ ...manyRets, callConv: 'tail' })).toEqual(callLocations(manyRets));
    expect(() => callLocations({ ...sigOf([I64], []), callConv: 'windows_fastcall' })).toThrow(/calling convention windows_fastcall is not supported/);
    expect(() => callLocations(sigOf([vectorOf(I32, 8)], []))).toThrow(/i32x8 is not supported/);
  });
});

// ---------------------------------------------------------------------------
// Execution

const status = toolchainStatus();
const haveTools = status.missing.length === 0;
if (!haveTools && !missingToolchainIsFailure()) console.warn(`skipping AArch64 execution tests: ${status.message}`);

/** Compiles by looking the function up in a table of assembly bodies. */
function compilerFor(bodies: Record<string, string>): (func: Function) => CompiledCode {
  const cache = new Map<string, CompiledCode>();
  return (func) => {
    const name = functionSymbol(func);
    const asm = bodies[name];
    if (asm === undefined) throw new Error(`no assembly for ${name}`);
    let code = cache.get(name);
    if (!code) cache.set(name, (code = assembleFunction(asm)));
    return code;
  };
}

function only(records: ClifRunRecord[]): ClifRunRecord {
  expect(records).toHaveLength(1);
  return records[0];
}

const SIGNATURES_CLIF = `test run
target aarch64

function %add_i8(i8, i8) -> i8 system_v {
block0(v0: i8, v1: i8):
    v2 = iadd v0, v1
    return v2
}
; run: %add_i8(127, 1) == -128
; run: %add_i8(-1, -1) == -2

function %add_i16(i16, i16) -> i16 system_v {
block0(v0: i16, v1: i16):
    v2 = iadd v0, v1
    return v2
}
; run: %add_i16(32767, 1) == -32768

function %add_i32(i32, i32) -> i32 system_v {
block0(v0: i32, v1: i32):
    v2 = iadd v0, v1
    return v2
}
; run: %add_i32(0x7fffffff, 1) == 0x80000000
; run: %add_i32(2, 3) != 6

function %add_i64(i64, i64) -> i64 system_v {
block0(v0: i64, v1: i64):
    v2 = iadd v0, v1
    return v2
}
; run: %add_i64(-1, 0x10) == 15

function %sext_i8(i8 sext) -> i64 system_v {
block0(v0: i8):
    v1 = sextend.i64 v0
    return v1
}
; run: %sext_i8(-1) == -1
; run: %sext_i8(100) == 100

function %uext_i16(i16 uext) -> i64 system_v {
block0(v0: i16):
    v1 = uextend.i64 v0
    return v1
}
; run: %uext_i16(-1) == 65535

function %add_i128(i128, i128) -> i128 system_v {
block0(v0: i128, v1: i128):
    v2 = iadd v0, v1
    return v2
}
; run: %add_i128(18446744073709551615, 1) == 18446744073709551616
; run: %add_i128(-1, -1) == -2

function %i128_after_i64(i64, i128) -> i128 system_v {
block0(v0: i64, v1: i128):
    return v1
}
; run: %i128_after_i64(7, 36893488147419103233) == 36893488147419103233

function %fadd_f32(f32, f32) -> f32 system_v {
block0(v0: f32, v1: f32):
    v2 = fadd v0, v1
    return v2
}
; run: %fadd_f32(0x1.8p1, 0x1.0p0) == 0x1.0p2
; run: %fadd_f32(+Inf, -Inf) == +NaN

function %fadd_f64(f64, f64) -> f64 system_v {
block0(v0: f64, v1: f64):
    v2 = fadd v0, v1
    return v2
}
; run: %fadd_f64(0x1.0p0, 0x1.0p1) == 0x1.8p1
; run: %fadd_f64(-0x0.0p0, -0x0.0p0) == -0x0.0p0

function %mixed(i32, f64, i64, f32) -> f64 system_v {
block0(v0: i32, v1: f64, v2: i64, v3: f32):
    v4 = fcvt_from_sint.f64 v0
    v5 = fadd v1, v4
    v6 = fcvt_from_sint.f64 v2
    v7 = fadd v5, v6
    v8 = fpromote.f64 v3
    v9 = fadd v7, v8
    return v9
}
; run: %mixed(1, 0x1.0p1, 3, 0x1.0p2) == 0x1.4p3

function %divmod(i64, i64) -> i64, i64, f32 system_v {
block0(v0: i64, v1: i64):
    v2 = udiv v0, v1
    v3 = urem v0, v1
    v4 = fcvt_from_uint.f32 v2
    return v2, v3, v4
}
; run: %divmod(17, 5) == [3, 2, 0x1.8p1]

function %sum10(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64 system_v {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64, v6: i64, v7: i64, v8: i64, v9: i64):
    v10 = iadd v0, v1
    v11 = iadd v10, v2
    v12 = iadd v11, v3
    v13 = iadd v12, v4
    v14 = iadd v13, v5
    v15 = iadd v14, v6
    v16 = iadd v15, v7
    v17 = iadd v16, v8
    v18 = iadd v17, v9
    return v18
}
; run: %sum10(1, 2, 3, 4, 5, 6, 7, 8, 1000, 20000) == 21036

function %i128_on_stack(i64, i64, i64, i64, i64, i64, i64, i128) -> i128 system_v {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64, v6: i64, v7: i128):
    return v7
}
; run: %i128_on_stack(0, 0, 0, 0, 0, 0, 0, -36893488147419103233) == -36893488147419103233

function %ten_rets(i64) -> i64, i64, i64, i64, i64, i64, i64, i64, i64, i64 system_v {
block0(v0: i64):
    v10 = iconst.i64 1
    v1 = iadd v0, v10
    v11 = iconst.i64 2
    v2 = iadd v0, v11
    v12 = iconst.i64 3
    v3 = iadd v0, v12
    v13 = iconst.i64 4
    v4 = iadd v0, v13
    v14 = iconst.i64 5
    v5 = iadd v0, v14
    v15 = iconst.i64 6
    v6 = iadd v0, v15
    v16 = iconst.i64 7
    v7 = iadd v0, v16
    v17 = iconst.i64 8
    v8 = iadd v0, v17
    v18 = iconst.i64 9
    v9 = iadd v0, v18
    return v0, v1, v2, v3, v4, v5, v6, v7, v8, v9
}
; run: %ten_rets(100) == [100, 101, 102, 103, 104, 105, 106, 107, 108, 109]

function %add_i32x4(i32x4, i32x4) -> i32x4 system_v {
block0(v0: i32x4, v1: i32x4):
    v2 = iadd v0, v1
    return v2
}
; run: %add_i32x4([1 2 3 4], [10 20 30 -40]) == [11 22 33 -36]

function %apple_i128(i64, i128) -> i128 apple_aarch64 {
block0(v0: i64, v1: i128):
    return v1
}
; run: %apple_i128(1, 36893488147419103232) == 36893488147419103232

function %calls_add(i64) -> i64 system_v {
    fn0 = %add_i64(i64, i64) -> i64 system_v
block0(v0: i64):
    v1 = iconst.i64 1
    v2 = call fn0(v0, v1)
    return v2
}
; run: %calls_add(41) == 42

function %f16_id(f16) -> f16 system_v {
block0(v0: f16):
    return v0
}
; run: %f16_id(-0x1.8p3) == -0x1.8p3

function %f128_id(f128) -> f128 system_v {
block0(v0: f128):
    return v0
}
; run: %f128_id(0x1.0000000000000000000000000001p0) == 0x1.0000000000000000000000000001p0

function %i8_on_stack(i64, i64, i64, i64, i64, i64, i64, i64, i8) -> i8 system_v {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64, v6: i64, v7: i64, v8: i8):
    return v8
}
; run: %i8_on_stack(0, 0, 0, 0, 0, 0, 0, 0, -5) == -5

function %apple_stack(i64, i64, i64, i64, i64, i64, i64, i64, i8, i16, i32) -> i64 apple_aarch64 {
block0(v0: i64, v1: i64, v2: i64, v3: i64, v4: i64, v5: i64, v6: i64, v7: i64, v8: i8, v9: i16, v10: i32):
    v11 = sextend.i64 v8
    v12 = sextend.i64 v9
    v13 = sextend.i64 v10
    v14 = iadd v11, v12
    v15 = iadd v14, v13
    return v15
}
; run: %apple_stack(0, 0, 0, 0, 0, 0, 0, 0, -1, -200, -70000) == -70201

function %nonzero() -> i8 system_v {
block0:
    v0 = iconst.i8 1
    return v0
}
; run
; print: %nonzero()
`;

const SIGNATURE_BODIES: Record<string, string> = {
  add_i8: 'add w0, w0, w1\n ret',
  add_i16: 'add w0, w0, w1\n ret',
  add_i32: 'add w0, w0, w1\n ret',
  add_i64: 'add x0, x0, x1\n ret',
  // Correct only because the caller extends as the signature asks.
  sext_i8: 'ret',
  uext_i16: 'ret',
  add_i128: 'adds x0, x0, x2\n adc x1, x1, x3\n ret',
  i128_after_i64: 'mov x0, x2\n mov x1, x3\n ret',
  fadd_f32: 'fadd s0, s0, s1\n ret',
  fadd_f64: 'fadd d0, d0, d1\n ret',
  mixed: 'scvtf d2, w0\n fadd d0, d0, d2\n scvtf d3, x1\n fadd d0, d0, d3\n fcvt d4, s1\n fadd d0, d0, d4\n ret',
  divmod: 'udiv x2, x0, x1\n msub x1, x2, x1, x0\n mov x0, x2\n ucvtf s0, x2\n ret',
  sum10: 'add x0, x0, x1\n add x0, x0, x2\n add x0, x0, x3\n add x0, x0, x4\n add x0, x0, x5\n add x0, x0, x6\n add x0, x0, x7\n ldr x9, [sp]\n ldr x10, [sp, #8]\n add x0, x0, x9\n add x0, x0, x10\n ret',
  i128_on_stack: 'ldp x0, x1, [sp]\n ret',
  // Returns 8 and 9 go to the return area whose address arrives in x1.
  ten_rets: 'mov x9, x1\n add x10, x0, #8\n str x10, [x9]\n add x10, x0, #9\n str x10, [x9, #8]\n' +
    'add x1, x0, #1\n add x2, x0, #2\n add x3, x0, #3\n add x4, x0, #4\n add x5, x0, #5\n add x6, x0, #6\n add x7, x0, #7\n ret',
  add_i32x4: 'add v0.4s, v0.4s, v1.4s\n ret',
  apple_i128: 'mov x0, x1\n mov x1, x2\n ret',
  calls_add: 'stp x29, x30, [sp, #-16]!\n mov x1, #1\n bl add_i64\n ldp x29, x30, [sp], #16\n ret',
  nonzero: 'mov w0, #1\n ret',
  f16_id: 'ret',
  f128_id: 'ret',
  i8_on_stack: 'ldrb w0, [sp]\n ret',
  // Apple packs stack arguments at their natural sizes: bytes 0, 2-3 and 4-7.
  apple_stack: 'ldrsb x9, [sp]\n ldrsh x10, [sp, #2]\n ldrsw x11, [sp, #4]\n add x0, x9, x10\n add x0, x0, x11\n ret',
};

const TRAPS_CLIF = `test run
target aarch64

function %trap_on_zero(i64) -> i64 system_v {
block0(v0: i64):
    trapz v0, user1
    return v0
}
; run: %trap_on_zero(1) == 1
; run: %trap_on_zero(0) == 0
; run: %trap_on_zero(2) == 2

function %brk() -> i64 system_v {
block0:
    trap user1
}
`;

const TRAP_BODIES: Record<string, string> = {
  trap_on_zero: 'cbz x0, 1f\n ret\n1: udf #0',
  brk: 'brk #0',
};

const runIt = haveTools || missingToolchainIsFailure() ? describe : describe.skip;

runIt('executing hand-assembled functions under QEMU', () => {
  test('the toolchain is installed', () => {
    // Reached only under CI or with the tools: under CI a missing tool fails here.
    expect(status.message).toBe('');
  });

  test('every signature shape passes its run commands', () => {
    const r = only(runClifText('signatures.clif', SIGNATURES_CLIF, compilerFor(SIGNATURE_BODIES)));
    expect(r.message.split('\n').filter((l) => !l.startsWith('nonzero('))).toEqual([]);
    expect(r.status).toBe('pass');
    expect(r.report?.outcomes.map((o) => o.status).every((s) => s === 'pass')).toBe(true);
    expect(r.report?.outcomes).toHaveLength(30);
    expect(r.message).toBe('nonzero() = 1');
  });

  test('wrong expectations fail with the function, line, expected and actual values', () => {
    const text = SIGNATURES_CLIF.replace('; run: %add_i32(0x7fffffff, 1) == 0x80000000', '; run: %add_i32(0x7fffffff, 1) == 5')
      .replace('; run: %divmod(17, 5) == [3, 2, 0x1.8p1]', '; run: %divmod(17, 5) == [3, 3, 0x1.8p1]')
      .replace('; run: %add_i32(2, 3) != 6', '; run: %add_i32(2, 3) != 5');
    const r = only(runClifText('wrong.clif', text, compilerFor(SIGNATURE_BODIES)));
    expect(r.status).toBe('fail');
    const lines = r.message.split('\n');
    expect(lines).toContain('run: %add_i32(0x7fffffff, 1) == 5 (line 24): expected 5, got -2147483648');
    expect(lines).toContain('run: %add_i32(2, 3) != 5 (line 25): expected a result other than 5, got it');
    expect(lines).toContain('run: %divmod(17, 5) == [3, 3, 0x1.8p1] (line 98): expected [3, 3, 0x1.800000p1], got [3, 2, 0x1.800000p1]');
  });

  test('a trap is attributed to its run command and later commands are not run', () => {
    const r = only(runClifText('traps.clif', TRAPS_CLIF, compilerFor(TRAP_BODIES)));
    expect(r.status).toBe('fail');
    expect(r.report?.outcomes.map((o) => o.status)).toEqual(['pass', 'trap', 'not-run']);
    expect(r.report?.signal).toBe('SIGILL');
    expect(r.message).toContain('run: %trap_on_zero(0) == 0 (line 10): the call trapped (SIGILL)');
  });

  test('brk ends the process with SIGTRAP', () => {
    const sig = newSignature('system_v');
    sig.returns.push(abiParam(I64));
    const cmd = parseRunCommand('run: %brk() == 0', sig);
    const report = executeRunCommands([{ name: 'brk', signature: sig, code: assembleFunction(TRAP_BODIES.brk) }], [cmd]);
    expect(report.signal).toBe('SIGTRAP');
    expect(report.outcomes[0]).toMatchObject({ status: 'trap' });
  });

  test('a call to a function the file does not define, and a compile error, are reported', () => {
    const text = SIGNATURES_CLIF.replace(/function %add_i64[\s\S]*?\n}\n; run: %add_i64\(-1, 0x10\) == 15\n/, '');
    const bodies = { ...SIGNATURE_BODIES };
    const r = only(runClifText('undefined.clif', text.replace('fn0 = %add_i64', 'fn0 = %add_i64'), compilerFor(bodies)));
    expect(r.status).toBe('fail');
    expect(r.message).toContain("function calls_add refers to 'add_i64'");
    const r2 = only(runClifText('noasm.clif', SIGNATURES_CLIF, compilerFor({ ...SIGNATURE_BODIES, mixed: undefined as unknown as string })));
    expect(r2).toMatchObject({ status: 'fail', message: 'function %mixed (line 79): compilation failed: no assembly for mixed' });
  });

  test('a file without run commands passes without building anything; other targets are skipped', () => {
    const text = 'test run\ntarget x86_64\ntarget aarch64\nfunction %f() system_v {\nblock0:\n    return\n}\n';
    const records = runClifText('empty.clif', text, compilerFor({ f: 'ret' }));
    expect(records.map((r) => [r.target, r.status])).toEqual([
      ['x86_64', 'skip'],
      ['aarch64', 'pass'],
    ]);
  });
});
