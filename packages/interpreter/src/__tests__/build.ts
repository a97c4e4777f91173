// Test helpers: small CLIF functions built through the IR API (no text
// reader needed), so tests exercise the interpreter on real Function objects.

import type { Block, DataValue, Type, Value } from '@clift/ir';
import type { Opcode } from '@clift/ir';
import { FuncCursor, Function, I32, I64, I8, INVALID, IntCC, abiParam, dataValue, newSignature } from '@clift/ir';

/** A function `name(params) -> returns` whose body `body` fills at block0. */
export function buildFunction(
  name: string,
  params: readonly Type[],
  returns: readonly Type[],
  body: (c: FuncCursor, args: Value[]) => void,
): Function {
  const sig = newSignature();
  sig.params.push(...params.map((t) => abiParam(t)));
  sig.returns.push(...returns.map((t) => abiParam(t)));
  const f = new Function({ kind: 'testcase', name }, sig);
  const c = new FuncCursor(f);
  const b0 = c.makeBlock();
  const args = params.map((t) => f.dfg.appendBlockParam(b0, t));
  c.gotoBottom(b0);
  body(c, args);
  return f;
}

/**
 * `fib(n)`: iterative Fibonacci over type `t`, a loop of 6 instructions per
 * iteration (brif, iadd, iadd, jump, plus the header's icmp).
 */
export function fibonacciLoop(t: Type): Function {
  return buildFunction('fib', [t], [t], (c, [n]) => {
    const f = c.func;
    const header: Block = c.makeBlock();
    const body: Block = c.makeBlock();
    const exit: Block = c.makeBlock();
    const hi = f.dfg.appendBlockParam(header, t);
    const ha = f.dfg.appendBlockParam(header, t);
    const hb = f.dfg.appendBlockParam(header, t);
    const r = f.dfg.appendBlockParam(exit, t);
    const ins = c.ins();
    const zero = ins.iconst(t, 0);
    const one = ins.iconst(t, 1);
    ins.jump(header, [zero, zero, one]);
    c.gotoBottom(header);
    const cond = c.ins().icmp(IntCC.UnsignedLessThan, hi, n);
    c.ins().brif(cond, body, [], exit, [ha]);
    c.gotoBottom(body);
    const i1 = c.ins().iconst(t, 1);
    const next = c.ins().iadd(hi, i1);
    const sum = c.ins().iadd(ha, hb);
    c.ins().jump(header, [next, hb, sum]);
    c.gotoBottom(exit);
    c.ins().return_([r]);
  });
}

export const i8 = (x: number | bigint): DataValue => dataValue(I8, BigInt(x));
export const i32 = (x: number | bigint): DataValue => dataValue(I32, BigInt(x));
export const i64 = (x: number | bigint): DataValue => dataValue(I64, BigInt(x));

/** `f(x, y) -> op(x, y)` with all results returned (overflow ops give two). */
export function binaryFunction(op: Opcode, t: Type, yType: Type = t): Function {
  return buildFunction('f', [t, yType], [], (c, [x, y]) => {
    const inst = c.ins().build(op, INVALID, [x, y]);
    const results = c.func.dfg.instResults(inst);
    for (const r of results) c.func.signature.returns.push(abiParam(c.func.dfg.valueTypeOf(r)));
    c.ins().return_(results);
  });
}

/** `f(x) -> op.ctrl(x)`; ctrl INVALID to infer it from x. */
export function unaryFunction(op: Opcode, t: Type, ctrl: Type = INVALID, imm0 = 0): Function {
  return buildFunction('f', [t], [], (c, [x]) => {
    const inst = c.ins().build(op, ctrl, [x], imm0);
    const results = c.func.dfg.instResults(inst);
    for (const r of results) c.func.signature.returns.push(abiParam(c.func.dfg.valueTypeOf(r)));
    c.ins().return_(results);
  });
}

/** `f(x, y, z) -> op(x, y, z)`. */
export function ternaryFunction(op: Opcode, types: readonly [Type, Type, Type]): Function {
  return buildFunction('f', types, [], (c, [x, y, z]) => {
    const inst = c.ins().build(op, INVALID, [x, y, z]);
    const results = c.func.dfg.instResults(inst);
    for (const r of results) c.func.signature.returns.push(abiParam(c.func.dfg.valueTypeOf(r)));
    c.ins().return_(results);
  });
}
