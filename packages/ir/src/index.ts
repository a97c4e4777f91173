// @clift/ir — the CLIF intermediate representation.
//
// This module is the package's only public surface. Sections:
//   Entities and types      entities.ts, types.ts
//   Immediates              immediates.ts (condition codes, memflags, traps)
//   Opcodes and formats     opcodes.ts, formats.ts, typeset.ts
//   Function structure      function.ts, dfg.ts, layout.ts, signature.ts, entity-data.ts
//   Building                builder.ts
//   Text                    write.ts (the canonical printer)
//   Analyses                cfg.ts, dominators.ts, loops.ts
//   Checking                verifier.ts
//   ISLE                    isle-terms.ts (generated term definitions), isle-fields.ts (their field readers)

export * from './entities.js';
export * from './types.js';
export * from './immediates.js';
export * from './formats.js';
export * from './signature.js';
export * from './entity-data.js';
export { DataFlowGraph, ValueKind, type ValueDef } from './dfg.js';
export { Layout } from './layout.js';
export { Function } from './function.js';
export { printFunction, printInst, formatConstantBytes, formatStackSlot } from './write.js';
export { ControlFlowGraph, type BlockPredecessor } from './cfg.js';
export { DominatorTree } from './dominators.js';
export { LoopAnalysis, type Loop } from './loops.js';
export { FuncCursor, InstBuilder, type CursorPosition } from './builder.js';
export * from './opcodes.js';
export * from './typeset.js';
export * from './verifier.js';
export * from './data-value.js';
export { clifIsleDefinitions } from './isle-terms.js';
export {
  ClifTermFields,
  type IsleBlockArray2,
  type IsleIeee16,
  type IsleIeee32,
  type IsleIeee64,
  type IsleImm64,
  type IsleOffset32,
  type IsleUimm8,
  type IsleValueArray2,
  type IsleValueArray3,
  type IsleValueSlice,
} from './isle-fields.js';
