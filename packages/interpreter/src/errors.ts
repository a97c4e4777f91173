// Typed failures of the interpreter itself, as opposed to traps of the
// interpreted program (which are values: see CallResult in interpreter.ts).
//
// Invariant: everything the interpreter cannot run — a missing function, a
// mistyped argument, an opcode it does not model, a run past the step limit —
// surfaces as an InterpreterError with a kind and the function it concerns,
// never as a JavaScript TypeError or RangeError.

export type InterpreterErrorKind =
  /** No function of that name in the store, and no libcall either. */
  | 'unknown_function'
  /** Arguments do not match the callee's signature (count or types). */
  | 'argument_mismatch'
  /** The run executed more instructions than the step limit allows. */
  | 'step_limit'
  /** An opcode or construct the interpreter does not model. */
  | 'unsupported'
  /** The function is malformed in a way the verifier would reject. */
  | 'invalid_function'
  /** The program did something CLIF leaves undefined (e.g. a `notrap` access out of bounds). */
  | 'undefined_behavior';

export class InterpreterError extends Error {
  constructor(
    readonly kind: InterpreterErrorKind,
    message: string,
    /** The function being executed or called, when known. */
    readonly func?: string,
  ) {
    super(message);
    this.name = 'InterpreterError';
  }
}
