package app

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestDemoArchiveIsCurrent keeps the embedded sample equal to
// testdata/demo.
func TestDemoArchiveIsCurrent(t *testing.T) {
	want, err := packDemo(demoDir)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("demo.txtar", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(want, demoArchive) {
		t.Error("internal/app/demo.txtar differs from testdata/demo: run go test -run TestDemoArchiveIsCurrent -update ./internal/app")
	}
}

// TestUnpackDemo writes the embedded sample as testdata/demo holds it.
func TestUnpackDemo(t *testing.T) {
	dir, err := unpackDemo(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append([]string{"service/go.mod", "service/internal/orders/handler.go"}, demoFiles...) {
		got, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(demoDir, f))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from testdata/demo (%v)", f, err)
		}
	}
}
