package app

import (
	_ "embed"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/tools/txtar"
)

// demoArchive is the demo's sample, testdata/demo without its capture
// program, as a txtar archive: the built binary and the image carry it, so
// `dawnpatch demo` runs anywhere. A directory with a go.mod of its own
// cannot be embedded as is; TestDemoArchiveIsCurrent keeps the archive
// equal to testdata/demo (go test -run TestDemoArchiveIsCurrent -update
// ./internal/app rewrites it).
//
//go:embed demo.txtar
var demoArchive []byte

// demoFiles are the sample's files the demo reads, besides service/.
var demoFiles = []string{"dispatch.json", "gate.json", "model.json"}

// unpackDemo writes the embedded sample into a new directory under dir and
// returns it.
func unpackDemo(dir string) (string, error) {
	out := filepath.Join(dir, "sample")
	for _, f := range txtar.Parse(demoArchive).Files {
		if !demoPath(f.Name) {
			return "", fmt.Errorf("demo sample: unexpected file %q in the archive", f.Name)
		}
		p := filepath.Join(out, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", fmt.Errorf("unpack the demo sample: %w", err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			return "", fmt.Errorf("unpack the demo sample: %w", err)
		}
	}
	return out, nil
}

// demoPath reports whether name is a file of the sample: service/ or one
// of demoFiles, a clean relative path.
func demoPath(name string) bool {
	clean := path.Clean(name)
	return clean == name && !strings.HasPrefix(clean, "../") && !path.IsAbs(clean) &&
		(strings.HasPrefix(clean, "service/") || slices.Contains(demoFiles, clean))
}

// packDemo makes the archive of the sample in dir (testdata/demo).
func packDemo(dir string) ([]byte, error) {
	a := &txtar.Archive{Comment: []byte("The demo's sample (testdata/demo without capture/), embedded in the binary. Generated: go test -run TestDemoArchiveIsCurrent -update ./internal/app\n")}
	err := filepath.WalkDir(filepath.Join(dir, "service"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		a.Files = append(a.Files, txtar.File{Name: filepath.ToSlash(rel), Data: data})
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, f := range demoFiles {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			return nil, err
		}
		a.Files = append(a.Files, txtar.File{Name: f, Data: data})
	}
	return txtar.Format(a), nil
}
