package ghwork

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/google/go-github/v62/github"
)

// PR is a pull request as dawnpatch needs it.
type PR struct {
	Number int
	URL    string // the web page
	Head   string // head branch; empty when found through search
	Body   string
	State  string // "open" or "closed"
	Author string // the login that opened it
	// Commits is known when the pull request was read whole (GetPR).
	Commits   int
	CreatedAt time.Time
}

// ActionsBot is the login of pull requests opened with a workflow's
// GITHUB_TOKEN; GitHub starts no workflow runs for their events.
const ActionsBot = "github-actions[bot]"

// NewPR is a pull request to open.
type NewPR struct {
	Title, Body string
	Head, Base  string // branch names in the client's repository
	Draft       bool
	Labels      []string
}

var fingerprintRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// BranchName is the branch for a fingerprint: "dawnpatch/" and its first 12
// characters (all of it when shorter).
func BranchName(fingerprint string) string {
	return "dawnpatch/" + fingerprint[:min(12, len(fingerprint))]
}

// OpenPR opens the pull request, then adds its labels. When labelling
// fails the opened PR is returned together with the error. Like EditBody,
// it keeps a marker block in the body at its end.
func (c *Client) OpenPR(ctx context.Context, pr NewPR) (*PR, error) {
	if pr.Title == "" || pr.Head == "" || pr.Base == "" {
		return nil, errors.New("open pull request: title, head and base are required")
	}
	p, _, err := c.gh.PullRequests.Create(ctx, c.owner, c.name, &github.NewPullRequest{
		Title: github.String(pr.Title), Head: github.String(pr.Head), Base: github.String(pr.Base),
		Body: github.String(markersLast(pr.Body)), Draft: github.Bool(pr.Draft),
	})
	if err != nil {
		return nil, fmt.Errorf("open pull request %s -> %s: %w", pr.Head, pr.Base, err)
	}
	out := &PR{Number: p.GetNumber(), URL: p.GetHTMLURL(), Head: p.GetHead().GetRef(), Body: p.GetBody(), State: p.GetState(), Author: p.GetUser().GetLogin()}
	if len(pr.Labels) == 0 {
		return out, nil
	}
	if _, _, err := c.gh.Issues.AddLabelsToIssue(ctx, c.owner, c.name, out.Number, pr.Labels); err != nil {
		return out, fmt.Errorf("label pull request #%d: %w", out.Number, err)
	}
	return out, nil
}

// RequestReviewers asks users and teams (slugs) to review pull request
// number: one call, none when both are empty.
func (c *Client) RequestReviewers(ctx context.Context, number int, users, teams []string) error {
	if len(users) == 0 && len(teams) == 0 {
		return nil
	}
	_, _, err := c.gh.PullRequests.RequestReviewers(ctx, c.owner, c.name, number, github.ReviewersRequest{Reviewers: users, TeamReviewers: teams})
	if err != nil {
		return fmt.Errorf("request reviewers on #%d: %w", number, err)
	}
	return nil
}

// EditBody replaces pull request number's body: one call. When body holds
// dawnpatch's marker block with text after it (a note appended to a body
// that ended with the block), the block is moved to the end, so the pull
// request stays recognisable as dawnpatch's own (see FindOwn).
func (c *Client) EditBody(ctx context.Context, number int, body string) error {
	body = markersLast(body)
	if _, _, err := c.gh.PullRequests.Edit(ctx, c.owner, c.name, number, &github.PullRequest{Body: &body}); err != nil {
		return fmt.Errorf("edit the body of #%d: %w", number, err)
	}
	return nil
}

// CommitAuthor returns the login of the GitHub account a commit's author
// email belongs to, or "" when GitHub links it to none: one call.
func (c *Client) CommitAuthor(ctx context.Context, sha string) (string, error) {
	rc, _, err := c.gh.Repositories.GetCommit(ctx, c.owner, c.name, sha, nil)
	if err != nil {
		return "", fmt.Errorf("get commit %s: %w", sha, err)
	}
	return rc.GetAuthor().GetLogin(), nil
}

// GetPR reads pull request number whole: one call.
func (c *Client) GetPR(ctx context.Context, number int) (*PR, error) {
	p, _, err := c.gh.PullRequests.Get(ctx, c.owner, c.name, number)
	if err != nil {
		return nil, fmt.Errorf("get pull request #%d: %w", number, err)
	}
	return &PR{Number: p.GetNumber(), URL: p.GetHTMLURL(), Head: p.GetHead().GetRef(), Body: p.GetBody(), State: p.GetState(),
		Author: p.GetUser().GetLogin(), Commits: p.GetCommits(), CreatedAt: p.GetCreatedAt().Time}, nil
}
