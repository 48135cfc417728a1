package eval

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// History is the checkout's git history after the base commit: an
// optional tag on the base (a release), then one commit per change. The
// fake GitHub holds the final tree.
type History struct {
	Tag     string   `yaml:"tag"`
	Commits []Change `yaml:"commits"`
}

// Change is one later commit: in File, the text Replace (which must occur
// exactly once) becomes With.
type Change struct {
	File    string `yaml:"file"`
	Replace string `yaml:"replace"`
	With    string `yaml:"with"`
	Message string `yaml:"message"`
}

// tagName is the tags a scenario may set: plain release names.
var tagName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@+-]*$`)

// validate checks the history against the scenario's repository by
// playing every change on the files in memory.
func (h *History) validate(repo string) error {
	if h.Tag == "" && len(h.Commits) == 0 {
		return fmt.Errorf("history: want a tag, commits or both")
	}
	if h.Tag != "" && (!tagName.MatchString(h.Tag) || strings.Contains(h.Tag, "..") || strings.HasSuffix(h.Tag, ".lock")) {
		return fmt.Errorf("history: tag: %q is not a plain tag name", h.Tag)
	}
	files := map[string]string{}
	for i, c := range h.Commits {
		rel, err := workspace.CleanRel(c.File)
		if err != nil || c.File == "" {
			return fmt.Errorf("history: commits[%d]: file: %q is not a path inside the repository", i, c.File)
		}
		if c.Replace == "" || c.Replace == c.With {
			return fmt.Errorf("history: commits[%d]: replace must be non-empty and differ from with", i)
		}
		body, ok := files[rel]
		if !ok {
			data, err := os.ReadFile(filepath.Join(repo, rel))
			if err != nil {
				return fmt.Errorf("history: commits[%d]: %w", i, err)
			}
			body = string(data)
		}
		if files[rel], err = c.apply(body); err != nil {
			return fmt.Errorf("history: commits[%d]: %w", i, err)
		}
	}
	return nil
}

// apply makes the change on body.
func (c Change) apply(body string) (string, error) {
	if n := strings.Count(body, c.Replace); n != 1 {
		return "", fmt.Errorf("%q occurs %d times in %s, want once", c.Replace, n, c.File)
	}
	return strings.Replace(body, c.Replace, c.With, 1), nil
}

// applyHistory tags the checkout's base commit and commits the changes
// after it, with real git.
func (w *world) applyHistory(ctx context.Context, host func(string) string) error {
	h := w.s.History
	if h == nil {
		return nil
	}
	git := w.git(host)
	if h.Tag != "" {
		if err := git(ctx, "tag", h.Tag); err != nil {
			return err
		}
	}
	for i, c := range h.Commits {
		p := filepath.Join(w.checkout, c.File)
		body, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("history: commits[%d]: %w", i, err)
		}
		next, err := c.apply(string(body))
		if err != nil {
			return fmt.Errorf("history: commits[%d]: %w", i, err)
		}
		if err := os.WriteFile(p, []byte(next), 0o644); err != nil {
			return fmt.Errorf("history: commits[%d]: %w", i, err)
		}
		msg := orDefault(c.Message, "change "+c.File)
		if err := git(ctx, "add", "--", c.File); err != nil {
			return err
		}
		if err := git(ctx, "commit", "-q", "--no-verify", "-m", msg); err != nil {
			return err
		}
	}
	return nil
}

// git runs git in the checkout with a fixed identity and no user or
// system configuration.
func (w *world) git(host func(string) string) func(ctx context.Context, args ...string) error {
	env := []string{"PATH=" + host("PATH"), "HOME=" + w.dir, "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=eval", "GIT_AUTHOR_EMAIL=eval@example.com", "GIT_COMMITTER_NAME=eval", "GIT_COMMITTER_EMAIL=eval@example.com"}
	return func(ctx context.Context, args ...string) error {
		cmd := exec.CommandContext(ctx, "git", args...)
		cmd.Dir, cmd.Env = w.checkout, env
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("history: git %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
		}
		return nil
	}
}
