// Reader errors: every failure to read CLIF text is a ParseError naming the
// file, the 1-based line and column, what was found and what was expected.
//
// Invariant: `message` is always `${filename}:${line}:${column}: ${detail}`,
// so tools can print it as is and editors can jump to the spot.

export interface Location {
  line: number;
  column: number;
}

export class ParseError extends Error {
  readonly filename: string;
  readonly line: number;
  readonly column: number;
  readonly detail: string;

  constructor(filename: string, line: number, column: number, detail: string) {
    super(`${filename}:${line}:${column}: ${detail}`);
    this.name = 'ParseError';
    this.filename = filename;
    this.line = line;
    this.column = column;
    this.detail = detail;
  }
}
