// Function signatures, calling conventions and external names.
//
// These are cold data (a handful per function), so they are plain objects.
// Invariant: a Signature's params/returns are in ABI order; `callConv` is
// one of CALL_CONVS.

import type { Type } from './types.js';
import { typeName } from './types.js';
import type { UserExternalNameRef } from './entities.js';

export const CALL_CONVS = [
  'fast',
  'cold',
  'tail',
  'system_v',
  'windows_fastcall',
  'apple_aarch64',
  'probestack',
  'winch',
  'patchable',
  'preserve_all',
] as const;
export type CallConv = (typeof CALL_CONVS)[number];
export function isCallConv(s: string): s is CallConv {
  return (CALL_CONVS as readonly string[]).includes(s);
}

export type ArgumentExtension = 'none' | 'uext' | 'sext';

/** What a parameter is for, beyond carrying a value. */
export type ArgumentPurpose =
  | { kind: 'normal' }
  | { kind: 'struct_argument'; size: number }
  | { kind: 'struct_return' }
  | { kind: 'vmctx' }
  | { kind: 'stack_limit' };

export interface AbiParam {
  type: Type;
  extension: ArgumentExtension;
  purpose: ArgumentPurpose;
}

export function abiParam(type: Type, extension: ArgumentExtension = 'none', purpose: ArgumentPurpose = { kind: 'normal' }): AbiParam {
  return { type, extension, purpose };
}

export interface Signature {
  params: AbiParam[];
  returns: AbiParam[];
  callConv: CallConv;
}

export function newSignature(callConv: CallConv = 'fast'): Signature {
  return { params: [], returns: [], callConv };
}

export function formatAbiParam(p: AbiParam): string {
  let s = typeName(p.type);
  if (p.extension !== 'none') s += ` ${p.extension}`;
  switch (p.purpose.kind) {
    case 'normal': break;
    case 'struct_argument': s += ` sarg(${p.purpose.size})`; break;
    case 'struct_return': s += ' sret'; break;
    case 'vmctx': s += ' vmctx'; break;
    case 'stack_limit': s += ' stack_limit'; break;
  }
  return s;
}

/** `(i32, i64 vmctx) -> i32 system_v`: the text after a function's name. */
export function formatSignature(sig: Signature): string {
  let s = `(${sig.params.map(formatAbiParam).join(', ')})`;
  if (sig.returns.length > 0) s += ` -> ${sig.returns.map(formatAbiParam).join(', ')}`;
  return `${s} ${sig.callConv}`;
}

export function signaturesEqual(a: Signature, b: Signature): boolean {
  const eq = (x: AbiParam[], y: AbiParam[]): boolean =>
    x.length === y.length &&
    x.every((p, i) => {
      const q = y[i];
      return p.type === q.type && p.extension === q.extension && JSON.stringify(p.purpose) === JSON.stringify(q.purpose);
    });
  return a.callConv === b.callConv && eq(a.params, b.params) && eq(a.returns, b.returns);
}

// ---------------------------------------------------------------------------
// Names

/** A user-defined name: namespace and index, as `u0:1`. */
export interface UserExternalName {
  namespace: number;
  index: number;
}

/** The name a function is known by. */
export type UserFuncName =
  | { kind: 'user'; name: UserExternalName }
  | { kind: 'testcase'; name: string };

export function formatUserFuncName(n: UserFuncName): string {
  return n.kind === 'user' ? `u${n.name.namespace}:${n.name.index}` : `%${n.name}`;
}

/** What an external reference (function or symbol) names. */
export type ExternalName =
  | { kind: 'user'; ref: UserExternalNameRef }
  | { kind: 'testcase'; name: string }
  | { kind: 'libcall'; name: string }
  | { kind: 'known_symbol'; name: string };
