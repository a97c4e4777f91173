// Run commands: the `; run:` and `; print:` comments of `test run` and
// `test interpret` files, with their arguments and expected results decoded
// as typed DataValues.
//
// Grammar (upstream's):
//   run-command ::= "run" [":" invocation comparison expected]
//                 | "print" [":" invocation]
//   invocation  ::= %name "(" [value {"," value}] ")"
//   comparison  ::= "==" | "!="
//   expected    ::= value                      (exactly one return)
//                 | "[" [value {"," value}] "]" (any other count)
// Values are typed by the signature: arguments by its params, expected
// values by its returns. A bare `run` is allowed for `() -> iN` functions and
// means "the result is not zero"; a bare `print` for functions without
// parameters.
//
// Invariant: a comment whose first word is not `run`/`print` is not a run
// command (undefined); one that is but does not parse is a ParseError.
//
// Every comment of a file is offered here, so the test for `run`/`print`
// reads the source in place, and a command is lexed where it stands (a
// lexer over the comment's range), never copied out first. Error columns
// count from the start of the comment, as they did when comments were
// parsed as separate texts.

import type { AbiParam, DataValue, Signature, Type } from '@clift/ir';
import * as ir from '@clift/ir';
import { bytesToBigInt, expandBytes, hexToBytes, laneLiteral } from './constants.js';
import { ParseError } from './errors.js';
import { Lexer, sharedBytesEpochNow, sharedSourceBytes } from './lexer.js';
import * as lexer from './lexer.js';
import * as numbers from './numbers.js';

// Imported bindings are live, so V8 reads them afresh at every use; what
// reading a command uses is copied into module constants, which it folds
// into the compiled code.
const { I8, dataValue, isDynamicVector, isFloat, isVector, laneBits, laneType, typeBytes, typeName } = ir;
const { Tok } = lexer;
type Tok = lexer.Tok;
const { floatLayout, parseFloatBits, parseIntegerOfWidth, pow2f, smallIntegerAt, smallIntegerOfWidthAt } = numbers;

export interface RunCommand {
  kind: 'run' | 'print';
  /** The invoked function's name without `%` (for a bare `run`/`print`, the function's own name when known, else `default`). */
  funcName: string;
  args: DataValue[];
  comparison: '==' | '!=' | undefined;
  expected: DataValue[];
  line: number;
  /** The command text without the leading `;` and spaces. */
  text: string;
}

/**
 * Parses a comment as a run command; undefined when it is not one. `column`
 * is where `text` starts on its line (for error positions).
 */
export function parseRunCommandText(
  text: string,
  sig: Signature,
  filename: string,
  line: number,
  column: number,
): RunCommand | undefined {
  return new RunCommandReader(text, filename).read(0, text.length, 1 - column, sig, line);
}

function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isSpaceCode(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  return c > 127 && /\s/.test(String.fromCharCode(c));
}

/**
 * Reads the run commands of one source text, reusing one lexer (a file has
 * thousands of comments to test and hundreds of commands to read).
 */
export class RunCommandReader {
  /**
   * Made at the first command, over the shared byte copy of the source
   * (most comments are not commands, and most files have none); remade
   * when a parse has reused that copy since (`epoch`).
   */
  private lexer: Lexer | undefined = undefined;
  private epoch = -1;
  private sig: Signature = { params: [], returns: [], callConv: 'fast' };
  private line = 0;

  constructor(
    private readonly src: string,
    private readonly filename: string,
  ) {}

  private get lex(): Lexer {
    if (this.lexer === undefined || this.epoch !== sharedBytesEpochNow()) {
      const bytes = sharedSourceBytes(this.src);
      this.epoch = sharedBytesEpochNow();
      this.lexer = new Lexer(this.src, this.filename, undefined, 1, { start: 0, end: 0, lineStart: 0 }, bytes);
    }
    return this.lexer;
  }

  /**
   * Parses the comment `src[start, end)` (from its `;`) as a run command;
   * undefined when it is not one. `lineStart` is the offset that column 1
   * stands for (the comment's start, for comments of the source).
   */
  read(start: number, end: number, lineStart: number, sig: Signature, line: number): RunCommand | undefined {
    const src = this.src;
    let p = start;
  for (; p < end; p++) {
    const c = src.charCodeAt(p);
    if (c !== 59 && c !== 32) break;
  }
    // Most comments are not commands: decide from char codes, slicing nothing.
    const c0 = src.charCodeAt(p);
    let kwEnd: number;
    if (c0 === 114 /* r */ && src.charCodeAt(p + 1) === 117 && src.charCodeAt(p + 2) === 110) kwEnd = p + 3;
    else if (c0 === 112 /* p */ && src.startsWith('print', p)) kwEnd = p + 5;
    else return undefined;
    if (kwEnd > end || (kwEnd < end && isWordCode(src.charCodeAt(kwEnd)))) return undefined;
    let bodyEnd = end;
    while (bodyEnd > p && isSpaceCode(src.charCodeAt(bodyEnd - 1))) bodyEnd--;
    const lex = this.lex;
    lex.reset(p, bodyEnd, lineStart, line);
    this.sig = sig;
    this.line = line;
    return this.parse(lex, src.slice(p, bodyEnd));
  }

  private err(detail: string): ParseError {
    return this.lex.error(detail);
  }
  private expected(what: string): ParseError {
    return this.err(`expected ${what}, found ${this.lex.describe()}`);
  }

  private parse(lex: Lexer, text: string): RunCommand {
    lex.next();
    const kind = lex.isIdent('run') ? 'run' : 'print';
    lex.next();
    const cmd: RunCommand = { kind, funcName: 'default', args: [], comparison: undefined, expected: [], line: this.line, text };
    if (lex.tok() !== Tok.Colon) {
      if (lex.tok() !== Tok.EOF) throw this.expected(`':' after '${kind}'`);
      if (kind === 'run') {
        const r = this.sig.returns;
        if (this.sig.params.length !== 0 || r.length !== 1 || isFloat(r[0].type) || isVector(r[0].type)) {
          throw this.err("a bare 'run' needs a function of type '() -> iN'; write 'run: %f(…) == …' instead");
        }
        cmd.comparison = '!=';
        cmd.expected = [dataValue(I8, 0n)];
      } else if (this.sig.params.length !== 0) {
        throw this.err("a bare 'print' needs a function without parameters; write 'print: %f(…)' instead");
      }
      return cmd;
    }
    lex.next();
    if (lex.tok() !== Tok.Name) throw this.expected("a function name like '%my_fn'");
    cmd.funcName = lex.text();
    lex.next();
    if (lex.tok() !== Tok.LPar) throw this.expected("'(' after the function name");
    lex.next();
    cmd.args = this.valueList(lex, this.sig.params, 'argument');
    if (lex.tok() !== Tok.RPar) throw this.expected(this.sig.params.length === 0 ? "')'" : "')' after the arguments");
    lex.next();
    if (kind === 'print') {
      if (lex.tok() !== Tok.EOF) throw this.expected('the end of the print command');
      return cmd;
    }
    if (lex.tok() === Tok.EOF && this.sig.returns.length === 0) {
      // `run: %f(…)` of a function without results: it must simply run.
      cmd.comparison = '==';
      return cmd;
    }
    if (lex.tok() === Tok.Equal) {
      lex.next();
      if (lex.tok() !== Tok.Equal) throw this.expected("'==' or '!='");
      cmd.comparison = '==';
    } else if (lex.tok() === Tok.Bang) {
      lex.next();
      if (lex.tok() !== Tok.Equal) throw this.expected("'!='");
      cmd.comparison = '!=';
    } else {
      throw this.expected("a comparison '==' or '!='");
    }
    lex.next();
    const rets = this.sig.returns;
    if (rets.length === 1) {
      cmd.expected = [this.value(lex, rets[0].type, 'expected value')];
    } else {
      if (lex.tok() !== Tok.LBracket) throw this.expected(`'[' around the ${rets.length} expected values`);
      lex.next();
      cmd.expected = this.valueList(lex, rets, 'expected value');
      if (lex.tok() !== Tok.RBracket) throw this.expected(`']' after the ${rets.length} expected values`);
      lex.next();
    }
    if (lex.tok() !== Tok.EOF) throw this.expected('the end of the run command');
    return cmd;
  }

  private valueList(lex: Lexer, params: readonly AbiParam[], what: string): DataValue[] {
    const out: DataValue[] = [];
    for (let i = 0; i < params.length; i++) {
      if (i > 0) {
        if (lex.tok() !== Tok.Comma) throw this.expected(`',' and ${params.length - i} more ${what}${params.length - i === 1 ? '' : 's'}`);
        lex.next();
      }
      out.push(this.value(lex, params[i].type, what));
    }
    return out;
  }

  private value(lex: Lexer, t: Type, what: string): DataValue {
    if (isDynamicVector(t)) throw this.err(`cannot write a ${what} of dynamic vector type ${typeName(t)}`);
    if (isVector(t)) {
      const lane = laneType(t);
      if (lex.tok() === Tok.LBracket) {
        lex.next();
        const w = laneBits(lane);
        const n = typeBytes(t) * 8 / w;
        // Lanes of up to 32 bits are gathered in 32-bit words (numbers),
        // so a vector costs a few BigInt operations rather than two a lane.
        const words = w <= 32 ? new Uint32Array(Math.ceil((n * w) / 32)) : undefined;
        const intLanes = words !== undefined && !isFloat(lane);
        let bits = 0n;
        for (let i = 0; i < n; i++) {
          if (lex.tok() !== Tok.Integer && lex.tok() !== Tok.Float) throw this.expected(`lane ${i} of ${typeName(t)} (${n} lanes)`);
          let small = NaN;
          if (intLanes && lex.tok() === Tok.Integer) {
            small = smallIntegerAt(lex.src, lex.start, lex.end);
            if (small < -pow2f(w - 1) || small > pow2f(w) - 1) small = NaN;
          }
          if (small !== small) {
            const v = laneLiteral(lane, lex.text(), lex.tok() === Tok.Float);
            if (typeof v === 'string') throw this.err(v);
            if (words === undefined) bits |= v << BigInt(i * w);
            else small = Number(v);
          }
          if (words !== undefined) {
            const lo = (i * w) & 31;
            words[(i * w) >> 5] |= (w === 32 ? small >>> 0 : small & ((1 << w) - 1)) << lo;
          }
          lex.next();
        }
        if (lex.tok() !== Tok.RBracket) throw this.expected(`']' after ${n} lanes of ${typeName(t)}`);
        lex.next();
        if (words !== undefined) {
          for (let k = words.length - 1; k >= 0; k--) bits = (bits << 32n) | BigInt(words[k]);
        }
        return dataValue(t, bits);
      }
      if (lex.tok() !== Tok.Integer) throw this.expected(`a ${typeName(t)} ${what}: a lane list '[…]' or hex '0x…'`);
      const b = hexToBytes(lex.text());
      if (typeof b === 'string') throw this.err(b);
      const e = expandBytes(b, typeBytes(t));
      if (typeof e === 'string') throw this.err(`${e} for ${typeName(t)}`);
      lex.next();
      return dataValue(t, bytesToBigInt(e));
    }
    const w = laneBits(t);
    if (isFloat(t)) {
      if (lex.tok() !== Tok.Float) throw this.expected(`an ${typeName(t)} ${what} (a float like 1.5, 0x1.8p0, Inf or NaN)`);
      const [e, m] = floatLayout(w);
      const v = parseFloatBits(lex.text(), e, m);
      if (typeof v === 'string') throw this.err(v);
      lex.next();
      // parseFloatBits yields exactly the float's width: no masking needed.
      return w === 16 || w === 32 || w === 64 ? { type: t, bits: v } : dataValue(t, v);
    }
    if (lex.tok() !== Tok.Integer) throw this.expected(`an ${typeName(t)} ${what}`);
    const small = smallIntegerOfWidthAt(lex.src, lex.start, lex.end, w);
    if (small !== undefined) {
      // Already the zero-extended pattern of width w: what dataValue would make.
      lex.next();
      return { type: t, bits: small };
    }
    const v = parseIntegerOfWidth(lex.text(), w);
    if (typeof v === 'string') throw this.err(v);
    lex.next();
    return dataValue(t, v);
  }
}
