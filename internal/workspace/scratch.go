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

// Scratch is a throwaway copy of the checkout, committed as "base" in a
// git repository whose git directory lives beside it, not in it: tests run
// in the copy and never see or touch dawnpatch's git (its config, hooks or
// objects). Patches are applied and tests run in the copy.
type Scratch struct {
	dir  string
	git  *git
	keep []string
}

// Scratch copies the checkout into dir (which must be empty or absent and
// outside the checkout), then commits everything as "base" in a fresh git
// repository kept in dir+".git". Only directories, regular files and
// symlinks that stay inside the checkout are copied; .git is not. The
// checkout itself is only read. Reset keeps the top-level paths keep names
// (what a setup installed).
func (w *Workspace) Scratch(ctx context.Context, dir string, keep ...string) (*Scratch, error) {
	abs, err := w.scratchDir(dir)
	if err != nil {
		return nil, fmt.Errorf("make scratch %q: %w", dir, err)
	}
	gitDir := abs + ".git"
	if err := os.Mkdir(gitDir, 0o700); err != nil {
		return nil, fmt.Errorf("make scratch %q: %w", dir, err)
	}
	g, err := w.commitCopy(ctx, abs, "--git-dir="+gitDir, "--work-tree="+abs)
	if err != nil {
		return nil, fmt.Errorf("make scratch %q: %w", dir, err)
	}
	return &Scratch{dir: abs, git: g, keep: keep}, nil
}

// Copy copies the checkout into dir (empty or absent, outside the
// checkout) as a git repository of its own, everything committed as "base"
// on branch base: a checkout of the same files, for the demo and the eval.
func (w *Workspace) Copy(ctx context.Context, dir string) error {
	abs, err := w.scratchDir(dir)
	if err == nil {
		_, err = w.commitCopy(ctx, abs)
	}
	if err != nil {
		return fmt.Errorf("copy the checkout to %q: %w", dir, err)
	}
	return nil
}

// commitCopy copies the checkout into abs and commits it in a fresh git
// repository; gitArgs place the git directory (default: abs/.git).
func (w *Workspace) commitCopy(ctx context.Context, abs string, gitArgs ...string) (*git, error) {
	if err := copyTree(ctx, w.root, abs); err != nil {
		return nil, err
	}
	g, err := newGit(abs)
	if err != nil {
		return nil, err
	}
	g.extra = gitArgs
	for _, args := range [][]string{
		{"init", "-q", "--initial-branch=base"},
		{"add", "-A", "-f"},
		{"commit", "-q", "--no-verify", "--allow-empty", "-m", "base"},
	} {
		if _, err := g.run(ctx, args...); err != nil {
			return nil, err
		}
	}
	return g, nil
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

// Remove deletes the scratch copy and its git directory.
func (s *Scratch) Remove() error {
	return errors.Join(os.RemoveAll(s.dir), os.RemoveAll(s.dir+".git"))
}

// Reset puts the scratch copy back to base: tracked files restored,
// everything else removed.
func (s *Scratch) Reset(ctx context.Context) error {
	if _, err := s.git.run(ctx, "reset", "-q", "--hard", "HEAD"); err != nil {
		return fmt.Errorf("reset scratch: %w", err)
	}
	args := []string{"clean", "-ffdxq"}
	for _, k := range s.keep {
		args = append(args, "-e", "/"+k)
	}
	if _, err := s.git.run(ctx, args...); err != nil {
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

// Tree returns the hash of the base tree: it names the base for caches.
func (s *Scratch) Tree(ctx context.Context) (string, error) {
	out, err := s.git.run(ctx, "rev-parse", "HEAD^{tree}")
	if err != nil {
		return "", fmt.Errorf("read scratch base: %w", err)
	}
	return strings.TrimSpace(out), nil
}
