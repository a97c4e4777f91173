import { describe, expect, test } from 'vitest';
import type { CompiledCode } from '@clift/codegen';
import { I32, I64, abiParam, newSignature, type Signature } from '@clift/ir';
import { Module, ModuleError, type DataId, type FuncId, type ModuleErrorKind } from './index.js';

function sig(...params: (typeof I32)[]): Signature {
  const s = newSignature('system_v');
  for (const p of params) s.params.push(abiParam(p));
  return s;
}
const RET = new Uint8Array([0xc0, 0x03, 0x5f, 0xd6]); // ret
const code = (extra: Partial<CompiledCode> = {}): CompiledCode => ({ bytes: RET, alignment: 4, relocations: [], traps: [], ...extra });

function expectModuleError(f: () => unknown, kind: ModuleErrorKind, symbol: string): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ModuleError);
    expect((e as ModuleError).kind).toBe(kind);
    expect((e as ModuleError).symbol).toBe(symbol);
    expect((e as ModuleError).message).toContain(symbol);
    return;
  }
  throw new Error(`expected a ModuleError of kind ${kind}`);
}

/** Minimal ELF reading for the structural checks below (readelf does the full check in test/). */
function sections(obj: Uint8Array): { name: string; type: number; info: number; link: number; size: number; offset: number }[] {
  const v = new DataView(obj.buffer, obj.byteOffset, obj.byteLength);
  const shoff = Number(v.getBigUint64(40, true));
  const shnum = v.getUint16(60, true);
  const shstrndx = v.getUint16(62, true);
  const hdr = (i: number) => shoff + i * 64;
  const strOff = Number(v.getBigUint64(hdr(shstrndx) + 24, true));
  const name = (off: number): string => {
    let end = strOff + off;
    while (obj[end] !== 0) end++;
    return new TextDecoder().decode(obj.subarray(strOff + off, end));
  };
  const out = [];
  for (let i = 0; i < shnum; i++) {
    const h = hdr(i);
    out.push({
      name: name(v.getUint32(h, true)),
      type: v.getUint32(h + 4, true),
      offset: Number(v.getBigUint64(h + 24, true)),
      size: Number(v.getBigUint64(h + 32, true)),
      link: v.getUint32(h + 40, true),
      info: v.getUint32(h + 44, true),
    });
  }
  return out;
}

describe('declarations', () => {
  test('re-declaring merges linkage and keeps the id', () => {
    const m = new Module();
    const a = m.declareFunction('f', 'import', sig(I32));
    const b = m.declareFunction('f', 'export', sig(I32));
    expect(b).toBe(a);
    expect(m.functionDeclaration(a).linkage).toBe('export');
    expect(m.declareFunction('f', 'local', sig(I32))).toBe(a);
    expect(m.functionDeclaration(a).linkage).toBe('export');
    const d = m.declareData('d', 'local', true);
    m.declareData('d', 'preemptible', true);
    expect(m.dataDeclaration(d)).toEqual({ name: 'd', linkage: 'preemptible', writable: true, tls: false });
    expect(m.getName('d')).toEqual({ kind: 'data', id: d });
  });

  test('a different signature, kind or data flags is an incompatible declaration', () => {
    const m = new Module();
    m.declareFunction('f', 'export', sig(I32));
    expectModuleError(() => m.declareFunction('f', 'export', sig(I64)), 'incompatible-signature', 'f');
    expectModuleError(() => m.declareData('f', 'export', true), 'incompatible-declaration', 'f');
    m.declareData('d', 'export', false);
    expectModuleError(() => m.declareFunction('d', 'export', sig()), 'incompatible-declaration', 'd');
    expectModuleError(() => m.declareData('d', 'export', true), 'incompatible-declaration', 'd');
    expectModuleError(() => m.declareData('d', 'export', false, true), 'incompatible-declaration', 'd');
    expectModuleError(() => m.declareFunction('', 'export', sig()), 'invalid-definition', '');
  });
});

describe('definitions', () => {
  test('defining twice, defining an import and undeclared ids are errors', () => {
    const m = new Module();
    const f = m.declareFunction('f', 'export', sig());
    m.defineFunction(f, code());
    expectModuleError(() => m.defineFunction(f, code()), 'duplicate-definition', 'f');
    const g = m.declareFunction('g', 'import', sig());
    expectModuleError(() => m.defineFunction(g, code()), 'invalid-import-definition', 'g');
    expectModuleError(() => m.defineFunction(7 as FuncId, code()), 'undeclared', 'func7');
    const d = m.declareData('d', 'import', false);
    expectModuleError(() => m.defineData(d, { init: { kind: 'zeros', size: 8 } }), 'invalid-import-definition', 'd');
    expectModuleError(() => m.defineData(3 as DataId, { init: { kind: 'zeros', size: 8 } }), 'undeclared', 'data3');
    const e = m.declareData('e', 'export', false);
    m.defineData(e, { init: { kind: 'zeros', size: 8 } });
    expectModuleError(() => m.defineData(e, { init: { kind: 'zeros', size: 8 } }), 'duplicate-definition', 'e');
  });

  test('relocations are checked for kind, fit and alignment', () => {
    const m = new Module();
    const f = m.declareFunction('f', 'export', sig());
    const call = (offset: number, kind = 'Arm64Call') =>
      code({ relocations: [{ offset, kind: kind as 'Arm64Call', target: { kind: 'symbol', name: 'f' }, addend: 0n }] });
    expectModuleError(() => m.defineFunction(f, call(0, 'X86CallPLTRel4')), 'unknown-relocation', 'f');
    // Mach-O's thread-local-variable relocations exist in CompiledCode but not in ELF.
    expectModuleError(() => m.defineFunction(f, call(0, 'MachOAarch64TlsAdrPage21')), 'unsupported-relocation', 'f');
    expectModuleError(() => m.defineFunction(f, call(4)), 'invalid-relocation', 'f');
    expectModuleError(() => m.defineFunction(f, code({ bytes: new Uint8Array(8), relocations: call(2).relocations })), 'invalid-relocation', 'f');
    expectModuleError(() => m.defineFunction(f, call(0, 'Abs8')), 'invalid-relocation', 'f');
    expectModuleError(() => m.defineFunction(f, code({ alignment: 12 })), 'invalid-definition', 'f');
    const d = m.declareData('d', 'export', true);
    const reloc = (offset: number, kind: string) => ({
      init: { kind: 'zeros' as const, size: 8 },
      relocations: [{ offset, kind: kind as 'Abs8', target: { kind: 'function' as const, id: f } }],
    });
    expectModuleError(() => m.defineData(d, reloc(4, 'Abs8')), 'invalid-relocation', 'd');
    expectModuleError(() => m.defineData(d, reloc(0, 'Arm64Call')), 'unknown-relocation', 'd');
    expectModuleError(() => m.defineData(d, { init: { kind: 'zeros', size: 8 }, relocations: [{ offset: 0, target: { kind: 'data', id: 9 as DataId } }] }), 'undeclared', 'data9');
    expectModuleError(() => m.defineData(d, { init: { kind: 'zeros', size: -1 } }), 'invalid-definition', 'd');
    m.defineData(d, reloc(0, 'Abs8'));
  });

  test('finish rejects references to undeclared symbols and undefined locals', () => {
    const m = new Module();
    const f = m.declareFunction('f', 'export', sig());
    m.defineFunction(f, code({ bytes: new Uint8Array(8), relocations: [{ offset: 4, kind: 'Arm64Call', target: { kind: 'symbol', name: 'nowhere' }, addend: 0n }] }));
    expectModuleError(() => m.finish(), 'undeclared-symbol', 'nowhere');
    m.declareFunction('nowhere', 'import', sig());
    expect(m.finish()).toBeInstanceOf(Uint8Array);
    m.declareFunction('missing', 'local', sig());
    expectModuleError(() => m.finish(), 'undefined-local', 'missing');
  });

  test('a TLS relocation needs a thread-local target, and only a TLS relocation may have one', () => {
    const tlsdesc = (name: string) =>
      code({ relocations: [{ offset: 0, kind: 'Aarch64TlsDescAdrPage21', target: { kind: 'symbol', name }, addend: 0n }] });
    const m = new Module();
    m.defineFunction(m.declareFunction('f', 'export', sig()), tlsdesc('plain'));
    m.declareData('plain', 'import', true);
    expectModuleError(() => m.finish(), 'invalid-relocation', 'f');
    const n = new Module();
    n.defineFunction(n.declareFunction('f', 'export', sig()), tlsdesc('tvar'));
    n.declareData('tvar', 'import', true, true);
    expect(n.finish()).toBeInstanceOf(Uint8Array);
    const o = new Module();
    o.defineFunction(o.declareFunction('g', 'export', sig()), code({ relocations: [{ offset: 0, kind: 'Aarch64AdrPrelPgHi21', target: { kind: 'symbol', name: 'tvar' }, addend: 0n }] }));
    o.declareData('tvar', 'import', true, true);
    expectModuleError(() => o.finish(), 'invalid-relocation', 'g');
  });
});

describe('ELF layout', () => {
  test('header, sections and table links', () => {
    const m = new Module();
    const f = m.declareFunction('f', 'export', sig());
    m.defineFunction(f, code({ bytes: new Uint8Array(8), relocations: [{ offset: 4, kind: 'Arm64Call', target: { kind: 'libcall', name: 'Memcpy' }, addend: 0n }] }));
    m.defineData(m.declareData('ro', 'local', false), { init: { kind: 'bytes', bytes: new Uint8Array([1, 2, 3]) } });
    const obj = m.finish();
    expect([...obj.subarray(0, 7)]).toEqual([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
    const v = new DataView(obj.buffer);
    expect(v.getUint16(16, true)).toBe(1); // ET_REL
    expect(v.getUint16(18, true)).toBe(183); // EM_AARCH64
    const secs = sections(obj);
    expect(secs.map((s) => s.name)).toEqual(['', '.text', '.rodata', '.note.GNU-stack', '.rela.text', '.symtab', '.strtab', '.shstrtab']);
    const rela = secs[4];
    expect(rela).toMatchObject({ type: 4, link: 5, info: 1, size: 24 });
    const info = v.getBigUint64(rela.offset + 8, true);
    expect(Number(info & 0xffffffffn)).toBe(283); // R_AARCH64_CALL26
    const symtab = secs[5];
    // null, ro (local), f, memcpy: two locals including the null symbol.
    expect(symtab).toMatchObject({ type: 2, link: 6, info: 2, size: 4 * 24 });
    expect(Number(info >> 32n)).toBe(3); // memcpy, created after f
    expect(new TextDecoder().decode(obj.subarray(secs[6].offset, secs[6].offset + secs[6].size))).toBe('\0ro\0f\0memcpy\0');
  });

  test('finish can be called again and gives the same bytes', () => {
    const m = new Module();
    m.defineFunction(m.declareFunction('f', 'export', sig()), code());
    expect(m.finish()).toEqual(m.finish());
  });
});

test('symbol names are written as UTF-8', () => {
  const m = new Module();
  m.defineFunction(m.declareFunction('fé€😀', 'export', sig()), code());
  const obj = m.finish();
  const strtab = sections(obj).find((s) => s.name === '.strtab')!;
  expect(new TextDecoder().decode(obj.subarray(strtab.offset, strtab.offset + strtab.size))).toBe('\0fé€😀\0');
});
