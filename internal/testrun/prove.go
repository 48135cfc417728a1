package testrun

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/dawnpatch/dawnpatch/internal/patch"
)

// Verdict is the outcome of a proof.
type Verdict string

// The verdicts of Prove.
const (
	// VerdictProven: the new test reproduces the incident on base and
	// passes with the fix, twice, and the affected packages gained no
	// failures.
	VerdictProven Verdict = "proven"
	// VerdictNotReproduced: the new test does not fail on base for the
	// incident's reason.
	VerdictNotReproduced Verdict = "not-reproduced"
	// VerdictStillFailing: with the fix the new test still fails.
	VerdictStillFailing Verdict = "still-failing"
	// VerdictFlaky: with the fix the new test passed once and failed once.
	VerdictFlaky Verdict = "flaky"
	// VerdictRegressions: the fix makes other tests or packages fail.
	VerdictRegressions Verdict = "regressions"
)

// Expect is what the output of a genuine reproduction mentions, taken from
// the incident: the exception type, its message, or the crash function.
type Expect struct {
	Type, Message, Function string
}

// ProofRequest is a proof to run.
type ProofRequest struct {
	// Dir is a scratch copy of the repository at base.
	Dir string
	// Tests adds the new test; Fix is the change it should prove.
	Tests, Fix patch.Patch
	// TestFile is the repository-relative file of the new test and
	// TestName the test: the top-level test function for Go;
	// Class.test_method or test_method for Python (a bare method name is
	// looked up in TestFile for its class); the test's name for
	// JavaScript.
	TestFile, TestName string
	// Expect is what the failure on base must mention.
	Expect Expect
	// Reset puts Dir back to base.
	Reset func(ctx context.Context) error
	// Command, when not empty, replaces the detected test runner (the
	// test-command input or policy); see DetectFramework.
	Command string
	// BaseKey names the base tree for the cache of base suites (the scratch
	// copy's base tree hash); empty means no caching.
	BaseKey string
}

// Proof is the evidence for or against a fix.
type Proof struct {
	Verdict Verdict
	// Runner names the test runner that ran: go test, pytest, jest, ….
	Runner string
	// Detail says, for a person, why the verdict.
	Detail string
	// Red is the new test on base; Green and Green2 with the fix.
	Red, Green, Green2 Result
	// BaseSuite and FixedSuite are the suite on base and on fixed: for Go
	// the affected packages, for the other languages the whole suite.
	BaseSuite, FixedSuite Suite
	// Suite holds the runs behind BaseSuite and FixedSuite, in that order.
	Suite []Result
	// BaseCached reports that BaseSuite and Suite[0] come from an earlier
	// proof on the same base tree.
	BaseCached bool
	// Regressions are tests or packages the fix broke; StillFailing are
	// those that fail on base and fixed alike.
	Regressions, StillFailing []string
	// Renamed are tests that passed on base and are gone on fixed while as
	// many new tests (besides the regression test) pass: the change
	// renamed them. They are said, not blamed.
	Renamed []string
}

// Prove proves a fix in a repository of lang: (1) with only Tests applied,
// the new test alone must fail, not for a build, import or syntax error
// nor for want of running, and its output must mention req.Expect; (2)
// with Fix applied too, it must pass twice; (3) the suite runs on base
// (cached per base tree within the Runner) and on fixed, and any test or
// package that passes on base and not on fixed is a regression. The tree is
// left fixed. Findings are the Proof's Verdict; the error is for broken
// machinery (a bad request, a write that failed, a command that could not
// start).
func (r *Runner) Prove(ctx context.Context, lang Language, req ProofRequest) (*Proof, error) {
	if err := req.check(lang); err != nil {
		return nil, fmt.Errorf("prove: %w", err)
	}
	fw, err := r.DetectFramework(ctx, req.Dir, r.Executor().Root(req.Dir), lang, req.Command)
	if err != nil {
		return nil, fmt.Errorf("prove: %w", err)
	}
	pr := &prover{r: r, lang: lang, req: req, fw: fw, p: &Proof{Runner: fw.Name()}}
	done, err := pr.red(ctx)
	if err == nil && !done {
		done, err = pr.green(ctx)
	}
	if err == nil && !done {
		err = pr.suites(ctx)
	}
	if err != nil {
		return nil, err
	}
	return pr.p, nil
}

// check reports what is missing from a request.
func (req ProofRequest) check(lang Language) error {
	switch {
	case req.Dir == "":
		return errors.New("no directory")
	case !IsTestFile(lang, req.TestFile):
		return fmt.Errorf("test file %q is not a %s test file", req.TestFile, lang)
	case req.TestName == "":
		return errors.New("no test name")
	case req.Reset == nil:
		return errors.New("no reset")
	}
	return nil
}

// prover is one proof in progress.
type prover struct {
	r    *Runner
	lang Language
	req  ProofRequest
	fw   Framework
	p    *Proof
}

// targeted returns the job that runs the new test alone.
func (pr *prover) targeted() Job {
	argv := pr.fw.Targeted(TestRef{File: pr.req.TestFile, Name: pr.req.TestName})
	return Job{Dir: pr.req.Dir, Argv: argv, Env: pr.fw.Env()}
}

// overridden reports whether the runner is the test-command setting,
// which cannot be narrowed to one test.
func (pr *prover) overridden() bool {
	_, ok := pr.fw.(overridden)
	return ok
}

// red applies the tests and runs the new test on base.
func (pr *prover) red(ctx context.Context) (bool, error) {
	p := pr.p
	if why, err := apply(pr.req.Dir, pr.req.Tests); err != nil || why != "" {
		p.set(VerdictNotReproduced, "the test patch does not apply: %s", why)
		return true, err
	}
	res, err := pr.r.run(ctx, pr.targeted(), nil)
	p.Red = res
	if err != nil {
		return true, fmt.Errorf("prove: run the new test on base: %w", err)
	}
	if why := pr.notReproduced(res); why != "" {
		p.set(VerdictNotReproduced, "%s", why)
		return true, nil
	}
	return false, nil
}

// green applies the fix and runs the new test twice.
func (pr *prover) green(ctx context.Context) (bool, error) {
	p := pr.p
	if why, err := apply(pr.req.Dir, pr.req.Fix); err != nil || why != "" {
		p.set(VerdictStillFailing, "the fix does not apply: %s", why)
		return true, err
	}
	job := pr.targeted()
	var err error
	if p.Green, err = pr.r.run(ctx, job, nil); err != nil {
		return true, fmt.Errorf("prove: run the new test with the fix: %w", err)
	}
	if p.Green2, err = pr.r.run(ctx, job, nil); err != nil {
		return true, fmt.Errorf("prove: run the new test with the fix again: %w", err)
	}
	switch a, b := pr.passed(p.Green), pr.passed(p.Green2); {
	case !a && !b:
		p.set(VerdictStillFailing, "with the fix the new test still fails: %s", summaryFor(pr.lang, p.Green.Output))
		return true, nil
	case !a || !b:
		p.set(VerdictFlaky, "with the fix the new test passed once and failed once")
		return true, nil
	}
	return false, nil
}

// suites runs the suite on base (or takes it from the cache) and on fixed,
// and compares.
func (pr *prover) suites(ctx context.Context) error {
	p, req := pr.p, pr.req
	pkgs := affected(req)
	if err := req.Reset(ctx); err != nil {
		return fmt.Errorf("prove: reset to base: %w", err)
	}
	run := func() (Suite, Result, error) { return pr.r.RunSuite(ctx, req.Dir, pr.fw, pkgs) }
	base, baseRes, cached, err := pr.r.baseSuite(ctx, pr.cacheKey(pkgs), run)
	if err != nil {
		return fmt.Errorf("prove: suite on base: %w", err)
	}
	for _, pt := range []patch.Patch{req.Tests, req.Fix} {
		if _, err := pt.Apply(req.Dir); err != nil {
			return fmt.Errorf("prove: re-apply patch: %w", err)
		}
	}
	fixed, fixedRes, err := run()
	if err != nil {
		return fmt.Errorf("prove: suite on fixed: %w", err)
	}
	p.BaseSuite, p.FixedSuite, p.Suite, p.BaseCached = base, fixed, []Result{baseRes, fixedRes}, cached
	p.Regressions, p.StillFailing = Compare(base, fixed)
	p.Regressions, p.Renamed = renamed(base, fixed, p.Regressions, pr.req.TestName)
	pr.verdict(strings.Join(fixedRes.Argv, " "))
	return nil
}

// verdict sets the verdict of a proof whose new test was red then green.
// A test that already failed on base, before the change to it, proves
// nothing: its failure on base is not the new case's.
func (pr *prover) verdict(suite string) {
	p := pr.p
	if failed := matching(p.BaseSuite.Failed, pr.req.TestName); len(failed) > 0 && !pr.overridden() {
		p.set(VerdictNotReproduced, "the test %s already failed on the base code before the change to it (%s): its failure is not the new case's",
			pr.req.TestName, strings.Join(failed, ", "))
		return
	}
	if len(p.Regressions) > 0 {
		p.set(VerdictRegressions, "the fix breaks %s", strings.Join(p.Regressions, ", "))
		return
	}
	p.set(VerdictProven, "the new test fails on base as in the incident and passes twice with the fix; %d tests pass (%s)",
		len(p.FixedSuite.Passed), suite)
	if len(p.StillFailing) > 0 {
		p.Detail += fmt.Sprintf("; failing before and after: %s", strings.Join(p.StillFailing, ", "))
	}
	if len(p.Renamed) > 0 {
		p.Detail += fmt.Sprintf("; renamed by the change (gone, with as many new tests passing): %s", strings.Join(p.Renamed, ", "))
	}
}

// cacheKey names the base suite run: the base tree, the language and the
// suite's packages and command; "" when the request names no base.
func (pr *prover) cacheKey(pkgs []string) string {
	if pr.req.BaseKey == "" {
		return ""
	}
	return strings.Join([]string{pr.req.BaseKey, string(pr.lang), strings.Join(pr.fw.Suite(pkgs), " "), strings.Join(pkgs, " ")}, "\x00")
}

// set records the verdict and its explanation.
func (p *Proof) set(v Verdict, format string, args ...any) {
	p.Verdict, p.Detail = v, fmt.Sprintf(format, args...)
}

// apply writes a patch; an invalid patch is a finding (why), a failed write
// an error.
func apply(dir string, pt patch.Patch) (why string, err error) {
	_, err = pt.Apply(dir)
	var pe *patch.Error
	if errors.As(err, &pe) {
		return pe.Error(), nil
	}
	if err != nil {
		return "", fmt.Errorf("prove: apply patch: %w", err)
	}
	return "", nil
}

// affected returns the package patterns of the Go files the patches touch
// and of the new test, sorted (used by Go suites only).
func affected(req ProofRequest) []string {
	pkgs := []string{pkgArg(path.Dir(req.TestFile))}
	for _, e := range append(slices.Clone(req.Tests.Edits), req.Fix.Edits...) {
		if strings.HasSuffix(e.File, ".go") {
			pkgs = append(pkgs, pkgArg(path.Dir(e.File)))
		}
	}
	slices.Sort(pkgs)
	return slices.Compact(pkgs)
}

// renamed sets apart the regressions that are renames: tests that passed
// on base and are missing (not failing, not skipped) on fixed, when at least as many
// tests new on fixed pass, the regression test not counted. A deleted test
// has no new test to stand for it and stays a regression.
func renamed(base, fixed Suite, regressions []string, test string) (kept, gone []string) {
	onFixed := setOf(fixed.Passed, fixed.Failed, fixed.Skipped, fixed.BuildFailed)
	onBase := setOf(base.Passed, base.Failed, base.BuildFailed)
	var missing []string
	for _, r := range regressions {
		if onFixed[r] {
			kept = append(kept, r)
		} else {
			missing = append(missing, r)
		}
	}
	added := 0
	for _, n := range fixed.Passed {
		if !onBase[n] && !matchesTest([]string{n}, test) {
			added++
		}
	}
	if len(missing) == 0 || added < len(missing) {
		return regressions, nil
	}
	return kept, missing
}
