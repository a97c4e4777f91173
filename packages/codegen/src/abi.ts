// ABI framework: where arguments and return values live under a calling
// convention, and the layout of a function's stack frame.
//
// A target implements `AbiMachineSpec` (register assignment per calling
// convention, caller/callee-saved sets); this module turns signatures into
// `SigData` (including the implicit return-area pointer of
// `enable_multi_ret_implicit_sret`) and computes the `FrameLayout` once
// register allocation has decided spill slots and clobbers.
//
// Frame, from high to low addresses (SP is 16-byte aligned at all times):
//
//     incoming stack arguments          <- FP + 16 + arg offset
//     return address, saved FP          <- FP (when the frame is set up)
//     clobbered callee-saved registers
//     spill slots                       <- SP + spillBase
//     stack slots (explicit_slot)       <- SP + slotBase
//     outgoing arguments / return area  <- SP
//
// Invariants: every area size is a multiple of 8 and `fixedFrameSize +
// outgoingArgsSize` a multiple of 16; offsets in `stackSlotOffsets` honour
// each slot's requested alignment (up to 16).

import type { AbiParam, ArgumentPurpose, CallConv, Function, Signature, Type } from '@clift/ir';
import type { PReg } from '@clift/regalloc';
import { CodegenError } from './errors.js';
import type { Flags } from './settings.js';

/** One register or stack location holding (part of) an argument. */
export type ArgSlot =
  | { readonly kind: 'reg'; readonly preg: PReg; readonly ty: Type }
  | { readonly kind: 'stack'; readonly offset: number; readonly ty: Type };

/** An argument or return value: one slot, or two for a value split across registers. */
export interface AbiArg {
  readonly slots: readonly ArgSlot[];
  readonly purpose: ArgumentPurpose['kind'];
}

export interface ArgLocs {
  readonly args: AbiArg[];
  /** Bytes of stack the arguments take (16-byte aligned). */
  readonly stackSize: number;
  /** The return-area pointer, when one was requested. */
  readonly retAreaPtr?: AbiArg;
}

export interface AbiMachineSpec {
  /** Assigns locations to `params` (arguments or return values) under `callConv`. */
  computeArgLocs(callConv: CallConv, params: readonly AbiParam[], kind: 'args' | 'rets', addRetAreaPtr: boolean): ArgLocs;
  /** Registers a call to a function of `callConv` may clobber. */
  callClobbers(callConv: CallConv): readonly PReg[];
  /** Must a function of `callConv` preserve `preg` for its caller? */
  isCalleeSaved(callConv: CallConv, preg: PReg): boolean;
}

/** A signature's argument and return locations. */
export interface SigData {
  readonly callConv: CallConv;
  readonly params: readonly AbiArg[];
  readonly rets: readonly AbiArg[];
  readonly stackArgSize: number;
  /** Bytes of the return area (returns that did not fit in registers). */
  readonly stackRetSize: number;
  /** Extra argument carrying the return-area address, when `stackRetSize > 0`. */
  readonly retAreaPtr: AbiArg | undefined;
}

export function computeSigData(spec: AbiMachineSpec, sig: Signature, flags: Flags): SigData {
  const rets = spec.computeArgLocs(sig.callConv, sig.returns, 'rets', false);
  const needRetArea = rets.stackSize > 0;
  if (needRetArea && !flags.bool('enable_multi_ret_implicit_sret'))
    throw new CodegenError(
      'abi',
      `too many return values to fit in registers (${sig.returns.length}); use a struct-return argument or set enable_multi_ret_implicit_sret`,
    );
  const args = spec.computeArgLocs(sig.callConv, sig.params, 'args', needRetArea);
  return {
    callConv: sig.callConv,
    params: args.args,
    rets: rets.args,
    stackArgSize: args.stackSize,
    stackRetSize: rets.stackSize,
    retAreaPtr: args.retAreaPtr,
  };
}

const NO_OFFSETS = new Int32Array(0);

/**
 * Offsets of the explicit stack slots within their area, and its size. The
 * dynamic stack slots follow the sized ones, each `dynamicVectorBytes` long
 * (the target's size of a dynamic vector, 0 for a target without them) and
 * aligned to it, up to 16.
 */
export function layoutStackSlots(func: Function, dynamicVectorBytes = 0): { offsets: Int32Array; dynamicOffsets: Int32Array; size: number } {
  const nDyn = func.dynamicStackSlots.length;
  if (func.stackSlots.length === 0 && nDyn === 0) return { offsets: NO_OFFSETS, dynamicOffsets: NO_OFFSETS, size: 0 };
  const offsets = func.stackSlots.length === 0 ? NO_OFFSETS : new Int32Array(func.stackSlots.length);
  let off = 0;
  func.stackSlots.forEach((s, i) => {
    if (!s) return;
    const align = Math.max(1, Math.min(16, s.alignShift === undefined ? 8 : 1 << s.alignShift));
    if (s.alignShift !== undefined && 1 << s.alignShift > 16)
      throw new CodegenError('impl-limit', `stack slot ss${i} asks for ${1 << s.alignShift}-byte alignment; at most 16 is supported`);
    off = alignTo(off, align);
    offsets[i] = off;
    off += s.size;
  });
  const dynamicOffsets = nDyn === 0 ? NO_OFFSETS : new Int32Array(nDyn);
  func.dynamicStackSlots.forEach((s, i) => {
    if (!s) return;
    if (dynamicVectorBytes <= 0) throw new CodegenError('unsupported', `unsupported: dynamic stack slot dss${i} (this target has no dynamic vectors)`);
    off = alignTo(off, Math.min(16, dynamicVectorBytes));
    dynamicOffsets[i] = off;
    off += dynamicVectorBytes;
  });
  return { offsets, dynamicOffsets, size: alignTo(off, 8) };
}

export function alignTo(x: number, a: number): number {
  return Math.ceil(x / a) * a;
}

export interface FrameLayout {
  /** Is FP/LR saved and FP set up? */
  readonly setupFrame: boolean;
  /** Callee-saved registers the body writes, sorted by class then number. */
  readonly clobberedCalleeSaves: readonly PReg[];
  readonly stackSlotOffsets: Int32Array;
  readonly stackSlotsSize: number;
  readonly spillSlotsSize: number;
  /** Stack slots plus spill slots, rounded so the whole SP adjustment stays 16-aligned. */
  readonly fixedFrameSize: number;
  readonly outgoingArgsSize: number;
  /** SP offsets of the stack-slot and spill-slot areas. */
  readonly slotBase: number;
  readonly spillBase: number;
  readonly incomingArgsSize: number;
}

export interface FrameInputs {
  readonly func: Function;
  readonly isLeaf: boolean;
  readonly incomingArgsSize: number;
  readonly outgoingArgsSize: number;
  /** Spill slots in 8-byte units. */
  readonly numSpillSlots: number;
  readonly clobberedCalleeSaves: readonly PReg[];
  readonly preserveFramePointers: boolean;
  /** The target's size of a dynamic vector (see `layoutStackSlots`); default 0. */
  readonly dynamicVectorBytes?: number;
}

export function computeFrameLayout(inp: FrameInputs): FrameLayout {
  const { offsets, size } = layoutStackSlots(inp.func, inp.dynamicVectorBytes);
  const spillSlotsSize = inp.numSpillSlots * 8;
  const outgoing = alignTo(inp.outgoingArgsSize, 16);
  // Spill slots hold q registers too: keep them 16-aligned from SP.
  const spillBase = outgoing + alignTo(size, 16);
  const fixedFrameSize = alignTo(alignTo(size, 16) + spillSlotsSize, 16);
  const setupFrame =
    !inp.isLeaf || inp.incomingArgsSize > 0 || inp.clobberedCalleeSaves.length > 0 || fixedFrameSize > 0 || outgoing > 0 || inp.preserveFramePointers;
  return {
    setupFrame,
    clobberedCalleeSaves: inp.clobberedCalleeSaves,
    stackSlotOffsets: offsets,
    stackSlotsSize: size,
    spillSlotsSize,
    fixedFrameSize,
    outgoingArgsSize: outgoing,
    slotBase: outgoing,
    spillBase,
    incomingArgsSize: inp.incomingArgsSize,
  };
}
