package llmfake

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// created is the fixed base of the "created" timestamps, so answers are
// reproducible (2023-11-14T22:13:20Z plus the request number).
const created = 1700000000

// The wire types below follow the Chat Completions response format.
type completion struct {
	ID      string   `json:"id"`
	Object  string   `json:"object"`
	Created int64    `json:"created"`
	Model   string   `json:"model"`
	Choices []choice `json:"choices"`
	Usage   *usage   `json:"usage,omitempty"`
}

type choice struct {
	Index        int             `json:"index"`
	Message      message         `json:"message"`
	Logprobs     json.RawMessage `json:"logprobs"`
	FinishReason string          `json:"finish_reason"`
}

type message struct {
	Role      string         `json:"role"`
	Content   *string        `json:"content"`
	Refusal   *string        `json:"refusal"`
	ToolCalls []wireToolCall `json:"tool_calls,omitempty"`
}

type wireToolCall struct {
	ID       string       `json:"id"`
	Type     string       `json:"type"`
	Function wireFunction `json:"function"`
}

type wireFunction struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

type usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

// completionFor builds the 2xx answer for turn t of request number call.
func completionFor(t Turn, call int, body []byte) completion {
	msg := message{Role: "assistant", ToolCalls: toolCallsFor(t, call)}
	content := t.Content
	if len(t.JSON) > 0 {
		var buf bytes.Buffer
		_ = json.Compact(&buf, t.JSON) // validated before
		content = buf.String()
	}
	if content != "" || (len(msg.ToolCalls) == 0 && t.Refusal == "") {
		msg.Content = &content
	}
	if t.Refusal != "" {
		msg.Refusal = &t.Refusal
	}
	c := completion{
		ID:      fmt.Sprintf("chatcmpl-llmfake-%d", call),
		Object:  "chat.completion",
		Created: created + int64(call),
		Model:   requestModel(body),
		Choices: []choice{{Message: msg, Logprobs: json.RawMessage("null"), FinishReason: finishReason(t)}},
	}
	if !t.OmitUsage {
		c.Usage = usageFor(t, content, msg.ToolCalls, body)
	}
	return c
}

func toolCallsFor(t Turn, call int) []wireToolCall {
	var out []wireToolCall
	for i, tc := range t.ToolCalls {
		id := tc.ID
		if id == "" {
			id = fmt.Sprintf("call_%d_%d", call, i)
		}
		out = append(out, wireToolCall{ID: id, Type: "function",
			Function: wireFunction{Name: tc.Name, Arguments: tc.arguments()}})
	}
	return out
}

func finishReason(t Turn) string {
	switch {
	case t.FinishReason != "":
		return t.FinishReason
	case len(t.ToolCalls) > 0:
		return "tool_calls"
	default:
		return "stop"
	}
}

// usageFor reports the scripted token counts, estimating unset ones at
// four bytes per token so totals are never zero by accident.
func usageFor(t Turn, content string, calls []wireToolCall, body []byte) *usage {
	prompt := t.PromptTokens
	if prompt == 0 {
		prompt = estimate(len(body))
	}
	completion := t.CompletionTokens
	if completion == 0 {
		n := len(content) + len(t.Refusal)
		for _, c := range calls {
			n += len(c.Function.Name) + len(c.Function.Arguments)
		}
		completion = estimate(n)
	}
	return &usage{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}
}

func estimate(bytes int) int {
	return max(1, bytes/4)
}
