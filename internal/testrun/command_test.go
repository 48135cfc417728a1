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

func TestDetectFramework(t *testing.T) {
	const file, pyName = "tests/test_a.py", "T.test_x"
	const out = "--outputFile=/src/.dawnpatch/out/"
	tests := []struct {
		name          string
		lang          Language
		files         map[string]string
		override      string
		runner        string
		suite         []string
		target        TestRef
		targeted      []string
		env           []string
		wantErr       string
		skipNoPython3 bool
		path          string // PATH of the Runner
	}{
		{name: "go", lang: Go, files: map[string]string{"go.mod": ""}, runner: "go test",
			suite: []string{"go", "test", "-count=1", "-json", "./..."}, target: TestRef{"a/b/x_test.go", "TestX"},
			targeted: []string{"go", "test", "-count=1", "-run", "^TestX$", "./a/b"}},
		{name: "go subtest of a table", lang: Go, files: map[string]string{"go.mod": ""}, runner: "go test",
			suite: []string{"go", "test", "-count=1", "-json", "./..."}, target: TestRef{"x_test.go", "TestParse/empty input"},
			targeted: []string{"go", "test", "-count=1", "-run", "^TestParse$/^empty_input$", "."}},
		{name: "python without pytest", lang: Python, files: map[string]string{"setup.py": ""}, runner: "unittest",
			suite: []string{"python3", "-m", "unittest", "-v"}, target: TestRef{file, pyName},
			targeted: []string{"python3", "-m", "unittest", "-v", "tests.test_a.T.test_x"}},
		{name: "pytest configured but not importable", lang: Python, skipNoPython3: true, runner: "unittest",
			files: map[string]string{"pyproject.toml": "[tool.pytest.ini_options]\n", "conftest.py": ""},
			suite: []string{"python3", "-m", "unittest", "-v"}, target: TestRef{file, pyName},
			targeted: []string{"python3", "-m", "unittest", "-v", "tests.test_a.T.test_x"}},
		{name: "node without test script", lang: JavaScript, files: map[string]string{"package.json": `{"scripts":{"build":"tsc"}}`}, runner: "node:test",
			suite: []string{"node", "--test", "--test-reporter=tap"}, target: TestRef{"test/a.test.js", "adds (two) numbers"},
			targeted: []string{"node", "--test", "--test-reporter=tap", `--test-name-pattern=(^|\s)adds \(two\) numbers$`, "test/a.test.js"}},
		{name: "npm init's placeholder script", lang: JavaScript, runner: "node:test",
			files: map[string]string{"package.json": `{"scripts":{"test":"echo \"Error: no test specified\" && exit 1"}}`},
			suite: []string{"node", "--test", "--test-reporter=tap"}, target: TestRef{"a.test.js", "x"},
			targeted: []string{"node", "--test", "--test-reporter=tap", `--test-name-pattern=(^|\s)x$`, "a.test.js"}},
		{name: "node --test script with a glob", lang: JavaScript, runner: "node:test",
			files: map[string]string{"package.json": `{"scripts":{"test":"node --test test/*.test.js"}}`},
			suite: []string{"node", "--test", "--test-reporter=tap", "test/*.test.js"}, target: TestRef{"test/a.test.js", "x"},
			targeted: []string{"node", "--test", "--test-reporter=tap", `--test-name-pattern=(^|\s)x$`, "test/a.test.js"}},
		{name: "mocha as flat runs it", lang: JavaScript, runner: "mocha",
			files: map[string]string{"package.json": `{"scripts":{"test":"node_modules/.bin/mocha -u tdd --reporter spec"},"devDependencies":{"mocha":"~1.6"}}`},
			suite: []string{"node_modules/.bin/mocha", "-u", "tdd", "--reporter", "tap"}, target: TestRef{"test/test.js", "Unflatten Overwrite"},
			targeted: []string{"node_modules/.bin/mocha", "-u", "tdd", "--reporter", "tap", "--grep", `(^|\s)Unflatten Overwrite$`, "test/test.js"}},
		{name: "mocha under istanbul as object-path runs it", lang: JavaScript, runner: "mocha",
			files: map[string]string{"test.js": "", "package.json": `{"scripts":{"test":"istanbul cover ./node_modules/mocha/bin/_mocha test.js --report html -- -R spec"}}`},
			suite: []string{"./node_modules/mocha/bin/_mocha", "--reporter", "tap", "test.js"}, target: TestRef{"test.js", "get > should work with null prototype"},
			targeted: []string{"./node_modules/mocha/bin/_mocha", "--reporter", "tap", "--grep", `(^|\s)get should work with null prototype$`, "test.js"}},
		{name: "jest with variables and options", lang: JavaScript, runner: "jest",
			files: map[string]string{"package.json": `{"scripts":{"test":"MODE=dev jest --ci --runInBand --coverage"}}`},
			env:   []string{"MODE=dev"},
			suite: []string{"node_modules/.bin/jest", "--runInBand", "--json", out + "jest.json"}, target: TestRef{"test/fuzzy-search.test.js", "Searching > machine word size"},
			targeted: []string{"node_modules/.bin/jest", "--runInBand", "--json", out + "jest.json", "--runTestsByPath", "test/fuzzy-search.test.js", "--testNamePattern", `(^|\s)Searching machine word size$`}},
		{name: "vitest from its dependency", lang: JavaScript, runner: "vitest",
			files: map[string]string{"package.json": `{"devDependencies":{"vitest":"^3"}}`},
			suite: []string{"node_modules/.bin/vitest", "run", "--reporter=json", out + "vitest.json"}, target: TestRef{"src/a.test.ts", "sums"},
			targeted: []string{"node_modules/.bin/vitest", "run", "--reporter=json", out + "vitest.json", "src/a.test.ts", "--testNamePattern", `(^|\s)sums$`}},
		{name: "a script that is no single runner, with npm", lang: JavaScript, runner: "the test-command setting", path: fakeNPM(t),
			files: map[string]string{"package.json": `{"scripts":{"test":"make check"}}`},
			suite: []string{"npm", "test"}, target: TestRef{"a.test.js", "x"}, targeted: []string{"npm", "test"}},
		{name: "override replaces both", lang: Python, files: map[string]string{"setup.py": ""}, override: `CI=1 tox -e "py 311"`,
			runner: "the test-command setting", env: []string{"CI=1"},
			suite: []string{"tox", "-e", "py 311"}, target: TestRef{file, pyName}, targeted: []string{"tox", "-e", "py 311"}},
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
			got, err := (&Runner{Env: env}).DetectFramework(context.Background(), dir, "/src", tt.lang, tt.override)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("DetectFramework() error = %v, want one with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Name() != tt.runner {
				t.Errorf("runner = %q, want %q", got.Name(), tt.runner)
			}
			if diff := cmp.Diff(tt.suite, got.Suite(nil)); diff != "" {
				t.Errorf("Suite mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.targeted, got.Targeted(tt.target)); diff != "" {
				t.Errorf("Targeted mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.env, got.Env()); diff != "" {
				t.Errorf("Env mismatch (-want +got):\n%s", diff)
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

// TestPytestCommand checks the pytest command lines and when pytest is
// taken for the runner.
func TestPytestCommand(t *testing.T) {
	dir := writeTree(t, map[string]string{"tests/test_c.py": "class TestC:\n    def test_m(self):\n        pass\n"})
	base := []string{"python3", "-m", "pytest", "-v", "-rA", "-p", "no:cacheprovider"}
	tests := []struct {
		name, file, test string
		want             string
	}{
		{"method of a class", "tests/test_a.py", "TestA.test_x", "tests/test_a.py::TestA::test_x"},
		{"function", "test_b.py", "test_y", "test_b.py::test_y"},
		{"bare method found in its class", "tests/test_c.py", "test_m", "tests/test_c.py::TestC::test_m"},
		{"a parametrized case", "tests/test_o.py", "test_merge[None-1.5]", "tests/test_o.py::test_merge[None-1.5]"},
		{"a node id", "tests/test_o.py", "tests/test_o.py::TestK::test_k", "tests/test_o.py::TestK::test_k"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := append(append([]string{}, base...), tt.want)
			if diff := cmp.Diff(want, (pytest{dir: dir}).Targeted(TestRef{tt.file, tt.test})); diff != "" {
				t.Errorf("Targeted mismatch (-want +got):\n%s", diff)
			}
		})
	}
	for _, files := range []map[string]string{
		{"pytest.ini": ""}, {"conftest.py": ""}, {"tests/conftest.py": ""}, {"setup.cfg": "[metadata]\n[tool:pytest]\n"},
		{"tox.ini": "[pytest]\n"}, {"pyproject.toml": "[tool.pytest.ini_options]\n"}, {"requirements-dev.txt": "pytest>=7\n"},
		{"tests/test_x.py": "import pytest\n"},
	} {
		if !pytestConfigured(writeTree(t, files)) {
			t.Errorf("pytestConfigured(%v) = false, want true", files)
		}
	}
	if pytestConfigured(writeTree(t, map[string]string{"pyproject.toml": "[tool.black]\n", "setup.cfg": "[metadata]\n"})) {
		t.Error("pytestConfigured(no pytest section) = true, want false")
	}
}

// TestProjectAddopts keeps a project's pytest options but those of
// coverage and report plugins, which break targeted runs.
func TestProjectAddopts(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"none", map[string]string{"setup.cfg": "[tool:pytest]\njunit_family = xunit2\n"}, nil},
		{"pydash's setup.cfg", map[string]string{"setup.cfg": "[tool:pytest]\naddopts =\n    --verbose\n    --doctest-modules\n    --no-cov-on-fail\n" +
			"    --cov-fail-under=100\n    --cov-report=term-missing\n    --junitxml=build/testresults/junit.xml\n\n[coverage:run]\nomit = x\n"},
			[]string{"--verbose", "--doctest-modules"}},
		{"pyproject's array", map[string]string{"pyproject.toml": "[tool.pytest.ini_options]\naddopts = [\"-ra\", \"--cov\", \"src\", \"--strict-markers\"]\n"},
			[]string{"-ra", "--strict-markers"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, projectAddopts(writeTree(t, tt.files))); diff != "" {
				t.Errorf("projectAddopts (-want +got):\n%s", diff)
			}
		})
	}
}
