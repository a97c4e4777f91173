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
// reads them and calls `next()`. Scanning reads a byte copy of the source
// (`SourceBytes`: one byte per UTF-16 code unit, non-ASCII units all 0x80),
// because a typed-array read is much cheaper than `charCodeAt`, which checks
// the string's representation at every call. Offsets are the same in both,
// so token positions index the string as before. Words are classified from
// those bytes, and a word's hash is computed during the same scan, so table
// lookups by spelling (opcodes, types) slice no string. Comments are most of
// a typical filetest's text: they are skipped with a native `indexOf` and
// either handed to a callback as text, or (the parser's way) only logged as
// source offsets (in a `WordList`), so a comment nobody reads costs no
// string. `next()` itself takes the way from one instruction line to the
// next (a line break and indentation); `nextPast` lets the parser step
// over a `=` or `,` it would only check, without making a token of it.
//
// A lexer may cover a range of its source (`range`): the run-command parser
// lexes a comment's body in place instead of copying it out.
//
// Invariants: `line`/`col` are 1-based and count UTF-16 code units; a token
// never spans a comment; after EOF, `next()` keeps returning EOF; the byte
// copy has the source's length plus a 0 sentinel, and agrees with the source
// on every ASCII code unit.

import type { Type } from '@clift/ir';
import { parseType } from '@clift/ir';
import * as ir from '@clift/ir';
import { ParseError } from './errors.js';

// Imported bindings are live, so V8 reads them afresh at every use; the
// values used on hot paths are copied into module constants, which it
// folds into the compiled code.
const { F128, F16, F32, F64, I128, I16, I32, I64, I8, INVALID } = ir;

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

/**
 * A growable list of u32 words in a typed array (comment offsets, and the
 * parser's operand scratch). A push is a typed-array store: a plain object
 * or array used as a list takes keyed stores, which go polymorphic across
 * lists whose elements differ in kind (small integers, doubles).
 */
export class WordList {
  data: Uint32Array;
  length = 0;
  /** An empty list with room for `capacity` words. */
  constructor(capacity = 16) {
    this.data = new Uint32Array(Math.max(capacity, 4));
  }
  push(v: number): void {
    const n = this.length;
    if (n === this.data.length) this.grow(n + 1);
    this.data[n] = v;
    this.length = n + 1;
  }
  push3(v: number, w: number, x: number): void {
    const n = this.length;
    if (n + 3 > this.data.length) this.grow(n + 3);
    const d = this.data;
    d[n] = v;
    d[n + 1] = w;
    d[n + 2] = x;
    this.length = n + 3;
  }
  private grow(need: number): void {
    const next = new Uint32Array(Math.max(need, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}

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

/** Character classes by source byte (non-ASCII units, all 0x80, have none). */
const CH_DIGIT = 1;
const CH_ALPHA = 2;
const CH_IDENT = 4; // letters, digits and `_`: the tail of a word
const CH_HEX = 8;
const CH_SPACE = 16; // space, tab, CR (LF is counted separately)
const CHAR_CLASS = ((): Uint8Array => {
  const t = new Uint8Array(256);
  for (let c = C_0; c <= C_9; c++) t[c] = CH_DIGIT | CH_IDENT | CH_HEX;
  for (let c = 65; c <= 90; c++) t[c] = CH_ALPHA | CH_IDENT | (c <= 70 ? CH_HEX : 0);
  for (let c = 97; c <= 122; c++) t[c] = CH_ALPHA | CH_IDENT | (c <= 102 ? CH_HEX : 0);
  t[C_UNDERSCORE] = CH_IDENT;
  t[C_SPACE] = t[C_TAB] = t[C_CR] = CH_SPACE;
  return t;
})();

/** The token of each one-character token's byte; 0 for the rest. */
const SINGLE_TOKEN = ((): Uint8Array => {
  const t = new Uint8Array(256);
  t[C_LPAR] = Tok.LPar;
  t[C_RPAR] = Tok.RPar;
  t[C_LBRACE] = Tok.LBrace;
  t[C_RBRACE] = Tok.RBrace;
  t[C_LBRACKET] = Tok.LBracket;
  t[C_RBRACKET] = Tok.RBracket;
  t[C_COMMA] = Tok.Comma;
  t[C_DOT] = Tok.Dot;
  t[C_COLON] = Tok.Colon;
  t[C_EQ] = Tok.Equal;
  t[C_BANG] = Tok.Bang;
  t[C_STAR] = Tok.Star;
  t[C_LT] = Tok.Lt;
  t[C_GT] = Tok.Gt;
  return t;
})();

function isDigit(c: number): boolean {
  return c >= C_0 && c <= C_9;
}
function isHex(c: number): boolean {
  return (CHAR_CLASS[c] & CH_HEX) !== 0;
}

/** Stands for every non-ASCII code unit in a source's byte copy. */
const NON_ASCII = 0x80;
/** The part of the (WHATWG) TextEncoder used here; ES2022 does not declare it. */
interface Utf8Encoder {
  encodeInto(src: string, dest: Uint8Array): { read: number; written: number };
}
/** The runtime's TextEncoder when it has one (every mainstream runtime does); else the byte copy is made a unit at a time. */
const encoder: Utf8Encoder | undefined = ((): Utf8Encoder | undefined => {
  const ctor = (globalThis as { TextEncoder?: new () => Utf8Encoder }).TextEncoder;
  return ctor === undefined ? undefined : new ctor();
})();

/**
 * Writes the byte copy of `src` (see the header) into `into` when it is
 * long enough (at least `src.length + 1`), else into a new array; returns
 * the array used.
 */
export function sourceBytes(src: string, into?: Uint8Array): Uint8Array {
  const n = src.length;
  const out = into !== undefined && into.length > n ? into : new Uint8Array(n + 1);
  // ASCII text encodes to the same units; anything else makes `written`
  // (UTF-8 bytes) differ from `read` (UTF-16 units), or stops short.
  const r = encoder?.encodeInto(src, out.subarray(0, n));
  if (r === undefined || r.read !== n || r.written !== n) {
    for (let i = 0; i < n; i++) {
      const c = src.charCodeAt(i);
      out[i] = c < NON_ASCII ? c : NON_ASCII;
    }
  }
  out[n] = 0;
  return out;
}

/** The byte-copy scratch of the parsers: one parse runs at a time, and a parse's lexer is done when it returns. */
let sharedBytes = new Uint8Array(1 << 16);
/** Counts `sharedSourceBytes` calls: a holder of the scratch checks it is still the latest. */
let sharedBytesEpoch = 0;
/** `src`'s byte copy in the shared scratch, valid until the next call (see `sharedBytesEpochNow`). */
export function sharedSourceBytes(src: string): Uint8Array {
  if (sharedBytes.length <= src.length) sharedBytes = new Uint8Array(Math.max(src.length + 1, sharedBytes.length * 2));
  sharedBytesEpoch++;
  return sourceBytes(src, sharedBytes);
}
/** The epoch of the latest `sharedSourceBytes` call: a copy made at another epoch may be overwritten. */
export function sharedBytesEpochNow(): number {
  return sharedBytesEpoch;
}

/**
 * Values looked up by a word of the source without slicing it out: keyed
 * by a hash of the word's chars, each entry keeps its spelling, compared in
 * place. A hash collision just replaces the entry (the caller falls back to
 * its slow path on a miss), so this is only ever a cache.
 */
const WORD_CACHE_SLOTS = 1024;
/** Longest word cached (opcodes and types are far shorter). */
const WORD_CACHE_MAX = 32;

export class WordCache<T> {
  // Direct-mapped on the hash's low bits: one typed-array read and an
  // in-place byte compare per lookup, no Map, no entry object, no string.
  private readonly hashes = new Int32Array(WORD_CACHE_SLOTS);
  /** Each slot's spelling (WORD_CACHE_MAX bytes per slot) and its length (0: empty). */
  private readonly spellings = new Uint8Array(WORD_CACHE_SLOTS * WORD_CACHE_MAX);
  private readonly lengths = new Uint8Array(WORD_CACHE_SLOTS);
  private readonly values: (T | undefined)[] = new Array<T | undefined>(WORD_CACHE_SLOTS).fill(undefined);
  /** The value cached for the word `bytes[start, end)`, whose hash is `h`; undefined on a miss. */
  get(bytes: Uint8Array, start: number, end: number, h: number): T | undefined {
    const i = (h ^ (h >>> 10)) & (WORD_CACHE_SLOTS - 1);
    const len = end - start;
    if (this.hashes[i] !== h || this.lengths[i] !== len) return undefined;
    const sp = this.spellings;
    const o = i * WORD_CACHE_MAX - start;
    for (let k = start; k < end; k++) if (sp[o + k] !== bytes[k]) return undefined;
    return this.values[i];
  }
  /** Caches `value` for the word `bytes[start, end)` (ASCII), whose hash is `h`; longer words are not cached. */
  set(bytes: Uint8Array, start: number, end: number, h: number, value: T): void {
    const len = end - start;
    if (len === 0 || len > WORD_CACHE_MAX) return;
    const i = (h ^ (h >>> 10)) & (WORD_CACHE_SLOTS - 1);
    this.hashes[i] = h;
    this.lengths[i] = len;
    this.spellings.set(bytes.subarray(start, end), i * WORD_CACHE_MAX);
    this.values[i] = value;
  }
}
/** Type spellings seen so far (null: not a type); types repeat constantly, the regex runs once per spelling. */
const TYPE_CACHE = new WordCache<Type | null>();

/**
 * The scalar types by width: `i<bits>` is INT_BY_BITS[bits] and
 * `f<bits>` FLOAT_BY_BITS[bits], when not 0 (INVALID).
 */
const INT_BY_BITS = new Uint8Array(129);
const FLOAT_BY_BITS = new Uint8Array(129);
INT_BY_BITS[8] = I8;
INT_BY_BITS[16] = I16;
INT_BY_BITS[32] = I32;
INT_BY_BITS[64] = I64;
INT_BY_BITS[128] = I128;
FLOAT_BY_BITS[16] = F16;
FLOAT_BY_BITS[32] = F32;
FLOAT_BY_BITS[64] = F64;
FLOAT_BY_BITS[128] = F128;

/** The scalar type spelled by letter `c` (`i`/`f`) and width `bits`; INVALID (0) if none. */
function scalarType(c: number, bits: number): Type {
  if (bits > 128) return INVALID;
  if (c === 105 /* i */) return INT_BY_BITS[bits] as Type;
  return (c === 102 /* f */ ? FLOAT_BY_BITS[bits] : INVALID) as Type;
}

export class Lexer {
  readonly src: string;
  /** The source's byte copy (see the header). */
  readonly bytes: Uint8Array;
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** End of the lexed range (the source's length unless a range was given). */
  private limit: number;
  /**
   * When set (and no callback is given), each comment's start offset (its
   * `;`) is appended; nothing else is recorded and no string is made (the
   * comment runs to the end of its line, and its line number can be
   * counted when someone asks).
   */
  commentLog: WordList | undefined = undefined;

  /** Current token. */
  kind: Tok = Tok.EOF;
  start = 0;
  end = 0;
  /** Entity number for entity tokens, the Type for `Type`. */
  num = 0;
  /** For identifiers: the word's hash, as `Lexer.word` computes it (the key of a WordCache lookup). */
  hash = 0;
  tokLine = 1;
  tokCol = 1;

  constructor(
    src: string,
    readonly filename: string,
    private readonly onComment: CommentSink | undefined,
    firstLine = 1,
    range?: { start: number; end: number; lineStart: number },
    /** `src`'s byte copy when the caller has made it (`sourceBytes`). */
    bytes?: Uint8Array,
  ) {
    this.src = src;
    this.bytes = bytes ?? sourceBytes(src);
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
  /** True when the current token is the identifier `word` (ASCII). */
  isIdent(word: string): boolean {
    const start = this.start;
    if (this.kind !== Tok.Identifier || this.end - start !== word.length) return false;
    const b = this.bytes;
    for (let i = 0; i < word.length; i++) if (b[start + i] !== word.charCodeAt(i)) return false;
    return true;
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
   * Skips the rest of the current line from the current position (which
   * must be just after the current token) and returns where it ends (the
   * next LF or the end of the range). Used for `test`, `set` and `target`
   * lines, which are not tokenized.
   */
  skipRestOfLine(): number {
    const b = this.bytes;
    let p = this.end;
    while (p < this.limit && b[p] !== C_LF) p++;
    this.pos = p;
    return p;
  }

  /** Advances to the next token. */
  next(): Tok {
    // The common case: spaces, at most one line break and the next line's
    // indentation (the way from one instruction to the next), then a word
    // or a one-character token. Comments, blank lines, tabs, CRs, the end
    // of the range and everything else take `slowNext`.
    const b = this.bytes;
    let p = this.pos;
    let c = b[p];
    while (c === C_SPACE) c = b[++p];
    if (c === C_LF && p < this.limit) {
      this.line++;
      this.lineStart = p + 1;
      c = b[++p];
      while (c === C_SPACE) c = b[++p];
    }
    if (p < this.limit) {
      const k = CHAR_CLASS[c];
      if ((k & CH_ALPHA) !== 0) {
        this.tokLine = this.line;
        this.tokCol = p - this.lineStart + 1;
        this.start = p;
        return this.word(p);
      }
      const t = SINGLE_TOKEN[c];
      if (t !== 0) {
        this.tokLine = this.line;
        this.tokCol = p - this.lineStart + 1;
        this.start = p;
        this.pos = this.end = p + 1;
        return (this.kind = t as Tok);
      }
    }
    return this.slowNext(p);
  }

  /**
   * `next()`, stepping first over the one-character token `c` when it is
   * the next thing on this line (the parser's `=` after results and `,`
   * between operands, which it would only check and skip): returns whether
   * it did. Either way the current token is then the one `next()` gives.
   */
  nextPast(c: number): boolean {
    const b = this.bytes;
    let p = this.pos;
    while (b[p] === C_SPACE) p++;
    const found = b[p] === c && p < this.limit;
    this.pos = found ? p + 1 : p;
    this.next();
    return found;
  }

  /** `next` from `p` for everything but its common case. */
  private slowNext(p: number): Tok {
    const b = this.bytes;
    const n = this.limit;
    let c: number;
    for (;;) {
      if (p >= n) {
        // `next` may have skipped spaces past the end of a range.
        p = n;
        this.pos = p;
        this.start = this.end = p;
        this.tokLine = this.line;
        this.tokCol = p - this.lineStart + 1;
        return (this.kind = Tok.EOF);
      }
      c = b[p];
      if (c > C_SPACE) {
        if (c !== C_SEMI) break;
        const cb = p;
        // Comments are most of the text of a typical filetest: find the end
        // of the line natively rather than a character at a time.
        const lf = this.src.indexOf('\n', p);
        p = lf < 0 || lf > n ? n : lf;
        if (this.onComment !== undefined) {
          let e = p;
          if (e > cb && b[e - 1] === C_CR) e--;
          this.onComment(this.src.slice(cb, e), this.line, cb - this.lineStart + 1);
        } else if (this.commentLog !== undefined) {
          this.commentLog.push(cb);
        }
        continue;
      }
      if (c === C_LF) {
        this.line++;
        this.lineStart = p + 1;
      } else if (c !== C_SPACE && c !== C_TAB && c !== C_CR) {
        break;
      }
      p++;
    }
    this.tokLine = this.line;
    this.tokCol = p - this.lineStart + 1;
    this.start = p;
    if ((CHAR_CLASS[c] & CH_ALPHA) !== 0) return this.word(p);
    const t = SINGLE_TOKEN[c];
    if (t !== 0) {
      this.pos = this.end = p + 1;
      return (this.kind = t as Tok);
    }
    switch (c) {
      case C_MINUS:
        if (b[p + 1] === C_GT) {
          this.pos = this.end = p + 2;
          return (this.kind = Tok.Arrow);
        }
        return this.number(p);
      case C_PLUS:
        return this.number(p);
      case C_PERCENT: {
        let q = p + 1;
        while (q < n && (CHAR_CLASS[b[q]] & CH_IDENT) !== 0) q++;
        this.start = p + 1;
        this.pos = this.end = q;
        return (this.kind = Tok.Name);
      }
      case C_QUOTE: {
        let q = p + 1;
        while (q < n && b[q] !== C_QUOTE) {
          if (b[q] === C_LF) throw this.error('unterminated string: expected \'"\' before the end of the line');
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
        while (q < n && isHex(b[q])) q++;
        if (q === p + 1) return this.single(p, Tok.At);
        this.start = p + 1;
        this.pos = this.end = q;
        return (this.kind = Tok.SourceLoc);
      }
      default:
        if (isDigit(c)) return this.number(p);
        if (c === C_UNDERSCORE) return this.word(p);
        throw this.error(`invalid character '${String.fromCodePoint(this.src.codePointAt(p) ?? c)}'`);
    }
  }

  private single(p: number, k: Tok): Tok {
    this.pos = this.end = p + 1;
    return (this.kind = k);
  }

  private lookingAtNumeric(p: number): boolean {
    const b = this.bytes;
    const c = b[p];
    if (isDigit(c) || c === C_MINUS || c === C_PLUS || c === C_DOT) return true;
    if (c !== 78 /* N */ && c !== 73 /* I */ && c !== 115 /* s */) return false;
    const s = this.src;
    return s.startsWith('NaN', p) || s.startsWith('Inf', p) || s.startsWith('sNaN', p);
  }

  /**
   * Numbers, as upstream scans them: an optional sign, then a run of
   * alphanumerics, `_`, `-` and `.`. A `.`, `NaN` or `Inf` makes it a float.
   * A lone sign is the `-`/`+` token.
   */
  private number(p: number): Tok {
    const s = this.src;
    const b = this.bytes;
    const n = this.limit;
    let q = p;
    let isFloat = false;
    const c = b[q];
    if (c === C_MINUS || c === C_PLUS) {
      q++;
      if (q >= n || !this.lookingAtNumeric(q)) {
        this.pos = this.end = q;
        return (this.kind = c === C_MINUS ? Tok.Minus : Tok.Plus);
      }
    }
    const c1 = b[q];
    if (c1 === 78 /* N */ || c1 === 115 /* s */ || c1 === 73 /* I */) {
      if (s.startsWith('NaN:', q) || s.startsWith('sNaN:', q)) {
        q = s.indexOf(':', q) + 1;
        isFloat = true;
      } else if (s.startsWith('NaN', q) || s.startsWith('Inf', q)) {
        isFloat = true;
      }
    }
    while (q < n) {
      const d = b[q];
      if (d === C_DOT) isFloat = true;
      else if ((CHAR_CLASS[d] & CH_IDENT) === 0 && d !== C_MINUS) break;
      q++;
    }
    this.pos = this.end = q;
    return (this.kind = isFloat ? Tok.Float : Tok.Integer);
  }

  private word(p: number): Tok {
    const b = this.bytes;
    const n = this.limit;
    const c = b[p];
    // Values (`v12`) and scalar types (`i32`, `f64`) are most words: a
    // letter, then decimal digits only. Read those directly; anything else
    // (a longer word, a leading zero, a non-type width) takes the general
    // scan below, which would give the same token.
    if (c === 118 /* v */ || c === 105 /* i */ || c === 102 /* f */) {
      let q = p + 1;
      let d = b[q];
      // (Digits compared inline: this is the lexer's hottest path.)
      if (q < n && d >= C_0 && d <= C_9 && (d !== C_0 || q + 1 >= n || b[q + 1] < C_0 || b[q + 1] > C_9)) {
        let v = 0;
        do {
          v = v * 10 + (d - C_0);
          d = b[++q];
        } while (q < n && d >= C_0 && d <= C_9);
        // At most 10 digits, as the general scan allows.
        if ((q >= n || (CHAR_CLASS[d] & CH_IDENT) === 0) && q - p <= 11) {
          if (c === 118) {
            if (v > 0xfffffffe) return this.wordGeneral(p);
            this.pos = this.end = q;
            this.num = v;
            return (this.kind = Tok.Value);
          }
          const t = scalarType(c, v);
          if (t !== INVALID) {
            this.pos = this.end = q;
            this.num = t;
            return (this.kind = Tok.Type);
          }
        }
      }
    }
    return this.wordGeneral(p);
  }

  private wordGeneral(p: number): Tok {
    const b = this.bytes;
    const n = this.limit;
    const c = b[p];
    // Unsigned float specials lex as numbers, as after a sign.
    if (c === 78 /* N */ ? b[p + 1] === 97 && b[p + 2] === 78 : c === 73 /* I */ ? b[p + 1] === 110 && b[p + 2] === 102 : c === 115 /* s */ && b[p + 1] === 78 && b[p + 2] === 97 && b[p + 3] === 78) {
      return this.number(p);
    }
    // One scan: `ds` ends up at the start of the trailing run of decimal
    // digits (`block12` → `block` + 12), `v` is that run's value, `h` the
    // word's hash: h = c0, then h = h * 31 + c for each further char (32-bit).
    let q = p + 1;
    let ds = q;
    let v = 0;
    let h = c;
    while (q < n) {
      const d = b[q];
      const k = CHAR_CLASS[d];
      if ((k & CH_DIGIT) !== 0) {
        v = v * 10 + (d - C_0);
      } else if ((k & CH_IDENT) !== 0) {
        ds = q + 1;
        v = 0;
      } else {
        break;
      }
      h = (Math.imul(h, 31) + d) | 0;
      q++;
    }
    this.pos = this.end = q;
    const digits = q - ds;
    if (digits > 0 && (digits === 1 || b[ds] !== C_0) && digits <= 10) {
      if (ds === p + 1) {
        // `i32`, `f64`, …: the scalar types, without the type cache.
        const t = scalarType(c, v);
        if (t !== INVALID) {
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
    if ((c === 105 /* i */ || c === 102) /* f */ && q - p >= 2 && isDigit(b[p + 1])) {
      let t = TYPE_CACHE.get(b, p, q, h);
      if (t === undefined) {
        t = parseType(this.src.slice(p, q)) ?? null;
        TYPE_CACHE.set(b, p, q, h, t);
      }
      if (t !== null) {
        this.num = t;
        return (this.kind = Tok.Type);
      }
    }
    this.hash = h;
    return (this.kind = Tok.Identifier);
  }

  /** The entity token for a prefix, or EOF when the prefix names none. */
  private entityKind(p: number, len: number): Tok {
    const s = this.src;
    const b = this.bytes;
    switch (b[p]) {
      case 118: // v
        return len === 1 ? Tok.Value : Tok.EOF;
      case 98: // b: `block`, compared in place (the commonest prefix after `v`)
        return len === 5 &&
          b[p + 1] === 108 &&
          b[p + 2] === 111 &&
          b[p + 3] === 99 &&
          b[p + 4] === 107
          ? Tok.Block
          : Tok.EOF;
      case 115: // s
        if (len === 2 && b[p + 1] === 115) return Tok.StackSlot;
        if (len === 3 && s.startsWith('sig', p)) return Tok.SigRef;
        return Tok.EOF;
      case 100: // d
        if (len === 3 && s.startsWith('dss', p)) return Tok.DynamicStackSlot;
        if (len === 2 && b[p + 1] === 116) return Tok.DynamicType;
        return Tok.EOF;
      case 103: // g
        return len === 2 && b[p + 1] === 118 ? Tok.GlobalValue : Tok.EOF;
      case 106: // j
        return len === 2 && b[p + 1] === 116 ? Tok.JumpTable : Tok.EOF;
      case 99: // c
        return len === 5 && s.startsWith('const', p) ? Tok.Constant : Tok.EOF;
      case 102: // f
        return len === 2 && b[p + 1] === 110 ? Tok.FuncRef : Tok.EOF;
      case 109: // m
        return len === 2 && b[p + 1] === 116 ? Tok.MemoryType : Tok.EOF;
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
