package incident

import (
	"fmt"
	"regexp"
)

// Dispatch is a repository_dispatch event as GitHub Actions writes it to
// GITHUB_EVENT_PATH. Exactly one of IssueID and Incident is set.
type Dispatch struct {
	// Action is the dispatch's event_type.
	Action string
	// IssueID is the Sentry issue to fetch: digits, or a short id such as
	// PROJ-1A.
	IssueID string
	// Incident is the incident carried in the payload itself.
	Incident *Incident
}

// issueIDPattern accepts Sentry's numeric issue ids and short ids.
var issueIDPattern = regexp.MustCompile(`^(?:[0-9]{1,20}|[A-Za-z0-9][A-Za-z0-9_-]{0,63}-[A-Za-z0-9]{1,16})$`)

// dispatchKeys are the client_payload members that name the incident.
var dispatchKeys = []string{"sentry_issue_id", "event", "webhook"}

// ParseDispatch reads the repository_dispatch event JSON. Its
// client_payload must hold exactly one of "sentry_issue_id" (digits or a
// short id like PROJ-1A), "event" (a Sentry event) or "webhook" (a Sentry
// webhook body). A carried incident is redacted, capped and fingerprinted
// like any other.
func ParseDispatch(data []byte) (*Dispatch, error) {
	root, err := decodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("parse dispatch: %w", err)
	}
	d, err := dispatchTree(node{v: root})
	if err != nil {
		return nil, fmt.Errorf("parse dispatch: %w", err)
	}
	if d.Incident != nil {
		finish(d.Incident)
	}
	return d, nil
}

// dispatchTree reads a decoded dispatch event.
func dispatchTree(root node) (*Dispatch, error) {
	r := &reader{}
	r.object(root)
	d := &Dispatch{Action: r.str(r.get(root, "action"))}
	cp := r.get(root, "client_payload")
	m := r.object(cp)
	if r.err != nil {
		return nil, r.err
	}
	var present []string
	for _, k := range dispatchKeys {
		if m[k] != nil {
			present = append(present, k)
		}
	}
	if len(present) != 1 {
		return nil, &FieldError{Path: cp.path, Msg: fmt.Sprintf(
			"want exactly one of \"sentry_issue_id\", \"event\" or \"webhook\", got %s", got(present, m))}
	}
	var err error
	switch n := r.get(cp, present[0]); present[0] {
	case "sentry_issue_id":
		d.IssueID, err = issueID(r, n)
	case "event":
		d.Incident, err = dispatchEvent(n)
	default:
		d.Incident, err = parseSentryWebhook(n)
	}
	if err != nil {
		return nil, err
	}
	if d.Incident != nil {
		d.Incident.Source = string(FormatDispatch)
	}
	return d, nil
}

// got describes which incident keys a client_payload had.
func got(present []string, m map[string]any) string {
	switch len(present) {
	case 0:
		return "none (keys: " + keyList(m) + ")"
	case 2:
		return fmt.Sprintf("both %q and %q", present[0], present[1])
	}
	return "all three"
}

// issueID validates sentry_issue_id: a string (or number) of digits, or a
// short id.
func issueID(r *reader, n node) (string, error) {
	id := r.text(n)
	if r.err != nil {
		return "", r.err
	}
	if !issueIDPattern.MatchString(id) {
		return "", &FieldError{Path: n.path, Msg: fmt.Sprintf(
			"want digits or a short id like PROJ-1A, got %s", describe(n.v))}
	}
	return id, nil
}

// dispatchEvent reads client_payload.event: an ingest event, or an API
// event when it has entries.
func dispatchEvent(n node) (*Incident, error) {
	if has(n, "entries") {
		return parseSentryAPI(n)
	}
	return parseSentryEvent(n)
}

// dispatchIncident turns a dispatch into an incident for Parse: the carried
// one, or one that only names the Sentry issue to fetch.
func dispatchIncident(root node) (*Incident, error) {
	d, err := dispatchTree(root)
	if err != nil {
		return nil, err
	}
	if d.Incident != nil {
		return d.Incident, nil
	}
	ref := &SentryRef{IssueID: d.IssueID}
	if !isDigits(d.IssueID) {
		ref = &SentryRef{ShortID: d.IssueID}
	}
	return &Incident{Source: string(FormatDispatch), Sentry: ref}, nil
}

// isDigits reports whether s is non-empty and all ASCII digits.
func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
