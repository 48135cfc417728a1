package workspace

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

// ErrNoInAppCode reports an incident none of whose in-app frames resolves to
// a file in the checkout.
var ErrNoInAppCode = errors.New("no in-app frame resolves to a file in the checkout")

// windowRadius is how many lines either side of the crash line a snippet
// holds when no enclosing function can be found.
const windowRadius = 25

// Location is where an incident happened in the checkout.
type Location struct {
	// Crash is the code around the innermost resolvable in-app frame.
	Crash Snippet
	// Caller is the next resolvable in-app frame outward, or nil.
	Caller *Snippet
	// Tests are the repository-relative test files next to the crash and
	// the caller, sorted.
	Tests []string
}

// Snippet is a span of one checkout file around a frame.
type Snippet struct {
	// File is the repository-relative slash path.
	File string
	// Function is the frame's function, or the enclosing declaration's name
	// when the frame has none.
	Function string
	// Line is the frame's line (1-based; 0 when unknown).
	Line int
	// StartLine and EndLine bound Text, 1-based and inclusive.
	StartLine, EndLine int
	// Text is the content of lines StartLine..EndLine.
	Text string
}

// Locate finds the crash site and its caller in the checkout, with the
// enclosing function of each and the tests next to them. It returns an error
// wrapping ErrNoInAppCode when no in-app frame resolves.
func (w *Workspace) Locate(inc *incident.Incident) (*Location, error) {
	if inc == nil {
		return nil, errors.New("locate: nil incident")
	}
	var snips []Snippet
	inApp := 0
	for i := len(inc.Frames) - 1; i >= 0 && len(snips) < 2; i-- {
		f := inc.Frames[i]
		if !f.InApp {
			continue
		}
		inApp++
		rel, ok := w.Resolve(f)
		if !ok {
			continue
		}
		s, err := w.snippet(rel, f)
		if err != nil {
			return nil, fmt.Errorf("locate: %w", err)
		}
		snips = append(snips, s)
	}
	if len(snips) == 0 {
		return nil, fmt.Errorf("locate: %d in-app frames: %w", inApp, ErrNoInAppCode)
	}
	loc := &Location{Crash: snips[0]}
	if len(snips) > 1 {
		loc.Caller = &snips[1]
	}
	loc.Tests = w.testsNear(loc)
	return loc, nil
}

// snippet cuts the enclosing Go function, or a window of lines, around f.
func (w *Workspace) snippet(rel string, f incident.Frame) (Snippet, error) {
	data, err := w.readFile(rel)
	if err != nil {
		return Snippet{}, err
	}
	lines := splitLines(string(data))
	s := Snippet{File: rel, Function: f.Function, Line: f.Line}
	var name string
	if strings.HasSuffix(rel, ".go") {
		s.StartLine, s.EndLine, name = goFunc(data, f.Line, f.Function)
	}
	if s.StartLine == 0 || s.EndLine-s.StartLine >= MaxReadLines {
		s.StartLine, s.EndLine = window(f.Line, len(lines))
	}
	if s.Function == "" {
		s.Function = name
	}
	s.Text = cut(lines, s.StartLine, s.EndLine)
	return s, nil
}

// window returns the lines within windowRadius of line, clamped to a file
// of n lines; an unknown line gives the top of the file.
func window(line, n int) (start, end int) {
	if n == 0 {
		return 0, 0
	}
	line = min(max(line, 1), n)
	return max(1, line-windowRadius), min(n, line+windowRadius)
}

// cut joins lines from..to (1-based, inclusive), capped at MaxReadBytes.
func cut(lines []string, from, to int) string {
	if from < 1 || to < from {
		return ""
	}
	var b strings.Builder
	for _, l := range lines[from-1 : to] {
		if b.Len()+len(l) > MaxReadBytes {
			break
		}
		b.WriteString(l)
	}
	return b.String()
}

// SnippetAt cuts the enclosing Go function, or a window of lines, around
// line of the checkout file rel, as Locate does for a frame.
func (w *Workspace) SnippetAt(rel string, line int) (Snippet, error) {
	clean, ok := w.regularFile(rel)
	if !ok {
		return Snippet{}, fmt.Errorf("snippet %s: no such file in the checkout", rel)
	}
	return w.snippet(clean, incident.Frame{Line: line})
}
