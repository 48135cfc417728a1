package testrun

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// pythonLoadError matches the errors of a Python test that could not be
// imported or parsed, as unittest and pytest print them.
var pythonLoadError = regexp.MustCompile(`(?m)^(?:E\s+)?(ImportError|ModuleNotFoundError|SyntaxError|IndentationError|TabError): .*$|^ERROR collecting .*$`)

// jsLoadError matches the errors of a JavaScript test file that could not
// be loaded.
var jsLoadError = regexp.MustCompile(`(?m)^(?:# )?(SyntaxError): .*$|Cannot find module .*$|ERR_MODULE_NOT_FOUND.*$`)

// pythonError matches the line naming a Python exception.
var pythonError = regexp.MustCompile(`(?m)^(?:E\s+)?[\w.]*(?:Error|Exception|Exit|Interrupt)\b.*$`)

// jsError matches the error lines of node --test TAP and spec output.
var jsError = regexp.MustCompile(`(?m)^\s*(?:error: .*|name: .*|\w*Error: .*)$`)

// notReproduced says why a run of the new test on base is not a
// reproduction of the incident, or returns "" when it is.
func (pr *prover) notReproduced(res Result) string {
	if _, ok := pr.fw.(goTest); ok {
		return notReproduced(res, pr.req.TestName, pr.req.Expect)
	}
	want, out := pr.req.Expect, res.Output
	ran := pr.fw.Results(pr.req.Dir, res, out)
	failed := pr.overridden() || matchesTest(ran.Failed, pr.req.TestName)
	switch {
	case res.TimedOut:
		return "the new test timed out on base"
	case loadError(pr.lang, out, want) != "":
		return "the new test does not load on base: " + loadError(pr.lang, out, want)
	case !failed && !matchesTest(ran.Passed, pr.req.TestName):
		return fmt.Sprintf("the new test %s did not run: %s", pr.req.TestName, lastLines(out, 3))
	case res.ExitCode == 0:
		return "the new test passes on base"
	case !failed:
		return "the new test did not fail by itself: " + summaryFor(pr.lang, out)
	case want == Expect{}:
		return "nothing from the incident to check the failure against"
	case !want.mentionedIn(pr.lang, out):
		return fmt.Sprintf("the failure on base does not mention the incident (type %q, message %q or function %q): %s",
			want.Type, want.Message, want.Function, summaryFor(pr.lang, out))
	}
	return ""
}

// loadError returns the error that kept a test from loading, or "". When
// the incident itself is of that error type, it is no evidence either way.
func loadError(lang Language, out string, want Expect) string {
	re := pythonLoadError
	if lang == JavaScript {
		re = jsLoadError
	}
	all := re.FindAllStringSubmatch(out, -1)
	if len(all) == 0 {
		return ""
	}
	m := all[len(all)-1] // the cause, after the loader's own report
	if m[1] != "" && m[1] == lastSegment(want.Type) {
		return ""
	}
	return strings.TrimSpace(strings.TrimPrefix(m[0], "# "))
}

// passed reports whether a run of the new test passed and really ran it.
func (pr *prover) passed(res Result) bool {
	if _, ok := pr.fw.(goTest); ok {
		return passed(res)
	}
	if res.ExitCode != 0 || res.TimedOut {
		return false
	}
	return pr.overridden() || matchesTest(pr.fw.Results(pr.req.Dir, res, res.Output).Passed, pr.req.TestName)
}

// matchesTest reports whether one of the parsed names is the test.
func matchesTest(names []string, test string) bool {
	return len(matching(names, test)) > 0
}

// matching returns the parsed names that are the test: the same name, or
// a name ending in it after a "." (Python ids, "::" read as "."; a test
// named without parameters is each of its parametrized cases), a "/"
// (a Go test's import path, or a subtest path, spaces read as "_"), a
// " > " or a space (JavaScript's nested titles; " > " read as a space).
func matching(names []string, test string) []string {
	var out []string
	goName := strings.ReplaceAll(test, " ", "_")
	spaced := strings.ReplaceAll(test, " > ", " ")
	for _, n := range names {
		dotted := strings.ReplaceAll(n, "::", ".")
		if !strings.Contains(test, "[") {
			dotted, _, _ = strings.Cut(dotted, "[") // a test named without parameters is each of its cases
		}
		flat := strings.ReplaceAll(n, " > ", " ")
		if n == test || strings.HasSuffix(dotted, "."+test) || strings.HasSuffix(n, "."+goName) ||
			strings.HasSuffix(n, " > "+test) || flat == spaced || strings.HasSuffix(flat, " "+spaced) {
			out = append(out, n)
		}
	}
	return out
}

// summaryFor returns the lines saying why a test failed in lang's output.
func summaryFor(lang Language, out string) string {
	re := pythonError
	switch lang {
	case Go:
		return summary(out)
	case JavaScript:
		re = jsError
	}
	lines := re.FindAllString(out, 2)
	if len(lines) == 0 {
		return lastLines(out, 3)
	}
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, " | ")
}

// lastSegment returns what follows the last "." of s.
func lastSegment(s string) string {
	return s[strings.LastIndex(s, ".")+1:]
}

// pyDef and pyClass match a Python function definition and a class
// statement, with their indentation.
var (
	pyDef   = regexp.MustCompile(`^(\s*)(?:async\s+)?def\s+(\w+)\s*\(`)
	pyClass = regexp.MustCompile(`^(\s*)class\s+(\w+)\b`)
)

// pythonTestName qualifies a bare test method name with its class, found
// in the test file, as unittest needs: "test_x" in "class T" becomes
// "T.test_x". A qualified name, a module-level function or an unreadable
// file leaves the name as it is.
func pythonTestName(dir, file, name string) string {
	if strings.Contains(name, ".") {
		return name
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
	if err != nil {
		return name
	}
	type open struct {
		name   string
		indent int
	}
	var classes []open // the classes around the current line, outermost first
	for line := range strings.Lines(string(data)) {
		c, d := pyClass.FindStringSubmatch(line), pyDef.FindStringSubmatch(line)
		var indent int
		switch {
		case c != nil:
			indent = len(c[1])
		case d != nil:
			indent = len(d[1])
		default:
			continue
		}
		for len(classes) > 0 && classes[len(classes)-1].indent >= indent {
			classes = classes[:len(classes)-1]
		}
		if c != nil {
			classes = append(classes, open{c[2], indent})
			continue
		}
		if d[2] == name && len(classes) > 0 && classes[len(classes)-1].name != "" {
			return classes[len(classes)-1].name + "." + name
		}
		// a def opens a scope: a class inside it (a helper class in a test)
		// is no class of the tests
		classes = append(classes, open{"", indent})
	}
	return name
}
