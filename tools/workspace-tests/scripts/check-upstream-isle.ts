// Conformance check against upstream Cranelift's ISLE sources: compiles
// upstream's prelude, mid-end rules and AArch64 lowering rules together with
// Clift's own generated CLIF opcode terms (`clifIsleDefinitions` from
// @clift/ir, the counterpart of upstream's generated `clif_opt.isle` and
// `clif_lower.isle`), generates TypeScript for each group, and type-checks
// that TypeScript with the TypeScript compiler.
//
// Upstream's files are not part of this repository: point the script at a
// folder holding them, laid out as under upstream's `cranelift/codegen/src/`:
//
//   DIR/prelude.isle  DIR/prelude_opt.isle  DIR/prelude_lower.isle
//   DIR/numerics.isle (optional; newer upstream generates it)
//   DIR/opts/*.isle
//   DIR/isa/aarch64/inst.isle  DIR/isa/aarch64/lower.isle
//   DIR/isa/aarch64/inst_neon.isle, lower_dynamic_neon.isle (optional)
//
// Run (from the repository root, after `pnpm --filter @clift/ir build`):
//   pnpm --filter @clift/workspace-tests check-upstream-isle DIR
//   UPSTREAM_ISLE_DIR=DIR pnpm --filter @clift/workspace-tests check-upstream-isle
// Options: --group opt|lower (default both), --out DIR (where generated files
// go; default a fresh temporary folder), --max-diagnostics N (default 40),
// --numerics (when DIR has no numerics.isle, use `numericsIsle()`, Clift's
// stand-in for upstream's generated one).
// Each stage prints its time, so a run is also the compile-time figure for
// upstream's real rule set (the synthetic one is packages/isle/bench).
//
// The folder must hold one consistent snapshot: upstream's files refer to
// each other, and newer ones to the generated numerics.isle (its integer
// helpers such as `u64_add` and the `convert`s between integer types).
//
// Exit status: 0 when every group checks, generates and type-checks; 1 when
// any stage of any group fails; 2 on usage errors (no folder, missing files).

import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { compileSources, type SourceInput } from '@clift/isle';
import { clifIsleDefinitions } from '@clift/ir';

// This script lives in the workspace-tests package because it needs both
// @clift/isle and @clift/ir, and @clift/ir already depends on @clift/isle
// (its tests compile the generated definitions).
const loadIr = (): Promise<{ clifIsleDefinitions: typeof clifIsleDefinitions }> => Promise.resolve({ clifIsleDefinitions });

interface Group {
  readonly name: 'opt' | 'lower';
  /** Files before the generated CLIF terms, relative to the upstream folder. */
  readonly preludes: readonly string[];
  /** Files after them; a trailing `/` means every `.isle` file in that folder. */
  readonly rules: readonly string[];
  /** Files that are used when present. */
  readonly optional: ReadonlySet<string>;
}

const GROUPS: readonly Group[] = [
  {
    name: 'opt',
    preludes: ['prelude.isle', 'prelude_opt.isle', 'numerics.isle'],
    rules: ['opts/'],
    optional: new Set(['numerics.isle']),
  },
  {
    name: 'lower',
    preludes: ['prelude.isle', 'prelude_lower.isle', 'numerics.isle'],
    rules: [
      'isa/aarch64/inst.isle',
      'isa/aarch64/inst_neon.isle',
      'isa/aarch64/lower.isle',
      'isa/aarch64/lower_dynamic_neon.isle',
    ],
    optional: new Set([
      'numerics.isle',
      'isa/aarch64/inst_neon.isle',
      'isa/aarch64/lower_dynamic_neon.isle',
    ]),
  },
];

interface StageResult {
  readonly ok: boolean;
  readonly summary: string;
}

function usage(message: string): never {
  process.stderr.write(
    `check-upstream-isle: ${message}\n` +
      'usage: check-upstream-isle [--group opt|lower] [--out DIR] [--max-diagnostics N] [--numerics] UPSTREAM_DIR\n' +
      '       (or set UPSTREAM_ISLE_DIR); UPSTREAM_DIR holds upstream cranelift/codegen/src ISLE files.\n',
  );
  process.exit(2);
}

interface Args {
  readonly dir: string;
  readonly groups: readonly Group[];
  readonly out: string;
  readonly max: number;
  readonly numerics: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  let dir = process.env.UPSTREAM_ISLE_DIR;
  let numerics = false;
  let only: string | undefined;
  let out: string | undefined;
  let max = 40;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`option \`${a}\` expects a value`);
      return v;
    };
    if (a === '--group') only = value();
    else if (a === '--out') out = value();
    else if (a === '--max-diagnostics') max = Number(value());
    else if (a === '--numerics') numerics = true;
    else if (a.startsWith('-')) usage(`unknown option \`${a}\``);
    else dir = a;
  }
  if (dir === undefined || dir === '') usage('no upstream ISLE folder given');
  if (!existsSync(dir)) usage(`upstream ISLE folder \`${dir}\` does not exist`);
  const groups = only === undefined ? GROUPS : GROUPS.filter((g) => g.name === only);
  if (groups.length === 0) usage(`unknown group \`${only}\`: expected opt or lower`);
  if (!Number.isInteger(max) || max < 0) usage('--max-diagnostics expects a non-negative integer');
  return { dir, groups, out: out ?? mkdtempSync(join(tmpdir(), 'isle-upstream-')), max, numerics };
}

/** The group's inputs in compilation order, or the required files that are missing. */
function collectInputs(
  dir: string,
  group: Group,
  clifName: string,
  clifText: string,
  numerics: boolean,
): SourceInput[] | string[] {
  const inputs: SourceInput[] = [];
  const missing: string[] = [];
  const add = (rel: string): void => {
    const path = join(dir, rel);
    if (rel.endsWith('/')) {
      if (!existsSync(path)) {
        missing.push(rel);
        return;
      }
      const names = readdirSync(path).filter((n) => n.endsWith('.isle')).sort();
      if (names.length === 0) missing.push(`${rel}*.isle`);
      for (const n of names) inputs.push({ name: rel + n, text: readFileSync(join(path, n), 'utf8') });
    } else if (existsSync(path)) {
      inputs.push({ name: rel, text: readFileSync(path, 'utf8') });
    } else if (rel === 'numerics.isle' && numerics) {
      inputs.push({ name: 'numerics.isle (generated by check-upstream-isle)', text: numericsIsle() });
    } else if (!group.optional.has(rel)) {
      missing.push(rel);
    }
  };
  for (const rel of group.preludes) add(rel);
  inputs.push({ name: clifName, text: clifText });
  for (const rel of group.rules) add(rel);
  return missing.length > 0 ? missing : inputs;
}

function firstLines(text: string, max: number): string {
  const lines = text.split('\n');
  if (lines.length <= max) return text;
  return `${lines.slice(0, max).join('\n')}\n... (${lines.length - max} more lines)`;
}

/** Type-checks one generated module on its own under the repository's strict settings. */
function typecheck(file: string, max: number): StageResult {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es2022.d.ts'],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noImplicitOverride: true,
    noFallthroughCasesInSwitch: true,
    verbatimModuleSyntax: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  };
  const program = ts.createProgram([file], options);
  const diags = ts.getPreEmitDiagnostics(program);
  if (diags.length === 0) return { ok: true, summary: 'tsc: ok' };
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => '\n',
  };
  const text = ts.formatDiagnostics(diags.slice(0, max), host);
  return { ok: false, summary: `tsc: ${diags.length} error(s)\n${firstLines(text, max * 4)}` };
}

// ---------------------------------------------------------------------------
// Numeric helpers

/**
 * Clift's stand-in for upstream's generated `numerics.isle` (newer upstream
 * generates it at build time, as it does the CLIF terms): per integer type,
 * the comparisons, checked/wrapping/plain arithmetic, bitwise operations,
 * shifts, predicates with their `matches`/`extract`/`when` extractors and bit
 * counts; per pair of types, the conversions, with a `convert` for every
 * lossless one. Names and shapes follow upstream's generator; the bodies are
 * externs, which the type-check harness needs no more of. Used when the
 * folder has no numerics.isle and `--numerics` is given.
 */
export function numericsIsle(): string {
  const ints = ['i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'i128', 'u128'];
  const bits = (t: string): number => Number(t.slice(1));
  const signed = (t: string): boolean => t.startsWith('i');
  const out: string[] = [';; Generated by check-upstream-isle: a stand-in for upstream\'s numerics.isle.', ''];
  const ctor = (name: string, args: readonly string[], ret: string, partial = false): void => {
    out.push(`(decl pure ${partial ? 'partial ' : ''}${name} (${args.join(' ')}) ${ret})`, `(extern constructor ${name} ${name})`);
  };
  for (const t of ints) {
    for (const op of ['eq', 'ne', 'lt', 'lt_eq', 'gt', 'gt_eq']) ctor(`${t}_${op}`, [t, t], 'bool');
    for (const op of ['add', 'sub', 'mul', 'div']) {
      ctor(`${t}_checked_${op}`, [t, t], t, true);
      ctor(`${t}_wrapping_${op}`, [t, t], t);
      ctor(`${t}_${op}`, [t, t], t);
    }
    ctor(`${t}_checked_rem`, [t, t], t, true);
    ctor(`${t}_rem`, [t, t], t);
    for (const op of ['and', 'or', 'xor']) ctor(`${t}_${op}`, [t, t], t);
    ctor(`${t}_not`, [t], t);
    for (const op of ['shl', 'shr']) {
      ctor(`${t}_checked_${op}`, [t, 'u32'], t, true);
      ctor(`${t}_wrapping_${op}`, [t, 'u32'], t);
      ctor(`${t}_${op}`, [t, 'u32'], t);
    }
    const predicates = ['zero', 'non_zero', 'odd', 'even', ...(signed(t) ? [] : ['power_of_two'])];
    for (const p of predicates) {
      ctor(`${t}_is_${p}`, [t], 'bool');
      out.push(
        `(decl pure ${t}_matches_${p} (bool) ${t})`,
        `(extern extractor ${t}_matches_${p} ${t}_matches_${p})`,
        `(decl pure ${t}_extract_${p} (${t}) ${t})`,
        `(extractor (${t}_extract_${p} x) (and (${t}_matches_${p} true) x))`,
        `(decl pure ${t}_when_${p} () ${t})`,
        `(extractor (${t}_when_${p}) (${t}_matches_${p} true))`,
        `(decl pure ${t}_when_not_${p} () ${t})`,
        `(extractor (${t}_when_not_${p}) (${t}_matches_${p} false))`,
      );
    }
    ctor(`${t}_checked_ilog2`, [t], 'u32', true);
    for (const op of ['ilog2', 'trailing_zeros', 'trailing_ones', 'leading_zeros', 'leading_ones']) ctor(`${t}_${op}`, [t], 'u32');
    if (signed(t)) {
      ctor(`${t}_checked_neg`, [t], t, true);
      ctor(`${t}_wrapping_neg`, [t], t);
      ctor(`${t}_neg`, [t], t);
    }
    out.push('');
  }
  for (const f of ints) {
    for (const t of ints) {
      if (f === t) continue;
      const lossless = signed(f) === signed(t) ? bits(t) > bits(f) : !signed(f) && signed(t) && bits(t) > bits(f);
      if (lossless) {
        ctor(`${f}_into_${t}`, [f], t);
        out.push(`(convert ${f} ${t} ${f}_into_${t})`);
      } else {
        ctor(`${f}_try_into_${t}`, [f], t, true);
        ctor(`${f}_unwrap_into_${t}`, [f], t);
        if (signed(f) === signed(t) && bits(t) < bits(f)) ctor(`${f}_truncate_into_${t}`, [f], t);
        if (signed(f) !== signed(t) && bits(t) === bits(f)) ctor(`${f}_cast_${signed(f) ? 'unsigned' : 'signed'}`, [f], t);
      }
      out.push(`(decl pure ${t}_from_${f} (${t}) ${f})`, `(extern extractor ${t}_from_${f} ${f}_from_${t})`, '');
    }
  }
  return out.join('\n');
}

function runGroup(ir: { clifIsleDefinitions: typeof clifIsleDefinitions }, args: Args, group: Group): boolean {
  const { dir, out: outDir, max } = args;
  const clifName = `clif_${group.name}.isle (generated by @clift/ir)`;
  const clifText = ir.clifIsleDefinitions(group.name);
  writeFileSync(join(outDir, `clif_${group.name}.isle`), clifText);
  const inputs = collectInputs(dir, group, clifName, clifText, args.numerics);
  process.stdout.write(`\n== group ${group.name} ==\n`);
  if (typeof inputs[0] === 'string') {
    process.stdout.write(`missing required files under ${dir}: ${(inputs as string[]).join(', ')}\n`);
    return false;
  }
  const sources = inputs as SourceInput[];
  const lines = sources.reduce((n, s) => n + s.text.split('\n').length, 0);
  process.stdout.write(`inputs (${lines} lines): ${sources.map((s) => s.name).join(', ')}\n`);

  // Timings make this run the compile-time figure for the real rule set as well.
  let t0 = performance.now();
  const checked = compileSources(sources, { checkOnly: true });
  const checkMs = performance.now() - t0;
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  const warnings = checked.diagnostics.length - errors.length;
  if (!checked.ok) {
    process.stdout.write(`check: ${errors.length} error(s), ${warnings} warning(s)\n`);
    process.stdout.write(`${firstLines(checked.format(), max * 8)}\n`);
    return false;
  }
  process.stdout.write(`check: ok (${warnings} warning(s), ${checkMs.toFixed(0)} ms)\n`);

  t0 = performance.now();
  const built = compileSources(sources, { banner: `Upstream ISLE conformance check, group ${group.name}.` });
  const buildMs = performance.now() - t0;
  if (!built.ok || built.code === undefined) {
    const n = built.diagnostics.filter((d) => d.severity === 'error').length;
    process.stdout.write(`generate: ${n} error(s)\n${firstLines(built.format(), max * 8)}\n`);
    return false;
  }
  const file = join(outDir, `${group.name}.ts`);
  writeFileSync(file, built.code);
  process.stdout.write(
    `generate: ok (${built.code.split('\n').length} lines in ${buildMs.toFixed(0)} ms, ${relative(process.cwd(), file) || file})\n`,
  );
  const tsc = typecheck(file, max);
  process.stdout.write(`${tsc.summary}\n`);
  return tsc.ok;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { dir, groups, out } = args;
  const ir = await loadIr();
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  process.stdout.write(`upstream ISLE folder: ${dir}\ngenerated files: ${out}\n`);
  let ok = true;
  for (const g of groups) if (!runGroup(ir, args, g)) ok = false;
  process.stdout.write(`\n${ok ? 'all groups passed' : 'some groups failed'}\n`);
  process.exit(ok ? 0 : 1);
}

await main();
