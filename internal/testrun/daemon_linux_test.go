package testrun

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// daemonScript starts a process in a session of its own that writes its
// pid and would live for five minutes, then exits at once: the run ends
// while the daemon lives on, unless the runner finds and kills it.
const daemonScript = `setsid sh -c 'echo $$ > daemon.pid; exec sleep 300' </dev/null >/dev/null 2>&1 &
while [ ! -s daemon.pid ]; do sleep 0.05; done
echo started`

// TestRun_noDaemonOutlivesTheRun starts a setsid daemon from a test, as
// the security review did, in each in-process mode: when Run returns, the
// daemon is gone, and with a sandbox user nothing in the scratch copy is
// left to that user or writable by others.
func TestRun_noDaemonOutlivesTheRun(t *testing.T) {
	requireTool(t, "setsid")
	for _, mode := range []string{"none", "user"} {
		t.Run(mode, func(t *testing.T) {
			r := &Runner{Env: SandboxEnv(os.Getenv, t.TempDir(), t.TempDir())}
			if mode == "user" {
				if os.Geteuid() != 0 {
					t.Skip("a sandbox user needs root")
				}
				r = sandbox(t)
			}
			dir := reachableTempDir(t)
			res, err := r.Run(context.Background(), dir, []string{"sh", "-c", daemonScript})
			if err != nil || res.ExitCode != 0 || !strings.Contains(res.Output, "started") {
				t.Fatalf("run: %v, exit %d\n%s", err, res.ExitCode, res.Output)
			}
			data, err := os.ReadFile(filepath.Join(dir, "daemon.pid"))
			if err != nil {
				t.Fatal(err)
			}
			pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
			if err != nil {
				t.Fatal(err)
			}
			if alive(pid) {
				syscall.Kill(pid, syscall.SIGKILL)
				t.Fatalf("daemon %d outlived the run", pid)
			}
			if mode == "user" {
				assertReclaimed(t, dir)
			}
		})
	}
}

// assertReclaimed fails for anything in dir the sandbox user owns or
// others may write.
func assertReclaimed(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if uid := int(fi.Sys().(*syscall.Stat_t).Uid); uid == NobodyID {
			t.Errorf("%s is still the sandbox user's after the run", p)
		}
		if fi.Mode()&fs.ModeSymlink == 0 && fi.Mode().Perm()&0o022 != 0 {
			t.Errorf("%s is writable by others after the run (%v)", p, fi.Mode())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
