// The rules' view of the e-graph (the generated matcher's Context, in
// src/egraph.ts) against the IR the reader builds: every field accessor
// reads what the reader stored, every per-format constructor rebuilds an
// instruction equal to the one it read (same opcode, types, immediate
// encoding and operands), and `clif_node` yields each node of a class once.
// The generated matchers use node lists only in the way the shared
// one-node list of `clif_node` allows (one `for … of` right after the call).

import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { AtomicRmwOp, InstructionFormat, NONE, Opcode, opcodeFormat, type Function, type Inst, type Type, type Value } from '@clift/ir';
import { parseTestFile } from '@clift/reader';
import { EGraph, OptimizerError, sameNode } from '../src/egraph.js';

const TEXT = `
function %all_formats(i64, i32, f32, f64, i32x4, i8x16, i64) -> i64 {
    ss0 = explicit_slot 16
    gv0 = symbol %sym
    fn0 = %callee(i64) -> i64

block0(v0: i64, v1: i32, v2: f32, v3: f64, v4: i32x4, v5: i8x16, v6: i64):
    v10 = ineg v1
    v11 = iconst.i32 7
    v12 = f16const 0x1.8p1
    v13 = f32const -0x1.5p3
    v14 = f64const 0x1.0p-3
    v15 = vconst.i32x4 [1 2 3 4]
    v16 = symbol_value.i64 gv0
    v17 = iadd v0, v6
    v18 = extractlane v4, 2
    v19 = bitselect v0, v6, v0
    v20 = insertlane v4, v1, 3
    v21 = get_frame_pointer.i64
    v22 = shuffle v5, v5, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15]
    v23 = icmp ult v0, v6
    v24 = fcmp lt v3, v3
    v25 = func_addr.i64 fn0
    v26 = load.i32 notrap aligned readonly v0+12
    v27 = bitcast.i32 v2
    v28 = stack_addr.i64 ss0+4
    v29 = fma v3, v3, v3
    trapz v1, user7
    v30 = uadd_overflow_trap v1, v1, user9
    store notrap aligned v1, v0-8
    atomic_store.i64 little v6, v0
    v31 = atomic_rmw.i64 xchg v0, v6
    v32 = atomic_cas.i64 v0, v6, v0
    v33 = udiv v0, v6
    v34 = atomic_load.i64 v0
    brif v1, block1, block2(v0)

block1:
    jump block2(v6)

block2(v40: i64):
    return v40
}
`;

function setup(): { func: Function; eg: EGraph; insts: Map<string, Inst> } {
  const func = parseTestFile(TEXT, 'isle-context.clif').functions[0].func;
  const eg = new EGraph(func.dfg, undefined);
  const insts = new Map<string, Inst>();
  const layout = func.layout;
  for (let b = layout.firstBlock(); b !== NONE; b = layout.nextBlock(b)) {
    for (let i = layout.firstInst(b); i !== NONE; i = layout.nextInst(i)) {
      const op = func.dfg.opcode(i);
      const name = Object.entries(Opcode).find(([, v]) => v === op)?.[0] ?? String(op);
      insts.set(name, i);
    }
  }
  return { func, eg, insts };
}

/** The instruction a pure constructor made (it was not rewritten into anything else here). */
function madeInst(eg: EGraph, v: Value): Inst {
  return eg.dfg.valueInst(v);
}

describe('EGraph as the rules Context', () => {
  test('each pure format: accessors read the reader encoding, the constructor rebuilds it', () => {
    const { eg, insts } = setup();
    const at = (op: string): Inst => {
      const i = insts.get(op);
      if (i === undefined) throw new Error(`no ${op} in the test function`);
      return i;
    };
    const ty = (i: Inst): Type => eg.clif_result_type(i);
    const op = (i: Inst): Opcode => eg.clif_opcode(i);
    const rebuilt: [string, Inst, Value][] = [];
    const check = (name: string, make: (i: Inst) => Value): void => {
      const i = at(name);
      rebuilt.push([name, i, make(i)]);
    };
    check('Ineg', (i) => eg.make_inst_unary(ty(i), op(i), eg.clif_value_0(i)));
    check('Iconst', (i) => eg.make_inst_unary_imm(ty(i), op(i), eg.clif_imm64(i)));
    check('F16const', (i) => eg.make_inst_unary_ieee16(ty(i), op(i), eg.clif_ieee16(i)));
    check('F32const', (i) => eg.make_inst_unary_ieee32(ty(i), op(i), eg.clif_ieee32(i)));
    check('F64const', (i) => eg.make_inst_unary_ieee64(ty(i), op(i), eg.clif_ieee64(i)));
    check('Vconst', (i) => eg.make_inst_unary_const(ty(i), op(i), eg.clif_constant(i)));
    check('SymbolValue', (i) => eg.make_inst_unary_global_value(ty(i), op(i), eg.clif_global_value(i)));
    check('Iadd', (i) => eg.make_inst_binary(ty(i), op(i), eg.clif_value_0(i), eg.clif_value_1(i)));
    check('Extractlane', (i) => eg.make_inst_binary_imm8(ty(i), op(i), eg.clif_value_0(i), eg.clif_uimm8(i)));
    check('Bitselect', (i) => eg.make_inst_ternary(ty(i), op(i), eg.clif_value_0(i), eg.clif_value_1(i), eg.clif_value_2(i)));
    check('Insertlane', (i) => eg.make_inst_ternary_imm8(ty(i), op(i), eg.clif_value_0(i), eg.clif_value_1(i), eg.clif_uimm8(i)));
    check('GetFramePointer', (i) => eg.make_inst_null_ary(ty(i), op(i)));
    check('Shuffle', (i) => eg.make_inst_shuffle(ty(i), op(i), eg.clif_value_0(i), eg.clif_value_1(i), eg.clif_immediate(i)));
    check('Icmp', (i) => eg.make_inst_int_compare(ty(i), op(i), eg.clif_value_0(i), eg.clif_value_1(i), eg.clif_intcc(i)));
    check('Fcmp', (i) => eg.make_inst_float_compare(ty(i), op(i), eg.clif_value_0(i), eg.clif_value_1(i), eg.clif_floatcc(i)));
    check('FuncAddr', (i) => eg.make_inst_func_addr(ty(i), op(i), eg.clif_func_ref(i)));
    check('Load', (i) => eg.make_inst_load(ty(i), op(i), eg.clif_value_0(i), eg.clif_memflags(i), eg.clif_offset32(i)));
    check('Bitcast', (i) => eg.make_inst_load_no_offset(ty(i), op(i), eg.clif_value_0(i), eg.clif_memflags(i)));
    check('StackAddr', (i) => eg.make_inst_stack_load(ty(i), op(i), eg.clif_stack_slot(i), eg.clif_offset32(i)));
    check('Fma', (i) => eg.make_inst_ternary(ty(i), op(i), eg.clif_value_0(i), eg.clif_value_1(i), eg.clif_value_2(i)));
    for (const [name, orig, v] of rebuilt) {
      const made = madeInst(eg, v);
      expect(made, name).not.toBe(orig);
      expect(sameNode(eg.dfg, orig, made), name).toBe(true);
      // A node of its own class, read back through the multi extractor.
      expect(eg.clif_node(v), name).toEqual([made]);
    }
    // Spot checks of decoded values, not just round trips.
    expect(eg.clif_imm64(at('Iconst'))).toBe(7n);
    expect(eg.clif_ieee16(at('F16const'))).toBe(0x4200);
    expect(eg.clif_ieee32(at('F32const'))).toBe(0xc1280000);
    expect(eg.clif_ieee64(at('F64const'))).toBe(0x3fc0000000000000n);
    expect(eg.clif_uimm8(at('Insertlane'))).toBe(3);
    expect(eg.clif_offset32(at('Load'))).toBe(12);
    expect(eg.clif_offset32(at('Store'))).toBe(-8);
    expect(eg.clif_result_type(at('Icmp'))).toBe(eg.$I8);
  });

  test('each skeleton format: the constructor rebuilds what the accessors read', () => {
    const { eg, insts } = setup();
    const at = (op: string): Inst => {
      const i = insts.get(op);
      if (i === undefined) throw new Error(`no ${op} in the test function`);
      return i;
    };
    const op = (i: Inst): Opcode => eg.clif_opcode(i);
    const cases: [string, (i: Inst) => Inst][] = [
      ['Trapz', (i) => eg.make_skeleton_inst_cond_trap(op(i), eg.clif_value_0(i), eg.clif_trapcode(i))],
      ['UaddOverflowTrap', (i) => eg.make_skeleton_inst_int_add_trap(op(i), eg.clif_value_0(i), eg.clif_value_1(i), eg.clif_trapcode(i))],
      ['Store', (i) => eg.make_skeleton_inst_store(op(i), eg.clif_value_0(i), eg.clif_value_1(i), eg.clif_memflags(i), eg.clif_offset32(i))],
      ['AtomicStore', (i) => eg.make_skeleton_inst_store_no_offset(op(i), eg.clif_value_0(i), eg.clif_value_1(i), eg.clif_memflags(i))],
      ['AtomicCas', (i) => eg.make_skeleton_inst_atomic_cas(op(i), eg.clif_value_0(i), eg.clif_value_1(i), eg.clif_value_2(i), eg.clif_memflags(i))],
      ['Udiv', (i) => eg.make_skeleton_inst_binary(op(i), eg.clif_value_0(i), eg.clif_value_1(i))],
      ['Brif', (i) => eg.make_skeleton_inst_brif(op(i), eg.clif_value_0(i), eg.clif_block_call_0(i), eg.clif_block_call_1(i))],
      ['Jump', (i) => eg.make_skeleton_inst_jump(op(i), eg.clif_block_call_0(i))],
    ];
    for (const [name, make] of cases) {
      const orig = at(name);
      const made = make(orig);
      expect(made, name).not.toBe(orig);
      expect(sameNode(eg.dfg, orig, made), name).toBe(true);
      expect(eg.dfg.numResults(made), name).toBe(eg.dfg.numResults(orig));
    }
    // atomic_cas's controlling type comes from an operand; atomic_load's and
    // atomic_rmw's is their result type, which a skeleton term does not give.
    const load = at('AtomicLoad');
    expect(opcodeFormat(Opcode.AtomicLoad)).toBe(InstructionFormat.LoadNoOffset);
    expect(() => eg.make_skeleton_inst_load_no_offset(op(load), eg.clif_value_0(load), eg.clif_memflags(load))).toThrow(OptimizerError);
    const rmw = at('AtomicRmw');
    expect(eg.clif_atomic_rmw_op(rmw)).toBe(AtomicRmwOp.Xchg);
    expect(() =>
      eg.make_skeleton_inst_atomic_rmw(op(rmw), eg.clif_value_0(rmw), eg.clif_value_1(rmw), eg.clif_memflags(rmw), eg.clif_atomic_rmw_op(rmw)),
    ).toThrow(OptimizerError);
  });

  test('clif_node yields every node of a union class once, and nothing for a parameter', () => {
    const { func, eg } = setup();
    const entry = func.layout.firstBlock();
    const x = eg.classOf(func.dfg.blockParam(entry, 0));
    const y = eg.classOf(func.dfg.blockParam(entry, 6));
    expect(eg.clif_node(x)).toEqual([]);
    // x + 0 is rewritten to x: the new node's class is x's.
    expect(eg.make_inst_binary(eg.$I64, Opcode.Iadd, x, eg.make_iconst(eg.$I64, 0n))).toBe(x);
    // (x + y) * 2 is also (x + y) + (x + y) and (x + y) << 1: one class, several nodes.
    const sum = eg.make_inst_binary(eg.$I64, Opcode.Iadd, x, y);
    const two = eg.make_iconst(eg.$I64, 2n);
    const doubled = eg.make_inst_binary(eg.$I64, Opcode.Imul, sum, two);
    const nodes = eg.clif_node(doubled);
    const ops = nodes.map((i) => eg.clif_opcode(i));
    expect(ops).toContain(Opcode.Imul);
    expect(ops).toContain(Opcode.Iadd);
    expect(new Set(nodes).size).toBe(nodes.length);
    for (const i of nodes) expect(eg.clif_result_type(i)).toBe(eg.$I64);
    expect(eg.clif_node(doubled)).toBe(nodes); // built once, then kept
    expect(eg.iconst_u(two)).toEqual([eg.$I64, 2n]);
    expect(eg.iconst_u(sum)).toBeUndefined();
  });

  test('a single-node class shares one list, which every generated matcher iterates once', () => {
    const { func, eg } = setup();
    const entry = func.layout.firstBlock();
    const x = eg.classOf(func.dfg.blockParam(entry, 0));
    const a = eg.make_inst_unary(eg.$I64, Opcode.Bnot, x);
    const b = eg.make_inst_unary(eg.$I64, Opcode.Ineg, x);
    const la = eg.clif_node(a);
    expect(la).toEqual([madeInst(eg, a)]);
    expect(eg.clif_node(b)).toBe(la);
    expect(la).toEqual([madeInst(eg, b)]);
    // The sharing is sound only if no caller keeps a list past the loop
    // that iterates it: each list the generated code gets is iterated by
    // exactly one `for … of` and used nowhere else.
    const src = readFileSync(new URL('../src/generated/opts.ts', import.meta.url), 'utf8');
    const calls = [...src.matchAll(/\bctx\.clif_node\(/g)].length;
    expect(calls).toBeGreaterThan(0);
    let checked = 0;
    for (const fn of src.split('\nexport function ')) {
      for (const m of fn.matchAll(/const (v\d+) = ctx\.clif_node\(\w+\);/g)) {
        const name = m[1];
        const rest = fn.slice(m.index + m[0].length);
        const uses = [...rest.matchAll(new RegExp(`\\b${name}\\b`, 'g'))].length;
        const loops = [...rest.matchAll(new RegExp(`\\bof ${name}\\)`, 'g'))].length;
        expect({ name, uses, loops }).toEqual({ name, uses: 1, loops: 1 });
        checked++;
      }
    }
    expect(checked).toBe(calls);
  });
});
