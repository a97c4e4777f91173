// Opcodes: every CLIF instruction of upstream Cranelift (wasmtime
// e6b33de5139d), with its instruction format, behaviour flags and type
// constraints.
//
// Owns: opcode numbering and spelling; per-opcode format, flags, controlling
// type variable, operand and result type constraints; the readable spec that
// tooling (the ISLE term generator, docs) derives from. It does not check
// variable arguments (call arguments, return values, branch arguments): their
// types come from signatures and block parameters, which the verifier owns.
//
// Which opcodes: upstream's instruction definitions as of that commit, which
// the filetests in ../shared/upstream-filetests confirm (opcodes.test.ts
// checks that every opcode they use is here). Upstream removed the `*_imm`
// opcodes (`iadd_imm`, `icmp_imm`, …) and `stack_load`/`stack_store`, so they
// are absent; the BinaryImm64, IntCompareImm and StackStore formats then have
// no opcode.
//
// Invariants:
// - Opcode numbers are dense from 1; 0 is never an opcode, so a zeroed
//   typed-array slot reads as "no instruction". Numbering follows the table
//   order below: stable but arbitrary.
// - Per-opcode data lives in typed arrays indexed by opcode, built once at
//   module load. Queries are array reads and never allocate (except
//   `opcodeSpec`, which is for tooling and is cached).
// - Type constraints follow upstream's type-variable rules:
//   * A polymorphic opcode has one controlling type variable (ctrl) with a
//     TypeSet. Every result type is ctrl itself, a type derived from it
//     (lane_of, as_truthy, half_width, …) or a concrete type.
//   * Each value operand is ctrl, derived from ctrl, concrete, or a *free*
//     type variable of its own (a TypeSet independent of ctrl: the shift
//     amount of `ishl`, the condition of `select`, the address of `load`).
//     Upstream forbids one free variable on two operands, so "same as another
//     free operand" never occurs and needs no representation; `narrower` and
//     `wider` (extends, reduces, fpromote/fdemote) are free sets computed
//     from ctrl.
//   * ctrl is read from the value operand the format designates (index 0,
//     or 1 for Ternary, 2 for AtomicCas) when that operand's type *is* ctrl;
//     otherwise it can come only from an explicit type suffix (`iconst.i32`,
//     `load.i64`, `uextend.i64`), and the first result's type is ctrl.

import type { InstructionFormat } from './formats.js';
import { InstructionFormat as F, formatInfo } from './formats.js';
import type { Type } from './types.js';
import {
  F128,
  F16,
  F32,
  F64,
  I16,
  I32,
  I64,
  I8,
  typeName,
  vectorOf,
} from './types.js';
import * as types from './types.js';
import type { TypeSet } from './typeset.js';
import {
  EMPTY_TYPE_SET,
  TypeSets as TS,
  typeSetName,
  typeSetOf,
} from './typeset.js';
import * as typeset from './typeset.js';

// Imported bindings are live, so V8 reads them afresh at every use; the
// values used on hot paths are copied into module constants, which it
// folds into the compiled code.
const { INVALID, asTruthy, doubleVector, doubleWidth, dynamicToVector, halfVector, halfWidth, laneType, mergeLanes, splitLanes } = types;
const { typeSetContains } = typeset;

// ---------------------------------------------------------------------------
// Flags

/** Behaviour bits of an opcode (upstream's instruction predicates). */
export const OpFlags = {
  /** Ends its block: branches, returns, tail calls, `trap`. */
  IsTerminator: 1 << 0,
  /** Transfers control to blocks of this function (jump, brif, br_table, try_call*). */
  IsBranch: 1 << 1,
  /** Calls a function (including tail calls and try_call*, stack_switch). */
  IsCall: 1 << 2,
  /** Returns from the function (return, return_call*). */
  IsReturn: 1 << 3,
  /** May trap whatever its memory flags say. */
  CanTrap: 1 << 4,
  /** May read memory. */
  CanLoad: 1 << 5,
  /** May write memory. */
  CanStore: 1 << 6,
  /** Has effects beyond its results, loads, stores and traps (fences, pinned register, …). */
  OtherSideEffects: 1 << 7,
  /**
   * Repeating it with the same operands has no further effect, so a
   * dominated duplicate may be removed (trapz, udiv, fcvt_to_sint, …).
   */
  SideEffectsIdempotent: 1 << 8,
  /**
   * The first two value operands may be swapped without changing any result.
   * Upstream has no such flag; Clift's mid-end uses it to normalize operand
   * order for GVN. Set for integer and bitwise operations only: swapping
   * float operands can change which NaN payload propagates.
   */
  IsCommutative: 1 << 9,
  /** Result types come from the callee's signature (call, call_indirect). */
  ResultsFromSignature: 1 << 10,
} as const;

const FLAG_NAMES: readonly (readonly [number, string])[] = Object.entries(OpFlags).map(
  ([name, bit]) => [bit, name] as const,
);

// ---------------------------------------------------------------------------
// Constraints

/** How an operand's or result's type relates to the controlling type (ctrl). */
export const ConstraintKind = {
  /** Not a value operand / no such operand. */
  None: 0,
  /** Exactly ctrl. */
  Same: 1,
  /** A fixed type, whatever ctrl is. */
  Concrete: 2,
  /** A free type variable with its own TypeSet. */
  Free: 3,
  /** The lane type of ctrl. */
  LaneOf: 4,
  /** i8 for a scalar ctrl; the integer vector of ctrl's lane width for a vector. */
  AsTruthy: 5,
  /** Lanes half as wide. */
  HalfWidth: 6,
  /** Lanes twice as wide. */
  DoubleWidth: 7,
  /** Half as many lanes (no upstream opcode uses it today). */
  HalfVector: 8,
  /** Twice as many lanes (no upstream opcode uses it today). */
  DoubleVector: 9,
  /** Lanes half as wide and twice as many. */
  SplitLanes: 10,
  /** Lanes twice as wide and half as many. */
  MergeLanes: 11,
  /** The fixed vector a dynamic vector scales. */
  DynamicToVector: 12,
  /** Free: any scalar of ctrl's kind (int/float) strictly narrower than ctrl. */
  Narrower: 13,
  /** Free: any scalar of ctrl's kind strictly wider than ctrl. */
  Wider: 14,
} as const;
export type ConstraintKind = (typeof ConstraintKind)[keyof typeof ConstraintKind];

const K = ConstraintKind;
const CONSTRAINT_KIND_NAMES = [
  'none',
  'same',
  'concrete',
  'free',
  'lane_of',
  'as_truthy',
  'half_width',
  'double_width',
  'half_vector',
  'double_vector',
  'split_lanes',
  'merge_lanes',
  'dynamic_to_vector',
  'narrower',
  'wider',
] as const;
export type ConstraintKindName = (typeof CONSTRAINT_KIND_NAMES)[number];

/**
 * A resolved operand constraint, packed in one number so that
 * `operandConstraint` allocates nothing:
 * - `c >= 0`: the operand must have exactly the Type `c`; `c === INVALID`
 *   means no type can satisfy it (ctrl not allowed, or its derivation does
 *   not exist, e.g. half_width of i8);
 * - `c < 0`: the operand is free, and `~c` is the TypeSet it must be in.
 * Read it with `isFreeConstraint`, `constraintType`, `constraintTypeSet` or
 * `constraintAllows`.
 */
export type OperandConstraint = number & { readonly __brand: 'OperandConstraint' };

export function isFreeConstraint(c: OperandConstraint): boolean {
  return c < 0;
}
/** The exact type required, or INVALID for a free constraint. */
export function constraintType(c: OperandConstraint): Type {
  return (c >= 0 ? c : INVALID) as Type;
}
/** The allowed set of a free constraint; for an exact one, the set of that type. */
export function constraintTypeSet(c: OperandConstraint): TypeSet {
  return c < 0 ? (~c as TypeSet) : typeSetOf(c as number as Type);
}
export function constraintAllows(c: OperandConstraint, t: Type): boolean {
  return c < 0 ? typeSetContains(~c as TypeSet, t) : (c as number) === t && t !== INVALID;
}
/** For messages: `i32`, `i32|i64`, or `INVALID`. */
export function constraintName(c: OperandConstraint): string {
  return c < 0 ? typeSetName(~c as TypeSet) : typeName(c as number as Type);
}

// Table encoding of a constraint: kind in the low 4 bits, payload above
// (a Type for Concrete, a TypeSet for Free). TypeSets use 26 bits, so the
// packed value stays a non-negative int32.
const PAYLOAD_SHIFT = 4;
const KIND_MASK = 0xf;
const SAME = K.Same;
const LANE = K.LaneOf;
const TRUTHY = K.AsTruthy;
const HALF_WIDTH = K.HalfWidth;
const DOUBLE_WIDTH = K.DoubleWidth;
const SPLIT = K.SplitLanes;
const MERGE = K.MergeLanes;
const TO_VECTOR = K.DynamicToVector;
const NARROWER = K.Narrower;
const WIDER = K.Wider;
function is(t: Type): number {
  return K.Concrete | (t << PAYLOAD_SHIFT);
}
function free(set: TypeSet): number {
  return K.Free | (set << PAYLOAD_SHIFT);
}

// Narrower/wider sets per lane code, built once: same family (int or float),
// scalars only, strictly narrower or wider.
const NARROWER_SETS = new Int32Array(10);
const WIDER_SETS = new Int32Array(10);
for (let lane = 1; lane <= 9; lane++) {
  const [lo, hi] = lane <= 5 ? [1, 5] : [6, 9];
  for (let other = lo; other <= hi; other++) {
    if (other < lane) NARROWER_SETS[lane] |= typeSetOf(other as Type);
    if (other > lane) WIDER_SETS[lane] |= typeSetOf(other as Type);
  }
}

/** Applies a table constraint to ctrl (which the caller has checked). */
function resolve(c: number, ctrl: Type): OperandConstraint {
  let r: number;
  switch (c & KIND_MASK) {
    case K.Same:
      r = ctrl;
      break;
    case K.Concrete:
      r = c >>> PAYLOAD_SHIFT;
      break;
    case K.Free:
      r = ~(c >>> PAYLOAD_SHIFT);
      break;
    case K.LaneOf:
      r = laneType(ctrl);
      break;
    case K.AsTruthy:
      r = asTruthy(ctrl);
      break;
    case K.HalfWidth:
      r = halfWidth(ctrl);
      break;
    case K.DoubleWidth:
      r = doubleWidth(ctrl);
      break;
    case K.HalfVector:
      r = halfVector(ctrl);
      break;
    case K.DoubleVector:
      r = doubleVector(ctrl);
      break;
    case K.SplitLanes:
      r = splitLanes(ctrl);
      break;
    case K.MergeLanes:
      r = mergeLanes(ctrl);
      break;
    case K.DynamicToVector:
      r = dynamicToVector(ctrl);
      break;
    case K.Narrower:
      r = ~NARROWER_SETS[laneType(ctrl)];
      break;
    case K.Wider:
      r = ~WIDER_SETS[laneType(ctrl)];
      break;
    default:
      r = INVALID;
  }
  return r as OperandConstraint;
}

// ---------------------------------------------------------------------------
// The table

/** Kinds of immediate operands, as upstream's immediates.rs names them. */
export type ImmediateKind =
  | 'imm64'
  | 'uimm8'
  | 'ieee16'
  | 'ieee32'
  | 'ieee64'
  | 'intcc'
  | 'floatcc'
  | 'memflags'
  | 'offset32'
  | 'trapcode'
  | 'atomic_rmw_op';
/** Kinds of entity operands, as upstream's entities.rs names them. */
export type EntityKind =
  | 'func_ref'
  | 'sig_ref'
  | 'stack_slot'
  | 'dynamic_stack_slot'
  | 'global_value'
  | 'jump_table'
  | 'exception_table'
  | 'constant'
  | 'immediate'
  | 'block_call'
  | 'block';
export type OperandKind = 'value' | 'varargs' | ImmediateKind | EntityKind;

/** The ISLE type upstream's generated `clif_*.isle` uses for each operand kind. */
const ISLE_TYPES: Readonly<Record<OperandKind, string>> = {
  value: 'Value',
  varargs: 'ValueSlice',
  imm64: 'Imm64',
  uimm8: 'Uimm8',
  ieee16: 'Ieee16',
  ieee32: 'Ieee32',
  ieee64: 'Ieee64',
  intcc: 'IntCC',
  floatcc: 'FloatCC',
  memflags: 'MemFlags',
  offset32: 'Offset32',
  trapcode: 'TrapCode',
  atomic_rmw_op: 'AtomicRmwOp',
  func_ref: 'FuncRef',
  sig_ref: 'SigRef',
  stack_slot: 'StackSlot',
  dynamic_stack_slot: 'DynamicStackSlot',
  global_value: 'GlobalValue',
  jump_table: 'JumpTable',
  exception_table: 'ExceptionTable',
  constant: 'Constant',
  immediate: 'Immediate',
  block_call: 'BlockCall',
  block: 'Block',
};

/** One operand or result declaration: name, kind, packed constraint (values only). */
type Decl = readonly [name: string, kind: OperandKind, constraint: number];

interface Row {
  readonly name: string;
  readonly format: InstructionFormat;
  readonly flags: number;
  /** The controlling TypeSet; EMPTY_TYPE_SET when not polymorphic. */
  readonly ctrl: TypeSet;
  /** Upstream's `operands_in`, in order, immediates and entities included. */
  readonly operands: readonly Decl[];
  /** Upstream's `operands_out` (value results only; call results are variable). */
  readonly results: readonly Decl[];
}

function v(name: string, constraint: number = SAME): Decl {
  return [name, 'value', constraint];
}
function imm(name: string, kind: ImmediateKind | EntityKind | 'varargs'): Decl {
  return [name, kind, K.None];
}
function op(
  name: string,
  format: InstructionFormat,
  flags: number,
  ctrl: TypeSet,
  operands: readonly Decl[],
  results: readonly Decl[],
): Row {
  return { name, format, flags, ctrl, operands, results };
}

// Flag shorthands.
const {
  IsTerminator: TERM,
  IsBranch,
  IsCall: CALL,
  IsReturn,
  CanTrap: TRAP,
  CanLoad: LOAD,
  CanStore: STORE,
  OtherSideEffects: OTHER,
  SideEffectsIdempotent: IDEM,
  IsCommutative: COMM,
  ResultsFromSignature: SIG_RESULTS,
} = OpFlags;
const BRANCH = IsBranch | TERM;
const RETURN = IsReturn | TERM;
const MONO = EMPTY_TYPE_SET;

// Operand shorthands.
const MEMFLAGS = imm('MemFlags', 'memflags');
const OFFSET = imm('Offset', 'offset32');
const P_ADDR = v('p', free(TS.Addr));
const ARGS = imm('args', 'varargs');

// Concrete vector types used by fixed-shape SIMD opcodes.
const I8X16 = vectorOf(I8, 16);
const I16X8 = vectorOf(I16, 8);
const I32X4 = vectorOf(I32, 4);
const I64X2 = vectorOf(I64, 2);
const F32X4 = vectorOf(F32, 4);
const F64X2 = vectorOf(F64, 2);

function binary(name: string, ctrl: TypeSet, flags = 0): Row {
  return op(name, F.Binary, flags, ctrl, [v('x'), v('y')], [v('a')]);
}
function unary(name: string, ctrl: TypeSet, flags = 0): Row {
  return op(name, F.Unary, flags, ctrl, [v('x')], [v('a')]);
}
function loadOp(name: string, ctrl: TypeSet, result: number = SAME): Row {
  // With a concrete result (uload32, the x8/x4/x2 extending loads) ctrl is
  // the address type, read from `p`, as upstream does.
  const p = result === SAME ? P_ADDR : v('p');
  return op(name, F.Load, LOAD, ctrl, [MEMFLAGS, p, OFFSET], [v('a', result)]);
}
function storeOp(name: string, ctrl: TypeSet): Row {
  return op(name, F.Store, STORE, ctrl, [MEMFLAGS, v('x'), P_ADDR, OFFSET], []);
}
function select(name: string, cond: number): Row {
  return op(name, F.Ternary, 0, TS.Any, [v('c', cond), v('x'), v('y')], [v('a')]);
}
function overflow(name: string, ctrl: TypeSet, flags = 0): Row {
  return op(name, F.Binary, flags, ctrl, [v('x'), v('y')], [v('a'), v('of', is(I8))]);
}
function carry(name: string, inName: string, outName: string, flags = 0): Row {
  return op(
    name,
    F.Ternary,
    flags,
    TS.IntScalar,
    [v('x'), v('y'), v(inName, is(I8))],
    [v('a'), v(outName, is(I8))],
  );
}
function globalValue(name: string): Row {
  return op(name, F.UnaryGlobalValue, 0, TS.Mem, [imm('GV', 'global_value')], [v('a')]);
}
function addrOf(name: string, format: InstructionFormat, operands: readonly Decl[], flags = 0): Row {
  return op(name, format, flags, TS.Addr, operands, [v('addr')]);
}

const ROWS: readonly Row[] = [
  // --- Control flow
  op('jump', F.Jump, BRANCH, MONO, [imm('block_call', 'block_call')], []),
  op(
    'brif',
    F.Brif,
    BRANCH,
    TS.IntScalar,
    [v('c'), imm('block_then', 'block_call'), imm('block_else', 'block_call')],
    [],
  ),
  op('br_table', F.BranchTable, BRANCH, MONO, [v('x', is(I32)), imm('JT', 'jump_table')], []),
  op('debugtrap', F.NullAry, OTHER | LOAD | STORE, MONO, [], []),
  op('trap', F.Trap, TRAP | TERM, MONO, [imm('code', 'trapcode')], []),
  op('trapz', F.CondTrap, TRAP | IDEM, TS.IntScalar, [v('c'), imm('code', 'trapcode')], []),
  op('trapnz', F.CondTrap, TRAP | IDEM, TS.IntScalar, [v('c'), imm('code', 'trapcode')], []),
  op('return', F.MultiAry, RETURN, MONO, [imm('rvals', 'varargs')], []),
  op('call', F.Call, CALL | SIG_RESULTS, MONO, [imm('FN', 'func_ref'), ARGS], []),
  op(
    'call_indirect',
    F.CallIndirect,
    CALL | SIG_RESULTS,
    TS.Addr,
    [imm('SIG', 'sig_ref'), v('callee'), ARGS],
    [],
  ),
  op('return_call', F.Call, RETURN | CALL, MONO, [imm('FN', 'func_ref'), ARGS], []),
  op(
    'return_call_indirect',
    F.CallIndirect,
    RETURN | CALL,
    TS.Addr,
    [imm('SIG', 'sig_ref'), v('callee'), ARGS],
    [],
  ),
  addrOf('func_addr', F.FuncAddr, [imm('FN', 'func_ref')]),
  op(
    'try_call',
    F.TryCall,
    CALL | BRANCH,
    MONO,
    [imm('callee', 'func_ref'), ARGS, imm('ET', 'exception_table')],
    [],
  ),
  op(
    'try_call_indirect',
    F.TryCallIndirect,
    CALL | BRANCH,
    TS.Addr,
    [v('callee'), ARGS, imm('ET', 'exception_table')],
    [],
  ),

  // --- SIMD lane access
  op('splat', F.Unary, 0, TS.VectorOrDynamic, [v('x', LANE)], [v('a')]),
  op('swizzle', F.Binary, 0, MONO, [v('x', is(I8X16)), v('y', is(I8X16))], [v('a', is(I8X16))]),
  op('x86_pshufb', F.Binary, 0, MONO, [v('x', is(I8X16)), v('y', is(I8X16))], [v('a', is(I8X16))]),
  op('insertlane', F.TernaryImm8, 0, TS.VectorOrDynamic, [v('x'), v('y', LANE), imm('Idx', 'uimm8')], [v('a')]),
  op('extractlane', F.BinaryImm8, 0, TS.VectorOrDynamic, [v('x'), imm('Idx', 'uimm8')], [v('a', LANE)]),

  // --- SIMD-style integer arithmetic
  binary('smin', TS.Int, COMM),
  binary('umin', TS.Int, COMM),
  binary('smax', TS.Int, COMM),
  binary('umax', TS.Int, COMM),
  binary('avg_round', TS.IntVector, COMM),
  binary('uadd_sat', TS.IntVector, COMM),
  binary('sadd_sat', TS.IntVector, COMM),
  binary('usub_sat', TS.IntVector),
  binary('ssub_sat', TS.IntVector),

  // --- Memory
  loadOp('load', TS.Mem),
  storeOp('store', TS.Mem),
  loadOp('uload8', TS.Ext8),
  loadOp('sload8', TS.Ext8),
  storeOp('istore8', TS.Ext8),
  loadOp('uload16', TS.Ext16),
  loadOp('sload16', TS.Ext16),
  storeOp('istore16', TS.Ext16),
  loadOp('uload32', TS.Addr, is(I64)),
  loadOp('sload32', TS.Addr, is(I64)),
  storeOp('istore32', TS.Ext32),
  op(
    'stack_switch',
    F.Ternary,
    OTHER | LOAD | STORE | CALL,
    TS.Addr,
    [v('store_context_ptr'), v('load_context_ptr'), v('in_payload0')],
    [v('out_payload0')],
  ),
  loadOp('uload8x8', TS.Addr, is(I16X8)),
  loadOp('sload8x8', TS.Addr, is(I16X8)),
  loadOp('uload16x4', TS.Addr, is(I32X4)),
  loadOp('sload16x4', TS.Addr, is(I32X4)),
  loadOp('uload32x2', TS.Addr, is(I64X2)),
  loadOp('sload32x2', TS.Addr, is(I64X2)),
  addrOf('stack_addr', F.StackLoad, [imm('SS', 'stack_slot'), imm('Offset', 'offset32')]),
  op('dynamic_stack_load', F.DynamicStackLoad, LOAD, TS.Mem, [imm('DSS', 'dynamic_stack_slot')], [v('a')]),
  op('dynamic_stack_store', F.DynamicStackStore, STORE, TS.Mem, [v('x'), imm('DSS', 'dynamic_stack_slot')], []),
  addrOf('dynamic_stack_addr', F.DynamicStackLoad, [imm('DSS', 'dynamic_stack_slot')]),
  globalValue('global_value'),
  globalValue('symbol_value'),
  globalValue('tls_value'),
  // The pinned register is read and written only by these two, so they are
  // kept in place (not hoisted, not spilled) by marking other side effects.
  addrOf('get_pinned_reg', F.NullAry, [], OTHER),
  op('set_pinned_reg', F.Unary, OTHER, TS.Addr, [v('addr')], []),
  addrOf('get_frame_pointer', F.NullAry, []),
  addrOf('get_stack_pointer', F.NullAry, []),
  addrOf('get_return_address', F.NullAry, []),
  addrOf('get_exception_handler_address', F.ExceptionHandlerAddress, [
    imm('block', 'block'),
    imm('index', 'imm64'),
  ]),

  // --- Constants
  op('iconst', F.UnaryImm, 0, TS.NarrowInt, [imm('N', 'imm64')], [v('a')]),
  op('f16const', F.UnaryIeee16, 0, MONO, [imm('N', 'ieee16')], [v('a', is(F16))]),
  op('f32const', F.UnaryIeee32, 0, MONO, [imm('N', 'ieee32')], [v('a', is(F32))]),
  op('f64const', F.UnaryIeee64, 0, MONO, [imm('N', 'ieee64')], [v('a', is(F64))]),
  op('f128const', F.UnaryConst, 0, MONO, [imm('N', 'constant')], [v('a', is(F128))]),
  op('vconst', F.UnaryConst, 0, TS.Vector, [imm('N', 'constant')], [v('a')]),
  op(
    'shuffle',
    F.Shuffle,
    0,
    MONO,
    [v('a', is(I8X16)), v('b', is(I8X16)), imm('mask', 'immediate')],
    [v('a', is(I8X16))],
  ),
  op('nop', F.NullAry, 0, MONO, [], []),

  // --- Selection and vector reductions
  select('select', free(TS.IntScalar)),
  select('select_spectre_guard', free(TS.IntScalar)),
  select('bitselect', SAME),
  select('x86_blendv', SAME),
  op('vany_true', F.Unary, 0, TS.Vector, [v('a')], [v('s', is(I8))]),
  op('vall_true', F.Unary, 0, TS.Vector, [v('a')], [v('s', is(I8))]),
  op('vhigh_bits', F.Unary, 0, TS.NarrowInt, [v('a', free(TS.Vector))], [v('x')]),

  // --- Integer arithmetic
  op('icmp', F.IntCompare, 0, TS.IntOrDynamic, [imm('Cond', 'intcc'), v('x'), v('y')], [v('a', TRUTHY)]),
  binary('iadd', TS.IntOrDynamic, COMM),
  binary('isub', TS.IntOrDynamic),
  unary('ineg', TS.IntOrDynamic),
  unary('iabs', TS.IntOrDynamic),
  binary('imul', TS.IntOrDynamic, COMM),
  binary('umulhi', TS.IntOrDynamic, COMM),
  binary('smulhi', TS.IntOrDynamic, COMM),
  binary('sqmul_round_sat', TS.I16or32x4or8, COMM),
  binary('x86_pmulhrsw', TS.I16or32x4or8, COMM),
  binary('udiv', TS.IntScalar, TRAP | IDEM),
  binary('sdiv', TS.IntScalar, TRAP | IDEM),
  binary('urem', TS.IntScalar, TRAP | IDEM),
  binary('srem', TS.IntScalar, TRAP | IDEM),
  carry('sadd_overflow_cin', 'c_in', 'c_out', COMM),
  carry('uadd_overflow_cin', 'c_in', 'c_out', COMM),
  overflow('uadd_overflow', TS.IntScalar, COMM),
  overflow('sadd_overflow', TS.IntScalar, COMM),
  overflow('usub_overflow', TS.IntScalar),
  overflow('ssub_overflow', TS.IntScalar),
  overflow('umul_overflow', TS.NarrowInt, COMM),
  overflow('smul_overflow', TS.NarrowInt, COMM),
  op(
    'uadd_overflow_trap',
    F.IntAddTrap,
    TRAP | IDEM | COMM,
    TS.Addr,
    [v('x'), v('y'), imm('code', 'trapcode')],
    [v('a')],
  ),
  carry('ssub_overflow_bin', 'b_in', 'b_out'),
  carry('usub_overflow_bin', 'b_in', 'b_out'),

  // --- Bitwise operations, shifts and bit counting
  binary('band', TS.Any, COMM),
  binary('bor', TS.Any, COMM),
  binary('bxor', TS.Any, COMM),
  unary('bnot', TS.Any),
  binary('band_not', TS.Any),
  binary('bor_not', TS.Any),
  binary('bxor_not', TS.Any),
  op('rotl', F.Binary, 0, TS.IntOrDynamic, [v('x'), v('y', free(TS.IntScalar))], [v('a')]),
  op('rotr', F.Binary, 0, TS.IntOrDynamic, [v('x'), v('y', free(TS.IntScalar))], [v('a')]),
  op('ishl', F.Binary, 0, TS.IntOrDynamic, [v('x'), v('y', free(TS.IntScalar))], [v('a')]),
  op('ushr', F.Binary, 0, TS.IntOrDynamic, [v('x'), v('y', free(TS.IntScalar))], [v('a')]),
  op('sshr', F.Binary, 0, TS.IntOrDynamic, [v('x'), v('y', free(TS.IntScalar))], [v('a')]),
  unary('bitrev', TS.IntScalar),
  unary('clz', TS.IntScalar),
  unary('cls', TS.IntScalar),
  unary('ctz', TS.IntScalar),
  unary('bswap', TS.WideInt),
  unary('popcnt', TS.IntOrDynamic),

  // --- Floating point
  op('fcmp', F.FloatCompare, 0, TS.FloatOrDynamic, [imm('Cond', 'floatcc'), v('x'), v('y')], [v('a', TRUTHY)]),
  binary('fadd', TS.FloatOrDynamic),
  binary('fsub', TS.FloatOrDynamic),
  binary('fmul', TS.FloatOrDynamic),
  binary('fdiv', TS.FloatOrDynamic),
  unary('sqrt', TS.FloatOrDynamic),
  op('fma', F.Ternary, 0, TS.FloatOrDynamic, [v('x'), v('y'), v('z')], [v('a')]),
  unary('fneg', TS.FloatOrDynamic),
  unary('fabs', TS.FloatOrDynamic),
  binary('fcopysign', TS.FloatOrDynamic),
  binary('fmin', TS.FloatOrDynamic),
  binary('fmax', TS.FloatOrDynamic),
  unary('ceil', TS.FloatOrDynamic),
  unary('floor', TS.FloatOrDynamic),
  unary('trunc', TS.FloatOrDynamic),
  unary('nearest', TS.FloatOrDynamic),

  // --- Conversions
  op('bitcast', F.LoadNoOffset, 0, TS.Mem, [MEMFLAGS, v('x', free(TS.Mem))], [v('a')]),
  op('scalar_to_vector', F.Unary, 0, TS.Vector, [v('s', LANE)], [v('a')]),
  op('bmask', F.Unary, 0, TS.IntScalar, [v('x', free(TS.IntScalar))], [v('a')]),
  op('ireduce', F.Unary, 0, TS.IntScalar, [v('x', WIDER)], [v('a')]),
  op('snarrow', F.Binary, 0, TS.NarrowableVector, [v('x'), v('y')], [v('a', SPLIT)]),
  op('unarrow', F.Binary, 0, TS.NarrowableVector, [v('x'), v('y')], [v('a', SPLIT)]),
  op('uunarrow', F.Binary, 0, TS.NarrowableVector, [v('x'), v('y')], [v('a', SPLIT)]),
  op('swiden_low', F.Unary, 0, TS.WidenableVector, [v('x')], [v('a', MERGE)]),
  op('swiden_high', F.Unary, 0, TS.WidenableVector, [v('x')], [v('a', MERGE)]),
  op('uwiden_low', F.Unary, 0, TS.WidenableVector, [v('x')], [v('a', MERGE)]),
  op('uwiden_high', F.Unary, 0, TS.WidenableVector, [v('x')], [v('a', MERGE)]),
  binary('iadd_pairwise', TS.WidenableVector),
  op('x86_pmaddubsw', F.Binary, 0, MONO, [v('x', is(I8X16)), v('y', is(I8X16))], [v('a', is(I16X8))]),
  op('uextend', F.Unary, 0, TS.IntScalar, [v('x', NARROWER)], [v('a')]),
  op('sextend', F.Unary, 0, TS.IntScalar, [v('x', NARROWER)], [v('a')]),
  op('fpromote', F.Unary, 0, TS.FloatScalar, [v('x', NARROWER)], [v('a')]),
  op('fdemote', F.Unary, 0, TS.FloatScalar, [v('x', WIDER)], [v('a')]),
  op('fvdemote', F.Unary, 0, MONO, [v('x', is(F64X2))], [v('a', is(F32X4))]),
  op('fvpromote_low', F.Unary, 0, MONO, [v('a', is(F32X4))], [v('x', is(F64X2))]),
  op('fcvt_to_uint', F.Unary, TRAP | IDEM, TS.IntScalar, [v('x', free(TS.FloatScalar))], [v('a')]),
  op('fcvt_to_sint', F.Unary, TRAP | IDEM, TS.IntScalar, [v('x', free(TS.FloatScalar))], [v('a')]),
  op('fcvt_to_uint_sat', F.Unary, 0, TS.Int, [v('x', free(TS.FloatOrDynamic))], [v('a')]),
  op('fcvt_to_sint_sat', F.Unary, 0, TS.Int, [v('x', free(TS.FloatOrDynamic))], [v('a')]),
  op('x86_cvtt2dq', F.Unary, 0, TS.Int, [v('x', free(TS.FloatOrDynamic))], [v('a')]),
  op('fcvt_from_uint', F.Unary, 0, TS.Float, [v('x', free(TS.Int))], [v('a')]),
  op('fcvt_from_sint', F.Unary, 0, TS.Float, [v('x', free(TS.Int))], [v('a')]),
  op('isplit', F.Unary, 0, TS.WideInt, [v('x')], [v('lo', HALF_WIDTH), v('hi', HALF_WIDTH)]),
  op('iconcat', F.Binary, 0, TS.NarrowInt, [v('lo'), v('hi')], [v('a', DOUBLE_WIDTH)]),

  // --- Atomics and ordering
  op(
    'atomic_rmw',
    F.AtomicRmw,
    LOAD | STORE | OTHER,
    TS.AtomicMem,
    [MEMFLAGS, imm('AtomicRmwOp', 'atomic_rmw_op'), P_ADDR, v('x')],
    [v('a')],
  ),
  op(
    'atomic_cas',
    F.AtomicCas,
    LOAD | STORE | OTHER,
    TS.AtomicMem,
    [MEMFLAGS, P_ADDR, v('e'), v('x')],
    [v('a')],
  ),
  op('atomic_load', F.LoadNoOffset, LOAD | OTHER, TS.AtomicMem, [MEMFLAGS, P_ADDR], [v('a')]),
  op('atomic_store', F.StoreNoOffset, STORE | OTHER, TS.AtomicMem, [MEMFLAGS, v('x'), P_ADDR], []),
  op('fence', F.NullAry, OTHER, MONO, [], []),
  // A point nothing may move across: it orders memory like a full fence, so
  // it reads and writes memory as far as alias analysis is concerned.
  op('sequence_point', F.NullAry, OTHER | LOAD | STORE, MONO, [], []),

  // --- Dynamic vectors
  op('extract_vector', F.BinaryImm8, 0, TS.DynamicVector, [v('x'), imm('y', 'uimm8')], [v('a', TO_VECTOR)]),
];

// ---------------------------------------------------------------------------
// Opcode numbers

/**
 * Opcode numbers, keyed by upstream's PascalCase names. Dense from 1 in the
 * order of the table above (0 is "no opcode"); opcodes.test.ts checks that
 * each key spells its row's name.
 */
export const Opcode = {
  Jump: 1,
  Brif: 2,
  BrTable: 3,
  Debugtrap: 4,
  Trap: 5,
  Trapz: 6,
  Trapnz: 7,
  Return: 8,
  Call: 9,
  CallIndirect: 10,
  ReturnCall: 11,
  ReturnCallIndirect: 12,
  FuncAddr: 13,
  TryCall: 14,
  TryCallIndirect: 15,
  Splat: 16,
  Swizzle: 17,
  X86Pshufb: 18,
  Insertlane: 19,
  Extractlane: 20,
  Smin: 21,
  Umin: 22,
  Smax: 23,
  Umax: 24,
  AvgRound: 25,
  UaddSat: 26,
  SaddSat: 27,
  UsubSat: 28,
  SsubSat: 29,
  Load: 30,
  Store: 31,
  Uload8: 32,
  Sload8: 33,
  Istore8: 34,
  Uload16: 35,
  Sload16: 36,
  Istore16: 37,
  Uload32: 38,
  Sload32: 39,
  Istore32: 40,
  StackSwitch: 41,
  Uload8x8: 42,
  Sload8x8: 43,
  Uload16x4: 44,
  Sload16x4: 45,
  Uload32x2: 46,
  Sload32x2: 47,
  StackAddr: 48,
  DynamicStackLoad: 49,
  DynamicStackStore: 50,
  DynamicStackAddr: 51,
  GlobalValue: 52,
  SymbolValue: 53,
  TlsValue: 54,
  GetPinnedReg: 55,
  SetPinnedReg: 56,
  GetFramePointer: 57,
  GetStackPointer: 58,
  GetReturnAddress: 59,
  GetExceptionHandlerAddress: 60,
  Iconst: 61,
  F16const: 62,
  F32const: 63,
  F64const: 64,
  F128const: 65,
  Vconst: 66,
  Shuffle: 67,
  Nop: 68,
  Select: 69,
  SelectSpectreGuard: 70,
  Bitselect: 71,
  X86Blendv: 72,
  VanyTrue: 73,
  VallTrue: 74,
  VhighBits: 75,
  Icmp: 76,
  Iadd: 77,
  Isub: 78,
  Ineg: 79,
  Iabs: 80,
  Imul: 81,
  Umulhi: 82,
  Smulhi: 83,
  SqmulRoundSat: 84,
  X86Pmulhrsw: 85,
  Udiv: 86,
  Sdiv: 87,
  Urem: 88,
  Srem: 89,
  SaddOverflowCin: 90,
  UaddOverflowCin: 91,
  UaddOverflow: 92,
  SaddOverflow: 93,
  UsubOverflow: 94,
  SsubOverflow: 95,
  UmulOverflow: 96,
  SmulOverflow: 97,
  UaddOverflowTrap: 98,
  SsubOverflowBin: 99,
  UsubOverflowBin: 100,
  Band: 101,
  Bor: 102,
  Bxor: 103,
  Bnot: 104,
  BandNot: 105,
  BorNot: 106,
  BxorNot: 107,
  Rotl: 108,
  Rotr: 109,
  Ishl: 110,
  Ushr: 111,
  Sshr: 112,
  Bitrev: 113,
  Clz: 114,
  Cls: 115,
  Ctz: 116,
  Bswap: 117,
  Popcnt: 118,
  Fcmp: 119,
  Fadd: 120,
  Fsub: 121,
  Fmul: 122,
  Fdiv: 123,
  Sqrt: 124,
  Fma: 125,
  Fneg: 126,
  Fabs: 127,
  Fcopysign: 128,
  Fmin: 129,
  Fmax: 130,
  Ceil: 131,
  Floor: 132,
  Trunc: 133,
  Nearest: 134,
  Bitcast: 135,
  ScalarToVector: 136,
  Bmask: 137,
  Ireduce: 138,
  Snarrow: 139,
  Unarrow: 140,
  Uunarrow: 141,
  SwidenLow: 142,
  SwidenHigh: 143,
  UwidenLow: 144,
  UwidenHigh: 145,
  IaddPairwise: 146,
  X86Pmaddubsw: 147,
  Uextend: 148,
  Sextend: 149,
  Fpromote: 150,
  Fdemote: 151,
  Fvdemote: 152,
  FvpromoteLow: 153,
  FcvtToUint: 154,
  FcvtToSint: 155,
  FcvtToUintSat: 156,
  FcvtToSintSat: 157,
  X86Cvtt2dq: 158,
  FcvtFromUint: 159,
  FcvtFromSint: 160,
  Isplit: 161,
  Iconcat: 162,
  AtomicRmw: 163,
  AtomicCas: 164,
  AtomicLoad: 165,
  AtomicStore: 166,
  Fence: 167,
  SequencePoint: 168,
  ExtractVector: 169,
} as const;
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

// ---------------------------------------------------------------------------
// Flat per-opcode arrays, built once from ROWS. Index 0 is the invalid opcode.

const N = ROWS.length + 1;
/** Max fixed value operands (AtomicCas, Ternary) and results (isplit, overflow ops). */
const MAX_OPERANDS = 3;
const MAX_RESULTS = 2;

const NAMES: string[] = new Array<string>(N).fill('');
const FORMATS = new Uint8Array(N);
const FLAGS = new Uint16Array(N);
const CTRL_SETS = new Int32Array(N);
const TYPEVAR_OPERAND = new Int8Array(N).fill(-1);
const NUM_OPERANDS = new Uint8Array(N);
const NUM_RESULTS = new Uint8Array(N);
const OPERAND_CONS = new Int32Array(N * MAX_OPERANDS);
const RESULT_CONS = new Int32Array(N * MAX_RESULTS);
const BY_NAME = new Map<string, Opcode>();

/** Upstream's designated type-variable operand of each format. */
function formatTypevarOperand(f: InstructionFormat): number {
  if (f === F.Ternary) return 1;
  if (f === F.AtomicCas) return 2;
  return formatInfo(f).numValueArgs > 0 ? 0 : -1;
}

for (let i = 0; i < ROWS.length; i++) {
  const row = ROWS[i];
  const code = i + 1;
  NAMES[code] = row.name;
  FORMATS[code] = row.format;
  FLAGS[code] = row.flags;
  CTRL_SETS[code] = row.ctrl;
  let n = 0;
  for (const [, kind, c] of row.operands) {
    if (kind !== 'value') continue;
    OPERAND_CONS[code * MAX_OPERANDS + n] = c;
    n++;
  }
  NUM_OPERANDS[code] = n;
  row.results.forEach(([, , c], j) => {
    RESULT_CONS[code * MAX_RESULTS + j] = c;
  });
  NUM_RESULTS[code] = row.results.length;
  const tv = formatTypevarOperand(row.format);
  if (row.ctrl !== EMPTY_TYPE_SET && tv >= 0 && tv < n && OPERAND_CONS[code * MAX_OPERANDS + tv] === SAME) {
    TYPEVAR_OPERAND[code] = tv;
  }
  BY_NAME.set(row.name, code as Opcode);
}

/** Every opcode, in numbering order. */
export const ALL_OPCODES: readonly Opcode[] = Array.from({ length: ROWS.length }, (_, i) => (i + 1) as Opcode);
/** One more than the largest opcode: the length of an array indexed by opcode. */
export const OPCODE_LIMIT = N;

// ---------------------------------------------------------------------------
// Queries (array reads; safe to call per instruction)

/** CLIF spelling, e.g. `iadd`, `select_spectre_guard`; `''` for a non-opcode. */
export function opcodeName(op: Opcode): string {
  return NAMES[op] ?? '';
}
export function opcodeByName(name: string): Opcode | undefined {
  return BY_NAME.get(name);
}
export function isOpcode(n: number): n is Opcode {
  return Number.isInteger(n) && n >= 1 && n < N;
}
export function opcodeFormat(op: Opcode): InstructionFormat {
  return FORMATS[op] as InstructionFormat;
}
export function opcodeFlags(op: Opcode): number {
  return FLAGS[op];
}

export function isTerminator(op: Opcode): boolean {
  return (FLAGS[op] & TERM) !== 0;
}
export function isBranch(op: Opcode): boolean {
  return (FLAGS[op] & IsBranch) !== 0;
}
export function isCall(op: Opcode): boolean {
  return (FLAGS[op] & CALL) !== 0;
}
export function isReturn(op: Opcode): boolean {
  return (FLAGS[op] & IsReturn) !== 0;
}
export function canTrap(op: Opcode): boolean {
  return (FLAGS[op] & TRAP) !== 0;
}
export function canLoad(op: Opcode): boolean {
  return (FLAGS[op] & LOAD) !== 0;
}
export function canStore(op: Opcode): boolean {
  return (FLAGS[op] & STORE) !== 0;
}
export function otherSideEffects(op: Opcode): boolean {
  return (FLAGS[op] & OTHER) !== 0;
}
export function sideEffectsIdempotent(op: Opcode): boolean {
  return (FLAGS[op] & IDEM) !== 0;
}
export function isCommutative(op: Opcode): boolean {
  return (FLAGS[op] & COMM) !== 0;
}
/** Results typed by the callee's signature rather than by the table. */
export function resultsFromSignature(op: Opcode): boolean {
  return (FLAGS[op] & SIG_RESULTS) !== 0;
}

const SIDE_EFFECT_MASK = TERM | IsBranch | CALL | IsReturn | TRAP | STORE | OTHER;
/**
 * Opcode-level side effects, as upstream's `trivially_has_side_effects`:
 * calls, branches, terminators, returns, traps, stores and other side
 * effects. Loads are not included: whether a load may trap depends on its
 * MemFlags, so callers must also treat a load without `notrap` (or, for
 * hoisting, without `readonly`) as effectful — that check is per
 * instruction, not per opcode.
 */
export function hasSideEffects(op: Opcode): boolean {
  return (FLAGS[op] & SIDE_EFFECT_MASK) !== 0;
}

/** Does the opcode have a controlling type variable? */
export function isPolymorphic(op: Opcode): boolean {
  return CTRL_SETS[op] !== 0;
}
/** The types ctrl may take; the empty set when not polymorphic. */
export function ctrlTypeSet(op: Opcode): TypeSet {
  return CTRL_SETS[op] as TypeSet;
}
/**
 * Index (among fixed value operands) of the operand whose type is ctrl when
 * no `.type` suffix is written — upstream's `use_typevar_operand`. -1 when
 * ctrl can come only from the suffix (iconst, load, uextend, …) or the
 * opcode is not polymorphic.
 */
export function typevarOperand(op: Opcode): number {
  return TYPEVAR_OPERAND[op];
}
/** `isPolymorphic` under the `opcode*` naming the printer uses. */
export const opcodeIsPolymorphic: (op: Opcode) => boolean = isPolymorphic;
/** `typevarOperand` under the `opcode*` naming the printer uses. */
export const opcodeTypevarOperand: (op: Opcode) => number = typevarOperand;
/** Polymorphic with no typevar operand: text must write `.type`. */
export function requiresTypeSuffix(op: Opcode): boolean {
  return CTRL_SETS[op] !== 0 && TYPEVAR_OPERAND[op] < 0;
}
/**
 * Upstream's `requires_typevar_operand`: ctrl must be read from the typevar
 * operand because the first result's type is not ctrl (brif, store,
 * vany_true, uload32, …). When false for a polymorphic opcode, ctrl is also
 * the first result's type.
 */
export function requiresTypevarOperand(op: Opcode): boolean {
  return TYPEVAR_OPERAND[op] >= 0 && (NUM_RESULTS[op] === 0 || RESULT_CONS[op * MAX_RESULTS] !== SAME);
}
/** Fixed value operands (variable arguments excluded). */
export function numFixedOperands(op: Opcode): number {
  return NUM_OPERANDS[op];
}
/** Does the opcode take variable arguments after its fixed operands? */
export function hasVarargs(op: Opcode): boolean {
  return formatInfo(FORMATS[op] as InstructionFormat).varargs;
}
/** Results whose types the table gives (0 for calls, whose results the signature gives). */
export function numFixedResults(op: Opcode): number {
  return NUM_RESULTS[op];
}
/** Is `ctrl` allowed as the controlling type? Always true for a non-polymorphic opcode. */
export function ctrlTypeAllowed(op: Opcode, ctrl: Type): boolean {
  const set = CTRL_SETS[op];
  return set === 0 || typeSetContains(set as TypeSet, ctrl);
}

/**
 * Type of fixed result `i` given ctrl (ignored for non-polymorphic opcodes).
 * INVALID when ctrl is not allowed, the derived type does not exist, or
 * there is no such result.
 */
export function resultType(op: Opcode, i: number, ctrl: Type): Type {
  if (i < 0 || i >= NUM_RESULTS[op]) return INVALID;
  const set = CTRL_SETS[op];
  if (set !== 0 && !typeSetContains(set as TypeSet, ctrl)) return INVALID;
  const r = resolve(RESULT_CONS[op * MAX_RESULTS + i], ctrl);
  return (r < 0 ? INVALID : r) as Type;
}

/**
 * Constraint on fixed value operand `i` given ctrl (ignored for
 * non-polymorphic opcodes): an exact type or a free set, packed as
 * `OperandConstraint` describes. INVALID (exact, no type) when ctrl is not
 * allowed, the derivation fails, or there is no such operand.
 */
export function operandConstraint(op: Opcode, i: number, ctrl: Type): OperandConstraint {
  if (i < 0 || i >= NUM_OPERANDS[op]) return INVALID as number as OperandConstraint;
  const set = CTRL_SETS[op];
  if (set !== 0 && !typeSetContains(set as TypeSet, ctrl)) return INVALID as number as OperandConstraint;
  return resolve(OPERAND_CONS[op * MAX_OPERANDS + i], ctrl);
}
/**
 * `resultType` / `operandConstraint` for a caller that has already checked
 * `ctrlTypeAllowed(op, ctrl)` and that `i` is below the opcode's fixed
 * result / operand count (a verifier's hot path): no second type-set test.
 * Out of those bounds the answer is meaningless.
 */
export function resultTypeUnchecked(op: Opcode, i: number, ctrl: Type): Type {
  const c = RESULT_CONS[op * MAX_RESULTS + i];
  if ((c & KIND_MASK) === SAME) return ctrl;
  const r = resolve(c, ctrl);
  return (r < 0 ? INVALID : r) as Type;
}
export function operandConstraintUnchecked(op: Opcode, i: number, ctrl: Type): OperandConstraint {
  const c = OPERAND_CONS[op * MAX_OPERANDS + i];
  if ((c & KIND_MASK) === SAME) return ctrl as number as OperandConstraint;
  return resolve(c, ctrl);
}
/** The unresolved kind of fixed value operand `i`'s constraint. */
export function operandConstraintKind(op: Opcode, i: number): ConstraintKind {
  if (i < 0 || i >= NUM_OPERANDS[op]) return K.None;
  return (OPERAND_CONS[op * MAX_OPERANDS + i] & KIND_MASK) as ConstraintKind;
}
/** The unresolved kind of fixed result `i`'s constraint. */
export function resultConstraintKind(op: Opcode, i: number): ConstraintKind {
  if (i < 0 || i >= NUM_RESULTS[op]) return K.None;
  return (RESULT_CONS[op * MAX_RESULTS + i] & KIND_MASK) as ConstraintKind;
}
/** Does type `t` satisfy fixed operand `i` of `op` under ctrl? */
export function operandAllows(op: Opcode, i: number, ctrl: Type, t: Type): boolean {
  return constraintAllows(operandConstraint(op, i, ctrl), t);
}

// ---------------------------------------------------------------------------
// Readable spec for tooling

export interface ConstraintSpec {
  readonly kind: ConstraintKindName;
  /** The type for `concrete`. */
  readonly type?: Type;
  /** The set for `free`. */
  readonly typeSet?: TypeSet;
  /** E.g. `ctrl`, `i8`, `free i32|i64`, `lane_of(ctrl)`. */
  readonly description: string;
}
export interface OperandSpec {
  /** Upstream's operand name (`x`, `p`, `MemFlags`, `Offset`, `block_then`, …). */
  readonly name: string;
  readonly kind: OperandKind;
  /** The ISLE type of this operand in generated extractors (`Value`, `MemFlags`, …). */
  readonly isleType: string;
  /** Index among fixed value operands, or -1 for immediates, entities and varargs. */
  readonly valueIndex: number;
  /** Present for value operands. */
  readonly constraint?: ConstraintSpec;
}
export interface ResultSpec {
  readonly name: string;
  readonly constraint: ConstraintSpec;
}
export interface OpcodeSpec {
  readonly opcode: Opcode;
  readonly name: string;
  readonly format: InstructionFormat;
  readonly formatName: string;
  readonly flags: number;
  readonly flagNames: readonly string[];
  readonly polymorphic: boolean;
  readonly ctrlTypeSet: TypeSet;
  /** `typeSetName` of the ctrl set, or `''` when not polymorphic. */
  readonly ctrlTypeSetName: string;
  readonly typevarOperand: number;
  readonly requiresTypeSuffix: boolean;
  /** In upstream's operand order: immediates, entities, values and varargs interleaved. */
  readonly operands: readonly OperandSpec[];
  /** Fixed results; calls add results from their signature. */
  readonly results: readonly ResultSpec[];
  readonly varargs: boolean;
}

function describe(c: number): ConstraintSpec {
  const kind = (c & KIND_MASK) as ConstraintKind;
  const name = CONSTRAINT_KIND_NAMES[kind];
  const payload = c >>> PAYLOAD_SHIFT;
  switch (kind) {
    case K.Same:
      return { kind: name, description: 'ctrl' };
    case K.Concrete:
      return { kind: name, type: payload as Type, description: typeName(payload as Type) };
    case K.Free:
      return { kind: name, typeSet: payload as TypeSet, description: `free ${typeSetName(payload as TypeSet)}` };
    case K.Narrower:
    case K.Wider:
      return { kind: name, description: `free, ${name} than ctrl` };
    default:
      return { kind: name, description: `${name}(ctrl)` };
  }
}

const SPECS: (OpcodeSpec | undefined)[] = [];

/** A readable description of an opcode; built on first request and cached. */
export function opcodeSpec(op: Opcode): OpcodeSpec {
  const cached = SPECS[op];
  if (cached) return cached;
  const row = ROWS[op - 1];
  if (!row) throw new RangeError(`not an opcode: ${op}`);
  let valueIndex = 0;
  const operands = row.operands.map(([name, kind, c]): OperandSpec => {
    if (kind !== 'value') return { name, kind, isleType: ISLE_TYPES[kind], valueIndex: -1 };
    return { name, kind, isleType: ISLE_TYPES[kind], valueIndex: valueIndex++, constraint: describe(c) };
  });
  const spec: OpcodeSpec = {
    opcode: op,
    name: row.name,
    format: row.format,
    formatName: formatInfo(row.format).name,
    flags: row.flags,
    flagNames: FLAG_NAMES.filter(([bit]) => (row.flags & bit) !== 0).map(([, n]) => n),
    polymorphic: row.ctrl !== EMPTY_TYPE_SET,
    ctrlTypeSet: row.ctrl,
    ctrlTypeSetName: row.ctrl !== EMPTY_TYPE_SET ? typeSetName(row.ctrl) : '',
    typevarOperand: typevarOperand(op),
    requiresTypeSuffix: requiresTypeSuffix(op),
    operands,
    results: row.results.map(([name, , c]) => ({ name, constraint: describe(c) })),
    varargs: formatInfo(row.format).varargs,
  };
  SPECS[op] = spec;
  return spec;
}

/** Upstream's PascalCase spelling (`SelectSpectreGuard`), as the `Opcode` keys use. */
export function opcodePascalName(op: Opcode): string {
  return opcodeName(op)
    .split('_')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}
