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

export class ParallelMoves {
  private src: number[] = [];
  private dst: number[] = [];
  private cls: number[] = [];
  private readonly cycleSlot = [-1, -1, -1];
  private readonly saveSlot = [-1, -1, -1];

  constructor(
    private readonly env: FlatEnv,
    /** Reserves a fresh spill slot of a class (for emergency slots). */
    private readonly newSlot: (cls: number) => number,
  ) {}

  isStackLike(a: number): boolean {
    if (a >>> KIND_SHIFT === 2) return true;
    return a >>> KIND_SHIFT === 1 && this.env.pregKind[a & 0x1fffffff] === PREG_KIND_FIXED_STACK;
  }

  add(from: number, to: number, cls: number): void {
    if (from === to) return;
    for (let k = 0; k < this.dst.length; k++)
      if (this.dst[k] === to) {
        if (this.src[k] === from) return;
        throw new RegallocFailure({ kind: 'CheckerFailed', inst: 0, message: `internal: two moves into one location ${to}` });
      }
    this.src.push(from);
    this.dst.push(to);
    this.cls.push(cls);
  }

  get pending(): number {
    return this.src.length;
  }

  /** Emits the sequence through `emit(from, to)` and empties the set. */
  resolve(emit: (from: number, to: number) => void): void {
    const src = this.src;
    const dst = this.dst;
    const cls = this.cls;
    if (src.length === 1) {
      this.emitOne(src[0], dst[0], cls[0], emit, -1);
      src.length = dst.length = cls.length = 0;
      return;
    }
    // Which classes need the scratch register for stack-to-stack moves?
    const stackStack = [false, false, false];
    for (let k = 0; k < src.length; k++) if (this.isStackLike(src[k]) && this.isStackLike(dst[k])) stackStack[cls[k]] = true;
    let tempInUse = -1;
    while (src.length > 0) {
      let progress = false;
      for (let k = 0; k < src.length; ) {
        const d = dst[k];
        let blocked = false;
        for (let j = 0; j < src.length; j++)
          if (j !== k && src[j] === d) {
            blocked = true;
            break;
          }
        if (blocked) {
          k++;
          continue;
        }
        this.emitOne(src[k], d, cls[k], emit, tempInUse);
        if (src[k] === tempInUse) {
          let still = false;
          for (let j = 0; j < src.length; j++) if (j !== k && src[j] === tempInUse) still = true;
          if (!still) tempInUse = -1;
        }
        src.splice(k, 1);
        dst.splice(k, 1);
        cls.splice(k, 1);
        progress = true;
      }
      if (progress || src.length === 0) continue;
      // Only cycles remain: park the destination of the first move in a temporary.
      const c = cls[0];
      const b = dst[0];
      const scratch = this.env.scratch[c];
      let tmp: number;
      if (scratch >= 0 && !stackStack[c]) tmp = REG | scratch;
      else {
        if (this.cycleSlot[c] < 0) this.cycleSlot[c] = this.newSlot(c);
        tmp = STACK | this.cycleSlot[c];
      }
      this.emitOne(b, tmp, c, emit, -1);
      tempInUse = tmp;
      for (let j = 0; j < src.length; j++) if (src[j] === b) src[j] = tmp;
    }
  }

  private emitOne(from: number, to: number, c: number, emit: (from: number, to: number) => void, tempInUse: number): void {
    if (from === to) return;
    if (!(this.isStackLike(from) && this.isStackLike(to))) {
      emit(from, to);
      return;
    }
    const scratch = this.env.scratch[c];
    if (scratch >= 0 && tempInUse !== (REG | scratch)) {
      emit(from, REG | scratch);
      emit(REG | scratch, to);
      return;
    }
    const regs = this.env.order[c];
    if (regs.length === 0)
      throw new RegallocFailure({ kind: 'BadMachineEnv', message: `a stack-to-stack move of class ${c} needs a scratch or allocatable register` });
    const r = REG | regs[0];
    if (this.saveSlot[c] < 0) this.saveSlot[c] = this.newSlot(c);
    const save = STACK | this.saveSlot[c];
    emit(r, save);
    emit(from, r);
    emit(r, to);
    emit(save, r);
  }
}
