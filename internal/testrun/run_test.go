package testrun

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// requireGo skips tests that need the go command when it is missing.
func requireGo(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("skipping: the go command is not on PATH")
	}
}

// testSandbox is the Sandbox every test of the package shares when it
// runs as root, nil otherwise. Its directory is fixed, so the sandbox
// user's Go build cache stays warm across runs of the test binary too.
var testSandbox = sync.OnceValue(func() *Sandbox {
	if os.Geteuid() != 0 {
		return nil
	}
	return NewSandbox(filepath.Join(os.TempDir(), "dawnpatch-testrun-sandbox"), NobodyID, NobodyID)
})

// sandbox returns a Runner whose environment is SandboxEnv over the real
// process environment, with a fresh HOME and TMPDIR, running commands as
// nobody when the tests run as root.
func sandbox(t *testing.T) *Runner {
	t.Helper()
	home, tmp := t.TempDir(), t.TempDir()
	return &Runner{Env: SandboxEnv(os.Getenv, home, tmp), Sandbox: testSandbox()}
}

// reachableTempDir returns a fresh temporary directory the sandbox user
// can reach: the directories testing made above it become 0711.
func reachableTempDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for p := filepath.Dir(dir); p != filepath.Clean(os.TempDir()) && p != filepath.Dir(p); p = filepath.Dir(p) {
		if err := os.Chmod(p, 0o711); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// copyFixture copies testdata/testrun/<name> to a temporary directory the
// sandbox user can reach.
func copyFixture(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("..", "..", "testdata", "testrun", name)
	dst := reachableTempDir(t)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

var cutMarker = regexp.MustCompile(`^\[\.\.\. (\d+) bytes cut \.\.\.\]\n`)

func TestRun_outputFlood(t *testing.T) {
	requireGo(t)
	t.Parallel()
	dir := copyFixture(t, "probe")
	r := sandbox(t)
	r.MaxOutput = 4096
	res, err := r.Run(context.Background(), dir, GoTestArgs(".", "TestFlood"))
	if err != nil {
		t.Fatal(err)
	}
	m := cutMarker.FindStringSubmatch(res.Output)
	if !res.Truncated || m == nil {
		t.Fatalf("Truncated = %v, output starts %q; want the cut marker", res.Truncated, res.Output[:min(80, len(res.Output))])
	}
	if cut, _ := strconv.Atoi(m[1]); cut < 1_000_000 {
		t.Errorf("marker says %d bytes cut, want over a megabyte", cut)
	}
	if kept := len(res.Output) - len(m[0]); kept > r.MaxOutput {
		t.Errorf("kept %d bytes, want at most %d", kept, r.MaxOutput)
	}
	if !strings.Contains(res.Output, "FAIL\texample.com/probe") {
		t.Errorf("the tail of the output is missing:\n%s", res.Output)
	}
	if res.ExitCode != 1 {
		t.Errorf("ExitCode = %d, want 1", res.ExitCode)
	}
}

func TestRun_environmentScrubbed(t *testing.T) {
	requireGo(t)
	secrets := map[string]string{
		"GITHUB_TOKEN":          "ghs_leakedtoken123",
		"INPUT_MODEL-API-KEY":   "sk-leakedmodelkey456",
		"ACTIONS_RUNTIME_TOKEN": "leakedruntimetoken789",
	}
	for k, v := range secrets {
		t.Setenv(k, v)
	}
	dir := copyFixture(t, "probe")
	home, tmp := t.TempDir(), t.TempDir()
	r := &Runner{Env: SandboxEnv(os.Getenv, home, tmp), Sandbox: testSandbox()}
	if r.Sandbox != nil {
		home, tmp = r.Sandbox.Dir+"/run-", r.Sandbox.Dir+"/run-" // a fresh home of the sandbox user
	}
	res, err := r.Run(context.Background(), dir, []string{"go", "test", "-count=1", "-v", "-run", "^TestEnv$", "."})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 0 {
		t.Fatalf("ExitCode = %d, output:\n%s", res.ExitCode, res.Output)
	}
	for _, want := range []string{
		"GITHUB_TOKEN=[]\n", "INPUT_MODEL-API-KEY=[]\n", "ACTIONS_RUNTIME_TOKEN=[]\n",
		"HOME=[" + home, "TMPDIR=[" + tmp, "CI=[true]\n",
	} {
		if !strings.Contains(res.Output, want) {
			t.Errorf("output lacks %q:\n%s", want, res.Output)
		}
	}
	for k, v := range secrets {
		if strings.Contains(res.Output, v) {
			t.Errorf("output leaks %s", k)
		}
	}
}

func TestRun_errors(t *testing.T) {
	r := &Runner{}
	tests := []struct {
		name string
		argv []string
	}{
		{"empty command", nil},
		{"missing program", []string{"/nonexistent/dawnpatch-no-such-program"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := r.Run(context.Background(), t.TempDir(), tt.argv); err == nil {
				t.Errorf("Run(%q) succeeded, want an error", tt.argv)
			}
		})
	}
}

func TestRun_exitCodeAndEmptyEnv(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("skipping: no sh on PATH")
	}
	t.Setenv("DAWNPATCH_PARENT_ONLY", "visible")
	res, err := (&Runner{}).Run(context.Background(), t.TempDir(), []string{sh, "-c", `echo "[$DAWNPATCH_PARENT_ONLY]"; echo err >&2; exit 3`})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitCode != 3 || res.Output != "[]\nerr\n" || res.Truncated || res.TimedOut {
		t.Errorf("Run() = %+v, want exit 3, output %q, an empty environment", res, "[]\nerr\n")
	}
}
