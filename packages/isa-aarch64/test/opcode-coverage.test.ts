// Which CLIF opcode × type combinations the AArch64 backend lowers. For every
// opcode of `ALL_OPCODES` and every controlling type its type set allows
// among the types upstream's aarch64 backend handles (scalars i8-i128 and
// f16-f128, 64- and 128-bit vectors of integer and f32/f64 lanes), plus
// every type a free operand may take (conversion sources, select
// conditions, shift amounts, addresses), the test writes a minimal function
// in CLIF text, skips combinations the verifier rejects (CLIF itself does not
// allow them), and compiles the rest. The combinations that fail must be
// exactly the ALLOWED list below, each with its reason; any other failure,
// and any failure that is not the typed "unsupported" error, fails the test.
//
// Not enumerated: f16 lanes in vectors and dynamic vector types (upstream's
// aarch64 rules handle neither as a general vector type), and vectors wider
// than 128 bits (a typed error at the ABI, tested in compile.test.ts).
import { CodegenError, parseSharedFlags, type Flags } from '@clift/codegen';
import {
  ALL_OPCODES,
  INVALID,
  constraintType,
  constraintTypeSet,
  ctrlTypeAllowed,
  isFreeConstraint,
  isPolymorphic,
  laneCount,
  numFixedOperands,
  numFixedResults,
  operandConstraint,
  opcodeFormat,
  opcodeName,
  parseType,
  resultType,
  typeName,
  typeSetContains,
  verifyFunction,
  InstructionFormat,
  type Opcode,
  type Type,
} from '@clift/ir';
import { parseFunctions } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';

const TYPE_NAMES = [
  'i8', 'i16', 'i32', 'i64', 'i128', 'f16', 'f32', 'f64', 'f128',
  'i8x8', 'i16x4', 'i32x2', 'f32x2', 'i8x16', 'i16x8', 'i32x4', 'i64x2', 'f32x4', 'f64x2',
];
const UNIVERSE: readonly Type[] = TYPE_NAMES.map((n) => {
  const t = parseType(n);
  if (t === undefined) throw new Error(`bad type ${n}`);
  return t;
});
const inUniverse = (set: number): Type[] => UNIVERSE.filter((t) => typeSetContains(set as never, t));

/**
 * Combinations that do not lower, keyed `opcode ctrl` (and `<-src` for a
 * free operand's type), each with the reason. Keep it the truth: the test
 * fails when an entry starts to compile.
 */
const ALLOWED: readonly (readonly [opcode: string, keys: readonly string[], reason: string])[] = [
  ['x86_pshufb', [''], "x86-only opcode"],
  ['stack_switch', ['i32', 'i64'], "upstream implements stack_switch on x86_64 only"],
  ['f128const', [''], "no f128const rule upstream in the lower.isle read (f128 constants need a literal pool)"],
  ['x86_blendv', ['i8', 'i16', 'i32', 'i64', 'i128', 'f16', 'f32', 'f64', 'f128', 'i8x8', 'i16x4', 'i32x2', 'f32x2', 'i8x16', 'i16x8', 'i32x4', 'i64x2', 'f32x4', 'f64x2'], "x86-only opcode"],
  ['umulhi', ['i128', 'i8x8', 'i16x4', 'i32x2', 'i8x16', 'i16x8', 'i32x4', 'i64x2'], "upstream has scalar rules up to i64 only (no i128 or lane rule)"],
  ['smulhi', ['i128', 'i8x8', 'i16x4', 'i32x2', 'i8x16', 'i16x8', 'i32x4', 'i64x2'], "upstream has scalar rules up to i64 only (no i128 or lane rule)"],
  ['x86_pmulhrsw', ['i16x4', 'i16x8', 'i32x4'], "x86-only opcode"],
  ['fcmp', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['fadd', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['fsub', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['fmul', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['fdiv', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['sqrt', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['fma', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['fneg', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['fabs', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['fcopysign', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['fmin', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['fmax', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['ceil', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['floor', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['trunc', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['nearest', ['f16', 'f128'], "no f16/f128 rule for this opcode upstream (f16/f128 lower only for memory, constants, bitcasts, select, calls)"],
  ['swiden_low', ['i32x2'], "the i64x1 result is not a vector type upstream lowers"],
  ['swiden_high', ['i32x2'], "the i64x1 result is not a vector type upstream lowers"],
  ['uwiden_low', ['i32x2'], "the i64x1 result is not a vector type upstream lowers"],
  ['uwiden_high', ['i32x2'], "the i64x1 result is not a vector type upstream lowers"],
  ['x86_pmaddubsw', [''], "x86-only opcode"],
  ['fpromote', ['f32<-f16', 'f128<-f16', 'f128<-f32', 'f128<-f64'], "upstream converts f32 to f64 only"],
  ['fdemote', ['f16<-f32', 'f16<-f64', 'f16<-f128', 'f64<-f128'], "upstream converts f64 to f32 only"],
  ['fcvt_to_uint', ['i8<-f16', 'i8<-f128', 'i16<-f16', 'i16<-f128', 'i32<-f16', 'i32<-f128', 'i64<-f16', 'i64<-f128', 'i128<-f16', 'i128<-f32', 'i128<-f64', 'i128<-f128'], "upstream converts only between f32/f64 and i8..i64 (no f16, f128 or i128 rule)"],
  ['fcvt_to_sint', ['i8<-f16', 'i8<-f128', 'i16<-f16', 'i16<-f128', 'i32<-f16', 'i32<-f128', 'i64<-f16', 'i64<-f128', 'i128<-f16', 'i128<-f32', 'i128<-f64', 'i128<-f128'], "upstream converts only between f32/f64 and i8..i64 (no f16, f128 or i128 rule)"],
  ['fcvt_to_uint_sat', ['i8<-f16', 'i8<-f128', 'i16<-f16', 'i16<-f128', 'i32<-f16', 'i32<-f128', 'i64<-f16', 'i64<-f128', 'i128<-f16', 'i128<-f32', 'i128<-f64', 'i128<-f128'], "upstream converts only between f32/f64 and i8..i64 (no f16, f128 or i128 rule)"],
  ['fcvt_to_uint_sat', ['i16x4<-f32x4', 'i32x2<-f64x2', 'i64x2<-f32x2'], "upstream converts lanes only between equal lane widths"],
  ['fcvt_to_sint_sat', ['i8<-f16', 'i8<-f128', 'i16<-f16', 'i16<-f128', 'i32<-f16', 'i32<-f128', 'i64<-f16', 'i64<-f128', 'i128<-f16', 'i128<-f32', 'i128<-f64', 'i128<-f128'], "upstream converts only between f32/f64 and i8..i64 (no f16, f128 or i128 rule)"],
  ['fcvt_to_sint_sat', ['i16x4<-f32x4', 'i32x2<-f64x2', 'i64x2<-f32x2'], "upstream converts lanes only between equal lane widths"],
  ['x86_cvtt2dq', ['i8<-f16', 'i8<-f32', 'i8<-f64', 'i8<-f128', 'i16<-f16', 'i16<-f32', 'i16<-f64', 'i16<-f128', 'i32<-f16', 'i32<-f32', 'i32<-f64', 'i32<-f128', 'i64<-f16', 'i64<-f32', 'i64<-f64', 'i64<-f128', 'i128<-f16', 'i128<-f32', 'i128<-f64', 'i128<-f128', 'i16x4<-f32x4', 'i32x2<-f32x2', 'i32x2<-f64x2', 'i32x4<-f32x4', 'i64x2<-f32x2', 'i64x2<-f64x2'], "x86-only opcode"],
  ['fcvt_from_uint', ['f16<-i8', 'f16<-i16', 'f16<-i32', 'f16<-i64', 'f16<-i128', 'f128<-i8', 'f128<-i16', 'f128<-i32', 'f128<-i64', 'f128<-i128'], "upstream converts only between f32/f64 and i8..i64 (no f16, f128 or i128 rule)"],
  ['fcvt_from_uint', ['f32x2<-i64x2', 'f32x4<-i16x4', 'f64x2<-i32x2'], "upstream converts lanes only between equal lane widths"],
  ['fcvt_from_sint', ['f16<-i8', 'f16<-i16', 'f16<-i32', 'f16<-i64', 'f16<-i128', 'f128<-i8', 'f128<-i16', 'f128<-i32', 'f128<-i64', 'f128<-i128'], "upstream converts only between f32/f64 and i8..i64 (no f16, f128 or i128 rule)"],
  ['fcvt_from_sint', ['f32x2<-i64x2', 'f32x4<-i16x4', 'f64x2<-i32x2'], "upstream converts lanes only between equal lane widths"],
  ['isplit', ['i16', 'i32', 'i64'], "upstream splits only i128"],
  ['iconcat', ['i8', 'i16', 'i32'], "upstream concatenates only i64 halves into i128"],
  ['atomic_rmw', ['i128<-i64'], "upstream's atomics stop at 64 bits (valid_atomic_transaction)"],
  ['atomic_cas', ['i128<-i64'], "upstream's atomics stop at 64 bits (valid_atomic_transaction)"],
  ['atomic_load', ['i128<-i64'], "upstream's atomics stop at 64 bits (valid_atomic_transaction)"],
  ['atomic_store', ['i128<-i64'], "upstream's atomics stop at 64 bits (valid_atomic_transaction)"],
  ['sequence_point', [''], "no aarch64 rule upstream in the lower.isle read"],
];

interface Case {
  /** `opcode ctrl` or `opcode ctrl<-free`. */
  key: string;
  text: string;
  flags: Flags;
}

const BASE_FLAGS = parseSharedFlags([]);
const PINNED_FLAGS = parseSharedFlags([{ name: 'enable_pinned_reg', value: 'true' }]);
const TLS_FLAGS = parseSharedFlags([{ name: 'tls_model', value: 'elf_gd' }]);

/** The immediate text each format puts after the value operands (or in place of them). */
function body(op: Opcode, ctrl: Type | undefined, operandTypes: readonly Type[]): { params: Type[]; line: string; results: Type[] } | undefined {
  const name = opcodeName(op);
  const suffix = ctrl !== undefined && isPolymorphic(op) ? `.${typeName(ctrl)}` : '';
  const params = [...operandTypes];
  const vs = operandTypes.map((_, i) => `v${i}`);
  const results: Type[] = [];
  for (let i = 0; i < numFixedResults(op); i++) results.push(resultType(op, i, ctrl ?? INVALID));
  const f = opcodeFormat(op);
  const F = InstructionFormat;
  let rhs: string;
  switch (f) {
    case F.Unary:
    case F.Binary:
    case F.Ternary:
    case F.NullAry:
      rhs = `${name}${suffix} ${vs.join(', ')}`;
      break;
    case F.UnaryImm:
      rhs = `${name}${suffix} 7`;
      break;
    case F.UnaryIeee16:
    case F.UnaryIeee32:
    case F.UnaryIeee64:
      rhs = `${name} 0x1.8p1`;
      break;
    case F.UnaryConst:
      // vconst takes the vector's bytes; f128const a float literal.
      rhs = name === 'vconst' && ctrl !== undefined ? `vconst${suffix} 0x${'0123456789abcdef'.repeat(2).slice(0, 2 * laneBytes(ctrl))}` : `${name} 0x1.8p1`;
      break;
    case F.Load:
      rhs = `${name}${suffix} ${vs[0]}+8`;
      break;
    case F.LoadNoOffset:
      rhs = name === 'bitcast' ? `bitcast${suffix} little ${vs[0]}` : `${name}${suffix} ${vs[0]}`;
      break;
    case F.Store:
      rhs = `${name} ${vs[0]}, ${vs[1]}+8`;
      break;
    case F.StoreNoOffset:
      rhs = `${name} ${vs[0]}, ${vs[1]}`;
      break;
    case F.BinaryImm8:
      rhs = `${name} ${vs[0]}, 1`;
      break;
    case F.TernaryImm8:
      rhs = `${name} ${vs[0]}, ${vs[1]}, 1`;
      break;
    case F.IntCompare:
      rhs = `${name} ult ${vs.join(', ')}`;
      break;
    case F.FloatCompare:
      rhs = `${name} lt ${vs.join(', ')}`;
      break;
    case F.IntAddTrap:
      rhs = `${name} ${vs.join(', ')}, user1`;
      break;
    case F.CondTrap:
      rhs = `${name} ${vs[0]}, user1`;
      break;
    case F.AtomicRmw:
      rhs = `${name}${suffix} add ${vs.join(', ')}`;
      break;
    case F.AtomicCas:
      rhs = `${name} ${vs.join(', ')}`;
      break;
    case F.Shuffle:
      rhs = `${name} ${vs.join(', ')}, [31 0 17 2 3 20 5 6 7 8 9 10 11 12 13 16]`;
      break;
    default:
      return undefined;
  }
  return { params, line: rhs, results };
}

function laneBytes(t: Type): number {
  const n = typeName(t);
  const m = /^[if](\d+)(?:x(\d+))?$/.exec(n);
  if (!m) return 0;
  return (Number(m[1]) / 8) * (m[2] ? Number(m[2]) : 1);
}

function fn(params: readonly Type[], results: readonly Type[], preamble: string, lines: string): string {
  const sig = `(${params.map(typeName).join(', ')})${results.length ? ` -> ${results.map(typeName).join(', ')}` : ''}`;
  const bparams = params.map((t, i) => `v${i}: ${typeName(t)}`).join(', ');
  return `function %t${sig} {\n${preamble}block0(${bparams}):\n${lines}}\n`;
}

/** Functions for opcodes whose shape the generic template cannot write (control flow, entities). */
function special(op: Opcode, ctrl: Type | undefined): Case[] | undefined {
  const name = opcodeName(op);
  const t = ctrl !== undefined ? typeName(ctrl) : '';
  const k = (key: string, text: string, flags = BASE_FLAGS): Case => ({ key, text, flags });
  switch (name) {
    case 'jump':
      return [k('jump', `function %t() {\nblock0:\n    jump block1\nblock1:\n    return\n}\n`)];
    case 'brif':
      return [k(`brif ${t}`, `function %t(${t}) {\nblock0(v0: ${t}):\n    brif v0, block1, block2\nblock1:\n    return\nblock2:\n    return\n}\n`)];
    case 'br_table':
      return [k('br_table', `function %t(i32) {\nblock0(v0: i32):\n    br_table v0, block1, [block1, block2]\nblock1:\n    return\nblock2:\n    return\n}\n`)];
    case 'trap':
      return [k('trap', `function %t() {\nblock0:\n    trap user1\n}\n`)];
    case 'return':
      return [k('return', `function %t(i64) -> i64 {\nblock0(v0: i64):\n    return v0\n}\n`)];
    case 'call':
      return [k('call', `function %t(i64) -> i64 {\n    sig0 = (i64) -> i64\n    fn0 = %g sig0\nblock0(v0: i64):\n    v1 = call fn0(v0)\n    return v1\n}\n`)];
    case 'call_indirect':
      return [k(`call_indirect ${t}`, fn([ctrl!, parseType('i64')!], [parseType('i64')!], '    sig0 = (i64) -> i64\n', `    v2 = call_indirect sig0, v0(v1)\n    return v2\n`))];
    case 'return_call':
      return [k('return_call', `function %t(i64) -> i64 tail {\n    sig0 = (i64) -> i64 tail\n    fn0 = %g sig0\nblock0(v0: i64):\n    return_call fn0(v0)\n}\n`)];
    case 'return_call_indirect':
      return [k(`return_call_indirect ${t}`, `function %t(${t}, i64) -> i64 tail {\n    sig0 = (i64) -> i64 tail\nblock0(v0: ${t}, v1: i64):\n    return_call_indirect sig0, v0(v1)\n}\n`)];
    case 'try_call':
      return [k('try_call', `function %t(i64) -> i64 {\n    sig0 = (i64) -> i64 tail\n    fn0 = %g sig0\nblock0(v0: i64):\n    try_call fn0(v0), sig0, block1(ret0), [ default: block2(exn0) ]\nblock1(v1: i64):\n    return v1\nblock2(v2: i64):\n    return v2\n}\n`)];
    case 'try_call_indirect':
      return [k(`try_call_indirect ${t}`, `function %t(${t}, i64) -> i64 {\n    sig0 = (i64) -> i64 tail\nblock0(v0: ${t}, v1: i64):\n    try_call_indirect v0(v1), sig0, block1(ret0), [ default: block2(exn0) ]\nblock1(v2: i64):\n    return v2\nblock2(v3: i64):\n    return v3\n}\n`)];
    case 'get_exception_handler_address':
      return [k(`${name} ${t}`, `function %t(i64) -> ${t} {\n    sig0 = (i64) -> i64 tail\n    fn0 = %g sig0\nblock0(v0: i64):\n    try_call fn0(v0), sig0, block1(ret0), [ default: block2(exn0) ]\nblock1(v1: i64):\n    v3 = get_exception_handler_address.${t} block0, 0\n    return v3\nblock2(v2: i64):\n    v4 = get_exception_handler_address.${t} block0, 0\n    return v4\n}\n`)];
    case 'func_addr':
      return [k(`func_addr ${t}`, `function %t() -> ${t} {\n    sig0 = (i64) -> i64\n    fn0 = %g sig0\nblock0:\n    v0 = func_addr.${t} fn0\n    return v0\n}\n`)];
    case 'stack_addr':
      return [k(`stack_addr ${t}`, `function %t() -> ${t} {\n    ss0 = explicit_slot 16\nblock0:\n    v0 = stack_addr.${t} ss0+4\n    return v0\n}\n`)];
    case 'dynamic_stack_addr':
    case 'dynamic_stack_load':
    case 'dynamic_stack_store': {
      const pre = `    gv0 = vmctx\n    gv1 = load.i64 notrap aligned gv0\n    dt0 = i32x4*gv1\n    dss0 = explicit_dynamic_slot dt0\n`;
      if (name === 'dynamic_stack_addr') return [k(`${name} ${t}`, `function %t(i64 vmctx) -> ${t} {\n${pre}block0(v0: i64):\n    v1 = dynamic_stack_addr.${t} dss0\n    return v1\n}\n`)];
      if (name === 'dynamic_stack_load') return [k(`${name} ${t}`, `function %t(i64 vmctx) -> ${t} {\n${pre}block0(v0: i64):\n    v1 = dynamic_stack_load.${t} dss0\n    return v1\n}\n`)];
      return [k(`${name} ${t}`, `function %t(i64 vmctx, ${t}) {\n${pre}block0(v0: i64, v1: ${t}):\n    dynamic_stack_store v1, dss0\n    return\n}\n`)];
    }
    case 'global_value':
      return [k(`global_value ${t}`, `function %t(i64 vmctx) -> ${t} {\n    gv0 = vmctx\n    gv1 = load.${t} notrap aligned gv0+8\nblock0(v0: i64):\n    v1 = global_value.${t} gv1\n    return v1\n}\n`)];
    case 'symbol_value':
      return [k(`symbol_value ${t}`, `function %t() -> ${t} {\n    gv0 = symbol %sym\nblock0:\n    v0 = symbol_value.${t} gv0\n    return v0\n}\n`)];
    case 'tls_value':
      return [k(`tls_value ${t}`, `function %t() -> ${t} {\n    gv0 = symbol colocated tls %sym\nblock0:\n    v0 = tls_value.${t} gv0\n    return v0\n}\n`, TLS_FLAGS)];
    case 'get_pinned_reg':
      return [k(`get_pinned_reg ${t}`, `function %t() -> ${t} {\nblock0:\n    v0 = get_pinned_reg.${t}\n    return v0\n}\n`, PINNED_FLAGS)];
    case 'set_pinned_reg':
      return [k(`set_pinned_reg ${t}`, `function %t(${t}) {\nblock0(v0: ${t}):\n    set_pinned_reg v0\n    return\n}\n`, PINNED_FLAGS)];
    default:
      return undefined;
  }
}

/** The operand types to try for each value operand: exact ones, or every universe type of a free set. */
function operandChoices(op: Opcode, ctrl: Type): Type[][] | undefined {
  const choices: Type[][] = [];
  for (let i = 0; i < numFixedOperands(op); i++) {
    const c = operandConstraint(op, i, ctrl);
    if (isFreeConstraint(c)) {
      let set = inUniverse(constraintTypeSet(c));
      // Conversions work lane by lane: the source has the result's lane count.
      if (LANEWISE.has(opcodeName(op))) set = set.filter((t) => laneCount(t) === laneCount(ctrl));
      choices.push(set);
    }
    else {
      const t = constraintType(c);
      if (t === INVALID) return undefined;
      choices.push([t]);
    }
  }
  return choices;
}

const LANEWISE = new Set(['fcvt_to_uint', 'fcvt_to_sint', 'fcvt_to_uint_sat', 'fcvt_to_sint_sat', 'x86_cvtt2dq', 'fcvt_from_uint', 'fcvt_from_sint']);

function product(choices: readonly Type[][]): Type[][] {
  let out: Type[][] = [[]];
  for (const c of choices) out = out.flatMap((p) => c.map((t) => [...p, t]));
  return out;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const op of ALL_OPCODES) {
    const ctrls: (Type | undefined)[] = isPolymorphic(op) ? UNIVERSE.filter((t) => ctrlTypeAllowed(op, t)) : [undefined];
    for (const ctrl of ctrls) {
      const sp = special(op, ctrl);
      if (sp) {
        out.push(...sp);
        continue;
      }
      const choices = operandChoices(op, ctrl ?? INVALID);
      if (!choices) continue;
      for (const operands of product(choices)) {
        const b = body(op, ctrl, operands);
        if (!b) throw new Error(`no template for ${opcodeName(op)}`);
        if (b.results.some((r) => r === INVALID)) continue;
        const free = operands.filter((_, i) => isFreeConstraint(operandConstraint(op, i, ctrl ?? INVALID))).map(typeName);
        const key = `${opcodeName(op)}${ctrl !== undefined ? ` ${typeName(ctrl)}` : ''}${free.length ? `<-${free.join(',')}` : ''}`;
        const resVals = b.results.map((_, i) => `v${b.params.length + i}`);
        const lhs = resVals.length ? `${resVals.join(', ')} = ` : '';
        const isTerminator = opcodeName(op) === 'trap';
        const lines = `    ${lhs}${b.line}\n${isTerminator ? '' : `    return ${resVals.join(', ')}\n`}`;
        out.push({ key, text: fn(b.params, b.results, '', lines), flags: BASE_FLAGS });
      }
    }
  }
  return out;
}

interface Outcome {
  key: string;
  kind: 'ok' | 'invalid' | 'unsupported' | 'crash';
  message: string;
}

function run(c: Case): Outcome {
  let func;
  try {
    func = parseFunctions(c.text)[0];
  } catch (e) {
    return { key: c.key, kind: 'invalid', message: (e as Error).message };
  }
  if (verifyFunction(func).length > 0) return { key: c.key, kind: 'invalid', message: 'verifier' };
  try {
    compile(func, { flags: c.flags, isa: [{ name: 'has_fp16', value: undefined }] });
    return { key: c.key, kind: 'ok', message: '' };
  } catch (e) {
    // The target's verifier (pointer width) rejects what plain CLIF allows.
    if (e instanceof CodegenError && e.kind === 'verifier') return { key: c.key, kind: 'invalid', message: e.message };
    if (e instanceof CodegenError && e.kind === 'unsupported') return { key: c.key, kind: 'unsupported', message: e.message };
    return { key: c.key, kind: 'crash', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

describe('opcode × type coverage', () => {
  const outcomes = cases().map(run);

  it('enumerates every opcode', () => {
    const seen = new Set(outcomes.filter((o) => o.kind !== 'invalid').map((o) => o.key.split(/[ <]/)[0]));
    const missing = ALL_OPCODES.map(opcodeName).filter((n) => !seen.has(n));
    expect(missing).toEqual(NOT_ENUMERATED);
  });

  it('fails with the typed error only, never a crash', () => {
    expect(outcomes.filter((o) => o.kind === 'crash').map((o) => `${o.key}: ${o.message}`)).toEqual([]);
  });

  it('fails exactly on the allow-listed combinations', () => {
    const failing = outcomes.filter((o) => o.kind === 'unsupported').map((o) => o.key).sort();
    const allowed = ALLOWED.flatMap(([op, keys]) => keys.map((k) => (k === '' ? op : `${op} ${k}`))).sort();
    if (process.env.CLIFT_COVERAGE_DUMP) console.log(outcomes.filter((o) => o.kind === 'unsupported').map((o) => `${o.key}\t${o.message}`).join('\n'));
    expect(failing).toEqual(allowed);
  });
});

/** Opcodes with no combination in the universe that CLIF accepts (extract_vector takes dynamic vectors only). */
const NOT_ENUMERATED: readonly string[] = ['extract_vector'];
