// `test verifier`: with no `; error:` annotations the function must verify
// cleanly; otherwise each `; error: TEXT` annotation names an entity (the
// one the comment is attached to) whose verifier error must contain TEXT,
// and every verifier error must be claimed by an annotation.

import { formatVerifierError, type Function } from '@clift/ir';
import { matchDirective } from '../filecheck.js';
import { SubtestFailure, type Subtest, type SubtestContext } from '../subtest.js';
import { verifyForTarget } from '../verify.js';

export const verifierSubtest: Subtest = {
  name: 'verifier',
  needsVerifier: false,
  needsIsa: false,
  run(func: Function, ctx: SubtestContext): void {
    const expected: { entity: string; text: string; line: number }[] = [];
    for (const c of ctx.parsed.comments) {
      const tail = matchDirective(c.text, 'error:');
      if (tail !== undefined) expected.push({ entity: c.entity ?? 'function', text: tail, line: c.line });
    }
    const errors = verifyForTarget(func, ctx.target);
    if (errors.length === 0) {
      if (expected.length === 0) return;
      throw new SubtestFailure(
        `verified cleanly, but expected errors:\n${expected.map((e) => `  line ${e.line}: ${e.entity}: ${e.text}`).join('\n')}`,
      );
    }
    if (expected.length === 0) {
      throw new SubtestFailure(`expected no error, but got:\n${errors.map((e) => `  ${formatVerifierError(e)}`).join('\n')}`);
    }
    const remaining = [...errors];
    const lines: string[] = [];
    for (const exp of expected) {
      const i = remaining.findIndex((e) => e.location === exp.entity && e.message.includes(exp.text));
      if (i < 0) lines.push(`  expected error at line ${exp.line} on ${exp.entity}: ${exp.text}`);
      else remaining.splice(i, 1);
    }
    for (const e of remaining) lines.push(`  unexpected error ${formatVerifierError(e)}`);
    if (lines.length > 0) {
      const all = errors.map((e) => `  ${formatVerifierError(e)}`).join('\n');
      throw new SubtestFailure(`verifier errors do not match the annotations:\n${lines.join('\n')}\nthe verifier reported:\n${all}`);
    }
  },
};
