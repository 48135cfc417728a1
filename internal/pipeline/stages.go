package pipeline

import (
	"context"
	"errors"
	"fmt"

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
	inc, out, err := r.intake(t)
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
	if out := r.plan(); out != nil {
		return r.stop(out)
	}
	c, out, err := r.claim(ctx, inc)
	if out != nil || err != nil {
		return r.end(out, err)
	}
	loc, out := r.locate(inc)
	if out != nil {
		return r.stop(out)
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

// dedup stops when an open pull request already carries the fingerprint.
func (r *run) dedup(ctx context.Context, inc *incident.Incident) (*Outcome, error) {
	defer r.stage("dedup")()
	pr, err := r.GitHub.FindOpenPR(ctx, inc.Fingerprint)
	if err != nil {
		return r.githubFailure("search open pull requests", err)
	}
	if pr != nil {
		r.res.PR = &PullRequest{Number: pr.Number, URL: pr.URL, Branch: pr.Head}
		return Skip(ReasonDuplicatePR, "pull request #%d already carries fingerprint %.12s", pr.Number, inc.Fingerprint), nil
	}
	return nil, nil
}

// plan checks the budgets before any token is spent: one attempt needs a
// fix and a verdict.
func (r *run) plan() *Outcome {
	defer r.stage("plan")()
	if err := r.budget.Require(modelCallsPerAttempt); err != nil {
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
	if r.Inputs.DryRun {
		return c, nil, nil
	}
	err = r.GitHub.Claim(ctx, c.Branch, sha)
	if errors.Is(err, ghwork.ErrClaimed) {
		return c, Skip(ReasonClaimed, "branch %s exists: another run holds this error class", c.Branch), nil
	}
	if err != nil {
		out, err := r.githubFailure(fmt.Sprintf("claim branch %q", c.Branch), err)
		return c, out, err
	}
	r.res.PR = &PullRequest{Branch: c.Branch}
	return c, nil, nil
}

// locate maps the frames into the checkout.
func (r *run) locate(inc *incident.Incident) (*workspace.Location, *Outcome) {
	defer r.stage("locate")()
	loc, err := r.Workspace.Locate(inc)
	if err != nil {
		return nil, Skip(ReasonNoInAppCode, "%v", err)
	}
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

// githubFailure turns a missing permission into an explained outcome and
// anything else into an error naming the operation.
func (r *run) githubFailure(op string, err error) (*Outcome, error) {
	if ghwork.IsPermission(err) {
		return Skip(ReasonPermission, "%s: %v", op, err), nil
	}
	return nil, fmt.Errorf("%s: %w", op, err)
}

// modelFailure maps the agent's sentinel errors to outcomes.
func modelFailure(err error) (*Outcome, error) {
	switch {
	case errors.Is(err, agent.ErrBudget):
		return Skip(ReasonBudgetExhausted, "%v", err), nil
	case errors.Is(err, agent.ErrNoConfidentCause):
		return Skip(ReasonNoConfidentCause, "%v", err), nil
	case errors.Is(err, agent.ErrNoPatch):
		return Skip(ReasonNoPatch, "%v", err), nil
	}
	return nil, err
}
