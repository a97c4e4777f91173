// Constant folding and condition combining that the rules rely on, checked
// against values computed independently (IEEE-754 bit patterns written out,
// comparisons evaluated on every ordering of sample operands).

import { describe, expect, test } from 'vitest';
import { F32, F64, I8, I32, I64, IntCC, Opcode } from '@clift/ir';
import { foldFloatBinary, foldFloatUnary, foldIcmp, foldIntToFloat } from '../src/fold.js';
import { combineConditions } from '../src/egraph.js';

const f64 = (x: number): bigint => {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  return v.getBigUint64(0);
};

describe('float folding', () => {
  test('nearest rounds ties to even and keeps the sign of zero', () => {
    const cases: [number, number][] = [[2.5, 2], [3.5, 4], [-2.5, -2], [-3.5, -4], [0.5, 0], [-0.5, -0], [-0.4, -0], [1.4999, 1], [2 ** 60 + 2 ** 8, 2 ** 60 + 2 ** 8]];
    for (const [x, r] of cases) expect(foldFloatUnary(F64, Opcode.Nearest, f64(x)), `${x}`).toBe(f64(r));
  });
  test('ceil, floor and trunc keep -0 where IEEE-754 does; NaN is not folded', () => {
    expect(foldFloatUnary(F64, Opcode.Ceil, f64(-0.5))).toBe(f64(-0));
    expect(foldFloatUnary(F64, Opcode.Floor, f64(-0.5))).toBe(f64(-1));
    expect(foldFloatUnary(F64, Opcode.Trunc, f64(-1.5))).toBe(f64(-1));
    expect(foldFloatUnary(F64, Opcode.Ceil, f64(NaN))).toBeUndefined();
    expect(foldFloatUnary(F32, Opcode.Floor, 0xc0200000n)).toBe(0xc0400000n); // -2.5 -> -3
  });
  test('fmin/fmax order the zeros, copysign is bitwise even on NaN', () => {
    expect(foldFloatBinary(F64, Opcode.Fmin, f64(0), f64(-0))).toBe(f64(-0));
    expect(foldFloatBinary(F64, Opcode.Fmax, f64(-0), f64(0))).toBe(f64(0));
    expect(foldFloatBinary(F64, Opcode.Fmin, f64(NaN), f64(1))).toBeUndefined();
    expect(foldFloatBinary(F32, Opcode.Fcopysign, 0x7fc00000n, 0x80000000n)).toBe(0xffc00000n);
  });
  test('integer to float conversions round once, or are not folded', () => {
    expect(foldIntToFloat(Opcode.FcvtFromSint, F64, I32, 0xffffffffn)).toBe(f64(-1));
    expect(foldIntToFloat(Opcode.FcvtFromUint, F64, I32, 0xffffffffn)).toBe(f64(4294967295));
    expect(foldIntToFloat(Opcode.FcvtFromUint, F32, I32, 0xffffffffn)).toBe(0x4f800000n); // 2^32
    // 2^64 - 1 does not fit 53 bits: f32 would round twice through f64.
    expect(foldIntToFloat(Opcode.FcvtFromUint, F32, I64, (1n << 64n) - 1n)).toBeUndefined();
  });
});

describe('combining comparisons of the same operands', () => {
  const ALL = Object.values(IntCC);
  const samples: [bigint, bigint][] = [[1n, 2n], [2n, 2n], [3n, 2n], [0xffn, 1n], [1n, 0xffn], [0x80n, 0x7fn]];
  for (const op of [Opcode.Band, Opcode.Bor, Opcode.Bxor]) {
    test(`${op === Opcode.Band ? 'band' : op === Opcode.Bor ? 'bor' : 'bxor'} of every pair agrees with evaluating both`, () => {
      let combined = 0;
      for (const a of ALL) {
        for (const b of ALL) {
          const code = combineConditions(op, a, b);
          const signed = (c: IntCC) => c >= IntCC.SignedLessThan && c <= IntCC.SignedLessThanOrEqual;
          const unsigned = (c: IntCC) => c >= IntCC.UnsignedLessThan;
          if ((signed(a) && unsigned(b)) || (unsigned(a) && signed(b))) {
            expect(code).toBeUndefined();
            continue;
          }
          expect(code).toBeDefined();
          combined++;
          for (const [x, y] of samples) {
            const l = foldIcmp(I8, a, x, y);
            const r = foldIcmp(I8, b, x, y);
            const want = op === Opcode.Band ? l & r : op === Opcode.Bor ? l | r : l ^ r;
            const got = code === 10 ? 0n : code === 11 ? 1n : foldIcmp(I8, code as IntCC, x, y);
            expect(got, `${a} ${b} on ${x}, ${y}`).toBe(want);
          }
        }
      }
      expect(combined).toBe(100 - 32);
    });
  }
});
