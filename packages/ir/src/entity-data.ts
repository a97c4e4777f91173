// Per-function entity data that is not per-instruction: stack slots, global
// values, external functions, jump tables, exception tables, dynamic types,
// memory regions. Each is small and cold, so plain objects in arrays indexed
// by the entity id.
//
// Invariant: a table slot may be `undefined` only when the entity id was
// skipped by the text reader (which keeps source numbering); the printer
// prints declared entities only.

import type { Type } from './types.js';
import type {
  Block,
  DynamicType,
  FuncRef,
  GlobalValue,
  SigRef,
  Value,
} from './entities.js';
import type { ExternalName } from './signature.js';
import type { MemFlags } from './immediates.js';

export type StackSlotKind = 'explicit_slot';

export interface StackSlotData {
  kind: StackSlotKind;
  size: number;
  /** log2 of the requested alignment; undefined when not given. */
  alignShift: number | undefined;
  /** Optional key for debug info (`key = N`), kept for round trips. */
  key: bigint | undefined;
}

export interface DynamicStackSlotData {
  kind: 'explicit_dynamic_slot';
  dynType: DynamicType;
}

/** `dtN = i32x4*gv0`: a dynamic vector type scaled by a global value. */
export interface DynamicTypeData {
  baseVectorType: Type;
  dynamicScale: GlobalValue;
}

export type GlobalValueData =
  | { kind: 'vmctx' }
  | { kind: 'load'; base: GlobalValue; offset: number; globalType: Type; flags: MemFlags }
  | { kind: 'iadd_imm'; base: GlobalValue; offset: bigint; globalType: Type }
  | { kind: 'symbol'; name: ExternalName; offset: bigint; colocated: boolean; tls: boolean }
  | { kind: 'dyn_scale_target_const'; vectorType: Type };

export interface ExtFuncData {
  name: ExternalName;
  signature: SigRef;
  colocated: boolean;
  patchable: boolean;
}

/** A declared alias region: `region0 = 0 "heap"`. */
export interface AliasRegionData {
  userId: number;
  name: string;
}

/** A branch destination: a block and the arguments passed to it. */
export type BlockCall = number & { readonly __brand: 'BlockCall' };

/**
 * A block-call argument, packed: `tag:2 | index:30`. Tag 0 is a Value,
 * tag 1 the i-th return value of the try_call (`retN`), tag 2 the i-th
 * exception payload (`exnN`).
 */
export type BlockArg = number & { readonly __brand: 'BlockArg' };
export const BlockArgKind = { Value: 0, TryCallRet: 1, TryCallExn: 2 } as const;
export const BlockArg = {
  value(v: Value): BlockArg {
    return v as number as BlockArg;
  },
  tryCallRet(i: number): BlockArg {
    return ((1 << 30) | i) as BlockArg;
  },
  tryCallExn(i: number): BlockArg {
    return ((2 << 30) >>> 0 | i) >>> 0 as BlockArg;
  },
  kind(a: BlockArg): number {
    return a >>> 30;
  },
  index(a: BlockArg): number {
    return a & 0x3fffffff;
  },
  asValue(a: BlockArg): Value | undefined {
    return a >>> 30 === 0 ? (a as number as Value) : undefined;
  },
} as const;

/** `br_table` destinations: the default and the indexed entries. */
export interface JumpTableData {
  default: BlockCall;
  entries: BlockCall[];
}

/** One entry of a try_call's exception table, in order. */
export type ExceptionTableItem =
  | { kind: 'tag'; tag: number; block: BlockCall }
  | { kind: 'default'; block: BlockCall }
  | { kind: 'context'; value: Value };

export interface ExceptionTableData {
  sig: SigRef;
  normalReturn: BlockCall;
  items: ExceptionTableItem[];
}

/** A user stack map entry: `i32 @ ss0+4`. */
export interface UserStackMapEntry {
  type: Type;
  slot: number;
  offset: number;
}

export type { Block, FuncRef };
