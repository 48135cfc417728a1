package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/pipeline"
)

// Outputs returns the action's outputs for a result, by output name.
func Outputs(res *pipeline.Result) map[string]string {
	out := map[string]string{
		"outcome":     string(res.Outcome.Kind),
		"reason":      string(res.Outcome.Reason),
		"pr-number":   "",
		"pr-url":      "",
		"model-calls": strconv.Itoa(res.Usage.ModelCalls),
		"tokens":      strconv.Itoa(res.Usage.Tokens),
		"cost-usd":    strconv.FormatFloat(res.Usage.CostUSD, 'f', 4, 64),
	}
	if res.PR != nil && res.PR.Number > 0 {
		out["pr-number"] = strconv.Itoa(res.PR.Number)
		out["pr-url"] = res.PR.URL
	}
	if inc := res.Incident; inc != nil {
		out["fingerprint"] = inc.Fingerprint
		if inc.Sentry != nil {
			out["sentry-issue"] = inc.Sentry.IssueID
		}
	}
	return out
}

// Summary renders the step summary of a run as Markdown; a scheduled run
// gets the table of every issue it considered and the summary of each it
// worked on.
func Summary(res *pipeline.Result) string {
	if res.Poll != nil {
		return pollSummary(res)
	}
	var b strings.Builder
	o := res.Outcome
	fmt.Fprintf(&b, "## dawnpatch: %s (`%s`)\n\n", o.Kind, o.Reason)
	fmt.Fprintf(&b, "%s\n\n", o.Words())
	if o.Detail != "" {
		b.WriteString(Fence("text", o.Detail))
		b.WriteString("\n")
	}
	if res.PR != nil && res.PR.URL != "" {
		fmt.Fprintf(&b, "**Pull request:** [#%d](%s)\n\n", res.PR.Number, res.PR.URL)
	}
	fmt.Fprintf(&b, "**Next:** %s\n\n", o.Next())
	for _, n := range res.Notes {
		fmt.Fprintf(&b, "> %s\n\n", n)
	}
	if res.Incident != nil {
		writeIncident(&b, res.Incident)
	}
	if res.Fix != nil {
		writeFix(&b, res.Fix)
	}
	writeTests(&b, res.Tests)
	writeCosts(&b, res)
	return b.String()
}

func writeIncident(b *strings.Builder, inc *incident.Incident) {
	b.WriteString("### The error\n\n")
	b.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(b, "| Type | %s |\n", Inline(inc.Type))
	fmt.Fprintf(b, "| Culprit | %s |\n", Inline(inc.Culprit))
	fmt.Fprintf(b, "| Language | %s |\n", Inline(string(inc.Language)))
	fmt.Fprintf(b, "| Environment | %s |\n", Inline(inc.Environment))
	fmt.Fprintf(b, "| Fingerprint | `%s` |\n", short(inc.Fingerprint, 16))
	if s := inc.Sentry; s != nil && firstNonEmpty(s.ShortID, s.IssueID) != "" {
		fmt.Fprintf(b, "| Sentry issue | %s |\n", Inline(firstNonEmpty(s.ShortID, s.IssueID)))
		if s.Count > 0 {
			fmt.Fprintf(b, "| Events / users | %d / %d |\n", s.Count, s.UserCount)
		}
	}
	b.WriteString("\n")
	if inc.Message != "" {
		b.WriteString(Fence("text", inc.Message))
		b.WriteString("\n")
	}
	if frames := FrameLines(inc, 12); frames != "" {
		b.WriteString("In-app frames, outermost first, crash site last:\n\n")
		b.WriteString(Fence("text", frames))
		b.WriteString("\n")
	}
}

// FrameLines lists up to n in-app frames (the innermost ones), one a line.
func FrameLines(inc *incident.Incident, n int) string {
	frames := inc.InAppFrames()
	if len(frames) > n {
		frames = frames[len(frames)-n:]
	}
	var lines []string
	for _, f := range frames {
		lines = append(lines, fmt.Sprintf("%s:%d  %s", f.File, f.Line, f.Function))
	}
	return strings.Join(lines, "\n")
}

func writeFix(b *strings.Builder, f *pipeline.FixReport) {
	b.WriteString("### The fix\n\n")
	if f.RootCause != "" {
		b.WriteString("Root cause, as the model diagnosed it:\n\n")
		b.WriteString(Fence("text", f.RootCause))
		b.WriteString("\n")
	}
	for _, c := range f.Checks {
		mark := "failed"
		if c.Passed {
			mark = "passed"
		}
		body := Fence("text", "$ "+c.Command+"\n"+c.Output)
		b.WriteString(Details(fmt.Sprintf("%s: %s (%s)", c.Name, mark, c.Duration.Round(time.Millisecond)), body))
	}
	if len(f.Findings) > 0 {
		b.WriteString("\nThe guards found:\n\n")
		b.WriteString(Fence("text", strings.Join(f.Findings, "\n")))
	}
	if len(f.Scores) > 0 {
		fmt.Fprintf(b, "\nJudge: %.2f weighted.\n\n| Criterion | Score | Reason |\n|---|---|---|\n", f.JudgeTotal)
		for _, s := range f.Scores {
			fmt.Fprintf(b, "| %s | %.2f | %s |\n", Inline(s.Criterion), s.Score, Inline(s.Reason))
		}
		b.WriteString("\n")
	}
	if f.Diff != "" {
		b.WriteString(Details("Proposed diff", Fence("diff", Cap(f.Diff, 200<<10))))
	}
}

// writeTests says where the tests ran, in which image and why, and how
// the setup went, step by step.
func writeTests(b *strings.Builder, t *pipeline.TestEnvironment) {
	if t == nil {
		return
	}
	b.WriteString("\n### Where the tests ran\n\n")
	fmt.Fprintf(b, "Tests ran %s.", t.Runner)
	if t.Image != "" {
		fmt.Fprintf(b, " Image %s: %s.", Inline(t.Image), t.ImageReason)
	}
	if t.Pull > 0 {
		fmt.Fprintf(b, " Pulling it took %s.", t.Pull.Round(time.Millisecond))
	}
	b.WriteString("\n\n")
	if len(t.Setup) == 0 {
		b.WriteString("Setup: nothing to install.\n")
	}
	for _, c := range t.Setup {
		mark := "failed"
		if c.Passed {
			mark = "passed"
		}
		body := Fence("text", "$ "+c.Command+"\n"+c.Output)
		b.WriteString(Details(fmt.Sprintf("Setup: %s (%s, %s)", Inline(c.Command), mark, c.Duration.Round(time.Millisecond)), body))
	}
	if t.SetupFailed != "" {
		b.WriteString("\nSetup failed:\n\n")
		b.WriteString(Fence("text", t.SetupFailed))
	}
}

func writeCosts(b *strings.Builder, res *pipeline.Result) {
	u := res.Usage
	b.WriteString("\n### Cost and time\n\n")
	fmt.Fprintf(b, "Model calls: %d · tokens: %d · cost: $%.4f · GitHub API calls: %d · Sentry API calls: %d · setup time: %s · test time: %s\n\n",
		u.ModelCalls, u.Tokens, u.CostUSD, u.GitHubCalls, u.SentryCalls, u.SetupTime.Round(time.Millisecond), u.TestTime.Round(time.Millisecond))
	if len(res.Stages) == 0 {
		return
	}
	b.WriteString("| Stage | Time |\n|---|---|\n")
	for _, s := range res.Stages {
		fmt.Fprintf(b, "| %s | %s |\n", s.Name, s.Duration.Round(time.Millisecond))
	}
	b.WriteString("\n")
}

func short(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func pollSummary(res *pipeline.Result) string {
	var b strings.Builder
	p := res.Poll
	failed := p.Failed()
	if res.Outcome.Kind == "" {
		b.WriteString("## dawnpatch: scheduled run, failed\n\n")
	} else {
		fmt.Fprintf(&b, "## dawnpatch: scheduled run, %s (`%s`)\n\n", res.Outcome.Kind, res.Outcome.Reason)
	}
	fmt.Fprintf(&b, "%d Sentry issues considered, %d worked on. GitHub API calls: %d · Sentry API calls: %d.\n\n",
		len(p.Decisions), len(p.Runs)+len(failed), p.GitHubCalls, p.SentryCalls)
	writeFailed(&b, failed)
	b.WriteString("| Issue | Events / users | Decision | Why |\n|---|---|---|---|\n")
	for _, d := range p.Decisions {
		decision := fmt.Sprintf("`%s`", d.Reason)
		if d.Err != nil {
			decision = "**failed**"
		}
		fmt.Fprintf(&b, "| %s %s | %d / %d | %s | %s |\n", Inline(d.ShortID), Inline(d.Title), d.Count, d.Users, decision, Inline(d.Detail))
	}
	writeSkips(&b, p.Skips())
	b.WriteString("\n")
	b.WriteString(p.Scorecard.Markdown())
	for _, r := range p.Runs {
		b.WriteString("\n---\n\n")
		b.WriteString(Summary(r))
	}
	return b.String()
}

// writeFailed says which worked issues failed: the run ends with an
// error, and every other decision stands.
func writeFailed(b *strings.Builder, failed []pipeline.Decision) {
	if len(failed) == 0 {
		return
	}
	ids := make([]string, len(failed))
	for i, d := range failed {
		ids[i] = Inline(d.ShortID)
	}
	fmt.Fprintf(b, "**Working on %s failed**, so the run ends with an error; the table says what went wrong, "+
		"and every other decision stands. A later run considers the issue again.\n\n", strings.Join(ids, ", "))
}

func writeSkips(b *strings.Builder, skips map[pipeline.Reason]int) {
	var reasons []string
	for r, n := range skips {
		reasons = append(reasons, fmt.Sprintf("`%s` %d", r, n))
	}
	slices.Sort(reasons)
	fmt.Fprintf(b, "\nDecisions by reason: %s.\n", strings.Join(reasons, " · "))
}
