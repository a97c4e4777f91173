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

import { NONE, type Block, type Function, type Inst, type Value, ValueKind } from '@clift/ir';
import { isRemat } from './cost.js';
import { OptimizerError, type EGraph } from './egraph.js';
import type { Flow } from './flow.js';
import type { TablePool, U32Table } from './value-table.js';

export interface ElabCounters {
  placed: number;
  hoisted: number;
  remat: number;
}

export class Elaborator {
  private readonly elabValue: U32Table;
  private readonly elabLevel: U32Table;
  private readonly elabGen: U32Table;
  /** Original node instructions already placed once (later placements clone them). */
  private readonly placedInst: U32Table;
  /** E-class operands of original node instructions whose operands placement rewrote. */
  private readonly classArgs = new Map<Inst, Value[]>();
  private pathBlock: Block[] = [];
  private pathGen: number[] = [];
  private pathDepth: number[] = [];
  private gen = 0;
  readonly counters: ElabCounters = { placed: 0, hoisted: 0, remat: 0 };

  constructor(
    private readonly func: Function,
    private readonly eg: EGraph,
    private readonly flow: Flow,
    pool: TablePool,
  ) {
    this.elabValue = pool.u32(NONE);
    this.elabLevel = pool.u32(0);
    this.elabGen = pool.u32(NONE);
    this.placedInst = pool.u32(0);
  }

  run(entry: Block): void {
    // Explicit DFS over the dominator tree: [block, child index].
    const stack: [Block, number][] = [[entry, -1]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [block, ci] = top;
      if (ci < 0) {
        this.enter(block, stack.length - 1);
        top[1] = 0;
        continue;
      }
      const kids = this.flow.childrenOf(block);
      if (ci < kids.length) {
        top[1] = ci + 1;
        stack.push([kids[ci], -1]);
      } else {
        stack.pop();
        this.pathBlock.length = stack.length;
        this.pathGen.length = stack.length;
        this.pathDepth.length = stack.length;
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
    const insts: Inst[] = [...layout.blockInsts(block)];
    for (const inst of insts) {
      dfg.mapUses(inst, (v) => this.elaborate(v, level, inst));
      const nr = dfg.numResults(inst);
      for (let i = 0; i < nr; i++) this.setAvail(dfg.result(inst, i), dfg.result(inst, i), level);
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
    return lvl < this.pathGen.length && this.pathGen[lvl] === g ? this.elabValue.get(key) : NONE;
  }

  private isRematClass(cls: Value): boolean {
    const leaf = this.eg.bestLeaf.get(cls) as Value;
    const inst = this.func.dfg.valueInst(leaf);
    return inst !== (NONE as Inst) && this.isNodeLeaf(leaf) && isRemat(this.func.dfg.opcode(inst));
  }

  private isNodeLeaf(leaf: Value): boolean {
    const dfg = this.func.dfg;
    return dfg.valueKindOf(leaf) === ValueKind.Result && this.eg.isNodeInst(dfg.valueInst(leaf));
  }

  /** Returns a value for e-class `v0` usable at path `level` before `before`. */
  private elaborate(v0: Value, level: number, before: Inst): Value {
    const dfg = this.func.dfg;
    const cls = this.eg.classOf(v0);
    const leaf = this.eg.bestLeaf.get(cls) as Value;
    const remat = this.isRematClass(cls);
    for (const key of [cls, leaf]) {
      const a = this.avail(key);
      if (a !== NONE && (!remat || this.elabLevel.get(key) === level)) return a as Value;
    }
    if (!this.isNodeLeaf(leaf)) {
      throw new OptimizerError(`v${leaf} is used where its definition is not available`);
    }
    const inst = dfg.valueInst(leaf);
    const classArgs = this.classArgs.get(inst) ?? dfg.instArgs(inst);
    const n = classArgs.length;
    const args: Value[] = new Array<Value>(n);
    let minLevel = 0;
    for (let i = 0; i < n; i++) {
      const a = classArgs[i];
      if (this.isRematClass(this.eg.classOf(a))) continue;
      args[i] = this.elaborate(a, level, before);
      const l = this.levelOf(args[i], a);
      if (l > minLevel) minLevel = l;
    }
    let target = level;
    if (!remat) {
      for (let j = level - 1; j >= minLevel; j--) if (this.pathDepth[j] < this.pathDepth[target]) target = j;
    }
    const point = target === level ? before : this.func.layout.lastInst(this.pathBlock[target]);
    for (let i = 0; i < n; i++) if (args[i] === undefined) args[i] = this.elaborate(classArgs[i], target, point);
    let result: Value;
    if (this.placedInst.get(inst) === 0) {
      this.placedInst.set(inst, 1);
      this.classArgs.set(inst, classArgs);
      for (let i = 0; i < n; i++) dfg.setArg(inst, i, args[i]);
      this.func.layout.insertInst(inst, point);
      result = leaf;
    } else {
      const copy = dfg.makeInst(dfg.opcode(inst), dfg.ctrlType(inst), args, dfg.imm0(inst), dfg.imm1(inst), dfg.imm2(inst));
      dfg.appendResult(copy, dfg.valueType_(leaf));
      this.placedInst.set(copy, 1);
      this.func.layout.insertInst(copy, point);
      result = dfg.result(copy, 0);
      if (remat) this.counters.remat++;
    }
    this.counters.placed++;
    if (target !== level) this.counters.hoisted++;
    this.setAvail(cls, result, target);
    this.setAvail(leaf, result, target);
    return result;
  }

  /** The path level at which elaborated `v` (for class of `orig`) is defined. */
  private levelOf(v: Value, orig: Value): number {
    const cls = this.eg.classOf(orig);
    if (this.avail(cls) === v) return this.elabLevel.get(cls);
    const leaf = this.eg.bestLeaf.get(cls);
    if (this.avail(leaf as Value) === v) return this.elabLevel.get(leaf);
    return this.pathGen.length - 1;
  }
}
