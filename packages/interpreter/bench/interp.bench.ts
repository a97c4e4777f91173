// Interpreter throughput: CLIF instructions executed per second on loop-heavy
// functions built with the IR builder (iterative Fibonacci over i32 and
// i64). Run: pnpm --filter @clift/interpreter bench
import { I32, I64, dataValue } from '@clift/ir';
import { Interpreter } from '../src/index.js';
import { fibonacciLoop } from '../src/__tests__/build.js';

function measure(label: string, interp: Interpreter, arg: bigint, type: typeof I32): void {
  // Warm up, then take the best of five runs (machines are noisy).
  interp.call('fib', [dataValue(type, 1000n)]);
  let best = Infinity;
  let steps = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    interp.call('fib', [dataValue(type, arg)]);
    const dt = performance.now() - t0;
    steps = interp.steps;
    best = Math.min(best, dt);
  }
  const ips = steps / (best / 1000);
  console.log(`${label.padEnd(24)} ${steps.toLocaleString()} insts in ${best.toFixed(1)} ms: ${(ips / 1e6).toFixed(2)} M insts/s`);
}

measure('fibonacci loop i32', new Interpreter([fibonacciLoop(I32)], { stepLimit: 1e9 }), 1_000_000n, I32);
measure('fibonacci loop i64', new Interpreter([fibonacciLoop(I64)], { stepLimit: 1e9 }), 1_000_000n, I64);
