package sentryapi

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
)

const smallEvent = `{"eventID":"9999aaaaca8b46d797c23c6077c6ff01","id":"9999aaaaca8b46d797c23c6077c6ff01","groupID":"4711",
 "platform":"go","message":"","title":"runtime error: index out of range",
 "entries":[{"type":"exception","data":{"values":[{"type":"runtime.Error","value":"index out of range [3] with length 3",
  "stacktrace":{"frames":[{"function":"main.main","absPath":"/app/main.go","filename":"main.go","lineNo":12,"inApp":true}]}}]}}],
 "tags":[{"key":"level","value":"fatal"},{"key":"environment","value":"production"}]}`

func TestLatestEventRoundTrips(t *testing.T) {
	e := newEnv(t)
	id := e.addIssue(t, sentryfake.IssueSeed{})
	older := []byte(`{"id":"old","entries":[]}`)
	for _, ev := range [][]byte{older, []byte(smallEvent)} {
		if err := e.fake.AddEvent(id, ev); err != nil {
			t.Fatal(err)
		}
	}
	got, err := e.client.LatestEvent(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, []byte(smallEvent)) {
		t.Errorf("latest event is not the raw JSON added last:\n%s", got)
	}
	inc, err := incident.Parse(got, incident.FormatSentryAPI)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Type != "runtime.Error" || len(inc.Frames) != 1 || inc.Frames[0].Line != 12 {
		t.Errorf("incident: type %q, frames %+v; want runtime.Error with one frame at line 12", inc.Type, inc.Frames)
	}
	if got, want := e.fake.Requests()[0].Path, "/api/0/organizations/acme/issues/"+id+"/events/latest/"; got != want {
		t.Errorf("path = %q, want %q", got, want)
	}
}

// TestLatestEventFixture serves the shared fixture's API event through the
// fake and parses what the client returns into an incident with frames.
func TestLatestEventFixture(t *testing.T) {
	data := readFixture(t, "issue-event-latest.json")
	e := newEnv(t)
	id := e.addIssue(t, sentryfake.IssueSeed{ID: "1341191803"})
	if err := e.fake.AddEvent(id, data); err != nil {
		t.Fatal(err)
	}
	got, err := e.client.LatestEvent(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Error("the client changed the event bytes")
	}
	inc, err := incident.Parse(got, incident.FormatSentryAPI)
	if err != nil {
		t.Fatal(err)
	}
	if inc.Type != "ForbiddenError" || len(inc.Frames) == 0 {
		t.Errorf("incident: type %q with %d frames; want ForbiddenError with frames", inc.Type, len(inc.Frames))
	}
}

func TestLatestEventErrors(t *testing.T) {
	e := newEnv(t)
	none := e.addIssue(t, sentryfake.IssueSeed{})
	_, err := e.client.LatestEvent(context.Background(), none)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusNotFound {
		t.Errorf("issue without events: error = %v, want *APIError 404", err)
	}
}

func TestOversizedBodyIsCut(t *testing.T) {
	e := newEnv(t)
	e.client.maxBody = 1024
	id := e.addIssue(t, sentryfake.IssueSeed{})
	big := `{"id":"big","message":"` + strings.Repeat("a", 4096) + `"}`
	if err := e.fake.AddEvent(id, []byte(big)); err != nil {
		t.Fatal(err)
	}
	_, err := e.client.LatestEvent(context.Background(), id)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "cut") || !strings.Contains(err.Error(), "1024") {
		t.Fatalf("error = %v, want ErrTooLarge saying it was cut at 1024 bytes", err)
	}
	if got := e.client.Calls(); got != 1 {
		t.Errorf("calls = %d, want 1 (a body over the cap is not retried)", got)
	}
}

// TestInvalidIDsRefusedBeforeRequest: ids from payloads are checked before
// any URL is built.
func TestInvalidIDsRefusedBeforeRequest(t *testing.T) {
	ids := []string{"", "../1", "1/2", "PROJ-1A?x=1", "%2e%2e", "1 2", "PROJ", "1#frag", strings.Repeat("9", 21)}
	ops := []struct {
		name string
		call func(c *Client, id string) error
	}{
		{name: "Issue", call: func(c *Client, id string) error { _, err := c.Issue(context.Background(), id); return err }},
		{name: "LatestEvent", call: func(c *Client, id string) error { _, err := c.LatestEvent(context.Background(), id); return err }},
		{name: "LinkPR", call: func(c *Client, id string) error {
			return c.LinkPR(context.Background(), id, "https://github.com/acme/shop/pull/1", "fix")
		}},
	}
	e := newEnv(t)
	for _, op := range ops {
		for _, id := range ids {
			t.Run(op.name+"/"+id, func(t *testing.T) {
				err := op.call(e.client, id)
				if err == nil || !strings.Contains(err.Error(), "issue id") {
					t.Errorf("error = %v, want an invalid issue id error", err)
				}
			})
		}
	}
	if c := e.fake.Calls() + e.client.Calls(); c != 0 {
		t.Errorf("%d calls made, want none", c)
	}
}

func TestLinkPR(t *testing.T) {
	e := newEnv(t)
	id := e.addIssue(t, sentryfake.IssueSeed{ShortID: "SHOP-3F"})
	err := e.client.LinkPR(context.Background(), "SHOP-3F", "https://github.com/acme/shop/pull/42", "fix(cart): guard [empty]\ncart")
	if err != nil {
		t.Fatal(err)
	}
	got := e.fake.Comments(id)
	if len(got) != 1 {
		t.Fatalf("%d comments, want 1", len(got))
	}
	want := "dawnpatch opened a draft pull request for this issue: [fix(cart): guard empty cart](https://github.com/acme/shop/pull/42)"
	if got[0].Text != want {
		t.Errorf("comment = %q, want %q", got[0].Text, want)
	}
	reqs := e.fake.Requests()
	if len(reqs) != 1 || reqs[0].Method != http.MethodPost || reqs[0].Path != "/api/0/organizations/acme/issues/SHOP-3F/comments/" {
		t.Errorf("requests = %+v, want one POST …/issues/SHOP-3F/comments/", reqs)
	}
}

func TestLinkPRFailures(t *testing.T) {
	tests := []struct {
		name         string
		prURL        string
		status       int
		times        int
		wantCalls    int
		wantComments int
		wantErr      bool
	}{
		{name: "bad URL refused before request", prURL: "javascript:alert(1)", wantErr: true},
		{name: "500 is not retried", prURL: "https://github.com/a/b/pull/1", status: 500, times: 1, wantCalls: 1, wantErr: true},
		{name: "429 is retried", prURL: "https://github.com/a/b/pull/1", status: 429, times: 1, wantCalls: 2, wantComments: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			id := e.addIssue(t, sentryfake.IssueSeed{})
			if tt.times > 0 {
				e.fake.Fail("/comments/", tt.status, tt.times, hdr("Retry-After", "1"))
			}
			err := e.client.LinkPR(context.Background(), id, tt.prURL, "fix")
			if (err != nil) != tt.wantErr {
				t.Errorf("error = %v, want error %v", err, tt.wantErr)
			}
			if got := e.client.Calls(); got != tt.wantCalls {
				t.Errorf("calls = %d, want %d", got, tt.wantCalls)
			}
			if got := len(e.fake.Comments(id)); got != tt.wantComments {
				t.Errorf("%d comments, want %d", got, tt.wantComments)
			}
		})
	}
}
