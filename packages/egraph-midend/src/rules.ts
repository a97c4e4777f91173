// Which generated rule matcher runs for a node: the `simplify_OP` matcher of
// the node's own opcode, found by name among the generated exports, so that
// a rule file rooting a rule at a new opcode needs no change here
// (scripts/generate.mjs declares `simplify_OP` for every opcode a rule is
// rooted at).
//
// Invariant: BY_OPCODE[op] is the matcher generated for `simplify_<name of op>`
// or undefined; the table is built once, at module load.

import { ALL_OPCODES, opcodeName } from '@clift/ir';
import type { Value } from '@clift/ir';
import * as generated from './generated/opts.js';

export type Matcher = (ctx: generated.Context, v: Value) => Value[];

const PREFIX = 'constructor_simplify_';
const byName = new Map<string, Matcher>();
for (const [name, fn] of Object.entries(generated)) {
  if (name.startsWith(PREFIX) && typeof fn === 'function') byName.set(name.slice(PREFIX.length), fn as Matcher);
}

const BY_OPCODE: (Matcher | undefined)[] = [];
for (const op of ALL_OPCODES) BY_OPCODE[op] = byName.get(opcodeName(op));

/** The rules rooted at opcode `op`, if any. */
export function simplifierFor(op: number): Matcher | undefined {
  return BY_OPCODE[op];
}
