package testrun

import (
	"regexp"
	"strings"
)

// tapResult matches a TAP test line: "ok 1 - name" or "not ok 2 - name"
// (mocha leaves out the dash),
// indented four spaces per level of nesting, with an optional "# SKIP" or
// "# TODO" directive.
var tapResult = regexp.MustCompile(`^((?:    )*)(not ok|ok) \d+(?:(?: -)? (.*?))?(?: # (SKIP|TODO)\b.*)?$`)

// tapSubtest matches the "# Subtest: name" line node --test prints before a
// test's children and result.
var tapSubtest = regexp.MustCompile(`^((?:    )*)# Subtest: (.*)$`)

// parseTAP reads the TAP output of node --test --test-reporter=tap. A
// nested test is named by its ancestors and itself joined with " > ". A
// test file that failed to load appears as a failed test named by its
// path. SKIP and TODO results are skipped.
func parseTAP(out string) Suite {
	passed, failed, skipped := map[string]bool{}, map[string]bool{}, map[string]bool{}
	var stack []string // names of the open subtests by depth
	for line := range strings.Lines(out) {
		line = strings.TrimRight(line, "\r\n")
		if m := tapSubtest.FindStringSubmatch(line); m != nil {
			depth := len(m[1]) / 4
			stack = append(stack[:min(depth, len(stack))], m[2])
			continue
		}
		m := tapResult.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		depth := len(m[1]) / 4
		parents := stack[:min(depth, len(stack))]
		name := strings.Join(append(append([]string{}, parents...), unescapeTAP(m[3])), " > ")
		switch {
		case m[4] != "":
			skipped[name] = true
		case m[2] == "ok":
			passed[name] = true
		default:
			failed[name] = true
		}
		stack = parents
	}
	for n := range failed {
		delete(passed, n)
	}
	return Suite{Passed: sorted(passed), Failed: sorted(failed), Skipped: sorted(skipped)}
}

// unescapeTAP undoes the escaping of "#" and "\" in TAP descriptions.
func unescapeTAP(s string) string {
	return strings.NewReplacer(`\#`, "#", `\\`, `\`).Replace(s)
}
