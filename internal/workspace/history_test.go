package workspace

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gitRepo runs git in dir with a fixed identity and no user configuration.
func gitRepo(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com", "GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com",
		"GIT_AUTHOR_DATE=2024-03-01T10:00:00Z", "GIT_COMMITTER_DATE=2024-03-01T10:00:00Z"}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// historyRepo builds a checkout with two commits: the second lowers a
// default.
func historyRepo(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "repo")
	writeTree(t, root, map[string]string{
		"config.go": "package app\n\n// DefaultWorkers is the pool size.\nconst DefaultWorkers = 4\n",
	})
	gitRepo(t, root, "init", "-q", "-b", "main")
	gitRepo(t, root, "add", "-A")
	gitRepo(t, root, "commit", "-q", "-m", "add the worker pool")
	writeTree(t, root, map[string]string{"config.go": "package app\n\n// DefaultWorkers is the pool size.\nconst DefaultWorkers = 0\n"})
	gitRepo(t, root, "commit", "-q", "-am", "make the pool size opt-in")
	return root
}

func TestHistory(t *testing.T) {
	root := historyRepo(t)
	w, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	h, err := w.History(context.Background(), "config.go", 3, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"commit", "2024-03-01 make the pool size opt-in", "-const DefaultWorkers = 4", "+const DefaultWorkers = 0", "add the worker pool"} {
		if !strings.Contains(h.Log, want) {
			t.Errorf("log lacks %q:\n%s", want, h.Log)
		}
	}
	if !strings.Contains(h.Blame, "4) const DefaultWorkers = 0") || strings.Contains(h.Blame+h.Log, "ada@example.com") {
		t.Errorf("blame = %q; want line 4 and no author email", h.Blame)
	}
	if h.Start != 3 || h.End != 4 || h.Cut {
		t.Errorf("history covers %d-%d (cut %v), want 3-4 uncut", h.Start, h.End, h.Cut)
	}
	for _, bad := range []string{"../x.go", ".git/config"} {
		if _, err := w.History(context.Background(), bad, 1, 2); err == nil {
			t.Errorf("History(%q) did not fail", bad)
		}
	}
}

// TestHistory_otherOwner is the container action case: the checkout
// belongs to another user than the one running git.
func TestHistory_otherOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to give the checkout to another user")
	}
	root := historyRepo(t)
	err := filepath.Walk(root, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, 65534, 65534)
	})
	if err != nil {
		t.Fatal(err)
	}
	w, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	h, err := w.History(context.Background(), "config.go", 4, 4)
	if err != nil {
		t.Fatalf("history of a checkout owned by another user: %v", err)
	}
	if !strings.Contains(h.Log, "make the pool size opt-in") {
		t.Errorf("log = %q", h.Log)
	}
}

func TestHistory_notARepository(t *testing.T) {
	w := openShop(t)
	if _, err := w.History(context.Background(), "internal/orders/store.go", 1, 3); err == nil {
		t.Error("History succeeded outside a git repository")
	}
}
