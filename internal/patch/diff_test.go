package patch

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bluekeyes/go-gitdiff/gitdiff"
	"github.com/google/go-cmp/cmp"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name    string
		changes []Change
		want    string
	}{
		{"edit in the middle", []Change{{Path: "a.go", Old: "1\n2\n3\n4\n5\n6\n7\n8\n", New: "1\n2\n3\n4\nfive\n6\n7\n8\n", Mode: 0o644}},
			"diff --git a/a.go b/a.go\n--- a/a.go\n+++ b/a.go\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"},
		{"created file", []Change{{Path: "dir/new_test.go", New: "package x\n", Created: true, Mode: 0o644}},
			"diff --git a/dir/new_test.go b/dir/new_test.go\nnew file mode 100644\n--- /dev/null\n+++ b/dir/new_test.go\n@@ -0,0 +1 @@\n+package x\n"},
		{"no newline at the end", []Change{{Path: "x.py", Old: "a\nb", New: "a\nc", Mode: 0o644}},
			"diff --git a/x.py b/x.py\n--- a/x.py\n+++ b/x.py\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"},
		{"unchanged file renders nothing", []Change{{Path: "same", Old: "x\n", New: "x\n"}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Diff(tt.changes)); diff != "" {
				t.Errorf("Diff (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDiffGitApplies checks that git itself accepts the diff and that it
// turns the old files into the new ones.
func TestDiffGitApplies(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"pkg/a.go": "package pkg\n\nfunc A() int {\n\treturn 1\n}\n", "b.txt": "no newline"})
	changes := []Change{
		{Path: "pkg/a.go", Old: "package pkg\n\nfunc A() int {\n\treturn 1\n}\n", New: "package pkg\n\nfunc A() int {\n\treturn 2\n}\n\nfunc B() {}\n", Mode: 0o644},
		{Path: "b.txt", Old: "no newline", New: "no newline\nnow two lines\n", Mode: 0o644},
		{Path: "pkg/a_test.go", New: "package pkg\n", Created: true, Mode: 0o644},
	}
	cmd := exec.Command(git, "apply", "--unsafe-paths", "-")
	cmd.Dir, cmd.Stdin = dir, strings.NewReader(Diff(changes))
	cmd.Env = []string{"HOME=" + dir, "GIT_CONFIG_NOSYSTEM=1"}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s", err, out)
	}
	for _, c := range changes {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(c.Path)))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.New {
			t.Errorf("%s after git apply = %q, want %q", c.Path, got, c.New)
		}
	}
}

// FuzzDiffRoundTrip checks that the diff, parsed and applied by
// go-gitdiff (what the guards read it with), turns Old into New.
func FuzzDiffRoundTrip(f *testing.F) {
	f.Add("a\nb\nc\n", "a\nB\nc\n", false)
	f.Add("", "new\n", true)
	f.Add("x", "y", false)
	f.Add("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n", false)
	f.Fuzz(func(t *testing.T, old, new string, created bool) {
		if created {
			old = ""
		}
		if old == new || strings.ContainsAny(old+new, "\x00\r") {
			return
		}
		text := Diff([]Change{{Path: "f.txt", Old: old, New: new, Created: created, Mode: 0o644}})
		files, _, err := gitdiff.Parse(strings.NewReader(text))
		if err != nil || len(files) != 1 {
			t.Fatalf("parse %q: %v (%d files)", text, err, len(files))
		}
		var out bytes.Buffer
		if err := gitdiff.Apply(&out, strings.NewReader(old), files[0]); err != nil {
			t.Fatalf("apply %q to %q: %v", text, old, err)
		}
		if out.String() != new {
			t.Fatalf("round trip of %q → %q gave %q (diff %q)", old, new, out.String(), text)
		}
	})
}

func TestChanges(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"a.go": "package a\n\nvar x = 1\n"})
	p := Patch{Edits: []Edit{
		{File: "a.go", Old: "x = 1", New: "x = 2"},
		{File: "a_test.go", New: "package a\n"},
	}}
	got, err := p.Changes(root, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{Path: "a.go", Old: "package a\n\nvar x = 1\n", New: "package a\n\nvar x = 2\n", Mode: 0o644},
		{Path: "a_test.go", New: "package a\n", Created: true, Mode: 0o644},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Changes (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(root, "a_test.go")); err == nil {
		t.Error("Changes wrote a file")
	}
}
