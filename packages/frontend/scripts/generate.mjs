// Generates src/generated/inst-builder.ts: one typed method per CLIF opcode,
// derived from @clift/ir's opcode table (`opcodeSpec`), so the builder can
// never fall behind the table. Run by the package's `generate` script, which
// turbo runs before build, test, typecheck and lint; the output directory is
// gitignored.
//
// The generated class only marshals operands: fixed value operands and
// variable arguments into the argument list, immediates into the imm0..imm2
// words exactly as @clift/ir's formats.ts assigns them. Everything else
// (where the instruction goes, results, predecessor bookkeeping) is the
// subclass's `buildInst`. A format whose immediates do not match the table
// below stops generation with an error rather than emitting a wrong method.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ir from '@clift/ir';

const here = dirname(fileURLToPath(import.meta.url));
const outFile = join(here, '..', 'src', 'generated', 'inst-builder.ts');

/**
 * Per format: for each non-value operand in the table's order, its kind and
 * the imm word it is stored in ('lohi' = imm0 low word and imm1 high word).
 */
const FORMAT_IMMS = {
  Unary: [],
  UnaryImm: [['imm64', 'lohi']],
  UnaryIeee16: [['ieee16', 0]],
  UnaryIeee32: [['ieee32', 0]],
  UnaryIeee64: [['ieee64', 'lohi']],
  UnaryConst: [['constant', 0]],
  UnaryGlobalValue: [['global_value', 0]],
  Binary: [],
  BinaryImm8: [['uimm8', 0]],
  Ternary: [],
  TernaryImm8: [['uimm8', 0]],
  MultiAry: [['varargs', 'args']],
  NullAry: [],
  Shuffle: [['immediate', 0]],
  IntCompare: [['intcc', 2]],
  FloatCompare: [['floatcc', 2]],
  IntAddTrap: [['trapcode', 0]],
  Jump: [['block_call', 0]],
  Brif: [['block_call', 0], ['block_call', 1]],
  BranchTable: [['jump_table', 0]],
  Call: [['func_ref', 0], ['varargs', 'args']],
  CallIndirect: [['sig_ref', 0], ['varargs', 'args']],
  TryCall: [['func_ref', 0], ['varargs', 'args'], ['exception_table', 1]],
  TryCallIndirect: [['varargs', 'args'], ['exception_table', 1]],
  FuncAddr: [['func_ref', 0]],
  Load: [['memflags', 0], ['offset32', 1]],
  LoadNoOffset: [['memflags', 0]],
  Store: [['memflags', 0], ['offset32', 1]],
  StoreNoOffset: [['memflags', 0]],
  StackLoad: [['stack_slot', 0], ['offset32', 1]],
  DynamicStackLoad: [['dynamic_stack_slot', 0]],
  DynamicStackStore: [['dynamic_stack_slot', 0]],
  AtomicRmw: [['memflags', 0], ['atomic_rmw_op', 1]],
  AtomicCas: [['memflags', 0]],
  Trap: [['trapcode', 0]],
  CondTrap: [['trapcode', 0]],
  // The handler index is an Imm64 in the text but fits one word.
  ExceptionHandlerAddress: [['block', 0], ['imm64', 1]],
};

/** TypeScript parameter type per operand kind. */
const TS_TYPES = {
  imm64: 'bigint | number',
  uimm8: 'number',
  ieee16: 'number',
  ieee32: 'number',
  ieee64: 'number',
  intcc: 'IntCC',
  floatcc: 'FloatCC',
  memflags: 'MemFlags',
  offset32: 'number',
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
  block: 'Block',
};

function camel(name) {
  const parts = name.split('_').filter((p) => p.length > 0);
  const s = parts.map((p, i) => (i === 0 ? p.charAt(0).toLowerCase() + p.slice(1) : p.charAt(0).toUpperCase() + p.slice(1))).join('');
  return s;
}
function methodName(opName) {
  const m = camel(opName);
  return m === 'return' ? 'return_' : m;
}
function paramName(operand) {
  if (operand.kind === 'block_call' && operand.name === 'block_call') return 'dest';
  const n = camel(operand.name);
  // Upstream's all-caps entity names (FN, SIG, JT, GV, SS, ET, DSS, N) read better in lower case.
  return /^[A-Z]+$/.test(operand.name) ? operand.name.toLowerCase() : n;
}

function immExpr(kind, name) {
  switch (kind) {
    case 'imm64': return [`imm64Lo(${name})`, `imm64Hi(${name})`];
    case 'ieee32': return [`f32Bits(${name})`];
    case 'ieee64': return [`f64Lo(${name})`, `f64Hi(${name})`];
    case 'ieee16': return [`(${name} & 0xffff)`];
    default: return [name];
  }
}

function genMethod(op) {
  const spec = ir.opcodeSpec(op);
  const table = FORMAT_IMMS[spec.formatName];
  if (table === undefined) throw new Error(`generate: no immediate layout for format ${spec.formatName} (${spec.name})`);
  const nonValue = spec.operands.filter((o) => o.kind !== 'value');
  if (nonValue.length !== table.length || nonValue.some((o, i) => o.kind !== table[i][0])) {
    throw new Error(`generate: ${spec.name} operands ${nonValue.map((o) => o.kind).join(',')} do not match format ${spec.formatName}`);
  }

  const params = [];
  const values = [];
  let varargs = 'undefined';
  const imms = ['0', '0', '0'];
  const docs = [];
  if (spec.requiresTypeSuffix) {
    params.push({ name: 'ctrlType', type: 'Type', optional: false });
    docs.push(`@param ctrlType the controlling type (${spec.ctrlTypeSetName})`);
  }
  let immIdx = 0;
  for (const o of spec.operands) {
    if (o.kind === 'value') {
      const n = paramName(o);
      params.push({ name: n, type: 'Value', optional: false });
      values.push(n);
      docs.push(`@param ${n} ${o.constraint.description}`);
      continue;
    }
    const [, slot] = table[immIdx++];
    const n = paramName(o);
    if (o.kind === 'varargs') {
      params.push({ name: n, type: 'readonly Value[]', optional: true, dflt: 'NO_VALUES' });
      varargs = n;
      continue;
    }
    if (o.kind === 'block_call') {
      params.push({ name: n, type: 'Block', optional: false });
      params.push({ name: `${n}Args`, type: 'readonly Value[]', optional: true, dflt: 'NO_VALUES' });
      imms[slot] = `this.blockCall(${n}, ${n}Args)`;
      continue;
    }
    params.push({ name: n, type: TS_TYPES[o.kind], optional: o.kind === 'offset32', dflt: '0' });
    const ex = immExpr(o.kind, n);
    if (slot === 'lohi') {
      imms[0] = ex[0];
      imms[1] = ex[1];
    } else {
      imms[slot] = o.kind === 'imm64' ? `imm64Lo(${n})` : ex[0];
    }
  }
  // Only trailing parameters may take defaults.
  let allowDefault = true;
  for (let i = params.length - 1; i >= 0; i--) {
    if (!params[i].optional) allowDefault = false;
    params[i].useDefault = allowDefault && params[i].optional;
  }
  const sig = params.map((p) => (p.useDefault ? `${p.name}: ${p.type} = ${p.dflt}` : `${p.name}: ${p.type}`)).join(', ');

  const ctrl = spec.requiresTypeSuffix ? 'ctrlType' : 'INVALID';
  const v = [...values, 'NO_VALUE', 'NO_VALUE', 'NO_VALUE'].slice(0, 3);
  const call = `this.buildInst(Opcode.${ir.opcodePascalName(op)}, ${ctrl}, ${values.length}, ${v.join(', ')}, ${varargs}, ${imms.join(', ')})`;
  let ret;
  let body;
  const fromSig = ir.resultsFromSignature(op);
  const nres = spec.results.length;
  if (fromSig || nres === 0) {
    ret = 'Inst';
    body = `return ${call};`;
  } else if (nres === 1) {
    ret = 'Value';
    body = `return this.firstResult(${call});`;
  } else {
    ret = `[${Array(nres).fill('Value').join(', ')}]`;
    body = `return this.twoResults(${call});`;
  }
  const resultDoc = fromSig
    ? 'the instruction; its results are the callee signature\'s returns'
    : nres === 0
      ? 'the instruction'
      : spec.results.map((r) => `${r.name}: ${r.constraint.description}`).join('; ');
  const head = `\`${spec.name}\` (${spec.formatName}${spec.polymorphic ? `, ctrl ${spec.ctrlTypeSetName}` : ''}${spec.flagNames.length ? `; ${spec.flagNames.join(', ')}` : ''})`;
  return [
    '  /**',
    `   * ${head}.`,
    ...docs.map((d) => `   * ${d}`),
    `   * @returns ${resultDoc}`,
    '   */',
    `  ${methodName(spec.name)}(${sig}): ${ret} {`,
    `    ${body}`,
    '  }',
  ].join('\n');
}

const methods = ir.ALL_OPCODES.map(genMethod);

const text = `// GENERATED by scripts/generate.mjs from @clift/ir's opcode table. DO NOT EDIT.
// One typed method per opcode; FuncInstBuilder in src/frontend.ts implements it.

import { INVALID, Opcode } from '@clift/ir';
import type {
  AtomicRmwOp,
  Block,
  BlockCall,
  Constant,
  DynamicStackSlot,
  ExceptionTable,
  FloatCC,
  FuncRef,
  GlobalValue,
  Immediate,
  Inst,
  IntCC,
  JumpTable,
  MemFlags,
  SigRef,
  StackSlot,
  TrapCode,
  Type,
  Value,
} from '@clift/ir';
import { f32Bits, f64Hi, f64Lo, imm64Hi, imm64Lo, NO_VALUE, NO_VALUES } from '../immediate-words.js';

/** Typed builders for every CLIF opcode; subclasses decide where instructions go. */
export abstract class GeneratedInstBuilder {
  /**
   * Creates and inserts one instruction. \`n\` fixed value operands are in
   * \`a0..a2\`; \`varargs\` (if any) follow them; imm words as formats.ts assigns.
   */
  protected abstract buildInst(
    op: Opcode,
    ctrlType: Type,
    n: number,
    a0: Value,
    a1: Value,
    a2: Value,
    varargs: readonly Value[] | undefined,
    imm0: number,
    imm1: number,
    imm2: number,
  ): Inst;
  /** Makes a branch destination with its arguments. */
  protected abstract blockCall(block: Block, args: readonly Value[]): BlockCall;
  protected abstract firstResult(inst: Inst): Value;
  protected abstract twoResults(inst: Inst): [Value, Value];

${methods.join('\n\n')}
}
`;

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, text);
console.log(`generate: wrote ${methods.length} opcode builders to ${outFile}`);
