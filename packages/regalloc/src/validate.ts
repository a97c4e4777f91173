// Input reading and validation. This module owns the one pass that reads the
// client's `RegallocFunction` into flat typed arrays (`FlatFunction`) and every
// input rule that can be checked without liveness. It does not allocate.
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
  type Operand,
  type PReg,
  type RegallocError,
  type RegallocFunction,
  type VReg,
} from './index.js';

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
}

/** The client's function as flat arrays; see the module header for invariants. */
export interface FlatFunction {
  readonly numInsts: number;
  readonly numBlocks: number;
  readonly entry: number;
  readonly numVregs: number;
  readonly blockFirst: Int32Array;
  readonly blockEnd: Int32Array;
  readonly instBlock: Int32Array;
  readonly succOff: Int32Array;
  readonly succs: Int32Array;
  readonly predOff: Int32Array;
  readonly preds: Int32Array;
  readonly paramOff: Int32Array;
  /** Block parameters as vreg indices. */
  readonly params: Int32Array;
  /** Indexed by succOff[b] + j: branch arguments of b to its j-th successor. */
  readonly argOff: Int32Array;
  readonly args: Int32Array;
  readonly opOff: Int32Array;
  readonly opVreg: Int32Array;
  readonly opKind: Uint8Array;
  readonly opPos: Uint8Array;
  readonly opCons: Uint8Array;
  /** Original packed operands, for error messages and printing. */
  readonly ops: Float64Array;
  readonly clobOff: Int32Array;
  readonly clobs: Uint8Array;
  /** Per inst: bit 0 return, bit 1 branch, bit 2 move. */
  readonly instFlags: Uint8Array;
  /** Per vreg index: class. */
  readonly vregCls: Uint8Array;
  /** Per vreg index: defining inst, or -1 - block for a block parameter. */
  readonly vregDef: Int32Array;
  readonly slotSize: readonly number[];
  readonly debugLabels: readonly { vreg: number; from: number; to: number; label: number }[];
}

export const FLAG_RET = 1;
export const FLAG_BRANCH = 2;
export const FLAG_MOVE = 4;

function fail(e: RegallocError): never {
  throw new RegallocFailure(e);
}

function vn(v: number, cls: number): string {
  return `v${v} (${REG_CLASS_NAMES[cls] ?? '?'})`;
}

export function readEnv(env: MachineEnv): FlatEnv {
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
  return { order, numPreferred, pregKind, scratch };
}

/** Reads and validates; see the module header. Throws RegallocFailure. */
export function readFunction(f: RegallocFunction, env: FlatEnv): FlatFunction {
  const numInsts = f.numInsts();
  const numBlocks = f.numBlocks();
  const numVregs = f.numVregs();
  const entry = f.entryBlock() as number;
  if (numBlocks < 1 || entry < 0 || entry >= numBlocks) fail({ kind: 'BadBlockLayout', block: entry, message: `entry block ${entry} out of range (${numBlocks} blocks)` });
  const blockFirst = new Int32Array(numBlocks);
  const blockEnd = new Int32Array(numBlocks);
  const instBlock = new Int32Array(numInsts);
  let next = 0;
  for (let b = 0; b < numBlocks; b++) {
    const [first, end] = f.blockInsts(b as Block);
    if (first !== next || end <= first || end > numInsts)
      fail({ kind: 'BadBlockLayout', block: b, message: `block${b} covers insts [${first}, ${end}) but must start at inst ${next} and be non-empty` });
    blockFirst[b] = first;
    blockEnd[b] = end;
    instBlock.fill(b, first, end);
    next = end;
  }
  if (next !== numInsts) fail({ kind: 'BadBlockLayout', block: numBlocks - 1, message: `blocks cover ${next} of ${numInsts} insts` });

  // Instruction flags and terminators.
  const instFlags = new Uint8Array(numInsts);
  const hasMove = typeof f.isMove === 'function';
  for (let i = 0; i < numInsts; i++) {
    let fl = 0;
    if (f.isRet(i as Inst)) fl |= FLAG_RET;
    if (f.isBranch(i as Inst)) fl |= FLAG_BRANCH;
    if (hasMove && f.isMove?.(i as Inst) === true) fl |= FLAG_MOVE;
    instFlags[i] = fl;
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
  const succOff = new Int32Array(numBlocks + 1);
  const predOff = new Int32Array(numBlocks + 1);
  const succL: number[] = [];
  const predL: number[] = [];
  for (let b = 0; b < numBlocks; b++) {
    succOff[b] = succL.length;
    const ss = f.blockSuccs(b as Block);
    for (let k = 0; k < ss.length; k++) {
      const s = ss[k];
      if (!Number.isInteger(s) || s < 0 || s >= numBlocks) fail({ kind: 'BadCfg', block: b, message: `block${b} has successor ${s} out of range` });
      succL.push(s);
    }
    predOff[b] = predL.length;
    const ps = f.blockPreds(b as Block);
    for (let k = 0; k < ps.length; k++) {
      const p = ps[k];
      if (!Number.isInteger(p) || p < 0 || p >= numBlocks) fail({ kind: 'BadCfg', block: b, message: `block${b} has predecessor ${p} out of range` });
      predL.push(p);
    }
  }
  succOff[numBlocks] = succL.length;
  predOff[numBlocks] = predL.length;
  const succs = Int32Array.from(succL);
  const preds = Int32Array.from(predL);
  // Each edge must appear as often in its source's succ list as in its target's pred
  // list. Per target: count each predecessor's entries, compare with the source's
  // succ list (short), and let equal totals cover edges listed only as successors.
  const predSeen = new Int32Array(numBlocks);
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
  if (succL.length !== predL.length)
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
  const vregCls = new Uint8Array(numVregs).fill(255);
  const vregDef = new Int32Array(numVregs).fill(0x7fffffff);
  const noteClass = (v: VReg, inst: number): number => {
    const idx = v >>> 2;
    const cls = v & 3;
    if (idx >= numVregs) fail({ kind: 'BadVReg', vreg: v, inst, message: `v${idx} at inst ${inst} is beyond numVregs (${numVregs})` });
    if (cls === 3) fail({ kind: 'BadVReg', vreg: v, inst, message: `v${idx} at inst ${inst} has an invalid class` });
    if (vregCls[idx] === 255) vregCls[idx] = cls;
    else if (vregCls[idx] !== cls)
      fail({ kind: 'BadVReg', vreg: v, inst, message: `v${idx} used as ${REG_CLASS_NAMES[vregCls[idx]]} and as ${REG_CLASS_NAMES[cls]} (inst ${inst})` });
    return idx;
  };
  const noteDef = (v: VReg, site: number, inst: number): void => {
    const idx = noteClass(v, inst);
    if (vregDef[idx] !== 0x7fffffff) {
      const where = site >= 0 ? `inst ${site}` : `block${-1 - site} params`;
      fail({ kind: 'SsaViolation', vreg: v, inst, message: `SSA violation: ${vn(idx, v & 3)} defined twice, second definition at ${where}` });
    }
    vregDef[idx] = site;
  };

  const paramOff = new Int32Array(numBlocks + 1);
  const paramL: number[] = [];
  for (let b = 0; b < numBlocks; b++) {
    paramOff[b] = paramL.length;
    const ps = f.blockParams(b as Block);
    for (let k = 0; k < ps.length; k++) {
      const v = ps[k];
      noteDef(v, -1 - b, blockFirst[b]);
      paramL.push(v);
    }
  }
  paramOff[numBlocks] = paramL.length;
  if (paramOff[entry + 1] > paramOff[entry])
    fail({ kind: 'BadCfg', block: entry, message: `entry block${entry} has parameters; define incoming values with fixed-register defs instead` });
  const paramsPacked = paramL;

  // Operands and clobbers, copied into growable typed arrays.
  const opOff = new Int32Array(numInsts + 1);
  let opBuf = new Float64Array(Math.max(16, 3 * numInsts));
  const clobOff = new Int32Array(numInsts + 1);
  let clobBuf = new Uint8Array(64);
  let nOps = 0;
  let nClobs = 0;
  for (let i = 0; i < numInsts; i++) {
    opOff[i] = nOps;
    const ops = f.instOperands(i as Inst);
    const no = ops.length;
    if (nOps + no > opBuf.length) {
      const g = new Float64Array(Math.max(2 * opBuf.length, nOps + no));
      g.set(opBuf);
      opBuf = g;
    }
    for (let k = 0; k < no; k++) opBuf[nOps + k] = ops[k];
    nOps += no;
    clobOff[i] = nClobs;
    const cl = f.instClobbers(i as Inst);
    const nc = cl.length;
    if (nc === 0) continue;
    if (nClobs + nc > clobBuf.length) {
      const g = new Uint8Array(Math.max(2 * clobBuf.length, nClobs + nc));
      g.set(clobBuf);
      clobBuf = g;
    }
    for (let k = 0; k < nc; k++) {
      const p = cl[k];
      if (!Number.isInteger(p) || p < 0 || p >= NUM_PREGS) fail({ kind: 'BadOperand', vreg: 0 as VReg, inst: i, message: `inst ${i} clobbers preg ${p}, out of range` });
      clobBuf[nClobs + k] = p;
    }
    nClobs += nc;
  }
  opOff[numInsts] = nOps;
  clobOff[numInsts] = nClobs;
  const ops = opBuf.subarray(0, nOps);
  const clobs = clobBuf.subarray(0, nClobs);
  const opVreg = new Int32Array(nOps);
  const opKind = new Uint8Array(nOps);
  const opPos = new Uint8Array(nOps);
  const opCons = new Uint8Array(nOps);
  const TWO32 = 0x1_0000_0000;
  for (let i = 0; i < numInsts; i++) {
    for (let k = opOff[i]; k < opOff[i + 1]; k++) {
      const op = ops[k];
      if (!Number.isSafeInteger(op) || op < 0) fail({ kind: 'BadOperand', vreg: 0 as VReg, inst: i, message: `operand ${k - opOff[i]} of inst ${i} is not a packed operand` });
      const v = (op >>> 0) as VReg;
      const hi = Math.floor(op / TWO32);
      opKind[k] = (hi >>> 1) & 1;
      opPos[k] = hi & 1;
      opCons[k] = (hi >>> 2) & 0xff;
      if (opKind[k] === 1) noteDef(v, i, i);
      opVreg[k] = noteClass(v, i);
    }
  }
  const classOf = (idx: number): number => vregCls[idx];
  const params = new Int32Array(paramsPacked.length);
  for (let k = 0; k < paramsPacked.length; k++) params[k] = paramsPacked[k] >>> 2;

  // Branch arguments.
  const argOff = new Int32Array(succL.length + 1);
  const argL: number[] = [];
  for (let b = 0; b < numBlocks; b++) {
    const last = blockEnd[b] - 1;
    for (let j = 0; j < succOff[b + 1] - succOff[b]; j++) {
      argOff[succOff[b] + j] = argL.length;
      const s = succs[succOff[b] + j];
      const a = f.branchBlockParams(b as Block, last as Inst, j);
      const np = paramOff[s + 1] - paramOff[s];
      if (a.length !== np)
        fail({ kind: 'BranchArgs', block: b, inst: last, message: `inst ${last} passes ${a.length} args to block${s}, which has ${np} params` });
      for (let k = 0; k < a.length; k++) {
        const idx = noteClass(a[k], last);
        const p = params[paramOff[s] + k];
        if (classOf(p) !== (a[k] & 3))
          fail({ kind: 'BranchArgs', block: b, inst: last, message: `inst ${last} passes ${vn(idx, a[k] & 3)} to block${s} param v${p} of another class` });
        argL.push(idx);
      }
    }
  }
  argOff[succL.length] = argL.length;
  const args = Int32Array.from(argL);

  for (let v = 0; v < numVregs; v++) if (vregCls[v] === 255) vregCls[v] = 0;

  // Undefined uses.
  const checkDefined = (idx: number, inst: number): void => {
    if (vregDef[idx] === 0x7fffffff)
      fail({ kind: 'SsaViolation', vreg: (idx * 4 + vregCls[idx]) as VReg, inst, message: `SSA violation: ${vn(idx, vregCls[idx])} used at inst ${inst} but never defined` });
  };
  for (let i = 0; i < numInsts; i++) for (let k = opOff[i]; k < opOff[i + 1]; k++) if (opKind[k] === 0) checkDefined(opVreg[k], i);
  for (let b = 0; b < numBlocks; b++) for (let k = argOff[succOff[b]]; k < argOff[succOff[b + 1]]; k++) checkDefined(args[k], blockEnd[b] - 1);

  // Operand rules. Per-instruction sets are stamp arrays (stamp = instruction
  // number), so the pass allocates nothing per instruction.
  const counts = new Int32Array(3);
  const nAlloc = env.order.map((o) => o.length);
  const fixedEarlyAt = new Int32Array(NUM_PREGS).fill(-1);
  const fixedEarlyV = new Int32Array(NUM_PREGS);
  const fixedLateAt = new Int32Array(NUM_PREGS).fill(-1);
  const fixedLateV = new Int32Array(NUM_PREGS);
  const pregSeen = new Int32Array(NUM_PREGS).fill(-1);
  const vregSeen = new Int32Array(numVregs).fill(-1);
  const badOperand = (i: number, k: number, msg: string): never => {
    const v = opVreg[k];
    const cls = vregCls[v];
    return fail({ kind: 'BadOperand', vreg: (v * 4 + cls) as VReg, inst: i, message: `inst ${i} operand ${k - opOff[i]} (${vn(v, cls)}): ${msg}` });
  };
  for (let i = 0; i < numInsts; i++) {
    const o0 = opOff[i];
    const o1 = opOff[i + 1];
    const term = (instFlags[i] & (FLAG_RET | FLAG_BRANCH)) !== 0;
    let hasFixed = false;
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
      if (term && opKind[k] === 1) badOperand(i, k, 'a branch or return may not define values');
      if (tag === 0 && c !== CONSTRAINT_ANY && c !== CONSTRAINT_REG && c !== CONSTRAINT_STACK) badOperand(i, k, `unknown constraint code ${c}`);
      if (tag === CONSTRAINT_REUSE) {
        const j = c & 63;
        if (opKind[k] !== 1) badOperand(i, k, 'only a def may reuse an input');
        if (opPos[k] !== 1) badOperand(i, k, 'a reuse def must be late');
        if (j >= o1 - o0) badOperand(i, k, `reuse input ${j} does not exist`);
        const kk = o0 + j;
        if (opKind[kk] !== 0 || opPos[kk] !== 0) badOperand(i, k, `reuse input ${j} is not an early use`);
        if (vregCls[opVreg[kk]] !== cls) badOperand(i, k, `reuse input ${j} has another class`);
        if (opCons[kk] !== CONSTRAINT_REG && opCons[kk] !== CONSTRAINT_ANY) badOperand(i, k, `reuse input ${j} must have a reg or any constraint`);
        for (let k2 = o0; k2 < o1; k2++) if (k2 !== k && opCons[k2] === (CONSTRAINT_REUSE | j)) badOperand(i, k, `reuse input ${j} is reused twice`);
      } else if (tag === CONSTRAINT_FIXED) {
        hasFixed = true;
        const p = cls * 64 + (c & 63);
        if (env.pregKind[p] === PREG_KIND_SCRATCH) badOperand(i, k, `fixed to the scratch register p${p & 63}`);
        // A fixed value is copied into place before the instruction and out after it, so
        // early defs and late uses hold their preg at both points; early uses only at the
        // early point, late defs only at the late point.
        const both = opKind[k] === 0 ? opPos[k] === 1 : opPos[k] === 0;
        const early = both || opPos[k] === 0;
        const late = both || opPos[k] === 1;
        if (early) {
          if (fixedEarlyAt[p] === i && fixedEarlyV[p] !== v) badOperand(i, k, `preg p${p & 63} is also fixed for v${fixedEarlyV[p]} at the same point`);
          fixedEarlyAt[p] = i;
          fixedEarlyV[p] = v;
        }
        if (late) {
          if (fixedLateAt[p] === i && fixedLateV[p] !== v) badOperand(i, k, `preg p${p & 63} is also fixed for v${fixedLateV[p]} at the same point`);
          fixedLateAt[p] = i;
          fixedLateV[p] = v;
        }
      } else if (tag === CONSTRAINT_LIMIT) {
        const lim = 1 << (c & 63);
        let any = false;
        for (const p of env.order[cls]) if ((p & 63) < lim) any = true;
        if (!any) badOperand(i, k, `no allocatable register below limit ${lim}`);
      }
    }
    const k0 = clobOff[i];
    const k1 = clobOff[i + 1];
    if (hasFixed)
      for (let k = k0; k < k1; k++) {
        const p = clobs[k];
        // A fixed early def or late use in a clobbered register cannot survive the clobber.
        for (let k2 = o0; k2 < o1; k2++) {
          const c = opCons[k2];
          if ((c & 0xc0) !== CONSTRAINT_FIXED || vregCls[opVreg[k2]] * 64 + (c & 63) !== p) continue;
          const lateUse = opKind[k2] === 0 && opPos[k2] === 1;
          const earlyDef = opKind[k2] === 1 && opPos[k2] === 0;
          if (lateUse || earlyDef)
            fail({ kind: 'BadOperand', vreg: (opVreg[k2] * 4 + vregCls[opVreg[k2]]) as VReg, inst: i, message: `inst ${i} clobbers p${p & 63}, which operand ${k2 - o0} is fixed to at the late point` });
        }
      }
    for (let k = k0; k < k1; k++) {
      const cls = clobs[k] >>> 6;
      if (cls === 0) need0++;
      else if (cls === 1) need1++;
      else need2++;
    }
    if (need0 <= nAlloc[0] && need1 <= nAlloc[1] && need2 <= nAlloc[2]) continue;
    // Register pressure per point and class (live-through values excluded; see the allocator).
    for (let pt = 0; pt < 2; pt++) {
      counts[0] = counts[1] = counts[2] = 0;
      const stamp = 2 * i + pt;
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
      for (let cls = 0; cls < 3; cls++)
        if (counts[cls] > nAlloc[cls]) {
          const k = o0 < o1 ? o0 : -1;
          const vr = (k >= 0 ? opVreg[k] * 4 + vregCls[opVreg[k]] : 0) as VReg;
          fail({
            kind: 'TooManyLiveRegs',
            vreg: vr,
            inst: i,
            message: `inst ${i} needs ${counts[cls]} ${REG_CLASS_NAMES[cls]} registers at its ${pt === 0 ? 'early' : 'late'} point but only ${nAlloc[cls]} are allocatable`,
          });
        }
    }
  }

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

  let debugLabels: { vreg: number; from: number; to: number; label: number }[] = [];
  if (typeof f.debugValueLabels === 'function') {
    debugLabels = f.debugValueLabels().map((d) => ({ vreg: d.vreg >>> 2, from: d.from, to: d.to, label: d.label }));
  }
  const slotSize = [0, 1, 2].map((c) => {
    const s = f.spillslotSize(c as 0 | 1 | 2);
    if (!Number.isInteger(s) || s < 1) fail({ kind: 'BadMachineEnv', message: `spillslotSize(${REG_CLASS_NAMES[c]}) = ${s}; must be a positive integer` });
    return s;
  });

  return {
    numInsts,
    numBlocks,
    entry,
    numVregs,
    blockFirst,
    blockEnd,
    instBlock,
    succOff,
    succs,
    predOff,
    preds,
    paramOff,
    params,
    argOff,
    args,
    opOff,
    opVreg,
    opKind,
    opPos,
    opCons,
    ops,
    clobOff,
    clobs,
    instFlags,
    vregCls,
    vregDef,
    slotSize,
    debugLabels,
  };
}

/** Packed operand at flat index k, for messages. */
export function flatOperand(f: FlatFunction, k: number): Operand {
  return f.ops[k] as Operand;
}
export { CONSTRAINT_FIXED, CONSTRAINT_LIMIT, CONSTRAINT_REG, CONSTRAINT_REUSE, CONSTRAINT_STACK, CONSTRAINT_ANY };

/**
 * The liveness-dependent input rules, for allocators that compute no
 * liveness themselves (the backtracking allocator checks them while building
 * live ranges): every use is reached only through its definition, and nothing
 * is live into the entry block. One backward walk per vreg from its uses.
 */
export function checkDominance(f: FlatFunction): void {
  const nv = f.numVregs;
  const cnt = new Int32Array(nv + 1);
  for (let k = 0; k < f.opVreg.length; k++) if (f.opKind[k] === 0) cnt[f.opVreg[k] + 1]++;
  for (let k = 0; k < f.args.length; k++) cnt[f.args[k] + 1]++;
  for (let v = 0; v < nv; v++) cnt[v + 1] += cnt[v];
  const at = Int32Array.from(cnt.subarray(0, nv));
  const sites = new Int32Array(cnt[nv]);
  for (let i = 0; i < f.numInsts; i++) for (let k = f.opOff[i]; k < f.opOff[i + 1]; k++) if (f.opKind[k] === 0) sites[at[f.opVreg[k]]++] = 2 * i + f.opPos[k];
  for (let b = 0; b < f.numBlocks; b++) for (let k = f.argOff[f.succOff[b]]; k < f.argOff[f.succOff[b + 1]]; k++) sites[at[f.args[k]]++] = 2 * f.blockEnd[b] - 1;
  const mark = new Int32Array(f.numBlocks).fill(-1);
  const stack = new Int32Array(f.numBlocks);
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
