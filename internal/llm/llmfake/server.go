package llmfake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
)

// maxRequestBody caps how much of a request body the server reads.
const maxRequestBody = 16 << 20

// Server is a scripted OpenAI-compatible Chat Completions server. It is an
// http.Handler: mount it on an httptest.Server (or any mux) and point a
// client's base URL at ".../v1". It is safe for concurrent use.
type Server struct {
	mu       sync.Mutex
	queue    []Turn
	requests []json.RawMessage
	calls    int
}

var _ http.Handler = (*Server)(nil)

// New returns a server that answers POST /v1/chat/completions and
// POST /chat/completions with turns in order. Once the turns are used up,
// every further request gets a 500 whose message says the script ran out.
func New(turns ...Turn) *Server {
	return &Server{queue: append([]Turn(nil), turns...)}
}

// Requests returns a copy of every request body received on the chat
// completions route, in order (including bodies that were not valid JSON).
func (s *Server) Requests() []json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]json.RawMessage, len(s.requests))
	for i, r := range s.requests {
		out[i] = append(json.RawMessage(nil), r...)
	}
	return out
}

// Calls returns how many requests reached the chat completions route.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// Remaining returns how many scripted turns have not been served yet.
func (s *Server) Remaining() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.queue)
}

// ServeHTTP answers one request with the next scripted turn.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if p := r.URL.Path; p != "/v1/chat/completions" && p != "/chat/completions" {
		writeError(w, http.StatusNotFound, fmt.Sprintf("llmfake: no route for %s %s", r.Method, p), "")
		return
	}
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, "llmfake: chat completions needs POST, got "+r.Method, "")
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil || len(body) > maxRequestBody {
		writeError(w, http.StatusBadRequest, "llmfake: cannot read request body (or over 16 MiB)", "")
		return
	}
	valid := json.Valid(body)
	turn, call, ok := s.next(body, valid)
	switch {
	case !valid:
		writeError(w, http.StatusBadRequest, "llmfake: request body is not valid JSON", "")
	case !ok:
		writeError(w, http.StatusInternalServerError,
			fmt.Sprintf("llmfake: script ran out: request %d has no scripted turn", call), "")
	default:
		s.answer(w, turn, call, body)
	}
}

// next records body and pops the next turn; call is the 1-based request
// number. Invalid JSON bodies are recorded but do not consume a turn.
func (s *Server) next(body []byte, valid bool) (turn Turn, call int, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, append(json.RawMessage(nil), body...))
	s.calls++
	if len(s.queue) == 0 || !valid {
		return Turn{}, s.calls, false
	}
	turn = s.queue[0]
	s.queue = s.queue[1:]
	return turn, s.calls, true
}

// answer writes turn as the response to the request body.
func (s *Server) answer(w http.ResponseWriter, t Turn, call int, body []byte) {
	if err := t.validate(); err != nil {
		writeError(w, http.StatusInternalServerError, fmt.Sprintf("llmfake: request %d: invalid turn: %v", call, err), "")
		return
	}
	if t.RetryAfter != "" {
		w.Header().Set("Retry-After", t.RetryAfter)
	}
	switch {
	case t.Raw != "":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(t.status())
		_, _ = io.WriteString(w, t.Raw)
	case t.status() >= 300:
		msg := t.Error
		if msg == "" {
			msg = http.StatusText(t.status())
		}
		writeError(w, t.status(), msg, errorType(t.status()))
	default:
		writeJSON(w, t.status(), completionFor(t, call, body))
	}
}

// errorType mimics the "type" field OpenAI puts in error bodies.
func errorType(status int) string {
	switch {
	case status == http.StatusTooManyRequests:
		return "rate_limit_error"
	case status >= 500:
		return "server_error"
	default:
		return "invalid_request_error"
	}
}

func writeError(w http.ResponseWriter, status int, msg, typ string) {
	if typ == "" {
		typ = errorType(status)
	}
	writeJSON(w, status, map[string]any{
		"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": nil},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":{"message":"llmfake: cannot encode answer"}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// requestModel returns the "model" field of a request body, or "llmfake".
func requestModel(body []byte) string {
	var req struct {
		Model string `json:"model"`
	}
	if json.Unmarshal(body, &req) != nil || strings.TrimSpace(req.Model) == "" {
		return "llmfake"
	}
	return req.Model
}

// Transcript renders a chat request the server received as text for a
// golden file: each message under "=== role ===", then the indented
// response_format.
func Transcript(request json.RawMessage) (string, error) {
	var req struct {
		Messages       []struct{ Role, Content string } `json:"messages"`
		ResponseFormat json.RawMessage                  `json:"response_format"`
	}
	if err := json.Unmarshal(request, &req); err != nil {
		return "", fmt.Errorf("llmfake: read request: %w", err)
	}
	var b strings.Builder
	for _, m := range req.Messages {
		b.WriteString("=== " + m.Role + " ===\n" + m.Content + "\n")
	}
	var format bytes.Buffer
	if err := json.Indent(&format, req.ResponseFormat, "", "  "); err != nil {
		return "", fmt.Errorf("llmfake: indent response_format: %w", err)
	}
	b.WriteString("=== response_format ===\n" + format.String() + "\n")
	return b.String(), nil
}
