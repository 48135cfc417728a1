package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/dawnpatch/dawnpatch/internal/eval"
	"github.com/dawnpatch/dawnpatch/internal/pipeline"
)

// errEvalFailed is the eval's verdict that the guardrails failed.
var errEvalFailed = errors.New("eval: the guardrails failed on the corpus (see the table)")

// runEval is `dawnpatch eval [DIR] [--json FILE]`.
func runEval(ctx context.Context, env Env, args []string) error {
	fs := flags("eval")
	jsonFile := fs.String("json", "", "also write the results as JSON to this file")
	parallel := fs.Int("parallel", 2, "scenarios run at once")
	var dirs []string
	for { // flags may come before or after the directory
		if err := parseFlags(fs, env.Stdout, args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		dirs, args = append(dirs, fs.Arg(0)), fs.Args()[1:]
	}
	if len(dirs) > 1 {
		return usagef("eval takes at most one directory, got %d", len(dirs))
	}
	dir := filepath.Join("testdata", "scenarios")
	if len(dirs) == 1 {
		dir = dirs[0]
	}
	scenarios, err := eval.Load(dir)
	if err != nil {
		return err
	}
	r := &eval.Runner{Step: evalStep(env), Getenv: env.Getenv, Parallel: *parallel}
	rep := eval.Score(r.RunAll(ctx, scenarios))
	if err := rep.Write(env.Stdout); err != nil {
		return err
	}
	if *jsonFile != "" {
		if err := writeJSON(*jsonFile, rep); err != nil {
			return err
		}
	}
	if rep.Failed() {
		return errEvalFailed
	}
	return nil
}

// evalStep runs one scenario's action step in-process, as `run` does.
func evalStep(env Env) eval.Step {
	return func(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) (*pipeline.Result, error) {
		e := env
		e.Getenv, e.Stdout, e.Stderr = getenv, stdout, stderr
		res, err := step(ctx, e)
		if res != nil && res.Outcome.Kind != "" {
			return res, nil // an outcome is what the eval scores, even with an error beside it
		}
		if err != nil {
			return nil, fmt.Errorf("the action could not do its job: %w", err)
		}
		return res, nil
	}
}
