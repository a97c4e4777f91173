// Executes upstream's scalar integer runtests on AArch64: every `; run:`
// line with integer arguments and results (at most eight of each) is called
// from a generated `_start` under qemu-aarch64-static (natively on an AArch64
// host) and its results compared bit for bit. Lines the executor cannot
// express (more arguments, floats, i128, libcalls) are counted and skipped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSharedFlags, type CompiledCode } from '@clift/codegen';
import { formatUserFuncName, isInt, typeBits } from '@clift/ir';
import { parseTestFile } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { qemuAvailable, runFunctions, type Invocation } from './qemu.js';
import { INTEGER_RUNTESTS, upstreamDir } from './upstream.js';

const dir = upstreamDir();
const haveQemu = qemuAvailable();
const flags = parseSharedFlags([{ name: 'regalloc_checker', value: 'true' }]);
// call_libcall needs libcall symbols the executor does not provide.
const FILES = INTEGER_RUNTESTS.filter((f) => f !== 'call_libcall.clif');

describe('upstream integer runtests execute correctly', () => {
  if (!dir || !haveQemu) {
    it('needs upstream filetests and qemu-aarch64-static', () => {
      if (process.env.CI === 'true') throw new Error(`missing ${!dir ? 'upstream filetests' : 'qemu-aarch64-static'}`);
      console.warn('skipping execution tests: upstream filetests or qemu-aarch64-static not found');
    });
    return;
  }
  it.each(FILES)('%s', (file) => {
    const t = parseTestFile(readFileSync(join(dir, 'runtests', file), 'utf8'), file);
    const funcs = new Map<string, CompiledCode>();
    const calls: Invocation[] = [];
    const expected: { text: string; values: bigint[]; bits: number[] }[] = [];
    for (const f of t.functions) {
      funcs.set(formatUserFuncName(f.func.name).slice(1), compile(f.func, { flags }));
      for (const rc of f.runCommands) {
        if (rc.kind !== 'run' || rc.comparison !== '==' || rc.args.length > 8 || rc.expected.length > 8) continue;
        if ([...rc.args, ...rc.expected].some((v) => !isInt(v.type) || typeBits(v.type) > 64)) continue;
        calls.push({ func: rc.funcName, args: rc.args.map((a) => a.bits), numResults: rc.expected.length });
        expected.push({ text: `${file}:${rc.line}: ${rc.text}`, values: rc.expected.map((e) => e.bits), bits: rc.expected.map((e) => typeBits(e.type)) });
      }
    }
    if (calls.length === 0) return;
    const results = runFunctions(funcs, calls);
    const failures: string[] = [];
    results.forEach((r, i) => {
      const e = expected[i];
      // Bits above a narrow result's width are undefined in the ABI: compare the low bits.
      const got = r.map((v, k) => BigInt.asUintN(e.bits[k], v));
      if (got.some((g, k) => g !== e.values[k])) failures.push(`${e.text} got ${got.join(', ')}`);
    });
    expect(failures).toEqual([]);
  });
});
