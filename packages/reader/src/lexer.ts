// The CLIF lexer: turns source text into tokens, one at a time, straight
// from char codes.
//
// Owns: token kinds, the spelling of numbered entities (`v3`, `block7`,
// `ss0`, …), types (`i32x4`, `i32x4xN`), numbers (integers and floats as raw
// text, decoded later by context), names (`%foo`), strings, source locations
// (`@00c7`) and comments.
//
// Design for speed: the lexer keeps the current token in fields (kind, start,
// end, number, line, column) instead of allocating a token object; the parser
// reads them and calls `next()`. Words are classified from char codes; only
// identifiers and types cost a substring. Comments are most of a typical
// filetest's text: they are either handed to a callback as text, or (the
// parser's way) only logged as source offsets, so a comment nobody reads
// costs no string.
//
// A lexer may cover a range of its source (`range`): the run-command parser
// lexes a comment's body in place instead of copying it out.
//
// Invariants: `line`/`col` are 1-based and count UTF-16 code units; a token
// never spans a comment; after EOF, `next()` keeps returning EOF.

import type { Type } from '@clift/ir';
import { F128, F16, F32, F64, I128, I16, I32, I64, I8, parseType } from '@clift/ir';
import { ParseError } from './errors.js';

export const Tok = {
  EOF: 0,
  LPar: 1,
  RPar: 2,
  LBrace: 3,
  RBrace: 4,
  LBracket: 5,
  RBracket: 6,
  Minus: 7,
  Plus: 8,
  Star: 9,
  Comma: 10,
  Dot: 11,
  Colon: 12,
  Equal: 13,
  Bang: 14,
  Arrow: 15,
  Lt: 16,
  Gt: 17,
  At: 18,
  Float: 19,
  Integer: 20,
  Type: 21,
  Value: 22,
  Block: 23,
  StackSlot: 24,
  DynamicStackSlot: 25,
  GlobalValue: 26,
  DynamicType: 27,
  JumpTable: 28,
  Constant: 29,
  FuncRef: 30,
  SigRef: 31,
  MemoryType: 32,
  UserRef: 33,
  UserNameRef: 34,
  TryCallRet: 35,
  TryCallExn: 36,
  Tag: 37,
  Region: 38,
  Name: 39,
  String: 40,
  Identifier: 41,
  SourceLoc: 42,
} as const;
export type Tok = (typeof Tok)[keyof typeof Tok];

const TOKEN_NAMES: readonly string[] = [
  'end of file', "'('", "')'", "'{'", "'}'", "'['", "']'", "'-'", "'+'", "'*'", "','", "'.'", "':'", "'='",
  "'!'", "'->'", "'<'", "'>'", "'@'", 'float', 'integer', 'type', 'value', 'block', 'stack slot',
  'dynamic stack slot', 'global value', 'dynamic type', 'jump table', 'constant', 'function reference',
  'signature reference', 'memory type', 'user name', 'user name reference', 'try_call return',
  'exception payload', 'exception tag', 'alias region', 'name', 'string', 'identifier', 'source location',
];

/** A readable name for a token kind, for "expected …" messages. */
export function tokName(k: Tok): string {
  return TOKEN_NAMES[k] ?? 'token';
}

/** Receives each comment: its text (from the first `;`), line and column. */
export type CommentSink = (text: string, line: number, column: number) => void;

const C_TAB = 9;
const C_LF = 10;
const C_CR = 13;
const C_SPACE = 32;
const C_BANG = 33;
const C_QUOTE = 34;
const C_PERCENT = 37;
const C_LPAR = 40;
const C_RPAR = 41;
const C_STAR = 42;
const C_PLUS = 43;
const C_COMMA = 44;
const C_MINUS = 45;
const C_DOT = 46;
const C_0 = 48;
const C_9 = 57;
const C_COLON = 58;
const C_SEMI = 59;
const C_LT = 60;
const C_EQ = 61;
const C_GT = 62;
const C_AT = 64;
const C_LBRACKET = 91;
const C_RBRACKET = 93;
const C_UNDERSCORE = 95;
const C_LBRACE = 123;
const C_RBRACE = 125;

/** Character classes, one byte per UTF-16 code unit (non-ASCII units have none). */
const CH_DIGIT = 1;
const CH_ALPHA = 2;
const CH_IDENT = 4; // letters, digits and `_`: the tail of a word
const CH_HEX = 8;
const CH_SPACE = 16; // space, tab, CR (LF is counted separately)
const CHAR_CLASS = ((): Uint8Array => {
  const t = new Uint8Array(65536);
  for (let c = C_0; c <= C_9; c++) t[c] = CH_DIGIT | CH_IDENT | CH_HEX;
  for (let c = 65; c <= 90; c++) t[c] = CH_ALPHA | CH_IDENT | (c <= 70 ? CH_HEX : 0);
  for (let c = 97; c <= 122; c++) t[c] = CH_ALPHA | CH_IDENT | (c <= 102 ? CH_HEX : 0);
  t[C_UNDERSCORE] = CH_IDENT;
  t[C_SPACE] = t[C_TAB] = t[C_CR] = CH_SPACE;
  return t;
})();

function isDigit(c: number): boolean {
  return c >= C_0 && c <= C_9;
}
function isHex(c: number): boolean {
  return (CHAR_CLASS[c] & CH_HEX) !== 0;
}

/**
 * Values looked up by a word of the source without slicing it out: keyed
 * by a hash of the word's chars, each entry keeps its spelling, compared in
 * place. A hash collision just replaces the entry (the caller falls back to
 * its slow path on a miss), so this is only ever a cache.
 */
const WORD_CACHE_SLOTS = 1024;

export class WordCache<T> {
  // Direct-mapped on the hash's low bits: one typed-array read and one
  // in-place compare per lookup, no Map and no entry object.
  private readonly hashes = new Int32Array(WORD_CACHE_SLOTS);
  private readonly texts: (string | undefined)[] = new Array<string | undefined>(WORD_CACHE_SLOTS).fill(undefined);
  private readonly values: (T | undefined)[] = new Array<T | undefined>(WORD_CACHE_SLOTS).fill(undefined);
  static hash(s: string, start: number, end: number): number {
    let h = end - start;
    for (let i = start; i < end; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    return h;
  }
  /** The value cached for `s[start, end)`, whose hash is `h`; undefined on a miss. */
  get(s: string, start: number, end: number, h: number): T | undefined {
    const i = (h ^ (h >>> 10)) & (WORD_CACHE_SLOTS - 1);
    if (this.hashes[i] !== h) return undefined;
    const text = this.texts[i];
    if (text === undefined || text.length !== end - start || !s.startsWith(text, start)) return undefined;
    return this.values[i];
  }
  set(h: number, text: string, value: T): void {
    const i = (h ^ (h >>> 10)) & (WORD_CACHE_SLOTS - 1);
    this.hashes[i] = h;
    this.texts[i] = text;
    this.values[i] = value;
  }
}
/** Type spellings seen so far (null: not a type); types repeat constantly, the regex runs once per spelling. */
const TYPE_CACHE = new WordCache<Type | null>();

/** The scalar type spelled by letter `c` (`i`/`f`) and width `bits`, if any. */
function scalarType(c: number, bits: number): Type | undefined {
  if (c === 105 /* i */) {
    switch (bits) {
      case 8: return I8;
      case 16: return I16;
      case 32: return I32;
      case 64: return I64;
      case 128: return I128;
    }
  } else if (c === 102 /* f */) {
    switch (bits) {
      case 16: return F16;
      case 32: return F32;
      case 64: return F64;
      case 128: return F128;
    }
  }
  return undefined;
}

/** Words of a comment log record: start, end (CR excluded), line. */
export const COMMENT_RECORD = 3;

export class Lexer {
  readonly src: string;
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** End of the lexed range (the source's length unless a range was given). */
  private limit: number;
  /**
   * When set (and no callback is given), each comment is appended as a
   * record of COMMENT_RECORD numbers: start, end, line. No string is made.
   */
  commentLog: number[] | undefined = undefined;

  /** Current token. */
  kind: Tok = Tok.EOF;
  start = 0;
  end = 0;
  /** Entity number for entity tokens, the Type for `Type`. */
  num = 0;
  tokLine = 1;
  tokCol = 1;

  constructor(
    src: string,
    readonly filename: string,
    private readonly onComment: CommentSink | undefined,
    firstLine = 1,
    range?: { start: number; end: number; lineStart: number },
  ) {
    this.src = src;
    this.line = firstLine;
    this.limit = src.length;
    if (range !== undefined) {
      // Columns count from `lineStart`, which may precede `start`.
      this.pos = range.start;
      this.limit = range.end;
      this.lineStart = range.lineStart;
    }
  }

  /** Restarts on `src[start, end)`, line `line`, columns counting from `lineStart`. */
  reset(start: number, end: number, lineStart: number, line: number): void {
    this.pos = start;
    this.limit = end;
    this.lineStart = lineStart;
    this.line = line;
    this.kind = Tok.EOF;
    this.start = this.end = start;
  }

  /** Kind of the current token (a call, so control-flow narrowing never goes stale across `next()`). */
  tok(): Tok {
    return this.kind;
  }
  /** Text of the current token (for names and strings, without the sigil/quotes). */
  text(): string {
    return this.src.slice(this.start, this.end);
  }
  isIdent(word: string): boolean {
    if (this.kind !== Tok.Identifier || this.end - this.start !== word.length) return false;
    return this.src.startsWith(word, this.start);
  }
  error(detail: string, line = this.tokLine, col = this.tokCol): ParseError {
    return new ParseError(this.filename, line, col, detail);
  }
  /** How the current token reads in an error message: `'v3'`, `end of file`. */
  describe(): string {
    if (this.kind === Tok.EOF) return 'end of file';
    if (this.kind === Tok.Name) return `'%${this.text()}'`;
    if (this.kind === Tok.String) return `"${this.text()}"`;
    if (this.kind === Tok.SourceLoc) return `'@${this.text()}'`;
    return `'${this.text()}'`;
  }

  /**
   * Returns the rest of the current line from the current position (which
   * must be just after the current token) and moves to the next line. Used
   * for `test`, `set` and `target` lines, which are not tokenized.
   */
  restOfLine(): string {
    const s = this.src;
    const begin = this.end;
    let p = begin;
    while (p < this.limit && s.charCodeAt(p) !== C_LF) p++;
    this.pos = p;
    return s.slice(begin, p);
  }

  /** Advances to the next token. */
  next(): Tok {
    const s = this.src;
    const n = this.limit;
    let p = this.pos;
    // Line bookkeeping in locals while skipping; written back once.
    let line = this.line;
    let lineStart = this.lineStart;
    let c: number;
    for (;;) {
      if (p >= n) {
        this.line = line;
        this.lineStart = lineStart;
        this.pos = p;
        this.start = this.end = p;
        this.tokLine = line;
        this.tokCol = p - lineStart + 1;
        return (this.kind = Tok.EOF);
      }
      c = s.charCodeAt(p);
      if (c > C_SPACE) {
        if (c !== C_SEMI) break;
        const b = p;
        // Comments are most of the text of a typical filetest: find the end
        // of the line natively rather than a character at a time.
        const lf = s.indexOf('\n', p);
        p = lf < 0 || lf > n ? n : lf;
        let e = p;
        if (e > b && s.charCodeAt(e - 1) === C_CR) e--;
        if (this.onComment !== undefined) this.onComment(s.slice(b, e), line, b - lineStart + 1);
        else if (this.commentLog !== undefined) this.commentLog.push(b, e, line);
        continue;
      }
      if (c === C_LF) {
        line++;
        lineStart = p + 1;
      } else if (c !== C_SPACE && c !== C_TAB && c !== C_CR) {
        break;
      }
      p++;
    }
    this.line = line;
    this.lineStart = lineStart;
    this.tokLine = line;
    this.tokCol = p - lineStart + 1;
    this.start = p;
    // Words (opcodes, values, types, entities) are most tokens: test for
    // them before the switch over punctuation.
    if ((CHAR_CLASS[c] & CH_ALPHA) !== 0) {
      // Unsigned float specials lex as numbers, as after a sign.
      if ((c === 78 /* N */ || c === 73 /* I */ || c === 115) /* s */ && (s.startsWith('NaN', p) || s.startsWith('Inf', p) || s.startsWith('sNaN', p))) {
        return this.number(p);
      }
      return this.word(p);
    }
    switch (c) {
      case C_LPAR: return this.single(p, Tok.LPar);
      case C_RPAR: return this.single(p, Tok.RPar);
      case C_LBRACE: return this.single(p, Tok.LBrace);
      case C_RBRACE: return this.single(p, Tok.RBrace);
      case C_LBRACKET: return this.single(p, Tok.LBracket);
      case C_RBRACKET: return this.single(p, Tok.RBracket);
      case C_COMMA: return this.single(p, Tok.Comma);
      case C_DOT: return this.single(p, Tok.Dot);
      case C_COLON: return this.single(p, Tok.Colon);
      case C_EQ: return this.single(p, Tok.Equal);
      case C_BANG: return this.single(p, Tok.Bang);
      case C_STAR: return this.single(p, Tok.Star);
      case C_LT: return this.single(p, Tok.Lt);
      case C_GT: return this.single(p, Tok.Gt);
      case C_MINUS:
        if (s.charCodeAt(p + 1) === C_GT) {
          this.pos = this.end = p + 2;
          return (this.kind = Tok.Arrow);
        }
        return this.number(p);
      case C_PLUS:
        return this.number(p);
      case C_PERCENT: {
        let q = p + 1;
        while (q < n) {
          const d = s.charCodeAt(q);
          if ((CHAR_CLASS[d] & CH_IDENT) === 0) break;
          q++;
        }
        this.start = p + 1;
        this.pos = this.end = q;
        return (this.kind = Tok.Name);
      }
      case C_QUOTE: {
        let q = p + 1;
        while (q < n && s.charCodeAt(q) !== C_QUOTE) {
          if (s.charCodeAt(q) === C_LF) throw this.error('unterminated string: expected \'"\' before the end of the line');
          q++;
        }
        if (q >= n) throw this.error('unterminated string: expected \'"\' before the end of the file');
        this.start = p + 1;
        this.end = q;
        this.pos = q + 1;
        return (this.kind = Tok.String);
      }
      case C_AT: {
        let q = p + 1;
        while (q < n && isHex(s.charCodeAt(q))) q++;
        if (q === p + 1) return this.single(p, Tok.At);
        this.start = p + 1;
        this.pos = this.end = q;
        return (this.kind = Tok.SourceLoc);
      }
      default:
        if (isDigit(c)) return this.number(p);
        if (c === C_UNDERSCORE) return this.word(p);
        throw this.error(`invalid character '${String.fromCodePoint(s.codePointAt(p) ?? c)}'`);
    }
  }

  private single(p: number, k: Tok): Tok {
    this.pos = this.end = p + 1;
    return (this.kind = k);
  }

  private lookingAtNumeric(p: number): boolean {
    const s = this.src;
    const c = s.charCodeAt(p);
    if (isDigit(c) || c === C_MINUS || c === C_PLUS || c === C_DOT) return true;
    if (c !== 78 /* N */ && c !== 73 /* I */ && c !== 115 /* s */) return false;
    return s.startsWith('NaN', p) || s.startsWith('Inf', p) || s.startsWith('sNaN', p);
  }

  /**
   * Numbers, as upstream scans them: an optional sign, then a run of
   * alphanumerics, `_`, `-` and `.`. A `.`, `NaN` or `Inf` makes it a float.
   * A lone sign is the `-`/`+` token.
   */
  private number(p: number): Tok {
    const s = this.src;
    const n = this.limit;
    let q = p;
    let isFloat = false;
    const c = s.charCodeAt(q);
    if (c === C_MINUS || c === C_PLUS) {
      q++;
      if (q >= n || !this.lookingAtNumeric(q)) {
        this.pos = this.end = q;
        return (this.kind = c === C_MINUS ? Tok.Minus : Tok.Plus);
      }
    }
    const c1 = s.charCodeAt(q);
    if (c1 === 78 /* N */ || c1 === 115 /* s */ || c1 === 73 /* I */) {
      if (s.startsWith('NaN:', q) || s.startsWith('sNaN:', q)) {
        q = s.indexOf(':', q) + 1;
        isFloat = true;
      } else if (s.startsWith('NaN', q) || s.startsWith('Inf', q)) {
        isFloat = true;
      }
    }
    while (q < n) {
      const d = s.charCodeAt(q);
      if (d === C_DOT) isFloat = true;
      else if ((CHAR_CLASS[d] & CH_IDENT) === 0 && d !== C_MINUS) break;
      q++;
    }
    this.pos = this.end = q;
    return (this.kind = isFloat ? Tok.Float : Tok.Integer);
  }

  private word(p: number): Tok {
    const s = this.src;
    const n = this.limit;
    // One scan: `ds` ends up at the start of the trailing run of decimal
    // digits (`block12` → `block` + 12), `v` is that run's value.
    let q = p + 1;
    let ds = q;
    let v = 0;
    while (q < n) {
      const d = s.charCodeAt(q);
      const k = CHAR_CLASS[d];
      if ((k & CH_DIGIT) !== 0) {
        v = v * 10 + (d - C_0);
      } else if ((k & CH_IDENT) !== 0) {
        ds = q + 1;
        v = 0;
      } else {
        break;
      }
      q++;
    }
    this.pos = this.end = q;
    const digits = q - ds;
    if (digits > 0 && (digits === 1 || s.charCodeAt(ds) !== C_0) && digits <= 10) {
      if (ds === p + 1) {
        // `i32`, `f64`, …: the scalar types, without the type cache.
        const t = scalarType(s.charCodeAt(p), v);
        if (t !== undefined) {
          this.num = t;
          return (this.kind = Tok.Type);
        }
      }
      if (v <= 0xfffffffe) {
        const k = this.entityKind(p, ds - p);
        if (k !== Tok.EOF) {
          this.num = v;
          return (this.kind = k);
        }
      }
    }
    const c = s.charCodeAt(p);
    if ((c === 105 /* i */ || c === 102) /* f */ && q - p >= 2 && isDigit(s.charCodeAt(p + 1))) {
      const h = WordCache.hash(s, p, q);
      let t = TYPE_CACHE.get(s, p, q, h);
      if (t === undefined) {
        const text = s.slice(p, q);
        t = parseType(text) ?? null;
        TYPE_CACHE.set(h, text, t);
      }
      if (t !== null) {
        this.num = t;
        return (this.kind = Tok.Type);
      }
    }
    return (this.kind = Tok.Identifier);
  }

  /** The entity token for a prefix, or EOF when the prefix names none. */
  private entityKind(p: number, len: number): Tok {
    const s = this.src;
    switch (s.charCodeAt(p)) {
      case 118: // v
        return len === 1 ? Tok.Value : Tok.EOF;
      case 98: // b
        return len === 5 && s.startsWith('block', p) ? Tok.Block : Tok.EOF;
      case 115: // s
        if (len === 2 && s.charCodeAt(p + 1) === 115) return Tok.StackSlot;
        if (len === 3 && s.startsWith('sig', p)) return Tok.SigRef;
        return Tok.EOF;
      case 100: // d
        if (len === 3 && s.startsWith('dss', p)) return Tok.DynamicStackSlot;
        if (len === 2 && s.charCodeAt(p + 1) === 116) return Tok.DynamicType;
        return Tok.EOF;
      case 103: // g
        return len === 2 && s.charCodeAt(p + 1) === 118 ? Tok.GlobalValue : Tok.EOF;
      case 106: // j
        return len === 2 && s.charCodeAt(p + 1) === 116 ? Tok.JumpTable : Tok.EOF;
      case 99: // c
        return len === 5 && s.startsWith('const', p) ? Tok.Constant : Tok.EOF;
      case 102: // f
        return len === 2 && s.charCodeAt(p + 1) === 110 ? Tok.FuncRef : Tok.EOF;
      case 109: // m
        return len === 2 && s.charCodeAt(p + 1) === 116 ? Tok.MemoryType : Tok.EOF;
      case 117: // u
        if (len === 1) return Tok.UserRef;
        return len === 11 && s.startsWith('userextname', p) ? Tok.UserNameRef : Tok.EOF;
      case 114: // r
        if (len === 3 && s.startsWith('ret', p)) return Tok.TryCallRet;
        return len === 6 && s.startsWith('region', p) ? Tok.Region : Tok.EOF;
      case 101: // e
        return len === 3 && s.startsWith('exn', p) ? Tok.TryCallExn : Tok.EOF;
      case 116: // t
        return len === 3 && s.startsWith('tag', p) ? Tok.Tag : Tok.EOF;
      default:
        return Tok.EOF;
    }
  }
}
