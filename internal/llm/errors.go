package llm

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/openai/openai-go/v3"
)

// maxMessage is how much of a server's error message an error keeps.
const maxMessage = 300

// ErrLength means the answer was cut (finish_reason "length"); the partial
// answer is not usable.
var ErrLength = errors.New("answer cut at the token limit (finish_reason length)")

// ErrRefusal means the model refused to answer (message.refusal set).
var ErrRefusal = errors.New("model refused")

// ErrNoToolSupport means the server rejected the request because it does
// not support tools or function calling; the caller may retry without
// tools. It comes wrapped together with the *APIError.
var ErrNoToolSupport = errors.New("server does not support tools")

// APIError is a non-2xx answer, after retries. Message is the server's
// error message cut to 300 characters, with the API key removed.
type APIError struct {
	Status  int
	Message string
}

// Error returns the status and message.
func (e *APIError) Error() string {
	return fmt.Sprintf("llm api: status %d: %s", e.Status, e.Message)
}

// callError turns an error of the SDK into ours: an *APIError when the
// server answered non-2xx (wrapped with ErrNoToolSupport when it says it
// has no tools), else the SDK's error with the API key removed.
func (c *Client) callError(err error, res *http.Response, sentTools bool) error {
	apiErr := c.apiError(err, res)
	switch {
	case apiErr == nil:
		return c.redact(fmt.Errorf("chat completion: %w", err))
	case sentTools && apiErr.Status == http.StatusBadRequest && saysNoTools(apiErr.Message):
		return fmt.Errorf("chat completion: %w: %w", ErrNoToolSupport, apiErr)
	default:
		return fmt.Errorf("chat completion: %w", apiErr)
	}
}

// apiError extracts the status and message of a non-2xx answer, or
// returns nil when the server did not answer non-2xx.
func (c *Client) apiError(err error, res *http.Response) *APIError {
	var msg string
	status := 0
	var oe *openai.Error
	switch {
	case errors.As(err, &oe):
		status, msg = oe.StatusCode, oe.Message
	case res != nil && res.StatusCode >= 300:
		status = res.StatusCode // the SDK could not decode the error body
	default:
		return nil
	}
	if strings.TrimSpace(msg) == "" {
		msg = bodyText(res)
	}
	if strings.TrimSpace(msg) == "" {
		msg = http.StatusText(status)
	}
	return &APIError{Status: status, Message: truncate(c.scrub(msg), maxMessage)}
}

// bodyText reads the start of an error response body; the SDK leaves a
// readable copy there.
func bodyText(res *http.Response) string {
	if res == nil || res.Body == nil {
		return ""
	}
	b, _ := io.ReadAll(io.LimitReader(res.Body, 8*maxMessage))
	return strings.TrimSpace(string(b))
}

// saysNoTools reports whether a 400 message says tools are unsupported,
// as Ollama ("... does not support tools") and vLLM ("auto" tool choice
// requires --enable-auto-tool-choice) put it.
func saysNoTools(msg string) bool {
	m := strings.ToLower(msg)
	if !strings.Contains(m, "tool") && !strings.Contains(m, "function call") {
		return false
	}
	for _, s := range []string{"not support", "unsupported", "not enabled", "enable-auto-tool-choice", "not available"} {
		if strings.Contains(m, s) {
			return true
		}
	}
	return false
}

// scrub removes the API key from s.
func (c *Client) scrub(s string) string {
	if c.apiKey == "" {
		return s
	}
	return strings.ReplaceAll(s, c.apiKey, "[REDACTED]")
}

// redact returns err, or a plain error with the same text minus the API
// key when the text contains it (the chain is dropped so no wrapped value
// can print the key later).
func (c *Client) redact(err error) error {
	if c.apiKey == "" || !strings.Contains(err.Error(), c.apiKey) {
		return err
	}
	return errors.New(c.scrub(err.Error()))
}

// truncate cuts s to at most n runes, the last one marking the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
