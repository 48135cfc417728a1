package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/eval"
	"github.com/dawnpatch/dawnpatch/internal/pipeline"
	"github.com/dawnpatch/dawnpatch/internal/testrun"
)

// errEvalFailed is the eval's verdict that the guardrails failed.
var errEvalFailed = errors.New("eval: the guardrails failed on the corpus (see the table)")

// errRealworldFailed is the real-world eval's verdict: a wrong fix that the
// known failures do not list reached a pull request.
var errRealworldFailed = errors.New("eval: a wrong fix of the real-world corpus reached a pull request (see the table)")

// defaultKnown is the known-failures table of the real-world corpus.
const defaultKnown = "docs/realworld.md"

// evalFlags are the flags of `dawnpatch eval`.
type evalFlags struct {
	jsonFile, realworld, known, only, isolation string
	parallel                                    int
	images                                      imageFlag
}

// runEval is `dawnpatch eval [DIR] [--json FILE]`, or with --realworld DIR
// the real-world corpus (see docs/realworld.md).
func runEval(ctx context.Context, env Env, args []string) error {
	f := evalFlags{images: imageFlag{}}
	fs := flags("eval")
	fs.StringVar(&f.jsonFile, "json", "", "also write the results as JSON to this file")
	fs.IntVar(&f.parallel, "parallel", 2, "scenarios run at once")
	fs.StringVar(&f.realworld, "realworld", "", "run the real-world corpus in this directory (bug folders with bug.env) instead of the scenarios")
	fs.StringVar(&f.known, "known", "", "with --realworld: the known-failures table (default "+defaultKnown+" when it exists)")
	fs.StringVar(&f.only, "only", "", "with --realworld: run only the bugs whose folder names match this glob (go-*)")
	fs.StringVar(&f.isolation, "isolation", "", "test isolation of every run: container, user or none (default: in process, as an unprivileged user when root)")
	fs.Var(f.images, "image", "LANG=IMAGE: the test image of go, python or javascript for --isolation container (repeatable)")
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
	if !slices.Contains([]string{"", "auto", "container", "docker", "user", "none"}, f.isolation) {
		return usagef("eval: --isolation: want container, user or none, got %q", f.isolation)
	}
	r := &eval.Runner{Step: EvalStep(env), Getenv: env.Getenv, Parallel: f.parallel, Isolation: f.isolation, Images: f.images}
	if f.realworld != "" {
		if len(dirs) > 0 {
			return usagef("eval: --realworld takes no scenario directory, got %q", dirs[0])
		}
		return runRealworld(ctx, env, r, f)
	}
	if f.known != "" || f.only != "" {
		return usagef("eval: --known and --only go with --realworld")
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
	return publishScore(env, eval.Score(r.RunAll(ctx, scenarios)), f.jsonFile, errEvalFailed)
}

// runRealworld runs every case of the real-world corpus and fails only
// when a wrong fix the known failures do not list reaches a pull request.
func runRealworld(ctx context.Context, env Env, r *eval.Runner, f evalFlags) error {
	bugs, err := eval.LoadRealworld(f.realworld)
	if err != nil {
		return err
	}
	known, err := readKnown(env, f.known, bugs)
	if err != nil {
		return err
	}
	if f.only != "" {
		bugs = slices.DeleteFunc(bugs, func(b *eval.Bug) bool { ok, _ := path.Match(f.only, b.Name); return !ok })
		if len(bugs) == 0 {
			return usagef("eval: --only %q matches no bug of %s", f.only, f.realworld)
		}
	}
	scenarios, cases, err := eval.RealScenarios(bugs)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "real-world corpus %s: %d bugs, %d cases, test isolation %s\n", f.realworld, len(bugs), len(cases), isolationName(r))
	for _, b := range bugs {
		if e := b.Environment().String(); e != "" {
			fmt.Fprintf(env.Stdout, "  %s's environment, as its policy would say: %s\n", b.Name, e)
		}
	}
	fmt.Fprintln(env.Stdout)
	return publishScore(env, eval.RealScore(cases, r.RunAll(ctx, scenarios), known), f.jsonFile, errRealworldFailed)
}

// score is an eval's report: its table and whether the run failed.
type score interface {
	Write(io.Writer) error
	Failed() bool
}

// publishScore prints the table, writes it as JSON when asked, and
// returns failed when the eval failed.
func publishScore(env Env, rep score, jsonFile string, failed error) error {
	if err := rep.Write(env.Stdout); err != nil {
		return err
	}
	if jsonFile != "" {
		if err := writeJSON(jsonFile, rep); err != nil {
			return err
		}
	}
	if rep.Failed() {
		return failed
	}
	return nil
}

// readKnown reads the known failures, from docs/realworld.md when no file
// is named and it exists, and checks that each names a case of the bugs.
func readKnown(env Env, file string, bugs []*eval.Bug) ([]eval.KnownFailure, error) {
	if file == "" {
		if _, err := os.Stat(defaultKnown); err != nil {
			fmt.Fprintf(env.Stdout, "no known failures (%s is absent)\n", defaultKnown)
			return nil, nil
		}
		file = defaultKnown
	}
	known, err := eval.ReadKnown(file)
	if err != nil {
		return nil, err
	}
	var cases []eval.RealCase
	for _, b := range bugs {
		cs, err := b.Cases()
		if err != nil {
			return nil, err
		}
		cases = append(cases, cs...)
	}
	if err := eval.CheckKnown(known, cases); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	fmt.Fprintf(env.Stdout, "known failures: %d in %s\n", len(known), file)
	return known, nil
}

// isolationName says how the tests run, for the table's heading.
func isolationName(r *eval.Runner) string {
	if r.Isolation == "" {
		return "in process (the default: as an unprivileged user when root)"
	}
	if len(r.Images) == 0 {
		return r.Isolation
	}
	var imgs []string
	for lang, img := range r.Images {
		imgs = append(imgs, string(lang)+"="+img)
	}
	slices.Sort(imgs)
	return r.Isolation + " (" + strings.Join(imgs, ", ") + ")"
}

// imageFlag is --image LANG=IMAGE, repeatable.
type imageFlag map[testrun.Language]string

func (m imageFlag) String() string { return fmt.Sprint(map[testrun.Language]string(m)) }

func (m imageFlag) Set(v string) error {
	lang, img, ok := strings.Cut(v, "=")
	l := testrun.Language(lang)
	if !ok || img == "" || !slices.Contains([]testrun.Language{testrun.Go, testrun.Python, testrun.JavaScript}, l) {
		return fmt.Errorf("want go=IMAGE, python=IMAGE or javascript=IMAGE, got %q", v)
	}
	m[l] = img
	return nil
}

// EvalStep runs one scenario's action step in process, as `run` does: the
// step every eval.Runner of the CLI runs, exported for the eval's own
// end-to-end tests.
func EvalStep(env Env) eval.Step {
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
