// @clift/clif-util — the `clif` command. The binary is cli.ts; this module
// exposes the same logic for programs and tests.

export { main, type CliIo } from './main.js';
export { COMMANDS, COMPILE_TARGETS, UsageError, parseArgs, usage, type Command, type CommandName, type SettingArg } from './args.js';
