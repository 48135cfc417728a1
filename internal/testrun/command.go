package testrun

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// Command is how a repository's tests run, as argument vectors (no shell).
type Command struct {
	// Suite runs the whole suite.
	Suite []string
	// Targeted runs one test of one file. TestName is the test function
	// for Go; Class.test_method (or test_function, pytest only) for Python;
	// the test's name for JavaScript. With an overridden command it
	// returns Suite: an override cannot be narrowed.
	Targeted func(testFile, testName string) []string
	// Override reports that Suite came from the test-command setting.
	Override bool
}

// npmDefaultTest is the test script npm init writes, which runs nothing.
const npmDefaultTest = `echo "Error: no test specified" && exit 1`

// DetectCommand returns the test command of the repository in dir.
//
//   - Go: go test, targeted go test -count=1 -run '^TestX$' ./pkg.
//   - Python: python3 -m pytest -rA when pytest is configured (pytest.ini,
//     [tool.pytest...] in pyproject.toml, [tool:pytest] in setup.cfg,
//     [pytest] in tox.ini, or conftest.py) and importable by the runner's
//     python3; else python3 -m unittest -v. Targeted: pytest
//     path::Class::test, or unittest module.Class.test.
//   - JavaScript: npm test when package.json has a test script and npm is
//     on the PATH of the Runner's environment, else node --test
//     --test-reporter=tap; targeted always node --test
//     --test-reporter=tap --test-name-pattern='^name$' file, so the new
//     test must use node:test.
//
// A non-empty override (the test-command input or the policy) is split with
// SplitWords and replaces Suite; targeted runs then run it too. Checking
// that pytest is importable runs python3 through r, hence ctx.
func (r *Runner) DetectCommand(ctx context.Context, dir string, lang Language, override string) (Command, error) {
	if strings.TrimSpace(override) != "" {
		words, err := SplitWords(override)
		if err != nil {
			return Command{}, fmt.Errorf("test command %q: %w", override, err)
		}
		return Command{Suite: words, Targeted: func(string, string) []string { return words }, Override: true}, nil
	}
	switch lang {
	case Go:
		return goCommand(), nil
	case Python:
		return pythonCommand(pytestConfigured(dir) && r.pytestImportable(ctx, dir)), nil
	case JavaScript:
		test, err := npmTestScript(dir)
		if err != nil {
			return Command{}, fmt.Errorf("detect test command: %w", err)
		}
		return jsCommand(test != "" && test != npmDefaultTest && r.hasProgram("npm")), nil
	}
	return Command{}, fmt.Errorf("detect test command: unknown language %q (want go, python or javascript)", lang)
}

func goCommand() Command {
	return Command{
		Suite:    []string{"go", "test", "-count=1", "./..."},
		Targeted: func(file, name string) []string { return GoTestArgs(path.Dir(file), name) },
	}
}

// pytestArgs are the flags dawnpatch adds to pytest: a result line per
// test, and no .pytest_cache in the scratch copy.
var pytestArgs = []string{"-rA", "-p", "no:cacheprovider"}

func pythonCommand(pytest bool) Command {
	if pytest {
		base := append([]string{"python3", "-m", "pytest"}, pytestArgs...)
		return Command{Suite: base, Targeted: func(file, name string) []string {
			return append(append([]string{}, base...), file+"::"+strings.ReplaceAll(name, ".", "::"))
		}}
	}
	return Command{
		Suite: []string{"python3", "-m", "unittest", "-v"},
		Targeted: func(file, name string) []string {
			return []string{"python3", "-m", "unittest", "-v", pythonModule(file) + "." + name}
		},
	}
}

// pythonModule turns a repository-relative .py path into a module name.
func pythonModule(file string) string {
	return strings.ReplaceAll(strings.TrimSuffix(path.Clean(file), ".py"), "/", ".")
}

func jsCommand(npm bool) Command {
	c := Command{
		Suite: []string{"node", "--test", "--test-reporter=tap"},
		Targeted: func(file, name string) []string {
			return []string{"node", "--test", "--test-reporter=tap", "--test-name-pattern=^" + regexp.QuoteMeta(name) + "$", file}
		},
	}
	if npm {
		c.Suite = []string{"npm", "test"}
	}
	return c
}

// pytestConfigured reports whether the repository configures pytest.
func pytestConfigured(dir string) bool {
	exists := func(name string) bool { _, err := os.Stat(filepath.Join(dir, name)); return err == nil }
	contains := func(name, s string) bool {
		data, err := os.ReadFile(filepath.Join(dir, name))
		return err == nil && bytes.Contains(data, []byte(s))
	}
	return exists("pytest.ini") || exists("conftest.py") || exists(filepath.Join("tests", "conftest.py")) ||
		contains("pyproject.toml", "[tool.pytest") || contains("setup.cfg", "[tool:pytest]") || contains("tox.ini", "[pytest]")
}

// pytestImportable reports whether python3, run the way tests run, can
// import pytest.
func (r *Runner) pytestImportable(ctx context.Context, dir string) bool {
	res, err := r.Run(ctx, dir, []string{"python3", "-c", "import pytest"})
	return err == nil && res.ExitCode == 0
}

// hasProgram reports whether prog is on the PATH commands run with (for a
// Sandbox, the part of it the sandbox user can reach).
func (r *Runner) hasProgram(prog string) bool {
	list := envValue(r.Env, "PATH")
	if r.Sandbox != nil {
		list = reachablePath(list)
	}
	_, err := lookPath(prog, list)
	return err == nil
}

// npmTestScript returns the test script of dir/package.json, "" when it
// has none.
func npmTestScript(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	var pkg struct {
		Scripts map[string]string `json:"scripts"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return "", fmt.Errorf("package.json: %w", err)
	}
	return strings.TrimSpace(pkg.Scripts["test"]), nil
}
