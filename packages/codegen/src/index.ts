// @clift/codegen: the target-independent backend. Only the settings layer
// exists so far (issue 7 builds the rest: TargetIsa registry, the Context
// pipeline, VCode, ABI framework and MachBuffer).
//
// Settings
export {
  Flags,
  SettingError,
  SHARED_SETTINGS,
  parseSharedFlags,
  sharedFlags,
  type SettingDescriptor,
  type SettingKind,
  type SettingValue,
} from './settings.js';

// Compiled code (the contract with @clift/module)
export type { CompiledCode, Relocation, RelocKind, RelocTarget, TrapSite } from './compiled.js';
