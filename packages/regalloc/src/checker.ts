// The checker: proves that an allocator's output is correct for its input by
// symbolic execution of the allocated program, independent of how the output
// was produced. It owns no allocation logic.
//
// Lattice: an abstract state maps each location (register or stack slot) to
// the set of vregs whose current value it is known to hold. The meet at a
// block entry intersects the sets of all predecessors (a location holds v only
// if it does on every incoming path); unvisited predecessors are ignored (top).
// The entry block starts empty. Transfer functions:
//   - an edit `to <- from` makes `to` hold exactly what `from` holds;
//   - an instruction first reads: each use's allocation must hold its vreg;
//     then it writes: its def vregs are removed from every location (their
//     old values are dead), clobbered registers become empty, and each def's
//     allocation holds exactly its vreg;
//   - along an edge, block parameters are removed everywhere and then added to
//     every location that holds the corresponding branch argument.
// Besides values, it checks every operand's constraint (reg, stack, fixed,
// reuse, limit), that defs of one instruction do not share a location with
// each other or with uses they would overwrite, that slots are within
// `numSpillslots`, and that no edit moves stack to stack.
//
// The dataflow runs to a fixed point first and checks in one final pass, so a
// reported error holds in the fixed point. Unreachable blocks are not checked.

import { NUM_PREGS, type MachineEnv, type Output, type RegallocFunction } from './index.js';
import {
  CONSTRAINT_ANY,
  CONSTRAINT_FIXED,
  CONSTRAINT_LIMIT,
  CONSTRAINT_REG,
  CONSTRAINT_REUSE,
  CONSTRAINT_STACK,
  PREG_KIND_ALLOCATABLE,
  PREG_KIND_FIXED_STACK,
  readEnv,
  readFunction,
  type FlatEnv,
  type FlatFunction,
} from './validate.js';

export interface CheckerError {
  readonly inst: number;
  readonly message: string;
}

type State = Map<number, Set<number>>;

const KIND_SHIFT = 29;

function locName(a: number): string {
  const k = a >>> KIND_SHIFT;
  const idx = a & 0x1fffffff;
  if (k === 1) return `p${idx & 63}${'ifv'[idx >> 6] ?? '?'}`;
  if (k === 2) return `stack${idx}`;
  return `invalid(${a})`;
}

function cloneState(s: State): State {
  const n: State = new Map();
  for (const [k, v] of s) n.set(k, new Set(v));
  return n;
}

/** Meets `incoming` into `into` (intersection); returns true if `into` changed. */
function meetInto(into: State, incoming: State): boolean {
  let changed = false;
  for (const [loc, set] of into) {
    const other = incoming.get(loc);
    if (other === undefined) {
      into.delete(loc);
      changed = true;
      continue;
    }
    for (const v of set)
      if (!other.has(v)) {
        set.delete(v);
        changed = true;
      }
    if (set.size === 0) into.delete(loc);
  }
  return changed;
}

class Checker {
  readonly errors: CheckerError[] = [];
  private reporting = false;
  private readonly editsAt = new Map<number, { from: number; to: number }[]>();

  constructor(
    private readonly f: FlatFunction,
    private readonly env: FlatEnv,
    private readonly out: Output,
  ) {
    let last = -1;
    for (const e of out.edits) {
      if (e.point < last) this.err(e.point >>> 1, `edits are not sorted by program point at ${e.point}`, true);
      last = e.point;
      let list = this.editsAt.get(e.point);
      if (list === undefined) this.editsAt.set(e.point, (list = []));
      list.push({ from: e.from, to: e.to });
    }
  }

  private err(inst: number, message: string, always = false): void {
    if (this.reporting || always) this.errors.push({ inst, message: `inst ${inst}: ${message}` });
  }

  private validLoc(a: number): boolean {
    const k = a >>> KIND_SHIFT;
    const idx = a & 0x1fffffff;
    if (k === 1) return idx < NUM_PREGS;
    if (k === 2) return idx < this.out.numSpillslots;
    return false;
  }

  private stackLike(a: number): boolean {
    const k = a >>> KIND_SHIFT;
    return k === 2 || (k === 1 && this.env.pregKind[a & 0x1fffffff] === PREG_KIND_FIXED_STACK);
  }

  private applyEdits(state: State, point: number): void {
    const list = this.editsAt.get(point);
    if (list === undefined) return;
    for (const e of list) {
      const inst = point >>> 1;
      if (!this.validLoc(e.from) || !this.validLoc(e.to)) {
        this.err(inst, `edit ${locName(e.to)} <- ${locName(e.from)} names an invalid location`);
        continue;
      }
      if (this.stackLike(e.from) && this.stackLike(e.to)) this.err(inst, `edit ${locName(e.to)} <- ${locName(e.from)} moves stack to stack`);
      const src = state.get(e.from);
      if (src === undefined || src.size === 0) state.delete(e.to);
      else state.set(e.to, new Set(src));
    }
  }

  private checkInst(state: State, i: number): void {
    const f = this.f;
    const o0 = f.opOff[i];
    const o1 = f.opOff[i + 1];
    const allocs = this.out.allocs;
    const name = (k: number): string => `operand ${k - o0} (v${f.opVreg[k]})`;
    for (let k = o0; k < o1; k++) {
      const a = allocs[k];
      const c = f.opCons[k];
      const tag = c & 0xc0;
      const cls = f.vregCls[f.opVreg[k]];
      if (!this.validLoc(a)) {
        this.err(i, `${name(k)} has invalid allocation ${locName(a)}`);
        continue;
      }
      const isReg = a >>> KIND_SHIFT === 1;
      const p = a & 0x1fffffff;
      const allocatable = isReg && this.env.pregKind[p] === PREG_KIND_ALLOCATABLE && p >> 6 === cls;
      if (tag === CONSTRAINT_FIXED) {
        if (!isReg || p !== cls * 64 + (c & 63)) this.err(i, `${name(k)} must be in p${c & 63} but is in ${locName(a)}`);
      } else if (c === CONSTRAINT_STACK) {
        if (isReg) this.err(i, `${name(k)} must be on the stack but is in ${locName(a)}`);
      } else if (c === CONSTRAINT_REG) {
        if (!allocatable) this.err(i, `${name(k)} must be in an allocatable register but is in ${locName(a)}`);
      } else if (tag === CONSTRAINT_LIMIT) {
        if (!allocatable || (p & 63) >= 1 << (c & 63)) this.err(i, `${name(k)} must be in a register below ${1 << (c & 63)} but is in ${locName(a)}`);
      } else if (tag === CONSTRAINT_REUSE) {
        if (!allocatable) this.err(i, `${name(k)} must be in a register but is in ${locName(a)}`);
        if (allocs[o0 + (c & 63)] !== a) this.err(i, `${name(k)} must share input ${c & 63}'s location`);
      } else if (c === CONSTRAINT_ANY) {
        if (isReg && !allocatable) this.err(i, `${name(k)} is in ${locName(a)}, which is not allocatable`);
      }
      if (f.opKind[k] === 0) {
        const set = state.get(a);
        if (set === undefined || !set.has(f.opVreg[k])) {
          const holds = set === undefined ? 'nothing known' : `{${[...set].map((v) => `v${v}`).join(',')}}`;
          this.err(i, `${name(k)} reads ${locName(a)}, which holds ${holds}`);
        }
      }
    }
    // Defs must not collide with each other or with uses they would overwrite.
    for (let k = o0; k < o1; k++) {
      if (f.opKind[k] !== 1) continue;
      for (let k2 = o0; k2 < o1; k2++) {
        if (k2 === k || allocs[k2] !== allocs[k]) continue;
        if (f.opKind[k2] === 1) {
          if (k2 > k) this.err(i, `${name(k)} and ${name(k2)} are both defined into ${locName(allocs[k])}`);
        } else {
          const reused = (f.opCons[k] & 0xc0) === CONSTRAINT_REUSE && o0 + (f.opCons[k] & 63) === k2;
          // A late def may overwrite an early use (read first); nothing else may share.
          const ok = reused || (f.opPos[k] === 1 && f.opPos[k2] === 0 && f.opVreg[k2] !== f.opVreg[k]);
          if (!ok) this.err(i, `${name(k)} is defined into ${locName(allocs[k])}, which ${name(k2)} reads`);
        }
      }
    }
    // Effects.
    for (let k = o0; k < o1; k++) if (f.opKind[k] === 1) for (const set of state.values()) set.delete(f.opVreg[k]);
    for (let k = f.clobOff[i]; k < f.clobOff[i + 1]; k++) state.delete((1 << KIND_SHIFT) | f.clobs[k]);
    for (let k = o0; k < o1; k++) if (f.opKind[k] === 1) state.set(allocs[k], new Set([f.opVreg[k]]));
  }

  private runBlock(state: State, b: number): void {
    const f = this.f;
    for (let i = f.blockFirst[b]; i < f.blockEnd[b]; i++) {
      this.applyEdits(state, 2 * i);
      this.checkInst(state, i);
      this.applyEdits(state, 2 * i + 1);
    }
  }

  private edgeState(state: State, b: number, j: number): State {
    const f = this.f;
    const s = cloneState(state);
    const succ = f.succs[j];
    const p0 = f.paramOff[succ];
    const np = f.paramOff[succ + 1] - p0;
    if (np === 0) return s;
    const params = new Set<number>();
    for (let k = 0; k < np; k++) params.add(f.params[p0 + k]);
    const adds: [number, number][] = [];
    for (const [loc, set] of s) for (let k = 0; k < np; k++) if (set.has(f.args[f.argOff[j] + k])) adds.push([loc, f.params[p0 + k]]);
    for (const [loc, set] of s) {
      for (const p of params) set.delete(p);
      if (set.size === 0) s.delete(loc);
    }
    for (const [loc, p] of adds) {
      let set = s.get(loc);
      if (set === undefined) s.set(loc, (set = new Set()));
      set.add(p);
    }
    return s;
  }

  run(): void {
    const f = this.f;
    const nb = f.numBlocks;
    const inState: (State | undefined)[] = new Array<State | undefined>(nb);
    inState[f.entry] = new Map();
    const work: number[] = [f.entry];
    const queued = new Uint8Array(nb);
    queued[f.entry] = 1;
    let steps = 0;
    while (work.length > 0 && steps++ < 100 * nb + 1000) {
      const b = work.shift() as number;
      queued[b] = 0;
      const st = cloneState(inState[b] as State);
      this.runBlock(st, b);
      for (let j = f.succOff[b]; j < f.succOff[b + 1]; j++) {
        const succ = f.succs[j];
        const es = this.edgeState(st, b, j);
        const cur = inState[succ];
        let changed: boolean;
        if (cur === undefined) {
          inState[succ] = succ === f.entry ? new Map() : es;
          changed = true;
        } else changed = meetInto(cur, es);
        if (changed && queued[succ] === 0) {
          queued[succ] = 1;
          work.push(succ);
        }
      }
    }
    this.reporting = true;
    for (let b = 0; b < nb; b++) {
      const s = inState[b];
      if (s !== undefined) this.runBlock(cloneState(s), b);
    }
  }
}

/**
 * Checks `out` against `func` on `env`. Returns the list of problems found
 * (empty when the output is proven correct). Invalid input throws the same
 * `RegallocFailure` as `run`.
 */
export function checkOutput(func: RegallocFunction, env: MachineEnv, out: Output): CheckerError[] {
  const fenv = readEnv(env);
  const f = readFunction(func, fenv);
  if (out.allocs.length !== f.numOps || out.instAllocOffsets.length !== f.numInsts + 1)
    return [{ inst: 0, message: `output has ${out.allocs.length} allocations for ${f.numOps} operands` }];
  for (let i = 0; i <= f.numInsts; i++)
    if (out.instAllocOffsets[i] !== f.opOff[i]) return [{ inst: i, message: `instAllocOffsets[${i}] does not match the operand count` }];
  const c = new Checker(f, fenv, out);
  c.run();
  return c.errors;
}
