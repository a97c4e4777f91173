// `tls_value` under each `tls_model`: elf_gd calls the variable's TLS
// descriptor (adrp/ldr/add/blr carrying R_AARCH64_TLSDESC_* relocations,
// then adds the thread pointer), macho calls the variable's thunk (its two
// Mach-O relocations), and any other model is a typed error. Values live
// across the sequence survive it (checker on, both allocators). That GNU ld
// links and relaxes the ELF sequence, and that it then finds the variable,
// is checked in @clift/module's object-execution test.
import { CodegenError, parseSharedFlags, type CompileResult } from '@clift/codegen';
import { parseFunctions } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';

const SOURCE = `
function u0:0(i32) -> i32, i64 {
gv0 = symbol colocated tls u1:0

block0(v0: i32):
    v1 = tls_value.i64 gv0
    return v0, v1
}

function u0:1() -> i64 {
gv0 = symbol colocated tls u1:7+24

block0:
    v1 = tls_value.i64 gv0
    return v1
}
`;

function compileWith(model: string, index: number, algorithm = 'backtracking'): CompileResult {
  const flags = parseSharedFlags([
    { name: 'tls_model', value: model },
    { name: 'regalloc_checker', value: 'true' },
    { name: 'regalloc_algorithm', value: algorithm },
  ]);
  return compile(parseFunctions(SOURCE)[index], { flags, disassemble: true });
}

describe('tls_value', () => {
  it('elf_gd: a TLS descriptor call with its four relocations, then the thread pointer added', () => {
    for (const algorithm of ['backtracking', 'single_pass']) {
      const r = compileWith('elf_gd', 0, algorithm);
      const start = r.relocations[0].offset;
      expect(r.relocations.map((x) => [x.offset - start, x.kind, x.target, x.addend])).toEqual([
        [0, 'Aarch64TlsDescAdrPage21', { kind: 'symbol', name: 'u1:0' }, 0n],
        [4, 'Aarch64TlsDescLd64Lo12', { kind: 'symbol', name: 'u1:0' }, 0n],
        [8, 'Aarch64TlsDescAddLo12', { kind: 'symbol', name: 'u1:0' }, 0n],
        [12, 'Aarch64TlsDescCall', { kind: 'symbol', name: 'u1:0' }, 0n],
      ]);
      // The call clobbers the link register: the frame saves it.
      expect(r.disassembly).toMatch(/stp x29, x30, \[sp, #-16\]!/);
      // The descriptor's resolver preserves everything but x0: v0 moves out of x0 only.
      expect(r.disassembly).toMatch(/mrs (x\d+), tpidr_el0\n\s+add x0, x0, \1/);
      expect(r.disassembly).not.toMatch(/stp x19/);
    }
  });

  it('macho: the thunk call, which clobbers the caller-saved registers', () => {
    for (const algorithm of ['backtracking', 'single_pass']) {
      const r = compileWith('macho', 0, algorithm);
      expect(r.relocations.map((x) => x.kind)).toEqual(['MachOAarch64TlsAdrPage21', 'MachOAarch64TlsAdrPageOff12']);
      expect(r.disassembly).toMatch(/ldr x0, \[x0\][^\n]*\n\s+ldr x1, \[x0\]\n\s+blr x1/);
      // v0 lives across the call: in a callee-saved register or on the stack.
      expect(r.disassembly).toMatch(/(mov x(19|2[0-8]), x0|str x0, \[sp[^\n]*)\n\s+adrp x0/);
    }
  });

  it("adds the symbol's offset", () => {
    const r = compileWith('elf_gd', 1);
    expect(r.relocations.every((x) => x.addend === 0n && x.target.kind === 'symbol' && x.target.name === 'u1:7')).toBe(true);
    expect(r.disassembly).toMatch(/add x0, x0, x\d+\n(\s+mov x\d+, #24\n\s+add x0, x0, x\d+|\s+add x0, x0, #24)/);
  });

  it('is a typed error under other models', () => {
    for (const model of ['none', 'coff']) {
      try {
        compileWith(model, 0);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(CodegenError);
        expect((e as Error).message).toContain(`tls_value with tls_model=${model}`);
      }
    }
  });
});
