// The CFG of a function as a Graphviz `digraph`, in the shape upstream's
// `test print-cfg` checks: one record node per block in layout order whose
// label is the block header and its last instruction (tagged `<instN>` so
// edges can name the branch), then one `blockA:instN -> blockB` edge per
// predecessor entry.
//
// Edges are listed per destination block in layout order and, within a
// block, by branch instruction number, so the text is deterministic.

import { ControlFlowGraph, NONE, formatUserFuncName, printInst, typeName, type Block, type Function } from '@clift/ir';

/** `block1(v3: i32) cold:` — the header line as the printer writes it. */
export function blockHeader(func: Function, b: Block): string {
  const params = func.dfg.blockParams(b);
  let s = `block${b}`;
  if (params.length > 0) s += `(${params.map((v) => `v${v}: ${typeName(func.dfg.valueType_(v))}`).join(', ')})`;
  if (func.layout.isCold(b)) s += ' cold';
  return s + ':';
}

export function printCfg(func: Function, cfg: ControlFlowGraph = ControlFlowGraph.compute(func)): string {
  const { layout } = func;
  let out = `digraph "${formatUserFuncName(func.name)}" {\n`;
  const entry = layout.entryBlock();
  if (entry !== undefined) out += `    {rank=min; block${entry}}\n`;
  for (const b of layout.blocks()) {
    out += `    block${b} [shape=record, label="{${blockHeader(func, b)}\n`;
    const last = layout.lastInst(b);
    if (last !== NONE) out += ` | <inst${last}>${printInst(func, last)}\n`;
    out += '}"]\n';
  }
  for (const b of layout.blocks()) {
    const preds = [...cfg.preds(b)].sort((x, y) => x.inst - y.inst);
    for (const p of preds) out += `    block${p.block}:inst${p.inst} -> block${b}\n`;
  }
  return out + '}\n';
}
