package agent

import "github.com/dawnpatch/dawnpatch/internal/ask"

// The model interface, the budget and the errors of model calls live in package ask, which
// the fixer, the judge and the gate share. These names stay for the
// pipeline, which still spells them agent.X; new code names package ask.
type (
	// Model is ask.Model.
	Model = ask.Model
	// Budget is ask.Budget.
	Budget = ask.Budget
	// Price is ask.Price.
	Price = ask.Price
	// Metered is ask.Metered.
	Metered = ask.Metered
)

// The errors of package ask that the pipeline branches on.
var (
	// ErrBudget is ask.ErrBudget.
	ErrBudget = ask.ErrBudget
	// ErrUnusable is ask.ErrUnusable.
	ErrUnusable = ask.ErrUnusable
)
