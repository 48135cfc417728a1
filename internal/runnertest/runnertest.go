// Package runnertest plays a GitHub runner for tests: the environment,
// the file-command files and the checkout a runner gives a container
// action, and checks of what the action wrote to them.
package runnertest

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// Canary secrets: values no output, summary, log, pull request or test
// subprocess may ever show.
const (
	GitHubToken   = "ghs_canarytoken0123456789abcdefABCDEF01"
	ModelKey      = "sk-canary-model-key-0123456789"
	ActionsToken  = "canary-actions-runtime-token-0123"
	PlainEnvToken = "canary-github-token-in-env-4567"
)

// Runner is the environment of one action step.
type Runner struct {
	Env             map[string]string
	Output, Summary string
	host            Host
}

// Host is where a runner's PATH, HOME and Go caches come from; tests pass
// os.Getenv.
type Host func(string) string

// New returns a runner for a repository_dispatch run on acme/shop with the
// given checkout, event file and GitHub API URL, with canary secrets in
// every secret input and in the runner's own tokens. host supplies PATH,
// HOME and the Go caches.
func New(t testing.TB, host Host, workspace, eventPath, apiURL string) *Runner {
	t.Helper()
	dir := t.TempDir()
	r := &Runner{Output: filepath.Join(dir, "output"), Summary: filepath.Join(dir, "summary.md")}
	r.Env = map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "acme/shop", "GITHUB_WORKSPACE": workspace,
		"GITHUB_EVENT_NAME": "repository_dispatch", "GITHUB_EVENT_PATH": eventPath, "GITHUB_API_URL": apiURL,
		"GITHUB_OUTPUT": r.Output, "GITHUB_STEP_SUMMARY": r.Summary, "GITHUB_RUN_ID": "1",
		"GITHUB_TOKEN": PlainEnvToken, "ACTIONS_RUNTIME_TOKEN": ActionsToken,
		"INPUT_GITHUB-TOKEN": GitHubToken, "INPUT_MODEL-API-KEY": ModelKey,
		"INPUT_MODEL-BASE-URL": "http://127.0.0.1:1/v1", "INPUT_MODEL": "m", "INPUT_POLICY-FILE": ".github/dawnpatch.yml",
	}
	// The tests of the demo's service run in process (containers are
	// tested on their own): as an unprivileged user when root, as the
	// action's user otherwise.
	r.Env["INPUT_TEST-ISOLATION"] = "none"
	if os.Geteuid() == 0 {
		r.Env["INPUT_TEST-ISOLATION"] = "user"
	}
	for _, k := range []string{"PATH", "HOME", "GOCACHE", "GOMODCACHE", "GOPATH", "GOFLAGS", "GOPROXY", "GOTOOLCHAIN", "TMPDIR"} {
		if v := host(k); v != "" {
			r.Env[k] = v
		}
	}
	r.host = host
	return r
}

// Again returns a runner with the same settings and fresh output files,
// for a second run.
func (r *Runner) Again(t testing.TB) *Runner {
	t.Helper()
	n := New(t, r.host, "", "", "")
	for k, v := range r.Env {
		if k != "GITHUB_OUTPUT" && k != "GITHUB_STEP_SUMMARY" {
			n.Env[k] = v
		}
	}
	return n
}

// Getenv reads the runner's environment.
func (r *Runner) Getenv(k string) string { return r.Env[k] }

// Environ is the environment as a process gets it.
func (r *Runner) Environ() []string {
	var env []string
	for k, v := range r.Env {
		env = append(env, k+"="+v)
	}
	return env
}

// Outputs parses the outputs file as the runner does; every value must be
// a heredoc.
func (r *Runner) Outputs(t testing.TB) map[string]string {
	t.Helper()
	data, err := os.ReadFile(r.Output)
	if err != nil {
		t.Fatalf("read outputs: %v", err)
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

// SummaryText reads the step summary.
func (r *Runner) SummaryText(t testing.TB) string {
	t.Helper()
	data, err := os.ReadFile(r.Summary)
	if err != nil {
		t.Fatalf("read summary: %v", err)
	}
	return string(data)
}

// AssertNoSecrets fails when a canary secret shows in the outputs, the
// summary, stderr or any extra text, or on stdout outside its own
// ::add-mask:: command.
func (r *Runner) AssertNoSecrets(t testing.TB, stdout, stderr string, extra ...string) {
	t.Helper()
	out, _ := os.ReadFile(r.Output)
	sum, _ := os.ReadFile(r.Summary)
	places := map[string]string{"outputs": string(out), "summary": string(sum), "stderr": stderr, "extra text": strings.Join(extra, "\n")}
	for _, secret := range []string{GitHubToken, ModelKey, ActionsToken, PlainEnvToken} {
		for name, text := range places {
			if strings.Contains(text, secret) {
				t.Errorf("%s holds the canary secret %q…", name, secret[:12])
			}
		}
		if strings.Contains(strings.ReplaceAll(stdout, "::add-mask::"+secret+"\n", ""), secret) {
			t.Errorf("stdout holds the canary secret %q… outside its add-mask command", secret[:12])
		}
	}
}

// GitRepo makes a temporary git repository on branch main holding files.
func GitRepo(t testing.TB, files map[string]string) string {
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
	git, err := exec.LookPath("git")
	if err != nil {
		t.Fatalf("git is needed: %v", err)
	}
	home := t.TempDir()
	for _, args := range [][]string{{"init", "-q", "-b", "main"}, {"add", "-A"}, {"commit", "-q", "-m", "base"}} {
		cmd := exec.Command(git, args...)
		cmd.Dir = dir
		cmd.Env = []string{"HOME=" + home, "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
			"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	return dir
}

// ReadTree reads every regular file under root by slash path.
func ReadTree(t testing.TB, root string) map[string]string {
	t.Helper()
	files, err := workspace.ReadTree(root)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// Fixtures returns the shared fixtures folder. Where it is absent the test
// is Unavailable: skipped with a message, or failed in CI. rel leads from
// the test's package directory to the repository root ("." for the root,
// "../.." for internal/x).
func Fixtures(t testing.TB, rel string) string {
	t.Helper()
	dir := filepath.Join(rel, "..", "shared", "fixtures")
	if _, err := os.Stat(dir); err != nil {
		Unavailable(t, "shared fixtures not found at %s (%v): the tests that read them need ../shared beside the checkout", dir, err)
	}
	return dir
}

// Unavailable ends a test that needs something the checkout alone does not
// have, such as the shared fixtures beside it. It fails the test when the
// environment variable CI is "true", since CI always has them and a skip
// there would hide tests that never ran; elsewhere it skips the test with
// the message.
func Unavailable(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true, and "+format, args...)
	}
	t.Skipf(format, args...)
}
