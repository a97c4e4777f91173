// @clift/regalloc: the contract. This file owns every public type of the
// register allocator (entities, packed operands, the client's
// `RegallocFunction` interface, `MachineEnv`, `Output`, the `RegallocError`
// union) and the single entry point `run(func, env, opts)`. The algorithms live
// beside it and are not exported: `validate.ts` (input rules), `ion/*`
// (backtracking allocator), `fastalloc.ts` (single-pass allocator),
// `checker.ts` (proof that an output is correct).
//
// Invariants the client promises (checked by `validate.ts` before any
// allocation starts; a broken rule is a `RegallocError`, never a crash):
//   - blocks are numbered densely from 0 and cover the instructions densely
//     and in order: block 0 starts at inst 0, block b+1 starts where b ends;
//   - the function is in SSA form: every vreg is defined exactly once, by an
//     instruction or as a block parameter, and each vreg has one class;
//   - there are no critical edges; a block's last instruction is its only
//     branch or return, branch arguments match the successor's parameters;
//   - nothing is live into the entry block.

import type { RegallocContext } from './context.js';
import { runAllocation } from './driver.js';

// ---------------------------------------------------------------------------
// Entities
// ---------------------------------------------------------------------------
// Entities are plain numbers with a brand, so that hot data can live in typed
// arrays while signatures still say which kind of index they take. Numbering is
// dense from zero; the client chooses it and the allocator never renumbers.

/** An instruction index, dense from 0 in layout order. */
export type Inst = number & { readonly __brand: 'Inst' };
/** A basic block index, dense from 0; blocks are laid out in index order. */
export type Block = number & { readonly __brand: 'Block' };

/** Register classes. A vreg and every register it may live in share a class. */
export const RegClass = { Int: 0, Float: 1, Vector: 2 } as const;
export type RegClass = (typeof RegClass)[keyof typeof RegClass];
/** Names of the classes, for printing. */
export const REG_CLASS_NAMES: readonly string[] = ['int', 'float', 'vector'];

/**
 * A virtual register: `index:30 class:2` (`index * 4 + class`). The index is
 * dense from 0 below `numVregs()`; the class is part of the identity.
 */
export type VReg = number & { readonly __brand: 'VReg' };
/** Largest vreg index (2^30 - 1). */
export const MAX_VREG_INDEX = 0x3fffffff;
export function vreg(index: number, cls: RegClass): VReg {
  if (!Number.isInteger(index) || index < 0 || index > MAX_VREG_INDEX) throw new RangeError(`vreg index ${index} out of range`);
  return (index * 4 + cls) as VReg;
}
export function vregIndex(v: VReg): number {
  return v >>> 2;
}
export function vregClass(v: VReg): RegClass {
  return (v & 3) as RegClass;
}
export function vregToString(v: VReg): string {
  return `v${vregIndex(v)}`;
}

/**
 * A physical register: `class:2 hw:6` (`class * 64 + hw`), so each class has
 * 64 hardware encodings. A preg listed in `MachineEnv.fixedStackSlots` names a
 * fixed stack location (an incoming argument slot, say) rather than a register.
 */
export type PReg = number & { readonly __brand: 'PReg' };
export const PREGS_PER_CLASS = 64;
export const NUM_PREGS = 3 * PREGS_PER_CLASS;
export function preg(cls: RegClass, hw: number): PReg {
  if (!Number.isInteger(hw) || hw < 0 || hw >= PREGS_PER_CLASS) throw new RangeError(`preg hw ${hw} out of range`);
  return (cls * PREGS_PER_CLASS + hw) as PReg;
}
export function pregClass(p: PReg): RegClass {
  return (p >>> 6) as RegClass;
}
export function pregHw(p: PReg): number {
  return p & 63;
}
export function pregToString(p: PReg): string {
  return `p${pregHw(p)}${'ifv'[pregClass(p)]}`;
}

// ---------------------------------------------------------------------------
// Operands
// ---------------------------------------------------------------------------
// Layout (two 32-bit words in one safe integer, hi * 2^32 + lo):
//   hi = unused:22 constraint:8 kind:1 pos:1 | lo = vreg:32 (index:30 class:2)
// Constraint byte: 0x00 any, 0x01 reg, 0x02 stack, 0x40|k reuse input k (k<64),
// 0x80|hw fixed preg (class of the vreg, hw<64), 0xC0|e limit: a register with
// hw < 2^e (e<=6).

/** A packed operand; see the layout line above. */
export type Operand = number & { readonly __brand: 'Operand' };

export const OperandKind = { Use: 0, Def: 1 } as const;
export type OperandKind = (typeof OperandKind)[keyof typeof OperandKind];
/** Early: read or written before the instruction's late effects; Late: after. */
export const OperandPos = { Early: 0, Late: 1 } as const;
export type OperandPos = (typeof OperandPos)[keyof typeof OperandPos];

/** A constraint on where an operand's value must be at its program point. */
export type OperandConstraint =
  | { readonly kind: 'any' }
  | { readonly kind: 'reg' }
  | { readonly kind: 'stack' }
  | { readonly kind: 'fixed'; readonly preg: PReg }
  | { readonly kind: 'reuse'; readonly input: number }
  | { readonly kind: 'limit'; readonly max: number };

const TWO32 = 0x1_0000_0000;
const POS_SHIFT = 0;
const KIND_SHIFT = POS_SHIFT + 1;
const CONSTRAINT_SHIFT = KIND_SHIFT + 1;

/** Constraint byte codes (the `constraint:8` field). */
export const CONSTRAINT_ANY = 0x00;
export const CONSTRAINT_REG = 0x01;
export const CONSTRAINT_STACK = 0x02;
export const CONSTRAINT_REUSE = 0x40;
export const CONSTRAINT_FIXED = 0x80;
export const CONSTRAINT_LIMIT = 0xc0;

function encodeConstraint(c: OperandConstraint, v: VReg): number {
  switch (c.kind) {
    case 'any':
      return CONSTRAINT_ANY;
    case 'reg':
      return CONSTRAINT_REG;
    case 'stack':
      return CONSTRAINT_STACK;
    case 'fixed':
      if (pregClass(c.preg) !== vregClass(v)) throw new RangeError(`fixed ${pregToString(c.preg)} has another class than ${vregToString(v)}`);
      return CONSTRAINT_FIXED | pregHw(c.preg);
    case 'reuse':
      if (!Number.isInteger(c.input) || c.input < 0 || c.input > 63) throw new RangeError(`reuse input ${c.input} out of range`);
      return CONSTRAINT_REUSE | c.input;
    case 'limit': {
      const e = Math.log2(c.max);
      if (!Number.isInteger(e) || e < 0 || e > 6) throw new RangeError(`limit ${c.max} is not a power of two up to 64`);
      return CONSTRAINT_LIMIT | e;
    }
  }
}

/** Packs an operand. Throws RangeError on out-of-range fields (a client bug). */
export function operand(v: VReg, constraint: OperandConstraint, kind: OperandKind, pos: OperandPos): Operand {
  const c = encodeConstraint(constraint, v);
  const hi = (c << CONSTRAINT_SHIFT) | (kind << KIND_SHIFT) | (pos << POS_SHIFT);
  return (hi * TWO32 + (v >>> 0)) as Operand;
}
/** Shorthands for the common cases. */
export const use = (v: VReg, c: OperandConstraint = { kind: 'reg' }, pos: OperandPos = OperandPos.Early): Operand =>
  operand(v, c, OperandKind.Use, pos);
export const def = (v: VReg, c: OperandConstraint = { kind: 'reg' }, pos: OperandPos = OperandPos.Late): Operand =>
  operand(v, c, OperandKind.Def, pos);

export function operandVReg(op: Operand): VReg {
  return (op >>> 0) as VReg;
}
function operandHi(op: Operand): number {
  return Math.floor(op / TWO32);
}
export function operandKind(op: Operand): OperandKind {
  return ((operandHi(op) >>> KIND_SHIFT) & 1) as OperandKind;
}
export function operandPos(op: Operand): OperandPos {
  return ((operandHi(op) >>> POS_SHIFT) & 1) as OperandPos;
}
/** The raw constraint byte. */
export function operandConstraintCode(op: Operand): number {
  return (operandHi(op) >>> CONSTRAINT_SHIFT) & 0xff;
}
export function operandConstraint(op: Operand): OperandConstraint {
  const c = operandConstraintCode(op);
  const tag = c & 0xc0;
  if (tag === CONSTRAINT_REUSE) return { kind: 'reuse', input: c & 63 };
  if (tag === CONSTRAINT_FIXED) return { kind: 'fixed', preg: preg(vregClass(operandVReg(op)), c & 63) };
  if (tag === CONSTRAINT_LIMIT) return { kind: 'limit', max: 1 << (c & 63) };
  if (c === CONSTRAINT_REG) return { kind: 'reg' };
  if (c === CONSTRAINT_STACK) return { kind: 'stack' };
  return { kind: 'any' };
}
export function operandToString(op: Operand): string {
  const c = operandConstraint(op);
  const cs =
    c.kind === 'fixed' ? `fixed(${pregToString(c.preg)})` : c.kind === 'reuse' ? `reuse(${c.input})` : c.kind === 'limit' ? `limit(${c.max})` : c.kind;
  const k = operandKind(op) === OperandKind.Use ? 'use' : 'def';
  const p = operandPos(op) === OperandPos.Early ? 'early' : 'late';
  const v = operandVReg(op);
  return `${k} ${vregToString(v)}:${REG_CLASS_NAMES[vregClass(v)]} ${cs} ${p}`;
}

// ---------------------------------------------------------------------------
// Allocations and program points
// ---------------------------------------------------------------------------
// Allocation layout: kind:3 index:29. Kind 0 none, 1 register (index = PReg),
// 2 stack (index = spill slot).

export type Allocation = number & { readonly __brand: 'Allocation' };
export const ALLOC_NONE = 0 as Allocation;
const ALLOC_KIND_SHIFT = 29;
export function allocReg(p: PReg): Allocation {
  return ((1 << ALLOC_KIND_SHIFT) | p) as Allocation;
}
export function allocStack(slot: number): Allocation {
  return ((2 << ALLOC_KIND_SHIFT) | slot) as Allocation;
}
export function allocIsReg(a: Allocation): boolean {
  return a >>> ALLOC_KIND_SHIFT === 1;
}
export function allocIsStack(a: Allocation): boolean {
  return a >>> ALLOC_KIND_SHIFT === 2;
}
export function allocIndex(a: Allocation): number {
  return a & 0x1fffffff;
}
export function allocToString(a: Allocation): string {
  if (allocIsReg(a)) return pregToString(allocIndex(a) as PReg);
  if (allocIsStack(a)) return `stack${allocIndex(a)}`;
  return 'none';
}

/** A program point: `inst:31 after:1`. Edits at `before(i)` run before inst i. */
export type ProgPoint = number & { readonly __brand: 'ProgPoint' };
export const before = (i: Inst | number): ProgPoint => (i * 2) as ProgPoint;
export const after = (i: Inst | number): ProgPoint => (i * 2 + 1) as ProgPoint;
export const progPointInst = (p: ProgPoint): Inst => (p >>> 1) as Inst;
export const progPointIsAfter = (p: ProgPoint): boolean => (p & 1) === 1;

// ---------------------------------------------------------------------------
// The client's function
// ---------------------------------------------------------------------------

/** One debug-info request: where does `vreg` live while insts [from, to) run? */
export interface DebugValueLabel {
  readonly vreg: VReg;
  readonly from: Inst;
  readonly to: Inst;
  readonly label: number;
}

/**
 * Lists per entity (instruction, block or edge), concatenated: entity e's
 * list is `items[starts[e]]` up to, not including, `items[starts[e + 1]]`.
 * `starts` has (at least) one entry more than there are entities, and its
 * entries are integers that never decrease, from `starts[0] >= 0` to at
 * most `items.length`; entries past those read are ignored, so both arrays
 * may be a client's growable columns. Typed arrays (`Float64Array` for
 * operands) are copied fastest.
 */
export interface FlatLists<T> {
  readonly items: ArrayLike<T>;
  readonly starts: ArrayLike<number>;
}

/** Bits of `RegallocFunction.allInstFlags`; other bits are ignored. */
export const InstFlag = { Ret: 1, Branch: 2, Move: 4 } as const;

/**
 * What the allocator needs to know about the client's code. Ids are dense
 * from zero. Every method may be called many times; return stable answers.
 *
 * The per-item methods are the interface; the optional `all*` methods are a
 * bulk fast path for clients that already keep these facts in flat arrays
 * (one call per function instead of one per instruction or block). Each is
 * independent: when one is present the allocator reads that fact only
 * through it, so its answer must equal the per-item method's for every
 * entity (same lists, same order). Input rules and errors are the same on
 * either path; a malformed `FlatLists` (short or decreasing `starts`, a
 * start beyond `items`) is an error of the kind that names the entity whose
 * list it cannot read (`BadOperand` for instructions, `BadCfg` for blocks,
 * `BranchArgs` for edges, `BadBlockLayout` / `BadTerminator` for short
 * `allBlockInsts` / `allInstFlags` arrays).
 */
export interface RegallocFunction {
  // --- CFG traversal -------------------------------------------------------
  numInsts(): number;
  numBlocks(): number;
  entryBlock(): Block;
  /** The block's instructions as a half-open range [first, end). */
  blockInsts(block: Block): readonly [first: Inst, end: Inst];
  blockSuccs(block: Block): ArrayLike<Block>;
  blockPreds(block: Block): ArrayLike<Block>;
  /** The block's parameters, defined on entry (SSA phis). */
  blockParams(block: Block): ArrayLike<VReg>;
  /** Is `inst` a return? Returns end their block and have no successors. */
  isRet(inst: Inst): boolean;
  /** Is `inst` a branch? Branches end their block. */
  isBranch(inst: Inst): boolean;
  /** Arguments the branch `inst` ending `block` passes to successor number `succIdx`. */
  branchBlockParams(block: Block, inst: Inst, succIdx: number): ArrayLike<VReg>;

  // --- Instruction register slots -------------------------------------------
  /** The instruction's operands; allocations come back in the same order. */
  instOperands(inst: Inst): ArrayLike<Operand>;
  /** Registers whose contents the instruction destroys (a call's caller-saved set). */
  instClobbers(inst: Inst): ArrayLike<PReg>;
  /**
   * Optional: is `inst` a plain copy (one reg/any use, one reg/any def of one
   * class)? The allocator then tries to give both the same place, so the client
   * can drop the copy when both allocations are equal.
   */
  isMove?(inst: Inst): boolean;

  // --- Sizes and debug info ------------------------------------------------
  /** Number of vreg indices used (vreg indices are below this). */
  numVregs(): number;
  /** Size of a spill slot for a class, in slot units (1 for a 64-bit GPR, say). */
  spillslotSize(cls: RegClass): number;
  /** Optional debug-info requests answered by `Output.debugLocations`. */
  debugValueLabels?(): readonly DebugValueLabel[];

  // --- Optional bulk forms (see above) -------------------------------------
  /** `blockInsts` of every block: block b is [starts[b], starts[b + 1]); at least numBlocks + 1 entries. */
  allBlockInsts?(): ArrayLike<number>;
  /** `blockSuccs` per block. */
  allBlockSuccs?(): FlatLists<Block>;
  /** `blockPreds` per block. */
  allBlockPreds?(): FlatLists<Block>;
  /** `blockParams` per block. */
  allBlockParams?(): FlatLists<VReg>;
  /**
   * `branchBlockParams` per edge. Edges are numbered in successor order: the
   * j-th successor of block b is edge (number of successors of blocks below
   * b) + j, its position in the concatenated successor lists.
   */
  allBranchBlockParams?(): FlatLists<VReg>;
  /** `isRet`, `isBranch` and `isMove` of every instruction as `InstFlag` bits; at least numInsts entries. */
  allInstFlags?(): ArrayLike<number>;
  /** `instOperands` per instruction. */
  allInstOperands?(): FlatLists<Operand>;
  /** `instClobbers` per instruction. */
  allInstClobbers?(): FlatLists<PReg>;
}

// ---------------------------------------------------------------------------
// The machine
// ---------------------------------------------------------------------------

export interface MachineEnv {
  /** Per class: allocatable registers tried first (usually caller-saved). */
  readonly preferredRegsByClass: readonly (readonly PReg[])[];
  /** Per class: allocatable registers tried after (usually callee-saved). */
  readonly nonPreferredRegsByClass: readonly (readonly PReg[])[];
  /**
   * Per class: a register the allocator may use freely inside move sequences
   * (cycles, stack-to-stack moves). It must not be allocatable. Without one,
   * the allocator uses a stack slot and saves/restores a register around
   * stack-to-stack moves.
   */
  readonly scratchByClass: readonly (PReg | null)[];
  /** Pregs that name fixed stack locations; usable only as fixed constraints. */
  readonly fixedStackSlots: readonly PReg[];
}

// ---------------------------------------------------------------------------
// Options and output
// ---------------------------------------------------------------------------

export type Algorithm = 'backtracking' | 'fastalloc';

export interface RegallocOptions {
  /** Which allocator; default 'backtracking'. */
  readonly algorithm?: Algorithm;
  /** Run the checker on the result and throw `CheckerFailed` on a mismatch. */
  readonly validateWithChecker?: boolean;
  /**
   * Debug logging; when unset, on if `CLIFT_LOG` contained `regalloc` when the
   * package was loaded (where `process` exists). `false` turns it off.
   */
  readonly log?: boolean | ((line: string) => void);
}

/** One move the client must insert: copy `from` into `to` at `point`. */
export interface Edit {
  readonly point: ProgPoint;
  readonly from: Allocation;
  readonly to: Allocation;
}

export interface Stats {
  liveRanges: number;
  bundles: number;
  merges: number;
  evictions: number;
  splits: number;
  spilledBundles: number;
  /** Edits register -> stack. */
  spills: number;
  /** Edits stack -> register. */
  reloads: number;
  /** Edits register -> register. */
  moves: number;
  /** Edits stack -> stack (only between fixed stack slots and spill slots, lowered). */
  stackMoves: number;
  edits: number;
}

export interface DebugLocation {
  readonly label: number;
  readonly from: ProgPoint;
  readonly to: ProgPoint;
  readonly alloc: Allocation;
}

export interface Output {
  /** Allocations of all operands, instruction by instruction; see `instAllocs`. */
  readonly allocs: Uint32Array;
  /**
   * `allocs` index of inst i's first operand; length numInsts + 1. It may
   * share one ArrayBuffer with `allocs` (never with another output or with a
   * context's memory).
   */
  readonly instAllocOffsets: Uint32Array;
  /** Moves to insert, sorted by point; same-point edits run in array order. */
  readonly edits: readonly Edit[];
  /** Spill-slot units used (slot indices are below this). */
  readonly numSpillslots: number;
  readonly stats: Stats;
  readonly debugLocations: readonly DebugLocation[];
}

/** The allocations of inst's operands, in operand order. */
export function instAllocs(out: Output, inst: Inst | number): Uint32Array {
  return out.allocs.subarray(out.instAllocOffsets[inst], out.instAllocOffsets[inst + 1]);
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/**
 * Why allocation refused or failed. Each case names the rule the input broke,
 * with the vreg and instruction where it applies.
 */
export type RegallocError =
  /** Blocks do not cover instructions densely in index order, or a block is empty. */
  | { readonly kind: 'BadBlockLayout'; readonly block: number; readonly message: string }
  /** A block's successor/predecessor lists disagree or name a missing block. */
  | { readonly kind: 'BadCfg'; readonly block: number; readonly message: string }
  /** An edge from a block with several successors to one with several predecessors. */
  | { readonly kind: 'CriticalEdge'; readonly from: number; readonly to: number; readonly message: string }
  /** A block does not end in a branch or return, or one appears mid-block. */
  | { readonly kind: 'BadTerminator'; readonly block: number; readonly inst: number; readonly message: string }
  /** Branch arguments do not match the successor's parameters (count or class). */
  | { readonly kind: 'BranchArgs'; readonly block: number; readonly inst: number; readonly message: string }
  /** A branch to a merge block carries operands; edge moves would clobber them. */
  | { readonly kind: 'DisallowedBranchOperand'; readonly block: number; readonly inst: number; readonly message: string }
  /** A vreg defined twice, never defined, or used where its definition does not reach. */
  | { readonly kind: 'SsaViolation'; readonly vreg: VReg; readonly inst: number; readonly message: string }
  /** A vreg used with two classes, or a vreg index beyond `numVregs()`. */
  | { readonly kind: 'BadVReg'; readonly vreg: VReg; readonly inst: number; readonly message: string }
  /** A value is live into the entry block (used without a definition on some path). */
  | { readonly kind: 'EntryLiveIn'; readonly vreg: VReg; readonly inst: number; readonly message: string }
  /** An operand's constraint is malformed (bad reuse index, unknown preg, ...). */
  | { readonly kind: 'BadOperand'; readonly vreg: VReg; readonly inst: number; readonly message: string }
  /** More register operands at one instruction than the class has registers. */
  | { readonly kind: 'TooManyLiveRegs'; readonly vreg: VReg; readonly inst: number; readonly message: string }
  /** The machine description is inconsistent. */
  | { readonly kind: 'BadMachineEnv'; readonly message: string }
  /** The checker found the output wrong (only with `validateWithChecker`). */
  | { readonly kind: 'CheckerFailed'; readonly inst: number; readonly message: string };

/** Thrown by `run`; `error` is the typed case. */
export class RegallocFailure extends Error {
  readonly error: RegallocError;
  constructor(error: RegallocError) {
    super(error.message);
    this.name = 'RegallocFailure';
    this.error = error;
  }
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

/**
 * Validates `func`, allocates registers for it on `env`, and returns where
 * every operand lives plus the moves to insert. Throws `RegallocFailure`.
 * `ctx`, when given, is working memory reused across calls (see
 * `RegallocContext`); the output never aliases it.
 */
export function run(func: RegallocFunction, env: MachineEnv, opts: RegallocOptions = {}, ctx?: RegallocContext): Output {
  return runAllocation(func, env, opts, ctx);
}

export { RegallocContext } from './context.js';

export { checkOutput, type CheckerError } from './checker.js';
export { formatFunction } from './print.js';
