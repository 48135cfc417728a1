package testrun

import (
	"strings"
)

// parsePytest reads the short test summary pytest prints with -rA: one
// "PASSED|FAILED|ERROR|XFAIL|XPASS <nodeid>[ - reason]" line per test.
// Tests are named by node id (path::Class::test). An ERROR whose node id
// has no "::" is a module that failed to collect, listed in BuildFailed;
// an ERROR on a test (a fixture failed) counts as a failure. Expected
// failures (XFAIL) and unexpected passes (XPASS, not strict) pass; skips are
// in neither list.
func parsePytest(out string) Suite {
	passed, failed, broken := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for line := range strings.Lines(out) {
		word, rest, ok := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		if !ok {
			continue
		}
		id, _, _ := strings.Cut(rest, " - ")
		id = strings.TrimSpace(id)
		test := strings.Contains(id, "::")
		if strings.ContainsAny(id, " \t") || !test && !strings.HasSuffix(id, ".py") {
			continue // not a node id, such as unittest's "FAILED (failures=1)"
		}
		switch {
		case test && (word == "PASSED" || word == "XFAIL" || word == "XPASS"):
			passed[id] = true
		case test && (word == "FAILED" || word == "ERROR"):
			failed[id] = true
		case word == "ERROR":
			broken[id] = true
		}
	}
	for id := range failed {
		delete(passed, id)
	}
	return Suite{Passed: sorted(passed), Failed: sorted(failed), BuildFailed: sorted(broken)}
}
