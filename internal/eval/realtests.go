package eval

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"

	"github.com/dawnpatch/dawnpatch/internal/patch"
	"github.com/dawnpatch/dawnpatch/internal/testrun"
)

// testFile is a test file a diff changes, with the tests it defines after
// the diff.
type testFile struct {
	path string
	// tests are the tests defined after the diff, in order: names for Go
	// and Python, full titles for JavaScript.
	tests []definedTest
	// added are the tests the diff adds: defined on a line it adds, under
	// a name the file did not have before.
	added []string
}

// definedTest is a test and the line that defines it (1-based).
type definedTest struct {
	name string
	line int
}

// changedTests returns the files matching the bug's TEST_FILES that the
// diff changes, in the diff's order, as the edits leave them.
func changedTests(b *Bug, diff []byte, edits []patch.Edit) ([]testFile, error) {
	files, _, err := gitdiff.Parse(bytes.NewReader(diff))
	if err != nil {
		return nil, fmt.Errorf("parse diff: %w", err)
	}
	repo := filepath.Join(b.Dir, "repo")
	changes, err := patch.Patch{Edits: edits}.Changes(repo, patch.Limits{MaxFiles: -1, MaxChangedLines: -1, Protected: []string{}})
	if err != nil {
		return nil, fmt.Errorf("apply the edits: %w", err)
	}
	after := map[string]patch.Change{}
	for _, c := range changes {
		after[c.Path] = c
	}
	var out []testFile
	for _, f := range files {
		c, ok := after[f.NewName]
		if !ok || !matchGlob(b.TestFiles, f.NewName) {
			continue
		}
		tf := testFile{path: f.NewName, tests: defineTests(b.Lang, c.New)}
		before := names(defineTests(b.Lang, c.Old))
		lines := addedLines(f)
		for _, t := range tf.tests {
			if lines[t.line] && !slices.Contains(before, t.name) {
				tf.added = append(tf.added, t.name)
			}
		}
		out = append(out, tf)
	}
	return out, nil
}

// matchGlob matches a TEST_FILES glob against a path, or against its last
// element when the glob names no directory.
func matchGlob(glob, p string) bool {
	if ok, _ := path.Match(glob, p); ok {
		return true
	}
	ok, _ := path.Match(glob, path.Base(p))
	return ok && !strings.Contains(glob, "/")
}

// addedLines are the line numbers, in the file after the diff, of the
// lines the diff adds.
func addedLines(f *gitdiff.File) map[int]bool {
	out := map[int]bool{}
	for _, frag := range f.TextFragments {
		n := int(frag.NewPosition)
		for _, l := range frag.Lines {
			if l.Op == gitdiff.OpAdd {
				out[n] = true
			}
			if l.Op != gitdiff.OpDelete {
				n++
			}
		}
	}
	return out
}

// named is the test TEST_CMD's want names among the tests the diff adds:
// the same name for Go and Python, the first full title the pattern
// matches for JavaScript.
func (f testFile) named(lang, want string) string {
	for _, name := range f.added {
		if titleMatches(lang, want, name) {
			return name
		}
	}
	return ""
}

// extended is the test TEST_CMD's want names among all the file's tests,
// for a diff that changes an existing test (new rows in a table test).
func (f testFile) extended(lang, want string) string {
	for _, t := range f.tests {
		if titleMatches(lang, want, t.name) {
			return t.name
		}
	}
	return ""
}

// titleMatches reports whether want names the test: equal for Go and
// Python; for JavaScript, want is the pattern mocha -g and jest -t match
// as a regular expression against the full title.
func titleMatches(lang, want, name string) bool {
	if lang != "js" {
		return name == want
	}
	re, err := regexp.Compile(want)
	if err != nil {
		return strings.Contains(name, want)
	}
	return re.MatchString(name)
}

var (
	goTestFunc = regexp.MustCompile(`^func (Test\w*)\(`)
	pyTestFunc = regexp.MustCompile(`^\s*(?:async\s+)?def (test\w*)\(`)
)

// defineTests finds the tests a file defines: Go's func TestX, Python's
// def test_x (functions and methods), and JavaScript's it, test and
// specify calls under describe, suite and context calls, by indentation.
func defineTests(lang, text string) []definedTest {
	lines := strings.Split(text, "\n")
	var out []definedTest
	if lang == "js" {
		return jsTests(lines)
	}
	re := goTestFunc
	if lang == "python" {
		re = pyTestFunc
	}
	for i, l := range lines {
		if m := re.FindStringSubmatch(strings.TrimRight(l, "\r")); m != nil {
			out = append(out, definedTest{m[1], i + 1})
		}
	}
	return out
}

// jsTests finds mocha and jest tests with their full titles: the titles of
// the enclosing describe, suite or context calls and the test's own,
// joined by spaces as mocha's fullTitle and jest's full name are.
func jsTests(lines []string) []definedTest {
	type block struct {
		indent int
		title  string
	}
	var stack []block
	var out []definedTest
	for i, l := range lines {
		m := jsTestCall.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		title, ok := jsTitle(m[3:])
		for k := i + 1; !ok && k < len(lines) && k <= i+2; k++ { // it(\n  'title',
			if s := jsLeadingString.FindStringSubmatch(lines[k]); s != nil {
				title, ok = jsTitle(s[1:])
			}
		}
		if !ok {
			continue
		}
		indent := len(m[1])
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		if slices.Contains([]string{"describe", "suite", "context"}, m[2]) {
			stack = append(stack, block{indent, title})
			continue
		}
		full := make([]string, 0, len(stack)+1)
		for _, b := range stack {
			full = append(full, b.title)
		}
		out = append(out, definedTest{strings.Join(append(full, title), " "), i + 1})
	}
	return out
}

// jsTitle is the string literal among the alternatives of jsString.
func jsTitle(groups []string) (string, bool) {
	for _, g := range groups {
		if g != "" {
			return strings.NewReplacer(`\'`, `'`, `\"`, `"`, `\\`, `\`).Replace(g), true
		}
	}
	return "", false
}

func names(tests []definedTest) []string {
	out := make([]string, len(tests))
	for i, t := range tests {
		out[i] = t.name
	}
	return out
}

// splitWords splits a bug.env command as a shell would, leaving variable
// assignments (MODE=dev) as words.
func splitWords(cmd string) ([]string, error) {
	words, err := testrun.SplitWords(cmd)
	if err != nil {
		return nil, fmt.Errorf("split %q: %w", cmd, err)
	}
	return words, nil
}
