// Layout: the order of blocks in a function and of instructions in blocks.
// It owns order only — what an instruction computes is the DFG's business.
//
// Both orders are doubly linked lists in typed arrays (prev/next per id),
// so insertion and removal are O(1). Order queries (`instBefore`) compare
// sparse sequence numbers, like BASIC line numbers: new entries take the
// midpoint of their neighbours, and only when no gap is left is a local
// stretch renumbered, so queries stay O(1) and inserts amortized O(1).
//
// Storage: one strided table of block records and one of instruction
// records, which start out as regions of one Uint32Array (given by the
// Function, else allocated on first use), so a function's layout costs at
// most three typed arrays however many entities it has; cold marks are a
// flag bit. A record is initialized when its id is first used (records past
// the counts are never read, and fresh storage is zero), so a small
// function pays nothing for the room it does not use.
//
// Invariants:
// - An instruction is in at most one block; `instBlock(i)` is NONE when it
//   is not inserted. Likewise a block is inserted at most once.
// - Sequence numbers strictly increase along each list.

import type { Block, Inst } from './entities.js';
import * as entities from './entities.js';
import * as pool from './pool.js';

// Imported bindings are live, so V8 reads them afresh at every use; the
// values used on hot paths are copied into module constants, which it
// folds into the compiled code.
const { NONE } = entities;
const { carveWords, copyWords, newU32, slabWords } = pool;

const SEQ_STRIDE = 16;
const SEQ_MAX = 0xffffffff;

// Block record: prev, next, first inst, last inst, flags, seq.
const BS = 6;
const B_PREV = 0;
const B_NEXT = 1;
const B_FIRST = 2;
const B_LAST = 3;
const B_FLAGS = 4;
const B_SEQ = 5;
const F_INSERTED = 1;
const F_COLD = 2;
// Instruction record: prev, next, block, seq.
const IS = 4;
const I_PREV = 0;
const I_NEXT = 1;
const I_BLOCK = 2;
const I_SEQ = 3;

const EMPTY = new Uint32Array(0);

/**
 * A table's region `[offset, offset + cap)` of `old` (records of `stride`
 * words) copied into an array of its own with room for record `n - 1`
 * (double the region, or more); the new records are zero.
 */
function growRecords(old: Uint32Array, offset: number, cap: number, stride: number, n: number): Uint32Array {
  let records = ((cap / stride) | 0) * 2;
  while (records < n) records *= 2;
  const next = newU32(records * stride);
  copyWords(next, old, offset, cap);
  return next;
}

// The shared first region: room for 4 blocks, then 7 instructions (most
// test functions have one block and a handful of instructions).
const INITIAL_BLOCK_WORDS = 4 * BS;
const INITIAL_INST_WORDS = 7 * IS;
const SHARED_WORDS = INITIAL_BLOCK_WORDS + INITIAL_INST_WORDS;
/** Words of zeroed storage a Layout can be given for its first tables (see the constructor). */
export const LAYOUT_STORAGE_WORDS = SHARED_WORDS;

export class Layout {
  // Each table is (array, offset, capacity in words). Both start as the
  // two parts of one region of a pool slab (given by the Function, else
  // carved on first use: making a typed array costs about as much as a
  // small function's records cost to fill); a table that outgrows its part
  // moves to an array of its own (offset 0).
  /** Block records (BS words each); the first `blockCount` are initialized. */
  private bk: Uint32Array = EMPTY;
  private bko = 0;
  private bkCap = 0;
  private blockCount = 0;
  // The first and last block, stored as `block | 0` (NONE is -1) and read
  // back with `>>> 0`: a field holding 0xffffffff would be a boxed double.
  private first = -1;
  private last = -1;
  /** Instruction records (IS words each); the first `instCount` are initialized. */
  private in: Uint32Array = EMPTY;
  private ino = 0;
  private inCap = 0;
  private instCount = 0;

  /**
   * `storage[storageOffset, storageOffset + LAYOUT_STORAGE_WORDS)`, when
   * given, must be zeroed and used by nothing else: it becomes the shared
   * first region (the rest of the array belongs to others). Without it,
   * the region is carved on first use.
   */
  constructor(storage?: Uint32Array, storageOffset = 0) {
    if (storage !== undefined) this.useShared(storage, storageOffset);
  }

  /** Carves the shared first region (see above) unless a table has storage; returns whether it did. */
  private allocShared(): boolean {
    if (this.bk !== EMPTY || this.in !== EMPTY) return false;
    const base = carveWords(SHARED_WORDS);
    this.useShared(slabWords(), base);
    return true;
  }
  /** Places the first tables in `buf` (zeroed) from `base` on. */
  private useShared(buf: Uint32Array, base: number): void {
    this.bk = this.in = buf;
    this.bko = base;
    this.bkCap = INITIAL_BLOCK_WORDS;
    this.ino = base + INITIAL_BLOCK_WORDS;
    this.inCap = INITIAL_INST_WORDS;
  }

  // ===================================================================
  // Blocks

  entryBlock(): Block | undefined {
    return this.first < 0 ? undefined : (this.first as Block);
  }
  firstBlock(): Block {
    return (this.first >>> 0) as Block;
  }
  lastBlock(): Block {
    return (this.last >>> 0) as Block;
  }
  nextBlock(b: Block): Block {
    return this.bk[this.bko + b * BS + B_NEXT] as Block;
  }
  prevBlock(b: Block): Block {
    return this.bk[this.bko + b * BS + B_PREV] as Block;
  }
  isBlockInserted(b: Block): boolean {
    return b < this.blockCount && (this.bk[this.bko + b * BS + B_FLAGS] & F_INSERTED) !== 0;
  }
  private ensureBlockSlot(b: Block): void {
    if (b >= this.blockCount) {
      const n = b + 1;
      if (n * BS > this.bkCap && !(this.allocShared() && n * BS <= this.bkCap)) {
        this.bk = growRecords(this.bk, this.bko, this.bkCap, BS, n);
        this.bkCap = this.bk.length;
        this.bko = 0;
      }
      // New records: links NONE; flags and seq are still zero.
      const bk = this.bk;
      for (let o = this.bko + this.blockCount * BS, end = this.bko + n * BS; o < end; o += BS) {
        bk[o + B_PREV] = NONE;
        bk[o + B_NEXT] = NONE;
        bk[o + B_FIRST] = NONE;
        bk[o + B_LAST] = NONE;
      }
      this.blockCount = n;
    }
  }
  /** Post-invariant: `b` is the last block. */
  appendBlock(b: Block): void {
    this.ensureBlockSlot(b);
    if (this.isBlockInserted(b)) throw new Error(`block${b} is already in the layout`);
    this.bk[this.bko + b * BS + B_FLAGS] |= F_INSERTED;
    const last = this.last;
    this.bk[this.bko + b * BS + B_PREV] = last >>> 0;
    this.bk[this.bko + b * BS + B_NEXT] = NONE;
    if (last < 0) this.first = b;
    else this.bk[this.bko + last * BS + B_NEXT] = b;
    this.last = b;
    this.assignBlockSeq(b);
  }
  /** Post-invariant: `b` sits immediately before `before`. */
  insertBlock(b: Block, before: Block): void {
    this.ensureBlockSlot(b);
    if (this.isBlockInserted(b)) throw new Error(`block${b} is already in the layout`);
    if (!this.isBlockInserted(before)) throw new Error(`block${before} is not in the layout`);
    this.bk[this.bko + b * BS + B_FLAGS] |= F_INSERTED;
    const prev = this.bk[this.bko + before * BS + B_PREV];
    this.bk[this.bko + b * BS + B_PREV] = prev;
    this.bk[this.bko + b * BS + B_NEXT] = before;
    this.bk[this.bko + before * BS + B_PREV] = b;
    if (prev === NONE) this.first = b;
    else this.bk[this.bko + prev * BS + B_NEXT] = b;
    this.assignBlockSeq(b);
  }
  /** Post-invariant: `b` sits immediately after `after`. */
  insertBlockAfter(b: Block, after: Block): void {
    const next = this.bk[this.bko + after * BS + B_NEXT];
    if (next === NONE) this.appendBlock(b);
    else this.insertBlock(b, next as Block);
  }
  /** Removes `b` (which must be empty of instructions or keeps them detached). */
  removeBlock(b: Block): void {
    if (!this.isBlockInserted(b)) throw new Error(`block${b} is not in the layout`);
    const prev = this.bk[this.bko + b * BS + B_PREV];
    const next = this.bk[this.bko + b * BS + B_NEXT];
    if (prev === NONE) this.first = next | 0;
    else this.bk[this.bko + prev * BS + B_NEXT] = next;
    if (next === NONE) this.last = prev | 0;
    else this.bk[this.bko + next * BS + B_PREV] = prev;
    this.bk[this.bko + b * BS + B_FLAGS] &= ~F_INSERTED;
    this.bk[this.bko + b * BS + B_PREV] = NONE;
    this.bk[this.bko + b * BS + B_NEXT] = NONE;
  }
  /** Blocks in layout order. */
  *blocks(): IterableIterator<Block> {
    for (let b = (this.first >>> 0) as Block; b !== NONE; b = this.bk[this.bko + b * BS + B_NEXT] as Block) yield b;
  }
  blockArray(): Block[] {
    const out: Block[] = [];
    for (let b = (this.first >>> 0) as Block; b !== NONE; b = this.bk[this.bko + b * BS + B_NEXT] as Block) out.push(b);
    return out;
  }
  /** Cold blocks are laid out out of line by the backend (`block3 cold:`). */
  isCold(b: Block): boolean {
    return b < this.blockCount && (this.bk[this.bko + b * BS + B_FLAGS] & F_COLD) !== 0;
  }
  setCold(b: Block, cold = true): void {
    if (!cold && b >= this.blockCount) return;
    this.ensureBlockSlot(b);
    if (cold) this.bk[this.bko + b * BS + B_FLAGS] |= F_COLD;
    else this.bk[this.bko + b * BS + B_FLAGS] &= ~F_COLD;
  }
  /** True when block `a` comes before block `b` in the layout. */
  blockBefore(a: Block, b: Block): boolean {
    return this.bk[this.bko + a * BS + B_SEQ] < this.bk[this.bko + b * BS + B_SEQ];
  }

  private assignBlockSeq(b: Block): void {
    const prev = this.bk[this.bko + b * BS + B_PREV];
    const next = this.bk[this.bko + b * BS + B_NEXT];
    const lo = prev === NONE ? 0 : this.bk[this.bko + prev * BS + B_SEQ];
    const hi = next === NONE ? SEQ_MAX : this.bk[this.bko + next * BS + B_SEQ];
    const seq = next === NONE ? lo + SEQ_STRIDE : lo + Math.floor((hi - lo) / 2);
    if (seq > lo && seq < hi && seq <= SEQ_MAX) {
      this.bk[this.bko + b * BS + B_SEQ] = seq;
      return;
    }
    // No gap left: renumber the whole block list (blocks are few).
    let s = 0;
    for (let x = this.first >>> 0; x !== NONE; x = this.bk[this.bko + x * BS + B_NEXT]) {
      s += SEQ_STRIDE;
      this.bk[this.bko + x * BS + B_SEQ] = s;
    }
  }

  // ===================================================================
  // Instructions

  private ensureInstSlot(i: Inst): void {
    if (i >= this.instCount) {
      const n = i + 1;
      if (n * IS > this.inCap && !(this.allocShared() && n * IS <= this.inCap)) {
        this.in = growRecords(this.in, this.ino, this.inCap, IS, n);
        this.inCap = this.in.length;
        this.ino = 0;
      }
      // New records: links and block NONE; seq is still zero.
      const r = this.in;
      for (let o = this.ino + this.instCount * IS, end = this.ino + n * IS; o < end; o += IS) {
        r[o + I_PREV] = NONE;
        r[o + I_NEXT] = NONE;
        r[o + I_BLOCK] = NONE;
      }
      this.instCount = n;
    }
  }
  /** The block holding `inst`, or NONE. */
  instBlock(inst: Inst): Block {
    return inst < this.instCount ? (this.in[this.ino + inst * IS + I_BLOCK] as Block) : (NONE as Block);
  }
  isInstInserted(inst: Inst): boolean {
    return this.instBlock(inst) !== NONE;
  }
  firstInst(b: Block): Inst {
    return (b < this.blockCount ? this.bk[this.bko + b * BS + B_FIRST] : NONE) as Inst;
  }
  lastInst(b: Block): Inst {
    return (b < this.blockCount ? this.bk[this.bko + b * BS + B_LAST] : NONE) as Inst;
  }
  nextInst(i: Inst): Inst {
    return this.in[this.ino + i * IS + I_NEXT] as Inst;
  }
  prevInst(i: Inst): Inst {
    return this.in[this.ino + i * IS + I_PREV] as Inst;
  }
  /** Post-invariant: `inst` is the last instruction of `b`. */
  appendInst(inst: Inst, b: Block): void {
    this.ensureInstSlot(inst);
    if (!this.isBlockInserted(b)) throw new Error(`block${b} is not in the layout`);
    if (this.isInstInserted(inst)) throw new Error(`inst${inst} is already in the layout`);
    const last = this.bk[this.bko + b * BS + B_LAST];
    this.in[this.ino + inst * IS + I_BLOCK] = b;
    this.in[this.ino + inst * IS + I_PREV] = last;
    this.in[this.ino + inst * IS + I_NEXT] = NONE;
    if (last === NONE) this.bk[this.bko + b * BS + B_FIRST] = inst;
    else this.in[this.ino + last * IS + I_NEXT] = inst;
    this.bk[this.bko + b * BS + B_LAST] = inst;
    this.assignInstSeq(inst);
  }
  /** Post-invariant: `inst` sits immediately before `before`, in its block. */
  insertInst(inst: Inst, before: Inst): void {
    this.ensureInstSlot(inst);
    const b = this.instBlock(before);
    if (b === NONE) throw new Error(`inst${before} is not in the layout`);
    if (this.isInstInserted(inst)) throw new Error(`inst${inst} is already in the layout`);
    const prev = this.in[this.ino + before * IS + I_PREV];
    this.in[this.ino + inst * IS + I_BLOCK] = b;
    this.in[this.ino + inst * IS + I_PREV] = prev;
    this.in[this.ino + inst * IS + I_NEXT] = before;
    this.in[this.ino + before * IS + I_PREV] = inst;
    if (prev === NONE) this.bk[this.bko + b * BS + B_FIRST] = inst;
    else this.in[this.ino + prev * IS + I_NEXT] = inst;
    this.assignInstSeq(inst);
  }
  /** Post-invariant: `inst` is in no block. */
  removeInst(inst: Inst): void {
    const b = this.instBlock(inst);
    if (b === NONE) throw new Error(`inst${inst} is not in the layout`);
    const prev = this.in[this.ino + inst * IS + I_PREV];
    const next = this.in[this.ino + inst * IS + I_NEXT];
    if (prev === NONE) this.bk[this.bko + b * BS + B_FIRST] = next;
    else this.in[this.ino + prev * IS + I_NEXT] = next;
    if (next === NONE) this.bk[this.bko + b * BS + B_LAST] = prev;
    else this.in[this.ino + next * IS + I_PREV] = prev;
    this.in[this.ino + inst * IS + I_BLOCK] = NONE;
    this.in[this.ino + inst * IS + I_PREV] = NONE;
    this.in[this.ino + inst * IS + I_NEXT] = NONE;
  }
  /** Instructions of `b` in order. Safe against removal of the yielded inst. */
  *blockInsts(b: Block): IterableIterator<Inst> {
    let i = this.firstInst(b);
    while (i !== NONE) {
      const next = this.in[this.ino + i * IS + I_NEXT] as Inst;
      yield i;
      i = next;
    }
  }
  /**
   * True when `a` comes before `b` in the layout (both inserted). Order
   * across blocks follows block order.
   */
  instBefore(a: Inst, b: Inst): boolean {
    const ba = this.in[this.ino + a * IS + I_BLOCK];
    const bb = this.in[this.ino + b * IS + I_BLOCK];
    if (ba !== bb) return this.bk[this.bko + ba * BS + B_SEQ] < this.bk[this.bko + bb * BS + B_SEQ];
    return this.in[this.ino + a * IS + I_SEQ] < this.in[this.ino + b * IS + I_SEQ];
  }

  /**
   * Splits `b` before `before`: `before` and what follows move to `newBlock`,
   * which is inserted right after `b`.
   */
  splitBlock(newBlock: Block, before: Inst): void {
    const old = this.instBlock(before);
    if (old === NONE) throw new Error(`inst${before} is not in the layout`);
    this.insertBlockAfter(newBlock, old);
    const prev = this.in[this.ino + before * IS + I_PREV];
    const last = this.bk[this.bko + old * BS + B_LAST];
    if (prev === NONE) this.bk[this.bko + old * BS + B_FIRST] = NONE;
    else this.in[this.ino + prev * IS + I_NEXT] = NONE;
    this.bk[this.bko + old * BS + B_LAST] = prev;
    this.in[this.ino + before * IS + I_PREV] = NONE;
    this.bk[this.bko + (newBlock) * BS + B_FIRST] = before;
    this.bk[this.bko + (newBlock) * BS + B_LAST] = last;
    for (let i = before as number; i !== NONE; i = this.in[this.ino + i * IS + I_NEXT]!) this.in[this.ino + i * IS + I_BLOCK] = newBlock;
  }

  private assignInstSeq(inst: Inst): void {
    const prev = this.in[this.ino + inst * IS + I_PREV];
    const next = this.in[this.ino + inst * IS + I_NEXT];
    const lo = prev === NONE ? 0 : this.in[this.ino + prev * IS + I_SEQ];
    if (next === NONE) {
      if (lo + SEQ_STRIDE <= SEQ_MAX) {
        this.in[this.ino + inst * IS + I_SEQ] = lo + SEQ_STRIDE;
        return;
      }
    } else {
      const hi = this.in[this.ino + next * IS + I_SEQ];
      const seq = lo + Math.floor((hi - lo) / 2);
      if (seq > lo) {
        this.in[this.ino + inst * IS + I_SEQ] = seq;
        return;
      }
    }
    this.renumberFrom(inst);
  }
  /**
   * Renumbers from `inst` onward within its block until the new numbers fit
   * below the old ones again (usually a short stretch), else to the end.
   */
  private renumberFrom(inst: Inst): void {
    const prev = this.in[this.ino + inst * IS + I_PREV];
    let seq = prev === NONE ? 0 : this.in[this.ino + prev * IS + I_SEQ];
    for (let i = inst as number; i !== NONE; i = this.in[this.ino + i * IS + I_NEXT]!) {
      seq += SEQ_STRIDE;
      if (i !== inst && this.in[this.ino + i * IS + I_SEQ] > seq) return;
      this.in[this.ino + i * IS + I_SEQ] = seq;
    }
    if (seq > SEQ_MAX - SEQ_STRIDE) this.renumberBlock(this.in[this.ino + inst * IS + I_BLOCK] as Block);
  }
  private renumberBlock(b: Block): void {
    let seq = 0;
    for (let i = this.bk[this.bko + b * BS + B_FIRST]; i !== NONE; i = this.in[this.ino + i * IS + I_NEXT]!) {
      seq += SEQ_STRIDE;
      this.in[this.ino + i * IS + I_SEQ] = seq;
    }
  }
}
