package testrun

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSplitWords(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		wantErr  string
	}{
		{name: "plain", in: "  npm   run test:ci ", want: []string{"npm", "run", "test:ci"}},
		{name: "single quotes", in: `pytest -k 'not slow and db'`, want: []string{"pytest", "-k", "not slow and db"}},
		{name: "double quotes", in: `go test -run "^Test(A|B)$" ./...`, want: []string{"go", "test", "-run", "^Test(A|B)$", "./..."}},
		{name: "escapes in double quotes", in: `echo "a \"b\" \$HOME \x"`, want: []string{"echo", `a "b" $HOME \x`}},
		{name: "backslash outside quotes", in: `a\ b c\'d`, want: []string{"a b", "c'd"}},
		{name: "adjacent parts join", in: `x'y z'"w"`, want: []string{"xy zw"}},
		{name: "empty quotes are a word", in: `a '' b`, want: []string{"a", "", "b"}},
		{name: "no shell", in: `make test && rm -rf / | tee $OUT`, want: []string{"make", "test", "&&", "rm", "-rf", "/", "|", "tee", "$OUT"}},
		{name: "unterminated single", in: `a 'b`, wantErr: "unterminated '"},
		{name: "unterminated double", in: `a "b`, wantErr: `unterminated "`},
		{name: "trailing backslash", in: `a \`, wantErr: "trailing backslash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := SplitWords(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("SplitWords(%q) = %q, %v; want an error with %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("SplitWords(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestDetectCommand(t *testing.T) {
	const file, pyName, jsName = "tests/test_a.py", "T.test_x", "adds (two) numbers"
	tests := []struct {
		name           string
		lang           Language
		files          map[string]string
		override       string
		suite          []string
		targetFile     string
		targetName     string
		targeted       []string
		wantErr        string
		skipNoPython3  bool
		path           string // PATH of the Runner
		wantOverridden bool
	}{
		{name: "go", lang: Go, files: map[string]string{"go.mod": ""},
			suite: []string{"go", "test", "-count=1", "./..."}, targetFile: "a/b/x_test.go", targetName: "TestX",
			targeted: []string{"go", "test", "-count=1", "-run", "^TestX$", "./a/b"}},
		{name: "python without pytest config", lang: Python, files: map[string]string{"setup.py": ""},
			suite: []string{"python3", "-m", "unittest", "-v"}, targetFile: file, targetName: pyName,
			targeted: []string{"python3", "-m", "unittest", "-v", "tests.test_a.T.test_x"}},
		{name: "pytest configured but not importable", lang: Python, skipNoPython3: true,
			files: map[string]string{"pyproject.toml": "[tool.pytest.ini_options]\n", "conftest.py": ""},
			suite: []string{"python3", "-m", "unittest", "-v"}, targetFile: file, targetName: pyName,
			targeted: []string{"python3", "-m", "unittest", "-v", "tests.test_a.T.test_x"}},
		{name: "node without test script", lang: JavaScript, files: map[string]string{"package.json": `{"scripts":{"build":"tsc"}}`},
			suite: []string{"node", "--test", "--test-reporter=tap"}, targetFile: "test/a.test.js", targetName: jsName,
			targeted: []string{"node", "--test", "--test-reporter=tap", `--test-name-pattern=^adds \(two\) numbers$`, "test/a.test.js"}},
		{name: "npm init's placeholder script", lang: JavaScript,
			files: map[string]string{"package.json": `{"scripts":{"test":"echo \"Error: no test specified\" && exit 1"}}`},
			suite: []string{"node", "--test", "--test-reporter=tap"}, targetFile: "a.test.js", targetName: "x",
			targeted: []string{"node", "--test", "--test-reporter=tap", "--test-name-pattern=^x$", "a.test.js"}},
		{name: "npm test script, no npm", lang: JavaScript, files: map[string]string{"package.json": `{"scripts":{"test":"node --test"}}`},
			suite: []string{"node", "--test", "--test-reporter=tap"}, targetFile: "a.test.js", targetName: "x",
			targeted: []string{"node", "--test", "--test-reporter=tap", "--test-name-pattern=^x$", "a.test.js"}},
		{name: "npm test script", lang: JavaScript, files: map[string]string{"package.json": `{"scripts":{"test":"node --test"}}`},
			path: fakeNPM(t), suite: []string{"npm", "test"}, targetFile: "a.test.js", targetName: "x",
			targeted: []string{"node", "--test", "--test-reporter=tap", "--test-name-pattern=^x$", "a.test.js"}},
		{name: "override replaces both", lang: Python, files: map[string]string{"setup.py": ""}, override: `tox -e "py 311"`,
			suite: []string{"tox", "-e", "py 311"}, targetFile: file, targetName: pyName,
			targeted: []string{"tox", "-e", "py 311"}, wantOverridden: true},
		{name: "bad override", lang: Go, override: `go test "./...`, wantErr: "unterminated"},
		{name: "bad package.json", lang: JavaScript, files: map[string]string{"package.json": "{"}, wantErr: "package.json"},
		{name: "unknown language", lang: "ruby", wantErr: `unknown language "ruby"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.skipNoPython3 {
				requireTool(t, "python3")
			}
			dir := writeTree(t, tt.files)
			env := SandboxEnv(func(k string) string { return map[string]string{"PATH": tt.path}[k] }, dir, dir)
			got, err := (&Runner{Env: env}).DetectCommand(context.Background(), dir, tt.lang, tt.override)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("DetectCommand() error = %v, want one with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.suite, got.Suite); diff != "" {
				t.Errorf("Suite mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.targeted, got.Targeted(tt.targetFile, tt.targetName)); diff != "" {
				t.Errorf("Targeted mismatch (-want +got):\n%s", diff)
			}
			if got.Override != tt.wantOverridden {
				t.Errorf("Override = %v, want %v", got.Override, tt.wantOverridden)
			}
		})
	}
}

// fakeNPM returns a directory holding an executable named npm.
func fakeNPM(t *testing.T) string {
	t.Helper()
	dir := reachableTempDir(t)
	if err := os.WriteFile(filepath.Join(dir, "npm"), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestPytestCommand checks the pytest command lines, since pytest is not
// installed where these tests were written.
func TestPytestCommand(t *testing.T) {
	c := pythonCommand(true)
	base := []string{"python3", "-m", "pytest", "-rA", "-p", "no:cacheprovider"}
	tests := []struct {
		name, file, test string
		want             []string
	}{
		{"method of a class", "tests/test_a.py", "TestA.test_x", append(append([]string{}, base...), "tests/test_a.py::TestA::test_x")},
		{"function", "test_b.py", "test_y", append(append([]string{}, base...), "test_b.py::test_y")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, c.Targeted(tt.file, tt.test)); diff != "" {
				t.Errorf("Targeted mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if diff := cmp.Diff(base, c.Suite); diff != "" {
		t.Errorf("Suite mismatch (-want +got):\n%s", diff)
	}
	for _, files := range []map[string]string{
		{"pytest.ini": ""}, {"conftest.py": ""}, {"tests/conftest.py": ""}, {"setup.cfg": "[metadata]\n[tool:pytest]\n"},
		{"tox.ini": "[pytest]\n"}, {"pyproject.toml": "[tool.pytest.ini_options]\n"},
	} {
		if !pytestConfigured(writeTree(t, files)) {
			t.Errorf("pytestConfigured(%v) = false, want true", files)
		}
	}
	if pytestConfigured(writeTree(t, map[string]string{"pyproject.toml": "[tool.black]\n", "setup.cfg": "[metadata]\n"})) {
		t.Error("pytestConfigured(no pytest section) = true, want false")
	}
}
