package main

import (
	"bufio"
	"bytes"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
)

// binary is the dawnpatch binary built once for the tests that run it as
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

// runner is what a GitHub runner gives the action's container.
type runner struct {
	env             map[string]string
	output, summary string
	stdout, stderr  bytes.Buffer
	exitCode        int
}

func newRunner(t *testing.T, workspace, eventPath, apiURL string) *runner {
	t.Helper()
	dir := t.TempDir()
	r := &runner{output: filepath.Join(dir, "output"), summary: filepath.Join(dir, "summary.md")}
	r.env = map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "acme/shop", "GITHUB_WORKSPACE": workspace,
		"GITHUB_EVENT_NAME": "repository_dispatch", "GITHUB_EVENT_PATH": eventPath, "GITHUB_API_URL": apiURL,
		"GITHUB_OUTPUT": r.output, "GITHUB_STEP_SUMMARY": r.summary, "GITHUB_RUN_ID": "1",
		"INPUT_GITHUB-TOKEN": "ghs_canarytoken0123456789abcdefABCDEF01", "INPUT_MODEL-API-KEY": "sk-canary-model-key-0123456789",
		"INPUT_MODEL-BASE-URL": "http://127.0.0.1:1/v1", "INPUT_MODEL": "m", "INPUT_POLICY-FILE": ".github/dawnpatch.yml",
		"INPUT_DRY-RUN": "false", "ACTIONS_RUNTIME_TOKEN": "canary-actions-runtime-token",
		"PATH": os.Getenv("PATH"), "HOME": os.Getenv("HOME"),
	}
	for _, k := range []string{"GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS", "GOPROXY", "GOTOOLCHAIN"} {
		if v := os.Getenv(k); v != "" {
			r.env[k] = v
		}
	}
	return r
}

func (r *runner) run(t *testing.T) {
	t.Helper()
	cmd := exec.Command(binary) // no subcommand: GITHUB_ACTIONS=true means run
	for k, v := range r.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = &r.stdout, &r.stderr
	err := cmd.Run()
	r.exitCode = cmd.ProcessState.ExitCode()
	if err != nil && r.exitCode < 0 {
		t.Fatalf("run binary: %v", err)
	}
}

// outputs parses GITHUB_OUTPUT as the runner does.
func (r *runner) outputs(t *testing.T) map[string]string {
	t.Helper()
	data, err := os.ReadFile(r.output)
	if err != nil {
		t.Fatalf("read outputs: %v\nstdout:\n%s\nstderr:\n%s", err, r.stdout.String(), r.stderr.String())
	}
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		name, delim, ok := strings.Cut(sc.Text(), "<<")
		if !ok {
			t.Fatalf("output line %q is not a heredoc", sc.Text())
		}
		var val []string
		for sc.Scan() && sc.Text() != delim {
			val = append(val, sc.Text())
		}
		out[name] = strings.Join(val, "\n")
	}
	return out
}

func (r *runner) summaryText(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(r.summary)
	if err != nil {
		t.Fatalf("read summary: %v", err)
	}
	return string(data)
}

// assertNoSecrets checks that no canary secret appears anywhere a user
// or an attacker could read it.
func (r *runner) assertNoSecrets(t *testing.T, extra ...string) {
	t.Helper()
	out, _ := os.ReadFile(r.output)
	sum, _ := os.ReadFile(r.summary)
	for _, secret := range []string{r.env["INPUT_GITHUB-TOKEN"], r.env["INPUT_MODEL-API-KEY"], r.env["ACTIONS_RUNTIME_TOKEN"]} {
		for name, text := range map[string]string{"outputs": string(out), "summary": string(sum), "stderr": r.stderr.String(), "extra": strings.Join(extra, "\n")} {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds the secret %q", name, secret[:8])
			}
		}
		// On stdout a secret may appear only in its own ::add-mask:: line.
		masked := strings.ReplaceAll(r.stdout.String(), "::add-mask::"+secret+"\n", "")
		if strings.Contains(masked, secret) {
			t.Errorf("stdout holds the secret %q outside its add-mask command", secret[:8])
		}
	}
}

func fixtures(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "shared", "fixtures")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("shared fixtures not found at %s: %v", dir, err)
	}
	return dir
}

// gitRepo makes a temporary git repository holding files.
func gitRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "base"}} {
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

func TestBinaryAsRunnerOnTheDispatchFixture(t *testing.T) {
	event := filepath.Join(fixtures(t), "github", "repository_dispatch.payload.json")
	gh := ghfake.New()
	gh.AddRepo("acme", "shop", "main", map[string]string{"main.go": "package main\n"})
	srv := httptest.NewServer(gh)
	defer srv.Close()
	r := newRunner(t, gitRepo(t, map[string]string{"main.go": "package main\n"}), event, srv.URL)
	r.run(t)
	if r.exitCode != 0 {
		t.Fatalf("exit code %d, want 0\nstdout:\n%s\nstderr:\n%s", r.exitCode, r.stdout.String(), r.stderr.String())
	}
	out := r.outputs(t)
	if out["outcome"] != "skipped" || out["reason"] != "invalid-input" {
		t.Errorf("outputs = %v, want skipped/invalid-input (the fixture's client_payload is not a dawnpatch incident)", out)
	}
	sum := r.summaryText(t)
	if !strings.Contains(sum, "## dawnpatch: skipped (`invalid-input`)") || !strings.Contains(sum, "client_payload") {
		t.Errorf("summary does not explain the skip:\n%s", sum)
	}
	if gh.Calls() != 0 {
		t.Errorf("a skip at intake made %d GitHub calls", gh.Calls())
	}
	r.assertNoSecrets(t)
}

func TestBinaryFailsOnABadPolicyNamingFileLineAndField(t *testing.T) {
	event := filepath.Join(fixtures(t), "github", "repository_dispatch.payload.json")
	ws := gitRepo(t, map[string]string{".github/dawnpatch.yml": "triage:\n  environments: [production]\n  min_events: -3\n"})
	r := newRunner(t, ws, event, "http://127.0.0.1:1")
	r.run(t)
	if r.exitCode != 1 {
		t.Fatalf("exit code %d, want 1", r.exitCode)
	}
	want := "::error::.github/dawnpatch.yml:3: triage.min_events: must be ≥ 0, got -3"
	if !strings.Contains(r.stdout.String(), want) {
		t.Errorf("stdout lacks %q:\n%s", want, r.stdout.String())
	}
	r.assertNoSecrets(t)
}

func TestBinaryUsageAndVersion(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"version"}, 0, "dawnpatch "},
		{[]string{"help"}, 0, "usage: dawnpatch"},
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

// demoScenario is the bundled sample as a repository on a fake GitHub,
// with a scripted model: what the end-to-end tests run the binary on.
type demoScenario struct {
	gh   *ghfake.Server
	llm  *llmfake.Server
	base string
	r    *runner
}

func newDemoScenario(t *testing.T, turns []llmfake.Turn) *demoScenario {
	t.Helper()
	files := readTree(t, filepath.Join("testdata", "demo", "service"))
	d := &demoScenario{gh: ghfake.New(), llm: llmfake.New(turns...)}
	d.base = d.gh.AddRepo("acme", "shop", "main", files)
	ghSrv := httptest.NewServer(d.gh)
	t.Cleanup(ghSrv.Close)
	llmSrv := httptest.NewServer(d.llm)
	t.Cleanup(llmSrv.Close)
	d.r = newRunner(t, gitRepo(t, files), filepath.Join("testdata", "demo", "dispatch.json"), ghSrv.URL)
	d.r.env["INPUT_MODEL-BASE-URL"] = llmSrv.URL + "/v1"
	return d
}

func readTree(t *testing.T, root string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(root, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func transcript(t *testing.T, name string) []llmfake.Turn {
	t.Helper()
	turns, err := llmfake.LoadTranscript(filepath.Join("testdata", "demo", name))
	if err != nil {
		t.Fatal(err)
	}
	return turns
}

func TestBinaryEndToEndOpensAProvenDraftPR(t *testing.T) {
	d := newDemoScenario(t, transcript(t, "model.json"))
	d.r.run(t)
	if d.r.exitCode != 0 {
		t.Fatalf("exit code %d\nstdout:\n%s\nstderr:\n%s", d.r.exitCode, d.r.stdout.String(), d.r.stderr.String())
	}
	out := d.r.outputs(t)
	if out["outcome"] != "pr-opened" || out["reason"] != "pr-opened" || out["pr-number"] != "1" || out["model-calls"] != "2" {
		t.Fatalf("outputs = %v\nsummary:\n%s", out, d.r.summaryText(t))
	}
	pulls := d.gh.Pulls("acme", "shop")
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
	head, ok := d.gh.Ref("acme", "shop", "heads/"+branch)
	if !ok {
		t.Fatalf("branch %s missing", branch)
	}
	tree, err := d.gh.Files("acme", "shop", head)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tree["internal/orders/handler.go"], "d, ok := h.discounts[code]") || !strings.Contains(tree["internal/orders/handler_test.go"], "func TestDiscountUnknownCode") {
		t.Error("the branch does not hold the fix and the regression test")
	}
	if base, _ := d.gh.Ref("acme", "shop", "heads/main"); base != d.base {
		t.Errorf("main moved from %s to %s", d.base, base)
	}
	d.r.assertNoSecrets(t, pr.Title, pr.Body)

	// The same error again: a duplicate, found before any model call.
	again := newRunnerLike(t, d.r)
	again.run(t)
	if out := again.outputs(t); out["reason"] != "duplicate-pr" || out["model-calls"] != "0" || out["pr-number"] != "1" {
		t.Errorf("second run outputs = %v, want duplicate-pr with no model call", out)
	}
	if n := len(d.gh.Pulls("acme", "shop")); n != 1 {
		t.Errorf("%d pull requests after the second run, want 1", n)
	}
}

// newRunnerLike makes a fresh runner (new output files) with r's settings.
func newRunnerLike(t *testing.T, r *runner) *runner {
	t.Helper()
	n := newRunner(t, r.env["GITHUB_WORKSPACE"], r.env["GITHUB_EVENT_PATH"], r.env["GITHUB_API_URL"])
	for k, v := range r.env {
		if k != "GITHUB_OUTPUT" && k != "GITHUB_STEP_SUMMARY" {
			n.env[k] = v
		}
	}
	return n
}
