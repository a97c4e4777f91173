// Doubling growth for the typed-array columns that a Context keeps and
// refills across functions (VCode, block order, MachBuffer).
//
// Invariant: `grow` returns `a` itself when it already holds `need`
// entries; otherwise a copy at least twice as long whose new tail holds
// `fill`.

type Column = Int32Array<ArrayBuffer> | Uint16Array<ArrayBuffer> | Uint8Array<ArrayBuffer> | Float64Array<ArrayBuffer>;

export function grow<A extends Column>(a: A, need: number, fill = 0): A {
  if (need <= a.length) return a;
  const d = new (a.constructor as new (length: number) => A)(Math.max(need, a.length * 2));
  if (fill !== 0) d.fill(fill, a.length);
  d.set(a);
  return d;
}
