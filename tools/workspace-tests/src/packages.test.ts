// Workspace invariants a user installing any single package relies on:
// each publishable package has an ESM `exports` map with types, builds to
// dist/ with declarations, and resolves by its own name under Node's ESM
// rules (checked in a separate Node process, not through Vite).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
interface Manifest {
  name: string;
  private?: boolean;
  type?: string;
  exports?: Record<string, unknown>;
  files?: string[];
  dependencies?: Record<string, string>;
}
const packages = readdirSync(join(root, 'packages')).map((d) => {
  const dir = join(root, 'packages', d);
  return { dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest };
});

describe.each(packages)('$manifest.name', ({ dir, manifest }) => {
  it('is an ESM package exporting "." with types and "./package.json"', () => {
    expect(manifest.type).toBe('module');
    const dot = manifest.exports?.['.'] as { types?: string; default?: string } | undefined;
    expect(dot?.types).toBe('./dist/index.d.ts');
    expect(dot?.default).toBe('./dist/index.js');
    expect(manifest.exports?.['./package.json']).toBe('./package.json');
    expect(manifest.files).toContain('dist');
  });

  it('depends on other @clift packages only through the workspace protocol', () => {
    for (const [name, range] of Object.entries(manifest.dependencies ?? {})) {
      if (name.startsWith('@clift/')) expect(range, name).toBe('workspace:^');
    }
  });

  it('builds to dist with declarations and resolves under Node ESM', () => {
    expect(existsSync(join(dir, 'dist/index.js')), 'dist/index.js (run the build first)').toBe(true);
    expect(existsSync(join(dir, 'dist/index.d.ts'))).toBe(true);
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(manifest.name)}); console.log(typeof m);`],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('object');
  });
});

it('keeps @clift/regalloc and @clift/isle free of other @clift packages', () => {
  for (const { manifest } of packages.filter((p) => ['@clift/regalloc', '@clift/isle'].includes(p.manifest.name))) {
    const deps = Object.keys(manifest.dependencies ?? {});
    expect(deps.filter((d) => d.startsWith('@clift/')), manifest.name).toEqual([]);
  }
});
