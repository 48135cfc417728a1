package llm

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
)

func TestCompleteStructured(t *testing.T) {
	c, fake := scripted(t, Options{}, transcript(t, "structured.json")...)
	schema := map[string]any{
		"type":                 "object",
		"properties":           map[string]any{"cause": map[string]any{"type": "string"}},
		"required":             []any{"cause"},
		"additionalProperties": false,
	}
	temp := 0.2
	resp, err := c.Complete(context.Background(), Request{
		Messages: []Message{
			{Role: RoleSystem, Content: "You diagnose production errors."},
			{Role: RoleUser, Content: "panic: assignment to entry in nil map"},
		},
		Schema:      &Schema{Name: "diagnosis", Schema: schema},
		MaxTokens:   500,
		Temperature: &temp,
	})
	if err != nil {
		t.Fatalf("Complete: %v", err)
	}

	var got struct {
		Cause      string   `json:"cause"`
		Confidence float64  `json:"confidence"`
		Files      []string `json:"files"`
	}
	if err := json.Unmarshal([]byte(resp.Content), &got); err != nil {
		t.Fatalf("content is not JSON: %v: %q", err, resp.Content)
	}
	if got.Cause != "nil map write in Store.Put" || got.Confidence != 0.9 || len(got.Files) != 1 {
		t.Errorf("parsed answer = %+v", got)
	}
	if diff := cmp.Diff(Usage{Calls: 1, PromptTokens: 120, CompletionTokens: 30, TotalTokens: 150}, resp.Usage); diff != "" {
		t.Errorf("usage (-want +got):\n%s", diff)
	}
	if got, want := resp.FinishReason, "stop"; got != want {
		t.Errorf("FinishReason = %q, want %q", got, want)
	}

	reqs := requests(t, fake)
	if len(reqs) != 1 {
		t.Fatalf("server got %d requests, want 1", len(reqs))
	}
	r := reqs[0]
	wantMsgs := []wireMessage{
		{Role: "system", Content: "You diagnose production errors."},
		{Role: "user", Content: "panic: assignment to entry in nil map"},
	}
	if diff := cmp.Diff(wantMsgs, r.Messages); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if r.Model != "gpt-test" || r.MaxCompletionTokens != 500 || r.Temperature == nil || *r.Temperature != 0.2 {
		t.Errorf("model %q, max_completion_tokens %d, temperature %v", r.Model, r.MaxCompletionTokens, r.Temperature)
	}
	if r.ResponseFormat == nil {
		t.Fatal("request has no response_format")
	}
	f := r.ResponseFormat
	if f.Type != "json_schema" || f.JSONSchema.Name != "diagnosis" || !f.JSONSchema.Strict {
		t.Errorf("response_format = %+v, want json_schema named diagnosis, strict", f)
	}
	if diff := cmp.Diff(schema, f.JSONSchema.Schema); diff != "" {
		t.Errorf("schema (-want +got):\n%s", diff)
	}
}

func TestCompleteModel(t *testing.T) {
	tests := []struct {
		name     string
		override string
		want     string
	}{
		{name: "default model", want: "gpt-test"},
		{name: "judge override", override: "judge-model", want: "judge-model"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fake := scripted(t, Options{}, llmfake.Turn{Content: "ok"})
			resp, err := c.Complete(context.Background(), Request{
				Messages: []Message{{Role: RoleUser, Content: "hi"}},
				Model:    tt.override,
			})
			if err != nil {
				t.Fatalf("Complete: %v", err)
			}
			if got := requests(t, fake)[0].Model; got != tt.want {
				t.Errorf("request model = %q, want %q", got, tt.want)
			}
			if resp.Model != tt.want {
				t.Errorf("Response.Model = %q, want %q", resp.Model, tt.want)
			}
		})
	}
}

func TestCompleteToolRoundTrip(t *testing.T) {
	c, fake := scripted(t, Options{}, transcript(t, "tool_roundtrip.json")...)
	params := map[string]any{
		"type":       "object",
		"properties": map[string]any{"path": map[string]any{"type": "string"}},
		"required":   []any{"path"},
	}
	tools := []Tool{{Name: "read_file", Description: "Read lines of a file.", Parameters: params}}
	msgs := []Message{{Role: RoleSystem, Content: "sys"}, {Role: RoleUser, Content: "why?"}}

	first, err := c.Complete(context.Background(), Request{Messages: msgs, Tools: tools})
	if err != nil {
		t.Fatalf("first Complete: %v", err)
	}
	wantCalls := []ToolCall{{ID: "call_read_1", Name: "read_file", Arguments: `{"path":"internal/store/store.go","start":10,"end":40}`}}
	if diff := cmp.Diff(wantCalls, first.ToolCalls); diff != "" {
		t.Errorf("tool calls (-want +got):\n%s", diff)
	}
	if first.FinishReason != "tool_calls" {
		t.Errorf("FinishReason = %q, want tool_calls", first.FinishReason)
	}

	msgs = append(msgs,
		Message{Role: RoleAssistant, ToolCalls: first.ToolCalls},
		Message{Role: RoleTool, ToolCallID: "call_read_1", Content: "10: m[k] = v"})
	second, err := c.Complete(context.Background(), Request{Messages: msgs, Tools: tools})
	if err != nil {
		t.Fatalf("second Complete: %v", err)
	}
	if got, want := second.Content, "The map is never initialised before Put writes to it."; got != want {
		t.Errorf("final answer = %q, want %q", got, want)
	}

	reqs := requests(t, fake)
	if len(reqs) != 2 {
		t.Fatalf("server got %d requests, want 2", len(reqs))
	}
	decl := reqs[0].Tools
	if len(decl) != 1 || decl[0].Type != "function" || decl[0].Function.Name != "read_file" ||
		decl[0].Function.Description != "Read lines of a file." || !cmp.Equal(params, decl[0].Function.Parameters) {
		t.Errorf("tool declaration = %+v", decl)
	}
	wantTail := []wireMessage{
		{Role: "assistant", ToolCalls: []wireToolCall{{ID: "call_read_1", Type: "function",
			Function: wireFunction{Name: "read_file", Arguments: wantCalls[0].Arguments}}}},
		{Role: "tool", ToolCallID: "call_read_1", Content: "10: m[k] = v"},
	}
	if diff := cmp.Diff(wantTail, reqs[1].Messages[2:]); diff != "" {
		t.Errorf("second request tail (-want +got):\n%s", diff)
	}
	want := Usage{Calls: 2, PromptTokens: 460, CompletionTokens: 32, TotalTokens: 492}
	if diff := cmp.Diff(want, c.Usage()); diff != "" {
		t.Errorf("Usage() (-want +got):\n%s", diff)
	}
}

func TestCompleteRetries(t *testing.T) {
	fail500 := llmfake.Turn{Status: 500, RetryAfter: "0", Error: "upstream exploded"}
	tests := []struct {
		name       string
		turns      []llmfake.Turn
		maxRetries int
		wantStatus int // 0: success
		wantUsage  Usage
	}{
		{
			name:       "429 with Retry-After then 200",
			turns:      transcript(t, "rate_limited.json"),
			maxRetries: 2,
			wantUsage:  Usage{Calls: 2, PromptTokens: 10, CompletionTokens: 2, TotalTokens: 12},
		},
		{
			name:       "500 then 200",
			turns:      []llmfake.Turn{{Status: 500}, {Content: "ok", PromptTokens: 3, CompletionTokens: 1}},
			maxRetries: 1,
			wantUsage:  Usage{Calls: 2, PromptTokens: 3, CompletionTokens: 1, TotalTokens: 4},
		},
		{
			name:       "persistent 500",
			turns:      []llmfake.Turn{fail500, fail500, fail500},
			maxRetries: 2,
			wantStatus: 500,
			wantUsage:  Usage{Calls: 3},
		},
		{
			name:       "429 without retries",
			turns:      transcript(t, "rate_limited.json"),
			wantStatus: 429,
			wantUsage:  Usage{Calls: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fake := scripted(t, Options{MaxRetries: tt.maxRetries}, tt.turns...)
			resp, err := c.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "hi"}}})
			var apiErr *APIError
			switch {
			case tt.wantStatus == 0 && err != nil:
				t.Fatalf("Complete: %v", err)
			case tt.wantStatus != 0 && !errors.As(err, &apiErr):
				t.Fatalf("error = %v, want *APIError", err)
			case tt.wantStatus != 0 && apiErr.Status != tt.wantStatus:
				t.Errorf("APIError.Status = %d, want %d", apiErr.Status, tt.wantStatus)
			}
			if diff := cmp.Diff(tt.wantUsage, resp.Usage); diff != "" {
				t.Errorf("Response.Usage (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantUsage, c.Usage()); diff != "" {
				t.Errorf("Usage() (-want +got):\n%s", diff)
			}
			if got := fake.Calls(); got != tt.wantUsage.Calls {
				t.Errorf("server saw %d calls, want %d", got, tt.wantUsage.Calls)
			}
		})
	}
}
