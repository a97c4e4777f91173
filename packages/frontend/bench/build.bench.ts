// Build throughput of FunctionBuilder: CLIF instructions per second for a
// large generated program (loops, branches, switches, many variables), and
// scaling checks that would expose quadratic behaviour: one long block with
// many variables, and long chains of blocks reading variables defined
// above. Run with `pnpm bench`; figures are the best of several
// repetitions because shared machines are noisy.

import { Function, I64, IntCC, abiParam, newSignature } from '@clift/ir';
import { FunctionBuilder, type Variable } from '../src/index.js';
import { compileProgram, randomProgram, type Program } from '../test/toy-language.js';

function best(reps: number, run: () => number): { insts: number; ms: number } {
  let ms = Infinity;
  let insts = 0;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    insts = run();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { insts, ms };
}

function report(name: string, r: { insts: number; ms: number }): void {
  const rate = (r.insts / r.ms) * 1000;
  console.log(`${name.padEnd(44)} ${String(r.insts).padStart(8)} insts  ${r.ms.toFixed(1).padStart(8)} ms  ${(rate / 1e6).toFixed(2)} M insts/s`);
}

// A large program: the bodies of many random programs (same variable layout) run one after another.
function largeProgram(pieces: number): Program {
  const opts = { maxDepth: 4, maxStmts: 4, extraVars: 6, maxTrips: 3 };
  const base = randomProgram(1, opts);
  for (let s = 2; s <= pieces; s++) base.body.push(...randomProgram(s, opts).body);
  return base;
}

function longBlock(vars: number, steps: number): number {
  const sig = newSignature('system_v');
  sig.returns.push(abiParam(I64));
  const fb = new FunctionBuilder(new Function({ kind: 'testcase', name: 'long' }, sig));
  const b = fb.createBlock();
  fb.switchToBlock(b);
  fb.sealBlock(b);
  const vs: Variable[] = [];
  for (let i = 0; i < vars; i++) {
    const v = fb.declareVar(I64);
    fb.defVar(v, fb.ins().iconst(I64, i));
    vs.push(v);
  }
  for (let i = 0; i < steps; i++) {
    const x = vs[i % vars];
    const y = vs[(i * 7 + 3) % vars];
    fb.defVar(x, fb.ins().iadd(fb.useVar(x), fb.useVar(y)));
  }
  fb.ins().return_([fb.useVar(vs[0])]);
  return fb.finalize().dfg.numInsts();
}

/** `blocks` blocks in a row, each a diamond; every join reads `reads` of `vars` variables defined in the entry. */
function blockChain(vars: number, blocks: number, reads: number): number {
  const sig = newSignature('system_v');
  sig.params.push(abiParam(I64));
  sig.returns.push(abiParam(I64));
  const fb = new FunctionBuilder(new Function({ kind: 'testcase', name: 'chain' }, sig));
  const entry = fb.createBlock();
  const p = fb.appendBlockParamsForFunctionParams(entry)[0];
  fb.switchToBlock(entry);
  fb.sealBlock(entry);
  const vs: Variable[] = [];
  for (let i = 0; i < vars; i++) {
    const v = fb.declareVar(I64);
    fb.defVar(v, fb.ins().iconst(I64, i));
    vs.push(v);
  }
  for (let k = 0; k < blocks; k++) {
    const l = fb.createBlock();
    const r = fb.createBlock();
    const join = fb.createBlock();
    const c = fb.ins().icmp(IntCC.SignedLessThan, p, fb.ins().iconst(I64, k));
    fb.ins().brif(c, l, [], r, []);
    fb.sealBlock(l);
    fb.sealBlock(r);
    fb.switchToBlock(l);
    fb.defVar(vs[k % vars], fb.ins().iconst(I64, k));
    fb.ins().jump(join);
    fb.switchToBlock(r);
    fb.ins().jump(join);
    fb.sealBlock(join);
    fb.switchToBlock(join);
    let acc = fb.useVar(vs[0]);
    for (let j = 0; j < reads; j++) acc = fb.ins().iadd(acc, fb.useVar(vs[(k * 13 + j * 31) % vars]));
    fb.defVar(vs[(k + 1) % vars], acc);
  }
  fb.ins().return_([fb.useVar(vs[0])]);
  return fb.finalize().dfg.numInsts();
}

const program = largeProgram(100);
// Warm up the JIT on the same work.
compileProgram(program);
report('large generated program', best(5, () => compileProgram(program).dfg.numInsts()));
for (const steps of [50_000, 200_000]) report(`long block, 1000 vars, ${steps} updates`, best(3, () => longBlock(1000, steps)));
for (const blocks of [2_000, 8_000]) report(`block chain, 100 vars, ${blocks} diamonds`, best(3, () => blockChain(100, blocks, 8)));
// Reads of variables last defined far above walk back to the definition (Braun et al.; upstream alike):
// the cost is the walk length, cached per block, so it grows with vars × distance, not with block length.
for (const blocks of [250, 1_000]) report(`block chain, 5000 vars, ${blocks} diamonds`, best(3, () => blockChain(5000, blocks, 8)));
