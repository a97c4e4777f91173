// The README's example: an iterative factorial written as a front end
// would, with two variables and a loop; SSA construction turns the
// variables into block parameters of the loop header.

import { Function, I64, IntCC, abiParam, newSignature } from '@clift/ir';
import { FunctionBuilder } from './frontend.js';

/** `fn fact(n) { acc = 1; while (n > 1) { acc = acc * n; n = n - 1 } return acc }` */
export function buildFactorial(): Function {
  const sig = newSignature('system_v');
  sig.params.push(abiParam(I64));
  sig.returns.push(abiParam(I64));
  const func = new Function({ kind: 'testcase', name: 'fact' }, sig);
  const fb = new FunctionBuilder(func);

  const entry = fb.createBlock();
  const header = fb.createBlock();
  const body = fb.createBlock();
  const exit = fb.createBlock();
  const n = fb.declareVar(I64);
  const acc = fb.declareVar(I64);

  fb.appendBlockParamsForFunctionParams(entry);
  fb.switchToBlock(entry);
  fb.sealBlock(entry);
  fb.defVar(n, fb.blockParams(entry)[0]);
  fb.defVar(acc, fb.ins().iconst(I64, 1));
  fb.ins().jump(header);

  // The header is not sealed yet: the loop's back edge does not exist.
  fb.switchToBlock(header);
  const one = fb.ins().iconst(I64, 1);
  const more = fb.ins().icmp(IntCC.SignedGreaterThan, fb.useVar(n), one);
  fb.ins().brif(more, body, [], exit, []);

  fb.switchToBlock(body);
  fb.sealBlock(body);
  fb.defVar(acc, fb.ins().imul(fb.useVar(acc), fb.useVar(n)));
  fb.defVar(n, fb.ins().isub(fb.useVar(n), fb.ins().iconst(I64, 1)));
  fb.ins().jump(header);
  fb.sealBlock(header);

  fb.switchToBlock(exit);
  fb.sealBlock(exit);
  fb.ins().return_([fb.useVar(acc)]);
  return fb.finalize();
}
