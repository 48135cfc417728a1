package ghfake

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"path"
	"sort"
	"strings"
	"time"
)

// Object kinds, as GitHub names them in tree entries.
const (
	kindBlob   = "blob"
	kindTree   = "tree"
	kindCommit = "commit"
)

// Modes the fake accepts in tree entries, in GitHub's six-digit spelling.
const (
	modeFile    = "100644"
	modeExec    = "100755"
	modeDir     = "040000"
	modeSubmod  = "160000"
	modeSymlink = "120000"
)

// Signature is the author or committer of a commit.
type Signature struct {
	Name  string
	Email string
	Date  time.Time
}

// Commit is a snapshot of a commit object held by the fake.
type Commit struct {
	SHA       string
	Tree      string
	Parents   []string
	Message   string
	Author    Signature
	Committer Signature
}

// treeEntry is one entry of a stored tree object.
type treeEntry struct {
	name, mode, kind, sha string
}

// object is a git object: exactly one of data (blob), entries (tree) or
// commit is meaningful, chosen by kind.
type object struct {
	kind    string
	data    []byte
	entries []treeEntry
	commit  *Commit
}

// leaf is a non-tree entry of a flattened tree, keyed by its full path.
type leaf struct {
	mode, kind, sha string
}

// store holds one repository's objects, addressed by their git SHA-1.
type store map[string]*object

func hashObject(kind string, body []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", kind, len(body))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

func (st store) putBlob(data []byte) string {
	sha := hashObject(kindBlob, data)
	st[sha] = &object{kind: kindBlob, data: append([]byte(nil), data...)}
	return sha
}

// gitTreeOrder sorts entries like git: directories compare as if their name
// ended in "/".
func gitTreeOrder(entries []treeEntry) {
	key := func(e treeEntry) string {
		if e.kind == kindTree {
			return e.name + "/"
		}
		return e.name
	}
	sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })
}

func (st store) putTree(entries []treeEntry) string {
	gitTreeOrder(entries)
	var body []byte
	for _, e := range entries {
		raw, _ := hex.DecodeString(e.sha)
		body = append(body, strings.TrimPrefix(e.mode, "0")+" "+e.name+"\x00"...)
		body = append(body, raw...)
	}
	sha := hashObject(kindTree, body)
	st[sha] = &object{kind: kindTree, entries: entries}
	return sha
}

func formatSignature(s Signature) string {
	return fmt.Sprintf("%s <%s> %d %s", s.Name, s.Email, s.Date.Unix(), s.Date.Format("-0700"))
}

func (st store) putCommit(c Commit) string {
	var b strings.Builder
	fmt.Fprintf(&b, "tree %s\n", c.Tree)
	for _, p := range c.Parents {
		fmt.Fprintf(&b, "parent %s\n", p)
	}
	fmt.Fprintf(&b, "author %s\ncommitter %s\n\n%s", formatSignature(c.Author), formatSignature(c.Committer), c.Message)
	c.SHA = hashObject(kindCommit, []byte(b.String()))
	c.Parents = append([]string(nil), c.Parents...)
	st[c.SHA] = &object{kind: kindCommit, commit: &c}
	return c.SHA
}

func (st store) get(sha, kind string) (*object, bool) {
	o, ok := st[sha]
	if !ok || o.kind != kind {
		return nil, false
	}
	return o, true
}

// flatten lists every non-tree entry under the tree sha, keyed by full path.
func (st store) flatten(sha string) (map[string]leaf, error) {
	out := map[string]leaf{}
	return out, st.flattenInto(out, "", sha)
}

func (st store) flattenInto(out map[string]leaf, prefix, sha string) error {
	o, ok := st.get(sha, kindTree)
	if !ok {
		return fmt.Errorf("tree %s does not exist", sha)
	}
	for _, e := range o.entries {
		p := path.Join(prefix, e.name)
		if e.kind == kindTree {
			if err := st.flattenInto(out, p, e.sha); err != nil {
				return err
			}
			continue
		}
		out[p] = leaf{mode: e.mode, kind: e.kind, sha: e.sha}
	}
	return nil
}

// build stores the nested trees for a flat path map and returns the root sha.
func (st store) build(files map[string]leaf) string {
	direct := []treeEntry{}
	sub := map[string]map[string]leaf{}
	for p, l := range files {
		dir, rest, nested := strings.Cut(p, "/")
		if !nested {
			direct = append(direct, treeEntry{name: p, mode: l.mode, kind: l.kind, sha: l.sha})
			continue
		}
		if sub[dir] == nil {
			sub[dir] = map[string]leaf{}
		}
		sub[dir][rest] = l
	}
	for dir, m := range sub {
		direct = append(direct, treeEntry{name: dir, mode: modeDir, kind: kindTree, sha: st.build(m)})
	}
	return st.putTree(direct)
}

// setPath puts l at p, removing whatever file or directory stood in the way.
func setPath(files map[string]leaf, p string, l leaf) {
	removePath(files, p)
	for dir := path.Dir(p); dir != "."; dir = path.Dir(dir) {
		delete(files, dir)
	}
	files[p] = l
}

// removePath deletes the file p, or every file under the directory p.
func removePath(files map[string]leaf, p string) {
	delete(files, p)
	for k := range files {
		if strings.HasPrefix(k, p+"/") {
			delete(files, k)
		}
	}
}

// isAncestor reports whether ancestor is reachable from sha through parents
// (a commit is its own ancestor).
func (st store) isAncestor(ancestor, sha string) bool {
	seen := map[string]bool{}
	queue := []string{sha}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == ancestor {
			return true
		}
		if seen[cur] {
			continue
		}
		seen[cur] = true
		if o, ok := st.get(cur, kindCommit); ok {
			queue = append(queue, o.commit.Parents...)
		}
	}
	return false
}

// validPath reports whether p is a clean relative path like git accepts.
func validPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.HasSuffix(p, "/") {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." || seg == ".git" {
			return false
		}
	}
	return !strings.ContainsRune(p, 0)
}
