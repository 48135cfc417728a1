package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Entry is one item of a directory listing.
type Entry struct {
	Name string
	// Dir is set for directories; Link for symlinks (never followed).
	Dir, Link bool
	// Size is the size of a regular file in bytes.
	Size int64
}

// List returns the entries of the checkout directory rel ("" or "." for
// the root), sorted by name, without .git. The directory must stay inside
// the checkout once symlinks are followed.
func (w *Workspace) List(rel string) ([]Entry, error) {
	dir := w.root
	if rel != "" && rel != "." && rel != "./" {
		_, resolved, err := Confine(w.root, rel)
		if err != nil {
			return nil, fmt.Errorf("list %s: %w", rel, err)
		}
		dir = filepath.Join(w.root, filepath.FromSlash(resolved))
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", rel, err)
	}
	out := make([]Entry, 0, len(des))
	for _, d := range des {
		if strings.EqualFold(d.Name(), ".git") {
			continue
		}
		e := Entry{Name: d.Name(), Dir: d.IsDir(), Link: d.Type()&os.ModeSymlink != 0}
		if d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				e.Size = fi.Size()
			}
		}
		out = append(out, e)
	}
	return out, nil
}
