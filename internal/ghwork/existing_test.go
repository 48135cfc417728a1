package ghwork

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/google/go-cmp/cmp"
)

func TestFindExisting(t *testing.T) {
	const other = "fedcba9876543210fedcba9876543210"
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	lookup := Lookup{Fingerprint: fp, ShortID: "SHOP-1A", IssueURL: "https://acme.sentry.io/issues/42/"}
	marked := "My fix.\n\n" + MarkerBlock(fp, "42", "cart", 0.99)
	tests := []struct {
		name                  string
		pulls                 []ghfake.PullSeed
		issues                []ghfake.IssueSeed
		open, rejected, human int // numbers expected; 0 = none
	}{
		{name: "nothing"},
		{name: "dawnpatch's open pull request is not a human's ticket", pulls: []ghfake.PullSeed{ownPull(fp, "", ghfake.PullSeed{})}, open: 1},
		{
			name: "closed unmerged is a rejection, merged is not",
			pulls: []ghfake.PullSeed{
				ownPull(fp, "", ghfake.PullSeed{State: "closed", CreatedAt: now.Add(-72 * time.Hour)}),
				ownPull(fp, "", ghfake.PullSeed{Merged: true, CreatedAt: now.Add(-24 * time.Hour)}),
				ownPull(fp, "", ghfake.PullSeed{State: "closed", CreatedAt: now.Add(-48 * time.Hour)}),
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
			pulls:  []ghfake.PullSeed{{Title: "fix", Body: "SHOP-1A\n" + Marker(other, ""), Head: BranchName(other), Base: "main"}},
			issues: []ghfake.IssueSeed{{Title: "unrelated", Body: "SHOP-1B"}},
		},
		{
			name:  "an outsider's open pull request from a fork with the marker at the end: at most a human's ticket",
			pulls: []ghfake.PullSeed{{Title: "fix", Body: marked, Head: BranchName(fp), HeadOwner: "mallory", Base: "main", User: "mallory"}},
			human: 1,
		},
		{
			name:  "an outsider's open pull request from another branch: at most a human's ticket",
			pulls: []ghfake.PullSeed{{Title: "fix", Body: marked, Head: "patch-1", Base: "main", User: "mallory"}},
			human: 1,
		},
		{
			name: "outsiders' closed pull requests are no rejection",
			pulls: []ghfake.PullSeed{
				{Title: "fix", Body: marked, Head: BranchName(fp), HeadOwner: "mallory", Base: "main", State: "closed"},
				{Title: "fix", Body: marked, Head: "patch-1", Base: "main", State: "closed"},
			},
		},
		{
			name: "dawnpatch's open pull request and a human's",
			pulls: []ghfake.PullSeed{
				ownPull(fp, "", ghfake.PullSeed{CreatedAt: now.Add(-time.Hour)}),
				{Title: "fix", Body: marked, Head: "patch-1", Base: "main", CreatedAt: now},
			},
			open: 1, human: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.SetClock(func() time.Time { return now })
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
			if diff := cmp.Diff([]string{"GET /repos/acme/shop/pulls", "GET /search/issues"}, e.fake.Requests()); diff != "" {
				t.Errorf("requests mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFindTicketsAreaRejections seeds closed pull requests that carry the
// area's marker, newest closed first, and checks which FindTickets counts
// as dawnpatch's rejections and what it reads to know.
func TestFindTicketsAreaRejections(t *testing.T) {
	const area = "example.com/shop/internal/orders"
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	fpN := func(c byte) string { return string([]byte{c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c}) }
	closed := func(hoursAgo int) ghfake.PullSeed {
		at := now.Add(-time.Duration(hoursAgo) * time.Hour)
		return ghfake.PullSeed{State: "closed", CreatedAt: at.Add(-time.Hour), ClosedAt: at}
	}
	forged := func(p ghfake.PullSeed, head, owner string) ghfake.PullSeed {
		p.Title, p.Head, p.HeadOwner, p.Base, p.User = "forged", head, owner, "main", "mallory"
		p.Body = "x\n" + MarkerBlock(fpN('f'), "", area, 0.9)
		return p
	}
	seeds := []ghfake.PullSeed{
		ownPull(fpN('a'), area, closed(10)),                    // #1 counts
		forged(closed(1), BranchName(fpN('f')), "mallory"),     // #2 a fork
		ownPull(fpN('b'), area, ghfake.PullSeed{Merged: true}), // #3 merged: not a candidate
		forged(closed(2), "patch-1", ""),                       // #4 another branch of this repository
		ownPull(fpN('c'), area+"/sub", closed(3)),              // #5 another area: not a candidate
		ownPull(fpN('d'), area, closed(20)),                    // #6 counts
		ownPull(fpN('e'), area, closed(24*40)),                 // #7 counts, but old
	}
	midBody := ownPull(fpN('g'), area, closed(4))
	midBody.Body += "\nthanks" // #8 marker not at the end: not a candidate
	seeds = append(seeds, midBody)
	tests := []struct {
		name  string
		since time.Time
		max   int
		want  []int
		reads []int // pull requests read to verify
	}{
		{"all, newest first", time.Time{}, 5, []int{1, 6, 7}, []int{2, 4, 1, 6, 7}},
		{"closed in the window", now.Add(-30 * 24 * time.Hour), 5, []int{1, 6}, []int{2, 4, 1, 6}},
		{"stop once there are enough", time.Time{}, 2, []int{1, 6}, []int{2, 4, 1, 6}},
		{"at most twice as many reads as wanted: forgeries can hide rejections, not cost more", time.Time{}, 1, nil, []int{2, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.SetClock(func() time.Time { return now })
			for _, p := range seeds {
				e.fake.AddPull("acme", "shop", p)
			}
			tk, err := e.client.FindTickets(context.Background(), Lookup{Fingerprint: fp, Area: area, AreaSince: tt.since, AreaMax: tt.max})
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, r := range tk.AreaRejections {
				got = append(got, r.Number)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("area rejections mismatch (-want +got):\n%s", diff)
			}
			want := []string{"GET /search/issues"}
			for _, n := range tt.reads {
				want = append(want, "GET /repos/acme/shop/pulls/"+strconv.Itoa(n))
			}
			if diff := cmp.Diff(want, e.fake.Requests()); diff != "" {
				t.Errorf("requests mismatch (-want +got):\n%s", diff)
			}
			if tk.Human != nil {
				t.Errorf("human ticket %+v from closed pull requests", tk.Human)
			}
		})
	}
}

func TestFindTicketsWithoutAreaIsOneSearch(t *testing.T) {
	e := newEnv(t)
	e.fake.AddPull("acme", "shop", ownPull(fp, "cart", ghfake.PullSeed{State: "closed"}))
	tk, err := e.client.FindTickets(context.Background(), Lookup{Fingerprint: fp})
	if err != nil || tk.Human != nil || tk.AreaRejections != nil {
		t.Errorf("FindTickets = %+v, %v", tk, err)
	}
	if e.client.Calls() != 1 {
		t.Errorf("%d calls, want the one search", e.client.Calls())
	}
	if _, err := e.client.FindTickets(context.Background(), Lookup{Fingerprint: `a" OR "b`}); err == nil || e.client.Calls() != 1 {
		t.Errorf("a bad fingerprint = %v after %d calls, want an error before any call", err, e.client.Calls())
	}
}
