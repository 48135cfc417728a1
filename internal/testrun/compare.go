package testrun

import "strings"

// Compare sets the suite of a fixed tree against the suite of base. A
// regression is a test or package that passed or built on base and does not
// on fixed, or a failure on fixed that base did not have at all (a new test
// that fails). Failures on both, including tests of packages that did not
// build on base, are still failing: reported, not blamed on the fix. Tests
// of a package that newly fails to build are listed as that package.
func Compare(base, fixed Suite) (regressions, stillFailing []string) {
	baseFailed := setOf(base.Failed, base.BuildFailed)
	unbuiltOnBase := func(name string) bool { return inPackages(name, base.BuildFailed) }
	newBuild := map[string]bool{}
	regr, still := map[string]bool{}, map[string]bool{}
	for _, pkg := range fixed.BuildFailed {
		if baseFailed[pkg] {
			still[pkg] = true
		} else {
			regr[pkg], newBuild[pkg] = true, true
		}
	}
	for _, name := range fixed.Failed {
		if baseFailed[name] || unbuiltOnBase(name) {
			still[name] = true
		} else if !inPackages(name, sorted(newBuild)) {
			regr[name] = true
		}
	}
	fixedPassed := setOf(fixed.Passed)
	for _, name := range base.Passed {
		if !fixedPassed[name] && !inPackages(name, sorted(newBuild)) {
			regr[name] = true
		}
	}
	return sorted(regr), sorted(still)
}

// setOf collects lists into a set.
func setOf(lists ...[]string) map[string]bool {
	set := map[string]bool{}
	for _, l := range lists {
		for _, s := range l {
			set[s] = true
		}
	}
	return set
}

// inPackages reports whether name is one of pkgs or a test in one of them.
func inPackages(name string, pkgs []string) bool {
	for _, pkg := range pkgs {
		if name == pkg || inPackage(name, pkg) {
			return true
		}
	}
	return false
}

// inPackage reports whether name is a test of pkg: "<pkg>.<TestName>" for
// a Go import path, "<module>.<Class>.<test>" for a Python module (no "/"),
// "<file>::<test>" for a pytest file.
func inPackage(name, pkg string) bool {
	if strings.HasPrefix(name, pkg+"::") {
		return true
	}
	rest, ok := strings.CutPrefix(name, pkg+".")
	if !ok {
		return false
	}
	if !strings.Contains(pkg, "/") {
		return true
	}
	for _, p := range []string{"Test", "Example", "Fuzz", "Benchmark"} {
		if strings.HasPrefix(rest, p) {
			return true
		}
	}
	return false
}
