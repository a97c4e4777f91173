// The pinned register under `enable_pinned_reg`: x21, read and written by
// get_pinned_reg/set_pinned_reg, never allocated (so its value survives any
// register pressure and calls), never saved or restored by a frame (so a
// write stays visible to the caller), even where a try_call makes the frame
// save every other callee-saved register. Upstream's runtest of the pair
// (runtests/pinned-reg.clif, interpreted there) runs here under QEMU.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSharedFlags, type CompiledCode } from '@clift/codegen';
import { formatUserFuncName } from '@clift/ir';
import { parseFunctions, parseTestFile } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { qemuAvailable, runFunctions, type Invocation } from './qemu.js';
import { upstreamDir } from './upstream.js';

const pinned = parseSharedFlags([
  { name: 'enable_pinned_reg', value: 'true' },
  { name: 'regalloc_checker', value: 'true' },
]);

/** Sums `n` values that are all live at once, plus the pinned register read at the end. */
function pressure(n: number): string {
  const lines = ['function %pressure(i64, i64) -> i64 {', 'block0(v0: i64, v1: i64):', '    set_pinned_reg v1'];
  for (let i = 0; i < n; i++) lines.push(`    v${100 + i} = iconst.i64 ${i * 7 + 1}`, `    v${200 + i} = imul v0, v${100 + i}`);
  let acc = 'v200';
  for (let i = 1; i < n; i++) {
    lines.push(`    v${300 + i} = iadd ${acc}, v${200 + i}`);
    acc = `v${300 + i}`;
  }
  lines.push('    v2 = get_pinned_reg.i64', `    v3 = iadd ${acc}, v2`, '    return v3', '}');
  return lines.join('\n');
}

const SOURCE = `
function %get() -> i64 {
block0:
    v0 = get_pinned_reg.i64
    return v0
}

function %set_then_call(i64) -> i64 {
    fn0 = colocated %get() -> i64
block0(v0: i64):
    set_pinned_reg v0
    v1 = call fn0()
    return v1
}

function %set_in_callee(i64) -> i64 {
    fn0 = colocated %set(i64)
block0(v0: i64):
    call fn0(v0)
    v1 = get_pinned_reg.i64
    return v1
}

function %set(i64) {
block0(v0: i64):
    set_pinned_reg v0
    return
}

${pressure(30)}
`;

const TRY_CALL = `
function %catching(i64) -> i64 {
    sig0 = () tail
    fn0 = %g() tail
block0(v0: i64):
    set_pinned_reg v0
    try_call fn0(), sig0, block1(), [ default: block2() ]
block1:
    v1 = get_pinned_reg.i64
    return v1
block2:
    v2 = get_pinned_reg.i64
    return v2
}
`;

function compileAll(text: string): Map<string, CompiledCode> {
  const out = new Map<string, CompiledCode>();
  for (const f of parseFunctions(text)) out.set(formatUserFuncName(f.name).slice(1), compile(f, { flags: pinned, disassemble: true }));
  return out;
}

describe('the pinned register', () => {
  const funcs = compileAll(SOURCE);

  it('is x21, which the allocator leaves alone even under pressure', () => {
    const dis = funcs.get('pressure')!.disassembly!;
    // Enough values are live at once to need callee-saved registers ...
    expect(dis).toMatch(/stp x19, x20/);
    // ... but x21 is only written by set_pinned_reg and read by get_pinned_reg.
    const uses = dis.split('\n').filter((l) => /\b[xw]21\b/.test(l)).map((l) => l.trim());
    expect(uses).toHaveLength(2);
    expect(uses[0]).toMatch(/^mov x21, x\d+$/);
    expect(uses[1]).toMatch(/^mov x\d+, x21$/);
  });

  it('is not saved by a frame, not even one a try_call makes save every callee-saved register', () => {
    const r = compileAll(TRY_CALL).get('catching')!;
    expect(r.disassembly).toMatch(/stp x19, x20, \[sp, #-16\]!\n\s+stp x22, x23/);
    expect(r.disassembly).not.toMatch(/(stp|ldp|str|ldr)[^\n]*\bx21\b/);
  });

  it('needs enable_pinned_reg', () => {
    const f = parseFunctions(SOURCE)[0];
    expect(() => compile(f, { flags: parseSharedFlags([]) })).toThrow(/the pinned register needs enable_pinned_reg/);
  });

  it.skipIf(!qemuAvailable())("keeps its value across calls and under pressure, and upstream's runtest holds", () => {
    const calls: Invocation[] = [];
    const want: bigint[][] = [];
    const add = (func: string, args: bigint[], expected: bigint[]): void => {
      calls.push({ func, args, numResults: expected.length });
      want.push(expected);
    };
    const v = 0xdeadbeef_c0ffeeeen;
    add('set_then_call', [v], [v]);
    add('set_in_callee', [v], [v]);
    const sum = Array.from({ length: 30 }, (_, i) => BigInt(i * 7 + 1)).reduce((a, b) => a + b, 0n);
    add('pressure', [3n, v], [BigInt.asUintN(64, 3n * sum + v)]);
    const dir = upstreamDir();
    const all = new Map(funcs);
    if (dir !== undefined) {
      const t = parseTestFile(readFileSync(join(dir, 'runtests', 'pinned-reg.clif'), 'utf8'), 'pinned-reg.clif');
      for (const f of t.functions) {
        all.set(formatUserFuncName(f.func.name).slice(1), compile(f.func, { flags: pinned }));
        for (const rc of f.runCommands) if (rc.kind === 'run') add(rc.funcName, rc.args.map((a) => a.bits), rc.expected.map((e) => BigInt.asUintN(64, e.bits)));
      }
    }
    expect(runFunctions(all, calls)).toEqual(want);
  });
});
