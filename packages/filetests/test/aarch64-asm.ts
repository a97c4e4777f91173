// Test support for the AArch64 run harness: turns GNU assembler text into
// the `CompiledCode` a backend would produce (the `.text` bytes and the
// assembler's relocations), so the harness can be tested before the
// compiler exists. Needs binutils-aarch64-linux-gnu; callers check
// `toolchainStatus()` first.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompiledCode, Relocation, RelocKind } from '@clift/codegen';

const BY_ELF_NAME: ReadonlyMap<string, RelocKind> = new Map([
  ['R_AARCH64_CALL26', 'Arm64Call'],
  ['R_AARCH64_ADR_PREL_PG_HI21', 'Aarch64AdrPrelPgHi21'],
  ['R_AARCH64_ADD_ABS_LO12_NC', 'Aarch64AddAbsLo12Nc'],
]);

function runOk(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { timeout: 20_000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} failed:\n${r.stderr.toString()}`);
  return r.stdout.toString();
}

/** Assembles one function body. */
export function assembleFunction(asm: string): CompiledCode {
  const dir = mkdtempSync(join(tmpdir(), 'clift-asm-'));
  try {
    writeFileSync(join(dir, 'f.s'), `.text\n${asm}\n`);
    runOk('aarch64-linux-gnu-as', ['-o', join(dir, 'f.o'), join(dir, 'f.s')]);
    runOk('aarch64-linux-gnu-objcopy', ['-O', 'binary', '--only-section=.text', join(dir, 'f.o'), join(dir, 'f.bin')]);
    const relocations: Relocation[] = [];
    for (const line of runOk('aarch64-linux-gnu-readelf', ['-r', '-W', join(dir, 'f.o')]).split('\n')) {
      const m = /^([0-9a-f]+)\s+[0-9a-f]+\s+(R_AARCH64_\w+)\s+[0-9a-f]+\s+(\S+) \+ ([0-9a-f]+)/.exec(line);
      if (!m) continue;
      const kind = BY_ELF_NAME.get(m[2]);
      if (!kind) throw new Error(`unexpected relocation ${m[2]} in test assembly`);
      relocations.push({ offset: Number.parseInt(m[1], 16), kind, target: { kind: 'symbol', name: m[3] }, addend: BigInt(`0x${m[4]}`) });
    }
    return { bytes: new Uint8Array(readFileSync(join(dir, 'f.bin'))), alignment: 4, relocations, traps: [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
