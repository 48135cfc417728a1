package ghwork

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
)

func TestListPRsPagesAndDetail(t *testing.T) {
	e := newEnv(t)
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	for i := range 230 {
		e.fake.AddPull("acme", "shop", ghfake.PullSeed{Title: "fix", Body: Marker(fmt.Sprintf("fp%03d", i), ""), Head: "h", Base: "main",
			Merged: i%2 == 0, Commits: 1 + i%3, CreatedAt: now.Add(-time.Duration(i) * time.Hour)})
	}
	e.fake.AddPull("acme", "shop", ghfake.PullSeed{Title: "human", Body: "mentions dawnpatch:fp= in prose only", Head: "x", Base: "main", CreatedAt: now})
	ctx := context.Background()
	prs, truncated, err := e.client.ListPRs(ctx, now.Add(-300*time.Hour), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(prs) != 199 || !truncated {
		t.Errorf("%d records (truncated %v), want 199 of 200 hits and truncated: one hit has no real marker", len(prs), truncated)
	}
	if prs[0].CreatedAt.Before(prs[len(prs)-1].CreatedAt) {
		t.Error("records are not newest first")
	}
	rec := prs[0]
	if err := e.fake.AddReview("acme", "shop", rec.Number, ghfake.Review{User: "jane", SubmittedAt: now.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := e.fake.AddReview("acme", "shop", rec.Number, ghfake.Review{User: "bob", SubmittedAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := e.client.Detail(ctx, &rec); err != nil {
		t.Fatal(err)
	}
	if !rec.Detailed || !rec.FirstReview.Equal(now.Add(time.Hour)) || rec.Commits != 1 {
		t.Errorf("detail = %+v, want the earlier review and 1 commit", rec)
	}
}
