// The TypeScript side of the ISLE declarations the lowering rules are
// compiled with (isle/prelude.isle, the generated CLIF terms of
// `clifIsleDefinitions('lower')`, isle/inst.isle): every primitive and
// extern enum type the generated lowering code (src/generated/lower.ts)
// imports. Enum tags are the numbers used elsewhere in the backend (ir's
// Opcode, IntCC, FloatCC, TrapCode and AtomicRmwOp; args.ts operands).
// Immediates are the IR's own encodings, read by the `clif_*` accessors in
// lower.ts.

import type { BlockCall, Value } from '@clift/ir';

export type {
  Type,
  Value,
  Inst,
  Block,
  BlockCall,
  MemFlags,
  FuncRef,
  SigRef,
  StackSlot,
  DynamicStackSlot,
  GlobalValue,
  JumpTable,
  ExceptionTable,
  Constant,
  Immediate,
} from '@clift/ir';
export { Opcode, IntCC, FloatCC, TrapCode, AtomicRmwOp } from '@clift/ir';
export { ALUOp, ALUOp3, BitOp, Cond, ShiftOp, MemOp, FpuOp1, FpuOp2 } from './inst/args.js';
export type { Imm12, ImmLogic } from './inst/imms.js';
export { VecALUOp, VecMiscOp, VecNarrowOp, VecShiftOp } from './inst/neon.js';

/** A VCode register (vreg >= 0, physical register < 0). */
export type Reg = number;
/** Nothing: the result of side-effect-only constructors. */
export type Unit = 0;
/**
 * How many values a lowering produced; the registers are in the lowering
 * context's output buffer (see lower.ts).
 */
export type InstOutput = number;

/** A 64-bit immediate: its two's-complement value, as the IR stores it (signed). */
export type Imm64 = bigint;
/** A lane index or other 8-bit immediate. */
export type Uimm8 = number;
/** A signed 32-bit address offset. */
export type Offset32 = number;
/** The bits of an f16 immediate. */
export type Ieee16 = number;
/** The bits of an f32 immediate (as an unsigned 32-bit number). */
export type Ieee32 = number;
/** The bits of an f64 immediate. */
export type Ieee64 = bigint;
/** Variable value operands of an instruction. */
export type ValueSlice = readonly Value[];
/** A value list as the IR stores it: the instruction whose operands it is. */
export type ValueList = number;
/** Two or three values; the lowering rules never build or unpack these (see lower.ts). */
export type ValueArray2 = readonly [Value, Value];
export type ValueArray3 = readonly [Value, Value, Value];
/** Two branch targets. */
export type BlockArray2 = readonly [BlockCall, BlockCall];
