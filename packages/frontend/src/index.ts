// @clift/frontend — build CLIF functions from a language front end.
//
// This module is the package's only public surface:
//   Building      FunctionBuilder, FuncInstBuilder (one typed method per opcode)  frontend.ts
//   Variables     Variable (SSA built on the fly, Braun et al.)                   variable.ts, ssa.ts
//   Switches      Switch (jump tables and binary search)                           switch.ts
//   Memory        memcpy/memset libcalls and small inline copies                  memory.ts
//   Errors        FrontendError and its kinds                                      errors.ts
//
// The per-opcode methods are generated from @clift/ir's opcode table by
// scripts/generate.mjs into src/generated/ (gitignored, rebuilt by the
// `generate` task before build, test, typecheck and lint).

export {
  FunctionBuilder,
  FuncInstBuilder,
  type BlockTarget,
  type FrontendConfig,
  type StackSlotSpec,
} from './frontend.js';
export { GeneratedInstBuilder } from './generated/inst-builder.js';
export type { Variable } from './variable.js';
export { Switch, MIN_TABLE_CASES, MAX_TABLE_SPAN } from './switch.js';
export {
  INLINE_ACCESS_LIMIT,
  callMemcmp,
  callMemcpy,
  callMemmove,
  callMemset,
  emitSmallMemoryCopy,
  emitSmallMemset,
} from './memory.js';
export { FrontendError, type FrontendErrorKind } from './errors.js';
