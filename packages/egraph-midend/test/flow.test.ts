// The flow facts (src/flow.ts) against @clift/ir's ControlFlowGraph,
// DominatorTree and LoopAnalysis: for every function of upstream's
// runtests, egraph and alias files, and for a few hand-made shapes the
// corpus may not have (unreachable blocks, a br_table naming a block twice,
// a diamond, a loop), every answer the passes ask for is the same, orders
// included (elaboration visits dominator-tree children in the order given,
// alias analysis meets predecessors in the order given).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ControlFlowGraph, DominatorTree, LoopAnalysis, NONE, type Function, type Inst } from '@clift/ir';
import { parseTestFile } from '@clift/reader';
import { computeFlow } from '../src/flow.js';
import { UPSTREAM, listClif, skipUpstream } from './corpus.js';

/** Checks every query of computeFlow(func) against @clift/ir; returns how many blocks were in the layout. */
function compareWithIr(func: Function): number {
  const flow = computeFlow(func);
  const layout = func.layout;
  if (flow === undefined) {
    expect(layout.entryBlock()).toBeUndefined();
    return 0;
  }
  const cfg = ControlFlowGraph.compute(func);
  const dom = DominatorTree.compute(func, cfg);
  const loops = LoopAnalysis.compute(func, cfg, dom);
  const blocks = layout.blockArray();
  const oneBlock = blocks.length === 1;
  expect(flow.rpo).toEqual([...dom.cfgPostorder()].reverse());
  const insts: Inst[] = [];
  for (const b of blocks) {
    // A function of one block without branches has no edges to report.
    if (!oneBlock || cfg.succs(b).length > 0) {
      expect(flow.succs(b), `succs of block${b}`).toEqual(cfg.succs(b));
      expect(flow.predBlocks(b), `preds of block${b}`).toEqual(cfg.predBlocks(b));
    }
    expect(flow.isReachable(b)).toBe(dom.isReachable(b));
    expect(flow.childrenOf(b), `children of block${b}`).toEqual(dom.childrenOf(b));
    if (dom.isReachable(b)) expect(flow.loopDepth(b), `loop depth of block${b}`).toBe(loops.blockLoopDepth(b));
    for (const c of blocks) expect(flow.blockDominates(b, c), `block${b} dominates block${c}`).toBe(dom.blockDominates(b, c));
    const first = layout.firstInst(b);
    const last = layout.lastInst(b);
    if (first !== (NONE as Inst)) insts.push(first);
    if (last !== (NONE as Inst) && last !== first) insts.push(last);
  }
  for (const a of insts) for (const b of insts) expect(flow.instDominates(a, b), `inst${a} dominates inst${b}`).toBe(dom.instDominates(func, a, b));
  return blocks.length;
}

const SHAPES = `
function %unreachable(i32) -> i32 {
block0(v0: i32):
    brif v0, block1, block2
block1:
    jump block3(v0)
block2:
    v1 = iconst.i32 1
    jump block3(v1)
block4:
    jump block1
block3(v2: i32):
    return v2
}

function %table_twice(i32) -> i32 {
block0(v0: i32):
    br_table v0, block1, [block2, block1, block2]
block1:
    return v0
block2:
    v1 = iconst.i32 2
    return v1
}

function %same_target(i32) -> i32 {
block0(v0: i32):
    brif v0, block1, block1
block1:
    return v0
}

function %nested_loops(i32) -> i32 {
block0(v0: i32):
    jump block1(v0)
block1(v1: i32):
    brif v1, block2(v1), block4
block2(v2: i32):
    v4 = iconst.i32 -1
    v3 = iadd v2, v4
    brif v3, block2(v3), block3
block3:
    jump block1(v3)
block4:
    return v1
}

function %diamond_chain(i32) -> i32 {
block0(v0: i32):
    brif v0, block1, block2
block1:
    jump block3
block2:
    jump block3
block3:
    brif v0, block5, block4
block4:
    jump block5
block5:
    return v0
}
`;

describe('flow facts agree with @clift/ir', () => {
  test('hand-made shapes', () => {
    for (const { func } of parseTestFile(SHAPES, 'shapes.clif').functions) expect(compareWithIr(func)).toBeGreaterThan(1);
  });

  test.skipIf(skipUpstream(UPSTREAM))('every upstream runtests, egraph and alias function', () => {
    let multi = 0;
    for (const sub of ['runtests', 'egraph', 'alias']) {
      for (const path of listClif(join(UPSTREAM, sub))) {
        let functions;
        try {
          functions = parseTestFile(readFileSync(path, 'utf8'), path).functions;
        } catch {
          continue; // the reader's concern
        }
        for (const { func } of functions) if (compareWithIr(func) > 1) multi++;
      }
    }
    // Enough functions of several blocks for the comparison to mean something.
    expect(multi).toBeGreaterThan(50);
  });
});
