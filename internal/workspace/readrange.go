package workspace

import "fmt"

// Lines is a span of a checkout file as returned by ReadRange.
type Lines struct {
	File string
	// Start and End bound Text, 1-based and inclusive; End < Start when
	// the file is empty.
	Start, End int
	// Total is the number of lines in the file.
	Total int
	Text  string
}

// ReadRange returns lines from..to of the checkout file rel, like
// ReadLines, and says which lines it really returned: the range is
// clamped to the file, at most max lines (zero means MaxReadLines) and
// MaxReadBytes bytes. A zero from means 1; a zero to means the end.
func (w *Workspace) ReadRange(rel string, from, to, max int) (*Lines, error) {
	if from < 0 || to < 0 || (to > 0 && to < from) {
		return nil, fmt.Errorf("read %s: bad line range %d-%d", rel, from, to)
	}
	if max <= 0 || max > MaxReadLines {
		max = MaxReadLines
	}
	lines, err := w.lines(rel)
	if err != nil {
		return nil, err
	}
	from = max1(from)
	if to == 0 || to > len(lines) {
		to = len(lines)
	}
	if len(lines) > 0 && from > len(lines) {
		return nil, fmt.Errorf("read %s: line %d is past the end (%d lines)", rel, from, len(lines))
	}
	to = min(to, from+max-1)
	text := cut(lines, from, to)
	end := from - 1 + len(splitLines(text))
	clean, _ := CleanRel(rel)
	return &Lines{File: clean, Start: from, End: end, Total: len(lines), Text: text}, nil
}

func max1(n int) int { return max(n, 1) }
