// AArch64 compile throughput and code size. Run: `pnpm exec tsx
// bench/compile.bench.ts` at the repo root (or here, in packages/filetests;
// also `pnpm --filter @clift/filetests bench:compile`).
//
// Two workloads, each compiled in-process with one reused `Context` (as a
// compiler that compiles many functions would) after a warm-up round:
// 1. The upstream runtests corpus: every runtests file with a `target
//    aarch64` line, each function compiled once per such line (its ISA
//    flags and `set` settings), at opt_level none and at speed, like
//    upstream's 2,682 compilations of its 335 AArch64 runtests files. Per
//    pass (verify, optimize, lower, regalloc, emit) the time and the rate in
//    CLIF instructions per second, the round's total and its CPU time, and
//    the total code size. Functions the backend refuses are counted by kind.
// 2. One generated function of about 20,000 instructions in about 150
//    blocks (the differential fuzzer's generator: scalar integer
//    arithmetic, branches, block parameters, small loops), compiled by
//    Clift at opt_level none and speed, and the same program written as
//    LLVM IR compiled by `llc -O2 -mtriple=aarch64-linux-gnu` (the first
//    `llc` or `llc-NN` on PATH) in the same run, for scale: instructions per
//    second and the ratios of time and of code size. llc's time is wall
//    time of a process, so its start-up (timed on an empty module) is shown
//    too.
//
// Time is measured with the wall clock and with this process's CPU time
// (user + system, so parallel GC threads count; time spent waiting for a
// core on a busy machine does not). The generated function alternates
// rounds timed per pass by each clock. For the corpus, a CPU-time reading
// (about a microsecond) would weigh on every pass of every small function,
// so its passes are timed by the wall clock and only each compilation's
// total also by CPU time. Per pass, the figure is the best round (noise
// only ever adds time); the total is the best round's total. The machines
// are shared and noisy: the ratio to llc measured in the same run, and CPU
// time, are the figures to compare across runs. CLIFT_BENCH_ROUNDS=N sets
// the number of rounds, CLIFT_BENCH_PART=corpus or big runs one part.
// Before the measured corpus rounds come unmeasured warm-up rounds
// (CLIFT_BENCH_WARMUP=N, default 10): V8 takes that many passes over the
// corpus's ~2,000 small functions before the lowering and the allocator
// reach their optimized code, and "after warm-up" is what the aim says.
//
// Upstream Cranelift, for the aim of issue #7: the corpus in about 35 ms at
// either level, the generated function at about 500,000 instructions per
// second at opt_level=speed.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, sep } from 'node:path';
import { CodegenError, Context, parseSharedFlags, type PassTimings, type TargetIsa } from '@clift/codegen';
import type { Function } from '@clift/ir';
import { lookup } from '@clift/isa-aarch64';
import { parseTestFile, type TestFile } from '@clift/reader';
import { collectTestFiles, upstreamFiletestsDir } from '../src/index.js';
import { generateCase, Rng } from '../test/differential-fuzz.js';

const PASSES = ['verify', 'optimize', 'lower', 'regalloc', 'emit', 'total'] as const;
type Level = 'none' | 'speed';
const LEVELS: readonly Level[] = ['none', 'speed'];
// More rounds give steadier figures on a busy machine: CLIFT_BENCH_ROUNDS=N.
const ROUNDS_OVERRIDE = Number(process.env['CLIFT_BENCH_ROUNDS'] ?? '');
const CORPUS_ROUNDS = ROUNDS_OVERRIDE > 0 ? ROUNDS_OVERRIDE : 5;
const BIG_ROUNDS = ROUNDS_OVERRIDE > 0 ? ROUNDS_OVERRIDE : 8;
const WARMUP_OVERRIDE = Number(process.env['CLIFT_BENCH_WARMUP'] ?? 'NaN');
const CORPUS_WARMUP = Number.isInteger(WARMUP_OVERRIDE) && WARMUP_OVERRIDE >= 0 ? WARMUP_OVERRIDE : 10;

function countInsts(func: Function): number {
  let n = 0;
  for (const b of func.layout.blocks()) for (const _ of func.layout.blockInsts(b)) n++;
  return n;
}

// A pass that did not run (the mid-end at opt_level=none) still takes a few microseconds: no rate for it.
const rate = (insts: number, ms: number): string => (ms < 0.01 ? '—' : `${Math.round((insts / ms) * 1000).toLocaleString('en-US')} inst/s`);
const fmtMs = (ms: number): string => `${ms.toFixed(1)} ms`;

function emptyTimings(): PassTimings {
  return { verify: 0, optimize: 0, lower: 0, regalloc: 0, emit: 0, total: 0 };
}
/** CPU time of this process (user + system) in milliseconds. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const isaCache = new Map<string, TargetIsa>();
/** The AArch64 ISA for a target line's flags and settings at `level` (built once per distinct configuration). */
function isaFor(isaFlags: readonly { name: string; value: string | undefined }[], settings: readonly { name: string; value: string | undefined }[], level: Level): TargetIsa {
  const key = JSON.stringify([isaFlags, settings, level]);
  let isa = isaCache.get(key);
  if (isa === undefined) {
    isa = lookup('aarch64')
      .setAll(isaFlags)
      .finish(parseSharedFlags([...settings, { name: 'opt_level', value: level }]));
    isaCache.set(key, isa);
  }
  return isa;
}

/** Per-pass best over rounds, for the wall clock and for CPU time. */
class BestOf {
  readonly wall = emptyTimings();
  readonly cpu = emptyTimings();
  constructor() {
    for (const p of PASSES) {
      this.wall[p] = Infinity;
      this.cpu[p] = Infinity;
    }
  }
  add(t: PassTimings, clock: 'wall' | 'cpu'): void {
    const best = this[clock];
    for (const p of PASSES) best[p] = Math.min(best[p], t[p]);
  }
  /** The table of passes; `withCpu` adds the CPU-time column. */
  print(insts: number, indent: string, withCpu: boolean): void {
    console.log(`${indent}${'pass'.padEnd(9)} ${'wall'.padStart(11)}  ${withCpu ? `${''.padEnd(18)}${'CPU'.padStart(11)}` : ''}`);
    for (const p of PASSES) {
      const cpu = withCpu ? `${fmtMs(this.cpu[p]).padStart(11)}  ${rate(insts, this.cpu[p])}` : '';
      console.log(`${indent}${p.padEnd(9)} ${fmtMs(this.wall[p]).padStart(11)}  ${rate(insts, this.wall[p]).padEnd(18)}${cpu}`);
    }
  }
}

/** A context per clock: wall-clock timings, and CPU-time timings. */
function contexts(): { wall: Context; cpu: Context } {
  return { wall: new Context(), cpu: new Context({ clock: cpuMs }) };
}

/**
 * The register allocator's own throughput on this workload: machine
 * instructions (VCode, before allocation's moves) per second of the
 * regalloc pass, which is what regalloc's bench measures on generated
 * functions; here the functions are real compiler output.
 */
function allocatorRate(vcodeInsts: number, ms: number, calls: number): string {
  const perCall = calls > 1 ? `, ${((ms / calls) * 1000).toFixed(1)} µs per function of ${(vcodeInsts / calls).toFixed(1)} on average` : '';
  return `regalloc on ${vcodeInsts.toLocaleString('en-US')} VCode instructions: ${rate(vcodeInsts, ms).replace('inst/s', 'VCode inst/s')}${perCall}`;
}

// ---------------------------------------------------------------------------
// 1. The upstream runtests corpus

interface Compilation {
  file: number;
  /** Which target line of the file. */
  target: number;
  index: number;
  isa: TargetIsa;
  insts: number;
}

function corpusBench(): void {
  const up = upstreamFiletestsDir();
  if (!up.exists) {
    console.log(`upstream filetests not found at ${up.path} (set CLIFT_UPSTREAM_FILETESTS); corpus part skipped`);
    return;
  }
  const texts: { path: string; text: string }[] = [];
  const parsed: TestFile[] = [];
  for (const path of collectTestFiles([`${up.path}${sep}runtests`])) {
    const text = readFileSync(path, 'utf8');
    let file: TestFile;
    try {
      file = parseTestFile(text, path);
    } catch {
      continue;
    }
    if (!file.targets.some((t) => t.name === 'aarch64')) continue;
    texts.push({ path, text });
    parsed.push(file);
  }
  const ctx = new Context();
  for (const level of LEVELS) {
    const all: Compilation[] = [];
    parsed.forEach((file, fi) => {
      file.targets.forEach((t, target) => {
        if (t.name !== 'aarch64') return;
        const isa = isaFor(t.flags, t.settings.filter((s) => s.name !== 'opt_level'), level);
        file.functions.forEach((p, index) => all.push({ file: fi, target, index, isa, insts: countInsts(p.func) }));
      });
    });
    // Each compilation gets a freshly parsed Function (the optimizer rewrites
    // functions in place): one parse per (file, target line), outside the
    // timed region but just before that group's compilations, as a compiler
    // compiles a function soon after building it.
    const inGroups = (list: readonly Compilation[], each: (c: Compilation, f: Function) => void): void => {
      let key = '';
      let file: TestFile | undefined;
      for (const c of list) {
        const k = `${c.file}:${c.target}`;
        if (k !== key || file === undefined) {
          key = k;
          file = parseTestFile(texts[c.file].text, texts[c.file].path);
        }
        each(c, file.functions[c.index].func);
      }
    };
    // Warm-up round: which compilations succeed.
    const ok: Compilation[] = [];
    const refused = new Map<string, number>();
    inGroups(all, (c, f) => {
      try {
        ctx.compile(f, c.isa);
        ok.push(c);
      } catch (e) {
        if (!(e instanceof CodegenError)) throw e;
        refused.set(e.kind, (refused.get(e.kind) ?? 0) + 1);
      }
    });
    const insts = ok.reduce((n, c) => n + c.insts, 0);
    for (let round = 0; round < CORPUS_WARMUP; round++) inGroups(ok, (c, f) => void ctx.compile(f, c.isa));
    const best = new BestOf();
    let bytes = 0;
    let spills = 0;
    let vcodeInsts = 0;
    for (let round = 0; round < CORPUS_ROUNDS; round++) {
      const t = emptyTimings();
      bytes = 0;
      spills = 0;
      vcodeInsts = 0;
      let cpu = 0;
      inGroups(ok, (c, f) => {
        const cpu0 = cpuMs();
        const r = ctx.compile(f, c.isa);
        cpu += cpuMs() - cpu0;
        for (const p of PASSES) t[p] += r.timings[p];
        bytes += r.bytes.length;
        spills += r.stats.spills;
        vcodeInsts += r.stats.vcodeInsts;
      });
      best.add(t, 'wall');
      best.cpu.total = Math.min(best.cpu.total, cpu);
    }
    const refusedText = [...refused].map(([k, n]) => `${n} ${k}`).join(', ');
    console.log(
      `\nupstream runtests, opt_level=${level}: ${texts.length} files with a target aarch64 line, ${ok.length} of ${all.length} compilations (functions × aarch64 target lines) succeed, ${insts.toLocaleString('en-US')} CLIF instructions (refused: ${refusedText || 'none'})`,
    );
    console.log(`  best of ${CORPUS_ROUNDS} rounds after ${CORPUS_WARMUP} warm-up rounds`);
    best.print(insts, '  ', false);
    const per = (ms: number): string => `${((ms / Math.max(1, ok.length)) * 1000).toFixed(1)} µs`;
    console.log(`  CPU time of the best round: ${fmtMs(best.cpu.total)} (${rate(insts, best.cpu.total)}; two CPU-time readings per compilation included)`);
    console.log(`  per compilation: ${per(best.wall.total)} wall, ${per(best.cpu.total)} CPU`);
    console.log(`  code size ${bytes.toLocaleString('en-US')} bytes (${(bytes / Math.max(1, insts)).toFixed(2)} bytes per CLIF instruction), ${spills} spills`);
    console.log(`  ${allocatorRate(vcodeInsts, best.wall.regalloc, ok.length)}`);
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

/** The LLVM static compiler on PATH: `llc`, or the newest `llc-NN`. */
function findLlc(): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter((d) => d !== '');
  if (dirs.some((d) => existsSync(join(d, 'llc')))) return 'llc';
  for (let v = 30; v >= 10; v--) if (dirs.some((d) => existsSync(join(d, `llc-${v}`)))) return `llc-${v}`;
  return undefined;
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

  const ctxs = contexts();
  const clift = new Map<Level, { total: number; bytes: number }>();
  for (const level of LEVELS) {
    const isa = isaFor([], [], level);
    const best = new BestOf();
    let bytes = 0;
    let spills = 0;
    let vcodeInsts = 0;
    try {
      for (let round = 0; round < 2 * (BIG_ROUNDS + 1); round++) {
        // Rounds 0 and 1 warm up; then the clocks alternate.
        const clock = round % 2 === 0 ? 'cpu' : 'wall';
        const r = ctxs[clock].compile(fresh(), isa);
        bytes = r.bytes.length;
        spills = r.stats.spills;
        vcodeInsts = r.stats.vcodeInsts;
        if (round > 1) best.add(r.timings, clock);
      }
    } catch (e) {
      if (!(e instanceof CodegenError)) throw e;
      console.log(`  Clift opt_level=${level}: compilation failed: ${e.kind}: ${e.message}`);
      continue;
    }
    clift.set(level, { total: best.wall.total, bytes });
    const w = best.wall;
    const c = best.cpu;
    console.log(`  Clift opt_level=${level}: ${fmtMs(w.total)} wall (${rate(insts, w.total)}), ${fmtMs(c.total)} CPU (${rate(insts, c.total)}); ${bytes.toLocaleString('en-US')} bytes, ${spills} spills`);
    best.print(insts, '    ', true);
    console.log(`    ${allocatorRate(vcodeInsts, best.cpu.regalloc, 1)} by CPU`);
  }

  const llc = findLlc();
  if (llc === undefined) {
    console.log('  llc not found on PATH: no LLVM reference in this run (Debian package llvm)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'clift-bench-'));
  try {
    const ll = join(dir, 'big.ll');
    const empty = join(dir, 'empty.ll');
    const obj = join(dir, 'big.o');
    writeFileSync(ll, clifToLlvm(text));
    writeFileSync(empty, '');
    const timeLlc = (input: string): number | string => {
      let bestMs = Infinity;
      for (let round = 0; round <= 3; round++) {
        const t0 = performance.now();
        const r = spawnSync(llc, ['-O2', '-mtriple=aarch64-linux-gnu', '-filetype=obj', '-o', obj, input], { encoding: 'utf8' });
        const ms = performance.now() - t0;
        if (r.status !== 0) return r.stderr;
        if (round > 0) bestMs = Math.min(bestMs, ms);
      }
      return bestMs;
    };
    const startup = timeLlc(empty);
    const bestMs = timeLlc(ll);
    if (typeof bestMs === 'string' || typeof startup === 'string') {
      console.log(`  ${llc} failed on the translated program (kept in ${ll}):\n${String(typeof bestMs === 'string' ? bestMs : startup)}`);
      return;
    }
    const llcBytes = textSize(readFileSync(obj));
    console.log(
      `  ${llc} -O2 (wall time, process start included): ${fmtMs(bestMs)} (${rate(insts, bestMs)}); start-up alone ${fmtMs(startup)}; ${llcBytes.toLocaleString('en-US')} bytes of .text`,
    );
    for (const [level, r] of clift) {
      console.log(`  ratio Clift opt_level=${level} / ${llc} -O2: time ${(r.total / bestMs).toFixed(2)}×, code size ${(r.bytes / llcBytes).toFixed(2)}×`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// CLIFT_BENCH_PART=corpus or =big runs one part.
const part = process.env['CLIFT_BENCH_PART'];
if (part === undefined || part === 'corpus') corpusBench();
if (part === undefined || part === 'big') bigFunctionBench();
