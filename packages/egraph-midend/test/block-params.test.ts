// Removal of block parameters that receive one value (or themselves) on
// every edge: removed where they agree, kept where they do not, and the
// result is verifier-clean and computes what the original computes.

import { expect, test } from 'vitest';
import { dataValue, dataValueListsEqual, printFunction, verifyFunction } from '@clift/ir';
import { Interpreter } from '@clift/interpreter';
import { parseFunctions } from '@clift/reader';
import { optimize } from '../src/index.js';

function check(text: string, inputs: bigint[][]): { out: string; removed: number } {
  const [f0] = parseFunctions(text);
  const [f1] = parseFunctions(text);
  const stats = optimize(f1, { level: 'speed' });
  expect(verifyFunction(f1)).toEqual([]);
  const a = new Interpreter([f0]);
  const b = new Interpreter([f1]);
  for (const xs of inputs) {
    const args = xs.map((x, i) => dataValue(f0.signature.params[i].type, x));
    const ra = a.call('f', args);
    const rb = b.call('f', args);
    expect(rb.kind).toBe(ra.kind);
    if (ra.kind === 'return' && rb.kind === 'return') expect(dataValueListsEqual(ra.values, rb.values)).toBe(true);
  }
  return { out: printFunction(f1), removed: stats.blockParamsRemoved };
}

test('a loop parameter passed only itself on the back edge becomes the entry value', () => {
  const { out, removed } = check(
    `function %f(i32, i32) -> i32 {
block0(v0: i32, v1: i32):
    jump block1(v0, v1)
block1(v2: i32, v3: i32):
    v4 = iadd v3, v2
    v5 = iconst.i32 1
    v6 = iadd v4, v5
    v9 = iconst.i32 100
    v7 = icmp ult v6, v9
    brif v7, block1(v2, v6), block2(v4)
block2(v8: i32):
    return v8
}`,
    [
      [3n, 5n],
      [0n, 200n],
      [1n, 0n],
    ],
  );
  // v2 (always v0) and v8 (one edge) go; v3 differs on its two edges and stays.
  expect(removed).toBe(2);
  expect(out).toMatch(/block1\(v3: i32\):/);
  expect(out).toMatch(/\nblock2:/);
});

test('parameters that agree only after another is removed', () => {
  const { removed } = check(
    `function %f(i64, i8) -> i64 {
block0(v0: i64, v1: i8):
    brif v1, block1(v0), block2(v0)
block1(v2: i64):
    jump block3(v2)
block2(v3: i64):
    jump block3(v3)
block3(v4: i64):
    return v4
}`,
    [
      [7n, 0n],
      [9n, 1n],
    ],
  );
  expect(removed).toBe(3);
});

test('parameters receiving different values stay', () => {
  const { out, removed } = check(
    `function %f(i64, i64, i8) -> i64 {
block0(v0: i64, v1: i64, v2: i8):
    brif v2, block1(v0), block1(v1)
block1(v3: i64):
    return v3
}`,
    [
      [1n, 2n, 0n],
      [1n, 2n, 1n],
    ],
  );
  expect(removed).toBe(0);
  expect(out).toMatch(/block1\(v3: i64\):/);
});
