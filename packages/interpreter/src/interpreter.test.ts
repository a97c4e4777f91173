// Tests of the execution loop on functions built with the IR API: control
// flow, calls (direct, indirect, tail, libcall), stack slots and memory
// flags, traps as values, run limits and typed errors, and SIMD lane
// operations against per-lane references.

import type { Type } from '@clift/ir';
import {
  F32,
  I16,
  I32,
  I64,
  I8,
  IntCC,
  MemFlagBit,
  MemFlags,
  Opcode,
  TrapCode,
  abiParam,
  dataValue,
  laneBits,
  laneCount,
  newSignature,
  opcodeName,
  typeName,
  vectorOf,
} from '@clift/ir';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Interpreter, InterpreterError } from './index.js';
import { binaryFunction, buildFunction, fibonacciLoop, i32, i64, i8, unaryFunction } from './__tests__/build.js';

function values(r: ReturnType<Interpreter['call']>): bigint[] {
  if (r.kind !== 'return') throw new Error(`trapped: ${String(r.code)} ${r.message}`);
  return r.values.map((v) => v.bits);
}

describe('control flow', () => {
  it('runs a loop with block arguments', () => {
    const interp = new Interpreter([fibonacciLoop(I32)]);
    expect(values(interp.call('fib', [i32(10)]))).toEqual([55n]);
    expect(values(interp.call('%fib', [i32(47)]))).toEqual([2971215073n]);
    const wide = new Interpreter([fibonacciLoop(I64)]);
    expect(values(wide.call('fib', [i64(90)]))).toEqual([2880067194370816120n]);
  });

  it('br_table picks the entry or the default', () => {
    const f = buildFunction('sel', [I32], [I32], (c, [x]) => {
      const blocks = [c.makeBlock(), c.makeBlock(), c.makeBlock()];
      c.ins().brTable(x, blocks[2], [blocks[0], blocks[1]]);
      blocks.forEach((b, i) => {
        c.gotoBottom(b);
        c.ins().return_([c.ins().iconst(I32, 10 + i)]);
      });
    });
    const interp = new Interpreter([f]);
    expect([0, 1, 2, 0xffffffff].map((x) => values(interp.call('sel', [i32(x)]))[0])).toEqual([10n, 11n, 12n, 12n]);
  });

  it('trapz/trapnz and trap return traps as values', () => {
    const f = buildFunction('t', [I32], [I32], (c, [x]) => {
      c.ins().trapz(x, TrapCode.user(7));
      c.ins().return_([x]);
    });
    const interp = new Interpreter([f]);
    expect(values(interp.call('t', [i32(3)]))).toEqual([3n]);
    expect(interp.call('t', [i32(0)])).toMatchObject({ kind: 'trap', code: 7 });
  });
});

/** Two functions: %callee(x) = x * 3, and %caller using call/func_addr/call_indirect/return_call. */
function callPair(kind: 'call' | 'indirect' | 'tail'): Interpreter {
  const callee = buildFunction('callee', [I64], [I64], (c, [x]) => {
    c.ins().return_([c.ins().imul(x, c.ins().iconst(I64, 3))]);
  });
  const caller = buildFunction('caller', [I64], [I64], (c, [x]) => {
    const f = c.func;
    const sig = newSignature();
    sig.params.push(abiParam(I64));
    sig.returns.push(abiParam(I64));
    const sigRef = f.dfg.importSignature(sig);
    const fn = f.dfg.importFunction({ name: { kind: 'testcase', name: 'callee' }, signature: sigRef, colocated: true, patchable: false });
    const y = c.ins().iadd(x, c.ins().iconst(I64, 1));
    if (kind === 'tail') {
      c.ins().build(Opcode.ReturnCall, 0 as Type, [y], fn);
      return;
    }
    const inst =
      kind === 'call'
        ? c.ins().call(fn, [y])
        : c.ins().callIndirect(sigRef, c.func.dfg.firstResult(c.ins().build(Opcode.FuncAddr, I64, [], fn)), [y]);
    c.ins().return_([c.func.dfg.firstResult(inst)]);
  });
  return new Interpreter([callee, caller]);
}

describe('calls', () => {
  for (const kind of ['call', 'indirect', 'tail'] as const) {
    it(`${kind} passes arguments and results`, () => {
      expect(values(callPair(kind).call('caller', [i64(4)]))).toEqual([15n]);
    });
  }

  it('deep recursion uses no JavaScript stack; the depth limit traps', () => {
    // %down(n) = n == 0 ? 0 : down(n - 1) + 1
    const f = buildFunction('down', [I32], [I32], (c, [n]) => {
      const sig = newSignature();
      sig.params.push(abiParam(I32));
      sig.returns.push(abiParam(I32));
      const fn = c.func.dfg.importFunction({ name: { kind: 'testcase', name: 'down' }, signature: c.func.dfg.importSignature(sig), colocated: true, patchable: false });
      const rec = c.makeBlock();
      const done = c.makeBlock();
      c.ins().brif(n, rec, [], done, []);
      c.gotoBottom(done);
      c.ins().return_([n]);
      c.gotoBottom(rec);
      const m = c.ins().isub(n, c.ins().iconst(I32, 1));
      const r = c.func.dfg.firstResult(c.ins().call(fn, [m]));
      c.ins().return_([c.ins().iadd(r, c.ins().iconst(I32, 1))]);
    });
    expect(values(new Interpreter([f], { maxCallDepth: 100_000 }).call('down', [i32(50_000)]))).toEqual([50_000n]);
    expect(new Interpreter([f], { maxCallDepth: 100 }).call('down', [i32(1000)])).toMatchObject({ kind: 'trap', code: 'stack_overflow_limit' });
  });

  it('calls a libcall named by a test-case name', () => {
    const f = buildFunction('c', [F32], [F32], (c, [x]) => {
      const sig = newSignature();
      sig.params.push(abiParam(F32));
      sig.returns.push(abiParam(F32));
      const fn = c.func.dfg.importFunction({ name: { kind: 'testcase', name: 'CeilF32' }, signature: c.func.dfg.importSignature(sig), colocated: false, patchable: false });
      c.ins().return_([c.func.dfg.firstResult(c.ins().call(fn, [x]))]);
    });
    expect(values(new Interpreter([f]).call('c', [dataValue(F32, 0x3f000000n)]))).toEqual([0x3f800000n]); // ceil(0.5) = 1
  });
});

describe('memory', () => {
  /** store `x` with `storeFlags` into a slot, load it back as `loadType` with `loadFlags`. */
  function roundTrip(t: Type, loadType: Type, storeFlags: MemFlags, loadFlags: MemFlags, offset = 0): Interpreter {
    return new Interpreter([
      buildFunction('m', [t], [loadType], (c, [x]) => {
        c.func.stackSlots.push({ kind: 'explicit_slot', size: 16, alignShift: undefined, key: undefined });
        const p = c.ins().stackAddr(I64, 0);
        c.ins().store(storeFlags, x, p, offset);
        c.ins().return_([c.ins().load(loadType, loadFlags, p, offset)]);
      }),
    ]);
  }
  const LE = MemFlags.with(MemFlags.new(), MemFlagBit.Little);
  const BE = MemFlags.with(MemFlags.new(), MemFlagBit.Big);

  it('stores and loads with endianness', () => {
    expect(values(roundTrip(I32, I32, LE, LE).call('m', [i32(0x12345678)]))).toEqual([0x12345678n]);
    expect(values(roundTrip(I32, I32, LE, BE).call('m', [i32(0x12345678)]))).toEqual([0x78563412n]);
    expect(values(roundTrip(I64, I16, BE, BE, 8).call('m', [i64(0x1122334455667788n)]))).toEqual([0x1122n]);
  });

  it('out-of-bounds accesses trap with the flags code; notrap ones are undefined behaviour', () => {
    const oob = (flags: MemFlags): Interpreter =>
      new Interpreter([
        buildFunction('oob', [I64], [I32], (c, [p]) => {
          c.ins().return_([c.ins().load(I32, flags, p)]);
        }),
      ]);
    expect(oob(MemFlags.new()).call('oob', [i64(0)])).toMatchObject({ kind: 'trap', code: TrapCode.HEAP_OUT_OF_BOUNDS });
    expect(oob(MemFlags.withTrapCode(MemFlags.new(), TrapCode.user(9))).call('oob', [i64(16)])).toMatchObject({ kind: 'trap', code: 9 });
    expect(() => oob(MemFlags.trusted()).call('oob', [i64(0)])).toThrow(InterpreterError);
  });
});

describe('limits and errors', () => {
  it('an unbounded loop stops at the step limit with a typed error', () => {
    const f = buildFunction('spin', [], [], (c) => {
      const b = c.makeBlock();
      c.ins().jump(b);
      c.gotoBottom(b);
      c.ins().jump(b);
    });
    const interp = new Interpreter([f], { stepLimit: 1000 });
    try {
      interp.call('spin', []);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InterpreterError);
      expect((e as InterpreterError).kind).toBe('step_limit');
    }
  });

  it('unknown functions and mismatched arguments are typed errors', () => {
    const interp = new Interpreter([fibonacciLoop(I32)]);
    expect(() => interp.call('nope', [])).toThrow(expect.objectContaining({ kind: 'unknown_function' }) as Error);
    expect(() => interp.call('fib', [])).toThrow(expect.objectContaining({ kind: 'argument_mismatch' }) as Error);
    expect(() => interp.call('fib', [i64(1)])).toThrow(expect.objectContaining({ kind: 'argument_mismatch' }) as Error);
  });

  it('a function the verifier would reject fails with a typed error naming the instruction', () => {
    const f = buildFunction('bad', [I32, I64], [I32], (c, [x, y]) => {
      c.ins().return_([c.ins().iadd(x, y)]);
    });
    expect(() => new Interpreter([f]).call('bad', [i32(1), i64(2)])).toThrow(
      expect.objectContaining({ kind: 'invalid_function', message: expect.stringContaining('(iadd)') as string }) as Error,
    );
  });

  it('integer division traps', () => {
    const interp = new Interpreter([binaryFunction(Opcode.Sdiv, I8)]);
    expect(interp.call('f', [i8(1), i8(0)])).toMatchObject({ kind: 'trap', code: TrapCode.INTEGER_DIVISION_BY_ZERO });
    expect(interp.call('f', [i8(-128), i8(-1)])).toMatchObject({ kind: 'trap', code: TrapCode.INTEGER_OVERFLOW });
  });
});

describe('SIMD lanes match per-lane references', () => {
  const lanesOf = (t: Type, v: bigint): bigint[] =>
    Array.from({ length: laneCount(t) }, (_, i) => BigInt.asUintN(laneBits(t), v >> BigInt(i * laneBits(t))));
  const join = (t: Type, xs: readonly bigint[]): bigint =>
    xs.reduceRight((acc, x) => (acc << BigInt(laneBits(t))) | BigInt.asUintN(laneBits(t), x), 0n);
  const vec = (t: Type): fc.Arbitrary<bigint> => fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((x) => BigInt.asUintN(laneBits(t) * laneCount(t), x));
  const s = (w: number, x: bigint): bigint => BigInt.asIntN(w, x);

  const types = [vectorOf(I8, 16), vectorOf(I16, 8), vectorOf(I32, 4), vectorOf(I64, 2), vectorOf(I16, 4)];
  const lanewise: [Opcode, (w: number, x: bigint, y: bigint) => bigint][] = [
    [Opcode.Iadd, (_w, x, y) => x + y],
    [Opcode.Isub, (_w, x, y) => x - y],
    [Opcode.Imul, (_w, x, y) => x * y],
    [Opcode.Smin, (w, x, y) => (s(w, x) < s(w, y) ? x : y)],
    [Opcode.Umax, (_w, x, y) => (x > y ? x : y)],
    [Opcode.AvgRound, (_w, x, y) => (x + y + 1n) >> 1n],
    [Opcode.SaddSat, (w, x, y) => { const r = s(w, x) + s(w, y); const m = 1n << BigInt(w - 1); return r < -m ? -m : r >= m ? m - 1n : r; }],
    [Opcode.UsubSat, (_w, x, y) => (x > y ? x - y : 0n)],
  ];
  for (const t of types) {
    for (const [op, ref] of lanewise) {
      if (op === Opcode.AvgRound && laneBits(t) === 64) continue; // avg_round is defined for i8/i16/i32 lanes only
      if ((op === Opcode.SaddSat || op === Opcode.UsubSat) && laneBits(t) > 16) continue; // saturating ops exist for i8/i16 lanes
      it(`${opcodeName(op)} ${typeName(t)}`, () => {
        const interp = new Interpreter([binaryFunction(op, t)]);
        fc.assert(
          fc.property(vec(t), vec(t), (x, y) => {
            const xs = lanesOf(t, x);
            const ys = lanesOf(t, y);
            expect(values(interp.call('f', [dataValue(t, x), dataValue(t, y)]))).toEqual([join(t, xs.map((a, i) => ref(laneBits(t), a, ys[i])))]);
          }),
          { numRuns: 100 },
        );
      });
    }
  }

  it('icmp on vectors gives all-ones lanes; vhigh_bits collects sign bits', () => {
    const t = vectorOf(I32, 4);
    const cmp = new Interpreter([
      buildFunction('f', [t, t], [t], (c, [x, y]) => {
        c.ins().return_([c.ins().icmp(IntCC.SignedLessThan, x, y)]);
      }),
    ]);
    const hb = new Interpreter([unaryFunction(Opcode.VhighBits, t, I8)]);
    fc.assert(
      fc.property(vec(t), vec(t), (x, y) => {
        const xs = lanesOf(t, x);
        const ys = lanesOf(t, y);
        expect(values(cmp.call('f', [dataValue(t, x), dataValue(t, y)]))).toEqual([join(t, xs.map((a, i) => (s(32, a) < s(32, ys[i]) ? 0xffffffffn : 0n)))]);
        expect(values(hb.call('f', [dataValue(t, x)]))).toEqual([xs.reduce((m, a, i) => m | ((a >> 31n) << BigInt(i)), 0n)]);
      }),
    );
  });

  it('snarrow, uwiden_high and iadd_pairwise', () => {
    const t = vectorOf(I32, 4);
    const narrow = new Interpreter([binaryFunction(Opcode.Snarrow, t)]);
    const widen = new Interpreter([unaryFunction(Opcode.UwidenHigh, t)]);
    const pairs = new Interpreter([binaryFunction(Opcode.IaddPairwise, t)]);
    const sat16 = (x: bigint): bigint => (x < -32768n ? -32768n : x > 32767n ? 32767n : x);
    fc.assert(
      fc.property(vec(t), vec(t), (x, y) => {
        const xs = lanesOf(t, x);
        const ys = lanesOf(t, y);
        expect(values(narrow.call('f', [dataValue(t, x), dataValue(t, y)]))).toEqual([join(vectorOf(I16, 8), [...xs, ...ys].map((a) => sat16(s(32, a))))]);
        expect(values(widen.call('f', [dataValue(t, x)]))).toEqual([join(vectorOf(I64, 2), xs.slice(2))]);
        expect(values(pairs.call('f', [dataValue(t, x), dataValue(t, y)]))).toEqual([join(t, [xs[0] + xs[1], xs[2] + xs[3], ys[0] + ys[1], ys[2] + ys[3]])]);
      }),
    );
  });
});
