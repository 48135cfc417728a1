package patch

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// Apply validates the patch with the default Limits, then writes it under
// root. It returns the changed files, sorted.
func (p Patch) Apply(root string) ([]string, error) {
	return p.ApplyLimited(root, Limits{})
}

// ApplyLimited validates the patch with lim, then writes it under root, one
// file at a time, each atomically (a temporary file renamed into place). It
// returns the changed files, sorted. Nothing is written when validation
// fails.
func (p Patch) ApplyLimited(root string, lim Limits) ([]string, error) {
	files, err := p.plan(root, lim)
	if err != nil {
		return nil, err
	}
	var changed []string
	for _, f := range files {
		if err := f.write(root); err != nil {
			return changed, fmt.Errorf("apply patch: write %s: %w", f.rel, err)
		}
		changed = append(changed, f.rel)
	}
	slices.Sort(changed)
	return changed, nil
}

// write replaces the file's content atomically, creating directories as
// needed.
func (f *file) write(root string) error {
	target := filepath.Join(root, filepath.FromSlash(f.resolved))
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".dawnpatch-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(f.content); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(f.mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}
