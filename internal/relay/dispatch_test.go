package relay

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReplay(t *testing.T) {
	rg := newRig(t, DefaultConfig(), false)
	body := fixture(t, "issue.created.json")
	other := []byte(strings.Replace(string(body), "1170820242", "1170820243", 1))
	first := rg.request("issue", body)
	same := func() *http.Request {
		r := rg.request("issue", body)
		r.Header.Set(HeaderRequestID, first.Header.Get(HeaderRequestID))
		return r
	}
	steps := []struct {
		name       string
		req        func() *http.Request
		wantBody   string
		dispatches int
	}{
		{"first delivery", func() *http.Request { return first }, "forwarded", 1},
		{"same request id and body", same, "duplicate", 1},
		{"same body, new request id", func() *http.Request { return rg.request("issue", body) }, "duplicate", 1},
		{"same request id, another body", func() *http.Request {
			r := rg.request("issue", other)
			r.Header.Set(HeaderRequestID, first.Header.Get(HeaderRequestID))
			return r
		}, "duplicate", 1},
		{"another body, new request id", func() *http.Request { return rg.request("issue", other) }, "forwarded", 2},
		{"same again after twice the window", func() *http.Request {
			rg.advance(2*DefaultWindow + 1)
			return same()
		}, "forwarded", 3},
	}
	for _, st := range steps {
		w := rg.serve(st.req())
		if got := strings.TrimSpace(w.Body.String()); w.Code != 200 || got != st.wantBody {
			t.Fatalf("%s: %d %q, want 200 %q", st.name, w.Code, got, st.wantBody)
		}
		if got := len(rg.fake.Dispatches()); got != st.dispatches {
			t.Fatalf("%s: %d dispatches, want %d", st.name, got, st.dispatches)
		}
	}
}

func TestGitHubFailures(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		times     int
		repo      string // Projects mapping for front-end, "" for none
		wantCode  int
		wantCalls int
	}{
		{"5xx every time: retried, then 502", 502, 3, "", 502, 3},
		{"503 once: retried, forwarded", 503, 1, "", 200, 2},
		{"500 twice: third try forwarded", 500, 2, "", 200, 3},
		{"401: no retry", 401, 1, "", 502, 1},
		{"403: no retry", 403, 1, "", 502, 1},
		{"404 injected: no retry", 404, 1, "", 502, 1},
		{"unknown repository: no retry", 0, 0, "acme/missing", 502, 1},
		{"422: no retry", 422, 1, "", 502, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			if tt.repo != "" {
				cfg.Projects = map[string]string{"front-end": tt.repo}
			}
			rg := newRig(t, cfg, false)
			rg.fake.Fail(http.MethodPost, "/dispatches", tt.status, tt.times, nil)
			body := fixture(t, "issue.created.json")
			r := rg.request("issue", body)
			id := r.Header.Get(HeaderRequestID)
			w := rg.serve(r)
			if w.Code != tt.wantCode {
				t.Errorf("status = %d, want %d (logs %s)", w.Code, tt.wantCode, rg.logs)
			}
			if got := rg.fake.Calls(); got != tt.wantCalls {
				t.Errorf("GitHub calls = %d, want %d: %v", got, tt.wantCalls, rg.fake.Requests())
			}
			if tt.wantCode != 200 {
				if got := strings.TrimSpace(w.Body.String()); got != "Bad Gateway" {
					t.Errorf("body = %q, want only Bad Gateway", got)
				}
				checkLogs(t, rg.logs.String(), "failed")
				// A failed delivery is not remembered: a redelivery of the
				// same request goes through once GitHub is back.
				if tt.repo == "" {
					r := rg.request("issue", body)
					r.Header.Set(HeaderRequestID, id)
					if w := rg.serve(r); w.Code != 200 || len(rg.fake.Dispatches()) != 1 {
						t.Errorf("redelivery after the failure: %d, %d dispatches; want 200, 1", w.Code, len(rg.fake.Dispatches()))
					}
				}
			}
		})
	}
}

func TestNotForwarded(t *testing.T) {
	rg := newRig(t, DefaultConfig(), false)
	tests := []struct {
		name, resource string
		body           []byte
	}{
		{"metric alert", "metric_alert", fixture(t, "metric_alert.resolved.json")},
		{"installation", "installation", []byte(`{"action":"created","data":{"installation":{}}}`)},
		{"comment", "comment", []byte(`{"action":"created","data":{"comment":"hello"}}`)},
		{"issue assigned", "issue", withAction(t, fixture(t, "issue.created.json"), "assigned")},
		{"event alert with an action Sentry may add", "event_alert", withAction(t, fixture(t, "event_alert.triggered.json"), "snoozed")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := rg.serve(rg.request(tt.resource, tt.body))
			if got := strings.TrimSpace(w.Body.String()); w.Code != 200 || got != "ignored" {
				t.Errorf("%d %q, want 200 ignored", w.Code, got)
			}
			if n := rg.fake.Calls(); n != 0 {
				t.Errorf("GitHub got %d calls, want none", n)
			}
		})
	}
}

func TestIssueStatusChanges(t *testing.T) {
	tests := []struct {
		name            string
		action          string
		forwardResolved bool
		want            string
	}{
		{"resolved forwarded", "resolved", true, "forwarded"},
		{"ignored forwarded", "ignored", true, "forwarded"},
		{"archived forwarded", "archived", true, "forwarded"},
		{"unresolved always forwarded", "unresolved", false, "forwarded"},
		{"resolved dropped by config", "resolved", false, "ignored"},
		{"ignored dropped by config", "ignored", false, "ignored"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.ForwardResolved = tt.forwardResolved
			rg := newRig(t, cfg, false)
			w := rg.serve(rg.request("issue", withAction(t, fixture(t, "issue.created.json"), tt.action)))
			if got := strings.TrimSpace(w.Body.String()); w.Code != 200 || got != tt.want {
				t.Fatalf("%d %q, want 200 %q", w.Code, got, tt.want)
			}
			var want []string
			if tt.want == "forwarded" {
				want = []string{tt.action}
			}
			var got []string
			for _, d := range rg.fake.Dispatches() {
				var p Payload
				if err := json.Unmarshal(d.ClientPayload, &p); err != nil {
					t.Fatal(err)
				}
				got = append(got, p.Action)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("dispatched actions (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProjectMapping(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Projects = map[string]string{"front-end": "acme/web", "back-end": "acme/api"}
	rg := newRig(t, cfg, false)
	body := fixture(t, "event_alert.triggered.json")
	unmapped := []byte(strings.Replace(string(fixture(t, "issue.created.json")), `"slug": "front-end"`, `"slug": "mobile"`, 1))
	for _, r := range []*http.Request{rg.request("event_alert", body), rg.request("issue", unmapped)} {
		if w := rg.serve(r); w.Code != 200 {
			t.Fatalf("status %d, logs %s", w.Code, rg.logs)
		}
	}
	var got []string
	for _, d := range rg.fake.Dispatches() {
		got = append(got, d.Owner+"/"+d.Repo)
	}
	if diff := cmp.Diff([]string{"acme/web", "acme/shop"}, got); diff != "" {
		t.Errorf("dispatch repositories (-want +got):\n%s", diff)
	}
}

// withAction returns body with its top-level action replaced.
func withAction(t *testing.T, body []byte, action string) []byte {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	m["action"], _ = json.Marshal(action)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOneDispatchPerIssue plays the recommended Sentry setup, issue
// webhooks plus the alert rule's action: one new issue arrives as
// issue.created and as event_alert.triggered (and, with error webhooks, as
// error.created), and only the first becomes a repository_dispatch inside
// the window. Resolving is news, and so is a regression after it.
func TestOneDispatchPerIssue(t *testing.T) {
	const issue = "1170820242" // the id in issue.created.json and error.created.json
	cfg := DefaultConfig()
	cfg.ForwardResolved = true
	rg := newRig(t, cfg, false)
	created := fixture(t, "issue.created.json")
	alert := withIssueID(t, fixture(t, "event_alert.triggered.json"), issue)
	steps := []struct {
		name, resource string
		body           []byte
		want           string
		dispatched     []string // resource.action of every dispatch so far
	}{
		{"issue.created", "issue", created, "forwarded", []string{"issue.created"}},
		{"the alert for the same issue", "event_alert", alert, "duplicate", []string{"issue.created"}},
		{"the error webhook for the same issue", "error", fixture(t, "error.created.json"), "duplicate", []string{"issue.created"}},
		{"the alert for another issue", "event_alert", fixture(t, "event_alert.triggered.json"), "forwarded", []string{"issue.created", "event_alert.triggered"}},
		{"issue.resolved", "issue", withAction(t, created, "resolved"), "forwarded", []string{"issue.created", "event_alert.triggered", "issue.resolved"}},
		{"a regression after the resolve", "issue", withAction(t, created, "unresolved"), "forwarded", []string{"issue.created", "event_alert.triggered", "issue.resolved", "issue.unresolved"}},
		{"its alert", "event_alert", withAction(t, alert, "triggered"), "duplicate", []string{"issue.created", "event_alert.triggered", "issue.resolved", "issue.unresolved"}},
	}
	for _, st := range steps {
		w := rg.serve(rg.request(st.resource, st.body))
		if got := strings.TrimSpace(w.Body.String()); w.Code != 200 || got != st.want {
			t.Fatalf("%s: %d %q, want 200 %q (logs %s)", st.name, w.Code, got, st.want, rg.logs)
		}
		if diff := cmp.Diff(st.dispatched, dispatched(t, rg)); diff != "" {
			t.Fatalf("%s: dispatches (-want +got):\n%s", st.name, diff)
		}
	}
	rg.advance(2*DefaultWindow + 1)
	if got := strings.TrimSpace(rg.serve(rg.request("event_alert", alert)).Body.String()); got != "forwarded" {
		t.Errorf("the alert after twice the window: %q, want forwarded", got)
	}
}

// TestOneDispatchPerIssueRules covers the order of arrival, a resolve that
// is not forwarded, and a dispatch that failed.
func TestOneDispatchPerIssueRules(t *testing.T) {
	const issue = "1170820242"
	tests := []struct {
		name            string
		forwardResolved bool
		failFirst       bool
		resources       []string // issue, issue.resolved, issue.unresolved, event_alert
		wantBodies      []string
		wantDispatched  int
	}{
		{"the alert first, then issue.created", false, false, []string{"event_alert", "issue"}, []string{"forwarded", "duplicate"}, 1},
		{"a resolve not forwarded still makes a regression news", false, false, []string{"issue", "issue.resolved", "issue.unresolved"}, []string{"forwarded", "ignored", "forwarded"}, 2},
		{"a failed dispatch leaves the issue to the next report", false, true, []string{"issue", "event_alert"}, []string{"Bad Gateway", "forwarded"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.ForwardResolved = tt.forwardResolved
			rg := newRig(t, cfg, false)
			if tt.failFirst {
				rg.fake.Fail(http.MethodPost, "/dispatches", 422, 1, nil)
			}
			bodies := map[string][]byte{
				"issue":            withAction(t, fixture(t, "issue.created.json"), "created"),
				"issue.resolved":   withAction(t, fixture(t, "issue.created.json"), "resolved"),
				"issue.unresolved": withAction(t, fixture(t, "issue.created.json"), "unresolved"),
				"event_alert":      withIssueID(t, fixture(t, "event_alert.triggered.json"), issue),
			}
			var got []string
			for _, name := range tt.resources {
				resource, _, _ := strings.Cut(name, ".")
				got = append(got, strings.TrimSpace(rg.serve(rg.request(resource, bodies[name])).Body.String()))
			}
			if diff := cmp.Diff(tt.wantBodies, got); diff != "" {
				t.Errorf("answers (-want +got):\n%s", diff)
			}
			if n := len(rg.fake.Dispatches()); n != tt.wantDispatched {
				t.Errorf("%d dispatches, want %d", n, tt.wantDispatched)
			}
		})
	}
}

// dispatched lists the resource.action of every dispatch the fake received.
func dispatched(t *testing.T, rg *rig) []string {
	t.Helper()
	var out []string
	for _, d := range rg.fake.Dispatches() {
		var p Payload
		if err := json.Unmarshal(d.ClientPayload, &p); err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Resource+"."+p.Action)
	}
	return out
}

// withIssueID returns an event_alert body with data.event.issue_id set.
func withIssueID(t *testing.T, body []byte, id string) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	data, _ := m["data"].(map[string]any)
	ev, _ := data["event"].(map[string]any)
	if ev == nil {
		t.Fatal("no data.event in the body")
	}
	ev["issue_id"] = id
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
