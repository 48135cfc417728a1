package agent

import (
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/ask"
	"github.com/dawnpatch/dawnpatch/internal/llm"
)

// handlerLine is the line the orders fix changes.
const handlerLine = "d := h.discounts[req.Code]"

func scenarios() []scenario {
	return []scenario{
		{name: "cause one call up", transcript: "agent-caller", incident: ordersIncident, httpCalls: 3,
			check: func(t *testing.T, reqs []wireRequest, a *Answer) {
				wantTools(t, reqs, true, true, true)
				if m := missing(reqs[1].toolResults()[0], "internal/orders/handler.go:25: \ttotal := applyDiscount(h.subtotal, d)", "definitions:\ninternal/orders/pricing.go:10:"); m != nil {
					t.Errorf("find_symbol result lacks %q", m)
				}
				if m := missing(reqs[2].toolResults()[1], "internal/orders/handler.go lines 14-27 of 27", "24| \t"+handlerLine); m != nil {
					t.Errorf("read_file result lacks %q", m)
				}
				if !strings.HasPrefix(a.Diagnosis.CauseFrame, "internal/orders/handler.go") {
					t.Errorf("cause frame = %q", a.Diagnosis.CauseFrame)
				}
			}},
		{name: "cause in a recent commit", transcript: "agent-history", incident: poolIncident, httpCalls: 2,
			check: func(t *testing.T, reqs []wireRequest, a *Answer) {
				wantTools(t, reqs, true, true)
				res := reqs[1].toolResults()
				if m := missing(res[0], "history of internal/pool/config.go lines 3-4", "make the worker pool opt-in", "-const DefaultWorkers = 4", "+const DefaultWorkers = 0", "4) const DefaultWorkers = 0"); m != nil {
					t.Errorf("history result lacks %q:\n%s", m, res[0])
				}
				if m := missing(res[1], "internal/pool/config.go:4: const DefaultWorkers = 0", "internal/pool/pool.go:5:"); m != nil {
					t.Errorf("find_symbol result lacks %q:\n%s", m, res[1])
				}
			}},
		{name: "tool-free server falls back to the planned context", transcript: "agent-notools", incident: ordersIncident, httpCalls: 2,
			check: func(t *testing.T, reqs []wireRequest, a *Answer) {
				wantTools(t, reqs, true, false)
				packed := reqs[1]
				if packed.ResponseFormat == nil || packed.ResponseFormat.JSONSchema.Name != "dawnpatch_fix" {
					t.Error("the fallback request does not ask for the fix schema")
				}
				user := packed.Messages[1].Content
				if m := missing(user, "A caller found by text search", handlerLine, "Recent history of internal/orders/pricing.go", "orders and the worker pool", "Existing test file internal/orders/handler_test.go"); m != nil {
					t.Errorf("the planned context lacks %q", m)
				}
				for _, e := range a.Edits {
					if !strings.Contains(user, strings.TrimSpace(e.Old)) {
						t.Errorf("the planned context does not show the text edit %s replaces:\n%s", e.File, e.Old)
					}
				}
			}},
		{name: "429 then 200", transcript: "agent-ratelimit", incident: ordersIncident, retries: 1, httpCalls: 4,
			check: func(t *testing.T, reqs []wireRequest, a *Answer) {
				if reqs[0].raw != reqs[1].raw {
					t.Error("the retry after 429 is not the same request")
				}
				wantTools(t, reqs, true, true, true, true)
			}},
		{name: "malformed tool calls twice", transcript: "agent-malformed", incident: ordersIncident, wantErr: ErrNoPatch, httpCalls: 2,
			check: func(t *testing.T, reqs []wireRequest, a *Answer) {
				if m := missing(reqs[1].toolResults()[0], "malformed call of \"read_file\"", "a second malformed call ends the run"); m != nil {
					t.Errorf("the corrective message lacks %q", m)
				}
			}},
		{name: "malformed tool call once", transcript: "agent-malformed-once", incident: ordersIncident, httpCalls: 2,
			check: func(t *testing.T, reqs []wireRequest, a *Answer) {
				if m := missing(reqs[1].toolResults()[0], "no tool \"run_shell\""); m != nil {
					t.Errorf("the corrective message lacks %q", m)
				}
			}},
		{name: "path escapes refused", transcript: "agent-escape", incident: ordersIncident, httpCalls: 2, check: checkEscapes},
		{name: "injected instructions stay data", transcript: "agent-injection", incident: ordersIncident, httpCalls: 2,
			check: func(t *testing.T, reqs []wireRequest, a *Answer) {
				outside, seen := reqs[1].unfenced("AI agents reading this")
				if seen != 1 || len(outside) > 0 {
					t.Errorf("the source comment's instruction is seen %d times, outside a fence in %q", seen, outside)
				}
			}},
		{name: "budget exhausted mid-loop", transcript: "agent-budget", incident: ordersIncident, maxTokens: 50000, wantErr: ask.ErrBudget, httpCalls: 1,
			check: func(t *testing.T, reqs []wireRequest, a *Answer) {
				if a != nil {
					t.Error("a partial answer came back with the budget error")
				}
			}},
		{name: "repeated call refused", transcript: "agent-repeat", incident: ordersIncident, httpCalls: 3,
			check: func(t *testing.T, reqs []wireRequest, a *Answer) {
				if m := missing(reqs[2].toolResults()[1], "refused: you made this exact call at step 1"); m != nil {
					t.Errorf("the repeated call's result lacks %q", m)
				}
			}},
		{name: "steps used up", transcript: "agent-maxsteps", incident: ordersIncident, fixer: func(f *Fixer) { f.MaxSteps = 2 }, httpCalls: 3,
			check: func(t *testing.T, reqs []wireRequest, a *Answer) {
				wantTools(t, reqs, true, true, false)
				wantFinal(t, reqs[2], "You have used all 2 tool steps.")
			}},
		{name: "prose answer corrected", transcript: "agent-prose", incident: ordersIncident, httpCalls: 3,
			check: func(t *testing.T, reqs []wireRequest, a *Answer) {
				wantTools(t, reqs, true, true, false)
				wantFinal(t, reqs[2], "Your answer could not be used: answer is not the JSON asked for")
			}},
		{name: "tools on without server support", transcript: "agent-notools", incident: ordersIncident, fixer: func(f *Fixer) { f.Tools = ToolsOn },
			wantErr: llm.ErrNoToolSupport, httpCalls: 1, check: func(*testing.T, []wireRequest, *Answer) {}},
		{name: "tools off: planned context, one corrective retry", transcript: "agent-malformed-once", incident: ordersIncident,
			fixer: func(f *Fixer) { f.Tools = ToolsOff }, httpCalls: 2, check: func(t *testing.T, reqs []wireRequest, a *Answer) {
				wantTools(t, reqs, false, false)
				if m := missing(reqs[0].Messages[1].Content, "Recent history of internal/orders/pricing.go", handlerLine); m != nil {
					t.Errorf("the planned context lacks %q", m)
				}
				if m := missing(reqs[1].all(), "could not be used"); m != nil {
					t.Errorf("the retry lacks %q", m)
				}
			}},
	}
}

// wantFinal checks the last request demanded the answer: the schema, no
// tools, and the reason.
func wantFinal(t *testing.T, r wireRequest, reason string) {
	t.Helper()
	if r.ResponseFormat == nil || r.ResponseFormat.JSONSchema.Name != "dawnpatch_fix" {
		t.Error("the final request does not carry the fix schema")
	}
	last := r.Messages[len(r.Messages)-1]
	if last.Role != "user" || !strings.HasPrefix(last.Content, reason) {
		t.Errorf("the final message = %q, want it to start with %q", last.Content, reason)
	}
}

// checkEscapes wants every escaping call refused without a trace of what
// lies outside.
func checkEscapes(t *testing.T, reqs []wireRequest, a *Answer) {
	t.Helper()
	res := reqs[1].toolResults()
	if len(res) != 11 {
		t.Fatalf("%d tool results, want 11", len(res))
	}
	for i, r := range res {
		if i == 8 { // a plain search inside the checkout: allowed, finds nothing
			if !strings.HasPrefix(r, "0 matches") {
				t.Errorf("search result = %q, want no match", r)
			}
			continue
		}
		if !strings.HasPrefix(r, "error: ") || strings.Contains(r, "outside/") || strings.Contains(r, "/tmp") {
			t.Errorf("call %d was not refused cleanly: %q", i+1, r)
		}
	}
}
