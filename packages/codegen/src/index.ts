// @clift/codegen: the target-independent backend ("machinst" in Cranelift
// terms). The pipeline, and what holds at each stage:
//
//   ir.Function (verified: well-formed SSA, types checked)
//       |
//       |  at opt_level speed / speed_and_size: @clift/egraph-midend
//       |  `optimize` (GVN, rewrite rules, LICM, alias analysis) in place;
//       |  the result is still verifier-clean CLIF
//       v
//   ir.Function (optimized)
//       |
//       |  lower.ts: walk machine blocks (blockorder.ts: RPO, cold blocks
//       |  last, critical edges split) backward, asking the target's ISLE
//       |  rules to select instructions for each needed CLIF instruction
//       v
//   VCode (vcode.ts): machine instructions over virtual registers, packed
//       |  regalloc operands, block parameters instead of phis, no critical
//       |  edges, each block ends in one branch or return
//       |
//       |  @clift/regalloc `run` (+ its checker with `regalloc_checker`)
//       v
//   VCode + allocations + edits (moves, spills, reloads)
//       |
//       |  target emission through a MachBuffer (buffer.ts): prologue and
//       |  epilogue from the frame layout (abi.ts), labels and fixups,
//       |  branch simplification, islands and veneers, constant pool,
//       |  deferred trap stubs
//       v
//   CompiledCode (compiled.ts): bytes, relocations, trap sites, listing
//
// `Context.compile(func, isa)` (context.ts) runs the stages and times them.
// Targets register themselves in the ISA registry (isa.ts); `lookup(name)`
// applies per-ISA flags. Target specifics live in the ISA packages
// (@clift/isa-aarch64), never here.

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

// Errors
export { CodegenError, type CodegenErrorKind } from './errors.js';

// ISA registry and the TargetIsa interface
export {
  IsaBuilder,
  LookupError,
  lookup,
  registerIsa,
  registeredIsas,
  type EmitOptions,
  type EmitResult,
  type IsaDescriptor,
  type TargetIsa,
  TargetMemory,
} from './isa.js';

// Pipeline
export { Context, compile, type CompileOptions, type CompileResult, type ContextOptions, type PassTimings } from './context.js';
export { legalizeFunction, type LegalizeOptions } from './legalize.js';

// Machine-independent backend pieces for targets
export { BlockLoweringOrder } from './blockorder.js';
export { Lower, LowerMemory, type LowerBackend } from './lower.js';
export { InstFlags, OP_DEF, OP_FIELD_MASK, OP_NO_FIELD, VCode, VCodeBuilder, type InstRecord, type OperandVisitor, type VCodeSpec } from './vcode.js';
export { MachBuffer, type BufferHooks, type LabelUseKind, type MachBufferResult, type MachLabel } from './buffer.js';
export {
  alignTo,
  computeFrameLayout,
  computeSigData,
  layoutStackSlots,
  type AbiArg,
  type AbiMachineSpec,
  type ArgLocs,
  type ArgSlot,
  type FrameInputs,
  type FrameLayout,
  type SigData,
} from './abi.js';
