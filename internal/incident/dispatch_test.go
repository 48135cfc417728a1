package incident_test

import (
	"errors"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/incident"
)

func TestParseDispatch(t *testing.T) {
	event := `{"platform":"go","exception":{"values":[{"type":"*errors.errorString","value":"boom","stacktrace":{"frames":[{"abs_path":"/app/main.go","module":"main","function":"run","lineno":9}]}}]}}`
	tests := []struct {
		name        string
		input       string
		wantIssue   string
		wantType    string
		wantErr     string
		wantNotAnEr bool
	}{
		{name: "numeric issue id", input: `{"action":"sentry-issue","client_payload":{"sentry_issue_id":"123"}}`, wantIssue: "123"},
		{name: "issue id as a number", input: `{"action":"x","client_payload":{"sentry_issue_id":4567}}`, wantIssue: "4567"},
		{name: "short id", input: `{"action":"x","client_payload":{"sentry_issue_id":"PROJ-1A"}}`, wantIssue: "PROJ-1A"},
		{name: "event", input: `{"action":"x","client_payload":{"event":` + event + `}}`, wantType: "*errors.errorString"},
		{name: "webhook", input: `{"action":"x","client_payload":{"webhook":{"action":"triggered","data":{"event":` + event + `}}}}`, wantType: "*errors.errorString"},
		{
			name:    "path-like issue id",
			input:   `{"action":"x","client_payload":{"sentry_issue_id":"../../admin"}}`,
			wantErr: `parse dispatch: client_payload.sentry_issue_id: want digits or a short id like PROJ-1A, got "../../admin"`,
		},
		{
			name:    "issue id of the wrong type",
			input:   `{"action":"x","client_payload":{"sentry_issue_id":true}}`,
			wantErr: `parse dispatch: client_payload.sentry_issue_id: want string or number, got true`,
		},
		{
			name:    "two sources",
			input:   `{"action":"x","client_payload":{"sentry_issue_id":"1","event":{}}}`,
			wantErr: `parse dispatch: client_payload: want exactly one of "sentry_issue_id", "event" or "webhook", got both "sentry_issue_id" and "event"`,
		},
		{
			name:    "unrelated payload",
			input:   `{"action":"on-demand-test","client_payload":{"unit":false,"integration":true}}`,
			wantErr: `parse dispatch: client_payload: want exactly one of "sentry_issue_id", "event" or "webhook", got none (keys: "integration", "unit")`,
		},
		{
			name:    "no client_payload",
			input:   `{"action":"x"}`,
			wantErr: `parse dispatch: client_payload: want exactly one of "sentry_issue_id", "event" or "webhook", got none (keys: none)`,
		},
		{
			name:    "client_payload of the wrong type",
			input:   `{"action":"x","client_payload":"123"}`,
			wantErr: `parse dispatch: client_payload: want object, got "123"`,
		},
		{
			name:        "metric alert webhook",
			input:       `{"action":"x","client_payload":{"webhook":{"action":"critical","data":{"metric_alert":{}}}}}`,
			wantErr:     `parse dispatch: not an error event: client_payload.webhook.data.metric_alert: metric alerts carry no stack trace`,
			wantNotAnEr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := incident.ParseDispatch([]byte(tt.input))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error\n got: %v\nwant: %s", err, tt.wantErr)
				}
				if got := errors.Is(err, incident.ErrNotAnError); got != tt.wantNotAnEr {
					t.Errorf("errors.Is(err, ErrNotAnError) = %v, want %v", got, tt.wantNotAnEr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.IssueID != tt.wantIssue {
				t.Errorf("IssueID = %q, want %q", d.IssueID, tt.wantIssue)
			}
			if tt.wantType == "" {
				if d.Incident != nil {
					t.Errorf("Incident = %+v, want nil with an issue id", d.Incident)
				}
				return
			}
			if d.Incident == nil || d.Incident.Type != tt.wantType || d.Incident.Source != "dispatch" || len(d.Incident.Fingerprint) != 64 {
				t.Fatalf("Incident = %+v, want a finished %s incident from dispatch", d.Incident, tt.wantType)
			}
			if crash, _ := d.Incident.CrashFrame(); crash.Function != "run" || crash.Line != 9 {
				t.Errorf("crash frame = %+v, want run at line 9", crash)
			}
		})
	}
}

func TestParseDispatchIssueOnly(t *testing.T) {
	for input, want := range map[string]incident.SentryRef{
		`{"client_payload":{"sentry_issue_id":"42"}}`:      {IssueID: "42"},
		`{"client_payload":{"sentry_issue_id":"SHOP-3F"}}`: {ShortID: "SHOP-3F"},
	} {
		inc, err := incident.Parse([]byte(input), incident.FormatAuto)
		if err != nil {
			t.Fatal(err)
		}
		if inc.Source != "dispatch" || inc.Sentry == nil || *inc.Sentry != want || len(inc.Frames) != 0 {
			t.Errorf("Parse(%s) = %+v with ref %+v, want a frameless dispatch incident naming %+v", input, inc, inc.Sentry, want)
		}
	}
}
