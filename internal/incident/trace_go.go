package incident

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// Patterns of the Go runtime's crash output and of net/http's recovered
// panics.
var (
	goPanicLine = regexp.MustCompile(`^\s*panic: (.*)$`)
	goFatalLine = regexp.MustCompile(`^fatal error: (.*)$`)
	goHTTPPanic = regexp.MustCompile(`http: panic serving (\S+?): (.*)$`)
	goRecovered = regexp.MustCompile(`\s*\[recovered(?:, repanicked)?\]$`)
	// goGoroutine matches a goroutine header, also indented or after a
	// test log's "file_test.go:12: " prefix, as t.Log(debug.Stack()) and
	// goleak print it inside go test output.
	goGoroutine = regexp.MustCompile(`^\s*(?:[\w.-]+\.go:\d+: )?goroutine (\d+)(?: [^\[]*)?\[([^\]]*)\]:\s*$`)
	// goLeakHeader matches the header goleak 1.3 prints instead of the
	// runtime's: "[Goroutine 13 in state chan send, 1 minutes, with
	// pkg.f on top of the stack:".
	goLeakHeader = regexp.MustCompile(`^\s*\[?Goroutine (\d+) in state ([^,]+)(?:, [^,]+)*?, with \S+ on top of the stack:\s*$`)
)

// goRaceHeader starts a race detector report.
const goRaceHeader = "WARNING: DATA RACE"

// goroutine is one goroutine of a dump; frames are as printed, innermost
// first.
type goroutine struct {
	id, state string
	frames    []rawFrame
}

// rawFrame is a frame as printed, built into a Frame only for the
// goroutine that is picked.
type rawFrame struct {
	fn, file string
	line     int
}

// sniffGo reports lines typical of Go crash output.
func sniffGo(s string) bool {
	return strings.HasPrefix(s, "goroutine ") && strings.HasSuffix(s, ":") ||
		strings.HasPrefix(s, "panic: ") || strings.HasPrefix(s, "fatal error: ") ||
		s == goRaceHeader || strings.Contains(s, "http: panic serving ") ||
		strings.Contains(s, ".go:") && (s[0] == '/' || strings.Contains(s, " +0x"))
}

// parseGoTrace reads Go panics, fatal errors, goroutine dumps, net/http's
// "http: panic serving" and race reports.
func parseGoTrace(tl []traceLine) (*Incident, error) {
	lines := make([]string, len(tl))
	for i, l := range tl {
		lines[i] = l.text
	}
	if i := slices.IndexFunc(lines, func(l string) bool { return strings.TrimSpace(l) == goRaceHeader }); i >= 0 {
		return parseRace(lines[i+1:]), nil
	}
	inc := &Incident{}
	found := goHeader(lines, inc)
	gs := goroutines(lines)
	if !found && len(gs) == 0 {
		return nil, fmt.Errorf("%w: want a Go panic, fatal error, goroutine dump or race report", ErrUnsupportedTrace)
	}
	if len(gs) > 0 {
		fs := trimPanic(goFrames(pickGoroutine(gs).frames))
		slices.Reverse(fs)
		inc.Frames = capFrames(fs)
	}
	return inc, nil
}

// goHeader reads the panic, fatal error or http panic message before the
// first goroutine. With nested panics the last one is the one that killed
// the program.
func goHeader(lines []string, inc *Incident) bool {
	found := false
	for i := 0; i < len(lines) && !isGoroutineHeader(lines[i]); i++ {
		line := lines[i]
		if m := goHTTPPanic.FindStringSubmatch(line); m != nil {
			inc.Type, inc.Message, found = panicType(m[2]), m[2], true
		} else if m := goPanicLine.FindStringSubmatch(line); m != nil {
			msg := m[1]
			for i+1 < len(lines) && continuesMessage(lines[i+1]) {
				i++
				msg = appendLine(msg, lines[i])
			}
			msg = goRecovered.ReplaceAllString(msg, "")
			inc.Type, inc.Message, found = panicType(msg), msg, true
		} else if m := goFatalLine.FindStringSubmatch(line); m != nil {
			inc.Type, inc.Message, found = "fatal error", m[1], true
		}
	}
	return found
}

// isGoroutineHeader reports whether line starts a goroutine's stack.
func isGoroutineHeader(line string) bool {
	_, _, ok := goroutineHeader(line)
	return ok
}

// goroutineHeader reads the id and state of a goroutine header.
func goroutineHeader(line string) (id, state string, ok bool) {
	if !strings.Contains(line, "oroutine ") {
		return "", "", false
	}
	m := goGoroutine.FindStringSubmatch(line)
	if m == nil {
		m = goLeakHeader.FindStringSubmatch(line)
	}
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// continuesMessage reports whether line continues a multi-line panic value.
func continuesMessage(line string) bool {
	return strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "[signal ") &&
		!isGoroutineHeader(line) && !goPanicLine.MatchString(line) && !goFatalLine.MatchString(line)
}

// panicType names the type of a panic value seen only as text: runtime
// errors say so, everything else is a plain panic.
func panicType(msg string) string {
	if strings.HasPrefix(msg, "runtime error: ") {
		return "runtime.Error"
	}
	return "panic"
}

// goroutines reads every goroutine block of a dump, indented or not.
func goroutines(lines []string) []goroutine {
	var gs []goroutine
	for i := 0; i < len(lines); i++ {
		id, state, ok := goroutineHeader(lines[i])
		if !ok {
			continue
		}
		fs, next := readStack(lines, i+1)
		gs = append(gs, goroutine{id: id, state: state, frames: fs})
		i = next - 1
	}
	return gs
}

// readStack reads the frames that start at lines[i]: function lines, each
// followed by an indented file:line. "created by" entries and elision
// notes are skipped. It returns the frames and the index of the first line
// after them.
func readStack(lines []string, i int) ([]rawFrame, int) {
	var fs []rawFrame
	for ; i < len(lines); i++ {
		fn := strings.TrimSpace(lines[i])
		if strings.HasPrefix(fn, "...") && strings.HasSuffix(fn, "...") {
			continue
		}
		if fn == "" || i+1 >= len(lines) {
			break
		}
		file, line, ok := goFileLine(lines[i+1])
		if !ok {
			break
		}
		if !strings.HasPrefix(fn, "created by ") {
			fs = append(fs, rawFrame{fn: fn, file: file, line: line})
		}
		i++
	}
	return fs, i
}

// goFileLine parses the indented "\t/path/file.go:12 +0x1d" line under a
// function: the path, up to the first colon followed by digits and then a
// space or the end, and the line.
func goFileLine(s string) (file string, line int, ok bool) {
	if s == "" || s[0] != ' ' && s[0] != '\t' {
		return "", 0, false
	}
	s = strings.TrimLeft(s, " \t")
	for from := 0; ; {
		i := strings.IndexByte(s[from:], ':')
		if i < 0 {
			return "", 0, false
		}
		i += from
		j, n := i+1, 0
		for j < len(s) && j-i <= 9 && s[j] >= '0' && s[j] <= '9' {
			n, j = n*10+int(s[j]-'0'), j+1
		}
		if i > 0 && j > i+1 && (j == len(s) || s[j] == ' ' || s[j] == '\t') {
			return s[:i], n, true
		}
		from = i + 1
	}
}

// goFrames builds the frames of a printed stack.
func goFrames(raw []rawFrame) []Frame {
	fs := make([]Frame, len(raw))
	for i, r := range raw {
		fs[i] = goFrame(r.fn, r.file, r.line)
	}
	return fs
}

// goFrame builds a frame from a function line and its file and line.
func goFrame(fn, file string, line int) Frame {
	pkg, name := splitGoFunc(stripArgs(fn))
	f := Frame{File: file, Line: line, Function: name, Module: pkg}
	if strings.HasPrefix(file, "/") || len(file) > 2 && file[1] == ':' {
		f.AbsPath = file
	}
	f.InApp = guessInApp(lang.Go, f)
	return f
}

// stripArgs removes the trailing argument list "(0x1, 0x2)" or "(...)".
func stripArgs(fn string) string {
	if !strings.HasSuffix(fn, ")") {
		return fn
	}
	depth := 0
	for i := len(fn) - 1; i >= 0; i-- {
		switch fn[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				return fn[:i]
			}
		}
	}
	return fn
}

// splitGoFunc splits "net/http.(*conn).serve" into the package path and
// the function, the way the Go SDK does.
func splitGoFunc(name string) (pkg, fn string) {
	if strings.HasPrefix(name, "go:") || strings.HasPrefix(name, "type:") {
		return "", name
	}
	slash := strings.LastIndexByte(name, '/') + 1
	dot := strings.IndexByte(name[slash:], '.')
	if dot < 0 {
		return "", name
	}
	return name[:slash+dot], name[slash+dot+1:]
}

// trimPanic drops the frames of panic handling: the innermost call of
// panic and everything it called (deferred handlers such as net/http's
// recover), as the Go SDK does.
func trimPanic(fs []Frame) []Frame {
	for i, f := range fs {
		if f.Module == "" && f.Function == "panic" || f.Module == "runtime" && f.Function == "gopanic" {
			return fs[i+1:]
		}
	}
	return fs
}

// pickGoroutine picks the goroutine that failed: the first running one
// (Go prints the panicking goroutine first), else the first reported (a
// leak detector's), skipping headers without frames.
func pickGoroutine(gs []goroutine) goroutine {
	for _, g := range gs {
		if strings.HasPrefix(g.state, "running") && len(g.frames) > 0 {
			return g
		}
	}
	for _, g := range gs {
		if len(g.frames) > 0 {
			return g
		}
	}
	return gs[0]
}

// parseRace reads a race detector report: the first access is the
// incident, the previous access joins the chain.
func parseRace(lines []string) *Incident {
	inc := &Incident{Type: "DATA RACE"}
	first := true
	for i := 0; i < len(lines); i++ {
		title := lines[i]
		if title == "" || title[0] == ' ' || !strings.HasSuffix(title, ":") {
			continue
		}
		raw, next := readStack(lines, i+1)
		fs := goFrames(raw)
		slices.Reverse(fs)
		title = strings.TrimSuffix(title, ":")
		switch {
		case first:
			inc.Message, inc.Frames, first = title, capFrames(fs), false
		case strings.HasPrefix(title, "Previous ") && len(inc.Chain) < MaxChain:
			inc.Chain = append(inc.Chain, Exception{Type: "DATA RACE", Message: title, Frames: capFrames(fs)})
		}
		i = next - 1
	}
	return inc
}
