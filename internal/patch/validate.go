package patch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// maxFileBytes caps the size of a file an edit may touch.
const maxFileBytes = 4 << 20

// file is one file's state while a patch is planned.
type file struct {
	rel      string      // cleaned repository-relative path
	resolved string      // the path it really names, symlinks followed
	original string      // content on disk before the patch
	content  string      // content after the edits planned so far
	existed  bool        // the file was on disk before the patch
	created  bool        // an edit of this patch creates it
	mode     fs.FileMode // permission bits to write with
	touched  []span      // spans of content written by earlier edits
}

// span is a byte range [start, end) of a file written by one edit.
type span struct{ start, end, edit int }

// Validate checks the patch against the checkout at root without writing:
// every path is relative, inside root (symlinks followed), outside .git,
// not protected and allowed; every Old occurs exactly once in the file as
// the earlier edits leave it; no edit rewrites text an earlier one wrote;
// no file is binary; and the caps hold. Failures are *Error values.
func (p Patch) Validate(root string, lim Limits) error {
	_, err := p.plan(root, lim)
	return err
}

// plan validates the patch and returns the final content of every file.
func (p Patch) plan(root string, lim Limits) ([]*file, error) {
	lim, err := lim.resolved()
	if err != nil {
		return nil, &Error{Index: -1, Reason: err.Error()}
	}
	if len(p.Edits) == 0 {
		return nil, &Error{Index: -1, Reason: "no edits"}
	}
	byPath := map[string]*file{}
	var files []*file
	changed := 0
	for i, e := range p.Edits {
		fail := func(format string, args ...any) error {
			return &Error{Index: i, File: e.File, Reason: fmt.Sprintf(format, args...)}
		}
		rel, resolved, err := checkPath(root, e.File, lim)
		if err != nil {
			return nil, fail("%v", err)
		}
		f := byPath[resolved]
		if f == nil {
			if lim.MaxFiles >= 0 && len(files) >= lim.MaxFiles {
				return nil, fail("more than %d files", lim.MaxFiles)
			}
			if f, err = load(root, rel, resolved); err != nil {
				return nil, fail("%v", err)
			}
			byPath[resolved] = f
			files = append(files, f)
		}
		if err := f.apply(i, e); err != nil {
			return nil, fail("%v", err)
		}
		changed += changedLines(e.Old, e.New)
		if lim.MaxChangedLines >= 0 && changed > lim.MaxChangedLines {
			return nil, fail("%d changed lines, over the cap of %d", changed, lim.MaxChangedLines)
		}
	}
	return files, nil
}

// checkPath confines a path to root and checks it against the limits.
func checkPath(root, name string, lim Limits) (rel, resolved string, err error) {
	rel, resolved, err = workspace.Confine(root, name)
	if err != nil {
		return "", "", err
	}
	for _, p := range []string{rel, resolved} {
		if pat := ProtectedBy(lim.Protected, p); pat != "" {
			return "", "", fmt.Errorf("%s is protected (%s)", p, pat)
		}
		if len(lim.Allowed) > 0 && allowedBy(lim.Allowed, p) == "" {
			return "", "", fmt.Errorf("%s is outside the allowed paths", p)
		}
	}
	return rel, resolved, nil
}

// load reads the current state of a file; a missing file is not an error.
func load(root, rel, resolved string) (*file, error) {
	f := &file{rel: rel, resolved: resolved, mode: 0o644}
	fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(resolved)))
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	switch {
	case err != nil:
		return nil, err
	case !fi.Mode().IsRegular():
		return nil, errors.New("not a regular file")
	case fi.Size() > maxFileBytes:
		return nil, fmt.Errorf("%d bytes, over the %d-byte cap", fi.Size(), maxFileBytes)
	}
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(resolved)))
	if err != nil {
		return nil, err
	}
	if strings.IndexByte(string(data), 0) >= 0 {
		return nil, errors.New("binary file (NUL byte)")
	}
	f.original, f.content, f.existed, f.mode = string(data), string(data), true, fi.Mode().Perm()
	return f, nil
}

// apply plans edit i on the file.
func (f *file) apply(i int, e Edit) error {
	switch {
	case e.Old == e.New:
		return errors.New("new text is identical to old")
	case strings.IndexByte(e.New, 0) >= 0:
		return errors.New("new text is binary (NUL byte)")
	case e.Old == "":
		return f.create(i, e.New)
	case !f.existed && !f.created:
		return errors.New("file does not exist (an empty old creates it)")
	}
	start := strings.Index(f.content, e.Old)
	if start < 0 {
		return errors.New("old text not found")
	}
	if strings.Contains(f.content[start+1:], e.Old) {
		return errors.New("old text found more than once; quote more context")
	}
	end := start + len(e.Old)
	for _, s := range f.touched {
		if s.overlaps(start, end) {
			return fmt.Errorf("overlaps edit %d", s.edit)
		}
	}
	delta := len(e.New) - len(e.Old)
	for k := range f.touched {
		if f.touched[k].start >= end {
			f.touched[k].start += delta
			f.touched[k].end += delta
		}
	}
	f.touched = append(f.touched, span{start, start + len(e.New), i})
	f.content = f.content[:start] + e.New + f.content[end:]
	return nil
}

// create plans the creation of the file.
func (f *file) create(i int, content string) error {
	if f.existed || f.created {
		return errors.New("file already exists (an empty old creates a file)")
	}
	f.created, f.content = true, content
	f.touched = []span{{0, len(content), i}}
	return nil
}

// overlaps reports whether [start, end) rewrites any of the span, or spans
// the point where an earlier edit deleted text.
func (s span) overlaps(start, end int) bool {
	if s.start == s.end {
		return start < s.start && s.start < end
	}
	return start < s.end && s.start < end
}

// changedLines counts the removed plus added lines of an edit, ignoring the
// lines Old and New share at their start and end.
func changedLines(old, new string) int {
	a, b := splitLines(old), splitLines(new)
	for len(a) > 0 && len(b) > 0 && a[0] == b[0] {
		a, b = a[1:], b[1:]
	}
	for len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1] {
		a, b = a[:len(a)-1], b[:len(b)-1]
	}
	return len(a) + len(b)
}

// splitLines splits s into lines without their newlines.
func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}
