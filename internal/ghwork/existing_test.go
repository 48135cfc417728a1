package ghwork

import (
	"context"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
)

func TestFindExisting(t *testing.T) {
	const other = "fedcba9876543210fedcba9876543210"
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	lookup := Lookup{Fingerprint: fp, ShortID: "SHOP-1A", IssueURL: "https://acme.sentry.io/issues/42/"}
	tests := []struct {
		name                  string
		pulls                 []ghfake.PullSeed
		issues                []ghfake.IssueSeed
		open, rejected, human int // numbers expected; 0 = none
	}{
		{name: "nothing"},
		{
			name:  "open dawnpatch pull request",
			pulls: []ghfake.PullSeed{{Title: "fix", Body: "x\n" + Marker(fp, "42"), Head: "dawnpatch/a", Base: "main"}},
			open:  1,
		},
		{
			name: "closed unmerged is a rejection, merged is not",
			pulls: []ghfake.PullSeed{
				{Title: "fix 1", Body: Marker(fp, ""), Head: "a", Base: "main", State: "closed", CreatedAt: now.Add(-72 * time.Hour)},
				{Title: "fix 2", Body: Marker(fp, ""), Head: "b", Base: "main", Merged: true, CreatedAt: now.Add(-24 * time.Hour)},
				{Title: "fix 3", Body: Marker(fp, ""), Head: "c", Base: "main", State: "closed", CreatedAt: now.Add(-48 * time.Hour)},
			},
			rejected: 3,
		},
		{
			name:   "a human issue naming the short id",
			issues: []ghfake.IssueSeed{{Title: "Checkout crashes (SHOP-1A)", Body: "seen in prod", User: "jane"}},
			human:  1,
		},
		{
			name:   "a human issue linking the Sentry issue, and a closed one ignored",
			issues: []ghfake.IssueSeed{{Title: "old", Body: "SHOP-1A", State: "closed"}, {Title: "crash", Body: "see https://acme.sentry.io/issues/42/"}},
			human:  2,
		},
		{
			name:   "another error class's pull request is nobody's ticket",
			pulls:  []ghfake.PullSeed{{Title: "fix", Body: "SHOP-1A " + Marker(other, ""), Head: "x", Base: "main"}},
			issues: []ghfake.IssueSeed{{Title: "unrelated", Body: "SHOP-1B"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			for _, p := range tt.pulls {
				e.fake.AddPull("acme", "shop", p)
			}
			for _, is := range tt.issues {
				e.fake.AddIssue("acme", "shop", is)
			}
			ex, err := e.client.FindExisting(context.Background(), lookup)
			if err != nil {
				t.Fatal(err)
			}
			got := [3]int{}
			if ex.Open != nil {
				got[0] = ex.Open.Number
			}
			if ex.Rejected != nil {
				got[1] = ex.Rejected.Number
			}
			if ex.Human != nil {
				got[2] = ex.Human.Number
			}
			if want := [3]int{tt.open, tt.rejected, tt.human}; got != want {
				t.Errorf("[open rejected human] = %v, want %v", got, want)
			}
			if e.client.Calls() != 1 {
				t.Errorf("%d calls, want 1", e.client.Calls())
			}
		})
	}
}

func TestCountOpenedSince(t *testing.T) {
	e := newEnv(t)
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	for i, age := range []time.Duration{time.Hour, 5 * time.Hour, 30 * time.Hour} {
		e.fake.AddPull("acme", "shop", ghfake.PullSeed{Title: "fix", Body: Marker(fp[:len(fp)-1]+string(rune('a'+i)), ""), Head: "h", Base: "main", CreatedAt: now.Add(-age)})
	}
	e.fake.AddPull("acme", "shop", ghfake.PullSeed{Title: "human", Body: "no marker", Head: "h2", Base: "main", CreatedAt: now})
	n, err := e.client.CountOpenedSince(context.Background(), now.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("count = %d, want 2", n)
	}
}

func TestNoteRecurrenceAtMostOncePerGap(t *testing.T) {
	e := newEnv(t)
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	e.fake.SetClock(func() time.Time { return now })
	n := e.fake.AddPull("acme", "shop", ghfake.PullSeed{Title: "fix", Body: Marker(fp, ""), Head: "h", Base: "main"})
	ctx := context.Background()
	steps := []struct {
		at   time.Duration
		want bool
	}{{0, true}, {time.Hour, false}, {25 * time.Hour, true}}
	for _, s := range steps {
		at := now.Add(s.at)
		e.fake.SetClock(func() time.Time { return at })
		got, err := e.client.NoteRecurrence(ctx, n, fp, "Fired again: 12 events.", at, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if got != s.want {
			t.Errorf("at +%s commented = %v, want %v", s.at, got, s.want)
		}
	}
	if got := len(e.fake.Comments("acme", "shop", n)); got != 2 {
		t.Errorf("%d comments, want 2", got)
	}
}

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

func TestFindExistingCountsRejectionsInTheArea(t *testing.T) {
	e := newEnv(t)
	area := "example.com/shop/internal/orders"
	for i, p := range []ghfake.PullSeed{
		{Title: "a", Body: Marker("aaaa", "") + "\n" + AreaMarker(area), State: "closed"},
		{Title: "b", Body: Marker("bbbb", "") + "\n" + AreaMarker(area), Merged: true},
		{Title: "c", Body: Marker("cccc", "") + "\n" + AreaMarker(area+"/sub"), State: "closed"},
		{Title: "d", Body: Marker("dddd", "") + "\n" + AreaMarker(area), State: "closed"},
	} {
		p.Head, p.Base = "h"+string(rune('a'+i)), "main"
		e.fake.AddPull("acme", "shop", p)
	}
	ex, err := e.client.FindExisting(context.Background(), Lookup{Fingerprint: fp, Area: area})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, r := range ex.AreaRejections {
		got = append(got, r.Number)
	}
	if len(got) != 2 || ex.Rejected != nil || ex.Open != nil {
		t.Errorf("area rejections = %v (rejected %v), want #1 and #4 only", got, ex.Rejected)
	}
}
