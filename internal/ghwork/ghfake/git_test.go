package ghfake

import (
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

func TestBlobSHAsAreGits(t *testing.T) {
	tests := []struct {
		name, content, want string
	}{
		// `printf 'hello\n' | git hash-object --stdin` and the empty blob.
		{"hello", "hello\n", "ce013625030ba8dba906f756967f9e9ca394464a"},
		{"empty", "", "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := (store{}).putBlob([]byte(tt.content)); got != tt.want {
				t.Errorf("blob sha = %s, want %s", got, tt.want)
			}
		})
	}
	if got, want := (store{}).build(nil), "4b825dc642cb6eb9a060e54bf8d69288fbee4904"; got != want {
		t.Errorf("empty tree sha = %s, want %s", got, want)
	}
}

// TestTreeAndCommitMatchRealGit builds the same files with real git and
// compares tree and commit ids. The message goes through stdin because -m
// appends a newline that the API does not.
func TestTreeAndCommitMatchRealGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed; the hash cross-check needs it")
	}
	files := map[string]string{"a.txt": "a\n", "dir/b.txt": "b\n", "dir-x": "file named like a dir\n", "dir/sub/c.go": "package c\n"}
	fake := New()
	head := fake.AddRepo("acme", "shop", "main", files)
	c, _ := fake.Commit("acme", "shop", head)

	dir := t.TempDir()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	date := seedTime.Format(time.RFC3339)
	env := append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=Seed", "GIT_AUTHOR_EMAIL=seed@example.com", "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_NAME=Seed", "GIT_COMMITTER_EMAIL=seed@example.com", "GIT_COMMITTER_DATE="+date)
	git := func(stdin string, args ...string) string {
		cmd := exec.Command("git", args...)
		cmd.Dir, cmd.Env, cmd.Stdin = dir, env, strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("", "init", "-q")
	git("", "add", "-A")
	tree := git("", "write-tree")
	if c.Tree != tree {
		t.Errorf("fake tree = %s, git write-tree = %s", c.Tree, tree)
	}
	if commit := git("Initial commit", "commit-tree", tree); head != commit {
		t.Errorf("fake commit = %s, git commit-tree = %s", head, commit)
	}
}

func TestTreeCommitModel(t *testing.T) {
	fake := New()
	base := fake.AddRepo("acme", "shop", "main", map[string]string{
		"README.md": "hi\n", "pkg/a.go": "package pkg\n", "pkg/b.go": "package pkg // b\n", "pkg/deep/c.go": "package deep\n",
	})
	gh, _ := serve(t, fake)
	ctx := context.Background()

	utf, _, err := gh.Git.CreateBlob(ctx, "acme", "shop", &github.Blob{Content: github.String("new\n"), Encoding: github.String("utf-8")})
	if err != nil {
		t.Fatal(err)
	}
	b64, _, err := gh.Git.CreateBlob(ctx, "acme", "shop", &github.Blob{
		Content: github.String(base64.StdEncoding.EncodeToString([]byte("changed\n"))), Encoding: github.String("base64"),
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := gh.Git.GetBlob(ctx, "acme", "shop", b64.GetSHA())
	if err != nil {
		t.Fatal(err)
	}
	if raw, _ := base64.StdEncoding.DecodeString(strings.ReplaceAll(got.GetContent(), "\n", "")); string(raw) != "changed\n" {
		t.Errorf("blob content = %q, want %q", raw, "changed\n")
	}
	parent, _, err := gh.Git.GetCommit(ctx, "acme", "shop", base)
	if err != nil {
		t.Fatal(err)
	}
	tree, _, err := gh.Git.CreateTree(ctx, "acme", "shop", parent.GetTree().GetSHA(), []*github.TreeEntry{
		{Path: github.String("pkg/a.go"), Mode: github.String("100644"), Type: github.String("blob"), SHA: b64.SHA},
		{Path: github.String("new/dir/n.txt"), Mode: github.String("100644"), Type: github.String("blob"), SHA: utf.SHA},
		{Path: github.String("inline.txt"), Mode: github.String("100644"), Type: github.String("blob"), Content: github.String("inline\n")},
		{Path: github.String("pkg/b.go"), Mode: github.String("100644"), Type: github.String("blob")}, // sha null: delete
	})
	if err != nil {
		t.Fatal(err)
	}
	commit, _, err := gh.Git.CreateCommit(ctx, "acme", "shop", &github.Commit{
		Message: github.String("change"), Tree: &github.Tree{SHA: tree.SHA}, Parents: []*github.Commit{{SHA: github.String(base)}},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := commit.Parents; len(got) != 1 || got[0].GetSHA() != base || commit.GetAuthor().GetName() == "" {
		t.Errorf("commit parents = %v author = %v, want [%s] and a default author", got, commit.GetAuthor(), base)
	}
	files, err := fake.Files("acme", "shop", commit.GetSHA())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"README.md": "hi\n", "pkg/a.go": "changed\n", "pkg/deep/c.go": "package deep\n",
		"new/dir/n.txt": "new\n", "inline.txt": "inline\n",
	}
	if diff := cmp.Diff(want, files); diff != "" {
		t.Errorf("files mismatch (-want +got):\n%s", diff)
	}

	rec, _, err := gh.Git.GetTree(ctx, "acme", "shop", tree.GetSHA(), true)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range rec.Entries {
		paths = append(paths, e.GetType()+" "+e.GetPath())
	}
	wantPaths := []string{"blob README.md", "blob inline.txt", "tree new", "tree new/dir", "blob new/dir/n.txt",
		"tree pkg", "blob pkg/a.go", "tree pkg/deep", "blob pkg/deep/c.go"}
	if diff := cmp.Diff(wantPaths, paths); diff != "" {
		t.Errorf("recursive tree mismatch (-want +got):\n%s", diff)
	}
	top, _, err := gh.Git.GetTree(ctx, "acme", "shop", tree.GetSHA(), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(top.Entries) != 4 {
		t.Errorf("non-recursive tree has %d entries, want 4 (README.md inline.txt new pkg)", len(top.Entries))
	}
}

func TestGitErrors(t *testing.T) {
	fake := New()
	base := fake.AddRepo("acme", "shop", "main", map[string]string{"a": "a"})
	gh, _ := serve(t, fake)
	ctx := context.Background()
	missing := strings.Repeat("0", 40)
	tests := []struct {
		name string
		call func() error
		want int
	}{
		{"commit with unknown tree", func() error {
			_, _, err := gh.Git.CreateCommit(ctx, "acme", "shop", &github.Commit{Message: github.String("m"), Tree: &github.Tree{SHA: &missing}}, nil)
			return err
		}, 422},
		{"commit with unknown parent", func() error {
			c, _ := fake.Commit("acme", "shop", base)
			_, _, err := gh.Git.CreateCommit(ctx, "acme", "shop", &github.Commit{Message: github.String("m"), Tree: &github.Tree{SHA: &c.Tree}, Parents: []*github.Commit{{SHA: &missing}}}, nil)
			return err
		}, 422},
		{"tree with bad path", func() error {
			_, _, err := gh.Git.CreateTree(ctx, "acme", "shop", "", []*github.TreeEntry{{Path: github.String("../x"), Content: github.String("x")}})
			return err
		}, 422},
		{"tree with unknown base", func() error {
			_, _, err := gh.Git.CreateTree(ctx, "acme", "shop", missing, []*github.TreeEntry{{Path: github.String("x"), Content: github.String("x")}})
			return err
		}, 422},
		{"unknown blob", func() error { _, _, err := gh.Git.GetBlob(ctx, "acme", "shop", missing); return err }, 404},
		{"unknown commit", func() error { _, _, err := gh.Git.GetCommit(ctx, "acme", "shop", missing); return err }, 404},
		{"unknown repo", func() error { _, _, err := gh.Repositories.Get(ctx, "acme", "nope"); return err }, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := status(tt.call()); got != tt.want {
				t.Errorf("status = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestRefs(t *testing.T) {
	fake := New()
	base := fake.AddRepo("acme", "shop", "main", map[string]string{"a": "1"})
	next, err := fake.AddCommit("acme", "shop", base, "two", map[string]string{"a": "2"})
	if err != nil {
		t.Fatal(err)
	}
	gh, _ := serve(t, fake)
	ctx := context.Background()
	ref := func(name, sha string) *github.Reference {
		return &github.Reference{Ref: github.String(name), Object: &github.GitObject{SHA: github.String(sha)}}
	}

	created, resp, err := gh.Git.CreateRef(ctx, "acme", "shop", ref("refs/heads/dawnpatch/abc", next))
	if err != nil || resp.StatusCode != 201 || created.GetObject().GetSHA() != next {
		t.Fatalf("create ref: %v %v %v", created, resp, err)
	}
	_, _, err = gh.Git.CreateRef(ctx, "acme", "shop", ref("refs/heads/dawnpatch/abc", base))
	if status(err) != 422 || message(err) != "Reference already exists" {
		t.Errorf("duplicate create: %v, want 422 Reference already exists", err)
	}
	if _, _, err := gh.Git.UpdateRef(ctx, "acme", "shop", ref("refs/heads/dawnpatch/abc", base), false); status(err) != 422 {
		t.Errorf("non fast-forward update: %v, want 422", err)
	}
	if _, _, err := gh.Git.UpdateRef(ctx, "acme", "shop", ref("refs/heads/main", next), false); err != nil {
		t.Errorf("fast-forward update: %v", err)
	}
	if _, _, err := gh.Git.UpdateRef(ctx, "acme", "shop", ref("refs/heads/dawnpatch/abc", base), true); err != nil {
		t.Errorf("forced update: %v", err)
	}
	got, _, err := gh.Git.GetRef(ctx, "acme", "shop", "heads/dawnpatch/abc")
	if err != nil || got.GetObject().GetSHA() != base {
		t.Errorf("get ref = %v, %v; want sha %s", got, err, base)
	}
	refs, _, err := gh.Git.ListMatchingRefs(ctx, "acme", "shop", &github.ReferenceListOptions{Ref: "heads/dawnpatch/"})
	if err != nil || len(refs) != 1 || refs[0].GetRef() != "refs/heads/dawnpatch/abc" {
		t.Errorf("matching refs = %v, %v; want just refs/heads/dawnpatch/abc", refs, err)
	}
	if _, err := gh.Git.DeleteRef(ctx, "acme", "shop", "heads/dawnpatch/abc"); err != nil {
		t.Errorf("delete ref: %v", err)
	}
	if _, _, err := gh.Git.GetRef(ctx, "acme", "shop", "heads/dawnpatch/abc"); status(err) != 404 {
		t.Errorf("get deleted ref: %v, want 404", err)
	}
	if sha, ok := fake.Ref("acme", "shop", "main"); !ok || sha != next {
		t.Errorf("Ref(main) = %s, %v; want %s", sha, ok, next)
	}
	if _, _, err := gh.Git.CreateRef(ctx, "acme", "shop", ref("refs/heads/x", strings.Repeat("1", 40))); status(err) != 422 {
		t.Errorf("create ref at unknown sha: %v, want 422", err)
	}
	if _, _, err := gh.Git.CreateRef(ctx, "acme", "shop", ref("main", base)); status(err) != 422 {
		t.Errorf("create ref without refs/ prefix: %v, want 422", err)
	}
}
