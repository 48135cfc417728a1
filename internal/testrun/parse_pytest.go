package testrun

import (
	"strings"
)

// parsePytest reads the short test summary pytest prints with -rA: one
// "PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS <nodeid>[ - reason]" line per
// test.
// Tests are named by node id (path::Class::test). An ERROR whose node id
// has no "::" is a module that failed to collect, listed in BuildFailed;
// an ERROR on a test (a fixture failed) counts as a failure. Expected
// failures (XFAIL) and unexpected passes (XPASS, not strict) pass. Skips
// come from -v's progress lines ("<nodeid> SKIPPED (reason)"), since the
// summary's "SKIPPED [1] path:line: reason" names a place, not a test.
func parsePytest(out string) Suite {
	passed, failed, broken, skipped := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	for line := range strings.Lines(out) {
		word, rest, ok := strings.Cut(strings.TrimRight(line, "\r\n"), " ")
		if !ok {
			continue
		}
		if strings.Contains(word, "::") && (rest == "SKIPPED" || strings.HasPrefix(rest, "SKIPPED ")) {
			skipped[word] = true
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
		case test && word == "SKIPPED":
			skipped[id] = true
		case word == "ERROR":
			broken[id] = true
		}
	}
	for id := range failed {
		delete(passed, id)
		delete(skipped, id)
	}
	return Suite{Passed: sorted(passed), Failed: sorted(failed), Skipped: sorted(skipped), BuildFailed: sorted(broken)}
}
