package judge

import (
	"regexp"
	"strings"
)

var (
	jsCatchArrow = regexp.MustCompile(`\.catch\(\s*(async\s+)?(\(\s*[\w$]*\s*(:\s*[\w$]+)?\s*\)|[\w$]+)\s*=>\s*(\{\s*\}|null|undefined|void\s+0)\s*\)`)
	jsCatchFunc  = regexp.MustCompile(`\.catch\(\s*(async\s+)?function\s*[\w$]*\s*\([^)]*\)\s*\{\s*\}\s*\)`)
	jsCatchHead  = regexp.MustCompile(`\.catch\(\s*(async\s+)?((\(\s*[\w$]*\s*(:\s*[\w$]+)?\s*\)|[\w$]+)\s*=>|function\s*[\w$]*\s*\([^)]*\))\s*\{`)
	rbRescueNil  = regexp.MustCompile(`\brescue\s+nil\b`)
	rbRescue     = regexp.MustCompile(`^rescue\b`)
	rbClauseEnd  = regexp.MustCompile(`^(end|ensure|else|rescue)\b`)
	phpAt        = regexp.MustCompile(`(^|[^\w\\$@])@\s*[\\\w$]+(\s*(->|::)\s*[\w$]+)*\s*\(`)
)

// jsCatchCallback finds a promise .catch whose handler does nothing, on
// one line or with a block body over several, and classifies a block body
// as braceCatch does.
func jsCatchCallback(sc scan, i int) (hit, bool) {
	masked := code(sc.s[i].text, "javascript")
	if jsCatchArrow.MatchString(masked) || jsCatchFunc.MatchString(masked) {
		return hit{start: i, end: i, msg: ".catch with an empty handler swallows the rejection"}, true
	}
	loc := jsCatchHead.FindStringIndex(masked)
	if loc == nil {
		return hit{}, false
	}
	body, j, ok := braceBody(sc, i, loc[1]-1)
	if !ok {
		return hit{}, false
	}
	return catchHit(i, j, body, ".catch with an empty handler swallows the rejection", ".catch handler")
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
