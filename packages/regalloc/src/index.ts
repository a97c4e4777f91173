// @clift/regalloc: the register allocator. Not implemented yet (issue 5); this module
// deliberately exports nothing until the package does its job.
export {};
