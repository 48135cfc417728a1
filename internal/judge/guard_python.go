package judge

import (
	"regexp"
	"strings"
)

// ruleFallback names the notes about a narrow catch with a fallback.
const ruleFallback = "caught-with-fallback"

var (
	pyExcept     = regexp.MustCompile(`^except\b\s*([^:]*?)\s*:\s*(.*)$`)
	pyBare       = regexp.MustCompile(`^except\s*:`)
	pyBroad      = regexp.MustCompile(`\b(Base)?Exception\b`)
	pyPassOrDots = regexp.MustCompile(`^(pass|\.\.\.)$`)
	pyNothing    = regexp.MustCompile(`^return(\s+None)?$`)
	// pyReport matches raising, logging and reporting.
	pyReport = regexp.MustCompile(`^raise\b|\blog\w*\.\w+\(|\blogger\b|\bwarnings\.warn\(|\bprint\(|` +
		`\bsentry_sdk\.|\btraceback\.\w+\(|\.exception\(`)
	pyAssignNone = regexp.MustCompile(`^(\w+)\s*(?::[^=]+)?=\s*(.+)$`)
	pyReturnName = regexp.MustCompile(`^return\s+(\w+)$`)
	pyFuncEnd    = regexp.MustCompile(`^(async\s+def|def|class)\b|^@`)
	pyLoop       = regexp.MustCompile(`^(async\s+)?(for|while)\b.*:$`)
)

// pyExceptClause finds an except clause that makes the error vanish, and
// notes one that handles a narrow error with a fallback. Raising again,
// logging or reporting is handling. Otherwise:
//   - a body that only returns None stops: the caller gets None as if
//     the call had worked;
//   - a broad clause (Exception, BaseException) stops, whatever it falls
//     back to: it hides every other error too;
//   - a narrow clause that only passes stops, unless the code it falls
//     through to is in the diff and is not a bare or None return;
//   - any other narrow clause (an assignment, a value returned) is a note.
//
// A bare except: is pyBareExcept's.
func pyExceptClause(sc scan, i int) (hit, bool) {
	line := strings.TrimSpace(code(sc.s[i].text, "python"))
	m := pyExcept.FindStringSubmatch(line)
	if m == nil || pyBare.MatchString(line) {
		return hit{}, false
	}
	types, j, body := m[1], i, []string{m[2]}
	if m[2] == "" {
		j, body = pyBody(sc, i)
	}
	if len(body) == 0 || anyMatch(pyReport, body) {
		return hit{}, false
	}
	h := hit{start: i, end: j}
	what := "except " + strings.TrimSpace(strings.Split(types, " as ")[0])
	switch {
	case allMatch(pyNothing, body) || (pyPassOrDots.MatchString(body[0]) && len(body) > 1 && allMatch(pyNothing, body[1:])):
		h.msg = what + " returns None: the caller gets None as if the call had worked"
	case pyBroad.MatchString(types):
		h.msg = what + " neither re-raises nor logs: it hides every error, not only the one in the incident"
	case body[len(body)-1] == "continue" && allMatch(pyPassOrDots, body[:len(body)-1]):
		h.msg = what + " skips to the next item: the item and its error vanish"
	case allMatch(pyPassOrDots, body):
		next, ok := pyFallthrough(sc, i, j)
		if !ok {
			h.msg = what + " only passes and nothing defined follows: the error vanishes"
			break
		}
		h.msg, h.rule, h.note = what+" passes and falls through to: "+next, ruleFallback, true
	default:
		h.msg, h.rule, h.note = what+" falls back to: "+strings.Join(body, "; "), ruleFallback, true
	}
	return h, true
}

// pyBody returns the last line of the indented body after s[i] and the
// body's code, one trimmed line each.
func pyBody(sc scan, i int) (int, []string) {
	j, _ := indentEnd(sc.s, i, "python", sc.atEOF)
	var body []string
	for _, l := range sc.s[i+1 : j+1] {
		if !blank(l.text, "python") {
			body = append(body, strings.TrimSpace(code(l.text, "python")))
		}
	}
	return j, body
}

// pyFallthrough returns the statement the try whose except clause is
// s[i..j] falls through to after the clause passes, and whether it is a
// defined outcome: an else: clause, or a statement that neither ends the
// function nor returns None (directly, or through a name set to None
// before the try).
func pyFallthrough(sc scan, i, j int) (string, bool) {
	base := indentOf(sc.s[i].text)
	for {
		k, ok := nextCode(sc, j)
		if !ok {
			return "", false
		}
		t := strings.TrimSpace(code(sc.s[k].text, "python"))
		if indentOf(sc.s[k].text) == base && (strings.HasPrefix(t, "except") || strings.HasPrefix(t, "finally")) {
			j, _ = indentEnd(sc.s, k, "python", sc.atEOF)
			continue
		}
		switch {
		case indentOf(sc.s[k].text) == base && strings.HasPrefix(t, "else"):
			return "the try's else: clause", true
		case pyFuncEnd.MatchString(t), pyNothing.MatchString(t):
			return "", false
		case indentOf(sc.s[k].text) < base && pyInLoop(sc, i, base):
			return "", false // the loop goes on to its next item: this one vanishes
		}
		if m := pyReturnName.FindStringSubmatch(t); m != nil && pyNoneBeforeTry(sc, i, m[1]) {
			return "", false
		}
		return t, true
	}
}

// pyInLoop reports whether the try of the except clause at s[i], at
// indentation base, is the end of a for or while loop's body: the
// nearest line above it that is indented less is the loop's header.
func pyInLoop(sc scan, i, base int) bool {
	for k := i - 1; k >= 0; k-- {
		if blank(sc.s[k].text, "python") || indentOf(sc.s[k].text) >= base {
			continue
		}
		return pyLoop.MatchString(strings.TrimSpace(code(sc.s[k].text, "python")))
	}
	return false
}

// pyNoneBeforeTry reports whether the last assignment to name above the
// try of the except clause at s[i], at the try's indentation, is None.
func pyNoneBeforeTry(sc scan, i int, name string) bool {
	base := indentOf(sc.s[i].text)
	k := i - 1
	for ; k >= 0; k-- {
		if indentOf(sc.s[k].text) == base && strings.TrimSpace(code(sc.s[k].text, "python")) == "try:" {
			break
		}
	}
	for k--; k >= 0; k-- {
		if blank(sc.s[k].text, "python") || indentOf(sc.s[k].text) != base {
			continue
		}
		m := pyAssignNone.FindStringSubmatch(strings.TrimSpace(code(sc.s[k].text, "python")))
		if m != nil && m[1] == name {
			return strings.TrimSpace(m[2]) == "None"
		}
	}
	return false
}

// pyBareExcept finds a bare except:, which also catches KeyboardInterrupt
// and SystemExit.
func pyBareExcept(sc scan, i int) (hit, bool) {
	if !pyBare.MatchString(strings.TrimSpace(code(sc.s[i].text, "python"))) {
		return hit{}, false
	}
	return hit{start: i, end: i, msg: "bare except: catches every exception, including KeyboardInterrupt and SystemExit"}, true
}

// anyMatch reports whether re matches one of lines.
func anyMatch(re *regexp.Regexp, lines []string) bool {
	for _, l := range lines {
		if re.MatchString(l) {
			return true
		}
	}
	return false
}

// allMatch reports whether re matches every one of lines.
func allMatch(re *regexp.Regexp, lines []string) bool {
	for _, l := range lines {
		if !re.MatchString(l) {
			return false
		}
	}
	return true
}
