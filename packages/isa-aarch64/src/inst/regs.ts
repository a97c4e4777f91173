// AArch64 registers: hardware numbering, the regalloc view (physical
// registers as @clift/regalloc `PReg`s), and the names the printer uses.
//
// Invariants:
// - A `Reg` in VCode is a regalloc `VReg` (>= 0) or a physical register
//   written as `-1 - preg` (< 0). Physical registers appear in VCode only for
//   registers the allocator never hands out (sp, xzr, fp, lr, x16, x17, and
//   x21 under `enable_pinned_reg`) and in the fixed constraints of ABI
//   pseudo-instructions.
// - Hardware number 31 means sp or xzr depending on the instruction field;
//   the encoder and printer know which, so there is a single `R31`.

import { RegClass, preg, type PReg } from '@clift/regalloc';

/** A VCode register: a VReg (>= 0) or `-1 - preg` for a physical register. */
export type Reg = number;

export const HW_FP = 29;
export const HW_LR = 30;
/** sp or xzr, by instruction field. */
export const HW_31 = 31;
/** Scratch registers reserved from allocation (upstream's spilltmp and tmp2). */
export const HW_SPILLTMP = 16;
export const HW_TMP2 = 17;
/** The pinned register of `get_pinned_reg`/`set_pinned_reg` (upstream's), not allocatable under `enable_pinned_reg`. */
export const HW_PINNED = 21;

export function xpreg(hw: number): PReg {
  return preg(RegClass.Int, hw);
}
export function vpreg(hw: number): PReg {
  return preg(RegClass.Float, hw);
}
/** A physical register as a VCode `Reg`. */
export function physReg(p: PReg): Reg {
  return -1 - p;
}
export function isPhysReg(r: Reg): boolean {
  return r < 0;
}
export function physRegOf(r: Reg): PReg {
  return (-1 - r) as PReg;
}

export const XZR: Reg = physReg(xpreg(31));
export const SP: Reg = XZR; // same encoding; the field decides
export const FP: Reg = physReg(xpreg(HW_FP));
export const LR: Reg = physReg(xpreg(HW_LR));
export const SPILLTMP: Reg = physReg(xpreg(HW_SPILLTMP));
export const TMP2: Reg = physReg(xpreg(HW_TMP2));
export const PINNED: Reg = physReg(xpreg(HW_PINNED));

/** `x3`/`w3`, with `xzr`/`wzr` or `sp`/`wsp` for 31 depending on `sp`. */
export function gprName(hw: number, is64: boolean, sp = false): string {
  if (hw === 31) return sp ? (is64 ? 'sp' : 'wsp') : is64 ? 'xzr' : 'wzr';
  return `${is64 ? 'x' : 'w'}${hw}`;
}

/** Scalar FP/SIMD register name by access size in bytes: b h s d q. */
export function fprName(hw: number, bytes: number): string {
  const p = bytes === 1 ? 'b' : bytes === 2 ? 'h' : bytes === 4 ? 's' : bytes === 8 ? 'd' : 'q';
  return `${p}${hw}`;
}

/** Argument registers: x0-x7 and v0-v7. */
export const NUM_ARG_REGS = 8;
