// Lexer: ISLE source text to a flat token array.
//
// Owns: tokenisation (parens, `@`, symbols, integer literals in every radix
// with `_` separators, `;` line comments and nested `(; ... ;)` block
// comments) and the paren-matching table the parser uses to recover after a
// syntax error.
// Does not own: deciding what a symbol means (`#t`, `$Const`, `true`,
// keywords are all plain symbols here; the parser interprets them).
//
// Invariants:
// - Tokens are in source order and do not overlap; `text` is the exact source
//   slice `[start, end)`.
// - Integer literals are parsed into `bigint` in the i128/u128 range; a
//   literal out of that range or with a digit not of its radix is reported
//   and lexed as an `int` token with value 0 so parsing can continue.
// - `match[i]` is the index of the paren matching token `i` (or -1 when
//   unbalanced or not a paren).

import type { Diagnostics } from './diagnostics.js';

export const TokenKind = {
  LParen: 0,
  RParen: 1,
  At: 2,
  Symbol: 3,
  Int: 4,
} as const;
export type TokenKind = (typeof TokenKind)[keyof typeof TokenKind];

export interface Token {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  /** The source text of the token. */
  readonly text: string;
  /** The value of an `Int` token. */
  readonly value: bigint;
}

export interface TokenStream {
  readonly file: number;
  readonly tokens: readonly Token[];
  /** Index of the matching paren for each paren token, -1 otherwise. */
  readonly match: Int32Array;
  /** Length of the source text (the position of end-of-file). */
  readonly length: number;
}

const U128_MAX = (1n << 128n) - 1n;
const I128_MIN_ABS = 1n << 127n;

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
}

/** Characters that end a symbol. */
function isDelimiter(c: number): boolean {
  return isSpace(c) || c === 40 /* ( */ || c === 41 /* ) */ || c === 59 /* ; */ || c === 64; /* @ */
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const ZERO = 0n;

/** Tokenises one file, reporting lexical errors into `diags`. */
export function lex(file: number, text: string, diags: Diagnostics): TokenStream {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  const span = (start: number, end: number) => ({ file, start, end });

  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 59 /* ; */) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    if (c === 40 /* ( */ && text.charCodeAt(i + 1) === 59 /* ; */) {
      const start = i;
      i += 2;
      let depth = 1;
      while (i < n && depth > 0) {
        if (text.charCodeAt(i) === 40 && text.charCodeAt(i + 1) === 59) {
          depth++;
          i += 2;
        } else if (text.charCodeAt(i) === 59 && text.charCodeAt(i + 1) === 41) {
          depth--;
          i += 2;
        } else i++;
      }
      if (depth > 0) diags.error(span(start, start + 2), 'unterminated block comment: expected a closing `;)`');
      continue;
    }
    if (c === 40) {
      tokens.push({ kind: TokenKind.LParen, start: i, end: i + 1, text: '(', value: ZERO });
      i++;
      continue;
    }
    if (c === 41) {
      tokens.push({ kind: TokenKind.RParen, start: i, end: i + 1, text: ')', value: ZERO });
      i++;
      continue;
    }
    if (c === 64) {
      tokens.push({ kind: TokenKind.At, start: i, end: i + 1, text: '@', value: ZERO });
      i++;
      continue;
    }
    const start = i;
    while (i < n && !isDelimiter(text.charCodeAt(i))) i++;
    const word = text.slice(start, i);
    const numeric = isDigit(c) || (c === 45 /* - */ && i - start > 1 && isDigit(text.charCodeAt(start + 1)));
    if (!numeric) {
      tokens.push({ kind: TokenKind.Symbol, start, end: i, text: word, value: ZERO });
      continue;
    }
    tokens.push({ kind: TokenKind.Int, start, end: i, text: word, value: parseInt128(word, span(start, i), diags) });
  }

  // Paren matching, for error recovery and "unclosed paren" reports.
  const match = new Int32Array(tokens.length).fill(-1);
  const stack: number[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t];
    if (tok.kind === TokenKind.LParen) stack.push(t);
    else if (tok.kind === TokenKind.RParen) {
      const open = stack.pop();
      if (open === undefined) {
        diags.error(span(tok.start, tok.end), 'unexpected `)`: there is no open `(` for it to close');
      } else {
        match[open] = t;
        match[t] = open;
      }
    }
  }
  for (const open of stack) {
    const tok = tokens[open];
    diags.error(span(tok.start, tok.end), 'unclosed `(`: expected a matching `)` before the end of the file');
  }
  return { file, tokens, match, length: n };
}

/** Parses an integer literal: `[-](0x|0o|0b)?digits` with `_` separators. */
function parseInt128(word: string, where: { file: number; start: number; end: number }, diags: Diagnostics): bigint {
  let s = word;
  let neg = false;
  if (s.startsWith('-')) {
    neg = true;
    s = s.slice(1);
  }
  let radix = 10;
  let radixName = 'decimal';
  const prefix = s.slice(0, 2).toLowerCase();
  if (prefix === '0x') {
    radix = 16;
    radixName = 'hexadecimal';
    s = s.slice(2);
  } else if (prefix === '0o') {
    radix = 8;
    radixName = 'octal';
    s = s.slice(2);
  } else if (prefix === '0b') {
    radix = 2;
    radixName = 'binary';
    s = s.slice(2);
  }
  const digits = s.replace(/_/g, '');
  if (digits.length === 0) {
    diags.error(where, `invalid integer literal \`${word}\`: expected ${radixName} digits after the prefix`);
    return ZERO;
  }
  let value = ZERO;
  const big = BigInt(radix);
  for (const ch of digits) {
    const d = parseInt(ch, 36);
    if (Number.isNaN(d) || d >= radix) {
      diags.error(where, `invalid integer literal \`${word}\`: \`${ch}\` is not a ${radixName} digit`);
      return ZERO;
    }
    value = value * big + BigInt(d);
  }
  if (neg) {
    if (value > I128_MIN_ABS) {
      diags.error(where, `integer literal \`${word}\` does not fit in 128 bits (expected at least -2^127)`);
      return ZERO;
    }
    return -value;
  }
  if (value > U128_MAX) {
    diags.error(where, `integer literal \`${word}\` does not fit in 128 bits (expected at most 2^128-1)`);
    return ZERO;
  }
  return value;
}
