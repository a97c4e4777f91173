// Measures the mid-end on upstream's `test optimize` (egraph/) and
// `test alias-analysis` (alias/) files. Their check lines name upstream's
// value numbers, so instead of matching text this records, per function:
// verifier-clean output, instruction counts before and after, and, where
// the function takes only integer arguments and touches no memory or
// calls, equal interpreter results (values or traps) on pseudo-random
// inputs before and after. The counts print as a table row per directory.

import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataValue, dataValueListsEqual, formatUserFuncName, isInt, isScalar, printFunction, verifyFunction, formatVerifierErrors, typeBits, type Function } from '@clift/ir';
import { Interpreter } from '@clift/interpreter';
import { parseTestFile } from '@clift/reader';
import { countInsts, optimize } from '../src/index.js';
import { UPSTREAM, skipUpstream, listClif } from './corpus.js';

function rng(seed: number): () => bigint {
  let s = BigInt(seed) | 1n;
  return () => {
    s ^= (s << 13n) & 0xffffffffffffffffn;
    s ^= s >> 7n;
    s ^= (s << 17n) & 0xffffffffffffffffn;
    return s;
  };
}

/** Integer arguments only and a plain test-case name, so the interpreter can call it on random inputs. */
function interpretable(f: Function): boolean {
  return f.name.kind === 'testcase' && f.signature.params.every((p) => isInt(p.type) && isScalar(p.type));
}

for (const sub of ['egraph', 'alias']) {
  const dir = join(UPSTREAM, sub);
  describe.skipIf(skipUpstream(dir))(`upstream ${sub} files`, () => {
    test('optimize: verifier-clean and semantically equal (size counts printed)', () => {
      let funcs = 0, smaller = 0, equal = 0, larger = 0, semChecked = 0, before = 0, after = 0;
      const problems: string[] = [];
      for (const path of listClif(dir)) {
        const text = readFileSync(path, 'utf8');
        let orig, opt;
        try {
          orig = parseTestFile(text, path);
          opt = parseTestFile(text, path);
        } catch {
          continue;
        }
        opt.functions.forEach((pf, i) => {
          const f0 = orig.functions[i].func;
          if (verifyFunction(f0).length > 0) return;
          funcs++;
          const n0 = countInsts(f0);
          optimize(pf.func, { level: 'speed' });
          const n1 = countInsts(pf.func);
          before += n0;
          after += n1;
          if (n1 < n0) smaller++;
          else if (n1 === n0) equal++;
          else larger++;
          const errs = verifyFunction(pf.func);
          if (errs.length > 0) problems.push(`${path}: ${formatVerifierErrors(pf.func, errs)}`);
          // Memory and calls need an environment the random inputs do not model.
          if (!interpretable(f0) || /load|store|call|stack_addr|global_value|symbol_value|func_addr/.test(printFunction(f0))) return;
          const a = new Interpreter([f0], { stepLimit: 100_000 });
          const b = new Interpreter([pf.func], { stepLimit: 200_000 });
          const next = rng(i + 7);
          semChecked++;
          for (let k = 0; k < 8; k++) {
            const args = f0.signature.params.map((p) => dataValue(p.type, BigInt.asUintN(typeBits(p.type), next())));
            const name = (f0.name as { name: string }).name;
            // Random inputs can send a loop past the interpreter's step limit: no verdict then.
            const call = (it: Interpreter) => {
              try {
                return it.call(name, args);
              } catch {
                return undefined;
              }
            };
            const ra = call(a);
            if (ra === undefined) continue;
            const rb = call(b);
            if (rb === undefined) {
              problems.push(`${path}: %${name} fails after optimization on input ${k}`);
              continue;
            }
            const same = ra.kind === rb.kind && (ra.kind !== 'return' || rb.kind !== 'return' || dataValueListsEqual(ra.values, rb.values));
            if (!same) problems.push(`${path}: ${formatUserFuncName(f0.name)} differs on input ${k}`);
          }
        });
      }
      console.log(
        `${sub}: ${funcs} functions; ${smaller} smaller, ${equal} same size, ${larger} larger; ` +
          `${before} -> ${after} instructions; ${semChecked} checked in the interpreter`,
      );
      expect(problems).toEqual([]);
      expect(funcs).toBeGreaterThan(0);
    });
  });
}
