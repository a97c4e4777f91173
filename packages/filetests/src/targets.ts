// Target configurations of a test file: each `target` line with the `set`
// flags in force before it. This module owns their labels (the `target`
// field of a result record) and the few facts the target-independent
// subtests need, such as pointer width for the verifier.
//
// Invariant: labels are unique within a file — when two configurations
// share a target line, their flags are appended to tell them apart.

import type { Setting, TargetSpec } from '@clift/reader';

export interface TargetConfig {
  /** `aarch64 has_lse`, or with the `set` settings when needed to be unique: `aarch64 [opt_level=speed]`. */
  readonly label: string;
  readonly name: string;
  readonly spec: TargetSpec;
  /** Pointer width in bits; undefined for an architecture we do not know. */
  readonly pointerBits: 32 | 64 | undefined;
}

/** Architectures upstream Cranelift names in `target` lines, with their pointer widths. */
const POINTER_BITS: Readonly<Record<string, 32 | 64>> = {
  aarch64: 64,
  x86_64: 64,
  s390x: 64,
  riscv64: 64,
  pulley32: 32,
  pulley32be: 32,
  pulley64: 64,
  pulley64be: 64,
};

/** The architectures Clift compiles for. */
export const SUPPORTED_TARGETS: readonly string[] = ['aarch64'];

function settingText(s: Setting): string {
  return s.value === undefined ? s.name : `${s.name}=${s.value}`;
}

/**
 * One configuration per target line, labelled uniquely. A target's own
 * flags (`has_avx`) are part of its label; the shared `set` settings in
 * force are added only to tell apart lines that name the same target.
 */
export function targetConfigs(targets: readonly TargetSpec[]): TargetConfig[] {
  const base = targets.map((t) => [t.name, ...t.flags.map(settingText)].join(' '));
  return targets.map((t, i) => {
    const dup = base.filter((b) => b === base[i]).length > 1;
    const settings = t.settings.map(settingText).join(', ');
    const label = dup ? `${base[i]} [${settings}]` : base[i];
    return { label, name: t.name, spec: t, pointerBits: POINTER_BITS[t.name] };
  });
}
