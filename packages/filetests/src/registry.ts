// Which `test <name>` commands exist and which Clift implements. A command
// upstream defines but Clift does not implement yet is reported as a skip
// with its reason, never as a pass; a name upstream does not define is an
// error in the test file.

import { catSubtest } from './subtests/cat.js';
import { domtreeSubtest } from './subtests/domtree.js';
import { interpretSubtest } from './subtests/interpret.js';
import { printCfgSubtest } from './subtests/print-cfg.js';
import { verifierSubtest } from './subtests/verifier.js';
import { optimizeSubtest } from './subtests/optimize.js';
import { aliasAnalysisSubtest } from './subtests/alias-analysis.js';
import { runSubtest } from './subtests/run.js';
import { compileSubtest } from './subtests/compile.js';
import type { Subtest } from './subtest.js';

const IMPLEMENTED: ReadonlyMap<string, Subtest> = new Map(
  [catSubtest, verifierSubtest, domtreeSubtest, printCfgSubtest, interpretSubtest, optimizeSubtest, aliasAnalysisSubtest, runSubtest, compileSubtest].map((s) => [s.name, s]),
);

/**
 * Commands upstream defines that Clift has not implemented, with whether
 * each runs per target configuration (needs an ISA) as upstream's do.
 */
const NOT_YET: ReadonlyMap<string, { needsIsa: boolean }> = new Map([
  ['dce', { needsIsa: false }],
  ['legalizer', { needsIsa: true }],
  ['safepoint', { needsIsa: true }],
  ['unwind', { needsIsa: true }],
]);

export type SubtestLookup =
  | { kind: 'implemented'; subtest: Subtest }
  | { kind: 'not-implemented'; needsIsa: boolean; reason: string }
  | { kind: 'unknown'; reason: string };

export function lookupSubtest(name: string): SubtestLookup {
  const s = IMPLEMENTED.get(name);
  if (s) return { kind: 'implemented', subtest: s };
  const n = NOT_YET.get(name);
  if (n) return { kind: 'not-implemented', needsIsa: n.needsIsa, reason: `test ${name} is not implemented yet` };
  return { kind: 'unknown', reason: `unknown test command '${name}'` };
}

/** Names of the implemented test commands. */
export function implementedSubtests(): string[] {
  return [...IMPLEMENTED.keys()];
}
