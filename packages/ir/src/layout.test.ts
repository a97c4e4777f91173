import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Layout } from './layout.js';
import { NONE, type Block, type Inst } from './entities.js';

const blk = (n: number): Block => n as Block;
const ins = (n: number): Inst => n as Inst;

describe('Layout blocks', () => {
  it('appends, inserts and removes blocks in order', () => {
    const l = new Layout();
    expect(l.entryBlock()).toBeUndefined();
    l.appendBlock(blk(0));
    l.appendBlock(blk(2));
    l.insertBlock(blk(1), blk(2));
    l.insertBlockAfter(blk(3), blk(2));
    expect(l.blockArray()).toEqual([0, 1, 2, 3]);
    expect(l.blockBefore(blk(1), blk(2))).toBe(true);
    expect(l.blockBefore(blk(3), blk(0))).toBe(false);
    l.removeBlock(blk(1));
    expect(l.blockArray()).toEqual([0, 2, 3]);
    expect(l.isBlockInserted(blk(1))).toBe(false);
    l.removeBlock(blk(0));
    expect(l.entryBlock()).toBe(2);
    l.removeBlock(blk(3));
    expect(l.lastBlock()).toBe(2);
  });

  it('starts ids it has not seen unlinked, however they come into use', () => {
    // A Function hands the Layout a region of a shared slab: records are
    // initialized when their id is first used, including the ids skipped.
    const l = new Layout();
    expect([l.firstBlock(), l.lastBlock()]).toEqual([NONE, NONE]);
    l.setCold(blk(2));
    l.appendBlock(blk(6));
    for (let b = 0; b < 6; b++) {
      expect(l.isBlockInserted(blk(b))).toBe(false);
      expect([l.firstInst(blk(b)), l.lastInst(blk(b))]).toEqual([NONE, NONE]);
    }
    expect(l.isCold(blk(2))).toBe(true);
    l.appendBlock(blk(1));
    expect([l.firstBlock(), l.lastBlock(), l.prevBlock(blk(6)), l.nextBlock(blk(1))]).toEqual([6, 1, NONE, NONE]);
    // Past the first region (4 blocks, 7 instructions) and beyond.
    l.appendInst(ins(40), blk(6));
    l.appendInst(ins(3), blk(6));
    for (const i of [0, 7, 39, 41]) expect(l.instBlock(ins(i))).toBe(NONE);
    expect([l.prevInst(ins(40)), l.nextInst(ins(3))]).toEqual([NONE, NONE]);
    expect([...l.blockInsts(blk(6))]).toEqual([40, 3]);
    l.appendBlock(blk(20));
    expect(l.blockArray()).toEqual([6, 1, 20]);
    expect(l.isBlockInserted(blk(19))).toBe(false);
    l.removeBlock(blk(6));
    l.removeBlock(blk(1));
    l.removeBlock(blk(20));
    expect([l.entryBlock(), l.firstBlock(), l.lastBlock()]).toEqual([undefined, NONE, NONE]);
  });

  it('rejects double insertion and removal of absent blocks', () => {
    const l = new Layout();
    l.appendBlock(blk(0));
    expect(() => l.appendBlock(blk(0))).toThrow(/already in the layout/);
    expect(() => l.removeBlock(blk(5))).toThrow(/not in the layout/);
    expect(() => l.insertBlock(blk(1), blk(7))).toThrow(/not in the layout/);
  });

  it('tracks cold blocks', () => {
    const l = new Layout();
    l.appendBlock(blk(0));
    l.setCold(blk(0));
    expect(l.isCold(blk(0))).toBe(true);
    l.setCold(blk(0), false);
    expect(l.isCold(blk(0))).toBe(false);
  });
});

describe('Layout instructions', () => {
  it('appends, inserts before and removes', () => {
    const l = new Layout();
    l.appendBlock(blk(0));
    l.appendInst(ins(0), blk(0));
    l.appendInst(ins(2), blk(0));
    l.insertInst(ins(1), ins(2));
    expect([...l.blockInsts(blk(0))]).toEqual([0, 1, 2]);
    expect(l.instBlock(ins(1))).toBe(0);
    expect(l.instBefore(ins(0), ins(1))).toBe(true);
    expect(l.instBefore(ins(2), ins(1))).toBe(false);
    l.removeInst(ins(0));
    expect(l.firstInst(blk(0))).toBe(1);
    expect(l.instBlock(ins(0))).toBe(NONE);
    l.removeInst(ins(2));
    expect(l.lastInst(blk(0))).toBe(1);
  });

  it('orders instructions across blocks by block order', () => {
    const l = new Layout();
    l.appendBlock(blk(1));
    l.appendBlock(blk(0));
    l.appendInst(ins(5), blk(0));
    l.appendInst(ins(9), blk(1));
    expect(l.instBefore(ins(9), ins(5))).toBe(true);
    expect(l.instBefore(ins(5), ins(9))).toBe(false);
  });

  it('splits a block', () => {
    const l = new Layout();
    l.appendBlock(blk(0));
    for (let i = 0; i < 4; i++) l.appendInst(ins(i), blk(0));
    l.splitBlock(blk(1), ins(2));
    expect([...l.blockInsts(blk(0))]).toEqual([0, 1]);
    expect([...l.blockInsts(blk(1))]).toEqual([2, 3]);
    expect(l.instBlock(ins(3))).toBe(1);
    expect(l.blockArray()).toEqual([0, 1]);
  });

  it('keeps order queries right under many inserts at one point (renumbering)', () => {
    const l = new Layout();
    l.appendBlock(blk(0));
    l.appendInst(ins(0), blk(0));
    l.appendInst(ins(1), blk(0));
    // Insert repeatedly right before inst 1: exhausts every gap.
    for (let i = 2; i < 200; i++) l.insertInst(ins(i), ins(1));
    const order = [...l.blockInsts(blk(0))];
    for (let i = 0; i + 1 < order.length; i++) expect(l.instBefore(order[i], order[i + 1])).toBe(true);
  });

  it('agrees with a list model under random edits (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 120 }), (ops) => {
        const l = new Layout();
        l.appendBlock(blk(0));
        const model: number[] = [];
        let next = 0;
        for (const [pos, remove] of ops) {
          if (remove && model.length > 0) {
            const victim = model.splice(pos % model.length, 1)[0];
            l.removeInst(ins(victim));
          } else if (model.length === 0 || pos % (model.length + 1) === model.length) {
            l.appendInst(ins(next), blk(0));
            model.push(next++);
          } else {
            const at = pos % model.length;
            l.insertInst(ins(next), ins(model[at]));
            model.splice(at, 0, next++);
          }
        }
        expect([...l.blockInsts(blk(0))]).toEqual(model);
        for (let i = 0; i + 1 < model.length; i++) expect(l.instBefore(ins(model[i]), ins(model[i + 1]))).toBe(true);
      }),
    );
  });
});
