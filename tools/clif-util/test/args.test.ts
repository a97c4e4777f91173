import { describe, expect, it } from 'vitest';
import { UsageError, parseArgs, usage } from '../src/index.js';

describe('parseArgs', () => {
  it('parses test options before and after paths', () => {
    expect(parseArgs(['test', '--json', 'out.json', 'a', '-j', '3', 'b', '--bless'])).toEqual({
      kind: 'test',
      paths: ['a', 'b'],
      json: 'out.json',
      jobs: 3,
      bless: true,
      verbose: false,
    });
    expect(parseArgs(['test', '--jobs=2', '--', '-odd-name.clif'])).toMatchObject({ jobs: 2, paths: ['-odd-name.clif'] });
    expect(parseArgs(['test', '--update-expectations'])).toMatchObject({ expectations: { mode: 'update' }, paths: [] });
    expect(parseArgs(['test', '--check-expectations', '--expectations', 'l.txt'])).toMatchObject({
      expectations: { mode: 'check', file: 'l.txt' },
    });
  });

  it('parses cat, verify and help', () => {
    expect(parseArgs(['cat', 'x.clif', 'y.clif'])).toEqual({ kind: 'cat', files: ['x.clif', 'y.clif'] });
    expect(parseArgs(['verify', '-p', 'x.clif'])).toEqual({ kind: 'verify', files: ['x.clif'], print: true });
    expect(parseArgs([])).toEqual({ kind: 'help' });
    expect(parseArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseArgs(['help', 'test'])).toEqual({ kind: 'help', topic: 'test' });
    expect(parseArgs(['cat', '-h'])).toEqual({ kind: 'help', topic: 'cat' });
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
  });

  it('names the offending word in usage errors', () => {
    const cases: [string[], string][] = [
      [['frob'], "clif: unknown command 'frob'"],
      [['--frob'], "clif: unknown option '--frob'"],
      [['test', '--frob', 'x'], "clif test: unknown option '--frob'"],
      [['test', '-j'], "clif test: option '-j' needs a value"],
      [['test', '-j', '0', 'x'], "clif test: option '-j' needs a positive whole number, got '0'"],
      [['test', '--bless=yes', 'x'], "clif test: option '--bless' takes no value"],
      [['test'], 'clif test: no test files or folders given'],
      [['cat'], 'clif cat: no files given'],
      [['verify', '-x', 'f'], "clif verify: unknown option '-x'"],
      [['help', 'frob'], "clif help: unknown command 'frob'"],
      [['test', '--update-expectations', '--check-expectations'], "clif test: '--update-expectations' and '--check-expectations' exclude each other"],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseArgs(argv), argv.join(' ')).toThrow(UsageError);
      expect(() => parseArgs(argv), argv.join(' ')).toThrow(message);
    }
  });

  it('has usage text for every command', () => {
    expect(usage()).toContain('clif test [OPTIONS] PATH');
    for (const c of ['test', 'cat', 'verify', 'help'] as const) expect(usage(c)).toContain(`Usage: clif ${c}`);
  });
});
