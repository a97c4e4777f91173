// `test cat`: print the parsed function and FileCheck the text against the
// function's comments — a test of the reader and the printer together.

import { printFunction, type Function } from '@clift/ir';
import { runFilecheck, type Subtest, type SubtestContext } from '../subtest.js';

export const catSubtest: Subtest = {
  name: 'cat',
  needsVerifier: false,
  needsIsa: false,
  run(func: Function, ctx: SubtestContext): void {
    runFilecheck(printFunction(func), ctx);
  },
};
