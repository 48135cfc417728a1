//go:build unix

package testrun

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// probeCase runs one of the probes under testdata/testrun/<lang>-<case>.
type probeCase struct {
	lang, tool string
	argv       []string
}

// probes run the probes of each language: go, python, node.
var probes = []probeCase{
	{lang: "go", tool: "go", argv: []string{"go", "test", "-count=1", "-v", "-run", "^TestLeak$", "."}},
	{lang: "python", tool: "python3", argv: []string{"python3", "-m", "unittest", "-v"}},
	{lang: "node", tool: "node", argv: []string{"node", "--test", "--test-reporter=tap"}},
}

func TestRun_hangKillsProcessGroup(t *testing.T) {
	for _, pc := range probes[1:] { // Go: TestRun_timeoutKillsProcessGroup
		t.Run(pc.lang, func(t *testing.T) {
			requireTool(t, pc.tool)
			t.Parallel()
			dir := copyFixture(t, pc.lang+"-hang")
			r := sandbox(t)
			r.Timeout = 5 * time.Second
			res, err := r.Run(context.Background(), dir, pc.argv)
			if err != nil {
				t.Fatal(err)
			}
			if !res.TimedOut || res.ExitCode != -1 {
				t.Errorf("TimedOut = %v, ExitCode = %d; want true, -1\n%s", res.TimedOut, res.ExitCode, res.Output)
			}
			data, err := os.ReadFile(filepath.Join(dir, "child.pid"))
			if err != nil {
				t.Fatalf("the hanging test never recorded its child (did it start within the timeout?): %v\n%s", err, res.Output)
			}
			pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
			if err != nil {
				t.Fatal(err)
			}
			waitGone(t, pid)
		})
	}
}

func TestRun_outputFloodCapped(t *testing.T) {
	tail := map[string]string{"python": "FAILED (failures=1)", "node": "# fail 1"}
	for _, pc := range probes[1:] { // Go: TestRun_outputFlood
		t.Run(pc.lang, func(t *testing.T) {
			requireTool(t, pc.tool)
			t.Parallel()
			r := sandbox(t)
			r.MaxOutput = 4096
			res, err := r.Run(context.Background(), copyFixture(t, pc.lang+"-flood"), pc.argv)
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
			if !strings.Contains(res.Output, tail[pc.lang]) || res.ExitCode != 1 {
				t.Errorf("exit %d, want 1 and the tail %q:\n%s", res.ExitCode, tail[pc.lang], res.Output)
			}
		})
	}
}

// rootOnlyFile writes a 0600 file in a directory the sandbox user can
// reach, so that only the file's mode keeps it out.
func rootOnlyFile(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(reachableTempDir(t), name)
	if err := os.WriteFile(p, []byte("ORIGINAL=1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRun_untrustedTestCannotLeak(t *testing.T) {
	const token = "ghs_leakedtoken123"
	githubEnv := rootOnlyFile(t, "github_env")
	t.Setenv("GITHUB_TOKEN", token)
	t.Setenv("GITHUB_ENV", githubEnv)
	for _, pc := range probes {
		t.Run(pc.lang, func(t *testing.T) {
			requireTool(t, pc.tool)
			target := rootOnlyFile(t, "target")
			r := sandbox(t)
			r.Env = append(r.Env, "PROBE_TARGET="+target)
			res, err := r.Run(context.Background(), copyFixture(t, pc.lang+"-leak"), pc.argv)
			if err != nil || res.ExitCode != 0 {
				t.Fatalf("run: %v, exit %d\n%s", err, res.ExitCode, res.Output)
			}
			for _, want := range []string{"GITHUB_TOKEN=[]", "GITHUB_ENV=[]", "ENVIRON=denied"} {
				if !strings.Contains(res.Output, want) {
					t.Errorf("output lacks %q:\n%s", want, res.Output)
				}
			}
			if strings.Contains(res.Output, token) {
				t.Errorf("the token reached the test:\n%s", res.Output)
			}
			if data, _ := os.ReadFile(githubEnv); string(data) != "ORIGINAL=1\n" {
				t.Errorf("the GITHUB_ENV file was written: %q", data)
			}
			if r.Sandbox == nil {
				t.Skip("skipping the uid part (a root-owned 0600 file stays unwritable): the tests do not run as root, so there is no sandbox user")
			}
			if data, _ := os.ReadFile(target); !strings.Contains(res.Output, "WRITE=denied") || string(data) != "ORIGINAL=1\n" {
				t.Errorf("the sandbox user could write a root-only file:\n%s", res.Output)
			}
		})
	}
}

// fileOwner returns the uid owning name.
func fileOwner(t *testing.T, name string) int {
	t.Helper()
	fi, err := os.Lstat(name)
	if err != nil {
		t.Fatal(err)
	}
	return int(fi.Sys().(*syscall.Stat_t).Uid)
}

// TestSandbox_handOverSkipsHardLinks: a test could hard-link a file of the
// system into the scratch copy; handing the copy over must not give that
// file away.
func TestSandbox_handOverSkipsHardLinks(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipping: changing owners needs root")
	}
	base := reachableTempDir(t)
	outside := filepath.Join(base, "system-file")
	if err := os.WriteFile(outside, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	scratch := filepath.Join(base, "scratch")
	if err := os.MkdirAll(filepath.Join(scratch, "pkg"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(outside, filepath.Join(scratch, "pkg", "planted")); err != nil {
		t.Skipf("skipping: cannot make a hard link here: %v", err)
	}
	if err := os.WriteFile(filepath.Join(scratch, "pkg", "own.go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := NewSandbox(filepath.Join(base, "sb"), NobodyID, NobodyID).handOver(scratch, false); err != nil {
		t.Fatal(err)
	}
	for name, wantUID := range map[string]int{outside: 0, filepath.Join(scratch, "pkg", "own.go"): NobodyID, filepath.Join(scratch, "pkg"): NobodyID} {
		if uid := fileOwner(t, name); uid != wantUID {
			t.Errorf("%s is owned by uid %d, want %d", name, uid, wantUID)
		}
	}
}
