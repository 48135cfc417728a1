package judge

import (
	"regexp"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// Test rule names.
const (
	ruleDeletedTest     = "deleted-test"
	ruleSkippedTest     = "skipped-test"
	ruleRemovedAsserts  = "removed-assertions"
	ruleEmptyRegression = "empty-regression-test"
)

var (
	// assertion matches a line that checks something, in any language.
	assertion = regexp.MustCompile(`\bt\.(Error|Errorf|Fatal|Fatalf|Fail|FailNow)\b|\bassert\w*\b|` +
		`\brequire\.\w+|\bexpect\s*\(|\bpytest\.raises\b|\bAssert\.\w+|\.should\b|\bmust_\w+|\bExpect\(`)
	// goHelperCall matches a Go call that hands t to a helper that asserts.
	goHelperCall = regexp.MustCompile(`\w\(\s*t\s*[,)]`)
	skipPattern  = map[lang.Language]*regexp.Regexp{
		"go":     regexp.MustCompile(`\b[tbf]\.Skip(f|Now)?\(`),
		"python": regexp.MustCompile(`@(unittest\.)?skip(If|Unless)?\b|\bpytest\.mark\.(skip|skipif|xfail)\b|\bpytest\.(skip|xfail)\(|\.skipTest\(|^\s*(skip|xfail)\(`),
		"javascript": regexp.MustCompile(`\b(it|test|describe|context|suite)\.(skip|todo|only)\b|` +
			`\bx(it|test|describe|context)\s*\(|\bf(it|describe)\s*\(`),
		"java":   regexp.MustCompile(`@(Disabled|Ignore)\b`),
		"csharp": regexp.MustCompile(`\[\s*Ignore\b|\bSkip\s*=`),
		"ruby":   regexp.MustCompile(`^\s*(skip|pending)\b|\bx(it|describe|context|specify)\b`),
		"php":    regexp.MustCompile(`\bmarkTest(Skipped|Incomplete)\(`),
	}
)

// checkTests reports added skips and removed, weakened or edited
// assertions in a test file.
func checkTests(_ *GuardInput, fd *fileDiff) []Finding {
	if !fd.test {
		return nil
	}
	out := checkAssertions(fd)
	if re, ok := skipPattern[fd.lang]; ok {
		out = append(out, newHits(fd, ruleSkippedTest, func(sc scan, i int) (hit, bool) {
			if !re.MatchString(code(sc.s[i].text, sc.lang)) {
				return hit{}, false
			}
			return hit{start: i, end: i, msg: "skips or narrows tests: " + strings.TrimSpace(sc.s[i].text)}, true
		})...)
	}
	return out
}

// isAssertion reports whether a line of code asserts something.
func isAssertion(text string, lang lang.Language) bool {
	c := code(text, lang)
	return !isCommentLine(strings.TrimSpace(c)) && assertion.MatchString(c)
}

// checkDeletedTests reports test functions the diff removes without adding
// a test of the same name anywhere.
func checkDeletedTests(_ *GuardInput, files []*fileDiff) []Finding {
	kept := map[string]bool{}
	for _, fd := range files {
		for _, h := range fd.hunks {
			for i := range h.new {
				if name := testDecl(scan{s: h.new, lang: fd.lang}, i); name != "" {
					kept[name] = true
				}
			}
		}
	}
	var out []Finding
	for _, fd := range files {
		if !fd.test {
			continue
		}
		for _, h := range fd.hunks {
			for i, l := range h.old {
				name := testDecl(scan{s: h.old, lang: fd.lang}, i)
				if l.changed && name != "" && !kept[name] {
					line := l.pos
					if fd.f.IsDelete {
						line = 0
					}
					out = append(out, fd.findingAt(ruleDeletedTest, line, "deletes test %s", name))
				}
			}
		}
	}
	return out
}
