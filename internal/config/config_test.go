package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		bad  bool
	}{
		{in: "30m", want: 30 * time.Minute},
		{in: "2h", want: 2 * time.Hour},
		{in: "14d", want: 14 * 24 * time.Hour},
		{in: "2w", want: 14 * 24 * time.Hour},
		{in: "1d12h", want: 36 * time.Hour},
		{in: "", bad: true},
		{in: "soon", bad: true},
		{in: "-3h", bad: true},
		{in: "xd", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if tt.bad {
				if err == nil {
					t.Fatalf("ParseDuration(%q) = %v, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseBoolAcceptsExactlyTheToolkitSpellings(t *testing.T) {
	for _, v := range []string{"true", "True", "TRUE"} {
		if b, err := ParseBool(v); err != nil || !b {
			t.Errorf("ParseBool(%q) = %v, %v", v, b, err)
		}
	}
	for _, v := range []string{"false", "False", "FALSE"} {
		if b, err := ParseBool(v); err != nil || b {
			t.Errorf("ParseBool(%q) = %v, %v", v, b, err)
		}
	}
	for _, v := range []string{"yes", "1", "tRue", "on"} {
		if _, err := ParseBool(v); err == nil {
			t.Errorf("ParseBool(%q) accepted", v)
		}
	}
}

func mapGet(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestReadInputs(t *testing.T) {
	in, err := ReadInputs(mapGet(map[string]string{
		"dry-run":         "True",
		"max-model-calls": "4",
		"test-timeout":    "90s",
		"sentry-projects": "web, api\nworker",
		"model-base-url":  "http://localhost:11434/v1/",
		"model":           "qwen",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !in.DryRun || in.MaxModelCalls != 4 || in.TestTimeout != 90*time.Second {
		t.Errorf("got %+v", in)
	}
	if diff := cmp.Diff([]string{"web", "api", "worker"}, in.SentryProjects); diff != "" {
		t.Errorf("sentry-projects (-want +got):\n%s", diff)
	}
	if got, want := in.ModelBaseURL, "http://localhost:11434/v1"; got != want {
		t.Errorf("model-base-url = %q, want %q", got, want)
	}
	if got, want := in.JudgeModel, "qwen"; got != want {
		t.Errorf("judge-model defaults to model: got %q, want %q", got, want)
	}
}

func TestReadInputsErrorsNameTheInput(t *testing.T) {
	tests := []struct {
		name, input, value string
	}{
		{"bool", "dry-run", "yes"},
		{"count", "max-tokens", "-1"},
		{"count text", "max-model-calls", "many"},
		{"money", "max-cost-usd", "NaN"},
		{"duration", "test-timeout", "forever"},
		{"url", "sentry-base-url", "sentry.io"},
		{"model missing", "model", ""},
		{"model blank", "model", "  "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadInputs(mapGet(map[string]string{"model": "m", tt.input: tt.value}))
			var ce *Error
			if !errors.As(err, &ce) || ce.Field != tt.input {
				t.Fatalf("err = %v, want a *config.Error naming %s", err, tt.input)
			}
			if !strings.Contains(err.Error(), "input "+tt.input) {
				t.Errorf("error %q does not name the input", err)
			}
		})
	}
}

func TestParsePolicyErrorsNameFileLineAndField(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"negative", "triage:\n  min_events: -3\n", ".github/dawnpatch.yml:2: triage.min_events: must be ≥ 0, got -3"},
		{"threshold", "judge:\n  max_attempts: 2\n  threshold: 1.5\n", ".github/dawnpatch.yml:3: judge.threshold: must be between 0 and 1, got 1.5"},
		{"unknown field", "triage:\n  environment: [prod]\n", ".github/dawnpatch.yml:2: environment: field environment not found in type config.TriagePolicy"},
		{"bad duration", "dedup:\n  cooldown: fortnight\n", ".github/dawnpatch.yml:2: dedup.cooldown: invalid duration"},
		{"bad type", "fix:\n  max_files: many\n", ".github/dawnpatch.yml:2: fix.max_files: cannot unmarshal"},
		{"bad regex", "triage:\n  ignore:\n    - type: X\n    - message: \"(\"\n", ".github/dawnpatch.yml:4: triage.ignore[1].message: invalid regular expression"},
		{"bad level", "triage:\n  min_level: loud\n", ".github/dawnpatch.yml:2: triage.min_level:"},
		{"not yaml", "triage: [\n", ".github/dawnpatch.yml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePolicy(".github/dawnpatch.yml", []byte(tt.yaml))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("err = %v\nwant prefix %q", err, tt.want)
			}
		})
	}
}

func TestParsePolicyOverridesDefaults(t *testing.T) {
	p, err := ParsePolicy("p.yml", []byte("triage:\n  environments: [prod, live]\n  max_age: 14d\npr:\n  draft: false\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"prod", "live"}, p.Triage.Environments); diff != "" {
		t.Error(diff)
	}
	if p.PR.Draft || time.Duration(p.Triage.MaxAge) != 14*24*time.Hour {
		t.Errorf("got %+v", p)
	}
	if p.Judge.Threshold != Default().Judge.Threshold {
		t.Errorf("unset field lost its default: %v", p.Judge.Threshold)
	}
}

func TestLoadPolicy(t *testing.T) {
	dir := t.TempDir()
	p, found, err := LoadPolicy(dir, ".github/dawnpatch.yml")
	if err != nil || found || p.Judge.Threshold != 0.75 {
		t.Fatalf("missing file: %v %v %v", p, found, err)
	}
	if _, _, err := LoadPolicy(dir, "../outside.yml"); err == nil {
		t.Error("a path outside the workspace was accepted")
	}
	if err := os.MkdirAll(filepath.Join(dir, ".github"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".github/dawnpatch.yml"), []byte("judge:\n  threshold: 2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadPolicy(dir, ".github/dawnpatch.yml"); err == nil || !strings.Contains(err.Error(), ":2: judge.threshold") {
		t.Errorf("err = %v", err)
	}
}

// actionMetadata mirrors action.yml; decoding with KnownFields makes any
// unexpected key an error.
type actionMetadata struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Author      string `yaml:"author"`
	Branding    struct {
		Icon  string `yaml:"icon"`
		Color string `yaml:"color"`
	} `yaml:"branding"`
	Inputs map[string]struct {
		Description string  `yaml:"description"`
		Required    bool    `yaml:"required"`
		Default     *string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Image string `yaml:"image"`
	} `yaml:"runs"`
}

func readActionYAML(t *testing.T) actionMetadata {
	t.Helper()
	f, err := os.Open("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var meta actionMetadata
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(&meta); err != nil {
		t.Fatalf("decode action.yml: %v", err)
	}
	return meta
}

// requiredValue fills the required inputs with a value, as a workflow
// must, and leaves every other input blank.
func requiredValue(name string) string {
	if slices.Contains(RequiredInputs, name) {
		return "m"
	}
	return ""
}

func TestActionYAMLDeclaresExactlyTheInputsTheCodeReads(t *testing.T) {
	meta := readActionYAML(t)
	var read []string
	if _, err := ReadInputs(func(name string) string { read = append(read, name); return requiredValue(name) }); err != nil {
		t.Fatal(err)
	}
	var declared []string
	for name, in := range meta.Inputs {
		declared = append(declared, name)
		required := slices.Contains(RequiredInputs, name)
		if in.Description == "" {
			t.Errorf("input %s needs a description", name)
		}
		if got, want := in.Required, required; got != want {
			t.Errorf("input %s: required: %v, want %v (config.RequiredInputs)", name, got, want)
		}
		if required && in.Default != nil {
			t.Errorf("input %s is required and must have no default, got %q", name, *in.Default)
		}
		if !required && in.Default == nil {
			t.Errorf("input %s needs a default", name)
		}
	}
	slices.Sort(read)
	slices.Sort(declared)
	if diff := cmp.Diff(declared, read); diff != "" {
		t.Errorf("declared inputs (-) vs inputs the code reads (+):\n%s", diff)
	}
	if meta.Runs.Using != "docker" || meta.Runs.Image != "Dockerfile" {
		t.Errorf("runs = %+v, want docker/Dockerfile", meta.Runs)
	}
	for _, s := range SecretInputs {
		if _, ok := meta.Inputs[s]; !ok {
			t.Errorf("secret input %s is not declared", s)
		}
	}
}

func TestActionYAMLDefaultsMatchDefaultInputs(t *testing.T) {
	meta := readActionYAML(t)
	got, err := ReadInputs(func(name string) string {
		d := meta.Inputs[name].Default
		if d == nil {
			return requiredValue(name)
		}
		if strings.Contains(*d, "${{") {
			return "" // an expression the runner fills in
		}
		return *d
	})
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultInputs()
	want.Model, want.JudgeModel = "m", "m"
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("action.yml defaults differ from DefaultInputs (-want +got):\n%s", diff)
	}
}

func TestActionYAMLOutputs(t *testing.T) {
	meta := readActionYAML(t)
	var got []string
	for k := range meta.Outputs {
		got = append(got, k)
	}
	slices.Sort(got)
	want := slices.Clone(OutputNames)
	slices.Sort(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outputs (-code +action.yml):\n%s", diff)
	}
}

func TestReadInputsRequiresModel(t *testing.T) {
	_, err := ReadInputs(mapGet(map[string]string{"model-base-url": "http://ollama:11434/v1"}))
	if err == nil {
		t.Fatal("a run without a model was accepted")
	}
	if got, want := err.Error(), "input model: is required and empty"; !strings.HasPrefix(got, want) {
		t.Errorf("err = %q, want prefix %q", got, want)
	}
}

func TestCheckCostCap(t *testing.T) {
	priced := map[string]Price{"big": {Input: 2, Output: 8}, "local": {}}
	tests := []struct {
		name         string
		cap          float64
		model, judge string
		prices       map[string]Price
		want         []string // substrings of the error; none: no error
	}{
		{name: "no cap, no prices", model: "big", judge: "big"},
		{name: "cap, priced", cap: 0.5, model: "big", judge: "big", prices: priced},
		{name: "cap, a price of 0 is a price", cap: 0.5, model: "local", judge: "big", prices: priced},
		{name: "cap, model unpriced", cap: 0.5, model: "gpt-4.1", judge: "gpt-4.1", prices: priced,
			want: []string{"input max-cost-usd: 0.5 needs a price for model \"gpt-4.1\": add it under prices in .github/dawnpatch.yml", `prices: {"gpt-4.1": {input:`}},
		{name: "cap, judge unpriced", cap: 1, model: "big", judge: "judge-x", prices: priced,
			want: []string{`model "judge-x"`, "prices"}},
		{name: "cap, both unpriced", cap: 1, model: "a", judge: "b",
			want: []string{`model "a" and "b"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Default()
			p.Prices = tt.prices
			in := Inputs{Model: tt.model, JudgeModel: tt.judge, MaxCostUSD: tt.cap}
			err := CheckCostCap(in, p, ".github/dawnpatch.yml")
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("CheckCostCap() = %v, want nil", err)
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) || ce.Field != "max-cost-usd" {
				t.Fatalf("CheckCostCap() = %v, want a *config.Error naming max-cost-usd", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadFailsClosedOnACostCapWithoutAPrice(t *testing.T) {
	ws := t.TempDir()
	if err := os.MkdirAll(filepath.Join(ws, ".github"), 0o755); err != nil {
		t.Fatal(err)
	}
	policy := "prices:\n  gpt-4.1: {input: 2.0, output: 8.0}\n"
	if err := os.WriteFile(filepath.Join(ws, ".github/dawnpatch.yml"), []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	getenv := mapGet(map[string]string{"GITHUB_WORKSPACE": ws})
	inputs := map[string]string{"model": "gpt-4.1", "max-cost-usd": "0.25"}
	if _, err := Load(mapGet(inputs), getenv); err != nil {
		t.Fatalf("priced model: %v", err)
	}
	inputs["judge-model"] = "o3"
	_, err := Load(mapGet(inputs), getenv)
	if err == nil || !strings.Contains(err.Error(), `input max-cost-usd: 0.25 needs a price for model "o3"`) {
		t.Fatalf("unpriced judge-model: err = %v", err)
	}
	inputs["max-cost-usd"] = "0"
	if _, err := Load(mapGet(inputs), getenv); err != nil {
		t.Fatalf("no cap: %v", err)
	}
}

func TestFormatDurationRoundTrips(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0"},
		{14 * 24 * time.Hour, "14d"},
		{36 * time.Hour, "1d12h"},
		{2 * time.Hour, "2h"},
		{90 * time.Minute, "1h30m"},
		{30 * time.Minute, "30m"},
		{90 * time.Second, "1m30s"},
		{24*time.Hour + time.Second, "1d1s"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := FormatDuration(tt.in); got != tt.want {
				t.Errorf("FormatDuration(%v) = %q, want %q", tt.in, got, tt.want)
			}
			if tt.in == 0 {
				return
			}
			back, err := ParseDuration(tt.want)
			if err != nil || back != tt.in {
				t.Errorf("ParseDuration(%q) = %v, %v; want %v", tt.want, back, err, tt.in)
			}
		})
	}
}

func TestPolicyTestEnv(t *testing.T) {
	for _, tt := range []struct{ yaml, wantErr string }{
		{"fix:\n  test_env: {MODE: dev, NODE_OPTIONS: --max-old-space-size=4096}\n", ""},
		{"fix:\n  test_env: {GITHUB_TOKEN: x}\n", "fix.test_env.GITHUB_TOKEN"},
		{"fix:\n  test_env: {PATH: /x}\n", "fix.test_env.PATH"},
		{"fix:\n  test_env: {\"A-B\": x}\n", "fix.test_env.A-B"},
	} {
		_, err := ParsePolicy(".github/dawnpatch.yml", []byte(tt.yaml))
		if (err == nil) != (tt.wantErr == "") || (err != nil && !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("ParsePolicy(%q) = %v, want an error with %q", tt.yaml, err, tt.wantErr)
		}
	}
}

func TestLoadChecksWhatAPollNeeds(t *testing.T) {
	sentry := map[string]string{"model": "m", "sentry-token": "tok", "sentry-org": "acme", "sentry-projects": "web, api"}
	tests := []struct {
		name   string
		event  string
		inputs map[string]string // changes to sentry's
		want   string            // the input the error names; "" for none
	}{
		{name: "a schedule with its projects", event: "schedule"},
		{name: "every project on purpose", event: "schedule", inputs: map[string]string{"sentry-projects": "-1"}},
		{name: "a schedule without projects", event: "schedule", inputs: map[string]string{"sentry-projects": ""}, want: "sentry-projects"},
		{name: "blank projects", event: "schedule", inputs: map[string]string{"sentry-projects": " , \n"}, want: "sentry-projects"},
		{name: "workflow_dispatch without an incident", event: "workflow_dispatch", inputs: map[string]string{"sentry-projects": ""}, want: "sentry-projects"},
		{name: "workflow_dispatch with an incident", event: "workflow_dispatch", inputs: map[string]string{"sentry-projects": "", "incident": "4242"}},
		{name: "a dispatch works on its one issue", event: "repository_dispatch", inputs: map[string]string{"sentry-projects": ""}},
		{name: "a schedule without a token", event: "schedule", inputs: map[string]string{"sentry-token": ""}, want: "sentry-token"},
		{name: "a schedule without an organization", event: "schedule", inputs: map[string]string{"sentry-org": ""}, want: "sentry-org"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inputs := map[string]string{}
			for k, v := range sentry {
				inputs[k] = v
			}
			for k, v := range tt.inputs {
				inputs[k] = v
			}
			getenv := mapGet(map[string]string{"GITHUB_WORKSPACE": t.TempDir(), "GITHUB_EVENT_NAME": tt.event})
			_, err := Load(mapGet(inputs), getenv)
			var ce *Error
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Load() = %v, want nil", err)
			case tt.want == "":
			case !errors.As(err, &ce) || ce.Field != tt.want:
				t.Fatalf("Load() = %v, want a *config.Error naming %s", err, tt.want)
			case !strings.HasPrefix(err.Error(), "input "+tt.want+": is empty; a scheduled run"):
				t.Errorf("error %q does not say a scheduled run needs %s", err, tt.want)
			}
		})
	}
}
