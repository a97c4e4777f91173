// Textual dump of a client function, for logs and for reproducing fuzz
// failures. Owns only formatting; the format is for people, not for parsing.

import { operandToString, pregToString, REG_CLASS_NAMES, vregClass, vregIndex, type Block, type RegallocFunction, type VReg } from './index.js';

function vs(v: VReg): string {
  return `v${vregIndex(v)}:${REG_CLASS_NAMES[vregClass(v)]}`;
}

/** One line per block header and per instruction. */
export function formatFunction(f: RegallocFunction): string {
  const lines: string[] = [];
  lines.push(`function: ${f.numBlocks()} blocks, ${f.numInsts()} insts, ${f.numVregs()} vregs, entry block${f.entryBlock()}`);
  for (let b = 0; b < f.numBlocks(); b++) {
    const blk = b as Block;
    const params = Array.from(f.blockParams(blk), vs).join(', ');
    const preds = Array.from(f.blockPreds(blk)).join(',');
    lines.push(`block${b}(${params}):  ; preds [${preds}]`);
    const [first, end] = f.blockInsts(blk);
    for (let inst = first; inst < end; inst++) {
      const i: number = inst;
      const ops = Array.from(f.instOperands(inst), (o) => operandToString(o)).join(', ');
      const cl = Array.from(f.instClobbers(inst), (p) => pregToString(p)).join(' ');
      let tail = '';
      if (f.isRet(inst)) tail = ' ret';
      if (f.isBranch(inst)) {
        const succs = Array.from(f.blockSuccs(blk));
        tail = ' branch ' + succs.map((s, j) => `block${s}(${Array.from(f.branchBlockParams(blk, inst, j), vs).join(', ')})`).join(' ');
      }
      lines.push(`  inst${i}: [${ops}]${cl.length > 0 ? ` clobbers {${cl}}` : ''}${tail}`);
    }
  }
  return lines.join('\n');
}
