// The TypeScript side of the ISLE declarations the lowering rules are
// compiled with (isle/prelude.isle, the generated CLIF terms of
// `clifIsleDefinitions('lower')`, isle/inst.isle): every primitive and
// extern enum type the generated lowering code (src/generated/lower.ts)
// imports. Enum tags are the numbers used elsewhere in the backend (ir's
// Opcode, IntCC, FloatCC, TrapCode and AtomicRmwOp; args.ts operands).
// Immediates are the IR's own encodings, read by the `clif_*` accessors in
// lower.ts.

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

// Immediates, operand lists and arrays in the encodings the shared field
// readers (ClifTermFields in @clift/ir) return.
export type {
  IsleImm64 as Imm64,
  IsleUimm8 as Uimm8,
  IsleOffset32 as Offset32,
  IsleIeee16 as Ieee16,
  IsleIeee32 as Ieee32,
  IsleIeee64 as Ieee64,
  IsleValueSlice as ValueSlice,
  IsleValueArray2 as ValueArray2,
  IsleValueArray3 as ValueArray3,
  IsleBlockArray2 as BlockArray2,
} from '@clift/ir';
/** A value list as the IR stores it: the instruction whose operands it is. */
export type ValueList = number;
