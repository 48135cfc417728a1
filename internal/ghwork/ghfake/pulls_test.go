package ghfake

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

// repoWithBranch seeds acme/shop with main and a branch one commit ahead.
func repoWithBranch(t *testing.T, fake *Server, branch string) (base, head string) {
	t.Helper()
	base = fake.AddRepo("acme", "shop", "main", map[string]string{"a": "1"})
	head, err := fake.AddCommit("acme", "shop", base, "fix", map[string]string{"a": "2"})
	if err != nil {
		t.Fatal(err)
	}
	if err := fake.AddBranch("acme", "shop", branch, head); err != nil {
		t.Fatal(err)
	}
	return base, head
}

func TestCreatePull(t *testing.T) {
	fake := New()
	base, head := repoWithBranch(t, fake, "fix")
	if err := fake.AddBranch("acme", "shop", "same", base); err != nil {
		t.Fatal(err)
	}
	issue := fake.AddIssue("acme", "shop", IssueSeed{Title: "first"})
	gh, _ := serve(t, fake)
	ctx := context.Background()
	newPR := func(head, base string) *github.NewPullRequest {
		return &github.NewPullRequest{Title: github.String("Fix"), Head: github.String(head), Base: github.String(base), Body: github.String("body"), Draft: github.Bool(true)}
	}

	pr, resp, err := gh.PullRequests.Create(ctx, "acme", "shop", newPR("acme:fix", "main"))
	if err != nil || resp.StatusCode != 201 {
		t.Fatalf("create: %v %v", resp, err)
	}
	if pr.GetNumber() != issue+1 || !pr.GetDraft() || pr.GetHead().GetSHA() != head || pr.GetBase().GetRef() != "main" || pr.GetState() != "open" {
		t.Errorf("created PR = #%d draft=%v head=%s base=%s state=%s; want #%d draft head %s base main open",
			pr.GetNumber(), pr.GetDraft(), pr.GetHead().GetSHA(), pr.GetBase().GetRef(), pr.GetState(), issue+1, head)
	}
	tests := []struct {
		name, head, base, wantMsg string
	}{
		{"duplicate open PR", "fix", "main", "A pull request already exists for acme:fix."},
		{"head equals base", "main", "main", "No commits between main and main"},
		{"head has no new commits", "same", "main", "No commits between main and same"},
		{"missing head", "nope", "main", ""},
		{"missing base", "fix", "nope", ""},
		{"head in a fork", "someone:fix", "main", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := gh.PullRequests.Create(ctx, "acme", "shop", newPR(tt.head, tt.base))
			if status(err) != 422 {
				t.Fatalf("status %d (%v), want 422", status(err), err)
			}
			if tt.wantMsg != "" && !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not say %q", err, tt.wantMsg)
			}
		})
	}

	fake.DenyPullRequests("")
	_, _, err = gh.PullRequests.Create(ctx, "acme", "shop", newPR("fix", "main"))
	if status(err) != 403 || !strings.Contains(message(err), "not permitted to create or approve pull requests") {
		t.Errorf("denied create: %v, want 403 not permitted", err)
	}
}

func TestPullLifecycle(t *testing.T) {
	fake := New()
	repoWithBranch(t, fake, "fix")
	gh, _ := serve(t, fake)
	ctx := context.Background()
	pr, _, err := gh.PullRequests.Create(ctx, "acme", "shop", &github.NewPullRequest{Title: github.String("Fix"), Head: github.String("fix"), Base: github.String("main")})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := gh.PullRequests.Edit(ctx, "acme", "shop", pr.GetNumber(), &github.PullRequest{State: github.String("closed"), Title: github.String("Closed fix")}); err != nil {
		t.Fatal(err)
	}
	got, _, err := gh.PullRequests.Get(ctx, "acme", "shop", pr.GetNumber())
	if err != nil || got.GetState() != "closed" || got.GetTitle() != "Closed fix" || got.ClosedAt == nil {
		t.Errorf("after close: %v %v", got, err)
	}
	if _, _, err := gh.PullRequests.Get(ctx, "acme", "shop", 99); status(err) != 404 {
		t.Errorf("get unknown PR: %v, want 404", err)
	}
	if _, _, err := gh.PullRequests.Create(ctx, "acme", "shop", &github.NewPullRequest{Title: github.String("Again"), Head: github.String("fix"), Base: github.String("main")}); err != nil {
		t.Errorf("a new PR for a head whose PR is closed: %v", err)
	}
	snap := fake.Pulls("acme", "shop")
	if len(snap) != 2 || snap[0].State != "closed" || snap[1].State != "open" {
		t.Errorf("Pulls snapshot = %+v", snap)
	}
}

func TestListPullsPagination(t *testing.T) {
	fake := New()
	fake.AddRepo("acme", "shop", "main", nil)
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 7 {
		fake.AddPull("acme", "shop", PullSeed{Title: "p", Head: "b" + itoa(i), Base: "main", CreatedAt: start.Add(time.Duration(i) * time.Hour)})
	}
	fake.AddPull("acme", "shop", PullSeed{Title: "closed", Head: "c", Base: "main", State: "closed", Merged: true, CreatedAt: start})
	gh, _ := serve(t, fake)
	ctx := context.Background()

	opts := &github.PullRequestListOptions{State: "open", ListOptions: github.ListOptions{PerPage: 3}}
	var got []int
	var pages int
	for {
		prs, resp, err := gh.PullRequests.List(ctx, "acme", "shop", opts)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if pages == 1 && resp.LastPage != 3 {
			t.Errorf("first page LastPage = %d, want 3", resp.LastPage)
		}
		if pages == 1 && !strings.Contains(resp.Header.Get("Link"), "/api-v3/repos/acme/shop/pulls?") {
			t.Errorf("Link header %q lacks the mount prefix", resp.Header.Get("Link"))
		}
		for _, p := range prs {
			got = append(got, p.GetNumber())
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if diff := cmp.Diff([]int{7, 6, 5, 4, 3, 2, 1}, got); diff != "" {
		t.Errorf("open PRs newest first mismatch (-want +got):\n%s", diff)
	}
	if pages != 3 {
		t.Errorf("pages = %d, want 3", pages)
	}

	tests := []struct {
		name string
		opts github.PullRequestListOptions
		want []int
	}{
		{"closed", github.PullRequestListOptions{State: "closed"}, []int{8}},
		{"all ascending", github.PullRequestListOptions{State: "all", Direction: "asc", ListOptions: github.ListOptions{PerPage: 2}}, []int{1, 8}},
		{"head filter", github.PullRequestListOptions{State: "all", Head: "acme:b3"}, []int{4}},
		{"head in another owner", github.PullRequestListOptions{State: "all", Head: "other:b3"}, nil},
		{"page past the end", github.PullRequestListOptions{ListOptions: github.ListOptions{Page: 9}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prs, _, err := gh.PullRequests.List(ctx, "acme", "shop", &tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, p := range prs {
				got = append(got, p.GetNumber())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("numbers mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
