package testrun

import (
	"context"
	"fmt"
	"strings"
)

// npmDefaultTest is the test script npm init writes, which runs nothing.
const npmDefaultTest = `echo "Error: no test specified" && exit 1`

// DetectFramework returns the test runner of the repository in dir, as
// the runs see it at root:
//
//   - Go: go test.
//   - Python: pytest when the repository configures or uses it (an ini
//     section, conftest.py, a requirement, an import in a test) and the
//     runs can import it; else unittest.
//   - JavaScript: the runner package.json's test script runs (jest,
//     vitest, mocha, node --test), with the script's own options and
//     variables; else the one its devDependencies or config files name;
//     else node:test. A script that is no single runner runs whole (npm
//     test).
//
// A non-empty override (the test-command input or the policy) is split
// with SplitWords (leading VAR=value words are its environment) and runs
// whole for the suite and for every targeted run. Checking that pytest is
// importable runs python3 through r, hence ctx.
func (r *Runner) DetectFramework(ctx context.Context, dir, root string, lang Language, override string) (Framework, error) {
	if strings.TrimSpace(override) != "" {
		words, err := SplitWords(override)
		if err != nil {
			return nil, fmt.Errorf("test command %q: %w", override, err)
		}
		o := overridden{}
		for len(words) > 1 && envWord.MatchString(words[0]) {
			o.env, words = append(o.env, words[0]), words[1:]
		}
		o.argv = words
		return o, nil
	}
	switch lang {
	case Go:
		return goTest{}, nil
	case Python:
		if pytestConfigured(dir) && r.pytestImportable(ctx, dir) {
			return pytest{dir: dir, addopts: projectAddopts(dir)}, nil
		}
		return unittest{dir: dir}, nil
	case JavaScript:
		pkg, err := readPackageJSON(dir)
		if err != nil {
			return nil, fmt.Errorf("detect test runner: %w", err)
		}
		return jsFramework(dir, root, pkg, r.hasProgram("npm")), nil
	}
	return nil, fmt.Errorf("detect test runner: unknown language %q (want go, python or javascript)", lang)
}

// pytestImportable reports whether python3, run the way tests run, can
// import pytest.
func (r *Runner) pytestImportable(ctx context.Context, dir string) bool {
	res, err := r.Run(ctx, dir, []string{"python3", "-c", "import pytest"})
	return err == nil && res.ExitCode == 0
}

// hasProgram reports whether prog is there for the runs: in a container,
// the image is trusted to have the repository's toolchain; in this process,
// prog must be on the PATH commands run with (for a Sandbox, the part of it
// the sandbox user can reach).
func (r *Runner) hasProgram(prog string) bool {
	if r.Container != nil {
		return true
	}
	list := envValue(r.Env, "PATH")
	if r.Sandbox != nil {
		list = reachablePath(list)
	}
	_, err := lookPath(prog, list)
	return err == nil
}
