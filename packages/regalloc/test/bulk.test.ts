// The optional bulk accessors (`allInstOperands`, ...) against the per-item
// methods: the same function answered either way gives the same output, and
// the same invalid function the same error; malformed bulk lists are typed
// errors naming the entity whose list cannot be read.
import { describe, expect, it } from 'vitest';
import { RegallocContext, RegallocFailure, run, type Algorithm, type FlatLists, type MachineEnv, type Output, type RegallocError, type RegallocFunction, type VReg } from '../src/index.js';
import { DataFunction, fuzzMachine, generateFunction, Rng, withBulkAccessors, type BulkOptions, type FunctionData } from '../src/fuzzing/index.js';
import { optionsFor } from './fuzz-case.js';

const VARIANTS: readonly BulkOptions[] = [{}, { typed: false }, { pad: 2 }, { typed: false, pad: 1 }];

function outcome(f: RegallocFunction, env: MachineEnv, algorithm: Algorithm, ctx?: RegallocContext): Output | RegallocError {
  try {
    return run(f, env, { algorithm }, ctx);
  } catch (e) {
    if (e instanceof RegallocFailure) return e.error;
    throw e;
  }
}

/** Every per-item method that has a bulk form, made to throw: the allocator must not call them. */
function bulkOnly(f: RegallocFunction): RegallocFunction {
  const no = (): never => {
    throw new Error('per-item method called although a bulk form exists');
  };
  return { ...f, blockSuccs: no, blockPreds: no, blockParams: no, branchBlockParams: no, isRet: no, isBranch: no, isMove: no, instOperands: no, instClobbers: no, blockInsts: no };
}

describe('bulk accessors', () => {
  it('give the same output as the per-item methods on generated functions, both allocators', () => {
    const ctx = new RegallocContext();
    for (let seed = 1; seed <= 150; seed++) {
      const opts = optionsFor(seed, seed % 3 === 0);
      const data = generateFunction(seed, opts.gen);
      const env = fuzzMachine({ regs: opts.gen.regs, scratch: opts.scratch });
      for (const algorithm of ['backtracking', 'fastalloc'] as const) {
        const want = outcome(new DataFunction(data), env, algorithm);
        expect('allocs' in want, `seed ${seed}`).toBe(true);
        for (const v of VARIANTS) expect(outcome(withBulkAccessors(new DataFunction(data), v), env, algorithm, ctx), `seed ${seed} ${JSON.stringify(v)}`).toEqual(want);
        expect(outcome(bulkOnly(withBulkAccessors(new DataFunction(data))), env, algorithm)).toEqual(want);
      }
    }
  }, 120_000);

  it('report the same error as the per-item methods on corrupted functions', () => {
    const rng = new Rng(7);
    let invalid = 0;
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 400; seed++) {
      const opts = optionsFor(seed);
      const data = corrupt(generateFunction(seed, { ...opts.gen, blocks: Math.min(opts.gen.blocks ?? 1, 6) }), rng);
      const env = fuzzMachine({ regs: opts.gen.regs, scratch: opts.scratch });
      const want = outcome(new DataFunction(data), env, 'backtracking');
      if (!('allocs' in want)) {
        invalid++;
        kinds.add(want.kind);
      }
      for (const v of VARIANTS) expect(outcome(withBulkAccessors(new DataFunction(data), v), env, 'backtracking'), `seed ${seed} ${JSON.stringify(v)}`).toEqual(want);
    }
    // The corruptions must mostly produce invalid input, of many kinds, or this test checks little.
    expect(invalid).toBeGreaterThan(200);
    expect([...kinds]).toEqual(expect.arrayContaining(['BadBlockLayout', 'BadCfg', 'BadOperand', 'BadTerminator', 'BadVReg', 'BranchArgs', 'CriticalEdge', 'EntryLiveIn', 'SsaViolation']));
  }, 120_000);

  describe('malformed bulk lists', () => {
    const data = generateFunction(3, { blocks: 4, instsPerBlock: 5, regs: [4, 4] });
    const env = fuzzMachine({ regs: [4, 4] });
    const base = (): RegallocFunction => withBulkAccessors(new DataFunction(data));
    const errorWith = (patch: Partial<RegallocFunction>): RegallocError => {
      const r = outcome({ ...base(), ...patch }, env, 'backtracking');
      if ('allocs' in r) throw new Error('accepted a malformed bulk list');
      return r;
    };
    const nI = new DataFunction(data).numInsts();
    const nB = data.blocks.length;
    const ops = base().allInstOperands?.();
    if (ops === undefined) throw new Error('no bulk operands');

    it('operands: short, decreasing, or beyond the items', () => {
      expect(errorWith({ allInstOperands: () => ({ items: ops.items, starts: Array.from(ops.starts).slice(0, nI) }) })).toMatchObject({ kind: 'BadOperand' });
      const dec = Array.from(ops.starts);
      dec[2] = dec[1] - 1;
      expect(errorWith({ allInstOperands: () => ({ items: ops.items, starts: dec }) })).toMatchObject({ kind: 'BadOperand', inst: 1 });
      const past = Array.from(ops.starts);
      past[nI] = ops.items.length + 1;
      expect(errorWith({ allInstOperands: () => ({ items: ops.items, starts: past }) })).toMatchObject({ kind: 'BadOperand', inst: nI - 1 });
      const frac = Array.from(ops.starts);
      frac[1] = 0.5;
      expect(errorWith({ allInstOperands: () => ({ items: ops.items, starts: frac }) }).message).toContain('allInstOperands()');
    });
    it('block lists and edge lists name the block', () => {
      const bad = { items: [0], starts: [0, 2] } as unknown as FlatLists<never>;
      expect(errorWith({ allBlockSuccs: () => bad })).toMatchObject({ kind: 'BadCfg' });
      expect(errorWith({ allBlockPreds: () => bad })).toMatchObject({ kind: 'BadCfg' });
      expect(errorWith({ allBlockParams: () => bad })).toMatchObject({ kind: 'BadCfg' });
      expect(errorWith({ allInstClobbers: () => bad })).toMatchObject({ kind: 'BadOperand' });
      const e = errorWith({ allBranchBlockParams: () => ({ items: [] as VReg[], starts: new Array<number>(64).fill(0).map((_, k) => (k === 1 ? 5 : 0)) }) });
      expect(e).toMatchObject({ kind: 'BranchArgs', block: 0 });
      expect(e.message).toContain('allBranchBlockParams()');
    });
    it('short layout and flag arrays', () => {
      expect(errorWith({ allBlockInsts: () => [0] })).toMatchObject({ kind: 'BadBlockLayout' });
      expect(errorWith({ allInstFlags: () => new Uint8Array(nI - 1) })).toMatchObject({ kind: 'BadTerminator', inst: nI - 1 });
      expect(nB).toBeGreaterThan(1);
    });
    it('flag bits other than Ret, Branch and Move are ignored', () => {
      const flags = base().allInstFlags?.();
      if (flags === undefined) throw new Error('no bulk flags');
      const want = outcome(base(), env, 'backtracking');
      expect(outcome({ ...base(), allInstFlags: () => Array.from(flags, (x) => x | 0xf8) }, env, 'backtracking')).toEqual(want);
    });
  });
});

/** One random corruption of `d`: most break an input rule, some leave it valid. */
function corrupt(d: FunctionData, rng: Rng): FunctionData {
  const blocks = d.blocks.map((b) => ({ ...b, params: [...b.params], succs: [...b.succs], branchArgs: b.branchArgs.map((a) => [...a]), insts: b.insts.map((i) => ({ ...i, ops: [...i.ops] })) }));
  const out = { ...d, blocks };
  const b = blocks[rng.int(0, blocks.length - 1)];
  const inst = b.insts[rng.int(0, b.insts.length - 1)];
  const TWO32 = 0x1_0000_0000;
  switch (rng.int(0, 11)) {
    case 0: // an operand names another vreg (maybe out of range, maybe a second def)
      if (inst.ops.length > 0) {
        const k = rng.int(0, inst.ops.length - 1);
        const hi = Math.floor(inst.ops[k] / TWO32);
        inst.ops[k] = (hi * TWO32 + rng.int(0, d.numVregs + 2) * 4 + rng.int(0, 3)) as never;
      }
      break;
    case 1: // use <-> def
      if (inst.ops.length > 0) {
        const k = rng.int(0, inst.ops.length - 1);
        const hi = Math.floor(inst.ops[k] / TWO32);
        inst.ops[k] = ((hi ^ 2) * TWO32 + (inst.ops[k] % TWO32)) as never;
      }
      break;
    case 2: // a random constraint byte
      if (inst.ops.length > 0) {
        const k = rng.int(0, inst.ops.length - 1);
        const hi = Math.floor(inst.ops[k] / TWO32);
        inst.ops[k] = (((hi & 3) | (rng.int(0, 255) << 2)) * TWO32 + (inst.ops[k] % TWO32)) as never;
      }
      break;
    case 3: // a successor elsewhere (maybe out of range)
      if (b.succs.length > 0) b.succs[rng.int(0, b.succs.length - 1)] = rng.int(0, blocks.length);
      break;
    case 4: // a branch argument dropped or added
      if (b.branchArgs.length > 0) {
        const a = b.branchArgs[rng.int(0, b.branchArgs.length - 1)];
        if (a.length > 0 && rng.bool()) a.pop();
        else a.push((rng.int(0, d.numVregs - 1) * 4 + rng.int(0, 2)) as VReg);
      }
      break;
    case 5: // an instruction's kind changed
      (inst as { kind?: string }).kind = ['op', 'ret', 'branch'][rng.int(0, 2)];
      break;
    case 6: // a clobber, maybe out of range
      (inst as { clobbers?: number[] }).clobbers = [...(inst.clobbers ?? []), rng.int(0, 200)];
      break;
    case 7: // a block parameter added
      b.params.push((rng.int(0, d.numVregs + 1) * 4 + rng.int(0, 2)) as VReg);
      break;
    case 8: // fewer vregs
      return { ...out, numVregs: rng.int(0, d.numVregs) };
    case 9: // another entry block
      return { ...out, entry: rng.int(0, blocks.length) };
    case 10: // an instruction removed (a block may become empty)
      b.insts.splice(rng.int(0, b.insts.length - 1), 1);
      break;
    default: // an operand dropped
      if (inst.ops.length > 0) inst.ops.splice(rng.int(0, inst.ops.length - 1), 1);
      break;
  }
  return out;
}
