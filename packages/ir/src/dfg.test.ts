import { describe, expect, it } from 'vitest';
import { DataFlowGraph, ValueKind } from './dfg.js';
import { BlockArg } from './entity-data.js';
import { Opcode } from './opcodes.js';
import { I32, I64, INVALID } from './types.js';
import { NONE, type Value } from './entities.js';

describe('DataFlowGraph', () => {
  it('creates instructions with arguments, immediates and results', () => {
    const dfg = new DataFlowGraph();
    const b = dfg.makeBlock();
    const p = dfg.appendBlockParam(b, I32);
    const inst = dfg.makeInst(Opcode.Iadd, I32, [p, p]);
    const r = dfg.appendResult(inst, I32);
    expect(dfg.opcode(inst)).toBe(Opcode.Iadd);
    expect(dfg.instArgs(inst)).toEqual([p, p]);
    expect(dfg.numResults(inst)).toBe(1);
    expect(dfg.firstResult(inst)).toBe(r);
    expect(dfg.valueDef(r)).toEqual({ kind: 'result', inst, num: 0 });
    expect(dfg.valueInst(r)).toBe(inst);
    expect(dfg.valueBlock(p)).toBe(b);
    const k = dfg.makeInst(Opcode.Iconst, I64, [], -1, -1);
    expect([dfg.imm0(k), dfg.imm1(k)]).toEqual([-1, -1]);
    expect(() => dfg.firstResult(k)).toThrow(/no results/);
  });

  it('keeps source numbering through placeholders', () => {
    const dfg = new DataFlowGraph();
    const b = dfg.makeBlock();
    dfg.attachBlockParamAt(b, 5 as Value, I32);
    expect(dfg.numValues()).toBe(6);
    expect(dfg.valueIsValid(3 as Value)).toBe(false);
    expect(dfg.valueKindOf(3 as Value)).toBe(ValueKind.Placeholder);
    const inst = dfg.makeInst(Opcode.Iconst, I32, []);
    dfg.attachResultAt(inst, 2 as Value, I32);
    expect(dfg.result(inst, 0)).toBe(2);
    expect(() => dfg.attachResultAt(inst, 2 as Value, I32)).toThrow(/already defined/);
  });

  it('grows argument and result lists that do not end the pool', () => {
    const dfg = new DataFlowGraph();
    const b = dfg.makeBlock();
    const a = dfg.appendBlockParam(b, I32);
    const i1 = dfg.makeInst(Opcode.Return, INVALID, [a]);
    const i2 = dfg.makeInst(Opcode.Return, INVALID, [a, a]);
    const extra = dfg.appendBlockParam(b, I64);
    dfg.setInstArgs(i1, [a, extra]);
    expect(dfg.instArgs(i1)).toEqual([a, extra]);
    expect(dfg.instArgs(i2)).toEqual([a, a]);
    const r1 = dfg.appendResult(i1, I32);
    dfg.appendResult(i2, I32);
    const r3 = dfg.appendResult(i1, I64);
    expect(dfg.instResults(i1)).toEqual([r1, r3]);
    expect(dfg.valueNum(r3)).toBe(1);
  });

  it('resolves alias chains and rejects self-aliasing', () => {
    const dfg = new DataFlowGraph();
    const b = dfg.makeBlock();
    const x = dfg.appendBlockParam(b, I32);
    const y = dfg.appendBlockParam(b, I32);
    dfg.changeToAlias(y, x);
    const z = dfg.makeValueAlias(y);
    expect(dfg.resolveAliases(z)).toBe(x);
    expect(dfg.valueTypeOf(z)).toBe(I32);
    expect([...dfg.aliases()]).toEqual([y, z]);
    expect(() => dfg.changeToAlias(x, z)).toThrow(/itself/);
  });

  it('enumerates branch destinations and rewrites uses in them', () => {
    const dfg = new DataFlowGraph();
    const [b0, b1, b2] = [dfg.makeBlock(), dfg.makeBlock(), dfg.makeBlock()];
    const c = dfg.appendBlockParam(b0, I32);
    const v = dfg.appendBlockParam(b0, I32);
    const w = dfg.appendBlockParam(b0, I32);
    const then = dfg.makeBlockCall(b1, [BlockArg.value(v)]);
    const els = dfg.makeBlockCall(b2, []);
    const br = dfg.makeInst(Opcode.Brif, I32, [c], then, els);
    expect(dfg.branchDestinations(br).map((bc) => dfg.blockCallBlock(bc))).toEqual([b1, b2]);
    const uses: Value[] = [];
    dfg.forEachUse(br, (u) => uses.push(u));
    expect(uses).toEqual([c, v]);
    dfg.mapUses(br, (u) => (u === v ? w : u));
    expect(dfg.blockCallValues(then)).toEqual([w]);

    const jt = dfg.makeJumpTable({ default: dfg.makeBlockCall(b2, []), entries: [dfg.makeBlockCall(b1, [BlockArg.value(c)])] });
    const table = dfg.makeInst(Opcode.BrTable, INVALID, [c], jt);
    expect(dfg.branchDestinations(table).map((bc) => dfg.blockCallBlock(bc))).toEqual([b2, b1]);
  });

  it('takes the first numArgs of a reused argument buffer', () => {
    const dfg = new DataFlowGraph();
    const b = dfg.makeBlock();
    const [x, y] = [dfg.appendBlockParam(b, I32), dfg.appendBlockParam(b, I32)];
    const buf = new Uint32Array([y, x, x, 77]);
    const inst = dfg.makeInst(Opcode.Iadd, I32, buf, 0, 0, 0, 2);
    expect(dfg.instArgs(inst)).toEqual([y, x]);
    const bc = dfg.makeBlockCall(b, buf, 1);
    expect(dfg.blockCallArgs(bc)).toEqual([y]);
    // Without a count, the whole list.
    expect(dfg.instArgs(dfg.makeInst(Opcode.Iadd, I32, [x, y]))).toEqual([x, y]);
  });

  it('fills a numbering gap with placeholders at once', () => {
    const dfg = new DataFlowGraph();
    dfg.ensureValue(3 as Value);
    expect(dfg.numValues()).toBe(4);
    // Past the first region (10 values) in one step.
    dfg.ensureValue(5000 as Value);
    expect(dfg.numValues()).toBe(5001);
    for (const v of [0, 3, 4, 9, 10, 4999, 5000]) {
      expect(dfg.valueIsValid(v as Value)).toBe(false);
      expect(dfg.valueDef(v as Value)).toEqual({ kind: 'placeholder' });
      expect(dfg.valueInst(v as Value)).toBe(NONE);
      expect(dfg.valueType_(v as Value)).toBe(INVALID);
    }
    dfg.ensureValue(2 as Value);
    expect(dfg.numValues()).toBe(5001);
    const inst = dfg.makeInst(Opcode.Iconst, I32, []);
    dfg.attachResultAt(inst, 4999 as Value, I32);
    expect(dfg.valueDef(4999 as Value)).toEqual({ kind: 'result', inst, num: 0 });
  });

  it('tells whether a value is a given result of an instruction', () => {
    const dfg = new DataFlowGraph();
    const b = dfg.makeBlock();
    const p = dfg.appendBlockParam(b, I32);
    const inst = dfg.makeInst(Opcode.Iadd, I32, [p, p]);
    const r = dfg.appendResult(inst, I32);
    const other = dfg.makeInst(Opcode.Iadd, I32, [p, r]);
    expect(dfg.isResultOf(r, inst, 0)).toBe(true);
    expect(dfg.isResultOf(r, inst, 1)).toBe(false);
    expect(dfg.isResultOf(r, other, 0)).toBe(false);
    expect(dfg.isResultOf(p, inst, 0)).toBe(false);
    expect(dfg.isResultOf(999 as Value, inst, 0)).toBe(false);
    expect(dfg.isResultOf(-1 as Value, inst, 0)).toBe(false);
  });

  it('packs try_call block arguments', () => {
    const ret = BlockArg.tryCallRet(3);
    const exn = BlockArg.tryCallExn(1);
    expect([BlockArg.kind(ret), BlockArg.index(ret)]).toEqual([1, 3]);
    expect([BlockArg.kind(exn), BlockArg.index(exn)]).toEqual([2, 1]);
    expect(BlockArg.asValue(ret)).toBeUndefined();
    expect(BlockArg.asValue(BlockArg.value(7 as Value))).toBe(7);
  });
});
