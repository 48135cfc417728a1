package judge

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/lang"
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
// A far hunk that only adds imports, or only adds a declaration that a
// near hunk's added code uses (a new helper the fix calls), is part of the
// fix and is not reported.
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
	far, near := splitByDistance(fd, lines, limit)
	var out []Finding
	for _, f := range far {
		if onlyImports(f.h, fd.lang) || helperOf(f.h, fd.lang, near) {
			continue
		}
		out = append(out, fd.findingAt(ruleFarFromFrames, f.sp.newLine,
			"change at %s is %d lines from the nearest frame line (%d), over %d",
			f.sp, f.dist, f.nearest, limit))
	}
	return out
}

// farHunk is a hunk farther than the limit from every frame line.
type farHunk struct {
	h             hunk
	sp            span
	dist, nearest int
}

// splitByDistance returns the hunks of fd farther than limit from every
// frame line, and the code the other hunks add.
func splitByDistance(fd *fileDiff, lines []int, limit int) ([]farHunk, string) {
	var far []farHunk
	var near strings.Builder
	for _, h := range fd.hunks {
		sp, ok := h.changedSpan()
		if !ok {
			continue
		}
		if dist, nearest := nearestFrame(sp, lines); dist > limit {
			far = append(far, farHunk{h, sp, dist, nearest})
			continue
		}
		for _, l := range h.new {
			if l.changed {
				near.WriteString(code(l.text, fd.lang) + "\n")
			}
		}
	}
	return far, near.String()
}

var (
	// declName matches the name a line declares: a Go func or type, a
	// Python def or class, a JavaScript function, class or const.
	declName = regexp.MustCompile(`^func\s+(?:\([^)]*\)\s*)?(\w+)|^type\s+(\w+)|^\s*(?:async\s+)?def\s+(\w+)|` +
		`^\s*class\s+([\w$]+)|^\s*(?:export\s+)?(?:async\s+)?function\s*\*?\s*([\w$]+)|` +
		`^\s*(?:export\s+)?(?:const|let|var)\s+([\w$]+)\s*=`)
	importLine = map[lang.Language]*regexp.Regexp{
		"go":         regexp.MustCompile(`^\s*(import\b.*|(\w+\s+|_\s+|\.\s+)?"[^"]+"|\(|\))\s*$`),
		"python":     regexp.MustCompile(`^\s*(import\s|from\s+\S+\s+import\s)`),
		"javascript": regexp.MustCompile(`^\s*(import\b|(const|let|var)\s+.*=\s*require\()`),
	}
)

// onlyImports reports whether the only change of h is added imports.
func onlyImports(h hunk, lang lang.Language) bool {
	re := importLine[lang]
	if re == nil || removesLines(h) {
		return false
	}
	for _, l := range h.new {
		if l.changed && !blank(l.text, lang) && !re.MatchString(code(l.text, lang)) {
			return false
		}
	}
	return true
}

// helperOf reports whether h only adds code that declares a name the code
// in near uses.
func helperOf(h hunk, lang lang.Language, near string) bool {
	if removesLines(h) {
		return false
	}
	for _, l := range h.new {
		if !l.changed {
			continue
		}
		m := declName.FindStringSubmatch(code(l.text, lang))
		for k := 1; k < len(m); k++ {
			if m[k] != "" && regexp.MustCompile(`(^|[^\w$])`+regexp.QuoteMeta(m[k])+`($|[^\w$])`).MatchString(near) {
				return true
			}
		}
	}
	return false
}

// removesLines reports whether h removes any line.
func removesLines(h hunk) bool {
	_, _, ok := h.old.changedRange()
	return ok
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
