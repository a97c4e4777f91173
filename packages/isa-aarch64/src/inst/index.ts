// Instruction-level API (encodings, printer, operand kinds), for tests and tools.
export * from './args.js';
export * from './imms.js';
export * from './mod.js';
export * from './regs.js';
export { emitInst, finalizeAmode, movImmWords, LABEL_USE_KINDS, BUFFER_HOOKS, LabelUse, TRAP_WORD, type EmitState } from './emit.js';
export { printInst, HW_NAMES, type RegNamer } from './print.js';
