package ghfake

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

func TestListPullsFromForks(t *testing.T) {
	fake := New()
	repoWithBranch(t, fake, "dawnpatch/0123456789ab")
	own := fake.AddPull("acme", "shop", PullSeed{Title: "own", Head: "dawnpatch/0123456789ab", Base: "main"})
	fork := fake.AddPull("acme", "shop", PullSeed{Title: "fork", Head: "dawnpatch/0123456789ab", HeadOwner: "mallory", Base: "main"})
	sameOwner := fake.AddPull("acme", "shop", PullSeed{Title: "explicit owner", Head: "b", HeadOwner: "ACME", Base: "main"})
	gh, _ := serve(t, fake)
	ctx := context.Background()

	type head struct {
		Number      int
		Ref, Label  string
		Repo, Owner string
		Fork        bool
	}
	tests := []struct {
		name, filter string
		want         []head
	}{
		{"this repository's branch", "acme:dawnpatch/0123456789ab", []head{
			{own, "dawnpatch/0123456789ab", "acme:dawnpatch/0123456789ab", "acme/shop", "acme", false}}},
		{"the fork's branch of the same name", "mallory:dawnpatch/0123456789ab", []head{
			{fork, "dawnpatch/0123456789ab", "mallory:dawnpatch/0123456789ab", "mallory/shop", "mallory", true}}},
		{"owner in another case", "Acme:b", []head{{sameOwner, "b", "acme:b", "acme/shop", "acme", false}}},
		{"unknown owner", "eve:dawnpatch/0123456789ab", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prs, _, err := gh.PullRequests.List(ctx, "acme", "shop", &github.PullRequestListOptions{State: "all", Head: tt.filter})
			if err != nil {
				t.Fatal(err)
			}
			var got []head
			for _, p := range prs {
				h := p.GetHead()
				got = append(got, head{p.GetNumber(), h.GetRef(), h.GetLabel(), h.GetRepo().GetFullName(), h.GetUser().GetLogin(), h.GetRepo().GetFork()})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("heads mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if p := fake.Pulls("acme", "shop")[1]; p.HeadOwner != "mallory" || p.HeadSHA != "" {
		t.Errorf("fork snapshot = %+v, want head owner mallory and no sha from this repository's branch", p)
	}
}

func TestEditComment(t *testing.T) {
	fake := New()
	repoWithBranch(t, fake, "fix")
	t0 := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	now := t0
	fake.SetClock(func() time.Time { return now })
	pr := fake.AddPull("acme", "shop", PullSeed{Title: "pr", Head: "fix", Base: "main"})
	theirs, err := fake.AddComment("acme", "shop", pr, Comment{User: "mallory", Body: "hi"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fake.AddComment("acme", "shop", 99, Comment{Body: "x"}); err == nil {
		t.Error("a comment on a missing pull request was recorded")
	}
	gh, _ := serve(t, fake)
	ctx := context.Background()
	mine, _, err := gh.Issues.CreateComment(ctx, "acme", "shop", pr, &github.IssueComment{Body: github.String("v1")})
	if err != nil {
		t.Fatal(err)
	}
	now = t0.Add(time.Hour)
	edited, resp, err := gh.Issues.EditComment(ctx, "acme", "shop", mine.GetID(), &github.IssueComment{Body: github.String("v2")})
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("edit: %v %v", resp, err)
	}
	if edited.GetBody() != "v2" || edited.GetUser().GetLogin() != defaultUser || !edited.GetUpdatedAt().Time.Equal(now) || !edited.GetCreatedAt().Time.Equal(t0) {
		t.Errorf("edited = body %q by %s created %s updated %s", edited.GetBody(), edited.GetUser().GetLogin(), edited.GetCreatedAt(), edited.GetUpdatedAt())
	}
	// GitHub lets anyone with write access edit others' comments; the
	// author stays who wrote it.
	if _, _, err := gh.Issues.EditComment(ctx, "acme", "shop", theirs, &github.IssueComment{Body: github.String("moderated")}); err != nil {
		t.Errorf("editing another's comment with write access: %v", err)
	}
	for _, tc := range []struct {
		name   string
		id     int64
		body   *string
		status int
	}{
		{"unknown comment", 1, github.String("x"), 404},
		{"empty body", mine.GetID(), github.String(""), 422},
		{"no body", mine.GetID(), nil, 422},
	} {
		if _, _, err := gh.Issues.EditComment(ctx, "acme", "shop", tc.id, &github.IssueComment{Body: tc.body}); status(err) != tc.status {
			t.Errorf("%s: %v, want %d", tc.name, err, tc.status)
		}
	}
	got := fake.Comments("acme", "shop", pr)
	want := []Comment{
		{ID: theirs, User: "mallory", Body: "moderated", CreatedAt: t0, UpdatedAt: now},
		{ID: mine.GetID(), User: defaultUser, Body: "v2", CreatedAt: t0, UpdatedAt: now},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("comments mismatch (-want +got):\n%s", diff)
	}
	since := t0.Add(30 * time.Minute)
	listed, _, err := gh.Issues.ListComments(ctx, "acme", "shop", pr, &github.IssueListCommentsOptions{Since: &since})
	if err != nil || len(listed) != 2 {
		t.Errorf("since filters on updated_at like GitHub: got %d comments, %v; want both edited ones", len(listed), err)
	}
	wantWrites := []string{
		"POST /repos/acme/shop/issues/" + itoa(pr) + "/comments",
		"PATCH /repos/acme/shop/issues/comments/" + itoa(int(mine.GetID())),
		"PATCH /repos/acme/shop/issues/comments/" + itoa(int(theirs)),
		"PATCH /repos/acme/shop/issues/comments/1",
		"PATCH /repos/acme/shop/issues/comments/" + itoa(int(mine.GetID())),
		"PATCH /repos/acme/shop/issues/comments/" + itoa(int(mine.GetID())),
	}
	if diff := cmp.Diff(wantWrites, fake.Writes()); diff != "" {
		t.Errorf("write log mismatch (-want +got):\n%s", diff)
	}
}

func TestGetBranch(t *testing.T) {
	fake := New()
	base, head := repoWithBranch(t, fake, "dawnpatch/0123456789ab")
	gh, _ := serve(t, fake)
	ctx := context.Background()
	b, _, err := gh.Repositories.GetBranch(ctx, "acme", "shop", "dawnpatch/0123456789ab", 0)
	if err != nil {
		t.Fatal(err)
	}
	c := b.GetCommit()
	if b.GetName() != "dawnpatch/0123456789ab" || c.GetSHA() != head || c.GetCommit().GetMessage() != "fix" ||
		!c.GetCommit().GetCommitter().GetDate().Time.Equal(seedTime) || len(c.Parents) != 1 || c.Parents[0].GetSHA() != base {
		t.Errorf("branch = %s at %s (%q, %s, parents %v)", b.GetName(), c.GetSHA(), c.GetCommit().GetMessage(), c.GetCommit().GetCommitter().GetDate(), c.Parents)
	}
	_, resp, err := gh.Repositories.GetBranch(ctx, "acme", "shop", "dawnpatch/missing", 0)
	if err == nil || resp == nil || resp.StatusCode != 404 {
		t.Errorf("missing branch: %v, %v; want 404", resp, err)
	}
	if got := fake.Requests(); got[0] != "GET /repos/acme/shop/branches/dawnpatch/0123456789ab" {
		t.Errorf("request log %v", got)
	}
	if w := fake.Writes(); len(w) != 0 {
		t.Errorf("reads logged as writes: %v", w)
	}
}
