// Test harness: compiles fixture programs into test/.tmp, type-checks the
// generated code together with the fixture drivers using the TypeScript
// compiler API (stricter than the repository's settings), and loads drivers.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { compileSource, compileSources, type CompileOptions, type CompileResult } from '../src/index.js';

export const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = join(PKG, 'test', 'fixtures');
export const TMP = join(PKG, 'test', '.tmp');

/** Compiles `test/fixtures/NAME.isle` to `test/.tmp/NAME.ts`; throws with the report on error. */
export function buildFixture(name: string, options: CompileOptions = {}): CompileResult {
  // Named relative to the package, so diagnostics and comments say `test/fixtures/NAME.isle`.
  const path = join(FIXTURES, `${name}.isle`);
  const result = compileSources([{ name: relative(PKG, path), text: readFileSync(path, 'utf8') }], options);
  if (result.code === undefined) throw new Error(`fixture ${name} failed to compile:\n${result.format()}`);
  writeGenerated(name, result.code);
  return result;
}

/** Compiles inline source to `test/.tmp/NAME.ts`. */
export function buildInline(name: string, source: string, options: CompileOptions = {}): CompileResult {
  const result = compileSource(source, { ...options, fileName: `${name}.isle` });
  if (result.code === undefined) throw new Error(`${name} failed to compile:\n${result.format()}`);
  writeGenerated(name, result.code);
  return result;
}

function writeGenerated(name: string, code: string): void {
  mkdirSync(TMP, { recursive: true });
  writeFileSync(join(TMP, `${name}.ts`), code);
}

/** Strict settings, stricter than the repository's, to prove generated code is clean. */
const STRICT: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  verbatimModuleSyntax: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  allowUnreachableCode: false,
  skipLibCheck: true,
  types: [],
};

/** Type-checks the given files; returns formatted diagnostics (empty when clean). */
export function typecheck(files: readonly string[]): string[] {
  const program = ts.createProgram(files, STRICT);
  const diags = ts.getPreEmitDiagnostics(program);
  return diags.map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file === undefined || d.start === undefined) return msg;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${relative(PKG, d.file.fileName)}:${line + 1}:${character + 1}: ${msg}`;
  });
}

/** Imports a fixture driver (after its generated module exists). */
export async function loadDriver<T>(name: string): Promise<T> {
  return (await import(pathToFileURL(join(FIXTURES, `${name}.driver.ts`)).href)) as T;
}
