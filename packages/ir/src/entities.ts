// Entity references: every IR entity (value, instruction, block, stack slot,
// …) is a dense number indexing a table, branded so the type checker keeps
// the kinds apart. Numbers rather than objects keep tables compact (typed
// arrays, no pointer per entity) and make ids cheap to hash and compare.
//
// Invariants:
// - Ids are dense from 0 within one function; numbering is stable but
//   arbitrary (it follows creation order, not layout order).
// - `NONE` (0xffffffff) is never a valid id: typed arrays store it as the
//   "absent" marker, the way Cranelift's PackedOption does.

export type Value = number & { readonly __brand: 'Value' };
export type Inst = number & { readonly __brand: 'Inst' };
export type Block = number & { readonly __brand: 'Block' };
export type StackSlot = number & { readonly __brand: 'StackSlot' };
export type DynamicStackSlot = number & { readonly __brand: 'DynamicStackSlot' };
export type DynamicType = number & { readonly __brand: 'DynamicType' };
export type GlobalValue = number & { readonly __brand: 'GlobalValue' };
export type JumpTable = number & { readonly __brand: 'JumpTable' };
export type ExceptionTable = number & { readonly __brand: 'ExceptionTable' };
export type FuncRef = number & { readonly __brand: 'FuncRef' };
export type SigRef = number & { readonly __brand: 'SigRef' };
export type Constant = number & { readonly __brand: 'Constant' };
export type Immediate = number & { readonly __brand: 'Immediate' };
export type MemoryType = number & { readonly __brand: 'MemoryType' };
export type UserExternalNameRef = number & { readonly __brand: 'UserExternalNameRef' };
export type ExceptionTag = number & { readonly __brand: 'ExceptionTag' };

/** The reserved "no entity" id stored in typed arrays. */
export const NONE = 0xffffffff;

/** Textual prefix of each entity kind, as CLIF prints it (`v3`, `block0`, …). */
export const EntityPrefix = {
  value: 'v',
  inst: 'inst',
  block: 'block',
  stackSlot: 'ss',
  dynamicStackSlot: 'dss',
  dynamicType: 'dt',
  globalValue: 'gv',
  jumpTable: 'jt',
  funcRef: 'fn',
  sigRef: 'sig',
  constant: 'const',
  memoryType: 'mt',
  userExternalName: 'userextname',
  exceptionTag: 'tag',
} as const;
