// Conformance: every .clif file of upstream's filetests parses, and every
// function survives print → parse → print unchanged.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { printFunction } from '@clift/ir';
import { describe, expect, it } from 'vitest';
import { parseTestFile } from './index.js';

const ROOT = process.env.CLIFT_UPSTREAM_FILETESTS ?? path.resolve(import.meta.dirname, '../../../../shared/upstream-filetests');

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.clif')) out.push(p);
  }
  return out;
}

const present = existsSync(ROOT);
if (!present) {
  const msg = `upstream filetests not found at ${ROOT} (set CLIFT_UPSTREAM_FILETESTS)`;
  if (process.env.CI === 'true') throw new Error(msg);
  console.warn(`skipping upstream reader conformance: ${msg}`);
}

describe.skipIf(!present)('upstream filetests', () => {
  const files = present ? walk(ROOT).sort() : [];

  it('finds the folder populated', () => {
    expect(files.length).toBeGreaterThan(400);
  });

  // No upstream file is written to fail parsing: every `; error:` annotation
  // there is a verifier error, so all must parse.
  it('parses every file and round-trips every function', () => {
    const failures: string[] = [];
    let functions = 0;
    for (const f of files) {
      const rel = path.relative(ROOT, f);
      let tf;
      try {
        tf = parseTestFile(readFileSync(f, 'utf8'), rel);
      } catch (e) {
        failures.push(`parse: ${(e as Error).message}`);
        continue;
      }
      for (const pf of tf.functions) {
        functions++;
        const once = printFunction(pf.func);
        let twice: string;
        try {
          twice = printFunction(parseTestFile(once, `${rel} (reprinted)`).functions[0].func);
        } catch (e) {
          twice = `reparse failed: ${(e as Error).message}`;
        }
        if (once !== twice) failures.push(`round trip of ${rel}:${pf.line}\n${once}---\n${twice}`);
      }
    }
    expect(failures.slice(0, 5).join('\n')).toBe('');
    expect(functions).toBeGreaterThan(4000);
  });

  it('reads the run commands of the runtests', () => {
    let runs = 0;
    for (const f of files.filter((x) => x.includes(`${path.sep}runtests${path.sep}`))) {
      for (const pf of parseTestFile(readFileSync(f, 'utf8'), f).functions) runs += pf.runCommands.length;
    }
    expect(runs).toBeGreaterThan(8000);
  });
});
