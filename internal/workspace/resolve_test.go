package workspace

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

func TestResolve(t *testing.T) {
	w, err := Open(shopRepo(t))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := w.Module(), "example.com/shop"; got != want {
		t.Fatalf("Module() = %q, want %q", got, want)
	}
	const pkg = "example.com/shop/internal/orders"
	tests := []struct {
		name  string
		frame incident.Frame
		want  string
	}{
		{"abs path from another machine", incident.Frame{AbsPath: "/build/src/svc/internal/orders/store.go", Module: pkg}, "internal/orders/store.go"},
		{"package path and base name", incident.Frame{File: "store.go", AbsPath: "/somewhere/else/store.go", Module: pkg}, "internal/orders/store.go"},
		{"trimpath file name", incident.Frame{File: "example.com/shop/internal/orders/store.go", Module: pkg}, "internal/orders/store.go"},
		{"external test package", incident.Frame{File: "export_test.go", Module: pkg + "_test"}, "internal/orders/export_test.go"},
		{"GOPATH main package", incident.Frame{AbsPath: "/home/ci/go/src/example.com/shop/cmd/server/main.go", Module: "main"}, "cmd/server/main.go"},
		{"docker app dir", incident.Frame{AbsPath: "/app/cmd/server/main.go", Module: "main"}, "cmd/server/main.go"},
		{"github workspace", incident.Frame{AbsPath: "/github/workspace/internal/orders/store.go"}, "internal/orders/store.go"},
		{"longest existing suffix", incident.Frame{AbsPath: "/var/lib/builds/42/internal/orders/store.go"}, "internal/orders/store.go"},
		{"windows path", incident.Frame{AbsPath: `C:\build\svc\internal\orders\store.go`}, "internal/orders/store.go"},
		{"python module", incident.Frame{AbsPath: "/srv/app/shop/views.py", Module: "shop.views"}, "shop/views.py"},
		{"symlink inside the checkout", incident.Frame{File: "inner.go"}, "inner.go"},
		{"module cache", incident.Frame{AbsPath: "/home/ci/go/pkg/mod/example.com/shop@v1.0.0/internal/orders/store.go", Module: pkg}, ""},
		{"module cache of a dependency", incident.Frame{AbsPath: "/go/pkg/mod/github.com/lib/pq@v1.10.9/conn.go", Module: "github.com/lib/pq"}, ""},
		{"GOROOT", incident.Frame{AbsPath: "/usr/local/go/src/runtime/panic.go", Module: "runtime"}, ""},
		{"trimpath standard library", incident.Frame{File: "runtime/panic.go", Module: "runtime"}, ""},
		{"vendor", incident.Frame{AbsPath: "/build/svc/vendor/github.com/x/y/y.go", Module: "github.com/x/y"}, ""},
		{"vendor without module", incident.Frame{File: "vendor/github.com/x/y/y.go"}, ""},
		{"symlink to root", incident.Frame{File: "evil/etc/passwd"}, ""},
		{"symlink out of the checkout", incident.Frame{File: "escape.go"}, ""},
		{"dot-dot", incident.Frame{File: "../../etc/passwd"}, ""},
		{"dot-dot after a directory", incident.Frame{File: "internal/../../outside/secret.go"}, ""},
		{"git directory", incident.Frame{File: ".git/config"}, ""},
		{"directory, not file", incident.Frame{File: "internal/orders"}, ""},
		{"no paths", incident.Frame{Function: "main"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := w.Resolve(tt.frame)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("Resolve(%+v) = %q, %v; want %q", tt.frame, got, ok, tt.want)
			}
		})
	}
}

func TestCleanRel(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "a/b.go", "a/b.go"},
		{"dot segments", "./a/./b/../c.go", "a/c.go"},
		{"absolute", "/etc/passwd", ""},
		{"climbs out", "a/../../b", ""},
		{"git", "sub/.git/hooks/pre-commit", ""},
		{"git any case", ".GIT/config", ""},
		{"backslash", `a\b.go`, ""},
		{"root", ".", ""},
		{"empty", "", ""},
		{"drive", "C:/x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CleanRel(tt.in)
			if got != tt.want || (err == nil) != (tt.want != "") {
				t.Errorf("CleanRel(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestOpen_notDirectory(t *testing.T) {
	root := shopRepo(t)
	if _, err := Open(root + "/go.mod"); err == nil {
		t.Error("Open(file) succeeded, want an error")
	}
	if _, err := Open(root + "/missing"); err == nil {
		t.Error("Open(missing) succeeded, want an error")
	}
}

func TestResolveRefusesAnotherProgramsFileOfTheSameName(t *testing.T) {
	root := t.TempDir()
	for name, body := range map[string]string{
		"go.mod":  "module example.com/shop\n",
		"main.go": "package main\n\nfunc main() { serve() }\n\nfunc serve() {}\n",
	} {
		if err := os.WriteFile(filepath.Join(root, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	foreign := incident.Frame{File: "/home/ci/tools/capture/main.go", Function: "main.capture.func1", Module: "main", InApp: true}
	if rel, ok := w.Resolve(foreign); ok {
		t.Errorf("a frame of another program resolved to %s", rel)
	}
	ours := incident.Frame{File: "/build/xyz/main.go", Function: "main.serve", Module: "main", InApp: true}
	if rel, ok := w.Resolve(ours); !ok || rel != "main.go" {
		t.Errorf("our own main.go frame = %q, %v", rel, ok)
	}
}
