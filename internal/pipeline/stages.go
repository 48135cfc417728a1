package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/dawnpatch/dawnpatch/internal/agent"
	"github.com/dawnpatch/dawnpatch/internal/ask"
	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/safetext"
	"github.com/dawnpatch/dawnpatch/internal/testrun"
	"github.com/dawnpatch/dawnpatch/internal/triage"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// modelCallsPerAttempt is what one fix attempt needs: a fix and a verdict.
const modelCallsPerAttempt = 2

// Every stage has one shape: func(ctx, in) (out, *Outcome, error). It
// returns its output, or an Outcome that ends the run (a value: a skip, a
// pull request), or an error when the action cannot do its job. A stage
// that only decides passes its input on. The order is docs/design.md's
// stage table: the cheap, read-only stops come first, the model gate and
// the claim after them, and nothing is written before the claim.
func (r *run) all(ctx context.Context, t Trigger) (*Outcome, error) {
	inc, out, err := r.intake(ctx, t)
	if out != nil || err != nil {
		return out, err
	}
	r.res.Incident = inc
	if inc, out, err = r.rules(ctx, inc); out != nil || err != nil {
		return out, err
	}
	k, out, err := r.dedup(ctx, inc)
	if out != nil || err != nil {
		return out, err
	}
	if k, out, err = r.liveClaim(ctx, k); out != nil || err != nil {
		return out, err
	}
	if k, out, err = r.rateCap(ctx, k); out != nil || err != nil {
		return out, err
	}
	l, out, err := r.locate(ctx, k)
	if out != nil || err != nil {
		return out, err
	}
	r.res.Incident = l.inc
	if l, out, err = r.alreadyFixed(ctx, l); out != nil || err != nil {
		return out, err
	}
	if l, out, err = r.plan(ctx, l); out != nil || err != nil {
		return out, err
	}
	if l, out, err = r.gate(ctx, l); out != nil || err != nil {
		return out, err
	}
	c, out, err := r.claim(ctx, l)
	if out != nil || err != nil {
		return out, err
	}
	a, out, err := r.attempts(ctx, c)
	if out != nil || err != nil {
		return out, err
	}
	return r.publish(ctx, a)
}

// known is an incident with what GitHub says about its error class.
type known struct {
	inc *incident.Incident
	// area names the code the incident crashes in, as markers record it.
	area string
	// threshold is the judge's bar: the policy's, raised where humans
	// rejected fixes.
	threshold float64
	// update is dawnpatch's open pull request this run may replace.
	update *update
}

// located is a known incident mapped into the checkout.
type located struct {
	known
	// inc is a copy of the incident whose frames name files as the
	// repository does; the path as reported stays in AbsPath.
	inc *incident.Incident
	loc *workspace.Location
	// lang is the repository's language, as its tests run.
	lang testrun.Language
}

// claimed is a located incident whose error class this run holds.
type claimed struct {
	located
	Branch, Base, BaseSHA string
}

// rules is the rule gate: 0 tokens, 0 API calls.
func (r *run) rules(_ context.Context, inc *incident.Incident) (*incident.Incident, *Outcome, error) {
	defer r.stage("triage")()
	if v := triage.Rules(inc, r.Policy, r.Now()); v != nil {
		return nil, Skip(Reason(v.Reason), "%s", v.Detail), nil
	}
	return inc, nil, nil
}

// dedup looks for work GitHub already holds on the error class:
// dawnpatch's own pull requests first (one call: a duplicate costs no
// more), then humans' tickets and rejections in the same area (one search).
func (r *run) dedup(ctx context.Context, inc *incident.Incident) (known, *Outcome, error) {
	defer r.stage("dedup")()
	k := known{inc: inc, area: area(inc), threshold: r.Policy.Judge.Threshold}
	own, err := r.GitHub.FindOwn(ctx, inc.Fingerprint)
	if err != nil {
		out, err := r.githubFailure("look for dawnpatch's pull requests", err)
		return k, out, err
	}
	cooldown := time.Duration(r.Policy.Dedup.Cooldown)
	switch {
	case own.Open != nil:
		r.res.PR = &PullRequest{Number: own.Open.Number, URL: own.Open.URL}
		return r.refresh(ctx, k, own.Open)
	case own.Rejected != nil && r.Now().Sub(own.Rejected.ClosedAt) < cooldown:
		return k, Skip(ReasonRejectedBefore, "pull request #%d for this error was closed unmerged %s ago; dedup.cooldown is %s",
			own.Rejected.Number, r.Now().Sub(own.Rejected.ClosedAt).Round(time.Hour), cooldown), nil
	}
	return r.tickets(ctx, k)
}

// tickets looks for humans' issues and pull requests about the error, and
// for dawnpatch's rejected pull requests in the same area.
func (r *run) tickets(ctx context.Context, k known) (known, *Outcome, error) {
	d := r.Policy.Dedup
	l := ghwork.Lookup{Fingerprint: k.inc.Fingerprint, Area: k.area, AreaSince: r.Now().Add(-time.Duration(d.AreaWindow)), AreaMax: d.AreaRejections}
	if d.AreaRejections == 0 {
		l.Area = ""
	}
	if s := k.inc.Sentry; s != nil {
		l.ShortID, l.IssueURL = s.ShortID, s.Permalink
	}
	t, err := r.GitHub.FindTickets(ctx, l)
	if err != nil {
		out, err := r.githubFailure("search issues and pull requests about the error", err)
		return k, out, err
	}
	if h := t.Human; h != nil {
		kind := "issue"
		if h.IsPR {
			kind = "pull request"
		}
		r.note("Tracked by %s [#%d](%s).", kind, h.Number, h.URL)
		return k, Skip(ReasonHumanTicket, "%s #%d by %s already tracks this error: %s", kind, h.Number, h.Author, h.Title), nil
	}
	return r.abstain(k, l.Area, t.AreaRejections)
}

// liveClaim stops when another run holds the claim on the error class
// and its TTL has not passed: one read, before any model call. An older
// claim is left for claim to take over.
func (r *run) liveClaim(ctx context.Context, k known) (known, *Outcome, error) {
	if k.update != nil || r.Inputs.DryRun {
		return k, nil, nil
	}
	branch := ghwork.BranchName(k.inc.Fingerprint)
	st, ok, err := r.GitHub.LookupClaim(ctx, branch)
	if err != nil {
		out, err := r.githubFailure(fmt.Sprintf("read the claim on %q", branch), err)
		return k, out, err
	}
	age, ttl := r.Now().Sub(st.At), time.Duration(r.Policy.Dedup.ClaimTTL)
	if ok && st.OnlyClaim && age < ttl {
		return k, Skip(ReasonClaimed, "branch %s was claimed %s ago by another run; dedup.claim_ttl is %s", branch, age.Round(time.Second), ttl), nil
	}
	return k, nil, nil
}

// abstain learns from rejections in the same area: enough of them within
// the window and dawnpatch leaves the area alone; fewer raise the bar.
func (r *run) abstain(k known, area string, rejected []ghwork.Ticket) (known, *Outcome, error) {
	d := r.Policy.Dedup
	window := time.Duration(d.AreaWindow)
	n := 0
	for _, t := range rejected {
		if r.Now().Sub(t.ClosedAt) < window {
			n++
		}
	}
	switch {
	case n == 0:
		return k, nil, nil
	case n >= d.AreaRejections:
		return k, Skip(ReasonRejectedBefore, "%d dawnpatch pull requests in %s were closed unmerged in the last %s (dedup.area_rejections is %d): dawnpatch abstains there",
			n, area, window, d.AreaRejections), nil
	}
	k.threshold = min(0.95, k.threshold+0.05*float64(n))
	r.note("%d dawnpatch pull request(s) in %s were closed unmerged in the last %s, so the judge's threshold is raised to %.2f.",
		n, area, window, k.threshold)
	return k, nil, nil
}

// area names the code an incident crashes in: the crash frame's package
// (module) or, without one, its file's directory.
func area(inc *incident.Incident) string {
	crash, _ := inc.CrashFrame()
	if crash.Module != "" && crash.Module != "main" {
		return crash.Module
	}
	return path.Dir(filepath.ToSlash(crash.File))
}

// update is an open pull request a run may replace with a better fix.
type update struct {
	PR       *ghwork.PR
	OldScore float64
}

// refresh decides about dawnpatch's open pull request for the error: a
// duplicate, unless the policy's pr.refresh_after has passed and nobody
// pushed to it, in which case the run tries for a better fix.
func (r *run) refresh(ctx context.Context, k known, open *ghwork.PR) (known, *Outcome, error) {
	dup := Skip(ReasonDuplicatePR, "pull request #%d already carries fingerprint %.12s", open.Number, k.inc.Fingerprint)
	after := time.Duration(r.Policy.PR.RefreshAfter)
	if after == 0 || r.Inputs.DryRun {
		r.noteRecurrence(ctx, open, k.inc)
		return k, dup, nil
	}
	pr, err := r.GitHub.GetPR(ctx, open.Number)
	if err != nil {
		out, err := r.githubFailure(fmt.Sprintf("read pull request #%d", open.Number), err)
		return k, out, err
	}
	switch {
	case r.Now().Sub(pr.CreatedAt) < after:
		r.noteRecurrence(ctx, open, k.inc)
		return k, dup, nil
	case pr.Commits > 1:
		dup.Detail += fmt.Sprintf("; people pushed %d commits to it, so dawnpatch leaves it to them", pr.Commits-1)
		return k, dup, nil
	}
	old, _ := ghwork.Score(pr.Body)
	k.update = &update{PR: pr, OldScore: old}
	r.note("Pull request #%d is older than pr.refresh_after (%s) and untouched: this run tries for a better fix than its %.2f.", pr.Number, after, old)
	return k, nil, nil
}

// noteRecurrence keeps the open pull request's one recurrence comment up
// to date: created once, edited in place when the error brought news,
// untouched otherwise. Its failure is a note, never the run's failure.
func (r *run) noteRecurrence(ctx context.Context, pr *ghwork.PR, inc *incident.Incident) {
	if r.Inputs.DryRun {
		return
	}
	rec := ghwork.Recurrence{Now: r.Now(), LastSeen: inc.Timestamp}
	if s := inc.Sentry; s != nil {
		rec.Events, rec.Users = s.Count, s.UserCount
		if !s.LastSeen.IsZero() {
			rec.LastSeen = s.LastSeen
		}
	}
	if _, err := r.GitHub.RecordRecurrence(ctx, pr, inc.Fingerprint, rec); err != nil {
		r.note("Could not update the recurrence comment on #%d: %v", pr.Number, err)
	}
}

// rateCap stops when the repository already got its pull requests for
// the day.
func (r *run) rateCap(ctx context.Context, k known) (known, *Outcome, error) {
	if r.Inputs.DryRun {
		return k, nil, nil
	}
	defer r.stage("rate cap")()
	limit := r.Inputs.MaxPRsPerDay
	if p := r.Policy.PR.MaxPerDay; p > 0 {
		limit = p
	}
	n, err := r.GitHub.CountOpenedSince(ctx, r.Now().Add(-24*time.Hour))
	if err != nil {
		out, err := r.githubFailure("count today's pull requests", err)
		return k, out, err
	}
	if n >= limit {
		return k, Skip(ReasonRateCapped, "%d dawnpatch pull requests opened in the last 24 hours; the cap is %d", n, limit), nil
	}
	return k, nil, nil
}

// locate maps the frames into the checkout. The incident is not changed:
// the located copy names the frames' files as the repository does.
func (r *run) locate(_ context.Context, k known) (located, *Outcome, error) {
	defer r.stage("locate")()
	loc, err := r.Workspace.Locate(k.inc)
	if err != nil {
		return located{}, Skip(ReasonNoInAppCode, "%v", err), nil
	}
	inc := *k.inc
	inc.Frames = make([]incident.Frame, len(k.inc.Frames))
	for i, f := range k.inc.Frames {
		inc.Frames[i] = f
		if rel, ok := r.Workspace.Resolve(f); ok {
			if f.AbsPath == "" {
				inc.Frames[i].AbsPath = f.File
			}
			inc.Frames[i].File = rel
		}
	}
	return located{known: k, inc: &inc, loc: loc}, nil, nil
}

// alreadyFixed stops when the crash line, or the call one frame up, changed
// on the checked-out branch since the release the error was reported from:
// someone may have fixed it already. A release without a tag in the
// checkout cannot be checked, and the summary says so.
func (r *run) alreadyFixed(ctx context.Context, l located) (located, *Outcome, error) {
	if l.inc.Release == "" {
		return l, nil, nil
	}
	defer r.stage("already fixed?")()
	ref, err := r.Workspace.ReleaseRef(ctx, l.inc.Release)
	if err != nil {
		return l, nil, err
	}
	if ref == "" {
		r.note("Release %q has no tag in the checkout, so dawnpatch could not check whether the crash line changed since (check out with fetch-depth: 0 and tags).", l.inc.Release)
		return l, nil, nil
	}
	sites := []workspace.Snippet{l.loc.Crash}
	if l.loc.Caller != nil {
		sites = append(sites, *l.loc.Caller)
	}
	for _, sn := range sites {
		commits, err := r.Workspace.ChangedSince(ctx, ref, sn.File, sn.Line, sn.Line)
		if err != nil {
			return l, nil, err
		}
		if len(commits) > 0 {
			return l, Skip(ReasonAlreadyFixed, "%s:%d changed since %s in %s", sn.File, sn.Line, strings.TrimPrefix(ref, "refs/tags/"), strings.Join(commits, "; ")), nil
		}
	}
	return l, nil, nil
}

// plan checks, before any token is spent, that dawnpatch can prove a fix
// in this repository and that the budgets cover the gate and one
// attempt's fix and verdict.
func (r *run) plan(_ context.Context, l located) (located, *Outcome, error) {
	defer r.stage("plan")()
	lang, err := testrun.Detect(r.Workspace.Root())
	if err != nil {
		return l, Skip(ReasonNotAvailable, "dawnpatch proves fixes for Go, Python and JavaScript repositories: %v", err), nil
	}
	l.lang = lang
	need := modelCallsPerAttempt
	if r.Policy.Triage.ModelGate {
		need++
	}
	if err := r.budget.Require(need); err != nil {
		return l, Skip(ReasonBudgetExhausted, "%v", err), nil
	}
	return l, nil, nil
}

// gate is the model gate: one small call on the incident and the crash
// site's code. The policy can turn it off.
func (r *run) gate(ctx context.Context, l located) (located, *Outcome, error) {
	if !r.Policy.Triage.ModelGate {
		return l, nil, nil
	}
	defer r.stage("triage (model)")()
	ctx, cancel := context.WithTimeout(ctx, gateTime)
	defer cancel()
	g := triage.Gate{Model: r.model, Rand: r.Rand}
	a, err := g.Decide(ctx, triage.GateInput{Incident: l.inc, File: l.loc.Crash.File, Code: l.loc.Crash.Text})
	if errors.Is(err, ask.ErrUnusable) {
		return l, Skip(ReasonNotWorthFixing, "the triage model gave no usable answer: %v", err), nil
	}
	if err != nil {
		out, err := modelFailure(err)
		return l, out, err
	}
	if !a.Worth(r.Policy.Triage.ModelThreshold) {
		return l, Skip(ReasonNotWorthFixing, "%s (confidence %.2f, triage.model_threshold %.2f): %s",
			a.Verdict, a.Confidence, r.Policy.Triage.ModelThreshold, a.Reason), nil
	}
	return l, nil, nil
}

// claim takes the lock on the error class by creating its branch. A dry
// run reads the base but writes nothing.
func (r *run) claim(ctx context.Context, l located) (claimed, *Outcome, error) {
	defer r.stage("claim")()
	c := claimed{located: l, Branch: ghwork.BranchName(l.inc.Fingerprint), Base: r.Inputs.BaseBranch}
	if c.Base == "" {
		b, err := r.GitHub.DefaultBranch(ctx)
		if err != nil {
			out, err := r.githubFailure("read the default branch", err)
			return c, out, err
		}
		c.Base = b
	}
	sha, err := r.GitHub.BranchSHA(ctx, c.Base)
	if err != nil {
		out, err := r.githubFailure(fmt.Sprintf("read branch %q", c.Base), err)
		return c, out, err
	}
	c.BaseSHA = sha
	if l.update != nil {
		c.Branch = l.update.PR.Head // dawnpatch's own branch: already claimed
		return c, nil, nil
	}
	if r.Inputs.DryRun {
		return c, nil, nil
	}
	if err := safetext.CheckRef(c.Branch); err != nil {
		return c, nil, fmt.Errorf("claim branch %q: %w", c.Branch, err)
	}
	_, err = r.GitHub.Claim(ctx, c.Branch, sha)
	if errors.Is(err, ghwork.ErrClaimed) {
		return r.contested(ctx, c)
	}
	if err != nil {
		out, err := r.githubFailure(fmt.Sprintf("claim branch %q", c.Branch), err)
		return c, out, err
	}
	r.res.PR = &PullRequest{Branch: c.Branch}
	return c, nil, nil
}

// contested decides about a branch another run claimed: a live claim
// stands; one older than the claim TTL without a pull request is taken over.
func (r *run) contested(ctx context.Context, c claimed) (claimed, *Outcome, error) {
	st, _, err := r.GitHub.LookupClaim(ctx, c.Branch)
	if err != nil {
		out, err := r.githubFailure(fmt.Sprintf("read the claim on %q", c.Branch), err)
		return c, out, err
	}
	age, ttl := r.Now().Sub(st.At), time.Duration(r.Policy.Dedup.ClaimTTL)
	if age < ttl {
		return c, Skip(ReasonClaimed, "branch %s was claimed %s ago by another run; dedup.claim_ttl is %s", c.Branch, age.Round(time.Second), ttl), nil
	}
	pr, err := r.GitHub.OpenPRFor(ctx, c.Branch)
	if err != nil {
		out, err := r.githubFailure(fmt.Sprintf("look for a pull request from %q", c.Branch), err)
		return c, out, err
	}
	if pr != nil {
		r.res.PR = &PullRequest{Number: pr.Number, URL: pr.URL, Branch: c.Branch}
		return c, Skip(ReasonDuplicatePR, "pull request #%d comes from branch %s", pr.Number, c.Branch), nil
	}
	if _, err := r.GitHub.TakeOver(ctx, c.Branch, c.BaseSHA); err != nil {
		out, err := r.githubFailure(fmt.Sprintf("take over the stale claim on %q", c.Branch), err)
		return c, out, err
	}
	r.note("Took over a claim on %s left %s ago without a pull request.", c.Branch, age.Round(time.Minute))
	r.res.PR = &PullRequest{Branch: c.Branch}
	return c, nil, nil
}

// githubFailure turns a missing permission into an explained outcome and
// anything else into an error naming the operation.
func (r *run) githubFailure(op string, err error) (*Outcome, error) {
	if ghwork.IsPermission(err) {
		return Skip(ReasonPermission, "%s: %v", op, err), nil
	}
	return nil, fmt.Errorf("%s: %w", op, err)
}

// Wall-time budgets of the model stages: a stage that runs over ends the
// run budget-exhausted, like any other budget.
const (
	gateTime  = 2 * time.Minute
	fixTime   = 15 * time.Minute
	judgeTime = 3 * time.Minute
)

// modelFailure maps the agent's sentinel errors, and a stage's deadline,
// to outcomes.
func modelFailure(err error) (*Outcome, error) {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return Skip(ReasonBudgetExhausted, "the stage ran out of its wall time: %v", err), nil
	case errors.Is(err, ask.ErrBudget):
		return Skip(ReasonBudgetExhausted, "%v", err), nil
	case errors.Is(err, agent.ErrNoConfidentCause):
		return Skip(ReasonNoConfidentCause, "%v", err), nil
	case errors.Is(err, agent.ErrNoPatch):
		return Skip(ReasonNoPatch, "%v", err), nil
	}
	return nil, err
}
