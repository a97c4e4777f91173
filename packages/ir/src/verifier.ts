// The verifier: checks that a Function is well formed and reports every
// problem it finds, each attached to the entity it concerns (`inst3`,
// `block1`, `v2`, `gv0`, `sig0`, `fn0`, `region1`, or `function`), the way
// upstream Cranelift's verifier does, with upstream's wording so `.clif`
// `; error:` annotations match.
//
// What it checks:
//
// Declarations
// - The function signature: valid types, no `sarg` returns, extensions only
//   on integers, no return values under `preserve_all` (also for every
//   imported signature and external function).
// - Global values: bases exist, no cycles, `vmctx` only with a vmctx
//   parameter, `iadd_imm` on integers; with a target, load bases and
//   `iadd_imm` operands have the right (pointer) type.
// - Alias regions: user ids are unique. Dynamic types, dynamic stack slots,
//   external functions and `stack_limit` refer to declared entities.
//
// Block and layout integrity
// - The entry block's parameters match the signature; it is not cold.
// - No block is empty; each ends with exactly one terminator, which is its
//   last instruction. Block parameters belong to their block.
//
// Instruction integrity
// - The opcode is known; the operand count fits the format; the result
//   count is the opcode's (or, for calls, the callee signature's), and each
//   result is defined by its instruction.
// - Every referenced entity exists: values, blocks (inserted, never the
//   entry block), jump and exception tables, signatures, functions, stack
//   slots, global values, constants, immediates, alias regions.
// - Debug tags only on calls and `sequence_point`.
//
// SSA
// - Every use is of a value defined by an inserted instruction or block,
//   and (in reachable code) the definition dominates the use — including
//   branch arguments and exception-table contexts; no instruction uses its
//   own result. Value alias chains end (no cycles).
//
// Types
// - The controlling type is in the opcode's set; fixed operands meet their
//   constraints (exact type or free set); results have the derived types.
// - Call arguments and results match the callee signature; `return`
//   matches the function's; tail calls need the `tail` convention on both
//   sides and matching results; `try_call` tables match the callee and its
//   convention supports exceptions.
// - Branch arguments match destination parameters in count and type,
//   including `retN` (normal return only) and `exnN` (handlers only).
//
// Immediates and ad hoc rules
// - `iconst` fits its type; lane indices of `extractlane`/`insertlane`;
//   shuffle masks; `vconst`/`f128const` constant sizes; `bitcast` widths
//   and flags; no `readonly` store; `get_exception_handler_address`
//   targets; patchable calls; condition, trap and atomic-op codes.
// - With a target: addresses of loads, stores and atomics have the
//   pointer width; `global_value`-family results have the global's type;
//   exception payloads (`exnN`) have the pointer type.
//
// Target-dependent checks run only when `VerifierOptions` names a target or
// pointer width, as upstream runs them only with an ISA: without one the
// pointer type is unknown (a test file may be written for a 32-bit target).
//
// Every error is reported, not only the first: checks that cannot run on
// malformed input (types of an operand that does not exist, dominance when
// the CFG cannot be built) are skipped for that input only. Upstream stops
// at its first "fatal" error instead; `stopAtFatal` reproduces that for
// upstream's `test verifier` files, whose annotations list exactly the
// errors found up to that point.
//
// Cost: one pass over declarations, one pass over instructions to make sure
// the CFG can be built, the CFG and dominator tree, then one pass over
// instructions. Per instruction only typed-array reads and a few calls;
// strings are built only for errors. A function of one block (most test
// functions) needs no CFG: its block is reachable and dominance within it
// is layout order, so the dominator tree is skipped there, and so is the
// pass that makes sure the CFG could be built, unless a use breaks
// dominance (whether to report that depends on it). Otherwise the CFG and
// tree are recomputed into arrays the verifier keeps from function to
// function. Instructions whose format names no entity or carries no
// immediate skip those checks, and those whose operands and results all
// have the controlling type are type-checked by comparing with it (the
// general path, with its messages, runs only on a mismatch).

import type { Block, Inst, Value } from './entities.js';
import * as entities from './entities.js';
import type { BlockCall, ExceptionTableData } from './entity-data.js';
import * as entityData from './entity-data.js';
import { ControlFlowGraph } from './cfg.js';
import * as dfgModule from './dfg.js';
import { DominatorTree } from './dominators.js';
import * as formats from './formats.js';
import { Function } from './function.js';
import * as immediates from './immediates.js';
import * as opcodes from './opcodes.js';
import { formatAbiParam, formatUserFuncName, signaturesEqual, type CallConv, type ExternalName, type Signature } from './signature.js';
import { typeSetName } from './typeset.js';
import type { Type } from './types.js';
import * as types from './types.js';
import { printInst } from './write.js';

// Imported bindings are live, so V8 reads them afresh at every use; what the
// per-instruction checks use is copied into module constants, which it
// folds into the compiled code.
const { NONE } = entities;
const { BlockArg, BlockArgKind } = entityData;
type BlockArg = entityData.BlockArg;
const { ValueKind } = dfgModule;
const { InstructionFormat: F, formatInfo } = formats;
type F = formats.InstructionFormat;
const { MemFlagBit, MemFlags, MAX_USER_TRAP_CODE, TrapCode, wordsToI64 } = immediates;
type MemFlags = immediates.MemFlags;
const {
  ALL_OPCODES,
  ConstraintKind,
  OPCODE_LIMIT,
  Opcode,
  canLoad,
  canStore,
  constraintAllows,
  constraintType,
  ctrlTypeAllowed,
  ctrlTypeSet,
  isCall,
  isFreeConstraint,
  isOpcode,
  isPolymorphic,
  isTerminator,
  numFixedOperands,
  numFixedResults,
  operandConstraintKind,
  operandConstraintUnchecked,
  constraintName,
  opcodeFormat,
  requiresTypevarOperand,
  resultConstraintKind,
  resultTypeUnchecked,
  resultsFromSignature,
  typevarOperand,
} = opcodes;
type Opcode = opcodes.Opcode;
const { F128, I32, I64, INVALID, isInt, isValidType, laneCount, typeBits, typeBytes, typeName } = types;

/** Which target the function is meant for; enables target-dependent checks. */
export interface VerifierOptions {
  /** Pointer width in bits; inferred from `target` when absent (`…32` → 32, else 64). */
  pointerBits?: 32 | 64;
  /** The ISA name of the test file's `target` line (`aarch64`, `x86_64`, `pulley32`, …). */
  target?: string;
  /**
   * Stop where upstream's verifier stops: after any error among the
   * declarations and the entry block, or at the first error upstream calls
   * fatal (layout, SSA, entity references, some immediates). Upstream's
   * `test verifier` files expect exactly the errors reported up to that
   * point, so the filetests runner sets this; everyone else wants every
   * error and leaves it off.
   */
  stopAtFatal?: boolean;
}

/** One problem, attached to the entity it concerns. */
export interface VerifierError {
  /** `inst3`, `block1`, `v2`, `gv0`, `sig0`, `fn0`, `region1`, `function`, … */
  location: string;
  /** For instructions: the instruction as printed, e.g. `v3 = iadd v1, v2`. */
  context?: string;
  message: string;
}

/** Thrown by `verifyOrThrow`; carries every error found. */
export class VerifierFailure extends Error {
  readonly errors: readonly VerifierError[];
  constructor(errors: readonly VerifierError[], text: string) {
    super(text);
    this.name = 'VerifierFailure';
    this.errors = errors;
  }
}

/** The options of a caller that gives none (shared: nothing writes to it). */
const NO_OPTIONS: VerifierOptions = Object.freeze({});

/** Verifies `func`, returning every error found (empty when well formed). */
export function verifyFunction(func: Function, opts: VerifierOptions = NO_OPTIONS): VerifierError[] {
  // One verifier object serves every call (a verification never starts
  // another, but a spare is made if one ever did).
  const v = spareVerifier ?? new Verifier();
  spareVerifier = undefined;
  try {
    return v.run(func, opts);
  } finally {
    spareVerifier = v;
  }
}

/** One line per error: `- inst3 (v3 = iadd v1, v2): message`, under a heading naming the function. */
export function formatVerifierErrors(func: Function, errors: readonly VerifierError[]): string {
  let s = `${errors.length} verifier error${errors.length === 1 ? '' : 's'} in function ${formatUserFuncName(func.name)}:\n`;
  for (const e of errors) s += `- ${formatVerifierError(e)}\n`;
  return s;
}

/** `inst3 (v3 = iadd v1, v2): message`, as upstream displays an error. */
export function formatVerifierError(e: VerifierError): string {
  return e.context === undefined ? `${e.location}: ${e.message}` : `${e.location} (${e.context}): ${e.message}`;
}

/** Verifies `func`; throws a `VerifierFailure` listing every error when it is not well formed. */
export function verifyOrThrow(func: Function, opts: VerifierOptions = NO_OPTIONS): void {
  const errors = verifyFunction(func, opts);
  if (errors.length > 0) throw new VerifierFailure(errors, formatVerifierErrors(func, errors));
}

/** The pointer type the options imply, or undefined when no target is given. */
function pointerTypeOf(opts: VerifierOptions): Type | undefined {
  if (opts.pointerBits !== undefined) return opts.pointerBits === 32 ? I32 : I64;
  if (opts.target === undefined) return undefined;
  return /32(?:be|le)?$/.test(opts.target) ? I32 : I64;
}

/** Conventions a `try_call` callee may use. */
function supportsExceptions(cc: CallConv): boolean {
  return cc === 'tail' || cc === 'system_v' || cc === 'winch' || cc === 'preserve_all';
}
/** How many exception payload values (`exnN`) a callee convention delivers. */
function exceptionPayloadCount(cc: CallConv): number {
  return cc === 'tail' || cc === 'system_v' || cc === 'preserve_all' ? 2 : 0;
}

/** Where a block call sits: what `retN` / `exnN` arguments may appear. */
const Target = { Normal: 0, TryCallNormalReturn: 1, TryCallHandler: 2 } as const;
type Target = (typeof Target)[keyof typeof Target];

// What the per-instruction checks have to do for each format: most
// instructions (unary, binary, ternary, returns) name no entity and carry
// no immediate to check, and skip those two calls. Each bit lists the
// formats the matching method's switch has a case for: keep them in step.
const HAS_REFERENCES = 1;
const HAS_IMMEDIATES = 2;
const FORMAT_CHECKS = ((): Uint8Array => {
  const t = new Uint8Array(64);
  for (const f of [
    F.Jump, F.Brif, F.BranchTable, F.Call, F.FuncAddr, F.CallIndirect, F.TryCall, F.TryCallIndirect,
    F.StackLoad, F.StackStore, F.DynamicStackLoad, F.DynamicStackStore, F.UnaryGlobalValue, F.UnaryConst,
    F.Shuffle, F.Load, F.LoadNoOffset, F.Store, F.StoreNoOffset, F.AtomicRmw, F.AtomicCas,
    F.ExceptionHandlerAddress,
  ]) {
    t[f] |= HAS_REFERENCES;
  }
  for (const f of [
    F.UnaryImm, F.UnaryConst, F.BinaryImm8, F.TernaryImm8, F.Shuffle, F.IntCompare, F.IntCompareImm,
    F.FloatCompare, F.Trap, F.CondTrap, F.IntAddTrap, F.AtomicRmw, F.AtomicCas, F.Load, F.LoadNoOffset,
    F.Store, F.StoreNoOffset,
  ]) {
    t[f] |= HAS_IMMEDIATES;
  }
  return t;
})();

/**
 * Opcodes whose fixed operands and results all have exactly the
 * controlling type (iadd, band, fneg, …): `typecheck` compares their types
 * with ctrl directly, and takes the general path (with its messages) only
 * on a mismatch.
 */
const ALL_CTRL_TYPED = ((): Uint8Array => {
  const t = new Uint8Array(OPCODE_LIMIT);
  for (const op of ALL_OPCODES) {
    if (!isPolymorphic(op) || resultsFromSignature(op)) continue;
    let same = true;
    for (let i = 0; i < numFixedOperands(op); i++) if (operandConstraintKind(op, i) !== ConstraintKind.Same) same = false;
    for (let i = 0; i < numFixedResults(op); i++) if (resultConstraintKind(op, i) !== ConstraintKind.Same) same = false;
    if (same) t[op] = 1;
  }
  return t;
})();

function extensionName(e: string): string {
  return e === 'sext' ? 'Sext' : e === 'uext' ? 'Uext' : 'None';
}

/**
 * Storage for `Verifier.resolved`, reused by every run (a verifier never
 * runs inside another), so verifying allocates no typed array per function.
 */
let resolvedScratch = new Uint32Array(256);

/** What an idle verifier points at instead of the last function it checked. */
const NO_FUNCTION = new Function();

/** The verifier object `verifyFunction` reuses; undefined while it is running. */
let spareVerifier: Verifier | undefined;

/** Whether a function's branch tables are all valid, once known. */
const TablesValidity = { Unknown: 0, Valid: 1, Invalid: 2 } as const;
type TablesValidity = (typeof TablesValidity)[keyof typeof TablesValidity];

/** Thrown inside the verifier to end a `stopAtFatal` run; never escapes `run`. */
class StopVerification extends Error {}
const STOP = new StopVerification('stop at fatal verifier error');

class Verifier {
  // Per-run state, set by `run` (the object is reused across runs).
  private func: Function = NO_FUNCTION;
  private errors: VerifierError[] = [];
  private ptrType: Type | undefined = undefined;
  private stopAtFatal = false;
  /** Each value with its alias chain followed; NONE for cycles and dangling aliases. */
  private resolved = resolvedScratch;
  /** Values covered by `resolved` (the scratch may be longer, holding stale entries past this). */
  private numResolved = 0;
  /** Undefined when the CFG cannot be built (a branch names a missing table): dominance is then not checked. */
  private domtree: DominatorTree | undefined;
  // The CFG and dominator tree `domtree` is computed into: kept across runs,
  // so their arrays are reused rather than made for every function.
  private readonly cfg = new ControlFlowGraph();
  private readonly ownDomtree = new DominatorTree();
  /**
   * The layout has one block: dominance is instruction order in that
   * block, and `domtree` stays undefined. Dominance is checked only where
   * the CFG could be built (`branchTablesValid`); with one block that scan
   * waits until a use breaks dominance, which well-formed code never does.
   */
  private singleBlock = false;
  /** For `singleBlock`: unknown until needed, then whether the branch tables are valid. */
  private singleBlockTables: TablesValidity = TablesValidity.Unknown;
  private entry: Block = NONE as Block;
  // What `checkReferences` learned about the current instruction: the
  // callee's signature for calls, and whether every reference resolved.
  // Fields rather than a returned object: no allocation per instruction.
  private refSig: Signature | undefined = undefined;
  private refsOk = true;

  run(func: Function, opts: VerifierOptions): VerifierError[] {
    this.func = func;
    this.errors = [];
    this.ptrType = pointerTypeOf(opts);
    this.stopAtFatal = opts.stopAtFatal === true;
    this.numResolved = 0;
    this.domtree = undefined;
    this.singleBlock = false;
    this.singleBlockTables = TablesValidity.Unknown;
    this.entry = NONE as Block;
    this.refSig = undefined;
    this.refsOk = true;
    try {
      this.checkAll();
    } catch (e) {
      if (e !== STOP) throw e;
    } finally {
      // Hold on to nothing of this function between runs.
      this.func = NO_FUNCTION;
      this.domtree = undefined;
      this.refSig = undefined;
    }
    return this.errors;
  }

  private checkAll(): void {
    this.checkFunctionSignature();
    this.checkSignatures();
    this.checkGlobalValues();
    this.checkOtherDeclarations();
    this.resolveAliases();
    const entry = this.func.layout.entryBlock();
    this.entry = entry ?? (NONE as Block);
    if (entry !== undefined) this.checkEntryBlock(entry);
    if (this.stopAtFatal && this.errors.length > 0) return;
    const layout = this.func.layout;
    if (entry !== undefined && layout.nextBlock(entry) === NONE) {
      this.singleBlock = true;
    } else if (this.branchTablesValid()) {
      this.cfg.recompute(this.func);
      this.ownDomtree.recompute(this.func, this.cfg);
      this.domtree = this.ownDomtree;
    }
    for (let b = layout.firstBlock(); b !== NONE; b = layout.nextBlock(b)) this.checkBlock(b);
  }

  // ===================================================================
  // Reporting

  private report(location: string, message: string, fatal = false): void {
    this.errors.push({ location, message });
    if (fatal && this.stopAtFatal) throw STOP;
  }
  private reportInst(inst: Inst, message: string, fatal = false): void {
    this.errors.push({ location: `inst${inst}`, context: this.instText(inst), message });
    if (fatal && this.stopAtFatal) throw STOP;
  }
  private instText(inst: Inst): string {
    try {
      return printInst(this.func, inst);
    } catch {
      // Malformed instructions may not print; the location still names them.
      return `inst${inst}`;
    }
  }

  // ===================================================================
  // Declarations

  private checkFunctionSignature(): void {
    const sig = this.func.signature;
    this.checkAbiParams(sig.params, 'Parameter', false);
    this.checkAbiParams(sig.returns, 'Return value', true);
    this.checkCallConvRules(sig, 'function');
  }
  private checkAbiParams(params: Signature['params'], item: string, isReturn: boolean): void {
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (!isValidType(p.type)) this.report('function', `${item} at position ${i} has an invalid type`);
      if (isReturn && p.purpose.kind === 'struct_argument') {
        this.report('function', `${item} at position ${i} can't be an struct argument`);
      }
      if (p.extension !== 'none' && !(isInt(p.type) && laneCount(p.type) === 1)) {
        this.report('function', `${item} at position ${i} has invalid extension ${extensionName(p.extension)}`);
      }
    }
  }

  /** Rules on a signature's convention alone, wherever it is declared. */
  private checkCallConvRules(sig: Signature, location: string): void {
    if (sig.callConv === 'preserve_all' && sig.returns.length > 0) {
      this.report(location, 'Signature with `preserve_all` ABI cannot have return values');
    }
  }

  /**
   * Imported signatures and external functions. A signature that an
   * external function uses is reported at the function, where the text
   * declares it (`fn0 = %g() -> i8 preserve_all` makes an implicit sig).
   */
  private checkSignatures(): void {
    const dfg = this.func.dfg;
    // Most functions import nothing; the closures live in another method,
    // so that this one allocates no context for them.
    if (dfg.numExtFuncs() === 0 && dfg.numSignatures() === 0) return;
    this.checkImports();
  }
  private checkImports(): void {
    const dfg = this.func.dfg;
    const owner = new Map<number, number>();
    dfg.extFuncs.forEach((ext, f) => {
      if (!ext) return;
      this.checkExternalName(`fn${f}`, ext.name);
      if (dfg.signatures[ext.signature] === undefined) {
        this.report(`fn${f}`, `invalid signature reference sig${ext.signature}`);
      } else if (!owner.has(ext.signature)) {
        owner.set(ext.signature, f);
      }
    });
    dfg.signatures.forEach((sig, s) => {
      if (!sig) return;
      const f = owner.get(s);
      this.checkCallConvRules(sig, f === undefined ? `sig${s}` : `fn${f}`);
    });
  }

  private checkGlobalValues(): void {
    const func = this.func;
    if (func.numGlobalValues() === 0) return;
    const gvs = func.globalValues;
    const hasVmctx = func.signature.params.some((p) => p.purpose.kind === 'vmctx');
    let cycleSeen = false;
    const seen: number[] = [];
    for (let gv = 0; gv < gvs.length; gv++) {
      const data = gvs[gv];
      if (!data) continue;
      // Walk the base chain; a repeat is a cycle (reported once, as upstream does).
      seen.length = 0;
      seen.push(gv);
      let cur = gv;
      let broken = false;
      for (;;) {
        const d = gvs[cur];
        if (!d || (d.kind !== 'load' && d.kind !== 'iadd_imm')) break;
        if (gvs[d.base] === undefined) {
          if (cur === gv) this.report(`gv${gv}`, `invalid base global value gv${d.base}`);
          broken = true;
          break;
        }
        if (seen.includes(d.base)) {
          if (!cycleSeen) {
            this.report(`gv${gv}`, `global value cycle: [${seen.map((g) => `gv${g}`).join(', ')}]`);
            cycleSeen = true;
          }
          broken = true;
          break;
        }
        seen.push(d.base);
        cur = d.base;
      }
      switch (data.kind) {
        case 'symbol':
          this.checkExternalName(`gv${gv}`, data.name);
          break;
        case 'vmctx':
          if (!hasVmctx) this.report(`gv${gv}`, `undeclared vmctx reference gv${gv}`);
          break;
        case 'iadd_imm':
          if (!isInt(data.globalType) || laneCount(data.globalType) !== 1) {
            this.report(`gv${gv}`, `iadd_imm global value with non-int type ${typeName(data.globalType)}`);
          } else if (this.ptrType !== undefined && !broken) {
            const baseType = this.globalType(data.base);
            if (baseType !== data.globalType) {
              this.report(`gv${gv}`, `iadd_imm type ${typeName(data.globalType)} differs from operand type ${typeName(baseType)}`);
            }
          }
          break;
        case 'load':
          this.checkRegion(`gv${gv}`, data.flags, undefined);
          if (this.ptrType !== undefined && !broken) {
            const baseType = this.globalType(data.base);
            if (baseType !== this.ptrType) {
              this.report(
                `gv${gv}`,
                `base gv${data.base} has type ${typeName(baseType)}, which is not the pointer type ${typeName(this.ptrType)}`,
              );
            }
          }
          break;
        default:
          break;
      }
    }
  }

  private checkExternalName(location: string, name: ExternalName): void {
    if (name.kind === 'user' && this.func.userNamedFuncs[name.ref] === undefined) {
      this.report(location, `invalid user name reference userextname${name.ref}`);
    }
  }

  /** The type of a global value (only with a target: some are pointer-typed). */
  private globalType(gv: number): Type {
    const d = this.func.globalValues[gv];
    if (!d) return INVALID;
    switch (d.kind) {
      case 'load':
      case 'iadd_imm':
        return d.globalType;
      default:
        return this.ptrType ?? INVALID;
    }
  }

  private checkOtherDeclarations(): void {
    const func = this.func;
    const dfg = func.dfg;
    if (func.numAliasRegions() > 0) this.checkAliasRegions();
    // Most functions declare none of these: the closures live in another
    // method, so that this one allocates no context for them.
    if (dfg.numDynamicTypes() === 0 && func.numDynamicStackSlots() === 0) {
      if (func.stackLimit !== undefined && func.globalValueAt(func.stackLimit) === undefined) {
        this.report('function', `invalid stack limit global value gv${func.stackLimit}`);
      }
      return;
    }
    this.checkDynamicDeclarations();
  }

  private checkAliasRegions(): void {
    const userIds = new Map<number, number>();
    this.func.aliasRegions.forEach((r, i) => {
      if (!r) return;
      if (userIds.has(r.userId)) this.report(`region${i}`, `duplicate alias region user_id ${r.userId}`);
      else userIds.set(r.userId, i);
    });
  }

  private checkDynamicDeclarations(): void {
    const func = this.func;
    const dfg = func.dfg;
    dfg.dynamicTypes.forEach((dt, i) => {
      if (!dt) return;
      if (func.globalValues[dt.dynamicScale] === undefined) {
        this.report(`dt${i}`, `invalid global value gv${dt.dynamicScale}`);
      }
      if (laneCount(dt.baseVectorType) < 2) {
        this.report(`dt${i}`, `dynamic type base ${typeName(dt.baseVectorType)} is not a vector type`);
      }
    });
    func.dynamicStackSlots.forEach((d, i) => {
      if (d && dfg.dynamicTypes[d.dynType] === undefined) this.report(`dss${i}`, `invalid dynamic type dt${d.dynType}`);
    });
    if (func.stackLimit !== undefined && func.globalValues[func.stackLimit] === undefined) {
      this.report('function', `invalid stack limit global value gv${func.stackLimit}`);
    }
  }

  /**
   * Follows every alias chain once. Chains are short and rare, so each is
   * walked with a step bound; a chain longer than the number of values is a
   * cycle.
   */
  private resolveAliases(): void {
    const dfg = this.func.dfg;
    const n = dfg.numValues();
    if (resolvedScratch.length < n) resolvedScratch = new Uint32Array(Math.max(n, resolvedScratch.length * 2));
    const out = resolvedScratch;
    this.numResolved = n;
    for (let v = 0; v < n; v++) {
      if (dfg.valueKindOf(v as Value) !== ValueKind.Alias) {
        out[v] = v;
        continue;
      }
      let cur = v;
      let steps = 0;
      while (cur < n && dfg.valueKindOf(cur as Value) === ValueKind.Alias && steps <= n) {
        const def = dfg.valueDef(cur as Value);
        cur = def.kind === 'alias' ? def.original : NONE;
        steps++;
      }
      if (cur >= n) {
        this.report(`v${v}`, `alias of invalid value${cur === NONE ? '' : ` v${cur}`}`);
        out[v] = NONE;
      } else if (steps > n) {
        this.report(`v${v}`, 'value alias cycle');
        out[v] = NONE;
      } else {
        out[v] = cur;
      }
    }
    this.resolved = out;
  }

  private checkEntryBlock(entry: Block): void {
    const dfg = this.func.dfg;
    const expected = this.func.signature.params;
    const n = dfg.numBlockParams(entry);
    if (n !== expected.length) {
      this.report(`block${entry}`, `entry block parameters (${n}) must match function signature (${expected.length})`);
    } else {
      for (let i = 0; i < n; i++) {
        const t = dfg.valueType_(dfg.blockParam(entry, i));
        if (t !== expected[i].type) {
          this.report(
            `block${entry}`,
            `entry block parameter ${i} expected to have type ${formatAbiParam(expected[i])}, got ${typeName(t)}`,
          );
        }
      }
    }
    if (this.func.layout.isCold(entry)) this.report(`block${entry}`, 'entry block cannot be marked as cold');
  }

  /** `branchTablesValid` for a single-block function, computed once. */
  private singleBlockTablesValid(): boolean {
    if (this.singleBlockTables === TablesValidity.Unknown) {
      this.singleBlockTables = this.branchTablesValid() ? TablesValidity.Valid : TablesValidity.Invalid;
    }
    return this.singleBlockTables === TablesValidity.Valid;
  }

  /**
   * The CFG reads every branch's tables; a missing jump or exception table
   * would leave it without destinations. Such instructions are reported
   * later; here we only learn whether dominance can be computed.
   */
  private branchTablesValid(): boolean {
    const { dfg, layout } = this.func;
    for (let b = layout.firstBlock(); b !== NONE; b = layout.nextBlock(b)) {
      for (let inst = layout.firstInst(b); inst !== NONE; inst = layout.nextInst(inst)) {
        const op = dfg.opcode(inst);
        if (!isOpcode(op)) continue;
        const fmt = opcodeFormat(op);
        if (fmt === F.BranchTable && dfg.jumpTables[dfg.imm0(inst)] === undefined) return false;
        if ((fmt === F.TryCall || fmt === F.TryCallIndirect) && dfg.exceptionTables[dfg.imm1(inst)] === undefined) return false;
      }
    }
    return true;
  }

  // ===================================================================
  // Blocks and instructions

  private checkBlock(block: Block): void {
    const { dfg, layout } = this.func;
    const np = dfg.numBlockParams(block);
    for (let i = 0; i < np; i++) {
      const p = dfg.blockParam(block, i);
      const kind = dfg.valueKindOf(p);
      if (kind !== ValueKind.Param) this.report(`v${p}`, 'expected an argument, found a result', true);
      else if (dfg.valueBlock(p) !== block) this.report(`v${p}`, `does not belong to block${block}`, true);
    }
    const first = layout.firstInst(block);
    if (first === NONE) {
      this.report(`block${block}`, `block${block} cannot be empty`, true);
      return;
    }
    const last = layout.lastInst(block);
    for (let inst = first; inst !== NONE; inst = layout.nextInst(inst)) {
      const op = dfg.opcode(inst);
      if (!isOpcode(op)) {
        this.report(`inst${inst}`, `invalid opcode ${op}`, true);
        continue;
      }
      if (layout.instBlock(inst) !== block) {
        this.reportInst(inst, `should belong to block${block} not block${layout.instBlock(inst)}`, true);
      }
      const term = isTerminator(op);
      if (term && inst !== last) {
        this.reportInst(inst, `a terminator instruction was encountered before the end of block${block}`, true);
      } else if (!term && inst === last) {
        this.report(`block${block}`, 'block does not end in a terminator instruction', true);
      }
      this.checkInst(inst, op, block);
    }
  }

  private checkInst(inst: Inst, op: Opcode, block: Block): void {
    const dfg = this.func.dfg;
    const fmt = opcodeFormat(op);
    const info = formatInfo(fmt);
    const nargs = dfg.numArgs(inst);
    const reachable = this.domtree === undefined || this.domtree.isReachable(block);
    // (With `singleBlock`, `block` is the entry: reachable.)

    if (dfg.instDebugTags(inst) !== undefined && !isCall(op) && op !== Opcode.SequencePoint) {
      this.reportInst(inst, 'debug tags present on non-call, non-sequence point instruction');
    }
    const stackMap = dfg.instUserStackMap(inst);
    if (stackMap !== undefined) {
      if (!isCall(op)) this.reportInst(inst, 'user stack map present on a non-call instruction');
      for (const e of stackMap) {
        if (this.func.stackSlots[e.slot] === undefined) this.reportInst(inst, `invalid stack slot ss${e.slot} in user stack map`);
      }
    }

    // Operands: their number, then each use.
    let operandsOk = true;
    if (nargs < info.numValueArgs || (!info.varargs && nargs !== info.numValueArgs)) {
      this.reportInst(inst, `has ${nargs} value operands, but ${info.name} format takes ${info.numValueArgs}${info.varargs ? ' or more' : ''}`);
      operandsOk = false;
    }
    for (let i = 0; i < nargs; i++) {
      if (!this.checkUse(inst, block, reachable, dfg.arg(inst, i))) operandsOk = false;
    }

    // Results: each defined here, as many as the opcode or signature says.
    let resultsOk = true;
    const nres = dfg.numResults(inst);
    for (let i = 0; i < nres; i++) {
      const r = dfg.result(inst, i);
      if (dfg.isResultOf(r, inst, i)) continue;
      if (!dfg.valueIsValid(r)) {
        this.reportInst(inst, `invalid value reference v${r}`);
        resultsOk = false;
      } else if (dfg.valueKindOf(r) === ValueKind.Union) {
        this.reportInst(inst, `instruction result v${r} is a union node`, true);
        resultsOk = false;
      } else if (dfg.valueKindOf(r) !== ValueKind.Result || dfg.valueInst(r) !== inst || dfg.valueNum(r) !== i) {
        this.reportInst(inst, `instruction result v${r} is not defined by the instruction`, true);
        resultsOk = false;
      }
    }

    // Entities named by immediates, and the signature for calls.
    const checks = FORMAT_CHECKS[fmt];
    if ((checks & HAS_REFERENCES) !== 0) {
      this.checkReferences(inst, fmt, block, reachable);
    } else {
      this.refSig = undefined;
      this.refsOk = true;
    }
    if (resultsOk) {
      const expected = resultsFromSignature(op) ? (this.refSig?.returns.length ?? -1) : numFixedResults(op);
      if (expected >= 0 && expected !== nres) {
        this.reportInst(inst, `expected ${expected} result values, found ${nres}`, true);
        resultsOk = false;
      }
    }

    if (operandsOk) {
      this.typecheck(inst, op, fmt, resultsOk);
      if ((checks & HAS_IMMEDIATES) !== 0) this.checkImmediates(inst, op, fmt);
    }
  }

  /**
   * Checks one use of `v` by `inst` in `block`: that it names a defined,
   * attached value whose definition dominates the use. Returns false when
   * the value cannot be typed.
   */
  private checkUse(inst: Inst, block: Block, reachable: boolean, v: Value): boolean {
    const { dfg, layout } = this.func;
    if (!dfg.valueIsValid(v)) {
      this.reportInst(inst, `invalid value reference v${v}`);
      return false;
    }
    const r = this.resolved[v];
    if (r === NONE) return false; // reported at the alias
    switch (dfg.valueKindOf(r as Value)) {
      case ValueKind.Result: {
        const def = dfg.valueInst(r as Value);
        if (def >= dfg.numInsts()) {
          this.reportInst(inst, `v${v} is defined by invalid instruction inst${def}`, true);
          return false;
        }
        if (layout.instBlock(def) === NONE) {
          this.reportInst(inst, `v${v} is defined by inst${def} which has no block`, true);
          return true;
        }
        const dt = this.domtree;
        if (reachable && (dt !== undefined || this.singleBlock)) {
          const dominates =
            dt !== undefined ? dt.instDominates(this.func, def, inst) : def === inst || (layout.instBlock(def) === block && layout.instBefore(def, inst));
          if ((!dominates || def === inst) && dt === undefined && !this.singleBlockTablesValid()) {
            // No CFG could be built: dominance is not checked.
          } else if (!dominates) {
            this.reportInst(inst, `uses value v${v} from non-dominating inst${def}`, true);
          } else if (def === inst) {
            this.reportInst(inst, `uses value v${v} from itself`, true);
          }
        }
        return true;
      }
      case ValueKind.Param: {
        const b = dfg.valueBlock(r as Value);
        if (!dfg.blockIsValid(b)) {
          this.reportInst(inst, `v${v} is defined by invalid block block${b}`, true);
          return false;
        }
        if (!layout.isBlockInserted(b)) {
          this.reportInst(inst, `v${v} is defined by block${b} which is not in the layout`, true);
          return true;
        }
        // With one block in the layout, an inserted `b` is `block` itself.
        if (reachable && this.domtree !== undefined && !this.domtree.blockDominates(b, block)) {
          this.reportInst(inst, `uses value arg from non-dominating block${b}`, true);
        }
        return true;
      }
      case ValueKind.Union:
        // Union nodes have no position, so there is no dominance to check.
        return true;
      default:
        this.reportInst(inst, `argument v${v} -> v${r} is not attached`);
        return false;
    }
  }

  // ===================================================================
  // Entity references

  private checkReferences(inst: Inst, fmt: F, block: Block, reachable: boolean): void {
    const { func } = this;
    const dfg = func.dfg;
    this.refSig = undefined;
    this.refsOk = true;
    const i0 = dfg.imm0(inst);
    const i1 = dfg.imm1(inst);
    switch (fmt) {
      case F.Jump:
        this.checkBlockCall(inst, i0 as BlockCall, Target.Normal, undefined, block, reachable);
        break;
      case F.Brif:
        this.checkBlockCall(inst, i0 as BlockCall, Target.Normal, undefined, block, reachable);
        this.checkBlockCall(inst, i1 as BlockCall, Target.Normal, undefined, block, reachable);
        break;
      case F.BranchTable: {
        const jt = dfg.jumpTables[i0];
        if (!jt) {
          this.refFail(inst, `invalid jump table reference jt${i0}`);
          break;
        }
        this.checkBlockCall(inst, jt.default, Target.Normal, undefined, block, reachable);
        for (const e of jt.entries) this.checkBlockCall(inst, e, Target.Normal, undefined, block, reachable);
        break;
      }
      case F.Call:
      case F.FuncAddr: {
        const ext = dfg.extFuncs[i0];
        if (!ext) {
          this.refFail(inst, `invalid function reference fn${i0}`);
          break;
        }
        this.refSig = dfg.signatures[ext.signature];
        if (!this.refSig) this.refsOk = false; // reported at the fn declaration
        break;
      }
      case F.CallIndirect:
        this.refSig = dfg.signatures[i0];
        if (!this.refSig) this.refFail(inst, `invalid signature reference sig${i0}`, true);
        break;
      case F.TryCall:
      case F.TryCallIndirect: {
        if (fmt === F.TryCall && !dfg.extFuncs[i0]) this.refFail(inst, `invalid function reference fn${i0}`);
        const et = dfg.exceptionTables[i1];
        if (!et) {
          this.refFail(inst, `invalid exception table reference et${i1}`);
          break;
        }
        this.refSig = dfg.signatures[et.sig];
        if (!this.refSig) {
          this.refFail(inst, `invalid signature reference sig${et.sig}`);
        } else if (!supportsExceptions(this.refSig.callConv)) {
          this.reportInst(inst, `calling convention \`${this.refSig.callConv}\` of callee does not support exceptions`);
        }
        this.checkExceptionTable(inst, et, this.refSig, block, reachable);
        break;
      }
      case F.StackLoad:
      case F.StackStore:
        if (!func.stackSlots[i0]) this.refFail(inst, `invalid stack slot ss${i0}`);
        break;
      case F.DynamicStackLoad:
      case F.DynamicStackStore:
        if (!func.dynamicStackSlots[i0]) this.refFail(inst, `invalid dynamic stack slot dss${i0}`);
        break;
      case F.UnaryGlobalValue:
        if (!func.globalValues[i0]) this.refFail(inst, `invalid global value gv${i0}`);
        break;
      case F.UnaryConst:
        if (!dfg.constants[i0]) this.refFail(inst, `invalid constant reference const${i0}`);
        break;
      case F.Shuffle:
        if (!dfg.immediates[i0]) this.refFail(inst, `invalid immediate reference ${i0}`);
        break;
      case F.Load:
      case F.LoadNoOffset:
      case F.Store:
      case F.StoreNoOffset:
      case F.AtomicRmw:
      case F.AtomicCas:
        this.checkRegion(`inst${inst}`, i0 as MemFlags, inst);
        break;
      case F.ExceptionHandlerAddress:
        this.checkHandlerAddress(inst, i0 as Block, i1);
        break;
      default:
        break;
    }
  }

  private refFail(inst: Inst, message: string, fatal = false): void {
    this.refsOk = false;
    this.reportInst(inst, message, fatal);
  }

  /** A memory access naming `regionN` needs that region declared. */
  private checkRegion(location: string, flags: MemFlags, inst: Inst | undefined): void {
    const idx = MemFlags.regionIndex(flags);
    if (idx === undefined || this.func.aliasRegions[idx] !== undefined) return;
    const message = `undefined alias region region${idx}`;
    if (inst === undefined) this.report(location, message);
    else this.reportInst(inst, message);
  }

  private checkHandlerAddress(inst: Inst, target: Block, index: number): void {
    const { dfg, layout } = this.func;
    if (!dfg.blockIsValid(target) || !layout.isBlockInserted(target)) {
      this.reportInst(inst, `invalid block reference block${target}`, true);
      return;
    }
    if (index < 0) {
      this.reportInst(inst, `exception handler index ${index} cannot be negative`);
      return;
    }
    const last = layout.lastInst(target);
    const lastOp = last === NONE ? 0 : dfg.opcode(last);
    const et = lastOp === Opcode.TryCall || lastOp === Opcode.TryCallIndirect ? dfg.exceptionTables[dfg.imm1(last)] : undefined;
    if (!et) {
      this.reportInst(inst, `referenced block block${target} does not end in a try_call`);
      return;
    }
    let handlers = 0;
    for (const item of et.items) if (item.kind !== 'context') handlers++;
    if (index >= handlers) this.reportInst(inst, `exception handler index ${index} is out-of-range`);
  }

  private checkExceptionTable(inst: Inst, et: ExceptionTableData, sig: Signature | undefined, block: Block, reachable: boolean): void {
    this.checkBlockCall(inst, et.normalReturn, Target.TryCallNormalReturn, sig, block, reachable);
    for (const item of et.items) {
      if (item.kind === 'context') this.checkUse(inst, block, reachable, item.value);
      else this.checkBlockCall(inst, item.block, Target.TryCallHandler, sig, block, reachable);
    }
  }

  /**
   * A branch destination: the block exists, is inserted and is not the
   * entry; its value arguments are valid uses; the arguments match the
   * block's parameters in count and type. `sig` is the try_call callee's
   * signature, which types `retN` and `exnN`.
   */
  private checkBlockCall(
    inst: Inst,
    bc: BlockCall,
    target: Target,
    sig: Signature | undefined,
    block: Block,
    reachable: boolean,
  ): void {
    const { dfg, layout } = this.func;
    const dest = dfg.blockCallBlock(bc);
    if (dest === undefined) {
      // The id names no block call at all (the DFG's table has no such row).
      this.reportInst(inst, `invalid branch destination ${bc}`, true);
      return;
    }
    const n = dfg.blockCallNumArgs(bc);
    let typeable = true;
    for (let i = 0; i < n; i++) {
      const a = dfg.blockCallArg(bc, i);
      if (BlockArg.kind(a) === BlockArgKind.Value && !this.checkUse(inst, block, reachable, a as number as Value)) typeable = false;
    }
    if (!dfg.blockIsValid(dest) || !layout.isBlockInserted(dest)) {
      this.reportInst(inst, `invalid block reference block${dest}`, true);
      return;
    }
    if (dest === this.entry) {
      this.reportInst(inst, `invalid reference to entry block block${dest}`, true);
      return;
    }
    const np = dfg.numBlockParams(dest);
    if (n !== np) {
      this.reportInst(inst, `mismatched argument count for \`${this.instText(inst)}\`: got ${n}, expected ${np}`);
      return;
    }
    if (!typeable) return;
    for (let i = 0; i < n; i++) {
      const a = dfg.blockCallArg(bc, i);
      const argType = this.blockArgType(inst, a, target, sig);
      if (argType === INVALID) continue;
      const paramType = dfg.valueType_(dfg.blockParam(dest, i));
      if (argType !== paramType) {
        this.reportInst(inst, `arg ${blockArgName(a)} has type ${typeName(argType)}, expected ${typeName(paramType)}`);
      }
    }
  }

  /** The type a block argument carries; INVALID when unknown or wrong (reported). */
  private blockArgType(inst: Inst, a: BlockArg, target: Target, sig: Signature | undefined): Type {
    const kind = BlockArg.kind(a);
    if (kind === BlockArgKind.Value) return this.valueType(a as number as Value);
    if (target === Target.Normal) {
      this.reportInst(inst, '`retN` block argument in block-call not on `try_call` instruction');
      return INVALID;
    }
    const idx = BlockArg.index(a);
    if (kind === BlockArgKind.TryCallRet) {
      if (target !== Target.TryCallNormalReturn) {
        this.reportInst(inst, '`retN` block argument used outside normal-return target of `try_call`');
        return INVALID;
      }
      if (!sig) return INVALID;
      const ret = sig.returns[idx];
      if (!ret) {
        this.reportInst(inst, 'out-of-bounds `retN` block argument');
        return INVALID;
      }
      return ret.type;
    }
    if (kind === BlockArgKind.TryCallExn) {
      if (target !== Target.TryCallHandler) {
        this.reportInst(inst, '`exnN` block argument used outside normal-return target of `try_call`');
        return INVALID;
      }
      if (!sig) return INVALID;
      if (idx >= exceptionPayloadCount(sig.callConv)) {
        this.reportInst(inst, 'out-of-bounds `exnN` block argument');
        return INVALID;
      }
      // Payloads are pointer-sized; without a target their type is unknown.
      return this.ptrType ?? INVALID;
    }
    this.reportInst(inst, `invalid block argument ${a}`);
    return INVALID;
  }

  // ===================================================================
  // Types

  private valueType(v: Value): Type {
    // Callers only type operands that passed checkUse, so v is in range.
    return v < this.numResolved ? this.func.dfg.valueType_(this.resolved[v] as Value) : INVALID;
  }

  /** Upstream's `ctrl_typevar`: from the typevar operand or the first result. */
  private ctrlType(inst: Inst, op: Opcode): Type {
    const dfg = this.func.dfg;
    if (!isPolymorphic(op)) return INVALID;
    const tv = typevarOperand(op);
    if (requiresTypevarOperand(op)) return this.valueType(dfg.arg(inst, tv));
    if (dfg.numResults(inst) > 0) return dfg.valueType_(dfg.result(inst, 0));
    if (tv >= 0) return this.valueType(dfg.arg(inst, tv));
    return dfg.ctrlType(inst);
  }

  private typecheck(inst: Inst, op: Opcode, fmt: F, resultsOk: boolean): void {
    const { func } = this;
    const dfg = func.dfg;
    const ctrl = this.ctrlType(inst, op);
    let ctrlOk = true;
    if (isPolymorphic(op) && !ctrlTypeAllowed(op, ctrl)) {
      this.reportInst(inst, `has an invalid controlling type ${typeName(ctrl)} (allowed set is ${typeSetName(ctrlTypeSet(op))})`);
      ctrlOk = false;
    }

    if (ctrlOk && !(ALL_CTRL_TYPED[op] !== 0 && this.allCtrlTyped(inst, op, ctrl, resultsOk))) {
      // Fixed results.
      if (resultsOk && !resultsFromSignature(op)) {
        const n = dfg.numResults(inst);
        for (let i = 0; i < n; i++) {
          const r = dfg.result(inst, i);
          const expected = i < numFixedResults(op) ? resultTypeUnchecked(op, i, ctrl) : INVALID;
          const got = dfg.valueType_(r);
          if (got !== expected) {
            this.reportInst(inst, `expected result ${i} (v${r}) to have type ${typeName(expected)}, found ${typeName(got)}`);
          }
        }
      }
      // Fixed operands.
      const nfixed = numFixedOperands(op);
      for (let i = 0; i < nfixed; i++) {
        const v = dfg.arg(inst, i);
        const t = this.valueType(v);
        const c = operandConstraintUnchecked(op, i, ctrl);
        if (isFreeConstraint(c)) {
          if (!constraintAllows(c, t)) {
            this.reportInst(inst, `arg ${i} (v${v}) with type ${typeName(t)} failed to satisfy type set ${constraintName(c)}`);
          }
        } else if (constraintType(c) !== t) {
          this.reportInst(inst, `arg ${i} (v${v}) has type ${typeName(t)}, expected ${typeName(constraintType(c))}`);
        }
      }
    }

    const sig = this.refSig;
    switch (fmt) {
      case F.Call:
      case F.CallIndirect:
      case F.TryCall:
      case F.TryCallIndirect: {
        if (!sig) break;
        if (fmt === F.TryCall && this.refsOk) {
          const i0 = dfg.imm0(inst);
          const ext = dfg.extFuncs[i0]!;
          const declared = dfg.signatures[ext.signature];
          // Signatures compare by value: any equivalent sigN will do.
          if (declared && !signaturesEqual(sig, declared)) {
            const etSig = dfg.exceptionTables[dfg.imm1(inst)].sig;
            this.reportInst(inst, `exception table signature sig${etSig} did not match function fn${i0}'s signature sig${ext.signature}`);
          }
        }
        this.checkCallArgs(inst, sig, formatInfo(fmt).numValueArgs);
        if (resultsOk && resultsFromSignature(op)) {
          const n = dfg.numResults(inst);
          for (let i = 0; i < n; i++) {
            const r = dfg.result(inst, i);
            const expected = sig.returns[i].type;
            const got = dfg.valueType_(r);
            if (got !== expected) {
              this.reportInst(inst, `expected result ${i} (v${r}) to have type ${typeName(expected)}, found ${typeName(got)}`);
            }
          }
        }
        if (op === Opcode.ReturnCall || op === Opcode.ReturnCallIndirect) this.checkTailCall(inst, sig);
        if (fmt === F.Call && this.refsOk) this.checkPatchableCall(inst, sig);
        break;
      }
      case F.MultiAry:
        if (op === Opcode.Return) this.checkReturn(inst);
        break;
      case F.UnaryGlobalValue:
        if (this.ptrType !== undefined && this.refsOk && dfg.numResults(inst) > 0) {
          const got = dfg.valueType_(dfg.result(inst, 0));
          const gvType = this.globalType(dfg.imm0(inst));
          if (got !== gvType) {
            this.reportInst(inst, `global_value instruction with type ${typeName(got)} references global value with type ${typeName(gvType)}`);
          }
        }
        break;
      default:
        break;
    }
  }

  /**
   * For an ALL_CTRL_TYPED opcode: do its fixed operands (and, when
   * `resultsOk`, its results) all have type `ctrl`? Then `typecheck`'s
   * loops would report nothing.
   */
  private allCtrlTyped(inst: Inst, op: Opcode, ctrl: Type, resultsOk: boolean): boolean {
    const dfg = this.func.dfg;
    if (resultsOk) {
      const n = dfg.numResults(inst);
      for (let i = 0; i < n; i++) if (dfg.valueType_(dfg.result(inst, i)) !== ctrl) return false;
    }
    const nfixed = numFixedOperands(op);
    for (let i = 0; i < nfixed; i++) if (this.valueType(dfg.arg(inst, i)) !== ctrl) return false;
    return true;
  }

  private checkCallArgs(inst: Inst, sig: Signature, first: number): void {
    const dfg = this.func.dfg;
    const n = dfg.numArgs(inst) - first;
    const np = sig.params.length;
    const m = Math.min(n, np);
    for (let i = 0; i < m; i++) {
      const v = dfg.arg(inst, first + i);
      const t = this.valueType(v);
      const expected = sig.params[i].type;
      if (t !== expected) this.reportInst(inst, `arg ${i} (v${v}) has type ${typeName(t)}, expected ${typeName(expected)}`);
    }
    if (n !== np) {
      this.reportInst(inst, `mismatched argument count for \`${this.instText(inst)}\`: got ${n}, expected ${np}`);
    }
  }

  private checkReturn(inst: Inst): void {
    const dfg = this.func.dfg;
    const expected = this.func.signature.returns;
    const n = dfg.numArgs(inst);
    if (n !== expected.length) {
      this.reportInst(inst, 'arguments of return must match function signature');
      return;
    }
    for (let i = 0; i < n; i++) {
      const t = this.valueType(dfg.arg(inst, i));
      if (t !== expected[i].type) {
        this.reportInst(inst, `result ${i} has type ${typeName(t)}, must match function signature of ${formatAbiParam(expected[i])}`);
      }
    }
  }

  private checkTailCall(inst: Inst, sig: Signature): void {
    const cc = sig.callConv;
    if (cc !== 'tail') this.reportInst(inst, `calling convention \`${cc}\` does not support tail calls`);
    if (cc !== this.func.signature.callConv) this.reportInst(inst, "callee's calling convention must match caller");
    const expected = this.func.signature.returns;
    if (sig.returns.length !== expected.length) {
      this.reportInst(inst, 'results of callee must match caller');
      return;
    }
    sig.returns.forEach((r, i) => {
      if (r.type !== expected[i].type) {
        this.reportInst(inst, `result ${i} has type ${typeName(r.type)}, must match function signature of ${formatAbiParam(expected[i])}`);
      }
    });
  }

  /** A call to a `patchable` function must be colocated and return nothing. */
  private checkPatchableCall(inst: Inst, sig: Signature): void {
    const ext = this.func.dfg.extFuncs[this.func.dfg.imm0(inst)]!;
    if (!ext.patchable) return;
    if (!ext.colocated) this.reportInst(inst, 'patchable call to non-colocated function');
    if (sig.returns.length > 0) this.reportInst(inst, 'patchable call cannot occur to a function with return values');
  }

  // ===================================================================
  // Immediates and ad hoc rules

  private checkImmediates(inst: Inst, op: Opcode, fmt: F): void {
    const { func } = this;
    const dfg = func.dfg;
    const i0 = dfg.imm0(inst);
    switch (fmt) {
      case F.UnaryImm:
        if (op === Opcode.Iconst) this.checkIconst(inst);
        break;
      case F.UnaryConst: {
        const c = dfg.constants[i0];
        if (!c) break;
        let size = -1;
        if (op === Opcode.F128const) size = typeBytes(F128);
        else if (op === Opcode.Vconst && dfg.numResults(inst) > 0) size = typeBytes(dfg.valueType_(dfg.result(inst, 0)));
        if (size >= 0 && c.length !== size) {
          this.reportInst(inst, `The instruction expects const${i0} to have a size of ${size} bytes but it has ${c.length}`, true);
        }
        break;
      }
      case F.BinaryImm8:
      case F.TernaryImm8:
        if (op === Opcode.Extractlane || op === Opcode.Insertlane) {
          const t = this.valueType(dfg.arg(inst, 0));
          if (i0 < 0 || i0 >= laneCount(t)) this.reportInst(inst, `The lane ${i0} does not index into the type ${typeName(t)}`, true);
        }
        break;
      case F.Shuffle: {
        const mask = dfg.immediates[i0];
        if (!mask || op !== Opcode.Shuffle) break;
        if (mask.length !== 16) {
          this.reportInst(inst, "the shuffle immediate wasn't 16-bytes long", true);
          break;
        }
        for (const lane of mask) {
          if (lane >= 32) {
            this.reportInst(inst, `shuffle immediate index ${lane} is larger than the maximum 31`, true);
            break;
          }
        }
        break;
      }
      case F.IntCompare:
      case F.IntCompareImm: {
        const cc = dfg.imm2(inst);
        if (cc < 0 || cc > 9) this.reportInst(inst, `invalid integer condition code ${cc}`);
        break;
      }
      case F.FloatCompare: {
        const cc = dfg.imm2(inst);
        if (cc < 0 || cc > 13) this.reportInst(inst, `invalid float condition code ${cc}`);
        break;
      }
      case F.Trap:
      case F.CondTrap:
      case F.IntAddTrap:
        if (!validTrapCode(i0)) this.reportInst(inst, `invalid trap code ${i0}`);
        break;
      case F.AtomicRmw: {
        const rmw = dfg.imm1(inst);
        if (rmw < 0 || rmw > 10) this.reportInst(inst, `invalid atomic operation ${rmw}`);
        this.checkAddress(inst, 0);
        break;
      }
      case F.AtomicCas:
        this.checkAddress(inst, 0);
        break;
      case F.Load:
        if (canLoad(op)) this.checkAddress(inst, 0);
        break;
      case F.LoadNoOffset:
        if (op === Opcode.Bitcast) this.checkBitcast(inst, i0 as MemFlags);
        else if (canLoad(op)) this.checkAddress(inst, 0);
        break;
      case F.Store:
      case F.StoreNoOffset:
        if (MemFlags.has(i0 as MemFlags, MemFlagBit.Readonly)) {
          this.reportInst(inst, 'A store instruction cannot have the `readonly` MemFlag', true);
        }
        if (canStore(op)) this.checkAddress(inst, 1);
        break;
      default:
        break;
    }
  }

  /**
   * The immediate must fit the type. It may be stored zero-extended (as
   * upstream's parser masks it) or sign-extended (as builders write a
   * negative number): both denote the same bits.
   */
  private checkIconst(inst: Inst): void {
    const dfg = this.func.dfg;
    if (dfg.numResults(inst) === 0) return;
    const bits = typeBits(dfg.valueType_(dfg.result(inst, 0)));
    if (bits === 0 || bits >= 64) return;
    // The immediate is `hi * 2^32 + (lo >>> 0)` (hi signed); it must lie in
    // [-2^(bits-1), 2^bits). Up to 32 bits that is plain number arithmetic
    // (exact in doubles), which allocates no BigInt.
    const lo = dfg.imm0(inst);
    const hi = dfg.imm1(inst);
    let inRange: boolean;
    if (bits <= 32) {
      // 2^bits and 2^(bits-1) from a table: `**` with a variable exponent
      // is a call into the runtime's pow.
      const u = lo >>> 0;
      inRange = hi === 0 ? u < POW2[bits] : hi === -1 && u - 0x100000000 >= -POW2[bits - 1];
    } else {
      const x = wordsToI64(lo, hi);
      const b = BigInt(bits);
      inRange = x >= -(1n << (b - 1n)) && x < 1n << b;
    }
    if (!inRange) this.reportInst(inst, 'constant immediate is out of bounds', true);
  }

  private checkBitcast(inst: Inst, flags: MemFlags): void {
    const dfg = this.func.dfg;
    if (dfg.numResults(inst) === 0) return;
    const to = dfg.valueType_(dfg.result(inst, 0));
    const arg = dfg.arg(inst, 0);
    const from = this.valueType(arg);
    const plain = MemFlags.new();
    if (typeBits(to) !== typeBits(from)) {
      this.reportInst(
        inst,
        `The bitcast argument v${arg} has a type of ${typeBits(from)} bits, which doesn't match an expected type of ${typeBits(to)} bits`,
        true,
      );
    } else if (flags !== plain && flags !== MemFlags.with(plain, MemFlagBit.Little) && flags !== MemFlags.with(plain, MemFlagBit.Big)) {
      this.reportInst(inst, 'The bitcast instruction only accepts the `big` or `little` memory flags', true);
    } else if (flags === plain && laneCount(to) !== laneCount(from)) {
      this.reportInst(inst, 'Byte order specifier required for bitcast instruction changing lane count', true);
    }
  }

  /** With a target, an address operand must have the pointer width. */
  private checkAddress(inst: Inst, argIndex: number): void {
    if (this.ptrType === undefined) return;
    const v = this.func.dfg.arg(inst, argIndex);
    const got = typeBits(this.valueType(v));
    const expected = typeBits(this.ptrType);
    if (got !== expected) this.reportInst(inst, `invalid pointer width (got ${got}, expected ${expected}) encountered v${v}`);
  }
}

/** 2^i for i in [0, 32]. */
const POW2: readonly number[] = Array.from({ length: 33 }, (_, i) => 2 ** i);

function validTrapCode(c: number): boolean {
  return (c >= 1 && c <= MAX_USER_TRAP_CODE) || (c >= TrapCode.STACK_OVERFLOW && c <= TrapCode.BAD_CONVERSION_TO_INTEGER);
}

function blockArgName(a: BlockArg): string {
  switch (BlockArg.kind(a)) {
    case BlockArgKind.Value:
      return `v${a}`;
    case BlockArgKind.TryCallRet:
      return `ret${BlockArg.index(a)}`;
    default:
      return `exn${BlockArg.index(a)}`;
  }
}
