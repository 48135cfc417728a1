package llmfake

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadTranscriptFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "..", "testdata", "llm", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no transcripts in testdata/llm")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			turns, err := LoadTranscript(f)
			if err != nil {
				t.Fatal(err)
			}
			if len(turns) == 0 {
				t.Error("no turns")
			}
		})
	}
}

func TestLoadTranscriptReadsFields(t *testing.T) {
	path := writeFile(t, `{"description": "d", "turns": [
		{"status": 429, "retry_after": "1", "error": "slow down"},
		{"json": {"a": 1}, "prompt_tokens": 3, "completion_tokens": 4},
		{"tool_calls": [{"id": "c1", "name": "grep", "arguments": "{\"q\":\"x\"}"}], "finish_reason": "tool_calls"}
	]}`)
	turns, err := LoadTranscript(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(turns) != 3 {
		t.Fatalf("got %d turns, want 3", len(turns))
	}
	if got := turns[0]; got.Status != 429 || got.RetryAfter != "1" || got.Error != "slow down" {
		t.Errorf("turn 0 = %+v", got)
	}
	if got := turns[1]; string(got.JSON) != `{"a": 1}` || got.PromptTokens != 3 || got.CompletionTokens != 4 {
		t.Errorf("turn 1 = %+v", got)
	}
	if got := turns[2].ToolCalls; len(got) != 1 || got[0].Name != "grep" || got[0].arguments() != `{"q":"x"}` {
		t.Errorf("turn 2 tool calls = %+v", got)
	}
}

func TestLoadTranscriptErrors(t *testing.T) {
	tests := []struct {
		name    string
		content string // "" means the file does not exist
		want    []string
	}{
		{name: "missing file", want: []string{"load transcript", "no such file"}},
		{name: "not JSON", content: `{"turns": [`, want: []string{"unexpected EOF"}},
		{name: "unknown top-level field", content: `{"turn": []}`, want: []string{`unknown field "turn"`}},
		{name: "no turns", content: `{"description": "x", "turns": []}`, want: []string{"no turns"}},
		{name: "unknown turn field", content: `{"turns": [{"content": "a"}, {"contnet": "b"}]}`, want: []string{"turn 1", `unknown field "contnet"`}},
		{name: "content and json", content: `{"turns": [{"content": "a", "json": {}}]}`, want: []string{"turn 0", "mutually exclusive"}},
		{name: "tool call without name", content: `{"turns": [{"content": "a"}, {"content": "b"}, {"tool_calls": [{"id": "c"}]}]}`, want: []string{"turn 2", "tool call 0", "name is required"}},
		{name: "status out of range", content: `{"turns": [{"status": 99}]}`, want: []string{"turn 0", "status 99"}},
		{name: "error with 200", content: `{"turns": [{"error": "boom"}]}`, want: []string{"turn 0", "non-2xx"}},
		{name: "raw with content", content: `{"turns": [{"raw": "{", "content": "a"}]}`, want: []string{"turn 0", "raw excludes"}},
		{name: "trailing data", content: `{"turns": [{"content": "a"}]} {}`, want: []string{"trailing data"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "missing.json")
			if tt.content != "" {
				path = writeFile(t, tt.content)
			}
			_, err := LoadTranscript(path)
			if err == nil {
				t.Fatal("LoadTranscript succeeded, want an error")
			}
			for _, w := range append([]string{path}, tt.want...) {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "transcript.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
