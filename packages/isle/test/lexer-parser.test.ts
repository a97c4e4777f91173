// Lexer and parser on their own: token shapes, literals, comments, and the
// AST of every definition form.

import { describe, expect, test } from 'vitest';
import type { Def } from '../src/ast.js';
import { Diagnostics } from '../src/diagnostics.js';
import { lex, TokenKind } from '../src/lexer.js';
import { parse } from '../src/parser.js';

function tokens(text: string): (string | bigint)[] {
  const d = new Diagnostics();
  const s = lex(0, text, d);
  expect(d.list).toEqual([]);
  return s.tokens.map((t) => (t.kind === TokenKind.Int ? t.value : t.text));
}

function defs(text: string): Def[] {
  const d = new Diagnostics();
  const out = parse(lex(0, text, d), d);
  expect(d.list.map((x) => x.message)).toEqual([]);
  return out;
}

describe('lexer', () => {
  test('line and nested block comments are skipped', () => {
    expect(tokens(';; c\n(a (; x (; y ;) z ;) b) ; tail\n')).toEqual(['(', 'a', 'b', ')']);
  });

  test('integers in every radix, with separators and signs, as 128-bit values', () => {
    expect(tokens('0 -1 0x7F 0XfF 0o17 0b1010 1_000 -0x80')).toEqual([0n, -1n, 127n, 255n, 15n, 10n, 1000n, -128n]);
    expect(tokens('340_282_366_920_938_463_463_374_607_431_768_211_455')).toEqual([(1n << 128n) - 1n]);
    expect(tokens('-170141183460469231731687303715884105728')).toEqual([-(1n << 127n)]);
  });

  test('symbols: `-` alone, `$const`, `#t`, dotted names; `@` splits', () => {
    expect(tokens('(- a) $I32 #t #f Type.Variant x@(y)')).toEqual(['(', '-', 'a', ')', '$I32', '#t', '#f', 'Type.Variant', 'x', '@', '(', 'y', ')']);
  });
});

describe('parser', () => {
  test('type definitions: primitive, extern enum with fields, nodebug, positional fields, struct', () => {
    const [p, e, s] = defs(
      '(type Reg (primitive Reg))\n(type E extern nodebug (enum A (B (x u32) (y Reg)) (C u32 Reg)))\n(type S (struct (a u32)))',
    );
    expect(p).toMatchObject({ kind: 'type', name: { name: 'Reg' }, value: { kind: 'primitive', name: { name: 'Reg' } } });
    expect(e).toMatchObject({ kind: 'type', isExtern: true, isNodebug: true });
    const variants = e.kind === 'type' && e.value.kind === 'enum' ? e.value.variants : [];
    expect(variants.map((v) => [v.name.name, v.fields.map((f) => `${f.name.name}:${f.ty.name}`)])).toEqual([
      ['A', []],
      ['B', ['x:u32', 'y:Reg']],
      ['C', ['_0:u32', '_1:Reg']],
    ]);
    expect(s).toMatchObject({ kind: 'type', value: { kind: 'struct', fields: [{ name: { name: 'a' } }] } });
  });

  test('decl modifiers in any order', () => {
    const [d] = defs('(decl partial pure rec f (u32 Reg) Reg)');
    expect(d).toMatchObject({ kind: 'decl', pure: true, partial: true, multi: false, rec: true, term: { name: 'f' } });
  });

  test('rules: name, priority, if-let, if, let, binders, and-patterns, constants, booleans', () => {
    const [r] = defs('(rule my_rule -5 (f (and x @ (g _ $K) #t) 0x10) (if-let y (h x)) (if (p)) (let ((z u32 y)) (k z false)))');
    expect(r).toMatchObject({ kind: 'rule', name: { name: 'my_rule' }, prio: -5 });
    if (r.kind !== 'rule') throw new Error('not a rule');
    expect(r.iflets).toHaveLength(2);
    expect(r.iflets[1].pattern.kind).toBe('wildcard');
    expect(r.pattern).toMatchObject({
      kind: 'term',
      args: [
        { kind: 'and', subs: [{ kind: 'bind', name: { name: 'x' }, sub: { kind: 'term', args: [{ kind: 'wildcard' }, { kind: 'const', name: { name: 'K' } }] } }, { kind: 'bool', value: true }] },
        { kind: 'int', value: 16n },
      ],
    });
    expect(r.expr).toMatchObject({ kind: 'let', defs: [{ name: { name: 'z' }, ty: { name: 'u32' } }], body: { kind: 'term', args: [{ kind: 'var' }, { kind: 'bool', value: false }] } });
  });

  test('externs, extractors with in-arguments, converters', () => {
    const ds = defs(
      '(extern constructor f make_f)(extern extractor infallible g get_g (in out))(extern const $K u32)(extractor (m a) (g <1 a))(convert A B f)',
    );
    expect(ds.map((d) => d.kind)).toEqual(['extern-constructor', 'extern-extractor', 'extern-const', 'extractor', 'convert']);
    expect(ds[1]).toMatchObject({ infallible: true, polarity: [true, false] });
    expect(ds[3]).toMatchObject({ template: { kind: 'term', args: [{ kind: 'in-arg', expr: { kind: 'int', value: 1n } }, { kind: 'var' }] } });
  });

  test('verification forms are kept as S-expressions', () => {
    const ds = defs('(spec (f x) (provide (= result x)))(model T (type (bv 8)))(form F ((args (bv 8)) (ret (bv 8))))(instantiate f F)(attr f (veri chain))(state s (type Int) (default 0))(macro (m x) x)');
    expect(ds.map((d) => (d.kind === 'verification' ? d.keyword : d.kind))).toEqual(['spec', 'model', 'form', 'instantiate', 'attr', 'state', 'macro']);
  });

  test('after a syntax error, parsing resumes at the next form', () => {
    const d = new Diagnostics();
    const out = parse(lex(0, '(decl f u32)\n(decl g () u32)\n(rule)\n(decl h () u32)', d), d);
    expect(out.map((x) => (x.kind === 'decl' ? x.term.name : x.kind))).toEqual(['g', 'h']);
    expect(d.list).toHaveLength(2);
  });
});
