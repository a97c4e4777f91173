// Atomic read-modify-write, compare-and-swap, load and store at every
// width, in little- and big-endian byte order, both as exclusive-access
// loops and as FEAT_LSE instructions (`has_lse`), run under QEMU (which
// implements LSE) and checked against a BigInt model, with the memory's
// bytes read back little-endian as well. The operands include the values
// where signed and unsigned orders disagree and where subword results
// would show stray upper bits.
import { parseSharedFlags, type CompiledCode } from '@clift/codegen';
import { formatUserFuncName } from '@clift/ir';
import { parseFunctions } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { qemuAvailable, runFunctions, type Invocation } from './qemu.js';

const OPS = ['add', 'sub', 'and', 'nand', 'or', 'xor', 'xchg', 'umin', 'umax', 'smin', 'smax'] as const;
type RmwName = (typeof OPS)[number];
const WIDTHS = [8, 16, 32, 64] as const;

/** Memory's new value after `op` with old value `a` and operand `x` (both unsigned `bits`-bit). */
function model(op: RmwName, a: bigint, x: bigint, bits: number): bigint {
  const u = (v: bigint): bigint => BigInt.asUintN(bits, v);
  const s = (v: bigint): bigint => BigInt.asIntN(bits, v);
  switch (op) {
    case 'add': return u(a + x);
    case 'sub': return u(a - x);
    case 'and': return a & x;
    case 'nand': return u(~(a & x));
    case 'or': return a | x;
    case 'xor': return a ^ x;
    case 'xchg': return x;
    case 'umin': return a < x ? a : x;
    case 'umax': return a > x ? a : x;
    case 'smin': return s(a) < s(x) ? a : x;
    case 'smax': return s(a) > s(x) ? a : x;
  }
}

/**
 * Each function stores its first argument to a stack slot, applies the
 * atomic, and returns (old, reloaded memory, memory reloaded little-endian).
 * The `_big` variants do all of it big-endian, so their last result is the
 * byte-swapped memory value: the bytes really are in big-endian order.
 */
function source(order: 'little' | 'big'): string {
  const fns: string[] = [];
  const sfx = order === 'big' ? '_big' : '';
  for (const bits of WIDTHS) {
    const t = `i${bits}`;
    for (const op of OPS) {
      fns.push(`function %rmw_${op}_${t}${sfx}(${t}, ${t}) -> ${t}, ${t}, ${t} {
    ss0 = explicit_slot 8
block0(v0: ${t}, v1: ${t}):
    v2 = stack_addr.i64 ss0
    store.${t} ${order} v0, v2
    v3 = atomic_rmw.${t} ${order} ${op} v2, v1
    v4 = load.${t} ${order} v2
    v5 = load.${t} little v2
    return v3, v4, v5
}`);
    }
    // %cas_same passes one value as both expected and replacement: casal's
    // compare register is overwritten, so the allocator must keep a copy.
    fns.push(`function %cas_${t}${sfx}(${t}, ${t}, ${t}) -> ${t}, ${t}, ${t} {
    ss0 = explicit_slot 8
block0(v0: ${t}, v1: ${t}, v2: ${t}):
    v3 = stack_addr.i64 ss0
    store.${t} ${order} v0, v3
    v4 = atomic_cas.${t} ${order} v3, v1, v2
    v5 = load.${t} ${order} v3
    v6 = load.${t} little v3
    return v4, v5, v6
}
function %cas_same_${t}${sfx}(${t}, ${t}) -> ${t}, ${t}, ${t} {
    ss0 = explicit_slot 8
block0(v0: ${t}, v1: ${t}):
    v2 = stack_addr.i64 ss0
    store.${t} ${order} v0, v2
    v3 = atomic_cas.${t} ${order} v2, v1, v1
    v4 = iadd v3, v1
    v5 = load.${t} ${order} v2
    v6 = load.${t} little v2
    return v4, v5, v6
}
function %load_store_${t}${sfx}(${t}, ${t}) -> ${t}, ${t}, ${t} {
    ss0 = explicit_slot 8
block0(v0: ${t}, v1: ${t}):
    v2 = stack_addr.i64 ss0
    store.${t} ${order} v0, v2
    v3 = atomic_load.${t} ${order} v2
    atomic_store.${t} ${order} v1, v2
    v4 = load.${t} ${order} v2
    v5 = load.${t} little v2
    return v3, v4, v5
}`);
  }
  return fns.join('\n\n');
}

/** `v` (of `bits` bits) with its bytes in the other order. */
function bswap(v: bigint, bits: number): bigint {
  let out = 0n;
  for (let i = 0; i < bits; i += 8) out = (out << 8n) | ((v >> BigInt(i)) & 0xffn);
  return out;
}

function operands(bits: number): bigint[] {
  const max = (1n << BigInt(bits)) - 1n;
  const half = 1n << BigInt(bits - 1);
  return [0n, 1n, 5n, max, half, half - 1n, BigInt.asUintN(bits, 0x5a3c96e1f00d1234n)];
}

const flags = parseSharedFlags([{ name: 'regalloc_checker', value: 'true' }]);
const FUNCS = [...parseFunctions(source('little')), ...parseFunctions(source('big'))];

function compileAll(lse: boolean): Map<string, CompiledCode> {
  const out = new Map<string, CompiledCode>();
  const isa = lse ? [{ name: 'has_lse', value: undefined }] : [];
  for (const f of FUNCS) out.set(formatUserFuncName(f.name).slice(1), compile(f, { flags, isa, disassemble: true }));
  return out;
}

describe('atomics', () => {
  const loops = compileAll(false);
  const lse = compileAll(true);

  it('uses single LSE instructions under has_lse, except for nand', () => {
    const dis = (m: Map<string, CompiledCode>, name: string): string => m.get(name)!.disassembly!;
    expect(dis(lse, 'rmw_add_i64')).toMatch(/ldaddal x\d+, x\d+, \[x\d+\]/);
    expect(dis(lse, 'rmw_sub_i8')).toMatch(/neg (w\d+), w\d+\n\s+ldaddalb \1, /);
    expect(dis(lse, 'rmw_and_i16')).toMatch(/mvn (w\d+), w\d+\n\s+ldclralh \1, /);
    expect(dis(lse, 'rmw_or_i32')).toMatch(/ldsetal w/);
    expect(dis(lse, 'rmw_xor_i8')).toMatch(/ldeoralb w/);
    expect(dis(lse, 'rmw_smax_i16')).toMatch(/ldsmaxalh w/);
    expect(dis(lse, 'rmw_smin_i64')).toMatch(/ldsminal x/);
    expect(dis(lse, 'rmw_umax_i8')).toMatch(/ldumaxalb w/);
    expect(dis(lse, 'rmw_umin_i32')).toMatch(/lduminal w/);
    expect(dis(lse, 'rmw_xchg_i64')).toMatch(/swpal x/);
    expect(dis(lse, 'cas_i16')).toMatch(/casalh w/);
    expect(dis(lse, 'rmw_nand_i32')).toMatch(/ldaxr w/);
    for (const [name, code] of loops) expect(code.disassembly, name).not.toMatch(/ld(add|clr|set|eor|smax|smin|umax|umin)al|swpal|casal/);
  });

  it('keeps LSE for big-endian bitwise operations, reversing operand and result', () => {
    const dis = (name: string): string => lse.get(name)!.disassembly!;
    expect(dis('rmw_or_i32_big')).toMatch(/rev (w\d+), w\d+\n\s+ldsetal \1, (w\d+), \[x\d+\]\n\s+rev w\d+, \2/);
    expect(dis('rmw_xchg_i16_big')).toMatch(/rev16 (w\d+), w\d+\n\s+swpalh \1, /);
    expect(dis('cas_i64_big')).toMatch(/casal x/);
    // Arithmetic needs the value in native order between load and store: the loop.
    expect(dis('rmw_add_i64_big')).toMatch(/ldaxr (x\d+), \[x\d+\]\n\s+rev \1, \1\n/);
    expect(dis('rmw_umax_i16_big')).toMatch(/ldaxrh/);
    // Single bytes have no order: the same code as little-endian.
    expect(dis('rmw_add_i8_big')).toMatch(/ldaddalb/);
  });

  it.skipIf(!qemuAvailable())('compute what the model computes, with and without LSE, in either byte order', () => {
    const calls: Invocation[] = [];
    const want: { text: string; values: bigint[]; bits: number }[] = [];
    for (const sfx of ['', '_big']) {
      const mem = (v: bigint, bits: number): bigint => (sfx === '' ? v : bswap(v, bits));
      for (const bits of WIDTHS) {
        const vals = operands(bits);
        const expect3 = (func: string, args: bigint[], r0: bigint, stored: bigint): void => {
          calls.push({ func, args, numResults: 3 });
          want.push({ text: `${func}(${args.join(', ')})`, values: [r0, stored, mem(stored, bits)], bits });
        };
        for (const op of OPS) for (const a of vals) for (const x of vals) expect3(`rmw_${op}_i${bits}${sfx}`, [a, x], a, model(op, a, x, bits));
        for (const a of vals) {
          for (const e of [a, vals[1], vals[3]]) {
            expect3(`cas_i${bits}${sfx}`, [a, e, vals[4]], a, a === e ? vals[4] : a);
            expect3(`cas_same_i${bits}${sfx}`, [a, e], BigInt.asUintN(bits, a + e), a);
          }
          expect3(`load_store_i${bits}${sfx}`, [a, vals[6]], a, vals[6]);
        }
      }
    }
    for (const [label, funcs] of [['loops', loops], ['lse', lse]] as const) {
      const results = runFunctions(funcs, calls);
      const failures: string[] = [];
      results.forEach((r, i) => {
        const got = r.map((v) => BigInt.asUintN(want[i].bits, v));
        if (got.some((g, k) => g !== want[i].values[k])) failures.push(`${label}: ${want[i].text} = ${got.join(', ')}, want ${want[i].values.join(', ')}`);
      });
      expect(failures).toEqual([]);
    }
  });
});
