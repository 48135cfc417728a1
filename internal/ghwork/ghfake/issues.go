package ghfake

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

func (c *call) createIssue() {
	var in struct {
		Title     *string  `json:"title"`
		Body      string   `json:"body"`
		Labels    []string `json:"labels"`
		Assignees []string `json:"assignees"`
	}
	if !c.decode(&in) {
		return
	}
	if in.Title == nil || *in.Title == "" {
		c.invalid("Issue", "title", "missing_field", "")
		return
	}
	now := c.s.now()
	it := &item{
		id: c.s.newID(), title: *in.Title, body: in.Body, state: "open", user: defaultUser,
		assignees: in.Assignees, created: now, updated: now,
	}
	c.s.addLabels(c.repo, it, in.Labels)
	c.repo.add(it)
	c.w.Header().Set("Location", c.repoAPI()+"issues/"+itoa(it.number))
	c.json(http.StatusCreated, c.issueJSON(it))
}

// listIssues lists issues and pull requests, as GitHub's issues API does.
func (c *call) listIssues() {
	q := c.r.URL.Query()
	state := q.Get("state")
	var want []string
	if l := q.Get("labels"); l != "" {
		want = strings.Split(l, ",")
	}
	items := c.filterItems(func(it *item) bool {
		return stateMatches(state, it.state) && hasLabels(it, want)
	})
	start, end := c.paginate(len(items))
	out := make([]issueJSON, 0, end-start)
	for _, it := range items[start:end] {
		out = append(out, c.issueJSON(it))
	}
	c.json(http.StatusOK, out)
}

func hasLabels(it *item, want []string) bool {
	for _, w := range want {
		if !slices.ContainsFunc(it.labels, func(l string) bool { return strings.EqualFold(l, strings.TrimSpace(w)) }) {
			return false
		}
	}
	return true
}

func (c *call) getIssue() {
	if it := c.itemFor(false); it != nil {
		c.json(http.StatusOK, c.issueJSON(it))
	}
}

func (c *call) listComments() {
	it := c.itemFor(false)
	if it == nil {
		return
	}
	comments := it.comments
	if v := c.r.URL.Query().Get("since"); v != "" {
		since, err := time.Parse(time.RFC3339, v)
		if err != nil {
			c.invalid("IssueComment", "since", "invalid", "since must be an ISO 8601 time")
			return
		}
		comments = nil
		for _, cm := range it.comments { // GitHub filters on updated_at
			if !cm.UpdatedAt.Before(since) {
				comments = append(comments, cm)
			}
		}
	}
	start, end := c.paginate(len(comments))
	out := make([]commentJSON, 0, end-start)
	for _, cm := range comments[start:end] {
		out = append(out, c.commentJSON(it, cm))
	}
	c.json(http.StatusOK, out)
}

func (c *call) createComment() {
	it := c.itemFor(false)
	if it == nil {
		return
	}
	var in struct {
		Body string `json:"body"`
	}
	if !c.decode(&in) {
		return
	}
	if in.Body == "" {
		c.invalid("IssueComment", "body", "missing_field", "")
		return
	}
	now := c.s.now()
	cm := Comment{ID: c.s.newID(), User: defaultUser, Body: in.Body, CreatedAt: now, UpdatedAt: now}
	it.comments = append(it.comments, cm)
	it.updated = cm.CreatedAt
	c.json(http.StatusCreated, c.commentJSON(it, cm))
}

// editComment replaces a comment's body. Like GitHub it lets the caller
// edit anyone's comment: the API caller (the Actions bot) has write access,
// and "if you have write permissions to a repository, you can hide, edit,
// or delete comments". The author stays who wrote the comment; editing
// sends no notification and does not move the comment.
func (c *call) editComment() {
	id, err := strconv.ParseInt(c.r.PathValue("id"), 10, 64)
	it, i := c.repo.comment(id)
	if err != nil || it == nil {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	var in struct {
		Body *string `json:"body"`
	}
	if !c.decode(&in) {
		return
	}
	if in.Body == nil || *in.Body == "" {
		c.invalid("IssueComment", "body", "missing_field", "")
		return
	}
	cm := &it.comments[i]
	cm.Body, cm.UpdatedAt = *in.Body, c.s.now()
	c.json(http.StatusOK, c.commentJSON(it, *cm))
}

// comment finds the comment id among the repository's issues and pull
// requests.
func (r *repo) comment(id int64) (*item, int) {
	for _, it := range r.items {
		for i, cm := range it.comments {
			if cm.ID == id {
				return it, i
			}
		}
	}
	return nil, -1
}

// addLabels accepts ["a","b"] (what go-github sends) or {"labels":[...]}
// and answers with every label of the issue.
func (c *call) addLabels() {
	it := c.itemFor(false)
	if it == nil {
		return
	}
	var names []string
	if err := json.Unmarshal(c.body, &names); err != nil {
		var wrapped struct {
			Labels []string `json:"labels"`
		}
		if !c.decode(&wrapped) {
			return
		}
		names = wrapped.Labels
	}
	if slices.Contains(names, "") {
		c.invalid("Label", "name", "invalid", "")
		return
	}
	c.s.addLabels(c.repo, it, names)
	it.updated = c.s.now()
	c.json(http.StatusOK, c.labelsJSON(it))
}

// addLabels attaches names to it, creating repository labels as needed.
func (s *Server) addLabels(r *repo, it *item, names []string) {
	for _, n := range names {
		l := r.labels[strings.ToLower(n)]
		if l == nil {
			l = &label{id: s.newID(), name: n, color: "ededed"}
			r.labels[strings.ToLower(n)] = l
		}
		if !slices.ContainsFunc(it.labels, func(x string) bool { return strings.EqualFold(x, n) }) {
			it.labels = append(it.labels, l.name)
		}
	}
}
