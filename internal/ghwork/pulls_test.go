package ghwork

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const fp = "0123456789abcdef0123456789abcdef"

func TestFindOwnRejectsBadFingerprint(t *testing.T) {
	e := newEnv(t)
	for _, bad := range []string{"", `abc" is:closed "x`, "a b"} {
		_, err := e.client.FindOwn(context.Background(), bad)
		if err == nil || !strings.Contains(err.Error(), "invalid fingerprint") {
			t.Errorf("FindOwn(%q) = %v, want invalid fingerprint", bad, err)
		}
	}
	if e.client.Calls() != 0 {
		t.Errorf("a bad fingerprint reached GitHub")
	}
}

// claimAndCommit prepares a branch one commit ahead of main.
func claimAndCommit(t *testing.T, e *env, branch string) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.client.Claim(ctx, branch, e.head); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.Commit(ctx, CommitRequest{Branch: branch, ParentSHA: e.head, Message: "fix", Force: true,
		Files: []FileChange{{Path: "cart/cart.go", Content: []byte("package cart // fixed\n")}}}); err != nil {
		t.Fatal(err)
	}
}

func TestOpenPR(t *testing.T) {
	e := newEnv(t)
	branch := BranchName(fp)
	claimAndCommit(t, e, branch)
	body := "Fixes the nil map.\n\n" + Marker(fp, "42")
	pr, err := e.client.OpenPR(context.Background(), NewPR{
		Title: "fix(cart): nil map", Body: body, Head: branch, Base: "main", Draft: true, Labels: []string{"dawnpatch", "bug"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Number != 1 || pr.Head != branch || pr.State != "open" || pr.Body != body || pr.URL == "" {
		t.Errorf("OpenPR = %+v", pr)
	}
	pulls := e.fake.Pulls("acme", "shop")
	if len(pulls) != 1 {
		t.Fatalf("fake has %d pulls, want 1", len(pulls))
	}
	got := pulls[0]
	if !got.Draft || got.Base != "main" || got.Head != branch {
		t.Errorf("stored PR draft=%v base=%s head=%s", got.Draft, got.Base, got.Head)
	}
	if diff := cmp.Diff([]string{"dawnpatch", "bug"}, got.Labels); diff != "" {
		t.Errorf("labels mismatch (-want +got):\n%s", diff)
	}
	own, err := e.client.FindOwn(context.Background(), fp)
	if err != nil || own.Open == nil || own.Open.Number != pr.Number {
		t.Errorf("FindOwn after OpenPR = %+v, %v; want #%d open", own, err, pr.Number)
	}
}

func TestOpenPRLabelFailureStillReturnsPR(t *testing.T) {
	e := newEnv(t)
	claimAndCommit(t, e, "dawnpatch/x")
	e.fake.Fail("POST", "/labels", http.StatusInternalServerError, 1, nil)
	pr, err := e.client.OpenPR(context.Background(), NewPR{Title: "t", Head: "dawnpatch/x", Base: "main", Labels: []string{"dawnpatch"}})
	if err == nil || !strings.Contains(err.Error(), "label pull request #1") {
		t.Errorf("error = %v, want the labelling failure", err)
	}
	if pr == nil || pr.Number != 1 {
		t.Errorf("PR = %+v, want #1 despite the label failure", pr)
	}
}

func TestOpenPRDenied(t *testing.T) {
	e := newEnv(t)
	claimAndCommit(t, e, "dawnpatch/x")
	e.fake.DenyPullRequests("")
	pr, err := e.client.OpenPR(context.Background(), NewPR{Title: "t", Head: "dawnpatch/x", Base: "main", Draft: true})
	if pr != nil || err == nil {
		t.Fatalf("OpenPR = %+v, %v; want an error", pr, err)
	}
	if !IsPermission(err) {
		t.Errorf("IsPermission(%v) = false, want true", err)
	}
	if !strings.Contains(err.Error(), "open pull request dawnpatch/x -> main") || !strings.Contains(err.Error(), "not permitted") {
		t.Errorf("error %q should name the operation and GitHub's reason", err)
	}
}

func TestOpenPRDuplicate(t *testing.T) {
	e := newEnv(t)
	claimAndCommit(t, e, "dawnpatch/x")
	req := NewPR{Title: "t", Head: "dawnpatch/x", Base: "main"}
	if _, err := e.client.OpenPR(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.OpenPR(context.Background(), req)
	if err == nil || IsPermission(err) || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("second OpenPR = %v, want a 422 already exists that is not a permission error", err)
	}
	if _, err := e.client.OpenPR(context.Background(), NewPR{Head: "x", Base: "main"}); err == nil || errors.Is(err, ErrClaimed) {
		t.Errorf("OpenPR without a title = %v, want a validation error", err)
	}
}

func TestRequestReviewersAndEditBody(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	branch := "dawnpatch/rev"
	claimAndCommit(t, e, branch)
	pr, err := e.client.OpenPR(ctx, NewPR{Title: "fix", Body: "b", Head: branch, Base: "main", Draft: true})
	if err != nil {
		t.Fatal(err)
	}
	if pr.Author != ActionsBot {
		t.Errorf("author = %q, want %q (the fake opens as the Actions bot)", pr.Author, ActionsBot)
	}
	calls := e.client.Calls()
	if err := e.client.RequestReviewers(ctx, pr.Number, nil, nil); err != nil || e.client.Calls() != calls {
		t.Errorf("empty request made a call or failed: %v", err)
	}
	if err := e.client.RequestReviewers(ctx, pr.Number, []string{"jane"}, []string{"payments"}); err != nil {
		t.Fatal(err)
	}
	if err := e.client.RequestReviewers(ctx, pr.Number, []string{ActionsBot}, nil); err == nil {
		t.Error("requesting the author's review was accepted")
	}
	if err := e.client.EditBody(ctx, pr.Number, "new body"); err != nil {
		t.Fatal(err)
	}
	got := e.fake.Pulls("acme", "shop")[0]
	if diff := cmp.Diff([]string{"jane", "team:payments"}, got.Reviewers); diff != "" || got.Body != "new body" {
		t.Errorf("reviewers (-want +got):\n%s\nbody %q", diff, got.Body)
	}
}

// TestEditBodyKeepsTheMarkersLast: the pipeline appends the GITHUB_TOKEN
// note to the body it opened; the pull request must stay dawnpatch's.
func TestEditBodyKeepsTheMarkersLast(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	branch := BranchName(fp)
	claimAndCommit(t, e, branch)
	body := "Fixes the nil map.\n" + MarkerBlock(fp, "42", "cart", 0.9)
	pr, err := e.client.OpenPR(ctx, NewPR{Title: "fix", Body: body, Head: branch, Base: "main", Draft: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.client.EditBody(ctx, pr.Number, pr.Body+"\n\n> A note.\n"); err != nil {
		t.Fatal(err)
	}
	want := "Fixes the nil map.\n\n> A note.\n" + MarkerBlock(fp, "42", "cart", 0.9)
	if diff := cmp.Diff(want, e.fake.Pulls("acme", "shop")[0].Body); diff != "" {
		t.Errorf("body mismatch (-want +got):\n%s", diff)
	}
	if own, err := e.client.FindOwn(ctx, fp); err != nil || own.Open == nil || own.Open.Number != pr.Number {
		t.Errorf("FindOwn after the note = %+v, %v; want #%d open", own, err, pr.Number)
	}
}
