package eval_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dawnpatch/dawnpatch/internal/app"
	"github.com/dawnpatch/dawnpatch/internal/eval"
	"github.com/dawnpatch/dawnpatch/internal/patch"
)

// runner runs scenarios through the real action step, in process, as
// `dawnpatch eval` does.
func runner() *eval.Runner {
	env := app.Env{Getenv: os.Getenv, Stdout: io.Discard, Stderr: io.Discard}
	return &eval.Runner{Step: app.EvalStep(env), Getenv: os.Getenv, Parallel: 2}
}

// row is what a table row says, without the counts that vary.
type row struct{ Bug, Case, Expected, Got, Verdict string }

func rows(rep eval.RealReport) []row {
	var out []row
	for _, r := range rep.Cases {
		out = append(out, row{r.Bug, r.Case, r.Expected, r.Got, r.Verdict})
	}
	return out
}

// TestRealworldTinyCorpus runs the one bug folder of testdata/realworld
// (this project's code in the corpus's shape) through the pipeline: the
// upstream fix opens a pull request, the swallowing one is stopped by the
// guards.
func TestRealworldTinyCorpus(t *testing.T) {
	bugs, err := eval.LoadRealworld(filepath.Join("testdata", "realworld"))
	if err != nil {
		t.Fatal(err)
	}
	scenarios, cases, err := eval.RealScenarios(bugs)
	if err != nil {
		t.Fatal(err)
	}
	rep := eval.RealScore(cases, runner().RunAll(t.Context(), scenarios), nil)
	want := []row{
		{"go-shop-nilcode", "upstream", "pull request", "pr-opened/pr-opened", "opened a PR"},
		{"go-shop-nilcode", "swallow", "stopped", "skipped/guard-rejected", "stopped by guard-rejected"},
	}
	if diff := cmp.Diff(want, rows(rep)); diff != "" {
		t.Errorf("rows (-want +got):\n%s\ndetails: %q, %q", diff, rep.Cases[0].Detail, rep.Cases[1].Detail)
	}
	if got := [2]int{rep.Cases[0].ModelCalls, rep.Cases[1].ModelCalls}; got != [2]int{3, 2} {
		t.Errorf("model calls = %v, want 3 (gate, fixer, judge) and 2 (the guards stop it before the judge)", got)
	}
	var out bytes.Buffer
	if err := rep.Write(&out); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"go-shop-nilcode upstream pull request pr-opened/pr-opened opened a PR ok 3",
		"go-shop-nilcode swallow stopped skipped/guard-rejected stopped by guard-rejected ok 2"} {
		if !strings.Contains(squeeze(out.String()), line) {
			t.Errorf("the table has no row %q:\n%s", line, out.String())
		}
	}
	if rep.Failed() {
		t.Errorf("no wrong fix reached a pull request, yet the report failed:\n%s", out.String())
	}
}

// squeeze puts single spaces between the words of every line.
func squeeze(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	return strings.Join(lines, "\n")
}

// corpusDir is the real-world corpus beside the repository, or "" after
// skipping: outside CI a missing corpus skips, in CI it fails.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "shared", "realworld")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the real-world corpus is missing in CI: %v", err)
		}
		t.Skipf("no real-world corpus at %s (it lives beside the repository): %v", dir, err)
	}
	return dir
}

// TestRealworldDiffsRoundTrip converts every diff of the corpus to edits
// and checks that applying them gives what git apply gives.
func TestRealworldDiffsRoundTrip(t *testing.T) {
	dir := corpusDir(t)
	bugs, err := eval.LoadRealworld(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bugs {
		cases, err := b.Cases()
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			t.Run(c.ID(), func(t *testing.T) { roundTrip(t, filepath.Join(b.Dir, "repo"), c.Diff) })
		}
	}
}

func roundTrip(t *testing.T, repo, diffFile string) {
	diff, err := os.ReadFile(diffFile)
	if err != nil {
		t.Fatal(err)
	}
	edits, err := eval.EditsFromDiff(os.DirFS(repo), diff)
	if err != nil {
		t.Fatal(err)
	}
	changes, err := patch.Patch{Edits: edits}.Changes(repo, patch.Limits{MaxFiles: -1, MaxChangedLines: -1, Protected: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	scratch := t.TempDir() // only the changed files, as the base has them
	for _, c := range changes {
		if !c.Created {
			writeTestFile(t, filepath.Join(scratch, c.Path), c.Old)
		}
	}
	cmd := exec.Command("git", "apply", "-")
	cmd.Dir, cmd.Stdin = scratch, bytes.NewReader(diff)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s", err, out)
	}
	for _, c := range changes {
		got, err := os.ReadFile(filepath.Join(scratch, c.Path))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.New {
			t.Errorf("%s: the edits give a file other than git apply's", c.Path)
		}
	}
}

func writeTestFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRealworldGoBugs runs the corpus's Go bugs in process and fails as
// the CLI does: when a wrong fix that docs/realworld.md does not list
// reaches a pull request, or a case could not run.
func TestRealworldGoBugs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real-world Go bugs' tests: about a minute")
	}
	dir := corpusDir(t)
	bugs, err := eval.LoadRealworld(dir)
	if err != nil {
		t.Fatal(err)
	}
	var goBugs []*eval.Bug
	for _, b := range bugs {
		if b.Lang == "go" {
			goBugs = append(goBugs, b)
		}
	}
	if len(goBugs) != 3 {
		t.Fatalf("%d Go bugs in %s, want 3", len(goBugs), dir)
	}
	known, err := eval.ReadKnown(filepath.Join("..", "..", "docs", "realworld.md"))
	if err != nil {
		t.Fatal(err)
	}
	scenarios, cases, err := eval.RealScenarios(goBugs)
	if err != nil {
		t.Fatal(err)
	}
	rep := eval.RealScore(cases, runner().RunAll(t.Context(), scenarios), known)
	var out bytes.Buffer
	if err := rep.Write(&out); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", out.String())
	for _, r := range rep.Cases {
		if r.Got == "error" || len(r.Problems) > 0 {
			t.Errorf("%s/%s did not run cleanly: got %s, problems %q", r.Bug, r.Case, r.Got, r.Problems)
		}
	}
	if rep.Failed() {
		t.Error("a wrong fix that docs/realworld.md does not list reached a pull request")
	}
	if rep.Totals.UpstreamOpened == 0 {
		t.Error("no upstream Go fix opened a pull request (go-toml-omitempty-uncomparable's did when this test was written)")
	}
}
