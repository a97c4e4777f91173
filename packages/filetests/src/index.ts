// @clift/filetests — runs `.clif` test files.
//
// Sections:
//   FileCheck            filecheck.ts (directives, patterns, Checker)
//   Running files        run-file.ts (one file's text), runner.ts (files, folders, worker threads)
//   Subtests             subtest.ts (contract and shared helpers), registry.ts, subtests/*.ts
//   Precise output       precise-output.ts (trailing `;` expectations, bless)
//   Conformance ratchet  expectations.ts
//   Renderings           cfg-printer.ts (dot), domtree-text.ts

export {
  Checker,
  CheckerBuilder,
  FileCheckSyntaxError,
  formatPattern,
  matchDirective,
  parseDirective,
  parsePattern,
  type CheckFailure,
  type CheckResult,
  type Directive,
  type DirectiveKind,
  type Pattern,
  type PatternPart,
} from './filecheck.js';
export { runTestText, type FileOutcome, type RunFileOptions, type TestRecord, type TestStatus } from './run-file.js';
export {
  MissingPathError,
  collectTestFiles,
  formatTally,
  runTestFile,
  runTestFiles,
  tally,
  type RunOptions,
  type Tally,
} from './runner.js';
export {
  SubtestFailure,
  checkPreciseOutput,
  runFilecheck,
  type Subtest,
  type SubtestContext,
} from './subtest.js';
export { implementedSubtests, lookupSubtest, type SubtestLookup } from './registry.js';
export { targetConfigs, SUPPORTED_TARGETS, type TargetConfig } from './targets.js';
export {
  FileUpdate,
  comparePreciseOutput,
  expectedPreciseOutput,
  lineDiff,
  type LineComment,
} from './precise-output.js';
export {
  ExpectationsSyntaxError,
  compareWithExpectations,
  defaultExpectationsPath,
  formatExpectations,
  formatRatchetReport,
  oneLineReason,
  parseExpectations,
  parseDeviations,
  defaultDeviationsPath,
  toExpectations,
  upstreamFiletestsDir,
  type Expectation,
  type RatchetReport,
  type UpstreamLocation,
} from './expectations.js';
export { printCfg, blockHeader } from './cfg-printer.js';
export { domtreeText } from './domtree-text.js';
export { verifyForTarget } from './verify.js';
export { interpretSubtest, runInterpretCommand } from './subtests/interpret.js';
export { callLocations, decodeRecords, DriverError, generateDriver, type CallLocations, type DriverCall, type DriverProgram, type ValueLocation } from './aarch64-driver.js';
export { executeRunCommands, formatRunFailures, functionSymbol, runClifFile, runClifText, RunHarnessError, type ClifRunOptions, type ClifRunRecord, type CompileFunction, type ExecuteOptions, type ExecutionReport, type RunCommandOutcome, type RunHarnessErrorKind, type RunnableFunction, type RunOutcomeStatus } from './aarch64-run.js';
export { hostRunsAarch64, missingToolchainIsFailure, toolchainStatus, ToolchainError, type ToolchainErrorKind, type ToolchainStatus } from './aarch64-toolchain.js';
export {
  CompileFailure,
  ModuleError,
  aarch64Object,
  checkAarch64Settings,
  compileAarch64,
  compileListing,
  compileSubtest,
  type Aarch64CompileRequest,
  type CompileFailureKind,
  type ObjectFunction,
  type SettingPair,
} from './subtests/compile.js';
export { compileForTarget, runSubtest } from './subtests/run.js';
