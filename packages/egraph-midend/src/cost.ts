// Extraction cost of e-graph nodes: a rough count of machine work per
// opcode, so that extraction prefers constants and single ALU operations
// over multiplies, divides and memory. A node's cost is its opcode's plus
// its operands' (shared operands count once per use: a heuristic, as in
// Cranelift); an e-class costs as much as its cheapest node.
//
// Invariant: costs are finite and saturate at MAX_COST, so sums never
// overflow into Infinity/NaN comparisons.

import { ALL_OPCODES, Opcode } from '@clift/ir';

export const MAX_COST = 1e12;

const CHEAP = new Set<number>([
  Opcode.Iconst, Opcode.F16const, Opcode.F32const, Opcode.F64const, Opcode.F128const, Opcode.Vconst,
]);
const ALU = new Set<number>([
  Opcode.Iadd, Opcode.Isub, Opcode.Ineg, Opcode.Band, Opcode.Bor, Opcode.Bxor, Opcode.Bnot,
  Opcode.BandNot, Opcode.BorNot, Opcode.BxorNot, Opcode.Ishl, Opcode.Ushr, Opcode.Sshr, Opcode.Rotl,
  Opcode.Rotr, Opcode.Uextend, Opcode.Sextend, Opcode.Ireduce, Opcode.Icmp, Opcode.Select, Opcode.Bmask,
  Opcode.Smin, Opcode.Smax, Opcode.Umin, Opcode.Umax, Opcode.Iabs, Opcode.Splat, Opcode.Iconcat,
  Opcode.Bitcast, Opcode.StackAddr, Opcode.GlobalValue, Opcode.SymbolValue, Opcode.FuncAddr,
  Opcode.Fneg, Opcode.Fabs, Opcode.Fcopysign,
]);
const MUL = new Set<number>([Opcode.Imul, Opcode.Umulhi, Opcode.Smulhi]);
const DIV = new Set<number>([Opcode.Udiv, Opcode.Sdiv, Opcode.Urem, Opcode.Srem, Opcode.Fdiv, Opcode.Sqrt]);

/** Per opcode: its own cost (filled once from the sets above; lookups are per node). */
const OP_COST = new Uint8Array(ALL_OPCODES.reduce((m, op) => Math.max(m, op), 0) + 1);
for (const op of ALL_OPCODES) OP_COST[op] = CHEAP.has(op) ? 1 : ALU.has(op) ? 2 : MUL.has(op) ? 4 : DIV.has(op) ? 16 : 3;

/** The cost of the operation itself, excluding its operands. */
export function opCost(op: number): number {
  return op < OP_COST.length ? OP_COST[op] : 3;
}

/**
 * Scalar constants are rematerialized in each block that uses them rather
 * than hoisted (one or two instructions, and no register held across
 * blocks); vector constants come from the constant pool and are hoisted.
 */
export function isRemat(op: number): boolean {
  return op === Opcode.Iconst || op === Opcode.F16const || op === Opcode.F32const || op === Opcode.F64const;
}

export function addCost(a: number, b: number): number {
  const s = a + b;
  return s > MAX_COST ? MAX_COST : s;
}
