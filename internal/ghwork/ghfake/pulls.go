package ghfake

import (
	"net/http"
	"strings"
)

// splitHead parses "owner:branch" or "branch" and reports whether the owner,
// when given, is this repository's.
func (r *repo) splitHead(head string) (string, bool) {
	owner, branch, ok := strings.Cut(head, ":")
	if !ok {
		return head, true
	}
	return branch, strings.EqualFold(owner, r.owner)
}

func (c *call) createPull() {
	if c.s.denyPulls != "" {
		c.fail(http.StatusForbidden, c.s.denyPulls)
		return
	}
	var in struct {
		Title *string `json:"title"`
		Body  string  `json:"body"`
		Head  string  `json:"head"`
		Base  string  `json:"base"`
		Draft bool    `json:"draft"`
	}
	if !c.decode(&in) {
		return
	}
	head, sameOwner := c.repo.splitHead(in.Head)
	headSHA, headOK := c.repo.branchSHA(head)
	baseSHA, baseOK := c.repo.branchSHA(in.Base)
	switch {
	case in.Title == nil || *in.Title == "":
		c.invalid("PullRequest", "title", "missing_field", "")
	case !baseOK:
		c.invalid("PullRequest", "base", "invalid", "")
	case !headOK || !sameOwner:
		c.invalid("PullRequest", "head", "invalid", "")
	case head == in.Base || c.repo.objects.isAncestor(headSHA, baseSHA):
		c.invalid("PullRequest", "", "custom", "No commits between "+in.Base+" and "+head)
	case c.openPullFor(head, in.Base) != nil:
		c.invalid("PullRequest", "", "custom", "A pull request already exists for "+c.repo.owner+":"+head+".")
	default:
		now := c.s.now()
		it := &item{
			id: c.s.newID(), isPR: true, title: *in.Title, body: in.Body, state: "open", user: defaultUser,
			created: now, updated: now, head: head, base: in.Base, headSHA: headSHA, draft: in.Draft,
		}
		c.repo.add(it)
		c.w.Header().Set("Location", c.repoAPI()+"pulls/"+itoa(it.number))
		c.json(http.StatusCreated, c.pullJSON(it))
	}
}

func (c *call) openPullFor(head, base string) *item {
	for _, it := range c.repo.items {
		if it.isPR && it.state == "open" && it.head == head && it.base == base && !c.repo.isFork(it) {
			return it
		}
	}
	return nil
}

// isFork reports whether it is a pull request from another owner's fork.
func (r *repo) isFork(it *item) bool {
	return it.headOwner != "" && !strings.EqualFold(it.headOwner, r.owner)
}

// headOwner is the owner of the repository its head branch lives in.
func (r *repo) headOwner(it *item) string {
	if r.isFork(it) {
		return it.headOwner
	}
	return r.owner
}

// listPulls filters on head ("owner:branch": the owner of the head
// repository, so a fork's pull request matches its own owner, not this
// repository's) and base, like GitHub.
func (c *call) listPulls() {
	q := c.r.URL.Query()
	state := q.Get("state")
	owner, head, byOwner := strings.Cut(q.Get("head"), ":")
	if !byOwner {
		owner, head = c.repo.owner, owner
	}
	base := q.Get("base")
	items := c.filterItems(func(it *item) bool {
		return it.isPR && stateMatches(state, it.state) &&
			(head == "" || (strings.EqualFold(owner, c.repo.headOwner(it)) && it.head == head)) && (base == "" || it.base == base)
	})
	start, end := c.paginate(len(items))
	out := make([]pullJSON, 0, end-start)
	for _, it := range items[start:end] {
		j := c.pullJSON(it)
		j.Merged, j.Comments, j.Commits = nil, nil, nil // the list shape is "pull-request-simple"
		out = append(out, j)
	}
	c.json(http.StatusOK, out)
}

func (c *call) getPull() {
	if it := c.itemFor(true); it != nil {
		c.json(http.StatusOK, c.pullJSON(it))
	}
}

func (c *call) updatePull() {
	it := c.itemFor(true)
	if it == nil {
		return
	}
	var in struct {
		Title *string `json:"title"`
		Body  *string `json:"body"`
		State *string `json:"state"`
		Base  *string `json:"base"`
	}
	if !c.decode(&in) {
		return
	}
	if in.Base != nil {
		if _, ok := c.repo.branchSHA(*in.Base); !ok {
			c.invalid("PullRequest", "base", "invalid", "")
			return
		}
		it.base = *in.Base
	}
	if in.State != nil && !c.setState(it, *in.State) {
		return
	}
	if in.Title != nil {
		it.title = *in.Title
	}
	if in.Body != nil {
		it.body = *in.Body
	}
	it.updated = c.s.now()
	c.json(http.StatusOK, c.pullJSON(it))
}

// setState opens or closes it, answering 422 when that is not possible.
func (c *call) setState(it *item, state string) bool {
	switch {
	case state != "open" && state != "closed":
		c.invalid("Issue", "state", "invalid", "")
		return false
	case state == "open" && it.merged:
		c.invalid("PullRequest", "state", "custom", "state cannot be changed. The pull request has been merged.")
		return false
	case state == it.state:
		return true
	case state == "closed":
		now := c.s.now()
		it.closed = &now
	default:
		it.closed = nil
	}
	it.state = state
	return true
}

// requestReviewers records requested reviewers. Like GitHub it refuses the
// pull request's author (422).
func (c *call) requestReviewers() {
	it := c.itemFor(true)
	if it == nil {
		return
	}
	var in struct {
		Reviewers     []string `json:"reviewers"`
		TeamReviewers []string `json:"team_reviewers"`
	}
	if !c.decode(&in) {
		return
	}
	for _, r := range in.Reviewers {
		if strings.EqualFold(r, it.user) {
			c.fail(http.StatusUnprocessableEntity, "Review cannot be requested from pull request author.")
			return
		}
	}
	it.reviewers = append(it.reviewers, in.Reviewers...)
	for _, t := range in.TeamReviewers {
		it.reviewers = append(it.reviewers, "team:"+t)
	}
	it.updated = c.s.now()
	c.json(http.StatusCreated, c.pullJSON(it))
}

func (c *call) listReviews() {
	it := c.itemFor(true)
	if it == nil {
		return
	}
	start, end := c.paginate(len(it.reviews))
	out := make([]reviewJSON, 0, end-start)
	for _, r := range it.reviews[start:end] {
		out = append(out, reviewJSON{ID: r.ID, User: c.userJSON(r.User), State: r.State, Body: r.Body, SubmittedAt: ts(r.SubmittedAt)})
	}
	c.json(http.StatusOK, out)
}

// getRepoCommit answers the REST "get a commit" with its author's login,
// as SetCommitAuthor recorded it; unknown commits are 422, like GitHub's
// "No commit found for SHA".
func (c *call) getRepoCommit() {
	sha := c.r.PathValue("sha")
	login, ok := c.s.authors[sha]
	if !ok {
		c.fail(http.StatusUnprocessableEntity, "No commit found for SHA: "+sha)
		return
	}
	c.json(http.StatusOK, map[string]any{"sha": sha, "author": c.userJSON(login), "committer": c.userJSON(login),
		"commit": map[string]any{"message": "", "author": map[string]any{"name": login}}})
}
