// Value-only instructions: every opcode whose effect is to compute results
// from operands (arithmetic, bit manipulation, comparisons, conversions,
// lane operations), plus the traps those computations raise. Control flow,
// memory and calls are the execution loop's (interpreter.ts).
//
// Each case reads its operands from the register array, computes on the
// value representation of values.ts, and writes its results. Vector forms
// apply the scalar lane operation to every lane, so scalar and vector
// semantics cannot drift apart.

import type { Type } from '@clift/ir';
import {
  F32,
  F64,
  I16,
  MemFlagBit,
  Opcode,
  TrapCode,
  doubleWidth,
  halfWidth,
  isVector,
  laneBits,
  laneCount,
  laneType,
  mergeLanes,
  opcodeName,
  splitLanes,
  typeBits,
  vectorOf,
} from '@clift/ir';
import type { Val } from './float.js';
import * as fl from './float.js';
import * as I from './intops.js';
import { A0, A1, A2, I0, I1, I2, R0, R1, TY, XT } from './program.js';
import type { DecodedFunction } from './program.js';
import { RoundMode } from './softfloat.js';
import {
  joinLanes,
  lanesOf,
  mapLanes,
  mapLanes2,
  mapLanes3,
  valBits,
  valFromBytes,
  valOfBits,
  valToBytes,
} from './values.js';

/**
 * A trap raised while executing; the loop catches it and returns it as a
 * CallResult. Internal: it never escapes `Interpreter.call`.
 */
export class TrapSignal extends Error {
  constructor(
    readonly code: TrapCode | 'stack_overflow_limit' | 'heap_misaligned' | 'debug',
    message: string,
  ) {
    super(message);
  }
}

/** An opcode or construct the interpreter does not model; `call` rethrows it as an InterpreterError. */
export class UnsupportedSignal extends Error {}

function lanewiseBool(t: Type, b: boolean): Val {
  // Scalars compare to i8 1/0; vector lanes become all ones / zero.
  if (!isVector(t)) return b ? 1 : 0;
  return I.bool(laneBits(t), b);
}

function intLane(w: number, x: bigint): Val {
  return I.fromBigInt(w, x);
}

function overflowPair(w: number, exact: bigint, signed: boolean): [Val, Val] {
  return [intLane(w, exact), I.inRange(w, signed, exact) ? 0 : 1];
}

const ROUND_OF: Partial<Record<number, RoundMode>> = {
  [Opcode.Ceil]: RoundMode.Ceil,
  [Opcode.Floor]: RoundMode.Floor,
  [Opcode.Trunc]: RoundMode.Trunc,
  [Opcode.Nearest]: RoundMode.Nearest,
};

function cmpSigned(w: number, a: Val, b: Val): number {
  return I.scmp(w, a, b);
}

/** Saturating add/sub on one lane. */
function satLane(op: number, w: number, a: Val, b: Val): Val {
  const signed = op === Opcode.SaddSat || op === Opcode.SsubSat;
  const sub = op === Opcode.UsubSat || op === Opcode.SsubSat;
  if (w <= 32) {
    const x = signed ? I.sextNum(w, a as number) : (a as number);
    const y = signed ? I.sextNum(w, b as number) : (b as number);
    let r = sub ? x - y : x + y;
    const lo = signed ? -(2 ** (w - 1)) : 0;
    const hi = signed ? 2 ** (w - 1) - 1 : 2 ** w - 1;
    r = r < lo ? lo : r > hi ? hi : r;
    return I.wrapNum(w, r);
  }
  const x = signed ? I.toSBig(w, a) : I.toUBig(a);
  const y = signed ? I.toSBig(w, b) : I.toUBig(b);
  return I.saturate(w, signed, sub ? x - y : x + y);
}

/** Float → int for fcvt_to_*: traps on NaN and out-of-range values. */
function fcvtTrapping(signed: boolean, from: Type, to: Type, a: Val): Val {
  const x = fl.ftruncToBigInt(from, a);
  if (x === undefined) throw new TrapSignal(TrapCode.BAD_CONVERSION_TO_INTEGER, 'float-to-int conversion of NaN');
  const w = typeBits(to);
  if (!I.inRange(w, signed, x)) throw new TrapSignal(TrapCode.INTEGER_OVERFLOW, 'float-to-int conversion out of range');
  return intLane(w, x);
}
function fcvtSat(signed: boolean, from: Type, w: number, a: Val): Val {
  const x = fl.ftruncToBigInt(from, a);
  if (x === undefined) return I.zero(w);
  return I.saturate(w, signed, x);
}

function narrowLanes(op: number, t: Type, a: Val, b: Val): Val {
  const out = splitLanes(t);
  const w = laneBits(t);
  const h = w / 2;
  const lanes = [...lanesOf(t, a), ...lanesOf(t, b)].map((x) => {
    const v = op === Opcode.Uunarrow ? I.toUBig(x) : I.toSBig(w, x);
    return I.saturate(h, op === Opcode.Snarrow, v);
  });
  return joinLanes(out, lanes);
}

function widenLanes(op: number, t: Type, a: Val): Val {
  const out = mergeLanes(t);
  const w = laneBits(t);
  const n = laneCount(out);
  const xs = lanesOf(t, a);
  const high = op === Opcode.SwidenHigh || op === Opcode.UwidenHigh;
  const signed = op === Opcode.SwidenLow || op === Opcode.SwidenHigh;
  const part = high ? xs.slice(n) : xs.slice(0, n);
  return joinLanes(out, part.map((x) => intLane(2 * w, signed ? I.toSBig(w, x) : I.toUBig(x))));
}

function bytesOf(v: Val): number[] {
  const out = new Array<number>(16);
  let x = valBits(v);
  for (let i = 0; i < 16; i++) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}
function joinBytes(bytes: readonly number[]): bigint {
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]);
  return x;
}

function shiftOp(op: number, lane: Type, x: Val, amt: Val): Val {
  const w = laneBits(lane);
  const s = I.shiftAmount(w, amt);
  switch (op) {
    case Opcode.Ishl: return I.ishl(w, x, s);
    case Opcode.Ushr: return I.ushr(w, x, s);
    case Opcode.Sshr: return I.sshr(w, x, s);
    case Opcode.Rotl: return I.rotl(w, x, s);
    default: return I.rotr(w, x, s);
  }
}

function countOp(op: number, lane: Type, x: Val): Val {
  const w = laneBits(lane);
  let n: number;
  switch (op) {
    case Opcode.Clz: n = I.clz(w, x); break;
    case Opcode.Cls: n = I.cls(w, x); break;
    case Opcode.Ctz: n = I.ctz(w, x); break;
    default: n = I.popcnt(x); break;
  }
  return w <= 32 ? n : BigInt(n);
}

function imm64(code: Int32Array, pc: number): bigint {
  return (BigInt(code[pc + I1]) << 32n) | BigInt(code[pc + I0] >>> 0);
}

/**
 * Executes the value-only instruction at `pc`. Returns false when the
 * opcode is not a value-only one (the caller handles it or reports it).
 */
export function evalPure(op: number, code: Int32Array, pc: number, regs: Val[], fn: DecodedFunction): boolean {
  const t = code[pc + TY] as Type;
  const xt = code[pc + XT] as Type;
  const a = regs[code[pc + A0]];
  const b = regs[code[pc + A1]];
  const c = regs[code[pc + A2]];
  const r0 = code[pc + R0];
  switch (op) {
    // --- Constants
    case Opcode.Iconst: {
      const w = typeBits(t);
      regs[r0] = w <= 32 ? I.wrapNum(w, code[pc + I0]) : BigInt.asUintN(w, imm64(code, pc));
      return true;
    }
    case Opcode.F16const: regs[r0] = code[pc + I0] & 0xffff; return true;
    case Opcode.F32const: regs[r0] = code[pc + I0] >>> 0; return true;
    case Opcode.F64const: regs[r0] = BigInt.asUintN(64, imm64(code, pc)); return true;
    case Opcode.F128const:
    case Opcode.Vconst: regs[r0] = fn.consts[code[pc + I0]]; return true;
    case Opcode.Nop:
    case Opcode.Fence:
    case Opcode.SequencePoint:
      return true;

    // --- Lanes
    case Opcode.Splat: regs[r0] = joinLanes(t, new Array<Val>(laneCount(t)).fill(a)); return true;
    case Opcode.Insertlane: {
      const xs = lanesOf(t, a);
      xs[code[pc + I0]] = b;
      regs[r0] = joinLanes(t, xs);
      return true;
    }
    case Opcode.Extractlane: regs[r0] = lanesOf(t, a)[code[pc + I0]]; return true;
    case Opcode.Swizzle:
    case Opcode.X86Pshufb: {
      const x = bytesOf(a);
      const s = bytesOf(b);
      const out = s.map((i) => (op === Opcode.Swizzle ? (i < 16 ? x[i] : 0) : (i & 0x80 ? 0 : x[i & 15])));
      regs[r0] = joinBytes(out);
      return true;
    }
    case Opcode.Shuffle: {
      const mask = fn.masks[code[pc + I0]];
      const x = [...bytesOf(a), ...bytesOf(b)];
      regs[r0] = joinBytes(Array.from(mask, (i) => (i < 32 ? x[i] : 0)));
      return true;
    }
    case Opcode.ScalarToVector: regs[r0] = valBits(a); return true;

    // --- Selection
    case Opcode.Select:
    case Opcode.SelectSpectreGuard:
      regs[r0] = I.isZero(a) ? c : b;
      return true;
    case Opcode.Bitselect: {
      const w = typeBits(t);
      regs[r0] = I.bor(I.band(a, b), I.band(I.bnot(w, a), c));
      return true;
    }
    case Opcode.X86Blendv:
      regs[r0] = mapLanes3(t, a, b, c, (lane, m, x, y) => (I.scmp(laneBits(lane), m, I.zero(laneBits(lane))) < 0 ? x : y));
      return true;
    case Opcode.VanyTrue: regs[r0] = I.isZero(a) ? 0 : 1; return true;
    case Opcode.VallTrue: regs[r0] = lanesOf(xt, a).every((x) => !I.isZero(x)) ? 1 : 0; return true;
    case Opcode.VhighBits: {
      const w = laneBits(xt);
      let m = 0n;
      lanesOf(xt, a).forEach((x, i) => {
        if ((I.toUBig(x) >> BigInt(w - 1)) & 1n) m |= 1n << BigInt(i);
      });
      regs[r0] = valOfBits(t, m);
      return true;
    }

    // --- Integer arithmetic
    case Opcode.Icmp: {
      const cc = code[pc + I2];
      regs[r0] = mapLanes2(t, a, b, (lane, x, y) => lanewiseBool(t, I.icmp(cc, laneBits(lane), x, y)));
      return true;
    }
    case Opcode.Iadd: regs[r0] = mapLanes2(t, a, b, (l, x, y) => I.iadd(laneBits(l), x, y)); return true;
    case Opcode.Isub: regs[r0] = mapLanes2(t, a, b, (l, x, y) => I.isub(laneBits(l), x, y)); return true;
    case Opcode.Imul: regs[r0] = mapLanes2(t, a, b, (l, x, y) => I.imul(laneBits(l), x, y)); return true;
    case Opcode.Ineg: regs[r0] = mapLanes(t, a, (l, x) => I.ineg(laneBits(l), x)); return true;
    case Opcode.Iabs: regs[r0] = mapLanes(t, a, (l, x) => I.iabs(laneBits(l), x)); return true;
    case Opcode.Umulhi: regs[r0] = mapLanes2(t, a, b, (l, x, y) => I.mulhi(laneBits(l), false, x, y)); return true;
    case Opcode.Smulhi: regs[r0] = mapLanes2(t, a, b, (l, x, y) => I.mulhi(laneBits(l), true, x, y)); return true;
    case Opcode.SqmulRoundSat:
    case Opcode.X86Pmulhrsw:
      regs[r0] = mapLanes2(t, a, b, (l, x, y) => {
        const w = laneBits(l);
        const p = (I.toSBig(w, x) * I.toSBig(w, y) + (1n << BigInt(w - 2))) >> BigInt(w - 1);
        return op === Opcode.SqmulRoundSat ? I.saturate(w, true, p) : intLane(w, p);
      });
      return true;
    case Opcode.Smin: regs[r0] = mapLanes2(t, a, b, (l, x, y) => (cmpSigned(laneBits(l), x, y) <= 0 ? x : y)); return true;
    case Opcode.Smax: regs[r0] = mapLanes2(t, a, b, (l, x, y) => (cmpSigned(laneBits(l), x, y) >= 0 ? x : y)); return true;
    case Opcode.Umin: regs[r0] = mapLanes2(t, a, b, (_l, x, y) => (x <= y ? x : y)); return true;
    case Opcode.Umax: regs[r0] = mapLanes2(t, a, b, (_l, x, y) => (x >= y ? x : y)); return true;
    case Opcode.AvgRound:
      regs[r0] = mapLanes2(t, a, b, (_l, x, y) =>
        typeof x === 'number' ? Math.floor((x + (y as number) + 1) / 2) : (x + (y as bigint) + 1n) >> 1n,
      );
      return true;
    case Opcode.UaddSat:
    case Opcode.SaddSat:
    case Opcode.UsubSat:
    case Opcode.SsubSat:
      regs[r0] = mapLanes2(t, a, b, (l, x, y) => satLane(op, laneBits(l), x, y));
      return true;
    case Opcode.Udiv:
    case Opcode.Urem:
    case Opcode.Sdiv:
    case Opcode.Srem: {
      const w = typeBits(t);
      if (I.isZero(b)) throw new TrapSignal(TrapCode.INTEGER_DIVISION_BY_ZERO, `${opcodeName(op)} by zero`);
      if (op === Opcode.Udiv) regs[r0] = I.udiv(a, b);
      else if (op === Opcode.Urem) regs[r0] = I.urem(a, b);
      else if (op === Opcode.Srem) regs[r0] = I.srem(w, a, b);
      else {
        if (I.isSignedDivOverflow(w, a, b)) throw new TrapSignal(TrapCode.INTEGER_OVERFLOW, 'sdiv overflow');
        regs[r0] = I.sdiv(w, a, b);
      }
      return true;
    }
    case Opcode.UaddOverflow:
    case Opcode.SaddOverflow:
    case Opcode.UsubOverflow:
    case Opcode.SsubOverflow:
    case Opcode.UmulOverflow:
    case Opcode.SmulOverflow: {
      const w = typeBits(t);
      const signed = op === Opcode.SaddOverflow || op === Opcode.SsubOverflow || op === Opcode.SmulOverflow;
      const x = signed ? I.toSBig(w, a) : I.toUBig(a);
      const y = signed ? I.toSBig(w, b) : I.toUBig(b);
      const exact =
        op === Opcode.UaddOverflow || op === Opcode.SaddOverflow ? x + y : op === Opcode.UsubOverflow || op === Opcode.SsubOverflow ? x - y : x * y;
      const [v, o] = overflowPair(w, exact, signed);
      regs[r0] = v;
      regs[code[pc + R1]] = o;
      return true;
    }
    case Opcode.UaddOverflowCin:
    case Opcode.SaddOverflowCin:
    case Opcode.UsubOverflowBin:
    case Opcode.SsubOverflowBin: {
      const w = typeBits(t);
      const signed = op === Opcode.SaddOverflowCin || op === Opcode.SsubOverflowBin;
      const x = signed ? I.toSBig(w, a) : I.toUBig(a);
      const y = signed ? I.toSBig(w, b) : I.toUBig(b);
      const carry = I.isZero(c) ? 0n : 1n;
      const exact = op === Opcode.UaddOverflowCin || op === Opcode.SaddOverflowCin ? x + y + carry : x - y - carry;
      const [v, o] = overflowPair(w, exact, signed);
      regs[r0] = v;
      regs[code[pc + R1]] = o;
      return true;
    }
    case Opcode.UaddOverflowTrap: {
      const w = typeBits(t);
      const exact = I.toUBig(a) + I.toUBig(b);
      if (!I.inRange(w, false, exact)) throw new TrapSignal(code[pc + I0] as TrapCode, 'uadd_overflow_trap overflowed');
      regs[r0] = intLane(w, exact);
      return true;
    }

    // --- Bitwise
    case Opcode.Band: regs[r0] = I.band(a, b); return true;
    case Opcode.Bor: regs[r0] = I.bor(a, b); return true;
    case Opcode.Bxor: regs[r0] = I.bxor(a, b); return true;
    case Opcode.Bnot: regs[r0] = I.bnot(typeBits(t), a); return true;
    case Opcode.BandNot: regs[r0] = I.band(a, I.bnot(typeBits(t), b)); return true;
    case Opcode.BorNot: regs[r0] = I.bor(a, I.bnot(typeBits(t), b)); return true;
    case Opcode.BxorNot: regs[r0] = I.bxor(a, I.bnot(typeBits(t), b)); return true;
    case Opcode.Ishl:
    case Opcode.Ushr:
    case Opcode.Sshr:
    case Opcode.Rotl:
    case Opcode.Rotr:
      regs[r0] = mapLanes(t, a, (l, x) => shiftOp(op, l, x, b));
      return true;
    case Opcode.Bitrev: regs[r0] = I.bitrev(typeBits(t), a); return true;
    case Opcode.Bswap: regs[r0] = I.bswap(typeBits(t), a); return true;
    case Opcode.Clz:
    case Opcode.Cls:
    case Opcode.Ctz:
    case Opcode.Popcnt:
      regs[r0] = mapLanes(t, a, (l, x) => countOp(op, l, x));
      return true;

    // --- Floating point
    case Opcode.Fcmp: {
      const cc = code[pc + I2];
      regs[r0] = mapLanes2(t, a, b, (lane, x, y) => {
        const r = fl.fcmp(cc, lane, x, y);
        return isVector(t) ? I.bool(laneBits(lane), r) : r ? 1 : 0;
      });
      return true;
    }
    case Opcode.Fadd: regs[r0] = mapLanes2(t, a, b, (l, x, y) => fl.fbinary(fl.FBin.Add, l, x, y)); return true;
    case Opcode.Fsub: regs[r0] = mapLanes2(t, a, b, (l, x, y) => fl.fbinary(fl.FBin.Sub, l, x, y)); return true;
    case Opcode.Fmul: regs[r0] = mapLanes2(t, a, b, (l, x, y) => fl.fbinary(fl.FBin.Mul, l, x, y)); return true;
    case Opcode.Fdiv: regs[r0] = mapLanes2(t, a, b, (l, x, y) => fl.fbinary(fl.FBin.Div, l, x, y)); return true;
    case Opcode.Sqrt: regs[r0] = mapLanes(t, a, fl.fsqrt); return true;
    case Opcode.Fma: regs[r0] = mapLanes3(t, a, b, c, fl.ffma); return true;
    case Opcode.Fneg: regs[r0] = mapLanes(t, a, fl.fneg); return true;
    case Opcode.Fabs: regs[r0] = mapLanes(t, a, fl.fabs); return true;
    case Opcode.Fcopysign: regs[r0] = mapLanes2(t, a, b, fl.fcopysign); return true;
    case Opcode.Fmin: regs[r0] = mapLanes2(t, a, b, (l, x, y) => fl.fminmax(false, l, x, y)); return true;
    case Opcode.Fmax: regs[r0] = mapLanes2(t, a, b, (l, x, y) => fl.fminmax(true, l, x, y)); return true;
    case Opcode.Ceil:
    case Opcode.Floor:
    case Opcode.Trunc:
    case Opcode.Nearest: {
      const mode = ROUND_OF[op] ?? RoundMode.Nearest;
      regs[r0] = mapLanes(t, a, (l, x) => fl.fround(mode, l, x));
      return true;
    }

    // --- Conversions
    case Opcode.Bitcast: {
      const big = (code[pc + I0] & MemFlagBit.Big) !== 0;
      if (big && (isVector(t) || isVector(xt))) {
        const bytes = new Uint8Array(typeBits(t) >>> 3);
        valToBytes(xt, a, true, bytes, 0);
        regs[r0] = valFromBytes(t, true, bytes, 0);
      } else {
        regs[r0] = valOfBits(t, valBits(a));
      }
      return true;
    }
    case Opcode.Bmask: regs[r0] = I.isZero(a) ? I.zero(typeBits(t)) : I.ones(typeBits(t)); return true;
    case Opcode.Ireduce: regs[r0] = valOfBits(t, valBits(a)); return true;
    case Opcode.Uextend: regs[r0] = valOfBits(t, valBits(a)); return true;
    case Opcode.Sextend: regs[r0] = valOfBits(t, I.toSBig(typeBits(xt), a)); return true;
    case Opcode.Snarrow:
    case Opcode.Unarrow:
    case Opcode.Uunarrow:
      regs[r0] = narrowLanes(op, t, a, b);
      return true;
    case Opcode.SwidenLow:
    case Opcode.SwidenHigh:
    case Opcode.UwidenLow:
    case Opcode.UwidenHigh:
      regs[r0] = widenLanes(op, t, a);
      return true;
    case Opcode.IaddPairwise: {
      const w = laneBits(t);
      const xs = [...lanesOf(t, a), ...lanesOf(t, b)];
      const out: Val[] = [];
      for (let i = 0; i < xs.length; i += 2) out.push(I.iadd(w, xs[i], xs[i + 1]));
      regs[r0] = joinLanes(t, out);
      return true;
    }
    case Opcode.X86Pmaddubsw: {
      const x = bytesOf(a);
      const y = bytesOf(b).map((v) => I.sextNum(8, v));
      const out: Val[] = [];
      for (let i = 0; i < 16; i += 2) out.push(I.saturate(16, true, BigInt(x[i] * y[i] + x[i + 1] * y[i + 1])));
      regs[r0] = joinLanes(vectorOf(I16, 8), out);
      return true;
    }
    case Opcode.Fpromote:
    case Opcode.Fdemote:
      regs[r0] = fl.fconvert(xt, t, a);
      return true;
    case Opcode.Fvdemote: {
      const xs = lanesOf(xt, a).map((x) => fl.fconvert(F64, F32, x));
      regs[r0] = joinLanes(vectorOf(F32, 4), [...xs, 0, 0]);
      return true;
    }
    case Opcode.FvpromoteLow: {
      const xs = lanesOf(xt, a).slice(0, 2).map((x) => fl.fconvert(F32, F64, x));
      regs[r0] = joinLanes(vectorOf(F64, 2), xs);
      return true;
    }
    case Opcode.FcvtToUint:
    case Opcode.FcvtToSint:
      regs[r0] = fcvtTrapping(op === Opcode.FcvtToSint, xt, t, a);
      return true;
    case Opcode.FcvtToUintSat:
    case Opcode.FcvtToSintSat: {
      const signed = op === Opcode.FcvtToSintSat;
      const w = laneBits(t);
      const from = laneType(xt);
      regs[r0] = isVector(t) ? joinLanes(t, lanesOf(xt, a).map((x) => fcvtSat(signed, from, w, x))) : fcvtSat(signed, from, w, a);
      return true;
    }
    case Opcode.X86Cvtt2dq: {
      const from = laneType(xt);
      const w = laneBits(t);
      const conv = (x: Val): Val => {
        const v = fl.ftruncToBigInt(from, x);
        return v === undefined || !I.inRange(w, true, v) ? intLane(w, -(1n << BigInt(w - 1))) : intLane(w, v);
      };
      regs[r0] = isVector(t) ? joinLanes(t, lanesOf(xt, a).map(conv)) : conv(a);
      return true;
    }
    case Opcode.FcvtFromUint:
    case Opcode.FcvtFromSint: {
      const signed = op === Opcode.FcvtFromSint;
      const from = laneType(xt);
      const wf = laneBits(from);
      const to = laneType(t);
      const conv = (x: Val): Val => {
        if (typeof x === 'number') return fl.ffromNumber(to, signed ? I.sextNum(wf, x) : x);
        return fl.ffromBigInt(to, signed ? BigInt.asIntN(wf, x) : x);
      };
      regs[r0] = isVector(t) ? joinLanes(t, lanesOf(xt, a).map(conv)) : conv(a);
      return true;
    }
    case Opcode.Isplit: {
      const h = halfWidth(t);
      const w = typeBits(h);
      const x = valBits(a);
      regs[r0] = valOfBits(h, x);
      regs[code[pc + R1]] = valOfBits(h, x >> BigInt(w));
      return true;
    }
    case Opcode.Iconcat: {
      const w = typeBits(t);
      regs[r0] = valOfBits(doubleWidth(t), valBits(a) | (valBits(b) << BigInt(w)));
      return true;
    }
    default:
      return false;
  }
}
