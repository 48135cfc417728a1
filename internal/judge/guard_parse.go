package judge

import (
	"fmt"
	"path"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"

	"github.com/dawnpatch/dawnpatch/internal/lang"
)

// srcLine is one line of one side of a hunk.
type srcLine struct {
	// n is the line number on this side; pos is the matching position on
	// the other side (for a removed line, the new line where it used to be).
	n, pos int
	// text is the line without its newline.
	text string
	// changed is true for an added (new side) or removed (old side) line.
	changed bool
}

// side is the old or the new content a hunk shows, in order.
type side []srcLine

// hunk is one text fragment seen from both sides.
type hunk struct {
	old, new side
	// atEOF is true when the new side is known to reach the end of the
	// file, so a body that runs to its end is whole.
	atEOF bool
	// comment is the function line git prints after the hunk header.
	comment string
}

// fileDiff is one changed file, prepared for the rules.
type fileDiff struct {
	f *gitdiff.File
	// path is the new name, or the old name for a deleted file.
	path string
	lang lang.Language
	test bool
	// hunks are the text fragments; added and removed count their lines.
	hunks          []hunk
	added, removed int
}

// parseDiff parses a git unified diff into fileDiffs.
func parseDiff(diff string) ([]*fileDiff, error) {
	files, _, err := gitdiff.Parse(strings.NewReader(diff))
	if err != nil {
		return nil, fmt.Errorf("parse diff: %w", err)
	}
	if len(files) == 0 && strings.TrimSpace(diff) != "" {
		return nil, fmt.Errorf("parse diff: no file headers found")
	}
	out := make([]*fileDiff, 0, len(files))
	for _, f := range files {
		out = append(out, newFileDiff(f))
	}
	return out, nil
}

// newFileDiff splits f's fragments into both sides.
func newFileDiff(f *gitdiff.File) *fileDiff {
	name := f.NewName
	if f.IsDelete || name == "" {
		name = f.OldName
	}
	fd := &fileDiff{f: f, path: name, lang: langOf(name), test: isTestFile(name)}
	for _, frag := range f.TextFragments {
		h := splitFragment(frag)
		h.atEOF = f.IsNew || frag.TrailingContext < 3
		h.comment = frag.Comment
		fd.hunks = append(fd.hunks, h)
		fd.added += int(frag.LinesAdded)
		fd.removed += int(frag.LinesDeleted)
	}
	return fd
}

// splitFragment numbers the lines of frag on both sides.
func splitFragment(frag *gitdiff.TextFragment) hunk {
	var h hunk
	oldN, newN := int(frag.OldPosition), int(frag.NewPosition)
	afterDelete := false
	for _, l := range frag.Lines {
		text := strings.TrimRight(l.Line, "\r\n")
		switch l.Op {
		case gitdiff.OpContext:
			h.old = append(h.old, srcLine{n: oldN, pos: newN, text: text})
			h.new = append(h.new, srcLine{n: newN, pos: oldN, text: text})
			oldN++
			newN++
		case gitdiff.OpDelete:
			h.old = append(h.old, srcLine{n: oldN, pos: newN, text: text, changed: true})
			oldN++
		case gitdiff.OpAdd:
			pos := oldN
			if afterDelete {
				pos-- // replaces the removed line above
			}
			h.new = append(h.new, srcLine{n: newN, pos: pos, text: text, changed: true})
			newN++
		}
		afterDelete = l.Op == gitdiff.OpDelete || (afterDelete && l.Op == gitdiff.OpAdd)
	}
	return h
}

// langOf names the language of a path by its extension (TypeScript
// counts as JavaScript).
func langOf(name string) lang.Language { return lang.FromPath(name) }

// isTestFile reports whether name looks like a test file by the usual
// conventions of its language or a test directory in its path.
func isTestFile(name string) bool {
	base := path.Base(name)
	stem := strings.TrimSuffix(base, path.Ext(base))
	switch {
	case strings.HasSuffix(base, "_test.go"),
		strings.HasPrefix(base, "test_") && strings.HasSuffix(base, ".py"),
		base == "conftest.py",
		strings.HasSuffix(stem, "_test"), strings.HasSuffix(stem, "_spec"),
		strings.HasSuffix(stem, ".test"), strings.HasSuffix(stem, ".spec"),
		strings.HasSuffix(stem, "Test"), strings.HasSuffix(stem, "Tests"),
		(stem == "test" || stem == "tests") && path.Ext(base) != ".go":
		return true
	}
	for _, dir := range strings.Split(path.Dir(name), "/") {
		switch dir {
		case "test", "tests", "__tests__", "spec":
			return true
		}
	}
	return false
}

// changedRange returns the first and last changed line numbers of s, and
// their positions on the other side; ok is false when nothing changed.
func (s side) changedRange() (first, last srcLine, ok bool) {
	for _, l := range s {
		if !l.changed {
			continue
		}
		if !ok {
			first, ok = l, true
		}
		last = l
	}
	return first, last, ok
}
