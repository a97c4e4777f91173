// Memory helpers: small constant sizes expand inline, larger ones call the
// libcall; inline results are checked in the interpreter.

import { describe, expect, test } from 'vitest';
import { Function, I32, I64, MemFlags, Opcode, abiParam, newSignature, printFunction, verifyFunction } from '@clift/ir';
import { Interpreter } from '@clift/interpreter';
import { FrontendError, FunctionBuilder } from '../src/index.js';

const config = { pointerType: I64 };

function count(f: Function, op: Opcode): number {
  let n = 0;
  for (const b of f.layout.blockArray()) for (let i = f.layout.firstInst(b); i !== 0xffffffff; i = f.layout.nextInst(i)) if (f.dfg.opcode(i) === op) n++;
  return n;
}

/** Fills a 16-byte slot with `ch`, copies `size` bytes to a second slot, returns its first 8 bytes. */
function build(size: number, ch: number): Function {
  const sig = newSignature('system_v');
  sig.returns.push(abiParam(I64));
  const fb = new FunctionBuilder(new Function({ kind: 'testcase', name: 'mem' }, sig));
  const b = fb.createBlock();
  fb.switchToBlock(b);
  fb.sealBlock(b);
  const a = fb.ins().stackAddr(I64, fb.createSizedStackSlot({ size: 64, alignShift: 3 }));
  const d = fb.ins().stackAddr(I64, fb.createSizedStackSlot({ size: 64, alignShift: 3 }));
  fb.ins().store(MemFlags.trusted(), fb.ins().iconst(I64, 0), d);
  fb.emitSmallMemset(config, a, ch, size, 8, MemFlags.trusted());
  fb.emitSmallMemoryCopy(config, d, a, size, 8, 8, true, MemFlags.trusted());
  fb.ins().return_([fb.ins().load(I64, MemFlags.trusted(), d)]);
  const f = fb.finalize();
  expect(verifyFunction(f), printFunction(f)).toEqual([]);
  return f;
}

describe('memory helpers', () => {
  test('small sizes are inline loads and stores with the right bytes', () => {
    for (const size of [1, 2, 3, 4, 6, 8, 16, 32]) {
      const f = build(size, 0xab);
      expect(count(f, Opcode.Call), `size ${size}`).toBe(0);
      const r = new Interpreter([f]).call('%mem', []);
      expect(r.kind).toBe('return');
      const n = Math.min(size, 8);
      const want = n === 8 ? 0xababababababababn : (1n << BigInt(8 * n)) / 255n * 0xabn;
      if (r.kind === 'return') expect(r.values[0].bits, `size ${size}`).toBe(want);
    }
  });

  test('large sizes call memset and memcpy', () => {
    const f = build(40, 1);
    expect(count(f, Opcode.Call)).toBe(2);
    const text = printFunction(f);
    expect(text).toContain('%Memset');
    expect(text).toContain('%Memcpy');
  });

  test('overlapping copies use memmove; memcmp returns an i32', () => {
    const sig = newSignature('system_v');
    sig.params.push(abiParam(I64), abiParam(I64));
    sig.returns.push(abiParam(I32));
    const fb = new FunctionBuilder(new Function({ kind: 'testcase', name: 'mv' }, sig));
    const b = fb.createBlock();
    const [p, q] = fb.appendBlockParamsForFunctionParams(b);
    fb.switchToBlock(b);
    fb.sealBlock(b);
    fb.emitSmallMemoryCopy(config, p, q, 1024, 8, 8, false, MemFlags.new());
    const r = fb.callMemcmp(config, p, q, fb.ins().iconst(I64, 1024));
    fb.ins().return_([r]);
    const f = fb.finalize();
    expect(verifyFunction(f)).toEqual([]);
    expect(printFunction(f)).toContain('%Memmove');
    expect(printFunction(f)).toContain('%Memcmp');
  });

  test('bad sizes and bytes are typed errors', () => {
    const fb = new FunctionBuilder(new Function());
    const b = fb.createBlock();
    fb.switchToBlock(b);
    const p = fb.ins().iconst(I64, 0);
    expect(() => fb.emitSmallMemset(config, p, 300, 4, 4, MemFlags.new())).toThrow(FrontendError);
    expect(() => fb.emitSmallMemoryCopy(config, p, p, -1, 4, 4, true, MemFlags.new())).toThrow(/InvalidMemoryOperation/);
  });
});
