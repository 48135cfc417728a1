package workspace

import (
	"errors"
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/google/go-cmp/cmp"
)

// lines returns lines from..to of s (1-based, inclusive).
func linesOf(s string, from, to int) string {
	return strings.Join(splitLines(s)[from-1:to], "")
}

func TestLocate(t *testing.T) {
	w, err := Open(shopRepo(t))
	if err != nil {
		t.Fatal(err)
	}
	inc := &incident.Incident{Frames: []incident.Frame{
		{AbsPath: "/usr/local/go/src/runtime/proc.go", Function: "main", Module: "runtime", Line: 283},
		{AbsPath: "/build/cmd/server/main.go", Function: "main", Module: "main", Line: 6, InApp: true},
		{AbsPath: "/build/cmd/server/main.go", Function: "handle", Module: "main", Line: 10, InApp: true},
		{AbsPath: "/build/internal/orders/store.go", Function: "(*Store).Total", Module: "example.com/shop/internal/orders", Line: 20, InApp: true},
		{AbsPath: "/usr/local/go/src/runtime/panic.go", Function: "panicmem", Module: "runtime", Line: 262},
	}}
	got, err := w.Locate(inc)
	if err != nil {
		t.Fatal(err)
	}
	want := &Location{
		Crash: Snippet{
			File: "internal/orders/store.go", Function: "(*Store).Total", Line: 20,
			StartLine: 15, EndLine: 24, Text: linesOf(storeGo, 15, 24),
		},
		Caller: &Snippet{
			File: "cmd/server/main.go", Function: "handle", Line: 10,
			StartLine: 9, EndLine: 11, Text: linesOf(mainGo, 9, 11),
		},
		Tests: []string{"cmd/server/main_test.go", "internal/orders/export_test.go", "internal/orders/store_test.go"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Locate() mismatch (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(got.Crash.Text, "// Total sums the lines of an order.\n") {
		t.Errorf("crash snippet does not start with the doc comment:\n%s", got.Crash.Text)
	}
}

func TestLocate_snippets(t *testing.T) {
	root := shopRepo(t)
	long := strings.Repeat("line\n", 100)
	writeTree(t, root, map[string]string{"notes/long.txt": long})
	w, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		frame      incident.Frame
		want       Snippet
		wantCaller bool
	}{
		{
			name:  "window in a non-Go file",
			frame: incident.Frame{File: "notes/long.txt", Line: 50, InApp: true},
			want:  Snippet{File: "notes/long.txt", Line: 50, StartLine: 25, EndLine: 75, Text: linesOf(long, 25, 75)},
		},
		{
			name:  "window when Go does not parse",
			frame: incident.Frame{File: "broken/broken.go", Line: 3, InApp: true},
			want:  Snippet{File: "broken/broken.go", Line: 3, StartLine: 1, EndLine: 3, Text: "package broken\n\nfunc (\n"},
		},
		{
			name:  "function by name when the line is unknown",
			frame: incident.Frame{File: "cmd/server/main.go", Function: "handle.func1", InApp: true},
			want:  Snippet{File: "cmd/server/main.go", Function: "handle.func1", StartLine: 9, EndLine: 11, Text: linesOf(mainGo, 9, 11)},
		},
		{
			name:  "line outside any function",
			frame: incident.Frame{File: "internal/orders/store.go", Line: 27, InApp: true},
			want:  Snippet{File: "internal/orders/store.go", Line: 27, StartLine: 2, EndLine: 27, Text: linesOf(storeGo, 2, 27)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := w.Locate(&incident.Incident{Frames: []incident.Frame{tt.frame}})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got.Crash); diff != "" {
				t.Errorf("crash snippet mismatch (-want +got):\n%s", diff)
			}
			if got.Caller != nil {
				t.Errorf("Caller = %+v, want nil", got.Caller)
			}
		})
	}
}

func TestLocate_noInAppCode(t *testing.T) {
	w, err := Open(shopRepo(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		frames []incident.Frame
	}{
		{"no frames", nil},
		{"only library frames", []incident.Frame{{AbsPath: "/build/internal/orders/store.go", Line: 20}}},
		{"in-app frames elsewhere", []incident.Frame{
			{AbsPath: "/build/internal/billing/invoice.go", Line: 3, InApp: true},
			{AbsPath: "/go/pkg/mod/example.com/shop@v1.0.0/internal/orders/store.go", Line: 20, InApp: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.Locate(&incident.Incident{Frames: tt.frames})
			if !errors.Is(err, ErrNoInAppCode) {
				t.Errorf("Locate() error = %v, want ErrNoInAppCode", err)
			}
		})
	}
}
