package ghwork

import (
	"context"
	"fmt"
	"time"

	"github.com/google/go-github/v62/github"
)

// PRRecord is one of dawnpatch's pull requests, as the scorecard reads it.
type PRRecord struct {
	Number      int
	Fingerprint string
	// Sentry is the Sentry issue id the marker names, when it does.
	Sentry    string
	State     string // open or closed
	Merged    bool
	CreatedAt time.Time
	ClosedAt  time.Time // zero while open
	// FirstReview is when the first review was submitted; zero when none
	// was, or when details were not read (see Detailed).
	FirstReview time.Time
	// Commits counts the pull request's commits: 1 means nobody pushed to
	// it after dawnpatch.
	Commits int
	// Detailed reports whether FirstReview and Commits were read.
	Detailed bool
}

// ListPRs returns dawnpatch's pull requests created since since (all of
// them for a zero since), newest first, reading at most maxPages search
// pages of 100. truncated reports that more were there. A pull request
// counts when its body ends with a marker block (ParseMarkers); search
// results do not carry the head branch, so unlike FindOwn it does not
// check that the pull request comes from dawnpatch's claim branch.
func (c *Client) ListPRs(ctx context.Context, since time.Time, maxPages int) (prs []PRRecord, truncated bool, err error) {
	q := fmt.Sprintf(`repo:%s is:pr in:body "dawnpatch:fp="`, c.repo())
	if !since.IsZero() {
		q += " created:>=" + since.UTC().Format(time.RFC3339)
	}
	opt := &github.SearchOptions{Sort: "created", Order: "desc", ListOptions: github.ListOptions{PerPage: 100}}
	for page := 1; page <= maxPages; page++ {
		opt.Page = page
		res, resp, err := c.gh.Search.Issues(ctx, q, opt)
		if err != nil {
			return nil, false, fmt.Errorf("list dawnpatch pull requests (page %d): %w", page, err)
		}
		for _, it := range res.Issues {
			if rec, ok := record(it); ok {
				prs = append(prs, rec)
			}
		}
		if resp.NextPage == 0 {
			return prs, false, nil
		}
	}
	return prs, true, nil
}

// record reads a search hit; hits whose body does not end with a marker
// block are not dawnpatch's.
func record(it *github.Issue) (PRRecord, bool) {
	m, ok := ParseMarkers(it.GetBody())
	if !ok || !it.IsPullRequest() {
		return PRRecord{}, false
	}
	merged := it.GetPullRequestLinks().GetMergedAt()
	return PRRecord{
		Number: it.GetNumber(), Fingerprint: m.Fingerprint, Sentry: m.Sentry, State: it.GetState(), Merged: !merged.IsZero(),
		CreatedAt: it.GetCreatedAt().Time, ClosedAt: it.GetClosedAt().Time,
	}, true
}

// Detail reads a pull request's first review and commit count: two calls.
func (c *Client) Detail(ctx context.Context, rec *PRRecord) error {
	pr, _, err := c.gh.PullRequests.Get(ctx, c.owner, c.name, rec.Number)
	if err != nil {
		return fmt.Errorf("get pull request #%d: %w", rec.Number, err)
	}
	reviews, _, err := c.gh.PullRequests.ListReviews(ctx, c.owner, c.name, rec.Number, &github.ListOptions{PerPage: 100})
	if err != nil {
		return fmt.Errorf("list reviews of #%d: %w", rec.Number, err)
	}
	rec.Commits = pr.GetCommits()
	for _, r := range reviews {
		at := r.GetSubmittedAt().Time
		if !at.IsZero() && (rec.FirstReview.IsZero() || at.Before(rec.FirstReview)) {
			rec.FirstReview = at
		}
	}
	rec.Detailed = true
	return nil
}
