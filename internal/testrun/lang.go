package testrun

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// Language is the one language type of dawnpatch (package lang); testrun
// runs the tests of Go, Python and JavaScript.
type Language = lang.Language

// The languages whose tests run.
const (
	Go         = lang.Go
	Python     = lang.Python
	JavaScript = lang.JavaScript
)

// pythonMarkers are files whose presence at the top of a repository marks
// a Python project.
var pythonMarkers = []string{"pyproject.toml", "setup.cfg", "setup.py", "pytest.ini", "tox.ini", "conftest.py"}

// Detect names the language of the repository in dir from the files at its
// top: go.mod is Go; pyproject.toml, setup.cfg, setup.py, pytest.ini,
// tox.ini, conftest.py, requirements*.txt, or Python test files at the top
// or under test/ or tests/ are Python; package.json is JavaScript. The
// first match in that order wins.
func Detect(dir string) (Language, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("detect language: %w", err)
	}
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
	}
	switch {
	case names["go.mod"]:
		return Go, nil
	case hasPythonMarker(names) || hasPythonTests(dir, entries):
		return Python, nil
	case names["package.json"]:
		return JavaScript, nil
	}
	return "", errors.New("detect language: found none of go.mod, pyproject.toml, setup.cfg, setup.py, pytest.ini, tox.ini, " +
		"conftest.py, requirements*.txt, Python test files (test_*.py, *_test.py) or package.json at the top of the repository")
}

// hasPythonMarker reports whether names holds a Python project file.
func hasPythonMarker(names map[string]bool) bool {
	if slices.ContainsFunc(pythonMarkers, func(m string) bool { return names[m] }) {
		return true
	}
	for n := range names {
		if strings.HasPrefix(n, "requirements") && strings.HasSuffix(n, ".txt") {
			return true
		}
	}
	return false
}

// hasPythonTests reports whether the top of dir, or its test or tests
// directory, holds a Python test file.
func hasPythonTests(dir string, entries []fs.DirEntry) bool {
	for _, e := range entries {
		if !e.IsDir() && isPythonTestName(e.Name()) {
			return true
		}
		if e.IsDir() && (e.Name() == "tests" || e.Name() == "test") {
			sub, _ := os.ReadDir(filepath.Join(dir, e.Name()))
			for _, s := range sub {
				if !s.IsDir() && strings.HasSuffix(s.Name(), ".py") {
					return true
				}
			}
		}
	}
	return false
}

// isPythonTestName reports whether a file name follows the unittest and
// pytest conventions: test_*.py or *_test.py.
func isPythonTestName(name string) bool {
	return strings.HasSuffix(name, ".py") &&
		(strings.HasPrefix(name, "test_") || strings.HasSuffix(name, "_test.py"))
}

// jsExts are the file extensions of JavaScript and TypeScript sources.
var jsExts = []string{".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx"}

// IsTestFile reports whether the repository-relative, slash-separated path
// is a test file of lang: *_test.go for Go; test_*.py, *_test.py or any .py
// under a test or tests directory for Python; *.test.js, *.spec.js,
// test.js or tests.js (and the other JavaScript and TypeScript extensions)
// or any such file under test, tests or __tests__ for JavaScript. An
// unknown language has no test files.
func IsTestFile(lang Language, p string) bool {
	base := path.Base(p)
	switch lang {
	case Go:
		return strings.HasSuffix(base, "_test.go")
	case Python:
		return isPythonTestName(base) || (strings.HasSuffix(base, ".py") && underDir(p, "test", "tests"))
	case JavaScript:
		ext := path.Ext(base)
		if !slices.Contains(jsExts, ext) {
			return false
		}
		stem := strings.TrimSuffix(base, ext)
		return strings.HasSuffix(stem, ".test") || strings.HasSuffix(stem, ".spec") || stem == "test" || stem == "tests" ||
			underDir(p, "test", "tests", "__tests__")
	}
	return false
}

// underDir reports whether one of the directories of p is named one of
// dirs.
func underDir(p string, dirs ...string) bool {
	for _, part := range strings.Split(path.Dir(path.Clean(p)), "/") {
		if slices.Contains(dirs, part) {
			return true
		}
	}
	return false
}
