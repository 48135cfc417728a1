package testrun

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree creates files (relative path → content) under a new directory.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name    string
		files   map[string]string
		want    Language
		wantErr string
	}{
		{name: "go module", files: map[string]string{"go.mod": "module x\n", "package.json": "{}"}, want: Go},
		{name: "pyproject", files: map[string]string{"pyproject.toml": "", "package.json": "{}"}, want: Python},
		{name: "requirements", files: map[string]string{"requirements-dev.txt": ""}, want: Python},
		{name: "setup.py", files: map[string]string{"setup.py": ""}, want: Python},
		{name: "python tests only", files: map[string]string{"tests/test_a.py": "", "a.py": ""}, want: Python},
		{name: "top-level test module", files: map[string]string{"calc_test.py": ""}, want: Python},
		{name: "package.json", files: map[string]string{"package.json": "{}", "index.js": ""}, want: JavaScript},
		{name: "nothing known", files: map[string]string{"Gemfile": "", "main.rb": ""}, wantErr: "found none of go.mod"},
		{name: "python file that is not a test", files: map[string]string{"tool.py": ""}, wantErr: "package.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(writeTree(t, tt.files))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("Detect() = %q, %v; want an error with %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Detect() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if _, err := Detect(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("Detect(missing dir) succeeded, want an error")
	}
}

func TestIsTestFile(t *testing.T) {
	tests := []struct {
		lang Language
		path string
		want bool
	}{
		{Go, "a/b_test.go", true},
		{Go, "a/b.go", false},
		{Go, "tests/x.py", false},
		{Python, "tests/test_a.py", true},
		{Python, "pkg/a_test.py", true},
		{Python, "tests/helpers.py", true},
		{Python, "test/unit/conftest.py", true},
		{Python, "pkg/testing.py", false},
		{Python, "pkg/a.py", false},
		{Python, "tests/data.json", false},
		{JavaScript, "src/a.test.js", true},
		{JavaScript, "src/a.spec.ts", true},
		{JavaScript, "src/__tests__/a.jsx", true},
		{JavaScript, "test/helpers.mjs", true},
		{JavaScript, "test.js", true},
		{JavaScript, "tests.ts", true},
		{JavaScript, "src/latest.js", false},
		{JavaScript, "contest.js", false},
		{JavaScript, "src/a.js", false},
		{JavaScript, "test/fixture.json", false},
		{"ruby", "spec/a_spec.rb", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang)+" "+tt.path, func(t *testing.T) {
			if got := IsTestFile(tt.lang, tt.path); got != tt.want {
				t.Errorf("IsTestFile(%q, %q) = %v, want %v", tt.lang, tt.path, got, tt.want)
			}
		})
	}
}
