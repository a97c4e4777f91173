// `test compile`: precise output (and blessing), FileCheck, expect-fail,
// targets Clift does not compile for, and the first line of a failure,
// which the conformance ratchet keeps as its reason and which must tell
// "does not compile" from "compiles checker-clean, text differs".

import { describe, expect, it } from 'vitest';
import { lookupSubtest, oneLineReason, runTestText } from '../src/index.js';

const ADD = `function %add(i64, i64) -> i64 {
block0(v0: i64, v1: i64):
    v2 = iadd v0, v1
    return v2
}
`;
const SIMD = `function %v(i64) -> i8x32 {
block0(v0: i64):
    v1 = load.i8x32 v0
    return v1
}
`;

function only(text: string, bless = false) {
  const o = runTestText('t.clif', text, { bless });
  expect(o.records.length).toBe(1);
  return { record: o.records[0], updated: o.updatedText };
}

describe('test compile', () => {
  it('is implemented and runs per target', () => {
    const s = lookupSubtest('compile');
    expect(s.kind).toBe('implemented');
    if (s.kind === 'implemented') expect(s.subtest.needsIsa).toBe(true);
  });

  it('precise-output: bless writes the VCode and disassembly listing, which then passes', () => {
    const text = `test compile precise-output\nset unwind_info=false\ntarget aarch64\n\n${ADD}`;
    const first = only(text);
    expect(first.record.status).toBe('fail');
    expect(oneLineReason(first.record.message)).toBe('function %add (line 5): compiled checker-clean; no expectation is recorded after the function');
    const blessed = only(text, true);
    expect(blessed.record.status).toBe('pass');
    const updated = blessed.updated!;
    expect(updated).toMatch(/^}\n\n; VCode:\n; block0:\n(; .*\n)*;\n; Disassembled:\n; block0: ; offset 0x0\n(; .*\n)+$/m);
    expect(updated).toContain(';   add x0, x0, x1');
    expect(only(updated).record.status).toBe('pass');
  });

  it('precise-output: a different listing fails with "compiled checker-clean; output differs" first, then the diff', () => {
    const text = `test compile precise-output\ntarget aarch64\n\n${ADD}`;
    const updated = only(text, true).updated!;
    const changed = updated.replace(';   add x0, x0, x1', ';   sub x0, x0, x1');
    const r = only(changed).record;
    expect(r.status).toBe('fail');
    const lines = r.message.split('\n');
    expect(lines[0]).toBe('function %add (line 4): compiled checker-clean; output differs from the expectation (2 lines)');
    expect(r.message).toContain('-   sub x0, x0, x1');
    expect(r.message).toContain('+   add x0, x0, x1');
    expect(r.message).toContain('--bless');
  });

  it('a function the backend refuses fails with "compilation failed: <kind>: …" first', () => {
    const r = only(`test compile precise-output\ntarget aarch64\n\n${SIMD}`).record;
    expect(r.status).toBe('fail');
    expect(oneLineReason(r.message)).toMatch(/^function %v \(line 4\): compilation failed: unsupported: .*i8x32/);
  });

  it('bad settings are a compilation failure naming the setting', () => {
    const r = only(`test compile\nset no_such_setting=1\ntarget aarch64\n\n${ADD}`).record;
    expect(r.status).toBe('fail');
    expect(oneLineReason(r.message)).toContain("compilation failed: setting: unknown shared setting 'no_such_setting'");
    const isa = only(`test compile\ntarget aarch64 has_warp_drive\n\n${ADD}`).record;
    expect(isa.status).toBe('fail');
    expect(isa.message).toContain('has_warp_drive');
  });

  it('FileCheck over the listing without precise-output', () => {
    const ok = only(`test compile\ntarget aarch64\n\n${ADD}; check: VCode:\n; check: add x0, x0, x1\n; check: Disassembled:\n; nextln: block0: ; offset 0x0\n`).record;
    expect(ok.status).toBe('pass');
    const bad = only(`test compile\ntarget aarch64\n\n${ADD}; check: mul x0\n`).record;
    expect(bad.status).toBe('fail');
    expect(oneLineReason(bad.message)).toMatch(/compiled checker-clean; filecheck failed: .*mul x0/);
  });

  it('expect-fail: passes when compilation is refused, fails when it succeeds', () => {
    expect(only(`test compile expect-fail\ntarget aarch64\n\n${SIMD}`).record.status).toBe('pass');
    const r = only(`test compile expect-fail\ntarget aarch64\n\n${ADD}`).record;
    expect(r.status).toBe('fail');
    expect(r.message).toMatch(/compiled \(\d+ bytes\) but the test expects compilation to fail/);
  });

  it('a function the verifier rejects is a compilation failure (and an expected one under expect-fail)', () => {
    const bad = 'function %b() -> i32 {\nblock0:\n    v0 = iconst.i64 1\n    return v0\n}\n';
    const r = only(`test compile\ntarget aarch64\n\n${bad}`).record;
    expect(r.status).toBe('fail');
    expect(oneLineReason(r.message)).toContain('compilation failed: verifier: ');
    expect(only(`test compile expect-fail\ntarget aarch64\n\n${bad}`).record.status).toBe('pass');
  });

  it('other targets are skipped, naming the target; unknown options are refused', () => {
    const o = runTestText('t.clif', `test compile\ntarget x86_64\ntarget aarch64\n\n${ADD}`);
    expect(o.records.map((r) => [r.target, r.status])).toEqual([
      ['x86_64', 'skip'],
      ['aarch64', 'pass'],
    ]);
    expect(o.records[0].message).toContain('target x86_64');
    const bad = only(`test compile fast-please\ntarget aarch64\n\n${ADD}`).record;
    expect(bad.status).toBe('fail');
    expect(bad.message).toContain("unknown option 'fast-please'");
  });

  it("compiles at the file's opt_level", () => {
    // At speed the mid-end folds the constant arithmetic away; at none it stays.
    const f = 'function %k() -> i64 {\nblock0:\n    v0 = iconst.i64 40\n    v1 = iconst.i64 2\n    v2 = iadd v0, v1\n    return v2\n}\n; check: Disassembled:\n';
    const none = only(`test compile\nset opt_level=none\ntarget aarch64\n\n${f}; check: add\n`).record;
    expect(none.status).toBe('pass');
    const speed = only(`test compile\nset opt_level=speed\ntarget aarch64\n\n${f}; not: add\n`).record;
    expect(speed.status).toBe('pass');
  });
});
