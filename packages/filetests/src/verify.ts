// Runs the IR verifier as upstream's filetests do: with what a target
// configuration tells it (its ISA name, hence pointer width) when the file
// names one, and stopping at the first fatal error of a function (later
// checks would only report consequences of it).

import { verifyFunction, type Function, type VerifierError, type VerifierOptions } from '@clift/ir';
import type { TargetConfig } from './targets.js';

export function verifyForTarget(func: Function, target: TargetConfig | undefined): VerifierError[] {
  const opts: VerifierOptions = { stopAtFatal: true };
  if (target !== undefined) {
    opts.target = target.name;
    if (target.pointerBits !== undefined) opts.pointerBits = target.pointerBits;
  }
  return verifyFunction(func, opts);
}
