import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/index.js';

interface Captured {
  status: number;
  out: string;
  err: string;
}

async function run(argv: string[], env: Record<string, string> = {}): Promise<Captured> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, env };
  const status = await main(argv, io);
  return { status, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'clif-cli-'));
const good = join(dir, 'good.clif');
const bad = join(dir, 'bad.clif');
const failing = join(dir, 'failing.clif');
const skipping = join(dir, 'skipping.clif');
const invalid = join(dir, 'invalid.clif');
writeFileSync(good, 'test cat\nfunction %a(i32) -> i32 {\nblock0(v0: i32):\n    return v0\n}\n; check: return v0\n');
writeFileSync(bad, 'test cat\nfunction %b() {\nblock0:\n    nonsense v9\n}\n');
writeFileSync(failing, 'test cat\nfunction %c() {\nblock0:\n    return\n}\n; check: trap\n');
writeFileSync(skipping, 'test dce\nfunction %d() {\nblock0:\n    return\n}\n');
writeFileSync(invalid, 'test verifier\nfunction %e() -> i32 {\nblock0:\n    v0 = iadd.i32 v1, v1\n    v1 = iconst.i32 1\n    return v0\n}\n');

function lastLine(s: string): string {
  const lines = s.trimEnd().split('\n');
  return lines[lines.length - 1];
}

describe('clif (in-process)', () => {
  it('prints help and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.status).toBe(0);
    expect(r.out).toContain('clif test [OPTIONS] PATH');
  });

  it('rejects unknown commands and flags with status 2, naming them', async () => {
    const a = await run(['bogus']);
    expect(a.status).toBe(2);
    expect(a.err).toContain("unknown command 'bogus'");
    const b = await run(['test', '--nope', good]);
    expect(b.status).toBe(2);
    expect(b.err).toContain("unknown option '--nope'");
    expect(b.err).toContain("clif help test");
  });

  it('test: exit 0 when all pass, last line is the tally', async () => {
    const r = await run(['test', good]);
    expect(r.status).toBe(0);
    expect(lastLine(r.out)).toBe('1 passed, 0 failed');
  });

  it('test: exit 1 on failure, printing file, function, directive and output', async () => {
    const r = await run(['test', '-j', '1', good, failing, skipping]);
    expect(r.status).toBe(1);
    expect(r.out).toContain(`FAIL ${failing} [test cat]`);
    expect(r.out).toContain('function %c (line 2)');
    expect(r.out).toContain('`check: trap`');
    expect(r.out).toContain(`skip ${skipping} [test dce]: test dce is not implemented yet`);
    expect(lastLine(r.out)).toBe('1 passed, 1 failed, 1 skipped');
  });

  it('test: a missing path is a usage-level error', async () => {
    const r = await run(['test', join(dir, 'missing.clif')]);
    expect(r.status).toBe(2);
    expect(r.err).toContain('no such file or directory');
  });

  it('test --json writes one record per file, test and target', async () => {
    const json = join(dir, 'out.json');
    const r = await run(['test', '--json', json, good, failing]);
    expect(r.status).toBe(1);
    const records = JSON.parse(readFileSync(json, 'utf8')) as { path: string; status: string }[];
    expect(records.map((x) => [x.path, x.status])).toEqual([
      [good, 'pass'],
      [failing, 'fail'],
    ]);
    expect(Object.keys(records[0]).sort()).toEqual(['message', 'path', 'status', 'target', 'test']);
  });

  it('cat: prints good files, reports bad ones with their location, goes on, exits 1', async () => {
    const r = await run(['cat', bad, good, join(dir, 'missing.clif')]);
    expect(r.status).toBe(1);
    expect(r.out).toBe('function %a(i32) -> i32 fast {\nblock0(v0: i32):\n    return v0\n}\n');
    expect(r.err).toMatch(new RegExp(`error: ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:\\d+: `));
    expect(r.err).toContain('missing.clif: no such file');
    expect((await run(['cat', good])).status).toBe(0);
  });

  it('verify: reports verifier errors with their location; -p prints the function', async () => {
    const r = await run(['verify', invalid]);
    expect(r.status).toBe(1);
    expect(r.err).toContain('invalid.clif:2: function %e: 2 verifier errors');
    expect(r.err).toContain('inst0');
    const ok = await run(['verify', '-p', good]);
    expect(ok.status).toBe(0);
    expect(ok.out).toContain('function %a(i32) -> i32 fast {');
    expect(ok.out).toContain('1 function verified');
  });
});

const cli = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli.js');
describe('clif (built binary)', () => {
  // The binary exists only after `pnpm --filter @clift/clif-util build`; the
  // in-process tests above cover the same logic without it.
  it.runIf(existsSync(cli))('runs as a process with the same exit codes', () => {
    const ok = spawnSync(process.execPath, [cli, 'test', good], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(lastLine(ok.stdout)).toBe('1 passed, 0 failed');
    // Two files on two jobs: the compiled runner uses worker threads.
    const two = spawnSync(process.execPath, [cli, 'test', '-j', '2', good, failing], { encoding: 'utf8' });
    expect(two.status).toBe(1);
    expect(two.stdout).toContain(`FAIL ${failing} [test cat]`);
    expect(lastLine(two.stdout)).toBe('1 passed, 1 failed');
    const bad2 = spawnSync(process.execPath, [cli, 'frob'], { encoding: 'utf8' });
    expect(bad2.status).toBe(2);
    expect(bad2.stderr).toContain("unknown command 'frob'");
  });
});

describe('clif interpret', () => {
  it('runs each run line and reports ok or the mismatch', async () => {
    const file = join(dir, 'interp.clif');
    writeFileSync(
      file,
      'test interpret\nfunction %sq(i32) -> i32 {\nblock0(v0: i32):\n    v1 = imul v0, v0\n    return v1\n}\n; run: %sq(3) == 9\n; run: %sq(4) == 15\n; print: %sq(5)\n',
    );
    const r = await run(['interpret', file]);
    expect(r.status).toBe(1);
    expect(r.out).toContain(`${file}:7: ok %sq(3) == 9`);
    expect(r.out).toMatch(/:8: FAIL run: %sq\(4\) == 15\n\s+expected 15\n\s+actual\s+16/);
    expect(r.out).toContain(`${file}:9: %sq(5) -> 25`);
  });

  it('needs files', async () => {
    const r = await run(['interpret']);
    expect(r.status).toBe(2);
    expect(r.err).toContain('clif interpret: no files given');
  });
});
