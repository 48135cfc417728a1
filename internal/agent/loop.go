package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/ask"
	"github.com/dawnpatch/dawnpatch/internal/llm"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// The tool loop. Each loop request declares the tools and no response
// format; the model reads what it needs and, when it knows the cause,
// answers with the fix JSON as plain content, which is validated like any
// structured answer. If it answers with anything else (prose, a cut or
// refused answer), or uses up MaxSteps, a final request without tools
// carries the strict response schema and final.md, which says why. Every
// tool result goes back as data inside the conversation's random fence.

// session is one run of the tool loop.
type session struct {
	f         *Fixer
	ws        *workspace.Workspace
	fence     ask.Fence
	msgs      []llm.Message
	seen      map[string]int
	malformed bool
}

// withTools runs the tool loop.
func (f *Fixer) withTools(ctx context.Context, in FixInput) (*Answer, error) {
	data, err := f.fence(f.fixData(in, true))
	if err != nil {
		return nil, err
	}
	msgs, err := f.messages(data)
	if err != nil {
		return nil, err
	}
	s := &session{f: f, ws: f.Workspace, fence: data.Fence, msgs: msgs, seen: map[string]int{}}
	steps := orDefault(f.MaxSteps, DefaultMaxSteps)
	for step := 1; step <= steps; step++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("tool loop step %d: %w", step, err)
		}
		req := llm.Request{Messages: s.msgs, Tools: toolDecls(), MaxTokens: orDefault(f.MaxTokens, defaultAnswerTokens)}
		resp, err := f.Model.Complete(ctx, req)
		if err != nil && !errors.Is(err, llm.ErrLength) && !errors.Is(err, llm.ErrRefusal) {
			return nil, err
		}
		if err != nil || len(resp.ToolCalls) == 0 {
			return s.conclude(ctx, resp, err)
		}
		if err := s.answerCalls(ctx, step, resp); err != nil {
			return nil, err
		}
	}
	reason := fmt.Sprintf("You have used all %d tool steps.", steps)
	return s.final(ctx, reason, 2)
}

// conclude takes the model's answer without tool calls: the fix JSON ends
// the loop; anything else gets one final, corrective request.
func (s *session) conclude(ctx context.Context, resp llm.Response, callErr error) (*Answer, error) {
	problem := callErr
	if problem == nil {
		a, err := parseAnswer(unwrapJSON(resp.Content))
		if err == nil {
			return a, nil
		}
		problem = err
	}
	if resp.Content != "" {
		s.msgs = append(s.msgs, llm.Message{Role: llm.RoleAssistant, Content: resp.Content})
	}
	return s.final(ctx, "Your answer could not be used: "+problem.Error(), 1)
}

// final asks for the answer with the strict schema and no tools, allowing
// attempts tries.
func (s *session) final(ctx context.Context, reason string, attempts int) (*Answer, error) {
	text, err := render("final.md", struct{ Reason string }{reason})
	if err != nil {
		return nil, err
	}
	msgs := append(append([]llm.Message{}, s.msgs...), llm.Message{Role: llm.RoleUser, Content: text})
	req := llm.Request{Messages: msgs, Schema: fixSchema(), MaxTokens: orDefault(s.f.MaxTokens, defaultAnswerTokens)}
	return ask.AskN(ctx, s.f.Model, req, parseAnswer, attempts)
}

// unwrapJSON strips a Markdown code fence around an answer.
func unwrapJSON(s string) string {
	t := strings.TrimSpace(s)
	if !strings.HasPrefix(t, "```") || !strings.HasSuffix(t, "```") || len(t) < 6 {
		return s
	}
	t = strings.TrimSuffix(t, "```")
	if i := strings.IndexByte(t, '\n'); i >= 0 {
		return t[i+1:]
	}
	return s
}

// answerCalls runs the tool calls of one assistant turn and appends the
// turn and one tool message per call. The second turn holding a malformed
// call ends the loop with ErrNoPatch.
func (s *session) answerCalls(ctx context.Context, step int, resp llm.Response) error {
	calls := make([]llm.ToolCall, len(resp.ToolCalls))
	for i, tc := range resp.ToolCalls {
		if tc.ID == "" {
			tc.ID = fmt.Sprintf("call_%d_%d", step, i)
		}
		calls[i] = tc
	}
	s.msgs = append(s.msgs, llm.Message{Role: llm.RoleAssistant, Content: resp.Content, ToolCalls: calls})
	var bad error
	for _, tc := range calls {
		content, err := s.call(ctx, step, tc)
		if err != nil {
			if s.malformed {
				return fmt.Errorf("%w: a second malformed tool call: %s: %v", ErrNoPatch, tc.Name, err)
			}
			bad = err
			content = fmt.Sprintf("error: malformed call of %q: %v. Call again with a JSON object matching the declared parameters; a second malformed call ends the run.", tc.Name, err)
		}
		s.msgs = append(s.msgs, llm.Message{Role: llm.RoleTool, ToolCallID: tc.ID, Content: content})
	}
	s.malformed = s.malformed || bad != nil
	return nil
}

// call runs one tool call and renders its result, or returns the reason
// the call is malformed.
func (s *session) call(ctx context.Context, step int, tc llm.ToolCall) (string, error) {
	t, ok := findTool(tc.Name)
	if !ok {
		return "", fmt.Errorf("no tool %q; the tools are read_file, search, list_dir, find_symbol, history and tests_for", tc.Name)
	}
	key, err := callKey(tc)
	if err != nil {
		return "", fmt.Errorf("arguments are not a JSON object: %w", err)
	}
	if first, ok := s.seen[key]; ok {
		return fmt.Sprintf("refused: you made this exact call at step %d; its result is above. Use it, or call something else.", first), nil
	}
	r, err := t.run(ctx, s.ws, []byte(tc.Arguments))
	if err != nil {
		return "", err
	}
	s.seen[key] = step
	return s.render(r), nil
}

// callKey identifies a call by its name and its arguments re-encoded, so
// the same call spelled differently is still the same call.
func callKey(tc llm.ToolCall) (string, error) {
	args := strings.TrimSpace(tc.Arguments)
	if args == "" {
		args = "{}"
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(args), &v); err != nil {
		return "", err
	}
	canon, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return tc.Name + "\x00" + string(canon), nil
}

// render writes a tool result: our header, the data fenced (any copy of
// the fence inside it defused), our notes, all capped.
func (s *session) render(r result) string {
	var b strings.Builder
	b.WriteString(r.Header)
	if r.Data != "" {
		data, cut := cutText(s.fence.Defuse(r.Data), maxResultBytes)
		b.WriteString(" (untrusted data):\n" + s.fence.Wrap(strings.TrimSuffix(data, "\n")))
		if cut {
			r.Notes = append(r.Notes, fmt.Sprintf("[cut: %d more bytes not shown; ask for less]", len(r.Data)-len(data)))
		}
	}
	for _, n := range r.Notes {
		b.WriteString("\n" + n)
	}
	return b.String()
}
