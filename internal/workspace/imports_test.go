package workspace

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

func TestKnownImport(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"go.mod":           "module example.com/shop\n\ngo 1.26\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n)\nrequire golang.org/x/text v0.42.0\n",
		"requirements.txt": "requests==2.32.0\n",
		"package.json":     `{"dependencies": {"express": "^4.0.0"}}`,
		"app/__init__.py":  "",
	}
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang, imp string
		want      bool
	}{
		{"go", "example.com/shop/internal/orders", true},
		{"go", "github.com/google/uuid", true},
		{"go", "golang.org/x/text/unicode/norm", true},
		{"go", "github.com/evil/lib", false},
		{"go", "example.com/shopping", false},
		{"python", "requests", true},
		{"python", "app", true},
		{"python", "leftpad", false},
		{"javascript", "express", true},
		{"javascript", "left-pad", false},
		{"ruby", "rails", false},
	}
	for _, tt := range tests {
		if got := w.KnownImport(lang.Language(tt.lang), tt.imp); got != tt.want {
			t.Errorf("KnownImport(%s, %s) = %v, want %v", tt.lang, tt.imp, got, tt.want)
		}
	}
}
