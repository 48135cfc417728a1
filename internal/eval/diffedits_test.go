package eval

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/patch"
)

// gitHead is the header git writes for a change to an existing file.
func gitHead(name string) string {
	return fmt.Sprintf("diff --git a/%s b/%s\nindex 1111111..2222222 100644\n--- a/%s\n+++ b/%s\n", name, name, name, name)
}

func TestEditsFromDiff(t *testing.T) {
	goFile := "package a\n\nfunc A() int {\n\treturn 1\n}\n"
	tests := []struct {
		name string
		base map[string]string
		diff string
		want []patch.Edit
	}{
		{"one hunk is context plus removed, context plus added",
			map[string]string{"a.go": goFile},
			gitHead("a.go") + "@@ -3,3 +3,3 @@\n func A() int {\n-\treturn 1\n+\treturn 2\n }\n",
			[]patch.Edit{{File: "a.go", Old: "func A() int {\n\treturn 1\n}\n", New: "func A() int {\n\treturn 2\n}\n"}}},
		{"a repeated hunk grows by a line above and below until unique",
			map[string]string{"f": "a\nb\na\nb\nc\n"},
			gitHead("f") + "@@ -3 +3 @@\n-a\n+A\n",
			[]patch.Edit{{File: "f", Old: "b\na\nb\n", New: "b\nA\nb\n"}}},
		{"a later hunk is unique in the file as the earlier edit leaves it",
			map[string]string{"f": "k\nq\nk\n"},
			gitHead("f") + "@@ -1 +1 @@\n-k\n+z\n@@ -3 +3 @@\n-k\n+w\n",
			[]patch.Edit{{File: "f", Old: "k\nq\n", New: "z\nq\n"}, {File: "f", Old: "k\n", New: "w\n"}}},
		{"a hunk the earlier edit grew over is merged into it",
			map[string]string{"f": "a\nb\na\nb\n"},
			gitHead("f") + "@@ -1 +1 @@\n-a\n+X\n@@ -3 +3 @@\n-a\n+Y\n",
			[]patch.Edit{{File: "f", Old: "a\nb\na\n", New: "X\nb\nY\n"}}},
		{"an insertion without context grows to quote its neighbours",
			map[string]string{"f": "one\ntwo\n"},
			gitHead("f") + "@@ -1,0 +2 @@\n+one and a half\n",
			[]patch.Edit{{File: "f", Old: "one\ntwo\n", New: "one\none and a half\ntwo\n"}}},
		{"a new file is one edit with an empty old",
			map[string]string{},
			"diff --git a/x/b_test.go b/x/b_test.go\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/x/b_test.go\n@@ -0,0 +1,2 @@\n+package x\n+// B\n",
			[]patch.Edit{{File: "x/b_test.go", New: "package x\n// B\n"}}},
		{"no newline at the end of the base and the fix",
			map[string]string{"f": "a\nb"},
			gitHead("f") + "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
			[]patch.Edit{{File: "f", Old: "a\nb", New: "a\nc"}}},
		{"the fix adds the final newline",
			map[string]string{"f": "a\nb"},
			gitHead("f") + "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
			[]patch.Edit{{File: "f", Old: "a\nb", New: "a\nb\n"}}},
		{"CRLF lines keep their carriage returns",
			map[string]string{"f.js": "one\r\ntwo\r\nthree\r\n"},
			gitHead("f.js") + "@@ -1,3 +1,3 @@\n one\r\n-two\r\n+2\r\n three\r\n",
			[]patch.Edit{{File: "f.js", Old: "one\r\ntwo\r\nthree\r\n", New: "one\r\n2\r\nthree\r\n"}}},
		{"a hunk off its header's line is found at the nearest match",
			map[string]string{"f": "p\nq\nr\ns\n"},
			gitHead("f") + "@@ -9,2 +9,2 @@\n r\n-s\n+S\n",
			[]patch.Edit{{File: "f", Old: "r\ns\n", New: "r\nS\n"}}},
		{"several files in the order of the diff",
			map[string]string{"a.go": goFile, "f": "x\n"},
			gitHead("f") + "@@ -1 +1 @@\n-x\n+y\n" + gitHead("a.go") + "@@ -4 +4 @@\n-\treturn 1\n+\treturn 3\n",
			[]patch.Edit{{File: "f", Old: "x\n", New: "y\n"}, {File: "a.go", Old: "\treturn 1\n", New: "\treturn 3\n"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EditsFromDiff(mapFS(tt.base), []byte(tt.diff))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("edits (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEditsFromDiffErrorsNameTheFile(t *testing.T) {
	base := map[string]string{"a.txt": "a\n", "empty": ""}
	tests := []struct{ name, diff, want string }{
		{"deleted file", "diff --git a/a.txt b/a.txt\ndeleted file mode 100644\nindex 1111111..0000000\n--- a/a.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n",
			"diff of a.txt: deletes the file"},
		{"renamed file", "diff --git a/a.txt b/b.txt\nsimilarity index 100%\nrename from a.txt\nrename to b.txt\n",
			"diff of b.txt: renames a.txt"},
		{"binary patch", "diff --git a/logo.png b/logo.png\nindex 1111111..2222222 100644\nBinary files a/logo.png and b/logo.png differ\n",
			"diff of logo.png: a binary patch"},
		{"mode change", "diff --git a/a.txt b/a.txt\nold mode 100644\nnew mode 100755\n",
			"diff of a.txt: changes the mode from 100644 to 100755"},
		{"executable new file", "diff --git a/run.sh b/run.sh\nnew file mode 100755\nindex 0000000..1111111\n--- /dev/null\n+++ b/run.sh\n@@ -0,0 +1 @@\n+echo\n",
			"diff of run.sh: creates the file with mode 100755"},
		{"empty new file", "diff --git a/empty2 b/empty2\nnew file mode 100644\nindex 0000000..e69de29\n",
			"diff of empty2: creates an empty file"},
		{"hunk that does not match", gitHead("a.txt") + "@@ -1 +1 @@\n-b\n+c\n",
			"diff of a.txt: hunk 1 (@@ -1,1 +1,1 @@) does not match"},
		{"missing base file", gitHead("gone.txt") + "@@ -1 +1 @@\n-b\n+c\n",
			"diff of gone.txt: read the base file"},
		{"insertion into an empty file", gitHead("empty") + "@@ -0,0 +1 @@\n+a\n",
			"diff of empty: inserts into an empty file"},
		{"a path outside the tree", gitHead("../x") + "@@ -1 +1 @@\n-b\n+c\n",
			"diff of ../x: \"../x\" is not a path inside the tree"},
		{"no diff at all", "just words\n", "parse diff: no file diffs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edits, err := EditsFromDiff(mapFS(base), []byte(tt.diff))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("EditsFromDiff = %+v, %v; want an error containing %q", edits, err, tt.want)
			}
		})
	}
}

func mapFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, body := range files {
		m[name] = &fstest.MapFile{Data: []byte(body), Mode: 0o644}
	}
	return m
}

// FuzzEditsFromDiff checks the round trip: the edits converted from git's
// diff of two trees, applied with package patch, give the tree git apply
// gives. Lines come from a four-word alphabet so hunks repeat and must
// grow; flags pick CRLF lines, missing final newlines, a new file and the
// diff's context size.
func FuzzEditsFromDiff(f *testing.F) {
	if _, err := exec.LookPath("git"); err != nil {
		f.Skip("git is not installed")
	}
	f.Add([]byte{0, 1, 2, 3}, []byte{0, 1, 3, 3}, []byte{}, uint8(0))
	f.Add([]byte{0, 1, 0, 1, 0, 1}, []byte{2, 1, 0, 1, 3, 1}, []byte{1, 2}, uint8(0b0_0000))
	f.Add([]byte{0, 0, 0, 0, 0}, []byte{0, 0, 1, 0, 0}, []byte{}, uint8(0b11_0001))
	f.Add([]byte{1, 2, 1, 2}, []byte{1, 2, 1}, []byte{3}, uint8(0b10_0111))
	f.Add([]byte{3, 3}, []byte{3, 3, 3}, []byte{}, uint8(0b01_0100))
	f.Fuzz(func(t *testing.T, base, next, created []byte, flags uint8) {
		crlf, baseNoEOL, nextNoEOL := flags&1 != 0, flags&2 != 0, flags&4 != 0
		context := int(flags>>4) % 4
		if len(base)+len(next)+len(created) > 200 {
			return
		}
		before := map[string]string{"a.txt": fuzzText(base, crlf, baseNoEOL)}
		after := map[string]string{"a.txt": fuzzText(next, crlf, nextNoEOL)}
		if len(created) > 0 {
			after["new/b.txt"] = fuzzText(created, crlf, false)
		}
		if before["a.txt"] == after["a.txt"] && len(created) == 0 {
			return
		}
		diff := gitDiff(t, before, after, context)
		ours := writeTree(t, before)
		edits, err := EditsFromDiff(os.DirFS(ours), []byte(diff))
		if before["a.txt"] == "" && after["a.txt"] != "" {
			if err == nil || !strings.Contains(err.Error(), "inserts into an empty file") {
				t.Fatalf("insertion into an empty file: err = %v, want the explained error", err)
			}
			return
		}
		if err != nil {
			t.Fatalf("EditsFromDiff of\n%s: %v", diff, err)
		}
		lim := patch.Limits{MaxFiles: -1, MaxChangedLines: -1, Protected: []string{}}
		if _, err := (patch.Patch{Edits: edits}).ApplyLimited(ours, lim); err != nil {
			t.Fatalf("apply %+v of\n%s: %v", edits, diff, err)
		}
		theirs := writeTree(t, before)
		git(t, theirs, strings.NewReader(diff), "apply", "--unidiff-zero", "-")
		if d := cmp.Diff(readFiles(t, theirs), readFiles(t, ours)); d != "" {
			t.Errorf("patch.Apply of the edits differs from git apply (-git +ours):\n%s\ndiff:\n%s\nedits: %+v", d, diff, edits)
		}
	})
}

// fuzzText makes a file of one line per byte, from a four-word alphabet.
func fuzzText(b []byte, crlf, noEOL bool) string {
	eol := "\n"
	if crlf {
		eol = "\r\n"
	}
	var s strings.Builder
	for _, c := range b {
		s.WriteString("w" + string(rune('a'+c%4)) + eol)
	}
	if noEOL {
		return strings.TrimSuffix(s.String(), eol)
	}
	return s.String()
}

// gitDiff is git's diff, with context lines of context, from the tree
// before to the tree after.
func gitDiff(t *testing.T, before, after map[string]string, context int) string {
	t.Helper()
	dir := writeTree(t, before)
	git(t, dir, nil, "init", "-q")
	git(t, dir, nil, "add", "-A")
	git(t, dir, nil, "commit", "-q", "--allow-empty", "-m", "base")
	for name, body := range after {
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(name)), body); err != nil {
			t.Fatal(err)
		}
	}
	git(t, dir, nil, "add", "-A")
	return git(t, dir, nil, "diff", "--cached", fmt.Sprintf("-U%d", context))
}

// git runs git in dir with a fixed identity and no user configuration,
// and returns its standard output.
func git(t *testing.T, dir string, stdin *strings.Reader, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	if stdin != nil {
		cmd.Stdin = stdin
	}
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=eval", "GIT_AUTHOR_EMAIL=eval@example.com", "GIT_COMMITTER_NAME=eval", "GIT_COMMITTER_EMAIL=eval@example.com")
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, stderr.String())
	}
	return out.String()
}

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := writeFile(filepath.Join(dir, filepath.FromSlash(name)), body); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readFiles reads every regular file under dir outside .git.
func readFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && d.Name() == ".git":
			return filepath.SkipDir
		case !d.Type().IsRegular():
			return nil
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
