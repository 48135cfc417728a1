package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/config"
	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/sentryapi"
	"github.com/dawnpatch/dawnpatch/internal/stats"
	"github.com/dawnpatch/dawnpatch/internal/triage"
)

// pollIssues is how many Sentry issues one poll considers at most: ten
// pages of the list, most frequent first.
const pollIssues = 1000

// Decision is what a poll decided about one Sentry issue.
type Decision struct {
	IssueID, ShortID, Title string
	Count, Users            int
	Reason                  Reason
	Detail                  string
	// Err is why working on the issue failed; Reason is then empty and
	// Detail says what went wrong.
	Err error
}

// fail records that working on the issue failed with err.
func (dec *Decision) fail(err error) {
	dec.Reason, dec.Detail = "", err.Error()
	dec.Err = fmt.Errorf("work on Sentry issue %s: %w", dec.ShortID, err)
}

// PollResult is a scheduled run: every issue considered, and the runs of
// those worked on.
type PollResult struct {
	Decisions []Decision
	Runs      []*Result
	// GitHubCalls and SentryCalls count the whole poll.
	GitHubCalls, SentryCalls int
	// Scorecard sums up dawnpatch's pull requests of the last 30 days, from
	// the same listing the poll deduplicates with (no extra call).
	Scorecard stats.Scorecard
}

// Skips counts the poll's decisions by reason; failed issues have none
// (see Failed).
func (res *PollResult) Skips() map[Reason]int {
	n := map[Reason]int{}
	for _, d := range res.Decisions {
		if d.Err == nil {
			n[d.Reason]++
		}
	}
	return n
}

// Failed returns the decisions of the issues whose work failed.
func (res *PollResult) Failed() []Decision {
	var failed []Decision
	for _, d := range res.Decisions {
		if d.Err != nil {
			failed = append(failed, d)
		}
	}
	return failed
}

// Poll lists the top unresolved Sentry issues, triages all of them by rule
// without fetching any event, sets aside those dawnpatch already has pull
// requests for (one GitHub search for the whole page), and runs the
// pipeline on at most Inputs.PollLimit of the rest, most frequent first.
// It lists nothing without Inputs.SentryProjects (see
// [config.CheckPollProjects]).
//
// Once the issues are listed, Poll returns the result with every
// decision even when working on an issue failed: that issue's decision
// holds its error, the issues after it are still worked on, and the error
// returned joins the failed issues' errors.
func Poll(ctx context.Context, d Deps, s Settings) (*PollResult, error) {
	if d.Sentry == nil {
		return nil, errors.New("a scheduled run polls Sentry: set the sentry-token and sentry-org inputs")
	}
	if err := config.CheckPollProjects(s.Inputs.SentryProjects); err != nil {
		return nil, err
	}
	issues, err := d.Sentry.ListAllIssues(ctx, sentryapi.ListQuery{Projects: s.Inputs.SentryProjects, Sort: "freq", StatsPeriod: "24h"}, pollIssues)
	if err != nil {
		return nil, fmt.Errorf("list Sentry issues: %w", err)
	}
	prs, _, err := d.GitHub.ListPRs(ctx, time.Time{}, 1)
	if err != nil {
		return nil, fmt.Errorf("list dawnpatch pull requests: %w", err)
	}
	now := time.Now
	if d.Now != nil {
		now = d.Now
	}
	res := &PollResult{Scorecard: scorecard(prs, now())}
	var todo []int
	for i, is := range issues {
		dec := decide(is, prs, s, now())
		if dec.Reason == "" {
			todo = append(todo, i)
		}
		res.Decisions = append(res.Decisions, dec)
	}
	slices.SortStableFunc(todo, func(a, b int) int { return issues[b].Count - issues[a].Count })
	err = res.work(ctx, d, s, todo)
	res.GitHubCalls, res.SentryCalls = d.GitHub.Calls(), d.Sentry.Calls()
	return res, err
}

// work runs the pipeline on the first PollLimit issues to do and queues
// the rest. An issue whose run fails keeps its error and the next one is
// worked on; once ctx is done, none is. The error joins the failed
// issues' errors.
func (res *PollResult) work(ctx context.Context, d Deps, s Settings, todo []int) error {
	var errs []error
	for n, i := range todo {
		dec := &res.Decisions[i]
		switch {
		case n >= s.Inputs.PollLimit:
			dec.Reason, dec.Detail = ReasonQueued, fmt.Sprintf("%d more frequent issues came first", s.Inputs.PollLimit)
		case ctx.Err() != nil:
			dec.fail(fmt.Errorf("not worked on: %w", context.Cause(ctx)))
		default:
			res.workOn(ctx, d, s, dec)
		}
		if dec.Err != nil {
			errs = append(errs, dec.Err)
		}
	}
	return errors.Join(errs...)
}

// workOn runs the pipeline on one issue and records how it ended.
func (res *PollResult) workOn(ctx context.Context, d Deps, s Settings, dec *Decision) {
	r, err := Run(ctx, d, s, Trigger{Incident: dec.IssueID})
	if err != nil {
		dec.fail(err)
		return
	}
	res.Runs = append(res.Runs, r)
	dec.Reason, dec.Detail = r.Outcome.Reason, r.Outcome.Detail
}

// decide triages one listed issue with what the list tells: the rules
// that need no stack trace, then dawnpatch's own pull requests.
func decide(is sentryapi.Issue, prs []ghwork.PRRecord, s Settings, now time.Time) Decision {
	dec := Decision{IssueID: is.ID, ShortID: is.ShortID, Title: is.Title, Count: is.Count, Users: is.UserCount}
	inc := &incident.Incident{Level: is.Level, Message: is.Title, Sentry: SentryRef(is, nil)}
	if typ, msg, ok := strings.Cut(is.Title, ": "); ok {
		inc.Type, inc.Message = typ, msg
	}
	if v := triage.IssueRules(inc, s.Policy, now); v != nil {
		dec.Reason, dec.Detail = Reason(v.Reason), v.Detail
		return dec
	}
	cooldown := time.Duration(s.Policy.Dedup.Cooldown)
	for _, p := range prs {
		switch {
		case p.Sentry != is.ID:
		case p.State == "open":
			dec.Reason, dec.Detail = ReasonDuplicatePR, fmt.Sprintf("pull request #%d is open for it", p.Number)
			return dec
		case !p.Merged && now.Sub(p.ClosedAt) < cooldown:
			dec.Reason, dec.Detail = ReasonRejectedBefore, fmt.Sprintf("pull request #%d was closed unmerged %s ago", p.Number, now.Sub(p.ClosedAt).Round(time.Hour))
			return dec
		}
	}
	return dec
}

// Outcome is the poll's outcome for the action's outputs: a pull request
// if one was opened, else the first worked run's, else none (the zero
// Outcome) when every issue worked on failed, else the most frequent
// issue's decision.
func (res *PollResult) Outcome() (*Result, Outcome) {
	for _, r := range res.Runs {
		if r.Outcome.Kind == KindPROpened || r.Outcome.Kind == KindPRUpdated {
			return r, r.Outcome
		}
	}
	if len(res.Runs) > 0 {
		return res.Runs[0], res.Runs[0].Outcome
	}
	if len(res.Failed()) > 0 {
		return nil, Outcome{}
	}
	if len(res.Decisions) == 0 {
		return nil, *Skip(ReasonNoise, "Sentry lists no unresolved issue for the configured projects")
	}
	d := res.Decisions[0]
	return nil, *Skip(d.Reason, "%s: %s", d.ShortID, d.Detail)
}

// scorecard is the last 30 days of the listed pull requests.
func scorecard(prs []ghwork.PRRecord, now time.Time) stats.Scorecard {
	since := now.Add(-30 * 24 * time.Hour)
	var recent []ghwork.PRRecord
	for _, p := range prs {
		if p.CreatedAt.After(since) {
			recent = append(recent, p)
		}
	}
	return stats.Compute(recent, since, now, len(prs) >= 100)
}
