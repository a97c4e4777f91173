// Input reading and validation. This module owns the one pass that reads the
// client's `RegallocFunction` (each fact through its per-item method or, when
// the client has one, its bulk accessor) into flat typed arrays
// (`FlatFunction`), every input rule that can be checked without liveness,
// and the digest of a `MachineEnv` (`FlatEnv`). It does not allocate
// registers. Both input paths fill the same columns, which the same code then
// validates, so they accept the same functions and report the same first
// error; only a malformed bulk list (`FlatLists`) has errors of its own.
//
// Both are read once per `run` and cost a small function a visible share of
// its time, so neither allocates per call in the steady state: a context's
// FlatFunction is refilled in place (its columns only grow, by doubling, and
// may be longer than their counts), and an env's digest is cached per env
// object and reused while the env still holds the registers it was digested
// from (compared on every call, so an env mutated in place is re-read).
//
// Post-invariant of `readFunction` (when it returns instead of throwing):
//   - blocks cover [0, numInsts) densely in index order, none is empty, and
//     each ends in exactly one branch or return (and has none before it);
//   - succ/pred lists agree, there are no critical edges, branch arguments
//     match their successor's parameters in count and class;
//   - every vreg index is below numVregs, has one class and exactly one
//     definition (instruction def or block parameter);
//   - operand constraints are well formed (reuse names an early reg/any use of
//     the same class, fixed pregs exist and are not scratch, limits have a
//     register, at most one vreg per fixed preg per program point, no clobber
//     of a preg that a late use or early def is fixed to);
//   - terminators have no defs; a branch into a merge block has no operands;
//   - per instruction and class, register operands fit the allocatable set.
// Liveness-dependent rules (entry live-ins, uses not reached by their def) are
// checked in ion/liveranges.ts, which throws the same error types.

import {
  CONSTRAINT_ANY,
  CONSTRAINT_FIXED,
  CONSTRAINT_LIMIT,
  CONSTRAINT_REG,
  CONSTRAINT_REUSE,
  CONSTRAINT_STACK,
  NUM_PREGS,
  REG_CLASS_NAMES,
  RegallocFailure,
  type Block,
  type Inst,
  type MachineEnv,
  type PReg,
  type FlatLists,
  type RegallocError,
  type RegallocFunction,
  type VReg,
} from './index.js';
import { BUF, type RegallocContext } from './context.js';

export const PREG_KIND_NONE = 0;
export const PREG_KIND_ALLOCATABLE = 1;
export const PREG_KIND_FIXED_STACK = 2;
export const PREG_KIND_SCRATCH = 3;

/** The machine, digested. */
export interface FlatEnv {
  /** Allocation order per class: preferred then non-preferred. */
  readonly order: readonly Int32Array[];
  /** Per preg: PREG_KIND_*. */
  readonly pregKind: Uint8Array;
  /** Per class: how many of `order`'s first registers are preferred. */
  readonly numPreferred: readonly number[];
  /** Per class: the scratch preg or -1. */
  readonly scratch: readonly number[];
  /** Per preg: its occupancy slot (allocatable pregs numbered in `order`, class by class) or -1. */
  readonly slotOf: Int32Array;
  /** Allocatable pregs (occupancy slots). */
  readonly numSlots: number;
}

const EMPTY_LABELS: readonly { vreg: number; from: number; to: number; label: number }[] = Object.freeze([]);

/**
 * The client's function as flat arrays; see the module header for
 * invariants. A context keeps one and `readFunction` refills it, so the
 * columns are working memory: they may be longer than their contents, whose
 * lengths are the counts (`numInsts`, `numOps`, ...), and only grow (by
 * doubling). Entries past a count are unspecified.
 */
export class FlatFunction {
  numInsts = 0;
  numBlocks = 0;
  entry = 0;
  numVregs = 0;
  /** Operands, successor edges (= branch-argument lists), branch arguments, block parameters, clobbers. */
  numOps = 0;
  numEdges = 0;
  numArgs = 0;
  numParams = 0;
  numClobs = 0;
  blockFirst: Int32Array = new Int32Array(0);
  blockEnd: Int32Array = new Int32Array(0);
  instBlock: Int32Array = new Int32Array(0);
  succOff: Int32Array = new Int32Array(0);
  succs: Int32Array = new Int32Array(0);
  predOff: Int32Array = new Int32Array(0);
  preds: Int32Array = new Int32Array(0);
  paramOff: Int32Array = new Int32Array(0);
  /** Block parameters as vreg indices. */
  params: Int32Array = new Int32Array(0);
  /** Indexed by succOff[b] + j: branch arguments of b to its j-th successor. */
  argOff: Int32Array = new Int32Array(0);
  args: Int32Array = new Int32Array(0);
  opOff: Int32Array = new Int32Array(0);
  opVreg: Int32Array = new Int32Array(0);
  opKind: Uint8Array = new Uint8Array(0);
  opPos: Uint8Array = new Uint8Array(0);
  opCons: Uint8Array = new Uint8Array(0);
  clobOff: Int32Array = new Int32Array(0);
  clobs: Uint8Array = new Uint8Array(0);
  /** Per inst: FLAG_RET, FLAG_BRANCH, FLAG_MOVE (the client's), FLAG_REUSE (noted by validation). */
  instFlags: Uint8Array = new Uint8Array(0);
  /** Per vreg index: class. */
  vregCls: Uint8Array = new Uint8Array(0);
  /** Per vreg index: defining inst, or -1 - block for a block parameter. */
  vregDef: Int32Array = new Int32Array(0);
  readonly slotSize: number[] = [1, 1, 1];
  debugLabels: readonly { vreg: number; from: number; to: number; label: number }[] = EMPTY_LABELS;

  // @internal Validation scratch. The per-instruction sets are stamp arrays:
  // an entry equal to the current stamp is in the set. Stamps grow across
  // calls (from `stampBase`), so the arrays are never cleared, except when
  // the stamps would overflow.
  private stampBase = 0;
  readonly fixedEarlyAt = new Int32Array(NUM_PREGS).fill(-1);
  readonly fixedEarlyV = new Int32Array(NUM_PREGS);
  readonly fixedLateAt = new Int32Array(NUM_PREGS).fill(-1);
  readonly fixedLateV = new Int32Array(NUM_PREGS);
  readonly pregSeen = new Int32Array(NUM_PREGS).fill(-1);
  private vregSeen: Int32Array = new Int32Array(0);
  private predSeen: Int32Array = new Int32Array(0);

  /** Reads and validates `func` into this object; see `readFunction`. */
  read(func: RegallocFunction, env: FlatEnv): this {
    readInto(this, func, env);
    return this;
  }

  /**
   * @internal First stamp of a run over n instructions: instruction i's stamp
   * is base + i in `fixed*At`, and 2 (base + i) + point in `pregSeen` and the
   * vreg stamps.
   */
  takeStamps(n: number): number {
    const span = n + 1;
    if (this.stampBase + span > 0x1fffffff) {
      this.stampBase = 0;
      this.fixedEarlyAt.fill(-1);
      this.fixedLateAt.fill(-1);
      this.pregSeen.fill(-1);
      this.vregSeen.fill(-1);
    }
    const base = this.stampBase;
    this.stampBase = base + span;
    return base;
  }
  /** @internal Per-vreg stamps (entries below the current base are stale). */
  vregStamps(n: number): Int32Array {
    if (this.vregSeen.length < n) {
      const a = new Int32Array(Math.max(n, 2 * this.vregSeen.length));
      a.fill(-1);
      this.vregSeen = a;
    }
    return this.vregSeen;
  }
  /** @internal Zeroed per-block counters. */
  blockCounters(n: number): Int32Array {
    if (this.predSeen.length < n) this.predSeen = new Int32Array(Math.max(n, 2 * this.predSeen.length));
    else fillSpan(this.predSeen, 0, 0, n);
    return this.predSeen;
  }
}

export const FLAG_RET = 1;
export const FLAG_BRANCH = 2;
export const FLAG_MOVE = 4;
/** Set by validation: some def of the instruction reuses an input. */
export const FLAG_REUSE = 8;

/**
 * 1 if b, else 0, without a branch (V8 compiles a comparison used as a number
 * to a flag instruction): for conditions that depend on data, which a branch
 * predictor cannot learn.
 */
export function bit(b: boolean): number {
  return (b as unknown as number) | 0;
}

function fail(e: RegallocError): never {
  throw new RegallocFailure(e);
}

function vn(v: number, cls: number): string {
  return `v${v} (${REG_CLASS_NAMES[cls] ?? '?'})`;
}

/** Room for n entries: `a` itself when it has it, else a new array (contents not kept). */
function roomI32(a: Int32Array, n: number): Int32Array {
  return a.length >= n ? a : new Int32Array(Math.max(n, 2 * a.length, 16));
}
function roomU8(a: Uint8Array, n: number): Uint8Array {
  return a.length >= n ? a : new Uint8Array(Math.max(n, 2 * a.length, 16));
}
/** `a.fill(value, from, to)`; a loop for short spans, where the builtin's call costs more. */
function fillSpan(a: Int32Array | Uint8Array, value: number, from: number, to: number): void {
  if (to - from <= 32) for (let k = from; k < to; k++) a[k] = value;
  else a.fill(value, from, to);
}

/** Room for n operands in F's operand columns, keeping the first `used` (doubling). */
function ensureOperandRoom(F: FlatFunction, used: number, n: number): void {
  const len = Math.min(F.opVreg.length, F.opKind.length, F.opPos.length, F.opCons.length);
  if (len >= n) return;
  const m = Math.max(n, 2 * len, 16);
  const vreg = new Int32Array(m);
  const kind = new Uint8Array(m);
  const pos = new Uint8Array(m);
  const cons = new Uint8Array(m);
  if (used > 0) {
    vreg.set(F.opVreg.subarray(0, used));
    kind.set(F.opKind.subarray(0, used));
    pos.set(F.opPos.subarray(0, used));
    cons.set(F.opCons.subarray(0, used));
  }
  F.opVreg = vreg;
  F.opKind = kind;
  F.opPos = pos;
  F.opCons = cons;
}

/** A copy of `a`'s first `used` entries with room for n (doubling). */
function moreI32(a: Int32Array, used: number, n: number): Int32Array {
  const b = new Int32Array(Math.max(n, 2 * a.length, 16));
  b.set(a.subarray(0, used));
  return b;
}

/**
 * Reads every block's successor or predecessor list (from the bulk form when
 * the client has one) into column `key` of `F`, with offsets in `off`;
 * returns the number of entries.
 */
function readBlockLists(
  F: FlatFunction,
  key: 'succs' | 'preds',
  off: Int32Array,
  numBlocks: number,
  bulk: FlatLists<Block> | undefined,
  perBlock: (b: Block) => ArrayLike<Block>,
  what: string,
): number {
  let dst = F[key];
  let n = 0;
  for (let b = 0; b < numBlocks; b++) {
    off[b] = n;
    let list: ArrayLike<number>;
    let s0 = 0;
    let len: number;
    if (bulk !== undefined) {
      list = bulk.items;
      s0 = bulk.starts[b];
      len = bulk.starts[b + 1] - s0;
    } else {
      list = perBlock(b as Block);
      len = list.length;
    }
    if (n + len > dst.length) dst = F[key] = moreI32(dst, n, n + len);
    for (let k = 0; k < len; k++) {
      const x = list[s0 + k];
      if (!Number.isInteger(x) || x < 0 || x >= numBlocks) fail({ kind: 'BadCfg', block: b, message: `block${b} has ${what} ${x} out of range` });
      dst[n++] = x;
    }
  }
  off[numBlocks] = n;
  return n;
}

// ---------------------------------------------------------------------------
// The machine
// ---------------------------------------------------------------------------
// A compiler passes the same MachineEnv to every call, so its digest is
// cached per env object. The env's contents are compared with the digest's
// record of them on every call (a few dozen loads), so an env mutated in
// place is digested again rather than served stale.

interface EnvDigest {
  readonly flat: FlatEnv;
  /** The env's registers as read: per class the preferred and non-preferred lists (length, then entries), the scratch registers, the fixed stack slots. */
  readonly sig: Int32Array;
}
const envDigests = new WeakMap<MachineEnv, EnvDigest>();
let lastEnv: MachineEnv | null = null;
let lastDigest: EnvDigest | null = null;

function envSignature(env: MachineEnv): Int32Array {
  const out: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (const list of [env.preferredRegsByClass[c], env.nonPreferredRegsByClass[c]]) {
      if (list === undefined) out.push(-1);
      else {
        out.push(list.length);
        for (let k = 0; k < list.length; k++) out.push(list[k]);
      }
    }
  }
  for (let c = 0; c < 3; c++) out.push(env.scratchByClass[c] ?? -1);
  out.push(env.fixedStackSlots.length);
  for (let k = 0; k < env.fixedStackSlots.length; k++) out.push(env.fixedStackSlots[k]);
  return Int32Array.from(out);
}

/** Does `env` hold exactly the registers recorded in `sig`? */
function envMatches(env: MachineEnv, sig: Int32Array): boolean {
  let x = 0;
  const pref = env.preferredRegsByClass;
  const non = env.nonPreferredRegsByClass;
  for (let c = 0; c < 3; c++) {
    for (let j = 0; j < 2; j++) {
      const list = j === 0 ? pref[c] : non[c];
      if (list === undefined) {
        if (sig[x++] !== -1) return false;
        continue;
      }
      const n = list.length;
      if (sig[x++] !== n) return false;
      for (let k = 0; k < n; k++) if (sig[x++] !== list[k]) return false;
    }
  }
  const scr = env.scratchByClass;
  for (let c = 0; c < 3; c++) if (sig[x++] !== (scr[c] ?? -1)) return false;
  const fixed = env.fixedStackSlots;
  if (sig[x++] !== fixed.length) return false;
  for (let k = 0; k < fixed.length; k++) if (sig[x++] !== fixed[k]) return false;
  return x === sig.length;
}

/**
 * The digest of `env`, validated; cached per env object and checked against
 * the env's current contents on every call. Throws RegallocFailure.
 */
export function readEnv(env: MachineEnv): FlatEnv {
  let d = env === lastEnv ? lastDigest : (envDigests.get(env) ?? null);
  if (d === null || !envMatches(env, d.sig)) {
    // A non-integer preg fails validation in digestEnv before any signature is kept.
    const flat = digestEnv(env);
    d = { flat, sig: envSignature(env) };
    envDigests.set(env, d);
  }
  lastEnv = env;
  lastDigest = d;
  return d.flat;
}

function digestEnv(env: MachineEnv): FlatEnv {
  const pregKind = new Uint8Array(NUM_PREGS);
  const order: Int32Array[] = [];
  const numPreferred: number[] = [];
  const check = (p: PReg, cls: number, what: string): void => {
    if (!Number.isInteger(p) || p < 0 || p >= NUM_PREGS) fail({ kind: 'BadMachineEnv', message: `${what}: preg ${p} out of range` });
    if (p >>> 6 !== cls) fail({ kind: 'BadMachineEnv', message: `${what}: preg ${p} is not of class ${REG_CLASS_NAMES[cls]}` });
    if (pregKind[p] !== PREG_KIND_NONE) fail({ kind: 'BadMachineEnv', message: `${what}: preg ${p} listed twice` });
  };
  for (let c = 0; c < 3; c++) {
    const list: number[] = [];
    for (const p of env.preferredRegsByClass[c] ?? []) {
      check(p, c, 'preferred register');
      pregKind[p] = PREG_KIND_ALLOCATABLE;
      list.push(p);
    }
    numPreferred.push(list.length);
    for (const p of env.nonPreferredRegsByClass[c] ?? []) {
      check(p, c, 'non-preferred register');
      pregKind[p] = PREG_KIND_ALLOCATABLE;
      list.push(p);
    }
    order.push(Int32Array.from(list));
  }
  const scratch: number[] = [-1, -1, -1];
  for (let c = 0; c < 3; c++) {
    const s = env.scratchByClass[c];
    if (s === null || s === undefined) continue;
    check(s, c, 'scratch register');
    pregKind[s] = PREG_KIND_SCRATCH;
    scratch[c] = s;
  }
  for (const p of env.fixedStackSlots) {
    if (!Number.isInteger(p) || p < 0 || p >= NUM_PREGS || pregKind[p] !== PREG_KIND_NONE)
      fail({ kind: 'BadMachineEnv', message: `fixed stack slot preg ${p} is out of range or also a register` });
    pregKind[p] = PREG_KIND_FIXED_STACK;
  }
  const slotOf = new Int32Array(NUM_PREGS).fill(-1);
  let numSlots = 0;
  for (let c = 0; c < 3; c++) for (const p of order[c]) slotOf[p] = numSlots++;
  return { order, numPreferred, pregKind, scratch, slotOf, numSlots };
}

// ---------------------------------------------------------------------------
// The function
// ---------------------------------------------------------------------------

/**
 * Reads and validates; see the module header. Throws RegallocFailure. With
 * `into` (a context's), its columns are refilled and returned; without, a new
 * FlatFunction is returned.
 */
export function readFunction(f: RegallocFunction, env: FlatEnv, into?: FlatFunction): FlatFunction {
  const F = into ?? new FlatFunction();
  readInto(F, f, env);
  return F;
}

function noteClass(F: FlatFunction, v: VReg, inst: number): number {
  const idx = v >>> 2;
  const cls = v & 3;
  if (idx >= F.numVregs) fail({ kind: 'BadVReg', vreg: v, inst, message: `v${idx} at inst ${inst} is beyond numVregs (${F.numVregs})` });
  if (cls === 3) fail({ kind: 'BadVReg', vreg: v, inst, message: `v${idx} at inst ${inst} has an invalid class` });
  const vregCls = F.vregCls;
  if (vregCls[idx] === 255) vregCls[idx] = cls;
  else if (vregCls[idx] !== cls)
    fail({ kind: 'BadVReg', vreg: v, inst, message: `v${idx} used as ${REG_CLASS_NAMES[vregCls[idx]]} and as ${REG_CLASS_NAMES[cls]} (inst ${inst})` });
  return idx;
}

function noteDef(F: FlatFunction, v: VReg, site: number, inst: number): number {
  const idx = noteClass(F, v, inst);
  if (F.vregDef[idx] !== 0x7fffffff) {
    const where = site >= 0 ? `inst ${site}` : `block${-1 - site} params`;
    fail({ kind: 'SsaViolation', vreg: v, inst, message: `SSA violation: ${vn(idx, v & 3)} defined twice, second definition at ${where}` });
  }
  F.vregDef[idx] = site;
  return idx;
}

function undefinedUse(F: FlatFunction, idx: number, inst: number): never {
  const cls = F.vregCls[idx];
  return fail({ kind: 'SsaViolation', vreg: (idx * 4 + cls) as VReg, inst, message: `SSA violation: ${vn(idx, cls)} used at inst ${inst} but never defined` });
}

function badOperand(F: FlatFunction, i: number, k: number, msg: string): never {
  const v = F.opVreg[k];
  const cls = F.vregCls[v];
  return fail({ kind: 'BadOperand', vreg: (v * 4 + cls) as VReg, inst: i, message: `inst ${i} operand ${k - F.opOff[i]} (${vn(v, cls)}): ${msg}` });
}

// The bulk accessors (`all*`) answer the same questions as the per-item
// methods; each phase below reads its facts through one or the other into the
// same columns, then checks them with the same code, so both paths accept the
// same functions and report the same first error. The only checks of the
// bulk path alone are those of a `FlatLists`'s shape (`listsShape`).

const LIST_OF_INST = 0;
const LIST_OF_BLOCK = 1;

/**
 * Checks that `l` holds `n` lists (see `FlatLists`); names the entity whose
 * list cannot be read. Edge lists are checked per edge where they are read.
 */
function listsShape(l: FlatLists<unknown>, n: number, method: string, of: number): void {
  const st = l.starts;
  const len = l.items.length;
  if (st.length < n + 1) badLists(method, of, Math.max(0, st.length - 1), `starts has ${st.length} entries for ${n} lists (needs ${n + 1})`);
  let prev = st[0];
  if (!Number.isInteger(prev) || prev < 0 || prev > len) badLists(method, of, 0, `starts[0] = ${prev} is not an index into items (length ${len})`);
  for (let e = 0; e < n; e++) {
    const x = st[e + 1];
    if (!Number.isInteger(x) || x < prev || x > len) badLists(method, of, e, `list ${e} spans [${prev}, ${x}), which is not a range of items (length ${len})`);
    prev = x;
  }
}

function badLists(method: string, of: number, e: number, msg: string): never {
  const message = `${method}: ${msg}`;
  if (of === LIST_OF_INST) return fail({ kind: 'BadOperand', vreg: 0 as VReg, inst: e, message });
  return fail({ kind: 'BadCfg', block: e, message });
}

function readInto(F: FlatFunction, f: RegallocFunction, env: FlatEnv): void {
  const numInsts = f.numInsts();
  const numBlocks = f.numBlocks();
  const numVregs = f.numVregs();
  const entry = f.entryBlock() as number;
  F.numInsts = numInsts;
  F.numBlocks = numBlocks;
  F.numVregs = numVregs;
  F.entry = entry;
  F.numOps = F.numEdges = F.numArgs = F.numParams = F.numClobs = 0;
  if (numBlocks < 1 || entry < 0 || entry >= numBlocks) fail({ kind: 'BadBlockLayout', block: entry, message: `entry block ${entry} out of range (${numBlocks} blocks)` });
  const blockFirst = (F.blockFirst = roomI32(F.blockFirst, numBlocks));
  const blockEnd = (F.blockEnd = roomI32(F.blockEnd, numBlocks));
  const instBlock = (F.instBlock = roomI32(F.instBlock, numInsts));
  const layout = f.allBlockInsts?.();
  if (layout !== undefined && layout.length < numBlocks + 1)
    fail({ kind: 'BadBlockLayout', block: numBlocks - 1, message: `allBlockInsts() has ${layout.length} entries for ${numBlocks} blocks (needs ${numBlocks + 1})` });
  let next = 0;
  for (let b = 0; b < numBlocks; b++) {
    let first: number;
    let end: number;
    if (layout !== undefined) {
      first = layout[b];
      end = layout[b + 1];
    } else {
      const range = f.blockInsts(b as Block);
      first = range[0];
      end = range[1];
    }
    if (first !== next || !(end > first) || end > numInsts || !Number.isInteger(end))
      fail({ kind: 'BadBlockLayout', block: b, message: `block${b} covers insts [${first}, ${end}) but must start at inst ${next} and be non-empty` });
    blockFirst[b] = first;
    blockEnd[b] = end;
    fillSpan(instBlock, b, first, end);
    next = end;
  }
  if (next !== numInsts) fail({ kind: 'BadBlockLayout', block: numBlocks - 1, message: `blocks cover ${next} of ${numInsts} insts` });

  // Instruction flags and terminators.
  const instFlags = (F.instFlags = roomU8(F.instFlags, numInsts));
  const flagBits = f.allInstFlags?.();
  if (flagBits !== undefined) {
    if (flagBits.length < numInsts)
      fail({ kind: 'BadTerminator', block: numBlocks - 1, inst: flagBits.length, message: `allInstFlags() has ${flagBits.length} entries for ${numInsts} insts` });
    for (let i = 0; i < numInsts; i++) instFlags[i] = flagBits[i] & (FLAG_RET | FLAG_BRANCH | FLAG_MOVE);
  } else {
    const hasMove = typeof f.isMove === 'function';
    for (let i = 0; i < numInsts; i++) {
      let fl = 0;
      if (f.isRet(i as Inst)) fl |= FLAG_RET;
      if (f.isBranch(i as Inst)) fl |= FLAG_BRANCH;
      if (hasMove && f.isMove?.(i as Inst) === true) fl |= FLAG_MOVE;
      instFlags[i] = fl;
    }
  }
  for (let b = 0; b < numBlocks; b++) {
    const last = blockEnd[b] - 1;
    for (let i = blockFirst[b]; i < last; i++)
      if ((instFlags[i] & (FLAG_RET | FLAG_BRANCH)) !== 0)
        fail({ kind: 'BadTerminator', block: b, inst: i, message: `inst ${i} is a branch or return in the middle of block${b}` });
    if ((instFlags[last] & (FLAG_RET | FLAG_BRANCH)) === 0)
      fail({ kind: 'BadTerminator', block: b, inst: last, message: `block${b} ends at inst ${last}, which is neither a branch nor a return` });
  }

  // CFG.
  const succOff = (F.succOff = roomI32(F.succOff, numBlocks + 1));
  const predOff = (F.predOff = roomI32(F.predOff, numBlocks + 1));
  F.succs = roomI32(F.succs, 2 * numBlocks);
  F.preds = roomI32(F.preds, 2 * numBlocks);
  const allSuccs = f.allBlockSuccs?.();
  const allPreds = f.allBlockPreds?.();
  if (allSuccs !== undefined) listsShape(allSuccs, numBlocks, 'allBlockSuccs()', LIST_OF_BLOCK);
  if (allPreds !== undefined) listsShape(allPreds, numBlocks, 'allBlockPreds()', LIST_OF_BLOCK);
  const nSucc = readBlockLists(F, 'succs', succOff, numBlocks, allSuccs, (b) => f.blockSuccs(b), 'successor');
  const nPred = readBlockLists(F, 'preds', predOff, numBlocks, allPreds, (b) => f.blockPreds(b), 'predecessor');
  const succs = F.succs;
  const preds = F.preds;
  F.numEdges = nSucc;
  // Each edge must appear as often in its source's succ list as in its target's pred
  // list. Per target: count each predecessor's entries, compare with the source's
  // succ list (short), and let equal totals cover edges listed only as successors.
  const predSeen = F.blockCounters(numBlocks);
  for (let b = 0; b < numBlocks; b++) {
    for (let k = predOff[b]; k < predOff[b + 1]; k++) predSeen[preds[k]]++;
    for (let k = predOff[b]; k < predOff[b + 1]; k++) {
      const p = preds[k];
      if (predSeen[p] === 0) continue;
      let n = 0;
      for (let j = succOff[p]; j < succOff[p + 1]; j++) if (succs[j] === b) n++;
      if (n === 0) fail({ kind: 'BadCfg', block: b, message: `block${b} lists block${p} as predecessor, but block${p} does not list it as successor` });
      if (n !== predSeen[p]) fail({ kind: 'BadCfg', block: p, message: `edge block${p} -> block${b} is not matched by exactly one predecessor entry` });
      predSeen[p] = 0;
    }
  }
  if (nSucc !== nPred)
    for (let b = 0; b < numBlocks; b++)
      for (let j = succOff[b]; j < succOff[b + 1]; j++) {
        const t = succs[j];
        let listed = false;
        for (let k = predOff[t]; k < predOff[t + 1]; k++) if (preds[k] === b) listed = true;
        if (!listed) fail({ kind: 'BadCfg', block: b, message: `edge block${b} -> block${t} is not matched by exactly one predecessor entry` });
      }
  for (let b = 0; b < numBlocks; b++) {
    const ns = succOff[b + 1] - succOff[b];
    const last = blockEnd[b] - 1;
    if (ns > 0 && (instFlags[last] & FLAG_BRANCH) === 0)
      fail({ kind: 'BadTerminator', block: b, inst: last, message: `block${b} has successors but ends in inst ${last}, which is not a branch` });
    if (ns === 0 && (instFlags[last] & FLAG_RET) === 0)
      fail({ kind: 'BadTerminator', block: b, inst: last, message: `block${b} has no successors but ends in inst ${last}, which is not a return` });
    if (ns > 1)
      for (let k = succOff[b]; k < succOff[b + 1]; k++) {
        const s = succs[k];
        if (predOff[s + 1] - predOff[s] > 1)
          fail({ kind: 'CriticalEdge', from: b, to: s, message: `critical edge block${b} -> block${s}: split it with an empty block` });
      }
  }

  // Classes and definitions.
  const vregCls = (F.vregCls = roomU8(F.vregCls, numVregs));
  fillSpan(vregCls, 255, 0, numVregs);
  // One spare entry past the vregs, for the operand pass's branch-free writes.
  const vregDef = (F.vregDef = roomI32(F.vregDef, numVregs + 1));
  fillSpan(vregDef, 0x7fffffff, 0, numVregs + 1);

  const paramOff = (F.paramOff = roomI32(F.paramOff, numBlocks + 1));
  let params = F.params;
  let nParams = 0;
  const allParams = f.allBlockParams?.();
  if (allParams !== undefined) listsShape(allParams, numBlocks, 'allBlockParams()', LIST_OF_BLOCK);
  for (let b = 0; b < numBlocks; b++) {
    paramOff[b] = nParams;
    let ps: ArrayLike<VReg>;
    let p0 = 0;
    let np: number;
    if (allParams !== undefined) {
      ps = allParams.items;
      p0 = allParams.starts[b];
      np = allParams.starts[b + 1] - p0;
    } else {
      ps = f.blockParams(b as Block);
      np = ps.length;
    }
    if (nParams + np > params.length) params = F.params = moreI32(params, nParams, nParams + np);
    for (let k = 0; k < np; k++) params[nParams++] = noteDef(F, ps[p0 + k], -1 - b, blockFirst[b]);
  }
  paramOff[numBlocks] = nParams;
  F.numParams = nParams;
  if (paramOff[entry + 1] > paramOff[entry])
    fail({ kind: 'BadCfg', block: entry, message: `entry block${entry} has parameters; define incoming values with fixed-register defs instead` });

  // Clobbers, then operands; the bulk operand lists' shape is checked first,
  // so errors come in the order the checks below are written.
  const opOff = (F.opOff = roomI32(F.opOff, numInsts + 1));
  const clobOff = (F.clobOff = roomI32(F.clobOff, numInsts + 1));
  const allOps = f.allInstOperands?.();
  if (allOps !== undefined) listsShape(allOps, numInsts, 'allInstOperands()', LIST_OF_INST);
  let nClobs = 0;
  const allClobs = f.allInstClobbers?.();
  if (allClobs !== undefined) listsShape(allClobs, numInsts, 'allInstClobbers()', LIST_OF_INST);
  let clobBuf = F.clobs;
  for (let i = 0; i < numInsts; i++) {
    clobOff[i] = nClobs;
    let cl: ArrayLike<PReg>;
    let c0 = 0;
    let nc: number;
    if (allClobs !== undefined) {
      cl = allClobs.items;
      c0 = allClobs.starts[i];
      nc = allClobs.starts[i + 1] - c0;
    } else {
      cl = f.instClobbers(i as Inst);
      nc = cl.length;
    }
    if (nc === 0) continue;
    if (nClobs + nc > clobBuf.length) {
      const g = new Uint8Array(Math.max(2 * clobBuf.length, nClobs + nc, 64));
      g.set(clobBuf.subarray(0, nClobs));
      clobBuf = F.clobs = g;
    }
    for (let k = 0; k < nc; k++) {
      const p = cl[c0 + k];
      if (!Number.isInteger(p) || p < 0 || p >= NUM_PREGS) fail({ kind: 'BadOperand', vreg: 0 as VReg, inst: i, message: `inst ${i} clobbers preg ${p}, out of range` });
      clobBuf[nClobs + k] = p;
    }
    nClobs += nc;
  }
  clobOff[numInsts] = nClobs;
  F.numClobs = nClobs;

  // Operands: read, decoded and checked against the per-instruction operand
  // rules in one pass. A decoding error is thrown at once; the first
  // instruction that breaks an operand rule is only noted here, and its error
  // thrown after the branch arguments and undefined uses (whose checks come
  // first), so the first error reported does not depend on the fusion.
  const opItems = allOps?.items;
  const opStarts = allOps?.starts;
  ensureOperandRoom(F, 0, allOps !== undefined ? allOps.starts[numInsts] - allOps.starts[0] : 3 * numInsts);
  let opVreg = F.opVreg;
  let opKind = F.opKind;
  let opPos = F.opPos;
  let opCons = F.opCons;
  const nAlloc0 = env.order[0].length;
  const nAlloc1 = env.order[1].length;
  const nAlloc2 = env.order[2].length;
  const stampBase = F.takeStamps(numInsts);
  let ruleFail = -1;
  let nOps = 0;
  // opOff[i + 1] is set as soon as instruction i is read (operandRules reads it).
  opOff[0] = 0;
  const TWO32 = 0x1_0000_0000;
  for (let i = 0; i < numInsts; i++) {
    let src: ArrayLike<number>;
    let s0 = 0;
    let no: number;
    if (opItems !== undefined && opStarts !== undefined) {
      src = opItems;
      s0 = opStarts[i];
      no = opStarts[i + 1] - s0;
    } else {
      src = f.instOperands(i as Inst);
      no = src.length;
    }
    if (nOps + no > opVreg.length || nOps + no > opCons.length) {
      ensureOperandRoom(F, nOps, nOps + no);
      opVreg = F.opVreg;
      opKind = F.opKind;
      opPos = F.opPos;
      opCons = F.opCons;
    }
    // The loop below is branch-free where the answer depends on the operand
    // (def or use, constraint), which a branch predictor cannot learn; its
    // branches are taken only on errors. It counts the register operands per
    // class (an upper bound, exact for plain operands), 10 bits per class,
    // and notes whether some operand needs the full rules: any constraint but
    // any/reg/stack, a def on a terminator (`termDef`), or so many operands
    // and clobbers that the counts could overflow.
    const termDef = (instFlags[i] & (FLAG_RET | FLAG_BRANCH)) !== 0 ? 1 : 0;
    let needs = 0;
    let notPlain = no + clobOff[i + 1] - clobOff[i] >= 1024 ? 1 : 0;
    let reuse = 0;
    for (let j = 0; j < no; j++) {
      const op = src[s0 + j];
      if (!Number.isSafeInteger(op) || op < 0) fail({ kind: 'BadOperand', vreg: 0 as VReg, inst: i, message: `operand ${j} of inst ${i} is not a packed operand` });
      const v = (op >>> 0) as VReg;
      const hi = Math.floor(op / TWO32);
      const kind = (hi >>> 1) & 1;
      const c = (hi >>> 2) & 0xff;
      const k = nOps + j;
      opKind[k] = kind;
      opPos[k] = hi & 1;
      opCons[k] = c;
      // noteClass and noteDef, inline; they run again only to report an error.
      const idx = v >>> 2;
      const cls = v & 3;
      if (idx >= numVregs || cls === 3) noteClass(F, v, i);
      const had = vregCls[idx];
      if (had !== cls && had !== 255) noteClass(F, v, i);
      vregCls[idx] = cls;
      // A def checks and sets its vreg's entry; a use reads the spare entry at
      // numVregs (always unset) and writes it unset again.
      const di = idx + ((numVregs - idx) & (kind - 1));
      if (vregDef[di] !== 0x7fffffff) noteDef(F, v, i, i);
      vregDef[di] = 0x7fffffff + ((i - 0x7fffffff) & -kind);
      opVreg[k] = idx;
      needs += bit(c === CONSTRAINT_REG) << (10 * cls);
      notPlain |= bit(c > CONSTRAINT_STACK) | (kind & termDef);
      reuse |= bit((c & 0xc0) === CONSTRAINT_REUSE);
    }
    instFlags[i] |= reuse * FLAG_REUSE;
    nOps += no;
    opOff[i + 1] = nOps;
    if (ruleFail >= 0) continue;
    if (notPlain !== 0) {
      if (!operandRules(F, env, i, stampBase + i, false)) ruleFail = i;
      continue;
    }
    for (let k = clobOff[i]; k < clobOff[i + 1]; k++) needs += 1 << (10 * (clobBuf[k] >>> 6));
    if (((needs & 1023) > nAlloc0 || ((needs >>> 10) & 1023) > nAlloc1 || needs >>> 20 > nAlloc2) && !checkPressure(F, env, i, 2 * (stampBase + i), false)) ruleFail = i;
  }
  F.numOps = nOps;
  // Branch arguments.
  const argOff = (F.argOff = roomI32(F.argOff, nSucc + 1));
  let args = F.args;
  let nArgs = 0;
  const allArgs = f.allBranchBlockParams?.();
  let argStarts: ArrayLike<number> = succOff;
  let argLen = 0;
  if (allArgs !== undefined) {
    argStarts = allArgs.starts;
    argLen = allArgs.items.length;
    if (argStarts.length < nSucc + 1) {
      const b = numBlocks - 1;
      fail({ kind: 'BranchArgs', block: b, inst: blockEnd[b] - 1, message: `allBranchBlockParams(): starts has ${argStarts.length} entries for ${nSucc} edges (needs ${nSucc + 1})` });
    }
  }
  for (let b = 0; b < numBlocks; b++) {
    const last = blockEnd[b] - 1;
    for (let j = 0; j < succOff[b + 1] - succOff[b]; j++) {
      const e = succOff[b] + j;
      argOff[e] = nArgs;
      const s = succs[e];
      let a: ArrayLike<VReg>;
      let a0 = 0;
      let na: number;
      if (allArgs !== undefined) {
        a = allArgs.items;
        a0 = argStarts[e];
        const a1 = argStarts[e + 1];
        if (!Number.isInteger(a0) || !Number.isInteger(a1) || a0 < 0 || a1 < a0 || a1 > argLen)
          fail({ kind: 'BranchArgs', block: b, inst: last, message: `allBranchBlockParams(): edge ${e} spans [${a0}, ${a1}), which is not a range of items (length ${argLen})` });
        na = a1 - a0;
      } else {
        a = f.branchBlockParams(b as Block, last as Inst, j);
        na = a.length;
      }
      const np = paramOff[s + 1] - paramOff[s];
      if (na !== np)
        fail({ kind: 'BranchArgs', block: b, inst: last, message: `inst ${last} passes ${na} args to block${s}, which has ${np} params` });
      if (nArgs + np > args.length) args = F.args = moreI32(args, nArgs, nArgs + np);
      for (let k = 0; k < np; k++) {
        const x = a[a0 + k];
        const idx = noteClass(F, x, last);
        const p = params[paramOff[s] + k];
        if (vregCls[p] !== (x & 3))
          fail({ kind: 'BranchArgs', block: b, inst: last, message: `inst ${last} passes ${vn(idx, x & 3)} to block${s} param v${p} of another class` });
        args[nArgs++] = idx;
      }
    }
  }
  argOff[nSucc] = nArgs;
  F.numArgs = nArgs;

  // Undefined uses. Every vreg an operand or branch argument names has its
  // class noted, so a vreg with a class and no definition is the only sign of
  // one; only then are the operands searched for the first such use.
  let undefinedSeen = false;
  for (let v = 0; v < numVregs; v++) {
    if (vregCls[v] === 255) vregCls[v] = 0;
    else if (vregDef[v] === 0x7fffffff) undefinedSeen = true;
  }
  if (undefinedSeen) {
    for (let i = 0; i < numInsts; i++) for (let k = opOff[i]; k < opOff[i + 1]; k++) if (opKind[k] === 0 && vregDef[opVreg[k]] === 0x7fffffff) undefinedUse(F, opVreg[k], i);
    for (let b = 0; b < numBlocks; b++)
      for (let k = argOff[succOff[b]]; k < argOff[succOff[b + 1]]; k++) if (vregDef[args[k]] === 0x7fffffff) undefinedUse(F, args[k], blockEnd[b] - 1);
  }

  // The first instruction that broke an operand rule (see the operand pass): its error, with fresh stamps.
  if (ruleFail >= 0) operandRules(F, env, ruleFail, F.takeStamps(1), true);

  // Branches into merge blocks may not carry operands (edge moves go before them).
  for (let b = 0; b < numBlocks; b++) {
    if (succOff[b + 1] - succOff[b] !== 1) continue;
    const s = succs[succOff[b]];
    const last = blockEnd[b] - 1;
    if (predOff[s + 1] - predOff[s] > 1 && opOff[last + 1] > opOff[last])
      fail({
        kind: 'DisallowedBranchOperand',
        block: b,
        inst: last,
        message: `inst ${last} jumps to merge block${s} and has operands; edge moves are placed before it and could clobber them`,
      });
  }

  F.debugLabels = EMPTY_LABELS;
  if (typeof f.debugValueLabels === 'function') {
    F.debugLabels = f.debugValueLabels().map((d) => ({ vreg: d.vreg >>> 2, from: d.from, to: d.to, label: d.label }));
  }
  for (let c = 0; c < 3; c++) {
    const s = f.spillslotSize(c as 0 | 1 | 2);
    if (!Number.isInteger(s) || s < 1) fail({ kind: 'BadMachineEnv', message: `spillslotSize(${REG_CLASS_NAMES[c]}) = ${s}; must be a positive integer` });
    F.slotSize[c] = s;
  }
}

/**
 * The operand rules of instruction i (see the module header), in the order
 * they are reported: each operand's own rules, clobbers of fixed registers,
 * register pressure. True if i keeps them all; otherwise throws the first
 * broken rule's RegallocFailure when `report`, else returns false.
 * Per-instruction sets are stamp arrays (an entry equal to `stampI` is in the
 * set), so the check allocates nothing.
 */
function operandRules(F: FlatFunction, env: FlatEnv, i: number, stampI: number, report: boolean): boolean {
  const { opOff, opCons, opKind, opPos, opVreg, vregCls, instFlags, clobOff, clobs } = F;
  const order = env.order;
  const { fixedEarlyAt, fixedEarlyV, fixedLateAt, fixedLateV } = F;
  const pregKind = env.pregKind;
  const o0 = opOff[i];
  const o1 = opOff[i + 1];
  const term = (instFlags[i] & (FLAG_RET | FLAG_BRANCH)) !== 0;
  let fixedBoth = false;
  // Upper bounds of the register operands per class (checked exactly below only if one is exceeded).
  let need0 = 0;
  let need1 = 0;
  let need2 = 0;
  for (let k = o0; k < o1; k++) {
    const c = opCons[k];
    if (c !== CONSTRAINT_ANY && c !== CONSTRAINT_STACK) {
      const cls = vregCls[opVreg[k]];
      if (cls === 0) need0++;
      else if (cls === 1) need1++;
      else need2++;
    }
    if (c <= CONSTRAINT_STACK && !(term && opKind[k] === 1)) continue;
    const v = opVreg[k];
    const cls = vregCls[v];
    const tag = c & 0xc0;
    if (term && opKind[k] === 1) return broken(report, F, i, k, 'a branch or return may not define values');
    if (tag === 0 && c !== CONSTRAINT_ANY && c !== CONSTRAINT_REG && c !== CONSTRAINT_STACK) return broken(report, F, i, k, `unknown constraint code ${c}`);
    if (tag === CONSTRAINT_REUSE) {
      const j = c & 63;
      if (opKind[k] !== 1) return broken(report, F, i, k, 'only a def may reuse an input');
      if (opPos[k] !== 1) return broken(report, F, i, k, 'a reuse def must be late');
      if (j >= o1 - o0) return broken(report, F, i, k, `reuse input ${j} does not exist`);
      const kk = o0 + j;
      if (opKind[kk] !== 0 || opPos[kk] !== 0) return broken(report, F, i, k, `reuse input ${j} is not an early use`);
      if (vregCls[opVreg[kk]] !== cls) return broken(report, F, i, k, `reuse input ${j} has another class`);
      if (opCons[kk] !== CONSTRAINT_REG && opCons[kk] !== CONSTRAINT_ANY) return broken(report, F, i, k, `reuse input ${j} must have a reg or any constraint`);
      for (let k2 = o0; k2 < o1; k2++) if (k2 !== k && opCons[k2] === (CONSTRAINT_REUSE | j)) return broken(report, F, i, k, `reuse input ${j} is reused twice`);
    } else if (tag === CONSTRAINT_FIXED) {
      const p = cls * 64 + (c & 63);
      if (pregKind[p] === PREG_KIND_SCRATCH) return broken(report, F, i, k, `fixed to the scratch register p${p & 63}`);
      // A fixed value is copied into place before the instruction and out after it, so
      // early defs and late uses hold their preg at both points; early uses only at the
      // early point, late defs only at the late point.
      const both = opKind[k] === 0 ? opPos[k] === 1 : opPos[k] === 0;
      const early = both || opPos[k] === 0;
      const late = both || opPos[k] === 1;
      // Only these (late uses, early defs) can meet a clobber (checked below).
      if (both) fixedBoth = true;
      if (early) {
        if (fixedEarlyAt[p] === stampI && fixedEarlyV[p] !== v) return broken(report, F, i, k, `preg p${p & 63} is also fixed for v${fixedEarlyV[p]} at the same point`);
        fixedEarlyAt[p] = stampI;
        fixedEarlyV[p] = v;
      }
      if (late) {
        if (fixedLateAt[p] === stampI && fixedLateV[p] !== v) return broken(report, F, i, k, `preg p${p & 63} is also fixed for v${fixedLateV[p]} at the same point`);
        fixedLateAt[p] = stampI;
        fixedLateV[p] = v;
      }
    } else if (tag === CONSTRAINT_LIMIT) {
      const lim = 1 << (c & 63);
      let any = false;
      for (const p of order[cls]) if ((p & 63) < lim) any = true;
      if (!any) return broken(report, F, i, k, `no allocatable register below limit ${lim}`);
    }
  }
  const k0 = clobOff[i];
  const k1 = clobOff[i + 1];
  if (fixedBoth)
    for (let k = k0; k < k1; k++) {
      const p = clobs[k];
      // A fixed early def or late use in a clobbered register cannot survive the clobber.
      for (let k2 = o0; k2 < o1; k2++) {
        const c = opCons[k2];
        if ((c & 0xc0) !== CONSTRAINT_FIXED || vregCls[opVreg[k2]] * 64 + (c & 63) !== p) continue;
        const lateUse = opKind[k2] === 0 && opPos[k2] === 1;
        const earlyDef = opKind[k2] === 1 && opPos[k2] === 0;
        if (lateUse || earlyDef) {
          if (report)
            fail({ kind: 'BadOperand', vreg: (opVreg[k2] * 4 + vregCls[opVreg[k2]]) as VReg, inst: i, message: `inst ${i} clobbers p${p & 63}, which operand ${k2 - o0} is fixed to at the late point` });
          return false;
        }
      }
    }
  for (let k = k0; k < k1; k++) {
    const cls = clobs[k] >>> 6;
    if (cls === 0) need0++;
    else if (cls === 1) need1++;
    else need2++;
  }
  if (need0 > order[0].length || need1 > order[1].length || need2 > order[2].length) return checkPressure(F, env, i, 2 * stampI, report);
  return true;
}

/** A broken operand rule: thrown when `report`, else reported as false. */
function broken(report: boolean, F: FlatFunction, i: number, k: number, msg: string): false {
  if (report) badOperand(F, i, k, msg);
  return false;
}

/**
 * The exact register-pressure rule for instruction i, whose operands and
 * clobbers might not fit: per point and class, the distinct registers its
 * operands need (live-through values excluded; see the allocator). `stamp0`
 * is the instruction's first of two stamps. True if they fit; otherwise
 * throws TooManyLiveRegs when `report`, else returns false.
 */
function checkPressure(F: FlatFunction, env: FlatEnv, i: number, stamp0: number, report: boolean): boolean {
  const { opOff, opCons, opKind, opPos, opVreg, vregCls, clobOff, clobs } = F;
  const pregSeen = F.pregSeen;
  const vregSeen = F.vregStamps(F.numVregs);
  const o0 = opOff[i];
  const o1 = opOff[i + 1];
  const k0 = clobOff[i];
  const k1 = clobOff[i + 1];
  const counts = [0, 0, 0];
  for (let pt = 0; pt < 2; pt++) {
    counts[0] = counts[1] = counts[2] = 0;
    const stamp = stamp0 + pt;
    for (let k = o0; k < o1; k++) {
      const c = opCons[k];
      if (c === CONSTRAINT_ANY || c === CONSTRAINT_STACK) continue;
      const atPoint = opKind[k] === 1 ? opPos[k] === 0 || pt === 1 || (c & 0xc0) === CONSTRAINT_REUSE : opPos[k] === pt;
      if (!atPoint) continue;
      if ((c & 0xc0) === CONSTRAINT_FIXED) {
        const p = vregCls[opVreg[k]] * 64 + (c & 63);
        if (env.pregKind[p] !== PREG_KIND_ALLOCATABLE) continue;
        if (pregSeen[p] === stamp) continue;
        pregSeen[p] = stamp;
      } else if (opKind[k] === 0) {
        if (vregSeen[opVreg[k]] === stamp) continue;
        vregSeen[opVreg[k]] = stamp;
      }
      counts[vregCls[opVreg[k]]]++;
    }
    if (pt === 1)
      for (let k = k0; k < k1; k++) {
        const p = clobs[k];
        if (env.pregKind[p] === PREG_KIND_ALLOCATABLE && pregSeen[p] !== stamp) {
          pregSeen[p] = stamp;
          counts[p >>> 6]++;
        }
      }
    for (let cls = 0; cls < 3; cls++) {
      const nAlloc = env.order[cls].length;
      if (counts[cls] > nAlloc) {
        if (!report) return false;
        const k = o0 < o1 ? o0 : -1;
        const vr = (k >= 0 ? opVreg[k] * 4 + vregCls[opVreg[k]] : 0) as VReg;
        fail({
          kind: 'TooManyLiveRegs',
          vreg: vr,
          inst: i,
          message: `inst ${i} needs ${counts[cls]} ${REG_CLASS_NAMES[cls]} registers at its ${pt === 0 ? 'early' : 'late'} point but only ${nAlloc} are allocatable`,
        });
      }
    }
  }
  return true;
}

/** Entries up to which V8 keeps a Uint32Array's data in its heap (64 bytes); larger ones cost an off-heap buffer (~0.4 µs). */
const ON_HEAP_U32 = 16;

/**
 * The output's arrays: `allocs` (numOps entries, zero) and `offsets` (the
 * output's `instAllocOffsets`, a copy of `opOff`: outputs never alias working
 * memory). When both are too large for V8's heap, one buffer holds both (the
 * output documents that they may share an ArrayBuffer).
 */
export function outputArrays(f: FlatFunction): { allocs: Uint32Array; offsets: Uint32Array } {
  const no = f.numOps;
  const n = f.numInsts + 1;
  let allocs: Uint32Array;
  let offsets: Uint32Array;
  if (no > ON_HEAP_U32 && n > ON_HEAP_U32) {
    const both = new Uint32Array(no + n);
    allocs = both.subarray(0, no);
    offsets = both.subarray(no);
  } else {
    allocs = new Uint32Array(no);
    offsets = new Uint32Array(n);
  }
  const opOff = f.opOff;
  for (let i = 0; i < n; i++) offsets[i] = opOff[i];
  return { allocs, offsets };
}

export { CONSTRAINT_FIXED, CONSTRAINT_LIMIT, CONSTRAINT_REG, CONSTRAINT_REUSE, CONSTRAINT_STACK, CONSTRAINT_ANY };

/**
 * The liveness-dependent input rules, for allocators that compute no
 * liveness themselves (the backtracking allocator checks them while building
 * live ranges): every use is reached only through its definition, and nothing
 * is live into the entry block. One backward walk per vreg from its uses.
 */
export function checkDominance(f: FlatFunction, ctx: RegallocContext): void {
  const nv = f.numVregs;
  const cnt = ctx.filledI32(BUF.domCount, nv + 1, 0);
  for (let k = 0; k < f.numOps; k++) if (f.opKind[k] === 0) cnt[f.opVreg[k] + 1]++;
  for (let k = 0; k < f.numArgs; k++) cnt[f.args[k] + 1]++;
  for (let v = 0; v < nv; v++) cnt[v + 1] += cnt[v];
  const at = ctx.i32(BUF.domAt, nv);
  for (let v = 0; v < nv; v++) at[v] = cnt[v];
  const sites = ctx.i32(BUF.domSites, cnt[nv]);
  for (let i = 0; i < f.numInsts; i++) for (let k = f.opOff[i]; k < f.opOff[i + 1]; k++) if (f.opKind[k] === 0) sites[at[f.opVreg[k]]++] = 2 * i + f.opPos[k];
  for (let b = 0; b < f.numBlocks; b++) for (let k = f.argOff[f.succOff[b]]; k < f.argOff[f.succOff[b + 1]]; k++) sites[at[f.args[k]]++] = 2 * f.blockEnd[b] - 1;
  const mark = ctx.filledI32(BUF.domMark, f.numBlocks, -1);
  const stack = ctx.i32(BUF.domStack, f.numBlocks);
  for (let v = 0; v < nv; v++) {
    const d = f.vregDef[v];
    if (d === 0x7fffffff) continue;
    const D = d < 0 ? -1 - d : f.instBlock[d];
    const vr = (v * 4 + f.vregCls[v]) as VReg;
    let sp = 0;
    for (let x = cnt[v]; x < cnt[v + 1]; x++) {
      const pt = sites[x];
      const B = f.instBlock[pt >> 1];
      if (B === D) {
        if (d < 0 || pt >> 1 > d) continue;
        fail({ kind: 'SsaViolation', vreg: vr, inst: pt >> 1, message: `SSA violation: ${vn(v, f.vregCls[v])} used at inst ${pt >> 1} before its definition at inst ${d}` });
      }
      if (mark[B] !== v) {
        mark[B] = v;
        stack[sp++] = B;
      }
    }
    while (sp > 0) {
      const B = stack[--sp];
      if (B === f.entry)
        fail({ kind: 'EntryLiveIn', vreg: vr, inst: f.blockFirst[B], message: `${vn(v, f.vregCls[v])} is live into the entry block: some path reaches a use without passing its definition` });
      for (let k = f.predOff[B]; k < f.predOff[B + 1]; k++) {
        const P = f.preds[k];
        if (P === D || mark[P] === v) continue;
        mark[P] = v;
        stack[sp++] = P;
      }
    }
  }
}
