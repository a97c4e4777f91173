// Legalization before the mid-end, as upstream's legalizer does it:
// `global_value` instructions become the code that computes their global
// value, and `dynamic_stack_load` / `dynamic_stack_store` become a
// `dynamic_stack_addr` and a trusted (notrap aligned) load or store. A global value is a small expression tree over the function's
// declarations (gv0 = vmctx; gv1 = load.i64 notrap aligned gv0+8; …), so
// each use is expanded in place, walking the tree to its leaves: the vmctx
// parameter, a symbol's address (`symbol_value`, or `tls_value` for a
// thread-local symbol), or a target constant. Repeated subtrees are left to
// the mid-end's value numbering, as upstream leaves them to its e-graph.
//
// Invariants: afterwards none of these instructions is in the layout; each
// one's result is an alias of its expansion, which is inserted right before
// where the instruction stood (so it dominates every use the instruction
// did). The function must have passed the verifier:
// chains are acyclic and every base exists.

import {
  FuncCursor,
  I64,
  MemFlags,
  NONE,
  Opcode,
  typeBytes,
  typeName,
  type Function,
  type GlobalValue,
  type Inst,
  type Type,
  type Value,
} from '@clift/ir';
import { CodegenError } from './errors.js';

export interface LegalizeOptions {
  /** The target's pointer type (i64 on AArch64). */
  pointerType?: Type;
  /** Bytes of a dynamic vector on the target (for `dyn_scale_target_const`). */
  dynamicVectorBytes?: number;
}

/** Expands `func`'s `global_value` and dynamic stack loads and stores in place. */
export function legalizeFunction(func: Function, opts: LegalizeOptions = {}): void {
  const { dfg, layout } = func;
  let found: Inst[] | undefined;
  for (let b = layout.firstBlock(); b !== NONE; b = layout.nextBlock(b)) {
    for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
      const op = dfg.opcode(inst);
      if (op === Opcode.GlobalValue || op === Opcode.DynamicStackLoad || op === Opcode.DynamicStackStore) (found ??= []).push(inst);
    }
  }
  if (found === undefined) return;
  const pointerType = opts.pointerType ?? I64;
  const cursor = new FuncCursor(func);
  const expander = new Expander(func, cursor, pointerType, opts.dynamicVectorBytes);
  for (const inst of found) {
    cursor.gotoBefore(inst);
    const op = dfg.opcode(inst);
    if (op === Opcode.DynamicStackStore) {
      const ins = cursor.ins();
      const addr = dfg.firstResult(ins.build(Opcode.DynamicStackAddr, pointerType, [], dfg.imm0(inst)));
      ins.store(MemFlags.trusted(), dfg.arg(inst, 0), addr);
      layout.removeInst(inst);
      continue;
    }
    let value: Value;
    const result = dfg.firstResult(inst);
    if (op === Opcode.DynamicStackLoad) {
      const ins = cursor.ins();
      const addr = dfg.firstResult(ins.build(Opcode.DynamicStackAddr, pointerType, [], dfg.imm0(inst)));
      value = ins.load(dfg.valueTypeOf(result), MemFlags.trusted(), addr);
    } else {
      value = expander.expand(dfg.imm0(inst) as GlobalValue);
    }
    layout.removeInst(inst);
    dfg.changeToAlias(result, value);
  }
}

class Expander {
  private vmctx: Value | undefined;

  constructor(
    private readonly func: Function,
    private readonly cursor: FuncCursor,
    private readonly pointerType: Type,
    private readonly dynamicVectorBytes: number | undefined,
  ) {}

  expand(gv: GlobalValue): Value {
    const data = this.func.globalValues[gv];
    if (data === undefined) throw this.error(gv, 'is not declared');
    const ins = this.cursor.ins();
    switch (data.kind) {
      case 'vmctx':
        return this.vmctxParam(gv);
      case 'load':
        return ins.load(data.globalType, data.flags, this.expand(data.base), data.offset);
      case 'iadd_imm': {
        const base = this.expand(data.base);
        if (data.offset === 0n) return base;
        return ins.binary(Opcode.Iadd, base, ins.iconst(data.globalType, data.offset));
      }
      case 'symbol': {
        // The instruction names the global value itself: the backend reads
        // the symbol, its offset and whether it is colocated from there.
        const op = data.tls ? Opcode.TlsValue : Opcode.SymbolValue;
        return this.func.dfg.firstResult(ins.build(op, this.pointerType, [], gv));
      }
      case 'dyn_scale_target_const': {
        const bytes = this.dynamicVectorBytes;
        if (bytes === undefined) throw this.error(gv, 'needs the target\'s dynamic vector size, which this target does not give');
        return ins.iconst(this.pointerType, Math.max(1, Math.floor(bytes / typeBytes(data.vectorType))));
      }
    }
  }

  /** The entry block's `vmctx` parameter. */
  private vmctxParam(gv: GlobalValue): Value {
    if (this.vmctx !== undefined) return this.vmctx;
    const { signature, layout, dfg } = this.func;
    const index = signature.params.findIndex((p) => p.purpose.kind === 'vmctx');
    const entry = layout.entryBlock();
    if (index < 0 || entry === undefined || index >= dfg.numBlockParams(entry)) {
      throw this.error(gv, 'refers to vmctx, but the signature has no vmctx parameter');
    }
    this.vmctx = dfg.blockParam(entry, index);
    return this.vmctx;
  }

  private error(gv: GlobalValue, what: string): CodegenError {
    return new CodegenError('legalize', `global value gv${gv} ${what} (pointer type ${typeName(this.pointerType)})`);
  }
}
