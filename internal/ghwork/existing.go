package ghwork

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/go-github/v62/github"
)

// Lookup names an error class and the ways people refer to it.
type Lookup struct {
	Fingerprint string
	// ShortID is the Sentry short id (SHOP-1A), when known.
	ShortID string
	// IssueURL is the Sentry issue's web address, when known.
	IssueURL string
	// Area names the code the error crashes in (a package or directory),
	// to find earlier rejections there; "" skips that.
	Area string
}

// Ticket is an issue or pull request on GitHub.
type Ticket struct {
	Number   int
	URL      string
	Title    string
	Author   string
	IsPR     bool
	ClosedAt time.Time
}

// Existing is the work GitHub already holds for an error class.
type Existing struct {
	// Open is dawnpatch's open pull request for the fingerprint.
	Open *PR
	// Rejected is the most recently closed, unmerged dawnpatch pull
	// request for the fingerprint: a human said no.
	Rejected *Ticket
	// Human is an open issue or pull request without dawnpatch's marker
	// that mentions the error: a human owns it.
	Human *Ticket
	// AreaRejections are dawnpatch pull requests for any error class in the
	// same area that were closed unmerged.
	AreaRejections []Ticket
}

// FindExisting looks for dawnpatch's own pull requests and humans' tickets
// about an error class in one search call, and sorts them out locally: the
// marker tells dawnpatch's pull requests from everything else.
func (c *Client) FindExisting(ctx context.Context, l Lookup) (*Existing, error) {
	if !fingerprintRE.MatchString(l.Fingerprint) {
		return nil, fmt.Errorf("find existing work: invalid fingerprint %q", l.Fingerprint)
	}
	q := fmt.Sprintf("repo:%s %s", c.repo(), strings.Join(mentions(l), " OR "))
	res, _, err := c.gh.Search.Issues(ctx, q, &github.SearchOptions{Sort: "updated", ListOptions: github.ListOptions{PerPage: 100}})
	if err != nil {
		return nil, fmt.Errorf("find existing work for %.12s: %w", l.Fingerprint, err)
	}
	ex := &Existing{}
	for _, it := range res.Issues {
		ex.add(it, l)
	}
	return ex, nil
}

// mentions are the quoted search terms that name the error class.
func mentions(l Lookup) []string {
	terms := []string{`"dawnpatch:fp=` + l.Fingerprint + `"`, `"` + l.Fingerprint[:min(12, len(l.Fingerprint))] + `"`}
	for _, s := range []string{l.ShortID, l.IssueURL} {
		if s != "" && !strings.ContainsAny(s, "\" \t\n") {
			terms = append(terms, `"`+s+`"`)
		}
	}
	if l.Area != "" {
		terms = append(terms, `"`+areaNeedle(l.Area)+`"`)
	}
	return terms
}

// add sorts one search hit into the existing work.
func (ex *Existing) add(it *github.Issue, l Lookup) {
	t := &Ticket{Number: it.GetNumber(), URL: it.GetHTMLURL(), Title: it.GetTitle(), Author: it.GetUser().GetLogin(),
		IsPR: it.IsPullRequest(), ClosedAt: it.GetClosedAt().Time}
	ours := it.IsPullRequest() && hasMarker(it.GetBody(), l.Fingerprint)
	unmerged := it.GetState() == "closed" && it.GetPullRequestLinks().GetMergedAt().IsZero()
	if l.Area != "" && it.IsPullRequest() && unmerged && strings.Contains(it.GetBody(), AreaMarker(l.Area)) {
		ex.AreaRejections = append(ex.AreaRejections, *t)
	}
	switch {
	case ours && it.GetState() == "open" && ex.Open == nil:
		ex.Open = &PR{Number: t.Number, URL: t.URL, Body: it.GetBody(), State: "open"}
	case ours && unmerged:
		if ex.Rejected == nil || t.ClosedAt.After(ex.Rejected.ClosedAt) {
			ex.Rejected = t
		}
	case !ours && it.GetState() == "open" && !strings.Contains(it.GetBody(), "dawnpatch:fp=") && ex.Human == nil:
		ex.Human = t
	}
}

// CountOpenedSince counts dawnpatch's pull requests created since t, for
// the daily cap: one search call.
func (c *Client) CountOpenedSince(ctx context.Context, t time.Time) (int, error) {
	q := fmt.Sprintf(`repo:%s is:pr in:body "dawnpatch:fp=" created:>=%s`, c.repo(), t.UTC().Format(time.RFC3339))
	res, _, err := c.gh.Search.Issues(ctx, q, &github.SearchOptions{ListOptions: github.ListOptions{PerPage: 1}})
	if err != nil {
		return 0, fmt.Errorf("count pull requests opened since %s: %w", t.Format(time.RFC3339), err)
	}
	return res.GetTotal(), nil
}

// recurrenceMarker tags dawnpatch's "fired again" comments.
func recurrenceMarker(fingerprint string) string {
	return "<!-- dawnpatch:recurrence fp=" + fingerprint + " -->"
}

// NoteRecurrence adds a short comment to the open pull request that the
// error fired again, at most once per gap: it lists the comments made since
// now-gap (one call) and comments only when none of them is such a note.
// It reports whether it commented.
func (c *Client) NoteRecurrence(ctx context.Context, number int, fingerprint, note string, now time.Time, gap time.Duration) (bool, error) {
	since := now.Add(-gap)
	comments, _, err := c.gh.Issues.ListComments(ctx, c.owner, c.name, number, &github.IssueListCommentsOptions{
		Since: &since, ListOptions: github.ListOptions{PerPage: 100},
	})
	if err != nil {
		return false, fmt.Errorf("list comments of #%d: %w", number, err)
	}
	for _, cm := range comments {
		if strings.Contains(cm.GetBody(), recurrenceMarker(fingerprint)) {
			return false, nil
		}
	}
	body := note + "\n\n" + recurrenceMarker(fingerprint)
	if _, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.name, number, &github.IssueComment{Body: &body}); err != nil {
		return false, fmt.Errorf("comment on #%d: %w", number, err)
	}
	return true, nil
}
