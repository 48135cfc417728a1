package llm

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
)

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name    string
		opts    Options
		wantErr string // "" means valid
	}{
		{name: "valid", opts: Options{BaseURL: "https://api.openai.com/v1", Model: "gpt-4o"}},
		{name: "valid local without key", opts: Options{BaseURL: "http://localhost:11434/v1/", Model: "llama3.1"}},
		{name: "missing BaseURL", opts: Options{Model: "m"}, wantErr: "BaseURL is required"},
		{name: "relative BaseURL", opts: Options{BaseURL: "api.openai.com/v1", Model: "m"}, wantErr: "BaseURL"},
		{name: "ftp BaseURL", opts: Options{BaseURL: "ftp://host/v1", Model: "m"}, wantErr: "BaseURL"},
		{name: "BaseURL password hidden", opts: Options{BaseURL: "ftp://u:hunter2@host/v1", Model: "m"}, wantErr: "u:xxxxx@host"},
		{name: "missing Model", opts: Options{BaseURL: "https://x/v1"}, wantErr: "Model option is required"},
		{name: "negative MaxRetries", opts: Options{BaseURL: "https://x/v1", Model: "m", MaxRetries: -1}, wantErr: "MaxRetries"},
		{name: "negative RequestTimeout", opts: Options{BaseURL: "https://x/v1", Model: "m", RequestTimeout: -1}, wantErr: "RequestTimeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := New(tt.opts)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("New: %v", err)
			case tt.wantErr == "" && c == nil:
				t.Fatal("New returned a nil Client")
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("New error = %v, want it to mention %q", err, tt.wantErr)
			case err != nil && strings.Contains(err.Error(), "hunter2"):
				t.Errorf("error leaks the URL password: %v", err)
			}
		})
	}
}

func TestBaseURLForms(t *testing.T) {
	for _, suffix := range []string{"", "/"} {
		t.Run("suffix "+suffix, func(t *testing.T) {
			fake := llmfake.New(llmfake.Turn{Content: "ok"})
			c := serve(t, fake, Options{BaseURL: mount(t, fake) + suffix})
			resp, err := c.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "hi"}}})
			if err != nil {
				t.Fatalf("Complete: %v", err)
			}
			if resp.Content != "ok" {
				t.Errorf("Content = %q, want ok", resp.Content)
			}
		})
	}
}

func TestCompleteUsage(t *testing.T) {
	tests := []struct {
		name string
		turn llmfake.Turn
		want Usage
	}{
		{
			name: "reported",
			turn: llmfake.Turn{Content: "hi", PromptTokens: 40, CompletionTokens: 2},
			want: Usage{Calls: 1, PromptTokens: 40, CompletionTokens: 2, TotalTokens: 42},
		},
		{
			name: "usage missing",
			turn: llmfake.Turn{Content: "hi", OmitUsage: true},
			want: Usage{Calls: 1},
		},
		{
			name: "total left 0",
			turn: llmfake.Turn{Raw: `{"id":"c1","object":"chat.completion","created":1,"model":"m",` +
				`"choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],` +
				`"usage":{"prompt_tokens":4,"completion_tokens":6,"total_tokens":0}}`},
			want: Usage{Calls: 1, PromptTokens: 4, CompletionTokens: 6, TotalTokens: 10},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := scripted(t, Options{}, tt.turn)
			resp, err := c.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "hi"}}})
			if err != nil {
				t.Fatalf("Complete: %v", err)
			}
			if resp.Content != "hi" {
				t.Errorf("Content = %q, want hi", resp.Content)
			}
			if diff := cmp.Diff(tt.want, resp.Usage); diff != "" {
				t.Errorf("Response.Usage (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, c.Usage()); diff != "" {
				t.Errorf("Usage() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUsageTotalsConcurrent(t *testing.T) {
	const n = 8
	turns := make([]llmfake.Turn, n)
	for i := range turns {
		turns[i] = llmfake.Turn{Content: "ok", PromptTokens: 10, CompletionTokens: 1}
	}
	c, fake := scripted(t, Options{}, turns...)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			_, err := c.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "hi"}}})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("Complete: %v", err)
		}
	}
	want := Usage{Calls: n, PromptTokens: 10 * n, CompletionTokens: n, TotalTokens: 11 * n}
	if diff := cmp.Diff(want, c.Usage()); diff != "" {
		t.Errorf("Usage() (-want +got):\n%s", diff)
	}
	if fake.Remaining() != 0 {
		t.Errorf("Remaining() = %d, want 0", fake.Remaining())
	}
}

func TestCompleteInvalidRequest(t *testing.T) {
	user := Message{Role: RoleUser, Content: "hi"}
	tests := []struct {
		name    string
		req     Request
		wantErr string
	}{
		{name: "no messages", req: Request{}, wantErr: "no messages"},
		{name: "developer role", req: Request{Messages: []Message{{Role: "developer", Content: "x"}}}, wantErr: `message 0: role "developer"`},
		{name: "tool message without id", req: Request{Messages: []Message{user, {Role: RoleTool, Content: "x"}}}, wantErr: "message 1: tool message needs ToolCallID"},
		{name: "tool call without id", req: Request{Messages: []Message{{Role: RoleAssistant, ToolCalls: []ToolCall{{Name: "f"}}}}}, wantErr: "message 0: tool call 0"},
		{name: "tool without name", req: Request{Messages: []Message{user}, Tools: []Tool{{Description: "d"}}}, wantErr: "tool 0: Name is required"},
		{name: "schema without name", req: Request{Messages: []Message{user}, Schema: &Schema{Schema: map[string]any{}}}, wantErr: "schema"},
		{name: "negative MaxTokens", req: Request{Messages: []Message{user}, MaxTokens: -1}, wantErr: "MaxTokens"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fake := scripted(t, Options{})
			_, err := c.Complete(context.Background(), tt.req)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error = %v, want it to mention %q", err, tt.wantErr)
			}
			if fake.Calls() != 0 {
				t.Errorf("server got %d calls for an invalid request, want 0", fake.Calls())
			}
		})
	}
}

func TestCompleteContextCanceled(t *testing.T) {
	c, fake := scripted(t, Options{}, llmfake.Turn{Content: "ok"})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Complete(ctx, Request{Messages: []Message{{Role: RoleUser, Content: "hi"}}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context canceled", err)
	}
	if fake.Remaining() != 1 {
		t.Errorf("Remaining() = %d, want the turn unused", fake.Remaining())
	}
}
