// The TypeScript types the generated rule matcher (src/generated/opts.ts)
// imports for the ISLE extern types of src/opts/*.isle: e-class values and
// CLIF types as numbers, and the IR's own enum objects, so that a matcher's
// `Opcode.Iadd` or `IntCC.Equal` is exactly what the IR stores.

export type { Value, Type } from '@clift/ir';
export { Opcode, IntCC, FloatCC } from '@clift/ir';
