package ghfake

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

func TestParseSearch(t *testing.T) {
	yes := true
	since := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		q       string
		want    searchQuery
		wantErr string
	}{
		{
			name: "dawnpatch dedup query",
			q:    `repo:acme/Shop is:pr is:open in:body "dawnpatch:fp=abc123"`,
			want: searchQuery{repos: []string{"acme/shop"}, kind: "pr", state: "open", in: []string{"body"}, terms: [][]string{{"dawnpatch:fp=abc123"}}},
		},
		{
			name: "phrase with spaces, bare words and quoted label",
			q:    `nil Pointer "in handler" label:"needs triage" label:bug`,
			want: searchQuery{labels: []string{"needs triage", "bug"}, terms: [][]string{{"nil"}, {"pointer"}, {"in handler"}}},
		},
		{
			name: "type, state, head, base, author, merged",
			q:    "type:pr state:closed head:dawnpatch/abc base:main author:octocat is:merged",
			want: searchQuery{kind: "pr", state: "closed", head: "dawnpatch/abc", base: "main", author: "octocat", merged: &yes},
		},
		{
			name: "in with two fields and an issue",
			q:    "in:title,comments is:issue boom",
			want: searchQuery{kind: "issue", in: []string{"title", "comments"}, terms: [][]string{{"boom"}}},
		},
		{
			name: "unquoted colon word is text",
			q:    "dawnpatch:fp=abc",
			want: searchQuery{terms: [][]string{{"dawnpatch:fp=abc"}}},
		},
		{
			name: "OR joins alternatives into one group",
			q:    `repo:a/b "dawnpatch:fp=abc" OR "SHOP-1A" OR https://sentry.io/x boom`,
			want: searchQuery{repos: []string{"a/b"}, terms: [][]string{{"dawnpatch:fp=abc", "shop-1a", "https://sentry.io/x"}, {"boom"}}},
		},
		{
			name: "created since",
			q:    "is:pr created:>=2026-11-23T08:00:00Z",
			want: searchQuery{kind: "pr", created: &since},
		},
		{name: "created before refused", q: "created:<2026-01-01", wantErr: "created:>="},
		{name: "unsupported qualifier refused", q: "repo:a/b sort:created-desc", wantErr: "sort:"},
		{name: "negated qualifier refused", q: "-label:bug", wantErr: "-label:"},
		{name: "unknown is value refused", q: "is:locked", wantErr: "is:locked"},
		{name: "unknown in field refused", q: "in:readme", wantErr: "in:readme"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSearch(tt.q)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseSearch(%q) error = %v, want one naming %q", tt.q, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(searchQuery{})); diff != "" {
				t.Errorf("parseSearch(%q) mismatch (-want +got):\n%s", tt.q, diff)
			}
		})
	}
}

func TestSearchIssues(t *testing.T) {
	fake := New()
	fake.AddRepo("acme", "shop", "main", nil)
	fake.AddRepo("acme", "other", "main", nil)
	marker := "<!-- dawnpatch:fp=abc123 -->"
	open := fake.AddPull("acme", "shop", PullSeed{Title: "Fix nil map", Body: "Fixes it.\n" + marker, Head: "dawnpatch/abc123", Base: "main", Labels: []string{"dawnpatch"}})
	closed := fake.AddPull("acme", "shop", PullSeed{Title: "Old try", Body: marker, Head: "x", Base: "main", State: "closed"})
	titleOnly := fake.AddPull("acme", "shop", PullSeed{Title: "dawnpatch:fp=abc123", Body: "nothing", Head: "y", Base: "main"})
	issue := fake.AddIssue("acme", "shop", IssueSeed{Title: "Checkout panics with NIL map", Body: marker, Labels: []string{"bug"}})
	elsewhere := fake.AddPull("acme", "other", PullSeed{Title: "t", Body: marker, Head: "z", Base: "main"})
	gh, _ := serve(t, fake)

	key := func(repo string, n int) string { return fmt.Sprintf("%s#%d", repo, n) }
	tests := []struct {
		name string
		q    string
		want []string // "repo#number", sorted
	}{
		{"open PR with marker in body", `repo:acme/shop is:pr is:open in:body "dawnpatch:fp=abc123"`, []string{key("shop", open)}},
		{"closed PRs only", `repo:acme/shop is:pr is:closed "dawnpatch:fp=abc123"`, []string{key("shop", closed)}},
		{"title only", `repo:acme/shop in:title "dawnpatch:fp=abc123"`, []string{key("shop", titleOnly)}},
		{"issues only, case-insensitive words", "repo:acme/shop is:issue nil MAP", []string{key("shop", issue)}},
		{"every word must match", "repo:acme/shop is:issue nil absent", nil},
		{"label filter", "repo:acme/shop label:DAWNPATCH", []string{key("shop", open)}},
		{"head filter", "repo:acme/shop head:dawnpatch/abc123", []string{key("shop", open)}},
		{"all repos", `is:open in:body "dawnpatch:fp=abc123"`, []string{key("other", elsewhere), key("shop", open), key("shop", issue)}},
		{"other repo", `repo:acme/other "dawnpatch:fp=abc123"`, []string{key("other", elsewhere)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _, err := gh.Search.Issues(context.Background(), tt.q, nil)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, it := range res.Issues {
				got = append(got, key(path.Base(it.GetRepositoryURL()), it.GetNumber()))
				if wantPR := it.GetNumber() != issue; it.IsPullRequest() != wantPR {
					t.Errorf("#%d IsPullRequest = %v, want %v", it.GetNumber(), it.IsPullRequest(), wantPR)
				}
			}
			sort.Strings(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("numbers mismatch (-want +got):\n%s", diff)
			}
			if res.GetTotal() != len(tt.want) {
				t.Errorf("total_count = %d, want %d", res.GetTotal(), len(tt.want))
			}
		})
	}
}

func TestSearchErrors(t *testing.T) {
	gh, _ := serve(t, New())
	for _, q := range []string{"", "repo:a/b sort:updated"} {
		_, _, err := gh.Search.Issues(context.Background(), q, &github.SearchOptions{})
		if got := status(err); got != 422 {
			t.Errorf("search %q: status %d (%v), want 422", q, got, err)
		}
	}
}
