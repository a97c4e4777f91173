// @clift/egraph-midend: the aegraph mid-end optimizer. Not implemented yet (issue 8); this module
// deliberately exports nothing until the package does its job.
export {};
