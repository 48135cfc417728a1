package relay

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// EventType is the repository_dispatch event_type the relay sends.
const EventType = "sentry-issue"

// Payload is the client_payload of the dispatch: six short, validated
// fields and nothing else. Empty optional fields are left out.
type Payload struct {
	// IssueID is the Sentry issue id, digits only. Always set.
	IssueID string `json:"sentry_issue_id"`
	// EventID is the 32-hex-digit event id (event_alert and error only).
	EventID string `json:"event_id,omitempty"`
	// Project is the Sentry project slug, when the webhook names it.
	Project string `json:"project,omitempty"`
	// Level is the event or issue level ("error", "fatal", ...).
	Level string `json:"level,omitempty"`
	// Resource is the Sentry-Hook-Resource: issue, event_alert or error.
	Resource string `json:"resource"`
	// Action is the webhook action: created, triggered, resolved, ...
	Action string `json:"action"`
}

// Resources Sentry documents for Sentry-Hook-Resource (activity_alert is
// in limited availability). Any other value is rejected.
var knownResources = map[string]bool{
	"installation": true, "event_alert": true, "issue": true,
	"metric_alert": true, "error": true, "comment": true, "activity_alert": true,
}

// KnownResource reports whether r is a Sentry-Hook-Resource Sentry
// documents.
func KnownResource(r string) bool { return knownResources[r] }

var (
	issueIDPattern = regexp.MustCompile(`^[0-9]{1,20}$`)
	eventIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)
	slugPattern    = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,99}$`)
	wordPattern    = regexp.MustCompile(`^[a-z][a-z_]{0,31}$`)
)

// ErrMalformed means a verified webhook body is not the shape Sentry sends.
var ErrMalformed = errors.New("malformed webhook")

// webhook is the part of a Sentry webhook body the relay reads.
type webhook struct {
	Action string `json:"action"`
	Data   struct {
		Issue *struct {
			ID      flexID `json:"id"`
			Level   string `json:"level"`
			Project struct {
				Slug string `json:"slug"`
			} `json:"project"`
		} `json:"issue"`
		Event *eventData `json:"event"`
		Error *eventData `json:"error"`
	} `json:"data"`
}

// eventData is data.event (event_alert) or data.error (error).
type eventData struct {
	EventID string `json:"event_id"`
	IssueID flexID `json:"issue_id"`
	Level   string `json:"level"`
	URL     string `json:"url"`
}

// flexID is an id Sentry may send as a string or a number.
type flexID string

// UnmarshalJSON accepts "123" and 123; null leaves it empty.
func (f *flexID) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = flexID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*f = flexID(n.String())
	return nil
}

// ParseWebhook reads the fields the dispatch needs from a webhook body of
// the given resource ("issue", "event_alert" or "error") and validates
// each. Errors wrap ErrMalformed.
func ParseWebhook(resource string, body []byte) (Payload, error) {
	var w webhook
	if err := json.Unmarshal(body, &w); err != nil {
		return Payload{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	p := Payload{Resource: resource, Action: w.Action}
	switch ev := w.Data.Event; resource {
	case "issue":
		if w.Data.Issue == nil {
			return Payload{}, fmt.Errorf("%w: no data.issue", ErrMalformed)
		}
		p.IssueID, p.Level, p.Project = string(w.Data.Issue.ID), w.Data.Issue.Level, w.Data.Issue.Project.Slug
	case "error":
		ev = w.Data.Error
		fallthrough
	case "event_alert":
		if ev == nil {
			return Payload{}, fmt.Errorf("%w: no data.event or data.error", ErrMalformed)
		}
		p.IssueID, p.Level, p.Project = string(ev.IssueID), ev.Level, projectFromURL(ev.URL)
		p.EventID = strings.ToLower(strings.ReplaceAll(ev.EventID, "-", ""))
	default:
		return Payload{}, fmt.Errorf("%w: resource %q is not forwarded", ErrMalformed, resource)
	}
	return p, p.validate()
}

// validate checks every field against its pattern.
func (p Payload) validate() error {
	checks := []struct {
		name, value string
		re          *regexp.Regexp
		required    bool
	}{
		{"issue id", p.IssueID, issueIDPattern, true},
		{"action", p.Action, wordPattern, true},
		{"event id", p.EventID, eventIDPattern, false},
		{"project slug", p.Project, slugPattern, false},
		{"level", p.Level, wordPattern, false},
	}
	for _, c := range checks {
		if c.value == "" && !c.required {
			continue
		}
		if !c.re.MatchString(c.value) {
			return fmt.Errorf("%w: invalid %s", ErrMalformed, c.name)
		}
	}
	return nil
}

// projectFromURL takes the project slug from an event API URL such as
// https://sentry.io/api/0/projects/<org>/<project>/events/<id>/.
func projectFromURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i, p := range parts {
		if p == "projects" && i+2 < len(parts) {
			return parts[i+2]
		}
	}
	return ""
}

// clip shortens untrusted text for an error message or a log line.
func clip(s string) string {
	const n = 40
	if len(s) > n {
		s = s[:n] + "..."
	}
	return strings.ToValidUTF8(s, "?")
}
