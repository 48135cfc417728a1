package ask

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/llm"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
)

// number is what the tests ask for: {"n": <0..9>}.
type number struct {
	N int `json:"n"`
}

func parseNumber(content string) (number, error) {
	var v number
	if err := Decode(content, &v); err != nil {
		return v, fmt.Errorf("not the JSON asked for: %w", err)
	}
	if v.N < 0 || v.N > 9 {
		return v, fmt.Errorf("n must be a digit, got %d", v.N)
	}
	return v, nil
}

func TestAsk(t *testing.T) {
	good := llmfake.Turn{Content: `{"n": 7}`}
	tests := []struct {
		name    string
		turns   []llmfake.Turn
		want    number
		wantErr error
		// fixes are the corrective messages the retry carries after the
		// first answer, or nil when there is no retry.
		fixes []string
	}{
		{name: "good at once", turns: []llmfake.Turn{good}, want: number{7}},
		{name: "rejected then good", turns: []llmfake.Turn{{Content: `{"n": 12}`}, good}, want: number{7},
			fixes: []string{`{"n": 12}`, "Your answer could not be used: n must be a digit, got 12\nAnswer again, only with JSON matching the schema."}},
		{name: "prose then good", turns: []llmfake.Turn{{Content: "seven"}, good}, want: number{7},
			fixes: []string{"seven", "Your answer could not be used: not the JSON asked for: invalid character 's' looking for beginning of value\nAnswer again, only with JSON matching the schema."}},
		{name: "cut then good", turns: []llmfake.Turn{{Content: `{"n":`, FinishReason: "length"}, good}, want: number{7},
			fixes: []string{`{"n":`, "Your answer could not be used: chat completion: " + llm.ErrLength.Error() + "\nAnswer again, only with JSON matching the schema."}},
		{name: "refused twice", turns: []llmfake.Turn{{Refusal: "no"}, {Refusal: "no"}}, wantErr: ErrUnusable,
			fixes: []string{"", "Your answer could not be used: chat completion: model refused: no\nAnswer again, only with JSON matching the schema."}},
		{name: "unknown field twice", turns: []llmfake.Turn{{Content: `{"n": 1, "why": "x"}`}, {Content: `{"n": "one"}`}}, wantErr: ErrUnusable,
			fixes: []string{`{"n": 1, "why": "x"}`, "Your answer could not be used: not the JSON asked for: json: unknown field \"why\"\nAnswer again, only with JSON matching the schema."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fake := scripted(t, tt.turns...)
			req := llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: "a digit, please"}}}
			got, err := Ask(context.Background(), c, req, parseNumber)
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
			reqs := messages(t, fake)
			if got, want := len(reqs), 1+min(len(tt.fixes), 1); got != want {
				t.Fatalf("%d requests, want %d", got, want)
			}
			if tt.fixes == nil {
				return
			}
			var fixes []string
			for _, m := range reqs[1][1:] {
				fixes = append(fixes, m.Content)
			}
			if diff := cmp.Diff(tt.fixes, fixes); diff != "" {
				t.Errorf("the retry's messages after the first (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAskReturnsOtherErrorsAsTheyAre(t *testing.T) {
	c, fake := scripted(t, llmfake.Turn{Status: 400, Error: "bad request"})
	req := llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: "a digit, please"}}}
	_, err := Ask(context.Background(), c, req, parseNumber)
	if err == nil || errors.Is(err, ErrUnusable) || !strings.Contains(err.Error(), "bad request") {
		t.Errorf("err = %v, want the server's error, not ErrUnusable", err)
	}
	if got, want := fake.Calls(), 1; got != want {
		t.Errorf("calls = %d, want %d (no retry)", got, want)
	}
}

func TestAskNWithOneAttemptNeverCorrects(t *testing.T) {
	c, fake := scripted(t, llmfake.Turn{Content: "seven"})
	req := llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: "a digit, please"}}}
	_, err := AskN(context.Background(), c, req, parseNumber, 1)
	if !errors.Is(err, ErrUnusable) || !strings.Contains(err.Error(), "not the JSON asked for") {
		t.Errorf("err = %v, want ErrUnusable saying what was wrong", err)
	}
	if got, want := fake.Calls(), 1; got != want {
		t.Errorf("calls = %d, want %d", got, want)
	}
}
