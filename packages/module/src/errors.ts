// The typed errors of the Module API. Every misuse of a `Module` — a name
// declared twice in incompatible ways, a definition of an import, an id that
// was never declared, a relocation the object format cannot express — is a
// `ModuleError` whose `kind` says which rule was broken and whose message
// names the symbol (and the relocation offset when there is one).

export type ModuleErrorKind =
  /** An id that no declaration handed out. */
  | 'undeclared'
  /** A relocation names a symbol the module never declared. */
  | 'undeclared-symbol'
  /** The name is already declared as the other kind (function vs data), or data with other flags. */
  | 'incompatible-declaration'
  /** The function is already declared with a different signature. */
  | 'incompatible-signature'
  /** The function or data object is already defined. */
  | 'duplicate-definition'
  /** The declaration is an import, which is defined elsewhere by definition. */
  | 'invalid-import-definition'
  /** A `local` declaration that was never defined, found at `finish()`. */
  | 'undefined-local'
  /** A relocation kind the ELF writer does not know. */
  | 'unknown-relocation'
  /** A relocation kind of another object format (Mach-O), which ELF cannot express. */
  | 'unsupported-relocation'
  /** A relocation whose offset or alignment does not fit its code or data. */
  | 'invalid-relocation'
  /** Bad alignment, size or name in a definition. */
  | 'invalid-definition';

export class ModuleError extends Error {
  override readonly name = 'ModuleError';
  constructor(
    readonly kind: ModuleErrorKind,
    /** The symbol the error is about. */
    readonly symbol: string,
    detail: string,
  ) {
    super(detail);
  }
}
