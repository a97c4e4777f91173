// `test print-cfg`: render the control-flow graph in Graphviz dot form and
// FileCheck it against the function's comments.

import type { Function } from '@clift/ir';
import { printCfg } from '../cfg-printer.js';
import { runFilecheck, type Subtest, type SubtestContext } from '../subtest.js';

export const printCfgSubtest: Subtest = {
  name: 'print-cfg',
  needsVerifier: false,
  needsIsa: false,
  run(func: Function, ctx: SubtestContext): void {
    runFilecheck(printCfg(func), ctx);
  },
};
