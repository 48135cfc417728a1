package testrun

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// OutDir is where, under StateDir, runners write their result files
// (jest's and vitest's JSON); it is cleared before every run.
const OutDir = "out"

// maxResultsFile caps a result file dawnpatch reads.
const maxResultsFile = 16 << 20

// jsScript is a package.json test script read as one runner invocation:
// `MODE=dev jest --ci`, `node_modules/.bin/mocha -u tdd --reporter spec`,
// `istanbul cover ./node_modules/mocha/bin/_mocha test.js -- -R spec`.
type jsScript struct {
	// env holds the VAR=value words before the runner.
	env []string
	// bin runs the runner: the script's own path to it, or
	// node_modules/.bin/<runner>.
	bin []string
	// args are the runner's options the script gives, without those of
	// reports, watching and coverage, and without test names.
	args []string
	// specs are its positional arguments: the test files or globs.
	specs []string
}

// jsRunners are the runners whose output dawnpatch reads, by the name of
// their command.
var jsRunners = map[string]string{"jest": "jest", "vitest": "vitest", "mocha": "mocha", "_mocha": "mocha"}

// parseTestScript finds the runner in a test script: the first segment
// (between &&, || and ;) whose command is one of jsRunners or node --test.
func parseTestScript(script string) (runner string, s jsScript, ok bool) {
	words, err := SplitWords(script)
	if err != nil {
		return "", jsScript{}, false
	}
	for _, seg := range segments(words) {
		s := jsScript{}
		i := 0
		for ; i < len(seg) && (envWord.MatchString(seg[i]) || seg[i] == "cross-env"); i++ {
			if seg[i] != "cross-env" {
				s.env = append(s.env, seg[i])
			}
		}
		for j := i; j < len(seg); j++ {
			name := strings.TrimSuffix(path.Base(seg[j]), ".js")
			if r, ok := jsRunners[name]; ok {
				s.bin = []string{seg[j]}
				if !strings.Contains(seg[j], "/") {
					s.bin = []string{"node_modules/.bin/" + name}
				}
				s.args, s.specs = runnerArgs(r, seg[j+1:])
				return r, s, true
			}
			if seg[j] == "node" && j+1 < len(seg) && seg[j+1] == "--test" {
				s.bin = []string{"node", "--test"}
				s.args, s.specs = runnerArgs("node", seg[j+2:])
				return "node:test", s, true
			}
		}
	}
	return "", jsScript{}, false
}

// envWord matches a VAR=value word before a command.
var envWord = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)

// segments splits words at &&, || and ;.
func segments(words []string) [][]string {
	var out [][]string
	cur := []string{}
	for _, w := range words {
		if w == "&&" || w == "||" || w == ";" {
			out, cur = append(out, cur), []string{}
			continue
		}
		cur = append(cur, strings.TrimSuffix(w, ";"))
	}
	return append(out, cur)
}

// runnerFlags are, per runner, the options dawnpatch drops (it sets its
// own reporter and picks the tests) and those of them that take a value.
var runnerFlags = map[string]struct{ drop, valued map[string]bool }{
	"jest": {set("--reporters", "--json", "--outputFile", "-t", "--testNamePattern", "--watch", "--watchAll", "--coverage", "--collectCoverage", "--ci", "--silent"),
		set("--reporters", "--outputFile", "-t", "--testNamePattern", "-c", "--config", "--rootDir", "--testPathPattern", "--maxWorkers", "-w", "--testTimeout", "--env", "--testEnvironment", "--setupFiles")},
	"vitest": {set("--reporter", "--outputFile", "-t", "--testNamePattern", "--watch", "-w", "--coverage", "--ui"),
		set("--reporter", "--outputFile", "-t", "--testNamePattern", "--config", "-c", "--root", "--dir", "--environment", "--pool")},
	"mocha": {set("-R", "--reporter", "-O", "--reporter-option", "--reporter-options", "-g", "--grep", "-f", "--fgrep", "-w", "--watch", "-i", "--invert"),
		set("-R", "--reporter", "-O", "--reporter-option", "--reporter-options", "-g", "--grep", "-f", "--fgrep", "-u", "--ui", "-t", "--timeout", "-s", "--slow",
			"-r", "--require", "--file", "--extension", "--spec", "--config", "--package", "--ignore", "--exclude", "--retries", "-n", "--node-option", "-j", "--jobs")},
	"node": {set("--test-reporter", "--test-reporter-destination", "--test-name-pattern", "--watch", "--experimental-test-coverage"),
		set("--test-reporter", "--test-reporter-destination", "--test-name-pattern", "--test-concurrency", "--test-timeout", "--import", "--require", "-r")},
}

func set(s ...string) map[string]bool {
	m := map[string]bool{}
	for _, v := range s {
		m[v] = true
	}
	return m
}

// runnerArgs sorts the words after the runner into kept options and
// positional test files. Options of another tool in the same segment (an
// istanbul before `--`) are dropped with the words that look like their
// values: a word that names no file and holds no glob.
func runnerArgs(runner string, words []string) (args, specs []string) {
	f := runnerFlags[runner]
	for i := 0; i < len(words); i++ {
		w := words[i]
		if w == "--" || w == "run" && runner == "vitest" && i == 0 {
			continue
		}
		if !strings.HasPrefix(w, "-") {
			if looksLikeSpec(w) {
				specs = append(specs, w)
			}
			continue
		}
		name, _, inline := strings.Cut(w, "=")
		hasValue := !inline && f.valued[name] && i+1 < len(words)
		switch {
		case f.drop[name]:
			if hasValue {
				i++
			}
		case f.valued[name] || f.drop != nil && isKnownBool(runner, name):
			args = append(args, w)
			if hasValue {
				args, i = append(args, words[i+1]), i+1
			}
		}
	}
	return args, specs
}

// isKnownBool reports whether the runner has the option without a value;
// an unknown option (another tool's) is dropped.
func isKnownBool(runner, name string) bool {
	bools := map[string][]string{
		"mocha":  {"--recursive", "--exit", "-b", "--bail", "-A", "--async-only", "--check-leaks", "--full-trace", "--inline-diffs", "--no-timeouts", "-S", "--sort", "--parallel", "-p", "--forbid-only", "--forbid-pending", "--allow-uncaught"},
		"jest":   {"--runInBand", "-i", "--detectOpenHandles", "--forceExit", "--passWithNoTests", "--no-cache", "--verbose", "--bail", "-b"},
		"vitest": {"--run", "--globals", "--passWithNoTests", "--no-isolate", "--bail"},
		"node":   {"--experimental-vm-modules", "--no-warnings"},
	}
	return slices.Contains(bools[runner], name)
}

// looksLikeSpec reports whether a positional word names test files: a
// glob, or a path with a JavaScript or TypeScript extension or a directory
// name of tests.
func looksLikeSpec(w string) bool {
	if strings.ContainsAny(w, "*?{") {
		return true
	}
	ext := path.Ext(w)
	return slices.Contains(jsExts, ext) || slices.Contains([]string{"test", "tests", "spec", "__tests__"}, strings.Trim(path.Clean(w), "./"))
}

// titlePattern is a regular expression matching a test's full title (its
// describe titles and its own, joined by spaces) that ends with name; name
// may join titles with " > ".
func titlePattern(name string) string {
	return `(^|\s)` + regexp.QuoteMeta(strings.ReplaceAll(name, " > ", " ")) + `$`
}

// jsRunner is jest, vitest, mocha or node:test as the script runs it.
type jsRunner struct {
	runner string
	s      jsScript
	// root is where the runs see the scratch copy, for the result file.
	root string
}

func (j jsRunner) Name() string  { return j.runner }
func (j jsRunner) Env() []string { return j.s.env }

// resultFile is where jest and vitest write their JSON, as runs see it.
func (j jsRunner) resultFile() string { return path.Join(j.root, StateDir, OutDir, j.runner+".json") }

// reporter is the options that make the runner report in a form
// dawnpatch reads.
func (j jsRunner) reporter() []string {
	switch j.runner {
	case "jest":
		return []string{"--json", "--outputFile=" + j.resultFile()}
	case "vitest":
		return []string{"--reporter=json", "--outputFile=" + j.resultFile()}
	case "mocha":
		return []string{"--reporter", "tap"}
	}
	return []string{"--test-reporter=tap"}
}

func (j jsRunner) base() []string {
	argv := slices.Clone(j.s.bin)
	if j.runner == "vitest" {
		argv = append(argv, "run")
	}
	return append(argv, j.s.args...)
}

// Suite runs the script's tests with dawnpatch's reporter.
func (j jsRunner) Suite([]string) []string {
	return append(append(j.base(), j.reporter()...), j.s.specs...)
}

// Targeted runs the test's file, narrowed to the tests whose full title
// ends with the name.
func (j jsRunner) Targeted(t TestRef) []string {
	argv := append(j.base(), j.reporter()...) // options first: node takes what follows a file for files
	pattern := titlePattern(t.Name)
	switch j.runner {
	case "jest":
		argv = append(argv, "--runTestsByPath", t.File, "--testNamePattern", pattern)
	case "vitest":
		argv = append(argv, t.File, "--testNamePattern", pattern)
	case "mocha":
		argv = append(argv, "--grep", pattern, t.File)
	default:
		argv = append(argv, "--test-name-pattern="+pattern, t.File)
	}
	return argv
}

// Results reads jest's or vitest's JSON file, or the TAP of mocha and
// node:test.
func (j jsRunner) Results(dir string, res Result, out string) Suite {
	if j.runner != "jest" && j.runner != "vitest" {
		if s := parseTAP(out); len(s.Passed)+len(s.Failed) > 0 {
			return s
		}
		return wholeCommand(res)
	}
	s, err := readJestJSON(filepath.Join(dir, StateDir, OutDir, j.runner+".json"), dir, j.root)
	if err != nil {
		return wholeCommand(res)
	}
	return s
}

// jestReport is the part of jest's --json report (and vitest's, which
// follows it) dawnpatch reads.
type jestReport struct {
	TestResults []struct {
		Name             string `json:"name"`
		Status           string `json:"status"`
		Message          string `json:"message"`
		AssertionResults []struct {
			AncestorTitles []string `json:"ancestorTitles"`
			Title          string   `json:"title"`
			Status         string   `json:"status"`
		} `json:"assertionResults"`
	} `json:"testResults"`
}

// readJestJSON reads a jest or vitest JSON report. A test is named by its
// describe titles and its own joined with " > "; a file that failed
// without running a test (it did not load) is listed in BuildFailed by its
// repository-relative path.
func readJestJSON(file, dir, root string) (Suite, error) {
	fi, err := os.Lstat(file)
	if err != nil {
		return Suite{}, err
	}
	if !fi.Mode().IsRegular() || fi.Size() > maxResultsFile {
		return Suite{}, errors.New("not a regular file of a sane size")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return Suite{}, err
	}
	var rep jestReport
	if err := json.Unmarshal(data, &rep); err != nil {
		return Suite{}, fmt.Errorf("jest report: %w", err)
	}
	passed, failed, broken, skipped := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, f := range rep.TestResults {
		if len(f.AssertionResults) == 0 && f.Status == "failed" {
			broken[strings.TrimPrefix(strings.TrimPrefix(f.Name, root), "/")] = true
		}
		for _, a := range f.AssertionResults {
			name := strings.Join(append(slices.Clone(a.AncestorTitles), a.Title), " > ")
			switch a.Status {
			case "passed":
				passed[name] = true
			case "failed":
				failed[name] = true
			case "pending", "skipped", "todo", "disabled":
				skipped[name] = true
			}
		}
	}
	for n := range failed {
		delete(passed, n)
	}
	return Suite{Passed: sorted(passed), Failed: sorted(failed), Skipped: sorted(skipped), BuildFailed: sorted(broken)}, nil
}

// jsFramework picks the runner of a JavaScript repository: the one its
// test script runs, else the one its devDependencies or config files name,
// else node:test. A test script dawnpatch cannot read as one runner runs
// whole, as npm test.
func jsFramework(dir, root string, pkg packageJSON, npm bool) Framework {
	test := strings.TrimSpace(pkg.Scripts["test"])
	if test != "" && test != npmDefaultTest {
		if r, s, ok := parseTestScript(test); ok {
			return jsRunner{runner: r, s: s, root: root}
		}
		if npm {
			return overridden{argv: []string{"npm", "test"}}
		}
	}
	for _, r := range []string{"jest", "vitest", "mocha"} {
		if pkg.DevDependencies[r] != "" || pkg.Dependencies[r] != "" || hasConfig(dir, r) {
			return jsRunner{runner: r, s: jsScript{bin: []string{"node_modules/.bin/" + r}}, root: root}
		}
	}
	return jsRunner{runner: "node:test", s: jsScript{bin: []string{"node", "--test"}}, root: root}
}

// hasConfig reports whether the repository has a config file of runner.
func hasConfig(dir, runner string) bool {
	prefix := map[string]string{"jest": "jest.config.", "vitest": "vitest.config.", "mocha": ".mocharc"}[runner]
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			return true
		}
	}
	return false
}

// packageJSON is what dawnpatch reads of package.json.
type packageJSON struct {
	Scripts         map[string]string `json:"scripts"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
}

// readPackageJSON reads dir/package.json; a missing file is an empty one.
func readPackageJSON(dir string) (packageJSON, error) {
	var pkg packageJSON
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if errors.Is(err, os.ErrNotExist) {
		return pkg, nil
	}
	if err != nil {
		return pkg, err
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return pkg, fmt.Errorf("package.json: %w", err)
	}
	return pkg, nil
}
