package pipeline

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/config"
	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
	"github.com/dawnpatch/dawnpatch/internal/testrun"
)

// TestReasons drives the pipeline to every reason it can end with, in
// process and without running tests: each case sets up the world and says
// which reason the run must end with and how many model calls it may make.
func TestReasons(t *testing.T) {
	tests := []struct {
		name   string
		reason Reason
		calls  int // model calls
		setup  func(t *testing.T, w *world)
		turns  func(t *testing.T) []llmfake.Turn
	}{
		{name: "a dispatch of another tool", reason: ReasonInvalidInput, setup: func(t *testing.T, w *world) {
			w.trigger.Event = []byte(`{"action":"deploy","client_payload":{"ref":"main"}}`)
		}},
		{name: "below the level", reason: ReasonNoise, setup: func(t *testing.T, w *world) {
			w.event(func(ev map[string]any) { ev["level"] = "info" })
		}},
		{name: "a third party's failure", reason: ReasonExternal, setup: func(t *testing.T, w *world) {
			w.settings.Policy.Triage.External = []string{"nil pointer dereference"}
		}},
		{name: "staging", reason: ReasonNotProduction, setup: func(t *testing.T, w *world) {
			w.event(func(ev map[string]any) { ev["environment"] = "staging" })
		}},
		{name: "too rare", reason: ReasonTooRare, setup: func(t *testing.T, w *world) {
			w.settings.Policy.Triage.MinEvents = 100
			w.sentryIssue(t, sentryfake.IssueSeed{Count: 3})
		}},
		{name: "too old", reason: ReasonTooOld, setup: func(t *testing.T, w *world) {
			w.settings.Policy.Triage.MaxAge = dur(14 * 24 * time.Hour)
			w.sentryIssue(t, sentryfake.IssueSeed{FirstSeen: worldNow.Add(-60 * 24 * time.Hour)})
		}},
		{name: "resolved in Sentry", reason: ReasonIgnoredInSentry, setup: func(t *testing.T, w *world) {
			w.sentryIssue(t, sentryfake.IssueSeed{Status: "resolved"})
		}},
		{name: "assigned in Sentry", reason: ReasonAssignedToHuman, setup: func(t *testing.T, w *world) {
			w.sentryIssue(t, sentryfake.IssueSeed{AssignedTo: &sentryfake.Assignee{Type: "user", ID: "1", Name: "jane"}})
		}},
		{name: "dawnpatch's pull request is open", reason: ReasonDuplicatePR, setup: func(t *testing.T, w *world) {
			w.ownPR(t, "open", worldNow.Add(-time.Hour))
		}},
		{name: "a human closed dawnpatch's pull request", reason: ReasonRejectedBefore, setup: func(t *testing.T, w *world) {
			w.ownPR(t, "closed", worldNow.Add(-48*time.Hour))
		}},
		{name: "a human's issue tracks it", reason: ReasonHumanTicket, setup: func(t *testing.T, w *world) {
			w.gh.AddIssue("acme", "shop", ghfake.IssueSeed{Title: "nil deref in discounts", Body: "See " + ghwork.BranchName(w.fingerprint()), User: "jane"})
		}},
		{name: "the daily cap", reason: ReasonRateCapped, setup: func(t *testing.T, w *world) {
			w.settings.Inputs.MaxPRsPerDay = 1
			w.gh.AddPull("acme", "shop", ghfake.PullSeed{Title: "other", Head: "dawnpatch/0123456789ab", Base: "main",
				Body: ghwork.Marker("0123456789abcdef", ""), State: "open", CreatedAt: worldNow.Add(-time.Hour)})
		}},
		{name: "frames of another program", reason: ReasonNoInAppCode, setup: func(t *testing.T, w *world) {
			w.event(func(ev map[string]any) {
				for _, f := range frames(ev) {
					f["abs_path"] = "/srv/other/" + filepath.Base(f["abs_path"].(string))
					f["filename"] = "other/" + filepath.Base(f["abs_path"].(string))
					f["module"] = "example.com/other"
				}
			})
		}},
		{name: "the crash line changed since the release", reason: ReasonAlreadyFixed, setup: func(t *testing.T, w *world) {
			w.git(t, "tag", "shop@1.4.2")
			w.commitFile(t, "internal/orders/pricing.go", strings.Replace(w.files["internal/orders/pricing.go"],
				"off := subtotalCents * d.Percent / 100", "off := subtotalCents * d.Percent / 100 // rounded down", 1))
		}},
		{name: "no supported language", reason: ReasonNotAvailable, setup: func(t *testing.T, w *world) {
			w.git(t, "rm", "-q", "go.mod")
			w.git(t, "commit", "-q", "-m", "no go.mod")
		}},
		{name: "budget below one attempt", reason: ReasonBudgetExhausted, setup: func(t *testing.T, w *world) {
			w.settings.Inputs.MaxModelCalls = 2
		}},
		{name: "the gate says expected behaviour", reason: ReasonNotWorthFixing, calls: 1, turns: func(t *testing.T) []llmfake.Turn {
			gate := demoTurns(t)[0]
			return []llmfake.Turn{editJSON(t, gate, func(m map[string]any) { m["verdict"] = "expected"; m["confidence"] = 0.95 })}
		}},
		{name: "another run's live claim", reason: ReasonClaimed, setup: func(t *testing.T, w *world) {
			w.claim(t, 10*time.Minute)
		}},
		{name: "an unsure diagnosis", reason: ReasonNoConfidentCause, calls: 2, turns: func(t *testing.T) []llmfake.Turn {
			ts := demoTurns(t)
			return []llmfake.Turn{ts[0], editJSON(t, ts[1], func(m map[string]any) {
				m["diagnosis"].(map[string]any)["confidence"] = 0.1
			})}
		}},
		{name: "an edit whose old text is not there", reason: ReasonNoPatch, calls: 2, turns: func(t *testing.T) []llmfake.Turn {
			ts := demoTurns(t)
			return []llmfake.Turn{ts[0], editJSON(t, ts[1], func(m map[string]any) {
				m["edits"].([]any)[0].(map[string]any)["old"] = "\td := h.discounts[strings.ToLower(code)]\n"
			})}
		}},
		{name: "setup cannot install the dependencies", reason: ReasonSetupFailed, calls: 1, setup: func(t *testing.T, w *world) {
			w.setupFails = "setup step \"npm ci\" failed with exit code 1"
		}, turns: func(t *testing.T) []llmfake.Turn { return demoTurns(t)[:1] }},
		{name: "the test passes on base", reason: ReasonNotReproduced, calls: 2, setup: func(t *testing.T, w *world) {
			w.prove = verdict(testrun.VerdictNotReproduced)
		}, turns: func(t *testing.T) []llmfake.Turn { return demoTurns(t)[:2] }},
		{name: "the test fails with the fix", reason: ReasonStillFailing, calls: 2, setup: func(t *testing.T, w *world) {
			w.prove = verdict(testrun.VerdictStillFailing)
		}, turns: func(t *testing.T) []llmfake.Turn { return demoTurns(t)[:2] }},
		{name: "the fix breaks a test", reason: ReasonRegressions, calls: 2, setup: func(t *testing.T, w *world) {
			w.prove = verdict(testrun.VerdictRegressions)
		}, turns: func(t *testing.T) []llmfake.Turn { return demoTurns(t)[:2] }},
		{name: "the guards find a discarded error", reason: ReasonGuardRejected, calls: 2, setup: func(t *testing.T, w *world) {
			w.settings.Policy.Judge.MaxAttempts = 1
		}, turns: func(t *testing.T) []llmfake.Turn {
			ts := demoTurns(t)
			return []llmfake.Turn{ts[0], editJSON(t, ts[1], func(m map[string]any) {
				e := m["edits"].([]any)[0].(map[string]any)
				e["new"] = "\td, err := lookup(h.discounts, code)\n\t_ = err\n"
			})}
		}},
		{name: "the judge says no twice", reason: ReasonJudgeRejected, calls: 5, turns: func(t *testing.T) []llmfake.Turn {
			ts := demoTurns(t, "model-judge-rejects.json", "model-judge-rejects.json")
			return ts
		}},
		{name: "the token may not open pull requests", reason: ReasonPermission, calls: 3, setup: func(t *testing.T, w *world) {
			w.gh.DenyPullRequests("GitHub Actions is not permitted to create or approve pull requests.")
		}},
		{name: "dry run", reason: ReasonProven, calls: 3, setup: func(t *testing.T, w *world) {
			w.settings.Inputs.DryRun = true
		}},
		{name: "a proven, judged fix", reason: ReasonPROpened, calls: 3},
		{name: "a better fix for an old pull request", reason: ReasonPRUpdated, calls: 3, setup: func(t *testing.T, w *world) {
			w.settings.Policy.PR.RefreshAfter = dur(7 * 24 * time.Hour)
			w.ownPR(t, "open", worldNow.Add(-10*24*time.Hour))
		}},
	}
	seen := map[Reason]bool{}
	for _, tt := range tests {
		seen[tt.reason] = true
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			turns := demoTurns(t)
			if tt.turns != nil {
				turns = tt.turns(t)
			}
			w := newWorld(t, turns...)
			if tt.setup != nil {
				tt.setup(t, w)
			}
			res := w.run()
			if res.Outcome.Reason != tt.reason {
				t.Fatalf("reason = %s (%s), want %s", res.Outcome.Reason, res.Outcome.Detail, tt.reason)
			}
			if got := w.llm.Calls(); got != tt.calls {
				t.Errorf("%d model calls, want %d", got, tt.calls)
			}
			if res.Outcome.Detail == "" {
				t.Error("the outcome has no detail")
			}
		})
	}
	for r := range Reasons {
		if !seen[r] && !slices.Contains([]Reason{ReasonQueued}, r) {
			t.Errorf("no case ends with %s", r)
		}
	}
}

// verdict is a prover that answers every proof with v.
func verdict(v testrun.Verdict) func(testrun.ProofRequest) *testrun.Proof {
	return func(testrun.ProofRequest) *testrun.Proof {
		p := proven()
		p.Verdict, p.Detail = v, fmt.Sprintf("the prover said %s", v)
		return p
	}
}

func dur(d time.Duration) config.Duration { return config.Duration(d) }

// lastException returns the event's last exception, in either shape.
func lastException(ev map[string]any) map[string]any {
	var ex []any
	switch x := ev["exception"].(type) {
	case []any:
		ex = x
	case map[string]any:
		ex = x["values"].([]any)
	}
	return ex[len(ex)-1].(map[string]any)
}

// frames returns the frames of the event's last exception.
func frames(ev map[string]any) []map[string]any {
	st := lastException(ev)["stacktrace"].(map[string]any)
	var out []map[string]any
	for _, f := range st["frames"].([]any) {
		out = append(out, f.(map[string]any))
	}
	return out
}

// sentryIssue makes the run a dispatch of a Sentry issue id that the fake
// Sentry serves with the demo's event and seed's state.
func (w *world) sentryIssue(t *testing.T, seed sentryfake.IssueSeed) {
	t.Helper()
	seed.ID, seed.ShortID = "4242", "SHOP-1A"
	if seed.Status == "" {
		seed.Status = "unresolved"
	}
	if seed.Count == 0 {
		seed.Count, seed.UserCount = 17, 5
	}
	if seed.FirstSeen.IsZero() {
		seed.FirstSeen = worldNow.Add(-2 * time.Hour)
	}
	seed.LastSeen, seed.Level = worldNow, "fatal"
	if _, err := w.sentry.AddIssue(seed); err != nil {
		t.Fatal(err)
	}
	event, err := os.ReadFile(filepath.Join(demoDir, "event-api.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.sentry.AddEvent("4242", event); err != nil {
		t.Fatal(err)
	}
	w.trigger.Event = []byte(`{"action":"sentry-issue","client_payload":{"sentry_issue_id":"4242"}}`)
}

// ownPR seeds dawnpatch's pull request for the demo's error.
func (w *world) ownPR(t *testing.T, state string, at time.Time) int {
	t.Helper()
	fp := w.fingerprint()
	body := "dawnpatch's fix\n" + ghwork.Marker(fp, "") + "\n" + ghwork.ScoreMarker(0.5)
	if state == "open" {
		head, _ := w.gh.Ref("acme", "shop", "heads/main")
		if err := w.gh.AddBranch("acme", "shop", ghwork.BranchName(fp), head); err != nil {
			t.Fatal(err)
		}
	}
	return w.gh.AddPull("acme", "shop", ghfake.PullSeed{Title: "fix", Body: body, Head: ghwork.BranchName(fp), Base: "main",
		State: state, User: ghwork.ActionsBot, CreatedAt: at, ClosedAt: at})
}

// claim makes another run's claim on the demo's branch, made ago.
func (w *world) claim(t *testing.T, ago time.Duration) {
	t.Helper()
	srv := httptest.NewServer(w.gh)
	defer srv.Close()
	gh, err := ghwork.New(nil, srv.URL, "x", "acme/shop")
	if err != nil {
		t.Fatal(err)
	}
	w.gh.SetClock(func() time.Time { return worldNow.Add(-ago) })
	defer w.gh.SetClock(func() time.Time { return worldNow })
	head, _ := w.gh.Ref("acme", "shop", "heads/main")
	if _, err := gh.Claim(context.Background(), ghwork.BranchName(w.fingerprint()), head); err != nil {
		t.Fatal(err)
	}
}

// git runs git in the checkout.
func (w *world) git(t *testing.T, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = w.checkout
	cmd.Env = []string{"HOME=" + t.TempDir(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// commitFile changes a file of the checkout in a new commit.
func (w *world) commitFile(t *testing.T, rel, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(w.checkout, filepath.FromSlash(rel)), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	w.git(t, "commit", "-q", "-am", "change "+rel)
}
