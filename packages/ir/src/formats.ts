// Instruction formats: the shape of an instruction's operands, shared by
// every opcode of that format. The DataFlowGraph stores an instruction as
// typed-array columns (see dfg.ts); this module fixes, per format, what each
// column means, so the reader, printer, verifier and builders agree.
//
// Storage columns per instruction:
//   args      a run of Values in the value pool: fixed value operands first,
//             then variable arguments (calls, returns, multiary);
//   imm0..2   three Int32 words whose meaning the format gives below;
//   ctrlType  the controlling type variable (INVALID when not polymorphic).
// Branch destinations are BlockCalls (dfg.ts): a block plus its arguments.

export const InstructionFormat = {
  /** `op x` */
  Unary: 0,
  /** `op imm` — imm0/imm1: low/high words of an Imm64. */
  UnaryImm: 1,
  /** `op imm` — imm0: the 16 bits of an Ieee16. */
  UnaryIeee16: 2,
  /** `op imm` — imm0: the 32 bits of an Ieee32. */
  UnaryIeee32: 3,
  /** `op imm` — imm0/imm1: low/high words of an Ieee64. */
  UnaryIeee64: 4,
  /** `op constN` — imm0: Constant. */
  UnaryConst: 5,
  /** `op gvN` — imm0: GlobalValue. */
  UnaryGlobalValue: 6,
  /** `op x, y` */
  Binary: 7,
  /** `op x, imm` — imm0: Uimm8 (a lane index). */
  BinaryImm8: 8,
  /** `op x, imm` — imm0/imm1: Imm64. */
  BinaryImm64: 9,
  /** `op x, y, z` */
  Ternary: 10,
  /** `op x, y, imm` — imm0: Uimm8 (a lane index). */
  TernaryImm8: 11,
  /** `op args…` */
  MultiAry: 12,
  /** `op` */
  NullAry: 13,
  /** `op x, y, mask` — imm0: Immediate (the 16-byte mask in the immediate pool). */
  Shuffle: 14,
  /** `op cc x, y` — imm2: IntCC. */
  IntCompare: 15,
  /** `op cc x, imm` — imm2: IntCC, imm0/imm1: Imm64. */
  IntCompareImm: 16,
  /** `op cc x, y` — imm2: FloatCC. */
  FloatCompare: 17,
  /** `op x, y, code` — imm0: TrapCode. */
  IntAddTrap: 18,
  /** `op block(args)` — imm0: BlockCall. */
  Jump: 19,
  /** `op c, block_then(args), block_else(args)` — imm0/imm1: BlockCalls. */
  Brif: 20,
  /** `op x, block_default(args), [block(args), …]` — imm0: JumpTable. */
  BranchTable: 21,
  /** `op fnN(args)` — imm0: FuncRef. */
  Call: 22,
  /** `op sigN, callee(args)` — imm0: SigRef; args[0] is the callee. */
  CallIndirect: 23,
  /** `op fnN(args), sigN, block(args), [table]` — imm0: FuncRef, imm1: ExceptionTable. */
  TryCall: 24,
  /** `op callee(args), sigN, block(args), [table]` — imm1: ExceptionTable; args[0] is the callee. */
  TryCallIndirect: 25,
  /** `op fnN` — imm0: FuncRef. */
  FuncAddr: 26,
  /** `op flags p+off` — imm0: MemFlags, imm1: Offset32. */
  Load: 27,
  /** `op flags p` — imm0: MemFlags. */
  LoadNoOffset: 28,
  /** `op flags x, p+off` — imm0: MemFlags, imm1: Offset32. */
  Store: 29,
  /** `op flags x, p` — imm0: MemFlags. */
  StoreNoOffset: 30,
  /** `op ssN+off` — imm0: StackSlot, imm1: Offset32. */
  StackLoad: 31,
  /** `op x, ssN+off` — imm0: StackSlot, imm1: Offset32. */
  StackStore: 32,
  /** `op dssN` — imm0: DynamicStackSlot. */
  DynamicStackLoad: 33,
  /** `op x, dssN` — imm0: DynamicStackSlot. */
  DynamicStackStore: 34,
  /** `op flags rmwop p, x` — imm0: MemFlags, imm1: AtomicRmwOp. */
  AtomicRmw: 35,
  /** `op flags p, expected, new` — imm0: MemFlags. */
  AtomicCas: 36,
  /** `op code` — imm0: TrapCode. */
  Trap: 37,
  /** `op c, code` — imm0: TrapCode. */
  CondTrap: 38,
  /** `op blockN, index` — imm0: Block, imm1: handler index (Imm64 narrowed to i32). */
  ExceptionHandlerAddress: 39,
} as const;
export type InstructionFormat = (typeof InstructionFormat)[keyof typeof InstructionFormat];

/** Per format: fixed value operands, whether variable arguments follow. */
export interface FormatInfo {
  readonly name: string;
  readonly numValueArgs: number;
  readonly varargs: boolean;
}

const FORMAT_TABLE: readonly (readonly [string, number, boolean])[] = [
  ['Unary', 1, false],
  ['UnaryImm', 0, false],
  ['UnaryIeee16', 0, false],
  ['UnaryIeee32', 0, false],
  ['UnaryIeee64', 0, false],
  ['UnaryConst', 0, false],
  ['UnaryGlobalValue', 0, false],
  ['Binary', 2, false],
  ['BinaryImm8', 1, false],
  ['BinaryImm64', 1, false],
  ['Ternary', 3, false],
  ['TernaryImm8', 2, false],
  ['MultiAry', 0, true],
  ['NullAry', 0, false],
  ['Shuffle', 2, false],
  ['IntCompare', 2, false],
  ['IntCompareImm', 1, false],
  ['FloatCompare', 2, false],
  ['IntAddTrap', 2, false],
  ['Jump', 0, false],
  ['Brif', 1, false],
  ['BranchTable', 1, false],
  ['Call', 0, true],
  ['CallIndirect', 1, true],
  ['TryCall', 0, true],
  ['TryCallIndirect', 1, true],
  ['FuncAddr', 0, false],
  ['Load', 1, false],
  ['LoadNoOffset', 1, false],
  ['Store', 2, false],
  ['StoreNoOffset', 2, false],
  ['StackLoad', 0, false],
  ['StackStore', 1, false],
  ['DynamicStackLoad', 0, false],
  ['DynamicStackStore', 1, false],
  ['AtomicRmw', 2, false],
  ['AtomicCas', 3, false],
  ['Trap', 0, false],
  ['CondTrap', 1, false],
  ['ExceptionHandlerAddress', 0, false],
];

export const FORMATS: readonly FormatInfo[] = FORMAT_TABLE.map(([name, numValueArgs, varargs]) => ({
  name,
  numValueArgs,
  varargs,
}));

export function formatInfo(f: InstructionFormat): FormatInfo {
  return FORMATS[f];
}
