package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/pipeline"
)

func TestPollSummaryOfAFailedIssue(t *testing.T) {
	down := errors.New("model call: llm api: status 500: the model is down")
	failed := pipeline.Decision{IssueID: "1", ShortID: "SHOP-A", Title: "boom", Count: 300, Users: 5, Detail: down.Error(),
		Err: errors.New("work on Sentry issue SHOP-A: " + down.Error())}
	assigned := pipeline.Decision{IssueID: "2", ShortID: "SHOP-B", Title: "bang", Count: 200, Users: 1,
		Reason: pipeline.ReasonAssignedToHuman, Detail: "assigned to jane"}
	expected := pipeline.Skip(pipeline.ReasonNotWorthFixing, "expected behaviour")
	worked := pipeline.Decision{IssueID: "3", ShortID: "SHOP-C", Title: "bump", Count: 100, Users: 1, Reason: expected.Reason, Detail: expected.Detail}
	tests := []struct {
		name string
		res  *pipeline.Result
		want []string
	}{
		{name: "no run ended", res: &pipeline.Result{Poll: &pipeline.PollResult{Decisions: []pipeline.Decision{failed, assigned}}},
			want: []string{"## dawnpatch: scheduled run, failed\n", "2 Sentry issues considered, 1 worked on.",
				"**Working on `SHOP-A` failed**", "| `SHOP-A` `boom` | 300 / 5 | **failed** | `model call: llm api: status 500: the model is down` |",
				"| `SHOP-B` `bang` | 200 / 1 | `assigned-to-human` | `assigned to jane` |", "Decisions by reason: `assigned-to-human` 1."}},
		{name: "the next issue's run ended", res: &pipeline.Result{Outcome: *expected,
			Poll: &pipeline.PollResult{Decisions: []pipeline.Decision{failed, assigned, worked}, Runs: []*pipeline.Result{{Outcome: *expected}}}},
			want: []string{"## dawnpatch: scheduled run, skipped (`not-worth-fixing`)", "3 Sentry issues considered, 2 worked on.", "**Working on `SHOP-A` failed**",
				"| `SHOP-C` `bump` | 100 / 1 | `not-worth-fixing` | `expected behaviour` |", "`assigned-to-human` 1 · `not-worth-fixing` 1."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			md := Summary(tt.res)
			for _, want := range tt.want {
				if !strings.Contains(md, want) {
					t.Errorf("the summary lacks %q:\n%s", want, md)
				}
			}
		})
	}
}
