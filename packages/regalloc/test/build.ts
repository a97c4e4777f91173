// Builds dist/ when it is missing: turbo's test task does not build this package
// itself, and the README and pack tests run the built package.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Builds dist/ when it is missing (turbo's test task does not build this package). */
export function ensureBuilt(): void {
  if (existsSync(join(pkg, 'dist', 'index.js')) && existsSync(join(pkg, 'dist', 'fuzzing', 'index.js'))) return;
  const tsc = join(pkg, 'node_modules', '.bin', 'tsc');
  const bin = existsSync(tsc) ? tsc : join(pkg, '..', '..', 'node_modules', '.bin', 'tsc');
  execFileSync(bin, ['-p', 'tsconfig.build.json'], { cwd: pkg, stdio: 'pipe' });
}

