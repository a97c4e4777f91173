// A consumer's own three-address IR, allocated with @clift/regalloc.
//
//   sum = 0; a..f = 1..6
//   loop: while i < n { t = call f(i); sum += t + a + b + c + d + e + f; i += 1 }
//   return sum
//
// The machine has four caller-saved registers r0-r3 (clobbered by calls) and
// four callee-saved registers r4-r7. Nine values are live across the call, so
// some must be spilled.
import {
  RegClass, checkOutput, def, instAllocs, allocToString, preg, run, use, vreg,
} from '@clift/regalloc';

const R = (n) => preg(RegClass.Int, n);
const v = (n) => vreg(n, RegClass.Int);

// The IR: blocks of instructions `{ op, dst?, srcs, target?, args? }`.
const ir = [
  { params: [], insts: [
    { op: 'arg', dst: 0, fixed: 0 },            // v0 = n, arrives in r0
    { op: 'const', dst: 1 },                     // v1 = i = 0
    { op: 'const', dst: 2 },                     // v2 = sum = 0
    ...[3, 4, 5, 6, 7, 8].map((d) => ({ op: 'const', dst: d })), // v3..v8 = a..f
    { op: 'jump', targets: [1], args: [[1, 2]] },
  ] },
  { params: [9, 10], insts: [                    // loop(i = v9, sum = v10)
    { op: 'lt', dst: 11, srcs: [9, 0] },
    { op: 'br', srcs: [11], targets: [2, 3], args: [[], []] },
  ] },
  { params: [], insts: [                         // body
    { op: 'call', dst: 12, srcs: [9] },          // v12 = f(i): arg and result in r0
    { op: 'add', dst: 13, srcs: [10, 12] },
    { op: 'add', dst: 14, srcs: [13, 3] }, { op: 'add', dst: 15, srcs: [14, 4] },
    { op: 'add', dst: 16, srcs: [15, 5] }, { op: 'add', dst: 17, srcs: [16, 6] },
    { op: 'add', dst: 18, srcs: [17, 7] }, { op: 'add', dst: 19, srcs: [18, 8] },
    { op: 'addi', dst: 20, srcs: [9] },          // i + 1
    { op: 'jump', targets: [1], args: [[20, 19]] },
  ] },
  { params: [], insts: [{ op: 'ret', srcs: [10] }] },
];

// The RegallocFunction view of the IR.
const insts = [];
const blockRanges = [];
for (const b of ir) {
  const first = insts.length;
  insts.push(...b.insts);
  blockRanges.push([first, insts.length]);
}
const preds = ir.map(() => []);
ir.forEach((b, i) => b.insts.at(-1).targets?.forEach((t) => preds[t].push(i)));
const callerSaved = [R(0), R(1), R(2), R(3)];

function operands(inst) {
  switch (inst.op) {
    case 'arg': return [def(v(inst.dst), { kind: 'fixed', preg: R(inst.fixed) })];
    case 'const': return [def(v(inst.dst))];
    case 'call': return [use(v(inst.srcs[0]), { kind: 'fixed', preg: R(0) }), def(v(inst.dst), { kind: 'fixed', preg: R(0) })];
    // Two-address add: the result reuses the first input's register.
    case 'add': return [use(v(inst.srcs[0])), use(v(inst.srcs[1]), { kind: 'any' }), def(v(inst.dst), { kind: 'reuse', input: 0 })];
    case 'addi': case 'lt': return [...inst.srcs.map((s) => use(v(s))), def(v(inst.dst))];
    case 'br': return [use(v(inst.srcs[0]))];
    case 'ret': return [use(v(inst.srcs[0]), { kind: 'fixed', preg: R(0) })];
    default: return [];
  }
}

export const func = {
  numInsts: () => insts.length,
  numBlocks: () => ir.length,
  entryBlock: () => 0,
  blockInsts: (b) => blockRanges[b],
  blockSuccs: (b) => ir[b].insts.at(-1).targets ?? [],
  blockPreds: (b) => preds[b],
  blockParams: (b) => ir[b].params.map(v),
  isRet: (i) => insts[i].op === 'ret',
  isBranch: (i) => insts[i].op === 'jump' || insts[i].op === 'br',
  branchBlockParams: (_b, i, k) => insts[i].args[k].map(v),
  instOperands: (i) => operands(insts[i]),
  instClobbers: (i) => (insts[i].op === 'call' ? callerSaved : []),
  numVregs: () => 21,
  spillslotSize: () => 1,
};

export const env = {
  preferredRegsByClass: [callerSaved, [], []],
  nonPreferredRegsByClass: [[R(4), R(5), R(6), R(7)], [], []],
  scratchByClass: [null, null, null],
  fixedStackSlots: [],
};

export const output = run(func, env, { validateWithChecker: true });

// Print the allocated program: edits before/after each instruction.
const lines = [];
const editsAt = (p) => output.edits.filter((e) => e.point === p).map((e) => `    move ${allocToString(e.to)} <- ${allocToString(e.from)}`);
insts.forEach((inst, i) => {
  const b = blockRanges.findIndex(([f]) => f === i);
  if (b >= 0) lines.push(`block${b}:`);
  lines.push(...editsAt(2 * i));
  const allocs = Array.from(instAllocs(output, i), allocToString);
  lines.push(`  ${inst.op} ${allocs.join(', ')}`);
  lines.push(...editsAt(2 * i + 1));
});
const { spills, reloads, moves } = output.stats;
lines.push(`spill slots: ${output.numSpillslots}; spills ${spills}, reloads ${reloads}, moves ${moves}`);
lines.push(`checker: ${checkOutput(func, env, output).length === 0 ? 'ok' : 'FAILED'}`);
export const listing = lines.join('\n');
console.log(listing);
