package sentryapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

const (
	// MaxLimit is the most issues Sentry returns per page.
	MaxLimit = 100
	// maxTitle caps the pull request title written into a comment.
	maxTitle = 200
)

// sorts are the orders Sentry's issue list accepts.
var sorts = map[string]bool{"date": true, "new": true, "trends": true, "freq": true, "user": true, "inbox": true}

// ListQuery selects a page of an organization's issues. The zero value
// lists the first page of unresolved issues of the token user's projects,
// most frequent first, over the last 24 hours, 100 per page.
type ListQuery struct {
	// Projects are numeric project ids ("-1" for all) or project slugs,
	// not both; empty means the token user's projects.
	Projects []string
	// Query is a Sentry search query; "" means "is:unresolved".
	Query string
	// Sort is date, new, trends, freq, user or inbox; "" means freq.
	Sort string
	// StatsPeriod is a time window such as 24h or 14d; "" means 24h.
	StatsPeriod string
	// Limit is the page size, 1 to 100; 0 means 100.
	Limit int
	// Cursor is the next cursor a previous page returned; "" is the first
	// page.
	Cursor string
}

// values validates q and turns it into query parameters.
func (q ListQuery) values() (url.Values, error) {
	v := url.Values{}
	if len(q.Projects) > 0 {
		key, err := projectParam(q.Projects)
		if err != nil {
			return nil, err
		}
		v[key] = append([]string(nil), q.Projects...)
	}
	v.Set("query", cmpOr(q.Query, "is:unresolved"))
	v.Set("sort", cmpOr(q.Sort, "freq"))
	if !sorts[v.Get("sort")] {
		return nil, fmt.Errorf("sort %q: want one of date, new, trends, freq, user, inbox", truncate(q.Sort, 32))
	}
	v.Set("statsPeriod", cmpOr(q.StatsPeriod, "24h"))
	if !statsPeriod.MatchString(v.Get("statsPeriod")) {
		return nil, fmt.Errorf("stats period %q: want a number and a unit (s, m, h, d, w), like 24h or 14d", truncate(q.StatsPeriod, 32))
	}
	if q.Limit < 0 || q.Limit > MaxLimit {
		return nil, fmt.Errorf("limit %d: want 1 to %d, or 0 for %d", q.Limit, MaxLimit, MaxLimit)
	}
	v.Set("limit", strconv.Itoa(cmpOr(q.Limit, MaxLimit)))
	if q.Cursor != "" {
		if strings.ContainsFunc(q.Cursor, unicode.IsControl) || len(q.Cursor) > 256 {
			return nil, fmt.Errorf("cursor %q: not a cursor from a Link header", truncate(q.Cursor, 32))
		}
		v.Set("cursor", q.Cursor)
	}
	return v, nil
}

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// ListIssues returns one page of the organization's issues matching q, and
// the cursor of the next page ("" on the last page).
func (c *Client) ListIssues(ctx context.Context, q ListQuery) ([]Issue, string, error) {
	v, err := q.values()
	if err != nil {
		return nil, "", err
	}
	res, err := c.do(ctx, http.MethodGet, c.endpoint(v, "issues"), nil)
	if err != nil {
		return nil, "", err
	}
	issues, err := DecodeIssues(res.body)
	if err != nil {
		return nil, "", err
	}
	return issues, nextCursor(res.header.Get("Link")), nil
}

// ListAllIssues follows the pages of q from q.Cursor until the last page
// (or an empty one) or until it holds limit issues (limit <= 0 means no
// limit), and returns them in Sentry's order. On an error it returns the
// issues read so far with the error.
func (c *Client) ListAllIssues(ctx context.Context, q ListQuery, limit int) ([]Issue, error) {
	var all []Issue
	for {
		page, next, err := c.ListIssues(ctx, q)
		if err != nil {
			return all, err
		}
		all = append(all, page...)
		if limit > 0 && len(all) >= limit {
			return all[:limit], nil
		}
		if next == "" || next == q.Cursor || len(page) == 0 {
			return all, nil // an empty page ends the walk even if a cursor follows
		}
		q.Cursor = next
	}
}

// Issue returns the issue with numeric or short id id.
func (c *Client) Issue(ctx context.Context, id string) (Issue, error) {
	if err := ValidIssueID(id); err != nil {
		return Issue{}, err
	}
	res, err := c.do(ctx, http.MethodGet, c.endpoint(nil, "issues", id), nil)
	if err != nil {
		return Issue{}, err
	}
	is, err := DecodeIssue(res.body)
	if err != nil {
		return Issue{}, err
	}
	return is, nil
}

// LatestEvent returns the latest event of the issue as Sentry's raw
// API-format JSON (camelCase, with entries[]), for
// incident.Parse(data, incident.FormatSentryAPI).
func (c *Client) LatestEvent(ctx context.Context, issueID string) ([]byte, error) {
	if err := ValidIssueID(issueID); err != nil {
		return nil, err
	}
	res, err := c.do(ctx, http.MethodGet, c.endpoint(nil, "issues", issueID, "events", "latest"), nil)
	if err != nil {
		return nil, err
	}
	body := bytes.TrimSpace(res.body)
	if len(body) == 0 || body[0] != '{' || !json.Valid(body) {
		return nil, errors.New("the latest event Sentry answered is not a JSON object")
	}
	return res.body, nil
}

// LinkPR posts a comment (a note) on the issue that links the pull request
// prURL titled title. It is sent once, never retried after a 5xx, so a
// failure may mean the note exists or not; callers log the error and carry
// on.
func (c *Client) LinkPR(ctx context.Context, issueID, prURL, title string) error {
	if err := ValidIssueID(issueID); err != nil {
		return err
	}
	u, err := url.Parse(prURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("pull request URL %q: want an absolute http(s) URL", truncate(prURL, 80))
	}
	link := strings.NewReplacer("(", "%28", ")", "%29").Replace(u.String())
	body, err := json.Marshal(map[string]string{"text": noteText(link, title)})
	if err != nil {
		return fmt.Errorf("encode the comment: %w", err)
	}
	if _, err := c.do(ctx, http.MethodPost, c.endpoint(nil, "issues", issueID, "comments"), body); err != nil {
		return err
	}
	return nil
}

// noteText is the Markdown of the comment: one line, the title flattened
// and capped, its brackets removed so it cannot break the link.
func noteText(prURL, title string) string {
	title = strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if r == '[' || r == ']' || unicode.IsControl(r) {
			return ' '
		}
		return r
	}, title)), " ")
	if title == "" {
		title = prURL
	}
	title = truncate(title, maxTitle)
	return fmt.Sprintf("dawnpatch opened a draft pull request for this issue: [%s](%s)", title, prURL)
}
