// try_call / try_call_indirect: upstream's aarch64 exception filetests
// compile checker-clean with both allocators; a handler's `exn0` arrives in
// x0; the frame saves every callee-saved register (the unwinder restores
// none); the normal-return path hands `retN` to its block (its `; run:`
// lines execute in run.test.ts through try_call.clif).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSharedFlags } from '@clift/codegen';
import { formatUserFuncName } from '@clift/ir';
import { parseTestFile } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { upstreamDir } from './upstream.js';

const dir = upstreamDir();
const checked = parseSharedFlags([{ name: 'regalloc_checker', value: 'true' }]);

/** Files and the functions of them that use try_call and nothing Clift lacks. */
const CASES: [string, string[]][] = [
  ['isa/aarch64/exceptions.clif', ['%f0', '%f2', '%f4']],
  ['isa/aarch64/no_spill_floats_on_try_call.clif', ['u0:0', 'u0:1']],
  ['isa/aarch64/patchable-call.clif', ['%patchable_try_call']],
];

function load(file: string, names: readonly string[]) {
  const t = parseTestFile(readFileSync(join(dir!, file), 'utf8'), file);
  const fs = t.functions.filter((f) => names.includes(formatUserFuncName(f.func.name)));
  expect(fs.map((f) => formatUserFuncName(f.func.name)).sort()).toEqual([...names].sort());
  return fs;
}

describe('try_call', () => {
  if (!dir) {
    it('needs ../shared/upstream-filetests or CLIFT_UPSTREAM_FILETESTS', () => {
      if (process.env.CI === 'true') throw new Error('upstream filetests are missing');
      console.warn('upstream filetests not found: skipping the try_call suite');
    });
    return;
  }
  it.each(CASES)('%s compiles checker-clean', (file, names) => {
    for (const f of load(file, names)) {
      for (const algorithm of ['backtracking', 'single_pass']) {
        const r = compile(f.func, { flags: checked.with('regalloc_algorithm', algorithm), disassemble: true });
        expect(r.bytes.length % 4).toBe(0);
        const text = r.disassembly!;
        // Every callee-saved pair is saved, whether or not the body writes it.
        for (const pair of ['x19, x20', 'x27, x28', 'd8, d9', 'd14, d15']) expect(text).toContain(`stp ${pair}`);
      }
    }
  });

  it('delivers exn0 from x0 and ret0 to the normal-return block', () => {
    const [f] = load('isa/aarch64/exceptions.clif', ['%f0']);
    const text = compile(f.func, { flags: checked, disassemble: true }).disassembly!;
    const blocks = text.split(/\n\s*block\d+:.*\n/);
    // block0 calls; the normal-return block returns v3 (ret0, in s0) as is; the handler adds 1 to exn0 (x0).
    expect(blocks[1]).toMatch(/bl %g/);
    expect(blocks[2]).not.toMatch(/s0|v0/);
    expect(blocks[3]).toMatch(/add w0, w0, #1/);
  });
});
