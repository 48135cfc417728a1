package ghwork

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/ghwork/ghfake"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

// TestFindOwn covers security issue 17: only dawnpatch's claim branch in
// this repository, with the marker block at the end of the body, makes a
// pull request dawnpatch's.
func TestFindOwn(t *testing.T) {
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	valid := "Fixes it.\n\n" + MarkerBlock(fp, "42", "cart", 0.9)
	outsider := func(p ghfake.PullSeed) ghfake.PullSeed {
		p.Title, p.Base, p.User = "my fix", "main", "mallory"
		if p.Body == "" {
			p.Body = valid
		}
		return p
	}
	tests := []struct {
		name           string
		pulls          []ghfake.PullSeed
		open, rejected int // numbers expected; 0 = none
	}{
		{name: "nothing"},
		{name: "dawnpatch's open pull request", pulls: []ghfake.PullSeed{ownPull(fp, "cart", ghfake.PullSeed{})}, open: 1},
		{
			name: "the most recently closed unmerged is the rejection; merged ones are not",
			pulls: []ghfake.PullSeed{
				ownPull(fp, "", ghfake.PullSeed{State: "closed", CreatedAt: now.Add(-96 * time.Hour), ClosedAt: now.Add(-72 * time.Hour)}),
				ownPull(fp, "", ghfake.PullSeed{Merged: true, CreatedAt: now.Add(-30 * time.Hour), ClosedAt: now.Add(-24 * time.Hour)}),
				ownPull(fp, "", ghfake.PullSeed{State: "closed", CreatedAt: now.Add(-90 * time.Hour), ClosedAt: now.Add(-48 * time.Hour)}),
			},
			rejected: 3,
		},
		{
			name: "open and rejected together",
			pulls: []ghfake.PullSeed{
				ownPull(fp, "", ghfake.PullSeed{State: "closed", CreatedAt: now.Add(-96 * time.Hour)}),
				ownPull(fp, "", ghfake.PullSeed{CreatedAt: now.Add(-time.Hour)}),
			},
			open: 2, rejected: 1,
		},
		{name: "an outsider's open pull request from a fork's branch of the same name", pulls: []ghfake.PullSeed{outsider(ghfake.PullSeed{Head: BranchName(fp), HeadOwner: "mallory"})}},
		{name: "an outsider's closed pull request from a fork", pulls: []ghfake.PullSeed{outsider(ghfake.PullSeed{Head: BranchName(fp), HeadOwner: "mallory", State: "closed"})}},
		{name: "an open pull request from another branch of this repository", pulls: []ghfake.PullSeed{outsider(ghfake.PullSeed{Head: "fix/checkout"})}},
		{name: "a closed pull request from another branch of this repository", pulls: []ghfake.PullSeed{outsider(ghfake.PullSeed{Head: "dawnpatch/" + fp[:11], State: "closed"})}},
		{name: "claim branch, marker followed by text", pulls: []ghfake.PullSeed{outsider(ghfake.PullSeed{Head: BranchName(fp), Body: valid + "\nthanks"})}},
		{name: "claim branch, marker mid-body", pulls: []ghfake.PullSeed{outsider(ghfake.PullSeed{Head: BranchName(fp), Body: Marker(fp, "") + "\nmy notes"})}},
		{name: "claim branch, marker inside a code fence", pulls: []ghfake.PullSeed{outsider(ghfake.PullSeed{Head: BranchName(fp), Body: "```\n" + valid + "\n```"})}},
		{name: "claim branch, marker in an unclosed fence", pulls: []ghfake.PullSeed{outsider(ghfake.PullSeed{Head: BranchName(fp), Body: "```\n" + valid})}},
		{name: "claim branch shared by a longer fingerprint", pulls: []ghfake.PullSeed{outsider(ghfake.PullSeed{Head: BranchName(fp), Body: "x\n" + Marker(fp+"99", "")})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.SetClock(func() time.Time { return now })
			for _, p := range tt.pulls {
				e.fake.AddPull("acme", "shop", p)
			}
			own, err := e.client.FindOwn(context.Background(), fp)
			if err != nil {
				t.Fatal(err)
			}
			got := [2]int{}
			if own.Open != nil {
				got[0] = own.Open.Number
			}
			if own.Rejected != nil {
				got[1] = own.Rejected.Number
			}
			if want := [2]int{tt.open, tt.rejected}; got != want {
				t.Errorf("[open rejected] = %v, want %v", got, want)
			}
			if diff := cmp.Diff([]string{"GET /repos/acme/shop/pulls"}, e.fake.Requests()); diff != "" {
				t.Errorf("requests mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFindOwnReadsThePullRequest(t *testing.T) {
	e := newEnv(t)
	created := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	n := e.fake.AddPull("acme", "shop", ownPull(fp, "cart", ghfake.PullSeed{User: ActionsBot, CreatedAt: created}))
	own, err := e.client.FindOwn(context.Background(), fp)
	if err != nil || own.Open == nil {
		t.Fatalf("FindOwn = %+v, %v", own, err)
	}
	want := PR{Number: n, URL: e.srv.URL + "/acme/shop/pull/1", Head: BranchName(fp), Body: e.fake.Pulls("acme", "shop")[0].Body,
		State: "open", Author: ActionsBot, CreatedAt: created}
	if diff := cmp.Diff(want, *own.Open); diff != "" {
		t.Errorf("open PR mismatch (-want +got):\n%s", diff)
	}
}

// TestOursChecksTheHeadRepository covers what GitHub's head filter already
// leaves out: a fork's head, and a deleted fork's (head.repo null).
func TestOursChecksTheHeadRepository(t *testing.T) {
	e := newEnv(t)
	body := "x\n" + Marker(fp, "")
	pr := func(repo *github.Repository) *github.PullRequest {
		return &github.PullRequest{Body: &body, Head: &github.PullRequestBranch{Ref: github.String(BranchName(fp)), Repo: repo}}
	}
	tests := []struct {
		name string
		repo *github.Repository
		want bool
	}{
		{"this repository", &github.Repository{FullName: github.String("acme/shop")}, true},
		{"this repository, another case", &github.Repository{FullName: github.String("ACME/Shop")}, true},
		{"a fork", &github.Repository{FullName: github.String("mallory/shop")}, false},
		{"a deleted fork", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, got := e.client.ours(pr(tt.repo)); got != tt.want {
				t.Errorf("ours = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCountOpenedSince(t *testing.T) {
	e := newEnv(t)
	now := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	fpN := func(i int) string { return strings.Repeat(string(rune('a'+i)), 32) }
	for i, age := range []time.Duration{time.Hour, 5 * time.Hour, 30 * time.Hour} {
		e.fake.AddPull("acme", "shop", ownPull(fpN(i), "", ghfake.PullSeed{CreatedAt: now.Add(-age), State: "closed"}))
	}
	forged := "x\n" + Marker(fpN(5), "")
	for _, p := range []ghfake.PullSeed{
		{Title: "human", Body: "no marker", Head: "h2"},
		{Title: "fork", Body: forged, Head: BranchName(fpN(5)), HeadOwner: "mallory"},
		{Title: "other branch", Body: forged, Head: "fix/" + fpN(5)},
		{Title: "branch of another fingerprint", Body: forged, Head: BranchName(fpN(6))},
		{Title: "marker mid-body", Body: forged + "\ntext", Head: BranchName(fpN(5))},
	} {
		p.Base, p.CreatedAt = "main", now
		e.fake.AddPull("acme", "shop", p)
	}
	n, err := e.client.CountOpenedSince(context.Background(), now.Add(-24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("count = %d, want 2: dawnpatch's own within the day, closed or not, nothing forged", n)
	}
	if got := e.client.Calls(); got != 1 {
		t.Errorf("%d calls, want 1", got)
	}
}
