package ghfake

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
)

// searchQuery is a parsed issue search q parameter.
type searchQuery struct {
	repos      []string // lower-case owner/name; any of them
	kind       string   // "pr", "issue" or ""
	state      string   // "open", "closed" or ""
	merged     *bool
	draft      bool
	in         []string // fields text terms must be found in
	labels     []string // all required
	head, base string
	author     string
	created    *time.Time // created:>=T
	// terms are lower-case words and phrases; every group must match, a
	// group matching when any of its words does ("a OR b" is one group).
	terms [][]string
}

// unsupported lists real GitHub qualifiers the fake does not implement; a
// query using one is refused rather than silently mismatched.
var unsupported = []string{
	"archived", "assignee", "closed", "commenter", "comments", "draft", "interactions",
	"involves", "language", "linked", "mentions", "milestone", "no", "org", "project", "reactions",
	"reason", "review", "review-requested", "reviewed-by", "sort", "status", "team", "updated", "user",
}

// tokenize splits q at spaces outside double quotes; quotes are kept.
func tokenize(q string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for _, r := range q {
		switch {
		case r == '"':
			quoted = !quoted
			cur.WriteRune(r)
		case (r == ' ' || r == '\t' || r == '\n') && !quoted:
			if cur.Len() > 0 {
				out = append(out, cur.String())
				cur.Reset()
			}
		default:
			cur.WriteRune(r)
		}
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

func unquote(s string) string { return strings.ReplaceAll(s, `"`, "") }

// parseSearch parses GitHub issue search syntax, as much as the fake knows.
func parseSearch(q string) (searchQuery, error) {
	var sq searchQuery
	or := false
	for _, tok := range tokenize(q) {
		key, val, isQual := strings.Cut(tok, ":")
		if tok == "OR" && len(sq.terms) > 0 {
			or = true
			continue
		}
		if strings.HasPrefix(tok, `"`) || !isQual {
			if t := strings.ToLower(unquote(tok)); t != "" {
				sq.addTerm(t, or)
			}
			or = false
			continue
		}
		if err := sq.qualifier(strings.ToLower(key), unquote(val), or); err != nil {
			return sq, err
		}
		or = false
	}
	return sq, nil
}

func (sq *searchQuery) qualifier(key, val string, or bool) error {
	switch key {
	case "repo":
		sq.repos = append(sq.repos, strings.ToLower(val))
	case "is", "type", "state":
		return sq.is(key, strings.ToLower(val))
	case "in":
		for _, f := range strings.Split(strings.ToLower(val), ",") {
			if f != "title" && f != "body" && f != "comments" {
				return fmt.Errorf("ghfake: unsupported search qualifier in:%s", f)
			}
			sq.in = append(sq.in, f)
		}
	case "label":
		sq.labels = append(sq.labels, val)
	case "head":
		sq.head = val
	case "base":
		sq.base = val
	case "author":
		sq.author = val
	case "created":
		return sq.createdSince(val)
	default:
		if slices.Contains(unsupported, strings.TrimPrefix(key, "-")) || slices.Contains(
			[]string{"-repo", "-is", "-type", "-state", "-in", "-label", "-head", "-base", "-author"}, key) {
			return fmt.Errorf("ghfake: unsupported search qualifier %s:%s", key, val)
		}
		sq.addTerm(strings.ToLower(key+":"+val), or)
	}
	return nil
}

// addTerm adds a term as a group of its own, or to the last group after OR.
func (sq *searchQuery) addTerm(t string, or bool) {
	if or {
		last := len(sq.terms) - 1
		sq.terms[last] = append(sq.terms[last], t)
		return
	}
	sq.terms = append(sq.terms, []string{t})
}

// createdSince parses the created:>=DATE qualifier (a date or an RFC 3339 time).
func (sq *searchQuery) createdSince(val string) error {
	v, ok := strings.CutPrefix(val, ">=")
	if !ok {
		return fmt.Errorf("ghfake: only created:>=DATE is supported, got created:%s", val)
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			sq.created = &t
			return nil
		}
	}
	return fmt.Errorf("ghfake: invalid date in created:%s", val)
}

func (sq *searchQuery) is(key, val string) error {
	yes, no := true, false
	switch {
	case val == "pr" || val == "pull-request" || (key != "state" && val == "pull"):
		sq.kind = "pr"
	case val == "issue":
		sq.kind = "issue"
	case val == "open" || val == "closed":
		sq.state = val
	case key == "is" && val == "merged":
		sq.kind, sq.merged = "pr", &yes
	case key == "is" && val == "unmerged":
		sq.kind, sq.merged = "pr", &no
	case key == "is" && val == "draft":
		sq.kind, sq.draft = "pr", true
	default:
		return fmt.Errorf("ghfake: unsupported search qualifier %s:%s", key, val)
	}
	return nil
}

func (sq searchQuery) matches(r *repo, it *item) bool {
	switch {
	case len(sq.repos) > 0 && !slices.Contains(sq.repos, strings.ToLower(r.fullName())),
		sq.kind == "pr" && !it.isPR, sq.kind == "issue" && it.isPR,
		sq.state != "" && it.state != sq.state,
		sq.merged != nil && it.merged != *sq.merged,
		sq.draft && !it.draft,
		sq.head != "" && it.head != sq.head, sq.base != "" && it.base != sq.base,
		sq.author != "" && !strings.EqualFold(sq.author, it.user),
		sq.created != nil && it.created.Before(*sq.created),
		!hasLabels(it, sq.labels):
		return false
	}
	text := strings.ToLower(sq.text(it))
	for _, group := range sq.terms {
		if !slices.ContainsFunc(group, func(t string) bool { return strings.Contains(text, t) }) {
			return false
		}
	}
	return true
}

// text joins the fields text terms are looked up in, separated so that a
// phrase cannot span two fields.
func (sq searchQuery) text(it *item) string {
	in := sq.in
	if len(in) == 0 {
		in = []string{"title", "body", "comments"}
	}
	var parts []string
	for _, f := range in {
		switch f {
		case "title":
			parts = append(parts, it.title)
		case "body":
			parts = append(parts, it.body)
		case "comments":
			for _, cm := range it.comments {
				parts = append(parts, cm.Body)
			}
		}
	}
	return strings.Join(parts, "\x00")
}

type searchHit struct {
	repo *repo
	item *item
}

func (c *call) searchIssues() {
	q := c.r.URL.Query().Get("q")
	if strings.TrimSpace(q) == "" {
		writeError(c.w, http.StatusUnprocessableEntity, "Validation Failed",
			[]fieldError{{Resource: "Search", Field: "q", Code: "missing"}})
		return
	}
	sq, err := parseSearch(q)
	if err != nil {
		c.invalid("Search", "q", "invalid", err.Error())
		return
	}
	hits := c.s.search(sq)
	sortHits(hits, c.r.URL.Query().Get("sort"), c.r.URL.Query().Get("order") == "asc")
	start, end := c.paginate(len(hits))
	out := searchJSON{TotalCount: len(hits), Items: []issueJSON{}}
	for _, h := range hits[start:end] {
		rc := *c
		rc.repo = h.repo
		j := rc.issueJSON(h.item)
		score := 1.0
		j.Score = &score
		out.Items = append(out.Items, j)
	}
	c.json(http.StatusOK, out)
}

func (s *Server) search(sq searchQuery) []searchHit {
	var hits []searchHit
	for _, r := range s.repos {
		for _, it := range r.items {
			if sq.matches(r, it) {
				hits = append(hits, searchHit{r, it})
			}
		}
	}
	return hits
}

// sortHits orders by created (default) or updated time, newest first unless
// asc; ties break on repository and number so results are stable.
func sortHits(hits []searchHit, by string, asc bool) {
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		ta, tb := a.item.created, b.item.created
		if by == "updated" {
			ta, tb = a.item.updated, b.item.updated
		}
		switch {
		case !ta.Equal(tb):
			return ta.Before(tb) == asc
		case a.repo != b.repo:
			return a.repo.fullName() < b.repo.fullName()
		}
		return (a.item.number < b.item.number) == asc
	})
}
