// Cranelift's runtime library calls that the interpreter runs itself when a
// function calls them (`fn0 = %CeilF32(f32) -> f32`, or through func_addr):
// float rounding and fused multiply-add, and the memory routines over the
// interpreter's own memory.
//
// Invariant: a libcall computes exactly what the matching CLIF instruction
// would (CeilF32 ≡ ceil.f32), so its results are as exact as the opcodes'.

import type { Type } from '@clift/ir';
import { F32, F64, TrapCode } from '@clift/ir';
import type { Val } from './float.js';
import * as fl from './float.js';
import type { Memory } from './memory.js';
import { addressOf } from './memory.js';
import { TrapSignal } from './pure.js';
import { RoundMode } from './softfloat.js';

export type LibcallFn = (args: readonly Val[], mem: Memory) => Val[];

function round(mode: RoundMode, t: Type): LibcallFn {
  return (args) => [fl.fround(mode, t, args[0])];
}
function fma(t: Type): LibcallFn {
  return (args) => [fl.ffma(t, args[0], args[1], args[2])];
}

function range(mem: Memory, p: Val, n: number): number {
  const at = mem.offset(addressOf(p), n);
  if (at < 0) throw new TrapSignal(TrapCode.HEAP_OUT_OF_BOUNDS, 'libcall memory access out of bounds');
  return at;
}
function count(v: Val): number {
  const n = typeof v === 'bigint' ? Number(v) : v;
  return n;
}

const LIBCALLS: ReadonlyMap<string, LibcallFn> = new Map<string, LibcallFn>([
  ['CeilF32', round(RoundMode.Ceil, F32)],
  ['CeilF64', round(RoundMode.Ceil, F64)],
  ['FloorF32', round(RoundMode.Floor, F32)],
  ['FloorF64', round(RoundMode.Floor, F64)],
  ['TruncF32', round(RoundMode.Trunc, F32)],
  ['TruncF64', round(RoundMode.Trunc, F64)],
  ['NearestF32', round(RoundMode.Nearest, F32)],
  ['NearestF64', round(RoundMode.Nearest, F64)],
  ['FmaF32', fma(F32)],
  ['FmaF64', fma(F64)],
  [
    'Memcpy',
    (args, mem) => {
      const n = count(args[2]);
      const d = range(mem, args[0], n);
      const s = range(mem, args[1], n);
      mem.bytes.copyWithin(d, s, s + n);
      return [];
    },
  ],
  [
    'Memmove',
    (args, mem) => {
      const n = count(args[2]);
      const d = range(mem, args[0], n);
      const s = range(mem, args[1], n);
      mem.bytes.copyWithin(d, s, s + n);
      return [];
    },
  ],
  [
    'Memset',
    (args, mem) => {
      const n = count(args[2]);
      const d = range(mem, args[0], n);
      mem.bytes.fill(Number(args[1]) & 0xff, d, d + n);
      return [];
    },
  ],
  [
    'Memcmp',
    (args, mem) => {
      const n = count(args[2]);
      const x = range(mem, args[0], n);
      const y = range(mem, args[1], n);
      for (let i = 0; i < n; i++) {
        const d = mem.bytes[x + i] - mem.bytes[y + i];
        if (d !== 0) return [d < 0 ? 0xffffffff : 1];
      }
      return [0];
    },
  ],
]);

export function findLibcall(name: string): LibcallFn | undefined {
  return LIBCALLS.get(name);
}
export const LIBCALL_NAMES: readonly string[] = [...LIBCALLS.keys()];
