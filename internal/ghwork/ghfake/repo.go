package ghfake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// repo is one repository's state.
type repo struct {
	owner, name   string
	id            int64
	defaultBranch string
	objects       store
	refs          map[string]string // full ref name -> commit sha
	items         map[int]*item     // pull requests and issues by number
	next          int               // last number handed out
	labels        map[string]*label // by lower-case name
}

type label struct {
	id          int64
	name, color string
}

func repoKey(owner, name string) string { return strings.ToLower(owner + "/" + name) }

func (r *repo) fullName() string { return r.owner + "/" + r.name }

// fullRef turns "heads/x", "refs/heads/x" or a bare branch "x" into
// "refs/heads/x".
func fullRef(ref string) string {
	switch {
	case strings.HasPrefix(ref, "refs/"):
		return ref
	case strings.HasPrefix(ref, "heads/"), strings.HasPrefix(ref, "tags/"), strings.HasPrefix(ref, "pull/"):
		return "refs/" + ref
	}
	return "refs/heads/" + ref
}

func (r *repo) branchSHA(branch string) (string, bool) {
	sha, ok := r.refs["refs/heads/"+branch]
	return sha, ok
}

func (c *call) getRepo() { c.json(http.StatusOK, c.repoJSON()) }

func (c *call) getRef() {
	ref := c.r.PathValue("ref")
	if ref == "" {
		c.json(http.StatusOK, c.refsWithPrefix("refs/"))
		return
	}
	sha, ok := c.repo.refs["refs/"+ref]
	if !ok {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, c.refJSON("refs/"+ref, sha))
}

func (c *call) matchingRefs() {
	c.json(http.StatusOK, c.refsWithPrefix("refs/"+c.r.PathValue("ref")))
}

func (c *call) refsWithPrefix(prefix string) []refJSON {
	names := []string{}
	for name := range c.repo.refs {
		if strings.HasPrefix(name, prefix) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	out := make([]refJSON, 0, len(names))
	for _, n := range names {
		out = append(out, c.refJSON(n, c.repo.refs[n]))
	}
	return out
}

// validRefName reports whether name is a full ref git would accept, roughly.
func validRefName(name string) bool {
	rest, ok := strings.CutPrefix(name, "refs/")
	if !ok || !strings.Contains(rest, "/") || strings.Contains(name, "..") || strings.HasSuffix(name, ".lock") {
		return false
	}
	return validPath(rest) && !strings.ContainsAny(name, " ~^:?*[\\")
}

func (c *call) createRef() {
	var in struct {
		Ref string `json:"ref"`
		SHA string `json:"sha"`
	}
	if !c.decode(&in) {
		return
	}
	switch {
	case !validRefName(in.Ref):
		c.fail(http.StatusUnprocessableEntity, "Reference name is not valid: "+in.Ref)
	case c.repo.objects[in.SHA] == nil:
		c.fail(http.StatusUnprocessableEntity, "Object does not exist")
	case c.repo.refs[in.Ref] != "":
		c.fail(http.StatusUnprocessableEntity, "Reference already exists")
	default:
		c.repo.refs[in.Ref] = in.SHA
		c.w.Header().Set("Location", c.repoAPI()+"git/"+in.Ref)
		c.json(http.StatusCreated, c.refJSON(in.Ref, in.SHA))
	}
}

func (c *call) updateRef() {
	var in struct {
		SHA   string `json:"sha"`
		Force bool   `json:"force"`
	}
	if !c.decode(&in) {
		return
	}
	name := "refs/" + c.r.PathValue("ref")
	old, exists := c.repo.refs[name]
	switch {
	case !exists:
		c.fail(http.StatusUnprocessableEntity, "Reference does not exist")
	case c.repo.objects[in.SHA] == nil:
		c.fail(http.StatusUnprocessableEntity, "Object does not exist")
	case !in.Force && !c.repo.objects.isAncestor(old, in.SHA):
		c.fail(http.StatusUnprocessableEntity, "Update is not a fast forward")
	default:
		c.repo.refs[name] = in.SHA
		c.json(http.StatusOK, c.refJSON(name, in.SHA))
	}
}

func (c *call) deleteRef() {
	name := "refs/" + c.r.PathValue("ref")
	if _, ok := c.repo.refs[name]; !ok {
		c.fail(http.StatusUnprocessableEntity, "Reference does not exist")
		return
	}
	delete(c.repo.refs, name)
	c.w.WriteHeader(http.StatusNoContent)
}

func (c *call) dispatch() {
	var in struct {
		EventType     string          `json:"event_type"`
		ClientPayload json.RawMessage `json:"client_payload"`
	}
	if !c.decode(&in) {
		return
	}
	if in.EventType == "" {
		c.invalid("Repository", "event_type", "missing_field", "")
		return
	}
	c.s.dispatches = append(c.s.dispatches, Dispatch{
		Owner: c.repo.owner, Repo: c.repo.name, EventType: in.EventType, ClientPayload: in.ClientPayload,
	})
	c.w.WriteHeader(http.StatusNoContent)
}

// repoCommitJSON is the REST API's commit (GET /repos/{o}/{r}/commits/{ref},
// and a branch's "commit"): the git commit nested under "commit", the
// GitHub accounts under "author" and "committer" (null: the fake links no
// email to an account).
type repoCommitJSON struct {
	SHA         string          `json:"sha"`
	NodeID      string          `json:"node_id"`
	URL         string          `json:"url"`
	HTMLURL     string          `json:"html_url"`
	CommentsURL string          `json:"comments_url"`
	Commit      gitCommitJSON   `json:"commit"`
	Author      *userJSON       `json:"author"`
	Committer   *userJSON       `json:"committer"`
	Parents     []commitRefJSON `json:"parents"`
}

type gitCommitJSON struct {
	URL          string           `json:"url"`
	Author       signatureJSON    `json:"author"`
	Committer    signatureJSON    `json:"committer"`
	Message      string           `json:"message"`
	Tree         commitRefJSON    `json:"tree"`
	CommentCount int              `json:"comment_count"`
	Verification verificationJSON `json:"verification"`
}

type branchLinksJSON struct {
	Self string `json:"self"`
	HTML string `json:"html"`
}

type fullBranchJSON struct {
	Name          string          `json:"name"`
	Commit        repoCommitJSON  `json:"commit"`
	Links         branchLinksJSON `json:"_links"`
	Protected     bool            `json:"protected"`
	ProtectionURL string          `json:"protection_url"`
}

// getBranch answers GET /repos/{o}/{r}/branches/{branch}: the branch and
// its head commit, or 404 "Branch not found".
func (c *call) getBranch() {
	name := c.r.PathValue("branch")
	sha, ok := c.repo.branchSHA(name)
	if !ok {
		c.fail(http.StatusNotFound, "Branch not found")
		return
	}
	g := c.commitJSON(sha)
	self := c.repoAPI() + "branches/" + url.PathEscape(name)
	c.json(http.StatusOK, fullBranchJSON{
		Name: name,
		Commit: repoCommitJSON{
			SHA: sha, NodeID: g.NodeID, URL: c.repoAPI() + "commits/" + sha, HTMLURL: g.HTMLURL,
			CommentsURL: c.repoAPI() + "commits/" + sha + "/comments",
			Commit: gitCommitJSON{URL: g.URL, Author: g.Author, Committer: g.Committer, Message: g.Message, Tree: g.Tree,
				Verification: g.Verification},
			Parents: g.Parents,
		},
		Links:     branchLinksJSON{Self: self, HTML: c.repoWeb() + "tree/" + name},
		Protected: false, ProtectionURL: self + "/protection",
	})
}
