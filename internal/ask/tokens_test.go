package ask

import (
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/llm"
)

func TestCountTokens(t *testing.T) {
	msg := func(s string) llm.Request { return llm.Request{Messages: []llm.Message{{Role: "user", Content: s}}} }
	tests := []struct {
		name string
		req  llm.Request
		want int
	}{
		{"empty message", msg(""), tokensPerRequest + tokensPerMessage},
		{"two words", msg("hello world"), tokensPerRequest + tokensPerMessage + 2},
		{"completion cap counts", llm.Request{Messages: msg("hello world").Messages, MaxTokens: 100}, tokensPerRequest + tokensPerMessage + 2 + 100},
		{"tool call", llm.Request{Messages: []llm.Message{{Role: "assistant", ToolCalls: []llm.ToolCall{{Name: "hello", Arguments: "world"}}}}},
			tokensPerRequest + 2*tokensPerMessage + 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CountTokens(tt.req); got != tt.want {
				t.Errorf("CountTokens = %d, want %d", got, tt.want)
			}
		})
	}
	base := msg("hello world")
	withTools := base
	withTools.Tools = []llm.Tool{{Name: "read_file", Description: "Read a file of the repository, by lines.",
		Parameters: Object(map[string]any{"path": Type("string"), "start": Type("integer"), "end": Type("integer")})}}
	withSchema := base
	withSchema.Schema = &llm.Schema{Name: "s", Schema: Object(map[string]any{"verdict": Enum("bug", "expected"), "reason": Type("string")})}
	if CountTokens(withTools) < CountTokens(base)+30 || CountTokens(withSchema) < CountTokens(base)+20 {
		t.Errorf("tools (%d) and schema (%d) are not counted over the bare request (%d)", CountTokens(withTools), CountTokens(withSchema), CountTokens(base))
	}
	code := strings.Repeat("func (h *Handler) discount(w http.ResponseWriter) {}\n", 100)
	if n := countText(code); n < len(code)/6 || n > len(code)/2 {
		t.Errorf("%d bytes of Go counted as %d tokens", len(code), n)
	}
}
