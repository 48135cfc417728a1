package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
)

// gateSays is the demo's gate answer with another verdict.
func gateSays(t *testing.T, verdict string) llmfake.Turn {
	t.Helper()
	gate := transcript(t, "gate.json")[0]
	var a map[string]any
	if err := json.Unmarshal(gate.JSON, &a); err != nil {
		t.Fatal(err)
	}
	a["verdict"], a["confidence"] = verdict, 0.95
	gate.JSON, _ = json.Marshal(a)
	return gate
}

// TestPollWithAFailingIssueStillReports: the model fails on the most
// frequent issue (every retry a 500). The step still writes the table of
// every issue and the outputs, works on the next issue when poll-limit
// allows, and ends red with an ::error:: naming the issue.
func TestPollWithAFailingIssueStillReports(t *testing.T) {
	endToEnd(t)
	down := llmfake.Turn{Status: 500, Error: "the model is down"}
	tests := []struct {
		name    string
		limit   string
		turns   []llmfake.Turn
		outputs map[string]string
		summary []string
	}{
		{name: "the only worked issue fails", limit: "1", turns: []llmfake.Turn{down, down, down},
			outputs: map[string]string{"outcome": "", "reason": "", "sentry-issue": ""},
			summary: []string{"## dawnpatch: scheduled run, failed", "5 Sentry issues considered, 1 worked on.", "**Working on `SHOP-1A` failed**",
				"| 100000 / 50 | **failed** | `model call: chat completion: llm api: status 500: the model is down` |", "| `SHOP-3` `*errors.errorString: failure 3` | 997 / 1 | `queued` |", "`assigned-to-human` 1"}},
		{name: "the next issue is still worked on", limit: "2", turns: []llmfake.Turn{down, down, down, gateSays(t, "expected")},
			outputs: map[string]string{"outcome": "skipped", "reason": "not-worth-fixing", "sentry-issue": "5003"},
			summary: []string{"## dawnpatch: scheduled run, skipped (`not-worth-fixing`)", "5 Sentry issues considered, 2 worked on.", "**Working on `SHOP-1A` failed**",
				"| `SHOP-3` `*errors.errorString: failure 3` | 997 / 1 | `not-worth-fixing` |", "| `SHOP-4` `*errors.errorString: failure 4` | 996 / 1 | `queued` |"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, sentry := pollScenario(t, 5, tt.turns)
			s.r.Env["INPUT_POLL-LIMIT"] = tt.limit
			event, err := os.ReadFile(filepath.Join(demoDir, "event-api.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := sentry.AddEvent("5003", event); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := s.run(t, s.r)
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
			}
			if !strings.Contains(stdout, "::error::work on Sentry issue SHOP-1A: ") || strings.Contains(stdout, "::error::work on Sentry issue SHOP-3") {
				t.Errorf("stdout lacks the ::error:: naming SHOP-1A, or names another:\n%s", stdout)
			}
			out := s.r.Outputs(t)
			for name, want := range tt.outputs {
				if got, ok := out[name]; !ok || got != want {
					t.Errorf("output %s = %q (written %v), want %q", name, got, ok, want)
				}
			}
			sum := s.r.SummaryText(t)
			for _, want := range tt.summary {
				if !strings.Contains(sum, want) {
					t.Errorf("the summary lacks %q:\n%s", want, sum)
				}
			}
			s.r.AssertNoSecrets(t, stdout, stderr)
		})
	}
}

// TestPollNeedsSentryProjects: without sentry-projects a poll would list
// every Sentry project the token can see; it is a configuration error
// naming the input, before any call.
func TestPollNeedsSentryProjects(t *testing.T) {
	for _, event := range []string{"schedule", "workflow_dispatch"} {
		t.Run(event, func(t *testing.T) {
			t.Parallel()
			s, sentry := pollScenario(t, 3, nil)
			s.r.Env["GITHUB_EVENT_NAME"] = event
			delete(s.r.Env, "INPUT_SENTRY-PROJECTS")
			code, stdout, stderr := s.run(t, s.r)
			if code != 1 {
				t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
			}
			if !strings.Contains(stdout, "::error::input sentry-projects: is empty") {
				t.Errorf("stdout lacks the ::error:: naming sentry-projects:\n%s", stdout)
			}
			if sentry.Calls() != 0 || s.gh.Calls() != 0 {
				t.Errorf("%d Sentry and %d GitHub calls, want none", sentry.Calls(), s.gh.Calls())
			}
			if sum := s.r.SummaryText(t); !strings.Contains(sum, "**What is wrong:** the input `sentry-projects`") {
				t.Errorf("the summary does not name sentry-projects:\n%s", sum)
			}
		})
	}
}
