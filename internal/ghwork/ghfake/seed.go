package ghfake

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// seedTime is the date of commits made by AddRepo and AddCommit, so that
// seeded SHAs are the same on every run.
var seedTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

var seedAuthor = Signature{Name: "Seed", Email: "seed@example.com", Date: seedTime}

// PullSeed describes a pull request created by AddPull. Zero values mean:
// State "open", User "octocat", CreatedAt the fake's clock.
type PullSeed struct {
	Title, Body string
	Head, Base  string // branch names; they need not exist
	// HeadOwner, when set to another owner than the repository's, makes
	// the head a branch of that owner's fork (HeadOwner/<name>): a pull
	// request from a fork, as anyone who can read the repository may open.
	HeadOwner string
	State     string // "open" or "closed"
	Merged    bool   // implies closed
	Draft     bool
	User      string
	Labels    []string
	CreatedAt time.Time
	// ClosedAt is when a closed or merged pull request closed; zero means
	// an hour after CreatedAt.
	ClosedAt time.Time
	// Commits is how many commits the pull request holds; 0 means 1.
	Commits int
}

// IssueSeed describes an issue created by AddIssue, with PullSeed's defaults.
type IssueSeed struct {
	Title, Body string
	State       string
	User        string
	Labels      []string
	Assignees   []string
	CreatedAt   time.Time
}

// Pull is a snapshot of a pull request.
type Pull struct {
	Number      int
	Title, Body string
	Head, Base  string
	HeadOwner   string // the head repository's owner: the fork's, or this one's
	HeadSHA     string // the head branch's commit, or its last known one
	State       string
	Merged      bool
	Draft       bool
	User        string
	Labels      []string
	// Reviewers are the requested reviewers: logins, and teams as "team:<slug>".
	Reviewers []string
	CreatedAt time.Time
	ClosedAt  time.Time // zero when open
}

// Issue is a snapshot of an issue.
type Issue struct {
	Number      int
	Title, Body string
	State       string
	User        string
	Labels      []string
	Assignees   []string
	CreatedAt   time.Time
}

// AddRepo creates (or replaces) the repository owner/name whose branch
// defaultBranch ("main" when empty) holds one commit with files (path ->
// content), and returns that commit's SHA.
func (s *Server) AddRepo(owner, name, defaultBranch string, files map[string]string) string {
	if defaultBranch == "" {
		defaultBranch = "main"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.newRepo(owner, name, defaultBranch)
	s.repos[repoKey(owner, name)] = r
	tree := r.objects.build(leaves(r.objects, files))
	sha := r.objects.putCommit(Commit{Tree: tree, Message: "Initial commit", Author: seedAuthor, Committer: seedAuthor})
	r.refs["refs/heads/"+defaultBranch] = sha
	return sha
}

func (s *Server) newRepo(owner, name, defaultBranch string) *repo {
	return &repo{
		owner: owner, name: name, id: s.newID(), defaultBranch: defaultBranch, objects: store{},
		refs: map[string]string{}, items: map[int]*item{}, labels: map[string]*label{},
	}
}

// repoLocked returns owner/name, creating an empty repository with default
// branch "main" when it does not exist.
func (s *Server) repoLocked(owner, name string) *repo {
	r := s.repos[repoKey(owner, name)]
	if r == nil {
		r = s.newRepo(owner, name, "main")
		s.repos[repoKey(owner, name)] = r
	}
	return r
}

func leaves(st store, files map[string]string) map[string]leaf {
	out := map[string]leaf{}
	for p, content := range files {
		setPath(out, strings.Trim(p, "/"), leaf{mode: modeFile, kind: kindBlob, sha: st.putBlob([]byte(content))})
	}
	return out
}

// AddCommit stores a commit on top of parent that sets files (path ->
// content) and returns its SHA. It moves no branch; use AddBranch.
func (s *Server) AddCommit(owner, name, parent, message string, files map[string]string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[repoKey(owner, name)]
	if r == nil {
		return "", fmt.Errorf("add commit: no repository %s/%s", owner, name)
	}
	p, ok := r.objects.get(parent, kindCommit)
	if !ok {
		return "", fmt.Errorf("add commit: no commit %q in %s/%s", parent, owner, name)
	}
	tree, _ := r.objects.flatten(p.commit.Tree)
	for path, l := range leaves(r.objects, files) {
		setPath(tree, path, l)
	}
	return r.objects.putCommit(Commit{
		Tree: r.objects.build(tree), Parents: []string{parent}, Message: message, Author: seedAuthor, Committer: seedAuthor,
	}), nil
}

// AddBranch points refs/heads/branch at the commit sha, creating or moving it.
func (s *Server) AddBranch(owner, name, branch, sha string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[repoKey(owner, name)]
	if r == nil {
		return fmt.Errorf("add branch %q: no repository %s/%s", branch, owner, name)
	}
	if _, ok := r.objects.get(sha, kindCommit); !ok {
		return fmt.Errorf("add branch %q: no commit %q in %s/%s", branch, sha, owner, name)
	}
	r.refs["refs/heads/"+branch] = sha
	return nil
}

func (s *Server) seedItem(owner, name string, it *item, created time.Time, user, state string, labels []string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repoLocked(owner, name)
	if created.IsZero() {
		created = s.now()
	}
	if user == "" {
		user = "octocat"
	}
	if state != "closed" && !it.merged {
		state = "open"
	} else {
		state = "closed"
		closed := created.Add(time.Hour)
		it.closed = &closed
	}
	it.id, it.created, it.updated, it.user, it.state = s.newID(), created, created, user, state
	s.addLabels(r, it, labels)
	return r.add(it)
}

// AddPull records a pull request (no validation: branches may be missing)
// and returns its number. The repository is created empty if needed.
func (s *Server) AddPull(owner, name string, p PullSeed) int {
	it := &item{isPR: true, title: p.Title, body: p.Body, head: p.Head, headOwner: p.HeadOwner, base: p.Base, draft: p.Draft, merged: p.Merged, commits: p.Commits}
	n := s.seedItem(owner, name, it, p.CreatedAt, p.User, p.State, p.Labels)
	s.mu.Lock()
	defer s.mu.Unlock()
	if it.closed != nil && !p.ClosedAt.IsZero() {
		closed := p.ClosedAt
		it.closed = &closed
	}
	r := s.repos[repoKey(owner, name)]
	if sha, ok := r.branchSHA(p.Head); ok && !r.isFork(it) {
		it.headSHA = sha
	}
	if it.merged {
		it.mergedAt = it.closed
	}
	return n
}

// AddIssue records an issue and returns its number. The repository is
// created empty if needed.
func (s *Server) AddIssue(owner, name string, is IssueSeed) int {
	it := &item{title: is.Title, body: is.Body, assignees: append([]string(nil), is.Assignees...)}
	return s.seedItem(owner, name, it, is.CreatedAt, is.User, is.State, is.Labels)
}

// sortedItems returns the repository's items by number; nil when it is unknown.
func (s *Server) sortedItems(owner, name string) []*item {
	r := s.repos[repoKey(owner, name)]
	if r == nil {
		return nil
	}
	out := make([]*item, 0, len(r.items))
	for _, it := range r.items {
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].number < out[j].number })
	return out
}

// Pulls returns a snapshot of the repository's pull requests by number.
func (s *Server) Pulls(owner, name string) []Pull {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Pull
	for _, it := range s.sortedItems(owner, name) {
		if !it.isPR {
			continue
		}
		r := s.repos[repoKey(owner, name)]
		p := Pull{
			Number: it.number, Title: it.title, Body: it.body, Head: it.head, HeadOwner: r.headOwner(it), Base: it.base, HeadSHA: it.headSHA,
			State: it.state, Merged: it.merged, Draft: it.draft, User: it.user,
			Labels: append([]string(nil), it.labels...), CreatedAt: it.created,
			Reviewers: append([]string(nil), it.reviewers...),
		}
		if sha, ok := r.branchSHA(it.head); ok && it.state == "open" && !r.isFork(it) {
			p.HeadSHA = sha
		}
		if it.closed != nil {
			p.ClosedAt = *it.closed
		}
		out = append(out, p)
	}
	return out
}

// Issues returns a snapshot of the repository's issues (not pull requests)
// by number.
func (s *Server) Issues(owner, name string) []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Issue
	for _, it := range s.sortedItems(owner, name) {
		if it.isPR {
			continue
		}
		out = append(out, Issue{
			Number: it.number, Title: it.title, Body: it.body, State: it.state, User: it.user,
			Labels: append([]string(nil), it.labels...), Assignees: append([]string(nil), it.assignees...),
			CreatedAt: it.created,
		})
	}
	return out
}

// Comments returns the comments on issue or pull request number, oldest first.
func (s *Server) Comments(owner, name string, number int) []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[repoKey(owner, name)]
	if r == nil || r.items[number] == nil {
		return nil
	}
	return append([]Comment(nil), r.items[number].comments...)
}

// AddComment records a comment on issue or pull request number and
// returns its id. Zero CreatedAt means the fake's clock; empty User means
// "octocat". Comments made through the API are the Actions bot's.
func (s *Server) AddComment(owner, name string, number int, cm Comment) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[repoKey(owner, name)]
	if r == nil || r.items[number] == nil {
		return 0, fmt.Errorf("add comment: no issue or pull request #%d in %s/%s", number, owner, name)
	}
	if cm.CreatedAt.IsZero() {
		cm.CreatedAt = s.now()
	}
	if cm.UpdatedAt.IsZero() {
		cm.UpdatedAt = cm.CreatedAt
	}
	if cm.User == "" {
		cm.User = "octocat"
	}
	cm.ID = s.newID()
	it := r.items[number]
	it.comments = append(it.comments, cm)
	return cm.ID, nil
}

// Ref returns the commit a ref points at. ref may be "refs/heads/x",
// "heads/x" or a bare branch name "x".
func (s *Server) Ref(owner, name, ref string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[repoKey(owner, name)]
	if r == nil {
		return "", false
	}
	sha, ok := r.refs[fullRef(ref)]
	return sha, ok
}

// Commit returns the commit object sha.
func (s *Server) Commit(owner, name, sha string) (Commit, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[repoKey(owner, name)]
	if r == nil {
		return Commit{}, false
	}
	o, ok := r.objects.get(sha, kindCommit)
	if !ok {
		return Commit{}, false
	}
	c := *o.commit
	c.Parents = append([]string(nil), c.Parents...)
	return c, true
}

// Files returns every file of the tree at commitSHA, path -> content.
func (s *Server) Files(owner, name, commitSHA string) (map[string]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.repos[repoKey(owner, name)]
	if r == nil {
		return nil, fmt.Errorf("files: no repository %s/%s", owner, name)
	}
	o, ok := r.objects.get(commitSHA, kindCommit)
	if !ok {
		return nil, fmt.Errorf("files: no commit %q in %s/%s", commitSHA, owner, name)
	}
	flat, err := r.objects.flatten(o.commit.Tree)
	if err != nil {
		return nil, fmt.Errorf("files at %s: %w", commitSHA, err)
	}
	out := make(map[string]string, len(flat))
	for p, l := range flat {
		if l.kind == kindBlob {
			out[p] = string(r.objects[l.sha].data)
		}
	}
	return out, nil
}

// AddReview records a submitted review on pull request number. Zero
// SubmittedAt means the fake's clock; empty State means COMMENTED.
func (s *Server) AddReview(owner, name string, number int, r Review) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	repo := s.repos[repoKey(owner, name)]
	if repo == nil {
		return fmt.Errorf("add review: no repository %s/%s", owner, name)
	}
	for _, it := range repo.items {
		if it.number == number && it.isPR {
			if r.SubmittedAt.IsZero() {
				r.SubmittedAt = s.now()
			}
			if r.State == "" {
				r.State = "COMMENTED"
			}
			r.ID = s.newID()
			it.reviews = append(it.reviews, r)
			return nil
		}
	}
	return fmt.Errorf("add review: no pull request #%d in %s/%s", number, owner, name)
}
