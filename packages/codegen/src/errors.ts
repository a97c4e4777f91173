// Errors of the code generator. Every failure of `Context.compile` is a
// `CodegenError` with a `kind` saying which stage refused the input and a
// message naming the function and, where there is one, the CLIF instruction.

export type CodegenErrorKind =
  /** The IR verifier rejected the function (`details` lists the errors). */
  | 'verifier'
  /** Legalization could not expand an instruction (e.g. a global value the target cannot compute). */
  | 'legalize'
  /** The e-graph mid-end failed (a bug in Clift: its input was verified). */
  | 'optimizer'
  /** No lowering rule matched: "unsupported: <opcode> <type> on <isa>". */
  | 'unsupported'
  /** Register allocation failed or its checker found a wrong allocation. */
  | 'regalloc'
  /** An implementation limit (frame too large, branch out of range, …). */
  | 'impl-limit'
  /** The signature cannot be implemented by the calling convention. */
  | 'abi';

export class CodegenError extends Error {
  override readonly name = 'CodegenError';
  constructor(
    readonly kind: CodegenErrorKind,
    message: string,
    /** Extra text: verifier error list, VCode listing on regalloc failure, … */
    readonly details?: string,
  ) {
    super(message);
  }
}
