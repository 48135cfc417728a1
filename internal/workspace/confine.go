package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// ErrOutside reports a path that leaves the checkout, directly or through a
// symlink, or that points into .git.
var ErrOutside = errors.New("path leaves the checkout")

// CleanRel cleans a repository-relative slash path and refuses absolute
// paths, paths that climb out with "..", backslashes, and .git.
func CleanRel(rel string) (string, error) {
	switch {
	case rel == "":
		return "", errors.New("empty path")
	case strings.ContainsRune(rel, 0):
		return "", fmt.Errorf("path %q: contains a NUL byte", rel)
	case strings.Contains(rel, `\`):
		return "", fmt.Errorf("path %q: contains a backslash", rel)
	case path.IsAbs(rel) || filepath.VolumeName(rel) != "" || (len(rel) > 1 && rel[1] == ':'):
		return "", fmt.Errorf("path %q: absolute, want repository-relative: %w", rel, ErrOutside)
	}
	clean := path.Clean(rel)
	switch {
	case clean == ".":
		return "", fmt.Errorf("path %q: names the repository root", rel)
	case clean == ".." || strings.HasPrefix(clean, "../"):
		return "", fmt.Errorf("path %q: %w", rel, ErrOutside)
	case inGitDir(clean):
		return "", fmt.Errorf("path %q: inside .git: %w", rel, ErrOutside)
	}
	return clean, nil
}

// inGitDir reports whether a slash path has a .git component.
func inGitDir(p string) bool {
	for part := range strings.SplitSeq(p, "/") {
		if strings.EqualFold(part, ".git") {
			return true
		}
	}
	return false
}

// Confine checks that rel stays inside root once symlinks are followed. The
// path need not exist: its nearest existing ancestor is checked instead. It
// returns rel cleaned, and the repository-relative path it really names
// (they differ when a symlink inside the checkout is on the way).
func Confine(root, rel string) (clean, resolved string, err error) {
	clean, err = CleanRel(rel)
	if err != nil {
		return "", "", err
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", "", fmt.Errorf("confine %q: root: %w", rel, err)
	}
	existing, tail, err := splitExisting(filepath.Join(realRoot, filepath.FromSlash(clean)))
	if err != nil {
		return "", "", fmt.Errorf("confine %q: %w", rel, err)
	}
	real, err := filepath.EvalSymlinks(existing)
	if err != nil {
		return "", "", fmt.Errorf("confine %q: %w", rel, err)
	}
	r, err := filepath.Rel(realRoot, filepath.Join(real, tail))
	if err != nil {
		return "", "", fmt.Errorf("confine %q: %w", rel, err)
	}
	resolved = filepath.ToSlash(r)
	if resolved == ".." || strings.HasPrefix(resolved, "../") || filepath.IsAbs(r) {
		return "", "", fmt.Errorf("path %q: symlink to %s: %w", rel, real, ErrOutside)
	}
	if resolved == "." || inGitDir(resolved) {
		return "", "", fmt.Errorf("path %q: resolves to %q: %w", rel, resolved, ErrOutside)
	}
	return clean, resolved, nil
}

// splitExisting splits p into its longest existing prefix and the rest.
func splitExisting(p string) (existing, tail string, err error) {
	existing = p
	for {
		_, err := os.Lstat(existing)
		if err == nil {
			return existing, tail, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", "", err
		}
		parent := filepath.Dir(existing)
		if parent == existing {
			return "", "", err
		}
		tail = filepath.Join(filepath.Base(existing), tail)
		existing = parent
	}
}

// regularFile reports whether rel names an existing regular file inside the
// checkout, and returns it cleaned.
func (w *Workspace) regularFile(rel string) (string, bool) {
	clean, resolved, err := Confine(w.root, rel)
	if err != nil {
		return "", false
	}
	fi, err := os.Stat(filepath.Join(w.root, filepath.FromSlash(resolved)))
	if err != nil || !fi.Mode().IsRegular() {
		return "", false
	}
	return clean, true
}
