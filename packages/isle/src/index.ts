// @clift/isle: the ISLE rule language compiled to TypeScript.
//
// Pipeline (each stage in its own module, each stating its invariants):
//
//   .isle text --lexer--> tokens --parser--> AST --sema--> typed Program
//     --bindings--> per-term rules as bindings + constraints
//         |--overlap--> errors for ambiguous rules, warnings for dead ones
//         '--trie--> decision trie per term --codegen--> one TypeScript module
//
// Public API: the compile entry points and the diagnostic types. The AST,
// typed program and trie are exported as types for tools that inspect them.

// ---------------------------------------------------------------------------
// Compiling

export { compileFiles, compileSource, compileSources } from './compile.js';
export type { CompileOptions, CompileResult, SourceInput } from './compile.js';
export type { CodegenOptions } from './codegen.js';
export type { OverlapOptions } from './overlap.js';
export type { SemaOptions } from './sema.js';

// ---------------------------------------------------------------------------
// Diagnostics

export { formatDiagnostic, formatDiagnostics, sortDiagnostics, SourceSet } from './diagnostics.js';
export type { Diagnostic, Location, RelatedInfo, Severity, Span } from './diagnostics.js';

// ---------------------------------------------------------------------------
// Program representation (types only)

export type * as ast from './ast.js';
export type { Program, Rule, TermInfo, TypeInfo } from './sema.js';
