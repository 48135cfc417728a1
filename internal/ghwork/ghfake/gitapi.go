package ghfake

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"time"
)

func (c *call) createBlob() {
	var in struct {
		Content  *string `json:"content"`
		Encoding string  `json:"encoding"`
	}
	if !c.decode(&in) {
		return
	}
	if in.Content == nil {
		c.invalid("Blob", "content", "missing_field", "")
		return
	}
	data := []byte(*in.Content)
	switch in.Encoding {
	case "", "utf-8", "utf8":
	case "base64":
		var err error
		if data, err = base64.StdEncoding.DecodeString(stripNewlines(*in.Content)); err != nil {
			c.fail(http.StatusUnprocessableEntity, "content is not valid Base64")
			return
		}
	default:
		c.fail(http.StatusUnprocessableEntity, "encoding must be utf-8 or base64, not "+in.Encoding)
		return
	}
	sha := c.repo.objects.putBlob(data)
	c.json(http.StatusCreated, struct {
		SHA string `json:"sha"`
		URL string `json:"url"`
	}{sha, c.repoAPI() + "git/blobs/" + sha})
}

func stripNewlines(s string) string { return strings.NewReplacer("\n", "", "\r", "").Replace(s) }

func (c *call) getBlob() {
	sha := c.r.PathValue("sha")
	o, ok := c.repo.objects.get(sha, kindBlob)
	if !ok {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, blobJSON{
		SHA: sha, NodeID: nodeID("Blob", sha), Size: len(o.data), URL: c.repoAPI() + "git/blobs/" + sha,
		Content: wrap60(base64.StdEncoding.EncodeToString(o.data)), Encoding: "base64",
	})
}

// wrap60 breaks base64 text into 60-character lines like GitHub does.
func wrap60(s string) string {
	var b strings.Builder
	for len(s) > 60 {
		b.WriteString(s[:60] + "\n")
		s = s[60:]
	}
	b.WriteString(s + "\n")
	return b.String()
}

// treeInput is one entry of a create-tree request. SHA is raw so that an
// explicit null (delete) differs from an absent field.
type treeInput struct {
	Path    string          `json:"path"`
	Mode    string          `json:"mode"`
	Type    string          `json:"type"`
	SHA     json.RawMessage `json:"sha"`
	Content *string         `json:"content"`
}

func (c *call) createTree() {
	var in struct {
		BaseTree string      `json:"base_tree"`
		Tree     []treeInput `json:"tree"`
	}
	if !c.decode(&in) {
		return
	}
	files := map[string]leaf{}
	if in.BaseTree != "" {
		var err error
		if files, err = c.repo.objects.flatten(in.BaseTree); err != nil {
			c.invalid("Tree", "base_tree", "invalid", "base_tree is not a valid tree oid")
			return
		}
	}
	for _, e := range in.Tree {
		if msg := c.applyTreeInput(files, e); msg != "" {
			c.invalid("Tree", "tree", "invalid", msg)
			return
		}
	}
	sha := c.repo.objects.build(files)
	c.w.Header().Set("Location", c.repoAPI()+"git/trees/"+sha)
	c.json(http.StatusCreated, c.treeJSON(sha, false))
}

// applyTreeInput applies one create-tree entry to files and returns a
// problem description, or "" when it applied.
func (c *call) applyTreeInput(files map[string]leaf, e treeInput) string {
	if !validPath(e.Path) {
		return "tree.path contains a malformed path component: " + e.Path
	}
	var sha *string
	if len(e.SHA) > 0 && string(e.SHA) != "null" {
		if err := json.Unmarshal(e.SHA, &sha); err != nil {
			return "tree.sha is not a string"
		}
	}
	if sha == nil && e.Content == nil {
		removePath(files, e.Path)
		return ""
	}
	if e.Mode == "" {
		e.Mode = modeFile
	}
	kind := map[string]string{modeFile: kindBlob, modeExec: kindBlob, modeSymlink: kindBlob, modeDir: kindTree, modeSubmod: kindCommit}[e.Mode]
	if kind == "" || (e.Type != "" && e.Type != kind) {
		return "tree.mode " + e.Mode + " does not fit tree.type " + e.Type
	}
	if e.Content != nil {
		if kind != kindBlob {
			return "tree.content is only allowed for blobs"
		}
		setPath(files, e.Path, leaf{mode: e.Mode, kind: kindBlob, sha: c.repo.objects.putBlob([]byte(*e.Content))})
		return ""
	}
	return c.applyTreeSHA(files, e.Path, e.Mode, kind, *sha)
}

func (c *call) applyTreeSHA(files map[string]leaf, p, mode, kind, sha string) string {
	switch kind {
	case kindCommit:
		setPath(files, p, leaf{mode: mode, kind: kind, sha: sha})
	case kindBlob:
		if _, ok := c.repo.objects.get(sha, kindBlob); !ok {
			return "tree.sha " + sha + " is not a valid blob"
		}
		setPath(files, p, leaf{mode: mode, kind: kind, sha: sha})
	case kindTree:
		sub, err := c.repo.objects.flatten(sha)
		if err != nil {
			return "tree.sha " + sha + " is not a valid tree"
		}
		removePath(files, p)
		for sp, l := range sub {
			setPath(files, p+"/"+sp, l)
		}
	}
	return ""
}

func (c *call) getTree() {
	sha := c.r.PathValue("sha")
	if _, ok := c.repo.objects.get(sha, kindTree); !ok {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, c.treeJSON(sha, c.r.URL.Query().Get("recursive") != ""))
}

func (c *call) treeJSON(sha string, recursive bool) treeJSON {
	out := treeJSON{SHA: sha, URL: c.repoAPI() + "git/trees/" + sha, Tree: []treeEntryJSON{}}
	c.appendEntries(&out.Tree, "", sha, recursive)
	if recursive {
		sort.SliceStable(out.Tree, func(i, j int) bool { return out.Tree[i].Path < out.Tree[j].Path })
	}
	return out
}

func (c *call) appendEntries(dst *[]treeEntryJSON, prefix, sha string, recursive bool) {
	o, _ := c.repo.objects.get(sha, kindTree)
	for _, e := range o.entries {
		j := treeEntryJSON{Path: prefix + e.name, Mode: e.mode, Type: e.kind, SHA: e.sha}
		switch e.kind {
		case kindBlob:
			size := len(c.repo.objects[e.sha].data)
			j.Size, j.URL = &size, c.repoAPI()+"git/blobs/"+e.sha
		case kindTree:
			j.URL = c.repoAPI() + "git/trees/" + e.sha
		}
		*dst = append(*dst, j)
		if recursive && e.kind == kindTree {
			c.appendEntries(dst, prefix+e.name+"/", e.sha, true)
		}
	}
}

// signatureInput is the author or committer of a create-commit request.
type signatureInput struct {
	Name  string     `json:"name"`
	Email string     `json:"email"`
	Date  *time.Time `json:"date"`
}

func (c *call) signature(in *signatureInput, fallback Signature) Signature {
	if in == nil {
		return fallback
	}
	s := Signature{Name: in.Name, Email: in.Email, Date: fallback.Date}
	if in.Date != nil {
		s.Date = *in.Date
	}
	return s
}

func (c *call) createCommit() {
	var in struct {
		Message   *string         `json:"message"`
		Tree      string          `json:"tree"`
		Parents   []string        `json:"parents"`
		Author    *signatureInput `json:"author"`
		Committer *signatureInput `json:"committer"`
	}
	if !c.decode(&in) {
		return
	}
	if in.Message == nil {
		c.invalid("Commit", "message", "missing_field", "")
		return
	}
	if _, ok := c.repo.objects.get(in.Tree, kindTree); !ok {
		c.fail(http.StatusUnprocessableEntity, "Tree SHA does not exist")
		return
	}
	for _, p := range in.Parents {
		if _, ok := c.repo.objects.get(p, kindCommit); !ok {
			c.fail(http.StatusUnprocessableEntity, "Parent SHA does not exist or is not a commit object")
			return
		}
	}
	me := Signature{Name: defaultUser, Email: "41898282+github-actions[bot]@users.noreply.github.com", Date: c.s.now()}
	author := c.signature(in.Author, me)
	sha := c.repo.objects.putCommit(Commit{
		Tree: in.Tree, Parents: in.Parents, Message: *in.Message,
		Author: author, Committer: c.signature(in.Committer, author),
	})
	c.w.Header().Set("Location", c.repoAPI()+"git/commits/"+sha)
	c.json(http.StatusCreated, c.commitJSON(sha))
}

func (c *call) getCommit() {
	sha := c.r.PathValue("sha")
	if _, ok := c.repo.objects.get(sha, kindCommit); !ok {
		c.fail(http.StatusNotFound, "Not Found")
		return
	}
	c.json(http.StatusOK, c.commitJSON(sha))
}
