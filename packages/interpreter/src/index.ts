// @clift/interpreter — executes CLIF functions exactly as CLIF defines them:
// the oracle every other stage (optimizer, backends, frontend) is checked
// against. This module is the package's only public surface.
//
//   interpreter.ts  Interpreter (function store, execution loop), CallResult
//   errors.ts       InterpreterError, the interpreter's own typed failures
//   float.ts        float semantics (NaN rule, exact rounding)
//   softfloat.ts    BigInt IEEE-754 arithmetic for every binary format

export { Interpreter, trapKindName } from './interpreter.js';
export type { CallResult, InterpreterOptions, TrapKind } from './interpreter.js';
export { InterpreterError } from './errors.js';
export type { InterpreterErrorKind } from './errors.js';
export { LIBCALL_NAMES } from './libcalls.js';
export {
  FMT16,
  FMT32,
  FMT64,
  FMT128,
  RoundMode,
  addBits,
  divBits,
  fmaBits,
  mulBits,
  sqrtBits,
  roundToFormat,
  convertBits,
  type FloatFormat,
} from './softfloat.js';
