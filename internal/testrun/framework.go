package testrun

import (
	"path"
	"regexp"
	"strings"
)

// TestRef names a test: the repository-relative file that holds it and its
// name as the project's runner names it. For Go, the top-level function or
// a subtest path (TestParse/empty_input); for pytest, the function, the
// Class.method, or either with its parameters (test_merge[None-1]); for
// unittest, Class.test_method or test_method; for JavaScript, the test's
// title, or its describe titles and its own joined with " > " or spaces.
type TestRef struct {
	File, Name string
}

// Framework is one test runner as the repository uses it: go test, pytest,
// unittest, jest, vitest, mocha or node:test, or the test-command override.
// Its commands are argument vectors (no shell) run in the scratch copy.
type Framework interface {
	// Name names the runner for the summary.
	Name() string
	// Suite is the command that runs the whole suite; pkgs narrows a Go
	// suite to packages and is ignored by the others.
	Suite(pkgs []string) []string
	// Targeted is the command that runs one test at the finest level the
	// runner allows: the test itself, or its file narrowed by a name
	// pattern. An override cannot be narrowed and returns Suite.
	Targeted(t TestRef) []string
	// Results reads which tests passed and failed from a run of one of its
	// commands in the scratch copy dir.
	Results(dir string, res Result, out string) Suite
	// Env is what every run of it gets on top of the toolchain's
	// variables: those a package.json test script sets.
	Env() []string
}

// overridden is the test-command setting: the whole command, run as is.
type overridden struct{ argv, env []string }

func (o overridden) Name() string                                   { return "the test-command setting" }
func (o overridden) Suite([]string) []string                        { return o.argv }
func (o overridden) Targeted(TestRef) []string                      { return o.argv }
func (o overridden) Env() []string                                  { return o.env }
func (o overridden) Results(_ string, res Result, out string) Suite { return anyResults(res, out) }

// anyResults reads a run whose runner is not known: the per-test lines of
// any runner dawnpatch can read, else the whole command as one test,
// passing when it exits 0.
func anyResults(res Result, out string) Suite {
	u, p, t := parseUnittest(out), parsePytest(out), parseTAP(out)
	s := Suite{Passed: concat(u.Passed, p.Passed, t.Passed), Failed: concat(u.Failed, p.Failed, t.Failed),
		Skipped: concat(u.Skipped, p.Skipped, t.Skipped), BuildFailed: concat(u.BuildFailed, p.BuildFailed)}
	if len(s.Passed)+len(s.Failed)+len(s.BuildFailed) > 0 {
		return s
	}
	return wholeCommand(res)
}

// wholeCommand is a run as one test named "command: <argv>".
func wholeCommand(res Result) Suite {
	name := "command: " + strings.Join(res.Argv, " ")
	if res.ExitCode == 0 && !res.TimedOut {
		return Suite{Passed: []string{name}}
	}
	return Suite{Failed: []string{name}}
}

// concat joins lists.
func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// goTest is go test.
type goTest struct{}

func (goTest) Name() string  { return "go test" }
func (goTest) Env() []string { return nil }

// Suite runs go test -json on the packages (./... when none).
func (goTest) Suite(pkgs []string) []string {
	if len(pkgs) == 0 {
		pkgs = []string{"./..."}
	}
	return append([]string{"go", "test", "-count=1", "-json"}, pkgs...)
}

// Targeted runs the test of the file's package: a top-level test, or a
// subtest path matched element by element.
func (goTest) Targeted(t TestRef) []string {
	return GoTestArgs(path.Dir(t.File), t.Name)
}

// Results reads the plain output of a targeted run (Suite's JSON is read as
// it streams; see RunSuite).
func (goTest) Results(_ string, res Result, out string) Suite { return wholeCommand(res) }

// GoTestArgs returns the command that runs one test of the package in
// pkgDir (repository-relative): go test -count=1 -run '^TestX$' ./pkgDir,
// or -run '^TestX$/^case$' for a subtest path (spaces become underscores,
// as go test names subtests).
func GoTestArgs(pkgDir, testName string) []string {
	var parts []string
	for _, p := range strings.Split(testName, "/") {
		parts = append(parts, "^"+regexp.QuoteMeta(strings.ReplaceAll(p, " ", "_"))+"$")
	}
	return []string{"go", "test", "-count=1", "-run", strings.Join(parts, "/"), pkgArg(pkgDir)}
}

// pkgArg turns a repository-relative directory into a go package pattern.
func pkgArg(dir string) string {
	dir = path.Clean(dir)
	if dir == "." || dir == "/" {
		return "."
	}
	return "./" + dir
}
