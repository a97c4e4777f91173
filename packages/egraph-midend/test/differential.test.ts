// Differential test: random straight-line integer CLIF (with constants so
// rules fire), optimized, must compute what the original computes on random
// inputs, traps included.

import { expect, test } from 'vitest';
import fc from 'fast-check';
import { dataValue, dataValueListsEqual, verifyFunction } from '@clift/ir';
import { Interpreter } from '@clift/interpreter';
import { parseFunctions } from '@clift/reader';
import { optimize } from '../src/index.js';

const BIN = ['iadd', 'isub', 'imul', 'band', 'bor', 'bxor', 'ishl', 'ushr', 'sshr', 'rotl', 'smin', 'umax', 'udiv', 'srem'];
const UN = ['ineg', 'bnot', 'popcnt', 'clz', 'iabs'];
const CC = ['eq', 'ne', 'slt', 'uge', 'sgt', 'ule'];

const opArb = fc.oneof(
  fc.record({ k: fc.constant('bin' as const), op: fc.constantFrom(...BIN), a: fc.nat(), b: fc.nat() }),
  fc.record({ k: fc.constant('un' as const), op: fc.constantFrom(...UN), a: fc.nat(), b: fc.nat() }),
  fc.record({ k: fc.constant('const' as const), op: fc.constantFrom('-1', '0', '1', '2', '8', '127', '-128'), a: fc.nat(), b: fc.nat() }),
  fc.record({ k: fc.constant('sel' as const), op: fc.constantFrom(...CC), a: fc.nat(), b: fc.nat() }),
);

function build(ty: string, ops: { k: string; op: string; a: number; b: number }[]): string {
  const lines: string[] = [];
  let n = 2;
  // Values of type `ty` (comparison results are i8 and only feed selects).
  const vals: number[] = [0, 1];
  const pick = (i: number): string => `v${vals[i % vals.length]}`;
  for (const o of ops) {
    const x = pick(o.a);
    const y = pick(o.b);
    if (o.k === 'bin') lines.push(`    v${n} = ${o.op} ${x}, ${y}`);
    else if (o.k === 'un') lines.push(`    v${n} = ${o.op} ${x}`);
    else if (o.k === 'const' && ty === 'i128') {
      // No iconst.i128: an extended i64 constant.
      lines.push(`    v${n} = iconst.i64 ${o.op}`);
      n++;
      lines.push(`    v${n} = sextend.i128 v${n - 1}`);
    } else if (o.k === 'const') lines.push(`    v${n} = iconst.${ty} ${o.op}`);
    else {
      lines.push(`    v${n} = icmp ${o.op} ${x}, ${y}`);
      n++;
      lines.push(`    v${n} = select v${n - 1}, ${x}, ${y}`);
    }
    vals.push(n);
    n++;
  }
  return `function %f(${ty}, ${ty}) -> ${ty} {\nblock0(v0: ${ty}, v1: ${ty}):\n${lines.join('\n')}\n    return v${n - 1}\n}`;
}

test('optimized random functions agree with the originals', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('i8', 'i32', 'i64', 'i128'),
      fc.array(opArb, { minLength: 1, maxLength: 16 }),
      fc.array(fc.tuple(fc.bigInt(), fc.bigInt()), { minLength: 4, maxLength: 4 }),
      (ty, ops, inputs) => {
        const text = build(ty, ops);
        const [f0] = parseFunctions(text);
        const [f1] = parseFunctions(text);
        optimize(f1, { level: 'speed' });
        expect(verifyFunction(f1)).toEqual([]);
        const a = new Interpreter([f0]);
        const b = new Interpreter([f1]);
        const t = f0.signature.params[0].type;
        const bits = ty === 'i128' ? 128 : ty === 'i64' ? 64 : ty === 'i32' ? 32 : 8;
        for (const [x, y] of [...inputs, [0n, 0n], [-1n, 1n]] as [bigint, bigint][]) {
          const args = [dataValue(t, BigInt.asUintN(bits, x)), dataValue(t, BigInt.asUintN(bits, y))];
          const ra = a.call('f', args);
          const rb = b.call('f', args);
          expect(rb.kind).toBe(ra.kind);
          if (ra.kind === 'return' && rb.kind === 'return') expect(dataValueListsEqual(ra.values, rb.values), text).toBe(true);
        }
      },
    ),
    { numRuns: 400 },
  );
});
