package judge

import (
	"regexp"
	"strings"
)

var (
	goDiscard  = regexp.MustCompile(`^_\s*=\s*\w*(err|Err)\w*$`)
	goErrCheck = regexp.MustCompile(`^\s*if\b.*\b\w*(err|Err)\w*\s*!=\s*nil\s*\{`)
)

// goDiscardedErr finds `_ = err`.
func goDiscardedErr(sc scan, i int) (hit, bool) {
	if !goDiscard.MatchString(strings.TrimSpace(code(sc.s[i].text, "go"))) {
		return hit{}, false
	}
	return hit{start: i, end: i, msg: "_ = err discards the error"}, true
}

// goNilOnErr finds an `if err != nil` block that returns a nil error from
// a function whose last result is an error.
func goNilOnErr(sc scan, i int) (hit, bool) {
	masked := code(sc.s[i].text, "go")
	loc := goErrCheck.FindStringIndex(masked)
	if loc == nil || !goReturnsError(enclosingFunc(sc, i)) {
		return hit{}, false
	}
	body, j, ok := braceBody(sc, i, loc[1]-1)
	if !ok {
		return hit{}, false
	}
	for _, stmt := range directStatements(body) {
		if ret, ok := strings.CutPrefix(stmt, "return"); ok && lastResult(ret) == "nil" {
			return hit{start: i, end: j, msg: "returns a nil error when err is not nil: the error is dropped"}, true
		}
	}
	return hit{}, false
}

// goRecover finds a recover() whose block makes the panic vanish: it sets
// the error result to nil (the panic becomes a success with whatever
// results are set), or it neither panics again, logs, sends it on, nor
// sets an error. Setting a non-nil error counts whether or not the error
// wraps the panic value: the caller still sees a failure.
func goRecover(sc scan, i int) (hit, bool) {
	col := strings.Index(code(sc.s[i].text, "go"), "recover()")
	if col < 0 {
		return hit{}, false
	}
	j, body, ok := enclosingEnd(sc.s, i, col, "go")
	if !ok {
		return hit{}, false
	}
	set, zeroed := goErrAssigns(body)
	switch {
	case zeroed:
		return hit{start: i, end: j, msg: "recover() sets the error to nil: the panic becomes a success"}, true
	case set || goReports(body):
		return hit{}, false
	}
	return hit{start: i, end: j, msg: "recover() without re-panicking, logging or returning an error hides the panic"}, true
}

// goErrAssigns looks at the assignments and returns in the code of a
// recover block: set is true when one gives an error variable a value that
// is not nil, zeroed when one sets it to nil or returns a nil error.
func goErrAssigns(body string) (set, zeroed bool) {
	for _, stmt := range goStatements(body) {
		if ret, ok := strings.CutPrefix(stmt, "return "); ok {
			zeroed = zeroed || (strings.Contains(ret, ",") && lastResult(ret) == "nil")
			continue
		}
		m := goAssign.FindStringSubmatch(stmt)
		if m == nil {
			continue
		}
		lhs, rhs := splitTop(m[1]), splitTop(m[2])
		for k, name := range lhs {
			if !goErrName.MatchString(name) {
				continue
			}
			if len(rhs) == len(lhs) && rhs[k] == "nil" {
				zeroed = true
			} else {
				set = true
			}
		}
	}
	return set, zeroed
}

var (
	goAssign  = regexp.MustCompile(`^([\w.*]+(?:\s*,\s*[\w.*]+)*)\s*=\s*([^=].*)$`)
	goErrName = regexp.MustCompile(`^\*?(\w+\.)*\w*(err|Err)\w*$`)
	// goReport matches re-panicking and logging or reporting calls; goMake
	// masks the calls that only build an error, which goReport would match.
	goReport = regexp.MustCompile(`\bpanic\(|\blog\w*\.|\bslog\.|[lL]ogger\b|\bfmt\.Fprint|\bsentry\.|` +
		`\.(Errorf|Warn|Warnf|Print|Printf|Println|Fatal|Fatalf|Log|Logf|Capture\w*|Recover\w*|PrintStack)\(|` +
		`\.Error\(\s*[^)\s]|[\w\])]\s*<-`)
	goMake = regexp.MustCompile(`\b(fmt|errors|xerrors)\.\w+\(`)
)

// goReports reports whether code panics again, logs, reports, or sends
// the panic on over a channel.
func goReports(code string) bool {
	return goReport.MatchString(goMake.ReplaceAllString(code, "("))
}

// goStatements splits code into its statements, nested blocks included.
func goStatements(code string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(code, func(r rune) bool { return strings.ContainsRune("\n;{}", r) }) {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// splitTop splits a comma-separated list at the commas outside brackets,
// trimming each element.
func splitTop(list string) []string {
	var out []string
	depth, start := 0, 0
	for k, c := range list {
		switch c {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(list[start:k]))
				start = k + 1
			}
		}
	}
	return append(out, strings.TrimSpace(list[start:]))
}

// enclosingFunc returns the nearest top-level func line above s[i], or the
// hunk's function line.
func enclosingFunc(sc scan, i int) string {
	for k := i; k >= 0; k-- {
		if strings.HasPrefix(sc.s[k].text, "func ") {
			return sc.s[k].text
		}
	}
	if strings.HasPrefix(sc.comment, "func ") {
		return sc.comment
	}
	return ""
}

// goReturnsError reports whether the one-line signature sig declares an
// error as its last result.
func goReturnsError(sig string) bool {
	rest, ok := strings.CutPrefix(strings.TrimSpace(code(sig, "go")), "func")
	if !ok {
		return false
	}
	rest = strings.TrimSpace(rest)
	if strings.HasPrefix(rest, "(") {
		rest = afterBalanced(rest, '(', ')')
	}
	rest = strings.TrimLeft(strings.TrimSpace(rest), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
	if strings.HasPrefix(rest, "[") {
		rest = afterBalanced(rest, '[', ']')
	}
	results := strings.TrimSuffix(strings.TrimSpace(afterBalanced(strings.TrimSpace(rest), '(', ')')), "{")
	results = strings.Trim(strings.TrimSpace(results), "()")
	fields := strings.Fields(lastResult(results))
	return len(fields) > 0 && fields[len(fields)-1] == "error"
}

// afterBalanced returns what follows the balanced group s starts with.
func afterBalanced(s string, open, close rune) string {
	depth := 0
	for k, c := range s {
		switch c {
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return s[k+1:]
			}
		}
	}
	return ""
}

// lastResult returns the last comma-separated element of list, trimmed.
func lastResult(list string) string {
	return strings.TrimSpace(list[strings.LastIndex(list, ",")+1:])
}

// directStatements splits the code of a block body into the statements
// that are directly in it, leaving out nested blocks' contents.
func directStatements(body string) []string {
	var out []string
	var cur strings.Builder
	depth := 0
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	for _, c := range body {
		switch {
		case c == '{':
			depth++
		case c == '}':
			depth--
		case depth == 0 && (c == '\n' || c == ';'):
			flush()
		case depth == 0:
			cur.WriteRune(c)
		}
	}
	flush()
	return out
}

// braceBody returns the code inside the brace block that opens at column
// open of sc.s[i], and the index of its closing line.
func braceBody(sc scan, i, open int) (string, int, bool) {
	j, ok := blockEnd(sc.s, i, open, sc.lang)
	if !ok {
		return "", 0, false
	}
	text := code(sc.s[i].text, sc.lang)[open:]
	for k := i + 1; k <= j; k++ {
		text += "\n" + code(sc.s[k].text, sc.lang)
	}
	end := closingBrace(text)
	if end < 1 {
		return "", 0, false
	}
	return text[1:end], j, true
}
