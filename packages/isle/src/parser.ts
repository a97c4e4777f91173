// Parser: tokens to AST, with error recovery per top-level form.
//
// Owns: the concrete grammar of ISLE (see upstream's language reference):
// `type`, `decl`, `rule`, `extractor`, `extern`, `convert`, and the
// verification forms (`spec`, `model`, `form`, `instantiate`, `attr`,
// `state`, `macro`), which are parsed as raw S-expressions and kept.
// Does not own: name resolution or typing (`sema.ts`).
//
// Invariants:
// - Each top-level form is parsed independently between its `(` and the
//   matching `)` found by the lexer. A syntax error inside a form is
//   reported once and parsing resumes after that form, so one run reports
//   errors from many forms.
// - The parser never reads past the end of the form it is parsing.

import type { Diagnostics, Span } from './diagnostics.js';
import type {
  Def,
  Expr,
  Field,
  Ident,
  IfLet,
  LetDef,
  Pattern,
  PatternArg,
  RuleDef,
  SExpr,
  TypeValue,
  Variant,
} from './ast.js';
import { TokenKind, type Token, type TokenStream } from './lexer.js';

type IntLiteralNode = { readonly kind: 'int'; readonly value: bigint; readonly span: Span };
type BoolLiteralNode = { readonly kind: 'bool'; readonly value: boolean; readonly span: Span };

/** Thrown inside a form to abandon it; caught at the top level. */
class SyntaxError_ extends Error {
  constructor(
    readonly span: Span,
    message: string,
  ) {
    super(message);
  }
}

const DEF_KEYWORDS = [
  'type',
  'decl',
  'rule',
  'extractor',
  'extern',
  'convert',
  'spec',
  'model',
  'form',
  'instantiate',
  'attr',
  'state',
  'macro',
];
const VERIFICATION_KEYWORDS = new Set(['spec', 'model', 'form', 'instantiate', 'attr', 'state', 'macro']);

const IDENT_RE = /^[A-Za-z_$][A-Za-z0-9_.$]*$/;

/** Parses a whole token stream into top-level definitions. */
export function parse(stream: TokenStream, diags: Diagnostics): Def[] {
  const defs: Def[] = [];
  const p = new Parser(stream);
  const toks = stream.tokens;
  let i = 0;
  while (i < toks.length) {
    const tok = toks[i];
    if (tok.kind !== TokenKind.LParen) {
      if (tok.kind !== TokenKind.RParen) {
        // Stray `)` was already reported by the lexer.
        diags.error(p.spanOf(tok), `expected \`(\` to start a top-level definition, found ${describe(tok)}`);
      }
      i++;
      continue;
    }
    const close = stream.match[i];
    if (close === -1) break; // the lexer reported the unclosed `(`; the rest of the file is inside it
    const end = close;
    try {
      defs.push(p.parseDef(i, end));
    } catch (e) {
      if (e instanceof SyntaxError_) diags.error(e.span, e.message);
      else throw e;
    }
    i = end + 1;
  }
  return defs;
}

function describe(tok: Token | undefined): string {
  if (tok === undefined) return 'the end of the form';
  switch (tok.kind) {
    case TokenKind.LParen:
      return '`(`';
    case TokenKind.RParen:
      return '`)`';
    case TokenKind.At:
      return '`@`';
    case TokenKind.Int:
      return `integer \`${tok.text}\``;
    case TokenKind.Symbol:
      return `\`${tok.text}\``;
  }
}

class Parser {
  private readonly toks: readonly Token[];
  private pos = 0;
  /** Index one past the last token this form may read (one past its closing paren). */
  private end = 0;

  constructor(private readonly stream: TokenStream) {
    this.toks = stream.tokens;
  }

  spanOf(tok: Token): Span {
    return { file: this.stream.file, start: tok.start, end: tok.end };
  }

  private peek(offset = 0): Token | undefined {
    const i = this.pos + offset;
    return i < this.end ? this.toks[i] : undefined;
  }

  private here(): Span {
    const tok = this.peek();
    if (tok !== undefined) return this.spanOf(tok);
    return { file: this.stream.file, start: this.stream.length, end: this.stream.length };
  }

  private fail(message: string, span: Span = this.here()): never {
    throw new SyntaxError_(span, message);
  }

  private spanFrom(startTok: number): Span {
    const first = this.toks[startTok];
    const last = this.toks[Math.max(startTok, this.pos - 1)];
    return { file: this.stream.file, start: first.start, end: last.end };
  }

  /**
   * Inside a list the parser always meets that list's `)` before the end of
   * the form, because forms are paren-balanced (unclosed ones are skipped).
   */
  private notAtEnd(): void {
    if (this.peek() === undefined) throw new Error('internal error: ran past the end of a balanced form');
  }

  private isKind(kind: TokenKind): boolean {
    return this.peek()?.kind === kind;
  }

  private isSymbol(text?: string): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === TokenKind.Symbol && (text === undefined || t.text === text);
  }

  private isParenSymbol(text: string): boolean {
    const a = this.peek();
    const b = this.peek(1);
    return a?.kind === TokenKind.LParen && b?.kind === TokenKind.Symbol && b.text === text;
  }

  private expectLParen(what: string): void {
    if (!this.isKind(TokenKind.LParen)) this.fail(`expected \`(\` ${what}, found ${describe(this.peek())}`);
    this.pos++;
  }

  private expectRParen(what: string): void {
    if (!this.isKind(TokenKind.RParen)) this.fail(`expected \`)\` ${what}, found ${describe(this.peek())}`);
    this.pos++;
  }

  private eatSymbol(text: string): boolean {
    if (this.isSymbol(text)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private ident(what: string): Ident {
    const tok = this.peek();
    if (tok === undefined || tok.kind !== TokenKind.Symbol) this.fail(`expected ${what}, found ${describe(tok)}`);
    this.pos++;
    return this.checkIdent(tok, what);
  }

  private checkIdent(tok: Token, what: string): Ident {
    if (!IDENT_RE.test(tok.text)) {
      this.fail(
        `\`${tok.text}\` is not a valid identifier (expected ${what}): identifiers start with a letter, \`_\` or \`$\` and contain only letters, digits, \`_\`, \`.\` and \`$\``,
        this.spanOf(tok),
      );
    }
    return { name: tok.text, span: this.spanOf(tok) };
  }

  // -------------------------------------------------------------------------
  // Definitions

  parseDef(open: number, end: number): Def {
    this.pos = open + 1;
    this.end = end + 1;
    const head = this.peek();
    if (head === undefined || head.kind !== TokenKind.Symbol) {
      this.fail(`expected a definition keyword (${DEF_KEYWORDS.join(', ')}), found ${describe(head)}`);
    }
    this.pos++;
    let def: Def;
    switch (head.text) {
      case 'type':
        def = this.parseType(open);
        break;
      case 'decl':
        def = this.parseDecl(open);
        break;
      case 'rule':
        def = this.parseRule(open);
        break;
      case 'extractor':
        def = this.parseExtractor(open);
        break;
      case 'extern':
        def = this.parseExtern(open);
        break;
      case 'convert': {
        const inner = this.ident('the inner type of `convert`');
        const outer = this.ident('the outer type of `convert`');
        const term = this.ident('the converter term of `convert`');
        this.expectRParen('to end `convert` (it takes an inner type, an outer type and a term)');
        def = { kind: 'convert', inner, outer, term, span: this.spanFrom(open) };
        break;
      }
      case 'pragma': {
        const name = this.ident('a pragma name');
        this.fail(`unknown pragma \`${name.name}\`: no pragmas are defined`, name.span);
        break;
      }
      default:
        if (VERIFICATION_KEYWORDS.has(head.text)) {
          const body: SExpr[] = [];
          while (!this.isKind(TokenKind.RParen) && this.peek() !== undefined) body.push(this.sexpr());
          this.expectRParen(`to end \`${head.text}\``);
          def = { kind: 'verification', keyword: head.text, body, span: this.spanFrom(open) };
          break;
        }
        this.fail(
          `unknown definition \`${head.text}\`: expected one of ${DEF_KEYWORDS.map((k) => '`' + k + '`').join(', ')}`,
          this.spanOf(head),
        );
    }
    if (this.pos !== this.end) throw new Error('internal error: form not fully consumed');
    return def;
  }

  private sexpr(): SExpr {
    const tok = this.peek();
    if (tok === undefined) throw new Error('internal error: ran past the end of a balanced form');
    const start = this.pos;
    if (tok.kind === TokenKind.LParen) {
      this.pos++;
      const items: SExpr[] = [];
      while (!this.isKind(TokenKind.RParen)) {
        this.notAtEnd();
        items.push(this.sexpr());
      }
      this.pos++;
      return { kind: 'list', items, span: this.spanFrom(start) };
    }
    if (tok.kind === TokenKind.RParen) throw new Error('internal error: sexpr called at a closing paren');
    this.pos++;
    return { kind: 'atom', text: tok.text, span: this.spanOf(tok) };
  }

  private parseType(open: number): Def {
    const name = this.ident('a type name');
    let isExtern = false;
    let isNodebug = false;
    while (this.isSymbol()) {
      const tok = this.peek()!;
      if (tok.text === 'extern') isExtern = true;
      else if (tok.text === 'nodebug') isNodebug = true;
      else this.fail(`unknown type modifier \`${tok.text}\`: expected \`extern\` or \`nodebug\``, this.spanOf(tok));
      this.pos++;
    }
    const value = this.parseTypeValue();
    this.expectRParen(`to end the definition of type \`${name.name}\``);
    return { kind: 'type', name, isExtern, isNodebug, value, span: this.spanFrom(open) };
  }

  private parseTypeValue(): TypeValue {
    const start = this.pos;
    this.expectLParen('to start the type body: `(primitive Name)`, `(enum ...)` or `(struct ...)`');
    if (this.eatSymbol('primitive')) {
      const name = this.ident('the primitive type name');
      this.expectRParen('after the primitive type name');
      return { kind: 'primitive', name, span: this.spanFrom(start) };
    }
    if (this.eatSymbol('enum')) {
      const variants: Variant[] = [];
      while (!this.isKind(TokenKind.RParen)) {
        this.notAtEnd();
        variants.push(this.parseVariant());
      }
      this.pos++;
      return { kind: 'enum', variants, span: this.spanFrom(start) };
    }
    if (this.eatSymbol('struct')) {
      const fields = this.parseFields();
      this.expectRParen('to close `(struct ...`');
      return { kind: 'struct', fields, span: this.spanFrom(start) };
    }
    this.fail(`expected \`primitive\`, \`enum\` or \`struct\`, found ${describe(this.peek())}`);
  }

  private parseVariant(): Variant {
    const start = this.pos;
    if (this.isSymbol()) {
      const name = this.ident('an enum variant name');
      return { name, fields: [], span: name.span };
    }
    this.expectLParen('or a name to start an enum variant');
    const name = this.ident('an enum variant name');
    const fields = this.parseFields();
    this.expectRParen(`to close variant \`${name.name}\``);
    return { name, fields, span: this.spanFrom(start) };
  }

  /** Named fields `(name Ty) ...` or positional fields `Ty ...`, up to a `)`. */
  private parseFields(): Field[] {
    const fields: Field[] = [];
    if (this.isKind(TokenKind.LParen)) {
      while (this.isKind(TokenKind.LParen)) {
        const start = this.pos;
        this.pos++;
        const name = this.ident('a field name');
        const ty = this.ident(`the type of field \`${name.name}\``);
        this.expectRParen(`after the type of field \`${name.name}\` (a field is \`(name Type)\`)`);
        fields.push({ name, ty, positional: false, span: this.spanFrom(start) });
      }
    } else {
      while (this.isSymbol()) {
        const ty = this.ident('a field type');
        fields.push({ name: { name: `_${fields.length}`, span: ty.span }, ty, positional: true, span: ty.span });
      }
    }
    return fields;
  }

  private parseDecl(open: number): Def {
    let pure = false;
    let multi = false;
    let partial = false;
    let rec = false;
    for (;;) {
      if (this.eatSymbol('pure')) pure = true;
      else if (this.eatSymbol('multi')) multi = true;
      else if (this.eatSymbol('partial')) partial = true;
      else if (this.eatSymbol('rec')) rec = true;
      else break;
    }
    const term = this.ident('a term name');
    this.expectLParen(`to start the argument types of \`${term.name}\`: \`(decl ${term.name} (ArgType ...) ReturnType)\``);
    const argTys: Ident[] = [];
    while (!this.isKind(TokenKind.RParen)) {
      this.notAtEnd();
      argTys.push(this.ident('an argument type'));
    }
    this.pos++;
    const retTy = this.ident(`the return type of \`${term.name}\``);
    this.expectRParen(`to end the declaration of \`${term.name}\``);
    return { kind: 'decl', term, argTys, retTy, pure, multi, partial, rec, span: this.spanFrom(open) };
  }

  private parseExtractor(open: number): Def {
    this.expectLParen('to start the extractor signature `(Term param ...)`');
    const term = this.ident('the extractor term name');
    const params: Ident[] = [];
    while (!this.isKind(TokenKind.RParen)) {
      this.notAtEnd();
      params.push(this.ident('an extractor parameter name'));
    }
    this.pos++;
    const template = this.parsePattern();
    this.expectRParen(`to end the extractor for \`${term.name}\` (it has one template pattern)`);
    return { kind: 'extractor', term, params, template, span: this.spanFrom(open) };
  }

  private parseExtern(open: number): Def {
    if (this.eatSymbol('constructor')) {
      const term = this.ident('the term name');
      const func = this.ident('the name of the Context method');
      this.expectRParen('to end `extern constructor` (it takes a term and a method name)');
      return { kind: 'extern-constructor', term, func, span: this.spanFrom(open) };
    }
    if (this.eatSymbol('extractor')) {
      const infallible = this.eatSymbol('infallible');
      const term = this.ident('the term name');
      const func = this.ident('the name of the Context method');
      let polarity: boolean[] | undefined;
      if (this.isKind(TokenKind.LParen)) {
        this.pos++;
        polarity = [];
        while (this.isSymbol()) {
          const tok = this.peek()!;
          if (tok.text !== 'in' && tok.text !== 'out') this.fail(`expected \`in\` or \`out\`, found ${describe(tok)}`);
          polarity.push(tok.text === 'in');
          this.pos++;
        }
        this.expectRParen('to close the polarity list `(in out ...)`');
      }
      this.expectRParen('to end `extern extractor`');
      return { kind: 'extern-extractor', term, func, infallible, polarity, span: this.spanFrom(open) };
    }
    if (this.eatSymbol('const')) {
      const tok = this.peek();
      if (tok === undefined || tok.kind !== TokenKind.Symbol || !tok.text.startsWith('$')) {
        this.fail(`expected a constant name starting with \`$\`, found ${describe(tok)}`);
      }
      this.pos++;
      const full = this.checkIdent(tok, 'constant name');
      const name = { name: full.name.slice(1), span: full.span };
      const ty = this.ident('the type of the constant');
      this.expectRParen('to end `extern const`');
      return { kind: 'extern-const', name, ty, span: this.spanFrom(open) };
    }
    this.fail(`expected \`constructor\`, \`extractor\` or \`const\` after \`extern\`, found ${describe(this.peek())}`);
  }

  private parseRule(open: number): RuleDef {
    let name: Ident | undefined;
    let prio: number | undefined;
    if (this.isSymbol()) name = this.ident('a rule name');
    const prioTok = this.peek();
    if (prioTok?.kind === TokenKind.Int) {
      this.pos++;
      if (prioTok.value > BigInt(Number.MAX_SAFE_INTEGER) || prioTok.value < BigInt(Number.MIN_SAFE_INTEGER)) {
        this.fail(`rule priority ${prioTok.text} is out of range: expected a signed 53-bit integer`, this.spanOf(prioTok));
      }
      prio = Number(prioTok.value);
    }
    if (this.isKind(TokenKind.RParen)) this.fail('expected the rule\'s left-hand-side pattern, found `)`');
    const pattern = this.parsePattern();
    const iflets: IfLet[] = [];
    for (;;) {
      if (this.isKind(TokenKind.RParen) || this.peek() === undefined) {
        this.fail('expected the rule\'s right-hand-side expression after its pattern and `if-let` clauses');
      }
      if (this.isParenSymbol('if-let')) {
        const start = this.pos;
        this.pos += 2;
        const pat = this.parsePattern();
        const expr = this.parseExpr();
        this.expectRParen('to end `if-let` (it takes a pattern and an expression)');
        iflets.push({ pattern: pat, expr, span: this.spanFrom(start) });
        continue;
      }
      if (this.isParenSymbol('if')) {
        const start = this.pos;
        this.pos += 2;
        const expr = this.parseExpr();
        this.expectRParen('to end `if` (it takes one expression)');
        const span = this.spanFrom(start);
        iflets.push({ pattern: { kind: 'wildcard', span }, expr, span });
        continue;
      }
      const expr = this.parseExpr();
      this.expectRParen('after the rule\'s right-hand side: the right-hand side must be the last item of a rule');
      return { kind: 'rule', name, prio, pattern, iflets, expr, span: this.spanFrom(open) };
    }
  }

  // -------------------------------------------------------------------------
  // Patterns and expressions

  /** An integer or `#t`/`#f` literal, shared by patterns and expressions. */
  private parseLiteral(tok: Token): IntLiteralNode | BoolLiteralNode | undefined {
    if (tok.kind === TokenKind.Int) {
      this.pos++;
      return { kind: 'int', value: tok.value, span: this.spanOf(tok) };
    }
    if (tok.kind === TokenKind.Symbol) {
      const lit = boolLiteral(tok.text);
      if (lit !== undefined) {
        this.pos++;
        return { kind: 'bool', value: lit, span: this.spanOf(tok) };
      }
    }
    return undefined;
  }

  private parsePattern(): Pattern {
    const tok = this.peek();
    if (tok === undefined) throw new Error('internal error: ran past the end of a balanced form');
    const start = this.pos;
    const literal = this.parseLiteral(tok);
    if (literal !== undefined) return literal;
    switch (tok.kind) {
      case TokenKind.Symbol: {
        if (tok.text === '_') {
          this.pos++;
          return { kind: 'wildcard', span: this.spanOf(tok) };
        }
        if (tok.text.startsWith('$')) {
          this.pos++;
          const id = this.checkIdent(tok, 'constant name');
          return { kind: 'const', name: { name: id.name.slice(1), span: id.span }, span: id.span };
        }
        const name = this.ident('a variable name');
        if (this.isKind(TokenKind.At)) {
          this.pos++;
          const sub = this.parsePattern();
          return { kind: 'bind', name, sub, span: this.spanFrom(start) };
        }
        return { kind: 'var', name, span: name.span };
      }
      case TokenKind.LParen: {
        this.pos++;
        if (this.eatSymbol('and')) {
          const subs: Pattern[] = [];
          while (!this.isKind(TokenKind.RParen)) {
            this.notAtEnd();
            subs.push(this.parsePattern());
          }
          this.pos++;
          return { kind: 'and', subs, span: this.spanFrom(start) };
        }
        const sym = this.ident('a term name after `(` in a pattern');
        const args: PatternArg[] = [];
        while (!this.isKind(TokenKind.RParen)) {
          this.notAtEnd();
          args.push(this.parsePatternArg());
        }
        this.pos++;
        return { kind: 'term', sym, args, span: this.spanFrom(start) };
      }
      case TokenKind.Int:
        throw new Error('internal error: integer literals are parsed by parseLiteral');
      case TokenKind.RParen:
      case TokenKind.At:
        this.fail(`expected a pattern, found ${describe(tok)}`);
    }
  }

  private parsePatternArg(): PatternArg {
    const tok = this.peek();
    if (tok?.kind === TokenKind.Symbol && tok.text.startsWith('<')) {
      const start = this.pos;
      if (tok.text === '<') {
        this.pos++;
        const expr = this.parseExpr();
        return { kind: 'in-arg', expr, span: this.spanFrom(start) };
      }
      // `<x`, `<2`, `<$C`: the expression is glued to the `<`.
      this.pos++;
      const rest = tok.text.slice(1);
      const span = { file: this.stream.file, start: tok.start + 1, end: tok.end };
      const expr = this.atomExpr(rest, span);
      return { kind: 'in-arg', expr, span: this.spanOf(tok) };
    }
    return this.parsePattern();
  }

  private atomExpr(text: string, span: Span): Expr {
    if (/^-?[0-9]/.test(text)) {
      const n = /^-?(0x[0-9a-f_]+|0o[0-7_]+|0b[01_]+|[0-9_]+)$/i.exec(text);
      if (n === null) this.fail(`invalid integer literal \`${text}\``, span);
      const neg = text.startsWith('-');
      const body = (neg ? text.slice(1) : text).replace(/_/g, '');
      const v = BigInt(body);
      return { kind: 'int', value: neg ? -v : v, span };
    }
    const lit = boolLiteral(text);
    if (lit !== undefined) return { kind: 'bool', value: lit, span };
    if (!IDENT_RE.test(text)) this.fail(`invalid expression \`${text}\``, span);
    if (text.startsWith('$')) return { kind: 'const', name: { name: text.slice(1), span }, span };
    return { kind: 'var', name: { name: text, span }, span };
  }

  private parseExpr(): Expr {
    const tok = this.peek();
    if (tok === undefined) throw new Error('internal error: ran past the end of a balanced form');
    const start = this.pos;
    const literal = this.parseLiteral(tok);
    if (literal !== undefined) return literal;
    switch (tok.kind) {
      case TokenKind.Symbol: {
        if (tok.text === '_') this.fail('a wildcard `_` is a pattern, not an expression: expected a value', this.spanOf(tok));
        if (tok.text.startsWith('$')) {
          this.pos++;
          const id = this.checkIdent(tok, 'constant name');
          return { kind: 'const', name: { name: id.name.slice(1), span: id.span }, span: id.span };
        }
        const name = this.ident('a variable name');
        return { kind: 'var', name, span: name.span };
      }
      case TokenKind.LParen: {
        this.pos++;
        if (this.eatSymbol('let')) {
          this.expectLParen('to start the `let` bindings: `(let ((name Type expr) ...) body)`');
          const defs: LetDef[] = [];
          while (!this.isKind(TokenKind.RParen)) {
            const dstart = this.pos;
            this.expectLParen('to start a `let` binding `(name Type expr)`');
            const name = this.ident('a variable name');
            const ty = this.ident(`the type of \`${name.name}\` (a binding is \`(name Type expr)\`)`);
            const value = this.parseExpr();
            this.expectRParen(`to end the binding of \`${name.name}\``);
            defs.push({ name, ty, value, span: this.spanFrom(dstart) });
          }
          this.pos++;
          const body = this.parseExpr();
          this.expectRParen('after the body of `let` (a `let` has one body expression)');
          return { kind: 'let', defs, body, span: this.spanFrom(start) };
        }
        const sym = this.ident('a term name after `(` in an expression');
        const args: Expr[] = [];
        while (!this.isKind(TokenKind.RParen)) {
          this.notAtEnd();
          args.push(this.parseExpr());
        }
        this.pos++;
        return { kind: 'term', sym, args, span: this.spanFrom(start) };
      }
      case TokenKind.Int:
        throw new Error('internal error: integer literals are parsed by parseLiteral');
      case TokenKind.RParen:
      case TokenKind.At:
        this.fail(`expected an expression, found ${describe(tok)}`);
    }
  }
}

function boolLiteral(text: string): boolean | undefined {
  if (text === '#t' || text === 'true') return true;
  if (text === '#f' || text === 'false') return false;
  return undefined;
}
