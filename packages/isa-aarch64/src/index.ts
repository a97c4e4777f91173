// @clift/isa-aarch64: the AArch64 backend of Clift.
//
// Public surface:
//   compile(func, { isa?, flags?, isaFlags? })  compile one function (registers the ISA)
//   lookup('aarch64')                           the ISA builder with AArch64 flags
//   AARCH64_SETTINGS, AARCH64_DESCRIPTOR, registerAarch64
//   AARCH64_ABI, machineEnv                     AAPCS64 argument rules, allocatable registers
// Internals (instruction encodings, printer) are exported under `inst` for
// tools and tests that check encodings.
//
// Inside: inst/{regs,imms,args,mod,emit,print}.ts (instructions),
// isle/{prelude,inst,lower}.isle (rules, compiled to generated/lower.ts),
// lower.ts (the ISLE context), abi.ts, emit-function.ts, isa.ts.

import { compile as compileWith, type CompileOptions, type CompileResult, type Flags, type TargetIsa } from '@clift/codegen';
import type { Function } from '@clift/ir';
import { registerAarch64, lookup } from './isa.js';

export { AARCH64_DESCRIPTOR, AARCH64_SETTINGS, lookup, registerAarch64 } from './isa.js';
export { AARCH64_ABI, machineEnv } from './abi.js';
export * as inst from './inst/index.js';

export interface Aarch64CompileOptions {
  /** A built ISA, or AArch64 flags as `target` line pairs (default: none set). */
  readonly isa?: TargetIsa | readonly { name: string; value: string | undefined }[];
  /** Shared flags (default: upstream defaults). */
  readonly flags?: Flags;
  readonly disassemble?: boolean;
  readonly vcode?: boolean;
}

/** Compiles `func` for AArch64; throws CodegenError (typed by stage) on failure. */
export function compile(func: Function, opts: Aarch64CompileOptions = {}): CompileResult {
  registerAarch64();
  const isa = opts.isa === undefined || Array.isArray(opts.isa) ? lookup('aarch64').setAll((opts.isa ?? []) as { name: string; value: string | undefined }[]).finish(opts.flags) : (opts.isa as TargetIsa);
  const o: CompileOptions = { isa, flags: opts.flags, disassemble: opts.disassemble, vcode: opts.vcode };
  return compileWith(func, o);
}
