// ISLE declarations of CLIF's instructions, generated from the opcode table:
// the Clift counterpart of upstream's generated `clif_lower.isle` (for the
// backends' lowering rules) and `clif_opt.isle` (for the mid-end's rewrite
// rules).
//
// Owns: the ISLE spelling of the immediate and entity types, the `Opcode`
// and `InstructionData` extern enums, the `ValueArrayN`/`BlockArrayN` helper
// types, the lowering flavor's per-field instruction accessors (`clif_*`),
// and one term per opcode. It does not define the primitive types and
// helper terms those declarations lean on (`Value`, `Inst`, `Type`,
// `ValueList`, `ValueSlice`, `BlockCall`, `inst_data_value`, `make_inst`, …):
// each consumer's prelude does, as upstream's prelude*.isle do. The list is
// in `clifIsleDefinitions`' documentation.
//
// Invariants:
// - Term names are opcode names and their argument order is upstream's
//   `operands_in` order, so rules written against upstream's generated files
//   read the same here: `(iadd x y)` on an `Inst` when lowering,
//   `(iadd ty x y)` on a `Value` in the mid-end. Only the bodies of the
//   lowering extractors differ from upstream's (field accessors rather than
//   an `InstructionData` value; see `clifIsleDefinitions`).
// - `InstructionData` has one variant per instruction format, in
//   `InstructionFormat` order, with fields named as upstream's
//   `InstructionData` members: `opcode`, then the values (`arg`, or `args` as
//   a `ValueArrayN` or, with variable arguments, a `ValueList`), then the
//   branch targets (`destination`, or `blocks` as a `BlockArrayN`), then a
//   raw `block`, then the immediates. Every generated pattern lists a
//   variant's fields in that same order.
// - Output is a pure function of the opcode table and of the enum objects of
//   immediates.ts: the same text on every call and every runtime.

import { FORMATS, formatInfo } from './formats.js';
import type { FormatInfo } from './formats.js';
import { AtomicRmwOp, FloatCC, IntCC, TrapCode } from './immediates.js';
import type { Opcode, OperandKind, OperandSpec } from './opcodes.js';
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
// Operand kinds

/** Kinds stored as format fields (everything but values, varargs and blocks). */
type FieldKind = Exclude<OperandKind, 'value' | 'varargs' | 'block_call' | 'block'>;

/**
 * Per field kind: upstream's `InstructionData` member name and the ISLE type.
 * The types must agree with `OperandSpec.isleType`; the generator checks it.
 */
const FIELD_KINDS: Readonly<Record<FieldKind, readonly [member: string, isleType: string]>> = {
  imm64: ['imm', 'Imm64'],
  uimm8: ['imm', 'Uimm8'],
  ieee16: ['imm', 'Ieee16'],
  ieee32: ['imm', 'Ieee32'],
  ieee64: ['imm', 'Ieee64'],
  intcc: ['cond', 'IntCC'],
  floatcc: ['cond', 'FloatCC'],
  memflags: ['flags', 'MemFlags'],
  offset32: ['offset', 'Offset32'],
  trapcode: ['code', 'TrapCode'],
  atomic_rmw_op: ['op', 'AtomicRmwOp'],
  func_ref: ['func_ref', 'FuncRef'],
  sig_ref: ['sig_ref', 'SigRef'],
  stack_slot: ['stack_slot', 'StackSlot'],
  dynamic_stack_slot: ['dynamic_stack_slot', 'DynamicStackSlot'],
  global_value: ['global_value', 'GlobalValue'],
  jump_table: ['table', 'JumpTable'],
  exception_table: ['exception', 'ExceptionTable'],
  constant: ['constant_handle', 'Constant'],
  immediate: ['imm', 'Immediate'],
};

/**
 * Enumerated immediates: ISLE extern enums whose variants are the keys of
 * the runtime objects in immediates.ts, so that a generated matcher's
 * `IntCC.Equal` is the value the IR stores. TrapCode's named codes are its
 * reserved ones; user codes match no variant, as upstream's associated
 * constants do.
 */
const ENUM_TYPES: Readonly<Record<string, readonly string[]>> = {
  AtomicRmwOp: Object.keys(AtomicRmwOp),
  FloatCC: Object.keys(FloatCC),
  IntCC: Object.keys(IntCC),
  TrapCode: Object.entries(TrapCode)
    .filter(([, v]) => typeof v === 'number')
    .map(([k]) => k),
};

// ---------------------------------------------------------------------------
// Format layouts

/**
 * What formats.ts does not state in structured form: per format, its branch
 * targets, whether it names a raw block, and its immediate fields in upstream
 * order. Formats with opcodes are checked against each opcode's operands; the
 * entries for BinaryImm64, IntCompareImm and StackStore (no opcode uses them
 * any more) follow upstream's format definitions.
 */
interface FormatLayout {
  readonly blockCalls: number;
  readonly rawBlock: boolean;
  readonly fields: readonly FieldKind[];
}
function layout(fields: readonly FieldKind[] = [], blockCalls = 0, rawBlock = false): FormatLayout {
  return { blockCalls, rawBlock, fields };
}
const FORMAT_LAYOUTS: Readonly<Record<string, FormatLayout>> = {
  Unary: layout(),
  UnaryImm: layout(['imm64']),
  UnaryIeee16: layout(['ieee16']),
  UnaryIeee32: layout(['ieee32']),
  UnaryIeee64: layout(['ieee64']),
  UnaryConst: layout(['constant']),
  UnaryGlobalValue: layout(['global_value']),
  Binary: layout(),
  BinaryImm8: layout(['uimm8']),
  BinaryImm64: layout(['imm64']),
  Ternary: layout(),
  TernaryImm8: layout(['uimm8']),
  MultiAry: layout(),
  NullAry: layout(),
  Shuffle: layout(['immediate']),
  IntCompare: layout(['intcc']),
  IntCompareImm: layout(['intcc', 'imm64']),
  FloatCompare: layout(['floatcc']),
  IntAddTrap: layout(['trapcode']),
  Jump: layout([], 1),
  Brif: layout([], 2),
  BranchTable: layout(['jump_table']),
  Call: layout(['func_ref']),
  CallIndirect: layout(['sig_ref']),
  TryCall: layout(['func_ref', 'exception_table']),
  TryCallIndirect: layout(['exception_table']),
  FuncAddr: layout(['func_ref']),
  Load: layout(['memflags', 'offset32']),
  LoadNoOffset: layout(['memflags']),
  Store: layout(['memflags', 'offset32']),
  StoreNoOffset: layout(['memflags']),
  StackLoad: layout(['stack_slot', 'offset32']),
  StackStore: layout(['stack_slot', 'offset32']),
  DynamicStackLoad: layout(['dynamic_stack_slot']),
  DynamicStackStore: layout(['dynamic_stack_slot']),
  AtomicRmw: layout(['memflags', 'atomic_rmw_op']),
  AtomicCas: layout(['memflags']),
  Trap: layout(['trapcode']),
  CondTrap: layout(['trapcode']),
  ExceptionHandlerAddress: layout(['imm64'], 0, true),
};

/** Thrown when the opcode table and this module's format layouts disagree. */
export class IsleTermsError extends Error {
  override readonly name = 'IsleTermsError';
}

function formatLayout(info: FormatInfo): FormatLayout {
  const l = FORMAT_LAYOUTS[info.name];
  if (l === undefined) throw new IsleTermsError(`format ${info.name}: no ISLE layout (add it to FORMAT_LAYOUTS)`);
  return l;
}

/** The `InstructionData` field holding a format's values, if any. */
function valuesField(info: FormatInfo): string | undefined {
  if (info.varargs) return '(args ValueList)';
  if (info.numValueArgs === 1) return '(arg Value)';
  if (info.numValueArgs > 1) return `(args ValueArray${info.numValueArgs})`;
  return undefined;
}

function blocksField(l: FormatLayout): string | undefined {
  if (l.blockCalls === 1) return '(destination BlockCall)';
  if (l.blockCalls > 1) return `(blocks BlockArray${l.blockCalls})`;
  return undefined;
}

// ---------------------------------------------------------------------------
// Per-opcode operands, sorted into the variant's field order

interface SortedOperands {
  readonly values: readonly string[];
  readonly varargs: string | undefined;
  readonly blockCalls: readonly string[];
  readonly rawBlock: string | undefined;
  readonly fields: readonly string[];
  readonly fieldKinds: readonly FieldKind[];
}

function sortOperands(op: Opcode): SortedOperands {
  const spec = opcodeSpec(op);
  const info = formatInfo(spec.format);
  const l = formatLayout(info);
  const where = `opcode ${spec.name} (format ${info.name})`;
  const values: string[] = [];
  const blockCalls: string[] = [];
  const fields: string[] = [];
  const fieldKinds: FieldKind[] = [];
  let varargs: string | undefined;
  let rawBlock: string | undefined;
  const seen = new Set<string>(['ty']);
  for (const o of spec.operands) {
    // A repeated variable in an ISLE pattern means "equal", not "bind".
    if (seen.has(o.name)) throw new IsleTermsError(`${where}: operand name ${o.name} is not unique`);
    seen.add(o.name);
    switch (o.kind) {
      case 'value':
        values.push(o.name);
        break;
      case 'varargs':
        varargs = o.name;
        break;
      case 'block_call':
        blockCalls.push(o.name);
        break;
      case 'block':
        rawBlock = o.name;
        break;
      default:
        checkFieldType(where, o, o.kind);
        fields.push(o.name);
        fieldKinds.push(o.kind);
    }
  }
  if (values.length !== info.numValueArgs || (varargs !== undefined) !== info.varargs) {
    throw new IsleTermsError(
      `${where}: ${values.length} value operand(s)${varargs !== undefined ? ' and varargs' : ''}, ` +
        `but the format has ${info.numValueArgs}${info.varargs ? ' and varargs' : ''}`,
    );
  }
  if (blockCalls.length !== l.blockCalls || (rawBlock !== undefined) !== l.rawBlock) {
    throw new IsleTermsError(`${where}: block operands do not match the format's layout`);
  }
  if (fieldKinds.join(' ') !== l.fields.join(' ')) {
    throw new IsleTermsError(
      `${where}: immediates [${fieldKinds.join(', ')}] but the format's layout has [${l.fields.join(', ')}]`,
    );
  }
  return { values, varargs, blockCalls, rawBlock, fields, fieldKinds };
}

function checkFieldType(where: string, o: OperandSpec, kind: FieldKind): void {
  const expected = FIELD_KINDS[kind][1];
  if (o.isleType !== expected) {
    throw new IsleTermsError(`${where}: operand ${o.name} has ISLE type ${o.isleType}, expected ${expected}`);
  }
}

/**
 * The variant pattern (or expression) of an opcode's instruction data:
 * `(InstructionData.Binary (Opcode.Iadd) (value_array_2 x y))`.
 * `valueArray` names the term that packs or unpacks fixed value arrays.
 */
function instructionData(op: Opcode, s: SortedOperands, valueArray: (n: number) => string): string {
  const info = formatInfo(opcodeFormat(op));
  const parts = [`InstructionData.${info.name}`, `(Opcode.${opcodePascalName(op)})`];
  if (s.varargs !== undefined) {
    // Fixed values lead the value list; the varargs are its tail.
    parts.push(
      s.values.length === 0
        ? `(value_list_slice ${s.varargs})`
        : `(unwrap_head_value_list_${s.values.length} ${s.values.join(' ')} ${s.varargs})`,
    );
  } else if (s.values.length === 1) {
    parts.push(s.values[0]);
  } else if (s.values.length > 1) {
    parts.push(`(${valueArray(s.values.length)} ${s.values.join(' ')})`);
  }
  if (s.blockCalls.length === 1) parts.push(s.blockCalls[0]);
  else if (s.blockCalls.length > 1) parts.push(`(block_array_${s.blockCalls.length} ${s.blockCalls.join(' ')})`);
  if (s.rawBlock !== undefined) parts.push(s.rawBlock);
  parts.push(...s.fields);
  return `(${parts.join(' ')})`;
}

// ---------------------------------------------------------------------------
// Text generation

function banner(title: string): string {
  const head = `;;;; ${title} `;
  return head.padEnd(80, ';');
}

function enumType(name: string, variants: readonly string[]): string[] {
  return [`(type ${name} extern`, '    (enum', ...variants.map((v) => `        ${v}`), '    )', ')', ''];
}

function commonDeclarations(): string[] {
  const out: string[] = [];
  const usedFormats = FORMATS.map((info) => ({ info, layout: formatLayout(info) }));

  out.push(banner('Extern type declarations for immediates'), '');
  const primitives = new Set<string>();
  for (const { layout: l } of usedFormats) {
    for (const k of l.fields) {
      const t = FIELD_KINDS[k][1];
      if (!(t in ENUM_TYPES)) primitives.add(t);
    }
  }
  for (const t of [...primitives].sort()) out.push(`(type ${t} (primitive ${t}))`);
  out.push('');

  for (const name of Object.keys(ENUM_TYPES).sort()) {
    out.push(banner(`Enumerated Immediate: ${name}`), '');
    out.push(...enumType(name, [...ENUM_TYPES[name]].sort()));
  }

  out.push(banner('Value Arrays'), '');
  const valueArities = new Set<number>();
  for (const { info } of usedFormats) if (!info.varargs && info.numValueArgs > 1) valueArities.add(info.numValueArgs);
  for (const n of [...valueArities].sort((a, b) => a - b)) {
    out.push(
      `;; ISLE representation of \`[Value; ${n}]\`.`,
      `(type ValueArray${n} extern (enum))`,
      '',
      `(decl value_array_${n} (${Array<string>(n).fill('Value').join(' ')}) ValueArray${n})`,
      `(extern constructor value_array_${n} pack_value_array_${n})`,
      `(extern extractor infallible value_array_${n} unpack_value_array_${n})`,
      '',
    );
  }

  out.push(banner('Block Arrays'), '');
  const blockArities = new Set<number>();
  for (const { layout: l } of usedFormats) if (l.blockCalls > 1) blockArities.add(l.blockCalls);
  for (const n of [...blockArities].sort((a, b) => a - b)) {
    out.push(
      `;; ISLE representation of \`[BlockCall; ${n}]\`.`,
      `(type BlockArray${n} extern (enum))`,
      '',
      `(decl block_array_${n} (${Array<string>(n).fill('BlockCall').join(' ')}) BlockArray${n})`,
      `(extern constructor block_array_${n} pack_block_array_${n})`,
      `(extern extractor infallible block_array_${n} unpack_block_array_${n})`,
      '',
    );
  }

  out.push(';; A raw block reference (not a `BlockCall`), as `get_exception_handler_address` names one.');
  out.push('(type Block (primitive Block))', '');

  out.push(banner('`Opcode`'), '');
  out.push(...enumType('Opcode', ALL_OPCODES.map(opcodePascalName)));

  out.push(banner('`InstructionData`'), '');
  out.push('(type InstructionData extern', '    (enum');
  for (const { info, layout: l } of usedFormats) {
    const fields = ['(opcode Opcode)'];
    const values = valuesField(info);
    if (values !== undefined) fields.push(values);
    const blocks = blocksField(l);
    if (blocks !== undefined) fields.push(blocks);
    if (l.rawBlock) fields.push('(block Block)');
    for (const k of l.fields) fields.push(`(${FIELD_KINDS[k][0]} ${FIELD_KINDS[k][1]})`);
    out.push(`        (${info.name} ${fields.join(' ')})`);
  }
  out.push('    )', ')', '');
  return out;
}

function operandTypes(op: Opcode): string[] {
  return opcodeSpec(op).operands.map((o) => o.isleType);
}
function operandNames(op: Opcode): string[] {
  return opcodeSpec(op).operands.map((o) => o.name);
}

function lowerTerms(op: Opcode): string[] {
  const name = opcodeName(op);
  const s = sortOperands(op);
  const pattern = [name, ...operandNames(op)].join(' ');
  const parts = [`(clif_opcode (Opcode.${opcodePascalName(op)}))`];
  s.values.forEach((v, i) => parts.push(`(clif_value_${i} ${v})`));
  if (s.varargs !== undefined) parts.push(`(clif_value_list_${s.values.length} ${s.varargs})`);
  s.blockCalls.forEach((b, i) => parts.push(`(clif_block_call_${i} ${b})`));
  if (s.rawBlock !== undefined) parts.push(`(clif_block ${s.rawBlock})`);
  s.fields.forEach((f, i) => parts.push(`(clif_${s.fieldKinds[i]} ${f})`));
  return [`(decl ${name} (${operandTypes(op).join(' ')}) Inst)`, `(extractor (${pattern})`, `    (and ${parts.join(' ')}))`, ''];
}

/**
 * The lowering flavor's accessors: one infallible extern extractor per part
 * of an instruction that some opcode has, each reading one field of the
 * instruction it is given (so a matcher tests the opcode once, in a
 * `switch`, and binds operands without building any object).
 */
function lowerAccessors(): string[] {
  const out: string[] = [banner('Instruction field accessors (lowering)'), ''];
  let maxValues = 0;
  let maxBlockCalls = 0;
  let rawBlock = false;
  const listHeads = new Set<number>();
  const kinds = new Set<FieldKind>();
  for (const op of ALL_OPCODES) {
    const s = sortOperands(op);
    maxValues = Math.max(maxValues, s.values.length);
    maxBlockCalls = Math.max(maxBlockCalls, s.blockCalls.length);
    if (s.varargs !== undefined) listHeads.add(s.values.length);
    if (s.rawBlock !== undefined) rawBlock = true;
    for (const k of s.fieldKinds) kinds.add(k);
  }
  const accessor = (doc: string, name: string, ty: string): void => {
    out.push(`;; ${doc}`, `(decl ${name} (${ty}) Inst)`, `(extern extractor infallible ${name} ${name})`, '');
  };
  accessor('The opcode of an instruction.', 'clif_opcode', 'Opcode');
  for (let i = 0; i < maxValues; i++) accessor(`Fixed value operand ${i} (in \`operands_in\` order).`, `clif_value_${i}`, 'Value');
  for (const n of [...listHeads].sort((a, b) => a - b)) {
    const doc = n === 0 ? 'The variable value operands (the format has no fixed ones).' : `The variable value operands after the first ${n} fixed one(s).`;
    accessor(doc, `clif_value_list_${n}`, 'ValueSlice');
  }
  for (let i = 0; i < maxBlockCalls; i++) accessor(`Branch target ${i} (block and arguments).`, `clif_block_call_${i}`, 'BlockCall');
  if (rawBlock) accessor('The block an instruction names without arguments.', 'clif_block', 'Block');
  for (const k of Object.keys(FIELD_KINDS) as FieldKind[]) {
    if (kinds.has(k)) accessor(`The \`${FIELD_KINDS[k][0]}\` immediate of an instruction that has one of type \`${FIELD_KINDS[k][1]}\`.`, `clif_${k}`, FIELD_KINDS[k][1]);
  }
  return out;
}

/**
 * Whether the mid-end treats `op` as a pure node (a `Value` in the e-graph)
 * rather than a skeleton instruction: upstream's rule, one result and
 * neither a possible trap nor other side effects.
 */
function isPureInOpt(op: Opcode): boolean {
  return numFixedResults(op) === 1 && !canTrap(op) && !otherSideEffects(op);
}

function optTerms(op: Opcode): string[] {
  const name = opcodeName(op);
  const s = sortOperands(op);
  const names = operandNames(op);
  const types = operandTypes(op);
  if (isPureInOpt(op)) {
    const head = ['ty', ...names].join(' ');
    return [
      `(decl ${name} (${['Type', ...types].join(' ')}) Value)`,
      `(extractor (${name} ${head})`,
      `    (inst_data_value ty ${instructionData(op, s, (n) => `value_array_${n}`)}))`,
      `(rule (${name} ${head})`,
      `    (make_inst ty ${instructionData(op, s, (n) => `value_array_${n}_ctor`)}))`,
      '',
    ];
  }
  const head = [name, ...names].join(' ');
  return [
    `(decl ${name} (${types.join(' ')}) Inst)`,
    `(extractor (${head})`,
    `    (inst_data ${instructionData(op, s, (n) => `value_array_${n}`)}))`,
    `(rule (${head})`,
    `    (make_skeleton_inst ${instructionData(op, s, (n) => `value_array_${n}_ctor`)}))`,
    '',
  ];
}

/**
 * The ISLE declarations of every CLIF opcode, for lowering (`'lower'`, the
 * counterpart of upstream's `clif_lower.isle`) or for the mid-end (`'opt'`,
 * `clif_opt.isle`).
 *
 * Both flavors declare the immediate types (`Imm64`, `MemFlags`, …, and the
 * `IntCC`/`FloatCC`/`AtomicRmwOp`/`TrapCode` enums), `ValueArray2/3` with
 * `value_array_2/3`, `BlockArray2` with `block_array_2`, `Block`, `Opcode`
 * and `InstructionData`, then one term per opcode, named and typed as
 * upstream's:
 *
 * - `'lower'`: an extractor on `Inst` for every opcode, arguments in operand
 *   order: `(decl iadd (Value Value) Inst)`,
 *   `(decl load (MemFlags Value Offset32) Inst)`,
 *   `(decl call (FuncRef ValueSlice) Inst)`. Where upstream's extractors
 *   unpack an `InstructionData` (which Rust returns by value), these read
 *   the instruction through accessors declared here, one infallible extern
 *   extractor per field: `(iadd x y)` is `(and (clif_opcode (Opcode.Iadd))
 *   (clif_value_0 x) (clif_value_1 y))`. A matcher then switches on the
 *   opcode once and binds operands straight from the IR's arrays, with no
 *   object per match. The accessors are `clif_opcode`, `clif_value_0..2`,
 *   `clif_value_list_0/1` (variable operands after that many fixed ones, as
 *   a `ValueSlice`), `clif_block_call_0/1`, `clif_block`, and `clif_<kind>`
 *   for each immediate kind (`clif_imm64`, `clif_memflags`,
 *   `clif_offset32`, `clif_intcc`, …); their Context methods have the same
 *   names.
 * - `'opt'`: opcodes without variable arguments only. A pure opcode (one
 *   result, cannot trap, no other side effects) is a `Value` term with its
 *   result type first, both extractor and constructor:
 *   `(decl iadd (Type Value Value) Value)`. Any other is an `Inst` term over
 *   skeleton instructions: `(decl trapz (Value TrapCode) Inst)`. These go
 *   through `InstructionData` as upstream's do, since the mid-end also
 *   builds instructions from it.
 *
 * The consumer's prelude must define the types `Value`, `Inst`, `Type`,
 * `BlockCall`, `ValueList` and `ValueSlice`; for `'opt'` also these terms:
 * `(decl inst_data_value (Type InstructionData) Value)` and
 * `(decl inst_data (InstructionData) Inst)` (extractors; upstream's first
 * is `multi`), `(decl make_inst (Type InstructionData) Value)`,
 * `(decl make_skeleton_inst (InstructionData) Inst)`,
 * `(decl value_array_2_ctor (Value Value) ValueArray2)` and
 * `value_array_3_ctor` (constructors). (Upstream's preludes also declare
 * `value_list_slice`, `unwrap_head_value_list_1`, … over the types defined
 * here; neither flavor's terms need them.) The extern
 * functions the declarations name (`pack_value_array_2`,
 * `unpack_value_array_2`, `pack_block_array_2`, the `clif_*` accessors, …)
 * belong to the generated matcher's `Context`.
 *
 * @throws IsleTermsError if the opcode table and the format layouts disagree
 *   (a table bug, not an input error).
 */
export function clifIsleDefinitions(flavor: 'lower' | 'opt'): string {
  const out: string[] = [
    `;; Generated by @clift/ir clifIsleDefinitions('${flavor}') from its opcode table. DO NOT EDIT.`,
    ';;',
    ";; ISLE declarations of Clift's instruction data: immediate types, `Opcode`,",
    flavor === 'lower'
      ? ';; `InstructionData`, and one extractor on `Inst` per opcode, for lowering.'
      : ';; `InstructionData`, and one term per opcode without variable arguments, for the mid-end.',
    '',
    ...commonDeclarations(),
    ...(flavor === 'lower' ? lowerAccessors() : []),
    banner('Extracting Opcode, Operands, and Immediates from `InstructionData`'),
    '',
  ];
  for (const op of ALL_OPCODES) {
    if (flavor === 'lower') {
      out.push(...lowerTerms(op));
    } else if (formatInfo(opcodeFormat(op)).varargs) {
      // Calls, returns and other variadic instructions are never rewritten by
      // the mid-end, so (as upstream) they get no terms.
      continue;
    } else {
      out.push(...optTerms(op));
    }
  }
  return out.join('\n');
}
