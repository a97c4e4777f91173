// @clift/egraph-midend: the aegraph mid-end optimizer that `opt_level=speed`
// and `speed_and_size` run before lowering. This module is the package's
// only public surface.
//
//   optimize.ts        driver: `optimize(func, opts)` and its statistics
//   egraph.ts          e-classes, union nodes, hash-consed GVN, rewriting
//   opts/*.isle        the rewrite rules (compiled to generated/opts.ts)
//   fold.ts            constant-folding arithmetic for the rules
//   cost.ts            extraction costs and rematerialization policy
//   rules.ts           which generated rule matchers run for a node's opcode
//   elaborate.ts       scoped elaboration with LICM and remat
//   flow.ts            CFG, dominance and loop facts shared by the passes
//   value-table.ts     growable typed side tables, kept across calls
//   alias-analysis.ts  redundant loads and store-to-load forwarding
//   dead-stores.ts     dead store elimination
//   cleanup.ts         unreachable blocks, constant block params, constant branches, DCE

export { optimize, countInsts, isPureForEgraph, type OptimizeOptions, type OptStats } from './optimize.js';
export { runAliasAnalysis, type AliasAnalysisOptions, type AliasAnalysisStats } from './alias-analysis.js';
export { eliminateDeadStores } from './dead-stores.js';
export { eliminateDeadCode, removeUnreachableBlocks, removeConstantBlockParams, foldConstantBranches } from './cleanup.js';
export { OptimizerError } from './egraph.js';
