// The compiler driver: sources in, diagnostics and TypeScript out.
//
// Owns: running the stages in order (lex -> parse -> sema -> bindings ->
// overlap -> trie -> codegen) over a set of files compiled together, and
// the public result type. Stops before code generation when any error was
// reported, but always runs every analysis stage it can, so one run reports
// as many independent errors as possible.

import { readFileSync } from 'node:fs';
import type { Def } from './ast.js';
import { lowerProgram } from './bindings.js';
import { generate, type CodegenOptions } from './codegen.js';
import { Diagnostics, SourceSet, formatDiagnostics, type Diagnostic } from './diagnostics.js';
import { lex } from './lexer.js';
import { checkOverlaps, type OverlapOptions } from './overlap.js';
import { parse } from './parser.js';
import { analyze, type Program, type SemaOptions } from './sema.js';
import { buildTrie } from './trie.js';

export interface CompileOptions extends SemaOptions, CodegenOptions, OverlapOptions {
  /** Only parse and type-check (and check overlaps); do not generate code. */
  readonly checkOnly?: boolean;
}

export interface SourceInput {
  /** The name used in diagnostics and in the generated file's comments. */
  readonly name: string;
  readonly text: string;
}

export interface CompileResult {
  /** `true` when no error was reported (warnings allowed). */
  readonly ok: boolean;
  /** The generated TypeScript module; absent on error or with `checkOnly`. */
  readonly code: string | undefined;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: SourceSet;
  /** The typed program, when parsing succeeded well enough to analyse it. */
  readonly program: Program | undefined;
  /** Renders all diagnostics for a terminal. */
  format(): string;
}

/** Compiles several ISLE sources as one program (like upstream, files share one namespace). */
export function compileSources(inputs: readonly SourceInput[], options: CompileOptions = {}): CompileResult {
  const sources = new SourceSet();
  const diags = new Diagnostics();
  const defs: Def[] = [];
  for (const input of inputs) {
    const file = sources.add(input.name, input.text);
    const tokens = lex(file, input.text, diags);
    for (const d of parse(tokens, diags)) defs.push(d);
  }
  const program = analyze(defs, diags, options);
  let code: string | undefined;
  if (!diags.hasErrors()) {
    const lowered = lowerProgram(program);
    checkOverlaps(program, lowered, sources, diags, options);
    if (!diags.hasErrors() && options.checkOnly !== true) {
      const tries = lowered.map((t) => buildTrie(program, t));
      const text = generate(program, tries, sources, diags, options);
      if (!diags.hasErrors()) code = text;
    }
  }
  const list = diags.list;
  return {
    ok: !diags.hasErrors(),
    code,
    diagnostics: list,
    sources,
    program,
    format: () => formatDiagnostics(list, sources),
  };
}

/** Compiles one ISLE source text. */
export function compileSource(text: string, options: CompileOptions & { readonly fileName?: string } = {}): CompileResult {
  return compileSources([{ name: options.fileName ?? '<input>.isle', text }], options);
}

/** Reads and compiles ISLE files from disk; names in diagnostics are the paths as given. */
export function compileFiles(paths: readonly string[], options: CompileOptions = {}): CompileResult {
  return compileSources(
    paths.map((p) => ({ name: p, text: readFileSync(p, 'utf8') })),
    options,
  );
}
