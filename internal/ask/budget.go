package ask

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/dawnpatch/dawnpatch/internal/llm"
)

// ErrBudget is returned when a call would exceed a budget. The run ends
// budget-exhausted; nothing partial is published.
var ErrBudget = errors.New("budget exhausted")

// Price is a model's price in US dollars per million tokens.
type Price struct{ Input, Output float64 }

// Budget caps what a run may spend on models. Zero caps mean "no calls"
// for MaxCalls and MaxTokens (fail closed) and "no cost cap" for MaxCostUSD.
type Budget struct {
	MaxCalls   int
	MaxTokens  int
	MaxCostUSD float64
	// Prices by model name; a model without a price costs 0.
	Prices map[string]Price

	mu    sync.Mutex
	calls int
	toks  int
	cost  float64
}

// Spent reports the calls, tokens and cost spent so far.
func (b *Budget) Spent() (calls, tokens int, costUSD float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.calls, b.toks, b.cost
}

// Require fails when fewer than n more calls fit in the budget: the plan
// is checked before any token is spent.
func (b *Budget) Require(n int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.calls+n > b.MaxCalls {
		return fmt.Errorf("%w: this step needs %d model calls, %d of max-model-calls %d left", ErrBudget, n, b.MaxCalls-b.calls, b.MaxCalls)
	}
	if b.toks >= b.MaxTokens {
		return fmt.Errorf("%w: max-tokens %d spent", ErrBudget, b.MaxTokens)
	}
	return nil
}

// allow refuses a call whose estimated size would exceed a budget.
func (b *Budget) allow(estimate int) error {
	if err := b.Require(1); err != nil {
		return err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.toks+estimate > b.MaxTokens {
		return fmt.Errorf("%w: a call of about %d tokens would pass max-tokens %d (%d spent)", ErrBudget, estimate, b.MaxTokens, b.toks)
	}
	if b.MaxCostUSD > 0 && b.cost >= b.MaxCostUSD {
		return fmt.Errorf("%w: max-cost-usd %.4f spent", ErrBudget, b.MaxCostUSD)
	}
	return nil
}

func (b *Budget) spend(model string, u llm.Usage) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.calls++
	b.toks += u.TotalTokens
	p := b.Prices[model]
	b.cost += (float64(u.PromptTokens)*p.Input + float64(u.CompletionTokens)*p.Output) / 1e6
}

// Metered is a Model that checks the budget before each call and charges
// it after. Model names the default model, for pricing. Wrap the client
// once and hand the Metered to every caller of the run (fixer, judge,
// gate), so one budget covers them all.
type Metered struct {
	Inner  Model
	Budget *Budget
	Model  string
}

// Complete implements Model.
func (m *Metered) Complete(ctx context.Context, req llm.Request) (llm.Response, error) {
	if err := m.Budget.allow(CountTokens(req)); err != nil {
		return llm.Response{}, err
	}
	resp, err := m.Inner.Complete(ctx, req)
	model := req.Model
	if model == "" {
		model = m.Model
	}
	m.Budget.spend(model, resp.Usage) // a failed call still counts against max-model-calls
	if err != nil {
		return resp, fmt.Errorf("model call: %w", err)
	}
	return resp, nil
}
