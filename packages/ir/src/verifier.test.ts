// Tests of the verifier on functions built through the DFG/Layout and
// cursor APIs: a well-formed function verifies clean, and each class of
// error is reported with upstream's wording at the entity it concerns.
import { describe, expect, it } from 'vitest';
import { FuncCursor, type InstBuilder } from './builder.js';
import type { Block, Inst, SigRef, Value } from './entities.js';
import { BlockArg } from './entity-data.js';
import { Function } from './function.js';
import { IntCC, MemFlagBit, MemFlags, TrapCode } from './immediates.js';
import { Opcode } from './opcodes.js';
import { abiParam, newSignature, type CallConv, type Signature } from './signature.js';
import { F32, F64, I16, I32, I64, I8, INVALID, vectorOf, type Type } from './types.js';
import {
  VerifierFailure,
  formatVerifierErrors,
  verifyFunction,
  verifyOrThrow,
  type VerifierError,
  type VerifierOptions,
} from './verifier.js';

interface Fixture {
  func: Function;
  cur: FuncCursor;
  b0: Block;
  params: Value[];
  ins: () => InstBuilder;
  block: (...types: Type[]) => Block;
}

function sigOf(params: Type[], returns: Type[] = [], cc: CallConv = 'fast'): Signature {
  const sig = newSignature(cc);
  sig.params = params.map((t) => abiParam(t));
  sig.returns = returns.map((t) => abiParam(t));
  return sig;
}

/** A function with the given signature, its entry block laid out and the cursor at its bottom. */
function fixture(params: Type[], returns: Type[] = [], cc: CallConv = 'fast'): Fixture {
  const func = new Function({ kind: 'testcase', name: 't' }, sigOf(params, returns, cc));
  const cur = new FuncCursor(func);
  const b0 = cur.makeBlock();
  const ps = params.map((t) => func.dfg.appendBlockParam(b0, t));
  cur.gotoBottom(b0);
  return {
    func,
    cur,
    b0,
    params: ps,
    ins: () => cur.ins(),
    block: (...types: Type[]) => {
      const b = cur.makeBlock();
      for (const t of types) func.dfg.appendBlockParam(b, t);
      return b;
    },
  };
}

function verify(func: Function, opts?: VerifierOptions): VerifierError[] {
  return verifyFunction(func, opts);
}

/** Asserts exactly these (location, message fragment) errors, in any order. */
function expectErrors(func: Function, expected: [string, string][], opts?: VerifierOptions): VerifierError[] {
  const errors = verify(func, opts);
  const remaining = [...errors];
  for (const [loc, text] of expected) {
    const i = remaining.findIndex((e) => e.location === loc && e.message.includes(text));
    if (i < 0) throw new Error(`missing error ${loc}: ${text}\ngot:\n${formatVerifierErrors(func, errors)}`);
    remaining.splice(i, 1);
  }
  if (remaining.length > 0) throw new Error(`unexpected errors:\n${formatVerifierErrors(func, remaining)}`);
  return errors;
}

describe('well-formed functions', () => {
  it('verifies a function with arithmetic, branches, block arguments and a call clean', () => {
    const f = fixture([I32, I32], [I32], 'system_v');
    const [x, y] = f.params;
    const callee = f.func.dfg.importSignature(sigOf([I32], [I32], 'system_v'));
    const fn = f.func.dfg.importFunction({ name: { kind: 'testcase', name: 'g' }, signature: callee, colocated: false, patchable: false });
    const then = f.block(I32);
    const other = f.block();
    const join = f.block(I32);
    const s = f.ins().iadd(x, y);
    const c = f.ins().icmp(IntCC.SignedLessThan, s, y);
    f.ins().brif(c, then, [s], other, []);
    f.cur.gotoBottom(then);
    const p = f.func.dfg.blockParam(then, 0);
    const r = f.func.dfg.firstResult(f.ins().call(fn, [p]));
    f.ins().jump(join, [r]);
    f.cur.gotoBottom(other);
    f.ins().jump(join, [x]);
    f.cur.gotoBottom(join);
    f.ins().return_([f.func.dfg.blockParam(join, 0)]);
    expect(verify(f.func)).toEqual([]);
    expect(verify(f.func, { target: 'aarch64' })).toEqual([]);
    expect(() => verifyOrThrow(f.func)).not.toThrow();
  });

  it('verifies a function larger than the initial capacity of the DFG tables clean', () => {
    // Hundreds of instructions and values make every typed-array column grow.
    const f = fixture([I32], [I32]);
    let v = f.params[0];
    let b = f.b0;
    for (let i = 0; i < 40; i++) {
      for (let j = 0; j < 10; j++) v = f.ins().iadd(v, f.params[0]);
      const next = f.block(I32);
      f.cur.gotoBottom(b);
      f.ins().jump(next, [v]);
      f.cur.gotoBottom(next);
      b = next;
      v = f.func.dfg.blockParam(next, 0);
    }
    f.ins().return_([v]);
    expect(f.func.dfg.numInsts()).toBeGreaterThan(400);
    expect(verify(f.func)).toEqual([]);
  });

  it('accepts an empty function', () => {
    expect(verify(new Function())).toEqual([]);
  });

  it('accepts uses in unreachable code of values that do not dominate it', () => {
    const f = fixture([I32], [I32]);
    const one = f.ins().iconst(I32, 1);
    f.ins().return_([f.ins().iadd(f.params[0], one)]);
    const dead = f.block(I32);
    const dead2 = f.block();
    f.cur.gotoBottom(dead);
    f.ins().jump(dead2);
    f.cur.gotoBottom(dead2);
    // The parameter of another unreachable block: fine, nothing here runs.
    f.ins().return_([f.ins().iadd(f.func.dfg.blockParam(dead, 0), f.params[0])]);
    expect(verify(f.func)).toEqual([]);
  });
});

describe('layout', () => {
  it('reports a terminator before the end of its block, at the instruction', () => {
    const f = fixture([]);
    const ret = f.ins().return_();
    f.ins().return_();
    expectErrors(f.func, [[`inst${ret}`, 'a terminator instruction was encountered before the end of block0']]);
  });

  it('reports a block that does not end in a terminator, and an empty block', () => {
    const f = fixture([]);
    f.ins().return_();
    const b1 = f.block();
    const b2 = f.block();
    f.cur.gotoBottom(b1);
    f.ins().iconst(I32, 1);
    expectErrors(f.func, [
      [`block${b1}`, 'block does not end in a terminator instruction'],
      [`block${b2}`, `block${b2} cannot be empty`],
    ]);
  });

  it('checks the entry block against the signature and rejects a cold entry', () => {
    const f = fixture([I32]);
    f.ins().return_();
    f.func.signature.params.push(abiParam(I64));
    expectErrors(f.func, [['block0', 'entry block parameters (1) must match function signature (2)']]);

    const g = fixture([I32]);
    g.ins().return_();
    g.func.dfg.setValueType(g.params[0], F32);
    g.func.layout.setCold(g.b0);
    expectErrors(g.func, [
      ['block0', 'entry block parameter 0 expected to have type i32, got f32'],
      ['block0', 'entry block cannot be marked as cold'],
    ]);
  });
});

describe('SSA', () => {
  it('reports a use before its definition in the same block and a use of its own result', () => {
    const f = fixture([I32], [I32]);
    const dfg = f.func.dfg;
    // v_late is defined after its use: build the user first with a placeholder id.
    const user = f.ins().iadd(f.params[0], f.params[0]);
    const late = f.ins().iadd(user, f.params[0]);
    dfg.setArg(dfg.valueInst(user), 0, late);
    const self = f.ins().iadd(f.params[0], f.params[0]);
    const selfInst = dfg.valueInst(self);
    dfg.setArg(selfInst, 1, self);
    f.ins().return_([self]);
    expectErrors(f.func, [
      [`inst${dfg.valueInst(user)}`, `uses value v${late} from non-dominating inst${dfg.valueInst(late)}`],
      [`inst${selfInst}`, `uses value v${self} from itself`],
    ]);
  });

  it('reports a use in one branch of a value defined in the other', () => {
    const f = fixture([I32], [I32]);
    const a = f.block();
    const b = f.block();
    f.ins().brif(f.params[0], a, [], b, []);
    f.cur.gotoBottom(a);
    const inA = f.ins().iconst(I32, 7);
    f.ins().return_([inA]);
    f.cur.gotoBottom(b);
    const ret = f.ins().return_([inA]);
    expectErrors(f.func, [[`inst${ret}`, `uses value v${inA} from non-dominating inst${f.func.dfg.valueInst(inA)}`]]);
  });

  it('reports a reachable use of an unreachable block parameter', () => {
    const f = fixture([I32], [I32]);
    const dead = f.block(I32);
    const v10 = f.func.dfg.blockParam(dead, 0);
    const add = f.func.dfg.valueInst(f.ins().iadd(f.params[0], v10));
    f.ins().return_([f.params[0]]);
    f.cur.gotoBottom(dead);
    f.ins().return_([v10]);
    expectErrors(f.func, [[`inst${add}`, `uses value arg from non-dominating block${dead}`]]);
  });

  it('reports invalid value references and values whose definition is not laid out', () => {
    const f = fixture([I32], [I32]);
    const dfg = f.func.dfg;
    const detached = dfg.makeInst(Opcode.Iconst, I32, [], 1, 0);
    const dv = dfg.appendResult(detached, I32);
    const useDetached = dfg.valueInst(f.ins().iadd(f.params[0], f.params[0]));
    dfg.setArg(useDetached, 1, dv);
    const ret = f.ins().return_([f.params[0]]);
    dfg.setArg(ret, 0, 999 as Value);
    expectErrors(f.func, [
      [`inst${useDetached}`, `v${dv} is defined by inst${detached} which has no block`],
      [`inst${ret}`, 'invalid value reference v999'],
    ]);
  });

  it('reports an alias cycle at the value', () => {
    const f = fixture([I32], [I32]);
    const dfg = f.func.dfg;
    const a = dfg.makeValueAlias(f.params[0]);
    const b = dfg.makeValueAlias(a);
    dfg.changeToAlias(a, b);
    const ret = f.ins().return_([f.params[0]]);
    dfg.setArg(ret, 0, b);
    const errors = verify(f.func);
    expect(errors.some((e) => e.location === `v${a}` && e.message === 'value alias cycle')).toBe(true);
    expect(errors.some((e) => e.location === `v${b}` && e.message === 'value alias cycle')).toBe(true);
  });
});

describe('types', () => {
  it('checks fixed operands against the controlling type', () => {
    const f = fixture([I32, I8], [I32]);
    const v2 = f.ins().iadd(f.params[0], f.params[1]);
    f.ins().return_([v2]);
    expectErrors(f.func, [[`inst${f.func.dfg.valueInst(v2)}`, `arg 1 (v${f.params[1]}) has type i8, expected i32`]]);
  });

  it('checks free operands against their type set', () => {
    const f = fixture([I64]);
    const c = f.ins().iconst(I32, 10);
    const bad = f.ins().convert(Opcode.Uextend, I16, c);
    f.ins().return_();
    expectErrors(f.func, [[`inst${f.func.dfg.valueInst(bad)}`, `arg 0 (v${c}) with type i32 failed to satisfy type set`]]);
  });

  it('checks the controlling type against its set, and result types', () => {
    const f = fixture([F32, I32]);
    const badCtrl = f.func.dfg.makeInst(Opcode.Iadd, F32, [f.params[0], f.params[0]]);
    f.func.dfg.appendResult(badCtrl, F32);
    f.func.layout.appendInst(badCtrl, f.b0);
    const good = f.ins().iadd(f.params[1], f.params[1]);
    f.func.dfg.setValueType(good, I64);
    f.ins().return_();
    const errors = verify(f.func);
    expect(errors.find((e) => e.location === `inst${badCtrl}`)?.message).toMatch(/^has an invalid controlling type f32 \(allowed set is /);
    // iadd's controlling type comes from its result here, so the operands disagree with it.
    const goodInst = f.func.dfg.valueInst(good);
    expect(errors.filter((e) => e.location === `inst${goodInst}`).map((e) => e.message)).toEqual([
      `arg 0 (v${f.params[1]}) has type i32, expected i64`,
      `arg 1 (v${f.params[1]}) has type i32, expected i64`,
    ]);
  });

  it('reports a wrong result count', () => {
    const f = fixture([I32]);
    const inst = f.func.dfg.valueInst(f.ins().iadd(f.params[0], f.params[0]));
    f.func.dfg.appendResult(inst, I32);
    f.ins().return_();
    expectErrors(f.func, [[`inst${inst}`, 'expected 1 result values, found 2']]);
  });

  it('checks return values against the signature', () => {
    const f = fixture([], [F32]);
    const v0 = f.ins().iconst(I32, 1);
    const ret = f.ins().return_([v0]);
    expectErrors(f.func, [[`inst${ret}`, 'result 0 has type i32, must match function signature of f32']]);

    const g = fixture([]);
    const one = g.ins().iconst(I32, 1);
    const ret2 = g.ins().return_([one]);
    expectErrors(g.func, [[`inst${ret2}`, 'arguments of return must match function signature']]);
  });
});

describe('calls', () => {
  it('checks call arguments and reports the argument count with the instruction text', () => {
    const f = fixture([I64, F32]);
    const sig = f.func.dfg.importSignature(sigOf([I32, F32]));
    const fn = f.func.dfg.importFunction({ name: { kind: 'testcase', name: 'great_fn' }, signature: sig, colocated: false, patchable: false });
    const call = f.ins().call(fn, []);
    const call2 = f.ins().call(fn, [f.params[0], f.params[1]]);
    const sig9 = f.func.dfg.importSignature(sigOf([F32]));
    const v1 = f.ins().iconst(I32, 56);
    const ci = f.ins().callIndirect(sig9, f.params[0], [v1]);
    f.ins().return_();
    expectErrors(f.func, [
      [`inst${call}`, `mismatched argument count for \`call fn${fn}()\`: got 0, expected 2`],
      [`inst${call2}`, `arg 0 (v${f.params[0]}) has type i64, expected i32`],
      [`inst${ci}`, `arg 0 (v${v1}) has type i32, expected f32`],
    ]);
  });

  it('checks call results against the callee signature', () => {
    const f = fixture([]);
    const sig = f.func.dfg.importSignature(sigOf([], [I32]));
    const fn = f.func.dfg.importFunction({ name: { kind: 'testcase', name: 'g' }, signature: sig, colocated: true, patchable: false });
    const call = f.ins().call(fn, []);
    f.func.dfg.setValueType(f.func.dfg.firstResult(call), I64);
    f.ins().return_();
    expectErrors(f.func, [[`inst${call}`, `expected result 0 (v${f.func.dfg.firstResult(call)}) to have type i32, found i64`]]);
  });

  it('applies the tail-call rules to return_call', () => {
    const cases: [CallConv, CallConv, Type[], Type[], string[]][] = [
      ['tail', 'tail', [I32], [I32], []],
      ['fast', 'tail', [I32], [I32], ["callee's calling convention must match caller"]],
      ['tail', 'fast', [I32], [I32], ['calling convention `fast` does not support tail calls', "callee's calling convention must match caller"]],
      ['system_v', 'system_v', [I32], [I32], ['calling convention `system_v` does not support tail calls']],
      ['tail', 'tail', [], [I32], ['results of callee must match caller']],
      ['tail', 'tail', [I32], [I64], ['result 0 has type i64, must match function signature of i32']],
    ];
    for (const [callerCC, calleeCC, callerRets, calleeRets, messages] of cases) {
      const f = fixture([I32], callerRets, callerCC);
      const sig = f.func.dfg.importSignature(sigOf([I32], calleeRets, calleeCC));
      const fn = f.func.dfg.importFunction({ name: { kind: 'testcase', name: 'wow' }, signature: sig, colocated: false, patchable: false });
      const inst = f.ins().build(Opcode.ReturnCall, INVALID, [f.params[0]], fn);
      expectErrors(f.func, messages.map((m) => [`inst${inst}`, m]));
    }
  });

  it('rejects patchable calls to non-colocated functions or with results', () => {
    const f = fixture([], [], 'system_v');
    const sig = f.func.dfg.importSignature(sigOf([], [], 'system_v'));
    const fn = f.func.dfg.importFunction({ name: { kind: 'testcase', name: 'f' }, signature: sig, colocated: false, patchable: true });
    const sig2 = f.func.dfg.importSignature(sigOf([], [I32], 'system_v'));
    const fn2 = f.func.dfg.importFunction({ name: { kind: 'testcase', name: 'f' }, signature: sig2, colocated: true, patchable: true });
    const c1 = f.ins().call(fn, []);
    const c2 = f.ins().call(fn2, []);
    f.ins().return_();
    expectErrors(f.func, [
      [`inst${c1}`, 'patchable call to non-colocated function'],
      [`inst${c2}`, 'patchable call cannot occur to a function with return values'],
    ]);
  });

  it('reports references to undeclared entities', () => {
    const f = fixture([I64]);
    const dfg = f.func.dfg;
    const place = (inst: Inst, result?: Type): Inst => {
      if (result !== undefined) dfg.appendResult(inst, result);
      f.func.layout.appendInst(inst, f.b0);
      return inst;
    };
    const call = place(dfg.makeInst(Opcode.Call, INVALID, [], 7));
    const ci = place(dfg.makeInst(Opcode.CallIndirect, INVALID, [f.params[0]], 5));
    const ss = place(dfg.makeInst(Opcode.StackAddr, I64, [], 3, 0), I64);
    const gv = place(dfg.makeInst(Opcode.GlobalValue, I64, [], 4), I64);
    const c = place(dfg.makeInst(Opcode.Vconst, vectorOf(I32, 4), [], 2), vectorOf(I32, 4));
    f.ins().return_();
    expectErrors(f.func, [
      [`inst${call}`, 'invalid function reference fn7'],
      [`inst${ci}`, 'invalid signature reference sig5'],
      [`inst${ss}`, 'invalid stack slot ss3'],
      [`inst${gv}`, 'invalid global value gv4'],
      [`inst${c}`, 'invalid constant reference const2'],
    ]);
  });
});

describe('signatures and declarations', () => {
  it('rejects extensions on non-integer parameters and returns', () => {
    const f = fixture([F32], [F32]);
    f.func.signature.params[0].extension = 'sext';
    f.func.signature.returns[0].extension = 'uext';
    f.ins().return_([f.params[0]]);
    expectErrors(f.func, [
      ['function', 'Parameter at position 0 has invalid extension Sext'],
      ['function', 'Return value at position 0 has invalid extension Uext'],
    ]);
  });

  it('rejects return values under preserve_all, at the function, signature or external function', () => {
    const f = fixture([I8], [I8], 'preserve_all');
    f.func.dfg.importSignature(sigOf([], [I8], 'preserve_all'));
    const implicit = f.func.dfg.importSignature(sigOf([], [I8, I8], 'preserve_all'));
    f.func.dfg.importFunction({ name: { kind: 'testcase', name: 'g' }, signature: implicit, colocated: false, patchable: false });
    f.ins().return_([f.params[0]]);
    const msg = 'Signature with `preserve_all` ABI cannot have return values';
    expectErrors(f.func, [
      ['function', msg],
      ['sig0', msg],
      ['fn0', msg],
    ]);
  });

  it('checks global values: cycles, undeclared vmctx, base types with a target', () => {
    const f = fixture([]);
    f.ins().return_();
    const gvs = f.func.globalValues;
    gvs.push({ kind: 'load', base: 1 as never, offset: 0, globalType: I32, flags: MemFlags.trusted() });
    gvs.push({ kind: 'load', base: 0 as never, offset: -32, globalType: I32, flags: MemFlags.trusted() });
    gvs.push({ kind: 'vmctx' });
    expectErrors(f.func, [
      ['gv0', 'global value cycle: [gv0, gv1]'],
      ['gv2', 'undeclared vmctx reference gv2'],
    ]);

    const g = fixture([I64]);
    g.func.signature.params[0].purpose = { kind: 'vmctx' };
    g.func.globalValues.push({ kind: 'vmctx' });
    g.func.globalValues.push({ kind: 'load', base: 0 as never, offset: 0, globalType: I32, flags: MemFlags.trusted() });
    g.func.globalValues.push({ kind: 'load', base: 1 as never, offset: 0, globalType: I32, flags: MemFlags.trusted() });
    g.func.globalValues.push({ kind: 'symbol', name: { kind: 'testcase', name: 'sym' }, offset: 0n, colocated: false, tls: false });
    const sv = g.ins().build(Opcode.SymbolValue, I32, [], 3);
    g.ins().return_();
    // Without a target the pointer type is unknown: nothing to report.
    expect(verify(g.func)).toEqual([]);
    expectErrors(
      g.func,
      [
        ['gv2', 'base gv1 has type i32, which is not the pointer type i64'],
        [`inst${sv}`, 'global_value instruction with type i32 references global value with type i64'],
      ],
      { target: 'x86_64' },
    );
  });

  it('checks alias regions: declared, and unique user ids', () => {
    const f = fixture([I64], [I32]);
    f.func.aliasRegions.push({ userId: 36, name: 'first' }, { userId: 36, name: 'second' });
    const flags = MemFlags.withRegionIndex(MemFlags.withTrapCode(MemFlags.new(), undefined), 5);
    const v1 = f.ins().load(I32, flags, f.params[0]);
    f.ins().return_([v1]);
    expectErrors(f.func, [
      ['region1', 'duplicate alias region user_id 36'],
      [`inst${f.func.dfg.valueInst(v1)}`, 'undefined alias region region5'],
    ]);
  });
});

describe('branches', () => {
  it('checks branch arguments against block parameters', () => {
    const f = fixture([]);
    const v0 = f.ins().iconst(I16, 10);
    const v3 = f.ins().iconst(I64, 20);
    const b1 = f.block(I64, I16);
    const j = f.ins().jump(b1, [v0, v3]);
    f.cur.gotoBottom(b1);
    f.ins().return_();
    expectErrors(f.func, [
      [`inst${j}`, `arg v${v0} has type i16, expected i64`],
      [`inst${j}`, `arg v${v3} has type i64, expected i16`],
    ]);
  });

  it('reports mismatched argument counts in brif and br_table', () => {
    const f = fixture([]);
    const v0 = f.ins().iconst(I16, 10);
    const b1 = f.block(I64);
    const b2 = f.block(F32, I8);
    const br = f.ins().brif(v0, b1, [v0], b2, [v0]);
    f.cur.gotoBottom(b1);
    f.ins().return_();
    f.cur.gotoBottom(b2);
    const idx = f.ins().iconst(I32, 0);
    const b3 = f.block(I32);
    const b4 = f.block();
    const bt = f.ins().brTable(idx, b4, [b3]);
    f.cur.gotoBottom(b3);
    f.ins().return_();
    f.cur.gotoBottom(b4);
    f.ins().return_();
    expectErrors(f.func, [
      [`inst${br}`, `arg v${v0} has type i16, expected i64`],
      [`inst${br}`, 'mismatched argument count'],
      [`inst${bt}`, `mismatched argument count for \`br_table v${idx}, block${b4}, [block${b3}]\`: got 0, expected 1`],
    ]);
  });

  it('reports invalid block references and branches to the entry block', () => {
    const f = fixture([I32]);
    const b1 = f.block();
    f.func.dfg.ensureBlock(5 as Block);
    const bt = f.ins().brTable(f.params[0], 5 as Block, [b1, b1]);
    f.cur.gotoBottom(b1);
    const j = f.ins().jump(f.b0, [f.params[0]]);
    expectErrors(f.func, [
      [`inst${bt}`, 'invalid block reference block5'],
      [`inst${j}`, 'invalid reference to entry block block0'],
    ]);
  });

  it('reports an invalid jump table without crashing the CFG', () => {
    const f = fixture([I32]);
    const inst = f.func.dfg.makeInst(Opcode.BrTable, INVALID, [f.params[0]], 9);
    f.func.layout.appendInst(inst, f.b0);
    expectErrors(f.func, [[`inst${inst}`, 'invalid jump table reference jt9']]);
  });

  it('checks dominance in one block only when its branch tables are valid, as with several', () => {
    // A use before its definition, then a terminator naming a missing jump table: no CFG, so no dominance check.
    const f = fixture([I32], [I32]);
    const dfg = f.func.dfg;
    const user = f.ins().iadd(f.params[0], f.params[0]);
    const late = f.ins().iadd(user, f.params[0]);
    dfg.setArg(dfg.valueInst(user), 0, late);
    const bt = dfg.makeInst(Opcode.BrTable, INVALID, [f.params[0]], 9);
    f.func.layout.appendInst(bt, f.b0);
    expectErrors(f.func, [[`inst${bt}`, 'invalid jump table reference jt9']]);
    // The same use, with a valid terminator instead: reported.
    const g = fixture([I32], [I32]);
    const gdfg = g.func.dfg;
    const guser = g.ins().iadd(g.params[0], g.params[0]);
    const glate = g.ins().iadd(guser, g.params[0]);
    gdfg.setArg(gdfg.valueInst(guser), 0, glate);
    g.ins().return_([glate]);
    expectErrors(g.func, [[`inst${gdfg.valueInst(guser)}`, `uses value v${glate} from non-dominating inst${gdfg.valueInst(glate)}`]]);
  });
});

describe('immediates and ad hoc rules', () => {
  it('bounds iconst immediates by their type', () => {
    const f = fixture([]);
    const ok = [f.ins().iconst(I8, -1), f.ins().iconst(I8, 255), f.ins().iconst(I32, 0xffffffff), f.ins().iconst(I64, -1)];
    const bad = [f.ins().iconst(I8, 256), f.ins().iconst(I8, -129), f.ins().iconst(I16, 70000)];
    f.ins().return_();
    expect(ok.length).toBe(4);
    expectErrors(f.func, bad.map((v) => [`inst${f.func.dfg.valueInst(v)}`, 'constant immediate is out of bounds']));
  });

  it('bounds iconst immediates at the edges of each width and across the 32-bit words', () => {
    const f = fixture([]);
    const ok = [
      f.ins().iconst(I8, -128),
      f.ins().iconst(I16, -32768),
      f.ins().iconst(I16, 65535),
      f.ins().iconst(I32, -0x80000000),
      f.ins().iconst(I32, 0x80000000),
    ];
    const bad = [
      f.ins().iconst(I16, -32769),
      f.ins().iconst(I16, 65536),
      f.ins().iconst(I32, -0x80000001),
      f.ins().iconst(I32, 0x100000000),
      f.ins().iconst(I32, 2 ** 40),
      f.ins().iconst(I32, -(2 ** 40)),
      f.ins().iconst(I8, -(2 ** 32) + 5),
    ];
    f.ins().return_();
    expect(ok.length).toBe(5);
    expectErrors(f.func, bad.map((v) => [`inst${f.func.dfg.valueInst(v)}`, 'constant immediate is out of bounds']));
  });

  it('checks lane indices, shuffle masks and constant sizes', () => {
    const f = fixture([]);
    const dfg = f.func.dfg;
    const i32x4 = vectorOf(I32, 4);
    const c16 = dfg.makeConstant(new Uint8Array(16));
    const c5 = dfg.makeConstant(new Uint8Array([1, 2, 3, 4, 5]));
    const vec = f.ins().build(Opcode.Vconst, i32x4, [], c16);
    const badConst = f.ins().build(Opcode.Vconst, i32x4, [], c5);
    const v = dfg.firstResult(vec);
    const one = f.ins().iconst(I32, 42);
    const ins = f.ins().build(Opcode.Insertlane, INVALID, [v, one], 4);
    const ext = f.ins().build(Opcode.Extractlane, INVALID, [v], 3);
    const i8x16 = vectorOf(I8, 16);
    const mask = dfg.makeImmediate(Uint8Array.from({ length: 16 }, (_, i) => (i === 15 ? 32 : i)));
    const bytes = dfg.firstResult(f.ins().build(Opcode.Vconst, i8x16, [], c16));
    const shuf = f.ins().build(Opcode.Shuffle, INVALID, [bytes, bytes], mask);
    f.ins().return_();
    expect(ext).toBeGreaterThan(0);
    expectErrors(f.func, [
      [`inst${badConst}`, `The instruction expects const${c5} to have a size of 16 bytes but it has 5`],
      [`inst${ins}`, 'The lane 4 does not index into the type i32x4'],
      [`inst${shuf}`, 'shuffle immediate index 32 is larger than the maximum 31'],
    ]);
  });

  it('checks bitcast widths and flags', () => {
    const f = fixture([I32, vectorOf(I32, 4)]);
    const plain = MemFlags.new();
    const ok = f.ins().build(Opcode.Bitcast, F32, [f.params[0]], plain);
    const okBig = f.ins().build(Opcode.Bitcast, F32, [f.params[0]], MemFlags.with(plain, MemFlagBit.Big));
    const wide = f.ins().build(Opcode.Bitcast, I64, [f.params[0]], plain);
    const flags = f.ins().build(Opcode.Bitcast, F32, [f.params[0]], MemFlags.trusted());
    const lanes = f.ins().build(Opcode.Bitcast, vectorOf(I64, 2), [f.params[1]], plain);
    f.ins().return_();
    expect([ok, okBig].length).toBe(2);
    expectErrors(f.func, [
      [`inst${wide}`, `The bitcast argument v${f.params[0]} has a type of 32 bits, which doesn't match an expected type of 64 bits`],
      [`inst${flags}`, 'The bitcast instruction only accepts the `big` or `little` memory flags'],
      [`inst${lanes}`, 'Byte order specifier required for bitcast instruction changing lane count'],
    ]);
  });

  it('rejects readonly stores and, with a target, addresses of the wrong width', () => {
    const f = fixture([I64, I32]);
    const ro = f.ins().store(MemFlags.with(MemFlags.new(), MemFlagBit.Readonly), f.params[0], f.params[0]);
    const narrow = f.ins().store(MemFlags.new(), f.params[0], f.params[1]);
    const load = f.func.dfg.valueInst(f.ins().load(I8, MemFlags.new(), f.params[1], 16));
    f.ins().return_();
    expectErrors(f.func, [[`inst${ro}`, 'A store instruction cannot have the `readonly` MemFlag']]);
    expectErrors(
      f.func,
      [
        [`inst${ro}`, 'A store instruction cannot have the `readonly` MemFlag'],
        [`inst${narrow}`, `invalid pointer width (got 32, expected 64) encountered v${f.params[1]}`],
        [`inst${load}`, `invalid pointer width (got 32, expected 64) encountered v${f.params[1]}`],
      ],
      { target: 'pulley64' },
    );
    expectErrors(
      f.func,
      [
        [`inst${ro}`, 'A store instruction cannot have the `readonly` MemFlag'],
        [`inst${ro}`, `invalid pointer width (got 64, expected 32) encountered v${f.params[0]}`],
      ],
      { pointerBits: 32 },
    );
  });

  it('allows debug tags only on calls and sequence points', () => {
    const f = fixture([I32], [I32]);
    const add = f.func.dfg.valueInst(f.ins().iadd(f.params[0], f.params[0]));
    const sp = f.ins().build(Opcode.SequencePoint, INVALID, []);
    f.func.dfg.debugTags.set(add, [0, 1]);
    f.func.dfg.debugTags.set(sp, [2]);
    f.ins().return_([f.params[0]]);
    expectErrors(f.func, [[`inst${add}`, 'debug tags present on non-call, non-sequence point instruction']]);
  });

  it('checks trap codes', () => {
    const f = fixture([]);
    const t = f.ins().trap(0 as TrapCode);
    expectErrors(f.func, [[`inst${t}`, 'invalid trap code 0']]);
    const g = fixture([]);
    g.ins().trap(TrapCode.user(1));
    expect(verify(g.func)).toEqual([]);
  });
});

describe('exceptions', () => {
  /** `try_call fn0(args), sig, normal(normalArgs), [handlers]` in block0 of a fresh fixture. */
  function tryCallFixture(calleeCC: CallConv, calleeRets: Type[]): { f: Fixture; sig: SigRef; fn: number } {
    const f = fixture([I32], [I32]);
    const sig = f.func.dfg.importSignature(sigOf([I32], calleeRets, calleeCC));
    const fn = f.func.dfg.importFunction({ name: { kind: 'testcase', name: 'g' }, signature: sig, colocated: false, patchable: false });
    return { f, sig, fn };
  }
  function tryCall(f: Fixture, fn: number, sig: SigRef, normal: [Block, number[]], handlers: [Block, number[]][]): Inst {
    const dfg = f.func.dfg;
    const et = dfg.makeExceptionTable({
      sig,
      normalReturn: dfg.makeBlockCall(normal[0], normal[1]),
      items: handlers.map(([b, args], i) => ({ kind: 'tag' as const, tag: i + 1, block: dfg.makeBlockCall(b, args) })),
    });
    const inst = dfg.makeInst(Opcode.TryCall, INVALID, [f.params[0]], fn, et);
    f.func.layout.appendInst(inst, f.cur.currentBlock()!);
    return inst;
  }
  function returning(f: Fixture, ...types: Type[]): Block {
    const b = f.block(...types);
    const saved = f.cur.position;
    f.cur.gotoBottom(b);
    f.ins().return_([f.params[0]]);
    f.cur.position = saved;
    return b;
  }

  it('types retN by the callee and exnN by the pointer type', () => {
    const { f, sig, fn } = tryCallFixture('tail', [F32]);
    const normal = returning(f, I32);
    const handler = returning(f, I32);
    const inst = tryCall(f, fn, sig, [normal, [BlockArg.tryCallRet(0)]], [[handler, [BlockArg.tryCallExn(0)]]]);
    // Without a target, payload types are unknown.
    expectErrors(f.func, [[`inst${inst}`, 'arg ret0 has type f32, expected i32']]);
    expectErrors(
      f.func,
      [
        [`inst${inst}`, 'arg ret0 has type f32, expected i32'],
        [`inst${inst}`, 'arg exn0 has type i64, expected i32'],
      ],
      { target: 'x86_64' },
    );
  });

  it('places retN and exnN only where they belong, and bounds them', () => {
    const { f, sig, fn } = tryCallFixture('tail', [I32]);
    const normal = returning(f, I64);
    const handler = returning(f, I32, I64);
    const inst = tryCall(f, fn, sig, [normal, [BlockArg.tryCallExn(0)]], [[handler, [BlockArg.tryCallRet(0), BlockArg.tryCallExn(2)]]]);
    expectErrors(f.func, [
      [`inst${inst}`, '`exnN` block argument used outside normal-return target of `try_call`'],
      [`inst${inst}`, '`retN` block argument used outside normal-return target of `try_call`'],
      [`inst${inst}`, 'out-of-bounds `exnN` block argument'],
    ]);
  });

  it('requires a convention that supports exceptions and a matching table signature', () => {
    const { f, fn } = tryCallFixture('windows_fastcall', []);
    const normal = returning(f);
    const inst = tryCall(f, fn, f.func.dfg.importSignature(sigOf([I32], [], 'windows_fastcall')), [normal, []], []);
    expectErrors(f.func, [[`inst${inst}`, 'calling convention `windows_fastcall` of callee does not support exceptions']]);

    const g = tryCallFixture('tail', []);
    const normal2 = returning(g.f);
    const other = g.f.func.dfg.importSignature(sigOf([I64], [], 'tail'));
    const inst2 = tryCall(g.f, g.fn, other, [normal2, []], []);
    expectErrors(g.f.func, [
      [`inst${inst2}`, `exception table signature sig${other} did not match function fn${g.fn}'s signature sig${g.sig}`],
      [`inst${inst2}`, `arg 0 (v${g.f.params[0]}) has type i32, expected i64`],
    ]);
  });

  it('checks get_exception_handler_address targets and indices', () => {
    const build = (target: number, index: number): { f: Fixture; inst: Inst } => {
      const { f, sig, fn } = tryCallFixture('tail', []);
      const b1 = f.block();
      const inst = f.ins().build(Opcode.GetExceptionHandlerAddress, I64, [], target === -1 ? b1 : target, index);
      f.ins().jump(b1);
      f.cur.gotoBottom(b1);
      const normal = returning(f);
      const handler = returning(f);
      tryCall(f, fn, sig, [normal, []], [[handler, []]]);
      return { f, inst };
    };
    const ok = build(-1, 0);
    expect(verify(ok.f.func)).toEqual([]);
    const cases: [number, number, string][] = [
      [-1, 1, 'exception handler index 1 is out-of-range'],
      [-1, -1, 'exception handler index -1 cannot be negative'],
      [17, 0, 'invalid block reference block17'],
      [0, 0, 'referenced block block0 does not end in a try_call'],
    ];
    for (const [target, index, message] of cases) {
      const { f, inst } = build(target, index);
      expectErrors(f.func, [[`inst${inst}`, message]]);
    }
  });
});

describe('reporting', () => {
  it('reports every error, not only the first, each with the instruction text as context', () => {
    const f = fixture([I32, I8], [F32]);
    const a = f.ins().iadd(f.params[0], f.params[1]);
    const b = f.ins().iadd(f.params[1], f.params[0]);
    const ret = f.ins().return_([a]);
    const errors = verify(f.func);
    expect(errors).toEqual([
      { location: `inst${f.func.dfg.valueInst(a)}`, context: `v${a} = iadd v0, v1`, message: 'arg 1 (v1) has type i8, expected i32' },
      { location: `inst${f.func.dfg.valueInst(b)}`, context: `v${b} = iadd v1, v0`, message: 'arg 1 (v0) has type i32, expected i8' },
      { location: `inst${ret}`, context: `return v${a}`, message: 'result 0 has type i32, must match function signature of f32' },
    ]);
    const text = formatVerifierErrors(f.func, errors);
    expect(text).toContain('3 verifier errors in function %t:');
    expect(text).toContain(`- inst${ret} (return v${a}): result 0 has type i32, must match function signature of f32`);
    expect(() => verifyOrThrow(f.func)).toThrow(VerifierFailure);
    try {
      verifyOrThrow(f.func);
    } catch (e) {
      expect(e).toBeInstanceOf(VerifierFailure);
      expect((e as VerifierFailure).errors).toEqual(errors);
      expect((e as VerifierFailure).message).toBe(text);
    }
  });

  it('with stopAtFatal, stops where upstream stops', () => {
    // cfg/traps_early.clif's shape: a trap mid-block, then more errors after it.
    const f = fixture([I32]);
    const b1 = f.block();
    const b2 = f.block();
    const trap = f.ins().trap(TrapCode.user(1));
    f.ins().brif(f.params[0], b2, [], b1, []);
    f.cur.gotoBottom(b1);
    const self = f.ins().iadd(f.params[0], f.params[0]);
    f.func.dfg.setArg(f.func.dfg.valueInst(self), 1, self);
    f.ins().jump(f.b0, [self]);
    f.cur.gotoBottom(b2);
    f.ins().return_([f.params[0]]);
    expect(verify(f.func).length).toBe(4);
    expect(verify(f.func, { stopAtFatal: true })).toEqual([
      { location: `inst${trap}`, context: 'trap user1', message: 'a terminator instruction was encountered before the end of block0' },
    ]);

    // Non-fatal errors do not stop it; any declaration error stops it before the instructions.
    const g = fixture([I32, I8]);
    g.ins().iadd(g.params[0], g.params[1]);
    g.ins().iadd(g.params[1], g.params[0]);
    g.ins().return_();
    expect(verify(g.func, { stopAtFatal: true }).length).toBe(2);
    g.func.globalValues.push({ kind: 'vmctx' });
    expect(verify(g.func, { stopAtFatal: true }).map((e) => e.location)).toEqual(['gv0']);
    expect(verify(g.func).map((e) => e.location)).toEqual(['gv0', 'inst0', 'inst1']);
  });

  it('does not report an unused f64 parameter or other unrelated values', () => {
    const f = fixture([F64], []);
    f.ins().return_();
    expect(verify(f.func)).toEqual([]);
  });
});
