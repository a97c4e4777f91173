// Property tests: every integer opcode at every width (i8 … i128), run
// through the interpreter on built functions, against reference
// implementations written directly over unbounded BigInts (or strings of
// bits), independent of intops.ts.

import type { DataValue, Opcode as OpcodeT, Type } from '@clift/ir';
import { I128, I16, I32, I64, I8, Opcode, TrapCode, dataValue, opcodeName, typeBits, typeName } from '@clift/ir';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Interpreter } from './index.js';
import { binaryFunction, ternaryFunction, unaryFunction } from './__tests__/build.js';

const INT_TYPES: readonly Type[] = [I8, I16, I32, I64, I128];

const u = (w: number, x: bigint): bigint => BigInt.asUintN(w, x);
const s = (w: number, x: bigint): bigint => BigInt.asIntN(w, x);

/** Random w-bit patterns, biased towards edge values. */
function bits(w: number): fc.Arbitrary<bigint> {
  const max = (1n << BigInt(w)) - 1n;
  const edges = [0n, 1n, 2n, max, max - 1n, 1n << BigInt(w - 1), (1n << BigInt(w - 1)) - 1n];
  return fc.oneof(fc.constantFrom(...edges), fc.bigInt({ min: 0n, max }));
}

function run(interp: Interpreter, args: DataValue[]): bigint[] | string {
  const r = interp.call('f', args);
  if (r.kind === 'trap') return `trap ${r.code}`;
  return r.values.map((v) => v.bits);
}

type Ref2 = (w: number, x: bigint, y: bigint) => bigint[] | string;

const binaryRefs: readonly (readonly [OpcodeT, Ref2])[] = [
  [Opcode.Iadd, (w, x, y) => [u(w, x + y)]],
  [Opcode.Isub, (w, x, y) => [u(w, x - y)]],
  [Opcode.Imul, (w, x, y) => [u(w, x * y)]],
  [Opcode.Umulhi, (w, x, y) => [u(w, (x * y) >> BigInt(w))]],
  [Opcode.Smulhi, (w, x, y) => [u(w, (s(w, x) * s(w, y)) >> BigInt(w))]],
  [Opcode.Udiv, (w, x, y) => (y === 0n ? `trap ${TrapCode.INTEGER_DIVISION_BY_ZERO}` : [x / y])],
  [Opcode.Urem, (w, x, y) => (y === 0n ? `trap ${TrapCode.INTEGER_DIVISION_BY_ZERO}` : [x % y])],
  [
    Opcode.Sdiv,
    (w, x, y) => {
      if (y === 0n) return `trap ${TrapCode.INTEGER_DIVISION_BY_ZERO}`;
      const q = s(w, x) / s(w, y); // BigInt division truncates toward zero
      if (q === 1n << BigInt(w - 1)) return `trap ${TrapCode.INTEGER_OVERFLOW}`;
      return [u(w, q)];
    },
  ],
  [Opcode.Srem, (w, x, y) => (y === 0n ? `trap ${TrapCode.INTEGER_DIVISION_BY_ZERO}` : [u(w, s(w, x) % s(w, y))])],
  [Opcode.Band, (_w, x, y) => [x & y]],
  [Opcode.Bor, (_w, x, y) => [x | y]],
  [Opcode.Bxor, (_w, x, y) => [x ^ y]],
  [Opcode.BandNot, (w, x, y) => [x & u(w, ~y)]],
  [Opcode.BorNot, (w, x, y) => [u(w, x | ~y)]],
  [Opcode.BxorNot, (w, x, y) => [u(w, x ^ ~y)]],
  [Opcode.Ishl, (w, x, y) => [u(w, x << y % BigInt(w))]],
  [Opcode.Ushr, (w, x, y) => [x >> y % BigInt(w)]],
  [Opcode.Sshr, (w, x, y) => [u(w, s(w, x) >> y % BigInt(w))]],
  [Opcode.Rotl, (w, x, y) => { const k = y % BigInt(w); return [u(w, (x << k) | (x >> (BigInt(w) - k)))]; }],
  [Opcode.Rotr, (w, x, y) => { const k = y % BigInt(w); return [u(w, (x >> k) | (x << (BigInt(w) - k)))]; }],
  [Opcode.Smin, (w, x, y) => [s(w, x) < s(w, y) ? x : y]],
  [Opcode.Smax, (w, x, y) => [s(w, x) > s(w, y) ? x : y]],
  [Opcode.Umin, (_w, x, y) => [x < y ? x : y]],
  [Opcode.Umax, (_w, x, y) => [x > y ? x : y]],
  [Opcode.UaddOverflow, (w, x, y) => [u(w, x + y), x + y >= 1n << BigInt(w) ? 1n : 0n]],
  [Opcode.UsubOverflow, (w, x, y) => [u(w, x - y), x < y ? 1n : 0n]],
  [Opcode.SaddOverflow, (w, x, y) => { const r = s(w, x) + s(w, y); return [u(w, r), r === s(w, r) ? 0n : 1n]; }],
  [Opcode.SsubOverflow, (w, x, y) => { const r = s(w, x) - s(w, y); return [u(w, r), r === s(w, r) ? 0n : 1n]; }],
];

// umul_overflow/smul_overflow exist up to i64 (upstream's NarrowInt).
const mulOverflowRefs: readonly (readonly [OpcodeT, Ref2])[] = [
  [Opcode.UmulOverflow, (w, x, y) => [u(w, x * y), x * y >= 1n << BigInt(w) ? 1n : 0n]],
  [Opcode.SmulOverflow, (w, x, y) => { const r = s(w, x) * s(w, y); return [u(w, r), r === s(w, r) ? 0n : 1n]; }],
];

describe('binary integer opcodes match BigInt references', () => {
  for (const [op, ref] of [...binaryRefs, ...mulOverflowRefs]) {
    const types = mulOverflowRefs.some(([o]) => o === op) ? INT_TYPES.filter((t) => t !== I128) : INT_TYPES;
    for (const t of types) {
      const w = typeBits(t);
      it(`${opcodeName(op)} ${typeName(t)}`, () => {
        const interp = new Interpreter([binaryFunction(op, t)]);
        fc.assert(
          fc.property(bits(w), bits(w), (x, y) => {
            expect(run(interp, [dataValue(t, x), dataValue(t, y)])).toEqual(ref(w, x, y));
          }),
          { numRuns: 150 },
        );
      });
    }
  }
});

function bitString(w: number, x: bigint): string {
  return x.toString(2).padStart(w, '0');
}

const unaryRefs: readonly (readonly [OpcodeT, (w: number, x: bigint) => bigint])[] = [
  [Opcode.Ineg, (w, x) => u(w, -x)],
  [Opcode.Iabs, (w, x) => u(w, s(w, x) < 0n ? -s(w, x) : x)],
  [Opcode.Bnot, (w, x) => u(w, ~x)],
  [Opcode.Clz, (w, x) => BigInt(bitString(w, x).indexOf('1') < 0 ? w : bitString(w, x).indexOf('1'))],
  [Opcode.Ctz, (w, x) => { const b = bitString(w, x); return BigInt(b.lastIndexOf('1') < 0 ? w : w - 1 - b.lastIndexOf('1')); }],
  [Opcode.Cls, (w, x) => { const b = bitString(w, x); let n = 1; while (n < w && b[n] === b[0]) n++; return BigInt(n - 1); }],
  [Opcode.Popcnt, (w, x) => BigInt([...bitString(w, x)].filter((ch) => ch === '1').length)],
  [Opcode.Bitrev, (w, x) => BigInt(`0b${[...bitString(w, x)].reverse().join('')}`)],
];

describe('unary integer opcodes match references', () => {
  for (const [op, ref] of unaryRefs) {
    for (const t of INT_TYPES) {
      const w = typeBits(t);
      it(`${opcodeName(op)} ${typeName(t)}`, () => {
        const interp = new Interpreter([unaryFunction(op, t)]);
        fc.assert(
          fc.property(bits(w), (x) => {
            expect(run(interp, [dataValue(t, x)])).toEqual([ref(w, x)]);
          }),
          { numRuns: 100 },
        );
      });
    }
  }
  for (const t of [I16, I32, I64, I128]) {
    const w = typeBits(t);
    it(`bswap ${typeName(t)}`, () => {
      const interp = new Interpreter([unaryFunction(Opcode.Bswap, t)]);
      fc.assert(
        fc.property(bits(w), (x) => {
          const bytes = x.toString(16).padStart(w / 4, '0').match(/../g) ?? [];
          expect(run(interp, [dataValue(t, x)])).toEqual([BigInt(`0x${bytes.reverse().join('')}`)]);
        }),
      );
    });
  }
});

describe('extensions, reductions and splits', () => {
  const pairs: [Type, Type][] = [[I8, I16], [I8, I64], [I16, I32], [I32, I64], [I32, I128], [I64, I128]];
  for (const [from, to] of pairs) {
    const wf = typeBits(from);
    const wt = typeBits(to);
    it(`uextend/sextend/ireduce ${typeName(from)} <-> ${typeName(to)}`, () => {
      const ue = new Interpreter([unaryFunction(Opcode.Uextend, from, to)]);
      const se = new Interpreter([unaryFunction(Opcode.Sextend, from, to)]);
      const red = new Interpreter([unaryFunction(Opcode.Ireduce, to, from)]);
      fc.assert(
        fc.property(bits(wf), bits(wt), (x, y) => {
          expect(run(ue, [dataValue(from, x)])).toEqual([x]);
          expect(run(se, [dataValue(from, x)])).toEqual([u(wt, s(wf, x))]);
          expect(run(red, [dataValue(to, y)])).toEqual([u(wf, y)]);
        }),
        { numRuns: 100 },
      );
    });
  }
  it('isplit and iconcat round-trip i128', () => {
    const split = new Interpreter([unaryFunction(Opcode.Isplit, I128)]);
    const concat = new Interpreter([binaryFunction(Opcode.Iconcat, I64)]);
    fc.assert(
      fc.property(bits(128), (x) => {
        const parts = run(split, [dataValue(I128, x)]);
        expect(parts).toEqual([u(64, x), x >> 64n]);
        const [lo, hi] = parts as bigint[];
        expect(run(concat, [dataValue(I64, lo), dataValue(I64, hi)])).toEqual([x]);
      }),
    );
  });
});

describe('carry and borrow chains', () => {
  const cases: readonly (readonly [OpcodeT, (w: number, x: bigint, y: bigint, c: bigint) => bigint[]])[] = [
    [Opcode.UaddOverflowCin, (w, x, y, c) => { const r = x + y + c; return [u(w, r), r >> BigInt(w) ? 1n : 0n]; }],
    [Opcode.SaddOverflowCin, (w, x, y, c) => { const r = s(w, x) + s(w, y) + c; return [u(w, r), r === s(w, r) ? 0n : 1n]; }],
    [Opcode.UsubOverflowBin, (w, x, y, c) => { const r = x - y - c; return [u(w, r), r < 0n ? 1n : 0n]; }],
    [Opcode.SsubOverflowBin, (w, x, y, c) => { const r = s(w, x) - s(w, y) - c; return [u(w, r), r === s(w, r) ? 0n : 1n]; }],
  ];
  for (const [op, ref] of cases) {
    for (const t of INT_TYPES) {
      const w = typeBits(t);
      it(`${opcodeName(op)} ${typeName(t)}`, () => {
        const interp = new Interpreter([ternaryFunction(op, [t, t, I8])]);
        fc.assert(
          fc.property(bits(w), bits(w), fc.constantFrom(0n, 1n, 7n), (x, y, c) => {
            // A nonzero carry-in counts as one.
            expect(run(interp, [dataValue(t, x), dataValue(t, y), dataValue(I8, c)])).toEqual(ref(w, x, y, c === 0n ? 0n : 1n));
          }),
          { numRuns: 100 },
        );
      });
    }
  }
});
