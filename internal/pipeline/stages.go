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
	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/triage"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// modelCallsPerAttempt is what one fix attempt needs: a fix and a verdict.
const modelCallsPerAttempt = 2

// all runs the stages in the order of DESIGN.md. Each returns an outcome
// to stop the run, or passes its output on.
func (r *run) all(ctx context.Context, t Trigger) error {
	inc, out, err := r.intake(ctx, t)
	if out != nil || err != nil {
		return r.end(out, err)
	}
	r.res.Incident = inc
	if out := r.triageRules(inc); out != nil {
		return r.stop(out)
	}
	if out, err := r.dedup(ctx, inc); out != nil || err != nil {
		return r.end(out, err)
	}
	if out, err := r.rateCap(ctx); out != nil || err != nil {
		return r.end(out, err)
	}
	loc, out := r.locate(inc)
	if out != nil {
		return r.stop(out)
	}
	if out, err := r.alreadyFixed(ctx, inc, loc); out != nil || err != nil {
		return r.end(out, err)
	}
	if out := r.plan(); out != nil {
		return r.stop(out)
	}
	if out, err := r.triageModel(ctx, inc, loc); out != nil || err != nil {
		return r.end(out, err)
	}
	c, out, err := r.claim(ctx, inc)
	if out != nil || err != nil {
		return r.end(out, err)
	}
	return r.end(r.attempts(ctx, inc, loc, c))
}

// end records an outcome, or passes an error on.
func (r *run) end(out *Outcome, err error) error {
	if err != nil {
		return err
	}
	if out != nil {
		return r.stop(out)
	}
	return nil
}

// triageRules is the rule gate: 0 tokens, 0 API calls.
func (r *run) triageRules(inc *incident.Incident) *Outcome {
	defer r.stage("triage")()
	if v := triage.Rules(inc, r.Policy, r.Now()); v != nil {
		return Skip(Reason(v.Reason), "%s", v.Detail)
	}
	return nil
}

// dedup looks for work GitHub already holds on the error class, in one
// search: dawnpatch's open pull request, a recent rejection, a human's
// ticket.
func (r *run) dedup(ctx context.Context, inc *incident.Incident) (*Outcome, error) {
	defer r.stage("dedup")()
	r.area = area(inc) // before locate renames the frames' files
	l := ghwork.Lookup{Fingerprint: inc.Fingerprint, Area: r.area}
	if r.Policy.Dedup.AreaRejections == 0 {
		l.Area = ""
	}
	if s := inc.Sentry; s != nil {
		l.ShortID, l.IssueURL = s.ShortID, s.Permalink
	}
	ex, err := r.GitHub.FindExisting(ctx, l)
	if err != nil {
		return r.githubFailure("search existing pull requests and issues", err)
	}
	cooldown := time.Duration(r.Policy.Dedup.Cooldown)
	switch {
	case ex.Open != nil:
		r.res.PR = &PullRequest{Number: ex.Open.Number, URL: ex.Open.URL}
		return r.refresh(ctx, ex.Open, inc)
	case ex.Rejected != nil && r.Now().Sub(ex.Rejected.ClosedAt) < cooldown:
		return Skip(ReasonRejectedBefore, "pull request #%d for this error was closed unmerged %s ago; dedup.cooldown is %s",
			ex.Rejected.Number, r.Now().Sub(ex.Rejected.ClosedAt).Round(time.Hour), cooldown), nil
	case ex.Human != nil:
		kind := "issue"
		if ex.Human.IsPR {
			kind = "pull request"
		}
		r.res.Notes = append(r.res.Notes, fmt.Sprintf("Tracked by %s [#%d](%s).", kind, ex.Human.Number, ex.Human.URL))
		return Skip(ReasonHumanTicket, "%s #%d by %s already tracks this error: %s", kind, ex.Human.Number, ex.Human.Author, ex.Human.Title), nil
	}
	return r.abstain(l.Area, ex.AreaRejections), nil
}

// abstain learns from rejections in the same area: enough of them within
// the window and dawnpatch leaves the area alone; fewer raise the bar.
func (r *run) abstain(area string, rejected []ghwork.Ticket) *Outcome {
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
		return nil
	case n >= d.AreaRejections:
		return Skip(ReasonRejectedBefore, "%d dawnpatch pull requests in %s were closed unmerged in the last %s (dedup.area_rejections is %d): dawnpatch abstains there",
			n, area, window, d.AreaRejections)
	}
	r.thresholdBoost = 0.05 * float64(n)
	r.res.Notes = append(r.res.Notes, fmt.Sprintf("%d dawnpatch pull request(s) in %s were closed unmerged in the last %s, so the judge's threshold is raised to %.2f.",
		n, area, window, r.threshold()))
	return nil
}

// threshold is the judge's bar for this run.
func (r *run) threshold() float64 {
	return min(0.95, r.Policy.Judge.Threshold+r.thresholdBoost)
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
func (r *run) refresh(ctx context.Context, open *ghwork.PR, inc *incident.Incident) (*Outcome, error) {
	dup := Skip(ReasonDuplicatePR, "pull request #%d already carries fingerprint %.12s", open.Number, inc.Fingerprint)
	after := time.Duration(r.Policy.PR.RefreshAfter)
	if after == 0 || r.Inputs.DryRun {
		r.noteRecurrence(ctx, open, inc)
		return dup, nil
	}
	pr, err := r.GitHub.GetPR(ctx, open.Number)
	if err != nil {
		return r.githubFailure(fmt.Sprintf("read pull request #%d", open.Number), err)
	}
	switch {
	case r.Now().Sub(pr.CreatedAt) < after:
		r.noteRecurrence(ctx, open, inc)
		return dup, nil
	case pr.Commits > 1:
		dup.Detail += fmt.Sprintf("; people pushed %d commits to it, so dawnpatch leaves it to them", pr.Commits-1)
		return dup, nil
	}
	old, _ := ghwork.Score(pr.Body)
	r.update = &update{PR: pr, OldScore: old}
	r.res.Notes = append(r.res.Notes, fmt.Sprintf("Pull request #%d is older than pr.refresh_after (%s) and untouched: this run tries for a better fix than its %.2f.", pr.Number, after, old))
	return nil, nil
}

// noteRecurrence tells the open pull request that its error fired again,
// at most once a day. Its failure is a note, never the run's failure.
func (r *run) noteRecurrence(ctx context.Context, pr *ghwork.PR, inc *incident.Incident) {
	if r.Inputs.DryRun {
		return
	}
	note := "The error this pull request fixes fired again."
	if s := inc.Sentry; s != nil && s.Count > 0 {
		note = fmt.Sprintf("The error this pull request fixes fired again: %d events, %d users so far.", s.Count, s.UserCount)
	}
	if _, err := r.GitHub.NoteRecurrence(ctx, pr.Number, inc.Fingerprint, note, r.Now(), 24*time.Hour); err != nil {
		r.res.Notes = append(r.res.Notes, fmt.Sprintf("Could not comment on #%d: %v", pr.Number, err))
	}
}

// rateCap stops when the repository already got its pull requests for
// the day.
func (r *run) rateCap(ctx context.Context) (*Outcome, error) {
	if r.Inputs.DryRun {
		return nil, nil
	}
	defer r.stage("rate cap")()
	limit := r.Inputs.MaxPRsPerDay
	if p := r.Policy.PR.MaxPerDay; p > 0 {
		limit = p
	}
	n, err := r.GitHub.CountOpenedSince(ctx, r.Now().Add(-24*time.Hour))
	if err != nil {
		return r.githubFailure("count today's pull requests", err)
	}
	if n >= limit {
		return Skip(ReasonRateCapped, "%d dawnpatch pull requests opened in the last 24 hours; the cap is %d", n, limit), nil
	}
	return nil, nil
}

// triageModel is the model gate: one small call on the incident and the
// crash site's code. The policy can turn it off.
func (r *run) triageModel(ctx context.Context, inc *incident.Incident, loc *workspace.Location) (*Outcome, error) {
	if !r.Policy.Triage.ModelGate {
		return nil, nil
	}
	defer r.stage("triage (model)")()
	ctx, cancel := context.WithTimeout(ctx, gateTime)
	defer cancel()
	g := triage.Gate{Model: r.model, Rand: r.Rand}
	a, err := g.Decide(ctx, triage.GateInput{Incident: inc, File: loc.Crash.File, Code: loc.Crash.Text})
	if errors.Is(err, agent.ErrUnusable) {
		return Skip(ReasonNotWorthFixing, "the triage model gave no usable answer: %v", err), nil
	}
	if err != nil {
		return modelFailure(err)
	}
	if !a.Worth(r.Policy.Triage.ModelThreshold) {
		return Skip(ReasonNotWorthFixing, "%s (confidence %.2f, triage.model_threshold %.2f): %s",
			a.Verdict, a.Confidence, r.Policy.Triage.ModelThreshold, a.Reason), nil
	}
	return nil, nil
}

// plan checks the budgets before any token is spent: the gate, then one
// attempt's fix and verdict.
func (r *run) plan() *Outcome {
	defer r.stage("plan")()
	need := modelCallsPerAttempt
	if r.Policy.Triage.ModelGate {
		need++
	}
	if err := r.budget.Require(need); err != nil {
		return Skip(ReasonBudgetExhausted, "%v", err)
	}
	return nil
}

// claimed is the branch a run holds and the base it started from.
type claimed struct {
	Branch, Base, BaseSHA string
}

// claim takes the lock on the error class by creating its branch. A dry
// run reads the base but writes nothing.
func (r *run) claim(ctx context.Context, inc *incident.Incident) (claimed, *Outcome, error) {
	defer r.stage("claim")()
	c := claimed{Branch: ghwork.BranchName(inc.Fingerprint), Base: r.Inputs.BaseBranch}
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
	if r.update != nil {
		c.Branch = r.update.PR.Head // dawnpatch's own branch: already claimed
		return c, nil, nil
	}
	if r.Inputs.DryRun {
		return c, nil, nil
	}
	_, err = r.GitHub.Claim(ctx, c.Branch, sha)
	if errors.Is(err, ghwork.ErrClaimed) {
		out, err := r.contested(ctx, c)
		return c, out, err
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
func (r *run) contested(ctx context.Context, c claimed) (*Outcome, error) {
	st, err := r.GitHub.State(ctx, c.Branch)
	if err != nil {
		return r.githubFailure(fmt.Sprintf("read the claim on %q", c.Branch), err)
	}
	age, ttl := r.Now().Sub(st.At), time.Duration(r.Policy.Dedup.ClaimTTL)
	if age < ttl {
		return Skip(ReasonClaimed, "branch %s was claimed %s ago by another run; dedup.claim_ttl is %s", c.Branch, age.Round(time.Second), ttl), nil
	}
	pr, err := r.GitHub.OpenPRFor(ctx, c.Branch)
	if err != nil {
		return r.githubFailure(fmt.Sprintf("look for a pull request from %q", c.Branch), err)
	}
	if pr != nil {
		r.res.PR = &PullRequest{Number: pr.Number, URL: pr.URL, Branch: c.Branch}
		return Skip(ReasonDuplicatePR, "pull request #%d comes from branch %s", pr.Number, c.Branch), nil
	}
	if _, err := r.GitHub.TakeOver(ctx, c.Branch, c.BaseSHA); err != nil {
		return r.githubFailure(fmt.Sprintf("take over the stale claim on %q", c.Branch), err)
	}
	r.res.Notes = append(r.res.Notes, fmt.Sprintf("Took over a claim on %s left %s ago without a pull request.", c.Branch, age.Round(time.Minute)))
	r.res.PR = &PullRequest{Branch: c.Branch}
	return nil, nil
}

// locate maps the frames into the checkout.
func (r *run) locate(inc *incident.Incident) (*workspace.Location, *Outcome) {
	defer r.stage("locate")()
	loc, err := r.Workspace.Locate(inc)
	if err != nil {
		return nil, Skip(ReasonNoInAppCode, "%v", err)
	}
	r.loc = loc
	// From here on, frames name files as the repository does; the path as
	// reported stays in AbsPath.
	for i, f := range inc.Frames {
		if rel, ok := r.Workspace.Resolve(f); ok {
			if inc.Frames[i].AbsPath == "" {
				inc.Frames[i].AbsPath = f.File
			}
			inc.Frames[i].File = rel
		}
	}
	return loc, nil
}

// alreadyFixed stops when the crash line, or the call one frame up, changed
// on the checked-out branch since the release the error was reported from:
// someone may have fixed it already. A release without a tag in the
// checkout cannot be checked, and the summary says so.
func (r *run) alreadyFixed(ctx context.Context, inc *incident.Incident, loc *workspace.Location) (*Outcome, error) {
	if inc.Release == "" {
		return nil, nil
	}
	defer r.stage("already fixed?")()
	ref, err := r.Workspace.ReleaseRef(ctx, inc.Release)
	if err != nil {
		return nil, err
	}
	if ref == "" {
		r.res.Notes = append(r.res.Notes, fmt.Sprintf("Release %q has no tag in the checkout, so dawnpatch could not check whether the crash line changed since (check out with fetch-depth: 0 and tags).", inc.Release))
		return nil, nil
	}
	sites := []workspace.Snippet{loc.Crash}
	if loc.Caller != nil {
		sites = append(sites, *loc.Caller)
	}
	for _, sn := range sites {
		commits, err := r.Workspace.ChangedSince(ctx, ref, sn.File, sn.Line, sn.Line)
		if err != nil {
			return nil, err
		}
		if len(commits) > 0 {
			return Skip(ReasonAlreadyFixed, "%s:%d changed since %s in %s", sn.File, sn.Line, strings.TrimPrefix(ref, "refs/tags/"), strings.Join(commits, "; ")), nil
		}
	}
	return nil, nil
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
	case errors.Is(err, agent.ErrBudget):
		return Skip(ReasonBudgetExhausted, "%v", err), nil
	case errors.Is(err, agent.ErrNoConfidentCause):
		return Skip(ReasonNoConfidentCause, "%v", err), nil
	case errors.Is(err, agent.ErrNoPatch):
		return Skip(ReasonNoPatch, "%v", err), nil
	}
	return nil, err
}
