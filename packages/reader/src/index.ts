// @clift/reader — reads CLIF text (`.clif` files) into @clift/ir Functions.
//
// The package's only public surface: test-file parsing (headers, functions,
// comments, run commands), function-only parsing, run-command parsing, and
// the error type. Everything else in src/ is internal.

import type { Function, Signature } from '@clift/ir';
import { ParseError } from './errors.js';
import { Parser, type ParseOptions, type TestFile } from './parser.js';
import { parseRunCommandText, type RunCommand } from './run-command.js';

export { ParseError, type Location } from './errors.js';
export type {
  Comment,
  CommentEntity,
  Feature,
  ParsedFunction,
  ParseOptions,
  Setting,
  TargetSpec,
  TestCommand,
  TestFile,
} from './parser.js';
export type { RunCommand } from './run-command.js';

/** Parses a whole `.clif` test file. Throws ParseError on the first problem. */
export function parseTestFile(text: string, filename = '<input>', options?: ParseOptions): TestFile {
  return new Parser(text, filename, options).parseTestFile();
}

/** Parses the functions of a `.clif` text, ignoring its headers and comments. */
export function parseFunctions(text: string, filename = '<input>', options?: ParseOptions): Function[] {
  return parseTestFile(text, filename, options).functions.map((f) => f.func);
}

/**
 * Parses one run command, e.g. `run: %f(1, 2) == 3` or `; print: %g()`,
 * typing its values by `sig`. Throws ParseError when the text is not a
 * well-formed run or print command.
 */
export function parseRunCommand(text: string, sig: Signature, filename = '<input>', line = 1): RunCommand {
  const rc = parseRunCommandText(text, sig, filename, line, 1);
  if (!rc) {
    const col = text.length - text.replace(/^[; ]*/, '').length + 1;
    throw new ParseError(filename, line, col, `expected a 'run' or 'print' command, found '${text.trim()}'`);
  }
  return rc;
}
