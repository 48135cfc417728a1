package incident

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Patterns of the Go runtime's crash output and of net/http's recovered
// panics.
var (
	goPanicLine = regexp.MustCompile(`^\s*panic: (.*)$`)
	goFatalLine = regexp.MustCompile(`^fatal error: (.*)$`)
	goHTTPPanic = regexp.MustCompile(`http: panic serving (\S+?): (.*)$`)
	goRecovered = regexp.MustCompile(`\s*\[recovered(?:, repanicked)?\]$`)
	goGoroutine = regexp.MustCompile(`^goroutine (\d+)(?: [^\[]*)?\[([^\]]*)\]:\s*$`)
	goFileLine  = regexp.MustCompile(`^\s+(.+?):(\d+)(?:\s+\+0x[0-9a-fA-F]+)?(?:\s.*)?$`)
)

// goRaceHeader starts a race detector report.
const goRaceHeader = "WARNING: DATA RACE"

// goroutine is one goroutine of a dump; frames are as printed, innermost
// first.
type goroutine struct {
	id, state string
	frames    []Frame
}

// parseTrace reads raw stack trace text. Go panics, fatal errors, goroutine
// dumps, net/http's "http: panic serving" and race reports are understood;
// anything else is ErrUnsupportedTrace.
func parseTrace(data []byte) (*Incident, error) {
	text := strings.ToValidUTF8(strings.ReplaceAll(string(data), "\r\n", "\n"), "\uFFFD")
	lines := strings.Split(text, "\n")
	if i := slices.IndexFunc(lines, func(l string) bool { return strings.TrimSpace(l) == goRaceHeader }); i >= 0 {
		return parseRace(lines[i+1:]), nil
	}
	inc := &Incident{Source: string(FormatTrace), Language: "go"}
	found := goHeader(lines, inc)
	gs := goroutines(lines)
	if !found && len(gs) == 0 {
		return nil, fmt.Errorf("%w: want a Go panic, fatal error, goroutine dump or race report (other languages are not parsed yet)", ErrUnsupportedTrace)
	}
	if len(gs) > 0 {
		fs := trimPanic(pickGoroutine(gs).frames)
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
	for i := 0; i < len(lines) && !goGoroutine.MatchString(lines[i]); i++ {
		line := lines[i]
		if m := goHTTPPanic.FindStringSubmatch(line); m != nil {
			inc.Type, inc.Message, found = panicType(m[2]), m[2], true
		} else if m := goPanicLine.FindStringSubmatch(line); m != nil {
			msg := m[1]
			for i+1 < len(lines) && continuesMessage(lines[i+1]) {
				i++
				msg += "\n" + lines[i]
			}
			msg = goRecovered.ReplaceAllString(msg, "")
			inc.Type, inc.Message, found = panicType(msg), msg, true
		} else if m := goFatalLine.FindStringSubmatch(line); m != nil {
			inc.Type, inc.Message, found = "fatal error", m[1], true
		}
	}
	return found
}

// continuesMessage reports whether line continues a multi-line panic value.
func continuesMessage(line string) bool {
	return strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "[signal ") &&
		!goGoroutine.MatchString(line) && !goPanicLine.MatchString(line) && !goFatalLine.MatchString(line)
}

// panicType names the type of a panic value seen only as text: runtime
// errors say so, everything else is a plain panic.
func panicType(msg string) string {
	if strings.HasPrefix(msg, "runtime error: ") {
		return "runtime.Error"
	}
	return "panic"
}

// goroutines reads every goroutine block of a dump.
func goroutines(lines []string) []goroutine {
	var gs []goroutine
	for i := 0; i < len(lines); i++ {
		m := goGoroutine.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		fs, next := readStack(lines, i+1)
		gs = append(gs, goroutine{id: m[1], state: m[2], frames: fs})
		i = next - 1
	}
	return gs
}

// readStack reads the frames that start at lines[i]: function lines, each
// followed by an indented file:line. "created by" entries and elision
// notes are skipped. It returns the frames and the index of the first line
// after them.
func readStack(lines []string, i int) ([]Frame, int) {
	var fs []Frame
	for ; i < len(lines); i++ {
		fn := strings.TrimSpace(lines[i])
		if strings.HasPrefix(fn, "...") && strings.HasSuffix(fn, "...") {
			continue
		}
		if fn == "" || i+1 >= len(lines) {
			break
		}
		m := goFileLine.FindStringSubmatch(lines[i+1])
		if m == nil {
			break
		}
		if !strings.HasPrefix(fn, "created by ") {
			fs = append(fs, goFrame(fn, m[1], m[2]))
		}
		i++
	}
	return fs, i
}

// goFrame builds a frame from a function line and its file and line.
func goFrame(fn, file, line string) Frame {
	pkg, name := splitGoFunc(stripArgs(fn))
	n, _ := strconv.Atoi(line)
	f := Frame{File: file, Line: n, Function: name, Module: pkg}
	if strings.HasPrefix(file, "/") || len(file) > 2 && file[1] == ':' {
		f.AbsPath = file
	}
	f.InApp = guessInApp("go", f)
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
// (Go prints the panicking goroutine first), else the first.
func pickGoroutine(gs []goroutine) goroutine {
	for _, g := range gs {
		if strings.HasPrefix(g.state, "running") {
			return g
		}
	}
	return gs[0]
}

// parseRace reads a race detector report: the first access is the
// incident, the previous access joins the chain.
func parseRace(lines []string) *Incident {
	inc := &Incident{Source: string(FormatTrace), Language: "go", Type: "DATA RACE"}
	first := true
	for i := 0; i < len(lines); i++ {
		title := lines[i]
		if title == "" || title[0] == ' ' || !strings.HasSuffix(title, ":") {
			continue
		}
		fs, next := readStack(lines, i+1)
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
