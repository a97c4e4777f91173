// Overlap checking: rules of one term that can match the same input.
//
// Owns: the error "two rules at the same priority can both match some
// input" (the language leaves their order unspecified, so the program is
// ambiguous) and the warning "a rule can never fire because a higher-priority
// rule matches everything it matches".
// Does not own: the matching order itself (`trie.ts`).
//
// Method. Two rules are *disjoint* when some binding is tested by both with
// different values of one switchable family (two variants of an enum, two
// integers, two constants, `true` and `false`). Anything else (extractor
// results, equalities, if-let calls) is assumed satisfiable, so the check is
// conservative: it may report an overlap that the embedding code happens to
// rule out, never the reverse. The rule set is split recursively on the
// family tested by most rules (a rule that does not test it goes to every
// part); rules that end up together in a part no family can split overlap.
// Multi-terms are exempt: all their matching rules apply by design.
//
// Invariants: each overlapping pair is reported once; the report names both
// rules and their locations.

import type { LoweredRule, TermRules } from './bindings.js';
import { isSwitchable } from './bindings.js';
import type { Diagnostics, SourceSet } from './diagnostics.js';
import type { Program } from './sema.js';

export interface OverlapOptions {
  /** Report same-priority overlaps as errors (default) or warnings. */
  readonly overlapSeverity?: 'error' | 'warning' | 'off';
  /** Report rules shadowed by higher-priority rules (default `true`). */
  readonly shadowWarnings?: boolean;
}

export function checkOverlaps(
  program: Program,
  terms: readonly TermRules[],
  sources: SourceSet,
  diags: Diagnostics,
  options: OverlapOptions = {},
): void {
  const severity = options.overlapSeverity ?? 'error';
  if (severity === 'off' && options.shadowWarnings === false) return;
  for (const t of terms) {
    if (program.terms[t.term].multi) continue;
    new TermOverlap(t, sources, diags, severity, options.shadowWarnings ?? true).run();
  }
}

interface RuleFacts {
  readonly rule: LoweredRule;
  /** Switch family -> value. */
  readonly families: ReadonlyMap<string, string>;
  readonly keys: ReadonlySet<string>;
}

class TermOverlap {
  private readonly reported = new Set<string>();
  private readonly facts: RuleFacts[];

  constructor(
    term: TermRules,
    private readonly sources: SourceSet,
    private readonly diags: Diagnostics,
    private readonly severity: 'error' | 'warning' | 'off',
    private readonly shadow: boolean,
  ) {
    this.facts = term.rules
      .filter((r) => !r.impossible)
      .map((rule) => {
        const families = new Map<string, string>();
        for (const t of rule.tests) if (isSwitchable(t.c)) families.set(t.group, t.value);
        return { rule, families, keys: new Set(rule.tests.map((t) => t.key)) };
      });
  }

  run(): void {
    this.split(this.facts.map((_, i) => i), new Set());
  }

  private split(set: readonly number[], used: ReadonlySet<string>): void {
    if (set.length < 2) return;
    // Count how many rules test each family not yet split on.
    const counts = new Map<string, number>();
    for (const i of set) {
      for (const g of this.facts[i].families.keys()) {
        if (!used.has(g)) counts.set(g, (counts.get(g) ?? 0) + 1);
      }
    }
    let best: string | undefined;
    let bestCount = 0;
    for (const [g, n] of counts) {
      if (n > bestCount) {
        best = g;
        bestCount = n;
      }
    }
    if (best === undefined) {
      this.pairs(set);
      return;
    }
    const nextUsed = new Set(used).add(best);
    const byValue = new Map<string, number[]>();
    const others: number[] = [];
    for (const i of set) {
      const v = this.facts[i].families.get(best);
      if (v === undefined) others.push(i);
      else {
        let list = byValue.get(v);
        if (list === undefined) byValue.set(v, (list = []));
        list.push(i);
      }
    }
    if (byValue.size <= 1) {
      this.split(set, nextUsed);
      return;
    }
    for (const list of byValue.values()) {
      // Keep source order so reports are stable.
      this.split(mergeSorted(list, others), nextUsed);
    }
  }

  private pairs(set: readonly number[]): void {
    for (let x = 0; x < set.length; x++) {
      for (let y = x + 1; y < set.length; y++) {
        const a = this.facts[Math.min(set[x], set[y])];
        const b = this.facts[Math.max(set[x], set[y])];
        const key = `${a.rule.rule.id},${b.rule.rule.id}`;
        if (this.reported.has(key)) continue;
        this.reported.add(key);
        this.report(a, b);
      }
    }
  }

  /** `a` comes before `b` in matching order (higher or equal priority). */
  private report(a: RuleFacts, b: RuleFacts): void {
    const ra = a.rule.rule;
    const rb = b.rule.rule;
    if (ra.prio === rb.prio) {
      if (this.severity === 'off') return;
      const [first, second] = ra.span.start <= rb.span.start || ra.span.file !== rb.span.file ? [ra, rb] : [rb, ra];
      const name = (r: typeof ra) => (r.name !== undefined ? `rule \`${r.name}\`` : 'rule');
      const msg = `${name(second)} overlaps with the ${name(first)} at ${this.sources.describe(first.span)}: both can match the same input at priority ${ra.prio}`;
      const related = [{ span: first.span, message: `the other ${name(first)} is here` }];
      const help = 'give one of the rules a higher priority, e.g. `(rule 1 ...)`, or make their patterns disjoint';
      if (this.severity === 'error') this.diags.error(second.span, msg, related, help);
      else this.diags.warning(second.span, msg, related, help);
      return;
    }
    if (!this.shadow) return;
    // Higher-priority `a` shadows `b` if every test of `a` is also a test of `b`.
    for (const k of a.keys) if (!b.keys.has(k)) return;
    this.diags.warning(
      rb.span,
      `rule can never match: the higher-priority rule at ${this.sources.describe(ra.span)} (priority ${ra.prio}) matches every input this rule (priority ${rb.prio}) matches`,
      [{ span: ra.span, message: 'the shadowing rule is here' }],
    );
  }
}

function mergeSorted(a: readonly number[], b: readonly number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}
