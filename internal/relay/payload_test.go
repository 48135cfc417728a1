package relay

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseWebhook(t *testing.T) {
	tests := []struct {
		name, resource, body string
		want                 Payload
		wantErr              bool
	}{
		{"numeric issue id", "issue", `{"action":"created","data":{"issue":{"id":42,"level":"fatal","project":{"slug":"api"}}}}`,
			Payload{IssueID: "42", Level: "fatal", Project: "api", Resource: "issue", Action: "created"}, false},
		{"uuid event id with dashes", "event_alert",
			`{"action":"triggered","data":{"event":{"event_id":"E4874D66-4C35-40C1-A32E-AB185F12C5AB","issue_id":"7","url":"https://sentry.io/api/0/projects/org/web/events/x/"}}}`,
			Payload{IssueID: "7", EventID: "e4874d664c3540c1a32eab185f12c5ab", Project: "web", Resource: "event_alert", Action: "triggered"}, false},
		{"no project in the url", "error", `{"action":"created","data":{"error":{"issue_id":"7","url":"https://example.com/x"}}}`,
			Payload{IssueID: "7", Resource: "error", Action: "created"}, false},
		{"null issue id", "issue", `{"action":"created","data":{"issue":{"id":null}}}`, Payload{}, true},
		{"issue id with letters", "issue", `{"action":"created","data":{"issue":{"id":"PROJ-1A"}}}`, Payload{}, true},
		{"issue id too long", "issue", `{"action":"created","data":{"issue":{"id":"123456789012345678901"}}}`, Payload{}, true},
		{"negative issue id", "issue", `{"action":"created","data":{"issue":{"id":-1}}}`, Payload{}, true},
		{"issue id as object", "issue", `{"action":"created","data":{"issue":{"id":{}}}}`, Payload{}, true},
		{"no action", "issue", `{"data":{"issue":{"id":"1"}}}`, Payload{}, true},
		{"action with markup", "issue", `{"action":"<b>","data":{"issue":{"id":"1"}}}`, Payload{}, true},
		{"level with spaces", "issue", `{"action":"created","data":{"issue":{"id":"1","level":"very bad"}}}`, Payload{}, true},
		{"project slug with a newline", "issue", `{"action":"created","data":{"issue":{"id":"1","project":{"slug":"a\nb"}}}}`, Payload{}, true},
		{"short event id", "error", `{"action":"created","data":{"error":{"issue_id":"1","event_id":"abc"}}}`, Payload{}, true},
		{"event alert without data.event", "event_alert", `{"action":"triggered","data":{"error":{}}}`, Payload{}, true},
		{"resource not forwarded", "metric_alert", `{"action":"resolved","data":{}}`, Payload{}, true},
		{"array body", "issue", `[]`, Payload{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseWebhook(tt.resource, []byte(tt.body))
			if tt.wantErr {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("error = %v, want ErrMalformed", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("payload (-want +got):\n%s", diff)
			}
		})
	}
}
