package pipeline

import (
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/testrun"
)

func TestTitleAndArea(t *testing.T) {
	tests := []struct {
		name        string
		inc         incident.Incident
		title, area string
	}{
		{"go package", incident.Incident{Type: "runtime.errorString", Frames: []incident.Frame{
			{File: "internal/orders/pricing.go", Function: "applyDiscount", Module: "example.com/shop/internal/orders", InApp: true}}},
			"fix(orders): runtime.errorString in applyDiscount", "example.com/shop/internal/orders"},
		{"python file at the root, a method", incident.Incident{Type: "KeyError\nmore", Frames: []incident.Frame{
			{File: "app.py", Function: "Cart.total", InApp: true}}},
			"fix: KeyError in total", "."},
		{"no type, main package", incident.Incident{Frames: []incident.Frame{
			{File: "cmd/tool/main.go", Function: "main.run.func1", Module: "main", InApp: true}}},
			"fix(tool): error in func1", "cmd/tool"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := prTitle(&tt.inc); got != tt.title {
				t.Errorf("prTitle = %q, want %q", got, tt.title)
			}
			if got := area(&tt.inc); got != tt.area {
				t.Errorf("area = %q, want %q", got, tt.area)
			}
		})
	}
}

func TestProofOutcome(t *testing.T) {
	for verdict, want := range map[testrun.Verdict]Reason{
		testrun.VerdictProven:        "",
		testrun.VerdictNotReproduced: ReasonNotReproduced,
		testrun.VerdictRegressions:   ReasonRegressions,
		testrun.VerdictStillFailing:  ReasonStillFailing,
		testrun.VerdictFlaky:         ReasonStillFailing,
	} {
		out := proofOutcome(&testrun.Proof{Verdict: verdict, Detail: "d"})
		got := Reason("")
		if out != nil {
			got = out.Reason
		}
		if got != want {
			t.Errorf("%s → %q, want %q", verdict, got, want)
		}
	}
}
