// @clift/isle: the ISLE compiler. Not implemented yet (issue 4); this module
// deliberately exports nothing until the package does its job.
export {};
