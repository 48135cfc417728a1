package incident

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// traceLine is one line of trace text after normalisation.
type traceLine struct {
	// no is the 1-based line number in the input.
	no int
	// text is the line without colour codes and log prefix.
	text string
	// logged reports that a timestamped log prefix was stripped: the line
	// starts a new log record.
	logged bool
}

// ansiCode matches terminal colour and cursor escapes.
var ansiCode = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// logLevels are the level words of log prefixes.
const logLevels = `(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|FATAL|CRITICAL|CRIT|PANIC)`

// Log prefixes: a timestamp optionally followed by a level, or a bracketed
// level alone as Maven prints it ("[ERROR] ").
var (
	logTimestamp = regexp.MustCompile(`^\[?\d{4}[-/]\d\d[-/]\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d| ?UTC)?\]?[ \t]+(?:\[?` + logLevels + `\]?:?[ \t]+)?`)
	logLevel     = regexp.MustCompile(`^\[` + logLevels + `\][ \t]?`)
)

// traceLines splits text into normalised lines: CRLF and lone CR become
// line ends, invalid UTF-8 is replaced, colour codes and log prefixes are
// removed.
func traceLines(data []byte) []traceLine {
	text := string(data)
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	if strings.IndexByte(text, '\r') >= 0 {
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	}
	colour := strings.IndexByte(text, '\x1b') >= 0
	raw := strings.Split(text, "\n")
	lines := make([]traceLine, len(raw))
	for i, s := range raw {
		lines[i] = normaliseLine(i+1, s, colour)
	}
	return lines
}

// normaliseLine strips colour codes (when the text has any) and a log
// prefix from one line; the regular expressions run only on lines that may
// hold either.
func normaliseLine(no int, s string, colour bool) traceLine {
	if colour && strings.IndexByte(s, '\x1b') >= 0 {
		s = ansiCode.ReplaceAllString(s, "")
	}
	l := traceLine{no: no, text: s}
	if s == "" || (s[0] != '[' && (s[0] < '0' || s[0] > '9')) {
		return l
	}
	if m := logTimestamp.FindStringIndex(s); m != nil {
		l.text, l.logged = s[m[1]:], true
	} else if m := logLevel.FindStringIndex(s); m != nil {
		l.text = s[m[1]:]
	}
	return l
}

// traceLang is one language of stack trace text.
type traceLang struct {
	name lang.Language
	// sniff reports whether a trimmed line is typical of the language.
	sniff func(s string) bool
	// parse reads the text; it may assume sniff matched some lines.
	parse func(lines []traceLine) (*Incident, error)
}

// traceLangs are tried in order; the first with the most typical lines
// wins.
var traceLangs = []traceLang{
	{lang.Go, sniffGo, parseGoTrace},
	{lang.Python, sniffPython, parsePython},
	{lang.Java, sniffJava, parseJava},
	{lang.CSharp, sniffDotnet, parseDotnet},
	{lang.JavaScript, sniffJS, parseJS},
	{lang.Ruby, sniffRuby, parseRuby},
	{lang.PHP, sniffPHP, parsePHP},
}

// parseTrace reads raw stack trace text in any supported language. It
// recognises the language by its typical lines, then parses the whole text
// in it.
func parseTrace(data []byte) (*Incident, error) {
	lines := traceLines(data)
	lg := detectTrace(lines)
	if lg == nil {
		return nil, fmt.Errorf("%w: no stack trace found: want a Go panic or goroutine dump, a Python traceback, or a Java, JavaScript, .NET, Ruby or PHP stack trace", ErrUnsupportedTrace)
	}
	inc, err := lg.parse(lines)
	if err != nil {
		return nil, err
	}
	inc.Source, inc.Language = string(FormatTrace), lg.name
	return inc, nil
}

// detectTrace returns the language with the most typical lines, or nil.
// It reads from the end, where the trace that ended the process is, and
// stops once one language leads clearly.
func detectTrace(lines []traceLine) *traceLang {
	scores := make([]int, len(traceLangs))
	best := -1
	for i := len(lines) - 1; i >= 0; i-- {
		s := strings.TrimSpace(lines[i].text)
		if s == "" {
			continue
		}
		hit := false
		for k := range traceLangs {
			if traceLangs[k].sniff(s) {
				scores[k]++
				hit = true
			}
		}
		if hit && clearLead(scores, &best) {
			break
		}
	}
	if best < 0 {
		return nil
	}
	return &traceLangs[best]
}

// clearLead updates best, the index of the highest score (the earlier
// language on ties), and reports whether it leads clearly: 32 typical
// lines, 16 more than any other language.
func clearLead(scores []int, best *int) bool {
	b, second := -1, 0
	for k, n := range scores {
		if n > 0 && (b < 0 || n > scores[b]) {
			if b >= 0 {
				second = max(second, scores[b])
			}
			b = k
		} else {
			second = max(second, n)
		}
	}
	*best = b
	return b >= 0 && scores[b] >= 32 && scores[b]-second >= 16
}

// TraceError reports stack trace text that was recognised but could not be
// read, with the line of the input where reading failed.
type TraceError struct {
	// Line is the 1-based line of the input.
	Line int
	// Msg says what is wrong.
	Msg string
}

// Error returns the line and the message.
func (e *TraceError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
}

// noTrace reports text in which a language's parser found no trace.
func noTrace(what string) error {
	return fmt.Errorf("%w: no %s found", ErrUnsupportedTrace, what)
}

// unrecognised reports a line that fits no part of a trace.
func unrecognised(l traceLine, want string) *TraceError {
	return &TraceError{Line: l.no, Msg: fmt.Sprintf("unrecognised trace line %q: want %s", capString(strings.TrimSpace(l.text), 80), want)}
}

// assemble builds an incident from the traces of a text in printed order,
// each with its exceptions in Sentry order (causes first, propagated last).
// The last trace is the one that ended the process: its propagated
// exception becomes the incident; its other exceptions and then those of
// the earlier traces, as context, fill Chain: earlier traces first, causes
// first.
func assemble(traces [][]Exception) *Incident {
	inc := &Incident{}
	for len(traces) > 0 && len(traces[len(traces)-1]) == 0 {
		traces = traces[:len(traces)-1]
	}
	if len(traces) == 0 {
		return inc
	}
	cur := traces[len(traces)-1]
	last := cur[len(cur)-1]
	inc.Type, inc.Message, inc.Frames = last.Type, last.Message, capFrames(last.Frames)
	chain := cur[: len(cur)-1 : len(cur)-1]
	if len(chain) > MaxChain {
		chain = chain[:MaxChain]
	}
	var ctx []Exception
	for i := len(traces) - 2; i >= 0 && len(ctx)+len(chain) < MaxChain; i-- {
		room := MaxChain - len(ctx) - len(chain)
		t := traces[i]
		ctx = append(t[max(len(t)-room, 0):len(t):len(t)], ctx...)
	}
	inc.Chain = append(ctx, chain...)
	for i := range inc.Chain {
		inc.Chain[i].Frames = capFrames(inc.Chain[i].Frames)
	}
	if len(inc.Chain) == 0 {
		inc.Chain = nil
	}
	return inc
}

// appendLine adds a line to a multi-line message, and stops adding once
// the message is longer than clean would keep, so that a huge message
// costs linear time.
func appendLine(msg, line string) string {
	if len(msg) > 8*MaxMessageBytes {
		return msg
	}
	return msg + "\n" + line
}

// reversed returns the frames in the opposite order, for languages that
// print the crash site first.
func reversed(fs []Frame) []Frame {
	out := make([]Frame, len(fs))
	for i, f := range fs {
		out[len(fs)-1-i] = f
	}
	return out
}

// isAbsPath reports whether p is an absolute Unix or Windows path.
func isAbsPath(p string) bool {
	return strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\\`) ||
		len(p) > 2 && p[1] == ':' && (p[2] == '/' || p[2] == '\\') && isLetter(p[0])
}

// isLetter reports whether b is an ASCII letter.
func isLetter(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// fileFrame returns a frame for path, with AbsPath set when it is
// absolute.
func fileFrame(path string, line int) Frame {
	f := Frame{File: path, Line: line}
	if isAbsPath(path) {
		f.AbsPath = path
	}
	return f
}

// cutLineCol splits "path:line:col" or "path:line" into its parts; ok is
// false when loc does not end in a line number.
func cutLineCol(loc string) (path string, line, col int, ok bool) {
	path, n, ok := cutNumber(loc)
	if !ok {
		return loc, 0, 0, false
	}
	if p, m, ok := cutNumber(path); ok {
		return p, m, n, true
	}
	return path, n, 0, true
}

// cutNumber splits "s:123" into s and 123.
func cutNumber(s string) (string, int, bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 || i == len(s)-1 || len(s)-i > 10 {
		return s, 0, false
	}
	n := 0
	for _, c := range s[i+1:] {
		if c < '0' || c > '9' {
			return s, 0, false
		}
		n = n*10 + int(c-'0')
	}
	return s[:i], n, true
}

// cutParens splits "name (inside)" at the parenthesis that closes s,
// matching nested ones; ok is false when s does not end in ')' or the
// parentheses do not balance.
func cutParens(s string) (before, inside string, ok bool) {
	if !strings.HasSuffix(s, ")") {
		return s, "", false
	}
	depth := 0
	for i := len(s) - 1; i >= 0; i-- {
		switch s[i] {
		case ')':
			depth++
		case '(':
			if depth--; depth == 0 {
				return strings.TrimSpace(s[:i]), s[i+1 : len(s)-1], true
			}
		}
	}
	return s, "", false
}

// exceptionHeader matches "pkg.Type: message", "Type: message" and "Type"
// at the start of an exception.
var exceptionHeader = regexp.MustCompile(`(?s)^([A-Za-z_$][\w$.+` + "`" + `]*)(?::[ \t]?(.*))?$`)

// splitHeader splits an exception line into type and message; text that
// names no type is all message.
func splitHeader(s string) (typ, msg string) {
	m := exceptionHeader.FindStringSubmatch(s)
	if m == nil {
		return "", s
	}
	return m[1], m[2]
}
