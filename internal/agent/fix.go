package agent

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/llm"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// ErrNoPatch means the model gave no usable answer, even after being told
// what was wrong with its first one.
var ErrNoPatch = errors.New("no valid patch")

// ErrNoConfidentCause means the model's diagnosis was below the confidence
// the run needs.
var ErrNoConfidentCause = errors.New("no confident cause")

// TestFile is an existing test file shown to the model as an example of
// the repository's tests.
type TestFile struct {
	File  string
	Text  string
	Lines int
	Cut   bool
}

// FixInput is what the fixer sees.
type FixInput struct {
	Incident *incident.Incident
	Location *workspace.Location
	Module   string
	Tests    []TestFile
	// Feedback is the judge's reasons for rejecting the previous attempt.
	Feedback string
}

// Fixer asks a model for a diagnosis and a fix in one structured call,
// with one corrective retry.
type Fixer struct {
	Model Model
	// MinConfidence is the diagnosis confidence needed; zero means 0.5.
	MinConfidence float64
	// MaxTokens caps the answer; zero means 4096.
	MaxTokens int
	// Rand makes the data fences; nil means crypto/rand.
	Rand io.Reader
}

// Fix returns a validated answer. It returns ErrNoPatch, ErrNoConfidentCause
// (with the answer, for the report) or ErrBudget for outcomes, and other
// errors when the model could not be reached.
func (f *Fixer) Fix(ctx context.Context, in FixInput) (*Answer, error) {
	msgs, err := f.messages(in)
	if err != nil {
		return nil, err
	}
	req := llm.Request{Messages: msgs, Schema: &llm.Schema{Name: "dawnpatch_fix", Schema: answerSchema()}, MaxTokens: cmp(f.MaxTokens, 4096)}
	a, err := Ask(ctx, f.Model, req, parseAnswer)
	if errors.Is(err, ErrUnusable) {
		return nil, fmt.Errorf("%w: %v", ErrNoPatch, err)
	}
	if err != nil {
		return nil, err
	}
	if a.Diagnosis.Confidence < cmpFloat(f.MinConfidence, 0.5) {
		return a, fmt.Errorf("%w: confidence %.2f: %s", ErrNoConfidentCause, a.Diagnosis.Confidence, a.Diagnosis.RootCause)
	}
	return a, nil
}

func (f *Fixer) messages(in FixInput) ([]llm.Message, error) {
	data := fixData{Module: in.Module, Feedback: in.Feedback, Tests: in.Tests}
	if inc := in.Incident; inc != nil {
		data.Type, data.Message, data.Environment, data.Release = inc.Type, inc.Message, inc.Environment, inc.Release
		for _, fr := range inc.Frames {
			data.Frames = append(data.Frames, frameLine(fr))
		}
	}
	if in.Location != nil {
		data.Crash, data.Caller = in.Location.Crash, in.Location.Caller
	}
	fence, err := NewFence(f.Rand, data.texts()...)
	if err != nil {
		return nil, err
	}
	data.Fence = fence
	sys, err := render("system.md", data)
	if err != nil {
		return nil, err
	}
	user, err := render("fix.md", data)
	if err != nil {
		return nil, err
	}
	return []llm.Message{{Role: "system", Content: sys}, {Role: "user", Content: user}}, nil
}

// fixData is what the fix prompt is rendered from.
type fixData struct {
	Fence, Module, Type, Message, Environment, Release, Feedback string
	Frames                                                       []string
	Crash                                                        workspace.Snippet
	Caller                                                       *workspace.Snippet
	Tests                                                        []TestFile
}

func (d fixData) texts() []string {
	t := []string{d.Type, d.Message, d.Environment, d.Release, d.Feedback, d.Crash.Text, strings.Join(d.Frames, "\n")}
	if d.Caller != nil {
		t = append(t, d.Caller.Text)
	}
	for _, f := range d.Tests {
		t = append(t, f.Text)
	}
	return t
}

func frameLine(f incident.Frame) string {
	app := ""
	if f.InApp {
		app = " [in app]"
	}
	return fmt.Sprintf("%s:%d %s%s", f.File, f.Line, f.Function, app)
}

func cmp(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func cmpFloat(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}
