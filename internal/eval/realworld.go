package eval

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/testrun"
)

// Bug is one folder of a real-world corpus (see /work/shared/realworld's
// README): repo/, the upstream tree at the commit before the fix; fix.diff,
// the upstream fix with its regression test; wrong/*.diff, wrong fixes;
// event.json, a Sentry event of the crash; bug.env, the commands the
// corpus was verified with; README.md.
type Bug struct {
	// Name is the folder's name.
	Name string
	Dir  string
	// Lang is bug.env's BUG_LANG: go, python or js.
	Lang string
	// TestFiles is the glob of the files that are tests (TEST_FILES).
	TestFiles string
	// TestCmd runs the regression test alone (TEST_CMD); SuiteCmd runs the
	// package's suite (SUITE_CMD). Both are shell words.
	TestCmd, SuiteCmd string
	// Readme is README.md's text.
	Readme string
	// NPMExtra are npm packages the corpus installed besides package.json's
	// (NPM_EXTRA): a runner the pinned one cannot replace on Node 20.
	NPMExtra string
}

// RealCase is one fix of a bug: the upstream one or a wrong one.
type RealCase struct {
	Bug *Bug
	// Name is "upstream", or the wrong diff's file name without .diff.
	Name string
	// Diff is the diff file's path.
	Diff     string
	Upstream bool
}

// LoadRealworld reads every folder of dir that holds a bug.env, sorted by
// name.
func LoadRealworld(dir string) ([]*Bug, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read the real-world corpus: %w", err)
	}
	var bugs []*Bug
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := os.Stat(filepath.Join(dir, e.Name(), "bug.env")); err != nil {
			continue
		}
		b, err := loadBug(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		bugs = append(bugs, b)
	}
	if len(bugs) == 0 {
		return nil, fmt.Errorf("read the real-world corpus: no folder of %s holds a bug.env", dir)
	}
	return bugs, nil
}

func loadBug(dir string) (*Bug, error) {
	name := filepath.Base(dir)
	env, err := readBugEnv(filepath.Join(dir, "bug.env"))
	if err != nil {
		return nil, fmt.Errorf("bug %s: %w", name, err)
	}
	readme, err := os.ReadFile(filepath.Join(dir, "README.md"))
	if err != nil {
		return nil, fmt.Errorf("bug %s: %w", name, err)
	}
	b := &Bug{Name: name, Dir: dir, Lang: env["BUG_LANG"], TestFiles: env["TEST_FILES"],
		TestCmd: env["TEST_CMD"], SuiteCmd: env["SUITE_CMD"], Readme: string(readme), NPMExtra: env["NPM_EXTRA"]}
	switch {
	case !slices.Contains([]string{"go", "python", "js"}, b.Lang):
		return nil, fmt.Errorf("bug %s: bug.env: BUG_LANG: want go, python or js, got %q", name, b.Lang)
	case b.TestFiles == "" || b.TestCmd == "":
		return nil, fmt.Errorf("bug %s: bug.env: TEST_FILES and TEST_CMD are required", name)
	}
	for _, f := range []string{"repo", "fix.diff", "event.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			return nil, fmt.Errorf("bug %s: %w", name, err)
		}
	}
	return b, nil
}

// readBugEnv reads KEY=value lines, each value one shell word ('…', "…"
// with \$ and the like, or bare); blank lines and # comments are skipped.
func readBugEnv(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		words, err := testrun.SplitWords(value)
		if !ok || err != nil || len(words) > 1 {
			return nil, fmt.Errorf("bug.env:%d: want KEY=one-shell-word, got %q", i+1, line)
		}
		env[key] = strings.Join(words, "")
	}
	return env, nil
}

// Cases returns the bug's upstream fix, then its wrong fixes by name.
func (b *Bug) Cases() ([]RealCase, error) {
	cases := []RealCase{{Bug: b, Name: "upstream", Diff: filepath.Join(b.Dir, "fix.diff"), Upstream: true}}
	wrong, err := filepath.Glob(filepath.Join(b.Dir, "wrong", "*.diff"))
	if err != nil {
		return nil, fmt.Errorf("bug %s: %w", b.Name, err)
	}
	slices.Sort(wrong)
	for _, d := range wrong {
		cases = append(cases, RealCase{Bug: b, Name: strings.TrimSuffix(filepath.Base(d), ".diff"), Diff: d})
	}
	return cases, nil
}

// ID names the case in tables and in the known failures: bug/case.
func (c RealCase) ID() string { return c.Bug.Name + "/" + c.Name }

// Scenario makes the case a scenario the Runner runs like any other: the
// bug's repo/ checked out, its event dispatched, and the scripted model of
// Script answering with the case's diff.
func (c RealCase) Scenario() (*Scenario, error) {
	script, err := c.Script()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.ID(), err)
	}
	event, err := os.ReadFile(filepath.Join(c.Bug.Dir, "event.json"))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.ID(), err)
	}
	dispatch, env, err := wrapEvent(event)
	if err != nil {
		return nil, fmt.Errorf("%s: event.json: %w", c.ID(), err)
	}
	s := &Scenario{Name: c.ID(), Dir: c.Bug.Dir, Repo: "repo", Dispatch: dispatch, Script: script, SpareTurns: true,
		Policy: realPolicy(env) + c.Bug.Environment().policy()}
	if c.Upstream {
		s.Kind, s.Description = KindGood, "the upstream fix of "+c.Bug.Name
		s.Expect = Expect{Outcome: "pr-opened", Reason: "pr-opened"}
	} else {
		s.Kind, s.Description = KindBad, "the wrong fix "+c.Name+" of "+c.Bug.Name
		// Any stop before a pull request will do; RealScore judges it.
		s.Expect = Expect{Outcome: "skipped", Reason: "*"}
	}
	return s, nil
}

// wrapEvent puts a Sentry event in the repository_dispatch event a relay
// sends, and returns the environment the event names.
func wrapEvent(event []byte) ([]byte, string, error) {
	var ev struct {
		Environment string `json:"environment"`
	}
	if err := json.Unmarshal(event, &ev); err != nil {
		return nil, "", err
	}
	dispatch, err := json.Marshal(map[string]any{"action": "sentry-issue", "client_payload": map[string]any{"event": json.RawMessage(event)}})
	return dispatch, ev.Environment, err
}

// realPolicy is the policy every case runs with: the event's environment
// acted on (the corpus's events come from "corpus"), and one attempt, so
// that the one scripted answer is judged once.
func realPolicy(env string) string {
	envs := []string{"production"}
	if env != "" && env != "production" {
		envs = append(envs, env)
	}
	data, _ := json.Marshal(envs) // a JSON list is a YAML flow list
	return "# dawnpatch eval --realworld\ntriage:\n  environments: " + string(data) + "\njudge:\n  max_attempts: 1\n"
}

// RealScenarios makes the scenarios of every case of bugs, in order.
func RealScenarios(bugs []*Bug) ([]*Scenario, []RealCase, error) {
	var scenarios []*Scenario
	var all []RealCase
	var errs []error
	for _, b := range bugs {
		cases, err := b.Cases()
		if err != nil {
			return nil, nil, err
		}
		for _, c := range cases {
			s, err := c.Scenario()
			if err != nil {
				errs = append(errs, err)
				continue
			}
			scenarios, all = append(scenarios, s), append(all, c)
		}
	}
	return scenarios, all, errors.Join(errs...)
}
