// Precise-output expectations: the exact text a test command must produce
// for a function, kept in the `;` comment lines that follow the function's
// closing brace, and the "bless" rewrite that replaces them with the actual
// output.
//
// This module owns reading those lines, comparing them (with a line diff
// for the failure message) and rewriting a file's text. It does not decide
// when blessing is allowed: the runner passes `bless` down (`--bless` or
// `CLIFT_TEST_BLESS=1`).
//
// Invariants of `FileUpdate`: edits are keyed by the original line number of
// a function's closing brace and applied from the bottom of the file up, so
// an edit never shifts the lines another edit refers to.

/** A comment with its line, as the reader reports it. */
export interface LineComment {
  readonly text: string;
  readonly line: number;
}

/**
 * The expected output: comments after `endLine` (the closing brace), minus
 * `;;` commentary, each stripped of its leading `; ` (or `;`).
 */
export function expectedPreciseOutput(comments: readonly LineComment[], endLine: number): string[] {
  return comments
    .filter((c) => c.line > endLine && !c.text.startsWith(';;'))
    .sort((a, b) => a.line - b.line)
    .map((c) => (c.text.startsWith('; ') ? c.text.slice(2) : c.text.startsWith(';') ? c.text.slice(1) : c.text));
}

/** A unified-style line diff (`-` expected, `+` actual), from a longest common subsequence. */
export function lineDiff(expected: readonly string[], actual: readonly string[]): string {
  const n = expected.length;
  const m = actual.length;
  // lcs[i][j]: LCS length of expected[i..] and actual[j..].
  const lcs: Uint32Array[] = [];
  for (let i = 0; i <= n; i++) lcs.push(new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = expected[i] === actual[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const out: string[] = ['--- expected', '+++ actual'];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && expected[i] === actual[j]) {
      out.push(`  ${expected[i]}`);
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push(`- ${expected[i]}`);
      i++;
    } else {
      out.push(`+ ${actual[j]}`);
      j++;
    }
  }
  return out.join('\n');
}

/**
 * Compares actual output with the expectation. Returns undefined when they
 * agree, else a message with the diff and the way to bless.
 */
export function comparePreciseOutput(actual: readonly string[], expected: readonly string[], funcLine: number): string | undefined {
  if (actual.length === expected.length && actual.every((l, i) => l === expected[i])) return undefined;
  return (
    `output of the function on line ${funcLine} does not match the expectation after it:\n` +
    `${lineDiff(expected, actual)}\n` +
    'Rewrite the expectation with `clif test --bless FILE` or CLIFT_TEST_BLESS=1.'
  );
}

/** Pending rewrites of one file's expectation blocks. */
export class FileUpdate {
  private readonly edits = new Map<number, readonly string[]>();

  /** Replaces the expectation after the brace on `endLine` with `output`. */
  replaceAfter(endLine: number, output: readonly string[]): void {
    this.edits.set(endLine, [...output]);
  }

  get isEmpty(): boolean {
    return this.edits.size === 0;
  }

  /**
   * Applies the edits to `text`: after each function's closing brace, one
   * blank line, the output as `; ` lines, one blank line; the old block (blank
   * lines and `;` lines, but not `;;` commentary) is dropped up to the next
   * other line.
   */
  apply(text: string): string {
    const lines = text.split('\n');
    const trailingNewline = text.endsWith('\n');
    if (trailingNewline) lines.pop();
    const order = [...this.edits.keys()].sort((a, b) => b - a);
    for (const endLine of order) {
      const output = this.edits.get(endLine)!;
      if (endLine < 1 || endLine > lines.length) throw new RangeError(`no line ${endLine} to update`);
      let k = endLine; // index of the first line after the brace
      while (k < lines.length) {
        const l = lines[k];
        if (l.trim() === '' || (l.startsWith(';') && !l.startsWith(';;'))) k++;
        else break;
      }
      const block = ['', ...output.map((o) => (o === '' ? ';' : `; ${o}`)), ''];
      if (k === lines.length) block.pop();
      lines.splice(endLine, k - endLine, ...block);
    }
    return lines.join('\n') + (trailingNewline ? '\n' : '');
  }
}
