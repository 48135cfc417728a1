package judge

import (
	"regexp"
	"strings"
)

// ruleSwallowed names the swallowed-error findings.
const ruleSwallowed = "swallowed-error"

// swallowDetector returns the swallowed-error detector of lang, or nil.
func swallowDetector(lang string) detector {
	switch lang {
	case "go":
		return firstOf(goDiscardedErr, goNilOnErr, goBareRecover)
	case "python":
		return firstOf(pyExceptPass, pyBareExcept)
	case "js":
		return firstOf(jsEmptyCatchCallback, emptyCatch)
	case "java", "csharp":
		return emptyCatch
	case "ruby":
		return firstOf(rubyRescueNil, rubyEmptyRescue)
	case "php":
		return firstOf(emptyCatch, phpSuppress)
	}
	return nil
}

// checkSwallowed reports error handling the change newly swallows.
func checkSwallowed(_ *GuardInput, fd *fileDiff) []Finding {
	det := swallowDetector(fd.lang)
	if det == nil {
		return nil
	}
	return newHits(fd, ruleSwallowed, det)
}

var (
	catchOpen = regexp.MustCompile(`(?:^|[^.\w$])catch\b\s*(\([^)]*\))?\s*\{`)
	blockNote = regexp.MustCompile(`(?s)/\*.*?\*/`)
)

// emptyCatch finds a catch block with nothing in it but comments
// (JavaScript, TypeScript, Java, C#, PHP).
func emptyCatch(sc scan, i int) (hit, bool) {
	loc := catchOpen.FindStringIndex(code(sc.s[i].text, sc.lang))
	if loc == nil {
		return hit{}, false
	}
	body, j, ok := braceBody(sc, i, loc[1]-1)
	if !ok || strings.TrimSpace(blockNote.ReplaceAllString(body, " ")) != "" {
		return hit{}, false
	}
	return hit{start: i, end: j, msg: "empty catch block swallows the error"}, true
}
