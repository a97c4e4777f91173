// Every language feature, end to end: each fixture program is compiled,
// the generated TypeScript is type-checked under strict settings together
// with a small driver (a Context implementation), then executed.

import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildFixture, FIXTURES, loadDriver, TMP, typecheck } from './harness.js';

const FIXTURE_OPTIONS = {
  arith: {},
  externs: { typesModule: '../fixtures/externs_types.js' },
  multi: { primitives: { Node: 'number' } },
  partial: {},
  inargs: { primitives: { Inst: 'number[]' } },
  opaque: {},
} as const;

const generated = new Map<string, string>();
let typeErrors: string[] = [];

beforeAll(() => {
  const files: string[] = [];
  for (const [name, options] of Object.entries(FIXTURE_OPTIONS)) {
    const result = buildFixture(name, options);
    generated.set(name, result.code!);
    files.push(join(TMP, `${name}.ts`), join(FIXTURES, `${name}.driver.ts`));
  }
  typeErrors = typecheck(files);
}, 60_000);

test('generated code and drivers type-check under strict TypeScript', () => {
  expect(typeErrors).toEqual([]);
});

test('generated files start with a do-not-edit header and point rules at their source lines', () => {
  for (const [name, code] of generated) {
    expect(code.split('\n')[1]).toMatch(/DO NOT EDIT/);
    expect(code).toContain(`// Rule`);
    expect(code).toMatch(new RegExp(`at test/fixtures/${name}\\.isle:\\d+`));
  }
  expect(generated.get('arith')).toContain('// Rule `add_zero_r` at test/fixtures/arith.isle:21, priority 10.');
});

describe('arith: enums, priorities, literals, binders, equality, let', () => {
  interface Arith {
    c(v: bigint): unknown;
    v(id: number): unknown;
    bin(op: number, a: unknown, b: unknown): unknown;
    neg(a: unknown): unknown;
    zero: unknown;
    Op: { Add: number; Sub: number; Mul: number; And: number };
    simplify(e: unknown): unknown;
    classify(e: unknown): number;
    opCode(op: number, n: number): number;
  }
  let A: Arith;
  beforeAll(async () => {
    A = await loadDriver<Arith>('arith');
  });

  test('x + 0 and 0 + x simplify to x, recursively', () => {
    const { c, v, bin, Op } = A;
    expect(A.simplify(bin(Op.Add, v(1), c(0n)))).toEqual(v(1));
    expect(A.simplify(bin(Op.Add, c(0n), bin(Op.Add, v(2), c(0n))))).toEqual(v(2));
  });

  test('radix literals: x * 0x1, x * 0b0, x & 0o0, x & -0x0_1', () => {
    const { c, v, bin, Op } = A;
    expect(A.simplify(bin(Op.Mul, v(3), c(1n)))).toEqual(v(3));
    expect(A.simplify(bin(Op.Mul, v(3), c(0n)))).toEqual(c(0n));
    expect(A.simplify(bin(Op.And, v(3), c(0n)))).toEqual(c(0n));
    expect(A.simplify(bin(Op.And, v(3), c(-1n)))).toEqual(v(3));
    expect(A.simplify(c(4611686018427387905n))).toEqual(c(0x7fffffffffffffffn));
  });

  test('a repeated variable matches only equal values', () => {
    const { v, bin, Op } = A;
    expect(A.simplify(bin(Op.Sub, v(4), v(4)))).toEqual(A.zero);
    expect(A.simplify(bin(Op.Sub, v(4), v(5)))).toEqual(bin(Op.Sub, v(4), v(5)));
  });

  test('nested variants and negative literals', () => {
    const { c, v, neg } = A;
    expect(A.simplify(neg(neg(v(6))))).toEqual(v(6));
    expect(A.simplify(neg(c(-1n)))).toEqual(c(1n));
    expect(A.simplify(neg(c(-2n)))).toEqual(neg(c(-2n)));
  });

  test('the lowest-priority rules rebuild and fall back', () => {
    const { c, v, bin, Op } = A;
    // rebuild (priority 0) simplifies children via `let`
    expect(A.simplify(bin(Op.Sub, bin(Op.Add, v(1), c(0n)), v(2)))).toEqual(bin(Op.Sub, v(1), v(2)));
    expect(A.simplify(v(9))).toEqual(v(9));
  });

  test('`and` patterns and unit-enum results', () => {
    const { c, v, bin, Op } = A;
    expect(A.classify(bin(Op.Mul, c(2n), v(1)))).toBe(Op.Mul);
    expect(A.classify(bin(Op.Mul, c(3n), v(1)))).toBe(Op.Sub);
    expect(A.classify(v(1))).toBe(Op.Sub);
  });

  test('switch on a unit enum and on u32 literals', () => {
    const { Op } = A;
    expect(A.opCode(Op.Add, 0)).toBe(100);
    expect(A.opCode(Op.Add, 1)).toBe(101);
    expect(A.opCode(Op.Add, 7)).toBe(7);
    expect(A.opCode(Op.Sub, 7)).toBe(200);
    expect(A.opCode(Op.Mul, 8)).toBe(8);
  });

  test('the trie tests a shared binding once: one dispatch on the root variant', () => {
    const code = generated.get('arith')!;
    const body = code.slice(code.indexOf('function constructor_simplify'), code.indexOf('function constructor_classify'));
    expect(body.match(/arg0\.\$tag/g)).toHaveLength(1);
    expect(body).toContain('switch (arg0.$tag)');
  });
});

describe('externs: Context methods, macros, conversions, if-let, constants', () => {
  interface Ir {
    log: string[];
  }
  interface Externs {
    newIr(): Ir;
    iconst(ir: Ir, ty: string, imm: bigint): number;
    binary(ir: Ir, op: 'iadd' | 'imul', a: number, b: number): number;
    param(ir: Ir, ty: string): number;
    optimize(ir: Ir, v: number): number;
    classify(k: bigint): number;
    isWide(ty: string): boolean;
  }
  let X: Externs;
  beforeAll(async () => {
    X = await loadDriver<Externs>('externs');
  });

  test('constant folding through macros and implicit conversions, with a fallible if-let', () => {
    const ir = X.newIr();
    const sum = X.binary(ir, 'iadd', X.iconst(ir, 'i32', 2n), X.iconst(ir, 'i32', 3n));
    X.optimize(ir, sum);
    expect(ir.log).toEqual(['const i32 5']);
    const ir2 = X.newIr();
    const big = X.binary(ir2, 'iadd', X.iconst(ir2, 'i32', (1n << 64n) - 1n), X.iconst(ir2, 'i32', 1n));
    // the checked add fails, so the next rules are tried: nothing applies
    expect(X.optimize(ir2, big)).toBe(big);
    expect(ir2.log).toEqual([]);
  });

  test('x + 0 => x (lower priority than folding)', () => {
    const ir = X.newIr();
    const p = X.param(ir, 'i32');
    expect(X.optimize(ir, X.binary(ir, 'iadd', p, X.iconst(ir, 'i32', 0n)))).toBe(p);
  });

  test('a macro that repeats its parameter: x + x => x << 1', () => {
    const ir = X.newIr();
    const p = X.param(ir, 'i32');
    X.optimize(ir, X.binary(ir, 'iadd', p, p));
    expect(ir.log).toEqual([`shl ${p} 1`]);
  });

  test('boolean if-let: x * small => x + x', () => {
    const ir = X.newIr();
    const p = X.param(ir, 'i32');
    X.optimize(ir, X.binary(ir, 'imul', p, X.iconst(ir, 'i32', 3n)));
    expect(ir.log).toEqual([`add ${p} ${p}`]);
    const ir2 = X.newIr();
    const q = X.param(ir2, 'i32');
    const mul = X.binary(ir2, 'imul', q, X.iconst(ir2, 'i32', 300n));
    expect(X.optimize(ir2, mul)).toBe(mul);
  });

  test('constants, zero-output and two-output extractors, u8 -> u64 conversion', () => {
    const ir = X.newIr();
    X.optimize(ir, X.iconst(ir, 'i64', 0x1234n));
    expect(ir.log).toEqual(['const i64 18']);
    const ir2 = X.newIr();
    const odd = X.iconst(ir2, 'i64', 0x1235n);
    expect(X.optimize(ir2, odd)).toBe(odd);
    const ir3 = X.newIr();
    const narrow = X.iconst(ir3, 'i32', 0x1234n);
    expect(X.optimize(ir3, narrow)).toBe(narrow);
  });

  test('`if` with a partial constructor and `false` patterns', () => {
    expect(X.classify(0n)).toBe(0);
    expect(X.classify(3n)).toBe(1);
    expect(X.classify(300n)).toBe(2);
  });

  test('boolean results and constant patterns', () => {
    expect(X.isWide('i64')).toBe(true);
    expect(X.isWide('i32')).toBe(false);
  });

  test('extern types are imported from the types module', () => {
    const code = generated.get('externs')!;
    expect(code).toContain("import type { Value, Inst, Type } from '../fixtures/externs_types.js';");
    expect(code).toContain("import { Opcode, InstData } from '../fixtures/externs_types.js';");
    expect(code).toContain('case Opcode.Iadd:');
  });
});

describe('multi: all matching rules, multi extractors and constructors', () => {
  interface Graph {
    ops: Map<number, (readonly [number, number])[]>;
    kids: Map<number, number[]>;
  }
  interface Multi {
    rewrite(g: Graph, n: number): number[];
    doubled(g: Graph, n: number): number[];
  }
  let M: Multi;
  beforeAll(async () => {
    M = await loadDriver<Multi>('multi');
  });
  const g: Graph = {
    ops: new Map([[1, [[1, 7], [2, 8]]]]),
    kids: new Map([[1, [5, 6]]]),
  };

  test('yields every result of every matching rule', () => {
    expect(M.rewrite(g, 1).sort((a, b) => a - b)).toEqual([7, 8, 100, 1005, 1006]);
    expect(M.rewrite(g, 2)).toEqual([]);
  });

  test('a multi constructor on a right-hand side is iterated', () => {
    const g2: Graph = { ops: new Map([[1, [[2, 1], [2, 2]]]]), kids: new Map() };
    expect(M.doubled(g2, 1).sort((a, b) => a - b)).toEqual([2, 3, 3, 4]);
  });
});

describe('partial: failure propagates; total terms throw when nothing matches', () => {
  interface Partial {
    quarter(x: number): number | undefined;
    describe(x: number): number;
    strict(x: number): number;
  }
  let P: Partial;
  beforeAll(async () => {
    P = await loadDriver<Partial>('partial');
  });

  test('a partial right-hand side fails when a partial call fails', () => {
    expect(P.quarter(12)).toBe(3);
    expect(P.quarter(6)).toBeUndefined();
    expect(P.quarter(5)).toBeUndefined();
  });

  test('an if-let on a partial term falls through to the next rule', () => {
    expect(P.describe(8)).toBe(2);
    expect(P.describe(7)).toBe(7);
  });

  test('a non-partial term throws a descriptive error when no rule matches', () => {
    expect(P.strict(1)).toBe(10);
    expect(() => P.strict(2)).toThrow(/no rule matched for term `strict` \(test\/fixtures\/partial\.isle:21\)/);
  });
});

describe('in-arguments and primitive representations', () => {
  interface InArgs {
    secondPlusFirst(inst: number[]): number;
  }
  test('`<expr` passes values into an extractor', async () => {
    const I = await loadDriver<InArgs>('inargs');
    expect(I.secondPlusFirst([3, 4])).toBe(7);
    expect(I.secondPlusFirst([3])).toBe(0);
    expect(generated.get('inargs')).toContain('nth_arg(arg0: number[], arg1: number): number | undefined;');
  });
});

describe('opaque: types declared in the generated file', () => {
  interface Opaque {
    reg(n: number): unknown;
    two(a: unknown, b: unknown): unknown;
    one(a: unknown): unknown;
    Cond: { Eq: number; Ne: number; Lt: number };
    invert(c: number): number;
    first(p: unknown): unknown;
    swap(p: unknown): unknown;
  }
  test('unit enums are numbers, field enums are tagged objects', async () => {
    const O = await loadDriver<Opaque>('opaque');
    expect(O.invert(O.Cond.Eq)).toBe(O.Cond.Ne);
    expect(O.invert(O.Cond.Lt)).toBe(O.Cond.Lt);
    const a = O.reg(1);
    const b = O.reg(2);
    expect(O.first(O.two(a, b))).toBe(a);
    expect(O.swap(O.two(a, b))).toEqual(O.two(b, a));
    const one = O.one(a);
    expect(O.swap(one)).toBe(one);
    const code = generated.get('opaque')!;
    expect(code).toContain("export type Reg = { readonly __isleOpaque: 'Reg' };");
    expect(code).toContain('export type Cond = 0 | 1 | 2;');
    expect(code).toContain("export type Mask = { readonly __isleOpaque: 'Mask' };");
  });
});
