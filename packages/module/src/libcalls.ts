// Symbol names for Cranelift's library calls. The backend names a libcall
// relocation target by the `LibCall` it needs (`CeilF32`, `Memcpy`, as CLIF
// prints `%CeilF32`); the object file needs the C symbol that implements it.
// These are the names upstream's `default_libcall_names` chooses; a name not
// in the table is used as the symbol name unchanged.

const DEFAULT_LIBCALL_NAMES: ReadonlyMap<string, string> = new Map([
  ['Probestack', '__cranelift_probestack'],
  ['CeilF32', 'ceilf'],
  ['CeilF64', 'ceil'],
  ['FloorF32', 'floorf'],
  ['FloorF64', 'floor'],
  ['TruncF32', 'truncf'],
  ['TruncF64', 'trunc'],
  ['NearestF32', 'nearbyintf'],
  ['NearestF64', 'nearbyint'],
  ['FmaF32', 'fmaf'],
  ['FmaF64', 'fma'],
  ['Memcpy', 'memcpy'],
  ['Memset', 'memset'],
  ['Memmove', 'memmove'],
  ['Memcmp', 'memcmp'],
  ['ElfTlsGetAddr', '__tls_get_addr'],
  ['ElfTlsGetOffset', '__tls_get_offset'],
  ['X86Pshufb', '__cranelift_x86_pshufb'],
]);

/** The symbol upstream Cranelift links a libcall to by default. */
export function defaultLibcallName(libcall: string): string {
  return DEFAULT_LIBCALL_NAMES.get(libcall) ?? libcall;
}
