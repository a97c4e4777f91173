// AArch64 compile throughput and code size. Run: `pnpm exec tsx
// bench/compile.bench.ts` at the repo root (or here, in packages/filetests).
//
// Two workloads:
// 1. The upstream runtests corpus: every function of runtests/ that the
//    backend compiles, at opt_level none and speed. Per pass (verify,
//    optimize, lower, regalloc, emit) the time and the rate in CLIF
//    instructions per second, and the total code size.
// 2. One generated function of about 20,000 instructions in about 150
//    blocks (the differential fuzzer's generator: scalar integer
//    arithmetic, branches, block parameters, small loops), compiled by
//    Clift at opt_level none and speed, and the same program written as
//    LLVM IR compiled by `llc -O2 -mtriple=aarch64-linux-gnu` in the same
//    run, for scale: instructions per second and the ratios of time and of
//    code size.
//
// Rates come from the best of several rounds after a warm-up round (noise
// only ever adds time). The machines are shared and noisy: the ratio to llc
// measured in the same run is the figure to compare across runs.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import type { CompileResult, PassTimings } from '@clift/codegen';
import type { Function } from '@clift/ir';
import { parseTestFile } from '@clift/reader';
import { CompileFailure, collectTestFiles, compileAarch64, upstreamFiletestsDir } from '../src/index.js';
import { generateCase, Rng } from '../test/differential-fuzz.js';

const PASSES = ['verify', 'optimize', 'lower', 'regalloc', 'emit', 'total'] as const;
type Level = 'none' | 'speed';
const LEVELS: readonly Level[] = ['none', 'speed'];
const ROUNDS = 3;

function countInsts(func: Function): number {
  let n = 0;
  for (const b of func.layout.blocks()) for (const _ of func.layout.blockInsts(b)) n++;
  return n;
}

function compileAt(func: Function, level: Level): CompileResult {
  return compileAarch64(func, { settings: [{ name: 'opt_level', value: level }] });
}

const rate = (insts: number, ms: number): string => (ms <= 0 ? '—' : `${Math.round((insts / ms) * 1000).toLocaleString('en-US')} inst/s`);
const fmtMs = (ms: number): string => `${ms.toFixed(1)} ms`;

function emptyTimings(): PassTimings {
  return { verify: 0, optimize: 0, lower: 0, regalloc: 0, emit: 0, total: 0 };
}

// ---------------------------------------------------------------------------
// 1. The upstream runtests corpus

interface CorpusFunction {
  path: string;
  text: string;
  index: number;
  insts: number;
}

function corpusBench(): void {
  const up = upstreamFiletestsDir();
  if (!up.exists) {
    console.log(`upstream filetests not found at ${up.path} (set CLIFT_UPSTREAM_FILETESTS); corpus part skipped`);
    return;
  }
  const candidates: CorpusFunction[] = [];
  for (const path of collectTestFiles([`${up.path}${sep}runtests`])) {
    const text = readFileSync(path, 'utf8');
    let file;
    try {
      file = parseTestFile(text, path);
    } catch {
      continue;
    }
    file.functions.forEach((p, index) => {
      // Known backend defect: a function that allocates no virtual register
      // (no parameters, no results, e.g. `block0: return`) makes VCode alias
      // resolution spin for ~30 s; such functions have nothing to measure.
      if (p.func.dfg.numValues() === 0) return;
      candidates.push({ path, text, index, insts: countInsts(p.func) });
    });
  }
  const fresh = (c: CorpusFunction): Function => parseTestFile(c.text, c.path).functions[c.index].func;

  for (const level of LEVELS) {
    // Which functions compile at this level (the warm-up round).
    const ok: CorpusFunction[] = [];
    const refused = new Map<string, number>();
    for (const c of candidates) {
      try {
        compileAt(fresh(c), level);
        ok.push(c);
      } catch (e) {
        if (!(e instanceof CompileFailure)) throw e;
        refused.set(e.kind, (refused.get(e.kind) ?? 0) + 1);
      }
    }
    const insts = ok.reduce((n, c) => n + c.insts, 0);
    const funcs = ok.map((c) => ({ c, parsed: [] as Function[] }));
    let best = emptyTimings();
    let bestTotal = Infinity;
    let bytes = 0;
    let spills = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Parse outside the timed region: the optimizer rewrites functions in place.
      const inputs = funcs.map((f) => fresh(f.c));
      const t = emptyTimings();
      bytes = 0;
      spills = 0;
      for (const func of inputs) {
        const r = compileAt(func, level);
        for (const p of PASSES) t[p] += r.timings[p];
        bytes += r.bytes.length;
        spills += r.stats.spills;
      }
      if (t.total < bestTotal) {
        bestTotal = t.total;
        best = t;
      }
    }
    const refusedText = [...refused].map(([k, n]) => `${n} ${k}`).join(', ');
    console.log(
      `\nupstream runtests, opt_level=${level}: ${ok.length} of ${candidates.length} functions compile (${insts.toLocaleString('en-US')} CLIF instructions; refused: ${refusedText || 'none'})`,
    );
    for (const p of PASSES) console.log(`  ${p.padEnd(9)} ${fmtMs(best[p]).padStart(11)}  ${rate(insts, best[p])}`);
    console.log(`  code size ${bytes.toLocaleString('en-US')} bytes (${(bytes / Math.max(1, insts)).toFixed(2)} bytes per CLIF instruction), ${spills} spills`);
  }
}

// ---------------------------------------------------------------------------
// 2. A generated 20,000-instruction function, and llc on the same program

/** The generator's CLIF (a restricted, regular form) as LLVM IR with the same meaning. */
function clifToLlvm(text: string): string {
  const header = /^function %(\w+)\(([^)]*)\) -> ([^{]*?) system_v \{$/m.exec(text);
  if (!header) throw new Error('not a generated function');
  const [, name, paramText, retText] = header;
  const rets = retText.split(',').map((s) => s.trim());
  const types = new Map<string, string>();
  const consts = new Map<string, string>();
  const out: string[] = [];
  let tmp = 0;
  const t = (): string => `%t${tmp++}`;
  const ref = (v: string): string => consts.get(v) ?? `%${v}`;
  const bitsOf = (ty: string): number => Number(ty.slice(1));
  const retTy = rets.length === 1 ? rets[0] : `{ ${rets.join(', ')} }`;
  const blocks: { name: string; params: [string, string][]; body: string[] }[] = [];
  // Incoming phi values: target block → param index → [value, from-label][]
  const incoming = new Map<string, [string, string][][]>();
  const intrinsics = new Set<string>();
  let cur: (typeof blocks)[number] | undefined;
  let edge = 0;
  const edgeBlocks: string[] = [];

  const branchTo = (target: string): string => {
    // Every edge gets its own block so that two edges to one target from one block stay distinct phis.
    const m = /^(block\d+)\((.*)\)$/.exec(target)!;
    const label = `e${edge++}`;
    edgeBlocks.push(`${label}:\n  br label %${m[1]}`);
    const args = m[2].split(',').map((s) => s.trim()).filter((s) => s !== '');
    const list = incoming.get(m[1]) ?? [];
    args.forEach((a, i) => (list[i] ??= []).push([ref(a), label]));
    incoming.set(m[1], list);
    return label;
  };
  const intr = (decl: string): void => void intrinsics.add(decl);

  for (const raw of text.split('\n').slice(1)) {
    const line = raw.trim();
    if (line === '' || line === '}') continue;
    const bh = /^(block\d+)\((.*)\):$/.exec(line);
    if (bh) {
      const params = bh[2] === '' ? [] : bh[2].split(',').map((p) => p.split(':').map((s) => s.trim()) as [string, string]);
      for (const [v, ty] of params) types.set(v, ty);
      cur = { name: bh[1], params, body: [] };
      blocks.push(cur);
      continue;
    }
    const b = cur!.body;
    let m: RegExpExecArray | null;
    if ((m = /^return (.*)$/.exec(line))) {
      const vals = m[1].split(',').map((s) => s.trim());
      if (vals.length === 1) b.push(`ret ${rets[0]} ${ref(vals[0])}`);
      else {
        let agg = 'undef';
        vals.forEach((v, i) => {
          const n = t();
          b.push(`${n} = insertvalue ${retTy} ${agg}, ${rets[i]} ${ref(v)}, ${i}`);
          agg = n;
        });
        b.push(`ret ${retTy} ${agg}`);
      }
      continue;
    }
    if ((m = /^jump (.*)$/.exec(line))) {
      b.push(`br label %${branchTo(m[1])}`);
      continue;
    }
    if ((m = /^brif (v\d+), (block\d+\([^)]*\)), (block\d+\([^)]*\))$/.exec(line))) {
      const c = m[1];
      const ty = types.get(c)!;
      const cond = t();
      b.push(`${cond} = icmp ne ${ty} ${ref(c)}, 0`);
      b.push(`br i1 ${cond}, label %${branchTo(m[2])}, label %${branchTo(m[3])}`);
      continue;
    }
    m = /^(v\d+) = (\w+)(?:\.(i\d+))? (.*)$/.exec(line);
    if (!m) throw new Error(`cannot translate: ${line}`);
    const [, dst, op, tyArg, rest] = m;
    const ops = rest.split(',').map((s) => s.trim());
    const a = ops[0];
    const ty = tyArg ?? (op === 'select' ? types.get(ops[1])! : types.get(a)!);
    const d = `%${dst}`;
    const simple: Record<string, string> = { iadd: 'add', isub: 'sub', imul: 'mul', band: 'and', bor: 'or', bxor: 'xor', udiv: 'udiv', sdiv: 'sdiv', urem: 'urem', srem: 'srem' };
    const minmax: Record<string, string> = { smin: 'smin', smax: 'smax', umin: 'umin', umax: 'umax' };
    const unaryIntr: Record<string, string> = { popcnt: 'ctpop', bitrev: 'bitreverse', bswap: 'bswap' };
    let resTy = ty;
    if (op === 'iconst') {
      consts.set(dst, ops[0]);
      types.set(dst, ty);
      continue;
    } else if (simple[op]) b.push(`${d} = ${simple[op]} ${ty} ${ref(a)}, ${ref(ops[1])}`);
    else if (op === 'band_not' || op === 'bor_not' || op === 'bxor_not') {
      const n = t();
      b.push(`${n} = xor ${ty} ${ref(ops[1])}, -1`, `${d} = ${op.slice(1, 4) === 'and' ? 'and' : op.startsWith('bor') ? 'or' : 'xor'} ${ty} ${ref(a)}, ${n}`);
    } else if (op === 'ishl' || op === 'ushr' || op === 'sshr') {
      // CLIF shifts take the amount modulo the width; the amount may have another type.
      const amt = castTo(b, t, ref(ops[1]), types.get(ops[1])!, ty);
      const k = t();
      b.push(`${k} = and ${ty} ${amt}, ${bitsOf(ty) - 1}`, `${d} = ${op === 'ishl' ? 'shl' : op === 'ushr' ? 'lshr' : 'ashr'} ${ty} ${ref(a)}, ${k}`);
    } else if (op === 'rotl' || op === 'rotr') {
      const amt = castTo(b, t, ref(ops[1]), types.get(ops[1])!, ty);
      const f = op === 'rotl' ? 'fshl' : 'fshr';
      intr(`declare ${ty} @llvm.${f}.${ty}(${ty}, ${ty}, ${ty})`);
      b.push(`${d} = call ${ty} @llvm.${f}.${ty}(${ty} ${ref(a)}, ${ty} ${ref(a)}, ${ty} ${amt})`);
    } else if (op === 'umulhi' || op === 'smulhi') {
      const w = `i${2 * bitsOf(ty)}`;
      const ext = op === 'umulhi' ? 'zext' : 'sext';
      const [x, y, p, h] = [t(), t(), t(), t()];
      b.push(`${x} = ${ext} ${ty} ${ref(a)} to ${w}`, `${y} = ${ext} ${ty} ${ref(ops[1])} to ${w}`, `${p} = mul ${w} ${x}, ${y}`, `${h} = lshr ${w} ${p}, ${bitsOf(ty)}`, `${d} = trunc ${w} ${h} to ${ty}`);
    } else if (minmax[op]) {
      intr(`declare ${ty} @llvm.${minmax[op]}.${ty}(${ty}, ${ty})`);
      b.push(`${d} = call ${ty} @llvm.${minmax[op]}.${ty}(${ty} ${ref(a)}, ${ty} ${ref(ops[1])})`);
    } else if (op === 'bnot') b.push(`${d} = xor ${ty} ${ref(a)}, -1`);
    else if (op === 'ineg') b.push(`${d} = sub ${ty} 0, ${ref(a)}`);
    else if (op === 'iabs') {
      intr(`declare ${ty} @llvm.abs.${ty}(${ty}, i1)`);
      b.push(`${d} = call ${ty} @llvm.abs.${ty}(${ty} ${ref(a)}, i1 false)`);
    } else if (op === 'clz' || op === 'ctz') {
      const f = op === 'clz' ? 'ctlz' : 'cttz';
      intr(`declare ${ty} @llvm.${f}.${ty}(${ty}, i1)`);
      b.push(`${d} = call ${ty} @llvm.${f}.${ty}(${ty} ${ref(a)}, i1 false)`);
    } else if (op === 'cls') {
      // Leading bits equal to the sign bit, not counting it: ctlz(x ^ (x >>s (N-1))) - 1.
      intr(`declare ${ty} @llvm.ctlz.${ty}(${ty}, i1)`);
      const [s, x, c] = [t(), t(), t()];
      b.push(`${s} = ashr ${ty} ${ref(a)}, ${bitsOf(ty) - 1}`, `${x} = xor ${ty} ${ref(a)}, ${s}`, `${c} = call ${ty} @llvm.ctlz.${ty}(${ty} ${x}, i1 false)`, `${d} = sub ${ty} ${c}, 1`);
    } else if (unaryIntr[op]) {
      intr(`declare ${ty} @llvm.${unaryIntr[op]}.${ty}(${ty})`);
      b.push(`${d} = call ${ty} @llvm.${unaryIntr[op]}.${ty}(${ty} ${ref(a)})`);
    } else if (op === 'icmp') {
      const [cc, x, y] = rest.split(/[\s,]+/);
      const xt = types.get(x)!;
      const c = t();
      b.push(`${c} = icmp ${cc} ${xt} ${ref(x)}, ${ref(y)}`, `${d} = zext i1 ${c} to i8`);
      resTy = 'i8';
    } else if (op === 'select') {
      const c = t();
      b.push(`${c} = icmp ne ${types.get(a)!} ${ref(a)}, 0`, `${d} = select i1 ${c}, ${ty} ${ref(ops[1])}, ${ty} ${ref(ops[2])}`);
    } else if (op === 'uextend' || op === 'sextend' || op === 'ireduce') {
      b.push(`${d} = ${op === 'uextend' ? 'zext' : op === 'sextend' ? 'sext' : 'trunc'} ${types.get(a)!} ${ref(a)} to ${ty}`);
    } else throw new Error(`no LLVM translation for ${op}`);
    types.set(dst, resTy);
  }

  const params = paramText.split(',').map((s) => s.trim());
  const entry = blocks[0];
  out.push(`define ${retTy} @${name}(${entry.params.map(([v], i) => `${params[i]} %${v}`).join(', ')}) {`);
  for (const blk of blocks) {
    out.push(`${blk.name}:`);
    if (blk !== entry) {
      const inc = incoming.get(blk.name) ?? [];
      blk.params.forEach(([v, ty], i) => out.push(`  %${v} = phi ${ty} ${(inc[i] ?? []).map(([val, from]) => `[ ${val}, %${from} ]`).join(', ')}`));
    }
    for (const l of blk.body) out.push(`  ${l}`);
  }
  out.push(...edgeBlocks);
  out.push('}');
  return `${[...intrinsics].join('\n')}\n\n${out.join('\n')}\n`;
}

/** `v` of type `from` as type `to` (zero-extended or truncated): shift amounts may have any integer type. */
function castTo(body: string[], tmp: () => string, v: string, from: string, to: string): string {
  if (from === to) return v;
  const n = tmp();
  body.push(`${n} = ${Number(from.slice(1)) < Number(to.slice(1)) ? 'zext' : 'trunc'} ${from} ${v} to ${to}`);
  return n;
}

/** Size of the .text section of an ELF object, read from its section headers. */
function textSize(object: Uint8Array): number {
  const dv = new DataView(object.buffer, object.byteOffset, object.byteLength);
  const shoff = Number(dv.getBigUint64(0x28, true));
  const shentsize = dv.getUint16(0x3a, true);
  const shnum = dv.getUint16(0x3c, true);
  const shstrndx = dv.getUint16(0x3e, true);
  const strOff = Number(dv.getBigUint64(shoff + shstrndx * shentsize + 0x18, true));
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * shentsize;
    let nameAt = strOff + dv.getUint32(h, true);
    let name = '';
    while (object[nameAt] !== 0) name += String.fromCharCode(object[nameAt++]);
    if (name === '.text') return Number(dv.getBigUint64(h + 0x20, true));
  }
  return 0;
}

function bigFunctionBench(): void {
  // About 20,000 instructions in 150 blocks: tune the per-block count from a first try.
  const target = 20_000;
  let per = 60;
  let text = '';
  let func: Function | undefined;
  let insts = 0;
  for (let attempt = 0; attempt < 6; attempt++) {
    const c = generateCase(new Rng(2024), 'big', { blocks: 150, instsPerBlock: per, vectors: 1 });
    text = c.text;
    func = parseTestFile(`test compile\ntarget aarch64\n${text}`, 'big.clif').functions[0].func;
    insts = countInsts(func);
    if (Math.abs(insts - target) < target * 0.05) break;
    per = Math.max(1, Math.round((per * target) / insts));
  }
  const blocks = [...func!.layout.blocks()].length;
  console.log(`\ngenerated function: ${insts.toLocaleString('en-US')} CLIF instructions in ${blocks} blocks`);
  const fresh = (): Function => parseTestFile(`test compile\ntarget aarch64\n${text}`, 'big.clif').functions[0].func;

  const clift = new Map<Level, { timings: PassTimings; bytes: number; spills: number }>();
  for (const level of LEVELS) {
    let best: CompileResult | undefined;
    try {
      for (let round = 0; round <= ROUNDS; round++) {
        const r = compileAt(fresh(), level);
        if (round > 0 && (best === undefined || r.timings.total < best.timings.total)) best = r;
      }
    } catch (e) {
      if (!(e instanceof CompileFailure)) throw e;
      console.log(`  Clift opt_level=${level}: compilation failed: ${e.summary}`);
      continue;
    }
    clift.set(level, { timings: best!.timings, bytes: best!.bytes.length, spills: best!.stats.spills });
    console.log(`  Clift opt_level=${level}: ${fmtMs(best!.timings.total)} (${rate(insts, best!.timings.total)}), ${best!.bytes.length.toLocaleString('en-US')} bytes, ${best!.stats.spills} spills`);
    console.log(`    ${PASSES.filter((p) => p !== 'total').map((p) => `${p} ${fmtMs(best!.timings[p])}`).join(', ')}`);
  }

  const llc = spawnSync('llc', ['--version'], { encoding: 'utf8' });
  if (llc.error !== undefined) {
    console.log('  llc not found: no LLVM reference in this run (Debian package llvm)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'clift-bench-'));
  try {
    const ll = join(dir, 'big.ll');
    const obj = join(dir, 'big.o');
    writeFileSync(ll, clifToLlvm(text));
    let bestMs = Infinity;
    for (let round = 0; round <= ROUNDS; round++) {
      const t0 = performance.now();
      const r = spawnSync('llc', ['-O2', '-mtriple=aarch64-linux-gnu', '-filetype=obj', '-o', obj, ll], { encoding: 'utf8' });
      const ms = performance.now() - t0;
      if (r.status !== 0) {
        console.log(`  llc failed on the translated program (kept in ${ll}):\n${r.stderr}`);
        return;
      }
      if (round > 0) bestMs = Math.min(bestMs, ms);
    }
    const llcBytes = textSize(readFileSync(obj));
    console.log(`  llc -O2 (wall time, process start included): ${fmtMs(bestMs)} (${rate(insts, bestMs)}), ${llcBytes.toLocaleString('en-US')} bytes of .text`);
    for (const [level, r] of clift) {
      console.log(
        `  ratio Clift opt_level=${level} / llc -O2: time ${(r.timings.total / bestMs).toFixed(2)}×, code size ${(r.bytes / llcBytes).toFixed(2)}×`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

corpusBench();
bigFunctionBench();
