package app

import (
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
	"github.com/dawnpatch/dawnpatch/internal/pipeline"
)

// noticeLines returns the ::notice lines a step printed.
func noticeLines(stdout string) []string {
	var out []string
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "::notice") {
			out = append(out, line)
		}
	}
	return out
}

func TestActionSkipPrintsOneNotice(t *testing.T) {
	s := newScenario(t, []llmfake.Turn{})
	s.editEvent(t, func(ev map[string]any) {
		for _, f := range ev["exception"].([]any)[0].(map[string]any)["stacktrace"].(map[string]any)["frames"].([]any) {
			f.(map[string]any)["in_app"] = false
		}
	})
	code, stdout, stderr := s.run(t, s.r)
	if code != 0 || s.r.Outputs(t)["reason"] != string(pipeline.ReasonNoInAppCode) {
		t.Fatalf("exit %d, outputs %v\n%s", code, s.r.Outputs(t), stderr)
	}
	notices := noticeLines(stdout)
	if len(notices) != 1 {
		t.Fatalf("%d notices, want 1:\n%s", len(notices), stdout)
	}
	const head = "::notice title=dawnpatch%3A skipped (no-in-app-code)::"
	if !strings.HasPrefix(notices[0], head) || !strings.Contains(notices[0], pipeline.Reasons[pipeline.ReasonNoInAppCode].Words) {
		t.Errorf("notice = %q, want %q followed by the reason's words and detail", notices[0], head)
	}
}

func TestActionOpenedPRPrintsNoNotice(t *testing.T) {
	s := newScenario(t, withGate(t, turns(t, "model.json", nil)))
	code, stdout, stderr := s.run(t, s.r)
	if code != 0 || s.r.Outputs(t)["reason"] != string(pipeline.ReasonPROpened) {
		t.Fatalf("exit %d, outputs %v\n%s", code, s.r.Outputs(t), stderr)
	}
	if n := noticeLines(stdout); len(n) != 0 {
		t.Errorf("an opened pull request printed notices: %q", n)
	}
}
