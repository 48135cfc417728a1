package main

// Tests of the workflows users copy: examples/*.yml and the README's
// snippets. They name the published action by commit, so actionlint cannot
// check their with: keys against action.yml; these tests do, and read each
// with: block through config.ReadInputs as the action would.

import (
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/config"
	"gopkg.in/yaml.v3"
)

// The placeholder release every example pins: users replace it with the
// commit and version a release's notes name.
const (
	placeholderCommit  = "0000000000000000000000000000000000000000"
	placeholderVersion = "v1.x.y"
	publishedAction    = "dawnpatch/dawnpatch"
)

// userWorkflow is the part of a user's workflow these checks read.
type userWorkflow struct {
	Permissions *yaml.Node         `yaml:"permissions"`
	Jobs        map[string]userJob `yaml:"jobs"`
}

type userJob struct {
	Permissions *yaml.Node             `yaml:"permissions"`
	Services    map[string]userService `yaml:"services"`
	Steps       []userStep             `yaml:"steps"`
}

type userService struct {
	Image string `yaml:"image"`
}

type userStep struct {
	Uses string            `yaml:"uses"`
	With map[string]string `yaml:"with"`
}

// dawnpatchStep is one use of the published action, with its inputs as
// ReadInputs read them.
type dawnpatchStep struct {
	job    string
	with   map[string]string
	inputs config.Inputs
}

// usesLine matches a uses: line and its trailing comment.
var usesLine = regexp.MustCompile(`^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)["']?\s*(?:#\s*(.*))?$`)

// versionComment is the comment that names the version of a pinned action.
var versionComment = regexp.MustCompile(`^v[0-9]+(\.[0-9]+){0,2}$`)

// checkUsesLines checks every uses: line of a workflow or snippet: no
// uses: ./ (it only means this action inside dawnpatch's own repository),
// every action pinned by a 40-hex commit with its version in a comment,
// and dawnpatch itself pinned to the placeholder release.
func checkUsesLines(text string) []string {
	var findings []string
	for i, line := range strings.Split(text, "\n") {
		m := usesLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		ref, comment := m[1], strings.TrimSpace(m[2])
		at := func(format string, args ...any) {
			findings = append(findings, fmt.Sprintf("line %d: %s: ", i+1, ref)+fmt.Sprintf(format, args...))
		}
		switch {
		case strings.HasPrefix(ref, "./") || ref == ".":
			at("uses: ./ only works inside dawnpatch's repository; name %s@<commit> # <version>", publishedAction)
		case strings.HasPrefix(ref, "docker://"):
			if !pinnedImage.MatchString(ref) {
				at("want docker://image@sha256:<digest>")
			}
		case !pinnedAction.MatchString(ref):
			at("want owner/repo@<40-hex commit SHA> # <version>")
		case strings.HasPrefix(ref, publishedAction+"@"):
			if ref != publishedAction+"@"+placeholderCommit || comment != placeholderVersion {
				at("want %s@%s # %s, the placeholder the README tells users to replace", publishedAction, placeholderCommit, placeholderVersion)
			}
		case !versionComment.MatchString(comment):
			at("want the version in a comment after the SHA, e.g. # v6.0.2, got %q", comment)
		}
	}
	return findings
}

// blankExpressions reads a with: block as a test can: an expression the
// runner would fill in (a secret, an input) reads as blank.
func blankExpressions(with map[string]string) func(string) string {
	return func(name string) string {
		if v := with[name]; !strings.Contains(v, "${{") {
			return v
		}
		return ""
	}
}

// checkUserWorkflow checks a whole workflow a user copies and returns its
// findings and the published action's steps.
func checkUserWorkflow(data []byte, inputs map[string]bool) ([]string, []dawnpatchStep) {
	var wf userWorkflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		return []string{fmt.Sprintf("parse: %v", err)}, nil
	}
	var findings []string
	if wf.Permissions != nil {
		findings = append(findings, "permissions: belong on the job that needs them, not on the workflow")
	}
	var steps []dawnpatchStep
	for _, id := range slices.Sorted(maps.Keys(wf.Jobs)) {
		job := wf.Jobs[id]
		if job.Permissions == nil {
			findings = append(findings, fmt.Sprintf("job %s: no permissions:; the token would get the repository's defaults", id))
		}
		for _, st := range job.Steps {
			if !strings.HasPrefix(st.Uses, publishedAction+"@") {
				continue
			}
			f, s := checkDawnpatchStep(id, st.With, inputs)
			findings = append(findings, f...)
			steps = append(steps, s)
		}
	}
	if len(steps) == 0 {
		findings = append(findings, "no step uses "+publishedAction)
	}
	return findings, steps
}

func checkDawnpatchStep(job string, with map[string]string, inputs map[string]bool) ([]string, dawnpatchStep) {
	var findings []string
	bad := func(format string, args ...any) {
		findings = append(findings, fmt.Sprintf("job %s: ", job)+fmt.Sprintf(format, args...))
	}
	for _, k := range slices.Sorted(maps.Keys(with)) {
		if !inputs[k] {
			bad("with key %q is not an input in action.yml", k)
		}
	}
	in, err := config.ReadInputs(blankExpressions(with))
	if err != nil {
		bad("config.ReadInputs: %v", err)
		return findings, dawnpatchStep{job: job, with: with}
	}
	if u, err := url.Parse(in.ModelBaseURL); err == nil && isLoopback(u.Hostname()) {
		bad("model-base-url %s: localhost inside a container action is the action's own container; use a service name or an address", in.ModelBaseURL)
	}
	return findings, dawnpatchStep{job: job, with: with, inputs: in}
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && (ip.IsLoopback() || ip.IsUnspecified())
}

// providerChecks say, per model example, what its with: block must hold
// for that provider.
var providerChecks = map[string]func(in config.Inputs, with map[string]string, job userJob) error{
	"model-openai.yml": func(in config.Inputs, with map[string]string, _ userJob) error {
		if in.ModelBaseURL != "https://api.openai.com/v1" {
			return fmt.Errorf("model-base-url %s: want https://api.openai.com/v1", in.ModelBaseURL)
		}
		return wantSecretKey(with)
	},
	"model-azure-openai.yml": func(in config.Inputs, with map[string]string, _ userJob) error {
		u, _ := url.Parse(in.ModelBaseURL)
		if u.Scheme != "https" || !strings.HasSuffix(u.Host, ".openai.azure.com") || u.Path != "/openai/v1" || u.RawQuery != "" {
			return fmt.Errorf("model-base-url %s: want the v1 API, https://<resource>.openai.azure.com/openai/v1 without api-version", in.ModelBaseURL)
		}
		return wantSecretKey(with)
	},
	"model-openrouter.yml": func(in config.Inputs, with map[string]string, _ userJob) error {
		if in.ModelBaseURL != "https://openrouter.ai/api/v1" {
			return fmt.Errorf("model-base-url %s: want https://openrouter.ai/api/v1", in.ModelBaseURL)
		}
		if !strings.Contains(in.Model, "/") {
			return fmt.Errorf("model %q: want an OpenRouter slug, provider/model", in.Model)
		}
		return wantSecretKey(with)
	},
	"model-vllm.yml": func(in config.Inputs, with map[string]string, _ userJob) error {
		if u, _ := url.Parse(in.ModelBaseURL); u.Path != "/v1" {
			return fmt.Errorf("model-base-url %s: want the server's /v1", in.ModelBaseURL)
		}
		return wantSecretKey(with)
	},
	"model-ollama.yml": func(in config.Inputs, _ map[string]string, job userJob) error {
		u, _ := url.Parse(in.ModelBaseURL)
		svc, ok := job.Services[u.Hostname()]
		if !ok || u.Port() != "11434" || u.Path != "/v1" {
			return fmt.Errorf("model-base-url %s: want http://<service name>:11434/v1 for one of the job's services %v", in.ModelBaseURL, slices.Sorted(maps.Keys(job.Services)))
		}
		if tag := imageTag(svc.Image); !strings.HasPrefix(svc.Image, "ollama/ollama:") || !versionTag.MatchString(tag) {
			return fmt.Errorf("service image %s: want ollama/ollama:<version>", svc.Image)
		}
		return nil
	},
}

func wantSecretKey(with map[string]string) error {
	if !strings.Contains(with["model-api-key"], "secrets.") {
		return fmt.Errorf("model-api-key %q: want it from a secret", with["model-api-key"])
	}
	return nil
}

func TestExamples(t *testing.T) {
	inputs := loadActionInputs(t)
	paths, err := filepath.Glob("examples/*.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"sentry-dispatch.yml", "schedule.yml", "dry-run.yml", "github-app-token.yml"} {
		if !slices.Contains(paths, "examples/"+want) {
			t.Errorf("examples/%s is missing", want)
		}
	}
	for name := range providerChecks {
		if !slices.Contains(paths, "examples/"+name) {
			t.Errorf("examples/%s is missing", name)
		}
	}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			checkExample(t, path, data, inputs)
		})
	}
}

func checkExample(t *testing.T, path string, data []byte, inputs map[string]bool) {
	t.Helper()
	wf, err := parseWorkflow(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range workflowChecks() {
		for _, f := range c.check(wf, inputs) {
			t.Errorf("%s: %s", c.name, f)
		}
	}
	for _, f := range checkUsesLines(string(data)) {
		t.Error(f)
	}
	findings, steps := checkUserWorkflow(data, inputs)
	for _, f := range findings {
		t.Error(f)
	}
	check, ok := providerChecks[filepath.Base(path)]
	if !ok {
		return
	}
	var uw userWorkflow
	if err := yaml.Unmarshal(data, &uw); err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		if err := check(s.inputs, s.with, uw.Jobs[s.job]); err != nil {
			t.Error(err)
		}
	}
}

func TestDryRunExampleIsReadOnly(t *testing.T) {
	data, err := os.ReadFile("examples/dry-run.yml")
	if err != nil {
		t.Fatal(err)
	}
	var wf struct {
		Jobs map[string]struct {
			Permissions map[string]string `yaml:"permissions"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatal(err)
	}
	for id, j := range wf.Jobs {
		for scope, level := range j.Permissions {
			if level != "read" && level != "none" {
				t.Errorf("job %s: %s: %s; a dry run needs read only", id, scope, level)
			}
		}
	}
	_, steps := checkUserWorkflow(data, loadActionInputs(t))
	for _, s := range steps {
		if !s.inputs.DryRun {
			t.Errorf("job %s: dry-run is not on", s.job)
		}
	}
}

// goodUserWorkflow passes every check; each bad case below changes one
// thing.
const goodUserWorkflow = `
on: workflow_dispatch
jobs:
  fix:
    runs-on: ubuntu-latest
    permissions:
      contents: write
    steps:
      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2
      - uses: dawnpatch/dawnpatch@0000000000000000000000000000000000000000 # v1.x.y
        with:
          model-base-url: http://ollama:11434/v1
          model-api-key: ${{ secrets.KEY }}
          model: qwen2.5-coder:7b
`

func TestUserWorkflowChecksCatchBadSnippets(t *testing.T) {
	inputs := map[string]bool{"model-base-url": true, "model-api-key": true, "model": true}
	check := func(text string) []string {
		findings, _ := checkUserWorkflow([]byte(text), inputs)
		return append(findings, checkUsesLines(text)...)
	}
	if f := check(goodUserWorkflow); len(f) > 0 {
		t.Fatalf("the good workflow has findings: %q", f)
	}
	const pinned = "dawnpatch/dawnpatch@0000000000000000000000000000000000000000 # v1.x.y"
	tests := []struct {
		name, old, new, want string
	}{
		{"uses ./", pinned, "./", "uses: ./"},
		{"published action by tag", pinned, "dawnpatch/dawnpatch@v1", "40-hex"},
		{"published action by another commit", pinned, "dawnpatch/dawnpatch@1111111111111111111111111111111111111111 # v1.2.3", "placeholder"},
		{"third-party action by tag", "checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2", "checkout@v6", "40-hex"},
		{"SHA without version comment", " # v6.0.2", "", "version in a comment"},
		{"permissions on the workflow", "jobs:\n", "permissions:\n  contents: write\njobs:\n", "not on the workflow"},
		{"no permissions on the job", "    permissions:\n      contents: write\n", "", "job fix: no permissions"},
		{"no model", "          model: qwen2.5-coder:7b\n", "", "input model: is required"},
		{"model from an expression", "model: qwen2.5-coder:7b", "model: ${{ vars.MODEL }}", "input model: is required"},
		{"localhost", "http://ollama:11434/v1", "http://localhost:11434/v1", "the action's own container"},
		{"loopback address", "http://ollama:11434/v1", "http://127.0.0.1:11434/v1", "the action's own container"},
		{"not a URL", "http://ollama:11434/v1", "ollama:11434", "want an http or https URL"},
		{"unknown input", "          model: qwen", "          modle: x\n          model: qwen", `"modle" is not an input`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(goodUserWorkflow, tt.old, tt.new, 1)
			if text == goodUserWorkflow {
				t.Fatalf("the good workflow has no %q", tt.old)
			}
			findings := check(text)
			if !slices.ContainsFunc(findings, func(f string) bool { return strings.Contains(f, tt.want) }) {
				t.Errorf("findings %q: want one containing %q", findings, tt.want)
			}
		})
	}
}

func TestProviderChecksCatchWrongEndpoints(t *testing.T) {
	ollama := userJob{Services: map[string]userService{"ollama": {Image: "ollama/ollama:0.32.15"}}}
	key := map[string]string{"model-api-key": "${{ secrets.KEY }}"}
	tests := []struct {
		file, url, model string
		with             map[string]string
		job              userJob
	}{
		{"model-openai.yml", "https://api.openai.com/v1", "gpt-4.1", map[string]string{"model-api-key": "sk-inline"}, userJob{}},
		{"model-azure-openai.yml", "https://r.openai.azure.com/openai/deployments/d", "d", key, userJob{}},
		{"model-azure-openai.yml", "https://r.openai.azure.com/openai/v1?api-version=2024-10-21", "d", key, userJob{}},
		{"model-openrouter.yml", "https://openrouter.ai/api/v1", "gpt-4.1", key, userJob{}},
		{"model-vllm.yml", "https://vllm.example.com", "m", key, userJob{}},
		{"model-ollama.yml", "http://ollama-server:11434/v1", "q", nil, ollama},
		{"model-ollama.yml", "http://ollama:11434", "q", nil, ollama},
		{"model-ollama.yml", "http://ollama:11434/v1", "q", nil, userJob{Services: map[string]userService{"ollama": {Image: "ollama/ollama:latest"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.url, func(t *testing.T) {
			in := config.Inputs{ModelBaseURL: tt.url, Model: tt.model}
			if err := providerChecks[tt.file](in, tt.with, tt.job); err == nil {
				t.Errorf("%s accepted model-base-url %s, model %s, with %v", tt.file, tt.url, tt.model, tt.with)
			}
		})
	}
}
