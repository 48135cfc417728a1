package pipeline

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/config"
	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/llm"
	"github.com/dawnpatch/dawnpatch/internal/llm/llmfake"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi/sentryfake"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
	"github.com/google/go-cmp/cmp"
)

// pollWorld is a scheduled run of the world's repository: Sentry lists
// seeds in project "app", each with the demo's event (so each is the same
// error class), and the model answers as turns say.
func pollWorld(t *testing.T, turns []llmfake.Turn, seeds ...sentryfake.IssueSeed) *world {
	t.Helper()
	w := newWorld(t, turns...)
	w.sentry.SetClock(func() time.Time { return worldNow })
	event, err := os.ReadFile(filepath.Join(demoDir, "event-api.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, seed := range seeds {
		seed.Title = "runtime.errorString: runtime error: invalid memory address or nil pointer dereference"
		seed.Level, seed.Status, seed.UserCount = "fatal", "unresolved", 5
		seed.FirstSeen, seed.LastSeen = worldNow.Add(-2*time.Hour), worldNow
		if _, err := w.sentry.AddIssue(seed); err != nil {
			t.Fatal(err)
		}
		if err := w.sentry.AddEvent(seed.ID, event); err != nil {
			t.Fatal(err)
		}
	}
	w.settings.Inputs.SentryProjects = []string{"app"}
	w.trigger = Trigger{EventName: "schedule"}
	return w
}

// poll polls the world's Sentry once, with the world's dependencies as
// edit changes them.
func (w *world) poll(ctx context.Context, edit func(*Deps)) (*PollResult, error) {
	w.t.Helper()
	var urls []string
	for _, h := range []http.Handler{w.gh, w.llm, w.sentry} {
		srv := httptest.NewServer(h)
		w.t.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}
	gh, err := ghwork.New(nil, urls[0], "token", "acme/shop")
	if err != nil {
		w.t.Fatal(err)
	}
	model, err := llm.New(llm.Options{BaseURL: urls[1] + "/v1", APIKey: "k", Model: "m"})
	if err != nil {
		w.t.Fatal(err)
	}
	sc, err := sentryapi.New(nil, urls[2], "sentry-token", "acme")
	if err != nil {
		w.t.Fatal(err)
	}
	ws, err := workspace.Open(w.checkout)
	if err != nil {
		w.t.Fatal(err)
	}
	d := Deps{GitHub: gh, Sentry: sc, Model: model, Workspace: ws, Tests: w,
		PRBody: testBody, Now: w.clock}
	if edit != nil {
		edit(&d)
	}
	return Poll(ctx, d, w.settings)
}

// gateSays is the demo's gate answer with another verdict.
func gateSays(t *testing.T, verdict string) llmfake.Turn {
	t.Helper()
	return editJSON(t, demoTurns(t)[0], func(m map[string]any) { m["verdict"] = verdict; m["confidence"] = 0.95 })
}

// modelFunc is an ask.Model answering with a function.
type modelFunc func(ctx context.Context, req llm.Request) (llm.Response, error)

// Complete calls f.
func (f modelFunc) Complete(ctx context.Context, req llm.Request) (llm.Response, error) {
	return f(ctx, req)
}

// row is what a poll's summary table shows of one decision.
type row struct {
	Issue  string
	Reason Reason
	Failed bool
}

func rows(p *PollResult) []row {
	var out []row
	for _, d := range p.Decisions {
		out = append(out, row{d.ShortID, d.Reason, d.Err != nil})
	}
	return out
}

// TestPollKeepsEveryDecisionWhenAWorkedIssueFails: a run that fails on one
// issue leaves the decisions about all the others, and the issues after it
// are still worked on.
func TestPollKeepsEveryDecisionWhenAWorkedIssueFails(t *testing.T) {
	down := llmfake.Turn{Status: 500, Error: "the model is down"}
	seeds := []sentryfake.IssueSeed{
		{ID: "1", ShortID: "SHOP-A", Count: 300},
		{ID: "2", ShortID: "SHOP-B", Count: 200, AssignedTo: &sentryfake.Assignee{Type: "user", ID: "1", Name: "jane"}},
		{ID: "3", ShortID: "SHOP-C", Count: 100},
	}
	tests := []struct {
		name    string
		limit   int
		turns   []llmfake.Turn
		cancel  bool // the job's time runs out at the first model call
		want    []row
		detail  map[string]string // a failed issue's detail holds this
		errs    []string          // the poll's error names these issues
		outcome Reason            // of the poll, for the outputs
	}{
		{name: "the only worked issue fails", limit: 1, turns: []llmfake.Turn{down},
			want:   []row{{"SHOP-A", "", true}, {"SHOP-B", ReasonAssignedToHuman, false}, {"SHOP-C", ReasonQueued, false}},
			detail: map[string]string{"SHOP-A": "the model is down"}, errs: []string{"SHOP-A"}},
		{name: "the next issue is still worked on", limit: 2, turns: []llmfake.Turn{down, gateSays(t, "expected")},
			want:   []row{{"SHOP-A", "", true}, {"SHOP-B", ReasonAssignedToHuman, false}, {"SHOP-C", ReasonNotWorthFixing, false}},
			detail: map[string]string{"SHOP-A": "the model is down"}, errs: []string{"SHOP-A"}, outcome: ReasonNotWorthFixing},
		{name: "after the time ran out none is worked on", limit: 2, turns: []llmfake.Turn{down}, cancel: true,
			want:   []row{{"SHOP-A", "", true}, {"SHOP-B", ReasonAssignedToHuman, false}, {"SHOP-C", "", true}},
			detail: map[string]string{"SHOP-C": "not worked on: the job's time ran out"}, errs: []string{"SHOP-A", "SHOP-C"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := pollWorld(t, tt.turns, seeds...)
			w.settings.Inputs.PollLimit = tt.limit
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			var edit func(*Deps)
			if tt.cancel {
				edit = func(d *Deps) {
					model := d.Model
					d.Model = modelFunc(func(ctx context.Context, req llm.Request) (llm.Response, error) {
						defer cancel(errors.New("the job's time ran out"))
						return model.Complete(ctx, req)
					})
				}
			}
			p, err := w.poll(ctx, edit)
			if p == nil {
				t.Fatalf("Poll() = nil, %v; want the decisions", err)
			}
			if diff := cmp.Diff(tt.want, rows(p)); diff != "" {
				t.Errorf("decisions (-want +got):\n%s", diff)
			}
			for _, d := range p.Decisions {
				if want, ok := tt.detail[d.ShortID]; ok && !strings.Contains(d.Detail, want) {
					t.Errorf("%s: detail %q lacks %q", d.ShortID, d.Detail, want)
				}
			}
			if err == nil {
				t.Fatal("Poll() returned no error; a worked issue failed")
			}
			for _, d := range p.Decisions {
				named := strings.Contains(err.Error(), "work on Sentry issue "+d.ShortID+": ")
				if want := slices.Contains(tt.errs, d.ShortID); named != want {
					t.Errorf("the error names %s: %v, want %v\n%v", d.ShortID, named, want, err)
				}
			}
			if _, out := p.Outcome(); out.Reason != tt.outcome {
				t.Errorf("outcome reason = %q, want %q", out.Reason, tt.outcome)
			}
			if p.SentryCalls == 0 || p.GitHubCalls == 0 {
				t.Errorf("calls not counted: %d Sentry, %d GitHub", p.SentryCalls, p.GitHubCalls)
			}
		})
	}
}

// TestPollWithoutProjectsListsNothing: without sentry-projects Sentry
// would list every project the token can see, so the poll asks nothing.
func TestPollWithoutProjectsListsNothing(t *testing.T) {
	w := pollWorld(t, nil, sentryfake.IssueSeed{ID: "1", ShortID: "SHOP-A", Count: 300, ProjectSlug: "other"})
	w.settings.Inputs.SentryProjects = nil
	p, err := w.poll(context.Background(), nil)
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Field != "sentry-projects" {
		t.Fatalf("Poll() = %v, want a *config.Error naming sentry-projects", err)
	}
	if p != nil {
		t.Errorf("Poll() = %+v, want no result", p)
	}
	if got := w.sentry.Calls() + w.gh.Calls() + w.llm.Calls(); got != 0 {
		t.Errorf("%d calls (%d Sentry), want none", got, w.sentry.Calls())
	}
}
