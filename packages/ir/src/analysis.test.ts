// Tests of the DFG, the printer and the CFG / dominator / loop analyses on
// functions built through the cursor API.
import { describe, expect, it } from 'vitest';
import { Function } from './function.js';
import { FuncCursor } from './builder.js';
import { ControlFlowGraph } from './cfg.js';
import { DominatorTree } from './dominators.js';
import { LoopAnalysis } from './loops.js';
import { printFunction } from './write.js';
import { abiParam, newSignature } from './signature.js';
import { I32, I8 } from './types.js';
import { IntCC } from './immediates.js';
import type { Block } from './entities.js';

/** Builds a function whose blocks branch as `edges` says (by index). */
function cfgFunction(n: number, edges: readonly (readonly number[])[]): { func: Function; blocks: Block[] } {
  const sig = newSignature();
  sig.params.push(abiParam(I32));
  const func = new Function({ kind: 'testcase', name: 'g' }, sig);
  const cur = new FuncCursor(func);
  const blocks: Block[] = [];
  for (let i = 0; i < n; i++) blocks.push(cur.makeBlock());
  const arg = func.dfg.appendBlockParam(blocks[0], I32);
  for (let i = 0; i < n; i++) {
    cur.gotoBottom(blocks[i]);
    const succ = edges[i] ?? [];
    if (succ.length === 0) cur.ins().return_();
    else if (succ.length === 1) cur.ins().jump(blocks[succ[0]]);
    else if (succ.length === 2) cur.ins().brif(arg, blocks[succ[0]], [], blocks[succ[1]], []);
    else cur.ins().brTable(arg, blocks[succ[0]], succ.slice(1).map((s) => blocks[s]));
  }
  return { func, blocks };
}

function analyses(func: Function): { cfg: ControlFlowGraph; dt: DominatorTree } {
  const cfg = ControlFlowGraph.compute(func);
  return { cfg, dt: DominatorTree.compute(func, cfg) };
}

describe('DataFlowGraph and printer', () => {
  it('builds and prints a small function with canonical text', () => {
    const sig = newSignature('system_v');
    sig.params.push(abiParam(I32), abiParam(I32));
    sig.returns.push(abiParam(I32));
    const func = new Function({ kind: 'testcase', name: 'add' }, sig);
    const cur = new FuncCursor(func);
    const b0 = cur.makeBlock();
    const x = func.dfg.appendBlockParam(b0, I32);
    const y = func.dfg.appendBlockParam(b0, I32);
    cur.gotoBottom(b0);
    const s = cur.ins().iadd(x, y);
    const c = cur.ins().iconst(I32, 100000);
    const t = cur.ins().icmp(IntCC.SignedLessThan, s, c);
    const r = cur.ins().select(t, s, c);
    cur.ins().return_([r]);
    expect(func.dfg.valueTypeOf(t)).toBe(I8);
    expect(printFunction(func)).toBe(
      [
        'function %add(i32, i32) -> i32 system_v {',
        'block0(v0: i32, v1: i32):',
        '    v2 = iadd v0, v1',
        '    v3 = iconst.i32 0x0001_86a0',
        '    v4 = icmp slt v2, v3  ; v3 = 0x0001_86a0',
        '    v5 = select v4, v2, v3  ; v3 = 0x0001_86a0',
        '    return v5',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('resolves aliases and prints them after their referent', () => {
    const { func, blocks } = cfgFunction(1, []);
    const p = func.dfg.blockParam(blocks[0], 0);
    const a = func.dfg.makeValueAlias(p);
    const b = func.dfg.makeValueAlias(a);
    expect(func.dfg.resolveAliases(b)).toBe(p);
    expect(func.dfg.valueTypeOf(b)).toBe(I32);
    expect(printFunction(func)).toContain(`block0(v0: i32):\n    v${a} -> v0\n    v${b} -> v${a}\n`);
  });

  it('prints a type suffix when the typevar operand lives in another block', () => {
    const { func, blocks } = cfgFunction(2, [[1]]);
    const cur = new FuncCursor(func).gotoBefore(func.layout.lastInst(blocks[1]));
    const v = cur.ins().iadd(func.dfg.blockParam(blocks[0], 0), func.dfg.blockParam(blocks[0], 0));
    expect(printFunction(func)).toContain(`v${v} = iadd.i32 v0, v0`);
  });

  it('appends block params and results keeping their positions', () => {
    const { func, blocks } = cfgFunction(1, []);
    const extra = func.dfg.appendBlockParam(blocks[0], I8);
    expect(func.dfg.valueDef(extra)).toEqual({ kind: 'param', block: blocks[0], num: 1 });
    func.dfg.removeBlockParam(blocks[0], 0);
    expect(func.dfg.blockParams(blocks[0])).toEqual([extra]);
    expect(func.dfg.valueNum(extra)).toBe(0);
  });
});

describe('ControlFlowGraph', () => {
  it('records deduplicated successors and predecessors', () => {
    const { func, blocks } = cfgFunction(3, [[1, 1, 2], [2], []]);
    const { cfg } = analyses(func);
    expect(cfg.succs(blocks[0])).toEqual([blocks[1], blocks[2]]);
    expect(cfg.preds(blocks[2]).map((p) => p.block)).toEqual([blocks[0], blocks[1]]);
  });

  it('answers the allocation-free queries as the lists do, blocks out of range included', () => {
    // A br_table naming block1 twice: one successor edge, one predecessor entry.
    const { func, blocks } = cfgFunction(4, [[1, 1, 2, 3], [3], [3], []]);
    const { cfg } = analyses(func);
    for (const b of [...blocks, 99 as Block]) {
      const preds = cfg.preds(b);
      expect(cfg.numPreds(b)).toBe(preds.length);
      preds.forEach((p, i) => {
        expect(cfg.predBlock(b, i)).toBe(p.block);
        expect(cfg.predInst(b, i)).toBe(p.inst);
      });
      const succs = cfg.succs(b);
      expect(cfg.numSuccs(b)).toBe(succs.length);
      succs.forEach((s, i) => expect(cfg.succ(b, i)).toBe(s));
    }
    expect(cfg.succs(blocks[0])).toEqual([blocks[1], blocks[2], blocks[3]]);
    expect(cfg.preds(blocks[1])).toHaveLength(1);
    expect(cfg.preds(blocks[3]).map((p) => p.block)).toEqual([blocks[0], blocks[1], blocks[2]]);
    expect(cfg.predBlocks(blocks[3])).toEqual([blocks[0], blocks[1], blocks[2]]);
    expect(cfg.preds(99 as Block)).toEqual([]);
    // The lists are made once and kept.
    expect(cfg.preds(blocks[3])).toBe(cfg.preds(blocks[3]));
  });
});

describe('DominatorTree', () => {
  it('matches upstream order on a diamond', () => {
    // block0 -> block1 -> (block2, block3); block2 -> block3.
    const { func, blocks } = cfgFunction(4, [[1], [2, 3], [3], []]);
    const { dt } = analyses(func);
    expect(dt.cfgPostorder()).toEqual([3, 2, 1, 0].map((i) => blocks[i]));
    expect(dt.idom(blocks[3])).toBe(blocks[1]);
    expect(dt.idom(blocks[0])).toBeUndefined();
    expect(dt.blockDominates(blocks[1], blocks[3])).toBe(true);
    expect(dt.blockDominates(blocks[2], blocks[3])).toBe(false);
    expect(dt.childrenOf(blocks[1])).toEqual([blocks[2], blocks[3]]);
  });

  it('handles an irreducible graph (two entries into a cycle)', () => {
    // 0 -> (1, 2); 1 -> 2; 2 -> 1; 1 -> 3.
    const { func, blocks } = cfgFunction(4, [[1, 2], [2, 3], [1], []]);
    const { dt } = analyses(func);
    expect(dt.idom(blocks[1])).toBe(blocks[0]);
    expect(dt.idom(blocks[2])).toBe(blocks[0]);
    expect(dt.idom(blocks[3])).toBe(blocks[1]);
    const la = LoopAnalysis.compute(func, ControlFlowGraph.compute(func), dt);
    expect(la.numLoops()).toBe(0);
  });

  it('leaves unreachable blocks out', () => {
    const { func, blocks } = cfgFunction(3, [[2], [2], []]);
    const { dt } = analyses(func);
    expect(dt.isReachable(blocks[1])).toBe(false);
    expect(dt.idom(blocks[1])).toBeUndefined();
    expect(dt.blockDominates(blocks[1], blocks[2])).toBe(false);
    expect(dt.idom(blocks[2])).toBe(blocks[0]);
  });

  it('agrees with the naive definition on random graphs', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let trial = 0; trial < 200; trial++) {
      const n = 2 + rand(9);
      const edges: number[][] = [];
      for (let i = 0; i < n; i++) {
        const k = rand(3);
        edges.push(Array.from({ length: k }, () => rand(n)));
        if (k === 1) edges[i] = [edges[i][0]];
      }
      const { func, blocks } = cfgFunction(n, edges);
      const { cfg, dt } = analyses(func);
      // Naive: a dominates b iff b is unreachable from entry when a is removed.
      const reach = (without: number): Set<number> => {
        const seen = new Set<number>();
        const stack = [0];
        while (stack.length) {
          const x = stack.pop()!;
          if (x === without || seen.has(x)) continue;
          seen.add(x);
          for (const s of cfg.succs(blocks[x])) stack.push(s);
        }
        return seen;
      };
      const all = reach(-1);
      for (let a = 0; a < n; a++) {
        const r = reach(a);
        for (let b = 0; b < n; b++) {
          const expected = all.has(a) && all.has(b) && (a === b || !r.has(b));
          expect(dt.blockDominates(blocks[a], blocks[b]), `trial ${trial}: ${a} dom ${b}`).toBe(expected);
        }
      }
    }
  });
});

describe('recompute', () => {
  it('gives what a fresh computation gives, whatever the objects computed before', () => {
    // One CFG and one tree recomputed for functions of varying size, as the
    // verifier does: arrays longer than the function must not leak stale
    // answers, for blocks out of range either.
    let seed = 777;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const cfg = new ControlFlowGraph();
    const dt = new DominatorTree();
    for (let trial = 0; trial < 150; trial++) {
      const n = 1 + rand(trial % 3 === 0 ? 14 : 5);
      const edges: number[][] = [];
      for (let i = 0; i < n; i++) edges.push(Array.from({ length: rand(4) }, () => rand(n)));
      const { func, blocks } = cfgFunction(n, edges);
      cfg.recompute(func);
      dt.recompute(func, cfg);
      const fresh = analyses(func);
      const ids = [...blocks, ...[0, 1, 2, 20].map((k) => (n + k) as Block)];
      expect(dt.cfgPostorder()).toEqual(fresh.dt.cfgPostorder());
      for (const b of ids) {
        const at = `trial ${trial}, block${b}`;
        expect(cfg.succs(b), at).toEqual(fresh.cfg.succs(b));
        expect(cfg.preds(b), at).toEqual(fresh.cfg.preds(b));
        expect(cfg.numPreds(b), at).toBe(fresh.cfg.numPreds(b));
        expect(cfg.numSuccs(b), at).toBe(fresh.cfg.numSuccs(b));
        expect(dt.isReachable(b), at).toBe(fresh.dt.isReachable(b));
        expect(dt.idom(b), at).toBe(fresh.dt.idom(b));
        expect(dt.childrenOf(b), at).toEqual(fresh.dt.childrenOf(b));
        expect(dt.rpoNumber(b), at).toBe(fresh.dt.rpoNumber(b));
        for (const c of ids) expect(dt.blockDominates(b, c), `${at} dom block${c}`).toBe(fresh.dt.blockDominates(b, c));
      }
    }
  });
});

describe('LoopAnalysis', () => {
  it('finds nested loops', () => {
    // 0 -> 1; 1 -> (2, 4); 2 -> (2, 3); 3 -> 1; 4 exit.
    const { func, blocks } = cfgFunction(5, [[1], [2, 4], [2, 3], [1], []]);
    const { cfg, dt } = analyses(func);
    const la = LoopAnalysis.compute(func, cfg, dt);
    expect(la.numLoops()).toBe(2);
    const outer = la.innermostLoop(blocks[1])!;
    const inner = la.innermostLoop(blocks[2])!;
    expect(la.header(outer)).toBe(blocks[1]);
    expect(la.header(inner)).toBe(blocks[2]);
    expect(la.parent(inner)).toBe(outer);
    expect(la.blockLoopDepth(blocks[2])).toBe(2);
    expect(la.blockLoopDepth(blocks[3])).toBe(1);
    expect(la.blockLoopDepth(blocks[4])).toBe(0);
    expect(la.isLoopHeader(blocks[1])).toBe(true);
    expect(la.isChildLoop(inner, outer)).toBe(true);
  });
});
