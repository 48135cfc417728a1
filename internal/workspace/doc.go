// Package workspace is the checked-out repository as the pipeline sees it:
// it maps stack frames to files, reads them with line ranges, picks the code
// around a crash, and makes scratch copies in which patches are tried. It
// never writes to the checkout itself and never follows a path out of it.
package workspace
