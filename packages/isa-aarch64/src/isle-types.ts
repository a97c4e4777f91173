// The TypeScript side of the ISLE declarations in isle/prelude.isle and
// isle/inst.isle: every primitive and extern enum type the generated
// lowering code (src/generated/lower.ts) imports. Enum tags are the numbers
// used elsewhere in the backend (ir's Opcode and IntCC, args.ts operands).

export type { Type, Value, Inst, MemFlags, TrapCode, FuncRef, SigRef, StackSlot } from '@clift/ir';
export { Opcode, IntCC, FloatCC } from '@clift/ir';
export { ALUOp, ALUOp3, BitOp, Cond, ShiftOp, MemOp, FpuOp1, FpuOp2 } from './inst/args.js';
export type { Imm12, ImmLogic } from './inst/imms.js';

/** A VCode register (vreg >= 0, physical register < 0). */
export type Reg = number;
/** Nothing: the result of side-effect-only constructors. */
export type Unit = 0;
/**
 * How many values a lowering produced; the registers are in the lowering
 * context's output buffer (see lower.ts).
 */
export type InstOutput = number;
