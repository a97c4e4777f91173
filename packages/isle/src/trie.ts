// Decision trie: the order in which one term's rules test their constraints.
//
// Owns: turning the prioritised list of lowered rules of one term into a tree
// of tests (`switch` on a variant, integer or constant; `if` present /
// equal; `for` over a multi result) whose leaves are rules. Rules that share
// a test share the node, so common prefixes are matched once.
// Does not own: how a test or a binding is spelled in TypeScript
// (`codegen.ts`).
//
// The construction, in short. `build(rules)` keeps the rules in the order
// they must be tried: descending priority, and source order within a
// priority (which the language leaves unspecified). It repeatedly takes the
// first rule R. If R has no untested constraint it is a leaf: it matches.
// Otherwise it picks one of R's constraints whose binding can be computed
// now (preferring cheap bindings and the constraint shared by the most
// rules) and gathers the *group* of rules that test the same binding: for a
// switchable family (variant, integer, bool, constant) every rule testing
// any value of it; otherwise the rules with that exact test. A rule after a
// skipped (non-group) rule joins the group only if it has the same priority
// as every skipped rule, so moving it earlier never lets a lower-priority
// rule run before a higher-priority one. The group becomes one node whose
// arms are built recursively; the rest continue after the node.
//
// Invariants:
// - Semantics: for a non-multi term, the first rule (in the order above)
//   whose constraints all hold is the one whose leaf is reached first in a
//   depth-first walk. For a multi term, every matching rule's leaf is reached.
// - A binding is only tested on paths where its guard (see `bindings.ts`)
//   has been established.

import {
  guardOf,
  inputsOf,
  isSwitchable,
  type BindingId,
  type LoweredRule,
  type Test,
  type TermRules,
} from './bindings.js';
import type { Program } from './sema.js';

export type TrieNode =
  | {
      readonly kind: 'switch';
      readonly binding: BindingId;
      /** One arm per distinct value, in the order the values first appear. */
      readonly arms: readonly { readonly test: Test; readonly body: readonly TrieNode[] }[];
    }
  | { readonly kind: 'check'; readonly test: Test; readonly body: readonly TrieNode[] }
  | { readonly kind: 'loop'; readonly test: Test; readonly body: readonly TrieNode[] }
  | { readonly kind: 'leaf'; readonly rule: LoweredRule };

export interface Trie {
  readonly term: TermRules;
  readonly nodes: readonly TrieNode[];
  /** Rule ids that appear as a leaf somewhere (the others can never match). */
  readonly reachable: ReadonlySet<number>;
}

interface PathState {
  /** Keys of the tests known to hold on this path. */
  readonly holds: ReadonlySet<string>;
  /** For each switch family decided on this path, the value it has. */
  readonly decided: ReadonlyMap<string, string>;
}

export function buildTrie(program: Program, term: TermRules): Trie {
  return new TrieBuilder(program, term).run();
}

class TrieBuilder {
  private readonly multi: boolean;
  private readonly reachable = new Set<number>();
  /** Cost of computing each binding: 0 for pattern data, 1 if it needs an `if-let` call. */
  private readonly cost: number[];
  private readonly guards: (Test | undefined)[];

  constructor(
    private readonly program: Program,
    private readonly term: TermRules,
  ) {
    this.multi = program.terms[term.term].multi;
    this.guards = term.bindings.map((_, i) => guardOf(program, term.bindings, i));
    this.cost = [];
    term.bindings.forEach((b, i) => {
      let c = b.kind === 'call' ? 1 : 0;
      for (const input of inputsOf(b)) c = Math.max(c, this.cost[input]);
      this.cost[i] = c;
    });
  }

  run(): Trie {
    const rules = this.term.rules.filter((r) => !r.impossible);
    const nodes = this.build(rules, { holds: new Set(), decided: new Map() });
    return { term: this.term, nodes, reachable: this.reachable };
  }

  private ready(b: BindingId, state: PathState): boolean {
    const g = this.guards[b];
    if (g !== undefined && !state.holds.has(g.key)) return false;
    for (const input of inputsOf(this.term.bindings[b])) if (!this.ready(input, state)) return false;
    return true;
  }

  /** Tests of `r` not yet known to hold; `undefined` if one is known to fail. */
  private pending(r: LoweredRule, state: PathState): Test[] | undefined {
    const out: Test[] = [];
    for (const t of r.tests) {
      if (state.holds.has(t.key)) continue;
      if (isSwitchable(t.c)) {
        const d = state.decided.get(t.group);
        if (d !== undefined) {
          if (d !== t.value) return undefined;
          continue;
        }
      }
      out.push(t);
    }
    return out;
  }

  private inGroup(r: LoweredRule, test: Test, state: PathState): boolean {
    const pending = this.pending(r, state);
    if (pending === undefined) return false;
    const byFamily = isSwitchable(test.c);
    return pending.some((t) => (byFamily ? t.group === test.group : t.key === test.key));
  }

  /** Indices (into `rules`) of the group a test on `test` would handle. */
  private group(rules: readonly LoweredRule[], test: Test, state: PathState): number[] {
    const out: number[] = [];
    let skippedPrio: number | undefined;
    for (let j = 0; j < rules.length; j++) {
      const r = rules[j];
      const prio = r.rule.prio;
      if (this.inGroup(r, test, state)) {
        if (!this.multi && skippedPrio !== undefined && prio !== skippedPrio) break;
        out.push(j);
      } else if (!this.multi) {
        if (skippedPrio === undefined) skippedPrio = prio;
        else if (prio !== skippedPrio) break;
      }
    }
    return out;
  }

  private build(input: readonly LoweredRule[], state: PathState): TrieNode[] {
    const nodes: TrieNode[] = [];
    // Drop rules already known to fail on this path.
    let rules = input.filter((r) => this.pending(r, state) !== undefined);
    while (rules.length > 0) {
      const first = rules[0];
      const pending = this.pending(first, state)!;
      if (pending.length === 0) {
        nodes.push({ kind: 'leaf', rule: first });
        this.reachable.add(first.rule.id);
        if (!this.multi) break; // everything after is shadowed on this path
        rules = rules.slice(1);
        continue;
      }
      const candidates = pending.filter(
        (t) => this.ready(t.binding, state) && (t.c.kind !== 'eq' || this.ready(t.c.other, state)),
      );
      if (candidates.length === 0) {
        throw new Error(`internal error: no testable constraint for rule ${first.rule.id}`);
      }
      const minCost = Math.min(...candidates.map((t) => this.testCost(t)));
      let best: Test | undefined;
      let bestGroup: number[] = [];
      for (const t of candidates) {
        if (this.testCost(t) !== minCost) continue;
        const g = this.group(rules, t, state);
        if (best === undefined || g.length > bestGroup.length) {
          best = t;
          bestGroup = g;
        }
      }
      const test = best!;
      const members = bestGroup.map((j) => rules[j]);
      const memberSet = new Set(bestGroup);
      rules = rules.filter((_, j) => !memberSet.has(j));
      nodes.push(this.node(test, members, state));
    }
    return nodes;
  }

  private testCost(t: Test): number {
    return t.c.kind === 'eq' ? Math.max(this.cost[t.binding], this.cost[t.c.other]) : this.cost[t.binding];
  }

  private node(test: Test, members: readonly LoweredRule[], state: PathState): TrieNode {
    if (isSwitchable(test.c)) {
      // One arm per value; a rule goes to the arm of the value it tests.
      const arms = new Map<string, { test: Test; rules: LoweredRule[] }>();
      for (const r of members) {
        const t = this.pending(r, state)!.find((p) => p.group === test.group)!;
        let arm = arms.get(t.value);
        if (arm === undefined) arms.set(t.value, (arm = { test: t, rules: [] }));
        arm.rules.push(r);
      }
      return {
        kind: 'switch',
        binding: test.binding,
        arms: [...arms.values()].map((arm) => ({
          test: arm.test,
          body: this.build(arm.rules, {
            holds: withKey(state.holds, arm.test.key),
            decided: new Map(state.decided).set(arm.test.group, arm.test.value),
          }),
        })),
      };
    }
    const body = this.build(members, { holds: withKey(state.holds, test.key), decided: state.decided });
    return test.c.kind === 'loop' ? { kind: 'loop', test, body } : { kind: 'check', test, body };
  }
}

function withKey(set: ReadonlySet<string>, key: string): Set<string> {
  const s = new Set(set);
  s.add(key);
  return s;
}
