package config

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Inputs are the action's inputs, as declared in action.yml.
type Inputs struct {
	GitHubToken  string
	ModelBaseURL string
	ModelAPIKey  string
	// Model diagnoses and fixes; required (see RequiredInputs).
	Model string
	// JudgeModel judges the fix; ReadInputs sets it to Model when blank.
	JudgeModel string
	// ModelTools is auto, on or off: whether the agent reads the checkout
	// through tool calls (auto: when the server supports them).
	ModelTools     string
	SentryBaseURL  string
	SentryToken    string
	SentryOrg      string
	SentryProjects []string
	PolicyFile     string
	TestCommand    string
	TestTimeout    time.Duration
	// TestIsolation is auto, container, user or none (docker is read as
	// container): how the repository's tests are kept from the runner's
	// secrets (see the README).
	TestIsolation string
	// TestImage is the image the tests run in; empty means the policy's
	// or one derived from the repository.
	TestImage string
	// SetupCommand installs the dependencies before the tests; empty
	// means the policy's or one detected from the repository.
	SetupCommand  string
	BaseBranch    string
	DryRun        bool
	MaxModelCalls int
	MaxTokens     int
	MaxCostUSD    float64
	MaxPRsPerDay  int
	// PollLimit is how many Sentry issues a scheduled run works on.
	PollLimit int
	Incident  string
}

// SecretInputs names the inputs whose values are masked before anything is
// printed and kept out of every log, summary, output and subprocess.
var SecretInputs = []string{"github-token", "model-api-key", "sentry-token"}

// RequiredInputs names the inputs without a default: a run without them
// fails with an error naming the input. model has none because a fixed
// default ages: providers retire model names and the workflow breaks.
var RequiredInputs = []string{"model"}

// DefaultInputs returns the defaults that action.yml declares, for runs
// outside Actions where the runner does not fill them in. Model, a
// required input, is empty.
func DefaultInputs() Inputs {
	return Inputs{
		ModelBaseURL:  "https://api.openai.com/v1",
		ModelTools:    "auto",
		SentryBaseURL: "https://sentry.io",
		PolicyFile:    ".github/dawnpatch.yml",
		TestTimeout:   10 * time.Minute,
		TestIsolation: "auto",
		MaxModelCalls: 12,
		MaxTokens:     120000,
		MaxPRsPerDay:  5,
		PollLimit:     1,
	}
}

// ReadInputs reads every input through get (an action's GetInput): a blank
// input keeps its default, and a blank required input (RequiredInputs) is
// an error. Errors name the input.
func ReadInputs(get func(name string) string) (Inputs, error) {
	in := DefaultInputs()
	r := inputReader{get: get}
	r.str("github-token", &in.GitHubToken)
	r.url("model-base-url", &in.ModelBaseURL)
	r.str("model-api-key", &in.ModelAPIKey)
	r.str("model", &in.Model)
	r.str("judge-model", &in.JudgeModel)
	r.oneOf("model-tools", &in.ModelTools, "auto", "on", "off")
	r.url("sentry-base-url", &in.SentryBaseURL)
	r.str("sentry-token", &in.SentryToken)
	r.str("sentry-org", &in.SentryOrg)
	r.list("sentry-projects", &in.SentryProjects)
	r.str("policy-file", &in.PolicyFile)
	r.str("test-command", &in.TestCommand)
	r.duration("test-timeout", &in.TestTimeout)
	r.oneOf("test-isolation", &in.TestIsolation, "auto", "container", "user", "none", "docker")
	if in.TestIsolation == "docker" {
		in.TestIsolation = "container"
	}
	r.str("test-image", &in.TestImage)
	r.str("setup-command", &in.SetupCommand)
	r.str("base-branch", &in.BaseBranch)
	r.boolean("dry-run", &in.DryRun)
	r.count("max-model-calls", &in.MaxModelCalls)
	r.count("max-tokens", &in.MaxTokens)
	r.money("max-cost-usd", &in.MaxCostUSD)
	r.count("max-prs-per-day", &in.MaxPRsPerDay)
	r.count("poll-limit", &in.PollLimit)
	r.str("incident", &in.Incident)
	if r.err != nil {
		return Inputs{}, r.err
	}
	if in.Model == "" {
		return Inputs{}, inputErr("model", "is required and empty: name the model your endpoint serves, "+
			"e.g. gpt-4.1 (OpenAI), your deployment name (Azure OpenAI), openai/gpt-4.1 (OpenRouter) or qwen2.5-coder:7b (Ollama)")
	}
	if in.JudgeModel == "" {
		in.JudgeModel = in.Model
	}
	return in, nil
}

// inputReader reads inputs one by one and keeps the first error.
type inputReader struct {
	get func(string) string
	err error
}

func (r *inputReader) value(name string) (string, bool) {
	v := strings.TrimSpace(r.get(name))
	return v, v != "" && r.err == nil
}

func (r *inputReader) str(name string, dst *string) {
	if v, ok := r.value(name); ok {
		*dst = v
	}
}

func (r *inputReader) url(name string, dst *string) {
	v, ok := r.value(name)
	if !ok {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		r.err = inputErr(name, "want an http or https URL, got %q", v)
		return
	}
	*dst = strings.TrimRight(v, "/")
}

func (r *inputReader) oneOf(name string, dst *string, allowed ...string) {
	v, ok := r.value(name)
	if !ok {
		return
	}
	if !slices.Contains(allowed, v) {
		r.err = inputErr(name, "want one of %s, got %q", strings.Join(allowed, ", "), v)
		return
	}
	*dst = v
}

func (r *inputReader) list(name string, dst *[]string) {
	v, ok := r.value(name)
	if !ok {
		return
	}
	*dst = append(*dst, strings.FieldsFunc(v, func(c rune) bool { return c == ',' || c == '\n' || c == ' ' })...)
}

func (r *inputReader) duration(name string, dst *time.Duration) {
	v, ok := r.value(name)
	if !ok {
		return
	}
	d, err := ParseDuration(v)
	if err != nil || d == 0 {
		r.err = inputErr(name, "want a positive duration like 30m, 2h or 14d, got %q", v)
		return
	}
	*dst = d
}

// boolean accepts exactly what the Actions toolkit's getBooleanInput accepts.
func (r *inputReader) boolean(name string, dst *bool) {
	v, ok := r.value(name)
	if !ok {
		return
	}
	b, err := ParseBool(v)
	if err != nil {
		r.err = inputErr(name, "%v", err)
		return
	}
	*dst = b
}

func (r *inputReader) count(name string, dst *int) {
	v, ok := r.value(name)
	if !ok {
		return
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		r.err = inputErr(name, "want a whole number ≥ 0, got %q", v)
		return
	}
	*dst = n
}

func (r *inputReader) money(name string, dst *float64) {
	v, ok := r.value(name)
	if !ok {
		return
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f < 0 || f != f {
		r.err = inputErr(name, "want an amount in US dollars ≥ 0, got %q", v)
		return
	}
	*dst = f
}

// ParseBool accepts true, True, TRUE, false, False and FALSE, as the
// Actions toolkit does, and nothing else.
func ParseBool(v string) (bool, error) {
	switch v {
	case "true", "True", "TRUE":
		return true, nil
	case "false", "False", "FALSE":
		return false, nil
	}
	return false, fmt.Errorf("want true or false (True/TRUE/False/FALSE), got %q", v)
}

// OutputNames lists the action's outputs, as declared in action.yml.
var OutputNames = []string{"outcome", "reason", "pr-number", "pr-url", "fingerprint", "sentry-issue", "model-calls", "tokens", "cost-usd"}
