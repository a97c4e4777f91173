// Behaviour of one file's run: records per test command and target, and
// failure messages that name the function, directive and text.

import { parseTestFile } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { FileUpdate, checkPreciseOutput, runTestText, type SubtestContext, type TestRecord } from '../src/index.js';

function run(text: string): TestRecord[] {
  return runTestText('mem.clif', text).records;
}

const DIAMOND = `
function %f(i32) {
block0(v0: i32):
    brif v0, block1, block2
block1:
    jump block3
block2:
    jump block3
block3:
    return
}
`;

describe('runTestText', () => {
  it('passes a cat test whose checks match, and reports the directive that does not', () => {
    expect(run(`test cat\n${DIAMOND}; check: brif v0, block1, block2\n`)).toEqual([
      { path: 'mem.clif', test: 'cat', target: '-', status: 'pass', message: '' },
    ]);
    const [r] = run(`test cat\n${DIAMOND}; check: block1:\n; nextln: return\n`);
    expect(r.status).toBe('fail');
    expect(r.message).toContain('function %f (line 3)');
    expect(r.message).toContain('`nextln: return`');
    expect(r.message).toContain('(line 14)');
    expect(r.message).toContain('>     jump block3');
  });

  it('verifier: a clean function passes, an unannotated error fails, annotations must all match', () => {
    expect(run(`test verifier\n${DIAMOND}`)[0].status).toBe('pass');
    const bad = `test verifier
function %g(i32) -> i32 {
block0(v0: i32):
    v1 = iadd.i32 v2, v0
    v2 = iconst.i32 1
    return v1
}
`;
    const [r] = run(bad);
    expect(r.status).toBe('fail');
    expect(r.message).toContain('expected no error, but got');
    expect(r.message).toContain('inst0');
    const annotated = bad.replace('v1 = iadd.i32 v2, v0', 'v1 = iadd.i32 v2, v0 ; error: non-dominating');
    expect(run(annotated)[0].status).toBe('pass');
    const wrong = bad.replace('v1 = iadd.i32 v2, v0', 'v1 = iadd.i32 v2, v0 ; error: something else');
    const [w] = run(wrong);
    expect(w.status).toBe('fail');
    expect(w.message).toMatch(/expected error at line 4 on inst0: something else/);
    expect(w.message).toMatch(/unexpected error inst0/);
    const [c] = run(`test verifier\n${DIAMOND.replace('return', 'return ; error: nothing wrong here')}`);
    expect(c.status).toBe('fail');
    expect(c.message).toContain('verified cleanly, but expected errors');
  });

  it('domtree: checks annotations, unannotated reachable blocks, and the printed tree', () => {
    const ok = DIAMOND.replace('brif v0, block1, block2', 'brif v0, block1, block2 ; dominates: block1 block2 block3');
    expect(run(`test domtree\n${ok}; check: domtree_preorder {\n; nextln: block0: block2 block1 block3\n`)[0].status).toBe('pass');
    const [missing] = run(`test domtree\n${DIAMOND}`);
    expect(missing.status).toBe('fail');
    expect(missing.message).toContain('mismatching idoms for block1');
    const wrong = DIAMOND.replace('brif v0, block1, block2', 'brif v0, block1, block2 ; dominates: block1 block2')
      .replace('block1:\n    jump block3', 'block1:\n    jump block3 ; dominates: block3');
    const [w] = run(`test domtree\n${wrong}`);
    expect(w.status).toBe('fail');
    expect(w.message).toContain('mismatching idoms for block3');
    expect(w.message).toContain('got: block0');
  });

  it('print-cfg: prints records and edges in dot form', () => {
    const text = `test print-cfg\n${DIAMOND}; check: {rank=min; block0}\n; check: block3 [shape=record, label="{block3:\n; nextln: | <inst3>return\n; check: block1:inst1 -> block3\n; nextln: block2:inst2 -> block3\n`;
    const [r] = run(text);
    expect(r.message).toBe('');
    expect(r.status).toBe('pass');
  });

  it('skips commands that are not implemented, once per target when they need one', () => {
    const recs = run(`test dce\ntest unwind\ntarget aarch64\ntarget x86_64 has_avx\n${DIAMOND}`);
    expect(recs.map((r) => [r.test, r.target, r.status, r.message])).toEqual([
      ['dce', '-', 'skip', 'test dce is not implemented yet'],
      ['unwind', 'aarch64', 'skip', 'test unwind is not implemented yet'],
      ['unwind', 'x86_64 has_avx', 'skip', 'test unwind is not implemented yet'],
    ]);
  });

  it('fails unknown commands, options where none are allowed, files without tests, and parse errors', () => {
    expect(run(`test frobnicate\n${DIAMOND}`)[0]).toMatchObject({ status: 'fail', message: "line 1: unknown test command 'frobnicate'" });
    expect(run(`test cat extra\n${DIAMOND}`)[0]).toMatchObject({ status: 'fail', message: 'line 1: No options allowed on test cat extra' });
    expect(run(DIAMOND)[0]).toMatchObject({ test: '-', status: 'fail', message: 'no test commands found' });
    const recs = run('test cat\ntest verifier\nfunction %f() {\nblock0:\n    bogus_opcode\n}\n');
    expect(recs.map((r) => r.test)).toEqual(['cat', 'verifier']);
    for (const r of recs) {
      expect(r.status).toBe('fail');
      expect(r.message).toMatch(/^parse error at mem\.clif:5:\d+: /);
    }
  });

  it('fails every test of a file with a malformed run command, at its file:line:column', () => {
    const text = 'test cat\ntest interpret\nfunction %f(i8) -> i8 {\nblock0(v0: i8):\n    return v0\n}\n; run: %f(1) == 1\n; run: %f(1, 2) == 1\n';
    const recs = run(text);
    expect(recs.map((r) => r.test)).toEqual(['cat', 'interpret']);
    for (const r of recs) expect(r).toMatchObject({ status: 'fail', message: "parse error at mem.clif:8:12: expected ')' after the arguments, found ','" });
    expect(run(text.replace('%f(1, 2)', '%f(2)'))[1]).toMatchObject({ test: 'interpret', status: 'fail' });
    expect(run(text.replace('%f(1, 2) == 1', '%f(2) == 2')).map((r) => r.status)).toEqual(['pass', 'pass']);
  });

  it('runs the verifier first for subtests that need it', () => {
    const bad = `test domtree
function %g(i32) -> i32 {
block0(v0: i32):
    v1 = iadd.i32 v2, v0
    v2 = iconst.i32 1
    return v1
}
`;
    const [r] = run(bad);
    expect(r.status).toBe('fail');
    expect(r.message).toContain('the verifier rejected it');
  });
});

describe('checkPreciseOutput', () => {
  const text = 'test cat\n\nfunction %f() {\nblock0:\n    return\n}\n\n; block0:\n;   ret\n';
  const file = parseTestFile(text, 'p.clif');
  const ctx = (bless: boolean, update: FileUpdate): SubtestContext => ({
    path: 'p.clif',
    file,
    parsed: file.functions[0],
    target: undefined,
    options: [],
    bless,
    update,
  });

  it('accepts matching output and rejects other output with a diff', () => {
    const u = new FileUpdate();
    expect(() => checkPreciseOutput(['block0:', '  ret'], ctx(false, u))).not.toThrow();
    expect(() => checkPreciseOutput(['block0:', '  nop'], ctx(false, u))).toThrow(/- {3}ret\n\+ {3}nop/);
    expect(u.isEmpty).toBe(true);
  });

  it('records a rewrite when blessing', () => {
    const u = new FileUpdate();
    checkPreciseOutput(['block0:', '  nop'], ctx(true, u));
    expect(u.apply(text)).toBe('test cat\n\nfunction %f() {\nblock0:\n    return\n}\n\n; block0:\n;   nop\n');
  });
});
