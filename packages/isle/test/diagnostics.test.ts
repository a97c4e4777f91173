// Every diagnostic the compiler reports, with its message and location.
// Each case is a small program (after a shared prelude) and the complete
// list of diagnostics it must produce: severity, line, column, message.

import { describe, expect, test } from 'vitest';
import { compileSource, formatDiagnostics } from '../src/index.js';

const PRELUDE = `(type u32 (primitive u32))
(type E (enum (A (x u32)) (B)))
`;

interface Case {
  readonly name: string;
  readonly source: string;
  readonly primitives?: Record<string, string>;
  readonly expected: readonly (readonly ['error' | 'warning', number, number, string])[];
}

const CASES: readonly Case[] = [
  {
    name: "lex: unterminated block comment",
    source: "(; never closed",
    expected: [
      ['error', 3, 1, "unterminated block comment: expected a closing `;)`"],
    ],
  },
  {
    name: "lex: stray close paren",
    source: ")",
    expected: [
      ['error', 3, 1, "unexpected `)`: there is no open `(` for it to close"],
    ],
  },
  {
    name: "lex: unclosed paren",
    source: "(decl f (u32) u32",
    expected: [
      ['error', 3, 1, "unclosed `(`: expected a matching `)` before the end of the file"],
    ],
  },
  {
    name: "lex: prefix without digits",
    source: "(decl f (u32) u32)\n(rule (f 0x) 1)",
    expected: [
      ['error', 4, 10, "invalid integer literal `0x`: expected hexadecimal digits after the prefix"],
    ],
  },
  {
    name: "lex: bad digit",
    source: "(decl f (u32) u32)\n(rule (f 0b102) 1)",
    expected: [
      ['error', 4, 10, "invalid integer literal `0b102`: `2` is not a binary digit"],
    ],
  },
  {
    name: "lex: too negative",
    source: "(decl f (u32) u32)\n(rule (f -0x80000000000000000000000000000001) 1)",
    expected: [
      ['error', 4, 10, "integer literal `-0x80000000000000000000000000000001` does not fit in 128 bits (expected at least -2^127)"],
    ],
  },
  {
    name: "lex: too large",
    source: "(decl f (u32) u32)\n(rule (f 0x100000000000000000000000000000000) 1)",
    expected: [
      ['error', 4, 10, "integer literal `0x100000000000000000000000000000000` does not fit in 128 bits (expected at most 2^128-1)"],
    ],
  },
  {
    name: "parse: top-level atom",
    source: "foo",
    expected: [
      ['error', 3, 1, "expected `(` to start a top-level definition, found `foo`"],
    ],
  },
  {
    name: "parse: no keyword",
    source: "(42)",
    expected: [
      ['error', 3, 2, "expected a definition keyword (type, decl, rule, extractor, extern, convert, spec, model, form, instantiate, attr, state, macro), found integer `42`"],
    ],
  },
  {
    name: "parse: unknown def",
    source: "(defun f)",
    expected: [
      ['error', 3, 2, "unknown definition `defun`: expected one of `type`, `decl`, `rule`, `extractor`, `extern`, `convert`, `spec`, `model`, `form`, `instantiate`, `attr`, `state`, `macro`"],
    ],
  },
  {
    name: "parse: pragma",
    source: "(pragma foo)",
    expected: [
      ['error', 3, 9, "unknown pragma `foo`: no pragmas are defined"],
    ],
  },
  {
    name: "parse: invalid ident",
    source: "(decl f-g () u32)",
    expected: [
      ['error', 3, 7, "`f-g` is not a valid identifier (expected a term name): identifiers start with a letter, `_` or `$` and contain only letters, digits, `_`, `.` and `$`"],
    ],
  },
  {
    name: "parse: type modifier",
    source: "(type T weird (enum))",
    expected: [
      ['error', 3, 9, "unknown type modifier `weird`: expected `extern` or `nodebug`"],
    ],
  },
  {
    name: "parse: type body",
    source: "(type T (union))",
    expected: [
      ['error', 3, 10, "expected `primitive`, `enum` or `struct`, found `union`"],
    ],
  },
  {
    name: "parse: enum unclosed variant",
    source: "(type T (enum (A (x u32) 5)))",
    expected: [
      ['error', 3, 26, "expected `)` to close variant `A`, found integer `5`"],
    ],
  },
  {
    name: "parse: field form",
    source: "(type T (enum (A (x))))",
    expected: [
      ['error', 3, 20, "expected the type of field `x`, found `)`"],
    ],
  },
  {
    name: "parse: decl args",
    source: "(decl f u32 u32)",
    expected: [
      ['error', 3, 9, "expected `(` to start the argument types of `f`: `(decl f (ArgType ...) ReturnType)`, found `u32`"],
    ],
  },
  {
    name: "parse: decl extra",
    source: "(decl f () u32 u32)",
    expected: [
      ['error', 3, 16, "expected `)` to end the declaration of `f`, found `u32`"],
    ],
  },
  {
    name: "parse: extern kind",
    source: "(extern function f g)",
    expected: [
      ['error', 3, 9, "expected `constructor`, `extractor` or `const` after `extern`, found `function`"],
    ],
  },
  {
    name: "parse: extern const no $",
    source: "(extern const K u32)",
    expected: [
      ['error', 3, 15, "expected a constant name starting with `$`, found `K`"],
    ],
  },
  {
    name: "parse: polarity",
    source: "(extern extractor f g (in maybe))",
    expected: [
      ['error', 3, 27, "expected `in` or `out`, found `maybe`"],
    ],
  },
  {
    name: "parse: rule prio range",
    source: "(rule 99999999999999999999 (f) 1)",
    expected: [
      ['error', 3, 7, "rule priority 99999999999999999999 is out of range: expected a signed 53-bit integer"],
    ],
  },
  {
    name: "parse: rule no rhs",
    source: "(rule (f x))",
    expected: [
      ['error', 3, 12, "expected the rule's right-hand-side expression after its pattern and `if-let` clauses"],
    ],
  },
  {
    name: "parse: rule extra after rhs",
    source: "(rule (f x) x x)",
    expected: [
      ['error', 3, 15, "expected `)` after the rule's right-hand side: the right-hand side must be the last item of a rule, found `x`"],
    ],
  },
  {
    name: "parse: pattern paren",
    source: "(rule (f )) 1)",
    expected: [
      ['error', 3, 14, "unexpected `)`: there is no open `(` for it to close"],
      ['error', 3, 11, "expected the rule's right-hand-side expression after its pattern and `if-let` clauses"],
      ['error', 3, 13, "expected `(` to start a top-level definition, found integer `1`"],
    ],
  },
  {
    name: "parse: wildcard expr",
    source: "(rule (f x) _)",
    expected: [
      ['error', 3, 13, "a wildcard `_` is a pattern, not an expression: expected a value"],
    ],
  },
  {
    name: "parse: let binding",
    source: "(rule (f x) (let (y x) y))",
    expected: [
      ['error', 3, 19, "expected `(` to start a `let` binding `(name Type expr)`, found `y`"],
    ],
  },
  {
    name: "parse: extractor sig",
    source: "(extractor f x)",
    expected: [
      ['error', 3, 12, "expected `(` to start the extractor signature `(Term param ...)`, found `f`"],
    ],
  },
  {
    name: "parse: convert arity",
    source: "(convert u32 u32)",
    expected: [
      ['error', 3, 17, "expected the converter term of `convert`, found `)`"],
    ],
  },
  {
    name: "parse: pattern at",
    source: "(rule (f @) 1)",
    expected: [
      ['error', 3, 10, "expected a pattern, found `@`"],
    ],
  },
  {
    name: "sema: builtin redefined",
    source: "(type u32 (enum A))",
    expected: [
      ['error', 3, 7, "type `u32` is a builtin type and cannot be redefined"],
    ],
  },
  {
    name: "sema: duplicate type",
    source: "(type E (enum C))",
    expected: [
      ['error', 3, 7, "type `E` is defined more than once"],
    ],
  },
  {
    name: "sema: duplicate variant",
    source: "(type T (enum A A))",
    expected: [
      ['error', 3, 17, "variant `A` of type `T` is defined more than once"],
    ],
  },
  {
    name: "sema: duplicate field",
    source: "(type T (enum (A (x u32) (x u32))))",
    expected: [
      ['error', 3, 27, "field `x` of variant `A` is defined more than once"],
    ],
  },
  {
    name: "sema: empty enum",
    source: "(type T (enum))",
    expected: [
      ['warning', 3, 7, "enum `T` has no variants, so no value can have this type"],
    ],
  },
  {
    name: "sema: unknown type",
    source: "(decl f (Foo) u32)\n(rule (f _) 1)",
    expected: [
      ['error', 3, 10, "unknown type `Foo`: expected a type defined with `type`"],
    ],
  },
  {
    name: "sema: duplicate term",
    source: "(decl f () u32)\n(decl f () u32)\n(rule (f) 1)",
    expected: [
      ['error', 4, 7, "term `f` is declared more than once"],
    ],
  },
  {
    name: "sema: multi partial",
    source: "(decl multi partial f () u32)\n(rule (f) 1)",
    expected: [
      ['error', 3, 21, "term `f` cannot be both `multi` and `partial`"],
    ],
  },
  {
    name: "sema: extern unknown term",
    source: "(extern constructor nope nope)",
    expected: [
      ['error', 3, 21, "unknown term `nope` in `extern constructor`: expected a term declared with `decl`"],
    ],
  },
  {
    name: "sema: extern on variant",
    source: "(extern constructor E.B make_b)",
    expected: [
      ['error', 3, 21, "`E.B` is an enum variant; `extern constructor` needs a term declared with `decl`"],
    ],
  },
  {
    name: "sema: two constructors",
    source: "(decl f () u32)\n(extern constructor f a)\n(extern constructor f b)",
    expected: [
      ['error', 5, 21, "term `f` already has a constructor"],
    ],
  },
  {
    name: "sema: two extractors",
    source: "(decl f (u32) u32)\n(extern extractor f a)\n(extractor (f x) x)",
    expected: [
      ['error', 5, 13, "term `f` already has an extractor"],
    ],
  },
  {
    name: "sema: polarity count",
    source: "(decl f (u32 u32) u32)\n(extern extractor f g (in))",
    expected: [
      ['error', 4, 1, "polarity list of `f` has 1 entries, but the term has 2 arguments"],
    ],
  },
  {
    name: "sema: macro params",
    source: "(decl f (u32) u32)\n(extractor (f a b) a)",
    expected: [
      ['error', 4, 13, "extractor for `f` has 2 parameters, but the term is declared with 1 arguments"],
    ],
  },
  {
    name: "sema: duplicate const",
    source: "(extern const $K u32)\n(extern const $K u32)",
    expected: [
      ['error', 4, 15, "constant `$K` is defined more than once"],
    ],
  },
  {
    name: "sema: convert unknown term",
    source: "(convert u32 E nope)",
    expected: [
      ['error', 3, 16, "unknown term `nope` in `convert`: expected a term declared with `decl`"],
    ],
  },
  {
    name: "sema: convert signature",
    source: "(decl f (u32 u32) E)\n(extern constructor f f)\n(convert u32 E f)",
    expected: [
      ['error', 5, 16, "converter `f` must have signature (u32) E, but it is declared (u32 u32) E"],
    ],
  },
  {
    name: "sema: convert duplicate",
    source: "(decl f (u32) E)\n(extern constructor f f)\n(convert u32 E f)\n(convert u32 E f)",
    expected: [
      ['error', 6, 1, "a conversion from `u32` to `E` is already defined"],
    ],
  },
  {
    name: "sema: extern constructor and rules",
    source: "(decl f () u32)\n(extern constructor f f)\n(rule (f) 1)",
    expected: [
      ['error', 5, 8, "term `f` has an external constructor, so it cannot also be defined by rules"],
    ],
  },
  {
    name: "sema: undefined decl (a warning; its uses are errors)",
    source: "(decl f () u32)\n(decl g () u32)\n(rule (g) (f))\n(decl h (u32) u32)\n(rule (h (f)) 1)",
    expected: [
      ['warning', 3, 7, "term `f` is declared but has no rules, no extractor, and no external constructor or extractor"],
      ['error', 5, 12, "term `f` cannot be used in an expression: it has no constructor"],
      ['error', 7, 11, "term `f` cannot be used in a pattern: it has no extractor"],
    ],
  },
  {
    name: "parse: rule name without pattern",
    source: "(rule x 1)",
    expected: [
      ['error', 3, 10, "expected the rule's left-hand-side pattern, found `)`"],
    ],
  },
  {
    name: "sema: rule root not a term",
    source: "(rule 1 2 3)",
    expected: [
      ['error', 3, 9, "the left-hand side of a rule must be a term application `(term arg ...)`"],
    ],
  },
  {
    name: "parse: variant start",
    source: "(type T (enum 5))",
    expected: [
      ['error', 3, 15, "expected `(` or a name to start an enum variant, found integer `5`"],
    ],
  },
  {
    name: "parse: bad glued in-arg int",
    source: "(rule (f (g <0xz)) 1)",
    expected: [
      ['error', 3, 14, "invalid integer literal `0xz`"],
    ],
  },
  {
    name: "parse: bad glued in-arg expr",
    source: "(rule (f (g <a-b)) 1)",
    expected: [
      ['error', 3, 14, "invalid expression `a-b`"],
    ],
  },
  {
    name: "sema: rule unknown root",
    source: "(rule (nope) 1)",
    expected: [
      ['error', 3, 8, "unknown term `nope` in rule: expected a term declared with `decl`"],
    ],
  },
  {
    name: "sema: rule on variant",
    source: "(rule (E.B) (E.B))",
    expected: [
      ['error', 3, 8, "cannot define a rule for enum variant `E.B`: rules define terms declared with `decl`"],
    ],
  },
  {
    name: "sema: multi priority",
    source: "(decl multi f () u32)\n(rule 1 (f) 1)",
    expected: [
      ['error', 4, 1, "rules of multi-term `f` cannot have priorities: every matching rule contributes a result"],
    ],
  },
  {
    name: "sema: arg count",
    source: "(decl f (u32) u32)\n(rule (f) 1)",
    expected: [
      ['error', 4, 8, "wrong number of arguments for `f`: expected 1, found 0"],
    ],
  },
  {
    name: "sema: in-arg at root",
    source: "(decl f (u32) u32)\n(rule (f <1) 1)",
    expected: [
      ['error', 4, 10, "an in-argument `<expr` is only allowed in an extractor pattern, not in the rule's root"],
    ],
  },
  {
    name: "sema: bool pattern type",
    source: "(decl f (u32) u32)\n(rule (f #t) 1)",
    expected: [
      ['error', 4, 10, "boolean literal has type `bool`, but this position expects `u32`"],
    ],
  },
  {
    name: "sema: unknown const pattern",
    source: "(decl f (u32) u32)\n(rule (f $K) 1)",
    expected: [
      ['error', 4, 10, "unknown constant `$K`: expected one defined with `extern const`"],
    ],
  },
  {
    name: "sema: const pattern type",
    source: "(extern const $K E)\n(decl f (u32) u32)\n(rule (f $K) 1)",
    expected: [
      ['error', 5, 10, "constant `$K` has type `E`, but this position expects `u32`"],
    ],
  },
  {
    name: "sema: rebound var",
    source: "(decl f (u32 u32) u32)\n(rule (f x x @ _) 1)",
    expected: [
      ['error', 4, 12, "variable `x` is already bound in this rule; `name @ pattern` must introduce a new name"],
    ],
  },
  {
    name: "sema: repeated var type",
    source: "(decl f (u32 E) u32)\n(rule (f x x) 1)",
    expected: [
      ['error', 4, 12, "variable `x` has type `u32`, but this position expects `E` (a repeated variable must match a value of the same type)"],
    ],
  },
  {
    name: "sema: unknown term pattern",
    source: "(decl f (u32) u32)\n(rule (f (nope)) 1)",
    expected: [
      ['error', 4, 11, "unknown term `nope` in pattern: expected an enum variant (`Type.Variant`) or a term with an extractor"],
    ],
  },
  {
    name: "sema: pattern type mismatch",
    source: "(decl f (u32) u32)\n(rule (f (E.B)) 1)",
    expected: [
      ['error', 4, 11, "type mismatch: this position expects `u32`, but term `E.B` has type `E`"],
    ],
  },
  {
    name: "sema: no extractor",
    source: "(decl g () u32)\n(rule (g) 1)\n(decl f (u32) u32)\n(rule (f (g)) 1)",
    expected: [
      ['error', 6, 11, "term `g` cannot be used in a pattern: it has no extractor"],
    ],
  },
  {
    name: "sema: in-arg on output",
    source: "(decl g (u32) u32)\n(extern extractor g g)\n(decl f (u32) u32)\n(rule (f (g <1)) 1)",
    expected: [
      ['error', 6, 13, "argument 1 of `g` is an output of the extractor; write a pattern, not `<expr`"],
    ],
  },
  {
    name: "sema: missing in-arg",
    source: "(decl g (u32) u32)\n(extern extractor g g (in))\n(decl f (u32) u32)\n(rule (f (g x)) 1)",
    expected: [
      ['error', 6, 13, "argument 1 of `g` is an `in` argument of its extractor; write it as `<expr`"],
    ],
  },
  {
    name: "sema: recursive macro",
    source: "(decl g (u32) u32)\n(extractor (g x) (g x))\n(decl f (u32) u32)\n(rule (f (g x)) 1)",
    expected: [
      ['error', 4, 19, "extractor `g` expands into itself (more than 64 nested expansions); extractor macros cannot be recursive"],
    ],
  },
  {
    name: "sema: in-arg to macro",
    source: "(decl g (u32) u32)\n(extractor (g x) x)\n(decl f (u32) u32)\n(rule (f (g <1)) 1)",
    expected: [
      ['error', 6, 13, "an in-argument `<expr` cannot be passed to extractor macro `g`"],
    ],
  },
  {
    name: "sema: int on enum",
    source: "(decl f (E) u32)\n(rule (f 1) 1)",
    expected: [
      ['error', 4, 10, "integer literal `1` cannot have type `E`: expected an integer or primitive type here"],
    ],
  },
  {
    name: "sema: int out of range",
    source: "(type u8 (primitive u8))\n(decl f (u8) u32)\n(rule (f 256) 1)",
    expected: [
      ['error', 5, 10, "integer literal `256` does not fit in `u8` (unsigned 8-bit)"],
    ],
  },
  {
    name: "sema: int not safe number",
    source: "(type N (primitive N))\n(decl f (N) u32)\n(rule (f 9007199254740993) 1)",
    primitives: {"N":"number"},
    expected: [
      ['error', 5, 10, "integer literal `9007199254740993` is not exactly representable as a TypeScript number for type `N`"],
    ],
  },
  {
    name: "sema: int untyped",
    source: "(decl pure g (u32) u32)\n(extern constructor g g)\n(decl f (u32) u32)\n(rule (f x) (if-let y 1) x)",
    expected: [
      ['error', 6, 23, "integer literal in a position whose type is not known: its type cannot be inferred here"],
    ],
  },
  {
    name: "sema: unknown var",
    source: "(decl f (u32) u32)\n(rule (f x) y)",
    expected: [
      ['error', 4, 13, "unknown variable `y`"],
    ],
  },
  {
    name: "sema: var is a term",
    source: "(decl g () u32)\n(extern constructor g g)\n(decl f (u32) u32)\n(rule (f x) g)",
    expected: [
      ['error', 6, 13, "unknown variable `g`"],
    ],
  },
  {
    name: "sema: var type",
    source: "(decl f (E) u32)\n(rule (f x) x)",
    expected: [
      ['error', 4, 13, "variable `x` has type `E`, but this position expects `u32`"],
    ],
  },
  {
    name: "sema: unknown term expr",
    source: "(decl f (u32) u32)\n(rule (f x) (nope x))",
    expected: [
      ['error', 4, 14, "unknown term `nope` in expression: expected an enum variant or a term with a constructor"],
    ],
  },
  {
    name: "sema: term is a var",
    source: "(decl f (u32) u32)\n(rule (f x) (x))",
    expected: [
      ['error', 4, 14, "unknown term `x` in expression: expected an enum variant or a term with a constructor"],
    ],
  },
  {
    name: "sema: expr type mismatch",
    source: "(decl f (u32) u32)\n(rule (f x) (E.B))",
    expected: [
      ['error', 4, 14, "type mismatch: this position expects `u32`, but term `E.B` has type `E`"],
    ],
  },
  {
    name: "sema: no constructor",
    source: "(decl g (u32) u32)\n(extern extractor g g)\n(decl f (u32) u32)\n(rule (f x) (g x))",
    expected: [
      ['error', 6, 14, "term `g` cannot be used in an expression: it has no constructor"],
    ],
  },
  {
    name: "sema: impure in if-let",
    source: "(decl g (u32) u32)\n(extern constructor g g)\n(decl f (u32) u32)\n(rule (f x) (if-let y (g x)) y)",
    expected: [
      ['error', 6, 24, "term `g` is not pure, so it cannot be called in an `if-let` or in the body of a pure term"],
    ],
  },
  {
    name: "sema: multi outside multi",
    source: "(decl multi g (u32) u32)\n(extern constructor g g)\n(decl f (u32) u32)\n(rule (f x) (g x))",
    expected: [
      ['error', 6, 14, "multi-term `g` can only be called from rules of a multi-term"],
    ],
  },
  {
    name: "sema: partial in rhs",
    source: "(decl partial g (u32) u32)\n(extern constructor g g)\n(decl f (u32) u32)\n(rule (f x) (g x))",
    expected: [
      ['error', 6, 14, "partial term `g` can fail, so it cannot be called in a right-hand side"],
    ],
  },
  {
    name: "sema: unknown const expr",
    source: "(decl f (u32) u32)\n(rule (f x) $K)",
    expected: [
      ['error', 4, 13, "unknown constant `$K`: expected one defined with `extern const`"],
    ],
  },
  {
    name: "sema: const expr type",
    source: "(extern const $K E)\n(decl f (u32) u32)\n(rule (f x) $K)",
    expected: [
      ['error', 5, 13, "constant `$K` has type `E`, but this position expects `u32`"],
    ],
  },
  {
    name: "sema: bool expr type",
    source: "(decl f (u32) u32)\n(rule (f x) #t)",
    expected: [
      ['error', 4, 13, "boolean literal has type `bool`, but this position expects `u32`"],
    ],
  },
  {
    name: "sema: let unknown type",
    source: "(decl f (u32) u32)\n(rule (f x) (let ((y Nope x)) x))",
    expected: [
      ['error', 4, 22, "unknown type `Nope`: expected a type defined with `type`"],
    ],
  },
  {
    name: "sema: recursion warning",
    source: "(decl f (u32) u32)\n(rule (f x) (f x))",
    expected: [
      ['warning', 3, 7, "term `f` is recursive but is not declared `rec`"],
    ],
  },
  {
    name: "overlap: same priority",
    source: "(decl f (u32) u32)\n(rule (f 1) 1)\n(rule (f _) 2)",
    expected: [
      ['error', 5, 1, "rule overlaps with the rule at t.isle:4:1: both can match the same input at priority 0"],
    ],
  },
  {
    name: "overlap: named rules",
    source: "(decl f (u32) u32)\n(rule one (f x) 1)\n(rule two (f y) 2)",
    expected: [
      ['error', 5, 1, "rule `two` overlaps with the rule `one` at t.isle:4:1: both can match the same input at priority 0"],
    ],
  },
  {
    name: "overlap: shadowed",
    source: "(decl f (u32) u32)\n(rule 1 (f _) 1)\n(rule 0 (f 2) 2)",
    expected: [
      ['warning', 5, 1, "rule can never match: the higher-priority rule at t.isle:4:1 (priority 1) matches every input this rule (priority 0) matches"],
    ],
  },
  {
    name: "codegen: context clash",
    source: "(decl f (u32) u32)\n(extern constructor f same)\n(decl g (E) u32)\n(extern constructor g same)",
    expected: [
      ['error', 6, 1, "Context method `same` is used for `g` with signature `same(arg0: E): number`, but also for `f` with signature `same(arg0: number): number`"],
    ],
  },];

describe('diagnostics', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = compileSource(PRELUDE + c.source, {
      fileName: 't.isle',
      ...(c.primitives !== undefined ? { primitives: c.primitives } : {}),
    });
    const actual = result.diagnostics.map((d) => {
      const loc = result.sources.location(d.span.file, d.span.start);
      return [d.severity, loc.line, loc.column, d.message] as const;
    });
    expect(actual).toEqual(c.expected);
    expect(result.ok).toBe(!c.expected.some((e) => e[0] === 'error'));
  });
});

describe('rendering', () => {
  test('a diagnostic shows file, line, column, the source line, a caret and help', () => {
    const result = compileSource(PRELUDE + '(decl f (u32) u32)\n(rule (f x) (nope x))\n', { fileName: 'lower.isle' });
    expect(result.format()).toBe(
      [
        'error: unknown term `nope` in expression: expected an enum variant or a term with a constructor',
        '  --> lower.isle:4:14',
        '  |',
        '4 | (rule (f x) (nope x))',
        '  |              ^^^^',
        '',
        '1 error reported',
      ].join('\n'),
    );
  });

  test('related locations and help are printed as notes', () => {
    const result = compileSource(PRELUDE + '(decl f (u32) u32)\n(rule (f 1) 1)\n(rule (f _) 2)\n', { fileName: 'a.isle' });
    expect(result.format()).toBe(
      [
        'error: rule overlaps with the rule at a.isle:4:1: both can match the same input at priority 0',
        '  --> a.isle:5:1',
        '  |',
        '5 | (rule (f _) 2)',
        '  | ^^^^^^^^^^^^^^',
        'note: the other rule is here',
        '  --> a.isle:4:1',
        '  |',
        '4 | (rule (f 1) 1)',
        '  | ^^^^^^^^^^^^^^',
        'help: give one of the rules a higher priority, e.g. `(rule 1 ...)`, or make their patterns disjoint',
        '',
        '1 error reported',
      ].join('\n'),
    );
  });

  test('several errors in one run, sorted by location, counted in a summary', () => {
    const src = PRELUDE + '(decl f (u32) u32)\n(rule (f x) y)\n(rule (g) 1)\n(decl h (Nope) u32)\n';
    const result = compileSource(src, { fileName: 'm.isle' });
    expect(result.diagnostics.length).toBe(4);
    const text = formatDiagnostics(result.diagnostics, result.sources);
    const order = [...text.matchAll(/--> m\.isle:(\d+):/g)].map((m) => Number(m[1]));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(text.endsWith('3 errors, 1 warning reported')).toBe(true);
  });

  test('a multi-line span is underlined to the end of its first line', () => {
    const result = compileSource(PRELUDE + '(decl f (u32) u32)\n(rule (f 1)\n  1)\n(rule (f _) 2)\n', { fileName: 'x.isle' });
    expect(result.format()).toContain('4 | (rule (f 1)\n  | ^^^^^^^^^^^');
  });
});
