// Tail calls and the `tail` convention's callee-pops stack arguments, run
// under QEMU: a `return_call` whose callee takes more stack arguments than
// the caller received (the argument area grows over the caller's frame) and
// fewer (it shrinks), plus ordinary calls into a `tail` function with stack
// arguments (the caller re-lowers SP after the callee popped them). A wrong
// SP after any of these corrupts the callers' frames within a few of the
// many iterations.
import { parseSharedFlags, type CompiledCode } from '@clift/codegen';
import { formatUserFuncName } from '@clift/ir';
import { parseFunctions } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { qemuAvailable, runFunctions } from './qemu.js';

const ARGS20 = Array.from({ length: 20 }, () => 'i64').join(', ');
const PARAMS20 = Array.from({ length: 20 }, (_, i) => `v${i + 2}: i64`).join(', ');

// %big takes 14 stack arguments (112 bytes); %small none. %big counts down
// through %small, which tail-calls %big again with a fresh stack area and
// %big adds its 12th stack argument each round. %outer keeps a value live
// across both calls (in a callee-saved register or a spill slot), so SP and
// the saved registers must be right after every teardown.
const SOURCE = `
function %big(i64, i64, ${ARGS20}) -> i64 tail {
    fn0 = %small(i64, i64) -> i64 tail
block0(v0: i64, v1: i64, ${PARAMS20}):
    brif v0, block1, block2
block1:
    v30 = iadd v1, v21
    v31 = iconst.i64 1
    v32 = isub v0, v31
    return_call fn0(v32, v30)
block2:
    v33 = iadd v1, v21
    return v33
}

function %small(i64, i64) -> i64 tail {
    fn0 = %big(i64, i64, ${ARGS20}) -> i64 tail
block0(v0: i64, v1: i64):
    v2 = iconst.i64 3
    return_call fn0(v0, v1, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2)
}

function %outer(i64) -> i64 system_v {
    fn0 = %big(i64, i64, ${ARGS20}) -> i64 tail
    fn1 = %id(i64) -> i64
block0(v0: i64):
    v1 = iconst.i64 0
    v2 = iconst.i64 5
    v3 = call fn1(v0)
    v4 = call fn0(v0, v1, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2)
    v5 = call fn0(v1, v1, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2, v2)
    v6 = iadd v4, v5
    v7 = iadd v6, v3
    return v7
}

function %id(i64) -> i64 {
block0(v0: i64):
    return v0
}
`;

const flags = parseSharedFlags([{ name: 'regalloc_checker', value: 'true' }]);

describe('tail calls', () => {
  const compiled = new Map<string, CompiledCode>();
  for (const f of parseFunctions(SOURCE)) compiled.set(formatUserFuncName(f.name).slice(1), compile(f, { flags, disassemble: true }));

  it('lists the whole teardown and branch of a return_call', () => {
    const small = compiled.get('small')!.disassembly!;
    // The argument copy ends by moving SP to the new area, then branches through the literal.
    expect(small).toMatch(/mov sp, x17\n\s+ldr x16, #8\n\s+b #12\n\s+data %big \+ 0\n\s+br x16\n/);
    const big = compiled.get('big')!.disassembly!;
    // %big pops its 112 bytes of stack arguments on return.
    expect(big).toMatch(/add sp, sp, #112\n\s+ret\n/);
    // A caller of %big lowers SP again after the call.
    expect(compiled.get('outer')!.disassembly!).toMatch(/bl?r? .*\n\s+sub sp, sp, #112\n/);
  });

  it.skipIf(!qemuAvailable())('keeps SP and callee-saved registers intact across growing and shrinking tail calls', () => {
    // outer(n) = (5 + 3·n) [first call: n rounds through %small] + 5 [second call: none] + n
    const ns = [0n, 1n, 2n, 7n, 100_000n];
    const results = runFunctions(
      compiled,
      ns.map((n) => ({ func: 'outer', args: [n], numResults: 1 })),
    );
    expect(results.map((r) => r[0])).toEqual(ns.map((n) => 5n + 3n * n + 5n + n));
  });
});
