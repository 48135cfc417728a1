package workspace

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Scratch is a throwaway git repository holding a copy of the checkout,
// committed as "base", in which patches are applied and tests run.
type Scratch struct {
	dir string
	git *git
}

// Scratch copies the checkout into dir (which must be empty or absent and
// outside the checkout), then commits everything as "base" in a fresh git
// repository. Only directories, regular files and symlinks that stay inside
// the checkout are copied; .git is not. The checkout itself is only read.
func (w *Workspace) Scratch(ctx context.Context, dir string) (*Scratch, error) {
	abs, err := w.scratchDir(dir)
	if err != nil {
		return nil, fmt.Errorf("make scratch %q: %w", dir, err)
	}
	if err := copyTree(ctx, w.root, abs); err != nil {
		return nil, fmt.Errorf("make scratch %q: %w", dir, err)
	}
	g, err := newGit(abs)
	if err != nil {
		return nil, fmt.Errorf("make scratch %q: %w", dir, err)
	}
	for _, args := range [][]string{
		{"init", "-q", "--initial-branch=base"},
		{"add", "-A", "-f"},
		{"commit", "-q", "--no-verify", "--allow-empty", "-m", "base"},
	} {
		if _, err := g.run(ctx, args...); err != nil {
			return nil, fmt.Errorf("make scratch %q: %w", dir, err)
		}
	}
	return &Scratch{dir: abs, git: g}, nil
}

// scratchDir creates dir when absent and checks it is empty and outside the
// checkout.
func (w *Workspace) scratchDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	existing, tail, err := splitExisting(abs)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(existing)
	if err != nil {
		return "", err
	}
	abs = filepath.Join(real, tail)
	if abs == w.root || strings.HasPrefix(abs, w.root+string(filepath.Separator)) {
		return "", errors.New("inside the checkout")
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return "", err
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return "", err
	}
	if len(entries) > 0 {
		return "", errors.New("not empty")
	}
	return abs, nil
}

// Dir returns the absolute path of the scratch copy.
func (s *Scratch) Dir() string { return s.dir }

// Reset puts the scratch copy back to base: tracked files restored,
// everything else removed.
func (s *Scratch) Reset(ctx context.Context) error {
	if _, err := s.git.run(ctx, "reset", "-q", "--hard", "HEAD"); err != nil {
		return fmt.Errorf("reset scratch: %w", err)
	}
	if _, err := s.git.run(ctx, "clean", "-ffdxq"); err != nil {
		return fmt.Errorf("reset scratch: %w", err)
	}
	return nil
}

// Diff returns the unified diff of the working tree against base, new
// files included.
func (s *Scratch) Diff(ctx context.Context) (string, error) {
	out, err := s.staged(ctx, "diff", "--cached", "--no-color", "--no-ext-diff", "--no-renames", "HEAD")
	if err != nil {
		return "", fmt.Errorf("diff scratch: %w", err)
	}
	return out, nil
}

// Changed returns the repository-relative paths that differ from base,
// sorted.
func (s *Scratch) Changed(ctx context.Context) ([]string, error) {
	out, err := s.staged(ctx, "diff", "--cached", "--name-only", "-z", "--no-renames", "HEAD")
	if err != nil {
		return nil, fmt.Errorf("list changes: %w", err)
	}
	var files []string
	for f := range strings.SplitSeq(out, "\x00") {
		if f != "" {
			files = append(files, f)
		}
	}
	slices.Sort(files)
	return files, nil
}

// staged runs a git command with the whole working tree staged, then
// unstages it again.
func (s *Scratch) staged(ctx context.Context, args ...string) (string, error) {
	if _, err := s.git.run(ctx, "add", "-A"); err != nil {
		return "", err
	}
	out, err := s.git.run(ctx, args...)
	if _, rerr := s.git.run(ctx, "reset", "-q"); err == nil && rerr != nil {
		err = rerr
	}
	return out, err
}
