import { describe, expect, it } from 'vitest';
import { DataFunction, fuzzMachine, withBulkAccessors, type FunctionData } from './fuzzing/index.js';
import { preg, RegallocFailure, RegClass, run, type MachineEnv, type RegallocError, type RegallocFunction } from './index.js';
import { any, block, br, defE, defL, F, fixed, I, jump, limit, op, r, ret, reuse, stack, straight, useE, useL } from '../test/helpers.js';

const env = fuzzMachine({ regs: [4, 4] });

function errorOf(f: RegallocFunction, machine: MachineEnv): RegallocError | null {
  try {
    run(f, machine);
  } catch (e) {
    expect(e).toBeInstanceOf(RegallocFailure);
    return (e as RegallocFailure).error;
  }
  return null;
}

/** The error of `data` with each allocator; the bulk accessors (typed, plain, padded) must report the same. */
function failure(data: FunctionData, machine: MachineEnv = env): RegallocError {
  const want = errorOf(new DataFunction(data), machine);
  for (const opts of [{}, { typed: false }, { pad: 3 }])
    expect(errorOf(withBulkAccessors(new DataFunction(data), opts), machine)).toEqual(want);
  for (const algorithm of ['backtracking', 'fastalloc'] as const) {
    try {
      run(new DataFunction(data), machine, { algorithm });
    } catch (e) {
      expect(e).toBeInstanceOf(RegallocFailure);
      const err = (e as RegallocFailure).error;
      if (algorithm === 'fastalloc') return err;
      continue;
    }
    throw new Error(`${algorithm} accepted invalid input`);
  }
  throw new Error('unreachable');
}

describe('input validation', () => {
  it('reports a vreg defined twice, naming it and the instruction', () => {
    const e = failure(straight(146, [op(defL(I(145))), op(defL(I(145))), ret()]));
    expect(e.kind).toBe('SsaViolation');
    expect(e.message).toBe('SSA violation: v145 (int) defined twice, second definition at inst 1');
  });
  it('reports a block parameter defined again by an instruction', () => {
    const e = failure({ blocks: [block([op(defL(I(1))), jump()], [1], [[I(1)]]), block([op(defL(I(0))), ret()], [], [], [I(0)])], numVregs: 2 });
    expect(e.kind).toBe('SsaViolation');
    expect(e.message).toContain('v0 (int) defined twice');
  });
  it('reports a use that is never defined', () => {
    const e = failure(straight(2, [op(useE(I(1))), ret()]));
    expect(e).toMatchObject({ kind: 'SsaViolation', inst: 0 });
    expect(e.message).toContain('never defined');
  });
  it('reports a use before its definition in the same block', () => {
    const e = failure(straight(2, [op(useE(I(1))), op(defL(I(1))), ret()]));
    expect(e).toMatchObject({ kind: 'SsaViolation', inst: 0 });
    expect(e.message).toContain('before its definition');
  });
  it('reports a value live into the entry block', () => {
    // block0 -> block1 | block2 -> block3; v1 is defined only in block1 but used in block3.
    const data: FunctionData = {
      blocks: [
        block([op(defL(I(0))), br(useE(I(0)))], [1, 2]),
        block([op(defL(I(1))), jump()], [3]),
        block([jump()], [3]),
        block([ret(useE(I(1)))]),
      ],
      numVregs: 2,
    };
    const e = failure(data);
    expect(e.kind).toBe('EntryLiveIn');
    expect(e.message).toContain('v1 (int)');
  });
  it('reports a vreg used with two classes', () => {
    const e = failure(straight(1, [op(defL(I(0))), op(useE(F(0))), ret()]));
    expect(e).toMatchObject({ kind: 'BadVReg', inst: 1 });
  });
  it('reports a vreg index beyond numVregs', () => {
    expect(failure(straight(1, [op(defL(I(3))), ret()]))).toMatchObject({ kind: 'BadVReg', inst: 0 });
  });
  it('reports a critical edge', () => {
    const data: FunctionData = {
      blocks: [block([op(defL(I(0))), br(useE(I(0)))], [1, 2]), block([jump()], [2]), block([ret()])],
      numVregs: 1,
    };
    expect(failure(data)).toMatchObject({ kind: 'CriticalEdge', from: 0, to: 2 });
  });
  it('reports branch argument count mismatches', () => {
    const data: FunctionData = { blocks: [block([op(defL(I(0))), jump()], [1], [[]]), block([ret()], [], [], [I(1)])], numVregs: 2 };
    expect(failure(data)).toMatchObject({ kind: 'BranchArgs', block: 0, inst: 1 });
  });
  it('reports branch arguments of the wrong class', () => {
    const data: FunctionData = { blocks: [block([op(defL(F(0))), jump()], [1], [[F(0)]]), block([ret()], [], [], [I(1)])], numVregs: 2 };
    expect(failure(data).kind).toBe('BranchArgs');
  });
  it('reports a block that does not end in a terminator, or one mid-block', () => {
    expect(failure(straight(1, [op(defL(I(0)))]))).toMatchObject({ kind: 'BadTerminator', inst: 0 });
    expect(failure(straight(1, [ret(), op(defL(I(0))), ret()]))).toMatchObject({ kind: 'BadTerminator', inst: 0 });
  });
  it('reports inconsistent successor and predecessor lists', () => {
    const f = new DataFunction({ blocks: [block([jump()], [1]), block([ret()])], numVregs: 0 });
    f.blockPreds = () => [];
    expect(() => run(f, env)).toThrow(/does not list|not matched/);
  });
  it('reports bad block layouts', () => {
    const f = new DataFunction({ blocks: [block([ret()]), block([ret()])], numVregs: 0 });
    f.blockInsts = (b) => (b === 0 ? [0, 1] : [0, 2]) as never;
    try {
      run(f, env);
      throw new Error('accepted');
    } catch (e) {
      expect((e as RegallocFailure).error.kind).toBe('BadBlockLayout');
    }
  });
  it('reports a jump into a merge block that carries operands', () => {
    const data: FunctionData = {
      blocks: [block([op(defL(I(0))), br(useE(I(0)))], [1, 2]), block([br(useE(I(0)))], [3]), block([jump()], [3]), block([ret()])],
      numVregs: 1,
    };
    expect(failure(data)).toMatchObject({ kind: 'DisallowedBranchOperand', block: 1, inst: 2 });
  });
  it('reports entry block parameters', () => {
    expect(failure({ blocks: [block([ret()], [], [], [I(0)])], numVregs: 1 }).kind).toBe('BadCfg');
  });
  it('reports malformed operands', () => {
    const cases: FunctionData[] = [
      // reuse of a missing input
      straight(2, [op(defL(I(0))), op(useE(I(0)), defL(I(1), reuse(5))), ret()]),
      // reuse by an early def
      straight(2, [op(defL(I(0))), op(useE(I(0)), defE(I(1), reuse(0))), ret()]),
      // reuse of an input of another class
      straight(2, [op(defL(I(0))), op(useE(I(0)), defL(F(1), reuse(0))), ret()]),
      // reuse of a fixed input
      straight(2, [op(defL(I(0))), op(useE(I(0), fixed(r(1))), defL(I(1), reuse(0))), ret()]),
      // fixed to the scratch register
      straight(1, [op(defL(I(0), fixed(preg(RegClass.Int, 48)))), ret()]),
      // two vregs fixed to one register at one point
      straight(2, [op(defL(I(0)), defL(I(1))), op(useE(I(0), fixed(r(1))), useE(I(1), fixed(r(1)))), ret()]),
      // a limit below every register
      straight(1, [op(defL(I(0), limit(1))), ret()]),
      // a late use fixed to a clobbered register
      straight(1, [op(defL(I(0))), { ops: [useL(I(0), fixed(r(0)))], clobbers: [r(0)] }, ret()]),
      // a def on a terminator
      straight(1, [ret(defL(I(0)))]),
    ];
    const noLimitEnv: MachineEnv = { ...env, preferredRegsByClass: [[r(1), r(2)], env.preferredRegsByClass[1], []], nonPreferredRegsByClass: [[r(3)], env.nonPreferredRegsByClass[1], []] };
    for (const [k, data] of cases.entries()) expect(failure(data, k === 6 ? noLimitEnv : env).kind, `case ${k}`).toBe('BadOperand');
  });
  it('reports more register operands than registers', () => {
    const data = straight(6, [
      op(defL(I(0)), defL(I(1)), defL(I(2)), defL(I(3))),
      op(useE(I(0)), useE(I(1)), useE(I(2)), useE(I(3)), defE(I(4))),
      ret(),
    ]);
    const e = failure(data);
    expect(e).toMatchObject({ kind: 'TooManyLiveRegs', inst: 1 });
  });
  it('reports an inconsistent machine', () => {
    const bad: MachineEnv = { ...env, nonPreferredRegsByClass: [[r(0)], [], []] };
    expect(failure(straight(0, [ret()]), bad).kind).toBe('BadMachineEnv');
    const badScratch: MachineEnv = { ...env, scratchByClass: [r(0), null, null] };
    expect(failure(straight(0, [ret()]), badScratch).kind).toBe('BadMachineEnv');
  });
  it('accepts the same shapes when they are valid', () => {
    const data = straight(3, [op(defL(I(0))), op(useE(I(0)), useE(I(0), any), defL(I(1), reuse(0)), defL(I(2), stack)), ret(useE(I(1)), useE(I(2)))]);
    for (const algorithm of ['backtracking', 'fastalloc'] as const) expect(() => run(new DataFunction(data), env, { algorithm, validateWithChecker: true })).not.toThrow();
  });
});
