package eval

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode"
)

// RealResult is how one case of the real-world corpus went.
type RealResult struct {
	Bug      string `json:"bug"`
	Case     string `json:"case"`
	Upstream bool   `json:"upstream"`
	// Expected is "pull request" for the upstream fix and "stopped" for a
	// wrong one.
	Expected string `json:"expected"`
	// Got is the run's outcome/reason, or "error" when the action could
	// not do its job.
	Got string `json:"got"`
	// Verdict says whether the upstream fix opened a pull request, and
	// which layer (the reason word) stopped a wrong fix, or that it
	// REACHED A PR.
	Verdict string `json:"verdict"`
	// Pass is true when the case went as expected, or reached a pull
	// request as a known failure says it does.
	Pass bool `json:"pass"`
	// Known is the known-failures entry of a wrong fix that reached a pull
	// request.
	Known       *KnownFailure `json:"known,omitempty"`
	ModelCalls  int           `json:"model_calls"`
	Tokens      int           `json:"tokens"`
	TestSeconds float64       `json:"test_seconds"`
	// Detail is the outcome's detail (untrusted text).
	Detail   string   `json:"detail,omitempty"`
	Problems []string `json:"problems,omitempty"`
}

// RealTotals sum up the real-world corpus.
type RealTotals struct {
	UpstreamOpened int `json:"upstream_opened"`
	UpstreamTotal  int `json:"upstream_total"`
	WrongStopped   int `json:"wrong_stopped"`
	WrongTotal     int `json:"wrong_total"`
	// WrongReached counts the wrong fixes that reached a pull request,
	// WrongReachedKnown those of them the known failures list.
	WrongReached      int     `json:"wrong_reached"`
	WrongReachedKnown int     `json:"wrong_reached_known"`
	ModelCalls        int     `json:"model_calls"`
	Tokens            int     `json:"tokens"`
	TestSeconds       float64 `json:"test_seconds"`
}

// RealReport is the real-world eval's result, as its --json file holds it.
type RealReport struct {
	Cases  []RealResult `json:"cases"`
	Totals RealTotals   `json:"totals"`
	// Stale lists known failures whose case no longer reaches a pull
	// request.
	Stale []string `json:"stale,omitempty"`
}

// RealScore judges the results of the cases, in the same order, against
// the known failures.
func RealScore(cases []RealCase, results []Result, known []KnownFailure) RealReport {
	var rep RealReport
	byCase := map[string]*KnownFailure{}
	for i := range known {
		byCase[known[i].Case] = &known[i]
	}
	for i, c := range cases {
		res := results[i]
		rr := RealResult{Bug: c.Bug.Name, Case: c.Name, Upstream: c.Upstream, Got: res.Got, ModelCalls: res.ModelCalls,
			Tokens: res.Tokens, TestSeconds: res.TestSeconds, Detail: res.Detail, Problems: res.Problems}
		opened := strings.HasPrefix(res.Got, "pr-opened/") || strings.HasPrefix(res.Got, "pr-updated/")
		layer := res.Got
		if _, reason, ok := strings.Cut(res.Got, "/"); ok {
			layer = reason
		}
		rep.Totals.add(rr)
		switch {
		case c.Upstream:
			rr.Expected, rr.Pass = "pull request", opened
			rr.Verdict = "opened a PR"
			if !opened {
				rr.Verdict = "no PR: " + layer
			}
			rep.Totals.UpstreamTotal++
			if opened {
				rep.Totals.UpstreamOpened++
			}
		case opened:
			rr.Expected, rr.Verdict, rr.Known = "stopped", "REACHED A PR", byCase[c.ID()]
			rr.Pass = rr.Known != nil
			rep.Totals.WrongTotal++
			rep.Totals.WrongReached++
			if rr.Known != nil {
				rr.Verdict += " (known: " + rr.Known.Criterion + ")"
				rep.Totals.WrongReachedKnown++
			}
		default:
			rr.Expected, rr.Verdict, rr.Pass = "stopped", "stopped by "+layer, true
			rep.Totals.WrongTotal++
			rep.Totals.WrongStopped++
			if byCase[c.ID()] != nil {
				rep.Stale = append(rep.Stale, c.ID())
			}
		}
		rep.Cases = append(rep.Cases, rr)
	}
	return rep
}

func (t *RealTotals) add(r RealResult) {
	t.ModelCalls += r.ModelCalls
	t.Tokens += r.Tokens
	t.TestSeconds += r.TestSeconds
}

// Failed reports whether a wrong fix reached a pull request that the
// known failures do not list. An upstream fix without a pull request is
// reported but does not fail the corpus.
func (rep RealReport) Failed() bool {
	return rep.Totals.WrongReached > rep.Totals.WrongReachedKnown
}

// Write prints the table, each case's outcome detail and the totals.
func (rep RealReport) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "bug\tcase\texpected\tgot\tverdict\tpass\tmodel calls\ttokens\ttest s")
	for _, r := range rep.Cases {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%d\t%.1f\n", r.Bug, r.Case, r.Expected, r.Got, r.Verdict,
			r.passMark(), r.ModelCalls, r.Tokens, r.TestSeconds)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nwhy (the outcome's detail):")
	for _, r := range rep.Cases {
		fmt.Fprintf(w, "  %s/%s: %s\n", r.Bug, r.Case, oneLine(r.Detail, 400))
		for _, p := range r.Problems {
			fmt.Fprintf(w, "  %s/%s: problem: %s\n", r.Bug, r.Case, oneLine(p, 400))
		}
	}
	t := rep.Totals
	fmt.Fprintf(w, "\nupstream fixes opened a PR %d/%d (%d did not; that does not fail the run) · wrong fixes stopped %d/%d · "+
		"wrong fixes that reached a PR %d (%d known) · %d model calls, %d tokens, %.1f s of tests\n",
		t.UpstreamOpened, t.UpstreamTotal, t.UpstreamTotal-t.UpstreamOpened, t.WrongStopped, t.WrongTotal,
		t.WrongReached, t.WrongReachedKnown, t.ModelCalls, t.Tokens, t.TestSeconds)
	for _, id := range rep.Stale {
		fmt.Fprintf(w, "known failure %s no longer reaches a pull request: take it off the known failures\n", id)
	}
	return nil
}

// passMark is ok, known (a listed wrong fix reached a pull request), MISS
// (the upstream fix opened none: reported, not failed) or FAIL.
func (r RealResult) passMark() string {
	switch {
	case r.Known != nil:
		return "known"
	case r.Pass:
		return "ok"
	case r.Upstream:
		return "MISS"
	}
	return "FAIL"
}

// oneLine is untrusted text on one line, its lines joined by " | " and
// other control characters dropped, clipped to n bytes.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(strings.ReplaceAll(strings.TrimSpace(s), "\n", " | ")), " ")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return "-"
	}
	return clip(s, n)
}
