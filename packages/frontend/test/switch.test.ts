// Switch lowering: shape (jump tables for dense clusters, compares for
// sparse cases) and behaviour (every index reaches its case, every other
// value the default), run in the interpreter.

import { describe, expect, test } from 'vitest';
import { Function, I128, I16, I32, I64, I8, Opcode, abiParam, newSignature, printFunction, verifyFunction, type Type } from '@clift/ir';
import { Interpreter } from '@clift/interpreter';
import { FrontendError, FunctionBuilder, Switch } from '../src/index.js';

function build(t: Type, cases: readonly bigint[]): Function {
  const sig = newSignature('system_v');
  sig.params.push(abiParam(t));
  sig.returns.push(abiParam(I32));
  const fb = new FunctionBuilder(new Function({ kind: 'testcase', name: 'sw' }, sig));
  const entry = fb.createBlock();
  const [x] = fb.appendBlockParamsForFunctionParams(entry);
  fb.switchToBlock(entry);
  fb.sealBlock(entry);
  const sw = new Switch();
  const blocks = cases.map((c) => {
    const b = fb.createBlock();
    sw.setEntry(c, b);
    return b;
  });
  const dflt = fb.createBlock();
  sw.emit(fb, x, dflt);
  blocks.forEach((b, i) => {
    fb.sealBlock(b);
    fb.switchToBlock(b);
    fb.ins().return_([fb.ins().iconst(I32, i + 1)]);
  });
  fb.sealBlock(dflt);
  fb.switchToBlock(dflt);
  fb.ins().return_([fb.ins().iconst(I32, 0)]);
  const f = fb.finalize();
  expect(verifyFunction(f), printFunction(f)).toEqual([]);
  return f;
}

function count(f: Function, op: Opcode): number {
  let n = 0;
  for (const b of f.layout.blockArray()) for (let i = f.layout.firstInst(b); i !== 0xffffffff; i = f.layout.nextInst(i)) if (f.dfg.opcode(i) === op) n++;
  return n;
}

function checkAll(t: Type, bits: number, cases: readonly bigint[], probes: readonly bigint[]): void {
  const f = build(t, cases);
  const interp = new Interpreter([f]);
  for (const p of probes) {
    const u = BigInt.asUintN(bits, p);
    const want = cases.findIndex((c) => BigInt.asUintN(bits, c) === u) + 1;
    const r = interp.call('%sw', [{ type: t, bits: u }]);
    expect(r.kind).toBe('return');
    if (r.kind === 'return') expect(r.values[0].bits, `switch(${p})`).toBe(BigInt(want));
  }
}

describe('Switch', () => {
  test('dense cases become one br_table', () => {
    const f = build(I32, [0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    expect(count(f, Opcode.BrTable)).toBe(1);
    expect(printFunction(f)).not.toContain('icmp eq');
  });

  test('sparse cases become compares in a search tree', () => {
    const f = build(I64, [5n, 1000n, -7n, 1n << 40n, 123456n, 99n, 7n]);
    expect(count(f, Opcode.BrTable)).toBe(0);
    expect(count(f, Opcode.Icmp)).toBeGreaterThan(7);
  });

  test('a dense cluster with holes plus outliers', () => {
    const f = build(I32, [10n, 11n, 13n, 14n, 16n, 500n, -3n]);
    expect(count(f, Opcode.BrTable)).toBe(1);
  });

  const probes = [-5n, -3n, -1n, 0n, 1n, 2n, 3n, 9n, 10n, 11n, 12n, 13n, 14n, 15n, 16n, 17n, 99n, 127n, 128n, 255n, 500n, 1000n, 1n << 33n, (1n << 33n) + 10n];
  const cases = [10n, 11n, 13n, 14n, 16n, 17n, 500n, -3n, 0n, 1n, 2n, 3n];
  for (const [t, bits] of [[I8, 8], [I16, 16], [I32, 32], [I64, 64], [I128, 128]] as const) {
    test(`every index reaches its case on ${bits}-bit values`, () => {
      checkAll(t, bits, bits === 8 ? cases.filter((c) => c !== 500n) : cases, probes);
    });
  }

  test('jump tables on 64-bit values do not wrap indices above 32 bits', () => {
    checkAll(I64, 64, [1n, 2n, 3n, 4n, 5n], [1n, 5n, 6n, (1n << 32n) + 2n, -1n]);
  });

  test('rejects duplicates and out-of-range cases', () => {
    const sw = new Switch();
    sw.setEntry(3, 1 as never);
    expect(() => sw.setEntry(3n, 2 as never)).toThrow(FrontendError);
    expect(() => build(I8, [300n])).toThrow(/SwitchEntryOutOfRange/);
    expect(() => build(I8, [-1n, 255n])).toThrow(/SwitchDuplicateEntry/);
  });
});
