// AArch64 compile throughput per pass and code size, over upstream's
// runtests and a generated 20,000-instruction function, with LLVM's llc on
// the same program for scale. The benchmark lives with @clift/filetests,
// where the compiler packages resolve by name; this script runs it from
// the repo root:
//   pnpm exec tsx bench/compile.bench.ts

import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'filetests');
execFileSync(process.execPath, ['--import', 'tsx', 'bench/compile.bench.ts'], { cwd: pkg, stdio: 'inherit' });
