// Scoped elaboration: turns the e-graph back into a linear function.
//
// Walks the dominator tree from the entry. Skeleton instructions stay where
// they are; each value they use is elaborated on demand: the cheapest node
// of its e-class (by cost.ts) is placed, after its operands, at the
// outermost point of the current dominator-tree path that all its operands
// reach and that is at the lowest loop depth (LICM), but no higher: a value
// is never placed where no use needs it, so nothing partially redundant is
// computed. Constants are rematerialized in each block that uses them.
// A value elaborated in a block is reused by every block it dominates.
//
// Invariants: a value is available at a path level only while the block of
// that level is on the path (checked by generation numbers, so leaving a
// subtree forgets its values in O(1)); every use is rewritten to a value
// defined before it in a dominating position.

import { BlockArg, NONE, type Block, type BlockCall, type Function, type Inst, type Value } from '@clift/ir';
import { isRemat } from './cost.js';
import { OptimizerError, type EGraph } from './egraph.js';
import type { Flow } from './flow.js';
import { blockCallsOf, hasExceptionContexts } from './uses.js';
import { U32Table } from './value-table.js';

export interface ElabCounters {
  placed: number;
  hoisted: number;
  remat: number;
}

/**
 * One elaborator serves consecutive functions (`begin` starts over keeping
 * its tables and buffers). Its tables need no clearing between functions:
 * an entry counts only if it carries a generation (`pathGen`, `epoch`) of
 * the current function, and generations only grow.
 */
export class Elaborator {
  private func!: Function;
  private eg: EGraph;
  private flow!: Flow;
  private readonly elabValue = new U32Table(64, NONE);
  private readonly elabLevel = new U32Table(64, 0);
  private readonly elabGen = new U32Table(64, NONE);
  /**
   * Original node instructions already placed once (later placements clone
   * them), marked with the current `epoch`.
   */
  private readonly placedInst = new U32Table(64, 0);
  private epoch = 0;
  /**
   * For an original node instruction placed once: where its e-class
   * operands (which placement replaced by elaborated values) start in
   * `classArgData`.
   */
  private readonly classArgAt = new U32Table(64, NONE);
  private readonly classArgData: Value[] = [];
  private classArgEnd = 0;
  /** Elaborated operands of the placements in progress (a stack: placement recurses). */
  private readonly argStack: Value[] = [];
  private argTop = 0;
  private readonly pathBlock: Block[] = [];
  private readonly pathGen: number[] = [];
  private readonly pathDepth: number[] = [];
  /** How many path levels are live (the dominator-tree path to the block being visited). */
  private pathLen = 0;
  private gen = 0;
  private readonly calls: BlockCall[] = [];
  private readonly dfsBlock: Block[] = [];
  private readonly dfsChild: number[] = [];
  readonly counters: ElabCounters = { placed: 0, hoisted: 0, remat: 0 };

  constructor(func: Function, eg: EGraph, flow: Flow) {
    this.eg = eg;
    this.begin(func, eg, flow);
  }

  /** Starts over on another function. */
  begin(func: Function, eg: EGraph, flow: Flow): void {
    this.func = func;
    this.eg = eg;
    this.flow = flow;
    this.classArgEnd = 0;
    this.argTop = 0;
    this.pathLen = 0;
    // Generations stay below NONE (the "never" mark); long before they
    // would reach it, the tables start over.
    if (this.gen > 0x7fffffff || this.epoch > 0x7fffffff) {
      this.elabGen.reset();
      this.placedInst.reset();
      this.gen = 0;
      this.epoch = 0;
    }
    this.epoch++;
    const c = this.counters;
    c.placed = c.hoisted = c.remat = 0;
  }

  run(entry: Block): void {
    // Explicit DFS over the dominator tree: block and next child index per level.
    const blocks = this.dfsBlock;
    const child = this.dfsChild;
    blocks[0] = entry;
    child[0] = -1;
    let depth = 1;
    while (depth > 0) {
      const top = depth - 1;
      const block = blocks[top];
      const ci = child[top];
      if (ci < 0) {
        this.pathLen = depth;
        this.enter(block, top);
        child[top] = 0;
        continue;
      }
      const kids = this.flow.childrenOf(block);
      if (ci < kids.length) {
        child[top] = ci + 1;
        blocks[depth] = kids[ci];
        child[depth] = -1;
        depth++;
      } else {
        depth--;
        this.pathLen = depth;
      }
    }
  }

  private enter(block: Block, level: number): void {
    const { dfg, layout } = this.func;
    this.pathBlock[level] = block;
    this.pathGen[level] = ++this.gen;
    this.pathDepth[level] = this.flow.loopDepth(block);
    const np = dfg.numBlockParams(block);
    for (let i = 0; i < np; i++) this.setAvail(dfg.blockParam(block, i), dfg.blockParam(block, i), level);
    // Placement only inserts before `inst` or at the end of a dominating
    // block, so the successor of `inst` is still the next skeleton instruction.
    for (let inst = layout.firstInst(block), next: Inst; inst !== (NONE as Inst); inst = next) {
      next = layout.nextInst(inst);
      this.elaborateUses(inst, level);
      const nr = dfg.numResults(inst);
      for (let i = 0; i < nr; i++) this.setAvail(dfg.result(inst, i), dfg.result(inst, i), level);
    }
  }

  /** Rewrites each use of skeleton instruction `inst` to an elaborated value. */
  private elaborateUses(inst: Inst, level: number): void {
    const dfg = this.func.dfg;
    if (hasExceptionContexts(dfg, inst)) {
      dfg.mapUses(inst, (v) => this.elaborate(v, level, inst));
      return;
    }
    const n = dfg.numArgs(inst);
    for (let i = 0; i < n; i++) dfg.setArg(inst, i, this.elaborate(dfg.arg(inst, i), level, inst));
    const calls = this.calls;
    const nc = blockCallsOf(dfg, inst, calls);
    for (let c = 0; c < nc; c++) {
      const bc = calls[c];
      const na = dfg.blockCallNumArgs(bc);
      for (let i = 0; i < na; i++) {
        const a = dfg.blockCallArg(bc, i);
        if (BlockArg.kind(a) === 0) dfg.setBlockCallArg(bc, i, BlockArg.value(this.elaborate(a as number as Value, level, inst)));
      }
    }
  }

  private setAvail(key: Value, v: Value, level: number): void {
    this.elabValue.set(key, v);
    this.elabLevel.set(key, level);
    this.elabGen.set(key, this.pathGen[level]);
  }

  /** The elaborated value for `key` if available on the current path. */
  private avail(key: Value): number {
    const g = this.elabGen.get(key);
    if (g === NONE) return NONE;
    const lvl = this.elabLevel.get(key);
    return lvl < this.pathLen && this.pathGen[lvl] === g ? this.elabValue.get(key) : NONE;
  }

  /** The node instruction defining `leaf`, or NONE for a block parameter or skeleton result. */
  private nodeOf(leaf: Value): Inst {
    const inst = this.func.dfg.valueInst(leaf);
    return inst !== (NONE as Inst) && this.eg.isNodeInst(inst) ? inst : (NONE as Inst);
  }

  private isRematClass(cls: Value): boolean {
    const inst = this.nodeOf(this.eg.bestLeaf.get(cls) as Value);
    return inst !== (NONE as Inst) && isRemat(this.func.dfg.opcode(inst));
  }

  /** Returns a value for `v0`'s e-class usable at path `level` before `before`. */
  private elaborate(v0: Value, level: number, before: Inst): Value {
    return this.elaborateClass(this.eg.classOf(v0), level, before);
  }

  private elaborateClass(cls: Value, level: number, before: Inst): Value {
    const dfg = this.func.dfg;
    const leaf = this.eg.bestLeaf.get(cls) as Value;
    const inst = this.nodeOf(leaf);
    const remat = inst !== (NONE as Inst) && isRemat(dfg.opcode(inst));
    let a = this.avail(cls);
    if (a !== NONE && (!remat || this.elabLevel.get(cls) === level)) return a as Value;
    a = this.avail(leaf);
    if (a !== NONE && (!remat || this.elabLevel.get(leaf) === level)) return a as Value;
    if (inst === (NONE as Inst)) {
      throw new OptimizerError(`v${leaf} is used where its definition is not available`);
    }
    // The node's e-class operands: still its arguments until its first placement.
    const placed = this.placedInst.get(inst) === this.epoch;
    const n = dfg.numArgs(inst);
    const classArgs = this.classArgData;
    const at = placed ? this.classArgAt.get(inst) : 0;
    const stack = this.argStack;
    const base = this.argTop;
    this.argTop = base + n;
    for (let i = 0; i < n; i++) stack[base + i] = NONE as Value;
    let minLevel = 0;
    for (let i = 0; i < n; i++) {
      const ac = this.eg.classOf(placed ? classArgs[at + i] : dfg.arg(inst, i));
      if (this.isRematClass(ac)) continue;
      const v = this.elaborateClass(ac, level, before);
      stack[base + i] = v;
      const l = this.levelOf(v, ac);
      if (l > minLevel) minLevel = l;
    }
    let target = level;
    if (!remat) {
      for (let j = level - 1; j >= minLevel; j--) if (this.pathDepth[j] < this.pathDepth[target]) target = j;
    }
    const point = target === level ? before : this.func.layout.lastInst(this.pathBlock[target]);
    for (let i = 0; i < n; i++) {
      if (stack[base + i] === (NONE as Value)) stack[base + i] = this.elaborate(placed ? classArgs[at + i] : dfg.arg(inst, i), target, point);
    }
    let result: Value;
    if (!placed) {
      this.placedInst.set(inst, this.epoch);
      const end = this.classArgEnd;
      this.classArgAt.set(inst, end);
      for (let i = 0; i < n; i++) classArgs[end + i] = dfg.arg(inst, i);
      this.classArgEnd = end + n;
      for (let i = 0; i < n; i++) dfg.setArg(inst, i, stack[base + i]);
      this.func.layout.insertInst(inst, point);
      result = leaf;
    } else {
      const copy = dfg.makeInst(dfg.opcode(inst), dfg.ctrlType(inst), stack.slice(base, base + n), dfg.imm0(inst), dfg.imm1(inst), dfg.imm2(inst));
      dfg.appendResult(copy, dfg.valueType_(leaf));
      this.placedInst.set(copy, this.epoch);
      this.func.layout.insertInst(copy, point);
      result = dfg.result(copy, 0);
      if (remat) this.counters.remat++;
    }
    this.argTop = base;
    this.counters.placed++;
    if (target !== level) this.counters.hoisted++;
    this.setAvail(cls, result, target);
    this.setAvail(leaf, result, target);
    return result;
  }

  /** The path level at which elaborated `v` (for e-class `cls`) is defined. */
  private levelOf(v: Value, cls: Value): number {
    if (this.avail(cls) === v) return this.elabLevel.get(cls);
    const leaf = this.eg.bestLeaf.get(cls);
    if (this.avail(leaf as Value) === v) return this.elabLevel.get(leaf);
    return this.pathLen - 1;
  }
}
