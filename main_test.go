package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
	"github.com/dawnpatch/dawnpatch/internal/runnertest"
)

// binary is the dawnpatch binary, built once for the tests that run it as
// a runner would.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dawnpatch-bin-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "dawnpatch")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		panic("go build: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// step runs the binary with the runner's environment and no arguments,
// as the container's entrypoint does.
func step(t *testing.T, r *runnertest.Runner) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(binary)
	cmd.Env = r.Environ()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	_ = cmd.Run()
	if cmd.ProcessState == nil {
		t.Fatal("the binary did not start")
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String()
}

func TestBinaryAsRunnerOnTheDispatchFixture(t *testing.T) {
	event := filepath.Join(runnertest.Fixtures(t, "."), "github", "repository_dispatch.payload.json")
	gh := ghfake.New()
	srv := httptest.NewServer(gh)
	defer srv.Close()
	r := runnertest.New(t, os.Getenv, runnertest.GitRepo(t, map[string]string{"main.go": "package main\n"}), event, srv.URL)
	code, stdout, stderr := step(t, r)
	if code != 0 {
		t.Fatalf("exit code %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	out := r.Outputs(t)
	if out["outcome"] != "skipped" || out["reason"] != "invalid-input" {
		t.Errorf("outputs = %v, want skipped/invalid-input (the fixture's client_payload is not a dawnpatch incident)", out)
	}
	sum := r.SummaryText(t)
	if !strings.Contains(sum, "## dawnpatch: skipped (`invalid-input`)") || !strings.Contains(sum, "client_payload") {
		t.Errorf("summary does not explain the skip:\n%s", sum)
	}
	if gh.Calls() != 0 {
		t.Errorf("a skip at intake made %d GitHub calls", gh.Calls())
	}
	r.AssertNoSecrets(t, stdout, stderr)
}

func TestBinaryFailsOnABadPolicyNamingFileLineAndField(t *testing.T) {
	event := filepath.Join(runnertest.Fixtures(t, "."), "github", "repository_dispatch.payload.json")
	ws := runnertest.GitRepo(t, map[string]string{".github/dawnpatch.yml": "triage:\n  environments: [production]\n  min_events: -3\n"})
	r := runnertest.New(t, os.Getenv, ws, event, "http://127.0.0.1:1")
	code, stdout, stderr := step(t, r)
	if code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
	want := "::error::.github/dawnpatch.yml:3: triage.min_events: must be ≥ 0, got -3"
	if !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
	r.AssertNoSecrets(t, stdout, stderr)
}

func TestBinaryUsageAndVersion(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"version"}, 0, "dawnpatch "},
		{[]string{"help"}, 0, "usage: dawnpatch"},
		{nil, 0, "usage: dawnpatch"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"run", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"parse", "a", "b"}, 2, "at most one file"},
	} {
		cmd := exec.Command(binary, tt.args...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
		out, _ := cmd.CombinedOutput()
		if got := cmd.ProcessState.ExitCode(); got != tt.code || !strings.Contains(string(out), tt.want) {
			t.Errorf("dawnpatch %v: exit %d, output %q; want exit %d and %q", tt.args, got, out, tt.code, tt.want)
		}
	}
}

func TestBinaryEndToEndOpensAProvenDraftPR(t *testing.T) {
	service := runnertest.ReadTree(t, filepath.Join("testdata", "demo", "service"))
	gh := ghfake.New()
	base := gh.AddRepo("acme", "shop", "main", service)
	ghSrv := httptest.NewServer(gh)
	defer ghSrv.Close()
	var turns []llmfake.Turn
	for _, name := range []string{"gate.json", "model.json"} {
		ts, err := llmfake.LoadTranscript(filepath.Join("testdata", "demo", name))
		if err != nil {
			t.Fatal(err)
		}
		turns = append(turns, ts...)
	}
	llmSrv := httptest.NewServer(llmfake.New(turns...))
	defer llmSrv.Close()
	r := runnertest.New(t, os.Getenv, runnertest.GitRepo(t, service), filepath.Join("testdata", "demo", "dispatch.json"), ghSrv.URL)
	r.Env["INPUT_MODEL-BASE-URL"] = llmSrv.URL + "/v1"

	code, stdout, stderr := step(t, r)
	if code != 0 {
		t.Fatalf("exit code %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	out := r.Outputs(t)
	if out["outcome"] != "pr-opened" || out["reason"] != "pr-opened" || out["pr-number"] != "1" || out["model-calls"] != "3" {
		t.Fatalf("outputs = %v\nsummary:\n%s", out, r.SummaryText(t))
	}
	pulls := gh.Pulls("acme", "shop")
	if len(pulls) != 1 {
		t.Fatalf("%d pull requests, want 1", len(pulls))
	}
	pr := pulls[0]
	branch := "dawnpatch/" + out["fingerprint"][:12]
	if !pr.Draft || pr.Head != branch || pr.Base != "main" {
		t.Errorf("pull request = draft %v, %s → %s; want a draft from %s to main", pr.Draft, pr.Head, pr.Base, branch)
	}
	for _, want := range []string{
		"<!-- dawnpatch:fp=" + out["fingerprint"],
		"invalid memory address or nil pointer dereference", // the error, and the red run's panic
		"--- FAIL: TestDiscountUnknownCode",                 // red on base
		"ok  \texample.com/shop/internal/orders",            // green with the fix
		"No automated merge will happen",
	} {
		if !strings.Contains(pr.Body, want) {
			t.Errorf("pull request body lacks %q", want)
		}
	}
	head, ok := gh.Ref("acme", "shop", "heads/"+branch)
	if !ok {
		t.Fatalf("branch %s missing", branch)
	}
	tree, err := gh.Files("acme", "shop", head)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tree["internal/orders/handler.go"], "d, ok := h.discounts[code]") || !strings.Contains(tree["internal/orders/handler_test.go"], "func TestDiscountUnknownCode") {
		t.Error("the branch does not hold the fix and the regression test")
	}
	if tree["internal/orders/pricing.go"] != service["internal/orders/pricing.go"] {
		t.Error("the branch changed a file the fix did not touch")
	}
	if got, _ := gh.Ref("acme", "shop", "heads/main"); got != base {
		t.Errorf("main moved from %s to %s", base, got)
	}
	r.AssertNoSecrets(t, stdout, stderr, pr.Title, pr.Body)

	// The same error again: a duplicate, found before any model call.
	again := r.Again(t)
	if code, _, _ := step(t, again); code != 0 {
		t.Fatalf("second run exit code %d", code)
	}
	if out := again.Outputs(t); out["reason"] != "duplicate-pr" || out["model-calls"] != "0" || out["pr-number"] != "1" {
		t.Errorf("second run outputs = %v, want duplicate-pr with no model call", out)
	}
	if n := len(gh.Pulls("acme", "shop")); n != 1 {
		t.Errorf("%d pull requests after the second run, want 1", n)
	}
}
