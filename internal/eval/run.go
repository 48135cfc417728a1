package eval

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
	"github.com/dawnpatch/dawnpatch/internal/pipeline"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
	"github.com/dawnpatch/dawnpatch/internal/testrun"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// Canaries are the canary secrets put in every secret input and runner
// token; none may show anywhere a person or an attacker could read it.
var Canaries = map[string]string{
	"INPUT_GITHUB-TOKEN":    "ghs_evalcanary0123456789abcdefABCDEF0123",
	"INPUT_MODEL-API-KEY":   "sk-evalcanary-model-key-0123456789",
	"INPUT_SENTRY-TOKEN":    "sntrys_evalcanary0123456789",
	"ACTIONS_RUNTIME_TOKEN": "evalcanary-actions-runtime-token",
	"GITHUB_TOKEN":          "evalcanary-github-token-env",
}

// Step runs one action step with the runner environment getenv, writing
// workflow commands to stdout, and returns the pipeline's result.
type Step func(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) (*pipeline.Result, error)

// Result is how one scenario went.
type Result struct {
	Name        string  `json:"name"`
	Kind        string  `json:"kind"`
	Expected    string  `json:"expected"`
	Got         string  `json:"got"`
	Pass        bool    `json:"pass"`
	ModelCalls  int     `json:"model_calls"`
	Tokens      int     `json:"tokens"`
	TestSeconds float64 `json:"test_seconds"`
	// Detail is the outcome's detail: what exactly stopped the run. It is
	// untrusted text, printed as data.
	Detail string `json:"detail,omitempty"`
	// Problems lists what went wrong beyond the outcome (a leaked secret, a
	// workflow command from event text).
	Problems []string `json:"problems,omitempty"`
}

// Runner runs scenarios.
type Runner struct {
	Step Step
	// Getenv supplies PATH, HOME and the Go caches; runner variables and
	// inputs never come from it.
	Getenv func(string) string
	// Parallel is how many scenarios run at once; 0 means 2.
	Parallel int
	// Isolation is the test-isolation every scenario runs with; empty
	// means in process: as an unprivileged user when root, else as the
	// current user.
	Isolation string
	// Images names the test image per language, for container runs.
	Images map[testrun.Language]string
}

// RunAll runs every scenario, Parallel at a time, in the order given.
func (r *Runner) RunAll(ctx context.Context, scenarios []*Scenario) []Result {
	out := make([]Result, len(scenarios))
	n := r.Parallel
	if n <= 0 {
		n = 2
	}
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, s := range scenarios {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = r.Run(ctx, s)
		}()
	}
	wg.Wait()
	return out
}

// Run runs one scenario in a temporary directory.
func (r *Runner) Run(ctx context.Context, s *Scenario) Result {
	res := Result{Name: s.Name, Kind: s.Kind, Expected: s.Expect.Outcome + "/" + s.Expect.Reason}
	dir, err := os.MkdirTemp("", "dawnpatch-eval-")
	if err != nil {
		return res.fail("make temp dir: %v", err)
	}
	defer os.RemoveAll(dir)
	w, err := r.world(ctx, s, dir)
	if err != nil {
		return res.fail("%v", err)
	}
	defer w.close()
	exp := s.ExpectFor(w.isolation())
	res.Expected = exp.Outcome + "/" + exp.Reason
	var stdout, stderr bytes.Buffer
	pr, err := r.Step(ctx, w.getenv(r.Getenv), &stdout, &stderr)
	if err != nil {
		return res.fail("run: %v", err)
	}
	res.Got = string(pr.Outcome.Kind) + "/" + string(pr.Outcome.Reason)
	res.ModelCalls, res.Tokens, res.TestSeconds = pr.Usage.ModelCalls, pr.Usage.Tokens, pr.Usage.TestTime.Seconds()
	res.Detail = pr.Outcome.Detail
	res.Problems = append(w.check(stdout.String(), stderr.String()), w.expectProblems(exp, res.Detail)...)
	res.Pass = res.Got == res.Expected && len(res.Problems) == 0
	return res
}

// expectProblems checks what the expectation says besides the outcome:
// the detail's text, and the model calls made, or else that the script
// has no unused turns.
func (w *world) expectProblems(exp Expect, detail string) []string {
	var out []string
	if exp.Detail != "" && !strings.Contains(detail, exp.Detail) {
		out = append(out, fmt.Sprintf("the outcome's detail does not say %q", exp.Detail))
	}
	calls, left := w.llm.Calls(), w.llm.Remaining()
	switch {
	case exp.ModelCalls != nil && calls != *exp.ModelCalls:
		out = append(out, fmt.Sprintf("the run made %d model calls, want %d", calls, *exp.ModelCalls))
	case exp.ModelCalls == nil && left > 0 && !w.s.SpareTurns:
		out = append(out, fmt.Sprintf("the script has %d unused turns", left))
	}
	return out
}

func (res Result) fail(format string, args ...any) Result {
	res.Got = "error"
	res.Problems = append(res.Problems, fmt.Sprintf(format, args...))
	return res
}

// world is one scenario's fakes, checkout and runner files.
type world struct {
	s                        *Scenario
	dir, checkout            string
	gh                       *ghfake.Server
	llm                      *llmfake.Server
	sentry                   *sentryfake.Server
	ghSrv, llmSrv, sentrySrv *httptest.Server
	vars                     map[string]string
	// turns are the scripted model's turns, in order.
	turns []llmfake.Turn
	// seeded are the numbers of the pull requests made before the run.
	seeded map[int]bool
}

func (r *Runner) world(ctx context.Context, s *Scenario, dir string) (_ *world, err error) {
	w := &world{s: s, dir: dir, gh: ghfake.New(), checkout: filepath.Join(dir, "checkout")}
	defer func() {
		if err != nil {
			w.close()
		}
	}()
	if err := w.checkOut(ctx, r.Getenv); err != nil {
		return nil, err
	}
	files, err := workspace.ReadTree(w.checkout)
	if err != nil {
		return nil, err
	}
	base := w.gh.AddRepo("acme", "app", "main", files)
	w.ghSrv = httptest.NewServer(w.gh)
	if w.turns, err = w.script(); err != nil {
		return nil, err
	}
	w.llm = llmfake.New(w.turns...)
	w.llmSrv = httptest.NewServer(slow(w.llm, w.s.ModelLatency))
	if err := w.startSentry(); err != nil {
		return nil, err
	}
	if err := w.seed(ctx, base); err != nil {
		return nil, err
	}
	w.seeded = map[int]bool{}
	for _, p := range w.gh.Pulls("acme", "app") {
		w.seeded[p.Number] = true
	}
	if err := w.runnerVars(); err != nil {
		return nil, err
	}
	r.isolate(w)
	return w, nil
}

// slow makes h answer after latency, a duration; "" is at once.
func slow(h http.Handler, latency string) http.Handler {
	d, _ := time.ParseDuration(latency) // validated on load
	if d <= 0 {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
		h.ServeHTTP(w, r)
	})
}

// isolate sets the scenario's test-isolation and, for containers, its
// language's test image; a scenario's own inputs win.
func (r *Runner) isolate(w *world) {
	mode := r.Isolation
	if mode == "" {
		mode = "none"
		if os.Geteuid() == 0 {
			mode = "user"
		}
	}
	if _, ok := w.vars["INPUT_TEST-ISOLATION"]; !ok {
		w.vars["INPUT_TEST-ISOLATION"] = mode
	}
	if lang, err := testrun.Detect(w.checkout); err == nil && r.Images[lang] != "" {
		if _, ok := w.vars["INPUT_TEST-IMAGE"]; !ok {
			w.vars["INPUT_TEST-IMAGE"] = r.Images[lang]
		}
	}
}

// isolation is the test isolation the run uses, as ExpectByIsolation
// names it; "auto" when the action is to choose.
func (w *world) isolation() string {
	if mode := w.vars["INPUT_TEST-ISOLATION"]; mode != "docker" {
		return mode
	}
	return "container"
}

// checkOut makes the checkout: the repository as one base commit, the
// scenario's later history, then the policy.
func (w *world) checkOut(ctx context.Context, host func(string) string) error {
	ws, err := workspace.Open(filepath.Join(w.s.Dir, w.s.Repo))
	if err != nil {
		return fmt.Errorf("open %s's repository: %w", w.s.Name, err)
	}
	if err := ws.Copy(ctx, w.checkout); err != nil {
		return fmt.Errorf("check out %s's repository: %w", w.s.Name, err)
	}
	if err := w.applyHistory(ctx, host); err != nil {
		return fmt.Errorf("%s: %w", w.s.Name, err)
	}
	if w.s.PersistCredentials {
		if err := persistCredentials(w.checkout); err != nil {
			return fmt.Errorf("%s: %w", w.s.Name, err)
		}
	}
	if w.s.Policy != "" {
		return writeFile(filepath.Join(w.checkout, ".github", "dawnpatch.yml"), w.s.Policy)
	}
	return nil
}

func (w *world) close() {
	for _, srv := range []*httptest.Server{w.ghSrv, w.llmSrv, w.sentrySrv} {
		if srv != nil {
			srv.Close()
		}
	}
}

// script plays the scenario's transcripts in order; none means any model
// call fails the scenario loudly.
func (w *world) script() ([]llmfake.Turn, error) {
	if w.s.Script != nil {
		return w.s.Script, nil
	}
	var all []llmfake.Turn
	for _, m := range w.s.Model {
		ts, err := llmfake.LoadTranscript(filepath.Join(w.s.Dir, m))
		if err != nil {
			return nil, err
		}
		all = append(all, ts...)
	}
	return all, nil
}

// runnerVars sets what a runner gives the action's container.
func (w *world) runnerVars() error {
	w.vars = map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "acme/app", "GITHUB_WORKSPACE": w.checkout,
		"GITHUB_API_URL": w.ghSrv.URL, "GITHUB_OUTPUT": filepath.Join(w.dir, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(w.dir, "summary.md"), "GITHUB_RUN_ID": "1",
		"INPUT_MODEL-BASE-URL": w.llmSrv.URL + "/v1", "INPUT_MODEL": "eval-model",
	}
	for k, v := range Canaries {
		w.vars[k] = v
	}
	w.sentryVars()
	for k, v := range w.s.Inputs {
		w.vars["INPUT_"+strings.ToUpper(k)] = v
	}
	if w.s.Dispatch != nil {
		w.vars["GITHUB_EVENT_NAME"] = "repository_dispatch"
		w.vars["GITHUB_EVENT_PATH"] = filepath.Join(w.dir, "event.json")
		return writeFile(w.vars["GITHUB_EVENT_PATH"], string(w.s.Dispatch))
	}
	if w.s.Event != "" {
		w.vars["GITHUB_EVENT_NAME"] = "repository_dispatch"
		w.vars["GITHUB_EVENT_PATH"] = filepath.Join(w.s.Dir, w.s.Event)
		return nil
	}
	w.vars["GITHUB_EVENT_NAME"] = "workflow_dispatch"
	data, err := os.ReadFile(filepath.Join(w.s.Dir, w.s.Incident))
	if err != nil {
		return fmt.Errorf("read incident: %w", err)
	}
	w.vars["INPUT_INCIDENT"] = string(data)
	return nil
}

// getenv answers from the runner variables, and from the host only for
// what the tests need (PATH, HOME, the Go caches).
func (w *world) getenv(host func(string) string) func(string) string {
	return func(k string) string {
		if v, ok := w.vars[k]; ok {
			return v
		}
		if strings.HasPrefix(k, "INPUT_") || strings.HasPrefix(k, "GITHUB_") || strings.HasPrefix(k, "ACTIONS_") {
			return ""
		}
		return host(k)
	}
}

func writeFile(path, body string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(body), 0o644)
}
