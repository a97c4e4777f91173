// The `clif` command's logic: `main(argv, io)` runs one command line and
// resolves to its exit status. All output goes through `io`, so tests run
// it in-process; cli.ts binds it to the real process.
//
// Exit statuses: 0 success, 1 a test/parse/verify failure, 2 a bad command
// line (unknown command or option, missing operand) or a missing path.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { formatDataValues, formatUserFuncName, formatVerifierError, printFunction, verifyFunction, type Function } from '@clift/ir';
import { Interpreter } from '@clift/interpreter';
import { ParseError, parseTestFile } from '@clift/reader';
import {
  MissingPathError,
  collectTestFiles,
  compareWithExpectations,
  defaultExpectationsPath,
  formatExpectations,
  defaultDeviationsPath,
  parseDeviations,
  runInterpretCommand,
  formatRatchetReport,
  formatTally,
  parseExpectations,
  runTestFiles,
  tally,
  toExpectations,
  upstreamFiletestsDir,
  CompileFailure,
  ModuleError,
  aarch64Object,
  checkAarch64Settings,
  compileAarch64,
  compileListing,
  functionSymbol,
  runClifFile,
  type ObjectFunction,
  type FileOutcome,
  type TargetConfig,
  type TestRecord,
} from '@clift/filetests';
import { UsageError, parseArgs, usage, type Command, type SettingArg } from './args.js';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal: enables the one-line progress display. */
  readonly isTTY: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
}

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function indent(text: string, by = '    '): string {
  return text.replace(/^(?=.)/gm, by);
}

function errorText(e: unknown): string {
  if (e instanceof ParseError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${path}: no such file` : code === 'EISDIR' ? `${path}: is a directory` : `${path}: ${(e as Error).message}`, { cause: e });
  }
}

function runCat(files: readonly string[], io: CliIo): number {
  let failed = false;
  let first = true;
  for (const path of files) {
    try {
      const file = parseTestFile(readText(path), path);
      for (const f of file.functions) {
        if (!first) io.stdout('\n');
        first = false;
        io.stdout(printFunction(f.func));
      }
    } catch (e) {
      failed = true;
      io.stderr(`error: ${errorText(e)}\n`);
    }
  }
  return failed ? 1 : 0;
}

function runVerify(files: readonly string[], print: boolean, io: CliIo): number {
  let failed = false;
  for (const path of files) {
    try {
      const file = parseTestFile(readText(path), path);
      const target = file.targets.length === 1 ? file.targets[0].name : undefined;
      let bad = 0;
      for (const f of file.functions) {
        if (print) io.stdout(printFunction(f.func));
        const errors = verifyFunction(f.func, target === undefined ? {} : { target });
        if (errors.length > 0) {
          bad++;
          io.stderr(
            `${path}:${f.line}: function ${formatUserFuncName(f.func.name)}: ${errors.length} verifier error${errors.length === 1 ? '' : 's'}\n` +
              errors.map((e) => `  ${formatVerifierError(e)}\n`).join(''),
          );
        }
      }
      if (bad > 0) failed = true;
      else io.stdout(`${path}: ${file.functions.length} function${file.functions.length === 1 ? '' : 's'} verified\n`);
    } catch (e) {
      failed = true;
      io.stderr(`error: ${errorText(e)}\n`);
    }
  }
  return failed ? 1 : 0;
}

function runInterpret(files: readonly string[], io: CliIo): number {
  let failed = false;
  for (const path of files) {
    try {
      const file = parseTestFile(readText(path), path);
      const interp = new Interpreter(file.functions.map((f) => f.func));
      for (const f of file.functions) {
        for (const cmd of f.runCommands) {
          const call = `%${cmd.funcName}(${formatDataValues(cmd.args)})`;
          const problem = runInterpretCommand(interp, cmd);
          if (problem !== undefined) {
            failed = true;
            io.stdout(`${path}:${cmd.line}: FAIL ${problem.replace(/^line \d+: /, '')}\n`);
          } else if (cmd.kind === 'print') {
            const r = interp.call(cmd.funcName, cmd.args);
            io.stdout(`${path}:${cmd.line}: ${call} -> ${r.kind === 'return' ? formatDataValues(r.values) : r.message}\n`);
          } else {
            io.stdout(`${path}:${cmd.line}: ok ${cmd.text.trim().replace(/^run:\s*/, '')}\n`);
          }
        }
      }
    } catch (e) {
      failed = true;
      io.stderr(`error: ${errorText(e)}\n`);
    }
  }
  return failed ? 1 : 0;
}

function recordTitle(r: TestRecord): string {
  return `${r.path} [test ${r.test}${r.target !== '-' ? `, target ${r.target}` : ''}]`;
}

async function runTest(cmd: Command & { kind: 'test' }, io: CliIo): Promise<number> {
  let paths = cmd.paths;
  let root: string | undefined;
  if (cmd.expectations) {
    const up = upstreamFiletestsDir(io.env);
    if (!up.exists) {
      io.stderr(`clif test: the upstream filetests folder ${up.path} does not exist (set CLIFT_UPSTREAM_FILETESTS)\n`);
      return 2;
    }
    if (paths.length > 0) {
      io.stderr('clif test: the expectations list covers the whole upstream folder; give no paths with it\n');
      return 2;
    }
    root = up.path;
    paths = [up.path];
  }
  let files: string[];
  try {
    files = collectTestFiles(paths);
  } catch (e) {
    if (e instanceof MissingPathError) {
      io.stderr(`clif test: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const bless = cmd.bless || io.env['CLIFT_TEST_BLESS'] === '1';
  const progress = io.isTTY;
  const clear = (): void => {
    if (progress) io.stderr('\r\x1b[K');
  };
  const report = (o: FileOutcome): void => {
    for (const r of o.records) {
      if (r.status === 'fail') {
        clear();
        io.stdout(`FAIL ${recordTitle(r)}\n${indent(r.message)}\n`);
      } else if (r.status === 'skip') {
        clear();
        io.stdout(`skip ${recordTitle(r)}: ${r.message}\n`);
      } else if (cmd.verbose) {
        clear();
        io.stdout(`pass ${recordTitle(r)}\n`);
      }
    }
    if (o.updatedText !== undefined) {
      clear();
      io.stdout(`blessed ${o.path}: expectations rewritten\n`);
    }
  };
  const outcomes = await runTestFiles(files, {
    bless,
    ...(cmd.jobs !== undefined ? { jobs: cmd.jobs } : {}),
    onOutcome: (o, done, total) => {
      report(o);
      if (progress) io.stderr(`\r\x1b[K[${done}/${total}] ${o.path}`);
    },
  });
  clear();
  const records = outcomes.flatMap((o) => o.records);
  if (cmd.json !== undefined) {
    const json = records.map((r) => ({ path: r.path, test: r.test, target: r.target, status: r.status, message: r.message }));
    writeFileSync(cmd.json, JSON.stringify(json, null, 2) + '\n');
  }
  const t = tally(records);
  let status = t.failed > 0 ? 1 : 0;
  if (cmd.expectations && root !== undefined) {
    const listPath = cmd.expectations.file ?? defaultExpectationsPath();
    const deviationsPath = defaultDeviationsPath();
    const deviations = existsSync(deviationsPath) ? parseDeviations(readText(deviationsPath)) : new Map<string, string>();
    const actual = toExpectations(records, root, deviations);
    if (cmd.expectations.mode === 'update') {
      writeFileSync(listPath, formatExpectations(actual));
      io.stdout(`wrote ${actual.length} expectations to ${listPath}\n`);
      status = 0;
    } else {
      let listed;
      try {
        listed = parseExpectations(readText(listPath));
      } catch (e) {
        io.stderr(`clif test: ${errorText(e)}\n`);
        return 1;
      }
      const msg = formatRatchetReport(compareWithExpectations(actual, listed));
      if (msg === '') {
        io.stdout(`expectations hold (${listPath})\n`);
        status = 0;
      } else {
        io.stdout(`${msg}\n`);
        status = 1;
      }
    }
  }
  io.stdout(`${formatTally(t)}\n`);
  return status;
}

interface PassTotals {
  verify: number;
  optimize: number;
  lower: number;
  regalloc: number;
  emit: number;
  total: number;
}

function formatTimings(t: PassTotals): string {
  const ms = (x: number): string => `${x.toFixed(3)} ms`;
  return `verify ${ms(t.verify)}, optimize ${ms(t.optimize)}, lower ${ms(t.lower)}, regalloc ${ms(t.regalloc)}, emit ${ms(t.emit)}, total ${ms(t.total)}`;
}

/** Checks settings before any work; a bad one is a usage error (exit 2). */
function badSettings(command: string, settings: readonly SettingArg[], isaFlags: readonly SettingArg[], io: CliIo): boolean {
  try {
    checkAarch64Settings({ settings, isaFlags });
    return false;
  } catch (e) {
    if (e instanceof CompileFailure) {
      io.stderr(`clif ${command}: ${e.message}\nRun 'clif help ${command}' for usage.\n`);
      return true;
    }
    throw e;
  }
}

function runCompile(cmd: Command & { kind: 'compile' }, io: CliIo): number {
  let file;
  try {
    file = parseTestFile(readText(cmd.file), cmd.file);
  } catch (e) {
    io.stderr(`error: ${errorText(e)}\n`);
    return 1;
  }
  // The file's own configuration first (its first target line of this
  // architecture, else its `set` lines), then the command line's.
  const spec = file.targets.find((t) => t.name === cmd.target);
  const fileSettings = (spec?.settings ?? file.settings).map((s) => ({ name: s.name, value: s.value }));
  const isaFlags = (spec?.flags ?? []).map((f) => ({ name: f.name, value: f.value }));
  if (badSettings('compile', cmd.settings, [], io)) return 2;
  const settings = [...fileSettings, ...cmd.settings];
  if (badSettings('compile', settings, isaFlags, io)) return 1;

  const totals: PassTotals = { verify: 0, optimize: 0, lower: 0, regalloc: 0, emit: 0, total: 0 };
  const compiled: ObjectFunction[] = [];
  let failed = false;
  let bytes = 0;
  for (const p of file.functions) {
    const name = formatUserFuncName(p.func.name);
    let r;
    try {
      r = compileAarch64(p.func, { settings, isaFlags, vcode: cmd.vcode, disassemble: cmd.disasm });
    } catch (e) {
      if (!(e instanceof CompileFailure)) throw e;
      failed = true;
      io.stderr(`${cmd.file}:${p.line}: function ${name}: compilation failed: ${e.summary}\n${e.details !== undefined ? indent(e.details) + '\n' : ''}`);
      continue;
    }
    compiled.push({ name: functionSymbol(p.func), signature: p.func.signature, code: r, func: p.func });
    bytes += r.bytes.length;
    for (const k of Object.keys(totals) as (keyof PassTotals)[]) totals[k] += r.timings[k];
    io.stdout(`function ${name}: ${r.bytes.length} bytes, ${r.stats.vcodeInsts} instructions, ${r.relocations.length} relocations\n`);
    if (cmd.vcode || cmd.disasm) {
      const listing = compileListing(r);
      const split = listing.indexOf('Disassembled:');
      const shown = [...(cmd.vcode ? listing.slice(0, split) : []), ...(cmd.disasm ? listing.slice(split) : [])];
      while (shown.length > 0 && shown[shown.length - 1] === '') shown.pop();
      io.stdout(`${indent(shown.join('\n'), '  ')}\n`);
    }
    if (cmd.timings) io.stdout(`  timings: ${formatTimings(r.timings)}\n`);
  }
  if (cmd.timings) io.stdout(`total: ${compiled.length} functions, ${bytes} bytes; ${formatTimings(totals)}\n`);
  if (failed) {
    if (cmd.output !== undefined) io.stderr(`clif compile: ${cmd.output} not written: a function did not compile\n`);
    return 1;
  }
  if (cmd.output !== undefined) {
    let object: Uint8Array;
    try {
      object = aarch64Object(compiled);
    } catch (e) {
      if (e instanceof ModuleError) {
        io.stderr(`clif compile: cannot write the object: ${e.message}\n`);
        return 1;
      }
      throw e;
    }
    try {
      writeFileSync(cmd.output, object);
    } catch (e) {
      io.stderr(`clif compile: cannot write ${cmd.output}: ${errorText(e)}\n`);
      return 1;
    }
    io.stdout(`wrote ${cmd.output}: ${compiled.length} functions, ${object.length} bytes\n`);
  }
  return 0;
}

function runRun(cmd: Command & { kind: 'run' }, io: CliIo): number {
  if (badSettings('run', cmd.settings, [], io)) return 2;
  let failed = false;
  for (const path of cmd.files) {
    const compileFunction = (func: Function, target: TargetConfig | undefined) =>
      compileAarch64(func, {
        settings: [...(target?.spec.settings ?? []).map((s) => ({ name: s.name, value: s.value })), ...cmd.settings],
        isaFlags: (target?.spec.flags ?? []).map((f) => ({ name: f.name, value: f.value })),
      });
    let records;
    try {
      readText(path);
      records = runClifFile(path, compileFunction);
    } catch (e) {
      failed = true;
      io.stderr(`error: ${errorText(e)}\n`);
      continue;
    }
    let ran = false;
    for (const r of records) {
      const where = r.target === '-' ? path : `${path} [target ${r.target}]`;
      if (r.status === 'skip') {
        io.stdout(`skip ${where}: ${r.message}\n`);
        continue;
      }
      ran = true;
      if (!r.report) {
        // Nothing executed: a function did not compile or the executable could not be built.
        if (r.status === 'fail') {
          failed = true;
          io.stdout(`FAIL ${where}\n${indent(r.message)}\n`);
        } else io.stdout(`${where}: no run lines\n`);
        continue;
      }
      for (const o of r.report.outcomes) {
        const c = o.command;
        const prefix = `${path}:${c.line}:${r.target === '-' ? '' : ` [${r.target}]`}`;
        if (o.status !== 'pass') {
          failed = true;
          io.stdout(`${prefix} FAIL ${o.message}\n`);
        } else if (c.kind === 'print') io.stdout(`${prefix} ${o.message}\n`);
        else io.stdout(`${prefix} ok ${c.text.trim().replace(/^run:\s*/, '')}\n`);
      }
    }
    if (!ran) {
      failed = true;
      io.stderr(`clif run: ${path}: nothing was executed\n`);
    }
  }
  return failed ? 1 : 0;
}

/** Runs one `clif` command line; resolves to the exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let cmd: Command;
  try {
    cmd = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`${e.message}\n${e.command ? `Run 'clif help ${e.command}' for usage.` : "Run 'clif --help' for usage."}\n`);
      return 2;
    }
    throw e;
  }
  switch (cmd.kind) {
    case 'help':
      io.stdout(usage(cmd.topic));
      return 0;
    case 'version':
      io.stdout(`clif ${version()}\n`);
      return 0;
    case 'cat':
      return runCat(cmd.files, io);
    case 'verify':
      return runVerify(cmd.files, cmd.print, io);
    case 'interpret':
      return runInterpret(cmd.files, io);
    case 'test':
      return runTest(cmd, io);
    case 'compile':
      return runCompile(cmd, io);
    case 'run':
      return runRun(cmd, io);
  }
}
