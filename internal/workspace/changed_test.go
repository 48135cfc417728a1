package workspace

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// gitIn runs git in dir with a fixed identity and no user configuration.
func gitIn(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com"}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func TestChangedSinceRelease(t *testing.T) {
	dir := t.TempDir()
	write := func(body string) {
		if err := os.WriteFile(filepath.Join(dir, "pricing.go"), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("package p\n\nfunc f(d *D) int {\n\treturn d.P\n}\n")
	gitIn(t, dir, "init", "-q", "-b", "main")
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-q", "-m", "base")
	gitIn(t, dir, "tag", "v1.4.2")
	write("package p\n\n// f prices.\nfunc f(d *D) int {\n\treturn d.P\n}\n")
	gitIn(t, dir, "commit", "-q", "-am", "document f")
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	ref, err := w.ReleaseRef(ctx, "shop@1.4.2")
	if err != nil || ref != "refs/tags/v1.4.2" {
		t.Fatalf("ReleaseRef = %q, %v", ref, err)
	}
	if ref, _ := w.ReleaseRef(ctx, "shop@9.9.9"); ref != "" {
		t.Errorf("a release with no tag found %q", ref)
	}
	got, err := w.ChangedSince(ctx, ref, "pricing.go", 5, 5) // the return line moved but did not change
	if err != nil || len(got) != 0 {
		t.Errorf("ChangedSince the crash line = %v, %v; want none", got, err)
	}
	write("package p\n\n// f prices.\nfunc f(d *D) int {\n\tif d == nil {\n\t\treturn 0\n\t}\n\treturn d.P\n}\n")
	gitIn(t, dir, "commit", "-q", "-am", "guard nil discounts")
	got, err = w.ChangedSince(ctx, ref, "pricing.go", 4, 8)
	if err != nil || len(got) != 1 {
		t.Errorf("ChangedSince the function = %v, %v; want the guard commit", got, err)
	}
}

func TestBlame(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.go"), []byte("package a\n\nvar x = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	gitIn(t, dir, "init", "-q", "-b", "main")
	gitIn(t, dir, "add", "-A")
	gitIn(t, dir, "commit", "-q", "-m", "base")
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	sha, email, err := w.Blame(context.Background(), "a.go", 3)
	if err != nil || len(sha) != 40 || email != "t@example.com" {
		t.Errorf("Blame = %q, %q, %v", sha, email, err)
	}
	if _, _, err := w.Blame(context.Background(), "../outside.go", 1); err == nil {
		t.Error("blame outside the checkout was accepted")
	}
}
