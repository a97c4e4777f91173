// Property tests for float opcodes at f16, f32, f64 and f128: results are
// checked bit for bit against exact rational arithmetic rounded to nearest,
// ties to even, by a reference written here over BigInt fractions
// (independent of softfloat.ts). Also CLIF's NaN, signed-zero, rounding and
// conversion rules.

import type { DataValue, Opcode as OpcodeT, Type } from '@clift/ir';
import {
  F128,
  F16,
  F32,
  F64,
  FloatCC,
  I32,
  I64,
  I8,
  Opcode,
  TrapCode,
  dataValue,
  opcodeName,
  typeBits,
  typeName,
} from '@clift/ir';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Interpreter } from './index.js';
import { binaryFunction, buildFunction, ternaryFunction, unaryFunction } from './__tests__/build.js';

interface Fmt {
  e: number;
  m: number;
}
const FMTS = new Map<Type, Fmt>([
  [F16, { e: 5, m: 10 }],
  [F32, { e: 8, m: 23 }],
  [F64, { e: 11, m: 52 }],
  [F128, { e: 15, m: 112 }],
]);

/** A rational num/den with den > 0. */
interface Q {
  n: bigint;
  d: bigint;
}

function fmtOf(t: Type): Fmt {
  const f = FMTS.get(t);
  if (!f) throw new Error(`no float type ${t}`);
  return f;
}

function isFiniteBits(f: Fmt, x: bigint): boolean {
  return ((x >> BigInt(f.m)) & ((1n << BigInt(f.e)) - 1n)) !== (1n << BigInt(f.e)) - 1n;
}

/** The exact value of finite bits. */
function toQ(f: Fmt, x: bigint): Q {
  const bias = (1 << (f.e - 1)) - 1;
  const neg = (x >> BigInt(f.e + f.m)) & 1n;
  const ex = Number((x >> BigInt(f.m)) & ((1n << BigInt(f.e)) - 1n));
  const frac = x & ((1n << BigInt(f.m)) - 1n);
  const sig = ex === 0 ? frac : frac | (1n << BigInt(f.m));
  const exp = (ex === 0 ? 1 - bias : ex - bias) - f.m;
  const n = neg ? -sig : sig;
  return exp >= 0 ? { n: n << BigInt(exp), d: 1n } : { n, d: 1n << BigInt(-exp) };
}

const add = (a: Q, b: Q): Q => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const mul = (a: Q, b: Q): Q => ({ n: a.n * b.n, d: a.d * b.d });
const div = (a: Q, b: Q): Q => (b.n < 0n ? { n: -a.n * b.d, d: a.d * -b.n } : { n: a.n * b.d, d: a.d * b.n });
const neg = (a: Q): Q => ({ n: -a.n, d: a.d });
const cmpQ = (a: Q, b: Q): number => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};

/** Reference rounding of a nonzero rational to format f (nearest, ties to even). */
function roundQ(f: Fmt, q: Q): bigint {
  const sign = q.n < 0n ? 1n << BigInt(f.e + f.m) : 0n;
  const n = q.n < 0n ? -q.n : q.n;
  const d = q.d;
  const bias = (1 << (f.e - 1)) - 1;
  // E = floor(log2(n / d)), found by comparison.
  let E = n.toString(2).length - d.toString(2).length;
  const geq = (k: number): boolean => (k >= 0 ? n >= d << BigInt(k) : n << BigInt(-k) >= d);
  while (!geq(E)) E--;
  while (geq(E + 1)) E++;
  let qe = Math.max(E, 1 - bias) - f.m;
  let sn = n;
  let sd = d;
  if (qe >= 0) sd <<= BigInt(qe);
  else sn <<= BigInt(-qe);
  let M = sn / sd;
  const r2 = 2n * (sn - M * sd);
  if (r2 > sd || (r2 === sd && (M & 1n) === 1n)) M += 1n;
  if (M === 1n << BigInt(f.m + 1)) {
    M >>= 1n;
    qe += 1;
  }
  if (M < 1n << BigInt(f.m)) return sign | M;
  const biased = qe + f.m + bias;
  if (biased >= (1 << f.e) - 1) return sign | (((1n << BigInt(f.e)) - 1n) << BigInt(f.m));
  return sign | (BigInt(biased) << BigInt(f.m)) | (M - (1n << BigInt(f.m)));
}

/** Finite patterns: fully random, plus sign/exponent/fraction mixes near one exponent. */
function finite(t: Type): fc.Arbitrary<bigint> {
  const f = fmtOf(t);
  const w = typeBits(t);
  const maxE = (1 << f.e) - 2;
  const near = fc
    .tuple(fc.boolean(), fc.integer({ min: Math.max(0, (1 << (f.e - 1)) - 30), max: Math.min(maxE, (1 << (f.e - 1)) + 30) }), fc.bigInt({ min: 0n, max: (1n << BigInt(f.m)) - 1n }))
    .map(([s, e, m]) => (s ? 1n << BigInt(w - 1) : 0n) | (BigInt(e) << BigInt(f.m)) | m);
  const sub = fc
    .tuple(fc.boolean(), fc.integer({ min: 0, max: 2 }), fc.bigInt({ min: 0n, max: (1n << BigInt(f.m)) - 1n }))
    .map(([s, e, m]) => (s ? 1n << BigInt(w - 1) : 0n) | (BigInt(e) << BigInt(f.m)) | m);
  const any = fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n }).filter((x) => isFiniteBits(f, x));
  return fc.oneof(near, sub, any);
}

function result(interp: Interpreter, args: DataValue[]): bigint {
  const r = interp.call('f', args);
  if (r.kind !== 'return') throw new Error(`unexpected trap ${r.code}`);
  return r.values[0].bits;
}

const FLOATS: readonly Type[] = [F16, F32, F64, F128];

describe('arithmetic is correctly rounded (against exact rationals)', () => {
  const ops: readonly (readonly [OpcodeT, (a: Q, b: Q) => Q])[] = [
    [Opcode.Fadd, add],
    [Opcode.Fsub, (a, b) => add(a, neg(b))],
    [Opcode.Fmul, mul],
    [Opcode.Fdiv, div],
  ];
  for (const [op, ref] of ops) {
    for (const t of FLOATS) {
      it(`${opcodeName(op)} ${typeName(t)}`, () => {
        const f = fmtOf(t);
        const interp = new Interpreter([binaryFunction(op, t)]);
        fc.assert(
          fc.property(finite(t), finite(t), (x, y) => {
            const qy = toQ(f, y);
            if (op === Opcode.Fdiv && qy.n === 0n) return;
            const exact = ref(toQ(f, x), qy);
            if (exact.n === 0n) return; // zero signs are tested separately
            expect(result(interp, [dataValue(t, x), dataValue(t, y)])).toBe(roundQ(f, exact));
          }),
          { numRuns: 300 },
        );
      });
    }
  }

  for (const t of FLOATS) {
    it(`fma ${typeName(t)} rounds once`, () => {
      const f = fmtOf(t);
      const interp = new Interpreter([ternaryFunction(Opcode.Fma, [t, t, t])]);
      fc.assert(
        fc.property(finite(t), finite(t), finite(t), (x, y, z) => {
          const exact = add(mul(toQ(f, x), toQ(f, y)), toQ(f, z));
          if (exact.n === 0n) return;
          expect(result(interp, [dataValue(t, x), dataValue(t, y), dataValue(t, z)])).toBe(roundQ(f, exact));
        }),
        { numRuns: 300 },
      );
    });

    it(`sqrt ${typeName(t)} is the nearest root`, () => {
      const f = fmtOf(t);
      const interp = new Interpreter([unaryFunction(Opcode.Sqrt, t)]);
      fc.assert(
        fc.property(finite(t), (x0) => {
          const x = x0 & ((1n << BigInt(typeBits(t) - 1)) - 1n); // non-negative
          const qx = toQ(f, x);
          if (qx.n === 0n) return;
          const r = result(interp, [dataValue(t, x)]);
          // The exact root lies between the midpoints to r's neighbours.
          const qr = toQ(f, r);
          const lo = r === 0n ? qr : { n: toQ(f, r - 1n).n * qr.d + qr.n * toQ(f, r - 1n).d, d: 2n * qr.d * toQ(f, r - 1n).d };
          const up = toQ(f, r + 1n);
          const hi = { n: up.n * qr.d + qr.n * up.d, d: 2n * qr.d * up.d };
          expect(cmpQ(mul(lo, lo), qx)).toBeLessThanOrEqual(0);
          expect(cmpQ(mul(hi, hi), qx)).toBeGreaterThanOrEqual(0);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('conversions', () => {
  const demotions: [Type, Type][] = [[F64, F32], [F32, F16], [F64, F16], [F128, F64], [F128, F32], [F128, F16]];
  for (const [from, to] of demotions) {
    it(`fdemote ${typeName(from)} -> ${typeName(to)} and fpromote back`, () => {
      const demote = new Interpreter([unaryFunction(Opcode.Fdemote, from, to)]);
      const promote = new Interpreter([unaryFunction(Opcode.Fpromote, to, from)]);
      fc.assert(
        fc.property(finite(from), finite(to), (x, y) => {
          const q = toQ(fmtOf(from), x);
          if (q.n !== 0n) expect(result(demote, [dataValue(from, x)])).toBe(roundQ(fmtOf(to), q));
          const qy = toQ(fmtOf(to), y);
          if (qy.n !== 0n) expect(result(promote, [dataValue(to, y)])).toBe(roundQ(fmtOf(from), qy));
        }),
        { numRuns: 300 },
      );
    });
  }

  for (const t of FLOATS) {
    it(`fcvt_from_sint/uint i64 -> ${typeName(t)} rounds once`, () => {
      const s = new Interpreter([unaryFunction(Opcode.FcvtFromSint, I64, t)]);
      const u = new Interpreter([unaryFunction(Opcode.FcvtFromUint, I64, t)]);
      fc.assert(
        fc.property(fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), (x) => {
          expect(result(u, [dataValue(I64, x)])).toBe(roundQ(fmtOf(t), { n: x, d: 1n }));
          const sx = BigInt.asIntN(64, x);
          expect(result(s, [dataValue(I64, x)])).toBe(roundQ(fmtOf(t), { n: sx, d: 1n }));
        }),
        { numRuns: 300 },
      );
    });

    it(`fcvt_to_sint ${typeName(t)} -> i32 truncates, traps on NaN and overflow; _sat clamps`, () => {
      const trapping = new Interpreter([unaryFunction(Opcode.FcvtToSint, t, I32)]);
      const sat = new Interpreter([unaryFunction(Opcode.FcvtToSintSat, t, I32)]);
      const f = fmtOf(t);
      fc.assert(
        fc.property(finite(t), (x) => {
          const q = toQ(f, x);
          const tr = q.n / q.d; // BigInt division truncates toward zero
          const r = trapping.call('f', [dataValue(t, x)]);
          const inRange = tr >= -(1n << 31n) && tr < 1n << 31n;
          if (inRange) expect(r).toEqual({ kind: 'return', values: [dataValue(I32, tr)] });
          else expect(r).toMatchObject({ kind: 'trap', code: TrapCode.INTEGER_OVERFLOW });
          const clamped = tr < -(1n << 31n) ? -(1n << 31n) : tr >= 1n << 31n ? (1n << 31n) - 1n : tr;
          expect(result(sat, [dataValue(t, x)])).toBe(BigInt.asUintN(32, clamped));
        }),
        { numRuns: 200 },
      );
      const nan = ((1n << BigInt(f.e)) - 1n) << BigInt(f.m) | 1n;
      expect(trapping.call('f', [dataValue(t, nan)])).toMatchObject({ kind: 'trap', code: TrapCode.BAD_CONVERSION_TO_INTEGER });
      expect(result(sat, [dataValue(t, nan)])).toBe(0n);
    });
  }
});

describe('NaN and signed-zero rules', () => {
  const f32 = (x: number): bigint => {
    const b = new DataView(new ArrayBuffer(4));
    b.setFloat32(0, x);
    return BigInt(b.getUint32(0));
  };
  const QNAN = 0x7fc00000n;

  it('a NaN operand propagates quieted; a created NaN is the default NaN', () => {
    const interp = new Interpreter([binaryFunction(Opcode.Fadd, F32)]);
    expect(result(interp, [dataValue(F32, 0xff800001n), dataValue(F32, f32(1))])).toBe(0xffc00001n); // -sNaN:0x1 quieted
    expect(result(interp, [dataValue(F32, f32(1)), dataValue(F32, 0x7fc00005n)])).toBe(0x7fc00005n);
    // A signalling NaN wins over an earlier quiet one.
    expect(result(interp, [dataValue(F32, 0x7fc00005n), dataValue(F32, 0x7f800003n)])).toBe(0x7fc00003n);
    expect(result(interp, [dataValue(F32, f32(Infinity)), dataValue(F32, f32(-Infinity))])).toBe(QNAN);
  });

  it('exact zero sums are +0 unless both operands are -0', () => {
    const interp = new Interpreter([binaryFunction(Opcode.Fadd, F128)]);
    const negZero = 1n << 127n;
    const one = 0x3fffn << 112n;
    expect(result(interp, [dataValue(F128, one), dataValue(F128, one | negZero)])).toBe(0n);
    expect(result(interp, [dataValue(F128, negZero), dataValue(F128, negZero)])).toBe(negZero);
    expect(result(interp, [dataValue(F128, 0n), dataValue(F128, negZero)])).toBe(0n);
  });

  for (const t of FLOATS) {
    it(`fmin/fmax order -0 below +0 and return NaN for NaN operands (${typeName(t)})`, () => {
      const f = fmtOf(t);
      const negZero = 1n << BigInt(typeBits(t) - 1);
      const qnan = (((1n << BigInt(f.e)) - 1n) << BigInt(f.m)) | (1n << BigInt(f.m - 1));
      const min = new Interpreter([binaryFunction(Opcode.Fmin, t)]);
      const max = new Interpreter([binaryFunction(Opcode.Fmax, t)]);
      for (const [a, b] of [[0n, negZero], [negZero, 0n]]) {
        expect(result(min, [dataValue(t, a), dataValue(t, b)])).toBe(negZero);
        expect(result(max, [dataValue(t, a), dataValue(t, b)])).toBe(0n);
      }
      expect(result(min, [dataValue(t, 0n), dataValue(t, qnan)])).toBe(qnan);
      expect(result(max, [dataValue(t, qnan), dataValue(t, 0n)])).toBe(qnan);
    });
  }

  it('nearest rounds ties to even; ceil/floor/trunc keep the sign of zero', () => {
    const cases: [OpcodeT, number, number][] = [
      [Opcode.Nearest, 2.5, 2],
      [Opcode.Nearest, 3.5, 4],
      [Opcode.Nearest, -0.5, -0],
      [Opcode.Nearest, 0.5, 0],
      [Opcode.Nearest, 1.5, 2],
      [Opcode.Ceil, -0.5, -0],
      [Opcode.Floor, 0.5, 0],
      [Opcode.Floor, -0.5, -1],
      [Opcode.Trunc, -0.7, -0],
    ];
    for (const t of [F16, F32]) {
      for (const [op, x, want] of cases) {
        const interp = new Interpreter([unaryFunction(op, t)]);
        const conv = new Interpreter([unaryFunction(Opcode.Fpromote, F32, F64)]);
        const arg = t === F32 ? f32(x) : result(new Interpreter([unaryFunction(Opcode.Fdemote, F32, F16)]), [dataValue(F32, f32(x))]);
        const r = result(interp, [dataValue(t, arg)]);
        const r32 = t === F32 ? r : result(new Interpreter([unaryFunction(Opcode.Fpromote, F16, F32)]), [dataValue(F16, r)]);
        const r64 = result(conv, [dataValue(F32, r32)]);
        const view = new DataView(new ArrayBuffer(8));
        view.setBigUint64(0, r64);
        expect(Object.is(view.getFloat64(0), want), `${opcodeName(op)}.${typeName(t)}(${x})`).toBe(true);
      }
    }
  });

  it('fcmp is unordered with NaN and treats -0 == +0', () => {
    const f = (cc: number) =>
      new Interpreter([
        buildFunction('f', [F64, F64], [I8], (c, [x, y]) => {
          c.ins().return_([c.ins().fcmp(cc as FloatCC, x, y)]);
        }),
      ]);
    const nan = 0x7ff8000000000000n;
    const negZero = 1n << 63n;
    expect(result(f(FloatCC.Equal), [dataValue(F64, 0n), dataValue(F64, negZero)])).toBe(1n);
    expect(result(f(FloatCC.Equal), [dataValue(F64, nan), dataValue(F64, nan)])).toBe(0n);
    expect(result(f(FloatCC.Unordered), [dataValue(F64, nan), dataValue(F64, 0n)])).toBe(1n);
    expect(result(f(FloatCC.UnorderedOrLessThan), [dataValue(F64, nan), dataValue(F64, 0n)])).toBe(1n);
    expect(result(f(FloatCC.LessThan), [dataValue(F64, nan), dataValue(F64, 0n)])).toBe(0n);
  });
});
