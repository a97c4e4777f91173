// @clift/isa-aarch64: the AArch64 backend. Not implemented yet (issue 7); this module
// deliberately exports nothing until the package does its job.
export {};
