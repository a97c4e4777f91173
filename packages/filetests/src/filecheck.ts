// FileCheck: matches a program's text output against directives written in
// comments (`check:`, `sameln:`, `nextln:`, `unordered:`, `not:`,
// `regex:`), with the semantics of Cranelift's `filecheck` crate.
//
// This module owns directive parsing, pattern-to-RegExp translation and
// the matching state machine. It does not know where directives come from
// (the subtests collect them from a function's comments).
//
// Invariants of a run:
// - `maxMatch` is the end of the furthest positive match so far (ordered or
//   unordered); `lastOrdered` the end of the last ordered one. `check:`
//   searches from `maxMatch`; `unordered:` and `not:` from `lastOrdered`,
//   or later when they use a variable defined further on.
// - Pending `not:` patterns are resolved (variables expanded) when they are
//   read, and checked once the next ordered match fixes the end of their
//   range, or against the rest of the text at the end.
// - Offsets are UTF-16 indices into the checked text.

/** The directive kinds, in the spelling used in comments. */
export type DirectiveKind = 'check' | 'sameln' | 'nextln' | 'unordered' | 'not' | 'regex';

/** A directive's position in its source, for messages. */
export interface DirectiveSource {
  /** 1-based line of the comment holding the directive, when known. */
  line?: number;
}

/** One piece of a pattern. */
export type PatternPart =
  | { kind: 'text'; text: string }
  | { kind: 'regex'; source: string }
  | { kind: 'var'; name: string }
  | { kind: 'def-regex'; name: string; source: string }
  | { kind: 'def-var'; name: string; ref: string };

export interface Pattern {
  readonly parts: readonly PatternPart[];
  /** Variables this pattern defines, in order. */
  readonly defs: readonly string[];
}

export interface Directive extends DirectiveSource {
  readonly kind: DirectiveKind;
  /** The directive as written after its keyword (pattern or `VAR=regex`). */
  readonly source: string;
  /** For every kind but `regex`. */
  readonly pattern?: Pattern;
  /** For `regex:` — the variable name and its regular expression. */
  readonly regexVar?: string;
  readonly regexSource?: string;
}

/** A malformed directive: bad `$` syntax, a bad `regex:` line, an invalid regular expression. */
export class FileCheckSyntaxError extends Error {
  constructor(
    readonly detail: string,
    readonly directiveText: string,
    readonly line: number | undefined,
  ) {
    super(`${line !== undefined ? `line ${line}: ` : ''}${detail} in \`${directiveText.trim()}\``);
    this.name = 'FileCheckSyntaxError';
  }
}

const DIRECTIVE_RE = /\b(check|sameln|nextln|unordered|not|regex):\s+(.*)/;
const NAME_CHAR = /[\p{L}\p{N}_]/u;
const ALNUM = /[\p{L}\p{N}]/u;

function varnamePrefix(s: string, from: number): number {
  let i = from;
  while (i < s.length && NAME_CHAR.test(s[i])) i++;
  return i - from;
}

/**
 * Length of a regular expression that ends at an unbalanced `)` or `}`,
 * skipping escapes, character classes and `{m,n}` counts.
 */
function regexPrefix(s: string, from: number): number {
  let escape = false;
  let state: 'normal' | 'curly' | 'cs-first' | 'cs-neg' | 'cs-body' = 'normal';
  let nest = 0;
  for (let i = from; i < s.length; i++) {
    const ch = s[i];
    if (escape) {
      escape = false;
      continue;
    }
    if (ch === '\\') {
      escape = true;
      continue;
    }
    switch (state) {
      case 'normal':
        if (ch === '[') state = 'cs-first';
        else if (ch === '{') state = 'curly';
        else if (ch === '(') nest++;
        else if (ch === ')' && nest > 0) nest--;
        else if (ch === ')' || ch === '}') return i - from;
        break;
      case 'curly':
        if (ch === '}') state = 'normal';
        break;
      case 'cs-first':
        state = ch === '^' ? 'cs-neg' : 'cs-body';
        break;
      case 'cs-neg':
        state = 'cs-body';
        break;
      case 'cs-body':
        if (ch === ']') state = 'normal';
        break;
    }
  }
  return s.length - from;
}

/** Parses a pattern (leading and trailing blanks are dropped; `$()` keeps them). */
export function parsePattern(raw: string): Pattern {
  const s = raw.trim();
  const parts: PatternPart[] = [];
  const defs: string[] = [];
  const addDef = (name: string): void => {
    if (defs.includes(name)) throw new Error(`duplicate definition of $${name} in same pattern`);
    defs.push(name);
  };
  let pos = 0;
  while (pos < s.length) {
    const dollar = s.indexOf('$', pos);
    if (dollar !== pos) {
      const end = dollar < 0 ? s.length : dollar;
      parts.push({ kind: 'text', text: s.slice(pos, end) });
      pos = end;
      continue;
    }
    if (s.startsWith('$$', pos)) {
      parts.push({ kind: 'text', text: '$' });
      pos += 2;
      continue;
    }
    const plain = varnamePrefix(s, pos + 1);
    if (plain > 0) {
      const name = s.slice(pos + 1, pos + 1 + plain);
      if (defs.includes(name)) throw new Error(`unsupported back-reference to '$${name}' defined in same pattern`);
      parts.push({ kind: 'var', name });
      pos += 1 + plain;
      continue;
    }
    if (!s.startsWith('$(', pos)) throw new Error('pattern syntax error, use $$ to match a single $');
    const nameLen = varnamePrefix(s, pos + 2);
    const name = s.slice(pos + 2, pos + 2 + nameLen);
    const after = pos + 2 + nameLen;
    const ch = s[after];
    if (ch === undefined) throw new Error(`unterminated $(${name}...`);
    if (ch === ')') {
      if (name === '') parts.push({ kind: 'text', text: '' });
      else {
        if (defs.includes(name)) throw new Error(`unsupported back-reference to '$${name}' defined in same pattern`);
        parts.push({ kind: 'var', name });
      }
      pos = after + 1;
      continue;
    }
    if (ch !== '=') throw new Error(`syntax error in $(${name}... '${ch}'`);
    if (name !== '') addDef(name);
    if (s[after + 1] === '$') {
      const refLen = varnamePrefix(s, after + 2);
      if (refLen === 0) throw new Error(`expected variable name in $(${name}=$...`);
      const ref = s.slice(after + 2, after + 2 + refLen);
      if (s[after + 2 + refLen] !== ')') throw new Error(`expected ')' after $(${name}=$${ref}...`);
      if (name === '') throw new Error(`expected variable name in $(=$${ref})`);
      parts.push({ kind: 'def-var', name, ref });
      pos = after + 3 + refLen;
      continue;
    }
    const rxLen = regexPrefix(s, after + 1);
    const rxEnd = after + 1 + rxLen;
    const source = s.slice(after + 1, rxEnd);
    if (s[rxEnd] !== ')') throw new Error(`missing ')' after regex in $(${name}=${source}`);
    parts.push(name === '' ? { kind: 'regex', source } : { kind: 'def-regex', name, source });
    pos = rxEnd + 1;
  }
  return { parts, defs };
}

/** Writes a pattern back in directive syntax. */
export function formatPattern(p: Pattern): string {
  return p.parts
    .map((part) => {
      switch (part.kind) {
        case 'text':
          return part.text === '' ? '$()' : part.text === '$' ? '$$' : part.text;
        case 'regex':
          return `$(=${part.source})`;
        case 'var':
          return `$(${part.name})`;
        case 'def-regex':
          return `$(${part.name}=${part.source})`;
        case 'def-var':
          return `$(${part.name}=$${part.ref})`;
      }
    })
    .join('');
}

function formatDirective(d: Directive): string {
  if (d.kind === 'regex') return `regex: ${d.regexVar}=${d.regexSource}`;
  return `${d.kind}: ${formatPattern(d.pattern!)}`;
}

function quote(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** Rust-regex spellings JavaScript lacks: `(?P<name>` named groups. */
function toJsRegex(src: string): string {
  return src.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
}

/** Parses one comment as a directive; undefined when it holds none. */
export function parseDirective(comment: string, line?: number): Directive | undefined {
  const m = DIRECTIVE_RE.exec(comment);
  if (!m) return undefined;
  const kind = m[1] as DirectiveKind;
  const rest = m[2];
  const loc = line !== undefined ? { line } : {};
  if (kind === 'regex') {
    const n = varnamePrefix(rest, 0);
    if (n === 0) throw new FileCheckSyntaxError(`invalid variable name in regex: ${rest}`, comment, line);
    const name = rest.slice(0, n);
    if (rest[n] !== '=') throw new FileCheckSyntaxError(`expected '=' after variable '${name}' in regex: ${rest}`, comment, line);
    const regexSource = rest.slice(n + 1).trimEnd();
    try {
      new RegExp(toJsRegex(regexSource));
    } catch (e) {
      throw new FileCheckSyntaxError(`invalid regular expression: ${(e as Error).message}`, comment, line);
    }
    return { kind, source: rest, regexVar: name, regexSource, ...loc };
  }
  let pattern: Pattern;
  try {
    pattern = parsePattern(rest);
  } catch (e) {
    throw new FileCheckSyntaxError((e as Error).message, comment, line);
  }
  if (kind === 'not' && pattern.defs.length > 0) {
    throw new FileCheckSyntaxError(`can't define variables '$(${pattern.defs[0]}=...' in not: ${rest}`, comment, line);
  }
  return { kind, source: rest, pattern, ...loc };
}

/** Collects directives from comment lines, then builds a `Checker`. */
export class CheckerBuilder {
  private directives: Directive[] = [];

  /** Adds a comment line; returns whether it held a directive. Throws `FileCheckSyntaxError`. */
  directive(comment: string, line?: number): boolean {
    const d = parseDirective(comment, line);
    if (d) this.directives.push(d);
    return d !== undefined;
  }

  /** Adds every line of `text` (1-based line numbers). */
  text(text: string): this {
    text.split('\n').forEach((l, i) => this.directive(l, i + 1));
    return this;
  }

  finish(): Checker {
    const c = new Checker(this.directives);
    this.directives = [];
    return c;
  }
}

/** A failed check: which directive, what it searched, and why it failed. */
export interface CheckFailure {
  readonly directiveIndex: number;
  readonly directive: Directive;
  readonly reason: 'no-match' | 'not-matched' | 'undefined-variable' | 'bad-regex';
  /** The text the directive was matched against. */
  readonly searched: string;
  /** 1-based line in the output where `searched` starts. */
  readonly searchedLine: number;
  /** For `not-matched`: the text the forbidden pattern found. */
  readonly found?: string;
  /** One paragraph for people: the directive, its line, what it saw. */
  readonly message: string;
}

export interface CheckResult {
  readonly ok: boolean;
  readonly failure?: CheckFailure;
  /** One line per directive evaluated: what it matched, in order. */
  readonly trace: readonly string[];
}

interface VarValue {
  kind: 'text' | 'regex';
  value: string;
  /** Offset in the text from where a use of this variable may match. */
  offset: number;
}

class ResolveError extends Error {}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function quoteBlock(s: string): string {
  if (s === '') return '    (empty)';
  const lines = s.endsWith('\n') ? s.slice(0, -1).split('\n') : s.split('\n');
  return lines.map((l) => `    > ${l}`).join('\n');
}

/** The offset just past the line holding `pos` (the end of the text on the last line). */
function nextLineStart(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl + 1;
}

/**
 * The part `[begin, end)` of `text` a positive directive searches, given
 * where the last match ended (`maxMatch`) and, for `unordered`, where it may
 * start: `check` the rest of the text, `sameln` the rest of the current
 * line, `nextln` the next line.
 */
export function searchWindow(text: string, kind: 'check' | 'sameln' | 'nextln' | 'unordered', maxMatch: number, unorderedBegin: number): [number, number] {
  switch (kind) {
    case 'check':
      return [maxMatch, text.length];
    case 'sameln':
      return [maxMatch, nextLineStart(text, maxMatch)];
    case 'nextln': {
      const begin = nextLineStart(text, maxMatch);
      return [begin, nextLineStart(text, begin)];
    }
    case 'unordered':
      return [unorderedBegin, text.length];
  }
}

/** Directives ready to run over any number of texts. */
export class Checker {
  constructor(readonly directives: readonly Directive[]) {}

  isEmpty(): boolean {
    return this.directives.length === 0;
  }

  /** The directives, one per line, numbered as in failure messages. */
  toString(): string {
    return this.directives
      .map((d, i) => `#${i} ${formatDirective(d)}${d.line !== undefined ? `   (line ${d.line})` : ''}`)
      .join('\n');
  }

  check(text: string): CheckResult {
    const vars = new Map<string, VarValue>();
    const trace: string[] = [];
    let lastOrdered = 0;
    let maxMatch = 0;
    const pending: { index: number; begin: number; rx: RegExp }[] = [];

    const defOffset = (name: string): number => vars.get(name)?.offset ?? 0;
    const unorderedBegin = (p: Pattern): number => {
      let b = lastOrdered;
      for (const part of p.parts) {
        if (part.kind === 'var') b = Math.max(b, defOffset(part.name));
        else if (part.kind === 'def-var') b = Math.max(b, defOffset(part.ref));
      }
      return b;
    };
    const lookup = (name: string): VarValue => {
      const v = vars.get(name);
      if (!v) throw new ResolveError(`undefined variable $${name}`);
      return v;
    };
    // Defined variables become named groups `fcvN`, so variable names need
    // not be valid JavaScript group names.
    const resolve = (p: Pattern): RegExp => {
      let out = '';
      const first = p.parts[0];
      if (first?.kind === 'text' && first.text.length > 0 && ALNUM.test(first.text[0])) out += '\\b';
      for (const part of p.parts) {
        switch (part.kind) {
          case 'text':
            out += quote(part.text);
            break;
          case 'regex':
            out += `(?:${toJsRegex(part.source)})`;
            break;
          case 'var': {
            const v = lookup(part.name);
            out += v.kind === 'text' ? quote(v.value) : `(?:${toJsRegex(v.value)})`;
            break;
          }
          case 'def-regex':
            out += `(?<fcv${p.defs.indexOf(part.name)}>${toJsRegex(part.source)})`;
            break;
          case 'def-var': {
            const v = lookup(part.ref);
            out += `(?<fcv${p.defs.indexOf(part.name)}>${v.kind === 'text' ? quote(v.value) : toJsRegex(v.value)})`;
            break;
          }
        }
      }
      const last = p.parts[p.parts.length - 1];
      if (last?.kind === 'text' && last.text.length > 0 && ALNUM.test(last.text[last.text.length - 1])) out += '\\b';
      return new RegExp(out, 'm');
    };

    const fail = (
      index: number,
      reason: CheckFailure['reason'],
      begin: number,
      end: number,
      detail: string,
      found?: string,
    ): CheckResult => {
      const d = this.directives[index];
      const searched = text.slice(begin, end);
      const searchedLine = lineOf(text, begin);
      const where = d.line !== undefined ? ` (line ${d.line})` : '';
      const message =
        `directive #${index}${where} \`${formatDirective(d)}\` ${detail}\n` +
        `  searched from output line ${searchedLine}:\n${quoteBlock(searched)}`;
      return {
        ok: false,
        trace,
        failure: { directiveIndex: index, directive: d, reason, searched, searchedLine, message, ...(found !== undefined ? { found } : {}) },
      };
    };

    const checkNots = (upTo: number): CheckResult | undefined => {
      for (const n of pending) {
        const end = Math.max(n.begin, upTo);
        const m = n.rx.exec(text.slice(n.begin, end));
        if (m) {
          return fail(n.index, 'not-matched', n.begin, end, `matched forbidden text "${m[0]}" at output line ${lineOf(text, n.begin + m.index)}`, m[0]);
        }
        trace.push(`#${n.index} not: absent as required`);
      }
      pending.length = 0;
      return undefined;
    };

    for (let i = 0; i < this.directives.length; i++) {
      const d = this.directives[i];
      if (d.kind === 'regex') {
        vars.set(d.regexVar!, { kind: 'regex', value: d.regexSource!, offset: 0 });
        continue;
      }
      const p = d.pattern!;
      let rx: RegExp;
      try {
        if (d.kind === 'not') {
          pending.push({ index: i, begin: unorderedBegin(p), rx: resolve(p) });
          continue;
        }
        rx = resolve(p);
      } catch (e) {
        const reason = e instanceof ResolveError ? 'undefined-variable' : 'bad-regex';
        return fail(i, reason, maxMatch, maxMatch, `cannot be used: ${(e as Error).message}`);
      }
      const [begin, end] = searchWindow(text, d.kind, maxMatch, d.kind === 'unordered' ? unorderedBegin(p) : 0);
      const m = rx.exec(text.slice(begin, end));
      if (!m) return fail(i, 'no-match', begin, end, 'did not match');
      const mBegin = begin + m.index;
      const mEnd = mBegin + m[0].length;
      p.defs.forEach((name, k) => {
        vars.set(name, { kind: 'text', value: m.groups?.[`fcv${k}`] ?? '', offset: mEnd });
      });
      trace.push(`#${i} ${d.kind}: matched "${m[0]}" at output line ${lineOf(text, mBegin)}`);
      if (d.kind === 'unordered') {
        maxMatch = Math.max(maxMatch, mEnd);
      } else {
        lastOrdered = mEnd;
        maxMatch = mEnd;
        const bad = checkNots(mBegin);
        if (bad) return bad;
      }
    }
    const bad = checkNots(text.length);
    if (bad) return bad;
    return { ok: true, trace };
  }
}

/**
 * The text after a directive keyword such as `dominates:` or `error:` in
 * a comment: leading `;`s and blanks are skipped, the keyword must come
 * first, and the rest is trimmed.
 */
export function matchDirective(comment: string, keyword: string): string | undefined {
  const text = comment.replace(/^;+/, '').trimStart();
  return text.startsWith(keyword) ? text.slice(keyword.length).trim() : undefined;
}
