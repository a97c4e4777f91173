// Parallel-move sequencing, shared by both allocators. Owns the translation of
// a set of moves that conceptually happen at once (all sources read before any
// destination is written) into a sequence of single moves, plus the lowering
// of stack-to-stack moves, which no client has to implement.
//
// Cycles are broken with a temporary: the class's scratch register when it has
// one and no stack-to-stack move of that class needs it, else a dedicated
// emergency stack slot. A stack-to-stack move goes through the scratch
// register, or, without one, through an allocatable register that is saved to
// a second emergency slot and restored around it.
//
// Post-invariant of `resolve`: executing the emitted moves in order leaves
// every destination holding the value its source held before the set, touches
// no other location except scratch registers and emergency slots (restoring
// any register it borrows), and emits no stack-to-stack move.

import { RegallocFailure } from './index.js';
import { PREG_KIND_FIXED_STACK, type FlatEnv } from './validate.js';

const KIND_SHIFT = 29;
const REG = 1 << KIND_SHIFT;
const STACK = 2 << KIND_SHIFT;

/** Where emitted moves go, in order. */
export interface MoveSink {
  push(from: number, to: number): void;
}

/** A run's spill-slot counter, and the slot sizes per class. */
export interface SlotCounter {
  numSlots: number;
  readonly f: { readonly slotSize: readonly number[] };
}

/** Reserves a fresh spill slot of class `cls`, aligned to its size. */
export function allocSlot(s: SlotCounter, cls: number): number {
  const size = s.f.slotSize[cls];
  const slot = Math.ceil(s.numSlots / size) * size;
  s.numSlots = slot + size;
  return slot;
}

/** Reusable across runs: `begin` starts each run (emergency slots are per run). */
export class ParallelMoves {
  // The pending set, in insertion order; `done[k]` marks moves already emitted.
  private src: Int32Array = new Int32Array(16);
  private dst: Int32Array = new Int32Array(16);
  private cls: Int32Array = new Int32Array(16);
  private done = new Uint8Array(16);
  private n = 0;
  private readonly cycleSlot = [-1, -1, -1];
  private readonly saveSlot = [-1, -1, -1];
  private readonly stackStack = [false, false, false];
  private env!: FlatEnv;
  /** Emergency slots are reserved from this run's counter. */
  private slots!: SlotCounter;

  begin(env: FlatEnv, slots: SlotCounter): void {
    this.env = env;
    this.slots = slots;
    this.n = 0;
    for (let c = 0; c < 3; c++) this.cycleSlot[c] = this.saveSlot[c] = -1;
  }

  isStackLike(a: number): boolean {
    if (a >>> KIND_SHIFT === 2) return true;
    return a >>> KIND_SHIFT === 1 && this.env.pregKind[a & 0x1fffffff] === PREG_KIND_FIXED_STACK;
  }

  add(from: number, to: number, cls: number): void {
    if (from === to) return;
    for (let k = 0; k < this.n; k++)
      if (this.dst[k] === to) {
        if (this.src[k] === from) return;
        throw new RegallocFailure({ kind: 'CheckerFailed', inst: 0, message: `internal: two moves into one location ${to}` });
      }
    if (this.n === this.src.length) {
      const m = 2 * this.n;
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(m);
        b.set(a);
        return b;
      };
      this.src = grow(this.src);
      this.dst = grow(this.dst);
      this.cls = grow(this.cls);
      this.done = new Uint8Array(m);
    }
    this.src[this.n] = from;
    this.dst[this.n] = to;
    this.cls[this.n++] = cls;
  }

  get pending(): number {
    return this.n;
  }

  /** Emits the sequence into `emit` and empties the set. */
  resolve(emit: MoveSink): void {
    const src = this.src;
    const dst = this.dst;
    const cls = this.cls;
    const done = this.done;
    const n = this.n;
    this.n = 0;
    if (n === 1) {
      this.emitOne(src[0], dst[0], cls[0], emit, -1);
      return;
    }
    done.fill(0, 0, n);
    // Which classes need the scratch register for stack-to-stack moves?
    const stackStack = this.stackStack;
    stackStack[0] = stackStack[1] = stackStack[2] = false;
    for (let k = 0; k < n; k++) if (this.isStackLike(src[k]) && this.isStackLike(dst[k])) stackStack[cls[k]] = true;
    let tempInUse = -1;
    let left = n;
    while (left > 0) {
      let progress = false;
      // A move runs when no other pending move still reads its destination.
      for (let k = 0; k < n; k++) {
        if (done[k] === 1) continue;
        const d = dst[k];
        let blocked = false;
        for (let j = 0; j < n; j++)
          if (j !== k && done[j] === 0 && src[j] === d) {
            blocked = true;
            break;
          }
        if (blocked) continue;
        this.emitOne(src[k], d, cls[k], emit, tempInUse);
        if (src[k] === tempInUse) {
          let still = false;
          for (let j = 0; j < n; j++) if (j !== k && done[j] === 0 && src[j] === tempInUse) still = true;
          if (!still) tempInUse = -1;
        }
        done[k] = 1;
        left--;
        progress = true;
      }
      if (progress || left === 0) continue;
      // Only cycles remain: park the destination of the first pending move in a temporary.
      let first = 0;
      while (done[first] === 1) first++;
      const c = cls[first];
      const b = dst[first];
      const scratch = this.env.scratch[c];
      let tmp: number;
      if (scratch >= 0 && !stackStack[c]) tmp = REG | scratch;
      else {
        if (this.cycleSlot[c] < 0) this.cycleSlot[c] = allocSlot(this.slots, c);
        tmp = STACK | this.cycleSlot[c];
      }
      this.emitOne(b, tmp, c, emit, -1);
      tempInUse = tmp;
      for (let j = 0; j < n; j++) if (done[j] === 0 && src[j] === b) src[j] = tmp;
    }
  }

  /** Emits one move that forms a parallel group on its own. */
  emitSingle(from: number, to: number, c: number, emit: MoveSink): void {
    this.emitOne(from, to, c, emit, -1);
  }

  private emitOne(from: number, to: number, c: number, emit: MoveSink, tempInUse: number): void {
    if (from === to) return;
    if (!(this.isStackLike(from) && this.isStackLike(to))) {
      emit.push(from, to);
      return;
    }
    const scratch = this.env.scratch[c];
    if (scratch >= 0 && tempInUse !== (REG | scratch)) {
      emit.push(from, REG | scratch);
      emit.push(REG | scratch, to);
      return;
    }
    const regs = this.env.order[c];
    if (regs.length === 0)
      throw new RegallocFailure({ kind: 'BadMachineEnv', message: `a stack-to-stack move of class ${c} needs a scratch or allocatable register` });
    const r = REG | regs[0];
    if (this.saveSlot[c] < 0) this.saveSlot[c] = allocSlot(this.slots, c);
    const save = STACK | this.saveSlot[c];
    emit.push(r, save);
    emit.push(from, r);
    emit.push(r, to);
    emit.push(save, r);
  }
}
