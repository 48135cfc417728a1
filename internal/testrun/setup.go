package testrun

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// StateDir is the directory, at the top of a scratch copy, that holds what
// setup installs (a virtualenv, Go's caches); Reset keeps it, and the
// JavaScript dependencies in node_modules.
const StateDir = ".dawnpatch"

// KeptOnReset are the top-level paths of a scratch copy that outlive a
// reset: what setup installed once per run.
var KeptOnReset = []string{StateDir, "node_modules"}

// Step is one setup command.
type Step struct {
	Argv []string
	// Fallback runs when Argv fails; nil means none.
	Fallback []string
	// Why says what the step is for.
	Why string
}

// DetectSetup returns the commands that install the dependencies of the
// repository in dir, run once per run with network before any test; root
// is where the commands see the scratch copy. Nothing to install is no
// step:
//
//   - Go: go mod download, when go.mod requires modules.
//   - Python: a virtualenv in .dawnpatch/venv (seeing the image's own
//     packages), pip install -r for each requirements file, and the
//     project itself in editable mode with its test extras when it is a
//     package with dependencies (again without build isolation if that
//     fails: the image's setuptools then builds it).
//   - JavaScript: npm ci, pnpm install --frozen-lockfile or yarn install
//     --immutable (--frozen-lockfile for Yarn 1) through corepack, after
//     the lockfile; npm install without one; only when package.json has
//     dependencies.
func DetectSetup(dir, root string, lang Language) []Step {
	switch lang {
	case Go:
		return goSetup(dir)
	case Python:
		return pythonSetup(dir, root)
	case JavaScript:
		return jsSetup(dir)
	}
	return nil
}

var goRequire = regexp.MustCompile(`(?m)^\s*require\b`)

func goSetup(dir string) []Step {
	data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil || !goRequire.Match(data) {
		return nil
	}
	return []Step{{Argv: []string{"go", "mod", "download"}, Why: "download the modules go.mod requires"}}
}

// requirementFiles are the pip requirement files setup installs, when present.
var requirementFiles = []string{
	"requirements.txt", "requirements-dev.txt", "requirements_dev.txt", "requirements-test.txt", "requirements_test.txt",
	"requirements-tests.txt", "test-requirements.txt", "dev-requirements.txt",
	"requirements/test.txt", "requirements/tests.txt", "requirements/dev.txt", "requirements/testing.txt",
}

// testExtras are the extras setup installs the project with, when declared.
var testExtras = []string{"test", "tests", "testing", "dev"}

// Venv is where setup puts the virtualenv, under root.
func Venv(root string) string { return path.Join(root, StateDir, "venv") }

func pythonSetup(dir, root string) []Step {
	var reqs []string
	for _, f := range requirementFiles {
		if exists(dir, f) {
			reqs = append(reqs, f)
		}
	}
	project, extras := pythonProject(dir)
	if len(reqs) == 0 && !project {
		return nil
	}
	py := path.Join(Venv(root), "bin", "python")
	pip := []string{py, "-m", "pip", "install", "--disable-pip-version-check", "--no-input"}
	steps := []Step{{Argv: []string{"python3", "-m", "venv", "--system-site-packages", Venv(root)}, Why: "a virtualenv for the dependencies"}}
	for _, f := range reqs {
		steps = append(steps, Step{Argv: append(slices.Clone(pip), "-r", f), Why: "install " + f})
	}
	if project {
		target := "."
		if len(extras) > 0 {
			target = ".[" + strings.Join(extras, ",") + "]"
		}
		steps = append(steps, Step{
			Argv:     append(slices.Clone(pip), "-e", target),
			Fallback: append(slices.Clone(pip), "--no-build-isolation", "-e", target),
			Why:      "install the project and its test extras, editable, so that its own code is what the tests import",
		})
	}
	return steps
}

var (
	pyDependencies  = regexp.MustCompile(`(?m)^\s*dependencies\s*=\s*\[\s*[^\]\s]`)
	pyOptionalTable = regexp.MustCompile(`(?m)^\[(?:project\.optional-dependencies|options\.extras_require)\]\s*$`)
	pyPoetryDeps    = regexp.MustCompile(`(?m)^\[tool\.poetry\.(?:group\.\w+\.)?dependencies\]`)
	pyExtraKey      = regexp.MustCompile(`^\s*([A-Za-z0-9][A-Za-z0-9_.-]*)\s*=`)
)

// pythonProject reports whether the repository is a Python package with
// something to install (dependencies, extras, or a setup.py that may
// declare them), and the test extras it declares.
func pythonProject(dir string) (bool, []string) {
	var text string
	for _, f := range []string{"pyproject.toml", "setup.cfg"} {
		if data, err := os.ReadFile(filepath.Join(dir, f)); err == nil {
			text += string(data) + "\n"
		}
	}
	extras := declaredExtras(text)
	project := exists(dir, "setup.py") || pyDependencies.MatchString(text) || pyPoetryDeps.MatchString(text) ||
		strings.Contains(text, "install_requires") || len(extras) > 0
	return project, extras
}

// declaredExtras returns the test extras named in the optional-dependency
// tables of pyproject.toml or setup.cfg.
func declaredExtras(text string) []string {
	var out []string
	for _, loc := range pyOptionalTable.FindAllStringIndex(text, -1) {
		for l := range strings.Lines(text[loc[1]:]) {
			if strings.HasPrefix(strings.TrimSpace(l), "[") {
				break
			}
			if m := pyExtraKey.FindStringSubmatch(l); m != nil && slices.Contains(testExtras, m[1]) && !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
	}
	return out
}

func jsSetup(dir string) []Step {
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return nil
	}
	var pkg struct {
		Dependencies    map[string]string `json:"dependencies"`
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if json.Unmarshal(data, &pkg) != nil || len(pkg.Dependencies)+len(pkg.DevDependencies) == 0 {
		return nil
	}
	switch {
	case exists(dir, "pnpm-lock.yaml"):
		return []Step{{Argv: []string{"corepack", "pnpm", "install", "--frozen-lockfile"}, Why: "install pnpm-lock.yaml's packages"}}
	case exists(dir, "yarn.lock") && yarnBerry(dir):
		return []Step{{Argv: []string{"corepack", "yarn", "install", "--immutable"}, Why: "install yarn.lock's packages"}}
	case exists(dir, "yarn.lock"):
		return []Step{{Argv: []string{"corepack", "yarn", "install", "--frozen-lockfile"}, Why: "install yarn.lock's packages (Yarn 1)"}}
	case exists(dir, "package-lock.json") || exists(dir, "npm-shrinkwrap.json"):
		return []Step{{Argv: []string{"npm", "ci", "--no-audit", "--no-fund"}, Why: "install package-lock.json's packages"}}
	}
	return []Step{{Argv: []string{"npm", "install", "--no-audit", "--no-fund"}, Why: "install package.json's packages (no lockfile)"}}
}

// yarnBerry reports whether yarn.lock is Yarn 2 or later's.
func yarnBerry(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "yarn.lock"))
	return err == nil && strings.Contains(string(data), "__metadata:")
}

// exists reports whether the repository has the file.
func exists(dir, name string) bool {
	_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name)))
	return err == nil
}

// srcLayout reports whether the repository keeps its Python packages under
// src/ (a src/<pkg>/__init__.py, or a namespace package directory of .py
// files).
func srcLayout(dir string) bool {
	entries, err := os.ReadDir(filepath.Join(dir, "src"))
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sub, _ := os.ReadDir(filepath.Join(dir, "src", e.Name()))
		for _, s := range sub {
			if strings.HasSuffix(s.Name(), ".py") {
				return true
			}
		}
	}
	return false
}
