// Parse + verify throughput (CLIF instructions per second) over upstream's
// filetests. The benchmark lives with @clift/filetests, where the reader
// and IR packages resolve by name; this script runs it from the repo root:
//   pnpm exec tsx bench/parse-verify.bench.ts

import { execFileSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'filetests');
execFileSync(process.execPath, ['--import', 'tsx', 'bench/parse-verify.bench.ts'], { cwd: pkg, stdio: 'inherit' });
