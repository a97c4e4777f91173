// ELF64 little-endian relocatable objects: the byte layout, and nothing
// about what goes in them. `ElfObjectWriter` takes sections with contents,
// symbols and RELA relocations, and lays out a complete `ET_REL` file with
// its symbol table, string tables and `.rela<section>` sections.
//
// Layout of the output: ELF header, section contents in the order added
// (each at its alignment), the `.rela*` sections, `.symtab`, `.strtab`,
// `.shstrtab`, then the section header table.
//
// Invariants of `finish()`'s output: symbol 0 is the null symbol; local
// symbols precede every global or weak one and `.symtab`'s sh_info is the
// index of the first non-local; each `.rela<name>` has sh_link = `.symtab`
// and sh_info = the section it patches; names are NUL-terminated in their
// string tables, with offset 0 the empty name.

/** ELF constants this writer uses (System V gABI and the AArch64 ELF ABI). */
export const ELF = {
  ET_REL: 1,
  EM_AARCH64: 183,
  SHT_PROGBITS: 1,
  SHT_SYMTAB: 2,
  SHT_STRTAB: 3,
  SHT_RELA: 4,
  SHT_NOBITS: 8,
  SHF_WRITE: 0x1,
  SHF_ALLOC: 0x2,
  SHF_EXECINSTR: 0x4,
  SHF_INFO_LINK: 0x40,
  SHF_TLS: 0x400,
  STB_LOCAL: 0,
  STB_GLOBAL: 1,
  STB_WEAK: 2,
  STT_NOTYPE: 0,
  STT_OBJECT: 1,
  STT_FUNC: 2,
  STT_SECTION: 3,
  STT_TLS: 6,
  STV_DEFAULT: 0,
  STV_HIDDEN: 2,
} as const;

const EHDR_SIZE = 64;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
const RELA_SIZE = 24;

export interface ElfSectionSpec {
  name: string;
  type: number;
  flags: number;
  /** Power of two. */
  align: number;
  /** Contents; for SHT_NOBITS, only the length counts (use `size`). */
  bytes: Uint8Array;
  /** Size of an SHT_NOBITS section. */
  size?: number;
}

/** A section's index as `addSection` returned it (1-based, 0 is SHN_UNDEF). */
export type ElfSectionIndex = number;
/** A symbol handle as `addSymbol` returned it (not its final table index). */
export type ElfSymbolHandle = number;

export interface ElfSymbolSpec {
  name: string;
  binding: number;
  type: number;
  visibility: number;
  /** The defining section, or 0 for an undefined symbol. */
  section: ElfSectionIndex;
  value: bigint;
  size: bigint;
}

export interface ElfRelocationSpec {
  offset: bigint;
  symbol: ElfSymbolHandle;
  /** The ELF relocation type number (e.g. 283 for R_AARCH64_CALL26). */
  type: number;
  addend: bigint;
}

/** Interns strings into an ELF string table (offset 0 is the empty string). */
class StringTable {
  private readonly offsets = new Map<string, number>([['', 0]]);
  private readonly parts: Uint8Array[] = [new Uint8Array(1)];
  private size = 1;

  add(s: string): number {
    const known = this.offsets.get(s);
    if (known !== undefined) return known;
    const bytes = utf8(s);
    const at = this.size;
    const withNul = new Uint8Array(bytes.length + 1);
    withNul.set(bytes);
    this.parts.push(withNul);
    this.size += withNul.length;
    this.offsets.set(s, at);
    return at;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** UTF-8 bytes of `s` (ES2022 has no TextEncoder, and this package stays runtime-neutral). */
function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

interface LaidOutSection {
  nameOffset: number;
  type: number;
  flags: number;
  align: number;
  bytes: Uint8Array;
  size: number;
  link: number;
  info: number;
  entsize: number;
  offset: number;
}

export class ElfObjectWriter {
  private readonly sections: ElfSectionSpec[] = [];
  private readonly symbols: ElfSymbolSpec[] = [];
  private readonly relocations = new Map<ElfSectionIndex, ElfRelocationSpec[]>();

  constructor(private readonly machine: number = ELF.EM_AARCH64) {}

  addSection(spec: ElfSectionSpec): ElfSectionIndex {
    this.sections.push(spec);
    return this.sections.length;
  }

  addSymbol(spec: ElfSymbolSpec): ElfSymbolHandle {
    this.symbols.push(spec);
    return this.symbols.length - 1;
  }

  addRelocation(section: ElfSectionIndex, reloc: ElfRelocationSpec): void {
    let list = this.relocations.get(section);
    if (!list) this.relocations.set(section, (list = []));
    list.push(reloc);
  }

  finish(): Uint8Array {
    const shstrtab = new StringTable();
    const strtab = new StringTable();

    // Final symbol order: null, locals, then globals/weaks (stable within each group).
    const order = this.symbols.map((_, i) => i);
    const isLocal = (i: number): boolean => this.symbols[i].binding === ELF.STB_LOCAL;
    const sorted = [...order.filter(isLocal), ...order.filter((i) => !isLocal(i))];
    const finalIndex = new Uint32Array(this.symbols.length);
    sorted.forEach((h, i) => (finalIndex[h] = i + 1));
    const firstGlobal = 1 + order.filter(isLocal).length;

    const laid: LaidOutSection[] = [];
    const push = (s: Omit<LaidOutSection, 'offset'>): number => {
      laid.push({ ...s, offset: 0 });
      return laid.length; // 1-based section index
    };
    for (const s of this.sections) {
      push({
        nameOffset: shstrtab.add(s.name),
        type: s.type,
        flags: s.flags,
        align: s.align,
        bytes: s.type === ELF.SHT_NOBITS ? new Uint8Array(0) : s.bytes,
        size: s.type === ELF.SHT_NOBITS ? (s.size ?? 0) : s.bytes.length,
        link: 0,
        info: 0,
        entsize: 0,
      });
    }
    const symtabIndex = this.sections.length + this.relocations.size + 1;

    const relaSections = [...this.relocations.keys()].sort((a, b) => a - b);
    for (const target of relaSections) {
      const relocs = this.relocations.get(target)!;
      const bytes = new Uint8Array(relocs.length * RELA_SIZE);
      const view = new DataView(bytes.buffer);
      relocs.forEach((r, i) => {
        const at = i * RELA_SIZE;
        view.setBigUint64(at, r.offset, true);
        view.setBigUint64(at + 8, (BigInt(finalIndex[r.symbol]) << 32n) | BigInt(r.type), true);
        view.setBigInt64(at + 16, r.addend, true);
      });
      push({
        nameOffset: shstrtab.add(`.rela${this.sections[target - 1].name}`),
        type: ELF.SHT_RELA,
        flags: ELF.SHF_INFO_LINK,
        align: 8,
        bytes,
        size: bytes.length,
        link: symtabIndex,
        info: target,
        entsize: RELA_SIZE,
      });
    }

    const symBytes = new Uint8Array((sorted.length + 1) * SYM_SIZE);
    const symView = new DataView(symBytes.buffer);
    sorted.forEach((h, i) => {
      const s = this.symbols[h];
      const at = (i + 1) * SYM_SIZE;
      symView.setUint32(at, strtab.add(s.name), true);
      symView.setUint8(at + 4, (s.binding << 4) | s.type);
      symView.setUint8(at + 5, s.visibility);
      symView.setUint16(at + 6, s.section, true);
      symView.setBigUint64(at + 8, s.value, true);
      symView.setBigUint64(at + 16, s.size, true);
    });
    const strtabIndex = symtabIndex + 1;
    push({
      nameOffset: shstrtab.add('.symtab'),
      type: ELF.SHT_SYMTAB,
      flags: 0,
      align: 8,
      bytes: symBytes,
      size: symBytes.length,
      link: strtabIndex,
      info: firstGlobal,
      entsize: SYM_SIZE,
    });
    const strBytes = strtab.bytes();
    push({ nameOffset: shstrtab.add('.strtab'), type: ELF.SHT_STRTAB, flags: 0, align: 1, bytes: strBytes, size: strBytes.length, link: 0, info: 0, entsize: 0 });
    const shstrtabName = shstrtab.add('.shstrtab');
    const shstrBytes = shstrtab.bytes();
    const shstrtabIndex = push({ nameOffset: shstrtabName, type: ELF.SHT_STRTAB, flags: 0, align: 1, bytes: shstrBytes, size: shstrBytes.length, link: 0, info: 0, entsize: 0 });

    let at = EHDR_SIZE;
    for (const s of laid) {
      at = alignUp(at, Math.max(1, s.align));
      s.offset = at;
      at += s.bytes.length;
    }
    const shoff = alignUp(at, 8);
    const total = shoff + (laid.length + 1) * SHDR_SIZE;
    const out = new Uint8Array(total);
    const view = new DataView(out.buffer);

    out.set([0x7f, 0x45, 0x4c, 0x46, 2 /* ELFCLASS64 */, 1 /* ELFDATA2LSB */, 1 /* EV_CURRENT */, 0 /* ELFOSABI_NONE */]);
    view.setUint16(16, ELF.ET_REL, true);
    view.setUint16(18, this.machine, true);
    view.setUint32(20, 1, true);
    view.setBigUint64(24, 0n, true); // e_entry
    view.setBigUint64(32, 0n, true); // e_phoff
    view.setBigUint64(40, BigInt(shoff), true);
    view.setUint32(48, 0, true); // e_flags
    view.setUint16(52, EHDR_SIZE, true);
    view.setUint16(54, 0, true); // e_phentsize
    view.setUint16(56, 0, true); // e_phnum
    view.setUint16(58, SHDR_SIZE, true);
    view.setUint16(60, laid.length + 1, true);
    view.setUint16(62, shstrtabIndex, true);

    laid.forEach((s, i) => {
      out.set(s.bytes, s.offset);
      const h = shoff + (i + 1) * SHDR_SIZE;
      view.setUint32(h, s.nameOffset, true);
      view.setUint32(h + 4, s.type, true);
      view.setBigUint64(h + 8, BigInt(s.flags), true);
      view.setBigUint64(h + 16, 0n, true); // sh_addr
      view.setBigUint64(h + 24, BigInt(s.offset), true);
      view.setBigUint64(h + 32, BigInt(s.size), true);
      view.setUint32(h + 40, s.link, true);
      view.setUint32(h + 44, s.info, true);
      view.setBigUint64(h + 48, BigInt(Math.max(1, s.align)), true);
      view.setBigUint64(h + 56, BigInt(s.entsize), true);
    });
    return out;
  }
}
