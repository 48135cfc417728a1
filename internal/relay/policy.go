package relay

import (
	"log/slog"
	"net/http"
	"time"
)

// forwardedResource reports whether webhooks of resource can become a
// dispatch. metric_alert carries no issue (it is about a rule, not an
// error), and installation, comment and activity_alert (whose issue shape
// varies with the activity) have nothing to fix here: those are
// verified and acknowledged, never forwarded.
func forwardedResource(resource string) bool {
	switch resource {
	case "issue", "event_alert", "error":
		return true
	}
	return false
}

// wants reports whether a parsed webhook is forwarded: new and regressed
// issues, triggered alerts and new errors always; resolved, ignored and
// archived issues when ForwardResolved is set; anything else (assigned,
// actions Sentry adds later) never.
func (h *Handler) wants(p Payload) bool {
	return opensIssue(p) || closesIssue(p) && h.cfg.ForwardResolved
}

// opensIssue reports whether p says an issue needs work: a new or
// regressed issue, a triggered alert or a new error. One dispatch per issue
// and window covers all of them.
func opensIssue(p Payload) bool {
	switch p.Resource + "." + p.Action {
	case "issue.created", "issue.unresolved", "event_alert.triggered", "error.created":
		return true
	}
	return false
}

// closesIssue reports whether p says a human settled the issue.
func closesIssue(p Payload) bool {
	switch p.Resource + "." + p.Action {
	case "issue.resolved", "issue.ignored", "issue.archived":
		return true
	}
	return false
}

// issueKey is the replay-cache key of an issue's open reports.
func issueKey(p Payload) string { return "issue:" + p.IssueID }

// repoFor is the repository a project's dispatches go to.
func (h *Handler) repoFor(project string) string {
	if repo, ok := h.cfg.Projects[project]; ok && project != "" {
		return repo
	}
	return h.repo
}

// logResult writes one line per webhook: never the body, the signature or
// a secret.
func (h *Handler) logResult(r *http.Request, res result, took time.Duration) {
	level := slog.LevelInfo
	switch {
	case res.status >= 500:
		level = slog.LevelError
	case res.status >= 400:
		level = slog.LevelWarn
	}
	attrs := []slog.Attr{
		slog.String("request_id", clip(r.Header.Get(HeaderRequestID))),
		slog.String("resource", clip(r.Header.Get(HeaderResource))),
		slog.String("outcome", res.outcome),
		slog.Int("status", res.status),
		slog.Int64("duration_ms", took.Milliseconds()),
	}
	if res.reason != "" {
		attrs = append(attrs, slog.String("reason", res.reason))
	}
	if res.payload.IssueID != "" {
		attrs = append(attrs, slog.String("action", res.payload.Action),
			slog.String("sentry_issue_id", res.payload.IssueID), slog.String("repo", res.repo))
	}
	h.log.LogAttrs(r.Context(), level, "sentry webhook", attrs...)
}
