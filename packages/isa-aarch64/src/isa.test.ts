// A compile `Context` reuses its lowering tables, VCode columns and
// MachBuffer across functions. These tests check that reuse is
// invisible: a sequence of functions of different sizes and shapes, with a
// refused function and a small one after a large one, compiles to exactly
// what a fresh context produces for each (bytes, relocations, traps,
// listings, VCode), and the block order refilled in place matches a fresh
// one.
import { BlockLoweringOrder, CodegenError, Context, parseSharedFlags, type CompileResult } from '@clift/codegen';
import type { Function } from '@clift/ir';
import { parseFunctions } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { lookup } from './index.js';

/** A function with `n` blocks in a chain of diamonds and a loop, so that every table must grow past its initial size. */
function bigFunction(n: number): string {
  const lines = ['function %big(i64, i64) -> i64 system_v {', 'block0(v0: i64, v1: i64):', '    v2 = iconst.i64 0', '    jump block1(v0, v2)'];
  let v = 10;
  for (let b = 1; b <= n; b++) {
    const x = v++;
    const acc = v++;
    lines.push(`block${b}(v${x}: i64, v${acc}: i64):`);
    let cur = acc;
    for (let k = 0; k < 6; k++) {
      const t = v++;
      lines.push(`    v${t} = ${['iadd', 'bxor', 'imul', 'isub', 'band', 'bor'][k]} v${cur}, v${x}`);
      cur = t;
    }
    const k = v++;
    const c = v++;
    lines.push(`    v${k} = iconst.i64 ${b * 7}`, `    v${c} = icmp ugt v${cur}, v${k}`);
    if (b < n) lines.push(`    brif v${c}, block${b + 1}(v${x}, v${cur}), block${b + 1}(v${cur}, v${x})`);
    else lines.push(`    return v${cur}`);
  }
  lines.push('}');
  return lines.join('\n');
}

const SOURCES = `
function %leaf(i64, i64) -> i64 system_v {
block0(v0: i64, v1: i64):
    v2 = iadd v0, v1
    return v2
}

function %calls(i64) -> i64 system_v {
    fn0 = %other(i64) -> i64
    ss0 = explicit_slot 16
block0(v0: i64):
    v1 = call fn0(v0)
    v2 = stack_addr.i64 ss0
    store v1, v2
    v3 = load.i64 v2
    v4 = iadd v3, v0
    return v4
}

function %table(i32, i64) -> i64 system_v {
block0(v0: i32, v1: i64):
    br_table v0, block3, [block1, block2, block1]
block1:
    v2 = iconst.i64 1
    jump block4(v2)
block2:
    v3 = iconst.i64 2
    jump block4(v3)
block3:
    jump block4(v1)
block4(v4: i64):
    return v4
}

function %wide(i128, i128) -> i128 system_v {
block0(v0: i128, v1: i128):
    v2 = iadd v0, v1
    v3 = imul v2, v1
    return v3
}

function %trapping(i64, i64) -> i64 system_v {
block0(v0: i64, v1: i64):
    v2 = udiv v0, v1
    v3 = iconst.i64 0x123456789abc
    v4 = iadd v2, v3
    return v4
}

function %refused(i32x8) -> i32x8 system_v {
block0(v0: i32x8):
    v1 = iadd v0, v0
    return v1
}
`;

/** Everything a compilation produces that reuse could disturb. */
function summary(r: CompileResult): unknown {
  return {
    bytes: Array.from(r.bytes),
    relocations: r.relocations.map((x) => ({ ...x, addend: String(x.addend) })),
    traps: r.traps,
    disassembly: r.disassembly,
    vcode: r.vcode,
    stats: r.stats,
  };
}

function compileOrError(ctx: Context, f: Function, level: string): unknown {
  const isa = lookup('aarch64').finish(parseSharedFlags([{ name: 'opt_level', value: level }]));
  try {
    return summary(ctx.compile(f, isa, { disassemble: true, vcode: true }));
  } catch (e) {
    if (e instanceof CodegenError) return `${e.kind}: ${e.message}`;
    throw e;
  }
}

const fresh = (): Function[] => parseFunctions(`${SOURCES}\n${bigFunction(120)}\n${SOURCES}`);

describe('a reused compile context', () => {
  for (const level of ['none', 'speed']) {
    it(`compiles a mixed sequence exactly as fresh contexts do (opt_level=${level})`, () => {
      const expected = fresh().map((f) => compileOrError(new Context(), f, level));
      const shared = new Context();
      const got = fresh().map((f) => compileOrError(shared, f, level));
      expect(got).toEqual(expected);
      // The refused (256-bit vector) function failed in lowering, and the functions after it still compiled.
      expect(got.filter((g) => typeof g === 'string')).toHaveLength(2);
      expect(got.filter((g) => typeof g !== 'string').length).toBe(got.length - 2);
      // The large function outgrows every initial table size (1 KiB of code, 64 instructions, 16 blocks).
      const sizes = got.map((g) => (typeof g === 'string' ? 0 : (g as { bytes: number[] }).bytes.length));
      expect(Math.max(...sizes)).toBeGreaterThan(1024);
    });
  }

  it('refills the block order in place like a fresh one', () => {
    const shared = new BlockLoweringOrder();
    for (const f of fresh()) {
      shared.compute(f);
      const ref = new BlockLoweringOrder(f);
      const n = ref.numBlocks;
      expect(shared.numBlocks).toBe(n);
      const ns = ref.succStart[n];
      const prefix = (a: Int32Array, len: number): number[] => Array.from(a.subarray(0, len));
      for (const key of ['irBlock', 'edgeFrom', 'edgeTo', 'edgeSucc'] as const) expect(prefix(shared[key], n)).toEqual(prefix(ref[key], n));
      expect(prefix(shared.succStart, n + 1)).toEqual(prefix(ref.succStart, n + 1));
      expect(prefix(shared.predStart, n + 1)).toEqual(prefix(ref.predStart, n + 1));
      expect(prefix(shared.succs, ns)).toEqual(prefix(ref.succs, ns));
      expect(prefix(shared.preds, ns)).toEqual(prefix(ref.preds, ns));
      expect(prefix(shared.loweredIndex, f.dfg.numBlocks())).toEqual(prefix(ref.loweredIndex, f.dfg.numBlocks()));
    }
  });

  it('emits the same bytes with and without a listing', () => {
    const isa = lookup('aarch64').finish(parseSharedFlags([]));
    const ctx = new Context();
    const text = `${SOURCES.split('function %refused')[0]}\n${bigFunction(12)}`;
    const plain = parseFunctions(text).map((f) => ctx.compile(f, isa));
    const listed = parseFunctions(text).map((f) => ctx.compile(f, isa, { disassemble: true }));
    expect(listed.map((r) => Array.from(r.bytes))).toEqual(plain.map((r) => Array.from(r.bytes)));
    for (const r of listed) expect(r.disassembly).toMatch(/block0:/);
    for (const r of plain) expect(r.disassembly).toBeUndefined();
  });
});
