// Settings: the flags that steer code generation, shared by every target
// (`opt_level`, `enable_verifier`, `regalloc_checker`, …) and per ISA
// (`has_lse`, `sign_return_address`, …), as upstream Cranelift defines them.
//
// A setting group is a table of descriptors; a `Flags` value is an immutable
// snapshot of one group's values. Builders apply `name=value` pairs in
// order (as `set` lines and `target` lines do in CLIF files) and reject
// unknown names and bad values with a `SettingError` naming the setting and
// the accepted values.

export type SettingKind =
  | { kind: 'bool'; default: boolean }
  | { kind: 'enum'; values: readonly string[]; default: string }
  | { kind: 'num'; default: number; min: number; max: number };

export interface SettingDescriptor {
  name: string;
  doc: string;
  type: SettingKind;
}

export type SettingValue = boolean | string | number;

export class SettingError extends Error {
  override readonly name = 'SettingError';
  constructor(
    readonly kind: 'unknown' | 'bad-value' | 'bad-type',
    readonly setting: string,
    detail: string,
  ) {
    super(detail);
  }
}

const bool = (name: string, def: boolean, doc: string): SettingDescriptor => ({ name, doc, type: { kind: 'bool', default: def } });
const enm = (name: string, values: readonly string[], doc: string): SettingDescriptor => ({
  name,
  doc,
  type: { kind: 'enum', values, default: values[0] },
});
const num = (name: string, def: number, max: number, doc: string): SettingDescriptor => ({
  name,
  doc,
  type: { kind: 'num', default: def, min: 0, max },
});

/** Flags every target shares, with upstream's names and defaults. */
export const SHARED_SETTINGS: readonly SettingDescriptor[] = [
  enm('opt_level', ['none', 'speed', 'speed_and_size'], 'Optimization level: none, speed, or speed_and_size.'),
  bool('enable_verifier', true, 'Run the IR verifier before compiling.'),
  bool('regalloc_checker', false, "Check the register allocator's output with its symbolic checker."),
  enm('regalloc_algorithm', ['backtracking', 'single_pass'], 'Register allocator: backtracking (default) or the fast single-pass one.'),
  bool('regalloc_verbose_logs', false, 'Print verbose register-allocation logs.'),
  bool('enable_alias_analysis', true, 'Remove redundant loads with alias analysis (at opt_level speed or speed_and_size).'),
  bool('enable_pcc', false, 'Enable proof-carrying code checks.'),
  bool('is_pic', false, 'Generate position-independent code.'),
  bool('use_colocated_libcalls', false, 'Assume libcalls are colocated with the code calling them.'),
  bool('enable_float', true, 'Enable floating-point instructions.'),
  bool('enable_nan_canonicalization', false, 'Replace NaN results by a canonical NaN.'),
  bool('enable_pinned_reg', false, 'Reserve the pinned register for get_pinned_reg/set_pinned_reg.'),
  bool('enable_atomics', true, 'Enable atomic instructions.'),
  bool('enable_safepoints', false, 'Enable safepoint insertion.'),
  enm('tls_model', ['none', 'elf_gd', 'macho', 'coff'], 'Thread-local storage access model.'),
  enm('stack_switch_model', ['none', 'basic', 'update_windows_tib'], 'How stack_switch is compiled.'),
  enm('libcall_call_conv', ['isa_default', 'fast', 'cold', 'system_v', 'windows_fastcall', 'apple_aarch64', 'probestack'], 'Calling convention for libcalls.'),
  bool('enable_llvm_abi_extensions', false, "Follow LLVM's ABI extensions where they go beyond the standard."),
  bool('enable_multi_ret_implicit_sret', false, 'Return values that do not fit in registers through an implicit return area.'),
  bool('unwind_info', true, 'Generate unwind information.'),
  bool('preserve_frame_pointers', false, 'Keep frame pointers even in leaf functions.'),
  bool('machine_code_cfg_info', false, 'Record basic-block offsets and CFG edges of the machine code.'),
  bool('enable_probestack', false, 'Probe the stack for large frames.'),
  num('probestack_size_log2', 12, 63, 'log2 of the stack guard size; larger frames are probed.'),
  enm('probestack_strategy', ['outline', 'inline'], 'Stack probes as calls (outline) or inline loops.'),
  bool('enable_jump_tables', true, 'Use jump tables for br_table.'),
  bool('enable_heap_access_spectre_mitigation', true, 'Spectre mitigation on heap bounds checks.'),
  bool('enable_table_access_spectre_mitigation', true, 'Spectre mitigation on table bounds checks.'),
  bool('enable_incremental_compilation_cache_checks', false, 'Extra checks for the incremental cache.'),
  num('bb_padding_log2_minus_one', 0, 63, 'Debug padding between basic blocks.'),
  num('log2_min_function_alignment', 0, 63, 'Minimum function alignment, log2.'),
];

/** An immutable snapshot of one setting group's values. */
export class Flags {
  private constructor(
    readonly group: string,
    private readonly descriptors: ReadonlyMap<string, SettingDescriptor>,
    private readonly values: ReadonlyMap<string, SettingValue>,
  ) {}

  static defaults(group: string, descriptors: readonly SettingDescriptor[]): Flags {
    const map = new Map(descriptors.map((d) => [d.name, d] as const));
    return new Flags(group, map, new Map(descriptors.map((d) => [d.name, d.type.default] as const)));
  }

  has(name: string): boolean {
    return this.descriptors.has(name);
  }
  get(name: string): SettingValue {
    const v = this.values.get(name);
    if (v === undefined) throw new SettingError('unknown', name, `unknown ${this.group} setting '${name}'`);
    return v;
  }
  bool(name: string): boolean {
    const v = this.get(name);
    if (typeof v !== 'boolean') throw new SettingError('bad-type', name, `setting '${name}' is not a boolean`);
    return v;
  }
  enumValue(name: string): string {
    const v = this.get(name);
    if (typeof v !== 'string') throw new SettingError('bad-type', name, `setting '${name}' is not an enumeration`);
    return v;
  }
  number(name: string): number {
    const v = this.get(name);
    if (typeof v !== 'number') throw new SettingError('bad-type', name, `setting '${name}' is not a number`);
    return v;
  }

  /**
   * A copy with `name` set from its textual value. A bare boolean name
   * (`value` undefined) means true, as in `set enable_probestack`.
   */
  with(name: string, value: string | undefined): Flags {
    const d = this.descriptors.get(name);
    if (!d) throw new SettingError('unknown', name, `unknown ${this.group} setting '${name}'`);
    const next = new Map(this.values);
    next.set(name, parseSettingValue(d, value));
    return new Flags(this.group, this.descriptors, next);
  }

  /** Settings that differ from their defaults, as `name=value` text. */
  toString(): string {
    const out: string[] = [];
    for (const [name, d] of this.descriptors) {
      const v = this.values.get(name);
      if (v !== d.type.default) out.push(`${name}=${String(v)}`);
    }
    return out.join(' ');
  }

  descriptorList(): SettingDescriptor[] {
    return [...this.descriptors.values()];
  }
}

function parseSettingValue(d: SettingDescriptor, value: string | undefined): SettingValue {
  const t = d.type;
  switch (t.kind) {
    case 'bool':
      if (value === undefined || value === 'true' || value === '1') return true;
      if (value === 'false' || value === '0') return false;
      throw new SettingError('bad-value', d.name, `bad value for boolean setting '${d.name}': '${value}' (expected true or false)`);
    case 'enum':
      if (value !== undefined && t.values.includes(value)) return value;
      throw new SettingError(
        'bad-value',
        d.name,
        `bad value for setting '${d.name}': '${value ?? ''}' (expected one of ${t.values.join(', ')})`,
      );
    case 'num': {
      const n = value === undefined ? NaN : Number(value);
      if (Number.isInteger(n) && n >= t.min && n <= t.max) return n;
      throw new SettingError('bad-value', d.name, `bad value for numeric setting '${d.name}': '${value ?? ''}' (expected an integer from ${t.min} to ${t.max})`);
    }
  }
}

/** Default shared flags. */
export function sharedFlags(): Flags {
  return Flags.defaults('shared', SHARED_SETTINGS);
}

/** Applies `name[=value]` pairs in order to shared flags. */
export function parseSharedFlags(pairs: readonly { name: string; value: string | undefined }[]): Flags {
  let f = sharedFlags();
  for (const p of pairs) f = f.with(p.name, p.value);
  return f;
}
