package ghwork

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"path"
	"strings"

	"github.com/google/go-github/v62/github"
)

// CommitRequest is one commit on top of ParentSHA, moving Branch to it.
type CommitRequest struct {
	Branch    string
	ParentSHA string
	Message   string
	Files     []FileChange
	// Force moves Branch even when the commit does not descend from it:
	// a fix replaces the claim commit of its own branch.
	Force bool
}

// FileChange writes Content to Path (a regular file, mode 100644), or
// deletes Path when Delete is set.
type FileChange struct {
	Path    string
	Content []byte
	Delete  bool
}

func (r CommitRequest) validate() error {
	if r.Branch == "" || r.ParentSHA == "" || strings.TrimSpace(r.Message) == "" {
		return errors.New("branch, parent sha and message are required")
	}
	if len(r.Files) == 0 {
		return errors.New("no files to commit")
	}
	seen := map[string]bool{}
	for _, f := range r.Files {
		clean := path.Clean(f.Path)
		switch {
		case f.Path == "" || clean != f.Path || path.IsAbs(f.Path) || clean == "." || strings.HasPrefix(clean, "../") || clean == "..":
			return fmt.Errorf("file path %q: want a clean path relative to the repository root", f.Path)
		case seen[f.Path]:
			return fmt.Errorf("file path %q: listed twice", f.Path)
		case f.Delete && len(f.Content) > 0:
			return fmt.Errorf("file path %q: deleted with content", f.Path)
		}
		seen[f.Path] = true
	}
	return nil
}

// Commit writes the files as blobs, a tree on the parent's tree, and a
// commit with ParentSHA as its parent, then moves Branch to it (forced
// only when req.Force). It returns the new commit's SHA.
func (c *Client) Commit(ctx context.Context, req CommitRequest) (string, error) {
	if err := req.validate(); err != nil {
		return "", fmt.Errorf("commit to branch %q: %w", req.Branch, err)
	}
	parent, _, err := c.gh.Git.GetCommit(ctx, c.owner, c.name, req.ParentSHA)
	if err != nil {
		return "", fmt.Errorf("commit to branch %q: get parent %s: %w", req.Branch, req.ParentSHA, err)
	}
	entries, err := c.treeEntries(ctx, req.Files)
	if err != nil {
		return "", fmt.Errorf("commit to branch %q: %w", req.Branch, err)
	}
	tree, _, err := c.gh.Git.CreateTree(ctx, c.owner, c.name, parent.GetTree().GetSHA(), entries)
	if err != nil {
		return "", fmt.Errorf("commit to branch %q: create tree: %w", req.Branch, err)
	}
	commit, _, err := c.gh.Git.CreateCommit(ctx, c.owner, c.name, &github.Commit{
		Message: github.String(req.Message), Tree: &github.Tree{SHA: tree.SHA},
		Parents: []*github.Commit{{SHA: github.String(req.ParentSHA)}},
	}, nil)
	if err != nil {
		return "", fmt.Errorf("commit to branch %q: create commit: %w", req.Branch, err)
	}
	_, _, err = c.gh.Git.UpdateRef(ctx, c.owner, c.name, &github.Reference{
		Ref: github.String("refs/heads/" + req.Branch), Object: &github.GitObject{SHA: commit.SHA},
	}, req.Force)
	if err != nil {
		return "", fmt.Errorf("commit to branch %q: update ref: %w", req.Branch, err)
	}
	return commit.GetSHA(), nil
}

// treeEntries uploads each written file as a blob and returns the tree
// entries; a deletion is an entry with a null sha.
func (c *Client) treeEntries(ctx context.Context, files []FileChange) ([]*github.TreeEntry, error) {
	entries := make([]*github.TreeEntry, 0, len(files))
	for _, f := range files {
		e := &github.TreeEntry{Path: github.String(f.Path), Mode: github.String("100644"), Type: github.String("blob")}
		if !f.Delete {
			blob, _, err := c.gh.Git.CreateBlob(ctx, c.owner, c.name, &github.Blob{
				Content: github.String(base64.StdEncoding.EncodeToString(f.Content)), Encoding: github.String("base64"),
			})
			if err != nil {
				return nil, fmt.Errorf("create blob for %q: %w", f.Path, err)
			}
			e.SHA = blob.SHA
		}
		entries = append(entries, e)
	}
	return entries, nil
}
