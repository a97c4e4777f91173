// The shared regressions about GVN: independent of definition order, and
// commutative operands unify.

import { expect, test } from 'vitest';
import { printFunction } from '@clift/ir';
import { parseFunctions } from '@clift/reader';
import { optimize } from '../src/index.js';

function opt(text: string): string {
  const [f] = parseFunctions(text);
  optimize(f, { level: 'speed' });
  return printFunction(f);
}
const count = (s: string, re: RegExp): number => (s.match(re) ?? []).length;

test('GVN does not depend on value-numbering order', () => {
  const out = opt(`function %unordered(i32) -> i32, i32 {
block0(v0: i32):
    v2 = iconst.i32 42
    v3 = iadd v0, v2
    v1 = iconst.i32 42
    v4 = iadd v0, v1
    return v3, v4
}`);
  expect(count(out, /= iadd/g)).toBe(1);
  expect(out).toContain('return v3, v3');
});

test('commutative operations are one value', () => {
  const out = opt(`function %commuted(i64, i64) -> i64, i64 {
block0(v0: i64, v1: i64):
    v2 = iadd v0, v1
    v3 = iadd v1, v0
    v4 = imul v2, v3
    v5 = imul v3, v2
    return v4, v5
}`);
  expect(count(out, /= iadd/g)).toBe(1);
  expect(count(out, /= imul/g)).toBe(1);
});

test('loop-invariant code is hoisted and constants are folded', () => {
  const out = opt(`function %licm(i32, i32) -> i32 {
block0(v0: i32, v1: i32):
    jump block1(v0)
block1(v2: i32):
    v3 = iconst.i32 3
    v4 = iconst.i32 4
    v5 = iadd v3, v4
    v6 = imul v1, v5
    v7 = iadd v2, v6
    brif v7, block1(v7), block2
block2:
    return v7
}`);
  // 3 + 4 folds to 7 and v1 * 7 moves to block0.
  expect(out).toMatch(/block0\(v0: i32, v1: i32\):\n\s+v\d+ = iconst.i32 7\n\s+v\d+ = imul v1, v\d+/);
});
