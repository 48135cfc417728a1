package judge

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/template"

	"github.com/dawnpatch/dawnpatch/internal/ask"
	"github.com/dawnpatch/dawnpatch/internal/llm"
)

// Criteria are the judged criteria with their weights (summing to 1).
var Criteria = []struct {
	Name   string
	Weight float64
}{
	{"root_cause", 0.3},
	{"test_exercises_path", 0.2},
	{"no_invented_requirement", 0.2},
	{"minimal_in_style", 0.15},
	{"error_handling_preserved", 0.15},
}

// Score is one criterion's score with the judge's reason.
type Score struct {
	Criterion string  `json:"criterion"`
	Score     float64 `json:"score"`
	Reason    string  `json:"reason"`
}

// Verdict is the judge's answer.
type Verdict struct {
	Scores  []Score `json:"scores"`
	HardNo  bool    `json:"hard_no"`
	Summary string  `json:"summary"`
}

// Total is the weighted score over the criteria.
func (v *Verdict) Total() float64 {
	total := 0.0
	for _, c := range Criteria {
		for _, s := range v.Scores {
			if s.Criterion == c.Name {
				total += c.Weight * s.Score
			}
		}
	}
	return total
}

// Accepts reports whether the verdict clears threshold with no hard no.
func (v *Verdict) Accepts(threshold float64) bool {
	return !v.HardNo && v.Total() >= threshold
}

// Feedback lists the reasons of the low scores, for the next fix attempt.
func (v *Verdict) Feedback() string {
	var b strings.Builder
	for _, s := range v.Scores {
		if s.Score < 0.7 {
			fmt.Fprintf(&b, "- %s (%.2f): %s\n", s.Criterion, s.Score, s.Reason)
		}
	}
	if v.Summary != "" {
		b.WriteString(v.Summary)
	}
	return b.String()
}

// Input is what the judge sees. Every field is data.
type Input struct {
	Type, Message                                    string
	Frames                                           []string
	CrashFrame, CauseFrame, RootCause, WhyNotSymptom string
	Diff                                             string
	Evidence                                         string
}

// Judge scores fixes with a model.
type Judge struct {
	Model ask.Model
	// ModelName overrides the client's default model (the judge-model input).
	ModelName string
	// Rand makes the data fence; nil means crypto/rand.
	Rand io.Reader
}

// ErrInvalidVerdict means the judge's answer was unusable twice.
var ErrInvalidVerdict = errors.New("invalid verdict")

//go:embed prompts/judge.md
var promptFS embed.FS

var prompt = template.Must(template.ParseFS(promptFS, "prompts/judge.md"))

// Judge returns the model's verdict on a fix, retrying once when the
// answer is not a valid verdict.
func (j *Judge) Judge(ctx context.Context, in Input) (*Verdict, error) {
	text, err := j.render(in)
	if err != nil {
		return nil, err
	}
	req := llm.Request{
		Model:     j.ModelName,
		Messages:  []llm.Message{{Role: "system", Content: "You are a strict code reviewer. Answer only with JSON matching the schema."}, {Role: "user", Content: text}},
		Schema:    &llm.Schema{Name: "dawnpatch_verdict", Schema: verdictSchema()},
		MaxTokens: 1500,
	}
	v, err := ask.Ask(ctx, j.Model, req, parseVerdict)
	if errors.Is(err, ask.ErrUnusable) {
		return nil, fmt.Errorf("%w: %v", ErrInvalidVerdict, err)
	}
	return v, err
}

func (j *Judge) render(in Input) (string, error) {
	fence, err := ask.NewFence(j.Rand, in.texts()...)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	data := struct {
		Input
		Fence ask.Fence
	}{in, fence}
	if err := prompt.Execute(&b, data); err != nil {
		return "", fmt.Errorf("render judge prompt: %w", err)
	}
	return b.String(), nil
}

// texts are the input's texts, which the fence must not occur in.
func (in Input) texts() []string {
	return append([]string{in.Type, in.Message, in.CrashFrame, in.CauseFrame, in.RootCause, in.WhyNotSymptom, in.Diff, in.Evidence}, in.Frames...)
}

func parseVerdict(content string) (*Verdict, error) {
	var v Verdict
	if err := ask.Decode(content, &v); err != nil {
		return nil, fmt.Errorf("verdict is not the JSON asked for: %w", err)
	}
	seen := map[string]bool{}
	for i, s := range v.Scores {
		if s.Score < 0 || s.Score > 1 {
			return nil, fmt.Errorf("scores[%d].score must be between 0 and 1, got %v", i, s.Score)
		}
		seen[s.Criterion] = true
	}
	for _, c := range Criteria {
		if !seen[c.Name] {
			return nil, fmt.Errorf("scores: criterion %s is missing", c.Name)
		}
	}
	return &v, nil
}

// verdictSchema is the JSON schema of Verdict, strict.
func verdictSchema() map[string]any {
	str := ask.Type("string")
	return ask.Object(map[string]any{
		"scores":  ask.Array(ask.Object(map[string]any{"criterion": str, "score": ask.Type("number"), "reason": str})),
		"hard_no": ask.Type("boolean"),
		"summary": str,
	})
}
