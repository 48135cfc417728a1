package ghwork

import (
	"context"
	"fmt"
	"sort"
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
	// AreaSince leaves out area rejections closed before it, without
	// reading them; zero keeps them all.
	AreaSince time.Time
	// AreaMax is how many area rejections the caller needs at most:
	// verifying them stops there. 0 means 3.
	AreaMax int
}

// defaultAreaMax is Lookup.AreaMax's zero value.
const defaultAreaMax = 3

// Ticket is an issue or pull request on GitHub.
type Ticket struct {
	Number   int
	URL      string
	Title    string
	Author   string
	IsPR     bool
	ClosedAt time.Time
}

// Tickets is what a search finds about an error class besides dawnpatch's
// own pull requests for it.
type Tickets struct {
	// Human is an open issue or pull request that mentions the error and
	// is not dawnpatch's own work on another error class: a human owns it.
	Human *Ticket
	// AreaRejections are dawnpatch's own pull requests, for any error
	// class, in the same area that were closed unmerged, newest first.
	AreaRejections []Ticket
}

// Existing is the work GitHub already holds for an error class.
type Existing struct {
	// Open is dawnpatch's open pull request for the fingerprint.
	Open *PR
	// Rejected is the most recently closed, unmerged dawnpatch pull
	// request for the fingerprint: a human said no.
	Rejected *Ticket
	// Human is an open issue or pull request that mentions the error and
	// is not dawnpatch's own: a human owns it.
	Human *Ticket
	// AreaRejections are dawnpatch pull requests for any error class in the
	// same area that were closed unmerged.
	AreaRejections []Ticket
}

// FindExisting is FindOwn and FindTickets together: one list call, one
// search call, and the reads FindTickets verifies area rejections with.
// dawnpatch's own open pull request is never taken for a human's ticket.
func (c *Client) FindExisting(ctx context.Context, l Lookup) (*Existing, error) {
	own, err := c.FindOwn(ctx, l.Fingerprint)
	if err != nil {
		return nil, fmt.Errorf("find existing work: %w", err)
	}
	skip := map[int]bool{}
	if own.Open != nil {
		skip[own.Open.Number] = true
	}
	tk, err := c.findTickets(ctx, l, skip)
	if err != nil {
		return nil, err
	}
	return &Existing{Open: own.Open, Rejected: own.Rejected, Human: tk.Human, AreaRejections: tk.AreaRejections}, nil
}

// FindTickets looks for humans' open tickets about an error class and, when
// l.Area is set, dawnpatch's rejections in its area. It makes one search
// call; then, for area candidates only (closed unmerged pull requests whose
// marker block names the area), one GET /repos/{o}/{r}/pulls/{n} each to
// check that the pull request is dawnpatch's own, newest closed first,
// stopping at l.AreaMax verified rejections and after at most 2×AreaMax
// reads. Search results do not carry the head branch, so FindTickets cannot
// tell dawnpatch's own open pull request from a human's: call it once
// FindOwn found none open, or call FindExisting.
func (c *Client) FindTickets(ctx context.Context, l Lookup) (*Tickets, error) {
	return c.findTickets(ctx, l, nil)
}

// findTickets is FindTickets, never taking the pull requests in own for
// humans' tickets.
func (c *Client) findTickets(ctx context.Context, l Lookup, own map[int]bool) (*Tickets, error) {
	if !fingerprintRE.MatchString(l.Fingerprint) {
		return nil, fmt.Errorf("find tickets: invalid fingerprint %q", l.Fingerprint)
	}
	q := fmt.Sprintf("repo:%s %s", c.repo(), strings.Join(mentions(l), " OR "))
	res, _, err := c.gh.Search.Issues(ctx, q, &github.SearchOptions{Sort: "updated", ListOptions: github.ListOptions{PerPage: 100}})
	if err != nil {
		return nil, fmt.Errorf("find tickets for %.12s: %w", l.Fingerprint, err)
	}
	tk := &Tickets{}
	var candidates []*github.Issue
	for _, it := range res.Issues {
		if tk.Human == nil && !own[it.GetNumber()] && human(it, l.Fingerprint) {
			tk.Human = ticket(it)
		}
		if areaCandidate(it, l) {
			candidates = append(candidates, it)
		}
	}
	if tk.AreaRejections, err = c.verifyArea(ctx, l, candidates); err != nil {
		return nil, err
	}
	return tk, nil
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

func ticket(it *github.Issue) *Ticket {
	return &Ticket{Number: it.GetNumber(), URL: it.GetHTMLURL(), Title: it.GetTitle(), Author: it.GetUser().GetLogin(),
		IsPR: it.IsPullRequest(), ClosedAt: it.GetClosedAt().Time}
}

// human reports whether a search hit can be a human's ticket: it is open,
// and its body does not end with a marker block for another error class
// (dawnpatch's work on something else, or a copy of it).
func human(it *github.Issue, fingerprint string) bool {
	m, ok := ParseMarkers(it.GetBody())
	return it.GetState() == "open" && (!ok || m.Fingerprint == fingerprint)
}

// areaCandidate reports whether a search hit may be a rejection in l's
// area: a pull request closed unmerged since l.AreaSince whose body ends
// with a marker block naming the area.
func areaCandidate(it *github.Issue, l Lookup) bool {
	if l.Area == "" || !it.IsPullRequest() || it.GetState() != "closed" || !it.GetPullRequestLinks().GetMergedAt().IsZero() ||
		it.GetClosedAt().Time.Before(l.AreaSince) {
		return false
	}
	m, ok := ParseMarkers(it.GetBody())
	return ok && m.Area == cleanArea(l.Area)
}

// verifyArea reads candidates, newest closed first, and keeps those that
// are dawnpatch's own pull requests, closed unmerged, in l's area.
func (c *Client) verifyArea(ctx context.Context, l Lookup, candidates []*github.Issue) ([]Ticket, error) {
	want := l.AreaMax
	if want <= 0 {
		want = defaultAreaMax
	}
	sort.SliceStable(candidates, func(i, j int) bool {
		return candidates[i].GetClosedAt().Time.After(candidates[j].GetClosedAt().Time)
	})
	var out []Ticket
	for i, cand := range candidates {
		if len(out) == want || i == 2*want {
			break
		}
		p, _, err := c.gh.PullRequests.Get(ctx, c.owner, c.name, cand.GetNumber())
		if err != nil {
			return nil, fmt.Errorf("verify the rejection of #%d in %s: %w", cand.GetNumber(), l.Area, err)
		}
		if m, ok := c.ours(p); ok && m.Area == cleanArea(l.Area) && p.GetState() == "closed" && !p.GetMerged() {
			out = append(out, *ticketFrom(p))
		}
	}
	return out, nil
}
