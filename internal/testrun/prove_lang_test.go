package testrun

import (
	"context"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/patch"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// requireTool skips tests that need a program missing from PATH.
func requireTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Skipf("skipping: %s is not on PATH", name)
	}
}

// langSample is a sample repository under testdata/testrun/<dir> with its
// patches, and the incident its crash makes.
type langSample struct {
	lang               Language
	tool, dir          string
	testFile, testName string
	expect             Expect
	oldTest            string // the name of an existing test the breaking fix breaks
}

var (
	pySample = langSample{
		lang: Python, tool: "python3", dir: "python-repro",
		testFile: "tests/test_regress.py", testName: "test_total_unknown_order",
		expect:  Expect{Type: "AttributeError", Message: "'NoneType' object has no attribute 'amount'", Function: "shop.orders.Store.total"},
		oldTest: "tests.test_orders.StoreTest.test_count",
	}
	jsSample = langSample{
		lang: JavaScript, tool: "node", dir: "node-repro",
		testFile: "test/regress.test.js", testName: "total of an unknown order is zero",
		expect:  Expect{Type: "TypeError", Message: "Cannot read properties of undefined (reading 'amount')", Function: "Store.total"},
		oldTest: "count",
	}
)

// scratch makes a scratch copy of the sample's repository.
func (s langSample) scratch(t *testing.T) *workspace.Scratch {
	t.Helper()
	w, err := workspace.Open(filepath.Join("..", "..", "testdata", "testrun", s.dir, "repo"))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := w.Scratch(context.Background(), filepath.Join(reachableTempDir(t), "scratch"))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// request builds the proof of the named patches in a fresh scratch copy.
func (s langSample) request(t *testing.T, tests, fix string) ProofRequest {
	t.Helper()
	sc := s.scratch(t)
	base, err := sc.Tree(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return ProofRequest{
		Dir: sc.Dir(), Tests: readPatch(t, s.dir, tests), Fix: readPatch(t, s.dir, fix),
		TestFile: s.testFile, TestName: s.testName, Expect: s.expect, Reset: sc.Reset, BaseKey: base,
	}
}

// readPatch decodes testdata/testrun/<dir>/<name>.patch.json.
func readPatch(t *testing.T, dir, name string) patch.Patch {
	t.Helper()
	if name == "" {
		return patch.Patch{}
	}
	return readPatchFile(t, filepath.Join("..", "..", "testdata", "testrun", dir, name+".patch.json"))
}

func TestProve_pythonAndNode(t *testing.T) {
	tests := []struct {
		name, tests, fix string
		want             Verdict
		wantDetail       string
		regress          bool
	}{
		{name: "true reproduction", tests: "tests", fix: "fix", want: VerdictProven, wantDetail: "passes twice with the fix"},
		{name: "test does not load", tests: "load-error-test", fix: "fix", want: VerdictNotReproduced, wantDetail: "does not load on base"},
		{name: "test fails for another reason", tests: "unrelated-test", fix: "fix", want: VerdictNotReproduced, wantDetail: "does not mention the incident"},
		{name: "fix breaks an old test", tests: "tests", fix: "breaking-fix", want: VerdictRegressions, wantDetail: "the fix breaks", regress: true},
		{name: "fix does not fix", tests: "tests", fix: "no-fix", want: VerdictStillFailing, wantDetail: "still fails"},
		{name: "fixed test passes once", tests: "flaky-test", fix: "fix", want: VerdictFlaky, wantDetail: "passed once and failed once"},
	}
	for _, s := range []langSample{pySample, jsSample} {
		t.Run(string(s.lang), func(t *testing.T) {
			requireTool(t, s.tool)
			t.Parallel()
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					t.Parallel()
					got, err := sandbox(t).Prove(context.Background(), s.lang, s.request(t, tt.tests, tt.fix))
					if err != nil {
						t.Fatal(err)
					}
					t.Logf("%s: %s", got.Verdict, got.Detail)
					if got.Verdict != tt.want || !strings.Contains(got.Detail, tt.wantDetail) {
						t.Errorf("Prove() = %s (%s); want %s with %q\nred:\n%s\ngreen:\n%s", got.Verdict, got.Detail, tt.want, tt.wantDetail, got.Red.Output, got.Green.Output)
					}
					var wantRegress []string
					if tt.regress {
						wantRegress = []string{s.oldTest}
					}
					if diff := cmp.Diff(wantRegress, got.Regressions); diff != "" {
						t.Errorf("Regressions mismatch (-want +got):\n%s", diff)
					}
				})
			}
		})
	}
}

func TestProve_evidenceAndBaseCache(t *testing.T) {
	tests := []struct {
		sample          langSample
		wantRed, wantOK string
		base, fixed     Suite
	}{
		{
			sample: pySample, wantRed: "python3 -m unittest -v tests.test_regress.RegressTest.test_total_unknown_order",
			base: Suite{Passed: []string{"tests.test_orders.StoreTest.test_count", "tests.test_orders.StoreTest.test_total"}},
			fixed: Suite{Passed: []string{"tests.test_orders.StoreTest.test_count", "tests.test_orders.StoreTest.test_total",
				"tests.test_regress.RegressTest.test_total_unknown_order"}},
		},
		{
			sample: jsSample, wantRed: "node --test --test-reporter=tap --test-name-pattern=(^|\\s)total of an unknown order is zero$ test/regress.test.js",
			base:  Suite{Passed: []string{"count", "total of a known order"}},
			fixed: Suite{Passed: []string{"count", "total of a known order", "total of an unknown order is zero"}},
		},
	}
	for _, tt := range tests {
		t.Run(string(tt.sample.lang), func(t *testing.T) {
			requireTool(t, tt.sample.tool)
			t.Parallel()
			ctx := context.Background()
			r := sandbox(t)
			req := tt.sample.request(t, "tests", "fix")
			first, err := r.Prove(ctx, tt.sample.lang, req)
			if err != nil {
				t.Fatal(err)
			}
			if first.Verdict != VerdictProven || first.BaseCached {
				t.Fatalf("first proof = %s (%s), cached %v; want proven, not cached", first.Verdict, first.Detail, first.BaseCached)
			}
			if got := strings.Join(first.Red.Argv, " "); got != tt.wantRed {
				t.Errorf("red command = %q, want %q", got, tt.wantRed)
			}
			if !tt.sample.expect.mentionedIn(tt.sample.lang, first.Red.Output) || first.Red.ExitCode == 0 {
				t.Errorf("red run does not show the incident (exit %d):\n%s", first.Red.ExitCode, first.Red.Output)
			}
			if diff := cmp.Diff(tt.base, first.BaseSuite); diff != "" {
				t.Errorf("BaseSuite mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.fixed, first.FixedSuite); diff != "" {
				t.Errorf("FixedSuite mismatch (-want +got):\n%s", diff)
			}
			if err := req.Reset(ctx); err != nil {
				t.Fatal(err)
			}
			second, err := r.Prove(ctx, tt.sample.lang, req)
			if err != nil {
				t.Fatal(err)
			}
			if second.Verdict != VerdictProven || !second.BaseCached || second.Suite[0].Duration != first.Suite[0].Duration {
				t.Errorf("second proof = %s, cached %v; want proven from the cached base suite", second.Verdict, second.BaseCached)
			}
		})
	}
}

// TestProve_override runs a proof with the test-command setting: targeted
// runs fall back to the whole command.
func TestProve_override(t *testing.T) {
	requireTool(t, "python3")
	t.Parallel()
	req := pySample.request(t, "tests", "fix")
	req.Command = `python3 -m unittest discover -v -s tests -t .`
	got, err := sandbox(t).Prove(context.Background(), Python, req)
	if err != nil {
		t.Fatal(err)
	}
	if got.Verdict != VerdictProven {
		t.Fatalf("Prove() = %s (%s), want proven\nred:\n%s", got.Verdict, got.Detail, got.Red.Output)
	}
	want := []string{"python3", "-m", "unittest", "discover", "-v", "-s", "tests", "-t", "."}
	for name, argv := range map[string][]string{"red": got.Red.Argv, "green": got.Green.Argv, "suite": got.Suite[1].Argv} {
		if diff := cmp.Diff(want, argv); diff != "" {
			t.Errorf("%s command mismatch (-want +got):\n%s", name, diff)
		}
	}
	if !slices.Contains(got.FixedSuite.Passed, "tests.test_regress.RegressTest.test_total_unknown_order") {
		t.Errorf("FixedSuite = %+v, want the new test read from the overriding command's output", got.FixedSuite)
	}
}
