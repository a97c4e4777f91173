// Command-line parsing for `clif`: turns argv into a typed command or a
// usage error naming the offending word. No I/O here, so every rule is
// testable in-process.
//
// Grammar:
//   clif [--help | -h | --version]
//   clif help [COMMAND]
//   clif test [--json FILE] [-j N | --jobs N] [--bless] [--verbose | -v]
//             [--update-expectations | --check-expectations] [--expectations FILE] PATH…
//   clif cat FILE…
//   clif verify [-p | --print] FILE…
//   clif interpret FILE…
//   clif compile [-t aarch64] [--set NAME[=VALUE]]… [--opt LEVEL] [--vcode] [--disasm]
//                [--timings] [-o OUT.o] FILE
//   clif run [--set NAME[=VALUE]]… [--opt LEVEL] FILE…
// Options may come before or after paths; `--` ends options. `--opt=value`
// is accepted for options that take a value.

export type Command =
  | { kind: 'help'; topic?: CommandName }
  | { kind: 'version' }
  | {
      kind: 'test';
      paths: string[];
      json?: string;
      jobs?: number;
      bless: boolean;
      verbose: boolean;
      expectations?: { mode: 'update' | 'check'; file?: string };
    }
  | { kind: 'cat'; files: string[] }
  | { kind: 'verify'; files: string[]; print: boolean }
  | { kind: 'interpret'; files: string[] }
  | {
      kind: 'compile';
      file: string;
      target: string;
      /** `--set` and `--opt` in command-line order; checked against the flag tables by `main`. */
      settings: SettingArg[];
      vcode: boolean;
      disasm: boolean;
      timings: boolean;
      output?: string;
    }
  | { kind: 'run'; files: string[]; settings: SettingArg[] };

/** `--set NAME=VALUE` (or a bare `NAME`, meaning true). */
export interface SettingArg {
  name: string;
  value: string | undefined;
}

export type CommandName = 'test' | 'cat' | 'verify' | 'interpret' | 'compile' | 'run' | 'help';
export const COMMANDS: readonly CommandName[] = ['test', 'cat', 'verify', 'interpret', 'compile', 'run', 'help'];

/** Targets `clif compile` generates code for. */
export const COMPILE_TARGETS: readonly string[] = ['aarch64'];

/** A command line that cannot be run; exit status 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandName,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

function isCommand(s: string): s is CommandName {
  return (COMMANDS as readonly string[]).includes(s);
}

interface OptionSpec {
  readonly names: readonly string[];
  readonly takesValue: boolean;
}

/** Splits the words after the command into options (by canonical name) and operands. */
function scan(
  command: CommandName,
  words: readonly string[],
  specs: readonly OptionSpec[],
): { opts: Map<string, string[]>; operands: string[] } {
  const opts = new Map<string, string[]>();
  const operands: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '--') {
      operands.push(...words.slice(i + 1));
      break;
    }
    if (!w.startsWith('-') || w === '-') {
      operands.push(w);
      continue;
    }
    const eq = w.startsWith('--') ? w.indexOf('=') : -1;
    const name = eq >= 0 ? w.slice(0, eq) : w;
    const spec = specs.find((s) => s.names.includes(name));
    if (!spec) throw new UsageError(`clif ${command}: unknown option '${name}'`, command);
    const canonical = spec.names[0];
    let value = '';
    if (spec.takesValue) {
      if (eq >= 0) value = w.slice(eq + 1);
      else if (i + 1 < words.length) value = words[++i]!;
      else throw new UsageError(`clif ${command}: option '${name}' needs a value`, command);
    } else if (eq >= 0) {
      throw new UsageError(`clif ${command}: option '${name}' takes no value`, command);
    }
    const list = opts.get(canonical) ?? [];
    list.push(value);
    opts.set(canonical, list);
  }
  return { opts, operands };
}

const HELP: OptionSpec = { names: ['--help', '-h'], takesValue: false };

function last(opts: Map<string, string[]>, name: string): string | undefined {
  const v = opts.get(name);
  return v === undefined ? undefined : v[v.length - 1];
}

const SET: OptionSpec = { names: ['--set'], takesValue: true };
const OPT: OptionSpec = { names: ['--opt'], takesValue: true };

/** `--set` and `--opt` values in the order given (`--opt X` is `opt_level=X`). */
function settingArgs(command: CommandName, words: readonly string[]): SettingArg[] {
  const out: SettingArg[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === '--') break;
    const eq = w.indexOf('=');
    const name = w.startsWith('--') && eq >= 0 ? w.slice(0, eq) : w;
    if (name !== '--set' && name !== '--opt') continue;
    const value = eq >= 0 && w.startsWith('--') ? w.slice(eq + 1) : words[++i];
    if (name === '--opt') {
      out.push({ name: 'opt_level', value });
      continue;
    }
    if (value === undefined || value === '' || value.startsWith('=')) throw new UsageError(`clif ${command}: option '--set' needs NAME or NAME=VALUE, got '${value ?? ''}'`, command);
    const k = value.indexOf('=');
    out.push(k < 0 ? { name: value, value: undefined } : { name: value.slice(0, k), value: value.slice(k + 1) });
  }
  return out;
}

export function parseArgs(argv: readonly string[]): Command {
  const first = argv[0];
  if (first === undefined || first === '--help' || first === '-h') return { kind: 'help' };
  if (first === '--version' || first === '-V') return { kind: 'version' };
  if (first.startsWith('-')) throw new UsageError(`clif: unknown option '${first}'`);
  if (!isCommand(first)) throw new UsageError(`clif: unknown command '${first}'`);
  const rest = argv.slice(1);
  switch (first) {
    case 'help': {
      const { operands } = scan('help', rest, [HELP]);
      if (operands.length === 0) return { kind: 'help' };
      const topic = operands[0];
      if (!isCommand(topic)) throw new UsageError(`clif help: unknown command '${topic}'`, 'help');
      return { kind: 'help', topic };
    }
    case 'test': {
      const { opts, operands } = scan('test', rest, [
        HELP,
        { names: ['--json'], takesValue: true },
        { names: ['--jobs', '-j'], takesValue: true },
        { names: ['--bless'], takesValue: false },
        { names: ['--verbose', '-v'], takesValue: false },
        { names: ['--update-expectations'], takesValue: false },
        { names: ['--check-expectations'], takesValue: false },
        { names: ['--expectations'], takesValue: true },
      ]);
      if (opts.has('--help')) return { kind: 'help', topic: 'test' };
      const cmd: Command & { kind: 'test' } = {
        kind: 'test',
        paths: operands,
        bless: opts.has('--bless'),
        verbose: opts.has('--verbose'),
      };
      const json = last(opts, '--json');
      if (json !== undefined) {
        if (json === '') throw new UsageError("clif test: option '--json' needs a file name", 'test');
        cmd.json = json;
      }
      const jobs = last(opts, '--jobs');
      if (jobs !== undefined) {
        if (!/^[1-9]\d*$/.test(jobs)) throw new UsageError(`clif test: option '-j' needs a positive whole number, got '${jobs}'`, 'test');
        cmd.jobs = Number(jobs);
      }
      const update = opts.has('--update-expectations');
      const check = opts.has('--check-expectations');
      if (update && check) throw new UsageError("clif test: '--update-expectations' and '--check-expectations' exclude each other", 'test');
      const file = last(opts, '--expectations');
      if (update || check) cmd.expectations = { mode: update ? 'update' : 'check', ...(file !== undefined ? { file } : {}) };
      else if (file !== undefined) throw new UsageError("clif test: '--expectations' needs '--update-expectations' or '--check-expectations'", 'test');
      if (cmd.expectations && cmd.bless) throw new UsageError("clif test: '--bless' cannot be combined with the expectations list", 'test');
      if (operands.length === 0 && !cmd.expectations) throw new UsageError('clif test: no test files or folders given', 'test');
      return cmd;
    }
    case 'cat': {
      const { opts, operands } = scan('cat', rest, [HELP]);
      if (opts.has('--help')) return { kind: 'help', topic: 'cat' };
      if (operands.length === 0) throw new UsageError('clif cat: no files given', 'cat');
      return { kind: 'cat', files: operands };
    }
    case 'verify': {
      const { opts, operands } = scan('verify', rest, [HELP, { names: ['--print', '-p'], takesValue: false }]);
      if (opts.has('--help')) return { kind: 'help', topic: 'verify' };
      if (operands.length === 0) throw new UsageError('clif verify: no files given', 'verify');
      return { kind: 'verify', files: operands, print: opts.has('--print') };
    }
    case 'interpret': {
      const { opts, operands } = scan('interpret', rest, [HELP]);
      if (opts.has('--help')) return { kind: 'help', topic: 'interpret' };
      if (operands.length === 0) throw new UsageError('clif interpret: no files given', 'interpret');
      return { kind: 'interpret', files: operands };
    }
    case 'compile': {
      const { opts, operands } = scan('compile', rest, [
        HELP,
        SET,
        OPT,
        { names: ['--target', '-t'], takesValue: true },
        { names: ['--vcode'], takesValue: false },
        { names: ['--disasm', '-D'], takesValue: false },
        { names: ['--timings', '-T'], takesValue: false },
        { names: ['--output', '-o'], takesValue: true },
      ]);
      if (opts.has('--help')) return { kind: 'help', topic: 'compile' };
      const target = last(opts, '--target') ?? 'aarch64';
      if (!COMPILE_TARGETS.includes(target)) throw new UsageError(`clif compile: unsupported target '${target}' (supported: ${COMPILE_TARGETS.join(', ')})`, 'compile');
      if (operands.length === 0) throw new UsageError('clif compile: no file given', 'compile');
      if (operands.length > 1) throw new UsageError(`clif compile: one file at a time, got ${operands.length}`, 'compile');
      const output = last(opts, '--output');
      if (output === '') throw new UsageError("clif compile: option '-o' needs a file name", 'compile');
      return {
        kind: 'compile',
        file: operands[0],
        target,
        settings: settingArgs('compile', rest),
        vcode: opts.has('--vcode'),
        disasm: opts.has('--disasm'),
        timings: opts.has('--timings'),
        ...(output !== undefined ? { output } : {}),
      };
    }
    case 'run': {
      const { opts, operands } = scan('run', rest, [HELP, SET, OPT]);
      if (opts.has('--help')) return { kind: 'help', topic: 'run' };
      if (operands.length === 0) throw new UsageError('clif run: no files given', 'run');
      return { kind: 'run', files: operands, settings: settingArgs('run', rest) };
    }
  }
}

const USAGE: Record<CommandName | 'main', string> = {
  main: `clif — Clift's command-line tool for CLIF files

Usage:
  clif test [OPTIONS] PATH…     run .clif test files and folders
  clif cat FILE…                parse files and print their functions
  clif verify [-p] FILE…        parse files and run the IR verifier
  clif interpret FILE…          run each file's run and print lines in the interpreter
  clif compile [OPTIONS] FILE   compile a file's functions for AArch64
  clif run [OPTIONS] FILE…      compile and execute each file's run lines on AArch64
  clif help [COMMAND]           show help for a command

Options:
  -h, --help                    show this help
  -V, --version                 print the version
`,
  test: `Usage: clif test [OPTIONS] PATH…

Runs every .clif file given and every .clif file under the folders given.
Prints each failure and skip, then "N passed, N failed[, N skipped]".
Exit status 0 when nothing failed, 1 otherwise, 2 for a bad command line.

Options:
  --json FILE                   write one record per file, test and target to FILE
  -j, --jobs N                  worker threads (default: the number of cores)
  --bless                       rewrite precise-output expectations in place
                                (also: CLIFT_TEST_BLESS=1)
  -v, --verbose                 also list passing records
  --update-expectations         run the upstream filetests and rewrite the expectations list
  --check-expectations          run the upstream filetests and compare with the list
  --expectations FILE           the list to update or check (default: @clift/filetests' own)
`,
  cat: `Usage: clif cat FILE…

Parses each file and prints its functions in canonical CLIF. A file that
does not parse gets its error (file:line:column) and the next file follows.
Exit status 1 when any file failed.
`,
  verify: `Usage: clif verify [-p] FILE…

Parses each file and runs the IR verifier on every function, printing each
error with its location. With -p (--print), also prints each function.
Exit status 1 when any file failed to parse or verify.
`,
  interpret: `Usage: clif interpret FILE…

Runs every \`; run:\` and \`; print:\` line of each file in the CLIF
interpreter, every function of the file callable, and prints one line per
command: \`ok\`, the printed results, or the mismatch or trap.
Exit status 1 when any command failed or a file did not parse.
`,
  compile: `Usage: clif compile [OPTIONS] FILE

Compiles every function of FILE for AArch64 (the file's \`set\` lines and the
flags of its first aarch64 target line apply, then --set and --opt). Prints
one line per function with its code size, or the listings asked for.
Exit status 1 when a function does not compile, 2 for a bad command line
(unknown option, setting name or value).

Options:
  -t, --target NAME             the target (only aarch64)
  --set NAME[=VALUE]            a shared setting (repeatable; a bare NAME means true)
  --opt LEVEL                   opt_level: none, speed or speed_and_size
  --vcode                       print the allocated VCode
  -D, --disasm                  print the disassembly
  -T, --timings                 print the time spent in each pass
  -o, --output OUT.o            write an ELF object with every function as a
                                global symbol named after it
`,
  run: `Usage: clif run [OPTIONS] FILE…

Compiles every function of each file for AArch64 and executes the file's
\`; run:\` and \`; print:\` lines (under qemu-aarch64-static on other hosts),
once per aarch64 target line. Prints one line per command.
Exit status 1 when a command failed, a function did not compile or nothing
could run; 2 for a bad command line.

Options:
  --set NAME[=VALUE]            a shared setting, after the file's own
  --opt LEVEL                   opt_level: none, speed or speed_and_size
`,
  help: `Usage: clif help [COMMAND]

Shows help for COMMAND (test, cat, verify, interpret, compile, run), or the overview.
`,
};

export function usage(topic?: CommandName): string {
  return USAGE[topic ?? 'main'];
}
