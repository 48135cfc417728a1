package agent

import (
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/ask"
	"github.com/dawnpatch/dawnpatch/internal/patch"
)

// Diagnosis is the model's account of the error: where it crashed, where
// the cause lies, and the evidence for it.
type Diagnosis struct {
	CrashFrame    string     `json:"crash_frame"`
	CauseFrame    string     `json:"cause_frame"`
	RootCause     string     `json:"root_cause"`
	WhyNotSymptom string     `json:"why_not_symptom"`
	Evidence      []Evidence `json:"evidence"`
	Confidence    float64    `json:"confidence"`
}

// Evidence is a line the model quotes to back its diagnosis.
type Evidence struct {
	File  string `json:"file"`
	Line  int    `json:"line"`
	Quote string `json:"quote"`
}

// TestRef names the regression test.
type TestRef struct {
	File string `json:"file"`
	Name string `json:"name"`
}

// Answer is a diagnosis with its fix, as data. Nothing in it is trusted
// until validated here and then by patch and testrun.
type Answer struct {
	Diagnosis      Diagnosis    `json:"diagnosis"`
	Edits          []patch.Edit `json:"edits"`
	RegressionTest TestRef      `json:"regression_test"`
	Title          string       `json:"title"`
}

// Patch returns the answer's edits as a patch.
func (a *Answer) Patch() patch.Patch { return patch.Patch{Edits: a.Edits} }

// parseAnswer decodes and checks a fix answer. The error says what is
// wrong so the model can correct it.
func parseAnswer(content string) (*Answer, error) {
	var a Answer
	if err := ask.Decode(content, &a); err != nil {
		return nil, fmt.Errorf("answer is not the JSON asked for: %w", err)
	}
	return &a, a.validate()
}

func (a *Answer) validate() error {
	d := a.Diagnosis
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if strings.TrimSpace(d.RootCause) == "" || strings.TrimSpace(d.CauseFrame) == "" {
		bad("diagnosis.root_cause and diagnosis.cause_frame are required")
	}
	if d.Confidence < 0 || d.Confidence > 1 {
		bad("diagnosis.confidence must be between 0 and 1, got %v", d.Confidence)
	}
	if len(a.Edits) == 0 {
		bad("edits: at least one edit is required")
	}
	for i, e := range a.Edits {
		if strings.TrimSpace(e.File) == "" {
			bad("edits[%d].file is empty", i)
		}
	}
	t := a.RegressionTest
	if t.File == "" || t.Name == "" {
		bad("regression_test.file and regression_test.name are required")
	} else if !a.editsTestFile() {
		bad("regression_test: no edit changes %s, the file of %s", t.File, t.Name)
	}
	if len(a.Edits) > 0 && !a.changesNonTest() {
		bad("edits: only test files are changed; the fix itself is missing")
	}
	return errors.Join(errs...)
}

// editsTestFile reports whether an edit changes the regression test's
// file. The test may be new, a new case in an existing table, a new
// subtest or new assertions in an existing test: the proof, not its name,
// shows it is one (it must fail on base, where an existing test must have
// passed before the change, and pass with the fix).
func (a *Answer) editsTestFile() bool {
	for _, e := range a.Edits {
		if path.Clean(e.File) == path.Clean(a.RegressionTest.File) {
			return true
		}
	}
	return false
}

func (a *Answer) changesNonTest() bool {
	for _, e := range a.Edits {
		if path.Clean(e.File) != path.Clean(a.RegressionTest.File) {
			return true
		}
	}
	return false
}

// answerSchema is the JSON schema of Answer, strict: every field required,
// no others allowed.
func answerSchema() map[string]any {
	str := ask.Type("string")
	return ask.Object(map[string]any{
		"diagnosis": ask.Object(map[string]any{
			"crash_frame": str, "cause_frame": str, "root_cause": str, "why_not_symptom": str,
			"evidence":   ask.Array(ask.Object(map[string]any{"file": str, "line": ask.Type("integer"), "quote": str})),
			"confidence": ask.Type("number"),
		}),
		"edits":           ask.Array(ask.Object(map[string]any{"file": str, "old": str, "new": str})),
		"regression_test": ask.Object(map[string]any{"file": str, "name": str}),
		"title":           str,
	})
}
