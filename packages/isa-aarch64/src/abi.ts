// The AArch64 procedure-call standard (AAPCS64) and its variants, as
// upstream Cranelift implements them: `system_v` (and `fast`, `cold`, which
// use the same rules on AArch64), `apple_aarch64` (stack arguments packed at
// their natural size, no even-register rule for 128-bit values) and `tail`
// (same registers and callee-saved set as AAPCS64, but the callee pops its
// stack arguments, so `return_call` can hand a differently sized argument
// area to its callee).
//
// Arguments: integers in x0-x7, floats and vectors (64 or 128 bits) in
// v0-v7, then the stack in 8-byte slots (16 for 128-bit values; natural size
// on Apple); i128 in an even/odd register pair; a
// struct-return pointer in x8. Return values: up to 8 integer and 8 float
// registers; the rest in a return area whose address is an extra argument
// (enable_multi_ret_implicit_sret).

import { alignTo, CodegenError, type AbiArg, type AbiMachineSpec, type ArgLocs, type ArgSlot } from '@clift/codegen';
import { F128, F16, I128, I64, I8, isFloat, isVector, typeBits, typeName, type AbiParam, type CallConv, type Type } from '@clift/ir';
import { RegClass, pregClass, pregHw, type MachineEnv, type PReg } from '@clift/regalloc';
import { HW_PINNED, vpreg, xpreg } from './inst/regs.js';

const STACK_ARG_RET_SIZE_LIMIT = 128 * 1024 * 1024;

/**
 * Bytes of a dynamic vector (`dt0 = i32x4*gv0` with `gv0 =
 * dyn_scale_target_const.i32x4`): with Neon and no SVE, every dynamic
 * vector is one 128-bit register, as upstream's `dynamic_vector_bytes`.
 */
export const DYNAMIC_VECTOR_BYTES = 16;

// Locations are immutable records, so the common ones (a `normal` value in
// one register, or an i128 in a pair) are made once and shared by every
// signature: computing a signature's locations allocates little.
const STRUCT_RETURN_ARG: AbiArg = { slots: [{ kind: 'reg', preg: xpreg(8), ty: I64 }], purpose: 'struct_return' };
/** Indexed by `preg * 16 + ty` (scalar types are below 16; vectors are not cached). */
const REG_ARGS: (AbiArg | undefined)[] = [];
const PAIR_ARGS: (AbiArg | undefined)[] = [];
function regArg(reg: PReg, ty: Type): AbiArg {
  const key = reg * 16 + ty;
  return (REG_ARGS[key] ??= { slots: [{ kind: 'reg', preg: reg, ty }], purpose: 'normal' });
}
/** An i128 in x`first` (low half) and the next register. */
function pairArg(first: number): AbiArg {
  return (PAIR_ARGS[first] ??= { slots: [{ kind: 'reg', preg: xpreg(first), ty: I64 }, { kind: 'reg', preg: xpreg(first + 1), ty: I64 }], purpose: 'normal' });
}

const X_REGS: readonly PReg[] = Array.from({ length: 8 }, (_, i) => xpreg(i));
const V_REGS: readonly PReg[] = Array.from({ length: 8 }, (_, i) => vpreg(i));

function computeArgLocs(callConv: CallConv, params: readonly AbiParam[], kind: 'args' | 'rets', addRetAreaPtr: boolean): ArgLocs {
  const apple = callConv === 'apple_aarch64';
  let nextX = 0;
  let nextV = 0;
  let remaining = 16;
  let nextStack = 0;
  const args: AbiArg[] = [];
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    const ty = p.type;
    const purpose = p.purpose.kind;
    // The common case first: a `normal` scalar (not i128) with a register left.
    if (purpose === 'normal' && remaining > 0) {
      if (ty >= I8 && ty <= I64 && nextX < 8) {
        args.push(regArg(X_REGS[nextX++], ty));
        remaining--;
        continue;
      }
      if (ty >= F16 && ty <= F128 && nextV < 8) {
        args.push(regArg(V_REGS[nextV++], ty));
        remaining--;
        continue;
      }
    }
    // Fixed vectors travel in v registers (one each) like floats; wider ones
    // have no register class here.
    if (isVector(ty) && typeBits(ty) > 128) throw new CodegenError('unsupported', `unsupported: ${typeName(ty)} ${kind === 'args' ? 'argument' : 'return value'} on aarch64 (vectors wider than 128 bits)`);
    if (purpose === 'struct_argument') throw new CodegenError('unsupported', 'unsupported: struct_argument parameters on aarch64');
    if (purpose === 'struct_return') {
      if (ty !== I64) throw new CodegenError('abi', `struct-return pointer must be i64, not ${typeName(ty)}`);
      args.push(STRUCT_RETURN_ARG);
      continue;
    }
    // i128 takes two 64-bit parts (registers or stack words).
    const pair = ty === I128;
    if (pair) {
      if (remaining >= 2 && 8 - nextX >= 2) {
        if (!apple && nextX % 2 !== 0) nextX++;
        if (nextX + 1 < 8) {
          args.push(purpose === 'normal' ? pairArg(nextX) : { slots: [{ kind: 'reg', preg: xpreg(nextX), ty: I64 }, { kind: 'reg', preg: xpreg(nextX + 1), ty: I64 }], purpose });
          nextX += 2;
          remaining -= 2;
          continue;
        }
      }
    } else {
      const float = isFloat(ty) || isVector(ty);
      const next = float ? nextV : nextX;
      if (next < 8 && remaining > 0) {
        const reg = float ? vpreg(next) : xpreg(next);
        args.push(purpose === 'normal' && !isVector(ty) ? regArg(reg, ty) : { slots: [{ kind: 'reg', preg: reg, ty }], purpose });
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

/**
 * Allocatable registers: caller-saved first, then callee-saved; x16-x18, fp,
 * lr, sp never, nor x21 when `pinned` (`enable_pinned_reg` reserves it for
 * `get_pinned_reg`/`set_pinned_reg`).
 */
export function machineEnv(pinned = false): MachineEnv {
  const calleeSavedX = Array.from({ length: 10 }, (_, i) => xpreg(19 + i)).filter((p) => !pinned || pregHw(p) !== HW_PINNED);
  return {
    preferredRegsByClass: [X_CALLER_SAVED, [...Array.from({ length: 8 }, (_, i) => vpreg(i)), ...Array.from({ length: 16 }, (_, i) => vpreg(16 + i))], []],
    nonPreferredRegsByClass: [calleeSavedX, Array.from({ length: 8 }, (_, i) => vpreg(8 + i)), []],
    scratchByClass: [null, null, null],
    fixedStackSlots: [],
  };
}

/** Every allocatable register of `machineEnv(pinned)`: what a try_call clobbers and its frame saves. */
export function allAllocatable(pinned: boolean): readonly PReg[] {
  return pinned ? ALL_ALLOCATABLE_PINNED : ALL_ALLOCATABLE;
}
const flatEnv = (env: MachineEnv): readonly PReg[] => [...env.preferredRegsByClass, ...env.nonPreferredRegsByClass].flat();
const ALL_ALLOCATABLE = flatEnv(machineEnv(false));
const ALL_ALLOCATABLE_PINNED = flatEnv(machineEnv(true));

/**
 * What a Mach-O thread-local variable's thunk call clobbers: the AAPCS64
 * caller-saved registers except x0, which it defines.
 */
export const TLV_CALL_CLOBBERS: readonly PReg[] = DEFAULT_CLOBBERS.filter((p) => p !== xpreg(0));
