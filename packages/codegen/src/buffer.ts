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
// - `latestBranches` holds the branches that end exactly at the tail, in
//   order, with nothing but other such branches between them. Only these are
//   ever removed or inverted, and only when that cannot change which code a
//   bound label reaches:
//     * an unconditional branch to the tail itself is deleted (labels bound
//       at its start move to the tail, where it jumped anyway);
//     * `b.cond L1; b L2; L1:` becomes `b.!cond L2; L1:` when no label is
//       bound between the two branches.
//   Post-invariant of `bindLabel`: no branch at the tail jumps to the tail.

import type { Relocation, RelocKind, RelocTarget, TrapSite } from './compiled.js';
import type { TrapCode } from '@clift/ir';
import { CodegenError } from './errors.js';

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

interface BranchRecord {
  start: number;
  /** Labels bound at `start` (they reach this branch). */
  labelsAtStart: number[];
  end: number;
  fixup: number;
  cond: boolean;
  /** Encoding of the inverted conditional branch (conditional branches only). */
  inverted: number;
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
  private fixOffset: number[] = [];
  private fixLabel: number[] = [];
  private fixKind: number[] = [];
  /** Index of the first fixup that may still be unresolved (all earlier ones are patched). */
  private fixDone = 0;
  private latestBranches: BranchRecord[] = [];
  private labelsAtTail: number[] = [];
  private labelsAtTailOffset = -1;
  readonly relocations: Relocation[] = [];
  readonly traps: TrapSite[] = [];
  private pendingTraps: { label: MachLabel; code: TrapCode }[] = [];
  private pendingConstants: { label: MachLabel; bytes: Uint8Array; align: number }[] = [];
  private constantDedup = new Map<string, MachLabel>();
  /** Statistics: branches removed or inverted, veneers emitted. */
  readonly stats = { branchesRemoved: 0, branchesInverted: 0, veneers: 0, islands: 0 };

  constructor(
    private readonly kinds: readonly LabelUseKind[],
    private readonly hooks: BufferHooks,
  ) {}

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
    this.reserve(4);
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
    if (this.numLabels === this.labelOffsets.length) {
      const l = new Int32Array(this.labelOffsets.length * 2).fill(-1);
      l.set(this.labelOffsets);
      this.labelOffsets = l;
    }
    return this.numLabels++;
  }
  /** Allocates labels 0..n-1 (one per block) on a fresh buffer. */
  reserveLabels(n: number): void {
    while (this.numLabels < n) this.getLabel();
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
    if (this.labelsAtTailOffset !== this.len) {
      this.labelsAtTail = [];
      this.labelsAtTailOffset = this.len;
    }
    this.labelOffsets[label] = this.len;
    this.labelsAtTail.push(label);
    this.optimizeBranches();
  }

  private truncateLastBranch(): void {
    const b = this.latestBranches.pop()!;
    // Drop the branch's fixup (it is the last one) and its bytes.
    this.fixOffset.length = b.fixup;
    this.fixLabel.length = b.fixup;
    this.fixKind.length = b.fixup;
    this.len = b.start;
    // Labels at the old tail move with it; labels bound at the branch's start are at the tail too.
    const moved = this.labelsAtTailOffset === b.end ? this.labelsAtTail : [];
    for (const l of moved) this.labelOffsets[l] = this.len;
    this.labelsAtTail = [...b.labelsAtStart, ...moved];
    this.labelsAtTailOffset = this.len;
  }

  private optimizeBranches(): void {
    for (;;) {
      const bs = this.latestBranches;
      if (bs.length === 0) return;
      const b = bs[bs.length - 1];
      if (b.end !== this.len) {
        this.latestBranches = [];
        return;
      }
      const target = this.labelOffsets[this.fixLabel[b.fixup]];
      if (!b.cond && target === this.len) {
        this.truncateLastBranch();
        this.stats.branchesRemoved++;
        continue;
      }
      if (!b.cond && bs.length >= 2) {
        const c = bs[bs.length - 2];
        const ctarget = this.labelOffsets[this.fixLabel[c.fixup]];
        if (c.cond && c.end === b.start && ctarget === this.len && b.labelsAtStart.length === 0) {
          const uncondLabel = this.fixLabel[b.fixup];
          this.truncateLastBranch();
          // Rewrite the conditional branch in place, inverted, to the jump's target.
          const d = this.data;
          const original = d[c.start] | (d[c.start + 1] << 8) | (d[c.start + 2] << 16) | (d[c.start + 3] << 24);
          d[c.start] = c.inverted & 0xff;
          d[c.start + 1] = (c.inverted >>> 8) & 0xff;
          d[c.start + 2] = (c.inverted >>> 16) & 0xff;
          d[c.start + 3] = (c.inverted >>> 24) & 0xff;
          this.fixLabel[c.fixup] = uncondLabel;
          c.inverted = original >>> 0;
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
    this.fixOffset.push(offset);
    this.fixLabel.push(label);
    this.fixKind.push(kind);
  }

  /** Labels bound at `start`, after dropping branch records that no longer end at the tail. */
  private branchStart(start: number): number[] {
    const bs = this.latestBranches;
    if (bs.length > 0 && bs[bs.length - 1].end !== start) this.latestBranches = [];
    return this.labelsAtTailOffset === start ? this.labelsAtTail.slice() : [];
  }
  /**
   * Notes that [start, end) is an unconditional branch whose last fixup was
   * just added; it may later be removed by branch simplification.
   */
  addUncondBranch(start: number, end: number): void {
    const labelsAtStart = this.branchStart(start);
    this.latestBranches.push({ start, labelsAtStart, end, fixup: this.fixOffset.length - 1, cond: false, inverted: 0 });
  }
  /** As addUncondBranch, for a conditional branch; `inverted` encodes its inverse (same fixup kind). */
  addCondBranch(start: number, end: number, inverted: number): void {
    const labelsAtStart = this.branchStart(start);
    this.latestBranches.push({ start, labelsAtStart, end, fixup: this.fixOffset.length - 1, cond: true, inverted });
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
    return label;
  }
  /** A label for constant bytes in the pool (deduplicated by content). */
  addConstant(bytes: Uint8Array, align: number): MachLabel {
    const key = `${align}:${Array.from(bytes).join(',')}`;
    const known = this.constantDedup.get(key);
    if (known !== undefined) return known;
    const label = this.getLabel();
    this.pendingConstants.push({ label, bytes, align });
    this.constantDedup.set(key, label);
    return label;
  }

  // -------------------------------------------------------------------------
  // Islands

  private pendingIslandSize(): number {
    let n = this.pendingTraps.length * this.hooks.trapSize;
    for (const c of this.pendingConstants) n += c.bytes.length + c.align;
    for (let i = this.fixDone; i < this.fixOffset.length; i++) {
      const v = this.kinds[this.fixKind[i]].veneer;
      const l = this.fixLabel[i];
      if (v && l >= 0 && this.labelOffsets[l] < 0) n += v.size;
    }
    return n;
  }
  /** Would emitting `distance` more bytes put a pending forward fixup out of reach? */
  islandNeeded(distance: number): boolean {
    let deadline = Infinity;
    for (let i = this.fixDone; i < this.fixOffset.length; i++) {
      const l = this.fixLabel[i];
      if (l < 0 || this.labelOffsets[l] >= 0) continue;
      const d = this.fixOffset[i] + this.kinds[this.fixKind[i]].maxPosRange;
      if (d < deadline) deadline = d;
    }
    if (deadline === Infinity) return false;
    return this.len + distance + this.pendingIslandSize() + 64 > deadline;
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
    this.latestBranches = [];
    this.flushTrapsAndConstants();
    const n = this.fixOffset.length;
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
      this.fixOffset.push(at + fixupAt);
      this.fixLabel.push(label);
      this.fixKind.push(kind);
      this.stats.veneers++;
    }
    this.latestBranches = [];
    this.bindLabel(over);
  }

  private flushTrapsAndConstants(): void {
    for (const t of this.pendingTraps) {
      this.labelOffsets[t.label] = this.len;
      this.addTrap(t.code);
      this.hooks.emitTrap(this, t.code);
    }
    this.pendingTraps = [];
    for (const c of this.pendingConstants) {
      this.alignTo(c.align);
      this.labelOffsets[c.label] = this.len;
      this.putBytes(c.bytes);
    }
    this.pendingConstants = [];
    this.constantDedup.clear();
  }

  /** Emits pending stubs and constants, patches every fixup, returns the code. */
  finish(): MachBufferResult {
    this.latestBranches = [];
    this.flushTrapsAndConstants();
    for (let i = this.fixDone; i < this.fixOffset.length; i++) {
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
    this.fixDone = this.fixOffset.length;
    return {
      bytes: this.data.slice(0, this.len),
      relocations: this.relocations,
      traps: this.traps,
      labelOffsets: this.labelOffsets.slice(0, this.numLabels),
    };
  }
}
