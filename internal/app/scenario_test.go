package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
	"github.com/dawnpatch/dawnpatch/internal/pipeline"
	"github.com/dawnpatch/dawnpatch/internal/runnertest"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
	"github.com/google/go-cmp/cmp"
)

var demoDir = filepath.Join("..", "..", "testdata", "demo")

// scenario is the demo sample as a repository on a fake GitHub with a
// scripted model, run in-process through Main as a runner would start it.
type scenario struct {
	gh      *ghfake.Server
	llm     *llmfake.Server
	r       *runnertest.Runner
	base    string
	service map[string]string
}

func newScenario(t *testing.T, turns []llmfake.Turn) *scenario {
	t.Helper()
	s := &scenario{gh: ghfake.New(), llm: llmfake.New(turns...), service: runnertest.ReadTree(t, filepath.Join(demoDir, "service"))}
	s.base = s.gh.AddRepo("acme", "shop", "main", s.service)
	ghSrv := httptest.NewServer(s.gh)
	t.Cleanup(ghSrv.Close)
	llmSrv := httptest.NewServer(s.llm)
	t.Cleanup(llmSrv.Close)
	s.r = runnertest.New(t, os.Getenv, runnertest.GitRepo(t, s.service), filepath.Join(demoDir, "dispatch.json"), ghSrv.URL)
	s.r.Env["INPUT_MODEL-BASE-URL"] = llmSrv.URL + "/v1"
	return s
}

// claimAgo makes another run's claim on the demo's branch, made ago.
func (s *scenario) claimAgo(t *testing.T, ago time.Duration) {
	t.Helper()
	srv := httptest.NewServer(s.gh)
	defer srv.Close()
	gh, err := ghwork.New(nil, srv.URL, "x", "acme/shop")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-ago)
	s.gh.SetClock(func() time.Time { return at })
	defer s.gh.SetClock(time.Now)
	if _, err := gh.Claim(context.Background(), ghwork.BranchName(demoFingerprint(t)), s.base); err != nil {
		t.Fatal(err)
	}
}

// setPolicy gives the checkout a policy file.
func (s *scenario) setPolicy(t *testing.T, yaml string) {
	t.Helper()
	s.addFiles(t, map[string]string{".github/dawnpatch.yml": yaml})
}

// addFiles makes a new checkout holding the service and files.
func (s *scenario) addFiles(t *testing.T, extra map[string]string) {
	t.Helper()
	files := map[string]string{}
	for k, v := range s.service {
		files[k] = v
	}
	for k, v := range extra {
		files[k] = v
	}
	s.r.Env["GITHUB_WORKSPACE"] = runnertest.GitRepo(t, files)
}

// run plays one action step in-process.
func (s *scenario) run(t *testing.T, r *runnertest.Runner) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), Env{Getenv: r.Getenv, Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

// editEvent rewrites the dispatch event's Sentry event and points the
// runner at the result.
func (s *scenario) editEvent(t *testing.T, edit func(event map[string]any)) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(demoDir, "dispatch.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatal(err)
	}
	edit(d["client_payload"].(map[string]any)["event"].(map[string]any))
	path := filepath.Join(t.TempDir(), "event.json")
	data, _ = json.Marshal(d)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	s.r.Env["GITHUB_EVENT_PATH"] = path
}

// turns loads a demo transcript, optionally editing the fix answer of its
// first turn.
func turns(t *testing.T, name string, edit func(answer map[string]any)) []llmfake.Turn {
	t.Helper()
	ts := transcript(t, name)
	if edit != nil {
		var a map[string]any
		if err := json.Unmarshal(ts[0].JSON, &a); err != nil {
			t.Fatal(err)
		}
		edit(a)
		ts[0].JSON, _ = json.Marshal(a)
	}
	return ts
}

func transcript(t *testing.T, name string) []llmfake.Turn {
	t.Helper()
	ts, err := llmfake.LoadTranscript(filepath.Join(demoDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// withGate puts the triage gate's "bug" answer first.
func withGate(t *testing.T, ts []llmfake.Turn) []llmfake.Turn {
	t.Helper()
	return append(transcript(t, "gate.json"), ts...)
}

// edits returns the answer's edits for changing in place.
func edits(a map[string]any) []any { return a["edits"].([]any) }

func demoFingerprint(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(demoDir, "dispatch.json"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := incident.ParseDispatch(data)
	if err != nil {
		t.Fatal(err)
	}
	return d.Incident.Fingerprint
}

func TestStopsOnTheFirstPath(t *testing.T) {
	tests := []struct {
		name   string
		turns  func(t *testing.T) []llmfake.Turn
		setup  func(t *testing.T, s *scenario)
		reason pipeline.Reason
		// modelCalls is the exact number of model calls the stop costs.
		modelCalls int
		// claims tells whether the run got as far as claiming the branch.
		claims bool
		// githubCalls, when set, is the exact number of GitHub API calls.
		githubCalls int
		// ownGate: turns start with the gate's answer; no "bug" is put first.
		ownGate bool
	}{
		{
			name:  "no in-app frames",
			turns: func(t *testing.T) []llmfake.Turn { return nil },
			setup: func(t *testing.T, s *scenario) {
				s.editEvent(t, func(ev map[string]any) {
					for _, f := range ev["exception"].([]any)[0].(map[string]any)["stacktrace"].(map[string]any)["frames"].([]any) {
						f.(map[string]any)["in_app"] = false
					}
				})
			},
			reason: pipeline.ReasonNoInAppCode,
		},
		{
			name:  "in-app frames that are not in this checkout",
			turns: func(t *testing.T) []llmfake.Turn { return nil },
			setup: func(t *testing.T, s *scenario) {
				s.r.Env["GITHUB_WORKSPACE"] = runnertest.GitRepo(t, map[string]string{"go.mod": "module example.com/other\n", "other.go": "package other\n"})
			},
			reason: pipeline.ReasonNoInAppCode,
		},
		{
			name:  "open pull request for the fingerprint",
			turns: func(t *testing.T) []llmfake.Turn { return nil },
			setup: func(t *testing.T, s *scenario) {
				s.gh.AddPull("acme", "shop", ghfake.PullSeed{Title: "fix", Body: "earlier fix\n" + ghwork.Marker(demoFingerprint(t), ""),
					Head: ghwork.BranchName(demoFingerprint(t)), Base: "main", State: "open", User: ghwork.ActionsBot})
			},
			// dawnpatch's pull requests from the claim branch, then the
			// recurrence comment: list, and create it the first time.
			reason: pipeline.ReasonDuplicatePR, githubCalls: 3,
		},
		{
			name:  "a dawnpatch pull request closed unmerged yesterday",
			turns: func(t *testing.T) []llmfake.Turn { return nil },
			setup: func(t *testing.T, s *scenario) {
				s.gh.AddPull("acme", "shop", ghfake.PullSeed{Title: "fix", Body: ghwork.Marker(demoFingerprint(t), ""), Head: ghwork.BranchName(demoFingerprint(t)), Base: "main",
					State: "closed", CreatedAt: time.Now().Add(-25 * time.Hour)})
			},
			reason: pipeline.ReasonRejectedBefore, githubCalls: 1,
		},
		{
			name:  "a human's issue tracks the error",
			turns: func(t *testing.T) []llmfake.Turn { return nil },
			setup: func(t *testing.T, s *scenario) {
				s.gh.AddIssue("acme", "shop", ghfake.IssueSeed{Title: "Discount endpoint 500s", Body: "Seen on prod, branch dawnpatch/" + demoFingerprint(t)[:12] + " was a start", User: "jane"})
			},
			reason: pipeline.ReasonHumanTicket, githubCalls: 2,
		},
		{
			name:  "the daily cap is reached",
			turns: func(t *testing.T) []llmfake.Turn { return nil },
			setup: func(t *testing.T, s *scenario) {
				s.r.Env["INPUT_MAX-PRS-PER-DAY"] = "2"
				for i := range 2 {
					fp := strings.Repeat(string(rune('a'+i)), 64)
					s.gh.AddPull("acme", "shop", ghfake.PullSeed{Title: "fix", Body: ghwork.Marker(fp, ""), Head: ghwork.BranchName(fp), Base: "main"})
				}
			},
			// Own pull requests, the search, the claim, the daily count.
			reason: pipeline.ReasonRateCapped, githubCalls: 4,
		},
		{
			name: "the gate calls it expected behaviour",
			turns: func(t *testing.T) []llmfake.Turn {
				return []llmfake.Turn{{Content: `{"verdict":"expected","confidence":0.9,"reason":"validation on purpose"}`}}
			},
			ownGate: true,
			reason:  pipeline.ReasonNotWorthFixing, modelCalls: 1, githubCalls: 4,
		},
		{
			name:  "another run holds a live claim",
			turns: func(t *testing.T) []llmfake.Turn { return nil },
			setup: func(t *testing.T, s *scenario) { s.claimAgo(t, time.Minute) },
			// The seeded claim's 3 calls, then own pull requests, the
			// search and the claim's lookup: no model call.
			reason: pipeline.ReasonClaimed, modelCalls: 0, claims: true, githubCalls: 6,
		},
		{
			name: "model answer invalid twice",
			turns: func(t *testing.T) []llmfake.Turn {
				return []llmfake.Turn{{Content: "the bug is in pricing"}, {Content: `{"edits": []}`}}
			},
			reason: pipeline.ReasonNoPatch, modelCalls: 3, claims: true,
		},
		{
			name: "the regression test passes on base",
			turns: func(t *testing.T) []llmfake.Turn {
				return turns(t, "model.json", func(a map[string]any) {
					e := edits(a)[1].(map[string]any)
					e["new"] = strings.Replace(e["new"].(string), `{"code":"SPRING"}`, `{"code":"WELCOME10"}`, 1)
					e["new"] = strings.Replace(e["new"].(string), "http.StatusBadRequest; got", "http.StatusOK; got", 1)
				})
			},
			reason: pipeline.ReasonNotReproduced, modelCalls: 2, claims: true,
		},
		{
			name: "the regression test fails on base for another reason",
			turns: func(t *testing.T) []llmfake.Turn {
				return turns(t, "model.json", func(a map[string]any) {
					e := edits(a)[1].(map[string]any)
					e["new"] = strings.Replace(e["new"].(string), "rec := serve(", "rec := serveMissingHelper(", 1)
				})
			},
			reason: pipeline.ReasonNotReproduced, modelCalls: 2, claims: true,
		},
		{
			name: "the fix breaks another test",
			turns: func(t *testing.T) []llmfake.Turn {
				return turns(t, "model.json", func(a map[string]any) {
					a["edits"] = append(edits(a), map[string]any{
						"file": "internal/orders/pricing.go",
						"old":  "off := subtotalCents * d.Percent / 100",
						"new":  "off := (subtotalCents*d.Percent + 99) / 100",
					})
				})
			},
			reason: pipeline.ReasonRegressions, modelCalls: 2, claims: true,
		},
		{
			name: "the judge rejects every attempt",
			turns: func(t *testing.T) []llmfake.Turn {
				ts := turns(t, "model-judge-rejects.json", nil)
				return append(ts, ts...)
			},
			reason: pipeline.ReasonJudgeRejected, modelCalls: 5, claims: true,
		},
		{
			name: "a fix that swallows the crash",
			turns: func(t *testing.T) []llmfake.Turn {
				ts := turns(t, "model-swallow.json", nil)
				return append(ts, ts...)
			},
			reason: pipeline.ReasonJudgeRejected, modelCalls: 5, claims: true,
		},
		{
			name:   "budget too small for one attempt",
			turns:  func(t *testing.T) []llmfake.Turn { return turns(t, "model.json", nil) },
			setup:  func(t *testing.T, s *scenario) { s.r.Env["INPUT_MAX-MODEL-CALLS"] = "1" },
			reason: pipeline.ReasonBudgetExhausted,
		},
		{
			name:  "token budget spent by the first call",
			turns: func(t *testing.T) []llmfake.Turn { return turns(t, "model.json", nil) },
			// The gate (1244 tokens) and the fix call (its prompt and a
			// 4096-token answer) fit; the 3662 the fix spends leave no
			// room for the verdict.
			setup:  func(t *testing.T, s *scenario) { s.r.Env["INPUT_MAX-TOKENS"] = "8000" },
			reason: pipeline.ReasonBudgetExhausted, modelCalls: 2, claims: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.claims && tt.modelCalls >= 2 && tt.reason != pipeline.ReasonNoPatch {
				endToEnd(t) // the stop comes after real test runs
			}
			t.Parallel()
			ts := tt.turns(t)
			if !tt.ownGate {
				ts = withGate(t, ts)
			}
			s := newScenario(t, ts)
			if tt.setup != nil {
				tt.setup(t, s)
			}
			pullsBefore := len(s.gh.Pulls("acme", "shop"))
			code, stdout, stderr := s.run(t, s.r)
			if code != 0 {
				t.Fatalf("exit code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			out := s.r.Outputs(t)
			if got := pipeline.Reason(out["reason"]); got != tt.reason || out["outcome"] != "skipped" {
				t.Fatalf("outcome %s/%s, want skipped/%s\nsummary:\n%s", out["outcome"], got, tt.reason, s.r.SummaryText(t))
			}
			if got := s.llm.Calls(); got != tt.modelCalls {
				t.Errorf("%d model calls, want %d", got, tt.modelCalls)
			}
			if tt.githubCalls > 0 && s.gh.Calls() != tt.githubCalls {
				t.Errorf("%d GitHub calls, want %d: %v", s.gh.Calls(), tt.githubCalls, s.gh.Requests())
			}
			if !tt.claims && tt.reason != pipeline.ReasonDuplicatePR {
				for _, req := range s.gh.Requests() {
					if !strings.HasPrefix(req, "GET ") {
						t.Errorf("a stop before the claim wrote to GitHub: %s", req)
					}
				}
			}
			sum := s.r.SummaryText(t)
			if !strings.Contains(sum, "(`"+string(tt.reason)+"`)") || !strings.Contains(sum, pipeline.Reasons[tt.reason].Words) {
				t.Errorf("the summary does not explain %s:\n%s", tt.reason, sum)
			}
			_, claimed := s.gh.Ref("acme", "shop", "heads/"+ghwork.BranchName(demoFingerprint(t)))
			if claimed != tt.claims {
				t.Errorf("claim branch exists: %v, want %v", claimed, tt.claims)
			}
			if n := len(s.gh.Pulls("acme", "shop")); n != pullsBefore {
				t.Errorf("%d pull requests after a stop, %d before", n, pullsBefore)
			}
			if head, _ := s.gh.Ref("acme", "shop", "heads/main"); head != s.base {
				t.Error("main moved")
			}
			s.r.AssertNoSecrets(t, stdout, stderr)
		})
	}
}

func TestJudgeFeedbackReachesTheSecondAttempt(t *testing.T) {
	endToEnd(t)
	rejects := turns(t, "model-judge-rejects.json", nil)
	good := turns(t, "model.json", nil)
	s := newScenario(t, withGate(t, []llmfake.Turn{rejects[0], rejects[1], good[0], good[1]}))
	if code, stdout, _ := s.run(t, s.r); code != 0 {
		t.Fatalf("exit code %d\n%s", code, stdout)
	}
	if out := s.r.Outputs(t); out["reason"] != "pr-opened" || out["model-calls"] != "5" {
		t.Fatalf("outputs = %v", out)
	}
	secondFix := string(s.llm.Requests()[3])
	if !strings.Contains(secondFix, "A reviewer rejected your previous fix") {
		t.Error("the second fix request does not carry the judge's feedback")
	}
}

func TestTwoRunsAtOnceOpenOnePR(t *testing.T) {
	endToEnd(t)
	// Without the gate only the winner of the claim calls the model, so
	// the script's order does not depend on which run is faster.
	s := newScenario(t, turns(t, "model.json", nil))
	s.setPolicy(t, "triage:\n  model_gate: false\n")
	second := s.r.Again(t)
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i, r := range []*runnertest.Runner{s.r, second} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _, _ = s.run(t, r)
		}()
	}
	wg.Wait()
	if codes[0] != 0 || codes[1] != 0 {
		t.Fatalf("exit codes %v", codes)
	}
	reasons := []string{s.r.Outputs(t)["reason"], second.Outputs(t)["reason"]}
	opened := 0
	for _, r := range reasons {
		switch r {
		case "pr-opened":
			opened++
		case "claimed", "duplicate-pr":
		default:
			t.Errorf("unexpected reason %q", r)
		}
	}
	if opened != 1 || len(s.gh.Pulls("acme", "shop")) != 1 {
		t.Errorf("reasons %v and %d pull requests, want exactly one opened", reasons, len(s.gh.Pulls("acme", "shop")))
	}
}

func TestTestSubprocessSeesNoSecrets(t *testing.T) {
	endToEnd(t)
	ts := turns(t, "model.json", func(a map[string]any) {
		e := edits(a)[1].(map[string]any)
		e["old"] = "import (\n\t\"encoding/json\"\n" + e["old"].(string)[len(""):]
		e["old"] = ""
		a["edits"] = append(edits(a), map[string]any{
			"file": "internal/orders/env_test.go",
			"old":  "",
			"new":  "package orders\n\nimport (\n\t\"os\"\n\t\"strings\"\n)\n\n// dumpEnv prints the test process's environment.\nfunc dumpEnv() { os.Stdout.WriteString(\"ENVIRONMENT:\\n\" + strings.Join(os.Environ(), \"\\n\") + \"\\nEND\\n\") }\n",
		})
		e["old"] = "func TestDiscountInvalidBody(t *testing.T) {\n"
		e["new"] = "func TestDiscountUnknownCode(t *testing.T) {\n\tdumpEnv()\n\trec := serve(http.MethodPost, \"/orders/42/discount\", `{\"code\":\"SPRING\"}`)\n\tif got, want := rec.Code, http.StatusBadRequest; got != want {\n\t\tt.Errorf(\"status = %d, want %d\", got, want)\n\t}\n}\n\nfunc TestDiscountInvalidBody(t *testing.T) {\n"
	})
	s := newScenario(t, withGate(t, ts))
	code, stdout, stderr := s.run(t, s.r)
	if code != 0 || s.r.Outputs(t)["reason"] != "pr-opened" {
		t.Fatalf("exit %d, outputs %v\n%s", code, s.r.Outputs(t), s.r.SummaryText(t))
	}
	body := s.gh.Pulls("acme", "shop")[0].Body
	start := strings.Index(body, "ENVIRONMENT:")
	end := strings.Index(body[max(start, 0):], "\nEND")
	if start < 0 || end < 0 {
		t.Fatalf("the red run's environment dump is not in the pull request body:\n%s", body)
	}
	dump := body[start : start+end]
	if !strings.Contains(dump, "\nPATH=") || !strings.Contains(dump, "\nHOME=") {
		t.Errorf("the dump lacks PATH and HOME:\n%s", dump)
	}
	for _, forbidden := range []string{"INPUT_", "GITHUB_", "ACTIONS_", runnertest.GitHubToken, runnertest.ModelKey, runnertest.ActionsToken, runnertest.PlainEnvToken} {
		if strings.Contains(dump, forbidden) {
			t.Errorf("the test subprocess saw %q:\n%s", forbidden, dump)
		}
	}
	s.r.AssertNoSecrets(t, stdout, stderr, body)
}

func TestStaleClaimIsTakenOver(t *testing.T) {
	endToEnd(t)
	s := newScenario(t, withGate(t, turns(t, "model.json", nil)))
	s.claimAgo(t, 3*time.Hour) // dedup.claim_ttl defaults to 2h
	if code, stdout, _ := s.run(t, s.r); code != 0 {
		t.Fatalf("exit code %d\n%s", code, stdout)
	}
	if out := s.r.Outputs(t); out["reason"] != "pr-opened" {
		t.Fatalf("outputs = %v\n%s", out, s.r.SummaryText(t))
	}
	if !strings.Contains(s.r.SummaryText(t), "Took over a claim") {
		t.Error("the summary does not say the claim was taken over")
	}
	pulls := s.gh.Pulls("acme", "shop")
	if len(pulls) != 1 {
		t.Fatalf("%d pull requests", len(pulls))
	}
	c, ok := s.gh.Commit("acme", "shop", pulls[0].HeadSHA)
	if !ok || len(c.Parents) != 1 || c.Parents[0] != s.base {
		t.Errorf("the fix commit %+v does not sit directly on main %s: the claim commit must not reach the pull request", c, s.base)
	}
}

func TestDuplicateCommentsOnce(t *testing.T) {
	s := newScenario(t, nil)
	n := s.gh.AddPull("acme", "shop", ghfake.PullSeed{Title: "fix", Body: ghwork.Marker(demoFingerprint(t), ""),
		Head: ghwork.BranchName(demoFingerprint(t)), Base: "main", User: ghwork.ActionsBot})
	for i := range 2 {
		r := s.r.Again(t)
		writes := len(s.gh.Writes())
		if code, stdout, _ := s.run(t, r); code != 0 || r.Outputs(t)["reason"] != "duplicate-pr" {
			t.Fatalf("exit %d, outputs %v\n%s", code, r.Outputs(t), stdout)
		}
		if got, want := len(s.gh.Writes())-writes, 1-i; got != want {
			t.Errorf("run %d wrote %d times, want %d: %v", i+1, got, want, s.gh.Writes())
		}
	}
	comments := s.gh.Comments("acme", "shop", n)
	if len(comments) != 1 || !strings.Contains(comments[0].Body, "fired again") {
		t.Errorf("comments = %+v, want one 'fired again' comment", comments)
	}
}

func TestPullRequestTitleReviewersAndTokenNote(t *testing.T) {
	endToEnd(t)
	s := newScenario(t, withGate(t, turns(t, "model.json", nil)))
	s.addFiles(t, map[string]string{
		".github/CODEOWNERS":    "* @acme/platform\n/internal/orders/ @jane\n",
		".github/dawnpatch.yml": "pr:\n  reviewers: [lead, jane]\n  request_suspect: true\n",
	})
	head := gitOut(t, s.r.Env["GITHUB_WORKSPACE"], "rev-parse", "HEAD")
	s.gh.SetCommitAuthor(head, "alice") // who last changed the crash line, as GitHub knows her
	if code, stdout, _ := s.run(t, s.r); code != 0 || s.r.Outputs(t)["reason"] != "pr-opened" {
		t.Fatalf("exit %d, outputs %v\n%s", code, s.r.Outputs(t), stdout)
	}
	pr := s.gh.Pulls("acme", "shop")[0]
	if got, want := pr.Title, "fix(orders): runtime.errorString in applyDiscount"; got != want {
		t.Errorf("title = %q, want %q", got, want)
	}
	if diff := cmp.Diff([]string{"jane", "lead", "alice"}, pr.Reviewers); diff != "" {
		t.Errorf("reviewers (-want +got):\n%s", diff)
	}
	for name, text := range map[string]string{"body": pr.Body, "summary": s.r.SummaryText(t)} {
		if !strings.Contains(text, "GITHUB_TOKEN, so GitHub starts no workflow runs") {
			t.Errorf("the %s does not explain the GITHUB_TOKEN limit", name)
		}
	}
	if !strings.Contains(pr.Body, "<!-- dawnpatch:fp=") {
		t.Error("editing the body lost the marker")
	}
}

func TestPullRequestsNotAllowedDegrade(t *testing.T) {
	endToEnd(t)
	s := newScenario(t, withGate(t, turns(t, "model.json", nil)))
	s.gh.DenyPullRequests("GitHub Actions is not permitted to create or approve pull requests.")
	code, stdout, stderr := s.run(t, s.r)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	out := s.r.Outputs(t)
	if out["outcome"] != "skipped" || out["reason"] != "permission-denied" {
		t.Fatalf("outputs = %v", out)
	}
	sum := s.r.SummaryText(t)
	for _, want := range []string{"not permitted to create or approve pull requests", "Settings → Actions → General", "+\td, ok := h.discounts[code]"} {
		if !strings.Contains(sum, want) {
			t.Errorf("the summary lacks %q:\n%s", want, sum)
		}
	}
	head, _ := s.gh.Ref("acme", "shop", "heads/"+ghwork.BranchName(demoFingerprint(t)))
	files, err := s.gh.Files("acme", "shop", head)
	if err != nil || !strings.Contains(files["internal/orders/handler.go"], "d, ok := h.discounts[code]") {
		t.Errorf("the branch does not keep the fix: %v", err)
	}
}

func TestAbstainWhereHumansSaidNo(t *testing.T) {
	area := "example.com/shop/internal/orders"
	tests := []struct {
		name      string
		rejected  int
		reason    string
		threshold string
	}{
		{"one rejection raises the bar", 1, "pr-opened", "raised to 0.80"},
		{"three rejections: abstain", 3, "rejected-before", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reason == "pr-opened" {
				endToEnd(t)
			}
			t.Parallel()
			s := newScenario(t, withGate(t, turns(t, "model.json", nil)))
			for i := range tt.rejected {
				fp := strings.Repeat(string(rune('a'+i)), 64)
				s.gh.AddPull("acme", "shop", ghfake.PullSeed{Title: "fix", State: "closed", Head: ghwork.BranchName(fp), Base: "main",
					Body: ghwork.Marker(fp, "") + "\n" + ghwork.AreaMarker(area), CreatedAt: time.Now().Add(-48 * time.Hour)})
			}
			if code, stdout, _ := s.run(t, s.r); code != 0 {
				t.Fatalf("exit %d\n%s", code, stdout)
			}
			if got := s.r.Outputs(t)["reason"]; got != tt.reason {
				t.Fatalf("reason = %s, want %s\n%s", got, tt.reason, s.r.SummaryText(t))
			}
			if tt.threshold != "" && !strings.Contains(s.r.SummaryText(t), tt.threshold) {
				t.Errorf("the summary does not say the threshold was %s", tt.threshold)
			}
			if tt.reason == "pr-opened" {
				var opened ghfake.Pull
				for _, p := range s.gh.Pulls("acme", "shop") {
					if p.State == "open" {
						opened = p
					}
				}
				if !strings.Contains(opened.Body, ghwork.AreaMarker(area)) {
					t.Error("the new pull request lacks its area marker")
				}
			}
		})
	}
}

// withSentry serves the demo's issue from a fake Sentry and points the run
// at it with a dispatch that names only the issue id.
func (s *scenario) withSentry(t *testing.T, seed sentryfake.IssueSeed) *sentryfake.Server {
	t.Helper()
	fake := s.sentry(t, "4242", seed)
	dispatch := filepath.Join(t.TempDir(), "dispatch.json")
	if err := os.WriteFile(dispatch, []byte(`{"action":"sentry-issue","client_payload":{"sentry_issue_id":"4242"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	s.r.Env["GITHUB_EVENT_PATH"] = dispatch
	return fake
}

// sentry starts a fake Sentry serving issue id with the demo's event, and
// points the runner's inputs at it.
func (s *scenario) sentry(t *testing.T, id string, seed sentryfake.IssueSeed) *sentryfake.Server {
	t.Helper()
	fake := sentryfake.New("acme")
	fake.SetToken("sentry-canary-token")
	seed.ID = id
	if _, err := fake.AddIssue(seed); err != nil {
		t.Fatal(err)
	}
	event, err := os.ReadFile(filepath.Join(demoDir, "event-api.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.AddEvent(id, event); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	s.r.Env["INPUT_SENTRY-BASE-URL"] = srv.URL
	s.r.Env["INPUT_SENTRY-TOKEN"] = "sentry-canary-token"
	s.r.Env["INPUT_SENTRY-ORG"] = "acme"
	return fake
}

func TestDispatchOfAnIssueIDIsFetchedFromSentry(t *testing.T) {
	now := time.Now()
	open := sentryfake.IssueSeed{ShortID: "SHOP-1A", Status: "unresolved", Level: "fatal", Count: 17, UserCount: 5,
		FirstSeen: now.Add(-2 * time.Hour), LastSeen: now, Permalink: "https://acme.sentry.io/issues/4242/"}
	tests := []struct {
		name   string
		edit   func(*sentryfake.IssueSeed)
		turns  bool
		reason string
		calls  int // Sentry API calls
	}{
		{"opens a pull request and links it back", nil, true, "pr-opened", 3},
		{"assigned to a person", func(s *sentryfake.IssueSeed) {
			s.AssignedTo = &sentryfake.Assignee{Type: "user", ID: "1", Name: "jane"}
		}, false, "assigned-to-human", 2},
		{"resolved in Sentry", func(s *sentryfake.IssueSeed) { s.Status = "resolved" }, false, "ignored-in-sentry", 2},
		{"too rare", func(s *sentryfake.IssueSeed) { s.Count = 1 }, false, "too-rare", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reason == "pr-opened" {
				endToEnd(t)
			}
			t.Parallel()
			var ts []llmfake.Turn
			if tt.turns {
				ts = withGate(t, turns(t, "model.json", nil))
			}
			s := newScenario(t, ts)
			seed := open
			if tt.edit != nil {
				tt.edit(&seed)
			}
			if tt.reason == "too-rare" {
				s.setPolicy(t, "triage:\n  min_events: 5\n")
			}
			sentry := s.withSentry(t, seed)
			code, stdout, stderr := s.run(t, s.r)
			if code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
			}
			if got := s.r.Outputs(t)["reason"]; got != tt.reason {
				t.Fatalf("reason = %s, want %s\n%s", got, tt.reason, s.r.SummaryText(t))
			}
			if got := s.r.Outputs(t)["sentry-issue"]; got != "4242" {
				t.Errorf("sentry-issue output = %q", got)
			}
			if sentry.Calls() != tt.calls {
				t.Errorf("%d Sentry calls, want %d", sentry.Calls(), tt.calls)
			}
			if tt.reason == "pr-opened" {
				c := sentry.Comments("4242")
				if len(c) != 1 || !strings.Contains(c[0].Text, "/pull/1") {
					t.Errorf("Sentry comments = %+v, want one linking the pull request", c)
				}
				if body := s.gh.Pulls("acme", "shop")[0].Body; !strings.Contains(body, "SHOP-1A") || !strings.Contains(body, "17 events, 5 users") {
					t.Error("the pull request body lacks the Sentry short id and counts")
				}
			}
			if !strings.Contains(stdout, "::add-mask::sentry-canary-token\n") {
				t.Error("the Sentry token was not masked")
			}
			if strings.Contains(strings.ReplaceAll(stdout, "::add-mask::sentry-canary-token\n", "")+stderr+s.r.SummaryText(t), "sentry-canary-token") {
				t.Error("the Sentry token leaked")
			}
		})
	}
}

// pollScenario is a scheduled run over n Sentry issues: the demo's panic
// as the most frequent, and below it issues of every kind a rule stops.
func pollScenario(t *testing.T, n int, ts []llmfake.Turn) (*scenario, *sentryfake.Server) {
	t.Helper()
	s := newScenario(t, ts)
	now := time.Now()
	fake := s.sentry(t, "4242", sentryfake.IssueSeed{ShortID: "SHOP-1A", Title: "runtime.errorString: runtime error: invalid memory address or nil pointer dereference",
		Level: "fatal", Status: "unresolved", Count: 100000, UserCount: 50, FirstSeen: now.Add(-time.Hour), LastSeen: now})
	for i := 1; i < n; i++ {
		seed := sentryfake.IssueSeed{ID: strconv.Itoa(5000 + i), ShortID: fmt.Sprintf("SHOP-%d", i), Title: fmt.Sprintf("*errors.errorString: failure %d", i),
			Level: "error", Status: "unresolved", Count: 1000 - i%1000, UserCount: 1, FirstSeen: now.Add(-time.Hour), LastSeen: now}
		switch i % 4 {
		case 1:
			seed.Level = "warning"
		case 2:
			seed.AssignedTo = &sentryfake.Assignee{Type: "user", ID: "1", Name: "jane"}
		}
		if _, err := fake.AddIssue(seed); err != nil {
			t.Fatal(err)
		}
	}
	s.r.Env["GITHUB_EVENT_NAME"] = "schedule"
	s.r.Env["GITHUB_EVENT_PATH"] = filepath.Join(runnertest.Fixtures(t, "../.."), "github", "schedule.event.json")
	s.r.Env["INPUT_SENTRY-PROJECTS"] = "app" // the fake's project
	return s, fake
}

func TestPollCallsDoNotGrowWithIssues(t *testing.T) {
	calls := map[int]int{}
	for _, n := range []int{10, 1000} {
		s, sentry := pollScenario(t, n, nil)
		s.r.Env["INPUT_POLL-LIMIT"] = "0" // triage only
		start := time.Now()
		if code, stdout, stderr := s.run(t, s.r); code != 0 {
			t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
		}
		t.Logf("poll over %d issues: %s, %d Sentry calls", n, time.Since(start).Round(time.Millisecond), sentry.Calls())
		calls[n] = s.gh.Calls()
		sum := s.r.SummaryText(t)
		if !strings.Contains(sum, fmt.Sprintf("%d Sentry issues considered", n)) || !strings.Contains(sum, "`assigned-to-human`") || !strings.Contains(sum, "`queued`") {
			t.Errorf("the poll summary lacks the table of decisions:\n%.2000s", sum)
		}
	}
	if calls[10] != 1 || calls[1000] != 1 {
		t.Errorf("GitHub calls = %v, want 1 for any number of issues", calls)
	}
}

func TestPollWorksOnTheMostFrequentIssue(t *testing.T) {
	endToEnd(t)
	s, _ := pollScenario(t, 20, withGate(t, turns(t, "model.json", nil)))
	s.gh.AddPull("acme", "shop", ghfake.PullSeed{Title: "fix", Body: ghwork.Marker("aaaa", "5003"), Head: "dawnpatch/aaaa", Base: "main"})
	if code, stdout, stderr := s.run(t, s.r); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	out := s.r.Outputs(t)
	if out["outcome"] != "pr-opened" || out["sentry-issue"] != "4242" {
		t.Fatalf("outputs = %v\n%s", out, s.r.SummaryText(t))
	}
	sum := s.r.SummaryText(t)
	for _, want := range []string{"20 Sentry issues considered, 1 worked on", "`SHOP-3`", "pull request #1 is open for it", "`pr-opened`",
		"Decisions by reason:", "`assigned-to-human` 5", "### dawnpatch scorecard", "| Still open | 1 |"} {
		if !strings.Contains(sum, want) {
			t.Errorf("the summary lacks %q:\n%.3000s", want, sum)
		}
	}
}

// gitOut runs git in dir and returns its trimmed output.
func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1"}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

// git runs git in dir with a fixed identity and no user configuration.
func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func TestAlreadyFixedSinceTheRelease(t *testing.T) {
	tests := []struct {
		name   string
		change func(handler string) string
		reason string
	}{
		{"the call one frame up changed after the release", func(h string) string {
			return strings.Replace(h, "order.TotalCents = applyDiscount(order.SubtotalCents, d)", "order.TotalCents = applyDiscount(order.SubtotalCents, d) // reviewed", 1)
		}, "already-fixed"},
		{"an unrelated line changed", func(h string) string { return h + "\n// Unrelated trailing comment.\n" }, "pr-opened"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reason == "pr-opened" {
				endToEnd(t)
			}
			t.Parallel()
			s := newScenario(t, withGate(t, turns(t, "model.json", nil)))
			dir := s.r.Env["GITHUB_WORKSPACE"]
			git(t, dir, "tag", "v1.4.2") // the event's release is shop@1.4.2
			p := filepath.Join(dir, "internal", "orders", "handler.go")
			body, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(tt.change(string(body))), 0o644); err != nil {
				t.Fatal(err)
			}
			git(t, dir, "commit", "-q", "-am", "change after the release")
			if code, stdout, _ := s.run(t, s.r); code != 0 {
				t.Fatalf("exit %d\n%s", code, stdout)
			}
			if got := s.r.Outputs(t)["reason"]; got != tt.reason {
				t.Errorf("reason = %s, want %s\n%s", got, tt.reason, s.r.SummaryText(t))
			}
		})
	}
}

func TestAnOldPullRequestGetsABetterFix(t *testing.T) {
	endToEnd(t)
	tests := []struct {
		name    string
		score   float64
		commits int
		reason  string
		detail  string
	}{
		{"a better fix replaces it", 0.5, 1, "pr-updated", "now holds a fix scored 0.91 (was 0.50)"},
		{"a fix no better leaves it", 0.95, 1, "duplicate-pr", "not better than the 0.95"},
		{"people pushed to it", 0.5, 3, "duplicate-pr", "people pushed 2 commits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newScenario(t, withGate(t, turns(t, "model.json", nil)))
			s.setPolicy(t, "pr:\n  refresh_after: 7d\n")
			fp := demoFingerprint(t)
			branch := ghwork.BranchName(fp)
			if err := s.gh.AddBranch("acme", "shop", branch, s.base); err != nil {
				t.Fatal(err)
			}
			n := s.gh.AddPull("acme", "shop", ghfake.PullSeed{Title: "fix", Head: branch, Base: "main", Commits: tt.commits,
				Body: "old fix\n" + ghwork.Marker(fp, "") + "\n" + ghwork.ScoreMarker(tt.score), CreatedAt: time.Now().Add(-8 * 24 * time.Hour)})
			if code, stdout, stderr := s.run(t, s.r); code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
			}
			out := s.r.Outputs(t)
			if out["reason"] != tt.reason || out["pr-number"] != strconv.Itoa(n) {
				t.Fatalf("outputs = %v, want %s on #%d\n%s", out, tt.reason, n, s.r.SummaryText(t))
			}
			if !strings.Contains(s.r.SummaryText(t), tt.detail) {
				t.Errorf("the summary lacks %q", tt.detail)
			}
			pulls := s.gh.Pulls("acme", "shop")
			head, _ := s.gh.Ref("acme", "shop", "heads/"+branch)
			files, _ := s.gh.Files("acme", "shop", head)
			updated := strings.Contains(files["internal/orders/handler.go"], "d, ok := h.discounts[code]")
			if len(pulls) != 1 || updated != (tt.reason == "pr-updated") || strings.Contains(pulls[0].Body, ghwork.ScoreMarker(0.91)) != updated {
				t.Errorf("%d pull requests, branch updated %v, body %.200q", len(pulls), updated, pulls[0].Body)
			}
		})
	}
}

func TestAMetricAlertIsNotAnErrorToFix(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(runnertest.Fixtures(t, "../.."), "sentry-webhooks", "metric_alert.resolved.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := newScenario(t, nil)
	s.r.Env["GITHUB_EVENT_NAME"] = "workflow_dispatch"
	s.r.Env["INPUT_INCIDENT"] = string(body)
	if code, stdout, _ := s.run(t, s.r); code != 0 {
		t.Fatalf("exit %d\n%s", code, stdout)
	}
	if out := s.r.Outputs(t); out["outcome"] != "skipped" || out["reason"] != "invalid-input" {
		t.Errorf("outputs = %v", out)
	}
	if !strings.Contains(s.r.SummaryText(t), "metric") || s.gh.Calls() != 0 || s.llm.Calls() != 0 {
		t.Errorf("want an explained skip with no call: %d GitHub, %d model calls\n%s", s.gh.Calls(), s.llm.Calls(), s.r.SummaryText(t))
	}
}

// endToEnd skips t under -short: it proves a fix with real test runs
// through the whole action, seconds per run. The pipeline's own tests cover
// the same decisions in seconds; the full suite and CI run this one.
func endToEnd(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end: proves a fix with real test runs; run go test without -short")
	}
}
