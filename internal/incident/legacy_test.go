package incident_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

// TestTopLevelStack covers events whose frames sit in a top-level
// stacktrace, as sentry-elixir before 10 and raven sent them: the stack
// belongs to the only exception when that exception has none of its own.
func TestTopLevelStack(t *testing.T) {
	const stack = `"stacktrace":{"frames":[{"filename":"lib/a.ex","function":"A.f/1","lineno":3,"in_app":true}]}`
	top := []incident.Frame{{File: "lib/a.ex", Line: 3, Function: "A.f/1", InApp: true}}
	own := []incident.Frame{{File: "lib/own.ex", Line: 9, InApp: true}}
	tests := []struct {
		name       string
		input      string
		wantType   string
		wantFrames []incident.Frame
	}{
		{
			name:       "bare exception list",
			input:      `{"platform":"elixir","exception":[{"type":"RuntimeError","value":"v","module":null}],` + stack + `}`,
			wantType:   "RuntimeError",
			wantFrames: top,
		},
		{
			name:       "exception values",
			input:      `{"exception":{"values":[{"type":"E","value":"v"}]},` + stack + `}`,
			wantType:   "E",
			wantFrames: top,
		},
		{
			name:       "legacy interface keys",
			input:      `{"sentry.interfaces.Exception":[{"type":"E"}],"sentry.interfaces.Stacktrace":{"frames":[{"filename":"lib/a.ex","function":"A.f/1","lineno":3,"in_app":true}]}}`,
			wantType:   "E",
			wantFrames: top,
		},
		{
			name:       "the exception's own stack wins",
			input:      `{"exception":[{"type":"E","stacktrace":{"frames":[{"filename":"lib/own.ex","lineno":9,"in_app":true}]}}],` + stack + `}`,
			wantType:   "E",
			wantFrames: own,
		},
		{
			name:       "two exceptions: the top-level stack is nobody's",
			input:      `{"exception":[{"type":"Cause"},{"type":"E"}],` + stack + `}`,
			wantType:   "E",
			wantFrames: []incident.Frame{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc, err := incident.Parse([]byte(tt.input), incident.FormatAuto)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := inc.Type, tt.wantType; got != want {
				t.Errorf("type = %q, want %q", got, want)
			}
			if diff := cmp.Diff(tt.wantFrames, inc.Frames); diff != "" {
				t.Errorf("frames mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestIssueCrashFrame covers issue webhooks, which carry no frames: the
// crash frame comes from metadata's filename and function and from the
// culprit, with no line.
func TestIssueCrashFrame(t *testing.T) {
	tests := []struct {
		name     string
		issue    string
		want     []incident.Frame
		wantType string
		wantMsg  string
	}{
		{
			name:     "python: metadata and culprit",
			issue:    `"platform":"python","culprit":"app.views in index","metadata":{"type":"KeyError","value":"'sku'","filename":"app/views.py","function":"index"}`,
			want:     []incident.Frame{{File: "app/views.py", Function: "index", Module: "app.views", InApp: true}},
			wantType: "KeyError", wantMsg: "'sku'",
		},
		{
			name:     "javascript: unknown function",
			issue:    `"platform":"javascript","culprit":"?(runner)","metadata":{"type":"ReferenceError","value":"x is not defined","filename":"/runner"}`,
			want:     []incident.Frame{{File: "/runner", AbsPath: "/runner", InApp: true}},
			wantType: "ReferenceError", wantMsg: "x is not defined",
		},
		{
			name:     "javascript: the function from the culprit",
			issue:    `"platform":"javascript","culprit":"onClick(app/components/Button)","metadata":{"type":"TypeError","value":"t"}`,
			want:     []incident.Frame{{Function: "onClick", Module: "app/components/Button", InApp: true}},
			wantType: "TypeError", wantMsg: "t",
		},
		{
			name:     "go: a function in the module cache is not in-app",
			issue:    `"platform":"go","culprit":"github.com/lib/pq in (*conn).Query","metadata":{"type":"*pq.Error","value":"v","filename":"/go/pkg/mod/github.com/lib/pq@v1.10.9/conn.go","function":"(*conn).Query"}`,
			want:     []incident.Frame{{File: "/go/pkg/mod/github.com/lib/pq@v1.10.9/conn.go", AbsPath: "/go/pkg/mod/github.com/lib/pq@v1.10.9/conn.go", Function: "(*conn).Query", Module: "github.com/lib/pq"}},
			wantType: "*pq.Error", wantMsg: "v",
		},
		{
			name:     "a transaction culprit names no frame",
			issue:    `"platform":"python","culprit":"GET /cart","metadata":{"type":"E","value":"v"}`,
			want:     []incident.Frame{},
			wantType: "E", wantMsg: "v",
		},
		{
			name:    "a message issue has its title only",
			issue:   `"platform":"python","culprit":"","title":"Payment declined","metadata":{"title":"Payment declined"}`,
			want:    []incident.Frame{},
			wantMsg: "Payment declined",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := `{"action":"created","data":{"issue":{"id":"7",` + tt.issue + `}},"installation":{"uuid":"u"}}`
			inc, err := incident.Parse([]byte(body), incident.FormatAuto)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, inc.Frames); diff != "" {
				t.Errorf("frames mismatch (-want +got):\n%s", diff)
			}
			if inc.Type != tt.wantType || inc.Message != tt.wantMsg {
				t.Errorf("type, message = %q, %q, want %q, %q", inc.Type, inc.Message, tt.wantType, tt.wantMsg)
			}
		})
	}
}

// TestPluginBody covers the legacy WebHooks plugin body: detected, read,
// and refused with the path of a bad value.
func TestPluginBody(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		want    *incident.SentryRef
		wantErr string
	}{
		{
			name:  "issue, project and page from the top level",
			input: `{"id":"27379932","project":"web","project_slug":"web-slug","url":"https://sentry.io/organizations/o/issues/27379932/?referrer=webhooks_plugin","culprit":"a in b","message":"m","event":{"event_id":"e1","message":"boom"}}`,
			want:  &incident.SentryRef{IssueID: "27379932", EventID: "e1", Project: "web-slug", Permalink: "https://sentry.io/organizations/o/issues/27379932/"},
		},
		{
			name:  "the message from the top level when the event has none",
			input: `{"id":"1","project":"web","message":"This is an example Python exception","event":{"platform":"python","stacktrace":{"frames":[]}}}`,
			want:  &incident.SentryRef{IssueID: "1", Project: "web"},
		},
		{
			name:    "event is not an object",
			input:   `{"id":"1","project":"web","url":"https://x/","event":["e"]}`,
			wantErr: "parse sentry-webhook: event: want object, got an array",
		},
		{
			name:    "event says nothing about an error",
			input:   `{"id":"1","project":"web","event":{"level":"error"}}`,
			wantErr: `parse sentry-webhook: event: want an event with an exception, a message or a stack trace, got none (keys: "level")`,
		},
		{
			name:    "issue id of the wrong type",
			input:   `{"id":true,"project":"web","event":{"message":"m"}}`,
			wantErr: "parse sentry-webhook: id: want string or number, got true",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc, err := incident.Parse([]byte(tt.input), incident.FormatAuto)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got, want := inc.Source, "sentry-webhook"; got != want {
				t.Errorf("source = %q, want %q", got, want)
			}
			if diff := cmp.Diff(tt.want, inc.Sentry); diff != "" {
				t.Errorf("sentry mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
