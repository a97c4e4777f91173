// Runs many test files: collects `.clif` files from files and folders,
// runs them on a pool of worker threads (or in this thread), writes blessed
// expectations back, and reports each file's outcome as it finishes.
//
// Workers load the compiled `worker.js` beside this module. When this
// module runs from TypeScript sources (under vitest) there is no compiled
// worker, and files run in this thread instead — same results, one core.
//
// Invariant: outcomes come back in the order of the input file list,
// whatever order the workers finish in.

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { runTestText, type FileOutcome, type RunFileOptions, type TestRecord } from './run-file.js';

/** A path given to the runner that is neither a file nor a folder. */
export class MissingPathError extends Error {
  constructor(readonly path: string) {
    super(`no such file or directory: ${path}`);
    this.name = 'MissingPathError';
  }
}

/** Every `.clif` file under the given files and folders, folders recursively in sorted order. */
export function collectTestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.clif')) out.push(p);
    }
  };
  for (const p of paths) {
    if (!existsSync(p)) throw new MissingPathError(p);
    if (statSync(p).isDirectory()) walk(p);
    else out.push(p);
  }
  return out;
}

/** Reads, runs and (when blessing changed it) rewrites one file. */
export function runTestFile(path: string, options: RunFileOptions = {}): FileOutcome {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const record: TestRecord = { path, test: '-', target: '-', status: 'fail', message: `cannot read: ${(e as Error).message}` };
    return { path, records: [record], durationMs: 0 };
  }
  const outcome = runTestText(path, text, options);
  if (outcome.updatedText !== undefined) writeFileSync(path, outcome.updatedText);
  return outcome;
}

export interface RunOptions extends RunFileOptions {
  /** Worker threads; 1 runs in this thread. Default: the number of cores. */
  readonly jobs?: number;
  /** Called as each file finishes (in completion order). */
  readonly onOutcome?: (outcome: FileOutcome, done: number, total: number) => void;
}

/** Message from a worker: one finished file. */
export interface WorkerReply {
  readonly index: number;
  readonly outcome: FileOutcome;
}

/** Message to a worker: one file to run. */
export interface WorkerRequest {
  readonly index: number;
  readonly path: string;
  readonly bless: boolean;
}

function workerScript(): URL | undefined {
  const url = new URL('./worker.js', import.meta.url);
  if (!import.meta.url.endsWith('.js')) return undefined;
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

/** Runs `files` and returns their outcomes in input order. */
export async function runTestFiles(files: readonly string[], options: RunOptions = {}): Promise<FileOutcome[]> {
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), files.length));
  const script = workerScript();
  const results: FileOutcome[] = new Array<FileOutcome>(files.length);
  let done = 0;
  const finish = (i: number, o: FileOutcome): void => {
    results[i] = o;
    done++;
    options.onOutcome?.(o, done, files.length);
  };
  if (jobs <= 1 || script === undefined) {
    files.forEach((f, i) => finish(i, runTestFile(f, options)));
    return results;
  }
  let next = 0;
  const bless = options.bless ?? false;
  await Promise.all(
    Array.from({ length: jobs }, () => {
      const worker = new Worker(script);
      return new Promise<void>((resolve) => {
        let current = -1;
        const feed = (): void => {
          if (next >= files.length) {
            void worker.terminate().then(() => resolve());
            return;
          }
          current = next++;
          const req: WorkerRequest = { index: current, path: files[current], bless };
          worker.postMessage(req);
        };
        worker.on('message', (reply: WorkerReply) => {
          finish(reply.index, reply.outcome);
          feed();
        });
        worker.on('error', (e) => {
          // A crashed worker loses only its current file: report it and retire
          // the worker; the others take the remaining files.
          if (current >= 0) {
            const path = files[current];
            finish(current, {
              path,
              records: [{ path, test: '-', target: '-', status: 'fail', message: `worker crashed: ${e.stack ?? e.message}` }],
              durationMs: 0,
            });
          }
          void worker.terminate().then(() => resolve());
        });
        feed();
      });
    }),
  );
  // Files left over when every worker crashed run here.
  for (let i = 0; i < files.length; i++) if (results[i] === undefined) finish(i, runTestFile(files[i], options));
  return results;
}

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

export function tally(records: readonly TestRecord[]): Tally {
  const t: Tally = { passed: 0, failed: 0, skipped: 0 };
  for (const r of records) {
    if (r.status === 'pass') t.passed++;
    else if (r.status === 'fail') t.failed++;
    else t.skipped++;
  }
  return t;
}

/** `3 passed, 1 failed` with `, 2 skipped` when any were skipped. */
export function formatTally(t: Tally): string {
  return `${t.passed} passed, ${t.failed} failed${t.skipped > 0 ? `, ${t.skipped} skipped` : ''}`;
}
