// The external programs `test run` needs to execute AArch64 code: GNU as
// and ld for AArch64 (Debian `binutils-aarch64-linux-gnu`) and QEMU's
// user-mode emulator (Debian `qemu-user-static`), or nothing but the
// executable itself on an AArch64 Linux host. This module finds them,
// runs them synchronously with time limits, and turns their failures into
// `ToolchainError`s that carry the tool's own output.
//
// Invariant: nothing here emulates or interprets AArch64 code; the processor
// model is QEMU's (or the host's).

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export type ToolchainErrorKind = 'missing' | 'assemble' | 'link' | 'timeout' | 'spawn';

export class ToolchainError extends Error {
  override readonly name = 'ToolchainError';
  constructor(
    readonly kind: ToolchainErrorKind,
    detail: string,
  ) {
    super(detail);
  }
}

interface ToolSpec {
  readonly command: string;
  readonly debianPackage: string;
  /** Needed only to execute (not when the host runs AArch64 code natively). */
  readonly emulator: boolean;
}

const TOOLS: readonly ToolSpec[] = [
  { command: 'aarch64-linux-gnu-as', debianPackage: 'binutils-aarch64-linux-gnu', emulator: false },
  { command: 'aarch64-linux-gnu-ld', debianPackage: 'binutils-aarch64-linux-gnu', emulator: false },
  { command: 'qemu-aarch64-static', debianPackage: 'qemu-user-static', emulator: true },
];

/** Whether AArch64 executables run directly on this machine. */
export function hostRunsAarch64(): boolean {
  return process.arch === 'arm64' && process.platform === 'linux';
}

export interface ToolchainStatus {
  /** Commands that are not on PATH. */
  readonly missing: readonly string[];
  /** Debian packages that provide them. */
  readonly packages: readonly string[];
  /** A sentence naming what is missing and how to install it; empty when nothing is. */
  readonly message: string;
}

let cachedStatus: ToolchainStatus | undefined;

/** Which tools are missing (cached: PATH does not change during a run). */
export function toolchainStatus(): ToolchainStatus {
  if (cachedStatus) return cachedStatus;
  const native = hostRunsAarch64();
  const missing = TOOLS.filter((t) => !(native && t.emulator) && spawnSync(t.command, ['--version'], { stdio: 'ignore' }).error !== undefined);
  const packages = [...new Set(missing.map((t) => t.debianPackage))];
  const message =
    missing.length === 0
      ? ''
      : `cannot execute AArch64 code: ${missing.map((t) => t.command).join(', ')} not found; install the Debian package(s) ${packages.join(' ')} (scripts/setup.sh does)`;
  cachedStatus = { missing: missing.map((t) => t.command), packages, message };
  return cachedStatus;
}

/** Under CI a missing toolchain is a failure, elsewhere a skip with a message. */
export function missingToolchainIsFailure(): boolean {
  return process.env.CI === 'true';
}

/** The `code` of a spawn error (`ENOENT`, `ETIMEDOUT`), if it has one. */
function errnoCode(e: Error | undefined): string | undefined {
  return e !== undefined && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function spawn(command: string, args: readonly string[], timeoutMs: number): { status: number | null; signal: NodeJS.Signals | null; stdout: Buffer; stderr: Buffer } {
  const r = spawnSync(command, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) {
    const code = errnoCode(r.error);
    if (code === 'ENOENT') throw new ToolchainError('missing', `${command} not found: ${toolchainStatus().message}`);
    if (code === 'ETIMEDOUT') throw new ToolchainError('timeout', `${command} did not finish within ${timeoutMs} ms`);
    throw new ToolchainError('spawn', `${command}: ${r.error.message}`);
  }
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Assembles `source` (already written to `sourcePath`) into `objectPath`. */
export function assemble(sourcePath: string, objectPath: string): void {
  const r = spawn('aarch64-linux-gnu-as', ['-o', objectPath, sourcePath], 30_000);
  if (r.status !== 0) throw new ToolchainError('assemble', `aarch64-linux-gnu-as failed:\n${r.stderr.toString()}`);
}

/** Where Debian's cross packages put the AArch64 C library and libgcc. */
const CROSS_LIB_DIR = '/usr/aarch64-linux-gnu/lib';
const CROSS_GCC_DIR = '/usr/lib/gcc-cross/aarch64-linux-gnu';

/**
 * Libraries that resolve libcalls (`ceilf`, `fmaf`, `__udivti3`, …): the
 * real AArch64 libm/libc from `libc6-dev-arm64-cross` and libgcc from
 * `libgcc-12-dev-arm64-cross`, when installed. Without them a program that
 * makes a libcall fails to link, with ld naming the symbol.
 */
export function libcallLibraries(): string[] {
  const args: string[] = [];
  if (existsSync(join(CROSS_LIB_DIR, 'libm.a'))) args.push(`-L${CROSS_LIB_DIR}`, '-lm', '-lc');
  if (existsSync(CROSS_GCC_DIR)) {
    for (const v of readdirSync(CROSS_GCC_DIR).sort().reverse()) {
      const lib = join(CROSS_GCC_DIR, v, 'libgcc.a');
      if (existsSync(lib)) {
        args.push(lib);
        break;
      }
    }
  }
  return args.length === 0 ? [] : ['--start-group', ...args, '--end-group'];
}

/** Links objects into a static executable whose entry is `_start`. */
export function linkStatic(objectPaths: readonly string[], exePath: string): void {
  const r = spawn('aarch64-linux-gnu-ld', ['-static', '-o', exePath, ...objectPaths, ...libcallLibraries()], 30_000);
  if (r.status !== 0) throw new ToolchainError('link', `aarch64-linux-gnu-ld failed:\n${r.stderr.toString()}${r.stdout.toString()}`);
}

export interface ExecutionResult {
  /** Exit status, or null when a signal ended the process. */
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: Uint8Array;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs an AArch64 executable under QEMU (or natively on an AArch64 host). */
export function execute(exePath: string, timeoutMs: number): ExecutionResult {
  const [command, args] = hostRunsAarch64() ? [exePath, []] : ['qemu-aarch64-static', [exePath]];
  const r = spawnSync(command, args, { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  const timedOut = errnoCode(r.error) === 'ETIMEDOUT';
  if (r.error && !timedOut) {
    if (errnoCode(r.error) === 'ENOENT') throw new ToolchainError('missing', `${command} not found: ${toolchainStatus().message}`);
    throw new ToolchainError('spawn', `${command}: ${r.error.message}`);
  }
  return {
    status: r.status,
    signal: r.signal,
    stdout: new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.byteLength),
    stderr: r.stderr.toString(),
    timedOut,
  };
}
