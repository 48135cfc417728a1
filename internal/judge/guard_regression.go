package judge

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

var (
	goTestDecl   = regexp.MustCompile(`^func\s+((Test|Benchmark|Fuzz)\w*)\s*\(`)
	pyTestDecl   = regexp.MustCompile(`^\s*(async\s+)?def\s+(test\w*)\s*\(`)
	jsTestDecl   = regexp.MustCompile("^\\s*x?(it|test)(\\.\\w+)?\\s*\\(\\s*(['\"`])(.*?)['\"`]")
	rbTestDecl   = regexp.MustCompile(`^\s*x?(it|test|specify)\s+(['"])(.*?)['"]|^\s*def\s+(test_\w+)`)
	phpTestDecl  = regexp.MustCompile(`\bfunction\s+(test\w*)\s*\(`)
	methodDecl   = regexp.MustCompile(`\b(void|Task)\s+(\w+)\s*\(`)
	testAnnotate = regexp.MustCompile(`^\s*(@Test|@ParameterizedTest|\[(Test|Fact|Theory|TestMethod|TestCase)\b)`)
)

// testDecl returns the name of the test declared at sc.s[i], or "": a
// function name, or the title of a JavaScript or Ruby test.
func testDecl(sc scan, i int) string {
	text := sc.s[i].text
	switch sc.lang {
	case "go":
		return group(goTestDecl, text, 1)
	case "python":
		return group(pyTestDecl, text, 2)
	case "javascript":
		return group(jsTestDecl, text, 4)
	case "ruby":
		m := rbTestDecl.FindStringSubmatch(text)
		if m == nil {
			return ""
		}
		return m[3] + m[4]
	case "php":
		return group(phpTestDecl, text, 1)
	case "java", "csharp":
		if i > 0 && testAnnotate.MatchString(sc.s[i-1].text) {
			return group(methodDecl, text, 2)
		}
	}
	return ""
}

// group returns submatch n of re in text, or "".
func group(re *regexp.Regexp, text string, n int) string {
	m := re.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return m[n]
}

// checkRegressionTest reports a named regression test whose body, shown
// whole in the diff, has no assertion. A test whose declaration or end the
// diff does not show is not judged.
func checkRegressionTest(in *GuardInput, files []*fileDiff) []Finding {
	want := in.RegressionTest
	if want.Name == "" {
		return nil
	}
	for _, fd := range files {
		if want.File != "" && fd.path != want.File {
			continue
		}
		decl := declPattern(fd.lang, want.Name)
		for _, h := range fd.hunks {
			sc := scan{s: h.new, lang: fd.lang, atEOF: h.atEOF}
			for i := range sc.s {
				if testDecl(sc, i) != want.Name && (decl == nil || !decl.MatchString(sc.s[i].text)) {
					continue
				}
				body, ok := testBody(sc, i, want.Name)
				if ok && !asserts(body, fd.lang) {
					return []Finding{fd.findingAt(ruleEmptyRegression, sc.s[i].n,
						"regression test %s asserts nothing", want.Name)}
				}
				return nil
			}
		}
	}
	return nil
}

// declPattern matches a declaration of a function called name in lang
// (for tests that do not follow the usual naming, e.g. Java without
// @Test), or is nil when lang has no such form.
func declPattern(lang lang.Language, name string) *regexp.Regexp {
	q := regexp.QuoteMeta(name)
	switch lang {
	case "go":
		return regexp.MustCompile(`^func\s+` + q + `\s*\(`)
	case "python", "ruby":
		return regexp.MustCompile(`^\s*(async\s+)?def\s+` + q + `\b`)
	case "java", "csharp":
		return regexp.MustCompile(`\b(void|Task)\s+` + q + `\s*\(`)
	case "php":
		return regexp.MustCompile(`\bfunction\s+` + q + `\s*\(`)
	}
	return nil
}

// testBody returns the code of the test declared at sc.s[i] with its name
// removed, and whether the diff shows the body whole.
func testBody(sc scan, i int, name string) (string, bool) {
	var j int
	var ok bool
	switch sc.lang {
	case "python", "ruby":
		j, ok = indentEnd(sc.s, i, sc.lang, sc.atEOF)
	default:
		j, ok = blockEnd(sc.s, i, 0, sc.lang)
	}
	if !ok {
		return "", false
	}
	var b strings.Builder
	fmt.Fprintln(&b, code(strings.Replace(sc.s[i].text, name, "", 1), sc.lang))
	for _, l := range sc.s[i+1 : j+1] {
		fmt.Fprintln(&b, code(l.text, sc.lang))
	}
	return b.String(), true
}

// asserts reports whether a test body checks anything.
func asserts(body string, lang lang.Language) bool {
	for _, line := range strings.Split(body, "\n") {
		if isAssertion(line, lang) || (lang == "go" && goHelperCall.MatchString(line)) {
			return true
		}
	}
	return false
}
