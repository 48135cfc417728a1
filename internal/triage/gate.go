package triage

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"io"
	"strings"
	"text/template"

	"github.com/dawnpatch/dawnpatch/internal/ask"
	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/llm"
)

// The gate's verdicts.
const (
	VerdictBug            = "bug"
	VerdictExpected       = "expected"
	VerdictNotFixableHere = "not_fixable_here"
)

// GateAnswer is the model gate's decision.
type GateAnswer struct {
	Verdict    string  `json:"verdict"`
	Confidence float64 `json:"confidence"`
	Reason     string  `json:"reason"`
}

// Worth reports whether the answer clears threshold: a bug, said with
// enough confidence.
func (a *GateAnswer) Worth(threshold float64) bool {
	return a.Verdict == VerdictBug && a.Confidence >= threshold
}

// Gate asks a model, in one small call, whether an error is a bug in this
// repository worth fixing now.
type Gate struct {
	Model ask.Model
	// Rand makes the data fence; nil means crypto/rand.
	Rand io.Reader
}

// GateInput is what the gate sees: the incident and the crash site's code.
type GateInput struct {
	Incident *incident.Incident
	File     string
	Code     string
}

//go:embed prompts/gate.md
var promptFS embed.FS

var gatePrompt = template.Must(template.ParseFS(promptFS, "prompts/gate.md"))

// Decide returns the gate's answer; an unusable answer after one
// corrective retry is an error wrapping ask.ErrUnusable.
func (g *Gate) Decide(ctx context.Context, in GateInput) (*GateAnswer, error) {
	text, err := g.render(in)
	if err != nil {
		return nil, err
	}
	req := llm.Request{
		Messages:  []llm.Message{{Role: "system", Content: "You triage production errors. Answer only with JSON matching the schema."}, {Role: "user", Content: text}},
		Schema:    &llm.Schema{Name: "dawnpatch_triage", Schema: gateSchema()},
		MaxTokens: 400,
	}
	return ask.Ask(ctx, g.Model, req, parseGate)
}

func (g *Gate) render(in GateInput) (string, error) {
	data := struct {
		Fence                     ask.Fence
		Type, Message, File, Code string
		Frames                    []string
	}{Type: in.Incident.Type, Message: in.Incident.Message, File: in.File, Code: in.Code}
	for _, f := range in.Incident.Frames {
		data.Frames = append(data.Frames, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Function))
	}
	fence, err := ask.NewFence(g.Rand, data.Type, data.Message, data.Code, strings.Join(data.Frames, "\n"))
	if err != nil {
		return "", err
	}
	data.Fence = fence
	var b bytes.Buffer
	if err := gatePrompt.Execute(&b, data); err != nil {
		return "", fmt.Errorf("render triage prompt: %w", err)
	}
	return b.String(), nil
}

func parseGate(content string) (*GateAnswer, error) {
	var a GateAnswer
	if err := ask.Decode(content, &a); err != nil {
		return nil, fmt.Errorf("answer is not the JSON asked for: %w", err)
	}
	switch a.Verdict {
	case VerdictBug, VerdictExpected, VerdictNotFixableHere:
	default:
		return nil, fmt.Errorf("verdict must be bug, expected or not_fixable_here, got %q", a.Verdict)
	}
	if a.Confidence < 0 || a.Confidence > 1 {
		return nil, fmt.Errorf("confidence must be between 0 and 1, got %v", a.Confidence)
	}
	return &a, nil
}

// gateSchema is the JSON schema of GateAnswer, strict.
func gateSchema() map[string]any {
	return ask.Object(map[string]any{
		"verdict":    ask.Enum(VerdictBug, VerdictExpected, VerdictNotFixableHere),
		"confidence": ask.Type("number"),
		"reason":     ask.Type("string"),
	})
}
