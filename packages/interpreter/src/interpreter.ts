// The execution loop: runs pre-decoded functions (program.ts) with an
// explicit frame stack, so deep recursion and tail calls never touch the
// JavaScript call stack.
//
// Owns: the function store (functions by name, their code addresses),
// control flow (branches, calls, tail calls, try_call, returns), memory
// instructions, global values, traps, and the run limits. Value-only
// instructions are pure.ts's.
//
// Invariants:
// - A frame's registers are indexed by value id; a value is written before
//   it is read in any verified function (SSA dominance).
// - `Memory.sp` on entry to a frame is restored when the frame returns,
//   tail-calls or unwinds, so slots never leak between calls.
// - A program trap is a CallResult value; only the interpreter's own
//   failures (unknown function, step limit, unsupported opcode) throw, and
//   they throw InterpreterError.

import type { DataValue, Function, GlobalValue, Type } from '@clift/ir';
import {
  I16,
  I32,
  I64,
  I8,
  MemFlagBit,
  MemFlags,
  Opcode,
  TrapCode,
  formatUserFuncName,
  isVector,
  opcodeName,
  trapCodeName,
  typeBits,
  typeName,
  vectorOf,
} from '@clift/ir';
import { InterpreterError } from './errors.js';
import * as I from './intops.js';
import { findLibcall } from './libcalls.js';
import type { LibcallFn } from './libcalls.js';
import { CODE_BASE, CODE_STRIDE, Memory, addressOf } from './memory.js';
import type { DecodedFunction } from './program.js';
import { A0, A1, A2, EXN_ARG, I0, I1, I2, LIST, R0, STRIDE, TY, XT, decodeFunction, functionName } from './program.js';
import { TrapSignal, UnsupportedSignal, evalPure } from './pure.js';
import type { Val } from './values.js';
import { fromDataValue, isNumType, joinLanes, toDataValue, valBits, valFromBytes, valOfBits, valToBytes } from './values.js';

/** Why a run stopped without returning. */
export type TrapKind =
  | TrapCode
  /** Calls nested deeper than `maxCallDepth` (the interpreter's stack overflow). */
  | 'stack_overflow_limit'
  /** An atomic access at an address not aligned to its size. */
  | 'heap_misaligned'
  /** `debugtrap` was executed. */
  | 'debug';

export type CallResult =
  | { kind: 'return'; values: DataValue[] }
  | { kind: 'trap'; code: TrapKind; message: string };

export interface InterpreterOptions {
  /** Instructions one `call` may execute before failing with `step_limit`. Default 10,000,000. */
  stepLimit?: number;
  /** Deepest call nesting before the run traps with `stack_overflow_limit`. Default 10,000. */
  maxCallDepth?: number;
  /** Bytes of stack for stack slots. Default 1 MiB. */
  stackSize?: number;
}

/** The text of a trap kind: `heap_oob`, `user1`, `stack_overflow_limit`, … */
export function trapKindName(k: TrapKind): string {
  return typeof k === 'number' ? trapCodeName(k) : k;
}

interface Frame {
  fn: DecodedFunction;
  regs: Val[];
  /** pc of the call instruction awaiting results. */
  pc: number;
  /** sp before this frame's slots were pushed. */
  savedSp: number;
  base: number;
}

/** A call target: ≥ 0 a function index; < 0 libcall `-(1 + i)`. */
type Target = number;

function addrVal(t: Type, n: number): Val {
  return isNumType(t) ? n >>> 0 : BigInt(n);
}

export class Interpreter {
  private readonly functions: Function[] = [];
  private readonly decoded: (DecodedFunction | undefined)[] = [];
  private readonly byName = new Map<string, number>();
  private readonly libNames: string[] = [];
  private readonly libFns: LibcallFn[] = [];
  private readonly targets = new Map<DecodedFunction, Int32Array>();
  private readonly stepLimit: number;
  private readonly maxCallDepth: number;
  private readonly stackSize: number;
  private readonly memory: Memory;
  private pinned: Val = 0n;
  private readonly scratch: Val[] = [];
  /** Instructions executed by the last `call`. */
  steps = 0;

  constructor(functions: Iterable<Function>, options: InterpreterOptions = {}) {
    for (const f of functions) {
      const name = functionName(f);
      if (this.byName.has(name)) throw new InterpreterError('invalid_function', `two functions named ${name}`, name);
      this.byName.set(name, this.functions.length);
      this.functions.push(f);
    }
    this.stepLimit = options.stepLimit ?? 10_000_000;
    this.maxCallDepth = options.maxCallDepth ?? 10_000;
    this.stackSize = options.stackSize ?? 1 << 20;
    this.memory = new Memory(this.stackSize);
  }

  /** Names of the functions the store holds (`%name` or `uN:M`). */
  functionNames(): string[] {
    return [...this.byName.keys()];
  }

  private lookup(name: string): number | undefined {
    return this.byName.get(name) ?? this.byName.get(`%${name}`);
  }

  /**
   * Runs function `name` (`%name`, `name` or `uN:M`) with `args` and returns
   * its results or the trap it stopped with. Throws InterpreterError when
   * the function does not exist, the arguments do not match its signature,
   * the step limit is exceeded, or it uses something the interpreter does
   * not model.
   */
  call(name: string, args: readonly DataValue[]): CallResult {
    const index = this.lookup(name);
    if (index === undefined) throw new InterpreterError('unknown_function', `no function named ${name}`, name);
    const f = this.functions[index];
    const fname = functionName(f);
    const params = f.signature.params;
    if (params.length !== args.length) {
      throw new InterpreterError('argument_mismatch', `${fname} takes ${params.length} arguments, got ${args.length}`, fname);
    }
    args.forEach((a, i) => {
      if (a.type !== params[i].type) {
        throw new InterpreterError(
          'argument_mismatch',
          `${fname}: argument ${i} should be ${typeName(params[i].type)}, got ${typeName(a.type)}`,
          fname,
        );
      }
    });
    // The stack is reused across calls: sp restarts at the top and push()
    // zeroes every slot it hands out, so runs cannot see each other's data.
    this.memory.sp = this.memory.top;
    this.pinned = 0n;
    this.steps = 0;
    try {
      const values = this.execute(index, args.map(fromDataValue));
      return { kind: 'return', values: values.map((v, i) => toDataValue(f.signature.returns[i].type, v)) };
    } catch (e) {
      if (e instanceof TrapSignal) return { kind: 'trap', code: e.code, message: e.message };
      if (e instanceof UnsupportedSignal) throw new InterpreterError('unsupported', e.message, fname);
      throw e;
    }
  }

  private decode(index: number): DecodedFunction {
    let d = this.decoded[index];
    if (!d) {
      d = decodeFunction(this.functions[index]);
      this.decoded[index] = d;
    }
    return d;
  }

  // ---------------------------------------------------------------------
  // Call targets and code addresses

  private libcallTarget(name: string): Target | undefined {
    let i = this.libNames.indexOf(name);
    if (i < 0) {
      const f = findLibcall(name);
      if (!f) return undefined;
      i = this.libNames.push(name) - 1;
      this.libFns.push(f);
    }
    return -(1 + i);
  }

  /** The target a FuncRef (or a symbol name) of `fn` names. */
  private resolveName(fn: DecodedFunction, name: import('@clift/ir').ExternalName): Target {
    switch (name.kind) {
      case 'testcase': {
        const i = this.lookup(`%${name.name}`);
        if (i !== undefined) return i;
        const l = this.libcallTarget(name.name);
        if (l !== undefined) return l;
        throw new InterpreterError('unknown_function', `${fn.name} refers to %${name.name}, which is not in this file`, fn.name);
      }
      case 'user': {
        const u = fn.func.userNamedFuncs[name.ref];
        const text = u ? formatUserFuncName({ kind: 'user', name: u }) : `userextname${name.ref}`;
        const i = this.lookup(text);
        if (i === undefined) throw new InterpreterError('unknown_function', `${fn.name} refers to ${text}, which is not in this file`, fn.name);
        return i;
      }
      case 'libcall': {
        const l = this.libcallTarget(name.name);
        if (l === undefined) throw new InterpreterError('unsupported', `libcall ${name.name} is not modelled`, fn.name);
        return l;
      }
      default:
        throw new InterpreterError('unsupported', `known symbol ${name.name} is not modelled`, fn.name);
    }
  }

  private funcRefTarget(fn: DecodedFunction, ref: number): Target {
    let t = this.targets.get(fn);
    if (!t) {
      t = new Int32Array(fn.func.dfg.extFuncs.length).fill(0x7fffffff);
      this.targets.set(fn, t);
    }
    if (t[ref] !== 0x7fffffff) return t[ref];
    const ext = fn.func.dfg.extFuncs[ref];
    if (!ext) throw new InterpreterError('invalid_function', `${fn.name}: fn${ref} is not declared`, fn.name);
    const target = this.resolveName(fn, ext.name);
    t[ref] = target;
    return target;
  }

  private targetAddress(t: Target): number {
    const k = t >= 0 ? t : this.functions.length + (-t - 1);
    return CODE_BASE + CODE_STRIDE * k;
  }

  private addressTarget(addr: number): Target | undefined {
    const k = (addr - CODE_BASE) / CODE_STRIDE;
    if (!Number.isInteger(k) || k < 0) return undefined;
    if (k < this.functions.length) return k;
    const l = k - this.functions.length;
    return l < this.libNames.length ? -(1 + l) : undefined;
  }

  private targetSignature(t: Target): Function['signature'] | undefined {
    return t >= 0 ? this.functions[t].signature : undefined;
  }

  // ---------------------------------------------------------------------
  // Global values

  private globalValue(fn: DecodedFunction, regs: Val[], gv: GlobalValue, depth = 0): Val {
    const data = fn.func.globalValues[gv];
    if (!data || depth > 64) throw new InterpreterError('invalid_function', `${fn.name}: gv${gv} is not declared or is cyclic`, fn.name);
    switch (data.kind) {
      case 'vmctx': {
        if (fn.vmctxParam < 0) throw new InterpreterError('invalid_function', `${fn.name}: vmctx global value without a vmctx parameter`, fn.name);
        return regs[fn.entryParams[fn.vmctxParam]];
      }
      case 'load': {
        const base = this.globalValue(fn, regs, data.base, depth + 1);
        return this.load(data.globalType, data.flags, addressOf(base) + data.offset, fn);
      }
      case 'iadd_imm': {
        const base = this.globalValue(fn, regs, data.base, depth + 1);
        return valOfBits(data.globalType, valBits(base) + data.offset);
      }
      case 'symbol': {
        if (data.tls) throw new InterpreterError('unsupported', `${fn.name}: thread-local symbols are not modelled`, fn.name);
        const target = this.resolveName(fn, data.name);
        return BigInt.asUintN(64, BigInt(this.targetAddress(target)) + data.offset);
      }
      default:
        throw new InterpreterError('unsupported', `${fn.name}: dynamic vector scale global values are not modelled`, fn.name);
    }
  }

  // ---------------------------------------------------------------------
  // Memory

  private access(addr: number, size: number, flags: number, fn: DecodedFunction): number {
    const at = addr < 0 ? -1 : this.memory.offset(addr, size);
    if (at >= 0) return at;
    const code = MemFlags.trapCode(flags as MemFlags);
    if (code === undefined) {
      throw new InterpreterError('undefined_behavior', `${fn.name}: notrap access of ${size} bytes at 0x${addr.toString(16)} is out of bounds`, fn.name);
    }
    throw new TrapSignal(code, `access of ${size} bytes at 0x${addr.toString(16)} is out of bounds`);
  }

  private load(t: Type, flags: number, addr: number, fn: DecodedFunction): Val {
    const at = this.access(addr, typeBits(t) >>> 3, flags, fn);
    return valFromBytes(t, (flags & MemFlagBit.Big) !== 0, this.memory.bytes, at);
  }

  private store(t: Type, flags: number, addr: number, v: Val, fn: DecodedFunction): void {
    const at = this.access(addr, typeBits(t) >>> 3, flags, fn);
    valToBytes(t, v, (flags & MemFlagBit.Big) !== 0, this.memory.bytes, at);
  }

  private atomicAddr(t: Type, p: Val): number {
    const addr = addressOf(p);
    if (addr % (typeBits(t) >>> 3) !== 0) throw new TrapSignal('heap_misaligned', `atomic access at unaligned address 0x${addr.toString(16)}`);
    return addr;
  }

  // ---------------------------------------------------------------------
  // The loop

  private branch(pool: Int32Array, bc: number, regs: Val[], rets: readonly Val[] | undefined): number {
    const n = pool[bc + 1];
    if (n === 0) return pool[bc];
    const tmp = this.scratch;
    for (let i = 0; i < n; i++) {
      const a = pool[bc + 2 + i];
      if (a >= 0) tmp[i] = regs[a];
      else if (a !== EXN_ARG && rets !== undefined) tmp[i] = rets[-a - 1];
      else throw new UnsupportedSignal('exception payloads (exnN) are not modelled');
    }
    for (let i = 0; i < n; i++) regs[pool[bc + 2 + n + i]] = tmp[i];
    return pool[bc];
  }

  private listValues(pool: Int32Array, at: number, regs: Val[], skip: number): Val[] {
    const n = pool[at];
    const out = new Array<Val>(n - skip);
    for (let i = skip; i < n; i++) out[i - skip] = regs[pool[at + 1 + i]];
    return out;
  }

  private execute(entry: number, entryArgs: Val[]): Val[] {
    const mem = this.memory;
    const frames: Frame[] = [];
    const limit = this.stepLimit;
    let steps = 0;

    let fn!: DecodedFunction;
    let code!: Int32Array;
    let pool!: Int32Array;
    let regs!: Val[];
    let pc = 0;
    let base = 0;
    let savedSp = 0;

    // A pending entry into `target` with `args` (call, tail call or the first entry).
    let target: Target = entry;
    let args: Val[] = entryArgs;
    let entering = true;

    try {
      for (;;) {
        if (entering) {
          entering = false;
          fn = this.decode(target);
          code = fn.code;
          pool = fn.pool;
          regs = new Array<Val>(fn.numValues);
          const params = fn.entryParams;
          if (params.length !== args.length) {
            throw new InterpreterError('argument_mismatch', `${fn.name} takes ${params.length} arguments, got ${args.length}`, fn.name);
          }
          for (let i = 0; i < params.length; i++) regs[params[i]] = args[i];
          savedSp = mem.sp;
          if (fn.frameSize > 0) {
            base = mem.push(fn.frameSize, 16);
            if (base < 0) throw new TrapSignal(TrapCode.STACK_OVERFLOW, `${fn.name}: stack exhausted`);
          } else {
            base = mem.sp;
          }
          const sl = fn.func.stackLimit;
          if (sl !== undefined) {
            const lim = addressOf(this.globalValue(fn, regs, sl));
            if (lim >= 0 && base < lim) throw new TrapSignal(TrapCode.STACK_OVERFLOW, `${fn.name}: stack pointer below stack_limit`);
          }
          pc = fn.entryPc;
        }

        if (++steps > limit) {
          this.steps = steps;
          throw new InterpreterError('step_limit', `${fn.name}: exceeded the step limit of ${limit} instructions`, fn.name);
        }
        const op = code[pc];
        switch (op) {
          // --- Control flow
          case Opcode.Jump:
            pc = this.branch(pool, code[pc + I0], regs, undefined);
            continue;
          case Opcode.Brif: {
            const c = regs[code[pc + A0]];
            pc = this.branch(pool, c !== 0 && c !== 0n ? code[pc + I0] : code[pc + I1], regs, undefined);
            continue;
          }
          case Opcode.BrTable: {
            const idx = regs[code[pc + A0]] as number;
            const jt = code[pc + I0];
            const n = pool[jt + 1];
            pc = this.branch(pool, idx < n ? pool[jt + 2 + idx] : pool[jt], regs, undefined);
            continue;
          }
          case Opcode.Trap:
            throw new TrapSignal(code[pc + I0] as TrapCode, `${fn.name}: trap`);
          case Opcode.Trapz:
          case Opcode.Trapnz: {
            const c = regs[code[pc + A0]];
            if ((c === 0 || c === 0n) === (op === Opcode.Trapz)) throw new TrapSignal(code[pc + I0] as TrapCode, `${fn.name}: ${opcodeName(op)}`);
            pc += STRIDE;
            continue;
          }
          case Opcode.Debugtrap:
            throw new TrapSignal('debug', `${fn.name}: debugtrap`);
          case Opcode.Return: {
            const values = this.listValues(pool, code[pc + LIST], regs, 0);
            mem.sp = savedSp;
            const caller = frames.pop();
            if (!caller) {
              this.steps = steps;
              return values;
            }
            fn = caller.fn;
            code = fn.code;
            pool = fn.pool;
            regs = caller.regs;
            pc = caller.pc;
            base = caller.base;
            savedSp = caller.savedSp;
            pc = this.deliver(code, pool, pc, regs, values);
            continue;
          }
          case Opcode.Call:
          case Opcode.CallIndirect:
          case Opcode.TryCall:
          case Opcode.TryCallIndirect:
          case Opcode.ReturnCall:
          case Opcode.ReturnCallIndirect: {
            const indirect = op === Opcode.CallIndirect || op === Opcode.TryCallIndirect || op === Opcode.ReturnCallIndirect;
            let t: Target;
            if (indirect) {
              const addr = addressOf(regs[code[pc + A0]]);
              const found = this.addressTarget(addr);
              if (found === undefined) {
                throw new InterpreterError('undefined_behavior', `${fn.name}: indirect call to 0x${addr.toString(16)}, which is no function`, fn.name);
              }
              t = found;
            } else {
              t = this.funcRefTarget(fn, code[pc + I0]);
            }
            const callArgs = this.listValues(pool, code[pc + LIST], regs, indirect ? 1 : 0);
            const sig = this.targetSignature(t);
            if (sig && sig.params.length !== callArgs.length) {
              throw new InterpreterError('argument_mismatch', `${fn.name}: call passes ${callArgs.length} arguments to a function taking ${sig.params.length}`, fn.name);
            }
            const tail = op === Opcode.ReturnCall || op === Opcode.ReturnCallIndirect;
            if (t < 0) {
              // Libcalls run to completion here.
              const results = this.libFns[-t - 1](callArgs, mem);
              if (tail) {
                mem.sp = savedSp;
                const caller = frames.pop();
                if (!caller) {
                  this.steps = steps;
                  return results;
                }
                fn = caller.fn;
                code = fn.code;
                pool = fn.pool;
                regs = caller.regs;
                pc = caller.pc;
                base = caller.base;
                savedSp = caller.savedSp;
              }
              pc = this.deliver(code, pool, pc, regs, results);
              continue;
            }
            if (tail) {
              mem.sp = savedSp;
            } else {
              if (frames.length >= this.maxCallDepth) {
                throw new TrapSignal('stack_overflow_limit', `call depth exceeded ${this.maxCallDepth}`);
              }
              frames.push({ fn, regs, pc, savedSp, base });
            }
            target = t;
            args = callArgs;
            entering = true;
            continue;
          }
          case Opcode.FuncAddr:
            regs[code[pc + R0]] = addrVal(code[pc + TY] as Type, this.targetAddress(this.funcRefTarget(fn, code[pc + I0])));
            pc += STRIDE;
            continue;

          // --- Memory
          case Opcode.Load:
          case Opcode.Uload8:
          case Opcode.Sload8:
          case Opcode.Uload16:
          case Opcode.Sload16:
          case Opcode.Uload32:
          case Opcode.Sload32: {
            const t = code[pc + TY] as Type;
            const flags = code[pc + I0];
            const addr = addressOf(regs[code[pc + A0]]) + code[pc + I1];
            if (op === Opcode.Load) {
              regs[code[pc + R0]] = this.load(t, flags, addr, fn);
            } else {
              const narrow = op <= Opcode.Sload8 ? I8 : op <= Opcode.Sload16 ? I16 : I32;
              const x = this.load(narrow, flags, addr, fn);
              const signed = op === Opcode.Sload8 || op === Opcode.Sload16 || op === Opcode.Sload32;
              const rt = op === Opcode.Uload32 || op === Opcode.Sload32 ? I64 : t;
              regs[code[pc + R0]] = valOfBits(rt, signed ? I.toSBig(typeBits(narrow), x) : valBits(x));
            }
            pc += STRIDE;
            continue;
          }
          case Opcode.Uload8x8:
          case Opcode.Sload8x8:
          case Opcode.Uload16x4:
          case Opcode.Sload16x4:
          case Opcode.Uload32x2:
          case Opcode.Sload32x2: {
            const flags = code[pc + I0];
            const addr = addressOf(regs[code[pc + A0]]) + code[pc + I1];
            const w = op <= Opcode.Sload8x8 ? 8 : op <= Opcode.Sload16x4 ? 16 : 32;
            const n = 64 / w;
            const signed = op === Opcode.Sload8x8 || op === Opcode.Sload16x4 || op === Opcode.Sload32x2;
            const inT = vectorOf(w === 8 ? I8 : w === 16 ? I16 : I32, n);
            const outT = vectorOf(w === 8 ? I16 : w === 16 ? I32 : I64, n);
            const raw = this.load(inT, flags, addr, fn) as bigint;
            const lanes: Val[] = [];
            for (let i = 0; i < n; i++) {
              const x = BigInt.asUintN(w, raw >> BigInt(i * w));
              lanes.push(BigInt.asUintN(2 * w, signed ? BigInt.asIntN(w, x) : x));
            }
            regs[code[pc + R0]] = joinLanes(outT, lanes);
            pc += STRIDE;
            continue;
          }
          case Opcode.Store:
          case Opcode.Istore8:
          case Opcode.Istore16:
          case Opcode.Istore32: {
            const flags = code[pc + I0];
            const addr = addressOf(regs[code[pc + A1]]) + code[pc + I1];
            const v = regs[code[pc + A0]];
            if (op === Opcode.Store) {
              this.store(code[pc + XT] as Type, flags, addr, v, fn);
            } else {
              const narrow = op === Opcode.Istore8 ? I8 : op === Opcode.Istore16 ? I16 : I32;
              this.store(narrow, flags, addr, valOfBits(narrow, valBits(v)), fn);
            }
            pc += STRIDE;
            continue;
          }
          case Opcode.AtomicLoad: {
            const t = code[pc + TY] as Type;
            regs[code[pc + R0]] = this.load(t, code[pc + I0], this.atomicAddr(t, regs[code[pc + A0]]), fn);
            pc += STRIDE;
            continue;
          }
          case Opcode.AtomicStore: {
            const t = code[pc + XT] as Type;
            this.store(t, code[pc + I0], this.atomicAddr(t, regs[code[pc + A1]]), regs[code[pc + A0]], fn);
            pc += STRIDE;
            continue;
          }
          case Opcode.AtomicRmw: {
            const t = code[pc + TY] as Type;
            const flags = code[pc + I0];
            const addr = this.atomicAddr(t, regs[code[pc + A0]]);
            const old = this.load(t, flags, addr, fn);
            this.store(t, flags, addr, rmw(code[pc + I1], typeBits(t), old, regs[code[pc + A1]]), fn);
            regs[code[pc + R0]] = old;
            pc += STRIDE;
            continue;
          }
          case Opcode.AtomicCas: {
            const t = code[pc + TY] as Type;
            const flags = code[pc + I0];
            const addr = this.atomicAddr(t, regs[code[pc + A0]]);
            const old = this.load(t, flags, addr, fn);
            if (old === regs[code[pc + A1]]) this.store(t, flags, addr, regs[code[pc + A2]], fn);
            regs[code[pc + R0]] = old;
            pc += STRIDE;
            continue;
          }
          case Opcode.StackAddr: {
            const slot = code[pc + I0];
            const off = fn.slotOffsets[slot];
            if (off === undefined) throw new InterpreterError('invalid_function', `${fn.name}: ss${slot} is not declared`, fn.name);
            regs[code[pc + R0]] = addrVal(code[pc + TY] as Type, base + off + code[pc + I1]);
            pc += STRIDE;
            continue;
          }
          case Opcode.GlobalValue:
          case Opcode.SymbolValue:
          case Opcode.TlsValue: {
            const t = code[pc + TY] as Type;
            regs[code[pc + R0]] = valOfBits(t, valBits(this.globalValue(fn, regs, code[pc + I0] as GlobalValue)));
            pc += STRIDE;
            continue;
          }
          case Opcode.GetPinnedReg:
            regs[code[pc + R0]] = valOfBits(code[pc + TY] as Type, valBits(this.pinned));
            pc += STRIDE;
            continue;
          case Opcode.SetPinnedReg:
            this.pinned = regs[code[pc + A0]];
            pc += STRIDE;
            continue;
          case Opcode.GetFramePointer:
            regs[code[pc + R0]] = addrVal(code[pc + TY] as Type, savedSp);
            pc += STRIDE;
            continue;
          case Opcode.GetStackPointer:
            regs[code[pc + R0]] = addrVal(code[pc + TY] as Type, mem.sp);
            pc += STRIDE;
            continue;

          // --- Hot scalar cases, kept inline for speed
          case Opcode.Iadd: {
            const t = code[pc + TY];
            if (t === I32) {
              regs[code[pc + R0]] = ((regs[code[pc + A0]] as number) + (regs[code[pc + A1]] as number)) >>> 0;
              pc += STRIDE;
              continue;
            }
            if (t === I64) {
              regs[code[pc + R0]] = BigInt.asUintN(64, (regs[code[pc + A0]] as bigint) + (regs[code[pc + A1]] as bigint));
              pc += STRIDE;
              continue;
            }
            break;
          }
          case Opcode.Icmp: {
            const t = code[pc + TY];
            if (!isVector(t as Type)) {
              regs[code[pc + R0]] = I.icmp(code[pc + I2], typeBits(t as Type), regs[code[pc + A0]], regs[code[pc + A1]]) ? 1 : 0;
              pc += STRIDE;
              continue;
            }
            break;
          }
          default:
            break;
        }
        if (!evalPure(op, code, pc, regs, fn)) {
          throw new UnsupportedSignal(`${fn.name}: ${opcodeName(op as Opcode) || `opcode ${op}`} is not supported by the interpreter`);
        }
        pc += STRIDE;
      }
    } catch (e) {
      if (e instanceof TrapSignal || e instanceof UnsupportedSignal || e instanceof InterpreterError) throw e;
      if ((fn as DecodedFunction | undefined) === undefined) throw e;
      // Anything else means the function broke an invariant the verifier
      // checks (a value of the wrong type, a missing entity): report where.
      const inst = fn.insts[pc / STRIDE];
      const what = opcodeName(code[pc] as Opcode) || `opcode ${code[pc]}`;
      throw new InterpreterError(
        'invalid_function',
        `${fn.name}: inst${inst} (${what}) failed: ${e instanceof Error ? e.message : String(e)}; is the function verified?`,
        fn.name,
      );
    } finally {
      this.steps = steps;
      mem.sp = mem.top;
    }
  }

  /** Writes call results into the caller and returns the pc to continue at. */
  private deliver(code: Int32Array, pool: Int32Array, pc: number, regs: Val[], values: readonly Val[]): number {
    const op = code[pc];
    if (op === Opcode.TryCall || op === Opcode.TryCallIndirect) return this.branch(pool, code[pc + I1], regs, values);
    const at = code[pc + XT];
    const n = pool[at];
    for (let i = 0; i < n; i++) regs[pool[at + 1 + i]] = values[i];
    return pc + STRIDE;
  }
}

function rmw(op: number, w: number, old: Val, x: Val): Val {
  switch (op) {
    case 0: return I.iadd(w, old, x);
    case 1: return I.isub(w, old, x);
    case 2: return I.band(old, x);
    case 3: return I.bnot(w, I.band(old, x));
    case 4: return I.bor(old, x);
    case 5: return I.bxor(old, x);
    case 6: return x;
    case 7: return old <= x ? old : x;
    case 8: return old >= x ? old : x;
    case 9: return I.scmp(w, old, x) <= 0 ? old : x;
    default: return I.scmp(w, old, x) >= 0 ? old : x;
  }
}

