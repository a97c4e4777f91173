// The fast allocator: one forward pass per block, for cold code and debug
// builds where allocation time matters more than code quality. It owns its own
// decisions and shares only input reading, parallel-move sequencing and the
// output format with the backtracking allocator.
//
// Model: every vreg has a home stack slot (given on first need). Registers are
// a cache over the slots, local to a block: at block entry every register is
// empty and every live value (and every block parameter) is in its slot. Within
// a block a register holds at most one vreg and is "dirty" when the slot is
// stale. Operands are served from registers, loading from slots or copying
// between registers as constraints demand; a dirty value is stored before its
// register is reused or clobbered if it is still needed (needed = used later in
// the block, or used outside its defining block). At the end of a block with
// successors, dirty values needed elsewhere are stored, and block parameters
// are filled slot to slot with a parallel move (at the end of a single-successor
// block, else at the start of the successor, which then has a single
// predecessor).
//
// Post-invariant: edits are emitted in program order; each one is legal in the
// state the simulation had when it was emitted, so the program is correct by
// construction (and the checker confirms it).

import { BUF, type RegallocContext } from './context.js';
import { ALLOC_NONE, RegallocFailure, type Edit, type Output, type ProgPoint, type Stats, type VReg } from './index.js';
import type { LogFn } from './ion/state.js';
import { allocSlot, ParallelMoves, type MoveSink } from './parallel-moves.js';
import {
  CONSTRAINT_ANY,
  CONSTRAINT_FIXED,
  CONSTRAINT_LIMIT,
  CONSTRAINT_REG,
  CONSTRAINT_REUSE,
  CONSTRAINT_STACK,
  outputArrays,
  PREG_KIND_ALLOCATABLE,
  type FlatEnv,
  type FlatFunction,
} from './validate.js';

const REG = 1 << 29;
const STACK = 2 << 29;

export function runFastAlloc(f: FlatFunction, env: FlatEnv, log: LogFn, stats: Stats, ctx: RegallocContext): Output {
  const nv = f.numVregs;
  const slots = { numSlots: 0, f };
  const vregSlot = new Int32Array(nv).fill(-1);
  const slotOf = (v: number): number => {
    if (vregSlot[v] < 0) vregSlot[v] = allocSlot(slots, f.vregCls[v]);
    return STACK | vregSlot[v];
  };

  // Which vregs are needed outside their defining block, and each one's last use.
  const global = new Uint8Array(nv);
  const lastUse = new Int32Array(nv).fill(-1);
  const defBlock = (v: number): number => (f.vregDef[v] < 0 ? -1 - f.vregDef[v] : f.instBlock[f.vregDef[v]]);
  for (let i = 0; i < f.numInsts; i++)
    for (let k = f.opOff[i]; k < f.opOff[i + 1]; k++) {
      if (f.opKind[k] !== 0) continue;
      const v = f.opVreg[k];
      if (i > lastUse[v]) lastUse[v] = i;
      if (defBlock(v) !== f.instBlock[i]) global[v] = 1;
    }
  for (let k = 0; k < f.numArgs; k++) global[f.args[k]] = 1;
  for (let k = 0; k < f.numParams; k++) global[f.params[k]] = 1;

  // Per-preg tables from the context: a fresh 192-entry typed array is an
  // off-heap allocation (~0.4 µs each), refilling one is a tenth of that.
  const regVreg = ctx.filledI32(BUF.faRegVreg, 192, -1);
  const dirty = ctx.filledU8(BUF.faDirty, 192, 0);
  const claimV = ctx.filledI32(BUF.faClaimV, 192, 0);
  const claimE = ctx.filledI32(BUF.faClaimE, 192, -1);
  const claimL = ctx.filledI32(BUF.faClaimL, 192, -1);
  const excl = ctx.filledI32(BUF.faExcl, 192, -1); // fixed-def target at inst
  const clob = ctx.filledI32(BUF.faClob, 192, -1); // clobbered at inst
  const { allocs, offsets } = outputArrays(f);
  const edits: Edit[] = [];
  const pm = new ParallelMoves();
  pm.begin(env, slots);
  let point = 0 as ProgPoint;
  const sink: MoveSink = { push: (a, b) => void edits.push({ point, from: a as Edit['from'], to: b as Edit['to'] }) };
  const emit = (from: number, to: number, cls: number): void => {
    if (from === to) return;
    pm.add(from, to, cls);
    pm.resolve(sink);
  };
  let cur = 0;
  // While the current instruction's uses are being placed, its own operands still count.
  let usesDone = false;
  const needed = (w: number): boolean => global[w] === 1 || lastUse[w] > cur || (!usesDone && lastUse[w] === cur);
  /** Frees register r, storing its value first if that is still needed and stale. */
  const evict = (r: number): void => {
    const w = regVreg[r];
    if (w >= 0 && dirty[r] === 1 && needed(w)) {
      // Another dirty copy may exist; one store makes the slot current for all.
      emit(REG | r, slotOf(w), f.vregCls[w]);
      for (const q of env.order[f.vregCls[w]]) if (regVreg[q] === w) dirty[q] = 0;
    }
    regVreg[r] = -1;
    dirty[r] = 0;
  };
  const findReg = (v: number, limit: number, early: boolean, late: boolean): number => {
    for (const r of env.order[f.vregCls[v]]) {
      if (regVreg[r] !== v || (r & 63) >= limit || excl[r] === cur) continue;
      if (late && clob[r] === cur) continue;
      if (early && claimE[r] === cur && claimV[r] !== v) continue;
      if (late && claimL[r] === cur && claimV[r] !== v) continue;
      return r;
    }
    return -1;
  };
  /** Any register holding v (as a move source; constraints do not matter), or -1. */
  const srcReg = (v: number): number => {
    for (const r of env.order[f.vregCls[v]]) if (regVreg[r] === v) return r;
    return -1;
  };
  /** Chooses a register to receive a value: empty, then dead, then clean, then dirty. */
  const pickReg = (cls: number, limit: number, early: boolean, late: boolean, forbidClobbered: boolean): number => {
    let best = -1;
    let bestRank = 9;
    for (const r of env.order[cls]) {
      if ((r & 63) >= limit || excl[r] === cur) continue;
      if (forbidClobbered && clob[r] === cur) continue;
      if ((early && claimE[r] === cur) || (late && claimL[r] === cur)) continue;
      const w = regVreg[r];
      const rank = w < 0 ? 0 : !needed(w) ? 1 : dirty[r] === 0 ? 2 : 3;
      if (rank < bestRank) {
        best = r;
        bestRank = rank;
        if (rank === 0) break;
      }
    }
    return best;
  };
  /** Registers of cls not yet claimed at the early point (and the late point if `late`). */
  const spare = (cls: number, late: boolean): number => {
    let n = 0;
    for (const r of env.order[cls]) if (excl[r] !== cur && claimE[r] !== cur && !(late && claimL[r] === cur)) n++;
    return n;
  };
  /** Register defs of cls at inst [o0, o1) that need a fresh register at the early (or late) point. */
  const defNeed = (o0: number, o1: number, cls: number, late: boolean): number => {
    let n = 0;
    for (let k = o0; k < o1; k++) {
      if (f.opKind[k] !== 1 || f.vregCls[f.opVreg[k]] !== cls) continue;
      const c = f.opCons[k];
      if (c !== CONSTRAINT_REG && (c & 0xc0) !== CONSTRAINT_LIMIT) continue;
      if (late || f.opPos[k] === 0) n++;
    }
    return n;
  };
  const claim = (r: number, v: number, early: boolean, late: boolean): void => {
    claimV[r] = v;
    if (early) claimE[r] = cur;
    if (late) claimL[r] = cur;
  };
  /** Puts v into a register satisfying `limit`; returns it. */
  const loadIntoReg = (v: number, limit: number, early: boolean, late: boolean, forbidClobbered: boolean): number => {
    const have = findReg(v, limit, early, late);
    if (have >= 0 && !(forbidClobbered && clob[have] === cur)) return have;
    const r = pickReg(f.vregCls[v], limit, early, late, forbidClobbered);
    if (r < 0) {
      throw new RegallocFailure({
        kind: 'TooManyLiveRegs',
        vreg: (v * 4 + f.vregCls[v]) as VReg,
        inst: cur,
        message: `v${v} needs a register at inst ${cur} but all are taken by other operands`,
      });
    }
    const src = srcReg(v);
    evict(r);
    if (src >= 0) {
      emit(REG | src, REG | r, f.vregCls[v]);
      dirty[r] = dirty[src];
    } else {
      emit(slotOf(v), REG | r, f.vregCls[v]);
      dirty[r] = 0;
    }
    regVreg[r] = v;
    return r;
  };
  /** Makes v's slot current (stores a dirty register copy). */
  const flushToSlot = (v: number): void => {
    for (const r of env.order[f.vregCls[v]])
      if (regVreg[r] === v && dirty[r] === 1) {
        emit(REG | r, slotOf(v), f.vregCls[v]);
        for (const q of env.order[f.vregCls[v]]) if (regVreg[q] === v) dirty[q] = 0;
        return;
      }
  };

  const edgeMoves = (pred: number, j: number): void => {
    const succ = f.succs[j];
    for (let k = f.argOff[j], q = f.paramOff[succ]; k < f.argOff[j + 1]; k++, q++) {
      const a = f.args[k];
      const p = f.params[q];
      pm.add(slotOf(a), slotOf(p), f.vregCls[p]);
    }
    void pred;
    pm.resolve(sink);
  };

  for (let b = 0; b < f.numBlocks; b++) {
    regVreg.fill(-1);
    dirty.fill(0);
    const first = f.blockFirst[b];
    const last = f.blockEnd[b] - 1;
    // Block parameters arriving from a multi-successor predecessor are copied here.
    if (f.predOff[b + 1] - f.predOff[b] === 1) {
      const p = f.preds[f.predOff[b]];
      if (f.succOff[p + 1] - f.succOff[p] > 1) {
        point = (2 * first) as ProgPoint;
        for (let j = f.succOff[p]; j < f.succOff[p + 1]; j++) if (f.succs[j] === b) edgeMoves(p, j);
      }
    }
    for (let i = first; i <= last; i++) {
      cur = i;
      usesDone = false;
      point = (2 * i) as ProgPoint;
      const o0 = f.opOff[i];
      const o1 = f.opOff[i + 1];
      // Does the instruction destroy any register (a clobber or a fixed def)?
      let destroys = f.clobOff[i + 1] > f.clobOff[i];
      for (let k = f.clobOff[i]; k < f.clobOff[i + 1]; k++) clob[f.clobs[k]] = i;
      for (let k = o0; k < o1; k++)
        if (f.opKind[k] === 1 && (f.opCons[k] & 0xc0) === CONSTRAINT_FIXED) {
          excl[f.vregCls[f.opVreg[k]] * 64 + (f.opCons[k] & 63)] = i;
          destroys = true;
        }
      // 1. Fixed uses.
      for (let k = o0; k < o1; k++) {
        const c = f.opCons[k];
        if (f.opKind[k] !== 0 || (c & 0xc0) !== CONSTRAINT_FIXED) continue;
        const v = f.opVreg[k];
        const p = f.vregCls[v] * 64 + (c & 63);
        const late = f.opPos[k] === 1;
        if (env.pregKind[p] === PREG_KIND_ALLOCATABLE) {
          if (regVreg[p] !== v) {
            const src = srcReg(v);
            evict(p);
            if (src >= 0) {
              emit(REG | src, REG | p, f.vregCls[v]);
              dirty[p] = dirty[src];
            } else emit(slotOf(v), REG | p, f.vregCls[v]);
            regVreg[p] = v;
          }
          claim(p, v, true, late);
        } else {
          const src = srcReg(v);
          emit(src >= 0 ? REG | src : slotOf(v), REG | p, f.vregCls[v]);
        }
        allocs[k] = REG | p;
      }
      // 2. Register uses (reuse inputs included), then any/stack uses.
      for (let pass = 0; pass < 2; pass++)
        for (let k = o0; k < o1; k++) {
          if (f.opKind[k] !== 0) continue;
          const c = f.opCons[k];
          const tag = c & 0xc0;
          if (tag === CONSTRAINT_FIXED) continue;
          const v = f.opVreg[k];
          const late = f.opPos[k] === 1;
          let reused = -1;
          for (let k2 = o0; k2 < o1; k2++) if (f.opCons[k2] === (CONSTRAINT_REUSE | (k - o0))) reused = k2;
          const wantsReg = c === CONSTRAINT_REG || tag === CONSTRAINT_LIMIT || reused >= 0;
          if (pass === 0 && wantsReg) {
            const limit = tag === CONSTRAINT_LIMIT ? 1 << (c & 63) : 64;
            if (reused >= 0) {
              // The def overwrites this register: use a register no one else reads.
              const r = pickReg(f.vregCls[v], limit, true, true, true);
              if (r < 0) throw new RegallocFailure({ kind: 'TooManyLiveRegs', vreg: (v * 4 + f.vregCls[v]) as VReg, inst: i, message: `no register for reused input v${v} at inst ${i}` });
              const src = srcReg(v);
              if (src !== r) {
                if (src >= 0 && dirty[src] === 1 && needed(v)) flushToSlot(v);
                const from = src >= 0 ? REG | src : slotOf(v);
                evict(r);
                emit(from, REG | r, f.vregCls[v]);
              } else if (dirty[r] === 1 && needed(v)) flushToSlot(v);
              regVreg[r] = v;
              dirty[r] = 0;
              // Owned by the def from here on: no other operand, not even v's, may share it.
              claim(r, -2, true, true);
              allocs[k] = REG | r;
            } else {
              const r = loadIntoReg(v, limit, true, late, late);
              claim(r, v, true, late);
              allocs[k] = REG | r;
            }
          } else if (pass === 1 && !wantsReg) {
            if (c === CONSTRAINT_STACK) {
              flushToSlot(v);
              allocs[k] = slotOf(v);
            } else {
              // Use a register copy only if it leaves enough registers for the defs.
              const r = findReg(v, 64, true, late);
              if (r >= 0 && !(late && clob[r] === i) && spare(f.vregCls[v], late) > defNeed(o0, o1, f.vregCls[v], late)) {
                claim(r, v, true, late);
                allocs[k] = REG | r;
              } else {
                flushToSlot(v);
                allocs[k] = slotOf(v);
              }
            }
          }
        }
      usesDone = true;
      // 3. Save what clobbers and fixed defs would destroy.
      for (let cls = 0; cls < 3 && destroys; cls++)
        for (const r of env.order[cls]) {
          if (clob[r] !== i && excl[r] !== i) continue;
          const w = regVreg[r];
          if (w >= 0 && dirty[r] === 1 && needed(w)) {
            emit(REG | r, slotOf(w), cls);
            for (const q of env.order[cls]) if (regVreg[q] === w) dirty[q] = 0;
          }
        }
      // 4. Defs: early defs that need a register first (they need one free at both
      // points, while a late def may also take a register only claimed early), then
      // late ones, then 'any' defs take what is left.
      for (let k = o0, pass = 0; pass < 3; k++) {
        if (k === o1) {
          k = o0 - 1;
          pass++;
          continue;
        }
        if (f.opKind[k] !== 1) continue;
        const defPass = f.opCons[k] === CONSTRAINT_ANY ? 2 : f.opPos[k] === 0 ? 0 : 1;
        if (defPass !== pass) continue;
        const c = f.opCons[k];
        const tag = c & 0xc0;
        const v = f.opVreg[k];
        const cls = f.vregCls[v];
        const early = f.opPos[k] === 0;
        if (tag === CONSTRAINT_FIXED) allocs[k] = REG | (cls * 64 + (c & 63));
        else if (tag === CONSTRAINT_REUSE) allocs[k] = allocs[o0 + (c & 63)];
        else if (c === CONSTRAINT_STACK) allocs[k] = slotOf(v);
        else {
          const limit = tag === CONSTRAINT_LIMIT ? 1 << (c & 63) : 64;
          let r = pickReg(cls, limit, early, true, true);
          if (c === CONSTRAINT_ANY && r >= 0 && regVreg[r] >= 0 && needed(regVreg[r])) r = -1;
          if (r < 0) {
            if (c === CONSTRAINT_ANY) {
              allocs[k] = slotOf(v);
              continue;
            }
            throw new RegallocFailure({ kind: 'TooManyLiveRegs', vreg: (v * 4 + cls) as VReg, inst: i, message: `no register for def v${v} at inst ${i}` });
          }
          evict(r);
          claim(r, v, early, true);
          allocs[k] = REG | r;
        }
      }
      // 5. The instruction runs: clobbers empty registers, defs fill theirs.
      for (let k = f.clobOff[i]; k < f.clobOff[i + 1]; k++) {
        const p = f.clobs[k];
        regVreg[p] = -1;
        dirty[p] = 0;
      }
      for (let k = o0; k < o1; k++) {
        if (f.opKind[k] !== 1) continue;
        const a = allocs[k];
        const v = f.opVreg[k];
        if (a >>> 29 === 1) {
          const p = a & 0x1fffffff;
          if (env.pregKind[p] === PREG_KIND_ALLOCATABLE) {
            for (const q of env.order[p >> 6]) if (regVreg[q] === v) regVreg[q] = -1;
            regVreg[p] = v;
            dirty[p] = 1;
          } else {
            // A def into a non-allocatable preg goes home right away.
            point = (2 * i + 1) as ProgPoint;
            emit(a, slotOf(v), f.vregCls[v]);
            point = (2 * i) as ProgPoint;
          }
        }
      }
      if (i === last && f.succOff[b + 1] > f.succOff[b]) {
        // Defs are not allowed on terminators, so everything below runs before the branch.
        for (const cls of [0, 1, 2])
          for (const r of env.order[cls]) {
            const w = regVreg[r];
            if (w >= 0 && dirty[r] === 1 && global[w] === 1) {
              emit(REG | r, slotOf(w), cls);
              for (const q of env.order[cls]) if (regVreg[q] === w) dirty[q] = 0;
            }
          }
        if (f.succOff[b + 1] - f.succOff[b] === 1) edgeMoves(b, f.succOff[b]);
      }
    }
  }
  for (let k = 0; k < allocs.length; k++) if (allocs[k] === ALLOC_NONE) throw new RegallocFailure({ kind: 'CheckerFailed', inst: 0, message: `internal: operand ${k} left without allocation` });
  void log;
  stats.spilledBundles = 0;
  for (let v = 0; v < nv; v++) if (vregSlot[v] >= 0) stats.spilledBundles++;
  return {
    allocs,
    instAllocOffsets: offsets,
    edits,
    numSpillslots: slots.numSlots,
    stats,
    debugLocations: [],
  };
}
