// Tests of the generated ISLE declarations: exact shapes of a sample of
// terms against upstream's `clif_lower.isle`/`clif_opt.isle`, coverage of
// every opcode and format, and the real check — the text, with a minimal
// prelude and sample rules in upstream's style, compiles with @clift/isle,
// and the TypeScript it produces type-checks and matches as the rules say.
//
// The preludes below are the smallest sets of types and helper terms the
// generated text needs (see `clifIsleDefinitions`); the backend's and the
// mid-end's real preludes provide the same names.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileSources } from '@clift/isle';
import type { CompileResult } from '@clift/isle';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { FORMATS, formatInfo } from './formats.js';
import { clifIsleDefinitions } from './isle-terms.js';
import {
  ALL_OPCODES,
  canTrap,
  numFixedResults,
  opcodeFormat,
  opcodeName,
  opcodePascalName,
  opcodeSpec,
  otherSideEffects,
} from './opcodes.js';

// ---------------------------------------------------------------------------
// Preludes and sample rules

const COMMON_PRELUDE = `
(type Value (primitive Value))
(type Inst (primitive Inst))
(type Type (primitive Type))
(type BlockCall (primitive BlockCall))
(type ValueList (primitive ValueList))
(type ValueSlice (primitive ValueSlice))
`;

const LOWER_PRELUDE = `${COMMON_PRELUDE}
(decl inst_data_value (InstructionData) Inst)
(extern extractor infallible inst_data_value inst_data_value)
(decl value_list_slice (ValueSlice) ValueList)
(extern extractor infallible value_list_slice value_list_slice)
(decl value_slice_unwrap (Value ValueSlice) ValueSlice)
(extern extractor value_slice_unwrap value_slice_unwrap)
(decl unwrap_head_value_list_1 (Value ValueSlice) ValueList)
(extractor (unwrap_head_value_list_1 head tail)
           (value_list_slice (value_slice_unwrap head tail)))
`;

// The mid-end terms need nothing beyond the primitive types: they match
// and build through the accessors and constructor externs declared with them.
const OPT_PRELUDE = COMMON_PRELUDE;

/** Lowering rules in the style of upstream's aarch64 lower.isle. */
const LOWER_RULES = `
(type Reg (primitive Reg))
(type Out (primitive Out))

(decl def_inst (Inst) Value)
(extern extractor def_inst def_inst)
(convert Inst Value def_inst)
(decl first_result (Value) Inst)
(extern extractor first_result first_result)
(decl value_type (Type) Value)
(extern extractor infallible value_type value_type)
(decl has_type (Type Inst) Inst)
(extractor (has_type ty inst) (and (first_result (value_type ty)) inst))
(decl u64_from_imm64 (u64) Imm64)
(extern extractor infallible u64_from_imm64 u64_from_imm64)
(decl put_in_reg (Value) Reg)
(extern constructor put_in_reg put_in_reg)

(decl alu_add (Type Reg Reg) Out)
(extern constructor alu_add alu_add)
(decl alu_add_imm (Type Reg u64) Out)
(extern constructor alu_add_imm alu_add_imm)
(decl csel (IntCC Reg Reg Reg Reg) Out)
(extern constructor csel csel)
(decl load_op (Type MemFlags Reg Offset32) Out)
(extern constructor load_op load_op)
(decl cond_br (Reg BlockCall BlockCall) Out)
(extern constructor cond_br cond_br)
(decl call_op (FuncRef ValueSlice) Out)
(extern constructor call_op call_op)
(decl trap_op (TrapCode) Out)
(extern constructor trap_op trap_op)

(decl partial lower (Inst) Out)
;; Register + register.
(rule lower_iadd (lower (has_type ty (iadd x y)))
      (alu_add ty (put_in_reg x) (put_in_reg y)))
;; Register + constant: the constant's instruction is matched through a Value.
(rule lower_iadd_imm 1 (lower (has_type ty (iadd x (iconst (u64_from_imm64 k)))))
      (alu_add_imm ty (put_in_reg x) k))
;; A select on a comparison becomes one conditional select.
(rule lower_select_icmp (lower (select (icmp cc a b) x y))
      (csel cc (put_in_reg a) (put_in_reg b) (put_in_reg x) (put_in_reg y)))
(rule lower_load (lower (has_type ty (load flags p off)))
      (load_op ty flags (put_in_reg p) off))
(rule lower_brif (lower (brif c then else))
      (cond_br (put_in_reg c) then else))
(rule lower_call (lower (call fn args)) (call_op fn args))
(rule lower_trap (lower (trap code)) (trap_op code))
`;

/** Mid-end rules in the style of upstream's opts/*.isle. */
const OPT_RULES = `
(decl u64_from_imm64 (u64) Imm64)
(extern extractor infallible u64_from_imm64 u64_from_imm64)
(decl imm64 (u64) Imm64)
(extern constructor imm64 imm64)
(decl subsume (Value) Value)
(extern constructor subsume subsume)

(decl multi simplify (Value) Value)
;; x + 0 => x
(rule iadd_zero (simplify (iadd ty x (iconst ty (u64_from_imm64 0)))) (subsume x))
;; x * 1 => x
(rule imul_one (simplify (imul ty x (iconst ty (u64_from_imm64 1)))) (subsume x))
;; x - x => 0
(rule isub_self (simplify (isub ty x x)) (subsume (iconst ty (imm64 0))))
;; (x == x) => 1
(rule icmp_eq_self (simplify (icmp ty (IntCC.Equal) x x)) (subsume (iconst ty (imm64 1))))

(decl partial simplify_skeleton (Inst) Inst)
;; A conditional trap on zero that always fires is a trap.
(rule (simplify_skeleton (trapz (iconst _ (u64_from_imm64 0)) code)) (trap code))
;; A branch on a constant zero is a jump.
(rule (simplify_skeleton (brif (iconst _ (u64_from_imm64 0)) _ else)) (jump else))
`;

const NUMBER_PRIMITIVES = {
  Value: 'number',
  Inst: 'number',
  Type: 'number',
  BlockCall: 'number',
  Imm64: 'bigint',
  Reg: 'number',
};

function compile(flavor: 'lower' | 'opt', rules: string): CompileResult {
  return compileSources(
    [
      { name: `prelude_${flavor}.isle`, text: flavor === 'lower' ? LOWER_PRELUDE : OPT_PRELUDE },
      { name: `clif_${flavor}.isle`, text: clifIsleDefinitions(flavor) },
      { name: `rules_${flavor}.isle`, text: rules },
    ],
    { primitives: NUMBER_PRIMITIVES },
  );
}

// ---------------------------------------------------------------------------
// Text helpers

/** The `(decl NAME ...)` line of a term, or undefined. */
function declOf(text: string, name: string): string | undefined {
  return text.split('\n').find((l) => l.startsWith(`(decl ${name} (`));
}

/** The whole definition block (decl through the blank line) of a term. */
function blockOf(text: string, name: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`(decl ${name} (`));
  expect(start, `no decl for ${name}`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start, end).join('\n');
}

const LOWER = clifIsleDefinitions('lower');
const OPT = clifIsleDefinitions('opt');

// ---------------------------------------------------------------------------

describe('clifIsleDefinitions: shapes', () => {
  it('is deterministic', () => {
    expect(clifIsleDefinitions('lower')).toBe(LOWER);
    expect(clifIsleDefinitions('opt')).toBe(OPT);
  });

  it('declares lowering extractors over Inst as upstream does', () => {
    expect(blockOf(LOWER, 'iadd')).toBe(
      [
        '(decl iadd (Value Value) Inst)',
        '(extractor (iadd x y)',
        '    (and (clif_opcode (Opcode.Iadd)) (clif_value_0 x) (clif_value_1 y)))',
      ].join('\n'),
    );
    expect(declOf(LOWER, 'iconst')).toBe('(decl iconst (Imm64) Inst)');
    expect(declOf(LOWER, 'icmp')).toBe('(decl icmp (IntCC Value Value) Inst)');
    expect(declOf(LOWER, 'load')).toBe('(decl load (MemFlags Value Offset32) Inst)');
    expect(declOf(LOWER, 'store')).toBe('(decl store (MemFlags Value Value Offset32) Inst)');
    expect(declOf(LOWER, 'select')).toBe('(decl select (Value Value Value) Inst)');
    expect(declOf(LOWER, 'brif')).toBe('(decl brif (Value BlockCall BlockCall) Inst)');
    expect(declOf(LOWER, 'jump')).toBe('(decl jump (BlockCall) Inst)');
    expect(declOf(LOWER, 'br_table')).toBe('(decl br_table (Value JumpTable) Inst)');
    expect(declOf(LOWER, 'call')).toBe('(decl call (FuncRef ValueSlice) Inst)');
    expect(declOf(LOWER, 'call_indirect')).toBe('(decl call_indirect (SigRef Value ValueSlice) Inst)');
    expect(declOf(LOWER, 'return')).toBe('(decl return (ValueSlice) Inst)');
    expect(declOf(LOWER, 'atomic_rmw')).toBe('(decl atomic_rmw (MemFlags AtomicRmwOp Value Value) Inst)');
    expect(declOf(LOWER, 'insertlane')).toBe('(decl insertlane (Value Value Uimm8) Inst)');
    expect(declOf(LOWER, 'f32const')).toBe('(decl f32const (Ieee32) Inst)');
    expect(declOf(LOWER, 'debugtrap')).toBe('(decl debugtrap () Inst)');
    expect(blockOf(LOWER, 'call_indirect')).toContain(
      '(and (clif_opcode (Opcode.CallIndirect)) (clif_value_0 callee) (clif_value_list_1 args) (clif_sig_ref SIG))',
    );
    expect(blockOf(LOWER, 'brif')).toContain(
      '(and (clif_opcode (Opcode.Brif)) (clif_value_0 c) (clif_block_call_0 block_then) (clif_block_call_1 block_else))',
    );
    expect(blockOf(LOWER, 'load')).toContain('(clif_value_0 p) (clif_memflags MemFlags) (clif_offset32 Offset)');
    // Every accessor the extractors use is declared as an infallible extern extractor.
    const used = new Set(LOWER.match(/\(clif_\w+/g)?.map((m) => m.slice(1)));
    for (const a of used) {
      expect(LOWER, a).toContain(`(extern extractor infallible ${a} ${a})`);
    }
  });

  it('declares mid-end terms over Value (pure) or Inst (skeleton) as upstream does', () => {
    expect(blockOf(OPT, 'iadd')).toBe(
      [
        '(decl iadd (Type Value Value) Value)',
        '(extractor (iadd ty x y)',
        '    (clif_node (and (clif_opcode (Opcode.Iadd)) (clif_result_type ty) (clif_value_0 x) (clif_value_1 y))))',
        '(rule (iadd ty x y)',
        '    (make_inst_binary ty (Opcode.Iadd) x y))',
      ].join('\n'),
    );
    expect(declOf(OPT, 'iconst')).toBe('(decl iconst (Type Imm64) Value)');
    expect(declOf(OPT, 'icmp')).toBe('(decl icmp (Type IntCC Value Value) Value)');
    expect(declOf(OPT, 'select')).toBe('(decl select (Type Value Value Value) Value)');
    expect(declOf(OPT, 'uextend')).toBe('(decl uextend (Type Value) Value)');
    // Trapping or other side effects, or not exactly one result: skeleton instructions.
    expect(declOf(OPT, 'udiv')).toBe('(decl udiv (Value Value) Inst)');
    expect(declOf(OPT, 'trapz')).toBe('(decl trapz (Value TrapCode) Inst)');
    expect(declOf(OPT, 'store')).toBe('(decl store (MemFlags Value Value Offset32) Inst)');
    expect(declOf(OPT, 'iadd_cout')).toBeUndefined(); // not an opcode any more
    expect(declOf(OPT, 'uadd_overflow')).toBe('(decl uadd_overflow (Value Value) Inst)');
    // Constructors take the operands in the format's field order (values,
    // branch targets, immediates), whatever the opcode's operand order.
    expect(blockOf(OPT, 'icmp')).toContain('(make_inst_int_compare ty (Opcode.Icmp) x y Cond)');
    expect(blockOf(OPT, 'store')).toContain(
      '(and (clif_opcode (Opcode.Store)) (clif_value_0 x) (clif_value_1 p) (clif_memflags MemFlags) (clif_offset32 Offset))',
    );
    expect(blockOf(OPT, 'store')).toContain('(make_skeleton_inst_store (Opcode.Store) x p MemFlags Offset)');
    expect(blockOf(OPT, 'brif')).toContain('(make_skeleton_inst_brif (Opcode.Brif) c block_then block_else)');
    expect(OPT).toContain('(decl make_inst_int_compare (Type Opcode Value Value IntCC) Value)');
    expect(OPT).toContain('(decl make_skeleton_inst_cond_trap (Opcode Value TrapCode) Inst)');
    // E-class iteration: one match per node, no InstructionData anywhere in a term.
    expect(OPT).toContain('(decl multi clif_node (Inst) Value)\n(extern extractor clif_node clif_node)');
    expect(OPT).toContain('(decl clif_result_type (Type) Inst)\n(extern extractor infallible clif_result_type clif_result_type)');
    const code = OPT.split('\n').filter((l) => !l.startsWith(';;')).join('\n');
    expect(code).not.toMatch(/inst_data|make_inst |make_skeleton_inst |value_array_\d_ctor|InstructionData\.\w/);
    // Variadic instructions get no mid-end terms, nor accessors for their variable operands.
    expect(declOf(OPT, 'call')).toBeUndefined();
    expect(declOf(OPT, 'return')).toBeUndefined();
    expect(OPT).not.toContain('clif_value_list');
    // Every accessor and constructor the terms use is declared as an extern.
    for (const a of new Set(OPT.match(/\(clif_\w+/g)?.map((m) => m.slice(1)))) {
      if (a === 'clif_node') continue;
      expect(OPT, a).toContain(`(extern extractor infallible ${a} ${a})`);
    }
    for (const m of new Set(OPT.match(/\((make_(skeleton_)?inst_\w+) /g)?.map((x) => x.slice(1, -1)))) {
      expect(OPT, m).toContain(`(extern constructor ${m} ${m})`);
    }
  });

  it('declares one term per opcode with its operands, in both flavors', () => {
    for (const op of ALL_OPCODES) {
      const spec = opcodeSpec(op);
      const types = spec.operands.map((o) => o.isleType);
      expect(declOf(LOWER, spec.name), spec.name).toBe(`(decl ${spec.name} (${types.join(' ')}) Inst)`);
      const opt = declOf(OPT, spec.name);
      if (spec.varargs) {
        expect(opt, spec.name).toBeUndefined();
      } else if (numFixedResults(op) === 1 && !canTrap(op) && !otherSideEffects(op)) {
        expect(opt, spec.name).toBe(`(decl ${spec.name} (${['Type', ...types].join(' ')}) Value)`);
      } else {
        expect(opt, spec.name).toBe(`(decl ${spec.name} (${types.join(' ')}) Inst)`);
      }
      expect(blockOf(LOWER, spec.name)).toContain(`(and (clif_opcode (Opcode.${opcodePascalName(op)}))`);
      if (opt !== undefined) {
        const pure = opt.endsWith(' Value)');
        const format = formatInfo(opcodeFormat(op)).name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
        const block = blockOf(OPT, spec.name);
        expect(block).toContain(`${pure ? '(clif_node (and ' : '(and '}(clif_opcode (Opcode.${opcodePascalName(op)}))`);
        expect(block).toContain(
          pure
            ? `(make_inst_${format} ty (Opcode.${opcodePascalName(op)})`
            : `(make_skeleton_inst_${format} (Opcode.${opcodePascalName(op)})`,
        );
      }
    }
  });

  it('lists every opcode in the Opcode enum, in the table order', () => {
    const m = /\(type Opcode extern\n {4}\(enum\n([\s\S]*?)\n {4}\)\n\)/.exec(LOWER);
    expect(m).not.toBeNull();
    const variants = (m?.[1] ?? '').split('\n').map((l) => l.trim());
    expect(variants).toEqual(ALL_OPCODES.map(opcodePascalName));
    expect(variants).toContain('SelectSpectreGuard');
  });

  it('declares one InstructionData variant per format with upstream field names', () => {
    const m = /\(type InstructionData extern\n {4}\(enum\n([\s\S]*?)\n {4}\)\n\)/.exec(LOWER);
    const variants = (m?.[1] ?? '').split('\n').map((l) => l.trim());
    expect(variants.map((v) => /^\((\w+)/.exec(v)?.[1])).toEqual(FORMATS.map((f) => f.name));
    const expected = [
      '(Unary (opcode Opcode) (arg Value))',
      '(UnaryImm (opcode Opcode) (imm Imm64))',
      '(UnaryConst (opcode Opcode) (constant_handle Constant))',
      '(Binary (opcode Opcode) (args ValueArray2))',
      '(Ternary (opcode Opcode) (args ValueArray3))',
      '(TernaryImm8 (opcode Opcode) (args ValueArray2) (imm Uimm8))',
      '(MultiAry (opcode Opcode) (args ValueList))',
      '(NullAry (opcode Opcode))',
      '(Shuffle (opcode Opcode) (args ValueArray2) (imm Immediate))',
      '(IntCompare (opcode Opcode) (args ValueArray2) (cond IntCC))',
      '(IntCompareImm (opcode Opcode) (arg Value) (cond IntCC) (imm Imm64))',
      '(Jump (opcode Opcode) (destination BlockCall))',
      '(Brif (opcode Opcode) (arg Value) (blocks BlockArray2))',
      '(BranchTable (opcode Opcode) (arg Value) (table JumpTable))',
      '(CallIndirect (opcode Opcode) (args ValueList) (sig_ref SigRef))',
      '(TryCall (opcode Opcode) (args ValueList) (func_ref FuncRef) (exception ExceptionTable))',
      '(Load (opcode Opcode) (arg Value) (flags MemFlags) (offset Offset32))',
      '(Store (opcode Opcode) (args ValueArray2) (flags MemFlags) (offset Offset32))',
      '(StackStore (opcode Opcode) (arg Value) (stack_slot StackSlot) (offset Offset32))',
      '(AtomicRmw (opcode Opcode) (args ValueArray2) (flags MemFlags) (op AtomicRmwOp))',
      '(AtomicCas (opcode Opcode) (args ValueArray3) (flags MemFlags))',
      '(CondTrap (opcode Opcode) (arg Value) (code TrapCode))',
      '(ExceptionHandlerAddress (opcode Opcode) (block Block) (imm Imm64))',
    ];
    for (const v of expected) expect(variants).toContain(v);
  });

  it('declares the immediate types, enums and value/block arrays', () => {
    for (const t of ['Imm64', 'Uimm8', 'Ieee16', 'Ieee32', 'Ieee64', 'MemFlags', 'Offset32', 'JumpTable', 'Constant']) {
      expect(LOWER).toContain(`(type ${t} (primitive ${t}))`);
    }
    expect(LOWER).toMatch(/\(type IntCC extern\n {4}\(enum\n {8}Equal\n {8}NotEqual\n {8}SignedGreaterThan\n/);
    expect(LOWER).toMatch(/\(type TrapCode extern\n {4}\(enum\n {8}BAD_CONVERSION_TO_INTEGER\n/);
    expect(LOWER).toContain('(decl value_array_2 (Value Value) ValueArray2)');
    expect(LOWER).toContain('(decl value_array_3 (Value Value Value) ValueArray3)');
    expect(LOWER).toContain('(decl block_array_2 (BlockCall BlockCall) BlockArray2)');
    expect(LOWER).not.toContain('ValueArray1');
  });
});

// ---------------------------------------------------------------------------

describe('clifIsleDefinitions: compiled with @clift/isle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'clift-isle-terms-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes the generated module, type-checks it strictly, and imports it. */
  async function load(name: string, result: CompileResult): Promise<Record<string, unknown>> {
    expect(result.format()).toBe('');
    expect(result.code).toBeDefined();
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, result.code ?? '');
    const program = ts.createProgram([file], {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts'],
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noImplicitReturns: true,
      skipLibCheck: true,
      types: [],
    });
    const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diags).toEqual([]);
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  }

  it('accepts the lowering declarations alone and the opt declarations alone', () => {
    for (const flavor of ['lower', 'opt'] as const) {
      const r = compile(flavor, '');
      expect(r.format(), flavor).toBe('');
      expect(r.ok).toBe(true);
    }
  });

  it('rejects rules that misuse a generated term', () => {
    // Lowering terms take no type; mid-end terms do.
    expect(compile('lower', '(decl partial f (Inst) Inst)\n(rule (f (iadd ty x y)) x)').ok).toBe(false);
    expect(compile('opt', '(decl partial f (Value) Value)\n(rule (f (iadd x y)) x)').ok).toBe(false);
    // Unknown opcode variant.
    expect(compile('opt', '(decl f (Opcode) u8)\n(rule (f (Opcode.IaddImm)) 1)').ok).toBe(false);
  });

  it('type-checks and runs a lowering rule set', async () => {
    const mod = await load('lower', compile('lower', LOWER_RULES));
    const Opcode = mod.Opcode as Record<string, number>;
    const IntCCTags = mod.IntCC as Record<string, number>;
    const lower = mod.constructor_lower as (ctx: unknown, inst: number) => unknown;

    // A tiny function: inst i defines value i; v10/v11 are block parameters.
    // Each instruction is its fields, read one at a time by the accessors.
    interface Fields {
      opcode: number;
      values?: number[];
      list?: number[];
      blocks?: number[];
      imm?: bigint;
      cond?: number;
      funcRef?: number;
    }
    const I64 = 0x77;
    const insts = new Map<number, Fields>([
      [1, { opcode: Opcode.Iconst, imm: 5n }],
      [2, { opcode: Opcode.Iadd, values: [10, 1] }],
      [3, { opcode: Opcode.Iadd, values: [10, 11] }],
      [4, { opcode: Opcode.Icmp, values: [10, 11], cond: IntCCTags.UnsignedLessThan }],
      [5, { opcode: Opcode.Select, values: [4, 10, 11] }],
      [6, { opcode: Opcode.Brif, values: [10], blocks: [100, 200] }],
      [7, { opcode: Opcode.Call, list: [10, 11], funcRef: 3 }],
      [8, { opcode: Opcode.Fma, values: [10, 11, 10] }],
    ]);
    const at = (i: number): Fields => {
      const f = insts.get(i);
      if (f === undefined) throw new Error(`no inst ${i}`);
      return f;
    };
    const reads: string[] = [];
    const ctx = {
      clif_opcode: (i: number) => at(i).opcode,
      clif_value_0: (i: number) => at(i).values?.[0],
      clif_value_1: (i: number) => at(i).values?.[1],
      clif_value_2: (i: number) => at(i).values?.[2],
      clif_value_list_0: (i: number) => at(i).list,
      clif_block_call_0: (i: number) => at(i).blocks?.[0],
      clif_block_call_1: (i: number) => at(i).blocks?.[1],
      clif_imm64: (i: number) => at(i).imm,
      clif_intcc: (i: number) => at(i).cond,
      clif_func_ref: (i: number) => at(i).funcRef,
      def_inst: (v: number) => (insts.has(v) ? v : undefined),
      first_result: (i: number) => (i === 6 || i === 7 ? undefined : i),
      value_type: () => I64,
      u64_from_imm64: (imm: bigint) => imm,
      put_in_reg: (v: number) => 1000 + v,
      alu_add: (ty: number, a: number, b: number) => ['add', ty, a, b],
      alu_add_imm: (ty: number, a: number, k: bigint) => ['add_imm', ty, a, k],
      csel: (cc: number, a: number, b: number, x: number, y: number) => ['csel', cc, a, b, x, y],
      load_op: () => ['load'],
      cond_br: (c: number, t: number, e: number) => ['cbr', c, t, e],
      call_op: (f: number, args: readonly number[]) => ['call', f, args],
      trap_op: (code: number) => ['trap', code],
    };
    // Log every accessor call: matching reads fields, it never needs more.
    const logged = new Proxy(ctx, {
      get(target, key: string) {
        const f = (target as Record<string, unknown>)[key];
        if (typeof f !== 'function' || !key.startsWith('clif_')) return f;
        return (...a: unknown[]) => {
          reads.push(key);
          return (f as (...x: unknown[]) => unknown)(...a);
        };
      },
    });
    expect(lower(logged, 2)).toEqual(['add_imm', I64, 1010, 5n]);
    reads.length = 0;
    expect(lower(logged, 3)).toEqual(['add', I64, 1010, 1011]);
    // One switch on the opcode; each operand read once (v11 is a block
    // parameter, so no instruction of its is examined).
    expect(reads.filter((r) => r === 'clif_opcode')).toEqual(['clif_opcode']);
    expect(reads.filter((r) => r === 'clif_value_1')).toEqual(['clif_value_1']);
    expect(lower(logged, 5)).toEqual(['csel', IntCCTags.UnsignedLessThan, 1010, 1011, 1010, 1011]);
    expect(lower(logged, 6)).toEqual(['cbr', 1010, 100, 200]);
    expect(lower(logged, 7)).toEqual(['call', 3, [10, 11]]);
    expect(lower(logged, 8)).toBeUndefined(); // no rule for fma
  });

  it('type-checks and runs a mid-end rule set', async () => {
    const mod = await load('opt', compile('opt', OPT_RULES));
    const Opcode = mod.Opcode as Record<string, number>;
    const IntCCTags = mod.IntCC as Record<string, number>;
    const TrapTags = mod.TrapCode as Record<string, number>;
    const simplify = mod.constructor_simplify as (ctx: unknown, v: number) => number[];
    const simplifySkeleton = mod.constructor_simplify_skeleton as (ctx: unknown, i: number) => number | undefined;

    // Instructions are their fields, read one at a time by the accessors.
    // E-classes (values) list their nodes' instructions; 10 and 11 are
    // parameters (no nodes). Class 8 has two nodes.
    interface Fields {
      opcode: number;
      type?: number;
      values?: number[];
      blocks?: number[];
      imm?: bigint;
      cond?: number;
      code?: number;
    }
    const I32 = 0x76;
    const I8 = 0x74;
    const insts = new Map<number, Fields>([
      [1, { opcode: Opcode.Iconst, type: I32, imm: 0n }],
      [2, { opcode: Opcode.Iconst, type: I32, imm: 1n }],
      [3, { opcode: Opcode.Iadd, type: I32, values: [10, 1] }],
      [4, { opcode: Opcode.Imul, type: I32, values: [11, 2] }],
      [5, { opcode: Opcode.Isub, type: I32, values: [10, 10] }],
      [6, { opcode: Opcode.Icmp, type: I8, values: [11, 11], cond: IntCCTags.Equal }],
      [7, { opcode: Opcode.Iadd, type: I32, values: [10, 2] }],
      [20, { opcode: Opcode.Trapz, values: [1], code: TrapTags.INTEGER_OVERFLOW }],
      [21, { opcode: Opcode.Brif, values: [1], blocks: [100, 200] }],
      [22, { opcode: Opcode.Trapz, values: [2], code: TrapTags.INTEGER_OVERFLOW }],
    ]);
    const classes = new Map<number, number[]>([
      [1, [1]],
      [2, [2]],
      [3, [3]],
      [4, [4]],
      [5, [5]],
      [6, [6]],
      [7, [7]],
      [8, [7, 4]],
    ]);
    const at = (i: number): Fields => {
      const f = insts.get(i);
      if (f === undefined) throw new Error(`no inst ${i}`);
      return f;
    };
    const made: unknown[][] = [];
    const reads: string[] = [];
    const ctx = {
      clif_node: (v: number) => classes.get(v) ?? [],
      clif_result_type: (i: number) => at(i).type,
      clif_opcode: (i: number) => at(i).opcode,
      clif_value_0: (i: number) => at(i).values?.[0],
      clif_value_1: (i: number) => at(i).values?.[1],
      clif_block_call_0: (i: number) => at(i).blocks?.[0],
      clif_block_call_1: (i: number) => at(i).blocks?.[1],
      clif_imm64: (i: number) => at(i).imm,
      clif_intcc: (i: number) => at(i).cond,
      clif_trapcode: (i: number) => at(i).code,
      make_inst_unary_imm: (ty: number, op: number, imm: bigint) => made.push(['unary_imm', ty, op, imm]) + 100,
      make_skeleton_inst_trap: (op: number, code: number) => made.push(['trap', op, code]) + 200,
      make_skeleton_inst_jump: (op: number, dest: number) => made.push(['jump', op, dest]) + 200,
      u64_from_imm64: (imm: bigint) => imm,
      imm64: (k: bigint) => k,
      subsume: (v: number) => v,
    };
    // Log every accessor call: matching reads fields, it never needs more.
    const logged = new Proxy(ctx, {
      get(target, key: string) {
        const f = (target as Record<string, unknown>)[key];
        if (typeof f !== 'function' || !key.startsWith('clif_')) return f;
        return (...a: unknown[]) => {
          reads.push(key);
          return (f as (...x: unknown[]) => unknown)(...a);
        };
      },
    });
    expect(simplify(logged, 3)).toEqual([10]);
    expect(simplify(logged, 4)).toEqual([11]);
    reads.length = 0;
    expect(simplify(logged, 7)).toEqual([]);
    // One opcode read per node examined: the iadd, then its constant operand.
    expect(reads.filter((r) => r === 'clif_opcode')).toEqual(['clif_opcode', 'clif_opcode']);
    // Every node of a class is tried: the iadd fails, the imul matches.
    expect(simplify(logged, 8)).toEqual([11]);
    expect(simplify(logged, 5)).toEqual([101]);
    expect(made[0]).toEqual(['unary_imm', I32, Opcode.Iconst, 0n]);
    expect(simplify(logged, 6)).toEqual([102]);
    expect(made[1]).toEqual(['unary_imm', I8, Opcode.Iconst, 1n]);
    expect(simplify(logged, 10)).toEqual([]);

    expect(simplifySkeleton(logged, 20)).toBe(203);
    expect(made[2]).toEqual(['trap', Opcode.Trap, TrapTags.INTEGER_OVERFLOW]);
    expect(simplifySkeleton(logged, 21)).toBe(204);
    expect(made[3]).toEqual(['jump', Opcode.Jump, 200]);
    expect(simplifySkeleton(logged, 22)).toBeUndefined();
  });
});

describe('clifIsleDefinitions: table consistency', () => {
  it('every opcode has distinct operand names, none named ty', () => {
    for (const op of ALL_OPCODES) {
      const names = opcodeSpec(op).operands.map((o) => o.name);
      expect(new Set(names).size, opcodeName(op)).toBe(names.length);
      expect(names, opcodeName(op)).not.toContain('ty');
    }
  });
});
