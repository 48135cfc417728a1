package ask

import (
	"encoding/json"
	"sync"

	"github.com/pkoukk/tiktoken-go"
	tiktoken_loader "github.com/pkoukk/tiktoken-go-loader"

	"github.com/dawnpatch/dawnpatch/internal/llm"
)

// Token counting before a call uses tiktoken-go's cl100k_base encoding,
// loaded from the ranks embedded in tiktoken-go-loader: no network. Models
// tokenize differently, so the count is an estimate, good to a few percent
// for code and English; the budget is charged afterwards with the usage
// the server reports.
//
// tiktoken.SetBpeLoader is a package-global setter of tiktoken-go. This
// package calls it exactly once, through loadEncoding's sync.Once, before
// its first count; a program that sets another loader in tiktoken-go
// elsewhere may race with it.
var loadEncoding = sync.OnceValues(func() (*tiktoken.Tiktoken, error) {
	tiktoken.SetBpeLoader(tiktoken_loader.NewOfflineLoader())
	return tiktoken.GetEncoding(tiktoken.MODEL_CL100K_BASE)
})

// Per-message and per-request overheads of the chat format, in tokens.
const (
	tokensPerMessage = 4
	tokensPerRequest = 3
)

// countText counts the tokens of s; should the encoding fail to load it
// falls back to one token per three bytes, which overestimates.
func countText(s string) int {
	if s == "" {
		return 0
	}
	enc, err := loadEncoding()
	if err != nil {
		return len(s)/3 + 1
	}
	return len(enc.EncodeOrdinary(s))
}

// CountTokens estimates what req will cost before it is sent: its messages,
// tool calls, tool declarations and response schema, plus the completion
// cap req.MaxTokens.
func CountTokens(req llm.Request) int {
	n := tokensPerRequest
	for _, m := range req.Messages {
		n += tokensPerMessage + countText(m.Content)
		for _, tc := range m.ToolCalls {
			n += tokensPerMessage + countText(tc.Name) + countText(tc.Arguments)
		}
	}
	if len(req.Tools) > 0 {
		n += countJSON(req.Tools)
	}
	if req.Schema != nil {
		n += countJSON(req.Schema.Schema)
	}
	return n + req.MaxTokens
}

func countJSON(v any) int {
	data, err := json.Marshal(v)
	if err != nil {
		return 0
	}
	return countText(string(data))
}
