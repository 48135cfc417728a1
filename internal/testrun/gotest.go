package testrun

import (
	"context"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
)

// GoTestArgs returns the command that runs one top-level test of the
// package in pkgDir (repository-relative): go test -count=1 -run
// '^TestName$' ./pkgDir.
func GoTestArgs(pkgDir, testName string) []string {
	return []string{"go", "test", "-count=1", "-run", "^" + regexp.QuoteMeta(testName) + "$", pkgArg(pkgDir)}
}

// pkgArg turns a repository-relative directory into a go package pattern.
func pkgArg(dir string) string {
	dir = path.Clean(dir)
	if dir == "." || dir == "/" {
		return "."
	}
	return "./" + dir
}

// Suite is the outcome of a go test -json run. Tests are named
// "<import path>.<TestName>" (subtests as TestName/sub); a package that
// failed without any failing test (a panic in init, os.Exit in TestMain)
// is listed in Failed by its import path.
type Suite struct {
	Passed, Failed []string
	// BuildFailed lists the packages that failed to build or set up.
	BuildFailed []string
}

// GoSuite runs go test -count=1 -json on pkgs (package patterns; ./... when
// empty) in dir and parses the test2json stream. The Result's Output holds
// the tests' own output, not the JSON.
func (r *Runner) GoSuite(ctx context.Context, dir string, pkgs []string) (Suite, Result, error) {
	argv := []string{"go", "test", "-count=1", "-json"}
	if len(pkgs) == 0 {
		pkgs = []string{"./..."}
	}
	argv = append(argv, pkgs...)
	p := newEventParser()
	res, err := r.run(ctx, Job{Dir: dir, Argv: argv}, func(out io.Writer) io.Writer {
		p.out = out
		return p
	})
	if err != nil {
		return Suite{}, res, fmt.Errorf("go test suite: %w", err)
	}
	return p.suite(), res, nil
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
