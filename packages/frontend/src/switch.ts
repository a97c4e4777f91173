// Switch: lowers a set of integer cases (index → block) plus a default
// block to CLIF branches, as a front end lowers a `switch` statement.
//
// Lowering:
// 1. Cases are sorted by index, read as unsigned values of the switch
//    value's type, and grouped into dense clusters: a run of cases joins the
//    cluster while at least half of the indices the cluster spans are cases
//    (and the span stays below MAX_TABLE_SPAN). A cluster of at least
//    MIN_TABLE_CASES cases becomes one `br_table`, its holes jumping to the
//    default; the cases of smaller clusters are tested one by one.
// 2. With more than LINEAR_LIMIT such items, a balanced binary search over
//    them (`icmp uge` on the first index of the upper half) picks a leaf;
//    a leaf tests its items from the highest down: `icmp eq` for a single
//    case, `icmp uge` on the first index for a table (indices above the
//    table fall to the br_table's default, since nothing higher is left).
// 3. A table block subtracts the first index, checks wider-than-32-bit
//    indices against the table length, narrows or widens to i32 and
//    branches with `br_table`.
// Every block the lowering creates has one predecessor and is sealed at
// once; the case blocks and the default remain the caller's to seal.
//
// Invariant: a case block is reached exactly for its index, the default
// for every other value of the type.

import type { Block, Value } from '@clift/ir';
import { I32, I64, I128, IntCC, isInt, isVector, typeBits, typeName } from '@clift/ir';
import type { Type } from '@clift/ir';
import { FrontendError } from './errors.js';
import type { FunctionBuilder } from './frontend.js';

/** A cluster needs this many cases to become a jump table. */
export const MIN_TABLE_CASES = 4;
/** Largest jump table (entries), holes included. */
export const MAX_TABLE_SPAN = 1 << 16;
/** Items a leaf of the search tree tests linearly. */
const LINEAR_LIMIT = 3;

type Item =
  | { kind: 'case'; index: bigint; block: Block }
  | { kind: 'table'; first: bigint; blocks: (Block | undefined)[] };

function itemFirst(it: Item): bigint {
  return it.kind === 'case' ? it.index : it.first;
}

export class Switch {
  private readonly cases = new Map<bigint, Block>();

  /** Sends `index` to `block`. Indices may be given signed or unsigned; both mean the same bit pattern. */
  setEntry(index: bigint | number, block: Block): void {
    const k = BigInt(index);
    if (this.cases.has(k)) throw new FrontendError('SwitchDuplicateEntry', `switch case ${k} is already set (to block${this.cases.get(k)})`);
    this.cases.set(k, block);
  }

  /** The cases set so far. */
  entries(): ReadonlyMap<bigint, Block> {
    return this.cases;
  }

  /**
   * Ends the builder's current block with the lowering of this switch on
   * `value`, jumping to `otherwise` when no case matches.
   */
  emit(fb: FunctionBuilder, value: Value, otherwise: Block): void {
    const t = fb.func.dfg.valueTypeOf(value);
    if (!isInt(t) || isVector(t)) throw new FrontendError('InvalidInstruction', `switch on v${value} of type ${typeName(t)}: expected a scalar integer`);
    const items = this.clusters(this.normalized(t));
    if (items.length === 0) {
      fb.ins().jump(otherwise);
      return;
    }
    const tables: { block: Block; item: Item & { kind: 'table' } }[] = [];
    // Explicit stack of (block to fill or undefined for the current one, items).
    const stack: [Block | undefined, Item[]][] = [[undefined, items]];
    while (stack.length > 0) {
      const [block, group] = stack.pop()!;
      if (block !== undefined) fb.switchToBlock(block);
      if (group.length <= LINEAR_LIMIT) {
        this.emitLeaf(fb, value, t, otherwise, group, tables);
        continue;
      }
      const mid = group.length >> 1;
      const left = fb.createBlock();
      const right = fb.createBlock();
      const goRight = fb.ins().icmp(IntCC.UnsignedGreaterThanOrEqual, value, constant(fb, t, itemFirst(group[mid])));
      fb.ins().brif(goRight, right, [], left, []);
      fb.sealBlock(left);
      fb.sealBlock(right);
      stack.push([left, group.slice(0, mid)], [right, group.slice(mid)]);
    }
    for (const { block, item } of tables) this.emitTable(fb, value, t, otherwise, block, item);
  }

  private normalized(t: Type): [bigint, Block][] {
    const bits = BigInt(typeBits(t));
    const seen = new Map<bigint, bigint>();
    const out: [bigint, Block][] = [];
    for (const [k, block] of this.cases) {
      if (k < -(1n << (bits - 1n)) || k >= 1n << bits) {
        throw new FrontendError('SwitchEntryOutOfRange', `switch case ${k} does not fit the switch value's type ${typeName(t)}`);
      }
      const u = BigInt.asUintN(Number(bits), k);
      const prev = seen.get(u);
      if (prev !== undefined) throw new FrontendError('SwitchDuplicateEntry', `switch cases ${prev} and ${k} are the same ${typeName(t)} value`);
      seen.set(u, k);
      out.push([u, block]);
    }
    return out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  private clusters(sorted: [bigint, Block][]): Item[] {
    const items: Item[] = [];
    let i = 0;
    while (i < sorted.length) {
      const first = sorted[i][0];
      let j = i + 1;
      while (j < sorted.length) {
        const span = sorted[j][0] - first + 1n;
        const count = BigInt(j - i + 1);
        if (span > BigInt(MAX_TABLE_SPAN) || count * 2n < span) break;
        j++;
      }
      if (j - i >= MIN_TABLE_CASES) {
        const span = Number(sorted[j - 1][0] - first) + 1;
        const blocks: (Block | undefined)[] = new Array<Block | undefined>(span).fill(undefined);
        for (let k = i; k < j; k++) blocks[Number(sorted[k][0] - first)] = sorted[k][1];
        items.push({ kind: 'table', first, blocks });
      } else {
        for (let k = i; k < j; k++) items.push({ kind: 'case', index: sorted[k][0], block: sorted[k][1] });
      }
      i = j;
    }
    return items;
  }

  private emitLeaf(
    fb: FunctionBuilder,
    value: Value,
    t: Type,
    otherwise: Block,
    group: Item[],
    tables: { block: Block; item: Item & { kind: 'table' } }[],
  ): void {
    for (let k = group.length - 1; k >= 0; k--) {
      const it = group[k];
      const next = k === 0 ? otherwise : fb.createBlock();
      if (it.kind === 'case') {
        const hit = fb.ins().icmp(IntCC.Equal, value, constant(fb, t, it.index));
        fb.ins().brif(hit, it.block, [], next, []);
      } else {
        const tableBlock = fb.createBlock();
        const inRange = fb.ins().icmp(IntCC.UnsignedGreaterThanOrEqual, value, constant(fb, t, it.first));
        fb.ins().brif(inRange, tableBlock, [], next, []);
        fb.sealBlock(tableBlock);
        tables.push({ block: tableBlock, item: it });
      }
      if (k !== 0) {
        fb.sealBlock(next);
        fb.switchToBlock(next);
      }
    }
  }

  private emitTable(fb: FunctionBuilder, value: Value, t: Type, otherwise: Block, block: Block, it: Item & { kind: 'table' }): void {
    fb.switchToBlock(block);
    let index = it.first === 0n ? value : fb.ins().isub(value, constant(fb, t, it.first));
    const bits = typeBits(t);
    if (bits > 32) {
      // Reaching here means value >= first; indices past 32 bits must not wrap into the table.
      const fits = fb.createBlock();
      const tooBig = fb.ins().icmp(IntCC.UnsignedGreaterThanOrEqual, index, constant(fb, t, BigInt(it.blocks.length)));
      fb.ins().brif(tooBig, otherwise, [], fits, []);
      fb.sealBlock(fits);
      fb.switchToBlock(fits);
      index = fb.ins().ireduce(I32, index);
    } else if (bits < 32) {
      index = fb.ins().uextend(I32, index);
    }
    const jt = fb.createJumpTable(otherwise, it.blocks.map((b) => b ?? otherwise));
    fb.ins().brTable(index, jt);
  }
}

/** An integer constant of type `t` holding the unsigned pattern `u`. */
function constant(fb: FunctionBuilder, t: Type, u: bigint): Value {
  if (t !== I128) return fb.ins().iconst(t, t === I64 ? BigInt.asIntN(64, u) : u);
  const lo = fb.ins().iconst(I64, BigInt.asIntN(64, u));
  const hi = fb.ins().iconst(I64, BigInt.asIntN(64, u >> 64n));
  return fb.ins().iconcat(lo, hi);
}
