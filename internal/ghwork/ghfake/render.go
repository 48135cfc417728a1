package ghfake

import (
	"encoding/base64"
	"hash/fnv"
	"strings"
	"time"
)

// The JSON shapes below use GitHub's field names; they carry the fields
// go-github decodes and dawnpatch reads, not every field GitHub sends.

type userJSON struct {
	Login     string `json:"login"`
	ID        int64  `json:"id"`
	NodeID    string `json:"node_id"`
	AvatarURL string `json:"avatar_url"`
	URL       string `json:"url"`
	HTMLURL   string `json:"html_url"`
	Type      string `json:"type"`
	SiteAdmin bool   `json:"site_admin"`
}

type repoJSON struct {
	ID            int64    `json:"id"`
	NodeID        string   `json:"node_id"`
	Name          string   `json:"name"`
	FullName      string   `json:"full_name"`
	Private       bool     `json:"private"`
	Owner         userJSON `json:"owner"`
	HTMLURL       string   `json:"html_url"`
	Description   *string  `json:"description"`
	Fork          bool     `json:"fork"`
	URL           string   `json:"url"`
	DefaultBranch string   `json:"default_branch"`
}

type refObjectJSON struct {
	SHA  string `json:"sha"`
	Type string `json:"type"`
	URL  string `json:"url"`
}

type refJSON struct {
	Ref    string        `json:"ref"`
	NodeID string        `json:"node_id"`
	URL    string        `json:"url"`
	Object refObjectJSON `json:"object"`
}

type blobJSON struct {
	SHA      string `json:"sha"`
	NodeID   string `json:"node_id"`
	Size     int    `json:"size"`
	URL      string `json:"url"`
	Content  string `json:"content"`
	Encoding string `json:"encoding"`
}

type treeEntryJSON struct {
	Path string `json:"path"`
	Mode string `json:"mode"`
	Type string `json:"type"`
	SHA  string `json:"sha"`
	Size *int   `json:"size,omitempty"`
	URL  string `json:"url,omitempty"`
}

type treeJSON struct {
	SHA       string          `json:"sha"`
	URL       string          `json:"url"`
	Tree      []treeEntryJSON `json:"tree"`
	Truncated bool            `json:"truncated"`
}

type signatureJSON struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Date  string `json:"date"`
}

type commitRefJSON struct {
	SHA     string `json:"sha"`
	URL     string `json:"url"`
	HTMLURL string `json:"html_url,omitempty"`
}

type verificationJSON struct {
	Verified  bool    `json:"verified"`
	Reason    string  `json:"reason"`
	Signature *string `json:"signature"`
	Payload   *string `json:"payload"`
}

type commitJSON struct {
	SHA          string           `json:"sha"`
	NodeID       string           `json:"node_id"`
	URL          string           `json:"url"`
	HTMLURL      string           `json:"html_url"`
	Author       signatureJSON    `json:"author"`
	Committer    signatureJSON    `json:"committer"`
	Tree         commitRefJSON    `json:"tree"`
	Message      string           `json:"message"`
	Parents      []commitRefJSON  `json:"parents"`
	Verification verificationJSON `json:"verification"`
}

type labelJSON struct {
	ID          int64   `json:"id"`
	NodeID      string  `json:"node_id"`
	URL         string  `json:"url"`
	Name        string  `json:"name"`
	Color       string  `json:"color"`
	Default     bool    `json:"default"`
	Description *string `json:"description"`
}

type branchJSON struct {
	Label string    `json:"label"`
	Ref   string    `json:"ref"`
	SHA   string    `json:"sha"`
	User  userJSON  `json:"user"`
	Repo  *repoJSON `json:"repo"`
}

type pullJSON struct {
	URL               string      `json:"url"`
	ID                int64       `json:"id"`
	NodeID            string      `json:"node_id"`
	HTMLURL           string      `json:"html_url"`
	DiffURL           string      `json:"diff_url"`
	PatchURL          string      `json:"patch_url"`
	IssueURL          string      `json:"issue_url"`
	Number            int         `json:"number"`
	State             string      `json:"state"`
	Locked            bool        `json:"locked"`
	Title             string      `json:"title"`
	User              userJSON    `json:"user"`
	Body              *string     `json:"body"`
	CreatedAt         string      `json:"created_at"`
	UpdatedAt         string      `json:"updated_at"`
	ClosedAt          *string     `json:"closed_at"`
	MergedAt          *string     `json:"merged_at"`
	Assignees         []userJSON  `json:"assignees"`
	Labels            []labelJSON `json:"labels"`
	Draft             bool        `json:"draft"`
	CommitsURL        string      `json:"commits_url"`
	CommentsURL       string      `json:"comments_url"`
	Head              branchJSON  `json:"head"`
	Base              branchJSON  `json:"base"`
	AuthorAssociation string      `json:"author_association"`
	Merged            *bool       `json:"merged,omitempty"`   // absent in lists, like GitHub
	Comments          *int        `json:"comments,omitempty"` // absent in lists, like GitHub
	Commits           *int        `json:"commits,omitempty"`  // absent in lists, like GitHub
}

type reviewJSON struct {
	ID          int64    `json:"id"`
	User        userJSON `json:"user"`
	State       string   `json:"state"`
	Body        string   `json:"body"`
	SubmittedAt string   `json:"submitted_at"`
}

type pullLinksJSON struct {
	URL      string  `json:"url"`
	HTMLURL  string  `json:"html_url"`
	DiffURL  string  `json:"diff_url"`
	PatchURL string  `json:"patch_url"`
	MergedAt *string `json:"merged_at"`
}

type issueJSON struct {
	URL               string         `json:"url"`
	RepositoryURL     string         `json:"repository_url"`
	CommentsURL       string         `json:"comments_url"`
	HTMLURL           string         `json:"html_url"`
	ID                int64          `json:"id"`
	NodeID            string         `json:"node_id"`
	Number            int            `json:"number"`
	Title             string         `json:"title"`
	User              userJSON       `json:"user"`
	Labels            []labelJSON    `json:"labels"`
	State             string         `json:"state"`
	Locked            bool           `json:"locked"`
	Assignees         []userJSON     `json:"assignees"`
	Comments          int            `json:"comments"`
	CreatedAt         string         `json:"created_at"`
	UpdatedAt         string         `json:"updated_at"`
	ClosedAt          *string        `json:"closed_at"`
	AuthorAssociation string         `json:"author_association"`
	Body              *string        `json:"body"`
	Draft             *bool          `json:"draft,omitempty"`
	PullRequest       *pullLinksJSON `json:"pull_request,omitempty"`
	Score             *float64       `json:"score,omitempty"`
}

type commentJSON struct {
	ID                int64    `json:"id"`
	NodeID            string   `json:"node_id"`
	URL               string   `json:"url"`
	HTMLURL           string   `json:"html_url"`
	IssueURL          string   `json:"issue_url"`
	User              userJSON `json:"user"`
	Body              string   `json:"body"`
	CreatedAt         string   `json:"created_at"`
	UpdatedAt         string   `json:"updated_at"`
	AuthorAssociation string   `json:"author_association"`
}

type searchJSON struct {
	TotalCount        int         `json:"total_count"`
	IncompleteResults bool        `json:"incomplete_results"`
	Items             []issueJSON `json:"items"`
}

func nodeID(kind, key string) string {
	return base64.StdEncoding.EncodeToString([]byte(kind + ":" + key))
}

func stableID(s string) int64 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return int64(h.Sum32() % 100000000)
}

func ts(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func tsp(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := ts(*t)
	return &s
}

func (c *call) userJSON(login string) userJSON {
	typ := "User"
	if strings.HasSuffix(login, "[bot]") {
		typ = "Bot"
	}
	id := stableID(login)
	return userJSON{
		Login: login, ID: id, NodeID: nodeID("User", login), Type: typ,
		AvatarURL: "https://avatars.githubusercontent.com/u/" + itoa(int(id)) + "?v=4",
		URL:       c.api + "users/" + login, HTMLURL: c.web + login,
	}
}

func (c *call) repoJSON() repoJSON {
	r := c.repo
	return repoJSON{
		ID: r.id, NodeID: nodeID("Repository", r.fullName()), Name: r.name, FullName: r.fullName(),
		Owner: c.userJSON(r.owner), HTMLURL: c.web + r.fullName(), URL: strings.TrimSuffix(c.repoAPI(), "/"),
		DefaultBranch: r.defaultBranch,
	}
}

func (c *call) refJSON(name, sha string) refJSON {
	kind := kindCommit
	if o := c.repo.objects[sha]; o != nil {
		kind = o.kind
	}
	return refJSON{
		Ref: name, NodeID: nodeID("Ref", c.repo.fullName()+":"+name), URL: c.repoAPI() + "git/" + name,
		Object: refObjectJSON{SHA: sha, Type: kind, URL: c.repoAPI() + "git/" + kind + "s/" + sha},
	}
}

func sigJSON(s Signature) signatureJSON {
	return signatureJSON{Name: s.Name, Email: s.Email, Date: ts(s.Date)}
}

func (c *call) commitJSON(sha string) commitJSON {
	o, _ := c.repo.objects.get(sha, kindCommit)
	cm := o.commit
	parents := make([]commitRefJSON, 0, len(cm.Parents))
	for _, p := range cm.Parents {
		parents = append(parents, commitRefJSON{SHA: p, URL: c.repoAPI() + "git/commits/" + p, HTMLURL: c.repoWeb() + "commit/" + p})
	}
	return commitJSON{
		SHA: sha, NodeID: nodeID("Commit", sha), URL: c.repoAPI() + "git/commits/" + sha,
		HTMLURL: c.repoWeb() + "commit/" + sha, Author: sigJSON(cm.Author), Committer: sigJSON(cm.Committer),
		Tree:    commitRefJSON{SHA: cm.Tree, URL: c.repoAPI() + "git/trees/" + cm.Tree},
		Message: cm.Message, Parents: parents, Verification: verificationJSON{Reason: "unsigned"},
	}
}

func (c *call) labelsJSON(it *item) []labelJSON {
	out := make([]labelJSON, 0, len(it.labels))
	for _, n := range it.labels {
		l := c.repo.labels[strings.ToLower(n)]
		out = append(out, labelJSON{
			ID: l.id, NodeID: nodeID("Label", itoa(int(l.id))), URL: c.repoAPI() + "labels/" + l.name,
			Name: l.name, Color: l.color,
		})
	}
	return out
}

func (c *call) users(logins []string) []userJSON {
	out := make([]userJSON, 0, len(logins))
	for _, l := range logins {
		out = append(out, c.userJSON(l))
	}
	return out
}

func (c *call) branchJSON(branch, sha string) branchJSON {
	rj := c.repoJSON()
	return branchJSON{Label: c.repo.owner + ":" + branch, Ref: branch, SHA: sha, User: c.userJSON(c.repo.owner), Repo: &rj}
}

// forkJSON is the repository a fork pull request's head lives in: owner's
// fork of this repository, under the same name.
func (c *call) forkJSON(owner string) repoJSON {
	full := owner + "/" + c.repo.name
	return repoJSON{
		ID: stableID(full), NodeID: nodeID("Repository", full), Name: c.repo.name, FullName: full,
		Owner: c.userJSON(owner), HTMLURL: c.web + full, URL: c.api + "repos/" + full, Fork: true,
		DefaultBranch: c.repo.defaultBranch,
	}
}

// headJSON is a pull request's head: a branch of this repository, or of
// a fork.
func (c *call) headJSON(it *item, sha string) branchJSON {
	if !c.repo.isFork(it) {
		return c.branchJSON(it.head, sha)
	}
	fork := c.forkJSON(it.headOwner)
	return branchJSON{Label: it.headOwner + ":" + it.head, Ref: it.head, SHA: sha, User: c.userJSON(it.headOwner), Repo: &fork}
}

func (c *call) pullJSON(it *item) pullJSON {
	headSHA := it.headSHA
	if sha, ok := c.repo.branchSHA(it.head); ok && it.state == "open" && !c.repo.isFork(it) {
		headSHA = sha
	}
	baseSHA, _ := c.repo.branchSHA(it.base)
	n := itoa(it.number)
	html := c.repoWeb() + "pull/" + n
	comments, commits := len(it.comments), max(1, it.commits)
	return pullJSON{
		URL: c.repoAPI() + "pulls/" + n, ID: it.id, NodeID: nodeID("PullRequest", itoa(int(it.id))),
		HTMLURL: html, DiffURL: html + ".diff", PatchURL: html + ".patch", IssueURL: c.repoAPI() + "issues/" + n,
		Number: it.number, State: it.state, Title: it.title, User: c.userJSON(it.user), Body: &it.body,
		CreatedAt: ts(it.created), UpdatedAt: ts(it.updated), ClosedAt: tsp(it.closed), MergedAt: tsp(it.mergedAt),
		Assignees: c.users(it.assignees), Labels: c.labelsJSON(it), Draft: it.draft,
		CommitsURL: c.repoAPI() + "pulls/" + n + "/commits", CommentsURL: c.repoAPI() + "issues/" + n + "/comments",
		Head: c.headJSON(it, headSHA), Base: c.branchJSON(it.base, baseSHA),
		AuthorAssociation: "CONTRIBUTOR", Merged: &it.merged, Comments: &comments, Commits: &commits,
	}
}

func (c *call) issueJSON(it *item) issueJSON {
	n := itoa(it.number)
	j := issueJSON{
		URL: c.repoAPI() + "issues/" + n, RepositoryURL: strings.TrimSuffix(c.repoAPI(), "/"),
		CommentsURL: c.repoAPI() + "issues/" + n + "/comments", HTMLURL: c.repoWeb() + "issues/" + n,
		ID: it.id, NodeID: nodeID("Issue", itoa(int(it.id))), Number: it.number, Title: it.title,
		User: c.userJSON(it.user), Labels: c.labelsJSON(it), State: it.state, Assignees: c.users(it.assignees),
		Comments: len(it.comments), CreatedAt: ts(it.created), UpdatedAt: ts(it.updated), ClosedAt: tsp(it.closed),
		AuthorAssociation: "CONTRIBUTOR", Body: &it.body,
	}
	if it.isPR {
		html := c.repoWeb() + "pull/" + n
		j.HTMLURL, j.Draft = html, &it.draft
		j.PullRequest = &pullLinksJSON{
			URL: c.repoAPI() + "pulls/" + n, HTMLURL: html, DiffURL: html + ".diff", PatchURL: html + ".patch",
			MergedAt: tsp(it.mergedAt),
		}
	}
	return j
}

func (c *call) commentJSON(it *item, cm Comment) commentJSON {
	id := itoa(int(cm.ID))
	updated := cm.UpdatedAt
	if updated.IsZero() {
		updated = cm.CreatedAt
	}
	return commentJSON{
		ID: cm.ID, NodeID: nodeID("IssueComment", id), URL: c.repoAPI() + "issues/comments/" + id,
		HTMLURL:  c.repoWeb() + "issues/" + itoa(it.number) + "#issuecomment-" + id,
		IssueURL: c.repoAPI() + "issues/" + itoa(it.number), User: c.userJSON(cm.User), Body: cm.Body,
		CreatedAt: ts(cm.CreatedAt), UpdatedAt: ts(updated), AuthorAssociation: "CONTRIBUTOR",
	}
}
