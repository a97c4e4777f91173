import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  ALL_OPCODES,
  F64,
  Function,
  I32,
  I64,
  I8,
  MemFlags,
  abiParam,
  newSignature,
  opcodeName,
  printFunction,
  verifyFunction,
  formatVerifierErrors,
} from '@clift/ir';
import { FrontendError, FuncInstBuilder, FunctionBuilder, type FrontendErrorKind } from './index.js';
import { buildFactorial } from './factorial.example.js';

function verified(f: Function): Function {
  const errors = verifyFunction(f);
  if (errors.length > 0) throw new Error(formatVerifierErrors(f, errors) + printFunction(f));
  return f;
}

function newBuilder(params: number[] = [], returns: number[] = []): FunctionBuilder {
  const sig = newSignature('system_v');
  for (const t of params) sig.params.push(abiParam(t as typeof I32));
  for (const t of returns) sig.returns.push(abiParam(t as typeof I32));
  return new FunctionBuilder(new Function({ kind: 'testcase', name: 't' }, sig));
}

function expectKind(kind: FrontendErrorKind, f: () => unknown): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FrontendError);
    expect((e as FrontendError).kind).toBe(kind);
    return;
  }
  throw new Error(`expected a FrontendError of kind ${kind}`);
}

describe('factorial example (README)', () => {
  test('prints the CLIF the README shows and verifies', () => {
    const f = verified(buildFactorial());
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const shown = /```clif\n([\s\S]*?)```/.exec(readme);
    expect(shown, 'README has a clif block').not.toBeNull();
    expect(printFunction(f)).toBe(shown![1]);
  });
});

describe('instruction builder', () => {
  test('has a typed method for every opcode', () => {
    const camel = (n: string): string => n.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    for (const op of ALL_OPCODES) {
      const name = opcodeName(op) === 'return' ? 'return_' : camel(opcodeName(op));
      expect(typeof (FuncInstBuilder.prototype as unknown as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  test('marshals immediates, multi-result ops and source locations', () => {
    const fb = newBuilder([I64], [I64, I8]);
    const b = fb.createBlock();
    const [x] = fb.appendBlockParamsForFunctionParams(b);
    fb.switchToBlock(b);
    fb.sealBlock(b);
    fb.setSrcLoc(42);
    const big = fb.ins().iconst(I64, -0x1234_5678_9abcn);
    const [sum, of] = fb.ins().uaddOverflow(x, big);
    const slot = fb.createSizedStackSlot({ size: 16, alignShift: 3 });
    const addr = fb.ins().stackAddr(I64, slot, 8);
    fb.ins().store(MemFlags.trusted(), sum, addr, 0);
    const back = fb.ins().load(I64, MemFlags.trusted(), addr);
    fb.clearSrcLoc();
    const half = fb.ins().f64const(0.5);
    expect(fb.func.dfg.valueTypeOf(half)).toBe(F64);
    fb.ins().return_([back, of]);
    const f = verified(fb.finalize());
    const text = printFunction(f);
    expect(text).toContain('iconst.i64 -20015998343868');
    expect(text).toContain('uadd_overflow v0, v1');
    expect(text).toContain('stack_addr.i64 ss0+8');
    expect(text).toMatch(/@002a +v\d+ = load\.i64 notrap aligned v\d+/);
  });

  test('direct and indirect calls with imported signatures', () => {
    const fb = newBuilder([I32], [I32]);
    const sig = newSignature('system_v');
    sig.params.push(abiParam(I32));
    sig.returns.push(abiParam(I32));
    const callee = fb.importFunction({ kind: 'testcase', name: 'callee' }, sig);
    const sigRef = fb.importSignature(sig);
    const b = fb.createBlock();
    const [x] = fb.appendBlockParamsForFunctionParams(b);
    fb.switchToBlock(b);
    fb.sealBlock(b);
    const r1 = fb.instResults(fb.ins().call(callee, [x]))[0];
    const p = fb.ins().funcAddr(I64, callee);
    const r2 = fb.instResults(fb.ins().callIndirect(sigRef, p, [r1]))[0];
    fb.ins().return_([r2]);
    const text = printFunction(verified(fb.finalize()));
    expect(text).toContain('fn0 = %callee sig0');
    expect(text).toMatch(/call_indirect sig\d+, v\d+\(v\d+\)/);
  });
});

describe('SSA construction', () => {
  test('straight-line code needs no block parameters', () => {
    const fb = newBuilder([], [I32]);
    const a = fb.createBlock();
    const b = fb.createBlock();
    const v = fb.declareVar(I32);
    fb.switchToBlock(a);
    fb.sealBlock(a);
    fb.defVar(v, fb.ins().iconst(I32, 1));
    fb.ins().jump(b);
    fb.switchToBlock(b);
    fb.sealBlock(b);
    fb.ins().return_([fb.useVar(v)]);
    const f = verified(fb.finalize());
    expect(f.dfg.numBlockParams(b)).toBe(0);
  });

  test('a real merge gets exactly one parameter; an unchanged variable gets none', () => {
    const fb = newBuilder([I32], [I32, I32]);
    const entry = fb.createBlock();
    const [t, e, m] = [fb.createBlock(), fb.createBlock(), fb.createBlock()];
    const changed = fb.declareVar(I32);
    const same = fb.declareVar(I32);
    const [c] = fb.appendBlockParamsForFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    fb.defVar(changed, fb.ins().iconst(I32, 1));
    fb.defVar(same, fb.ins().iconst(I32, 7));
    fb.ins().brif(c, t, [], e, []);
    fb.switchToBlock(t);
    fb.sealBlock(t);
    fb.defVar(changed, fb.ins().iconst(I32, 2));
    fb.ins().jump(m);
    fb.switchToBlock(e);
    fb.sealBlock(e);
    fb.ins().jump(m);
    fb.switchToBlock(m);
    fb.sealBlock(m);
    fb.ins().return_([fb.useVar(changed), fb.useVar(same)]);
    const f = verified(fb.finalize());
    expect(f.dfg.numBlockParams(m)).toBe(1);
  });

  test('removes phis that become trivial only after others are removed (sealing inner loop last)', () => {
    // x is never reassigned inside two nested loops; the outer header is sealed
    // first, so its parameter first looks like a merge of x and the inner one.
    const fb = newBuilder([I32], [I32]);
    const entry = fb.createBlock();
    const [h1, body1, h2, body2, exit2, exit1] = Array.from({ length: 6 }, () => fb.createBlock());
    const x = fb.declareVar(I32);
    const [x0] = fb.appendBlockParamsForFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    fb.defVar(x, x0);
    fb.ins().jump(h1);
    fb.switchToBlock(h1);
    fb.ins().brif(fb.useVar(x), body1, [], exit1, []);
    fb.switchToBlock(body1);
    fb.sealBlock(body1);
    fb.ins().jump(h2);
    fb.switchToBlock(h2);
    fb.ins().brif(fb.useVar(x), body2, [], exit2, []);
    fb.switchToBlock(body2);
    fb.sealBlock(body2);
    fb.ins().jump(h2);
    fb.switchToBlock(exit2);
    fb.sealBlock(exit2);
    fb.ins().jump(h1);
    fb.sealBlock(h1);
    fb.sealBlock(h2);
    fb.switchToBlock(exit1);
    fb.sealBlock(exit1);
    fb.ins().return_([fb.useVar(x)]);
    const f = verified(fb.finalize());
    for (const b of [h1, h2]) expect(f.dfg.numBlockParams(b)).toBe(0);
    for (const b of f.layout.blockArray()) {
      const last = f.layout.lastInst(b);
      for (const v of f.dfg.instArgs(last)) expect(v).toBe(x0);
    }
  });

  test('a variable read in an unreachable block is zero there', () => {
    const fb = newBuilder([], [I64]);
    const entry = fb.createBlock();
    const dead = fb.createBlock();
    const v = fb.declareVar(I64);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    fb.defVar(v, fb.ins().iconst(I64, 5));
    fb.ins().return_([fb.useVar(v)]);
    fb.switchToBlock(dead);
    fb.sealBlock(dead);
    fb.ins().return_([fb.useVar(v)]);
    const f = verified(fb.finalize());
    expect(printFunction(f)).toMatch(/block1:\n {4}v\d+ = iconst\.i64 0\n/);
  });

  test('long blocks and many variables', () => {
    const fb = newBuilder([], [I64]);
    const b = fb.createBlock();
    fb.switchToBlock(b);
    fb.sealBlock(b);
    const vars = Array.from({ length: 2000 }, (_, i) => {
      const v = fb.declareVar(I64);
      fb.defVar(v, fb.ins().iconst(I64, i));
      return v;
    });
    for (let i = 0; i < 20000; i++) fb.defVar(vars[i % 2000], fb.ins().iadd(fb.useVar(vars[i % 2000]), fb.useVar(vars[(i * 7) % 2000])));
    fb.ins().return_([fb.useVar(vars[0])]);
    expect(verified(fb.finalize()).dfg.numInsts()).toBe(22001);
  });
});

describe('misuse is a typed error', () => {
  test('use before definition on some path', () => {
    const fb = newBuilder([I32], [I32]);
    const entry = fb.createBlock();
    const [t, m] = [fb.createBlock(), fb.createBlock()];
    const v = fb.declareVar(I32);
    const [c] = fb.appendBlockParamsForFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    fb.ins().brif(c, t, [], m, []);
    fb.switchToBlock(t);
    fb.sealBlock(t);
    fb.defVar(v, c);
    fb.ins().jump(m);
    fb.switchToBlock(m);
    fb.sealBlock(m);
    expectKind('UseBeforeDef', () => fb.useVar(v));
  });

  test('use before definition found when a loop header is sealed', () => {
    const fb = newBuilder([], []);
    const entry = fb.createBlock();
    const h = fb.createBlock();
    const v = fb.declareVar(I32);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    fb.ins().jump(h);
    fb.switchToBlock(h);
    fb.useVar(v);
    fb.ins().jump(h);
    expectKind('UseBeforeDef', () => fb.sealBlock(h));
  });

  test('use in the entry block before any definition', () => {
    const fb = newBuilder();
    const b = fb.createBlock();
    fb.switchToBlock(b);
    const v = fb.declareVar(I32);
    expectKind('UseBeforeDef', () => fb.useVar(v));
  });

  test('block and terminator rules', () => {
    const fb = newBuilder();
    const a = fb.createBlock();
    const b = fb.createBlock();
    expectKind('NoCurrentBlock', () => fb.ins().iconst(I32, 0));
    fb.switchToBlock(a);
    fb.sealBlock(a);
    fb.ins().iconst(I32, 0);
    expectKind('BlockNotFilled', () => fb.switchToBlock(b));
    expectKind('BlockNotPristine', () => fb.appendBlockParam(a, I32));
    fb.ins().jump(b);
    expectKind('InstAfterTerminator', () => fb.ins().jump(b));
    expectKind('BlockAlreadyFilled', () => fb.switchToBlock(a));
    fb.sealBlock(b);
    fb.switchToBlock(b);
    expectKind('BranchToSealedBlock', () => fb.ins().jump(b));
    expectKind('InvalidBlock', () => fb.switchToBlock(99 as typeof b));
  });

  test('variables: undeclared and wrong type', () => {
    const fb = newBuilder();
    const b = fb.createBlock();
    fb.switchToBlock(b);
    const v = fb.declareVar(I64);
    expectKind('VariableTypeMismatch', () => fb.defVar(v, fb.ins().iconst(I32, 1)));
    expectKind('UndeclaredVariable', () => fb.useVar(7 as typeof v));
    expectKind('UndeclaredVariable', () => fb.defVar(7 as typeof v, fb.ins().iconst(I64, 1)));
  });

  test('finalize: unsealed and unfilled blocks, and nothing after', () => {
    const fb = newBuilder();
    const a = fb.createBlock();
    const b = fb.createBlock();
    fb.switchToBlock(a);
    fb.sealBlock(a);
    fb.ins().jump(b);
    expectKind('UnsealedBlock', () => fb.finalize());
    fb.sealBlock(b);
    expectKind('UnfilledBlock', () => fb.finalize());
    fb.switchToBlock(b);
    fb.ins().return_();
    verified(fb.finalize());
    expectKind('Finalized', () => fb.createBlock());
  });

  test('bad instructions', () => {
    const fb = newBuilder();
    const b = fb.createBlock();
    fb.switchToBlock(b);
    expectKind('InvalidInstruction', () => fb.ins().iconst(F64, 1));
    expectKind('InvalidValue', () => fb.ins().iadd(1234 as never, 1235 as never));
    expectKind('InvalidInstruction', () => fb.ins().call(3 as never, []));
  });
});
