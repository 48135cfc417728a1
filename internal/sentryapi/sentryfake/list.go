package sentryfake

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxLimit is the most issues Sentry returns per page.
const maxLimit = 100

var (
	periodRE = regexp.MustCompile(`^([0-9]+)([smhdw])$`)
	cursorRE = regexp.MustCompile(`^-?[0-9]+:([0-9]+):[01]$`)
	digitsRE = regexp.MustCompile(`^-?[0-9]+$`)
)

// listIssues answers GET /api/0/organizations/{org}/issues/ with a page of
// the matching issues, a Link header with Sentry's cursors, and X-Hits.
func (c *call) listIssues() {
	q := c.r.URL.Query()
	match, msg := c.s.filter(q)
	if msg != "" {
		writeDetail(c.w, http.StatusBadRequest, msg)
		return
	}
	less, msg := order(q)
	if msg != "" {
		writeDetail(c.w, http.StatusBadRequest, msg)
		return
	}
	limit, offset, msg := window(q)
	if msg != "" {
		writeDetail(c.w, http.StatusBadRequest, msg)
		return
	}
	var hits []*issue
	for _, is := range c.s.issues {
		if match(is) {
			hits = append(hits, is)
		}
	}
	slices.SortStableFunc(hits, less)
	page := hits[min(offset, len(hits)):min(offset+limit, len(hits))]
	c.w.Header().Set("Link", linkHeader(c.r, limit, offset, offset+limit < len(hits)))
	c.w.Header().Set("X-Hits", strconv.Itoa(len(hits)))
	writeRaw(c.w, http.StatusOK, renderList(page))
}

func renderList(page []*issue) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	for i, is := range page {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(is.render())
	}
	b.WriteString("]\n")
	return b.Bytes()
}

// filter combines the project, query and statsPeriod parameters into one
// predicate, or returns Sentry's 400 message.
func (s *Server) filter(q url.Values) (func(*issue) bool, string) {
	proj, msg := projectFilter(q)
	if msg != "" {
		return nil, msg
	}
	search, msg := searchFilter(q)
	if msg != "" {
		return nil, msg
	}
	since := time.Time{}
	if p := q.Get("statsPeriod"); p != "" {
		d, ok := period(p)
		if !ok {
			return nil, fmt.Sprintf("Invalid statsPeriod: %q", p)
		}
		since = s.now().Add(-d)
	}
	return func(is *issue) bool {
		return proj(is) && search(is) && !is.seed.LastSeen.Before(since)
	}, ""
}

// projectFilter reads "project" (numeric ids, -1 for all) or "projectSlug";
// Sentry refuses both at once. No parameter lists every project.
func projectFilter(q url.Values) (func(*issue) bool, string) {
	ids, slugs := q["project"], q["projectSlug"]
	if len(ids) > 0 && len(slugs) > 0 {
		return nil, "Cannot query for both ids and slugs"
	}
	for _, id := range ids {
		if !digitsRE.MatchString(id) {
			return nil, "Invalid project parameter. Values must be numbers."
		}
	}
	switch {
	case slices.Contains(ids, "-1") || slices.Contains(slugs, "$all") || len(ids)+len(slugs) == 0:
		return func(*issue) bool { return true }, ""
	case len(ids) > 0:
		return func(is *issue) bool { return slices.Contains(ids, is.seed.ProjectID) }, ""
	}
	return func(is *issue) bool { return slices.Contains(slugs, is.seed.ProjectSlug) }, ""
}

// searchFilter reads the search query: is:<status>, is:assigned,
// is:unassigned, level:<level> and free text (matched in the title and
// culprit, ignoring case). A missing query means is:unresolved, as in
// Sentry; an empty one matches everything. Other keys are refused so a
// test that relies on them fails loudly.
func searchFilter(q url.Values) (func(*issue) bool, string) {
	query := "is:unresolved"
	if _, ok := q["query"]; ok {
		query = q.Get("query")
	}
	var preds []func(*issue) bool
	for _, tok := range strings.Fields(query) {
		p, msg := token(tok)
		if msg != "" {
			return nil, msg
		}
		preds = append(preds, p)
	}
	return func(is *issue) bool {
		for _, p := range preds {
			if !p(is) {
				return false
			}
		}
		return true
	}, ""
}

func token(tok string) (func(*issue) bool, string) {
	key, val, ok := strings.Cut(tok, ":")
	if !ok {
		text := strings.ToLower(tok)
		return func(is *issue) bool {
			return strings.Contains(strings.ToLower(is.seed.Title), text) ||
				strings.Contains(strings.ToLower(is.seed.Culprit), text)
		}, ""
	}
	switch {
	case key == "level":
		return func(is *issue) bool { return is.seed.Level == val }, ""
	case key == "is" && val == "assigned":
		return func(is *issue) bool { return is.seed.AssignedTo != nil }, ""
	case key == "is" && val == "unassigned":
		return func(is *issue) bool { return is.seed.AssignedTo == nil }, ""
	case key == "is" && (val == "unresolved" || val == "resolved" || val == "ignored" || val == "archived"):
		if val == "archived" {
			val = "ignored"
		}
		return func(is *issue) bool { return is.seed.Status == val }, ""
	}
	return nil, fmt.Sprintf("Invalid search query: sentryfake does not support %q", tok)
}

// order returns the comparison of the sort parameter: freq (count), date
// (last seen, the default), new (first seen), user (user count); trends
// and inbox sort like date. Ties keep the order issues were added in.
func order(q url.Values) (func(a, b *issue) int, string) {
	key := func(is *issue) int64 { return is.seed.LastSeen.UnixNano() }
	switch s := q.Get("sort"); s {
	case "", "date", "trends", "inbox":
	case "freq":
		key = func(is *issue) int64 { return int64(is.seed.Count) }
	case "new":
		key = func(is *issue) int64 { return is.seed.FirstSeen.UnixNano() }
	case "user":
		key = func(is *issue) int64 { return int64(is.seed.UserCount) }
	default:
		return nil, fmt.Sprintf("Invalid sort: %q", s)
	}
	return func(a, b *issue) int {
		ka, kb := key(a), key(b)
		switch {
		case ka > kb:
			return -1
		case ka < kb:
			return 1
		}
		return 0
	}, ""
}

// window reads limit (default and maximum 100) and the cursor's offset.
func window(q url.Values) (limit, offset int, msg string) {
	limit = maxLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return 0, 0, "Invalid limit parameter."
		}
		limit = min(n, maxLimit)
	}
	if v := q.Get("cursor"); v != "" {
		m := cursorRE.FindStringSubmatch(v)
		if m == nil {
			return 0, 0, "Invalid cursor parameter."
		}
		offset, _ = strconv.Atoi(m[1])
	}
	return limit, offset, ""
}

func period(p string) (time.Duration, bool) {
	m := periodRE.FindStringSubmatch(p)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, false
	}
	unit := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour, "d": 24 * time.Hour, "w": 7 * 24 * time.Hour}[m[2]]
	return time.Duration(n) * unit, true
}

// linkHeader builds Sentry's Link header: a previous and a next entry, each
// with results="true|false" and the cursor repeated as a parameter. Cursors
// are "<value>:<offset>:<is_prev>" like Sentry's.
func linkHeader(r *http.Request, limit, offset int, more bool) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	path, _, _ := strings.Cut(r.RequestURI, "?") // keeps a stripped prefix
	q := r.URL.Query()
	q.Del("cursor")
	uri := scheme + "://" + r.Host + path + "?" + q.Encode()
	prev := fmt.Sprintf("0:%d:1", max(0, offset-limit))
	next := fmt.Sprintf("0:%d:0", offset+limit)
	entry := func(rel, cursor string, results bool) string {
		return fmt.Sprintf(`<%s&cursor=%s>; rel="%s"; results="%t"; cursor="%s"`, uri, cursor, rel, results, cursor)
	}
	return entry("previous", prev, offset > 0) + ", " + entry("next", next, more)
}
