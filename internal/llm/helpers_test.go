package llm

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
)

const testKey = "sk-test-0123456789abcdef"

// mount serves h under /v1/ (failing the test on any other path) and
// returns the base URL, srv.URL+"/v1".
func mount(t *testing.T, h http.Handler) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/v1/", h)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside /v1/: %s %s", r.Method, r.URL.Path)
		http.Error(w, "outside /v1/", http.StatusNotFound)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/v1"
}

// serve mounts h and returns a Client pointed at it. Empty BaseURL, Model
// and APIKey in opts get test defaults.
func serve(t *testing.T, h http.Handler, opts Options) *Client {
	t.Helper()
	if opts.BaseURL == "" {
		opts.BaseURL = mount(t, h)
	}
	if opts.Model == "" {
		opts.Model = "gpt-test"
	}
	if opts.APIKey == "" {
		opts.APIKey = testKey
	}
	c, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// scripted returns a fake playing turns and a Client pointed at it.
func scripted(t *testing.T, opts Options, turns ...llmfake.Turn) (*Client, *llmfake.Server) {
	t.Helper()
	fake := llmfake.New(turns...)
	return serve(t, fake, opts), fake
}

func transcript(t *testing.T, name string) []llmfake.Turn {
	t.Helper()
	turns, err := llmfake.LoadTranscript(filepath.Join("..", "..", "testdata", "llm", name))
	if err != nil {
		t.Fatal(err)
	}
	return turns
}

// The wire types below decode the request bodies the fake received.
type wireRequest struct {
	Model               string        `json:"model"`
	Messages            []wireMessage `json:"messages"`
	Tools               []wireTool    `json:"tools"`
	ResponseFormat      *wireFormat   `json:"response_format"`
	MaxCompletionTokens int           `json:"max_completion_tokens"`
	Temperature         *float64      `json:"temperature"`
}

type wireMessage struct {
	Role       string         `json:"role"`
	Content    string         `json:"content"`
	ToolCalls  []wireToolCall `json:"tool_calls"`
	ToolCallID string         `json:"tool_call_id"`
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

type wireTool struct {
	Type     string `json:"type"`
	Function struct {
		Name        string         `json:"name"`
		Description string         `json:"description"`
		Parameters  map[string]any `json:"parameters"`
	} `json:"function"`
}

type wireFormat struct {
	Type       string `json:"type"`
	JSONSchema struct {
		Name   string         `json:"name"`
		Strict bool           `json:"strict"`
		Schema map[string]any `json:"schema"`
	} `json:"json_schema"`
}

// requests decodes every request body the fake received.
func requests(t *testing.T, fake *llmfake.Server) []wireRequest {
	t.Helper()
	var out []wireRequest
	for i, raw := range fake.Requests() {
		var r wireRequest
		if err := json.Unmarshal(raw, &r); err != nil {
			t.Fatalf("request %d: %v\n%s", i, err, raw)
		}
		out = append(out, r)
	}
	return out
}
