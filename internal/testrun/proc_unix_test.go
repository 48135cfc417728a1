//go:build unix

package testrun

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRun_timeoutKillsProcessGroup(t *testing.T) {
	requireGo(t)
	t.Parallel()
	ctx := context.Background()
	dir := copyFixture(t, "probe")
	r := sandbox(t)
	bin := filepath.Join(dir, "probe.test")
	build, err := r.Run(ctx, dir, []string{"go", "test", "-c", "-o", bin, "."})
	if err != nil || build.ExitCode != 0 {
		t.Fatalf("build the probe: %v\n%s", err, build.Output)
	}
	pidFile := filepath.Join(dir, "child.pid")
	hang := &Runner{Timeout: 5 * time.Second, Env: append(r.Env, "PROBE_PIDFILE="+pidFile), Sandbox: r.Sandbox}
	res, err := hang.Run(ctx, dir, []string{bin, "-test.run", "^TestHang$"})
	if err != nil {
		t.Fatal(err)
	}
	if !res.TimedOut || res.ExitCode != -1 {
		t.Errorf("TimedOut = %v, ExitCode = %d; want true, -1", res.TimedOut, res.ExitCode)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the hanging test never recorded its child (did it start within the timeout?): %v", err)
	}
	pid, err := strconv.Atoi(string(data))
	if err != nil {
		t.Fatal(err)
	}
	waitGone(t, pid)
}

// waitGone fails the test unless process pid is dead (gone or a zombie)
// within a generous grace period for reaping.
func waitGone(t *testing.T, pid int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if !alive(pid) {
			return
		}
	}
	syscall.Kill(pid, syscall.SIGKILL)
	t.Errorf("child process %d is still running after the timeout", pid)
}

// alive reports whether pid runs (a zombie does not).
func alive(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err == nil {
		_, after, _ := strings.Cut(string(stat), ") ")
		return !strings.HasPrefix(after, "Z") && !strings.HasPrefix(after, "X")
	}
	if errors.Is(err, fs.ErrNotExist) {
		return false
	}
	return syscall.Kill(pid, 0) == nil
}
