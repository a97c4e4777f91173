// The result of compiling one function: machine code bytes plus what a
// linker or loader needs to place them (relocations), and what a runtime
// needs to interpret faults (trap sites) and calls (call sites).
//
// This is the contract between the backend (which produces it) and
// @clift/module (which writes it into object files). Offsets are byte
// offsets from the start of the function's code.

import type { TrapCode } from '@clift/ir';

/** Relocation kinds for AArch64, named after their ELF (or Mach-O) types. */
export type RelocKind =
  /** `bl`/`b` to a symbol: R_AARCH64_CALL26. */
  | 'Arm64Call'
  /** `adrp` page of a symbol: R_AARCH64_ADR_PREL_PG_HI21. */
  | 'Aarch64AdrPrelPgHi21'
  /** `add` low 12 bits of a symbol: R_AARCH64_ADD_ABS_LO12_NC. */
  | 'Aarch64AddAbsLo12Nc'
  /** `adrp` page of a GOT entry: R_AARCH64_ADR_GOT_PAGE. */
  | 'Aarch64AdrGotPage21'
  /** `ldr` of a GOT entry: R_AARCH64_LD64_GOT_LO12_NC. */
  | 'Aarch64Ld64GotLo12Nc'
  /** TLS general dynamic sequence (R_AARCH64_TLSGD_*). */
  | 'Aarch64TlsGdAdrPage21'
  | 'Aarch64TlsGdAddLo12Nc'
  /**
   * TLS descriptor sequence (R_AARCH64_TLSDESC_*): `adrp` page of the
   * descriptor, `ldr` of its resolver, `add` of its low 12 bits, and the
   * marker on the `blr` that calls the resolver (which a linker relaxes).
   */
  | 'Aarch64TlsDescAdrPage21'
  | 'Aarch64TlsDescLd64Lo12'
  | 'Aarch64TlsDescAddLo12'
  | 'Aarch64TlsDescCall'
  /**
   * Mach-O thread-local variable access (ARM64_RELOC_TLVP_LOAD_PAGE21 and
   * _PAGEOFF12): `adrp` and `ldr` of the variable's descriptor. Mach-O
   * only: an ELF object cannot express them.
   */
  | 'MachOAarch64TlsAdrPage21'
  | 'MachOAarch64TlsAdrPageOff12'
  /** A 64-bit absolute address: R_AARCH64_ABS64. */
  | 'Abs8'
  /** A 32-bit PC-relative offset: R_AARCH64_PREL32. */
  | 'PcRel4';

/** What a relocation refers to. */
export type RelocTarget =
  | { kind: 'symbol'; name: string }
  | { kind: 'libcall'; name: string };

export interface Relocation {
  offset: number;
  kind: RelocKind;
  target: RelocTarget;
  addend: bigint;
}

/** An instruction that may trap, and with which code. */
export interface TrapSite {
  offset: number;
  code: TrapCode;
}

export interface CompiledCode {
  /** The function's machine code. */
  bytes: Uint8Array;
  /** Required alignment of the code, in bytes (a power of two). */
  alignment: number;
  relocations: Relocation[];
  traps: TrapSite[];
  /** Human-readable listing of the code, when the compiler was asked for one. */
  disassembly?: string;
}
