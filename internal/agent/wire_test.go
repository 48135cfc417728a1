package agent

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// wireRequest is what the scripted server received, decoded.
type wireRequest struct {
	Messages []struct {
		Role       string `json:"role"`
		Content    string `json:"content"`
		ToolCallID string `json:"tool_call_id"`
	} `json:"messages"`
	Tools []struct {
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	} `json:"tools"`
	ResponseFormat *struct {
		JSONSchema struct {
			Name string `json:"name"`
		} `json:"json_schema"`
	} `json:"response_format"`
	raw string
}

func decodeRequests(t *testing.T, bodies []json.RawMessage) []wireRequest {
	t.Helper()
	out := make([]wireRequest, len(bodies))
	for i, b := range bodies {
		if err := json.Unmarshal(b, &out[i]); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		out[i].raw = string(b)
	}
	return out
}

func (r wireRequest) toolNames() []string {
	var out []string
	for _, tl := range r.Tools {
		out = append(out, tl.Function.Name)
	}
	return out
}

// toolResults returns the contents of the tool messages, in order.
func (r wireRequest) toolResults() []string {
	var out []string
	for _, m := range r.Messages {
		if m.Role == "tool" {
			out = append(out, m.Content)
		}
	}
	return out
}

// all joins the contents of every message.
func (r wireRequest) all() string {
	var b strings.Builder
	for _, m := range r.Messages {
		b.WriteString(m.Content + "\n")
	}
	return b.String()
}

var (
	fenceOpen  = regexp.MustCompile(`^~~~~[0-9a-f]{12} data$`)
	fenceClose = regexp.MustCompile(`^~~~~[0-9a-f]{12}$`)
)

// unfenced returns the lines of the non-system messages that hold needle
// outside a data fence, and how many lines hold it in all.
func (r wireRequest) unfenced(needle string) (outside []string, seen int) {
	for _, m := range r.Messages {
		if m.Role == "system" {
			continue
		}
		open := false
		for line := range strings.Lines(m.Content) {
			line = strings.TrimSuffix(line, "\n")
			switch {
			case fenceOpen.MatchString(line):
				open = true
			case fenceClose.MatchString(line):
				open = false
			case strings.Contains(line, needle):
				seen++
				if !open {
					outside = append(outside, line)
				}
			}
		}
	}
	return outside, seen
}
