// The TypeScript types the generated rule matcher (src/generated/opts.ts)
// imports for the ISLE primitive and extern types of src/opts/prelude.isle
// and the generated CLIF terms: e-class values, instructions and CLIF types
// as the IR's numbers, immediates in the IR's own encodings (as the `clif_*`
// accessors in egraph.ts read them), and the IR's enum objects, so that a
// matcher's `Opcode.Iadd` or `IntCC.Equal` is exactly what the IR stores.

import type { BlockCall, Value } from '@clift/ir';

export type {
  Value,
  Type,
  Inst,
  Block,
  BlockCall,
  MemFlags,
  FuncRef,
  StackSlot,
  DynamicStackSlot,
  GlobalValue,
  JumpTable,
  Constant,
  Immediate,
} from '@clift/ir';
export { Opcode, IntCC, FloatCC, TrapCode, AtomicRmwOp } from '@clift/ir';

/** A 64-bit immediate: its two's-complement value, as the IR stores it (signed). */
export type Imm64 = bigint;
/** A lane index or other 8-bit immediate. */
export type Uimm8 = number;
/** A signed 32-bit address offset. */
export type Offset32 = number;
/** The bits of an f16 immediate. */
export type Ieee16 = number;
/** The bits of an f32 immediate, as an unsigned 32-bit number. */
export type Ieee32 = number;
/** The bits of an f64 immediate, unsigned. */
export type Ieee64 = bigint;
/** Two or three values: the generated definitions' `[Value; N]`, which no rule builds. */
export type ValueArray2 = readonly [Value, Value];
export type ValueArray3 = readonly [Value, Value, Value];
/** Two branch targets. */
export type BlockArray2 = readonly [BlockCall, BlockCall];
