// @clift/module: the Module API and ELF object writer. Not implemented yet (issue 7); this module
// deliberately exports nothing until the package does its job.
export {};
