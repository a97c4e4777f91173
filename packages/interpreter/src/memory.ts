// The interpreter's address space: one downward-growing stack region that
// holds every frame's stack slots, and a range of code addresses that stand
// for functions (func_addr, symbol_value) and are never readable.
//
// Layout (all below 2^32 so 32-bit pointers work):
//   [CODE_BASE, CODE_BASE + CODE_STRIDE * n)   function addresses
//   [STACK_BASE, STACK_BASE + stackSize)        stack; frames grow down
// Address 0 and everything outside the stack are unmapped: an access there
// traps. Invariant: `sp` is 16-byte aligned and within the stack region; a
// frame's slots live in [its sp, the caller's sp).

export const CODE_BASE = 0x1000;
export const CODE_STRIDE = 16;
export const STACK_BASE = 0x0100_0000;

export class Memory {
  readonly bytes: Uint8Array;
  /** Current stack pointer (an address). */
  sp: number;
  readonly top: number;

  constructor(readonly stackSize: number) {
    this.bytes = new Uint8Array(stackSize);
    this.top = STACK_BASE + stackSize;
    this.sp = this.top;
  }

  /**
   * Reserves `size` bytes aligned to `align` below sp; returns the new sp,
   * or -1 when the stack is exhausted.
   */
  push(size: number, align: number): number {
    let sp = this.sp - size;
    sp -= sp % Math.max(align, 16);
    if (sp < STACK_BASE) return -1;
    // Fresh slots start zeroed so runs are deterministic.
    this.bytes.fill(0, sp - STACK_BASE, this.sp - STACK_BASE);
    this.sp = sp;
    return sp;
  }

  /** Byte offset in `bytes` of [addr, addr+size), or -1 when not all mapped. */
  offset(addr: number, size: number): number {
    if (addr < STACK_BASE || addr + size > this.top) return -1;
    return addr - STACK_BASE;
  }
}

/** An address operand (number or BigInt) as a number, or -1 if far out of range. */
export function addressOf(v: number | bigint): number {
  if (typeof v === 'number') return v;
  return v > 0xffff_ffffn ? -1 : Number(v);
}
