// @clift/interpreter: the CLIF interpreter. Not implemented yet (issue 3); this module
// deliberately exports nothing until the package does its job.
export {};
