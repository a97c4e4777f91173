// The TypeScript types the generated rule matcher (src/generated/opts.ts)
// imports for the ISLE primitive and extern types of src/opts/prelude.isle
// and the generated CLIF terms: e-class values, instructions and CLIF types
// as the IR's numbers, immediates in the IR's own encodings (as the shared
// `clif_*` field readers, ClifTermFields in @clift/ir, return them), and
// the IR's enum objects, so that a matcher's `Opcode.Iadd` or `IntCC.Equal`
// is exactly what the IR stores.

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

// Immediates and arrays in the encodings the shared field readers
// (ClifTermFields in @clift/ir) return.
export type {
  IsleImm64 as Imm64,
  IsleUimm8 as Uimm8,
  IsleOffset32 as Offset32,
  IsleIeee16 as Ieee16,
  IsleIeee32 as Ieee32,
  IsleIeee64 as Ieee64,
  IsleValueArray2 as ValueArray2,
  IsleValueArray3 as ValueArray3,
  IsleBlockArray2 as BlockArray2,
} from '@clift/ir';
