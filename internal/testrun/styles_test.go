package testrun

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dawnpatch/dawnpatch/internal/patch"
	"github.com/dawnpatch/dawnpatch/internal/testimage"
	"github.com/dawnpatch/dawnpatch/internal/workspace"
)

// styleCase is one way a project writes its regression test, with the
// sample under testdata/testrun/styles/<dir>.
type styleCase struct {
	name, dir string
	lang      Language
	// kind is the image the tests run in; "" runs them in this process.
	kind   testimage.Kind
	test   TestRef
	expect Expect
	// red is a word of the red run's command: the finest level the runner
	// allows.
	red string
}

var styleCases = []styleCase{
	{name: "go table row, whole function", dir: "go-table", lang: Go, test: TestRef{"percent_test.go", "TestParse"},
		expect: Expect{Type: "runtime.boundsError", Message: "runtime error: slice bounds out of range [:-1]", Function: "Parse"}, red: "^TestParse$"},
	{name: "go subtest", dir: "go-table", lang: Go, test: TestRef{"percent_test.go", "TestParse/empty input"},
		expect: Expect{Type: "runtime.boundsError", Message: "runtime error: slice bounds out of range [:-1]", Function: "Parse"}, red: "^TestParse$/^empty_input$"},
	{name: "pytest node id of a parameter case", dir: "python-param", lang: Python, kind: testimage.Python,
		test:   TestRef{"tests/test_ratio.py", "test_ratio[nothing-to-do]"},
		expect: Expect{Type: "ZeroDivisionError", Message: "division by zero", Function: "ratio"}, red: "tests/test_ratio.py::test_ratio[nothing-to-do]"},
	{name: "jest test in a describe", dir: "jest", lang: JavaScript, kind: testimage.Node,
		test:   TestRef{"test/orders.test.js", "total > is zero for an unknown order"},
		expect: Expect{Type: "TypeError", Message: "Cannot read properties of undefined (reading 'amount')", Function: "total"}, red: "--testNamePattern"},
	{name: "mocha it in a describe", dir: "mocha", lang: JavaScript, kind: testimage.Node,
		test:   TestRef{"test/orders.test.js", "total > is zero for an unknown order"},
		expect: Expect{Type: "TypeError", Message: "Cannot read properties of undefined (reading 'amount')", Function: "total"}, red: "--grep"},
}

// TestProve_styles proves each style's fix at the finest level its runner
// allows, and refuses the same style's test that fails on base for
// another reason than the crash.
func TestProve_styles(t *testing.T) {
	if testing.Short() {
		t.Skip("proofs through the projects' runners: not in -short")
	}
	for _, sc := range styleCases {
		t.Run(sc.name, func(t *testing.T) {
			if sc.kind == "" {
				requireTool(t, "go")
			}
			for _, tests := range []string{"tests", "other"} {
				s, scratch := styleSession(t, sc)
				req := ProofRequest{Dir: scratch.Dir(), Tests: stylePatch(t, sc.dir, tests), Fix: stylePatch(t, sc.dir, "fix"),
					TestFile: sc.test.File, TestName: sc.test.Name, Expect: sc.expect, Reset: scratch.Reset}
				p, err := s.Prove(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				want := VerdictProven
				if tests == "other" {
					want = VerdictNotReproduced
				}
				if p.Verdict != want {
					t.Fatalf("%s: Prove() = %s (%s), want %s\nred (%s):\n%s\ngreen:\n%s", tests, p.Verdict, p.Detail, want,
						strings.Join(p.Red.Argv, " "), p.Red.Output, p.Green.Output)
				}
				if !strings.Contains(strings.Join(p.Red.Argv, " "), sc.red) {
					t.Errorf("red run %q does not narrow to the test with %q", strings.Join(p.Red.Argv, " "), sc.red)
				}
			}
		})
	}
}

// styleSession makes a scratch copy of the style's sample and prepares it
// where its tests run.
func styleSession(t *testing.T, sc styleCase) (*Session, *workspace.Scratch) {
	t.Helper()
	w, err := workspace.Open(filepath.Join("..", "..", "testdata", "testrun", "styles", sc.dir, "repo"))
	if err != nil {
		t.Fatal(err)
	}
	scratch, err := w.Scratch(context.Background(), filepath.Join(reachableTempDir(t), "scratch"), KeptOnReset...)
	if err != nil {
		t.Fatal(err)
	}
	r := sandbox(t)
	if sc.kind != "" {
		r, _ = engineRunner(t, sc.kind)
		r.Engine = &Engine{Client: r.Container.cli, Options: ContainerOptions{Paths: r.Container.paths, Memory: 2 << 30, CPUs: 2}}
		r.Image, r.Container = r.Container.image, nil
	}
	s, err := r.Prepare(context.Background(), scratch.Dir(), sc.lang)
	if err != nil {
		t.Fatal(err)
	}
	if p := s.Preparation(); p.Failed != "" {
		for _, res := range p.Setup {
			t.Logf("$ %s\n%s", strings.Join(res.Argv, " "), res.Output)
		}
		t.Fatalf("setup failed: %s", p.Failed)
	}
	return s, scratch
}

// stylePatch reads testdata/testrun/styles/<dir>/<name>.patch.json.
func stylePatch(t *testing.T, dir, name string) patch.Patch {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "testrun", "styles", dir, name+".patch.json"))
	if err != nil {
		t.Fatal(err)
	}
	var p patch.Patch
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatal(err)
	}
	return p
}
