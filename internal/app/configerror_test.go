package app

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"
)

// TestConfigErrorIsInTheSummary: a run its configuration stops exits 1
// with an ::error:: and says in the step summary what is wrong, where, and
// how to fix it, before any call.
func TestConfigErrorIsInTheSummary(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(t *testing.T, s *scenario)
		error   string // the ::error:: line starts so
		where   string // the summary's "What is wrong" names this
		fix     string
		message string
	}{
		{name: "a bad input", setup: func(t *testing.T, s *scenario) { s.r.Env["INPUT_DRY-RUN"] = "yes" },
			error: "::error::input dry-run: want true or false", where: "the input `dry-run`", fix: "**Fix:** set `dry-run` under `with:`",
			message: `got "yes"`},
		{name: "a bad policy file", setup: func(t *testing.T, s *scenario) { s.setPolicy(t, "triage:\n  min_events: -3\n") },
			error: "::error::.github/dawnpatch.yml:2: triage.min_events: must be ≥ 0, got -3",
			where: "field `triage.min_events` of the policy file `.github/dawnpatch.yml`, line 2",
			fix:   "**Fix:** correct `triage.min_events` in `.github/dawnpatch.yml`", message: "must be ≥ 0, got -3"},
		{name: "a missing required input", setup: func(t *testing.T, s *scenario) { delete(s.r.Env, "INPUT_MODEL") },
			error: "::error::input model: is required and empty", where: "the input `model`", fix: "**Fix:** set `model` under `with:`",
			message: "e.g. gpt-4.1 (OpenAI)"},
		{name: "a cost cap without a price", setup: func(t *testing.T, s *scenario) { s.r.Env["INPUT_MAX-COST-USD"] = "0.50" },
			error: `::error::input max-cost-usd: 0.5 needs a price for model "m"`, where: "the input `max-cost-usd`",
			fix: "**Fix:** set `max-cost-usd` under `with:`", message: "add it under prices in .github/dawnpatch.yml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newScenario(t, nil)
			tt.setup(t, s)
			code, stdout, stderr := s.run(t, s.r)
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
			}
			if !strings.Contains(stdout, tt.error) {
				t.Errorf("stdout lacks %q:\n%s", tt.error, stdout)
			}
			sum := s.r.SummaryText(t)
			for _, want := range []string{"## dawnpatch: configuration error", "**What is wrong:** " + tt.where + ":", tt.message, tt.fix} {
				if !strings.Contains(sum, want) {
					t.Errorf("the summary lacks %q:\n%s", want, sum)
				}
			}
			if _, err := os.Stat(s.r.Output); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("outputs were written (%v); a configuration error has none", err)
			}
			if s.gh.Calls() != 0 || s.llm.Calls() != 0 {
				t.Errorf("%d GitHub and %d model calls, want none", s.gh.Calls(), s.llm.Calls())
			}
			s.r.AssertNoSecrets(t, stdout, stderr)
		})
	}
}
