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

// The verdicts of ProveGo.
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
	// TestName its top-level test function.
	TestFile, TestName string
	// Expect is what the failure on base must mention.
	Expect Expect
	// Reset puts Dir back to base.
	Reset func(ctx context.Context) error
}

// Proof is the evidence for or against a fix.
type Proof struct {
	Verdict Verdict
	// Detail says, for a person, why the verdict.
	Detail string
	// Red is the new test on base; Green and Green2 with the fix.
	Red, Green, Green2 Result
	// BaseSuite and FixedSuite are the affected packages on base and fixed.
	BaseSuite, FixedSuite Suite
	// Suite holds the runs behind BaseSuite and FixedSuite, in that order.
	Suite []Result
	// Regressions are tests or packages the fix broke; StillFailing are
	// those that fail on base and fixed alike.
	Regressions, StillFailing []string
}

// ProveGo proves a fix: (1) with only Tests applied, the new test alone
// must fail, for a reason other than a build failure or a missing test, and
// its output must mention req.Expect; (2) with Fix applied too, it must pass
// twice; (3) the packages the patches touch are run on base and on fixed,
// and any test or package that passes on base and not on fixed is a
// regression. The tree is left fixed. Findings are the Proof's Verdict; the
// error is for broken machinery (a bad request, a write that failed, a go
// command that could not start).
func (r *Runner) ProveGo(ctx context.Context, req ProofRequest) (*Proof, error) {
	if err := req.check(); err != nil {
		return nil, fmt.Errorf("prove: %w", err)
	}
	p := &Proof{}
	done, err := r.red(ctx, req, p)
	if err == nil && !done {
		done, err = r.green(ctx, req, p)
	}
	if err == nil && !done {
		err = r.suites(ctx, req, p)
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// check reports what is missing from a request.
func (req ProofRequest) check() error {
	switch {
	case req.Dir == "":
		return errors.New("no directory")
	case !patch.IsGoTest(req.TestFile):
		return fmt.Errorf("test file %q is not a Go test file", req.TestFile)
	case req.TestName == "":
		return errors.New("no test name")
	case req.Reset == nil:
		return errors.New("no reset")
	}
	return nil
}

// red applies the tests and runs the new test on base.
func (r *Runner) red(ctx context.Context, req ProofRequest, p *Proof) (bool, error) {
	if why, err := apply(req.Dir, req.Tests); err != nil || why != "" {
		p.set(VerdictNotReproduced, "the test patch does not apply: %s", why)
		return true, err
	}
	res, err := r.Run(ctx, req.Dir, GoTestArgs(path.Dir(req.TestFile), req.TestName))
	p.Red = res
	if err != nil {
		return true, fmt.Errorf("prove: run the new test on base: %w", err)
	}
	if why := notReproduced(res, req.TestName, req.Expect); why != "" {
		p.set(VerdictNotReproduced, "%s", why)
		return true, nil
	}
	return false, nil
}

// green applies the fix and runs the new test twice.
func (r *Runner) green(ctx context.Context, req ProofRequest, p *Proof) (bool, error) {
	if why, err := apply(req.Dir, req.Fix); err != nil || why != "" {
		p.set(VerdictStillFailing, "the fix does not apply: %s", why)
		return true, err
	}
	argv := GoTestArgs(path.Dir(req.TestFile), req.TestName)
	var err error
	if p.Green, err = r.Run(ctx, req.Dir, argv); err != nil {
		return true, fmt.Errorf("prove: run the new test with the fix: %w", err)
	}
	if p.Green2, err = r.Run(ctx, req.Dir, argv); err != nil {
		return true, fmt.Errorf("prove: run the new test with the fix again: %w", err)
	}
	switch a, b := passed(p.Green), passed(p.Green2); {
	case !a && !b:
		p.set(VerdictStillFailing, "with the fix the new test still fails: %s", summary(p.Green.Output))
		return true, nil
	case !a || !b:
		p.set(VerdictFlaky, "with the fix the new test passed once and failed once")
		return true, nil
	}
	return false, nil
}

// suites runs the affected packages on base and on fixed and compares.
func (r *Runner) suites(ctx context.Context, req ProofRequest, p *Proof) error {
	pkgs := affected(req)
	if err := req.Reset(ctx); err != nil {
		return fmt.Errorf("prove: reset to base: %w", err)
	}
	base, baseRes, err := r.GoSuite(ctx, req.Dir, pkgs)
	if err != nil {
		return fmt.Errorf("prove: suite on base: %w", err)
	}
	for _, pt := range []patch.Patch{req.Tests, req.Fix} {
		if _, err := pt.Apply(req.Dir); err != nil {
			return fmt.Errorf("prove: re-apply patch: %w", err)
		}
	}
	fixed, fixedRes, err := r.GoSuite(ctx, req.Dir, pkgs)
	if err != nil {
		return fmt.Errorf("prove: suite on fixed: %w", err)
	}
	p.BaseSuite, p.FixedSuite, p.Suite = base, fixed, []Result{baseRes, fixedRes}
	p.Regressions, p.StillFailing = Compare(base, fixed)
	if len(p.Regressions) > 0 {
		p.set(VerdictRegressions, "the fix breaks %s", strings.Join(p.Regressions, ", "))
		return nil
	}
	p.set(VerdictProven, "the new test fails on base as in the incident and passes twice with the fix; %d tests pass in %s",
		len(fixed.Passed), strings.Join(pkgs, " "))
	if len(p.StillFailing) > 0 {
		p.Detail += fmt.Sprintf("; failing before and after: %s", strings.Join(p.StillFailing, ", "))
	}
	return nil
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
// and of the new test, sorted.
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
