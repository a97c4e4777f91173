// MachBuffer: the byte sink that machine code is emitted into, with labels,
// label fixups, branch simplification, islands with veneers, a constant
// pool, deferred trap stubs, relocations and trap records.
//
// Owns: bytes, label offsets, pending fixups, the record of branches that end
// at the current tail. Does not own instruction encodings: each target gives
// a table of `LabelUseKind`s (how to patch an offset into an instruction, the
// reach of each kind, how to build a veneer) and the hooks that emit a jump
// and a trap instruction.
//
// Invariants:
// - Labels are bound at most once; `labelOffsets[l] < 0` means unbound.
// - Fixups are kept in emission order of their use offsets. A fixup whose
//   label is bound behind it is range-checked when added; a forward fixup is
//   patched at `finish` or redirected through a veneer in an island before
//   its deadline (use offset + the kind's positive reach) passes.
// - The branch records hold the branches that end exactly at the tail, in
//   order, with nothing but other such branches between them. Only these are
//   ever removed or inverted, and only when that cannot change which code a
//   bound label reaches:
//     * an unconditional branch to the tail itself is deleted (labels bound
//       at its start move to the tail, where it jumped anyway);
//     * `b.cond L1; b L2; L1:` becomes `b.!cond L2; L1:` when no label is
//       bound between the two branches.
//   Post-invariant of `bindLabel`: no branch at the tail jumps to the tail.
//
// Memory: every table is a typed array or a plain list that `reset` empties
// without freeing, so a compile context reuses one buffer for all its
// functions; `finish` copies the bytes out.

import type { Relocation, RelocKind, RelocTarget, TrapSite } from './compiled.js';
import type { TrapCode } from '@clift/ir';
import { CodegenError } from './errors.js';
import { grow } from './grow.js';

/** A label: an index into the buffer's label table. */
export type MachLabel = number;

/** How one kind of label reference is patched; targets define a table of these. */
export interface LabelUseKind {
  readonly name: string;
  /** Largest forward distance (label offset − use offset) the kind reaches. */
  readonly maxPosRange: number;
  /** Largest backward distance (use offset − label offset). */
  readonly maxNegRange: number;
  /** Writes `labelOffset - useOffset` into the instruction at `useOffset`. */
  patch(bytes: Uint8Array, useOffset: number, labelOffset: number): void;
  /**
   * Writes a longer-reach veneer at `at` (returning the kind index of the
   * veneer's own fixup and its offset within the veneer), or undefined when
   * the kind has no veneer.
   */
  readonly veneer?: { readonly size: number; emit(bytes: Uint8Array, at: number): { kind: number; fixupAt: number } };
}

/** Target hooks for islands and deferred traps. */
export interface BufferHooks {
  /** Emits an unconditional jump to `label` (used to jump over an island). */
  emitJump(buf: MachBuffer, label: MachLabel): void;
  /** Emits the instruction a deferred trap stub consists of. */
  emitTrap(buf: MachBuffer, code: TrapCode): void;
  /** Bytes of the trap instruction. */
  readonly trapSize: number;
}

export interface MachBufferResult {
  readonly bytes: Uint8Array;
  readonly relocations: Relocation[];
  readonly traps: TrapSite[];
  /** Final offset of every label, -1 for labels never bound. */
  readonly labelOffsets: Int32Array;
}


export class MachBuffer {
  private data = new Uint8Array(1024);
  private len = 0;
  private labelOffsets = new Int32Array(64).fill(-1);
  private numLabels = 0;
  // Fixups, in emission order of their use offsets.
  private fixOffset = new Int32Array(64);
  private fixLabel = new Int32Array(64);
  private fixKind = new Int32Array(64);
  private nFix = 0;
  /** Index of the first fixup that may still be unresolved (all earlier ones are patched). */
  private fixDone = 0;
  // Branches that end at the tail (see the module header), as a stack of
  // records in parallel arrays. The labels bound at each branch's start are
  // a range of `brLabels`, which grows and shrinks with the stack.
  private brStart = new Int32Array(16);
  private brEnd = new Int32Array(16);
  private brFixup = new Int32Array(16);
  private brCond = new Uint8Array(16);
  /** Encoding of the inverted conditional branch (conditional branches only). */
  private brInverted = new Float64Array(16);
  private brLabelsAt = new Int32Array(16);
  private brLabelsLen = new Int32Array(16);
  private nBr = 0;
  private brLabels = new Int32Array(16);
  private nBrLabels = 0;
  // Labels bound at offset `tailLabelsOffset` (the tail, when it equals `len`).
  private tailLabels = new Int32Array(16);
  private nTail = 0;
  private tailLabelsOffset = -1;
  relocations: Relocation[] = [];
  traps: TrapSite[] = [];
  private readonly pendingTraps: { label: MachLabel; code: TrapCode }[] = [];
  private readonly pendingConstants: { label: MachLabel; bytes: Uint8Array; align: number }[] = [];
  private constantDedup = new Map<string, MachLabel>();
  /** Bytes the pending traps and constants take in an island (alignment padding counted in full). */
  private pendingDataBytes = 0;
  /**
   * A lower bound on the earliest deadline of the fixups still unresolved,
   * and an upper bound on the veneer bytes an island would need for them.
   * Both are exact after `refreshDeadline`, and only loosen in between
   * (labels getting bound), so `islandNeeded` can answer "no" without a scan.
   */
  private deadline = Infinity;
  private veneerBytes = 0;
  /** Statistics: branches removed or inverted, veneers emitted. */
  readonly stats = { branchesRemoved: 0, branchesInverted: 0, veneers: 0, islands: 0 };

  constructor(
    readonly kinds: readonly LabelUseKind[],
    private readonly hooks: BufferHooks,
  ) {}

  /** Forgets everything emitted, keeping the memory, for the next function. */
  reset(): void {
    this.len = 0;
    this.labelOffsets.fill(-1, 0, this.numLabels);
    this.numLabels = 0;
    this.nFix = 0;
    this.fixDone = 0;
    this.nBr = 0;
    this.nBrLabels = 0;
    this.nTail = 0;
    this.tailLabelsOffset = -1;
    // The previous function's result holds the relocation and trap lists.
    this.relocations = [];
    this.traps = [];
    this.pendingTraps.length = 0;
    this.pendingConstants.length = 0;
    if (this.constantDedup.size > 0) this.constantDedup.clear();
    this.pendingDataBytes = 0;
    this.deadline = Infinity;
    this.veneerBytes = 0;
    this.stats.branchesRemoved = 0;
    this.stats.branchesInverted = 0;
    this.stats.veneers = 0;
    this.stats.islands = 0;
  }

  curOffset(): number {
    return this.len;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < this.len + n) cap *= 2;
    const d = new Uint8Array(cap);
    d.set(this.data.subarray(0, this.len));
    this.data = d;
  }
  put1(b: number): void {
    this.reserve(1);
    this.data[this.len++] = b & 0xff;
  }
  /** Appends a 32-bit little-endian word. */
  put4(w: number): void {
    if (this.len + 4 > this.data.length) this.reserve(4);
    const d = this.data;
    let p = this.len;
    d[p++] = w & 0xff;
    d[p++] = (w >>> 8) & 0xff;
    d[p++] = (w >>> 16) & 0xff;
    d[p++] = (w >>> 24) & 0xff;
    this.len = p;
  }
  putBytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.data.set(b, this.len);
    this.len += b.length;
  }
  alignTo(align: number, fill = 0): void {
    while (this.len % align !== 0) this.put1(fill);
  }
  /** The bytes emitted so far (a view; valid until the next append). */
  view(): Uint8Array {
    return this.data.subarray(0, this.len);
  }

  // -------------------------------------------------------------------------
  // Labels

  getLabel(): MachLabel {
    if (this.numLabels === this.labelOffsets.length) this.labelOffsets = grow(this.labelOffsets, this.numLabels + 1, -1);
    return this.numLabels++;
  }
  /** Allocates labels 0..n-1 (one per block) on a fresh buffer. */
  reserveLabels(n: number): void {
    if (this.labelOffsets.length < n) this.labelOffsets = grow(this.labelOffsets, n, -1);
    if (this.numLabels < n) this.numLabels = n;
  }
  labelOffset(l: MachLabel): number {
    return this.labelOffsets[l];
  }

  /**
   * Binds `label` to the current offset, then simplifies the branches that
   * end here. Post-invariant: see the module header.
   */
  bindLabel(label: MachLabel): void {
    if (this.labelOffsets[label] >= 0) throw new Error(`label ${label} bound twice`);
    if (this.tailLabelsOffset !== this.len) {
      this.nTail = 0;
      this.tailLabelsOffset = this.len;
    }
    this.labelOffsets[label] = this.len;
    if (this.nTail === this.tailLabels.length) this.tailLabels = grow(this.tailLabels, this.nTail + 1);
    this.tailLabels[this.nTail++] = label;
    if (this.nBr > 0) this.optimizeBranches();
  }

  private clearBranches(): void {
    this.nBr = 0;
    this.nBrLabels = 0;
  }

  private truncateLastBranch(): void {
    const b = --this.nBr;
    const start = this.brStart[b];
    const end = this.brEnd[b];
    // Drop the branch's fixup (it is the last one) and its bytes.
    this.nFix = this.brFixup[b];
    this.len = start;
    // Labels at the old tail move with it; labels bound at the branch's start
    // are at the tail too and come first.
    const nMoved = this.tailLabelsOffset === end ? this.nTail : 0;
    for (let k = 0; k < nMoved; k++) this.labelOffsets[this.tailLabels[k]] = start;
    const at = this.brLabelsAt[b];
    const nAt = this.brLabelsLen[b];
    if (this.tailLabels.length < nAt + nMoved) this.tailLabels = grow(this.tailLabels, nAt + nMoved);
    const tail = this.tailLabels;
    if (nAt > 0) {
      tail.copyWithin(nAt, 0, nMoved);
      for (let k = 0; k < nAt; k++) tail[k] = this.brLabels[at + k];
    }
    this.nTail = nAt + nMoved;
    this.tailLabelsOffset = start;
    this.nBrLabels = at;
  }

  private optimizeBranches(): void {
    for (;;) {
      const nb = this.nBr;
      if (nb === 0) return;
      const b = nb - 1;
      if (this.brEnd[b] !== this.len) {
        this.clearBranches();
        return;
      }
      const cond = this.brCond[b] === 1;
      const target = this.labelOffsets[this.fixLabel[this.brFixup[b]]];
      if (!cond && target === this.len) {
        this.truncateLastBranch();
        this.stats.branchesRemoved++;
        continue;
      }
      if (!cond && nb >= 2) {
        const c = nb - 2;
        const cStart = this.brStart[c];
        const ctarget = this.labelOffsets[this.fixLabel[this.brFixup[c]]];
        if (this.brCond[c] === 1 && this.brEnd[c] === this.brStart[b] && ctarget === this.len && this.brLabelsLen[b] === 0) {
          const uncondLabel = this.fixLabel[this.brFixup[b]];
          this.truncateLastBranch();
          // Rewrite the conditional branch in place, inverted, to the jump's target.
          const d = this.data;
          const original = d[cStart] | (d[cStart + 1] << 8) | (d[cStart + 2] << 16) | (d[cStart + 3] << 24);
          const inv = this.brInverted[c];
          d[cStart] = inv & 0xff;
          d[cStart + 1] = (inv >>> 8) & 0xff;
          d[cStart + 2] = (inv >>> 16) & 0xff;
          d[cStart + 3] = (inv >>> 24) & 0xff;
          this.fixLabel[this.brFixup[c]] = uncondLabel;
          this.brInverted[c] = original >>> 0;
          this.stats.branchesInverted++;
          // The rewritten branch no longer targets the tail; stop here.
          return;
        }
      }
      return;
    }
  }

  /** Records a use of `label` by the instruction at `offset`. */
  useLabelAtOffset(offset: number, label: MachLabel, kind: number): void {
    const lo = this.labelOffsets[label];
    const k = this.kinds[kind];
    if (lo >= 0 && lo <= offset) {
      if (offset - lo > k.maxNegRange) throw new CodegenError('impl-limit', `backward ${k.name} reference of ${offset - lo} bytes is out of range`);
    }
    const i = this.nFix;
    if (i === this.fixOffset.length) {
      this.fixOffset = grow(this.fixOffset, i + 1);
      this.fixLabel = grow(this.fixLabel, i + 1);
      this.fixKind = grow(this.fixKind, i + 1);
    }
    this.fixOffset[i] = offset;
    this.fixLabel[i] = label;
    this.fixKind[i] = kind;
    this.nFix = i + 1;
    if (lo < 0) {
      const d = offset + k.maxPosRange;
      if (d < this.deadline) this.deadline = d;
      if (k.veneer) this.veneerBytes += k.veneer.size;
    }
  }

  /** Labels bound at `start`, after dropping branch records that no longer end at the tail. */
  private pushBranch(start: number, end: number, cond: boolean, inverted: number): void {
    if (this.nBr > 0 && this.brEnd[this.nBr - 1] !== start) this.clearBranches();
    const b = this.nBr;
    if (b === this.brStart.length) {
      const cap = b * 2;
      this.brStart = grow(this.brStart, cap);
      this.brEnd = grow(this.brEnd, cap);
      this.brFixup = grow(this.brFixup, cap);
      this.brLabelsAt = grow(this.brLabelsAt, cap);
      this.brLabelsLen = grow(this.brLabelsLen, cap);
      const c = new Uint8Array(cap);
      c.set(this.brCond);
      this.brCond = c;
      const inv = new Float64Array(cap);
      inv.set(this.brInverted);
      this.brInverted = inv;
    }
    this.brStart[b] = start;
    this.brEnd[b] = end;
    this.brFixup[b] = this.nFix - 1;
    this.brCond[b] = cond ? 1 : 0;
    this.brInverted[b] = inverted;
    const nAt = this.tailLabelsOffset === start ? this.nTail : 0;
    const at = this.nBrLabels;
    if (at + nAt > this.brLabels.length) this.brLabels = grow(this.brLabels, at + nAt);
    for (let k = 0; k < nAt; k++) this.brLabels[at + k] = this.tailLabels[k];
    this.brLabelsAt[b] = at;
    this.brLabelsLen[b] = nAt;
    this.nBrLabels = at + nAt;
    this.nBr = b + 1;
  }
  /**
   * Notes that [start, end) is an unconditional branch whose last fixup was
   * just added; it may later be removed by branch simplification.
   */
  addUncondBranch(start: number, end: number): void {
    this.pushBranch(start, end, false, 0);
  }
  /** As addUncondBranch, for a conditional branch; `inverted` encodes its inverse (same fixup kind). */
  addCondBranch(start: number, end: number, inverted: number): void {
    this.pushBranch(start, end, true, inverted >>> 0);
  }

  // -------------------------------------------------------------------------
  // Metadata

  addReloc(kind: RelocKind, target: RelocTarget, addend: bigint, offset = this.len): void {
    this.relocations.push({ offset, kind, target, addend });
  }
  addTrap(code: TrapCode, offset = this.len): void {
    this.traps.push({ offset, code });
  }
  /** A label for an out-of-line trap stub, emitted at the next island or the end. */
  deferTrap(code: TrapCode): MachLabel {
    const label = this.getLabel();
    this.pendingTraps.push({ label, code });
    this.pendingDataBytes += this.hooks.trapSize;
    return label;
  }
  /** A label for constant bytes in the pool (deduplicated by content). */
  addConstant(bytes: Uint8Array, align: number): MachLabel {
    const key = `${align}:${Array.from(bytes).join(',')}`;
    const known = this.constantDedup.get(key);
    if (known !== undefined) return known;
    const label = this.getLabel();
    this.pendingConstants.push({ label, bytes, align });
    this.pendingDataBytes += bytes.length + align;
    this.constantDedup.set(key, label);
    return label;
  }

  // -------------------------------------------------------------------------
  // Islands

  /**
   * Recomputes the earliest deadline and the veneer bytes of the fixups
   * still unresolved (forward uses of unbound labels) from scratch.
   */
  private refreshDeadline(): void {
    let deadline = Infinity;
    let veneerBytes = 0;
    for (let i = this.fixDone; i < this.nFix; i++) {
      const l = this.fixLabel[i];
      if (l < 0 || this.labelOffsets[l] >= 0) continue;
      const k = this.kinds[this.fixKind[i]];
      const d = this.fixOffset[i] + k.maxPosRange;
      if (d < deadline) deadline = d;
      if (k.veneer) veneerBytes += k.veneer.size;
    }
    this.deadline = deadline;
    this.veneerBytes = veneerBytes;
  }
  /** Would emitting `distance` more bytes put a pending forward fixup out of reach? */
  islandNeeded(distance: number): boolean {
    // The bounds make this test conservative: "no" is exact; otherwise look closer.
    if (this.deadline === Infinity || this.len + distance + this.pendingDataBytes + this.veneerBytes + 64 <= this.deadline) return false;
    this.refreshDeadline();
    if (this.deadline === Infinity) return false;
    return this.len + distance + this.pendingDataBytes + this.veneerBytes + 64 > this.deadline;
  }

  /**
   * Emits an island here: a jump over it, then pending trap stubs and
   * constants, then a veneer for every unresolved fixup whose kind has one,
   * so that each such use now reaches its veneer.
   */
  emitIsland(): void {
    this.stats.islands++;
    const over = this.getLabel();
    this.hooks.emitJump(this, over);
    this.clearBranches();
    this.flushTrapsAndConstants();
    const n = this.nFix;
    for (let i = this.fixDone; i < n; i++) {
      const label = this.fixLabel[i];
      if (label < 0 || this.labelOffsets[label] >= 0) continue;
      const k = this.kinds[this.fixKind[i]];
      if (!k.veneer) continue;
      this.alignTo(4);
      const at = this.len;
      this.reserve(k.veneer.size);
      this.len += k.veneer.size;
      const { kind, fixupAt } = k.veneer.emit(this.data, at);
      // The original use now reaches the veneer; the veneer takes over the label.
      k.patch(this.data, this.fixOffset[i], at);
      this.fixLabel[i] = -1;
      this.useLabelAtOffset(at + fixupAt, label, kind);
      this.stats.veneers++;
    }
    this.clearBranches();
    this.refreshDeadline();
    this.bindLabel(over);
  }

  private flushTrapsAndConstants(): void {
    if (this.pendingTraps.length > 0) {
      for (const t of this.pendingTraps) {
        this.labelOffsets[t.label] = this.len;
        this.addTrap(t.code);
        this.hooks.emitTrap(this, t.code);
      }
      this.pendingTraps.length = 0;
    }
    if (this.pendingConstants.length > 0) {
      for (const c of this.pendingConstants) {
        this.alignTo(c.align);
        this.labelOffsets[c.label] = this.len;
        this.putBytes(c.bytes);
      }
      this.pendingConstants.length = 0;
      this.constantDedup.clear();
    }
    this.pendingDataBytes = 0;
  }

  /** Emits pending stubs and constants, patches every fixup, returns the code. */
  finish(): MachBufferResult {
    this.clearBranches();
    this.flushTrapsAndConstants();
    for (let i = this.fixDone; i < this.nFix; i++) {
      const label = this.fixLabel[i];
      if (label < 0) continue;
      const lo = this.labelOffsets[label];
      if (lo < 0) throw new Error(`label ${label} used at offset ${this.fixOffset[i]} was never bound`);
      const k = this.kinds[this.fixKind[i]];
      const delta = lo - this.fixOffset[i];
      if (delta > k.maxPosRange || -delta > k.maxNegRange)
        throw new CodegenError('impl-limit', `${k.name} reference from offset ${this.fixOffset[i]} to ${lo} is out of range`);
      k.patch(this.data, this.fixOffset[i], lo);
    }
    this.fixDone = this.nFix;
    this.deadline = Infinity;
    this.veneerBytes = 0;
    return {
      bytes: this.data.slice(0, this.len),
      relocations: this.relocations,
      traps: this.traps,
      labelOffsets: this.labelOffsets.slice(0, this.numLabels),
    };
  }
}
