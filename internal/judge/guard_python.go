package judge

import (
	"regexp"
	"strings"
)

var (
	pyExcept     = regexp.MustCompile(`^except\b[^:]*:\s*(pass|\.\.\.)?$`)
	pyBare       = regexp.MustCompile(`^except\s*:`)
	pyPassOrDots = regexp.MustCompile(`^(pass|\.\.\.)$`)
)

// pyExceptPass finds an except clause whose whole body is pass (or ...).
func pyExceptPass(sc scan, i int) (hit, bool) {
	line := strings.TrimSpace(code(sc.s[i].text, "python"))
	m := pyExcept.FindStringSubmatch(line)
	if m == nil {
		return hit{}, false
	}
	msg := "except that only passes swallows the error"
	if pyBare.MatchString(line) {
		msg = "bare except: that only passes swallows every error"
	}
	if m[1] != "" {
		return hit{start: i, end: i, msg: msg}, true
	}
	base := indentOf(sc.s[i].text)
	j, ok := nextCode(sc, i)
	if !ok || indentOf(sc.s[j].text) <= base || !pyPassOrDots.MatchString(strings.TrimSpace(code(sc.s[j].text, "python"))) {
		return hit{}, false
	}
	if k, ok := nextCode(sc, j); ok && indentOf(sc.s[k].text) > base {
		return hit{}, false
	}
	return hit{start: i, end: j, msg: msg}, true
}

// pyBareExcept finds a bare except:, which also catches KeyboardInterrupt
// and SystemExit.
func pyBareExcept(sc scan, i int) (hit, bool) {
	if !pyBare.MatchString(strings.TrimSpace(code(sc.s[i].text, "python"))) {
		return hit{}, false
	}
	return hit{start: i, end: i, msg: "bare except: catches every exception, including KeyboardInterrupt and SystemExit"}, true
}
