// Tests for the opcode table (opcodes.ts) and type sets (typeset.ts): name
// round-trips, the table's agreement with formats.ts and with upstream's
// type-variable rules, derived result types, operand constraints, flags, and
// coverage of every opcode the upstream filetests use.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InstructionFormat, formatInfo } from './formats.js';
import type { Opcode as OpcodeT } from './opcodes.js';
import {
  ALL_OPCODES,
  ConstraintKind,
  OPCODE_LIMIT,
  OpFlags,
  Opcode,
  canLoad,
  canStore,
  canTrap,
  constraintAllows,
  constraintName,
  constraintType,
  constraintTypeSet,
  ctrlTypeAllowed,
  ctrlTypeSet,
  hasSideEffects,
  hasVarargs,
  isBranch,
  isCall,
  isCommutative,
  isFreeConstraint,
  isPolymorphic,
  isReturn,
  isTerminator,
  numFixedOperands,
  numFixedResults,
  opcodeByName,
  opcodeFlags,
  opcodeFormat,
  opcodeName,
  opcodePascalName,
  opcodeSpec,
  operandConstraint,
  operandConstraintKind,
  requiresTypeSuffix,
  requiresTypevarOperand,
  resultConstraintKind,
  resultType,
  resultsFromSignature,
  sideEffectsIdempotent,
  typevarOperand,
} from './opcodes.js';
import type { Type } from './types.js';
import { F16, F32, F64, F128, I8, I16, I32, I64, I128, INVALID, parseType, typeName } from './types.js';
import {
  EMPTY_TYPE_SET,
  TypeSets,
  makeTypeSet,
  typeSetContains,
  typeSetName,
  typeSetOf,
  typeSetSingleton,
  typeSetTypes,
} from './typeset.js';

function t(name: string): Type {
  const ty = parseType(name);
  if (ty === undefined) throw new Error(`bad type ${name}`);
  return ty;
}
function byName(name: string): OpcodeT {
  const op = opcodeByName(name);
  if (op === undefined) throw new Error(`unknown opcode ${name}`);
  return op;
}
function freeSetNames(op: string, i: number, ctrl: Type): string[] {
  const c = operandConstraint(byName(op), i, ctrl);
  expect(isFreeConstraint(c)).toBe(true);
  return typeSetTypes(constraintTypeSet(c)).map(typeName);
}

describe('typeset', () => {
  it('tests membership by lane type and count', () => {
    expect(typeSetContains(TypeSets.IntScalar, I32)).toBe(true);
    expect(typeSetContains(TypeSets.IntScalar, t('i32x4'))).toBe(false);
    expect(typeSetContains(TypeSets.IntScalar, F32)).toBe(false);
    expect(typeSetContains(TypeSets.IntOrDynamic, t('i32x4xN'))).toBe(true);
    expect(typeSetContains(TypeSets.Int, t('i32x4xN'))).toBe(false);
    expect(typeSetContains(TypeSets.Mem, t('f64x2'))).toBe(true);
    expect(typeSetContains(TypeSets.Mem, INVALID)).toBe(false);
    expect(typeSetContains(TypeSets.DynamicVector, t('i8x16xN'))).toBe(true);
    expect(typeSetContains(TypeSets.DynamicVector, t('i8x16'))).toBe(false);
    expect(typeSetContains(TypeSets.DynamicVector, I8)).toBe(false);
    expect(typeSetContains(EMPTY_TYPE_SET, I8)).toBe(false);
  });

  it('builds sets from ranges and singletons', () => {
    expect(typeSetTypes(TypeSets.Addr).map(typeName)).toEqual(['i32', 'i64']);
    expect(typeSetTypes(TypeSets.I16or32x4or8).map(typeName)).toEqual(['i16x4', 'i16x8', 'i32x4', 'i32x8']);
    expect(typeSetTypes(makeTypeSet({ floats: [32, 64], lanes: [1, 2] })).map(typeName)).toEqual([
      'f32',
      'f32x2',
      'f64',
      'f64x2',
    ]);
    expect(typeSetSingleton(TypeSets.Ext32)).toBe(I64);
    expect(typeSetSingleton(TypeSets.Addr)).toBe(INVALID);
    for (const name of ['i8', 'f128', 'i16x8', 'f32x4xN']) {
      expect(typeSetTypes(typeSetOf(t(name))).map(typeName)).toEqual([name]);
    }
  });

  it('names sets readably', () => {
    expect(typeSetName(TypeSets.Addr)).toBe('i32|i64');
    expect(typeSetName(EMPTY_TYPE_SET)).toBe('{}');
    expect(typeSetName(TypeSets.IntOrDynamic)).toBe('i8|i16|i32|i64|i128 (scalar, x2..256, dynamic x2..256)');
    expect(typeSetName(TypeSets.IntVector)).toBe('i8|i16|i32|i64|i128 (x2..256)');
  });

  it('keeps every set within 26 bits', () => {
    for (const set of Object.values(TypeSets)) expect(set >>> 26).toBe(0);
  });
});

describe('opcode numbering and names', () => {
  it('numbers opcodes densely from 1', () => {
    expect(ALL_OPCODES.length).toBe(Object.keys(Opcode).length);
    expect(OPCODE_LIMIT).toBe(ALL_OPCODES.length + 1);
    ALL_OPCODES.forEach((op, i) => expect(op).toBe(i + 1));
  });

  it('keys each Opcode member by its PascalCase name', () => {
    for (const [key, op] of Object.entries(Opcode)) expect(opcodePascalName(op)).toBe(key);
    expect(Opcode.SelectSpectreGuard).toBe(byName('select_spectre_guard'));
    expect(Opcode.X86Cvtt2dq).toBe(byName('x86_cvtt2dq'));
    expect(Opcode.Uload8x8).toBe(byName('uload8x8'));
  });

  it('round-trips names', () => {
    const seen = new Set<string>();
    for (const op of ALL_OPCODES) {
      const name = opcodeName(op);
      expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
      expect(seen.has(name)).toBe(false);
      seen.add(name);
      expect(opcodeByName(name)).toBe(op);
    }
    expect(opcodeName(Opcode.Iadd)).toBe('iadd');
    expect(opcodeByName('select_spectre_guard')).toBe(Opcode.SelectSpectreGuard);
    expect(opcodeByName('nonesuch')).toBeUndefined();
  });

  it('leaves out opcodes upstream removed', () => {
    for (const gone of ['iadd_imm', 'icmp_imm', 'ishl_imm', 'irsub_imm', 'stack_load', 'stack_store', 'brz', 'brnz']) {
      expect(opcodeByName(gone)).toBeUndefined();
    }
  });
});

describe('table consistency', () => {
  it('agrees with the operand shape of each format', () => {
    for (const op of ALL_OPCODES) {
      const info = formatInfo(opcodeFormat(op));
      const spec = opcodeSpec(op);
      expect(numFixedOperands(op), spec.name).toBe(info.numValueArgs);
      expect(hasVarargs(op), spec.name).toBe(info.varargs);
      expect(spec.operands.some((o) => o.kind === 'varargs'), spec.name).toBe(info.varargs);
    }
  });

  it('follows upstream type-variable rules', () => {
    const derived = new Set<number>([
      ConstraintKind.Same,
      ConstraintKind.LaneOf,
      ConstraintKind.AsTruthy,
      ConstraintKind.HalfWidth,
      ConstraintKind.DoubleWidth,
      ConstraintKind.HalfVector,
      ConstraintKind.DoubleVector,
      ConstraintKind.SplitLanes,
      ConstraintKind.MergeLanes,
      ConstraintKind.DynamicToVector,
      ConstraintKind.Narrower,
      ConstraintKind.Wider,
    ]);
    for (const op of ALL_OPCODES) {
      const name = opcodeName(op);
      const kinds = Array.from({ length: numFixedOperands(op) }, (_, i) => operandConstraintKind(op, i));
      const results = Array.from({ length: numFixedResults(op) }, (_, i) => resultConstraintKind(op, i));
      if (!isPolymorphic(op)) {
        // Nothing may depend on a ctrl that does not exist.
        for (const k of [...kinds, ...results]) expect(derived.has(k), name).toBe(false);
        expect(typevarOperand(op), name).toBe(-1);
        continue;
      }
      for (const k of results) expect(k, name).not.toBe(ConstraintKind.Free);
      const tv = typevarOperand(op);
      if (tv >= 0) expect(kinds[tv], name).toBe(ConstraintKind.Same);
      else expect(results[0], `${name}: ctrl must be result 0`).toBe(ConstraintKind.Same);
      expect(requiresTypeSuffix(op), name).toBe(tv < 0);
    }
  });
});

describe('formats', () => {
  it.each([
    ['iadd', InstructionFormat.Binary],
    ['ineg', InstructionFormat.Unary],
    ['icmp', InstructionFormat.IntCompare],
    ['fcmp', InstructionFormat.FloatCompare],
    ['iconst', InstructionFormat.UnaryImm],
    ['f16const', InstructionFormat.UnaryIeee16],
    ['f32const', InstructionFormat.UnaryIeee32],
    ['f64const', InstructionFormat.UnaryIeee64],
    ['f128const', InstructionFormat.UnaryConst],
    ['vconst', InstructionFormat.UnaryConst],
    ['global_value', InstructionFormat.UnaryGlobalValue],
    ['select', InstructionFormat.Ternary],
    ['fma', InstructionFormat.Ternary],
    ['insertlane', InstructionFormat.TernaryImm8],
    ['extractlane', InstructionFormat.BinaryImm8],
    ['extract_vector', InstructionFormat.BinaryImm8],
    ['shuffle', InstructionFormat.Shuffle],
    ['jump', InstructionFormat.Jump],
    ['brif', InstructionFormat.Brif],
    ['br_table', InstructionFormat.BranchTable],
    ['return', InstructionFormat.MultiAry],
    ['call', InstructionFormat.Call],
    ['return_call', InstructionFormat.Call],
    ['call_indirect', InstructionFormat.CallIndirect],
    ['try_call', InstructionFormat.TryCall],
    ['try_call_indirect', InstructionFormat.TryCallIndirect],
    ['func_addr', InstructionFormat.FuncAddr],
    ['load', InstructionFormat.Load],
    ['uload8x8', InstructionFormat.Load],
    ['store', InstructionFormat.Store],
    ['istore8', InstructionFormat.Store],
    ['bitcast', InstructionFormat.LoadNoOffset],
    ['atomic_load', InstructionFormat.LoadNoOffset],
    ['atomic_store', InstructionFormat.StoreNoOffset],
    ['atomic_rmw', InstructionFormat.AtomicRmw],
    ['atomic_cas', InstructionFormat.AtomicCas],
    ['stack_addr', InstructionFormat.StackLoad],
    ['dynamic_stack_load', InstructionFormat.DynamicStackLoad],
    ['dynamic_stack_store', InstructionFormat.DynamicStackStore],
    ['trap', InstructionFormat.Trap],
    ['trapz', InstructionFormat.CondTrap],
    ['uadd_overflow_trap', InstructionFormat.IntAddTrap],
    ['nop', InstructionFormat.NullAry],
    ['get_exception_handler_address', InstructionFormat.ExceptionHandlerAddress],
  ] as const)('%s has format %i', (name, format) => {
    expect(opcodeFormat(byName(name))).toBe(format);
  });
});

describe('result types', () => {
  it.each([
    ['icmp', 'i32', 0, 'i8'],
    ['icmp', 'i128', 0, 'i8'],
    ['icmp', 'i32x4', 0, 'i32x4'],
    ['fcmp', 'f64', 0, 'i8'],
    ['fcmp', 'f32x4', 0, 'i32x4'],
    ['iconcat', 'i64', 0, 'i128'],
    ['iconcat', 'i8', 0, 'i16'],
    ['isplit', 'i128', 0, 'i64'],
    ['isplit', 'i128', 1, 'i64'],
    ['swiden_low', 'i16x8', 0, 'i32x4'],
    ['uwiden_high', 'i8x16', 0, 'i16x8'],
    ['swiden_low', 'i8x16xN', 0, 'i16x8xN'],
    ['snarrow', 'i32x4', 0, 'i16x8'],
    ['uunarrow', 'i64x2', 0, 'i32x4'],
    ['snarrow', 'i16x8xN', 0, 'i8x16xN'],
    ['extract_vector', 'i32x4xN', 0, 'i32x4'],
    ['extractlane', 'f32x4', 0, 'f32'],
    ['splat', 'i16x8', 0, 'i16x8'],
    ['iadd', 'i64', 0, 'i64'],
    ['iadd_pairwise', 'i16x8', 0, 'i16x8'],
    ['fcvt_to_sint', 'i32', 0, 'i32'],
    ['fcvt_to_sint_sat', 'i32x4', 0, 'i32x4'],
    ['fcvt_from_uint', 'f64x2', 0, 'f64x2'],
    ['uextend', 'i64', 0, 'i64'],
    ['uadd_overflow', 'i32', 0, 'i32'],
    ['uadd_overflow', 'i32', 1, 'i8'],
    ['sadd_overflow_cin', 'i64', 1, 'i8'],
    ['uload32', 'i64', 0, 'i64'],
    ['uload32', 'i32', 0, 'i64'],
    ['uload8x8', 'i64', 0, 'i16x8'],
    ['vany_true', 'i8x16', 0, 'i8'],
    ['vhigh_bits', 'i16', 0, 'i16'],
    ['bitcast', 'f64x2', 0, 'f64x2'],
    ['load', 'i32x4xN', 0, 'i32x4xN'],
    ['f32const', 'INVALID', 0, 'f32'],
    ['fvdemote', 'INVALID', 0, 'f32x4'],
    ['x86_pmaddubsw', 'INVALID', 0, 'i16x8'],
    ['shuffle', 'INVALID', 0, 'i8x16'],
    ['get_exception_handler_address', 'i64', 0, 'i64'],
  ] as const)('%s.%s result %i is %s', (name, ctrl, i, want) => {
    const c = ctrl === 'INVALID' ? INVALID : t(ctrl);
    expect(typeName(resultType(byName(name), i, c))).toBe(want);
  });

  it.each([
    ['iconst', 'i128'], // upstream's iconst stops at i64
    ['isplit', 'i8'],
    ['fcvt_to_sint', 'i32x4'],
    ['icmp', 'f32'],
    ['select', 'i32x4xN'],
    ['avg_round', 'i32'],
    ['sqmul_round_sat', 'i64x2'],
    ['uadd_overflow_trap', 'i8'],
    ['bswap', 'i8'],
    ['extract_vector', 'i32x4'],
    ['udiv', 'i32x4'],
    ['iadd', 'INVALID'],
  ] as const)('%s rejects ctrl %s', (name, ctrl) => {
    const op = byName(name);
    const c = ctrl === 'INVALID' ? INVALID : t(ctrl);
    expect(ctrlTypeAllowed(op, c)).toBe(false);
    expect(resultType(op, 0, c)).toBe(INVALID);
    expect(operandConstraint(op, 0, c)).toBe(INVALID);
  });

  it('gives INVALID for a missing result', () => {
    expect(resultType(Opcode.Iadd, 1, I32)).toBe(INVALID);
    expect(resultType(Opcode.Store, 0, I32)).toBe(INVALID);
    expect(numFixedResults(Opcode.Isplit)).toBe(2);
    expect(numFixedResults(Opcode.Call)).toBe(0);
    expect(resultsFromSignature(Opcode.Call)).toBe(true);
    expect(resultsFromSignature(Opcode.TryCall)).toBe(false);
  });
});

describe('operand constraints', () => {
  it('types the shift amount of ishl as a free scalar integer', () => {
    const op = Opcode.Ishl;
    expect(constraintType(operandConstraint(op, 0, t('i32x4')))).toBe(t('i32x4'));
    const amount = operandConstraint(op, 1, t('i32x4'));
    expect(isFreeConstraint(amount)).toBe(true);
    expect(constraintAllows(amount, I8)).toBe(true);
    expect(constraintAllows(amount, I128)).toBe(true);
    expect(constraintAllows(amount, t('i32x4'))).toBe(false);
    expect(constraintName(amount)).toBe('i8|i16|i32|i64|i128');
  });

  it('types the condition of select and brif', () => {
    expect(typevarOperand(Opcode.Select)).toBe(1);
    const cond = operandConstraint(Opcode.Select, 0, F64);
    expect(isFreeConstraint(cond)).toBe(true);
    expect(constraintAllows(cond, I8)).toBe(true);
    expect(constraintAllows(cond, F64)).toBe(false);
    expect(operandConstraint(Opcode.Select, 1, F64)).toBe(F64);
    expect(operandConstraint(Opcode.Select, 2, F64)).toBe(F64);
    // bitselect's mask shares ctrl with its inputs.
    expect(operandConstraint(Opcode.Bitselect, 0, t('i8x16'))).toBe(t('i8x16'));
    // brif takes ctrl from its condition, any scalar integer.
    expect(typevarOperand(Opcode.Brif)).toBe(0);
    expect(ctrlTypeAllowed(Opcode.Brif, I128)).toBe(true);
    expect(ctrlTypeAllowed(Opcode.Brif, F32)).toBe(false);
    expect(operandConstraint(Opcode.BrTable, 0, INVALID)).toBe(I32);
  });

  it('types load and store addresses as i32 or i64', () => {
    expect(freeSetNames('load', 0, F32)).toEqual(['i32', 'i64']);
    expect(typevarOperand(Opcode.Load)).toBe(-1);
    expect(requiresTypeSuffix(Opcode.Load)).toBe(true);
    expect(typevarOperand(Opcode.Store)).toBe(0);
    expect(operandConstraint(Opcode.Store, 0, t('i8x16'))).toBe(t('i8x16'));
    expect(freeSetNames('store', 1, t('i8x16'))).toEqual(['i32', 'i64']);
    expect(freeSetNames('atomic_rmw', 0, I64)).toEqual(['i32', 'i64']);
    expect(operandConstraint(Opcode.AtomicRmw, 1, I64)).toBe(I64);
    // uload32's ctrl is the address type; its result is always i64.
    expect(typevarOperand(Opcode.Uload32)).toBe(0);
    expect(operandConstraint(Opcode.Uload32, 0, I32)).toBe(I32);
    expect(ctrlTypeAllowed(Opcode.Uload32, I16)).toBe(false);
    expect(typevarOperand(Opcode.Istore32)).toBe(0);
    expect(ctrlTypeAllowed(Opcode.Istore32, I32)).toBe(false);
  });

  it('types free inputs of conversions', () => {
    expect(freeSetNames('uextend', 0, I64)).toEqual(['i8', 'i16', 'i32']);
    expect(freeSetNames('uextend', 0, I8)).toEqual([]);
    expect(freeSetNames('ireduce', 0, I16)).toEqual(['i32', 'i64', 'i128']);
    expect(freeSetNames('fpromote', 0, F64)).toEqual(['f16', 'f32']);
    expect(freeSetNames('fdemote', 0, F32)).toEqual(['f64', 'f128']);
    expect(freeSetNames('fcvt_to_sint', 0, I32)).toEqual(['f16', 'f32', 'f64', 'f128']);
    expect(constraintAllows(operandConstraint(Opcode.FcvtToSintSat, 0, t('i32x4')), t('f32x4'))).toBe(true);
    expect(constraintAllows(operandConstraint(Opcode.Bitcast, 0, I64), t('i8x8'))).toBe(true);
    expect(constraintAllows(operandConstraint(Opcode.Bmask, 0, I64), I128)).toBe(true);
    expect(constraintAllows(operandConstraint(Opcode.VhighBits, 0, I16), t('f32x4'))).toBe(true);
  });

  it('derives lane and concrete operand types', () => {
    expect(operandConstraint(Opcode.Splat, 0, t('f64x2'))).toBe(F64);
    expect(operandConstraint(Opcode.Insertlane, 1, t('i16x8'))).toBe(I16);
    expect(operandConstraint(Opcode.ScalarToVector, 0, t('i8x16'))).toBe(I8);
    expect(operandConstraint(Opcode.SaddOverflowCin, 2, I64)).toBe(I8);
    expect(operandConstraint(Opcode.Swizzle, 1, INVALID)).toBe(t('i8x16'));
    expect(operandConstraint(Opcode.Iadd, 2, I32)).toBe(INVALID);
    expect(operandConstraint(Opcode.F16const, 0, INVALID)).toBe(INVALID);
    expect(resultType(Opcode.F16const, 0, INVALID)).toBe(F16);
    expect(resultType(Opcode.F128const, 0, INVALID)).toBe(F128);
  });

  it('knows where ctrl comes from', () => {
    const cases: [string, number, boolean][] = [
      ['iadd', 0, false],
      ['icmp', 0, true],
      ['fma', 1, false],
      ['atomic_cas', 2, false],
      ['sadd_overflow_cin', 1, false],
      ['stack_switch', 1, false],
      ['call_indirect', 0, true],
      ['try_call_indirect', 0, true],
      ['store', 0, true],
      ['vany_true', 0, true],
      ['uload32', 0, true],
      ['iconst', -1, false],
      ['uextend', -1, false],
      ['bmask', -1, false],
      ['splat', -1, false],
      ['atomic_load', -1, false],
      ['func_addr', -1, false],
      ['jump', -1, false],
    ];
    for (const [name, tv, requires] of cases) {
      expect(typevarOperand(byName(name)), name).toBe(tv);
      expect(requiresTypevarOperand(byName(name)), name).toBe(requires);
    }
    expect(isPolymorphic(Opcode.Jump)).toBe(false);
    expect(isPolymorphic(Opcode.CallIndirect)).toBe(true);
    expect(ctrlTypeSet(Opcode.Jump)).toBe(EMPTY_TYPE_SET);
  });
});

describe('flags', () => {
  it('marks terminators, branches, calls and returns', () => {
    for (const name of ['jump', 'brif', 'br_table', 'return', 'return_call', 'return_call_indirect', 'trap', 'try_call', 'try_call_indirect']) {
      expect(isTerminator(byName(name)), name).toBe(true);
    }
    for (const name of ['trapz', 'trapnz', 'call', 'iadd', 'debugtrap']) expect(isTerminator(byName(name)), name).toBe(false);
    for (const name of ['jump', 'brif', 'br_table', 'try_call', 'try_call_indirect']) expect(isBranch(byName(name)), name).toBe(true);
    for (const name of ['return', 'trap', 'call']) expect(isBranch(byName(name)), name).toBe(false);
    for (const name of ['call', 'call_indirect', 'return_call', 'return_call_indirect', 'try_call', 'stack_switch']) {
      expect(isCall(byName(name)), name).toBe(true);
    }
    expect(isCall(Opcode.Jump)).toBe(false);
    expect(isReturn(Opcode.Return)).toBe(true);
    expect(isReturn(Opcode.ReturnCall)).toBe(true);
    expect(isReturn(Opcode.Call)).toBe(false);
  });

  it('marks traps, loads and stores', () => {
    for (const name of ['trap', 'trapz', 'trapnz', 'udiv', 'srem', 'uadd_overflow_trap', 'fcvt_to_uint']) {
      expect(canTrap(byName(name)), name).toBe(true);
    }
    for (const name of ['load', 'fcvt_to_uint_sat', 'iadd']) expect(canTrap(byName(name)), name).toBe(false);
    for (const name of ['load', 'uload8', 'sload32x2', 'dynamic_stack_load', 'atomic_load', 'atomic_rmw', 'debugtrap']) {
      expect(canLoad(byName(name)), name).toBe(true);
    }
    for (const name of ['store', 'istore32', 'dynamic_stack_store', 'atomic_store', 'atomic_cas']) {
      expect(canStore(byName(name)), name).toBe(true);
    }
    expect(canStore(Opcode.Load)).toBe(false);
    expect(canLoad(Opcode.Store)).toBe(false);
    expect(sideEffectsIdempotent(Opcode.Trapz)).toBe(true);
    expect(sideEffectsIdempotent(Opcode.Trap)).toBe(false);
  });

  it('has side effects as upstream counts them', () => {
    for (const name of ['call', 'store', 'trapz', 'jump', 'return', 'fence', 'get_pinned_reg', 'set_pinned_reg', 'atomic_load', 'sdiv', 'sequence_point']) {
      expect(hasSideEffects(byName(name)), name).toBe(true);
    }
    // Loads: only their MemFlags decide (see hasSideEffects).
    for (const name of ['iadd', 'load', 'iconst', 'stack_addr', 'fcvt_to_sint_sat', 'get_stack_pointer']) {
      expect(hasSideEffects(byName(name)), name).toBe(false);
    }
  });

  it('marks commutative operations', () => {
    for (const name of ['iadd', 'imul', 'band', 'bor', 'bxor', 'umin', 'umax', 'smin', 'smax', 'umulhi', 'uadd_overflow']) {
      expect(isCommutative(byName(name)), name).toBe(true);
    }
    for (const name of ['isub', 'band_not', 'ishl', 'udiv', 'icmp', 'fadd', 'fmul', 'iadd_pairwise', 'usub_sat']) {
      expect(isCommutative(byName(name)), name).toBe(false);
    }
    expect(opcodeFlags(Opcode.Iadd)).toBe(OpFlags.IsCommutative);
  });
});

describe('opcodeSpec', () => {
  it('lists operands in upstream order with ISLE types', () => {
    const load = opcodeSpec(Opcode.Load);
    expect(load.operands.map((o) => [o.name, o.kind, o.isleType, o.valueIndex])).toEqual([
      ['MemFlags', 'memflags', 'MemFlags', -1],
      ['p', 'value', 'Value', 0],
      ['Offset', 'offset32', 'Offset32', -1],
    ]);
    expect(load.operands[1].constraint?.description).toBe('free i32|i64');
    expect(load.results[0].constraint.kind).toBe('same');
    expect(load.flagNames).toEqual(['CanLoad']);
    expect(load.requiresTypeSuffix).toBe(true);
    expect(load.formatName).toBe('Load');

    const icmp = opcodeSpec(Opcode.Icmp);
    expect(icmp.operands.map((o) => o.isleType)).toEqual(['IntCC', 'Value', 'Value']);
    expect(icmp.results[0].constraint.description).toBe('as_truthy(ctrl)');

    const insertlane = opcodeSpec(Opcode.Insertlane);
    expect(insertlane.operands.map((o) => o.name)).toEqual(['x', 'y', 'Idx']);

    const call = opcodeSpec(Opcode.Call);
    expect(call.operands.map((o) => o.isleType)).toEqual(['FuncRef', 'ValueSlice']);
    expect(call.varargs).toBe(true);
    expect(call.polymorphic).toBe(false);
    expect(opcodeSpec(Opcode.Call)).toBe(call);
  });
});

// ---------------------------------------------------------------------------
// Coverage of the upstream filetests

const filetestsDir = resolve(
  import.meta.dirname,
  '..',
  process.env.CLIFT_UPSTREAM_FILETESTS ?? '../../../shared/upstream-filetests',
);

function clifFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...clifFiles(path));
    else if (entry.endsWith('.clif')) out.push(path);
  }
  return out;
}

interface UsedInstruction {
  readonly name: string;
  /** The `.type` suffix as written, if any. */
  readonly suffix: string | undefined;
  readonly line: number;
}

/**
 * The instructions of a .clif file: inside function bodies (after the first
 * block label), each line's first word after an optional `@srcloc` and
 * `vN, … =`, with its type suffix — comments, labels and aliases skipped.
 */
function instructionsOf(text: string): UsedInstruction[] {
  const out: UsedInstruction[] = [];
  let inBody = false;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/;.*$/, '').trim();
    if (line === '') return;
    if (line.startsWith('function ') || line.startsWith('}')) {
      inBody = false;
      return;
    }
    if (/^block\d+\b/.test(line)) {
      inBody = true;
      return;
    }
    if (!inBody || /^v\d+\s*->/.test(line)) return;
    const m = /^(?:@[0-9a-fA-F]+\s+)?(?:v\d+(?:\s*,\s*v\d+)*\s*=\s*)?([a-z][a-z0-9_]*)(?:\.([a-z0-9]+))?/.exec(line);
    if (m) out.push({ name: m[1], suffix: m[2], line: i + 1 });
  });
  return out;
}

describe('upstream filetests', () => {
  const present = existsSync(filetestsDir);
  if (!present && process.env.CI !== 'true') {
    it.skip(`every opcode they use is known — skipped: ${filetestsDir} not found (set CLIFT_UPSTREAM_FILETESTS)`, () => {});
    return;
  }

  const files = present ? clifFiles(filetestsDir) : [];
  const relative = (file: string) => file.slice(filetestsDir.length + 1);

  it('uses only opcodes in the table', () => {
    expect(present, `upstream filetests folder ${filetestsDir} is missing (required under CI)`).toBe(true);
    expect(files.length).toBeGreaterThan(0);
    const unknown = new Map<string, string>();
    const used = new Set<string>();
    for (const file of files) {
      for (const { name, line } of instructionsOf(readFileSync(file, 'utf8'))) {
        used.add(name);
        if (opcodeByName(name) === undefined && !unknown.has(name)) unknown.set(name, `${relative(file)}:${line}`);
      }
    }
    expect([...unknown].map(([name, where]) => `${name} (${where})`)).toEqual([]);
    // The parse found real instructions, not just a handful of words.
    expect(used.size).toBeGreaterThan(100);
  });

  it('writes type suffixes exactly where the table allows them', () => {
    const problems: string[] = [];
    for (const file of files) {
      for (const { name, suffix, line } of instructionsOf(readFileSync(file, 'utf8'))) {
        const op = opcodeByName(name);
        if (op === undefined) continue;
        const where = `${relative(file)}:${line}`;
        if (suffix === undefined) {
          if (requiresTypeSuffix(op)) problems.push(`${name} without a type suffix at ${where}`);
          continue;
        }
        if (/^dt\d+$/.test(suffix)) continue; // a dynamic type entity: the reader resolves it
        const ty = parseType(suffix);
        if (ty === undefined || !ctrlTypeAllowed(op, ty) || !isPolymorphic(op)) {
          problems.push(`${name}.${suffix} at ${where}: ctrl set is ${typeSetName(ctrlTypeSet(op))}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
