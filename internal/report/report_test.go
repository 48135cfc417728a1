package report

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/pipeline"
)

// runnerFiles gives a Reporter the file-command files a runner would.
func runnerFiles(t *testing.T) (getenv func(string) string, output, summary string) {
	t.Helper()
	dir := t.TempDir()
	output = filepath.Join(dir, "output")
	summary = filepath.Join(dir, "summary")
	env := map[string]string{"GITHUB_OUTPUT": output, "GITHUB_STEP_SUMMARY": summary}
	return func(k string) string { return env[k] }, output, summary
}

// parseOutputs reads a GITHUB_OUTPUT file the way the runner does:
// name<<DELIM ... DELIM blocks and name=value lines.
func parseOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if name, delim, ok := strings.Cut(line, "<<"); ok {
			var val []string
			for sc.Scan() && sc.Text() != delim {
				val = append(val, sc.Text())
			}
			out[name] = strings.Join(val, "\n")
			continue
		}
		if name, val, ok := strings.Cut(line, "="); ok {
			out[name] = val
		}
	}
	return out
}

func TestSetOutputCannotBeForgedByItsValue(t *testing.T) {
	getenv, output, _ := runnerFiles(t)
	r := New(&bytes.Buffer{}, getenv)
	// The delimiter go-githubactions uses for every value, followed by a
	// forged output: with a fixed delimiter this would end the value early.
	hostile := "x\n_GitHubActionsFileCommandDelimeter_\noutcome<<EOF\npr-opened\nEOF\nreason=pr-opened"
	if err := r.SetOutput("reason", hostile); err != nil {
		t.Fatal(err)
	}
	if err := r.SetOutput("outcome", "skipped"); err != nil {
		t.Fatal(err)
	}
	got := parseOutputs(t, output)
	if got["outcome"] != "skipped" {
		t.Errorf("outcome = %q, want skipped: the value forged an output", got["outcome"])
	}
	if got["reason"] != hostile {
		t.Errorf("reason = %q, want the hostile value intact", got["reason"])
	}
	data, _ := os.ReadFile(output)
	delims := regexp.MustCompile(`<<(ghadelimiter_[0-9a-f]{32})`).FindAllStringSubmatch(string(data), -1)
	if len(delims) != 2 || delims[0][1] == delims[1][1] {
		t.Errorf("want two different random delimiters, got %v", delims)
	}
}

func TestMaskComesFirstAndSecretsNeverLeak(t *testing.T) {
	getenv, output, summary := runnerFiles(t)
	var stdout bytes.Buffer
	r := New(&stdout, getenv)
	secret := "ghs_canary0123456789abcdefABCDEF"
	r.Mask(secret, "", "sk-second-canary")
	if !strings.HasPrefix(stdout.String(), "::add-mask::"+secret+"\n::add-mask::sk-second-canary\n") {
		t.Fatalf("stdout does not start with the masks:\n%s", stdout.String())
	}
	stdout.Reset()
	if err := r.SetOutput("reason", "token "+secret); err != nil {
		t.Fatal(err)
	}
	if err := r.Summary("summary mentions " + secret); err != nil {
		t.Fatal(err)
	}
	if err := r.Untrusted("log", "a test printed "+secret); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{"output": output, "summary": summary} {
		data, _ := os.ReadFile(path)
		if strings.Contains(string(data), secret) {
			t.Errorf("%s file holds the secret:\n%s", name, data)
		}
	}
	if strings.Contains(stdout.String(), secret) {
		t.Errorf("stdout holds the secret:\n%s", stdout.String())
	}
}

func TestUntrustedTextIsPrintedWithCommandsStopped(t *testing.T) {
	var stdout bytes.Buffer
	r := New(&stdout, func(string) string { return "" })
	if err := r.Untrusted("event message", "::set-output name=outcome::pr-opened\n::add-mask::x"); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)::stop-commands::([0-9a-f]{32})\n(.*)\n::([0-9a-f]{32})::\n$`).FindStringSubmatch(stdout.String())
	if m == nil || m[1] != m[3] {
		t.Fatalf("untrusted text not enclosed by a stop-commands token:\n%s", stdout.String())
	}
	if !strings.Contains(m[2], "::set-output") {
		t.Errorf("text lost: %q", m[2])
	}
}

func TestLocalRunWritesToStdout(t *testing.T) {
	var stdout bytes.Buffer
	r := New(&stdout, func(string) string { return "" })
	if err := r.SetOutput("outcome", "skipped"); err != nil {
		t.Fatal(err)
	}
	if err := r.Summary("## hello"); err != nil {
		t.Fatal(err)
	}
	if got := stdout.String(); !strings.Contains(got, "output outcome=skipped") || !strings.Contains(got, "## hello") {
		t.Errorf("stdout = %q", got)
	}
}

func TestSummaryIsCapped(t *testing.T) {
	getenv, _, summary := runnerFiles(t)
	r := New(&bytes.Buffer{}, getenv)
	if err := r.Summary(strings.Repeat("line of output\n", 200000)); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(summary)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() > 1<<20 {
		t.Errorf("summary is %d bytes, over GitHub's 1 MiB", info.Size())
	}
}

func TestFenceCannotBeClosedByTheText(t *testing.T) {
	got := Fence("text", "```\n![x](https://evil.example/?q=secret)\n````")
	if !strings.HasPrefix(got, "`````text\n") || !strings.HasSuffix(got, "\n`````\n") {
		t.Errorf("fence = %q", got)
	}
	if got := Inline("a|b\nc"); got != "`a\\|b c`" {
		t.Errorf("Inline = %q", got)
	}
}

func TestSummaryAndOutputsOfASkip(t *testing.T) {
	res := &pipeline.Result{
		Outcome: *pipeline.Skip(pipeline.ReasonNotProduction, "environment %q is not in [production]", "staging"),
		Incident: &incident.Incident{
			Type: "*errors.errorString", Message: "boom", Fingerprint: strings.Repeat("ab", 32),
			Frames: []incident.Frame{{File: "main.go", Line: 3, Function: "main", InApp: true}},
			Sentry: &incident.SentryRef{IssueID: "42", ShortID: "SHOP-1"},
		},
		Usage: pipeline.Usage{GitHubCalls: 0},
	}
	md := Summary(res)
	for _, want := range []string{"## dawnpatch: skipped (`not-production`)", pipeline.Reasons[pipeline.ReasonNotProduction].Words, "staging", "main.go:3  main", "**Next:**"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	out := Outputs(res)
	if out["outcome"] != "skipped" || out["reason"] != "not-production" || out["sentry-issue"] != "42" || out["model-calls"] != "0" {
		t.Errorf("outputs = %v", out)
	}
}

func TestEveryReasonIsExplained(t *testing.T) {
	for r, info := range pipeline.Reasons {
		if info.Words == "" || info.Next == "" {
			t.Errorf("reason %s lacks words or a next step", r)
		}
	}
}

// TestSummaryTellsWhereTestsRan shows the runner, the image and why, and
// each setup step with its time.
func TestSummaryTellsWhereTestsRan(t *testing.T) {
	res := &pipeline.Result{
		Outcome: *pipeline.Skip(pipeline.ReasonSetupFailed, "setup step failed"),
		Tests: &pipeline.TestEnvironment{Runner: "in a throwaway container of node:20 per run, as uid 65534, without network",
			Image: "node:20", ImageReason: ".nvmrc says 20", Pull: 3 * time.Second,
			Setup:       []pipeline.Check{{Name: "Setup", Command: "npm ci --no-audit --no-fund", Output: "npm ERR! 404", Duration: 1500 * time.Millisecond}},
			SetupFailed: "setup step \"npm ci\" failed with exit code 1"},
		Usage: pipeline.Usage{SetupTime: 1500 * time.Millisecond},
	}
	sum := Summary(res)
	for _, want := range []string{"Tests ran in a throwaway container of node:20", "`node:20`: .nvmrc says 20", "Pulling it took 3s",
		"Setup: `npm ci --no-audit --no-fund` (failed, 1.5s)", "npm ERR! 404", "setup time: 1.5s"} {
		if !strings.Contains(sum, want) {
			t.Errorf("the summary lacks %q:\n%s", want, sum)
		}
	}
}
