// Differential test: random straight-line integer CLIF, optimized, must
// compute what the original computes on random inputs, traps included.
// The generator mixes constants (so rules fire) with the shapes the rules
// look for: comparisons combined bitwise and extended, nested selects of
// -1/0/1 (three-way comparisons), absolute values, min/max, reductions and
// extensions. CLIFT_FUZZ_RUNS and CLIFT_FUZZ_SEED run it longer or from
// another seed.

import { expect, test } from 'vitest';
import fc from 'fast-check';
import { dataValue, dataValueListsEqual, verifyFunction } from '@clift/ir';
import { Interpreter } from '@clift/interpreter';
import { parseFunctions } from '@clift/reader';
import { optimize } from '../src/index.js';

const BIN = ['iadd', 'isub', 'imul', 'band', 'bor', 'bxor', 'ishl', 'ushr', 'sshr', 'rotl', 'smin', 'smax', 'umin', 'umax', 'udiv', 'srem'];
const UN = ['ineg', 'bnot', 'popcnt', 'clz', 'iabs'];
const CC = ['eq', 'ne', 'slt', 'sle', 'sgt', 'sge', 'ult', 'ule', 'ugt', 'uge'];
const COMBINE = ['band', 'bor', 'bxor'];
const CONSTS = ['-1', '0', '1', '2', '8', '127', '-128'];

type Op = { k: string; op: string; a: number; b: number; c: number; d: number };
const nat = fc.nat({ max: 1 << 20 });
const shape = (k: string, ops: readonly string[]) => fc.record({ k: fc.constant(k), op: fc.constantFrom(...ops), a: nat, b: nat, c: nat, d: nat });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  shape('bin', BIN),
  shape('un', UN),
  shape('const', CONSTS),
  shape('sel', CC),
  shape('combine', COMBINE),
  shape('threeway', CC),
  shape('abs', ['sgt', 'sge', 'slt', 'sle']),
  shape('extend', ['uextend', 'sextend']),
);

const BITS: Record<string, number> = { i8: 8, i16: 16, i32: 32, i64: 64, i128: 128 };

function build(ty: string, ops: readonly Op[]): string {
  const lines: string[] = [];
  let n = 2;
  // Values of type `ty` (comparison results are i8 and only feed selects or extensions).
  const vals: number[] = [0, 1];
  const pick = (i: number): string => `v${vals[i % vals.length]}`;
  const fresh = (): string => `v${n++}`;
  const constant = (k: string): string => {
    if (ty === 'i128') {
      // No iconst.i128: an extended i64 constant.
      const c = fresh();
      lines.push(`    ${c} = iconst.i64 ${k}`);
      const e = fresh();
      lines.push(`    ${e} = sextend.i128 ${c}`);
      return e;
    }
    const c = fresh();
    lines.push(`    ${c} = iconst.${ty} ${k}`);
    return c;
  };
  /** An i8 comparison result as a value of type `ty`. */
  const widen = (c: string, how: string): string => {
    if (ty === 'i8') return c;
    const e = fresh();
    lines.push(`    ${e} = ${how}.${ty} ${c}`);
    return e;
  };
  for (const o of ops) {
    const x = pick(o.a);
    const y = pick(o.b);
    let r: string;
    switch (o.k) {
      case 'bin':
        r = fresh();
        lines.push(`    ${r} = ${o.op} ${x}, ${y}`);
        break;
      case 'un':
        r = fresh();
        lines.push(`    ${r} = ${o.op} ${x}`);
        break;
      case 'const':
        r = constant(o.op);
        break;
      case 'sel': {
        const c = fresh();
        lines.push(`    ${c} = icmp ${o.op} ${x}, ${y}`);
        r = fresh();
        lines.push(`    ${r} = select ${c}, ${x}, ${y}`);
        break;
      }
      case 'combine': {
        const c1 = fresh();
        const c2 = fresh();
        lines.push(`    ${c1} = icmp ${CC[o.c % CC.length]} ${x}, ${y}`);
        // The second comparison sometimes has its operands swapped.
        lines.push(`    ${c2} = icmp ${CC[o.d % CC.length]} ${o.d % 3 === 0 ? `${y}, ${x}` : `${x}, ${y}`}`);
        const c = fresh();
        lines.push(`    ${c} = ${o.op} ${c1}, ${c2}`);
        r = o.c % 2 === 0 ? widen(c, o.d % 2 === 0 ? 'uextend' : 'sextend') : fresh();
        if (o.c % 2 !== 0) lines.push(`    ${r} = select ${c}, ${x}, ${y}`);
        break;
      }
      case 'threeway': {
        // c1 ? k1 : (c2 ? k2 : k3), the constants drawn from -1, 0, 1.
        const c1 = fresh();
        const c2 = fresh();
        lines.push(`    ${c1} = icmp ${o.op} ${x}, ${y}`);
        lines.push(`    ${c2} = icmp ${CC[o.c % CC.length]} ${x}, ${y}`);
        const k = ['-1', '0', '1'];
        const k1 = constant(k[o.d % 3]);
        const k2 = constant(k[Math.floor(o.d / 3) % 3]);
        const k3 = constant(k[Math.floor(o.d / 9) % 3]);
        const inner = fresh();
        lines.push(`    ${inner} = select ${c2}, ${k2}, ${k3}`);
        r = fresh();
        lines.push(o.c % 2 === 0 ? `    ${r} = select ${c1}, ${k1}, ${inner}` : `    ${r} = select ${c1}, ${inner}, ${k1}`);
        // Sometimes compare the three-way result with a constant.
        if (o.d % 4 === 0) {
          const t = fresh();
          lines.push(`    ${t} = icmp ${CC[o.a % CC.length]} ${r}, ${k1}`);
          r = widen(t, 'uextend');
        }
        break;
      }
      case 'abs': {
        const z = constant('0');
        const c = fresh();
        lines.push(`    ${c} = icmp ${o.op} ${x}, ${z}`);
        const neg = fresh();
        lines.push(`    ${neg} = ineg ${x}`);
        r = fresh();
        lines.push(o.op.startsWith('sg') ? `    ${r} = select ${c}, ${x}, ${neg}` : `    ${r} = select ${c}, ${neg}, ${x}`);
        break;
      }
      default: {
        // extend: reduce to a narrower type (through an operation) and extend back.
        const narrow = Object.keys(BITS).filter((t) => BITS[t] < BITS[ty]);
        if (narrow.length === 0) {
          r = fresh();
          lines.push(`    ${r} = bnot ${x}`);
          break;
        }
        const nt = narrow[o.c % narrow.length];
        const t = fresh();
        lines.push(`    ${t} = ireduce.${nt} ${x}`);
        let u = t;
        if (o.d % 2 === 0) {
          const t2 = fresh();
          lines.push(`    ${t2} = ireduce.${nt} ${y}`);
          u = fresh();
          lines.push(`    ${u} = ${['iadd', 'isub', 'imul', 'band', 'bxor'][o.d % 5]} ${t}, ${t2}`);
        }
        r = fresh();
        lines.push(`    ${r} = ${o.op}.${ty} ${u}`);
      }
    }
    vals.push(Number(r.slice(1)));
  }
  return `function %f(${ty}, ${ty}) -> ${ty} {\nblock0(v0: ${ty}, v1: ${ty}):\n${lines.join('\n')}\n    return v${vals[vals.length - 1]}\n}`;
}

const runs = Number(process.env['CLIFT_FUZZ_RUNS'] ?? 400);
const seed = process.env['CLIFT_FUZZ_SEED'] !== undefined ? Number(process.env['CLIFT_FUZZ_SEED']) : undefined;

test('optimized random functions agree with the originals', { timeout: Math.max(60_000, runs * 100) }, () => {
  fc.assert(
    fc.property(
      fc.constantFrom('i8', 'i16', 'i32', 'i64', 'i128'),
      fc.array(opArb, { minLength: 1, maxLength: 16 }),
      fc.array(fc.tuple(fc.bigInt(), fc.bigInt()), { minLength: 4, maxLength: 4 }),
      (ty, ops, inputs) => {
        const text = build(ty, ops);
        const [f0] = parseFunctions(text);
        const [f1] = parseFunctions(text);
        optimize(f1, { level: 'speed' });
        expect(verifyFunction(f1), text).toEqual([]);
        const a = new Interpreter([f0]);
        const b = new Interpreter([f1]);
        const t = f0.signature.params[0].type;
        const bits = BITS[ty];
        const edge = (1n << BigInt(bits - 1)) - 1n;
        for (const [x, y] of [...inputs, [0n, 0n], [-1n, 1n], [edge, -edge - 1n], [5n, 5n]] as [bigint, bigint][]) {
          const args = [dataValue(t, BigInt.asUintN(bits, x)), dataValue(t, BigInt.asUintN(bits, y))];
          const ra = a.call('f', args);
          const rb = b.call('f', args);
          expect(rb.kind, text).toBe(ra.kind);
          if (ra.kind === 'return' && rb.kind === 'return') expect(dataValueListsEqual(ra.values, rb.values), text).toBe(true);
        }
      },
    ),
    { numRuns: runs, ...(seed !== undefined ? { seed } : {}) },
  );
});
