package judge

import (
	"fmt"
	"path"
	"slices"
)

// span is the part of a hunk that changed: base (old) line numbers, and
// the new line a finding points at.
type span struct {
	oldFirst, oldLast, newLine int
}

// String names the base lines of sp.
func (sp span) String() string {
	if sp.oldFirst == sp.oldLast {
		return fmt.Sprintf("base line %d", sp.oldFirst)
	}
	return fmt.Sprintf("base lines %d-%d", sp.oldFirst, sp.oldLast)
}

// changedSpan returns the changed part of h, or false for a hunk that
// changes nothing.
func (h hunk) changedSpan() (span, bool) {
	of, ol, oldOK := h.old.changedRange()
	nf, nl, newOK := h.new.changedRange()
	switch {
	case oldOK && newOK:
		return span{min(of.n, nf.pos), max(ol.n, nl.pos), min(nf.n, of.pos)}, true
	case newOK:
		return span{nf.pos, nl.pos, nf.n}, true
	case oldOK:
		return span{of.n, ol.n, of.pos}, true
	}
	return span{}, false
}

// checkScope reports edits unrelated to the incident: hunks in a non-test
// file that has no frame and shares no directory with a frame file, and
// hunks in a frame file farther than MaxDistance from all its frame lines.
func checkScope(in *GuardInput, fd *fileDiff) []Finding {
	if len(in.FrameFiles) == 0 || fd.test {
		return nil
	}
	if !slices.Contains(in.FrameFiles, fd.path) {
		return unrelatedFile(in, fd)
	}
	lines, limit := in.FrameLines[fd.path], in.maxDistance()
	if len(lines) == 0 {
		return nil
	}
	var out []Finding
	for _, h := range fd.hunks {
		sp, ok := h.changedSpan()
		if !ok {
			continue
		}
		dist, nearest := nearestFrame(sp, lines)
		if dist > limit {
			out = append(out, fd.findingAt(ruleFarFromFrames, sp.newLine,
				"change at %s is %d lines from the nearest frame line (%d), over %d",
				sp, dist, nearest, limit))
		}
	}
	return out
}

// unrelatedFile reports every hunk of fd unless a frame file shares its
// directory.
func unrelatedFile(in *GuardInput, fd *fileDiff) []Finding {
	for _, ff := range in.FrameFiles {
		if path.Dir(ff) == path.Dir(fd.path) {
			return nil
		}
	}
	var out []Finding
	for _, h := range fd.hunks {
		if sp, ok := h.changedSpan(); ok {
			out = append(out, fd.findingAt(ruleUnrelatedFile, sp.newLine,
				"change in a file with no frame of the incident, outside the frames' directories"))
		}
	}
	return out
}

// nearestFrame returns the distance from sp to the closest frame line,
// and that line.
func nearestFrame(sp span, lines []int) (dist, nearest int) {
	dist = -1
	for _, l := range lines {
		d := 0
		switch {
		case l < sp.oldFirst:
			d = sp.oldFirst - l
		case l > sp.oldLast:
			d = l - sp.oldLast
		}
		if dist < 0 || d < dist {
			dist, nearest = d, l
		}
	}
	return dist, nearest
}
