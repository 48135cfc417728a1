package eval

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/bluekeyes/go-gitdiff/gitdiff"

	"github.com/dawnpatch/dawnpatch/internal/patch"
)

// EditsFromDiff converts a unified diff in git's format (several files,
// new files, "\ No newline at end of file", CRLF lines) into the fixer's
// answer edits, reading the files it changes from base, the tree the diff
// applies to.
//
// Per hunk, Old is the hunk's context and removed lines and New its
// context and added lines. When Old does not occur exactly once in the file
// as the earlier edits leave it (edits to one file apply in order), it
// grows by one line of the base file above and one below until it does;
// it never grows into text an earlier edit wrote: a hunk that would is
// merged into that edit. A hunk that is not where its header says is looked
// for at the nearest line where it matches, as git apply does. A new file
// is one edit with an empty Old. Lines keep their bytes, so CRLF files stay
// CRLF.
//
// A deleted, renamed or copied file, a mode change, a binary patch, an
// empty new file and an insertion into an empty file cannot be edits: each
// is an error naming the file.
func EditsFromDiff(base fs.FS, diff []byte) ([]patch.Edit, error) {
	files, _, err := gitdiff.Parse(bytes.NewReader(diff))
	if err != nil {
		return nil, fmt.Errorf("parse diff: %w", err)
	}
	if len(files) == 0 {
		return nil, errors.New("parse diff: no file diffs")
	}
	var edits []patch.Edit
	seen := map[string]bool{}
	for _, f := range files {
		name := f.NewName
		if name == "" {
			name = f.OldName
		}
		if seen[name] {
			return nil, fmt.Errorf("diff of %s: the file appears twice", name)
		}
		seen[name] = true
		es, err := fileEdits(base, name, f)
		if err != nil {
			return nil, fmt.Errorf("diff of %s: %w", name, err)
		}
		edits = append(edits, es...)
	}
	return edits, nil
}

// regularMode is git's mode of a plain, not executable file.
const regularMode = 0o100644

// fileEdits converts one file's part of a diff.
func fileEdits(base fs.FS, name string, f *gitdiff.File) ([]patch.Edit, error) {
	switch {
	case f.IsBinary:
		return nil, errors.New("a binary patch cannot be an edit")
	case f.IsDelete:
		return nil, errors.New("deletes the file, which an edit cannot")
	case f.IsRename:
		return nil, fmt.Errorf("renames %s, which an edit cannot", f.OldName)
	case f.IsCopy:
		return nil, fmt.Errorf("copies %s, which an edit cannot", f.OldName)
	case f.IsNew && f.NewMode != 0 && f.NewMode != regularMode:
		return nil, fmt.Errorf("creates the file with mode %o; an edit creates plain files", f.NewMode)
	case !f.IsNew && f.OldMode != f.NewMode && f.OldMode != 0 && f.NewMode != 0:
		return nil, fmt.Errorf("changes the mode from %o to %o, which an edit cannot", f.OldMode, f.NewMode)
	case f.IsNew:
		return newFileEdit(name, f)
	case len(f.TextFragments) == 0:
		return nil, errors.New("no hunks")
	}
	if !fs.ValidPath(name) {
		return nil, fmt.Errorf("%q is not a path inside the tree", name)
	}
	data, err := fs.ReadFile(base, name)
	if err != nil {
		return nil, fmt.Errorf("read the base file: %w", err)
	}
	return hunkEdits(name, string(data), f.TextFragments)
}

// newFileEdit creates the file from the added lines.
func newFileEdit(name string, f *gitdiff.File) ([]patch.Edit, error) {
	var b strings.Builder
	for _, frag := range f.TextFragments {
		for _, l := range frag.Lines {
			if l.New() {
				b.WriteString(l.Line)
			}
		}
	}
	if b.Len() == 0 {
		return nil, errors.New("creates an empty file, which an edit cannot (its old and new would both be empty)")
	}
	return []patch.Edit{{File: name, New: b.String()}}, nil
}

// hunk replaces the base file's lines [start, end) with repl.
type hunk struct {
	start, end int
	repl       string
}

// region is one edit: the base file's lines [a, b) with its hunks replaced.
type region struct {
	a, b  int
	hunks []hunk
}

// hunkEdits turns the hunks of a changed file into edits.
func hunkEdits(name, content string, frags []*gitdiff.TextFragment) ([]patch.Edit, error) {
	lines := splitKeep(content)
	hunks, err := placeHunks(lines, frags)
	if err != nil {
		return nil, err
	}
	regions, err := growRegions(lines, hunks)
	if err != nil {
		return nil, err
	}
	var edits []patch.Edit
	for _, r := range regions {
		old, new := r.texts(lines)
		if old != new {
			edits = append(edits, patch.Edit{File: name, Old: old, New: new})
		}
	}
	return edits, nil
}

// placeHunks finds each fragment's lines in the base file: where its header
// says, else at the nearest line after the previous hunk where they match.
func placeHunks(lines []string, frags []*gitdiff.TextFragment) ([]hunk, error) {
	var out []hunk
	floor := 0
	for i, frag := range frags {
		var old []string
		var repl strings.Builder
		for _, l := range frag.Lines {
			if l.Old() {
				old = append(old, l.Line)
			}
			if l.New() {
				repl.WriteString(l.Line)
			}
		}
		want := int(frag.OldPosition) - 1
		if len(old) == 0 {
			want = int(frag.OldPosition) // an insertion goes after the line named
		}
		at := nearestMatch(lines, old, want, floor)
		if at < 0 {
			return nil, fmt.Errorf("hunk %d (@@ -%d,%d +%d,%d @@) does not match the base file",
				i+1, frag.OldPosition, frag.OldLines, frag.NewPosition, frag.NewLines)
		}
		out = append(out, hunk{start: at, end: at + len(old), repl: repl.String()})
		floor = at + len(old)
	}
	return out, nil
}

// nearestMatch returns the line index at or after floor, nearest to want,
// where old's lines start in lines; -1 when they start nowhere there.
func nearestMatch(lines, old []string, want, floor int) int {
	matches := func(at int) bool {
		if at < floor || at+len(old) > len(lines) {
			return false
		}
		for k, l := range old {
			if lines[at+k] != l {
				return false
			}
		}
		return true
	}
	for d := 0; d <= len(lines)+abs(want); d++ {
		if matches(want - d) {
			return want - d
		}
		if matches(want + d) {
			return want + d
		}
	}
	return -1
}

func abs(n int) int { return max(n, -n) }

// growRegions makes one region per hunk, grown until its old text is
// unique in the file as the earlier regions leave it, merging a region into
// the one before when it cannot grow without overlapping it.
func growRegions(lines []string, hunks []hunk) ([]region, error) {
	var done []region
	for _, h := range hunks {
		r := region{a: h.start, b: h.end, hunks: []hunk{h}}
		if n := len(done); n > 0 && r.a < done[n-1].b { // the previous region grew over this hunk
			r, done = done[n-1].merge(r), done[:n-1]
		}
		text := applied(lines, done)
		for {
			if old, _ := r.texts(lines); old != "" && unique(text, old) {
				break
			}
			floor := 0
			if n := len(done); n > 0 {
				floor = done[n-1].b
			}
			grew := false
			if r.a > floor {
				r.a, grew = r.a-1, true
			}
			if r.b < len(lines) {
				r.b, grew = r.b+1, true
			}
			if grew {
				continue
			}
			if len(done) == 0 {
				return nil, errors.New("inserts into an empty file, which an edit cannot (its old text would be empty)")
			}
			r, done = done[len(done)-1].merge(r), done[:len(done)-1]
			text = applied(lines, done)
		}
		done = append(done, r)
	}
	return done, nil
}

// merge joins the later region r into p.
func (p region) merge(r region) region {
	return region{a: p.a, b: max(p.b, r.b), hunks: append(append([]hunk{}, p.hunks...), r.hunks...)}
}

// texts returns the region's old and new text.
func (r region) texts(lines []string) (old, new string) {
	var b strings.Builder
	pos := r.a
	for _, h := range r.hunks {
		b.WriteString(strings.Join(lines[pos:h.start], ""))
		b.WriteString(h.repl)
		pos = h.end
	}
	b.WriteString(strings.Join(lines[pos:r.b], ""))
	return strings.Join(lines[r.a:r.b], ""), b.String()
}

// applied is the file with the regions' edits made.
func applied(lines []string, regions []region) string {
	var b strings.Builder
	pos := 0
	for _, r := range regions {
		_, new := r.texts(lines)
		b.WriteString(strings.Join(lines[pos:r.a], ""))
		b.WriteString(new)
		pos = r.b
	}
	b.WriteString(strings.Join(lines[pos:], ""))
	return b.String()
}

// unique reports whether s occurs exactly once in text, overlapping
// occurrences counted, as patch.Patch.Validate counts them.
func unique(text, s string) bool {
	i := strings.Index(text, s)
	return i >= 0 && !strings.Contains(text[i+1:], s)
}

// splitKeep splits content into lines that keep their line endings.
func splitKeep(content string) []string {
	lines := strings.SplitAfter(content, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}
