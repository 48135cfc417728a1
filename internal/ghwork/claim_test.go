package ghwork

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestClaimStateAndTakeOver(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	claimedAt := time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)
	e.fake.SetClock(func() time.Time { return claimedAt })
	branch := BranchName(fp)
	claim, err := e.client.Claim(ctx, branch, e.head)
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.client.State(ctx, branch)
	if err != nil {
		t.Fatal(err)
	}
	if st.SHA != claim || !st.OnlyClaim || !st.At.Equal(claimedAt) {
		t.Errorf("state = %+v, want the claim commit made at %s", st, claimedAt)
	}
	e.fake.SetClock(func() time.Time { return claimedAt.Add(3 * time.Hour) })
	again, err := e.client.TakeOver(ctx, branch, e.head)
	if err != nil {
		t.Fatal(err)
	}
	if sha, _ := e.fake.Ref("acme", "shop", branch); sha != again || again == claim {
		t.Errorf("branch at %s after take-over, want the new claim %s", sha, again)
	}
	if _, err := e.client.Commit(ctx, CommitRequest{Branch: branch, ParentSHA: e.head, Message: "fix", Force: true,
		Files: []FileChange{{Path: "cart/cart.go", Content: []byte("package cart // fixed\n")}}}); err != nil {
		t.Fatal(err)
	}
	if st, _ := e.client.State(ctx, branch); st.OnlyClaim {
		t.Error("a branch holding a fix still reads as only a claim")
	}
	if pr, err := e.client.OpenPRFor(ctx, branch); err != nil || pr != nil {
		t.Errorf("OpenPRFor before any PR = %v, %v", pr, err)
	}
}

// TestLookupClaim is issue 18: a live claim seen in one read, no write.
func TestLookupClaim(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	branch := BranchName(fp)
	type result struct {
		St ClaimState
		OK bool
	}
	lookup := func() result {
		t.Helper()
		before := e.client.Calls()
		st, ok, err := e.client.LookupClaim(ctx, branch)
		if err != nil {
			t.Fatal(err)
		}
		if n := e.client.Calls() - before; n != 1 {
			t.Errorf("LookupClaim made %d calls, want 1", n)
		}
		return result{st, ok}
	}
	if diff := cmp.Diff(result{}, lookup()); diff != "" {
		t.Errorf("before any claim (-want +got):\n%s", diff)
	}
	claimedAt := time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)
	e.fake.SetClock(func() time.Time { return claimedAt })
	claim, err := e.client.Claim(ctx, branch, e.head)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(result{ClaimState{SHA: claim, At: claimedAt, OnlyClaim: true}, true}, lookup()); diff != "" {
		t.Errorf("after the claim (-want +got):\n%s", diff)
	}
	st, err := e.client.State(ctx, branch)
	if err != nil || st != (ClaimState{SHA: claim, At: claimedAt, OnlyClaim: true}) {
		t.Errorf("State = %+v, %v; want what LookupClaim reads", st, err)
	}
	e.fake.SetClock(func() time.Time { return claimedAt.Add(time.Hour) })
	fix, err := e.client.Commit(ctx, CommitRequest{Branch: branch, ParentSHA: e.head, Message: "fix", Force: true,
		Files: []FileChange{{Path: "cart/cart.go", Content: []byte("package cart // fixed\n")}}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(result{ClaimState{SHA: fix, At: claimedAt.Add(time.Hour)}, true}, lookup()); diff != "" {
		t.Errorf("after the fix (-want +got):\n%s", diff)
	}
	for _, w := range e.fake.Writes() {
		if w == "GET /repos/acme/shop/branches/"+branch {
			t.Errorf("a lookup was logged as a write: %s", w)
		}
	}
}

func TestLookupClaimFailures(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		message    string
		permission bool
	}{
		{"server error", http.StatusInternalServerError, "Internal Server Error", false},
		{"token without contents: read", http.StatusForbidden, "Resource not accessible by integration", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.FailMessage("GET", "/branches/", tt.status, 1, nil, tt.message)
			_, ok, err := e.client.LookupClaim(context.Background(), "dawnpatch/x")
			if err == nil || ok {
				t.Fatalf("LookupClaim = %v, %v; want an error", ok, err)
			}
			if IsPermission(err) != tt.permission {
				t.Errorf("IsPermission(%v) = %v, want %v", err, !tt.permission, tt.permission)
			}
		})
	}
	e := newEnv(t)
	if _, _, err := e.client.LookupClaim(context.Background(), ""); err == nil || e.client.Calls() != 0 {
		t.Errorf("empty branch: %v after %d calls", err, e.client.Calls())
	}
}
