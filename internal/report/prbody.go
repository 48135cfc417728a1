package report

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/pipeline"
)

// maxPRBody keeps a pull request body under GitHub's 65,536-character
// limit, with room for the fingerprint marker.
const maxPRBody = 60000

// maxCheckOutput caps each test output shown in a pull request.
const maxCheckOutput = 6000

// PRBody renders the pull request body, ordered for a reviewer: the error,
// the frames, the cause and its evidence, the change, the proof, the
// judge, the cost. Every piece of event or model text is fenced as data.
func PRBody(res *pipeline.Result) string {
	var b strings.Builder
	inc, fix := res.Incident, res.Fix
	b.WriteString("dawnpatch proposes this fix for a production error. **It was proven by a regression test that fails without it and passes with it. A human decides: nothing merges automatically.**\n\n")
	if inc != nil {
		b.WriteString("## The error\n\n")
		fmt.Fprintf(&b, "%s in %s", Inline(inc.Type), Inline(inc.Culprit))
		if s := inc.Sentry; s != nil {
			if link := safeLink(s.Permalink); link != "" {
				fmt.Fprintf(&b, " · [Sentry %s](%s)", Inline(firstNonEmpty(s.ShortID, s.IssueID)), link)
			}
			if s.Count > 0 {
				fmt.Fprintf(&b, " · %d events, %d users", s.Count, s.UserCount)
			}
		}
		b.WriteString("\n\n")
		b.WriteString(Fence("text", Cap(inc.Message, 2000)))
		if frames := FrameLines(inc, 8); frames != "" {
			b.WriteString("\nThe frames that matter, crash site last:\n\n")
			b.WriteString(Fence("text", frames))
		}
	}
	if fix != nil {
		writePRFix(&b, fix)
	}
	if t := res.Tests; t != nil && fix != nil {
		fmt.Fprintf(&b, "\nTests ran %s", t.Runner)
		if t.Image != "" {
			fmt.Fprintf(&b, ", image %s (%s)", Inline(t.Image), t.ImageReason)
		}
		fmt.Fprintf(&b, "; setup took %s.\n", res.Usage.SetupTime.Round(time.Millisecond))
	}
	u := res.Usage
	fmt.Fprintf(&b, "\n## Cost\n\n%d model calls, %d tokens, $%.4f; tests ran for %s.\n",
		u.ModelCalls, u.Tokens, u.CostUSD, u.TestTime.Round(time.Millisecond))
	b.WriteString("\n---\nOpened as a draft by dawnpatch. No automated merge will happen: review it, push changes, or close it to tell dawnpatch to leave this error alone for the cooldown.\n")
	return Cap(b.String(), maxPRBody)
}

func writePRFix(b *strings.Builder, f *pipeline.FixReport) {
	b.WriteString("\n## Root cause\n\n")
	b.WriteString(Fence("text", fmt.Sprintf("Crash: %s\nCause: %s\n\n%s\n\nWhy this is the cause and not the symptom: %s",
		f.CrashFrame, f.CauseFrame, f.RootCause, f.WhyNotSymptom)))
	if len(f.Evidence) > 0 {
		b.WriteString("\nEvidence:\n\n")
		b.WriteString(Fence("text", strings.Join(f.Evidence, "\n")))
	}
	if f.Diff != "" {
		b.WriteString("\n## The change\n\n")
		b.WriteString(Details("Diff", Fence("diff", Cap(f.Diff, 20000))))
	}
	b.WriteString("\n## Proof\n\n")
	for _, c := range f.Checks {
		mark := "❌ failed"
		if c.Passed {
			mark = "✅ passed"
		}
		fmt.Fprintf(b, "**%s** — %s in %s\n\n", c.Name, mark, c.Duration.Round(time.Millisecond))
		b.WriteString(Details("$ "+htmlEscape(c.Command), Fence("text", tail(c.Output, maxCheckOutput))))
		b.WriteString("\n")
	}
	if f.Suite != "" {
		fmt.Fprintf(b, "Suite: %s.\n", f.Suite)
	}
	if len(f.Scores) > 0 {
		fmt.Fprintf(b, "\n## Judge\n\nWeighted score %.2f.\n\n| Criterion | Score | Reason |\n|---|---|---|\n", f.JudgeTotal)
		for _, s := range f.Scores {
			fmt.Fprintf(b, "| %s | %.2f | %s |\n", Inline(s.Criterion), s.Score, Inline(s.Reason))
		}
	}
}

// tail keeps the last n bytes of s, where test output ends with what matters.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return fmt.Sprintf("… %d bytes cut …\n%s", len(s)-n, strings.ToValidUTF8(s[len(s)-n:], ""))
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// safeLink returns an https URL fit for a Markdown link target, or "": the
// link comes from event data and must not close the link or add markup.
func safeLink(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return ""
	}
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E").Replace(u.String())
}
