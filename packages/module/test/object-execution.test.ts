// End-to-end checks of the objects Module writes: readelf accepts them
// without a warning and shows the expected symbols and relocations, GNU ld
// links them, and the linked program computes the expected exit status under
// QEMU. Machine code comes from GNU as (test-only) via assembleFunction.

import { expect, test } from 'vitest';
import { I64, abiParam, newSignature, type Signature } from '@clift/ir';
import { Module, type FuncId } from '../src/index.js';
import { assembleFunction, describeWithToolchain, linkAndRun, readRelocations, readSymbols, readelfAll } from './toolchain.js';

function sig(params: number, returns: number): Signature {
  const s = newSignature('system_v');
  for (let i = 0; i < params; i++) s.params.push(abiParam(I64));
  for (let i = 0; i < returns; i++) s.returns.push(abiParam(I64));
  return s;
}
const START = sig(0, 0);

/** `_start` ends by exiting with the status in w0. */
const EXIT = 'mov x8, #93\n svc #0';

function defineAsm(m: Module, name: string, linkage: 'export' | 'local' | 'hidden' | 'preemptible', s: Signature, asm: string, align = 4): FuncId {
  const id = m.declareFunction(name, linkage, s);
  m.defineFunction(id, assembleFunction(asm, align));
  return id;
}

describeWithToolchain('objects written by Module', () => {
  test('a call through R_AARCH64_CALL26: _start calls add(40, 2) and exits with 42', () => {
    const m = new Module();
    defineAsm(m, '_start', 'export', START, `mov x0, #40\n mov x1, #2\n bl add\n ${EXIT}`);
    defineAsm(m, 'add', 'export', sig(2, 1), 'add x0, x0, x1\n ret');
    const obj = m.finish();

    const text = readelfAll(obj);
    expect(text).toMatch(/Class:\s+ELF64/);
    expect(text).toMatch(/Type:\s+REL \(Relocatable file\)/);
    expect(text).toMatch(/Machine:\s+AArch64/);
    const syms = readSymbols(text);
    expect(syms.find((s) => s.name === 'add')).toMatchObject({ type: 'FUNC', bind: 'GLOBAL', size: 8, value: 20n });
    expect(syms.find((s) => s.name === '_start')).toMatchObject({ type: 'FUNC', bind: 'GLOBAL', size: 20, value: 0n });
    expect(readRelocations(text)).toEqual([{ section: '.rela.text', offset: 8n, type: 'R_AARCH64_CALL26', symbol: 'add', addend: 0n }]);

    const r = linkAndRun([obj]);
    expect(r.linkerOutput).toBe('');
    expect(r.status).toBe(42);
  });

  test('an R_AARCH64_ABS64 data word holding a function address, called indirectly', () => {
    const m = new Module();
    const triple = defineAsm(m, 'triple', 'local', sig(1, 1), 'add x0, x0, x0, lsl #1\n ret');
    const table = m.declareData('fn_table', 'local', false);
    m.defineData(table, { init: { kind: 'zeros', size: 16 }, align: 8, relocations: [{ offset: 8, target: { kind: 'function', id: triple }, addend: 0n }] });
    defineAsm(m, '_start', 'export', START, `adrp x1, fn_table\n add x1, x1, :lo12:fn_table\n ldr x1, [x1, #8]\n mov x0, #7\n blr x1\n ${EXIT}`);
    const obj = m.finish();

    const text = readelfAll(obj);
    expect(text).toMatch(/\.data\.rel\.ro\s+PROGBITS/);
    const relocs = readRelocations(text);
    expect(relocs).toContainEqual({ section: '.rela.data.rel.ro', offset: 8n, type: 'R_AARCH64_ABS64', symbol: 'triple', addend: 0n });
    expect(relocs.filter((r) => r.section === '.rela.text').map((r) => r.type)).toEqual(['R_AARCH64_ADR_PREL_PG_HI21', 'R_AARCH64_ADD_ABS_LO12_NC']);
    const syms = readSymbols(text);
    expect(syms.find((s) => s.name === 'fn_table')).toMatchObject({ type: 'OBJECT', bind: 'LOCAL', size: 16 });
    expect(syms.find((s) => s.name === 'triple')).toMatchObject({ type: 'FUNC', bind: 'LOCAL', size: 8 });
    // Locals (with the null symbol at 0) come before globals, and sh_info is the first global's index.
    const firstGlobal = syms.findIndex((s) => s.bind !== 'LOCAL');
    expect(firstGlobal).toBe(3); // null, triple, fn_table
    expect(syms.slice(firstGlobal).every((s) => s.bind !== 'LOCAL')).toBe(true);
    expect(text).toMatch(new RegExp(`\\.symtab\\s+SYMTAB\\s+\\S+\\s+\\S+\\s+\\S+\\s+18\\s+\\d+\\s+${firstGlobal}\\s+8`));

    expect(linkAndRun([obj]).status).toBe(21);
  });

  test('ADRP/ADD to data objects: .data read, .bss written and read back, .rodata with an addend', () => {
    const m = new Module();
    const counter = m.declareData('counter', 'export', true);
    m.defineData(counter, { init: { kind: 'bytes', bytes: new Uint8Array([30, 0, 0, 0, 0, 0, 0, 0]) }, align: 8 });
    m.declareData('scratch', 'local', true);
    m.defineData(m.declareData('scratch', 'local', true), { init: { kind: 'zeros', size: 64 }, align: 16 });
    m.defineData(m.declareData('consts', 'hidden', false), { init: { kind: 'bytes', bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) } });
    defineAsm(
      m,
      '_start',
      'export',
      START,
      `adrp x1, counter\n add x1, x1, :lo12:counter\n ldr x2, [x1]\n` +
        `adrp x3, scratch\n add x3, x3, :lo12:scratch\n mov x4, #5\n str x4, [x3, #8]\n ldr x5, [x3, #8]\n add x2, x2, x5\n` +
        `adrp x6, consts+6\n add x6, x6, :lo12:consts+6\n ldrb w7, [x6]\n add x0, x2, x7\n ${EXIT}`,
    );
    const obj = m.finish();
    const text = readelfAll(obj);
    expect(text).toMatch(/\.bss\s+NOBITS/);
    expect(text).toMatch(/\.rodata\s+PROGBITS/);
    const syms = readSymbols(text);
    expect(syms.find((s) => s.name === 'scratch')).toMatchObject({ type: 'OBJECT', bind: 'LOCAL', size: 64 });
    expect(syms.find((s) => s.name === 'consts')).toMatchObject({ type: 'OBJECT', bind: 'GLOBAL', vis: 'HIDDEN', size: 8 });
    expect(readRelocations(text)).toContainEqual({ section: '.rela.text', offset: 36n, type: 'R_AARCH64_ADR_PREL_PG_HI21', symbol: 'consts', addend: 6n });
    expect(linkAndRun([obj]).status).toBe(30 + 5 + 7);
  });

  test('imports resolve across two objects; GOT and PREL32 relocations link and run', () => {
    const a = new Module();
    a.declareFunction('helper', 'import', sig(1, 1));
    a.declareData('shared_value', 'import', true);
    const rel = a.declareData('rel_to_helper', 'local', false);
    a.defineData(rel, { init: { kind: 'zeros', size: 4 }, align: 4, relocations: [{ offset: 0, kind: 'PcRel4', target: { kind: 'function', id: a.declareFunction('helper', 'import', sig(1, 1)) } }] });
    defineAsm(
      a,
      '_start',
      'export',
      START,
      // helper(shared_value) through a GOT load, then once more through the PREL32 word.
      `adrp x0, :got:shared_value\n ldr x0, [x0, :got_lo12:shared_value]\n ldr x0, [x0]\n bl helper\n` +
        `adrp x9, rel_to_helper\n add x9, x9, :lo12:rel_to_helper\n ldrsw x10, [x9]\n add x10, x9, x10\n blr x10\n ${EXIT}`,
    );
    const objA = a.finish();
    const textA = readelfAll(objA);
    const symsA = readSymbols(textA);
    expect(symsA.find((s) => s.name === 'helper')).toMatchObject({ type: 'NOTYPE', bind: 'GLOBAL', ndx: 'UND' });
    expect(symsA.find((s) => s.name === 'shared_value')).toMatchObject({ ndx: 'UND' });
    const types = readRelocations(textA).map((r) => r.type);
    expect(types).toEqual(expect.arrayContaining(['R_AARCH64_ADR_GOT_PAGE', 'R_AARCH64_LD64_GOT_LO12_NC', 'R_AARCH64_CALL26', 'R_AARCH64_PREL32']));

    const b = new Module();
    defineAsm(b, 'helper', 'export', sig(1, 1), 'add x0, x0, #1\n ret');
    b.defineData(b.declareData('shared_value', 'export', true), { init: { kind: 'bytes', bytes: new Uint8Array([10, 0, 0, 0, 0, 0, 0, 0]) }, align: 8 });
    const objB = b.finish();
    readelfAll(objB);
    expect(linkAndRun([objA, objB]).status).toBe(12);
  });

  test('function alignment, weak (preemptible) definitions and libcall symbols', () => {
    const m = new Module();
    defineAsm(m, 'first', 'local', sig(0, 1), 'mov x0, #3\n ret');
    defineAsm(m, 'aligned', 'preemptible', sig(0, 1), 'mov x0, #4\n ret', 64);
    m.declareFunction('_start', 'export', START);
    const start = assembleFunction(`bl first\n mov x19, x0\n bl aligned\n add x0, x0, x19\n ${EXIT}`);
    m.defineFunction(m.declareFunction('_start', 'export', START), start);
    // A libcall used by a function that is defined but never called.
    const floorUser = m.declareFunction('uses_floor', 'local', sig(0, 0));
    const code = assembleFunction('bl 0f\n0: ret');
    m.defineFunction(floorUser, { ...code, relocations: [{ offset: 0, kind: 'Arm64Call', target: { kind: 'libcall', name: 'FloorF64' }, addend: 0n }] });
    const obj = m.finish();
    const syms = readSymbols(readelfAll(obj));
    expect(syms.find((s) => s.name === 'aligned')).toMatchObject({ bind: 'WEAK', type: 'FUNC', value: 64n });
    expect(syms.find((s) => s.name === 'floor')).toMatchObject({ bind: 'GLOBAL', ndx: 'UND' });
    // `floor` is undefined, so link with a definition of it.
    const lib = new Module();
    defineAsm(lib, 'floor', 'export', sig(1, 1), 'ret');
    expect(linkAndRun([obj, lib.finish()]).status).toBe(7);
  });

  test('thread-local data and the TLS general-dynamic relocations', () => {
    const m = new Module();
    m.defineData(m.declareData('tls_counter', 'export', true, true), { init: { kind: 'bytes', bytes: new Uint8Array(8).fill(1) }, align: 8 });
    m.defineData(m.declareData('tls_zero', 'local', true, true), { init: { kind: 'zeros', size: 8 }, align: 8 });
    m.declareFunction('__tls_get_addr', 'import', sig(1, 1));
    defineAsm(m, 'get', 'export', sig(0, 1), 'adrp x0, :tlsgd:tls_counter\n add x0, x0, :tlsgd_lo12:tls_counter\n bl __tls_get_addr\n ret');
    const text = readelfAll(m.finish());
    expect(text).toMatch(/\.tdata\s+PROGBITS\s+\S+\s+\S+\s+\S+\s+\S+\s+WAT/);
    expect(text).toMatch(/\.tbss\s+NOBITS\s+\S+\s+\S+\s+\S+\s+\S+\s+WAT/);
    expect(readSymbols(text).find((s) => s.name === 'tls_counter')).toMatchObject({ type: 'TLS', bind: 'GLOBAL', size: 8 });
    expect(readRelocations(text).map((r) => r.type)).toEqual(['R_AARCH64_TLSGD_ADR_PAGE21', 'R_AARCH64_TLSGD_ADD_LO12_NC', 'R_AARCH64_CALL26']);
  });
  test('TLS descriptors: the R_AARCH64_TLSDESC_* sequence links statically (relaxed to local-exec) and finds the variable', () => {
    // The sequence AArch64 `tls_value` emits under tls_model=elf_gd. A
    // static link relaxes it (adrp/ldr/add/blr become movz/movk/nop/nop,
    // leaving the variable's offset from the thread pointer in x0).
    // _start points tpidr_el0 at a zeroed block and exits with the address
    // minus the thread pointer: the TCB's 16 bytes plus tls_b's offset.
    const m = new Module();
    m.defineData(m.declareData('tls_a', 'local', true, true), { init: { kind: 'bytes', bytes: new Uint8Array(8).fill(7) }, align: 8 });
    m.defineData(m.declareData('tls_b', 'export', true, true), { init: { kind: 'bytes', bytes: new Uint8Array(8).fill(9) }, align: 8 });
    m.defineData(m.declareData('tls_block', 'local', true), { init: { kind: 'zeros', size: 64 }, align: 16 });
    defineAsm(
      m,
      'tls_b_addr',
      'export',
      sig(0, 1),
      `stp x29, x30, [sp, #-16]!\n mov x29, sp\n adrp x0, :tlsdesc:tls_b\n ldr x3, [x0, #:tlsdesc_lo12:tls_b]\n add x0, x0, :tlsdesc_lo12:tls_b\n .tlsdesccall tls_b\n blr x3\n mrs x3, tpidr_el0\n add x0, x0, x3\n ldp x29, x30, [sp], #16\n ret`,
    );
    defineAsm(m, '_start', 'export', START, `adrp x1, tls_block\n add x1, x1, :lo12:tls_block\n msr tpidr_el0, x1\n bl tls_b_addr\n mrs x1, tpidr_el0\n sub x0, x0, x1\n ${EXIT}`);
    const obj = m.finish();
    const relocs = readRelocations(readelfAll(obj)).filter((r) => r.symbol === 'tls_b');
    expect(relocs.map((r) => r.type)).toEqual(['R_AARCH64_TLSDESC_ADR_PAGE21', 'R_AARCH64_TLSDESC_LD64_LO12', 'R_AARCH64_TLSDESC_ADD_LO12', 'R_AARCH64_TLSDESC_CALL']);
    expect(relocs.map((r) => r.offset)).toEqual([8n, 12n, 16n, 20n]);
    const r = linkAndRun([obj]);
    expect(r.linkerOutput).toBe('');
    expect(r.status).toBe(24);
  });
});
