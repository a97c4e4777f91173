// Small builders shared by the tests.
import { def, operand, OperandKind, OperandPos, preg, RegClass, use, vreg, type Operand, type OperandConstraint, type VReg } from '../src/index.js';
import type { BlockData, FunctionData, InstData } from '../src/fuzzing/index.js';

export const I = (n: number): VReg => vreg(n, RegClass.Int);
export const F = (n: number): VReg => vreg(n, RegClass.Float);
export const r = (hw: number) => preg(RegClass.Int, hw);
export const fr = (hw: number) => preg(RegClass.Float, hw);
export const any: OperandConstraint = { kind: 'any' };
export const reg: OperandConstraint = { kind: 'reg' };
export const stack: OperandConstraint = { kind: 'stack' };
export const fixed = (p: ReturnType<typeof preg>): OperandConstraint => ({ kind: 'fixed', preg: p });
export const reuse = (input: number): OperandConstraint => ({ kind: 'reuse', input });
export const limit = (max: number): OperandConstraint => ({ kind: 'limit', max });
export const useE = (v: VReg, c: OperandConstraint = reg): Operand => use(v, c, OperandPos.Early);
export const useL = (v: VReg, c: OperandConstraint = reg): Operand => use(v, c, OperandPos.Late);
export const defL = (v: VReg, c: OperandConstraint = reg): Operand => def(v, c, OperandPos.Late);
export const defE = (v: VReg, c: OperandConstraint = reg): Operand => operand(v, c, OperandKind.Def, OperandPos.Early);
export const op = (...ops: Operand[]): InstData => ({ ops });
export const ret = (...ops: Operand[]): InstData => ({ ops, kind: 'ret' });
export const jump = (): InstData => ({ ops: [], kind: 'branch' });
export const br = (...ops: Operand[]): InstData => ({ ops, kind: 'branch' });

export function block(insts: InstData[], succs: number[] = [], branchArgs: VReg[][] = succs.map(() => []), params: VReg[] = []): BlockData {
  return { params, insts, succs, branchArgs };
}
/** A one-block function. */
export function straight(numVregs: number, insts: InstData[]): FunctionData {
  return { blocks: [block(insts)], numVregs };
}
