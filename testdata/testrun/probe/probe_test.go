package probe

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestHang starts a child process, records its pid in $PROBE_PIDFILE, and
// never returns.
func TestHang(t *testing.T) {
	cmd := exec.Command("sleep", "300")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(os.Getenv("PROBE_PIDFILE"), []byte(fmt.Sprint(cmd.Process.Pid)), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Hour)
}

// TestFlood writes far more output than a runner keeps, then fails.
func TestFlood(t *testing.T) {
	line := strings.Repeat("flood ", 20)
	for i := range 20000 {
		fmt.Printf("%d %s\n", i, line)
	}
	t.Fatal("flood done")
}

// TestEnv prints variables a runner must keep from tests.
func TestEnv(t *testing.T) {
	for _, k := range []string{"GITHUB_TOKEN", "INPUT_MODEL-API-KEY", "ACTIONS_RUNTIME_TOKEN", "HOME", "TMPDIR", "CI"} {
		fmt.Printf("%s=[%s]\n", k, os.Getenv(k))
	}
}
