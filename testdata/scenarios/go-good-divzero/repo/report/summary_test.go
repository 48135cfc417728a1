package report

import (
	"testing"
	"time"
)

func TestSummarize(t *testing.T) {
	runs := []Run{
		{Pipeline: "build", Passed: true, Duration: 90 * time.Second},
		{Pipeline: "build", Passed: false, Duration: 30 * time.Second},
		{Pipeline: "build", Passed: true, Duration: 60 * time.Second},
		{Pipeline: "lint", Passed: true, Duration: 10 * time.Second},
	}
	tests := []struct {
		name     string
		pipeline string
		want     Summary
	}{
		{name: "mixed", pipeline: "build", want: Summary{Pipeline: "build", Runs: 3, PassRate: 66, MeanSeconds: 60}},
		{name: "all passed", pipeline: "lint", want: Summary{Pipeline: "lint", Runs: 1, PassRate: 100, MeanSeconds: 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Summarize(tt.pipeline, runs); got != tt.want {
				t.Errorf("Summarize(%q) = %+v, want %+v", tt.pipeline, got, tt.want)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	if got := percent(1, 3); got != 33 {
		t.Errorf("percent(1, 3) = %d, want 33", got)
	}
}
