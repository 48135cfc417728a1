package ask

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/llm"
)

// Model is what a caller needs from a language model.
type Model interface {
	Complete(ctx context.Context, req llm.Request) (llm.Response, error)
}

var _ Model = (*llm.Client)(nil)

// ErrUnusable means the model's answer could not be used, even after one
// corrective retry.
var ErrUnusable = errors.New("unusable answer")

// Ask sends req and parses the answer with parse. An answer that is cut,
// refused or rejected by parse gets one corrective retry that tells the
// model what was wrong; a second failure is ErrUnusable. Other errors (the
// server, the budget) are returned as they are.
func Ask[T any](ctx context.Context, m Model, req llm.Request, parse func(string) (T, error)) (T, error) {
	return AskN(ctx, m, req, parse, 2)
}

// AskN is Ask with a number of attempts, at least 1: each failed one but
// the last gets a corrective message, and the last failure is ErrUnusable.
// AskN with one attempt sends req once and never corrects.
func AskN[T any](ctx context.Context, m Model, req llm.Request, parse func(string) (T, error), attempts int) (T, error) {
	var zero T
	var problem error
	for attempt := range attempts {
		resp, err := m.Complete(ctx, req)
		if err != nil && !errors.Is(err, llm.ErrLength) && !errors.Is(err, llm.ErrRefusal) {
			return zero, err
		}
		if err == nil {
			var v T
			if v, err = parse(resp.Content); err == nil {
				return v, nil
			}
		}
		problem = err
		if attempt < attempts-1 {
			req.Messages = append(req.Messages,
				llm.Message{Role: llm.RoleAssistant, Content: resp.Content},
				llm.Message{Role: llm.RoleUser, Content: "Your answer could not be used: " + err.Error() + "\nAnswer again, only with JSON matching the schema."})
		}
	}
	return zero, fmt.Errorf("%w: %v", ErrUnusable, problem)
}

// Decode reads content, a model's answer, into v strictly: content must be
// JSON of v's shape, with no field v does not have. The error is the
// decoder's, for the caller to wrap with what it expected.
func Decode(content string, v any) error {
	dec := json.NewDecoder(strings.NewReader(content))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
