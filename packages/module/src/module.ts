// The Module: a set of named functions and data objects, declared first
// (name, linkage, and a signature or data flags) and defined later (compiled
// code, or bytes), written out as one ELF relocatable object for AArch64.
// It follows cranelift-module / cranelift-object: declarations can be
// repeated and their linkages merge; ids are dense and stable.
//
// What goes where in the object:
//   functions                      .text (each at max(its alignment, 4))
//   writable data with contents    .data
//   writable zeros, no relocations .bss
//   read-only data, no relocations .rodata
//   read-only data with relocations .data.rel.ro (the linker must write it)
//   thread-local data              .tdata / .tbss
//   declared but undefined         an undefined symbol (imports, libcalls)
// plus an empty `.note.GNU-stack`, which tells the linker the code does not
// need an executable stack.
//
// Invariants: a name is declared at most once as a function or as data,
// never both; an id is defined at most once; imports are never defined.
// `finish()` does not change the module, so it can be called again.

import type { CompiledCode, RelocKind } from '@clift/codegen';
import { signaturesEqual, type Signature } from '@clift/ir';
import { ELF, ElfObjectWriter, type ElfSectionIndex, type ElfSymbolHandle } from './elf.js';
import { ModuleError } from './errors.js';
import { defaultLibcallName } from './libcalls.js';
import { MACHO_ONLY_RELOCATIONS, aarch64Relocation, type RelocInfo } from './relocations.js';

/**
 * How a symbol is visible outside the object:
 * - `import`: defined in another object; an undefined global symbol.
 * - `local`: defined here and visible only here (STB_LOCAL).
 * - `hidden`: defined here, global to the link but not exported from a shared object.
 * - `preemptible`: defined here, but another definition may override it (STB_WEAK).
 * - `export`: defined here and visible everywhere (STB_GLOBAL).
 */
export type Linkage = 'import' | 'local' | 'hidden' | 'preemptible' | 'export';

/** A declared function (dense from 0 in declaration order). */
export type FuncId = number & { readonly __brand: 'FuncId' };
/** A declared data object (dense from 0 in declaration order). */
export type DataId = number & { readonly __brand: 'DataId' };

export interface FunctionDeclaration {
  readonly name: string;
  readonly linkage: Linkage;
  readonly signature: Signature;
}

export interface DataDeclaration {
  readonly name: string;
  readonly linkage: Linkage;
  readonly writable: boolean;
  readonly tls: boolean;
}

/** What a data relocation points at. */
export type DataRelocTarget = { kind: 'function'; id: FuncId } | { kind: 'data'; id: DataId };

export interface DataRelocation {
  /** Byte offset in the data object of the patched field. */
  offset: number;
  target: DataRelocTarget;
  /** Added to the target's address; default 0. */
  addend?: bigint;
  /** `Abs8` (a 64-bit address, the default) or `PcRel4` (32-bit offset from the field). */
  kind?: 'Abs8' | 'PcRel4';
}

export interface DataDescription {
  /** Initial contents, or a size for zero-initialised data. */
  init: { kind: 'bytes'; bytes: Uint8Array } | { kind: 'zeros'; size: number };
  /** A power of two; default 1. */
  align?: number;
  relocations?: DataRelocation[];
}

export interface ModuleOptions {
  /** Maps a libcall relocation target (`CeilF32`) to its symbol; default: upstream's names (`ceilf`). */
  libcallName?: (libcall: string) => string;
}

interface FuncEntry {
  name: string;
  linkage: Linkage;
  signature: Signature;
  code: CompiledCode | undefined;
}

interface DataEntry {
  name: string;
  linkage: Linkage;
  writable: boolean;
  tls: boolean;
  desc: DataDescription | undefined;
}

type NameEntry = { kind: 'function'; id: FuncId } | { kind: 'data'; id: DataId };

/** Upstream's `Linkage::merge`: the more visible of two declarations wins; an import takes the other. */
function mergeLinkage(a: Linkage, b: Linkage): Linkage {
  const rank: Record<Linkage, number> = { import: 0, local: 1, hidden: 2, preemptible: 3, export: 4 };
  return rank[a] >= rank[b] ? a : b;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

function bindingOf(linkage: Linkage): { binding: number; visibility: number } {
  switch (linkage) {
    case 'local': return { binding: ELF.STB_LOCAL, visibility: ELF.STV_DEFAULT };
    case 'hidden': return { binding: ELF.STB_GLOBAL, visibility: ELF.STV_HIDDEN };
    case 'preemptible': return { binding: ELF.STB_WEAK, visibility: ELF.STV_DEFAULT };
    case 'import':
    case 'export': return { binding: ELF.STB_GLOBAL, visibility: ELF.STV_DEFAULT };
  }
}

/** Builds an AArch64 ELF relocatable object from declared and defined functions and data. */
export class Module {
  private readonly funcs: FuncEntry[] = [];
  private readonly datas: DataEntry[] = [];
  private readonly names = new Map<string, NameEntry>();
  private readonly libcallName: (libcall: string) => string;

  constructor(options: ModuleOptions = {}) {
    this.libcallName = options.libcallName ?? defaultLibcallName;
  }

  // -------------------------------------------------------------------------
  // Declarations

  /**
   * Declares a function, or re-declares one: the signature must match and
   * the linkages merge. Post-invariant: `name` maps to the returned id.
   */
  declareFunction(name: string, linkage: Linkage, signature: Signature): FuncId {
    checkName(name);
    const known = this.names.get(name);
    if (known) {
      if (known.kind !== 'function') {
        throw new ModuleError('incompatible-declaration', name, `'${name}' is already declared as data, not a function`);
      }
      const f = this.funcs[known.id];
      if (!signaturesEqual(f.signature, signature)) {
        throw new ModuleError('incompatible-signature', name, `function '${name}' is already declared with a different signature`);
      }
      f.linkage = mergeLinkage(f.linkage, linkage);
      return known.id;
    }
    const id = this.funcs.length as FuncId;
    this.funcs.push({ name, linkage, signature, code: undefined });
    this.names.set(name, { kind: 'function', id });
    return id;
  }

  /**
   * Declares a data object, or re-declares one with the same `writable` and
   * `tls` flags (linkages merge). Post-invariant: `name` maps to the returned id.
   */
  declareData(name: string, linkage: Linkage, writable: boolean, tls = false): DataId {
    checkName(name);
    const known = this.names.get(name);
    if (known) {
      if (known.kind !== 'data') {
        throw new ModuleError('incompatible-declaration', name, `'${name}' is already declared as a function, not data`);
      }
      const d = this.datas[known.id];
      if (d.writable !== writable || d.tls !== tls) {
        throw new ModuleError('incompatible-declaration', name, `data '${name}' is already declared with writable=${d.writable} tls=${d.tls}`);
      }
      d.linkage = mergeLinkage(d.linkage, linkage);
      return known.id;
    }
    const id = this.datas.length as DataId;
    this.datas.push({ name, linkage, writable, tls, desc: undefined });
    this.names.set(name, { kind: 'data', id });
    return id;
  }

  /** Looks up a declared name. */
  getName(name: string): NameEntry | undefined {
    return this.names.get(name);
  }

  functionDeclaration(id: FuncId): FunctionDeclaration {
    const f = this.func(id);
    return { name: f.name, linkage: f.linkage, signature: f.signature };
  }

  dataDeclaration(id: DataId): DataDeclaration {
    const d = this.data(id);
    return { name: d.name, linkage: d.linkage, writable: d.writable, tls: d.tls };
  }

  // -------------------------------------------------------------------------
  // Definitions

  /**
   * Defines a declared function with its compiled code. The relocations'
   * symbol targets must be declared names (functions or data) by the time
   * `finish()` runs; they are checked for kind and placement here.
   * Post-invariant: the function is defined.
   */
  defineFunction(id: FuncId, code: CompiledCode): void {
    const f = this.func(id);
    if (f.linkage === 'import') {
      throw new ModuleError('invalid-import-definition', f.name, `function '${f.name}' is declared as an import and cannot be defined here`);
    }
    if (f.code !== undefined) throw new ModuleError('duplicate-definition', f.name, `function '${f.name}' is already defined`);
    if (!isPowerOfTwo(code.alignment)) {
      throw new ModuleError('invalid-definition', f.name, `function '${f.name}': alignment ${code.alignment} is not a power of two`);
    }
    for (const r of code.relocations) checkCodeRelocation(f.name, code.bytes.length, r.offset, r.kind);
    f.code = code;
  }

  /** Defines a declared data object. Post-invariant: the data object is defined. */
  defineData(id: DataId, desc: DataDescription): void {
    const d = this.data(id);
    if (d.linkage === 'import') {
      throw new ModuleError('invalid-import-definition', d.name, `data '${d.name}' is declared as an import and cannot be defined here`);
    }
    if (d.desc !== undefined) throw new ModuleError('duplicate-definition', d.name, `data '${d.name}' is already defined`);
    const align = desc.align ?? 1;
    if (!isPowerOfTwo(align)) {
      throw new ModuleError('invalid-definition', d.name, `data '${d.name}': alignment ${align} is not a power of two`);
    }
    if (desc.init.kind === 'zeros' && !(Number.isInteger(desc.init.size) && desc.init.size >= 0)) {
      throw new ModuleError('invalid-definition', d.name, `data '${d.name}': size ${desc.init.size} is not a non-negative integer`);
    }
    const size = dataSize(desc);
    for (const r of desc.relocations ?? []) {
      const kind = r.kind ?? 'Abs8';
      const info = aarch64Relocation(kind);
      if (!info || info.instruction) {
        throw new ModuleError('unknown-relocation', d.name, `data '${d.name}': relocation kind '${kind}' at offset ${r.offset} is not a data relocation (use Abs8 or PcRel4)`);
      }
      if (!Number.isInteger(r.offset) || r.offset < 0 || r.offset + info.width > size) {
        throw new ModuleError('invalid-relocation', d.name, `data '${d.name}': ${kind} relocation at offset ${r.offset} does not fit in its ${size} bytes`);
      }
      if (r.target.kind === 'function') this.func(r.target.id);
      else this.data(r.target.id);
    }
    d.desc = desc;
  }

  // -------------------------------------------------------------------------
  // Output

  /** Writes the module as an ELF64 little-endian relocatable object for AArch64. */
  finish(): Uint8Array {
    const w = new ElfObjectWriter(ELF.EM_AARCH64);

    const text = new ByteSection(4);
    const funcOffsets = this.funcs.map((f) => (f.code ? text.append(f.code.bytes, Math.max(4, f.code.alignment)) : -1));

    // Data sections, created in a fixed order, only when something goes in them.
    const sectionNames = ['.data', '.bss', '.rodata', '.data.rel.ro', '.tdata', '.tbss'] as const;
    type DataSectionName = (typeof sectionNames)[number];
    const dataSections = new Map<DataSectionName, ByteSection>(sectionNames.map((n) => [n, new ByteSection(1)]));
    const placement = this.datas.map((d): { section: DataSectionName; offset: number } | undefined => {
      if (!d.desc) {
        if (d.linkage === 'local') throw new ModuleError('undefined-local', d.name, `data '${d.name}' is declared local but never defined`);
        return undefined;
      }
      const relocs = (d.desc.relocations ?? []).length > 0;
      const zeros = d.desc.init.kind === 'zeros' && !relocs;
      const section: DataSectionName = d.tls
        ? zeros ? '.tbss' : '.tdata'
        : d.writable
          ? zeros ? '.bss' : '.data'
          : relocs ? '.data.rel.ro' : '.rodata';
      const bytes = d.desc.init.kind === 'bytes' ? d.desc.init.bytes : new Uint8Array(d.desc.init.size);
      return { section, offset: dataSections.get(section)!.append(bytes, d.desc.align ?? 1) };
    });
    for (const f of this.funcs) {
      if (!f.code && f.linkage === 'local') throw new ModuleError('undefined-local', f.name, `function '${f.name}' is declared local but never defined`);
    }

    const textIndex = w.addSection({ name: '.text', type: ELF.SHT_PROGBITS, flags: ELF.SHF_ALLOC | ELF.SHF_EXECINSTR, align: text.align, bytes: text.bytes() });
    const sectionIndex = new Map<DataSectionName, ElfSectionIndex>();
    for (const name of sectionNames) {
      const s = dataSections.get(name)!;
      if (s.size === 0 && !placement.some((p) => p?.section === name)) continue;
      const nobits = name === '.bss' || name === '.tbss';
      const tls = name === '.tdata' || name === '.tbss';
      const writable = name !== '.rodata';
      const flags = ELF.SHF_ALLOC | (writable ? ELF.SHF_WRITE : 0) | (tls ? ELF.SHF_TLS : 0);
      sectionIndex.set(
        name,
        w.addSection({ name, type: nobits ? ELF.SHT_NOBITS : ELF.SHT_PROGBITS, flags, align: s.align, bytes: nobits ? new Uint8Array(0) : s.bytes(), size: s.size }),
      );
    }
    w.addSection({ name: '.note.GNU-stack', type: ELF.SHT_PROGBITS, flags: 0, align: 1, bytes: new Uint8Array(0) });

    // Symbols.
    const funcSyms: ElfSymbolHandle[] = this.funcs.map((f, i) => {
      const { binding, visibility } = bindingOf(f.linkage);
      const defined = f.code !== undefined;
      return w.addSymbol({
        name: f.name,
        binding,
        visibility,
        type: defined ? ELF.STT_FUNC : ELF.STT_NOTYPE,
        section: defined ? textIndex : 0,
        value: defined ? BigInt(funcOffsets[i]) : 0n,
        size: defined ? BigInt(f.code!.bytes.length) : 0n,
      });
    });
    const dataSyms: ElfSymbolHandle[] = this.datas.map((d, i) => {
      const { binding, visibility } = bindingOf(d.linkage);
      const p = placement[i];
      return w.addSymbol({
        name: d.name,
        binding,
        visibility,
        type: d.tls ? ELF.STT_TLS : p ? ELF.STT_OBJECT : ELF.STT_NOTYPE,
        section: p ? sectionIndex.get(p.section)! : 0,
        value: p ? BigInt(p.offset) : 0n,
        size: d.desc ? BigInt(dataSize(d.desc)) : 0n,
      });
    });
    const libcallSyms = new Map<string, ElfSymbolHandle>();
    const symbolFor = (owner: string, target: CompiledCode['relocations'][number]['target'], offset: number): ElfSymbolHandle => {
      const name = target.kind === 'libcall' ? this.libcallName(target.name) : target.name;
      const known = this.names.get(name);
      if (known) return known.kind === 'function' ? funcSyms[known.id] : dataSyms[known.id];
      if (target.kind === 'symbol') {
        throw new ModuleError('undeclared-symbol', name, `function '${owner}': relocation at offset ${offset} refers to '${name}', which is not declared`);
      }
      let h = libcallSyms.get(name);
      if (h === undefined) {
        h = w.addSymbol({ name, binding: ELF.STB_GLOBAL, visibility: ELF.STV_DEFAULT, type: ELF.STT_NOTYPE, section: 0, value: 0n, size: 0n });
        libcallSyms.set(name, h);
      }
      return h;
    };

    // Relocations.
    this.funcs.forEach((f, i) => {
      if (!f.code) return;
      for (const r of f.code.relocations) {
        const info = aarch64Relocation(r.kind)!;
        // The linker rejects a TLS relocation against an ordinary symbol and the reverse.
        const known = r.target.kind === 'symbol' ? this.names.get(r.target.name) : undefined;
        const targetTls = known?.kind === 'data' && this.datas[known.id].tls;
        if (known !== undefined && info.tls !== targetTls) {
          throw new ModuleError(
            'invalid-relocation',
            f.name,
            `function '${f.name}': ${r.kind} relocation at offset ${r.offset} refers to '${r.target.name}', which is ${targetTls ? '' : 'not '}declared thread-local`,
          );
        }
        w.addRelocation(textIndex, {
          offset: BigInt(funcOffsets[i] + r.offset),
          symbol: symbolFor(f.name, r.target, r.offset),
          type: info.elfType,
          addend: r.addend,
        });
      }
    });
    this.datas.forEach((d, i) => {
      const p = placement[i];
      if (!p || !d.desc) return;
      for (const r of d.desc.relocations ?? []) {
        const info = aarch64Relocation(r.kind ?? 'Abs8')!;
        const symbol = r.target.kind === 'function' ? funcSyms[r.target.id] : dataSyms[r.target.id];
        w.addRelocation(sectionIndex.get(p.section)!, { offset: BigInt(p.offset + r.offset), symbol, type: info.elfType, addend: r.addend ?? 0n });
      }
    });
    return w.finish();
  }

  // -------------------------------------------------------------------------
  // Internal

  private func(id: FuncId): FuncEntry {
    const f = this.funcs[id];
    if (!Number.isInteger(id) || f === undefined) throw new ModuleError('undeclared', `func${id}`, `function id ${id} (func${id}) was never declared`);
    return f;
  }

  private data(id: DataId): DataEntry {
    const d = this.datas[id];
    if (!Number.isInteger(id) || d === undefined) throw new ModuleError('undeclared', `data${id}`, `data id ${id} (data${id}) was never declared`);
    return d;
  }
}

function checkName(name: string): void {
  if (name.length === 0 || name.includes('\0')) {
    throw new ModuleError('invalid-definition', name, `symbol name ${JSON.stringify(name)} is empty or contains NUL`);
  }
}

function dataSize(desc: DataDescription): number {
  return desc.init.kind === 'bytes' ? desc.init.bytes.length : desc.init.size;
}

function checkCodeRelocation(owner: string, size: number, offset: number, kind: RelocKind): RelocInfo {
  const info = aarch64Relocation(kind);
  if (!info && MACHO_ONLY_RELOCATIONS.has(kind)) {
    throw new ModuleError(
      'unsupported-relocation',
      owner,
      `function '${owner}': ${kind} relocation at offset ${offset} is Mach-O only; an ELF object cannot express it (compile with a tls_model other than macho)`,
    );
  }
  if (!info) {
    throw new ModuleError('unknown-relocation', owner, `function '${owner}': unknown relocation kind '${String(kind)}' at offset ${offset}`);
  }
  if (!Number.isInteger(offset) || offset < 0 || offset + info.width > size) {
    throw new ModuleError('invalid-relocation', owner, `function '${owner}': ${kind} relocation at offset ${offset} does not fit in its ${size} bytes of code`);
  }
  if (info.instruction && offset % 4 !== 0) {
    throw new ModuleError('invalid-relocation', owner, `function '${owner}': ${kind} relocation at offset ${offset} is not on an instruction boundary`);
  }
  return info;
}

/** Bytes appended at alignments: the contents of one output section. */
class ByteSection {
  private readonly chunks: { at: number; bytes: Uint8Array }[] = [];
  size = 0;
  constructor(public align: number) {}

  /** Appends `bytes` at the next multiple of `align`; returns its offset. */
  append(bytes: Uint8Array, align: number): number {
    const at = Math.ceil(this.size / align) * align;
    this.chunks.push({ at, bytes });
    this.size = at + bytes.length;
    this.align = Math.max(this.align, align);
    return at;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    for (const c of this.chunks) out.set(c.bytes, c.at);
    return out;
  }
}
