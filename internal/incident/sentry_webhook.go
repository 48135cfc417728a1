package incident

import (
	"fmt"
	"strings"
)

// parseSentryWebhook reads the body of a Sentry integration webhook: event
// alerts (data.event) and errors (data.error) carry an event, issue webhooks
// (data.issue) carry the issue without a stack trace, and metric alerts,
// comments and installations are not errors at all. It also reads the body
// of the legacy WebHooks plugin, which has no data: the event and its
// issue sit at the top level.
func parseSentryWebhook(root node) (*Incident, error) {
	r := &reader{}
	m := r.object(root)
	if r.err == nil && m["data"] == nil && m["action"] == nil && m["event"] != nil {
		return finishWebhook(r, pluginIncident(r, root))
	}
	r.str(r.get(root, "action"))
	data := r.get(root, "data")
	if data.v == nil && r.err == nil {
		r.fail(data.path, "want an object, got null: an integration webhook has data, a WebHooks plugin body has event (keys: %s)", keyList(m))
	}
	dm := r.object(data)
	if r.err != nil {
		return nil, r.err
	}
	switch {
	case dm["event"] != nil:
		return finishWebhook(r, webhookEvent(r, r.get(data, "event")))
	case dm["error"] != nil:
		return finishWebhook(r, webhookEvent(r, r.get(data, "error")))
	case dm["issue"] != nil:
		return finishWebhook(r, issueIncident(r, r.get(data, "issue")))
	}
	return nil, notAnError(data, dm)
}

// finishWebhook returns inc as a webhook incident, or the first error.
func finishWebhook(r *reader, inc *Incident) (*Incident, error) {
	if r.err != nil {
		return nil, r.err
	}
	inc.Source = string(FormatSentryWebhook)
	return inc, nil
}

// pluginIncident reads the body of the legacy WebHooks plugin (sentry
// plugins "webhooks"): the event under "event", and beside it the issue id
// ("id"), its web page ("url"), the project slug, the level, the culprit
// and the message.
func pluginIncident(r *reader, root node) *Incident {
	ev := r.get(root, "event")
	inc := eventIncident(r, ev, snakeKeys)
	if inc.Type == "" && inc.Message == "" {
		inc.Message = r.str(r.get(root, "message"))
	}
	requireContent(r, ev, inc)
	if inc.Level == "" {
		inc.Level = r.str(r.get(root, "level"))
	}
	if inc.Culprit == "" {
		inc.Culprit = r.str(r.get(root, "culprit"))
	}
	ref := sentryRef(inc)
	ref.IssueID = r.text(r.get(root, "id"))
	ref.Permalink = pluginPermalink(r.str(r.get(root, "url")))
	if ref.Project = r.str(r.get(root, "project_slug")); ref.Project == "" {
		ref.Project = r.str(r.get(root, "project"))
	}
	return inc
}

// pluginPermalink drops the query ("?referrer=webhooks_plugin") from the
// issue URL the plugin sends.
func pluginPermalink(raw string) string {
	link, _, _ := strings.Cut(raw, "?")
	return link
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
