package testrun

import (
	"fmt"
	"regexp"
	"strings"
)

// failureLine matches the lines that say why a test failed: a panic, or a
// t.Error/t.Fatal report.
var failureLine = regexp.MustCompile(`(?m)^(panic: .*|\s+\S+\.go:\d+: .*)$`)

// compileError matches a compiler diagnostic: file.go:line:col: message.
var compileError = regexp.MustCompile(`(?m)^\S+\.go:\d+:\d+: .*$`)

// genericTypes are exception types whose mention proves nothing.
var genericTypes = map[string]bool{"error": true, "Error": true, "Exception": true, "panic": true, "string": true}

// notReproduced says why a run of the new test on base is not a
// reproduction of the incident, or returns "" when it is.
func notReproduced(res Result, testName string, want Expect) string {
	out := res.Output
	switch {
	case res.TimedOut:
		return "the new test timed out on base"
	case strings.Contains(out, "[build failed]") || strings.Contains(out, "[setup failed]") || compileError.MatchString(out):
		return "the new test does not build on base: " + firstCompileError(out)
	case strings.Contains(out, "no tests to run") || strings.Contains(out, "[no test files]"):
		return fmt.Sprintf("the new test %s did not run", testName)
	case res.ExitCode == 0:
		return "the new test passes on base"
	case !strings.Contains(out, "--- FAIL: "+strings.ReplaceAll(testName, " ", "_")):
		return "the new test did not fail by itself: " + summary(out)
	case want == Expect{}:
		return "nothing from the incident to check the failure against"
	case !want.mentionedIn(Go, out):
		return fmt.Sprintf("the failure on base does not mention the incident (type %q, message %q or function %q): %s",
			want.Type, want.Message, want.Function, summary(out))
	}
	return ""
}

// mentionedIn reports whether out mentions the type, the first line of the
// message, or a call of the function as lang prints it in a stack trace.
func (e Expect) mentionedIn(lang Language, out string) bool {
	if e.Type != "" && !genericTypes[e.Type] && strings.Contains(out, e.Type) {
		return true
	}
	msg, _, _ := strings.Cut(strings.TrimSpace(e.Message), "\n")
	if msg != "" && strings.Contains(out, msg) {
		return true
	}
	return e.Function != "" && functionFrame(lang, e.Function).MatchString(out)
}

// functionFrame matches a stack frame of fn in the traces of lang: Go
// prints "pkg.(*T).Fn(...)" on a line of its own and the file on the next
// (a test's message that quotes a call, as in `Fn("x") = 1`, is no frame),
// Python "File ..., line N, in fn", Node "at T.fn (file:line:col)" (in TAP
// without "at").
func functionFrame(lang Language, fn string) *regexp.Regexp {
	last := fn
	if i := strings.LastIndexAny(fn, ".:"); i >= 0 && lang != Go {
		last = fn[i+1:]
	}
	switch lang {
	case Python:
		return regexp.MustCompile(`(?m), in ` + regexp.QuoteMeta(last) + `\s*$`)
	case JavaScript:
		return regexp.MustCompile(`(?m)(?:^|[\s.])` + regexp.QuoteMeta(last) + ` \(`)
	}
	return regexp.MustCompile(`(?m)^\s*[\w./()*\[\]-]*` + regexp.QuoteMeta(fn) + `\([^\n]*\)\n\t[^\n]*\.go:\d+`)
}

// passed reports whether a run of one test passed and really ran it.
func passed(res Result) bool {
	return res.ExitCode == 0 && !res.TimedOut && !strings.Contains(res.Output, "no tests to run") &&
		!strings.Contains(res.Output, "[no test files]")
}

// firstCompileError returns the first compiler diagnostic, or the last
// lines of output.
func firstCompileError(out string) string {
	if m := compileError.FindString(out); m != "" {
		return m
	}
	return lastLines(out, 3)
}

// summary returns the first lines saying why a test failed, or the last
// lines of output.
func summary(out string) string {
	lines := failureLine.FindAllString(out, 2)
	if len(lines) == 0 {
		return lastLines(out, 3)
	}
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	return strings.Join(lines, " | ")
}

// lastLines returns the last n non-empty lines of s, joined by " | ".
func lastLines(s string, n int) string {
	var lines []string
	for l := range strings.Lines(s) {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines[max(0, len(lines)-n):], " | ")
}
