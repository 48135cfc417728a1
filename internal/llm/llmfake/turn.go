package llmfake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// Turn is one scripted answer of the fake server. The zero Turn answers 200
// with an empty assistant message and finish_reason "stop".
type Turn struct {
	// Status is the HTTP status of the answer; 0 means 200.
	Status int `json:"status,omitempty"`
	// RetryAfter is sent as the Retry-After header when set (for 429/503).
	RetryAfter string `json:"retry_after,omitempty"`
	// Content is the assistant message content.
	Content string `json:"content,omitempty"`
	// JSON is an alternative to Content for structured answers: it is
	// compacted and sent as the content string.
	JSON json.RawMessage `json:"json,omitempty"`
	// ToolCalls are the tool calls of the assistant message.
	ToolCalls []ToolCall `json:"tool_calls,omitempty"`
	// FinishReason defaults to "stop", or "tool_calls" when ToolCalls is set.
	FinishReason string `json:"finish_reason,omitempty"`
	// Refusal is the assistant message refusal text.
	Refusal string `json:"refusal,omitempty"`
	// Raw, when set, is sent verbatim as the response body (malformed JSON
	// and other oddities); only Status and RetryAfter apply alongside it.
	Raw string `json:"raw,omitempty"`
	// PromptTokens is reported as usage.prompt_tokens; 0 means estimated
	// as len(request body)/4 (at least 1).
	PromptTokens int `json:"prompt_tokens,omitempty"`
	// CompletionTokens is reported as usage.completion_tokens; 0 means
	// estimated as len(content, refusal and tool arguments)/4 (at least 1).
	CompletionTokens int `json:"completion_tokens,omitempty"`
	// OmitUsage leaves the usage object out of the answer.
	OmitUsage bool `json:"omit_usage,omitempty"`
	// Error is the message of a non-2xx answer, sent in OpenAI's
	// {"error":{"message":...}} shape; empty means the status text.
	Error string `json:"error,omitempty"`
}

// ToolCall is one scripted tool call. Arguments holds either a JSON string
// (sent as is) or any other JSON value (sent compacted as the string);
// empty means "{}".
type ToolCall struct {
	// ID is the tool call id; empty means "call_<turn>_<index>".
	ID string `json:"id,omitempty"`
	// Name is the function name; required.
	Name string `json:"name"`
	// Arguments is a JSON string or a JSON object of the arguments.
	Arguments json.RawMessage `json:"arguments,omitempty"`
}

// transcript is the file format read by LoadTranscript.
type transcript struct {
	Description string            `json:"description"`
	Turns       []json.RawMessage `json:"turns"`
}

// LoadTranscript reads a transcript file of the form
// {"description": "...", "turns": [Turn...]} and validates every turn.
// Unknown fields are errors, so typos do not pass silently.
func LoadTranscript(path string) ([]Turn, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load transcript: %w", err)
	}
	var tr transcript
	if err := strictUnmarshal(data, &tr); err != nil {
		return nil, fmt.Errorf("load transcript %s: %w", path, err)
	}
	if len(tr.Turns) == 0 {
		return nil, fmt.Errorf("load transcript %s: no turns", path)
	}
	turns := make([]Turn, len(tr.Turns))
	for i, raw := range tr.Turns {
		if err := strictUnmarshal(raw, &turns[i]); err != nil {
			return nil, fmt.Errorf("load transcript %s: turn %d: %w", path, i, err)
		}
		if err := turns[i].validate(); err != nil {
			return nil, fmt.Errorf("load transcript %s: turn %d: %w", path, i, err)
		}
	}
	return turns, nil
}

func strictUnmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after JSON value")
	}
	return nil
}

// validate reports the first inconsistency in t.
func (t Turn) validate() error {
	switch {
	case t.Status != 0 && (t.Status < 200 || t.Status > 599):
		return fmt.Errorf("status %d out of range 200-599", t.Status)
	case t.Content != "" && len(t.JSON) > 0:
		return errors.New("content and json are mutually exclusive")
	case len(t.JSON) > 0 && !json.Valid(t.JSON):
		return errors.New("json is not valid JSON")
	case t.Raw != "" && (t.Content != "" || len(t.JSON) > 0 || len(t.ToolCalls) > 0 || t.Refusal != "" || t.Error != ""):
		return errors.New("raw excludes content, json, tool_calls, refusal and error")
	case t.Error != "" && t.status() < 300:
		return fmt.Errorf("error %q needs a non-2xx status", t.Error)
	}
	for i, tc := range t.ToolCalls {
		if err := tc.validate(); err != nil {
			return fmt.Errorf("tool call %d: %w", i, err)
		}
	}
	return nil
}

func (t Turn) status() int {
	if t.Status == 0 {
		return 200
	}
	return t.Status
}

func (tc ToolCall) validate() error {
	if tc.Name == "" {
		return errors.New("name is required")
	}
	if len(tc.Arguments) > 0 && !json.Valid(tc.Arguments) {
		return errors.New("arguments are not valid JSON (use a JSON string or object)")
	}
	return nil
}

// arguments returns the wire form of the arguments: always a string.
func (tc ToolCall) arguments() string {
	raw := bytes.TrimSpace(tc.Arguments)
	if len(raw) == 0 {
		return "{}"
	}
	var s string
	if raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return string(raw)
	}
	return buf.String()
}
