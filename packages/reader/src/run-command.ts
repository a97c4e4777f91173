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

import type { DataValue, Signature, Type } from '@clift/ir';
import { I8, dataValue, isDynamicVector, isFloat, isVector, laneBits, laneType, typeBytes, typeName } from '@clift/ir';
import { bytesToBigInt, expandBytes, hexToBytes, laneLiteral } from './constants.js';
import { ParseError } from './errors.js';
import { Lexer, Tok } from './lexer.js';
import { floatLayout, parseFloatBits, parseIntegerOfWidth } from './numbers.js';

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
  let skip = 0;
  while (skip < text.length && (text[skip] === ';' || text[skip] === ' ')) skip++;
  const body = text.slice(skip).trimEnd();
  if (!/^(run|print)\b/.test(body)) return undefined;
  const startCol = column + skip;
  const lex = new Lexer(' '.repeat(startCol - 1) + body, filename, undefined, line);
  return new RunParser(lex, sig, line, body).parse();
}

class RunParser {
  constructor(
    private readonly lex: Lexer,
    private readonly sig: Signature,
    private readonly line: number,
    private readonly text: string,
  ) {}

  private err(detail: string): ParseError {
    return this.lex.error(detail);
  }
  private expected(what: string): ParseError {
    return this.err(`expected ${what}, found ${this.lex.describe()}`);
  }

  parse(): RunCommand {
    const lex = this.lex;
    lex.next();
    const kind = lex.isIdent('run') ? 'run' : 'print';
    lex.next();
    const cmd: RunCommand = { kind, funcName: 'default', args: [], comparison: undefined, expected: [], line: this.line, text: this.text };
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
    cmd.args = this.valueList(this.sig.params.map((p) => p.type), 'argument');
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
    const rets = this.sig.returns.map((p) => p.type);
    if (rets.length === 1) {
      cmd.expected = [this.value(rets[0], 'expected value')];
    } else {
      if (lex.tok() !== Tok.LBracket) throw this.expected(`'[' around the ${rets.length} expected values`);
      lex.next();
      cmd.expected = this.valueList(rets, 'expected value');
      if (lex.tok() !== Tok.RBracket) throw this.expected(`']' after the ${rets.length} expected values`);
      lex.next();
    }
    if (lex.tok() !== Tok.EOF) throw this.expected('the end of the run command');
    return cmd;
  }

  private valueList(types: Type[], what: string): DataValue[] {
    const out: DataValue[] = [];
    for (let i = 0; i < types.length; i++) {
      if (i > 0) {
        if (this.lex.tok() !== Tok.Comma) throw this.expected(`',' and ${types.length - i} more ${what}${types.length - i === 1 ? '' : 's'}`);
        this.lex.next();
      }
      out.push(this.value(types[i], what));
    }
    return out;
  }

  private value(t: Type, what: string): DataValue {
    const lex = this.lex;
    if (isDynamicVector(t)) throw this.err(`cannot write a ${what} of dynamic vector type ${typeName(t)}`);
    if (isVector(t)) {
      const lane = laneType(t);
      if (lex.tok() === Tok.LBracket) {
        lex.next();
        const w = laneBits(lane);
        let bits = 0n;
        const n = typeBytes(t) * 8 / w;
        for (let i = 0; i < n; i++) {
          if (lex.tok() !== Tok.Integer && lex.tok() !== Tok.Float) throw this.expected(`lane ${i} of ${typeName(t)} (${n} lanes)`);
          const v = laneLiteral(lane, lex.text(), lex.tok() === Tok.Float);
          if (typeof v === 'string') throw this.err(v);
          bits |= v << BigInt(i * w);
          lex.next();
        }
        if (lex.tok() !== Tok.RBracket) throw this.expected(`']' after ${n} lanes of ${typeName(t)}`);
        lex.next();
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
      return dataValue(t, v);
    }
    if (lex.tok() !== Tok.Integer) throw this.expected(`an ${typeName(t)} ${what}`);
    const v = parseIntegerOfWidth(lex.text(), w);
    if (typeof v === 'string') throw this.err(v);
    lex.next();
    return dataValue(t, v);
  }
}
