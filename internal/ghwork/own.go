package ghwork

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// A pull request is dawnpatch's own when both hold:
//
//   - its head is a claim branch, dawnpatch/<fp12>, of this repository (not
//     of a fork): only people with write access can push that branch;
//   - its body ends with the marker block (ParseMarkers) whose fingerprint
//     that branch is named after.
//
// Anything else that mentions an error class, a fork's pull request or a
// marker pasted into any body, is at most a human's ticket.

// Own is dawnpatch's own work on one fingerprint.
type Own struct {
	// Open is dawnpatch's open pull request for the fingerprint.
	Open *PR
	// Rejected is dawnpatch's most recently closed, unmerged pull request
	// for the fingerprint: a human said no.
	Rejected *Ticket
}

// ownListSize is how many pull requests from a claim branch FindOwn reads:
// a branch is reused only after a rejection's cooldown, so a few at most.
const ownListSize = 100

// FindOwn finds dawnpatch's own pull requests for fingerprint, open and
// rejected: one call, GET /repos/{o}/{r}/pulls?head={owner}:dawnpatch/<fp12>&state=all,
// reading the newest 100 pull requests from the claim branch.
func (c *Client) FindOwn(ctx context.Context, fingerprint string) (*Own, error) {
	if !fingerprintRE.MatchString(fingerprint) {
		return nil, fmt.Errorf("find dawnpatch's pull requests: invalid fingerprint %q: want letters, digits, '-' or '_'", fingerprint)
	}
	branch := BranchName(fingerprint)
	prs, _, err := c.gh.PullRequests.List(ctx, c.owner, c.name, &github.PullRequestListOptions{
		State: "all", Head: c.owner + ":" + branch, ListOptions: github.ListOptions{PerPage: ownListSize},
	})
	if err != nil {
		return nil, fmt.Errorf("list pull requests from %s: %w", branch, err)
	}
	own := &Own{}
	for _, p := range prs {
		if m, ok := c.ours(p); !ok || m.Fingerprint != fingerprint {
			continue
		}
		switch {
		case p.GetState() == "open" && own.Open == nil:
			own.Open = prFrom(p)
		case p.GetState() == "closed" && p.MergedAt == nil:
			if t := ticketFrom(p); own.Rejected == nil || t.ClosedAt.After(own.Rejected.ClosedAt) {
				own.Rejected = t
			}
		}
	}
	return own, nil
}

// ours reads the marker block of a pull request that is dawnpatch's own
// work: its head is this repository's claim branch for the fingerprint
// its body's marker block names.
func (c *Client) ours(p *github.PullRequest) (Markers, bool) {
	head := p.GetHead()
	if !strings.EqualFold(head.GetRepo().GetFullName(), c.repo()) {
		return Markers{}, false
	}
	m, ok := ParseMarkers(p.GetBody())
	if !ok || head.GetRef() != BranchName(m.Fingerprint) {
		return Markers{}, false
	}
	return m, true
}

func prFrom(p *github.PullRequest) *PR {
	return &PR{Number: p.GetNumber(), URL: p.GetHTMLURL(), Head: p.GetHead().GetRef(), Body: p.GetBody(), State: p.GetState(),
		Author: p.GetUser().GetLogin(), Commits: p.GetCommits(), CreatedAt: p.GetCreatedAt().Time}
}

func ticketFrom(p *github.PullRequest) *Ticket {
	return &Ticket{Number: p.GetNumber(), URL: p.GetHTMLURL(), Title: p.GetTitle(), Author: p.GetUser().GetLogin(),
		IsPR: true, ClosedAt: p.GetClosedAt().Time}
}

// CountOpenedSince counts dawnpatch's own pull requests created since t,
// for the daily cap: one call, GET /repos/{o}/{r}/pulls?state=all&sort=created&direction=desc&per_page=100,
// counting the pull requests among the repository's newest 100 that are
// dawnpatch's own. A fork's pull request or a pasted marker never counts,
// so outsiders cannot use up the cap. Its limit: when more than 100 pull
// requests of any author were created since t, dawnpatch's older than the
// newest 100 are not seen and the count can be low.
func (c *Client) CountOpenedSince(ctx context.Context, t time.Time) (int, error) {
	prs, _, err := c.gh.PullRequests.List(ctx, c.owner, c.name, &github.PullRequestListOptions{
		State: "all", Sort: "created", Direction: "desc", ListOptions: github.ListOptions{PerPage: 100},
	})
	if err != nil {
		return 0, fmt.Errorf("count pull requests opened since %s: %w", t.Format(time.RFC3339), err)
	}
	n := 0
	for _, p := range prs {
		if _, ok := c.ours(p); ok && !p.GetCreatedAt().Time.Before(t) {
			n++
		}
	}
	return n, nil
}
