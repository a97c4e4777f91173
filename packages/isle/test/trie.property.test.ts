// Property: the generated matcher picks a highest-priority matching rule.
// Random rule sets over (E, u32, u32) are compiled, transpiled, run on every
// input of a small domain, and compared with a direct reading of the rules.

import fc from 'fast-check';
import ts from 'typescript';
import { expect, test } from 'vitest';
import { compileSource } from '../src/index.js';

type ArgPat = { kind: 'wild' } | { kind: 'lit'; value: number } | { kind: 'var'; name: string };
interface RuleSpec {
  readonly prio: number;
  readonly e: ArgPat;
  readonly a: ArgPat;
  readonly b: ArgPat;
}

const VARIANTS = ['A', 'B', 'C'];
const ePat: fc.Arbitrary<ArgPat> = fc.oneof(
  fc.constant<ArgPat>({ kind: 'wild' }),
  fc.integer({ min: 0, max: 2 }).map<ArgPat>((value) => ({ kind: 'lit', value })),
);
const numPat: fc.Arbitrary<ArgPat> = fc.oneof(
  fc.constant<ArgPat>({ kind: 'wild' }),
  fc.integer({ min: 0, max: 2 }).map<ArgPat>((value) => ({ kind: 'lit', value })),
  fc.constantFrom<ArgPat>({ kind: 'var', name: 'x' }, { kind: 'var', name: 'y' }),
);
const rule: fc.Arbitrary<RuleSpec> = fc.record({ prio: fc.integer({ min: -1, max: 2 }), e: ePat, a: numPat, b: numPat });

function render(p: ArgPat, isEnum: boolean): string {
  if (p.kind === 'wild') return '_';
  if (p.kind === 'lit') return isEnum ? `(E.${VARIANTS[p.value]})` : String(p.value);
  return p.name;
}

function source(rules: readonly RuleSpec[]): string {
  const lines = ['(type u32 (primitive u32))', '(type E (enum A B C))', '(decl partial f (E u32 u32) u32)'];
  rules.forEach((r, i) => lines.push(`(rule ${r.prio} (f ${render(r.e, true)} ${render(r.a, false)} ${render(r.b, false)}) ${i})`));
  return lines.join('\n');
}

function matches(r: RuleSpec, e: number, a: number, b: number): boolean {
  const env = new Map<string, number>();
  const one = (p: ArgPat, v: number): boolean => {
    if (p.kind === 'wild') return true;
    if (p.kind === 'lit') return p.value === v;
    const prev = env.get(p.name);
    if (prev === undefined) {
      env.set(p.name, v);
      return true;
    }
    return prev === v;
  };
  return one(r.e, e) && one(r.a, a) && one(r.b, b);
}

test('the generated matcher returns a matching rule of the highest matching priority', () => {
  fc.assert(
    fc.property(fc.array(rule, { minLength: 1, maxLength: 12 }), (rules) => {
      const result = compileSource(source(rules), { overlapSeverity: 'off', shadowWarnings: false });
      expect(result.format()).toBe('');
      const js = ts.transpileModule(result.code!, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
      const exports: Record<string, unknown> = {};
      new Function('exports', js)(exports);
      const f = exports.constructor_f as (ctx: object, e: number, a: number, b: number) => number | undefined;
      for (let e = 0; e < 3; e++) {
        for (let a = 0; a < 4; a++) {
          for (let b = 0; b < 4; b++) {
            const got = f({}, e, a, b);
            const matching = rules.map((r, i) => ({ r, i })).filter(({ r }) => matches(r, e, a, b));
            if (matching.length === 0) {
              expect(got).toBeUndefined();
              continue;
            }
            const best = Math.max(...matching.map(({ r }) => r.prio));
            const allowed = matching.filter(({ r }) => r.prio === best).map(({ i }) => i);
            expect(allowed).toContain(got);
          }
        }
      }
    }),
    { numRuns: 150 },
  );
}, 60_000);
