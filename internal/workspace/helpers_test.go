package workspace

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// writeTree writes files (slash path → content) under dir.
func writeTree(t testing.TB, dir string, files map[string]string) {
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

// symlink creates the link name → target under dir.
func symlink(t *testing.T, dir, target, name string) {
	t.Helper()
	if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
		t.Fatal(err)
	}
}

// snapshot records every path under dir with its content (symlinks as
// "-> target").
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			out[rel] = "-> " + target
			return err
		case d.IsDir():
			out[rel] = "dir"
		default:
			data, err := os.ReadFile(p)
			out[rel] = string(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

const storeGo = `package orders

import "errors"

// Store keeps orders in memory.
type Store struct {
	items map[string]*Order
}

// Order is one order.
type Order struct {
	Lines []int
}

// Total sums the lines of an order.
// It panics on an unknown id.
func (s *Store) Total(id string) int {
	o := s.items[id]
	sum := 0
	for _, l := range o.Lines {
		sum += l
	}
	return sum
}

// ErrMissing is returned for unknown ids.
var ErrMissing = errors.New("missing")
`

const mainGo = `package main

import "example.com/shop/internal/orders"

func main() {
	handle(&orders.Store{})
}

func handle(s *orders.Store) int {
	return s.Total("42")
}
`

// shopRepo builds a small Go checkout and an "outside" directory next to it,
// returning the checkout's path.
func shopRepo(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	root := filepath.Join(base, "repo")
	writeTree(t, base, map[string]string{"outside/secret.go": "package secret\n"})
	writeTree(t, root, map[string]string{
		"go.mod":                         "module example.com/shop // the shop\n\ngo 1.22\n",
		"internal/orders/store.go":       storeGo,
		"internal/orders/store_test.go":  "package orders\n",
		"internal/orders/export_test.go": "package orders\n",
		"internal/orders/README.md":      "notes\n",
		"cmd/server/main.go":             mainGo,
		"cmd/server/main_test.go":        "package main\n",
		"runtime/panic.go":               "package runtime\n",
		"vendor/github.com/x/y/y.go":     "package y\n",
		"shop/views.py":                  "def view():\n    return 1 / 0\n",
		".git/config":                    "[credential]\n\thelper = store-marker\n",
		"broken/broken.go":               "package broken\n\nfunc (\n",
	})
	symlink(t, root, "/", "evil")
	symlink(t, root, "../outside/secret.go", "escape.go")
	symlink(t, root, "internal/orders/store.go", "inner.go")
	return root
}
