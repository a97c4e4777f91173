// The driver program of an AArch64 `test run` executable: GNU assembler
// text for a `_start` that makes each run command's call with the AAPCS64
// argument and return locations Cranelift uses, and the decoding of what it
// writes back.
//
// Protocol (one record per call, written with the `write` system call to
// stdout right after the call returns, then `exit(0)` after the last):
//   record := index:u64 pad:u64 { value:16 bytes }*   (one slot per return)
// A value slot holds the returned register or return-area bytes, little-
// endian; only the low bits of the return's type are meaningful (CLIF's
// system_v leaves the rest undefined). A call that traps ends the process
// with a signal before its record is written, so the number of complete
// records is the index of the call that trapped.
//
// Argument and return locations follow upstream's
// `AArch64MachineDeps::compute_arg_locs` for the non-`tail` conventions:
// x0–x7 and v0–v7 by class; an i128 takes an even/odd register pair (any
// pair under apple_aarch64), or 16 aligned stack bytes when two registers
// are not left; stack slots are at least 8 bytes (natural size under
// apple_aarch64) at their natural alignment; returns that do not fit in
// registers go to a return area whose address is passed as an extra,
// final argument. Arguments narrower than 64 bits are extended to 64 by
// their `sext`/`uext` attribute (zero-extended without one).

import type { AbiParam, CallConv, DataValue, Signature, Type } from '@clift/ir';
import { I128, dataValue, isDynamicVector, isFloat, isInt, isVector, typeBits, typeName } from '@clift/ir';

export class DriverError extends Error {
  override readonly name = 'DriverError';
  constructor(detail: string) {
    super(detail);
  }
}

/** Where one parameter or return value lives at the call. */
export type ValueLocation =
  | { kind: 'x'; reg: number }
  | { kind: 'xpair'; lo: number; hi: number }
  | { kind: 'v'; reg: number }
  /** `offset` from the stack pointer (arguments) or the return area (returns). */
  | { kind: 'stack'; offset: number; size: number };

export interface CallLocations {
  args: ValueLocation[];
  rets: ValueLocation[];
  /** Where the return-area address goes, when some return is on the stack. */
  retAreaPtr: ValueLocation | undefined;
  /** Bytes of outgoing stack arguments (a multiple of 16). */
  argStackBytes: number;
  /** Bytes of the return area (a multiple of 16). */
  retAreaBytes: number;
}

type RegClass = 'int' | 'float';

/** Register classes of a value, as upstream's `rc_for_type`; throws for types a call cannot carry. */
function regClasses(type: Type, where: string): RegClass[] {
  if (isDynamicVector(type)) throw new DriverError(`${where}: dynamic vector type ${typeName(type)} cannot be passed by the run harness`);
  if (type === I128) return ['int', 'int'];
  if (isInt(type) && !isVector(type)) return ['int'];
  const bits = typeBits(type);
  if ((isFloat(type) && !isVector(type)) || (isVector(type) && (bits === 64 || bits === 128))) return ['float'];
  if (isVector(type) && bits < 64) return ['float'];
  throw new DriverError(`${where}: type ${typeName(type)} is not supported in calls`);
}

const SUPPORTED_CONVS: readonly CallConv[] = ['system_v', 'fast', 'cold', 'apple_aarch64', 'preserve_all'];

function alignTo(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Locations of a list of parameters or returns (upstream's `compute_arg_locs`). */
function assign(params: readonly AbiParam[], apple: boolean, what: string): { locs: ValueLocation[]; stack: number; nextX: number } {
  let nextX = 0;
  let nextV = 0;
  let stack = 0;
  let remaining = 16;
  const locs: ValueLocation[] = [];
  params.forEach((p, i) => {
    if (p.purpose.kind === 'struct_argument' || p.purpose.kind === 'struct_return') {
      throw new DriverError(`${what} ${i}: ${p.purpose.kind} parameters are not supported by the run harness`);
    }
    const rcs = regClasses(p.type, `${what} ${i}`);
    if (rcs.length === 2) {
      if (remaining >= 2 && 8 - nextX >= 2) {
        if (!apple && nextX % 2 !== 0) nextX++;
        locs.push({ kind: 'xpair', lo: nextX, hi: nextX + 1 });
        nextX += 2;
        remaining -= 2;
        return;
      }
    } else if (rcs[0] === 'int' && nextX < 8 && remaining > 0) {
      locs.push({ kind: 'x', reg: nextX++ });
      remaining--;
      return;
    } else if (rcs[0] === 'float' && nextV < 8 && remaining > 0) {
      locs.push({ kind: 'v', reg: nextV++ });
      remaining--;
      return;
    }
    const natural = typeBits(p.type) / 8;
    const size = apple ? natural : Math.max(natural, 8);
    stack = alignTo(stack, size);
    locs.push({ kind: 'stack', offset: stack, size });
    stack += size;
  });
  return { locs, stack, nextX };
}

/** Argument and return locations of a call to a function with `sig`. */
export function callLocations(sig: Signature): CallLocations {
  const tail = sig.callConv === 'tail';
  if (!SUPPORTED_CONVS.includes(sig.callConv) && !tail) {
    throw new DriverError(`calling convention ${sig.callConv} is not supported by the run harness (supported: ${SUPPORTED_CONVS.join(', ')}, and tail without stack arguments)`);
  }
  const apple = sig.callConv === 'apple_aarch64';
  const rets = assign(sig.returns, apple, 'return');
  const args = assign(sig.params, apple, 'parameter');
  // The tail convention passes arguments and results as AAPCS64 does (Clift's
  // `tail` also takes the return-area pointer as an extra argument); only its
  // stack handling differs: the callee pops its stack arguments, the
  // return-area pointer's slot included, which the driver undoes after the
  // call (see `generateDriver`). The return area itself lies above the
  // argument area, in the driver's frame, so the pop leaves it intact.
  let argStack = args.stack;
  let retAreaPtr: ValueLocation | undefined;
  if (rets.stack > 0) {
    if (args.nextX < 8) retAreaPtr = { kind: 'x', reg: args.nextX };
    else {
      retAreaPtr = { kind: 'stack', offset: argStack, size: 8 };
      argStack += 8;
    }
  }
  return {
    args: args.locs,
    rets: rets.locs,
    retAreaPtr,
    argStackBytes: alignTo(argStack, 16),
    retAreaBytes: alignTo(rets.stack, 16),
  };
}

// ---------------------------------------------------------------------------
// Assembly text

export interface DriverCall {
  /** The callee's symbol. */
  symbol: string;
  signature: Signature;
  args: readonly DataValue[];
}

export interface DriverProgram {
  /** GNU assembler text defining `_start`. */
  source: string;
  /** Byte size of each call's record. */
  recordSizes: number[];
}

const SLOT = 16;

/** A GNU as symbol reference that survives any CLIF name (`u0:1`, names like `x0`). */
function quoted(symbol: string): string {
  if (/["\\\n]/.test(symbol)) throw new DriverError(`symbol name ${JSON.stringify(symbol)} cannot be written in assembly`);
  return `"${symbol}"`;
}

/** movz/movk sequence for a non-negative immediate (no literal pools to place). */
function movImm(reg: string, value: number | bigint): string[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out = [`movz ${reg}, #${Number(v & 0xffffn)}`];
  v >>= 16n;
  for (let shift = 16; v !== 0n; shift += 16, v >>= 16n) {
    const chunk = Number(v & 0xffffn);
    if (chunk !== 0) out.push(`movk ${reg}, #${chunk}, lsl #${shift}`);
  }
  return out;
}

/** The 64-bit words of an argument's slot: integers narrower than 64 bits extended as the ABI param says. */
function argWords(value: DataValue, param: AbiParam): [bigint, bigint] {
  const bits = typeBits(value.type);
  let raw = BigInt.asUintN(bits, value.bits);
  if (isInt(value.type) && !isVector(value.type) && bits < 64 && param.extension === 'sext') raw = BigInt.asUintN(64, BigInt.asIntN(bits, raw));
  return [BigInt.asUintN(64, raw), BigInt.asUintN(64, raw >> 64n)];
}

/** The v-register view (h/s/d/q) that holds a float or vector value of `type`. */
function vregFor(type: Type, n: number): string {
  const bits = typeBits(type);
  return `${bits <= 16 ? 'h' : bits <= 32 ? 's' : bits <= 64 ? 'd' : 'q'}${n}`;
}

function checkArgs(call: DriverCall, i: number): void {
  const params = call.signature.params;
  if (params.length !== call.args.length) {
    throw new DriverError(`call ${i} to ${call.symbol}: ${call.args.length} arguments for ${params.length} parameters`);
  }
  call.args.forEach((a, j) => {
    if (a.type !== params[j].type) {
      throw new DriverError(`call ${i} to ${call.symbol}: argument ${j} is ${typeName(a.type)}, the parameter is ${typeName(params[j].type)}`);
    }
  });
}

/** Generates the driver for a list of calls (each call's record index is its position). */
export function generateDriver(calls: readonly DriverCall[]): DriverProgram {
  const text: string[] = ['\t.text', '\t.global _start', '\t.type _start, %function', '_start:'];
  const data: string[] = ['\t.data', '\t.balign 16'];
  const recordSizes: number[] = [];
  const ins = (s: string): void => void text.push(`\t${s}`);

  calls.forEach((call, i) => {
    checkArgs(call, i);
    const locs = callLocations(call.signature);
    const frame = locs.argStackBytes + locs.retAreaBytes;
    const argsLabel = `.Largs${i}`;
    const resLabel = `.Lres${i}`;
    ins(`// call ${i}: ${call.symbol}`);
    if (frame > 0) {
      movImm('x10', frame).forEach(ins);
      ins('sub sp, sp, x10');
    }

    // Arguments: one 16-byte slot each in the driver's data.
    data.push(`${argsLabel}:`);
    call.args.forEach((a, j) => {
      const [lo, hi] = argWords(a, call.signature.params[j]);
      data.push(`\t.quad 0x${lo.toString(16)}, 0x${hi.toString(16)}`);
    });
    ins(`adrp x9, ${argsLabel}`);
    ins(`add x9, x9, :lo12:${argsLabel}`);
    // Stack arguments first: the copies use x10/q16, which are not argument registers.
    locs.args.forEach((loc, j) => {
      if (loc.kind !== 'stack') return;
      const reg = loc.size === 16 ? 'q16' : 'x10';
      ins(`ldr ${reg}, [x9, #${j * SLOT}]`);
      if (loc.size === 16 || loc.size === 8) ins(`str ${reg}, [sp, #${loc.offset}]`);
      else ins(`str${loc.size === 1 ? 'b' : loc.size === 2 ? 'h' : ''} w10, [sp, #${loc.offset}]`);
    });
    if (locs.retAreaPtr) {
      movImm('x10', locs.argStackBytes).forEach(ins);
      ins('add x10, sp, x10');
      if (locs.retAreaPtr.kind === 'x') ins(`mov x${locs.retAreaPtr.reg}, x10`);
      else if (locs.retAreaPtr.kind === 'stack') ins(`str x10, [sp, #${locs.retAreaPtr.offset}]`);
    }
    locs.args.forEach((loc, j) => {
      const at = j * SLOT;
      const type = call.args[j].type;
      switch (loc.kind) {
        case 'x': ins(`ldr x${loc.reg}, [x9, #${at}]`); break;
        case 'xpair': ins(`ldp x${loc.lo}, x${loc.hi}, [x9, #${at}]`); break;
        case 'v': ins(`ldr ${vregFor(type, loc.reg)}, [x9, #${at}]`); break;
        case 'stack': break;
      }
    });
    ins(`bl ${quoted(call.symbol)}`);
    // A tail-convention callee pops its stack arguments: put SP back where
    // the driver's frame expects it.
    if (call.signature.callConv === 'tail' && locs.argStackBytes > 0) {
      movImm('x10', locs.argStackBytes).forEach(ins);
      ins('sub sp, sp, x10');
    }

    // Results.
    const size = SLOT * (1 + call.signature.returns.length);
    recordSizes.push(size);
    data.push(`${resLabel}:`, `\t.quad ${i}, 0`, `\t.zero ${size - SLOT}`);
    ins(`adrp x9, ${resLabel}`);
    ins(`add x9, x9, :lo12:${resLabel}`);
    locs.rets.forEach((loc, j) => {
      const at = SLOT * (1 + j);
      const type = call.signature.returns[j].type;
      switch (loc.kind) {
        case 'x': ins(`str x${loc.reg}, [x9, #${at}]`); break;
        case 'xpair': ins(`stp x${loc.lo}, x${loc.hi}, [x9, #${at}]`); break;
        case 'v': ins(`str ${vregFor(type, loc.reg)}, [x9, #${at}]`); break;
        case 'stack': {
          const reg = loc.size === 16 ? 'q16' : 'x10';
          const from = locs.argStackBytes + loc.offset;
          if (loc.size >= 8) {
            ins(`ldr ${reg}, [sp, #${from}]`);
            ins(`str ${reg}, [x9, #${at}]`);
          } else {
            const sfx = loc.size === 1 ? 'b' : loc.size === 2 ? 'h' : '';
            ins(`ldr${sfx} w10, [sp, #${from}]`);
            ins(`str${sfx} w10, [x9, #${at}]`);
          }
          break;
        }
      }
    });
    if (frame > 0) {
      movImm('x10', frame).forEach(ins);
      ins('add sp, sp, x10');
    }
    ins('mov x0, #1');
    ins('mov x1, x9');
    movImm('x2', size).forEach(ins);
    ins('mov x8, #64 // write');
    ins('svc #0');
  });
  ins('mov x0, #0');
  ins('mov x8, #93 // exit');
  ins('svc #0');
  ins('.size _start, . - _start');
  return { source: `${text.join('\n')}\n\n${data.join('\n')}\n\t.section .note.GNU-stack,"",%progbits\n`, recordSizes };
}

// ---------------------------------------------------------------------------
// Decoding

export interface DecodedRecords {
  /** Returned values of each completed call, in call order. */
  results: DataValue[][];
  /** Bytes after the last complete record (a partial write). */
  trailing: number;
}

/** Splits the driver's output into per-call return values. */
export function decodeRecords(out: Uint8Array, calls: readonly DriverCall[], recordSizes: readonly number[]): DecodedRecords {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const results: DataValue[][] = [];
  let at = 0;
  for (let i = 0; i < calls.length; i++) {
    const size = recordSizes[i];
    if (at + size > out.length) break;
    const index = view.getBigUint64(at, true);
    if (index !== BigInt(i)) throw new DriverError(`driver output is out of step: record ${i} is labelled ${index}`);
    results.push(
      calls[i].signature.returns.map((r, j) => {
        const slot = at + SLOT * (1 + j);
        const lo = view.getBigUint64(slot, true);
        const hi = view.getBigUint64(slot + 8, true);
        return dataValue(r.type, lo | (hi << 64n));
      }),
    );
    at += size;
  }
  return { results, trailing: out.length - at };
}

