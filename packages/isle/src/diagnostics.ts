// Diagnostics: source files, spans, and the error/warning records every
// stage of the compiler reports into.
//
// Owns: the `SourceSet` (file names and texts, with line tables), the `Span`
// type (file id plus byte offsets), the `Diagnostic` record and its human
// rendering (location, excerpt with a caret, expectation, related notes).
// Does not own: deciding what is an error; each stage decides and reports.
//
// Invariants:
// - A `Span` always refers to a file registered in the `SourceSet` it is
//   rendered with; `start <= end <= text.length`.
// - Stages never throw for bad input: they push a `Diagnostic` into a
//   `Diagnostics` collector and carry on, so one run reports many errors.
//   Throwing is reserved for internal invariant violations (compiler bugs).

/** A half-open byte range `[start, end)` in one source file. */
export interface Span {
  readonly file: number;
  readonly start: number;
  readonly end: number;
}

/** A 1-based line and column, for printing. */
export interface Location {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export type Severity = 'error' | 'warning';

/** A secondary location that explains a diagnostic (e.g. "previous definition here"). */
export interface RelatedInfo {
  readonly span: Span;
  readonly message: string;
}

export interface Diagnostic {
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  /** Other places involved (the other overlapping rule, the first definition, ...). */
  readonly related: readonly RelatedInfo[];
  /** A suggestion for how to fix it, printed as `help:`. */
  readonly help?: string;
}

interface SourceFile {
  readonly name: string;
  readonly text: string;
  /** Offsets at which each line starts; `lineStarts[0] === 0`. */
  readonly lineStarts: readonly number[];
}

/** The set of source files of one compilation. File ids are dense from 0. */
export class SourceSet {
  private readonly files: SourceFile[] = [];

  /** Post-invariant: returns the id of the new file, `== previous count`. */
  add(name: string, text: string): number {
    const lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
    }
    this.files.push({ name, text, lineStarts });
    return this.files.length - 1;
  }

  get count(): number {
    return this.files.length;
  }

  name(file: number): string {
    return this.file(file).name;
  }

  text(file: number): string {
    return this.file(file).text;
  }

  /** 1-based line and column of an offset (column counts UTF-16 units). */
  location(file: number, offset: number): Location {
    const f = this.file(file);
    const starts = f.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file: f.name, line: lo + 1, column: offset - starts[lo] + 1 };
  }

  /** `file:line:col` of the start of a span. */
  describe(span: Span): string {
    const loc = this.location(span.file, span.start);
    return `${loc.file}:${loc.line}:${loc.column}`;
  }

  /** The text of one 1-based line, without its newline. */
  lineText(file: number, line: number): string {
    const f = this.file(file);
    const start = f.lineStarts[line - 1];
    const next = line < f.lineStarts.length ? f.lineStarts[line] - 1 : f.text.length;
    return f.text.slice(start, next).replace(/\r$/, '');
  }

  private file(file: number): SourceFile {
    const f = this.files[file];
    if (f === undefined) throw new Error(`internal error: unknown source file id ${file}`);
    return f;
  }
}

/** Collects diagnostics from every stage of one compilation. */
export class Diagnostics {
  readonly list: Diagnostic[] = [];

  error(span: Span, message: string, related: readonly RelatedInfo[] = [], help?: string): void {
    this.list.push({ severity: 'error', message, span, related, ...(help !== undefined ? { help } : {}) });
  }

  warning(span: Span, message: string, related: readonly RelatedInfo[] = [], help?: string): void {
    this.list.push({ severity: 'warning', message, span, related, ...(help !== undefined ? { help } : {}) });
  }

  get errorCount(): number {
    let n = 0;
    for (const d of this.list) if (d.severity === 'error') n++;
    return n;
  }

  hasErrors(): boolean {
    return this.errorCount > 0;
  }
}

/** Orders diagnostics by file, then position, keeping report order for ties. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return list
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.span.file - b.d.span.file || a.d.span.start - b.d.span.start || a.i - b.i)
    .map((x) => x.d);
}

function excerpt(sources: SourceSet, span: Span, label: string): string[] {
  const start = sources.location(span.file, span.start);
  const endOffset = Math.max(span.start, span.end - 1);
  const end = sources.location(span.file, endOffset);
  const lineText = sources.lineText(span.file, start.line);
  const gutter = String(start.line).length;
  const pad = ' '.repeat(gutter);
  const caretLen =
    end.line === start.line ? Math.max(1, end.column - start.column + 1) : Math.max(1, lineText.length - start.column + 1);
  // Reproduce tabs in the caret line so the caret lines up with the excerpt.
  const lead = lineText.slice(0, start.column - 1).replace(/[^\t]/g, ' ');
  return [
    `${pad} |`,
    `${String(start.line)} | ${lineText}`,
    `${pad} | ${lead}${'^'.repeat(caretLen)}${label ? ' ' + label : ''}`,
  ];
}

/**
 * Renders one diagnostic for a terminal:
 *
 * ```text
 * error: unknown term `fo` in pattern
 *   --> lower.isle:3:8
 *   |
 * 3 | (rule (fo x) x)
 *   |        ^^ expected a term declared with `decl`, an enum variant, or an extractor
 * ```
 */
export function formatDiagnostic(d: Diagnostic, sources: SourceSet): string {
  const out: string[] = [];
  out.push(`${d.severity}: ${d.message}`);
  out.push(`  --> ${sources.describe(d.span)}`);
  out.push(...excerpt(sources, d.span, ''));
  for (const r of d.related) {
    out.push(`note: ${r.message}`);
    out.push(`  --> ${sources.describe(r.span)}`);
    out.push(...excerpt(sources, r.span, ''));
  }
  if (d.help !== undefined) out.push(`help: ${d.help}`);
  return out.join('\n');
}

/** Renders all diagnostics, sorted by location, with a summary line. */
export function formatDiagnostics(list: readonly Diagnostic[], sources: SourceSet): string {
  const sorted = sortDiagnostics(list);
  const parts = sorted.map((d) => formatDiagnostic(d, sources));
  const errors = sorted.filter((d) => d.severity === 'error').length;
  const warnings = sorted.length - errors;
  if (sorted.length > 0) {
    const bits: string[] = [];
    if (errors > 0) bits.push(`${errors} error${errors === 1 ? '' : 's'}`);
    if (warnings > 0) bits.push(`${warnings} warning${warnings === 1 ? '' : 's'}`);
    parts.push(bits.join(', ') + ' reported');
  }
  return parts.join('\n\n');
}
