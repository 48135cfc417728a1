package main

// Tests of the repository's container and CI contract: the Dockerfile GitHub
// builds the action from, and the workflows that run it. No Docker engine or
// GitHub runner is needed; the files are read as text and YAML.

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// dockerInstr is one Dockerfile instruction with its continuation lines
// joined.
type dockerInstr struct {
	line int    // 1-based line the instruction starts on
	cmd  string // upper-cased instruction, e.g. "RUN"
	args string // the rest of the instruction
}

// dockerStage is a FROM instruction and the instructions after it.
type dockerStage struct {
	image  string // image reference or earlier stage name after FROM
	name   string // name given with AS, if any
	line   int
	instrs []dockerInstr
}

// parseDockerfile splits a Dockerfile into stages. It knows comments, blank
// lines, backslash continuations, FROM flags and the defaults of ARGs
// before the first FROM, which FROM lines may use; that is all the checks
// need.
func parseDockerfile(text string) ([]dockerStage, error) {
	instrs, err := dockerInstructions(text)
	if err != nil {
		return nil, err
	}
	var stages []dockerStage
	args := map[string]string{}
	for _, in := range instrs {
		if in.cmd == "FROM" {
			in.args = os.Expand(in.args, func(name string) string {
				if v := args[name]; v != "" {
					return v
				}
				return "${" + name + "}" // no default: the check sees no tag
			})
			st, err := parseFrom(in)
			if err != nil {
				return nil, err
			}
			stages = append(stages, st)
			continue
		}
		if len(stages) == 0 {
			if in.cmd == "ARG" {
				name, def, _ := strings.Cut(in.args, "=")
				args[strings.TrimSpace(name)] = strings.TrimSpace(def)
				continue // ARG before the first FROM is allowed
			}
			return nil, fmt.Errorf("line %d: %s before the first FROM", in.line, in.cmd)
		}
		last := &stages[len(stages)-1]
		last.instrs = append(last.instrs, in)
	}
	if len(stages) == 0 {
		return nil, errors.New("no FROM instruction")
	}
	return stages, nil
}

// dockerInstructions joins continuation lines and drops comments.
func dockerInstructions(text string) ([]dockerInstr, error) {
	var out []dockerInstr
	var cur strings.Builder
	start := 0
	for i, raw := range strings.Split(text, "\n") {
		line := strings.TrimSpace(raw)
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if cur.Len() == 0 {
			start = i + 1
		}
		body, cont := strings.CutSuffix(line, `\`)
		cur.WriteString(body)
		cur.WriteString(" ")
		if cont {
			continue
		}
		cmd, args, _ := strings.Cut(strings.TrimSpace(cur.String()), " ")
		out = append(out, dockerInstr{line: start, cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)})
		cur.Reset()
	}
	if cur.Len() > 0 {
		return nil, fmt.Errorf("line %d: continuation at end of file", start)
	}
	return out, nil
}

// parseFrom reads "FROM [--flag=v ...] image [AS name]".
func parseFrom(in dockerInstr) (dockerStage, error) {
	fields := strings.Fields(in.args)
	for len(fields) > 0 && strings.HasPrefix(fields[0], "--") {
		fields = fields[1:]
	}
	st := dockerStage{line: in.line}
	switch {
	case len(fields) == 1:
		st.image = fields[0]
	case len(fields) == 3 && strings.EqualFold(fields[1], "AS"):
		st.image, st.name = fields[0], fields[2]
	default:
		return st, fmt.Errorf("line %d: FROM %q: want image [AS name]", in.line, in.args)
	}
	return st, nil
}

// versionTag matches an image tag that names a release: 1.26.8, 1.26.8-bookworm, 12.12-slim.
var versionTag = regexp.MustCompile(`^v?[0-9]+\.[0-9]+(\.[0-9]+)?([-.][A-Za-z0-9._-]+)?$`)

// imageTag returns the tag of an image reference, "" when it has none.
func imageTag(ref string) string {
	ref, _, _ = strings.Cut(ref, "@")
	lastPart := ref[strings.LastIndex(ref, "/")+1:]
	_, tag, _ := strings.Cut(lastPart, ":")
	return tag
}

// dockerCheck is one rule of the image contract.
type dockerCheck struct {
	name  string
	check func(stages []dockerStage) error
}

// dockerChecks returns the rules the action's Dockerfile must follow.
func dockerChecks() []dockerCheck {
	return []dockerCheck{
		{"multi-stage", checkMultiStage},
		{"base images pinned", checkPinnedBases},
		{"static build", checkStaticBuild},
		{"modules downloaded before source copy", checkModLayer},
		{"no USER", checkNoUser},
		{"no WORKDIR in final stage", checkNoFinalWorkdir},
		{"exec-form absolute ENTRYPOINT", checkEntrypoint},
		{"runtime has git and ca-certificates", checkRuntimePackages},
	}
}

func checkMultiStage(stages []dockerStage) error {
	if len(stages) < 2 {
		return fmt.Errorf("%d stage(s); want a builder stage and a runtime stage", len(stages))
	}
	return nil
}

func checkPinnedBases(stages []dockerStage) error {
	var names []string
	for _, st := range stages {
		if slices.Contains(names, strings.ToLower(st.image)) {
			names = append(names, strings.ToLower(st.name))
			continue // built on an earlier stage
		}
		tag := imageTag(st.image)
		if tag == "latest" || !versionTag.MatchString(tag) {
			return fmt.Errorf("line %d: FROM %s: want a version tag such as golang:1.26.8-bookworm", st.line, st.image)
		}
		names = append(names, strings.ToLower(st.name))
	}
	return nil
}

func checkStaticBuild(stages []dockerStage) error {
	for _, st := range stages {
		for _, in := range st.instrs {
			if in.cmd != "RUN" || !strings.Contains(in.args, "go build") {
				continue
			}
			if !strings.Contains(in.args, "CGO_ENABLED=0") && !stageSetsEnv(st, "CGO_ENABLED=0") {
				return fmt.Errorf("line %d: go build without CGO_ENABLED=0", in.line)
			}
			return nil
		}
	}
	return errors.New("no RUN go build in any stage")
}

// stageSetsEnv reports whether an ENV in the stage sets kv ("NAME=value").
func stageSetsEnv(st dockerStage, kv string) bool {
	for _, in := range st.instrs {
		if in.cmd == "ENV" && slices.Contains(strings.Fields(in.args), kv) {
			return true
		}
	}
	return false
}

func checkModLayer(stages []dockerStage) error {
	for _, st := range stages {
		download := -1
		for i, in := range st.instrs {
			switch {
			case in.cmd == "RUN" && strings.Contains(in.args, "go mod download"):
				download = i
			case in.cmd == "COPY" && copiesContext(in) && download < 0:
				return fmt.Errorf("line %d: source copied before go mod download", in.line)
			}
		}
		if download >= 0 {
			return nil
		}
	}
	return errors.New("no RUN go mod download in any stage")
}

// copiesContext reports whether a COPY takes the whole build context (".").
func copiesContext(in dockerInstr) bool {
	var srcs []string
	for _, f := range strings.Fields(in.args) {
		if !strings.HasPrefix(f, "--") {
			srcs = append(srcs, f)
		}
	}
	return len(srcs) > 1 && slices.Contains(srcs[:len(srcs)-1], ".")
}

func checkNoUser(stages []dockerStage) error {
	for _, st := range stages {
		for _, in := range st.instrs {
			if in.cmd == "USER" {
				return fmt.Errorf("line %d: USER %s: GitHub runs container actions as root", in.line, in.args)
			}
		}
	}
	return nil
}

func checkNoFinalWorkdir(stages []dockerStage) error {
	for _, in := range stages[len(stages)-1].instrs {
		if in.cmd == "WORKDIR" {
			return fmt.Errorf("line %d: WORKDIR in the final stage: GitHub sets the working directory", in.line)
		}
	}
	return nil
}

func checkEntrypoint(stages []dockerStage) error {
	var last *dockerInstr
	for _, in := range stages[len(stages)-1].instrs {
		if in.cmd == "ENTRYPOINT" {
			last = &in
		}
	}
	if last == nil {
		return errors.New("no ENTRYPOINT in the final stage")
	}
	var argv []string
	if err := json.Unmarshal([]byte(last.args), &argv); err != nil || len(argv) == 0 {
		return fmt.Errorf("line %d: ENTRYPOINT %s: want exec form, a JSON array", last.line, last.args)
	}
	if !strings.HasPrefix(argv[0], "/") {
		return fmt.Errorf("line %d: ENTRYPOINT program %q: want an absolute path", last.line, argv[0])
	}
	return nil
}

// checkRuntimePackages wants git and the CA certificates in the runtime:
// installed in the final stage, or installed in a package stage the final
// stage copies from (a stage that builds no Go).
func checkRuntimePackages(stages []dockerStage) error {
	final := stages[len(stages)-1]
	installed := aptInstalled(final)
	for _, in := range final.instrs {
		from := copyFrom(in)
		if from == "" {
			continue
		}
		for _, st := range stages[:len(stages)-1] {
			if strings.EqualFold(st.name, from) && !buildsGo(st) {
				for pkg := range aptInstalled(st) {
					installed[pkg] = true
				}
			}
		}
	}
	var missing []string
	for _, pkg := range []string{"git", "ca-certificates"} {
		if !installed[pkg] {
			missing = append(missing, pkg)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("final stage does not apt-get install %s", strings.Join(missing, ", "))
	}
	return nil
}

// aptInstalled collects the packages a stage's RUNs apt-get install.
func aptInstalled(st dockerStage) map[string]bool {
	installed := map[string]bool{}
	for _, in := range st.instrs {
		if in.cmd != "RUN" {
			continue
		}
		for _, cmd := range strings.FieldsFunc(in.args, func(r rune) bool { return r == '&' || r == ';' || r == '|' }) {
			words := strings.Fields(cmd)
			if i := slices.Index(words, "install"); i > 0 && strings.HasPrefix(words[i-1], "apt") {
				for _, w := range words[i+1:] {
					installed[w] = true
				}
			}
		}
	}
	return installed
}

// copyFrom returns the stage a COPY --from=stage takes files from, or "".
func copyFrom(in dockerInstr) string {
	if in.cmd != "COPY" {
		return ""
	}
	for _, f := range strings.Fields(in.args) {
		if v, ok := strings.CutPrefix(f, "--from="); ok {
			return v
		}
	}
	return ""
}

// buildsGo reports whether a stage runs go build.
func buildsGo(st dockerStage) bool {
	for _, in := range st.instrs {
		if in.cmd == "RUN" && strings.Contains(in.args, "go build") {
			return true
		}
	}
	return false
}

func TestDockerfile(t *testing.T) {
	text, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	stages, err := parseDockerfile(string(text))
	if err != nil {
		t.Fatalf("parse Dockerfile: %v", err)
	}
	for _, c := range dockerChecks() {
		t.Run(c.name, func(t *testing.T) {
			if err := c.check(stages); err != nil {
				t.Error(err)
			}
		})
	}
}

// goodDockerfile passes every check; each bad case below changes one thing.
const goodDockerfile = `
FROM golang:1.26.8-bookworm AS builder
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .
FROM debian:12.12-slim
RUN apt-get update && apt-get install -y git ca-certificates
COPY --from=builder /out/app /usr/local/bin/app
ENTRYPOINT ["/usr/local/bin/app"]
`

func TestDockerfileChecksCatchBadSnippets(t *testing.T) {
	stages, err := parseDockerfile(goodDockerfile)
	if err != nil {
		t.Fatalf("parse good Dockerfile: %v", err)
	}
	checks := map[string]func([]dockerStage) error{}
	for _, c := range dockerChecks() {
		checks[c.name] = c.check
		if err := c.check(stages); err != nil {
			t.Errorf("good Dockerfile fails %q: %v", c.name, err)
		}
	}
	swap := func(old, new string) string {
		if !strings.Contains(goodDockerfile, old) {
			t.Fatalf("good Dockerfile has no %q", old)
		}
		return strings.Replace(goodDockerfile, old, new, 1)
	}
	tests := []struct {
		name, check, dockerfile string
	}{
		{"one stage", "multi-stage", "FROM golang:1.26.8\nRUN CGO_ENABLED=0 go build .\nENTRYPOINT [\"/app\"]\n"},
		{"latest tag", "base images pinned", swap("debian:12.12-slim", "debian:latest")},
		{"no tag", "base images pinned", swap("debian:12.12-slim", "debian")},
		{"codename tag", "base images pinned", swap("debian:12.12-slim", "debian:bookworm-slim")},
		{"unpinned builder", "base images pinned", swap("golang:1.26.8-bookworm", "golang:1")},
		{"unpinned ARG default", "base images pinned", swap("FROM golang:1.26.8-bookworm", "ARG GO_IMAGE=golang:1\nFROM ${GO_IMAGE}")},
		{"ARG without a default", "base images pinned", swap("FROM golang:1.26.8-bookworm", "ARG GO_IMAGE\nFROM ${GO_IMAGE}")},
		{"cgo left on", "static build", swap("CGO_ENABLED=0 go build", "go build")},
		{"no build", "static build", swap("RUN CGO_ENABLED=0 go build -o /out/app .", "")},
		{"source before modules", "modules downloaded before source copy", swap("COPY go.mod go.sum ./\nRUN go mod download\nCOPY . .", "COPY . .\nRUN go mod download")},
		{"no module layer", "modules downloaded before source copy", swap("RUN go mod download\n", "")},
		{"user in runtime", "no USER", swap("ENTRYPOINT", "USER nobody\nENTRYPOINT")},
		{"user in builder", "no USER", swap("WORKDIR /src", "USER 1000")},
		{"workdir in runtime", "no WORKDIR in final stage", swap("ENTRYPOINT", "WORKDIR /app\nENTRYPOINT")},
		{"shell-form entrypoint", "exec-form absolute ENTRYPOINT", swap(`["/usr/local/bin/app"]`, "/usr/local/bin/app")},
		{"relative entrypoint", "exec-form absolute ENTRYPOINT", swap(`["/usr/local/bin/app"]`, `["app"]`)},
		{"no entrypoint", "exec-form absolute ENTRYPOINT", swap(`ENTRYPOINT ["/usr/local/bin/app"]`, `CMD ["/usr/local/bin/app"]`)},
		{"no git", "runtime has git and ca-certificates", swap("install -y git ca-certificates", "install -y ca-certificates")},
		{"no ca-certificates", "runtime has git and ca-certificates", swap("install -y git ca-certificates", "install -y git")},
		{"packages only in builder", "runtime has git and ca-certificates", strings.Replace(
			swap("RUN apt-get update && apt-get install -y git ca-certificates\n", ""),
			"WORKDIR /src", "RUN apt-get install -y git ca-certificates\nWORKDIR /src", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			check, ok := checks[tt.check]
			if !ok {
				t.Fatalf("no check named %q", tt.check)
			}
			stages, err := parseDockerfile(tt.dockerfile)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if err := check(stages); err == nil {
				t.Errorf("check %q passed on:\n%s", tt.check, tt.dockerfile)
			}
		})
	}
}

func TestDockerfileChecksAcceptGoodVariants(t *testing.T) {
	tests := []struct {
		name, old, new string
	}{
		{"cgo off through ENV", "RUN CGO_ENABLED=0 go build", "ENV CGO_ENABLED=0\nRUN go build"},
		{"platform flag and digest", "FROM debian:12.12-slim", "FROM --platform=linux/amd64 debian:12.12-slim@sha256:0000"},
		{"runtime built on a named stage", "FROM debian:12.12-slim", "FROM debian:12.12-slim AS base\nFROM base"},
		{"base images as ARG defaults", "FROM golang:1.26.8-bookworm AS builder", "ARG GO_IMAGE=golang:1.26.8-bookworm\nFROM ${GO_IMAGE} AS builder"},
		{"git copied from a package stage", "FROM debian:12.12-slim\nRUN apt-get update && apt-get install -y git ca-certificates\n",
			"FROM debian:12.12-slim AS git\nRUN apt-get update && apt-get install -y git ca-certificates\nFROM debian:12.12-slim\nCOPY --from=git /usr/bin/git /usr/bin/git\n"},
		{"continuation lines", "apt-get install -y git ca-certificates", "apt-get install -y \\\n  git \\\n  ca-certificates"},
		{"copy with flags", "COPY . .", "COPY --chown=0:0 . ."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(goodDockerfile, tt.old, tt.new, 1)
			if text == goodDockerfile {
				t.Fatalf("good Dockerfile has no %q", tt.old)
			}
			stages, err := parseDockerfile(text)
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			for _, c := range dockerChecks() {
				if err := c.check(stages); err != nil {
					t.Errorf("%s: %v", c.name, err)
				}
			}
		})
	}
}

// workflow is the part of a GitHub Actions workflow file the checks read.
type workflow struct {
	Jobs map[string]workflowJob `yaml:"jobs"`
}

// workflowJob is a job: steps, or a reusable workflow in uses.
type workflowJob struct {
	Uses  string         `yaml:"uses"`
	Steps []workflowStep `yaml:"steps"`
}

// workflowStep is one step of a job.
type workflowStep struct {
	Uses string               `yaml:"uses"`
	Run  string               `yaml:"run"`
	With map[string]yaml.Node `yaml:"with"`
}

// workflowCheck is one rule every workflow must follow; it returns findings.
type workflowCheck struct {
	name  string
	check func(wf workflow, actionInputs map[string]bool) []string
}

// workflowChecks returns the rules for every workflow in the repository.
func workflowChecks() []workflowCheck {
	return []workflowCheck{
		{"no untrusted text in run", checkRunInjection},
		{"with keys of uses ./ are action inputs", checkLocalActionInputs},
		{"remote actions pinned by SHA", checkPinnedActions},
	}
}

var (
	// expression matches one ${{ ... }} expression.
	expression = regexp.MustCompile(`(?s)\$\{\{(.*?)\}\}`)
	// bracketProp matches a property in index syntax: ['title'] or ["title"].
	bracketProp = regexp.MustCompile(`\[['"]([^'"\]]+)['"]\]`)
	// untrustedExpr matches, in a lower-cased expression without spaces,
	// context fields whose text an outsider can choose.
	untrustedExpr = regexp.MustCompile(`client_payload|github\.head_ref|github\.event($|[^._a-z0-9])|github\.event\.(` +
		`issue\.(title|body)|comment\.body|review\.body|review_comment\.body|` +
		`pull_request\.(title|body|head\.ref|head\.label|head\.repo\.default_branch)|` +
		`head_commit\.(message|author)|commits|discussion\.(title|body)|pages|` +
		`workflow_run\.(head_branch|head_commit|display_title))`)
)

// untrustedInRun returns the expressions in a run script that carry
// attacker-controllable text.
func untrustedInRun(script string) []string {
	var bad []string
	for _, m := range expression.FindAllStringSubmatch(script, -1) {
		norm := strings.ToLower(strings.Join(strings.Fields(m[1]), ""))
		norm = bracketProp.ReplaceAllString(norm, ".$1")
		if untrustedExpr.MatchString(norm) {
			bad = append(bad, m[0])
		}
	}
	return bad
}

func checkRunInjection(wf workflow, _ map[string]bool) []string {
	var findings []string
	for _, id := range slices.Sorted(maps.Keys(wf.Jobs)) {
		for i, st := range wf.Jobs[id].Steps {
			for _, e := range untrustedInRun(st.Run) {
				findings = append(findings, fmt.Sprintf("job %s step %d: run interpolates %s; pass it through env:", id, i+1, e))
			}
		}
	}
	return findings
}

// isRootAction reports whether uses names the action at the repository root.
func isRootAction(uses string) bool {
	return strings.HasPrefix(uses, "./") && filepath.Clean(uses) == "."
}

func checkLocalActionInputs(wf workflow, inputs map[string]bool) []string {
	var findings []string
	for _, id := range slices.Sorted(maps.Keys(wf.Jobs)) {
		for i, st := range wf.Jobs[id].Steps {
			if !isRootAction(st.Uses) {
				continue
			}
			for _, k := range slices.Sorted(maps.Keys(st.With)) {
				if !inputs[k] {
					findings = append(findings, fmt.Sprintf("job %s step %d: with key %q is not an input in action.yml", id, i+1, k))
				}
			}
		}
	}
	return findings
}

var (
	// pinnedAction matches owner/repo[/path]@<40 hex>.
	pinnedAction = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[^@]+)?@[0-9a-f]{40}$`)
	// pinnedImage matches docker://image@sha256:<64 hex>.
	pinnedImage = regexp.MustCompile(`^docker://[^@]+@sha256:[0-9a-f]{64}$`)
)

func checkPinnedActions(wf workflow, _ map[string]bool) []string {
	var findings []string
	pinned := func(where, uses string) {
		switch {
		case uses == "" || strings.HasPrefix(uses, "./"):
		case strings.HasPrefix(uses, "docker://"):
			if !pinnedImage.MatchString(uses) {
				findings = append(findings, fmt.Sprintf("%s: %s: want docker://image@sha256:<digest>", where, uses))
			}
		case !pinnedAction.MatchString(uses):
			findings = append(findings, fmt.Sprintf("%s: %s: want owner/repo@<40-hex commit SHA>", where, uses))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(wf.Jobs)) {
		pinned("job "+id, wf.Jobs[id].Uses)
		for i, st := range wf.Jobs[id].Steps {
			pinned(fmt.Sprintf("job %s step %d", id, i+1), st.Uses)
		}
	}
	return findings
}

// loadActionInputs returns the input names action.yml declares.
func loadActionInputs(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile("action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Inputs map[string]yaml.Node `yaml:"inputs"`
	}
	if err := yaml.Unmarshal(data, &meta); err != nil {
		t.Fatalf("parse action.yml: %v", err)
	}
	if len(meta.Inputs) == 0 {
		t.Fatal("action.yml declares no inputs")
	}
	inputs := map[string]bool{}
	for k := range meta.Inputs {
		inputs[k] = true
	}
	return inputs
}

func parseWorkflow(data []byte) (workflow, error) {
	var wf workflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		return wf, fmt.Errorf("parse workflow: %w", err)
	}
	if len(wf.Jobs) == 0 {
		return wf, errors.New("parse workflow: no jobs")
	}
	return wf, nil
}

func TestWorkflows(t *testing.T) {
	inputs := loadActionInputs(t)
	own, err := filepath.Glob(".github/workflows/*.yml")
	if err != nil {
		t.Fatal(err)
	}
	examples, err := filepath.Glob("testdata/workflows/*.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{".github/workflows/ci.yml", "testdata/workflows/sentry-dispatch.yml", "testdata/workflows/schedule.yml"} {
		if !slices.Contains(append(own, examples...), want) {
			t.Errorf("%s is missing", want)
		}
	}
	for _, path := range append(own, examples...) {
		t.Run(path, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			wf, err := parseWorkflow(data)
			if err != nil {
				t.Fatal(err)
			}
			if slices.Contains(examples, path) && !usesRootAction(wf) {
				t.Error("example workflow has no step with uses: ./")
			}
			for _, c := range workflowChecks() {
				t.Run(c.name, func(t *testing.T) {
					for _, f := range c.check(wf, inputs) {
						t.Error(f)
					}
				})
			}
		})
	}
}

func usesRootAction(wf workflow) bool {
	for _, j := range wf.Jobs {
		for _, st := range j.Steps {
			if isRootAction(st.Uses) {
				return true
			}
		}
	}
	return false
}

// goodWorkflow passes every check; each bad case below changes one thing.
const goodWorkflow = `
on: repository_dispatch
jobs:
  fix:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd # v6.0.2
      - uses: ./
        with:
          sentry-org: acme
      - env:
          ISSUE: ${{ github.event.client_payload.sentry_issue_id }}
        run: echo "$ISSUE ${{ github.run_id }} ${{ github.event_name }}"
`

func TestWorkflowChecksCatchBadSnippets(t *testing.T) {
	inputs := map[string]bool{"sentry-org": true, "model": true}
	wf, err := parseWorkflow([]byte(goodWorkflow))
	if err != nil {
		t.Fatal(err)
	}
	checks := map[string]func(workflow, map[string]bool) []string{}
	for _, c := range workflowChecks() {
		checks[c.name] = c.check
		if f := c.check(wf, inputs); len(f) > 0 {
			t.Errorf("good workflow fails %q: %v", c.name, f)
		}
	}
	run := func(script string) string {
		return strings.Replace(goodWorkflow, `run: echo "$ISSUE ${{ github.run_id }} ${{ github.event_name }}"`, "run: "+script, 1)
	}
	const injection = "no untrusted text in run"
	tests := []struct {
		name, check, workflow, want string
	}{
		{"client_payload", injection, run(`echo "${{ github.event.client_payload.sentry_issue_id }}"`), "client_payload"},
		{"client_payload index syntax", injection, run(`echo ${{ github.event['client_payload']['title'] }}`), "client_payload"},
		{"client_payload in a block", injection, run("|\n          set -e\n          echo \"${{ toJSON(github.event.client_payload) }}\""), "client_payload"},
		{"whole event", injection, run(`echo '${{ toJSON(github.event) }}'`), "github.event"},
		{"issue title", injection, run(`echo "${{ github.event.issue.title }}"`), "issue.title"},
		{"issue body spaced", injection, run(`echo "${{   github.event.issue.body   }}"`), "issue.body"},
		{"comment body", injection, run(`echo "${{ github.event.comment.body }}"`), "comment.body"},
		{"head_ref", injection, run(`git checkout ${{ github.head_ref }}`), "head_ref"},
		{"pull request title", injection, run(`echo "${{ github.event.pull_request.title }}"`), "pull_request.title"},
		{"pull request body upper case", injection, run(`echo "${{ GitHub.Event.Pull_Request.Body }}"`), "Pull_Request.Body"},
		{"pull request head ref", injection, run(`echo "${{ github.event.pull_request.head.ref }}"`), "head.ref"},
		{"commit message", injection, run(`echo "${{ github.event.head_commit.message }}"`), "head_commit.message"},
		{"unknown input", "with keys of uses ./ are action inputs", strings.Replace(goodWorkflow, "sentry-org: acme", "sentry-org: acme\n          sentry-organisation: acme", 1), "sentry-organisation"},
		{"tag instead of SHA", "remote actions pinned by SHA", strings.Replace(goodWorkflow, "@de0fac2e4500dabe0009e67214ff5f5447ce83dd", "@v6", 1), "actions/checkout@v6"},
		{"short SHA", "remote actions pinned by SHA", strings.Replace(goodWorkflow, "@de0fac2e4500dabe0009e67214ff5f5447ce83dd", "@de0fac2", 1), "de0fac2"},
		{"branch", "remote actions pinned by SHA", strings.Replace(goodWorkflow, "@de0fac2e4500dabe0009e67214ff5f5447ce83dd", "@main", 1), "@main"},
		{"docker tag", "remote actions pinned by SHA", strings.Replace(goodWorkflow, "actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd", "docker://alpine:3.20", 1), "docker://alpine:3.20"},
		{"reusable workflow by tag", "remote actions pinned by SHA", goodWorkflow + "  reuse:\n    uses: acme/ci/.github/workflows/go.yml@v1\n", "go.yml@v1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.workflow == goodWorkflow {
				t.Fatal("the bad snippet did not change the good workflow")
			}
			check, ok := checks[tt.check]
			if !ok {
				t.Fatalf("no check named %q", tt.check)
			}
			wf, err := parseWorkflow([]byte(tt.workflow))
			if err != nil {
				t.Fatal(err)
			}
			findings := check(wf, inputs)
			if !slices.ContainsFunc(findings, func(f string) bool { return strings.Contains(f, tt.want) }) {
				t.Errorf("findings %q: want one naming %q", findings, tt.want)
			}
		})
	}
}
