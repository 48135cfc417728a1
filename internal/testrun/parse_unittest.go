package testrun

import (
	"regexp"
	"strings"
)

// unittestStart matches the line python -m unittest -v prints when a test
// starts: "test_x (pkg.mod.Class.test_x) ... ok" (3.11 and later) or
// "test_x (pkg.mod.Class) ... ok" (earlier), with "(key=value)" after the
// id for a subtest. A test with a docstring prints its first line, then
// " ... ", on the next line. The status may come later, after the test's
// output.
var unittestStart = regexp.MustCompile(`^\s*(\S+) \((\w+(?:\.\w+)+)\)(?: \(.*\))?(?:$|( \.\.\. ?)(.*)$)`)

// unittestFailure matches the header of a failure report.
var unittestFailure = regexp.MustCompile(`^(?:FAIL|ERROR|UNEXPECTED SUCCESS): (\S+) \(([\w.]+)\)`)

// failedImport is the id prefix unittest gives a module it could not
// import.
const failedImport = "unittest.loader._FailedTest."

// parseUnittest reads the output of python -m unittest -v. Tests are named
// by their dotted id, module.Class.test; a module that failed to import is
// listed in BuildFailed by its module name. Expected failures pass and
// unexpected successes fail.
func parseUnittest(out string) Suite {
	passed, failed, broken, skipped := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	pending := ""
	for line := range strings.Lines(out) {
		line = strings.TrimRight(line, "\r\n")
		if m := unittestFailure.FindStringSubmatch(line); m != nil {
			failed[unittestID(m[1], m[2])] = true
			continue
		}
		status := line
		if m := unittestStart.FindStringSubmatch(line); m != nil && (m[3] != "" || docstringHeader(pending, m)) {
			pending, status = unittestID(m[1], m[2]), m[4]
		} else if _, after, ok := strings.Cut(line, " ... "); ok && pending != "" {
			status = after // the line of a docstring
		}
		if pending == "" {
			continue
		}
		switch {
		case status == "ok" || status == "expected failure":
			passed[pending], pending = true, ""
		case status == "FAIL" || status == "ERROR" || status == "unexpected success":
			failed[pending], pending = true, ""
		case strings.HasPrefix(status, "skipped "):
			skipped[pending], pending = true, ""
		}
	}
	for id := range failed {
		if mod, ok := strings.CutPrefix(id, failedImport); ok {
			delete(failed, id)
			broken[mod] = true
		}
		delete(passed, id)
	}
	return Suite{Passed: sorted(passed), Failed: sorted(failed), Skipped: sorted(skipped), BuildFailed: sorted(broken)}
}

// docstringHeader reports whether a start line without " ... " is the
// header of a test with a docstring: between tests, with a full id.
func docstringHeader(pending string, m []string) bool {
	return pending == "" && strings.HasSuffix(m[2], "."+m[1])
}

// unittestID returns the full id of a test: Python 3.11 prints it whole,
// earlier versions leave the method name out.
func unittestID(method, id string) string {
	if strings.HasPrefix(id, failedImport) || strings.HasSuffix(id, "."+method) {
		return id
	}
	return id + "." + method
}
