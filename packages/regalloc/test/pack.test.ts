// The package stands alone: pack it, install the tarball into an empty
// project (offline, no other @clift package), and run the README example.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ensureBuilt } from './build.js';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('pack', () => {
  it('installs from a tarball into an empty project and runs the README example', () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'clift-regalloc-pack-'));
    try {
      execFileSync('pnpm', ['pack', '--pack-destination', dir], { cwd: pkg, stdio: 'pipe' });
      const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
      expect(tgz).toBeDefined();
      const app = join(dir, 'app');
      execFileSync('mkdir', ['-p', app]);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
      execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, tgz as string)], { cwd: app, stdio: 'pipe' });
      copyFileSync(join(pkg, 'examples', 'three-address.mjs'), join(app, 'example.mjs'));
      const out = execFileSync(process.execPath, ['example.mjs'], { cwd: app, encoding: 'utf8' });
      expect(out).toContain('checker: ok');
      // The fuzzing subpath resolves too, without fast-check installed.
      const fz = execFileSync(process.execPath, ['--input-type=module', '-e', "import { generateFunction } from '@clift/regalloc/fuzzing'; console.log(generateFunction(1).blocks.length > 0)"], { cwd: app, encoding: 'utf8' });
      expect(fz.trim()).toBe('true');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
