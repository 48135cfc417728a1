package llmfake

import (
	stdcmp "cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const chatBody = `{"model":"gpt-test","messages":[{"role":"user","content":"hi"}]}`

func post(t *testing.T, h http.Handler, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
	return rec
}

func decode(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, rec.Body)
	}
	return m
}

func TestServerWireFormat(t *testing.T) {
	tests := []struct {
		name string
		turn Turn
		want string // the expected answer body
	}{
		{
			name: "content",
			turn: Turn{Content: "hello", PromptTokens: 9, CompletionTokens: 2},
			want: `{"id":"chatcmpl-llmfake-1","object":"chat.completion","created":1700000001,"model":"gpt-test",
				"choices":[{"index":0,"message":{"role":"assistant","content":"hello","refusal":null},"logprobs":null,"finish_reason":"stop"}],
				"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}`,
		},
		{
			name: "json compacted into content",
			turn: Turn{JSON: json.RawMessage(`{ "a" : [1, 2] }`), PromptTokens: 1, CompletionTokens: 1, FinishReason: "length"},
			want: `{"id":"chatcmpl-llmfake-1","object":"chat.completion","created":1700000001,"model":"gpt-test",
				"choices":[{"index":0,"message":{"role":"assistant","content":"{\"a\":[1,2]}","refusal":null},"logprobs":null,"finish_reason":"length"}],
				"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`,
		},
		{
			name: "tool calls with string and object arguments",
			turn: Turn{ToolCalls: []ToolCall{
				{ID: "c1", Name: "read_file", Arguments: json.RawMessage(`"{\"path\":\"a.go\"}"`)},
				{Name: "grep", Arguments: json.RawMessage(`{"q": "nil map"}`)},
				{Name: "list"},
			}, OmitUsage: true},
			want: `{"id":"chatcmpl-llmfake-1","object":"chat.completion","created":1700000001,"model":"gpt-test",
				"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,"tool_calls":[
					{"id":"c1","type":"function","function":{"name":"read_file","arguments":"{\"path\":\"a.go\"}"}},
					{"id":"call_1_1","type":"function","function":{"name":"grep","arguments":"{\"q\":\"nil map\"}"}},
					{"id":"call_1_2","type":"function","function":{"name":"list","arguments":"{}"}}]},
				"logprobs":null,"finish_reason":"tool_calls"}]}`,
		},
		{
			name: "refusal",
			turn: Turn{Refusal: "no", PromptTokens: 1, CompletionTokens: 1},
			want: `{"id":"chatcmpl-llmfake-1","object":"chat.completion","created":1700000001,"model":"gpt-test",
				"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":"no"},"logprobs":null,"finish_reason":"stop"}],
				"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := post(t, New(tt.turn), http.MethodPost, "/v1/chat/completions", chatBody)
			if rec.Code != http.StatusOK {
				t.Fatalf("status = %d, want 200: %s", rec.Code, rec.Body)
			}
			var want map[string]any
			if err := json.Unmarshal([]byte(tt.want), &want); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, decode(t, rec)); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

func TestServerEstimatesUsage(t *testing.T) {
	body := `{"model":"m","messages":[{"role":"user","content":"` + strings.Repeat("x", 400) + `"}]}`
	rec := post(t, New(Turn{Content: strings.Repeat("y", 40)}), http.MethodPost, "/chat/completions", body)
	got := decode(t, rec)["usage"]
	want := map[string]any{"prompt_tokens": float64(len(body) / 4), "completion_tokens": 10.0, "total_tokens": float64(len(body)/4 + 10)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("usage (-want +got):\n%s", diff)
	}
}

func TestServerErrorAnswers(t *testing.T) {
	tests := []struct {
		name       string
		turns      []Turn
		method     string
		path       string
		body       string
		wantStatus int
		wantMsg    string
		wantRetry  string
		wantLeft   int // turns remaining after the request
	}{
		{name: "429 with Retry-After", turns: []Turn{{Status: 429, RetryAfter: "0", Error: "slow down"}},
			wantStatus: 429, wantMsg: "slow down", wantRetry: "0"},
		{name: "status text when no message", turns: []Turn{{Status: 503}}, wantStatus: 503, wantMsg: "Service Unavailable"},
		{name: "script ran out", wantStatus: 500, wantMsg: "llmfake: script ran out: request 1 has no scripted turn"},
		{name: "invalid turn", turns: []Turn{{Content: "a", JSON: json.RawMessage(`{}`)}},
			wantStatus: 500, wantMsg: "llmfake: request 1: invalid turn: content and json are mutually exclusive"},
		{name: "unknown path", turns: []Turn{{}}, path: "/v1/completions", wantStatus: 404,
			wantMsg: "llmfake: no route for POST /v1/completions", wantLeft: 1},
		{name: "GET", turns: []Turn{{}}, method: http.MethodGet, wantStatus: 405,
			wantMsg: "llmfake: chat completions needs POST, got GET", wantLeft: 1},
		{name: "body not JSON", turns: []Turn{{}}, body: "{", wantStatus: 400,
			wantMsg: "llmfake: request body is not valid JSON", wantLeft: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method, path, body := stdcmp.Or(tt.method, http.MethodPost), stdcmp.Or(tt.path, "/v1/chat/completions"), stdcmp.Or(tt.body, chatBody)
			s := New(tt.turns...)
			rec := post(t, s, method, path, body)
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			var got struct {
				Error struct {
					Message, Type string
				}
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("error body is not JSON: %v: %s", err, rec.Body)
			}
			if got.Error.Message != tt.wantMsg || got.Error.Type == "" {
				t.Errorf("error = %+v, want message %q and a type", got.Error, tt.wantMsg)
			}
			if got := rec.Header().Get("Retry-After"); got != tt.wantRetry {
				t.Errorf("Retry-After = %q, want %q", got, tt.wantRetry)
			}
			if got := s.Remaining(); got != tt.wantLeft {
				t.Errorf("Remaining() = %d, want %d", got, tt.wantLeft)
			}
		})
	}
}

func TestServerRaw(t *testing.T) {
	rec := post(t, New(Turn{Status: 502, Raw: "<html>bad gateway"}), http.MethodPost, "/v1/chat/completions", chatBody)
	if rec.Code != 502 || rec.Body.String() != "<html>bad gateway" {
		t.Errorf("answer = %d %q, want 502 and the raw body", rec.Code, rec.Body)
	}
}

func TestServerConcurrent(t *testing.T) {
	const n = 20
	turns := make([]Turn, n)
	for i := range turns {
		turns[i] = Turn{Content: fmt.Sprint(i)}
	}
	s := New(turns...)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seen = map[string]bool{}
	)
	for i := range n {
		wg.Go(func() {
			body := fmt.Sprintf(`{"model":"m","messages":[{"role":"user","content":"%d"}]}`, i)
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(body)))
			var c completion
			if err := json.Unmarshal(rec.Body.Bytes(), &c); err != nil || len(c.Choices) != 1 {
				t.Errorf("answer %d: %v: %s", i, err, rec.Body)
				return
			}
			mu.Lock()
			seen[*c.Choices[0].Message.Content] = true
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(seen) != n {
		t.Errorf("got %d distinct answers, want %d (each turn served once)", len(seen), n)
	}
	if s.Calls() != n || s.Remaining() != 0 || len(s.Requests()) != n {
		t.Errorf("Calls %d, Remaining %d, Requests %d; want %d, 0, %d", s.Calls(), s.Remaining(), len(s.Requests()), n, n)
	}
}

func TestServerRecordsRequests(t *testing.T) {
	s := New(Turn{Content: "a"}, Turn{Content: "b"})
	post(t, s, http.MethodPost, "/v1/chat/completions", `{"model":"one"}`)
	post(t, s, http.MethodPost, "/chat/completions", `{"model":"two"}`)
	got := s.Requests()
	got[0][2] = 'X' // callers get copies
	want := []json.RawMessage{json.RawMessage(`{"model":"one"}`), json.RawMessage(`{"model":"two"}`)}
	if diff := cmp.Diff(want, s.Requests()); diff != "" {
		t.Errorf("Requests() (-want +got):\n%s", diff)
	}
}
