#!/usr/bin/env node
// The `isle` command line.
//
//   isle check FILE...                 parse, type-check and overlap-check
//   isle build -o OUT.ts FILE...       also generate TypeScript
//
// Options (both commands):
//   --types MODULE        import extern types from MODULE (build only)
//   --prim NAME=TSTYPE    TypeScript representation of a primitive type
//   --overlap error|warning|off
//   --no-shadow-warnings
// Exit status: 0 on success (warnings allowed), 1 on ISLE errors, 2 on
// usage errors. Diagnostics go to stderr.

import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFiles, type CompileOptions } from './compile.js';

const USAGE = `usage:
  isle check [options] FILE.isle...
  isle build [options] -o OUT.ts FILE.isle...

options:
  -o, --out FILE           output file (build)
  --types MODULE           import extern types and enums from MODULE (build)
  --prim NAME=TSTYPE       represent primitive NAME as TSTYPE (number, bigint,
                           boolean, or a type name); may be repeated
  --overlap LEVEL          same-priority overlaps: error (default), warning, off
  --no-shadow-warnings     do not warn about rules hidden by higher priorities
  -h, --help               show this help`;

export interface CliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

/** Runs the CLI with `argv` (without `node` and the script); returns the exit code. */
export function runCli(argv: readonly string[], io: CliIo): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help') {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'check' && command !== 'build') {
    io.stderr(`isle: unknown command \`${command}\`: expected \`check\` or \`build\`\n\n${USAGE}`);
    return 2;
  }
  const files: string[] = [];
  const primitives: Record<string, string> = {};
  let out: string | undefined;
  let typesModule: string | undefined;
  let overlapSeverity: 'error' | 'warning' | 'off' = 'error';
  let shadowWarnings = true;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const value = (): string | undefined => {
      const v = rest[++i];
      if (v === undefined) io.stderr(`isle: option \`${a}\` expects a value\n`);
      return v;
    };
    if (a === '-o' || a === '--out') {
      out = value();
      if (out === undefined) return 2;
    } else if (a === '--types') {
      typesModule = value();
      if (typesModule === undefined) return 2;
    } else if (a === '--prim') {
      const v = value();
      if (v === undefined) return 2;
      const eq = v.indexOf('=');
      if (eq <= 0) {
        io.stderr(`isle: \`--prim\` expects NAME=TSTYPE, found \`${v}\`\n`);
        return 2;
      }
      primitives[v.slice(0, eq)] = v.slice(eq + 1);
    } else if (a === '--overlap') {
      const v = value();
      if (v !== 'error' && v !== 'warning' && v !== 'off') {
        io.stderr('isle: `--overlap` expects error, warning or off\n');
        return 2;
      }
      overlapSeverity = v;
    } else if (a === '--no-shadow-warnings') shadowWarnings = false;
    else if (a === '-h' || a === '--help') {
      io.stdout(USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      io.stderr(`isle: unknown option \`${a}\`\n\n${USAGE}`);
      return 2;
    } else files.push(a);
  }
  if (files.length === 0) {
    io.stderr(`isle: no input files\n\n${USAGE}`);
    return 2;
  }
  if (command === 'build' && out === undefined) {
    io.stderr('isle: `build` needs an output file: `-o OUT.ts`\n');
    return 2;
  }
  const options: CompileOptions = {
    primitives,
    overlapSeverity,
    shadowWarnings,
    checkOnly: command === 'check',
    ...(typesModule !== undefined ? { typesModule } : {}),
    banner: `Command: isle ${argv.join(' ')}`,
  };
  let result;
  try {
    result = compileFiles(files, options);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT' || err.code === 'EISDIR') {
      io.stderr(`isle: cannot read \`${err.path ?? '?'}\`: ${err.code === 'ENOENT' ? 'no such file' : 'is a directory'}\n`);
      return 2;
    }
    throw e;
  }
  const report = result.format();
  if (report !== '') io.stderr(report + '\n');
  if (!result.ok) return 1;
  if (command === 'build' && out !== undefined && result.code !== undefined) {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, result.code);
    io.stdout(`isle: wrote ${out}\n`);
  } else if (command === 'check') {
    const p = result.program;
    io.stdout(`isle: ${files.length} file(s) ok: ${p?.types.length ?? 0} types, ${p?.terms.length ?? 0} terms, ${p?.rules.length ?? 0} rules\n`);
  }
  return 0;
}

function isMain(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

const invokedDirectly = isMain();
if (invokedDirectly) {
  process.exitCode = runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  });
}
