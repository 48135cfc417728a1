package testrun

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// pytestArgs are the flags dawnpatch adds to pytest: a result line per
// test (-v for the node ids of skips, which -rA folds into file:line),
// and no .pytest_cache in the scratch copy.
var pytestArgs = []string{"-v", "-rA", "-p", "no:cacheprovider"}

// pytest is python -m pytest (python -m puts the repository's top on
// sys.path, as the project's own runs from its root do).
type pytest struct {
	// dir is the scratch copy, to qualify bare method names.
	dir string
	// addopts, when not nil, replaces the project's addopts: its own
	// without the options of coverage and report plugins, which a
	// targeted run would trip over (--cov-fail-under) or write files for.
	addopts []string
}

func (p pytest) Name() string  { return "pytest" }
func (p pytest) Env() []string { return nil }

func (p pytest) base() []string {
	argv := append([]string{"python3", "-m", "pytest"}, pytestArgs...)
	if p.addopts != nil {
		argv = append(argv, "-o", "addopts="+strings.Join(p.addopts, " "))
	}
	return argv
}

// Suite runs every test pytest collects.
func (p pytest) Suite([]string) []string { return p.base() }

// Targeted runs one node id: file::test, file::Class::test, with the
// parameters of one case when the name has them.
func (p pytest) Targeted(t TestRef) []string {
	return append(p.base(), pytestNodeID(p.dir, t))
}

// pytestNodeID turns a test name into a pytest node id: "::" and "."
// separate classes and functions outside the parameters' brackets; a bare
// method name is qualified with its class from the file.
func pytestNodeID(dir string, t TestRef) string {
	name := t.Name
	if strings.Contains(name, "::") {
		if strings.HasPrefix(name, t.File+"::") {
			return name
		}
		return t.File + "::" + name
	}
	head, params, _ := strings.Cut(name, "[")
	head = pythonTestName(dir, t.File, head)
	id := t.File + "::" + strings.ReplaceAll(head, ".", "::")
	if params != "" {
		id += "[" + params
	}
	return id
}

func (p pytest) Results(_ string, res Result, out string) Suite {
	if s := parsePytest(out); len(s.Passed)+len(s.Failed)+len(s.BuildFailed) > 0 {
		return s
	}
	return wholeCommand(res)
}

// unittest is python -m unittest -v.
type unittest struct{ dir string }

func (unittest) Name() string            { return "unittest" }
func (unittest) Env() []string           { return nil }
func (unittest) Suite([]string) []string { return []string{"python3", "-m", "unittest", "-v"} }

// Targeted runs module.Class.test.
func (u unittest) Targeted(t TestRef) []string {
	return []string{"python3", "-m", "unittest", "-v", pythonModule(t.File) + "." + pythonTestName(u.dir, t.File, t.Name)}
}

func (unittest) Results(_ string, res Result, out string) Suite {
	if s := parseUnittest(out); len(s.Passed)+len(s.Failed)+len(s.BuildFailed) > 0 {
		return s
	}
	return wholeCommand(res)
}

// pythonModule turns a repository-relative .py path into a module name.
func pythonModule(file string) string {
	return strings.ReplaceAll(strings.TrimSuffix(path.Clean(file), ".py"), "/", ".")
}

// pytestConfigured reports whether the repository configures or uses
// pytest: an ini section, a conftest.py, pytest among its test
// requirements, or a test that imports it.
func pytestConfigured(dir string) bool {
	exists := func(name string) bool { _, err := os.Stat(filepath.Join(dir, name)); return err == nil }
	contains := func(name, s string) bool {
		data, err := os.ReadFile(filepath.Join(dir, name))
		return err == nil && strings.Contains(string(data), s)
	}
	if exists("pytest.ini") || exists("conftest.py") || exists(filepath.Join("tests", "conftest.py")) || exists(filepath.Join("test", "conftest.py")) ||
		contains("pyproject.toml", "[tool.pytest") || contains("setup.cfg", "[tool:pytest]") || contains("tox.ini", "[pytest]") {
		return true
	}
	for _, f := range append(slices.Clone(requirementFiles), "pyproject.toml", "setup.cfg", "tox.ini") {
		if contains(f, "pytest") {
			return true
		}
	}
	return testsImport(dir, "pytest")
}

// testsImport reports whether a Python test file at the top or under
// test/ or tests/ imports module.
func testsImport(dir, module string) bool {
	re := regexp.MustCompile(`(?m)^\s*(import|from)\s+` + regexp.QuoteMeta(module) + `\b`)
	for _, d := range []string{".", "test", "tests"} {
		entries, _ := os.ReadDir(filepath.Join(dir, d))
		for _, e := range entries {
			if e.IsDir() || !isPythonTestName(e.Name()) {
				continue
			}
			if data, err := os.ReadFile(filepath.Join(dir, d, e.Name())); err == nil && re.Match(data) {
				return true
			}
		}
	}
	return false
}

// addoptsRE finds the addopts of pytest's ini sections.
var addoptsRE = regexp.MustCompile(`(?m)^addopts\s*=\s*(.*(?:\n[ \t]+.*)*)`)

// projectAddopts returns the repository's pytest addopts without the
// options of coverage and report plugins, or nil when it sets none (the
// project's own then apply as they are). It reads the ini files pytest
// reads, in its order; pyproject.toml's array form is joined.
func projectAddopts(dir string) []string {
	for _, f := range []string{"pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			continue
		}
		text := string(data)
		section := map[string]string{"pytest.ini": "[pytest]", "pyproject.toml": "[tool.pytest.ini_options]", "tox.ini": "[pytest]", "setup.cfg": "[tool:pytest]"}[f]
		i := strings.Index(text, section)
		if i < 0 {
			continue
		}
		body := text[i+len(section):]
		if j := regexp.MustCompile(`(?m)^\[`).FindStringIndex(body); j != nil {
			body = body[:j[0]]
		}
		m := addoptsRE.FindStringSubmatch(body)
		if m == nil {
			return nil
		}
		return keepAddopts(strings.NewReplacer("[", " ", "]", " ", `"`, " ", `'`, " ", ",", " ").Replace(m[1]))
	}
	return nil
}

// droppedAddopts are the options of plugins a targeted run must not use:
// coverage (a single test never reaches --cov-fail-under) and reports
// written to files.
var droppedAddopts = regexp.MustCompile(`^--(cov|no-cov|junit|html|self-contained-html|json-report|report-log|result-log|benchmark)`)

// keepAddopts splits addopts and leaves out the dropped options and their
// values.
func keepAddopts(s string) []string {
	out := []string{}
	fields := strings.Fields(s)
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if droppedAddopts.MatchString(f) {
			if !strings.Contains(f, "=") && i+1 < len(fields) && !strings.HasPrefix(fields[i+1], "-") && optionTakesValue(f) {
				i++
			}
			continue
		}
		out = append(out, f)
	}
	return out
}

// optionTakesValue reports whether a dropped option is followed by its
// value: --cov and --cov-report may be given alone or with one.
func optionTakesValue(opt string) bool {
	return opt == "--cov" || opt == "--cov-report" || opt == "--cov-fail-under" || opt == "--junitxml" || opt == "--junit-xml" ||
		opt == "--html" || opt == "--json-report-file" || opt == "--report-log" || opt == "--cov-config"
}
