// The AArch64 `TargetIsa`: its flags (as `target aarch64 has_lse` lines name
// them), and the lower / allocate / emit stages the codegen pipeline calls.

import {
  CodegenError,
  Lower,
  MachBuffer,
  lookup as lookupIsa,
  registerIsa,
  registeredIsas,
  type EmitOptions,
  type EmitResult,
  type Flags,
  type IsaBuilder,
  type IsaDescriptor,
  type SettingDescriptor,
  type TargetIsa,
  type TargetMemory,
  type VCode,
  type VCodeSpec,
} from '@clift/codegen';
import { I64, type Function } from '@clift/ir';
import { allocIndex, allocIsReg, allocIsStack, instAllocs, pregHw, pregClass, vregIndex, vregClass, type Allocation, type MachineEnv, type Output, type PReg } from '@clift/regalloc';
import { DYNAMIC_VECTOR_BYTES, machineEnv } from './abi.js';
import { emitConfig, emitFunction, frameLayoutFor, type EmitConfig } from './emit-function.js';
import { BUFFER_HOOKS, LABEL_USE_KINDS, type EmitState } from './inst/emit.js';
import { newMInst, visitOperands, OP_NAMES, ReturnCallKind, type MInst, type ReturnCallInfo } from './inst/mod.js';
import { printInst, type RegNamer } from './inst/print.js';
import { fprName, gprName } from './inst/regs.js';
import { AArch64Lowering } from './lower.js';

const b = (name: string, doc: string): SettingDescriptor => ({ name, doc, type: { kind: 'bool', default: false } });

/** AArch64 flags, with upstream's names and defaults. */
export const AARCH64_SETTINGS: readonly SettingDescriptor[] = [
  b('has_lse', 'Has Large System Extensions (FEAT_LSE) support.'),
  b('has_pauth', 'Has pointer authentication (FEAT_PAuth): return with retaa/retab instead of a HINT-space autiasp.'),
  b('sign_return_address_all', 'When signing return addresses, sign them in every function, not only those with a frame.'),
  b('sign_return_address', 'Sign return addresses with pointer authentication (paciasp/autiasp).'),
  b('sign_return_address_with_bkey', 'Use the B key instead of the A key for return-address signing.'),
  b('use_bti', 'Start functions with a branch-target landing pad (bti c).'),
  b('has_fp16', 'Has half-precision floating point (FEAT_FP16).'),
  b('has_dotprod', 'Has the dot-product extension (FEAT_DotProd).'),
  b('use_csdb', 'Accepted for compatibility; jump tables always use csdb after their bounds check.'),
];

const SPEC: VCodeSpec = { visitOperands: (m, v) => visitOperands(m as MInst, v) };

class AArch64Isa implements TargetIsa {
  readonly name = 'aarch64';
  readonly pointerType = I64;
  readonly dynamicVectorBytes = DYNAMIC_VECTOR_BYTES;
  /** The flags emission reads, looked up once. */
  private readonly config: EmitConfig;
  private readonly pinnedReg: boolean;
  private lowering: AArch64Lowering | undefined;
  constructor(
    readonly flags: Flags,
    readonly isaFlags: Flags,
  ) {
    this.config = emitConfig(flags, isaFlags);
    this.pinnedReg = flags.bool('enable_pinned_reg');
  }

  withFlags(flags: Flags): TargetIsa {
    return new AArch64Isa(flags, this.isaFlags);
  }

  lower(func: Function, memory?: TargetMemory): VCode {
    // Lowering is synchronous: one backend serves every function of this ISA.
    const backend = (this.lowering ??= new AArch64Lowering(this.flags, this.isaFlags));
    backend.begin(func);
    const ctx = new Lower(func, backend, memory?.lower);
    return ctx.run(SPEC, backend.abi);
  }

  machineEnv(): MachineEnv {
    return this.pinnedReg ? ENV_PINNED : ENV;
  }

  emit(vcode: VCode, ra: Output, opts: EmitOptions, memory?: TargetMemory): EmitResult {
    let buffer: MachBuffer | undefined;
    if (memory !== undefined) {
      if (memory.buffer?.kinds !== LABEL_USE_KINDS) memory.buffer = new MachBuffer(LABEL_USE_KINDS, BUFFER_HOOKS);
      buffer = memory.buffer;
    }
    return emitFunction(vcode, ra, this.config, opts.disassemble === true, buffer);
  }

  printVCode(vcode: VCode, ra?: Output): string {
    const m = newMInst();
    const lines: string[] = [];
    const frame = ra ? frameLayoutFor(vcode, ra, this.config) : undefined;
    const st: EmitState = {
      slotBase: frame?.slotBase ?? 0,
      spillBase: frame?.spillBase ?? 0,
      emitEpilogue: () => {
        throw new Error('printing only');
      },
      epilogueText: () => [],
      emitReturnCall: () => {
        throw new Error('printing only');
      },
      returnCallText: (r) => {
        const info = r.aux as ReturnCallInfo;
        const callee = r.i0 === ReturnCallKind.Reg ? `x${r.i1}` : info.callee;
        return [`return_call ${callee} new_stack_arg_size:${info.stackArgBytes}`];
      },
    };
    // Before allocation, vreg fields are shown as `v<N>`: they are renumbered past the
    // hardware range so the printer's alias checks (register 31) cannot misfire.
    const VBASE = 1 << 20;
    const names: RegNamer = {
      gpr: (r, is64, sp) => (r >= VBASE ? `v${vregIndex((r - VBASE) as never)}` : gprName(r, is64, sp)),
      fpr: (r, bytes) => (r >= VBASE ? `v${vregIndex((r - VBASE) as never)}` : fprName(r, bytes)),
      label: (l) => `label${l}`,
    };
    const fmtAlloc = (a: Allocation): string => {
      if (allocIsReg(a)) {
        const p = allocIndex(a) as PReg;
        return pregClass(p) === 0 ? gprName(pregHw(p), true) : `v${pregHw(p)}`;
      }
      if (allocIsStack(a)) return `[sp+${(frame?.spillBase ?? 0) + allocIndex(a) * 8}]`;
      return '?';
    };
    let e = 0;
    for (let blk = 0; blk < vcode.numBlocks(); blk++) {
      const params = Array.from(vcode.blockParams(blk as never), (v) => `v${vregIndex(v)}`);
      lines.push(`block${blk}${params.length ? `(${params.join(', ')})` : ''}:`);
      for (let i = vcode.blockStart[blk]; i < vcode.blockStart[blk + 1]; i++) {
        if (ra) while (e < ra.edits.length && ra.edits[e].point === 2 * i) {
          lines.push(`  move ${fmtAlloc(ra.edits[e].to)} <- ${fmtAlloc(ra.edits[e].from)}`);
          e++;
        }
        vcode.read(i, m);
        if (ra) {
          const allocs = instAllocs(ra, i);
          let k = 0;
          const take = (f: 'r0' | 'r1' | 'r2' | 'r3'): void => {
            if (m[f] < 0) return;
            const a = allocs[k++] as Allocation;
            m[f] = allocIsReg(a) ? pregHw(allocIndex(a) as PReg) : 31;
          };
          const slots = ['r0', 'r1', 'r2', 'r3'] as const;
          visitOperands(m, {
            use: (s) => take(slots[s]),
            def: (s) => take(slots[s]),
            earlyDef: (s) => take(slots[s]),
            reuseDef: (s) => take(slots[s]),
            fixedUse: () => void k++,
            fixedDef: () => void k++,
            clobbers: () => undefined,
          });
        } else {
          for (const f of ['r0', 'r1', 'r2', 'r3'] as const) if (m[f] >= 0 && this.isRegField(m, f)) m[f] = VBASE + m[f];
        }
        for (const f of ['r0', 'r1', 'r2', 'r3'] as const) if (m[f] < 0) m[f] = (-1 - m[f]) & 63;
        let text: string;
        try {
          text = printInst(m, st, names);
        } catch {
          text = `<${OP_NAMES[m.op]}>`;
        }
        if (text === '' && m.aux !== undefined) text = `args ${JSON.stringify((m.aux as { defs: { vreg: number; preg: number }[] }).defs.map((d) => `v${vregIndex(d.vreg as never)}:${vregClass(d.vreg as never)}`))}`;
        for (const t of text.split('\n')) if (t !== '') lines.push(`  ${t}`);
        if (ra) while (e < ra.edits.length && ra.edits[e].point === 2 * i + 1) {
          lines.push(`  move ${fmtAlloc(ra.edits[e].to)} <- ${fmtAlloc(ra.edits[e].from)}`);
          e++;
        }
      }
    }
    return lines.join('\n') + '\n';
  }

  /** Does field `f` of `m` hold a register (so a vreg number in it should print as one)? */
  private isRegField(m: MInst, f: 'r0' | 'r1' | 'r2' | 'r3'): boolean {
    let found = false;
    const slots = ['r0', 'r1', 'r2', 'r3'];
    const mark = (s: number): void => {
      if (slots[s] === f) found = true;
    };
    visitOperands(m, { use: mark, def: mark, earlyDef: mark, reuseDef: mark, fixedUse: () => undefined, fixedDef: () => undefined, clobbers: () => undefined });
    return found;
  }
}

const ENV = machineEnv(false);
const ENV_PINNED = machineEnv(true);

export const AARCH64_DESCRIPTOR: IsaDescriptor = {
  name: 'aarch64',
  settings: AARCH64_SETTINGS,
  construct: (shared, isaFlags) => new AArch64Isa(shared, isaFlags),
};

/** Registers the AArch64 backend with @clift/codegen's ISA registry (idempotent). */
export function registerAarch64(): void {
  if (!registeredIsas().includes('aarch64')) registerIsa(AARCH64_DESCRIPTOR);
}

/** `lookup` from @clift/codegen, with AArch64 registered first. */
export function lookup(name: string): IsaBuilder {
  registerAarch64();
  return lookupIsa(name);
}

export { CodegenError };
