// Block lowering order: which machine blocks exist and in what order. Every
// reachable CLIF block becomes one machine block, in reverse postorder with
// cold blocks moved to the end; every critical edge (from a block with
// several successors to a block with several predecessors, counted per
// edge, so duplicate destinations are separate edges) gets its own edge
// block, placed right after its source.
//
// Invariants: machine block 0 is the CLIF entry block; a machine block's
// position in `kinds` is its index; no machine edge is critical; each edge
// block has exactly one predecessor and one successor.

import type { Block, Function, Inst } from '@clift/ir';
import { NONE } from '@clift/ir';

export class BlockLoweringOrder {
  /** Per machine block: the CLIF block, or NONE for an edge block. */
  readonly irBlock: Int32Array;
  /** Per edge block: its CLIF source, destination and successor index; -1 for CLIF blocks. */
  readonly edgeFrom: Int32Array;
  readonly edgeTo: Int32Array;
  readonly edgeSucc: Int32Array;
  /** Per CLIF block: its machine block, or -1 when unreachable. */
  readonly loweredIndex: Int32Array;
  /** Successors of each machine block (machine indices), with offsets. */
  readonly succStart: Int32Array;
  readonly succs: Int32Array;
  readonly predStart: Int32Array;
  readonly preds: Int32Array;
  readonly numBlocks: number;

  constructor(func: Function) {
    const dfg = func.dfg;
    const layout = func.layout;
    const nIr = dfg.numBlocks();
    const entry = layout.entryBlock();
    const irSuccs: Block[][] = [];
    const predCount = new Int32Array(nIr);
    const terminatorOf = (b: Block): Inst => layout.lastInst(b);
    for (const b of layout.blockArray()) {
      const term = terminatorOf(b);
      const succs: Block[] = [];
      if (term !== (NONE as Inst)) for (const bc of dfg.branchDestinations(term)) succs.push(dfg.blockCallBlock(bc));
      irSuccs[b] = succs;
    }
    // Reverse postorder from the entry (iterative DFS), then cold blocks last.
    const visited = new Uint8Array(nIr);
    const post: Block[] = [];
    if (entry !== undefined) {
      const stack: [Block, number][] = [[entry, 0]];
      visited[entry] = 1;
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        const succs = irSuccs[top[0]] ?? [];
        if (top[1] < succs.length) {
          // Successors are visited last-first so that reverse postorder lays
          // out the first successor (brif's `then` block) first.
          const s = succs[succs.length - 1 - top[1]++];
          if (!visited[s]) {
            visited[s] = 1;
            stack.push([s, 0]);
          }
        } else {
          post.push(top[0]);
          stack.pop();
        }
      }
    }
    const rpo = post.reverse();
    for (const b of rpo) for (const s of irSuccs[b]) predCount[s]++;
    const hot = rpo.filter((b, i) => i === 0 || !layout.isCold(b));
    const cold = rpo.filter((b, i) => i !== 0 && layout.isCold(b));
    const order = [...hot, ...cold];

    const irBlock: number[] = [];
    const edgeFrom: number[] = [];
    const edgeTo: number[] = [];
    const edgeSucc: number[] = [];
    const loweredIndex = new Int32Array(nIr).fill(-1);
    for (const b of order) {
      loweredIndex[b] = irBlock.length;
      irBlock.push(b);
      edgeFrom.push(-1);
      edgeTo.push(-1);
      edgeSucc.push(-1);
      const succs = irSuccs[b];
      if (succs.length > 1) {
        succs.forEach((s, k) => {
          if (predCount[s] > 1) {
            irBlock.push(NONE);
            edgeFrom.push(b);
            edgeTo.push(s);
            edgeSucc.push(k);
          }
        });
      }
    }
    const n = irBlock.length;
    this.numBlocks = n;
    this.irBlock = Int32Array.from(irBlock);
    this.edgeFrom = Int32Array.from(edgeFrom);
    this.edgeTo = Int32Array.from(edgeTo);
    this.edgeSucc = Int32Array.from(edgeSucc);
    this.loweredIndex = loweredIndex;
    // Machine successors: a CLIF block's k-th successor is the edge block for (b, k) if any.
    const edgeIndex = new Map<string, number>();
    for (let i = 0; i < n; i++) if (this.edgeFrom[i] >= 0) edgeIndex.set(`${this.edgeFrom[i]}:${this.edgeSucc[i]}`, i);
    const succLists: number[][] = [];
    for (let i = 0; i < n; i++) {
      if (this.edgeFrom[i] >= 0) succLists.push([loweredIndex[this.edgeTo[i]]]);
      else {
        const b = this.irBlock[i];
        succLists.push(irSuccs[b].map((s, k) => edgeIndex.get(`${b}:${k}`) ?? loweredIndex[s]));
      }
    }
    const predLists: number[][] = Array.from({ length: n }, () => []);
    succLists.forEach((ss, i) => ss.forEach((s) => predLists[s].push(i)));
    this.succStart = new Int32Array(n + 1);
    this.predStart = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) {
      this.succStart[i + 1] = this.succStart[i] + succLists[i].length;
      this.predStart[i + 1] = this.predStart[i] + predLists[i].length;
    }
    this.succs = Int32Array.from(succLists.flat());
    this.preds = Int32Array.from(predLists.flat());
  }

  blockSuccs(b: number): Int32Array {
    return this.succs.subarray(this.succStart[b], this.succStart[b + 1]);
  }
  blockPreds(b: number): Int32Array {
    return this.preds.subarray(this.predStart[b], this.predStart[b + 1]);
  }
  isEdge(b: number): boolean {
    return this.edgeFrom[b] >= 0;
  }
}
