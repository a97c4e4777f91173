// The printer: writes a Function as canonical CLIF text.
//
// Canonical means stable and re-readable: the reader parses what this
// writes back into an identical function (same entity numbers, same text),
// so print → parse → print is the identity. Formatting follows upstream
// Cranelift's writer (preamble declarations, blank line between blocks, a
// `.type` suffix only where the controlling type cannot be inferred, value
// aliases after the definition they refer to).

import type { Block, Inst, Value } from './entities.js';
import { NONE } from './entities.js';
import { BlockArg, type BlockCall, type ExceptionTableItem, type GlobalValueData, type StackSlotData } from './entity-data.js';
import type { Function } from './function.js';
import type { DataFlowGraph } from './dfg.js';
import { InstructionFormat } from './formats.js';
import {
  atomicRmwOpName,
  floatCCName,
  formatIeee16,
  formatIeee32,
  formatIeee64,
  formatIeee128,
  formatImm64,
  formatOffset32,
  intCCName,
  signExtend,
  MemFlags,
  trapCodeName,
  wordsToI64,
  type AtomicRmwOp,
  type FloatCC,
  type IntCC,
  type TrapCode,
} from './immediates.js';
import { Opcode, opcodeName, opcodeFormat, opcodeTypevarOperand, opcodeIsPolymorphic } from './opcodes.js';
import { formatSignature, formatUserFuncName, type ExternalName } from './signature.js';
import { typeBits, typeName } from './types.js';

/** Prints a whole function, ending with a newline after `}`. */
export function printFunction(func: Function): string {
  const w = new FunctionWriter(func);
  return w.write();
}

/** Prints one instruction as it appears in a function body, without indent. */
export function printInst(func: Function, inst: Inst): string {
  // One line needs neither the alias lines nor the indent: skip the scans
  // of the whole function that find them (the verifier prints an
  // instruction per error).
  return new FunctionWriter(func, false).instText(inst);
}

/** Bytes (little-endian order) as CLIF hex: most significant byte first. */
export function formatConstantBytes(bytes: Uint8Array): string {
  let s = '0x';
  for (let i = bytes.length - 1; i >= 0; i--) s += bytes[i].toString(16).padStart(2, '0');
  return bytes.length === 0 ? '0x' : s;
}

export function formatStackSlot(d: StackSlotData): string {
  let s = `${d.kind} ${d.size}`;
  if (d.alignShift !== undefined) s += `, align = ${1 << d.alignShift}`;
  if (d.key !== undefined) s += `, key = ${d.key}`;
  return s;
}

/**
 * An integer immediate as Cranelift shows it: narrow immediates are stored
 * zero-extended and shown sign-extended from the controlling type's width.
 */
function formatUnaryImm(dfg: DataFlowGraph, inst: Inst): string {
  const bits = typeBits(dfg.ctrlType(inst));
  const x = wordsToI64(dfg.imm0(inst), dfg.imm1(inst));
  return formatImm64(bits > 0 && bits < 64 ? signExtend(x, bits) : x);
}

/** Little-endian bytes as an unsigned integer. */
function bytesToBigInt(bytes: Uint8Array): bigint {
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]);
  return x;
}

/** The aliases of a writer that prints single instructions (never written to). */
const NO_ALIASES: ReadonlyMap<Value, Value[]> = new Map();

class FunctionWriter {
  /** Each value's aliases, printed after its definition. */
  private readonly aliasesOf: ReadonlyMap<Value, Value[]> = NO_ALIASES;
  private readonly indent: number;

  /** `wholeFunction`: the writer will print blocks (so it finds aliases and the indent). */
  constructor(
    private readonly func: Function,
    wholeFunction = true,
  ) {
    if (!wholeFunction) {
      this.indent = 4;
      return;
    }
    const dfg = func.dfg;
    const aliasesOf = new Map<Value, Value[]>();
    for (const a of dfg.aliases()) {
      const def = dfg.valueDef(a);
      if (def.kind !== 'alias') continue;
      const list = aliasesOf.get(def.original);
      if (list) list.push(a);
      else aliasesOf.set(def.original, [a]);
    }
    this.aliasesOf = aliasesOf;
    let hasPrefix = false;
    for (const b of func.layout.blocks()) {
      for (const i of func.layout.blockInsts(b)) {
        if (dfg.srcLoc(i) !== NONE) hasPrefix = true;
      }
    }
    this.indent = hasPrefix ? 36 : 4;
  }

  write(): string {
    const f = this.func;
    let out = `function ${formatUserFuncName(f.name)}${formatSignature(f.signature)} {\n`;
    const pre = this.preamble();
    out += pre;
    let any = pre.length > 0;
    for (const b of f.layout.blocks()) {
      if (any) out += '\n';
      any = true;
      out += this.blockText(b);
    }
    return out + '}\n';
  }

  private preamble(): string {
    const f = this.func;
    const dfg = f.dfg;
    const lines: string[] = [];
    const usedUserNames = new Set<number>();
    for (const gv of f.globalValues) if (gv?.kind === 'symbol' && gv.name.kind === 'user') usedUserNames.add(gv.name.ref);
    for (const i of [...usedUserNames].sort((a, b) => a - b)) {
      const n = f.userNamedFuncs[i];
      lines.push(`userextname${i} = u${n.namespace}:${n.index}`);
    }
    f.stackSlots.forEach((d, i) => d && lines.push(`ss${i} = ${formatStackSlot(d)}`));
    f.globalValues.forEach((d, i) => d && lines.push(`gv${i} = ${this.globalValueText(d)}`));
    dfg.dynamicTypes.forEach((d, i) => d && lines.push(`dt${i} = ${typeName(d.baseVectorType)}*gv${d.dynamicScale}`));
    f.dynamicStackSlots.forEach((d, i) => d && lines.push(`dss${i} = ${d.kind} dt${d.dynType}`));
    f.aliasRegions.forEach((d, i) => d && lines.push(`region${i} = ${d.userId} ${JSON.stringify(d.name)}`));
    dfg.signatures.forEach((s, i) => s && lines.push(`sig${i} = ${formatSignature(s)}`));
    dfg.extFuncs.forEach((e, i) => {
      if (!e) return;
      let s = `fn${i} = `;
      if (e.colocated) s += 'colocated ';
      if (e.patchable) s += 'patchable ';
      lines.push(`${s}${this.externalName(e.name, true)} sig${e.signature}`);
    });
    dfg.constants.forEach((c, i) => c && lines.push(`const${i} = ${formatConstantBytes(c)}`));
    if (f.stackLimit !== undefined) lines.push(`stack_limit = gv${f.stackLimit}`);
    return lines.map((l) => `    ${l}\n`).join('');
  }

  private externalName(n: ExternalName, resolveUser: boolean): string {
    switch (n.kind) {
      case 'user': {
        if (!resolveUser) return `userextname${n.ref}`;
        const u = this.func.userNamedFuncs[n.ref];
        return u ? `u${u.namespace}:${u.index}` : `userextname${n.ref}`;
      }
      case 'testcase': return `%${n.name}`;
      case 'libcall': return `%${n.name}`;
      case 'known_symbol': return `%${n.name}`;
    }
  }

  private globalValueText(d: GlobalValueData): string {
    switch (d.kind) {
      case 'vmctx': return 'vmctx';
      case 'load': return `load.${typeName(d.globalType)}${MemFlags.toString(d.flags)} gv${d.base}${formatOffset32(d.offset)}`;
      case 'iadd_imm': return `iadd_imm.${typeName(d.globalType)} gv${d.base}, ${formatImm64(d.offset)}`;
      case 'symbol': {
        let s = 'symbol ';
        if (d.colocated) s += 'colocated ';
        if (d.tls) s += 'tls ';
        s += this.externalName(d.name, false);
        if (d.offset !== 0n) s += d.offset > 0n ? `+${d.offset}` : `${d.offset}`;
        return s;
      }
      case 'dyn_scale_target_const': return `dyn_scale_target_const.${typeName(d.vectorType)}`;
    }
  }

  private blockText(b: Block): string {
    const f = this.func;
    const dfg = f.dfg;
    let s = `block${b}`;
    const params = dfg.blockParams(b);
    if (params.length > 0) s += `(${params.map((v) => `v${v}: ${typeName(dfg.valueType_(v))}`).join(', ')})`;
    if (f.layout.isCold(b)) s += ' cold';
    s += ':\n';
    for (const p of params) s += this.aliasLines(p);
    for (const i of f.layout.blockInsts(b)) s += this.instLine(i);
    return s;
  }

  private aliasLines(target: Value): string {
    const list = this.aliasesOf.get(target);
    if (!list) return '';
    let s = '';
    for (const a of list) {
      s += `${' '.repeat(this.indent)}v${a} -> v${target}\n`;
      s += this.aliasLines(a);
    }
    return s;
  }

  private instLine(inst: Inst): string {
    const dfg = this.func.dfg;
    let prefix = '';
    const loc = dfg.srcLoc(inst);
    if (loc !== NONE) prefix += `@${loc.toString(16).padStart(4, '0')} `;
    const tags = dfg.instDebugTags(inst);
    if (tags) prefix += `<${tags.join(', ')}> `;
    let s = prefix.padEnd(this.indent, ' ') + this.instText(inst, true) + '\n';
    const n = dfg.numResults(inst);
    for (let r = 0; r < n; r++) s += this.aliasLines(dfg.result(inst, r));
    return s;
  }

  /**
   * `v1 = iadd v0, v0` — results, opcode with suffix, operands; with
   * `annotate`, the trailing comment naming constant operands.
   */
  instText(inst: Inst, annotate = false): string {
    const dfg = this.func.dfg;
    const op = dfg.opcode(inst) as Opcode;
    let s = '';
    const n = dfg.numResults(inst);
    if (n > 0) {
      for (let r = 0; r < n; r++) s += (r === 0 ? 'v' : ', v') + dfg.result(inst, r);
      s += ' = ';
    }
    s += opcodeName(op);
    if (this.needsTypeSuffix(inst, op)) s += '.' + typeName(dfg.ctrlType(inst));
    s += this.operands(inst, op);
    const map = dfg.instUserStackMap(inst);
    if (map) s += `, stack_map=[${map.map((e) => `${typeName(e.type)} @ ss${e.slot}${formatOffset32(e.offset) || '+0'}`).join(', ')}]`;
    return annotate ? s + this.constantAnnotations(inst) : s;
  }

  /**
   * A trailing comment giving the value of each operand defined by a
   * constant instruction (`brif v3, block1, block2  ; v3 = 0`), as
   * Cranelift writes it; readers ignore it.
   */
  private constantAnnotations(inst: Inst): string {
    const dfg = this.func.dfg;
    let s = '';
    let sep = '  ; ';
    dfg.forEachUse(inst, (arg) => {
      const src = dfg.valueInst(arg);
      if (src === NONE) return;
      const i0 = dfg.imm0(src);
      let imm: string;
      switch (dfg.format(src)) {
        case InstructionFormat.UnaryImm: imm = formatUnaryImm(dfg, src); break;
        case InstructionFormat.UnaryIeee16: imm = formatIeee16(i0); break;
        case InstructionFormat.UnaryIeee32: imm = formatIeee32(i0); break;
        case InstructionFormat.UnaryIeee64: imm = formatIeee64(i0, dfg.imm1(src)); break;
        case InstructionFormat.UnaryConst: {
          const bytes = dfg.constants[i0];
          imm = dfg.opcode(src) === Opcode.F128const && bytes ? formatIeee128(bytesToBigInt(bytes)) : `const${i0}`;
          break;
        }
        default: return;
      }
      s += `${sep}v${arg} = ${imm}`;
      sep = ', ';
    });
    return s;
  }

  /**
   * A suffix is needed for polymorphic opcodes unless the controlling type
   * can be read off the typevar operand, and that operand is defined in the
   * same block before this instruction (upstream's rule; it keeps text
   * readable across blocks).
   */
  private needsTypeSuffix(inst: Inst, op: Opcode): boolean {
    if (!opcodeIsPolymorphic(op)) return false;
    const tv = opcodeTypevarOperand(op);
    if (tv < 0) return true;
    const dfg = this.func.dfg;
    const layout = this.func.layout;
    const v = dfg.resolveAliases(dfg.arg(inst, tv));
    const def = dfg.valueDef(v);
    let defBlock: Block | undefined;
    if (def.kind === 'result') defBlock = layout.instBlock(def.inst);
    else if (def.kind === 'param') defBlock = def.block;
    if (defBlock === undefined || defBlock === NONE || defBlock !== layout.instBlock(inst)) return true;
    // A use before its definition (invalid SSA, kept for the verifier) cannot
    // be typed by a reader going top to bottom, nor can a self-use.
    return def.kind === 'result' && !layout.instBefore(def.inst, inst);
  }

  private blockCall(bc: BlockCall): string {
    const dfg = this.func.dfg;
    let s = `block${dfg.blockCallBlock(bc)}`;
    const n = dfg.blockCallNumArgs(bc);
    if (n === 0) return s;
    const args: string[] = [];
    for (let i = 0; i < n; i++) {
      const a = dfg.blockCallArg(bc, i);
      const k = BlockArg.kind(a);
      args.push(k === 0 ? `v${a}` : k === 1 ? `ret${BlockArg.index(a)}` : `exn${BlockArg.index(a)}`);
    }
    s += `(${args.join(', ')})`;
    return s;
  }

  private exceptionItem(item: ExceptionTableItem): string {
    switch (item.kind) {
      case 'context': return `context v${item.value}`;
      case 'default': return `default: ${this.blockCall(item.block)}`;
      case 'tag': return `tag${item.tag}: ${this.blockCall(item.block)}`;
    }
  }

  private operands(inst: Inst, op: Opcode): string {
    const dfg = this.func.dfg;
    const fmt = opcodeFormat(op);
    const a = (i: number): string => `v${dfg.arg(inst, i)}`;
    const varargs = (from: number): string => {
      const out: string[] = [];
      for (let i = from; i < dfg.numArgs(inst); i++) out.push(a(i));
      return out.join(', ');
    };
    const i0 = dfg.imm0(inst);
    const i1 = dfg.imm1(inst);
    const i2 = dfg.imm2(inst);
    const flags = (): string => MemFlags.toString(i0 as MemFlags);
    switch (fmt) {
      case InstructionFormat.Unary: return ` ${a(0)}`;
      case InstructionFormat.UnaryImm: return ` ${formatUnaryImm(dfg, inst)}`;
      case InstructionFormat.UnaryIeee16: return ` ${formatIeee16(i0)}`;
      case InstructionFormat.UnaryIeee32: return ` ${formatIeee32(i0)}`;
      case InstructionFormat.UnaryIeee64: return ` ${formatIeee64(i0, i1)}`;
      case InstructionFormat.UnaryConst: return ` const${i0}`;
      case InstructionFormat.UnaryGlobalValue: return ` gv${i0}`;
      case InstructionFormat.Binary: return ` ${a(0)}, ${a(1)}`;
      case InstructionFormat.BinaryImm8: return ` ${a(0)}, ${i0}`;
      case InstructionFormat.BinaryImm64: return ` ${a(0)}, ${formatImm64(wordsToI64(i0, i1))}`;
      case InstructionFormat.Ternary: return ` ${a(0)}, ${a(1)}, ${a(2)}`;
      case InstructionFormat.TernaryImm8: return ` ${a(0)}, ${a(1)}, ${i0}`;
      case InstructionFormat.MultiAry: return dfg.numArgs(inst) === 0 ? '' : ` ${varargs(0)}`;
      case InstructionFormat.NullAry: return '';
      case InstructionFormat.Shuffle: return ` ${a(0)}, ${a(1)}, [${Array.from(dfg.immediates[i0] ?? []).join(' ')}]`;
      case InstructionFormat.IntCompare: return ` ${intCCName(i2 as IntCC)} ${a(0)}, ${a(1)}`;
      case InstructionFormat.IntCompareImm: return ` ${intCCName(i2 as IntCC)} ${a(0)}, ${formatImm64(wordsToI64(i0, i1))}`;
      case InstructionFormat.FloatCompare: return ` ${floatCCName(i2 as FloatCC)} ${a(0)}, ${a(1)}`;
      case InstructionFormat.IntAddTrap: return ` ${a(0)}, ${a(1)}, ${trapCodeName(i0 as TrapCode)}`;
      case InstructionFormat.Jump: return ` ${this.blockCall(i0 as BlockCall)}`;
      case InstructionFormat.Brif: return ` ${a(0)}, ${this.blockCall(i0 as BlockCall)}, ${this.blockCall(i1 as BlockCall)}`;
      case InstructionFormat.BranchTable: {
        const jt = dfg.jumpTables[i0];
        return ` ${a(0)}, ${this.blockCall(jt.default)}, [${jt.entries.map((e) => this.blockCall(e)).join(', ')}]`;
      }
      case InstructionFormat.Call: return ` fn${i0}(${varargs(0)})`;
      case InstructionFormat.CallIndirect: return ` sig${i0}, ${a(0)}(${varargs(1)})`;
      case InstructionFormat.TryCall:
      case InstructionFormat.TryCallIndirect: {
        const et = dfg.exceptionTables[i1];
        const callee = fmt === InstructionFormat.TryCall ? `fn${i0}(${varargs(0)})` : `${a(0)}(${varargs(1)})`;
        const items = et.items.map((it) => this.exceptionItem(it));
        const table = items.length === 0 ? '[]' : `[ ${items.join(', ')} ]`;
        return ` ${callee}, sig${et.sig}, ${this.blockCall(et.normalReturn)}, ${table}`;
      }
      case InstructionFormat.FuncAddr: return ` fn${i0}`;
      case InstructionFormat.Load: return `${flags()} ${a(0)}${formatOffset32(i1)}`;
      case InstructionFormat.LoadNoOffset: return `${flags()} ${a(0)}`;
      case InstructionFormat.Store: return `${flags()} ${a(0)}, ${a(1)}${formatOffset32(i1)}`;
      case InstructionFormat.StoreNoOffset: return `${flags()} ${a(0)}, ${a(1)}`;
      case InstructionFormat.StackLoad: return ` ss${i0}${formatOffset32(i1)}`;
      case InstructionFormat.StackStore: return ` ${a(0)}, ss${i0}${formatOffset32(i1)}`;
      case InstructionFormat.DynamicStackLoad: return ` dss${i0}`;
      case InstructionFormat.DynamicStackStore: return ` ${a(0)}, dss${i0}`;
      case InstructionFormat.AtomicRmw: return `${flags()} ${atomicRmwOpName(i1 as AtomicRmwOp)} ${a(0)}, ${a(1)}`;
      case InstructionFormat.AtomicCas: return `${flags()} ${a(0)}, ${a(1)}, ${a(2)}`;
      case InstructionFormat.Trap: return ` ${trapCodeName(i0 as TrapCode)}`;
      case InstructionFormat.CondTrap: return ` ${a(0)}, ${trapCodeName(i0 as TrapCode)}`;
      case InstructionFormat.ExceptionHandlerAddress: return ` block${i0}, ${i1}`;
    }
    return '';
  }
}
