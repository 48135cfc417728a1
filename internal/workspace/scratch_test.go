package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScratch(t *testing.T) {
	ctx := context.Background()
	root := shopRepo(t)
	before := snapshot(t, root)
	w, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	s, err := w.Scratch(ctx, filepath.Join(t.TempDir(), "scratch"))
	if err != nil {
		t.Fatal(err)
	}
	copied := snapshot(t, s.Dir())
	for _, name := range []string{"go.mod", "internal/orders/store.go", "cmd/server/main_test.go"} {
		if got, want := copied[name], before[name]; got != want {
			t.Errorf("scratch %s = %q, want %q", name, got, want)
		}
	}
	if got, want := copied["inner.go"], "-> internal/orders/store.go"; got != want {
		t.Errorf("scratch inner.go = %q, want %q", got, want)
	}
	for _, name := range []string{"escape.go", "evil"} {
		if _, ok := copied[name]; ok {
			t.Errorf("scratch holds %s, a symlink out of the checkout", name)
		}
	}
	if strings.Contains(copied[".git/config"], "store-marker") {
		t.Error("scratch .git/config was copied from the checkout")
	}

	writeTree(t, s.Dir(), map[string]string{
		"internal/orders/store.go":        strings.Replace(storeGo, "o := s.items[id]", "o, ok := s.items[id]\n\tif !ok {\n\t\treturn 0\n\t}", 1),
		"internal/orders/regress_test.go": "package orders\n\nfunc TestNew(t *testing.T) {}\n",
	})
	diff, err := s.Diff(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"--- a/internal/orders/store.go\n+++ b/internal/orders/store.go\n",
		"-\to := s.items[id]\n+\to, ok := s.items[id]\n",
		"--- /dev/null\n+++ b/internal/orders/regress_test.go\n",
		"+func TestNew(t *testing.T) {}\n",
	} {
		if !strings.Contains(diff, want) {
			t.Errorf("Diff() lacks %q:\n%s", want, diff)
		}
	}
	changed, err := s.Changed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"internal/orders/regress_test.go", "internal/orders/store.go"}, changed); diff != "" {
		t.Errorf("Changed() mismatch (-want +got):\n%s", diff)
	}

	if err := s.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(copied, snapshot(t, s.Dir()), cmpIgnoreGit); diff != "" {
		t.Errorf("after Reset the scratch differs from base (-want +got):\n%s", diff)
	}
	if changed, err := s.Changed(ctx); err != nil || len(changed) != 0 {
		t.Errorf("Changed() after Reset = %v, %v; want none", changed, err)
	}
	if diff := cmp.Diff(before, snapshot(t, root)); diff != "" {
		t.Errorf("the checkout changed (-before +after):\n%s", diff)
	}
}

// cmpIgnoreGit drops .git entries from snapshot comparisons.
var cmpIgnoreGit = cmp.FilterPath(func(p cmp.Path) bool {
	mi, ok := p.Last().(cmp.MapIndex)
	return ok && strings.HasPrefix(mi.Key().String(), ".git")
}, cmp.Ignore())

func TestScratch_refusesDir(t *testing.T) {
	ctx := context.Background()
	root := shopRepo(t)
	w, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, dir, want string
	}{
		{"not empty", full, "not empty"},
		{"inside the checkout", filepath.Join(root, "tmp-scratch"), "inside the checkout"},
	}
	before := snapshot(t, root)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.Scratch(ctx, tt.dir)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Scratch(%s) error = %v, want %q", tt.dir, err, tt.want)
			}
		})
	}
	if diff := cmp.Diff(before, snapshot(t, root)); diff != "" {
		t.Errorf("the checkout changed (-before +after):\n%s", diff)
	}
}
