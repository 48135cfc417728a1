// Package eval runs the scenario corpus in testdata/scenarios through the
// real pipeline, against the fake GitHub and a scripted model, and scores
// the guardrails: good fixes opened, bad fixes blocked, skips right,
// hostile input held.
package eval

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
)

// The kinds of scenario.
const (
	KindGood    = "good"    // a fix that must reach a pull request
	KindBad     = "bad"     // a fix that must not
	KindSkip    = "skip"    // an alert that must end in an explained skip
	KindHostile = "hostile" // hostile input that must be held
)

// Scenario is one directory of the corpus: scenario.yml beside repo/ (the
// repository under test) and model.json (the scripted model's turns). Paths
// in scenario.yml are relative to its directory, so scenarios can share a
// repository or transcripts.
type Scenario struct {
	Name string `yaml:"-"`
	Dir  string `yaml:"-"`
	// Kind is good, bad, skip or hostile.
	Kind        string `yaml:"kind"`
	Description string `yaml:"description"`
	// Repo is the repository under test; default "repo".
	Repo string `yaml:"repo"`
	// Model lists transcripts played in order; default ["model.json"]
	// when that file exists, else none (no model call may happen).
	Model []string `yaml:"model"`
	// Event is a repository_dispatch event file, relative to the scenario.
	Event string `yaml:"event"`
	// Incident is the incident input: a file relative to the scenario
	// holding a trace or an event, used when Event is empty.
	Incident string `yaml:"incident"`
	// ModelLatency, when set, is how long every scripted answer takes to
	// come (a duration, "2s"), as a slow model's would: what the run does
	// must not depend on how fast the model answers.
	ModelLatency string `yaml:"model_latency"`
	// Inputs are extra action inputs by name (max-model-calls: "1").
	Inputs map[string]string `yaml:"inputs"`
	// Policy is the repository's .github/dawnpatch.yml.
	Policy string `yaml:"policy"`
	// GitHub is the state of the fake GitHub before the run.
	GitHub GitHubState `yaml:"github"`
	// Sentry, when set, serves one issue from a fake Sentry.
	Sentry *SentryState `yaml:"sentry"`
	// History, when set, tags the base commit and commits changes after it.
	History *History `yaml:"history"`
	// PersistCredentials, when set, leaves in the checkout's .git/config
	// the extraheader actions/checkout persists by default, carrying
	// CheckoutToken.
	PersistCredentials bool   `yaml:"persist_credentials"`
	Expect             Expect `yaml:"expect"`
	// ExpectByIsolation overrides Expect under one test isolation (user,
	// none or container), for a scenario whose right ending depends on
	// where the tests run.
	ExpectByIsolation map[string]Expect `yaml:"expect_by_isolation"`

	// Script, when set, is the scripted model's turns, played instead of
	// the Model files (scenarios built in memory, as the real-world
	// corpus's are).
	Script []llmfake.Turn `yaml:"-"`
	// Dispatch, when set, is the repository_dispatch event itself, used
	// instead of the Event file.
	Dispatch []byte `yaml:"-"`
	// SpareTurns lets the run leave scripted turns unused: a script that
	// answers every stage (the judge too) whichever stage stops the run.
	SpareTurns bool `yaml:"-"`
}

// Expect is how the run must end.
type Expect struct {
	Outcome string `yaml:"outcome"`
	Reason  string `yaml:"reason"`
	// Detail, when set, is text the outcome's detail must hold: which
	// defence stopped the run.
	Detail string `yaml:"detail"`
	// ModelCalls, when set, is how many model calls the run must make;
	// scripted turns past them may stay unused.
	ModelCalls *int `yaml:"model_calls"`
}

// isolations are the test isolations ExpectByIsolation may name.
var isolations = []string{"user", "none", "container"}

// ExpectFor is the expectation under the test isolation mode.
func (s *Scenario) ExpectFor(mode string) Expect {
	if e, ok := s.ExpectByIsolation[mode]; ok {
		return e
	}
	return s.Expect
}

// GitHubState seeds the fake GitHub.
type GitHubState struct {
	Pulls  []PullState  `yaml:"pulls"`
	Issues []IssueState `yaml:"issues"`
	// ClaimedAgo, when set, makes another run's claim on the incident's
	// branch that long ago.
	ClaimedAgo string `yaml:"claimed_ago"`
}

// PullState is a pull request on the fake GitHub. A body containing
// "{{marker}}" gets the incident's fingerprint marker there.
type PullState struct {
	Title  string `yaml:"title"`
	Body   string `yaml:"body"`
	State  string `yaml:"state"`
	Merged bool   `yaml:"merged"`
	User   string `yaml:"user"`
	Ago    string `yaml:"ago"` // created this long ago
	// Head is the branch the pull request comes from ("{{branch}}" is the
	// claim branch); empty means the claim branch when the body holds
	// "{{marker}}" (dawnpatch's own), else a branch of its own.
	Head string `yaml:"head"`
	// Fork names the owner of the fork the head is in; empty means this
	// repository.
	Fork string `yaml:"fork"`
}

// IssueState is an issue on the fake GitHub; "{{short_id}}" and
// "{{branch}}" in its body are filled in.
type IssueState struct {
	Title string `yaml:"title"`
	Body  string `yaml:"body"`
	State string `yaml:"state"`
	User  string `yaml:"user"`
}

// Load reads every scenario directory under dir, sorted by name.
func Load(dir string) ([]*Scenario, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read scenarios: %w", err)
	}
	var out []*Scenario
	for _, e := range entries {
		info, err := os.Stat(filepath.Join(dir, e.Name())) // a link to a scenario counts
		if err != nil || !info.IsDir() || strings.HasPrefix(e.Name(), "_") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		s, err := loadOne(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("read scenarios: no scenario directories in %s", dir)
	}
	return out, nil
}

func loadOne(dir string) (*Scenario, error) {
	name := filepath.Join(dir, "scenario.yml")
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read scenario: %w", err)
	}
	defer f.Close()
	s := &Scenario{Name: filepath.Base(dir), Dir: dir, Repo: "repo"}
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(s); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if s.Model == nil {
		if _, err := os.Stat(filepath.Join(dir, "model.json")); err == nil {
			s.Model = []string{"model.json"}
		}
	}
	return s, s.validate(name)
}

func (s *Scenario) validate(name string) error {
	if !slices.Contains([]string{KindGood, KindBad, KindSkip, KindHostile}, s.Kind) {
		return fmt.Errorf("%s: kind: want good, bad, skip or hostile, got %q", name, s.Kind)
	}
	if (s.Event == "") == (s.Incident == "") {
		return fmt.Errorf("%s: want exactly one of event and incident", name)
	}
	if err := s.validateExpect(name); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(s.Dir, s.Repo, ".")); err != nil {
		return fmt.Errorf("%s: repo: %w", name, err)
	}
	for _, m := range s.Model {
		if _, err := os.Stat(filepath.Join(s.Dir, m)); err != nil {
			return fmt.Errorf("%s: model: %w", name, err)
		}
	}
	for _, d := range append(pullAges(s), s.GitHub.ClaimedAgo) {
		if d == "" {
			continue
		}
		if _, err := time.ParseDuration(d); err != nil {
			return fmt.Errorf("%s: github: invalid duration %q", name, d)
		}
	}
	if d, err := time.ParseDuration(orDefault(s.ModelLatency, "0s")); err != nil || d < 0 {
		return fmt.Errorf("%s: model_latency: invalid duration %q", name, s.ModelLatency)
	}
	return s.validateWorld(name)
}

// validateExpect checks the expectations: each names the outcome and its
// reason, under the isolations there are.
func (s *Scenario) validateExpect(name string) error {
	if s.Expect.Outcome == "" || s.Expect.Reason == "" {
		return fmt.Errorf("%s: expect.outcome and expect.reason are required", name)
	}
	for mode, e := range s.ExpectByIsolation {
		if !slices.Contains(isolations, mode) {
			return fmt.Errorf("%s: expect_by_isolation: %q: want user, none or container", name, mode)
		}
		if e.Outcome == "" || e.Reason == "" {
			return fmt.Errorf("%s: expect_by_isolation.%s: outcome and reason are required", name, mode)
		}
	}
	return nil
}

// validateWorld checks the optional Sentry and git history states.
func (s *Scenario) validateWorld(name string) error {
	if s.Sentry != nil {
		if err := s.Sentry.validate(s.Dir); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if s.History != nil {
		if err := s.History.validate(filepath.Join(s.Dir, s.Repo)); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func pullAges(s *Scenario) []string {
	var out []string
	for _, p := range s.GitHub.Pulls {
		out = append(out, p.Ago)
	}
	return out
}
