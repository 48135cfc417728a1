package incident

import (
	"fmt"
	"strings"
)

// parseSentryWebhook reads the body of a Sentry integration webhook: event
// alerts (data.event) and errors (data.error) carry an event, issue webhooks
// (data.issue) carry the issue without a stack trace, and metric alerts,
// comments and installations are not errors at all.
func parseSentryWebhook(root node) (*Incident, error) {
	r := &reader{}
	r.object(root)
	r.str(r.get(root, "action"))
	data := r.get(root, "data")
	if data.v == nil && r.err == nil {
		r.fail(data.path, "want an object, got null")
	}
	m := r.object(data)
	if r.err != nil {
		return nil, r.err
	}
	var inc *Incident
	switch {
	case m["event"] != nil:
		inc = webhookEvent(r, r.get(data, "event"))
	case m["error"] != nil:
		inc = webhookEvent(r, r.get(data, "error"))
	case m["issue"] != nil:
		inc = issueIncident(r, r.get(data, "issue"))
	default:
		return nil, notAnError(data, m)
	}
	if r.err != nil {
		return nil, r.err
	}
	inc.Source = string(FormatSentryWebhook)
	return inc, nil
}

// notAnError explains a webhook resource that holds no error.
func notAnError(data node, m map[string]any) error {
	for res, what := range map[string]string{"metric_alert": "metric alerts", "comment": "comments", "installation": "installations"} {
		if m[res] != nil {
			return fmt.Errorf("%w: %s: %s carry no stack trace", ErrNotAnError, childPath(data.path, res), what)
		}
	}
	return &FieldError{Path: data.path, Msg: fmt.Sprintf(
		"want one of \"event\", \"error\", \"issue\" or \"metric_alert\", got keys %s", keyList(m))}
}

// webhookEvent reads the event of an event_alert or error webhook, which
// also names its issue and its web page.
func webhookEvent(r *reader, ev node) *Incident {
	inc := eventIncident(r, ev, snakeKeys)
	requireContent(r, ev, inc)
	issue := r.text(r.get(ev, "issue_id"))
	link := issuePermalink(r.str(r.get(ev, "web_url")))
	if issue != "" || link != "" {
		ref := sentryRef(inc)
		ref.IssueID, ref.Permalink = issue, link
	}
	return inc
}

// issuePermalink turns an event's web URL (…/issues/<id>/events/<event>/)
// into its issue's (…/issues/<id>/).
func issuePermalink(webURL string) string {
	before, _, ok := strings.Cut(webURL, "/events/")
	if !ok || !strings.Contains(before, "/issues/") {
		return ""
	}
	return before + "/"
}
