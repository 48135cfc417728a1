package pipeline

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ask"
	"github.com/dawnpatch/dawnpatch/internal/config"
	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/secret"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi"
	"github.com/dawnpatch/dawnpatch/internal/testrun"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// Deps are the components a run talks to. The action, the demo, the eval
// and the tests build the same real components; only the addresses they
// point at differ, and the pipeline's own tests replace Tests and Now.
type Deps struct {
	// GitHub talks to the repository's GitHub API.
	GitHub *ghwork.Client
	// Sentry reads issues and events from the Sentry web API; nil when no
	// sentry-token and sentry-org are configured.
	Sentry *sentryapi.Client
	// Model is the OpenAI-compatible client; the pipeline meters it.
	Model ask.Model
	// Workspace is the checkout, read-only.
	Workspace *workspace.Workspace
	// Tests proves fixes in scratch copies of the checkout.
	Tests Tests
	// PRBody renders the pull request's body for a run's result.
	PRBody func(*Result) string
	// Logger receives diagnostics; nil discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand makes prompt fences; nil means crypto/rand.
	Rand io.Reader
	// ReadFile reads a file named by the incident input; nil refuses.
	ReadFile func(string) ([]byte, error)
	// Secrets are the values no pull request, model prompt or test
	// evidence may show, in any encoding; nil still redacts credential
	// shapes (Authorization headers, tokens).
	Secrets *secret.Set
	// Notes are remarks about the run's setting (credentials left by the
	// checkout, containers a cancelled run left) for the summary.
	Notes []string
}

// Tests prepares scratch copies for proofs: the pipeline's view of
// testrun. TestsOf adapts a *testrun.Runner; the pipeline's own tests use
// a fake that answers proofs without running tests.
type Tests interface {
	// ScratchRoot is the directory for scratch copies: one the tests'
	// runner can reach (for containers, one the engine's host sees).
	ScratchRoot(ctx context.Context) (string, error)
	// Prepare readies the scratch copy dir (image, setup) once per run.
	Prepare(ctx context.Context, dir string, lang testrun.Language) (Proving, error)
}

// Proving proves fixes in one prepared scratch copy.
type Proving interface {
	Prove(ctx context.Context, req testrun.ProofRequest) (*testrun.Proof, error)
	// Preparation says where the tests run and how setup went.
	Preparation() testrun.Preparation
}

// TestsOf makes a testrun.Runner, with scratch copies under root, the
// pipeline's Tests.
func TestsOf(r *testrun.Runner, root string) Tests { return runnerTests{r, root} }

type runnerTests struct {
	r    *testrun.Runner
	root string
}

// ScratchRoot returns the root the runner was given.
func (t runnerTests) ScratchRoot(context.Context) (string, error) { return t.root, nil }

// Prepare calls the runner's Prepare.
func (t runnerTests) Prepare(ctx context.Context, dir string, lang testrun.Language) (Proving, error) {
	s, err := t.r.Prepare(ctx, dir, lang)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Settings are what the run was told: the action's inputs and the policy.
type Settings struct {
	Inputs config.Inputs
	Policy *config.Policy
}

// run is one run: its dependencies, its budget and the result it writes.
// Stages hand their outputs to each other as values; the result is
// written as they finish and never read back by a stage.
type run struct {
	Deps
	Settings
	res    *Result
	budget *ask.Budget
	model  ask.Model
	log    *slog.Logger
}

// Run takes a trigger through the stages and returns how the run ended.
// Every stop is an Outcome in the Result; an error means the action could
// not do its job.
func Run(ctx context.Context, d Deps, s Settings, t Trigger) (*Result, error) {
	r := newRun(d, s)
	out, err := r.all(ctx, t)
	if out != nil {
		r.res.Outcome = *out
		r.log.Info("run stopped", "kind", out.Kind, "reason", out.Reason)
	}
	r.countUsage()
	return r.res, err
}

func newRun(d Deps, s Settings) *run {
	if d.Now == nil {
		d.Now = time.Now
	}
	log := d.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	prices := map[string]ask.Price{}
	for name, p := range s.Policy.Prices {
		prices[name] = ask.Price{Input: p.Input, Output: p.Output}
	}
	b := &ask.Budget{MaxCalls: s.Inputs.MaxModelCalls, MaxTokens: s.Inputs.MaxTokens, MaxCostUSD: s.Inputs.MaxCostUSD, Prices: prices}
	return &run{
		Deps: d, Settings: s, budget: b, log: log,
		res:   &Result{Notes: append([]string(nil), d.Notes...)},
		model: &ask.Metered{Inner: d.Model, Budget: b, Model: s.Inputs.Model},
	}
}

// countUsage records what the run has spent so far.
func (r *run) countUsage() {
	u := &r.res.Usage
	u.GitHubCalls = r.GitHub.Calls()
	if r.Sentry != nil {
		u.SentryCalls = r.Sentry.Calls()
	}
	u.ModelCalls, u.Tokens, u.CostUSD = r.budget.Spent()
}

// stage starts timing a stage; call the returned func when it ends.
func (r *run) stage(name string) func() {
	start := r.Now()
	r.log.Debug("stage start", "stage", name)
	return func() {
		d := r.Now().Sub(start)
		r.res.Stages = append(r.res.Stages, StageTime{Name: name, Duration: d})
		r.log.Debug("stage end", "stage", name, "duration", d)
	}
}

// note adds a remark for the human reading the summary.
func (r *run) note(format string, args ...any) {
	r.res.Notes = append(r.res.Notes, fmt.Sprintf(format, args...))
}

// scrub removes the run's secrets, in every encoding, and credential
// shapes from text that leaves the run (test output, a body).
func (r *run) scrub(text string) string { return r.Secrets.Scrub(text) }
