package judge

import (
	"regexp"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// ruleSwallowed names the swallowed-error findings.
const ruleSwallowed = "swallowed-error"

// swallowDetector returns the swallowed-error detector of lang, or nil.
func swallowDetector(lang lang.Language) detector {
	switch lang {
	case "go":
		return firstOf(goDiscardedErr, goNilOnErr, goRecover)
	case "python":
		return firstOf(pyBareExcept, pyExceptClause)
	case "javascript":
		return firstOf(jsCatchCallback, braceCatch)
	case "java", "csharp":
		return braceCatch
	case "ruby":
		return firstOf(rubyRescueNil, rubyEmptyRescue)
	case "php":
		return firstOf(braceCatch, phpSuppress)
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
	// braceNothing is a statement that gives the caller nothing.
	braceNothing = regexp.MustCompile(`^return(\s+(null|undefined|void\s+0|nil))?;?$`)
	// braceReport matches throwing, logging, reporting and passing the
	// error on (to a callback, a promise or the next middleware).
	braceReport = regexp.MustCompile(`\bthrow\b|\bconsole\.\w+\(|\blog\w*\.\w+\(|\blogger\b|` +
		`\.(error|warn|warning|exception|fatal|log|severe)\(|\bSentry\.|\bcapture\w*\(|\breject\(|` +
		`\bnext\(\s*\w|\b(cb|callback|done)\(\s*\w|\bprintStackTrace\(|\b(error_log|trigger_error)\(`)
)

// braceCatch finds a catch block that swallows the error: empty (or only
// comments), or only returning nothing. One that neither throws, logs nor
// passes the error on, but does something else, is noted as a fallback
// (JavaScript, TypeScript, Java, C#, PHP).
func braceCatch(sc scan, i int) (hit, bool) {
	loc := catchOpen.FindStringIndex(code(sc.s[i].text, sc.lang))
	if loc == nil {
		return hit{}, false
	}
	body, j, ok := braceBody(sc, i, loc[1]-1)
	if !ok {
		return hit{}, false
	}
	return catchHit(i, j, body, "empty catch block swallows the error", "catch")
}

// catchHit classifies the code of a catch body spanning s[i..j]; empty is
// the message for an empty body, what names the construct.
func catchHit(i, j int, body, empty, what string) (hit, bool) {
	body = blockNote.ReplaceAllString(body, " ")
	stmts := braceStatements(body)
	switch {
	case len(stmts) == 0:
		return hit{start: i, end: j, msg: empty}, true
	case braceReport.MatchString(body):
		return hit{}, false
	case allMatch(braceNothing, stmts):
		return hit{start: i, end: j, msg: what + " that only returns nothing swallows the error: the caller gets nothing as if the call had worked"}, true
	}
	return hit{start: i, end: j, rule: ruleFallback, note: true,
		msg: what + " neither rethrows nor logs; it falls back to: " + strings.Join(stmts, " ")}, true
}

// braceStatements returns the trimmed lines of code in body.
func braceStatements(body string) []string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
