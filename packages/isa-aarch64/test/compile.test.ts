// Compiles every function of upstream's scalar integer runtests files with
// the register allocator's checker on, and checks the typed errors of the
// pipeline: unsupported instructions and types, unknown flags.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodegenError, parseSharedFlags, SettingError } from '@clift/codegen';
import { formatUserFuncName } from '@clift/ir';
import { parseFunctions, parseTestFile } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile, lookup } from '../src/index.js';
import { INTEGER_RUNTESTS, upstreamDir } from './upstream.js';

const dir = upstreamDir();
const checked = parseSharedFlags([{ name: 'regalloc_checker', value: 'true' }]);

describe('upstream integer runtests compile checker-clean', () => {
  if (!dir) {
    it('needs ../shared/upstream-filetests or CLIFT_UPSTREAM_FILETESTS', () => {
      if (process.env.CI === 'true') throw new Error('upstream filetests are missing');
      console.warn('upstream filetests not found: skipping the conformance compile suite');
    });
    return;
  }
  it.each(INTEGER_RUNTESTS)('%s', (file) => {
    const t = parseTestFile(readFileSync(join(dir, 'runtests', file), 'utf8'), file);
    expect(t.functions.length).toBeGreaterThan(0);
    for (const f of t.functions) {
      for (const algorithm of ['backtracking', 'single_pass']) {
        const flags = checked.with('regalloc_algorithm', algorithm);
        let r;
        try {
          r = compile(f.func, { flags, disassemble: true });
        } catch (e) {
          throw new Error(`${file} ${formatUserFuncName(f.func.name)} (${algorithm}): ${(e as Error).message}`, { cause: e });
        }
        expect(r.bytes.length % 4).toBe(0);
        expect(r.disassembly).toMatch(/block0:/);
      }
    }
  });
});

const fn = (text: string) => parseFunctions(text)[0];

describe('pipeline errors', () => {
  it('reports vector types it cannot lower as unsupported, naming instruction and type', () => {
    const f = fn(`function %v(i32x8, i32x8) -> i32x8 fast {
block0(v0: i32x8, v1: i32x8):
  v2 = iadd v0, v1
  return v2
}`);
    try {
      compile(f);
      expect.fail('compiled a 256-bit vector function');
    } catch (e) {
      expect(e).toBeInstanceOf(CodegenError);
      expect((e as CodegenError).kind).toBe('unsupported');
      expect((e as Error).message).toMatch(/unsupported: i32x8 (argument|return value) on aarch64 \(vectors wider than 128 bits\)/);
    }
    // umulhi has scalar rules only.
    const g = fn(`function %v(i16x8, i16x8) -> i16x8 fast {
block0(v0: i16x8, v1: i16x8):
  v2 = umulhi v0, v1
  return v2
}`);
    expect(() => compile(g)).toThrow(/unsupported: umulhi i16x8 on aarch64: `v2 = umulhi v0, v1`; rules tried: .*umulhi_64/);
  });

  it('names the rules tried when no rule matches', () => {
    const f = fn(`function %w(f64) -> i128 fast {
block0(v0: f64):
  v1 = fcvt_to_sint.i128 v0
  return v1
}`);
    expect(() => compile(f)).toThrow(/unsupported: fcvt_to_sint i128 on aarch64: `v1 = fcvt_to_sint.i128 v0`; rules tried: .*fcvt_to_sint \(lower\.isle:\d+\)/);
    const g = fn(`function %f(i64, i64, i64) -> i64 fast {
block0(v0: i64, v1: i64, v2: i64):
  v3 = stack_switch v0, v1, v2
  return v3
}`);
    expect(() => compile(g)).toThrow(/unsupported: stack_switch i64 on aarch64: `v3 = stack_switch v0, v1, v2`; no rule lowers this opcode/);
  });

  it('reads the pinned register only when enable_pinned_reg reserves it', () => {
    const g = fn(`function %f() -> i64 fast {
block0:
  v0 = get_pinned_reg.i64
  return v0
}`);
    expect(() => compile(g)).toThrow(/unsupported: get_pinned_reg i64 on aarch64 \(the pinned register needs enable_pinned_reg\)/);
  });

  it('rejects unknown ISA flags with a SettingError naming them', () => {
    expect(() => lookup('aarch64').set('has_lse').set('has_turbo')).toThrow(SettingError);
    expect(() => lookup('aarch64').set('has_turbo')).toThrow(/unknown aarch64 setting 'has_turbo'/);
    expect(lookup('aarch64').set('has_lse').flags().bool('has_lse')).toBe(true);
  });

  it('runs the verifier first when enable_verifier is on', () => {
    const f = fn(`function %bad(i32) -> i32 fast {
block0(v0: i32):
  v1 = iadd v0, v0
  return v0
}`);
    // Break the function: return an i64 where the signature says i32.
    f.dfg.setValueType(f.dfg.blockParam(f.layout.entryBlock()!, 0), 4 as never);
    expect(() => compile(f)).toThrow(CodegenError);
  });

  it('asks for enable_multi_ret_implicit_sret when returns do not fit registers', () => {
    const rets = Array.from({ length: 10 }, () => 'i64').join(', ');
    const vals = Array.from({ length: 10 }, () => 'v0').join(', ');
    const f = fn(`function %many(i64) -> ${rets} system_v {
block0(v0: i64):
  return ${vals}
}`);
    expect(() => compile(f)).toThrow(/enable_multi_ret_implicit_sret/);
    const r = compile(f, { flags: parseSharedFlags([{ name: 'enable_multi_ret_implicit_sret', value: 'true' }, { name: 'regalloc_checker', value: 'true' }]), disassemble: true });
    // x0-x7 in registers, the last two stored through the return-area pointer (x1, after the argument).
    expect(r.disassembly).toMatch(/str x0, \[x1\]\n\s+str x0, \[x1, #8\]/);
  });
});

describe('listing and branch simplification', () => {
  it('removes jumps to the next block and inverts conditional branches', () => {
    const f = fn(`function %m(i32, i32) -> i32 system_v {
block0(v0: i32, v1: i32):
  v2 = icmp slt v0, v1
  brif v2, block1, block2
block1:
  return v1
block2:
  return v0
}`);
    // Machine blocks follow reverse postorder: block1 comes right after block0, so
    // `b.lt block1; b block2` becomes `b.ge block2` falling through into block1.
    const r = compile(f, { disassemble: true, flags: checked });
    expect(r.disassembly).toBe(
      ['block0: ; offset 0x0', '  cmp w0, w1', '  b.ge label2', 'block1: ; offset 0x8', '  mov x0, x1', '  ret', 'block2: ; offset 0x10', '  ret', ''].join('\n'),
    );
    expect(r.stats.branchesInverted).toBe(1);
    expect(r.stats.branchesRemoved).toBe(0);
    expect(Buffer.from(r.bytes).toString('hex')).toBe('1f00016b6a000054e00301aac0035fd6c0035fd6');
  });
});
