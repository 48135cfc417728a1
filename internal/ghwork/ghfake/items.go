package ghfake

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// item is an issue or a pull request; both share one number sequence.
type item struct {
	id        int64
	number    int
	isPR      bool
	title     string
	body      string
	state     string // open or closed
	user      string
	labels    []string
	assignees []string
	created   time.Time
	updated   time.Time
	closed    *time.Time
	comments  []Comment

	// Pull request fields. headOwner is the owner of the head branch's
	// repository when it is a fork; "" means this repository.
	head, base string
	headOwner  string
	headSHA    string // head sha when the branch no longer exists
	draft      bool
	merged     bool
	mergedAt   *time.Time
	reviewers  []string // requested reviewers: logins, and teams as "team:<slug>"
	reviews    []Review
	commits    int // commits on the pull request; 0 reads as 1
}

// Review is a submitted pull request review.
type Review struct {
	ID          int64
	User        string
	State       string // APPROVED, CHANGES_REQUESTED, COMMENTED
	Body        string
	SubmittedAt time.Time
}

// Comment is an issue or pull request comment.
type Comment struct {
	ID        int64
	User      string
	Body      string
	CreatedAt time.Time
	// UpdatedAt is when the body last changed; it equals CreatedAt until
	// the comment is edited.
	UpdatedAt time.Time
}

func (s *Server) newID() int64 {
	s.nextID++
	return s.nextID
}

func (r *repo) add(it *item) int {
	r.next++
	it.number = r.next
	r.items[it.number] = it
	return it.number
}

// itemFor resolves {number}; pr limits it to pull requests.
func (c *call) itemFor(pr bool) *item {
	n, err := strconv.Atoi(c.r.PathValue("number"))
	it := c.repo.items[n]
	if err != nil || it == nil || (pr && !it.isPR) {
		c.fail(http.StatusNotFound, "Not Found")
		return nil
	}
	return it
}

// sortItems orders by created or updated time, newest first unless asc.
func sortItems(items []*item, by string, asc bool) {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		ta, tb := a.created, b.created
		if by == "updated" {
			ta, tb = a.updated, b.updated
		}
		if !ta.Equal(tb) {
			return ta.Before(tb) == asc
		}
		return (a.number < b.number) == asc
	})
}

// filterItems returns the repository's items kept by keep, sorted per the
// request's sort and direction parameters.
func (c *call) filterItems(keep func(*item) bool) []*item {
	out := []*item{}
	for _, it := range c.repo.items {
		if keep(it) {
			out = append(out, it)
		}
	}
	q := c.r.URL.Query()
	by := q.Get("sort")
	dir := q.Get("direction")
	if dir == "" && by != "" && by != "created" {
		dir = "asc"
	}
	sortItems(out, by, dir == "asc")
	return out
}

func stateMatches(want, got string) bool {
	switch want {
	case "", "open":
		return got == "open"
	case "all":
		return true
	}
	return got == want
}

// paginate answers the page of n items the request asks for, setting a Link
// header like GitHub's, and returns the slice bounds.
func (c *call) paginate(n int) (int, int) {
	q := c.r.URL.Query()
	per, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || per <= 0 {
		per = 30
	}
	per = min(per, 100)
	page, err := strconv.Atoi(q.Get("page"))
	if err != nil || page <= 0 {
		page = 1
	}
	last := max(1, (n+per-1)/per)
	var links []string
	link := func(p int, rel string) {
		q.Set("page", strconv.Itoa(p))
		links = append(links, "<"+c.selfURL(q.Encode())+`>; rel="`+rel+`"`)
	}
	if page < last {
		link(page+1, "next")
		link(last, "last")
	}
	if page > 1 {
		link(1, "first")
		link(min(page-1, last), "prev")
	}
	if len(links) > 0 {
		c.w.Header().Set("Link", strings.Join(links, ", "))
	}
	start := min((page-1)*per, n)
	return start, min(start+per, n)
}

// selfURL is the URL of this request, prefix included, with a new query.
func (c *call) selfURL(query string) string {
	raw, _, _ := strings.Cut(c.r.RequestURI, "?")
	if raw == "" || strings.HasPrefix(raw, "http") {
		raw = c.r.URL.EscapedPath()
	}
	return strings.TrimSuffix(c.web, "/") + raw + "?" + query
}
