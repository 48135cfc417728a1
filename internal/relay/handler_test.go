package relay

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestForwardFixtures(t *testing.T) {
	tests := []struct {
		name string
		file string
		want map[string]any
	}{
		{"issue created", "issue.created.json", map[string]any{
			"sentry_issue_id": "1170820242", "project": "front-end", "level": "error",
			"resource": "issue", "action": "created"}},
		{"error created", "error.created.json", map[string]any{
			"sentry_issue_id": "1170820242", "event_id": "bb78c1407cea4519aa397afc059c793d",
			"project": "front-end", "level": "error", "resource": "error", "action": "created"}},
		{"event alert triggered", "event_alert.triggered.json", map[string]any{
			"sentry_issue_id": "1117540176", "event_id": "e4874d664c3540c1a32eab185f12c5ab",
			"project": "front-end", "level": "error", "resource": "event_alert", "action": "triggered"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rg := newRig(t, DefaultConfig(), false)
			body := fixture(t, tt.file)
			w := rg.serve(rg.request(resourceOf(tt.file), body))
			if got, want := w.Code, http.StatusOK; got != want {
				t.Fatalf("status = %d, want %d (body %q, logs %s)", got, want, w.Body, rg.logs)
			}
			ds := rg.fake.Dispatches()
			if len(ds) != 1 {
				t.Fatalf("dispatches = %d, want exactly 1", len(ds))
			}
			d := ds[0]
			if d.Owner != "acme" || d.Repo != "shop" || d.EventType != "sentry-issue" {
				t.Errorf("dispatch to %s/%s type %q, want acme/shop type sentry-issue", d.Owner, d.Repo, d.EventType)
			}
			var got map[string]any
			if err := json.Unmarshal(d.ClientPayload, &got); err != nil {
				t.Fatalf("client_payload: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("client_payload (-want +got):\n%s", diff)
			}
			for _, leak := range []string{"ReferenceError", "is not defined", "stacktrace", "frames", "abs_path", "runner", "http"} {
				if bytes.Contains(d.ClientPayload, []byte(leak)) {
					t.Errorf("client_payload %s carries event text %q", d.ClientPayload, leak)
				}
			}
			checkLogs(t, rg.logs.String(), "forwarded")
		})
	}
}

// checkLogs wants JSON lines with the request id and outcome and without
// the secrets or the event text.
func checkLogs(t *testing.T, logs, outcome string) {
	t.Helper()
	for _, secret := range []string{testSecret, testToken, "blooopy", "heck is not defined"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs carry %q:\n%s", secret, logs)
		}
	}
	var line struct {
		RequestID string `json:"request_id"`
		Outcome   string `json:"outcome"`
	}
	first, _, _ := strings.Cut(logs, "\n")
	if err := json.Unmarshal([]byte(first), &line); err != nil {
		t.Fatalf("log line %q is not JSON: %v", first, err)
	}
	if line.RequestID == "" || line.Outcome != outcome {
		t.Errorf("log line %s: want a request_id and outcome %q", first, outcome)
	}
}

func TestRejections(t *testing.T) {
	rg := newRig(t, DefaultConfig(), false)
	body := fixture(t, "issue.created.json")
	reserialised := reserialise(t, body)
	big := bytes.Repeat([]byte(" "), 2<<20)
	tests := []struct {
		name   string
		body   []byte
		edit   func(r *http.Request)
		status int
	}{
		{"wrong signature", body, func(r *http.Request) {
			r.Header.Set(HeaderSignature, Sign([]byte("another secret"), body))
		}, 401},
		{"no signature", body, func(r *http.Request) { r.Header.Del(HeaderSignature) }, 401},
		{"signature not hex", body, func(r *http.Request) { r.Header.Set(HeaderSignature, "zz") }, 401},
		{"signature truncated", body, func(r *http.Request) {
			r.Header.Set(HeaderSignature, Sign([]byte(testSecret), body)[:32])
		}, 401},
		{"re-serialised body", reserialised, func(r *http.Request) {
			r.Header.Set(HeaderSignature, Sign([]byte(testSecret), body))
		}, 401},
		{"wrong hook signature beats a right legacy one", body, func(r *http.Request) {
			r.Header.Set(HeaderLegacySignature, r.Header.Get(HeaderSignature))
			r.Header.Set(HeaderSignature, Sign([]byte("x"), body))
		}, 401},
		{"stale timestamp", body, stamp(rg, -DefaultWindow-time.Second), 401},
		{"future timestamp", body, stamp(rg, DefaultWindow+time.Second), 401},
		{"no timestamp", body, func(r *http.Request) { r.Header.Del(HeaderTimestamp) }, 401},
		{"garbage timestamp", body, func(r *http.Request) { r.Header.Set(HeaderTimestamp, "NaN") }, 401},
		{"unknown resource", body, func(r *http.Request) { r.Header.Set(HeaderResource, "seer") }, 400},
		{"no resource", body, func(r *http.Request) { r.Header.Del(HeaderResource) }, 400},
		{"no request id", body, func(r *http.Request) { r.Header.Del(HeaderRequestID) }, 400},
		{"request id with spaces", body, func(r *http.Request) { r.Header.Set(HeaderRequestID, "a b") }, 400},
		{"wrong content type", body, func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, 415},
		{"no content type", body, func(r *http.Request) { r.Header.Del("Content-Type") }, 415},
		{"2 MiB body", big, nil, 413},
		{"2 MiB body without a length", big, func(r *http.Request) { r.ContentLength = -1 }, 413},
		{"signed but not JSON", []byte(`{"action":`), nil, 400},
		{"signed empty body", []byte{}, nil, 400},
		{"signed issue id not digits", []byte(`{"action":"created","data":{"issue":{"id":"1; rm -rf /"}}}`), nil, 400},
		{"signed issue without data.issue", []byte(`{"action":"created","data":{}}`), nil, 400},
		{"GET /sentry", body, func(r *http.Request) { r.Method = http.MethodGet }, 405},
		{"PUT /sentry", body, func(r *http.Request) { r.Method = http.MethodPut }, 405},
		{"unknown path", body, func(r *http.Request) { r.URL.Path = "/hook" }, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rg.request("issue", tt.body)
			if tt.edit != nil {
				tt.edit(r)
			}
			w := rg.serve(r)
			if got := w.Code; got != tt.status {
				t.Fatalf("status = %d, want %d", got, tt.status)
			}
			want := http.StatusText(tt.status)
			if tt.status == http.StatusNotFound {
				want = "404 page not found" // net/http's own answer
			}
			if got := strings.TrimSpace(w.Body.String()); got != want {
				t.Errorf("body = %q, want only %q", got, want)
			}
			if n := rg.fake.Calls(); n != 0 {
				t.Errorf("GitHub got %d calls, want none", n)
			}
		})
	}
}

// reserialise re-marshals body, as the docs' snippets do; the test needs
// the bytes to differ.
func reserialise(t *testing.T, body []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(out, body) {
		t.Fatal("re-serialised body is byte-identical; the case proves nothing")
	}
	return out
}

// stamp sets the timestamp offset seconds from the rig's clock.
func stamp(rg *rig, offset time.Duration) func(*http.Request) {
	return func(r *http.Request) {
		ts := rg.clock().Unix() + int64(offset/time.Second)
		r.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	}
}

func TestLegacySignatureAccepted(t *testing.T) {
	rg := newRig(t, DefaultConfig(), false)
	r := rg.request("issue", fixture(t, "issue.created.json"))
	r.Header.Set(HeaderLegacySignature, strings.ToUpper(r.Header.Get(HeaderSignature)))
	r.Header.Del(HeaderSignature)
	if w := rg.serve(r); w.Code != http.StatusOK || len(rg.fake.Dispatches()) != 1 {
		t.Fatalf("status %d, %d dispatches; want 200 and 1", w.Code, len(rg.fake.Dispatches()))
	}
}

func TestHealth(t *testing.T) {
	rg := newRig(t, DefaultConfig(), false)
	tests := []struct {
		name, method string
		status       int
		body         string
	}{
		{"get", http.MethodGet, 200, "ok"},
		{"post", http.MethodPost, 405, "Method Not Allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := rg.serve(httptest.NewRequest(tt.method, "/healthz", nil))
			if w.Code != tt.status || strings.TrimSpace(w.Body.String()) != tt.body {
				t.Errorf("%s /healthz = %d %q, want %d %q", tt.method, w.Code, w.Body, tt.status, tt.body)
			}
		})
	}
}
