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
}

// Error describes the status and Sentry's message.
func (e *APIError) Error() string {
	s := fmt.Sprintf("sentry api: %d %s", e.Status, http.StatusText(e.Status))
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.RetryAfter != "" {
		s += " (retry after " + e.RetryAfter + ")"
	}
	return s
}

func newAPIError(status int, h http.Header, body []byte, token string) *APIError {
	e := &APIError{Status: status, Message: message(body, token)}
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
