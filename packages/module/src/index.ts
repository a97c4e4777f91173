// @clift/module: the Module API (declare and define functions and data with
// linkage and relocations) and the ELF64 relocatable-object writer for
// AArch64 that `Module.finish()` uses. Runtime-neutral: the object comes
// back as a Uint8Array.
//
// Sections:
//   Module API        module.ts (Module, Linkage, ids, data descriptions)
//   Errors            errors.ts
//   Relocations       relocations.ts (RelocKind → R_AARCH64_*), libcalls.ts
//   ELF writer        elf.ts (ElfObjectWriter, constants)

export {
  Module,
  type DataDeclaration,
  type DataDescription,
  type DataId,
  type DataRelocTarget,
  type DataRelocation,
  type FuncId,
  type FunctionDeclaration,
  type Linkage,
  type ModuleOptions,
} from './module.js';
export { ModuleError, type ModuleErrorKind } from './errors.js';
export { AARCH64_RELOCATIONS, MACHO_ONLY_RELOCATIONS, aarch64Relocation, type ElfRelocKind, type RelocInfo } from './relocations.js';
export { defaultLibcallName } from './libcalls.js';
export {
  ELF,
  ElfObjectWriter,
  type ElfRelocationSpec,
  type ElfSectionIndex,
  type ElfSectionSpec,
  type ElfSymbolHandle,
  type ElfSymbolSpec,
} from './elf.js';
