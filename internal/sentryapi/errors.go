package sentryapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode"
)

// maxMessage caps the message an APIError carries, in bytes.
const maxMessage = 300

// Token scopes a request needs, as APIError.Scope names them.
const (
	// ScopeRead is the scope of every read: issues and their events.
	ScopeRead = "event:read"
	// ScopeWrite is the scope of LinkPR's comment, and of nothing else.
	ScopeWrite = "event:write"
)

// APIError is an answer of Sentry with status 400 or more, returned once
// retries (for 429 and 5xx) are used up or when the status is not worth
// retrying. Callers branch on Status: 401 bad token, 403 missing scope,
// 404 unknown issue or organization, 429 rate limited.
type APIError struct {
	// Status is the HTTP status code.
	Status int
	// Message is Sentry's "detail" (or the start of the body), capped at
	// 300 bytes (then "…"), on one line, and scrubbed of the token.
	Message string
	// RetryAfter is how long Sentry asked to wait, for a 429; 0 otherwise.
	RetryAfter string
	// Scope is the token scope the request needed: ScopeRead, or
	// ScopeWrite for LinkPR.
	Scope string
}

// Error describes the status and Sentry's message; for a 401 or a 403 it
// names the sentry-token input and the scope it needs.
func (e *APIError) Error() string {
	s := fmt.Sprintf("sentry api: %d %s", e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.RetryAfter != "" {
		s += " (retry after " + e.RetryAfter + ")"
	}
	return s + e.tokenHint()
}

// tokenHint tells what to do about the sentry-token input when Sentry
// refused it, "" for other statuses.
func (e *APIError) tokenHint() string {
	switch {
	case e.Status == http.StatusUnauthorized:
		return "; Sentry refused the sentry-token input: it must be a valid auth token with the " +
			ScopeRead + " scope (" + ScopeWrite + " only to link pull requests back)"
	case e.Status == http.StatusForbidden && e.Scope == ScopeWrite:
		return "; the sentry-token input lacks the " + ScopeWrite + " scope, needed only to link pull requests back"
	case e.Status == http.StatusForbidden:
		return "; the sentry-token input lacks the " + ScopeRead + " scope or access to the organization's projects"
	}
	return ""
}

func newAPIError(status int, h http.Header, body []byte, token, scope string) *APIError {
	e := &APIError{Status: status, Message: message(body, token), Scope: scope}
	if status == http.StatusTooManyRequests {
		e.RetryAfter = h.Get("Retry-After")
	}
	return e
}

// message takes Sentry's {"detail": "..."} or else the raw body, and makes
// it safe to log: the token removed, control characters folded to spaces,
// capped.
func message(body []byte, token string) string {
	var d struct {
		Detail any `json:"detail"`
	}
	msg := string(body)
	if json.Unmarshal(body, &d) == nil && d.Detail != nil {
		if s, ok := d.Detail.(string); ok {
			msg = s
		} else if b, err := json.Marshal(d.Detail); err == nil {
			msg = string(b)
		}
	}
	msg = strings.ReplaceAll(msg, token, "[redacted]")
	msg = strings.Join(strings.FieldsFunc(msg, unicode.IsControl), " ")
	msg = strings.TrimSpace(msg)
	return truncate(msg, maxMessage)
}
