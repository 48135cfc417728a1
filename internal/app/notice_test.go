package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
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
	endToEnd(t)
	s := newScenario(t, withGate(t, turns(t, "model.json", nil)))
	code, stdout, stderr := s.run(t, s.r)
	if code != 0 || s.r.Outputs(t)["reason"] != string(pipeline.ReasonPROpened) {
		t.Fatalf("exit %d, outputs %v\n%s", code, s.r.Outputs(t), stderr)
	}
	if n := noticeLines(stdout); len(n) != 0 {
		t.Errorf("an opened pull request printed notices: %q", n)
	}
}

// TestASkipNeverTouchesDocker runs a skip in auto isolation against a
// Docker engine that counts its requests: a run that proves nothing must
// not dial it, sweep containers or make scratch directories. An explicit
// container mode still checks, once, that the engine answers.
func TestASkipNeverTouchesDocker(t *testing.T) {
	for mode, want := range map[string]int{"auto": 0, "container": 1} {
		t.Run(mode, func(t *testing.T) {
			var calls atomic.Int32
			engine := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.Header().Set("Api-Version", "1.41")
				w.Write([]byte("OK"))
			}))
			defer engine.Close()
			s := newScenario(t, []llmfake.Turn{})
			s.r.Env["INPUT_TEST-ISOLATION"] = mode
			s.r.Env["DOCKER_HOST"] = "tcp://" + strings.TrimPrefix(engine.URL, "http://")
			s.editEvent(t, func(ev map[string]any) {
				for _, f := range ev["exception"].([]any)[0].(map[string]any)["stacktrace"].(map[string]any)["frames"].([]any) {
					f.(map[string]any)["in_app"] = false
				}
			})
			code, _, stderr := s.run(t, s.r)
			if code != 0 || s.r.Outputs(t)["reason"] != string(pipeline.ReasonNoInAppCode) {
				t.Fatalf("exit %d, outputs %v\n%s", code, s.r.Outputs(t), stderr)
			}
			if got := int(calls.Load()); got != want {
				t.Errorf("the Docker engine saw %d requests, want %d", got, want)
			}
		})
	}
}
