// `test run`: compile every function of the file for the target, link them
// with a driver that makes each `; run:` / `; print:` call, execute the
// program under QEMU (natively on an AArch64 host) and compare results.
//
// One executable serves a whole file and target configuration: the first
// function to run builds and executes it, later functions of the same file
// read their commands' outcomes from the cached report. A target Clift does
// not generate code for, or a missing QEMU/binutils outside CI, is a skip
// with its reason; under CI a missing tool is a failure.

import { parseSharedFlags, type CompiledCode } from '@clift/codegen';
import { formatUserFuncName, type Function } from '@clift/ir';
import { compile } from '@clift/isa-aarch64';
import type { ParsedFunction, RunCommand, TestFile } from '@clift/reader';
import { executeRunCommands, functionSymbol, RunHarnessError, type ExecutionReport, type RunnableFunction } from '../aarch64-run.js';
import { missingToolchainIsFailure, toolchainStatus, ToolchainError } from '../aarch64-toolchain.js';
import { SubtestFailure, SubtestSkip, type Subtest, type SubtestContext } from '../subtest.js';
import { SUPPORTED_TARGETS, type TargetConfig } from '../targets.js';

/** Compiles one function for a target configuration of a test file. */
export function compileForTarget(func: Function, target: TargetConfig): CompiledCode {
  const flags = parseSharedFlags(target.spec.settings.map((s) => ({ name: s.name, value: s.value })));
  const isa = target.spec.flags.map((f) => ({ name: f.name, value: f.value }));
  return compile(func, { isa, flags });
}

type FileRun =
  | { kind: 'report'; report: ExecutionReport }
  | { kind: 'broken'; message: string; culprit: ParsedFunction | undefined };

const runs = new WeakMap<TestFile, Map<string, FileRun>>();

function runFile(file: TestFile, target: TargetConfig): FileRun {
  let perTarget = runs.get(file);
  if (!perTarget) runs.set(file, (perTarget = new Map<string, FileRun>()));
  const cached = perTarget.get(target.label);
  if (cached) return cached;
  const result = buildAndRun(file, target);
  perTarget.set(target.label, result);
  return result;
}

function buildAndRun(file: TestFile, target: TargetConfig): FileRun {
  const functions: RunnableFunction[] = [];
  for (const p of file.functions) {
    try {
      functions.push({ name: functionSymbol(p.func), signature: p.func.signature, code: compileForTarget(p.func, target) });
    } catch (e) {
      return { kind: 'broken', message: `compilation failed: ${e instanceof Error ? e.message : String(e)}`, culprit: p };
    }
  }
  // As upstream's run subtest does, each command calls the function it is
  // written under, whatever name it spells (test interpret, by contrast,
  // calls by name).
  const originals = new Map<RunCommand, RunCommand>();
  const commands = file.functions.flatMap((p) =>
    p.runCommands.map((c) => {
      const attached = { ...c, funcName: functionSymbol(p.func) };
      originals.set(attached, c);
      return attached;
    }),
  );
  if (commands.length === 0) return { kind: 'report', report: { outcomes: [], signal: null, exitStatus: 0, stderr: '', driverSource: '' } };
  try {
    const report = executeRunCommands(functions, commands);
    for (const o of report.outcomes) o.command = originals.get(o.command) ?? o.command;
    return { kind: 'report', report };
  } catch (e) {
    if (e instanceof RunHarnessError || e instanceof ToolchainError) return { kind: 'broken', message: e.message, culprit: undefined };
    throw e;
  }
}

export const runSubtest: Subtest = {
  name: 'run',
  needsVerifier: true,
  needsIsa: true,
  run(func: Function, ctx: SubtestContext): void {
    const target = ctx.target;
    if (!target) throw new SubtestFailure('test run needs a target line');
    if (!SUPPORTED_TARGETS.includes(target.name)) throw new SubtestSkip(`Clift generates no code for target ${target.name} (only ${SUPPORTED_TARGETS.join(', ')})`);
    const tools = toolchainStatus();
    if (tools.missing.length > 0) {
      if (missingToolchainIsFailure()) throw new SubtestFailure(tools.message);
      throw new SubtestSkip(tools.message);
    }
    const result = runFile(ctx.file, target);
    if (result.kind === 'broken') {
      if (result.culprit === ctx.parsed || result.culprit === undefined) throw new SubtestFailure(result.message);
      // Another function of the file failed to build, so nothing could run.
      if (ctx.parsed.runCommands.length > 0) {
        throw new SubtestFailure(`not run: ${formatUserFuncName(result.culprit.func.name)} failed to compile`);
      }
      return;
    }
    const mine = new Set(ctx.parsed.runCommands);
    const bad = result.report.outcomes.filter((o) => mine.has(o.command) && o.status !== 'pass');
    if (bad.length > 0) throw new SubtestFailure(bad.map((o) => `line ${o.command.line}: ${o.message}`).join('\n'));
  },
};
