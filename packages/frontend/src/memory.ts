// Memory helpers over a FunctionBuilder: copy, move, set and compare through
// the C library routines (`%Memcpy`, `%Memmove`, `%Memset`, `%Memcmp`
// libcalls), or, for small constant sizes, inline loads and stores.
//
// Inline expansion uses the widest access (at most 8 bytes) that divides
// the size, and only when that needs at most INLINE_ACCESS_LIMIT accesses;
// larger sizes call the library. An inline copy loads everything before it
// stores anything, so it is also correct for overlapping buffers.
// Accesses are marked `aligned` only when both alignments allow it.

import type { MemFlags, Value } from '@clift/ir';
import { I32, I64, I8, MemFlagBit, MemFlags as MF, intType, isInt, typeBits, typeName } from '@clift/ir';
import { FrontendError } from './errors.js';
import type { FrontendConfig, FunctionBuilder } from './frontend.js';

/** The most loads (and as many stores) an inline copy or set may use. */
export const INLINE_ACCESS_LIMIT = 4;

function callConv(config: FrontendConfig): NonNullable<FrontendConfig['callConv']> {
  return config.callConv ?? 'system_v';
}

/** `memcpy(dest, src, size)`; buffers must not overlap. */
export function callMemcpy(fb: FunctionBuilder, config: FrontendConfig, dest: Value, src: Value, size: Value): void {
  const p = config.pointerType;
  const fn = fb.libcall('Memcpy', [p, p, p], [p], callConv(config));
  fb.ins().call(fn, [dest, src, size]);
}

/** `memmove(dest, src, size)`; buffers may overlap. */
export function callMemmove(fb: FunctionBuilder, config: FrontendConfig, dest: Value, src: Value, size: Value): void {
  const p = config.pointerType;
  const fn = fb.libcall('Memmove', [p, p, p], [p], callConv(config));
  fb.ins().call(fn, [dest, src, size]);
}

/** `memset(buffer, ch, size)`; `ch` is an integer of at most 32 bits (zero-extended). */
export function callMemset(fb: FunctionBuilder, config: FrontendConfig, buffer: Value, ch: Value, size: Value): void {
  const p = config.pointerType;
  const t = fb.func.dfg.valueTypeOf(ch);
  if (!isInt(t) || typeBits(t) > 32) {
    throw new FrontendError('InvalidMemoryOperation', `memset fill value v${ch} has type ${typeName(t)}; expected an integer of at most 32 bits`);
  }
  const ch32 = t === I32 ? ch : fb.ins().uextend(I32, ch);
  const fn = fb.libcall('Memset', [p, I32, p], [p], callConv(config));
  fb.ins().call(fn, [buffer, ch32, size]);
}

/** `memcmp(left, right, size)`: an i32 below, equal to or above zero. */
export function callMemcmp(fb: FunctionBuilder, config: FrontendConfig, left: Value, right: Value, size: Value): Value {
  const p = config.pointerType;
  const fn = fb.libcall('Memcmp', [p, p, p], [I32], callConv(config));
  return fb.instResults(fb.ins().call(fn, [left, right, size]))[0];
}

function checkSize(size: number, what: string): void {
  if (!Number.isSafeInteger(size) || size < 0) throw new FrontendError('InvalidMemoryOperation', `${what} size ${size} is not a non-negative integer`);
}
function checkAlign(align: number, what: string): void {
  if (!Number.isSafeInteger(align) || align < 1 || (align & (align - 1)) !== 0) {
    throw new FrontendError('InvalidMemoryOperation', `${what} alignment ${align} is not a power of two`);
  }
}
/** The widest access of at most 8 bytes that divides `size`. */
function accessSize(size: number): number {
  let a = 8;
  while (size % a !== 0) a >>= 1;
  return a;
}
function withAlignment(flags: MemFlags, align: number, unit: number): MemFlags {
  return align >= unit ? MF.with(flags, MemFlagBit.Aligned) : flags;
}

/**
 * Copies `size` bytes from `src` to `dest`, inline when small, else through
 * memcpy (`nonOverlapping`) or memmove.
 */
export function emitSmallMemoryCopy(
  fb: FunctionBuilder,
  config: FrontendConfig,
  dest: Value,
  src: Value,
  size: number,
  destAlign: number,
  srcAlign: number,
  nonOverlapping: boolean,
  flags: MemFlags,
): void {
  checkSize(size, 'memory copy');
  checkAlign(destAlign, 'memory copy destination');
  checkAlign(srcAlign, 'memory copy source');
  if (size === 0) return;
  const unit = accessSize(size);
  const count = size / unit;
  if (count > INLINE_ACCESS_LIMIT) {
    const n = fb.ins().iconst(config.pointerType, size);
    if (nonOverlapping) callMemcpy(fb, config, dest, src, n);
    else callMemmove(fb, config, dest, src, n);
    return;
  }
  const t = intType(unit * 8);
  const loadFlags = withAlignment(flags, srcAlign, unit);
  const storeFlags = withAlignment(flags, destAlign, unit);
  const loaded: Value[] = [];
  for (let i = 0; i < count; i++) loaded.push(fb.ins().load(t, loadFlags, src, i * unit));
  for (let i = 0; i < count; i++) fb.ins().store(storeFlags, loaded[i], dest, i * unit);
}

/** Fills `size` bytes at `buffer` with byte `ch`, inline when small, else through memset. */
export function emitSmallMemset(
  fb: FunctionBuilder,
  config: FrontendConfig,
  buffer: Value,
  ch: number,
  size: number,
  bufferAlign: number,
  flags: MemFlags,
): void {
  checkSize(size, 'memset');
  checkAlign(bufferAlign, 'memset buffer');
  if (!Number.isInteger(ch) || ch < 0 || ch > 255) throw new FrontendError('InvalidMemoryOperation', `memset byte ${ch} is not in 0..255`);
  if (size === 0) return;
  const unit = accessSize(size);
  const count = size / unit;
  if (count > INLINE_ACCESS_LIMIT) {
    const c = fb.ins().iconst(I32, ch);
    const n = fb.ins().iconst(config.pointerType, size);
    callMemset(fb, config, buffer, c, n);
    return;
  }
  const t = unit === 1 ? I8 : intType(unit * 8);
  let pattern = 0n;
  for (let i = 0; i < unit; i++) pattern = (pattern << 8n) | BigInt(ch);
  const v = fb.ins().iconst(t, t === I64 ? BigInt.asIntN(64, pattern) : pattern);
  const storeFlags = withAlignment(flags, bufferAlign, unit);
  for (let i = 0; i < count; i++) fb.ins().store(storeFlags, v, buffer, i * unit);
}
