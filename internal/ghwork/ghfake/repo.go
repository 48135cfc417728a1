package ghfake

import (
	"encoding/json"
	"net/http"
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
