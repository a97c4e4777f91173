// The AArch64 procedure-call standard (AAPCS64) and its variants, as
// upstream Cranelift implements them: `system_v` (and `fast`, `cold`, which
// use the same rules on AArch64), `apple_aarch64` (stack arguments packed at
// their natural size, no even-register rule for 128-bit values) and `tail`
// (same registers and callee-saved set as AAPCS64, but the callee pops its
// stack arguments, so `return_call` can hand a differently sized argument
// area to its callee).
//
// Arguments: integers in x0-x7, floats in v0-v7, then the stack in 8-byte
// slots (natural size on Apple); i128 in an even/odd register pair; a
// struct-return pointer in x8. Return values: up to 8 integer and 8 float
// registers; the rest in a return area whose address is an extra argument
// (enable_multi_ret_implicit_sret).

import { alignTo, CodegenError, type AbiArg, type AbiMachineSpec, type ArgLocs, type ArgSlot } from '@clift/codegen';
import { I64, isFloat, isInt, isVector, typeBits, typeName, type AbiParam, type CallConv } from '@clift/ir';
import { RegClass, pregClass, pregHw, type MachineEnv, type PReg } from '@clift/regalloc';
import { vpreg, xpreg } from './inst/regs.js';

const STACK_ARG_RET_SIZE_LIMIT = 128 * 1024 * 1024;

function computeArgLocs(callConv: CallConv, params: readonly AbiParam[], kind: 'args' | 'rets', addRetAreaPtr: boolean): ArgLocs {
  const apple = callConv === 'apple_aarch64';
  let nextX = 0;
  let nextV = 0;
  let remaining = 16;
  let nextStack = 0;
  const args: AbiArg[] = [];
  for (const p of params) {
    const ty = p.type;
    const purpose = p.purpose.kind;
    if (isVector(ty)) throw new CodegenError('unsupported', `unsupported: ${typeName(ty)} ${kind === 'args' ? 'argument' : 'return value'} on aarch64 (SIMD is not implemented yet)`);
    if (purpose === 'struct_argument') throw new CodegenError('unsupported', 'unsupported: struct_argument parameters on aarch64');
    if (purpose === 'struct_return') {
      if (ty !== I64) throw new CodegenError('abi', `struct-return pointer must be i64, not ${typeName(ty)}`);
      args.push({ slots: [{ kind: 'reg', preg: xpreg(8), ty: I64 }], purpose: 'struct_return' });
      continue;
    }
    // i128 takes two 64-bit parts (registers or stack words).
    const pair = isInt(ty) && typeBits(ty) === 128;
    if (pair) {
      if (remaining >= 2 && 8 - nextX >= 2) {
        if (!apple && nextX % 2 !== 0) nextX++;
        if (nextX + 1 < 8) {
          args.push({ slots: [{ kind: 'reg', preg: xpreg(nextX), ty: I64 }, { kind: 'reg', preg: xpreg(nextX + 1), ty: I64 }], purpose });
          nextX += 2;
          remaining -= 2;
          continue;
        }
      }
    } else {
      const float = isFloat(ty);
      const next = float ? nextV : nextX;
      if (next < 8 && remaining > 0) {
        args.push({ slots: [{ kind: 'reg', preg: float ? vpreg(next) : xpreg(next), ty }], purpose });
        if (float) nextV++;
        else nextX++;
        remaining--;
        continue;
      }
    }
    // On the stack.
    const size = Math.max(typeBits(ty) / 8, apple ? 1 : 8);
    nextStack = alignTo(nextStack, size);
    const slots: ArgSlot[] = pair
      ? [{ kind: 'stack', offset: nextStack, ty: I64 }, { kind: 'stack', offset: nextStack + 8, ty: I64 }]
      : [{ kind: 'stack', offset: nextStack, ty }];
    args.push({ slots, purpose });
    nextStack += size;
  }
  let retAreaPtr: AbiArg | undefined;
  if (addRetAreaPtr) {
    if (nextX < 8 && remaining > 0) retAreaPtr = { slots: [{ kind: 'reg', preg: xpreg(nextX), ty: I64 }], purpose: 'normal' };
    else {
      retAreaPtr = { slots: [{ kind: 'stack', offset: nextStack, ty: I64 }], purpose: 'normal' };
      nextStack += 8;
    }
  }
  nextStack = alignTo(nextStack, 16);
  if (nextStack > STACK_ARG_RET_SIZE_LIMIT) throw new CodegenError('impl-limit', `${kind} need ${nextStack} bytes of stack, above the 128 MiB limit`);
  return { args, stackSize: nextStack, retAreaPtr };
}

const X_CALLER_SAVED = Array.from({ length: 16 }, (_, i) => xpreg(i));
const V_ALL = Array.from({ length: 32 }, (_, i) => vpreg(i));
const DEFAULT_CLOBBERS: readonly PReg[] = [...X_CALLER_SAVED, ...V_ALL];

export const AARCH64_ABI: AbiMachineSpec = {
  computeArgLocs,
  callClobbers(): readonly PReg[] {
    return DEFAULT_CLOBBERS;
  },
  isCalleeSaved(_callConv: CallConv, p: PReg): boolean {
    const hw = pregHw(p);
    return pregClass(p) === RegClass.Int ? hw >= 19 && hw <= 28 : hw >= 8 && hw <= 15;
  },
};

/** Allocatable registers: caller-saved first, then callee-saved; x16-x18, fp, lr, sp never. */
export function machineEnv(): MachineEnv {
  return {
    preferredRegsByClass: [X_CALLER_SAVED, [...Array.from({ length: 8 }, (_, i) => vpreg(i)), ...Array.from({ length: 16 }, (_, i) => vpreg(16 + i))], []],
    nonPreferredRegsByClass: [Array.from({ length: 10 }, (_, i) => xpreg(19 + i)), Array.from({ length: 8 }, (_, i) => vpreg(8 + i)), []],
    scratchByClass: [null, null, null],
    fixedStackSlots: [],
  };
}
