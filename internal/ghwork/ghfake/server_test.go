package ghfake

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-github/v62/github"
)

func TestIssuesCommentsLabels(t *testing.T) {
	fake := New()
	_, _ = repoWithBranch(t, fake, "fix")
	pr := fake.AddPull("acme", "shop", PullSeed{Title: "pr", Head: "fix", Base: "main"})
	gh, _ := serve(t, fake)
	ctx := context.Background()

	is, resp, err := gh.Issues.Create(ctx, "acme", "shop", &github.IssueRequest{Title: github.String("Boom"), Body: github.String("b"), Labels: &[]string{"bug"}})
	if err != nil || resp.StatusCode != 201 || is.GetNumber() != pr+1 {
		t.Fatalf("create issue = #%d %v %v, want #%d 201", is.GetNumber(), resp, err, pr+1)
	}
	labels, _, err := gh.Issues.AddLabelsToIssue(ctx, "acme", "shop", pr, []string{"dawnpatch", "automated"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range labels {
		names = append(names, l.GetName())
	}
	if diff := cmp.Diff([]string{"dawnpatch", "automated"}, names); diff != "" {
		t.Errorf("labels mismatch (-want +got):\n%s", diff)
	}
	if _, _, err := gh.Issues.CreateComment(ctx, "acme", "shop", pr, &github.IssueComment{Body: github.String("hello")}); err != nil {
		t.Fatal(err)
	}
	comments, _, err := gh.Issues.ListComments(ctx, "acme", "shop", pr, nil)
	if err != nil || len(comments) != 1 || comments[0].GetBody() != "hello" {
		t.Errorf("comments = %v, %v", comments, err)
	}
	if got := fake.Comments("acme", "shop", pr); len(got) != 1 || got[0].Body != "hello" {
		t.Errorf("Comments snapshot = %+v", got)
	}
	all, _, err := gh.Issues.ListByRepo(ctx, "acme", "shop", &github.IssueListByRepoOptions{State: "open"})
	if err != nil || len(all) != 2 || !all[1].IsPullRequest() || all[0].IsPullRequest() {
		t.Errorf("issue list should hold the issue then the PR: %v, %v", all, err)
	}
	bugs, _, err := gh.Issues.ListByRepo(ctx, "acme", "shop", &github.IssueListByRepoOptions{Labels: []string{"bug"}})
	if err != nil || len(bugs) != 1 || bugs[0].GetNumber() != is.GetNumber() {
		t.Errorf("label filter = %v, %v", bugs, err)
	}
	if snap := fake.Issues("acme", "shop"); len(snap) != 1 || snap[0].Labels[0] != "bug" {
		t.Errorf("Issues snapshot = %+v", snap)
	}
	if _, _, err := gh.Repositories.Dispatch(ctx, "acme", "shop", github.DispatchRequestOptions{EventType: "sentry", ClientPayload: rawJSON(`{"id":"1"}`)}); err != nil {
		t.Fatal(err)
	}
	if d := fake.Dispatches(); len(d) != 1 || d[0].EventType != "sentry" || string(d[0].ClientPayload) != `{"id":"1"}` {
		t.Errorf("Dispatches = %+v", d)
	}
}

func rawJSON(s string) *json.RawMessage {
	r := json.RawMessage(s)
	return &r
}

func TestAuthFaultsAndUnknownRoutes(t *testing.T) {
	fake := New()
	fake.AddRepo("acme", "shop", "main", nil)
	fake.SetToken("good")
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	get := func(path, auth string) (int, string, http.Header) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body), resp.Header
	}
	tests := []struct {
		name, path, auth string
		want             int
		wantBody         string
	}{
		{"no token", "/repos/acme/shop", "", 401, "Bad credentials"},
		{"wrong token", "/repos/acme/shop", "Bearer bad", 401, "Bad credentials"},
		{"bearer token", "/repos/acme/shop", "Bearer good", 200, `"default_branch":"main"`},
		{"token scheme", "/repos/acme/shop", "token good", 200, `"full_name":"acme/shop"`},
		{"unknown route names it", "/repos/acme/shop/actions/runs", "Bearer good", 404, "GET /repos/acme/shop/actions/runs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := get(tt.path, tt.auth)
			if code != tt.want || !strings.Contains(body, tt.wantBody) {
				t.Errorf("GET %s = %d %s, want %d containing %q", tt.path, code, body, tt.want, tt.wantBody)
			}
		})
	}

	fake.Fail("GET", "/repos/acme", 429, 2, http.Header{"Retry-After": {"3"}})
	if code, _, _ := get("/repos/acme/shop", ""); code != 401 {
		t.Errorf("unauthenticated request after Fail = %d, want 401 (and the fault kept)", code)
	}
	for i, want := range []int{429, 429, 200} {
		code, body, h := get("/repos/acme/shop", "Bearer good")
		if code != want {
			t.Errorf("request %d after Fail: %d %s, want %d", i, code, body, want)
		}
		if code == 429 && h.Get("Retry-After") != "3" {
			t.Errorf("injected Retry-After = %q, want 3", h.Get("Retry-After"))
		}
	}
	fake.Fail("", "/repos/acme", 403, 1, nil)
	if code, body, _ := get("/repos/acme/shop", "Bearer good"); code != 403 || !strings.Contains(body, "secondary rate limit") {
		t.Errorf("403 fault = %d %s, want the secondary rate limit message", code, body)
	}
	if got, want := fake.Calls(), len(tests)+5; got != want {
		t.Errorf("Calls = %d, want %d", got, want)
	}
	if got := fake.Requests()[0]; got != "GET /repos/acme/shop" {
		t.Errorf("first request logged as %q", got)
	}
}

func TestConcurrentCreateRef(t *testing.T) {
	fake := New()
	head := fake.AddRepo("acme", "shop", "main", nil)
	gh, _ := serve(t, fake)
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, resp, _ := gh.Git.CreateRef(context.Background(), "acme", "shop", &github.Reference{
				Ref: github.String("refs/heads/dawnpatch/race"), Object: &github.GitObject{SHA: github.String(head)},
			})
			mu.Lock()
			defer mu.Unlock()
			if resp != nil {
				codes[resp.StatusCode]++
			}
		}()
	}
	wg.Wait()
	if diff := cmp.Diff(map[int]int{201: 1, 422: 49}, codes); diff != "" {
		t.Errorf("status counts mismatch (-want +got):\n%s", diff)
	}
}
