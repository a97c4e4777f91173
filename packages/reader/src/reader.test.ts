import {
  BlockArg,
  F32,
  F64,
  I32,
  I64,
  I8,
  InstructionFormat,
  MemFlags,
  printFunction,
  typeName,
  vectorOf,
  wordsToI64,
  type Signature,
  formatDataValue,
  dataValuesEqual,
  F16,
  F128,
  I128,
} from '@clift/ir';
import { describe, expect, it } from 'vitest';
import { Lexer, Tok } from './lexer.js';
import { parseFloatBits, parseInteger, parseIntegerOfWidth } from './numbers.js';
import { ParseError, parseFunctions, parseRunCommand, parseTestFile } from './index.js';

function lexAll(text: string): [Tok, string][] {
  const lx = new Lexer(text, 't', undefined);
  const out: [Tok, string][] = [];
  while (lx.next() !== Tok.EOF) out.push([lx.tok(), lx.text()]);
  return out;
}

function one(text: string) {
  const fs = parseFunctions(text, 't.clif');
  expect(fs.length).toBe(1);
  return fs[0];
}

function roundTrip(text: string): string {
  const printed = printFunction(one(text));
  expect(printFunction(one(printed))).toBe(printed);
  return printed;
}

/** The error of reading `text` and all its run commands (decoded only when read). */
function parseError(text: string): ParseError {
  try {
    for (const f of parseTestFile(text, 'bad.clif').functions) void f.runCommands.length;
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a parse error');
}

describe('lexer', () => {
  it('classifies entities, types, numbers and punctuation', () => {
    expect(lexAll('v12 block3 ss0 dss1 dt2 gv3 const4 fn5 sig6 u0 userextname7 ret0 exn1 tag2 region3')).toEqual([
      [Tok.Value, 'v12'], [Tok.Block, 'block3'], [Tok.StackSlot, 'ss0'], [Tok.DynamicStackSlot, 'dss1'],
      [Tok.DynamicType, 'dt2'], [Tok.GlobalValue, 'gv3'], [Tok.Constant, 'const4'], [Tok.FuncRef, 'fn5'],
      [Tok.SigRef, 'sig6'], [Tok.UserRef, 'u0'], [Tok.UserNameRef, 'userextname7'], [Tok.TryCallRet, 'ret0'],
      [Tok.TryCallExn, 'exn1'], [Tok.Tag, 'tag2'], [Tok.Region, 'region3'],
    ]);
    expect(lexAll('i32 i32x4 f64x2 i32x4xN i33 v01 iadd')).toEqual([
      [Tok.Type, 'i32'], [Tok.Type, 'i32x4'], [Tok.Type, 'f64x2'], [Tok.Type, 'i32x4xN'],
      [Tok.Identifier, 'i33'], [Tok.Identifier, 'v01'], [Tok.Identifier, 'iadd'],
    ]);
    expect(lexAll('-> - + -1 +0x10 0x1.8p3 -0x0.8p-126 NaN -Inf +sNaN:0x1 1.5')).toEqual([
      [Tok.Arrow, '->'], [Tok.Minus, '-'], [Tok.Plus, '+'], [Tok.Integer, '-1'], [Tok.Integer, '+0x10'],
      [Tok.Float, '0x1.8p3'], [Tok.Float, '-0x0.8p-126'], [Tok.Float, 'NaN'], [Tok.Float, '-Inf'],
      [Tok.Float, '+sNaN:0x1'], [Tok.Float, '1.5'],
    ]);
    expect(lexAll('%foo_1 "a b" @00c7 @ < > * ! : = , . ( ) [ ] { }').map((t) => t[0])).toEqual([
      Tok.Name, Tok.String, Tok.SourceLoc, Tok.At, Tok.Lt, Tok.Gt, Tok.Star, Tok.Bang, Tok.Colon, Tok.Equal,
      Tok.Comma, Tok.Dot, Tok.LPar, Tok.RPar, Tok.LBracket, Tok.RBracket, Tok.LBrace, Tok.RBrace,
    ]);
  });

  it('reports comments with positions and tokens with line:column', () => {
    const seen: [string, number, number][] = [];
    const lx = new Lexer('v1 ; one\n  ; two\n  v2', 't', (t, l, c) => seen.push([t, l, c]));
    lx.next();
    lx.next();
    expect([lx.text(), lx.tokLine, lx.tokCol]).toEqual(['v2', 3, 3]);
    expect(seen).toEqual([['; one', 1, 4], ['; two', 2, 3]]);
  });

  it('rejects invalid characters with their position', () => {
    expect(() => lexAll('v1\n  $')).toThrow("t:2:3: invalid character '$'");
  });
});

describe('numbers', () => {
  it('parses integers in decimal and hex with separators and range checks', () => {
    expect(parseInteger('0x0001_0000')).toBe(65536n);
    expect(parseInteger('-42')).toBe(-42n);
    expect(parseInteger('1_000')).toBe(1000n);
    expect(parseIntegerOfWidth('-1', 8)).toBe(255n);
    expect(parseIntegerOfWidth('255', 8)).toBe(255n);
    expect(parseIntegerOfWidth('-128', 8)).toBe(128n);
    expect(parseIntegerOfWidth('256', 8)).toBe('integer 256 does not fit in 8 bits');
    expect(parseIntegerOfWidth('-129', 8)).toBe('integer -129 does not fit in 8 bits');
    expect(parseIntegerOfWidth('0xffff_ffff_ffff_ffff', 64)).toBe(0xffffffffffffffffn);
    expect(parseInteger('12z')).toMatch(/invalid digit 'z'/);
  });

  it('parses floats: decimal (correctly rounded), hex, specials and NaN payloads', () => {
    expect(parseFloatBits('1.5', 8, 23)).toBe(0x3fc00000n);
    expect(parseFloatBits('0.1', 8, 23)).toBe(0x3dcccccdn);
    expect(parseFloatBits('0.1', 11, 52)).toBe(0x3fb999999999999an);
    expect(parseFloatBits('-0.0', 8, 23)).toBe(0x80000000n);
    expect(parseFloatBits('0x1.8p3', 8, 23)).toBe(0x41400000n);
    expect(parseFloatBits('-0x0.8p-126', 8, 23)).toBe(0x80400000n);
    expect(parseFloatBits('0x1.0p-149', 8, 23)).toBe(1n);
    expect(parseFloatBits('+Inf', 5, 10)).toBe(0x7c00n);
    expect(parseFloatBits('-NaN', 8, 23)).toBe(0xffc00000n);
    expect(parseFloatBits('+NaN:0x1', 8, 23)).toBe(0x7fc00001n);
    expect(parseFloatBits('sNaN:0x1', 11, 52)).toBe(0x7ff0000000000001n);
    expect(parseFloatBits('0.5', 15, 112)).toBe(0x3ffen << 112n);
    // 1 + 2^-24 lies exactly between two f32 values: ties to even.
    expect(parseFloatBits('1.000000059604644775390625', 8, 23)).toBe(0x3f800000n);
    expect(parseFloatBits('65520.0', 5, 10)).toBe(0x7c00n);
    expect(parseFloatBits('0x1.000001p0', 8, 23)).toMatch(/not exactly representable/);
    expect(parseFloatBits('sNaN:0x0', 8, 23)).toMatch(/non-zero payload/);
  });

  it('rounds decimals to f32 correctly where the f64 rounding lands on an f32 midpoint', () => {
    // Both round to the f64 1 + 2^-24, the midpoint of 1 and 1 + 2^-23; only the
    // exact value says which side each decimal is on.
    expect(parseFloatBits('1.000000059604644775390625000000001', 8, 23)).toBe(0x3f800001n);
    expect(parseFloatBits('1.000000059604644775390624999999999', 8, 23)).toBe(0x3f800000n);
    expect(parseFloatBits('-1.000000059604644775390625000000001', 8, 23)).toBe(0xbf800001n);
    // Overflow and underflow at the edges of f32 and f64.
    expect(parseFloatBits('3.4028235677973366e38', 8, 23)).toBe(0x7f7fffffn); // just below the midpoint to 2^128
    expect(parseFloatBits('3.40282356779733662e38', 8, 23)).toBe(0x7f800000n); // just above it
    expect(parseFloatBits('340282356779733661637539395458142568448', 8, 23)).toBe(0x7f800000n); // on it: ties to even
    expect(parseFloatBits('3.4028235e38', 8, 23)).toBe(0x7f7fffffn);
    expect(parseFloatBits('1e-46', 8, 23)).toBe(0n);
    expect(parseFloatBits('1e400', 11, 52)).toBe(0x7ff0000000000000n);
    expect(parseFloatBits('-0x1.fffffffffffffp1023', 11, 52)).toBe(0xffefffffffffffffn);
    expect(parseFloatBits('0x1.0p-1074', 11, 52)).toBe(1n);
    expect(parseFloatBits('0x1.0p1024', 11, 52)).toMatch(/not exactly representable/);
  });

  it('takes 64-bit hex literals and negative values for wide slots exactly', () => {
    expect(parseIntegerOfWidth('0x8000_0000_0000_0000', 64)).toBe(0x8000000000000000n);
    expect(parseIntegerOfWidth('0xffffffffffffffff', 128)).toBe(0xffffffffffffffffn);
    expect(parseIntegerOfWidth('-1', 64)).toBe(0xffffffffffffffffn);
    expect(parseIntegerOfWidth('-1', 128)).toBe((1n << 128n) - 1n);
    expect(parseIntegerOfWidth('-9223372036854775808', 64)).toBe(0x8000000000000000n);
    expect(parseIntegerOfWidth('0x1_0000_0000_0000_0000', 64)).toBe('integer 0x1_0000_0000_0000_0000 does not fit in 64 bits');
    expect(parseIntegerOfWidth('0x1_0000_0000_0000_0000', 128)).toBe(1n << 64n);
    expect(parseIntegerOfWidth('0x', 64)).toBe("no digits in integer '0x'");
  });
});

describe('declarations', () => {
  it('keeps source entity numbers and fills gaps', () => {
    const f = one(`function %f(i64 vmctx) {
    ss3 = explicit_slot 8, align = 16
    gv2 = vmctx
    gv5 = load.i64 notrap aligned readonly gv2+8
    gv6 = iadd_imm.i64 gv5, -16
    gv7 = symbol colocated tls u1:2+4
    dt1 = i32x4*gv2
    dss0 = explicit_dynamic_slot dt1
    region2 = 36 "heap"
    sig10 = (i32, i8 uext, i64 sret) -> f32 system_v
    fn5 = colocated patchable %foo sig10
    fn8 = %bar(i32) -> i8
    const1 = 0x00010203
    stack_limit = gv2
block7(v90: i64):
    return
}`);
    expect(f.stackSlots.length).toBe(4);
    expect(f.stackSlots[3]).toEqual({ kind: 'explicit_slot', size: 8, alignShift: 4, key: undefined });
    expect(f.stackSlots[0]).toBeUndefined();
    expect(f.globalValues[5]).toMatchObject({ kind: 'load', base: 2, offset: 8, globalType: I64 });
    expect(f.globalValues[6]).toEqual({ kind: 'iadd_imm', base: 5, offset: -16n, globalType: I64 });
    expect(f.globalValues[7]).toMatchObject({ kind: 'symbol', offset: 4n, colocated: true, tls: true });
    expect(f.userNamedFuncs[0]).toEqual({ namespace: 1, index: 2 });
    expect(f.dfg.dynamicTypes[1]).toEqual({ baseVectorType: vectorOf(I32, 4), dynamicScale: 2 });
    expect(f.dynamicStackSlots[0]).toEqual({ kind: 'explicit_dynamic_slot', dynType: 1 });
    expect(f.aliasRegions[2]).toEqual({ userId: 36, name: 'heap' });
    expect(f.dfg.signatures[10]!.callConv).toBe('system_v');
    expect(f.dfg.signatures[10]!.params[2].purpose).toEqual({ kind: 'struct_return' });
    // An inline signature is numbered after the declared ones.
    expect(f.dfg.extFuncs[8]).toMatchObject({ signature: 11, colocated: false });
    expect(f.dfg.signatures[11]!.callConv).toBe('fast');
    expect(f.dfg.extFuncs[5]).toMatchObject({ signature: 10, colocated: true, patchable: true });
    expect(Array.from(f.dfg.constants[1]!)).toEqual([3, 2, 1, 0]);
    expect(f.stackLimit).toBe(2);
    expect(f.dfg.blockParams(7 as never)).toEqual([90]);
    roundTrip(printFunction(f));
  });

  it('reads test headers: commands, settings in force per target, features', () => {
    const tf = parseTestFile(`; first
test compile precise-output
set opt_level=speed
set enable_verifier ; trailing
target aarch64 has_lse
set opt_level=none
target x86_64
feature ! "foo"
function %f() {
block0:
    return
}
; after
`, 'h.clif');
    expect(tf.commands).toEqual([{ name: 'compile', options: ['precise-output'], line: 2 }]);
    expect(tf.targets[0]).toEqual({
      name: 'aarch64',
      flags: [{ name: 'has_lse', value: undefined, line: 5 }],
      settings: [{ name: 'opt_level', value: 'speed', line: 3 }, { name: 'enable_verifier', value: undefined, line: 4 }],
      line: 5,
    });
    expect(tf.targets[1].settings.map((s) => `${s.name}=${s.value}`)).toEqual(['enable_verifier=undefined', 'opt_level=none']);
    expect(tf.features).toEqual([{ name: 'foo', enabled: false, line: 8 }]);
    expect(tf.preambleComments.map((c) => c.text)).toEqual(['; first', '; trailing']);
    expect(tf.functions[0].comments).toEqual([{ entity: 'function', text: '; after', line: 13 }]);
  });

  it('attaches comments to the entity on their line or the last one defined', () => {
    const tf = parseTestFile(`function %f(i32) -> i32 {
    ; about the function
    gv0 = vmctx ; gv
block0(v0: i32): ; block
    v1 = iadd v0, v0 ; error: here
    ; still inst
    v2 -> v1 ; alias
    return v1
}
; check: after`);
    expect(tf.functions[0].comments.map((c) => [c.entity, c.text])).toEqual([
      ['function', '; about the function'],
      ['gv0', '; gv'],
      ['block0', '; block'],
      ['inst0', '; error: here'],
      ['inst0', '; still inst'],
      ['v2', '; alias'],
      ['function', '; check: after'],
    ]);
  });
});

describe('instructions', () => {
  it('fills operands per format and infers result types', () => {
    const f = one(`function %f(i32, i64, f32) -> i32 {
    ss0 = explicit_slot 16
    sig0 = (i64) -> i64, i32
    fn0 = %g(i32) -> i32
block0(v0: i32, v1: i64, v2: f32):
    v3 = iconst.i8 -1
    v4 = iconst.i64 0xffff_ffff_ffff_fffe
    v5 = icmp ult v0, v0
    v6 = fcmp uno v2, v2
    v7 = load.i32 notrap aligned region3 v1+16
    store little v0, v1-4
    v8 = extractlane.i32x4 v9, 3
    v10 = call fn0(v0)
    v11, v12 = call_indirect sig0, v1(v1)
    v13 = stack_addr.i64 ss0+8
    v14 = atomic_rmw.i32 little xchg v1, v0
    v15 = f64const 0x1.8p1
    v16 = vconst.i8x16 [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15]
    v17 = shuffle v16, v16, [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31]
    v18 = select v5, v0, v0
    br_table v0, block1, [block1, block2(v0)]
block1:
    trap user1
block2(v20: i32):
    v9 = splat.i32x4 v20
    brif v20, block1, block2(v20)
}`);
    const dfg = f.dfg;
    const types = (vs: number[]) => vs.map((v) => typeName(dfg.valueTypeOf(v as never)));
    expect(types([3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18])).toEqual([
      'i8', 'i64', 'i8', 'i8', 'i32', 'i32', 'i32', 'i64', 'i32', 'i64', 'i32', 'f64', 'i8x16', 'i8x16', 'i32',
    ]);
    const inst = (v: number) => dfg.valueInst(v as never);
    expect([dfg.imm0(inst(3)), dfg.imm1(inst(3))]).toEqual([255, 0]);
    expect(wordsToI64(dfg.imm0(inst(4)), dfg.imm1(inst(4)))).toBe(-2n);
    expect(dfg.imm2(inst(5))).toBe(6);
    const ld = inst(7);
    expect(MemFlags.regionIndex(dfg.imm0(ld) as MemFlags)).toBe(3);
    expect(dfg.imm1(ld)).toBe(16);
    expect(dfg.format(inst(17))).toBe(InstructionFormat.Shuffle);
    expect(Array.from(dfg.immediates[dfg.imm0(inst(17))]).at(-1)).toBe(31);
    expect(dfg.constants.length).toBe(1);
    // The extractlane's operand v9 is defined later; its suffix gives the type.
    expect(dfg.ctrlType(inst(8))).toBe(vectorOf(I32, 4));
    const bt = [...f.layout.blockInsts(0 as never)].at(-1)!;
    expect(dfg.branchDestinations(bt).map((bc) => dfg.blockCallBlock(bc))).toEqual([1, 1, 2]);
    roundTrip(printFunction(f));
  });

  it('resolves a typevar operand defined later in the text', () => {
    const f = one(`function %f(i64) {
block1(v1: i64):
    v2 = iadd v3, v3
    return
block0(v0: i64):
    v3 = iconst.i64 1
    jump block1(v3)
}`);
    expect(f.dfg.valueTypeOf(2 as never)).toBe(I64);
    expect(printFunction(f)).toContain('v2 = iadd.i64 v3, v3');
  });

  it('reads try_call exception tables, stack maps, srclocs, debug tags and cold blocks', () => {
    const text = `function %f(i64) -> i64 system_v {
    ss0 = explicit_slot 8
    sig0 = (i64) -> i64 tail
    fn0 = %g sig0
block0(v0: i64):
    @0019 <1, 2> v9 = call fn0(v0), stack_map=[i32 @ ss0+4, i64 @ ss0+0]
    try_call fn0(v0), sig0, block1(ret0, v0), [ context v0, tag3: block2(exn0), default: block2(exn1) ]
block1(v1: i64, v2: i64):
    v3 = get_exception_handler_address.i64 block2, 0
    return v1
block2(v4: i64) cold:
    return v4
}`;
    const f = one(text);
    const dfg = f.dfg;
    const [call, tc] = [...f.layout.blockInsts(0 as never)];
    expect(dfg.srcLoc(call)).toBe(0x19);
    expect(dfg.debugTags.get(call)).toEqual([1, 2]);
    expect(dfg.userStackMaps.get(call)).toEqual([{ type: I32, slot: 0, offset: 4 }, { type: I64, slot: 0, offset: 0 }]);
    const et = dfg.exceptionTables[dfg.imm1(tc)];
    expect(et.items.map((i) => i.kind)).toEqual(['context', 'tag', 'default']);
    expect(dfg.blockCallArgs(et.normalReturn)).toEqual([BlockArg.tryCallRet(0), BlockArg.value(0 as never)]);
    expect(f.layout.isCold(2 as never)).toBe(true);
    roundTrip(text);
  });

  it('reads value aliases and keeps user function names', () => {
    const f = one(`function u0:11(i8) -> i8 system_v {
block0(v0: i8):
    v1 -> v0
    v2 = iadd v1, v1
    return v2
}`);
    expect(f.name).toEqual({ kind: 'user', name: { namespace: 0, index: 11 } });
    expect(f.dfg.resolveAliases(1 as never)).toBe(0);
    expect(f.dfg.valueTypeOf(1 as never)).toBe(I8);
  });

  it('defaults the calling convention to system_v in test run files', () => {
    const tf = parseTestFile('test run\nfunction %f() -> i8 {\nblock0:\n    v0 = iconst.i8 1\n    return v0\n}\n; run\n');
    expect(tf.functions[0].func.signature.callConv).toBe('system_v');
    expect(tf.functions[0].runCommands[0]).toMatchObject({ kind: 'run', funcName: 'f', comparison: '!=' });
  });

  it('decodes run commands on first read, by the signature as parsed, and reports a malformed one there', () => {
    const text = [
      'test interpret',
      'function %ok(i32) -> i32 {',
      'block0(v0: i32):',
      '    return v0',
      '}',
      '; run: %ok(7) == 7',
      '',
      'function %bad(i8) -> i8 {',
      'block0(v0: i8):',
      '    return v0',
      '}',
      '; run: %bad(1) == 2',
      '; run: %bad(300) == 1',
    ].join('\n');
    const tf = parseTestFile(text, 'lazy.clif');
    const [ok, bad] = tf.functions;
    // Giving the function a new signature before the first read changes nothing.
    ok.func.signature = { params: [], returns: [], callConv: 'fast' };
    const cmds = ok.runCommands;
    expect(cmds).toHaveLength(1);
    expect(cmds[0]).toMatchObject({ funcName: 'ok', line: 6, args: [{ type: I32, bits: 7n }], expected: [{ type: I32, bits: 7n }] });
    expect(ok.runCommands).toBe(cmds);
    for (let i = 0; i < 2; i++) {
      let err: unknown;
      try {
        void bad.runCommands.length;
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ParseError);
      expect((err as ParseError).message).toBe('lazy.clif:13:13: integer 300 does not fit in 8 bits');
    }
    expect(bad.comments.map((c) => c.line)).toEqual([12, 13]);
  });

  it('reads the run commands and comments of a file after other files were parsed', () => {
    // The reader shares its byte copy of the source between parses; a file's
    // commands and comments read later must still come from its own text.
    const textA = 'test run\nfunction %a() -> i8 {\nblock0:\n    v0 = iconst.i8 3 ; three\n    return v0\n}\n; run: %a() == 3\n';
    const first = parseTestFile(textA, 'a.clif');
    const second = parseTestFile('test run\n; other\nfunction %b() -> i16 {\nblock0:\n    v0 = iconst.i16 9\n    return v0\n}\n; run: %b() == 9\n; print: %b()\n', 'b.clif');
    expect(second.functions[0].runCommands.map((c) => c.kind)).toEqual(['run', 'print']);
    const [a] = first.functions;
    expect(a.runCommands).toHaveLength(1);
    expect(a.runCommands[0]).toMatchObject({ funcName: 'a', line: 7, expected: [{ type: I8, bits: 3n }] });
    expect(a.comments).toEqual([
      { entity: 'inst0', text: '; three', line: 4 },
      { entity: 'function', text: '; run: %a() == 3', line: 7 },
    ]);
    expect(second.preambleComments).toEqual([{ entity: undefined, text: '; other', line: 2 }]);
    // A later parse of the first text again agrees with the first.
    expect(parseTestFile(textA, 'a.clif').functions[0].runCommands[0]).toEqual(a.runCommands[0]);
  });

  it('reads punctuation spaced any way, or on the next line', () => {
    // `=`, `,` and `:` right after a token are stepped over without one;
    // elsewhere they are read as tokens: both ways give the same function.
    const tight = roundTrip('function %f(i32,i64 uext,i8) -> i32 {\nblock0(v0:i32,v1:i64,v2:i8):\n    v3=iadd v0,v0\n    v4 =icmp eq v3 ,v0\n    return v3\n}');
    const loose = roundTrip('function %f(i32 ,\n  i64 uext , i8) -> i32 {\nblock0(v0 :\n i32 , v1: i64\n , v2 : i8):\n    v3\n = iadd v0\n ,\n v0\n    v4 = icmp eq v3\n , v0\n    return v3\n}');
    expect(loose).toBe(tight);
    expect(tight).toContain('v3 = iadd v0, v0');
  });

  it('reads vector lane lists of every width, negative and out-of-range lanes', () => {
    const f = one(`function %v() -> i64x2, i8x16, i32x4 {
block0:
    v0 = vconst.i64x2 [-1 0x7fff_ffff_ffff]
    v1 = vconst.i8x16 [0 1 2 3 4 5 6 7 8 9 10 11 12 13 -128 255]
    v2 = vconst.i32x4 [-2147483648 4294967295 0x10 -0x2]
    return v0, v1, v2
}`);
    const bytes = f.dfg.constants.map((c) => [...(c ?? [])]);
    expect(bytes[0]).toEqual([255, 255, 255, 255, 255, 255, 255, 255, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0]);
    expect(bytes[1]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 128, 255]);
    expect(bytes[2]).toEqual([0, 0, 0, 0x80, 255, 255, 255, 255, 0x10, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff]);
    expect(() => one('function %v() -> i8x16 {\nblock0:\n    v0 = vconst.i8x16 [0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 256]\n    return v0\n}')).toThrow(
      'integer 256 does not fit in 8 bits',
    );
  });
});

describe('errors name file, line, column, what was found and what was expected', () => {
  const cases: [string, string][] = [
    ['function %f() {\nblock0:\n    v0 = iconst.i32\n}', "bad.clif:4:1: expected an immediate 32-bit integer operand, found '}'"],
    ['function %f() {\nblock0:\n    v0 = frobnicate v1\n}', "bad.clif:3:10: unknown opcode 'frobnicate'"],
    ['function %f(i32) {\nblock0(v0: i32):\n    v1 = iadd v0 v0\n}', "bad.clif:3:18: expected ',' between operands, found 'v0'"],
    ['function %f() {\nblock0:\n    v0 = iconst.i8 256\n}', 'bad.clif:3:20: integer 256 does not fit in 8 bits'],
    ['function %f() {\nblock0:\n    v0 = iconst 1\n}', "bad.clif:3:17: 'iconst' needs a type suffix of i8, i16, i32 or i64, as in 'iconst.i32'"],
    ['function %f(i32) {\nblock0(v0: i32):\n    v0 = iconst.i32 1\n}', 'bad.clif:3:5: duplicate definition of v0'],
    ['function %f() {\nblock0:\n    v1 = iadd v7, v7\n    return\n}', "bad.clif:3:10: type suffix required for 'iadd': cannot infer it from v7, which is never defined; write e.g. 'iadd.i32'"],
    ['function %f() {\nblock0:\n    v1 = iadd.i32 v7, v7\n    return\n}', 'bad.clif:3:10: undefined value v7'],
    ['function %f() {\nblock0:\n    call fn0()\n}', 'bad.clif:3:10: undefined function fn0'],
    ['function %f() {\n    fn0 = %g sig3\nblock0:\n    return\n}', 'bad.clif:2:14: undefined signature sig3'],
    ['function %f() notacc {\n}', "bad.clif:1:15: unknown calling convention 'notacc'"],
    ['function %f() {\n    ss0 = explicit_slot 8, align = 3\n}', 'bad.clif:2:36: stack slot alignment 3 is not a power of two'],
    ['function %f() {\nblock0:\n    v0 = f32const 1\n}', "bad.clif:3:19: expected an f32 literal like 0.0, 0x1.8p3, Inf or NaN, found '1'"],
    ['function %f() {\nblock0:\n    v0 = iconst.f32 1\n}', "bad.clif:3:21: 'iconst' needs a type suffix of i8, i16, i32 or i64, as in 'iconst.i32'"],
    ['function %f() {\nblock0:\n    v0 = band.i8x3 v1, v1\n}', "bad.clif:3:15: expected a type after 'band.', found 'i8x3'"],
    ['function %f() {\nblock0:\n    return\n', "bad.clif:4:1: expected '}' at the end of the function body, found end of file"],
    ['test run\nset opt_level=none\ntarget aarch64\nset x\nfunction %f() {\n}', "bad.clif:4:1: dangling 'set' command after the last 'target' has no effect"],
    ['function %f() -> i32 {\nblock0:\n    return\n}\n; run: %f() == 1.5', "bad.clif:5:16: expected an i32 expected value, found '1.5'"],
    ['function %f(i32) {\nblock0(v0: i32):\n    v1 = fadd v0, v0\n}', "bad.clif:3:10: i32 is not a valid type for 'fadd': expected f16|f32|f64|f128 (scalar, x2..256, dynamic x2..256)"],
    // Punctuation the parser steps over without a token (`=`, `,`, `:`), and
    // words it looks up by spelling: the same positions and messages.
    ['function %f(i32) {\nblock0(v0: i32):\n    v1 v2 = iadd v0, v0\n}', "bad.clif:3:8: expected '=' or '->' after the result values, found 'v2'"],
    ['function %f(i32) {\nblock0(v0: i32):\n    v1 = = iadd v0, v0\n}', "bad.clif:3:10: expected an instruction opcode, found '='"],
    ['function %f(i32) {\nblock0(v0: i32):\n    v1, v1 = isplit v0\n}', 'bad.clif:3:9: duplicate definition of v1'],
    ['function %f(i32) {\nblock0(v0 i32):\n    return\n}', "bad.clif:2:11: expected ':' and a type after the block parameter, found 'i32'"],
    ['function %f(i32, i32) {\nblock0(v0: i32 v1: i32):\n    return\n}', "bad.clif:2:16: expected ',' or ')' after the block parameters, found 'v1'"],
    ['function %f(i32 i32) {\nblock0:\n    return\n}', "bad.clif:1:17: expected ',' or ')' after the parameters, found 'i32'"],
    ['function %f(i32,) {\nblock0:\n    return\n}', "bad.clif:1:17: expected a parameter type, found ')'"],
    ['function %f() {\nblock0:\n    trap user1\n}\nfunction %g() {\nblock0:\n    trap bogus\n}', "bad.clif:7:10: unknown trap code 'bogus': expected user1..user250, stk_ovf, heap_oob, int_ovf, int_divz or bad_toint"],
    ['function %f(i32x4) {\nblock0(v0: i32x4):\n    v1 = extractlane v0, 300\n}', "bad.clif:3:26: expected an unsigned 8-bit immediate (0 to 255), found '300'"],
    ['function %f(i32) {\nblock0(v0: i32):\n    v1 = icmp eq v0, v0\n    v2 = icmp bogus v0, v0\n}', "bad.clif:4:15: unknown integer condition code 'bogus': expected eq, ne, slt, sge, sgt, sle, ult, uge, ugt or ule"],
    ['function %f(i64) {\nblock0(v0: i64):\n    v1 = load.i32 notrap aligned v0\n    v2 = load.i32 notrap bogus v0\n}', "bad.clif:4:26: expected an address value, found 'bogus'"],
  ];
  it.each(cases)('%#', (text, message) => {
    const e = parseError(text);
    expect(e.message).toBe(message);
    const m = /^bad\.clif:(\d+):(\d+): (.*)$/s.exec(message)!;
    expect([e.filename, e.line, e.column, e.detail]).toEqual(['bad.clif', Number(m[1]), Number(m[2]), m[3]]);
  });
});

describe('run commands', () => {
  const sig = (params: number[], returns: number[]): Signature => ({
    params: params.map((t) => ({ type: t as never, extension: 'none', purpose: { kind: 'normal' } })),
    returns: returns.map((t) => ({ type: t as never, extension: 'none', purpose: { kind: 'normal' } })),
    callConv: 'fast',
  });

  it('types values by the signature in every radix and float form', () => {
    const rc = parseRunCommand('; run: %f(-1, 0xff, 0x0001_0000, 1.5, -0x1.8p1, +NaN:0x1, -Inf) == 7', sig([I8, I8, I32, F32, F64, F32, F16], [I128]));
    expect(rc.funcName).toBe('f');
    expect(rc.comparison).toBe('==');
    expect(rc.args.map((v) => v.bits)).toEqual([255n, 255n, 65536n, 0x3fc00000n, 0xc008000000000000n, 0x7fc00001n, 0xfc00n]);
    expect(rc.args.map(formatDataValue)).toEqual(['-1', '-1', '65536', '0x1.800000p0', '-0x1.8000000000000p1', '+NaN:0x1', '-Inf']);
    expect(rc.expected).toEqual([{ type: I128, bits: 7n }]);
    expect(rc.text).toBe('run: %f(-1, 0xff, 0x0001_0000, 1.5, -0x1.8p1, +NaN:0x1, -Inf) == 7');
  });

  it('reads vectors as lane lists or hex, and multiple results in brackets', () => {
    const i32x4 = vectorOf(I32, 4);
    const f32x4 = vectorOf(F32, 4);
    const rc = parseRunCommand('run: %v([1 2 -1 4], 0x00000004000000030000000200000001) != [[0.0 -0.0 NaN 0x1.0p0], 5]', sig([i32x4, i32x4], [f32x4, I64]), 'x.clif', 9);
    expect(rc.args[0].bits).toBe(0x00000004ffffffff0000000200000001n);
    expect(formatDataValue(rc.args[1])).toBe('[1 2 3 4]');
    expect(rc.comparison).toBe('!=');
    expect(formatDataValue(rc.expected[0])).toBe('[0.0 -0.0 +NaN 0x1.000000p0]');
    expect(rc.expected[1]).toEqual({ type: I64, bits: 5n });
    expect(rc.line).toBe(9);
  });

  it('reads print commands and f128 values', () => {
    const rc = parseRunCommand('print: %p(0x1.0p0)', sig([F128], [F128]));
    expect(rc.kind).toBe('print');
    expect(rc.args[0].bits).toBe(0x3fffn << 112n);
    expect(rc.comparison).toBeUndefined();
  });

  it('compares data values bitwise', () => {
    const nan = { type: F32, bits: 0x7fc00000n };
    expect(dataValuesEqual(nan, { type: F32, bits: 0x7fc00000n })).toBe(true);
    expect(dataValuesEqual(nan, { type: F32, bits: 0x7fc00001n })).toBe(false);
    expect(dataValuesEqual({ type: I32, bits: 1n }, { type: I64, bits: 1n })).toBe(false);
  });

  it('rejects malformed commands with positions', () => {
    expect(() => parseRunCommand('run: %f(1, 2) == 3', sig([I32], [I32]), 'r.clif', 4)).toThrow("r.clif:4:10: expected ')' after the arguments, found ','");
    expect(() => parseRunCommand('run: %f(300) == 3', sig([I8], [I32]), 'r.clif', 4)).toThrow('r.clif:4:9: integer 300 does not fit in 8 bits');
    expect(() => parseRunCommand('run: %f() == [1 2]', sig([], [vectorOf(I32, 4)]), 'r.clif')).toThrow("r.clif:1:18: expected lane 2 of i32x4 (4 lanes), found ']'");
    expect(() => parseRunCommand('check: foo', sig([], []), 'r.clif')).toThrow("r.clif:1:1: expected a 'run' or 'print' command, found 'check: foo'");
  });
});
