package relay

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingDispatcher is a Dispatcher fake that keeps the last payload as
// it would go on the wire.
type recordingDispatcher struct {
	mu   sync.Mutex
	last []byte
	n    int
}

func (d *recordingDispatcher) Dispatch(_ context.Context, repo string, p Payload) error {
	raw, err := json.Marshal(p)
	if err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.last, d.n = raw, d.n+1
	return nil
}

func FuzzHandler(f *testing.F) {
	for _, name := range fixtureNames(f) {
		f.Add(resourceOf(name), fixture(f, name), true)
	}
	f.Add("issue", []byte(`{"action":"created","data":{"issue":{"id":1}}}`), true)
	f.Add("error", []byte(`{"action":"created","data":{"error":{"issue_id":"1","event_id":"`+strings.Repeat("a", 32)+`"}}}`), false)
	f.Add("seer", []byte(`{}`), true)
	now := time.Unix(1_700_000_000, 0)
	out := &recordingDispatcher{}
	h, err := NewHandler(Options{
		Secret: []byte(testSecret), Repo: "acme/shop", Dispatcher: out,
		Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return now },
	})
	if err != nil {
		f.Fatal(err)
	}
	rg := &rig{now: now, h: h}
	f.Fuzz(func(t *testing.T, resource string, body []byte, sign bool) {
		r := rg.request(resource, body)
		if !sign {
			r.Header.Set(HeaderSignature, Sign([]byte("not the secret"), body))
		}
		before := dispatches(out)
		w := rg.serve(r)
		text := strings.TrimSpace(w.Body.String())
		checkFuzzAnswer(t, w.Code, text, sign)
		if got := dispatches(out) - before; (text == "forwarded") != (got == 1) || got > 1 {
			t.Fatalf("answer %q with %d new dispatches", text, got)
		}
		if text == "forwarded" {
			checkWirePayload(t, out)
		}
	})
}

func dispatches(d *recordingDispatcher) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.n
}

// checkFuzzAnswer wants a known status with a body that says nothing more.
func checkFuzzAnswer(t *testing.T, code int, text string, signed bool) {
	t.Helper()
	switch code {
	case http.StatusOK:
		if text != "forwarded" && text != "ignored" && text != "duplicate" {
			t.Fatalf("200 with body %q", text)
		}
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusRequestEntityTooLarge:
		if text != http.StatusText(code) {
			t.Fatalf("%d with body %q", code, text)
		}
	default:
		t.Fatalf("unexpected status %d (%q)", code, text)
	}
	if !signed && code != http.StatusUnauthorized && code != http.StatusRequestEntityTooLarge {
		t.Fatalf("a body signed with another secret got %d", code)
	}
}

// checkWirePayload wants at most the six documented keys, each valid.
func checkWirePayload(t *testing.T, d *recordingDispatcher) {
	t.Helper()
	d.mu.Lock()
	raw := d.last
	d.mu.Unlock()
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("payload %s: %v", raw, err)
	}
	allowed := map[string]*struct{ ok func(string) bool }{
		"sentry_issue_id": {issueIDPattern.MatchString}, "event_id": {eventIDPattern.MatchString},
		"project": {slugPattern.MatchString}, "level": {wordPattern.MatchString},
		"resource": {forwardedResource}, "action": {wordPattern.MatchString},
	}
	for k, v := range m {
		a, ok := allowed[k]
		if !ok || !a.ok(v) {
			t.Fatalf("payload %s: key %q value %q not allowed", raw, k, v)
		}
	}
	if len(raw) > 256 {
		t.Fatalf("payload of %d bytes: %s", len(raw), raw)
	}
}
