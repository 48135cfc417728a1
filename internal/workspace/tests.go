package workspace

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// testsNear lists the Go test files in the directories of the crash and the
// caller, sorted and without duplicates.
func (w *Workspace) testsNear(loc *Location) []string {
	files := []string{loc.Crash.File}
	if loc.Caller != nil {
		files = append(files, loc.Caller.File)
	}
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, ".go") {
			out = append(out, w.goTestsIn(path.Dir(f))...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// goTestsIn lists the *_test.go regular files in one checkout directory.
func (w *Workspace) goTestsIn(dir string) []string {
	entries, err := os.ReadDir(filepath.Join(w.root, filepath.FromSlash(dir)))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		if rel, ok := w.regularFile(path.Join(dir, e.Name())); ok {
			out = append(out, rel)
		}
	}
	return out
}
