package agent

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/ask"
	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/llm"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// ErrNoPatch means the model gave no usable answer, even after being told
// what was wrong with its first one, or made a second malformed tool call.
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

// ToolMode says whether the fixer lets the model call read-only tools.
type ToolMode string

// The tool modes. The zero value is ToolsAuto.
const (
	// ToolsAuto uses the tools when Fixer.Workspace is set and falls back
	// to the tool-free mode when the server answers llm.ErrNoToolSupport.
	ToolsAuto ToolMode = "auto"
	// ToolsOn requires the tools: a server without them is an error.
	ToolsOn ToolMode = "on"
	// ToolsOff never declares tools.
	ToolsOff ToolMode = "off"
)

// Defaults of the Fixer's zero fields.
const (
	DefaultMaxSteps      = 8
	DefaultContextTokens = 16000
	defaultAnswerTokens  = 4096
)

// Fixer asks a model for a diagnosis and a fix. Without tools it sends one
// structured call over a planned context (with one corrective retry); with
// tools it runs a read-only tool loop over Workspace and ends with the same
// structured answer. Both modes share the prompts and the validation.
type Fixer struct {
	Model ask.Model
	// MinConfidence is the diagnosis confidence needed; zero means 0.5.
	MinConfidence float64
	// MaxTokens caps each answer; zero means 4096.
	MaxTokens int
	// Rand makes the data fences; nil means crypto/rand.
	Rand io.Reader
	// Workspace is the checkout the tools and the planned context read;
	// nil means tool-free, with only what FixInput carries.
	Workspace *workspace.Workspace
	// Tools is the tool mode; zero means ToolsAuto.
	Tools ToolMode
	// MaxSteps caps the model calls of the tool loop before the final
	// answer is demanded; zero means DefaultMaxSteps.
	MaxSteps int
	// ContextTokens caps the tool-free prompt, counted with the offline
	// tokenizer; lower-priority parts are dropped to fit. Zero means
	// DefaultContextTokens.
	ContextTokens int
}

// Fix returns a validated answer. It returns ErrNoPatch, ErrNoConfidentCause
// (with the answer, for the report) or ask.ErrBudget (also when ctx's deadline,
// the stage's wall-time budget, passes) for outcomes, and other errors when
// the model could not be reached.
func (f *Fixer) Fix(ctx context.Context, in FixInput) (*Answer, error) {
	mode, err := f.mode()
	if err != nil {
		return nil, err
	}
	var a *Answer
	switch {
	case mode == ToolsOff || (mode == ToolsAuto && f.Workspace == nil):
		a, err = f.toolFree(ctx, in)
	default:
		a, err = f.withTools(ctx, in)
		if mode == ToolsAuto && errors.Is(err, llm.ErrNoToolSupport) {
			a, err = f.toolFree(ctx, in)
		}
	}
	return f.accept(ctx, a, err)
}

// mode checks the tool settings.
func (f *Fixer) mode() (ToolMode, error) {
	switch f.Tools {
	case "", ToolsAuto:
		return ToolsAuto, nil
	case ToolsOff:
		return ToolsOff, nil
	case ToolsOn:
		if f.Workspace == nil {
			return "", errors.New("fixer: tools on needs a workspace")
		}
		return ToolsOn, nil
	}
	return "", fmt.Errorf("fixer: tools %q: want auto, on or off", f.Tools)
}

// accept turns a mode's result into Fix's: outcomes as sentinels, and the
// confidence check.
func (f *Fixer) accept(ctx context.Context, a *Answer, err error) (*Answer, error) {
	switch {
	case errors.Is(err, ask.ErrUnusable):
		return nil, fmt.Errorf("%w: %v", ErrNoPatch, err)
	case err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return nil, fmt.Errorf("%w: wall time: %v", ask.ErrBudget, err)
	case err != nil:
		return nil, err
	}
	if a.Diagnosis.Confidence < orDefaultFloat(f.MinConfidence, 0.5) {
		return a, fmt.Errorf("%w: confidence %.2f: %s", ErrNoConfidentCause, a.Diagnosis.Confidence, a.Diagnosis.RootCause)
	}
	return a, nil
}

// toolFree asks once, with the schema, over the planned context.
func (f *Fixer) toolFree(ctx context.Context, in FixInput) (*Answer, error) {
	data := f.fixData(in, false)
	if f.Workspace != nil && in.Location != nil {
		if data.Caller == nil {
			data.Caller = f.foundCaller(ctx, in.Location.Crash)
			data.CallerFound = data.Caller != nil
		}
		data.History = f.histories(ctx, in.Location.Crash, data.Caller)
	}
	data, err := f.fence(data)
	if err != nil {
		return nil, err
	}
	msgs, err := f.packed(data)
	if err != nil {
		return nil, err
	}
	req := llm.Request{Messages: msgs, Schema: fixSchema(), MaxTokens: orDefault(f.MaxTokens, defaultAnswerTokens)}
	return ask.Ask(ctx, f.Model, req, parseAnswer)
}

func fixSchema() *llm.Schema { return &llm.Schema{Name: "dawnpatch_fix", Schema: answerSchema()} }

// fence gives data a new fence that none of its texts contains. The
// prompts name it and quote data inside it; the tool loop fences its
// results with the same value.
func (f *Fixer) fence(data fixData) (fixData, error) {
	fence, err := ask.NewFence(f.Rand, data.texts()...)
	if err != nil {
		return data, err
	}
	data.Fence = fence
	return data, nil
}

// messages renders the system and user prompts of data, fenced with
// data.Fence.
func (f *Fixer) messages(data fixData) ([]llm.Message, error) {
	sys, err := render("system.md", data)
	if err != nil {
		return nil, err
	}
	user, err := render("fix.md", data)
	if err != nil {
		return nil, err
	}
	return []llm.Message{{Role: llm.RoleSystem, Content: sys}, {Role: llm.RoleUser, Content: user}}, nil
}

// fixData is what the fix prompt is rendered from.
type fixData struct {
	// Fence quotes every text of the event and the repository as data.
	Fence                                                 ask.Fence
	Module, Type, Message, Environment, Release, Feedback string
	Frames                                                []string
	Crash                                                 workspace.Snippet
	Caller                                                *workspace.Snippet
	Tests                                                 []TestFile
	// History is the recent history of the crash and caller lines.
	History []historyBlock
	// CallerFound says Caller was found by search, not on the stack.
	CallerFound bool
	// Tools selects the tool loop's wording; TestNames then replace Tests.
	Tools     bool
	TestNames []string
}

// fixData collects what the prompt shows of in.
func (f *Fixer) fixData(in FixInput, tools bool) fixData {
	data := fixData{Module: in.Module, Feedback: in.Feedback, Tests: in.Tests, Tools: tools}
	if inc := in.Incident; inc != nil {
		data.Type, data.Message, data.Environment, data.Release = inc.Type, inc.Message, inc.Environment, inc.Release
		for _, fr := range inc.Frames {
			data.Frames = append(data.Frames, frameLine(fr))
		}
	}
	if in.Location != nil {
		data.Crash, data.Caller = in.Location.Crash, in.Location.Caller
		data.TestNames = in.Location.Tests
	}
	return data
}

func (d fixData) texts() []string {
	t := []string{d.Type, d.Message, d.Environment, d.Release, d.Feedback, d.Crash.Text, strings.Join(d.Frames, "\n")}
	if d.Caller != nil {
		t = append(t, d.Caller.Text)
	}
	for _, f := range d.Tests {
		t = append(t, f.Text)
	}
	for _, h := range d.History {
		t = append(t, h.Text)
	}
	return append(t, d.TestNames...)
}

func frameLine(f incident.Frame) string {
	app := ""
	if f.InApp {
		app = " [in app]"
	}
	return fmt.Sprintf("%s:%d %s%s", f.File, f.Line, f.Function, app)
}

func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func orDefaultFloat(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}
