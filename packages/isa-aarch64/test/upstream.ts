// Locating upstream's filetests (../shared/upstream-filetests, or the folder
// named by CLIFT_UPSTREAM_FILETESTS), as the repository's conformance suite does.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function upstreamDir(): string | undefined {
  const env = process.env.CLIFT_UPSTREAM_FILETESTS;
  const candidates = env ? [env] : [resolve(import.meta.dirname, '../../../../shared/upstream-filetests')];
  for (const c of candidates) if (existsSync(join(c, 'runtests'))) return c;
  return undefined;
}

/**
 * Runtests files whose every function compiles for AArch64 with the register
 * allocator's checker on (the scalar integer subset). The list only grows.
 */
export const INTEGER_RUNTESTS = [
  'arithmetic-extends.clif', 'arithmetic.clif', 'bitops.clif', 'bmask.clif', 'br.clif', 'br_table.clif', 'brif.clif',
  'bswap.clif', 'call_indirect.clif', 'call_libcall.clif', 'clz.clif', 'const.clif', 'ctz.clif', 'div-checks.clif',
  'fibonacci.clif', 'fold-bitops.clif', 'global_value.clif', 'i128-ireduce.clif', 'icmp-eq-imm.clif', 'icmp-eq.clif',
  'icmp-ne.clif', 'icmp-of-icmp.clif', 'icmp-sge.clif', 'icmp-sgt.clif', 'icmp-sle.clif', 'icmp-slt.clif',
  'icmp-uge.clif', 'icmp-ugt.clif', 'icmp-ule.clif', 'icmp-ult.clif', 'integer-minmax.clif', 'ireduce.clif',
  'issue-5498.clif', 'issue5839.clif', 'or-and-y-with-not-y.clif', 'return-call-loop.clif', 'return-call.clif',
  'sdiv.clif', 'shift-right-left.clif',
  'smulhi.clif', 'spill-reload.clif', 'srem_opts.clif', 'stack-addr-64.clif', 'uadd_overflow_trap.clif',
  'try_call.clif', 'udiv.clif', 'umulhi.clif', 'urem.clif', 'x64-bmi1.clif',
  // Upstream runs these on s390x only (the big-endian target), but their
  // big-endian accesses and atomics say what any target must compute.
  'alias-analysis-endianness.clif', 'atomic-cas-subword-big.clif', 'atomic-rmw-subword-big.clif',
];
