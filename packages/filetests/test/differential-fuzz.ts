// Differential fuzzing of the AArch64 backend against the interpreter:
// random valid scalar-integer CLIF (i8–i64 arithmetic, bit operations,
// shifts and rotates, comparisons, selects, extensions and reductions,
// guarded division, a few blocks joined by brif/jump with block
// parameters), run in @clift/interpreter and, compiled at opt_level none,
// speed and speed_and_size, under QEMU through the `test run` harness.
//
// Used by test/differential.test.ts (a bounded run in CI) and by
// scripts/fuzz-differential.ts (unbounded). A case is one function with a
// few argument vectors; several cases share one executable per opt level
// so that QEMU starts rarely.
//
// Invariants:
// - Every generated function verifies and cannot trap: divisors are forced
//   non-zero (and positive for signed division); control flow goes
//   forward except a loop block's branch to itself, which runs at most 5
//   times, so every call ends.
// - A function the backend refuses as `unsupported` is counted and
//   replaced, never counted as a pass; any other refusal is a finding.
// - The run commands are `print` lines: the harness returns the values the
//   compiled code produced, and they are compared here with the
//   interpreter's bit for bit.

import type { CompileResult } from '@clift/codegen';
import { dataValueListsEqual, formatDataValues, type DataValue, type Function } from '@clift/ir';
import { Interpreter } from '@clift/interpreter';
import { parseTestFile, type ParsedFunction } from '@clift/reader';
import { CompileFailure, compileAarch64, executeRunCommands, functionSymbol, RunHarnessError, type RunnableFunction } from '../src/index.js';

// ---------------------------------------------------------------------------
// Random numbers (deterministic per seed, so a failure can be replayed)

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** A uniform 32-bit unsigned integer (xorshift32). */
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  int(n: number): number {
    return this.next() % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() / 0x1_0000_0000 < p;
  }
  bits64(): bigint {
    return (BigInt(this.next()) << 32n) | BigInt(this.next());
  }
}

// ---------------------------------------------------------------------------
// The generator

type IntTy = 'i8' | 'i16' | 'i32' | 'i64';
const TYPES: readonly IntTy[] = ['i8', 'i16', 'i32', 'i64'];
const BITS: Readonly<Record<IntTy, number>> = { i8: 8, i16: 16, i32: 32, i64: 64 };

const BINARY = ['iadd', 'isub', 'imul', 'band', 'bor', 'bxor', 'band_not', 'bor_not', 'bxor_not', 'ishl', 'ushr', 'sshr', 'rotl', 'rotr', 'umulhi', 'smulhi', 'smin', 'smax', 'umin', 'umax'] as const;
const UNARY = ['bnot', 'ineg', 'iabs', 'clz', 'ctz', 'cls', 'popcnt', 'bitrev', 'bswap'] as const;
const DIVISION = ['udiv', 'urem', 'sdiv', 'srem'] as const;
const CONDS = ['eq', 'ne', 'slt', 'sge', 'sgt', 'sle', 'ult', 'uge', 'ugt', 'ule'] as const;

/** Signed decimal text of `v` reduced to `bits`. */
function signedText(v: bigint, bits: number): string {
  return BigInt.asIntN(bits, v).toString();
}

/** Constants that exercise immediate encodings and edge cases. */
function interestingConstant(rng: Rng, ty: IntTy): string {
  const bits = BITS[ty];
  const k = rng.int(10);
  let v: bigint;
  switch (k) {
    case 0:
      v = BigInt(rng.int(5)); // 0..4
      break;
    case 1:
      v = -1n;
      break;
    case 2:
      v = 1n << BigInt(rng.int(bits)); // a single bit, including the sign bit
      break;
    case 3:
      v = (1n << BigInt(rng.int(bits))) - 1n; // a low mask
      break;
    case 4:
      v = BigInt(rng.int(4096)); // add/sub imm12
      break;
    case 5:
      v = BigInt(rng.int(4096)) << 12n; // imm12, shifted
      break;
    case 6:
      v = -BigInt(rng.int(4096)); // negative imm12
      break;
    case 7: {
      // A repeating bit pattern (logical immediates).
      const e = [2, 4, 8, 16, 32].filter((x) => x <= bits)[rng.int(bits >= 32 ? 5 : bits >= 16 ? 4 : 3)];
      const ones = 1 + rng.int(e - 1);
      const unit = ((1n << BigInt(ones)) - 1n) << BigInt(rng.int(e - ones + 1));
      v = 0n;
      for (let i = 0; i < bits; i += e) v |= unit << BigInt(i);
      break;
    }
    case 8:
      v = BigInt(rng.int(0x1_0000)) << BigInt(16 * rng.int(bits / 16 || 1)); // movz/movk
      break;
    default:
      v = rng.bits64();
  }
  return signedText(v, bits);
}

interface Val {
  name: string;
  ty: IntTy;
}

/** Builds one function's text, instruction by instruction. */
class FunctionWriter {
  private next = 0;
  readonly lines: string[] = [];
  constructor(private readonly rng: Rng) {}

  fresh(): string {
    return `v${this.next++}`;
  }
  emit(line: string): void {
    this.lines.push(`    ${line}`);
  }
  iconst(ty: IntTy, text: string): Val {
    const name = this.fresh();
    this.emit(`${name} = iconst.${ty} ${text}`);
    return { name, ty };
  }

  /** A value of type `ty` from the pool, converting or materializing one if needed. */
  operand(pool: Val[], ty: IntTy): Val {
    const same = pool.filter((v) => v.ty === ty);
    // Recent values are preferred, so that chains of dependent instructions form.
    if (same.length > 0 && !this.rng.chance(0.15)) return this.rng.chance(0.6) ? same[same.length - 1 - this.rng.int(Math.min(3, same.length))] : this.rng.pick(same);
    if (pool.length > 0 && this.rng.chance(0.6)) {
      const src = this.rng.pick(pool);
      if (src.ty === ty) return src;
      const name = this.fresh();
      if (BITS[src.ty] < BITS[ty]) this.emit(`${name} = ${this.rng.chance(0.5) ? 'uextend' : 'sextend'}.${ty} ${src.name}`);
      else this.emit(`${name} = ireduce.${ty} ${src.name}`);
      const v = { name, ty };
      pool.push(v);
      return v;
    }
    const c = this.iconst(ty, interestingConstant(this.rng, ty));
    pool.push(c);
    return c;
  }

  /** One random value-producing instruction (sometimes a short sequence); adds its result to the pool. */
  instruction(pool: Val[]): void {
    const rng = this.rng;
    const ty = rng.pick(TYPES);
    const k = rng.int(100);
    let line: string;
    const name = this.fresh();
    let rty: IntTy = ty;
    if (k < 45) {
      const op = rng.pick(BINARY);
      const a = this.operand(pool, ty);
      // Immediates are a large part of instruction selection: often make the right operand a constant.
      const b = rng.chance(0.35) ? this.iconst(ty, interestingConstant(rng, ty)) : this.operand(pool, ty);
      line = `${name} = ${op} ${a.name}, ${b.name}`;
    } else if (k < 60) {
      const op = rng.pick(UNARY);
      const t: IntTy = op === 'bswap' && ty === 'i8' ? 'i16' : ty;
      rty = t;
      const a = this.operand(pool, t);
      line = `${name} = ${op} ${a.name}`;
    } else if (k < 68) {
      const op = rng.pick(DIVISION);
      const a = this.operand(pool, ty);
      const b = this.operand(pool, ty);
      // Divisor forced non-zero; for signed division also positive (no MIN / -1).
      const one = this.iconst(ty, '1');
      let d = b;
      if (op === 'sdiv' || op === 'srem') {
        const h = this.fresh();
        this.emit(`${h} = ushr ${b.name}, ${one.name}`);
        d = { name: h, ty };
      }
      const nz = this.fresh();
      this.emit(`${nz} = bor ${d.name}, ${one.name}`);
      line = `${name} = ${op} ${a.name}, ${nz}`;
    } else if (k < 80) {
      const a = this.operand(pool, ty);
      const b = rng.chance(0.4) ? this.iconst(ty, interestingConstant(rng, ty)) : this.operand(pool, ty);
      line = `${name} = icmp ${rng.pick(CONDS)} ${a.name}, ${b.name}`;
      rty = 'i8';
    } else if (k < 90) {
      const c = this.operand(pool, rng.pick(TYPES));
      const a = this.operand(pool, ty);
      const b = this.operand(pool, ty);
      line = `${name} = select ${c.name}, ${a.name}, ${b.name}`;
    } else {
      const src = rng.pick(pool.length > 0 ? pool : [this.operand(pool, rng.pick(TYPES))]);
      const wider = TYPES.filter((t) => BITS[t] > BITS[src.ty]);
      const narrower = TYPES.filter((t) => BITS[t] < BITS[src.ty]);
      if (wider.length > 0 && (narrower.length === 0 || rng.chance(0.6))) {
        rty = rng.pick(wider);
        line = `${name} = ${rng.chance(0.5) ? 'uextend' : 'sextend'}.${rty} ${src.name}`;
      } else {
        rty = rng.pick(narrower);
        line = `${name} = ireduce.${rty} ${src.name}`;
      }
    }
    this.emit(line);
    pool.push({ name, ty: rty });
  }
}

export interface GeneratedCase {
  /** The function's name without `%`. */
  name: string;
  /** The function's CLIF text (no test header). */
  text: string;
  /** `print:` lines, one per argument vector. */
  prints: string[];
}

export interface GenerateOptions {
  /** Roughly how many instructions per block (default 8). */
  instsPerBlock?: number;
  /** Most blocks (default 5). */
  maxBlocks?: number;
  /** Exactly this many blocks (overrides maxBlocks). */
  blocks?: number;
  /** Argument vectors per case (default 4). */
  vectors?: number;
}

/** A random argument for type `ty`: edge values half of the time. */
function argText(rng: Rng, ty: IntTy): string {
  const bits = BITS[ty];
  const edges = [0n, 1n, -1n, 1n << BigInt(bits - 1), (1n << BigInt(bits - 1)) - 1n, 2n, 7n];
  const v = rng.chance(0.5) ? rng.pick(edges) : rng.bits64() >> BigInt(rng.int(64));
  return signedText(v, bits);
}

/**
 * Mixes every value of `vals` into the i64 accumulator `acc` (extending or
 * reducing each to i64), so that no computed value is dead: dead code
 * would be removed before instruction selection and test nothing.
 */
function fold(w: FunctionWriter, rng: Rng, acc: Val, vals: readonly Val[]): Val {
  let cur = acc;
  for (const v of vals) {
    let wide = v;
    if (v.ty !== 'i64') {
      wide = { name: w.fresh(), ty: 'i64' };
      w.emit(`${wide.name} = ${rng.chance(0.5) ? 'uextend' : 'sextend'}.i64 ${v.name}`);
    }
    const next = { name: w.fresh(), ty: 'i64' as IntTy };
    w.emit(`${next.name} = ${rng.pick(['bxor', 'iadd', 'isub'])} ${cur.name}, ${wide.name}`);
    cur = next;
  }
  return cur;
}

/**
 * One random function with forward-only control flow and its print lines.
 * Every block after the entry takes an i64 accumulator first, into which
 * each block folds what it computed; the first result is the final
 * accumulator. Block b always branches to b + 1 (so every block is
 * reachable), with brif's other edge to a random later block; a loop
 * block branches back to itself while its trip counter (at most 5) lasts.
 */
export function generateCase(rng: Rng, name: string, opts: GenerateOptions = {}): GeneratedCase {
  const w = new FunctionWriter(rng);
  const perBlock = opts.instsPerBlock ?? 8;
  const nblocks = opts.blocks ?? 1 + rng.int(opts.maxBlocks ?? 5);
  const params: IntTy[] = Array.from({ length: 1 + rng.int(4) }, () => rng.pick(TYPES));
  const rets: IntTy[] = ['i64', ...Array.from({ length: rng.int(2) }, () => rng.pick(TYPES))];
  const blockParams: IntTy[][] = [params];
  // A loop block takes a trip counter (i32, 1 to 5 on entry) second and branches back to itself.
  const isLoop: boolean[] = [false];
  for (let b = 1; b < nblocks; b++) {
    isLoop.push(b < nblocks - 1 && rng.chance(0.3));
    blockParams.push(['i64', ...(isLoop[b] ? ['i32' as IntTy] : []), ...Array.from({ length: rng.int(3) }, () => rng.pick(TYPES))]);
  }

  const fnParams: Val[] = params.map((ty) => ({ name: w.fresh(), ty }));
  const body: string[] = [];
  for (let b = 0; b < nblocks; b++) {
    const own: Val[] = b === 0 ? fnParams : blockParams[b].map((ty) => ({ name: w.fresh(), ty }));
    body.push(`block${b}(${own.map((v) => `${v.name}: ${v.ty}`).join(', ')}):`);
    w.lines.length = 0;
    // Function parameters are defined in block0, which dominates every block.
    const pool: Val[] = b === 0 ? [...fnParams] : [...fnParams, ...own];
    const before = pool.length;
    const count = 1 + rng.int(perBlock * 2);
    for (let i = 0; i < count; i++) w.instruction(pool);
    const seed = b === 0 ? w.iconst('i64', interestingConstant(rng, 'i64')) : own[0];
    const acc = fold(w, rng, seed, pool.slice(before));
    const args = (target: number, counter?: Val): string => {
      const tys = blockParams[target];
      const rest = tys.slice(isLoop[target] ? 2 : 1).map((t) => w.operand(pool, t).name);
      const trip = isLoop[target] ? [(counter ?? w.iconst('i32', String(1 + rng.int(5)))).name] : [];
      return `block${target}(${[acc.name, ...trip, ...rest].join(', ')})`;
    };
    if (isLoop[b]) {
      const one = w.iconst('i32', '1');
      const left = { name: w.fresh(), ty: 'i32' as IntTy };
      w.emit(`${left.name} = isub ${own[1].name}, ${one.name}`);
      const back = args(b, left);
      const out = args(b + 1);
      w.emit(`brif ${left.name}, ${back}, ${out}`);
    } else if (b === nblocks - 1) {
      const vals = [acc.name, ...rets.slice(1).map((t) => w.operand(pool, t).name)];
      w.emit(`return ${vals.join(', ')}`);
    } else if (rng.chance(0.3) || b === nblocks - 2) {
      w.emit(`jump ${args(b + 1)}`);
    } else {
      const c = w.operand(pool, rng.pick(TYPES));
      const other = b + 1 + rng.int(nblocks - b - 1);
      const [t1, t2] = rng.chance(0.5) ? [b + 1, other] : [other, b + 1];
      const a1 = args(t1);
      const a2 = args(t2);
      w.emit(`brif ${c.name}, ${a1}, ${a2}`);
    }
    body.push(...w.lines);
  }
  const text = `function %${name}(${params.join(', ')}) -> ${rets.join(', ')} system_v {\n${body.join('\n')}\n}\n`;
  const prints = Array.from({ length: opts.vectors ?? 4 }, () => `; print: %${name}(${params.map((t) => argText(rng, t)).join(', ')})`);
  return { name, text, prints };
}

// ---------------------------------------------------------------------------
// Running a batch

export const OPT_LEVELS = ['none', 'speed', 'speed_and_size'] as const;
export type OptLevel = (typeof OPT_LEVELS)[number];

export interface Finding {
  kind: 'mismatch' | 'compile-error' | 'crash' | 'interpreter';
  optLevel: OptLevel | '-';
  /** What went wrong, in one paragraph. */
  message: string;
  /** A self-contained `test run` file reproducing it (expected values from the interpreter). */
  clif: string;
}

export interface BatchStats {
  /** Cases compared at every opt level with equal results. */
  passed: number;
  /** Cases the backend refused as unsupported (replaced, not counted as passes). */
  unsupported: number;
  /** `opcode type` → how often it was the reason for `unsupported`. */
  unsupportedReasons: Map<string, number>;
  findings: Finding[];
}

function reproducer(c: GeneratedCase, expected: readonly (DataValue[] | undefined)[], flags: string): string {
  const runs = c.prints.map((p, i) => {
    const call = p.replace(/^; print: /, '');
    const e = expected[i];
    return e === undefined ? `; print: ${call}` : `; run: ${call} == ${formatDataValues(e)}`;
  });
  return `test run\n${flags}target aarch64\n\n${c.text}${runs.join('\n')}\n`;
}

/** `unsupported: bitrev i8 on aarch64: …` → `bitrev i8`. */
function unsupportedKey(message: string): string {
  const m = /^unsupported: (.*?) on aarch64/.exec(message);
  return m ? m[1] : message.slice(0, 60);
}

function parseCase(c: GeneratedCase): ParsedFunction {
  return parseTestFile(`test run\ntarget aarch64\n${c.text}${c.prints.join('\n')}\n`, `${c.name}.clif`).functions[0];
}

/**
 * Generates `size` supported cases (replacing unsupported ones, up to a
 * limit of attempts), runs them in the interpreter and compiled at each
 * opt level under QEMU, and reports findings. Tools must be present (the
 * harness throws `ToolchainError` otherwise).
 */
export interface BatchOptions extends GenerateOptions {
  /** Prefix of the generated function names (they must be unique within a batch). */
  namePrefix?: string;
  /** The compiler under test (default: `compileAarch64` with the regalloc checker on). */
  compile?: (func: Function, level: OptLevel) => CompileResult;
}

function defaultCompile(func: Function, level: OptLevel): CompileResult {
  return compileAarch64(func, { settings: [{ name: 'opt_level', value: level }, { name: 'regalloc_checker', value: 'true' }] });
}

export function runBatch(rng: Rng, size: number, opts: BatchOptions = {}): BatchStats {
  const compile = opts.compile ?? defaultCompile;
  const stats: BatchStats = { passed: 0, unsupported: 0, unsupportedReasons: new Map(), findings: [] };
  interface Ready {
    c: GeneratedCase;
    expected: DataValue[][];
    code: Map<OptLevel, RunnableFunction>;
  }
  const ready: Ready[] = [];
  let serial = 0;
  for (let attempts = 0; ready.length < size && attempts < size * 20; attempts++) {
    const c = generateCase(rng, `${opts.namePrefix ?? 'fuzz'}${serial++}`, opts);
    const parsed = parseCase(c);
    // The oracle first: a case the interpreter cannot run is a generator bug.
    const interp = new Interpreter([parsed.func]);
    const expected: DataValue[][] = [];
    let oracleProblem: string | undefined;
    for (const cmd of parsed.runCommands) {
      const r = interp.call(cmd.funcName, cmd.args);
      if (r.kind !== 'return') {
        oracleProblem = `the interpreter trapped (${r.message}) on ${cmd.text}`;
        break;
      }
      expected.push(r.values);
    }
    if (oracleProblem !== undefined) {
      stats.findings.push({ kind: 'interpreter', optLevel: '-', message: oracleProblem, clif: reproducer(c, [], '') });
      continue;
    }
    const code = new Map<OptLevel, RunnableFunction>();
    let refused = false;
    for (const level of OPT_LEVELS) {
      // Each level compiles a fresh parse: the mid-end rewrites the function in place.
      const p = level === 'none' ? parsed : parseCase(c);
      try {
        const compiled = compile(p.func, level);
        code.set(level, { name: functionSymbol(p.func), signature: p.func.signature, code: compiled });
      } catch (e) {
        if (!(e instanceof CompileFailure)) throw e;
        if (e.kind === 'unsupported') {
          stats.unsupported++;
          const key = unsupportedKey(e.message);
          stats.unsupportedReasons.set(key, (stats.unsupportedReasons.get(key) ?? 0) + 1);
        } else {
          stats.findings.push({
            kind: 'compile-error',
            optLevel: level,
            message: `compilation failed at opt_level=${level}: ${e.summary}`,
            clif: reproducer(c, expected, `set opt_level=${level}\n`),
          });
        }
        refused = true;
        break;
      }
    }
    if (!refused) ready.push({ c, expected, code });
  }

  const bad = new Set<Ready>();
  for (const level of OPT_LEVELS) {
    const functions = ready.map((r) => r.code.get(level)!);
    const commands = ready.flatMap((r) => parseCase(r.c).runCommands);
    const owner = ready.flatMap((r) => r.c.prints.map(() => r));
    const index = ready.flatMap((r) => r.c.prints.map((_, i) => i));
    let report;
    try {
      report = executeRunCommands(functions, commands, { timeoutMs: 30_000 });
    } catch (e) {
      if (!(e instanceof RunHarnessError)) throw e;
      // The whole executable failed: name every case of the batch (the first is usually enough to bisect).
      stats.findings.push({ kind: 'crash', optLevel: level, message: `the executable failed at opt_level=${level}: ${e.message}`, clif: ready.map((r) => reproducer(r.c, r.expected, `set opt_level=${level}\n`)).join('\n') });
      for (const r of ready) bad.add(r);
      continue;
    }
    report.outcomes.forEach((o, i) => {
      const r = owner[i];
      if (bad.has(r)) return;
      const want = r.expected[index[i]];
      if (o.actual !== undefined && dataValueListsEqual(o.actual, want)) return;
      bad.add(r);
      const got = o.actual === undefined ? `no result (${o.status}: ${o.message})` : formatDataValues(o.actual);
      stats.findings.push({
        kind: o.actual === undefined ? 'crash' : 'mismatch',
        optLevel: level,
        message: `opt_level=${level}: ${r.c.prints[index[i]].replace(/^; print: /, '')}: interpreter ${formatDataValues(want)}, compiled ${got}`,
        clif: reproducer(r.c, r.expected, `set opt_level=${level}\n`),
      });
    });
  }
  stats.passed = ready.filter((r) => !bad.has(r)).length;
  return stats;
}
