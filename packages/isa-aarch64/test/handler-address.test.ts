// `get_exception_handler_address`: an `adr` whose target is the machine
// block the named try_call's exception edge enters (its handler block, or
// the edge block in front of it when the edge is critical). Checked on
// upstream's aarch64 filetests that use it and on a handler reached through
// a critical edge, by decoding the emitted `adr` and the block offsets of
// the listing; both allocators, checker on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlockLoweringOrder, parseSharedFlags } from '@clift/codegen';
import { formatUserFuncName, Opcode, type Block, type Function } from '@clift/ir';
import { parseFunctions, parseTestFile } from '@clift/reader';
import { describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';
import { upstreamDir } from './upstream.js';

const dir = upstreamDir();

/** A handler (block3) reached from two try_calls: each exception edge is critical and gets an edge block. */
const CRITICAL = `
function %critical(i64) -> i64 {
    sig0 = () tail
    fn0 = %g() tail
block0(v0: i64):
    v1 = get_exception_handler_address.i64 block1, 0
    v2 = get_exception_handler_address.i64 block2, 1
    brif v0, block1, block2
block1:
    try_call fn0(), sig0, block4(), [ tag1: block3(), default: block5() ]
block2:
    try_call fn0(), sig0, block4(), [ tag1: block5(), default: block3() ]
block3:
    return v1
block4:
    return v2
block5:
    v3 = iadd v1, v2
    return v3
}
`;

/** For each get_exception_handler_address in `func`: the machine block it must address. */
function expectedTargets(func: Function): number[] {
  const order = new BlockLoweringOrder(func);
  const out: number[] = [];
  for (const b of func.layout.blocks())
    for (const i of func.layout.blockInsts(b))
      if (func.dfg.opcode(i) === Opcode.GetExceptionHandlerAddress) {
        const block = func.dfg.imm0(i) as Block;
        const index = func.dfg.imm1(i);
        out.push(order.blockSuccs(order.loweredIndex[block])[1 + index]);
      }
  return out;
}

/** [offset of the adr, its target] for every adr the code holds, and the listing's block offsets. */
function decode(bytes: Uint8Array, listing: string): { adrs: [number, number][]; blockAt: Map<number, number> } {
  const adrs: [number, number][] = [];
  for (let off = 0; off < bytes.length; off += 4) {
    const w = (bytes[off] | (bytes[off + 1] << 8) | (bytes[off + 2] << 16) | (bytes[off + 3] << 24)) >>> 0;
    if ((w & 0x9f000000) >>> 0 !== 0x10000000) continue;
    const imm = ((((w >>> 5) & 0x7ffff) << 2) | ((w >>> 29) & 3)) << 11 >> 11;
    adrs.push([off, off + imm]);
  }
  const blockAt = new Map<number, number>();
  for (const m of listing.matchAll(/^block(\d+): ; offset 0x([0-9a-f]+)$/gm)) blockAt.set(Number(m[1]), parseInt(m[2], 16));
  return { adrs, blockAt };
}

function check(func: () => Function, settings: { name: string; value: string }[] = []): void {
  for (const algorithm of ['backtracking', 'single_pass']) {
    const flags = parseSharedFlags([...settings, { name: 'regalloc_checker', value: 'true' }, { name: 'regalloc_algorithm', value: algorithm }]);
    const f = func();
    const want = expectedTargets(f);
    const r = compile(f, { flags, disassemble: true });
    const { adrs, blockAt } = decode(r.bytes, r.disassembly!);
    expect(adrs.map(([, t]) => t).sort((a, b) => a - b), `${formatUserFuncName(f.name)} (${algorithm})`).toEqual(
      want.map((mb) => blockAt.get(mb)!).sort((a, b) => a - b),
    );
  }
}

describe('get_exception_handler_address', () => {
  it('addresses the handler through its critical edge', () => {
    check(() => parseFunctions(CRITICAL)[0]);
    // Both addresses land on edge blocks, which then jump to block3's code.
    const f = parseFunctions(CRITICAL)[0];
    const order = new BlockLoweringOrder(f);
    for (const mb of expectedTargets(f)) expect(order.isEdge(mb)).toBe(true);
  });

  it.skipIf(!dir)("matches upstream's filetests", () => {
    const load = (file: string, name: string, line?: number) => () => {
      const t = parseTestFile(readFileSync(join(dir!, file), 'utf8'), file);
      return t.functions.find((f) => formatUserFuncName(f.func.name) === name && (line === undefined || f.line === line))!.func;
    };
    check(load('isa/aarch64/exception-handler-address.clif', '%f0', 8));
    check(load('isa/aarch64/exception-handler-address.clif', '%f0', 162));
    check(load('isa/aarch64/exceptions.clif', '%f5'));
    // In the first, index 0 is tag0's handler, which returns exn1: `mov x0, x1` starts it.
    const r = compile(load('isa/aarch64/exception-handler-address.clif', '%f0', 8)(), { flags: parseSharedFlags([{ name: 'regalloc_checker', value: 'true' }]), disassemble: true });
    const { adrs } = decode(r.bytes, r.disassembly!);
    const at = adrs[0][1];
    expect(Buffer.from(r.bytes.subarray(at, at + 4)).toString('hex')).toBe('e00301aa');
  });
});
