// Function: a CLIF function — its name, signature, the per-function entity
// tables (stack slots, global values, regions), the DataFlowGraph and the
// Layout.
//
// Invariant: every entity an instruction refers to exists in the matching
// table of this function (the verifier checks it for input it did not build).
//
// The entity tables are made on first access (most functions declare no
// stack slot, global value, region or user name; the test suites parse
// thousands of small functions), and hang off one object made with the
// first of them; `numGlobalValues()` and friends read a table's length
// without making it. The DFG's and the Layout's first tables are regions
// of one range of a pool slab, carved here (see their constructors): a
// function makes no typed array of its own until a table outgrows its
// region.

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
const { carveWords, slabWords } = pool;

/** A Function's entity tables, each made on first use. */
class FunctionTables {
  stackSlots: (StackSlotData | undefined)[] | undefined = undefined;
  dynamicStackSlots: (DynamicStackSlotData | undefined)[] | undefined = undefined;
  globalValues: (GlobalValueData | undefined)[] | undefined = undefined;
  aliasRegions: (AliasRegionData | undefined)[] | undefined = undefined;
  userNamedFuncs: UserExternalName[] | undefined = undefined;
}

export class Function {
  name: UserFuncName;
  signature: Signature;
  /** The entity tables, made with the first of them (one field for all). */
  private t: FunctionTables | undefined = undefined;
  /** The global value giving the stack limit, when declared (`stack_limit = gvN`). */
  stackLimit: GlobalValue | undefined = undefined;
  readonly dfg: DataFlowGraph;
  readonly layout: Layout;

  constructor(name: UserFuncName = { kind: 'testcase', name: '' }, signature: Signature = newSignature()) {
    this.name = name;
    this.signature = signature;
    // One zeroed range of a shared slab holds the first tables of both:
    // even a view costs about as much to make as a small function's
    // records cost to fill.
    const base = carveWords(DFG_STORAGE_WORDS + LAYOUT_STORAGE_WORDS);
    const storage = slabWords();
    this.dfg = new DataFlowGraph(storage, base);
    this.layout = new Layout(storage, base + DFG_STORAGE_WORDS);
  }

  private tables(): FunctionTables {
    return (this.t ??= new FunctionTables());
  }
  get stackSlots(): (StackSlotData | undefined)[] {
    return (this.tables().stackSlots ??= []);
  }
  get dynamicStackSlots(): (DynamicStackSlotData | undefined)[] {
    return (this.tables().dynamicStackSlots ??= []);
  }
  get globalValues(): (GlobalValueData | undefined)[] {
    return (this.tables().globalValues ??= []);
  }
  /** Declared alias regions (`regionN = id "name"`). */
  get aliasRegions(): (AliasRegionData | undefined)[] {
    return (this.tables().aliasRegions ??= []);
  }
  /** Interned user names (`userextnameN = u0:1`). */
  get userNamedFuncs(): UserExternalName[] {
    return (this.tables().userNamedFuncs ??= []);
  }
  /** Table lengths (counting holes), without making the tables. */
  numDynamicStackSlots(): number {
    return this.t?.dynamicStackSlots?.length ?? 0;
  }
  numGlobalValues(): number {
    return this.t?.globalValues?.length ?? 0;
  }
  numAliasRegions(): number {
    return this.t?.aliasRegions?.length ?? 0;
  }
  /** Global value `gvN` if declared; never creates the table. */
  globalValueAt(gv: number): GlobalValueData | undefined {
    return this.t?.globalValues?.[gv];
  }

  /** Interns a user name, returning its `userextnameN` index. */
  declareUserName(n: UserExternalName): number {
    const i = this.userNamedFuncs.findIndex((x) => x.namespace === n.namespace && x.index === n.index);
    if (i >= 0) return i;
    return this.userNamedFuncs.push(n) - 1;
  }
}
