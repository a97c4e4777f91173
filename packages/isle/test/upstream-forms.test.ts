// Regressions found by compiling upstream Cranelift's ISLE sources
// (scripts/check-upstream.ts): each fixture is our own minimal program using
// a form upstream's files use, compiled, generated and type-checked.

import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compileFiles } from '../src/index.js';
import { FIXTURES } from './harness.js';

describe('forms used by upstream ISLE sources', () => {
  test('an `infallible` extern extractor on a multi-term is accepted and stays iterable', () => {
    const r = compileFiles([join(FIXTURES, 'multi_infallible.isle')]);
    expect(r.format()).toBe('');
    expect(r.ok).toBe(true);
    expect(r.code).toContain('views(arg0: Node): Iterable<readonly [number, Node]>;');
    expect(r.code).toContain('for (const ');
  });
});
