// ISLE declarations of CLIF's instructions, generated from the opcode table:
// the Clift counterpart of upstream's generated `clif_lower.isle` (for the
// backends' lowering rules) and `clif_opt.isle` (for the mid-end's rewrite
// rules).
//
// Owns: the ISLE spelling of the immediate and entity types, the `Opcode`
// and `InstructionData` extern enums, the `ValueArrayN`/`BlockArrayN` helper
// types, the per-field instruction accessors (`clif_*`) both flavors match
// through, the mid-end flavor's e-class iteration (`clif_node`) and
// per-format node constructors (`make_inst_*`, `make_skeleton_inst_*`), and
// one term per opcode. It does not define the primitive types those
// declarations lean on (`Value`, `Inst`, `Type`, `BlockCall`, `ValueList`,
// `ValueSlice`): each consumer's prelude does, as upstream's prelude*.isle
// do. The list is in `clifIsleDefinitions`' documentation.
//
// Invariants:
// - Term names are opcode names and their argument order is upstream's
//   `operands_in` order, so rules written against upstream's generated files
//   read the same here: `(iadd x y)` on an `Inst` when lowering,
//   `(iadd ty x y)` on a `Value` in the mid-end. Only the bodies differ from
//   upstream's: extractors read one field at a time through accessors
//   rather than unpacking an `InstructionData` value, and the mid-end's
//   constructors call one extern per instruction format rather than
//   building an `InstructionData` (see `clifIsleDefinitions`).
// - `InstructionData` has one variant per instruction format, in
//   `InstructionFormat` order, with fields named as upstream's
//   `InstructionData` members: `opcode`, then the values (`arg`, or `args` as
//   a `ValueArrayN` or, with variable arguments, a `ValueList`), then the
//   branch targets (`destination`, or `blocks` as a `BlockArrayN`), then a
//   raw `block`, then the immediates. The per-format constructors take an
//   instruction's operands in that same order.
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

/** The operand names of an opcode in its format's field order (values, branch targets, raw block, immediates). */
function fieldOrderNames(s: SortedOperands): string[] {
  return [...s.values, ...s.blockCalls, ...(s.rawBlock !== undefined ? [s.rawBlock] : []), ...s.fields];
}

/**
 * The accessor patterns binding each operand of an opcode to its name, in
 * field order: `(clif_value_0 x) (clif_value_1 y)`.
 */
function fieldPatterns(s: SortedOperands): string[] {
  const parts: string[] = [];
  s.values.forEach((v, i) => parts.push(`(clif_value_${i} ${v})`));
  if (s.varargs !== undefined) parts.push(`(clif_value_list_${s.values.length} ${s.varargs})`);
  s.blockCalls.forEach((b, i) => parts.push(`(clif_block_call_${i} ${b})`));
  if (s.rawBlock !== undefined) parts.push(`(clif_block ${s.rawBlock})`);
  s.fields.forEach((f, i) => parts.push(`(clif_${s.fieldKinds[i]} ${f})`));
  return parts;
}

function opcodePattern(op: Opcode): string {
  return `(clif_opcode (Opcode.${opcodePascalName(op)}))`;
}

function lowerTerms(op: Opcode): string[] {
  const name = opcodeName(op);
  const s = sortOperands(op);
  const pattern = [name, ...operandNames(op)].join(' ');
  const parts = [opcodePattern(op), ...fieldPatterns(s)];
  return [`(decl ${name} (${operandTypes(op).join(' ')}) Inst)`, `(extractor (${pattern})`, `    (and ${parts.join(' ')}))`, ''];
}

/**
 * The accessors the terms of `ops` read through: one infallible extern
 * extractor per part of an instruction that some opcode of `ops` has, each
 * reading one field of the instruction it is given (so a matcher tests the
 * opcode once, in a `switch`, and binds operands without building any
 * object).
 */
function accessors(title: string, ops: readonly Opcode[]): string[] {
  const out: string[] = [banner(title), ''];
  let maxValues = 0;
  let maxBlockCalls = 0;
  let rawBlock = false;
  const listHeads = new Set<number>();
  const kinds = new Set<FieldKind>();
  for (const op of ops) {
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

/** The opcodes the mid-end flavor declares terms for: every one without variable arguments. */
function optOpcodes(): Opcode[] {
  return ALL_OPCODES.filter((op) => !formatInfo(opcodeFormat(op)).varargs);
}

/** `IntCompare` -> `int_compare`, `UnaryIeee32` -> `unary_ieee32`. */
function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** The name of the mid-end constructor extern for nodes (or skeleton instructions) of a format. */
function makerName(info: FormatInfo, pure: boolean): string {
  return `${pure ? 'make_inst' : 'make_skeleton_inst'}_${snakeCase(info.name)}`;
}

/** The ISLE types of a format's operands in field order. */
function formatFieldTypes(info: FormatInfo): string[] {
  const l = formatLayout(info);
  return [
    ...Array<string>(info.numValueArgs).fill('Value'),
    ...Array<string>(l.blockCalls).fill('BlockCall'),
    ...(l.rawBlock ? ['Block'] : []),
    ...l.fields.map((k) => FIELD_KINDS[k][1]),
  ];
}

/**
 * The mid-end flavor's view of the e-graph: iteration over an e-class's
 * nodes, the result type of a node, and one constructor extern per format
 * and kind of instruction (pure node or skeleton instruction) that some
 * opcode needs.
 */
function optNodeTerms(ops: readonly Opcode[]): string[] {
  const out: string[] = [banner('E-class nodes'), ''];
  out.push(
    ';; Every node of an e-class, as the instruction that defines it: a multi',
    ";; extractor, one match per node (upstream's `inst_data_value` yields each",
    ";; node's type and `InstructionData` instead).",
    '(decl multi clif_node (Inst) Value)',
    '(extern extractor clif_node clif_node)',
    '',
    ";; The type of an instruction's first result: a node's type.",
    '(decl clif_result_type (Type) Inst)',
    '(extern extractor infallible clif_result_type clif_result_type)',
    '',
  );
  out.push(banner('Node and skeleton instruction constructors'), '');
  const used = new Set<string>();
  for (const op of ops) used.add(`${isPureInOpt(op)} ${opcodeFormat(op)}`);
  for (const pure of [true, false]) {
    for (const info of FORMATS) {
      if (!used.has(`${pure} ${FORMATS.indexOf(info)}`)) continue;
      const name = makerName(info, pure);
      const args = [...(pure ? ['Type'] : []), 'Opcode', ...formatFieldTypes(info)].join(' ');
      out.push(
        pure
          ? `;; The e-class of the pure node of format ${info.name} with these operands (inserted if new).`
          : `;; Makes a skeleton instruction of format ${info.name}, outside the layout.`,
        `(decl ${name} (${args}) ${pure ? 'Value' : 'Inst'})`,
        `(extern constructor ${name} ${name})`,
        '',
      );
    }
  }
  return out;
}

function optTerms(op: Opcode): string[] {
  const name = opcodeName(op);
  const s = sortOperands(op);
  const names = operandNames(op);
  const types = operandTypes(op);
  const info = formatInfo(opcodeFormat(op));
  const opcode = `(Opcode.${opcodePascalName(op)})`;
  const ctorArgs = fieldOrderNames(s);
  if (isPureInOpt(op)) {
    const head = ['ty', ...names].join(' ');
    const parts = [opcodePattern(op), '(clif_result_type ty)', ...fieldPatterns(s)];
    return [
      `(decl ${name} (${['Type', ...types].join(' ')}) Value)`,
      `(extractor (${name} ${head})`,
      `    (clif_node (and ${parts.join(' ')})))`,
      `(rule (${name} ${head})`,
      `    (${[makerName(info, true), 'ty', opcode, ...ctorArgs].join(' ')}))`,
      '',
    ];
  }
  const head = [name, ...names].join(' ');
  const parts = [opcodePattern(op), ...fieldPatterns(s)];
  return [
    `(decl ${name} (${types.join(' ')}) Inst)`,
    `(extractor (${head})`,
    `    (and ${parts.join(' ')}))`,
    `(rule (${head})`,
    `    (${[makerName(info, false), opcode, ...ctorArgs].join(' ')}))`,
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
 * upstream's. Where upstream's extractors unpack an `InstructionData`
 * (which Rust returns by value), these read the instruction through
 * accessors declared here, one infallible extern extractor on `Inst` per
 * field: `clif_opcode`, `clif_value_0..2`, `clif_value_list_0/1` (variable
 * operands after that many fixed ones, as a `ValueSlice`; lowering only),
 * `clif_block_call_0/1`, `clif_block`, and `clif_<kind>` for each immediate
 * kind (`clif_imm64`, `clif_memflags`, `clif_offset32`, `clif_intcc`, …).
 * A matcher then switches on the opcode once and binds operands straight
 * from the IR's arrays, with no object per match.
 *
 * - `'lower'`: an extractor on `Inst` for every opcode, arguments in operand
 *   order: `(decl iadd (Value Value) Inst)`,
 *   `(decl load (MemFlags Value Offset32) Inst)`,
 *   `(decl call (FuncRef ValueSlice) Inst)`; `(iadd x y)` is
 *   `(and (clif_opcode (Opcode.Iadd)) (clif_value_0 x) (clif_value_1 y))`.
 * - `'opt'`: opcodes without variable arguments only, each with an extractor
 *   and a constructor. A pure opcode (one result, cannot trap, no other side
 *   effects) is a `Value` term with its result type first:
 *   `(decl iadd (Type Value Value) Value)`. Its extractor matches any node
 *   of the e-class that is an `iadd` of that type: `(iadd ty x y)` is
 *   `(clif_node (and (clif_opcode (Opcode.Iadd)) (clif_result_type ty)
 *   (clif_value_0 x) (clif_value_1 y)))`, where the multi extractor
 *   `(decl multi clif_node (Inst) Value)` yields each node of the class as
 *   its instruction and `clif_result_type` reads a node's type. Its
 *   constructor inserts the node through the format's extern:
 *   `(make_inst_binary ty (Opcode.Iadd) x y)`. Any other opcode is an `Inst`
 *   term over skeleton instructions, `(decl trapz (Value TrapCode) Inst)`,
 *   matched through the accessors and built by
 *   `(make_skeleton_inst_cond_trap (Opcode.Trapz) c code)`. The per-format
 *   externs (`make_inst_<format>` with a `Type`, returning the node's
 *   `Value`; `make_skeleton_inst_<format>` returning an `Inst`; format names
 *   in snake case) take the opcode, then the operands in the format's field
 *   order: values, branch targets, raw block, immediates.
 *
 * The consumer's prelude must define the primitive types `Value`, `Inst`,
 * `Type`, `BlockCall`, `ValueList` and `ValueSlice`. (Upstream's preludes
 * also declare `inst_data_value`, `make_inst`, `value_list_slice`, … over
 * the types defined here; neither flavor's terms need them.) The extern
 * functions the declarations name (`pack_value_array_2`,
 * `unpack_value_array_2`, `pack_block_array_2`, the `clif_*` accessors,
 * `clif_node`, the `make_*` constructors, …) belong to the generated
 * matcher's `Context`, under the same names.
 *
 * @throws IsleTermsError if the opcode table and the format layouts disagree
 *   (a table bug, not an input error).
 */
export function clifIsleDefinitions(flavor: 'lower' | 'opt'): string {
  const ops = flavor === 'lower' ? ALL_OPCODES : optOpcodes();
  const out: string[] = [
    `;; Generated by @clift/ir clifIsleDefinitions('${flavor}') from its opcode table. DO NOT EDIT.`,
    ';;',
    ";; ISLE declarations of Clift's instruction data: immediate types, `Opcode`,",
    flavor === 'lower'
      ? ';; `InstructionData`, and one extractor on `Inst` per opcode, for lowering.'
      : ';; `InstructionData`, and one term per opcode without variable arguments, for the mid-end.',
    '',
    ...commonDeclarations(),
    ...(flavor === 'lower'
      ? accessors('Instruction field accessors (lowering)', ops)
      : [...accessors('Instruction field accessors', ops), ...optNodeTerms(ops)]),
    banner(flavor === 'lower' ? 'Extracting Opcode, Operands, and Immediates from `InstructionData`' : 'Matching and building instructions, one term per opcode'),
    '',
  ];
  // Calls, returns and other variadic instructions are never rewritten by
  // the mid-end, so (as upstream) they get no terms there.
  for (const op of ops) out.push(...(flavor === 'lower' ? lowerTerms(op) : optTerms(op)));
  return out.join('\n');
}
