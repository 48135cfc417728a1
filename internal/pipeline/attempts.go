package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/agent"
	"github.com/dawnpatch/dawnpatch/internal/incident"
	"github.com/dawnpatch/dawnpatch/internal/judge"
	"github.com/dawnpatch/dawnpatch/internal/patch"
	"github.com/dawnpatch/dawnpatch/internal/testrun"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// maxTestLines is how much of each nearby test file the fixer sees.
const maxTestLines = 150

// attempts runs fix → verify → judge until the judge accepts a proven fix
// or the policy's attempts run out; an accepted fix is published.
func (r *run) attempts(ctx context.Context, inc *incident.Incident, loc *workspace.Location, c claimed) (*Outcome, error) {
	lang, err := testrun.Detect(r.Workspace.Root())
	if err != nil {
		return Skip(ReasonNotAvailable, "dawnpatch proves fixes for Go, Python and JavaScript repositories: %v", err), nil
	}
	r.lang = lang
	scratch, err := r.Workspace.Scratch(ctx, filepath.Join(r.ScratchRoot, "scratch-"+filepath.Base(c.Branch)))
	if err != nil {
		return nil, fmt.Errorf("make scratch copy: %w", err)
	}
	in := agent.FixInput{Incident: inc, Location: loc, Module: r.Workspace.Module(), Tests: r.testFiles(loc)}
	var last *Outcome
	var why []string // every attempt's rejection, for the final outcome
	for attempt := 1; attempt <= r.Policy.Judge.MaxAttempts; attempt++ {
		if attempt > 1 {
			if err := r.budget.Require(modelCallsPerAttempt); err != nil {
				return Skip(ReasonBudgetExhausted, "after %d judged attempts: %v", attempt-1, err), nil
			}
		}
		ans, out, err := r.fix(ctx, in)
		if out != nil || err != nil {
			return out, err
		}
		if out, err := r.verify(ctx, scratch, inc, loc, ans); out != nil || err != nil {
			return out, err
		}
		findings, err := r.guard(inc, ans)
		if err != nil {
			return nil, err
		}
		if len(findings) > 0 {
			in.Feedback = "Rules every fix must follow rejected it:\n" + strings.Join(findings, "\n")
			why = append(why, fmt.Sprintf("attempt %d of %d: the guards found %s", attempt, r.Policy.Judge.MaxAttempts, strings.Join(findings, "; ")))
			last = Skip(ReasonGuardRejected, "%s", strings.Join(why, "\n"))
			continue
		}
		v, out, err := r.judge(ctx, inc, ans)
		if out != nil || err != nil {
			return out, err
		}
		if v.Accepts(r.threshold()) {
			return r.publish(ctx, c, scratch, inc, ans)
		}
		in.Feedback = v.Feedback()
		why = append(why, fmt.Sprintf("attempt %d of %d: the judge scored %.2f (threshold %.2f, hard no: %v): %s",
			attempt, r.Policy.Judge.MaxAttempts, v.Total(), r.threshold(), v.HardNo, v.Summary))
		last = Skip(ReasonJudgeRejected, "%s", strings.Join(why, "\n"))
	}
	return last, nil
}

// testFiles reads the start of the test files next to the crash.
func (r *run) testFiles(loc *workspace.Location) []agent.TestFile {
	var out []agent.TestFile
	for _, f := range loc.Tests {
		text, err := r.Workspace.ReadLines(f, 1, maxTestLines)
		if err != nil {
			continue
		}
		n := strings.Count(text, "\n") + 1
		out = append(out, agent.TestFile{File: f, Text: text, Lines: n, Cut: n >= maxTestLines})
	}
	return out
}

// fix asks the model for a diagnosis and a patch.
func (r *run) fix(ctx context.Context, in agent.FixInput) (*agent.Answer, *Outcome, error) {
	defer r.stage("diagnose+fix")()
	ctx, cancel := context.WithTimeout(ctx, fixTime)
	defer cancel()
	f := agent.Fixer{Model: r.model, Rand: r.Rand, Workspace: r.Workspace, Tools: agent.ToolMode(r.Inputs.ModelTools)}
	ans, err := f.Fix(ctx, in)
	if ans != nil {
		r.recordDiagnosis(ans)
	}
	if err != nil {
		out, err := modelFailure(err)
		return nil, out, err
	}
	return ans, nil, nil
}

func (r *run) recordDiagnosis(a *agent.Answer) {
	d := a.Diagnosis
	fr := &FixReport{Title: a.Title, RootCause: d.RootCause, WhyNotSymptom: d.WhyNotSymptom,
		CauseFrame: d.CauseFrame, CrashFrame: d.CrashFrame, TestName: a.RegressionTest.Name}
	for _, e := range d.Evidence {
		fr.Evidence = append(fr.Evidence, fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Quote))
	}
	r.res.Fix = fr
}

// verify validates the patch and proves it in the scratch copy: the new
// test fails on base for the incident's reason and passes with the fix,
// and the suite has no new failures.
func (r *run) verify(ctx context.Context, s *workspace.Scratch, inc *incident.Incident, loc *workspace.Location, ans *agent.Answer) (*Outcome, error) {
	defer r.stage("verify")()
	if err := s.Reset(ctx); err != nil {
		return nil, fmt.Errorf("reset scratch copy: %w", err)
	}
	p := ans.Patch()
	if err := p.Validate(s.Dir(), r.limits()); err != nil {
		return Skip(ReasonNoPatch, "the patch is not valid: %v", err), nil
	}
	tests, fix := p.Split(func(path string) bool { return testrun.IsTestFile(r.lang, path) })
	// The crash as located in the checkout: an error reported through a
	// hook has in-app frames outside the repository below it.
	crash := loc.Crash.Function
	if crash == "" {
		f, _ := inc.CrashFrame()
		crash = f.Function
	}
	proof, err := r.Tests.Prove(ctx, r.lang, testrun.ProofRequest{
		Dir: s.Dir(), Tests: tests, Fix: fix,
		TestFile: ans.RegressionTest.File, TestName: ans.RegressionTest.Name,
		Expect:  testrun.Expect{Type: inc.Type, Message: inc.Message, Function: lastName(crash)},
		Reset:   s.Reset,
		Command: r.testCommand(),
	})
	if err != nil {
		return nil, fmt.Errorf("prove the fix: %w", err)
	}
	r.recordProof(proof)
	if out := proofOutcome(proof); out != nil {
		return out, nil
	}
	return r.recordDiff(ctx, s, p)
}

func (r *run) limits() patch.Limits {
	f := r.Policy.Fix
	return patch.Limits{
		MaxFiles: f.MaxFiles, MaxChangedLines: f.MaxChangedLines,
		Protected: append(patch.DefaultProtected(), f.ProtectedPaths...), Allowed: f.AllowedPaths,
	}
}

// recordDiff leaves the scratch copy holding the whole patch and keeps its
// diff for the judge, the pull request and the summary.
func (r *run) recordDiff(ctx context.Context, s *workspace.Scratch, p patch.Patch) (*Outcome, error) {
	if err := s.Reset(ctx); err != nil {
		return nil, fmt.Errorf("reset scratch copy: %w", err)
	}
	if _, err := p.Apply(s.Dir()); err != nil {
		return nil, fmt.Errorf("apply the proven patch: %w", err)
	}
	diff, err := s.Diff(ctx)
	if err != nil {
		return nil, fmt.Errorf("diff the proven patch: %w", err)
	}
	r.res.Fix.Diff = diff
	return nil, nil
}

func proofOutcome(p *testrun.Proof) *Outcome {
	switch p.Verdict {
	case testrun.VerdictProven:
		return nil
	case testrun.VerdictNotReproduced:
		return Skip(ReasonNotReproduced, "%s", p.Detail)
	case testrun.VerdictRegressions:
		return Skip(ReasonRegressions, "%s", p.Detail)
	default:
		return Skip(ReasonStillFailing, "%s", p.Detail)
	}
}

func (r *run) recordProof(p *testrun.Proof) {
	add := func(name string, res testrun.Result) {
		if res.Argv == nil {
			return
		}
		r.res.Usage.TestTime += res.Duration
		r.res.Fix.Checks = append(r.res.Fix.Checks, Check{
			Name: name, Command: strings.Join(res.Argv, " "), Passed: res.ExitCode == 0,
			Output: res.Output, Duration: res.Duration,
		})
	}
	add("New test on the base code (must fail)", p.Red)
	add("New test with the fix (must pass)", p.Green)
	add("New test with the fix, again (must pass)", p.Green2)
	for i, s := range p.Suite {
		if i == 0 && p.BaseCached {
			continue // run by an earlier attempt, already counted
		}
		add(suiteNames[min(i, len(suiteNames)-1)], s)
	}
	r.res.Fix.Suite = suiteLine(p)
}

// suiteNames label the suite runs of a proof, in the order ProveGo runs them.
var suiteNames = []string{"Suite on the base code", "Suite with the fix"}

func suiteLine(p *testrun.Proof) string {
	s := fmt.Sprintf("%d tests pass with the fix", len(p.FixedSuite.Passed))
	if n := len(p.Regressions); n > 0 {
		s += fmt.Sprintf("; %d passed on base and fail with the fix: %s", n, strings.Join(p.Regressions, ", "))
	}
	if n := len(p.StillFailing); n > 0 {
		s += fmt.Sprintf("; %d failed on base already: %s", n, strings.Join(p.StillFailing, ", "))
	}
	return s
}

// judge has a separate model score the proven diff.
func (r *run) judge(ctx context.Context, inc *incident.Incident, ans *agent.Answer) (*judge.Verdict, *Outcome, error) {
	defer r.stage("judge")()
	ctx, cancel := context.WithTimeout(ctx, judgeTime)
	defer cancel()
	j := judge.Judge{Model: r.model, ModelName: r.Inputs.JudgeModel, Rand: r.Rand}
	d := ans.Diagnosis
	in := judge.Input{Type: inc.Type, Message: inc.Message, CrashFrame: d.CrashFrame, CauseFrame: d.CauseFrame,
		RootCause: d.RootCause, WhyNotSymptom: d.WhyNotSymptom, Diff: r.res.Fix.Diff, Evidence: r.evidence()}
	for _, f := range inc.InAppFrames() {
		in.Frames = append(in.Frames, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Function))
	}
	v, err := j.Judge(ctx, in)
	if err != nil {
		out, err := modelFailure(err)
		if out == nil && err != nil && errors.Is(err, judge.ErrInvalidVerdict) {
			return nil, Skip(ReasonJudgeRejected, "the judge gave no usable verdict: %v", err), nil
		}
		return nil, out, err
	}
	r.res.Fix.Scores = nil
	for _, s := range v.Scores {
		r.res.Fix.Scores = append(r.res.Fix.Scores, Score{Criterion: s.Criterion, Score: s.Score, Reason: s.Reason})
	}
	r.res.Fix.JudgeTotal, r.res.Fix.JudgeSummary = v.Total(), v.Summary
	return v, nil, nil
}

// evidence is the red/green output the judge reads, tail-capped.
func (r *run) evidence() string {
	var b strings.Builder
	for _, c := range r.res.Fix.Checks {
		out := c.Output
		if len(out) > 3000 {
			out = "…" + out[len(out)-3000:]
		}
		fmt.Fprintf(&b, "%s (passed: %v)\n$ %s\n%s\n\n", c.Name, c.Passed, c.Command, out)
	}
	b.WriteString(r.res.Fix.Suite)
	return b.String()
}

// lastName is the function's own name without package or receiver.
func lastName(fn string) string {
	return fn[strings.LastIndexAny(fn, "./")+1:]
}

// guard runs the deterministic guards on the proven diff: 0 tokens, before
// the judge. Findings name file and line.
func (r *run) guard(inc *incident.Incident, ans *agent.Answer) ([]string, error) {
	defer r.stage("guard")()
	f := r.Policy.Fix
	in := judge.GuardInput{
		Diff: r.res.Fix.Diff, Protected: append(patch.DefaultProtected(), f.ProtectedPaths...), Allowed: f.AllowedPaths,
		MaxFiles: f.MaxFiles, MaxChangedLines: f.MaxChangedLines, KnownImports: r.Workspace.KnownImport,
		FrameLines:     map[string][]int{},
		RegressionTest: judge.TestRef{File: ans.RegressionTest.File, Name: ans.RegressionTest.Name},
	}
	for _, fr := range inc.InAppFrames() {
		if _, ok := in.FrameLines[fr.File]; !ok {
			in.FrameFiles = append(in.FrameFiles, fr.File)
		}
		in.FrameLines[fr.File] = append(in.FrameLines[fr.File], fr.Line)
	}
	findings, err := judge.Guard(in)
	if err != nil {
		return nil, fmt.Errorf("guard the diff: %w", err)
	}
	out := make([]string, len(findings))
	for i, fd := range findings {
		out[i] = fd.String()
	}
	r.res.Fix.Findings = out
	return out, nil
}

// testCommand is the test-command input, else the policy's.
func (r *run) testCommand() string {
	if r.Inputs.TestCommand != "" {
		return r.Inputs.TestCommand
	}
	return r.Policy.Fix.TestCommand
}
