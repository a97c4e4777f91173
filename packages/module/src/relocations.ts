// How each `RelocKind` of a `CompiledCode` becomes an ELF RELA entry for
// AArch64: its relocation type number (from the ELF for the Arm 64-bit
// Architecture ABI) and the bytes it patches, so that the module can reject
// a relocation that would patch outside its code or a misaligned
// instruction before the linker does. The Mach-O-only kinds (thread-local
// variable access under `tls_model=macho`) have no ELF type: they are
// listed apart so that writing one is a typed error, not an unknown kind.

import type { RelocKind } from '@clift/codegen';

export interface RelocInfo {
  /** ELF relocation type (`R_AARCH64_*`). */
  readonly elfType: number;
  /** The ELF name, for messages and tests. */
  readonly elfName: string;
  /** Bytes patched at the offset. */
  readonly width: number;
  /** Whether the patched field is an instruction (4-byte aligned). */
  readonly instruction: boolean;
  /** Whether it refers to a thread-local symbol (and only such a symbol may be its target). */
  readonly tls: boolean;
}

/** Relocation kinds only a Mach-O object can express. */
export const MACHO_ONLY_RELOCATIONS: ReadonlySet<string> = new Set<RelocKind>(['MachOAarch64TlsAdrPage21', 'MachOAarch64TlsAdrPageOff12']);

/** The relocation kinds an ELF object can express. */
export type ElfRelocKind = Exclude<RelocKind, 'MachOAarch64TlsAdrPage21' | 'MachOAarch64TlsAdrPageOff12'>;

export const AARCH64_RELOCATIONS: Readonly<Record<ElfRelocKind, RelocInfo>> = {
  Arm64Call: { elfType: 283, elfName: 'R_AARCH64_CALL26', width: 4, instruction: true, tls: false },
  Aarch64AdrPrelPgHi21: { elfType: 275, elfName: 'R_AARCH64_ADR_PREL_PG_HI21', width: 4, instruction: true, tls: false },
  Aarch64AddAbsLo12Nc: { elfType: 277, elfName: 'R_AARCH64_ADD_ABS_LO12_NC', width: 4, instruction: true, tls: false },
  Aarch64AdrGotPage21: { elfType: 311, elfName: 'R_AARCH64_ADR_GOT_PAGE', width: 4, instruction: true, tls: false },
  Aarch64Ld64GotLo12Nc: { elfType: 312, elfName: 'R_AARCH64_LD64_GOT_LO12_NC', width: 4, instruction: true, tls: false },
  Aarch64TlsGdAdrPage21: { elfType: 513, elfName: 'R_AARCH64_TLSGD_ADR_PAGE21', width: 4, instruction: true, tls: true },
  Aarch64TlsGdAddLo12Nc: { elfType: 514, elfName: 'R_AARCH64_TLSGD_ADD_LO12_NC', width: 4, instruction: true, tls: true },
  Aarch64TlsDescAdrPage21: { elfType: 562, elfName: 'R_AARCH64_TLSDESC_ADR_PAGE21', width: 4, instruction: true, tls: true },
  Aarch64TlsDescLd64Lo12: { elfType: 563, elfName: 'R_AARCH64_TLSDESC_LD64_LO12', width: 4, instruction: true, tls: true },
  Aarch64TlsDescAddLo12: { elfType: 564, elfName: 'R_AARCH64_TLSDESC_ADD_LO12', width: 4, instruction: true, tls: true },
  Aarch64TlsDescCall: { elfType: 569, elfName: 'R_AARCH64_TLSDESC_CALL', width: 4, instruction: true, tls: true },
  Abs8: { elfType: 257, elfName: 'R_AARCH64_ABS64', width: 8, instruction: false, tls: false },
  PcRel4: { elfType: 261, elfName: 'R_AARCH64_PREL32', width: 4, instruction: false, tls: false },
};

/** The ELF encoding of a relocation kind, or undefined for a kind this writer does not know. */
export function aarch64Relocation(kind: string): RelocInfo | undefined {
  return Object.prototype.hasOwnProperty.call(AARCH64_RELOCATIONS, kind)
    ? AARCH64_RELOCATIONS[kind as ElfRelocKind]
    : undefined;
}
