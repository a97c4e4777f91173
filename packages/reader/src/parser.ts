// The CLIF parser: test-file headers (`test`, `set`, `target`, `feature`),
// functions with every preamble declaration, blocks, instructions, value
// aliases and comments.
//
// Owns the grammar and the mapping from text to IR: source entity numbers
// are kept (`v90`, `block7`, `sig10` become exactly those ids; gaps become
// placeholders or `undefined` table holes), instruction operands are stored
// exactly as formats.ts lays them out, and result types follow upstream's
// inference (explicit `.type`, the typevar operand, or the callee's
// signature). A typevar operand that is not yet defined in the text is
// resolved after the whole body is read, so blocks may come in any order.
//
// Comments attach as upstream's reader attaches them: to the entity defined
// on the same line or, on a line of their own, to the most recently defined
// entity; before the first function they form the file preamble; after a
// function's `}` they belong to that function.
//
// Errors: the first problem throws a ParseError naming the token's position,
// what was found and what was expected. The parser never evaluates anything
// and never validates settings (codegen does).
//
// Speed: a parse runs to its end before returning and parses never nest,
// so the per-function state (with the operand and result scratch lists),
// the comment log under construction and the source's byte copy are
// module-level scratch reused by every parse; what a parse returns never
// refers to them (the comment log is copied out at the end, and run
// commands re-make the byte copy when they are read). Words that repeat
// (opcodes, condition codes, memory flags, trap codes) are looked up by
// their spelling in place, and result types by (opcode, type) in a memo,
// so a typical instruction slices no string and allocates nothing.

import {
  type AbiParam,
  type ArgumentExtension,
  type ArgumentPurpose,
  type Block,
  type BlockCall,
  type CallConv,
  type DynamicType,
  type ExceptionTableItem,
  type ExternalName,
  type GlobalValue,
  type GlobalValueData,
  type Inst,
  type Opcode,
  type Signature,
  type SigRef,
  type Type,
  type UserExternalName,
  type UserExternalNameRef,
  type UserStackMapEntry,
  type Value,
  ctrlTypeSet,
  isCallConv,
  isVector,
  isDynamicVector,
  opcodeByName,
  parseAtomicRmwOp,
  typeName,
  typeSetName,
  vectorToDynamic,
  F16,
  F32,
  F64,
  F128,
  I128,
} from '@clift/ir';
import * as ir from '@clift/ir';
import { bytesEqual, expandBytes, hexToBytes, laneLiteral, lanesToBytes } from './constants.js';
import { ParseError } from './errors.js';
import {
  Lexer,
  WordCache,
  WordList,
  sharedSourceBytes,
  tokName,
} from './lexer.js';
import * as lexer from './lexer.js';
import * as numbers from './numbers.js';
import { RunCommandReader, type RunCommand } from './run-command.js';

// Imported bindings are live, so V8 reads them afresh at every use; the
// values used on hot paths are copied into module constants, which it
// folds into the compiled code.
const {
  BlockArg,
  Function,
  I8,
  I16,
  I32,
  I64,
  INVALID,
  InstructionFormat,
  MemFlags,
  NONE,
  ctrlTypeAllowed,
  i64ToWords,
  isFloat,
  isPolymorphic,
  laneBits,
  laneCount,
  laneType,
  numFixedResults,
  opcodeFormat,
  opcodeName,
  parseFloatCC,
  parseIntCC,
  parseTrapCode,
  resultType,
  resultsFromSignature,
  typeBytes,
  typevarOperand,
  vectorOf,
} = ir;
type BlockArg = ir.BlockArg;
type Function = ir.Function;
type InstructionFormat = ir.InstructionFormat;
type MemFlags = ir.MemFlags;
const { Tok } = lexer;
type Tok = lexer.Tok;
const { floatLayout, parseFloatBits, parseInteger, parseIntegerOfWidth, pow2f, smallIntegerAt } = numbers;

// ---------------------------------------------------------------------------
// Public result shapes

export type CommentEntity = string | undefined;
export interface Comment {
  entity: CommentEntity;
  text: string;
  line: number;
}
export interface Setting {
  name: string;
  value: string | undefined;
  line: number;
}
export interface TargetSpec {
  name: string;
  flags: Setting[];
  settings: Setting[];
  line: number;
}
export interface TestCommand {
  name: string;
  options: string[];
  line: number;
}
/** `feature "x"` / `feature ! "x"`: Cranelift build features a test needs or excludes. */
export interface Feature {
  name: string;
  enabled: boolean;
  line: number;
}
export interface ParsedFunction {
  func: Function;
  /** Materialized on first read (the parser keeps comments as source offsets). */
  comments: Comment[];
  /**
   * The function's `; run:` / `; print:` comments, decoded on first read
   * (most readers of a file never look at them). A malformed command throws
   * its ParseError (file:line:column) from this read, every time it is
   * read; later reads give the same array.
   */
  runCommands: RunCommand[];
  /** Line of the `function` keyword. */
  line: number;
  /** Line of the closing `}`. */
  endLine: number;
}
export interface TestFile {
  filename: string;
  commands: TestCommand[];
  settings: Setting[];
  targets: TargetSpec[];
  features: Feature[];
  preambleComments: Comment[];
  functions: ParsedFunction[];
}

export interface ParseOptions {
  /**
   * Calling convention of signatures that name none. Default: `fast`, or
   * `system_v` when the file has a `test run` command (upstream uses the
   * host's convention there, which is `system_v` on Linux).
   */
  defaultCallConv?: CallConv;
}

// ---------------------------------------------------------------------------

/** Entity numbers beyond these are rejected rather than allocating huge tables. */
const MAX_BLOCKS = 100_000;
const MAX_VALUES = 1 << 24;
const MAX_TABLE_ENTITIES = 100_000;

/** Punctuation the parser steps over without a token (see `Lexer.nextPast`). */
const CHAR_EQUAL = 61;
const CHAR_COMMA = 44;
const CHAR_COLON = 58;

/** Placeholder filling user-name slots the text skipped; never printed. */
const USER_NAME_HOLE: UserExternalName = { namespace: 0xffffffff, index: 0xffffffff };

/** Opcodes by spelling, read in place (most instructions then slice no string). */
const OPCODE_CACHE = new WordCache<Opcode>();
/** Identifier spellings seen, each as one string, so that a repeated word is not sliced out again. */
const IDENT_TEXT = new WordCache<string>();
/** Trap codes by spelling (-1: none); parsing one may run a regex. */
const TRAP_CODES = new WordCache<number>();

/** Upstream's libcall names: `%CeilF32` names a libcall, other `%names` are test cases. */
const LIBCALLS = new Set([
  'Probestack', 'CeilF32', 'CeilF64', 'FloorF32', 'FloorF64', 'TruncF32', 'TruncF64', 'NearestF32',
  'NearestF64', 'FmaF32', 'FmaF64', 'Memcpy', 'Memset', 'Memmove', 'Memcmp', 'ElfTlsGetAddr',
  'ElfTlsGetOffset', 'X86Pshufb',
]);

const ABI_FLAGS = new Set(['uext', 'sext', 'sret', 'vmctx', 'stack_limit', 'sarg']);

/**
 * Comment owners, as a kind code plus a number, so that claiming comments
 * builds no string; `entityName` spells them when comments are read.
 */
const Ent = {
  None: 0,
  Function: 1,
  StackLimit: 2,
  Inst: 3,
  Block: 4,
  Value: 5,
  StackSlot: 6,
  DynamicStackSlot: 7,
  DynamicType: 8,
  GlobalValue: 9,
  Region: 10,
  UserName: 11,
  SigRef: 12,
  FuncRef: 13,
  Constant: 14,
} as const;
const ENTITY_PREFIX: readonly string[] = [
  '', 'function', 'stack_limit', 'inst', 'block', 'v', 'ss', 'dss', 'dt', 'gv', 'region', 'userextname', 'sig', 'fn', 'const',
];
function entityName(kind: number, num: number): CommentEntity {
  if (kind === Ent.None) return undefined;
  return kind <= Ent.StackLimit ? ENTITY_PREFIX[kind] : ENTITY_PREFIX[kind] + String(num);
}

/** The starts of a file without comments, and the claims of one without claims (never written to). */
const NO_STARTS: readonly number[] = Object.freeze([]);
const NO_CLAIMS: readonly number[] = NO_STARTS;

/**
 * Comments of one parse: the lexer's log (each comment's start offset) and
 * their owners. A comment runs from its `;` to the end of its line (a CR
 * before the LF excluded); its end and line number are worked out when
 * first asked for (most comments are never read). Comments are claimed in
 * source order, a run at a time: each claim that takes any comment records
 * where its run ends and the owner, so claiming costs nothing per comment,
 * and the first `claimed` log records are the claimed ones.
 */
class CommentLog {
  // The start offset of each comment, in source order: the lexer's log
  // while the parse runs (`live`), then an exact copy (`starts`).
  private live: WordList | undefined = undefined;
  private starts: readonly number[] = NO_STARTS;
  /**
   * Three numbers per claim: the index one past its last comment, the
   * owner's kind and number (made on the first claim).
   */
  private claims: number[] | undefined = undefined;
  /** Comments claimed so far. */
  claimed = 0;
  /** Line numbers of the first `lines.length` comments (counted on demand, made on the first). */
  private lines: number[] | undefined = undefined;
  /** Where line counting stopped: an offset and the line it is on. */
  private countedTo = 0;
  private countedLine = 1;
  constructor(readonly src: string) {}
  /** Records a claim: the comments before index `end` not claimed yet belong to entity (kind, num). */
  addClaim(end: number, kind: number, num: number): void {
    const claims = (this.claims ??= []);
    claims.push(end, kind, num);
    this.claimed = end;
  }
  /** Reads `list`, which the lexer appends to, as the log until `finish`. */
  begin(list: WordList): void {
    this.live = list;
  }
  /** Copies the log out of the lexer's list (which the next parse reuses). */
  finish(): void {
    const list = this.live;
    if (list === undefined) return;
    const n = list.length;
    if (n > 0) {
      const out = new Array<number>(n);
      const d = list.data;
      for (let i = 0; i < n; i++) out[i] = d[i];
      this.starts = out;
    }
    this.live = undefined;
  }
  get count(): number {
    return this.live !== undefined ? this.live.length : this.starts.length;
  }
  /** Offset of comment i's `;`. */
  start(i: number): number {
    return this.live !== undefined ? this.live.data[i] : this.starts[i];
  }
  /** Offset one past comment i's last character. */
  end(i: number): number {
    const src = this.src;
    const start = this.start(i);
    const lf = src.indexOf('\n', start);
    let e = lf < 0 ? src.length : lf;
    if (e > start && src.charCodeAt(e - 1) === 13) e--;
    return e;
  }
  /** The (1-based) line of comment i. */
  line(i: number): number {
    const lines = (this.lines ??= []);
    const src = this.src;
    while (lines.length <= i) {
      const target = this.start(lines.length);
      let p = this.countedTo;
      let line = this.countedLine;
      for (;;) {
        const lf = src.indexOf('\n', p);
        if (lf < 0 || lf >= target) break;
        line++;
        p = lf + 1;
      }
      this.countedTo = p;
      this.countedLine = line;
      lines.push(line);
    }
    return lines[i];
  }
  comment(i: number): Comment {
    // The claim holding comment i: the first whose end is past i.
    const claims = this.claims ?? NO_CLAIMS;
    const n = claims.length / 3;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (claims[3 * mid] <= i) lo = mid + 1;
      else hi = mid;
    }
    const entity = lo < n ? entityName(claims[3 * lo + 1], claims[3 * lo + 2]) : undefined;
    return { entity, text: this.src.slice(this.start(i), this.end(i)), line: this.line(i) };
  }
}

/**
 * What a file's functions need to decode their run commands later: the
 * comment log and one run-command reader, made on the first decode.
 */
class RunCommandSource {
  private reader: RunCommandReader | undefined = undefined;
  constructor(
    readonly log: CommentLog,
    private readonly filename: string,
  ) {}
  get runCommands(): RunCommandReader {
    return (this.reader ??= new RunCommandReader(this.log.src, this.filename));
  }
}

/**
 * A parsed function whose comments and run commands are made into objects
 * only when read. Values are typed by the signature object the function was
 * parsed with, kept here: a consumer that gives `func` a new signature
 * before asking for the commands changes nothing (nothing in Clift edits a
 * signature's lists in place; copying them for every function would cost
 * more than decoding the commands of most files).
 */
class LazyParsedFunction implements ParsedFunction {
  private comments_: Comment[] | undefined = undefined;
  private runCommands_: RunCommand[] | undefined = undefined;
  private readonly sig: Signature;
  /** The function's own name, for a bare `run`/`print`; undefined for user names. */
  private readonly ownName: string | undefined;
  constructor(
    readonly func: Function,
    private readonly source: RunCommandSource,
    private readonly firstComment: number,
    private readonly endComment: number,
    readonly line: number,
    readonly endLine: number,
  ) {
    this.sig = func.signature;
    this.ownName = func.name.kind === 'testcase' ? func.name.name : undefined;
  }
  get comments(): Comment[] {
    if (this.comments_ === undefined) {
      const out: Comment[] = [];
      const log = this.source.log;
      for (let i = this.firstComment; i < this.endComment; i++) out.push(log.comment(i));
      this.comments_ = out;
    }
    return this.comments_;
  }
  set comments(c: Comment[]) {
    this.comments_ = c;
  }
  get runCommands(): RunCommand[] {
    if (this.runCommands_ === undefined) {
      // Not cached until complete: a malformed command throws on every read.
      const out: RunCommand[] = [];
      const reader = this.source.runCommands;
      const log = this.source.log;
      for (let i = this.firstComment; i < this.endComment; i++) {
        const start = log.start(i);
        const rc = reader.read(start, log.end(i), start, this.sig, log.line(i));
        if (rc) {
          if (rc.funcName === 'default' && this.ownName !== undefined) rc.funcName = this.ownName;
          out.push(rc);
        }
      }
      this.runCommands_ = out;
    }
    return this.runCommands_;
  }
  set runCommands(c: RunCommand[]) {
    this.runCommands_ = c;
  }
}

interface PendingInst {
  inst: Inst;
  typevar: Value;
  /** Results whose types follow from ctrl (0 when the signature gave them). */
  results: number;
}

// Argument purposes without data are shared: nothing edits a purpose in
// place (a consumer replaces the whole object), and most parameters are
// plain ones, so one object serves them all.
const PURPOSE_NORMAL: ArgumentPurpose = Object.freeze({ kind: 'normal' });
const PURPOSE_SRET: ArgumentPurpose = Object.freeze({ kind: 'struct_return' });
const PURPOSE_VMCTX: ArgumentPurpose = Object.freeze({ kind: 'vmctx' });
const PURPOSE_STACK_LIMIT: ArgumentPurpose = Object.freeze({ kind: 'stack_limit' });

/**
 * Plain parameters (a type, no extension, the normal purpose) by type:
 * most parameters are plain, so one object per type serves every
 * signature. Like the purposes, nothing edits a parameter in place (a
 * consumer makes a new one).
 */
const PLAIN_PARAMS: (AbiParam | undefined)[] = new Array<AbiParam | undefined>(0x200).fill(undefined);
function plainParam(type: Type): AbiParam {
  return (PLAIN_PARAMS[type] ??= { type, extension: 'none', purpose: PURPOSE_NORMAL });
}


/**
 * Per-function parsing state. One serves every function of every parse
 * (`reset` empties it), so a function costs no state allocation.
 */
class FunctionState {
  func!: Function;
  /** Instruction positions, for errors found after the body is read. */
  instLine = new Int32Array(256);
  instCol = new Int32Array(256);
  readonly pending: PendingInst[] = [];
  readonly aliasValues: Value[] = [];
  /** userextnameN references from global values, with positions, checked at the end. */
  readonly userRefs: { ref: number; line: number; col: number }[] = [];
  readonly constDefined: boolean[] = [];
  /** Value operands read before their value was defined (0: every use is known good). */
  forwardUses = 0;
  // Scratch lists, emptied before each use: the DFG copies operand lists
  // into its pool and results are consumed before the next instruction, so
  // one array each serves every parse instead of one per instruction.
  /** The results of the instruction being read: value, line, column for each. */
  readonly results = new WordList();
  /** Its value operands. */
  readonly args = new WordList();
  /** The arguments of the block call being read. */
  readonly blockArgs = new WordList();

  /** Makes room for the position of instruction `inst`. */
  growInstPositions(inst: number): void {
    const n = Math.max(inst + 1, this.instLine.length * 2);
    const line = new Int32Array(n);
    line.set(this.instLine);
    const col = new Int32Array(n);
    col.set(this.instCol);
    this.instLine = line;
    this.instCol = col;
  }

  reset(func: Function): void {
    this.func = func;
    this.forwardUses = 0;
    // An array's length setter is a runtime call: skip it when already empty.
    if (this.pending.length !== 0) this.pending.length = 0;
    if (this.aliasValues.length !== 0) this.aliasValues.length = 0;
    if (this.userRefs.length !== 0) this.userRefs.length = 0;
    if (this.constDefined.length !== 0) this.constDefined.length = 0;
  }
}

/**
 * The state every parse uses: parses never nest (each runs to its end
 * before returning), so one serves them all and its scratch arrays are
 * allocated once per process, not per file.
 */
const SHARED_STATE = new FunctionState();
/**
 * The comment log of the parse under way (see `parseTestFile`); parses
 * never nest, so its storage, grown once, serves every file.
 */
const SHARED_COMMENT_LOG = new WordList(1024);

export class Parser {
  readonly lex: Lexer;
  private readonly filename: string;
  /** Every comment passed so far; those past the claimed ones await an owner. */
  private readonly comments: CommentLog;
  private readonly runCommandSource: RunCommandSource;
  private defaultCallConv: CallConv;
  private readonly explicitCallConv: boolean;
  private readonly state = SHARED_STATE;
  /** Whether the last `parseAbiParam` stepped over the comma after its parameter. */
  private abiComma = false;

  constructor(text: string, filename: string, options: ParseOptions = {}) {
    this.filename = filename;
    this.lex = new Lexer(text, filename, undefined, 1, undefined, sharedSourceBytes(text));
    this.comments = new CommentLog(text);
    this.runCommandSource = new RunCommandSource(this.comments, filename);
    this.defaultCallConv = options.defaultCallConv ?? 'fast';
    this.explicitCallConv = options.defaultCallConv !== undefined;
  }

  // -------------------------------------------------------------------
  // Helpers

  private err(detail: string, line = this.lex.tokLine, col = this.lex.tokCol): ParseError {
    return new ParseError(this.filename, line, col, detail);
  }
  /** "expected X, found Y" at the current token. */
  private expected(what: string): ParseError {
    return this.err(`expected ${what}, found ${this.lex.describe()}`);
  }
  private expect(k: Tok, what?: string): void {
    if (this.lex.tok() !== k) throw this.expected(what ?? tokName(k));
    this.lex.next();
  }
  private optional(k: Tok): boolean {
    if (this.lex.tok() !== k) return false;
    this.lex.next();
    return true;
  }
  /** Gives the comments passed since the last claim to entity (kind, num). */
  private claim(kind: number, num = 0): void {
    const cl = this.comments;
    const end = cl.count;
    if (end === cl.claimed) return;
    cl.addClaim(end, kind, num);
  }

  // -------------------------------------------------------------------
  // Test file

  parseTestFile(): TestFile {
    const lex = this.lex;
    // The lexer logs comments into a scratch list during the parse (which
    // then grows without garbage); the log keeps an exact copy at the end.
    SHARED_COMMENT_LOG.length = 0;
    this.comments.begin(SHARED_COMMENT_LOG);
    lex.commentLog = SHARED_COMMENT_LOG;
    const commands: TestCommand[] = [];
    const settings: Setting[] = [];
    const targets: TargetSpec[] = [];
    const features: Feature[] = [];
    const preamble: Comment[] = [];
    const inForce: Setting[] = [];
    let lastSet: { line: number; col: number } | undefined;
    lex.next();
    for (;;) {
      if (lex.tok() !== Tok.Identifier) break;
      const line = lex.tokLine;
      const col = lex.tokCol;
      if (lex.isIdent('test')) {
        const words = this.headerWords(preamble, line);
        if (words.length === 0) throw this.err("expected a test command name after 'test'", line, col + 4);
        commands.push({ name: words[0], options: words.slice(1), line });
      } else if (lex.isIdent('set')) {
        const words = this.headerWords(preamble, line);
        if (words.length === 0) throw this.err("expected a setting like 'opt_level=speed' after 'set'", line, col + 3);
        for (const w of words) {
          const s = splitSetting(w, line);
          settings.push(s);
          // A setting given again moves to the end (targets copy the list).
          let k = 0;
          for (const x of inForce) if (x.name !== s.name) inForce[k++] = x;
          if (k !== inForce.length) inForce.length = k;
          inForce.push(s);
        }
        lastSet = targets.length > 0 ? { line, col } : undefined;
      } else if (lex.isIdent('target')) {
        const words = this.headerWords(preamble, line);
        if (words.length === 0) throw this.err("expected a target name after 'target'", line, col + 6);
        const flags: Setting[] = [];
        for (let i = 1; i < words.length; i++) flags.push(splitSetting(words[i], line));
        targets.push({
          name: words[0],
          flags,
          settings: inForce.slice(),
          line,
        });
        lastSet = undefined;
      } else if (lex.isIdent('feature')) {
        lex.next();
        const enabled = !this.optional(Tok.Bang);
        if (lex.tok() !== Tok.String) throw this.expected('a feature name string like "basic-blocks"');
        features.push({ name: lex.text(), enabled, line });
        lex.next();
        continue;
      } else {
        break;
      }
      lex.next();
    }
    if (lastSet) throw this.err("dangling 'set' command after the last 'target' has no effect", lastSet.line, lastSet.col);
    if (!this.explicitCallConv) {
      for (const c of commands) if (c.name === 'run') this.defaultCallConv = 'system_v';
    }
    const unclaimed = this.comments.claimed;
    this.claim(Ent.None);
    for (let i = unclaimed; i < this.comments.count; i++) preamble.push(this.comments.comment(i));
    // Header-line comments were added before the others: sort by line, when needed.
    for (let i = 1; i < preamble.length; i++) {
      if (preamble[i].line < preamble[i - 1].line) {
        preamble.sort((a, b) => a.line - b.line);
        break;
      }
    }
    const functions: ParsedFunction[] = [];
    while (lex.tok() !== Tok.EOF) functions.push(this.parseFunction());
    this.comments.finish();
    this.lex.commentLog = undefined;
    return { filename: this.filename, commands, settings, targets, features, preambleComments: preamble, functions };
  }

  /** The words of a header line; a trailing comment becomes a preamble comment. */
  private headerWords(preamble: Comment[], line: number): string[] {
    const lex = this.lex;
    const begin = lex.end;
    let end = lex.skipRestOfLine();
    const bytes = lex.bytes;
    let semi = begin;
    while (semi < end && bytes[semi] !== 59) semi++;
    if (semi < end) {
      preamble.push({ entity: undefined, text: lex.src.slice(semi, end).trimEnd(), line });
      end = semi;
    }
    return splitWords(lex.src, lex.bytes, begin, end);
  }

  // -------------------------------------------------------------------
  // Functions

  parseFunction(): ParsedFunction {
    const lex = this.lex;
    if (!lex.isIdent('function')) throw this.expected("'function'");
    const line = lex.tokLine;
    // Comments before `function` were claimed by the previous function (or the preamble).
    const firstComment = this.comments.claimed;
    lex.next();
    const name = this.parseFuncName();
    const func = new Function(name, this.parseSignature());
    if (lex.tok() !== Tok.LBrace) throw this.expected("'{' before the function body");
    lex.next();
    this.claim(Ent.Function);
    const st = this.state;
    st.reset(func);
    this.parsePreamble(st);
    while (lex.tok() !== Tok.RBrace) {
      if (lex.tok() === Tok.EOF) throw this.expected("'}' at the end of the function body");
      this.parseBlock(st);
    }
    const endLine = lex.tokLine;
    this.finishFunction(st);
    lex.next();
    this.claim(Ent.Function);
    const endComment = this.comments.claimed;
    return new LazyParsedFunction(func, this.runCommandSource, firstComment, endComment, line, endLine);
  }

  private parseFuncName(): Function['name'] {
    const lex = this.lex;
    if (lex.tok() === Tok.Name) {
      const name = lex.text();
      lex.next();
      return { kind: 'testcase', name };
    }
    if (lex.tok() === Tok.UserRef) return { kind: 'user', name: this.parseUserName() };
    throw this.expected("a function name like '%foo' or 'u0:1'");
  }

  /** `uA:B` (the current token is `uA`). */
  private parseUserName(): UserExternalName {
    const lex = this.lex;
    const namespace = lex.num;
    lex.next();
    if (lex.tok() !== Tok.Colon) throw this.expected("':' in a user name like 'u0:1'");
    lex.next();
    if (lex.tok() !== Tok.Integer) throw this.expected("an index in a user name like 'u0:1'");
    const v = parseInteger(lex.text());
    if (typeof v === 'string' || v < 0n || v > 0xffffffffn) throw this.err(`user name index must be a 32-bit unsigned integer, found ${lex.describe()}`);
    lex.next();
    return { namespace, index: Number(v) };
  }

  parseSignature(): Signature {
    const lex = this.lex;
    if (lex.tok() !== Tok.LPar) throw this.expected("a function signature '(…)'");
    lex.next();
    const params = lex.tok() !== Tok.RPar ? this.parseAbiParams() : [];
    if (lex.tok() !== Tok.RPar) throw this.expected("',' or ')' after the parameters");
    lex.next();
    const returns = this.optional(Tok.Arrow) ? this.parseAbiParams() : [];
    const sig: Signature = { params, returns, callConv: this.defaultCallConv };
    if (lex.tok() === Tok.Identifier && !lex.isIdent('stack_limit')) {
      const cc = this.identText();
      if (!isCallConv(cc)) throw this.err(`unknown calling convention '${cc}'`);
      sig.callConv = cc;
      lex.next();
    }
    return sig;
  }

  private parseAbiParams(): AbiParam[] {
    // Most lists have one or two entries: make those arrays at their exact
    // length (growing a fresh array by push over-allocates).
    const p0 = this.parseAbiParam();
    if (!this.abiComma && !this.optional(Tok.Comma)) return [p0];
    const p1 = this.parseAbiParam();
    if (!this.abiComma && !this.optional(Tok.Comma)) return [p0, p1];
    const out = [p0, p1, this.parseAbiParam()];
    while (this.abiComma || this.optional(Tok.Comma)) out.push(this.parseAbiParam());
    return out;
  }

  private parseAbiParam(): AbiParam {
    const lex = this.lex;
    if (lex.tok() !== Tok.Type) throw this.expected('a parameter type');
    const type = lex.num as Type;
    // A plain parameter with a comma after it (most of a list): the comma
    // is stepped over here, and `abiComma` tells the list.
    this.abiComma = lex.nextPast(CHAR_COMMA);
    if (this.abiComma) return plainParam(type);
    let extension: ArgumentExtension = 'none';
    let purpose: ArgumentPurpose = PURPOSE_NORMAL;
    while (lex.tok() === Tok.Identifier) {
      const w = this.identText();
      if (!ABI_FLAGS.has(w)) break;
      lex.next();
      switch (w) {
        case 'uext': extension = 'uext'; break;
        case 'sext': extension = 'sext'; break;
        case 'sret': purpose = PURPOSE_SRET; break;
        case 'vmctx': purpose = PURPOSE_VMCTX; break;
        case 'stack_limit': purpose = PURPOSE_STACK_LIMIT; break;
        case 'sarg': {
          this.expect(Tok.LPar, "'(' after 'sarg'");
          const size = this.u32Literal('a byte size in sarg(…)');
          this.expect(Tok.RPar, "')' after the sarg size");
          purpose = { kind: 'struct_argument', size };
          break;
        }
      }
    }
    if (extension === 'none' && purpose === PURPOSE_NORMAL) return plainParam(type);
    return { type, extension, purpose };
  }

  /**
   * The current identifier's text, from IDENT_TEXT when the spelling was
   * seen before (condition codes, memory flags and the like repeat on
   * almost every line that has them).
   */
  private identText(): string {
    const lex = this.lex;
    let s = IDENT_TEXT.get(lex.bytes, lex.start, lex.end, lex.hash);
    if (s === undefined) {
      s = lex.text();
      IDENT_TEXT.set(lex.bytes, lex.start, lex.end, lex.hash, s);
    }
    return s;
  }

  private u32Literal(what: string): number {
    const lex = this.lex;
    if (lex.tok() !== Tok.Integer) throw this.expected(what);
    const v = parseInteger(lex.text());
    if (typeof v === 'string') throw this.err(v);
    if (v < 0n || v > 0xffffffffn) throw this.err(`expected ${what} (a 32-bit unsigned integer), found ${lex.describe()}`);
    lex.next();
    return Number(v);
  }

  // -------------------------------------------------------------------
  // Preamble

  private checkTableIndex(n: number, what: string): void {
    if (n >= MAX_TABLE_ENTITIES) throw this.err(`${what} number ${n} is too large (the limit is ${MAX_TABLE_ENTITIES - 1})`);
  }

  private parsePreamble(st: FunctionState): void {
    const lex = this.lex;
    const f = st.func;
    const dfg = f.dfg;
    for (;;) {
      const line = lex.tokLine;
      const col = lex.tokCol;
      const n = lex.num;
      let entity: number;
      switch (lex.tok()) {
        case Tok.StackSlot: {
          this.checkTableIndex(n, 'stack slot');
          lex.next();
          this.expect(Tok.Equal, "'=' in the stack slot declaration");
          if (!lex.isIdent('explicit_slot')) throw this.expected("a stack slot kind ('explicit_slot')");
          lex.next();
          const size = this.u32Literal('a stack slot size in bytes');
          let alignShift: number | undefined;
          let key: bigint | undefined;
          while (lex.tok() === Tok.Comma) {
            lex.next();
            if (lex.isIdent('align')) {
              lex.next();
              this.expect(Tok.Equal, "'=' after 'align'");
              const aLine = lex.tokLine;
              const aCol = lex.tokCol;
              const a = this.u32Literal('an alignment in bytes');
              if (a === 0 || (a & (a - 1)) !== 0) throw this.err(`stack slot alignment ${a} is not a power of two`, aLine, aCol);
              alignShift = 31 - Math.clz32(a);
            } else if (lex.isIdent('key')) {
              lex.next();
              this.expect(Tok.Equal, "'=' after 'key'");
              if (lex.tok() !== Tok.Integer) throw this.expected('a key value');
              const k = parseInteger(lex.text());
              if (typeof k === 'string') throw this.err(k);
              key = k;
              lex.next();
            } else {
              throw this.expected("a stack slot flag ('align' or 'key')");
            }
          }
          if (f.stackSlots[n] !== undefined) throw this.err(`duplicate definition of ss${n}`, line, col);
          setAt(f.stackSlots, n, { kind: 'explicit_slot', size, alignShift, key });
          entity = Ent.StackSlot;
          break;
        }
        case Tok.DynamicStackSlot: {
          this.checkTableIndex(n, 'dynamic stack slot');
          lex.next();
          this.expect(Tok.Equal, "'=' in the dynamic stack slot declaration");
          if (!lex.isIdent('explicit_dynamic_slot')) throw this.expected("a dynamic stack slot kind ('explicit_dynamic_slot')");
          lex.next();
          if (lex.tok() !== Tok.DynamicType) throw this.expected("a dynamic type like 'dt0'");
          const dt = lex.num as DynamicType;
          lex.next();
          if (f.dynamicStackSlots[n] !== undefined) throw this.err(`duplicate definition of dss${n}`, line, col);
          setAt(f.dynamicStackSlots, n, { kind: 'explicit_dynamic_slot', dynType: dt });
          entity = Ent.DynamicStackSlot;
          break;
        }
        case Tok.DynamicType: {
          this.checkTableIndex(n, 'dynamic type');
          lex.next();
          this.expect(Tok.Equal, "'=' in the dynamic type declaration");
          if (lex.tok() !== Tok.Type || !isVector(lex.num as Type) || isDynamicVector(lex.num as Type)) throw this.expected("a fixed vector type like 'i32x4'");
          const base = lex.num as Type;
          lex.next();
          this.expect(Tok.Star, "'*' and a scale global value, as in 'i32x4*gv0'");
          if (lex.tok() !== Tok.GlobalValue) throw this.expected("a global value like 'gv0'");
          const gv = lex.num as GlobalValue;
          lex.next();
          if (dfg.dynamicTypes[n] !== undefined) throw this.err(`duplicate definition of dt${n}`, line, col);
          setAt(dfg.dynamicTypes, n, { baseVectorType: base, dynamicScale: gv });
          entity = Ent.DynamicType;
          break;
        }
        case Tok.GlobalValue: {
          this.checkTableIndex(n, 'global value');
          lex.next();
          if (lex.tok() === Tok.Bang) throw this.err('proof-carrying-code facts are not supported');
          this.expect(Tok.Equal, "'=' in the global value declaration");
          const data = this.parseGlobalValue(st);
          if (f.globalValues[n] !== undefined) throw this.err(`duplicate definition of gv${n}`, line, col);
          setAt(f.globalValues, n, data);
          entity = Ent.GlobalValue;
          break;
        }
        case Tok.Region: {
          this.checkTableIndex(n, 'alias region');
          lex.next();
          this.expect(Tok.Equal, "'=' in the alias region declaration");
          const userId = this.u32Literal('a region id');
          if (lex.tok() !== Tok.String) throw this.expected('a region name string like "heap"');
          const name = lex.text();
          lex.next();
          if (f.aliasRegions[n] !== undefined) throw this.err(`duplicate definition of region${n}`, line, col);
          setAt(f.aliasRegions, n, { userId, name });
          entity = Ent.Region;
          break;
        }
        case Tok.UserNameRef: {
          this.checkTableIndex(n, 'user name');
          lex.next();
          this.expect(Tok.Equal, "'=' in the user name declaration");
          if (lex.tok() !== Tok.UserRef) throw this.expected("a user name like 'u0:1'");
          const name = this.parseUserName();
          const names = f.userNamedFuncs;
          if (n < names.length && names[n] !== USER_NAME_HOLE) throw this.err(`duplicate definition of userextname${n}`, line, col);
          while (names.length <= n) names.push(USER_NAME_HOLE);
          names[n] = name;
          entity = Ent.UserName;
          break;
        }
        case Tok.SigRef: {
          this.checkTableIndex(n, 'signature');
          lex.next();
          this.expect(Tok.Equal, "'=' in the signature declaration");
          const sig = this.parseSignature();
          if (dfg.signatures[n] !== undefined) throw this.err(`duplicate definition of sig${n}`, line, col);
          setAt(dfg.signatures, n, sig);
          entity = Ent.SigRef;
          break;
        }
        case Tok.FuncRef: {
          this.checkTableIndex(n, 'function reference');
          lex.next();
          this.expect(Tok.Equal, "'=' in the function declaration");
          let colocated = false;
          let patchable = false;
          for (;;) {
            if (lex.isIdent('colocated')) colocated = true;
            else if (lex.isIdent('patchable')) patchable = true;
            else break;
            lex.next();
          }
          const name = this.parseExternalName(st);
          let signature: SigRef;
          if (lex.tok() === Tok.LPar) {
            signature = dfg.importSignature(this.parseSignature());
          } else if (lex.tok() === Tok.SigRef) {
            signature = lex.num as SigRef;
            if (dfg.signatures[signature] === undefined) throw this.err(`undefined signature sig${signature}`);
            lex.next();
          } else {
            throw this.expected("a signature '(…)' or a signature reference like 'sig0'");
          }
          if (dfg.extFuncs[n] !== undefined) throw this.err(`duplicate definition of fn${n}`, line, col);
          setAt(dfg.extFuncs, n, { name, signature, colocated, patchable });
          entity = Ent.FuncRef;
          break;
        }
        case Tok.Constant: {
          this.checkTableIndex(n, 'constant');
          lex.next();
          this.expect(Tok.Equal, "'=' in the constant declaration");
          let bytes: Uint8Array;
          if (lex.tok() === Tok.Type) {
            const t = lex.num as Type;
            lex.next();
            bytes = this.parseUimm128(t);
          } else {
            if (lex.tok() !== Tok.Integer) throw this.expected('a hexadecimal constant like 0x0102');
            const b = hexToBytes(lex.text());
            if (typeof b === 'string') throw this.err(b);
            bytes = b;
            lex.next();
          }
          if (st.constDefined[n]) throw this.err(`duplicate definition of const${n}`, line, col);
          st.constDefined[n] = true;
          setAt(dfg.constants, n, bytes);
          entity = Ent.Constant;
          break;
        }
        case Tok.MemoryType:
          throw this.err(`memory types (mt${n}) are not supported`);
        case Tok.Identifier: {
          if (!lex.isIdent('stack_limit')) return;
          lex.next();
          this.expect(Tok.Equal, "'=' after 'stack_limit'");
          if (lex.tok() !== Tok.GlobalValue) throw this.expected("a global value like 'gv0'");
          if (f.stackLimit !== undefined) throw this.err('stack limit defined twice', line, col);
          f.stackLimit = lex.num as GlobalValue;
          lex.next();
          entity = Ent.StackLimit;
          break;
        }
        default:
          return;
      }
      this.claim(entity, n);
    }
  }

  private parseExternalName(st: FunctionState): ExternalName {
    const lex = this.lex;
    switch (lex.tok()) {
      case Tok.Name: {
        const name = lex.text();
        lex.next();
        return LIBCALLS.has(name) ? { kind: 'libcall', name } : { kind: 'testcase', name };
      }
      case Tok.UserRef: {
        const n = this.parseUserName();
        return { kind: 'user', ref: st.func.declareUserName(n) as UserExternalNameRef };
      }
      case Tok.UserNameRef: {
        st.userRefs.push({ ref: lex.num, line: lex.tokLine, col: lex.tokCol });
        const ref = lex.num;
        lex.next();
        return { kind: 'user', ref: ref as UserExternalNameRef };
      }
      default:
        throw this.expected("an external name like '%foo', 'u0:1' or 'userextname0'");
    }
  }

  private parseGlobalValue(st: FunctionState): GlobalValueData {
    const lex = this.lex;
    if (lex.tok() !== Tok.Identifier) throw this.expected("a global value kind ('vmctx', 'load', 'iadd_imm', 'symbol' or 'dyn_scale_target_const')");
    const kind = lex.text();
    const kLine = lex.tokLine;
    const kCol = lex.tokCol;
    lex.next();
    switch (kind) {
      case 'vmctx':
        return { kind: 'vmctx' };
      case 'load': {
        this.expect(Tok.Dot, "'.' and a type after 'load'");
        const globalType = this.typeToken('the loaded type');
        const flags = this.parseMemFlags();
        if (lex.tok() !== Tok.GlobalValue) throw this.expected("a base global value like 'gv0'");
        const base = lex.num as GlobalValue;
        lex.next();
        const offset = this.optionalOffset32();
        if (MemFlags.trapCode(flags) !== undefined || !MemFlags.has(flags, 1)) {
          throw this.err("a global value load must be 'notrap aligned'", kLine, kCol);
        }
        return { kind: 'load', base, offset, globalType, flags };
      }
      case 'iadd_imm': {
        this.expect(Tok.Dot, "'.' and a type after 'iadd_imm'");
        const globalType = this.typeToken('the result type');
        if (lex.tok() !== Tok.GlobalValue) throw this.expected("a base global value like 'gv0'");
        const base = lex.num as GlobalValue;
        lex.next();
        this.expect(Tok.Comma, "',' before the iadd_imm immediate");
        const offset = this.imm64('an immediate');
        return { kind: 'iadd_imm', base, offset, globalType };
      }
      case 'symbol': {
        let colocated = false;
        let tls = false;
        if (lex.isIdent('colocated')) {
          colocated = true;
          lex.next();
        }
        if (lex.isIdent('tls')) {
          tls = true;
          lex.next();
        }
        const name = this.parseExternalName(st);
        let offset = 0n;
        if (lex.tok() === Tok.Integer && isSigned(lex.text())) offset = this.imm64('an offset');
        return { kind: 'symbol', name, offset, colocated, tls };
      }
      case 'dyn_scale_target_const': {
        this.expect(Tok.Dot, "'.' and a vector type after 'dyn_scale_target_const'");
        if (lex.tok() !== Tok.Type || !isVector(lex.num as Type)) throw this.expected('a vector type');
        const vectorType = lex.num as Type;
        lex.next();
        return { kind: 'dyn_scale_target_const', vectorType };
      }
      default:
        throw this.err(`unknown global value kind '${kind}': expected 'vmctx', 'load', 'iadd_imm', 'symbol' or 'dyn_scale_target_const'`, kLine, kCol);
    }
  }

  private typeToken(what: string): Type {
    const lex = this.lex;
    if (lex.tok() !== Tok.Type) throw this.expected(what);
    const t = lex.num as Type;
    lex.next();
    return t;
  }

  /** A full Imm64: anything in [-2^63, 2^64), returned as the signed 64-bit value. */
  private imm64(what: string): bigint {
    const lex = this.lex;
    if (lex.tok() !== Tok.Integer) throw this.expected(what);
    const v = parseIntegerOfWidth(lex.text(), 64);
    if (typeof v === 'string') throw this.err(v);
    lex.next();
    return BigInt.asIntN(64, v);
  }

  private optionalOffset32(): number {
    const lex = this.lex;
    if (lex.tok() !== Tok.Integer) return 0;
    const c = lex.bytes[lex.start];
    if (c !== 43 && c !== 45) return 0;
    const small = smallDecimal(lex.src, lex.start, lex.end);
    if (small === small && small >= -0x80000000 && small <= 0x7fffffff) {
      lex.next();
      return small;
    }
    const v = parseInteger(lex.text());
    if (typeof v === 'string') throw this.err(v);
    if (v < -0x80000000n || v > 0x7fffffffn) throw this.err(`offset ${lex.text()} does not fit in 32 bits`);
    lex.next();
    return Number(v);
  }

  private parseMemFlags(): MemFlags {
    const lex = this.lex;
    let flags = MemFlags.new();
    for (;;) {
      if (lex.tok() === Tok.Identifier) {
        const next = MemFlags.applyWord(flags, this.identText());
        if (next === undefined) break;
        flags = next;
      } else if (lex.tok() === Tok.Region) {
        if (lex.num > 255) throw this.err(`alias region number ${lex.num} is too large (the limit is 255)`);
        flags = MemFlags.withRegionIndex(flags, lex.num);
      } else {
        break;
      }
      lex.next();
    }
    return flags;
  }

  /** `[l0 l1 …]` lanes of `t`, or a hex constant zero-extended to `t`'s size. */
  private parseUimm128(t: Type): Uint8Array {
    const lex = this.lex;
    const size = typeBytes(t);
    if (lex.tok() === Tok.LBracket) {
      if (!isVector(t) || isDynamicVector(t)) throw this.err(`a lane list needs a fixed vector type, not ${typeName(t)}`);
      lex.next();
      const lane = laneType(t);
      const bits = laneBits(lane);
      const lb = bits >>> 3;
      const out = new Uint8Array(size);
      const intLanes = !isFloat(lane) && bits <= 64;
      for (let i = 0; i < laneCount(t); i++) {
        if (lex.tok() !== Tok.Integer && lex.tok() !== Tok.Float) throw this.expected(`lane ${i} of ${typeName(t)} (${laneCount(t)} lanes)`);
        // Most lanes are short integers: their bits as a Number, no BigInt
        // (out-of-range and other literals take laneLiteral's path, which
        // also words the errors).
        if (intLanes && lex.tok() === Tok.Integer) {
          const n = smallIntegerAt(lex.src, lex.start, lex.end);
          if (n === n && n >= -pow2f(bits - 1) && n < pow2f(bits)) {
            const o = i * lb;
            let lo = n >>> 0;
            for (let b = 0; b < lb && b < 4; b++, lo >>>= 8) out[o + b] = lo & 0xff;
            if (lb === 8) {
              let hi = Math.floor(n / 0x100000000) >>> 0;
              for (let b = 4; b < 8; b++, hi >>>= 8) out[o + b] = hi & 0xff;
            }
            lex.next();
            continue;
          }
        }
        let v = laneLiteral(lane, lex.text(), lex.tok() === Tok.Float);
        if (typeof v === 'string') throw this.err(v);
        for (let b = 0; b < lb; b++, v >>= 8n) out[i * lb + b] = Number(v & 0xffn);
        lex.next();
      }
      if (lex.tok() !== Tok.RBracket) throw this.expected(`']' after ${laneCount(t)} lanes of ${typeName(t)}`);
      lex.next();
      return out;
    }
    if (lex.tok() !== Tok.Integer) throw this.expected(`a ${typeName(t)} constant: a lane list '[…]' or hex '0x…'`);
    const b = hexToBytes(lex.text());
    if (typeof b === 'string') throw this.err(b);
    const e = expandBytes(b, size);
    if (typeof e === 'string') throw this.err(`${e} for ${typeName(t)}`);
    lex.next();
    return e;
  }

  // -------------------------------------------------------------------
  // Blocks and instructions

  private parseBlock(st: FunctionState): void {
    const lex = this.lex;
    const f = st.func;
    const dfg = f.dfg;
    if (lex.tok() !== Tok.Block) throw this.expected("a block header like 'block0:'");
    const b = lex.num as Block;
    const line = lex.tokLine;
    const col = lex.tokCol;
    if (b >= MAX_BLOCKS) throw this.err(`block number ${b} is too large (the limit is ${MAX_BLOCKS - 1})`);
    if (f.layout.isBlockInserted(b)) throw this.err(`duplicate definition of block${b}`, line, col);
    dfg.ensureBlock(b);
    f.layout.appendBlock(b);
    lex.next();
    if (lex.tok() === Tok.LPar) {
      lex.next();
      if (lex.tok() !== Tok.RPar) {
        for (;;) {
          if (lex.tok() !== Tok.Value) throw this.expected("a block parameter like 'v0: i32'");
          const v = lex.num as Value;
          const vLine = lex.tokLine;
          const vCol = lex.tokCol;
          this.defineValue(st, v, vLine, vCol);
          if (!lex.nextPast(CHAR_COLON)) {
            if (lex.tok() === Tok.Bang) throw this.err('proof-carrying-code facts are not supported');
            this.expect(Tok.Colon, "':' and a type after the block parameter");
          }
          if (lex.tok() !== Tok.Type) throw this.expected('a block parameter type');
          const t = lex.num as Type;
          dfg.attachBlockParamAt(b, v, t);
          if (!lex.nextPast(CHAR_COMMA)) {
            if (lex.tok() !== Tok.Comma) break;
            lex.next();
          }
        }
      }
      this.expect(Tok.RPar, "',' or ')' after the block parameters");
    }
    if (lex.isIdent('cold')) {
      f.layout.setCold(b);
      lex.next();
    }
    if (lex.tok() !== Tok.Colon) throw this.expected("':' after the block header");
    lex.next();
    this.claim(Ent.Block, b);
    for (;;) {
      const k = lex.tok();
      if (k !== Tok.Value && k !== Tok.Identifier && k !== Tok.SourceLoc && k !== Tok.Lt) break;
      this.parseInstLine(st, b);
    }
  }

  /** Makes `v` exist and checks that it is not defined yet. */
  private defineValue(st: FunctionState, v: Value, line: number, col: number): void {
    if (v >= MAX_VALUES) throw this.err(`value number ${v} is too large (the limit is ${MAX_VALUES - 1})`, line, col);
    const dfg = st.func.dfg;
    dfg.ensureValue(v);
    if (dfg.valueIsValid(v)) throw this.err(`duplicate definition of v${v}`, line, col);
  }

  private parseInstLine(st: FunctionState, block: Block): void {
    const lex = this.lex;
    const f = st.func;
    const dfg = f.dfg;
    let srcLoc = NONE;
    let tags: number[] | undefined;
    const lineStart = lex.tokLine;
    const colStart = lex.tokCol;
    for (;;) {
      if (lex.tok() === Tok.SourceLoc) {
        const text = lex.text();
        if (text.length > 8) throw this.err(`source location '@${text}' does not fit in 32 bits`);
        srcLoc = parseInt(text, 16);
        lex.next();
      } else if (lex.tok() === Tok.Lt) {
        lex.next();
        tags = [];
        if (lex.tok() !== Tok.Gt) {
          for (;;) {
            tags.push(this.u32Literal('a debug tag (an unsigned integer)'));
            if (!this.optional(Tok.Comma)) break;
          }
        }
        this.expect(Tok.Gt, "',' or '>' after the debug tags");
      } else {
        break;
      }
    }
    // Results (or the alias name): value, line, column for each, in one array.
    const results = this.state.results;
    results.length = 0;
    if (lex.tok() === Tok.Value) {
      let equal = false;
      for (;;) {
        if (lex.tok() !== Tok.Value) throw this.expected('a result value');
        results.push3(lex.num, lex.tokLine, lex.tokCol);
        // Usually `= opcode` follows: step over the `=` without making a token of it.
        if (lex.nextPast(CHAR_EQUAL)) {
          equal = true;
          break;
        }
        if (lex.tok() === Tok.Bang) throw this.err('proof-carrying-code facts are not supported');
        if (!this.optional(Tok.Comma)) break;
      }
      if (!equal) {
        if (lex.tok() === Tok.Arrow) {
          if (results.length !== 3) throw this.err(`a value alias names one value, found ${results.length / 3}`, lineStart, colStart);
          if (srcLoc !== NONE || tags) throw this.err('a value alias cannot have a source location or debug tags', lineStart, colStart);
          lex.next();
          this.parseAlias(st, results.data[0] as Value, results.data[1], results.data[2]);
          return;
        }
        if (lex.tok() !== Tok.Equal) throw this.expected("'=' or '->' after the result values");
        lex.next();
      }
    }
    const rd = results.data;
    for (let i = 0; i < results.length; i += 3) this.defineValue(st, rd[i] as Value, rd[i + 1], rd[i + 2]);
    for (let i = 3; i < results.length; i += 3) {
      for (let j = 0; j < i; j += 3) {
        if (rd[i] === rd[j]) throw this.err(`duplicate definition of v${rd[i]}`, rd[i + 1], rd[i + 2]);
      }
    }
    if (lex.tok() !== Tok.Identifier) throw this.expected('an instruction opcode');
    const opHash = lex.hash;
    let op = OPCODE_CACHE.get(lex.bytes, lex.start, lex.end, opHash);
    const opLine = lex.tokLine;
    const opCol = lex.tokCol;
    if (op === undefined) {
      const text = lex.text();
      op = opcodeByName(text);
      if (op === undefined) throw this.err(`unknown opcode '${text}'`);
      OPCODE_CACHE.set(lex.bytes, lex.start, lex.end, opHash, op);
    }
    // The spelling, for messages: the opcode's own name, not a new slice.
    const opText = opcodeName(op);
    lex.next();
    let explicit: Type | undefined;
    if (lex.tok() === Tok.Dot) {
      lex.next();
      if (lex.tok() === Tok.Type) {
        explicit = lex.num as Type;
      } else if (lex.tok() === Tok.DynamicType) {
        const dt = dfg.dynamicTypes[lex.num];
        if (dt === undefined) throw this.err(`undefined dynamic type dt${lex.num}`);
        explicit = vectorToDynamic(dt.baseVectorType);
      } else {
        throw this.expected(`a type after '${opText}.'`);
      }
      lex.next();
    }
    const inst = this.parseOperands(st, op, explicit, opText);
    f.layout.appendInst(inst, block);
    if (inst >= st.instLine.length) st.growInstPositions(inst);
    st.instLine[inst] = opLine;
    st.instCol[inst] = opCol;
    if (srcLoc !== NONE) dfg.setSrcLoc(inst, srcLoc);
    if (tags) dfg.debugTags.set(inst, tags);
    if (lex.tok() === Tok.Comma) {
      lex.next();
      if (!lex.isIdent('stack_map')) throw this.expected("'stack_map' or the end of the instruction");
      lex.next();
      this.expect(Tok.Equal, "'=' after 'stack_map'");
      dfg.userStackMaps.set(inst, this.parseStackMap(st));
    }
    this.makeResults(st, inst, op, explicit, results, opLine, opCol, opText);
    this.claim(Ent.Inst, inst);
  }

  private parseAlias(st: FunctionState, v: Value, line: number, col: number): void {
    const lex = this.lex;
    const dfg = st.func.dfg;
    if (lex.tok() !== Tok.Value) throw this.expected("the aliased value, as in 'v2 -> v1'");
    const dest = lex.num as Value;
    if (v >= MAX_VALUES) throw this.err(`value number ${v} is too large`, line, col);
    dfg.ensureValue(v);
    if (dfg.valueIsValid(v)) {
      const def = dfg.valueDef(v);
      if (def.kind !== 'alias' || def.original !== dest) throw this.err(`duplicate definition of v${v}`, line, col);
    } else {
      if (!dfg.valueIsValid(dest)) throw this.err(`v${dest} is not yet defined: an alias must follow the value it names`);
      dfg.makeValueAliasAt(v, dest);
      st.aliasValues.push(v);
    }
    lex.next();
    this.claim(Ent.Value, v);
  }

  private parseStackMap(st: FunctionState): UserStackMapEntry[] {
    const lex = this.lex;
    this.expect(Tok.LBracket, "'[' to start the stack map");
    const out: UserStackMapEntry[] = [];
    if (lex.tok() !== Tok.RBracket) {
      for (;;) {
        const type = this.typeToken("a stack map entry like 'i32 @ ss0+4'");
        this.expect(Tok.At, "'@' in the stack map entry");
        if (lex.tok() !== Tok.StackSlot) throw this.expected("a stack slot like 'ss0'");
        const slot = lex.num;
        if (st.func.stackSlots[slot] === undefined) throw this.err(`undefined stack slot ss${slot}`);
        lex.next();
        const offset = this.optionalOffset32();
        out.push({ type, slot, offset });
        if (!this.optional(Tok.Comma)) break;
      }
    }
    this.expect(Tok.RBracket, "',' or ']' in the stack map");
    return out;
  }

  private value(what: string): Value {
    const lex = this.lex;
    if (lex.tok() !== Tok.Value) throw this.expected(what);
    const v = lex.num as Value;
    if (v >= MAX_VALUES) throw this.err(`value number ${v} is too large`);
    if (!this.state.func.dfg.valueIsValid(v)) this.state.forwardUses++;
    lex.next();
    return v;
  }
  /** A value operand and the comma after it (`value` then `comma`, the comma usually skipped without a token). */
  private valueComma(what: string): Value {
    const lex = this.lex;
    if (lex.tok() !== Tok.Value) throw this.expected(what);
    const v = lex.num as Value;
    if (v >= MAX_VALUES) throw this.err(`value number ${v} is too large`);
    if (!this.state.func.dfg.valueIsValid(v)) this.state.forwardUses++;
    if (!lex.nextPast(CHAR_COMMA)) this.comma();
    return v;
  }
  private comma(): void {
    if (this.lex.tok() !== Tok.Comma) throw this.expected("',' between operands");
    this.lex.next();
  }
  /** Values separated by commas, possibly none (stops at anything but a value). */
  private valueList(out: WordList): void {
    const lex = this.lex;
    if (lex.tok() !== Tok.Value) return;
    let what = 'a value';
    for (;;) {
      if (lex.tok() !== Tok.Value) throw this.expected(what);
      const v = lex.num as Value;
      if (v >= MAX_VALUES) throw this.err(`value number ${v} is too large`);
      if (!this.state.func.dfg.valueIsValid(v)) this.state.forwardUses++;
      out.push(v);
      if (!lex.nextPast(CHAR_COMMA)) {
        if (lex.tok() !== Tok.Comma) return;
        lex.next();
      }
      what = 'a value in the argument list';
    }
  }
  private parenValueList(out: WordList, what: string): void {
    this.expect(Tok.LPar, `'(' before the ${what}`);
    this.valueList(out);
    this.expect(Tok.RPar, `',' or ')' after the ${what}`);
  }

  /** `blockN[(args)]`; `tryCall` admits `retN`/`exnN` arguments. */
  private blockCall(st: FunctionState, what: string, tryCall = false): BlockCall {
    const lex = this.lex;
    const dfg = st.func.dfg;
    if (lex.tok() !== Tok.Block) throw this.expected(what);
    const b = lex.num as Block;
    if (b >= MAX_BLOCKS) throw this.err(`block number ${b} is too large (the limit is ${MAX_BLOCKS - 1})`);
    dfg.ensureBlock(b);
    lex.next();
    const args = st.blockArgs;
    args.length = 0;
    if (lex.tok() === Tok.LPar) {
      lex.next();
      if (lex.tok() !== Tok.RPar) {
        for (;;) {
          if (lex.tok() === Tok.Value) {
            if (lex.num >= MAX_VALUES) throw this.err(`value number ${lex.num} is too large`);
            if (!dfg.valueIsValid(lex.num as Value)) st.forwardUses++;
            args.push(BlockArg.value(lex.num as Value));
          } else if (tryCall && lex.tok() === Tok.TryCallRet) {
            args.push(BlockArg.tryCallRet(lex.num));
          } else if (tryCall && lex.tok() === Tok.TryCallExn) {
            args.push(BlockArg.tryCallExn(lex.num));
          } else {
            throw this.expected(tryCall ? "a block argument (a value, 'retN' or 'exnN')" : 'a block argument value');
          }
          lex.next();
          if (!this.optional(Tok.Comma)) break;
        }
      }
      this.expect(Tok.RPar, "',' or ')' after the block arguments");
    }
    return dfg.makeBlockCall(b, args.data, args.length);
  }

  private sigRef(st: FunctionState): SigRef {
    const lex = this.lex;
    if (lex.tok() !== Tok.SigRef) throw this.expected("a signature reference like 'sig0'");
    const s = lex.num as SigRef;
    if (st.func.dfg.signatures[s] === undefined) throw this.err(`undefined signature sig${s}`);
    lex.next();
    return s;
  }
  private funcRef(st: FunctionState): number {
    const lex = this.lex;
    if (lex.tok() !== Tok.FuncRef) throw this.expected("a function reference like 'fn0'");
    const fn = lex.num;
    if (st.func.dfg.extFuncs[fn] === undefined) throw this.err(`undefined function fn${fn}`);
    lex.next();
    return fn;
  }
  private uimm8(what: string): number {
    const lex = this.lex;
    if (lex.tok() !== Tok.Integer) throw this.expected(what);
    // A short literal in range (almost all): parseInteger's own fast path, without the BigInt.
    const small = smallIntegerAt(lex.src, lex.start, lex.end);
    if (small >= 0 && small <= 255) {
      lex.next();
      return small;
    }
    const v = parseInteger(lex.text());
    if (typeof v === 'string') throw this.err(v);
    if (v < 0n || v > 255n) throw this.err(`expected ${what} (0 to 255), found ${lex.describe()}`);
    lex.next();
    return Number(v);
  }
  private trapCode(): number {
    const lex = this.lex;
    if (lex.tok() !== Tok.Identifier) throw this.expected("a trap code like 'user1' or 'heap_oob'");
    let c = TRAP_CODES.get(lex.bytes, lex.start, lex.end, lex.hash);
    if (c === undefined) {
      c = parseTrapCode(lex.text()) ?? -1;
      TRAP_CODES.set(lex.bytes, lex.start, lex.end, lex.hash, c);
    }
    if (c < 0) throw this.err(`unknown trap code '${lex.text()}': expected user1..user250, stk_ovf, heap_oob, int_ovf, int_divz or bad_toint`);
    lex.next();
    return c;
  }
  private floatBits(width: number): bigint {
    const lex = this.lex;
    if (lex.tok() !== Tok.Float) throw this.expected(`an f${width} literal like 0.0, 0x1.8p3, Inf or NaN`);
    const [e, t] = floatLayout(width);
    const v = parseFloatBits(lex.text(), e, t);
    if (typeof v === 'string') throw this.err(v);
    lex.next();
    return v;
  }

  /** Adds `bytes` to the constant pool, reusing an identical constant as upstream does. */
  private internConstant(st: FunctionState, bytes: Uint8Array): number {
    const consts = st.func.dfg.constants;
    for (let i = 0; i < consts.length; i++) {
      const c = consts[i];
      if (c !== undefined && bytesEqual(c, bytes)) return i;
    }
    st.constDefined[consts.length] = true;
    return consts.push(bytes) - 1;
  }

  private parseOperands(st: FunctionState, op: Opcode, explicit: Type | undefined, opText: string): Inst {
    const lex = this.lex;
    const dfg = st.func.dfg;
    const args = st.args;
    args.length = 0;
    let imm0 = 0;
    let imm1 = 0;
    let imm2 = 0;
    switch (opcodeFormat(op)) {
      case InstructionFormat.Unary:
        args.push(this.value('a value operand'));
        break;
      case InstructionFormat.UnaryImm: {
        if (explicit !== I8 && explicit !== I16 && explicit !== I32 && explicit !== I64) {
          throw this.err(`'${opText}' needs a type suffix of i8, i16, i32 or i64, as in '${opText}.i32'`);
        }
        const bits = explicit === I8 ? 8 : explicit === I16 ? 16 : explicit === I32 ? 32 : 64;
        if (lex.tok() !== Tok.Integer) throw this.expected(`an immediate ${bits}-bit integer operand`);
        const small = smallDecimal(lex.src, lex.start, lex.end);
        if (small === small && (bits === 64 || (small >= -pow2f(bits - 1) && small < pow2f(bits)))) {
          // Common case: a short decimal; no BigInt needed.
          const masked = bits === 64 ? small : bits === 32 ? small >>> 0 : small & ((1 << bits) - 1);
          imm0 = masked | 0;
          imm1 = bits === 64 && small < 0 ? -1 : 0;
          lex.next();
          break;
        }
        const v = parseIntegerOfWidth(lex.text(), bits);
        if (typeof v === 'string') throw this.err(v);
        lex.next();
        [imm0, imm1] = i64ToWords(v);
        break;
      }
      case InstructionFormat.UnaryIeee16:
        imm0 = Number(this.floatBits(16));
        break;
      case InstructionFormat.UnaryIeee32:
        imm0 = Number(this.floatBits(32)) | 0;
        break;
      case InstructionFormat.UnaryIeee64:
        [imm0, imm1] = i64ToWords(this.floatBits(64));
        break;
      case InstructionFormat.UnaryConst: {
        if (lex.tok() === Tok.Constant) {
          const c = lex.num;
          if (!st.constDefined[c]) throw this.err(`undefined constant const${c}`);
          imm0 = c;
          lex.next();
        } else if (lex.tok() === Tok.Float && opText === 'f128const') {
          const bits = this.floatBits(128);
          imm0 = this.internConstant(st, lanesToBytes(vectorOf(I64, 2), [bits & 0xffffffffffffffffn, bits >> 64n]));
        } else if (explicit !== undefined) {
          imm0 = this.internConstant(st, this.parseUimm128(explicit));
        } else {
          throw this.expected(`a constant like 'const0'${opText === 'f128const' ? ' or an f128 literal' : ` or a typed literal, as in '${opText}.i32x4 [1 2 3 4]'`}`);
        }
        break;
      }
      case InstructionFormat.UnaryGlobalValue: {
        if (lex.tok() !== Tok.GlobalValue) throw this.expected("a global value like 'gv0'");
        if (st.func.globalValues[lex.num] === undefined) throw this.err(`undefined global value gv${lex.num}`);
        imm0 = lex.num;
        lex.next();
        break;
      }
      case InstructionFormat.Binary:
        args.push(this.valueComma('a first value operand'));
        args.push(this.value('a second value operand'));
        break;
      case InstructionFormat.BinaryImm8:
        args.push(this.valueComma('a value operand'));
        imm0 = this.uimm8('an unsigned 8-bit immediate');
        break;
      case InstructionFormat.BinaryImm64: {
        args.push(this.valueComma('a value operand'));
        [imm0, imm1] = i64ToWords(this.imm64('an immediate integer operand'));
        break;
      }
      case InstructionFormat.Ternary:
        args.push(this.valueComma('a first value operand'));
        args.push(this.valueComma('a second value operand'));
        args.push(this.value('a third value operand'));
        break;
      case InstructionFormat.TernaryImm8:
        args.push(this.valueComma('a first value operand'));
        args.push(this.valueComma('a second value operand'));
        imm0 = this.uimm8('an unsigned 8-bit immediate');
        break;
      case InstructionFormat.MultiAry:
        this.valueList(args);
        break;
      case InstructionFormat.NullAry:
        break;
      case InstructionFormat.Shuffle: {
        args.push(this.valueComma('a first value operand'));
        args.push(this.valueComma('a second value operand'));
        imm0 = dfg.makeImmediate(this.parseUimm128(vectorOf(I8, 16)));
        break;
      }
      case InstructionFormat.IntCompare:
      case InstructionFormat.IntCompareImm: {
        if (lex.tok() !== Tok.Identifier) throw this.expected('an integer condition code (eq, ne, slt, sge, sgt, sle, ult, uge, ugt, ule)');
        const cc = parseIntCC(this.identText());
        if (cc === undefined) throw this.err(`unknown integer condition code '${lex.text()}': expected eq, ne, slt, sge, sgt, sle, ult, uge, ugt or ule`);
        lex.next();
        imm2 = cc;
        args.push(this.valueComma('a first value operand'));
        if (opcodeFormat(op) === InstructionFormat.IntCompare) args.push(this.value('a second value operand'));
        else [imm0, imm1] = i64ToWords(this.imm64('an immediate integer operand'));
        break;
      }
      case InstructionFormat.FloatCompare: {
        if (lex.tok() !== Tok.Identifier) throw this.expected('a float condition code (ord, uno, eq, ne, one, ueq, lt, le, gt, ge, ult, ule, ugt, uge)');
        const cc = parseFloatCC(this.identText());
        if (cc === undefined) throw this.err(`unknown float condition code '${lex.text()}': expected ord, uno, eq, ne, one, ueq, lt, le, gt, ge, ult, ule, ugt or uge`);
        lex.next();
        imm2 = cc;
        args.push(this.valueComma('a first value operand'));
        args.push(this.value('a second value operand'));
        break;
      }
      case InstructionFormat.IntAddTrap:
        args.push(this.valueComma('a first value operand'));
        args.push(this.valueComma('a second value operand'));
        imm0 = this.trapCode();
        break;
      case InstructionFormat.Jump:
        imm0 = this.blockCall(st, 'a destination block');
        break;
      case InstructionFormat.Brif:
        args.push(this.valueComma('a condition value'));
        imm0 = this.blockCall(st, "the 'then' block");
        this.comma();
        imm1 = this.blockCall(st, "the 'else' block");
        break;
      case InstructionFormat.BranchTable: {
        args.push(this.valueComma('an index value'));
        const def = this.blockCall(st, 'the default block');
        this.comma();
        this.expect(Tok.LBracket, "'[' before the jump table entries");
        const entries: BlockCall[] = [];
        if (lex.tok() !== Tok.RBracket) {
          for (;;) {
            entries.push(this.blockCall(st, 'a jump table entry block'));
            if (!this.optional(Tok.Comma)) break;
          }
        }
        this.expect(Tok.RBracket, "',' or ']' after the jump table entries");
        imm0 = dfg.makeJumpTable({ default: def, entries });
        break;
      }
      case InstructionFormat.Call:
        imm0 = this.funcRef(st);
        this.parenValueList(args, 'call arguments');
        break;
      case InstructionFormat.CallIndirect:
        imm0 = this.sigRef(st);
        this.comma();
        args.push(this.value('a callee value'));
        this.parenValueList(args, 'call arguments');
        break;
      case InstructionFormat.TryCall:
      case InstructionFormat.TryCallIndirect: {
        if (opcodeFormat(op) === InstructionFormat.TryCall) imm0 = this.funcRef(st);
        else args.push(this.value('a callee value'));
        this.parenValueList(args, 'call arguments');
        this.comma();
        const sig = this.sigRef(st);
        this.comma();
        const normalReturn = this.blockCall(st, 'the normal-return block', true);
        this.comma();
        this.expect(Tok.LBracket, "'[' before the exception table");
        const items: ExceptionTableItem[] = [];
        if (lex.tok() !== Tok.RBracket) {
          for (;;) {
            if (lex.isIdent('context')) {
              lex.next();
              items.push({ kind: 'context', value: this.value('a context value') });
            } else if (lex.isIdent('default')) {
              lex.next();
              this.expect(Tok.Colon, "':' after 'default'");
              items.push({ kind: 'default', block: this.blockCall(st, 'a handler block', true) });
            } else if (lex.tok() === Tok.Tag) {
              const tag = lex.num;
              lex.next();
              this.expect(Tok.Colon, `':' after 'tag${tag}'`);
              items.push({ kind: 'tag', tag, block: this.blockCall(st, 'a handler block', true) });
            } else {
              throw this.expected("an exception table entry ('context vN', 'tagN: block', 'default: block')");
            }
            if (!this.optional(Tok.Comma)) break;
          }
        }
        this.expect(Tok.RBracket, "',' or ']' after the exception table");
        imm1 = dfg.makeExceptionTable({ sig, normalReturn, items });
        break;
      }
      case InstructionFormat.FuncAddr:
        imm0 = this.funcRef(st);
        break;
      case InstructionFormat.Load:
      case InstructionFormat.LoadNoOffset:
        imm0 = this.parseMemFlags();
        args.push(this.value('an address value'));
        if (opcodeFormat(op) === InstructionFormat.Load) imm1 = this.optionalOffset32();
        break;
      case InstructionFormat.Store:
      case InstructionFormat.StoreNoOffset:
        imm0 = this.parseMemFlags();
        args.push(this.valueComma('the stored value'));
        args.push(this.value('an address value'));
        if (opcodeFormat(op) === InstructionFormat.Store) imm1 = this.optionalOffset32();
        break;
      case InstructionFormat.StackLoad:
      case InstructionFormat.StackStore: {
        if (opcodeFormat(op) === InstructionFormat.StackStore) {
          args.push(this.valueComma('the stored value'));
        }
        if (lex.tok() !== Tok.StackSlot) throw this.expected("a stack slot like 'ss0'");
        if (st.func.stackSlots[lex.num] === undefined) throw this.err(`undefined stack slot ss${lex.num}`);
        imm0 = lex.num;
        lex.next();
        imm1 = this.optionalOffset32();
        break;
      }
      case InstructionFormat.DynamicStackLoad:
      case InstructionFormat.DynamicStackStore: {
        if (opcodeFormat(op) === InstructionFormat.DynamicStackStore) {
          args.push(this.valueComma('the stored value'));
        }
        if (lex.tok() !== Tok.DynamicStackSlot) throw this.expected("a dynamic stack slot like 'dss0'");
        if (st.func.dynamicStackSlots[lex.num] === undefined) throw this.err(`undefined dynamic stack slot dss${lex.num}`);
        imm0 = lex.num;
        lex.next();
        break;
      }
      case InstructionFormat.AtomicRmw: {
        imm0 = this.parseMemFlags();
        if (lex.tok() !== Tok.Identifier) throw this.expected('an atomic operation (add, sub, and, nand, or, xor, xchg, umin, umax, smin, smax)');
        const rmw = parseAtomicRmwOp(this.identText());
        if (rmw === undefined) throw this.err(`unknown atomic operation '${lex.text()}': expected add, sub, and, nand, or, xor, xchg, umin, umax, smin or smax`);
        lex.next();
        imm1 = rmw;
        args.push(this.valueComma('an address value'));
        args.push(this.value('an operand value'));
        break;
      }
      case InstructionFormat.AtomicCas:
        imm0 = this.parseMemFlags();
        args.push(this.valueComma('an address value'));
        args.push(this.valueComma('the expected value'));
        args.push(this.value('the replacement value'));
        break;
      case InstructionFormat.Trap:
        imm0 = this.trapCode();
        break;
      case InstructionFormat.CondTrap:
        args.push(this.valueComma('a condition value'));
        imm0 = this.trapCode();
        break;
      case InstructionFormat.ExceptionHandlerAddress: {
        if (lex.tok() !== Tok.Block) throw this.expected("a block like 'block1'");
        if (lex.num >= MAX_BLOCKS) throw this.err(`block number ${lex.num} is too large`);
        dfg.ensureBlock(lex.num as Block);
        imm0 = lex.num;
        lex.next();
        this.comma();
        const iLine = lex.tokLine;
        const iCol = lex.tokCol;
        const idx = this.imm64('a handler index');
        if (idx < -0x80000000n || idx > 0x7fffffffn) throw this.err(`handler index ${idx} does not fit in 32 bits`, iLine, iCol);
        imm1 = Number(idx);
        break;
      }
    }
    return dfg.makeInst(op, INVALID, args.data, imm0, imm1, imm2, args.length);
  }

  /** Creates the result values of `inst`, inferring the controlling type as upstream does. */
  private makeResults(
    st: FunctionState,
    inst: Inst,
    op: Opcode,
    explicit: Type | undefined,
    /** Result values with their positions: value, line, column for each. */
    results: WordList,
    line: number,
    col: number,
    opText: string,
  ): void {
    const dfg = st.func.dfg;
    let sigTypes: Type[] | undefined;
    if (resultsFromSignature(op)) {
      const fmt = opcodeFormat(op);
      const sigRef = fmt === InstructionFormat.Call ? dfg.extFuncs[dfg.imm0(inst)]!.signature : (dfg.imm0(inst) as SigRef);
      const sig = dfg.signatures[sigRef];
      if (sig === undefined) throw this.err(`undefined signature sig${sigRef}`, line, col);
      sigTypes = sig.returns.map((r) => r.type);
    }
    const n = sigTypes ? sigTypes.length : numFixedResults(op);
    const given = results.length / 3;
    if (given !== n) throw this.err(`'${opText}' produces ${n} result value${n === 1 ? '' : 's'}, ${given} given`, line, col);
    let ctrl: Type = INVALID;
    if (explicit !== undefined) {
      if (!isPolymorphic(op)) throw this.err(`'${opText}' does not take a type suffix`, line, col);
      ctrl = explicit;
    } else if (isPolymorphic(op)) {
      const tv = typevarOperand(op);
      if (tv < 0) throw this.err(`type suffix required for polymorphic opcode '${opText}', e.g. '${opText}.${exampleType(op)}'`, line, col);
      const v = dfg.arg(inst, tv);
      const t = knownType(st, v);
      if (t === INVALID) {
        // Defined later in the text (or never): resolve after the whole body.
        for (let i = 0; i < n; i++) dfg.attachResultAt(inst, results.data[3 * i] as Value, sigTypes ? sigTypes[i] : INVALID);
        st.pending.push({ inst, typevar: v, results: sigTypes ? 0 : n });
        return;
      }
      ctrl = t;
    }
    if (sigTypes !== undefined) {
      this.applyCtrl(st, inst, op, ctrl, line, col, opText);
      for (let i = 0; i < n; i++) dfg.attachResultAt(inst, results.data[3 * i] as Value, sigTypes[i]);
      return;
    }
    // The same checks and types as applyCtrl and resultTypeOrThrow, the
    // first result's through a memo (its type set test and derivation are
    // the same for every instruction of an opcode and type).
    const first = firstResultType(op, ctrl);
    if (first < 0) this.applyCtrl(st, inst, op, ctrl, line, col, opText);
    dfg.setCtrlType(inst, ctrl);
    for (let i = 0; i < n; i++) {
      const t = i === 0 && first !== INVALID ? (first as Type) : this.resultTypeOrThrow(op, i, ctrl, line, col, opText);
      dfg.attachResultAt(inst, results.data[3 * i] as Value, t);
    }
  }

  private applyCtrl(st: FunctionState, inst: Inst, op: Opcode, ctrl: Type, line: number, col: number, opText: string): void {
    if (isPolymorphic(op) && !ctrlTypeAllowed(op, ctrl)) {
      throw this.err(`${typeName(ctrl)} is not a valid type for '${opText}': expected ${typeSetName(ctrlTypeSet(op))}`, line, col);
    }
    st.func.dfg.setCtrlType(inst, ctrl);
  }

  private resultTypeOrThrow(op: Opcode, i: number, ctrl: Type, line: number, col: number, opText: string): Type {
    const t = resultType(op, i, ctrl);
    if (t === INVALID) throw this.err(`'${opText}' has no result ${i} type for controlling type ${typeName(ctrl)}`, line, col);
    return t;
  }

  private finishFunction(st: FunctionState): void {
    const f = st.func;
    const dfg = f.dfg;
    // Resolve controlling types that waited for later definitions.
    let pending = st.pending;
    while (pending.length > 0) {
      const rest: PendingInst[] = [];
      for (const p of pending) {
        const t = knownType(st, p.typevar);
        if (t === INVALID) {
          rest.push(p);
          continue;
        }
        const op = dfg.opcode(p.inst) as Opcode;
        const line = st.instLine[p.inst];
        const col = st.instCol[p.inst];
        const name = opcodeName(op);
        this.applyCtrl(st, p.inst, op, t, line, col, name);
        for (let i = 0; i < p.results; i++) dfg.setValueType(dfg.result(p.inst, i), this.resultTypeOrThrow(op, i, t, line, col, name));
      }
      if (rest.length === pending.length) {
        const p = rest[0];
        const op = dfg.opcode(p.inst) as Opcode;
        const name = opcodeName(op);
        const why = dfg.valueIsValid(p.typevar) ? 'whose type depends on this instruction' : 'which is never defined';
        throw this.err(
          `type suffix required for '${name}': cannot infer it from v${p.typevar}, ${why}; write e.g. '${name}.${exampleType(op)}'`,
          st.instLine[p.inst],
          st.instCol[p.inst],
        );
      }
      pending = rest;
    }
    for (const a of st.aliasValues) dfg.setValueType(a, dfg.valueTypeOf(a));
    // Every used value must be defined somewhere. Uses of values already
    // defined when read (all of them in most functions) need no second look.
    if (st.forwardUses > 0) this.checkForwardUses(st);
    for (const r of st.userRefs) {
      const n = f.userNamedFuncs[r.ref];
      if (n === undefined || n === USER_NAME_HOLE) throw this.err(`undefined user name userextname${r.ref}`, r.line, r.col);
    }
  }

  /** Throws at the first use (in layout order) of a value defined nowhere. */
  private checkForwardUses(st: FunctionState): void {
    const f = st.func;
    const dfg = f.dfg;
    let current = 0 as Inst;
    const check = (v: Value): void => {
      if (!dfg.valueIsValid(v)) throw this.err(`undefined value v${v}`, st.instLine[current], st.instCol[current]);
    };
    for (const b of f.layout.blocks()) {
      for (let inst = f.layout.firstInst(b); inst !== NONE; inst = f.layout.nextInst(inst)) {
        current = inst;
        dfg.forEachUse(inst, check);
      }
    }
  }
}

// ---------------------------------------------------------------------------

// `firstResultType`'s memo: direct-mapped on (opcode, ctrl), a slot
// holding its key (-1: empty) and its answer.
const RESULT_MEMO_SLOTS = 1024;
const resultMemoKeys = new Int32Array(RESULT_MEMO_SLOTS).fill(-1);
const resultMemoTypes = new Int32Array(RESULT_MEMO_SLOTS);

/**
 * -1 when `op` is polymorphic and `ctrl` not in its set (applyCtrl's
 * error); else the type of result 0 given ctrl (`resultType`: INVALID when
 * the opcode has none or the derivation fails).
 */
function firstResultType(op: Opcode, ctrl: Type): number {
  // Types take 9 bits: the key is unique per pair.
  if (ctrl > 0x1ff) return isPolymorphic(op) && !ctrlTypeAllowed(op, ctrl) ? -1 : resultType(op, 0, ctrl);
  const key = (op << 9) | ctrl;
  const slot = (key ^ (key >>> 9)) & (RESULT_MEMO_SLOTS - 1);
  if (resultMemoKeys[slot] === key) return resultMemoTypes[slot];
  const t = isPolymorphic(op) && !ctrlTypeAllowed(op, ctrl) ? -1 : resultType(op, 0, ctrl);
  resultMemoKeys[slot] = key;
  resultMemoTypes[slot] = t;
  return t;
}

/** The type of `v` if it is already known (defined, and not awaiting inference). */
function knownType(st: FunctionState, v: Value): Type {
  const dfg = st.func.dfg;
  if (v >= dfg.numValues() || !dfg.valueIsValid(v)) return INVALID;
  return dfg.valueTypeOf(v);
}

function exampleType(op: Opcode): string {
  const set = ctrlTypeSet(op);
  for (const t of [I32, I64, I8, I16, I128, F32, F64, F16, F128]) if (ctrlTypeAllowed(op, t)) return typeName(t);
  void set;
  for (const lane of [I32, F32, I8, I16, I64]) {
    const v = vectorOf(lane, 128 / laneBits(lane));
    if (ctrlTypeAllowed(op, v)) return typeName(v);
    const d = vectorToDynamic(v);
    if (ctrlTypeAllowed(op, d)) return typeName(d);
  }
  return 'i32';
}

/**
 * The value of a short decimal literal (optional sign, at most 9 digits, no
 * `_`), or NaN for anything else; the caller then takes the general path.
 */
function smallDecimal(src: string, start: number, end: number): number {
  let i = start;
  let neg = false;
  const c = src.charCodeAt(i);
  if (c === 45 || c === 43) {
    neg = c === 45;
    i++;
  }
  if (end - i > 9 || end === i) return NaN;
  let v = 0;
  for (; i < end; i++) {
    const d = src.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

function isSigned(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 43 || c === 45;
}

function setAt<T>(arr: (T | undefined)[], n: number, v: T): void {
  while (arr.length < n) arr.push(undefined);
  arr[n] = v;
}

/**
 * The whitespace-separated words of `src[start, end)` (as `split(/\s+/)`
 * without empty words), read from the source's byte copy.
 */
function splitWords(src: string, bytes: Uint8Array, start: number, end: number): string[] {
  const out: string[] = [];
  let i = start;
  for (;;) {
    while (i < end && isSpaceAt(src, bytes, i)) i++;
    if (i >= end) return out;
    const wordStart = i;
    while (i < end && !isSpaceAt(src, bytes, i)) i++;
    out.push(src.slice(wordStart, i));
  }
}
function isSpaceAt(src: string, bytes: Uint8Array, i: number): boolean {
  const c = bytes[i];
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  // Non-ASCII (0x80 in the byte copy): Unicode spaces separate words too.
  return c === 0x80 && /\s/.test(src.charAt(i));
}

function splitSetting(word: string, line: number): Setting {
  const eq = word.indexOf('=');
  if (eq < 0) return { name: word, value: undefined, line };
  return { name: word.slice(0, eq), value: word.slice(eq + 1), line };
}
