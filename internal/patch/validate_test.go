package patch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const aGo = "package a\n\nfunc A() int { return 1 }\n\nfunc B() int { return 1 }\n"

// testRoot builds a checkout for validation tests and returns its path.
func testRoot(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	root := filepath.Join(base, "repo")
	for name, content := range map[string]string{
		"a.go":                     aGo,
		"run.sh":                   "#!/bin/sh\necho old\n",
		"bin.dat":                  "ab\x00cd",
		".github/workflows/ci.yml": "on: push\n",
		"go.mod":                   "module example.com/a\n",
		"sub/Dockerfile":           "FROM scratch\n",
		"internal/x.go":            "package internal\n",
		"dir/keep":                 "",
		"../outside/x.go":          "package outside\n",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(root, "run.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{"link-out.go": "../outside/x.go", "link-ci.yml": ".github/workflows/ci.yml", "outdir": "../outside"} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestValidate_errors(t *testing.T) {
	root := testRoot(t)
	ok := Edit{File: "a.go", Old: "return 1 }\n\nfunc B", New: "return 2 }\n\nfunc B"}
	tests := []struct {
		name      string
		edits     []Edit
		lim       Limits
		wantIndex int
		wantFile  string
		wantIn    string
	}{
		{name: "no edits", wantIndex: -1, wantIn: "no edits"},
		{name: "absolute", edits: []Edit{{File: "/etc/passwd", Old: "root", New: "x"}}, wantFile: "/etc/passwd", wantIn: "absolute"},
		{name: "climbs out", edits: []Edit{ok, {File: "../outside/x.go", Old: "package", New: "x"}}, wantIndex: 1, wantFile: "../outside/x.go", wantIn: "leaves the checkout"},
		{name: "git dir", edits: []Edit{{File: ".git/config", New: "[core]\n"}}, wantFile: ".git/config", wantIn: ".git"},
		{name: "symlink out", edits: []Edit{{File: "link-out.go", Old: "package", New: "x"}}, wantFile: "link-out.go", wantIn: "leaves the checkout"},
		{name: "new file under a symlink out", edits: []Edit{{File: "outdir/new.go", New: "package x\n"}}, wantFile: "outdir/new.go", wantIn: "leaves the checkout"},
		{name: "symlink to a protected file", edits: []Edit{{File: "link-ci.yml", Old: "push", New: "pull_request"}}, wantFile: "link-ci.yml", wantIn: ".github/workflows/ci.yml is protected"},
		{name: "protected workflow", edits: []Edit{{File: ".github/workflows/ci.yml", Old: "push", New: "pull_request"}}, wantFile: ".github/workflows/ci.yml", wantIn: "protected"},
		{name: "protected go.mod", edits: []Edit{{File: "./go.mod", Old: "module", New: "x"}}, wantFile: "./go.mod", wantIn: "go.mod is protected"},
		{name: "protected nested Dockerfile", edits: []Edit{{File: "sub/Dockerfile", Old: "FROM", New: "RUN"}}, wantFile: "sub/Dockerfile", wantIn: "protected (**/Dockerfile*)"},
		{name: "custom protected", edits: []Edit{{File: "a.go", Old: "A()", New: "AA()"}}, lim: Limits{Protected: []string{"*.go"}}, wantFile: "a.go", wantIn: "protected (*.go)"},
		{name: "not allowed", edits: []Edit{{File: "a.go", Old: "A()", New: "AA()"}}, lim: Limits{Allowed: []string{"internal/**"}}, wantFile: "a.go", wantIn: "outside the allowed paths"},
		{name: "old not found", edits: []Edit{{File: "a.go", Old: "return 3", New: "return 4"}}, wantFile: "a.go", wantIn: "not found"},
		{name: "old not unique", edits: []Edit{{File: "a.go", Old: "return 1", New: "return 2"}}, wantFile: "a.go", wantIn: "more than once"},
		{name: "overlap", edits: []Edit{ok, {File: "a.go", Old: "return 2 }\n\nfunc B() int { return 1", New: "return 3 }\n\nfunc B() int { return 3"}}, wantIndex: 1, wantFile: "a.go", wantIn: "overlaps edit 0"},
		{name: "spans a deletion", edits: []Edit{{File: "a.go", Old: "\n\nfunc B", New: "func B"}, {File: "a.go", Old: "1 }func", New: "2 }\nfunc"}}, wantIndex: 1, wantFile: "a.go", wantIn: "overlaps edit 0"},
		{name: "edit of a created file", edits: []Edit{{File: "n/new_test.go", New: "package n\n\nfunc TestX() {}\n"}, {File: "n/new_test.go", Old: "TestX", New: "TestY"}}, wantIndex: 1, wantFile: "n/new_test.go", wantIn: "overlaps edit 0"},
		{name: "missing file", edits: []Edit{{File: "b.go", Old: "package", New: "x"}}, wantFile: "b.go", wantIn: "does not exist"},
		{name: "create existing", edits: []Edit{{File: "a.go", New: "package a\n"}}, wantFile: "a.go", wantIn: "already exists"},
		{name: "create twice", edits: []Edit{{File: "n/new.go", New: "package n\n"}, {File: "n/new.go", New: "package m\n"}}, wantIndex: 1, wantFile: "n/new.go", wantIn: "already exists"},
		{name: "identical", edits: []Edit{{File: "a.go", Old: "A()", New: "A()"}}, wantFile: "a.go", wantIn: "identical"},
		{name: "binary file", edits: []Edit{{File: "bin.dat", Old: "ab", New: "xy"}}, wantFile: "bin.dat", wantIn: "binary"},
		{name: "binary new text", edits: []Edit{{File: "a.go", Old: "A()", New: "A\x00()"}}, wantFile: "a.go", wantIn: "binary"},
		{name: "directory", edits: []Edit{{File: "dir", Old: "x", New: "y"}}, wantFile: "dir", wantIn: "not a regular file"},
		{name: "empty path", edits: []Edit{{File: "", New: "x"}}, wantFile: "", wantIn: "empty path"},
		{name: "file cap", edits: []Edit{ok, {File: "internal/x.go", Old: "package", New: "// x\npackage"}}, lim: Limits{MaxFiles: 1}, wantIndex: 1, wantFile: "internal/x.go", wantIn: "more than 1 files"},
		{name: "line cap", edits: []Edit{{File: "internal/x.go", Old: "package internal\n", New: "// a\n// b\npackage internal\n"}}, lim: Limits{MaxChangedLines: 1}, wantFile: "internal/x.go", wantIn: "2 changed lines, over the cap of 1"},
		{name: "bad pattern", edits: []Edit{ok}, lim: Limits{Allowed: []string{"[a-"}}, wantIndex: -1, wantIn: "bad path pattern"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Patch{Edits: tt.edits}.Validate(root, tt.lim)
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("Validate() error = %v, want a *patch.Error", err)
			}
			if pe.Index != tt.wantIndex || pe.File != tt.wantFile || !strings.Contains(pe.Reason, tt.wantIn) {
				t.Errorf("Validate() = %#v, want index %d, file %q, reason with %q", pe, tt.wantIndex, tt.wantFile, tt.wantIn)
			}
			if pe.Index >= 0 && !strings.Contains(err.Error(), fmt.Sprintf("edit %d (%s): ", pe.Index, tt.wantFile)) {
				t.Errorf("Error() = %q does not name the edit", err)
			}
		})
	}
}

func TestValidate_valid(t *testing.T) {
	root := testRoot(t)
	tests := []struct {
		name  string
		edits []Edit
		lim   Limits
	}{
		{"one edit", []Edit{{File: "a.go", Old: "func A() int { return 1 }", New: "func A() int { return 2 }"}}, Limits{}},
		{"unique once an earlier edit applied", []Edit{
			{File: "a.go", Old: "func A() int { return 1 }", New: "func A() int { return 2 }"},
			{File: "a.go", Old: "return 1", New: "return 3"},
		}, Limits{}},
		{"adjacent edits", []Edit{
			{File: "a.go", Old: "package a\n", New: "package a // x\n"},
			{File: "a.go", Old: "\nfunc A", New: "\n// A is one.\nfunc A"},
		}, Limits{}},
		{"allowed", []Edit{{File: "internal/x.go", Old: "package", New: "// x\npackage"}}, Limits{Allowed: []string{"internal/**"}}},
		{"protection turned off", []Edit{{File: "go.mod", Old: "module", New: "module  "}}, Limits{Protected: []string{}}},
		{"no caps", []Edit{{File: "internal/x.go", Old: "package", New: strings.Repeat("//\n", 1000) + "package"}}, Limits{MaxChangedLines: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := (Patch{Edits: tt.edits}).Validate(root, tt.lim); err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
		})
	}
}

func TestApply(t *testing.T) {
	root := testRoot(t)
	p := Patch{Edits: []Edit{
		{File: "run.sh", Old: "echo old", New: "echo new"},
		{File: "a.go", Old: "func A() int { return 1 }", New: "func A() int { return 2 }"},
		{File: "internal/deep/new_test.go", New: "package deep\n"},
		{File: "a.go", Old: "return 1", New: "return 3"},
	}}
	got, err := p.Apply(root)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"a.go", "internal/deep/new_test.go", "run.sh"}, got); diff != "" {
		t.Errorf("Apply() changed files mismatch (-want +got):\n%s", diff)
	}
	for name, want := range map[string]string{
		"a.go":                      "package a\n\nfunc A() int { return 2 }\n\nfunc B() int { return 3 }\n",
		"run.sh":                    "#!/bin/sh\necho new\n",
		"internal/deep/new_test.go": "package deep\n",
	} {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, string(data)); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
		}
	}
	if fi, err := os.Stat(filepath.Join(root, "run.sh")); err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("run.sh mode = %v, %v; want 0755 kept", fi.Mode(), err)
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".dawnpatch-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestApply_nothingWrittenOnError(t *testing.T) {
	root := testRoot(t)
	p := Patch{Edits: []Edit{
		{File: "a.go", Old: "func A() int { return 1 }", New: "func A() int { return 2 }"},
		{File: "new.go", New: "package a\n"},
		{File: "a.go", Old: "no such text", New: "x"},
	}}
	if _, err := p.Apply(root); err == nil {
		t.Fatal("Apply() succeeded, want an error")
	}
	data, err := os.ReadFile(filepath.Join(root, "a.go"))
	if err != nil || string(data) != aGo {
		t.Errorf("a.go = %q, %v; want it untouched", data, err)
	}
	if _, err := os.Stat(filepath.Join(root, "new.go")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("new.go exists after a failed Apply (stat error %v)", err)
	}
}

func TestSplit(t *testing.T) {
	p := Patch{Edits: []Edit{
		{File: "a/store.go", Old: "x", New: "y"},
		{File: "a/store_test.go", New: "package a\n"},
		{File: "b/b.go", Old: "p", New: "q"},
		{File: "a/store_test.go", Old: "a", New: "b"},
	}}
	tests, fix := p.Split(func(path string) bool { return strings.HasSuffix(path, "_test.go") })
	if diff := cmp.Diff(Patch{Edits: []Edit{p.Edits[1], p.Edits[3]}}, tests); diff != "" {
		t.Errorf("tests mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(Patch{Edits: []Edit{p.Edits[0], p.Edits[2]}}, fix); diff != "" {
		t.Errorf("fix mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a/store.go", "a/store_test.go", "b/b.go"}, p.Files()); diff != "" {
		t.Errorf("Files() mismatch (-want +got):\n%s", diff)
	}
}
