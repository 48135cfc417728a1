package app

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
	"github.com/dawnpatch/dawnpatch/internal/runnertest"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
)

func TestFiftyRunsAtOnceOpenOnePR(t *testing.T) {
	endToEnd(t)
	s := newScenario(t, turns(t, "model.json", nil))
	s.setPolicy(t, "triage:\n  model_gate: false\n") // only the claim's winner calls the model
	runners := make([]*runnertest.Runner, 50)
	for i := range runners {
		runners[i] = s.r.Again(t)
	}
	var wg sync.WaitGroup
	codes := make([]int, len(runners))
	for i, r := range runners {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _, _ = s.run(t, r)
		}()
	}
	wg.Wait()
	reasons := map[string]int{}
	for i, r := range runners {
		if codes[i] != 0 {
			t.Errorf("run %d exit %d", i, codes[i])
			continue
		}
		reasons[r.Outputs(t)["reason"]]++
	}
	if reasons["pr-opened"] != 1 || reasons["claimed"]+reasons["duplicate-pr"] != 49 || len(s.gh.Pulls("acme", "shop")) != 1 {
		t.Errorf("reasons %v and %d pull requests, want exactly one opened", reasons, len(s.gh.Pulls("acme", "shop")))
	}
}

// happyPathRequests runs the demo once cleanly and returns the GitHub
// requests it made, the points a fault can hit.
func happyPathRequests(t *testing.T) []string {
	t.Helper()
	s := newScenario(t, withGate(t, turns(t, "model.json", nil)))
	s.r.Env["INPUT_TEST-ISOLATION"] = "none"
	if code, _, _ := s.run(t, s.r); code != 0 || s.r.Outputs(t)["reason"] != "pr-opened" {
		t.Fatalf("the clean run did not open a pull request: %v", s.r.Outputs(t))
	}
	return s.gh.Requests()
}

// fault is a GitHub answer injected once at one request of the happy path.
type fault struct {
	status int
	header http.Header
}

// faultsAt picks the faults for a request: a 500 everywhere; a rate limit
// (429, or the 403 of a secondary limit) where a retry matters most.
func faultsAt(req string) []fault {
	out := []fault{{500, nil}}
	switch {
	case strings.HasPrefix(req, "GET /search/"):
		out = append(out, fault{403, http.Header{"Retry-After": {"0"}}})
	case strings.HasPrefix(req, "POST /repos/acme/shop/git/refs"), strings.HasPrefix(req, "POST /repos/acme/shop/pulls"):
		out = append(out, fault{429, http.Header{"Retry-After": {"0"}}})
	}
	return out
}

func TestGitHubFaultsNeverLeaveTwoPRsOrAHalfMadeOne(t *testing.T) {
	endToEnd(t)
	seen := map[string]bool{}
	for i, req := range happyPathRequests(t) {
		if seen[req] {
			continue // one fault per distinct request is enough
		}
		seen[req] = true
		method, path, _ := strings.Cut(req, " ")
		for _, f := range faultsAt(req) {
			t.Run(fmt.Sprintf("%d %s %d", i, req, f.status), func(t *testing.T) {
				t.Parallel()
				s := newScenario(t, withGate(t, turns(t, "model.json", nil)))
				s.r.Env["INPUT_TEST-ISOLATION"] = "none"
				s.gh.Fail(method, path, f.status, 1, f.header)
				code, stdout, _ := s.run(t, s.r)
				out := map[string]string{"fingerprint": demoFingerprint(t)}
				if code == 0 {
					out = s.r.Outputs(t)
				}
				pulls := s.gh.Pulls("acme", "shop")
				switch {
				case len(pulls) > 1:
					t.Fatalf("%d pull requests", len(pulls))
				case len(pulls) == 1 && !strings.Contains(pulls[0].Body, ghwork.Marker(out["fingerprint"], "")[:30]):
					t.Errorf("a pull request without its marker")
				case code != 0 && !strings.Contains(stdout, "::error::"):
					t.Errorf("exit %d without an ::error:: naming the cause", code)
				}
				if f.status != 500 {
					if code != 0 || out["reason"] != "pr-opened" {
						t.Errorf("a rate limit was not retried: exit %d, outputs %v", code, out)
					}
				}
				branch := ghwork.BranchName(out["fingerprint"])
				if head, ok := s.gh.Ref("acme", "shop", "heads/"+branch); ok && len(pulls) == 0 {
					files, _ := s.gh.Files("acme", "shop", head)
					if files["internal/orders/handler.go"] != s.service["internal/orders/handler.go"] && !strings.Contains(files["internal/orders/handler.go"], "d, ok := h.discounts[code]") {
						t.Error("the claimed branch holds a half-made change")
					}
				}
			})
		}
	}
}

func TestModelFaults(t *testing.T) {
	gate := transcript(t, "gate.json")[0]
	good := turns(t, "model.json", nil)
	tests := []struct {
		name   string
		turns  []llmfake.Turn
		code   int
		reason string
	}{
		{"429 then the answer", []llmfake.Turn{{Status: 429, RetryAfter: "0"}, gate, good[0], good[1]}, 0, "pr-opened"},
		{"502 then the answer", []llmfake.Turn{gate, {Status: 502}, good[0], good[1]}, 0, "pr-opened"},
		{"the server keeps failing", []llmfake.Turn{gate, {Status: 500}, {Status: 500}, {Status: 500}}, 1, ""},
		{"a refusal twice", []llmfake.Turn{gate, {Refusal: "no"}, {Refusal: "no"}}, 0, "no-patch"},
		{"a cut answer twice", []llmfake.Turn{gate, {Content: `{"diag`, FinishReason: "length"}, {Content: `{"di`, FinishReason: "length"}}, 0, "no-patch"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reason == "pr-opened" {
				endToEnd(t)
			}
			t.Parallel()
			s := newScenario(t, tt.turns)
			s.r.Env["INPUT_TEST-ISOLATION"] = "none"
			code, stdout, _ := s.run(t, s.r)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, stdout)
			}
			if tt.code == 1 && !strings.Contains(stdout, "::error::") {
				t.Error("a failure without an ::error:: naming it")
			}
			if tt.reason != "" && s.r.Outputs(t)["reason"] != tt.reason {
				t.Errorf("reason = %s, want %s", s.r.Outputs(t)["reason"], tt.reason)
			}
			if n := len(s.gh.Pulls("acme", "shop")); n > 1 || (tt.reason != "pr-opened" && n != 0) {
				t.Errorf("%d pull requests", n)
			}
		})
	}
}

func TestSentryFaults(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		status int
		times  int
		header http.Header
		code   int
	}{
		{"a 502 on the issue is retried", "/issues/4242/", 502, 1, nil, 0},
		{"a 429 on the latest event is retried", "/events/latest/", 429, 1, http.Header{"Retry-After": {"0"}}, 0},
		{"a Sentry that keeps failing ends the run with an error", "/issues/4242/", 500, 10, nil, 1},
		{"a refused token ends the run with an error", "/issues/4242/", 401, 1, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.code == 0 || tt.times > 1 {
				endToEnd(t) // a pull request, or retries' backoff
			}
			t.Parallel()
			s := newScenario(t, withGate(t, turns(t, "model.json", nil)))
			s.r.Env["INPUT_TEST-ISOLATION"] = "none"
			sentry := s.withSentry(t, sentryfake.IssueSeed{ShortID: "SHOP-1A", Status: "unresolved", Count: 17, UserCount: 5, LastSeen: time.Now()})
			sentry.Fail(tt.path, tt.status, tt.times, tt.header)
			code, stdout, _ := s.run(t, s.r)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, stdout)
			}
			if code == 1 && (!strings.Contains(stdout, "::error::") || strings.Contains(strings.ReplaceAll(stdout, "::add-mask::sentry-canary-token\n", ""), "sentry-canary-token")) {
				t.Errorf("the failure is not named, or names the token:\n%s", stdout)
			}
			if code == 0 && s.r.Outputs(t)["reason"] != "pr-opened" {
				t.Errorf("outputs = %v", s.r.Outputs(t))
			}
			if n := len(s.gh.Pulls("acme", "shop")); n > 1 || (code == 1 && n != 0) {
				t.Errorf("%d pull requests", n)
			}
		})
	}
}
