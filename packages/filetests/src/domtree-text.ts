// The dominator tree as text for `test domtree`'s FileCheck stage:
//
//   cfg_postorder: block6 block3 … block0
//   domtree_preorder {
//       block0: block1 block2
//       block1:
//       …
//   }
//
// The preorder walks children in the order the tree reports them, so the
// text pins down both the tree and that order.

import type { DominatorTree, Function } from '@clift/ir';

export function domtreeText(func: Function, domtree: DominatorTree): string {
  let s = 'cfg_postorder:';
  for (const b of domtree.cfgPostorder()) s += ` block${b}`;
  s += '\ndomtree_preorder {\n';
  const entry = func.layout.entryBlock();
  const stack = entry === undefined ? [] : [entry];
  while (stack.length > 0) {
    const b = stack.pop()!;
    const children = domtree.childrenOf(b);
    s += `    block${b}:${children.map((c) => ` block${c}`).join('')}\n`;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return s + '}\n';
}
