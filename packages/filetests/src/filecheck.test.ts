import { describe, expect, it } from 'vitest';
import { CheckerBuilder, FileCheckSyntaxError, formatPattern, matchDirective, parsePattern } from './filecheck.js';

function check(directives: string[], text: string): ReturnType<ReturnType<CheckerBuilder['finish']>['check']> {
  const b = new CheckerBuilder();
  directives.forEach((d, i) => b.directive(d, i + 1));
  return b.finish().check(text);
}

describe('directive parsing', () => {
  it('recognises directives anywhere in a comment, and ignores other text', () => {
    const b = new CheckerBuilder();
    expect(b.directive('; check: foo')).toBe(true);
    expect(b.directive('not here: more text')).toBe(false);
    expect(b.directive('; nothing to see')).toBe(false);
    expect(b.directive('; check:}"]')).toBe(false); // no blank after the colon
    expect(b.directive('[x86]sameln: $x $(y=[^]]*) there')).toBe(true);
    const c = b.finish();
    expect(c.directives.map((d) => d.kind)).toEqual(['check', 'sameln']);
    expect(formatPattern(c.directives[1].pattern!)).toBe('$(x) $(y=[^]]*) there');
  });

  it('rejects bad regex: lines and bad $ syntax with the directive in the message', () => {
    const b = new CheckerBuilder();
    expect(() => b.directive('; regex: X = tommy', 7)).toThrow(/line 7: expected '=' after variable 'X'/);
    expect(() => b.directive('; check: a $ b')).toThrow(FileCheckSyntaxError);
    expect(() => b.directive('; not: $(x=foo)')).toThrow(/can't define variables/);
    expect(() => b.directive('; check: $(x=a) $x')).toThrow(/back-reference/);
    expect(() => b.directive('; regex: R=(unclosed')).toThrow(/invalid regular expression/);
  });

  it('parses the dollar forms into parts', () => {
    expect(parsePattern('a$$b').parts).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'text', text: '$' },
      { kind: 'text', text: 'b' },
    ]);
    expect(parsePattern('$(v=$I) x $(=\\d+) $(w=a(b)c)').parts).toEqual([
      { kind: 'def-var', name: 'v', ref: 'I' },
      { kind: 'text', text: ' x ' },
      { kind: 'regex', source: '\\d+' },
      { kind: 'text', text: ' ' },
      { kind: 'def-regex', name: 'w', source: 'a(b)c' },
    ]);
  });

  it('matchDirective strips semicolons and requires the keyword first', () => {
    expect(matchDirective('; foo: bar  ', 'foo:')).toBe('bar');
    expect(matchDirective(';;; foo: bar', 'foo:')).toBe('bar');
    expect(matchDirective(';x foo: bar', 'foo:')).toBeUndefined();
  });
});

describe('matching', () => {
  it('check: matches in order without overlap', () => {
    expect(check(['check: one', 'check: two'], 'one two').ok).toBe(true);
    expect(check(['check: one', 'check: two'], 'two one').ok).toBe(false);
  });

  it('adds word boundaries around alphanumeric ends only', () => {
    expect(check(['check: one'], 'zeroone').ok).toBe(false);
    expect(check(['check: one$()'], 'onetwo').ok).toBe(true);
    expect(check(['check: one$()'], 'zeroone').ok).toBe(false);
    expect(check(['check: (x'], 'f(x y').ok).toBe(true);
    expect(check(['check: (x'], 'f(xy').ok).toBe(false);
  });

  it('sameln: stays on the line of the previous match', () => {
    expect(check(['check: one', 'sameln: two'], 'one two').ok).toBe(true);
    expect(check(['check: one', 'sameln: two'], 'one\ntwo').ok).toBe(false);
  });

  it('nextln: must be on the very next line', () => {
    expect(check(['check: one', 'nextln: two'], 'one\ntwo').ok).toBe(true);
    expect(check(['check: one', 'nextln: two'], 'one two').ok).toBe(false);
    expect(check(['check: one', 'nextln: two'], 'one\n\ntwo').ok).toBe(false);
    // With no previous match, nextln: looks at the second line.
    expect(check(['nextln: b'], 'a\nb').ok).toBe(true);
  });

  it('unordered: matches in any order but not across an ordered match', () => {
    const ds = ['unordered: one', 'unordered: two', 'check: three', 'unordered: four', 'unordered: five'];
    expect(check(ds, 'two one three four five').ok).toBe(true);
    expect(check(ds, 'two three one four five').ok).toBe(false);
  });

  it('unordered: uses of a variable come after its definition', () => {
    const ds = ['regex: V=\\bv\\d+\\b', 'unordered: $(va=$V) = load', 'unordered: $(vb=$V) = iadd $va'];
    expect(check(ds, 'v1 = load\nv2 = iadd v1').ok).toBe(true);
    expect(check(ds, 'v2 = iadd v1\nv1 = load').ok).toBe(false);
  });

  it('not: forbids a pattern between ordered matches and after the last one', () => {
    expect(check(['check: one', 'not: two', 'check: three'], 'one five three').ok).toBe(true);
    const r = check(['check: one', 'not: two', 'check: three'], 'one two three');
    expect(r.ok).toBe(false);
    expect(r.failure?.reason).toBe('not-matched');
    expect(r.failure?.found).toBe('two');
    expect(check(['check: one', 'not: two'], 'one three two').ok).toBe(false);
    // A not: only covers text up to the next ordered match.
    expect(check(['regex: NUM=\\d+', 'not: $NUM', 'check: a'], 'a 1').ok).toBe(true);
    expect(check(['regex: NUM=\\d+', 'check: a', 'not: $NUM'], 'a 1').ok).toBe(false);
  });

  it('variables defined by a match are matched literally later', () => {
    const ds = ['regex: I=\\binst\\d+\\b', 'check: <$(BR=$I)>brif', 'check: block0:$BR -> block2'];
    expect(check(ds, '<inst3>brif\nblock0:inst3 -> block2').ok).toBe(true);
    expect(check(ds, '<inst3>brif\nblock0:inst4 -> block2').ok).toBe(false);
    expect(check(['check: $(x=[a-z]+)=', 'check: $(x)!'], 'abc= abc!').ok).toBe(true);
  });

  it('regex variables match afresh at each use', () => {
    expect(check(['regex: N=\\d+', 'check: $N + $N'], '1 + 2').ok).toBe(true);
  });

  it('an undefined variable is a failure that names it', () => {
    const r = check(['check: $nope'], 'x');
    expect(r.ok).toBe(false);
    expect(r.failure?.reason).toBe('undefined-variable');
    expect(r.failure?.message).toContain('undefined variable $nope');
  });

  it('failure messages show the directive, its line and the searched text', () => {
    const r = check(['check: block0', 'nextln: block9'], 'block0\nblock1\nblock2');
    expect(r.ok).toBe(false);
    const m = r.failure!.message;
    expect(m).toContain('directive #1 (line 2) `nextln: block9` did not match');
    expect(m).toContain('searched from output line 2');
    expect(m).toContain('> block1');
    expect(m).not.toContain('> block2');
  });

  it('an empty checker accepts anything', () => {
    expect(new CheckerBuilder().finish().check('whatever').ok).toBe(true);
  });

  it('reads Rust-style named groups in regexes', () => {
    expect(check(['check: $(=(?P<x>ab)c)'], 'abc').ok).toBe(true);
  });
});
