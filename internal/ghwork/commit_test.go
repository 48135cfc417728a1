package ghwork

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCommit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	branch := BranchName(fp)
	if _, err := e.client.Claim(ctx, branch, e.head); err != nil {
		t.Fatal(err)
	}
	sha, err := e.client.Commit(ctx, CommitRequest{
		Branch: branch, ParentSHA: e.head, Message: "fix(cart): guard nil map\n\nBody.", Force: true, // replaces the claim commit
		Files: []FileChange{
			{Path: "cart/cart.go", Content: []byte("package cart // fixed\n")},
			{Path: "cart/regress/nil_test.go", Content: []byte("package regress\n")},
			{Path: "bin.dat", Content: []byte{0, 1, 2, 0xff}},
			{Path: "README.md", Delete: true},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	files, err := e.fake.Files("acme", "shop", sha)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"go.mod":                   "module shop\n",
		"cart/cart.go":             "package cart // fixed\n",
		"cart/cart_test.go":        "package cart\n",
		"cart/regress/nil_test.go": "package regress\n",
		"bin.dat":                  "\x00\x01\x02\xff",
	}
	if diff := cmp.Diff(want, files); diff != "" {
		t.Errorf("tree at the new commit mismatch (-want +got):\n%s", diff)
	}
	if got, _ := e.fake.Ref("acme", "shop", branch); got != sha {
		t.Errorf("branch %s at %s, want the new commit %s", branch, got, sha)
	}
	if got, _ := e.fake.Ref("acme", "shop", "main"); got != e.head {
		t.Errorf("main moved to %s, want it unchanged at %s", got, e.head)
	}
	c, ok := e.fake.Commit("acme", "shop", sha)
	if !ok || c.Message != "fix(cart): guard nil map\n\nBody." || len(c.Parents) != 1 || c.Parents[0] != e.head {
		t.Errorf("commit = %+v, want the message and parent %s", c, e.head)
	}
	// GetCommit, 3 blobs, tree, commit, ref update; plus the claim.
	if got, want := []int{e.client.Calls(), len(e.fake.Writes())}, []int{10, 8}; !cmp.Equal(got, want) {
		t.Errorf("[calls writes] = %v, want %v", got, want)
	}

	// A second commit from the stale parent would drop the first: refused.
	_, err = e.client.Commit(ctx, CommitRequest{Branch: branch, ParentSHA: e.head, Message: "again",
		Files: []FileChange{{Path: "x", Content: []byte("x")}}})
	if err == nil || !strings.Contains(err.Error(), "update ref") || !strings.Contains(err.Error(), "fast forward") {
		t.Errorf("non fast-forward commit = %v, want an update ref error", err)
	}
	if got, _ := e.fake.Ref("acme", "shop", branch); got != sha {
		t.Errorf("branch moved to %s by a refused commit", got)
	}
}

func TestCommitValidates(t *testing.T) {
	ok := CommitRequest{Branch: "b", ParentSHA: "p", Message: "m", Files: []FileChange{{Path: "a", Content: []byte("a")}}}
	tests := []struct {
		name    string
		edit    func(*CommitRequest)
		wantErr string
	}{
		{"no branch", func(r *CommitRequest) { r.Branch = "" }, "required"},
		{"blank message", func(r *CommitRequest) { r.Message = " \n" }, "required"},
		{"no files", func(r *CommitRequest) { r.Files = nil }, "no files"},
		{"absolute path", func(r *CommitRequest) { r.Files[0].Path = "/etc/passwd" }, `"/etc/passwd"`},
		{"escaping path", func(r *CommitRequest) { r.Files[0].Path = "../x" }, `"../x"`},
		{"unclean path", func(r *CommitRequest) { r.Files[0].Path = "a//b" }, `"a//b"`},
		{"duplicate path", func(r *CommitRequest) { r.Files = append(r.Files, FileChange{Path: "a"}) }, "listed twice"},
		{"delete with content", func(r *CommitRequest) { r.Files[0].Delete = true }, "deleted with content"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			req := ok
			req.Files = append([]FileChange(nil), ok.Files...)
			tt.edit(&req)
			_, err := e.client.Commit(context.Background(), req)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Commit error = %v, want one containing %s", err, tt.wantErr)
			}
			if e.client.Calls() != 0 {
				t.Errorf("an invalid request reached GitHub")
			}
		})
	}
}
