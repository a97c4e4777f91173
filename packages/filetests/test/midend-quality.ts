// Mid-end quality against upstream: for every function of upstream's
// `egraph/` and `alias/` filetests, runs Clift's mid-end (the pass the
// file's `test` line names) and decides whether the result is as good as
// the output upstream expects, or better; and interprets the original and
// optimized functions on the same inputs to check they agree.
//
// This module owns the verdicts, the cost model behind them, the renaming-
// tolerant check matcher, the semantic check and the expectations text
// format (expectations/midend-quality.txt). The test beside it ratchets on
// that file; scripts/midend-quality.ts prints the summary and rewrites it.
//
// Verdicts, per function with upstream expectations:
// - `match`: upstream's expectation holds with value numbers renamed. Value
//   names in check lines are upstream's; here each `vN` is a variable bound
//   at its first use and used consistently after (one-to-one: two upstream
//   names never bind the same value). Precise-output expectations must equal
//   the printed function after the same renaming.
// - `better` / `equal`: the expectation fails, but Clift's function has no
//   more instructions and no higher cost than upstream's. For precise output
//   upstream's instructions are all known; for check lines only the ones the
//   checks name, which upstream's output must contain at least, so a
//   function no larger than those is no worse than upstream's (and it must
//   not contain what a `not:` line forbids). Both are "equal-or-better".
// - `worse`: anything else, with a one-line reason (the first expectation
//   that fails, and both sizes).
// Functions without expectations (compile-only files, functions with no
// check lines) are `none`: semantically checked, not counted.
//
// Invariant: a semantic difference is never a verdict; it is a `problem`
// the test fails on, whatever the expectations file says.

import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  dataValue,
  formatDataValues,
  formatUserFuncName,
  formatVerifierErrors,
  I64,
  isFloat,
  isInt,
  laneBits,
  laneType,
  opcodeByName,
  printFunction,
  typeBits,
  verifyFunction,
  type DataValue,
  type Function,
  type Type,
} from '@clift/ir';
import { Interpreter, InterpreterError, type CallResult } from '@clift/interpreter';
import { optimize, runAliasAnalysis } from '@clift/egraph-midend';
import { parseTestFile, type ParsedFunction, type TestFile } from '@clift/reader';
import { parseDirective, searchWindow, type Directive } from '../src/filecheck.js';
import { expectedPreciseOutput } from '../src/precise-output.js';
import { collectTestFiles } from '../src/index.js';

// ===========================================================================
// Records

export type Verdict = 'match' | 'better' | 'equal' | 'worse' | 'none';

/** Equal-or-better verdicts: what the ratchet protects. */
export function isGood(v: Verdict): boolean {
  return v === 'match' || v === 'better' || v === 'equal';
}

export interface Size {
  insts: number;
  cost: number;
}

export interface FunctionQuality {
  /** Path relative to the upstream folder, `egraph/arithmetic.clif`. */
  readonly file: string;
  /** `%name` or `uN:M`, plus `#k` when a file repeats a name. */
  readonly func: string;
  /** The pass that ran: `optimize`, `optimize precise-output`, `alias-analysis`, or `-` for compile-only files. */
  readonly test: string;
  readonly verdict: Verdict;
  /** For `worse` (and `better`/`equal`, what failed): one line. */
  readonly reason: string;
  readonly ours: Size;
  /** Upstream's size: exact for precise output, a lower bound for check lines. */
  readonly upstream: Size | undefined;
  /** `checked N` (inputs on which both ran and agreed) or `unchecked: why`. */
  readonly semantics: string;
}

export interface QualityRun {
  readonly records: FunctionQuality[];
  /** Semantic differences, verifier errors, optimizer crashes: each one a bug. */
  readonly problems: string[];
}

// ===========================================================================
// Cost model

/**
 * A coarse cost per instruction, by opcode name: constants 1, ALU and
 * control 2, multiplies 4, memory and calls 4, divisions and square roots
 * 24 (a hardware divide takes about as long as a dozen ALU operations, so
 * upstream's multiply-by-magic-number sequences count as cheaper). It only
 * orders alternatives; counts are compared as well.
 */
export function instructionCost(opcode: string): number {
  if (/^(iconst|f16const|f32const|f64const|f128const|vconst|nop)$/.test(opcode)) return 1;
  if (/^(udiv|sdiv|urem|srem|fdiv|sqrt)$/.test(opcode)) return 24;
  if (/^(imul|umulhi|smulhi|fmul|fma|sqmul_round_sat|imul_imm)$/.test(opcode)) return 4;
  if (/load|store|call|atomic|fence/.test(opcode)) return 4;
  return 2;
}

const DECL = /^(ss|dss|gv|sig|fn|jt|const|mt)\d+\s*=/;

/** The opcode of one line of printed CLIF, or undefined when the line is not an instruction. */
export function lineOpcode(line: string): string | undefined {
  const text = line.split(';')[0].trim();
  if (text === '' || text === '}' || text.startsWith('function') || /^block\d+\b/.test(text) || DECL.test(text)) return undefined;
  if (/^v\d+\s*->/.test(text)) return undefined; // a value alias, not an instruction
  const m = /^(?:v\d+(?:\s*,\s*v\d+)*\s*=\s*)?([a-z_][a-z0-9_]*)/.exec(text);
  if (!m) return undefined;
  return opcodeByName(m[1]) !== undefined ? m[1] : undefined;
}

function sizeOfLines(lines: readonly string[]): Size {
  let insts = 0;
  let cost = 0;
  for (const l of lines) {
    const op = lineOpcode(l);
    if (op === undefined) continue;
    insts++;
    cost += instructionCost(op);
  }
  return { insts, cost };
}

// ===========================================================================
// Matching modulo value renaming

/** `v12` → 12 for every value token of a text. */
const VALUE_TOKEN = /\bv(\d+)\b/g;

/** Renames values in order of first appearance, so two texts equal up to a bijection of names become equal. */
export function canonicalizeValues(lines: readonly string[]): string[] {
  const names = new Map<string, string>();
  return lines.map((l) =>
    l.replace(VALUE_TOKEN, (tok) => {
      let n = names.get(tok);
      if (n === undefined) {
        n = `v${names.size}`;
        names.set(tok, n);
      }
      return n;
    }),
  );
}

function quote(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** Why a directive cannot be matched by this matcher (upstream's egraph and alias checks use none of these). */
class UnsupportedDirective extends Error {}

interface Compiled {
  readonly rx: RegExp;
  /** Upstream names bound by this pattern, in group order (`g0`, `g1`, …). */
  readonly fresh: readonly string[];
}

/**
 * The directive's pattern as a regular expression under the current
 * bindings: a bound upstream name matches its value, a fresh one is a
 * capture group (a back-reference when it repeats), and in a `not:` a
 * fresh name matches any value.
 */
function compilePattern(d: Directive, bound: ReadonlyMap<string, string>): Compiled {
  const parts = d.pattern?.parts ?? [];
  const fresh: string[] = [];
  let src = '';
  for (const part of parts) {
    if (part.kind === 'regex') {
      src += `(?:${part.source})`;
      continue;
    }
    if (part.kind !== 'text') throw new UnsupportedDirective(`FileCheck variables in \`${d.source}\``);
    let last = 0;
    for (const m of part.text.matchAll(VALUE_TOKEN)) {
      src += quote(part.text.slice(last, m.index));
      last = m.index + m[0].length;
      const name = m[0];
      const b = bound.get(name);
      if (b !== undefined) src += `${quote(b)}(?!\\d)`;
      else if (d.kind === 'not') src += 'v\\d+';
      else {
        const k = fresh.indexOf(name);
        if (k >= 0) src += `\\k<g${k}>`;
        else {
          src += `(?<g${fresh.length}>v\\d+)`;
          fresh.push(name);
        }
      }
    }
    src += quote(part.text.slice(last));
  }
  const first = parts[0];
  if (first?.kind === 'text' && /^[A-Za-z0-9]/.test(first.text)) src = `\\b${src}`;
  return { rx: new RegExp(src, 'gm'), fresh };
}

export interface CheckOutcome {
  readonly ok: boolean;
  /** The first directive that failed, for the reason. */
  readonly failed?: Directive;
  readonly why?: string;
}

/**
 * FileCheck (`check`, `sameln`, `nextln`, `unordered`, `not`) over `text`
 * with upstream value names as one-to-one variables. Like FileCheck it does
 * not backtrack into earlier directives; within one directive it takes the
 * first match whose bindings stay one-to-one.
 */
export function checkModuloValues(directives: readonly Directive[], text: string): CheckOutcome {
  const bound = new Map<string, string>();
  const owner = new Map<string, string>();
  let maxMatch = 0;
  let lastOrdered = 0;
  let pending: { d: Directive; begin: number; rx: RegExp }[] = [];
  const checkNots = (upTo: number): CheckOutcome | undefined => {
    for (const n of pending) {
      const slice = text.slice(n.begin, Math.max(n.begin, upTo));
      n.rx.lastIndex = 0;
      const m = n.rx.exec(slice);
      if (m) return { ok: false, failed: n.d, why: `finds forbidden "${m[0]}"` };
    }
    pending = [];
    return undefined;
  };
  for (const d of directives) {
    if (d.kind === 'regex') return { ok: false, failed: d, why: 'regex: directives are not supported' };
    let c: Compiled;
    try {
      c = compilePattern(d, bound);
    } catch (e) {
      return { ok: false, failed: d, why: (e as Error).message };
    }
    if (d.kind === 'not') {
      pending.push({ d, begin: lastOrdered, rx: c.rx });
      continue;
    }
    const [begin, end] = searchWindow(text, d.kind, maxMatch, lastOrdered);
    const slice = text.slice(begin, end);
    let found: RegExpExecArray | undefined;
    c.rx.lastIndex = 0;
    for (let m = c.rx.exec(slice); m !== null; m = c.rx.exec(slice)) {
      const names = c.fresh.map((_, k) => m.groups?.[`g${k}`] ?? '');
      const oneToOne = names.every((v, k) => !owner.has(v) && names.indexOf(v) === k);
      if (oneToOne) {
        found = m;
        break;
      }
      c.rx.lastIndex = m.index + 1;
    }
    if (!found) return { ok: false, failed: d, why: 'does not match' };
    c.fresh.forEach((name, k) => {
      const v = found.groups?.[`g${k}`] ?? '';
      bound.set(name, v);
      owner.set(v, name);
    });
    const mBegin = begin + found.index;
    const mEnd = mBegin + found[0].length;
    if (d.kind === 'unordered') maxMatch = Math.max(maxMatch, mEnd);
    else {
      lastOrdered = mEnd;
      maxMatch = mEnd;
      const bad = checkNots(mBegin);
      if (bad) return bad;
    }
  }
  return checkNots(text.length) ?? { ok: true };
}

/**
 * A lower bound on the size of upstream's output from its check lines: each
 * positive directive that names an instruction matches a distinct line of
 * upstream's output (`sameln` continues a line already counted).
 */
export function checkedSize(directives: readonly Directive[]): Size {
  const lines = directives.filter((d) => d.kind === 'check' || d.kind === 'nextln' || d.kind === 'unordered').map((d) => d.source);
  return sizeOfLines(lines);
}

// ===========================================================================
// Semantic check

/** A deterministic 64-bit xorshift stream. */
function rng(seed: number): () => bigint {
  let s = (BigInt(seed) * 0x9e3779b97f4a7c15n + 0x1234567n) & 0xffffffffffffffffn;
  if (s === 0n) s = 1n;
  return () => {
    s ^= (s << 13n) & 0xffffffffffffffffn;
    s ^= s >> 7n;
    s ^= (s << 17n) & 0xffffffffffffffffn;
    return s;
  };
}

const INPUTS = 8;
/** Inputs from this index on pass pointers into zeroed interpreter memory for pointer-width integers. */
const FIRST_POINTER_INPUT = 5;

/** Interesting lane values: 0, 1, all ones, the signed extremes; then random bits. */
function laneInput(lane: Type, k: number, next: () => bigint): bigint {
  const bits = laneBits(lane);
  if (isFloat(lane)) {
    const special = bits === 32 ? [0n, 0x3f800000n, 0x80000000n, 0x7fc00000n] : bits === 64 ? [0n, 0x3ff0000000000000n, 1n << 63n, 0x7ff8000000000000n] : [];
    if (k < special.length && k % 2 === 1) return special[k];
    return BigInt.asUintN(bits, next());
  }
  const small = [0n, 1n, (1n << BigInt(bits)) - 1n, 1n << BigInt(bits - 1), (1n << BigInt(bits - 1)) - 1n];
  return k < small.length && k % 2 === 0 ? small[k] : BigInt.asUintN(bits, next() ^ (next() << 64n));
}

function inputValue(ty: Type, k: number, next: () => bigint): bigint {
  const lane = laneType(ty);
  const lanes = typeBits(ty) / laneBits(lane);
  let v = 0n;
  for (let i = 0; i < lanes; i++) v |= laneInput(lane, (k + i) % INPUTS, next) << BigInt(i * laneBits(lane));
  return v;
}

/** Results agree bit for bit, except that any NaN equals any NaN (CLIF leaves NaN payloads open). */
function sameResult(a: CallResult, b: CallResult): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'trap' || b.kind === 'trap') return a.kind === 'trap' && b.kind === 'trap' && a.code === b.code;
  if (a.values.length !== b.values.length) return false;
  return a.values.every((x, i) => sameValue(x, b.values[i]));
}

function sameValue(a: DataValue, b: DataValue): boolean {
  if (a.type !== b.type) return false;
  const lane = laneType(a.type);
  const w = laneBits(lane);
  const n = typeBits(a.type) / w;
  for (let i = 0; i < n; i++) {
    const x = BigInt.asUintN(w, a.bits >> BigInt(i * w));
    const y = BigInt.asUintN(w, b.bits >> BigInt(i * w));
    if (x === y) continue;
    if (isFloat(lane) && isNaNBits(x, w) && isNaNBits(y, w)) continue;
    return false;
  }
  return true;
}

function isNaNBits(x: bigint, w: number): boolean {
  const exp = w === 16 ? 5 : w === 32 ? 8 : w === 64 ? 11 : 15;
  const frac = BigInt(w - 1 - exp);
  const e = (x >> frac) & ((1n << BigInt(exp)) - 1n);
  return e === (1n << BigInt(exp)) - 1n && (x & ((1n << frac) - 1n)) !== 0n;
}

function describeResult(r: CallResult): string {
  return r.kind === 'trap' ? `trap ${String(r.code)}` : formatDataValues(r.values);
}

/**
 * A pointer into the interpreter's memory that nothing else uses: well
 * below the stack pointer that an empty stack frame has, in the stack
 * region the interpreter maps (and zeroes) up front.
 */
function scratchPointer(ptrTy: string): bigint | undefined {
  const probe = `function %quality_probe() -> ${ptrTy} {\n    ss0 = explicit_slot 16\nblock0:\n    v0 = stack_addr.${ptrTy} ss0\n    return v0\n}\n`;
  const r = new Interpreter(parseTestFile(probe).functions.map((f) => f.func)).call('%quality_probe', []);
  return r.kind === 'return' ? r.values[0].bits - 0x40000n : undefined;
}

const POINTER = scratchPointer('i64');

/**
 * Runs every function of `before` and `after` (the same file, the second
 * optimized) on the same inputs. Returns, per function index, `checked N`
 * or `unchecked: why`, and pushes a problem for every disagreement.
 */
function checkSemantics(file: string, before: TestFile, after: TestFile, names: readonly string[], problems: string[]): string[] {
  const out: string[] = [];
  // One store per side holds the whole file, so calls between its functions
  // work; a file that repeats a name gets one store per function instead.
  const store = (fs: readonly Function[], limit: number): ((i: number) => Interpreter) => {
    try {
      const one = new Interpreter(fs, { stepLimit: limit });
      return () => one;
    } catch {
      return (i) => new Interpreter([fs[i]], { stepLimit: limit });
    }
  };
  const storeA = store(before.functions.map((f) => f.func), 200_000);
  const storeB = store(after.functions.map((f) => f.func), 400_000);
  before.functions.forEach((pf, i) => {
    const f = pf.func;
    const a = storeA(i);
    const b = storeB(i);
    const name = f.name.kind === 'testcase' ? `%${f.name.name}` : names[i];
    const params = f.signature.params.map((p) => p.type);
    if (!params.every((t) => isInt(t) || isFloat(t))) {
      out.push('unchecked: parameters the inputs do not model');
      return;
    }
    const next = rng(i * 7919 + file.length);
    let agreed = 0;
    let why = 'every input exceeded the step limit or hit an unmodelled operation';
    for (let k = 0; k < INPUTS; k++) {
      const args = params.map((t, j) => {
        if (k >= FIRST_POINTER_INPUT && POINTER !== undefined && t === I64) {
          return dataValue(t, POINTER + BigInt(0x1000 * j + 0x100 * (k - FIRST_POINTER_INPUT)));
        }
        return dataValue(t, inputValue(t, k, next));
      });
      let ra: CallResult;
      try {
        ra = a.call(name, args);
      } catch (e) {
        why = `interpreter: ${(e as Error).message.split('\n')[0]}`;
        continue;
      }
      let rb: CallResult;
      try {
        rb = b.call(name, args);
      } catch (e) {
        // `notrap` promises the access is in bounds; an optimized function may
        // rely on it (upstream moves such loads above a trapping store), so an
        // input on which the original trapped first is outside the domain.
        if (ra.kind === 'trap' && e instanceof InterpreterError && e.kind === 'undefined_behavior') continue;
        problems.push(`${file} ${names[i]}: the optimized function fails where the original runs: ${(e as Error).message.split('\n')[0]}`);
        continue;
      }
      if (!sameResult(ra, rb)) {
        problems.push(`${file} ${names[i]}: input ${formatDataValues(args)}: original ${describeResult(ra)}, optimized ${describeResult(rb)}`);
        continue;
      }
      agreed++;
    }
    out.push(agreed > 0 ? `checked ${agreed}` : `unchecked: ${why}`);
  });
  return out;
}

// ===========================================================================
// The measurement

/** The mid-end pass a file's test line asks for, or undefined when it has none. */
function midendTest(file: TestFile): { name: 'optimize' | 'alias-analysis'; precise: boolean } | undefined {
  for (const c of file.commands) {
    if (c.name === 'optimize') return { name: 'optimize', precise: c.options.includes('precise-output') };
    if (c.name === 'alias-analysis') return { name: 'alias-analysis', precise: false };
  }
  return undefined;
}

function functionLabel(pf: ParsedFunction, seen: Map<string, number>): string {
  const base = formatUserFuncName(pf.func.name);
  const k = seen.get(base) ?? 0;
  seen.set(base, k + 1);
  return k === 0 ? base : `${base}#${k}`;
}

function directivesOf(file: TestFile, pf: ParsedFunction): Directive[] {
  const out: Directive[] = [];
  for (const c of [...file.preambleComments, ...pf.comments]) {
    const d = parseDirective(c.text, c.line);
    if (d) out.push(d);
  }
  return out;
}

function oneLine(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}

/**
 * The likely cause of a `worse` verdict, from the file and what differed:
 * the capability Clift's mid-end lacks. A first guess for people reading
 * the list; the detail after it is what was measured.
 */
const CAUSES: readonly [RegExp, string][] = [
  [/const\d+ = 0x|\b(cprop-splat|simd-splat-simplify|scalar-to-vector-vconst)\.clif/, 'vector constants are not folded into vconst'],
  [/f16|f128/, 'f16/f128 constants are not folded'],
  [/\b[us](div|rem)\.clif/, 'division by a constant is not expanded to a multiply by a magic number'],
  [/\b(skeleton|branch-trap-truthy|branch-to-trap|brif-cnt-cond|cnt-bool-context)\.clif/, 'branch and trap conditions are not simplified'],
  [/\bbitselect/, 'bitselect is not simplified'],
  [/\bload|store/, 'memory optimization differs'],
];

function cause(file: string, detail: string): string {
  const text = `${file} ${detail}`;
  return CAUSES.find(([rx]) => rx.test(text))?.[1] ?? 'a rewrite rule upstream has is missing';
}

function compare(ours: Size, up: Size): 'better' | 'equal' | undefined {
  if (ours.insts > up.insts || ours.cost > up.cost) return undefined;
  return ours.insts === up.insts && ours.cost === up.cost ? 'equal' : 'better';
}

/** Measures one upstream file. `root` is the upstream folder, for relative names. */
export function measureFile(path: string, root: string, run: QualityRun): void {
  const rel = relative(root, path);
  const text = readFileSync(path, 'utf8');
  let before: TestFile, after: TestFile;
  try {
    before = parseTestFile(text, path);
    after = parseTestFile(text, path);
  } catch (e) {
    run.problems.push(`${rel}: does not parse: ${(e as Error).message.split('\n')[0]}`);
    return;
  }
  const test = midendTest(before);
  const seen = new Map<string, number>();
  const names = before.functions.map((pf) => functionLabel(pf, seen));
  const pending: Omit<FunctionQuality, 'semantics'>[] = [];
  after.functions.forEach((pf, i) => {
    const f = pf.func;
    const name = names[i];
    const verifierErrors = verifyFunction(before.functions[i].func);
    if (verifierErrors.length > 0) {
      run.problems.push(`${rel} ${name}: upstream's function fails Clift's verifier: ${oneLine(formatVerifierErrors(f, verifierErrors))}`);
    }
    try {
      if (test?.name === 'alias-analysis') runAliasAnalysis(f);
      else optimize(f, { level: 'speed' });
    } catch (e) {
      run.problems.push(`${rel} ${name}: the mid-end threw: ${(e as Error).message.split('\n')[0]}`);
    }
    const errs = verifyFunction(f);
    if (errs.length > 0) run.problems.push(`${rel} ${name}: optimized function fails the verifier: ${oneLine(formatVerifierErrors(f, errs))}`);
    const printed = printFunction(f);
    const ours = sizeOfLines(printed.split('\n'));
    const testName = test === undefined ? '-' : test.precise ? `${test.name} precise-output` : test.name;
    const base = { file: rel, func: name, test: testName, ours };
    if (test === undefined) {
      pending.push({ ...base, verdict: 'none', reason: 'no mid-end expectation (compile-only file)', upstream: undefined });
      return;
    }
    if (test.precise) {
      const expected = expectedPreciseOutput(pf.comments, pf.endLine);
      if (expected.length === 0) {
        pending.push({ ...base, verdict: 'none', reason: 'no expected output', upstream: undefined });
        return;
      }
      const up = sizeOfLines(expected);
      // Alias lines (`v2 -> v16`) only record which number a replaced value had.
      const body = (ls: readonly string[]): string[] => ls.map((l) => l.trimEnd()).filter((l) => !/^\s*v\d+\s*->/.test(l));
      const a = canonicalizeValues(body(printed.replace(/\n$/, '').split('\n')));
      const b = canonicalizeValues(body(expected));
      if (a.length === b.length && a.every((l, k) => l === b[k])) {
        pending.push({ ...base, verdict: 'match', reason: '', upstream: up });
        return;
      }
      const firstDiff = b.findIndex((l, k) => a[k] !== l);
      const where = firstDiff >= 0 ? `upstream line \`${oneLine(body(expected)[firstDiff])}\` differs` : 'extra lines';
      const v = compare(ours, up);
      const detail = `${where}; ${ours.insts} insts (cost ${ours.cost}) vs upstream ${up.insts} (cost ${up.cost})`;
      pending.push({ ...base, verdict: v ?? 'worse', reason: v === undefined ? `${cause(rel, detail)}: ${detail}` : detail, upstream: up });
      return;
    }
    const ds = directivesOf(before, before.functions[i]);
    if (ds.length === 0) {
      pending.push({ ...base, verdict: 'none', reason: 'no check lines', upstream: undefined });
      return;
    }
    const outcome = checkModuloValues(ds, printed);
    const up = checkedSize(ds);
    if (outcome.ok) {
      pending.push({ ...base, verdict: 'match', reason: '', upstream: up });
      return;
    }
    const failed = `\`${outcome.failed?.kind ?? ''}: ${oneLine(outcome.failed?.source ?? '')}\` ${outcome.why ?? ''}`;
    // A forbidden instruction left in place is never equal-or-better.
    const v = outcome.failed?.kind === 'not' ? undefined : compare(ours, up);
    const detail = `${failed}; ${ours.insts} insts (cost ${ours.cost}) vs upstream >= ${up.insts} (cost ${up.cost})`;
    pending.push({ ...base, verdict: v ?? 'worse', reason: v === undefined ? `${cause(rel, detail)}: ${detail}` : detail, upstream: up });
  });
  const sem = checkSemantics(rel, before, after, names, run.problems);
  pending.forEach((r, i) => run.records.push({ ...r, semantics: sem[i] }));
}

/** Measures every `.clif` file under `root/egraph` and `root/alias`. */
export function measureUpstream(root: string): QualityRun {
  const run: QualityRun = { records: [], problems: [] };
  for (const sub of ['egraph', 'alias']) {
    for (const path of collectTestFiles([join(root, sub)])) measureFile(path, root, run);
  }
  return run;
}

// ===========================================================================
// Summary and the expectations file

export interface Tally {
  functions: number;
  withExpectations: number;
  match: number;
  better: number;
  equal: number;
  worse: number;
  semChecked: number;
}

export function tally(records: readonly FunctionQuality[], prefix: string): Tally {
  const t: Tally = { functions: 0, withExpectations: 0, match: 0, better: 0, equal: 0, worse: 0, semChecked: 0 };
  for (const r of records) {
    if (!r.file.startsWith(prefix)) continue;
    t.functions++;
    if (r.semantics.startsWith('checked')) t.semChecked++;
    if (r.verdict === 'none') continue;
    t.withExpectations++;
    t[r.verdict]++;
  }
  return t;
}

export function formatTally(name: string, t: Tally): string {
  const good = t.match + t.better + t.equal;
  return (
    `${name}: ${t.withExpectations} functions with expectations: ${good} equal-or-better ` +
    `(${t.match} match, ${t.better} smaller or cheaper, ${t.equal} same size), ${t.worse} worse; ` +
    `${t.functions} functions in all, ${t.semChecked} semantically checked`
  );
}

const HEADER = [
  '# Mid-end quality against upstream Cranelift, per function of upstream-filetests/egraph and alias.',
  '# Written by `CLIFT_TEST_BLESS=1 pnpm exec vitest run test/midend-quality.test.ts` (packages/filetests);',
  '# test/midend-quality.ts defines the verdicts: match | better | equal (equal-or-better) | worse | none.',
  '# Columns: file, function, test, verdict, semantics, reason (why worse; for better/equal, what differed).',
];

export function formatQuality(records: readonly FunctionQuality[]): string {
  const lines = [...HEADER];
  lines.push(`# ${formatTally('egraph', tally(records, 'egraph/'))}`);
  lines.push(`# ${formatTally('alias', tally(records, 'alias/'))}`);
  for (const r of records) lines.push([r.file, r.func, r.test, r.verdict, r.semantics, r.reason].join('\t'));
  return lines.join('\n') + '\n';
}

export interface ListedQuality {
  readonly file: string;
  readonly func: string;
  readonly verdict: Verdict;
}

const VERDICTS: readonly string[] = ['match', 'better', 'equal', 'worse', 'none'];

export function parseQuality(text: string): ListedQuality[] {
  const out: ListedQuality[] = [];
  text.split('\n').forEach((line, i) => {
    if (line === '' || line.startsWith('#')) return;
    const cols = line.split('\t');
    if (cols.length < 5 || !VERDICTS.includes(cols[3])) throw new Error(`midend-quality.txt line ${i + 1}: expected file, function, test, verdict, semantics, reason`);
    out.push({ file: cols[0], func: cols[1], verdict: cols[3] as Verdict });
  });
  return out;
}

/** Listed equal-or-better functions that are now worse (or gone): the ratchet's failures. */
export function regressions(listed: readonly ListedQuality[], actual: readonly FunctionQuality[]): string[] {
  const now = new Map(actual.map((r) => [`${r.file}\t${r.func}`, r]));
  const out: string[] = [];
  for (const l of listed) {
    if (!isGood(l.verdict)) continue;
    const r = now.get(`${l.file}\t${l.func}`);
    if (r === undefined) out.push(`${l.file} ${l.func}: listed ${l.verdict}, not measured any more`);
    else if (!isGood(r.verdict)) out.push(`${l.file} ${l.func}: listed ${l.verdict}, now ${r.verdict}: ${r.reason}`);
  }
  return out;
}

/** Functions that improved to equal-or-better (or are new): the list should be rewritten. */
export function improvements(listed: readonly ListedQuality[], actual: readonly FunctionQuality[]): string[] {
  const was = new Map(listed.map((l) => [`${l.file}\t${l.func}`, l]));
  const out: string[] = [];
  for (const r of actual) {
    const l = was.get(`${r.file}\t${r.func}`);
    if (l === undefined) out.push(`${r.file} ${r.func}: not listed (${r.verdict})`);
    else if (isGood(r.verdict) && !isGood(l.verdict)) out.push(`${r.file} ${r.func}: listed ${l.verdict}, now ${r.verdict}`);
  }
  return out;
}
