// Layout: the order of blocks in a function and of instructions in blocks.
// It owns order only — what an instruction computes is the DFG's business.
//
// Both orders are doubly linked lists in typed arrays (prev/next per id),
// so insertion and removal are O(1). Order queries (`instBefore`) compare
// sparse sequence numbers, like BASIC line numbers: new entries take the
// midpoint of their neighbours, and only when no gap is left is a local
// stretch renumbered, so queries stay O(1) and inserts amortized O(1).
//
// Invariants:
// - An instruction is in at most one block; `instBlock(i)` is NONE when it
//   is not inserted. Likewise a block is inserted at most once.
// - Sequence numbers strictly increase along each list.

import { NONE, type Block, type Inst } from './entities.js';
import { U32Vec } from './pool.js';

const SEQ_STRIDE = 16;
const SEQ_MAX = 0xffffffff;

export class Layout {
  private readonly blockPrev = new U32Vec(8, NONE);
  private readonly blockNext = new U32Vec(8, NONE);
  private readonly blockFirst = new U32Vec(8, NONE);
  private readonly blockLast = new U32Vec(8, NONE);
  private readonly blockInserted = new U32Vec(8, 0);
  private readonly blockSeq = new U32Vec(8, 0);
  private readonly coldBlocks = new Set<Block>();
  private firstBlock_: Block = NONE as Block;
  private lastBlock_: Block = NONE as Block;

  private readonly instPrev = new U32Vec(8, NONE);
  private readonly instNext = new U32Vec(8, NONE);
  private readonly instBlock_ = new U32Vec(8, NONE);
  private readonly instSeq = new U32Vec(8, 0);

  // ===================================================================
  // Blocks

  entryBlock(): Block | undefined {
    return this.firstBlock_ === NONE ? undefined : this.firstBlock_;
  }
  firstBlock(): Block {
    return this.firstBlock_;
  }
  lastBlock(): Block {
    return this.lastBlock_;
  }
  nextBlock(b: Block): Block {
    return this.blockNext.data[b] as Block;
  }
  prevBlock(b: Block): Block {
    return this.blockPrev.data[b] as Block;
  }
  isBlockInserted(b: Block): boolean {
    return b < this.blockInserted.length && this.blockInserted.data[b] === 1;
  }
  private ensureBlockSlot(b: Block): void {
    if (b >= this.blockPrev.length) {
      const n = b + 1;
      this.blockPrev.resize(n);
      this.blockNext.resize(n);
      this.blockFirst.resize(n);
      this.blockLast.resize(n);
      this.blockInserted.resize(n);
      this.blockSeq.resize(n);
    }
  }
  /** Post-invariant: `b` is the last block. */
  appendBlock(b: Block): void {
    this.ensureBlockSlot(b);
    if (this.isBlockInserted(b)) throw new Error(`block${b} is already in the layout`);
    this.blockInserted.data[b] = 1;
    this.blockPrev.data[b] = this.lastBlock_;
    this.blockNext.data[b] = NONE;
    if (this.lastBlock_ === NONE) this.firstBlock_ = b;
    else this.blockNext.data[this.lastBlock_] = b;
    this.lastBlock_ = b;
    this.assignBlockSeq(b);
  }
  /** Post-invariant: `b` sits immediately before `before`. */
  insertBlock(b: Block, before: Block): void {
    this.ensureBlockSlot(b);
    if (this.isBlockInserted(b)) throw new Error(`block${b} is already in the layout`);
    if (!this.isBlockInserted(before)) throw new Error(`block${before} is not in the layout`);
    this.blockInserted.data[b] = 1;
    const prev = this.blockPrev.data[before];
    this.blockPrev.data[b] = prev;
    this.blockNext.data[b] = before;
    this.blockPrev.data[before] = b;
    if (prev === NONE) this.firstBlock_ = b;
    else this.blockNext.data[prev] = b;
    this.assignBlockSeq(b);
  }
  /** Post-invariant: `b` sits immediately after `after`. */
  insertBlockAfter(b: Block, after: Block): void {
    const next = this.blockNext.data[after];
    if (next === NONE) this.appendBlock(b);
    else this.insertBlock(b, next as Block);
  }
  /** Removes `b` (which must be empty of instructions or keeps them detached). */
  removeBlock(b: Block): void {
    if (!this.isBlockInserted(b)) throw new Error(`block${b} is not in the layout`);
    const prev = this.blockPrev.data[b];
    const next = this.blockNext.data[b];
    if (prev === NONE) this.firstBlock_ = next as Block;
    else this.blockNext.data[prev] = next;
    if (next === NONE) this.lastBlock_ = prev as Block;
    else this.blockPrev.data[next] = prev;
    this.blockInserted.data[b] = 0;
    this.blockPrev.data[b] = NONE;
    this.blockNext.data[b] = NONE;
  }
  /** Blocks in layout order. */
  *blocks(): IterableIterator<Block> {
    for (let b = this.firstBlock_; b !== NONE; b = this.blockNext.data[b] as Block) yield b;
  }
  blockArray(): Block[] {
    const out: Block[] = [];
    for (let b = this.firstBlock_; b !== NONE; b = this.blockNext.data[b] as Block) out.push(b);
    return out;
  }
  /** Cold blocks are laid out out of line by the backend (`block3 cold:`). */
  isCold(b: Block): boolean {
    return this.coldBlocks.has(b);
  }
  setCold(b: Block, cold = true): void {
    if (cold) this.coldBlocks.add(b);
    else this.coldBlocks.delete(b);
  }
  /** True when block `a` comes before block `b` in the layout. */
  blockBefore(a: Block, b: Block): boolean {
    return this.blockSeq.data[a] < this.blockSeq.data[b];
  }

  private assignBlockSeq(b: Block): void {
    const prev = this.blockPrev.data[b];
    const next = this.blockNext.data[b];
    const lo = prev === NONE ? 0 : this.blockSeq.data[prev];
    const hi = next === NONE ? SEQ_MAX : this.blockSeq.data[next];
    const seq = next === NONE ? lo + SEQ_STRIDE : lo + Math.floor((hi - lo) / 2);
    if (seq > lo && seq < hi && seq <= SEQ_MAX) {
      this.blockSeq.data[b] = seq;
      return;
    }
    // No gap left: renumber the whole block list (blocks are few).
    let s = 0;
    for (let x = this.firstBlock_; x !== NONE; x = this.blockNext.data[x] as Block) {
      s += SEQ_STRIDE;
      this.blockSeq.data[x] = s;
    }
  }

  // ===================================================================
  // Instructions

  private ensureInstSlot(i: Inst): void {
    if (i >= this.instPrev.length) {
      const n = i + 1;
      this.instPrev.resize(n);
      this.instNext.resize(n);
      this.instBlock_.resize(n);
      this.instSeq.resize(n);
    }
  }
  /** The block holding `inst`, or NONE. */
  instBlock(inst: Inst): Block {
    return inst < this.instBlock_.length ? (this.instBlock_.data[inst] as Block) : (NONE as Block);
  }
  isInstInserted(inst: Inst): boolean {
    return this.instBlock(inst) !== NONE;
  }
  firstInst(b: Block): Inst {
    return (b < this.blockFirst.length ? this.blockFirst.data[b] : NONE) as Inst;
  }
  lastInst(b: Block): Inst {
    return (b < this.blockLast.length ? this.blockLast.data[b] : NONE) as Inst;
  }
  nextInst(i: Inst): Inst {
    return this.instNext.data[i] as Inst;
  }
  prevInst(i: Inst): Inst {
    return this.instPrev.data[i] as Inst;
  }
  /** Post-invariant: `inst` is the last instruction of `b`. */
  appendInst(inst: Inst, b: Block): void {
    this.ensureInstSlot(inst);
    if (!this.isBlockInserted(b)) throw new Error(`block${b} is not in the layout`);
    if (this.isInstInserted(inst)) throw new Error(`inst${inst} is already in the layout`);
    const last = this.blockLast.data[b];
    this.instBlock_.data[inst] = b;
    this.instPrev.data[inst] = last;
    this.instNext.data[inst] = NONE;
    if (last === NONE) this.blockFirst.data[b] = inst;
    else this.instNext.data[last] = inst;
    this.blockLast.data[b] = inst;
    this.assignInstSeq(inst);
  }
  /** Post-invariant: `inst` sits immediately before `before`, in its block. */
  insertInst(inst: Inst, before: Inst): void {
    this.ensureInstSlot(inst);
    const b = this.instBlock(before);
    if (b === NONE) throw new Error(`inst${before} is not in the layout`);
    if (this.isInstInserted(inst)) throw new Error(`inst${inst} is already in the layout`);
    const prev = this.instPrev.data[before];
    this.instBlock_.data[inst] = b;
    this.instPrev.data[inst] = prev;
    this.instNext.data[inst] = before;
    this.instPrev.data[before] = inst;
    if (prev === NONE) this.blockFirst.data[b] = inst;
    else this.instNext.data[prev] = inst;
    this.assignInstSeq(inst);
  }
  /** Post-invariant: `inst` is in no block. */
  removeInst(inst: Inst): void {
    const b = this.instBlock(inst);
    if (b === NONE) throw new Error(`inst${inst} is not in the layout`);
    const prev = this.instPrev.data[inst];
    const next = this.instNext.data[inst];
    if (prev === NONE) this.blockFirst.data[b] = next;
    else this.instNext.data[prev] = next;
    if (next === NONE) this.blockLast.data[b] = prev;
    else this.instPrev.data[next] = prev;
    this.instBlock_.data[inst] = NONE;
    this.instPrev.data[inst] = NONE;
    this.instNext.data[inst] = NONE;
  }
  /** Instructions of `b` in order. Safe against removal of the yielded inst. */
  *blockInsts(b: Block): IterableIterator<Inst> {
    let i = this.firstInst(b);
    while (i !== NONE) {
      const next = this.instNext.data[i] as Inst;
      yield i;
      i = next;
    }
  }
  /**
   * True when `a` comes before `b` in the layout (both inserted). Order
   * across blocks follows block order.
   */
  instBefore(a: Inst, b: Inst): boolean {
    const ba = this.instBlock_.data[a];
    const bb = this.instBlock_.data[b];
    if (ba !== bb) return this.blockSeq.data[ba] < this.blockSeq.data[bb];
    return this.instSeq.data[a] < this.instSeq.data[b];
  }

  /**
   * Splits `b` before `before`: `before` and what follows move to `newBlock`,
   * which is inserted right after `b`.
   */
  splitBlock(newBlock: Block, before: Inst): void {
    const old = this.instBlock(before);
    if (old === NONE) throw new Error(`inst${before} is not in the layout`);
    this.insertBlockAfter(newBlock, old);
    const prev = this.instPrev.data[before];
    const last = this.blockLast.data[old];
    if (prev === NONE) this.blockFirst.data[old] = NONE;
    else this.instNext.data[prev] = NONE;
    this.blockLast.data[old] = prev;
    this.instPrev.data[before] = NONE;
    this.blockFirst.data[newBlock] = before;
    this.blockLast.data[newBlock] = last;
    for (let i = before as number; i !== NONE; i = this.instNext.data[i]!) this.instBlock_.data[i] = newBlock;
  }

  private assignInstSeq(inst: Inst): void {
    const prev = this.instPrev.data[inst];
    const next = this.instNext.data[inst];
    const lo = prev === NONE ? 0 : this.instSeq.data[prev];
    if (next === NONE) {
      if (lo + SEQ_STRIDE <= SEQ_MAX) {
        this.instSeq.data[inst] = lo + SEQ_STRIDE;
        return;
      }
    } else {
      const hi = this.instSeq.data[next];
      const seq = lo + Math.floor((hi - lo) / 2);
      if (seq > lo) {
        this.instSeq.data[inst] = seq;
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
    const prev = this.instPrev.data[inst];
    let seq = prev === NONE ? 0 : this.instSeq.data[prev];
    for (let i = inst as number; i !== NONE; i = this.instNext.data[i]!) {
      seq += SEQ_STRIDE;
      if (i !== inst && this.instSeq.data[i] > seq) return;
      this.instSeq.data[i] = seq;
    }
    if (seq > SEQ_MAX - SEQ_STRIDE) this.renumberBlock(this.instBlock_.data[inst] as Block);
  }
  private renumberBlock(b: Block): void {
    let seq = 0;
    for (let i = this.blockFirst.data[b]; i !== NONE; i = this.instNext.data[i]!) {
      seq += SEQ_STRIDE;
      this.instSeq.data[i] = seq;
    }
  }
}
