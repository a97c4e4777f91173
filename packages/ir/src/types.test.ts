import { describe, expect, it } from 'vitest';
import * as T from './types.js';

describe('types', () => {
  it('round-trips every lane type and vector shape through its name', () => {
    for (const name of ['i8', 'i16', 'i32', 'i64', 'i128', 'f16', 'f32', 'f64', 'f128', 'i8x16', 'i32x4', 'f64x2', 'i16x4', 'i8x2', 'i32x4xN', 'f32x4xN', 'i8x256']) {
      const t = T.parseType(name);
      expect(t, name).toBeDefined();
      expect(T.typeName(t!)).toBe(name);
    }
    expect(T.parseType('i7')).toBeUndefined();
    expect(T.parseType('i32x3')).toBeUndefined();
    expect(T.parseType('i128x32')).toBeUndefined(); // 4096 bits
  });

  it('answers width and class queries', () => {
    const v = T.parseType('i16x8')!;
    expect(T.typeBits(v)).toBe(128);
    expect(T.laneBits(v)).toBe(16);
    expect(T.laneCount(v)).toBe(8);
    expect(T.laneType(v)).toBe(T.I16);
    expect(T.isVector(v)).toBe(true);
    expect(T.isVector(T.I64)).toBe(false);
    expect(T.isInt(v)).toBe(true);
    expect(T.isFloat(T.F16)).toBe(true);
    expect(T.isScalar(T.F128)).toBe(true);
    expect(T.isScalar(T.INVALID)).toBe(false);
  });

  it('derives types as the opcode constraints need', () => {
    const p = (s: string): T.Type => T.parseType(s)!;
    expect(T.asTruthy(T.I64)).toBe(T.I8);
    expect(T.asTruthy(p('f32x4'))).toBe(p('i32x4'));
    expect(T.halfWidth(p('i32x4'))).toBe(p('i16x4'));
    expect(T.doubleWidth(T.F32)).toBe(T.F64);
    expect(T.doubleWidth(T.I128)).toBe(T.INVALID);
    expect(T.halfVector(p('i32x4'))).toBe(p('i32x2'));
    expect(T.halfVector(p('i64x2'))).toBe(T.I64);
    expect(T.doubleVector(p('i32x4'))).toBe(p('i32x8'));
    expect(T.splitLanes(p('i32x4'))).toBe(p('i16x8'));
    expect(T.mergeLanes(p('i16x8'))).toBe(p('i32x4'));
    expect(T.dynamicToVector(p('i32x4xN'))).toBe(p('i32x4'));
    expect(T.asInt(p('f64x2'))).toBe(p('i64x2'));
  });
});
