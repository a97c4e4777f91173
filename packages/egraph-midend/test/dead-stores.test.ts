// Dead store elimination on hand-written CLIF: stores that are overwritten
// on every path go, stores something may observe stay; every case also runs
// in the interpreter against the original (memory read back through a
// stack slot).

import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { dataValue, dataValueListsEqual, printFunction, verifyFunction, type Function } from '@clift/ir';
import { Interpreter } from '@clift/interpreter';
import { parseFunctions } from '@clift/reader';
import { optimize } from '../src/index.js';

function opt(text: string): { out: string; func: Function; removed: number } {
  const [f] = parseFunctions(text);
  const stats = optimize(f, { level: 'speed' });
  expect(verifyFunction(f)).toEqual([]);
  return { out: printFunction(f), func: f, removed: stats.storesRemoved };
}
const stores = (s: string): number => (s.match(/\b(store|istore8|istore16|istore32)\b/g) ?? []).length;

describe('removed', () => {
  test('a chain of stores to one address keeps only the last', () => {
    const { out, removed } = opt(`function %f(i64, i32, i32, i32) {
block0(v0: i64, v1: i32, v2: i32, v3: i32):
    store notrap aligned v1, v0+4
    store notrap aligned v2, v0+4
    store notrap aligned v3, v0+4
    return
}`);
    expect(removed).toBe(2);
    expect(stores(out)).toBe(1);
    expect(out).toContain('store notrap aligned v3, v0+4');
  });

  test('addresses equal after GVN, a wider killer, and stores and loads of other categories in between', () => {
    const { out, removed } = opt(`function %f(i64, i64, i32, i64) -> i32 {
    region0 = 0 "R0"
    region1 = 1 "R1"
block0(v0: i64, v1: i64, v2: i32, v3: i64):
    v4 = iconst.i64 8
    v5 = iadd v0, v4
    istore8 notrap region0 v2, v5
    store notrap region1 v2, v1
    v6 = load.i32 notrap region1 v1+4
    v7 = iconst.i64 8
    v8 = iadd v7, v0
    store notrap region0 v3, v8
    return v6
}`);
    expect(removed).toBe(1);
    expect(out).not.toContain('istore8');
  });

  test('across blocks when the killer post-dominates (diamond)', () => {
    const { out, removed } = opt(`function %f(i64, i32, i32, i32) {
block0(v0: i64, v1: i32, v2: i32, v3: i32):
    store notrap v1, v0
    brif v1, block1, block2
block1:
    jump block3(v2)
block2:
    jump block3(v3)
block3(v4: i32):
    store notrap v4, v0
    return
}`);
    expect(removed).toBe(1);
    expect(stores(out)).toBe(1);
  });

  test('a trapping store killed by one with the same trap code and width, nothing in between', () => {
    const { removed } = opt(`function %f(i64, i32, i32) {
block0(v0: i64, v1: i32, v2: i32):
    store user3 v1, v0
    v3 = iadd v1, v2
    store user3 v3, v0
    return
}`);
    expect(removed).toBe(1);
  });
});

describe('kept', () => {
  const keeps = (name: string, text: string): void => {
    test(name, () => {
      const before = stores(text);
      const { out, removed } = opt(text);
      expect(removed).toBe(0);
      expect(stores(out)).toBe(before);
    });
  };
  keeps(
    'a different base value may alias',
    `function %f(i64, i64, i32, i32) {
block0(v0: i64, v1: i64, v2: i32, v3: i32):
    store notrap v2, v0
    store notrap v3, v1
    return
}`,
  );
  keeps(
    'a call in between',
    `function %f(i64, i32, i32) {
    fn0 = %g()
block0(v0: i64, v1: i32, v2: i32):
    store notrap v1, v0
    call fn0()
    store notrap v2, v0
    return
}`,
  );
  keeps(
    'a load of the same category in between, even at another offset',
    `function %f(i64, i32, i32) -> i32 {
block0(v0: i64, v1: i32, v2: i32):
    store notrap v1, v0
    v3 = load.i32 notrap v0+2
    store notrap v2, v0
    return v3
}`,
  );
  keeps(
    'a killer with a different trap behaviour',
    `function %f(i64, i32, i32) {
block0(v0: i64, v1: i32, v2: i32):
    store user1 v1, v0
    store notrap v2, v0
    return
}`,
  );
  keeps(
    'a narrower killer',
    `function %f(i64, i32, i32) {
block0(v0: i64, v1: i32, v2: i32):
    store notrap v1, v0
    istore16 notrap v2, v0
    return
}`,
  );
  keeps(
    'a different offset',
    `function %f(i64, i32, i32) {
block0(v0: i64, v1: i32, v2: i32):
    store notrap v1, v0
    store notrap v2, v0+1
    return
}`,
  );
  keeps(
    'a trap in between',
    `function %f(i64, i32, i32) {
block0(v0: i64, v1: i32, v2: i32):
    store notrap v1, v0
    trapz v2, user1
    store notrap v2, v0
    return
}`,
  );
  keeps(
    'a fence in between',
    `function %f(i64, i32, i32) {
block0(v0: i64, v1: i32, v2: i32):
    store notrap v1, v0
    fence
    store notrap v2, v0
    return
}`,
  );
  keeps(
    'a trapping store would write before a trap moved later',
    `function %f(i64, i64, i32, i32) {
    region0 = 0 "R0"
    region1 = 1 "R1"
block0(v0: i64, v1: i64, v2: i32, v3: i32):
    store user1 region0 v2, v0
    store notrap region1 v3, v1
    store user1 region0 v3, v0
    return
}`,
  );
  keeps(
    'a killer that may trap on bytes the store did not cover',
    `function %f(i64, i32, i64) {
block0(v0: i64, v1: i32, v2: i64):
    store notrap v1, v0
    store user1 v2, v0
    return
}`,
  );
  keeps(
    'a killer on one path only',
    `function %f(i64, i32, i32) {
block0(v0: i64, v1: i32, v2: i32):
    store notrap v1, v0
    brif v1, block1, block2
block1:
    store notrap v2, v0
    jump block3
block2:
    jump block3
block3:
    return
}`,
  );
  keeps(
    'a load across the back edge reads the store',
    `function %f(i64, i32) -> i32 {
block0(v0: i64, v1: i32):
    jump block1
block1:
    v2 = load.i32 notrap v0
    v3 = iadd v2, v1
    store notrap v3, v0
    brif v3, block1, block2
block2:
    store notrap v1, v0
    return v2
}`,
  );
});

// Random sequences of stores and loads through one stack slot (aliasing
// addresses at overlapping offsets and widths), with the slot's final bytes
// returned: the optimized function must agree with the original.
const accessArb = fc.record({
  kind: fc.constantFrom('store', 'load', 'branch'),
  op: fc.constantFrom('store.i64', 'store.i32', 'istore8', 'istore16', 'istore32'),
  off: fc.integer({ min: 0, max: 8 }),
  val: fc.nat(3),
});

function buildSlotProgram(ops: { kind: string; op: string; off: number; val: number }[]): string {
  const lines: string[] = ['    v2 = stack_addr.i64 ss0', '    v3 = stack_addr.i64 ss0'];
  let n = 4;
  let block = 0;
  const vals = ['v0', 'v1'];
  for (const o of ops) {
    const base = o.off % 2 === 0 ? 'v2' : 'v3';
    if (o.kind === 'store') {
      const v = vals[o.val % vals.length];
      if (o.op === 'store.i64') lines.push(`    store notrap ${v}, ${base}+${o.off}`);
      else if (o.op === 'store.i32') {
        lines.push(`    v${n} = ireduce.i32 ${v}`, `    store notrap v${n}, ${base}+${o.off}`);
        n++;
      } else lines.push(`    ${o.op} notrap ${v}, ${base}+${o.off}`);
    } else if (o.kind === 'load') {
      lines.push(`    v${n} = load.i64 notrap ${base}+${o.off}`);
      vals.push(`v${n}`);
      n++;
    } else {
      // Both ways join again, so values defined before stay usable.
      lines.push(`    v${n} = iconst.i64 1`, `    v${n + 1} = band ${vals[o.val % vals.length]}, v${n}`, `    brif v${n + 1}, block${block + 1}, block${block + 2}`);
      lines.push(`block${block + 1}:`, `    istore8 notrap v0, v2+${o.off}`, `    jump block${block + 2}`, `block${block + 2}:`);
      block += 2;
      n += 2;
    }
  }
  lines.push(`    v${n} = load.i64 notrap v2`, `    v${n + 1} = load.i64 notrap v2+8`, `    return v${n}, v${n + 1}`);
  return `function %f(i64, i64) -> i64, i64 {\n    ss0 = explicit_slot 24\nblock0(v0: i64, v1: i64):\n${lines.join('\n')}\n}`;
}

test('random stack-slot stores and loads agree after optimization', () => {
  let removedTotal = 0;
  fc.assert(
    fc.property(fc.array(accessArb, { minLength: 1, maxLength: 14 }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (ops, x) => {
      const text = buildSlotProgram(ops);
      const [f0] = parseFunctions(text);
      const [f1] = parseFunctions(text);
      removedTotal += optimize(f1, { level: 'speed' }).storesRemoved;
      expect(verifyFunction(f1)).toEqual([]);
      for (const args of [
        [x, 0x0102030405060708n],
        [0n, (1n << 64n) - 1n],
      ]) {
        const dv = args.map((a) => dataValue(f0.signature.params[0].type, a));
        const ra = new Interpreter([f0]).call('f', dv);
        const rb = new Interpreter([f1]).call('f', dv);
        expect(rb.kind).toBe(ra.kind);
        if (ra.kind === 'return' && rb.kind === 'return') expect(dataValueListsEqual(ra.values, rb.values), text).toBe(true);
      }
    }),
    { numRuns: 300 },
  );
  // The generator must exercise the pass, not only its refusals.
  expect(removedTotal).toBeGreaterThan(0);
});
