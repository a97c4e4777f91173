// FrontendError: every misuse of the FunctionBuilder, Switch and variables
// API is reported as one typed error whose `kind` names the broken rule and
// whose message names the block, variable or instruction concerned.
//
// Errors raised before the builder changes anything (type mismatches,
// undeclared variables, building after a terminator, …) leave the function
// as it was. A `UseBeforeDef` found while SSA construction walks
// predecessors (at `useVar` or at `sealBlock`) can leave half-built block
// parameters behind: discard the builder after one.

/** The rule a front end broke. */
export type FrontendErrorKind =
  /** An instruction or variable access with no current block (call `switchToBlock` first). */
  | 'NoCurrentBlock'
  /** `switchToBlock` to a block that already ends in a terminator: a block is filled once. */
  | 'BlockAlreadyFilled'
  /** An instruction appended after the current block's terminator. */
  | 'InstAfterTerminator'
  /** Switching away from a block that has instructions but no terminator yet. */
  | 'BlockNotFilled'
  /** A block parameter appended to a block that already has instructions or SSA parameters. */
  | 'BlockNotPristine'
  /** A branch to a block already sealed: sealing promised all its predecessors were known. */
  | 'BranchToSealedBlock'
  /** A variable id that `declareVar` never returned. */
  | 'UndeclaredVariable'
  /** `defVar` with a value whose type differs from the variable's declared type. */
  | 'VariableTypeMismatch'
  /** A variable read on some path from the entry block on which it was never defined. */
  | 'UseBeforeDef'
  /** `finalize` with a block that was never sealed. */
  | 'UnsealedBlock'
  /** `finalize` with a block that is used (in the layout or branched to) but has no terminator. */
  | 'UnfilledBlock'
  /** A block id this function never created. */
  | 'InvalidBlock'
  /** A value id this function never created, or one that no longer exists. */
  | 'InvalidValue'
  /** An instruction that cannot be built (controlling type not allowed, unknown signature, …). */
  | 'InvalidInstruction'
  /** A switch case index that does not fit the switch value's type. */
  | 'SwitchEntryOutOfRange'
  /** Two switch cases with the same index. */
  | 'SwitchDuplicateEntry'
  /** A memory helper given an unusable size or alignment. */
  | 'InvalidMemoryOperation'
  /** A type id that is no CLIF type. */
  | 'InvalidType'
  /** Any use of a builder after `finalize`. */
  | 'Finalized';

export class FrontendError extends Error {
  readonly kind: FrontendErrorKind;
  constructor(kind: FrontendErrorKind, message: string) {
    super(`${kind}: ${message}`);
    this.name = 'FrontendError';
    this.kind = kind;
  }
}
