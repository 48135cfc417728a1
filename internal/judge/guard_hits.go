package judge

import (
	"cmp"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// scan is one side of one hunk, handed to a detector.
type scan struct {
	s    side
	lang lang.Language
	// atEOF and comment are copied from the hunk.
	atEOF   bool
	comment string
}

// hit is a construct a detector found, spanning s[start..end]. rule, when
// set, replaces the rule newHits reports under; a note is reported as
// context, not as a stop.
type hit struct {
	start, end int
	msg, rule  string
	note       bool
}

// detector looks for a construct that starts at line i of sc.
type detector func(sc scan, i int) (hit, bool)

// keyedHit is a hit with the normalized text of its span.
type keyedHit struct {
	hit
	key     string
	line    int
	touched bool
}

// hitsOn runs det at every line of one side.
func hitsOn(sc scan, det detector) []keyedHit {
	var out []keyedHit
	for i := range sc.s {
		h, ok := det(sc, i)
		if !ok {
			continue
		}
		kh := keyedHit{hit: h, line: sc.s[h.start].n}
		var texts []string
		for _, l := range sc.s[h.start : h.end+1] {
			texts = append(texts, l.text)
			kh.touched = kh.touched || l.changed
		}
		kh.key = normalize(texts...)
		out = append(out, kh)
	}
	return out
}

// newHits runs det over both sides of fd's hunks and returns a finding
// for each construct the change introduces: found on the new side, spanning
// an added line, and not found with the same text on the old side (so code
// that only moves, or was already there, is not reported).
func newHits(fd *fileDiff, rule string, det detector) []Finding {
	old := map[string]bool{}
	for _, h := range fd.hunks {
		for _, kh := range hitsOn(scan{h.old, fd.lang, h.atEOF, h.comment}, det) {
			old[kh.key] = true
		}
	}
	var out []Finding
	for _, h := range fd.hunks {
		for _, kh := range hitsOn(scan{h.new, fd.lang, h.atEOF, h.comment}, det) {
			if kh.touched && !old[kh.key] {
				f := fd.findingAt(cmp.Or(kh.rule, rule), kh.line, "%s", kh.msg)
				if kh.note {
					f.Severity = Note
				}
				out = append(out, f)
			}
		}
	}
	return out
}

// firstOf returns the first hit of dets at line i.
func firstOf(dets ...detector) detector {
	return func(sc scan, i int) (hit, bool) {
		for _, d := range dets {
			if h, ok := d(sc, i); ok {
				return h, true
			}
		}
		return hit{}, false
	}
}

// nextCode returns the index of the first line after i that holds code.
func nextCode(sc scan, i int) (int, bool) {
	for j := i + 1; j < len(sc.s); j++ {
		if !blank(sc.s[j].text, sc.lang) {
			return j, true
		}
	}
	return 0, false
}
