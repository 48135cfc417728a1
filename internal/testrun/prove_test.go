package testrun

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/patch"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// nilExpect is what sentry-go reports for the nil dereference in
// (*Store).Total.
var nilExpect = Expect{
	Type:     "runtime.Error",
	Message:  "runtime error: invalid memory address or nil pointer dereference",
	Function: "(*Store).Total",
}

// readFixturePatch decodes testdata/testrun/nilpanic/<name>.patch.json.
func readFixturePatch(t *testing.T, name string) patch.Patch {
	t.Helper()
	if name == "" {
		return patch.Patch{}
	}
	return readPatchFile(t, filepath.Join("..", "..", "testdata", "testrun", "nilpanic", name+".patch.json"))
}

// readPatchFile decodes a patch, refusing unknown fields.
func readPatchFile(t *testing.T, name string) patch.Patch {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var p patch.Patch
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
	return p
}

// nilScratch makes a scratch copy of the nilpanic sample.
func nilScratch(t *testing.T) *workspace.Scratch {
	t.Helper()
	w, err := workspace.Open(filepath.Join("..", "..", "testdata", "testrun", "nilpanic", "repo"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := w.Scratch(context.Background(), filepath.Join(reachableTempDir(t), "scratch"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestProveGo(t *testing.T) {
	requireGo(t)
	const pkg = "example.com/shop/orders"
	tests := []struct {
		name        string
		tests, fix  string
		want        Verdict
		wantDetail  string
		wantRegress []string
	}{
		{name: "true reproduction", tests: "tests", fix: "fix", want: VerdictProven, wantDetail: "passes twice with the fix"},
		{name: "test does not compile", tests: "compile-error-test", fix: "fix", want: VerdictNotReproduced, wantDetail: "does not build on base: orders/total_regress_test.go:"},
		{name: "test passes on base", tests: "passing-test", fix: "fix", want: VerdictNotReproduced, wantDetail: "passes on base"},
		{name: "test fails for another reason", tests: "unrelated-test", fix: "fix", want: VerdictNotReproduced, wantDetail: "does not mention the incident"},
		{name: "fix breaks an old test", tests: "tests", fix: "breaking-fix", want: VerdictRegressions, wantDetail: pkg + ".TestTotal", wantRegress: []string{pkg + ".TestTotal"}},
		{name: "fix does not fix", tests: "tests", fix: "no-fix", want: VerdictStillFailing, wantDetail: "still fails"},
		{name: "fixed test passes once", tests: "flaky-test", fix: "fix", want: VerdictFlaky, wantDetail: "passed once and failed once"},
		{name: "no fix at all", tests: "tests", fix: "", want: VerdictStillFailing, wantDetail: "the fix does not apply: patch: no edits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := nilScratch(t)
			req := ProofRequest{
				Dir: s.Dir(), Tests: readFixturePatch(t, tt.tests), Fix: readFixturePatch(t, tt.fix),
				TestFile: "orders/total_regress_test.go", TestName: "TestTotalUnknownOrder",
				Expect: nilExpect, Reset: s.Reset,
			}
			got, err := sandbox(t).Prove(context.Background(), Go, req)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %s", got.Verdict, got.Detail)
			if got.Verdict != tt.want || !strings.Contains(got.Detail, tt.wantDetail) {
				t.Errorf("ProveGo() = %s (%s); want %s with %q\nred:\n%s\ngreen:\n%s", got.Verdict, got.Detail, tt.want, tt.wantDetail, got.Red.Output, got.Green.Output)
			}
			if diff := cmp.Diff(tt.wantRegress, got.Regressions); diff != "" {
				t.Errorf("Regressions mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProveGo_evidence(t *testing.T) {
	requireGo(t)
	t.Parallel()
	ctx := context.Background()
	s := nilScratch(t)
	req := ProofRequest{
		Dir: s.Dir(), Tests: readFixturePatch(t, "tests"), Fix: readFixturePatch(t, "fix"),
		TestFile: "orders/total_regress_test.go", TestName: "TestTotalUnknownOrder",
		Expect: nilExpect, Reset: s.Reset,
	}
	p, err := sandbox(t).Prove(ctx, Go, req)
	if err != nil {
		t.Fatal(err)
	}
	if p.Verdict != VerdictProven {
		t.Fatalf("Verdict = %s (%s), want proven", p.Verdict, p.Detail)
	}
	if !strings.Contains(p.Red.Output, "nil pointer dereference") || p.Red.ExitCode == 0 {
		t.Errorf("red run does not show the panic (exit %d):\n%s", p.Red.ExitCode, p.Red.Output)
	}
	if p.Green.ExitCode != 0 || p.Green2.ExitCode != 0 {
		t.Errorf("green runs exit %d and %d, want 0", p.Green.ExitCode, p.Green2.ExitCode)
	}
	const pkg = "example.com/shop/orders"
	wantBase := Suite{Passed: []string{pkg + ".TestCount", pkg + ".TestTotal"}}
	wantFixed := Suite{Passed: []string{pkg + ".TestCount", pkg + ".TestTotal", pkg + ".TestTotalUnknownOrder"}}
	if diff := cmp.Diff(wantBase, p.BaseSuite); diff != "" {
		t.Errorf("BaseSuite mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantFixed, p.FixedSuite); diff != "" {
		t.Errorf("FixedSuite mismatch (-want +got):\n%s", diff)
	}
	if len(p.Suite) != 2 || !slices.Contains(p.Suite[1].Argv, "./orders") {
		t.Errorf("Suite runs = %+v, want base and fixed runs of ./orders", p.Suite)
	}
	changed, err := s.Changed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"orders/store.go", "orders/total_regress_test.go"}, changed); diff != "" {
		t.Errorf("the scratch is not left fixed (-want +got):\n%s", diff)
	}
}

func TestProveGo_badRequest(t *testing.T) {
	ok := ProofRequest{Dir: "/tmp/x", TestFile: "a/a_test.go", TestName: "TestA", Reset: func(context.Context) error { return nil }}
	tests := []struct {
		name   string
		mutate func(*ProofRequest)
	}{
		{"no dir", func(r *ProofRequest) { r.Dir = "" }},
		{"not a test file", func(r *ProofRequest) { r.TestFile = "a/a.go" }},
		{"no test name", func(r *ProofRequest) { r.TestName = "" }},
		{"no reset", func(r *ProofRequest) { r.Reset = nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := ok
			tt.mutate(&req)
			if p, err := (&Runner{}).Prove(context.Background(), Go, req); err == nil {
				t.Errorf("ProveGo() = %+v, want an error", p)
			}
		})
	}
}

func TestGoSuite_buildFailure(t *testing.T) {
	requireGo(t)
	t.Parallel()
	s := nilScratch(t)
	if _, err := readFixturePatch(t, "compile-error-test").Apply(s.Dir()); err != nil {
		t.Fatal(err)
	}
	suite, res, err := sandbox(t).RunSuite(context.Background(), s.Dir(), goTest{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Suite{BuildFailed: []string{"example.com/shop/orders"}}
	if diff := cmp.Diff(want, suite); diff != "" {
		t.Errorf("GoSuite() mismatch (-want +got):\n%s\noutput:\n%s", diff, res.Output)
	}
	if !strings.Contains(res.Output, "TotalOf") || strings.Contains(res.Output, `"Action"`) {
		t.Errorf("output should hold the compiler's words, not JSON:\n%s", res.Output)
	}
}
