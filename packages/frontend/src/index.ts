// @clift/frontend: FunctionBuilder and SSA construction. Not implemented yet (issue 6); this module
// deliberately exports nothing until the package does its job.
export {};
