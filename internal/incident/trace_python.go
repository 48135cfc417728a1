package incident

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// Python traceback lines.
const (
	pyTraceback  = "Traceback (most recent call last):"
	pyGroupTrace = "Exception Group Traceback (most recent call last):"
	pyCause      = "The above exception was the direct cause of the following exception:"
	pyContext    = "During handling of the above exception, another exception occurred:"
)

// pyFrameLine matches `  File "path", line 12, in func`.
var pyFrameLine = regexp.MustCompile(`^\s+File "(.*)", line (\d+)(?:, in (.+))?$`)

// sniffPython reports lines typical of Python tracebacks.
func sniffPython(s string) bool {
	return strings.Contains(s, pyTraceback) ||
		strings.Contains(s, `File "`) && strings.Contains(s, `", line `)
}

// pyLine is a traceback line with exception group decoration removed.
type pyLine struct {
	traceLine
	// bar is the column of the group's "|" or "+", or -1 outside groups.
	bar int
	// sep marks a group separator such as "+-+---- 1 ----".
	sep bool
}

// undecorate removes the exception group bars ("  | ", "  + ") and
// loguru's "> " frame marker from a line.
func undecorate(l traceLine) pyLine {
	p := pyLine{traceLine: l, bar: -1}
	s := l.text
	trimmed := strings.TrimLeft(s, " \t")
	if strings.HasPrefix(trimmed, "+-") {
		p.sep, p.bar = true, len(s)-len(trimmed)
		return p
	}
	for strings.HasPrefix(trimmed, "|") || strings.HasPrefix(trimmed, "+ ") {
		if p.bar < 0 {
			p.bar = len(s) - len(trimmed)
		}
		s = strings.TrimPrefix(trimmed[1:], " ")
		trimmed = strings.TrimLeft(s, " \t")
	}
	if strings.HasPrefix(trimmed, "> File ") {
		s = "  " + trimmed[2:]
	}
	p.text = s
	return p
}

// pyExc is one exception as printed, with its group depth.
type pyExc struct {
	Exception
	bar int
}

// pyParser reads tracebacks line by line.
type pyParser struct {
	lines []pyLine
	i     int
	excs  []pyExc
}

// parsePython reads Python tracebacks, chained ("direct cause", "during
// handling") and grouped (ExceptionGroup), with loguru's markers. Python
// prints causes first and the propagated exception last, and frames
// outermost first. The incident is the last exception printed outside any
// group's sub-exceptions; every other exception joins the chain.
func parsePython(lines []traceLine) (*Incident, error) {
	p := &pyParser{lines: make([]pyLine, len(lines))}
	for i, l := range lines {
		p.lines[i] = undecorate(l)
	}
	for p.i < len(p.lines) {
		if err := p.next(); err != nil {
			return nil, err
		}
	}
	if len(p.excs) == 0 {
		return nil, noTrace("Python traceback")
	}
	return p.incident(), nil
}

// next reads from the current line: a traceback, a bare exception after a
// chain message, or a line outside any traceback.
func (p *pyParser) next() error {
	l := p.lines[p.i]
	s := strings.TrimSpace(l.text)
	p.i++
	switch {
	case strings.HasSuffix(s, pyTraceback) || strings.HasSuffix(s, pyGroupTrace):
		return p.traceback(l)
	case s == pyCause || s == pyContext:
		if j := p.nextText(); j >= 0 && !isPyTraceback(p.lines[j].text) {
			p.i = j + 1
			p.exception(p.lines[j], nil)
		}
	}
	return nil
}

// nextText returns the index of the next non-blank line, or -1.
func (p *pyParser) nextText() int {
	for j := p.i; j < len(p.lines); j++ {
		if strings.TrimSpace(p.lines[j].text) != "" {
			return j
		}
	}
	return -1
}

// isPyTraceback reports whether s starts a traceback.
func isPyTraceback(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasSuffix(s, pyTraceback) || strings.HasSuffix(s, pyGroupTrace)
}

// traceback reads the frames after a traceback header and the exception
// line that ends them.
func (p *pyParser) traceback(head pyLine) error {
	var frames []Frame
	for ; p.i < len(p.lines); p.i++ {
		l := p.lines[p.i]
		switch {
		case l.sep || strings.TrimSpace(l.text) == "":
		case pyFrameLine.MatchString(l.text):
			frames = append(frames, pyFrame(l.text))
		case l.text[0] == ' ' || l.text[0] == '\t':
			if len(frames) == 0 {
				return unrecognised(l.traceLine, `'  File "…", line N, in …'`)
			}
		default:
			p.i++
			return p.exception(l, frames)
		}
	}
	return &TraceError{Line: head.no, Msg: "traceback ends before its exception line"}
}

// exception reads an exception line and the lines that continue its
// message.
func (p *pyParser) exception(l pyLine, frames []Frame) error {
	typ, msg := splitHeader(strings.TrimSpace(l.text))
	if typ == "" {
		return unrecognised(l.traceLine, "the exception line (Type: message)")
	}
	for ; p.i < len(p.lines); p.i++ {
		c := p.lines[p.i]
		s := strings.TrimSpace(c.text)
		if s == "" || c.sep || c.logged || c.bar != l.bar || s == pyCause || s == pyContext || isPyTraceback(s) {
			break
		}
		msg = appendLine(msg, c.text)
	}
	p.excs = append(p.excs, pyExc{Exception: Exception{Type: typ, Message: msg, Frames: frames}, bar: l.bar})
	return nil
}

// pyFrame builds a frame from a `File "…", line N, in f` line.
func pyFrame(s string) Frame {
	m := pyFrameLine.FindStringSubmatch(s)
	n, _ := strconv.Atoi(m[2])
	f := fileFrame(m[1], n)
	f.Function = m[3]
	f.InApp = guessInApp(lang.Python, f)
	return f
}

// incident picks the propagated exception: the last one printed outside
// the sub-exceptions of a group, which Python indents past the column of
// the "+-+---- 1 ----" line that opens them.
func (p *pyParser) incident() *Incident {
	open := -1
	for _, l := range p.lines {
		if l.sep && strings.HasPrefix(strings.TrimSpace(l.text), "+-+") && (open < 0 || l.bar < open) {
			open = l.bar
		}
	}
	last := len(p.excs) - 1
	for last > 0 && open >= 0 && p.excs[last].bar > open {
		last--
	}
	rest := make([]Exception, 0, len(p.excs))
	for i, e := range p.excs {
		if i != last {
			rest = append(rest, e.Exception)
		}
	}
	return assemble([][]Exception{rest, {p.excs[last].Exception}})
}
