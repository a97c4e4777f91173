// Each constraint kind, through both allocators, checked twice: by the
// checker and by looking at the allocation directly.
import { describe, expect, it } from 'vitest';
import { DataFunction, fuzzMachine, type FunctionData } from './fuzzing/index.js';
import { allocIndex, allocIsReg, allocIsStack, checkOutput, instAllocs, pregHw, run, type Algorithm, type MachineEnv, type Output, type PReg } from './index.js';
import { any, block, br, defE, defL, F, fixed, fr, I, jump, limit, op, r, reg, ret, reuse, stack, straight, useE, useL } from '../test/helpers.js';

const algorithms: Algorithm[] = ['backtracking', 'fastalloc'];

function allocate(data: FunctionData, algorithm: Algorithm, env: MachineEnv = fuzzMachine({ regs: [4, 4] })): Output {
  const f = new DataFunction(data);
  const out = run(f, env, { algorithm });
  expect(checkOutput(f, env, out)).toEqual([]);
  return out;
}
const at = (out: Output, inst: number, k: number): number => instAllocs(out, inst)[k];

describe.each(algorithms)('%s allocator', (algorithm) => {
  it('any: register or stack', () => {
    const out = allocate(straight(1, [op(defL(I(0), any)), op(useE(I(0), any)), ret()]), algorithm);
    const a = at(out, 1, 0) as Parameters<typeof allocIsReg>[0];
    expect(allocIsReg(a) || allocIsStack(a)).toBe(true);
  });
  it('reg: an allocatable register', () => {
    const out = allocate(straight(2, [op(defL(I(0))), op(useE(I(0)), defL(I(1))), ret(useE(I(1)))]), algorithm);
    for (const [i, k] of [[0, 0], [1, 0], [1, 1], [2, 0]]) expect(allocIsReg(at(out, i, k) as never)).toBe(true);
  });
  it('stack: a spill slot, for uses and defs', () => {
    const out = allocate(straight(2, [op(defL(I(0), stack)), op(useE(I(0), stack), defL(I(1), stack)), ret(useE(I(1)))]), algorithm);
    expect(allocIsStack(at(out, 0, 0) as never)).toBe(true);
    expect(allocIsStack(at(out, 1, 0) as never)).toBe(true);
    expect(allocIsStack(at(out, 1, 1) as never)).toBe(true);
    expect(out.numSpillslots).toBeGreaterThan(0);
  });
  it('fixed: exactly the named register, for uses and defs', () => {
    const out = allocate(straight(3, [op(defL(I(0), fixed(r(2)))), op(useE(I(0), fixed(r(3))), defL(I(1), fixed(r(3)))), op(useE(I(0), fixed(r(1))), useE(I(1), fixed(r(0)))), ret()]), algorithm);
    expect(at(out, 0, 0)).toBe(0x20000000 | r(2));
    expect(at(out, 1, 0)).toBe(0x20000000 | r(3));
    expect(at(out, 1, 1)).toBe(0x20000000 | r(3));
    expect(at(out, 2, 0)).toBe(0x20000000 | r(1));
    expect(at(out, 2, 1)).toBe(0x20000000 | r(0));
  });
  it('fixed: one value in two fixed registers at once', () => {
    const out = allocate(straight(1, [op(defL(I(0))), op(useE(I(0), fixed(r(0))), useE(I(0), fixed(r(1))), useE(I(0))), ret()]), algorithm);
    expect(at(out, 1, 0)).toBe(0x20000000 | r(0));
    expect(at(out, 1, 1)).toBe(0x20000000 | r(1));
  });
  it('fixed: fixed stack slots', () => {
    const env = fuzzMachine({ regs: [4, 4] });
    const slot = env.fixedStackSlots[0];
    const out = allocate(straight(1, [op(defL(I(0), stack)), op(useE(I(0), fixed(slot))), ret(useE(I(0)))]), algorithm, env);
    expect(at(out, 1, 0)).toBe(0x20000000 | slot);
  });
  it('reuse: the def shares the input register, live-through input or not', () => {
    const out = allocate(
      straight(4, [op(defL(I(0)), defL(I(1))), op(useE(I(0)), useE(I(1)), defL(I(2), reuse(0))), op(useE(I(1)), defL(I(3), reuse(0))), ret(useE(I(0)), useE(I(2)), useE(I(3)))]),
      algorithm,
    );
    expect(at(out, 1, 2)).toBe(at(out, 1, 0));
    expect(at(out, 2, 1)).toBe(at(out, 2, 0));
    expect(allocIsReg(at(out, 1, 2) as never)).toBe(true);
  });
  it('limit: a register below the limit', () => {
    const env = fuzzMachine({ regs: [8, 4] });
    const out = allocate(straight(2, [op(defL(I(0), limit(2))), op(useE(I(0), limit(4)), defL(I(1), limit(2))), ret(useE(I(1)))]), algorithm, env);
    expect(pregHw(allocIndex(at(out, 0, 0) as never) as PReg)).toBeLessThan(2);
    expect(pregHw(allocIndex(at(out, 1, 0) as never) as PReg)).toBeLessThan(4);
    expect(pregHw(allocIndex(at(out, 1, 1) as never) as PReg)).toBeLessThan(2);
  });
  it('early defs do not share registers with uses; late defs may', () => {
    const out = allocate(straight(3, [op(defL(I(0))), op(useE(I(0)), defE(I(1)), defL(I(2))), ret(useE(I(1)), useE(I(2)))]), algorithm);
    expect(at(out, 1, 1)).not.toBe(at(out, 1, 0));
    expect(at(out, 1, 2)).not.toBe(at(out, 1, 1));
  });
  it('late uses stay intact through late defs', () => {
    const out = allocate(straight(3, [op(defL(I(0)), defL(I(1))), op(useE(I(0)), useL(I(1)), defL(I(2))), ret(useE(I(2)))]), algorithm);
    expect(at(out, 1, 2)).not.toBe(at(out, 1, 1));
  });
  it('clobbers: values live across a call avoid clobbered registers', () => {
    const clobbers = [r(0), r(1)];
    const out = allocate(straight(2, [op(defL(I(0))), { ops: [defL(I(1), fixed(r(0)))], clobbers }, ret(useE(I(0)), useE(I(1)))]), algorithm);
    expect(checkOutput(new DataFunction(straight(2, [op(defL(I(0))), { ops: [defL(I(1), fixed(r(0)))], clobbers }, ret(useE(I(0)), useE(I(1)))])), fuzzMachine({ regs: [4, 4] }), out)).toEqual([]);
  });
  it('spills when more values are live than registers', () => {
    const n = 12;
    const defs = Array.from({ length: n }, (_, k) => op(defL(I(k))));
    const uses = Array.from({ length: n }, (_, k) => op(useE(I(k))));
    const out = allocate(straight(n, [...defs, ...uses, ret()]), algorithm);
    expect(out.stats.spills).toBeGreaterThan(0);
    expect(out.stats.reloads).toBeGreaterThan(0);
  });
  it('block parameters that swap around a loop (a parallel-move cycle), with and without scratch', () => {
    const data: FunctionData = {
      blocks: [
        block([op(defL(I(0)), defL(I(1)), defL(F(6))), jump()], [1], [[I(0), I(1)]]),
        block([op(useE(I(2)), useE(I(3)), defL(I(4))), br(useE(I(4)))], [2, 3], [[], []], [I(2), I(3)]),
        block([jump()], [1], [[I(3), I(2)]]),
        block([ret(useE(I(2), fixed(r(0))), useE(F(6), fixed(fr(0))))]),
      ],
      numVregs: 7,
    };
    for (const scratch of [true, false]) allocate(data, algorithm, fuzzMachine({ regs: [4, 4], scratch }));
  });
  it('mixes classes', () => {
    allocate(straight(4, [op(defL(I(0)), defL(F(1))), op(useE(I(0)), useE(F(1)), defL(F(2), reuse(1)), defL(I(3), reg)), ret(useE(F(2)), useE(I(3)))]), algorithm);
  });
});
