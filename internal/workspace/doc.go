// Package workspace is the checked-out repository as the pipeline sees it:
// it maps stack frames to files, reads them with line ranges, picks the code
// around a crash, and makes scratch copies in which patches are tried. It
// never writes to the checkout itself and never follows a path out of it.
//
// It also backs the agent's read-only tools: ReadRange, Search, List,
// FindSymbol, TestsFor and History. Every path is cleaned and confined
// (Confine: no "..", no absolute path, no symlink out, nothing in .git);
// walks never follow symlinks and skip .git, dependency directories and
// binary or large files; every result is capped and says what it left
// out. History runs real git on the checkout with an environment built
// from scratch, no global or system configuration, -c safe.directory for
// the checkout on the command line (a container action's checkout belongs
// to another user) and no program the checkout's own configuration names.
package workspace
