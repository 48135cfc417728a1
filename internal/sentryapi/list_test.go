package sentryapi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
	"github.com/google/go-cmp/cmp"
)

// seedMany adds n unresolved issues with distinct counts, issue i having
// count 10*i+3, so sorting by freq reverses the insertion order.
func (e *env) seedMany(t *testing.T, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range n {
		ids[i] = e.addIssue(t, sentryfake.IssueSeed{
			Title: fmt.Sprintf("KeyError: 'k%d'", i), Count: 10*i + 3, UserCount: i % 7,
			LastSeen: e.clock.Add(-time.Duration(i) * time.Minute),
		})
	}
	return ids
}

func TestListIssuesPaginates(t *testing.T) {
	e := newEnv(t)
	ids := e.seedMany(t, 250)
	var got []string
	var pages []int
	q := ListQuery{Limit: 100}
	for {
		page, next, err := e.client.ListIssues(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, len(page))
		for _, is := range page {
			got = append(got, is.ID)
		}
		if next == "" {
			break
		}
		if len(pages) > 10 {
			t.Fatalf("no end of pages after %d pages; next cursor %q", len(pages), next)
		}
		q.Cursor = next
	}
	want := make([]string, 0, len(ids))
	for i := len(ids) - 1; i >= 0; i-- { // most frequent first
		want = append(want, ids[i])
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("issue ids across pages (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{100, 100, 50}, pages); diff != "" {
		t.Errorf("page sizes (-want +got):\n%s", diff)
	}
	if got, want := e.client.Calls(), 3; got != want {
		t.Errorf("client calls = %d, want %d", got, want)
	}
	if got, want := e.fake.Calls(), 3; got != want {
		t.Errorf("fake calls = %d, want %d", got, want)
	}
	cursors := []string{}
	for _, r := range e.fake.Requests() {
		cursors = append(cursors, r.Query.Get("cursor"))
	}
	if diff := cmp.Diff([]string{"", "0:100:0", "0:200:0"}, cursors); diff != "" {
		t.Errorf("cursors sent (-want +got):\n%s", diff)
	}
}

func TestListAllIssues(t *testing.T) {
	tests := []struct {
		name      string
		limit     int
		wantN     int
		wantCalls int
	}{
		{name: "all", limit: 0, wantN: 250, wantCalls: 3},
		{name: "capped inside a page", limit: 120, wantN: 120, wantCalls: 2},
		{name: "capped at a page end", limit: 100, wantN: 100, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.seedMany(t, 250)
			got, err := e.client.ListAllIssues(context.Background(), ListQuery{}, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.wantN {
				t.Errorf("got %d issues, want %d", len(got), tt.wantN)
			}
			for i := 1; i < len(got); i++ {
				if got[i-1].Count < got[i].Count {
					t.Fatalf("issues %d and %d out of freq order: %d < %d", i-1, i, got[i-1].Count, got[i].Count)
				}
			}
			if c := e.fake.Calls(); c != tt.wantCalls {
				t.Errorf("fake calls = %d, want %d", c, tt.wantCalls)
			}
		})
	}
}

func TestListIssuesSendsParams(t *testing.T) {
	tests := []struct {
		name string
		q    ListQuery
		want url.Values
	}{
		{
			name: "zero query: unresolved, by frequency, last 24h",
			q:    ListQuery{},
			want: url.Values{"query": {"is:unresolved"}, "sort": {"freq"}, "statsPeriod": {"24h"}, "limit": {"100"}},
		},
		{
			name: "numeric project ids",
			q:    ListQuery{Projects: []string{"2", "5"}, Limit: 25},
			want: url.Values{"project": {"2", "5"}, "query": {"is:unresolved"}, "sort": {"freq"}, "statsPeriod": {"24h"}, "limit": {"25"}},
		},
		{
			name: "project slugs",
			q:    ListQuery{Projects: []string{"shop", "api"}, Query: "is:unresolved level:error", Sort: "date", StatsPeriod: "14d"},
			want: url.Values{"projectSlug": {"shop", "api"}, "query": {"is:unresolved level:error"}, "sort": {"date"}, "statsPeriod": {"14d"}, "limit": {"100"}},
		},
		{
			name: "all projects and a cursor",
			q:    ListQuery{Projects: []string{"-1"}, Sort: "user", Cursor: "0:100:0"},
			want: url.Values{"project": {"-1"}, "query": {"is:unresolved"}, "sort": {"user"}, "statsPeriod": {"24h"}, "limit": {"100"}, "cursor": {"0:100:0"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			if _, _, err := e.client.ListIssues(context.Background(), tt.q); err != nil {
				t.Fatal(err)
			}
			reqs := e.fake.Requests()
			if len(reqs) != 1 {
				t.Fatalf("fake saw %d requests, want 1", len(reqs))
			}
			if got, want := reqs[0].Path, "/api/0/organizations/acme/issues/"; got != want {
				t.Errorf("path = %q, want %q", got, want)
			}
			if diff := cmp.Diff(tt.want, reqs[0].Query); diff != "" {
				t.Errorf("query parameters (-want +got):\n%s", diff)
			}
		})
	}
}

// TestListIssuesFilters checks that the parameters select what Sentry
// would: only the named projects, only unresolved issues, only level:error.
func TestListIssuesFilters(t *testing.T) {
	e := newEnv(t)
	shop := e.addIssue(t, sentryfake.IssueSeed{ProjectID: "2", ProjectSlug: "shop", Count: 5})
	e.addIssue(t, sentryfake.IssueSeed{ProjectID: "3", ProjectSlug: "api", Count: 9})
	e.addIssue(t, sentryfake.IssueSeed{ProjectID: "2", ProjectSlug: "shop", Status: "resolved", Count: 7})
	warn := e.addIssue(t, sentryfake.IssueSeed{ProjectID: "2", ProjectSlug: "shop", Level: "warning", Count: 1})
	tests := []struct {
		name string
		q    ListQuery
		want []string
	}{
		{name: "by id", q: ListQuery{Projects: []string{"2"}}, want: []string{shop, warn}},
		{name: "by slug", q: ListQuery{Projects: []string{"shop"}}, want: []string{shop, warn}},
		{name: "level", q: ListQuery{Projects: []string{"shop"}, Query: "is:unresolved level:error"}, want: []string{shop}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _, err := e.client.ListIssues(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, is := range got {
				ids = append(ids, is.ID)
			}
			if diff := cmp.Diff(tt.want, ids); diff != "" {
				t.Errorf("issue ids (-want +got):\n%s", diff)
			}
		})
	}
}

func TestListQueryRefusedBeforeRequest(t *testing.T) {
	tests := []struct {
		name string
		q    ListQuery
		want string
	}{
		{name: "ids and slugs mixed", q: ListQuery{Projects: []string{"2", "shop"}}, want: "mix numeric ids and slugs"},
		{name: "bad project", q: ListQuery{Projects: []string{"shop/../x"}}, want: "project"},
		{name: "unknown sort", q: ListQuery{Sort: "random"}, want: "sort"},
		{name: "bad period", q: ListQuery{StatsPeriod: "1 day"}, want: "stats period"},
		{name: "limit too big", q: ListQuery{Limit: 101}, want: "limit 101"},
		{name: "negative limit", q: ListQuery{Limit: -1}, want: "limit -1"},
		{name: "control in cursor", q: ListQuery{Cursor: "0:1:0\r\nX: y"}, want: "cursor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			_, _, err := e.client.ListIssues(context.Background(), tt.q)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one mentioning %q", err, tt.want)
			}
			if c := e.fake.Calls() + e.client.Calls(); c != 0 {
				t.Errorf("%d calls made, want none", c)
			}
		})
	}
}

func TestIssueDetails(t *testing.T) {
	e := newEnv(t)
	first := e.clock.Add(-72 * time.Hour)
	id := e.addIssue(t, sentryfake.IssueSeed{
		ID: "4711", ShortID: "SHOP-3F", Title: "KeyError: 'sku'", Culprit: "cart.total",
		Level: "fatal", Platform: "python", ProjectID: "2", ProjectSlug: "shop", Count: 1234, UserCount: 56,
		FirstSeen: first, LastSeen: e.clock, AssignedTo: &sentryfake.Assignee{Type: "team", ID: "9", Name: "payments"},
	})
	want := Issue{
		ID: "4711", ShortID: "SHOP-3F", Title: "KeyError: 'sku'", Culprit: "cart.total",
		Permalink: "https://sentry.io/organizations/acme/issues/4711/", Status: "unresolved", Substatus: "ongoing",
		Level: "fatal", Project: "shop", ProjectID: "2", Platform: "python", Count: 1234, UserCount: 56,
		FirstSeen: first, LastSeen: e.clock, AssignedTo: "team:payments",
	}
	for _, ref := range []string{id, "SHOP-3F", "shop-3f"} {
		t.Run(ref, func(t *testing.T) {
			got, err := e.client.Issue(context.Background(), ref)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("issue (-want +got):\n%s", diff)
			}
		})
	}
	reqs := e.fake.Requests()
	if got, want := reqs[1].Path, "/api/0/organizations/acme/issues/SHOP-3F/"; got != want {
		t.Errorf("short-id path = %q, want %q", got, want)
	}
}

func TestIssueNotFound(t *testing.T) {
	e := newEnv(t)
	_, err := e.client.Issue(context.Background(), strconv.Itoa(99))
	var ae *APIError
	if !asAPIError(err, &ae) || ae.Status != 404 {
		t.Fatalf("error = %v, want *APIError 404", err)
	}
	if got, want := e.client.Calls(), 1; got != want {
		t.Errorf("calls = %d, want %d (a 404 is not retried)", got, want)
	}
}

// TestListAllIssuesStopsOnEmptyPage: a server that keeps offering a next
// cursor with empty pages does not make the walk endless.
func TestListAllIssuesStopsOnEmptyPage(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		next := "0:" + strconv.Itoa(n*100) + ":0"
		w.Header().Set("Link", `<`+"http://"+r.Host+r.URL.Path+`?&cursor=`+next+`>; rel="next"; results="true"; cursor="`+next+`"`)
		if n == 1 {
			_, _ = w.Write([]byte(`[{"id":"1","count":"2"}]`))
			return
		}
		_, _ = w.Write([]byte(`[]`))
	}))
	defer srv.Close()
	c, err := New(srv.Client(), srv.URL, testToken, testOrg)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.ListAllIssues(context.Background(), ListQuery{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || c.Calls() != 2 {
		t.Errorf("got %d issues in %d calls, want 1 issue in 2 calls", len(got), c.Calls())
	}
}
