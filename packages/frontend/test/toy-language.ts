// A tiny structured language for testing and benchmarking the frontend:
// typed variables (i32, i64, f64), expressions, if/else, counted loops with
// break and continue, and switch. `compileProgram` lowers a program through
// FunctionBuilder exactly as a real front end would (variables only, never
// hand-made block parameters); `evaluateProgram` runs the source directly;
// `randomProgram` draws one from a seed. Loops are counted (at most
// `maxTrips` iterations), so every program terminates.

import type { Block, DataValue, Type, Value } from '@clift/ir';
import { F64, FloatCC, Function, I32, I64, IntCC, abiParam, newSignature } from '@clift/ir';
import { FunctionBuilder, Switch, type Variable } from '../src/index.js';

export type Ty = 'i32' | 'i64' | 'f64';
export type IntOp = 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor';
export type FloatOp = 'add' | 'sub' | 'mul';

export type Expr =
  | { k: 'const'; ty: Ty; v: number }
  | { k: 'var'; ty: Ty; id: number }
  | { k: 'ibin'; ty: 'i32' | 'i64'; op: IntOp; a: Expr; b: Expr }
  | { k: 'fbin'; ty: 'f64'; op: FloatOp; a: Expr; b: Expr }
  | { k: 'sext'; ty: 'i64'; a: Expr }
  | { k: 'trunc'; ty: 'i32'; a: Expr }
  | { k: 'itof'; ty: 'f64'; a: Expr }
  | { k: 'select'; ty: Ty; c: Cond; a: Expr; b: Expr };

export type Cond =
  | { k: 'icmp'; cc: 'eq' | 'ne' | 'slt' | 'ult' | 'sge'; a: Expr; b: Expr }
  | { k: 'fcmp'; cc: 'lt' | 'eq' | 'ge'; a: Expr; b: Expr };

export type Stmt =
  | { k: 'assign'; id: number; e: Expr }
  | { k: 'if'; c: Cond; then: Stmt[]; else: Stmt[] }
  | { k: 'loop'; trips: number; body: Stmt[] }
  | { k: 'break' }
  | { k: 'continue' }
  | { k: 'switch'; e: Expr; cases: { v: number; body: Stmt[] }[]; dflt: Stmt[] };

export interface Program {
  /** Variable types; the first `params` variables are the function's parameters. */
  vars: Ty[];
  params: number;
  /** Initial values of the non-parameter variables. */
  inits: number[];
  body: Stmt[];
}

export function clifType(t: Ty): Type {
  return t === 'i32' ? I32 : t === 'i64' ? I64 : F64;
}

// ---------------------------------------------------------------------------
// Direct evaluation

type Val = bigint | number;
class Break extends Error {}
class Continue extends Error {}

function wrap(ty: Ty, x: bigint): bigint {
  return BigInt.asIntN(ty === 'i32' ? 32 : 64, x);
}

function evalExpr(e: Expr, env: Val[]): Val {
  switch (e.k) {
    case 'const':
      return e.ty === 'f64' ? e.v : wrap(e.ty, BigInt(e.v));
    case 'var':
      return env[e.id];
    case 'ibin': {
      const a = evalExpr(e.a, env) as bigint;
      const b = evalExpr(e.b, env) as bigint;
      const r = e.op === 'add' ? a + b : e.op === 'sub' ? a - b : e.op === 'mul' ? a * b : e.op === 'and' ? a & b : e.op === 'or' ? a | b : a ^ b;
      return wrap(e.ty, r);
    }
    case 'fbin': {
      const a = evalExpr(e.a, env) as number;
      const b = evalExpr(e.b, env) as number;
      return e.op === 'add' ? a + b : e.op === 'sub' ? a - b : a * b;
    }
    case 'sext':
      return evalExpr(e.a, env);
    case 'trunc':
      return wrap('i32', evalExpr(e.a, env) as bigint);
    case 'itof':
      return Number(evalExpr(e.a, env));
    case 'select':
      return evalCond(e.c, env) ? evalExpr(e.a, env) : evalExpr(e.b, env);
  }
}

function evalCond(c: Cond, env: Val[]): boolean {
  if (c.k === 'fcmp') {
    const a = evalExpr(c.a, env) as number;
    const b = evalExpr(c.b, env) as number;
    return c.cc === 'lt' ? a < b : c.cc === 'eq' ? a === b : a >= b;
  }
  const a = evalExpr(c.a, env) as bigint;
  const b = evalExpr(c.b, env) as bigint;
  const bits = exprTy(c.a) === 'i32' ? 32 : 64;
  switch (c.cc) {
    case 'eq': return a === b;
    case 'ne': return a !== b;
    case 'slt': return a < b;
    case 'sge': return a >= b;
    case 'ult': return BigInt.asUintN(bits, a) < BigInt.asUintN(bits, b);
  }
}

function exprTy(e: Expr): Ty {
  return e.ty;
}

function execStmts(stmts: Stmt[], env: Val[]): void {
  for (const s of stmts) {
    switch (s.k) {
      case 'assign':
        env[s.id] = evalExpr(s.e, env);
        break;
      case 'if':
        execStmts(evalCond(s.c, env) ? s.then : s.else, env);
        break;
      case 'loop':
        for (let i = 0; i < s.trips; i++) {
          try {
            execStmts(s.body, env);
          } catch (x) {
            if (x instanceof Break) break;
            if (x instanceof Continue) continue;
            throw x;
          }
        }
        break;
      case 'break':
        throw new Break();
      case 'continue':
        throw new Continue();
      case 'switch': {
        const v = evalExpr(s.e, env) as bigint;
        const hit = s.cases.find((c) => wrap(s.e.ty, BigInt(c.v)) === v);
        execStmts(hit ? hit.body : s.dflt, env);
        break;
      }
    }
  }
}

/** Runs the program on `args` (bigint for ints, number for f64) and returns every variable's final value. */
export function evaluateProgram(p: Program, args: readonly Val[]): Val[] {
  const env: Val[] = p.vars.map((ty, i) => (i < p.params ? args[i] : ty === 'f64' ? p.inits[i - p.params] : wrap(ty, BigInt(p.inits[i - p.params]))));
  execStmts(p.body, env);
  return env;
}

// ---------------------------------------------------------------------------
// Compilation through FunctionBuilder

interface LoopTargets {
  latch: Block;
  exit: Block;
}

class Compiler {
  readonly fb: FunctionBuilder;
  readonly vars: Variable[] = [];
  private readonly loops: LoopTargets[] = [];

  constructor(readonly p: Program, readonly func: Function) {
    this.fb = new FunctionBuilder(func);
  }

  /** Statements after a break or continue are unreachable: they go to a fresh block with no predecessors. */
  private ensureOpen(): void {
    const cur = this.fb.currentBlock();
    if (cur !== undefined && !this.fb.isFilled(cur)) return;
    const dead = this.fb.createBlock();
    this.fb.switchToBlock(dead);
    this.fb.sealBlock(dead);
  }

  private endWithJump(target: Block): void {
    const cur = this.fb.currentBlock();
    if (cur !== undefined && !this.fb.isFilled(cur)) this.fb.ins().jump(target);
  }

  compile(): Function {
    const fb = this.fb;
    const entry = fb.createBlock();
    const params = fb.appendBlockParamsForFunctionParams(entry);
    fb.switchToBlock(entry);
    fb.sealBlock(entry);
    this.p.vars.forEach((ty, i) => {
      const v = fb.declareVar(clifType(ty));
      this.vars.push(v);
      if (i < this.p.params) fb.defVar(v, params[i]);
      else {
        const init = this.p.inits[i - this.p.params];
        fb.defVar(v, ty === 'f64' ? fb.ins().f64const(init) : fb.ins().iconst(clifType(ty), init));
      }
    });
    this.stmts(this.p.body);
    this.ensureOpen();
    fb.ins().return_(this.vars.map((v) => fb.useVar(v)));
    return fb.finalize();
  }

  private stmts(list: Stmt[]): void {
    for (const s of list) {
      this.ensureOpen();
      this.stmt(s);
    }
  }

  private stmt(s: Stmt): void {
    const fb = this.fb;
    switch (s.k) {
      case 'assign':
        fb.defVar(this.vars[s.id], this.expr(s.e));
        return;
      case 'if': {
        const c = this.cond(s.c);
        const thenB = fb.createBlock();
        const elseB = fb.createBlock();
        const merge = fb.createBlock();
        fb.ins().brif(c, thenB, [], elseB, []);
        fb.sealBlock(thenB);
        fb.sealBlock(elseB);
        fb.switchToBlock(thenB);
        this.stmts(s.then);
        this.endWithJump(merge);
        fb.switchToBlock(elseB);
        this.stmts(s.else);
        this.endWithJump(merge);
        fb.sealBlock(merge);
        fb.switchToBlock(merge);
        return;
      }
      case 'loop': {
        const counter = fb.declareVar(I32);
        fb.defVar(counter, fb.ins().iconst(I32, 0));
        const header = fb.createBlock();
        const body = fb.createBlock();
        const latch = fb.createBlock();
        const exit = fb.createBlock();
        fb.ins().jump(header);
        fb.switchToBlock(header);
        const more = fb.ins().icmp(IntCC.SignedLessThan, fb.useVar(counter), fb.ins().iconst(I32, s.trips));
        fb.ins().brif(more, body, [], exit, []);
        fb.switchToBlock(body);
        fb.sealBlock(body);
        this.loops.push({ latch, exit });
        this.stmts(s.body);
        this.loops.pop();
        this.endWithJump(latch);
        fb.sealBlock(latch);
        fb.switchToBlock(latch);
        fb.defVar(counter, fb.ins().iadd(fb.useVar(counter), fb.ins().iconst(I32, 1)));
        fb.ins().jump(header);
        fb.sealBlock(header);
        fb.sealBlock(exit);
        fb.switchToBlock(exit);
        return;
      }
      case 'break':
        fb.ins().jump(this.loops[this.loops.length - 1].exit);
        return;
      case 'continue':
        fb.ins().jump(this.loops[this.loops.length - 1].latch);
        return;
      case 'switch': {
        const v = this.expr(s.e);
        const sw = new Switch();
        const merge = fb.createBlock();
        const dflt = fb.createBlock();
        const blocks = s.cases.map((c) => {
          const b = fb.createBlock();
          sw.setEntry(c.v, b);
          return b;
        });
        sw.emit(fb, v, dflt);
        for (const b of [...blocks, dflt]) fb.sealBlock(b);
        s.cases.forEach((c, i) => {
          fb.switchToBlock(blocks[i]);
          this.stmts(c.body);
          this.endWithJump(merge);
        });
        fb.switchToBlock(dflt);
        this.stmts(s.dflt);
        this.endWithJump(merge);
        fb.sealBlock(merge);
        fb.switchToBlock(merge);
        return;
      }
    }
  }

  private expr(e: Expr): Value {
    const ins = this.fb.ins();
    switch (e.k) {
      case 'const':
        return e.ty === 'f64' ? ins.f64const(e.v) : ins.iconst(clifType(e.ty), e.v);
      case 'var':
        return this.fb.useVar(this.vars[e.id]);
      case 'ibin': {
        const a = this.expr(e.a);
        const b = this.expr(e.b);
        switch (e.op) {
          case 'add': return ins.iadd(a, b);
          case 'sub': return ins.isub(a, b);
          case 'mul': return ins.imul(a, b);
          case 'and': return ins.band(a, b);
          case 'or': return ins.bor(a, b);
          case 'xor': return ins.bxor(a, b);
        }
        break;
      }
      case 'fbin': {
        const a = this.expr(e.a);
        const b = this.expr(e.b);
        return e.op === 'add' ? ins.fadd(a, b) : e.op === 'sub' ? ins.fsub(a, b) : ins.fmul(a, b);
      }
      case 'sext':
        return ins.sextend(I64, this.expr(e.a));
      case 'trunc':
        return ins.ireduce(I32, this.expr(e.a));
      case 'itof':
        return ins.fcvtFromSint(F64, this.expr(e.a));
      case 'select': {
        const c = this.cond(e.c);
        return ins.select(c, this.expr(e.a), this.expr(e.b));
      }
    }
  }

  private cond(c: Cond): Value {
    const ins = this.fb.ins();
    const a = this.expr(c.a);
    const b = this.expr(c.b);
    if (c.k === 'fcmp') {
      return ins.fcmp(c.cc === 'lt' ? FloatCC.LessThan : c.cc === 'eq' ? FloatCC.Equal : FloatCC.GreaterThanOrEqual, a, b);
    }
    const cc = { eq: IntCC.Equal, ne: IntCC.NotEqual, slt: IntCC.SignedLessThan, ult: IntCC.UnsignedLessThan, sge: IntCC.SignedGreaterThanOrEqual }[c.cc];
    return ins.icmp(cc, a, b);
  }
}

/** Lowers `p` to a CLIF function named `name` through FunctionBuilder. */
export function compileProgram(p: Program, name = 'toy'): Function {
  const sig = newSignature('system_v');
  for (let i = 0; i < p.params; i++) sig.params.push(abiParam(clifType(p.vars[i])));
  for (const t of p.vars) sig.returns.push(abiParam(clifType(t)));
  const func = new Function({ kind: 'testcase', name }, sig);
  return new Compiler(p, func).compile();
}

/** Converts evaluator values to the interpreter's DataValues. */
export function toDataValue(ty: Ty, v: Val): DataValue {
  if (ty === 'f64') {
    const buf = new DataView(new ArrayBuffer(8));
    buf.setFloat64(0, v as number, true);
    return { type: F64, bits: buf.getBigUint64(0, true) };
  }
  return { type: clifType(ty), bits: BigInt.asUintN(ty === 'i32' ? 32 : 64, v as bigint) };
}

// ---------------------------------------------------------------------------
// Random programs

/** mulberry32: a small deterministic PRNG, so a failing seed reproduces. */
export function rngFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenOptions {
  /** Statement nesting depth. */
  maxDepth: number;
  /** Statements per list. */
  maxStmts: number;
  /** Variables of each type beyond the three parameters. */
  extraVars: number;
  maxTrips: number;
}

export const SMALL: GenOptions = { maxDepth: 3, maxStmts: 4, extraVars: 2, maxTrips: 3 };

class Gen {
  constructor(private readonly r: () => number, private readonly o: GenOptions, private readonly vars: Ty[]) {}

  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }

  expr(ty: Ty, depth: number): Expr {
    const leaf = depth <= 0 || this.r() < 0.35;
    if (leaf) {
      const ids = this.vars.flatMap((t, i) => (t === ty ? [i] : []));
      if (ids.length > 0 && this.r() < 0.7) return { k: 'var', ty, id: this.pick(ids) };
      return { k: 'const', ty, v: ty === 'f64' ? this.int(200) / 8 - 12 : this.int(41) - 20 };
    }
    const choice = this.int(10);
    if (choice === 0) return { k: 'select', ty, c: this.cond(depth - 1), a: this.expr(ty, depth - 1), b: this.expr(ty, depth - 1) };
    if (ty === 'f64') {
      if (choice === 1) return { k: 'itof', ty, a: this.expr('i32', depth - 1) };
      return { k: 'fbin', ty, op: this.pick(['add', 'sub', 'mul'] as const), a: this.expr(ty, depth - 1), b: this.expr(ty, depth - 1) };
    }
    if (choice === 1) return ty === 'i64' ? { k: 'sext', ty, a: this.expr('i32', depth - 1) } : { k: 'trunc', ty, a: this.expr('i64', depth - 1) };
    return { k: 'ibin', ty, op: this.pick(['add', 'sub', 'mul', 'and', 'or', 'xor'] as const), a: this.expr(ty, depth - 1), b: this.expr(ty, depth - 1) };
  }

  cond(depth: number): Cond {
    if (this.r() < 0.25) return { k: 'fcmp', cc: this.pick(['lt', 'eq', 'ge'] as const), a: this.expr('f64', depth), b: this.expr('f64', depth) };
    const ty = this.pick(['i32', 'i64'] as const);
    return { k: 'icmp', cc: this.pick(['eq', 'ne', 'slt', 'ult', 'sge'] as const), a: this.expr(ty, depth), b: this.expr(ty, depth) };
  }

  stmts(depth: number, inLoop: boolean): Stmt[] {
    const n = 1 + this.int(this.o.maxStmts);
    const out: Stmt[] = [];
    for (let i = 0; i < n; i++) out.push(this.stmt(depth, inLoop));
    return out;
  }

  stmt(depth: number, inLoop: boolean): Stmt {
    const c = this.int(depth <= 0 ? 4 : 12);
    if (c < 4) {
      if (inLoop && c === 0 && this.r() < 0.3) return this.r() < 0.5 ? { k: 'break' } : { k: 'continue' };
      const id = this.int(this.vars.length);
      return { k: 'assign', id, e: this.expr(this.vars[id], 2) };
    }
    if (c < 7) return { k: 'if', c: this.cond(1), then: this.stmts(depth - 1, inLoop), else: this.r() < 0.3 ? [] : this.stmts(depth - 1, inLoop) };
    if (c < 10) return { k: 'loop', trips: this.int(this.o.maxTrips + 1), body: this.stmts(depth - 1, true) };
    const ty = this.pick(['i32', 'i64'] as const);
    const values = new Set<number>();
    const ncases = 1 + this.int(8);
    // Dense runs near zero (jump tables) mixed with sparse outliers (compares).
    for (let i = 0; i < ncases; i++) values.add(this.r() < 0.7 ? this.int(10) - 2 : this.pick([-1000, 77, 4096, 1 << 20, -(1 << 30)]));
    return {
      k: 'switch',
      e: { k: 'ibin', ty, op: 'and', a: this.expr(ty, 1), b: { k: 'const', ty, v: this.pick([7, 15, -1]) } },
      cases: [...values].map((v) => ({ v, body: this.stmts(depth - 1, inLoop) })),
      dflt: this.stmts(depth - 1, inLoop),
    };
  }
}

/** A random program: parameters i32, i64, f64, then `extraVars` more of each type. */
export function randomProgram(seed: number, o: GenOptions = SMALL): Program {
  const r = rngFrom(seed);
  const vars: Ty[] = ['i32', 'i64', 'f64'];
  for (let i = 0; i < o.extraVars; i++) vars.push('i32', 'i64', 'f64');
  const inits = vars.slice(3).map((t) => (t === 'f64' ? Math.floor(r() * 64) / 4 : Math.floor(r() * 21) - 10));
  const g = new Gen(r, o, vars);
  return { vars, params: 3, inits, body: g.stmts(o.maxDepth, false) };
}
