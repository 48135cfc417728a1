package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/agent"
	"github.com/dawnpatch/dawnpatch/internal/judge"
	"github.com/dawnpatch/dawnpatch/internal/patch"
	"github.com/dawnpatch/dawnpatch/internal/testrun"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// maxTestLines is how much of each nearby test file the fixer sees.
const maxTestLines = 150

// attempt is one fix attempt as one value: each step takes it and returns
// it with its own part filled in. The changes and their diff are computed
// from the answer and the pristine checkout before any test runs; they are
// what the guards, the judge, the pull request and the commit all see.
type attempt struct {
	claimed
	// N counts the attempts from 1.
	N      int
	answer *agent.Answer
	// changes are the answer's edits as whole files, before and after;
	// diff renders them.
	changes []patch.Change
	diff    string
	proof   *testrun.Proof
	// findings are the deterministic guards' objections.
	findings []judge.Finding
	verdict  *judge.Verdict
}

// attempts runs diagnose+fix → verify → guard → judge until the judge
// accepts a proven fix or the policy's attempts run out. The guards' and
// the judge's reasons go back to the fixer for the next attempt.
func (r *run) attempts(ctx context.Context, c claimed) (*attempt, *Outcome, error) {
	root, err := r.Tests.ScratchRoot(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("find where scratch copies go: %w", err)
	}
	scratch, err := r.Workspace.Scratch(ctx, filepath.Join(root, "scratch-"+filepath.Base(c.Branch)), testrun.KeptOnReset...)
	if err != nil {
		return nil, nil, fmt.Errorf("make scratch copy: %w", err)
	}
	defer scratch.Remove()
	tests, out, err := r.prepare(ctx, c, scratch)
	if out != nil || err != nil {
		return nil, out, err
	}
	in := agent.FixInput{Incident: c.inc, Location: c.loc, Module: r.Workspace.Module(), Tests: r.testFiles(c.loc)}
	var why []string // every attempt's rejection, for the final outcome
	var last *Outcome
	for n := 1; n <= r.Policy.Judge.MaxAttempts; n++ {
		if n > 1 {
			if err := r.budget.Require(modelCallsPerAttempt); err != nil {
				return nil, Skip(ReasonBudgetExhausted, "after %d judged attempts: %v", n-1, err), nil
			}
		}
		a, out, err := r.try(ctx, &attempt{claimed: c, N: n}, in, scratch, tests)
		if out != nil || err != nil {
			return nil, out, err
		}
		if a.verdict != nil && a.verdict.Accepts(c.threshold) {
			return a, nil, nil
		}
		reason, feedback := r.rejection(a)
		why = append(why, reason)
		in.Feedback = feedback
		last = Skip(ReasonGuardRejected, "%s", strings.Join(why, "\n"))
		if a.verdict != nil {
			last.Reason = ReasonJudgeRejected
		}
	}
	return nil, last, nil
}

// try takes one attempt through its steps; it stops at the first step that
// ends the run.
func (r *run) try(ctx context.Context, a *attempt, in agent.FixInput, s *workspace.Scratch, t Proving) (*attempt, *Outcome, error) {
	a, out, err := r.draft(ctx, a, in)
	if out != nil || err != nil {
		return a, out, err
	}
	if a, out, err = r.validate(ctx, a); out != nil || err != nil {
		return a, out, err
	}
	if a, out, err = r.verify(ctx, a, s, t); out != nil || err != nil {
		return a, out, err
	}
	if a, out, err = r.guard(ctx, a); out != nil || err != nil || len(judge.Stops(a.findings)) > 0 {
		return a, out, err
	}
	return r.judge(ctx, a)
}

// rejection words why an attempt was not accepted, for the outcome and for
// the fixer's next attempt.
func (r *run) rejection(a *attempt) (reason, feedback string) {
	max := r.Policy.Judge.MaxAttempts
	if a.verdict == nil {
		lines := findingLines(judge.Stops(a.findings))
		return fmt.Sprintf("attempt %d of %d: the guards found %s", a.N, max, strings.Join(lines, "; ")),
			"Rules every fix must follow rejected it:\n" + strings.Join(lines, "\n")
	}
	v := a.verdict
	feedback = v.Feedback()
	if notes := findingLines(judge.Notes(a.findings)); len(notes) > 0 {
		feedback += "\nThe guards also noted (not a rejection by itself):\n" + strings.Join(notes, "\n")
	}
	return fmt.Sprintf("attempt %d of %d: the judge scored %.2f (threshold %.2f, hard no: %v): %s",
		a.N, max, v.Total(), a.threshold, v.HardNo, v.Summary), feedback
}

// prepare readies the scratch copy for proofs, once per run: the image
// the tests run in, and the setup that installs the dependencies. A setup
// that fails stops the run with its own reason: nothing could be proven.
func (r *run) prepare(ctx context.Context, c claimed, s *workspace.Scratch) (Proving, *Outcome, error) {
	defer r.stage("setup")()
	t, err := r.Tests.Prepare(ctx, s.Dir(), c.lang)
	if err != nil {
		return nil, nil, fmt.Errorf("prepare the tests: %w", err)
	}
	p := t.Preparation()
	env := &TestEnvironment{Runner: p.Runner, Image: p.Image.Name, ImageReason: p.Image.Reason, Pull: p.Pull, SetupFailed: p.Failed}
	env.SetupFailed = r.scrub(p.Failed)
	for _, res := range p.Setup {
		env.Setup = append(env.Setup, Check{Name: "Setup", Command: strings.Join(res.Argv, " "), Passed: res.ExitCode == 0,
			Output: r.scrub(res.Output), Duration: res.Duration})
		r.res.Usage.SetupTime += res.Duration
	}
	r.res.Tests = env
	r.res.Notes = append(r.res.Notes, p.Notes...)
	if p.Refused != "" {
		return nil, Skip(ReasonNotAvailable, "dawnpatch will not run the tests here: %s", p.Refused), nil
	}
	if p.Failed != "" {
		return nil, Skip(ReasonSetupFailed, "%s", env.SetupFailed), nil
	}
	return t, nil, nil
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

// draft asks the model for a diagnosis and a patch.
func (r *run) draft(ctx context.Context, a *attempt, in agent.FixInput) (*attempt, *Outcome, error) {
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
		return a, out, err
	}
	a.answer = ans
	return a, nil, nil
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

// validate checks the answer's edits against the pristine checkout and
// computes the changes and the diff: the data every later step judges and
// the commit is made of.
func (r *run) validate(_ context.Context, a *attempt) (*attempt, *Outcome, error) {
	changes, err := a.answer.Patch().Changes(r.Workspace.Root(), r.limits())
	if err != nil {
		return a, Skip(ReasonNoPatch, "the patch is not valid: %v", err), nil
	}
	a.changes, a.diff = changes, patch.Diff(changes)
	r.res.Fix.Diff = a.diff
	return a, nil, nil
}

// verify proves the patch in the scratch copy: the new test fails on base
// for the incident's reason and passes with the fix, and the suite has no
// new failures. What the tests leave in the scratch copy is never read
// again.
func (r *run) verify(ctx context.Context, a *attempt, s *workspace.Scratch, t Proving) (*attempt, *Outcome, error) {
	defer r.stage("verify")()
	if err := s.Reset(ctx); err != nil {
		return a, nil, fmt.Errorf("reset scratch copy: %w", err)
	}
	ans := a.answer
	tests, fix := ans.Patch().Split(func(path string) bool { return testrun.IsTestFile(a.lang, path) })
	base, err := s.Tree(ctx)
	if err != nil {
		return a, nil, fmt.Errorf("read the scratch copy's base: %w", err)
	}
	proof, err := t.Prove(ctx, testrun.ProofRequest{
		Dir: s.Dir(), Tests: tests, Fix: fix,
		TestFile: ans.RegressionTest.File, TestName: ans.RegressionTest.Name,
		Expect:  testrun.Expect{Type: a.inc.Type, Message: a.inc.Message, Function: lastName(crashFunction(a.located))},
		Reset:   s.Reset,
		Command: r.testCommand(),
		BaseKey: base,
	})
	if err != nil {
		return a, nil, fmt.Errorf("prove the fix: %w", err)
	}
	a.proof = r.scrubProof(proof)
	r.recordProof(a.proof)
	return a, proofOutcome(proof), nil
}

// crashFunction is the crash as located in the checkout: an error reported
// through a hook has in-app frames outside the repository below it.
func crashFunction(l located) string {
	if l.loc.Crash.Function != "" {
		return l.loc.Crash.Function
	}
	f, _ := l.inc.CrashFrame()
	return f.Function
}

func (r *run) limits() patch.Limits {
	f := r.Policy.Fix
	return patch.Limits{
		MaxFiles: f.MaxFiles, MaxChangedLines: f.MaxChangedLines,
		Protected: r.protected(), Allowed: f.AllowedPaths,
	}
}

// protected are the paths no fix may touch: the built-in list, the
// policy's, and the policy file itself wherever it lives.
func (r *run) protected() []string {
	p := append(patch.DefaultProtected(), r.Policy.Fix.ProtectedPaths...)
	if f := strings.TrimPrefix(path.Clean(r.Inputs.PolicyFile), "./"); f != "" && f != "." {
		p = append(p, f)
	}
	return p
}

// scrubProof removes secrets from the outputs of a proof's runs before
// they reach the judge, the summary or a pull request: a test may print
// what it can read.
func (r *run) scrubProof(p *testrun.Proof) *testrun.Proof {
	c := *p
	for _, res := range []*testrun.Result{&c.Red, &c.Green, &c.Green2} {
		res.Output = r.scrub(res.Output)
	}
	c.Suite = append([]testrun.Result(nil), p.Suite...)
	for i := range c.Suite {
		c.Suite[i].Output = r.scrub(c.Suite[i].Output)
	}
	c.Detail = r.scrub(p.Detail)
	return &c
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
	r.res.Fix.Checks = nil
	for _, c := range proofChecks(p) {
		r.res.Usage.TestTime += c.Duration
		r.res.Fix.Checks = append(r.res.Fix.Checks, c)
	}
	r.res.Fix.Suite = suiteLine(p)
}

// proofChecks lists the runs of a proof as evidence, leaving out a base
// suite an earlier attempt ran (already counted).
func proofChecks(p *testrun.Proof) []Check {
	var out []Check
	add := func(name string, res testrun.Result) {
		if res.Argv == nil {
			return
		}
		out = append(out, Check{Name: name, Command: strings.Join(res.Argv, " "), Passed: res.ExitCode == 0,
			Output: res.Output, Duration: res.Duration})
	}
	add("New test on the base code (must fail)", p.Red)
	add("New test with the fix (must pass)", p.Green)
	add("New test with the fix, again (must pass)", p.Green2)
	for i, s := range p.Suite {
		if i == 0 && p.BaseCached {
			continue
		}
		add(suiteNames[min(i, len(suiteNames)-1)], s)
	}
	return out
}

// suiteNames label the suite runs of a proof, in the order Prove runs them.
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

// guard runs the deterministic guards on the attempt's diff: 0 tokens,
// before the judge. Findings name file and line.
func (r *run) guard(_ context.Context, a *attempt) (*attempt, *Outcome, error) {
	defer r.stage("guard")()
	f := r.Policy.Fix
	in := judge.GuardInput{
		Diff: a.diff, Protected: r.protected(), Allowed: f.AllowedPaths,
		MaxFiles: f.MaxFiles, MaxChangedLines: f.MaxChangedLines, KnownImports: r.Workspace.KnownImport,
		FrameLines:     map[string][]int{},
		RegressionTest: judge.TestRef{File: a.answer.RegressionTest.File, Name: a.answer.RegressionTest.Name},
	}
	for _, fr := range a.inc.InAppFrames() {
		if _, ok := in.FrameLines[fr.File]; !ok {
			in.FrameFiles = append(in.FrameFiles, fr.File)
		}
		in.FrameLines[fr.File] = append(in.FrameLines[fr.File], fr.Line)
	}
	findings, err := judge.Guard(in)
	if err != nil {
		return a, nil, fmt.Errorf("guard the diff: %w", err)
	}
	if r.Secrets.Holds(a.diff) {
		findings = append(findings, judge.Finding{Rule: "secret", Message: "the diff holds one of the run's secrets"})
	}
	a.findings = findings
	r.res.Fix.Findings = findingLines(findings)
	return a, nil, nil
}

// findingLines formats findings, one per line.
func findingLines(fs []judge.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.String()
	}
	return out
}

// judge has a separate model score the proven diff.
func (r *run) judge(ctx context.Context, a *attempt) (*attempt, *Outcome, error) {
	defer r.stage("judge")()
	ctx, cancel := context.WithTimeout(ctx, judgeTime)
	defer cancel()
	j := judge.Judge{Model: r.model, ModelName: r.Inputs.JudgeModel, Rand: r.Rand}
	d := a.answer.Diagnosis
	in := judge.Input{Type: a.inc.Type, Message: a.inc.Message, CrashFrame: d.CrashFrame, CauseFrame: d.CauseFrame,
		RootCause: d.RootCause, WhyNotSymptom: d.WhyNotSymptom, Diff: a.diff, Evidence: evidence(a.proof) + guardNotes(a.findings)}
	for _, f := range a.inc.InAppFrames() {
		in.Frames = append(in.Frames, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Function))
	}
	v, err := j.Judge(ctx, in)
	if err != nil {
		out, err := modelFailure(err)
		if out == nil && err != nil && errors.Is(err, judge.ErrInvalidVerdict) {
			return a, Skip(ReasonJudgeRejected, "the judge gave no usable verdict: %v", err), nil
		}
		return a, out, err
	}
	a.verdict = v
	r.recordVerdict(v)
	return a, nil, nil
}

func (r *run) recordVerdict(v *judge.Verdict) {
	r.res.Fix.Scores = nil
	for _, s := range v.Scores {
		r.res.Fix.Scores = append(r.res.Fix.Scores, Score{Criterion: s.Criterion, Score: s.Score, Reason: s.Reason})
	}
	r.res.Fix.JudgeTotal, r.res.Fix.JudgeSummary = v.Total(), v.Summary
}

// evidence is the red/green output the judge reads, tail-capped.
func evidence(p *testrun.Proof) string {
	var b strings.Builder
	for _, c := range proofChecks(p) {
		out := c.Output
		if len(out) > 3000 {
			out = "…" + out[len(out)-3000:]
		}
		fmt.Fprintf(&b, "%s (passed: %v)\n$ %s\n%s\n\n", c.Name, c.Passed, c.Command, out)
	}
	b.WriteString(suiteLine(p))
	return b.String()
}

// guardNotes are the guards' notes for the judge: what a rule saw that is
// not a rejection by itself (a narrow catch with a fallback, an edited
// assertion), to weigh.
func guardNotes(fs []judge.Finding) string {
	notes := findingLines(judge.Notes(fs))
	if len(notes) == 0 {
		return ""
	}
	return "\n\nThe deterministic guards noted (weigh them; they did not reject the fix):\n" + strings.Join(notes, "\n")
}

// lastName is the function's own name without package or receiver.
func lastName(fn string) string {
	return fn[strings.LastIndexAny(fn, "./")+1:]
}

// testCommand is the test-command input, else the policy's.
func (r *run) testCommand() string {
	if r.Inputs.TestCommand != "" {
		return r.Inputs.TestCommand
	}
	return r.Policy.Fix.TestCommand
}
