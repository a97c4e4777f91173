import { describe, expect, it } from 'vitest';
import { MachBuffer, type BufferHooks, type LabelUseKind } from './buffer.js';
import type { TrapCode } from '@clift/ir';

// A toy target: 4-byte words; kind 0 is a long jump (opcode 0xB0), kind 1 a
// short conditional branch (opcode 0xC0, reach ±64 bytes) whose veneer is a
// long jump. The displacement is stored in the low 24 bits.
const patch = (b: Uint8Array, use: number, label: number): void => {
  const d = (label - use) & 0xffffff;
  b[use] = d & 0xff;
  b[use + 1] = (d >> 8) & 0xff;
  b[use + 2] = (d >> 16) & 0xff;
};
const KINDS: LabelUseKind[] = [
  { name: 'long', maxPosRange: 1 << 22, maxNegRange: 1 << 22, patch },
  {
    name: 'short',
    maxPosRange: 64,
    maxNegRange: 64,
    patch,
    veneer: {
      size: 4,
      emit(bytes, at) {
        bytes[at + 3] = 0xb0;
        return { kind: 0, fixupAt: 0 };
      },
    },
  },
];
const HOOKS: BufferHooks = {
  emitJump(buf, label) {
    buf.useLabelAtOffset(buf.curOffset(), label, 0);
    buf.put4(0xb0000000);
  },
  emitTrap(buf) {
    buf.put4(0xdead0000);
  },
  trapSize: 4,
};
const jump = (buf: MachBuffer, label: number): void => {
  const s = buf.curOffset();
  buf.useLabelAtOffset(s, label, 0);
  buf.put4(0xb0000000);
  buf.addUncondBranch(s, s + 4);
};
const condBr = (buf: MachBuffer, label: number, cond: number): void => {
  const s = buf.curOffset();
  buf.useLabelAtOffset(s, label, 1);
  buf.put4((0xc0000000 | (cond << 24)) >>> 0);
  buf.addCondBranch(s, s + 4, (0xc0000000 | ((cond ^ 1) << 24)) >>> 0);
};
const words = (b: Uint8Array): string[] => {
  const out: string[] = [];
  for (let i = 0; i < b.length; i += 4) out.push(((b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24)) >>> 0).toString(16));
  return out;
};

describe('MachBuffer', () => {
  it('removes a jump to the next label, and labels at it follow', () => {
    const buf = new MachBuffer(KINDS, HOOKS);
    buf.reserveLabels(3);
    buf.bindLabel(0);
    buf.put4(0x11111111);
    jump(buf, 2);
    buf.bindLabel(1); // label 1 was at the jump's end
    buf.bindLabel(2);
    buf.put4(0x22222222);
    const r = buf.finish();
    expect(words(r.bytes)).toEqual(['11111111', '22222222']);
    expect(Array.from(r.labelOffsets)).toEqual([0, 4, 4]);
    expect(buf.stats.branchesRemoved).toBe(1);
  });

  it('inverts a conditional branch over a jump', () => {
    const buf = new MachBuffer(KINDS, HOOKS);
    buf.reserveLabels(3);
    buf.bindLabel(0);
    condBr(buf, 1, 2);
    jump(buf, 2);
    buf.bindLabel(1);
    buf.put4(0x11111111);
    buf.bindLabel(2);
    buf.put4(0x22222222);
    const r = buf.finish();
    // One branch left: the inverse condition (3) to label 2, 8 bytes ahead.
    expect(words(r.bytes)).toEqual(['c3000008', '11111111', '22222222']);
    expect(buf.stats.branchesInverted).toBe(1);
  });

  it('keeps a jump that a label reaches when inverting would change its meaning', () => {
    const buf = new MachBuffer(KINDS, HOOKS);
    buf.reserveLabels(4);
    buf.bindLabel(0);
    condBr(buf, 1, 2);
    buf.bindLabel(3); // someone else jumps to the unconditional branch
    jump(buf, 2);
    buf.bindLabel(1);
    buf.put4(0x11111111);
    buf.bindLabel(2);
    const r = buf.finish();
    expect(words(r.bytes)).toEqual(['c2000008', 'b0000008', '11111111']);
  });

  it('emits an island with veneers before a short branch goes out of range', () => {
    const buf = new MachBuffer(KINDS, HOOKS);
    buf.reserveLabels(2);
    buf.bindLabel(0);
    condBr(buf, 1, 0);
    let islands = 0;
    for (let i = 0; i < 64; i++) {
      if (buf.islandNeeded(4)) {
        buf.emitIsland();
        islands++;
      }
      buf.put4(0x0);
    }
    buf.bindLabel(1);
    const r = buf.finish();
    expect(islands).toBe(1);
    expect(buf.stats.veneers).toBe(1);
    // The short branch now targets the veneer, which jumps to label 1.
    const w = words(r.bytes);
    const shortDisp = parseInt(w[0], 16) & 0xffffff;
    const veneerAt = shortDisp;
    expect(parseInt(w[veneerAt / 4], 16) >>> 24).toBe(0xb0);
    expect(veneerAt + (parseInt(w[veneerAt / 4], 16) & 0xffffff)).toBe(r.labelOffsets[1]);
  });

  it('places deferred traps and deduplicated constants at the end', () => {
    const buf = new MachBuffer(KINDS, HOOKS);
    buf.reserveLabels(1);
    buf.bindLabel(0);
    const t = buf.deferTrap(254 as TrapCode);
    buf.useLabelAtOffset(buf.curOffset(), t, 1);
    buf.put4(0xc0000000);
    const c1 = buf.addConstant(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 8);
    const c2 = buf.addConstant(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), 8);
    expect(c1).toBe(c2);
    const r = buf.finish();
    expect(r.traps).toEqual([{ offset: 4, code: 254 }]);
    expect(r.labelOffsets[c1]).toBe(8);
    expect(words(r.bytes)).toEqual(['c0000004', 'dead0000', '4030201', '8070605']);
  });

  it('rejects a backward reference out of range', () => {
    const buf = new MachBuffer(KINDS, HOOKS);
    buf.reserveLabels(1);
    buf.bindLabel(0);
    for (let i = 0; i < 20; i++) buf.put4(0);
    expect(() => buf.useLabelAtOffset(buf.curOffset(), 0, 1)).toThrow(/out of range/);
  });

  it('needs no island once the short branch it was waiting for is resolved', () => {
    const buf = new MachBuffer(KINDS, HOOKS);
    buf.reserveLabels(2);
    buf.bindLabel(0);
    condBr(buf, 1, 0);
    buf.put4(0);
    buf.bindLabel(1);
    for (let i = 0; i < 64; i++) {
      expect(buf.islandNeeded(4)).toBe(false);
      buf.put4(0);
    }
    buf.finish();
    expect(buf.stats.islands).toBe(0);
  });

  it('reset forgets the previous function but keeps producing the same code', () => {
    const program = (buf: MachBuffer): unknown => {
      buf.reserveLabels(3);
      buf.bindLabel(0);
      condBr(buf, 1, 2);
      jump(buf, 2);
      buf.bindLabel(1);
      buf.put4(0x11111111);
      const t = buf.deferTrap(7 as TrapCode);
      buf.useLabelAtOffset(buf.curOffset(), t, 1);
      buf.put4(0xc0000000);
      buf.addReloc('Abs8', { kind: 'symbol', name: 'f' }, 0n);
      buf.put4(0);
      buf.bindLabel(2);
      buf.put4(0x22222222);
      const r = buf.finish();
      return { bytes: words(r.bytes), labels: Array.from(r.labelOffsets), relocs: r.relocations, traps: r.traps, stats: { ...buf.stats } };
    };
    const expected = program(new MachBuffer(KINDS, HOOKS));
    const reused = new MachBuffer(KINDS, HOOKS);
    // A different, larger function first: more labels, fixups and bytes than the program needs.
    reused.reserveLabels(40);
    for (let l = 0; l < 40; l++) {
      reused.bindLabel(l);
      for (let i = 0; i < 40; i++) reused.put4(i);
      jump(reused, (l + 7) % 40);
    }
    reused.finish();
    reused.reset();
    expect(program(reused)).toEqual(expected);
    reused.reset();
    expect(program(reused)).toEqual(expected);
  });
});
