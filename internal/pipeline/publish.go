package pipeline

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/agent"
	"github.com/dawnpatch/dawnpatch/internal/ghwork"
	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/owners"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// publish commits the proven fix onto the claimed branch through the Git
// Data API and opens a draft pull request. A dry run stops before writing.
func (r *run) publish(ctx context.Context, c claimed, s *workspace.Scratch, inc *incident.Incident, ans *agent.Answer) (*Outcome, error) {
	defer r.stage("publish")()
	if r.Inputs.DryRun {
		return &Outcome{Kind: KindDryRun, Reason: ReasonProven, Detail: "dry-run: the proven diff is in this summary; nothing was written to GitHub"}, nil
	}
	if u := r.update; u != nil && r.res.Fix.JudgeTotal <= u.OldScore {
		return Skip(ReasonDuplicatePR, "a new proven fix scored %.2f, not better than the %.2f of pull request #%d, which stays as it is",
			r.res.Fix.JudgeTotal, u.OldScore, u.PR.Number), nil
	}
	files, err := changedFiles(ctx, s)
	if err != nil {
		return nil, err
	}
	title := prTitle(inc)
	sha, err := r.GitHub.Commit(ctx, ghwork.CommitRequest{Branch: c.Branch, ParentSHA: c.BaseSHA, Message: commitMessage(title, inc), Files: files, Force: true})
	if err != nil {
		return r.githubFailure(fmt.Sprintf("commit to %s", c.Branch), err)
	}
	r.log.Info("committed fix", "stage", "publish", "branch", c.Branch, "sha", sha)
	r.res.PR = &PullRequest{Branch: c.Branch}
	body := r.PRBody(r.res) + "\n" + ghwork.Marker(inc.Fingerprint, sentryIssue(inc)) + "\n" + ghwork.AreaMarker(r.area) + "\n" + ghwork.ScoreMarker(r.res.Fix.JudgeTotal)
	if r.update != nil {
		return r.replace(ctx, body)
	}
	pr, err := r.GitHub.OpenPR(ctx, ghwork.NewPR{
		Title: title, Body: body,
		Head: c.Branch, Base: c.Base, Draft: r.Policy.PR.Draft, Labels: r.Policy.PR.Labels,
	})
	if pr == nil && err != nil {
		out, err := r.githubFailure("open the pull request", err)
		if out != nil {
			out.Detail += fmt.Sprintf(". The fix is committed on branch %s and its diff is in this summary. If the message says GitHub Actions may not create pull requests, allow it in Settings → Actions → General → Workflow permissions, or use a GitHub App token.", c.Branch)
		}
		return out, err
	}
	if err != nil {
		r.res.Notes = append(r.res.Notes, fmt.Sprintf("The pull request was opened but a follow-up step failed: %v", err))
	}
	r.res.PR = &PullRequest{Number: pr.Number, URL: pr.URL, Branch: c.Branch}
	r.afterOpen(ctx, pr, files)
	return &Outcome{Kind: KindPROpened, Reason: ReasonPROpened, Detail: fmt.Sprintf("draft pull request #%d", pr.Number)}, nil
}

// replace puts the better fix's body on the pull request it updated.
func (r *run) replace(ctx context.Context, body string) (*Outcome, error) {
	u := r.update.PR
	if err := r.GitHub.EditBody(ctx, u.Number, body); err != nil {
		return r.githubFailure(fmt.Sprintf("update the body of #%d", u.Number), err)
	}
	r.res.PR = &PullRequest{Number: u.Number, URL: u.URL, Branch: u.Head}
	return &Outcome{Kind: KindPRUpdated, Reason: ReasonPRUpdated,
		Detail: fmt.Sprintf("pull request #%d now holds a fix scored %.2f (was %.2f)", u.Number, r.res.Fix.JudgeTotal, r.update.OldScore)}, nil
}

// tokenNote explains what a pull request opened with GITHUB_TOKEN lacks.
const tokenNote = "This pull request was opened with the workflow's GITHUB_TOKEN, so GitHub starts no workflow runs (CI) for it. " +
	"Give dawnpatch a GitHub App token (actions/create-github-app-token) as github-token to have CI run on its pull requests."

// afterOpen requests reviewers and explains a GITHUB_TOKEN pull request.
// Failures here are notes: the pull request exists.
func (r *run) afterOpen(ctx context.Context, pr *ghwork.PR, files []ghwork.FileChange) {
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.Path
	}
	extra := r.Policy.PR.Reviewers
	if r.Policy.PR.RequestSuspect {
		if login := r.suspect(ctx); login != "" {
			extra = append(extra, login)
		}
	}
	rv, err := owners.For(r.Workspace.Root(), paths, extra, pr.Author)
	if err == nil {
		err = r.GitHub.RequestReviewers(ctx, pr.Number, rv.Users, rv.Teams)
	}
	if err != nil {
		r.res.Notes = append(r.res.Notes, fmt.Sprintf("Reviewers were not requested: %v", err))
	}
	r.linkBack(ctx, pr)
	if pr.Author != ghwork.ActionsBot {
		return
	}
	r.res.Notes = append(r.res.Notes, tokenNote)
	if err := r.GitHub.EditBody(ctx, pr.Number, pr.Body+"\n\n> "+tokenNote+"\n"); err != nil {
		r.res.Notes = append(r.res.Notes, fmt.Sprintf("Could not add the GITHUB_TOKEN note to #%d: %v", pr.Number, err))
	}
}

// changedFiles reads every file the patch changed in the scratch copy.
func changedFiles(ctx context.Context, s *workspace.Scratch) ([]ghwork.FileChange, error) {
	paths, err := s.Changed(ctx)
	if err != nil {
		return nil, fmt.Errorf("list changed files: %w", err)
	}
	var files []ghwork.FileChange
	for _, p := range paths {
		data, err := os.ReadFile(filepath.Join(s.Dir(), filepath.FromSlash(p)))
		if os.IsNotExist(err) {
			files = append(files, ghwork.FileChange{Path: p, Delete: true})
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read changed file %s: %w", p, err)
		}
		files = append(files, ghwork.FileChange{Path: p, Content: data})
	}
	return files, nil
}

// prTitle is "fix(<package>): <type> in <function>", from the incident.
func prTitle(inc *incident.Incident) string {
	crash, _ := inc.CrashFrame()
	scope := path.Base(path.Dir(filepath.ToSlash(crash.File)))
	t := fmt.Sprintf("%s in %s", firstLine(inc.Type, "error"), firstLine(lastName(crash.Function), "unknown function"))
	if len(t) > 90 {
		t = t[:90]
	}
	if scope == "." || scope == "/" || scope == "" {
		return "fix: " + t
	}
	return fmt.Sprintf("fix(%s): %s", scope, t)
}

// firstLine is s's first line, or def when s is empty.
func firstLine(s, def string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if s == "" {
		return def
	}
	return s
}

func commitMessage(title string, inc *incident.Incident) string {
	msg := title + "\n\nProposed by dawnpatch for " + inc.Type
	if id := sentryIssue(inc); id != "" {
		msg += " (Sentry issue " + id + ")"
	}
	return msg + ". The regression test failed before this change and passes after it."
}

func sentryIssue(inc *incident.Incident) string {
	if inc.Sentry == nil {
		return ""
	}
	return inc.Sentry.IssueID
}

// linkBack leaves a comment on the Sentry issue pointing at the pull
// request; optional, and its failure never fails the run.
func (r *run) linkBack(ctx context.Context, pr *ghwork.PR) {
	inc := r.res.Incident
	if r.Sentry == nil || inc.Sentry == nil || inc.Sentry.IssueID == "" {
		return
	}
	if err := r.Sentry.LinkPR(ctx, inc.Sentry.IssueID, pr.URL, fmt.Sprintf("dawnpatch opened draft pull request #%d", pr.Number)); err != nil {
		r.res.Notes = append(r.res.Notes, fmt.Sprintf("Could not link the pull request on Sentry: %v", err))
	}
}

// suspect is the GitHub login of whoever last changed the crash line: the
// person most likely to know the code. Failures leave a note and no name.
func (r *run) suspect(ctx context.Context) string {
	if r.loc == nil {
		return ""
	}
	sha, _, err := r.Workspace.Blame(ctx, r.loc.Crash.File, r.loc.Crash.Line)
	if err == nil {
		var login string
		if login, err = r.GitHub.CommitAuthor(ctx, sha); err == nil {
			return login
		}
	}
	r.res.Notes = append(r.res.Notes, fmt.Sprintf("Could not find who last changed the crash line: %v", err))
	return ""
}
