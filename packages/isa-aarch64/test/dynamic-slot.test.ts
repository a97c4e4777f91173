// Dynamic stack slots: `dynamic_stack_addr` gives each slot its own
// 16-byte-aligned 16 bytes (one Neon vector: AArch64 without SVE has no
// larger dynamic vector) in the frame, after the sized slots; run under
// QEMU, storing through every slot and reading all of it back.
import { parseSharedFlags, type CompiledCode } from '@clift/codegen';
import { formatUserFuncName } from '@clift/ir';
import { parseFunctions } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { qemuAvailable, runFunctions } from './qemu.js';

const SOURCE = `
function %dyn(i64, i64, i64) -> i64, i64, i64, i64, i64, i64 {
    ss0 = explicit_slot 12
    gv0 = dyn_scale_target_const.i32x4
    dt0 = i32x4*gv0
    dss0 = explicit_dynamic_slot dt0
    dss1 = explicit_dynamic_slot dt0
block0(v0: i64, v1: i64, v2: i64):
    v3 = stack_addr.i64 ss0
    v4 = dynamic_stack_addr.i64 dss0
    v5 = dynamic_stack_addr.i64 dss1
    store v0, v3+4
    store v1, v4+8
    store v2, v5
    v6 = load.i64 v3+4
    v7 = load.i64 v4+8
    v8 = load.i64 v5
    v9 = isub v5, v4
    v10 = isub v4, v3
    v12 = iconst.i64 15
    v11 = band v4, v12
    return v6, v7, v8, v9, v10, v11
}
`;

const flags = parseSharedFlags([{ name: 'regalloc_checker', value: 'true' }]);

describe('dynamic stack slots', () => {
  const funcs = new Map<string, CompiledCode>();
  for (const f of parseFunctions(SOURCE)) funcs.set(formatUserFuncName(f.name).slice(1), compile(f, { flags, disassemble: true }));

  it('lay out after the sized slots in a frame that holds them', () => {
    // 12 bytes of ss0, then two 16-aligned 16-byte dynamic slots: 48 bytes.
    expect(funcs.get('dyn')!.disassembly).toMatch(/sub sp, sp, #48/);
  });

  it.skipIf(!qemuAvailable())('give every slot room of its own', () => {
    const [r] = runFunctions(funcs, [{ func: 'dyn', args: [0x1111n, 0x2222n, 0x3333n], numResults: 6 }]);
    expect(r).toEqual([0x1111n, 0x2222n, 0x3333n, 16n, 16n, 0n]);
  });
});
