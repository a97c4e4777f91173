// The values an instruction uses, visited without a callback. The mid-end
// rewrites every operand of every instruction it keeps, and a closure per
// instruction (what DataFlowGraph.mapUses and forEachUse take) costs more
// than the visit itself on the small functions it mostly sees.
//
// Invariant: callers visit in DataFlowGraph.mapUses' order — the argument
// list, then the arguments of each block call in `blockCallsOf` order (the
// order of `branchDestinations`), then the exception contexts of a
// `try_call` — so that anything order-sensitive (leaf numbering in the
// e-graph, placement order in elaboration) matches.

import { InstructionFormat, opcodeFormat, type BlockCall, type DataFlowGraph, type Inst, type Opcode } from '@clift/ir';

/**
 * Writes the block calls `inst` branches through into `out` (a buffer the
 * caller reuses) and returns how many; 0 for an instruction that does not
 * branch.
 */
export function blockCallsOf(dfg: DataFlowGraph, inst: Inst, out: BlockCall[]): number {
  switch (opcodeFormat(dfg.opcode(inst) as Opcode)) {
    case InstructionFormat.Jump:
      out[0] = (dfg.imm0(inst) >>> 0) as BlockCall;
      return 1;
    case InstructionFormat.Brif:
      out[0] = (dfg.imm0(inst) >>> 0) as BlockCall;
      out[1] = (dfg.imm1(inst) >>> 0) as BlockCall;
      return 2;
    case InstructionFormat.BranchTable:
    case InstructionFormat.TryCall:
    case InstructionFormat.TryCallIndirect: {
      const dests = dfg.branchDestinations(inst);
      for (let i = 0; i < dests.length; i++) out[i] = dests[i];
      return dests.length;
    }
    default:
      return 0;
  }
}

/** Whether `inst` has exception-table contexts among its uses (a `try_call`). */
export function hasExceptionContexts(dfg: DataFlowGraph, inst: Inst): boolean {
  const fmt = opcodeFormat(dfg.opcode(inst) as Opcode);
  return fmt === InstructionFormat.TryCall || fmt === InstructionFormat.TryCallIndirect;
}
