package patch

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden out/ trees and error.txt files in testdata/patch")

// TestGolden applies testdata/patch/<case>/patch.json to a copy of <case>/in
// and compares the result with <case>/out, or the error with <case>/error.txt.
func TestGolden(t *testing.T) {
	cases, err := filepath.Glob("../../testdata/patch/*/patch.json")
	if err != nil || len(cases) == 0 {
		t.Fatalf("no golden cases found: %v", err)
	}
	for _, pj := range cases {
		dir := filepath.Dir(pj)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			p := readPatch(t, pj)
			root := t.TempDir()
			in := readTree(t, filepath.Join(dir, "in"))
			writeFiles(t, root, in)
			_, err := p.Apply(root)
			got := readTree(t, root)
			errFile := filepath.Join(dir, "error.txt")
			if *update {
				updateGolden(t, dir, got, err)
				return
			}
			if want, rerr := os.ReadFile(errFile); rerr == nil {
				if err == nil || err.Error()+"\n" != string(want) {
					t.Errorf("Apply() error = %v, want %q", err, want)
				}
				if diff := cmp.Diff(in, got); diff != "" {
					t.Errorf("a failed Apply changed files (-in +got):\n%s", diff)
				}
				return
			}
			if err != nil {
				t.Fatalf("Apply() = %v", err)
			}
			if diff := cmp.Diff(readTree(t, filepath.Join(dir, "out")), got); diff != "" {
				t.Errorf("result mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// readPatch decodes a patch.json strictly.
func readPatch(t *testing.T, name string) Patch {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p Patch
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	return p
}

// readTree returns the regular files under dir, by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
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

// writeFiles writes files (slash path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// updateGolden rewrites a case's out/ tree or error.txt from the result.
func updateGolden(t *testing.T, dir string, got map[string]string, err error) {
	t.Helper()
	for _, name := range []string{"out", "error.txt"} {
		if rerr := os.RemoveAll(filepath.Join(dir, name)); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			t.Fatal(rerr)
		}
	}
	if err != nil {
		if werr := os.WriteFile(filepath.Join(dir, "error.txt"), []byte(err.Error()+"\n"), 0o644); werr != nil {
			t.Fatal(werr)
		}
		return
	}
	writeFiles(t, filepath.Join(dir, "out"), got)
}
