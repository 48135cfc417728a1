package ask

import (
	"context"
	"errors"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/llm"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
)

func TestBudgetFailsClosed(t *testing.T) {
	req := llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: "hi"}}}
	answer := llmfake.Turn{Content: "ok", PromptTokens: 3124, CompletionTokens: 538}
	tests := []struct {
		name   string
		budget *Budget
		// served is how many of two calls reach the server.
		served int
	}{
		{"no calls allowed", &Budget{MaxCalls: 0, MaxTokens: 100000}, 0},
		{"one call allowed", &Budget{MaxCalls: 1, MaxTokens: 100000}, 1},
		{"the request alone is over max-tokens", &Budget{MaxCalls: 5, MaxTokens: 5}, 0},
		{"max-tokens spent by the first call", &Budget{MaxCalls: 5, MaxTokens: 3000}, 1},
		{"cost cap spent by the first call", &Budget{MaxCalls: 5, MaxTokens: 100000, MaxCostUSD: 0.001,
			Prices: map[string]Price{"m": {Input: 2, Output: 8}}}, 1},
		{"no cost cap", &Budget{MaxCalls: 5, MaxTokens: 100000, Prices: map[string]Price{"m": {Input: 2, Output: 8}}}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, fake := scripted(t, answer, answer)
			m := &Metered{Inner: c, Budget: tt.budget, Model: "m"}
			for i := range 2 {
				_, err := m.Complete(context.Background(), req)
				if served := i < tt.served; (err == nil) != served {
					t.Errorf("call %d: err = %v, want it served: %v", i+1, err, served)
				}
				if err != nil && !errors.Is(err, ErrBudget) {
					t.Errorf("call %d: err = %v, want ErrBudget", i+1, err)
				}
			}
			if got := fake.Calls(); got != tt.served {
				t.Errorf("the server was called %d times, want %d", got, tt.served)
			}
		})
	}
}

func TestMeteredChargesWhatTheServerReports(t *testing.T) {
	b := &Budget{MaxCalls: 5, MaxTokens: 100000, Prices: map[string]Price{"m": {Input: 2, Output: 8}, "judge": {Input: 1, Output: 1}}}
	c, _ := scripted(t, llmfake.Turn{Content: "ok", PromptTokens: 1000, CompletionTokens: 100},
		llmfake.Turn{Content: "ok", PromptTokens: 500, CompletionTokens: 500}, llmfake.Turn{Status: 400, Error: "bad"})
	m := &Metered{Inner: c, Budget: b, Model: "m"}
	req := llm.Request{Messages: []llm.Message{{Role: llm.RoleUser, Content: "hi"}}}
	if _, err := m.Complete(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	req.Model = "judge"
	if _, err := m.Complete(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Complete(context.Background(), req); err == nil {
		t.Fatal("a 400 was not an error")
	}
	calls, tokens, cost := b.Spent()
	if calls != 3 || tokens != 2100 {
		t.Errorf("spent %d calls and %d tokens, want 3 (the failed call counts) and 2100", calls, tokens)
	}
	if want := (1000*2 + 100*8 + 500*1 + 500*1) / 1e6; cost < want-1e-12 || cost > want+1e-12 {
		t.Errorf("cost = %v, want %v (priced per model)", cost, want)
	}
	if err := b.Require(3); !errors.Is(err, ErrBudget) {
		t.Errorf("Require(3) with 2 calls left = %v, want ErrBudget", err)
	}
	if err := b.Require(2); err != nil {
		t.Errorf("Require(2) with 2 calls left = %v", err)
	}
}
