// `test alias-analysis`: run only the mid-end's alias analysis (redundant
// loads, store-to-load forwarding) and FileCheck the printed function; a
// removed load shows as an alias line (`v5 -> v3`), as upstream prints it.

import { printFunction, type Function } from '@clift/ir';
import { runAliasAnalysis } from '@clift/egraph-midend';
import { runFilecheck, type Subtest, type SubtestContext } from '../subtest.js';

export const aliasAnalysisSubtest: Subtest = {
  name: 'alias-analysis',
  needsVerifier: true,
  needsIsa: false,
  run(func: Function, ctx: SubtestContext): void {
    runAliasAnalysis(func);
    runFilecheck(printFunction(func), ctx);
  },
};
