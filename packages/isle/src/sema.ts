// Semantic analysis: AST to a typed program.
//
// Owns: the type environment (builtin integer and `bool` types, primitives,
// enums and their variants), the term environment (declarations, enum
// variant terms, external constructors and extractors, internal extractor
// macros, internal constructors defined by rules), constants, implicit
// conversions, and the translation of every rule into typed patterns and
// expressions. Reports every name-resolution and typing error it finds.
// Does not own: rule overlap (`overlap.ts`), matching order (`trie.ts`),
// or output (`codegen.ts`).
//
// Invariants of the `Program` it returns (when no error was reported):
// - Every `TermId`/`TypeId` indexes `terms`/`types`; ids are dense from 0.
// - Every typed pattern and expression node carries its type, and the type
//   of a child matches what its parent expects: implicit conversions are
//   already inserted as explicit term applications.
// - Internal extractor macros are fully expanded: a `term` pattern names an
//   enum variant or a term with an external extractor, never a macro.
// - In a rule, variable ids are dense from 0 in binding order, and a `var`
//   pattern (an equality test) only names a variable bound earlier.

import type * as ast from './ast.js';
import type { Diagnostics, RelatedInfo, Span } from './diagnostics.js';

export type TypeId = number;
export type TermId = number;
export type VarId = number;

/** How values of a primitive type are represented in TypeScript. */
export type PrimRepr = 'number' | 'bigint' | 'boolean' | 'opaque';

export interface IntRange {
  readonly bits: number;
  readonly signed: boolean;
}

export interface FieldInfo {
  readonly name: string;
  readonly ty: TypeId;
}

export interface VariantInfo {
  /** The variant's own name (`A` in `MyType.A`). */
  readonly name: string;
  readonly index: number;
  readonly fields: readonly FieldInfo[];
  readonly term: TermId;
}

export interface TypeInfo {
  readonly id: TypeId;
  readonly name: string;
  readonly span: Span | undefined;
  readonly kind: 'primitive' | 'enum';
  readonly builtin: boolean;
  readonly isExtern: boolean;
  readonly nodebug: boolean;
  /** The TypeScript spelling of the type in generated code. */
  readonly tsName: string;
  /** Representation of a primitive; `opaque` for enums. */
  readonly repr: PrimRepr;
  /** Set for the builtin integer types (and primitives mapped to them). */
  readonly int: IntRange | undefined;
  readonly variants: readonly VariantInfo[];
  /** An enum whose variants have no fields: represented by its tag alone. */
  readonly unitOnly: boolean;
}

export type ConstructorKind =
  | { readonly kind: 'extern'; readonly func: string; readonly span: Span }
  | { readonly kind: 'internal'; readonly span: Span };

export type ExtractorKind =
  | {
      readonly kind: 'extern';
      readonly func: string;
      readonly infallible: boolean;
      /** `true` for each `in` argument. */
      readonly polarity: readonly boolean[];
      readonly span: Span;
    }
  | {
      readonly kind: 'internal';
      readonly params: readonly ast.Ident[];
      readonly template: ast.Pattern;
      readonly span: Span;
    };

export interface TermInfo {
  readonly id: TermId;
  readonly name: string;
  readonly span: Span;
  readonly argTys: readonly TypeId[];
  readonly retTy: TypeId;
  /** Set when this term is an enum variant. */
  readonly variant: { readonly type: TypeId; readonly index: number } | undefined;
  readonly pure: boolean;
  readonly multi: boolean;
  readonly partial: boolean;
  readonly rec: boolean;
  constructor: ConstructorKind | undefined;
  extractor: ExtractorKind | undefined;
}

export interface ConstInfo {
  readonly name: string;
  readonly ty: TypeId;
  readonly span: Span;
}

export interface VarInfo {
  readonly name: string;
  readonly ty: TypeId;
  readonly span: Span;
}

/** A typed pattern. Every node has the type of the value it matches. */
export type TPattern =
  | { readonly kind: 'bind'; readonly ty: TypeId; readonly var: VarId; readonly sub: TPattern }
  | { readonly kind: 'var-eq'; readonly ty: TypeId; readonly var: VarId }
  | { readonly kind: 'wildcard'; readonly ty: TypeId }
  | { readonly kind: 'int'; readonly ty: TypeId; readonly value: bigint }
  | { readonly kind: 'bool'; readonly ty: TypeId; readonly value: boolean }
  | { readonly kind: 'const'; readonly ty: TypeId; readonly name: string }
  | { readonly kind: 'and'; readonly ty: TypeId; readonly subs: readonly TPattern[] }
  | {
      readonly kind: 'term';
      readonly ty: TypeId;
      readonly term: TermId;
      /** One entry per argument: a sub-pattern, or the in-argument expression. */
      readonly args: readonly TPatternArg[];
      readonly span: Span;
    };

export type TPatternArg = TPattern | { readonly kind: 'in-arg'; readonly ty: TypeId; readonly expr: TExpr };

/** A typed expression. */
export type TExpr =
  | { readonly kind: 'var'; readonly ty: TypeId; readonly var: VarId }
  | { readonly kind: 'int'; readonly ty: TypeId; readonly value: bigint }
  | { readonly kind: 'bool'; readonly ty: TypeId; readonly value: boolean }
  | { readonly kind: 'const'; readonly ty: TypeId; readonly name: string }
  | { readonly kind: 'term'; readonly ty: TypeId; readonly term: TermId; readonly args: readonly TExpr[]; readonly span: Span }
  | {
      readonly kind: 'let';
      readonly ty: TypeId;
      readonly defs: readonly { readonly var: VarId; readonly ty: TypeId; readonly value: TExpr }[];
      readonly body: TExpr;
    };

export interface TIfLet {
  readonly pattern: TPattern;
  readonly expr: TExpr;
  readonly span: Span;
}

export interface Rule {
  readonly id: number;
  readonly term: TermId;
  readonly name: string | undefined;
  readonly prio: number;
  /** Patterns for each argument of the root term. */
  readonly args: readonly TPattern[];
  readonly iflets: readonly TIfLet[];
  readonly rhs: TExpr;
  readonly vars: readonly VarInfo[];
  readonly span: Span;
}

export interface Program {
  readonly types: readonly TypeInfo[];
  readonly terms: readonly TermInfo[];
  readonly rules: readonly Rule[];
  readonly consts: ReadonlyMap<string, ConstInfo>;
  readonly typeByName: ReadonlyMap<string, TypeId>;
  readonly termByName: ReadonlyMap<string, TermId>;
  /** Rule ids grouped by root term, in source order. */
  readonly rulesByTerm: ReadonlyMap<TermId, readonly number[]>;
}

export interface SemaOptions {
  /**
   * TypeScript representation of primitive types, by ISLE type name:
   * `'number'`, `'bigint'`, `'boolean'`, or any other TypeScript type name
   * (an opaque type). Overrides the defaults (integers up to 32 bits and
   * `usize`/`isize` are `number`; 64- and 128-bit integers are `bigint`;
   * `bool` is `boolean`; other primitives are opaque).
   */
  readonly primitives?: Readonly<Record<string, string>>;
}

const BUILTIN_INTS: Record<string, IntRange> = {
  u8: { bits: 8, signed: false },
  u16: { bits: 16, signed: false },
  u32: { bits: 32, signed: false },
  u64: { bits: 64, signed: false },
  u128: { bits: 128, signed: false },
  usize: { bits: 64, signed: false },
  i8: { bits: 8, signed: true },
  i16: { bits: 16, signed: true },
  i32: { bits: 32, signed: true },
  i64: { bits: 64, signed: true },
  i128: { bits: 128, signed: true },
  isize: { bits: 64, signed: true },
};

function defaultIntRepr(name: string, r: IntRange): PrimRepr {
  if (name === 'usize' || name === 'isize') return 'number';
  return r.bits <= 32 ? 'number' : 'bigint';
}

function reprFromOption(ts: string): { repr: PrimRepr; tsName: string } {
  if (ts === 'number' || ts === 'bigint' || ts === 'boolean') return { repr: ts, tsName: ts };
  return { repr: 'opaque', tsName: ts };
}

interface Flags {
  readonly pure: boolean;
  readonly multi: boolean;
  readonly partial: boolean;
}

/** Variable scopes of one rule. */
class Scope {
  readonly vars: VarInfo[] = [];
  private readonly frames: Map<string, VarId>[] = [new Map<string, VarId>()];

  lookup(name: string): VarId | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const v = this.frames[i].get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  add(name: string, ty: TypeId, span: Span): VarId {
    const id = this.vars.length;
    this.vars.push({ name, ty, span });
    this.frames[this.frames.length - 1].set(name, id);
    return id;
  }

  enter(): void {
    this.frames.push(new Map<string, VarId>());
  }

  exit(): void {
    this.frames.pop();
  }
}

const MAX_MACRO_DEPTH = 64;

/** Type-checks parsed definitions (from all files together). */
export function analyze(defs: readonly ast.Def[], diags: Diagnostics, options: SemaOptions = {}): Program {
  return new Analyzer(diags, options).run(defs);
}

class Analyzer {
  private readonly types: TypeInfo[] = [];
  private readonly terms: TermInfo[] = [];
  private readonly rules: Rule[] = [];
  private readonly consts = new Map<string, ConstInfo>();
  private readonly typeByName = new Map<string, TypeId>();
  private readonly termByName = new Map<string, TermId>();
  /** `inner -> outer` converter terms, keyed `inner,outer`. */
  private readonly converters = new Map<string, { term: TermId; span: Span }>();
  private readonly macroStack: TermId[] = [];
  /** Terms one of whose definitions was rejected: not also reported as undefined. */
  private readonly rejected = new Set<TermId>();
  readonly boolType: TypeId;

  constructor(
    private readonly diags: Diagnostics,
    private readonly options: SemaOptions,
  ) {
    this.boolType = this.addBuiltin('bool', undefined);
    for (const [name, r] of Object.entries(BUILTIN_INTS)) this.addBuiltin(name, r);
  }

  private addBuiltin(name: string, int: IntRange | undefined): TypeId {
    const override = this.options.primitives?.[name];
    let repr: PrimRepr;
    let tsName: string;
    if (override !== undefined) ({ repr, tsName } = reprFromOption(override));
    else if (int === undefined) ({ repr, tsName } = { repr: 'boolean', tsName: 'boolean' });
    else {
      repr = defaultIntRepr(name, int);
      tsName = repr;
    }
    const id = this.types.length;
    this.types.push({
      id,
      name,
      span: undefined,
      kind: 'primitive',
      builtin: true,
      isExtern: true,
      nodebug: false,
      tsName,
      repr,
      int,
      variants: [],
      unitOnly: false,
    });
    this.typeByName.set(name, id);
    return id;
  }

  private typeName(id: TypeId): string {
    return this.types[id].name;
  }

  run(defs: readonly ast.Def[]): Program {
    this.collectTypes(defs);
    this.collectDecls(defs);
    this.collectExterns(defs);
    this.collectConverters(defs);
    this.markInternalConstructors(defs);
    this.checkDeclsDefined(defs);
    for (const def of defs) if (def.kind === 'rule') this.translateRule(def);
    this.checkRecursion();
    const rulesByTerm = new Map<TermId, number[]>();
    for (const r of this.rules) {
      let list = rulesByTerm.get(r.term);
      if (list === undefined) rulesByTerm.set(r.term, (list = []));
      list.push(r.id);
    }
    return {
      types: this.types,
      terms: this.terms,
      rules: this.rules,
      consts: this.consts,
      typeByName: this.typeByName,
      termByName: this.termByName,
      rulesByTerm,
    };
  }

  // -------------------------------------------------------------------------
  // Types

  private collectTypes(defs: readonly ast.Def[]): void {
    const typeDefs: { def: ast.TypeDef; id: TypeId }[] = [];
    const firstSpan = new Map<string, Span>();
    for (const def of defs) {
      if (def.kind !== 'type') continue;
      const name = def.name.name;
      const existing = this.typeByName.get(name);
      if (existing !== undefined) {
        const t = this.types[existing];
        if (t.builtin) {
          // `(type u32 (primitive u32))`: older preludes declare the builtins.
          if (def.value.kind === 'primitive' && def.value.name.name === name && !firstSpan.has(name)) {
            firstSpan.set(name, def.span);
            continue;
          }
          this.diags.error(def.name.span, `type \`${name}\` is a builtin type and cannot be redefined`);
          continue;
        }
        const related: RelatedInfo[] = t.span ? [{ span: t.span, message: 'first defined here' }] : [];
        this.diags.error(def.name.span, `type \`${name}\` is defined more than once`, related);
        continue;
      }
      const id = this.types.length;
      let repr: PrimRepr = 'opaque';
      let tsName: string;
      let int: IntRange | undefined;
      if (def.value.kind === 'primitive') {
        const prim = def.value.name.name;
        const override = this.options.primitives?.[name];
        if (override !== undefined) ({ repr, tsName } = reprFromOption(override));
        else if (prim in BUILTIN_INTS) {
          int = BUILTIN_INTS[prim];
          repr = defaultIntRepr(prim, int);
          tsName = repr;
        } else if (prim === 'bool') {
          repr = 'boolean';
          tsName = 'boolean';
        } else tsName = tsIdent(prim);
        if (int === undefined && prim in BUILTIN_INTS) int = BUILTIN_INTS[prim];
      } else tsName = tsIdent(name);
      this.types.push({
        id,
        name,
        span: def.name.span,
        kind: def.value.kind === 'primitive' ? 'primitive' : 'enum',
        builtin: false,
        isExtern: def.isExtern || def.value.kind === 'primitive',
        nodebug: def.isNodebug,
        tsName,
        repr,
        int,
        variants: [],
        unitOnly: false,
      });
      this.typeByName.set(name, id);
      typeDefs.push({ def, id });
    }
    // Variants, once every type name is known (fields may refer forward).
    for (const { def, id } of typeDefs) {
      const value = def.value;
      if (value.kind === 'primitive') continue;
      const variants: VariantInfo[] = [];
      const source: readonly ast.Variant[] =
        value.kind === 'enum' ? value.variants : [{ name: def.name, fields: value.fields, span: value.span }];
      const seen = new Map<string, Span>();
      for (const v of source) {
        const prev = seen.get(v.name.name);
        if (prev !== undefined) {
          this.diags.error(v.name.span, `variant \`${v.name.name}\` of type \`${def.name.name}\` is defined more than once`, [
            { span: prev, message: 'first defined here' },
          ]);
          continue;
        }
        seen.set(v.name.name, v.name.span);
        const fields: FieldInfo[] = [];
        const fieldSeen = new Set<string>();
        for (const f of v.fields) {
          const fty = this.resolveType(f.ty);
          if (fieldSeen.has(f.name.name)) {
            this.diags.error(f.name.span, `field \`${f.name.name}\` of variant \`${v.name.name}\` is defined more than once`);
          }
          fieldSeen.add(f.name.name);
          fields.push({ name: f.name.name, ty: fty ?? this.boolType });
        }
        const termName = value.kind === 'enum' ? `${def.name.name}.${v.name.name}` : def.name.name;
        const term = this.addTerm({
          name: termName,
          span: v.name.span,
          argTys: fields.map((f) => f.ty),
          retTy: id,
          variant: { type: id, index: variants.length },
          pure: true,
          multi: false,
          partial: false,
          rec: false,
        });
        variants.push({ name: v.name.name, index: variants.length, fields, term });
      }
      const t = this.types[id];
      if (variants.length === 0 && value.kind === 'enum' && def.isExtern) {
        // `(type VecMask extern (enum))`: an embedder type ISLE only passes
        // around. It is treated as an opaque primitive.
        this.types[id] = { ...t, kind: 'primitive', repr: 'opaque', tsName: tsIdent(def.name.name) };
        continue;
      }
      this.types[id] = { ...t, variants, unitOnly: variants.every((v) => v.fields.length === 0) };
      if (variants.length === 0 && value.kind === 'enum') {
        this.diags.warning(
          def.name.span,
          `enum \`${def.name.name}\` has no variants, so no value can have this type`,
          [],
          'declare it `extern` if it stands for a type of the embedding code',
        );
      }
    }
  }

  private resolveType(id: ast.Ident): TypeId | undefined {
    const t = this.typeByName.get(id.name);
    if (t === undefined) this.diags.error(id.span, `unknown type \`${id.name}\`: expected a type defined with \`type\``);
    return t;
  }

  // -------------------------------------------------------------------------
  // Terms

  private addTerm(t: Omit<TermInfo, 'id' | 'constructor' | 'extractor'>): TermId {
    const existing = this.termByName.get(t.name);
    if (existing !== undefined) {
      this.diags.error(t.span, `term \`${t.name}\` is declared more than once`, [
        { span: this.terms[existing].span, message: 'first declared here' },
      ]);
    }
    const id = this.terms.length;
    this.terms.push({ ...t, id, constructor: undefined, extractor: undefined });
    if (existing === undefined) this.termByName.set(t.name, id);
    return id;
  }

  private collectDecls(defs: readonly ast.Def[]): void {
    for (const def of defs) {
      if (def.kind !== 'decl') continue;
      const argTys = def.argTys.map((a) => this.resolveType(a));
      const retTy = this.resolveType(def.retTy);
      if (retTy === undefined || argTys.some((a) => a === undefined)) {
        // Still register the name so uses do not cascade into "unknown term".
      }
      if (def.multi && def.partial) {
        this.diags.error(def.term.span, `term \`${def.term.name}\` cannot be both \`multi\` and \`partial\``);
      }
      this.addTerm({
        name: def.term.name,
        span: def.term.span,
        argTys: argTys.map((a) => a ?? this.boolType),
        retTy: retTy ?? this.boolType,
        variant: undefined,
        pure: def.pure,
        multi: def.multi,
        partial: def.partial,
        rec: def.rec,
      });
    }
  }

  private lookupDeclTerm(id: ast.Ident, what: string): TermInfo | undefined {
    const t = this.termByName.get(id.name);
    if (t === undefined) {
      this.diags.error(id.span, `unknown term \`${id.name}\` in ${what}: expected a term declared with \`decl\``);
      return undefined;
    }
    const term = this.terms[t];
    if (term.variant !== undefined) {
      this.diags.error(id.span, `\`${id.name}\` is an enum variant; ${what} needs a term declared with \`decl\``);
      return undefined;
    }
    return term;
  }

  private collectExterns(defs: readonly ast.Def[]): void {
    for (const def of defs) {
      switch (def.kind) {
        case 'extern-constructor': {
          const term = this.lookupDeclTerm(def.term, '`extern constructor`');
          if (term === undefined) break;
          if (term.constructor !== undefined) {
            this.diags.error(def.term.span, `term \`${term.name}\` already has a constructor`, [
              { span: term.constructor.span, message: 'first constructor defined here' },
            ]);
            break;
          }
          term.constructor = { kind: 'extern', func: def.func.name, span: def.span };
          break;
        }
        case 'extern-extractor': {
          const term = this.lookupDeclTerm(def.term, '`extern extractor`');
          if (term === undefined) break;
          if (term.extractor !== undefined) {
            this.diags.error(def.term.span, `term \`${term.name}\` already has an extractor`, [
              { span: term.extractor.span, message: 'first extractor defined here' },
            ]);
            break;
          }
          let polarity: readonly boolean[] = term.argTys.map(() => false);
          if (def.polarity !== undefined) {
            if (def.polarity.length !== term.argTys.length) {
              this.diags.error(
                def.span,
                `polarity list of \`${term.name}\` has ${def.polarity.length} entries, but the term has ${term.argTys.length} arguments`,
              );
            } else polarity = def.polarity;
          }
          // Upstream accepts `infallible` on a multi-term's extractor (its
          // mid-end prelude uses it: the iterator is never empty). A multi
          // extractor already returns an iterable, whose emptiness is the
          // "no match", so the flag changes nothing and is not an error.
          term.extractor = {
            kind: 'extern',
            func: def.func.name,
            infallible: def.infallible && !term.multi,
            polarity,
            span: def.span,
          };
          break;
        }
        case 'extractor': {
          const term = this.lookupDeclTerm(def.term, '`extractor`');
          if (term === undefined) break;
          if (term.extractor !== undefined) {
            this.diags.error(def.term.span, `term \`${term.name}\` already has an extractor`, [
              { span: term.extractor.span, message: 'first extractor defined here' },
            ]);
            break;
          }
          if (def.params.length !== term.argTys.length) {
            this.diags.error(
              def.term.span,
              `extractor for \`${term.name}\` has ${def.params.length} parameters, but the term is declared with ${term.argTys.length} arguments`,
              [{ span: term.span, message: 'declared here' }],
            );
            this.rejected.add(term.id);
            break;
          }
          term.extractor = { kind: 'internal', params: def.params, template: def.template, span: def.span };
          break;
        }
        case 'extern-const': {
          const ty = this.resolveType(def.ty);
          const prev = this.consts.get(def.name.name);
          if (prev !== undefined) {
            this.diags.error(def.name.span, `constant \`$${def.name.name}\` is defined more than once`, [
              { span: prev.span, message: 'first defined here' },
            ]);
            break;
          }
          if (ty !== undefined) this.consts.set(def.name.name, { name: def.name.name, ty, span: def.name.span });
          break;
        }
        default:
          break;
      }
    }
  }

  private collectConverters(defs: readonly ast.Def[]): void {
    for (const def of defs) {
      if (def.kind !== 'convert') continue;
      const inner = this.resolveType(def.inner);
      const outer = this.resolveType(def.outer);
      const t = this.termByName.get(def.term.name);
      if (t === undefined) {
        this.diags.error(def.term.span, `unknown term \`${def.term.name}\` in \`convert\`: expected a term declared with \`decl\``);
        continue;
      }
      if (inner === undefined || outer === undefined) continue;
      const term = this.terms[t];
      if (term.argTys.length !== 1 || term.argTys[0] !== inner || term.retTy !== outer) {
        this.diags.error(
          def.term.span,
          `converter \`${term.name}\` must have signature (${this.typeName(inner)}) ${this.typeName(outer)}, but it is declared (${term.argTys
            .map((a) => this.typeName(a))
            .join(' ')}) ${this.typeName(term.retTy)}`,
          [{ span: term.span, message: 'declared here' }],
        );
        continue;
      }
      const key = `${inner},${outer}`;
      const prev = this.converters.get(key);
      if (prev !== undefined) {
        this.diags.error(def.span, `a conversion from \`${this.typeName(inner)}\` to \`${this.typeName(outer)}\` is already defined`, [
          { span: prev.span, message: 'first defined here' },
        ]);
        continue;
      }
      this.converters.set(key, { term: t, span: def.span });
    }
  }

  private markInternalConstructors(defs: readonly ast.Def[]): void {
    for (const def of defs) {
      if (def.kind !== 'rule' || def.pattern.kind !== 'term') continue;
      const t = this.termByName.get(def.pattern.sym.name);
      if (t === undefined) continue;
      const term = this.terms[t];
      if (term.variant !== undefined) continue; // reported when the rule is translated
      if (term.constructor === undefined) term.constructor = { kind: 'internal', span: def.span };
      else if (term.constructor.kind === 'extern') {
        this.diags.error(def.pattern.sym.span, `term \`${term.name}\` has an external constructor, so it cannot also be defined by rules`, [
          { span: term.constructor.span, message: 'external constructor declared here' },
        ]);
      }
    }
  }

  private checkDeclsDefined(defs: readonly ast.Def[]): void {
    for (const def of defs) {
      if (def.kind !== 'decl') continue;
      const t = this.termByName.get(def.term.name);
      if (t === undefined) continue;
      const term = this.terms[t];
      if (term.span !== def.term.span) continue; // a duplicate declaration
      if (term.constructor === undefined && term.extractor === undefined && !this.rejected.has(t)) {
        // Upstream's rule sets are split across files (a prelude declares
        // `simplify`, the opts/ files give its rules), so a declaration
        // alone is no error; every use of such a term is one (see the
        // pattern and expression checks).
        this.diags.warning(
          def.term.span,
          `term \`${def.term.name}\` is declared but has no rules, no extractor, and no external constructor or extractor`,
          [],
          'any use of it is an error; give it rules or an `extern` definition, or remove the declaration',
        );
      }
    }
  }

  // -------------------------------------------------------------------------
  // Rules

  private translateRule(def: ast.RuleDef): void {
    const pat = def.pattern;
    if (pat.kind !== 'term') {
      this.diags.error(pat.span, 'the left-hand side of a rule must be a term application `(term arg ...)`');
      return;
    }
    const t = this.termByName.get(pat.sym.name);
    if (t === undefined) {
      this.diags.error(pat.sym.span, `unknown term \`${pat.sym.name}\` in rule: expected a term declared with \`decl\``);
      return;
    }
    const term = this.terms[t];
    if (term.variant !== undefined) {
      this.diags.error(pat.sym.span, `cannot define a rule for enum variant \`${term.name}\`: rules define terms declared with \`decl\``);
      return;
    }
    if (term.constructor?.kind === 'extern') return; // reported in markInternalConstructors
    if (def.prio !== undefined && term.multi) {
      this.diags.error(def.span, `rules of multi-term \`${term.name}\` cannot have priorities: every matching rule contributes a result`);
    }
    const scope = new Scope();
    const errorsBefore = this.diags.errorCount;
    this.checkArgCount(pat.args.length, term, pat.sym.span);
    const args: TPattern[] = [];
    for (let i = 0; i < Math.min(pat.args.length, term.argTys.length); i++) {
      const a = pat.args[i];
      if (a.kind === 'in-arg') {
        this.diags.error(a.span, 'an in-argument `<expr` is only allowed in an extractor pattern, not in the rule\'s root');
        continue;
      }
      const p = this.pattern(a, term.argTys[i], scope);
      if (p !== undefined) args.push(p);
    }
    const rootFlags: Flags = { pure: term.pure, multi: term.multi, partial: term.partial };
    const ifletFlags: Flags = { pure: true, multi: term.multi, partial: true };
    const iflets: TIfLet[] = [];
    for (const il of def.iflets) {
      const expr = this.expr(il.expr, undefined, scope, ifletFlags);
      if (expr === undefined) continue;
      const p = this.pattern(il.pattern, expr.ty, scope);
      if (p !== undefined) iflets.push({ pattern: p, expr, span: il.span });
    }
    const rhs = this.expr(def.expr, term.retTy, scope, rootFlags);
    if (rhs === undefined || this.diags.errorCount !== errorsBefore) return;
    this.rules.push({
      id: this.rules.length,
      term: t,
      name: def.name?.name,
      prio: def.prio ?? 0,
      args,
      iflets,
      rhs,
      vars: scope.vars,
      span: def.span,
    });
  }

  private checkArgCount(got: number, term: TermInfo, span: Span): boolean {
    if (got === term.argTys.length) return true;
    this.diags.error(
      span,
      `wrong number of arguments for \`${term.name}\`: expected ${term.argTys.length}, found ${got}`,
      [{ span: term.span, message: `\`${term.name}\` is declared here` }],
    );
    return false;
  }

  private converter(inner: TypeId, outer: TypeId): TermId | undefined {
    return this.converters.get(`${inner},${outer}`)?.term;
  }

  private pattern(p: ast.Pattern, expected: TypeId, scope: Scope): TPattern | undefined {
    switch (p.kind) {
      case 'wildcard':
        return { kind: 'wildcard', ty: expected };
      case 'int':
        this.checkIntLiteral(p.value, expected, p.span);
        return { kind: 'int', ty: expected, value: p.value };
      case 'bool':
        if (expected !== this.boolType) {
          this.diags.error(p.span, `boolean literal has type \`bool\`, but this position expects \`${this.typeName(expected)}\``);
        }
        return { kind: 'bool', ty: expected, value: p.value };
      case 'const': {
        const c = this.consts.get(p.name.name);
        if (c === undefined) {
          this.diags.error(p.span, `unknown constant \`$${p.name.name}\`: expected one defined with \`extern const\``);
          return undefined;
        }
        if (c.ty !== expected) {
          this.diags.error(
            p.span,
            `constant \`$${c.name}\` has type \`${this.typeName(c.ty)}\`, but this position expects \`${this.typeName(expected)}\``,
          );
        }
        return { kind: 'const', ty: expected, name: c.name };
      }
      case 'and': {
        const subs: TPattern[] = [];
        for (const s of p.subs) {
          const t = this.pattern(s, expected, scope);
          if (t !== undefined) subs.push(t);
        }
        return { kind: 'and', ty: expected, subs };
      }
      case 'bind': {
        if (scope.lookup(p.name.name) !== undefined) {
          this.diags.error(p.name.span, `variable \`${p.name.name}\` is already bound in this rule; \`name @ pattern\` must introduce a new name`);
        }
        const v = scope.add(p.name.name, expected, p.name.span);
        const sub = this.pattern(p.sub, expected, scope);
        if (sub === undefined) return undefined;
        return { kind: 'bind', ty: expected, var: v, sub };
      }
      case 'var': {
        const existing = scope.lookup(p.name.name);
        if (existing === undefined) {
          const v = scope.add(p.name.name, expected, p.name.span);
          return { kind: 'bind', ty: expected, var: v, sub: { kind: 'wildcard', ty: expected } };
        }
        const vty = scope.vars[existing].ty;
        if (vty !== expected) {
          this.diags.error(
            p.span,
            `variable \`${p.name.name}\` has type \`${this.typeName(vty)}\`, but this position expects \`${this.typeName(expected)}\` (a repeated variable must match a value of the same type)`,
            [{ span: scope.vars[existing].span, message: `\`${p.name.name}\` is first bound here` }],
          );
        }
        return { kind: 'var-eq', ty: expected, var: existing };
      }
      case 'term':
        return this.termPattern(p, expected, scope);
    }
  }

  private termPattern(
    p: Extract<ast.Pattern, { kind: 'term' }>,
    expected: TypeId,
    scope: Scope,
  ): TPattern | undefined {
    const t = this.termByName.get(p.sym.name);
    if (t === undefined) {
      this.diags.error(
        p.sym.span,
        `unknown term \`${p.sym.name}\` in pattern: expected an enum variant (\`Type.Variant\`) or a term with an extractor`,
      );
      return undefined;
    }
    const term = this.terms[t];
    if (term.retTy !== expected) {
      const conv = this.converter(term.retTy, expected);
      if (conv !== undefined && this.terms[conv].extractor !== undefined) {
        const wrapped: ast.Pattern = { kind: 'term', sym: { name: this.terms[conv].name, span: p.sym.span }, args: [p], span: p.span };
        return this.pattern(wrapped, expected, scope);
      }
      this.diags.error(
        p.sym.span,
        `type mismatch: this position expects \`${this.typeName(expected)}\`, but term \`${term.name}\` has type \`${this.typeName(term.retTy)}\``,
        [],
        `declare a conversion with \`(convert ${this.typeName(term.retTy)} ${this.typeName(expected)} term)\` if one type can be extracted from the other`,
      );
      return undefined;
    }
    if (!this.checkArgCount(p.args.length, term, p.sym.span)) return undefined;
    const etor = term.extractor;
    if (term.variant === undefined) {
      if (etor === undefined) {
        this.diags.error(
          p.sym.span,
          `term \`${term.name}\` cannot be used in a pattern: it has no extractor`,
          [{ span: term.span, message: 'declared here' }],
          'define one with `(extractor ...)` or `(extern extractor ...)`, or call the constructor in an `if-let` clause',
        );
        return undefined;
      }
      if (etor.kind === 'internal') return this.expandMacro(p, term, etor, expected, scope);
    }
    const polarity = etor?.kind === 'extern' ? etor.polarity : undefined;
    const args: TPatternArg[] = [];
    for (let i = 0; i < p.args.length; i++) {
      const a = p.args[i];
      const isIn = polarity?.[i] ?? false;
      if (a.kind === 'in-arg') {
        if (!isIn) {
          this.diags.error(a.span, `argument ${i + 1} of \`${term.name}\` is an output of the extractor; write a pattern, not \`<expr\``);
          continue;
        }
        const e = this.expr(a.expr, term.argTys[i], scope, { pure: true, multi: false, partial: false });
        if (e !== undefined) args.push({ kind: 'in-arg', ty: term.argTys[i], expr: e });
        continue;
      }
      if (isIn) {
        this.diags.error(a.span, `argument ${i + 1} of \`${term.name}\` is an \`in\` argument of its extractor; write it as \`<expr\``);
        continue;
      }
      const sub = this.pattern(a, term.argTys[i], scope);
      if (sub !== undefined) args.push(sub);
    }
    if (args.length !== p.args.length) return undefined;
    return { kind: 'term', ty: expected, term: t, args, span: p.span };
  }

  private expandMacro(
    p: Extract<ast.Pattern, { kind: 'term' }>,
    term: TermInfo,
    etor: Extract<ExtractorKind, { kind: 'internal' }>,
    expected: TypeId,
    scope: Scope,
  ): TPattern | undefined {
    // Depth, not membership: `(A (A x))` legitimately nests one macro in its own argument.
    if (this.macroStack.length >= MAX_MACRO_DEPTH) {
      this.diags.error(p.sym.span, `extractor \`${term.name}\` expands into itself (more than ${MAX_MACRO_DEPTH} nested expansions); extractor macros cannot be recursive`, [
        { span: etor.span, message: 'extractor defined here' },
      ]);
      return undefined;
    }
    const subst = new Map<string, ast.PatternArg>();
    etor.params.forEach((param, i) => subst.set(param.name, p.args[i]));
    let bad = false;
    const rewrite = (q: ast.Pattern): ast.Pattern => {
      switch (q.kind) {
        case 'var': {
          const a = subst.get(q.name.name);
          if (a === undefined) return q;
          if (a.kind === 'in-arg') {
            bad = true;
            this.diags.error(a.span, `an in-argument \`<expr\` cannot be passed to extractor macro \`${term.name}\``);
            return q;
          }
          return a;
        }
        case 'bind': {
          if (subst.has(q.name.name)) {
            const a = subst.get(q.name.name)!;
            if (a.kind === 'in-arg') return rewrite(q.sub);
            // `param @ sub` with a pattern argument: match both.
            return { kind: 'and', subs: [a, rewrite(q.sub)], span: q.span };
          }
          return { ...q, sub: rewrite(q.sub) };
        }
        case 'and':
          return { ...q, subs: q.subs.map(rewrite) };
        case 'term':
          return {
            ...q,
            args: q.args.map((a) => (a.kind === 'in-arg' ? a : rewrite(a))),
          };
        default:
          return q;
      }
    };
    const expanded = rewrite(etor.template);
    if (bad) return undefined;
    this.macroStack.push(term.id);
    try {
      return this.pattern(expanded, expected, scope);
    } finally {
      this.macroStack.pop();
    }
  }

  private checkIntLiteral(value: bigint, ty: TypeId, span: Span): void {
    const t = this.types[ty];
    if (t.kind !== 'primitive' || t.repr === 'boolean') {
      this.diags.error(span, `integer literal \`${value}\` cannot have type \`${t.name}\`: expected an integer or primitive type here`);
      return;
    }
    if (t.int !== undefined) {
      const { bits, signed } = t.int;
      const min = -(1n << BigInt(bits - 1));
      const max = (1n << BigInt(bits)) - 1n;
      if (value < min || value > max) {
        this.diags.error(
          span,
          `integer literal \`${value}\` does not fit in \`${t.name}\` (${signed ? 'signed' : 'unsigned'} ${bits}-bit)`,
        );
      }
    } else if (t.repr === 'number' && (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER))) {
      this.diags.error(span, `integer literal \`${value}\` is not exactly representable as a TypeScript number for type \`${t.name}\``);
    }
  }

  private expr(e: ast.Expr, expected: TypeId | undefined, scope: Scope, flags: Flags): TExpr | undefined {
    switch (e.kind) {
      case 'int':
        if (expected === undefined) {
          this.diags.error(e.span, 'integer literal in a position whose type is not known: its type cannot be inferred here');
          return undefined;
        }
        this.checkIntLiteral(e.value, expected, e.span);
        return { kind: 'int', ty: expected, value: e.value };
      case 'bool':
        if (expected !== undefined && expected !== this.boolType) {
          this.diags.error(e.span, `boolean literal has type \`bool\`, but this position expects \`${this.typeName(expected)}\``);
        }
        return { kind: 'bool', ty: this.boolType, value: e.value };
      case 'const': {
        const c = this.consts.get(e.name.name);
        if (c === undefined) {
          this.diags.error(e.span, `unknown constant \`$${e.name.name}\`: expected one defined with \`extern const\``);
          return undefined;
        }
        if (expected !== undefined && c.ty !== expected) {
          this.diags.error(
            e.span,
            `constant \`$${c.name}\` has type \`${this.typeName(c.ty)}\`, but this position expects \`${this.typeName(expected)}\``,
          );
          return undefined;
        }
        return { kind: 'const', ty: c.ty, name: c.name };
      }
      case 'var': {
        const v = scope.lookup(e.name.name);
        if (v === undefined) {
          const isTerm = this.termByName.has(e.name.name);
          this.diags.error(
            e.span,
            `unknown variable \`${e.name.name}\``,
            [],
            isTerm ? `\`${e.name.name}\` is a term; to call it write \`(${e.name.name})\`` : undefined,
          );
          return undefined;
        }
        const vty = scope.vars[v].ty;
        if (expected !== undefined && vty !== expected) {
          const conv = this.converter(vty, expected);
          if (conv !== undefined && this.terms[conv].constructor !== undefined) {
            return this.expr({ kind: 'term', sym: { name: this.terms[conv].name, span: e.span }, args: [e], span: e.span }, expected, scope, flags);
          }
          this.diags.error(
            e.span,
            `variable \`${e.name.name}\` has type \`${this.typeName(vty)}\`, but this position expects \`${this.typeName(expected)}\``,
            [{ span: scope.vars[v].span, message: `\`${e.name.name}\` is bound here` }],
          );
          return undefined;
        }
        return { kind: 'var', ty: vty, var: v };
      }
      case 'let': {
        scope.enter();
        try {
          const defs: { var: VarId; ty: TypeId; value: TExpr }[] = [];
          for (const d of e.defs) {
            const ty = this.resolveType(d.ty);
            if (ty === undefined) return undefined;
            const value = this.expr(d.value, ty, scope, flags);
            if (value === undefined) return undefined;
            defs.push({ var: scope.add(d.name.name, ty, d.name.span), ty, value });
          }
          const body = this.expr(e.body, expected, scope, flags);
          if (body === undefined) return undefined;
          return { kind: 'let', ty: body.ty, defs, body };
        } finally {
          scope.exit();
        }
      }
      case 'term': {
        const t = this.termByName.get(e.sym.name);
        if (t === undefined) {
          const isVar = scope.lookup(e.sym.name) !== undefined;
          this.diags.error(
            e.sym.span,
            `unknown term \`${e.sym.name}\` in expression: expected an enum variant or a term with a constructor`,
            [],
            isVar ? `\`${e.sym.name}\` is a variable; to use its value write \`${e.sym.name}\` without parentheses` : undefined,
          );
          return undefined;
        }
        const term = this.terms[t];
        if (expected !== undefined && term.retTy !== expected) {
          const conv = this.converter(term.retTy, expected);
          if (conv !== undefined && this.terms[conv].constructor !== undefined) {
            return this.expr({ kind: 'term', sym: { name: this.terms[conv].name, span: e.sym.span }, args: [e], span: e.span }, expected, scope, flags);
          }
          this.diags.error(
            e.sym.span,
            `type mismatch: this position expects \`${this.typeName(expected)}\`, but term \`${term.name}\` has type \`${this.typeName(term.retTy)}\``,
            [],
            `declare a conversion with \`(convert ${this.typeName(term.retTy)} ${this.typeName(expected)} term)\` if one type converts to the other`,
          );
          return undefined;
        }
        if (term.variant === undefined) {
          if (term.constructor === undefined) {
            this.diags.error(
              e.sym.span,
              `term \`${term.name}\` cannot be used in an expression: it has no constructor`,
              [{ span: term.span, message: 'declared here' }],
              'define it with rules or `(extern constructor ...)`',
            );
            return undefined;
          }
          if (flags.pure && !term.pure) {
            this.diags.error(
              e.sym.span,
              `term \`${term.name}\` is not pure, so it cannot be called in an \`if-let\` or in the body of a pure term`,
              [{ span: term.span, message: 'declared here' }],
              `declare it with \`(decl pure ${term.name} ...)\` if it has no side effects`,
            );
          }
          if (term.multi && !flags.multi) {
            this.diags.error(e.sym.span, `multi-term \`${term.name}\` can only be called from rules of a multi-term`);
          }
          if (term.partial && !flags.partial) {
            this.diags.error(
              e.sym.span,
              `partial term \`${term.name}\` can fail, so it cannot be called in a right-hand side`,
              [],
              flags.multi ? 'move the call into an `if-let` clause' : 'move the call into an `if-let` clause, or declare this rule\'s term `partial` too',
            );
          }
        }
        if (!this.checkArgCount(e.args.length, term, e.sym.span)) return undefined;
        const args: TExpr[] = [];
        for (let i = 0; i < e.args.length; i++) {
          const a = this.expr(e.args[i], term.argTys[i], scope, flags);
          if (a === undefined) return undefined;
          args.push(a);
        }
        return { kind: 'term', ty: term.retTy, term: t, args, span: e.span };
      }
    }
  }

  // -------------------------------------------------------------------------
  // Recursion: a term whose rules call themselves must be declared `rec`.

  private checkRecursion(): void {
    const calls = new Map<TermId, Set<TermId>>();
    const visitExpr = (e: TExpr, out: Set<TermId>) => {
      if (e.kind === 'term') {
        if (this.terms[e.term].constructor?.kind === 'internal') out.add(e.term);
        for (const a of e.args) visitExpr(a, out);
      } else if (e.kind === 'let') {
        for (const d of e.defs) visitExpr(d.value, out);
        visitExpr(e.body, out);
      }
    };
    for (const r of this.rules) {
      let set = calls.get(r.term);
      if (set === undefined) calls.set(r.term, (set = new Set()));
      for (const il of r.iflets) visitExpr(il.expr, set);
      visitExpr(r.rhs, set);
    }
    // Tarjan's SCC over the call graph.
    let index = 0;
    const idx = new Map<TermId, number>();
    const low = new Map<TermId, number>();
    const stack: TermId[] = [];
    const on = new Set<TermId>();
    const strong = (v: TermId) => {
      idx.set(v, index);
      low.set(v, index);
      index++;
      stack.push(v);
      on.add(v);
      for (const w of calls.get(v) ?? []) {
        if (!idx.has(w)) {
          strong(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
      }
      if (low.get(v) === idx.get(v)) {
        const comp: TermId[] = [];
        let w: TermId;
        do {
          w = stack.pop()!;
          on.delete(w);
          comp.push(w);
        } while (w !== v);
        const cyclic = comp.length > 1 || (calls.get(v)?.has(v) ?? false);
        if (!cyclic) return;
        for (const c of comp) {
          const term = this.terms[c];
          if (!term.rec) {
            const others = comp.filter((o) => o !== c).map((o) => `\`${this.terms[o].name}\``);
            this.diags.warning(
              term.span,
              `term \`${term.name}\` is recursive${others.length ? ` (through ${others.join(', ')})` : ''} but is not declared \`rec\``,
              [],
              `declare it with \`(decl rec ${term.name} ...)\` to say the recursion is intended`,
            );
          }
        }
      }
    };
    for (const v of calls.keys()) if (!idx.has(v)) strong(v);
  }
}

/** A TypeScript identifier for an ISLE name (`.` is not allowed in TS names). */
export function tsIdent(name: string): string {
  return name.replace(/\./g, '_');
}
