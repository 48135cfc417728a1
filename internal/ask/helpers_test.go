package ask

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/llm"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
)

// scripted starts a scripted OpenAI-compatible server under /v1/ and
// returns a real llm client pointed at it.
func scripted(t *testing.T, turns ...llmfake.Turn) (*llm.Client, *llmfake.Server) {
	t.Helper()
	fake := llmfake.New(turns...)
	mux := http.NewServeMux()
	mux.Handle("/v1/", fake)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := llm.New(llm.Options{BaseURL: srv.URL + "/v1", APIKey: "test-key", Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	return c, fake
}

// wireMessage is a message of a request the scripted server received.
type wireMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// messages decodes the messages of each request the server received.
func messages(t *testing.T, fake *llmfake.Server) [][]wireMessage {
	t.Helper()
	var out [][]wireMessage
	for i, body := range fake.Requests() {
		var req struct {
			Messages []wireMessage `json:"messages"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		out = append(out, req.Messages)
	}
	return out
}
