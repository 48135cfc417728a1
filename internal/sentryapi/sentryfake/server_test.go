package sentryfake_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
	"github.com/google/go-cmp/cmp"
)

const issuesPath = "/api/0/organizations/acme/issues/"

func TestIssueShape(t *testing.T) {
	e := newEnv(t)
	id := e.add(t, sentryfake.IssueSeed{
		Title: "KeyError: 'sku'", Count: 150, UserCount: 12, ProjectID: "2", ProjectSlug: "shop",
		AssignedTo: &sentryfake.Assignee{Type: "user", ID: "1", Name: "Jane", Email: "jane@example.com"},
	})
	r := e.get(t, issuesPath+id+"/")
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var got map[string]any
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"id": "1000", "shortId": "SHOP-RS", "count": "150", "userCount": float64(12),
		"status": "unresolved", "substatus": "ongoing", "level": "error",
		"firstSeen": "2026-03-01T12:00:00.000000Z", "lastSeen": "2026-03-01T12:00:00.000000Z",
		"permalink":  "https://sentry.io/organizations/acme/issues/1000/",
		"project":    map[string]any{"id": "2", "name": "shop", "slug": "shop", "platform": "other"},
		"assignedTo": map[string]any{"type": "user", "id": "1", "name": "Jane", "email": "jane@example.com"},
		"logger":     nil, "shareId": nil,
	}
	for k, v := range want {
		if diff := cmp.Diff(v, got[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
}

func TestAuth(t *testing.T) {
	tests := []struct {
		name, auth, want string
	}{
		{name: "no header", auth: "-", want: "Authentication credentials were not provided."},
		{name: "wrong token", auth: "Bearer nope", want: "Invalid token"},
		{name: "not bearer", auth: "Token " + token, want: "Authentication credentials were not provided."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.Fail("issues", http.StatusInternalServerError, 1, nil)
			r := e.do(t, http.MethodGet, issuesPath, "", tt.auth)
			if r.status != http.StatusUnauthorized || detail(t, r.body) != tt.want {
				t.Errorf("got %d %s, want 401 %q", r.status, r.body, tt.want)
			}
			if r := e.get(t, issuesPath); r.status != http.StatusInternalServerError {
				t.Errorf("the fault was used up by a refused request: next status %d", r.status)
			}
		})
	}
}

func TestFail(t *testing.T) {
	e := newEnv(t)
	e.fake.Fail("/issues/", http.StatusTooManyRequests, 2, http.Header{"Retry-After": {"3"}})
	e.fake.Fail("/issues/", http.StatusBadGateway, 1, nil)
	var got []string
	for range 4 {
		r := e.get(t, issuesPath)
		got = append(got, fmt.Sprintf("%d %s", r.status, r.header.Get("Retry-After")))
	}
	want := []string{"429 3", "429 3", "502 ", "200 "}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if got := e.fake.Calls(); got != 4 {
		t.Errorf("Calls = %d, want 4", got)
	}
}

func TestRateLimitHeaders(t *testing.T) {
	e := newEnv(t)
	e.fake.SetRateLimit(40, 0, clock.Add(5*time.Second))
	r := e.get(t, issuesPath)
	got := []string{r.header.Get("X-Sentry-Rate-Limit-Limit"), r.header.Get("X-Sentry-Rate-Limit-Remaining"), r.header.Get("X-Sentry-Rate-Limit-Reset")}
	want := []string{"40", "0", fmt.Sprint(clock.Add(5 * time.Second).Unix())}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rate-limit headers (-want +got):\n%s", diff)
	}
}

func TestRoutesAndErrors(t *testing.T) {
	e := newEnv(t)
	id := e.add(t, sentryfake.IssueSeed{ShortID: "SHOP-1"})
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		wantDetail               string
	}{
		{name: "unknown issue", method: "GET", path: issuesPath + "999/", wantStatus: 404, wantDetail: "The requested resource does not exist"},
		{name: "other org", method: "GET", path: "/api/0/organizations/other/issues/", wantStatus: 404, wantDetail: "The requested resource does not exist"},
		{name: "no trailing slash", method: "GET", path: issuesPath + id, wantStatus: 404, wantDetail: "sentryfake: no route for GET /api/0/organizations/acme/issues/1000 (Sentry's routes end in a slash)"},
		{name: "no events", method: "GET", path: issuesPath + id + "/events/latest/", wantStatus: 404, wantDetail: "Event not found"},
		{name: "bad cursor", method: "GET", path: issuesPath + "?cursor=abc", wantStatus: 400, wantDetail: "Invalid cursor parameter."},
		{name: "bad limit", method: "GET", path: issuesPath + "?limit=0", wantStatus: 400, wantDetail: "Invalid limit parameter."},
		{name: "bad sort", method: "GET", path: issuesPath + "?sort=random", wantStatus: 400, wantDetail: `Invalid sort: "random"`},
		{name: "bad period", method: "GET", path: issuesPath + "?statsPeriod=1y", wantStatus: 400, wantDetail: `Invalid statsPeriod: "1y"`},
		{name: "ids and slugs", method: "GET", path: issuesPath + "?project=1&projectSlug=app", wantStatus: 400, wantDetail: "Cannot query for both ids and slugs"},
		{name: "project not a number", method: "GET", path: issuesPath + "?project=app", wantStatus: 400, wantDetail: "Invalid project parameter. Values must be numbers."},
		{name: "unsupported search key", method: "GET", path: issuesPath + "?query=release:1.0", wantStatus: 400, wantDetail: `Invalid search query: sentryfake does not support "release:1.0"`},
		{name: "comment bad json", method: "POST", path: issuesPath + id + "/comments/", body: "{", wantStatus: 400, wantDetail: "JSON parse error - unexpected end of JSON input"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(t, tt.method, tt.path, tt.body, "")
			if r.status != tt.wantStatus {
				t.Fatalf("status %d (%s), want %d", r.status, r.body, tt.wantStatus)
			}
			if got := detail(t, r.body); got != tt.wantDetail {
				t.Errorf("detail = %q, want %q", got, tt.wantDetail)
			}
		})
	}
}

func TestEvents(t *testing.T) {
	e := newEnv(t)
	id := e.add(t, sentryfake.IssueSeed{ShortID: "SHOP-1"})
	first, second := []byte(`{"id":"aaa","n":1}`), []byte(`{"id":"bbb","n":2}`)
	for _, ev := range [][]byte{first, second} {
		if err := e.fake.AddEvent(id, ev); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, path string
		want       []byte
	}{
		{name: "latest", path: issuesPath + id + "/events/latest/", want: second},
		{name: "latest by short id", path: issuesPath + "shop-1/events/latest/", want: second},
		{name: "recommended", path: issuesPath + id + "/events/recommended/", want: second},
		{name: "oldest", path: issuesPath + id + "/events/oldest/", want: first},
		{name: "by event id", path: issuesPath + id + "/events/aaa/", want: first},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.get(t, tt.path)
			if r.status != http.StatusOK || !bytes.Equal(r.body, tt.want) {
				t.Errorf("got %d %s, want 200 %s", r.status, r.body, tt.want)
			}
		})
	}
}

func TestSeedErrors(t *testing.T) {
	e := newEnv(t)
	id := e.add(t, sentryfake.IssueSeed{ID: "7", ShortID: "APP-7"})
	if _, err := e.fake.AddIssue(sentryfake.IssueSeed{ID: "7"}); err == nil {
		t.Error("AddIssue accepted a taken id")
	}
	if _, err := e.fake.AddIssue(sentryfake.IssueSeed{ShortID: "app-7"}); err == nil {
		t.Error("AddIssue accepted a taken short id")
	}
	if err := e.fake.AddEvent(id, []byte(`[1]`)); err == nil {
		t.Error("AddEvent accepted a JSON array")
	}
	if err := e.fake.AddEvent("404", []byte(`{}`)); err == nil {
		t.Error("AddEvent accepted an unknown issue")
	}
	if _, err := e.fake.AddIssueJSON([]byte(`{"title":"no id"}`)); err == nil {
		t.Error("AddIssueJSON accepted an issue without id")
	}
	if next := e.add(t, sentryfake.IssueSeed{}); next == id {
		t.Errorf("default id %q collides", next)
	}
}

func TestComments(t *testing.T) {
	e := newEnv(t)
	id := e.add(t, sentryfake.IssueSeed{ShortID: "SHOP-1"})
	for _, kind := range []string{"comments", "notes"} {
		r := e.do(t, http.MethodPost, issuesPath+"SHOP-1/"+kind+"/", `{"text":"via `+kind+`"}`, "")
		if r.status != http.StatusCreated {
			t.Fatalf("POST %s: %d %s", kind, r.status, r.body)
		}
	}
	r := e.do(t, http.MethodPost, issuesPath+id+"/comments/", `{"text":"  "}`, "")
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "This field is required.") {
		t.Errorf("empty text: %d %s, want 400 text required", r.status, r.body)
	}
	var texts []string
	for _, c := range e.fake.Comments(id) {
		texts = append(texts, c.Text)
	}
	if diff := cmp.Diff([]string{"via comments", "via notes"}, texts); diff != "" {
		t.Errorf("comments (-want +got):\n%s", diff)
	}
	var listed []struct {
		Type string `json:"type"`
		Data struct {
			Text string `json:"text"`
		} `json:"data"`
	}
	if err := json.Unmarshal(e.get(t, issuesPath+id+"/comments/").body, &listed); err != nil {
		t.Fatal(err)
	}
	if len(listed) != 2 || listed[0].Type != "note" || listed[0].Data.Text != "via notes" {
		t.Errorf("listed notes = %+v, want 2 notes, newest first", listed)
	}
	var issue struct{ NumComments int }
	if err := json.Unmarshal(e.get(t, issuesPath+id+"/").body, &issue); err != nil || issue.NumComments != 2 {
		t.Errorf("numComments = %d (%v), want 2", issue.NumComments, err)
	}
}
