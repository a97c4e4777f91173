// Function: a CLIF function — its name, signature, the per-function entity
// tables (stack slots, global values, regions), the DataFlowGraph and the
// Layout.
//
// Invariant: every entity an instruction refers to exists in the matching
// table of this function (the verifier checks it for input it did not build).
//
// The entity tables are made on first access (most functions declare no
// stack slot, global value, region or user name; the test suites parse
// thousands of small functions); `numGlobalValues()` and friends read a
// table's length without making it. The DFG's and the Layout's first
// tables share one typed array, made here (see their constructors).

import * as dfgModule from './dfg.js';
import * as layoutModule from './layout.js';
import * as pool from './pool.js';
import type { GlobalValue } from './entities.js';
import type {
  AliasRegionData,
  DynamicStackSlotData,
  GlobalValueData,
  StackSlotData,
} from './entity-data.js';
import { newSignature, type Signature, type UserExternalName, type UserFuncName } from './signature.js';

// Imported bindings are live, so V8 reads them afresh at every use; what
// the constructor uses is copied into module constants.
const { DataFlowGraph, DFG_STORAGE_WORDS } = dfgModule;
type DataFlowGraph = dfgModule.DataFlowGraph;
const { Layout, LAYOUT_STORAGE_WORDS } = layoutModule;
type Layout = layoutModule.Layout;
const { newU32 } = pool;

export class Function {
  name: UserFuncName;
  signature: Signature;
  private stackSlots_: (StackSlotData | undefined)[] | undefined = undefined;
  private dynamicStackSlots_: (DynamicStackSlotData | undefined)[] | undefined = undefined;
  private globalValues_: (GlobalValueData | undefined)[] | undefined = undefined;
  private aliasRegions_: (AliasRegionData | undefined)[] | undefined = undefined;
  private userNamedFuncs_: UserExternalName[] | undefined = undefined;
  /** The global value giving the stack limit, when declared (`stack_limit = gvN`). */
  stackLimit: GlobalValue | undefined = undefined;
  readonly dfg: DataFlowGraph;
  readonly layout: Layout;

  constructor(name: UserFuncName = { kind: 'testcase', name: '' }, signature: Signature = newSignature()) {
    this.name = name;
    this.signature = signature;
    // One zeroed array holds the first tables of both: a typed array costs
    // about as much to make as a small function's records cost to fill.
    const storage = newU32(DFG_STORAGE_WORDS + LAYOUT_STORAGE_WORDS);
    this.dfg = new DataFlowGraph(storage, 0);
    this.layout = new Layout(storage, DFG_STORAGE_WORDS);
  }

  get stackSlots(): (StackSlotData | undefined)[] {
    return (this.stackSlots_ ??= []);
  }
  get dynamicStackSlots(): (DynamicStackSlotData | undefined)[] {
    return (this.dynamicStackSlots_ ??= []);
  }
  get globalValues(): (GlobalValueData | undefined)[] {
    return (this.globalValues_ ??= []);
  }
  /** Declared alias regions (`regionN = id "name"`). */
  get aliasRegions(): (AliasRegionData | undefined)[] {
    return (this.aliasRegions_ ??= []);
  }
  /** Interned user names (`userextnameN = u0:1`). */
  get userNamedFuncs(): UserExternalName[] {
    return (this.userNamedFuncs_ ??= []);
  }
  /** Table lengths (counting holes), without making the tables. */
  numDynamicStackSlots(): number {
    return this.dynamicStackSlots_?.length ?? 0;
  }
  numGlobalValues(): number {
    return this.globalValues_?.length ?? 0;
  }
  numAliasRegions(): number {
    return this.aliasRegions_?.length ?? 0;
  }
  /** Global value `gvN` if declared; never creates the table. */
  globalValueAt(gv: number): GlobalValueData | undefined {
    return this.globalValues_?.[gv];
  }

  /** Interns a user name, returning its `userextnameN` index. */
  declareUserName(n: UserExternalName): number {
    const i = this.userNamedFuncs.findIndex((x) => x.namespace === n.namespace && x.index === n.index);
    if (i >= 0) return i;
    return this.userNamedFuncs.push(n) - 1;
  }
}
