package llm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
)

func TestCompleteErrors(t *testing.T) {
	readFile := []Tool{{Name: "read_file", Parameters: map[string]any{"type": "object"}}}
	long := strings.Repeat("é", 400)
	tests := []struct {
		name        string
		turn        llmfake.Turn
		tools       []Tool
		wantIs      error  // nil: not checked
		notIs       error  // nil: not checked
		wantStatus  int    // 0: the error is not an *APIError
		wantMessage string // APIError.Message, when wantStatus != 0
		wantContent string // Response.Content returned along with the error
		wantUsage   Usage
	}{
		{
			name:        "finish_reason length",
			turn:        llmfake.Turn{Content: `{"cause": "nil m`, FinishReason: "length", PromptTokens: 7, CompletionTokens: 3},
			wantIs:      ErrLength,
			wantContent: `{"cause": "nil m`,
			wantUsage:   Usage{Calls: 1, PromptTokens: 7, CompletionTokens: 3, TotalTokens: 10},
		},
		{
			name:      "refusal",
			turn:      llmfake.Turn{Refusal: "I can't help with that.", PromptTokens: 5, CompletionTokens: 6},
			wantIs:    ErrRefusal,
			wantUsage: Usage{Calls: 1, PromptTokens: 5, CompletionTokens: 6, TotalTokens: 11},
		},
		{
			name:      "malformed JSON body",
			turn:      llmfake.Turn{Raw: `{"id": "chatcmpl-1", "choices": [{"message": {"content": "x"`},
			wantUsage: Usage{Calls: 1},
		},
		{
			name:      "no choices",
			turn:      llmfake.Turn{Raw: `{"id":"c","object":"chat.completion","model":"m","choices":[],"usage":{"prompt_tokens":2,"completion_tokens":0,"total_tokens":2}}`},
			wantUsage: Usage{Calls: 1, PromptTokens: 2, TotalTokens: 2},
		},
		{
			name:        "server without tool support",
			turn:        transcript(t, "no_tools.json")[0],
			tools:       readFile,
			wantIs:      ErrNoToolSupport,
			wantStatus:  400,
			wantMessage: "registry.ollama.ai/library/gemma:2b does not support tools",
			wantUsage:   Usage{Calls: 1},
		},
		{
			name:        "vllm without auto tool choice",
			turn:        llmfake.Turn{Status: 400, Error: `"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set`},
			tools:       readFile,
			wantIs:      ErrNoToolSupport,
			wantStatus:  400,
			wantMessage: `"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set`,
			wantUsage:   Usage{Calls: 1},
		},
		{
			name:        "other 400 with tools is not a tool problem",
			turn:        llmfake.Turn{Status: 400, Error: "This model's maximum context length is 8192 tokens."},
			tools:       readFile,
			notIs:       ErrNoToolSupport,
			wantStatus:  400,
			wantMessage: "This model's maximum context length is 8192 tokens.",
			wantUsage:   Usage{Calls: 1},
		},
		{
			name:        "tools message when no tools were sent",
			turn:        llmfake.Turn{Status: 400, Error: "tools is not supported"},
			notIs:       ErrNoToolSupport,
			wantStatus:  400,
			wantMessage: "tools is not supported",
			wantUsage:   Usage{Calls: 1},
		},
		{
			name:        "non-JSON error body",
			turn:        llmfake.Turn{Status: 502, Raw: "<html>Bad Gateway</html>"},
			wantStatus:  502,
			wantMessage: "<html>Bad Gateway</html>",
			wantUsage:   Usage{Calls: 1},
		},
		{
			name:        "long message is cut",
			turn:        llmfake.Turn{Status: 400, Error: long},
			wantStatus:  400,
			wantMessage: strings.Repeat("é", 299) + "…",
			wantUsage:   Usage{Calls: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := scripted(t, Options{}, tt.turn)
			resp, err := c.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "hi"}}, Tools: tt.tools})
			if err == nil {
				t.Fatalf("Complete succeeded with %+v, want an error", resp)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error = %v, want errors.Is %v", err, tt.wantIs)
			}
			if tt.notIs != nil && errors.Is(err, tt.notIs) {
				t.Errorf("error = %v, want not errors.Is %v", err, tt.notIs)
			}
			checkAPIError(t, err, tt.wantStatus, tt.wantMessage)
			if resp.Content != tt.wantContent {
				t.Errorf("Response.Content = %q, want %q", resp.Content, tt.wantContent)
			}
			if diff := cmp.Diff(tt.wantUsage, c.Usage()); diff != "" {
				t.Errorf("Usage() (-want +got):\n%s", diff)
			}
		})
	}
}

func checkAPIError(t *testing.T, err error, status int, msg string) {
	t.Helper()
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		if status != 0 {
			t.Errorf("error = %v, want *APIError with status %d", err, status)
		}
		return
	}
	if status == 0 {
		t.Errorf("error = %v, want no *APIError", err)
		return
	}
	if diff := cmp.Diff(&APIError{Status: status, Message: msg}, apiErr); diff != "" {
		t.Errorf("APIError (-want +got):\n%s", diff)
	}
	if n := utf8.RuneCountInString(apiErr.Message); n > 300 {
		t.Errorf("APIError.Message has %d runes, want at most 300", n)
	}
}

func TestScriptRanOut(t *testing.T) {
	c, _ := scripted(t, Options{})
	_, err := c.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "hi"}}})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 500 || !strings.Contains(apiErr.Message, "script ran out") {
		t.Errorf("error = %v, want a 500 saying the script ran out", err)
	}
}

// echoAuth answers every request with the Authorization header it got.
func echoAuth(status int, jsonBody bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if jsonBody {
			fmt.Fprintf(w, `{"error":{"message":"Incorrect API key provided: %s","type":"invalid_request_error"}}`, auth)
			return
		}
		fmt.Fprintf(w, "denied for %s", auth)
	}
}

func TestAPIKeyNeverInErrors(t *testing.T) {
	tests := []struct {
		name    string
		handler http.Handler
	}{
		{name: "JSON error body echoes the header", handler: echoAuth(http.StatusUnauthorized, true)},
		{name: "plain error body echoes the header", handler: echoAuth(http.StatusForbidden, false)},
		{name: "no tool support message echoes the header", handler: echoAuth(http.StatusBadRequest, true)},
		{name: "2xx malformed body echoes the header", handler: echoAuth(http.StatusOK, false)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := serve(t, tt.handler, Options{})
			_, err := c.Complete(context.Background(), Request{
				Messages: []Message{{Role: RoleUser, Content: "hi"}},
				Tools:    []Tool{{Name: "read_file"}},
			})
			if err == nil {
				t.Fatal("Complete succeeded, want an error")
			}
			for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
				if strings.Contains(s, testKey) {
					t.Errorf("error text contains the API key: %s", s)
				}
			}
			var apiErr *APIError
			if errors.As(err, &apiErr) && !strings.Contains(apiErr.Message, "Bearer [REDACTED]") {
				t.Errorf("APIError.Message = %q, want the echoed header redacted", apiErr.Message)
			}
		})
	}
}

func TestNoAPIKeySendsNoAuthorization(t *testing.T) {
	fake := llmfake.New(llmfake.Turn{Content: "ok"})
	var got []string
	base := mount(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Authorization"))
		fake.ServeHTTP(w, r)
	}))
	c, err := New(Options{BaseURL: base, Model: "llama3.1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Complete(context.Background(), Request{Messages: []Message{{Role: RoleUser, Content: "hi"}}}); err != nil {
		t.Fatalf("Complete: %v", err)
	}
	if diff := cmp.Diff([]string{""}, got); diff != "" {
		t.Errorf("Authorization headers (-want +got):\n%s", diff)
	}
}
