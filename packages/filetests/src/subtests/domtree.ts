// `test domtree`: check the dominator tree against `; dominates: blockA
// blockB` annotations on instructions — each named block's immediate
// dominator is the block holding the annotated instruction — then require
// every other non-entry block to be unreachable, then FileCheck the
// printed postorder and tree (domtree-text.ts).

import { ControlFlowGraph, DominatorTree, NONE, type Block, type Function } from '@clift/ir';
import { domtreeText } from '../domtree-text.js';
import { matchDirective } from '../filecheck.js';
import { SubtestFailure, runFilecheck, type Subtest, type SubtestContext } from '../subtest.js';

export const domtreeSubtest: Subtest = {
  name: 'domtree',
  needsVerifier: true,
  needsIsa: false,
  run(func: Function, ctx: SubtestContext): void {
    const cfg = ControlFlowGraph.compute(func);
    const domtree = DominatorTree.compute(func, cfg);
    const expected = new Map<Block, Block>();
    for (const c of ctx.parsed.comments) {
      const tail = matchDirective(c.text, 'dominates:');
      if (tail === undefined) continue;
      const m = c.entity === undefined ? null : /^inst(\d+)$/.exec(c.entity);
      if (!m) throw new SubtestFailure(`line ${c.line}: annotation on non-inst ${c.entity ?? 'nothing'}: ${c.text}`);
      const inst = Number(m[1]);
      const home = func.layout.instBlock(inst as never);
      if (home === NONE) throw new SubtestFailure(`line ${c.line}: instruction inst${inst} is not in the layout`);
      for (const name of tail.split(/\s+/).filter((s) => s !== '')) {
        const bm = /^block(\d+)$/.exec(name);
        const block = bm ? (Number(bm[1]) as Block) : undefined;
        if (block === undefined || !func.layout.isBlockInserted(block)) {
          throw new SubtestFailure(`line ${c.line}: expected defined block, got ${name}`);
        }
        if (expected.has(block)) throw new SubtestFailure(`line ${c.line}: multiple dominators for ${name}`);
        expected.set(block, home);
        const got = domtree.idom(block);
        if (got === undefined) {
          throw new SubtestFailure(`line ${c.line}: mismatching idoms for ${name}:\n  want: inst${inst} (in block${home}), got: unreachable`);
        }
        if (got !== home) {
          throw new SubtestFailure(`line ${c.line}: mismatching idoms for ${name}:\n  want: inst${inst} (in block${home}), got: block${got}`);
        }
      }
    }
    let first = true;
    for (const b of func.layout.blocks()) {
      if (first) {
        first = false;
        continue;
      }
      if (expected.has(b)) continue;
      const got = domtree.idom(b);
      if (got !== undefined) {
        throw new SubtestFailure(`mismatching idoms for block${b}:\n  want: unreachable (no dominates: annotation names it), got: block${got}`);
      }
    }
    runFilecheck(domtreeText(func, domtree), ctx);
  },
};
