package workspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func openShop(t *testing.T) *Workspace {
	t.Helper()
	w, err := Open(shopRepo(t))
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestSearch(t *testing.T) {
	w := openShop(t)
	tests := []struct {
		name string
		q    Query
		want []Match
		more int
	}{
		{"fixed string", Query{Pattern: "s.Total("}, []Match{{File: "cmd/server/main.go", Line: 10, Text: "\treturn s.Total(\"42\")"}}, 0},
		{"regex with path glob", Query{Pattern: `^func \(s \*Store\)`, Regex: true, Glob: "internal/**/*.go"},
			[]Match{{File: "internal/orders/store.go", Line: 17, Text: "func (s *Store) Total(id string) int {"}}, 0},
		{"base-name glob", Query{Pattern: "package main", Glob: "*_test.go"}, []Match{{File: "cmd/server/main_test.go", Line: 1, Text: "package main"}}, 0},
		{"cap counts the rest", Query{Pattern: "package", Max: 2}, []Match{
			{File: "broken/broken.go", Line: 1, Text: "package broken"},
			{File: "cmd/server/main.go", Line: 1, Text: "package main"}}, 5},
		{"no symlink, vendor or .git is searched", Query{Pattern: "secret"}, nil, 0},
		{"no match", Query{Pattern: "nothing like this"}, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := w.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.Matches); diff != "" {
				t.Errorf("matches (-want +got):\n%s", diff)
			}
			if got.More != tt.more {
				t.Errorf("more = %d, want %d", got.More, tt.more)
			}
		})
	}
}

func TestSearch_refuses(t *testing.T) {
	w := openShop(t)
	tests := []struct {
		name string
		q    Query
		want string
	}{
		{"empty", Query{}, "empty pattern"},
		{"bad regex", Query{Pattern: "(", Regex: true}, "missing closing )"},
		{"glob climbing out", Query{Pattern: "x", Glob: "../*"}, ErrOutside.Error()},
		{"absolute glob", Query{Pattern: "x", Glob: "/etc/*"}, ErrOutside.Error()},
		{"long pattern", Query{Pattern: strings.Repeat("a", 600)}, "over the 512-byte cap"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.Search(context.Background(), tt.q)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to say %q", err, tt.want)
			}
		})
	}
}

func TestSearch_skipsBinaryAndLarge(t *testing.T) {
	root := shopRepo(t)
	writeTree(t, root, map[string]string{
		"bin/blob.dat": "needle\x00binary",
		"big/huge.txt": "needle\n" + strings.Repeat("x", MaxScanFileBytes),
		"ok/small.txt": "needle\n",
	})
	w, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := w.Search(context.Background(), Query{Pattern: "needle"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Match{{File: "ok/small.txt", Line: 1, Text: "needle"}}, got.Matches); diff != "" {
		t.Errorf("matches (-want +got):\n%s", diff)
	}
	if got.Skipped != 2 {
		t.Errorf("skipped = %d, want 2", got.Skipped)
	}
}

func TestList(t *testing.T) {
	w := openShop(t)
	got, err := w.List("internal/orders")
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{Name: "README.md", Size: 6}, {Name: "export_test.go", Size: 15}, {Name: "store.go", Size: int64(len(storeGo))}, {Name: "store_test.go", Size: 15}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
	root, err := w.List("")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range root {
		names = append(names, fmt.Sprintf("%s dir=%v link=%v", e.Name, e.Dir, e.Link))
	}
	if got, want := strings.Join(names, "\n"), "broken dir=true link=false\ncmd dir=true link=false\nescape.go dir=false link=true\nevil dir=false link=true\ngo.mod dir=false link=false\ninner.go dir=false link=true\ninternal dir=true link=false\nruntime dir=true link=false\nshop dir=true link=false\nvendor dir=true link=false"; got != want {
		t.Errorf("root listing:\n%s\nwant:\n%s", got, want)
	}
	for _, bad := range []string{"evil", "evil/etc", "../", "../outside", ".git", "/etc"} {
		if _, err := w.List(bad); !errors.Is(err, ErrOutside) {
			t.Errorf("List(%q) err = %v, want ErrOutside", bad, err)
		}
	}
}

func TestReadRange(t *testing.T) {
	w := openShop(t)
	tests := []struct {
		name              string
		from, to, max     int
		start, end, total int
		first             string
	}{
		{"whole file", 0, 0, 0, 1, 27, 27, "package orders\n"},
		{"range", 17, 18, 0, 17, 18, 27, "func (s *Store) Total(id string) int {\n"},
		{"past the end is clamped", 26, 90, 0, 26, 27, 27, "// ErrMissing is returned for unknown ids.\n"},
		{"capped", 1, 0, 5, 1, 5, 27, "package orders\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := w.ReadRange("internal/orders/store.go", tt.from, tt.to, tt.max)
			if err != nil {
				t.Fatal(err)
			}
			if got.Start != tt.start || got.End != tt.end || got.Total != tt.total || !strings.HasPrefix(got.Text, tt.first) {
				t.Errorf("got %d-%d of %d %q, want %d-%d of %d starting %q", got.Start, got.End, got.Total, got.Text, tt.start, tt.end, tt.total, tt.first)
			}
		})
	}
	for _, bad := range []string{"../outside/secret.go", "escape.go", "evil/etc/passwd", ".git/config"} {
		if _, err := w.ReadRange(bad, 0, 0, 0); !errors.Is(err, ErrOutside) {
			t.Errorf("ReadRange(%q) err = %v, want ErrOutside", bad, err)
		}
	}
	if _, err := w.ReadRange("internal/orders/store.go", 40, 50, 0); err == nil || !strings.Contains(err.Error(), "past the end") {
		t.Errorf("err = %v, want past the end", err)
	}
}

func TestFindSymbol(t *testing.T) {
	w := openShop(t)
	writeTree(t, w.Root(), map[string]string{
		"web/app.py": "class Cart:\n    def total(self):\n        return 1\n\ndef checkout(c):\n    return c.total()\n",
	})
	tests := []struct {
		name    string
		symbol  string
		defs    []Match
		callers []Match
	}{
		{"go method by qualified name", "(*Store).Total",
			[]Match{{File: "internal/orders/store.go", Line: 17, Text: "func (s *Store) Total(id string) int {"}},
			[]Match{{File: "cmd/server/main.go", Line: 10, Text: "\treturn s.Total(\"42\")"}, {File: "internal/orders/store.go", Line: 15, Text: "// Total sums the lines of an order."}}},
		{"go type", "orders.Store",
			[]Match{{File: "internal/orders/store.go", Line: 6, Text: "type Store struct {"}},
			[]Match{
				{File: "cmd/server/main.go", Line: 6, Text: "\thandle(&orders.Store{})"},
				{File: "cmd/server/main.go", Line: 9, Text: "func handle(s *orders.Store) int {"},
				{File: "internal/orders/store.go", Line: 5, Text: "// Store keeps orders in memory."},
				{File: "internal/orders/store.go", Line: 17, Text: "func (s *Store) Total(id string) int {"}}},
		{"python", "Cart.total",
			[]Match{{File: "web/app.py", Line: 2, Text: "    def total(self):"}},
			[]Match{{File: "web/app.py", Line: 6, Text: "    return c.total()"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := w.FindSymbol(context.Background(), tt.symbol, 0)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.defs, got.Definitions); diff != "" {
				t.Errorf("definitions (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.callers, got.Callers); diff != "" {
				t.Errorf("callers (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := w.FindSymbol(context.Background(), "a b", 0); err == nil {
		t.Error("FindSymbol accepted a name with a space")
	}
}

func TestTestsFor(t *testing.T) {
	w := openShop(t)
	writeTree(t, w.Root(), map[string]string{
		"web/app.py": "x = 1\n", "tests/test_app.py": "", "web/app_test.py": "", "web/other_test.py": "",
		"ui/cart.ts": "", "ui/cart.test.ts": "",
	})
	tests := []struct {
		file string
		want []string
	}{
		{"internal/orders/store.go", []string{"internal/orders/export_test.go", "internal/orders/store_test.go"}},
		{"web/app.py", []string{"web/app_test.py", "tests/test_app.py"}},
		{"ui/cart.ts", []string{"ui/cart.test.ts"}},
		{"internal/orders/README.md", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := w.TestsFor(context.Background(), tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("tests (-want +got):\n%s", diff)
			}
		})
	}
	if _, err := w.TestsFor(context.Background(), "escape.go"); err == nil {
		t.Error("TestsFor followed a symlink out of the checkout")
	}
}

func BenchmarkSearch(b *testing.B) {
	w, err := Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	files := map[string]string{}
	for i := range 200 {
		files[fmt.Sprintf("pkg%d/file%d.go", i%20, i)] = strings.Repeat("func helper() int { return 42 }\n", 200)
	}
	writeTree(b, w.Root(), files)
	q := Query{Pattern: `return \d+`, Regex: true, Glob: "**/*.go"}
	for b.Loop() {
		if _, err := w.Search(context.Background(), q); err != nil {
			b.Fatal(err)
		}
	}
}
