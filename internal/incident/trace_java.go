package incident

import (
	"strconv"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// sniffJava reports lines typical of Java stack traces.
func sniffJava(s string) bool {
	if strings.HasPrefix(s, "at ") {
		_, ok := javaFrame(s)
		return ok
	}
	return strings.HasPrefix(s, "Caused by: ") || javaMore(s) >= 0
}

// javaFrame parses "at pkg.Class.method(File.java:12)", with an optional
// module or class loader prefix ("java.base/", "app//") and logback's
// packaging suffix (" ~[jar:1.0]").
func javaFrame(s string) (Frame, bool) {
	s, ok := strings.CutPrefix(strings.TrimSpace(s), "at ")
	if !ok {
		return Frame{}, false
	}
	if i := strings.LastIndex(s, " ["); i > 0 && strings.HasSuffix(s, "]") {
		s = strings.TrimSuffix(s[:i], " ~")
	} else if i := strings.LastIndex(s, " ~["); i > 0 && strings.HasSuffix(s, "]") {
		s = s[:i]
	}
	open := strings.LastIndexByte(s, '(')
	if open <= 0 || !strings.HasSuffix(s, ")") || strings.ContainsAny(s[:open], " ()") {
		return Frame{}, false
	}
	loc, name := s[open+1:len(s)-1], s[:open]
	f, ok := javaLocation(loc)
	if !ok {
		return Frame{}, false
	}
	name = name[strings.LastIndexByte(name, '/')+1:]
	dot := strings.LastIndexByte(name, '.')
	if dot <= 0 {
		return Frame{}, false
	}
	f.Module, f.Function = name[:dot], name[dot+1:]
	f.InApp = guessInApp(lang.Java, f)
	return f, true
}

// javaLocation parses "File.java:12", "File.java", "Native Method" and
// "Unknown Source".
func javaLocation(loc string) (Frame, bool) {
	if loc == "Native Method" || loc == "Unknown Source" {
		return Frame{}, true
	}
	if rest, ok := strings.CutPrefix(loc, "Unknown Source:"); ok {
		n, err := strconv.Atoi(rest)
		return Frame{Line: n}, err == nil
	}
	file, line, _, ok := cutLineCol(loc)
	if !ok {
		file = loc
	}
	dot := strings.LastIndexByte(file, '.')
	if dot <= 0 || dot == len(file)-1 || strings.ContainsAny(file, " :/\\") {
		return Frame{}, false
	}
	return Frame{File: file, Line: line}, true
}

// javaMore returns N of "... N more" and "... N common frames omitted",
// or -1.
func javaMore(s string) int {
	rest, ok := strings.CutPrefix(s, "... ")
	if !ok {
		return -1
	}
	num, tail, _ := strings.Cut(rest, " ")
	n, err := strconv.Atoi(num)
	if err != nil || tail != "more" && tail != "common frames omitted" {
		return -1
	}
	return n
}

// javaExc is one exception of a Java trace, frames innermost first as
// printed, with the count of frames it shares with the one around it.
type javaExc struct {
	Exception
	more int
}

// parseJava reads Java (and Kotlin, Scala) stack traces: "Caused by:" and
// "Suppressed:" sections, "... N more" and "... N common frames omitted"
// (restored from the enclosing trace), logback's "~[jar:version]",
// multi-line messages. Java prints the propagated exception first and each
// stack innermost first.
func parseJava(lines []traceLine) (*Incident, error) {
	var traces [][]Exception
	from := 0
	for i := 0; i < len(lines); i++ {
		if _, ok := javaFrame(lines[i].text); !ok {
			continue
		}
		head := javaHeader(lines, from, i)
		excs, end := javaTrace(lines, head, i)
		traces = append(traces, javaSentryOrder(excs))
		from, i = end, end-1
	}
	if len(traces) == 0 {
		return nil, noTrace("Java stack trace")
	}
	return assemble(traces), nil
}

// javaHeader finds the line that starts the trace whose first frame is
// lines[first], looking back at most 20 lines and not past lines[from] or
// the start of a log record: the earliest line naming an exception class,
// else the nearest line naming a class, else the line just before. It
// returns first when there is none.
func javaHeader(lines []traceLine, from, first int) int {
	nearest, earliest := -1, -1
	for j := first - 1; j >= max(from, first-20); j-- {
		s := strings.TrimSpace(lines[j].text)
		if javaMore(s) >= 0 {
			break
		}
		typ, _ := splitHeader(stripJavaPrefix(s))
		switch {
		case typ != "" && isExceptionName(typ):
			earliest = j
		case typ != "" && strings.Contains(typ, ".") && nearest < 0:
			nearest = j
		}
		if lines[j].logged {
			break
		}
	}
	switch {
	case earliest >= 0:
		return earliest
	case nearest >= 0:
		return nearest
	case first > from && strings.TrimSpace(lines[first-1].text) != "":
		return first - 1
	}
	return first
}

// isExceptionName reports whether a type's simple name reads like an
// exception class.
func isExceptionName(typ string) bool {
	simple := typ[strings.LastIndexAny(typ, ".$:")+1:]
	for _, w := range []string{"Exception", "Error", "Throwable", "Failure", "Fault", "Panic"} {
		if strings.Contains(simple, w) {
			return true
		}
	}
	return false
}

// stripJavaPrefix removes the prefixes of exception headers.
func stripJavaPrefix(s string) string {
	if rest, ok := strings.CutPrefix(s, "Exception in thread \""); ok {
		if _, after, ok := strings.Cut(rest, "\" "); ok {
			return after
		}
	}
	s = strings.TrimPrefix(s, "Caused by: ")
	return strings.TrimPrefix(s, "Suppressed: ")
}

// javaTrace reads one trace: the header at lines[head], its frames from
// lines[first], and the sections after them. It returns the exceptions in
// printed order and the index of the first line after the trace.
func javaTrace(lines []traceLine, head, first int) ([]javaExc, int) {
	cur := javaExc{more: -1}
	if head < first {
		cur.Type, cur.Message = javaMessage(lines[head:first])
	}
	var excs []javaExc
	i := first
	for ; i < len(lines); i++ {
		s := strings.TrimSpace(lines[i].text)
		if f, ok := javaFrame(s); ok {
			cur.Frames = append(cur.Frames, f)
			continue
		}
		if n := javaMore(s); n >= 0 {
			cur.more = n
			continue
		}
		if !strings.HasPrefix(s, "Caused by: ") && !strings.HasPrefix(s, "Suppressed: ") {
			break
		}
		excs = append(excs, cur)
		end := javaSectionEnd(lines, i)
		cur = javaExc{more: -1}
		cur.Type, cur.Message = javaMessage(lines[i:end])
		i = end - 1
	}
	return append(excs, cur), i
}

// javaSectionEnd returns the end of a "Caused by:" header that starts at
// lines[i]: its message runs up to the next frame, "... N more" or section,
// when one follows within 20 lines; else the header is one line.
func javaSectionEnd(lines []traceLine, i int) int {
	for j := i + 1; j < len(lines) && j <= i+20; j++ {
		s := strings.TrimSpace(lines[j].text)
		if _, ok := javaFrame(s); ok || javaMore(s) >= 0 ||
			strings.HasPrefix(s, "Caused by: ") || strings.HasPrefix(s, "Suppressed: ") {
			return j
		}
	}
	return i + 1
}

// javaMessage reads the type and the message of a header that spans
// lines, trailing blank lines dropped.
func javaMessage(lines []traceLine) (typ, msg string) {
	typ, msg = splitHeader(stripJavaPrefix(strings.TrimSpace(lines[0].text)))
	end := len(lines)
	for end > 1 && strings.TrimSpace(lines[end-1].text) == "" {
		end--
	}
	for _, l := range lines[1:end] {
		msg = appendLine(msg, l.text)
	}
	return typ, msg
}

// javaSentryOrder restores the frames that "... N more" elides from the
// enclosing exception, orders frames outermost first and the exceptions
// causes first.
func javaSentryOrder(excs []javaExc) []Exception {
	for i := 1; i < len(excs); i++ {
		c, outer := &excs[i], excs[i-1]
		known, unknown := len(outer.Frames), max(outer.more, 0)
		if c.more <= 0 || c.more > known+unknown || c.more <= unknown {
			continue
		}
		shared := outer.Frames[known-(c.more-unknown):]
		c.Frames = append(c.Frames[:len(c.Frames):len(c.Frames)], shared...)
		c.more = unknown
	}
	out := make([]Exception, len(excs))
	for i, e := range excs {
		e.Frames = reversed(e.Frames)
		out[len(excs)-1-i] = e.Exception
	}
	return out
}
