package ghwork

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// claimSubject starts the message of every claim commit.
const claimSubject = "dawnpatch: claim"

// Claim takes the lock on an error class: it makes an empty commit on
// baseSHA (its committer date records when the claim was made) and creates
// refs/heads/<branch> at it. GitHub creates a ref at most once, so of several
// runs racing, exactly one succeeds; the others get an error wrapping
// ErrClaimed. It returns the claim commit's SHA.
func (c *Client) Claim(ctx context.Context, branch, baseSHA string) (string, error) {
	if branch == "" || baseSHA == "" {
		return "", fmt.Errorf("claim branch %q at %q: branch and sha are required", branch, baseSHA)
	}
	sha, err := c.claimCommit(ctx, branch, baseSHA)
	if err != nil {
		return "", fmt.Errorf("claim branch %q: %w", branch, err)
	}
	_, _, err = c.gh.Git.CreateRef(ctx, c.owner, c.name, &github.Reference{
		Ref:    github.String("refs/heads/" + branch),
		Object: &github.GitObject{SHA: github.String(sha)},
	})
	var ge *github.ErrorResponse
	switch {
	case err == nil:
		return sha, nil
	case errors.As(err, &ge) && ge.Response != nil && ge.Response.StatusCode == http.StatusUnprocessableEntity &&
		strings.Contains(strings.ToLower(ge.Message), "already exists"):
		return "", fmt.Errorf("claim branch %q: %w", branch, ErrClaimed)
	}
	return "", fmt.Errorf("claim branch %q: %w", branch, err)
}

// claimCommit makes the empty commit a claim points at.
func (c *Client) claimCommit(ctx context.Context, branch, baseSHA string) (string, error) {
	base, _, err := c.gh.Git.GetCommit(ctx, c.owner, c.name, baseSHA)
	if err != nil {
		return "", fmt.Errorf("get base commit %s: %w", baseSHA, err)
	}
	commit, _, err := c.gh.Git.CreateCommit(ctx, c.owner, c.name, &github.Commit{
		Message: github.String(claimSubject + " " + branch + "\n\nThis branch is dawnpatch's lock on one error class. A fix replaces this commit."),
		Tree:    &github.Tree{SHA: base.GetTree().SHA},
		Parents: []*github.Commit{{SHA: github.String(baseSHA)}},
	}, nil)
	if err != nil {
		return "", fmt.Errorf("create claim commit: %w", err)
	}
	return commit.GetSHA(), nil
}

// ClaimState is what a branch that could not be claimed holds.
type ClaimState struct {
	// SHA is the commit the branch points at.
	SHA string
	// At is when that commit was made: the claim's time while OnlyClaim.
	At time.Time
	// OnlyClaim is true while the branch holds the claim commit and no fix.
	OnlyClaim bool
}

// State reads the claim on branch: two calls.
func (c *Client) State(ctx context.Context, branch string) (ClaimState, error) {
	sha, err := c.BranchSHA(ctx, branch)
	if err != nil {
		return ClaimState{}, err
	}
	commit, _, err := c.gh.Git.GetCommit(ctx, c.owner, c.name, sha)
	if err != nil {
		return ClaimState{}, fmt.Errorf("read claim on %q: %w", branch, err)
	}
	return ClaimState{
		SHA:       sha,
		At:        commit.GetCommitter().GetDate().Time,
		OnlyClaim: strings.HasPrefix(commit.GetMessage(), claimSubject),
	}, nil
}

// LookupClaim reads the claim on branch without a write: one call,
// GET /repos/{o}/{r}/branches/{branch}, which answers the branch's head
// commit. ok is false when the branch does not exist. GitHub answers 404
// both for a missing branch and for a repository the token cannot see;
// both read as no claim (a Claim that follows fails loudly in the second
// case). State reads the same in two calls.
func (c *Client) LookupClaim(ctx context.Context, branch string) (st ClaimState, ok bool, err error) {
	if branch == "" {
		return ClaimState{}, false, errors.New("look up claim: empty branch name")
	}
	req, err := c.gh.NewRequest(http.MethodGet, fmt.Sprintf("repos/%s/%s/branches/%s", c.owner, c.name, url.PathEscape(branch)), nil)
	if err != nil {
		return ClaimState{}, false, fmt.Errorf("look up claim %q: %w", branch, err)
	}
	var b github.Branch
	resp, err := c.gh.Do(ctx, req, &b)
	switch {
	case resp != nil && resp.StatusCode == http.StatusNotFound:
		return ClaimState{}, false, nil
	case err != nil:
		return ClaimState{}, false, fmt.Errorf("look up claim %q: %w", branch, err)
	case b.GetCommit().GetSHA() == "":
		return ClaimState{}, false, fmt.Errorf("look up claim %q: no commit in the answer", branch)
	}
	commit := b.GetCommit().GetCommit()
	return ClaimState{
		SHA:       b.GetCommit().GetSHA(),
		At:        commit.GetCommitter().GetDate().Time,
		OnlyClaim: strings.HasPrefix(commit.GetMessage(), claimSubject),
	}, true, nil
}

// TakeOver replaces a stale claim with a fresh one on baseSHA, forcing the
// branch. Call it only for a claim older than the policy's TTL with no pull
// request; of two runs taking over at once, the later one's claim stands and
// the pull request GitHub refuses to open twice keeps the result single.
func (c *Client) TakeOver(ctx context.Context, branch, baseSHA string) (string, error) {
	sha, err := c.claimCommit(ctx, branch, baseSHA)
	if err != nil {
		return "", fmt.Errorf("take over claim %q: %w", branch, err)
	}
	_, _, err = c.gh.Git.UpdateRef(ctx, c.owner, c.name, &github.Reference{
		Ref: github.String("refs/heads/" + branch), Object: &github.GitObject{SHA: github.String(sha)},
	}, true)
	if err != nil {
		return "", fmt.Errorf("take over claim %q: %w", branch, err)
	}
	return sha, nil
}

// OpenPRFor returns the open pull request from branch head of this
// repository (a fork's branch of the same name does not count), or nil:
// one call.
func (c *Client) OpenPRFor(ctx context.Context, head string) (*PR, error) {
	prs, _, err := c.gh.PullRequests.List(ctx, c.owner, c.name, &github.PullRequestListOptions{
		State: "open", Head: c.owner + ":" + head, ListOptions: github.ListOptions{PerPage: 5},
	})
	if err != nil {
		return nil, fmt.Errorf("list pull requests from %q: %w", head, err)
	}
	for _, p := range prs {
		if h := p.GetHead(); h.GetRef() == head && strings.EqualFold(h.GetRepo().GetFullName(), c.repo()) {
			return prFrom(p), nil
		}
	}
	return nil, nil
}
