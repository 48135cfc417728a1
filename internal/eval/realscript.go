package eval

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/agent"
	"github.com/dawnpatch/dawnpatch/internal/judge"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
	"github.com/dawnpatch/dawnpatch/internal/patch"
)

// Script is the scripted model of the case, one turn per model call of a
// run with one attempt: the triage gate says "bug" (confidence 0.9), the
// fixer answers with the case's diff as edits and a diagnosis taken from
// the bug's README, and the judge is fooled: it approves whatever it is
// shown with high scores and no hard no. What stops a wrong fix is
// therefore never the model; a wrong fix that reaches a pull request is a
// known failure only with the judge's rubric line that would have to.
func (c RealCase) Script() ([]llmfake.Turn, error) {
	a, err := c.Answer()
	if err != nil {
		return nil, err
	}
	answers := []any{gateAnswer(c.Bug), a, fooledJudge(c)}
	turns := make([]llmfake.Turn, len(answers))
	for i, v := range answers {
		data, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		turns[i].JSON = data
	}
	return turns, nil
}

// gateAnswer is the triage gate's verdict, in its wire format (see
// testdata/demo/gate.json).
func gateAnswer(b *Bug) map[string]any {
	return map[string]any{"verdict": "bug", "confidence": 0.9,
		"reason": "A crash in " + b.Name + "'s own code on input it should handle: a defect worth fixing."}
}

// fooledJudge approves with high scores on every criterion of
// internal/judge, whatever the diff.
func fooledJudge(c RealCase) judge.Verdict {
	v := judge.Verdict{Summary: "Fixes the crash at its cause with a regression test. Approve."}
	for _, cr := range judge.Criteria {
		v.Scores = append(v.Scores, judge.Score{Criterion: cr.Name, Score: 0.95, Reason: "Looks right for " + c.Bug.Name + "."})
	}
	return v
}

// Answer is the fixer's answer for the case: the diff's edits, the
// regression test it adds, and the README's account of the crash.
func (c RealCase) Answer() (*agent.Answer, error) {
	diff, err := os.ReadFile(c.Diff)
	if err != nil {
		return nil, err
	}
	edits, err := EditsFromDiff(os.DirFS(filepath.Join(c.Bug.Dir, "repo")), diff)
	if err != nil {
		return nil, err
	}
	test, err := c.regressionTest(diff, edits)
	if err != nil {
		return nil, err
	}
	return &agent.Answer{Diagnosis: readmeDiagnosis(c.Bug.Readme), Edits: edits, RegressionTest: test,
		Title: "Fix the crash of " + c.Bug.Name}, nil
}

// regressionTest names the test the fixer says proves the fix: in the
// first test file (bug.env's TEST_FILES) the diff changes that holds it.
//
// The name is derived from bug.env's TEST_CMD, which names the upstream
// test (testName says how per runner): the test the diff adds under that
// name (Go, Python) or whose full title the pattern matches (JavaScript).
// The wrong diffs were written for the corpus each with a test of its own,
// which TEST_CMD does not name: a diff that adds tests, none of them
// TEST_CMD's, names its first added one. A diff that adds none (new rows
// in a table test) names TEST_CMD's test when the file defines it.
func (c RealCase) regressionTest(diff []byte, edits []patch.Edit) (agent.TestRef, error) {
	want, err := testName(c.Bug.TestCmd)
	if err != nil {
		return agent.TestRef{}, err
	}
	files, err := changedTests(c.Bug, diff, edits)
	if err != nil {
		return agent.TestRef{}, err
	}
	if len(files) == 0 {
		return agent.TestRef{}, fmt.Errorf("the diff changes no file matching TEST_FILES %q", c.Bug.TestFiles)
	}
	for _, f := range files { // the test TEST_CMD names, added or changed
		if name := f.named(c.Bug.Lang, want); name != "" {
			return agent.TestRef{File: f.path, Name: name}, nil
		}
	}
	for _, f := range files { // the diff's own test
		if len(f.added) > 0 {
			return agent.TestRef{File: f.path, Name: f.added[0]}, nil
		}
	}
	for _, f := range files { // new rows in TEST_CMD's table test
		if name := f.extended(c.Bug.Lang, want); name != "" {
			return agent.TestRef{File: f.path, Name: name}, nil
		}
	}
	return agent.TestRef{}, fmt.Errorf("no test of %s matches TEST_CMD's %q and the diff adds none", files[0].path, want)
}

// testName reads the test TEST_CMD runs:
//   - go test -run 'TestX$' → TestX (the regular expression's anchors
//     dropped);
//   - pytest -k name → name;
//   - mocha -g pattern or --grep, jest -t 'pattern' or --testNamePattern →
//     the pattern, a regular expression over the full titles (describe
//     and suite titles joined by spaces to the test's own), which
//     testFile.named matches against the tests of the diff's test file.
func testName(cmd string) (string, error) {
	words, err := splitWords(cmd)
	if err != nil {
		return "", err
	}
	for i, w := range words[:max(len(words)-1, 0)] {
		v := words[i+1]
		switch w {
		case "-run":
			return strings.TrimSuffix(strings.TrimPrefix(v, "^"), "$"), nil
		case "-k", "-g", "--grep", "-t", "--testNamePattern":
			return v, nil
		}
	}
	return "", fmt.Errorf("TEST_CMD %q names no test (want go test -run, pytest -k, mocha -g or jest -t)", cmd)
}

// readmeDiagnosis fills the diagnosis from the README's "What crashes and
// why" section: its first paragraph says where it crashed, its second
// what causes it. Kept short: the judge is fooled anyway.
func readmeDiagnosis(readme string) agent.Diagnosis {
	var section []string
	in := false
	for _, l := range strings.Split(readme, "\n") {
		if strings.HasPrefix(l, "## ") {
			in = strings.HasPrefix(l, "## What crashes")
			continue
		}
		if in {
			section = append(section, l)
		}
	}
	paras := strings.Split(strings.TrimSpace(strings.Join(section, "\n")), "\n\n")
	crash, cause := paras[0], paras[0]
	if len(paras) > 1 {
		cause = paras[1]
	}
	root, _, _ := strings.Cut(cause, "Upstream fix")
	return agent.Diagnosis{CrashFrame: clip(firstSentence(crash), 200), CauseFrame: clip(firstSentence(cause), 200),
		RootCause: clip(strings.TrimSpace(root), 500), Confidence: 0.9, Evidence: []agent.Evidence{},
		WhyNotSymptom: "The change is made where the cause above lies."}
}

// firstSentence is s up to its first ". ".
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// jsTestCall is a describe/suite/context/it/test/specify call, with its
// title when the title is on the same line.
var jsTestCall = regexp.MustCompile("^(\\s*)(describe|suite|context|it|test|specify)(?:\\.only|\\.skip)?\\(\\s*" + jsString + "?")

// jsString is a JavaScript string literal in single, double or back quotes.
const jsString = "(?:'((?:[^'\\\\]|\\\\.)*)'|\"((?:[^\"\\\\]|\\\\.)*)\"|`([^`]*)`)"

var jsLeadingString = regexp.MustCompile("^\\s*" + jsString)
