// Two promises the generated code makes to the embedding code, end to end:
// - the tuple an infallible multi-output extern extractor returns is read
//   at once, so a Context may return one reused array instead of a fresh
//   one per match (matching then allocates nothing of its own);
// - with a types module, only the external types the module actually
//   mentions are imported, so an embedder supplies no unused types;
// - numbers an embedder supplies for an imported enum (`externEnumValues`)
//   become literal switch labels, checked against the types module when the
//   generated module loads.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildInline, TMP, typecheck } from './harness.js';

// Every node has two children; some also carry a number. `kids` is
// infallible and returns two outputs; `val` is fallible.
const TREE = `
(type u32 (primitive u32))
(type Node (primitive Node))
(decl kids (Node Node) Node)
(extern extractor infallible kids kids)
(decl val (u32) Node)
(extern extractor val val)
(decl add (u32 u32) u32)
(extern constructor add add)

(decl sum (Node) u32)
;; The kids of both children: one child's kids are extracted while the
;; other child, an output of the same earlier extraction, is still to be used.
(rule 2 (sum (kids (kids (val a) (val b)) (kids (val c) (val d)))) (add (add a b) (add c d)))
(rule 1 (sum (kids (val a) (val b))) (add a b))

(rule 0 (sum _) 0)

;; Only the first output is ever used.
(decl left_val (Node) u32)
(rule 1 (left_val (kids (val a) _)) a)
(rule 0 (left_val _) 0)
`;

interface TreeModule {
  constructor_sum(ctx: unknown, n: number): number;
  constructor_left_val(ctx: unknown, n: number): number;
}

describe('infallible multi-output extractors may reuse their tuple', () => {
  it('binds every output before the next Context call', async () => {
    const r = buildInline('contract_tree', TREE, { primitives: { Node: 'number' } });
    expect(typecheck([join(TMP, 'contract_tree.ts')])).toEqual([]);
    const mod = (await import(pathToFileURL(join(TMP, 'contract_tree.ts')).href)) as TreeModule;
    // Node n has kids 2n and 2n+1; nodes >= 4 also hold the value n.
    const scratch: [number, number] = [0, 0];
    let kidsCalls = 0;
    const ctx = {
      kids: (n: number) => {
        kidsCalls++;
        scratch[0] = 2 * n;
        scratch[1] = 2 * n + 1;
        return scratch; // the same array every time
      },
      val: (n: number) => (n >= 4 ? n : undefined),
      add: (a: number, b: number) => a + b,
    };
    // Node 1: kids 2 (kids 4, 5) and 3 (kids 6, 7). Reading 1's second
    // output after extracting 2's kids would give 5 for 3, and 30.
    expect(mod.constructor_sum(ctx, 1)).toBe(22);
    // Node 2: kids 4 (kids 8, 9) and 5 (kids 10, 11); late reads give 54.
    expect(mod.constructor_sum(ctx, 2)).toBe(38);
    // Node 3: kids 6 and 7 hold values, and so do their kids: rule 2 again.
    expect(mod.constructor_sum(ctx, 3)).toBe(12 + 13 + 14 + 15);
    expect(kidsCalls).toBe(9);
    expect(mod.constructor_left_val(ctx, 2)).toBe(4);
    // The second output of `left_val`'s extraction is read by no rule, and
    // no dead read of it is left in the code (strict `noUnusedLocals` above).
    expect(r.code).toMatch(/const v\d+ = v\d+\[0\];/);
  });
});

describe('imports from the types module', () => {
  it('imports only the external types the generated code mentions', () => {
    const source = `
(type u32 (primitive u32))
(type Used (primitive Used))
(type Unused (primitive Unused))
(type UsedEnum extern (enum A B))
(type UnusedEnum extern (enum C D))
(decl f (Used) UsedEnum)
(extern constructor f f)
(decl g (Used) u32)
(rule (g x) (h (f x)))
(decl h (UsedEnum) u32)
(rule (h (UsedEnum.A)) 1)
(rule (h (UsedEnum.B)) 2)
`;
    const r = buildInline('contract_imports', source, { typesModule: './types.js' });
    expect(r.code).toContain("import type { Used } from './types.js';");
    expect(r.code).toContain("import { UsedEnum } from './types.js';");
    expect(r.code).not.toMatch(/\bUnused(Enum)?\b/);
  });
});

describe('inlined extern enum values', () => {
  const source = `
(type u32 (primitive u32))
(type Color extern (enum Red Green Blue))
(decl shade (Color) u32)
(rule (shade (Color.Red)) 10)
(rule (shade (Color.Green)) 20)
(rule (shade (Color.Blue)) 30)
(decl is_red (Color) u32)
(rule 1 (is_red (Color.Red)) 1)
(rule 0 (is_red _) 0)
`;
  interface ShadeModule {
    constructor_shade(ctx: unknown, c: number): number | undefined;
    constructor_is_red(ctx: unknown, c: number): number;
  }
  const writeTypes = (): void => {
    // The embedder's enum: tags that are not the variants' declaration order.
    writeFileSync(join(TMP, 'inline_types.ts'), 'export const Color = { Red: 7, Green: 3, Blue: 12 } as const;\nexport type Color = number;\n');
  };

  it('switches on literal labels and matches like the symbolic form', async () => {
    const r = buildInline('contract_inline', source, { typesModule: './inline_types.js', externEnumValues: { Color: { Red: 7, Green: 3, Blue: 12 } } });
    writeTypes();
    expect(r.code).toContain('case 7 /* Color.Red */');
    expect(r.code).toContain('=== 7) { // Color.Red');
    expect(r.code).not.toMatch(/case Color\./);
    expect(typecheck([join(TMP, 'contract_inline.ts')])).toEqual([]);
    const mod = (await import(pathToFileURL(join(TMP, 'contract_inline.ts')).href)) as ShadeModule;
    expect([7, 3, 12].map((c) => mod.constructor_shade({}, c))).toEqual([10, 20, 30]);
    expect([7, 3].map((c) => mod.constructor_is_red({}, c))).toEqual([1, 0]);
  });

  it('refuses to load when the types module disagrees with the inlined numbers', async () => {
    buildInline('contract_inline_stale', source, { typesModule: './inline_types.js', externEnumValues: { Color: { Red: 7, Green: 4, Blue: 12 } } });
    writeTypes();
    await expect(import(pathToFileURL(join(TMP, 'contract_inline_stale.ts')).href)).rejects.toThrow(
      /generated ISLE code is stale: Color\.Green is 3, the code assumes 4; regenerate it/,
    );
  });

  it('keeps the symbolic form for enums without supplied values', () => {
    const r = buildInline('contract_inline_none', source, { typesModule: './inline_types.js' });
    expect(r.code).toContain('case Color.Red:');
    expect(r.code).not.toContain('$inlinedTags');
  });
});
