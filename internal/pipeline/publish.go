package pipeline

import (
	"context"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/owners"
	"github.com/dawnpatch/dawnpatch/internal/patch"
	"github.com/dawnpatch/dawnpatch/internal/safetext"
)

// publish commits the accepted attempt's changes onto the claimed branch
// through the Git Data API and opens a draft pull request. The commit is
// built from the changes as data, the same bytes the guards, the judge and
// the pull request body saw; nothing is read back from a directory a test
// ran in. A dry run stops before writing.
func (r *run) publish(ctx context.Context, a *attempt) (*Outcome, error) {
	defer r.stage("publish")()
	if r.Inputs.DryRun {
		return &Outcome{Kind: KindDryRun, Reason: ReasonProven, Detail: "dry-run: the proven diff is in this summary; nothing was written to GitHub"}, nil
	}
	score := a.verdict.Total()
	if u := a.update; u != nil && score <= u.OldScore {
		return Skip(ReasonDuplicatePR, "a new proven fix scored %.2f, not better than the %.2f of pull request #%d, which stays as it is",
			score, u.OldScore, u.PR.Number), nil
	}
	files, err := r.commitFiles(a)
	if err != nil {
		return nil, err
	}
	title := prTitle(a.inc)
	sha, err := r.GitHub.Commit(ctx, ghwork.CommitRequest{Branch: a.Branch, ParentSHA: a.BaseSHA, Message: commitMessage(title, a.inc), Files: files, Force: true})
	if err != nil {
		return r.githubFailure(fmt.Sprintf("commit to %s", a.Branch), err)
	}
	r.log.Info("committed fix", "stage", "publish", "branch", a.Branch, "sha", sha)
	r.res.PR = &PullRequest{Branch: a.Branch}
	r.countUsage() // the body tells what the run spent, as the summary does
	body := r.scrub(r.PRBody(r.res)) + "\n" + ghwork.MarkerBlock(a.inc.Fingerprint, sentryIssue(a.inc), a.area, score)
	if a.update != nil {
		return r.replace(ctx, a, body)
	}
	pr, err := r.GitHub.OpenPR(ctx, ghwork.NewPR{
		Title: title, Body: body,
		Head: a.Branch, Base: a.Base, Draft: r.Policy.PR.Draft, Labels: r.Policy.PR.Labels,
	})
	if pr == nil && err != nil {
		out, err := r.githubFailure("open the pull request", err)
		if out != nil {
			out.Detail += fmt.Sprintf(". The fix is committed on branch %s and its diff is in this summary. If the message says GitHub Actions may not create pull requests, allow it in Settings → Actions → General → Workflow permissions, or use a GitHub App token.", a.Branch)
		}
		return out, err
	}
	if err != nil {
		r.note("The pull request was opened but a follow-up step failed: %v", err)
	}
	r.res.PR = &PullRequest{Number: pr.Number, URL: pr.URL, Branch: a.Branch}
	r.afterOpen(ctx, a, pr)
	return &Outcome{Kind: KindPROpened, Reason: ReasonPROpened, Detail: fmt.Sprintf("draft pull request #%d", pr.Number)}, nil
}

// commitFiles turns the attempt's changes into the files of the commit,
// after the final check: the base each change was computed from is still
// the checkout's, the files render exactly the judged diff, and none is a
// protected path. Any difference is an error: nothing is published.
func (r *run) commitFiles(a *attempt) ([]ghwork.FileChange, error) {
	files := make([]ghwork.FileChange, len(a.changes))
	rebuilt := make([]patch.Change, len(a.changes))
	lim := r.limits()
	for i, c := range a.changes {
		if pat := patch.ProtectedBy(lim.Protected, c.Path); pat != "" {
			return nil, fmt.Errorf("final check: %s is a protected path (%s); nothing was published", c.Path, pat)
		}
		base, err := r.Workspace.ReadBase(c.Path)
		if err != nil {
			return nil, fmt.Errorf("final check: read %s in the checkout: %w", c.Path, err)
		}
		if base != c.Old {
			return nil, fmt.Errorf("final check: %s changed in the checkout since the fix was judged; nothing was published", c.Path)
		}
		files[i] = ghwork.FileChange{Path: c.Path, Content: []byte(c.New)}
		rebuilt[i] = patch.Change{Path: c.Path, Old: base, New: string(files[i].Content), Created: c.Created, Mode: c.Mode}
	}
	if got := patch.Diff(rebuilt); got != a.diff {
		return nil, fmt.Errorf("final check: the files to commit do not render the judged diff; nothing was published")
	}
	return files, nil
}

// replace puts the better fix's body on the pull request it updated.
func (r *run) replace(ctx context.Context, a *attempt, body string) (*Outcome, error) {
	u := a.update.PR
	if err := r.GitHub.EditBody(ctx, u.Number, body); err != nil {
		return r.githubFailure(fmt.Sprintf("update the body of #%d", u.Number), err)
	}
	r.res.PR = &PullRequest{Number: u.Number, URL: u.URL, Branch: u.Head}
	return &Outcome{Kind: KindPRUpdated, Reason: ReasonPRUpdated,
		Detail: fmt.Sprintf("pull request #%d now holds a fix scored %.2f (was %.2f)", u.Number, a.verdict.Total(), a.update.OldScore)}, nil
}

// tokenNote explains what a pull request opened with GITHUB_TOKEN lacks.
const tokenNote = "This pull request was opened with the workflow's GITHUB_TOKEN, so GitHub starts no workflow runs (CI) for it. " +
	"Give dawnpatch a GitHub App token (actions/create-github-app-token) as github-token to have CI run on its pull requests."

// afterOpen requests reviewers and explains a GITHUB_TOKEN pull request.
// Failures here are notes: the pull request exists.
func (r *run) afterOpen(ctx context.Context, a *attempt, pr *ghwork.PR) {
	extra := r.Policy.PR.Reviewers
	if r.Policy.PR.RequestSuspect {
		if login := r.suspect(ctx, a); login != "" {
			extra = append(extra, login)
		}
	}
	rv, err := owners.For(r.Workspace.Root(), patch.Paths(a.changes), extra, pr.Author)
	if err == nil {
		err = r.GitHub.RequestReviewers(ctx, pr.Number, rv.Users, rv.Teams)
	}
	if err != nil {
		r.note("Reviewers were not requested: %v", err)
	}
	r.linkBack(ctx, a, pr)
	if pr.Author != ghwork.ActionsBot {
		return
	}
	r.note("%s", tokenNote)
	if err := r.GitHub.EditBody(ctx, pr.Number, pr.Body+"\n\n> "+tokenNote+"\n"); err != nil {
		r.note("Could not add the GITHUB_TOKEN note to #%d: %v", pr.Number, err)
	}
}

// prTitle is "fix(<package>): <type> in <function>", from the incident:
// one line whose event-derived parts carry no closing keyword, mention,
// reference or trailer (safetext.Line).
func prTitle(inc *incident.Incident) string {
	crash, _ := inc.CrashFrame()
	scope := safetext.Line(path.Base(path.Dir(filepath.ToSlash(crash.File))), 30)
	t := fmt.Sprintf("%s in %s", orDefault(safetext.Line(firstLine(inc.Type), 50), "error"), orDefault(safetext.Line(lastName(crash.Function), 40), "unknown function"))
	if scope == "." || scope == "/" || scope == "" {
		return safetext.Line("fix: "+t, safetext.MaxSubject)
	}
	return safetext.Line(fmt.Sprintf("fix(%s): %s", scope, t), safetext.MaxSubject)
}

// firstLine is s's first line.
func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// orDefault is s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// commitMessage is the title and a fixed body; every event-derived part
// passes through safetext, so no line is a trailer or closes an issue.
func commitMessage(title string, inc *incident.Incident) string {
	body := "Proposed by dawnpatch for " + orDefault(safetext.Line(firstLine(inc.Type), 80), "an error")
	if id := sentryIssue(inc); id != "" {
		body += " (Sentry issue " + safetext.Line(id, 20) + ")"
	}
	return safetext.CommitMessage(title, body+". The regression test failed before this change and passes after it.")
}

func sentryIssue(inc *incident.Incident) string {
	if inc.Sentry == nil {
		return ""
	}
	return inc.Sentry.IssueID
}

// linkBack leaves a comment on the Sentry issue pointing at the pull
// request; optional, and its failure never fails the run.
func (r *run) linkBack(ctx context.Context, a *attempt, pr *ghwork.PR) {
	inc := a.inc
	if r.Sentry == nil || inc.Sentry == nil || inc.Sentry.IssueID == "" {
		return
	}
	if err := r.Sentry.LinkPR(ctx, inc.Sentry.IssueID, pr.URL, fmt.Sprintf("dawnpatch opened draft pull request #%d", pr.Number)); err != nil {
		r.note("Could not link the pull request on Sentry: %v", err)
	}
}

// suspect is the GitHub login of whoever last changed the crash line: the
// person most likely to know the code. Failures leave a note and no name.
func (r *run) suspect(ctx context.Context, a *attempt) string {
	sha, _, err := r.Workspace.Blame(ctx, a.loc.Crash.File, a.loc.Crash.Line)
	if err == nil {
		var login string
		if login, err = r.GitHub.CommitAuthor(ctx, sha); err == nil {
			return login
		}
	}
	r.note("Could not find who last changed the crash line: %v", err)
	return ""
}
