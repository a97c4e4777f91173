import { describe, expect, it } from 'vitest';
import * as I from './immediates.js';

describe('condition codes', () => {
  it('names, inverses and swaps', () => {
    for (let cc = 0; cc < 10; cc++) {
      const c = cc as I.IntCC;
      expect(I.parseIntCC(I.intCCName(c))).toBe(c);
      expect(I.intCCInverse(I.intCCInverse(c))).toBe(c);
      expect(I.intCCSwapArgs(I.intCCSwapArgs(c))).toBe(c);
    }
    expect(I.intCCName(I.intCCInverse(I.IntCC.SignedLessThan))).toBe('sge');
    expect(I.intCCName(I.intCCSwapArgs(I.IntCC.UnsignedLessThan))).toBe('ugt');
    for (let cc = 0; cc < 14; cc++) expect(I.parseFloatCC(I.floatCCName(cc as I.FloatCC))).toBe(cc);
    expect(I.parseIntCC('lt')).toBeUndefined();
  });
});

describe('trap codes', () => {
  it('parses reserved and user codes', () => {
    expect(I.trapCodeName(I.parseTrapCode('int_divz')!)).toBe('int_divz');
    expect(I.trapCodeName(I.parseTrapCode('user42')!)).toBe('user42');
    expect(I.parseTrapCode('user0')).toBeUndefined();
    expect(I.parseTrapCode('user251')).toBeUndefined();
    expect(I.parseTrapCode('bogus')).toBeUndefined();
  });
});

describe('memflags', () => {
  it('prints canonically whatever the input order', () => {
    let f = I.MemFlags.new();
    for (const w of ['readonly', 'aligned', 'notrap', 'big']) f = I.MemFlags.applyWord(f, w)!;
    expect(I.MemFlags.toString(f)).toBe(' notrap aligned readonly big');
    expect(I.MemFlags.toString(I.MemFlags.new())).toBe('');
    const t = I.MemFlags.applyWord(I.MemFlags.new(), 'user3')!;
    expect(I.MemFlags.toString(t)).toBe(' user3');
    const r = I.MemFlags.applyWord(I.MemFlags.trusted(), 'region2')!;
    expect(I.MemFlags.regionIndex(r)).toBe(2);
    expect(I.MemFlags.toString(r)).toBe(' notrap aligned region2');
    expect(I.MemFlags.applyWord(f, 'sideways')).toBeUndefined();
  });
});

describe('numbers', () => {
  it('formats Imm64 like Cranelift', () => {
    expect(I.formatImm64(-32n)).toBe('-32');
    expect(I.formatImm64(9999n)).toBe('9999');
    expect(I.formatImm64(10000n)).toBe('0x2710');
    expect(I.formatImm64(65536n)).toBe('0x0001_0000');
    expect(I.formatImm64(-(2n ** 20n))).toBe('-1048576');
    expect(I.formatImm64(-2147483648n)).toBe('-2147483648');
    expect(I.signExtend(255n, 8)).toBe(-1n);
  });
  it('splits and joins 64-bit words', () => {
    for (const x of [0n, -1n, 1n << 63n, 0x123456789abcdefn, -(2n ** 63n)]) {
      const [lo, hi] = I.i64ToWords(x);
      expect(I.wordsToI64(lo, hi)).toBe(BigInt.asIntN(64, x));
    }
  });
  it('formats offsets', () => {
    expect(I.formatOffset32(0)).toBe('');
    expect(I.formatOffset32(-72)).toBe('-72');
    expect(I.formatOffset32(8)).toBe('+8');
    expect(I.formatOffset32(65536)).toBe('+0x0001_0000');
  });
  it('formats IEEE bit patterns', () => {
    expect(I.formatIeee32(0)).toBe('0.0');
    expect(I.formatIeee32(0x80000000)).toBe('-0.0');
    expect(I.formatIeee32(0x3f800000)).toBe('0x1.000000p0');
    expect(I.formatIeee32(0x40400000)).toBe('0x1.800000p1');
    expect(I.formatIeee32(0x00400000)).toBe('0x0.800000p-126');
    expect(I.formatIeee32(0x7f800000)).toBe('+Inf');
    expect(I.formatIeee32(0xff800000)).toBe('-Inf');
    expect(I.formatIeee32(0x7fc00000)).toBe('+NaN');
    expect(I.formatIeee32(0xffc00001)).toBe('-NaN:0x1');
    expect(I.formatIeee32(0x7f800001)).toBe('+sNaN:0x1');
    expect(I.formatIeee64(0, 0x3ff00000)).toBe('0x1.0000000000000p0');
    expect(I.formatIeee16(0x3c00)).toBe('0x1.000p0');
    expect(I.formatIeee128(0x3fff0000000000000000000000000000n)).toBe('0x1.0000000000000000000000000000p0');
  });
});
