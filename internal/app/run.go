package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/config"
	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/llm"
	"github.com/dawnpatch/dawnpatch/internal/pipeline"
	"github.com/dawnpatch/dawnpatch/internal/report"
	"github.com/dawnpatch/dawnpatch/internal/secret"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// runAction is `dawnpatch run`: the action as a runner starts it.
func runAction(ctx context.Context, env Env, args []string) error {
	fs := flags("run")
	if err := parseFlags(fs, env.Stdout, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("run takes no arguments, got %q", fs.Args())
	}
	_, err := step(ctx, env)
	return err
}

// step is one action step as a runner starts it: secrets masked first, the
// pipeline, then outputs and summary (see publish), even when the run
// failed; an error is then reported as ::error:: last.
func step(ctx context.Context, env Env) (*pipeline.Result, error) {
	rep := report.New(env.Stdout, env.Getenv)
	maskSecrets(rep, env)
	res, err := action(ctx, env, rep)
	if perr := publish(rep, res, err); perr != nil {
		err = errors.Join(err, perr)
	}
	if err != nil {
		rep.Error(err)
		return res, &reportedError{err}
	}
	return res, nil
}

// publish writes what a run has to show: the outputs and summary of a
// result with an outcome or of a poll, whose decisions stand even when a
// worked issue failed; for a configuration error, a summary of what to
// fix. Any other failure has only its ::error::.
func publish(rep *report.Reporter, res *pipeline.Result, err error) error {
	var ce *config.Error
	switch {
	case res != nil && (res.Outcome.Kind != "" || res.Poll != nil):
		return publishResult(rep, res)
	case errors.As(err, &ce):
		return rep.Summary(report.ConfigError(ce))
	}
	return nil
}

// action loads the configuration, builds the real clients and runs the
// pipeline.
func action(ctx context.Context, env Env, rep *report.Reporter) (*pipeline.Result, error) {
	cfg, err := config.Load(rep.Action().GetInput, env.Getenv)
	if err != nil {
		return nil, err
	}
	logger := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	deps, cleanup, err := buildDeps(ctx, env, cfg, logger)
	deps.Secrets = rep.Secrets()
	if err != nil {
		return nil, err
	}
	defer cleanup()
	trig, err := trigger(cfg)
	if err != nil {
		return nil, err
	}
	settings := pipeline.Settings{Inputs: cfg.Inputs, Policy: cfg.Policy}
	if cfg.Polls() {
		return poll(ctx, deps, settings)
	}
	return pipeline.Run(ctx, deps, settings, trig)
}

// poll is a scheduled run: its outputs are those of the run that opened a
// pull request, or of the first worked on, or the top issue's decision
// (see pipeline.PollResult.Outcome). When a worked issue failed, the
// result with every decision comes with the error.
func poll(ctx context.Context, deps pipeline.Deps, s pipeline.Settings) (*pipeline.Result, error) {
	p, err := pipeline.Poll(ctx, deps, s)
	if p == nil {
		return nil, err
	}
	run, out := p.Outcome()
	res := &pipeline.Result{}
	if run != nil {
		*res = *run
	}
	res.Outcome, res.Poll = out, p
	return res, err
}

// buildDeps builds the real components from the configuration.
func buildDeps(ctx context.Context, env Env, cfg *config.Config, logger *slog.Logger) (pipeline.Deps, func(), error) {
	in, rn := cfg.Inputs, cfg.Runner
	none := func() {}
	if rn.Repository == "" {
		return pipeline.Deps{}, none, &config.Error{Env: true, Field: "GITHUB_REPOSITORY", Err: fmt.Errorf("is not set; want owner/name")}
	}
	if in.GitHubToken == "" {
		return pipeline.Deps{}, none, &config.Error{Field: "github-token", Err: fmt.Errorf("is empty")}
	}
	if in.ModelAPIKey == "" && strings.Contains(in.ModelBaseURL, "api.openai.com") {
		return pipeline.Deps{}, none, &config.Error{Field: "model-api-key", Err: fmt.Errorf("is empty; %s needs a key", in.ModelBaseURL)}
	}
	httpc := env.HTTPClient
	if httpc == nil {
		httpc = &http.Client{Timeout: 2 * time.Minute}
	}
	gh, err := ghwork.New(httpc, rn.APIURL, in.GitHubToken, rn.Repository)
	if err != nil {
		return pipeline.Deps{}, none, fmt.Errorf("build GitHub client: %w", err)
	}
	model, err := llm.New(llm.Options{BaseURL: in.ModelBaseURL, APIKey: in.ModelAPIKey, Model: in.Model, HTTPClient: httpc, MaxRetries: 2})
	if err != nil {
		return pipeline.Deps{}, none, fmt.Errorf("build model client: %w", err)
	}
	sentry, err := sentryClient(httpc, in)
	if err != nil {
		return pipeline.Deps{}, none, err
	}
	ws, err := workspace.Open(rn.Workspace)
	if err != nil {
		return pipeline.Deps{}, none, fmt.Errorf("open workspace: %w", err)
	}
	tests, err := lazyBench(ctx, env, cfg)
	if err != nil {
		return pipeline.Deps{}, none, err
	}
	deps := pipeline.Deps{
		GitHub: gh, Sentry: sentry, Model: model, Workspace: ws, Tests: tests,
		PRBody: report.PRBody, Logger: logger, ReadFile: confinedReader(rn),
	}
	return deps, tests.cleanup, nil
}

// sentryClient builds the Sentry API client when a token and an
// organization are configured; nil otherwise.
func sentryClient(httpc *http.Client, in config.Inputs) (*sentryapi.Client, error) {
	if in.SentryToken == "" || in.SentryOrg == "" {
		return nil, nil
	}
	c, err := sentryapi.New(httpc, in.SentryBaseURL, in.SentryToken, in.SentryOrg)
	if err != nil {
		return nil, fmt.Errorf("build Sentry client: %w", err)
	}
	return c, nil
}

// trigger reads the event the runner wrote.
func trigger(cfg *config.Config) (pipeline.Trigger, error) {
	t := pipeline.Trigger{EventName: cfg.Runner.EventName, Incident: cfg.Inputs.Incident}
	if cfg.Runner.EventPath == "" || t.Incident != "" {
		return t, nil
	}
	data, err := pipeline.ReadFileCapped(cfg.Runner.EventPath)
	if err != nil {
		return t, fmt.Errorf("read event file (GITHUB_EVENT_PATH): %w", err)
	}
	t.Event = data
	return t, nil
}

// confinedReader reads incident files: inside the workspace under Actions,
// anywhere for a local run.
func confinedReader(rn config.Runner) func(string) ([]byte, error) {
	return func(name string) ([]byte, error) {
		if !rn.Actions {
			return pipeline.ReadFileCapped(name)
		}
		_, resolved, err := workspace.Confine(rn.Workspace, name)
		if err != nil {
			return nil, err
		}
		return pipeline.ReadFileCapped(resolved)
	}
}

// publishResult writes the outputs, for a skip one ::notice:: annotation
// with the reason and its detail, the detail as untrusted text, and the
// summary.
func publishResult(rep *report.Reporter, res *pipeline.Result) error {
	outs := report.Outputs(res)
	for _, name := range config.OutputNames {
		if err := rep.SetOutput(name, outs[name]); err != nil {
			return err
		}
	}
	if o := res.Outcome; o.Kind == pipeline.KindSkipped {
		rep.Notice(fmt.Sprintf("dawnpatch: skipped (%s)", o.Reason), strings.TrimSpace(o.Words()+"\n"+o.Detail))
	}
	if res.Outcome.Detail != "" {
		if err := rep.Untrusted(fmt.Sprintf("dawnpatch: %s (%s)", res.Outcome.Kind, res.Outcome.Reason), res.Outcome.Detail); err != nil {
			return err
		}
	}
	return rep.Summary(report.Summary(res))
}

// runnerTokens are the runner's own credentials in a step's environment.
var runnerTokens = []string{"GITHUB_TOKEN", "ACTIONS_RUNTIME_TOKEN", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "ACTIONS_RESULTS_TOKEN"}

// maskSecrets masks, before anything is printed, every secret the step can
// see: the secret inputs, the runner's tokens, variables named like
// credentials, and the token actions/checkout left in the checkout's git
// config or the runner's temp directory.
func maskSecrets(rep *report.Reporter, env Env) {
	for _, name := range config.SecretInputs {
		rep.Mask(rep.Action().GetInput(name))
	}
	for _, name := range runnerTokens {
		rep.Mask(env.Getenv(name))
	}
	rep.Mask(secret.FromEnviron(env.Environ)...)
	ws := env.Getenv("GITHUB_WORKSPACE")
	files := []string{filepath.Join(ws, ".git", "config")}
	for _, dir := range []string{env.Getenv("RUNNER_TEMP"), "/github/runner_temp"} {
		if dir != "" && (dir != "/github/runner_temp" || env.Getenv("RUNNER_TEMP") != dir) {
			m, _ := filepath.Glob(filepath.Join(dir, "git-credentials-*.config"))
			files = append(files, m...)
		}
	}
	for _, f := range files {
		if ws == "" && strings.HasPrefix(f, ".git") {
			continue
		}
		if data, err := os.ReadFile(f); err == nil && len(data) < 1<<20 {
			rep.Mask(secret.GitCredentials(string(data))...)
		}
	}
}
