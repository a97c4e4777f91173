// AST: the syntax tree of ISLE source, exactly as written.
//
// Owns: the shapes produced by the parser. Every node carries the `Span` of
// the text it came from, so later stages can point at it.
// Does not own: meaning. Names are unresolved strings; integer literals are
// untyped `bigint`s; internal extractors are not expanded; conversions are not
// inserted. That is `sema.ts`'s job.
//
// Invariants:
// - Spans lie within the file the node was parsed from.
// - `Ident.name` is a syntactically valid ISLE identifier; constants keep
//   their `$` prefix out of `name` (`$I32` is `{ name: 'I32' }` in `ConstPattern`).

import type { Span } from './diagnostics.js';

export interface Ident {
  readonly name: string;
  readonly span: Span;
}

// ---------------------------------------------------------------------------
// Top-level definitions

export type Def =
  | TypeDef
  | DeclDef
  | RuleDef
  | ExtractorDef
  | ExternConstructorDef
  | ExternExtractorDef
  | ExternConstDef
  | ConvertDef
  | VerificationDef;

/** `(type Name [extern] [nodebug] (primitive P) | (enum ...) | (struct ...))` */
export interface TypeDef {
  readonly kind: 'type';
  readonly name: Ident;
  readonly isExtern: boolean;
  readonly isNodebug: boolean;
  readonly value: TypeValue;
  readonly span: Span;
}

export type TypeValue =
  | { readonly kind: 'primitive'; readonly name: Ident; readonly span: Span }
  | { readonly kind: 'enum'; readonly variants: readonly Variant[]; readonly span: Span }
  | { readonly kind: 'struct'; readonly fields: readonly Field[]; readonly span: Span };

export interface Variant {
  readonly name: Ident;
  readonly fields: readonly Field[];
  readonly span: Span;
}

/** A named field `(name Type)`, or a positional one (name `_0`, `_1`, ...). */
export interface Field {
  readonly name: Ident;
  readonly ty: Ident;
  readonly positional: boolean;
  readonly span: Span;
}

/** `(decl [pure] [multi] [partial] [rec] Name (ArgTy ...) RetTy)` */
export interface DeclDef {
  readonly kind: 'decl';
  readonly term: Ident;
  readonly argTys: readonly Ident[];
  readonly retTy: Ident;
  readonly pure: boolean;
  readonly multi: boolean;
  readonly partial: boolean;
  readonly rec: boolean;
  readonly span: Span;
}

/** `(rule [name] [prio] pattern (if-let ...)* (if ...)* expr)` */
export interface RuleDef {
  readonly kind: 'rule';
  readonly name: Ident | undefined;
  readonly prio: number | undefined;
  readonly pattern: Pattern;
  readonly iflets: readonly IfLet[];
  readonly expr: Expr;
  readonly span: Span;
}

/** `(if-let pattern expr)`; `(if expr)` is `(if-let _ expr)`. */
export interface IfLet {
  readonly pattern: Pattern;
  readonly expr: Expr;
  readonly span: Span;
}

/** `(extractor (Term arg ...) template)`: a pattern macro. */
export interface ExtractorDef {
  readonly kind: 'extractor';
  readonly term: Ident;
  readonly params: readonly Ident[];
  readonly template: Pattern;
  readonly span: Span;
}

/** `(extern constructor Term func)` */
export interface ExternConstructorDef {
  readonly kind: 'extern-constructor';
  readonly term: Ident;
  readonly func: Ident;
  readonly span: Span;
}

/** `(extern extractor [infallible] Term func [(in|out ...)])` */
export interface ExternExtractorDef {
  readonly kind: 'extern-extractor';
  readonly term: Ident;
  readonly func: Ident;
  readonly infallible: boolean;
  /** Argument polarity, when given: `true` for an `in` argument. */
  readonly polarity: readonly boolean[] | undefined;
  readonly span: Span;
}

/** `(extern const $Name Type)` */
export interface ExternConstDef {
  readonly kind: 'extern-const';
  readonly name: Ident;
  readonly ty: Ident;
  readonly span: Span;
}

/** `(convert Inner Outer term)` */
export interface ConvertDef {
  readonly kind: 'convert';
  readonly inner: Ident;
  readonly outer: Ident;
  readonly term: Ident;
  readonly span: Span;
}

/**
 * A verification form (`spec`, `model`, `form`, `instantiate`, `attr`,
 * `state`, `macro`): kept as a raw S-expression. The compiler does not
 * interpret these; they exist for upstream's verifier.
 */
export interface VerificationDef {
  readonly kind: 'verification';
  readonly keyword: string;
  readonly body: readonly SExpr[];
  readonly span: Span;
}

export type SExpr =
  | { readonly kind: 'atom'; readonly text: string; readonly span: Span }
  | { readonly kind: 'list'; readonly items: readonly SExpr[]; readonly span: Span };

// ---------------------------------------------------------------------------
// Patterns (left-hand sides)

export type Pattern =
  | { readonly kind: 'var'; readonly name: Ident; readonly span: Span }
  | { readonly kind: 'bind'; readonly name: Ident; readonly sub: Pattern; readonly span: Span }
  | { readonly kind: 'wildcard'; readonly span: Span }
  | { readonly kind: 'int'; readonly value: bigint; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'const'; readonly name: Ident; readonly span: Span }
  | { readonly kind: 'and'; readonly subs: readonly Pattern[]; readonly span: Span }
  | { readonly kind: 'term'; readonly sym: Ident; readonly args: readonly PatternArg[]; readonly span: Span };

/** An argument of a term pattern: a sub-pattern, or `<expr` (an extractor in-argument). */
export type PatternArg = Pattern | { readonly kind: 'in-arg'; readonly expr: Expr; readonly span: Span };

// ---------------------------------------------------------------------------
// Expressions (right-hand sides and if-let bodies)

export type Expr =
  | { readonly kind: 'var'; readonly name: Ident; readonly span: Span }
  | { readonly kind: 'int'; readonly value: bigint; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'const'; readonly name: Ident; readonly span: Span }
  | { readonly kind: 'term'; readonly sym: Ident; readonly args: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'let'; readonly defs: readonly LetDef[]; readonly body: Expr; readonly span: Span };

export interface LetDef {
  readonly name: Ident;
  readonly ty: Ident;
  readonly value: Expr;
  readonly span: Span;
}
