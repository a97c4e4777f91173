// Bindings and constraints: each typed rule flattened into the facts the
// matcher must establish.
//
// Owns: for one root term, a table of *bindings* (values the generated
// matcher can compute: an argument, a field of an enum variant, the result
// of an extractor or of a pure constructor call in an `if-let`, a loop
// element), hash-consed so that two rules which compute the same value share
// one binding; and for each rule, the list of *constraints* on bindings
// (is variant V, equals integer N, is not undefined, equals another binding,
// iterate) in source order.
// Does not own: the order in which constraints are tested (`trie.ts`) or
// overlap (`overlap.ts`), which both work on this representation.
//
// Invariants:
// - Binding ids are dense from 0 per table; a binding's inputs have smaller
//   ids than the binding itself.
// - Structurally equal bindings get the same id (all extractors and `if-let`
//   calls are pure, so sharing them is sound).
// - A binding with a `guard` may only be computed on a path where the guard
//   constraint holds (a variant field needs its variant test, an extractor
//   output needs the "matched" test, a loop element needs the loop).

import type { Program, Rule, TExpr, TPattern, TermId, TypeId, VarId } from './sema.js';

export type BindingId = number;

export type Binding =
  | { readonly kind: 'arg'; readonly index: number; readonly ty: TypeId }
  | {
      readonly kind: 'field';
      readonly source: BindingId;
      readonly type: TypeId;
      readonly variant: number;
      readonly field: number;
      readonly ty: TypeId;
    }
  /** An external extractor call; its shape depends on the term (see `outputShape`). */
  | { readonly kind: 'extract'; readonly term: TermId; readonly source: BindingId; readonly inArgs: readonly BindingId[] }
  /** Output `index` of `arity` outputs of an extractor (or of a loop element of one). */
  | { readonly kind: 'out'; readonly source: BindingId; readonly index: number; readonly arity: number; readonly ty: TypeId }
  /** A constructor call in an `if-let` (internal or external). */
  | { readonly kind: 'call'; readonly term: TermId; readonly args: readonly BindingId[]; readonly ty: TypeId }
  | { readonly kind: 'variant'; readonly type: TypeId; readonly variant: number; readonly args: readonly BindingId[] }
  | { readonly kind: 'int'; readonly ty: TypeId; readonly value: bigint }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'const'; readonly ty: TypeId; readonly name: string }
  /** The current element of a loop over a multi-extractor or multi-constructor result. */
  | { readonly kind: 'each'; readonly source: BindingId };

export type Constraint =
  | { readonly kind: 'variant'; readonly type: TypeId; readonly variant: number }
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'const'; readonly name: string }
  /** The (fallible) result is present: not `undefined`, or `true` for a zero-output extractor. */
  | { readonly kind: 'some' }
  /** Iterate over a multi result; the body runs once per element. */
  | { readonly kind: 'loop' }
  /** Equal to another binding (a repeated variable). */
  | { readonly kind: 'eq'; readonly other: BindingId };

export interface Test {
  readonly binding: BindingId;
  readonly c: Constraint;
  /** Identifies the exact test, e.g. `5:variant:2`. */
  readonly key: string;
  /**
   * Identifies the family of mutually exclusive tests it belongs to
   * (`5:variant` for all variant tests of binding 5); tests of one family
   * become one `switch`. Equal to `key` for non-switchable tests.
   */
  readonly group: string;
  /** For switchable tests, the value part of the key. */
  readonly value: string;
}

export interface LoweredRule {
  readonly rule: Rule;
  readonly tests: readonly Test[];
  /** The binding of each rule variable bound by a pattern (`-1` for `let` variables). */
  readonly varBindings: readonly BindingId[];
  /** The rule has two tests of one family with different values: it can never match. */
  readonly impossible: boolean;
}

export interface TermRules {
  readonly term: TermId;
  readonly bindings: readonly Binding[];
  /** Rules sorted by descending priority, source order within a priority. */
  readonly rules: readonly LoweredRule[];
}

export function isSwitchable(c: Constraint): boolean {
  return c.kind === 'variant' || c.kind === 'int' || c.kind === 'bool' || c.kind === 'const';
}

function makeTest(binding: BindingId, c: Constraint): Test {
  let value: string;
  switch (c.kind) {
    case 'variant':
      value = String(c.variant);
      break;
    case 'int':
      value = String(c.value);
      break;
    case 'bool':
      value = String(c.value);
      break;
    case 'const':
      value = c.name;
      break;
    case 'eq':
      value = String(c.other);
      break;
    default:
      value = '';
  }
  const key = `${binding}:${c.kind}:${value}`;
  return { binding, c, key, group: isSwitchable(c) ? `${binding}:${c.kind}` : key, value };
}

/** The result shape of an extractor or constructor call binding. */
export type CallShape = 'plain' | 'fallible' | 'multi';

export function extractShape(program: Program, term: TermId): CallShape {
  const t = program.terms[term];
  if (t.multi) return 'multi';
  const e = t.extractor;
  return e?.kind === 'extern' && e.infallible ? 'plain' : 'fallible';
}

export function callShape(program: Program, term: TermId): CallShape {
  const t = program.terms[term];
  if (t.multi) return 'multi';
  return t.partial ? 'fallible' : 'plain';
}

/** Number of outputs of an external extractor (its `out` arguments). */
export function extractArity(program: Program, term: TermId): number {
  const e = program.terms[term].extractor;
  if (e?.kind !== 'extern') return program.terms[term].argTys.length;
  return e.polarity.filter((p) => !p).length;
}

class Table {
  readonly bindings: Binding[] = [];
  private readonly index = new Map<string, BindingId>();

  intern(b: Binding): BindingId {
    const key = bindingKey(b);
    const found = this.index.get(key);
    if (found !== undefined) return found;
    const id = this.bindings.length;
    this.bindings.push(b);
    this.index.set(key, id);
    return id;
  }
}

function bindingKey(b: Binding): string {
  switch (b.kind) {
    case 'arg':
      return `a${b.index}`;
    case 'field':
      return `f${b.source}.${b.variant}.${b.field}`;
    case 'extract':
      return `x${b.term}(${b.source};${b.inArgs.join(',')})`;
    case 'out':
      return `o${b.source}.${b.index}`;
    case 'call':
      return `c${b.term}(${b.args.join(',')})`;
    case 'variant':
      return `v${b.type}.${b.variant}(${b.args.join(',')})`;
    case 'int':
      return `i${b.ty}:${b.value}`;
    case 'bool':
      return `b${b.value}`;
    case 'const':
      return `k${b.name}`;
    case 'each':
      return `e${b.source}`;
  }
}

/** Flattens the rules of every internal constructor. */
export function lowerProgram(program: Program): TermRules[] {
  const out: TermRules[] = [];
  for (const [term, ruleIds] of program.rulesByTerm) {
    out.push(lowerTerm(program, term, ruleIds));
  }
  return out;
}

export function lowerTerm(program: Program, term: TermId, ruleIds: readonly number[]): TermRules {
  const table = new Table();
  const t = program.terms[term];
  t.argTys.forEach((ty, index) => table.intern({ kind: 'arg', index, ty }));
  const lowered = ruleIds.map((id) => new RuleLowerer(program, table, program.rules[id]).lower());
  // Stable sort: descending priority, source order within a priority.
  lowered.sort((a, b) => b.rule.prio - a.rule.prio || a.rule.id - b.rule.id);
  return { term, bindings: table.bindings, rules: lowered };
}

class RuleLowerer {
  private readonly tests: Test[] = [];
  private readonly seen = new Set<string>();
  private readonly varBindings: BindingId[];
  /** Bindings of `let` variables inside `if-let` expressions. */
  private readonly letBindings = new Map<VarId, BindingId>();

  constructor(
    private readonly program: Program,
    private readonly table: Table,
    private readonly rule: Rule,
  ) {
    this.varBindings = rule.vars.map(() => -1);
  }

  lower(): LoweredRule {
    this.rule.args.forEach((p, i) => this.pattern(p, i));
    for (const il of this.rule.iflets) {
      const b = this.expr(il.expr);
      this.pattern(il.pattern, b);
    }
    const families = new Map<string, string>();
    let impossible = false;
    for (const test of this.tests) {
      if (!isSwitchable(test.c)) continue;
      const prev = families.get(test.group);
      if (prev !== undefined && prev !== test.value) impossible = true;
      families.set(test.group, test.value);
    }
    return { rule: this.rule, tests: this.tests, varBindings: this.varBindings, impossible };
  }

  private add(binding: BindingId, c: Constraint): void {
    const test = makeTest(binding, c);
    if (this.seen.has(test.key)) return;
    this.seen.add(test.key);
    this.tests.push(test);
  }

  private pattern(p: TPattern, b: BindingId): void {
    switch (p.kind) {
      case 'bind':
        this.varBindings[p.var] = b;
        this.pattern(p.sub, b);
        return;
      case 'var-eq': {
        const other = this.varBindings[p.var];
        if (other !== b) this.add(b, { kind: 'eq', other });
        return;
      }
      case 'wildcard':
        return;
      case 'int':
        this.add(b, { kind: 'int', value: p.value });
        return;
      case 'bool':
        this.add(b, { kind: 'bool', value: p.value });
        return;
      case 'const':
        this.add(b, { kind: 'const', name: p.name });
        return;
      case 'and':
        for (const s of p.subs) this.pattern(s, b);
        return;
      case 'term': {
        const term = this.program.terms[p.term];
        if (term.variant !== undefined) {
          const { type, index } = term.variant;
          this.add(b, { kind: 'variant', type, variant: index });
          const fields = this.program.types[type].variants[index].fields;
          p.args.forEach((a, i) => {
            if (a.kind === 'in-arg') return;
            const fb = this.table.intern({ kind: 'field', source: b, type, variant: index, field: i, ty: fields[i].ty });
            this.pattern(a, fb);
          });
          return;
        }
        // External extractor (macros were expanded by sema).
        const inArgs: BindingId[] = [];
        for (const a of p.args) if (a.kind === 'in-arg') inArgs.push(this.expr(a.expr));
        const x = this.table.intern({ kind: 'extract', term: p.term, source: b, inArgs });
        const shape = extractShape(this.program, p.term);
        let src = x;
        if (shape === 'multi') {
          this.add(x, { kind: 'loop' });
          src = this.table.intern({ kind: 'each', source: x });
        } else if (shape === 'fallible') {
          this.add(x, { kind: 'some' });
        }
        const outs = p.args.filter((a) => a.kind !== 'in-arg');
        outs.forEach((a, i) => {
          const ob = this.table.intern({ kind: 'out', source: src, index: i, arity: outs.length, ty: a.ty });
          this.pattern(a, ob);
        });
        return;
      }
    }
  }

  /** Lowers an `if-let` expression (pure by construction) to a binding. */
  private expr(e: TExpr): BindingId {
    switch (e.kind) {
      case 'var': {
        const b = this.letBindings.get(e.var) ?? this.varBindings[e.var];
        if (b === undefined || b < 0) throw new Error('internal error: variable used before it is bound');
        return b;
      }
      case 'int':
        return this.table.intern({ kind: 'int', ty: e.ty, value: e.value });
      case 'bool':
        return this.table.intern({ kind: 'bool', value: e.value });
      case 'const':
        return this.table.intern({ kind: 'const', ty: e.ty, name: e.name });
      case 'let':
        for (const d of e.defs) this.letBindings.set(d.var, this.expr(d.value));
        return this.expr(e.body);
      case 'term': {
        const args = e.args.map((a) => this.expr(a));
        const term = this.program.terms[e.term];
        if (term.variant !== undefined) {
          return this.table.intern({ kind: 'variant', type: term.variant.type, variant: term.variant.index, args });
        }
        const call = this.table.intern({ kind: 'call', term: e.term, args, ty: term.retTy });
        const shape = callShape(this.program, e.term);
        if (shape === 'multi') {
          this.add(call, { kind: 'loop' });
          const each = this.table.intern({ kind: 'each', source: call });
          return this.table.intern({ kind: 'out', source: each, index: 0, arity: 1, ty: term.retTy });
        }
        if (shape === 'fallible') {
          this.add(call, { kind: 'some' });
          return this.table.intern({ kind: 'out', source: call, index: 0, arity: 1, ty: term.retTy });
        }
        return call;
      }
    }
  }
}

/** The guard test a binding needs before it can be computed, if any. */
export function guardOf(program: Program, bindings: readonly Binding[], b: BindingId): Test | undefined {
  const bind = bindings[b];
  switch (bind.kind) {
    case 'field':
      return makeTest(bind.source, { kind: 'variant', type: bind.type, variant: bind.variant });
    case 'out': {
      const src = bindings[bind.source];
      if (src.kind === 'each') return undefined;
      if (src.kind === 'extract') {
        return extractShape(program, src.term) === 'fallible' ? makeTest(bind.source, { kind: 'some' }) : undefined;
      }
      if (src.kind === 'call') {
        return callShape(program, src.term) === 'fallible' ? makeTest(bind.source, { kind: 'some' }) : undefined;
      }
      return undefined;
    }
    case 'each':
      return makeTest(bind.source, { kind: 'loop' });
    default:
      return undefined;
  }
}

/** The bindings a binding is computed from. */
export function inputsOf(bind: Binding): readonly BindingId[] {
  switch (bind.kind) {
    case 'field':
    case 'out':
    case 'each':
      return [bind.source];
    case 'extract':
      return [bind.source, ...bind.inArgs];
    case 'call':
    case 'variant':
      return bind.args;
    default:
      return [];
  }
}
