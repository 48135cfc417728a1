package ghwork

import (
	"context"
	"testing"
	"time"
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
