// Function: a CLIF function — its name, signature, the per-function entity
// tables (stack slots, global values, regions), the DataFlowGraph and the
// Layout.
//
// Invariant: every entity an instruction refers to exists in the matching
// table of this function (the verifier checks it for input it did not build).

import { DataFlowGraph } from './dfg.js';
import { Layout } from './layout.js';
import type { GlobalValue } from './entities.js';
import type {
  AliasRegionData,
  DynamicStackSlotData,
  GlobalValueData,
  StackSlotData,
} from './entity-data.js';
import { newSignature, type Signature, type UserExternalName, type UserFuncName } from './signature.js';

export class Function {
  name: UserFuncName;
  signature: Signature;
  readonly stackSlots: (StackSlotData | undefined)[] = [];
  readonly dynamicStackSlots: (DynamicStackSlotData | undefined)[] = [];
  readonly globalValues: (GlobalValueData | undefined)[] = [];
  /** Declared alias regions (`regionN = id "name"`). */
  readonly aliasRegions: (AliasRegionData | undefined)[] = [];
  /** Interned user names (`userextnameN = u0:1`). */
  readonly userNamedFuncs: UserExternalName[] = [];
  /** The global value giving the stack limit, when declared (`stack_limit = gvN`). */
  stackLimit: GlobalValue | undefined = undefined;
  readonly dfg = new DataFlowGraph();
  readonly layout = new Layout();

  constructor(name: UserFuncName = { kind: 'testcase', name: '' }, signature: Signature = newSignature()) {
    this.name = name;
    this.signature = signature;
  }

  /** Interns a user name, returning its `userextnameN` index. */
  declareUserName(n: UserExternalName): number {
    const i = this.userNamedFuncs.findIndex((x) => x.namespace === n.namespace && x.index === n.index);
    if (i >= 0) return i;
    return this.userNamedFuncs.push(n) - 1;
  }
}
