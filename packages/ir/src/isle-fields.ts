// The field readers behind the generated CLIF ISLE terms.
//
// `clifIsleDefinitions` declares, for both flavors, one accessor extern per
// instruction field (`clif_opcode`, `clif_value_0`, `clif_imm64`, …); the
// generated extractors call them on an instruction whose opcode (and so
// format) has that field. Where each field lives in the DataFlowGraph is
// formats.ts's business, so the readers live here, once, and a rule
// Context (the backend's lowering, the mid-end's e-graph) extends
// `ClifTermFields` and points `dfg` at the function it works on.
//
// Invariants: a reader never checks the format (the generated terms only
// call it where the field exists) and allocates nothing, except the two
// value-list readers, which copy the list (calls and returns only).

import type { DataFlowGraph } from './dfg.js';
import type {
  Block,
  Constant,
  DynamicStackSlot,
  ExceptionTable,
  FuncRef,
  GlobalValue,
  Immediate,
  Inst,
  JumpTable,
  SigRef,
  StackSlot,
  Value,
} from './entities.js';
import type { BlockCall } from './entity-data.js';
import { InstructionFormat } from './formats.js';
import { wordsToI64, type AtomicRmwOp, type FloatCC, type IntCC, type MemFlags, type TrapCode } from './immediates.js';
import type { Opcode } from './opcodes.js';

/** An `Imm64` term value: the immediate's two's-complement value, signed, as the IR stores it. */
export type IsleImm64 = bigint;
/** A lane index or other 8-bit immediate. */
export type IsleUimm8 = number;
/** A signed 32-bit address offset. */
export type IsleOffset32 = number;
/** The bits of an f16 immediate. */
export type IsleIeee16 = number;
/** The bits of an f32 immediate, unsigned. */
export type IsleIeee32 = number;
/** The bits of an f64 immediate, unsigned. */
export type IsleIeee64 = bigint;
/** A variable operand list, copied out of the DFG. */
export type IsleValueSlice = readonly Value[];
/** Upstream's `[Value; N]` / `[BlockCall; 2]`, which the generated definitions declare. */
export type IsleValueArray2 = readonly [Value, Value];
export type IsleValueArray3 = readonly [Value, Value, Value];
export type IsleBlockArray2 = readonly [BlockCall, BlockCall];

/**
 * The accessor externs of the generated CLIF terms, reading `dfg`. A rule
 * Context extends this class and sets `dfg` before matching.
 */
export class ClifTermFields {
  /** The function whose instructions the terms read. */
  dfg!: DataFlowGraph;

  clif_opcode(inst: Inst): Opcode {
    return this.dfg.opcode(inst) as Opcode;
  }
  clif_value_0(inst: Inst): Value {
    return this.dfg.arg(inst, 0);
  }
  clif_value_1(inst: Inst): Value {
    return this.dfg.arg(inst, 1);
  }
  clif_value_2(inst: Inst): Value {
    return this.dfg.arg(inst, 2);
  }
  /** Copies: only calls and returns have variable operands. */
  clif_value_list_0(inst: Inst): IsleValueSlice {
    return this.dfg.instArgs(inst);
  }
  clif_value_list_1(inst: Inst): IsleValueSlice {
    return this.dfg.instVarArgs(inst, 1);
  }
  clif_block_call_0(inst: Inst): BlockCall {
    return this.dfg.imm0(inst) as BlockCall;
  }
  clif_block_call_1(inst: Inst): BlockCall {
    return this.dfg.imm1(inst) as BlockCall;
  }
  clif_block(inst: Inst): Block {
    return this.dfg.imm0(inst) as Block;
  }
  clif_imm64(inst: Inst): IsleImm64 {
    // get_exception_handler_address keeps its handler index in imm1 alone.
    if (this.dfg.format(inst) === InstructionFormat.ExceptionHandlerAddress) return BigInt(this.dfg.imm1(inst));
    return wordsToI64(this.dfg.imm0(inst), this.dfg.imm1(inst));
  }
  clif_uimm8(inst: Inst): IsleUimm8 {
    return this.dfg.imm0(inst) & 0xff;
  }
  clif_ieee16(inst: Inst): IsleIeee16 {
    return this.dfg.imm0(inst) & 0xffff;
  }
  clif_ieee32(inst: Inst): IsleIeee32 {
    return this.dfg.imm0(inst) >>> 0;
  }
  clif_ieee64(inst: Inst): IsleIeee64 {
    return BigInt.asUintN(64, wordsToI64(this.dfg.imm0(inst), this.dfg.imm1(inst)));
  }
  clif_intcc(inst: Inst): IntCC {
    return this.dfg.imm2(inst) as IntCC;
  }
  clif_floatcc(inst: Inst): FloatCC {
    return this.dfg.imm2(inst) as FloatCC;
  }
  clif_memflags(inst: Inst): MemFlags {
    return this.dfg.imm0(inst) as MemFlags;
  }
  clif_offset32(inst: Inst): IsleOffset32 {
    return this.dfg.imm1(inst);
  }
  clif_trapcode(inst: Inst): TrapCode {
    return this.dfg.imm0(inst) as TrapCode;
  }
  clif_atomic_rmw_op(inst: Inst): AtomicRmwOp {
    return this.dfg.imm1(inst) as AtomicRmwOp;
  }
  clif_func_ref(inst: Inst): FuncRef {
    return this.dfg.imm0(inst) as FuncRef;
  }
  clif_sig_ref(inst: Inst): SigRef {
    return this.dfg.imm0(inst) as SigRef;
  }
  clif_stack_slot(inst: Inst): StackSlot {
    return this.dfg.imm0(inst) as StackSlot;
  }
  clif_dynamic_stack_slot(inst: Inst): DynamicStackSlot {
    return this.dfg.imm0(inst) as DynamicStackSlot;
  }
  clif_global_value(inst: Inst): GlobalValue {
    return this.dfg.imm0(inst) as GlobalValue;
  }
  clif_jump_table(inst: Inst): JumpTable {
    return this.dfg.imm0(inst) as JumpTable;
  }
  clif_exception_table(inst: Inst): ExceptionTable {
    return this.dfg.imm1(inst) as ExceptionTable;
  }
  clif_constant(inst: Inst): Constant {
    return this.dfg.imm0(inst) as Constant;
  }
  clif_immediate(inst: Inst): Immediate {
    return this.dfg.imm0(inst) as Immediate;
  }

  // Upstream's value and block arrays, for `InstructionData`: the generated
  // definitions declare them, no Clift term builds or reads one.
  pack_value_array_2(a: Value, b: Value): IsleValueArray2 {
    return [a, b];
  }
  unpack_value_array_2(a: IsleValueArray2): IsleValueArray2 {
    return a;
  }
  pack_value_array_3(a: Value, b: Value, c: Value): IsleValueArray3 {
    return [a, b, c];
  }
  unpack_value_array_3(a: IsleValueArray3): IsleValueArray3 {
    return a;
  }
  pack_block_array_2(a: BlockCall, b: BlockCall): IsleBlockArray2 {
    return [a, b];
  }
  unpack_block_array_2(a: IsleBlockArray2): IsleBlockArray2 {
    return a;
  }
}
