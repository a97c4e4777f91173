// `test interpret`: run each `; run:` / `; print:` command of a function in
// the CLIF interpreter, with every function of the file callable, and
// compare results as CLIF run tests do (bit for bit, lane-wise, every
// result). A trap, an interpreter error or a mismatch fails the function.

import { formatDataValues, dataValueListsEqual, type Function } from '@clift/ir';
import { Interpreter, InterpreterError } from '@clift/interpreter';
import type { RunCommand, TestFile } from '@clift/reader';
import { SubtestFailure, type Subtest, type SubtestContext } from '../subtest.js';

// One interpreter per file: decoding every function once serves all of
// its run commands.
const interpreters = new WeakMap<TestFile, Interpreter>();

function interpreterFor(file: TestFile): Interpreter {
  let interp = interpreters.get(file);
  if (!interp) {
    interp = new Interpreter(file.functions.map((f) => f.func));
    interpreters.set(file, interp);
  }
  return interp;
}

/** Runs one command; returns a failure description, or undefined on success. */
export function runInterpretCommand(interp: Interpreter, cmd: RunCommand): string | undefined {
  const call = `%${cmd.funcName}(${formatDataValues(cmd.args)})`;
  let result;
  try {
    result = interp.call(cmd.funcName, cmd.args);
  } catch (e) {
    if (e instanceof InterpreterError) return `line ${cmd.line}: ${call}: ${e.message}`;
    throw e;
  }
  if (result.kind === 'trap') return `line ${cmd.line}: ${call} trapped: ${result.message}`;
  if (cmd.kind === 'print') return undefined;
  const equal = dataValueListsEqual(result.values, cmd.expected);
  const ok = cmd.comparison === '!=' ? !equal : equal;
  if (ok) return undefined;
  return (
    `line ${cmd.line}: ${cmd.text.trim()}\n` +
    `    expected ${cmd.comparison === '!=' ? 'not ' : ''}${formatDataValues(cmd.expected)}\n` +
    `    actual   ${formatDataValues(result.values)}`
  );
}

export const interpretSubtest: Subtest = {
  name: 'interpret',
  // Upstream interprets without verifying first; the interpreter reports
  // malformed input itself.
  needsVerifier: false,
  needsIsa: false,
  run(_func: Function, ctx: SubtestContext): void {
    const cmds = ctx.parsed.runCommands;
    if (cmds.length === 0) return;
    const interp = interpreterFor(ctx.file);
    const failures: string[] = [];
    for (const cmd of cmds) {
      const f = runInterpretCommand(interp, cmd);
      if (f !== undefined) failures.push(f);
    }
    if (failures.length > 0) throw new SubtestFailure(failures.join('\n'));
  },
};
