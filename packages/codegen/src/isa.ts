// Target ISAs: the `TargetIsa` interface every backend implements, and the
// registry that finds one by name with its per-ISA flags (as a `target
// aarch64 has_lse` line names them).
//
// A backend registers an `IsaDescriptor` (its name, its setting table and a
// constructor). `lookup(name)` returns an `IsaBuilder` that applies flags in
// order, rejecting unknown names with a `SettingError`, and `finish(shared)`
// builds the `TargetIsa` for those flags. Registration is explicit: the
// backend package registers itself when its API is first used.

import type { Function, Type } from '@clift/ir';
import type { MachineEnv, Output } from '@clift/regalloc';
import type { MachBuffer } from './buffer.js';
import type { CompiledCode } from './compiled.js';
import { LowerMemory } from './lower.js';
import { Flags, sharedFlags, type SettingDescriptor } from './settings.js';
import type { VCode } from './vcode.js';

export interface EmitOptions {
  /** Produce a disassembly listing of the final code. */
  readonly disassemble?: boolean;
}

export interface EmitResult {
  readonly code: CompiledCode;
  /** Branches removed or inverted, veneers and islands emitted. */
  readonly bufferStats: { branchesRemoved: number; branchesInverted: number; veneers: number; islands: number };
  /** Frame size in bytes (0 without a frame). */
  readonly frameSize: number;
}

/**
 * Working memory a compile context lends a target, one function at a time:
 * the lowering tables and the target's MachBuffer stay allocated between
 * functions. What a target builds in it (the VCode, the buffer's contents)
 * is valid until the memory serves the next function.
 */
export class TargetMemory {
  readonly lower = new LowerMemory();
  /** The target's buffer, created by the target on first use (it checks `kinds` to know it is its own). */
  buffer: MachBuffer | undefined;
}

export interface TargetIsa {
  readonly name: string;
  /** Shared flags this ISA was built with. */
  readonly flags: Flags;
  /** ISA-specific flags. */
  readonly isaFlags: Flags;
  /** The same ISA with other shared flags. */
  withFlags(flags: Flags): TargetIsa;
  /** The pointer type (default i64). */
  readonly pointerType?: Type;
  /** Bytes of a dynamic vector (`dyn_scale_target_const`), where the target has them. */
  readonly dynamicVectorBytes?: number;
  /** Lowers a verified function to VCode over virtual registers (in `memory` when given). */
  lower(func: Function, memory?: TargetMemory): VCode;
  /** Registers the allocator may use for `vcode`'s function. */
  machineEnv(vcode: VCode): MachineEnv;
  /** Emits allocated VCode (through `memory`'s buffer when given). */
  emit(vcode: VCode, ra: Output, opts: EmitOptions, memory?: TargetMemory): EmitResult;
  /** VCode as text: virtual registers, or physical ones when `ra` is given. */
  printVCode(vcode: VCode, ra?: Output): string;
}

export interface IsaDescriptor {
  readonly name: string;
  readonly settings: readonly SettingDescriptor[];
  construct(shared: Flags, isaFlags: Flags): TargetIsa;
}

export class LookupError extends Error {
  override readonly name = 'LookupError';
  constructor(readonly isa: string) {
    super(`unsupported ISA '${isa}' (known: ${[...registry.keys()].join(', ') || 'none registered'})`);
  }
}

const registry = new Map<string, IsaDescriptor>();

export function registerIsa(d: IsaDescriptor): void {
  registry.set(d.name, d);
}

export function registeredIsas(): string[] {
  return [...registry.keys()];
}

/** Applies ISA flags in order, then builds the ISA for some shared flags. */
export class IsaBuilder {
  private isaFlags: Flags;
  constructor(private readonly desc: IsaDescriptor) {
    this.isaFlags = Flags.defaults(desc.name, desc.settings);
  }
  get name(): string {
    return this.desc.name;
  }
  /** Sets one flag (`value` undefined means true); throws SettingError for unknown names. */
  set(name: string, value?: string): this {
    this.isaFlags = this.isaFlags.with(name, value);
    return this;
  }
  setAll(pairs: readonly { name: string; value: string | undefined }[]): this {
    for (const p of pairs) this.set(p.name, p.value);
    return this;
  }
  flags(): Flags {
    return this.isaFlags;
  }
  finish(shared: Flags = sharedFlags()): TargetIsa {
    return this.desc.construct(shared, this.isaFlags);
  }
}

/** The builder for a registered ISA; throws LookupError when none has that name. */
export function lookup(name: string): IsaBuilder {
  const d = registry.get(name);
  if (!d) throw new LookupError(name);
  return new IsaBuilder(d);
}
