// `test optimize`: run the e-graph mid-end on the function and check the
// printed result, as upstream's optimize subtest does: FileCheck against the
// function's comments, or with `precise-output`, an exact comparison with
// the `;` lines after the function (rewritten by `--bless`).

import { printFunction, verifyFunction, formatVerifierErrors, type Function } from '@clift/ir';
import { optimize, OptimizerError } from '@clift/egraph-midend';
import { checkPreciseOutput, runFilecheck, SubtestFailure, type Subtest, type SubtestContext } from '../subtest.js';

export const optimizeSubtest: Subtest = {
  name: 'optimize',
  needsVerifier: true,
  needsIsa: false,
  allowedOptions: ['precise-output'],
  run(func: Function, ctx: SubtestContext): void {
    try {
      optimize(func, { level: 'speed' });
    } catch (e) {
      if (e instanceof OptimizerError) throw new SubtestFailure(`optimizer error: ${e.message}`);
      throw e;
    }
    const errors = verifyFunction(func);
    if (errors.length > 0) throw new SubtestFailure(`optimized function fails the verifier:\n${formatVerifierErrors(func, errors)}`);
    const text = printFunction(func);
    if (ctx.options.includes('precise-output')) checkPreciseOutput(text.replace(/\n$/, '').split('\n'), ctx);
    else runFilecheck(text, ctx);
  },
};
