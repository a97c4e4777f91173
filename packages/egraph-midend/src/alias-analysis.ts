// Alias analysis over memory categories: redundant-load elimination,
// store-to-load forwarding and removal of idempotent stores (then, unless
// told otherwise, dead store elimination from dead-stores.ts).
//
// Memory is split into disjoint categories by memflags: the `heap`,
// `table` and `vmctx` regions, each declared `regionN`, and everything else.
// A forward dataflow over the CFG gives, at each instruction, the last
// instruction that may have written each category (a store of that
// category, or any call, fence, atomic or other instruction that may write
// memory), with a per-block marker where predecessors disagree. Two memory
// accesses of the same category, kind, type, address value and offset that
// see the same last writer read the same bytes, so a later load whose
// earlier twin (or a store to the same place) dominates it is replaced by
// that value, and a store of the value those bytes are known to hold goes.
//
// Invariants: nothing is removed unless its replacement dominates it; a
// load is only forwarded from a store that wrote exactly its bytes (same
// opcode width and type); trapping behaviour is preserved because the
// earlier access to the same address would have trapped first.

import {
  ALL_OPCODES,
  InstructionFormat,
  MemFlagBit,
  MemFlags,
  NONE,
  Opcode,
  canLoad,
  canStore,
  hasSideEffects,
  isCall,
  opcodeFormat,
  otherSideEffects,
  type Block,
  type Function,
  type Inst,
  type Value,
} from '@clift/ir';
import { eliminateDeadStores } from './dead-stores.js';
import { computeFlow, type Flow } from './flow.js';

export interface AliasAnalysisStats {
  loadsRemoved: number;
  storesRemoved: number;
}

/** The memory category of an access: 0 other, 1 heap, 2 table, 3 vmctx, 4+N regionN. */
export function memoryCategory(flags: MemFlags): number {
  const idx = MemFlags.regionIndex(flags);
  if (idx !== undefined) return 4 + idx;
  return MemFlags.aliasRegion(flags);
}

const CATEGORIES = 4 + 256;

// Per opcode, decided once (the passes ask for every instruction):
/** A load of the plain `load` format (a plain load when it has one result). */
const A_LOAD = 1;
/** A plain store. */
const A_STORE = 2;
/** May write memory of any category when it is not a plain load or store. */
const A_CLOBBERS = 4;

const ACCESS_KIND = new Uint8Array(ALL_OPCODES.reduce((m, op) => Math.max(m, op), 0) + 1);
for (const op of ALL_OPCODES) {
  const fmt = opcodeFormat(op);
  let k = 0;
  if (fmt === InstructionFormat.Load && op !== Opcode.AtomicLoad && canLoad(op)) k |= A_LOAD;
  if (fmt === InstructionFormat.Store && op !== Opcode.AtomicStore && canStore(op)) k |= A_STORE;
  if (op === Opcode.Fence || canStore(op) || isCall(op) || otherSideEffects(op) || (canLoad(op) && hasSideEffects(op))) k |= A_CLOBBERS;
  ACCESS_KIND[op] = k;
}

function isPlainLoad(func: Function, inst: Inst): boolean {
  return (ACCESS_KIND[func.dfg.opcode(inst)] & A_LOAD) !== 0 && func.dfg.numResults(inst) === 1;
}
function isPlainStore(func: Function, inst: Inst): boolean {
  return (ACCESS_KIND[func.dfg.opcode(inst)] & A_STORE) !== 0;
}

/** Whether `inst` may write memory of any category (other than a plain store's own). */
function clobbersAll(func: Function, inst: Inst): boolean {
  const k = ACCESS_KIND[func.dfg.opcode(inst)];
  if ((k & A_CLOBBERS) === 0 || (k & A_STORE) !== 0) return false;
  return (k & A_LOAD) === 0 || func.dfg.numResults(inst) !== 1;
}

export interface AliasAnalysisOptions {
  /**
   * Also remove dead stores afterwards (default true, as upstream's
   * `alias-analysis` pass does). The optimizer turns this off and runs the
   * elimination after elaboration, when addresses are GVN-canonical.
   */
  readonly deadStores?: boolean;
  /** The function's current control-flow facts, when the caller has them. */
  readonly flow?: Flow;
}

export function runAliasAnalysis(func: Function, opts: AliasAnalysisOptions = {}): AliasAnalysisStats {
  const stats: AliasAnalysisStats = { loadsRemoved: 0, storesRemoved: 0 };
  const flow = opts.flow ?? computeFlow(func);
  if (flow !== undefined) {
    const r = removeRedundantAccesses(func, flow);
    stats.loadsRemoved = r.loads;
    stats.storesRemoved = r.stores;
  }
  if ((opts.deadStores ?? true) && flow !== undefined) {
    const r = removeDeadAndIdempotentStores(func, flow);
    stats.storesRemoved += r.stores;
    stats.loadsRemoved += r.loads;
  }
  return stats;
}

/**
 * Dead store elimination, then again idempotent-store removal while either
 * finds something: removing a dead store can expose the memory version
 * before it to a later store, which then writes what memory already holds
 * (a save / clear / restore sequence collapses entirely). `flow` must
 * describe the current CFG; neither pass changes it.
 */
export function removeDeadAndIdempotentStores(func: Function, flow: Flow): { stores: number; loads: number } {
  let stores = 0;
  let loads = 0;
  for (;;) {
    const dead = eliminateDeadStores(func, flow);
    stores += dead;
    if (dead === 0) break;
    const r = removeRedundantAccesses(func, flow);
    stores += r.stores;
    loads += r.loads;
    if (r.stores === 0) break;
  }
  return { stores, loads };
}

/** Known memory contents: the value a load read or a store wrote, keyed by what identifies the bytes. */
class KnownAccesses {
  /** Per record: ver, category, address, offset, kind, type, endianness. */
  private readonly keys: number[] = [];
  /** Per record: the value and the instruction that read or wrote it. */
  private readonly vals: number[] = [];
  private n = 0;
  private slots = new Int32Array(16).fill(-1);

  /** Forgets every record (the table is reused from call to call). */
  clear(): void {
    if (this.n === 0) return;
    this.n = 0;
    this.slots.fill(-1);
  }

  /** The record with this key, or -1. */
  find(ver: number, c: number, addr: number, off: number, kind: number, ty: number, endian: number): number {
    const m = this.slots.length - 1;
    const k = this.keys;
    for (let i = accessHash(ver, c, addr, off, kind, ty, endian) & m; ; i = (i + 1) & m) {
      const r = this.slots[i];
      if (r < 0) return -1;
      const o = r * 7;
      if (k[o] === ver && k[o + 1] === c && k[o + 2] === addr && k[o + 3] === off && k[o + 4] === kind && k[o + 5] === ty && k[o + 6] === endian) return r;
    }
  }
  value(r: number): Value {
    return this.vals[r * 2] as Value;
  }
  inst(r: number): Inst {
    return this.vals[r * 2 + 1] as Inst;
  }

  /** Records (or replaces) what the bytes under this key hold. */
  set(ver: number, c: number, addr: number, off: number, kind: number, ty: number, endian: number, value: Value, inst: Inst): void {
    let r = this.find(ver, c, addr, off, kind, ty, endian);
    if (r < 0) {
      if ((this.n + 1) * 2 > this.slots.length) this.grow();
      r = this.n++;
      const k = this.keys;
      const o = r * 7;
      k[o] = ver;
      k[o + 1] = c;
      k[o + 2] = addr;
      k[o + 3] = off;
      k[o + 4] = kind;
      k[o + 5] = ty;
      k[o + 6] = endian;
      this.vals[r * 2] = value;
      this.vals[r * 2 + 1] = inst;
      this.place(r);
      return;
    }
    this.vals[r * 2] = value;
    this.vals[r * 2 + 1] = inst;
  }

  private place(r: number): void {
    const k = this.keys;
    const o = r * 7;
    const m = this.slots.length - 1;
    let i = accessHash(k[o], k[o + 1], k[o + 2], k[o + 3], k[o + 4], k[o + 5], k[o + 6]) & m;
    while (this.slots[i] >= 0) i = (i + 1) & m;
    this.slots[i] = r;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    for (let r = 0; r < this.n; r++) this.place(r);
  }
}

function mix(h: number, x: number): number {
  return Math.imul(h ^ x, 0x9e3779b1) ^ (h >>> 15);
}

function accessHash(ver: number, c: number, addr: number, off: number, kind: number, ty: number, endian: number): number {
  let h = mix(0x2545f491, ver);
  h = mix(h, c);
  h = mix(h, addr);
  h = mix(h, off);
  h = mix(h, kind);
  h = mix(h, ty);
  h = mix(h, endian);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The one table `removeRedundantAccesses` uses (it runs to completion before the next call). */
const sharedKnown = new KnownAccesses();

/** A store opcode as a record kind, apart from load opcodes. */
const STORE_KIND = 0x10000;

/** Removes redundant loads and idempotent stores; returns how many of each. */
function removeRedundantAccesses(func: Function, flow: Flow): { loads: number; stores: number } {
  const { dfg, layout } = func;
  let loadsRemoved = 0;
  let storesRemoved = 0;
  const rpo = flow.rpo;
  const entryMarker = (b: Block, c: number): number => -(2 + b * CATEGORIES + c);

  // Categories the function touches (a memory state holds one last writer
  // per category, in this order).
  const cats: number[] = [];
  let loads = 0;
  let stores = 0;
  for (const b of rpo) {
    for (let inst = layout.firstInst(b); inst !== (NONE as Inst); inst = layout.nextInst(inst)) {
      const load = isPlainLoad(func, inst);
      const store = !load && isPlainStore(func, inst);
      if (load) loads++;
      if (store) stores++;
      if (load || store) {
        const c = memoryCategory(dfg.imm0(inst) as MemFlags);
        if (!cats.includes(c)) cats.push(c);
      }
    }
  }
  // Only loads and stores after a load or store can be removed.
  if (loads === 0 && stores < 2) return { loads: 0, stores: 0 };
  const nc = cats.length;
  const slotOf = (c: number): number => cats.indexOf(c);
  const zeroSlot = slotOf(0);

  // An access in category 0 (no region) may touch memory of any region,
  // so a store there clobbers every category, and a store to a region also
  // clobbers category 0 (upstream's alias/issue-13508.clif).
  const transfer = (s: number[], inst: Inst): void => {
    if (isPlainStore(func, inst)) {
      const c = memoryCategory(dfg.imm0(inst) as MemFlags);
      if (c === 0) s.fill(inst);
      else {
        s[slotOf(c)] = inst;
        if (zeroSlot >= 0) s[zeroSlot] = inst;
      }
    } else if (clobbersAll(func, inst)) s.fill(inst);
  };

  // Dataflow to a fixpoint: block-entry states. A single block has no
  // incoming edges: its entry state is its markers, and there is nothing
  // to iterate.
  const entryState = new Map<Block, number[]>();
  if (rpo.length > 1) {
    const exitState = new Map<Block, number[]>();
    for (let changed = true; changed; ) {
      changed = false;
      for (const b of rpo) {
        const preds = flow.predBlocks(b).filter((p) => exitState.has(p));
        const inState = new Array<number>(nc);
        for (let k = 0; k < nc; k++) {
          let v: number | undefined;
          let agree = true;
          for (const p of preds) {
            const pv = exitState.get(p)![k];
            if (v === undefined) v = pv;
            else if (v !== pv) agree = false;
          }
          inState[k] = preds.length > 0 && agree && v !== undefined ? v : entryMarker(b, cats[k]);
        }
        entryState.set(b, inState);
        const out = inState.slice();
        for (let inst = layout.firstInst(b); inst !== (NONE as Inst); inst = layout.nextInst(inst)) transfer(out, inst);
        const old = exitState.get(b);
        if (!old || old.some((x, k) => x !== out[k])) {
          exitState.set(b, out);
          changed = true;
        }
      }
    }
  }

  const known = sharedKnown;
  known.clear();
  for (const b of rpo) {
    let s: number[];
    if (rpo.length === 1) {
      s = [];
      for (let k = 0; k < nc; k++) s.push(entryMarker(b, cats[k]));
    } else s = entryState.get(b)!.slice();
    for (let inst = layout.firstInst(b), next: Inst; inst !== (NONE as Inst); inst = next) {
      next = layout.nextInst(inst);
      const op = dfg.opcode(inst);
      if (isPlainLoad(func, inst)) {
        const flags = dfg.imm0(inst) as MemFlags;
        const c = memoryCategory(flags);
        const addr = dfg.resolveAliases(dfg.arg(inst, 0));
        const res = dfg.result(inst, 0);
        const ty = dfg.valueType_(res);
        const ver = s[slotOf(c)];
        const endian = flags & (MemFlagBit.Big | MemFlagBit.Little);
        const off = dfg.imm1(inst);
        let hit = known.find(ver, c, addr, off, op, ty, endian);
        if (hit < 0 && op === Opcode.Load) hit = known.find(ver, c, addr, off, STORE_KIND | Opcode.Store, ty, endian);
        if (hit >= 0 && layout.isInstInserted(known.inst(hit)) && flow.instDominates(known.inst(hit), inst)) {
          layout.removeInst(inst);
          dfg.changeToAlias(res, known.value(hit));
          loadsRemoved++;
          continue;
        }
        known.set(ver, c, addr, off, op, ty, endian, res, inst);
      } else if (isPlainStore(func, inst)) {
        const flags = dfg.imm0(inst) as MemFlags;
        const c = memoryCategory(flags);
        const val = dfg.resolveAliases(dfg.arg(inst, 0));
        const addr = dfg.resolveAliases(dfg.arg(inst, 1));
        const ty = dfg.valueType_(val);
        const endian = flags & (MemFlagBit.Big | MemFlagBit.Little);
        const off = dfg.imm1(inst);
        // An idempotent store writes what its bytes already hold: the value
        // a dominating load of exactly those bytes read, or a dominating
        // store wrote, with no write of the category in between. It changes
        // nothing, and the earlier access to the same address would have
        // trapped first, so it goes and the memory version stays.
        const ver = s[slotOf(c)];
        let same = op === Opcode.Store ? known.find(ver, c, addr, off, Opcode.Load, ty, endian) : -1;
        if (same < 0) same = known.find(ver, c, addr, off, STORE_KIND | op, ty, endian);
        if (same >= 0 && known.value(same) === val && layout.isInstInserted(known.inst(same)) && flow.instDominates(known.inst(same), inst)) {
          layout.removeInst(inst);
          storesRemoved++;
          continue;
        }
        transfer(s, inst);
        known.set(inst, c, addr, off, STORE_KIND | op, ty, endian, val, inst);
        continue;
      }
      transfer(s, inst);
    }
  }
  return { loads: loadsRemoved, stores: storesRemoved };
}
