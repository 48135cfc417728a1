package testrun

import (
	"slices"
)

// Suite is the outcome of a go test -json run. Tests are named
// "<import path>.<TestName>" (subtests as TestName/sub); a package that
// failed without any failing test (a panic in init, os.Exit in TestMain)
// is listed in Failed by its import path.
type Suite struct {
	Passed, Failed []string
	// Skipped lists the tests that ran and were skipped (TODO and pending
	// tests too): present, but not passing.
	Skipped []string
	// BuildFailed lists the packages that failed to build or set up.
	BuildFailed []string
}

// sorted returns the keys of a set, sorted.
func sorted(set map[string]bool) []string {
	var out []string
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
