package pipeline

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/agent"
	"github.com/dawnpatch/dawnpatch/internal/config"
	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi"
	"github.com/dawnpatch/dawnpatch/internal/testrun"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// Deps are the components a run talks to. The action, the demo, the eval
// and the tests build the same real components; only the addresses they
// point at differ.
type Deps struct {
	// GitHub talks to the repository's GitHub API.
	GitHub *ghwork.Client
	// Sentry reads issues and events from the Sentry web API; nil when no
	// sentry-token and sentry-org are configured.
	Sentry *sentryapi.Client
	// Model is the OpenAI-compatible client; the pipeline meters it.
	Model agent.Model
	// Workspace is the checkout, read-only.
	Workspace *workspace.Workspace
	// Tests runs the repository's tests in scratch copies.
	Tests *testrun.Runner
	// ScratchRoot is a directory for scratch copies of the checkout.
	ScratchRoot string
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
}

// Settings are what the run was told: the action's inputs and the policy.
type Settings struct {
	Inputs config.Inputs
	Policy *config.Policy
}

// run carries one run's state from stage to stage.
type run struct {
	Deps
	Settings
	res    *Result
	budget *agent.Budget
	model  agent.Model
	log    *slog.Logger
	// thresholdBoost raises the judge's bar where humans rejected fixes.
	thresholdBoost float64
	// area names the code the incident crashes in, as the markers record it.
	area string
	// lang is the repository's language, as the tests run.
	lang testrun.Language
	// loc is where the incident lies in the checkout, once located.
	loc *workspace.Location
	// update is the open pull request this run may replace, if any.
	update *update
}

// Run takes a trigger through the stages and returns how the run ended.
// Every stop is an Outcome in the Result; an error means the action could
// not do its job.
func Run(ctx context.Context, d Deps, s Settings, t Trigger) (*Result, error) {
	r := newRun(d, s)
	err := r.all(ctx, t)
	r.res.Usage.GitHubCalls = d.GitHub.Calls()
	if d.Sentry != nil {
		r.res.Usage.SentryCalls = d.Sentry.Calls()
	}
	r.res.Usage.ModelCalls, r.res.Usage.Tokens, r.res.Usage.CostUSD = r.budget.Spent()
	if err != nil {
		return r.res, err
	}
	return r.res, nil
}

func newRun(d Deps, s Settings) *run {
	if d.Now == nil {
		d.Now = time.Now
	}
	log := d.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	prices := map[string]agent.Price{}
	for name, p := range s.Policy.Prices {
		prices[name] = agent.Price{Input: p.Input, Output: p.Output}
	}
	b := &agent.Budget{MaxCalls: s.Inputs.MaxModelCalls, MaxTokens: s.Inputs.MaxTokens, MaxCostUSD: s.Inputs.MaxCostUSD, Prices: prices}
	return &run{
		Deps: d, Settings: s, budget: b, log: log,
		res:   &Result{},
		model: &agent.Metered{Inner: d.Model, Budget: b, Model: s.Inputs.Model},
	}
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

// stop records an outcome as the end of the run.
func (r *run) stop(o *Outcome) error {
	r.res.Outcome = *o
	r.log.Info("run stopped", "kind", o.Kind, "reason", o.Reason)
	return nil
}
