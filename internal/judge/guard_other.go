package judge

import (
	"regexp"
	"strings"
)

var (
	jsCatchArrow = regexp.MustCompile(`\.catch\(\s*(async\s+)?(\(\s*[\w$]*\s*(:\s*[\w$]+)?\s*\)|[\w$]+)\s*=>\s*(\{\s*\}|null|undefined|void\s+0)\s*\)`)
	jsCatchFunc  = regexp.MustCompile(`\.catch\(\s*(async\s+)?function\s*[\w$]*\s*\([^)]*\)\s*\{\s*\}\s*\)`)
	rbRescueNil  = regexp.MustCompile(`\brescue\s+nil\b`)
	rbRescue     = regexp.MustCompile(`^rescue\b`)
	rbClauseEnd  = regexp.MustCompile(`^(end|ensure|else|rescue)\b`)
	phpAt        = regexp.MustCompile(`(^|[^\w\\$@])@\s*[\\\w$]+(\s*(->|::)\s*[\w$]+)*\s*\(`)
)

// jsEmptyCatchCallback finds a promise .catch whose handler does nothing.
func jsEmptyCatchCallback(sc scan, i int) (hit, bool) {
	masked := code(sc.s[i].text, "js")
	if !jsCatchArrow.MatchString(masked) && !jsCatchFunc.MatchString(masked) {
		return hit{}, false
	}
	return hit{start: i, end: i, msg: ".catch with an empty handler swallows the rejection"}, true
}

// rubyRescueNil finds the rescue nil modifier.
func rubyRescueNil(sc scan, i int) (hit, bool) {
	if !rbRescueNil.MatchString(code(sc.s[i].text, "ruby")) {
		return hit{}, false
	}
	return hit{start: i, end: i, msg: "rescue nil discards the error"}, true
}

// rubyEmptyRescue finds a rescue clause with no body (or only nil) before
// the next clause or end.
func rubyEmptyRescue(sc scan, i int) (hit, bool) {
	if !rbRescue.MatchString(strings.TrimSpace(code(sc.s[i].text, "ruby"))) {
		return hit{}, false
	}
	j, ok := nextCode(sc, i)
	if ok && strings.TrimSpace(code(sc.s[j].text, "ruby")) == "nil" {
		j, ok = nextCode(sc, j)
	}
	if !ok || indentOf(sc.s[j].text) > indentOf(sc.s[i].text) ||
		!rbClauseEnd.MatchString(strings.TrimSpace(code(sc.s[j].text, "ruby"))) {
		return hit{}, false
	}
	return hit{start: i, end: j, msg: "empty rescue swallows the error"}, true
}

// phpSuppress finds the @ error-suppression operator on a call.
func phpSuppress(sc scan, i int) (hit, bool) {
	masked := code(sc.s[i].text, "php")
	if isCommentLine(strings.TrimSpace(masked)) || !phpAt.MatchString(masked) {
		return hit{}, false
	}
	return hit{start: i, end: i, msg: "@ suppresses the errors of this call"}, true
}
