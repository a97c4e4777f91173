import { describe, expect, it } from 'vitest';
import { FileUpdate, comparePreciseOutput, expectedPreciseOutput, lineDiff } from './precise-output.js';

describe('precise output', () => {
  it('reads the trailing comments after the closing brace, without ;; commentary', () => {
    const comments = [
      { text: '; inside', line: 3 },
      { text: '; block0:', line: 7 },
      { text: ';;; a note', line: 8 },
      { text: ';   ret', line: 9 },
      { text: ';', line: 10 },
    ];
    expect(expectedPreciseOutput(comments, 5)).toEqual(['block0:', '  ret', '']);
  });

  it('reports a diff and how to bless', () => {
    expect(comparePreciseOutput(['a', 'b'], ['a', 'b'], 1)).toBeUndefined();
    const m = comparePreciseOutput(['a', 'c'], ['a', 'b'], 4)!;
    expect(m).toContain('function on line 4');
    expect(m).toContain('- b');
    expect(m).toContain('+ c');
    expect(m).toContain('--bless');
    expect(lineDiff(['x'], ['x'])).toBe('--- expected\n+++ actual\n  x');
  });

  it('rewrites each expectation block in place, bottom-up', () => {
    const text = [
      'test compile precise-output', // 1
      '', // 2
      'function %a() {', // 3
      'block0:', // 4
      '    return', // 5
      '}', // 6
      '', // 7
      '; old a', // 8
      ';; keep me? no: commentary after old output stops the block', // 9
      '', // 10
      'function %b() {', // 11
      'block0:', // 12
      '    return', // 13
      '}', // 14
      '', // 15
      '; old b', // 16
      '',
    ].join('\n');
    const u = new FileUpdate();
    expect(u.isEmpty).toBe(true);
    u.replaceAfter(6, ['new a', '', '  x']);
    u.replaceAfter(14, ['new b']);
    const out = u.apply(text);
    expect(out).toBe(
      [
        'test compile precise-output',
        '',
        'function %a() {',
        'block0:',
        '    return',
        '}',
        '',
        '; new a',
        ';',
        ';   x',
        '',
        ';; keep me? no: commentary after old output stops the block',
        '',
        'function %b() {',
        'block0:',
        '    return',
        '}',
        '',
        '; new b',
        '',
      ].join('\n'),
    );
  });
});
